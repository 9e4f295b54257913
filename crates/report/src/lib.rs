//! A report a buyer can act on, from a chat scanned by [`redflag`]: a verdict at the top (stop or go on, and why),
//! one line per concern per message, the next steps on the chat's platform (1688, Alibaba.com, AliExpress, Taobao,
//! detected from the chat or given), and a self-contained HTML page of the chat with the findings highlighted
//! ([`html::render`]).
//!
//! ```
//! use redflag::{Detector, Role};
//! use redflag_chat::{parse, InputFormat};
//! use redflag_report::{Action, ChatReport};
//!
//! let log = "Lily: add my whatsapp +86 135 1111 2222\nLily: our alibaba account is under audit, pay the deposit to my personal account";
//! let detector = Detector::new();
//! let mut convo = detector.conversation();
//! let mut builder = ChatReport::builder();
//! for m in parse(log, InputFormat::Auto) {
//!     let report = convo.push(Role::Seller, &m.text);
//!     builder.push(&m, Role::Seller, &report);
//! }
//! let report = builder.finish(&convo);
//! assert_eq!(report.verdict.action, Action::Stop);
//! assert!(report.verdict.headline.contains("after moving the chat to WhatsApp"));
//! assert!(report.steps.iter().any(|s| s.contains("Trade Assurance")));
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod chat;
mod concern;
pub mod html;
mod lang;
mod platform;
mod steps;
mod verdict;

pub use chat::{ChatReport, ChatReportBuilder, ConversationNote, Counts, ReportedMessage};
pub use concern::{category_label, concerns, severity_label, Concern};
pub use lang::Lang;
pub use platform::{Platform, PlatformGuess};
pub use verdict::{Action, Verdict};
