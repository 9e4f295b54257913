//! The JSON form of one scanned message, exactly as the `scan` CLI prints it (`--format jsonl`, and each element of
//! `messages` in `--format json`), so that every embedding (the CLI, the C/Python bindings of `redflag-ffi`, your
//! own service) produces the same bytes for the same message.
//!
//! The object has the keys `entities`, `findings`, `index`, `line`, `risk`, `sender`, `text` and `time`
//! (serialized in that order, the default key order of `serde_json`), plus `role` when the message is part of a
//! conversation with known roles, and, in explain mode, `suppressed` and each finding's `trigger`. Each entity
//! ([`Report::entities`]) is `{"end", "kind", "start", "value"}`, plus `imitates` for a look-alike link. The JSON
//! Schema is `data/report.schema.json`. The objects are typed records ([`MessageRecord`], [`ConversationRecord`] and
//! their parts), so that key names and order are part of the types.
//!
//! ```
//! use redflag::Detector;
//! use redflag_chat::json;
//!
//! let text = "add me on wechat: lily_88";
//! let report = Detector::new().scan(text);
//! let line = json::message_json(0, 1, None, None, text, &report);
//! assert!(line.starts_with(r#"{"entities":[{"end":25,"kind":"wechat","start":18,"value":"lily_88"}],"#));
//! assert!(line.contains(r#""findings":[{"category":"contact_move","#));
//! assert!(line.ends_with(r#""risk":"medium","sender":null,"text":"add me on wechat: lily_88","time":null}"#));
//! ```

use serde::Serialize;
use serde_json::Value;

use redflag::{Category, Conversation, EntityKind, Reason, Report, Risk, Role, Severity};

/// One message and its report, to be turned into the CLI's JSON object; set the optional parts with the builder
/// methods, then call [`MessageJson::to_value`] or [`MessageJson::to_json`].
///
/// # Example
///
/// ```
/// use redflag::{Detector, Role};
/// use redflag_chat::json::MessageJson;
///
/// let text = "请勿添加微信私下交易";
/// let report = Detector::new().explain(text);
/// let v = MessageJson::new(3, 7, text, &report)
///     .sender(Some("Lily"))
///     .time(Some("10:02"))
///     .role(Some(Role::Seller))
///     .explain(true)
///     .to_value();
/// assert_eq!(v["index"], 3);
/// assert_eq!(v["line"], 7);
/// assert_eq!(v["sender"], "Lily");
/// assert_eq!(v["role"], "seller");
/// assert_eq!(v["risk"], "none");
/// assert!(!v["suppressed"].as_array().unwrap().is_empty());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct MessageJson<'a> {
    index: usize,
    line: usize,
    sender: Option<&'a str>,
    time: Option<&'a str>,
    text: &'a str,
    report: &'a Report,
    role: Option<Role>,
    explain: bool,
}

impl<'a> MessageJson<'a> {
    /// A message at `index` (from 0) starting at input line `line` (from 1), with no sender, time or role, and
    /// not in explain mode. `report` must be the report of `text` (its spans index into `text`).
    ///
    /// # Example
    ///
    /// ```
    /// let text = "hello";
    /// let r = redflag::Detector::new().scan(text);
    /// let v = redflag_chat::json::MessageJson::new(0, 1, text, &r).to_value();
    /// assert_eq!(v["findings"], serde_json::json!([]));
    /// ```
    pub fn new(index: usize, line: usize, text: &'a str, report: &'a Report) -> MessageJson<'a> {
        MessageJson {
            index,
            line,
            sender: None,
            time: None,
            text,
            report,
            role: None,
            explain: false,
        }
    }

    /// The sender, as parsed from the chat (`null` when `None`).
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().scan("hi");
    /// let v = redflag_chat::json::MessageJson::new(0, 1, "hi", &r).sender(Some("Tom")).to_value();
    /// assert_eq!(v["sender"], "Tom");
    /// ```
    pub fn sender(mut self, sender: Option<&'a str>) -> MessageJson<'a> {
        self.sender = sender;
        self
    }

    /// The time stamp, as written in the chat (`null` when `None`).
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().scan("hi");
    /// let v = redflag_chat::json::MessageJson::new(0, 1, "hi", &r).time(Some("09:31")).to_value();
    /// assert_eq!(v["time"], "09:31");
    /// ```
    pub fn time(mut self, time: Option<&'a str>) -> MessageJson<'a> {
        self.time = time;
        self
    }

    /// The sender's role: adds the key `role` when `Some` (the CLI's chat mode); no key when `None` (`--lines`).
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().scan("hi");
    /// let v = redflag_chat::json::MessageJson::new(0, 1, "hi", &r).role(Some(redflag::Role::Buyer)).to_value();
    /// assert_eq!(v["role"], "buyer");
    /// ```
    pub fn role(mut self, role: Option<Role>) -> MessageJson<'a> {
        self.role = role;
        self
    }

    /// Explain mode (the CLI's `--explain`, for a report from [`Detector::explain`](redflag::Detector::explain)):
    /// adds `suppressed` to the message and `trigger` to every finding. Findings also carry `trigger` whenever
    /// the report has suppressed candidates.
    ///
    /// # Example
    ///
    /// ```
    /// let text = "add me on wechat: lily_88";
    /// let r = redflag::Detector::new().explain(text);
    /// let v = redflag_chat::json::MessageJson::new(0, 1, text, &r).explain(true).to_value();
    /// // The trigger is where the rule's first concept was found, inside or near the finding.
    /// assert!(text.contains(v["findings"][0]["trigger"]["text"].as_str().unwrap()));
    /// assert!(v["suppressed"].is_array());
    /// ```
    pub fn explain(mut self, explain: bool) -> MessageJson<'a> {
        self.explain = explain;
        self
    }

    /// The JSON object.
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().scan("pay to my personal account");
    /// let v = redflag_chat::json::MessageJson::new(0, 1, "pay to my personal account", &r).to_value();
    /// assert_eq!(v["risk"], "high");
    /// ```
    pub fn to_value(&self) -> Value {
        // Serializing these records cannot fail: every map key is a string.
        serde_json::to_value(self.record()).unwrap_or(Value::Null)
    }

    /// The message as a typed record: what [`MessageJson::to_json`] serializes, field by field.
    ///
    /// # Example
    ///
    /// ```
    /// let text = "pay to my personal account";
    /// let r = redflag::Detector::new().scan(text);
    /// let rec = redflag_chat::json::MessageJson::new(0, 1, text, &r).record();
    /// assert_eq!(rec.risk, redflag::Risk::High);
    /// assert_eq!(rec.findings[0].text, &text[rec.findings[0].start..rec.findings[0].end]);
    /// ```
    pub fn record(&self) -> MessageRecord<'a> {
        let text = self.text;
        let r = self.report;
        let with_trigger = self.explain || !r.suppressed().is_empty();
        let findings = r
            .findings()
            .iter()
            .map(|f| FindingRecord {
                category: f.category(),
                end: f.span().end,
                entity: f.entity(),
                rule: f.rule_id(),
                severity: f.severity(),
                start: f.span().start,
                text: slice(text, f.span()),
                trigger: with_trigger.then(|| SpanText {
                    end: f.trigger().end,
                    start: f.trigger().start,
                    text: slice(text, f.trigger()),
                }),
            })
            .collect();
        let entities = r
            .entities()
            .iter()
            .map(|e| EntityRecord {
                end: e.span().end,
                imitates: e.imitates(),
                kind: e.kind(),
                start: e.span().start,
                value: e.value(),
            })
            .collect();
        let suppressed = self.explain.then(|| {
            r.suppressed()
                .iter()
                .map(|s| SuppressedRecord {
                    end: s.span().end,
                    rule: s.rule_id(),
                    start: s.span().start,
                    text: slice(text, s.span()),
                    why: Why::of(s.reason()),
                })
                .collect()
        });
        MessageRecord {
            entities,
            findings,
            index: self.index,
            line: self.line,
            risk: r.risk(),
            role: self.role,
            sender: self.sender,
            suppressed,
            text,
            time: self.time,
        }
    }

    /// The JSON object as one line of text (no trailing newline), as the CLI prints it with `--format jsonl`.
    ///
    /// # Example
    ///
    /// ```
    /// let r = redflag::Detector::new().scan("hi");
    /// let s = redflag_chat::json::MessageJson::new(0, 1, "hi", &r).to_json();
    /// assert_eq!(
    ///     s,
    ///     r#"{"entities":[],"findings":[],"index":0,"line":1,"risk":"none","sender":null,"text":"hi","time":null}"#
    /// );
    /// ```
    pub fn to_json(&self) -> String {
        // Serializing these records cannot fail: every map key is a string.
        serde_json::to_string(&self.record()).unwrap_or_default()
    }
}

/// One message and its report as the CLI prints it. Fields serialize in this order (alphabetical), and the optional
/// ones only when present: `role` for a conversation with known roles, `suppressed` in explain mode.
#[derive(Debug, Clone, Serialize)]
pub struct MessageRecord<'a> {
    /// What the message names: handles, phones, accounts, links.
    pub entities: Vec<EntityRecord<'a>>,
    /// The findings, in text order.
    pub findings: Vec<FindingRecord<'a>>,
    /// Position in the log, from 0.
    pub index: usize,
    /// Input line of the message's first line, from 1.
    pub line: usize,
    /// The message's risk.
    pub risk: Risk,
    /// The sender's role in the conversation, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The sender's name as written (`null` when the format has none).
    pub sender: Option<&'a str>,
    /// In explain mode, each candidate that context dropped and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Vec<SuppressedRecord<'a>>>,
    /// The message text.
    pub text: &'a str,
    /// The time as written (`null` when the format has none).
    pub time: Option<&'a str>,
}

/// One finding: byte offsets into the message text, and the text they cover.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRecord<'a> {
    /// The pretext.
    pub category: Category,
    /// End byte offset (exclusive).
    pub end: usize,
    /// Index into the message's `entities` of the entity the finding rests on, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<usize>,
    /// The rule id (`category.name`).
    pub rule: &'a str,
    /// How serious the rule is.
    pub severity: Severity,
    /// Start byte offset.
    pub start: usize,
    /// `text[start..end]`.
    pub text: &'a str,
    /// The term that triggered the rule, in explain mode or when anything was suppressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<SpanText<'a>>,
}

/// A span with its text.
#[derive(Debug, Clone, Serialize)]
pub struct SpanText<'a> {
    /// End byte offset (exclusive).
    pub end: usize,
    /// Start byte offset.
    pub start: usize,
    /// The text of the span.
    pub text: &'a str,
}

/// One entity of the message.
#[derive(Debug, Clone, Serialize)]
pub struct EntityRecord<'a> {
    /// End byte offset (exclusive).
    pub end: usize,
    /// For a look-alike link: the brand its domain imitates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imitates: Option<&'a str>,
    /// What kind of entity.
    pub kind: EntityKind,
    /// Start byte offset.
    pub start: usize,
    /// The normalised value.
    pub value: &'a str,
}

/// A candidate finding that context dropped.
#[derive(Debug, Clone, Serialize)]
pub struct SuppressedRecord<'a> {
    /// End byte offset (exclusive).
    pub end: usize,
    /// The rule id.
    pub rule: &'a str,
    /// Start byte offset.
    pub start: usize,
    /// `text[start..end]`.
    pub text: &'a str,
    /// Why it was dropped.
    pub why: Why,
}

/// Why a candidate was dropped: `reason` names the context stage's verdict; `cue` is the span of the word that
/// decided it, `phrase` an allowlist phrase.
#[derive(Debug, Clone, Serialize)]
pub struct Why {
    /// The span of the cue (negation, warning), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<Span>,
    /// The allowlist phrase, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phrase: Option<String>,
    /// `negation`, `warning`, `allowlist`, `unless`, `not_a_word` or `signature`.
    pub reason: &'static str,
}

/// A byte span.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Span {
    /// End byte offset (exclusive).
    pub end: usize,
    /// Start byte offset.
    pub start: usize,
}

impl Why {
    fn of(reason: &Reason) -> Why {
        let span = |r: &std::ops::Range<usize>| {
            Some(Span {
                end: r.end,
                start: r.start,
            })
        };
        let (reason, cue, phrase) = match reason {
            Reason::Negation { cue } => ("negation", span(cue), None),
            Reason::Warning { cue } => ("warning", span(cue), None),
            Reason::Allowlist { phrase } => ("allowlist", None, Some(phrase.clone())),
            Reason::Unless => ("unless", None, None),
            Reason::NotAWord => ("not_a_word", None, None),
            Reason::Signature { cue } => ("signature", span(cue), None),
            _ => ("other", None, None),
        };
        Why { cue, phrase, reason }
    }
}

/// The `conversation` object of the CLI's `--format json` document: the conversation's risk, its escalations
/// (`findings`) and what each category looked like (`seen`).
///
/// # Example
///
/// ```
/// use redflag::{Detector, Role};
/// use redflag_chat::json::ConversationRecord;
///
/// let mut convo = Detector::new().conversation();
/// convo.push(Role::Seller, "add my wechat lily_8899");
/// convo.push(Role::Seller, "pay the deposit to my personal account");
/// let json = serde_json::to_string(&ConversationRecord::of(&convo))?;
/// assert!(json.starts_with(r#"{"findings":[{"categories":["#));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct ConversationRecord<'a> {
    /// The escalation rules the conversation met.
    pub findings: Vec<EscalationRecord<'a>>,
    /// The conversation's risk.
    pub risk: Risk,
    /// Per category seen in the supplier's messages: its highest risk and the messages.
    pub seen: Vec<SeenRecord<'a>>,
}

impl<'a> ConversationRecord<'a> {
    /// The record of a conversation's state.
    pub fn of(convo: &'a Conversation) -> ConversationRecord<'a> {
        ConversationRecord {
            findings: convo
                .escalations()
                .iter()
                .map(|e| EscalationRecord {
                    categories: e.categories(),
                    description: e.description(),
                    messages: e.messages(),
                    risk: e.risk(),
                    rule: e.rule_id(),
                })
                .collect(),
            risk: convo.risk(),
            seen: convo
                .seen()
                .iter()
                .map(|s| SeenRecord {
                    category: s.category,
                    messages: &s.messages,
                    risk: s.risk,
                })
                .collect(),
        }
    }

    /// The record of a `--lines` run, which has no conversation: the overall risk, no findings, nothing seen.
    pub fn lines_only(risk: Risk) -> ConversationRecord<'static> {
        ConversationRecord {
            findings: Vec::new(),
            risk,
            seen: Vec::new(),
        }
    }
}

/// One escalation: a rule met by several supplier messages together.
#[derive(Debug, Clone, Serialize)]
pub struct EscalationRecord<'a> {
    /// The categories that met it, in the order of `messages`.
    pub categories: &'a [Category],
    /// What it means.
    pub description: &'a str,
    /// The messages (indices from 0) that met it.
    pub messages: &'a [usize],
    /// The risk it gives the conversation.
    pub risk: Risk,
    /// The escalation rule's id (`conversation.*`).
    pub rule: &'a str,
}

/// One category over a conversation.
#[derive(Debug, Clone, Serialize)]
pub struct SeenRecord<'a> {
    /// The category.
    pub category: Category,
    /// The messages (indices from 0) where the supplier showed it.
    pub messages: &'a [usize],
    /// The highest risk one of its findings gave a message.
    pub risk: Risk,
}

/// A line the chat app wrote ([`Message::system`](crate::Message::system)): listed in `--format json` under
/// `system`, never scanned.
///
/// # Example
///
/// ```
/// let m = &redflag_chat::parse("12/01/2024, 10:15 - Messages and calls are end-to-end encrypted.", redflag_chat::InputFormat::WhatsApp)[0];
/// let v = serde_json::to_value(redflag_chat::json::SystemRecord::of(m)).unwrap();
/// assert_eq!(v["line"], 1);
/// assert_eq!(v["time"], "12/01/2024 10:15");
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct SystemRecord<'a> {
    /// The index the next person's message gets.
    pub index: usize,
    /// 1-based line in the input.
    pub line: usize,
    /// The name the app wrote it under, if any.
    pub sender: Option<&'a str>,
    /// The text.
    pub text: &'a str,
    /// The time as written.
    pub time: Option<&'a str>,
}

impl<'a> SystemRecord<'a> {
    /// The record of a system line.
    pub fn of(m: &'a crate::Message) -> SystemRecord<'a> {
        SystemRecord {
            index: m.index,
            line: m.line,
            sender: m.sender.as_deref(),
            text: &m.text,
            time: m.time.as_deref(),
        }
    }
}

/// The text of a span; empty when the span does not fit `text` (a report of another text), instead of panicking.
fn slice(text: &str, span: std::ops::Range<usize>) -> &str {
    text.get(span).unwrap_or("")
}

/// One message as the CLI's `--format jsonl` prints it (without the trailing newline): `index` from 0, `line`
/// from 1, `sender` and `time` (`null` when `None`), `text`, `risk`, `findings` with their `text`, and
/// `entities`. This is the object `redflag_scan_json` of the C API returns. For roles and explain mode use [`MessageJson`].
///
/// # Example
///
/// ```
/// use redflag::Detector;
///
/// let text = "Sorry, our payment gateway is under maintenance, please pay to my personal account.";
/// let report = Detector::new().scan(text);
/// let json = redflag_chat::json::message_json(0, 1, None, None, text, &report);
/// let v: serde_json::Value = serde_json::from_str(&json)?;
/// assert_eq!(v["risk"], "high");
/// assert_eq!(v["sender"], serde_json::Value::Null);
/// let f = &v["findings"][0];
/// let (start, end) = (f["start"].as_u64().unwrap() as usize, f["end"].as_u64().unwrap() as usize);
/// assert_eq!(f["text"], &text[start..end]);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn message_json(
    index: usize,
    line: usize,
    sender: Option<&str>,
    time: Option<&str>,
    text: &str,
    report: &Report,
) -> String {
    MessageJson::new(index, line, text, report)
        .sender(sender)
        .time(time)
        .to_json()
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag::Detector;

    #[test]
    fn keys_are_sorted_and_spans_match_the_text() {
        let text = "亲，公司账户在年审，这次货款先转我们会计的个人卡";
        let r = Detector::new().scan(text);
        let s = message_json(2, 5, Some("Lily"), Some("10:00"), text, &r);
        let v: Value = serde_json::from_str(&s).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["entities", "findings", "index", "line", "risk", "sender", "text", "time"]
        );
        assert!(s.contains("\"findings\":[{\"category\":"));
        for f in v["findings"].as_array().unwrap() {
            let (a, b) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(f["text"], &text[a..b]);
            assert!(f.get("trigger").is_none());
        }
        assert_eq!(v["risk"], "high");
    }

    #[test]
    fn a_report_of_another_text_does_not_panic() {
        let r = Detector::new().scan("please pay to my personal account, the gateway is under maintenance");
        let s = message_json(0, 1, None, None, "短", &r);
        assert!(s.contains("\"text\":\"\""));
    }

    /// `Why` spells the reason names again (to keep the CLI's key order); they must be `Reason`'s own.
    #[test]
    fn why_names_are_the_reasons_serde_names() {
        let reasons = [
            Reason::Negation { cue: 0..3 },
            Reason::Warning { cue: 1..4 },
            Reason::Allowlist { phrase: "x".into() },
            Reason::Unless,
            Reason::NotAWord,
            Reason::Signature { cue: 2..5 },
        ];
        for r in &reasons {
            let want = serde_json::to_value(r).unwrap();
            assert_eq!(want["reason"], Why::of(r).reason, "{r:?}");
            assert_eq!(serde_json::to_value(Why::of(r)).unwrap(), want, "{r:?}");
        }
    }
}
