//! Bank accounts and cards (Luhn checksum, or an account word before the number), IBANs (mod-97, lengths by
//! country) and SWIFT/BIC codes.

use std::ops::Range;

use super::cues::{context_before, Cue};
use super::numbers::Number;
use super::{after_is, before_is, EntityKind, Extractor, Sink};

/// IBAN lengths by country.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("ad", 24),
    ("ae", 23),
    ("al", 28),
    ("at", 20),
    ("az", 28),
    ("ba", 20),
    ("be", 16),
    ("bg", 22),
    ("bh", 22),
    ("br", 29),
    ("by", 28),
    ("ch", 21),
    ("cr", 22),
    ("cy", 28),
    ("cz", 24),
    ("de", 22),
    ("dk", 18),
    ("do", 28),
    ("ee", 20),
    ("eg", 29),
    ("es", 24),
    ("fi", 18),
    ("fo", 18),
    ("fr", 27),
    ("gb", 22),
    ("ge", 22),
    ("gi", 23),
    ("gl", 18),
    ("gr", 27),
    ("gt", 28),
    ("hr", 21),
    ("hu", 28),
    ("ie", 22),
    ("il", 23),
    ("iq", 23),
    ("is", 26),
    ("it", 27),
    ("jo", 30),
    ("kw", 30),
    ("kz", 20),
    ("lb", 28),
    ("lc", 32),
    ("li", 21),
    ("lt", 20),
    ("lu", 20),
    ("lv", 21),
    ("ly", 25),
    ("mc", 27),
    ("md", 24),
    ("me", 22),
    ("mk", 19),
    ("mr", 27),
    ("mt", 31),
    ("mu", 30),
    ("nl", 18),
    ("no", 15),
    ("pk", 24),
    ("pl", 28),
    ("ps", 29),
    ("pt", 25),
    ("qa", 29),
    ("ro", 24),
    ("rs", 22),
    ("sa", 24),
    ("sc", 31),
    ("sd", 18),
    ("se", 24),
    ("si", 19),
    ("sk", 24),
    ("sm", 27),
    ("st", 25),
    ("sv", 28),
    ("tl", 23),
    ("tn", 24),
    ("tr", 26),
    ("ua", 29),
    ("va", 22),
    ("vg", 24),
    ("xk", 20),
];

/// ISO 3166-1 alpha-2 codes (plus XK), for the country part of a SWIFT code.
const COUNTRIES: &str = "ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq br \
    bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg eh er es et \
    fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq \
    ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml \
    mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps \
    pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st sv sx sy sz tc td tf tg th tj tk tl \
    tm tn to tr tt tv tw tz ua ug um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw xk";

impl Extractor {
    /// IBANs, compact or in groups, of a known country's length and with a valid mod-97 checksum.
    pub(super) fn ibans(&self, text: &str, sink: &mut Sink<'_>) {
        let bytes = text.as_bytes();
        let mut pos = 0;
        while let Some(m) = self.iban.find_at(text, pos) {
            pos = m.start() + 1;
            if before_is(bytes, m.start(), |b| b.is_ascii_alphanumeric()) {
                continue;
            }
            let Some(&(_, len)) = IBAN_LENGTHS.iter().find(|(c, _)| *c == &text[m.start()..m.start() + 2]) else {
                continue;
            };
            // Collect `len` alphanumerics, allowing single spaces (or dashes) between groups.
            let mut buf = [0u8; 34];
            let mut n = 0;
            let mut j = m.start();
            while j < bytes.len() && n < len {
                let c = bytes[j];
                if c.is_ascii_alphanumeric() {
                    buf[n] = c.to_ascii_uppercase();
                    n += 1;
                } else if !((c == b' ' || c == b'-') && n > 0 && after_is(bytes, j + 1, |b| b.is_ascii_alphanumeric()))
                {
                    break;
                }
                j += 1;
            }
            if n != len || after_is(bytes, j, |b| b.is_ascii_alphanumeric()) || !iban_ok(&buf[..n]) {
                continue;
            }
            let value: String = buf[..n].iter().map(|&b| b as char).collect();
            sink.push(EntityKind::Iban, value, m.start()..j, None);
            pos = j;
        }
    }

    /// The SWIFT/BIC code at `at`, after a "swift"/"bic" cue and its filler `lead`: 8 or 11 characters with a real
    /// country code, kept when written in upper case or announced by `:`, "code" or 码.
    pub(super) fn swift_code(&self, text: &str, at: usize, lead: &str, sink: &mut Sink<'_>) {
        let bytes = text.as_bytes();
        let value_text = &text[at..];
        let Some(m) = self.swift.find(value_text) else {
            return;
        };
        let end = at + m.end();
        if after_is(bytes, end, |b| b.is_ascii_alphanumeric()) || !is_country(&m.as_str()[4..6]) {
            return;
        }
        let range = at..end;
        let written_upper = sink
            .original_text(range.clone())
            .is_some_and(|o| !o.chars().any(char::is_lowercase));
        if written_upper || lead.contains(':') || lead.contains("code") || lead.contains('码') {
            sink.push(EntityKind::Swift, m.as_str().to_ascii_uppercase(), range, None);
        }
    }
}

/// A card or account number read as `num`: by the Luhn checksum of a 16–19 digit card, or by an account word before
/// it (and no order/tracking word). Pushes it and returns where it ends.
pub(super) fn bank_account(
    bytes: &[u8],
    num: &Number,
    cues: &[(Range<usize>, Cue)],
    sink: &mut Sink<'_>,
) -> Option<usize> {
    let g = account_groups(num)?;
    let end = num.groups[g].1;
    let n = num.groups[g].0 as usize;
    let d = &num.digits()[..n];
    if after_is(bytes, end, |b| b.is_ascii_alphanumeric() || b == b'@') {
        return None;
    }
    let (account_cue, negative_cue) = context_before(cues, num.start);
    let card = (16..=19).contains(&n) && (b'3'..=b'6').contains(&d[0]) && luhn_ok(d);
    if !negative_cue && ((9..=30).contains(&n) && account_cue || card) {
        sink.push(EntityKind::BankAccount, num.value(0, n), num.start..end, None);
        return Some(end);
    }
    None
}

/// The groups that form one account number: a long unbroken run stands alone; otherwise groups of 3–6 digits
/// joined by one kind of separator (space or dash), e.g. `6222 0212 3456 7890 128`.
fn account_groups(num: &Number) -> Option<usize> {
    if num.plus {
        return None;
    }
    if num.group_len(0) > 6 || num.ngroups == 1 {
        return Some(0);
    }
    let sep = num.groups[1].2;
    if !matches!(sep, b' ' | b'-') || num.group_len(0) < 3 {
        return None;
    }
    let mut last = 0;
    for g in 1..num.ngroups {
        if num.groups[g].2 != sep || num.groups[g].0 > 30 || !(3..=6).contains(&num.group_len(g - 1)) {
            break;
        }
        last = g;
    }
    Some(last)
}

fn is_country(code: &str) -> bool {
    code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code)
}

fn luhn_ok(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &b) in digits.iter().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// ISO 13616 mod-97 check on an upper-case, compact IBAN.
fn iban_ok(iban: &[u8]) -> bool {
    if iban.len() < 15 || !iban[2].is_ascii_digit() || !iban[3].is_ascii_digit() {
        return false;
    }
    let mut rem = 0u32;
    for &c in iban[4..].iter().chain(&iban[..4]) {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums() {
        assert!(luhn_ok(b"6222021234567890128"));
        assert!(!luhn_ok(b"6222021234567890127"));
        assert!(iban_ok(b"GB82WEST12345698765432"));
        assert!(!iban_ok(b"GB82WEST12345698765433"));
    }

    #[test]
    fn iban_lengths_and_countries() {
        for (country, len) in IBAN_LENGTHS {
            assert!(is_country(country), "{country}");
            assert!((15..=34).contains(len), "{country}");
        }
        assert!(is_country("cn") && is_country("xk"));
        assert!(!is_country("zz") && !is_country("c"));
    }
}
