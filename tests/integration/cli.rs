//! The example CLI: golden output for every shipped chat log and format, exit codes, colour, lossy input.
//!
//! Regenerate the golden files with `REDFLAG_BLESS=1 cargo test --test integration cli`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use crate::root;

fn scan_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // Build the example once per test run: `cargo test --test integration` alone does not rebuild examples,
        // and a stale binary would make the golden files lie. A no-op when it is up to date.
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", "scan"])
            .current_dir(root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build --example scan failed");
        let exe = std::env::current_exe().expect("test binary path");
        let dir = exe.parent().and_then(|p| p.parent()).expect("target dir");
        dir.join("examples")
            .join(format!("scan{}", std::env::consts::EXE_SUFFIX))
    })
    .clone()
}

fn run(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(scan_bin());
    cmd.args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("scan starts");
    // Feed stdin from another thread: scan streams, so it writes output while it still reads input, and a test
    // that wrote all input first would deadlock on full pipes.
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("scan finishes");
    feeder.join().expect("feeder thread");
    out
}

fn chats() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples/chats"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

#[test]
fn golden_outputs_for_every_sample_log_and_format() {
    let bless = std::env::var_os("REDFLAG_BLESS").is_some();
    let mut mismatches = Vec::new();
    for chat in chats() {
        let stem = chat.file_stem().unwrap().to_string_lossy().to_string();
        let rel = format!("examples/chats/{stem}.txt");
        for format in ["human", "json", "jsonl", "html"] {
            let out = run(
                &["--format", format, "--fail-on", "none", "--color", "never", &rel],
                b"",
                &[],
            );
            assert_eq!(
                out.status.code(),
                Some(0),
                "{rel} {format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let golden = root().join(format!("tests/expected/{stem}.{format}"));
            if bless {
                std::fs::write(&golden, &out.stdout).unwrap();
            } else {
                let want = std::fs::read(&golden).unwrap_or_default();
                if want != out.stdout {
                    mismatches.push(format!(
                        "{}: differs; got:\n{}",
                        golden.display(),
                        String::from_utf8_lossy(&out.stdout)
                    ));
                }
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{}\n(REDFLAG_BLESS=1 to update)",
        mismatches.join("\n")
    );
}

/// The shared chat crate's sample exports, one per input format (LINE, Telegram JSON, WeChat forwards, WhatsApp
/// locale variants): the CLI's human and JSON output for each, auto-detected, against `tests/expected/formats/`.
#[test]
fn golden_outputs_for_every_input_format() {
    let bless = std::env::var_os("REDFLAG_BLESS").is_some();
    let mut logs: Vec<PathBuf> = std::fs::read_dir(root().join("crates/chat/tests/logs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    logs.sort();
    assert!(logs.len() >= 5, "{logs:?}");
    let mut mismatches = Vec::new();
    for log in &logs {
        let name = log.file_name().unwrap().to_string_lossy().to_string();
        let rel = format!("crates/chat/tests/logs/{name}");
        for format in ["human", "json", "html"] {
            let out = run(&["--format", format, "--fail-on", "none", &rel], b"", &[]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{rel} {format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let golden = root().join(format!("tests/expected/formats/{name}.{format}"));
            if bless {
                std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
                std::fs::write(&golden, &out.stdout).unwrap();
            } else if std::fs::read(&golden).unwrap_or_default() != out.stdout {
                mismatches.push(format!(
                    "{}: differs; got:\n{}",
                    golden.display(),
                    String::from_utf8_lossy(&out.stdout)
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{}\n(REDFLAG_BLESS=1 to update)",
        mismatches.join("\n")
    );
}

#[test]
fn sample_logs_have_the_expected_verdicts() {
    for chat in chats() {
        let name = chat.file_name().unwrap().to_string_lossy().to_string();
        let out = run(&["--format", "json", &format!("examples/chats/{name}")], b"", &[]);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let risk = doc["risk"].as_str().unwrap();
        if name.contains("scam") {
            assert_eq!(risk, "high", "{name}");
            assert_eq!(out.status.code(), Some(1), "{name}: default --fail-on high");
        } else {
            assert_eq!(risk, "none", "{name}");
            assert_eq!(out.status.code(), Some(0), "{name}");
        }
        // Every message is attributed to a sender in these logs (plain-line logs have none).
        for m in doc["messages"].as_array().unwrap() {
            assert_eq!(m["sender"].is_string(), !name.starts_with("plain"), "{name}: {m}");
        }
    }
}

#[test]
fn exit_codes() {
    let scam = "请直接转到我个人账户，不走平台便宜点\n";
    let table: &[(&[&str], &str, i32)] = &[
        (&["--lines"], "hello\n", 0),
        (&["--lines"], scam, 1),
        (&["--lines", "--fail-on", "none"], scam, 0),
        (&["--lines", "--fail-on", "medium"], "加我微信 abc_8888 发图\n", 1),
        (&["--lines", "--fail-on", "high"], "加我微信 abc_8888 发图\n", 0),
        (&["--bogus"], "", 2),
        (&["--format", "xml"], "", 2),
        (&["--fail-on", "extreme"], "", 2),
        (&["no/such/file.txt"], "", 2),
        (&["--rules", "no/such/rules.toml"], "", 2),
        (&["--rules", "tests/rules_invalid/bad_pattern.toml"], "", 2),
        (&["--help"], "", 0),
    ];
    for (args, input, code) in table {
        let out = run(args, input.as_bytes(), &[]);
        assert_eq!(
            out.status.code(),
            Some(*code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn errors_are_clear() {
    let out = run(&["no/such/file.txt"], b"", &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("scan: cannot read no/such/file.txt"), "{err}");
    let out = run(&["--rules", "tests/rules_invalid/bad_pattern.toml"], b"", &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad_pattern.toml:7: rule `urgency.broken`"), "{err}");
}

#[test]
fn lines_mode_gives_one_report_per_line_in_order() {
    let input = "hello\n\n加我微信 abc_8888\nlast line without newline";
    let out = run(&["--lines", "--format", "jsonl"], input.as_bytes(), &[]);
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 4);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["index"], i);
        assert_eq!(r["line"], i + 1);
        assert!(r["sender"].is_null() && r["time"].is_null());
    }
    assert_eq!(rows[1]["text"], "");
    assert_eq!(rows[2]["risk"], "medium");
    let f = &rows[2]["findings"][0];
    let text = rows[2]["text"].as_str().unwrap();
    let (s, e) = (
        f["start"].as_u64().unwrap() as usize,
        f["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], f["text"].as_str().unwrap());
    assert_eq!(f["category"], "contact_move");
}

#[test]
fn empty_input_is_fine_in_every_format() {
    for format in ["human", "json", "jsonl", "html"] {
        let out = run(&["--format", format], b"", &[]);
        assert_eq!(out.status.code(), Some(0), "{format}");
    }
    let out = run(&["--format", "json"], b"", &[]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["risk"], "none");
    assert_eq!(doc["messages"].as_array().unwrap().len(), 0);
}

#[test]
fn invalid_utf8_is_read_lossily_with_a_warning() {
    let mut input = b"ok line\n".to_vec();
    input.extend_from_slice(b"\xff\xfe pay to my personal account \xc3\n");
    let out = run(&["--lines", "--format", "jsonl", "--fail-on", "none"], &input, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid UTF-8"));
    let text = String::from_utf8(out.stdout).expect("output is UTF-8");
    assert_eq!(text.lines().count(), 2);
    assert!(text.contains('\u{fffd}'));
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let input = "加我微信 abc_8888 发图\n";
    let always = run(&["--lines", "--color", "always"], input.as_bytes(), &[]);
    assert!(always.stdout.contains(&0x1b));
    // Piped output (not a terminal) is plain by default, and NO_COLOR keeps it plain.
    let auto = run(&["--lines"], input.as_bytes(), &[]);
    assert!(!auto.stdout.contains(&0x1b));
    let no_color = run(&["--lines"], input.as_bytes(), &[("NO_COLOR", "1")]);
    assert!(!no_color.stdout.contains(&0x1b));
    assert!(String::from_utf8_lossy(&auto.stdout).contains("[[加我微信"));
}

#[test]
fn check_rules_option() {
    let ok = run(&["--check-rules", "data/rules"], b"", &[]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stdout));
    let dir = std::env::temp_dir().join(format!("redflag-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("mine.toml");
    std::fs::write(
        &file,
        "[[rule]]\nid = \"urgency.tonight\"\ncategory = \"urgency\"\nseverity = \"low\"\nkeywords = [\"tonight\"]\n\
         examples.match = [\"pay tonight\", \"nope\"]\nexamples.ignore = [\"a\", \"b\"]\n",
    )
    .unwrap();
    let bad = run(&["--check-rules", file.to_str().unwrap()], b"", &[]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("does not match \"nope\""));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn ten_thousand_messages() {
    let mut log = String::new();
    for i in 0..10_000 {
        if i % 1000 == 7 {
            log.push_str(&format!(
                "Seller: order {i}: please pay to my personal account, cheaper\n"
            ));
        } else {
            log.push_str(&format!("Buyer: order {i} looks fine, thanks\n"));
        }
    }
    let out = run(&["--format", "jsonl", "--fail-on", "none"], log.as_bytes(), &[]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 10_000);
    let high = text.lines().filter(|l| l.contains("\"risk\":\"high\"")).count();
    assert_eq!(high, 10);
}

#[test]
fn whatsapp_system_lines_are_not_messages() {
    // The encryption notice names WhatsApp, and used to be read as a move to WhatsApp that combined with the
    // payment talk of another message into a cross-message `high`.
    let log = "12/03/2025, 10:00 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even \
               WhatsApp, can read or listen to them. Tap to learn more.\n\
               12/03/2025, 10:01 - Lily: <Media omitted>\n\
               12/03/2025, 10:02 - Lily: Hello, the deposit for the order is 30%, please pay it on Alibaba.\n\
               12/03/2025, 10:03 - Lily: This message was deleted\n\
               12/03/2025, 10:04 - Tom: OK, paid.\n";
    let out = run(&["--format", "json", "--fail-on", "high"], log.as_bytes(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let messages = doc["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 2, "only the two people's messages: {doc}");
    assert_eq!(messages[0]["index"], 0);
    assert!(
        messages
            .iter()
            .all(|m| m["findings"].as_array().is_some_and(|f| f.is_empty())),
        "{doc}"
    );
    assert_eq!(doc["conversation"]["risk"], "none");
}

#[test]
fn system_lines_are_listed_in_json() {
    let log = "12/03/2025, 10:00 - Messages and calls are end-to-end encrypted. Tap to learn more.\n\
               12/03/2025, 10:01 - Lily: <Media omitted>\n\
               12/03/2025, 10:02 - Lily: hello\n";
    let out = run(&["--format", "json"], log.as_bytes(), &[]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let system = doc["system"].as_array().expect("system");
    let lines: Vec<u64> = system.iter().map(|s| s["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 2], "{doc}");
    assert_eq!(system[1]["sender"], "Lily");
    assert_eq!(doc["messages"].as_array().map(Vec::len), Some(1));
}

/// The verdict leads the human report and is the same in JSON; `--platform` and `--lang` choose the steps and
/// their language.
#[test]
fn verdict_and_next_steps() {
    let log = "Lily: we can talk on whatsapp, my number 86 135 1111 2222\n\
               Lily: our company account is under annual audit, pay the deposit to my personal account\n\
               Tom: ok\n";
    // (options, first line starts with, a step that must appear, one that must not)
    let table: &[(&[&str], &str, &str, &str)] = &[
        (
            &["--me", "Tom"],
            "STOP: Lily asked you to pay outside the platform after moving the chat to WhatsApp",
            "company account recorded on the platform",
            "跨境宝",
        ),
        (
            &["--me", "Tom", "--platform", "1688"],
            "STOP: Lily",
            "延长收货",
            "verified Alibaba.com profile",
        ),
        (
            &["--me", "Tom", "--platform", "alibaba"],
            "STOP: Lily",
            "verified Alibaba.com profile",
            "延长收货",
        ),
        (
            &["--me", "Tom", "--platform", "aliexpress"],
            "STOP: Lily",
            "Open Dispute",
            "跨境宝",
        ),
        (
            &["--me", "Tom", "--lang", "zh", "--platform", "taobao"],
            "停止付款：Lily",
            "担保交易",
            "Open Dispute",
        ),
    ];
    for (opts, first, want, not) in table {
        let out = run(opts, log.as_bytes(), &[]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{opts:?}: {text}");
        assert!(text.starts_with(first), "{opts:?}:\n{text}");
        assert!(text.contains(want) && !text.contains(not), "{opts:?}:\n{text}");
        let mut json_opts = opts.to_vec();
        json_opts.extend(["--format", "json"]);
        let doc: serde_json::Value =
            serde_json::from_slice(&run(&json_opts, log.as_bytes(), &[]).stdout).expect("json");
        assert_eq!(doc["verdict"]["action"], "stop");
        let headline = doc["verdict"]["headline"].as_str().unwrap();
        assert_eq!(text.lines().next(), Some(headline), "{opts:?}");
        assert!(doc["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().contains(want)));
    }
    // One line per concern: the message above fires several off-platform-payment rules, shown once.
    let out = run(&["--me", "Tom"], log.as_bytes(), &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("  - Payment outside the platform (high): \"").count(),
        1,
        "{text}"
    );
    let out = run(&["--me", "Tom", "--explain"], log.as_bytes(), &[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("    also: off_platform_payment."));
    // A clean chat goes on.
    let out = run(&[], b"Lily: hello, the price is $2.10 per piece\nTom: ok\n", &[]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("GO ON: no scam pretext"));
    for (opt, bad) in [("--platform", "ebay"), ("--lang", "fr")] {
        let out = run(&[opt, bad], b"", &[]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("expected"), "{opt}");
    }
}

/// A one-to-one export names the supplier (LINE's title, a Telegram personal chat), so without `--me` the buyer's
/// own messages are the buyer's: quoting a scam line to ask about it raises nothing.
#[test]
fn one_to_one_exports_tell_who_the_supplier_is() {
    let log = "[LINE] Chat history with Lily\nSaved on: 2024/03/12 15:20\n\n2024/03/12(Tue)\n\
               10:02\tLily\tHello, the price is USD 2.10 per piece\n\
               10:05\tTom\tAnother supplier told me to pay his personal account, cheaper without invoice. Is that ok?\n\
               10:06\tLily\tNo, please only pay through the platform\n";
    let out = run(&["--format", "json"], log.as_bytes(), &[]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let roles: Vec<&str> = doc["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["seller", "buyer", "seller"], "{doc}");
    assert_eq!(doc["conversation"]["risk"], "none", "{doc}");
    // `--me` still decides when given.
    let out = run(&["--format", "json", "--me", "Lily"], log.as_bytes(), &[]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["messages"][0]["role"], "buyer");
}
