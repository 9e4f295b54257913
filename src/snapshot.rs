//! The built-in rule set's keyword automaton, leet vocabulary and lexicons, computed ahead of time.
//!
//! Building them from `data/` folds about 20,000 lexicon terms, parses about 500 KB of TOML and builds an automaton
//! of over 100,000 states: most of the 300–470 M instructions `Detector::new()` took. None of it depends on anything but the
//! shipped files and the code that compiles them, so the result is stored in `data/builtin.snapshot` and read back
//! (about 11 MB of little-endian integers, read in a few milliseconds). The same approach as ICU4X's baked data
//! or `ucd-generate`'s tables: generated, checked in, and checked for freshness by a test.
//!
//! Safety against staleness: the snapshot carries the key that `build.rs` computes from its inputs (the data files
//! and the compiling code); a detector only uses a snapshot whose key is the current build's, and otherwise
//! builds everything from `data/` as a user's rule set is built. The test `snapshot_is_fresh` rebuilds it and
//! fails when the stored bytes differ; `REDFLAG_BLESS=1` rewrites it.
//!
//! Safety against corruption: the snapshot ends with a checksum of its contents (`codec::checksum`), and bytes
//! that do not match it are not used; reading checks every count, string and id (`codec::Reader` never indexes
//! past its bytes, and `compile` checks every owner), and a failure means building from `data/`, never a panic.
//! The automaton's state-by-state check (`Nfa::read`) is left to a test of the stored bytes: with the checksum
//! holding, they are the bytes a checked build wrote, and the check cost more than a third of `Detector::new()`.

use crate::automaton::{Keywords, Trust};
use crate::checksum::checksum;
use crate::codec::Reader;
#[cfg(test)]
use crate::codec::Writer;
use crate::error::Location;
use crate::lexicon::{Lexicon, Strings};
use crate::normalize::Folder;

/// The key of this build's inputs (see `build.rs`).
pub(crate) const KEY: &str = env!("REDFLAG_SNAPSHOT_KEY");
/// Format tag and version.
const MAGIC: &[u8; 8] = b"RFSNAP03";
/// Where the snapshot is stored, from the crate root.
#[cfg(test)]
pub(crate) const PATH: &str = "data/builtin.snapshot";
/// Bytes aligned for reading as `u32`s in place (see `codec`).
#[repr(C, align(8))]
struct Aligned<B: ?Sized>(B);
/// The stored snapshot.
static STORED_ALIGNED: &Aligned<[u8]> = &Aligned(*include_bytes!("../data/builtin.snapshot"));
static STORED: &[u8] = &STORED_ALIGNED.0;

/// What a snapshot holds.
#[derive(Debug)]
pub(crate) struct Snapshot {
    pub(crate) keywords: Keywords,
    pub(crate) folder: Folder,
    pub(crate) lexicons: Vec<Lexicon>,
}

/// The checksum `build.rs` found the stored bytes to match, in hex; empty when they did not.
const STORED_SUM: &str = env!("REDFLAG_SNAPSHOT_SUM");

/// The stored snapshot, when it was made from this build's inputs and reads back whole.
pub(crate) fn stored() -> Option<Snapshot> {
    // `build.rs` checked these bytes against their checksum when this crate was built: the trailer naming the
    // sum it found is enough, and the 15 MB are not summed again at every `Detector::new()`.
    let verified = u64::from_str_radix(STORED_SUM, 16).ok()?;
    decode_with(STORED, Trust::Verified, Some(verified))
}

/// Writes a snapshot of the given parts, under this build's key.
#[cfg(test)]
pub(crate) fn encode(keywords: &Keywords, folder: &Folder, lexicons: &[Lexicon]) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(4 << 20));
    w.0.extend_from_slice(MAGIC);
    w.str(KEY);
    keywords.write(&mut w);
    let (vocab, skeletons) = folder.words();
    for words in [vocab, skeletons] {
        w.u32(words.len() as u32);
        for word in words {
            w.str(word);
        }
    }
    w.u32(lexicons.len() as u32);
    for l in lexicons {
        w.str(&l.name);
        w.str(&l.description);
        w.u32(u32::from(l.inflect));
        // Each list as its buffer and a block of (end, line) pairs: one UTF-8 check and one copy when read.
        for list in [&l.terms, &l.include, &l.exclude] {
            let (text, items) = list.parts();
            w.str(text);
            let items: Vec<u32> = items.iter().flat_map(|&(end, line)| [end, line]).collect();
            w.u32s(&items);
        }
        w.str(&l.location.source);
        w.u32(l.location.line as u32);
    }
    let sum = checksum(&w.0[MAGIC.len()..]);
    w.0.extend_from_slice(&sum.to_le_bytes());
    w.0
}

/// Reads a snapshot; `None` when it is of another build or does not read back whole.
#[cfg(test)]
pub(crate) fn decode(bytes: &'static [u8]) -> Option<Snapshot> {
    decode_with(bytes, Trust::Verified, None)
}

/// [`decode`], checking the automaton state by state or not once the checksum holds. `verified` is a checksum
/// already found to hold for these bytes: then the trailer must name it, and the bytes are not summed again.
fn decode_with(bytes: &'static [u8], trust: Trust, verified: Option<u64>) -> Option<Snapshot> {
    let (contents, sum) = bytes.split_at(bytes.len().checked_sub(8)?);
    let body = contents.strip_prefix(MAGIC)?;
    let sum = u64::from_le_bytes(sum.try_into().ok()?);
    if verified.unwrap_or_else(|| checksum(body)) != sum {
        return None;
    }
    // Read from the start, magic included, so that blocks of integers sit where the writer aligned them.
    let mut r = Reader::new(contents);
    r.bytes(MAGIC.len())?;
    if r.str()? != KEY {
        return None;
    }
    let keywords = Keywords::read(&mut r, trust)?;
    let mut sets = Vec::with_capacity(2);
    for _ in 0..2 {
        let n = r.len()?;
        let mut words = Vec::with_capacity(n);
        for _ in 0..n {
            words.push(Box::<str>::from(r.str()?));
        }
        sets.push(words);
    }
    let skeletons = sets.pop()?;
    let vocab = sets.pop()?;
    let folder = Folder::from_words(vocab, skeletons);
    let n = r.len()?;
    let mut lexicons = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.str()?.to_string();
        let description = r.str()?.to_string();
        let inflect = match r.u32()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        let mut lists = Vec::with_capacity(3);
        for _ in 0..3 {
            let text = r.str()?.to_string();
            let items = r.u32s()?;
            if items.len() % 2 != 0 {
                return None;
            }
            let items = items.chunks_exact(2).map(|c| (c[0], c[1])).collect();
            lists.push(Strings::from_parts(text, items)?);
        }
        let exclude = lists.pop()?;
        let include = lists.pop()?;
        let terms = lists.pop()?;
        let location = Location {
            source: r.str()?.to_string(),
            line: r.u32()? as usize,
        };
        lexicons.push(Lexicon {
            name,
            description,
            terms,
            include,
            exclude,
            inflect,
            location,
            builtin: true,
        });
    }
    r.is_empty().then_some(Snapshot {
        keywords,
        folder,
        lexicons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_automaton_passes_the_state_by_state_check() {
        assert!(decode_with(STORED, Trust::Check, None).is_some());
    }

    #[test]
    fn build_rs_checked_the_stored_bytes() {
        // The sum build.rs found is the one the bytes hold, and the stored snapshot is used.
        assert_eq!(
            u64::from_str_radix(STORED_SUM, 16).ok(),
            Some(checksum(&STORED[MAGIC.len()..STORED.len() - 8]))
        );
        assert!(stored().is_some());
        // Another sum (bytes changed after build.rs saw them) is not taken for this one.
        assert!(decode_with(STORED, Trust::Verified, Some(1)).is_none());
    }

    #[test]
    fn a_damaged_snapshot_is_not_used() {
        assert!(decode(STORED).is_some());
        for at in [MAGIC.len() + 40, STORED.len() / 2, STORED.len() - 9, STORED.len() - 1] {
            let mut bytes = STORED.to_vec();
            bytes[at] ^= 0x10;
            assert!(decode(leak(bytes)).is_none(), "byte {at} changed");
        }
        assert!(decode(&STORED[..STORED.len() - 1]).is_none());
    }

    #[test]
    fn another_builds_snapshot_is_not_used() {
        let mut bytes = MAGIC.to_vec();
        let mut w = Writer(Vec::new());
        w.str("0000000000000000");
        bytes.extend_from_slice(&w.0);
        // Whole, with its checksum: only the key is another build's.
        let sum = checksum(&bytes[MAGIC.len()..]);
        bytes.extend_from_slice(&sum.to_le_bytes());
        assert!(decode(leak(bytes)).is_none());
        assert!(decode(b"not a snapshot").is_none());
    }

    #[test]
    fn the_stored_tables_are_read_in_place() {
        // Aligned in the binary, so that `Detector::new()` maps the automaton's tables instead of copying them.
        assert_eq!(STORED.as_ptr() as usize % 8, 0);
        let snapshot = stored().unwrap();
        assert_eq!(snapshot.keywords.borrowed(), cfg!(target_endian = "little"));
    }

    /// Bytes that live as long as a stored snapshot's (a reader borrows from them).
    fn leak(bytes: Vec<u8>) -> &'static [u8] {
        Box::leak(bytes.into_boxed_slice())
    }
}
