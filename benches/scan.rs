//! Throughput of `Detector::scan` and the cost of `Detector::new`. Run with `cargo bench`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use redflag::Detector;

const MESSAGES: &[&str] = &[
    "Hi, the samples are ready. Sea freight to Rotterdam is $380 for 2 CBM, I added it to the order.",
    "亲，已经发货了，单号明天更新，有问题随时旺旺联系",
    "Price is FOB Ningbo $2.35/pc; MOQ 500 pcs, lead time 25 days after deposit.",
    "开票的话普票加1个点，专票加3个点，看您需要哪种",
    "Can you send the quotation here in the chat? I prefer to keep everything on Alibaba.",
    "加我vx：nbtrade668，那边转账给你少算200",
    "Small problem: company account is under bank audit this week, send the deposit to our sister company.",
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
