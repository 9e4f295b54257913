//! The words of rules, atoms and lexicons, which the folder must know to resolve evasions (`t3mporary`).

use super::{Atom, Rule};

/// ASCII words (3+ letters) of a rule, in any case: the leetspeak folder may resolve evasive spellings into them.
pub(crate) fn vocabulary(rule: &Rule) -> Vec<&str> {
    let mut out = Vec::new();
    for (k, _) in rule.keywords.iter().chain(&rule.allow) {
        add_words(&mut out, k);
    }
    // A composed rule's `all`/`any` are concept names, no words; its lexicons add their own words.
    let atoms: &[(String, usize)] = if rule.composed { &[] } else { &rule.all };
    let any: &[(String, usize)] = if rule.composed { &[] } else { &rule.any };
    for (p, _) in rule.pattern.iter().chain(atoms).chain(any) {
        pattern_words(&mut out, p);
    }
    for v in &rule.vocabulary {
        add_words(&mut out, v);
    }
    out
}

/// ASCII words (3+ letters) of a lexicon's terms and exclusions.
pub(crate) fn lexicon_vocabulary(l: &crate::lexicon::Lexicon) -> Vec<&str> {
    let mut out = Vec::new();
    for (t, _) in l.terms.iter().chain(l.exclude.iter()) {
        add_words(&mut out, t);
    }
    out
}

/// ASCII words (3+ letters) of a named atom's regex.
pub(crate) fn atom_vocabulary(atom: &Atom) -> Vec<&str> {
    let mut out = Vec::new();
    pattern_words(&mut out, &atom.src);
    out
}

fn add_words<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    out.extend(s.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 3));
}

/// The words of a regex: its runs of ASCII letters, where escapes (`\s`, `\b`, `\p{Han}`) and group headers
/// (`(?i)`, `(?:`, `(?P<name>`) separate words and are no words themselves (`\bwire` yields `wire`).
fn pattern_words<'a>(out: &mut Vec<&'a str>, p: &'a str) {
    // Bytewise: every byte looked at is ASCII, and a word is a run of ASCII letters, so slices are char-aligned.
    let b = p.as_bytes();
    let mut word = 0; // start of the current run of letters
    let mut i = 0;
    let end_word = |out: &mut Vec<&'a str>, word: usize, i: usize| {
        if i >= word + 3 {
            out.push(&p[word..i]);
        }
    };
    while i < b.len() {
        if b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        end_word(out, word, i);
        match b[i] {
            b'\\' => {
                let n = b.get(i + 1).copied();
                i = (i + 2).min(b.len());
                if matches!(n, Some(b'p' | b'P')) && b.get(i) == Some(&b'{') {
                    i = b[i..].iter().position(|&c| c == b'}').map_or(b.len(), |k| i + k + 1);
                }
            }
            b'(' if b.get(i + 1) == Some(&b'?') => {
                i = b[i + 1..]
                    .iter()
                    .position(|&c| matches!(c, b':' | b')' | b'>'))
                    .map_or(b.len(), |k| i + 1 + k + 1);
            }
            _ => i += 1,
        }
        // An escape may have stepped into a multi-byte character: move on to the next char boundary.
        while i < b.len() && !p.is_char_boundary(i) {
            i += 1;
        }
        word = i;
    }
    end_word(out, word, b.len());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Ruleset;

    #[test]
    fn regex_escapes_do_not_glue_words() {
        let table: &[(&str, &[&str])] = &[
            (r"\bwire\s+transfer", &["wire", "transfer"]),
            (r"(?P<x>pay)\p{Han}", &["pay"]),
            (r"(?i:pay)", &["pay"]),
            (r"\中abc\", &["abc"]),
            (r"(?x) Wire\btt", &["Wire"]),
            (r"ab\pcde", &["cde"]),
        ];
        for (p, want) in table {
            let mut got = Vec::new();
            pattern_words(&mut got, p);
            assert_eq!(got, *want, "{p}");
        }
    }

    /// The words of every built-in pattern are the ones the char-by-char reading (before it went bytewise) found.
    #[test]
    fn vocabulary_of_builtin_patterns_is_unchanged() {
        fn reference(p: &str) -> String {
            let mut out = String::new();
            let mut chars = p.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    out.push(' ');
                    if let Some('p' | 'P') = chars.next() {
                        if chars.peek() == Some(&'{') {
                            chars.by_ref().find(|&c| c == '}');
                        }
                    }
                } else if c == '(' && chars.peek() == Some(&'?') {
                    out.push(' ');
                    chars.by_ref().find(|&c| c == ':' || c == ')' || c == '>');
                } else {
                    out.push(c);
                }
            }
            out
        }
        let set = Ruleset::builtin();
        let pats = set.atoms.iter().map(|a| a.src.as_str()).chain(
            set.rules()
                .iter()
                .flat_map(|r| r.pattern.iter().chain(&r.all).chain(&r.any).map(|(p, _)| p.as_str())),
        );
        let extra = [r"\中x", r"a\", r"(?", r"\p{Han", r"é\bpay", r"abc\"];
        for p in pats.chain(extra) {
            let mut a = Vec::new();
            pattern_words(&mut a, p);
            let reference = reference(p);
            let b: Vec<&str> = reference
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 3)
                .collect();
            assert_eq!(a, b, "{p}");
        }
    }
}
