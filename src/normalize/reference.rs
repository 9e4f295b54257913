//! The reference path: the unit buffer and passes 2–4 to a fixpoint; the fast paths are property-tested against it.

use super::chars::{chinese_digit, push_char, Class, Unit};
use super::{Folded, Folder, Folding, Scratch, Vocab};

impl Folder {
    /// The general path: every character into the unit buffer, then the passes over it.
    pub(super) fn fold_slow(&self, text: &str, scratch: &mut Scratch) {
        let units = &mut scratch.units;
        units.clear();
        scratch.folded.clear();
        let full = self.mode == Folding::Full;
        for (i, c) in text.char_indices() {
            push_char(units, c, i as u32, (i + c.len_utf8()) as u32, full);
        }
        if full {
            // The passes feed each other (a joined word can hold a look-alike letter, a folded look-alike can
            // be a letter to join), so they run to a fixpoint: that makes folding idempotent. Rarely more than
            // one round; bounded because each round only removes units or turns Other/Han into Latin/Digit.
            // Passes that cannot change anything are skipped: most messages have no look-alike letters, many no
            // Han characters or symbols.
            let (mut han, mut alt, mut symbol, mut wide_stop, mut star) = (false, false, false, false, false);
            for u in units.iter() {
                star |= u.ch == '*';
                han |= u.class == Class::Han;
                alt |= u.alt != '\0';
                symbol |= u.class == Class::Symbol;
                wide_stop |= u.ch == '\u{3002}';
            }
            if wide_stop {
                dotted_names(units);
            }
            for _ in 0..4 {
                let mut changed = alt && fold_confusables(units);
                changed |= han && chinese_digits(units);
                // Spelled-out words first: a letter that belongs to `w|e|c|h|a|t` is not a lone pinyin initial
                // for `join_han` to attach to the next Han character.
                changed |= join_spelled(units, &self.vocab);
                changed |= han && join_han(units);
                changed |= symbol && join_symbol_infix(units);
                if !changed {
                    break;
                }
            }
            if star {
                self.unmask_stars(units, &mut scratch.candidate);
            }
            self.resolve_tokens(units, &mut scratch.candidate);
            super::chat::chat_words(units);
        }
        emit(units, &mut scratch.folded);
    }
}

/// An ideographic full stop between two ASCII letters or digits (`wa。me/86138…`, `zf-cashier。cc`) is a dot
/// written wide to slip a link or a handle past filters: no Chinese sentence ends inside a Latin word. It becomes
/// `.`, which inside a word is no sentence break either.
fn dotted_names(units: &mut [Unit]) {
    let alnum = |u: &Unit| matches!(u.class, Class::Latin | Class::Digit);
    for i in 1..units.len().saturating_sub(1) {
        if units[i].ch == '\u{3002}' && !units[i].dead && alnum(&units[i - 1]) && alnum(&units[i + 1]) {
            units[i].ch = '.';
        }
    }
}

/// Writes the live units out. A whitespace run becomes one space, except between two lone letters or digits
/// (`1  a 1`), where its width is what told pass 3b that a spelled-out word ended: keeping it there makes folding
/// idempotent.
pub(super) fn emit(units: &[Unit], out: &mut Folded) {
    let alnum = |u: &Unit| matches!(u.class, Class::Latin | Class::Digit);
    // One linear pass. `solid` is the last live non-separator unit written, with whether it was a lone letter
    // or digit (no live alnum on either side).
    let mut solid: Option<bool> = None;
    let mut prev_alive_alnum = false;
    let mut k = 0;
    while k < units.len() {
        let u = units[k];
        if u.dead {
            k += 1;
            continue;
        }
        if !is_gap(&u) {
            let next_alnum = units[k + 1..].iter().find(|n| !n.dead).is_some_and(alnum);
            solid = Some(alnum(&u) && !prev_alive_alnum && !next_alnum);
            prev_alive_alnum = alnum(&u);
            out.push(u.ch, u.start, u.end);
            k += 1;
            continue;
        }
        // A separator gap: spaces, joiners and symbols (dead units inside it are skipped).
        let mut g = k;
        while g < units.len() && (units[g].dead || is_gap(&units[g])) {
            g += 1;
        }
        let after_lone = g < units.len() && alnum(&units[g]) && {
            let next = units[g + 1..].iter().find(|n| !n.dead);
            !next.is_some_and(alnum)
        };
        let edge = solid.is_none() || g == units.len();
        let keep_width = solid == Some(true) && after_lone;
        let mut m = k;
        while m < g {
            let v = units[m];
            if v.dead {
                m += 1;
                continue;
            }
            if v.class != Class::Space {
                out.push(v.ch, v.start, v.end);
                m += 1;
                continue;
            }
            // A run of spaces: dropped at the edges of the text, kept as written between lone letters (its width
            // told pass 3b where a spelled-out word ended), otherwise one space.
            let mut r = m;
            let mut last = m;
            while r < g && (units[r].dead || units[r].class == Class::Space) {
                if !units[r].dead {
                    last = r;
                    if keep_width && !edge {
                        out.push(' ', units[r].start, units[r].end);
                    }
                }
                r += 1;
            }
            if !edge && !keep_width {
                out.push(' ', v.start, units[last].end);
            }
            m = r;
        }
        prev_alive_alnum = false;
        k = g;
    }
}

/// Pass 2: look-alike letters inside a word that holds a Latin letter become Latin.
fn fold_confusables(units: &mut [Unit]) -> bool {
    let mut changed = false;
    // Removed separators are transparent: the letters around them form one word.
    let word = |u: &Unit| u.dead || matches!(u.class, Class::Latin | Class::Digit | Class::Other);
    let mut i = 0;
    while i < units.len() {
        if units[i].dead || !word(&units[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut latin = false;
        let mut other = false;
        while j < units.len() && word(&units[j]) {
            if !units[j].dead {
                latin |= units[j].class == Class::Latin;
                other |= units[j].class == Class::Other && units[j].alt != '\0';
            }
            j += 1;
        }
        if latin && other {
            for u in units[i..j].iter_mut().filter(|u| !u.dead) {
                if u.class == Class::Other && u.alt != '\0' {
                    u.ch = u.alt;
                    u.class = if u.alt.is_ascii_digit() {
                        Class::Digit
                    } else {
                        Class::Latin
                    };
                    changed = true;
                }
            }
        }
        i = j;
    }
    changed
}

fn is_infix(class: Class) -> bool {
    matches!(class, Class::Space | Class::Joiner | Class::Symbol)
}

/// A separator for the joining passes: spaces, joiners, symbols, and `|` (`w|e|c|h|a|t`, `微|信`), which is
/// otherwise a leet letter.
fn is_gap(u: &Unit) -> bool {
    is_infix(u.class) || (u.class == Class::Leet && u.ch == '|')
}

/// Pass 3a: separators between two Han characters are removed (`微 信`, `微-信`, `微❤信`, `私.下.付.款`), and between
/// a Han character and a lone Latin letter (`加 v 信`, `V❤信`), as pinyin initials stand in for Han characters.
fn join_han(units: &mut [Unit]) -> bool {
    let mut changed = false;
    const MAX_GAP: usize = 4;
    let alnum = |u: &Unit| matches!(u.class, Class::Latin | Class::Digit);
    // Neighbours are the nearest live units: removed separators are transparent.
    let lone = |units: &[Unit], i: usize| {
        units[i].class == Class::Latin
            && !units[..i].iter().rev().take(8).find(|u| !u.dead).is_some_and(alnum)
            && !units[i + 1..].iter().take(8).find(|u| !u.dead).is_some_and(alnum)
    };
    let anchor = |units: &[Unit], i: usize| units[i].class == Class::Han || lone(units, i);
    let mut i = 0;
    while i < units.len() {
        if !anchor(units, i) {
            i += 1;
            continue;
        }
        // Gap width counts a whitespace run once, as the emitted text will.
        let mut j = i + 1;
        let mut width = 0;
        while j < units.len() && is_gap(&units[j]) {
            if !(units[j].class == Class::Space && units[j - 1].class == Class::Space) {
                width += 1;
            }
            if width > MAX_GAP {
                break;
            }
            j += 1;
        }
        if j > i + 1
            && width <= MAX_GAP
            && j < units.len()
            && anchor(units, j)
            && (units[i].class == Class::Han || units[j].class == Class::Han)
        {
            for u in &mut units[i + 1..j] {
                changed |= !u.dead;
                u.dead = true;
            }
        }
        i = j.max(i + 1);
    }
    changed
}

/// Pass 3c: emoji and other symbols written inside a Latin word (`we🔥chat`) are removed: with no space around
/// them they split a word, they do not separate two.
fn join_symbol_infix(units: &mut [Unit]) -> bool {
    let mut changed = false;
    let mut i = 0;
    while i < units.len() {
        if units[i].dead || units[i].class != Class::Latin {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < units.len() && (units[j].dead || units[j].class == Class::Symbol) {
            j += 1;
        }
        let symbols = units[i + 1..j].iter().any(|u| !u.dead);
        if symbols && j < units.len() && units[j].class == Class::Latin {
            for u in &mut units[i + 1..j] {
                changed |= !u.dead;
                u.dead = true;
            }
        }
        i = j.max(i + 1);
    }
    changed
}

/// Pass 3b: single letters or digits spelled out with separators are joined: three or more with any separator
/// (`w e c h a t`, `1 3 5 8 8`), two when the separator is punctuation (`W-U`, `V/X`, `T/T`).
fn join_spelled(units: &mut [Unit], vocab: &Vocab) -> bool {
    let mut changed = false;
    const MAX_GAP: usize = 3;
    let alnum = |u: &Unit| matches!(u.class, Class::Latin | Class::Digit);
    let mut i = 0;
    while i < units.len() {
        // Start of a chain: a single alnum unit not preceded by another alnum.
        if !alnum(&units[i]) || (i > 0 && alnum(&units[i - 1])) {
            i += 1;
            continue;
        }
        let mut tokens = 1;
        let mut last = i; // last token of the chain
        let mut spaced = false;
        // Every gap of a chain must equal the first one, so a wider gap (or other separator) between
        // spelled-out words ends the word: `p a y p a l   f r i e n d s` is `paypal friends`.
        let mut first_gap: Option<(usize, usize)> = None;
        loop {
            if last + 1 < units.len() && alnum(&units[last + 1]) {
                // The current token is longer than one character.
                break;
            }
            let mut j = last + 1;
            let mut space = false;
            while j < units.len() && j - last - 1 < MAX_GAP && is_gap(&units[j]) {
                space |= units[j].class == Class::Space;
                j += 1;
            }
            let single =
                j > last + 1 && j < units.len() && alnum(&units[j]) && !(j + 1 < units.len() && alnum(&units[j + 1]));
            if !single {
                break;
            }
            let gap = (last + 1, j);
            match first_gap {
                None => first_gap = Some(gap),
                Some((a, b)) => {
                    let same = b - a == gap.1 - gap.0
                        && units[a..b].iter().zip(&units[gap.0..gap.1]).all(|(x, y)| x.ch == y.ch);
                    if !same {
                        break;
                    }
                }
            }
            spaced |= space;
            tokens += 1;
            last = j;
        }
        if tokens >= 3 || (tokens == 2 && !spaced) {
            let (a, b) = if tokens >= 4 {
                trim_edge_words(units, i, last, vocab)
            } else {
                (i, last)
            };
            for u in &mut units[a..=b] {
                if !alnum(u) && !u.dead {
                    u.dead = true;
                    changed = true;
                }
            }
            i = last + 1;
        } else {
            // Not joined: a chain may still start at the next token (`a b·w` → `a bw`).
            i += 1;
        }
    }
    changed
}

/// A spelled-out word often sits next to a one-letter word: `a s e c u r i t y deposit`, `can I h a v e`,
/// `o p e n a dispute`, `friends n f a m i l y`, `2 h o u r s`, or the tail of a contraction (`don't e x t e n d`,
/// `brand's t a g s`). When the whole chain `i..=last` (at least four tokens) is no vocabulary word but the chain
/// without such an edge token is, the edge token stays a word of its own. Returns the chain to join. Chains of unknown words (names, handles) join whole.
fn trim_edge_words(units: &[Unit], i: usize, last: usize, vocab: &Vocab) -> (usize, usize) {
    // The chain's letters and their unit indices, on the stack: folding allocates nothing per chain. A chain longer
    // than any vocabulary word (or holding a non-ASCII letter, which no vocabulary word has) joins whole.
    const LONGEST: usize = 32;
    let (mut bytes, mut at, mut n) = ([0u8; LONGEST], [0usize; LONGEST], 0);
    for (k, u) in units.iter().enumerate().take(last + 1).skip(i) {
        if u.dead || !matches!(u.class, Class::Latin | Class::Digit) {
            continue;
        }
        if n == LONGEST || !u.ch.is_ascii() {
            return (i, last);
        }
        (bytes[n], at[n]) = (u.ch as u8, k);
        n += 1;
    }
    if n < 4 {
        return (i, last);
    }
    let word = |a: usize, b: usize| std::str::from_utf8(&bytes[a..b]).is_ok_and(|w| vocab.contains_key(w));
    if word(0, n) {
        return (i, last);
    }
    // One-letter words (`n` is chat for "and") and a number (`2 h o u r s`, `s e n d 1,240`).
    let one_letter_word = |c: char| matches!(c, 'a' | 'i' | 'u' | 'n') || c.is_ascii_digit();
    // `'s`, `'t`: the letter follows an apostrophe that follows a letter.
    let contraction_tail = i >= 2 && matches!(units[i - 1].ch, '\'' | '\u{2019}') && units[i - 2].class == Class::Latin;
    let drop_first = one_letter_word(char::from(bytes[0])) || contraction_tail;
    let drop_last = one_letter_word(char::from(bytes[n - 1]));
    for (a, b) in [
        (usize::from(drop_first), n),
        (0, n - usize::from(drop_last)),
        (usize::from(drop_first), n - usize::from(drop_last)),
    ] {
        if (a, b) != (0, n) && b - a >= 3 && word(a, b) {
            return (at[a], at[b - 1]);
        }
    }
    (i, last)
}

/// Pass 4: a run of digits written as Chinese numerals (with ASCII digits and short gaps allowed) becomes ASCII
/// when it holds at least five digits, at least two of them Chinese, so phone and QQ numbers are seen.
fn chinese_digits(units: &mut [Unit]) -> bool {
    let mut changed = false;
    let is_digit = |u: &Unit| u.class == Class::Digit || (u.class == Class::Han && chinese_digit(u.ch).is_some());
    let mut i = 0;
    while i < units.len() {
        if units[i].dead || !is_digit(&units[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut total = 0;
        let mut han = 0;
        let mut end = i;
        while j < units.len() {
            let u = units[j];
            if u.dead {
                j += 1;
                continue;
            }
            if is_digit(&u) {
                total += 1;
                han += usize::from(u.class == Class::Han);
                end = j + 1;
                j += 1;
            } else if matches!(u.class, Class::Space | Class::Joiner) && j + 1 < units.len() {
                j += 1;
            } else {
                break;
            }
        }
        if total >= 5 && han >= 2 {
            for u in &mut units[i..end] {
                if let (Class::Han, Some(d)) = (u.class, chinese_digit(u.ch)) {
                    u.ch = d;
                    u.class = Class::Digit;
                    changed = true;
                }
            }
        }
        i = end.max(i + 1);
    }
    changed
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::normalize::tests::folder;
    use proptest::prelude::*;

    /// Folds `text` both ways; returns whether the fast path took it, after checking it agrees with the general
    /// path: same text, and the run map gives the per-byte map's span for every pair of char boundaries.
    pub(in crate::normalize) fn fast_agrees(f: &Folder, text: &str) -> Result<bool, String> {
        let mut slow = Scratch::default();
        f.fold_slow(text, &mut slow);
        let slow = slow.folded;
        for a in slow.text.char_indices().map(|(i, _)| i) {
            for b in slow
                .text
                .char_indices()
                .map(|(i, c)| i + c.len_utf8())
                .filter(|&b| b > a)
            {
                let want = slow.bytes[a].0 as usize..(slow.bytes[b - 1].1 as usize).max(slow.bytes[a].0 as usize);
                if slow.original_span(a..b) != want {
                    return Err(format!(
                        "{text:?}: runs map {a}..{b} to {:?}, bytes to {want:?}",
                        slow.original_span(a..b)
                    ));
                }
            }
        }
        // The ASCII check: when it says folding only lowercases, the general path must agree, byte for byte.
        if text.is_ascii() && f.ascii_unchanged(text, &mut Scratch::default()) {
            let lower = text.to_ascii_lowercase();
            let identity: Vec<(u32, u32)> = (0..text.len() as u32).map(|k| (k, k + 1)).collect();
            if slow.text != lower || slow.bytes != identity {
                return Err(format!(
                    "{text:?}: taken as plain ASCII, but folds to {:?} {:?}",
                    slow.text, slow.bytes
                ));
            }
        }
        let mut fast = Scratch::default();
        if !f.fold_fast(text, &mut fast) {
            return Ok(false);
        }
        let fast = fast.folded;
        if fast.text != slow.text || fast.bytes != slow.bytes {
            return Err(format!(
                "{text:?}: fast {:?} {:?} vs general {:?} {:?}",
                fast.text, fast.bytes, slow.text, slow.bytes
            ));
        }
        for a in fast.text.char_indices().map(|(i, _)| i) {
            for b in fast
                .text
                .char_indices()
                .map(|(i, c)| i + c.len_utf8())
                .filter(|&b| b > a)
            {
                if fast.original_span(a..b) != slow.original_span(a..b) {
                    return Err(format!("{text:?}: span {a}..{b} differs"));
                }
            }
        }
        Ok(true)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// The folded view of a folded view is unchanged.
        #[test]
        fn folding_is_idempotent(parts in proptest::collection::vec(proptest::prop_oneof![
            proptest::prelude::any::<char>().prop_map(String::from),
            proptest::sample::select(vec![
                "w", "e", "c", "h", "a", "t", "微", "信", "一", "三", "八", " ", "  ", ".", "-", "❤", "\u{200b}",
                "1", "0", "3", "@", "$", "I", "l", "wechat", "p4y", "帳", "ｗ", "е", "①", "⑴", "a b", "\n", "！", "，",
            ]).prop_map(str::to_string),
        ], 0..40)) {
            let f = folder();
            let text = parts.concat();
            prop_assert!(fast_agrees(&f, &text).is_ok(), "{:?}", fast_agrees(&f, &text));
            let once = f.fold(&text);
            let twice = f.fold(&once.text);
            prop_assert_eq!(&twice.text, &once.text, "input {:?}", text);
            // Spans of every folded byte stay inside the input, on char boundaries.
            for &(a, b) in &once.bytes {
                prop_assert!(a <= b && (b as usize) <= text.len());
                prop_assert!(text.is_char_boundary(a as usize) && text.is_char_boundary(b as usize));
            }
        }
    }
}
