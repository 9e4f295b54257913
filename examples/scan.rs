//! Scan a pasted chat log for scam pretexts.
//!
//! ```text
//! cargo run --release --example scan -- [OPTIONS] [FILE]
//! ```
//!
//! Run with `--help` for the options. Exit status: 0 when nothing reaches `--fail-on`, 1 when something does,
//! 2 on bad usage or unreadable input.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use redflag::{Category, Conversation, Detector, Report, Risk, Role, Ruleset};
use redflag_chat::json::{ConversationRecord, MessageJson, MessageRecord};
use redflag_chat::{ChatReader, InputFormat, Message};
use unicode_segmentation::UnicodeSegmentation;

const HELP: &str = "\
scan: flag scam pretexts in a supplier chat log

USAGE:
    scan [OPTIONS] [FILE]          (stdin when FILE is absent or -)

OPTIONS:
    --lines                  every line is one message (no chat parsing, no conversation state)
    --input-format FMT       auto (default), whatsapp, wechat, wangwang, qianniu, name, plain
    --format FMT             human (default), json, jsonl
    --fail-on LEVEL          exit 1 when a message or the conversation reaches LEVEL: none, low, medium, high
                             (default high)
    --me NAME                the buyer's name in the log: every other sender is the seller
    --seller NAME            the seller's name in the log: every other sender is the buyer
    --rules FILE.toml        add the rules of FILE to the built-in ones (repeatable)
    --no-builtin             use only the rules given with --rules
    --check-rules PATH       load a rule file or a directory of *.toml files (with the built-in rules unless
                             --no-builtin), run every rule's examples, report failures, exit 0/1
    --explain                with each finding, the keyword that triggered it; with each message, the candidates
                             that context suppressed and why (JSON: \"trigger\", \"suppressed\"; human: listed)
    --color WHEN             auto (default: colour on a terminal unless NO_COLOR is set), always, never
    -h, --help               this help
    -V, --version            the version
";

#[derive(Debug)]
struct Options {
    lines: bool,
    input_format: InputFormat,
    format: Format,
    fail_on: Option<Risk>,
    rules: Vec<PathBuf>,
    builtin: bool,
    check_rules: Option<PathBuf>,
    color: Option<bool>,
    file: Option<PathBuf>,
    me: Option<String>,
    seller: Option<String>,
    explain: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Jsonl,
}

/// A usage or input error: printed with `scan:` and exit status 2.
#[derive(Debug)]
struct Fatal(String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Fatal {
        Fatal(e.to_string())
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => ExitCode::from(code),
        Err(Fatal(msg)) => {
            eprintln!("scan: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<u8, Fatal> {
    let Some(opts) = parse_args(std::env::args_os().skip(1))? else {
        return Ok(0);
    };
    if let Some(path) = &opts.check_rules {
        return check_rules(path, &opts);
    }
    let mut builder = Detector::builder().builtin_rules(opts.builtin);
    for path in &opts.rules {
        builder = builder.add_rules_file(path)?;
    }
    let detector = builder.build()?;
    let stdout = std::io::stdout();
    let color = opts
        .color
        .unwrap_or_else(|| stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none());
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = if opts.lines {
        lines_mode(&detector, &opts, color, &mut out)
    } else {
        chat_mode(&detector, &opts, color, &mut out)
    };
    let overall = match result.and_then(|r| out.flush().map(|_| r)) {
        Ok(r) => r,
        // A closed pipe (`scan … | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(0),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => return Err(Fatal(e.to_string())),
        Err(e) => return Err(Fatal(format!("cannot read or write: {e}"))),
    };
    Ok(match opts.fail_on {
        Some(level) if overall >= level => 1,
        _ => 0,
    })
}

/// `--lines`: one message per line, streamed (memory stays bounded whatever the input size), no conversation.
fn lines_mode(detector: &Detector, opts: &Options, color: bool, out: &mut impl Write) -> std::io::Result<Risk> {
    let mut input = open_input(opts.file.as_deref())?;
    let mut buf = Vec::new();
    let mut warned = false;
    let mut overall = Risk::None;
    let mut index = 0;
    let mut summary = Summary::default();
    if opts.format == Format::Json {
        write!(out, "{{\"messages\":[")?;
    }
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        let text = lossy(&buf, &mut warned);
        let m = Message {
            index,
            line: index + 1,
            sender: None,
            time: None,
            text: text.into_owned(),
            system: false,
        };
        let r = if opts.explain {
            detector.explain(&m.text)
        } else {
            detector.scan(&m.text)
        };
        overall = overall.max(r.risk());
        match opts.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut *out, &message_json(&m, &r, None, opts.explain))?;
                writeln!(out)?;
            }
            Format::Json => {
                if index > 0 {
                    write!(out, ",")?;
                }
                serde_json::to_writer(&mut *out, &message_json(&m, &r, None, opts.explain))?;
            }
            Format::Human => human_message(out, &m, &r, color, opts.explain)?,
        }
        summary.add(&r);
        index += 1;
    }
    match opts.format {
        Format::Json => {
            document_tail(out, overall, &ConversationRecord::lines_only(overall))?;
        }
        Format::Human => summary.write(out, None, color)?,
        Format::Jsonl => {}
    }
    Ok(overall)
}

/// A chat log: parsed into messages with senders and scanned as one conversation, streamed (memory bounded by
/// the longest message, whatever the log's size).
fn chat_mode(detector: &Detector, opts: &Options, color: bool, out: &mut impl Write) -> std::io::Result<Risk> {
    let mut reader = ChatReader::new(open_input(opts.file.as_deref())?, opts.input_format);
    let mut convo = detector.conversation();
    let mut summary = Summary::default();
    let mut warned = false;
    if opts.format == Format::Json {
        write!(out, "{{\"messages\":[")?;
    }
    while let Some(m) = reader.next() {
        let m = m?;
        if reader.lossy() && !warned {
            warned = true;
            eprintln!("scan: warning: input is not valid UTF-8; invalid bytes were replaced with U+FFFD");
        }
        // Lines the chat app wrote (encryption notice, media omitted, deleted messages) are not messages.
        if m.system {
            continue;
        }
        let role = role_of(&m, opts);
        let r = if opts.explain {
            convo.push_explained(role, &m.text)
        } else {
            convo.push(role, &m.text)
        };
        match opts.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut *out, &message_json(&m, &r, Some(role), opts.explain))?;
                writeln!(out)?;
            }
            Format::Json => {
                if m.index > 0 {
                    write!(out, ",")?;
                }
                serde_json::to_writer(&mut *out, &message_json(&m, &r, Some(role), opts.explain))?;
            }
            // The buyer's own messages are not flagged to the buyer; they still count as messages.
            Format::Human if role == Role::Buyer => summary.messages += 1,
            Format::Human => {
                human_message(out, &m, &r, color, opts.explain)?;
                summary.add(&r);
            }
        }
    }
    let overall = convo.risk();
    match opts.format {
        Format::Json => {
            document_tail(out, overall, &ConversationRecord::of(&convo))?;
        }
        Format::Human => summary.write(out, Some(&convo), color)?,
        Format::Jsonl => {}
    }
    Ok(overall)
}

/// The role of a message's sender, from `--me` / `--seller`.
fn role_of(m: &Message, opts: &Options) -> Role {
    let Some(sender) = m.sender.as_deref() else {
        return Role::Unknown;
    };
    match (&opts.seller, &opts.me) {
        (Some(seller), _) if sender == seller => Role::Seller,
        (Some(_), _) => Role::Buyer,
        (None, Some(me)) if sender == me => Role::Buyer,
        (None, Some(_)) => Role::Seller,
        (None, None) => Role::Unknown,
    }
}

/// Parses the options with `lexopt`: `--opt value` and `--opt=value`, `-` for stdin, the same messages as ever.
fn parse_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Option<Options>, Fatal> {
    use lexopt::prelude::*;

    let mut o = Options {
        lines: false,
        input_format: InputFormat::Auto,
        format: Format::Human,
        fail_on: Some(Risk::High),
        rules: Vec::new(),
        builtin: true,
        check_rules: None,
        color: None,
        file: None,
        me: None,
        seller: None,
        explain: false,
    };
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = parser.next().map_err(|e| Fatal(format!("{e} (see --help)")))? {
        // Owned, so that the parser can be asked for the option's value.
        let name = match arg {
            Long(l) => format!("--{l}"),
            Short(c) => format!("-{c}"),
            Value(v) => {
                if v == "-" {
                    o.file = None;
                } else if o.file.is_some() {
                    return Err(Fatal("only one input FILE may be given".into()));
                } else {
                    o.file = Some(PathBuf::from(v));
                }
                continue;
            }
        };
        // The option's value as UTF-8 text, with the old message when it is missing.
        let mut val = || -> Result<String, Fatal> {
            let v = parser
                .value()
                .map_err(|_| Fatal(format!("{name} needs a value (see --help)")))?;
            v.into_string()
                .map_err(|v| Fatal(format!("{name}: {v:?} is not valid UTF-8")))
        };
        match name.as_str() {
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(None);
            }
            "-V" | "--version" => {
                println!("scan (redflag {})", env!("CARGO_PKG_VERSION"));
                return Ok(None);
            }
            "--lines" => o.lines = true,
            "--explain" => o.explain = true,
            "--no-builtin" => o.builtin = false,
            "--input-format" => o.input_format = val()?.parse().map_err(Fatal)?,
            "--format" => {
                o.format = match val()?.as_str() {
                    "human" => Format::Human,
                    "json" => Format::Json,
                    "jsonl" => Format::Jsonl,
                    other => return Err(Fatal(format!("unknown format {other:?} (expected human, json, jsonl)"))),
                }
            }
            "--fail-on" => {
                o.fail_on = match val()?.as_str() {
                    "none" => None,
                    level => Some(level.parse::<Risk>()?),
                }
            }
            "--rules" => o.rules.push(PathBuf::from(val()?)),
            "--me" => o.me = Some(val()?),
            "--seller" => o.seller = Some(val()?),
            "--check-rules" => o.check_rules = Some(PathBuf::from(val()?)),
            "--color" | "--colour" => {
                o.color = match val()?.as_str() {
                    "auto" => None,
                    "always" => Some(true),
                    "never" => Some(false),
                    other => {
                        return Err(Fatal(format!(
                            "unknown --color {other:?} (expected auto, always, never)"
                        )))
                    }
                }
            }
            _ => return Err(Fatal(format!("unknown option {name} (see --help)"))),
        }
    }
    Ok(Some(o))
}

/// The input, buffered: the file, or stdin.
fn open_input(path: Option<&std::path::Path>) -> std::io::Result<Box<dyn BufRead>> {
    Ok(match path {
        Some(p) => {
            let f = std::fs::File::open(p).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("cannot read {}: {e}", p.display()),
                )
            })?;
            Box::new(std::io::BufReader::with_capacity(1 << 16, f))
        }
        None => Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin())),
    })
}

/// Text from bytes, replacing invalid UTF-8 (with one warning on stderr).
fn lossy<'a>(bytes: &'a [u8], warned: &mut bool) -> std::borrow::Cow<'a, str> {
    let text = String::from_utf8_lossy(bytes);
    if matches!(text, std::borrow::Cow::Owned(_)) && !*warned {
        *warned = true;
        eprintln!("scan: warning: input is not valid UTF-8; invalid bytes were replaced with U+FFFD");
    }
    text
}

fn check_rules(path: &std::path::Path, opts: &Options) -> Result<u8, Fatal> {
    let mut files = Vec::new();
    if path.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())))?;
        for entry in entries {
            let p = entry?.path();
            if p.extension().is_some_and(|e| e == "toml") {
                files.push(p);
            }
        }
        files.sort();
    } else {
        files.push(path.to_path_buf());
    }
    let mut set = Ruleset::new();
    for f in &files {
        set.add_file(f)?;
    }
    let n = set.rules().len();
    let detector = Detector::builder().builtin_rules(opts.builtin).rules(set).build()?;
    match detector.check_examples() {
        Ok(()) => {
            println!("{n} rule(s) in {} file(s): every example passes", files.len());
            Ok(0)
        }
        Err(failures) => {
            // Only failures of the rules being checked matter here.
            let ours: Vec<_> = failures
                .failures()
                .iter()
                .filter(|f| files.iter().any(|p| p.display().to_string() == f.location.source))
                .collect();
            for f in &ours {
                println!("{f}");
            }
            println!("{} example failure(s) in {n} rule(s)", ours.len());
            Ok(u8::from(!ours.is_empty()))
        }
    }
}

/// One message as JSON: the library's form (`redflag_chat::json`), so the CLI, the C API and embedders agree.
fn message_json<'a>(m: &'a Message, r: &'a Report, role: Option<Role>, explain: bool) -> MessageRecord<'a> {
    MessageJson::new(m.index, m.line, &m.text, r)
        .sender(m.sender.as_deref())
        .time(m.time.as_deref())
        .role(role)
        .explain(explain)
        .record()
}

/// The end of the `--format json` document, after its messages: `],"risk":…,"conversation":{…}}`. The document is
/// streamed, so it is written in pieces rather than as one value.
fn document_tail(out: &mut impl Write, overall: Risk, conversation: &ConversationRecord) -> std::io::Result<()> {
    write!(out, "],\"risk\":")?;
    serde_json::to_writer(&mut *out, &overall)?;
    write!(out, ",\"conversation\":")?;
    serde_json::to_writer(&mut *out, conversation)?;
    writeln!(out, "}}")
}

fn paint(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn risk_code(r: Risk) -> &'static str {
    match r {
        Risk::High => "1;31",
        Risk::Medium => "1;33",
        Risk::Low => "1;36",
        Risk::None => "0",
    }
}

/// One flagged message: header, text with the findings marked, the findings, the advice once per category.
fn human_message(out: &mut impl Write, m: &Message, r: &Report, color: bool, explain: bool) -> std::io::Result<()> {
    if r.findings().is_empty() {
        return Ok(());
    }
    let who = m.sender.as_deref().unwrap_or("-");
    let when = m.time.as_deref().map(|t| format!(" {t}")).unwrap_or_default();
    let risk = r.risk().as_str().to_uppercase();
    writeln!(
        out,
        "{} line {}  {who}{when}  {}",
        paint(color, "1", &format!("#{}", m.index + 1)),
        m.line,
        paint(color, risk_code(r.risk()), &risk)
    )?;
    writeln!(out, "  {}", highlight(&m.text, r, color).replace('\n', "\n  "))?;
    for f in r.findings() {
        writeln!(
            out,
            "  - {} ({}) {}: \"{}\"",
            f.category(),
            f.severity(),
            f.rule_id(),
            snippet(&m.text[f.span()], 60)
        )?;
    }
    if explain {
        for f in r.findings() {
            writeln!(out, "    {} triggered by \"{}\"", f.rule_id(), &m.text[f.trigger()])?;
        }
        for s in r.suppressed() {
            writeln!(
                out,
                "    (suppressed {} on \"{}\": {:?})",
                s.rule_id(),
                snippet(&m.text[s.span()], 40),
                s.reason()
            )?;
        }
    }
    // Advice once per category, in the message's language.
    let mut advised = Vec::new();
    for f in r.findings() {
        if !advised.contains(&f.category()) {
            advised.push(f.category());
            writeln!(out, "  {} {}", paint(color, "1", "→"), f.advice().for_text(&m.text))?;
        }
    }
    writeln!(out)
}

/// Counts for the closing summary.
#[derive(Default)]
struct Summary {
    messages: usize,
    by_risk: [usize; 4],
    categories: Vec<Category>,
}

impl Summary {
    fn add(&mut self, r: &Report) {
        self.messages += 1;
        self.by_risk[r.risk() as usize] += 1;
        for c in r.categories() {
            if !self.categories.contains(&c) {
                self.categories.push(c);
            }
        }
    }

    fn write(&self, out: &mut impl Write, convo: Option<&Conversation>, color: bool) -> std::io::Result<()> {
        let flagged: usize = self.by_risk[Risk::Low as usize..].iter().sum();
        writeln!(
            out,
            "{} messages, {flagged} flagged (high {}, medium {}, low {}).",
            self.messages,
            self.by_risk[Risk::High as usize],
            self.by_risk[Risk::Medium as usize],
            self.by_risk[Risk::Low as usize]
        )?;
        let mut cats = self.categories.clone();
        cats.sort();
        if !cats.is_empty() {
            let names: Vec<&str> = cats.iter().map(|c| c.as_str()).collect();
            writeln!(out, "Seen: {}.", names.join(", "))?;
        }
        if let Some(convo) = convo {
            for e in convo.escalations() {
                let msgs: Vec<String> = e.messages().iter().map(|i| format!("#{}", i + 1)).collect();
                writeln!(
                    out,
                    "Across messages {}: {} ({}).",
                    msgs.join(", "),
                    e.description(),
                    e.risk()
                )?;
            }
            let risk = convo.risk();
            writeln!(
                out,
                "Conversation risk: {}",
                paint(color, risk_code(risk), &risk.as_str().to_uppercase())
            )?;
        }
        Ok(())
    }
}

/// The message with its findings marked: ANSI reverse video on a terminal, `[[…]]` otherwise.
fn highlight(text: &str, r: &Report, color: bool) -> String {
    let mut spans: Vec<_> = r.findings().iter().map(|f| f.span()).collect();
    spans.sort_by_key(|s| s.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for s in spans {
        match merged.last_mut() {
            Some(l) if s.start <= l.end => l.end = l.end.max(s.end),
            _ => merged.push(s),
        }
    }
    let (open, close) = if color { ("\x1b[7m", "\x1b[0m") } else { ("[[", "]]") };
    let mut out = String::with_capacity(text.len() + merged.len() * 8);
    let mut at = 0;
    for s in merged {
        out.push_str(&text[at..s.start]);
        out.push_str(open);
        out.push_str(&text[s.clone()]);
        out.push_str(close);
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

/// At most `max` graphemes of `s`, with an ellipsis when cut.
fn snippet(s: &str, max: usize) -> String {
    let g: Vec<&str> = s.graphemes(true).collect();
    if g.len() <= max {
        s.replace('\n', " ")
    } else {
        format!("{}…", g[..max].concat().replace('\n', " "))
    }
}
