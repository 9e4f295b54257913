//! A compact Aho-Corasick automaton that builds fast and can be written to bytes and read back.
//!
//! The `aho-corasick` crate's contiguous NFA searches as fast, but it cannot be saved: with the built-in lexicons'
//! 25,000 keywords its construction alone took about 30 ms of `Detector::new()`. This one is built from the sorted
//! keywords in one pass, and the built-in detector reads it from a snapshot (see `crate::snapshot`) instead of
//! building it at all. Its search reports exactly what an overlapping `aho-corasick` search reports, in the same
//! order (a test compares them).
//!
//! Layout: every state is a run of `u32`s in one vector and its id is the offset of its first word, so one state's
//! transitions and matches usually share a cache line. States are laid out depth-first (the states along one
//! keyword follow each other). A state is
//!
//! ```text
//! header | fail | transitions                        | matches (match states only)
//!               | sparse: keys (4 per word), nexts   | count, pattern ids
//!               |   (the last word padded with its   |
//!               |    last key)                       |
//!               | dense: 256 nexts (a complete row)  |
//! ```
//!
//! A state id (a transition's target, a failure link) carries [`MATCH`] when the state reports matches and
//! [`DENSE_ID`] when it is a dense row, so the search loop tests one bit per byte for matches and reads a dense
//! state's next id without first reading its header (one dependent load per byte on the common path).
//! Shallow states, which most bytes of a clean text visit, are dense rows of the complete transition function, so
//! that they never follow a failure link.

use std::borrow::Cow;

use crate::codec::Reader;
#[cfg(test)]
use crate::codec::Writer;

/// Set on a transition's target when that state reports matches.
pub(crate) const MATCH: u32 = 1 << 31;
/// Set on a state id when the state is a dense row.
const DENSE_ID: u32 = 1 << 30;
/// The offset part of a state id.
const OFFSET: u32 = DENSE_ID - 1;
/// Header bit: the state is a dense row of 256 next-state ids.
const DENSE: u32 = 1 << 8;
/// Header bit: the state's transitions are followed by its match count and pattern ids.
const HAS_MATCHES: u32 = 1 << 9;
/// States at a depth below this are dense.
const DENSE_DEPTH: u32 = 3;
/// States with more transitions than this are dense whatever their depth (a linear scan would cost more).
const DENSE_FANOUT: usize = 24;
/// No node.
const NONE: u32 = u32::MAX;
/// The start state's id: the first state in the layout.
pub(crate) const START: u32 = DENSE_ID;

/// Whether stored automaton bytes are checked state by state ([`Nfa::read_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trust {
    /// Check every state, transition, failure link and match (the tests, over the stored bytes and damaged ones).
    #[cfg_attr(not(test), allow(dead_code))]
    Check,
    /// The bytes match a checksum of what a checked build wrote.
    Verified,
}

/// The automaton: its states, and every pattern's length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Nfa {
    /// Borrowed from the stored snapshot's bytes, or built.
    repr: Cow<'static, [u32]>,
    lens: Cow<'static, [u32]>,
}

/// The automaton's tables as plain slices, for a search loop: taken once per text, so that reading a state does
/// not first ask whether the tables are borrowed or owned.
#[derive(Clone, Copy)]
pub(crate) struct Search<'a> {
    repr: &'a [u32],
    lens: &'a [u32],
}

/// A trie node while building.
struct Node {
    /// Index of its first edge in the edge list sorted by parent.
    first: u32,
    /// Number of children.
    count: u32,
    fail: u32,
    depth: u32,
    /// Its full match list, as a range of `matches`.
    lo: u32,
    hi: u32,
}

impl Nfa {
    /// Builds the automaton over `patterns` (pattern id = index). An empty pattern is an error, as is a pattern
    /// set too large for 31-bit state ids.
    pub(crate) fn new<P: AsRef<[u8]>>(patterns: &[P]) -> Result<Nfa, String> {
        if let Some(i) = patterns.iter().position(|p| p.as_ref().is_empty()) {
            return Err(format!("pattern {i} is empty"));
        }
        let lens = patterns
            .iter()
            .map(|p| u32::try_from(p.as_ref().len()).map_err(|_| "a pattern is longer than 4 GB".to_string()))
            .collect::<Result<Vec<u32>, String>>()?;
        // Sorted insertion: each pattern shares its prefix with the previous one, and every node's children are
        // created in increasing byte order, so the trie needs no per-node maps.
        let mut order: Vec<u32> = (0..patterns.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            patterns[a as usize]
                .as_ref()
                .cmp(patterns[b as usize].as_ref())
                .then(a.cmp(&b))
        });
        // Edges (parent, byte, child) in creation order; node 0 is the root.
        let mut edges: Vec<(u32, u8, u32)> = Vec::new();
        let mut depth: Vec<u32> = vec![0];
        let mut finals: Vec<(u32, u32)> = Vec::with_capacity(patterns.len());
        let mut path: Vec<u32> = vec![0];
        let mut prev: &[u8] = &[];
        for &pid in &order {
            let p = patterns[pid as usize].as_ref();
            let common = p.iter().zip(prev).take_while(|(a, b)| a == b).count();
            path.truncate(common + 1);
            for &b in &p[common..] {
                let id = depth.len() as u32;
                let parent = *path.last().unwrap_or(&0);
                edges.push((parent, b, id));
                depth.push(path.len() as u32);
                path.push(id);
            }
            finals.push((*path.last().unwrap_or(&0), pid));
            prev = p;
        }
        let n = depth.len();
        // Children by parent, in byte order (a stable counting sort of the edges by parent).
        let mut count = vec![0u32; n];
        for &(parent, _, _) in &edges {
            count[parent as usize] += 1;
        }
        let mut first = vec![0u32; n];
        let mut sum = 0;
        for (f, &c) in first.iter_mut().zip(&count) {
            *f = sum;
            sum += c;
        }
        let mut fill = first.clone();
        let mut keys = vec![0u8; edges.len()];
        let mut kids = vec![0u32; edges.len()];
        for &(parent, b, child) in &edges {
            let at = fill[parent as usize] as usize;
            keys[at] = b;
            kids[at] = child;
            fill[parent as usize] += 1;
        }
        drop(edges);
        let mut nodes: Vec<Node> = (0..n)
            .map(|i| Node {
                first: first[i],
                count: count[i],
                fail: 0,
                depth: depth[i],
                lo: 0,
                hi: 0,
            })
            .collect();
        let goto = |nodes: &[Node], u: u32, b: u8| -> Option<u32> {
            let node = &nodes[u as usize];
            let range = node.first as usize..(node.first + node.count) as usize;
            keys[range.clone()]
                .binary_search(&b)
                .ok()
                .map(|k| kids[range.start + k])
        };
        // Breadth first: failure links and match lists (a node's list is its own patterns, then its failure
        // state's list, as `aho-corasick` orders them). A node with no pattern of its own shares its failure
        // state's range.
        finals.sort_unstable();
        let mut own_at = vec![NONE; n];
        for (i, &(node, _)) in finals.iter().enumerate().rev() {
            own_at[node as usize] = i as u32;
        }
        let mut matches: Vec<u32> = Vec::with_capacity(finals.len());
        let mut bfs: Vec<u32> = Vec::with_capacity(n);
        bfs.push(0);
        let mut head = 0;
        while head < bfs.len() {
            let u = bfs[head];
            head += 1;
            let (f, c) = (nodes[u as usize].first as usize, nodes[u as usize].count as usize);
            for k in f..f + c {
                let (b, v) = (keys[k], kids[k]);
                let fail = if u == 0 {
                    0
                } else {
                    let mut s = nodes[u as usize].fail;
                    loop {
                        if let Some(x) = goto(&nodes, s, b) {
                            break x;
                        }
                        if s == 0 {
                            break 0;
                        }
                        s = nodes[s as usize].fail;
                    }
                };
                let (flo, fhi) = (nodes[fail as usize].lo, nodes[fail as usize].hi);
                let (lo, hi) = match own_at[v as usize] {
                    NONE => (flo, fhi),
                    at => {
                        let lo = matches.len() as u32;
                        let mut i = at as usize;
                        while i < finals.len() && finals[i].0 == v {
                            matches.push(finals[i].1);
                            i += 1;
                        }
                        matches.extend_from_within(flo as usize..fhi as usize);
                        (lo, matches.len() as u32)
                    }
                };
                let node = &mut nodes[v as usize];
                node.fail = fail;
                node.lo = lo;
                node.hi = hi;
                bfs.push(v);
            }
        }
        // Rows of the complete transition function of the dense states, filled in breadth-first order: a missing
        // transition is the failure state's, and a failure state is shallower, so its row (dense) or its own
        // transitions and failure chain (sparse) are known.
        let dense = |node: &Node| node.depth < DENSE_DEPTH || node.count as usize > DENSE_FANOUT;
        let mut rows: Vec<Option<Box<[u32; 256]>>> = (0..n).map(|_| None).collect();
        let delta = |rows: &[Option<Box<[u32; 256]>>], mut s: u32, b: u8| -> u32 {
            loop {
                if let Some(row) = &rows[s as usize] {
                    return row[b as usize];
                }
                if let Some(x) = goto(&nodes, s, b) {
                    return x;
                }
                s = nodes[s as usize].fail;
            }
        };
        for &u in &bfs {
            let node = &nodes[u as usize];
            if dense(node) {
                let mut row = Box::new([0u32; 256]);
                for b in 0..=255u8 {
                    row[b as usize] = match goto(&nodes, u, b) {
                        Some(x) => x,
                        None if u == 0 => 0,
                        None => delta(&rows, node.fail, b),
                    };
                }
                rows[u as usize] = Some(row);
            }
        }
        // Layout in creation order, which is depth-first: the states along one keyword sit one after another, so a
        // walk down a word reads neighbouring cache lines (breadth-first order measured about 30 % slower).
        let mut offset = vec![0u32; n];
        let mut len = 0usize;
        for (u, node) in nodes.iter().enumerate() {
            offset[u] = len as u32;
            let c = node.count as usize;
            let m = (node.hi - node.lo) as usize;
            len += 2 + if dense(node) { 256 } else { sparse_len(c) } + if m > 0 { 1 + m } else { 0 };
        }
        if len > OFFSET as usize {
            return Err(format!("the automaton's {len} words are too many"));
        }
        let id = |v: u32| {
            let node = &nodes[v as usize];
            offset[v as usize] | if node.hi > node.lo { MATCH } else { 0 } | if dense(node) { DENSE_ID } else { 0 }
        };
        let mut repr = Vec::with_capacity(len);
        for (u, node) in nodes.iter().enumerate() {
            let has = node.hi > node.lo;
            let (f, c) = (node.first as usize, node.count as usize);
            if let Some(row) = &rows[u] {
                repr.push(DENSE | if has { HAS_MATCHES } else { 0 });
                repr.push(0);
                repr.extend(row.iter().map(|&x| id(x)));
            } else if c == 1 {
                // One transition, the most common state: its key sits in the header.
                repr.push(1 | (keys[f] as u32) << 16 | if has { HAS_MATCHES } else { 0 });
                repr.push(id(node.fail) & !MATCH);
                repr.push(id(kids[f]));
            } else {
                repr.push(c as u32 | if has { HAS_MATCHES } else { 0 });
                repr.push(id(node.fail) & !MATCH);
                for chunk in keys[f..f + c].chunks(4) {
                    let last = chunk[chunk.len() - 1];
                    let mut w = 0u32;
                    for i in 0..4 {
                        w |= (*chunk.get(i).unwrap_or(&last) as u32) << (8 * i);
                    }
                    repr.push(w);
                }
                repr.extend(kids[f..f + c].iter().map(|&x| id(x)));
            }
            if has {
                repr.push(node.hi - node.lo);
                repr.extend_from_slice(&matches[node.lo as usize..node.hi as usize]);
            }
        }
        debug_assert_eq!(repr.len(), len);
        Ok(Nfa {
            repr: Cow::Owned(repr),
            lens: Cow::Owned(lens),
        })
    }

    /// The tables to search with.
    #[inline]
    pub(crate) fn search(&self) -> Search<'_> {
        Search {
            repr: &self.repr,
            lens: &self.lens,
        }
    }

    /// Number of patterns.
    pub(crate) fn patterns(&self) -> usize {
        self.lens.len()
    }

    /// Whether its tables are borrowed from stored bytes.
    #[cfg(test)]
    pub(crate) fn borrowed(&self) -> bool {
        matches!((&self.repr, &self.lens), (Cow::Borrowed(_), Cow::Borrowed(_)))
    }

    /// Appends the automaton to a snapshot (see [`Nfa::read`]).
    #[cfg(test)]
    pub(crate) fn write(&self, w: &mut Writer) {
        w.u32s(&self.repr);
        w.u32s(&self.lens);
    }

    /// Reads an automaton written by [`Nfa::write`], or `None` when the bytes are not a valid automaton: every
    /// state, transition, failure link and match is checked, so that a search over what this returns cannot go
    /// out of bounds or loop.
    #[cfg(test)]
    pub(crate) fn read(r: &mut Reader<'static>) -> Option<Nfa> {
        Nfa::read_with(r, Trust::Check)
    }

    /// [`Nfa::read`], but with [`Trust::Verified`] bytes taken as they are: the caller has checked them against a
    /// checksum of bytes that a checked build wrote (the stored snapshot), and the structural check would cost
    /// more than a third of `Detector::new()`.
    pub(crate) fn read_with(r: &mut Reader<'static>, trust: Trust) -> Option<Nfa> {
        let nfa = Nfa {
            repr: r.u32s_static()?,
            lens: r.u32s_static()?,
        };
        (trust == Trust::Verified || nfa.valid()).then_some(nfa)
    }

    /// Whether every id and range points where it should (see [`Nfa::read`]).
    fn valid(&self) -> bool {
        let r = &self.repr;
        let mut start = vec![false; r.len()];
        let mut s = 0;
        // First pass: where states begin; second: every reference lands on one.
        while s < r.len() {
            start[s] = true;
            let h = r[s];
            // Key bits only in a one-transition state's header.
            let key_bits = if h & DENSE == 0 && h & 0xFF == 1 { 0xFF << 16 } else { 0 };
            if h & !(DENSE | HAS_MATCHES | 0xFF | key_bits) != 0 {
                return false;
            }
            match state_len(r, s) {
                Some(len) => s += len,
                None => return false,
            }
        }
        if s != r.len() || r.is_empty() || r[0] & DENSE == 0 {
            return false;
        }
        let target = |x: u32| {
            let t = (x & OFFSET) as usize;
            t < r.len()
                && start[t]
                && ((x & MATCH != 0) == (r[t] & HAS_MATCHES != 0))
                && ((x & DENSE_ID != 0) == (r[t] & DENSE != 0))
        };
        let mut s = 0;
        while s < r.len() {
            let h = r[s];
            let mut at = s + 2;
            if h & DENSE != 0 {
                if !r[at..at + 256].iter().all(|&x| target(x)) {
                    return false;
                }
                at += 256;
            } else {
                let n = (h & 0xFF) as usize;
                // A failure link is a state id without the match bit (the target's matches are reported when a
                // transition reaches it, not when a failure passes through it).
                let fail = r[s + 1];
                let t = (fail & OFFSET) as usize;
                if fail & MATCH != 0 || t >= r.len() || !start[t] || (fail & DENSE_ID != 0) != (r[t] & DENSE != 0) {
                    return false;
                }
                // Padding lanes repeat the last key, so that a search never picks one. One key sits in the header.
                if n == 1 {
                    if !target(r[at]) {
                        return false;
                    }
                    at += 1;
                } else if n % 4 != 0 {
                    let w = r[at + n / 4];
                    let last = (w >> (8 * (n % 4 - 1))) & 0xFF;
                    if (n % 4..4).any(|i| (w >> (8 * i)) & 0xFF != last) {
                        return false;
                    }
                }
                if n != 1 {
                    at += n.div_ceil(4);
                    if !r[at..at + n].iter().all(|&x| target(x)) {
                        return false;
                    }
                    at += n;
                }
            }
            if h & HAS_MATCHES != 0 {
                let m = r[at] as usize;
                if m == 0
                    || !r
                        .get(at + 1..at + 1 + m)
                        .is_some_and(|p| p.iter().all(|&p| (p as usize) < self.lens.len()))
                {
                    return false;
                }
                at += 1 + m;
            }
            s = at;
        }
        self.failures_end()
    }

    /// Whether every failure chain reaches a dense state (so that `next` ends): each chain is walked once, and
    /// meeting a state of the walk in progress is a cycle.
    fn failures_end(&self) -> bool {
        const UNSEEN: u8 = 0;
        const WALKING: u8 = 1;
        const ENDS: u8 = 2;
        let r = &self.repr;
        let mut mark = vec![UNSEEN; r.len()];
        let mut walk = Vec::new();
        let mut s = 0;
        while s < r.len() {
            let mut t = s;
            loop {
                if r[t] & DENSE != 0 || mark[t] == ENDS {
                    break;
                }
                if mark[t] == WALKING {
                    return false;
                }
                mark[t] = WALKING;
                walk.push(t);
                t = (r[t + 1] & OFFSET) as usize;
            }
            for &w in &walk {
                mark[w] = ENDS;
            }
            walk.clear();
            s += state_len(r, s).unwrap_or(r.len());
        }
        true
    }
}

/// Number of words of a sparse state's transitions: the next ids, and the keys four to a word unless there is
/// only one (then in the header).
fn sparse_len(n: usize) -> usize {
    if n == 1 {
        1
    } else {
        n.div_ceil(4) + n
    }
}

/// Number of words of the state at `s` of `r`, as its header and match count say; `None` past the end.
fn state_len(r: &[u32], s: usize) -> Option<usize> {
    let h = *r.get(s)?;
    let body = if h & DENSE != 0 {
        256
    } else {
        sparse_len((h & 0xFF) as usize)
    };
    let matches = if h & HAS_MATCHES != 0 {
        1 + *r.get(s + 2 + body)? as usize
    } else {
        0
    };
    Some(2 + body + matches)
}

impl<'a> Search<'a> {
    /// The state after reading `b` in state `sid`; the result carries [`MATCH`] when that state reports matches.
    #[inline(always)]
    pub(crate) fn next(&self, mut sid: u32, b: u8) -> u32 {
        let r = self.repr;
        loop {
            let s = (sid & OFFSET) as usize;
            if sid & DENSE_ID != 0 {
                return r[s + 2 + b as usize];
            }
            let h = r[s];
            let n = (h & 0xFF) as usize;
            if n == 1 {
                if (h >> 16) as u8 == b {
                    return r[s + 2];
                }
            } else {
                // Four keys a word, compared one by one (a zero-byte trick over the word measured slower here, as
                // it did in `aho-corasick`). The last word is padded with its last key, found first at its place.
                let words = n.div_ceil(4);
                let nexts = s + 2 + words;
                for (w, &chunk) in r[s + 2..s + 2 + words].iter().enumerate() {
                    let k = chunk.to_le_bytes();
                    if k[0] == b {
                        return r[nexts + w * 4];
                    }
                    if k[1] == b {
                        return r[nexts + w * 4 + 1];
                    }
                    if k[2] == b {
                        return r[nexts + w * 4 + 2];
                    }
                    if k[3] == b {
                        return r[nexts + w * 4 + 3];
                    }
                }
            }
            sid = r[s + 1];
        }
    }

    /// The patterns that end where the search reached state `sid`.
    #[inline]
    pub(crate) fn matches(&self, sid: u32) -> &'a [u32] {
        let s = (sid & OFFSET) as usize;
        let h = self.repr[s];
        if h & HAS_MATCHES == 0 {
            return &[];
        }
        let at = s
            + 2
            + if h & DENSE != 0 {
                256
            } else {
                sparse_len((h & 0xFF) as usize)
            };
        let m = self.repr[at] as usize;
        let repr = self.repr;
        &repr[at + 1..at + 1 + m]
    }

    /// The length in bytes of pattern `pid`.
    #[inline]
    pub(crate) fn pattern_len(&self, pid: u32) -> usize {
        self.lens[pid as usize] as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::nfa::contiguous::NFA;
    use aho_corasick::{Anchored, Input};
    use proptest::prelude::*;

    /// Every (pattern, end) an overlapping search reports, in order.
    fn ours(nfa: &Nfa, text: &[u8]) -> Vec<(u32, usize)> {
        let nfa = nfa.search();
        let mut out = Vec::new();
        let mut sid = START;
        for (at, &b) in text.iter().enumerate() {
            sid = nfa.next(sid, b);
            if sid & MATCH != 0 {
                sid &= !MATCH;
                out.extend(nfa.matches(sid).iter().map(|&p| (p, at + 1)));
            }
        }
        out
    }

    /// The same from the `aho-corasick` crate, the reference.
    fn reference(patterns: &[Vec<u8>], text: &[u8]) -> Vec<(u32, usize)> {
        use aho_corasick::automaton::{Automaton, OverlappingState};
        let nfa = NFA::new(patterns).unwrap();
        let mut state = OverlappingState::start();
        let mut out = Vec::new();
        let input = Input::new(text).anchored(Anchored::No);
        loop {
            nfa.try_find_overlapping(&input, &mut state).unwrap();
            match state.get_match() {
                Some(m) => out.push((m.pattern().as_u32(), m.end())),
                None => break,
            }
        }
        out
    }

    #[test]
    fn agrees_with_aho_corasick_on_a_table() {
        let table: &[(&[&str], &str)] = &[
            (&["he", "she", "his", "hers"], "ushers his shell"),
            (&["a", "aa", "aaa"], "aaaa"),
            (&["微信", "微信号", "信号", "号"], "加我微信号码"),
            (&["ab", "ab", "b"], "abab"),
            (&["wire", "wireless", "less"], "wireless wire"),
            (&["\u{0}", "\u{ff}x"], "\u{0}\u{ff}x"),
        ];
        for (patterns, text) in table {
            let p: Vec<Vec<u8>> = patterns.iter().map(|p| p.as_bytes().to_vec()).collect();
            let nfa = Nfa::new(&p).unwrap();
            assert_eq!(
                ours(&nfa, text.as_bytes()),
                reference(&p, text.as_bytes()),
                "{patterns:?} in {text:?}"
            );
        }
    }

    #[test]
    fn an_empty_pattern_is_an_error() {
        assert!(Nfa::new(&["a", ""]).is_err());
    }

    #[test]
    fn wide_states_are_dense_and_still_agree() {
        // Every byte after `x`: the `x` state fans out past the sparse limit.
        let p: Vec<Vec<u8>> = (0..=255u8)
            .map(|b| vec![b'y', b'x', b])
            .chain([b"xq".to_vec()])
            .collect();
        let nfa = Nfa::new(&p).unwrap();
        let text: Vec<u8> = (0..=255u8).flat_map(|b| [b'y', b'x', b, b'x', b'q']).collect();
        assert_eq!(ours(&nfa, &text), reference(&p, &text));
    }

    #[test]
    fn written_and_read_back_it_is_the_same() {
        let nfa = Nfa::new(&["pay", "paypal", "微信", "信"]).unwrap();
        let mut w = Writer(Vec::new());
        nfa.write(&mut w);
        let mut bytes = w.0;
        bytes.extend_from_slice(b"rest");
        // Readers of stored bytes borrow them for the whole program.
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let mut r = Reader::new(bytes);
        let back = Nfa::read(&mut r).unwrap();
        assert_eq!(back, nfa);
        assert_eq!(r.rest(), b"rest");
        // Cut anywhere, it is no automaton.
        for cut in 0..bytes.len() - 4 {
            assert!(Nfa::read(&mut Reader::new(&bytes[..cut])).is_none(), "cut at {cut}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn agrees_with_aho_corasick(
            patterns in prop::collection::vec(prop::collection::vec(prop::sample::select(vec![b'a', b'b', b'c', 0xE4, 0xBF, 0x80]), 1..6), 1..40),
            text in prop::collection::vec(prop::sample::select(vec![b'a', b'b', b'c', b' ', 0xE4, 0xBF, 0x80]), 0..200),
        ) {
            let nfa = Nfa::new(&patterns).unwrap();
            prop_assert_eq!(ours(&nfa, &text), reference(&patterns, &text));
        }

        #[test]
        fn corrupt_bytes_are_refused_or_safe(
            flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
            text in prop::collection::vec(any::<u8>(), 0..100),
        ) {
            let nfa = Nfa::new(&["pay", "paypal", "微信", "信", "abcdefghijklmnopqrstuvwxyz0123"]).unwrap();
            let mut w = Writer(Vec::new());
            nfa.write(&mut w);
            let mut bytes = w.0;
            for (i, b) in flips {
                let at = i.index(bytes.len());
                bytes[at] = b;
            }
            // Whatever is read back searches without a panic or an endless loop.
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            if let Some(back) = Nfa::read(&mut Reader::new(bytes)) {
                let _ = ours(&back, &text);
            }
        }
    }
}
