//! Integration tests, one binary (as aho-corasick and ripgrep do) to keep link time down.

mod accuracy;
mod cli;
mod conversation;
mod corpus;
mod evasion;
mod properties;
mod regression;
mod rules;

use std::path::{Path, PathBuf};

/// The project root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the project, when this checkout has it (the corpora and the development set).
pub fn shared() -> Option<PathBuf> {
    let p = root().join("../shared");
    p.join("eval/dev.jsonl").is_file().then_some(p)
}
