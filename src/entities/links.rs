//! Links: URLs, their registrable domains, the top-level domain lists that decide a bare domain, and look-alike
//! domains of the platform and payment brands (homoglyphs, digit swaps, brand words, one-edit typos).

use unicode_normalization::UnicodeNormalization;

use super::{after_is, before_is, EntityKind, Extractor, Sink};

/// Top-level domains accepted for a bare domain (no scheme, no `www.`).
const TLDS: &[&str] = &[
    "com", "net", "org", "cn", "xyz", "info", "io", "cc", "tk", "ml", "ga", "cf", "gq", "ru", "uk", "de", "hk", "tw",
    "sg", "biz", "pw", "icu", "cyou", "sbs", "cfd", "bond", "asia", "jp", "kr", "vn", "th", "ph", "pk", "ng", "ae",
    "eu", "fr", "es", "nl", "ca", "au", "br", "mx", "tr", "su", "ws", "mobi", "tv", "la", "us", "co",
];
/// Top-level domains that are also English words, common in scam links: a bare domain is accepted unless its name
/// is a common word too ("the file.top quality").
const LENIENT_TLDS: &[&str] = &[
    "top", "shop", "vip", "online", "site", "store", "club", "app", "link", "fun", "tech", "win", "bid", "loan",
    "buzz", "ltd", "cloud", "website",
];
/// Top-level domains that read as words after a missing space ("log.in", "this.one", "call.me"): a bare domain
/// needs evidence (a digit or hyphen in the name, a third label, a path, or a brand).
const STRICT_TLDS: &[&str] = &[
    "me", "in", "one", "pay", "work", "today", "help", "life", "world", "live", "page", "click", "email", "center",
    "trade", "market", "global", "support", "services", "space",
];
/// Words that are no domain name before a word-like TLD.
const COMMON_WORDS: &[&str] = &[
    "ok", "okay", "yes", "no", "thanks", "thank", "it", "this", "that", "the", "is", "on", "at", "in", "to", "me",
    "you", "we", "us", "file", "files", "price", "order", "ship", "today", "now", "here", "there", "sure", "so", "and",
    "or", "of", "for", "from", "done", "good", "fine", "great", "please", "pls", "sir", "dear", "friend", "work",
    "time", "day", "quality", "goods", "product", "all", "best", "very", "more", "new", "hi", "hello",
];

/// A brand that look-alike domains imitate, with its skeleton (see [`skeleton`]).
struct Brand {
    name: &'static str,
    skeleton: &'static str,
    /// Whether a one-edit typo of the name counts (only for names long enough not to hit ordinary words).
    typos: bool,
}

const BRANDS: &[Brand] = &[
    Brand {
        name: "aliexpress",
        skeleton: "allexpress",
        typos: true,
    },
    Brand {
        name: "alibaba",
        skeleton: "allbaba",
        typos: true,
    },
    Brand {
        name: "alipay",
        skeleton: "allpay",
        typos: true,
    },
    Brand {
        name: "1688",
        skeleton: "l688",
        typos: false,
    },
    Brand {
        name: "taobao",
        skeleton: "taobao",
        typos: true,
    },
    Brand {
        name: "tmall",
        skeleton: "tmall",
        typos: false,
    },
    Brand {
        name: "dhgate",
        skeleton: "dhgate",
        typos: true,
    },
    Brand {
        name: "paypal",
        skeleton: "paypal",
        typos: true,
    },
    Brand {
        name: "worldfirst",
        skeleton: "worldflrst",
        typos: true,
    },
    Brand {
        name: "wise",
        skeleton: "wlse",
        typos: false,
    },
];

/// Registrable domains that belong to the brands (and their subdomains): never look-alikes.
const REAL_DOMAINS: &[&str] = &[
    "1688.com",
    "alibaba.com",
    "alibaba-inc.com",
    "alibabagroup.com",
    "alibabacloud.com",
    "aliyun.com",
    "alicdn.com",
    "aliexpress.com",
    "aliexpress.us",
    "aliexpress.ru",
    "alipay.com",
    "alipayplus.com",
    "alipan.com",
    "taobao.com",
    "tmall.com",
    "tmall.hk",
    "dhgate.com",
    "paypal.com",
    "paypal.me",
    "paypalobjects.com",
    "wise.com",
    "transferwise.com",
    "worldfirst.com",
    "worldfirst.com.cn",
];

/// Second-level labels under which a ccTLD registers names (`x.com.cn`, `x.co.uk`).
const SECOND_LEVEL: &[&str] = &["com", "net", "org", "co", "gov", "edu", "ac"];

impl Extractor {
    /// Links: after a scheme or `www.`, or bare with a known top-level domain (and, for a word-like one, evidence
    /// that it is a domain). The value is the registrable domain, with the brand a look-alike imitates.
    pub(super) fn urls(&self, text: &str, sink: &mut Sink<'_>) {
        let bytes = text.as_bytes();
        for m in self.url.find_iter(text) {
            if before_is(bytes, m.start(), |b| {
                b.is_ascii_alphanumeric() || matches!(b, b'@' | b'.' | b'-' | b'_')
            }) {
                continue;
            }
            let s = m.as_str();
            let scheme = if s.starts_with("https://") {
                8
            } else if s.starts_with("http://") {
                7
            } else {
                0
            };
            let host_start = m.start() + scheme;
            let host_len = text[host_start..m.end()]
                .find([':', '/', '?', '#'])
                .unwrap_or(m.end() - host_start);
            let host = &text[host_start..host_start + host_len];
            let mut end = m.end();
            while end > host_start + host_len
                && matches!(
                    bytes[end - 1],
                    b'.' | b',' | b';' | b':' | b'!' | b'?' | b')' | b']' | b'\'' | b'"'
                )
            {
                end -= 1;
            }
            let has_path = end > host_start + host_len;
            let tld = host.rsplit('.').next().unwrap_or("");
            let numeric_host = tld.bytes().all(|b| b.is_ascii_digit());
            if numeric_host {
                // Only an IPv4 address after a scheme.
                let parts_ok = host.split('.').count() == 4
                    && host
                        .split('.')
                        .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u16>().is_ok_and(|n| n < 256));
                if scheme == 0 || !parts_ok {
                    continue;
                }
                sink.push(EntityKind::Url, host.to_string(), m.start()..end, None);
                continue;
            }
            // The domain as written: folding erases look-alike letters and digits.
            let written = sink
                .original_text(host_start..host_start + host_len)
                .map(normalize_host);
            let written = written.filter(|w| w.contains('.')).unwrap_or_else(|| host.to_string());
            let reg = registrable(&written);
            let brand = imitation(&written);
            if scheme == 0 && !host.starts_with("www.") {
                let name = reg.split('.').next().unwrap_or("");
                let evidence = || {
                    name.bytes().any(|b| b.is_ascii_digit() || b == b'-')
                        || host.split('.').count() >= 3
                        || has_path
                        || brand.is_some()
                        || REAL_DOMAINS.contains(&reg)
                };
                let ok = if TLDS.contains(&tld) || tld.starts_with("xn--") {
                    true
                } else if LENIENT_TLDS.contains(&tld) {
                    !COMMON_WORDS.contains(&name) || evidence()
                } else if STRICT_TLDS.contains(&tld) {
                    evidence()
                } else {
                    false
                };
                if !ok {
                    continue;
                }
            }
            sink.push(EntityKind::Url, reg.to_string(), m.start()..end, brand);
        }
    }
}

/// A host as a browser would read it: NFKC (full-width → ASCII), lower case; look-alike letters are kept.
fn normalize_host(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .map(|c| if matches!(c, '。' | '．' | '｡') { '.' } else { c })
        .filter(|&c| c.is_alphanumeric() || c == '-' || c == '.')
        .collect()
}

/// The registrable domain: the last two labels, or three under a second-level label of a ccTLD (`x.com.cn`).
fn registrable(host: &str) -> &str {
    let dots: Vec<usize> = host.rmatch_indices('.').map(|(i, _)| i).take(3).collect();
    let Some(&last_dot) = dots.first() else { return host };
    let tld = &host[last_dot + 1..];
    let two = dots.get(1).map_or(0, |&i| i + 1);
    let sld = &host[two..last_dot];
    if tld.len() == 2 && SECOND_LEVEL.contains(&sld) && dots.len() >= 2 {
        return dots.get(2).map_or(host, |&i| &host[i + 1..]);
    }
    &host[two..]
}

/// The brand a host imitates, if any: the brand's name (by skeleton: homoglyphs and digit swaps) as a label of
/// the registrable name or a subdomain, as a word of it (`1688-pay`, `alibaba-secure`), or one edit away from it;
/// never for the brands' own domains and their subdomains.
fn imitation(host: &str) -> Option<&'static str> {
    let reg = registrable(host);
    if REAL_DOMAINS.contains(&reg) {
        return None;
    }
    let reg_labels = reg.split('.').count();
    let labels = host.split('.').count();
    let main = labels - reg_labels;
    for (i, label) in host.split('.').enumerate().take(main + 1) {
        let sk = skeleton(label);
        let joined: String = sk.chars().filter(|&c| c != '-').collect();
        // Containment inside a longer label needs the brand as written, or a sign of substitution (a digit, an
        // upper-case letter, a non-ASCII look-alike): the skeleton alone maps `hotmail` to `hotmall` ⊃ `tmall`.
        let substituted = label.chars().any(|c| !(c.is_ascii_lowercase() || c == '-'));
        let lower = label.to_lowercase();
        for brand in BRANDS {
            let contained = brand.skeleton.len() >= 5
                && joined.contains(brand.skeleton)
                && (substituted || lower.contains(brand.name));
            let hit = sk == brand.skeleton
                || sk.split('-').any(|t| t == brand.skeleton)
                || (brand.name == "1688" && contains_number(label, "1688"))
                || contained
                || (i == main
                    && brand.typos
                    && (one_edit(&joined, brand.skeleton) || sk.split('-').any(|t| one_edit(t, brand.skeleton))));
            if hit {
                return Some(brand.name);
            }
        }
    }
    None
}

/// Whether `hay` holds `needle` (digits) not inside a longer number.
fn contains_number(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        let b = hay.as_bytes();
        !before_is(b, i, |c| c.is_ascii_digit()) && !after_is(b, i + needle.len(), |c| c.is_ascii_digit())
    })
}

/// A label reduced to what it looks like: accents dropped, look-alike letters and digits to the Latin letter
/// they imitate (`0`→o, `1`/`i`/`I`→l, `3`→e, `4`/`@`→a, `5`/`$`→s, Cyrillic/Greek → Latin), `rn`→m, `vv`→w.
fn skeleton(label: &str) -> String {
    let mut s = String::with_capacity(label.len());
    for c in label.nfkd().flat_map(char::to_lowercase) {
        if ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        let m = match c {
            '0' | 'о' | 'ο' | 'σ' | 'ө' => 'o',
            '1' | 'i' | 'ı' | 'ł' | 'і' | 'ї' | 'ι' | 'ӏ' | '|' | 'l' | 'ɩ' => 'l',
            '3' | 'е' | 'ё' | 'є' | 'ε' => 'e',
            '4' | '@' | 'а' | 'α' | 'ɑ' => 'a',
            '5' | '$' | 'ѕ' => 's',
            'р' | 'ρ' => 'p',
            'с' | 'ϲ' => 'c',
            'х' | 'χ' => 'x',
            'у' | 'γ' => 'y',
            'к' | 'κ' => 'k',
            'т' | 'τ' => 't',
            'в' | 'β' => 'b',
            'н' | 'η' => 'h',
            'м' => 'm',
            'ј' => 'j',
            'ԁ' => 'd',
            'ԛ' => 'q',
            'ν' => 'v',
            'ѡ' | 'ω' => 'w',
            c => c,
        };
        s.push(m);
    }
    if s.contains("rn") || s.contains("vv") {
        s = s.replace("rn", "m").replace("vv", "w");
    }
    s
}

/// Exactly one insertion, deletion, substitution or transposition apart.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let i = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    match a.len().cmp(&b.len()) {
        std::cmp::Ordering::Equal => {
            a[i + 1..] == b[i + 1..]
                || (i + 1 < a.len() && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..])
        }
        std::cmp::Ordering::Less => a[i..] == b[i + 1..],
        std::cmp::Ordering::Greater => a[i + 1..] == b[i..],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains() {
        for b in BRANDS {
            assert_eq!(skeleton(b.name), b.skeleton, "{}", b.name);
        }
        assert_eq!(registrable("pay.alibaba-secure.top"), "alibaba-secure.top");
        assert_eq!(registrable("a.b.example.co.uk"), "example.co.uk");
        assert_eq!(registrable("example.com"), "example.com");
        assert_eq!(registrable("localhost"), "localhost");
        assert!(one_edit("allbaba", "allbaaba") && one_edit("taobao", "taboao") && one_edit("dhgate", "dhgat"));
        assert!(!one_edit("paypal", "paypal") && !one_edit("paypal", "pypl"));
        for real in REAL_DOMAINS {
            assert_eq!(imitation(real), None, "{real}");
            assert_eq!(imitation(&format!("www.{real}")), None, "{real}");
        }
        assert_eq!(imitation("alibaba.com.cn.login-check.top"), Some("alibaba"));
        assert_eq!(imitation("google.com"), None);
        // Ordinary domains whose skeleton happens to contain a brand (`hotmall` ⊃ `tmall`).
        for d in [
            "hotmail.com",
            "gmail.com",
            "outlook.com",
            "smallbiz.com",
            "hotmail.co.uk",
        ] {
            assert_eq!(imitation(d), None, "{d}");
        }
        assert_eq!(imitation("a1ibabapay.top"), Some("alibaba"));
        assert_eq!(imitation("otherwise.com"), None);
        assert_eq!(imitation("21688.com"), None);
    }
}
