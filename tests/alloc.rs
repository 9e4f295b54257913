//! Allocation and memory checks for `Detector::scan`, with a counting global allocator.
//!
//! This is its own test binary on purpose: the `#[global_allocator]` below only affects this file. It wraps
//! `std::alloc::System` and counts, per thread, every allocation (`alloc`, `alloc_zeroed`, and `realloc`, which
//! may move and copy the whole block, so it counts as one allocation of its new size) and the bytes requested;
//! globally it keeps the live heap bytes (alloc adds, dealloc subtracts, realloc adjusts by the difference).
//!
//! Tests run on parallel threads. The per-thread counters keep them independent, but the live-bytes figure is
//! global, so every test holds [`LOCK`] for its whole run: the memory test then sees no other test's heap traffic.
//!
//! No timing assertions anywhere: counts and bytes only. Run with `cargo test --test alloc -- --nocapture` to see
//! the measured figures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use redflag::Detector;

#[path = "support/rss.rs"]
mod support_rss;
use support_rss::rss;

struct Counting;

thread_local! {
    // `const` initialisers without destructors: reading or bumping a counter never allocates (no lazy
    // registration), so the allocator can use them re-entrantly.
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
    static REALLOCS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

static LIVE: AtomicIsize = AtomicIsize::new(0);

fn record(bytes: usize, realloc: bool) {
    // `try_with`: never panic inside the allocator, even while a thread is being torn down.
    let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
    let _ = BYTES.try_with(|c| c.set(c.get() + bytes as u64));
    if realloc {
        let _ = REALLOCS.try_with(|c| c.set(c.get() + 1));
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the bookkeeping only touches
// atomics and allocation-free thread-locals.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            record(layout.size(), false);
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            record(layout.size(), false);
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            record(new_size, true);
            LIVE.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Held by every test: keeps [`LIVE`] free of other tests' traffic while one measures it.
static LOCK: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    // A failed test poisons the lock; the others should still run and report their own figures.
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// This thread's allocation counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    /// Allocations, reallocations included.
    allocs: u64,
    /// Of which reallocations.
    reallocs: u64,
    /// Bytes requested (a reallocation counts its new size).
    bytes: u64,
}

impl Counts {
    fn now() -> Counts {
        Counts {
            allocs: ALLOCS.with(Cell::get),
            reallocs: REALLOCS.with(Cell::get),
            bytes: BYTES.with(Cell::get),
        }
    }
}

impl std::ops::Sub for Counts {
    type Output = Counts;
    fn sub(self, o: Counts) -> Counts {
        Counts {
            allocs: self.allocs - o.allocs,
            reallocs: self.reallocs - o.reallocs,
            bytes: self.bytes - o.bytes,
        }
    }
}

/// Runs `f` and returns what this thread allocated meanwhile. Nothing in here may print or format.
fn counted<R>(f: impl FnOnce() -> R) -> (R, Counts) {
    let before = Counts::now();
    let r = f();
    let after = Counts::now();
    (r, after - before)
}

/// Scans `text` and drops the report, all inside the measured window; returns the number of findings.
fn scan_counted(d: &Detector, text: &str) -> (usize, Counts) {
    counted(|| black_box(d.scan(black_box(text))).findings().len())
}

fn live() -> isize {
    LIVE.load(Ordering::SeqCst)
}

const MB: f64 = 1024.0 * 1024.0;

fn rss_mb() -> String {
    rss().map_or_else(
        || "n/a (no /proc/self/statm)".to_string(),
        |b| format!("{:.1} MB", b as f64 / MB),
    )
}

/// Benign supplier chat: samples, prices, shipping, invoices, QC. English, Chinese (simplified and traditional),
/// and mixed. None of them may produce a finding or an entity (see `clean_set_is_clean`).
const CLEAN: &[&str] = &[
    // English
    "Hi, the samples were sent by DHL this morning, they should arrive in 3 to 5 working days.",
    "Unit price is USD 2.35 for 3,000 pcs and USD 2.10 for 10,000 pcs, FOB Ningbo.",
    "We can do the custom colour, MOQ is 500 pcs per colour, please send us the Pantone code.",
    "The commercial invoice and packing list are uploaded to the order page, please check the amounts.",
    "QC found 3 pcs with scratches on the lid, we replaced them before packing.",
    "Could you confirm the carton size? We plan 40 pcs per carton, 52x38x30 cm, 14.5 kg gross weight.",
    "Production is 70% done, we will finish the assembly next Tuesday and then do the drop test.",
    "Thank you for your order! The lead time is 25 days after the sample is approved.",
    "Sorry for the late reply, we were closed for the Dragon Boat Festival.",
    "Attached are the photos of the printed carton, please approve the position and size of the marks.",
    "We use 304 stainless steel for the body and food grade silicone for the seal, the LFGB report is available.",
    "OK, noted. I will ask the workshop to check the stitching again.",
    "Shipping by sea to Los Angeles takes about 18 days port to port, by air 5 to 7 days.",
    "The inspection company booked Thursday for the final inspection, we will share their report.",
    "Good morning! The new fabric swatches came in, the navy one is closer to your reference.",
    // Chinese, simplified
    "您好，样品今天已经用顺丰寄出，预计后天到。",
    "这款的单价是12.8元，500件起订，量大可以再谈。",
    "质检报告已经上传到订单里了，请您查收。",
    "包装用五层瓦楞纸箱，每箱40个，外箱贴唛头。",
    "大货已经生产了一半，下周五可以出货。",
    "颜色可以按您的潘通色号定制，需要重新打样，打样时间7天。",
    "好的，没问题，我们按您的要求修改。",
    "亲，端午节放假三天，节后正常发货。",
    "这批货的验货照片和视频都在订单留言里，您看一下。",
    "面料是纯棉的，克重180克，缩水率控制在3%以内。",
    "收到，谢谢亲的反馈，下一批我们会加强检查。",
    "尺寸表已经更新，M码胸围比之前大了2厘米。",
    // Chinese, traditional
    "您好，樣品已經寄出了，請注意查收。",
    "這批貨的質檢報告明天上傳到訂單。",
    // Mixed
    "Hi 亲, the 样品 is ready, we ship it tomorrow by 顺丰.",
    "MOQ 是1000 pcs，price USD 1.20，含包装。",
    "QC 报告 attached, 不良率 0.5%, all within AQL 2.5.",
    "Lead time 大概 20 days after sample approval.",
    "好的 no problem, 我们明天 send you the updated 报价单.",
    "包装 can be 彩盒 or polybag, which one do you prefer?",
    "Sample 已收到, quality is good, please start 大货 production.",
];

/// Scam pretexts, English, Chinese and mixed.
const SCAM: &[&str] = &[
    "add my wechat lily_88 and pay to my personal account",
    "加我薇信私下转账便宜5个点",
    "Our company account is under annual audit, please remit the deposit to our manager's personal account.",
    "Alibaba chat is not stable, please contact me on WhatsApp +86 137 2288 4061",
    "不开票的话直接打我私人账户，再便宜3个点",
    "We can make 1:1 copy with the real logo, AAA quality, more photos on my w.e.c.h.a.t",
    "The payment gateway is under maintenance today, kindly pay via Western Union to our agent.",
    "请先取消争议，我们马上重新寄一份给您",
    "Pay here instead, it is cheaper than checkout: https://a1ibaba-secure.top/pay/77",
    "亲，公司账户在年审，这次货款先转我们会计的个人卡，不开票还能便宜5个点",
    "Please pay today, the price goes up tomorrow. Send it by PayPal friends and family to avoid the fee.",
];

#[test]
fn clean_set_is_clean() {
    let _g = lock();
    let d = Detector::new();
    for m in CLEAN {
        let r = d.scan(m);
        assert!(
            r.findings().is_empty(),
            "clean message has findings: {m:?}: {:?}",
            r.findings()
        );
        assert!(
            r.entities().is_empty(),
            "clean message has entities: {m:?}: {:?}",
            r.entities()
        );
    }
    for m in SCAM {
        assert!(!d.scan(m).findings().is_empty(), "scam message has no findings: {m:?}");
    }
}

#[test]
fn clean_messages_do_not_allocate_after_warm_up() {
    let _g = lock();
    let d = Detector::new();
    // Warm-up: grows the per-thread scan buffers and compiles the lazily built regexes and segmenter.
    for m in CLEAN {
        assert!(d.scan(m).findings().is_empty(), "not clean: {m:?}");
    }
    let (_, pass) = counted(|| {
        for m in CLEAN {
            black_box(d.scan(black_box(m)));
        }
    });
    // One message at a time, to name the culprits if the pass allocated.
    let per_message: Vec<(&str, Counts)> = CLEAN
        .iter()
        .map(|m| (*m, scan_counted(&d, m).1))
        .filter(|(_, c)| c.allocs > 0)
        .collect();
    eprintln!(
        "clean pass: {} messages, {} bytes of text: {} allocations ({} reallocations), {} bytes allocated",
        CLEAN.len(),
        CLEAN.iter().map(|m| m.len()).sum::<usize>(),
        pass.allocs,
        pass.reallocs,
        pass.bytes
    );
    for (m, c) in &per_message {
        eprintln!("  allocates: {c:?} {m:?}");
    }
    // Every buffer of a clean scan (folding, keyword hits, entity context words) is reused per thread, and a
    // clean report holds empty vectors: after warm-up a clean message allocates nothing.
    assert_eq!(
        (pass.allocs, pass.bytes),
        (0, 0),
        "a warmed-up clean pass allocated; the messages that did are listed above"
    );
}

#[test]
fn allocations_are_bounded_per_message_not_per_byte() {
    let _g = lock();
    let d = Detector::new();
    let repeated: Vec<String> = SCAM.iter().map(|m| [*m; 10].join("\n")).collect();
    // Warm up on everything that is measured below, twice (buffers grow to the largest text on the first pass).
    for _ in 0..2 {
        for m in SCAM.iter().copied().chain(repeated.iter().map(String::as_str)) {
            black_box(d.scan(m));
        }
    }
    let mut failures = Vec::new();
    for (m, rep) in SCAM.iter().zip(&repeated) {
        let (n1, c1) = scan_counted(&d, m);
        let (n10, c10) = scan_counted(&d, rep);
        let e1 = d.scan(m).entities().len();
        let e10 = d.scan(rep).entities().len();
        eprintln!(
            "scam: {n1:>2} findings {e1} entities {:>3} allocs {:>5} B | x10: {n10:>3} findings {e10:>2} entities {:>3} \
             allocs {:>6} B | {m:?}",
            c1.allocs, c1.bytes, c10.allocs, c10.bytes
        );
        // Bound, from the figures printed above. Folding, matching and confirmation reuse per-thread buffers; what
        // allocates is the report's contents and the entity extractor:
        // - findings: the findings vector grows by doubling (and sorting more than 20 findings takes one buffer),
        //   so well under one allocation per finding (measured: 4-8 allocations for 21-51 findings);
        // - entities: each owns its normalised value, and a link is normalised through a few owned strings (host,
        //   registrable domain, look-alike skeleton): measured 2-3 allocations per handle or number, about 10 per
        //   link (10 links: 108 allocations with 40 findings);
        // - a few vectors per scan (findings, entities, the extractor's cue list): BASE.
        const PER_FINDING: u64 = 1;
        const PER_ENTITY: u64 = 12;
        const BASE: u64 = 8;
        let bound = |n: usize, e: usize| PER_FINDING * n as u64 + PER_ENTITY * e as u64 + BASE;
        for (what, n, e, c) in [("single", n1, e1, c1), ("x10", n10, e10, c10)] {
            if c.allocs > bound(n, e) {
                failures.push(format!(
                    "{what} {m:?}: {} allocations > {PER_FINDING} * {n} findings + {PER_ENTITY} * {e} entities + \
                     {BASE} = {}",
                    c.allocs,
                    bound(n, e)
                ));
            }
        }
        // Ten copies (ten times the bytes) may cost what the extra findings and entities explain, and no more: the
        // same weights, applied to the difference, with a little slack for one more doubling of each vector.
        let extra = PER_FINDING * n10.saturating_sub(n1) as u64 + PER_ENTITY * e10.saturating_sub(e1) as u64 + 4;
        if c10.allocs > c1.allocs + extra {
            failures.push(format!(
                "x10 {m:?}: {} allocations vs {} for one copy; {} more findings and {} more entities explain at most \
                 {extra} more",
                c10.allocs,
                c1.allocs,
                n10.saturating_sub(n1),
                e10.saturating_sub(e1)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn cost_is_linear_1mb_vs_10mb() {
    let _g = lock();
    let d = Detector::new();
    // Clean messages, one per line, up to (not over) `bytes`.
    let hay = |bytes: usize| {
        let mut out = String::with_capacity(bytes);
        for m in CLEAN.iter().cycle() {
            if out.len() + m.len() + 1 > bytes {
                break;
            }
            out.push_str(m);
            out.push('\n');
        }
        out
    };
    let one = hay(1 << 20);
    let ten = hay(10 << 20);
    // Warm-up on both sizes (the scan keeps small buffers between scans, so part of the cost of a long text is
    // paid again every time: that is what is measured here).
    assert_eq!(d.scan(&one).findings().len(), 0, "1 MiB clean haystack has findings");
    assert_eq!(d.scan(&ten).findings().len(), 0, "10 MiB clean haystack has findings");
    let (n1, c1) = scan_counted(&d, &one);
    let (n10, c10) = scan_counted(&d, &ten);
    assert_eq!((n1, n10), (0, 0));
    eprintln!(
        "haystack 1 MiB ({} B): {} allocations ({} reallocations), {} bytes ({:.1} MB) allocated",
        one.len(),
        c1.allocs,
        c1.reallocs,
        c1.bytes,
        c1.bytes as f64 / MB
    );
    eprintln!(
        "haystack 10 MiB ({} B): {} allocations ({} reallocations), {} bytes ({:.1} MB) allocated",
        ten.len(),
        c10.allocs,
        c10.reallocs,
        c10.bytes,
        c10.bytes as f64 / MB
    );
    // The detector folds at most 1 MiB at a time (cut at a line break within the last 4 KiB) into buffers reused
    // from piece to piece, so ten times the text allocates about what one piece does: bound 2x + 16 allocations
    // and 2x + 64 KiB.
    let pieces = |len: usize| len.div_ceil((1 << 20) - 4096) as u64;
    let extra_pieces = pieces(ten.len()) - pieces(one.len());
    eprintln!(
        "10 MiB vs 1 MiB: {:.2}x allocations ({:.1} more per extra piece, {extra_pieces} extra pieces), {:.2}x bytes",
        c10.allocs as f64 / c1.allocs as f64,
        (c10.allocs as f64 - c1.allocs as f64) / extra_pieces as f64,
        c10.bytes as f64 / c1.bytes as f64
    );
    assert!(
        c10.allocs <= 2 * c1.allocs + 16,
        "10 MiB: {} allocations vs {} for 1 MiB (bound 2x + 16)",
        c10.allocs,
        c1.allocs
    );
    assert!(
        c10.bytes <= 2 * c1.bytes + (64 << 10),
        "10 MiB: {} bytes allocated vs {} for 1 MiB (bound 2x + 64 KiB)",
        c10.bytes,
        c1.bytes
    );
}

#[test]
fn memory_after_new_is_under_30_mb() {
    let _g = lock();
    const LIMIT: isize = 30_000_000;
    let rss0 = rss_mb();
    let before = live();
    let d = black_box(Detector::new());
    let after_new = live() - before;
    let rss1 = rss_mb();
    // The first Chinese scan builds the lazily compiled parts (regexes, the word segmenter) and this thread's buffers.
    let text = "亲，公司账户在年审，这次货款先转我们会计的个人卡，加我薇信私聊，不开票还能便宜5个点";
    let n = black_box(d.scan(black_box(text))).findings().len();
    let after_scan = live() - before;
    let rss2 = rss_mb();
    eprintln!(
        "live heap retained: after Detector::new() {after_new} B ({:.2} MB); after a first Chinese scan ({n} \
         findings) {after_scan} B ({:.2} MB)",
        after_new as f64 / MB,
        after_scan as f64 / MB
    );
    eprintln!("resident (statm): before new {rss0}, after new {rss1}, after first scan {rss2}");
    assert!(n > 0, "the Chinese scam message should produce findings");
    assert!(
        after_new < LIMIT,
        "Detector::new() retains {after_new} B of heap (limit {LIMIT} B)"
    );
    assert!(
        after_scan < LIMIT,
        "Detector::new() and a first scan retain {after_scan} B of heap (limit {LIMIT} B)"
    );
    drop(d);
}
