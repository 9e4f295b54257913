//! Pass 6: chat spellings of English words written out (`u` → `you`, `ur` → `your`), so that a lexicon's
//! `refund you` and `share your whatsapp` are also `refund u` and `share ur whatsapp` without every term being
//! entered twice. Terms are folded by the same code, so a term written `u` becomes `you` as well.
//!
//! Contractions without their apostrophe (`cant`, `dont`) are not rewritten here: `can't` would leave a lone `t`
//! that the spelled-out-word pass could join with what follows on a second fold. The lexicons list them.
//!
//! Only a standalone token is rewritten: between spaces or punctuation, never next to a Han character or a digit
//! (`转U`, `100u` are USDT), and `u` only after an English word or before one at the start (`send u the PI`, `u
//! can pay`), not alone or after a number (`pay 500 U`). The decision reads the folded letters only, so folding
//! stays idempotent; the price is that `pay in U` reads as `pay in you`.

use super::chars::{Class, Unit};

/// Chat spelling → the word it stands for.
const WORDS: &[(&str, &str)] = &[("u", "you"), ("ur", "your")];

/// The longest chat spelling, in letters: longer tokens are no candidates.
const LONGEST: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < WORDS.len() {
        if WORDS[i].0.len() > n {
            n = WORDS[i].0.len();
        }
        i += 1;
    }
    n
};

/// Whether an ASCII token (any case) is one of the chat spellings: the fast paths leave such a text to the
/// general path, which decides from the neighbours.
pub(super) fn is_chat_word(token: &[u8]) -> bool {
    token.len() <= LONGEST && WORDS.iter().any(|(w, _)| w.as_bytes().eq_ignore_ascii_case(token))
}

/// Rewrites the standalone chat spellings among `units`.
pub(super) fn chat_words(units: &mut Vec<Unit>) {
    let live = |units: &[Unit], i: usize| !units[i].dead;
    let mut i = 0;
    while i < units.len() {
        if !live(units, i) || units[i].class != Class::Latin {
            i += 1;
            continue;
        }
        let start = i;
        while i < units.len() && live(units, i) && units[i].class == Class::Latin {
            i += 1;
        }
        let end = i;
        if end - start > LONGEST {
            continue;
        }
        // Decided on the folded letters alone, so that folding stays idempotent (`U` and `ｕ` fold to `u` too).
        let token = &units[start..end];
        let spelled = |w: &str| w.len() == token.len() && w.chars().zip(token).all(|(c, u)| u.ch == c);
        let Some(&(w, full)) = WORDS.iter().find(|(w, _)| spelled(w)) else {
            continue;
        };
        // The nearest live units before and after, and the nearest non-space ones.
        let before = units[..start].iter().rev().find(|u| !u.dead);
        let after = units[end..].iter().find(|u| !u.dead);
        // Only between spaces, line breaks and punctuation: next to a joiner (`w=u`) the letter may be part of a
        // word spelled apart.
        let apart =
            |u: Option<&Unit>| !u.is_some_and(|u| !matches!(u.class, Class::Space | Class::Newline | Class::Punct));
        if !apart(before) || !apart(after) {
            continue;
        }
        if w == "u" {
            let word_before = units[..start].iter().rev().find(|u| !u.dead && u.class != Class::Space);
            let word_after = units[end..].iter().find(|u| !u.dead && u.class != Class::Space);
            let ok = match word_before {
                Some(u) => u.class == Class::Latin,
                None => word_after.is_some_and(|u| u.class == Class::Latin),
            };
            if !ok {
                continue;
            }
        }
        // Write the word over the token's units; extra letters take the last unit's span (as an expansion does).
        let template = units[end - 1];
        let class = |c: char| {
            if c.is_ascii_alphabetic() {
                Class::Latin
            } else {
                Class::Punct
            }
        };
        let mut chars = full.chars();
        for (u, c) in units[start..end].iter_mut().zip(&mut chars) {
            u.ch = c;
            u.class = class(c);
        }
        let n = full.chars().count().saturating_sub(end - start);
        units.splice(
            end..end,
            chars.map(|c| Unit {
                ch: c,
                class: class(c),
                ..template
            }),
        );
        i = end + n;
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::folder;

    #[test]
    fn chat_spellings_are_written_out_only_where_they_stand_alone() {
        let f = folder();
        let table: &[(&str, &str)] = &[
            ("we send u the photos", "we send you the photos"),
            ("u can pay to my account", "you can pay to my account"),
            ("pay ur deposit", "pay your deposit"),
            ("can u share ur whatsapp?", "can you share your whatsapp?"),
            // Not standalone, not lower case, or USDT: left alone.
            ("转U给我", "转u给我"),
            ("pay 100 u", "pay 100 u"),
            ("send U the photos", "send you the photos"),
            ("u", "u"),
            ("uu", "uu"),
            // Spelled apart with a joiner, it is part of a word, joined before this pass.
            ("w=u", "wu"),
            ("menu", "menu"),
        ];
        for &(text, want) in table {
            assert_eq!(f.fold(text).text, want, "{text:?}");
        }
        // Spans: the written-out word maps back to the token.
        let folded = f.fold("send u now");
        assert_eq!(folded.original_span(5..8), 5..6);
    }
}
