//! WeChat PC / AliWangWang / Qianniu copies and QQ's text export (a header line with the sender and time, then the
//! text) and `Name: text` lines.
//!
//! ```text
//! 李经理 2024-01-01 10:00:00     深圳某某电子(shop123) 2024-01-01 10:00:00     2024-01-01 9:00:01 小林(28394711)     Lily: hello
//! 您好，在的                       亲，在的                                        老板早                                 Bob: hi
//! ```
//!
//! A QQ export opens with its own lines (`消息记录（此消息记录为文本格式…）`, `消息分组:…`, `消息对象:…` between rules of
//! `=`): they are kept as the app's lines.

use std::sync::LazyLock;

use regex::Regex;

use super::{Acc, Draft, DATE, TIME};

/// A Chinese-style date (`2024年3月12日`, `2024-03-12`) before a time in a header or time stamp; [`DATE`] covers
/// the other orders (`12.03.2024`).
const CN_DATE: &str = r"\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?";

/// A header line: a short name, an optional `(id)`, then an optional date and a time, optionally after a comma and
/// in brackets (a Telegram Desktop copy: `Lily, [12.03.2024 15:20]`).
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(\S.{{0,39}}?)(?:\s*[(（][^()（）]{{0,40}}[)）])?,?\s+\[?((?:(?:{CN_DATE}|{DATE}),?\s+)?{TIME})\]?\s*$"
    ))
    .expect("static regex")
});
/// A header line with the date and time first, then the name and an optional `(QQ number)` or `<e-mail>` (QQ's
/// message-manager export: `2024-03-12 9:05:01 小林(28394711)`). The date is required and the name holds no colon,
/// so that a `2024-03-12 15:20 Lily: hi` line stays a `Name: text` line.
static HEADER_TIME_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^((?:{CN_DATE}|{DATE})\s+{TIME})\s+([^\s:：][^:：]{{0,39}}?)(?:\s*[(（<][^()（）<>]{{0,60}}[)）>])?\s*$"
    ))
    .expect("static regex")
});
/// A line that is only a date and time (`Mar 15, 2026, 09:41`, `2026-03-15 09:41`, `09:41`): in a copy from a web
/// messenger (Alibaba.com's message center), the line under the sender's name.
static TIME_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:(?:{CN_DATE}|{DATE}|\p{{Lu}}\p{{Ll}}{{2,8}}\.?\s\d{{1,2}},?\s\d{{4}}|\d{{1,2}}\s\p{{Lu}}\p{{Ll}}{{2,8}}\.?\s\d{{4}}|(?i:yesterday|today)|昨天|今天),?\s+)?{TIME}$"
    ))
    .expect("static regex")
});
/// A sender's name alone on its line: short, at most four words, no sentence punctuation.
static NAME_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^\s\d:：\[【(（][^:：.!?。！？,，\[\]]{0,39}$").expect("static regex"));

/// Whether `name` then `time` are the two header lines of a web messenger's copy.
fn name_then_time(name: &str, time: &str) -> bool {
    let name = name.trim();
    NAME_ONLY.is_match(name) && name.split_whitespace().count() <= 4 && TIME_ONLY.is_match(time.trim())
}

/// The lines a QQ export starts with: its title, the group and peer lines, and the rules between them.
static QQ_PREAMBLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:={8,}|消息记录（此消息记录为文本格式.*|消息分组\s*[:：].*|消息对象\s*[:：].*)$")
        .expect("static regex")
});
static NAME_COLON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([^:：\s][^:：]{0,39}?)\s*[:：]\s?(.*)$").expect("static regex"));
/// A time stamp before the name (`2024-03-12 15:20 Lily: hi`, `[15:20] Lily: hi`, `2024/3/12 15:20:01 - Lily: hi`):
/// its own colons must not be read as the name's.
static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^\[?((?:(?:{CN_DATE}|{DATE}),?\s+)?{TIME})\]?\s*(?:-\s+)?")).expect("static regex")
});

/// A `Name: text` line, after an optional time stamp: the name is short, has at most four words and is not a URL
/// scheme. Returns the name, the text and the time as written.
pub(super) fn name_colon(line: &str) -> Option<(&str, &str, Option<&str>)> {
    let (rest, time) = match STAMP.captures(line) {
        Some(c) => (&line[c.get(0)?.end()..], c.get(1).map(|m| m.as_str())),
        None => (line, None),
    };
    let c = NAME_COLON.captures(rest)?;
    let name = c.get(1)?.as_str().trim();
    let words = name.split_whitespace().count();
    if words > 4 || name.contains('/') || matches!(name.to_ascii_lowercase().as_str(), "http" | "https") {
        return None;
    }
    Some((name, c.get(2).map_or("", |m| m.as_str()), time))
}

/// The sender and time of a header line, in either order.
fn header(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_end();
    if TIME_ONLY.is_match(line.trim()) {
        // `Mar 15, 2026, 09:41` or `Yesterday 09:41` is a time with no name.
        return None;
    }
    if let Some(c) = HEADER.captures(line) {
        return Some((c.get(1)?.as_str().trim(), c.get(2)?.as_str()));
    }
    let c = HEADER_TIME_FIRST.captures(line)?;
    Some((c.get(2)?.as_str().trim(), c.get(1)?.as_str()))
}

/// Whether a log reads as header lines: its first line (after a QQ export's own opening lines) is one, and so
/// are at least a fifth of its lines.
pub(super) fn detect(lines: &[&str]) -> bool {
    let body: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !QQ_PREAMBLE.is_match(l.trim()))
        .collect();
    let Some(first) = body.first() else {
        return false;
    };
    if header(first).is_some() && body.iter().filter(|l| header(l).is_some()).count() as f64 / body.len() as f64 >= 0.2
    {
        return true;
    }
    // Name and time on two lines of their own, then the text.
    let pairs = body.windows(2).filter(|w| name_then_time(w[0], w[1])).count();
    body.len() >= 3 && name_then_time(body[0], body[1]) && pairs >= 2 && (pairs * 2) as f64 / body.len() as f64 >= 0.3
}

/// One line of a header-format copy.
pub(super) fn header_line(acc: &mut Acc, n: usize, l: &str, out: &mut Vec<Draft>) {
    if let Some((name, time)) = header(l) {
        let d = Draft::new(n, Some(name.to_string()), Some(time.to_string()), String::new());
        acc.start(d, out);
    } else if TIME_ONLY.is_match(l.trim()) && acc.cur.as_ref().is_some_and(|d| ends_with_name(&d.text, l)) {
        // The line before was the sender's name, not the text of the message before.
        let mut prev = acc.cur.take().expect("checked above");
        let name_len = prev.text.rsplit('\n').next().map_or(0, str::len);
        let whole = prev.text.len() == name_len;
        let name = prev.text[prev.text.len() - name_len..].trim().to_string();
        prev.text.truncate(prev.text.len() - name_len);
        prev.text.truncate(prev.text.trim_end().len());
        let line = if whole && prev.sender.is_none() {
            prev.line
        } else {
            n.saturating_sub(1).max(1)
        };
        if !prev.text.is_empty() {
            out.push(prev);
        }
        acc.start(
            Draft::new(line, Some(name), Some(l.trim().to_string()), String::new()),
            out,
        );
    } else if QQ_PREAMBLE.is_match(l.trim()) {
        let mut d = Draft::new(n, None, None, l.trim().to_string());
        d.system = true;
        acc.start(d, out);
        acc.flush(out);
    } else if !l.trim().is_empty() {
        acc.push(n, l.trim_end(), false, out);
    }
}

/// Whether the message so far ends with a line that can be a sender's name, before the time line `time`.
fn ends_with_name(text: &str, time: &str) -> bool {
    text.rsplit('\n').next().is_some_and(|last| name_then_time(last, time))
}

/// One line of a `Name: text` log.
pub(super) fn name_colon_line(acc: &mut Acc, n: usize, l: &str, out: &mut Vec<Draft>) {
    if let Some((name, body, time)) = name_colon(l) {
        acc.start(
            Draft::new(
                n,
                Some(name.to_string()),
                time.map(str::to_string),
                body.trim_end().to_string(),
            ),
            out,
        );
    } else if !l.trim().is_empty() {
        acc.push(n, l.trim_end(), false, out);
    }
}
