//! The stored snapshot's checksum, shared with `build.rs`, which checks the stored bytes once per build.

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
