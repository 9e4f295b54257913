//! The public API: [`Detector`] and [`DetectorBuilder`]. Compiling is `crate::compile`, scanning `crate::scan`.

use std::path::Path;
use std::sync::Arc;

use crate::compile::Inner;
use crate::error::{Error, ExampleFailure, ExampleFailures};
use crate::normalize::Folding;
use crate::report::Report;
use crate::rules::Ruleset;
use crate::scan::Cache;
use crate::score::Severity;

/// Scans messages for scam pretexts. Immutable once built, `Send + Sync`, and cheap to clone (the compiled rules
/// are shared).
///
/// # Example
///
/// ```
/// use redflag::{Category, Detector, Risk};
///
/// let detector = Detector::new();
/// let report = detector.scan("Our receiving account is frozen for the annual check, kindly remit to the new account below.");
/// assert_eq!(report.risk(), Risk::High);
/// assert!(report.categories().contains(&Category::GatewayMaintenancePretext));
///
/// let other = detector.clone(); // shares the compiled rules
/// assert!(other.scan("Thanks, the samples arrived today.").findings().is_empty());
/// ```
#[derive(Clone, Debug)]
pub struct Detector {
    inner: Arc<Inner>,
}

/// Builds a [`Detector`]: add rule files to (or instead of) the built-in ones, and set a minimum severity.
///
/// All fallible work happens here; scanning cannot fail.
///
/// # Example
///
/// ```
/// use redflag::{Detector, Severity};
///
/// let toml = r#"
/// [[rule]]
/// id = "off_platform_payment.bitcoin_atm"
/// category = "off_platform_payment"
/// severity = "high"
/// keywords = ["bitcoin atm"]
/// examples.match = ["deposit it at a bitcoin ATM", "Bitcoin ATM near you works"]
/// examples.ignore = ["we accept card at checkout", "bitcoin price is up"]
/// "#;
/// let detector = Detector::builder().add_rules_toml(toml)?.min_severity(Severity::Medium).build()?;
/// assert!(detector.scan("pay at a bitcoin atm").is_alert());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct DetectorBuilder {
    builtin: bool,
    extra: Ruleset,
    min_severity: Severity,
    folding: Folding,
}

impl Default for DetectorBuilder {
    fn default() -> Self {
        DetectorBuilder {
            builtin: true,
            extra: Ruleset::new(),
            min_severity: Severity::Low,
            folding: Folding::Full,
        }
    }
}

impl DetectorBuilder {
    /// Adds the rules of a TOML text (named `<inline>` in errors). A rule whose id is a built-in rule's replaces
    /// it; two added rules with one id are an error.
    ///
    /// # Errors
    ///
    /// [`Error::Parse`] or [`Error::Rule`], naming the line and rule.
    ///
    /// # Example
    ///
    /// ```
    /// let err = redflag::Detector::builder().add_rules_toml("[[rule]]\nid = \"x.y\"\n").unwrap_err();
    /// assert!(err.to_string().contains("<inline>"));
    /// ```
    pub fn add_rules_toml(self, text: &str) -> Result<DetectorBuilder, Error> {
        self.add_rules_toml_named("<inline>", text)
    }

    /// Adds the rules of a TOML text, naming it `source` in errors.
    ///
    /// # Errors
    ///
    /// As [`DetectorBuilder::add_rules_toml`].
    ///
    /// # Example
    ///
    /// ```
    /// let err = redflag::Detector::builder().add_rules_toml_named("mine.toml", "x = 1").unwrap_err();
    /// assert!(err.to_string().starts_with("mine.toml:1"), "{err}");
    /// ```
    pub fn add_rules_toml_named(mut self, source: &str, text: &str) -> Result<DetectorBuilder, Error> {
        self.extra.add_toml(source, text)?;
        Ok(self)
    }

    /// Reads and adds a rule file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when it cannot be read, otherwise as [`DetectorBuilder::add_rules_toml`].
    ///
    /// # Example
    ///
    /// ```
    /// assert!(redflag::Detector::builder().add_rules_file("missing.toml").is_err());
    /// ```
    pub fn add_rules_file(mut self, path: impl AsRef<Path>) -> Result<DetectorBuilder, Error> {
        self.extra.add_file(path)?;
        Ok(self)
    }

    /// Adds an already loaded [`Ruleset`] (same replacement rules as [`DetectorBuilder::add_rules_toml`]).
    ///
    /// # Example
    ///
    /// ```
    /// let d = redflag::Detector::builder().builtin_rules(false).rules(redflag::Ruleset::builtin()).build()?;
    /// assert_eq!(d.rules().rules().len(), redflag::Ruleset::builtin().rules().len());
    /// # Ok::<(), redflag::Error>(())
    /// ```
    pub fn rules(mut self, rules: Ruleset) -> DetectorBuilder {
        self.extra.merge_replacing(rules);
        self
    }

    /// Whether to include the built-in rules (default `true`).
    ///
    /// # Example
    ///
    /// ```
    /// let d = redflag::Detector::builder().builtin_rules(false).build()?;
    /// assert!(d.scan("add my wechat").findings().is_empty());
    /// # Ok::<(), redflag::Error>(())
    /// ```
    pub fn builtin_rules(mut self, yes: bool) -> DetectorBuilder {
        self.builtin = yes;
        self
    }

    /// Drops rules below this severity (default [`Severity::Low`]: keep all).
    ///
    /// # Example
    ///
    /// ```
    /// let d = redflag::Detector::builder().min_severity(redflag::Severity::High).build()?;
    /// assert!(d.scan("add me on wechat: lily_88").findings().is_empty());
    /// # Ok::<(), redflag::Error>(())
    /// ```
    pub fn min_severity(mut self, severity: Severity) -> DetectorBuilder {
        self.min_severity = severity;
        self
    }

    /// How much folding to apply (default [`Folding::Full`]).
    ///
    /// # Example
    ///
    /// ```
    /// let d = redflag::Detector::builder().folding(redflag::Folding::Basic).build()?;
    /// assert!(d.scan("薇 信 lily_88").findings().is_empty());
    /// # Ok::<(), redflag::Error>(())
    /// ```
    pub fn folding(mut self, folding: Folding) -> DetectorBuilder {
        self.folding = folding;
        self
    }

    /// Compiles the rules: folds keywords, compiles patterns, builds the automaton.
    ///
    /// # Errors
    ///
    /// [`Error::Rule`] for a keyword or allow phrase that folds to nothing, or a pattern that does not compile or
    /// is too large.
    ///
    /// # Example
    ///
    /// ```
    /// let toml = "[[rule]]\nid = \"urgency.x\"\ncategory = \"urgency\"\nseverity = \"low\"\nkeywords = [\"\u{200b}\"]";
    /// let err = redflag::Detector::builder().add_rules_toml(toml)?.build().unwrap_err();
    /// assert!(err.to_string().contains("empty after folding"), "{err}");
    /// # Ok::<(), redflag::Error>(())
    /// ```
    pub fn build(self) -> Result<Detector, Error> {
        let inner = crate::compile::build(self.builtin, self.extra, self.min_severity, self.folding)?;
        Ok(Detector { inner: Arc::new(inner) })
    }
}

impl Default for Detector {
    fn default() -> Self {
        Detector::new()
    }
}

impl Detector {
    /// The detector with the built-in dictionaries. Cannot fail.
    ///
    /// # Example
    ///
    /// ```
    /// let d = redflag::Detector::new();
    /// assert_eq!(d.scan("请加我微信 abc_888").risk(), redflag::Risk::Medium);
    /// ```
    pub fn new() -> Detector {
        match DetectorBuilder::default().build() {
            Ok(d) => d,
            // The built-in rules are compiled by every test run; failing here is a build defect.
            Err(e) => panic!("built-in rules do not compile: {e}"),
        }
    }

    /// A builder, to add rule files or set options.
    ///
    /// # Example
    ///
    /// ```
    /// let d = redflag::Detector::builder().build()?;
    /// assert!(!d.rules().rules().is_empty());
    /// # Ok::<(), redflag::Error>(())
    /// ```
    pub fn builder() -> DetectorBuilder {
        DetectorBuilder::default()
    }

    /// The rules this detector was built from.
    ///
    /// # Example
    ///
    /// ```
    /// let d = redflag::Detector::new();
    /// assert!(d.rules().rules().iter().any(|r| r.id().starts_with("urgency.")));
    /// ```
    pub fn rules(&self) -> &Ruleset {
        &self.inner.source
    }

    /// Scans one message. Never fails, never panics; every finding's span is a valid range of `text` on char
    /// boundaries. Texts longer than 1 MiB are scanned in pieces cut at line breaks where possible.
    ///
    /// # Example
    ///
    /// ```
    /// let text = "Better you transfer the balance to my personal account, I give you 2% discount.";
    /// let report = redflag::Detector::new().scan(text);
    /// assert!(report.is_alert());
    /// for f in report.findings() {
    ///     assert!(!text[f.span()].is_empty());
    /// }
    /// ```
    pub fn scan(&self, text: &str) -> Report {
        self.inner.scan_with(text, false)
    }

    /// Scans like [`Detector::scan`] and also records every candidate that context dropped, and why
    /// ([`Report::suppressed`]): for rule authors, and for users who want to see why a message did or did not
    /// fire. Slower than `scan`; the findings are the same.
    ///
    /// # Example
    ///
    /// ```
    /// use redflag::{Detector, Reason};
    ///
    /// let r = Detector::new().explain("Never pay to a personal account, report it to the platform.");
    /// assert!(r.findings().is_empty());
    /// let s = &r.suppressed()[0];
    /// assert!(matches!(s.reason(), Reason::Negation { .. }), "{s:?}");
    /// ```
    pub fn explain(&self, text: &str) -> Report {
        self.inner.scan_with(text, true)
    }

    /// Scans one message like [`Detector::scan`], with buffers the caller keeps: for callers that manage their
    /// own threads or want no hidden per-thread state. The report is the same as `scan`'s.
    ///
    /// # Example
    ///
    /// ```
    /// use redflag::{Cache, Detector};
    ///
    /// let d = Detector::new();
    /// let mut cache = Cache::new();
    /// for text in ["add my wechat lily_8899", "Thanks, the samples arrived."] {
    ///     let r = d.scan_with_cache(text, &mut cache);
    ///     assert_eq!(format!("{r:?}"), format!("{:?}", d.scan(text)));
    /// }
    /// ```
    pub fn scan_with_cache(&self, text: &str, cache: &mut Cache) -> Report {
        self.inner.scan_into(text, false, &mut cache.scratch)
    }

    /// Scans many messages using every available core, and returns their reports in input order; each report is
    /// the one [`Detector::scan`] gives for that text. Use it for a backlog or a table of messages (the Python
    /// package and the Spark job call it); [`Detector::scan_batch_with`] sets the number of threads.
    ///
    /// # Example
    ///
    /// ```
    /// let d = redflag::Detector::new();
    /// let texts = ["add my wechat lily_8899", "Thanks, the samples arrived.", "pay to my personal account"];
    /// let reports = d.scan_batch(&texts);
    /// assert_eq!(reports.len(), 3);
    /// assert!(reports[2].is_alert() && reports[1].findings().is_empty());
    /// ```
    pub fn scan_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Report> {
        self.scan_batch_with(texts, 0)
    }

    /// Like [`Detector::scan_batch`] on at most `threads` threads (`0`: the available parallelism, `1`: this
    /// thread only). Small batches use fewer threads (one per 64 messages).
    ///
    /// # Example
    ///
    /// ```
    /// let d = redflag::Detector::new();
    /// let texts: Vec<String> = (0..200).map(|i| format!("order {i}: pay to my personal account")).collect();
    /// let two = d.scan_batch_with(&texts, 2);
    /// let one = d.scan_batch_with(&texts, 1);
    /// assert_eq!(two.len(), 200);
    /// assert_eq!(format!("{:?}", two[150]), format!("{:?}", one[150]));
    /// ```
    pub fn scan_batch_with<S: AsRef<str> + Sync>(&self, texts: &[S], threads: usize) -> Vec<Report> {
        crate::batch::run(texts, threads, |t, cache| self.scan_with_cache(t, cache))
    }
    /// The distinct keywords of every rule, folded as the automaton sees them: for tooling, and for benchmarks
    /// that compare `scan` with a bare automaton pass over the same keyword set.
    ///
    /// # Example
    ///
    /// ```
    /// let d = redflag::Detector::new();
    /// assert!(d.keywords().any(|k| k == "wechat"));
    /// assert!(d.keywords().all(|k| k == k.to_lowercase()));
    /// ```
    pub fn keywords(&self) -> impl Iterator<Item = &str> + '_ {
        self.inner.keywords.patterns()
    }

    /// The conversation escalation rules, which conversations apply.
    pub(crate) fn escalation_rules(&self) -> &[std::sync::Arc<crate::rules::EscalationRule>] {
        &self.inner.escalations
    }

    /// Runs every rule's examples against this detector: each `examples.match` entry must produce a finding of its
    /// rule, no `examples.ignore` entry may, and each rule needs at least two of each.
    ///
    /// # Errors
    ///
    /// Every failure, collected.
    ///
    /// # Example
    ///
    /// ```
    /// redflag::Detector::new().check_examples()?;
    /// # Ok::<(), redflag::ExampleFailures>(())
    /// ```
    pub fn check_examples(&self) -> Result<(), ExampleFailures> {
        let mut failures = Vec::new();
        for rule in &self.inner.source.rules {
            let fail = |example: &str, should_match: bool, problem: Option<String>| ExampleFailure {
                rule: rule.id.clone(),
                location: rule.location.clone(),
                example: example.to_string(),
                should_match,
                problem,
            };
            for (list, want, name) in [
                (&rule.examples_match, true, "examples.match"),
                (&rule.examples_ignore, false, "examples.ignore"),
            ] {
                if list.len() < 2 {
                    failures.push(fail("", want, Some(format!("needs at least two {name} entries"))));
                }
                for ex in list {
                    let fired = self.scan(ex).findings().iter().any(|f| f.rule_id() == rule.id);
                    if fired != want {
                        failures.push(fail(ex, want, None));
                    }
                }
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(ExampleFailures(failures))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_compile_and_examples_pass() {
        let d = Detector::new();
        if let Err(e) = d.check_examples() {
            panic!("{e}");
        }
    }
}
