//! The JSON form of one scanned message, exactly as the `scan` CLI prints it (`--format jsonl`, and each element of
//! `messages` in `--format json`), so that every embedding (the CLI, the C/Python bindings of `redflag-ffi`, your
//! own service) produces the same bytes for the same message.
//!
//! The object has the keys `entities`, `findings`, `index`, `line`, `risk`, `sender`, `text` and `time`
//! (serialized in that order, the default key order of `serde_json`), plus `role` when the message is part of a
//! conversation with known roles, and, in explain mode, `suppressed` and each finding's `trigger`. Each entity
//! ([`Report::entities`]) is `{"end", "kind", "start", "value"}`, plus `imitates` for a look-alike link. The JSON
//! Schema is `data/report.schema.json`.
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

use serde_json::{json, Value};

use redflag::{Report, Role};

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
        let text = self.text;
        let r = self.report;
        let with_trigger = self.explain || !r.suppressed().is_empty();
        let findings: Vec<Value> = r
            .findings()
            .iter()
            .map(|f| {
                let mut v = json!({
                    "rule": f.rule_id(),
                    "category": f.category(),
                    "severity": f.severity(),
                    "start": f.span().start,
                    "end": f.span().end,
                    "text": slice(text, f.span()),
                });
                if let Some(e) = f.entity() {
                    v["entity"] = json!(e);
                }
                if with_trigger {
                    v["trigger"] = json!({
                        "start": f.trigger().start,
                        "end": f.trigger().end,
                        "text": slice(text, f.trigger()),
                    });
                }
                v
            })
            .collect();
        let mut v = json!({
            "index": self.index,
            "line": self.line,
            "sender": self.sender,
            "time": self.time,
            "text": text,
            "risk": r.risk(),
            "findings": findings,
            "entities": r.entities(),
        });
        if let Some(role) = self.role {
            v["role"] = json!(role);
        }
        if self.explain {
            let suppressed: Vec<Value> = r
                .suppressed()
                .iter()
                .map(|s| {
                    let mut x = serde_json::to_value(s).unwrap_or(Value::Null);
                    x["text"] = json!(slice(text, s.span()));
                    x
                })
                .collect();
            v["suppressed"] = json!(suppressed);
        }
        v
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
        // Serializing a `Value` cannot fail (its map keys are strings).
        serde_json::to_string(&self.to_value()).unwrap_or_default()
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
}
