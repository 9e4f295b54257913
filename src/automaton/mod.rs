//! One Aho-Corasick automaton over the folded keywords of every rule.

mod nfa;

use std::borrow::Cow;

use crate::codec::Reader;
#[cfg(test)]
use crate::codec::Writer;
use crate::normalize::is_word_byte;
pub(crate) use nfa::Trust;
use nfa::{Nfa, MATCH, START};

/// Whether a literal's first and last bytes are ASCII letters or digits: such an edge only counts on a word
/// boundary (`wire` not in `wireless`), while a Han edge needs none.
pub(crate) fn latin_edges(p: &str) -> (bool, bool) {
    let b = p.as_bytes();
    (
        b.first().is_some_and(|&c| is_word_byte(c)),
        b.last().is_some_and(|&c| is_word_byte(c)),
    )
}

/// A keyword hit: which rule owns the keyword, and where it is in the folded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Hit {
    pub(crate) rule: u32,
    pub(crate) start: u32,
    pub(crate) end: u32,
}

/// The keyword automaton and, per keyword, the rules that own it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Keywords {
    /// Driven one byte at a time in one loop (see [`Keywords::each_hit`]).
    nfa: Nfa,
    /// The distinct folded keywords, by automaton pattern id.
    patterns: Patterns,
    /// Per automaton pattern, four integers: what a match of it needs, in one place (one cache line read per
    /// match). See [`PatternInfo`].
    info: Cow<'static, [u32]>,
    /// The owners of every keyword, pattern after pattern, two integers each: a rule index or a concept id with a
    /// tag bit, and the word boundaries it lifts ([`OPEN_START`], [`OPEN_END`]); [`PatternInfo`]'s range indexes
    /// into it by owner.
    owners: Cow<'static, [u32]>,
    /// The first `keyword_patterns` patterns are the rules' keywords.
    keyword_patterns: usize,
}

/// Strings by index in one buffer: a snapshot holds tens of thousands of patterns, and one allocation each was a
/// fifth of `Detector::new()`. Held as bytes: built from `&str`s, or read from a snapshot whose checksum holds, they
/// are UTF-8; a pattern is checked again when it is listed (rarely), not the whole buffer at every read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Patterns {
    text: Cow<'static, [u8]>,
    /// `text[ends[i - 1]..ends[i]]` is pattern `i`.
    ends: Cow<'static, [u32]>,
}

impl Patterns {
    fn push(&mut self, p: &str) {
        self.text.to_mut().extend_from_slice(p.as_bytes());
        let end = self.text.len() as u32;
        self.ends.to_mut().push(end);
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> Option<&str> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        std::str::from_utf8(self.text.get(start..self.ends[i] as usize)?).ok()
    }

    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// Per automaton pattern: its owners, its index among the extra literals, and its Latin edges; stored as four
/// integers (`lo`, `hi`, `extra`, and the edges as bits 1 and 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PatternInfo {
    /// `owners[lo..hi]` of [`Keywords`].
    lo: u32,
    hi: u32,
    /// Its index among the extra literals, or [`NO_EXTRA`].
    extra: u32,
    /// Whether its first/last byte is an ASCII letter or digit (needs a word boundary).
    latin_start: bool,
    latin_end: bool,
}

/// The owner does not need a word boundary at the start of the literal.
pub(crate) const OPEN_START: u8 = 1;
/// The owner does not need a word boundary at the end of the literal.
pub(crate) const OPEN_END: u8 = 2;

/// No index: the pattern is not in that list.
const NO_EXTRA: u32 = u32::MAX;

impl PatternInfo {
    fn words(&self) -> [u32; 4] {
        [
            self.lo,
            self.hi,
            self.extra,
            self.latin_start as u32 | (self.latin_end as u32) << 1,
        ]
    }

    fn from_words(w: &[u32]) -> PatternInfo {
        PatternInfo {
            lo: w[0],
            hi: w[1],
            extra: w[2],
            latin_start: w[3] & 1 != 0,
            latin_end: w[3] & 2 != 0,
        }
    }
}

impl Keywords {
    /// Builds the automaton from `(folded keyword, rule index)` pairs; equal keywords share one pattern.
    /// `extras` are literals found in the same pass for another stage (the entity extractor's context words):
    /// every occurrence of them is reported, by index, without boundary checks.
    pub(crate) fn build<'a>(
        entries: impl IntoIterator<Item = (String, u32, u8)>,
        extras: impl IntoIterator<Item = &'a str>,
    ) -> Result<Keywords, String> {
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<(u32, u8)>> = Vec::new();
        let mut index = rustc_hash::FxHashMap::default();
        for (kw, rule, open) in entries {
            let id = *index.entry(kw.clone()).or_insert_with(|| {
                patterns.push(kw);
                owners.push(Vec::new());
                patterns.len() - 1
            });
            if !owners[id].contains(&(rule, open)) {
                owners[id].push((rule, open));
            }
        }
        // Only the rules' keywords are what `patterns()` lists; other literals that are no keyword go after them.
        let keyword_patterns = patterns.len();
        let mut intern = |x: &str| -> usize {
            *index.entry(x.to_string()).or_insert_with(|| {
                patterns.push(x.to_string());
                owners.push(Vec::new());
                patterns.len() - 1
            })
        };
        let extra_ids: Vec<usize> = extras.into_iter().map(&mut intern).collect();
        // Per pattern, its index in each list. A repeated literal is reported under its first index, as a
        // leftmost search over the list would.
        let index_of = |ids: &[usize]| {
            let mut of = vec![NO_EXTRA; patterns.len()];
            for (i, &id) in ids.iter().enumerate().rev() {
                of[id] = i as u32;
            }
            of
        };
        let extra = index_of(&extra_ids);
        // Our own automaton rather than the `aho-corasick` crate's contiguous NFA, which searches about as fast but
        // took 30 ms to build over the built-in lexicons' 25,000 terms and cannot be saved (see `nfa`).
        let nfa = Nfa::new(&patterns)?;
        let mut flat = Vec::with_capacity(2 * owners.iter().map(Vec::len).sum::<usize>());
        let info = patterns
            .iter()
            .zip(&owners)
            .zip(&extra)
            .flat_map(|((p, own), &extra)| {
                let lo = (flat.len() / 2) as u32;
                flat.extend(own.iter().flat_map(|&(o, open)| [o, open as u32]));
                let (latin_start, latin_end) = latin_edges(p);
                PatternInfo {
                    lo,
                    hi: (flat.len() / 2) as u32,
                    extra,
                    latin_start,
                    latin_end,
                }
                .words()
            })
            .collect::<Vec<u32>>();
        let mut stored = Patterns::default();
        for p in &patterns {
            stored.push(p);
        }
        Ok(Keywords {
            nfa,
            patterns: stored,
            info: Cow::Owned(info),
            owners: Cow::Owned(flat),
            keyword_patterns,
        })
    }

    /// Appends every keyword hit in `text` that sits on a word boundary, one per owning rule, to `out`, and every
    /// occurrence of an extra literal as `(start, end, extra index)` to `extras`.
    #[cfg(test)]
    pub(crate) fn hits(&self, text: &str, out: &mut Vec<Hit>, extras: &mut Vec<(u32, u32, u32)>) {
        self.each_hit(text, extras, |h| out.push(h));
    }

    /// Calls `found` with every keyword hit in `text` that sits on a word boundary, one per owning rule, in the
    /// order the automaton reports them, and appends every occurrence of an extra literal as
    /// `(start, end, extra index)` to `extras`. The caller sorts the hits into its own lists in the same pass.
    #[inline]
    pub(crate) fn each_hit(&self, text: &str, extras: &mut Vec<(u32, u32, u32)>, mut found: impl FnMut(Hit)) {
        let bytes = text.as_bytes();
        let (nfa, info, owners) = (self.nfa.search(), &self.info[..], &self.owners[..]);
        // Every match at every position, as an overlapping search reports them: the state is advanced one byte at
        // a time and its matches are read where it is a match state (no keyword is empty, so the start is none).
        let mut matches_at = |sid: u32, e: usize| {
            for &pid in nfa.matches(sid) {
                let s = e - nfa.pattern_len(pid);
                let p = PatternInfo::from_words(&info[4 * pid as usize..4 * pid as usize + 4]);
                if p.extra != NO_EXTRA {
                    extras.push((s as u32, e as u32, p.extra));
                }
                let glued_start = p.latin_start && s > 0 && is_word_byte(bytes[s - 1]);
                let glued_end = p.latin_end && e < bytes.len() && is_word_byte(bytes[e]);
                for owner in owners[2 * p.lo as usize..2 * p.hi as usize].chunks_exact(2) {
                    let (rule, open) = (owner[0], owner[1] as u8);
                    if (glued_start && open & OPEN_START == 0) || (glued_end && open & OPEN_END == 0) {
                        continue;
                    }
                    found(Hit {
                        rule,
                        start: s as u32,
                        end: e as u32,
                    });
                }
            }
        };
        let mut sid = START;
        for (at, &b) in bytes.iter().enumerate() {
            sid = nfa.next(sid, b);
            if sid & MATCH != 0 {
                sid &= !MATCH;
                matches_at(sid, at + 1);
            }
        }
    }

    /// Every (pattern, end) the automaton reports over `text`, before boundaries and owners, and all patterns (for
    /// comparing with a reference automaton).
    #[cfg(test)]
    pub(crate) fn raw_matches(&self, text: &[u8]) -> (Vec<(u32, usize)>, Vec<&str>) {
        let mut out = Vec::new();
        let nfa = self.nfa.search();
        let mut sid = START;
        for (at, &b) in text.iter().enumerate() {
            sid = nfa.next(sid, b);
            if sid & MATCH != 0 {
                out.extend(nfa.matches(sid).iter().map(|&p| (p, at + 1)));
            }
        }
        (out, self.patterns.iter().collect())
    }

    /// Appends the keywords to a snapshot (see `crate::snapshot`).
    #[cfg(test)]
    pub(crate) fn write(&self, w: &mut Writer) {
        self.nfa.write(w);
        // The patterns as one string and their ends; per pattern and per owner one block of integers, which a
        // reader of the stored snapshot borrows in place.
        w.bytes(&self.patterns.text);
        w.u32s(&self.patterns.ends);
        w.u32s(&self.info);
        w.u32s(&self.owners);
        w.u32(self.keyword_patterns as u32);
    }

    /// Reads what [`Keywords::write`] wrote; `None` unless every range holds. The owners' ids are checked by the
    /// caller, who knows the rules and concepts (see [`Keywords::owners`]).
    pub(crate) fn read(r: &mut Reader<'static>, trust: Trust) -> Option<Keywords> {
        let nfa = Nfa::read_with(r, trust)?;
        let patterns = Patterns {
            text: Cow::Borrowed(r.bytes_prefixed()?),
            ends: r.u32s_static()?,
        };
        let n = patterns.len();
        let info = r.u32s_static()?;
        let owners = r.u32s_static()?;
        let keyword_patterns = r.u32()? as usize;
        if n != nfa.patterns() || info.len() != 4 * n || owners.len() % 2 != 0 || keyword_patterns > n {
            return None;
        }
        // What a scan indexes with is checked whatever the trust (reading, not copying): the owner ranges, the
        // flags, and the last pattern's end.
        let open_bits = u32::from(OPEN_START | OPEN_END);
        let owners_fit = owners.chunks_exact(2).all(|c| c[1] & !open_bits == 0);
        let info_fits = info
            .chunks_exact(4)
            .all(|c| c[0] <= c[1] && c[1] as usize <= owners.len() / 2 && c[3] <= 3);
        if !owners_fit || !info_fits || patterns.ends.last().map_or(0, |&e| e as usize) != patterns.text.len() {
            return None;
        }
        // Unless the bytes are a checked build's (the snapshot's checksum holds), every pattern must be a UTF-8
        // slice after the one before it, of the length the automaton reports it by, with the Latin edges its
        // text has.
        if trust == Trust::Check {
            let mut start = 0;
            for (i, (&end, p)) in patterns.ends.iter().zip(info.chunks_exact(4)).enumerate() {
                let text = std::str::from_utf8(patterns.text.get(start..end as usize)?).ok()?;
                start = end as usize;
                let p = PatternInfo::from_words(p);
                if nfa.search().pattern_len(i as u32) != text.len() || latin_edges(text) != (p.latin_start, p.latin_end)
                {
                    return None;
                }
            }
        }
        Some(Keywords {
            nfa,
            patterns,
            info,
            owners,
            keyword_patterns,
        })
    }

    /// Whether every table is borrowed from stored bytes rather than copied.
    #[cfg(test)]
    pub(crate) fn borrowed(&self) -> bool {
        use Cow::Borrowed;
        let nfa = self.nfa.borrowed();
        nfa && matches!(
            (&self.patterns.text, &self.patterns.ends, &self.info, &self.owners),
            (Borrowed(_), Borrowed(_), Borrowed(_), Borrowed(_))
        )
    }

    /// Every owner, and every extra literal's index (for the caller's check of a read snapshot).
    pub(crate) fn owners(&self) -> (impl Iterator<Item = u32> + '_, impl Iterator<Item = u32> + '_) {
        (
            self.owners.chunks_exact(2).map(|c| c[0]),
            self.info.chunks_exact(4).map(|c| c[2]).filter(|&e| e != NO_EXTRA),
        )
    }

    /// The distinct folded keywords.
    pub(crate) fn patterns(&self) -> impl Iterator<Item = &str> + '_ {
        self.patterns.iter().take(self.keyword_patterns)
    }

    /// Number of distinct keywords.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.keyword_patterns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kw(list: &[(&str, u32)]) -> Keywords {
        Keywords::build(list.iter().map(|&(k, r)| (k.to_string(), r, 0)), []).unwrap()
    }

    #[test]
    fn latin_keywords_need_word_boundaries() {
        let k = kw(&[("wire", 0), ("qq", 1), ("微信", 2)]);
        let table: &[(&str, &[u32])] = &[
            ("wire it", &[0]),
            ("wireless", &[]),
            ("rewire", &[]),
            ("加我qq", &[1]),
            ("qqq", &[]),
            ("qq:123", &[1]),
            ("加微信号", &[2]),
        ];
        for (text, want) in table {
            let mut out = Vec::new();
            k.hits(text, &mut out, &mut Vec::new());
            let got: Vec<u32> = out.iter().map(|h| h.rule).collect();
            assert_eq!(&got, want, "{text:?}");
        }
    }

    #[test]
    fn shared_keywords_hit_every_owner_and_overlaps_are_found() {
        let k = kw(&[("微信", 0), ("微信", 1), ("微信号", 2)]);
        assert_eq!(k.len(), 2);
        let mut out = Vec::new();
        k.hits("微信号", &mut out, &mut Vec::new());
        out.sort();
        assert_eq!(out.iter().map(|h| h.rule).collect::<Vec<_>>(), [0, 1, 2]);
    }

    #[test]
    fn extras_are_reported_everywhere_and_are_no_keywords() {
        let k = Keywords::build([("wechat".to_string(), 0, 0)], ["wechat", "wx", "号"]).unwrap();
        assert_eq!(k.patterns().collect::<Vec<_>>(), ["wechat"]);
        let (mut hits, mut extras) = (Vec::new(), Vec::new());
        // No boundary check for extras: `wx` inside `wxid` counts, and `wechat` inside `wechatpay` too.
        k.hits("wechatpay wxid 号", &mut hits, &mut extras);
        assert!(hits.is_empty());
        extras.sort();
        assert_eq!(extras, [(0, 6, 0), (10, 12, 1), (15, 18, 2)]);
        k.hits("wechat", &mut hits, &mut extras);
        assert_eq!(hits.len(), 1);
    }

    #[test]
    fn open_ends_lift_the_boundary_per_owner() {
        let k = Keywords::build(
            [
                ("transfer".to_string(), 0, OPEN_END),
                ("transfer".to_string(), 1, 0),
                ("pal".to_string(), 2, OPEN_START),
            ],
            [],
        )
        .unwrap();
        let table: &[(&str, &[u32])] = &[
            ("transferred", &[0]),
            ("transfer it", &[0, 1]),
            ("retransfer", &[]),
            ("paypal", &[2]),
            ("palm", &[]),
        ];
        for (text, want) in table {
            let mut out = Vec::new();
            k.hits(text, &mut out, &mut Vec::new());
            let got: Vec<u32> = out.iter().map(|h| h.rule).collect();
            assert_eq!(&got, want, "{text:?}");
        }
    }
}
