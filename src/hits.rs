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
    /// Bit `c` is set when concept `c` occurs: most rules fail `may_hold` on most messages, and a bit test is
    /// cheaper than two binary searches per concept.
    present: Bits,
}

/// A set of small integers, one bit each, reused across messages: sorted and without duplicates by construction.
#[derive(Debug, Default)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    /// Empties the set and makes room for members below `n` (no allocation once it has grown).
    pub(crate) fn reset(&mut self, n: usize) {
        self.0.clear();
        self.0.resize(n.div_ceil(64), 0);
    }

    /// Adds `i` (below the `n` of the last [`reset`](Self::reset)).
    pub(crate) fn insert(&mut self, i: u32) {
        self.0[i as usize / 64] |= 1 << (i % 64);
    }

    /// Whether `i` is a member.
    pub(crate) fn contains(&self, i: u32) -> bool {
        self.0.get(i as usize / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// The members in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros();
                    w &= w - 1;
                    i as u32 * 64 + b
                })
            })
        })
    }
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

    /// Whether concept `c` occurs at all.
    pub(crate) fn has(&self, c: u32) -> bool {
        self.present.contains(c)
    }

    /// Sets the presence bits from the hits as found, unsorted: exact when no exclusion was found, else a superset
    /// (a hit inside an exclusion still counts). Enough to rule out most rules before anything is sorted;
    /// [`finish`](Self::finish) makes the hits and the bits exact.
    pub(crate) fn prepare(&mut self) {
        let Some(max) = self.hits.iter().map(|h| h.concept).max() else {
            self.present.reset(0);
            return;
        };
        self.present.reset(max as usize + 1);
        for h in &self.hits {
            self.present.insert(h.concept);
        }
    }

    /// The concepts that occur (by [`prepare`](Self::prepare) or [`finish`](Self::finish)), in increasing order.
    pub(crate) fn present(&self) -> impl Iterator<Item = u32> + '_ {
        self.present.iter()
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
        self.prepare();
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

/// Every hit of a message as `(start, end)`, sorted by start, for widening spans: built on first use, by the
/// messages that have a span to widen (most have none), and cleared by [`ByStart::reset`] for the next message.
#[derive(Debug, Default)]
pub(crate) struct ByStart {
    spans: Vec<(u32, u32)>,
    ready: bool,
}

impl ByStart {
    /// Forgets the previous message's hits.
    pub(crate) fn reset(&mut self) {
        self.ready = false;
    }

    /// The hits of `hits`, sorted by start (built once per message), leaving out the concepts marked in `skip`
    /// (the context cues: a finding must not widen over the negation or warning that frames it).
    pub(crate) fn of<T>(&mut self, hits: &ConceptHits, skip: &[Option<T>]) -> &[(u32, u32)] {
        if !self.ready {
            self.ready = true;
            self.spans.clear();
            self.spans.extend(
                hits.hits
                    .iter()
                    .filter(|h| !skip.get(h.concept as usize).is_some_and(Option::is_some))
                    .map(|h| (h.start, h.end)),
            );
            self.spans.sort_unstable();
        }
        &self.spans
    }
}
