//! The streaming path: one pass that writes the folded text directly, for texts the joining passes leave alone.

use std::ops::Range;

use unicode_normalization::char::is_combining_mark;

use super::ascii::{ASCII_FLAGS, JOINER, SPACE};
use super::chars::{
    ascii_unit, chinese_digit, common_wide_unit, is_format, is_han, is_token, push_char_with, t2s, Class, Unit, ASCII,
};
use super::tables::T2S;
use super::{Folded, Folder, Scratch};

impl Folder {
    /// The fast path: one streaming pass that writes the folded text directly, for texts where passes 2–4 have
    /// nothing to do (no look-alike letters, no letters or Han characters spelled apart, no Chinese numeral runs).
    /// It watches for anything those passes could act on and gives up (returns `false`) on the first sign of it;
    /// the caller then folds the text the general way. When it returns `true` its output is exactly the general
    /// path's (a test compares them).
    pub(super) fn fold_fast(&self, text: &str, scratch: &mut Scratch) -> bool {
        scratch.folded.clear();
        let mut st = Stream {
            out: &mut scratch.folded,
            token: &mut scratch.units,
            gap: &mut scratch.gap,
            cand: &mut scratch.candidate,
            folder: self,
            solid: Solid::None,
            solid_lone: false,
            alnum_run: 0,
            gap_symbols_only: true,
            pending_lone: false,
            han_digits: 0,
            token_at: None,
            token_src: 0..0,
            token_buffered: false,
            text,
            maybe: false,
            prev_ch: '\0',
            latin: 0,
            letters_only: true,
        };
        st.token.clear();
        st.gap.clear();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
                    j += 1;
                }
                if !st.word(i, j) {
                    return false;
                }
                i = j;
                continue;
            }
            if b < 0x80 {
                if b == b'*' && i > 0 && bytes[i - 1].is_ascii_alphabetic() {
                    // Maybe a masked letter (`wh*tsapp`): the general path's `unmask_stars` decides.
                    return false;
                }
                let (ch, class) = ASCII[b as usize];
                // The common separator, spaces or joiners between two words, written in one step.
                if matches!(class, Class::Space | Class::Joiner) && st.plain_gap_ahead() {
                    let mut j = i + 1;
                    while j < bytes.len() && ASCII_FLAGS[bytes[j] as usize] & (SPACE | JOINER) != 0 {
                        j += 1;
                    }
                    if j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
                        st.plain_gap(i, j);
                        i = j;
                        continue;
                    }
                }
                i += 1;
                if class == Class::Other {
                    // ASCII control characters are dropped.
                    continue;
                }
                if b == b'|' {
                    // Both a leet letter and a separator: the general path sorts that out.
                    return false;
                }
                let unit = Unit {
                    ch: ch as char,
                    start: (i - 1) as u32,
                    end: i as u32,
                    class,
                    alt: '\0',
                    upper_i: b == b'I',
                    dead: false,
                };
                if !st.unit(unit) {
                    return false;
                }
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                return false;
            };
            let (start, end) = (i as u32, (i + c.len_utf8()) as u32);
            i += c.len_utf8();
            if is_han(c) {
                let unit = Unit {
                    ch: self.t2s(c),
                    start,
                    end,
                    class: Class::Han,
                    alt: '\0',
                    upper_i: false,
                    dead: false,
                };
                if !st.unit(unit) {
                    return false;
                }
                // The Han characters that follow without a break, fold to themselves and are no Chinese numerals
                // would each go through `unit` only to be written out as they are: copy them in one step.
                let run = i;
                while let Some(c) = text[i..]
                    .chars()
                    .next()
                    .filter(|&c| c.len_utf8() == 3 && is_han(c) && chinese_digit(c).is_none() && self.t2s(c) == c)
                {
                    i += c.len_utf8();
                }
                if i > run {
                    st.han_run(run, i);
                }
                continue;
            }
            if is_format(c) || is_combining_mark(c) {
                // They extend the previous unit's span, which may already be written out.
                return false;
            }
            if c == '\u{3002}' && dotted_name(text, start as usize, end as usize) {
                // `wa。me`, `pay。example。cn`: a dot written wide to slip past link filters (the general path's
                // `dotted_names` pass).
                return false;
            }
            if let Some(u) = common_wide_unit(c, start, end) {
                // A letter written wide may spell a chat word (`ｕ`, `ｃａｎｔ`): the general path decides.
                if u.class == Class::Latin || !st.unit(u) {
                    return false;
                }
                continue;
            }
            let mut buf = [Unit {
                ch: '\0',
                start,
                end,
                class: Class::Other,
                alt: '\0',
                upper_i: false,
                dead: false,
            }; 4];
            let mut n = 0;
            let mut more = false;
            push_char_with(c, start, end, true, &mut |u| {
                if n < buf.len() {
                    buf[n] = u;
                    n += 1;
                } else {
                    more = true;
                }
            });
            if more {
                return false;
            }
            for &u in &buf[..n] {
                if u.alt != '\0' || u.class == Class::Latin || !st.unit(u) {
                    return false;
                }
            }
        }
        st.finish()
    }

    /// Traditional → simplified for a Han character, with a bitmap saying which BMP characters have an entry.
    #[inline]
    fn t2s(&self, c: char) -> char {
        let n = c as usize;
        if n < 0x10000 && T2S_KEYS[n >> 6] & (1 << (n & 63)) == 0 {
            return c;
        }
        t2s(c)
    }
}

/// The last non-separator unit the fast path saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Solid {
    None,
    Han,
    Latin,
    Digit,
    Other,
}

impl Solid {
    fn of(class: Class) -> Solid {
        match class {
            Class::Han => Solid::Han,
            Class::Latin => Solid::Latin,
            Class::Digit => Solid::Digit,
            _ => Solid::Other,
        }
    }
}

/// State of [`Folder::fold_fast`]: units arrive one at a time and are written out as [`emit`] would write them,
/// while the conditions under which passes 2–4 would act are checked.
///
/// [`emit`]: super::reference::emit
struct Stream<'a> {
    out: &'a mut Folded,
    /// The current token's units (kept for leet resolution).
    token: &'a mut Vec<Unit>,
    /// The pending separator run (written when the next solid unit shows whether it is at the edge).
    gap: &'a mut Vec<Unit>,
    cand: &'a mut String,
    folder: &'a Folder,
    solid: Solid,
    /// Whether the solid unit before the pending separator run was a lone letter or digit.
    solid_lone: bool,
    /// Length of the run of letters and digits that the last unit ends (0 if it is not one).
    alnum_run: usize,
    gap_symbols_only: bool,
    /// The last unit is a letter or digit after a separator run that follows a lone letter/digit or a Han
    /// character: if it is lone too, passes 3a/3b would join the two.
    pending_lone: bool,
    /// Chinese numerals in the current run of digits (pass 4).
    han_digits: u32,
    /// Where the current token starts in the output.
    token_at: Option<usize>,
    /// The original byte range of the current token.
    token_src: Range<usize>,
    /// Whether `token` holds the current token's units; until a unit that is not an ASCII byte joins it, they are
    /// rebuilt from the text only if needed.
    token_buffered: bool,
    text: &'a str,
    /// Whether the current token could resolve to a vocabulary word (as in [`Folder::resolve_tokens`]).
    maybe: bool,
    prev_ch: char,
    /// Latin letters in the current token.
    latin: usize,
    /// The current token holds only Latin letters, none an upper-case `I`.
    letters_only: bool,
}

impl Stream<'_> {
    /// Takes the next unit; `false` when the general path is needed.
    #[inline]
    fn unit(&mut self, u: Unit) -> bool {
        let alnum = matches!(u.class, Class::Latin | Class::Digit);
        if self.pending_lone {
            if !alnum {
                return false;
            }
            self.pending_lone = false;
        }
        match u.class {
            Class::Han if chinese_digit(u.ch).is_some() => {
                self.han_digits += 1;
                if self.han_digits >= 2 {
                    return false;
                }
            }
            Class::Digit | Class::Space | Class::Joiner => {}
            _ => self.han_digits = 0,
        }
        if matches!(u.class, Class::Space | Class::Joiner | Class::Symbol) {
            self.end_token();
            if self.gap.is_empty() {
                self.solid_lone = self.alnum_run == 1;
            }
            self.gap_symbols_only &= u.class == Class::Symbol;
            self.gap.push(u);
            self.alnum_run = 0;
            return true;
        }
        if !self.end_gap(u.class) {
            return false;
        }
        self.alnum_run = if alnum { self.alnum_run + 1 } else { 0 };
        if is_token(&u) {
            self.start_token(u.start as usize);
            self.maybe |= u.class != Class::Latin || u.upper_i || u.ch == self.prev_ch;
            self.latin += usize::from(u.class == Class::Latin);
            self.letters_only &= u.class == Class::Latin && !u.upper_i;
            self.prev_ch = u.ch;
            let ascii_byte = u.end == u.start + 1 && self.text.as_bytes()[u.start as usize].is_ascii();
            if !ascii_byte && !self.token_buffered {
                self.buffer_token();
            }
            if self.token_buffered {
                self.token.push(u);
            }
            self.token_src.end = u.end as usize;
        } else {
            self.end_token();
        }
        self.out.push(u.ch, u.start, u.end);
        self.solid = Solid::of(u.class);
        true
    }

    /// A solid unit of class `class` follows: if a separator run is pending, checks what passes 3a–3c would join
    /// across it (`false`: the general path is needed), notes a letter/digit whose loneness the next unit shows,
    /// and writes the run.
    fn end_gap(&mut self, class: Class) -> bool {
        if self.gap.is_empty() {
            return true;
        }
        let s = self.solid;
        let lone_alnum = self.solid_lone && matches!(s, Solid::Latin | Solid::Digit);
        match class {
            // Pass 3a: Han or a lone letter, separators, Han.
            Class::Han if s == Solid::Han || (lone_alnum && s == Solid::Latin) => return false,
            // Pass 3c: a letter, symbols only, a letter.
            Class::Latin if s == Solid::Latin && self.gap_symbols_only => return false,
            _ => {}
        }
        // Passes 3a/3b: Han or a lone letter/digit, separators, then a letter/digit that must not be lone.
        if matches!(class, Class::Latin | Class::Digit) && (lone_alnum || (s == Solid::Han && class == Class::Latin)) {
            self.pending_lone = true;
        }
        self.flush_gap(s == Solid::None);
        true
    }

    /// Whether a run of ASCII spaces and joiners that starts here and ends before an ASCII letter or digit can be
    /// taken by [`Stream::plain_gap`]: nothing is pending, and no joining pass could act across the run (the word
    /// before it is no lone letter or digit, and it follows no Han character, which a lone letter could join).
    #[inline]
    fn plain_gap_ahead(&self) -> bool {
        !self.pending_lone
            && self.gap.is_empty()
            && match self.solid {
                Solid::Latin | Solid::Digit => self.alnum_run >= 2,
                Solid::Other => true,
                Solid::None | Solid::Han => false,
            }
    }

    /// Takes `text[a..b]`, ASCII spaces and joiners before an ASCII letter or digit, where
    /// [`Stream::plain_gap_ahead`] holds: the same as one [`Stream::unit`] per byte and the next word's
    /// [`Stream::end_gap`] (which, under that condition, only writes the run out).
    fn plain_gap(&mut self, a: usize, b: usize) {
        self.end_token();
        self.alnum_run = 0;
        let bytes = self.text.as_bytes();
        let mut k = a;
        while k < b {
            let (ch, class) = ASCII[bytes[k] as usize];
            if class != Class::Space {
                self.out.push(ch as char, k as u32, k as u32 + 1);
                k += 1;
                continue;
            }
            let run = k;
            while k < b && ASCII[bytes[k] as usize].1 == Class::Space {
                k += 1;
            }
            self.out.push(' ', run as u32, k as u32);
        }
    }

    /// Takes the ASCII letters and digits `text[a..b]` at once: the same as one [`Stream::unit`] per byte.
    #[inline]
    fn word(&mut self, a: usize, b: usize) -> bool {
        let w = &self.text.as_bytes()[a..b];
        if super::chat::is_chat_word(w) {
            return false;
        }
        let first = w[0];
        let first_latin = first.is_ascii_alphabetic();
        // Each byte is alphanumeric, so a pending lone letter is not lone, and the check below concerns the first.
        self.pending_lone = false;
        if w.iter().any(u8::is_ascii_alphabetic) {
            self.han_digits = 0;
        }
        let first = if first_latin { Class::Latin } else { Class::Digit };
        if !self.end_gap(first) {
            return false;
        }
        if w.len() > 1 {
            self.pending_lone = false;
        }
        self.alnum_run += w.len();
        self.start_token(a);
        let mut prev = self.prev_ch as u32;
        let mut maybe = false;
        for &c in w {
            self.latin += usize::from(c.is_ascii_alphabetic());
            self.letters_only &= c.is_ascii_alphabetic() && c != b'I';
            let l = u32::from(c.to_ascii_lowercase());
            maybe |= !c.is_ascii_alphabetic() || c == b'I' || l == prev;
            prev = l;
        }
        self.maybe |= maybe;
        self.prev_ch = char::from_u32(prev).unwrap_or('\0');
        if self.token_buffered {
            self.token
                .extend(w.iter().enumerate().map(|(k, &c)| ascii_unit(c, a + k)));
        }
        self.token_src.end = b;
        self.out.push_ascii(&self.text[a..b], a as u32);
        self.solid = Solid::of(if w[w.len() - 1].is_ascii_alphabetic() {
            Class::Latin
        } else {
            Class::Digit
        });
        true
    }

    /// Takes `text[a..b]`, Han characters that fold to themselves and are no Chinese numerals, right after a Han
    /// unit: the same as one [`Stream::unit`] per character.
    fn han_run(&mut self, a: usize, b: usize) {
        self.han_digits = 0;
        self.alnum_run = 0;
        self.out.push_same(&self.text[a..b], a as u32);
    }

    fn start_token(&mut self, at: usize) {
        if self.token_at.is_none() {
            self.token_at = Some(self.out.text.len());
            self.token_src = at..at;
            self.token_buffered = false;
            self.token.clear();
            self.maybe = false;
            self.prev_ch = '\0';
            self.latin = 0;
            self.letters_only = true;
        }
    }

    /// Puts the current token's units so far (all from ASCII bytes) into `token`.
    fn buffer_token(&mut self) {
        self.token.clear();
        let r = self.token_src.clone();
        for (k, &c) in self.text.as_bytes()[r.clone()].iter().enumerate() {
            // Control characters were dropped.
            if ASCII[c as usize].1 != Class::Other {
                self.token.push(ascii_unit(c, r.start + k));
            }
        }
        self.token_buffered = true;
    }

    /// Pass 5 for the token just ended: rewrites it when it resolves to a vocabulary word.
    fn end_token(&mut self) {
        let Some(at) = self.token_at.take() else {
            return;
        };
        // `resolve_token` leaves tokens with fewer than two letters as they are (most are numbers).
        if !self.maybe || self.latin < 2 || self.folder.vocab.is_empty() {
            return;
        }
        if self.letters_only && self.folder.repeats_stay(&self.out.text.as_bytes()[at..], self.cand) {
            return;
        }
        if !self.token_buffered {
            self.buffer_token();
        }
        let n = self.token.len();
        self.folder.resolve_token(self.token, 0, n, self.cand);
        self.out.truncate(at);
        for u in self.token.iter().filter(|u| !u.dead) {
            self.out.push(u.ch, u.start, u.end);
        }
    }

    /// Writes the pending separator run as [`emit`] does: spaces collapse to one, or to nothing at an edge.
    ///
    /// [`emit`]: super::reference::emit
    fn flush_gap(&mut self, edge: bool) {
        let mut k = 0;
        while k < self.gap.len() {
            let v = self.gap[k];
            if v.class != Class::Space {
                self.out.push(v.ch, v.start, v.end);
                k += 1;
                continue;
            }
            let mut r = k;
            while r < self.gap.len() && self.gap[r].class == Class::Space {
                r += 1;
            }
            if !edge {
                self.out.push(' ', v.start, self.gap[r - 1].end);
            }
            k = r;
        }
        self.gap.clear();
        self.gap_symbols_only = true;
    }

    fn finish(mut self) -> bool {
        if self.pending_lone {
            return false;
        }
        self.end_token();
        self.flush_gap(true);
        true
    }
}

/// One bit per BMP character: set when [`T2S`] has an entry for it (most Han characters are already simplified).
static T2S_KEYS: [u64; 1024] = {
    let mut bits = [0u64; 1024];
    let mut i = 0;
    while i < T2S.len() {
        let n = T2S[i].0 as usize;
        if n < 0x10000 {
            bits[n >> 6] |= 1 << (n & 63);
        }
        i += 1;
    }
    bits
};

/// Whether the character at `start..end` may sit between two letters or digits that fold to ASCII (`wa。me`,
/// `é。e`): then the general path decides. Han characters around it are a sentence's end, the common case.
fn dotted_name(text: &str, start: usize, end: usize) -> bool {
    let wordish = |c: char| c.is_alphanumeric() && !is_han(c);
    text[..start].chars().next_back().is_some_and(wordish) && text[end..].chars().next().is_some_and(wordish)
}

#[cfg(test)]
mod tests {
    use crate::normalize::reference::tests::fast_agrees;
    use crate::normalize::tests::folder;
    use proptest::prelude::*;

    #[test]
    fn fast_path_agrees_with_the_general_path() {
        let f = folder();
        // Texts the fast path must take (ordinary messages) and texts it must leave (evasions).
        let fast = [
            "Add me on WeChat",
            "Good morning, the 200 pcs passed QC yesterday.  Photos attached!",
            "  leading and trailing spaces  ",
            "请轉帳到我的個人帳戶，谢谢。",
            "报价含税含运费，到付的话运费另算，量大可以再谈…",
            "请转到國際帳戶里面，一共是九百",
            "whatsapp coffee wechaaat p@y d1rect App1e $kype aIibaba",
            "加 wechat 吧",
            "SZ2207 A4 3pcs, 5 to 7 days",
            "a\nb\r\n c",
            "好的。ok。明天发",
        ];
        for t in fast {
            assert_eq!(fast_agrees(&f, t), Ok(true), "{t:?} should take the fast path");
        }
        let general = [
            "微 信 号",
            "w e c h a t: kevin",
            "W-U to me",
            "a  b",
            "一三九 二二八七",
            "wеchat",
            "we🔥chat",
            "微❤️信",
            "w|e|c|h|a|t",
            "加 v 信",
            "V❤信",
            "we\u{200b}chat",
            "a b",
            "details wa。me/8613800138000",
            "don’t café ﬁne 안녕 が",
            "can ｕ pay",
        ];
        for t in general {
            assert_eq!(fast_agrees(&f, t), Ok(false), "{t:?} needs the general path");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// Word-like texts, which mostly take the fast path: it must agree with the general one.
        #[test]
        fn fast_path_agrees_on_word_like_text(parts in proptest::collection::vec(proptest::sample::select(vec![
            "wechat", "pay", "p@y", "App1e", "wechaaat", "coffee", "I", "aIibaba", "12", "7", "a", "微信", "帳戶",
            "一", "三", "参", "，", "。", "…", "！", "“", " ", "  ", "\t", "\n", "-", ".", "❤", "\u{fe0f}", "é", "ｗ",
            "$kype", "hello!", "@", "good", "wiiill", "Will", "acccept", "e", "x", "安", "が", "报价含税", "國際", "的话", "零", "九", "𠀀", "豈", "㐀",
            "u", "U", "ｕ", "ur", "send", "=",
        ]), 0..24)) {
            let text = parts.concat();
            prop_assert!(fast_agrees(&folder(), &text).is_ok(), "{:?}", fast_agrees(&folder(), &text));
        }
    }
}
