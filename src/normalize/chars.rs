//! Pass 1: each character of the original into [`Unit`]s, folded and classified.
//!
//! Table-driven: case, compatibility forms, traditional → simplified, look-alike letters (their Latin `alt`). Also
//! the character predicates the other passes share.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::tables::{CONFUSABLE_LATIN, T2S};

/// What a folded character is, for the passes that look at neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Class {
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
pub(super) struct Unit {
    pub(super) ch: char,
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) class: Class,
    /// Latin look-alike of an `Other` letter (`'\0'` when none).
    pub(super) alt: char,
    /// The original was an upper-case `I` (often written for `l`).
    pub(super) upper_i: bool,
    pub(super) dead: bool,
}

/// The unit of an ASCII byte at `at`.
pub(super) fn ascii_unit(c: u8, at: usize) -> Unit {
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

pub(super) fn is_token(u: &Unit) -> bool {
    matches!(u.class, Class::Latin | Class::Digit | Class::Leet)
}

/// Pass 1: one character of the original into zero or more units.
pub(super) fn push_char(units: &mut Vec<Unit>, c: char, start: u32, end: u32, full: bool) {
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
pub(super) fn push_char_with(c: char, start: u32, end: u32, full: bool, push: &mut impl FnMut(Unit)) {
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
pub(super) fn common_wide_unit(c: char, start: u32, end: u32) -> Option<Unit> {
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
pub(super) static ASCII: [(u8, Class); 128] = {
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
pub(super) fn is_format(c: char) -> bool {
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

pub(super) fn t2s(c: char) -> char {
    lookup(T2S, c).unwrap_or(c)
}

fn confusable(c: char) -> char {
    lookup(CONFUSABLE_LATIN, c).unwrap_or('\0')
}

fn lookup(table: &[(char, char)], c: char) -> Option<char> {
    table.binary_search_by_key(&c, |&(k, _)| k).ok().map(|i| table[i].1)
}

pub(super) fn chinese_digit(c: char) -> Option<char> {
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

/// The class of a folded character as word-boundary logic sees it: `true` for ASCII letters and digits.
pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
