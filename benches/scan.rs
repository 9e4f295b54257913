//! Throughput of `Detector::scan` and the cost of `Detector::new`. Run with `cargo bench`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use redflag::Detector;

const MESSAGES: &[&str] = &[
    "Good morning, the 200 pcs of stainless tumblers passed QC yesterday, photos are attached to the order.",
    "亲，面料已经到厂了，预计下周三开始裁剪，大货照片做好了发您看",
    "Unit price $4.10 for 1,000 pcs, $3.85 above 5,000 pcs, lead time about 30 days after the sample is approved.",
    "报价含税含运费，到付的话运费另算，量大可以再谈",
    "Please check the carton marks in the drawing and confirm before we print them.",
    "我这边不方便回消息，加一下微信 mold_lucky99 发图纸",
    "Our receiving account is frozen for the annual check, please remit this deposit to the new account below.",
];

fn corpus(bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 256);
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(MESSAGES[i % MESSAGES.len()]);
        s.push('\n');
        i += 1;
    }
    s
}

fn bench(c: &mut Criterion) {
    c.bench_function("detector_new", |b| b.iter(Detector::new));
    let detector = Detector::new();
    let text = corpus(64 * 1024);
    let mut g = c.benchmark_group("scan");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("mixed_64k_lines", |b| {
        b.iter(|| text.lines().map(|l| detector.scan(l).findings().len()).sum::<usize>())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
