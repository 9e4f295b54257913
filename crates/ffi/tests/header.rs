//! `include/redflag.h` declares exactly the functions `src/lib.rs` exports, with the same number of parameters,
//! and (where `nm` is available) the built cdylib exports every one of them.

mod common;

use std::collections::BTreeMap;

use common::{cdylib, ffi_dir, have};

/// Removes `/* … */` and `// …` comments.
fn strip_c_comments(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("/*") {
            rest = r.find("*/").map_or("", |i| &r[i + 2..]);
            out.push(' ');
        } else if let Some(r) = rest.strip_prefix("//") {
            rest = r.find('\n').map_or("", |i| &r[i..]);
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Parameter count of a parameter list (`void` and an empty list are 0).
fn arity(params: &str) -> usize {
    let p = params.trim();
    if p.is_empty() || p == "void" {
        0
    } else {
        p.split(',').count()
    }
}

/// The function declarations of the header: name → parameter count.
fn header_functions() -> BTreeMap<String, usize> {
    let src = std::fs::read_to_string(ffi_dir().join("include/redflag.h")).unwrap();
    let code = strip_c_comments(&src);
    let mut found = BTreeMap::new();
    // Declarations end with `;`; a function declaration has `name(params)` at the top level (no preprocessor
    // lines, no typedefs).
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    for decl in code.split(';') {
        let decl = decl.trim();
        if decl.starts_with("typedef") || !decl.contains('(') {
            continue;
        }
        let decl = decl.trim_start_matches(|c| c == '}' || char::is_whitespace(c));
        let open = decl.find('(').unwrap();
        let close = decl.rfind(')').expect("closing parenthesis");
        let name: String = decl[..open]
            .trim_end()
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        assert!(!name.is_empty(), "cannot parse declaration {decl:?}");
        assert!(
            found.insert(name.clone(), arity(&decl[open + 1..close])).is_none(),
            "{name} declared twice"
        );
    }
    found
}

/// The `#[no_mangle] pub [unsafe] extern "C" fn` items of `src/lib.rs`: name → parameter count.
fn rust_exports() -> BTreeMap<String, usize> {
    let src = std::fs::read_to_string(ffi_dir().join("src/lib.rs")).unwrap();
    let mut found = BTreeMap::new();
    let mut after_no_mangle = false;
    let lines: Vec<&str> = src.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t == "#[no_mangle]" {
            after_no_mangle = true;
            continue;
        }
        if !after_no_mangle || t.starts_with("#[") || t.starts_with("//") {
            continue;
        }
        after_no_mangle = false;
        let sig = t
            .strip_prefix("pub extern \"C\" fn ")
            .or_else(|| t.strip_prefix("pub unsafe extern \"C\" fn "))
            .unwrap_or_else(|| panic!("#[no_mangle] item is not `pub [unsafe] extern \"C\" fn`: {t}"));
        let name: String = sig
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // The parameter list may span lines (rustfmt).
        let mut rest = lines[i..].join("\n");
        rest = rest[rest.find('(').unwrap() + 1..].to_string();
        let params = &rest[..rest.find(')').unwrap()];
        let n = params.split(',').filter(|p| !p.trim().is_empty()).count();
        assert!(found.insert(name.clone(), n).is_none(), "{name} exported twice");
    }
    found
}

#[test]
fn header_declares_exactly_the_exported_functions() {
    let header = header_functions();
    let rust = rust_exports();
    assert!(rust.len() >= 7, "{rust:?}");
    assert_eq!(
        header, rust,
        "include/redflag.h and src/lib.rs disagree (name → parameter count)"
    );
    for required in [
        "redflag_detector_new",
        "redflag_detector_from_toml",
        "redflag_detector_free",
        "redflag_scan_json",
        "redflag_string_free",
        "redflag_version",
    ] {
        assert!(header.contains_key(required), "{required} missing");
    }
}

#[test]
fn cdylib_exports_every_declared_function() {
    if !cfg!(target_os = "linux") || !have("nm") {
        eprintln!("note: no GNU `nm` (or not Linux); skipping the symbol-table check");
        return;
    }
    let (_, lib) = cdylib();
    let out = std::process::Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&lib)
        .output()
        .expect("nm runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = String::from_utf8_lossy(&out.stdout);
    let exported: Vec<&str> = table
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace().rev();
            let name = parts.next()?;
            let kind = parts.next()?;
            (kind == "T").then_some(name)
        })
        .filter(|n| n.starts_with("redflag_"))
        .collect();
    let mut exported: Vec<String> = exported.into_iter().map(String::from).collect();
    exported.sort();
    let declared: Vec<String> = header_functions().into_keys().collect();
    assert_eq!(exported, declared);
}
