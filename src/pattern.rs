//! Patterns over concept hits: the `pattern` of a composed rule, where `{name}` stands for any term of lexicon
//! `name` that the keyword automaton found at that position.
//!
//! Expanding each `{name}` into the regex alternation of its terms (hundreds of them) made the built-in patterns
//! about 145 KB of regex, whose compilation was most of `Detector::new()`, and whose lazy DFA states were built
//! again at scan time. The automaton has already found every term, so here `{name}` is one NFA transition that
//! jumps over a hit of that concept, and the rest of the pattern (a few hundred bytes) is compiled by this module:
//! the pattern is parsed by `regex-syntax` (so its syntax, flags, classes and errors are the regex crate's),
//! compiled to a small Thompson NFA over bytes and Unicode classes, and run by a bounded backtracker that gives
//! leftmost-first matches like the regex crate, each `(state, position)` visited at most once, so a search is
//! linear in pattern size times scope length and cannot blow up.
//!
//! Where two terms of one concept start at the same place, the longer is tried first (an alternation would try
//! them in list order). The differential test below checks this against the regex crate on the expanded pattern.

use regex_automata::util::look::LookMatcher;
use regex_syntax::hir::{Class, Hir, HirKind};

use crate::error::RuleErrorKind;
use crate::hits::ConceptHits;

/// The most NFA states one pattern may compile to (bounded repetitions are unrolled).
const MAX_STATES: usize = 100_000;
/// The capture name a `{name}` reference becomes before parsing; its index follows.
const MARKER: &str = "__redflag_concept_";

#[derive(Clone, Debug)]
enum State {
    /// A literal byte string.
    Bytes {
        lit: Box<[u8]>,
        next: usize,
    },
    /// One byte in these (ASCII) ranges.
    ByteClass {
        ranges: Box<[(u8, u8)]>,
        next: usize,
    },
    /// One character in these ranges.
    CharClass {
        ranges: Box<[(char, char)]>,
        next: usize,
    },
    Look {
        look: regex_automata::util::look::Look,
        next: usize,
    },
    /// Any hit of this concept that starts here; the pattern goes on at its end.
    Concept {
        id: u32,
        next: usize,
    },
    /// Alternatives, the preferred first.
    Split {
        alts: Vec<usize>,
    },
    Match,
}

/// A compiled pattern over text and concept hits. Immutable; searching needs a [`PatternScratch`].
#[derive(Clone, Debug)]
pub(crate) struct HitPattern {
    states: Vec<State>,
    start: usize,
    /// Which first bytes and which concepts a match can begin with; `None` when any position may begin one.
    first: Option<First>,
    looks: LookMatcher,
    /// Concepts that every match contains a hit of: when one of them does not occur in a message, the pattern
    /// cannot match there, and the rule is not evaluated at all.
    required: Vec<u32>,
}

#[derive(Clone, Debug)]
struct First {
    bytes: Box<[bool; 256]>,
    /// Whether any byte is in `bytes`.
    any_byte: bool,
    concepts: Vec<u32>,
}

/// Reusable buffers of a search: the backtracking stack and the visited set.
#[derive(Debug, Default)]
pub(crate) struct PatternScratch {
    stack: Vec<(usize, usize)>,
    visited: Vec<u64>,
    /// Used instead of the bitset when states × scope length would be large (a message-wide scope of a long text).
    visited_sparse: rustc_hash::FxHashSet<(usize, usize)>,
    /// Where a hit of a concept the pattern can begin with starts, sorted.
    starts: Vec<usize>,
}

/// Bitsets up to this many bits (128 KB); beyond, a hash set of what was actually visited.
const DENSE_VISITED_BITS: usize = 1 << 20;

impl HitPattern {
    /// Compiles `pattern`, with each `{name}` resolved by `concept` to a concept id. Fails with the regex crate's
    /// message on bad syntax, or when the pattern is too large.
    pub(crate) fn new(
        pattern: &str,
        mut concept: impl FnMut(&str) -> Option<u32>,
    ) -> Result<HitPattern, RuleErrorKind> {
        // `{name}` → a named group, which the parser keeps as a capture node that names the concept.
        // `moved` maps offsets in `src` back to the pattern as written, for error messages.
        let mut src = String::with_capacity(pattern.len());
        let mut ids = Vec::new();
        let mut moved = vec![(0, 0)];
        let mut written = 0;
        for (text, name) in crate::lexicon::split_references(pattern) {
            src.push_str(text);
            written += text.len();
            if let Some(name) = name {
                let id = concept(name).ok_or_else(|| RuleErrorKind::UnknownLexicon { name: name.to_string() })?;
                // Not empty: the parser clamps a repetition of what can only match empty to at most one copy, so
                // `(?:{a}|{b}){1,2}` would lose its second copy. What the group holds is never matched.
                src.push_str(&format!("(?P<{MARKER}{}>\\x{{10FFFF}})", ids.len()));
                ids.push(id);
                written += name.len() + 2;
                moved.push((src.len(), written));
            }
        }
        let hir = regex_syntax::ParserBuilder::new().build().parse(&src).map_err(|e| {
            let (kind, at) = match &e {
                regex_syntax::Error::Parse(e) => (e.kind().to_string(), Some(e.span().start.offset)),
                regex_syntax::Error::Translate(e) => (e.kind().to_string(), Some(e.span().start.offset)),
                other => (other.to_string(), None),
            };
            let message = match at {
                Some(at) => {
                    let seg = moved.partition_point(|&(s, _)| s <= at).saturating_sub(1);
                    let at = (moved[seg].1 + (at - moved[seg].0)).min(pattern.len());
                    let at = (0..=at).rev().find(|&i| pattern.is_char_boundary(i)).unwrap_or(0);
                    let near: String = pattern[at..].chars().take(24).collect();
                    format!("{kind}, at byte {at} of the pattern: `{near}`")
                }
                None => kind,
            };
            RuleErrorKind::InvalidPattern { message }
        })?;
        let mut c = Compiler {
            states: vec![State::Match],
            ids: &ids,
        };
        let start = c.compile(&hir, 0)?;
        let mut required = required_concepts(&hir, &ids);
        required.sort_unstable();
        required.dedup();
        let mut p = HitPattern {
            states: c.states,
            start,
            first: None,
            looks: LookMatcher::new(),
            required,
        };
        p.first = p.first_set();
        Ok(p)
    }

    /// Concepts a hit of which every match contains, sorted.
    pub(crate) fn required(&self) -> &[u32] {
        &self.required
    }

    /// The first bytes and concepts of every way the pattern can begin, if each way begins with one of them.
    fn first_set(&self) -> Option<First> {
        let mut first = First {
            bytes: Box::new([false; 256]),
            any_byte: false,
            concepts: Vec::new(),
        };
        let mut seen = vec![false; self.states.len()];
        let mut todo = vec![self.start];
        while let Some(s) = todo.pop() {
            if std::mem::replace(&mut seen[s], true) {
                continue;
            }
            match &self.states[s] {
                State::Bytes { lit, .. } => first.bytes[lit[0] as usize] = true,
                State::ByteClass { ranges, .. } => {
                    for &(a, b) in ranges.iter() {
                        first.bytes[a as usize..=b as usize].fill(true);
                    }
                }
                State::CharClass { ranges, .. } => {
                    // The first byte of a character's UTF-8 encoding grows with the character, so the lead bytes
                    // from the range's first character to its last cover the range (and perhaps bytes that no
                    // character of it starts with, which only costs a failed attempt there).
                    let lead = |c: char| {
                        let mut buf = [0u8; 4];
                        c.encode_utf8(&mut buf);
                        buf[0] as usize
                    };
                    for &(a, b) in ranges.iter() {
                        first.bytes[lead(a)..=lead(b)].fill(true);
                    }
                }
                State::Concept { id, .. } => first.concepts.push(*id),
                State::Split { alts } => todo.extend(alts),
                // A look-around is transparent for what comes first.
                State::Look { next, .. } => todo.push(*next),
                State::Match => return None,
            }
        }
        first.concepts.sort_unstable();
        first.concepts.dedup();
        first.any_byte = first.bytes.iter().any(|&b| b);
        Some(first)
    }

    /// The leftmost-first match in `text[lo..hi]`, looking around as if the text ended at `hi` (the regex crate's
    /// `find_at(&text[..hi], lo)`).
    pub(crate) fn find_at(
        &self,
        text: &str,
        lo: usize,
        hi: usize,
        hits: &ConceptHits,
        scratch: &mut PatternScratch,
    ) -> Option<std::ops::Range<usize>> {
        let hay = &text.as_bytes()[..hi];
        let width = hi - lo + 1;
        let dense = self.states.len().saturating_mul(width) <= DENSE_VISITED_BITS;
        if dense {
            scratch.visited.clear();
            scratch.visited.resize((self.states.len() * width).div_ceil(64), 0);
        } else {
            scratch.visited_sparse.clear();
        }
        let Some(f) = &self.first else {
            // Any position may begin a match.
            return (lo..=hi)
                .filter(|&at| text.is_char_boundary(at))
                .find_map(|at| self.run(text, at, lo, hi, hits, scratch, dense).map(|end| at..end));
        };
        // Only where a first concept's hit starts or a first byte is: the starts are gathered once and walked
        // beside the positions, not looked up per position.
        let mut starts = std::mem::take(&mut scratch.starts);
        starts.clear();
        for &c in &f.concepts {
            starts.extend(hits.of_in(c, lo, hi + 1).iter().map(|h| h.start as usize));
        }
        starts.sort_unstable();
        starts.dedup();
        let mut found = None;
        if f.any_byte {
            let mut next = 0;
            for at in lo..=hi {
                while next < starts.len() && starts[next] < at {
                    next += 1;
                }
                let candidate = starts.get(next) == Some(&at) || hay.get(at).is_some_and(|&b| f.bytes[b as usize]);
                if candidate && text.is_char_boundary(at) {
                    if let Some(end) = self.run(text, at, lo, hi, hits, scratch, dense) {
                        found = Some(at..end);
                        break;
                    }
                }
            }
        } else {
            for &at in &starts {
                if let Some(end) = self.run(text, at, lo, hi, hits, scratch, dense) {
                    found = Some(at..end);
                    break;
                }
            }
        }
        scratch.starts = starts;
        found
    }

    #[allow(clippy::too_many_arguments)] // the search's fixed inputs, passed down once
    fn run(
        &self,
        text: &str,
        at: usize,
        lo: usize,
        hi: usize,
        hits: &ConceptHits,
        scratch: &mut PatternScratch,
        dense: bool,
    ) -> Option<usize> {
        let hay = &text.as_bytes()[..hi];
        let width = hi - lo + 1;
        scratch.stack.clear();
        scratch.stack.push((self.start, at));
        while let Some((s, p)) = scratch.stack.pop() {
            let first_visit = if dense {
                let bit = s * width + (p - lo);
                let (w, m) = (bit / 64, 1u64 << (bit % 64));
                let new = scratch.visited[w] & m == 0;
                scratch.visited[w] |= m;
                new
            } else {
                scratch.visited_sparse.insert((s, p))
            };
            if !first_visit {
                continue;
            }
            match &self.states[s] {
                State::Match => return Some(p),
                State::Bytes { lit, next } => {
                    // The first byte decides most attempts, without a call into `memcmp`.
                    let first_ok = lit.first().map_or(true, |f| hay.get(p) == Some(f));
                    if first_ok && hay[p..].starts_with(lit) {
                        scratch.stack.push((*next, p + lit.len()));
                    }
                }
                State::ByteClass { ranges, next } => {
                    if let Some(&b) = hay.get(p) {
                        if ranges.iter().any(|&(x, y)| x <= b && b <= y) {
                            scratch.stack.push((*next, p + 1));
                        }
                    }
                }
                State::CharClass { ranges, next } => {
                    if let Some(ch) = text[p..hi].chars().next() {
                        let i = ranges.partition_point(|&(_, y)| y < ch);
                        if ranges.get(i).is_some_and(|&(x, _)| x <= ch) {
                            scratch.stack.push((*next, p + ch.len_utf8()));
                        }
                    }
                }
                State::Look { look, next } => {
                    if self.looks.matches(*look, hay, p) {
                        scratch.stack.push((*next, p));
                    }
                }
                State::Concept { id, next } => {
                    // Sorted by end: the longest hit is pushed last, so tried first.
                    for h in hits.of_in(*id, p, p + 1) {
                        if (h.end as usize) <= hi {
                            scratch.stack.push((*next, h.end as usize));
                        }
                    }
                }
                State::Split { alts } => {
                    for &a in alts.iter().rev() {
                        scratch.stack.push((a, p));
                    }
                }
            }
        }
        None
    }

    /// Every concept the pattern refers to, required or not, sorted.
    pub(crate) fn concepts(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = self
            .states
            .iter()
            .filter_map(|s| match s {
                State::Concept { id, .. } => Some(*id),
                _ => None,
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// The concepts of `{name}` references on every path through `hir` (a sound under-approximation: a concatenation
/// needs what each part needs, an alternation what every branch needs, a repetition what its body needs only when
/// it repeats at least once).
fn required_concepts(hir: &Hir, ids: &[u32]) -> Vec<u32> {
    match hir.kind() {
        HirKind::Capture(cap) => match cap.name.as_deref().and_then(|n| n.strip_prefix(MARKER)) {
            Some(index) => index
                .parse::<usize>()
                .ok()
                .and_then(|i| ids.get(i))
                .map(|&id| vec![id])
                .unwrap_or_default(),
            None => required_concepts(&cap.sub, ids),
        },
        HirKind::Concat(parts) => parts.iter().flat_map(|p| required_concepts(p, ids)).collect(),
        HirKind::Alternation(alts) => {
            let mut alts = alts.iter();
            let mut common = alts.next().map(|a| required_concepts(a, ids)).unwrap_or_default();
            for alt in alts {
                let other = required_concepts(alt, ids);
                common.retain(|c| other.contains(c));
            }
            common
        }
        HirKind::Repetition(rep) if rep.min >= 1 => required_concepts(&rep.sub, ids),
        _ => Vec::new(),
    }
}

struct Compiler<'a> {
    states: Vec<State>,
    /// Concept id of each marker group, by its index.
    ids: &'a [u32],
}

impl Compiler<'_> {
    fn push(&mut self, s: State) -> Result<usize, RuleErrorKind> {
        if self.states.len() >= MAX_STATES {
            return Err(RuleErrorKind::PatternTooLarge { limit: MAX_STATES });
        }
        self.states.push(s);
        Ok(self.states.len() - 1)
    }

    /// Compiles `hir` so that it continues at state `next`; returns its entry state. Built back to front.
    fn compile(&mut self, hir: &Hir, next: usize) -> Result<usize, RuleErrorKind> {
        match hir.kind() {
            HirKind::Empty => Ok(next),
            HirKind::Literal(lit) => self.push(State::Bytes {
                lit: lit.0.clone(),
                next,
            }),
            HirKind::Class(Class::Unicode(c)) => {
                let ranges: Box<[(char, char)]> = c.ranges().iter().map(|r| (r.start(), r.end())).collect();
                self.push(State::CharClass { ranges, next })
            }
            HirKind::Class(Class::Bytes(c)) => {
                let ranges: Box<[(u8, u8)]> = c.ranges().iter().map(|r| (r.start(), r.end())).collect();
                self.push(State::ByteClass { ranges, next })
            }
            HirKind::Look(look) => {
                // The two crates' `Look` share their bit representation (regex-automata converts the same way).
                let look = regex_automata::util::look::Look::from_repr(look.as_repr()).ok_or_else(|| {
                    RuleErrorKind::InvalidPattern {
                        message: format!("unsupported look-around {look:?}"),
                    }
                })?;
                self.push(State::Look { look, next })
            }
            HirKind::Capture(cap) => match cap.name.as_deref().and_then(|n| n.strip_prefix(MARKER)) {
                Some(index) => {
                    let id = index.parse::<usize>().ok().and_then(|i| self.ids.get(i)).copied();
                    match id {
                        Some(id) => self.push(State::Concept { id, next }),
                        None => Err(RuleErrorKind::InvalidPattern {
                            message: format!("the group name {MARKER}{index} is reserved"),
                        }),
                    }
                }
                None => self.compile(&cap.sub, next),
            },
            HirKind::Concat(parts) => {
                let mut at = next;
                for part in parts.iter().rev() {
                    at = self.compile(part, at)?;
                }
                Ok(at)
            }
            HirKind::Alternation(alts) => {
                let mut entries = Vec::with_capacity(alts.len());
                for alt in alts {
                    entries.push(self.compile(alt, next)?);
                }
                self.push(State::Split { alts: entries })
            }
            HirKind::Repetition(rep) => {
                let order = |more: usize, done: usize| if rep.greedy { vec![more, done] } else { vec![done, more] };
                let mut at = next;
                match rep.max {
                    None => {
                        // A loop: the split is made first so that the body can continue into it.
                        let split = self.push(State::Split { alts: Vec::new() })?;
                        let body = self.compile(&rep.sub, split)?;
                        self.states[split] = State::Split {
                            alts: order(body, next),
                        };
                        at = split;
                    }
                    Some(max) => {
                        // `x{0,3}` is `(x(x(x)?)?)?`: after each copy, another or done.
                        for _ in rep.min..max {
                            let body = self.compile(&rep.sub, at)?;
                            at = self.push(State::Split {
                                alts: order(body, next),
                            })?;
                        }
                    }
                }
                for _ in 0..rep.min {
                    at = self.compile(&rep.sub, at)?;
                }
                Ok(at)
            }
        }
    }
}

/// Rewrites `\b`, `\w` and `\W` to their ASCII forms. In the folded view Latin letters are ASCII, and a
/// Han character next to a Latin word is a boundary for it (`加我wechat`), which is what the ASCII forms say;
/// they also keep patterns on the regex crate's lazy DFA, which Unicode word boundaries force off it.
pub(crate) fn ascii_word_classes(p: &str) -> String {
    // Bytewise: every byte this looks at is ASCII, so a UTF-8 sequence is copied through untouched, and runs
    // without a backslash or bracket are copied in one step (the built-in patterns are 160 KB, read per build).
    let b = p.as_bytes();
    let mut out = String::with_capacity(p.len() + 16);
    let mut depth = 0usize; // inside `[...]`
    let mut copied = 0; // `p[..copied]` is written out
    let mut i = 0;
    while i < b.len() {
        let rewrite: Option<&str> = match b[i] {
            b'\\' => match b.get(i + 1) {
                // `\B` and `\W` keep their Unicode form: their ASCII forms could match inside a UTF-8 sequence.
                Some(b'b') if depth == 0 => Some("(?-u:\\b)"),
                Some(b'w') if depth == 0 => Some("(?-u:\\w)"),
                Some(b'W') if depth == 0 => Some("[^0-9A-Za-z_]"),
                Some(b'w') => Some("0-9A-Za-z_"),
                Some(_) => {
                    // Any other escape stays as written, its escaped character included.
                    i += 2;
                    continue;
                }
                None => None,
            },
            b'[' => {
                depth += 1;
                i += 1;
                // A `]` right after `[` or `[^` is a literal.
                if b.get(i) == Some(&b'^') {
                    i += 1;
                }
                if b.get(i) == Some(&b']') {
                    i += 1;
                }
                continue;
            }
            b']' if depth > 0 => {
                depth -= 1;
                None
            }
            _ => None,
        };
        match rewrite {
            Some(r) => {
                out.push_str(&p[copied..i]);
                out.push_str(r);
                i += 2;
                copied = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&p[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hits::ConceptHit;
    use crate::lexicon::{Concept, Term};
    use crate::rules::Ruleset;
    use proptest::prelude::*;
    use regex::Regex;
    use std::collections::HashMap;

    /// Concepts for the tests: (name, terms). No term of a concept is a prefix of another, so that at most one
    /// term of a concept starts at a place and the regex alternation and the hit transition must agree exactly.
    const CONCEPTS: &[(&str, &[&str])] = &[
        ("person", &["boss", "wife", "sales manager", "老板", "老婆", "会计"]),
        ("account", &["account", "acct", "bank card", "账户", "卡号"]),
        ("pay", &["pay", "wire", "transfer*", "付款", "转账"]),
        ("private", &["personal", "private", "个人", "私人"]),
    ];

    fn concepts() -> (Vec<Concept>, HashMap<String, u32>) {
        let list = CONCEPTS
            .iter()
            .map(|(_, terms)| Concept {
                terms: terms
                    .iter()
                    .map(|t| Term {
                        folded: t.trim_end_matches('*').to_string(),
                        open_start: false,
                        open_end: t.ends_with('*'),
                        inflect: false,
                    })
                    .collect(),
                exclude: Vec::new(),
            })
            .collect();
        let ids = CONCEPTS
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (n.to_string(), i as u32))
            .collect();
        (list, ids)
    }

    /// The hits the keyword automaton reports for the test concepts.
    fn hits_of(text: &str, concepts: &[Concept]) -> ConceptHits {
        let entries = concepts.iter().enumerate().flat_map(|(c, concept)| {
            concept.terms.iter().map(move |t| {
                let open = if t.open_end { crate::automaton::OPEN_END } else { 0 };
                (t.folded.clone(), c as u32, open)
            })
        });
        let kw = crate::automaton::Keywords::build(entries, []).unwrap();
        let mut raw = Vec::new();
        kw.hits(text, &mut raw, &mut Vec::new());
        let mut h = ConceptHits::default();
        h.hits = raw
            .iter()
            .map(|x| ConceptHit {
                concept: x.rule,
                start: x.start,
                end: x.end,
            })
            .collect();
        h.finish(&[]);
        h
    }

    fn compile(p: &str) -> HitPattern {
        let (_, ids) = concepts();
        HitPattern::new(p, |n| ids.get(n).copied()).unwrap()
    }

    fn find(p: &HitPattern, text: &str) -> Option<String> {
        let (c, _) = concepts();
        let h = hits_of(text, &c);
        p.find_at(text, 0, text.len(), &h, &mut PatternScratch::default())
            .map(|m| text[m].to_string())
    }

    /// Patterns in the shape of the built-in ones: concepts in groups and alternations, bounded and lazy
    /// repetitions, word boundaries, Unicode classes, anchors.
    const PATTERNS: &[&str] = &[
        r"{person}(?:'s|s')?\s*(?:(?:personal|private|own|bank|[a-z]+'s)\s+){0,3}{account}",
        r"{person}(?:\p{Han}{1,2})?的\s*(?:个人|私人)?\s*(?:\p{Han}{0,2}|[a-z]+\s*)?{account}",
        r"{private}\s*(?:[a-z0-9&.-]+\s+){0,3}?{account}|{account}\s+(?:is|are)\s+(?:a\s+|my\s+)?{private}",
        r"(?:pay|paid|transfer\w*|wire)\s+(?:it\s+)?(?:to|into)\s+(?:my|our)\s+(?:[a-z]+\s+){0,2}?{account}",
        r"{pay}[^.!?。！？\n]{0,25}?{person}",
        r"\b(?:to|into)\b\s+{person}|^{pay}",
        r"{account}$|{person}\s*{person}",
        r"(?i)PAY\s+{person}*\s*{account}+",
        r"(?:{pay}|{private}){1,2}\s*(?:the\s+)?{account}",
    ];

    #[test]
    fn table_of_matches() {
        let table: &[(&str, &str, Option<&str>)] = &[
            (
                PATTERNS[0],
                "pay to my boss's personal account now",
                Some("boss's personal account"),
            ),
            (PATTERNS[0], "pay to my bossy account", None),
            (PATTERNS[1], "转到我们老板的个人账户", Some("老板的个人账户")),
            (
                PATTERNS[2],
                "the account is my private one",
                Some("account is my private"),
            ),
            (PATTERNS[2], "use a private bank card", Some("private bank card")),
            (
                PATTERNS[3],
                "please wire it to our hk company account",
                Some("wire it to our hk company account"),
            ),
            (
                PATTERNS[4],
                "transferred the deposit to the boss",
                Some("transferred the deposit to the boss"),
            ),
            (PATTERNS[4], "pay. then ask the boss", None),
            (PATTERNS[5], "wire first", Some("wire")),
            (PATTERNS[5], "then wire", None),
            (PATTERNS[6], "send to the account", Some("account")),
            (PATTERNS[6], "wife boss", Some("wife boss")),
        ];
        for &(p, text, want) in table {
            assert_eq!(find(&compile(p), text).as_deref(), want, "{p} on {text:?}");
        }
    }

    #[test]
    fn a_repeated_group_of_concepts_keeps_every_copy() {
        // Found by the differential test: a repetition of `{name}`s must not be clamped to one copy.
        let p = compile(r"(?:{pay}|{private}){1,2}\s*(?:the\s+)?{account}");
        assert_eq!(find(&p, "sales manager付款pay账户").as_deref(), Some("付款pay账户"));
        assert_eq!(find(&compile(r"{pay}{2}"), "pay wire").as_deref(), None);
        assert_eq!(
            find(&compile(r"(?:{pay}\s*){2}"), "pay wire").as_deref(),
            Some("pay wire")
        );
    }

    #[test]
    fn the_longer_of_two_terms_at_one_place_is_tried_first() {
        // `bank` and `bank card` both start at the same place: the pattern goes on after the longer.
        let (_, ids) = concepts();
        let p = HitPattern::new(r"{account}\s+now", |n| ids.get(n).copied()).unwrap();
        let text = "bank card now";
        let mut h = ConceptHits::default();
        h.hits = vec![
            ConceptHit {
                concept: 1,
                start: 0,
                end: 4,
            },
            ConceptHit {
                concept: 1,
                start: 0,
                end: 9,
            },
        ];
        h.finish(&[]);
        let m = p.find_at(text, 0, text.len(), &h, &mut PatternScratch::default());
        assert_eq!(m, Some(0..13));
    }

    #[test]
    fn scope_limits_are_the_regex_crates_find_at() {
        // Looking behind `lo` is allowed (the `\b` before `boss` sees the space), and the text ends at `hi`.
        let p = compile(r"\b{person}$");
        let text = "to the boss and more";
        let (c, _) = concepts();
        let h = hits_of(text, &c);
        let hi = text.find(" and").unwrap();
        let m = p.find_at(text, 3, hi, &h, &mut PatternScratch::default());
        assert_eq!(m.map(|m| &text[m]), Some("boss"));
        assert_eq!(p.find_at(text, 3, text.len(), &h, &mut PatternScratch::default()), None);
    }

    #[test]
    fn errors_are_the_regex_crates_and_sizes_are_bounded() {
        let (_, ids) = concepts();
        // The parser's words, placed in the pattern as written (not as rewritten with marker groups).
        let err = HitPattern::new(r"{pay}\s+(unclosed", |n| ids.get(n).copied()).unwrap_err();
        match err {
            RuleErrorKind::InvalidPattern { message } => {
                assert_eq!(message, "unclosed group, at byte 8 of the pattern: `(unclosed`")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            HitPattern::new(r"{nope}", |n| ids.get(n).copied()),
            Err(RuleErrorKind::UnknownLexicon { .. })
        ));
        assert!(matches!(
            HitPattern::new(r"(?:{pay}\s{0,1000}){0,1000}", |n| ids.get(n).copied()),
            Err(RuleErrorKind::PatternTooLarge { .. })
        ));
        // A user's group with the marker's name cannot smuggle in a concept.
        assert!(HitPattern::new(r"(?P<__redflag_concept_7>x)", |n| ids.get(n).copied()).is_err());
        assert_eq!(compile("{pay}{account}").concepts(), vec![1, 2]);
    }

    #[test]
    fn a_long_scope_and_an_empty_loop_stay_bounded() {
        // A pattern that can loop on the empty string, and a scope larger than the dense visited set.
        let p = compile(r"(?:\s*)*{pay}(?:[^.]*?){0,5}{account}");
        let text = format!("{}pay the account", "wire ".repeat(50_000));
        assert_eq!(find(&p, &text).map(|m| m.len()), Some(250_015));
        assert_eq!(find(&p, "no such words here"), None);
    }

    fn token() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "boss",
            "bossy",
            "wife",
            "sales manager",
            "老板",
            "老婆",
            "会计",
            "account",
            "acct",
            "bank card",
            "bank",
            "账户",
            "卡号",
            "pay",
            "paid",
            "wire",
            "transfer",
            "transferred",
            "付款",
            "转账",
            "personal",
            "private",
            "个人",
            "私人",
            "'s",
            "s'",
            "to",
            "into",
            "my",
            "our",
            "it",
            "the",
            "is",
            "a",
            "的",
            "我们",
            "hk",
            ".",
            "。",
            "!",
            "\n",
            "x",
            "7",
        ])
    }

    fn separator() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["", " ", " ", " ", "  ", ", "])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// The concept transitions mean what expanding `{name}` into its terms meant, on every pattern above.
        #[test]
        fn agrees_with_the_regex_crate_on_the_expanded_pattern(
            parts in prop::collection::vec((token(), separator()), 0..14),
            which in 0..PATTERNS.len(),
            lo_frac in 0.0f64..1.0,
        ) {
            let text: String = parts.iter().flat_map(|(t, s)| [*t, *s]).collect();
            let (c, ids) = concepts();
            let src = ascii_word_classes(PATTERNS[which]);
            let reference = regex::Regex::new(&crate::lexicon::expand(&src, &c, &ids)).unwrap();
            let ours = HitPattern::new(&src, |n| ids.get(n).copied()).unwrap();
            let h = hits_of(&text, &c);
            // Any char boundary as the scope's start, the text's end as its end.
            let mut lo = (text.len() as f64 * lo_frac) as usize;
            while !text.is_char_boundary(lo) {
                lo -= 1;
            }
            let want = reference.find_at(&text, lo).map(|m| m.range());
            let got = ours.find_at(&text, lo, text.len(), &h, &mut PatternScratch::default());
            prop_assert_eq!(got, want, "{:?} on {:?} from {}", PATTERNS[which], text, lo);
        }
    }

    #[test]
    fn word_classes_become_ascii() {
        let table = [
            (r"\bpay\b", r"(?-u:\b)pay(?-u:\b)"),
            (r"[\w.-]+", r"[0-9A-Za-z_.-]+"),
            (r"\w+\W", r"(?-u:\w)+[^0-9A-Za-z_]"),
            (r"\Bx", r"\Bx"),
            (r"\\b", r"\\b"),
            (r"[\]\w]", r"[\]0-9A-Za-z_]"),
            (r"(?-u:\b)x", r"(?-u:(?-u:\b))x"),
            (r"\d\s\p{Han}", r"\d\s\p{Han}"),
        ];
        for (src, want) in table {
            assert_eq!(ascii_word_classes(src), want, "{src}");
            assert!(Regex::new(&ascii_word_classes(src)).is_ok(), "{src}");
        }
        // A Han neighbour is a boundary for a Latin word.
        let re = Regex::new(&ascii_word_classes(r"\bwechat\b")).unwrap();
        assert!(re.is_match("加我wechat吧"));
        assert!(!re.is_match("wechatter"));
    }

    /// The char-by-char form `ascii_word_classes` had before it went bytewise: the reference it must agree with.
    fn word_classes_reference(p: &str) -> String {
        let mut out = String::new();
        let mut depth = 0usize;
        let mut chars = p.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(e @ ('b' | 'w')) if depth == 0 => {
                        out.push_str("(?-u:\\");
                        out.push(e);
                        out.push(')');
                    }
                    Some('W') if depth == 0 => out.push_str("[^0-9A-Za-z_]"),
                    Some('w') => out.push_str("0-9A-Za-z_"),
                    Some(e) => {
                        out.push('\\');
                        out.push(e);
                    }
                    None => out.push('\\'),
                },
                '[' => {
                    depth += 1;
                    out.push(c);
                    if chars.peek() == Some(&'^') {
                        out.push('^');
                        chars.next();
                    }
                    if chars.peek() == Some(&']') {
                        out.push(']');
                        chars.next();
                    }
                }
                ']' if depth > 0 => {
                    depth -= 1;
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
        out
    }

    #[test]
    fn word_classes_agree_with_the_reference_on_builtin_patterns() {
        let set = Ruleset::builtin();
        let atoms = set.atoms.iter().map(|a| a.src.as_str());
        let rules = set.rules().iter().flat_map(|r| {
            r.pattern
                .iter()
                .chain(&r.all)
                .chain(&r.any)
                .chain(&r.unless)
                .map(|(p, _)| p.as_str())
        });
        for p in atoms.chain(rules) {
            assert_eq!(ascii_word_classes(p), word_classes_reference(p), "{p}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]
        #[test]
        fn word_classes_agree_with_the_reference(parts in proptest::collection::vec(proptest::sample::select(vec![
            "\\", "b", "w", "W", "B", "[", "]", "^", "中", "é", "x", " ", "\\b", "\\中", "[^]", "(?-u:",
        ]), 0..24)) {
            let p: String = parts.concat();
            proptest::prop_assert_eq!(ascii_word_classes(&p), word_classes_reference(&p));
        }
    }
}
