//! The detector: built once from rules, then scans messages without failing.

use std::cell::RefCell;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};

use crate::automaton::{Hit, Keywords};
use crate::context::{self, Context, Cue, Framing};
use crate::error::{Error, ExampleFailure, ExampleFailures, Location, RuleErrorKind};
use crate::gates::{Gate, GateBuilder, Occurrence};
use crate::normalize::{Folder, Folding, Scratch, MAX_PIECE};
use crate::report::{Finding, Reason, Report, RuleInfo, Suppressed};
use crate::rules::{self, Advice, Ruleset, PATTERN_SIZE_LIMIT};
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

#[derive(Debug)]
struct Inner {
    folder: Folder,
    keywords: Keywords,
    rules: Vec<Compiled>,
    source: Ruleset,
    context: Context,
    escalations: Vec<Arc<crate::conversation::EscalationRule>>,
    entities: crate::entities::Extractor,
    /// The finding of a link whose domain imitates a platform or payment brand (an entity, not a keyword, rule).
    lookalike: Arc<RuleInfo>,
}

#[derive(Debug)]
struct Compiled {
    info: Arc<RuleInfo>,
    regex: Option<Arc<LazyRegex>>,
    /// Atoms that must all match within the window of a hit (the finding spans them).
    all: Vec<Arc<LazyRegex>>,
    /// Atoms of which at least one must match within the window.
    any: Vec<Arc<LazyRegex>>,
    /// Atoms that veto a window when any matches in it.
    unless: Vec<Arc<LazyRegex>>,
    window: usize,
    window_words: Option<usize>,
    sentence: bool,
    allow: Vec<String>,
    segment: bool,
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
    /// Whether confirmation patterns get their literal gates (off only in tests that compare both ways).
    gates: bool,
    builtin: bool,
    extra: Ruleset,
    min_severity: Severity,
    folding: Folding,
}

impl Default for DetectorBuilder {
    fn default() -> Self {
        DetectorBuilder {
            gates: true,
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
        let mut source = if self.builtin {
            Ruleset::builtin()
        } else {
            Ruleset::new()
        };
        source.merge_replacing(self.extra);
        source.rules.retain(|r| r.severity >= self.min_severity);

        // Words of shared atoms count too: a rule that reaches `temporary` only through `@other_account` must still
        // see `t3mporary` resolved.
        let vocab = source
            .rules
            .iter()
            .flat_map(rules::vocabulary)
            .chain(source.atoms.iter().flat_map(rules::atom_vocabulary));
        let folder = Folder::with_mode(vocab, self.folding);
        let advice: Vec<(crate::Category, Arc<Advice>)> = rules::category_advice()
            .into_iter()
            .map(|(c, a)| (c, Arc::new(a)))
            .collect();

        let gates = if self.gates {
            GateBuilder::builtin()
        } else {
            GateBuilder::default()
        };
        let mut atoms = std::collections::HashMap::new();
        let atom_src: std::collections::HashMap<&str, &str> =
            source.atoms.iter().map(|a| (a.name.as_str(), a.src.as_str())).collect();
        for a in &source.atoms {
            let src = ascii_word_classes(&a.src);
            let gate = gates.gate(&src);
            let re = if a.builtin {
                LazyRegex::lazy(src, gate)
            } else {
                LazyRegex::ready(
                    compile_pattern(&src).map_err(|e| Error::Rule {
                        location: a.location.clone(),
                        rule: format!("@{}", a.name),
                        kind: match e {
                            regex::Error::CompiledTooBig(limit) => RuleErrorKind::PatternTooLarge { limit },
                            other => RuleErrorKind::InvalidPattern {
                                message: other.to_string(),
                            },
                        },
                    })?,
                    gate,
                )
            };
            atoms.insert(a.name.clone(), Arc::new(re));
        }
        let mut compiled = Vec::with_capacity(source.rules.len());
        let mut entries = Vec::new();
        for (i, rule) in source.rules.iter().enumerate() {
            for (kw, line) in &rule.keywords {
                let folded = folder.fold(kw).text.trim().to_string();
                if folded.is_empty() {
                    return Err(rule.keyword_error(*line, kw));
                }
                entries.push((folded, i as u32));
            }
            // Built-in patterns compile on first use (the test suite compiles and exercises every one); user
            // patterns compile now, so that their errors surface here, with their line. `@name` is a shared atom.
            let compile = |(p, line): &(String, usize)| -> Result<Arc<LazyRegex>, Error> {
                if let Some(name) = p.strip_prefix('@') {
                    return atoms.get(name).cloned().ok_or_else(|| Error::Rule {
                        location: Location {
                            source: rule.location.source.clone(),
                            line: *line,
                        },
                        rule: rule.id.clone(),
                        kind: RuleErrorKind::UnknownAtom { name: name.to_string() },
                    });
                }
                let src = ascii_word_classes(p);
                let gate = gates.gate(&src);
                if rule.builtin {
                    Ok(Arc::new(LazyRegex::lazy(src, gate)))
                } else {
                    let re = compile_pattern(&src).map_err(|e| rule.pattern_error(*line, e))?;
                    Ok(Arc::new(LazyRegex::ready(re, gate)))
                }
            };
            let regex = rule.pattern.as_ref().map(compile).transpose()?;
            // An atom that spells one of the rule's keywords nearly always matches in a hit's window; the other
            // atoms decide, so they run first and a clean window fails on its first regex.
            let spells_keyword = |(p, _): &&(String, usize)| {
                let src = p
                    .strip_prefix('@')
                    .and_then(|n| atom_src.get(n).copied())
                    .unwrap_or(p.as_str());
                let src = src.to_lowercase();
                rule.keywords.iter().any(|(k, _)| src.contains(&k.to_lowercase()))
            };
            let (anchors, deciders): (Vec<_>, Vec<_>) = rule.all.iter().partition(spells_keyword);
            let all = deciders
                .into_iter()
                .chain(anchors)
                .map(compile)
                .collect::<Result<Vec<_>, _>>()?;
            let any = rule.any.iter().map(compile).collect::<Result<Vec<_>, _>>()?;
            let unless = rule.unless.iter().map(compile).collect::<Result<Vec<_>, _>>()?;
            let mut allow = Vec::with_capacity(rule.allow.len());
            for (a, line) in &rule.allow {
                let folded = folder.fold(a).text.trim().to_string();
                if folded.is_empty() {
                    return Err(rule.allow_error(*line, a));
                }
                allow.push(folded);
            }
            // Longest phrase first: a longer allowlist phrase is the more specific reading of the same words.
            allow.sort_by_key(|a| std::cmp::Reverse(a.len()));
            let category_advice = advice.iter().find(|(c, _)| *c == rule.category).map(|(_, a)| a.clone());
            let advice = match (&rule.advice, category_advice) {
                (Some(a), _) => Arc::new(a.clone()),
                (None, Some(a)) => a,
                (None, None) => Arc::new(Advice {
                    en: String::new(),
                    zh: String::new(),
                }),
            };
            compiled.push(Compiled {
                info: Arc::new(RuleInfo {
                    id: rule.id.clone(),
                    category: rule.category,
                    severity: rule.severity,
                    description: rule.description.clone(),
                    advice,
                }),
                regex,
                all,
                any,
                unless,
                window: rule.window,
                window_words: rule.window_words,
                sentence: rule.sentence,
                allow,
                segment: rule.segment,
            });
        }
        let gate_literals = gates.into_literals();
        let keywords = Keywords::build(entries, crate::entities::cue_words(), gate_literals.iter().copied()).map_err(
            |message| Error::Parse {
                location: Location {
                    source: "<rules>".into(),
                    line: 1,
                },
                message: format!("keyword automaton does not build: {message}"),
            },
        )?;
        let lexicon = source
            .rules
            .iter()
            .filter(|r| r.segment)
            .flat_map(|r| r.keywords.iter().map(|(k, _)| folder.fold(k).text))
            .filter(|k| k.chars().all(crate::normalize::is_han))
            .collect();
        let context = Context::new(&folder, lexicon);
        let escalations = crate::conversation::escalation_rules();
        let entities = crate::entities::Extractor::new();
        let link_advice = advice
            .iter()
            .find(|(c, _)| *c == crate::Category::FakePaymentLink)
            .map(|(_, a)| a.clone());
        let lookalike = Arc::new(RuleInfo {
            id: "fake_payment_link.lookalike_domain_entity".into(),
            category: crate::Category::FakePaymentLink,
            severity: Severity::High,
            description: Some("A link whose domain imitates a platform or payment brand".into()),
            advice: link_advice.unwrap_or_else(|| {
                Arc::new(Advice {
                    en: String::new(),
                    zh: String::new(),
                })
            }),
        });
        Ok(Detector {
            inner: Arc::new(Inner {
                folder,
                keywords,
                rules: compiled,
                source,
                context,
                escalations,
                entities,
                lookalike,
            }),
        })
    }
}

/// Per-scan buffers.
#[derive(Default)]
struct ScanScratch {
    fold: Scratch,
    entities: crate::entities::EntityScratch,
    hits: Vec<Hit>,
    /// Word starts of the folded text, found when a rule with a word-counted window needs them.
    words: context::WordStarts,
    /// The entity extractor's context words, found by the keyword automaton.
    found: Vec<(u32, u32, u32)>,
    /// Occurrences of the gate literals, found by the keyword automaton.
    gate_found: Vec<Occurrence>,
    cues: Vec<Cue>,
    /// Candidate findings of one rule: (span, the keyword hit that triggered it), folded bytes.
    spans: Vec<(Range<usize>, Range<usize>)>,
    explain: bool,
    suppressed: Vec<Suppressed>,
}

fn suppressed(rule: &Compiled, span: Range<usize>, reason: Reason) -> Suppressed {
    Suppressed {
        rule: rule.info.clone(),
        span,
        reason,
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
        self.scan_with(text, false)
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
        self.scan_with(text, true)
    }

    fn scan_with(&self, text: &str, explain: bool) -> Report {
        thread_local! {
            // Per-thread buffers reused across scans (of any detector): a clean message allocates nothing but
            // its report. Not shared state: each thread has its own, and nothing in them outlives a scan.
            static SCRATCH: RefCell<ScanScratch> = RefCell::new(ScanScratch::default());
        }
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.scan_into(text, explain, &mut scratch),
            // Only if a scan re-entered on this thread; then use fresh buffers.
            Err(_) => self.scan_into(text, explain, &mut ScanScratch::default()),
        })
    }

    fn scan_into(&self, text: &str, explain: bool, scratch: &mut ScanScratch) -> Report {
        scratch.explain = explain;
        scratch.suppressed.clear();
        let mut findings = Vec::new();
        let mut entities = Vec::new();
        let mut offset = 0;
        while offset < text.len() {
            let piece = next_piece(&text[offset..]);
            self.scan_piece(
                &text[offset..offset + piece],
                offset,
                scratch,
                &mut findings,
                &mut entities,
            );
            offset += piece;
        }
        scratch.fold.trim();
        scratch.words.trim();
        Report::new(text, findings, entities, std::mem::take(&mut scratch.suppressed))
    }

    fn scan_piece(
        &self,
        text: &str,
        offset: usize,
        s: &mut ScanScratch,
        out: &mut Vec<Finding>,
        entities: &mut Vec<crate::entities::Entity>,
    ) {
        let inner = &*self.inner;
        inner.folder.fold_into(text, &mut s.fold);
        let folded = &s.fold.folded;
        let ft = folded.text.as_str();
        s.hits.clear();
        s.found.clear();
        s.gate_found.clear();
        inner.keywords.hits(ft, &mut s.hits, &mut s.found, &mut s.gate_found);
        let first_entity = entities.len();
        inner
            .entities
            .extract_found(text, folded, &mut s.found, entities, &mut s.entities);
        for e in &mut entities[first_entity..] {
            e.shift(offset);
            if e.imitates().is_some() {
                let span = e.span();
                out.push(Finding {
                    rule: inner.lookalike.clone(),
                    span: span.clone(),
                    trigger: span,
                    entity: None,
                });
            }
        }
        if s.hits.is_empty() {
            return;
        }
        s.hits.sort_unstable();
        s.hits.dedup();
        // Gates look up the window's occurrences by start; only a message that reaches confirmation needs them.
        s.gate_found.sort_unstable();
        let to_original = |r: &Range<usize>| {
            let o = folded.original_span(r.clone());
            o.start + offset..o.end + offset
        };
        let mut cues_ready = false;
        let mut words_ready = false;
        let ascii = ft.is_ascii();
        let mut i = 0;
        while i < s.hits.len() {
            let rule_idx = s.hits[i].rule;
            let mut j = i;
            while j < s.hits.len() && s.hits[j].rule == rule_idx {
                j += 1;
            }
            let rule = &inner.rules[rule_idx as usize];
            let hits = &s.hits[i..j];
            i = j;
            s.spans.clear();
            for h in hits {
                let hit = h.start as usize..h.end as usize;
                if rule.segment && !inner.context.is_han_word(ft, hit.clone()) {
                    if s.explain {
                        s.suppressed.push(suppressed(rule, to_original(&hit), Reason::NotAWord));
                    }
                    continue;
                }
                if rule.regex.is_none() && rule.all.is_empty() && rule.any.is_empty() && rule.unless.is_empty() {
                    s.spans.push((hit.clone(), hit));
                    continue;
                }
                let (mut lo, mut hi) = match rule.window_words {
                    Some(n) => {
                        if !words_ready {
                            s.words.fill(ft);
                            words_ready = true;
                        }
                        (s.words.back(hit.start, n), s.words.forward(hit.end, n))
                    }
                    // In ASCII text a character is a byte.
                    None if ascii => (
                        hit.start.saturating_sub(rule.window),
                        (hit.end + rule.window).min(ft.len()),
                    ),
                    None => (
                        context::back_chars(ft, hit.start, rule.window),
                        context::forward_chars(ft, hit.end, rule.window),
                    ),
                };
                if rule.sentence {
                    (lo, hi) = context::sentence_within(ft, hit.clone(), lo, hi);
                }
                let hay = &ft[..hi];
                let window = &ft[lo..hi];
                let gate_hits = &s.gate_found;
                // Each regex runs only where its gate does not rule it out (which never changes the result).
                if !rule.any.is_empty()
                    && !rule
                        .any
                        .iter()
                        .any(|re| re.may_match(ft, lo, hi, gate_hits) && re.get().is_some_and(|re| re.is_match(window)))
                {
                    continue;
                }
                // Atoms: each must match somewhere in the window; together they widen the finding.
                let mut atoms: Option<Range<usize>> = None;
                if !rule.all.is_empty() {
                    let mut union = hit.clone();
                    let found = rule.all.iter().all(|re| {
                        if !re.may_match(ft, lo, hi, gate_hits) {
                            return false;
                        }
                        match re.get().and_then(|re| re.find_at(hay, lo)) {
                            Some(m) => {
                                union = union.start.min(m.start())..union.end.max(m.end());
                                true
                            }
                            None => false,
                        }
                    });
                    if !found {
                        continue;
                    }
                    atoms = Some(union);
                }
                let before = s.spans.len();
                match &rule.regex {
                    None => s.spans.push((atoms.unwrap_or(hit.clone()), hit.clone())),
                    // The gate rules the pattern out in this window.
                    Some(re) if !re.may_match(ft, lo, hi, gate_hits) => {}
                    // A built-in pattern that does not compile (the tests rule this out) matches nothing.
                    Some(re) => {
                        let Some(re) = re.get() else { continue };
                        let mut at = lo;
                        while let Some(m) = re.find_at(hay, at) {
                            if m.is_empty() {
                                break;
                            }
                            let span = match &atoms {
                                Some(a) => a.start.min(m.start())..a.end.max(m.end()),
                                None => m.range(),
                            };
                            s.spans.push((span, hit.clone()));
                            at = m.end();
                        }
                    }
                }
                // The veto runs last: most windows of clean text already failed an atom or the pattern, and
                // `unless` lists are the longest (up to seven regexes).
                if s.spans.len() > before
                    && rule.unless.iter().any(|re| {
                        re.may_match(ft, lo, hi, gate_hits) && re.get().is_some_and(|re| re.find_at(hay, lo).is_some())
                    })
                {
                    s.spans.truncate(before);
                    if s.explain {
                        s.suppressed.push(suppressed(rule, to_original(&hit), Reason::Unless));
                    }
                }
            }
            if s.spans.is_empty() {
                continue;
            }
            if !cues_ready {
                inner.context.find_cues(ft, &mut s.cues);
                cues_ready = true;
            }
            // Duplicates from overlapping windows go here (a `contains` per push would be quadratic).
            s.spans.sort_unstable_by_key(|(r, _)| (r.start, r.end));
            s.spans.dedup_by(|a, b| a.0 == b.0);
            let mut last: Option<(Range<usize>, Range<usize>)> = None;
            for (span, trigger) in s.spans.drain(..) {
                let reason = if let Some(phrase) = context::allowed(ft, &rule.allow, &span) {
                    Some(Reason::Allowlist {
                        phrase: phrase.to_string(),
                    })
                } else {
                    inner.context.framed(ft, &s.cues, &span).map(|f| match f {
                        Framing::Negation(cue) => Reason::Negation { cue: to_original(&cue) },
                        Framing::Warning(cue) => Reason::Warning { cue: to_original(&cue) },
                    })
                };
                if let Some(reason) = reason {
                    if s.explain {
                        s.suppressed.push(suppressed(rule, to_original(&span), reason));
                    }
                    continue;
                }
                // Overlapping findings of one rule merge into one (the first trigger stays).
                match &mut last {
                    Some((l, _)) if span.start < l.end => l.end = l.end.max(span.end),
                    _ => {
                        if let Some((l, t)) = last.take() {
                            out.push(Finding {
                                rule: rule.info.clone(),
                                span: to_original(&l),
                                trigger: to_original(&t),
                                entity: None,
                            });
                        }
                        last = Some((span, trigger));
                    }
                }
            }
            if let Some((l, t)) = last {
                out.push(Finding {
                    rule: rule.info.clone(),
                    span: to_original(&l),
                    trigger: to_original(&t),
                    entity: None,
                });
            }
        }
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
        self.inner.keywords.patterns().iter().map(String::as_str)
    }

    pub(crate) fn escalation_rules(&self) -> &[Arc<crate::conversation::EscalationRule>] {
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

/// A rule regex, compiled now or on first use, with its literal gate when it has one.
#[derive(Debug)]
struct LazyRegex {
    src: String,
    cell: OnceLock<Option<Regex>>,
    gate: Option<Gate>,
}

impl LazyRegex {
    fn ready(re: Regex, gate: Option<Gate>) -> LazyRegex {
        let cell = OnceLock::new();
        let _ = cell.set(Some(re));
        LazyRegex {
            src: String::new(),
            cell,
            gate,
        }
    }

    fn lazy(src: String, gate: Option<Gate>) -> LazyRegex {
        LazyRegex {
            src,
            cell: OnceLock::new(),
            gate,
        }
    }

    /// Whether the regex may match in `text[lo..hi]`: `false` when its gate rules it out, so it need not run.
    #[inline]
    fn may_match(&self, text: &str, lo: usize, hi: usize, found: &[Occurrence]) -> bool {
        self.gate
            .as_ref()
            .map_or(true, |g| g.may_match(text.as_bytes(), lo, hi, found))
    }

    fn get(&self) -> Option<&Regex> {
        self.cell.get_or_init(|| compile_pattern(&self.src).ok()).as_ref()
    }
}

fn compile_pattern(src: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(src)
        .case_insensitive(true)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
}

/// Rewrites `\b`, `\w` and `\W` to their ASCII forms. In the folded view Latin letters are ASCII, and a
/// Han character next to a Latin word is a boundary for it (`加我wechat`), which is what the ASCII forms say;
/// they also keep patterns on the regex crate's lazy DFA, which Unicode word boundaries force off it.
fn ascii_word_classes(p: &str) -> String {
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

/// Length of the next piece of `text` to fold: all of it up to [`MAX_PIECE`], else cut at a line break or space
/// near the limit, else at a char boundary.
fn next_piece(text: &str) -> usize {
    if text.len() <= MAX_PIECE {
        return text.len();
    }
    let mut cut = MAX_PIECE;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let tail = &text.as_bytes()[cut - 4096.min(cut)..cut];
    for sep in [b'\n', b' '] {
        if let Some(p) = tail.iter().rposition(|&b| b == sep) {
            return cut - tail.len() + p + 1;
        }
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_pattern_compiles() {
        for r in Ruleset::builtin().rules() {
            for (p, _) in r.pattern.iter().chain(&r.all).chain(&r.unless) {
                if let Err(e) = compile_pattern(&ascii_word_classes(p)) {
                    panic!("{}: {e}", r.id);
                }
            }
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

    #[test]
    fn pieces_cut_on_boundaries() {
        let long = "好".repeat(MAX_PIECE); // 3 bytes each, no separators
        let n = next_piece(&long);
        assert!(n <= MAX_PIECE && long.is_char_boundary(n) && n > 0);
        let mut with_newline = "a".repeat(MAX_PIECE - 10);
        with_newline.push('\n');
        with_newline.push_str(&"b".repeat(100));
        assert_eq!(next_piece(&with_newline), MAX_PIECE - 9);
        assert_eq!(next_piece("short"), 5);
    }

    /// Every confirmation regex of a compiled rule, with a label: `(label, regex)`.
    fn parts(d: &Detector) -> Vec<(String, &LazyRegex)> {
        let mut out = Vec::new();
        for r in &d.inner.rules {
            let id = &r.info.id;
            out.extend(r.regex.iter().map(|re| (format!("{id} pattern"), &**re)));
            for (name, list) in [("all", &r.all), ("any", &r.any), ("unless", &r.unless)] {
                out.extend(
                    list.iter()
                        .enumerate()
                        .map(|(i, re)| (format!("{id} {name}[{i}]"), &**re)),
                );
            }
        }
        out
    }

    /// `data/gates.jsonl` holds the clauses derived from every built-in pattern as it is compiled now.
    /// `REDFLAG_BLESS=1 cargo test --lib gate_table` writes it again after a rule changed.
    #[test]
    fn gate_table_is_current() {
        let d = Detector::new();
        let mut seen = std::collections::HashSet::new();
        let mut text = String::new();
        for (label, re) in parts(&d) {
            if re.src.is_empty() || !seen.insert(re.src.clone()) {
                continue;
            }
            let Some(clauses) = crate::gates::derive::clauses(&re.src) else {
                continue;
            };
            let mut line = vec![
                serde_json::json!(format!("{:016x}", crate::gates::hash(&re.src))),
                serde_json::json!(label),
            ];
            let clauses: Vec<_> = clauses
                .iter()
                .map(|c| {
                    c.iter()
                        .map(|l| serde_json::json!([l.s, u8::from(l.before) | (u8::from(l.after) << 1)]))
                        .collect()
                })
                .collect();
            line.push(serde_json::Value::Array(clauses));
            text.push_str(&serde_json::Value::Array(line).to_string());
            text.push('\n');
        }
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/gates.jsonl");
        if std::env::var_os("REDFLAG_BLESS").is_some() {
            std::fs::write(path, &text).expect("write data/gates.jsonl");
            return;
        }
        let stored = std::fs::read_to_string(path).expect("read data/gates.jsonl");
        assert!(
            stored == text,
            "data/gates.jsonl is stale (a built-in pattern changed): run `REDFLAG_BLESS=1 cargo test --lib gate_table` \
             and commit the file"
        );
    }

    /// Every text a rule carries as an example.
    fn example_texts(d: &Detector) -> Vec<String> {
        d.rules()
            .rules()
            .iter()
            .flat_map(|r| r.examples_match().iter().chain(r.examples_ignore()).cloned())
            .collect()
    }

    /// A gate never rules out a window in which its regex matches: checked for every gated built-in regex, on
    /// every rule example (folded), over the whole text and over windows cut at every eighth char boundary.
    #[test]
    fn gates_never_skip_a_match() {
        let d = Detector::new();
        let texts: Vec<String> = example_texts(&d).iter().map(|t| d.inner.folder.fold(t).text).collect();
        let mut gated = 0;
        let mut checked = 0;
        for (label, re) in parts(&d) {
            let (Some(_), Some(regex)) = (&re.gate, re.get()) else {
                continue;
            };
            gated += 1;
            for ft in &texts {
                let (mut hits, mut extras, mut found) = (Vec::new(), Vec::new(), Vec::new());
                d.inner.keywords.hits(ft, &mut hits, &mut extras, &mut found);
                found.sort_unstable();
                let cuts: Vec<usize> = ft.char_indices().map(|(i, _)| i).step_by(8).chain([ft.len()]).collect();
                for (a, &lo) in cuts.iter().enumerate() {
                    for &hi in &cuts[a..] {
                        if regex.find_at(&ft[..hi], lo).is_some() {
                            checked += 1;
                            assert!(
                                re.may_match(ft, lo, hi, &found),
                                "{label}: the gate rules out a window that matches: {:?}",
                                &ft[lo..hi]
                            );
                        }
                    }
                }
            }
        }
        assert!(gated > 100, "only {gated} gated regexes");
        assert!(checked > 1000, "only {checked} matching windows checked");
    }

    /// Gates change the work, never the result: every example gives the same report, explained, with and without
    /// them.
    #[test]
    fn gates_do_not_change_reports() {
        let with = Detector::new();
        let without = DetectorBuilder {
            gates: false,
            ..DetectorBuilder::default()
        }
        .build()
        .expect("builds");
        assert!(without
            .inner
            .rules
            .iter()
            .all(|r| r.all.iter().all(|re| re.gate.is_none())));
        let mut texts = example_texts(&with);
        for e in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/chats")).expect("examples/chats") {
            let text = std::fs::read_to_string(e.expect("entry").path()).expect("chat log");
            texts.extend(text.lines().map(String::from));
        }
        for t in &texts {
            assert_eq!(
                format!("{:?}", with.explain(t)),
                format!("{:?}", without.explain(t)),
                "{t}"
            );
        }
    }

    #[test]
    fn builtin_rules_compile_and_examples_pass() {
        let d = Detector::new();
        if let Err(e) = d.check_examples() {
            panic!("{e}");
        }
    }
}
