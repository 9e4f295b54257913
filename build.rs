//! Computes the key of the built-in snapshot (`data/builtin.snapshot`, see `src/snapshot.rs`): a hash of every
//! file its content is made from. `Detector::new()` only uses a snapshot whose key is this build's, so an edited
//! lexicon can never be scanned with a stale automaton; the test `snapshot_is_fresh` fails until it is rebuilt.

use std::fs;
use std::path::{Path, PathBuf};

// The snapshot's checksum, as the library computes it.
#[path = "src/checksum.rs"]
mod checksum;

/// Where the snapshot is stored, and the length of its format tag (`snapshot::MAGIC`).
const SNAPSHOT: &str = "data/builtin.snapshot";
const MAGIC_LEN: usize = 8;

/// What the snapshot is built from: the built-in data, and the code that folds, resolves and compiles it.
const INPUTS: &[&str] = &[
    "data/lexicons",
    "data/rules",
    "src/automaton",
    // The byte format: a reader changed with its writer must not take an old snapshot's bytes for new ones.
    "src/codec.rs",
    "src/normalize",
    "src/rules",
    "src/compile.rs",
    "src/context.rs",
    "src/entities/cues.rs",
    "src/forms.rs",
    "src/inflect.rs",
    "src/lexicon.rs",
    "src/snapshot.rs",
];

fn files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let Ok(entries) = fs::read_dir(path) else {
            return;
        };
        for e in entries.flatten() {
            files(&e.path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "toml" || e == "rs") {
        // Data and code only: editing a README must not stale the snapshot.
        out.push(path.to_path_buf());
    }
}

fn main() {
    let mut all = Vec::new();
    for input in INPUTS {
        println!("cargo:rerun-if-changed={input}");
        files(Path::new(input), &mut all);
    }
    all.sort();
    // FNV-1a, 64 bits, over each path and its bytes: no dependency, and stable across platforms and versions.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for f in &all {
        let name = f.to_string_lossy().replace('\\', "/");
        eat(name.as_bytes());
        eat(&[0]);
        // Line endings as checked out must not change the key: a CRLF checkout holds the same data.
        let bytes = fs::read(f).unwrap_or_default();
        let text: Vec<u8> = bytes.into_iter().filter(|&b| b != b'\r').collect();
        eat(&text);
        eat(&[0]);
    }
    println!("cargo:rustc-env=REDFLAG_SNAPSHOT_KEY={h:016x}");
    // The stored bytes are checked here, once per build, rather than in every `Detector::new()`: the checksum
    // of 15 MB was a tenth of it. An empty sum means it does not hold, and the detector builds from `data/`.
    println!("cargo:rerun-if-changed={SNAPSHOT}");
    let sum = snapshot_sum().map(|s| format!("{s:016x}")).unwrap_or_default();
    println!("cargo:rustc-env=REDFLAG_SNAPSHOT_SUM={sum}");
}

/// The checksum the stored snapshot ends with, when its contents match it.
fn snapshot_sum() -> Option<u64> {
    let bytes = fs::read(SNAPSHOT).ok()?;
    let (body, sum) = bytes.split_at(bytes.len().checked_sub(8)?);
    let sum = u64::from_le_bytes(sum.try_into().ok()?);
    (checksum::checksum(body.get(MAGIC_LEN..)?) == sum).then_some(sum)
}
