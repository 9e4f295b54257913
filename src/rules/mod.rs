//! Rules: the model (rules, rule sets, advice), the built-in dictionaries, loading with source lines
//! (`load`) and the words the folder must know (`vocabulary`).

mod escalation;
mod load;
mod vocabulary;

pub(crate) use escalation::{escalation_rules, EscalationRule};

use load::parse;
pub(crate) use load::{concept_name, pattern_error_kind};
pub(crate) use vocabulary::{atom_vocabulary, lexicon_vocabulary, vocabulary};

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Location, RuleErrorKind};
use crate::score::{Category, Severity};

/// The built-in rule files, one per category, embedded at compile time: `(name, text)`.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    (
        "data/rules/off_platform_payment.toml",
        include_str!("../../data/rules/off_platform_payment.toml"),
    ),
    (
        "data/rules/contact_move.toml",
        include_str!("../../data/rules/contact_move.toml"),
    ),
    (
        "data/rules/tax_invoice_pretext.toml",
        include_str!("../../data/rules/tax_invoice_pretext.toml"),
    ),
    (
        "data/rules/gateway_maintenance_pretext.toml",
        include_str!("../../data/rules/gateway_maintenance_pretext.toml"),
    ),
    (
        "data/rules/counterfeit_hint.toml",
        include_str!("../../data/rules/counterfeit_hint.toml"),
    ),
    (
        "data/rules/dispute_pressure.toml",
        include_str!("../../data/rules/dispute_pressure.toml"),
    ),
    (
        "data/rules/fake_payment_link.toml",
        include_str!("../../data/rules/fake_payment_link.toml"),
    ),
    (
        "data/rules/advance_fee.toml",
        include_str!("../../data/rules/advance_fee.toml"),
    ),
    ("data/rules/urgency.toml", include_str!("../../data/rules/urgency.toml")),
];

/// The per-category advice, embedded at compile time.
const ADVICE: &str = include_str!("../../data/advice.toml");

/// Largest compiled size of one rule pattern, in bytes.
pub(crate) const PATTERN_SIZE_LIMIT: usize = 1 << 22;
/// Default and largest `window`, in characters either side of a keyword hit.
pub(crate) const DEFAULT_WINDOW: usize = 60;
const MAX_WINDOW: usize = 400;
const MAX_WINDOW_WORDS: usize = 80;

/// What the buyer should do, in English and Chinese.
///
/// # Example
///
/// ```
/// let d = redflag::Detector::new();
/// let r = d.scan("加我微信：abc12345");
/// let advice = r.findings()[0].advice();
/// assert!(advice.for_text("加我微信").contains("平台"));
/// assert!(!advice.en.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[serde(deny_unknown_fields)]
pub struct Advice {
    /// English advice.
    pub en: String,
    /// Chinese advice (simplified).
    pub zh: String,
}

impl Advice {
    /// The advice in the language of `text`: Chinese when it holds a Han character, English otherwise.
    ///
    /// # Example
    ///
    /// ```
    /// let a = redflag::Advice { en: "Stop.".into(), zh: "停。".into() };
    /// assert_eq!(a.for_text("請付款"), "停。");
    /// assert_eq!(a.for_text("please pay"), "Stop.");
    /// ```
    pub fn for_text(&self, text: &str) -> &str {
        if text.chars().any(crate::normalize::is_han) {
            &self.zh
        } else {
            &self.en
        }
    }
}

/// One validated rule, as written in its source.
///
/// # Example
///
/// ```
/// let rules = redflag::Ruleset::builtin();
/// let rule = rules.rules().iter().find(|r| r.category() == redflag::Category::ContactMove).unwrap();
/// assert!(rule.id().starts_with("contact_move."));
/// assert!(rule.concepts().count() > 0);
/// assert!(rule.examples_match().len() >= 2);
/// ```
#[derive(Debug, Clone)]
pub struct Rule {
    pub(crate) id: String,
    pub(crate) category: Category,
    pub(crate) severity: Severity,
    pub(crate) description: Option<String>,
    pub(crate) keywords: Vec<(String, usize)>,
    pub(crate) pattern: Option<(String, usize)>,
    pub(crate) all: Vec<(String, usize)>,
    pub(crate) any: Vec<(String, usize)>,
    pub(crate) unless: Vec<(String, usize)>,
    /// Concepts that veto the scope (`none`); for composed rules `unless` entries land here too.
    pub(crate) none: Vec<(String, usize)>,
    /// Concepts that veto only in a clause that holds one of the rule's own terms (`none_in_clause`).
    pub(crate) none_in_clause: Vec<(String, usize)>,
    /// Composed from concepts: `all`, `any` and `none` hold `{name}` references.
    pub(crate) composed: bool,
    /// Where a composed rule's concepts must occur together.
    pub(crate) within: Within,
    /// The `all` concepts occur in the order listed.
    pub(crate) ordered: bool,
    pub(crate) window: usize,
    pub(crate) window_words: Option<usize>,
    pub(crate) sentence: bool,
    pub(crate) allow: Vec<(String, usize)>,
    pub(crate) vocabulary: Vec<String>,
    pub(crate) segment: bool,
    pub(crate) advice: Option<Advice>,
    pub(crate) examples_match: Vec<String>,
    pub(crate) examples_ignore: Vec<String>,
    pub(crate) location: Location,
    /// Shipped with the crate (its patterns are validated by the test suite and may compile lazily).
    pub(crate) builtin: bool,
}

impl Rule {
    /// The unique id, `<category>.<name>`.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.rules().iter().all(|r| r.id().contains('.')));
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The category.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.rules().iter().all(|r| r.id().starts_with(r.category().as_str())));
    /// ```
    pub fn category(&self) -> Category {
        self.category
    }

    /// The severity of its findings.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.rules().iter().any(|r| r.severity() == redflag::Severity::High));
    /// ```
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// A one-line description, when the rule has one.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.rules().iter().all(|r| r.description().is_some()));
    /// ```
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The keywords as written (before folding), for a rule in the older keyword form; a rule composed from
    /// lexicons has none (see [`Rule::concepts`]).
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.rules().iter().all(|r| r.keywords().count() > 0 || r.concepts().count() > 0));
    /// ```
    pub fn keywords(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.keywords.iter().map(|(k, _)| k.as_str())
    }

    /// The concepts a rule composed from lexicons requires, as `(name, kind)` where kind is `"all"`, `"any"`,
    /// `"none"` or `"none_in_clause"`; empty for a rule in the older keyword form.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// let r = &rules.rules()[0];
    /// assert!(r.concepts().any(|(_, kind)| kind == "all" || kind == "any"));
    /// ```
    pub fn concepts(&self) -> impl Iterator<Item = (&str, &'static str)> + '_ {
        let lists: [(&'static str, &[(String, usize)]); 4] = [
            ("all", &self.all),
            ("any", &self.any),
            ("none", &self.none),
            ("none_in_clause", &self.none_in_clause),
        ];
        lists
            .into_iter()
            .filter(|_| self.composed)
            .flat_map(|(kind, v)| v.iter().map(move |(e, _)| (concept_name(e), kind)))
    }

    /// The confirming regex, when the rule has one.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.rules().iter().any(|r| r.pattern().is_some()));
    /// ```
    pub fn pattern(&self) -> Option<&str> {
        self.pattern.as_ref().map(|(p, _)| p.as_str())
    }

    /// The rule's own advice, when it overrides its category's.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// let _ = rules.rules()[0].advice();
    /// ```
    pub fn advice(&self) -> Option<&Advice> {
        self.advice.as_ref()
    }

    /// Messages this rule must match.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.rules().iter().all(|r| r.examples_match().len() >= 2));
    /// ```
    pub fn examples_match(&self) -> &[String] {
        &self.examples_match
    }

    /// Messages this rule must not match.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.rules().iter().all(|r| r.examples_ignore().len() >= 2));
    /// ```
    pub fn examples_ignore(&self) -> &[String] {
        &self.examples_ignore
    }

    /// Where the rule is defined.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.rules()[0].location().source.starts_with("data/rules/"));
    /// ```
    pub fn location(&self) -> &Location {
        &self.location
    }

    fn loc(&self, line: usize) -> Location {
        Location {
            source: self.location.source.clone(),
            line,
        }
    }

    pub(crate) fn error(&self, line: usize, kind: RuleErrorKind) -> Error {
        Error::Rule {
            location: self.loc(line),
            rule: self.id.clone(),
            kind,
        }
    }
}

/// An ordered set of validated rules, loaded from one or more TOML sources.
///
/// A `Ruleset` is the data; a [`Detector`](crate::Detector) compiles it. Loading checks the shape of every rule
/// (unknown fields, ids, duplicate ids, window); building the detector checks what needs compiling (patterns,
/// keywords that fold to nothing).
///
/// # Example
///
/// ```
/// let toml = r#"
/// [[rule]]
/// id = "urgency.tonight"
/// category = "urgency"
/// severity = "low"
/// keywords = ["tonight"]
/// examples.match = ["pay tonight", "offer ends tonight"]
/// examples.ignore = ["see you tomorrow", "no rush"]
/// "#;
/// let mut rules = redflag::Ruleset::new();
/// rules.add_toml("mine.toml", toml)?;
/// assert_eq!(rules.rules().len(), 1);
/// rules.check_examples()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Ruleset {
    pub(crate) rules: Vec<Rule>,
    pub(crate) atoms: Vec<Atom>,
    pub(crate) lexicons: Vec<crate::lexicon::Lexicon>,
}

impl Ruleset {
    /// An empty rule set.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(redflag::Ruleset::new().rules().is_empty());
    /// ```
    pub fn new() -> Ruleset {
        Ruleset::default()
    }

    /// The built-in rules (`data/rules/*.toml`).
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// for c in redflag::Category::ALL {
    ///     assert!(rules.rules().iter().any(|r| r.category() == c), "{c}");
    /// }
    /// ```
    pub fn builtin() -> Ruleset {
        Ruleset::builtin_with(crate::lexicon::builtin())
    }

    /// The built-in rules with the given lexicons (the built-in ones, parsed or read from the snapshot).
    pub(crate) fn builtin_with(lexicons: Vec<crate::lexicon::Lexicon>) -> Ruleset {
        let mut set = Ruleset::new();
        set.lexicons = lexicons;
        for (name, text) in BUILTIN {
            // The shipped files are checked by tests (`tests/rules.rs`); failing here is a build defect.
            if let Err(e) = set.add_toml(name, text) {
                panic!("built-in rule file is invalid: {e}");
            }
        }
        for r in &mut set.rules {
            r.builtin = true;
        }
        for a in &mut set.atoms {
            a.builtin = true;
        }
        set
    }

    /// Whether it holds no rule, atom or lexicon.
    pub(crate) fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.atoms.is_empty() && self.lexicons.is_empty()
    }

    /// The rules, in source order.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(redflag::Ruleset::builtin().rules().len() > 20);
    /// ```
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The concept lexicons: the built-in ones (in [`Ruleset::builtin`]) and those defined by added files.
    ///
    /// # Example
    ///
    /// ```
    /// let rules = redflag::Ruleset::builtin();
    /// assert!(rules.lexicons().len() >= 20);
    /// ```
    pub fn lexicons(&self) -> &[crate::lexicon::Lexicon] {
        &self.lexicons
    }

    /// Parses `text` (named `source` in errors) and adds its rules. On error nothing is added.
    ///
    /// An id already in the set is an error ([`RuleErrorKind::DuplicateId`]).
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] for TOML or shape errors, [`Error::Rule`] for an invalid rule.
    ///
    /// # Example
    ///
    /// ```
    /// let mut rules = redflag::Ruleset::new();
    /// let err = rules.add_toml("x.toml", "[[rule]]\nid = \"bad\"").unwrap_err();
    /// assert!(err.to_string().starts_with("x.toml:"), "{err}");
    /// assert!(rules.rules().is_empty());
    /// ```
    pub fn add_toml(&mut self, source: &str, text: &str) -> Result<&mut Ruleset, Error> {
        let (parsed, atoms, lexicons) = parse(source, text)?;
        for l in &lexicons {
            if let Some(first) = self.lexicons.iter().find(|f| f.name == l.name) {
                return Err(l.duplicate_of(first));
            }
        }
        for a in &atoms {
            if let Some(first) = self.atoms.iter().find(|f| f.name == a.name) {
                return Err(Error::Rule {
                    location: a.location.clone(),
                    rule: format!("@{}", a.name),
                    kind: RuleErrorKind::DuplicateId {
                        first: first.location.clone(),
                    },
                });
            }
        }
        let mut seen: Vec<&Rule> = self.rules.iter().collect();
        for r in &parsed {
            if let Some(first) = seen.iter().find(|s| s.id == r.id) {
                return Err(r.error(
                    r.location.line,
                    RuleErrorKind::DuplicateId {
                        first: first.location.clone(),
                    },
                ));
            }
            seen.push(r);
        }
        self.rules.extend(parsed);
        self.atoms.extend(atoms);
        self.lexicons.extend(lexicons);
        Ok(self)
    }

    /// Reads a TOML file and adds its rules; errors name the file's path.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read, otherwise as [`Ruleset::add_toml`].
    ///
    /// # Example
    ///
    /// ```
    /// let err = redflag::Ruleset::new().add_file("no/such/file.toml").unwrap_err();
    /// assert!(matches!(err, redflag::Error::Io { .. }));
    /// ```
    pub fn add_file(&mut self, path: impl AsRef<Path>) -> Result<&mut Ruleset, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        self.add_toml(&path.display().to_string(), &text)
    }

    /// Adds rules, replacing any rule with the same id (used to let user files override built-in rules).
    pub(crate) fn merge_replacing(&mut self, other: Ruleset) {
        // Lexicon names are one namespace: a duplicate is reported when the detector is built.
        self.lexicons.extend(other.lexicons);
        for a in other.atoms {
            match self.atoms.iter_mut().find(|s| s.name == a.name) {
                Some(slot) => *slot = a,
                None => self.atoms.push(a),
            }
        }
        for r in other.rules {
            match self.rules.iter_mut().find(|s| s.id == r.id) {
                Some(slot) => *slot = r,
                None => self.rules.push(r),
            }
        }
    }

    /// Builds a detector from exactly these rules and runs every rule's examples: each `examples.match` entry must
    /// produce a finding of its rule, no `examples.ignore` entry may, and each list needs at least two entries.
    ///
    /// # Errors
    ///
    /// [`Error::Examples`] with every failure at once, or the build error of a rule set that does not compile.
    ///
    /// # Example
    ///
    /// ```
    /// redflag::Ruleset::builtin().check_examples()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_examples(&self) -> Result<(), Error> {
        let detector = crate::Detector::builder()
            .builtin_rules(false)
            .rules(self.clone())
            .build()?;
        detector.check_examples()?;
        Ok(())
    }
}

/// The advice of every category, from `data/advice.toml`.
pub(crate) fn category_advice() -> Vec<(Category, Advice)> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Entry {
        category: Category,
        en: String,
        zh: String,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        advice: Vec<Entry>,
    }
    // Embedded data, checked by `tests::advice_covers_every_category`.
    let file: File = match toml::from_str(ADVICE) {
        Ok(f) => f,
        Err(e) => panic!("data/advice.toml is invalid: {e}"),
    };
    file.advice
        .into_iter()
        .map(|e| (e.category, Advice { en: e.en, zh: e.zh }))
        .collect()
}

/// A named atom: an unscored regex that only feeds rules' composites.
#[derive(Debug, Clone)]
pub(crate) struct Atom {
    pub(crate) name: String,
    pub(crate) src: String,
    pub(crate) location: Location,
    pub(crate) builtin: bool,
}

/// Where a composed rule's concepts must occur together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Within {
    /// Between clause breaks (`,` `;` and sentence ends).
    Clause,
    /// Between sentence ends (`.` `!` `?` their full-width forms, line breaks).
    Sentence,
    /// The whole message.
    Message,
    /// Within this many words of the first `all` concept's hit, inside its sentence.
    Words(usize),
}

impl Rule {
    pub(crate) fn keyword_error(&self, line: usize, keyword: &str) -> Error {
        self.error(
            line,
            RuleErrorKind::EmptyKeyword {
                keyword: keyword.to_string(),
            },
        )
    }

    pub(crate) fn allow_error(&self, line: usize, phrase: &str) -> Error {
        self.error(
            line,
            RuleErrorKind::EmptyAllow {
                phrase: phrase.to_string(),
            },
        )
    }

    pub(crate) fn pattern_error(&self, line: usize, err: regex::Error) -> Error {
        self.error(line, pattern_error_kind(err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_covers_every_category() {
        let advice = category_advice();
        for c in Category::ALL {
            let n = advice.iter().filter(|(a, _)| *a == c).count();
            assert_eq!(n, 1, "{c} needs exactly one advice entry");
        }
        assert!(advice.iter().all(|(_, a)| !a.en.is_empty() && !a.zh.is_empty()));
    }

    #[test]
    fn line_numbers() {
        let lines = crate::error::Lines::new("a\nb\nc");
        assert_eq!(lines.line(0), 1);
        assert_eq!(lines.line(2), 2);
        assert_eq!(lines.line(99), 3);
    }
}
