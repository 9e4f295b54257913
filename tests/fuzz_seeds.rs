//! Replays the fuzz targets' seed corpora (`fuzz/seeds/`) with the same checks as `fuzz/fuzz_targets/`, so that
//! `cargo test` covers them without a fuzzer. Run the fuzzers themselves with `cargo +nightly fuzz run <target>`
//! from `fuzz/` (see `fuzz/README.md`).

use std::path::{Path, PathBuf};

use redflag::Detector;
use redflag_chat::{parse, ChatReader, InputFormat};

fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds").join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("seed entry").path())
        .map(|p| {
            let bytes = std::fs::read(&p).expect("seed file");
            (p, bytes)
        })
        .collect();
    out.sort();
    assert!(out.len() >= 3, "{}: too few seeds", dir.display());
    out
}

#[test]
fn scan_seeds_give_valid_spans() {
    let d = Detector::new();
    let mut findings = 0;
    for (path, data) in seeds("scan") {
        let text = String::from_utf8_lossy(&data);
        let report = d.scan(&text);
        for f in report.findings() {
            assert!(text.get(f.span()).is_some(), "{}: {:?}", path.display(), f.span());
        }
        for e in report.entities() {
            assert!(text.get(e.span()).is_some(), "{}: {:?}", path.display(), e.span());
        }
        findings += report.findings().len();
    }
    // The seeds include scams: a detector that found nothing would not be exercising the rules.
    assert!(findings > 0);
}

#[test]
fn rule_seeds_load_or_fail_without_panicking() {
    let (mut built, mut failed) = (0, 0);
    for (path, data) in seeds("rules") {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        match Detector::builder()
            .builtin_rules(false)
            .add_rules_toml(text)
            .and_then(|b| b.build())
        {
            Ok(d) => {
                built += 1;
                for r in d.rules().rules() {
                    for ex in r.examples_match().iter().chain(r.examples_ignore()) {
                        let _ = d.scan(ex);
                    }
                }
            }
            Err(e) => {
                failed += 1;
                assert!(!e.to_string().is_empty(), "{}", path.display());
            }
        }
    }
    assert!(built >= 2 && failed >= 2, "built {built}, failed {failed}");
}

#[test]
fn chat_seeds_parse_in_every_format() {
    for (path, data) in seeds("chat") {
        let text = String::from_utf8_lossy(&data);
        let lines = text.split('\n').count();
        for name in InputFormat::NAMES {
            let format: InputFormat = name.parse().expect("a known format");
            let messages = parse(&text, format);
            for m in &messages {
                assert!(m.line >= 1 && m.line <= lines, "{} as {name}: {m:?}", path.display());
            }
            let streamed: Vec<_> = ChatReader::new(text.as_bytes(), format)
                .map(|m| m.expect("in memory"))
                .collect();
            assert_eq!(streamed, messages, "{} as {name}", path.display());
        }
    }
}

#[test]
fn report_seeds_render_safe_pages() {
    use redflag::Role;
    use redflag_report::{html, ChatReport};

    let d = Detector::new();
    let mut concerns = 0;
    for (path, data) in seeds("report") {
        let text = String::from_utf8_lossy(&data);
        let mut convo = d.conversation();
        let mut builder = ChatReport::builder();
        builder.keep_all(true);
        for m in parse(&text, InputFormat::Auto) {
            if m.system {
                builder.push_system(&m);
            } else {
                builder.push(&m, Role::Unknown, &convo.push(Role::Unknown, &m.text));
            }
        }
        let report = builder.finish(&convo);
        for m in &report.messages {
            for c in &m.concerns {
                assert!(m.text.get(c.cover.clone()).is_some(), "{}: {c:?}", path.display());
                concerns += 1;
            }
        }
        let page = html::render(&report, &text);
        assert!(!page.to_ascii_lowercase().contains("<script"), "{}", path.display());
        assert_eq!(
            page.matches("<mark").count(),
            page.matches("</mark>").count(),
            "{}",
            path.display()
        );
    }
    assert!(concerns > 0, "the seeds include scams");
}
