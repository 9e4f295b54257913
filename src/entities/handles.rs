//! Messenger handles and e-mail addresses: the WeChat ID, QQ, WhatsApp, Telegram or LINE value after a context
//! word, `wxid_…` IDs, `wa.me`/`t.me` links, and e-mail addresses.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

use super::cues::{line_colon_context_ok, Cue, STOPWORDS};
use super::numbers::{phone, read_number};
use super::{after_is, before_is, EntityKind, Extractor, Sink};

impl Extractor {
    /// The value announced by a context word: a handle, a number, or a SWIFT code.
    pub(super) fn after_cue(&self, text: &str, cue_range: Range<usize>, cue: Cue, sink: &mut Sink<'_>) {
        if matches!(cue, Cue::Account | Cue::Negative) {
            return;
        }
        if cue == Cue::LineColon && !line_colon_context_ok(text, cue_range.start) {
            return;
        }
        let rest = &text[cue_range.end..];
        // Fillers are short: look at a bounded window, so that repeated context words stay linear.
        let mut window = rest.len().min(64);
        while !rest.is_char_boundary(window) {
            window -= 1;
        }
        let filler_len = self.filler.find(&rest[..window]).map_or(0, |m| m.end());
        if filler_len > 48 {
            return;
        }
        // The context word and what follows it, up to the value.
        let lead = &text[cue_range.start..cue_range.end + filler_len];
        let explicit = [":", "=", "id", "号", "是", "为", "is", "name", "名"]
            .iter()
            .any(|w| lead.contains(w));
        let at = cue_range.end + filler_len;
        let bytes = text.as_bytes();
        let Some(&first) = bytes.get(at) else { return };
        let value_text = &text[at..];

        if cue == Cue::Swift {
            self.swift_code(text, at, lead, sink);
            return;
        }

        // Numbers: phones for every messenger, plain digit strings for QQ and WhatsApp.
        if first.is_ascii_digit() || first == b'+' || first == b'(' {
            let Some(num) = read_number(bytes, at) else { return };
            let kind = match cue {
                Cue::Wechat => EntityKind::Wechat,
                Cue::Qq => EntityKind::Qq,
                Cue::Whatsapp => EntityKind::Whatsapp,
                Cue::Telegram => EntityKind::Telegram,
                _ => EntityKind::Line,
            };
            let found = match cue {
                Cue::Qq => {
                    let n = num.group_len(0);
                    let d = num.digits();
                    (!num.plus && (5..=11).contains(&n) && d[0] != b'0').then_some((0, n, 0))
                }
                Cue::Whatsapp => phone(&num)
                    .map(|p| (p.value_from, p.value_to, p.last_group))
                    .or_else(|| {
                        // Digits without a + : take groups up to 15 digits.
                        let g = (0..num.ngroups).rev().find(|&g| num.groups[g].0 <= 15)?;
                        let n = num.groups[g].0 as usize;
                        (!num.plus && n >= 7).then_some((0, n, g))
                    }),
                Cue::Telegram => phone(&num)
                    .filter(|_| num.plus)
                    .map(|p| (p.value_from, p.value_to, p.last_group)),
                _ => phone(&num).map(|p| (p.value_from, p.value_to, p.last_group)),
            };
            if let Some((from, to, g)) = found {
                let end = num.groups[g].1;
                if !after_is(bytes, end, |b| b.is_ascii_alphanumeric() || b == b'@') {
                    sink.push(kind, num.value(from, to), num.start..end, None);
                }
            }
            return;
        }

        let (re, kind) = match cue {
            Cue::Wechat => (&self.wechat_id, EntityKind::Wechat),
            Cue::Telegram => (&self.tg_handle, EntityKind::Telegram),
            Cue::Line | Cue::LineColon => (&self.line_id, EntityKind::Line),
            _ => return,
        };
        let Some(m) = re.find(value_text) else { return };
        let mut id = m.as_str();
        while id.ends_with(['.', '-']) {
            id = &id[..id.len() - 1];
        }
        let end = at + id.len();
        // The handle must end where the token ends (not inside a longer word, an e-mail or a domain).
        if after_is(bytes, end, |b| b.is_ascii_alphanumeric() || b == b'_' || b == b'@')
            || (after_is(bytes, end, |b| b == b'.' || b == b'-')
                && after_is(bytes, end + 1, |b| b.is_ascii_alphanumeric()))
        {
            return;
        }
        let at_sign = id.starts_with('@');
        let id = id.trim_start_matches('@');
        let marked = id
            .bytes()
            .any(|b| b.is_ascii_digit() || b == b'_' || b == b'-' || b == b'.');
        let strong_cue = cue == Cue::Line;
        if STOPWORDS.contains(&id) || !(marked || at_sign || explicit || strong_cue) {
            return;
        }
        if cue == Cue::LineColon && !marked {
            return;
        }
        sink.push(kind, id.to_string(), at..end, None);
    }

    /// `wxid_…` WeChat IDs, which need no context word.
    pub(super) fn wxids(&self, text: &str, sink: &mut Sink<'_>) {
        let bytes = text.as_bytes();
        for m in self.wxid.find_iter(text) {
            if !before_is(bytes, m.start(), |b| b.is_ascii_alphanumeric())
                && !after_is(bytes, m.end(), |b| b.is_ascii_alphanumeric() || b == b'_')
            {
                sink.push(EntityKind::Wechat, m.as_str().to_string(), m.range(), None);
            }
        }
    }

    /// `wa.me/<digits>` and `t.me/<handle>` links.
    pub(super) fn links(&self, text: &str, sink: &mut Sink<'_>) {
        let bytes = text.as_bytes();
        if text.contains("wa.me/") || text.contains("whatsapp.com/send") {
            for c in self.wa_link.captures_iter(text) {
                let (Some(all), Some(digits)) = (c.get(0), c.get(1)) else {
                    continue;
                };
                if before_is(bytes, all.start(), |b| b.is_ascii_alphanumeric() || b == b'.')
                    || after_is(bytes, digits.end(), |b| b.is_ascii_digit())
                {
                    continue;
                }
                let end = end_of_path(bytes, all.end());
                sink.push(
                    EntityKind::Whatsapp,
                    digits.as_str().to_string(),
                    all.start()..end,
                    None,
                );
            }
        }
        if text.contains(".me/") || text.contains(".dog/") {
            for c in self.tg_link.captures_iter(text) {
                let (Some(all), Some(handle)) = (c.get(0), c.get(1)) else {
                    continue;
                };
                if before_is(bytes, all.start(), |b| b.is_ascii_alphanumeric() || b == b'.')
                    || after_is(bytes, handle.end(), |b| b.is_ascii_alphanumeric() || b == b'_')
                    || matches!(
                        handle.as_str(),
                        "joinchat" | "share" | "addstickers" | "proxy" | "socks"
                    )
                {
                    continue;
                }
                let end = end_of_path(bytes, all.end());
                sink.push(
                    EntityKind::Telegram,
                    handle.as_str().to_string(),
                    all.start()..end,
                    None,
                );
            }
        }
    }

    /// E-mail addresses, lower case, as written when folding joined their parts.
    pub(super) fn emails(&self, text: &str, sink: &mut Sink<'_>) {
        let bytes = text.as_bytes();
        for m in self.email.find_iter(text) {
            if after_is(bytes, m.end(), |b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                continue;
            }
            // The value as written (folding may have joined `j.k.l@…` into `jkl@…`), when it is a plain address.
            let value = sink
                .original_text(m.range())
                .map(nfkc_lower)
                .filter(|v| self.email_full.is_match(v))
                .unwrap_or_else(|| m.as_str().to_string());
            sink.push(EntityKind::Email, value, m.range(), None);
        }
    }
}

/// The path and query after a link's fixed part, up to whitespace or non-ASCII.
fn end_of_path(bytes: &[u8], mut end: usize) -> usize {
    while end < bytes.len() && bytes[end].is_ascii_graphic() && !matches!(bytes[end], b'"' | b'<' | b'>') {
        end += 1;
    }
    while end > 0 && matches!(bytes[end - 1], b'.' | b',' | b';' | b':' | b'!' | b'?' | b')') {
        end -= 1;
    }
    end
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// NFKC, lower case, invisible characters removed.
fn nfkc_lower(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|&c| !is_invisible(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_paths_and_addresses() {
        assert_eq!(end_of_path(b"t.me/x/123. next", 4), 10);
        assert_eq!(end_of_path(b"wa.me/123\"", 6), 9);
        assert_eq!(end_of_path(b"wa.me/123", 9), 9);
        assert_eq!(nfkc_lower("\u{ff2c}ily\u{200b}@Gmail.com"), "lily@gmail.com");
        assert!(is_invisible('\u{feff}') && !is_invisible(' '));
    }
}
