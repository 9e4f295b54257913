//! Typed errors: everything that can go wrong happens while building a detector, never while scanning.

use std::fmt;
use std::path::PathBuf;

/// Where in a rule source something is: the source's name (a file path, or `<inline>`) and a 1-based line.
///
/// # Example
///
/// ```
/// let err = redflag::Detector::builder()
///     .add_rules_toml("[[rule]]\nid = 1")
///     .unwrap_err();
/// assert_eq!(err.location().map(|l| l.line), Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The name of the rule source: a file path, or `<inline>` for text given directly.
    pub source: String,
    /// 1-based line number.
    pub line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.source, self.line)
    }
}

/// What is wrong with one rule.
///
/// # Example
///
/// ```
/// use redflag::{Error, RuleErrorKind};
///
/// let toml = r#"
/// [[rule]]
/// id = "urgency.bad"
/// category = "urgency"
/// severity = "low"
/// keywords = ["now"]
/// pattern = "(unclosed"
/// examples.match = []
/// examples.ignore = []
/// "#;
/// match redflag::Detector::builder().add_rules_toml(toml).and_then(|b| b.build()) {
///     Err(Error::Rule { kind: RuleErrorKind::InvalidPattern { .. }, .. }) => {}
///     other => panic!("unexpected: {other:?}"),
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleErrorKind {
    /// Another rule already uses this id.
    DuplicateId {
        /// Where the first rule with this id is.
        first: Location,
    },
    /// The id is not `<category>.<name>` in lowercase ASCII letters, digits, `_` and `.`.
    BadId,
    /// The rule has no keywords.
    NoKeywords,
    /// A keyword is empty after folding (only spaces, punctuation or invisible characters).
    EmptyKeyword {
        /// The keyword as written.
        keyword: String,
    },
    /// The pattern does not compile.
    InvalidPattern {
        /// The `regex` crate's message.
        message: String,
    },
    /// The pattern compiles to more than the size limit.
    PatternTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// `window` is outside `1..=400`.
    BadWindow {
        /// The value given.
        window: usize,
    },
    /// An atom reference `@name` names no atom.
    UnknownAtom {
        /// The name referenced.
        name: String,
    },
    /// An atom name is not lowercase ASCII letters, digits and `_`.
    BadAtomName,
    /// An allowlist phrase is empty after folding.
    EmptyAllow {
        /// The phrase as written.
        phrase: String,
    },
    /// A `{name}` reference (in `all`, `any`, `none`, `pattern` or a lexicon's `include`) names no lexicon.
    UnknownLexicon {
        /// The name referenced.
        name: String,
    },
    /// A lexicon has neither terms nor includes.
    EmptyLexicon {
        /// The lexicon's name.
        name: String,
    },
    /// A lexicon has no (or a blank) `description`.
    NoDescription,
    /// Lexicons include each other in a cycle.
    LexiconCycle {
        /// The names along the cycle, the first repeated at the end.
        cycle: Vec<String>,
    },
    /// An entry of `all`, `any` or `none` in a rule composed from concepts is not a `{name}` reference.
    BadConceptRef {
        /// The entry as written.
        entry: String,
    },
    /// A lexicon with this name is already defined.
    DuplicateLexicon {
        /// Where the first lexicon with this name is.
        first: Location,
    },
    /// `within` is not `clause`, `sentence`, `message` or a number of words in `1..=80`.
    BadWithin {
        /// The value as written.
        value: String,
    },
}

impl fmt::Display for RuleErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleErrorKind::DuplicateId { first } => {
                write!(f, "duplicate id (first defined at {first})")
            }
            RuleErrorKind::BadId => f.write_str("id must be `<category>.<name>` (lowercase letters, digits, `_`, `.`)"),
            RuleErrorKind::NoKeywords => f.write_str("`keywords` must not be empty"),
            RuleErrorKind::EmptyKeyword { keyword } => {
                write!(f, "keyword {keyword:?} is empty after folding")
            }
            RuleErrorKind::InvalidPattern { message } => {
                write!(f, "pattern does not compile: {message}")
            }
            RuleErrorKind::PatternTooLarge { limit } => {
                write!(f, "pattern compiles to more than the {limit}-byte limit")
            }
            RuleErrorKind::BadWindow { window } => {
                write!(
                    f,
                    "window {window} is outside 1..=400 (characters) or 1..=80 (`window_words`)"
                )
            }
            RuleErrorKind::UnknownAtom { name } => write!(f, "unknown atom `@{name}`"),
            RuleErrorKind::BadAtomName => f.write_str("atom names are lowercase letters, digits and `_`"),
            RuleErrorKind::EmptyAllow { phrase } => {
                write!(f, "allow phrase {phrase:?} is empty after folding")
            }
            RuleErrorKind::UnknownLexicon { name } => write!(f, "unknown lexicon `{{{name}}}`"),
            RuleErrorKind::EmptyLexicon { name } => write!(f, "lexicon `{name}` is empty (no terms, no include)"),
            RuleErrorKind::NoDescription => f.write_str("`description` must not be empty"),
            RuleErrorKind::LexiconCycle { cycle } => write!(f, "lexicons include each other in a cycle: {}", cycle.join(" -> ")),
            RuleErrorKind::BadConceptRef { entry } => write!(
                f,
                "{entry:?} is not a concept reference: in a rule composed from lexicons, `all`, `any` and `none` hold `{{name}}` entries only"
            ),
            RuleErrorKind::DuplicateLexicon { first } => write!(f, "duplicate lexicon name (first defined at {first})"),
            RuleErrorKind::BadWithin { value } => write!(
                f,
                "within = {value} is not \"clause\", \"sentence\", \"message\" or a number of words in 1..=80"
            ),
        }
    }
}

/// An error building a [`Detector`](crate::Detector) from rule sources.
///
/// Every variant names the source and line; rule errors also name the rule.
///
/// # Example
///
/// ```
/// let err = redflag::Detector::builder()
///     .add_rules_toml("[[rule]]\nid = \"urgency.x\"\ncolour = \"red\"")
///     .unwrap_err();
/// assert!(err.to_string().starts_with("<inline>:3"), "{err}");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The source is not valid TOML, or does not have the rule file's shape (unknown field, wrong type, unknown
    /// category or severity, missing field).
    #[error("{location}: {message}")]
    Parse {
        /// Where the problem is.
        location: Location,
        /// What the TOML parser said.
        message: String,
    },
    /// One rule is invalid.
    #[error("{location}: rule `{rule}`: {kind}")]
    Rule {
        /// Where the rule (or the offending field) is.
        location: Location,
        /// The rule's id.
        rule: String,
        /// What is wrong.
        kind: RuleErrorKind,
    },
    /// Rule examples failed ([`Ruleset::check_examples`](crate::Ruleset::check_examples)).
    #[error(transparent)]
    Examples(#[from] ExampleFailures),
    /// A rule file could not be read.
    #[error("cannot read rule file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Where the error is, when it is inside a rule source.
    ///
    /// # Example
    ///
    /// ```
    /// let err = redflag::Detector::builder().add_rules_toml("not toml at all").unwrap_err();
    /// assert_eq!(err.location().unwrap().source, "<inline>");
    /// ```
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Parse { location, .. } | Error::Rule { location, .. } => Some(location),
            Error::Io { .. } | Error::Examples(_) => None,
        }
    }
}

/// One rule example that did not behave as its rule says.
///
/// # Example
///
/// ```
/// let toml = r#"
/// [[rule]]
/// id = "urgency.today"
/// category = "urgency"
/// severity = "low"
/// keywords = ["today"]
/// examples.match = ["pay today", "yesterday"]
/// examples.ignore = ["no rush", "see you today"]
/// "#;
/// let detector = redflag::Detector::builder().builtin_rules(false).add_rules_toml(toml)?.build()?;
/// let failures = detector.check_examples().unwrap_err();
/// assert_eq!(failures.failures().len(), 2);
/// assert_eq!(failures.failures()[0].example, "yesterday");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The rule's id.
    pub rule: String,
    /// Where the rule is.
    pub location: Location,
    /// The example text.
    pub example: String,
    /// `true` for an `examples.match` entry that did not match; `false` for an `examples.ignore` entry that did.
    pub should_match: bool,
    /// For `examples.match`/`examples.ignore` counts below the minimum: the message, and `example` is empty.
    pub problem: Option<String>,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            Some(p) => write!(f, "{}: rule `{}`: {}", self.location, self.rule, p),
            None if self.should_match => {
                write!(
                    f,
                    "{}: rule `{}`: does not match {:?}",
                    self.location, self.rule, self.example
                )
            }
            None => write!(
                f,
                "{}: rule `{}`: matches ignore example {:?}",
                self.location, self.rule, self.example
            ),
        }
    }
}

/// All the example failures of a rule set (never empty).
///
/// # Example
///
/// ```
/// assert!(redflag::Detector::new().check_examples().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} rule example(s) failed:\n{}", .0.len(), .0.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct ExampleFailures(pub(crate) Vec<ExampleFailure>);

impl ExampleFailures {
    /// The failures, in rule order.
    ///
    /// # Example
    ///
    /// ```
    /// let ok = redflag::Detector::new().check_examples();
    /// assert!(ok.map_err(|f| f.failures().len()).is_ok());
    /// ```
    pub fn failures(&self) -> &[ExampleFailure] {
        &self.0
    }
}

/// A text's newline offsets, so that each span's line is a binary search (counting newlines from the start for
/// every span was quadratic, and half of `Detector::new()`).
pub(crate) struct Lines(Vec<usize>);

impl Lines {
    pub(crate) fn new(text: &str) -> Lines {
        Lines(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The 1-based line of byte `offset` (the last line past the end).
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&n| n < offset) + 1
    }
}
