//! Throughput of the full pipeline against its floor (a bare Aho-Corasick pass over the same folded keyword set,
//! on the unfolded text) and a naive baseline (lowercase, then one regex per rule), plus `Detector::new()`.
//!
//! `cargo bench` prints bytes/s for every case; the README's "Performance" table is read off this output. The
//! corpora are generated here: English, Chinese and mixed messages of 40 B to 2 KB, clean or scam-heavy, and single
//! 1 KB, 64 KB and 1 MB haystacks. Each benchmark asserts its finding count, so a broken detector cannot look fast.
//! The "linear" group scans clean 1 MiB and 10 MiB haystacks: equal bytes/s for both means the cost is linear.
//! The "short" group scans `benches/short_messages.txt`, chat messages of real length (median about 50 bytes, EN
//! and ZH, a few percent scam pretexts), and reports messages/s and bytes/s for scan, the raw automaton and the
//! naive baseline. Before the groups it prints resident memory and the scan / raw ratio on the mixed clean corpus
//! and on the short messages, measured in alternating rounds (less exposed to the machine's drift than two
//! separate criterion benchmarks).

use std::hint::black_box;
use std::time::Duration;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput};
use redflag::{Detector, Role};
use regex::{Regex, RegexBuilder};

#[path = "../tests/support/rss.rs"]
mod support_rss;
use support_rss::rss;

const EN_CLEAN: &[&str] = &[
    "Good morning, the 200 pcs of stainless tumblers passed QC yesterday, photos are attached to the order.",
    "Unit price $4.10 for 1,000 pcs, $3.85 above 5,000 pcs, lead time about 30 days after the sample is approved.",
    "Please check the carton marks in the drawing and confirm before we print them.",
    "Sea freight to Hamburg is about USD 420 for 3 CBM; I can add it to the order so you see the total before paying.",
    "Thanks for the feedback on the stitching, we changed the thread to 40S and the new sample ships on Friday.",
    "OK",
    "The mould needs 12 days, then 3 days for the first articles. We will send the inspection report with photos and videos of the functional test, and the packing list once the goods are palletised. If you need a third-party inspection, please tell us the company name and we will book the date with them.",
];
const ZH_CLEAN: &[&str] = &[
    "亲，面料已经到厂了，预计下周三开始裁剪，大货照片做好了发您看",
    "报价含税含运费，到付的话运费另算，量大可以再谈",
    "开票的话普票加1个点，专票加3个点，看您需要哪种",
    "好的，收到，谢谢",
    "样品已经寄出，顺丰单号已经上传到订单了，到了麻烦您看一下做工和尺寸，有问题随时旺旺联系我们，我们这边可以免费修改一次。",
];
const SCAM: &[&str] = &[
    "加我薇信 lucky_mold99，私下转账便宜5个点",
    "Our company account is under annual audit, please remit the deposit to our manager's personal account below.",
    "1:1 App1e logo and box, $6.50/pc, real logo photos on my w.e.c.h.a.t",
    "请先取消争议，我们马上重新寄一份给您",
    "Pay here instead, it is cheaper than checkout: https://a1ibaba-secure.top/pay/77",
    "不开票的话直接打我私人账户，再便宜3个点",
];

/// Real-length chat messages, one a line (`#` lines and empty lines skipped); written for this benchmark, not
/// taken from the shared corpora or the evaluation sets.
const SHORT: &str = include_str!("short_messages.txt");

fn short_messages() -> Vec<String> {
    SHORT
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn messages(parts: &[&[&str]], bytes: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut total = 0;
    let mut i = 0;
    while total < bytes {
        let set = parts[i % parts.len()];
        let m = set[(i / parts.len()) % set.len()].to_string();
        total += m.len();
        out.push(m);
        i += 1;
    }
    out
}

fn haystack(bytes: usize) -> String {
    messages(&[EN_CLEAN, ZH_CLEAN], bytes).join("\n")
}

/// The floor: the same folded keywords, one automaton, no folding, no confirmation.
fn raw_automaton(d: &Detector) -> AhoCorasick {
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(d.keywords())
        .expect("keywords build")
}

/// The terms of a lexicon and of everything it includes.
fn lexicon_terms<'a>(set: &'a redflag::Ruleset, name: &str, out: &mut Vec<&'a str>, depth: usize) {
    let Some(l) = set.lexicons().iter().find(|l| l.name() == name) else {
        return;
    };
    out.extend(l.terms().map(|t| t.trim_matches('*')));
    if depth < 8 {
        for inc in l.includes() {
            lexicon_terms(set, inc, out, depth + 1);
        }
    }
}

/// The naive baseline: one case-insensitive regex per rule (the alternation of its first concept's terms, or its
/// keywords), on lowercased text.
fn naive(d: &Detector) -> Vec<Regex> {
    let set = d.rules();
    set.rules()
        .iter()
        .filter_map(|r| {
            let mut terms = Vec::new();
            match r.concepts().next() {
                Some((first, _)) => lexicon_terms(set, first, &mut terms, 0),
                None => terms.extend(r.keywords()),
            }
            let src = terms.iter().map(|t| regex::escape(t)).collect::<Vec<_>>().join("|");
            RegexBuilder::new(&src)
                .case_insensitive(true)
                .size_limit(1 << 24)
                .build()
                .ok()
        })
        .collect()
}

/// Prints the resident memory before and after building a detector, and after its first scan (which loads the
/// Chinese word segmenter's dictionary on first use), before any benchmark has run.
fn print_rss() {
    const MB: f64 = 1024.0 * 1024.0;
    // A Chinese message that reaches the word segmenter, built on first use.
    const FIRST: &str = "亲，公司账户在年审，这次货款先转我们会计的个人卡，加我薇信私聊，不开票还能便宜5个点";
    let Some(before) = rss() else {
        eprintln!("resident memory: /proc/self/statm not available here, not measured");
        return;
    };
    let d = Detector::new();
    let after_new = rss().unwrap_or(0);
    assert!(d.scan(black_box(FIRST)).is_alert());
    let after_scan = rss().unwrap_or(0);
    eprintln!(
        "resident memory: {:.1} MB before Detector::new(), {:.1} MB after (+{:.1} MB), {:.1} MB after one scan \
         (+{:.1} MB)",
        before as f64 / MB,
        after_new as f64 / MB,
        after_new.saturating_sub(before) as f64 / MB,
        after_scan as f64 / MB,
        after_scan.saturating_sub(before) as f64 / MB
    );
}

/// Prints the ratio of `scan` to the raw automaton on `msgs` measured in alternating rounds, so that the machine's
/// drift between two criterion benchmarks (large on shared VMs) does not enter the ratio: the median over rounds
/// of (raw time / scan time) for the same messages. `findings` is the expected finding count of one pass.
fn print_interleaved_ratio(d: &Detector, ac: &AhoCorasick, name: &str, msgs: &[String], findings: usize) {
    use std::time::Instant;
    let scan = || scan_all(d, msgs);
    let raw = || raw_all(ac, msgs);
    assert_eq!(scan(), findings, "{name}");
    let _ = raw();
    // Rounds of at least about 20 ms of scanning, so that short corpora are timed over many passes.
    let t = Instant::now();
    black_box(scan());
    let passes = (0.02 / t.elapsed().as_secs_f64().max(1e-9)).ceil().clamp(1.0, 1000.0) as usize;
    let mut ratios: Vec<f64> = (0..21)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..passes {
                black_box(scan());
            }
            let scan_time = t.elapsed().as_secs_f64();
            let t = Instant::now();
            for _ in 0..4 * passes {
                black_box(raw());
            }
            let raw_time = t.elapsed().as_secs_f64() / 4.0;
            raw_time / scan_time
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    eprintln!(
        "interleaved scan / raw automaton, {name}: median {:.3} (min {:.3}, max {:.3}, 21 rounds)",
        ratios[10], ratios[0], ratios[20]
    );
}

/// Rules whose naive regex matches, summed over every message.
fn naive_all(naive: &[Regex], msgs: &[String]) -> usize {
    msgs.iter()
        .map(|m| {
            let lower = black_box(m).to_lowercase();
            naive.iter().filter(|re| re.is_match(&lower)).count()
        })
        .sum()
}

/// Findings of `scan` over every message.
fn scan_all(d: &Detector, msgs: &[String]) -> usize {
    msgs.iter().map(|m| d.scan(black_box(m)).findings().len()).sum()
}

/// Matches of the raw automaton over every message.
fn raw_all(ac: &AhoCorasick, msgs: &[String]) -> usize {
    msgs.iter()
        .map(|m| ac.find_overlapping_iter(black_box(m.as_str())).count())
        .sum()
}

fn bench(c: &mut Criterion) {
    print_rss();

    let mut g = c.benchmark_group("build");
    g.sample_size(10).measurement_time(Duration::from_secs(3));
    // The shipped rule set, read from the stored snapshot (see `src/snapshot.rs`).
    g.bench_function("detector_new", |b| b.iter(Detector::new));
    // A user's rule set as large as the shipped one: everything built from the sources.
    let set = redflag::Ruleset::builtin();
    g.bench_function("from_sources", |b| {
        b.iter(|| {
            Detector::builder()
                .builtin_rules(false)
                .rules(set.clone())
                .build()
                .unwrap()
        })
    });
    g.finish();

    let d = Detector::new();
    let ac = raw_automaton(&d);
    let naive = naive(&d);
    let mixed_clean = messages(&[EN_CLEAN, ZH_CLEAN], 64 << 10);
    print_interleaved_ratio(&d, &ac, "mixed clean", &mixed_clean, 0);
    let short = short_messages();
    let short_findings: usize = short.iter().map(|m| d.scan(m).findings().len()).sum();
    print_interleaved_ratio(&d, &ac, "short messages", &short, short_findings);

    let corpora: [(&str, Vec<String>); 6] = [
        ("en_clean", messages(&[EN_CLEAN], 64 << 10)),
        ("zh_clean", messages(&[ZH_CLEAN], 64 << 10)),
        ("mixed_clean", messages(&[EN_CLEAN, ZH_CLEAN], 64 << 10)),
        ("en_scam", messages(&[EN_CLEAN, SCAM], 64 << 10)),
        ("zh_scam", messages(&[ZH_CLEAN, SCAM], 64 << 10)),
        ("mixed_scam", messages(&[EN_CLEAN, ZH_CLEAN, SCAM], 64 << 10)),
    ];
    let mut g = c.benchmark_group("messages");
    g.sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    for (name, msgs) in &corpora {
        let bytes: usize = msgs.iter().map(String::len).sum();
        let expect: usize = msgs.iter().map(|m| d.scan(m).findings().len()).sum();
        assert_eq!(name.ends_with("clean"), expect == 0, "{name}: {expect} findings");
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_with_input(BenchmarkId::new("scan", name), msgs, |b, msgs| {
            b.iter(|| assert_eq!(scan_all(&d, msgs), expect))
        });
        g.bench_with_input(BenchmarkId::new("raw_automaton", name), msgs, |b, msgs| {
            b.iter(|| raw_all(&ac, msgs))
        });
        if *name == "mixed_clean" || *name == "mixed_scam" {
            g.bench_with_input(BenchmarkId::new("naive_regex_per_rule", name), msgs, |b, msgs| {
                b.iter(|| naive_all(&naive, msgs))
            });
            g.bench_with_input(BenchmarkId::new("conversation_push", name), msgs, |b, msgs| {
                b.iter(|| {
                    let mut convo = d.conversation();
                    for (i, m) in msgs.iter().enumerate() {
                        let role = if i % 2 == 0 { Role::Seller } else { Role::Buyer };
                        black_box(convo.push(role, m));
                    }
                    convo.risk()
                })
            });
        }
    }
    g.finish();

    // Real-length short messages: messages/s and bytes/s for scan, the floor and the naive baseline in one group.
    let mut g = c.benchmark_group("short");
    g.sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    let bytes: usize = short.iter().map(String::len).sum();
    // The scam lines, and no more than a few benign lines the rules mistake for one.
    assert!((5..=30).contains(&short_findings), "short: {short_findings} findings");
    g.throughput(Throughput::ElementsAndBytes {
        elements: short.len() as u64,
        bytes: bytes as u64,
    });
    g.bench_with_input(BenchmarkId::new("scan", "short"), &short, |b, msgs| {
        b.iter(|| assert_eq!(scan_all(&d, msgs), short_findings))
    });
    let raw_matches = raw_all(&ac, &short);
    g.bench_with_input(BenchmarkId::new("raw_automaton", "short"), &short, |b, msgs| {
        b.iter(|| assert_eq!(raw_all(&ac, msgs), raw_matches))
    });
    let naive_hits = naive_all(&naive, &short);
    g.bench_with_input(BenchmarkId::new("naive_regex_per_rule", "short"), &short, |b, msgs| {
        b.iter(|| assert_eq!(naive_all(&naive, msgs), naive_hits))
    });
    g.finish();

    let mut g = c.benchmark_group("haystack");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    for (name, size) in [("1k", 1 << 10), ("64k", 64 << 10), ("1m", 1 << 20)] {
        let text = haystack(size);
        let expect = d.scan(&text).findings().len();
        assert_eq!(expect, 0, "clean haystack");
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("scan", name), &text, |b, t| {
            b.iter(|| assert_eq!(d.scan(black_box(t)).findings().len(), expect))
        });
        g.bench_with_input(BenchmarkId::new("raw_automaton", name), &text, |b, t| {
            b.iter(|| ac.find_overlapping_iter(black_box(t.as_str())).count())
        });
    }
    g.finish();

    // Linearity: the same clean text at 1 MiB and 10 MiB (scanned in 1 MiB pieces); the two bytes/s figures should
    // be about equal. Flat sampling: each 10 MiB iteration is long.
    let mut g = c.benchmark_group("linear");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(12))
        .warm_up_time(Duration::from_secs(1));
    for (name, size) in [("1m", 1 << 20), ("10m", 10 << 20)] {
        let text = haystack(size);
        assert_eq!(d.scan(&text).findings().len(), 0, "clean {name} haystack");
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("scan", name), &text, |b, t| {
            b.iter(|| assert_eq!(d.scan(black_box(t)).findings().len(), 0))
        });
    }
    g.finish();

    // `scan_batch` on 1 and 2 threads over 512 KB of mixed messages (scam-heavy, so reports have findings):
    // the 2-thread figure over the 1-thread one is the batch speed-up.
    let msgs = messages(&[EN_CLEAN, ZH_CLEAN, SCAM], 512 << 10);
    let bytes: usize = msgs.iter().map(String::len).sum();
    let mut g = c.benchmark_group("batch");
    g.sample_size(10).measurement_time(Duration::from_secs(6));
    g.throughput(Throughput::Bytes(bytes as u64));
    for threads in [1, 2] {
        g.bench_with_input(BenchmarkId::new("scan_batch", threads), &msgs, |b, msgs| {
            b.iter(|| d.scan_batch_with(black_box(msgs), threads).len())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
