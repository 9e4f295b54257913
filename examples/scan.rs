//! Scan a pasted chat log for scam pretexts.
//!
//! ```text
//! cargo run --release --example scan -- [OPTIONS] [FILE]
//! ```
//!
//! Run with `--help` for the options. Exit status: 0 when nothing reaches `--fail-on`, 1 when something does,
//! 2 on bad usage or unreadable input.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use redflag::chat::{self, InputFormat, Message};
use redflag::{Detector, Report, Risk, Ruleset};
use serde_json::{json, Value};
use unicode_segmentation::UnicodeSegmentation;

const HELP: &str = "\
scan: flag scam pretexts in a supplier chat log

USAGE:
    scan [OPTIONS] [FILE]          (stdin when FILE is absent or -)

OPTIONS:
    --lines                  every line is one message (no chat parsing, no conversation state)
    --input-format FMT       auto (default), whatsapp, wechat, wangwang, qianniu, name, plain
    --format FMT             human (default), json, jsonl
    --fail-on LEVEL          exit 1 when a message reaches LEVEL: none, low, medium, high (default high)
    --rules FILE.toml        add the rules of FILE to the built-in ones (repeatable)
    --no-builtin             use only the rules given with --rules
    --check-rules PATH       load a rule file or a directory of *.toml files (with the built-in rules unless
                             --no-builtin), run every rule's examples, report failures, exit 0/1
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
    let Some(opts) = parse_args(std::env::args().skip(1))? else {
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
    let text = read_input(opts.file.as_deref())?;
    let format = if opts.lines {
        InputFormat::Lines
    } else {
        opts.input_format
    };
    let messages = chat::parse(&text, format);
    let reports: Vec<Report> = messages.iter().map(|m| detector.scan(&m.text)).collect();
    let overall = reports.iter().map(Report::risk).max().unwrap_or(Risk::None);

    let stdout = std::io::stdout();
    let color = opts
        .color
        .unwrap_or_else(|| stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none());
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match opts.format {
        Format::Jsonl => messages.iter().zip(&reports).try_for_each(|(m, r)| {
            serde_json::to_writer(&mut out, &message_json(m, r))?;
            writeln!(out).map_err(serde_json::Error::io)
        }),
        Format::Json => {
            let all: Vec<Value> = messages.iter().zip(&reports).map(|(m, r)| message_json(m, r)).collect();
            let doc = json!({
                "risk": overall,
                "messages": all,
                "conversation": { "risk": overall, "findings": [] },
            });
            serde_json::to_writer_pretty(&mut out, &doc).and_then(|_| writeln!(out).map_err(serde_json::Error::io))
        }
        Format::Human => {
            human(&mut out, &messages, &reports, overall, color, opts.lines).map_err(serde_json::Error::io)
        }
    };
    match written.and_then(|_| out.flush().map_err(serde_json::Error::io)) {
        Ok(()) => {}
        // A closed pipe (`scan … | head`) is not an error.
        Err(e) if e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe) => {}
        Err(e) => return Err(Fatal(format!("cannot write output: {e}"))),
    }
    Ok(match opts.fail_on {
        Some(level) if overall >= level => 1,
        _ => 0,
    })
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, Fatal> {
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
    };
    let value = |args: &mut dyn Iterator<Item = String>, name: &str| {
        args.next()
            .ok_or_else(|| Fatal(format!("{name} needs a value (see --help)")))
    };
    while let Some(arg) = args.next() {
        // Accept `--opt=value` as well as `--opt value`.
        let (arg, inline) = match arg.split_once('=') {
            Some((a, v)) if a.starts_with("--") => (a.to_string(), Some(v.to_string())),
            _ => (arg, None),
        };
        let val = |args: &mut dyn Iterator<Item = String>| match &inline {
            Some(v) => Ok(v.clone()),
            None => value(args, &arg),
        };
        match arg.as_str() {
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(None);
            }
            "-V" | "--version" => {
                println!("scan (redflag {})", env!("CARGO_PKG_VERSION"));
                return Ok(None);
            }
            "--lines" => o.lines = true,
            "--no-builtin" => o.builtin = false,
            "--input-format" => o.input_format = val(&mut args)?.parse().map_err(Fatal)?,
            "--format" => {
                o.format = match val(&mut args)?.as_str() {
                    "human" => Format::Human,
                    "json" => Format::Json,
                    "jsonl" => Format::Jsonl,
                    other => return Err(Fatal(format!("unknown format {other:?} (expected human, json, jsonl)"))),
                }
            }
            "--fail-on" => {
                o.fail_on = match val(&mut args)?.as_str() {
                    "none" => None,
                    level => Some(level.parse::<Risk>()?),
                }
            }
            "--rules" => o.rules.push(PathBuf::from(val(&mut args)?)),
            "--check-rules" => o.check_rules = Some(PathBuf::from(val(&mut args)?)),
            "--color" | "--colour" => {
                o.color = match val(&mut args)?.as_str() {
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
            "-" => o.file = None,
            a if a.starts_with('-') => return Err(Fatal(format!("unknown option {a} (see --help)"))),
            a => {
                if o.file.is_some() {
                    return Err(Fatal("only one input FILE may be given".into()));
                }
                o.file = Some(PathBuf::from(a));
            }
        }
    }
    Ok(Some(o))
}

/// Reads the input, lossily when it is not UTF-8 (with a warning).
fn read_input(path: Option<&std::path::Path>) -> Result<String, Fatal> {
    let mut bytes = Vec::new();
    match path {
        Some(p) => {
            bytes = std::fs::read(p).map_err(|e| Fatal(format!("cannot read {}: {e}", p.display())))?;
        }
        None => {
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| Fatal(format!("cannot read stdin: {e}")))?;
        }
    }
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("scan: warning: input is not valid UTF-8; invalid bytes were replaced with U+FFFD");
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    })
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

fn message_json(m: &Message, r: &Report) -> Value {
    let findings: Vec<Value> = r
        .findings()
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule_id(),
                "category": f.category(),
                "severity": f.severity(),
                "start": f.span().start,
                "end": f.span().end,
                "text": &m.text[f.span()],
            })
        })
        .collect();
    json!({
        "index": m.index,
        "line": m.line,
        "sender": m.sender,
        "time": m.time,
        "text": m.text,
        "risk": r.risk(),
        "findings": findings,
    })
}

fn human(
    out: &mut impl Write,
    messages: &[Message],
    reports: &[Report],
    overall: Risk,
    color: bool,
    lines: bool,
) -> std::io::Result<()> {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let risk_code = |r: Risk| match r {
        Risk::High => "1;31",
        Risk::Medium => "1;33",
        Risk::Low => "1;36",
        Risk::None => "0",
    };
    let mut flagged = 0;
    for (m, r) in messages.iter().zip(reports) {
        if r.findings().is_empty() {
            continue;
        }
        flagged += 1;
        let who = m.sender.as_deref().unwrap_or("-");
        let when = m.time.as_deref().map(|t| format!(" {t}")).unwrap_or_default();
        writeln!(
            out,
            "{} line {}  {who}{when}  {}",
            paint("1", &format!("#{}", m.index + 1)),
            m.line,
            paint(risk_code(r.risk()), &r.risk().as_str().to_uppercase())
        )?;
        writeln!(out, "  {}", highlight(&m.text, r, color).replace('\n', "\n  "))?;
        let mut advised = Vec::new();
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
        // Advice once per category, in the message's language.
        for f in r.findings() {
            if !advised.contains(&f.category()) {
                advised.push(f.category());
                writeln!(out, "  {} {}", paint("1", "→"), f.advice().for_text(&m.text))?;
            }
        }
        writeln!(out)?;
    }
    let count = |level: Risk| reports.iter().filter(|r| r.risk() == level).count();
    writeln!(
        out,
        "{} messages, {flagged} flagged (high {}, medium {}, low {}).",
        messages.len(),
        count(Risk::High),
        count(Risk::Medium),
        count(Risk::Low)
    )?;
    let mut cats: Vec<_> = reports.iter().flat_map(|r| r.categories()).collect();
    cats.sort();
    cats.dedup();
    if !cats.is_empty() {
        let names: Vec<&str> = cats.iter().map(|c| c.as_str()).collect();
        writeln!(out, "Seen: {}.", names.join(", "))?;
    }
    if !lines {
        writeln!(
            out,
            "Conversation risk: {}",
            paint(risk_code(overall), &overall.as_str().to_uppercase())
        )?;
    }
    Ok(())
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
