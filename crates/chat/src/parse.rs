//! Parsing pasted chat logs into messages with senders and times.
//!
//! Formats, detected automatically by [`InputFormat::Auto`]:
//!
//! - WhatsApp exports: Android `12/01/2024, 10:15 - Name: text` and iOS `[01/12/2024, 10:15:32] Name: text`;
//!   lines without a date continue the previous message; the app's own lines (no `Name:`, media and deleted-message
//!   placeholders, the encryption notice, in English and Chinese) are marked [`Message::system`].
//! - WeChat PC / AliWangWang / Qianniu copies: a header line `Name 2024-01-01 10:00:00`, `Name 10:00` or
//!   `Name(id) 2024-01-01 10:00:00`, then the message's text lines.
//! - `Name: text` lines (continuation lines join the previous message).
//! - Plain lines: one message per non-empty line.
//!
//! ```
//! use redflag_chat::{parse, InputFormat};
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
/// let m = &redflag_chat::parse("hello there", redflag_chat::InputFormat::Plain)[0];
/// assert_eq!((m.index, m.line, m.text.as_str()), (0, 1, "hello there"));
/// assert!(m.sender.is_none() && m.time.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Position among the people's messages of the log, from 0. A system line (see [`Message::system`]) has the
    /// index the next message will get: system lines are not counted.
    pub index: usize,
    /// 1-based line of the message's first line in the input.
    pub line: usize,
    /// The sender's name, when the format has one.
    pub sender: Option<String>,
    /// The time as written, when the format has one.
    pub time: Option<String>,
    /// The message text; lines of a multi-line message are joined with `\n`.
    pub text: String,
    /// A line the chat app wrote, not a person: WhatsApp's end-to-end encryption notice, media or sticker
    /// placeholders, deleted messages, missed calls, security-code changes, joins and leaves, in English and
    /// Chinese. Not a message to scan: the `scan` CLI leaves these out of the conversation.
    pub system: bool,
}

/// The layout of a chat log.
///
/// # Example
///
/// ```
/// use redflag_chat::InputFormat;
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
/// A time of day: 24-hour, or 12-hour with AM/PM after it (recent iOS exports put a narrow no-break space before
/// it, which `\s` covers) or a Chinese / Japanese half-day word before it (`下午3:15`, `午後3:15`).
const TIME: &str =
    r"(?:(?:上午|下午|凌晨|中午|晚上|早上|午前|午後)\s?)?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[APap]\.?[Mm]\.?)?";

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
/// use redflag_chat::{parse, InputFormat};
///
/// let log = "12/01/2024, 10:15 - Lily: hi\nsecond line\n12/01/2024, 10:16 - Bob: ok";
/// let m = parse(log, InputFormat::Auto);
/// assert_eq!(m.len(), 2);
/// assert_eq!(m[0].text, "hi\nsecond line");
/// assert_eq!(m[0].time.as_deref(), Some("12/01/2024 10:15"));
/// ```
pub fn parse(text: &str, format: InputFormat) -> Vec<Message> {
    let format = match format {
        InputFormat::Auto => detect(text.lines()),
        f => f,
    };
    let mut parser = Parser::new(format);
    let mut out = Vec::new();
    // `Lines` keeps empty lines, but not the empty string after a final newline.
    let n = text.split('\n').count() - usize::from(text.ends_with('\n') || text.is_empty());
    for (i, l) in text.split('\n').take(n).enumerate() {
        out.extend(parser.line(i + 1, l.strip_suffix('\r').unwrap_or(l)));
    }
    out.extend(parser.finish());
    out
}

/// Largest message text kept in one piece; longer runs of continuation lines are cut into several messages, so
/// memory stays bounded on any input.
const MAX_MESSAGE: usize = 4 << 20;

/// Line-by-line parser for one format: feed lines in order, get messages as they complete.
#[derive(Debug)]
struct Parser {
    format: InputFormat,
    next_index: usize,
    cur: Option<Pending>,
}

/// Texts WhatsApp writes in place of a message (exports in English and Chinese, Android and iOS), compared after
/// removing the invisible marks iOS puts before them and lowercasing.
const PLACEHOLDERS: &[&str] = &[
    "<media omitted>",
    "image omitted",
    "video omitted",
    "audio omitted",
    "sticker omitted",
    "gif omitted",
    "document omitted",
    "contact card omitted",
    "this message was deleted",
    "you deleted this message",
    "missed voice call",
    "missed video call",
    "missed group voice call",
    "missed group video call",
    "null",
    "waiting for this message. this may take a while.",
    "<省略影音内容>",
    "<媒体文件已省略>",
    "<媒體已略去>",
    "图片已省略",
    "视频已省略",
    "音频已省略",
    "贴图已省略",
    "文档已省略",
    "图像已忽略",
    "此消息已删除",
    "你删除了此消息",
    "您删除了此消息",
    "此訊息已刪除",
    "你已刪除此訊息",
    "未接语音通话",
    "未接视频通话",
    "未接來電",
    "语音通话未接",
];

/// Beginnings of WhatsApp's system notices, which iOS exports sometimes write with the chat's name as sender.
const NOTICES: &[&str] = &[
    "messages and calls are end-to-end encrypted",
    "messages to this group are now secured with end-to-end",
    "your security code with",
    "this chat is with a business account",
    "this business uses a secure service",
    "disappearing messages",
    "you blocked this contact",
    "you unblocked this contact",
    "<attached:",
    "消息和通话已进行端到端加密",
    "訊息和通話已進行端對端加密",
    "訊息和通話均經端對端加密",
    "与您的安全码已更改",
    "的安全代码已更改",
    "这是与企业账号的聊天",
    "這是與商業帳號的對話",
    "<附件：",
];

/// Whether a WhatsApp line is the app's rather than a person's: a dated line without a `Name:` part, a placeholder
/// for media or a deleted message, or a system notice.
fn is_system_line(sender: Option<&str>, dated: bool, text: &str) -> bool {
    let t = text
        .trim_start_matches(['\u{200e}', '\u{200f}', '\u{202a}', '\u{202c}', ' '])
        .trim_end();
    if dated && sender.is_none() {
        return true;
    }
    let lower = t.to_lowercase();
    PLACEHOLDERS.contains(&lower.as_str())
        || NOTICES.iter().any(|n| lower.starts_with(n))
        || (lower.ends_with(" omitted") && lower.len() < 40)
}

#[derive(Debug)]
struct Pending {
    line: usize,
    sender: Option<String>,
    time: Option<String>,
    text: String,
}

impl Parser {
    fn new(format: InputFormat) -> Parser {
        Parser {
            format,
            next_index: 0,
            cur: None,
        }
    }

    fn emit(&mut self, p: Pending) -> Message {
        let mut text = p.text;
        if self.format != InputFormat::Lines {
            // Blank continuation lines at the end of a message belong to no one.
            text.truncate(text.trim_end_matches(['\n', ' ', '\t']).len());
        }
        let system =
            self.format == InputFormat::WhatsApp && is_system_line(p.sender.as_deref(), p.time.is_some(), &text);
        let index = self.next_index;
        if !system {
            self.next_index += 1;
        }
        Message {
            index,
            line: p.line,
            sender: p.sender,
            time: p.time,
            text,
            system,
        }
    }

    /// Starts a new message, returning the one it completes.
    fn start(&mut self, line: usize, sender: Option<String>, time: Option<String>, text: String) -> Option<Message> {
        let done = self.cur.take().map(|p| self.emit(p));
        self.cur = Some(Pending {
            line,
            sender,
            time,
            text,
        });
        done
    }

    /// Appends a continuation line (or starts a sender-less message), returning a message cut at the size cap.
    fn continue_with(&mut self, line: usize, l: &str, sep_when_empty: bool) -> Option<Message> {
        match &mut self.cur {
            Some(p) if p.text.len() + l.len() < MAX_MESSAGE => {
                if sep_when_empty || !p.text.is_empty() {
                    p.text.push('\n');
                }
                p.text.push_str(l);
                None
            }
            _ => self.start(line, None, None, l.to_string()),
        }
    }

    /// Feeds one line (without its line break); returns a message when one is complete.
    fn line(&mut self, n: usize, l: &str) -> Option<Message> {
        match self.format {
            InputFormat::Lines => {
                let p = Pending {
                    line: n,
                    sender: None,
                    time: None,
                    text: l.to_string(),
                };
                Some(self.emit(p))
            }
            InputFormat::Plain | InputFormat::Auto => {
                if l.trim().is_empty() {
                    return None;
                }
                let p = Pending {
                    line: n,
                    sender: None,
                    time: None,
                    text: l.trim_end().to_string(),
                };
                Some(self.emit(p))
            }
            InputFormat::WhatsApp => {
                if let Some(c) = WA_ANDROID.captures(l).or_else(|| WA_IOS.captures(l)) {
                    let time = format!("{} {}", &c[1], &c[2]);
                    let rest = &c[3];
                    let (sender, body) = match rest.split_once(": ") {
                        Some((name, body)) if name.chars().count() <= 40 => (Some(name.trim().to_string()), body),
                        _ => (None, rest),
                    };
                    self.start(n, sender, Some(time), body.to_string())
                } else if self.cur.is_some() {
                    self.continue_with(n, l, true)
                } else if !l.trim().is_empty() {
                    self.start(n, None, None, l.to_string())
                } else {
                    None
                }
            }
            InputFormat::Header => {
                if let Some(c) = HEADER.captures(l.trim_end()) {
                    self.start(n, Some(c[1].trim().to_string()), Some(c[2].to_string()), String::new())
                } else if l.trim().is_empty() {
                    None
                } else {
                    self.continue_with(n, l.trim_end(), false)
                }
            }
            InputFormat::NameColon => {
                if let Some((name, body)) = name_colon(l) {
                    self.start(n, Some(name.to_string()), None, body.trim_end().to_string())
                } else if l.trim().is_empty() {
                    None
                } else {
                    self.continue_with(n, l.trim_end(), true)
                }
            }
        }
    }

    /// The last message, when there is one.
    fn finish(&mut self) -> Option<Message> {
        self.cur.take().map(|p| self.emit(p))
    }
}

/// Reads a chat log from any [`BufRead`](std::io::BufRead) as a stream of messages, with memory bounded by the longest message
/// (cut at 4 MiB). The format is detected from the first 200 non-empty lines. Invalid UTF-8 is replaced with
/// U+FFFD; [`ChatReader::lossy`] tells whether that happened.
///
/// # Example
///
/// ```
/// use redflag_chat::{ChatReader, InputFormat};
///
/// let log = "Lily: hello\nLily: add my wechat\nBob: no thanks\n";
/// let mut reader = ChatReader::new(log.as_bytes(), InputFormat::Auto);
/// let first = reader.next().unwrap()?;
/// assert_eq!(first.sender.as_deref(), Some("Lily"));
/// assert_eq!(reader.count(), 2);
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct ChatReader<R> {
    input: R,
    parser: Option<Parser>,
    requested: InputFormat,
    /// Lines read for format detection, not yet parsed: (line number, text).
    pending: std::collections::VecDeque<(usize, String)>,
    ready: std::collections::VecDeque<Message>,
    line_no: usize,
    buf: Vec<u8>,
    eof: bool,
    lossy: bool,
}

impl<R: std::io::BufRead> ChatReader<R> {
    /// A reader over `input` in the given format ([`InputFormat::Auto`] detects it).
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag_chat::ChatReader::new(&b"hi"[..], redflag_chat::InputFormat::Plain);
    /// assert_eq!(r.map(|m| m.unwrap().text).collect::<Vec<_>>(), ["hi"]);
    /// ```
    pub fn new(input: R, format: InputFormat) -> ChatReader<R> {
        ChatReader {
            input,
            parser: None,
            requested: format,
            pending: Default::default(),
            ready: Default::default(),
            line_no: 0,
            buf: Vec::new(),
            eof: false,
            lossy: false,
        }
    }

    /// Whether invalid UTF-8 has been replaced so far.
    ///
    /// # Example
    ///
    /// ```
    /// let mut r = redflag_chat::ChatReader::new(&b"ok\xff\n"[..], redflag_chat::InputFormat::Plain);
    /// let _ = r.next();
    /// assert!(r.lossy());
    /// ```
    pub fn lossy(&self) -> bool {
        self.lossy
    }

    /// The next line without its line break, or `None` at the end.
    fn read_line(&mut self) -> std::io::Result<Option<(usize, String)>> {
        if self.eof {
            return Ok(None);
        }
        self.buf.clear();
        if self.input.read_until(b'\n', &mut self.buf)? == 0 {
            self.eof = true;
            return Ok(None);
        }
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        self.line_no += 1;
        let text = match String::from_utf8(std::mem::take(&mut self.buf)) {
            Ok(t) => t,
            Err(e) => {
                self.lossy = true;
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        Ok(Some((self.line_no, text)))
    }

    fn parser(&mut self) -> std::io::Result<&mut Parser> {
        if self.parser.is_none() {
            let format = match self.requested {
                InputFormat::Auto => {
                    // Buffer up to 200 non-empty lines to detect the format.
                    let mut non_empty = 0;
                    while non_empty < 200 {
                        match self.read_line()? {
                            Some((n, l)) => {
                                non_empty += usize::from(!l.trim().is_empty());
                                self.pending.push_back((n, l));
                            }
                            None => break,
                        }
                    }
                    detect(self.pending.iter().map(|(_, l)| l.as_str()))
                }
                f => f,
            };
            self.parser = Some(Parser::new(format));
        }
        Ok(self.parser.as_mut().expect("set above"))
    }
}

impl<R: std::io::BufRead> Iterator for ChatReader<R> {
    type Item = std::io::Result<Message>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(m) = self.ready.pop_front() {
                return Some(Ok(m));
            }
            if let Err(e) = self.parser() {
                return Some(Err(e));
            }
            let next = match self.pending.pop_front() {
                Some(l) => Some(l),
                None => match self.read_line() {
                    Ok(l) => l,
                    Err(e) => return Some(Err(e)),
                },
            };
            let parser = self.parser.as_mut().expect("created above");
            match next {
                Some((n, l)) => self.ready.extend(parser.line(n, &l)),
                None => return parser.finish().map(Ok),
            }
        }
    }
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
fn detect<'a>(lines: impl Iterator<Item = &'a str>) -> InputFormat {
    let lines: Vec<&str> = lines
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
    fn reader_matches_parse_on_every_format() {
        let logs = [
            "12/01/2024, 10:15 - Lily: hi\nmore\n12/01/2024, 10:16 - Bob: ok\n",
            "[01/12/2024, 10:15:32] Lily: hi\n[01/12/2024, 10:16:01] Bob: ok",
            "李经理 2024-01-01 10:00:00\n您好\n\n加我微信\nBuyer 2024-01-01 10:01:00\nok\n",
            "Lily: hi\nBob: hello\nLily: more\n  and more\n",
            "just\n\nplain lines\n",
        ];
        for log in logs {
            for f in [InputFormat::Auto, InputFormat::Lines, InputFormat::Plain] {
                let streamed: Vec<Message> = ChatReader::new(log.as_bytes(), f).map(Result::unwrap).collect();
                assert_eq!(streamed, parse(log, f), "{f:?} {log:?}");
            }
        }
    }

    #[test]
    fn long_messages_are_cut_to_bound_memory() {
        let line = "x".repeat(1 << 20);
        let log = format!("Lily: start\n{}", format!("{line}\n").repeat(6));
        let m: Vec<Message> = ChatReader::new(log.as_bytes(), InputFormat::NameColon)
            .map(Result::unwrap)
            .collect();
        assert!(m.len() >= 2);
        assert!(m.iter().all(|m| m.text.len() <= MAX_MESSAGE));
    }

    #[test]
    fn lines_keeps_empty_lines() {
        let m = parse("a\n\nb\n", InputFormat::Lines);
        assert_eq!(m.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(), ["a", "", "b"]);
        assert_eq!(m[2].line, 3);
        assert!(parse("", InputFormat::Lines).is_empty());
    }

    #[test]
    fn whatsapp_system_lines_are_marked_and_not_counted() {
        let table: &[(&str, bool)] = &[
            (
                "12/03/2025, 10:00 - Messages and calls are end-to-end encrypted. Tap to learn more.",
                true,
            ),
            (
                "[12/03/2025, 10:00:01] Kelly Chen: \u{200e}Messages and calls are end-to-end encrypted.",
                true,
            ),
            ("12/03/2025, 10:01 - Lily: <Media omitted>", true),
            ("[12/03/2025, 10:01:02] Lily: \u{200e}image omitted", true),
            ("12/03/2025, 10:02 - Lily: This message was deleted", true),
            ("12/03/2025, 10:02 - Lily: Missed voice call", true),
            ("2025/3/12 10:02 - 王: 此消息已删除", true),
            ("12/03/2025, 10:03 - Tom joined using this group's invite link", true),
            (
                "12/03/2025, 10:03 - Your security code with Lily changed. Tap to learn more.",
                true,
            ),
            (
                "12/03/2025, 10:04 - Lily: the image omitted the logo, I send again",
                false,
            ),
            ("12/03/2025, 10:04 - Lily: add my WhatsApp for photos", false),
        ];
        for &(line, system) in table {
            let log = format!("{line}\n12/03/2025, 10:09 - Tom: ok");
            let m = parse(&log, InputFormat::WhatsApp);
            if m[0].time.is_none() {
                // A date form this format does not read: not this test's subject.
                continue;
            }
            assert_eq!(m[0].system, system, "{line}");
            assert_eq!(m[1].index, usize::from(!system), "{line}");
        }
    }

    #[test]
    fn whatsapp_clock_and_locale_variants() {
        // (line, sender, time, text, system)
        let table: &[(&str, &str, &str, &str, bool)] = &[
            ("12/3/25, 3:15 PM - Lily: hi", "Lily", "12/3/25 3:15 PM", "hi", false),
            (
                "[12/3/25, 3:15:02\u{202f}PM] Lily: hi",
                "Lily",
                "12/3/25 3:15:02\u{202f}PM",
                "hi",
                false,
            ),
            (
                "\u{200e}[12/3/25, 3:16:00\u{202f}PM] Lily: \u{200e}image omitted",
                "Lily",
                "12/3/25 3:16:00\u{202f}PM",
                "\u{200e}image omitted",
                true,
            ),
            (
                "2025/3/12 下午3:15 - 王: 你好",
                "王",
                "2025/3/12 下午3:15",
                "你好",
                false,
            ),
            (
                "[2025/3/12 上午9:05:11] 王: 加我微信",
                "王",
                "2025/3/12 上午9:05:11",
                "加我微信",
                false,
            ),
            (
                "2025/3/12 下午3:16 - 王: 此消息已删除",
                "王",
                "2025/3/12 下午3:16",
                "此消息已删除",
                true,
            ),
            (
                "2025/03/12 午後3:15 - 山田: こんにちは",
                "山田",
                "2025/03/12 午後3:15",
                "こんにちは",
                false,
            ),
        ];
        for &(line, sender, time, text, system) in table {
            let log = format!("{line}\n{line}");
            assert_eq!(detect(log.lines()), InputFormat::WhatsApp, "{line}");
            let m = &parse(&log, InputFormat::Auto)[0];
            assert_eq!(m.sender.as_deref(), Some(sender), "{line}");
            assert_eq!(m.time.as_deref(), Some(time), "{line}");
            assert_eq!(m.text, text, "{line}");
            assert_eq!(m.system, system, "{line}");
        }
    }
}
