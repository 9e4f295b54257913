//! Chat logs for [`redflag`]: reading pasted and exported chats (WhatsApp, WeChat, plain `Name: text` lines) into
//! messages with sender and time, and the JSON form of a scanned message that the `scan` CLI, the C ABI
//! (`redflag-ffi`) and embedders share.
//!
//! ```
//! use redflag_chat::{parse, InputFormat};
//!
//! let log = "[12/03/2025, 10:15:02] Lily: add my wechat lily_88\n[12/03/2025, 10:16:40] Tom: ok";
//! let messages = parse(log, InputFormat::Auto);
//! assert_eq!(messages.len(), 2);
//! assert_eq!(messages[0].sender.as_deref(), Some("Lily"));
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod json;
mod parse;

pub use parse::{parse, ChatReader, InputFormat, Message};
