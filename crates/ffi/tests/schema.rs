//! `data/report.schema.json` describes the CLI's real output: the `scan` example is run over every shipped chat
//! log in `json` and `jsonl` formats (chat and `--lines` modes, with and without `--explain`) and every object is
//! checked against the schema by the small validator below. The `--lines --format jsonl` lines are also compared,
//! byte for byte, with `redflag::json` and with `redflag_scan_json` of the C API.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use common::{profile_dir, root};

// ---------------------------------------------------------------------------------------------------------------
// A JSON Schema (draft 2020-12) validator for the keywords the schema uses.

struct Validator<'s> {
    root: &'s Value,
}

impl<'s> Validator<'s> {
    /// The errors of `v` against `schema`, as `path: message`.
    fn errors(&self, schema: &'s Value, v: &Value, path: &str) -> Vec<String> {
        let mut errs = Vec::new();
        let s = match schema {
            Value::Bool(true) => return errs,
            Value::Bool(false) => return vec![format!("{path}: not allowed")],
            Value::Object(s) => s,
            other => panic!("schema at {path} is not an object: {other}"),
        };
        for (key, arg) in s {
            match key.as_str() {
                "$schema" | "$id" | "$defs" | "title" | "description" => {}
                "$ref" => errs.extend(self.errors(self.resolve(arg.as_str().unwrap()), v, path)),
                "type" => {
                    let types: Vec<&str> = match arg {
                        Value::String(t) => vec![t.as_str()],
                        Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                        _ => panic!("bad type keyword at {path}"),
                    };
                    if !types.iter().any(|t| has_type(v, t)) {
                        errs.push(format!("{path}: {v} is not of type {types:?}"));
                    }
                }
                "enum" => {
                    if !arg.as_array().unwrap().contains(v) {
                        errs.push(format!("{path}: {v} is not one of {arg}"));
                    }
                }
                "minimum" => {
                    if let (Some(x), Some(min)) = (v.as_f64(), arg.as_f64()) {
                        if x < min {
                            errs.push(format!("{path}: {x} < {min}"));
                        }
                    }
                }
                "required" => {
                    if let Value::Object(o) = v {
                        for k in arg.as_array().unwrap() {
                            if !o.contains_key(k.as_str().unwrap()) {
                                errs.push(format!("{path}: missing {k}"));
                            }
                        }
                    }
                }
                "properties" => {
                    if let Value::Object(o) = v {
                        for (k, sub) in arg.as_object().unwrap() {
                            if let Some(x) = o.get(k) {
                                errs.extend(self.errors(sub, x, &format!("{path}/{k}")));
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    if let Value::Object(o) = v {
                        let known = s.get("properties").and_then(Value::as_object);
                        for (k, x) in o {
                            if !known.is_some_and(|p| p.contains_key(k)) {
                                errs.extend(self.errors(arg, x, &format!("{path}/{k}")));
                            }
                        }
                    }
                }
                "items" => {
                    if let Value::Array(a) = v {
                        for (i, x) in a.iter().enumerate() {
                            errs.extend(self.errors(arg, x, &format!("{path}/{i}")));
                        }
                    }
                }
                "oneOf" | "anyOf" => {
                    let branches = arg.as_array().unwrap();
                    let results: Vec<Vec<String>> = branches.iter().map(|b| self.errors(b, v, path)).collect();
                    let ok = results.iter().filter(|e| e.is_empty()).count();
                    let good = if key == "oneOf" { ok == 1 } else { ok >= 1 };
                    if !good {
                        errs.push(format!("{path}: {ok} of the {key} branches match"));
                        if ok == 0 {
                            // The branch with the fewest errors is the one meant.
                            errs.extend(results.into_iter().min_by_key(Vec::len).unwrap_or_default());
                        }
                    }
                }
                other => panic!("the test validator does not support the keyword {other:?} (at {path})"),
            }
        }
        errs
    }

    fn resolve(&self, reference: &str) -> &'s Value {
        let pointer = reference.strip_prefix('#').expect("only local $ref");
        self.root
            .pointer(pointer)
            .unwrap_or_else(|| panic!("unresolved $ref {reference}"))
    }

    fn check(&self, v: &Value) -> Vec<String> {
        self.errors(self.root, v, "")
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "number" => v.is_number(),
        "integer" => v.is_u64() || v.is_i64(),
        other => panic!("unknown type {other}"),
    }
}

fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let text = std::fs::read_to_string(root().join("data/report.schema.json")).expect("schema file");
        serde_json::from_str(&text).expect("the schema is JSON")
    })
}

fn validate(v: &Value) -> Vec<String> {
    Validator { root: schema() }.check(v)
}

// ---------------------------------------------------------------------------------------------------------------
// The CLI.

fn scan_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let profile = profile_dir();
        let mut cmd = Command::new(env!("CARGO"));
        cmd.args(["build", "--quiet", "-p", "redflag", "--example", "scan"])
            .current_dir(root());
        if profile.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("cargo runs");
        assert!(status.success(), "cargo build --example scan failed");
        profile
            .join("examples")
            .join(format!("scan{}", std::env::consts::EXE_SUFFIX))
    })
    .clone()
}

fn chats() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples/chats"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    assert!(!v.is_empty());
    v
}

fn scan(args: &[&str], file: &Path) -> String {
    let out = Command::new(scan_bin())
        .args(["--fail-on", "none", "--color", "never"])
        .args(args)
        .arg(file)
        .current_dir(root())
        .output()
        .expect("scan runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "scan {args:?} {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Every JSON object the CLI prints for `file` with `args` (one document, or one object per line).
fn outputs(args: &[&str], file: &Path) -> Vec<Value> {
    let text = scan(args, file);
    if args.contains(&"jsonl") {
        text.lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect()
    } else {
        vec![serde_json::from_str(&text).expect("a JSON document")]
    }
}

/// Every shipped chat log, concatenated: one input for the `--lines` runs (each CLI run builds a detector, which
/// takes a while in a debug build).
fn all_lines_file() -> PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let mut all = String::new();
        for chat in chats() {
            let text = std::fs::read_to_string(&chat).unwrap();
            all.push_str(&text);
            if !text.ends_with('\n') {
                all.push('\n');
            }
        }
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("all_chats.txt");
        std::fs::write(&path, all).unwrap();
        path
    })
    .clone()
}

#[test]
fn real_cli_output_matches_the_schema() {
    let mut runs: Vec<(Vec<&str>, PathBuf)> = Vec::new();
    for chat in chats() {
        runs.push((vec!["--format", "json", "--explain"], chat.clone()));
        runs.push((vec!["--format", "jsonl"], chat));
    }
    for args in [
        vec!["--format", "json", "--lines"],
        vec!["--format", "jsonl", "--lines"],
        vec!["--format", "jsonl", "--lines", "--explain"],
    ] {
        runs.push((args, all_lines_file()));
    }
    // Two at a time: each run builds a detector.
    let results: Vec<(String, Vec<Value>)> = std::thread::scope(|s| {
        let handles: Vec<_> = runs
            .chunks(runs.len().div_ceil(2))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(args, file)| (format!("{} {args:?}", file.display()), outputs(args, file)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let mut checked = 0;
    let mut failures = Vec::new();
    let (mut saw_trigger, mut saw_suppressed, mut saw_escalation, mut saw_role) = (false, false, false, false);
    for (what, objects) in &results {
        for v in objects {
            let errs = validate(v);
            if !errs.is_empty() {
                failures.push(format!("{what}:\n  {}", errs.join("\n  ")));
            }
            let s = v.to_string();
            saw_trigger |= s.contains("\"trigger\":{");
            saw_suppressed |= s.contains("\"why\":{");
            saw_escalation |= s.contains("\"rule\":\"conversation.");
            saw_role |= s.contains("\"role\":\"");
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} object(s) fail the schema:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 30, "only {checked} objects checked");
    assert!(
        saw_trigger && saw_suppressed && saw_escalation && saw_role,
        "the samples exercise every optional part"
    );
}

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    let file = root().join("examples/chats/en_scam.txt");
    let doc = outputs(&["--format", "json"], &file).remove(0);
    assert!(validate(&doc).is_empty());
    let message = doc["messages"][2].clone();
    assert!(validate(&message).is_empty());

    let mutate = |f: &dyn Fn(&mut Map<String, Value>)| {
        let mut m = message.clone();
        f(m.as_object_mut().unwrap());
        validate(&m)
    };
    assert!(!mutate(&|m| {
        m.remove("risk");
    })
    .is_empty());
    assert!(!mutate(&|m| {
        m.insert("surprise".into(), Value::Bool(true));
    })
    .is_empty());
    assert!(!mutate(&|m| {
        m.insert("risk".into(), "severe".into());
    })
    .is_empty());
    assert!(!mutate(&|m| {
        m.insert("sender".into(), 7.into());
    })
    .is_empty());
    assert!(!mutate(&|m| {
        m["findings"][0]["category"] = "phishing".into();
    })
    .is_empty());
    assert!(!mutate(&|m| {
        m["findings"][0]["start"] = (-1).into();
    })
    .is_empty());
    assert!(!mutate(&|m| {
        m.insert(
            "entities".into(),
            serde_json::json!([{"kind": "fax", "value": "1", "start": 0, "end": 1}]),
        );
    })
    .is_empty());
    // Entities, once reported, are allowed.
    assert!(mutate(&|m| {
        m.insert(
            "entities".into(),
            serde_json::json!([{"kind": "wechat", "value": "lily", "start": 0, "end": 4}]),
        );
    })
    .is_empty());

    let mut bad_doc = doc.clone();
    bad_doc["conversation"]["findings"][0]["messages"] = "2,4".into();
    assert!(!validate(&bad_doc).is_empty());
}

/// The lines of `file` as `--lines` reads them.
fn input_lines(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    text.split_inclusive('\n')
        .map(|l| l.trim_end_matches('\n').trim_end_matches('\r').to_string())
        .collect()
}

#[test]
fn library_and_c_api_print_the_same_json_as_the_cli() {
    let detector = redflag::Detector::new();
    let ffi = redflag_ffi::redflag_detector_new();
    assert!(!ffi.is_null());
    let chat = all_lines_file();
    let (cli, cli_explain) = std::thread::scope(|s| {
        let explain = s.spawn(|| scan(&["--format", "jsonl", "--lines", "--explain"], &chat));
        (scan(&["--format", "jsonl", "--lines"], &chat), explain.join().unwrap())
    });
    let lines = input_lines(&chat);
    let (cli, cli_explain): (Vec<&str>, Vec<&str>) = (cli.lines().collect(), cli_explain.lines().collect());
    assert_eq!(cli.len(), lines.len());
    assert_eq!(cli_explain.len(), lines.len());
    for (i, text) in lines.iter().enumerate() {
        let report = detector.scan(text);
        let ours = redflag_chat::json::message_json(i, i + 1, None, None, text, &report);
        let errs = validate(&serde_json::from_str(&ours).unwrap());
        assert!(errs.is_empty(), "redflag::json output fails the schema: {errs:?}");
        assert_eq!(ours, cli[i], "{} line {}", chat.display(), i + 1);

        let explained = detector.explain(text);
        let ours = redflag_chat::json::MessageJson::new(i, i + 1, text, &explained)
            .explain(true)
            .to_json();
        assert_eq!(ours, cli_explain[i], "{} line {} (--explain)", chat.display(), i + 1);

        // The C API reports every text as message 0 on line 1.
        // SAFETY: a live detector and a valid buffer of `text.len()` bytes; the result is freed once.
        let c = unsafe {
            let p = redflag_ffi::redflag_scan_json(ffi, text.as_ptr().cast(), text.len());
            let s = std::ffi::CStr::from_ptr(p).to_str().unwrap().to_string();
            redflag_ffi::redflag_string_free(p);
            s
        };
        assert_eq!(c, redflag_chat::json::message_json(0, 1, None, None, text, &report));
    }
    // SAFETY: freed once, no other user.
    unsafe { redflag_ffi::redflag_detector_free(ffi) };
}
