//! Scanning many messages on several threads: blocks of messages handed out in order to scoped worker threads,
//! the reports put back in input order. Each worker scans with its own [`Cache`], so a batch allocates nothing
//! per clean message beyond its report.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::report::Report;
use crate::scan::Cache;

/// Messages per block a worker takes at a time: large enough that the shared counter is rarely touched, small
/// enough that a block of long messages at the end does not leave the other threads idle for long.
const BLOCK: usize = 64;

/// Scans every text with `scan` on up to `threads` threads (0: the available parallelism) and returns the
/// reports in input order.
pub(crate) fn run<S, F>(texts: &[S], threads: usize, scan: F) -> Vec<Report>
where
    S: AsRef<str> + Sync,
    F: Fn(&str, &mut Cache) -> Report + Sync,
{
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let blocks = texts.len().div_ceil(BLOCK);
    let threads = threads.min(blocks);
    if threads <= 1 {
        let mut cache = Cache::new();
        return texts.iter().map(|t| scan(t.as_ref(), &mut cache)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Vec<Report>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut cache = Cache::new();
                    let mut mine = Vec::new();
                    loop {
                        let b = next.fetch_add(1, Ordering::Relaxed);
                        if b >= blocks {
                            return mine;
                        }
                        let block = &texts[b * BLOCK..((b + 1) * BLOCK).min(texts.len())];
                        mine.push((
                            b,
                            block.iter().map(|t| scan(t.as_ref(), &mut cache)).collect::<Vec<_>>(),
                        ));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            // A worker only panics if `scan` did, which it does not; pass such a panic on rather than hide it.
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_unstable_by_key(|(b, _)| *b);
    let mut out = Vec::with_capacity(texts.len());
    for (_, reports) in done {
        out.extend(reports);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Detector;

    #[test]
    fn reports_come_back_in_input_order_identical_to_scan() {
        let d = Detector::new();
        let base = [
            "add my wechat lily_8899",
            "Thanks, the samples arrived today.",
            "亲，公司账户在年审，这次货款先转我们会计的个人卡",
            "",
            "Sorry, our payment gateway is under maintenance, please pay to my personal account.",
        ];
        // Not a multiple of the block size, so the last block is short.
        let texts: Vec<String> = (0..BLOCK * 5 + 7)
            .map(|i| format!("{} #{i}", base[i % base.len()]))
            .collect();
        let want: Vec<String> = texts.iter().map(|t| format!("{:?}", d.scan(t))).collect();
        for threads in [0, 1, 2, 3, 64] {
            let got: Vec<String> = run(&texts, threads, |t, c| d.scan_with_cache(t, c))
                .iter()
                .map(|r| format!("{r:?}"))
                .collect();
            assert_eq!(got, want, "{threads} threads");
        }
        assert!(run(&Vec::<&str>::new(), 2, |t, c| d.scan_with_cache(t, c)).is_empty());
    }
}
