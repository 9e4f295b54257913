//! Telegram Desktop's JSON export (`result.json`): one chat (`{"name", "type", "id", "messages": […]}`) or a whole
//! account (`{"about", "personal_information", …, "chats": {"list": [{…, "messages": […]}]}}`, chats one after
//! the other, then `left_chats`).
//!
//! ```text
//! {
//!  "name": "Lily Chen", "type": "personal_chat", "id": 4242,
//!  "messages": [
//!   {"id": 1, "type": "message", "date": "2024-03-12T15:20:11", "from": "Lily Chen",
//!    "text": ["pay at ", {"type": "link", "text": "https://alipay-verify.cn"}]},
//!   {"id": 2, "type": "service", "date": "2024-03-12T15:21:00", "actor": "Lily Chen", "action": "phone_call",
//!    "text": ""}
//!  ]
//! }
//! ```
//!
//! - [`sender`](super::Message::sender) is `from` (`actor` for a service message), [`time`](super::Message::time)
//!   the ISO `date` with a space for the `T`: `2024-03-12 15:20:11`.
//! - [`text`](super::Message::text) is `text` when it is a string, or its parts joined when it is an array of strings
//!   and entity objects (`{"type": "bold", "text": "…"}`); `text_entities` is read when `text` is missing. A
//!   `text_link`'s target is not shown in the chat, but a scam link hides there: it is added after its text as
//!   `text <https://…>` when it differs from the text.
//! - Service messages (joins, pins, calls, `"type": "service"`) are [`system`](super::Message::system), with their
//!   `text`, or the `action` name when that is empty. So are media-only messages (a photo, file, sticker or voice
//!   message with no caption), with a placeholder text such as `[photo]` or `[sticker 😀]` (`[no text]` when the
//!   message has neither text nor known media); a media message with a caption is a message with the caption as
//!   text.
//! - [`line`](super::Message::line) is the input line where the message's JSON object starts.
//! - A message object that is not an object of this shape is skipped. An input that is not JSON of either shape
//!   is read as plain lines, so that [`parse`](super::parse) still never fails.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::Draft;

/// The whole input, kept until the end: JSON is only known to be valid once it is complete.
#[derive(Debug, Default)]
pub(super) struct Buffer {
    text: String,
    /// The other party of a one-to-one chat export (its `name` when `type` is `personal_chat`).
    pub(super) peer: Option<String>,
    /// Number of the first line in `text` (a reader can start later only in tests; kept for the line numbers).
    first: usize,
}

impl Buffer {
    pub(super) fn line(&mut self, n: usize, l: &str) {
        if self.first == 0 {
            self.first = n;
        } else {
            self.text.push('\n');
        }
        self.text.push_str(l);
    }

    pub(super) fn finish(&mut self, out: &mut Vec<Draft>) {
        let text = std::mem::take(&mut self.text);
        let first = self.first.max(1);
        match parse_json(&text, first) {
            Some((drafts, peer)) => {
                out.extend(drafts);
                self.peer = peer;
            }
            None => {
                // Not an export: the text is still worth scanning, one message per non-empty line.
                for (i, l) in text.split('\n').enumerate() {
                    if !l.trim().is_empty() {
                        out.push(Draft::new(first + i, None, None, l.trim_end().to_string()));
                    }
                }
            }
        }
    }
}

#[derive(Deserialize)]
struct Export<'a> {
    #[serde(borrow, default)]
    messages: Option<Vec<&'a RawValue>>,
    /// A single chat's name and type: in a personal chat the name is the other party's.
    #[serde(default)]
    name: Option<String>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(borrow, default)]
    chats: Option<ChatList<'a>>,
    #[serde(borrow, default)]
    left_chats: Option<ChatList<'a>>,
}

#[derive(Deserialize)]
struct ChatList<'a> {
    #[serde(borrow, default)]
    list: Vec<Chat<'a>>,
}

#[derive(Deserialize)]
struct Chat<'a> {
    #[serde(borrow, default)]
    messages: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct TgMessage {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    actor: Option<String>,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    text: Option<Text>,
    #[serde(default)]
    text_entities: Option<Vec<Part>>,
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    photo: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    file: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    sticker_emoji: Option<String>,
    #[serde(default)]
    location_information: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    contact_information: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    poll: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Text {
    Plain(String),
    Parts(Vec<Part>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Part {
    Plain(String),
    Entity {
        #[serde(rename = "type", default)]
        kind: String,
        #[serde(default)]
        text: String,
        #[serde(default)]
        href: Option<String>,
    },
}

fn join_parts(parts: &[Part]) -> String {
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Plain(t) => s.push_str(t),
            Part::Entity { kind, text, href } => {
                s.push_str(text);
                if let Some(href) = href.as_deref().filter(|h| kind == "text_link" && *h != text) {
                    s.push_str(" <");
                    s.push_str(href);
                    s.push('>');
                }
            }
        }
    }
    s
}

/// The messages of an export, or `None` when `text` is not one. `first` is the number of the first line.
/// The messages of an export, and the other party when it is one personal chat.
fn parse_json(text: &str, first: usize) -> Option<(Vec<Draft>, Option<String>)> {
    let export: Export = serde_json::from_str(text).ok()?;
    let peer = match (&export.kind, &export.messages) {
        (Some(k), Some(_)) if k == "personal_chat" => export.name.clone().filter(|n| !n.trim().is_empty()),
        _ => None,
    };
    let chats = export.chats.into_iter().chain(export.left_chats).flat_map(|c| c.list);
    let raws: Vec<&RawValue> = export
        .messages
        .into_iter()
        .flatten()
        .chain(chats.flat_map(|c| c.messages))
        .collect();
    if raws.is_empty() && !text.contains("\"messages\"") {
        // `{}` or some other JSON object: not an export.
        return None;
    }
    let base = text.as_ptr() as usize;
    let (mut counted_to, mut line) = (0, first);
    let mut out = Vec::with_capacity(raws.len());
    for raw in raws {
        // The raw value borrows from `text`: its address gives its offset, and the line is counted from the
        // previous message's, so the whole input is scanned once.
        let offset = (raw.get().as_ptr() as usize).saturating_sub(base).min(text.len());
        if offset < counted_to {
            (counted_to, line) = (0, first);
        }
        line += text.as_bytes()[counted_to..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted_to = offset;
        let Ok(m) = serde_json::from_str::<TgMessage>(raw.get()) else {
            continue;
        };
        out.push(draft(m, line));
    }
    Some((out, peer))
}

fn draft(m: TgMessage, line: usize) -> Draft {
    let time = m.date.as_deref().map(|d| d.replacen('T', " ", 1));
    let mut text = match &m.text {
        Some(Text::Plain(s)) => s.clone(),
        Some(Text::Parts(p)) => join_parts(p),
        None => String::new(),
    };
    if text.is_empty() {
        if let Some(p) = &m.text_entities {
            text = join_parts(p);
        }
    }
    let service = m.kind == "service";
    let mut system = service;
    if text.trim().is_empty() {
        if service {
            text = m.action.clone().unwrap_or_else(|| "service".to_string());
        } else {
            // A photo or sticker says nothing to scan, and it is not a message the conversation should count; nor
            // is a message with nothing in it.
            text = media_placeholder(&m).unwrap_or_else(|| "[no text]".to_string());
            system = true;
        }
    }
    let sender = if service { m.actor.or(m.from) } else { m.from };
    Draft {
        line,
        sender,
        time,
        text,
        system,
    }
}

/// `[photo]`, `[sticker 😀]`, `[voice_message]`…, when the message carries media.
fn media_placeholder(m: &TgMessage) -> Option<String> {
    let kind = m
        .media_type
        .clone()
        .or_else(|| m.photo.as_ref().map(|_| "photo".to_string()))
        .or_else(|| m.file.as_ref().map(|_| "file".to_string()))
        .or_else(|| m.location_information.as_ref().map(|_| "location".to_string()))
        .or_else(|| m.contact_information.as_ref().map(|_| "contact".to_string()))
        .or_else(|| m.poll.as_ref().map(|_| "poll".to_string()))?;
    Some(match &m.sticker_emoji {
        Some(e) => format!("[{kind} {e}]"),
        None => format!("[{kind}]"),
    })
}

/// Whether the first lines look like a Telegram export: a JSON object with its keys.
pub(super) fn detect(lines: &[&str]) -> bool {
    lines[0].trim_start().starts_with('{')
        && lines
            .iter()
            .any(|l| l.contains("\"messages\"") || l.contains("\"chats\"") || l.contains("\"personal_information\""))
}

#[cfg(test)]
mod tests {
    use super::super::{parse, ChatReader, InputFormat, Message};

    fn both(log: &str) -> Vec<Message> {
        let m = parse(log, InputFormat::Auto);
        assert_eq!(m, parse(log, InputFormat::Telegram));
        let streamed: Vec<Message> = ChatReader::new(log.as_bytes(), InputFormat::Auto)
            .map(Result::unwrap)
            .collect();
        assert_eq!(m, streamed);
        m
    }

    #[test]
    fn single_chat_texts_services_and_media() {
        let log = r#"{
 "name": "Lily Chen",
 "type": "personal_chat",
 "id": 4242,
 "messages": [
  {
   "id": 1, "type": "service", "date": "2024-03-12T15:19:00", "actor": "Lily Chen", "action": "phone_call",
   "text": ""
  },
  {
   "id": 2, "type": "message", "date": "2024-03-12T15:20:11", "from": "Lily Chen",
   "text": "hello"
  },
  {"id": 3, "type": "message", "date": "2024-03-12T15:21:00", "from": "Lily Chen",
   "text": ["pay at ", {"type": "link", "text": "https://alipay-verify.cn"}, " or ",
            {"type": "text_link", "text": "our shop", "href": "https://shop.example.cn"}, {"type": "bold", "text": "!"}]},
  {"id": 4, "type": "message", "date": "2024-03-12T15:22:00", "from": "Lily Chen", "photo": "(File not included.)",
   "text": ""},
  {"id": 5, "type": "message", "date": "2024-03-12T15:22:30", "from": "Lily Chen", "media_type": "sticker",
   "sticker_emoji": "😀", "file": "(File not included.)", "text": ""},
  {"id": 6, "type": "message", "date": "2024-03-12T15:23:00", "from": "Me", "photo": "p.jpg", "text": "this one?"},
  {"id": 7, "type": "message", "date": "2024-03-12T15:24:00", "from": null, "text_entities": [{"type": "plain", "text": "多行\n消息"}]},
  {"id": 8, "type": "message", "date": 12, "text": "bad date type"},
  {"id": 9, "type": "message", "date": "2024-03-12T15:25:00", "from": "Me", "text": ""}
 ]
}"#;
        let m = both(log);
        // (line, sender, time, text, system, index)
        type Row<'a> = (usize, Option<&'a str>, &'a str, &'a str, bool, usize);
        let want: &[Row] = &[
            (6, Some("Lily Chen"), "2024-03-12 15:19:00", "phone_call", true, 0),
            (10, Some("Lily Chen"), "2024-03-12 15:20:11", "hello", false, 0),
            (
                14,
                Some("Lily Chen"),
                "2024-03-12 15:21:00",
                "pay at https://alipay-verify.cn or our shop <https://shop.example.cn>!",
                false,
                1,
            ),
            (17, Some("Lily Chen"), "2024-03-12 15:22:00", "[photo]", true, 2),
            (19, Some("Lily Chen"), "2024-03-12 15:22:30", "[sticker 😀]", true, 2),
            (21, Some("Me"), "2024-03-12 15:23:00", "this one?", false, 2),
            (22, None, "2024-03-12 15:24:00", "多行\n消息", false, 3),
            (24, Some("Me"), "2024-03-12 15:25:00", "[no text]", true, 4),
        ];
        let got: Vec<_> = m
            .iter()
            .map(|m| {
                (
                    m.line,
                    m.sender.as_deref(),
                    m.time.as_deref().unwrap_or(""),
                    m.text.as_str(),
                    m.system,
                    m.index,
                )
            })
            .collect();
        assert_eq!(got, want.to_vec());
    }

    #[test]
    fn full_export_reads_every_chat() {
        let log = r#"{"about": "Here is the data you requested.", "personal_information": {"first_name": "Me"},
"chats": {"about": "", "list": [
{"name": "A", "type": "personal_chat", "id": 1, "messages": [{"id": 1, "type": "message", "date": "2024-01-01T00:00:00", "from": "A", "text": "hi"}]},
{"name": "B", "type": "private_group", "id": 2, "messages": [
{"id": 1, "type": "service", "date": "2024-01-02T00:00:00", "actor": "B", "action": "create_group", "text": ""},
{"id": 2, "type": "message", "date": "2024-01-02T00:01:00", "from": "B", "text": "请付款到我的私人支付宝"}]}]}}"#;
        let m = both(log);
        assert_eq!(
            m.iter().map(|m| (m.line, m.index, m.system)).collect::<Vec<_>>(),
            [(3, 0, false), (5, 1, true), (6, 1, false)]
        );
    }

    #[test]
    fn not_json_falls_back_to_plain_lines() {
        for log in ["{\"messages\": [ broken", "{}", "{\"messages\": 3}\nsecond line"] {
            let m = parse(log, InputFormat::Telegram);
            let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
            assert_eq!(m.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(), lines, "{log}");
        }
        // An empty message list is an export with no messages.
        assert!(parse("{\"name\": \"x\", \"messages\": []}", InputFormat::Telegram).is_empty());
    }
}
