//! The shipped C and Python examples, compiled and run against the cdylib: four C threads (pthreads) and four
//! Python threads (ctypes) share one detector. Skipped, with a note, when `cc` or `python3` is missing.

mod common;

use std::process::Command;

use common::{cdylib, ffi_dir, have, GIFT_CARDS};

fn show(out: &std::process::Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn c_example_scans_from_four_threads() {
    if !cfg!(unix) || !have("cc") {
        eprintln!("note: no `cc` on this machine (or not Unix); skipping the C example");
        return;
    }
    let (lib_dir, _) = cdylib();
    let tmp = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ffi-c-example");
    std::fs::create_dir_all(&tmp).unwrap();
    let exe = tmp.join("scan_threads");
    let out = Command::new("cc")
        .arg("-pthread")
        .arg("-Wall")
        .arg("-Wextra")
        .arg("-Werror")
        .arg("-I")
        .arg(ffi_dir().join("include"))
        .arg(ffi_dir().join("examples/scan_threads.c"))
        .arg("-o")
        .arg(&exe)
        .arg(format!("-L{}", lib_dir.display()))
        .arg("-lredflag_ffi")
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .output()
        .expect("cc runs");
    assert!(out.status.success(), "cc failed: {}", show(&out));

    // A rules directory for the concurrent reload: the same extra rule the program starts with.
    let rules = tmp.join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(rules.join("gift_cards.toml"), GIFT_CARDS).unwrap();

    let out = Command::new(&exe).arg(&rules).output().expect("scan_threads runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", show(&out));
    assert!(stdout.contains("all as expected"), "{}", show(&out));
    // The sample report it prints has both categories of the pretext.
    assert!(
        stdout.contains("\"category\":\"gateway_maintenance_pretext\""),
        "{stdout}"
    );
    assert!(stdout.contains("\"category\":\"off_platform_payment\""), "{stdout}");
}

#[test]
fn python_ctypes_example() {
    if !have("python3") {
        eprintln!("note: no `python3` on this machine; skipping the Python example");
        return;
    }
    let (_, lib) = cdylib();
    let script = ffi_dir().join("examples/scan.py");

    // Self-check: errors, NULLs, invalid UTF-8, four threads.
    let out = Command::new("python3")
        .arg(&script)
        .arg(&lib)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("all as expected"),
        "{}",
        show(&out)
    );

    // Texts on the command line: one JSON report per line.
    let out = Command::new("python3")
        .arg(&script)
        .arg(&lib)
        .arg("加我薇信，私下转账便宜5个点")
        .arg("Price is $2.35/pc FOB Ningbo")
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", show(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(lines[0]["risk"], "high");
    assert!(lines[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["category"] == "contact_move"));
    assert_eq!(lines[1]["risk"], "none");
}
