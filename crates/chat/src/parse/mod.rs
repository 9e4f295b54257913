//! Parsing pasted and exported chat logs into messages with senders and times.
//!
//! Formats, detected automatically by [`InputFormat::Auto`] (each has a module with the details):
//!
//! - WhatsApp exports ([`InputFormat::WhatsApp`]): Android `12/01/2024, 10:15 - Name: text`, iOS
//!   `[01/12/2024, 10:15:32] Name: text`, European `12.03.24, 15:20 - `, Chinese-locale `2025/3/12 下午3:15 - `,
//!   12-hour clocks; lines without a date continue the previous message.
//! - LINE text exports ([`InputFormat::Line`]): `[LINE] Chat history with Lily`, date lines `2024/03/12(Tue)`,
//!   then `15:20<TAB>Lily<TAB>text` lines; multi-line messages in double quotes.
//! - Telegram Desktop JSON exports ([`InputFormat::Telegram`]): `result.json` of one chat or of a whole account.
//! - WeChat merged-forward copies ([`InputFormat::WeChatForward`]): a title line `张三和李四的聊天记录`, then
//!   `Name 2024-03-12 15:20` header lines (or `Name: text` lines), with `—— 2024-03-12 ——` date lines.
//! - WeChat PC / AliWangWang / Qianniu copies ([`InputFormat::Header`]): a header line `Name 2024-01-01 10:00:00`,
//!   `Name 10:00` or `Name(id) 2024-01-01 10:00:00`, then the message's text lines.
//! - E-mail threads pasted as text ([`InputFormat::Email`]): `From:` / `发件人:` header blocks and `On … wrote:`
//!   quotes start messages; wrapped paragraphs are joined and signature blocks are system lines.
//! - `Name: text` lines ([`InputFormat::NameColon`]); continuation lines join the previous message.
//! - Plain lines ([`InputFormat::Plain`]): one message per non-empty line.
//!
//! Lines the chat app wrote rather than a person (encryption notices, media placeholders, recalled messages, missed
//! calls, joins and leaves) are kept, marked [`Message::system`], and not counted in [`Message::index`].
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

mod email;
mod header;
mod line;
mod telegram;
mod wechat_forward;
mod whatsapp;

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
    /// 1-based line of the message's first line in the input (for a Telegram export, the line where the
    /// message's JSON object starts).
    pub line: usize,
    /// The sender's name, when the format has one.
    pub sender: Option<String>,
    /// The time as written, when the format has one. Formats that write the date on a line of its own (LINE,
    /// WeChat forwards) give the last date line and the time: `2024/03/12 15:20`; Telegram's ISO time is given as
    /// `2024-03-12 15:20:11`.
    pub time: Option<String>,
    /// The message text; lines of a multi-line message are joined with `\n`.
    pub text: String,
    /// A line the chat app wrote, not a person: encryption notices, media, sticker and file placeholders, deleted
    /// and recalled messages, missed calls, security-code changes, joins and leaves, Telegram service messages, in
    /// English, Chinese and (LINE) Japanese. Not a message to scan: the `scan` CLI leaves these out of the
    /// conversation.
    pub system: bool,
}

/// The layout of a chat log.
///
/// # Example
///
/// ```
/// use redflag_chat::InputFormat;
/// assert_eq!("whatsapp".parse::<InputFormat>().unwrap(), InputFormat::WhatsApp);
/// assert_eq!("telegram-json".parse::<InputFormat>().unwrap(), InputFormat::Telegram);
/// let err = "fax".parse::<InputFormat>().unwrap_err();
/// assert!(err.contains("wechat-forward"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Detect from the first lines.
    Auto,
    /// Every line is one message, empty lines included; no senders.
    Lines,
    /// WhatsApp export (Android or iOS, any locale's date order).
    WhatsApp,
    /// WeChat PC / AliWangWang / Qianniu copy, QQ's text export, Telegram Desktop copy: a header line with name
    /// and time (either first), then text lines.
    Header,
    /// `Name: text` lines.
    NameColon,
    /// One message per non-empty line.
    Plain,
    /// LINE's "Export chat history" text file (English, Chinese or Japanese app language).
    Line,
    /// Telegram Desktop's JSON export (`result.json`). The whole input is read before the first message.
    Telegram,
    /// A WeChat merged-forward chat record ("聊天记录") copied out as text.
    WeChatForward,
    /// An e-mail thread pasted as text: Outlook / Gmail reply headers (English or Chinese), `>` quotes, wrapped
    /// paragraphs, signature blocks (kept as [`system`](Message::system) lines).
    Email,
}

impl InputFormat {
    /// Every name [`FromStr`] accepts, in the order the error message lists them.
    ///
    /// # Example
    ///
    /// ```
    /// use redflag_chat::InputFormat;
    /// for name in InputFormat::NAMES {
    ///     assert!(name.parse::<InputFormat>().is_ok());
    /// }
    /// ```
    pub const NAMES: &'static [&'static str] = &[
        "auto",
        "lines",
        "whatsapp",
        "wechat",
        "wangwang",
        "qianniu",
        "qq",
        "header",
        "name",
        "name-colon",
        "plain",
        "line",
        "telegram",
        "telegram-json",
        "wechat-forward",
        "forward",
        "email",
        "mail",
    ];
}

impl FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "auto" => InputFormat::Auto,
            "lines" => InputFormat::Lines,
            "whatsapp" => InputFormat::WhatsApp,
            "wechat" | "wangwang" | "qianniu" | "qq" | "header" => InputFormat::Header,
            "name" | "name-colon" => InputFormat::NameColon,
            "plain" => InputFormat::Plain,
            "line" => InputFormat::Line,
            "telegram" | "telegram-json" => InputFormat::Telegram,
            "wechat-forward" | "forward" => InputFormat::WeChatForward,
            "email" | "mail" => InputFormat::Email,
            _ => {
                return Err(format!(
                    "unknown input format {s:?} (expected one of {})",
                    InputFormat::NAMES.join(", ")
                ))
            }
        })
    }
}

/// A date as chat apps write it: `2024/03/12`, `12.03.24`, `3-12-2024`.
const DATE: &str = r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}";
/// A time of day: 24-hour, or 12-hour with AM/PM after it (recent iOS exports put a narrow no-break space before
/// it, which `\s` covers) or a Chinese / Japanese half-day word before it (`下午3:15`, `午後3:15`).
const TIME: &str =
    r"(?:(?:上午|下午|凌晨|中午|晚上|早上|午前|午後)\s?)?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[APap]\.?[Mm]\.?)?";

/// Parses a chat log. Never fails: a log that fits no format is read as plain lines, and so is a Telegram
/// export that is not valid JSON.
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
        parser.line(i + 1, l.strip_suffix('\r').unwrap_or(l), &mut out);
    }
    parser.finish(&mut out);
    out
}

/// Largest message text kept in one piece; longer runs of continuation lines are cut into several messages, so
/// memory stays bounded on any input.
const MAX_MESSAGE: usize = 4 << 20;

/// A message as a format's parser completes it, before it is numbered.
#[derive(Debug, Default)]
struct Draft {
    line: usize,
    sender: Option<String>,
    time: Option<String>,
    text: String,
    /// Known to be the app's line from its shape (no sender column, a Telegram service message); the format's
    /// text checks can still mark others when the message is complete.
    system: bool,
}

impl Draft {
    fn new(line: usize, sender: Option<String>, time: Option<String>, text: String) -> Draft {
        Draft {
            line,
            sender,
            time,
            text,
            system: false,
        }
    }
}

/// The message being read, for formats where a message can continue over several lines.
#[derive(Debug, Default)]
struct Acc {
    cur: Option<Draft>,
}

impl Acc {
    /// Starts a new message, completing the current one into `out`.
    fn start(&mut self, d: Draft, out: &mut Vec<Draft>) {
        out.extend(self.cur.replace(d));
    }

    /// Completes the current message, if any, into `out`.
    fn flush(&mut self, out: &mut Vec<Draft>) {
        out.extend(self.cur.take());
    }

    /// Appends a continuation line (or starts a sender-less message, or cuts the message at the size cap).
    /// `sep_when_empty`: add the line break even when the text so far is empty.
    fn push(&mut self, line: usize, l: &str, sep_when_empty: bool, out: &mut Vec<Draft>) {
        match &mut self.cur {
            Some(p) if p.text.len() + l.len() < MAX_MESSAGE => {
                if sep_when_empty || !p.text.is_empty() {
                    p.text.push('\n');
                }
                p.text.push_str(l);
            }
            _ => self.start(Draft::new(line, None, None, l.to_string()), out),
        }
    }
}

/// Line-by-line parser for one format: feed lines in order, get messages as they complete.
#[derive(Debug)]
struct Parser {
    format: InputFormat,
    next_index: usize,
    inner: Inner,
    drafts: Vec<Draft>,
}

/// Each format's own state.
#[derive(Debug)]
enum Inner {
    Lines,
    Plain,
    WhatsApp(Acc),
    Header(Acc),
    NameColon(Acc),
    Line(line::LineParser),
    Telegram(telegram::Buffer),
    WeChatForward(wechat_forward::ForwardParser),
    Email(email::EmailParser),
}

impl Parser {
    fn new(format: InputFormat) -> Parser {
        let inner = match format {
            InputFormat::Lines => Inner::Lines,
            InputFormat::Plain | InputFormat::Auto => Inner::Plain,
            InputFormat::WhatsApp => Inner::WhatsApp(Acc::default()),
            InputFormat::Header => Inner::Header(Acc::default()),
            InputFormat::NameColon => Inner::NameColon(Acc::default()),
            InputFormat::Line => Inner::Line(Default::default()),
            InputFormat::Telegram => Inner::Telegram(Default::default()),
            InputFormat::WeChatForward => Inner::WeChatForward(Default::default()),
            InputFormat::Email => Inner::Email(Default::default()),
        };
        Parser {
            format,
            next_index: 0,
            inner,
            drafts: Vec::new(),
        }
    }

    /// Feeds one line (without its line break); completed messages go to `out`.
    fn line(&mut self, n: usize, l: &str, out: &mut impl Extend<Message>) {
        let d = &mut self.drafts;
        match &mut self.inner {
            Inner::Lines => d.push(Draft::new(n, None, None, l.to_string())),
            Inner::Plain => {
                if !l.trim().is_empty() {
                    d.push(Draft::new(n, None, None, l.trim_end().to_string()));
                }
            }
            Inner::WhatsApp(acc) => whatsapp::line(acc, n, l, d),
            Inner::Header(acc) => header::header_line(acc, n, l, d),
            Inner::NameColon(acc) => header::name_colon_line(acc, n, l, d),
            Inner::Line(p) => p.line(n, l, d),
            Inner::Telegram(p) => p.line(n, l),
            Inner::WeChatForward(p) => p.line(n, l, d),
            Inner::Email(p) => p.line(n, l, d),
        }
        self.emit(out);
    }

    /// The other party of a one-to-one export, when the export names it.
    fn peer(&self) -> Option<&str> {
        match &self.inner {
            Inner::Line(p) => p.peer.as_deref(),
            Inner::Telegram(p) => p.peer.as_deref(),
            _ => None,
        }
    }

    /// Completes the last messages into `out`.
    fn finish(&mut self, out: &mut impl Extend<Message>) {
        let d = &mut self.drafts;
        match &mut self.inner {
            Inner::Lines | Inner::Plain => {}
            Inner::WhatsApp(acc) | Inner::Header(acc) | Inner::NameColon(acc) => acc.flush(d),
            Inner::Line(p) => p.finish(d),
            Inner::Telegram(p) => p.finish(d),
            Inner::WeChatForward(p) => p.finish(d),
            Inner::Email(p) => p.finish(d),
        }
        self.emit(out);
    }

    /// Numbers the completed drafts, marking the app's lines by their text.
    fn emit(&mut self, out: &mut impl Extend<Message>) {
        for d in self.drafts.drain(..) {
            let mut text = d.text;
            if self.format != InputFormat::Lines {
                // Blank continuation lines at the end of a message belong to no one.
                text.truncate(text.trim_end_matches(['\n', ' ', '\t']).len());
            }
            let system = d.system
                || match self.format {
                    InputFormat::WhatsApp => whatsapp::is_system(d.sender.as_deref(), d.time.is_some(), &text),
                    InputFormat::Line => line::is_system(&text),
                    // WeChat PC, WangWang, Qianniu and QQ copies write the same placeholders as a forward.
                    InputFormat::WeChatForward | InputFormat::Header => wechat_forward::is_system(&text),
                    _ => false,
                };
            let index = self.next_index;
            if !system {
                self.next_index += 1;
            }
            out.extend(Some(Message {
                index,
                line: d.line,
                sender: d.sender,
                time: d.time,
                text,
                system,
            }));
        }
    }
}

/// Reads a chat log from any [`BufRead`](std::io::BufRead) as a stream of messages, with memory bounded by the
/// longest message (cut at 4 MiB), except for a Telegram export: JSON is read whole before the first message. The
/// format is detected from the first 200 non-empty lines. Invalid UTF-8 is replaced with U+FFFD;
/// [`ChatReader::lossy`] tells whether that happened. It gives the same messages as [`parse`] on the same text.
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
    finished: bool,
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
            finished: false,
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

    /// The other party of a one-to-one chat, when the export names it: the title of a LINE export ("Chat history
    /// with Lily", 與陳小姐的聊天記錄, 山田さんとのトーク履歴) or the name of a Telegram personal chat. Whoever exported
    /// the chat is the other side, so a buyer's export names the supplier. Known once the first message has been
    /// read (the title comes first; a Telegram export is read whole).
    ///
    /// # Example
    ///
    /// ```
    /// let log = "[LINE] Chat history with Lily\nSaved on: 2024/03/12 15:20\n\n2024/03/12(Tue)\n10:02\tLily\thi\n";
    /// let mut r = redflag_chat::ChatReader::new(log.as_bytes(), redflag_chat::InputFormat::Auto);
    /// let _ = r.next();
    /// assert_eq!(r.peer(), Some("Lily"));
    /// ```
    pub fn peer(&self) -> Option<&str> {
        self.parser.as_ref().and_then(Parser::peer)
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
            if self.finished {
                return None;
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
                Some((n, l)) => parser.line(n, &l, &mut self.ready),
                None => {
                    parser.finish(&mut self.ready);
                    self.finished = true;
                }
            }
        }
    }
}

/// Picks a format from the first 200 non-empty lines.
fn detect<'a>(lines: impl Iterator<Item = &'a str>) -> InputFormat {
    let lines: Vec<&str> = lines
        .map(|l| l.trim_start_matches('\u{feff}').trim_end())
        .filter(|l| !l.trim().is_empty())
        .take(200)
        .collect();
    if lines.is_empty() {
        return InputFormat::Plain;
    }
    if telegram::detect(&lines) {
        return InputFormat::Telegram;
    }
    let n = lines.len() as f64;
    let share = |f: &dyn Fn(&str) -> bool| lines.iter().filter(|l| f(l)).count() as f64 / n;
    if share(&|l| whatsapp::is_dated(l)) >= 0.3 {
        return InputFormat::WhatsApp;
    }
    if line::detect(&lines) {
        return InputFormat::Line;
    }
    if wechat_forward::detect(&lines) {
        return InputFormat::WeChatForward;
    }
    if email::detect(&lines) {
        return InputFormat::Email;
    }
    if header::detect(&lines) {
        return InputFormat::Header;
    }
    let names: Vec<&str> = lines
        .iter()
        .filter_map(|l| header::name_colon(l).map(|c| c.0))
        .collect();
    let mut distinct = names.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if names.len() as f64 / n >= 0.6 && distinct.len() <= 12 && (distinct.len() < names.len() || names.len() == 1) {
        return InputFormat::NameColon;
    }
    // `Name:` alone on its line, the text on the lines under it (a copy from some web chats): fewer lines name a
    // sender, but each of those has nothing after the colon.
    let bare = lines
        .iter()
        .filter(|l| header::name_colon(l).is_some_and(|c| c.1.trim().is_empty()))
        .count();
    if bare >= 2 && bare as f64 / n >= 0.25 && bare == names.len() && distinct.len() <= 12 && distinct.len() < bare {
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

    /// A WeChat PC or Qianniu copy writes `[名片]`, `[图片]` and recall notices under a header: the app's lines, not
    /// a person's words (a shared contact card is no request to move the chat). A sub-account name `店铺:小雅` is
    /// one sender.
    #[test]
    fn header_copies_mark_the_apps_placeholders() {
        let log = "周经理 2026/3/11 9:52:30\n[名片]\n周经理 2026/3/11 9:52:31\n[图片]\n\
                   李工 2026/3/11 9:53:00\n\"周经理\" 撤回了一条消息\n李工 2026/3/11 9:53:10\n[名片] 收到了\n\
                   宝莱数码专营店:小雅 2026-03-20 20:11:40\n亲在的哦\n";
        let m = parse(log, InputFormat::Auto);
        assert_eq!(
            m.iter().map(|m| (m.index, m.system)).collect::<Vec<_>>(),
            [(0, true), (0, true), (0, true), (0, false), (1, false)]
        );
        assert_eq!(m[4].sender.as_deref(), Some("宝莱数码专营店:小雅"));
    }

    /// A copy from a web messenger (Alibaba.com's message center): the name, then the time, each on its own line,
    /// then the text; a short line of text before a name line stays text.
    #[test]
    fn name_and_time_on_lines_of_their_own() {
        let log = "Kelly Chen\nMar 15, 2026, 09:41\nHello dear\nThanks Tom\n\nTom Baker\nMar 15, 2026, 09:45\n\
                   Why not here?\nKelly Chen\nYesterday 09:47\npay to my personal account\n";
        for m in [parse(log, InputFormat::Auto), parse(log, InputFormat::Header)] {
            assert_eq!(senders(&m), [Some("Kelly Chen"), Some("Tom Baker"), Some("Kelly Chen")]);
            assert_eq!(m[0].text, "Hello dear\nThanks Tom");
            assert_eq!(m[1].time.as_deref(), Some("Mar 15, 2026, 09:45"));
            assert_eq!((m[0].line, m[1].line, m[2].line), (1, 6, 9));
        }
        // Names alone without times under them are no headers.
        let plain = "Kelly Chen\nhello\nTom Baker\nok";
        assert_eq!(detect(plain.lines()), InputFormat::Plain);
    }

    /// QQ's message-manager export: its own opening lines (kept as the app's), then `date time name(number)`
    /// headers with the text under them; a `date time Name: text` line is still a `Name: text` line.
    #[test]
    fn qq_export() {
        let log = "消息记录（此消息记录为文本格式，不支持重新导入）\n\n\
                   ================================================================\n\
                   消息分组:我的好友\n\
                   ================================================================\n\
                   消息对象:小林\n\
                   ================================================================\n\n\
                   2026-11-03 9:12:40 小林(2839471123)\n老板早\n补货到了\n\n\
                   2026-11-03 9:15:02 阿杰<ajie@example.com>\n先拿500对\n\n\
                   2026-11-03 9:20:11 小林(2839471123)\n账户在年审，直接转我支付宝\n";
        let m = parse(log, InputFormat::Auto);
        let people: Vec<&Message> = m.iter().filter(|m| !m.system).collect();
        assert_eq!(
            people.iter().map(|m| m.sender.as_deref()).collect::<Vec<_>>(),
            [Some("小林"), Some("阿杰"), Some("小林")]
        );
        assert_eq!(people[0].text, "老板早\n补货到了");
        assert_eq!(people[0].time.as_deref(), Some("2026-11-03 9:12:40"));
        assert_eq!(
            (people[2].index, people[2].text.as_str()),
            (2, "账户在年审，直接转我支付宝")
        );
        assert_eq!(m.iter().filter(|m| m.system).count(), 6);
        // Without a date, or with text after a colon, it is not a header line.
        let m = parse(
            "2024-03-12 15:20 Lily: hi\n2024-03-12 15:21 Bob: ok\n2024-03-12 15:22 Lily: pay",
            InputFormat::Auto,
        );
        assert_eq!(senders(&m), [Some("Lily"), Some("Bob"), Some("Lily")]);
        assert_eq!(m[0].text, "hi");
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

    /// `Name:` alone on a line, the text under it; and a Telegram Desktop copy's `Name, [date time]` headers.
    #[test]
    fn bare_name_lines_and_bracketed_headers() {
        let log =
            "Kelly Chen:\nour payment is under maintenance\nplease wait\nTom:\nok?\nKelly Chen:\npay to my account";
        let m = parse(log, InputFormat::Auto);
        assert_eq!(senders(&m), [Some("Kelly Chen"), Some("Tom"), Some("Kelly Chen")]);
        assert_eq!(m[0].text, "our payment is under maintenance\nplease wait");
        let log = "Kelly Chen, [05.11.2026 14:03]\nour payment is under maintenance\n\nTom, [05.11.2026 14:05]\nok?";
        let m = parse(log, InputFormat::Auto);
        assert_eq!(senders(&m), [Some("Kelly Chen"), Some("Tom")]);
        assert_eq!(
            (m[0].time.as_deref(), m[1].text.as_str()),
            (Some("05.11.2026 14:03"), "ok?")
        );
        // A price list is not a chat.
        let m = parse("Price:\n$2\nSize:\nL", InputFormat::Auto);
        assert!(m.iter().all(|m| m.sender.is_none()));
    }

    /// A time stamp before `Name:` is the message's time, not part of its name (its colons are not the name's).
    #[test]
    fn name_colon_after_a_time_stamp() {
        /// (sender, time, text) of each message.
        type Want<'a> = &'a [(&'a str, &'a str, &'a str)];
        let cases: &[(&str, Want)] = &[
            (
                "2026-11-05 14:03 陈女士: 老板，什么时候发？\n2026-11-05 14:05 阿强: 后天发\n2026-11-05 14:06 陈女士: 好",
                &[("陈女士", "2026-11-05 14:03", "老板，什么时候发？"), ("阿强", "2026-11-05 14:05", "后天发"), ("陈女士", "2026-11-05 14:06", "好")],
            ),
            (
                "[15:20] Lily: pay here\n[15:21:09] Bob: no\n[15:22] Lily: ok",
                &[("Lily", "15:20", "pay here"), ("Bob", "15:21:09", "no"), ("Lily", "15:22", "ok")],
            ),
            (
                "2026/3/12 下午3:15 Lily: hi\n2026/3/12 下午3:16 Bob: hello\n2026/3/12 下午3:17 Lily: see 10:30",
                &[("Lily", "2026/3/12 下午3:15", "hi"), ("Bob", "2026/3/12 下午3:16", "hello"), ("Lily", "2026/3/12 下午3:17", "see 10:30")],
            ),
            (
                "2026年3月12日 15:20 王: 你好\n2026年3月12日 15:21 李: 在\n2026年3月12日 15:22 王: 好",
                &[("王", "2026年3月12日 15:20", "你好"), ("李", "2026年3月12日 15:21", "在"), ("王", "2026年3月12日 15:22", "好")],
            ),
        ];
        for (log, want) in cases {
            let m = parse(log, InputFormat::Auto);
            let got: Vec<(&str, &str, &str)> = m
                .iter()
                .map(|m| {
                    (
                        m.sender.as_deref().unwrap_or(""),
                        m.time.as_deref().unwrap_or(""),
                        m.text.as_str(),
                    )
                })
                .collect();
            assert_eq!(&got, want, "{log}");
        }
    }

    #[test]
    fn reader_matches_parse_on_every_format() {
        let logs = [
            "12/01/2024, 10:15 - Lily: hi\nmore\n12/01/2024, 10:16 - Bob: ok\n",
            "[01/12/2024, 10:15:32] Lily: hi\n[01/12/2024, 10:16:01] Bob: ok",
            "李经理 2024-01-01 10:00:00\n您好\n\n加我微信\nBuyer 2024-01-01 10:01:00\nok\n",
            "Lily: hi\nBob: hello\nLily: more\n  and more\n",
            "just\n\nplain lines\n",
            "[LINE] Chat history with A\r\nSaved on: 2024/03/12 15:20\r\n\r\n2024/03/12(Tue)\r\n10:00\tA\t\"x\r\ny\"\r\n",
            "{\"name\": \"A\", \"messages\": [\n{\"type\": \"message\", \"from\": \"A\", \"text\": \"hi\"}\n]}\n",
            "{\"messages\": [ not json\n\nsecond\n",
            "张三和李四的聊天记录\n张三 15:20\n你好\n\n李四 15:21\n[图片]\n",
        ];
        let formats = InputFormat::NAMES
            .iter()
            .map(|n| n.parse::<InputFormat>().expect("a listed name"));
        let formats: Vec<InputFormat> = formats.collect();
        for log in logs {
            for &f in &formats {
                let streamed: Vec<Message> = ChatReader::new(log.as_bytes(), f).map(Result::unwrap).collect();
                assert_eq!(streamed, parse(log, f), "{f:?} {log:?}");
            }
        }
    }

    #[test]
    fn long_messages_are_cut_to_bound_memory() {
        let line = "x".repeat(1 << 20);
        let body = format!("{line}\n").repeat(6);
        let table = [
            (InputFormat::NameColon, format!("Lily: start\n{body}")),
            (
                InputFormat::WhatsApp,
                format!("12/01/2024, 10:15 - Lily: start\n{body}"),
            ),
            (
                InputFormat::Line,
                format!("2024/03/12(Tue)\n10:00\tLily\t\"start\n{body}"),
            ),
            (InputFormat::WeChatForward, format!("聊天记录\n张三 10:00\n{body}")),
        ];
        for (format, log) in table {
            let m: Vec<Message> = ChatReader::new(log.as_bytes(), format).map(Result::unwrap).collect();
            assert!(m.len() >= 2, "{format:?}");
            assert!(m.iter().all(|m| m.text.len() <= MAX_MESSAGE), "{format:?}");
        }
    }

    #[test]
    fn lines_keeps_empty_lines() {
        let m = parse("a\n\nb\n", InputFormat::Lines);
        assert_eq!(m.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(), ["a", "", "b"]);
        assert_eq!(m[2].line, 3);
        assert!(parse("", InputFormat::Lines).is_empty());
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
                "12.03.24, 15:20 - Lily: Hallo",
                "Lily",
                "12.03.24 15:20",
                "Hallo",
                false,
            ),
            (
                "[12.03.24, 15:20:11] Lily: \u{200e}<attached: 00000012-PHOTO-2024-03-12-15-20-11.jpg>",
                "Lily",
                "12.03.24 15:20:11",
                "\u{200e}<attached: 00000012-PHOTO-2024-03-12-15-20-11.jpg>",
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
