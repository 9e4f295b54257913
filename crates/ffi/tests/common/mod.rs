//! Paths shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The `crates/ffi/` directory.
pub fn ffi_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The project root (the workspace).
pub fn root() -> PathBuf {
    ffi_dir()
        .ancestors()
        .nth(2)
        .expect("crates/ffi/ is inside the project")
        .to_path_buf()
}

/// `target/<profile>`: the test binary is `target/<profile>/deps/<test>-<hash>`.
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .to_path_buf()
}

/// The directory holding the cdylib `cargo test` built for this crate, and its path.
pub fn cdylib() -> (PathBuf, PathBuf) {
    let name = format!(
        "{}redflag_ffi{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let profile = profile_dir();
    // `deps/` holds the library built for this very test run; `target/<profile>/` gets a copy of it.
    for dir in [profile.join("deps"), profile] {
        if dir.join(&name).is_file() {
            return (dir.clone(), dir.join(&name));
        }
    }
    panic!("{name} not found beside the test binary; run `cargo build -p redflag-ffi`")
}

/// Whether `program` can be run (`program --version` succeeds).
pub fn have(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A one-rule pack the tests load on top of the built-in rules.
#[allow(dead_code)] // Not every test binary that includes this module uses it.
pub const GIFT_CARDS: &str = r#"
[[rule]]
id = "off_platform_payment.gift_cards"
category = "off_platform_payment"
severity = "high"
keywords = ["gift cards"]
pattern = '''(?:pay|send)\s.{0,30}gift\s*cards'''
examples.match = ["send me steam gift cards"]
examples.ignore = ["gift cards are sold here"]
"#;
