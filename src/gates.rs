//! Literal gates: a cheap test, from the keyword automaton's one pass, that a confirmation pattern cannot match in
//! a window, so that its regex does not run there.
//!
//! A gate is a conjunction of clauses. Each clause is a set of literals of which every match of the pattern
//! contains at least one, so a window that lacks every literal of some clause cannot hold a match. The literals
//! are found with the rules' keywords, in the same automaton pass; testing a window is a loop over the few
//! occurrences in the message. Gates only ever skip a regex that would have found nothing: findings are the same
//! with and without them (a test compares both on every rule example).
//!
//! The clauses of the built-in patterns are derived from each pattern's syntax tree by `regex-syntax` and stored
//! in `data/gates.jsonl`, keyed by a hash of the pattern source. Parsing the built-in patterns (160 KB of regex)
//! takes tens of milliseconds, more than `Detector::new()` may spend; the test `gate_table_is_current` derives
//! the table again and fails when the file is stale (`REDFLAG_BLESS=1 cargo test --lib gate_table` rewrites it).
//! A pattern that is not in the table (a user's rule) has no gate and always runs.

use rustc_hash::FxHashMap;
use std::cell::RefCell;

/// The derived gates of the built-in patterns.
const TABLE: &str = include_str!("../data/gates.jsonl");

/// One literal of a gate: its automaton literal id, the clauses it belongs to (bit `k` for clause `k`), and for
/// which of them it needs an ASCII word boundary before or after it (the pattern has `(?-u:\b)` there and the
/// literal's edge byte is a word byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct GateLit {
    id: u32,
    clauses: u8,
    before: u8,
    after: u8,
}

/// The gate of one pattern: every clause must have one of its literals in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gate {
    /// The literals of all clauses, sorted by id.
    lits: Box<[GateLit]>,
    /// Bit `id` set for every literal of the gate: most occurrences in a window belong to other gates, and this
    /// turns them away without a search.
    members: Box<[u64]>,
    /// One bit per clause.
    full: u8,
}

/// A literal occurrence in the folded text: `(start, end, literal id)`. [`Gate::may_match`] takes them sorted.
pub(crate) type Occurrence = (u32, u32, u32);

/// ASCII word byte as `(?-u:\b)` defines it.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Gate {
    /// Whether the pattern may match inside `text[lo..hi]`, given every occurrence of the gate literals in
    /// `text`, sorted by start. `false` only when some clause has none of its literals in the window (with its
    /// word boundaries).
    pub(crate) fn may_match(&self, text: &[u8], lo: usize, hi: usize, found: &[Occurrence]) -> bool {
        let mut seen = 0u8;
        let first = found.partition_point(|o| (o.0 as usize) < lo);
        for &(s, e, id) in &found[first..] {
            let (s, e) = (s as usize, e as usize);
            if s >= hi {
                break;
            }
            if e > hi {
                continue;
            }
            let member = self
                .members
                .get(id as usize / 64)
                .is_some_and(|w| w & (1 << (id % 64)) != 0);
            if !member {
                continue;
            }
            let Ok(k) = self.lits.binary_search_by_key(&id, |l| l.id) else {
                continue;
            };
            let l = self.lits[k];
            let mut bits = l.clauses;
            // At the window's edges a boundary is taken as given: the regex may see the window alone.
            if l.before != 0 && s > lo && is_word(text[s - 1]) {
                bits &= !l.before;
            }
            if l.after != 0 && e < hi && is_word(text[e]) {
                bits &= !l.after;
            }
            seen |= bits;
            if seen == self.full {
                return true;
            }
        }
        false
    }
}

/// A literal as stored: `(literal, boundary before, boundary after)`, borrowed from the built-in table.
pub(crate) type Stored = (&'static str, bool, bool);

/// The stored table: pattern hash → clauses of `(literal, boundary before, boundary after)`.
#[derive(Debug, Default)]
pub(crate) struct GateTable {
    by_hash: FxHashMap<u64, Vec<Vec<Stored>>>,
}

impl GateTable {
    /// The table of the built-in patterns. A line that does not parse is skipped (its pattern runs ungated); the
    /// test suite parses every line.
    pub(crate) fn builtin() -> GateTable {
        GateTable::parse(TABLE).unwrap_or_default()
    }

    /// Parses the JSON-lines table: `[hash, label, [clause, ...]]`, a clause being `[[literal, flags], ...]` with
    /// flags 1 = boundary before, 2 = boundary after.
    fn parse(text: &'static str) -> Result<GateTable, String> {
        // Borrowed: the table is in the binary, and its strings need no unescaping (the test writes them raw).
        type Line = (&'static str, &'static str, Vec<Vec<(&'static str, u8)>>);
        let mut by_hash = FxHashMap::default();
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let (hash, _label, clauses): Line =
                serde_json::from_str(line).map_err(|e| format!("data/gates.jsonl line {}: {e}", n + 1))?;
            let hash = u64::from_str_radix(hash, 16).map_err(|e| format!("data/gates.jsonl line {}: {e}", n + 1))?;
            let clauses = clauses
                .into_iter()
                .map(|c| c.into_iter().map(|(l, f)| (l, f & 1 != 0, f & 2 != 0)).collect())
                .collect();
            by_hash.insert(hash, clauses);
        }
        Ok(GateTable { by_hash })
    }

    /// The clauses stored for the pattern source `src`, if any.
    pub(crate) fn get(&self, src: &str) -> Option<&[Vec<Stored>]> {
        self.by_hash.get(&hash(src)).map(Vec::as_slice)
    }

    /// Every literal of the table, for the automaton.
    #[cfg(test)]
    pub(crate) fn literals(&self) -> impl Iterator<Item = &str> + '_ {
        self.by_hash.values().flatten().flatten().map(|(l, _, _)| *l)
    }
}

/// Gives the patterns of one detector their gates, numbering the literals they use for the automaton.
#[derive(Debug, Default)]
pub(crate) struct GateBuilder {
    table: GateTable,
    ids: RefCell<FxHashMap<&'static str, u32>>,
    literals: RefCell<Vec<&'static str>>,
}

impl GateBuilder {
    /// A builder over the built-in table.
    pub(crate) fn builtin() -> GateBuilder {
        GateBuilder {
            table: GateTable::builtin(),
            ..GateBuilder::default()
        }
    }

    /// The gate of the pattern source `src`, if the table has one.
    pub(crate) fn gate(&self, src: &str) -> Option<Gate> {
        let clauses = self.table.get(src)?;
        gate(clauses, |l| {
            let mut ids = self.ids.borrow_mut();
            let next = ids.len() as u32;
            Some(*ids.entry(l).or_insert_with(|| {
                self.literals.borrow_mut().push(l);
                next
            }))
        })
    }

    /// The literals of the gates handed out, by id.
    pub(crate) fn into_literals(self) -> Vec<&'static str> {
        self.literals.into_inner()
    }
}

/// Builds a gate from stored clauses (at most 8), with literal ids from `id_of`.
pub(crate) fn gate<'a>(
    clauses: &[Vec<(&'a str, bool, bool)>],
    mut id_of: impl FnMut(&'a str) -> Option<u32>,
) -> Option<Gate> {
    if clauses.is_empty() || clauses.len() > 8 {
        return None;
    }
    let mut lits: Vec<GateLit> = Vec::new();
    for (k, c) in clauses.iter().enumerate() {
        let bit = 1u8 << k;
        for (l, before, after) in c {
            let id = id_of(l)?;
            let (b, a) = (if *before { bit } else { 0 }, if *after { bit } else { 0 });
            match lits.iter_mut().find(|g| g.id == id) {
                // One literal twice in a clause, with and without a boundary: the weaker form counts.
                Some(g) if g.clauses & bit != 0 => {
                    g.before &= !bit | b;
                    g.after &= !bit | a;
                }
                Some(g) => {
                    g.clauses |= bit;
                    g.before |= b;
                    g.after |= a;
                }
                None => lits.push(GateLit {
                    id,
                    clauses: bit,
                    before: b,
                    after: a,
                }),
            }
        }
    }
    lits.sort_by_key(|l| l.id);
    let mut members = vec![0u64; lits.last().map_or(0, |l| l.id as usize / 64 + 1)];
    for l in &lits {
        members[l.id as usize / 64] |= 1 << (l.id % 64);
    }
    Some(Gate {
        lits: lits.into_boxed_slice(),
        members: members.into_boxed_slice(),
        full: ((1u16 << clauses.len()) - 1) as u8,
    })
}

/// FNV-1a, 64 bits: a hash of the pattern source that is the same on every platform and Rust version.
pub(crate) fn hash(src: &str) -> u64 {
    src.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Derivation of the clauses from a pattern's syntax tree (tests only: it needs `regex-syntax`).
#[cfg(test)]
pub(crate) mod derive {
    use regex_syntax::hir::{Class, Hir, HirKind, Look};

    /// Most literals in one clause: a clause of many short literals passes nearly every window.
    const MAX_LITERALS: usize = 48;
    /// Classes of up to this many characters count as alternatives (`[账帐]`).
    const MAX_CLASS: usize = 8;
    /// Clauses kept per pattern, the most selective first.
    const MAX_CLAUSES: usize = 3;
    /// Clauses kept in a gate.
    const MAX_GATE_CLAUSES: usize = 2;

    /// A literal with its word-boundary needs.
    #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub(crate) struct Lit {
        pub(crate) s: String,
        pub(crate) before: bool,
        pub(crate) after: bool,
    }

    pub(crate) type Clause = Vec<Lit>;

    /// What is known of a sub-pattern: clauses every match satisfies, the exact set of strings it matches when
    /// small, and whether it is an ASCII word boundary.
    #[derive(Debug, Default)]
    struct Info {
        cnf: Vec<Clause>,
        exact: Option<Vec<Lit>>,
        boundary: bool,
    }

    fn lit(s: String) -> Lit {
        Lit {
            s,
            before: false,
            after: false,
        }
    }

    /// A literal the gate can look for in folded text: case-insensitive matching of the pattern is the same as
    /// exact matching of the lowercased literal only for ASCII and caseless characters (Han, digits, signs).
    /// Folded text is lowercase and holds no Kelvin sign or long s (tests in `normalize` and here say so).
    fn lowered(bytes: &[u8]) -> Option<String> {
        let s = std::str::from_utf8(bytes).ok()?;
        // No quote, backslash or control character: the table stores literals raw, for a borrowing parse.
        s.chars()
            .all(|c| !matches!(c, '"' | '\\') && !c.is_control())
            .then_some(())?;
        s.chars()
            .all(|c| c.is_ascii() || (!c.is_lowercase() && !c.is_uppercase() && c.to_lowercase().eq([c])))
            .then(|| s.to_ascii_lowercase())
    }

    /// A rough chance that a literal occurs in a window of ordinary supplier chat: short ASCII words are
    /// everywhere (`or`, `the`), one Han character is common, longer literals are rare.
    fn chance(l: &Lit) -> f64 {
        let bounded = l.before || l.after;
        if l.s.is_ascii() {
            match l.s.len() {
                // `\bac\b` is a word of its own; `ac` alone is inside every other word.
                0..=2 if l.before && l.after => 0.05,
                0..=2 => 1.0,
                3 if bounded => 0.03,
                3 => 0.08,
                4 => 0.01,
                _ => 0.003,
            }
        } else {
            match l.s.chars().count() {
                1 => 0.05,
                2 => 0.005,
                _ => 0.001,
            }
        }
    }

    /// A rough chance that a window passes the clause: lower is better.
    fn weight(c: &Clause) -> f64 {
        c.iter().map(chance).sum::<f64>().min(1.0)
    }

    /// Clauses that pass more windows than this are not worth their literals in the automaton.
    const MAX_WEIGHT: f64 = 0.25;

    fn usable(c: &Clause) -> bool {
        !c.is_empty() && c.len() <= MAX_LITERALS && c.iter().all(|l| l.s.len() >= 2)
    }

    /// Whether a clause is selective enough to keep in a gate. Inner clauses are kept regardless: a weak clause of
    /// one branch can still join a selective clause of an alternation.
    fn selective(c: &Clause) -> bool {
        weight(c) <= MAX_WEIGHT
    }

    /// Drops literals that contain another literal of the clause that needs no boundary (wherever the longer one
    /// occurs, the shorter one does), sorts and dedups.
    fn minimal(mut c: Clause) -> Clause {
        c.sort();
        c.dedup();
        let keep: Vec<bool> = c
            .iter()
            .map(|l| !c.iter().any(|m| m != l && !m.before && !m.after && l.s.contains(&m.s)))
            .collect();
        c.into_iter().zip(keep).filter(|(_, k)| *k).map(|(l, _)| l).collect()
    }

    fn keep_best(cnf: Vec<Clause>) -> Vec<Clause> {
        let mut cnf: Vec<Clause> = cnf.into_iter().map(minimal).filter(usable).collect();
        cnf.sort_by(|a, b| weight(a).total_cmp(&weight(b)).then_with(|| a.cmp(b)));
        cnf.dedup();
        cnf.truncate(MAX_CLAUSES);
        cnf
    }

    fn info(hir: &Hir) -> Info {
        match hir.kind() {
            HirKind::Literal(l) => match lowered(&l.0) {
                Some(s) => Info {
                    cnf: vec![vec![lit(s.clone())]],
                    exact: Some(vec![lit(s)]),
                    boundary: false,
                },
                None => Info::default(),
            },
            HirKind::Class(Class::Unicode(c)) => {
                let n: usize = c
                    .ranges()
                    .iter()
                    .map(|r| r.end() as usize - r.start() as usize + 1)
                    .sum();
                if n > MAX_CLASS {
                    return Info::default();
                }
                let mut set = Vec::new();
                for ch in c.ranges().iter().flat_map(|r| r.start()..=r.end()) {
                    match lowered(ch.to_string().as_bytes()) {
                        Some(s) => set.push(lit(s)),
                        None => return Info::default(),
                    }
                }
                set.sort();
                set.dedup();
                Info {
                    cnf: vec![set.clone()],
                    exact: Some(set),
                    boundary: false,
                }
            }
            HirKind::Class(Class::Bytes(_)) | HirKind::Empty => Info::default(),
            HirKind::Look(l) => Info {
                boundary: matches!(l, Look::WordAscii),
                ..Info::default()
            },
            HirKind::Repetition(rep) if rep.min >= 1 => {
                let sub = info(&rep.sub);
                Info {
                    cnf: sub.cnf,
                    exact: if rep.max == Some(1) { sub.exact } else { None },
                    boundary: false,
                }
            }
            HirKind::Repetition(_) => Info::default(),
            HirKind::Capture(cap) => info(&cap.sub),
            HirKind::Concat(subs) => {
                let mut items: Vec<Info> = subs.iter().map(info).collect();
                let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
                for i in 0..items.len() {
                    let before = i > 0 && items[i - 1].boundary;
                    let after = i + 1 < items.len() && items[i + 1].boundary;
                    if let Some(ex) = &mut items[i].exact {
                        for l in ex.iter_mut() {
                            let b = l.s.as_bytes();
                            l.before |= before && b.first().copied().is_some_and(word);
                            l.after |= after && b.last().copied().is_some_and(word);
                        }
                        let ex = ex.clone();
                        items[i].cnf.push(ex);
                    }
                }
                Info {
                    cnf: keep_best(items.into_iter().flat_map(|i| i.cnf).collect()),
                    exact: None,
                    boundary: false,
                }
            }
            HirKind::Alternation(subs) => {
                let infos: Vec<Info> = subs.iter().map(info).collect();
                let exact = infos
                    .iter()
                    .map(|i| i.exact.clone())
                    .collect::<Option<Vec<_>>>()
                    .map(|v| v.concat());
                // A clause of the alternation takes one clause from every branch.
                let mut cnf: Vec<Clause> = vec![Vec::new()];
                for i in &infos {
                    let own = keep_best(i.cnf.clone());
                    if own.is_empty() {
                        cnf.clear();
                        break;
                    }
                    let mut next = Vec::new();
                    for a in &cnf {
                        for b in &own {
                            next.push(a.iter().chain(b).cloned().collect());
                        }
                    }
                    cnf = keep_best(next);
                    if cnf.is_empty() {
                        break;
                    }
                }
                Info {
                    cnf,
                    exact,
                    boundary: false,
                }
            }
        }
    }

    /// The clauses of a pattern source as the detector compiles it (`None`: no usable clause, or it does not
    /// parse).
    pub(crate) fn clauses(src: &str) -> Option<Vec<Clause>> {
        let hir = regex_syntax::ParserBuilder::new().build().parse(src).ok()?;
        let mut cnf = keep_best(info(&hir).cnf);
        cnf.retain(selective);
        cnf.truncate(MAX_GATE_CLAUSES);
        (!cnf.is_empty()).then_some(cnf)
    }
}

#[cfg(test)]
mod tests {
    use super::derive::clauses;
    use super::*;

    fn gate_of(src: &str) -> (Gate, Vec<String>) {
        let cl = clauses(src).expect("clauses");
        let stored: Vec<Vec<(&str, bool, bool)>> = cl
            .iter()
            .map(|c| c.iter().map(|l| (l.s.as_str(), l.before, l.after)).collect())
            .collect();
        let mut names: Vec<String> = stored.iter().flatten().map(|l| l.0.to_string()).collect();
        names.sort();
        names.dedup();
        let g = gate(&stored, |l| names.iter().position(|n| n == l).map(|i| i as u32)).expect("gate");
        (g, names)
    }

    /// Every occurrence of every literal in `text`, as the automaton reports them.
    fn occurrences(text: &str, names: &[String]) -> Vec<Occurrence> {
        let mut out = Vec::new();
        for (id, n) in names.iter().enumerate() {
            for (s, _) in text.match_indices(n.as_str()) {
                out.push((s as u32, (s + n.len()) as u32, id as u32));
            }
        }
        out.sort_unstable();
        out
    }

    #[test]
    fn derived_clauses() {
        let table: &[(&str, &[&[&str]])] = &[
            (
                "(?-u:\\b)(?:pay|send)(?-u:\\b) to (?:new|other) account",
                &[&[" account"]],
            ),
            ("转|汇款|(?-u:\\b)wire(?-u:\\b)", &[&["wire", "汇款", "转"]]),
            ("colou?r", &[&["colo"]]),
            ("(?:a|bb)c", &[]),
            ("x*", &[]),
            ("[账帐]户", &[&["户"]]),
            ("T/T", &[&["t/t"]]),
        ];
        for (src, want) in table {
            let got: Vec<Vec<String>> = clauses(src)
                .unwrap_or_default()
                .into_iter()
                .map(|c| c.into_iter().map(|l| l.s).collect())
                .collect();
            let mut got_sorted: Vec<Vec<String>> = got
                .into_iter()
                .map(|mut c| {
                    c.sort();
                    c
                })
                .collect();
            got_sorted.truncate(want.len().max(1));
            let want: Vec<Vec<String>> = want
                .iter()
                .map(|c| {
                    let mut c: Vec<String> = c.iter().map(|s| s.to_string()).collect();
                    c.sort();
                    c
                })
                .collect();
            if want.is_empty() {
                assert!(clauses(src).is_none(), "{src}: {got_sorted:?}");
            } else {
                assert_eq!(got_sorted[..want.len()], want[..], "{src}");
            }
        }
    }

    #[test]
    fn windows_without_a_clause_literal_are_skipped() {
        let src = "(?-u:\\b)(?:pay|send)(?-u:\\b)\\s+(?:to\\s+)?(?:our\\s+)?new\\s+account";
        let (g, names) = gate_of(src);
        let table: &[(&str, bool)] = &[
            ("please pay to our new account", true),
            ("please send new account details", true),
            ("the account is new, pay later", true),
            ("repay the new bill", false),
            ("the new account is fine", false),
            ("payment to our new account", false),
        ];
        for &(text, want) in table {
            let occ = occurrences(text, &names);
            assert_eq!(g.may_match(text.as_bytes(), 0, text.len(), &occ), want, "{text}");
        }
        // The window matters: the literal must lie inside it.
        let text = "pay now. the new account";
        let occ = occurrences(text, &names);
        assert!(g.may_match(text.as_bytes(), 0, text.len(), &occ));
        assert!(!g.may_match(text.as_bytes(), 5, text.len(), &occ));
    }

    #[test]
    fn boundary_at_the_window_edge_is_given() {
        let (g, names) = gate_of("(?-u:\\b)wire(?-u:\\b)");
        let text = "rewire it";
        let occ = occurrences(text, &names);
        assert!(!g.may_match(text.as_bytes(), 0, text.len(), &occ));
        assert!(g.may_match(text.as_bytes(), 2, text.len(), &occ));
        assert!(g.may_match(text.as_bytes(), 2, 6, &occ));
    }

    /// What the gates rely on: a case-insensitive regex literal made of ASCII letters matches in folded text only
    /// as its lowercase form. Folded text has no ASCII capital, and no Kelvin sign or long s (which `k` and `s`
    /// also match case-insensitively), in either folding mode.
    #[test]
    fn folded_text_matches_gate_literals_exactly() {
        use crate::normalize::{Folder, Folding};
        let texts = [
            "PAY to our NEW Account",
            "\u{212A}ASPI \u{017F}END",
            "ＰＡＹ ＡＣＣＯＵＮＴ",
            "Wh@tsApp",
            "W E C H A T",
            "ǅ ǈ ǋ Ⅻ ⓐⓑ",
            "ＳＨＩＰ \u{212A}\u{017F}",
            "\u{1E9E}TRASSE",
            "ΣΊΣΥΦΟΣ",
            "加我VX：ABC",
        ];
        for mode in [Folding::Full, Folding::Basic] {
            let f = Folder::with_mode(["pay", "account", "whatsapp", "wechat"], mode);
            for t in texts {
                let out = f.fold(t).text;
                assert!(
                    !out.bytes().any(|b| b.is_ascii_uppercase()) && !out.contains(['\u{212A}', '\u{017F}']),
                    "{mode:?} {t:?} -> {out:?}"
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]
        #[test]
        fn folded_text_has_no_ascii_capital_or_case_aliases(t in "[A-Za-z0-9 .@|\u{212A}\u{017F}\u{FF21}-\u{FF3A}\u{0400}-\u{04FF}\u{2160}-\u{216F}\u{24B6}-\u{24CF}\u{1D400}-\u{1D433}微信账户]{0,40}") {
            use crate::normalize::{Folder, Folding};
            for mode in [Folding::Full, Folding::Basic] {
                let out = Folder::with_mode(["pay", "account"], mode).fold(&t).text;
                proptest::prop_assert!(!out.bytes().any(|b| b.is_ascii_uppercase()), "{:?} -> {:?}", t, out);
                proptest::prop_assert!(!out.contains(['\u{212A}', '\u{017F}']), "{:?} -> {:?}", t, out);
            }
        }
    }

    #[test]
    fn hash_is_fnv1a() {
        // Reference values of FNV-1a 64.
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn the_builtin_table_parses() {
        let t = GateTable::parse(TABLE).expect("data/gates.jsonl parses");
        assert!(!t.by_hash.is_empty());
        assert!(t.literals().all(|l| !l.is_empty() && l == l.to_lowercase()));
    }
}
