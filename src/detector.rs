//! The detector: built once from rules, then scans messages without failing.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use regex::{Regex, RegexBuilder};

use crate::automaton::{Hit, Keywords, OPEN_END, OPEN_START};
use crate::compose::{Composition, ConceptHit, ConceptHits, Scopes};
use crate::context::{self, Context, Cue, CueKind, Framing, CUE_LEXICONS};
use crate::error::{Error, ExampleFailure, ExampleFailures, Location, RuleErrorKind};
use crate::normalize::{Folder, Folding, Scratch, MAX_PIECE};
use crate::pattern::HitPattern;
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
    /// Per concept id: the kind of context cue it supplies, if any.
    cue_kinds: Vec<Option<CueKind>>,
    /// The rules composed from concepts, by index into `rules`.
    composed: Vec<usize>,
    /// The finding of a link whose domain imitates a platform or payment brand (an entity, not a keyword, rule).
    lookalike: Arc<RuleInfo>,
}

#[derive(Debug)]
struct Compiled {
    info: Arc<RuleInfo>,
    /// The formula over concepts of a composed rule (the fields below are then unused).
    composition: Option<Composition>,
    regex: Option<Arc<Regex>>,
    /// Atoms that must all match within the window of a hit (the finding spans them).
    all: Vec<Arc<Regex>>,
    /// Atoms of which at least one must match within the window.
    any: Vec<Arc<Regex>>,
    /// Atoms that veto a window when any matches in it.
    unless: Vec<Arc<Regex>>,
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
        let mut source = if self.builtin {
            Ruleset::builtin()
        } else {
            let mut set = Ruleset::new();
            // The built-in lexicons are there for users' rules (and the context stage) either way.
            set.lexicons = crate::lexicon::builtin();
            set
        };
        source.merge_replacing(self.extra);
        source.rules.retain(|r| r.severity >= self.min_severity);
        // A built-in rule set added on top of the built-in lexicons brings them twice: one copy is the same list.
        let mut seen_builtin = std::collections::HashSet::new();
        source
            .lexicons
            .retain(|l| !l.builtin || seen_builtin.insert(l.name.clone()));
        let mut by_name: HashMap<&str, &crate::lexicon::Lexicon> = HashMap::with_capacity(source.lexicons.len());
        for l in &source.lexicons {
            if let Some(first) = by_name.insert(&l.name, l) {
                return Err(l.duplicate_of(first));
            }
        }

        // The concepts this rule set needs: the context cues and every `{name}` a composed rule references.
        let known: std::collections::HashSet<&str> = source.lexicons.iter().map(|l| l.name.as_str()).collect();
        let mut needed: Vec<String> = CUE_LEXICONS
            .iter()
            .filter(|(n, _)| known.contains(n))
            .map(|(n, _)| n.to_string())
            .collect();
        let mut ids: HashMap<String, u32> = needed.iter().enumerate().map(|(i, n)| (n.clone(), i as u32)).collect();
        for rule in source.rules.iter().filter(|r| r.composed) {
            let refs = rule
                .all
                .iter()
                .chain(&rule.any)
                .chain(&rule.none)
                .map(|(e, l)| (rules::concept_name(e), *l))
                .chain(
                    rule.pattern
                        .iter()
                        .flat_map(|(p, l)| crate::lexicon::references(p).into_iter().map(move |n| (n, *l))),
                );
            for (name, line) in refs {
                if !known.contains(name) {
                    return Err(rule.error(line, RuleErrorKind::UnknownLexicon { name: name.to_string() }));
                }
                if !ids.contains_key(name) {
                    ids.insert(name.to_string(), needed.len() as u32);
                    needed.push(name.to_string());
                }
            }
        }

        // Words of shared atoms and lexicons count too: a rule that reaches `temporary` only through a concept
        // must still see `t3mporary` resolved.
        let vocab = source
            .rules
            .iter()
            .flat_map(rules::vocabulary)
            .chain(source.atoms.iter().flat_map(rules::atom_vocabulary))
            .chain(source.lexicons.iter().flat_map(rules::lexicon_vocabulary));
        let folder = Folder::with_mode(vocab, self.folding);
        let concepts = crate::lexicon::resolve(&source.lexicons, &needed, &folder)?;
        let advice: Vec<(crate::Category, Arc<Advice>)> = rules::category_advice()
            .into_iter()
            .map(|(c, a)| (c, Arc::new(a)))
            .collect();

        let mut atoms = HashMap::new();
        for a in &source.atoms {
            let re = compile_pattern(&ascii_word_classes(&a.src)).map_err(|e| Error::Rule {
                location: a.location.clone(),
                rule: format!("@{}", a.name),
                kind: rules::pattern_error_kind(e),
            })?;
            atoms.insert(a.name.clone(), Arc::new(re));
        }
        let mut compiled = Vec::with_capacity(source.rules.len());
        let mut entries = Vec::new();
        for (c, concept) in concepts.iter().enumerate() {
            for t in &concept.terms {
                let open = open_flags(t);
                entries.push((t.folded.clone(), CONCEPT | c as u32, open));
            }
            for t in &concept.exclude {
                let open = open_flags(t);
                entries.push((t.folded.clone(), EXCLUSION | c as u32, open));
            }
        }
        let mut composed = Vec::new();
        for (i, rule) in source.rules.iter().enumerate() {
            for (kw, line) in &rule.keywords {
                let folded = folder.fold(kw).text.trim().to_string();
                if folded.is_empty() {
                    return Err(rule.keyword_error(*line, kw));
                }
                entries.push((folded, i as u32, 0));
            }
            // Every pattern compiles now, so that its errors surface here, with their line. `@name` is a shared
            // atom; `{name}` inside a composed rule's pattern is a jump over a hit of that concept.
            let compile = |(p, line): &(String, usize)| -> Result<Arc<Regex>, Error> {
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
                let re = compile_pattern(&ascii_word_classes(p)).map_err(|e| rule.pattern_error(*line, e))?;
                Ok(Arc::new(re))
            };
            let composition = if rule.composed {
                // Over the folded text, which is lowercase: no case folding.
                let pattern = rule
                    .pattern
                    .as_ref()
                    .map(|(p, line)| {
                        HitPattern::new(&ascii_word_classes(p), |n| ids.get(n).copied())
                            .map_err(|kind| rule.error(*line, kind))
                    })
                    .transpose()?;
                composed.push(i);
                let refs = |list: &[(String, usize)]| -> Vec<u32> {
                    list.iter().map(|(e, _)| ids[rules::concept_name(e)]).collect()
                };
                Some(Composition {
                    all: refs(&rule.all),
                    any: refs(&rule.any),
                    none: refs(&rule.none),
                    within: rule.within,
                    ordered: rule.ordered,
                    pattern,
                })
            } else {
                None
            };
            let (regex, all, any, unless) = if rule.composed {
                (None, Vec::new(), Vec::new(), Vec::new())
            } else {
                (
                    rule.pattern.as_ref().map(compile).transpose()?,
                    rule.all.iter().map(compile).collect::<Result<Vec<_>, _>>()?,
                    rule.any.iter().map(compile).collect::<Result<Vec<_>, _>>()?,
                    rule.unless.iter().map(compile).collect::<Result<Vec<_>, _>>()?,
                )
            };
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
                composition,
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
        let keywords = Keywords::build(entries, crate::entities::cue_words()).map_err(|message| Error::Parse {
            location: Location {
                source: "<rules>".into(),
                line: 1,
            },
            message: format!("keyword automaton does not build: {message}"),
        })?;
        let lexicon = source
            .rules
            .iter()
            .filter(|r| r.segment)
            .flat_map(|r| r.keywords.iter().map(|(k, _)| folder.fold(k).text))
            .filter(|k| k.chars().all(crate::normalize::is_han))
            .collect();
        let context = Context::new(lexicon);
        let cue_kinds = needed
            .iter()
            .map(|n| CUE_LEXICONS.iter().find(|(c, _)| c == n).map(|(_, k)| *k))
            .collect();
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
                cue_kinds,
                composed,
                lookalike,
            }),
        })
    }
}

/// The automaton's boundary flags of a lexicon term.
fn open_flags(t: &crate::lexicon::Term) -> u8 {
    (if t.open_start { OPEN_START } else { 0 }) | (if t.open_end { OPEN_END } else { 0 })
}

/// Owner tag of a concept's term in the keyword automaton (rule keywords are plain rule indices).
const CONCEPT: u32 = 1 << 31;
/// Owner tag of a concept's exclusion phrase.
const EXCLUSION: u32 = 1 << 30;

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
    /// Concept hits of the message, and the exclusion phrases found with them.
    concepts: ConceptHits,
    exclusions: Vec<ConceptHit>,
    scopes: Scopes,
    /// The backtracking stack and visited set of composed rules' patterns.
    pattern: crate::pattern::PatternScratch,
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
        inner.keywords.hits(ft, &mut s.hits, &mut s.found);
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
        // Concept hits carry a tag bit; what is left are the keyword hits of rules in the older form.
        s.concepts.hits.clear();
        s.exclusions.clear();
        {
            let (concepts, exclusions) = (&mut s.concepts.hits, &mut s.exclusions);
            s.hits.retain(|h| {
                if h.rule & CONCEPT == 0 && h.rule & EXCLUSION == 0 {
                    return true;
                }
                let hit = ConceptHit {
                    concept: h.rule & !(CONCEPT | EXCLUSION),
                    start: h.start,
                    end: h.end,
                };
                if h.rule & EXCLUSION != 0 {
                    exclusions.push(hit);
                } else {
                    concepts.push(hit);
                }
                false
            });
        }
        s.exclusions.sort_unstable();
        s.concepts.finish(&s.exclusions);
        s.cues.clear();
        for h in &s.concepts.hits {
            if let Some(Some(kind)) = inner.cue_kinds.get(h.concept as usize) {
                s.cues.push(Cue {
                    kind: *kind,
                    start: h.start as usize,
                    end: h.end as usize,
                });
            }
        }
        s.cues.sort_unstable_by_key(|c| (c.start, c.end));
        let frame = Context::frame(&s.cues);
        s.hits.sort_unstable();
        s.hits.dedup();
        let to_original = |r: &Range<usize>| {
            let o = folded.original_span(r.clone());
            o.start + offset..o.end + offset
        };
        let mut words_ready = false;
        let ascii = ft.is_ascii();

        // Rules composed from concepts: a formula over the concepts of each scope.
        if !s.concepts.hits.is_empty() {
            let mut scopes_ready = false;
            for &ri in &inner.composed {
                let rule = &inner.rules[ri];
                let Some(comp) = &rule.composition else { continue };
                if !comp.may_hold(&s.concepts) {
                    continue;
                }
                if !scopes_ready {
                    s.scopes.fill(ft);
                    scopes_ready = true;
                }
                if comp.needs_words() && !words_ready {
                    s.words.fill(ft);
                    words_ready = true;
                }
                s.spans.clear();
                let outcome = comp.find(ft, &s.concepts, &s.scopes, &s.words, &mut s.pattern, &mut s.spans);
                if s.explain {
                    if let Some(v) = outcome.vetoed {
                        s.suppressed.push(suppressed(rule, to_original(&v), Reason::Unless));
                    }
                }
                self.emit(
                    rule,
                    ft,
                    &mut s.spans,
                    (&s.cues, &frame),
                    s.explain.then_some(&mut s.suppressed),
                    out,
                    &to_original,
                );
            }
        }

        // Rules in the older form: keywords trigger a pattern or atoms in a window around each hit.
        let mut i = 0;
        while i < s.hits.len() {
            let rule_idx = s.hits[i].rule;
            let mut j = i;
            while j < s.hits.len() && s.hits[j].rule == rule_idx {
                j += 1;
            }
            let rule = &inner.rules[rule_idx as usize];
            let hits = i..j;
            i = j;
            s.spans.clear();
            for h in hits {
                let h = s.hits[h];
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
                if !rule.any.is_empty() && !rule.any.iter().any(|re| re.is_match(window)) {
                    continue;
                }
                // Atoms: each must match somewhere in the window; together they widen the finding.
                let mut atoms: Option<Range<usize>> = None;
                if !rule.all.is_empty() {
                    let mut union = hit.clone();
                    let found = rule.all.iter().all(|re| match re.find_at(hay, lo) {
                        Some(m) => {
                            union = union.start.min(m.start())..union.end.max(m.end());
                            true
                        }
                        None => false,
                    });
                    if !found {
                        continue;
                    }
                    atoms = Some(union);
                }
                let before = s.spans.len();
                match &rule.regex {
                    None => s.spans.push((atoms.unwrap_or(hit.clone()), hit.clone())),
                    Some(re) => {
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
                if s.spans.len() > before && rule.unless.iter().any(|re| re.find_at(hay, lo).is_some()) {
                    s.spans.truncate(before);
                    if s.explain {
                        s.suppressed.push(suppressed(rule, to_original(&hit), Reason::Unless));
                    }
                }
            }
            self.emit(
                rule,
                ft,
                &mut s.spans,
                (&s.cues, &frame),
                s.explain.then_some(&mut s.suppressed),
                out,
                &to_original,
            );
        }
    }

    /// Turns one rule's candidate spans (in `s.spans`) into findings: context drops what it frames, overlapping
    /// spans merge.
    #[allow(clippy::too_many_arguments)] // one call per stage; a struct of borrowed scratch fields adds nothing
    fn emit(
        &self,
        rule: &Compiled,
        ft: &str,
        spans: &mut Vec<(Range<usize>, Range<usize>)>,
        (cues, frame): (&[Cue], &context::MessageFrame),
        mut explain: Option<&mut Vec<Suppressed>>,
        out: &mut Vec<Finding>,
        to_original: &dyn Fn(&Range<usize>) -> Range<usize>,
    ) {
        if spans.is_empty() {
            return;
        }
        // Duplicates from overlapping windows go here (a `contains` per push would be quadratic).
        spans.sort_unstable_by_key(|(r, _)| (r.start, r.end));
        spans.dedup_by(|a, b| a.0 == b.0);
        let mut last: Option<(Range<usize>, Range<usize>)> = None;
        for (span, trigger) in spans.drain(..) {
            let reason = if let Some(phrase) = context::allowed(ft, &rule.allow, &span) {
                Some(Reason::Allowlist {
                    phrase: phrase.to_string(),
                })
            } else {
                self.inner.context.framed(ft, cues, frame, &span).map(|f| match f {
                    Framing::Negation(cue) => Reason::Negation { cue: to_original(&cue) },
                    Framing::Warning(cue) => Reason::Warning { cue: to_original(&cue) },
                })
            };
            if let Some(reason) = reason {
                if let Some(list) = explain.as_deref_mut() {
                    list.push(suppressed(rule, to_original(&span), reason));
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

/// A pattern over the folded (lowercase) text.
fn compile_pattern(src: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(src)
        .case_insensitive(true)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
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

    #[test]
    fn builtin_rules_compile_and_examples_pass() {
        let d = Detector::new();
        if let Err(e) = d.check_examples() {
            panic!("{e}");
        }
    }
}
