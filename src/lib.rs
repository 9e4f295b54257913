//! # redflag
//!
//! `redflag` reads supplier chat messages (1688, Alibaba.com, AliExpress, Taobao, DHgate; English and Chinese,
//! simplified and traditional) and flags the pretexts that precede most sourcing losses: requests to pay off the
//! platform, moves of the chat to WeChat/WhatsApp/Telegram, the "skip the tax invoice for a discount" pretext, the
//! "payment gateway is under maintenance, pay this other account" pretext, "real logo" counterfeit hints, and the
//! pressure tactics around them. Every [`Finding`] says which rule fired, where in the **original** text (a
//! half-open byte span), how serious it is, and what the buyer should do.
//!
//! ```
//! use redflag::{Category, Detector, Risk};
//!
//! let detector = Detector::new();
//! let text = "加我薇信，私下转账便宜5个点";
//! let report = detector.scan(text);
//! assert_eq!(report.risk(), Risk::High);
//! assert!(report.findings().iter().any(|f| f.category() == Category::ContactMove));
//! for f in report.findings() {
//!     // Spans always point into the caller's text, on char boundaries.
//!     println!("{} {:?} {}", f.rule_id(), f.severity(), &text[f.span()]);
//! }
//! ```
//!
//! ## The pipeline
//!
//! fold (a folded view of the text plus a map back to original bytes) → one Aho-Corasick automaton over every
//! concept lexicon's folded terms → concept hits per clause and sentence → rules composed from concepts (all / any
//! / none of them within a clause, a sentence, N words or the message) → context (negation, warnings, a buyer's
//! question or report, notices, refusals: one shared stage whose cues are lexicons too) → a severity per finding
//! and a [`Risk`] per message; a [`Conversation`] carries categories across a chat.
//!
//! ## Rules are data
//!
//! The built-in dictionaries live in `data/lexicons/*.toml` (named concept lists, English and Chinese) and
//! `data/rules/*.toml` (one file per [`Category`], each rule a formula over concepts). Each rule carries examples it
//! must match and must not match; [`Detector::check_examples`] runs them. Add your own rules and lexicons with
//! [`DetectorBuilder::add_rules_toml`]; the format is documented in `data/lexicons/README.md`.
//!
//! ## Untrusted input
//!
//! [`Detector::scan`] never fails and never panics, whatever the input; its cost is linear in the input length
//! (the automaton and the `regex` crate are linear-time, and patterns run only in scopes where their concepts
//! occur). Rule files are
//! validated when the detector is built: the regex size is limited, and every error names the source, line and
//! rule. Searching cannot fail.
//!
//! ## Limitations
//!
//! `redflag` is a dictionary-and-pattern detector, not a classifier: it finds the known pretexts and their evasive
//! spellings, and it errs towards silence on ordinary trade talk (an alert is risk [`Risk::High`]). Pretexts
//! written in ways no rule describes are missed; a finding is a reason to verify through the platform, not proof of
//! fraud.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod automaton;
mod batch;
mod checksum;
mod codec;
mod compile;
mod compose;
mod context;
mod conversation;
mod detector;
pub(crate) mod entities;
mod error;
mod forms;
mod handle;
mod hits;
mod inflect;
mod lexicon;
pub(crate) mod normalize;
mod pattern;
mod report;
mod rules;
mod scan;
mod score;
mod snapshot;

pub use crate::conversation::{Conversation, Escalation, Role, Seen};
pub use crate::detector::{Detector, DetectorBuilder};
pub use crate::entities::{Entity, EntityKind};
pub use crate::error::{Error, ExampleFailure, ExampleFailures, Location, RuleErrorKind};
pub use crate::handle::DetectorHandle;
pub use crate::lexicon::Lexicon;
pub use crate::normalize::Folding;
pub use crate::report::{Finding, Reason, Report, Suppressed};
pub use crate::rules::{Advice, Rule, Ruleset};
pub use crate::scan::Cache;
pub use crate::score::{Category, ParseEnumError, Risk, Severity};

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}
    fn assert_unwind_safe<T: std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}

    #[test]
    fn public_types_are_send_sync_unwind_safe() {
        assert_send_sync::<Detector>();
        assert_send_sync::<DetectorBuilder>();
        assert_send_sync::<Cache>();
        assert_send_sync::<Report>();
        assert_send_sync::<Finding>();
        assert_send_sync::<Error>();
        assert_send_sync::<Ruleset>();
        assert_send_sync::<Rule>();
        assert_send_sync::<Category>();
        assert_send_sync::<Severity>();
        assert_send_sync::<Risk>();
        assert_send_sync::<Conversation>();
        assert_send_sync::<Escalation>();
        assert_send_sync::<Role>();
        assert_send_sync::<Folding>();
        assert_unwind_safe::<Detector>();
        assert_unwind_safe::<Report>();
    }
}

/// The README's code blocks, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
