//! Compiling a rule set: everything that can fail when a detector is built (rule and lexicon loading errors,
//! patterns, the keyword automaton), so that scanning cannot fail.

use std::collections::HashMap;
use std::sync::Arc;

use regex::{Regex, RegexBuilder};

use crate::automaton::{Keywords, OPEN_END, OPEN_START};
use crate::compose::Composition;
use crate::context::{Context, Cues, CUE_LEXICONS};
use crate::error::{Error, Location, RuleErrorKind};
use crate::normalize::{Folder, Folding};
use crate::pattern::{ascii_word_classes, HitPattern};
use crate::report::RuleInfo;
use crate::rules::{self, Advice, Ruleset, PATTERN_SIZE_LIMIT};
use crate::score::Severity;
use crate::snapshot::Snapshot;

/// A compiled rule set: everything a scan reads, built once.
#[derive(Debug)]
pub(crate) struct Inner {
    /// The conversation escalation rules, parsed once here rather than per conversation.
    pub(crate) escalations: Arc<[Arc<rules::EscalationRule>]>,
    pub(crate) folder: Folder,
    pub(crate) keywords: Keywords,
    pub(crate) rules: Vec<Compiled>,
    pub(crate) source: Ruleset,
    pub(crate) context: Context,
    pub(crate) entities: crate::entities::Extractor,
    /// Per concept id: the kind of context cue it supplies, if any.
    pub(crate) cues: Cues,
    /// The rules composed from concepts, by index into `rules`.
    pub(crate) composed: Vec<usize>,
    /// Per concept id: the positions in `composed` of the rules that cannot hold unless the concept occurs (each
    /// rule is listed under one concept it requires, or under each of its `any` concepts), so that a message
    /// evaluates only the rules whose key concepts it contains.
    pub(crate) composed_by_concept: Vec<Vec<u32>>,
    /// Positions in `composed` of the rules that no single concept keys (evaluated on every message with hits).
    pub(crate) composed_always: Vec<u32>,
    /// The finding of a link whose domain imitates a platform or payment brand (an entity, not a keyword, rule).
    pub(crate) lookalike: Arc<RuleInfo>,
    /// Whether the lexicons, vocabulary and automaton came from the stored snapshot.
    #[cfg(test)]
    pub(crate) from_snapshot: bool,
}

/// One compiled rule.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) info: Arc<RuleInfo>,
    /// The formula over concepts of a composed rule (the fields below are then unused).
    pub(crate) composition: Option<Composition>,
    pub(crate) regex: Option<Arc<Regex>>,
    /// Atoms that must all match within the window of a hit (the finding spans them).
    pub(crate) all: Vec<Arc<Regex>>,
    /// Atoms of which at least one must match within the window.
    pub(crate) any: Vec<Arc<Regex>>,
    /// Atoms that veto a window when any matches in it.
    pub(crate) unless: Vec<Arc<Regex>>,
    pub(crate) window: usize,
    pub(crate) window_words: Option<usize>,
    pub(crate) sentence: bool,
    pub(crate) allow: Vec<String>,
    pub(crate) segment: bool,
}

/// Compiles a rule set: parses, resolves and folds lexicons, compiles every pattern, and builds the keyword
/// automaton. Everything that can fail when a detector is built fails here, naming file, line and rule.
pub(crate) fn build(builtin: bool, extra: Ruleset, min_severity: Severity, folding: Folding) -> Result<Inner, Error> {
    // The built-in rule set as shipped takes its lexicons, leet vocabulary and automaton from the stored snapshot
    // (most of the work otherwise); anything else is built from its sources.
    let shipped = builtin && extra.is_empty() && min_severity == Severity::Low && folding == Folding::Full;
    let snapshot = if shipped { crate::snapshot::stored() } else { None };
    build_with(builtin, extra, min_severity, folding, snapshot)
}

/// [`build`], with the built-in snapshot to use, if any (`None` builds everything from the sources).
pub(crate) fn build_with(
    builtin: bool,
    extra: Ruleset,
    min_severity: Severity,
    folding: Folding,
    snapshot: Option<Snapshot>,
) -> Result<Inner, Error> {
    #[cfg(test)]
    let from_snapshot = snapshot.is_some();
    let (stored_keywords, stored_folder, mut source) = match snapshot {
        Some(s) if builtin => (Some(s.keywords), Some(s.folder), Ruleset::builtin_with(s.lexicons)),
        Some(s) => {
            let mut set = Ruleset::new();
            set.lexicons = s.lexicons;
            (Some(s.keywords), Some(s.folder), set)
        }
        None if builtin => (None, None, Ruleset::builtin()),
        None => {
            let mut set = Ruleset::new();
            // The built-in lexicons are there for users' rules (and the context stage) either way.
            set.lexicons = crate::lexicon::builtin();
            (None, None, set)
        }
    };
    source.merge_replacing(extra);
    source.rules.retain(|r| r.severity >= min_severity);
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
            .chain(&rule.none_in_clause)
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
    let folder = match stored_folder {
        Some(f) => f,
        None => Folder::with_mode(vocab, folding),
    };
    // The concepts' folded terms only feed the automaton, which a snapshot brings built.
    let concepts = if stored_keywords.is_some() {
        Vec::new()
    } else {
        crate::lexicon::resolve(&source.lexicons, &needed, &folder)?
    };
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
        for (terms, tag) in [(&concept.terms, CONCEPT), (&concept.exclude, EXCLUSION)] {
            for t in terms {
                let open = open_flags(t);
                // Chat English drops inner articles ("close dispute") and apostrophes ("cant receive"), chat
                // Chinese writes a character in pinyin ("转zhang"): a lexicon lists the full spelling once and
                // the other forms are added here.
                // An exclusion guards a collision: its inflections too (`accounts i sent` as `account i sent`),
                // which can only narrow the concept, whatever its lexicon says.
                for short in crate::forms::extra_forms(&t.folded, t.inflect || tag == EXCLUSION) {
                    entries.push((short, tag | c as u32, open));
                }
                entries.push((t.folded.clone(), tag | c as u32, open));
            }
        }
    }
    let mut composed = Vec::new();
    for (i, rule) in source.rules.iter().enumerate() {
        for (kw, line) in rule.keywords.iter().filter(|_| stored_keywords.is_none()) {
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
            Some(
                Composition::new(
                    refs(&rule.all),
                    refs(&rule.any),
                    refs(&rule.none),
                    rule.within,
                    rule.ordered,
                    pattern,
                )
                .with_none_in_clause(refs(&rule.none_in_clause)),
            )
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
    // A stored automaton names rules and concepts by index: every index must be one of this rule set's, or
    // everything is built from the sources instead.
    let fits = stored_keywords.as_ref().map(|k| {
        let (mut owners, mut extras) = k.owners();
        let cues = crate::entities::cue_words().count() as u32;
        owners.all(|o| {
            if o & (CONCEPT | EXCLUSION) != 0 {
                ((o & !(CONCEPT | EXCLUSION)) as usize) < needed.len()
            } else {
                (o as usize) < compiled.len()
            }
        }) && extras.all(|e| e < cues)
    });
    if fits == Some(false) {
        return build_with(builtin, Ruleset::new(), min_severity, folding, None);
    }
    let keywords = match stored_keywords {
        Some(k) => k,
        None => Keywords::build(entries, crate::entities::cue_words()).map_err(|message| Error::Parse {
            location: Location {
                source: "<rules>".into(),
                line: 1,
            },
            message: format!("keyword automaton does not build: {message}"),
        })?,
    };
    let lexicon = source
        .rules
        .iter()
        .filter(|r| r.segment)
        .flat_map(|r| r.keywords.iter().map(|(k, _)| folder.fold(k).text))
        .filter(|k| k.chars().all(crate::normalize::is_han))
        .collect();
    let context = Context::new(lexicon);
    let cues = Cues::new(
        needed
            .iter()
            .map(|n| CUE_LEXICONS.iter().find(|(c, _)| c == n).map(|(_, k)| *k))
            .collect(),
    );
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
    let mut composed_by_concept: Vec<Vec<u32>> = Vec::new();
    let mut composed_always = Vec::new();
    for (pos, &ri) in composed.iter().enumerate() {
        let Some(comp) = &compiled[ri].composition else {
            continue;
        };
        if comp.keys().is_empty() {
            composed_always.push(pos as u32);
        }
        for &c in comp.keys() {
            if composed_by_concept.len() <= c as usize {
                composed_by_concept.resize(c as usize + 1, Vec::new());
            }
            composed_by_concept[c as usize].push(pos as u32);
        }
    }
    Ok(Inner {
        escalations: rules::escalation_rules().into(),
        folder,
        keywords,
        rules: compiled,
        source,
        context,
        entities,
        cues,
        composed,
        composed_by_concept,
        composed_always,
        lookalike,
        #[cfg(test)]
        from_snapshot,
    })
}

/// The automaton's boundary flags of a lexicon term.
pub(crate) fn open_flags(t: &crate::lexicon::Term) -> u8 {
    (if t.open_start { OPEN_START } else { 0 }) | (if t.open_end { OPEN_END } else { 0 })
}

/// Owner tag of a concept's term in the keyword automaton (rule keywords are plain rule indices).
pub(crate) const CONCEPT: u32 = 1 << 31;
/// Owner tag of a concept's exclusion phrase.
pub(crate) const EXCLUSION: u32 = 1 << 30;

/// A pattern over the folded (lowercase) text.
pub(crate) fn compile_pattern(src: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(src)
        .case_insensitive(true)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored snapshot is what the sources build today, and `Detector::new()` uses it.
    /// `REDFLAG_BLESS=1 cargo test --lib snapshot_is_fresh` rewrites it after a change to `data/` or to the code
    /// that compiles it.
    #[test]
    fn snapshot_is_fresh() {
        let built = build_with(true, Ruleset::new(), Severity::Low, Folding::Full, None).unwrap();
        assert!(!built.from_snapshot);
        let bytes = crate::snapshot::encode(&built.keywords, &built.folder, &built.source.lexicons);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(crate::snapshot::PATH);
        if std::env::var_os("REDFLAG_BLESS").is_some() {
            std::fs::write(&path, &bytes).unwrap();
            return;
        }
        let stored = std::fs::read(&path).unwrap_or_default();
        assert!(
            stored == bytes,
            "{} is stale: rebuild it with `REDFLAG_BLESS=1 cargo test --lib snapshot_is_fresh`",
            crate::snapshot::PATH
        );
        let shipped = build(true, Ruleset::new(), Severity::Low, Folding::Full).unwrap();
        assert!(shipped.from_snapshot, "the detector does not use the stored snapshot");
        assert_eq!(shipped.keywords, built.keywords);
        assert_eq!(shipped.folder.words(), built.folder.words());
        assert_eq!(shipped.source.lexicons.len(), built.source.lexicons.len());
        for (a, b) in shipped.source.lexicons.iter().zip(&built.source.lexicons) {
            assert_eq!(
                (
                    &a.name,
                    &a.description,
                    &a.terms,
                    &a.include,
                    &a.exclude,
                    &a.location,
                    a.builtin
                ),
                (
                    &b.name,
                    &b.description,
                    &b.terms,
                    &b.include,
                    &b.exclude,
                    &b.location,
                    b.builtin
                )
            );
        }
    }

    /// The built-in automaton (as stored and as built) reports exactly what `aho-corasick` reports over the same
    /// patterns, on text that holds many of them.
    #[test]
    fn the_builtin_automaton_agrees_with_aho_corasick() {
        use aho_corasick::automaton::{Automaton, OverlappingState};
        use aho_corasick::Input;
        let shipped = build(true, Ruleset::new(), Severity::Low, Folding::Full).unwrap();
        let (_, patterns) = shipped.keywords.raw_matches(b"");
        let reference = aho_corasick::nfa::contiguous::NFA::new(&patterns).unwrap();
        // Every pattern, joined in threes with and without spaces, and some text between.
        let mut texts: Vec<String> = patterns.chunks(3).map(|c| c.join("")).collect();
        texts.extend(patterns.chunks(5).map(|c| c.join(" 的 ")));
        texts.push("Please pay the deposit to my personal account via wechat 微信转账到我的私人账户".into());
        for text in &texts {
            let (ours, _) = shipped.keywords.raw_matches(text.as_bytes());
            let mut state = OverlappingState::start();
            let mut want = Vec::new();
            let input = Input::new(text.as_str());
            loop {
                reference.try_find_overlapping(&input, &mut state).unwrap();
                match state.get_match() {
                    Some(m) => want.push((m.pattern().as_u32(), m.end())),
                    None => break,
                }
            }
            assert_eq!(ours, want, "{text:?}");
        }
    }

    #[test]
    fn other_options_build_from_the_sources() {
        let basic = build(true, Ruleset::new(), Severity::Low, Folding::Basic).unwrap();
        assert!(!basic.from_snapshot);
        let high = build(true, Ruleset::new(), Severity::High, Folding::Full).unwrap();
        assert!(!high.from_snapshot);
    }

    #[test]
    fn a_snapshot_naming_unknown_rules_is_not_used() {
        let built = build_with(true, Ruleset::new(), Severity::Low, Folding::Full, None).unwrap();
        let bytes = crate::snapshot::encode(&built.keywords, &built.folder, &built.source.lexicons);
        let snapshot = crate::snapshot::decode(Box::leak(bytes.into_boxed_slice())).unwrap();
        // The same snapshot offered to a rule set without the built-in rules: its rule owners do not exist.
        let inner = build_with(false, Ruleset::new(), Severity::Low, Folding::Full, Some(snapshot)).unwrap();
        assert!(!inner.from_snapshot);
        assert!(inner.rules.is_empty());
    }
}
