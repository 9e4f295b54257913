//! Loading rule files: TOML into rules, atoms and lexicons, validated, with the source line of every error.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::{Advice, Atom, Rule, Within, DEFAULT_WINDOW, MAX_WINDOW, MAX_WINDOW_WORDS};
use crate::error::{Error, Location, RuleErrorKind};
use crate::score::{Category, Severity};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDef {
    /// Concept lexicons defined by this file, referenced as `{name}`.
    #[serde(default)]
    lexicons: BTreeMap<String, Spanned<crate::lexicon::LexiconDef>>,
    /// Named atoms (unscored regexes) that rules reference as `@name` in `all`, `any` and `unless`.
    #[serde(default)]
    atoms: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    rule: Vec<Spanned<RuleDef>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: Spanned<String>,
    category: Category,
    severity: Severity,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    keywords: Vec<Spanned<String>>,
    #[serde(default)]
    pattern: Option<Spanned<String>>,
    #[serde(default)]
    all: Vec<Spanned<String>>,
    #[serde(default)]
    any: Vec<Spanned<String>>,
    #[serde(default)]
    unless: Vec<Spanned<String>>,
    #[serde(default)]
    none: Vec<Spanned<String>>,
    #[serde(default)]
    none_in_clause: Vec<Spanned<String>>,
    #[serde(default)]
    within: Option<Spanned<WithinDef>>,
    #[serde(default)]
    ordered: bool,
    #[serde(default)]
    window_words: Option<Spanned<usize>>,
    #[serde(default)]
    scope: Scope,
    #[serde(default)]
    window: Option<Spanned<usize>>,
    #[serde(default)]
    allow: Vec<Spanned<String>>,
    #[serde(default)]
    vocabulary: Vec<String>,
    #[serde(default)]
    segment: bool,
    #[serde(default)]
    advice: Option<Advice>,
    #[serde(default)]
    examples: ExamplesDef,
}

/// `within` as written: a scope name or a number of words.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum WithinDef {
    Words(i64),
    Name(String),
}

/// Where a rule's atoms and pattern may be, around a keyword hit.
#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Scope {
    /// Within the window (`window` characters, or `window_words` words).
    #[default]
    Window,
    /// Within the window and the sentence of the hit.
    Sentence,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ExamplesDef {
    #[serde(default, rename = "match")]
    matches: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
}

pub(super) type Parsed = (Vec<Rule>, Vec<Atom>, Vec<crate::lexicon::Lexicon>);

/// The lexicon name of a `{name}` entry of `all`, `any` or `none` (validated when the rule was parsed).
pub(crate) fn concept_name(entry: &str) -> &str {
    entry.trim_start_matches('{').trim_end_matches('}')
}

/// What a regex compile error means for a rule.
pub(crate) fn pattern_error_kind(err: regex::Error) -> RuleErrorKind {
    match err {
        regex::Error::CompiledTooBig(limit) => RuleErrorKind::PatternTooLarge { limit },
        other => RuleErrorKind::InvalidPattern {
            message: other.to_string(),
        },
    }
}

fn is_concept_ref(s: &str) -> bool {
    s.strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .is_some_and(crate::lexicon::valid_name)
}

pub(super) fn parse(source: &str, text: &str) -> Result<Parsed, Error> {
    let lines = crate::error::Lines::new(text);
    let file: FileDef = toml::from_str(text).map_err(|e| Error::Parse {
        location: Location {
            source: source.to_string(),
            line: e.span().map_or(1, |s| lines.line(s.start)),
        },
        message: e.message().trim().to_string(),
    })?;
    let line = |span: Range<usize>| lines.line(span.start);
    let lexicons = crate::lexicon::from_defs(source, file.lexicons, line)?;
    let mut atoms = Vec::with_capacity(file.atoms.len());
    for (name, src) in &file.atoms {
        let location = Location {
            source: source.to_string(),
            line: line(src.span()),
        };
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(Error::Rule {
                location,
                rule: format!("@{name}"),
                kind: RuleErrorKind::BadAtomName,
            });
        }
        atoms.push(Atom {
            name: name.clone(),
            src: src.get_ref().clone(),
            location,
            builtin: false,
        });
    }
    let mut rules: Vec<Rule> = Vec::with_capacity(file.rule.len());
    // A list of strings with the line each was written on.
    let located = |v: &[Spanned<String>]| -> Vec<(String, usize)> {
        v.iter().map(|a| (a.get_ref().clone(), line(a.span()))).collect()
    };
    for spanned in file.rule {
        let def = spanned.get_ref();
        let rule = Rule {
            id: def.id.get_ref().clone(),
            category: def.category,
            severity: def.severity,
            description: def.description.clone(),
            keywords: located(&def.keywords),
            pattern: def.pattern.as_ref().map(|p| (p.get_ref().clone(), line(p.span()))),
            all: located(&def.all),
            any: located(&def.any),
            window_words: def.window_words.as_ref().map(|w| *w.get_ref()),
            sentence: def.scope == Scope::Sentence,
            unless: located(&def.unless),
            none: located(&def.none),
            none_in_clause: located(&def.none_in_clause),
            composed: def
                .all
                .iter()
                .chain(&def.any)
                .chain(&def.none)
                .chain(&def.none_in_clause)
                .chain(&def.unless)
                .any(|a| is_concept_ref(a.get_ref())),
            within: Within::Sentence,
            ordered: def.ordered,
            window: def.window.as_ref().map_or(DEFAULT_WINDOW, |w| *w.get_ref()),
            allow: located(&def.allow),
            vocabulary: def.vocabulary.clone(),
            segment: def.segment,
            advice: def.advice.clone(),
            examples_match: def.examples.matches.clone(),
            examples_ignore: def.examples.ignore.clone(),
            location: Location {
                source: source.to_string(),
                line: line(def.id.span()),
            },
            builtin: false,
        };
        let id_line = rule.location.line;
        if !valid_id(&rule.id, rule.category) {
            return Err(rule.error(id_line, RuleErrorKind::BadId));
        }
        if let Some(first) = rules.iter().find(|r| r.id == rule.id) {
            return Err(rule.error(
                id_line,
                RuleErrorKind::DuplicateId {
                    first: first.location.clone(),
                },
            ));
        }
        let mut rule = rule;
        if rule.composed {
            // `unless` is the older name of `none`.
            let unless = std::mem::take(&mut rule.unless);
            rule.none.extend(unless);
            for (entry, l) in rule
                .all
                .iter()
                .chain(&rule.any)
                .chain(&rule.none)
                .chain(&rule.none_in_clause)
            {
                if !is_concept_ref(entry) {
                    return Err(rule.error(*l, RuleErrorKind::BadConceptRef { entry: entry.clone() }));
                }
            }
            if rule.all.is_empty() && rule.any.is_empty() {
                return Err(rule.error(id_line, RuleErrorKind::NoKeywords));
            }
            if let Some(w) = &def.within {
                let bad = || {
                    let value = match w.get_ref() {
                        WithinDef::Words(n) => n.to_string(),
                        WithinDef::Name(s) => format!("{s:?}"),
                    };
                    rule.error(line(w.span()), RuleErrorKind::BadWithin { value })
                };
                rule.within = match w.get_ref() {
                    WithinDef::Name(n) if n == "clause" => Within::Clause,
                    WithinDef::Name(n) if n == "sentence" => Within::Sentence,
                    WithinDef::Name(n) if n == "message" => Within::Message,
                    WithinDef::Words(n) if (1..=MAX_WINDOW_WORDS as i64).contains(n) => Within::Words(*n as usize),
                    _ => return Err(bad()),
                };
            }
        } else {
            if rule.keywords.is_empty() {
                return Err(rule.error(id_line, RuleErrorKind::NoKeywords));
            }
            if !rule.none.is_empty() || !rule.none_in_clause.is_empty() || def.within.is_some() {
                let l = def.within.as_ref().map_or(id_line, |w| line(w.span()));
                return Err(rule.error(
                    l,
                    RuleErrorKind::BadConceptRef {
                        entry: "`none`, `none_in_clause` and `within` need `{name}` concepts in `all`/`any`".into(),
                    },
                ));
            }
        }
        if let Some(w) = &def.window {
            if !(1..=MAX_WINDOW).contains(w.get_ref()) {
                return Err(rule.error(line(w.span()), RuleErrorKind::BadWindow { window: *w.get_ref() }));
            }
        }
        if let Some(w) = &def.window_words {
            if !(1..=MAX_WINDOW_WORDS).contains(w.get_ref()) {
                return Err(rule.error(line(w.span()), RuleErrorKind::BadWindow { window: *w.get_ref() }));
            }
        }
        rules.push(rule);
    }
    Ok((rules, atoms, lexicons))
}

fn valid_id(id: &str, category: Category) -> bool {
    let Some(name) = id.strip_prefix(category.as_str()).and_then(|r| r.strip_prefix('.')) else {
        return false;
    };
    !name.is_empty()
        && !name.starts_with('.')
        && !name.ends_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_validated() {
        let table = [
            ("urgency.today", Category::Urgency, true),
            ("urgency.today.v2", Category::Urgency, true),
            ("urgency", Category::Urgency, false),
            ("urgency.", Category::Urgency, false),
            ("urgency.Today", Category::Urgency, false),
            ("contact_move.today", Category::Urgency, false),
            ("urgencytoday", Category::Urgency, false),
        ];
        for (id, c, ok) in table {
            assert_eq!(valid_id(id, c), ok, "{id}");
        }
    }
}
