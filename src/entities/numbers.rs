//! Numbers as written (digit groups with spaces, dashes, dots or parentheses; `①③⑧`, `一三八` and full-width
//! digits arrive folded to ASCII) and phone numbers: mainland mobiles and international numbers with `+` or `00`.

use std::ops::Range;

use super::bank::bank_account;
use super::cues::Cue;
use super::{after_is, EntityKind, Extractor, Sink};

/// Digits of a number as written: groups separated by spaces, dashes, dots or parentheses.
pub(super) struct Number {
    /// Byte offset (in the searched text) where the number starts (at `(`, `+` or the first digit).
    pub(super) start: usize,
    pub(super) plus: bool,
    digits: [u8; 32],
    len: usize,
    /// Per group: (cumulative digit count at its end, byte end, separator before it).
    pub(super) groups: [(u8, usize, u8); 16],
    pub(super) ngroups: usize,
}

impl Number {
    pub(super) fn digits(&self) -> &[u8] {
        &self.digits[..self.len]
    }

    /// The index of the group that ends exactly after `n` digits.
    fn group_ending_at(&self, n: usize) -> Option<usize> {
        self.groups[..self.ngroups].iter().position(|g| g.0 as usize == n)
    }

    pub(super) fn group_len(&self, i: usize) -> usize {
        let prev = if i == 0 { 0 } else { self.groups[i - 1].0 };
        (self.groups[i].0 - prev) as usize
    }

    pub(super) fn value(&self, from: usize, to: usize) -> String {
        self.digits[from..to].iter().map(|&b| b as char).collect()
    }
}

/// A number read as a phone: digits `value_from..value_to` and the index of its last group.
pub(super) struct Phone {
    pub(super) value_from: usize,
    pub(super) value_to: usize,
    pub(super) last_group: usize,
}

impl Extractor {
    /// Phones anywhere; card and account numbers by checksum or context.
    pub(super) fn numbers(&self, text: &str, cues: &[(Range<usize>, Cue)], sink: &mut Sink<'_>) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if !(b.is_ascii_digit() || b == b'+' || b == b'(') || !number_start_ok(bytes, i) {
                i += 1;
                continue;
            }
            let Some(num) = read_number(bytes, i) else {
                i += 1;
                continue;
            };
            let mut next = num.groups[0].1;
            if let Some(p) = phone(&num) {
                let end = num.groups[p.last_group].1;
                if !after_is(bytes, end, |b| b.is_ascii_alphanumeric() || b == b'@') {
                    sink.push(
                        EntityKind::Phone,
                        num.value(p.value_from, p.value_to),
                        num.start..end,
                        None,
                    );
                    next = next.max(end);
                }
            }
            if let Some(end) = bank_account(bytes, &num, cues, sink) {
                next = next.max(end);
            }
            i = next.max(i + 1);
        }
    }
}

/// Whether a number may start at `i`: not glued to a word, a decimal or a model number (`TS-2207`), and not
/// just after the `+` or `(` it would have started at.
fn number_start_ok(bytes: &[u8], i: usize) -> bool {
    let Some(&p) = i.checked_sub(1).and_then(|j| bytes.get(j)) else {
        return true;
    };
    if p.is_ascii_alphanumeric() || matches!(p, b'_' | b'+' | b'(' | b'#' | b'$' | b'%') {
        return false;
    }
    !(matches!(p, b'-' | b'/' | b'.' | b',') && i >= 2 && bytes[i - 2].is_ascii_alphanumeric())
}

/// Reads a number at `start`: `(`? `+`? then digit groups separated by at most two of ` -.()`.
pub(super) fn read_number(bytes: &[u8], start: usize) -> Option<Number> {
    let mut num = Number {
        start,
        plus: false,
        digits: [0; 32],
        len: 0,
        groups: [(0, 0, 0); 16],
        ngroups: 0,
    };
    let mut i = start;
    if bytes.get(i) == Some(&b'(') {
        i += 1;
    }
    num.start = i;
    if bytes.get(i) == Some(&b'+') {
        num.plus = true;
        i += 1;
        if bytes.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    if bytes.get(i) == Some(&b'(') {
        i += 1;
    }
    let mut sep = 0u8;
    loop {
        let group_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            if num.len == num.digits.len() {
                return None; // far too long for anything we extract
            }
            num.digits[num.len] = bytes[i];
            num.len += 1;
            i += 1;
        }
        if i == group_start {
            break;
        }
        num.groups[num.ngroups] = (num.len as u8, i, sep);
        num.ngroups += 1;
        if num.ngroups == num.groups.len() {
            break;
        }
        // Up to two separators, then a digit.
        let mut j = i;
        let mut first_sep = 0u8;
        while j < bytes.len() && j - i < 2 && matches!(bytes[j], b' ' | b'-' | b'.' | b'(' | b')') {
            if first_sep == 0 || first_sep == b')' {
                first_sep = bytes[j];
            }
            j += 1;
        }
        let two_dots = j - i == 2 && bytes[i] == b'.' && bytes[i + 1] == b'.';
        if j == i || two_dots || !after_is(bytes, j, |b| b.is_ascii_digit()) {
            break;
        }
        sep = first_sep;
        i = j;
    }
    (num.len > 0).then_some(num)
}

/// A mainland mobile (with or without +86 / 0086 / 86) or an international number written with + or 00.
pub(super) fn phone(num: &Number) -> Option<Phone> {
    let d = num.digits();
    let mobile_at = |p: usize| -> Option<usize> {
        (d.len() >= p + 11 && d[p] == b'1' && (b'3'..=b'9').contains(&d[p + 1]))
            .then(|| num.group_ending_at(p + 11))
            .flatten()
    };
    // Mainland mobiles.
    if d.starts_with(b"0086") && !num.plus {
        if let Some(g) = mobile_at(4) {
            return Some(Phone {
                value_from: 2,
                value_to: 15,
                last_group: g,
            });
        }
    }
    if d.starts_with(b"86") {
        if let Some(g) = mobile_at(2) {
            return Some(Phone {
                value_from: 0,
                value_to: 13,
                last_group: g,
            });
        }
    }
    if !num.plus {
        if let Some(g) = mobile_at(0) {
            return Some(Phone {
                value_from: 0,
                value_to: 11,
                last_group: g,
            });
        }
    }
    // International: + or 00, then up to 15 digits (at least 8).
    let from = if num.plus {
        0
    } else if d.starts_with(b"00") && d.len() > 2 && d[2] != b'0' && num.ngroups >= 2 {
        2
    } else {
        return None;
    };
    if d.get(from) == Some(&b'0') {
        return None;
    }
    let g = (0..num.ngroups)
        .rev()
        .find(|&g| (num.groups[g].0 as usize).saturating_sub(from) <= 15)?;
    let to = num.groups[g].0 as usize;
    (to.saturating_sub(from) >= 8).then_some(Phone {
        value_from: from,
        value_to: to,
        last_group: g,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The phone a number reads as, and the text it covers.
    fn phone_at(text: &str) -> Option<(String, &str)> {
        let num = read_number(text.as_bytes(), 0)?;
        let p = phone(&num)?;
        Some((
            num.value(p.value_from, p.value_to),
            &text[num.start..num.groups[p.last_group].1],
        ))
    }

    #[test]
    fn numbers_and_phones() {
        let num = read_number(b"138-0013-8000 pcs", 0).expect("a number");
        assert_eq!(
            (num.digits(), num.ngroups, num.group_len(1)),
            (&b"13800138000"[..], 3, 4)
        );
        assert_eq!(phone_at("138-0013-8000"), Some(("13800138000".into(), "138-0013-8000")));
        assert_eq!(
            phone_at("+86 138 0013 8000"),
            Some(("8613800138000".into(), "+86 138 0013 8000"))
        );
        assert_eq!(
            phone_at("0086 13800138000"),
            Some(("8613800138000".into(), "0086 13800138000"))
        );
        assert_eq!(
            phone_at("(+86)13800138000"),
            Some(("8613800138000".into(), "+86)13800138000"))
        );
        assert_eq!(
            phone_at("+44 20 7946 0958"),
            Some(("442079460958".into(), "+44 20 7946 0958"))
        );
        assert_eq!(phone_at("+3 days"), None);
        assert_eq!(phone_at("2024-03-15"), None);
        assert!(read_number(b"x", 0).is_none());
        assert!(number_start_ok(b"call 138", 5));
        assert!(!number_start_ok(b"TS-2207", 3));
        assert!(!number_start_ok(b"0.138", 2));
    }
}
