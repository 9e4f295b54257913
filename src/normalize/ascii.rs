//! The ASCII fast path: one tight pass deciding that folding an ASCII text only lowercases it.

use std::ops::Range;

use super::chars::{ascii_unit, Class, ASCII};
use super::{Folder, Scratch};

impl Folder {
    /// Whether folding the ASCII `text` only lowercases it, byte for byte: the common case for English messages,
    /// decided in one tight pass without building any units. Conservative: `false` sends the text to the other
    /// paths, which fold it exactly; `true` is only returned when the general path would write the lowercased
    /// text with every byte mapped to itself (a test compares them).
    ///
    /// What the general path changes in ASCII text, and is looked for here: whitespace other than single spaces
    /// inside the text (runs collapse, edges are dropped, tabs become spaces), control characters (dropped), `|`,
    /// lone letters or digits on both sides of a separator run (joined as a spelled-out word), and tokens that
    /// leetspeak or repeated-letter resolution rewrites into a vocabulary word.
    pub(super) fn ascii_unchanged(&self, text: &str, scratch: &mut Scratch) -> bool {
        let b = text.as_bytes();
        let alnum = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
        // Whether the token `b[s..e]` ends (starts) with a lone letter or digit: one with no letter or digit
        // next to it.
        let lone_end = |s: usize, e: usize| alnum(e - 1) && (e - 1 == s || !alnum(e - 2));
        let lone_start = |s: usize| alnum(s) && !alnum(s + 1);
        let mut i = 0;
        // Where the last token started and ended, and whether only spaces and joiners came since.
        let mut last: Option<(usize, usize)> = None;
        let mut gap_only = false;
        let (mut solid_seen, mut space_since_solid) = (false, false);
        while i < b.len() {
            let f = ASCII_FLAGS[b[i] as usize];
            if f & TOKEN != 0 {
                let start = i;
                let (mut any, mut latin, mut doubled, mut prev) = (0u8, 0usize, false, 0u8);
                while i < b.len() {
                    let c = b[i];
                    let f = ASCII_FLAGS[c as usize];
                    if f & TOKEN == 0 {
                        break;
                    }
                    any |= f;
                    latin += usize::from(f & LETTER != 0);
                    // Letters compare case-folded; anything else already makes the token a candidate.
                    let l = c | 0x20;
                    doubled |= l == prev;
                    prev = l;
                    i += 1;
                }
                if any & PIPE != 0 || super::chat::is_chat_word(&b[start..i]) {
                    return false;
                }
                if let Some((s, e)) = last.filter(|_| gap_only) {
                    // Passes 3a/3b: lone letters or digits on both sides of a separator run are joined.
                    if lone_end(s, e) && lone_start(start) {
                        return false;
                    }
                }
                let letters_only = any & NOT_PLAIN_LETTER == 0;
                if (doubled || !letters_only)
                    && latin >= 2
                    && !self.vocab.is_empty()
                    && !self.token_unchanged(text, start..i, letters_only, scratch)
                {
                    return false;
                }
                last = Some((start, i));
                gap_only = true;
                solid_seen = true;
                space_since_solid = false;
                continue;
            }
            if f & SINGLE_SPACE != 0 {
                // Whitespace runs collapse, and spaces before the first or after the last solid character (not a
                // space or joiner) are dropped.
                if !solid_seen || b[i - 1] == b' ' {
                    return false;
                }
                space_since_solid = true;
            } else if f & JOINER == 0 {
                if f & SOLID == 0 {
                    // Tabs and other whitespace become spaces; control characters are dropped.
                    return false;
                }
                gap_only = false;
                solid_seen = true;
                space_since_solid = false;
            } else if b[i] == b'*' && i > 0 && b[i - 1].is_ascii_alphabetic() {
                // Maybe a masked letter (`wh*tsapp`), which the general path unmasks.
                return false;
            }
            i += 1;
        }
        !space_since_solid
    }

    /// Whether leet and repeated-letter resolution leaves the ASCII token `text[r]` as written (for
    /// [`Folder::ascii_unchanged`]).
    fn token_unchanged(&self, text: &str, r: Range<usize>, letters_only: bool, scratch: &mut Scratch) -> bool {
        let word = &text.as_bytes()[r.clone()];
        if letters_only && self.repeats_stay(word, &mut scratch.candidate) {
            return true;
        }
        let units = &mut scratch.units;
        units.clear();
        units.extend(word.iter().enumerate().map(|(k, &c)| ascii_unit(c, r.start + k)));
        let n = units.len();
        self.resolve_token(units, 0, n, &mut scratch.candidate);
        units
            .iter()
            .zip(word)
            .all(|(u, &c)| !u.dead && u.ch == char::from(c.to_ascii_lowercase()) && u.end == u.start + 1)
    }
}

/// Byte flags for [`Folder::ascii_unchanged`], derived from [`ASCII`].
const TOKEN: u8 = 1;
/// An ASCII letter.
const LETTER: u8 = 2;
/// A digit, a leet symbol or an upper-case `I`: a token holding one is not plain letters.
const NOT_PLAIN_LETTER: u8 = 4;
/// `|`, a leet letter and a separator at once.
const PIPE: u8 = 8;
/// `' '`.
const SINGLE_SPACE: u8 = 16;
/// Any horizontal whitespace (`' '`, tab, …).
pub(super) const SPACE: u8 = 128;
/// A joiner (`.`, `-`, `/`…).
pub(super) const JOINER: u8 = 32;
/// Punctuation or a line break: written as it is, and no separator for the joining passes.
const SOLID: u8 = 64;

pub(super) static ASCII_FLAGS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match ASCII[b].1 {
            Class::Latin if b as u8 == b'I' => TOKEN | LETTER | NOT_PLAIN_LETTER,
            Class::Latin => TOKEN | LETTER,
            Class::Digit => TOKEN | NOT_PLAIN_LETTER,
            Class::Leet if b as u8 == b'|' => TOKEN | NOT_PLAIN_LETTER | PIPE,
            Class::Leet => TOKEN | NOT_PLAIN_LETTER,
            Class::Space if b as u8 == b' ' => SINGLE_SPACE | SPACE,
            Class::Space => SPACE,
            Class::Joiner => JOINER,
            Class::Punct | Class::Newline => SOLID,
            _ => 0,
        };
        b += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::reference::tests::fast_agrees;
    use crate::normalize::tests::folder;
    use proptest::prelude::*;

    #[test]
    fn plain_ascii_is_only_lowercased() {
        let f = folder();
        // Ordinary English messages: the one-pass check takes them (and `fast_agrees` checks it is right to).
        let plain = [
            "Good morning, the 200 pcs of stainless tumblers passed QC yesterday.",
            "Unit price $4.10 for 1,000 pcs, $3.85 above 5,000 pcs.",
            "If you need a third-party inspection, tell us the company name.",
            "I can add it to the order so you see the total before paying.",
            "Thanks! We changed the thread to 40S and the new sample ships on Friday.\nOK",
            "coffee, good, will, feedback",
            "",
        ];
        for t in plain {
            assert_eq!(fast_agrees(&f, t).map(|_| ()), Ok(()), "{t:?}");
            assert!(f.ascii_unchanged(t, &mut Scratch::default()), "{t:?} should be plain");
        }
        // What folding changes in ASCII text: each must be left to the other paths.
        let changed = [
            "w e c h a t",
            "W-U to me",
            "a b",
            "p4y now",
            "wechaaat me",
            "App1e logo",
            "aIibaba",
            "$kype",
            "two  spaces",
            " leading",
            "trailing ",
            "tab\there",
            "w|e",
            "bell\u{7}",
            "crlf\r\n",
        ];
        for t in changed {
            assert_eq!(fast_agrees(&f, t).map(|_| ()), Ok(()), "{t:?}");
            assert!(
                !f.ascii_unchanged(t, &mut Scratch::default()),
                "{t:?} is changed by folding"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// ASCII texts built from words, numbers, leet and separators: the plain-ASCII check must never take a
        /// text that folding changes.
        #[test]
        fn plain_ascii_check_agrees_with_the_general_path(parts in proptest::collection::vec(proptest::sample::select(vec![
            "wechat", "pay", "p@y", "App1e", "wechaaat", "coffee", "good", "will", "Will", "I", "If", "aIibaba", "12",
            "7", "0", "a", "b", "e", "x", "V", "$kype", "hello!", "!", "@", "$", "|", " ", "  ", "\t", "\n", "\r", "-",
            ".", "/", "_", ",", ";", "?", "(", ")", "'", "\u{1}", "acccept", "feedback", "Good", "OK", "40S", "$4.10",
        ]), 0..24)) {
            let text = parts.concat();
            prop_assert!(fast_agrees(&folder(), &text).is_ok(), "{:?}", fast_agrees(&folder(), &text));
        }
    }
}
