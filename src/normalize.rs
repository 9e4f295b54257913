//! The folded view of a message and its map back to the original bytes.
//!
//! Folding runs in a few linear passes over a buffer of [`Unit`]s (one per folded character, each remembering
//! the original byte range it came from):
//!
//! 1. per character, table-driven: lowercase, NFKC-style compatibility forms (full-width, circled, mathematical),
//!    traditional → simplified, format characters dropped, each unit classified (Latin, digit, Han, separator…);
//! 2. look-alike letters (Cyrillic, Greek, …) become Latin inside words that already hold a Latin letter;
//! 3. separators inside spelled-out words are dropped (`微 信`, `w e c h a t`, `W-U`);
//! 4. runs of Chinese numerals become ASCII digits (`一三九 二二八七`);
//! 5. leetspeak and repeated letters are resolved, but only into words of the detector's vocabulary, so model
//!    numbers and prices are left alone.
//!
//! The buffers live in [`Scratch`] so a caller can reuse them across messages.

use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use crate::tables::{CONFUSABLE_LATIN, T2S};

/// What a folded character is, for the passes that look at neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// ASCII letter (already lowercase).
    Latin,
    /// ASCII digit.
    Digit,
    /// CJK ideograph (already simplified).
    Han,
    /// Horizontal whitespace (folded to `' '`).
    Space,
    /// Line break: always a clause boundary, never skipped.
    Newline,
    /// Punctuation that people put inside words to break them up: `. - _ / * ~ · •`.
    Joiner,
    /// Emoji, dingbats, arrows and other symbols, also used as infixes (`微❤信`).
    Symbol,
    /// ASCII symbols that stand for letters in leetspeak: `@ $ ! |`.
    Leet,
    /// Other punctuation: sentence and clause marks, brackets, quotes.
    Punct,
    /// Letters of other scripts (and other characters).
    Other,
}

#[derive(Clone, Copy, Debug)]
struct Unit {
    ch: char,
    start: u32,
    end: u32,
    class: Class,
    /// Latin look-alike of an `Other` letter (`'\0'` when none).
    alt: char,
    /// The original was an upper-case `I` (often written for `l`).
    upper_i: bool,
    dead: bool,
}

/// Reusable buffers for folding: the folded text, its byte map, and the unit buffer.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    units: Vec<Unit>,
    /// The fast path's pending separator run.
    gap: Vec<Unit>,
    candidate: String,
    pub(crate) folded: Folded,
}

impl Scratch {
    /// Releases memory kept from an unusually long text, so per-thread buffers stay small.
    pub(crate) fn trim(&mut self) {
        const KEEP: usize = 1 << 16;
        if self.units.capacity() > KEEP {
            self.units = Vec::with_capacity(KEEP);
        }
        if self.gap.capacity() > KEEP {
            self.gap = Vec::new();
        }
        if self.folded.text.capacity() > 4 * KEEP || self.folded.runs.capacity() > KEEP {
            self.folded = Folded::default();
        }
    }
}

/// A folded text and its map back to the original bytes.
///
/// The map is stored as runs, not per byte: most folded characters have the same length as the original
/// character and follow it directly (ASCII, Han, traditional → simplified), so a run of them is one entry. A folded
/// character that came from something else (a collapsed space run, `…` → `...`, a resolved `wechaaat`) gets a run
/// whose every byte maps to that one original range.
#[derive(Debug, Default, Clone)]
pub(crate) struct Folded {
    pub(crate) text: String,
    runs: Vec<Run>,
    /// The per-byte map the runs stand for, kept in tests to check them against.
    #[cfg(test)]
    bytes: Vec<(u32, u32)>,
}

/// Folded bytes from `folded` up to the next run's start.
#[derive(Debug, Clone, Copy)]
struct Run {
    folded: u32,
    start: u32,
    /// The original end of every byte of the run; `u32::MAX` for a linear run (byte `folded + k` is original byte
    /// `start + k`).
    end: u32,
}

const LINEAR: u32 = u32::MAX;

impl Folded {
    /// Maps a non-empty range of folded bytes (on char boundaries) to the range of original bytes it covers.
    pub(crate) fn original_span(&self, folded: Range<usize>) -> Range<usize> {
        debug_assert!(folded.start < folded.end && folded.end <= self.text.len());
        let (a, b) = (folded.start as u32, folded.end as u32);
        let start = match self.run_at(a) {
            Some(r) if r.end == LINEAR => r.start + (a - r.folded),
            Some(r) => r.start,
            None => 0,
        };
        let end = match self.run_at(b.saturating_sub(1)) {
            Some(r) if r.end == LINEAR => r.start + (b - r.folded),
            Some(r) => r.end,
            None => 0,
        };
        let (start, end) = (start as usize, end as usize);
        start..end.max(start)
    }

    /// The run holding folded byte `at`.
    fn run_at(&self, at: u32) -> Option<&Run> {
        let i = self.runs.partition_point(|r| r.folded <= at);
        i.checked_sub(1).map(|i| &self.runs[i])
    }

    fn clear(&mut self) {
        self.text.clear();
        self.runs.clear();
        #[cfg(test)]
        self.bytes.clear();
    }

    fn push(&mut self, ch: char, start: u32, end: u32) {
        let len = ch.len_utf8() as u32;
        self.map_next(start, end, len);
        self.text.push(ch);
        #[cfg(test)]
        for _ in 0..len {
            self.bytes.push((start, end));
        }
    }

    /// Appends text found at original byte `start` as it is: Han characters that fold to themselves.
    fn push_same(&mut self, same: &str, start: u32) {
        let len = same.len() as u32;
        self.map_next(start, start + len, len);
        self.text.push_str(same);
        #[cfg(test)]
        for (k, c) in same.char_indices() {
            let at = start + k as u32;
            for _ in 0..c.len_utf8() {
                self.bytes.push((at, at + c.len_utf8() as u32));
            }
        }
    }

    /// Appends ASCII text found at original byte `start`, lowercased, one original byte per folded byte.
    fn push_ascii(&mut self, ascii: &str, start: u32) {
        let at = self.text.len();
        let len = ascii.len() as u32;
        self.map_next(start, start + len, len);
        self.text.push_str(ascii);
        self.text[at..].make_ascii_lowercase();
        #[cfg(test)]
        for k in 0..len {
            self.bytes.push((start + k, start + k + 1));
        }
    }

    /// Records that the next `len` folded bytes come from original `start..end`: extends the last run or starts one.
    fn map_next(&mut self, start: u32, end: u32, len: u32) {
        let at = self.text.len() as u32;
        let linear = end - start == len;
        let extends = self.runs.last().is_some_and(|r| {
            if linear {
                r.end == LINEAR && r.start + (at - r.folded) == start
            } else {
                r.start == start && r.end == end
            }
        });
        if !extends {
            self.runs.push(Run {
                folded: at,
                start,
                end: if linear { LINEAR } else { end },
            });
        }
    }

    /// Drops everything from folded byte `at` (a char boundary) on.
    fn truncate(&mut self, at: usize) {
        self.text.truncate(at);
        let keep = self.runs.partition_point(|r| (r.folded as usize) < at);
        self.runs.truncate(keep);
        #[cfg(test)]
        self.bytes.truncate(at);
    }
}

/// The largest text folded in one piece; longer texts are folded in pieces by the caller.
pub(crate) const MAX_PIECE: usize = 1 << 20;

/// How much of the text is folded before matching.
///
/// # Example
///
/// ```
/// use redflag::{Detector, Folding};
///
/// let basic = Detector::builder().folding(Folding::Basic).build()?;
/// // Basic folding still sees full-width and upper-case letters …
/// assert!(!basic.scan("加我ＷＥＣＨＡＴ：lily_88").findings().is_empty());
/// // … but not letters spelled out with separators, which full folding joins.
/// assert!(basic.scan("加我 w.e.c.h.a.t: lily_88").findings().is_empty());
/// assert!(!Detector::new().scan("加我 w.e.c.h.a.t: lily_88").findings().is_empty());
/// # Ok::<(), redflag::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Folding {
    /// Everything: case, compatibility forms, traditional → simplified, look-alike letters, separators inside
    /// spelled-out words, leetspeak, number forms, repeated letters.
    #[default]
    Full,
    /// Only case, compatibility forms (full-width, circled, mathematical) and invisible characters: for
    /// comparison, or when the text is known to be clean.
    Basic,
}

/// Folds text. Holds the vocabulary that leetspeak and repeated letters may resolve to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Folder {
    vocab: HashSet<Box<str>>,
    /// The vocabulary with runs of a repeated letter written once (`coffee` → `cofe`): a token with only repeated
    /// letters to resolve can only reach a word whose skeleton is its own.
    skeletons: HashSet<Box<str>>,
    mode: Folding,
}

/// `word` with each run of one letter written once.
fn skeleton(word: impl IntoIterator<Item = char>) -> String {
    let mut out = String::new();
    skeleton_into(word, &mut out);
    out
}

/// [`skeleton`] into a reused buffer.
fn skeleton_into(word: impl IntoIterator<Item = char>, out: &mut String) {
    out.clear();
    for c in word {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
}

/// Most leet variants a token may try before it is left as written.
const MAX_CANDIDATES: usize = 64;
/// Longest token (in units) that is considered for leet resolution.
const MAX_TOKEN: usize = 32;

impl Folder {
    /// A folder whose leet resolution targets the given words (ASCII, any case; shorter than 3 letters ignored).
    #[cfg(test)]
    pub(crate) fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Folder {
        Folder::with_mode(words, Folding::Full)
    }

    /// A folder with the given mode.
    pub(crate) fn with_mode<'a>(words: impl IntoIterator<Item = &'a str>, mode: Folding) -> Folder {
        let mut vocab: HashSet<Box<str>> = HashSet::default();
        for w in words {
            if w.len() < 3 || !w.bytes().all(|b| b.is_ascii_alphabetic()) {
                continue;
            }
            // The rules repeat their words many times over: allocate only a new one.
            if w.bytes().any(|b| b.is_ascii_uppercase()) {
                vocab.insert(w.to_ascii_lowercase().into_boxed_str());
            } else if !vocab.contains(w) {
                vocab.insert(w.into());
            }
        }
        let skeletons = vocab.iter().map(|w| skeleton(w.chars()).into_boxed_str()).collect();
        Folder { vocab, skeletons, mode }
    }

    /// Folds `text` into a new [`Folded`] (convenience for keywords and tests).
    pub(crate) fn fold(&self, text: &str) -> Folded {
        let mut scratch = Scratch::default();
        self.fold_into(text, &mut scratch);
        scratch.folded
    }

    /// Folds `text` (at most [`MAX_PIECE`] bytes) into `scratch.folded`.
    pub(crate) fn fold_into(&self, text: &str, scratch: &mut Scratch) {
        debug_assert!(text.len() <= u32::MAX as usize);
        let full = self.mode == Folding::Full;
        if full && text.is_ascii() && self.ascii_unchanged(text, scratch) {
            scratch.folded.clear();
            scratch.folded.push_ascii(text, 0);
            return;
        }
        if full && self.fold_fast(text, scratch) {
            return;
        }
        self.fold_slow(text, scratch);
    }

    /// Whether folding the ASCII `text` only lowercases it, byte for byte: the common case for English messages,
    /// decided in one tight pass without building any units. Conservative: `false` sends the text to the other
    /// paths, which fold it exactly; `true` is only returned when the general path would write the lowercased
    /// text with every byte mapped to itself (a test compares them).
    ///
    /// What the general path changes in ASCII text, and is looked for here: whitespace other than single spaces
    /// inside the text (runs collapse, edges are dropped, tabs become spaces), control characters (dropped), `|`,
    /// lone letters or digits on both sides of a separator run (joined as a spelled-out word), and tokens that
    /// leetspeak or repeated-letter resolution rewrites into a vocabulary word.
    fn ascii_unchanged(&self, text: &str, scratch: &mut Scratch) -> bool {
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
                if any & PIPE != 0 {
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
            }
            i += 1;
        }
        !space_since_solid
    }

    /// For an ASCII token of plain letters (no `I`, digit or leet symbol), whether repeated-letter resolution
    /// surely leaves it as written, decided without trying spellings (`false`: ask [`Folder::resolve_token`]). As
    /// in `resolve_token`, nothing changes unless the token's skeleton (its letters case-folded, each run written
    /// once) is a vocabulary word's, with 3+ letters; and a lower-case token with no run longer than two that is
    /// a vocabulary word as written resolves to itself.
    fn repeats_stay(&self, word: &[u8], cand: &mut String) -> bool {
        // Most words of a message have a short skeleton: build it bytewise on the stack (this runs for every
        // word with a doubled letter), and only a longer one in `cand`.
        let mut buf = [0u8; 24];
        let mut n = 0;
        let mut prev = 0u8;
        for &c in word {
            let l = c.to_ascii_lowercase();
            if l != prev {
                // Callers pass ASCII words; anything else takes the general path.
                if n == buf.len() || !l.is_ascii() {
                    n = usize::MAX;
                    break;
                }
                buf[n] = l;
                n += 1;
                prev = l;
            }
        }
        let skeleton = if n == usize::MAX {
            skeleton_into(word.iter().map(|&c| char::from(c.to_ascii_lowercase())), cand);
            cand.as_str()
        } else {
            // ASCII, so valid UTF-8.
            std::str::from_utf8(&buf[..n]).unwrap_or_default()
        };
        if skeleton.len() < 3 || !self.skeletons.contains(skeleton) {
            return true;
        }
        let longest_two = !word.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]);
        longest_two
            && !word.iter().any(u8::is_ascii_uppercase)
            && std::str::from_utf8(word).is_ok_and(|w| self.vocab.contains(w))
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

    /// The general path: every character into the unit buffer, then the passes over it.
    fn fold_slow(&self, text: &str, scratch: &mut Scratch) {
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
            let (mut han, mut alt, mut symbol) = (false, false, false);
            for u in units.iter() {
                han |= u.class == Class::Han;
                alt |= u.alt != '\0';
                symbol |= u.class == Class::Symbol;
            }
            for _ in 0..4 {
                let mut changed = alt && fold_confusables(units);
                changed |= han && chinese_digits(units);
                // Spelled-out words first: a letter that belongs to `w|e|c|h|a|t` is not a lone pinyin initial
                // for `join_han` to attach to the next Han character.
                changed |= join_spelled(units);
                changed |= han && join_han(units);
                changed |= symbol && join_symbol_infix(units);
                if !changed {
                    break;
                }
            }
            self.resolve_tokens(units, &mut scratch.candidate);
        }
        emit(units, &mut scratch.folded);
    }

    /// The fast path: one streaming pass that writes the folded text directly, for texts where passes 2–4 have
    /// nothing to do (no look-alike letters, no letters or Han characters spelled apart, no Chinese numeral runs).
    /// It watches for anything those passes could act on and gives up (returns `false`) on the first sign of it;
    /// the caller then folds the text the general way. When it returns `true` its output is exactly the general
    /// path's (a test compares them).
    fn fold_fast(&self, text: &str, scratch: &mut Scratch) -> bool {
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
            if let Some(u) = common_wide_unit(c, start, end) {
                if !st.unit(u) {
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
                if u.alt != '\0' || !st.unit(u) {
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

    /// Pass 5: rewrites tokens with leet symbols, look-alike digits, an upper-case `I` or repeated letters into a
    /// vocabulary word when exactly such a spelling exists.
    fn resolve_tokens(&self, units: &mut [Unit], cand: &mut String) {
        if self.vocab.is_empty() {
            return;
        }
        let mut i = 0;
        while i < units.len() {
            if units[i].dead || !is_token(&units[i]) {
                i += 1;
                continue;
            }
            let mut j = i;
            // Cheap pre-check: only tokens with a digit, a leet symbol, an upper-case `I` or a doubled letter can
            // resolve to anything.
            let mut maybe = false;
            let mut prev = '\0';
            while j < units.len() && (units[j].dead || is_token(&units[j])) {
                let u = &units[j];
                if !u.dead {
                    maybe |= u.class != Class::Latin || u.upper_i || u.ch == prev;
                    prev = u.ch;
                }
                j += 1;
            }
            if maybe {
                self.resolve_token(units, i, j, cand);
            }
            i = j;
        }
    }

    fn resolve_token(&self, units: &mut [Unit], start: usize, end: usize, cand: &mut String) {
        // Trim leet symbols at the edges (`hello!`, `@handle`), but keep a leading `$` (`$kype`).
        let mut s = start;
        while s < end && (units[s].dead || (units[s].class == Class::Leet && units[s].ch != '$')) {
            s += 1;
        }
        let mut e = end;
        while e > s && (units[e - 1].dead || units[e - 1].class == Class::Leet) {
            e -= 1;
        }
        // Groups: (first unit index, end index, live run length, option set).
        let mut groups: [(usize, usize, usize, Options); MAX_TOKEN] = [(0, 0, 0, Options::Keep); MAX_TOKEN];
        let mut n = 0;
        let mut latin = 0;
        let mut needs = false;
        let mut k = s;
        while k < e {
            if units[k].dead {
                k += 1;
                continue;
            }
            if n == MAX_TOKEN {
                return;
            }
            let u = units[k];
            let mut run = 1;
            let mut m = k + 1;
            // An upper-case `I` (maybe an `l`) never joins a run of `i`s; removed units inside a run are skipped.
            while m < e
                && u.class == Class::Latin
                && !u.upper_i
                && (units[m].dead || (units[m].ch == u.ch && !units[m].upper_i))
            {
                run += usize::from(!units[m].dead);
                m += 1;
            }
            // Do not end a run on removed units.
            while m > k + 1 && units[m - 1].dead {
                m -= 1;
            }
            let opts = match u.class {
                Class::Latin => {
                    latin += run;
                    if run >= 2 {
                        needs = true;
                        Options::Run
                    } else if u.upper_i {
                        needs = true;
                        Options::IOrL
                    } else {
                        Options::Keep
                    }
                }
                _ => match leet(u.ch) {
                    Some(o) => {
                        needs = true;
                        o
                    }
                    None => Options::Keep,
                },
            };
            groups[n] = (k, m, run, opts);
            n += 1;
            k = m;
        }
        if !needs || latin < 2 || n < 3 {
            return;
        }
        let groups = &groups[..n];
        // Only repeated letters to resolve (the common case: `coffee`, `good`): every spelling has this skeleton.
        if groups.iter().all(|g| matches!(g.3, Options::Keep | Options::Run)) {
            cand.clear();
            cand.extend(groups.iter().map(|&(idx, ..)| units[idx].ch));
            if !self.skeletons.contains(cand.as_str()) {
                return;
            }
        }
        // Mixed-radix counter over the groups' options; option 0 is the default spelling.
        let mut choice = [0u8; MAX_TOKEN];
        for _ in 0..MAX_CANDIDATES {
            cand.clear();
            for (g, &(idx, _, run, opts)) in groups.iter().enumerate() {
                let (ch, count) = opts.pick(units[idx].ch, run, choice[g]);
                for _ in 0..count {
                    cand.push(ch);
                }
            }
            if self.vocab.contains(cand.as_str()) {
                for (g, &(idx, end, run, opts)) in groups.iter().enumerate() {
                    let (ch, count) = opts.pick(units[idx].ch, run, choice[g]);
                    let last_end = units[end - 1].end;
                    let mut kept = idx;
                    let live_units = units[idx..end].iter_mut().enumerate().filter(|(_, u)| !u.dead);
                    for (live, (i, u)) in live_units.enumerate() {
                        u.ch = ch;
                        u.class = Class::Latin;
                        if live >= count {
                            u.dead = true;
                        } else {
                            kept = idx + i;
                        }
                    }
                    // The kept letters cover the whole original run.
                    units[kept].end = last_end;
                }
                return;
            }
            // Advance the counter; stop when it wraps.
            let mut g = 0;
            loop {
                if g == groups.len() {
                    return;
                }
                choice[g] += 1;
                if (choice[g] as usize) < groups[g].3.len() {
                    break;
                }
                choice[g] = 0;
                g += 1;
            }
        }
    }
}

/// The unit of an ASCII byte at `at`.
fn ascii_unit(c: u8, at: usize) -> Unit {
    let (ch, class) = ASCII[c as usize];
    Unit {
        ch: ch as char,
        start: at as u32,
        end: at as u32 + 1,
        class,
        alt: '\0',
        upper_i: c == b'I',
        dead: false,
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

/// Writes the live units out. A whitespace run becomes one space, except between two lone letters or digits
/// (`1  a 1`), where its width is what told pass 3b that a spelled-out word ended: keeping it there makes folding
/// idempotent.
fn emit(units: &[Unit], out: &mut Folded) {
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

/// The spellings a token position may take during leet resolution.
#[derive(Clone, Copy, Debug)]
enum Options {
    Keep,
    One(char),
    Two(char, char),
    /// Upper-case `I`: `i` or `l`.
    IOrL,
    /// A run of one repeated letter: collapse to two, or to one.
    Run,
}

impl Options {
    fn len(self) -> usize {
        match self {
            Options::Keep | Options::One(_) => 1,
            Options::Two(..) | Options::IOrL | Options::Run => 2,
        }
    }

    /// The letter and how many times it is written for option `k`.
    fn pick(self, ch: char, run: usize, k: u8) -> (char, usize) {
        match self {
            Options::Keep => (ch, run),
            Options::One(a) => (a, 1),
            Options::Two(a, b) => (if k == 0 { a } else { b }, 1),
            Options::IOrL => (if k == 0 { 'i' } else { 'l' }, 1),
            Options::Run => {
                let first = if run == 2 { 2 } else { 1 };
                (ch, if k == 0 { first } else { 3 - first })
            }
        }
    }
}

fn leet(c: char) -> Option<Options> {
    Some(match c {
        '0' => Options::One('o'),
        '1' => Options::Two('i', 'l'),
        '3' => Options::One('e'),
        '4' => Options::One('a'),
        '5' => Options::One('s'),
        '7' => Options::One('t'),
        '@' => Options::One('a'),
        '$' => Options::One('s'),
        '!' => Options::One('i'),
        '|' => Options::Two('l', 'i'),
        _ => return None,
    })
}

fn is_token(u: &Unit) -> bool {
    matches!(u.class, Class::Latin | Class::Digit | Class::Leet)
}

/// Pass 1: one character of the original into zero or more units.
fn push_char(units: &mut Vec<Unit>, c: char, start: u32, end: u32, full: bool) {
    if !c.is_ascii() && (is_format(c) || is_combining_mark(c)) {
        // Invisible: dropped, but a span ending on the previous character still covers it.
        if let Some(last) = units.last_mut().filter(|u| u.end == start) {
            last.end = end;
        }
        return;
    }
    push_char_with(c, start, end, full, &mut |u| units.push(u));
}

/// Pass 1 for a character that is not invisible: hands its units to `push`.
fn push_char_with(c: char, start: u32, end: u32, full: bool, push: &mut impl FnMut(Unit)) {
    let t2s = |c: char| if full { t2s(c) } else { c };
    let mut push = |ch: char, class: Class, alt: char, upper_i: bool| {
        push(Unit {
            ch,
            start,
            end,
            class,
            alt,
            upper_i,
            dead: false,
        });
    };
    if c.is_ascii() {
        let (ch, class) = ascii_class(c);
        if class != Class::Other || !c.is_ascii_control() {
            push(ch, class, '\0', c == 'I');
        }
        return;
    }
    if let Some((ch, class)) = special(c).filter(|_| full) {
        push(ch, class, '\0', false);
        return;
    }
    if is_han(c) {
        push(t2s(c), Class::Han, '\0', false);
        return;
    }
    if ('\u{ac00}'..='\u{d7a3}').contains(&c) {
        // Hangul syllables would decompose into jamo; keep them whole.
        push(c, Class::Other, '\0', false);
        return;
    }
    // Compatibility decomposition; combining marks are dropped only after a Latin/Greek/Cyrillic base.
    let mut buf = ['\0'; 18];
    let mut n = 0;
    decompose_compatible(c, |d| {
        if n < buf.len() {
            buf[n] = d;
            n += 1;
        }
    });
    let strip = n > 0 && buf[0] < '\u{530}';
    if !strip && buf[1..n].iter().any(|&d| is_combining_mark(d)) {
        push(c, Class::Other, '\0', false);
        return;
    }
    for &d in &buf[..n] {
        if is_combining_mark(d) || is_format(d) {
            continue;
        }
        if d.is_ascii() {
            let (ch, class) = ascii_class(d);
            push(ch, class, '\0', d == 'I');
        } else if let Some((ch, class)) = special(d).filter(|_| full) {
            push(ch, class, '\0', false);
        } else if is_han(d) {
            push(t2s(d), Class::Han, '\0', false);
        } else if d.is_whitespace() {
            push(' ', Class::Space, '\0', false);
        } else if d.is_alphabetic() || d.is_numeric() {
            let alt = confusable(d);
            for l in d.to_lowercase() {
                let alt = if alt != '\0' { alt } else { confusable(l) };
                push(l, Class::Other, alt, false);
            }
        } else if is_cjk_punct(d) {
            push(d, Class::Punct, '\0', false);
        } else {
            push(d, Class::Symbol, '\0', false);
        }
    }
}

/// The unit of a full-width ASCII form (`，` `！` `ｗ`) or a common CJK punctuation mark (`。` `、` `《` `【`), the
/// non-ASCII characters most frequent in Chinese messages after Han ones, without the general lookup of
/// [`push_char_with`] (a test checks that it gives the same unit for each of them).
fn common_wide_unit(c: char, start: u32, end: u32) -> Option<Unit> {
    let (ch, class, upper_i) = match c {
        '\u{ff01}'..='\u{ff5e}' => {
            // Their compatibility form is the ASCII character 0xfee0 below.
            let a = (c as u32 - 0xfee0) as u8;
            let (ch, class) = ASCII[usize::from(a)];
            (char::from(ch), class, a == b'I')
        }
        '\u{3001}' | '\u{3002}' | '\u{3008}'..='\u{3011}' => (c, Class::Punct, false),
        _ => return None,
    };
    Some(Unit {
        ch,
        start,
        end,
        class,
        alt: '\0',
        upper_i,
        dead: false,
    })
}

/// The folded character and class of an ASCII character (from [`ASCII`]).
fn ascii_class(c: char) -> (char, Class) {
    debug_assert!(c.is_ascii());
    let (ch, class) = ASCII[c as usize & 0x7f];
    (char::from(ch), class)
}

/// Per ASCII byte: its folded byte (lower case, whitespace as `' '`) and its class.
static ASCII: [(u8, Class); 128] = {
    let mut t = [(0u8, Class::Other); 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8 as char;
        t[b] = match c {
            '0'..='9' => (b as u8, Class::Digit),
            'a'..='z' => (b as u8, Class::Latin),
            'A'..='Z' => (b as u8 + 32, Class::Latin),
            ' ' | '\t' | '\r' | '\x0b' | '\x0c' => (b' ', Class::Space),
            '\n' => (b'\n', Class::Newline),
            '@' | '$' | '!' | '|' => (b as u8, Class::Leet),
            '.' | '-' | '_' | '/' | '*' | '\\' | '~' | '+' | '=' | '^' | '#' => (b as u8, Class::Joiner),
            _ if c.is_ascii_control() => (b as u8, Class::Other),
            _ => (b as u8, Class::Punct),
        };
        b += 1;
    }
    t
};

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
const SPACE: u8 = 128;
/// A joiner (`.`, `-`, `/`…).
const JOINER: u8 = 32;
/// Punctuation or a line break: written as it is, and no separator for the joining passes.
const SOLID: u8 = 64;

static ASCII_FLAGS: [u8; 256] = {
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

/// Characters with a fixed fold that compatibility decomposition gets wrong for our purpose.
fn special(c: char) -> Option<(char, Class)> {
    Some(match c {
        // Parenthesised and full-stop digits: ⑴ → 1, ⒈ → 1 (⑽ and above become their last digit's number below).
        '\u{2474}'..='\u{247c}' => (digit(c as u32 - 0x2474 + 1), Class::Digit),
        '\u{2488}'..='\u{2490}' => (digit(c as u32 - 0x2488 + 1), Class::Digit),
        // Dingbat and double-circled digits (❶ ➀ ➊ ⓵) and negative circled zero (⓿): no compatibility form.
        '\u{2776}'..='\u{277e}' => (digit(c as u32 - 0x2776 + 1), Class::Digit),
        '\u{2780}'..='\u{2788}' => (digit(c as u32 - 0x2780 + 1), Class::Digit),
        '\u{278a}'..='\u{2792}' => (digit(c as u32 - 0x278a + 1), Class::Digit),
        '\u{24f5}'..='\u{24fd}' => (digit(c as u32 - 0x24f5 + 1), Class::Digit),
        '\u{24ff}' => ('0', Class::Digit),
        // Parenthesised small letters ⒜ (their compatibility form keeps the parentheses), negative circled and
        // squared letters 🅐 🅰, and regional indicators 🇼: letters written to look like symbols.
        '\u{249c}'..='\u{24b5}' => (letter(c as u32 - 0x249c), Class::Latin),
        '\u{1f150}'..='\u{1f169}' => (letter(c as u32 - 0x1f150), Class::Latin),
        '\u{1f170}'..='\u{1f189}' => (letter(c as u32 - 0x1f170), Class::Latin),
        '\u{1f1e6}'..='\u{1f1ff}' => (letter(c as u32 - 0x1f1e6), Class::Latin),
        // Small capitals (ᴡᴇᴄʜᴀᴛ) are Latin letters with no compatibility form.
        'ᴀ' => ('a', Class::Latin),
        'ʙ' => ('b', Class::Latin),
        'ᴄ' => ('c', Class::Latin),
        'ᴅ' => ('d', Class::Latin),
        'ᴇ' => ('e', Class::Latin),
        'ꜰ' => ('f', Class::Latin),
        'ɢ' => ('g', Class::Latin),
        'ʜ' => ('h', Class::Latin),
        'ɪ' => ('i', Class::Latin),
        'ᴊ' => ('j', Class::Latin),
        'ᴋ' => ('k', Class::Latin),
        'ʟ' => ('l', Class::Latin),
        'ᴍ' => ('m', Class::Latin),
        'ɴ' => ('n', Class::Latin),
        'ᴏ' => ('o', Class::Latin),
        'ᴘ' => ('p', Class::Latin),
        'ǫ' => ('q', Class::Latin),
        'ʀ' => ('r', Class::Latin),
        'ꜱ' => ('s', Class::Latin),
        'ᴛ' => ('t', Class::Latin),
        'ᴜ' => ('u', Class::Latin),
        'ᴠ' => ('v', Class::Latin),
        'ᴡ' => ('w', Class::Latin),
        'ʏ' => ('y', Class::Latin),
        'ᴢ' => ('z', Class::Latin),
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' => ('\'', Class::Punct),
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' => ('"', Class::Punct),
        '\u{2010}'..='\u{2015}' | '\u{2043}' | '\u{2212}' => ('-', Class::Joiner),
        '\u{00b7}' | '\u{2022}' | '\u{2027}' | '\u{2219}' | '\u{22c5}' | '\u{30fb}' | '\u{ff65}' => {
            ('.', Class::Joiner)
        }
        '\u{3007}' => ('〇', Class::Han),
        '\u{3000}' => (' ', Class::Space),
        '\u{2028}' | '\u{2029}' | '\u{85}' => ('\n', Class::Newline),
        _ => return None,
    })
}

fn letter(n: u32) -> char {
    char::from_u32('a' as u32 + n % 26).unwrap_or('a')
}

fn digit(n: u32) -> char {
    char::from_digit(n % 10, 10).unwrap_or('0')
}

/// Zero-width, bidi and other format characters, variation selectors and tags: invisible, so dropped.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
        | '\u{1bca0}'..='\u{1bca3}' | '\u{e0000}'..='\u{e0fff}')
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{2fa1f}' | '\u{30000}'..='\u{3134f}')
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c, '\u{3001}'..='\u{303f}' | '\u{ff01}'..='\u{ff0f}' | '\u{ff1a}'..='\u{ff20}'
        | '\u{fe10}'..='\u{fe1f}' | '\u{fe30}'..='\u{fe6f}' | '\u{2016}'..='\u{205e}' | '\u{a1}'..='\u{bf}')
}

fn t2s(c: char) -> char {
    lookup(T2S, c).unwrap_or(c)
}

fn confusable(c: char) -> char {
    lookup(CONFUSABLE_LATIN, c).unwrap_or('\0')
}

fn lookup(table: &[(char, char)], c: char) -> Option<char> {
    table.binary_search_by_key(&c, |&(k, _)| k).ok().map(|i| table[i].1)
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
fn join_spelled(units: &mut [Unit]) -> bool {
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
            for u in &mut units[i..=last] {
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

fn chinese_digit(c: char) -> Option<char> {
    Some(match c {
        '零' | '〇' => '0',
        '一' | '幺' | '壹' => '1',
        '二' | '贰' => '2',
        '三' | '叁' | '参' => '3',
        '四' | '肆' => '4',
        '五' | '伍' => '5',
        '六' | '陆' => '6',
        '七' | '柒' => '7',
        '八' | '捌' => '8',
        '九' | '玖' => '9',
        _ => return None,
    })
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

/// The class of a folded character as word-boundary logic sees it: `true` for ASCII letters and digits.
pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stack-buffer skeleton of `repeats_stay` decides as the `String` skeleton does, short and long words.
    #[test]
    fn repeats_stay_matches_the_string_skeleton() {
        let f = Folder::new(["apple", "wechat", "paypal", "internationalisationsxyzabcdefgh"]);
        let reference = |word: &[u8]| {
            let sk = skeleton(word.iter().map(|&c| char::from(c.to_ascii_lowercase())));
            if sk.len() < 3 || !f.skeletons.contains(sk.as_str()) {
                return true;
            }
            !word.windows(3).any(|w| w[0] == w[1] && w[1] == w[2])
                && !word.iter().any(u8::is_ascii_uppercase)
                && std::str::from_utf8(word).is_ok_and(|w| f.vocab.contains(w))
        };
        let words = [
            "apple",
            "appple",
            "aple",
            "APPLE",
            "wechat",
            "weechat",
            "paypal",
            "paypaal",
            "good",
            "ok",
            "aa",
            "internationalisationsxyzabcdefgh",
            "internnationalisationsxyzabcdefgh",
            "abcdefghijklmnopqrstuvwxyzab",
        ];
        let mut cand = String::new();
        for w in words {
            assert_eq!(f.repeats_stay(w.as_bytes(), &mut cand), reference(w.as_bytes()), "{w}");
        }
    }

    fn folder() -> Folder {
        Folder::new([
            "wechat",
            "whatsapp",
            "telegram",
            "pay",
            "personal",
            "apple",
            "alibaba",
            "direct",
            "invoice",
            "account",
            "nike",
            "adidas",
            "logo",
            "original",
            "skype",
            "close",
            "dispute",
            "receipt",
            "confirm",
            "maintenance",
            "temporary",
            "paypal",
        ])
    }

    macro_rules! t {
        ($name:ident, $input:expr, $expected:expr) => {
            #[test]
            fn $name() {
                let f = folder().fold($input);
                assert_eq!(f.text, $expected, "folding {:?}", $input);
                assert_eq!(f.text.len(), f.bytes.len());
            }
        };
    }

    t!(fold010_ascii_lower, "Add me on WeChat", "add me on wechat");
    t!(fold020_fullwidth, "ｗｅｃｈａｔ：ＡＢＣ１２３", "wechat:abc123");
    t!(fold030_zero_width, "we\u{200b}ch\u{200d}at", "wechat");
    t!(fold040_traditional, "請轉帳到我的個人帳戶", "请转账到我的个人账户");
    t!(fold050_cyrillic_in_latin_word, "wеchat", "wechat");
    t!(fold060_cyrillic_word_kept, "привет мир", "привет мир");
    t!(fold070_greek_omicron, "Western Uniοn", "western union");
    t!(fold080_han_spaces, "微 信 号", "微信号");
    t!(fold090_han_emoji_infix, "微❤️信", "微信");
    t!(fold100_han_dots, "私.下.付.款", "私下付款");
    t!(fold110_han_hyphens, "退-款取-消", "退款取消");
    t!(fold120_spelled_latin, "w e c h a t: kevin", "wechat: kevin");
    t!(fold130_spelled_dots, "W.h.a.t.s.a.p.p me", "whatsapp me");
    t!(fold140_two_letters_punct, "W-U to me", "wu to me");
    t!(fold150_two_letters_space_kept, "a b", "a b");
    t!(
        fold152_spelled_words_keep_wider_gaps,
        "p a y p a l   f r i e n d s",
        "paypal friends"
    );
    t!(fold154_spelled_words_other_separator, "P.a.y.P.a.l F&F", "paypal f&f");
    t!(fold160_spelled_digits, "1 3 5 8 8 2 0", "1358820");
    t!(fold170_circled_digits, "①③⑨②⑧", "13928");
    t!(fold180_parenthesised_digit, "⑴⑵", "12");
    t!(fold190_chinese_numerals, "一三九 二二八七", "139 2287");
    t!(fold200_chinese_numerals_short_kept, "一三个", "一三个");
    t!(fold210_leet_at, "Wh@tsApp me", "whatsapp me");
    t!(fold220_leet_digit, "w3chat", "wechat");
    t!(fold230_leet_one_as_l, "App1e logo", "apple logo");
    t!(fold240_leet_one_as_i, "p@y d1rect", "pay direct");
    t!(fold250_upper_i_as_l, "aIibaba", "alibaba");
    t!(fold260_model_number_kept, "SZ2207 A4 3pcs", "sz2207 a4 3pcs");
    t!(fold270_repeated_letters, "wechaaat", "wechat");
    t!(fold280_double_letters_kept, "whatsapp coffee", "whatsapp coffee");
    t!(fold290_dollar_leading, "$kype", "skype");
    t!(fold300_spaces_collapse, "ab  \t cd", "ab cd");
    t!(fold305_spaces_between_lone_letters_kept, "a  b", "a  b");
    t!(fold310_math_bold, "𝐰𝐞𝐜𝐡𝐚𝐭", "wechat");
    t!(fold320_ligature, "ﬁne", "fine");
    t!(fold330_curly_quote, "don’t", "don't");
    t!(fold340_cyrillic_paypal, "РаyРаl", "paypal");
    t!(fold350_newline_kept, "a\nb", "a\nb");
    t!(fold360_accents, "café", "cafe");
    t!(fold370_hangul_kept, "안녕", "안녕");
    t!(fold380_kana_kept, "が", "が");
    t!(fold390_parenthesised_letters, "⒲⒠⒞⒣⒜⒯", "wechat");
    t!(fold400_negative_circled_letters, "🅦🅔🅒🅗🅐🅣", "wechat");
    t!(fold410_dingbat_digits, "❶➂➑⓿", "1380");
    t!(fold420_financial_numerals, "壹叁捌贰贰", "13822");
    t!(fold430_lone_letter_and_han, "加 v 信", "加v信");
    t!(fold440_lone_letter_emoji_han, "V❤信", "v信");
    t!(fold450_word_next_to_han_kept_apart, "加 wechat 吧", "加 wechat 吧");
    t!(fold460_pipe_separator, "w|e|c|h|a|t 微|信", "wechat 微信");
    t!(fold470_emoji_inside_word, "we🔥chat", "wechat");
    t!(fold480_small_capitals, "ᴡᴇᴄʜᴀᴛ", "wechat");

    #[test]
    fn spans_map_back_to_original() {
        let text = "加 我 w.e.c.h.a.t 吧";
        let f = folder().fold(text);
        let at = f.text.find("wechat").unwrap();
        let span = f.original_span(at..at + "wechat".len());
        assert_eq!(&text[span], "w.e.c.h.a.t");
    }

    #[test]
    fn trailing_marks_are_inside_the_span() {
        let text = "add W\u{336}e\u{336}c\u{336}h\u{336}a\u{336}t\u{336} now";
        let f = folder().fold(text);
        let at = f.text.find("wechat").unwrap();
        assert_eq!(
            &text[f.original_span(at..at + 6)],
            "W\u{336}e\u{336}c\u{336}h\u{336}a\u{336}t\u{336}"
        );
    }

    #[test]
    fn collapsed_run_maps_to_whole_run() {
        let text = "add wechaaat";
        let f = folder().fold(text);
        let at = f.text.find("wechat").unwrap();
        assert_eq!(&text[f.original_span(at..at + 6)], "wechaaat");
    }

    /// Folds `text` both ways; returns whether the fast path took it, after checking it agrees with the general
    /// path: same text, and the run map gives the per-byte map's span for every pair of char boundaries.
    fn fast_agrees(f: &Folder, text: &str) -> Result<bool, String> {
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
            "don’t café ﬁne 안녕 が",
            "a\nb\r\n c",
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
        ];
        for t in general {
            assert_eq!(fast_agrees(&f, t), Ok(false), "{t:?} needs the general path");
        }
    }

    #[test]
    fn common_wide_characters_take_the_general_units() {
        let wide = ('\u{ff01}'..='\u{ff5e}')
            .chain(['\u{3001}', '\u{3002}'])
            .chain('\u{3008}'..='\u{3011}');
        let mut n = 0;
        for c in wide {
            let mut general = Vec::new();
            push_char_with(c, 3, 6, true, &mut |u| general.push(u));
            let fast = common_wide_unit(c, 3, 6).expect("a common wide character");
            assert_eq!(general.len(), 1, "{c:?}");
            let g = general[0];
            assert_eq!(
                (
                    fast.ch,
                    fast.class,
                    fast.alt,
                    fast.upper_i,
                    fast.start,
                    fast.end,
                    fast.dead
                ),
                (g.ch, g.class, g.alt, g.upper_i, g.start, g.end, g.dead),
                "{c:?}"
            );
            n += 1;
        }
        assert_eq!(n, 94 + 2 + 10);
        assert!(common_wide_unit('微', 0, 3).is_none() && common_wide_unit('\u{3000}', 0, 3).is_none());
    }

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

    use proptest::prelude::*;

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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// Word-like texts, which mostly take the fast path: it must agree with the general one.
        #[test]
        fn fast_path_agrees_on_word_like_text(parts in proptest::collection::vec(proptest::sample::select(vec![
            "wechat", "pay", "p@y", "App1e", "wechaaat", "coffee", "I", "aIibaba", "12", "7", "a", "微信", "帳戶",
            "一", "三", "参", "，", "。", "…", "！", "“", " ", "  ", "\t", "\n", "-", ".", "❤", "\u{fe0f}", "é", "ｗ",
            "$kype", "hello!", "@", "good", "wiiill", "Will", "acccept", "e", "x", "安", "が", "报价含税", "國際", "的话", "零", "九", "𠀀", "豈", "㐀",
        ]), 0..24)) {
            let text = parts.concat();
            prop_assert!(fast_agrees(&folder(), &text).is_ok(), "{:?}", fast_agrees(&folder(), &text));
        }

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

    #[test]
    fn folding_is_idempotent_on_examples() {
        for s in [
            "微 信",
            "w e c h a t",
            "ｗｅｃｈａｔ",
            "一三九 二二八七 六六五四",
            "p@y d1rect",
            "請轉帳",
        ] {
            let once = folder().fold(s).text;
            assert_eq!(folder().fold(&once).text, once, "{s:?}");
        }
    }
}
