//! Concept lexicons: named lists of literal terms, one concept each, that rules compose.
//!
//! Loading validates the shape (with lines); [`resolve`] validates the references (unknown names, cycles of
//! `include`) and flattens each needed lexicon into its folded terms for the keyword automaton.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Location, RuleErrorKind};
use crate::normalize::Folder;

/// The built-in lexicon files, embedded at compile time: `(name, text)`.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    (
        "data/lexicons/context.toml",
        include_str!("../data/lexicons/context.toml"),
    ),
    (
        "data/lexicons/payment.toml",
        include_str!("../data/lexicons/payment.toml"),
    ),
    (
        "data/lexicons/trouble.toml",
        include_str!("../data/lexicons/trouble.toml"),
    ),
    (
        "data/lexicons/contact.toml",
        include_str!("../data/lexicons/contact.toml"),
    ),
    ("data/lexicons/link.toml", include_str!("../data/lexicons/link.toml")),
    ("data/lexicons/goods.toml", include_str!("../data/lexicons/goods.toml")),
    (
        "data/lexicons/dispute.toml",
        include_str!("../data/lexicons/dispute.toml"),
    ),
    ("data/lexicons/time.toml", include_str!("../data/lexicons/time.toml")),
];

/// One concept: a named list of literal terms, as written in its source.
///
/// # Example
///
/// ```
/// let rules = redflag::Ruleset::builtin();
/// let warning = rules.lexicons().iter().find(|l| l.name() == "warning").unwrap();
/// assert!(warning.terms().any(|t| t == "scam"));
/// assert!(!warning.description().is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) terms: Strings,
    pub(crate) include: Strings,
    /// Its terms also hit their English inflections (see [`Lexicon::inflects`]).
    pub(crate) inflect: bool,
    pub(crate) exclude: Strings,
    pub(crate) location: Location,
    pub(crate) builtin: bool,
}

/// Strings, each with the source line it was written on, in one buffer: the built-in lexicons hold over 33,000
/// terms, and one allocation each was a tenth of `Detector::new()` when a snapshot was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Strings {
    text: String,
    /// `(end, line)` of each string: it is `text[previous end..end]`.
    items: Vec<(u32, u32)>,
}

impl Strings {
    pub(crate) fn push(&mut self, s: &str, line: usize) {
        self.text.push_str(s);
        self.items.push((self.text.len() as u32, line as u32));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Each string with its line.
    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = (&str, usize)> + Clone + '_ {
        (0..self.items.len()).map(move |i| {
            let start = if i == 0 { 0 } else { self.items[i - 1].0 as usize };
            let (end, line) = self.items[i];
            (&self.text[start..end as usize], line as usize)
        })
    }

    /// The buffer and the `(end, line)` pairs (for a snapshot).
    #[cfg(test)]
    pub(crate) fn parts(&self) -> (&str, &[(u32, u32)]) {
        (&self.text, &self.items)
    }

    /// From [`Strings::parts`]; `None` unless the ends rise, on character boundaries, to the end of `text`.
    pub(crate) fn from_parts(text: String, items: Vec<(u32, u32)>) -> Option<Strings> {
        let mut start = 0;
        for &(end, _) in &items {
            let end = end as usize;
            if end < start || !text.is_char_boundary(end) {
                return None;
            }
            start = end;
        }
        (start == text.len()).then_some(Strings { text, items })
    }
}

impl FromIterator<(String, usize)> for Strings {
    fn from_iter<I: IntoIterator<Item = (String, usize)>>(iter: I) -> Strings {
        let mut out = Strings::default();
        for (s, line) in iter {
            out.push(&s, line);
        }
        out
    }
}

impl Lexicon {
    /// The name rules reference as `{name}`.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.lexicons().iter().any(|l| l.name() == "negation"));
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The one-line description.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.lexicons().iter().all(|l| !l.description().is_empty()));
    /// ```
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The terms as written (a `*` at an end lifts the word boundary there); terms of included lexicons are not
    /// repeated here.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.lexicons().iter().all(|l| l.terms().len() > 0 || l.includes().len() > 0));
    /// ```
    pub fn terms(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.terms.iter().map(|(t, _)| t)
    }

    /// Whether the lexicon's own terms also hit their English inflections (`inflect = true` in its table): the
    /// plural or singular of a noun of the scam vocabulary (`account` ↔ `accounts`) and the third person and
    /// `-ing` form of a verb's base form (`pay` → `pays`, `paying`), one word of a term at a time. Off by default:
    /// a lexicon turns it on where number and aspect do not change what its terms mean.
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.lexicons().iter().any(|l| l.inflects()));
    /// ```
    pub fn inflects(&self) -> bool {
        self.inflect
    }

    /// The lexicons whose terms this one includes.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// let names: Vec<&str> = rules.lexicons().iter().map(|l| l.name()).collect();
    /// for l in rules.lexicons() {
    ///     assert!(l.includes().all(|i| names.contains(&i)));
    /// }
    /// ```
    pub fn includes(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.include.iter().map(|(t, _)| t)
    }

    /// Where the lexicon is defined.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.lexicons()[0].location().source.starts_with("data/lexicons/"));
    /// ```
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The error for this lexicon redefining `first`.
    pub(crate) fn duplicate_of(&self, first: &Lexicon) -> Error {
        self.error(
            self.location.line,
            RuleErrorKind::DuplicateLexicon {
                first: first.location.clone(),
            },
        )
    }

    fn error(&self, line: usize, kind: RuleErrorKind) -> Error {
        Error::Rule {
            location: Location {
                source: self.location.source.clone(),
                line,
            },
            rule: format!("{{{}}}", self.name),
            kind,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LexiconDef {
    description: Spanned<String>,
    #[serde(default)]
    terms: Vec<Spanned<String>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    inflect: bool,
}

/// Whether `name` is a valid lexicon name: lowercase ASCII letters, digits and `_`.
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Converts parsed tables into lexicons, checking names and emptiness. `line` maps a byte span to its line.
pub(crate) fn from_defs(
    source: &str,
    defs: BTreeMap<String, Spanned<LexiconDef>>,
    line: impl Fn(Range<usize>) -> usize,
) -> Result<Vec<Lexicon>, Error> {
    let mut out: Vec<Lexicon> = defs
        .into_iter()
        .map(|(name, def)| {
            let at = line(def.span());
            let def = def.into_inner();
            let list = |v: Vec<Spanned<String>>| -> Strings {
                v.into_iter()
                    .map(|s| {
                        let l = line(s.span());
                        (s.into_inner(), l)
                    })
                    .collect()
            };
            Lexicon {
                name,
                description: def.description.into_inner(),
                terms: list(def.terms),
                include: list(def.include),
                exclude: list(def.exclude),
                inflect: def.inflect,
                location: Location {
                    source: source.to_string(),
                    line: at,
                },
                builtin: false,
            }
        })
        .collect();
    // Source order reads best in listings and errors.
    out.sort_by_key(|l| l.location.line);
    for l in &out {
        if !valid_name(&l.name) {
            return Err(l.error(l.location.line, RuleErrorKind::BadAtomName));
        }
        if l.terms.is_empty() && l.include.is_empty() {
            return Err(l.error(l.location.line, RuleErrorKind::EmptyLexicon { name: l.name.clone() }));
        }
        if l.description.trim().is_empty() {
            return Err(l.error(l.location.line, RuleErrorKind::NoDescription));
        }
    }
    Ok(out)
}

/// Parses a lexicon file: top-level tables, one per lexicon.
pub(crate) fn parse_file(source: &str, text: &str) -> Result<Vec<Lexicon>, Error> {
    let lines = crate::error::Lines::new(text);
    let defs: BTreeMap<String, Spanned<LexiconDef>> = toml::from_str(text).map_err(|e| Error::Parse {
        location: Location {
            source: source.to_string(),
            line: e.span().map_or(1, |s| lines.line(s.start)),
        },
        message: e.message().trim().to_string(),
    })?;
    from_defs(source, defs, |s| lines.line(s.start))
}

/// The built-in lexicons.
pub(crate) fn builtin() -> Vec<Lexicon> {
    let mut out = Vec::new();
    for (name, text) in BUILTIN {
        // The shipped files are loaded by every test run; failing here is a build defect.
        match parse_file(name, text) {
            Ok(v) => out.extend(v.into_iter().map(|mut l| {
                l.builtin = true;
                l
            })),
            Err(e) => panic!("built-in lexicon file is invalid: {e}"),
        }
    }
    out
}

/// A term as the automaton sees it: folded, with the word boundaries it needs at each end.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Term {
    pub(crate) folded: String,
    /// A `*` was written at the start: no word boundary needed there.
    pub(crate) open_start: bool,
    /// A `*` was written at the end: no word boundary needed there.
    pub(crate) open_end: bool,
    /// Its lexicon says `inflect = true`: the automaton also takes the term's English inflections.
    pub(crate) inflect: bool,
}

/// Folds one written term (`*` at either end lifts the boundary there). `None` when nothing is left.
pub(crate) fn fold_term(folder: &Folder, written: &str) -> Option<Term> {
    let t = written.trim();
    let (open_start, t) = match t.strip_prefix('*') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (open_end, t) = match t.strip_suffix('*') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let folded = folder.fold(t).text.trim().to_string();
    (!folded.is_empty()).then_some(Term {
        folded,
        open_start,
        open_end,
        inflect: false,
    })
}

/// One needed lexicon, flattened: its terms with those of everything it includes, and its exclusions.
#[derive(Debug, Clone)]
pub(crate) struct Concept {
    pub(crate) terms: Vec<Term>,
    pub(crate) exclude: Vec<Term>,
}

/// Checks every include reference and cycle, then flattens the lexicons named in `needed` (and nothing else, so
/// that unused lists cost nothing at scan time). Returns the concepts in the order of `needed`.
pub(crate) fn resolve(lexicons: &[Lexicon], needed: &[String], folder: &Folder) -> Result<Vec<Concept>, Error> {
    let index: std::collections::HashMap<&str, usize> =
        lexicons.iter().enumerate().map(|(i, l)| (l.name.as_str(), i)).collect();
    for l in lexicons {
        for (inc, line) in l.include.iter() {
            if !index.contains_key(inc) {
                return Err(l.error(line, RuleErrorKind::UnknownLexicon { name: inc.to_string() }));
            }
        }
    }
    // Cycles: a depth-first walk with colours over every lexicon.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn walk(
        i: usize,
        lexicons: &[Lexicon],
        index: &std::collections::HashMap<&str, usize>,
        marks: &mut [Mark],
        path: &mut Vec<usize>,
    ) -> Result<(), Error> {
        marks[i] = Mark::Open;
        path.push(i);
        for (inc, line) in lexicons[i].include.iter() {
            let j = index[inc];
            match marks[j] {
                Mark::Open => {
                    let from = path.iter().position(|&p| p == j).unwrap_or(0);
                    let mut cycle: Vec<String> = path[from..].iter().map(|&p| lexicons[p].name.clone()).collect();
                    cycle.push(lexicons[j].name.clone());
                    return Err(lexicons[i].error(line, RuleErrorKind::LexiconCycle { cycle }));
                }
                Mark::New => walk(j, lexicons, index, marks, path)?,
                Mark::Done => {}
            }
        }
        path.pop();
        marks[i] = Mark::Done;
        Ok(())
    }
    let mut marks = vec![Mark::New; lexicons.len()];
    for i in 0..lexicons.len() {
        if marks[i] == Mark::New {
            walk(i, lexicons, &index, &mut marks, &mut Vec::new())?;
        }
    }
    // Each lexicon's own terms are folded once, however many needed lexicons include it.
    let mut folded: Vec<Option<(Vec<Term>, Vec<Term>)>> = vec![None; lexicons.len()];
    let fold_list = |l: &Lexicon, list: &Strings| -> Result<Vec<Term>, Error> {
        list.iter()
            .map(|(t, line)| {
                fold_term(folder, t)
                    .map(|t| Term {
                        inflect: l.inflect,
                        ..t
                    })
                    .ok_or_else(|| l.error(line, RuleErrorKind::EmptyKeyword { keyword: t.to_string() }))
            })
            .collect()
    };
    let mut out = Vec::with_capacity(needed.len());
    let mut seen = vec![false; lexicons.len()];
    for name in needed {
        let mut terms = Vec::new();
        let mut exclude = Vec::new();
        let mut stack = vec![index[name.as_str()]];
        seen.iter_mut().for_each(|s| *s = false);
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            if folded[i].is_none() {
                let l = &lexicons[i];
                folded[i] = Some((fold_list(l, &l.terms)?, fold_list(l, &l.exclude)?));
            }
            if let Some((t, x)) = &folded[i] {
                terms.extend_from_slice(t);
                exclude.extend_from_slice(x);
            }
            stack.extend(lexicons[i].include.iter().map(|(n, _)| index[n]));
        }
        terms.sort();
        terms.dedup();
        exclude.sort();
        exclude.dedup();
        out.push(Concept { terms, exclude });
    }
    Ok(out)
}

/// The regex alternation of a concept's terms, with their word boundaries: what `{name}` inside a pattern
/// means, kept as the reference that the pattern module's concept transitions are tested against.
#[cfg(test)]
pub(crate) fn alternation(concept: &Concept) -> String {
    let mut s = String::from("(?:");
    for (i, t) in concept.terms.iter().enumerate() {
        if i > 0 {
            s.push('|');
        }
        let (ls, le) = crate::automaton::latin_edges(&t.folded);
        if ls && !t.open_start {
            s.push_str(r"(?-u:\b)");
        }
        s.push_str(&regex::escape(&t.folded));
        if le && !t.open_end {
            s.push_str(r"(?-u:\b)");
        }
    }
    s.push(')');
    s
}

/// Splits a pattern at its `{name}` references: `(text before, Some(name))` per reference, then `(rest, None)`.
/// `\{` is a literal brace and `x{2,3}` a repetition (digits are no name).
pub(crate) fn split_references(pattern: &str) -> impl Iterator<Item = (&str, Option<&str>)> {
    let mut rest = Some(pattern);
    let mut from = 0;
    std::iter::from_fn(move || {
        let text = rest?;
        let mut at = from;
        while let Some(open) = text[at..].find('{').map(|o| at + o) {
            let after = &text[open + 1..];
            if let Some(close) = after.find('}') {
                let name = &after[..close];
                if valid_name(name) && !name.bytes().all(|b| b.is_ascii_digit()) && !text[..open].ends_with('\\') {
                    rest = Some(&after[close + 1..]);
                    from = 0;
                    return Some((&text[..open], Some(name)));
                }
            }
            at = open + 1;
        }
        rest = None;
        Some((text, None))
    })
}

/// The `{name}` references inside a pattern, in order.
pub(crate) fn references(pattern: &str) -> Vec<&str> {
    split_references(pattern).filter_map(|(_, name)| name).collect()
}

/// Replaces each `{name}` reference in `pattern` with the concept's alternation (an unknown one is left as
/// written): the reference meaning of a pattern, for tests.
#[cfg(test)]
pub(crate) fn expand(pattern: &str, concepts: &[Concept], ids: &std::collections::HashMap<String, u32>) -> String {
    let mut out = String::with_capacity(pattern.len());
    for (text, name) in split_references(pattern) {
        out.push_str(text);
        match name.and_then(|n| ids.get(n).map(|&i| (n, i))) {
            Some((_, id)) => out.push_str(&alternation(&concepts[id as usize])),
            None => {
                if let Some(n) = name {
                    out.push('{');
                    out.push_str(n);
                    out.push('}');
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(text: &str) -> Result<Vec<Lexicon>, Error> {
        parse_file("t.toml", text)
    }

    #[test]
    fn references_skip_repetitions_and_escapes() {
        assert_eq!(
            references(r"{pay_verb}\s+to\s{1,3}{alt_payee}"),
            vec!["pay_verb", "alt_payee"]
        );
        assert_eq!(references(r"\{x}a{2}"), Vec::<&str>::new());
        let mut ids = std::collections::HashMap::new();
        ids.insert("a".to_string(), 0);
        let concepts = [Concept {
            terms: vec![Term {
                folded: "x".into(),
                open_start: false,
                open_end: false,
                inflect: false,
            }],
            exclude: Vec::new(),
        }];
        assert_eq!(
            expand(r"\{a}{a}b{2}{zz}", &concepts, &ids),
            r"\{a}(?:(?-u:\b)x(?-u:\b))b{2}{zz}"
        );
    }

    #[test]
    fn cycles_unknown_and_empty_are_errors_with_lines() {
        let folder = Folder::new([]);
        let l =
            lex("[a]\ndescription = \"A\"\ninclude = [\"b\"]\n[b]\ndescription = \"B\"\ninclude = [\"a\"]\n").unwrap();
        let err = resolve(&l, &["a".into()], &folder).unwrap_err();
        assert!(err.to_string().contains("cycle"), "{err}");
        let l = lex("[a]\ndescription = \"A\"\nterms = [\"x\"]\ninclude = [\"zz\"]\n").unwrap();
        let err = resolve(&l, &["a".into()], &folder).unwrap_err();
        assert!(err.to_string().starts_with("t.toml:4"), "{err}");
        assert!(err.to_string().contains("zz"), "{err}");
        let err = lex("[a]\ndescription = \"A\"\nterms = []\n").unwrap_err();
        assert!(err.to_string().contains("empty"), "{err}");
        let l = lex("[a]\ndescription = \"A\"\nterms = [\"ok\", \"\u{200b}\"]\n").unwrap();
        let err = resolve(&l, &["a".into()], &folder).unwrap_err();
        assert!(err.to_string().contains("empty after folding"), "{err}");
        let err = lex("[a]\ndescription = \"A\"\nterms = [\"x\"]\ncolour = 1\n").unwrap_err();
        assert!(err.to_string().starts_with("t.toml:"), "{err}");
    }

    #[test]
    fn includes_flatten_and_stars_open_boundaries() {
        let folder = Folder::new([]);
        let l = lex("[a]\ndescription = \"A\"\nterms = [\"Transfer*\", \"轉帳\"]\ninclude = [\"b\"]\n[b]\ndescription = \"B\"\nterms = [\"wire\"]\n")
            .unwrap();
        let c = resolve(&l, &["a".into()], &folder).unwrap();
        let t: Vec<(&str, bool)> = c[0].terms.iter().map(|t| (t.folded.as_str(), t.open_end)).collect();
        assert!(t.contains(&("transfer", true)), "{t:?}");
        assert!(t.contains(&("转账", false)), "{t:?}");
        assert!(t.contains(&("wire", false)), "{t:?}");
        let alt = alternation(&c[0]);
        let re = regex::Regex::new(&alt).unwrap();
        assert!(re.is_match("transferred") && re.is_match("wire") && !re.is_match("wireless"));
    }
}
