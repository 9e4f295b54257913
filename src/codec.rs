//! Little-endian integers and length-prefixed strings: the byte format of the built-in snapshot.
//!
//! A block of integers starts at a multiple of 4 bytes from the start of what was written, so that a reader of
//! bytes aligned in memory (the snapshot compiled into the binary is) can borrow it as `&[u32]` instead of
//! copying it: `Detector::new()` then maps the automaton's 9 MB rather than copying them and faulting in the copy.

use std::borrow::Cow;

/// Appends little-endian integers and length-prefixed strings (snapshots are written by a test, see
/// `compile::tests::snapshot_is_fresh`).
#[cfg(test)]
pub(crate) struct Writer(pub(crate) Vec<u8>);

#[cfg(test)]
impl Writer {
    pub(crate) fn u32(&mut self, x: u32) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// A length, then the bytes.
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len() as u32);
        self.0.extend_from_slice(b);
    }

    /// A count, zero bytes up to a multiple of 4 from the start, then the integers.
    pub(crate) fn u32s(&mut self, v: &[u32]) {
        self.u32(v.len() as u32);
        self.0.resize(self.0.len().next_multiple_of(4), 0);
        for &x in v {
            self.u32(x);
        }
    }
}

/// Reads what [`Writer`] wrote; every read is `None` past the end or on invalid UTF-8.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
    /// How many bytes were read: blocks of integers are aligned from the start.
    at: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of what a [`Writer`] wrote.
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { rest: bytes, at: 0 }
    }

    /// Whether everything was read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// What is left.
    #[cfg(test)]
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.rest
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        let (head, rest) = self.rest.split_first_chunk::<4>()?;
        self.rest = rest;
        self.at += 4;
        Some(u32::from_le_bytes(*head))
    }

    /// A count of items that each take at least one byte: never more than the bytes left, so that a corrupt
    /// count cannot ask for a huge allocation.
    pub(crate) fn len(&mut self) -> Option<usize> {
        let n = self.u32()? as usize;
        (n <= self.rest.len()).then_some(n)
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.rest.get(..n)?, self.rest.get(n..)?);
        self.rest = rest;
        self.at += n;
        Some(head)
    }

    /// The body of a block of `u32`s, after its count and padding.
    fn block(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.bytes(self.at.next_multiple_of(4) - self.at)?;
        self.bytes(n.checked_mul(4)?)
    }

    /// What [`Writer::u32s`] wrote, copied.
    pub(crate) fn u32s(&mut self) -> Option<Vec<u32>> {
        Some(copy_words(self.block()?))
    }

    /// What [`Writer::bytes`] wrote.
    pub(crate) fn bytes_prefixed(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.bytes(n)
    }

    pub(crate) fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes_prefixed()?).ok()
    }
}

impl Reader<'static> {
    /// What [`Writer::u32s`] wrote: borrowed where the bytes live for the whole program and are aligned
    /// little-endian words (the stored snapshot), copied otherwise.
    pub(crate) fn u32s_static(&mut self) -> Option<Cow<'static, [u32]>> {
        let body = self.block()?;
        if cfg!(target_endian = "little") {
            if let Ok(words) = bytemuck::try_cast_slice::<u8, u32>(body) {
                return Some(Cow::Borrowed(words));
            }
        }
        Some(Cow::Owned(copy_words(body)))
    }
}

/// Little-endian words from bytes (a multiple of 4). Filled in place rather than collected from an iterator: the
/// compiler makes this loop a copy on little-endian targets, where collecting took five instructions a word.
fn copy_words(body: &[u8]) -> Vec<u32> {
    let mut out = vec![0; body.len() / 4];
    for (x, c) in out.iter_mut().zip(body.chunks_exact(4)) {
        *x = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_stops_at_the_end_and_refuses_bad_utf8() {
        let mut w = Writer(Vec::new());
        w.str("微信");
        w.u32(7);
        let mut r = Reader::new(&w.0);
        assert_eq!(r.str(), Some("微信"));
        assert_eq!(r.u32(), Some(7));
        assert_eq!(r.u32(), None);
        let mut bad = Writer(Vec::new());
        bad.u32(2);
        bad.0.extend_from_slice(&[0xE5, 0xBE]);
        assert_eq!(Reader::new(&bad.0).str(), None);
        // A count larger than what is left is refused before anything is allocated.
        let mut big = Writer(Vec::new());
        big.u32(u32::MAX);
        assert_eq!(Reader::new(&big.0).len(), None);
    }

    #[test]
    fn integer_blocks_are_aligned_and_borrowed_where_they_can_be() {
        let mut w = Writer(Vec::new());
        w.str("abc");
        w.u32s(&[1, 2, 0xDEAD_BEEF]);
        w.str("x");
        w.u32s(&[]);
        w.u32s(&[5]);
        // Count (4) + "abc" (3) + count (4) = 11: one byte of padding before the first block.
        assert_eq!(w.0[11], 0);
        assert_eq!(u32::from_le_bytes(w.0[12..16].try_into().unwrap()), 1);
        // Aligned in memory (a `Vec<u32>`'s buffer), as the stored snapshot is.
        let words: Vec<u32> =
            w.0.chunks(4)
                .map(|c| c.iter().rev().fold(0, |a, &b| a << 8 | b as u32))
                .collect();
        let bytes: &'static [u8] = bytemuck::cast_slice(Box::leak(words.into_boxed_slice()));
        let bytes = &bytes[..w.0.len()];
        let mut r = Reader::new(bytes);
        assert_eq!(r.str(), Some("abc"));
        let block = r.u32s_static().unwrap();
        assert_eq!(&*block, &[1, 2, 0xDEAD_BEEF]);
        assert_eq!(matches!(block, Cow::Borrowed(_)), cfg!(target_endian = "little"));
        assert_eq!(r.str(), Some("x"));
        assert_eq!(&*r.u32s_static().unwrap(), &[] as &[u32]);
        assert_eq!(r.u32s(), Some(vec![5]));
        assert!(r.is_empty());
        // Misaligned in memory: the same integers, copied.
        let mut shifted = vec![0u8];
        shifted.extend_from_slice(&w.0);
        let shifted: &'static [u8] = Box::leak(shifted.into_boxed_slice());
        let mut r = Reader::new(&shifted[1..]);
        r.str();
        assert_eq!(&*r.u32s_static().unwrap(), &[1, 2, 0xDEAD_BEEF]);
    }
}
