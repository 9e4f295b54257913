//! Crypto addresses: TRC-20 (TRON, base58check with a double SHA-256 checksum) and ERC-20 (`0x` and 40 hex
//! digits).

use sha2::{Digest, Sha256};

use super::{after_is, before_is, Entity, EntityKind, Extractor, Sink};

/// The base58 alphabet (no `0`, `O`, `I`, `l`).
const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

impl Extractor {
    /// TRC-20 addresses (base58check verified, as written) and, when the text has digits, ERC-20 addresses
    /// (`0x` and 40 hex digits).
    pub(super) fn crypto(&self, text: &str, digits: bool, sink: &mut Sink<'_>) {
        // TRC-20 addresses are case-sensitive: read them from the original text.
        let original = sink.original;
        if trc20_possible(original) {
            let ob = original.as_bytes();
            for m in self.trc20.find_iter(original) {
                if before_is(ob, m.start(), |b| b.is_ascii_alphanumeric())
                    || after_is(ob, m.end(), |b| b.is_ascii_alphanumeric())
                    || !trc20_checksum_ok(m.as_str().as_bytes())
                {
                    continue;
                }
                sink.out
                    .push(Entity::new(EntityKind::Crypto, m.as_str().to_string(), m.range(), None));
            }
        }
        if digits && text.contains("0x") {
            let bytes = text.as_bytes();
            for m in self.erc20.find_iter(text) {
                if before_is(bytes, m.start(), |b| b.is_ascii_alphanumeric())
                    || after_is(bytes, m.end(), |b| b.is_ascii_alphanumeric())
                {
                    continue;
                }
                sink.push(EntityKind::Crypto, m.as_str().to_string(), m.range(), None);
            }
        }
    }
}

/// Whether a TRC-20 address (`T` and 33 more ASCII letters and digits) can start in `bytes`: a cheap check at each
/// `T` before the address pattern runs (most `T`s start a word like `The`).
fn trc20_possible(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 34
        && memchr::memchr_iter(b'T', bytes).any(|i| {
            bytes
                .get(i + 1..i + 34)
                .is_some_and(|r| r.iter().all(u8::is_ascii_alphanumeric))
        })
}

/// Base58check of a TRON address: 25 bytes, version 0x41, checksum = first 4 bytes of SHA-256(SHA-256(21 bytes)).
fn trc20_checksum_ok(addr: &[u8]) -> bool {
    let mut out = [0u8; 25];
    for &c in addr {
        let Some(v) = BASE58.iter().position(|&a| a == c) else {
            return false;
        };
        let mut carry = v as u32;
        for b in out.iter_mut().rev() {
            carry += u32::from(*b) * 58;
            *b = carry as u8;
            carry >>= 8;
        }
        if carry != 0 {
            return false;
        }
    }
    out[0] == 0x41 && Sha256::digest(Sha256::digest(&out[..21]))[..4] == out[21..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_checks_count_and_find_what_they_gate() {
        let addr = "TXYZabcdefghijkmnopqrstuvwxyz12345";
        assert_eq!(addr.len(), 34);
        for (text, possible) in [
            (format!("send to {addr} now"), true),
            (addr.to_string(), true),
            (format!("The {}", &addr[..33]), false),
            ("The Thanks Tomorrow, T-shirts and more T".repeat(3), false),
            (format!("T {addr}"), true),
        ] {
            assert_eq!(trc20_possible(&text), possible, "{text:?}");
        }
    }

    #[test]
    fn checksums() {
        let hex: String = Sha256::digest(b"abc").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(trc20_checksum_ok(b"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"));
        assert!(!trc20_checksum_ok(b"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"));
    }
}
