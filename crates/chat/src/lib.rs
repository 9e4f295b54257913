//! Chat logs for [`redflag`]: reading pasted and exported chats into messages with sender, time and a
//! [`system`](Message::system) mark for the app's own lines, and the JSON form of a scanned message that the `scan`
//! CLI, the C ABI (`redflag-ffi`) and embedders share.
//!
//! ```
//! use redflag_chat::{parse, InputFormat};
//!
//! let log = "[12/03/2025, 10:15:02] Lily: add my wechat lily_88\n[12/03/2025, 10:16:40] Tom: ok";
//! let messages = parse(log, InputFormat::Auto);
//! assert_eq!(messages.len(), 2);
//! assert_eq!(messages[0].sender.as_deref(), Some("Lily"));
//! ```
//!
//! # Formats
//!
//! [`InputFormat::Auto`] detects each of these from the first 200 non-empty lines; `--input-format` names are in
//! brackets.
//!
//! | format | names | example |
//! |---|---|---|
//! | WhatsApp, Android / iOS, any locale | `whatsapp` | `12/03/2025, 10:15 - Lily: hi`, `[12/3/25, 3:15:02 PM] Lily: hi`, `2025/3/12 下午3:15 - 王: 你好` |
//! | LINE text export | `line` | `[LINE] Chat history with Lily`, `2024/03/12(Tue)`, `15:20⇥Lily⇥hi` |
//! | Telegram Desktop JSON | `telegram`, `telegram-json` | `{"name": "Lily", "messages": [{"type": "message", "from": "Lily", "text": "hi"}]}` |
//! | WeChat merged-forward copy | `wechat-forward`, `forward` | `张三和李四的聊天记录` then `张三  2024-03-12 15:20` / `你好` |
//! | WeChat PC / WangWang / Qianniu copy, QQ text export, Telegram Desktop copy | `wechat`, `wangwang`, `qianniu`, `qq`, `header` | `李经理 2024-01-01 10:00:00` then `您好`; `2024-01-01 9:00:01 小林(28394711)` then `老板早`; `Lily, [12.03.2024 15:20]` then `hi` |
//! | e-mail thread pasted as text | `email`, `mail` | `From: Amy <amy@x.com>` / `Sent: …` / `Subject: …` then the body; `发件人:` / `发送时间:`; `On … Amy <amy@x.com> wrote:` then `> …` |
//! | `Name: text` lines, after an optional time stamp, or `Name:` alone with the text under it | `name`, `name-colon` | `Lily: hi`, `2024-03-12 15:20 Lily: hi`, `[15:20] Lily: hi` |
//! | one message per non-empty line | `plain` | `hi` |
//! | one message per line, empty ones too | `lines` | `hi` |
//!
//! ```
//! use redflag_chat::{parse, InputFormat};
//!
//! let line = "[LINE] Chat history with Lily\nSaved on: 2024/03/12 15:20\n\n2024/03/12(Tue)\n\
//!             15:20\tLily\t\"the platform is under maintenance\nplease pay to my personal Alipay\"\n\
//!             15:21\tLily\t[Sticker]\n15:22\tMe\tno";
//! let m = parse(line, InputFormat::Auto);
//! assert_eq!(m[0].time.as_deref(), Some("2024/03/12 15:20"));
//! assert_eq!(m[0].text, "the platform is under maintenance\nplease pay to my personal Alipay");
//! assert!(m[1].system);
//! assert_eq!((m[2].index, m[2].text.as_str()), (1, "no"));
//!
//! let telegram = r#"{"name": "Lily", "type": "personal_chat", "id": 1, "messages": [
//!   {"id": 1, "type": "message", "date": "2024-03-12T15:20:00", "from": "Lily",
//!    "text": ["pay here: ", {"type": "link", "text": "https://alipay-verify.cn"}]}]}"#;
//! let m = parse(telegram, InputFormat::Auto);
//! assert_eq!(m[0].text, "pay here: https://alipay-verify.cn");
//! assert_eq!((m[0].line, m[0].time.as_deref()), (2, Some("2024-03-12 15:20:00")));
//!
//! let forward = "张三和李四的聊天记录\n张三  2024-03-12 15:20\n请付款到我的私人支付宝\n李四  2024-03-12 15:21\n[图片]";
//! let m = parse(forward, InputFormat::Auto);
//! assert_eq!(m[0].sender.as_deref(), Some("张三"));
//! assert!(m[1].system);
//! ```
//!
//! # Untrusted input
//!
//! Parsing never panics and never fails: a log that fits no format is read as plain lines, and so is a Telegram
//! export that is not valid JSON. [`ChatReader`] keeps memory bounded by the longest message (cut at 4 MiB) in every
//! format but Telegram's, whose JSON is read whole.
//!
//! # Limitations
//!
//! - Detection looks at the first 200 non-empty lines; give the format when a log starts unlike itself.
//! - The app's lines are recognised by their wording in English and Chinese (and Japanese for LINE); other
//!   languages' notices stay messages.
//! - Times are kept as written, not converted to one clock or time zone.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod json;
mod parse;

pub use parse::{parse, ChatReader, InputFormat, Message};
