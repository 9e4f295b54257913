//! Resident memory of this process, for the memory figures printed by `tests/alloc.rs` and `benches/scan.rs`.

/// Resident set size from `/proc/self/statm` (Linux), in bytes; `None` where it is absent.
pub fn rss() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * page_size())
}

/// The kernel page size, read from `/proc/self/smaps` (no libc here); 4 KiB if it cannot be read.
fn page_size() -> u64 {
    std::fs::read_to_string("/proc/self/smaps")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("KernelPageSize:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(4096, |kb| kb * 1024)
}
