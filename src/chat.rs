//! Parsing pasted chat logs into messages with senders and times.
//!
//! Formats, detected automatically by [`InputFormat::Auto`]:
//!
//! - WhatsApp exports: Android `12/01/2024, 10:15 - Name: text` and iOS `[01/12/2024, 10:15:32] Name: text`;
//!   lines without a date continue the previous message; system lines (no `Name:`) have no sender.
//! - WeChat PC / AliWangWang / Qianniu copies: a header line `Name 2024-01-01 10:00:00`, `Name 10:00` or
//!   `Name(id) 2024-01-01 10:00:00`, then the message's text lines.
//! - `Name: text` lines (continuation lines join the previous message).
//! - Plain lines: one message per non-empty line.
//!
//! ```
//! use redflag::chat::{parse, InputFormat};
//!
//! let log = "Lily: hello\nLily: add my wechat lily_88\nBob: ok";
//! let messages = parse(log, InputFormat::Auto);
//! assert_eq!(messages.len(), 3);
//! assert_eq!(messages[1].sender.as_deref(), Some("Lily"));
//! assert_eq!(messages[1].text, "add my wechat lily_88");
//! ```

use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;

/// One message of a chat log.
///
/// # Example
///
/// ```
/// let m = &redflag::chat::parse("hello there", redflag::chat::InputFormat::Plain)[0];
/// assert_eq!((m.index, m.line, m.text.as_str()), (0, 1, "hello there"));
/// assert!(m.sender.is_none() && m.time.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Position in the log, from 0.
    pub index: usize,
    /// 1-based line of the message's first line in the input.
    pub line: usize,
    /// The sender's name, when the format has one.
    pub sender: Option<String>,
    /// The time as written, when the format has one.
    pub time: Option<String>,
    /// The message text; lines of a multi-line message are joined with `\n`.
    pub text: String,
}

/// The layout of a chat log.
///
/// # Example
///
/// ```
/// use redflag::chat::InputFormat;
/// assert_eq!("whatsapp".parse::<InputFormat>().unwrap(), InputFormat::WhatsApp);
/// assert!("fax".parse::<InputFormat>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Detect from the first lines.
    Auto,
    /// Every line is one message, empty lines included; no senders.
    Lines,
    /// WhatsApp export (Android or iOS).
    WhatsApp,
    /// WeChat PC / AliWangWang / Qianniu copy: header line with name and time, then text lines.
    Header,
    /// `Name: text` lines.
    NameColon,
    /// One message per non-empty line.
    Plain,
}

impl FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "auto" => InputFormat::Auto,
            "lines" => InputFormat::Lines,
            "whatsapp" => InputFormat::WhatsApp,
            "wechat" | "wangwang" | "qianniu" | "header" => InputFormat::Header,
            "name" | "name-colon" => InputFormat::NameColon,
            "plain" => InputFormat::Plain,
            _ => {
                return Err(format!(
                "unknown input format {s:?} (expected auto, lines, whatsapp, wechat, wangwang, qianniu, name, plain)"
            ))
            }
        })
    }
}

const DATE: &str = r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}";
const TIME: &str = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[APap]\.?[Mm]\.?)?";

static WA_ANDROID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\u{{200e}}?({DATE}),?\s+({TIME})\s+-\s+(.*)$")).expect("static regex"));
static WA_IOS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\u{{200e}}?\[({DATE}),?\s+({TIME})\]\s+(.*)$")).expect("static regex"));
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(\S.{{0,39}}?)(?:\s*[(（][^()（）]{{0,40}}[)）])?\s+((?:\d{{4}}[-/年]\d{{1,2}}[-/月]\d{{1,2}}日?\s+)?{TIME})\s*$"
    ))
    .expect("static regex")
});
static NAME_COLON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([^:：\s][^:：]{0,39}?)\s*[:：]\s?(.*)$").expect("static regex"));

/// Parses a chat log. Never fails: a log that fits no format is read as plain lines.
///
/// # Example
///
/// ```
/// use redflag::chat::{parse, InputFormat};
///
/// let log = "12/01/2024, 10:15 - Lily: hi\nsecond line\n12/01/2024, 10:16 - Bob: ok";
/// let m = parse(log, InputFormat::Auto);
/// assert_eq!(m.len(), 2);
/// assert_eq!(m[0].text, "hi\nsecond line");
/// assert_eq!(m[0].time.as_deref(), Some("12/01/2024 10:15"));
/// ```
pub fn parse(text: &str, format: InputFormat) -> Vec<Message> {
    let format = match format {
        InputFormat::Auto => detect(text),
        f => f,
    };
    let lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let mut out: Vec<Message> = Vec::new();
    let mut push = |line: usize, sender: Option<String>, time: Option<String>, mut text: String| {
        // Blank continuation lines at the end of a message belong to no one.
        if format != InputFormat::Lines {
            text.truncate(text.trim_end_matches(['\n', ' ', '\t']).len());
        }
        out.push(Message {
            index: out.len(),
            line,
            sender,
            time,
            text,
        });
    };
    match format {
        InputFormat::Lines => {
            let n = text.split('\n').count() - usize::from(text.ends_with('\n') || text.is_empty());
            for (i, l) in lines.take(n).enumerate() {
                push(i + 1, None, None, l.to_string());
            }
        }
        InputFormat::Plain | InputFormat::Auto => {
            for (i, l) in lines.enumerate() {
                if !l.trim().is_empty() {
                    push(i + 1, None, None, l.trim_end().to_string());
                }
            }
        }
        InputFormat::WhatsApp => {
            let mut cur: Option<(usize, Option<String>, Option<String>, String)> = None;
            for (i, l) in lines.enumerate() {
                let caps = WA_ANDROID.captures(l).or_else(|| WA_IOS.captures(l));
                if let Some(c) = caps {
                    if let Some((ln, s, t, x)) = cur.take() {
                        push(ln, s, t, x);
                    }
                    let time = format!("{} {}", &c[1], &c[2]);
                    let rest = &c[3];
                    let (sender, body) = match rest.split_once(": ") {
                        Some((name, body)) if name.chars().count() <= 40 => (Some(name.trim().to_string()), body),
                        _ => (None, rest),
                    };
                    cur = Some((i + 1, sender, Some(time), body.to_string()));
                } else if let Some((_, _, _, x)) = &mut cur {
                    x.push('\n');
                    x.push_str(l);
                } else if !l.trim().is_empty() {
                    cur = Some((i + 1, None, None, l.to_string()));
                }
            }
            if let Some((ln, s, t, x)) = cur {
                push(ln, s, t, x);
            }
        }
        InputFormat::Header => {
            let mut cur: Option<(usize, Option<String>, Option<String>, String)> = None;
            for (i, l) in lines.enumerate() {
                if let Some(c) = HEADER.captures(l.trim_end()) {
                    if let Some((ln, s, t, x)) = cur.take() {
                        push(ln, s, t, x);
                    }
                    cur = Some((
                        i + 1,
                        Some(c[1].trim().to_string()),
                        Some(c[2].to_string()),
                        String::new(),
                    ));
                } else if l.trim().is_empty() {
                    continue;
                } else if let Some((_, _, _, x)) = &mut cur {
                    if !x.is_empty() {
                        x.push('\n');
                    }
                    x.push_str(l.trim_end());
                } else {
                    cur = Some((i + 1, None, None, l.trim_end().to_string()));
                }
            }
            if let Some((ln, s, t, x)) = cur {
                push(ln, s, t, x);
            }
        }
        InputFormat::NameColon => {
            let mut cur: Option<(usize, Option<String>, String)> = None;
            for (i, l) in lines.enumerate() {
                if let Some(c) = name_colon(l) {
                    if let Some((ln, s, x)) = cur.take() {
                        push(ln, s, None, x);
                    }
                    cur = Some((i + 1, Some(c.0.to_string()), c.1.trim_end().to_string()));
                } else if l.trim().is_empty() {
                    continue;
                } else if let Some((_, _, x)) = &mut cur {
                    x.push('\n');
                    x.push_str(l.trim_end());
                } else {
                    cur = Some((i + 1, None, l.trim_end().to_string()));
                }
            }
            if let Some((ln, s, x)) = cur {
                push(ln, s, None, x);
            }
        }
    }
    out
}

/// A `Name: text` line: the name is short, has at most four words and is not a URL scheme.
fn name_colon(line: &str) -> Option<(&str, &str)> {
    let c = NAME_COLON.captures(line)?;
    let name = c.get(1)?.as_str().trim();
    let words = name.split_whitespace().count();
    if words > 4 || name.contains('/') || matches!(name.to_ascii_lowercase().as_str(), "http" | "https") {
        return None;
    }
    Some((name, c.get(2).map_or("", |m| m.as_str())))
}

/// Picks a format from the first 200 non-empty lines.
fn detect(text: &str) -> InputFormat {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .take(200)
        .collect();
    if lines.is_empty() {
        return InputFormat::Plain;
    }
    let n = lines.len() as f64;
    let share = |f: &dyn Fn(&str) -> bool| lines.iter().filter(|l| f(l)).count() as f64 / n;
    if share(&|l| WA_ANDROID.is_match(l) || WA_IOS.is_match(l)) >= 0.3 {
        return InputFormat::WhatsApp;
    }
    if HEADER.is_match(lines[0]) && share(&|l| HEADER.is_match(l)) >= 0.2 {
        return InputFormat::Header;
    }
    let names: Vec<&str> = lines.iter().filter_map(|l| name_colon(l).map(|c| c.0)).collect();
    let mut distinct = names.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if names.len() as f64 / n >= 0.6 && distinct.len() <= 12 && (distinct.len() < names.len() || names.len() == 1) {
        return InputFormat::NameColon;
    }
    InputFormat::Plain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn senders(m: &[Message]) -> Vec<Option<&str>> {
        m.iter().map(|m| m.sender.as_deref()).collect()
    }

    #[test]
    fn whatsapp_android_and_ios() {
        let log = "12/01/2024, 10:15 - Messages are end-to-end encrypted.\n\
                   12/01/2024, 10:15 - Lily: hi\n12/01/2024, 10:16 - Bob: pay where?\nsecond\n";
        let m = parse(log, InputFormat::Auto);
        assert_eq!(senders(&m), [None, Some("Lily"), Some("Bob")]);
        assert_eq!(m[2].text, "pay where?\nsecond");
        let ios = "[01/12/2024, 10:15:32] Lily: hi\n[01/12/2024, 10:16:01] Bob: ok";
        let m = parse(ios, InputFormat::Auto);
        assert_eq!(senders(&m), [Some("Lily"), Some("Bob")]);
        assert_eq!(m[1].time.as_deref(), Some("01/12/2024 10:16:01"));
    }

    #[test]
    fn wechat_and_wangwang_headers() {
        let log = "李经理 2024-01-01 10:00:00\n您好\n加我微信\n\nBuyer 2024-01-01 10:01:00\nok\n";
        let m = parse(log, InputFormat::Auto);
        assert_eq!(senders(&m), [Some("李经理"), Some("Buyer")]);
        assert_eq!(m[0].text, "您好\n加我微信");
        let ww = "深圳某某电子(shop123) 2024-01-01 10:00:00\n亲，在的\n";
        let m = parse(ww, InputFormat::Auto);
        assert_eq!(senders(&m), [Some("深圳某某电子")]);
        let short = "Lily 10:00\nhi\nMe 10:01\nhello";
        assert_eq!(senders(&parse(short, InputFormat::Auto)), [Some("Lily"), Some("Me")]);
    }

    #[test]
    fn name_colon_and_plain() {
        let log = "Lily: hi\nBob: hello\nLily: see https://x.com\nmore";
        let m = parse(log, InputFormat::Auto);
        assert_eq!(senders(&m), [Some("Lily"), Some("Bob"), Some("Lily")]);
        assert_eq!(m[2].text, "see https://x.com\nmore");
        let plain = "Price: $2\nhello world\nhttps://a.com\n";
        let m = parse(plain, InputFormat::Auto);
        assert_eq!(m.len(), 3);
        assert!(m.iter().all(|m| m.sender.is_none()));
    }

    #[test]
    fn lines_keeps_empty_lines() {
        let m = parse("a\n\nb\n", InputFormat::Lines);
        assert_eq!(m.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(), ["a", "", "b"]);
        assert_eq!(m[2].line, 3);
        assert!(parse("", InputFormat::Lines).is_empty());
    }
}
