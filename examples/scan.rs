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

use redflag::{Detector, Report, Risk, Role, Ruleset};
use redflag_chat::json::{ConversationRecord, MessageJson, MessageRecord, SystemRecord};
use redflag_chat::{ChatReader, InputFormat, Message};
use redflag_report::{
    category_label, concerns, severity_label, ChatReport, Concern, Counts, Lang, Platform, ReportedMessage,
};
use unicode_segmentation::UnicodeSegmentation;

const HELP: &str = "\
scan: flag scam pretexts in a supplier chat log

USAGE:
    scan [OPTIONS] [FILE]          (stdin when FILE is absent or -)

OPTIONS:
    --lines                  every line is one message (no chat parsing, no conversation state)
    --input-format FMT       auto (default), whatsapp, wechat / wangwang / qianniu / qq (header lines), line
                             (LINE export), telegram (Telegram Desktop result.json), wechat-forward (merged
                             聊天记录), email (a pasted e-mail thread), name (Name: text), plain
    --format FMT             human (default), json, jsonl, html (one self-contained page of the chat with the
                             findings highlighted, the verdict and the steps; not with --lines)
    --fail-on LEVEL          exit 1 when a message or the conversation reaches LEVEL: none, low, medium, high
                             (default high)
    --me NAME                the buyer's name in the log: every other sender is the seller
    --platform NAME          the platform the chat is about, for the next steps: alibaba, 1688, aliexpress, taobao
                             (default: guessed from the chat; steps for any platform when it cannot tell)
    --lang LANG              the language of the verdict, labels and steps: en, zh (default: the buyer's, or the
                             chat's when roles are not known)
    --seller NAME            the seller's name in the log: every other sender is the buyer
    --rules FILE.toml        add the rules of FILE to the built-in ones (repeatable)
    --no-builtin             use only the rules given with --rules
    --check-rules PATH       load a rule file or a directory of *.toml files (with the built-in rules unless
                             --no-builtin), run every rule's examples, report failures, exit 0/1
    --explain                human: every rule behind each concern (not only the strongest), the keyword that
                             triggered it, and the candidates that context suppressed and why; JSON: \"trigger\"
                             and \"suppressed\"
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
    platform: Option<Platform>,
    lang: Option<Lang>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Jsonl,
    /// One self-contained HTML page of the chat (chat mode only).
    Html,
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
    if opts.lines && opts.format == Format::Html {
        return Err(Fatal(
            "--format html shows a chat; it cannot be used with --lines".into(),
        ));
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
    let mut counts = Counts::default();
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
            Format::Human => {
                let lang = opts.lang.unwrap_or_else(|| Lang::of_text(&m.text));
                let reported = ReportedMessage {
                    index: m.index,
                    line: m.line,
                    sender: None,
                    time: None,
                    role: Role::Unknown,
                    system: false,
                    risk: r.risk(),
                    concerns: concerns(&m.text, &r),
                    text: m.text,
                };
                let extra = if opts.explain {
                    explain_lines(&reported.text, &r)
                } else {
                    Vec::new()
                };
                human_message(out, &reported, lang, color, opts.explain, &extra)?;
            }
            Format::Html => {}
        }
        counts.add(r.risk(), !r.findings().is_empty());
        index += 1;
    }
    match opts.format {
        Format::Json => {
            document_tail(out, overall, &ConversationRecord::lines_only(overall), None)?;
        }
        Format::Human => write_counts(out, &counts)?,
        // Refused with --lines before reading.
        Format::Jsonl | Format::Html => {}
    }
    Ok(overall)
}

/// A chat log: parsed into messages with senders and scanned as one conversation. JSON and JSONL are streamed
/// (memory bounded by the longest message and the flagged ones); the human report starts with the verdict, so it is
/// written once the whole log is read.
fn chat_mode(detector: &Detector, opts: &Options, color: bool, out: &mut impl Write) -> std::io::Result<Risk> {
    let mut reader = ChatReader::new(open_input(opts.file.as_deref())?, opts.input_format);
    let mut convo = detector.conversation();
    let mut builder = ChatReport::builder();
    builder
        .platform(opts.platform)
        .lang(opts.lang)
        .keep_all(opts.format == Format::Html);
    // What `--explain` adds under a message (triggers, suppressed candidates), by message index.
    let mut explained: Vec<(usize, Vec<String>)> = Vec::new();
    let mut system = Vec::new();
    let mut seller_from_export: Option<String> = None;
    let mut peer_seen = false;
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
            match opts.format {
                Format::Json => system.push(m),
                Format::Html => builder.push_system(&m),
                _ => {}
            }
            continue;
        }
        // A one-to-one export names the other party (LINE's title, a Telegram personal chat): the supplier, unless
        // the user said who is who.
        if seller_from_export.is_none() && opts.me.is_none() && opts.seller.is_none() {
            seller_from_export = reader.peer().map(str::to_string);
        }
        // Only once that name has been seen as a sender: a title that matches no sender decides nothing.
        peer_seen |= seller_from_export.is_some() && m.sender == seller_from_export;
        let role = role_of(&m, opts, seller_from_export.as_deref().filter(|_| peer_seen));
        let r = if opts.explain {
            convo.push_explained(role, &m.text)
        } else {
            convo.push(role, &m.text)
        };
        builder.push(&m, role, &r);
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
            // The buyer's own messages are not flagged to the buyer.
            Format::Human if opts.explain && role != Role::Buyer && !r.findings().is_empty() => {
                explained.push((m.index, explain_lines(&m.text, &r)));
            }
            Format::Human | Format::Html => {}
        }
    }
    let overall = convo.risk();
    let report = builder.finish(&convo);
    match opts.format {
        Format::Json => {
            document_tail(out, overall, &ConversationRecord::of(&convo), Some((&report, &system)))?;
        }
        Format::Human => human_report(out, &report, &explained, color, opts.explain)?,
        Format::Html => {
            let title = opts
                .file
                .as_deref()
                .and_then(|p| p.file_name())
                .map_or_else(|| "chat".to_string(), |n| n.to_string_lossy().into_owned());
            out.write_all(redflag_report::html::render(&report, &title).as_bytes())?;
        }
        Format::Jsonl => {}
    }
    Ok(overall)
}

/// The role of a message's sender, from `--me` / `--seller`, else from the other party an export names.
fn role_of(m: &Message, opts: &Options, seller_from_export: Option<&str>) -> Role {
    let Some(sender) = m.sender.as_deref() else {
        return Role::Unknown;
    };
    match (opts.seller.as_deref().or(seller_from_export), &opts.me) {
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
        platform: None,
        lang: None,
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
                    "html" => Format::Html,
                    other => {
                        return Err(Fatal(format!(
                            "unknown format {other:?} (expected human, json, jsonl, html)"
                        )))
                    }
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
            "--platform" => o.platform = Some(val()?.parse().map_err(Fatal)?),
            "--lang" => o.lang = Some(val()?.parse().map_err(Fatal)?),
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

/// The end of the `--format json` document, after its messages: `],"risk":…,"conversation":{…}}`, and for a chat
/// the verdict, platform, next steps and the app's system lines. The document is streamed, so it is written in
/// pieces rather than as one value.
fn document_tail(
    out: &mut impl Write,
    overall: Risk,
    conversation: &ConversationRecord,
    chat: Option<(&ChatReport, &[Message])>,
) -> std::io::Result<()> {
    write!(out, "],\"risk\":")?;
    serde_json::to_writer(&mut *out, &overall)?;
    write!(out, ",\"conversation\":")?;
    serde_json::to_writer(&mut *out, conversation)?;
    if let Some((report, system)) = chat {
        write!(out, ",\"verdict\":")?;
        serde_json::to_writer(&mut *out, &report.verdict)?;
        write!(out, ",\"platform\":")?;
        serde_json::to_writer(&mut *out, &report.platform)?;
        write!(out, ",\"lang\":")?;
        serde_json::to_writer(&mut *out, &report.lang)?;
        write!(out, ",\"steps\":")?;
        serde_json::to_writer(&mut *out, &report.steps)?;
        write!(out, ",\"system\":")?;
        let records: Vec<SystemRecord> = system.iter().map(SystemRecord::of).collect();
        serde_json::to_writer(&mut *out, &records)?;
    }
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

/// The human report of a chat: the verdict and why, the next steps, each flagged message with one line per concern,
/// and the counts.
fn human_report(
    out: &mut impl Write,
    report: &ChatReport,
    explained: &[(usize, Vec<String>)],
    color: bool,
    explain: bool,
) -> std::io::Result<()> {
    let lang = report.lang;
    let v = &report.verdict;
    let (word, rest) = v.headline.split_at(v.action.word(lang).len());
    writeln!(out, "{}{rest}", paint(color, risk_code(report.risk), word))?;
    if !v.reasons.is_empty() {
        writeln!(out, "{}", if lang == Lang::Zh { "原因：" } else { "Why:" })?;
        for r in &v.reasons {
            writeln!(out, "  - {r}")?;
        }
    }
    if !report.steps.is_empty() {
        let title = match (lang, report.platform) {
            (Lang::En, Some(p)) => format!("Next steps on {p}:"),
            (Lang::En, None) => "Next steps:".to_string(),
            (Lang::Zh, Some(p)) => format!("下一步（{p}）："),
            (Lang::Zh, None) => "下一步：".to_string(),
        };
        writeln!(out, "{title}")?;
        for (i, step) in report.steps.iter().enumerate() {
            writeln!(out, "  {}. {step}", i + 1)?;
        }
    }
    writeln!(out)?;
    for m in &report.messages {
        let extra = explained.iter().find(|(i, _)| *i == m.index).map(|(_, l)| l.as_slice());
        human_message(out, m, lang, color, explain, extra.unwrap_or_default())?;
    }
    write_counts(out, &report.counts)?;
    writeln!(
        out,
        "Conversation risk: {}",
        paint(color, risk_code(report.risk), &report.risk.as_str().to_uppercase())
    )
}

/// The closing count line of the human report.
fn write_counts(out: &mut impl Write, c: &Counts) -> std::io::Result<()> {
    writeln!(
        out,
        "{} messages, {} flagged (high {}, medium {}, low {}).",
        c.messages, c.flagged, c.high, c.medium, c.low
    )
}

/// One flagged message: header, text with the concerns marked, one line per concern with its advice; with
/// `--explain`, every rule behind a concern, the triggers and what context suppressed.
fn human_message(
    out: &mut impl Write,
    m: &ReportedMessage,
    lang: Lang,
    color: bool,
    explain: bool,
    explained: &[String],
) -> std::io::Result<()> {
    if m.concerns.is_empty() {
        return Ok(());
    }
    let who = m.sender.as_deref().unwrap_or("-");
    let when = m.time.as_deref().map(|t| format!(" {t}")).unwrap_or_default();
    writeln!(
        out,
        "{} line {}  {who}{when}  {}",
        paint(color, "1", &format!("#{}", m.index + 1)),
        m.line,
        paint(color, risk_code(m.risk), &m.risk.as_str().to_uppercase())
    )?;
    write_concerns(out, &m.text, &m.concerns, lang, color, explain)?;
    for l in explained {
        writeln!(out, "    {l}")?;
    }
    writeln!(out)
}

/// The text with the concerns marked, then one line per concern and its advice.
fn write_concerns(
    out: &mut impl Write,
    text: &str,
    concerns: &[Concern],
    lang: Lang,
    color: bool,
    explain: bool,
) -> std::io::Result<()> {
    writeln!(out, "  {}", highlight(text, concerns, color).replace('\n', "\n  "))?;
    for c in concerns {
        write!(
            out,
            "  - {} ({}): \"{}\"",
            category_label(c.category, lang),
            severity_label(c.severity, lang),
            snippet(&c.quote, 60)
        )?;
        if explain {
            write!(out, "  [{}]", c.rule)?;
        }
        writeln!(out)?;
        if explain && !c.also.is_empty() {
            writeln!(out, "    also: {}", c.also.join(", "))?;
        }
        writeln!(out, "    {} {}", paint(color, "1", "→"), c.advice)?;
    }
    Ok(())
}

/// What `--explain` adds under a message: each finding's trigger, and what context suppressed.
fn explain_lines(text: &str, r: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    for f in r.findings() {
        lines.push(format!(
            "{} triggered by \"{}\"",
            f.rule_id(),
            text.get(f.trigger()).unwrap_or_default()
        ));
    }
    for s in r.suppressed() {
        lines.push(format!(
            "(suppressed {} on \"{}\": {:?})",
            s.rule_id(),
            snippet(text.get(s.span()).unwrap_or_default(), 40),
            s.reason()
        ));
    }
    lines
}

/// The message with its concerns marked: ANSI reverse video on a terminal, `[[…]]` otherwise.
fn highlight(text: &str, concerns: &[Concern], color: bool) -> String {
    let mut spans: Vec<_> = concerns.iter().map(|c| c.cover.clone()).collect();
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
