//! Golden tests: every sample log in `tests/logs/` is parsed with format detection and compared with
//! `<name>.expected.json` (the messages' `index`, `line`, `sender`, `time`, `text` and `system`). The file name's
//! first part names the format detection must pick (`line_zh.txt` is a LINE export). Rewrite the expected files
//! after a deliberate change with `REDFLAG_BLESS=1 cargo test -p redflag-chat --test golden`, and read the diff.

use std::path::{Path, PathBuf};

use redflag_chat::{parse, ChatReader, InputFormat, Message};
use serde::Serialize;

#[derive(Serialize)]
struct Row<'a> {
    index: usize,
    line: usize,
    sender: Option<&'a str>,
    time: Option<&'a str>,
    text: &'a str,
    system: bool,
}

fn rows(messages: &[Message]) -> String {
    let rows: Vec<Row> = messages
        .iter()
        .map(|m| Row {
            index: m.index,
            line: m.line,
            sender: m.sender.as_deref(),
            time: m.time.as_deref(),
            text: &m.text,
            system: m.system,
        })
        .collect();
    serde_json::to_string_pretty(&rows).expect("rows serialize") + "\n"
}

fn logs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/logs");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("log entry").path())
        .filter(|p| !p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    out.sort();
    out
}

/// The format a sample's file name says it is in.
fn format_of(path: &Path) -> InputFormat {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let table = [
        ("line_", InputFormat::Line),
        ("telegram", InputFormat::Telegram),
        ("wechat_forward", InputFormat::WeChatForward),
        ("whatsapp_", InputFormat::WhatsApp),
    ];
    table
        .iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|&(_, f)| f)
        .unwrap_or_else(|| panic!("{name}: name the format in the file name"))
}

#[test]
fn sample_logs_match_their_goldens() {
    let bless = std::env::var_os("REDFLAG_BLESS").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    let logs = logs();
    assert!(logs.len() >= 5, "too few sample logs");
    for path in logs {
        let text = std::fs::read_to_string(&path).expect("sample log");
        let format = format_of(&path);
        let auto = parse(&text, InputFormat::Auto);
        assert_eq!(
            auto,
            parse(&text, format),
            "{}: detected as another format",
            path.display()
        );
        let streamed: Vec<Message> = ChatReader::new(text.as_bytes(), InputFormat::Auto)
            .map(|m| m.expect("in memory"))
            .collect();
        assert_eq!(auto, streamed, "{}: reader and parse differ", path.display());
        let got = rows(&auto);
        let expected_path = path.with_extension("expected.json");
        if bless {
            std::fs::write(&expected_path, &got).expect("write golden");
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(want) if want == got => {}
            Ok(_) => failures.push(format!(
                "{}: differs from {}\n{got}",
                path.display(),
                expected_path.display()
            )),
            Err(e) => failures.push(format!("{}: {e} (run with REDFLAG_BLESS=1)", expected_path.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
