//! An e-mail thread pasted as text: Outlook's and Gmail's reply headers, in English and Chinese, quoted replies,
//! hard-wrapped paragraphs and signature blocks.
//!
//! ```text
//! From: Amy Liu <amy@hengfa.com>             发件人: Amy Liu <amy@hengfa.com>         On Mon, Nov 2, 2026 at 4:18 PM Amy Liu <amy@hengfa.com> wrote:
//! Sent: Monday, November 2, 2026 4:18 PM     发送时间: 2026年11月2日 16:18            > Dear Sarah, our account is under audit,
//! To: purchasing@brightwear.co.uk            收件人: purchasing@brightwear.co.uk      > please remit to the account below.
//! Subject: RE: PO#4471 - balance payment     主题: 回复: PO#4471
//! ```
//!
//! - A message starts at a `From:` / `发件人:` / `寄件者:` line (the sender is the name before the address, or the
//!   address), or at a `On … <address> wrote:` / `… 写道：` line that opens a quoted reply. The header fields after
//!   `From:` (`Sent`, `Date`, `To`, `Cc`, `Subject` and their Chinese names) are read: the time is `Sent` or
//!   `Date` as written, the subject is the message's first line, the rest is left out.
//! - `>` quote marks are removed: the quoted text is the earlier message it quotes.
//! - A paragraph hard-wrapped over several lines is one line of the message (a line of 40 characters or more that
//!   the next line continues), so that a sentence is read whole; short lines (`Account No.: 741-229384`) and blank
//!   lines keep their break.
//! - The signature block, from a sign-off line (`Best regards,`, `Thanks,`, `此致`, `祝好`, `--`) to the next
//!   message, is a [`system`](super::Message::system) line: a phone number or a WeChat ID under one's name is no
//!   request to move the chat. Separator lines (`-----Original Message-----`, `---- 原始邮件 ----`, a rule of `_`)
//!   are left out.

use std::sync::LazyLock;

use regex::Regex;

use super::{Acc, Draft};

/// `From:` and its Chinese (Outlook, QQ Mail, Foxmail) and Taiwanese names.
static FROM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:from|发件人|寄件者|寄件人|發件人)\s*[:：]\s*(.*?)\s*$").expect("static regex"));
/// The other header fields of a reply block.
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(sent|date|发送时间|日期|时间|寄件日期|發送時間)|(subject|主题|主旨|主題)|to|cc|bcc|reply-to|收件人|抄送|收件者|副本|密件副本)\s*[:：]\s*(.*?)\s*$",
    )
    .expect("static regex")
});
/// Gmail's and Apple Mail's opening of a quoted reply, in English and Chinese: `On Mon, Nov 2, 2026 at 4:18 PM Amy
/// Liu <amy@x.com> wrote:`, `Amy Liu <amy@x.com> 于2026年11月2日周一 下午4:18写道：`, `在 2026年11月2日，Amy 写道：`.
static WROTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?i:on)\s.{4,200}\s(?i:wrote)\s*:|.{2,200}写道\s*[:：]|.{2,200}寫道\s*[:：])$")
        .expect("static regex")
});
/// Gmail's web-view header, first line: a name and its address alone (`Jenny Wu <jenny@x.com>`).
static GMAIL_FROM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([^<>:：@\s][^<>:：@]{0,59}?)\s*<[^<>\s@]+@[^<>\s]+>$").expect("static regex"));
/// Gmail's web-view header, second line: the time, as a short line ending in a clock time and maybe
/// `(2 days ago)` (`Mon, Mar 9, 4:30 PM (2 days ago)`, `2026年3月9日周一 下午4:30`).
static GMAIL_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^.{0,40}\d{1,2}:\d{2}(?:\s?[APap]\.?[Mm]\.?)?(?:\s*[(（][^()（）]{1,30}[)）])?$")
        .expect("static regex")
});
/// Gmail's web-view header, third line: the recipients' first names (`to me`, `to Jenny, me`, `发送至 我`).
static GMAIL_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?i:to)\s+[\p{L}.'\-]{1,30}(?:\s*,\s*[\p{L}.'\-]{1,30})*|发送至\s*.{1,60}|寄給\s*.{1,60})$")
        .expect("static regex")
});
/// A name alone on the line under a sign-off: one to four capitalised words (`Jenny Wu`, `Mary-Ann O'Neil`), or
/// two to four Chinese characters (`王丽`).
static SIGNED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\p{Lu}[\p{L}'.\-]*(?:\s\p{Lu}[\p{L}'.\-]*){0,3}|[\p{Han}·]{2,4})$").expect("static regex")
});
/// The first part of a `wrote:` opening wrapped over two lines: `On …` with a year, or `Name <address> 于…` / `在 …`.
static WRAPPED_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?i:on)\s.{4,200}(?:\d{4}|\d:\d{2}).*|.{2,200}(?:[于於]|在\s).{2,200})$").expect("static regex")
});
/// A time, a year or a comma: the name in a `wrote:` line comes after the last of these and before `<address>`.
static BEFORE_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{1,2}:\d{2}(?:\s?[APap]\.?[Mm]\.?)?|\d{4}|[,，]").expect("static regex"));
/// A `Label: value` line (`Account No.: 741-229384`, `SWIFT: HSBCHKHH`), which no wrapped line continues into.
static FIELD_LIKE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^\s:：][^:：]{0,30}[:：]\s").expect("static regex"));
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:-{2,}\s*(?i:original message|forwarded message|原始邮件|原始郵件|转发邮件|轉寄郵件)\s*-{2,}|_{8,}|-{8,})$",
    )
    .expect("static regex")
});
/// A sign-off on a line of its own; what follows, up to the next message, is the signature.
static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(?:best|kind|warm|warmest|with best)\s+regards|regards|best wishes|best|thanks(?:\s*(?:and|&)\s*(?:best\s+)?regards)?|thank you|many thanks|sincerely(?:\s+yours)?|yours\s+(?:sincerely|faithfully|truly)|cheers|br|b\.r\.|--|此致|此致敬礼|敬礼|祝好|顺祝商祺|顺颂商祺|顺祝商祺！|祝商祺|谢谢|多谢|感谢)\s*[,.!，。！]*$",
    )
    .expect("static regex")
});

/// Where the parser is within the current e-mail.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Before any header: a pasted body without headers.
    #[default]
    Body,
    /// Right after `From:`: the header fields.
    Header,
    /// After a sign-off.
    Signature,
}

/// The e-mail parser's state.
#[derive(Debug, Default)]
pub(super) struct EmailParser {
    acc: Acc,
    part: Part,
    /// The previous body line, when the next line may continue its paragraph.
    wrap: bool,
    /// A `Name <address>` line alone (line number, text, name): Gmail's header when the next line is a time.
    held: Option<(usize, String, String)>,
}

impl EmailParser {
    pub(super) fn line(&mut self, n: usize, l: &str, out: &mut Vec<Draft>) {
        // Quote marks go: quoted text is an earlier message, read like any other.
        let t = strip_quotes(l).trim();
        if let Some((hn, held, name)) = self.held.take() {
            if GMAIL_TIME.is_match(t) {
                // Gmail's web view: `Name <address>`, then the time, then `to me`.
                self.acc
                    .start(Draft::new(hn, Some(name), Some(t.to_string()), String::new()), out);
                self.part = Part::Header;
                self.wrap = false;
                return;
            }
            self.text_line(hn, &held, out);
        }
        if let Some(c) = GMAIL_FROM.captures(t) {
            self.held = Some((n, t.to_string(), c[1].trim().trim_matches(['"', '\'']).to_string()));
            return;
        }
        self.text_line(n, t, out);
    }

    /// A line once Gmail's header is ruled out.
    fn text_line(&mut self, n: usize, t: &str, out: &mut Vec<Draft>) {
        if let Some(c) = FROM.captures(t) {
            let sender = sender_of(c.get(1).map_or("", |m| m.as_str()));
            self.acc.start(Draft::new(n, sender, None, String::new()), out);
            self.part = Part::Header;
            self.wrap = false;
            return;
        }
        if WROTE.is_match(t) {
            let sender = wrote_name(t);
            self.acc.start(Draft::new(n, sender, None, String::new()), out);
            self.part = Part::Body;
            self.wrap = false;
            return;
        }
        if let Some(opening) = self.wrapped_wrote(t) {
            // Gmail wraps a long `On … <address> wrote:` line when it quotes it again: the opening went into the
            // message before as its last line; it starts the quoted message instead.
            let sender = wrote_name(&opening);
            if let Some(mut d) = self.acc.cur.take() {
                let keep = d.text.len() - d.text.rsplit('\n').next().map_or(0, str::len);
                d.text.truncate(keep);
                d.text.truncate(d.text.trim_end().len());
                if !d.text.is_empty() {
                    out.push(d);
                }
            }
            self.acc
                .start(Draft::new(n.saturating_sub(1).max(1), sender, None, String::new()), out);
            self.part = Part::Body;
            self.wrap = false;
            return;
        }
        if self.part == Part::Header {
            if GMAIL_TO.is_match(t) {
                return;
            }
            if let Some(c) = FIELD.captures(t) {
                let value = c.get(3).map_or("", |m| m.as_str());
                if let Some(d) = self.acc.cur.as_mut() {
                    if c.get(1).is_some() && d.time.is_none() && !value.is_empty() {
                        d.time = Some(value.to_string());
                    } else if c.get(2).is_some() && !value.is_empty() {
                        d.text.push_str(value);
                    }
                }
                return;
            }
            self.part = Part::Body;
        }
        if SEPARATOR.is_match(t) {
            self.wrap = false;
            return;
        }
        if t.is_empty() {
            self.wrap = false;
            return;
        }
        if self.part == Part::Body && SIGN_OFF.is_match(t) {
            self.push(n, t, false, out);
            self.part = Part::Signature;
            self.wrap = false;
            return;
        }
        if self.part == Part::Signature && !self.acc.cur.as_ref().is_some_and(|d| d.system) {
            // The signature is a message of its own, marked as no one's words, with the e-mail's sender.
            let mut sig = Draft::new(n, None, None, String::new());
            sig.system = true;
            if let Some(d) = self.acc.cur.as_mut() {
                // A body pasted without its header (the e-mail on screen, above the quoted ones) is signed: the
                // name under the sign-off is its sender.
                if d.sender.is_none() && SIGNED_NAME.is_match(t) {
                    d.sender = Some(t.to_string());
                }
            }
            sig.sender = self.acc.cur.as_ref().and_then(|d| d.sender.clone());
            self.acc.start(sig, out);
        }
        let joined = self.wrap && self.part == Part::Body && !FIELD_LIKE.is_match(t);
        self.push(n, t, joined, out);
        // A long line that is no label (`Account:`) or field may be wrapped: the next line may continue it.
        self.wrap = t.chars().count() >= 40 && !t.ends_with([':', '：']) && !FIELD_LIKE.is_match(t);
    }

    /// Appends a body line: after a space when it continues a wrapped line, else after a line break.
    fn push(&mut self, n: usize, t: &str, joined: bool, out: &mut Vec<Draft>) {
        match self.acc.cur.as_mut() {
            Some(d) if joined && !d.text.is_empty() && d.text.len() + t.len() < super::MAX_MESSAGE => {
                d.text.push(' ');
                d.text.push_str(t);
            }
            _ => self.acc.push(n, t, false, out),
        }
    }

    /// When `t` ends an `On … wrote:` opening whose start is the current message's last line, that whole opening.
    fn wrapped_wrote(&self, t: &str) -> Option<String> {
        if t.chars().count() > 60 {
            return None;
        }
        let last = self.acc.cur.as_ref()?.text.rsplit('\n').next()?;
        if !WRAPPED_START.is_match(last) {
            return None;
        }
        [" ", ""]
            .iter()
            .map(|sep| format!("{last}{sep}{t}"))
            .find(|whole| WROTE.is_match(whole))
    }

    pub(super) fn finish(&mut self, out: &mut Vec<Draft>) {
        if let Some((hn, held, _)) = self.held.take() {
            self.text_line(hn, &held, out);
        }
        self.acc.flush(out);
    }
}

/// The sender named in a `wrote:` line: the name before `<address>`, after the date and time.
fn wrote_name(line: &str) -> Option<String> {
    let before = &line[..line.find('<')?];
    let from = BEFORE_NAME.find_iter(before).last().map_or(0, |m| m.end());
    let name = before[from..].trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// `line` without its leading `>` quote marks.
fn strip_quotes(line: &str) -> &str {
    let mut s = line.trim_start();
    while let Some(rest) = s.strip_prefix('>') {
        s = rest.trim_start();
    }
    s
}

/// The sender of a `From:` value: the display name (`"Amy Liu" <amy@x.com>` → `Amy Liu`), else the address.
fn sender_of(value: &str) -> Option<String> {
    let name = match value.find('<') {
        Some(i) => {
            let name = value[..i].trim().trim_matches(['"', '\'']).trim();
            if name.is_empty() {
                value[i + 1..].trim_end_matches('>').trim()
            } else {
                name
            }
        }
        None => value.trim(),
    };
    (!name.is_empty()).then(|| name.to_string())
}

/// Whether a log reads as e-mail: a `From:` line followed within five lines by another header field, or a
/// `wrote:` line followed by quoted lines.
pub(super) fn detect(lines: &[&str]) -> bool {
    lines.iter().enumerate().any(|(i, l)| {
        let next = || lines.iter().skip(i + 1).take(5);
        let t = strip_quotes(l).trim();
        (FROM.is_match(t) && next().any(|m| FIELD.is_match(strip_quotes(m).trim())))
            || (WROTE.is_match(t) && next().any(|m| m.trim_start().starts_with('>')))
            || (GMAIL_FROM.is_match(t)
                && lines
                    .get(i + 1)
                    .is_some_and(|m| GMAIL_TIME.is_match(strip_quotes(m).trim())))
            || (WRAPPED_START.is_match(t)
                && lines
                    .get(i + 1)
                    .is_some_and(|m| WROTE.is_match(&format!("{t} {}", strip_quotes(m).trim())))
                && next().skip(1).any(|m| m.trim_start().starts_with('>')))
    })
}

#[cfg(test)]
mod tests {
    use super::super::{parse, InputFormat, Message};

    fn view(m: &[Message]) -> Vec<(Option<&str>, Option<&str>, &str, bool)> {
        m.iter()
            .map(|m| (m.sender.as_deref(), m.time.as_deref(), m.text.as_str(), m.system))
            .collect()
    }

    #[test]
    fn outlook_thread_with_wrapped_paragraphs_and_a_signature() {
        let log = "From: Amy Liu <amy.liu@hengfa.com>\n\
                   Sent: Monday, November 2, 2026 4:18 PM\n\
                   To: purchasing@brightwear.co.uk\n\
                   Subject: RE: PO#4471 - balance payment\n\
                   \n\
                   Dear Sarah,\n\
                   \n\
                   Kindly note that our company bank account is under annual audit and\n\
                   can not receive foreign currency. Please remit the balance to our\n\
                   new account below:\n\
                   \n\
                   Beneficiary: HENGFA GLOBAL TRADING LIMITED\n\
                   Account No.: 741-229384-838\n\
                   \n\
                   Best regards,\n\
                   Amy Liu\n\
                   Tel: +86 571 8888 2345\n\
                   \n\
                   -----Original Message-----\n\
                   From: Sarah Green <sarah@brightwear.co.uk>\n\
                   Sent: Friday, October 30, 2026 9:02 AM\n\
                   Subject: PO#4471 - balance payment\n\
                   \n\
                   Hi Amy, is the order ready?\n";
        let m = parse(log, InputFormat::Auto);
        assert_eq!(
            view(&m),
            [
                (
                    Some("Amy Liu"),
                    Some("Monday, November 2, 2026 4:18 PM"),
                    "RE: PO#4471 - balance payment\nDear Sarah,\nKindly note that our company bank account is under \
                     annual audit and can not receive foreign currency. Please remit the balance to our new account \
                     below:\nBeneficiary: HENGFA GLOBAL TRADING LIMITED\nAccount No.: 741-229384-838\nBest regards,",
                    false
                ),
                (Some("Amy Liu"), None, "Amy Liu\nTel: +86 571 8888 2345", true),
                (
                    Some("Sarah Green"),
                    Some("Friday, October 30, 2026 9:02 AM"),
                    "PO#4471 - balance payment\nHi Amy, is the order ready?",
                    false
                ),
            ]
        );
        assert_eq!((m[0].line, m[1].line, m[2].line), (1, 16, 20));
        assert_eq!((m[0].index, m[2].index), (0, 1));
    }

    #[test]
    fn chinese_outlook_headers_and_gmail_quotes() {
        let log =
            "发件人: 王经理 <wang@abc.cn>\n发送时间: 2026年11月2日 16:18\n收件人: tom@x.com\n主题: 回复: 付款\n\n\
                   汤姆你好，公司账户在年审，这次请付到我们香港公司账户。\n\n\
                   On Mon, Nov 2, 2026 at 4:18 PM Tom Baker <tom@x.com> wrote:\n\
                   > Hi, can I pay by Trade Assurance as usual?\n\
                   > Thanks\n";
        let m = parse(log, InputFormat::Auto);
        assert_eq!(
            view(&m),
            [
                (
                    Some("王经理"),
                    Some("2026年11月2日 16:18"),
                    "回复: 付款\n汤姆你好，公司账户在年审，这次请付到我们香港公司账户。",
                    false
                ),
                (
                    Some("Tom Baker"),
                    None,
                    "Hi, can I pay by Trade Assurance as usual?\nThanks",
                    false
                ),
            ]
        );
    }

    /// Gmail quotes a quote again with its `On … wrote:` wrapped over two lines; the body on screen, pasted
    /// without its header, is signed by its sender.
    #[test]
    fn wrapped_wrote_opening_and_a_signed_body_without_header() {
        let log = "Hi Peter,\n\nOur account is frozen, kindly pay to the new account below.\n\n\
                   Best regards,\nJenny Wu\nExport Dept.\n\n\
                   On Mon, Mar 9, 2026 at 4:12 PM Peter Hall <peter@hall.co.uk> wrote:\n\n\
                   > Hi Jenny,\n> We will pay the usual account.\n>\n> Regards,\n> Peter\n>\n\
                   > On Mon, Mar 9, 2026 at 10:03 AM Jenny Wu <jenny.wu@sunrise-houseware.com>\n> wrote:\n>\n\
                   >> Dear Peter,\n>> The goods are finished, the balance is due before loading.\n";
        let m = parse(log, InputFormat::Auto);
        assert_eq!(
            view(&m),
            [
                (
                    Some("Jenny Wu"),
                    None,
                    "Hi Peter,\nOur account is frozen, kindly pay to the new account below.\nBest regards,",
                    false
                ),
                (Some("Jenny Wu"), None, "Jenny Wu\nExport Dept.", true),
                (
                    Some("Peter Hall"),
                    None,
                    "Hi Jenny,\nWe will pay the usual account.\nRegards,",
                    false
                ),
                (Some("Peter Hall"), None, "Peter", true),
                (
                    Some("Jenny Wu"),
                    None,
                    "Dear Peter,\nThe goods are finished, the balance is due before loading.",
                    false
                ),
            ]
        );
        assert_eq!(m[4].line, 17);
        // A capitalised line that is no name, or a sentence, under a sign-off names no one.
        let m = parse(
            "Please pay the usual account.\n\nThanks,\nthe sales team\n\nOn Mon, Mar 9, 2026 at 4:12 PM Tom <t@x.com> wrote:\n> ok\n",
            InputFormat::Auto,
        );
        assert_eq!(m[0].sender, None);
    }

    /// A thread copied from Gmail's web view: `Name <address>`, the time, `to me`, then the body.
    #[test]
    fn gmail_web_view_copy() {
        let log = "Jenny Wu <jenny@sunrise.com>\nMon, Mar 9, 4:30 PM (2 days ago)\nto me\n\nHi Peter,\n\n\
                   Our HSBC account is frozen due to the audit, kindly pay the balance to our\n\
                   new account in Hong Kong today.\n\nBest regards,\nJenny\nJenny Wu <jenny@sunrise.com>\n\
                   Export Dept.\n\nPeter Hall <peter@hall.co.uk>\n9 Mar 2026, 17:02\nto Jenny, me\n\n\
                   To whom it may concern: why a new account?\n";
        let m = parse(log, InputFormat::Auto);
        assert_eq!(
            view(&m),
            [
                (
                    Some("Jenny Wu"),
                    Some("Mon, Mar 9, 4:30 PM (2 days ago)"),
                    "Hi Peter,\nOur HSBC account is frozen due to the audit, kindly pay the balance to our new \
                     account in Hong Kong today.\nBest regards,",
                    false
                ),
                (
                    Some("Jenny Wu"),
                    None,
                    "Jenny\nJenny Wu <jenny@sunrise.com>\nExport Dept.",
                    true
                ),
                (
                    Some("Peter Hall"),
                    Some("9 Mar 2026, 17:02"),
                    "To whom it may concern: why a new account?",
                    false
                ),
            ]
        );
        assert_eq!((m[0].line, m[2].line), (1, 15));
    }

    #[test]
    fn not_email() {
        for log in [
            "From: Lily\nhi there",
            "Lily: from: the factory\nBob: to: you",
            "Subject: price\nTo: all",
            "on monday he wrote: ok",
        ] {
            assert_ne!(super::super::detect(log.lines()), InputFormat::Email, "{log:?}");
        }
    }
}
