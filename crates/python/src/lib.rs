//! Python bindings of `redflag`: the `redflag._redflag` extension module, re-exported by the `redflag` package.
//!
//! Offsets given to Python are character offsets (so that `text[f.start:f.end] == f.text`), with the byte offsets
//! beside them. Batch scans release the GIL and use every core. A `Detector` pickles as its rule sources and is
//! rebuilt on load, so Spark, multiprocessing and Ray can ship it.

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

create_exception!(
    _redflag,
    RuleError,
    PyException,
    "A rule file or rule text does not load: the message names the file, line and rule."
);

/// Character offset of each byte offset of `text` (byte offsets on char boundaries, as every span is).
fn char_offset(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |t| t.chars().count())
}

/// One finding of a scan.
#[pyclass(module = "redflag._redflag", frozen, get_all)]
#[derive(Clone)]
struct Finding {
    rule: String,
    category: String,
    severity: String,
    /// Character offsets into the scanned text.
    start: usize,
    end: usize,
    /// Byte offsets into the text's UTF-8.
    byte_start: usize,
    byte_end: usize,
    text: String,
}

#[pymethods]
impl Finding {
    fn __repr__(&self) -> String {
        format!(
            "Finding(rule={:?}, category={:?}, severity={:?}, start={}, end={}, text={:?})",
            self.rule, self.category, self.severity, self.start, self.end, self.text
        )
    }
}

/// One entity of a scanned message: a handle, phone, account, crypto address or link.
#[pyclass(module = "redflag._redflag", frozen, get_all)]
#[derive(Clone)]
struct Entity {
    kind: String,
    value: String,
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
    /// For a look-alike link: the brand its domain imitates.
    imitates: Option<String>,
}

#[pymethods]
impl Entity {
    fn __repr__(&self) -> String {
        format!(
            "Entity(kind={:?}, value={:?}, start={}, end={})",
            self.kind, self.value, self.start, self.end
        )
    }
}

/// The result of scanning one message.
#[pyclass(module = "redflag._redflag", frozen)]
struct Report {
    text: String,
    report: redflag::Report,
}

impl Report {
    fn new(text: String, report: redflag::Report) -> Report {
        Report { text, report }
    }
}

#[pymethods]
impl Report {
    /// "none", "low", "medium" or "high".
    #[getter]
    fn risk(&self) -> String {
        self.report.risk().to_string()
    }

    /// Whether the message should stop the buyer (risk "high").
    #[getter]
    fn is_alert(&self) -> bool {
        self.report.is_alert()
    }

    /// The findings, in text order.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        let t = &self.text;
        self.report
            .findings()
            .iter()
            .map(|f| Finding {
                rule: f.rule_id().to_string(),
                category: f.category().to_string(),
                severity: f.severity().to_string(),
                start: char_offset(t, f.span().start),
                end: char_offset(t, f.span().end),
                byte_start: f.span().start,
                byte_end: f.span().end,
                text: t.get(f.span()).unwrap_or("").to_string(),
            })
            .collect()
    }

    /// The categories of the findings, each once, in order of first appearance.
    #[getter]
    fn categories(&self) -> Vec<String> {
        self.report.categories().iter().map(|c| c.to_string()).collect()
    }

    /// The entities.
    #[getter]
    fn entities(&self) -> Vec<Entity> {
        let t = &self.text;
        self.report
            .entities()
            .iter()
            .map(|e| Entity {
                kind: e.kind().to_string(),
                value: e.value().to_string(),
                start: char_offset(t, e.span().start),
                end: char_offset(t, e.span().end),
                byte_start: e.span().start,
                byte_end: e.span().end,
                imitates: e.imitates().map(str::to_string),
            })
            .collect()
    }

    /// The CLI's JSON object of this message (`scan --lines --format jsonl`), as a string.
    fn to_json(&self) -> String {
        redflag_chat::json::message_json(0, 1, None, None, &self.text, &self.report)
    }

    /// The `findings` array of the CLI's JSON object, as a string (what the Spark job stores per message, without
    /// building and re-parsing the whole object).
    fn findings_json(&self) -> String {
        let record = redflag_chat::json::MessageJson::new(0, 1, &self.text, &self.report).record();
        // Serializing these records cannot fail: every map key is a string.
        serde_json::to_string(&record.findings).unwrap_or_default()
    }

    /// The CLI's JSON object of this message as a dict (its byte offsets, as in the CLI's JSON).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?.call_method1("loads", (self.to_json(),))
    }

    fn __repr__(&self) -> String {
        format!(
            "Report(risk={:?}, findings={})",
            self.risk(),
            self.report.findings().len()
        )
    }
}

/// Scans supplier chat messages for scam pretexts.
#[pyclass(module = "redflag._redflag", frozen)]
struct Detector {
    detector: redflag::Detector,
    /// `(name, TOML text)` of every added rule file, for pickling.
    sources: Vec<(String, String)>,
    builtin: bool,
}

fn build(sources: &[(String, String)], builtin: bool) -> PyResult<redflag::Detector> {
    let mut b = redflag::Detector::builder().builtin_rules(builtin);
    for (name, text) in sources {
        b = b
            .add_rules_toml_named(name, text)
            .map_err(|e| RuleError::new_err(e.to_string()))?;
    }
    b.build().map_err(|e| RuleError::new_err(e.to_string()))
}

#[pymethods]
impl Detector {
    /// `Detector()` has the built-in rules; `rules` adds rule files (TOML paths); `builtin=False` leaves the
    /// built-in rules out.
    #[new]
    #[pyo3(signature = (rules = None, builtin = true))]
    fn new(py: Python<'_>, rules: Option<Vec<std::path::PathBuf>>, builtin: bool) -> PyResult<Detector> {
        let mut sources = Vec::new();
        for path in rules.unwrap_or_default() {
            let text =
                std::fs::read_to_string(&path).map_err(|e| RuleError::new_err(format!("{}: {e}", path.display())))?;
            sources.push((path.display().to_string(), text));
        }
        let detector = py.allow_threads(|| build(&sources, builtin))?;
        Ok(Detector {
            detector,
            sources,
            builtin,
        })
    }

    /// A detector with the built-in rules and the rules of a TOML text.
    #[staticmethod]
    #[pyo3(signature = (text, builtin = true))]
    fn from_toml(py: Python<'_>, text: String, builtin: bool) -> PyResult<Detector> {
        let sources = vec![("<inline>".to_string(), text)];
        let detector = py.allow_threads(|| build(&sources, builtin))?;
        Ok(Detector {
            detector,
            sources,
            builtin,
        })
    }

    /// Scans one message.
    fn scan(&self, py: Python<'_>, text: String) -> Report {
        let report = py.allow_threads(|| self.detector.scan(&text));
        Report::new(text, report)
    }

    /// Scans many messages in Rust, with the GIL released and every core in use; reports in input order.
    #[pyo3(signature = (texts, threads = 0))]
    fn scan_batch(&self, py: Python<'_>, texts: Vec<String>, threads: usize) -> Vec<Report> {
        let reports = py.allow_threads(|| self.detector.scan_batch_with(&texts, threads));
        texts.into_iter().zip(reports).map(|(t, r)| Report::new(t, r)).collect()
    }

    /// A new, empty conversation scanned by this detector.
    fn conversation(&self) -> Conversation {
        Conversation {
            convo: self.detector.conversation(),
        }
    }

    /// Pickles as the rule sources; loading rebuilds the detector.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let rebuild = py.import("redflag._redflag")?.getattr("_rebuild")?;
        let args = PyTuple::new(
            py,
            [
                self.sources.clone().into_pyobject(py)?.into_any(),
                self.builtin.into_pyobject(py)?.to_owned().into_any(),
            ],
        )?;
        Ok((rebuild, args))
    }

    fn __repr__(&self) -> String {
        format!(
            "Detector(rules={}, builtin={})",
            self.detector.rules().rules().len(),
            self.builtin
        )
    }
}

/// Rebuilds a pickled detector.
#[pyfunction]
fn _rebuild(py: Python<'_>, sources: Vec<(String, String)>, builtin: bool) -> PyResult<Detector> {
    let detector = py.allow_threads(|| build(&sources, builtin))?;
    Ok(Detector {
        detector,
        sources,
        builtin,
    })
}

/// The state of one chat: push messages in order.
#[pyclass(module = "redflag._redflag")]
struct Conversation {
    convo: redflag::Conversation,
}

#[pymethods]
impl Conversation {
    /// Scans the next message; `role` is "seller", "buyer" or "unknown". Returns the message's own report.
    fn push(&mut self, role: &str, text: String) -> PyResult<Report> {
        let role = match role {
            "seller" => redflag::Role::Seller,
            "buyer" => redflag::Role::Buyer,
            "unknown" => redflag::Role::Unknown,
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown role {other:?} (expected seller, buyer, unknown)"
                )))
            }
        };
        let report = self.convo.push(role, &text);
        Ok(Report::new(text, report))
    }

    /// The conversation's risk: the highest message risk, raised by escalation rules over several messages.
    #[getter]
    fn risk(&self) -> String {
        self.convo.risk().to_string()
    }

    /// The ids of the escalation rules the conversation met.
    #[getter]
    fn escalations(&self) -> Vec<String> {
        self.convo
            .escalations()
            .iter()
            .map(|e| e.rule_id().to_string())
            .collect()
    }

    /// How many messages were pushed.
    #[getter]
    fn messages(&self) -> usize {
        self.convo.messages()
    }
}

/// One message of a chat log.
#[pyclass(module = "redflag._redflag", frozen, get_all)]
#[derive(Clone)]
struct ChatMessage {
    index: usize,
    line: usize,
    sender: Option<String>,
    time: Option<String>,
    text: String,
    /// A line the chat app wrote (encryption notice, media omitted, deleted message), not a person's message.
    system: bool,
}

#[pymethods]
impl ChatMessage {
    fn __repr__(&self) -> String {
        format!(
            "ChatMessage(index={}, sender={:?}, time={:?}, text={:?})",
            self.index, self.sender, self.time, self.text
        )
    }
}

/// Parses a chat log (WhatsApp, WeChat, AliWangWang, Qianniu, LINE, Telegram JSON, WeChat merged forwards,
/// `Name: text`, plain lines) into messages.
#[pyfunction]
#[pyo3(signature = (text, format = "auto"))]
fn parse_chat(text: &str, format: &str) -> PyResult<Vec<ChatMessage>> {
    let format: redflag_chat::InputFormat = format.parse().map_err(PyValueError::new_err)?;
    Ok(redflag_chat::parse(text, format)
        .into_iter()
        .map(|m| ChatMessage {
            index: m.index,
            line: m.line,
            sender: m.sender,
            time: m.time,
            text: m.text,
            system: m.system,
        })
        .collect())
}

#[pymodule]
fn _redflag(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Detector>()?;
    m.add_class::<Report>()?;
    m.add_class::<Finding>()?;
    m.add_class::<Entity>()?;
    m.add_class::<Conversation>()?;
    m.add_class::<ChatMessage>()?;
    m.add_function(wrap_pyfunction!(parse_chat, m)?)?;
    m.add_function(wrap_pyfunction!(_rebuild, m)?)?;
    m.add("RuleError", m.py().get_type::<RuleError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
