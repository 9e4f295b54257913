//! Mapping folded spans back to the original text: the folded text and its run-length map to original bytes.

use std::ops::Range;

/// A folded text and its map back to the original bytes.
///
/// The map is stored as runs, not per byte: most folded characters have the same length as the original
/// character and follow it directly (ASCII, Han, traditional → simplified), so a run of them is one entry. A folded
/// character that came from something else (a collapsed space run, `…` → `...`, a resolved `wechaaat`) gets a run
/// whose every byte maps to that one original range.
#[derive(Debug, Default, Clone)]
pub(crate) struct Folded {
    pub(crate) text: String,
    pub(super) runs: Vec<Run>,
    /// The per-byte map the runs stand for, kept in tests to check them against.
    #[cfg(test)]
    pub(super) bytes: Vec<(u32, u32)>,
}

/// Folded bytes from `folded` up to the next run's start.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    folded: u32,
    start: u32,
    /// The original end of every byte of the run; `u32::MAX` for a linear run (byte `folded + k` is original byte
    /// `start + k`).
    end: u32,
}

const LINEAR: u32 = u32::MAX;

impl Folded {
    /// Maps a non-empty range of folded bytes (on char boundaries) to the range of original bytes it covers.
    pub(crate) fn original_span(&self, folded: Range<usize>) -> Range<usize> {
        debug_assert!(folded.start < folded.end && folded.end <= self.text.len());
        let (a, b) = (folded.start as u32, folded.end as u32);
        let start = match self.run_at(a) {
            Some(r) if r.end == LINEAR => r.start + (a - r.folded),
            Some(r) => r.start,
            None => 0,
        };
        let end = match self.run_at(b.saturating_sub(1)) {
            Some(r) if r.end == LINEAR => r.start + (b - r.folded),
            Some(r) => r.end,
            None => 0,
        };
        let (start, end) = (start as usize, end as usize);
        start..end.max(start)
    }

    /// The folded bytes that stand for a range of original bytes: from the first folded character that starts in
    /// it to the last that ends in it; empty when folding dropped all of it. The inverse of
    /// [`original_span`](Self::original_span), for spans found in the original text (entities) that the context
    /// stage must judge in the folded text.
    pub(crate) fn folded_span(&self, original: Range<usize>) -> Range<usize> {
        let n = self.text.len();
        // The original range of folded byte `f`; both ends grow with `f`, so binary searches apply.
        let orig = |f: usize| -> (usize, usize) {
            match self.run_at(f as u32) {
                Some(r) if r.end == LINEAR => {
                    let o = (r.start + (f as u32 - r.folded)) as usize;
                    (o, o + 1)
                }
                Some(r) => (r.start as usize, r.end as usize),
                None => (0, 0),
            }
        };
        let search = |pred: &dyn Fn(usize) -> bool| -> usize {
            let (mut lo, mut hi) = (0, n);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if pred(mid) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            lo
        };
        let mut start = search(&|f| orig(f).0 < original.start);
        let mut end = search(&|f| orig(f).1 <= original.end);
        while start < n && !self.text.is_char_boundary(start) {
            start += 1;
        }
        while end > start && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        start..end.max(start)
    }

    /// The run holding folded byte `at`.
    fn run_at(&self, at: u32) -> Option<&Run> {
        let i = self.runs.partition_point(|r| r.folded <= at);
        i.checked_sub(1).map(|i| &self.runs[i])
    }

    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.runs.clear();
        #[cfg(test)]
        self.bytes.clear();
    }

    pub(super) fn push(&mut self, ch: char, start: u32, end: u32) {
        let len = ch.len_utf8() as u32;
        self.map_next(start, end, len);
        self.text.push(ch);
        #[cfg(test)]
        for _ in 0..len {
            self.bytes.push((start, end));
        }
    }

    /// Appends text found at original byte `start` as it is: Han characters that fold to themselves.
    pub(super) fn push_same(&mut self, same: &str, start: u32) {
        let len = same.len() as u32;
        self.map_next(start, start + len, len);
        self.text.push_str(same);
        #[cfg(test)]
        for (k, c) in same.char_indices() {
            let at = start + k as u32;
            for _ in 0..c.len_utf8() {
                self.bytes.push((at, at + c.len_utf8() as u32));
            }
        }
    }

    /// Appends ASCII text found at original byte `start`, lowercased, one original byte per folded byte.
    pub(super) fn push_ascii(&mut self, ascii: &str, start: u32) {
        let at = self.text.len();
        let len = ascii.len() as u32;
        self.map_next(start, start + len, len);
        self.text.push_str(ascii);
        self.text[at..].make_ascii_lowercase();
        #[cfg(test)]
        for k in 0..len {
            self.bytes.push((start + k, start + k + 1));
        }
    }

    /// Records that the next `len` folded bytes come from original `start..end`: extends the last run or starts one.
    fn map_next(&mut self, start: u32, end: u32, len: u32) {
        let at = self.text.len() as u32;
        let linear = end - start == len;
        let extends = self.runs.last().is_some_and(|r| {
            if linear {
                r.end == LINEAR && r.start + (at - r.folded) == start
            } else {
                r.start == start && r.end == end
            }
        });
        if !extends {
            self.runs.push(Run {
                folded: at,
                start,
                end: if linear { LINEAR } else { end },
            });
        }
    }

    /// Drops everything from folded byte `at` (a char boundary) on.
    pub(super) fn truncate(&mut self, at: usize) {
        self.text.truncate(at);
        let keep = self.runs.partition_point(|r| (r.folded as usize) < at);
        self.runs.truncate(keep);
        #[cfg(test)]
        self.bytes.truncate(at);
    }
}

#[cfg(test)]
mod tests {
    use crate::normalize::tests::folder;

    #[test]
    fn spans_map_back_to_original() {
        let text = "加 我 w.e.c.h.a.t 吧";
        let f = folder().fold(text);
        let at = f.text.find("wechat").unwrap();
        let span = f.original_span(at..at + "wechat".len());
        assert_eq!(&text[span], "w.e.c.h.a.t");
    }

    #[test]
    fn trailing_marks_are_inside_the_span() {
        let text = "add W\u{336}e\u{336}c\u{336}h\u{336}a\u{336}t\u{336} now";
        let f = folder().fold(text);
        let at = f.text.find("wechat").unwrap();
        assert_eq!(
            &text[f.original_span(at..at + 6)],
            "W\u{336}e\u{336}c\u{336}h\u{336}a\u{336}t\u{336}"
        );
    }

    #[test]
    fn original_spans_map_to_folded_and_back() {
        let f = folder().fold("加 我 w.e.c.h.a.t 吧");
        let text = "加 我 w.e.c.h.a.t 吧";
        for needle in ["w.e.c.h.a.t", "加", "吧", "我 w"] {
            let at = text.find(needle).unwrap();
            let folded = f.folded_span(at..at + needle.len());
            assert!(!folded.is_empty(), "{needle}");
            let back = f.original_span(folded.clone());
            assert!(back.start >= at && back.end <= at + needle.len(), "{needle}: {back:?}");
        }
        let at = text.find("w.e.c.h.a.t").unwrap();
        assert_eq!(&f.text[f.folded_span(at..at + "w.e.c.h.a.t".len())], "wechat");
        let f = folder().fold("visit Ａlibaba-pay.top now");
        let text = "visit Ａlibaba-pay.top now";
        let at = text.find("Ａ").unwrap();
        let span = f.folded_span(at..at + "Ａlibaba-pay.top".len());
        assert_eq!(&text[f.original_span(span)], "Ａlibaba-pay.top");
    }

    #[test]
    fn collapsed_run_maps_to_whole_run() {
        let text = "add wechaaat";
        let f = folder().fold(text);
        let at = f.text.find("wechat").unwrap();
        assert_eq!(&text[f.original_span(at..at + 6)], "wechaaat");
    }
}
