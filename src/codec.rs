//! Little-endian integers and length-prefixed strings: the byte format of the built-in snapshot.

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
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }

    /// A length, then the bytes.
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len() as u32);
        self.0.extend_from_slice(b);
    }

    /// A count, then the integers.
    pub(crate) fn u32s(&mut self, v: &[u32]) {
        self.u32(v.len() as u32);
        for &x in v {
            self.u32(x);
        }
    }
}

/// Reads what [`Writer`] wrote; every read is `None` past the end or on invalid UTF-8.
pub(crate) struct Reader<'a>(pub(crate) &'a [u8]);

impl<'a> Reader<'a> {
    pub(crate) fn u32(&mut self) -> Option<u32> {
        let (head, rest) = self.0.split_first_chunk::<4>()?;
        self.0 = rest;
        Some(u32::from_le_bytes(*head))
    }

    /// A count of items that each take at least one byte: never more than the bytes left, so that a corrupt
    /// count cannot ask for a huge allocation.
    pub(crate) fn len(&mut self) -> Option<usize> {
        let n = self.u32()? as usize;
        (n <= self.0.len()).then_some(n)
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }

    /// What [`Writer::u32s`] wrote.
    pub(crate) fn u32s(&mut self) -> Option<Vec<u32>> {
        let n = self.u32()? as usize;
        let body = self.bytes(n.checked_mul(4)?)?;
        // Filled in place rather than collected from an iterator: the compiler makes this loop a copy on
        // little-endian targets, where collecting took five instructions an integer (millions in a snapshot).
        let mut out = vec![0; n];
        for (x, c) in out.iter_mut().zip(body.chunks_exact(4)) {
            *x = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        }
        Some(out)
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

/// A checksum of `bytes` (64-bit multiply-xor over little-endian words): the stored snapshot carries the one of its
/// contents, so that bytes changed in any way are not used. Not cryptographic: it guards against a damaged file,
/// as a CRC would, at about a byte per instruction.
pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mix = |h: u64, w: u64| {
        let h = (h ^ w).wrapping_mul(K);
        h ^ (h >> 29)
    };
    let mut h = mix(0x243F_6A88_85A3_08D3, bytes.len() as u64);
    let mut words = bytes.chunks_exact(8);
    for c in &mut words {
        h = mix(h, u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
    }
    for &b in words.remainder() {
        h = mix(h, u64::from(b));
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_stops_at_the_end_and_refuses_bad_utf8() {
        let mut w = Writer(Vec::new());
        w.str("微信");
        w.u32(7);
        let mut r = Reader(&w.0);
        assert_eq!(r.str(), Some("微信"));
        assert_eq!(r.u32(), Some(7));
        assert_eq!(r.u32(), None);
        let mut bad = Writer(Vec::new());
        bad.u32(2);
        bad.0.extend_from_slice(&[0xE5, 0xBE]);
        assert_eq!(Reader(&bad.0).str(), None);
        // A count larger than what is left is refused before anything is allocated.
        let mut big = Writer(Vec::new());
        big.u32(u32::MAX);
        assert_eq!(Reader(&big.0).len(), None);
    }
}
