//! The concept hits of one message: every lexicon term the keyword automaton found, by concept and position,
//! with the lookups composition and patterns make of them.

use std::ops::Range;

/// One occurrence of a concept's term in the folded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ConceptHit {
    pub(crate) concept: u32,
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl ConceptHit {
    pub(crate) fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The hits of one message, sorted by concept and then by position, so that one concept's hits are a slice.
#[derive(Debug, Default)]
pub(crate) struct ConceptHits {
    pub(crate) hits: Vec<ConceptHit>,
    /// Every hit as `(start, end)`, sorted by start, for widening spans.
    by_start: Vec<(u32, u32)>,
    /// Bit `c` is set when concept `c` occurs: most rules fail `may_hold` on most messages, and a bit test is
    /// cheaper than two binary searches per concept.
    present: Vec<u64>,
}

impl ConceptHits {
    /// The hits of concept `c`, in text order.
    pub(crate) fn of(&self, c: u32) -> &[ConceptHit] {
        let lo = self.hits.partition_point(|h| h.concept < c);
        let hi = lo + self.hits[lo..].partition_point(|h| h.concept == c);
        &self.hits[lo..hi]
    }

    /// The hits of concept `c` that start in `lo..hi`, in text order (a binary search, not a walk).
    pub(crate) fn of_in(&self, c: u32, lo: usize, hi: usize) -> &[ConceptHit] {
        let all = self.of(c);
        let a = all.partition_point(|h| (h.start as usize) < lo);
        let b = a + all[a..].partition_point(|h| (h.start as usize) < hi);
        &all[a..b]
    }

    /// Every hit as `(start, end)`, sorted by start.
    pub(crate) fn by_start(&self) -> &[(u32, u32)] {
        &self.by_start
    }

    /// Whether concept `c` occurs at all.
    pub(crate) fn has(&self, c: u32) -> bool {
        self.present
            .get(c as usize / 64)
            .is_some_and(|w| w & (1 << (c % 64)) != 0)
    }

    /// Sorts the hits and drops each hit that lies strictly inside an exclusion of its own concept (`exclude`
    /// phrases, as `(concept, start, end)` sorted by concept). A hit as long as the exclusion is a term of its own
    /// (`sister company` in a list that includes both the kin words, excluding it, and the company words).
    pub(crate) fn finish(&mut self, exclusions: &[ConceptHit]) {
        self.hits.sort_unstable();
        self.hits.dedup();
        if !exclusions.is_empty() {
            self.exclude(exclusions);
        }
        self.by_start.clear();
        self.by_start.extend(self.hits.iter().map(|h| (h.start, h.end)));
        self.by_start.sort_unstable();
        self.present.clear();
        if let Some(last) = self.hits.last() {
            // Sorted by concept: the last hit has the largest.
            self.present.resize(last.concept as usize / 64 + 1, 0);
            for h in &self.hits {
                self.present[h.concept as usize / 64] |= 1 << (h.concept % 64);
            }
        }
    }

    fn exclude(&mut self, exclusions: &[ConceptHit]) {
        self.hits.retain(|h| {
            let lo = exclusions.partition_point(|x| x.concept < h.concept);
            !exclusions[lo..]
                .iter()
                .take_while(|x| x.concept == h.concept)
                .any(|x| x.start <= h.start && h.end <= x.end && (x.start, x.end) != (h.start, h.end))
        });
    }
}
