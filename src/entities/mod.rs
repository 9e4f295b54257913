//! Structured entities: the handle, number, account, address or link a scam message pushes the buyer towards.
//!
//! A pretext usually carries its payload: a WeChat ID, a WhatsApp number, a personal bank card, a USDT address, a
//! look-alike payment link. [`Extractor`] finds them as [`Entity`] values, each validated by its grammar, by a
//! checksum where one exists (Luhn for cards, mod-97 for IBANs, base58check for TRC-20 addresses) and by context
//! (a SWIFT code only after "swift"/"bic", a QQ number only after "qq"/扣扣, an account without a valid card
//! checksum only after 卡号/账号/account/a/c, never after order/tracking words).
//!
//! Matching runs on the folded view, so `①③⑧`, `一三八`, `ｗｅｃｈａｔ`, `w.x` and `薇 信` are seen through and values
//! are normalised (lower-case handles and domains, digits only for numbers). Spans are reported in the original
//! text. Domains are also read from the original text: folding turns `a1ibaba`, `aIibaba` or a Cyrillic `а` into
//! `alibaba`, which would erase exactly the evidence of a look-alike link.
//!
//! Each stretch of text yields at most one entity. When candidates overlap, the longer one wins (a link keeps the
//! number in its path, an e-mail address keeps its domain), and on the same text the more specific kind wins (a
//! number after "WhatsApp" is a WhatsApp number, not also a phone).
//!
//! This file holds the public types, the [`Extractor`] and its dispatch; each family of kinds is read in a
//! submodule of its own: `cues` (context words), `handles` (messenger handles and e-mail addresses), `numbers`
//! (digit groups and phones), `bank` (accounts and cards, IBAN, SWIFT), `crypto` (TRC-20 and ERC-20 addresses) and
//! `links` (URLs and look-alike domains).

use std::fmt;
use std::ops::Range;

use regex::Regex;

use crate::normalize::Folded;

use cues::{cue_boundaries_ok, leftmost_longest, Cue, CUES, FILLER_HAN, FILLER_LATIN, PUNCT};

mod bank;
mod crypto;
mod cues;
mod handles;
mod links;
mod numbers;

pub(crate) use cues::cue_words;

/// What an [`Entity`] is: a messenger handle, a number, an account, an address or a link.
///
/// Its name (`as_str`, and the serde form) is snake_case: `wechat`, `qq`, `whatsapp`, `telegram`, `line`, `email`,
/// `phone`, `bank_account`, `iban`, `swift`, `crypto`, `url`.
///
/// # Example
///
/// ```
/// let k = redflag::EntityKind::Phone;
/// assert_eq!(k.as_str(), "phone");
/// assert_eq!(redflag::EntityKind::BankAccount.to_string(), "bank_account");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum EntityKind {
    /// A WeChat ID (6–20 characters, starting with a letter) or the phone number used as one.
    Wechat,
    /// A QQ number (5–11 digits).
    Qq,
    /// A WhatsApp number (digits, with the country code when one was written), also from `wa.me/…` links.
    Whatsapp,
    /// A Telegram handle (without `@`), also from `t.me/…` links.
    Telegram,
    /// A LINE ID.
    Line,
    /// An e-mail address.
    Email,
    /// A phone number: a mainland mobile, or an international number written with `+` or `00`.
    Phone,
    /// A bank card or account number (digits only).
    BankAccount,
    /// An IBAN (upper case, no spaces), mod-97 checked.
    Iban,
    /// A SWIFT/BIC code (upper case), only next to "swift"/"bic".
    Swift,
    /// A crypto address: TRC-20 (base58check verified, case kept) or ERC-20 (`0x` + 40 hex, lower case).
    Crypto,
    /// A link; the value is its registrable domain, lower case.
    Url,
}

impl EntityKind {
    /// The snake_case name of the kind, as used in serialized output.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(redflag::EntityKind::Wechat.as_str(), "wechat");
    /// assert_eq!(redflag::EntityKind::Url.as_str(), "url");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Wechat => "wechat",
            EntityKind::Qq => "qq",
            EntityKind::Whatsapp => "whatsapp",
            EntityKind::Telegram => "telegram",
            EntityKind::Line => "line",
            EntityKind::Email => "email",
            EntityKind::Phone => "phone",
            EntityKind::BankAccount => "bank_account",
            EntityKind::Iban => "iban",
            EntityKind::Swift => "swift",
            EntityKind::Crypto => "crypto",
            EntityKind::Url => "url",
        }
    }

    /// Which kind keeps a stretch of text claimed by several candidates (higher wins).
    fn priority(self) -> u8 {
        match self {
            EntityKind::Crypto => 10,
            EntityKind::Iban => 9,
            EntityKind::Email => 8,
            EntityKind::Whatsapp | EntityKind::Telegram => 7,
            EntityKind::Wechat | EntityKind::Qq | EntityKind::Line => 6,
            EntityKind::Swift => 5,
            EntityKind::Phone => 4,
            EntityKind::BankAccount => 3,
            EntityKind::Url => 2,
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for EntityKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One entity found in a message: its kind, its normalised value, and where it was written.
///
/// With the `serde` feature it serializes as `{"kind": "phone", "value": "8613800138000", "start": 9, "end": 26}`,
/// plus `"imitates": "alibaba"` for a look-alike link.
///
/// # Example
///
/// ```
/// fn describe(e: &redflag::Entity, text: &str) -> String {
///     format!("{} {} at {:?}: {}", e.kind(), e.value(), e.span(), &text[e.span()])
/// }
/// # let _ = describe;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    kind: EntityKind,
    value: String,
    span: Range<usize>,
    lookalike: Option<&'static str>,
}

impl Entity {
    /// Moves the span by `offset` bytes (for texts folded in pieces).
    pub(crate) fn shift(&mut self, offset: usize) {
        self.span = self.span.start + offset..self.span.end + offset;
    }

    pub(crate) fn new(kind: EntityKind, value: String, span: Range<usize>, lookalike: Option<&'static str>) -> Entity {
        Entity {
            kind,
            value,
            span,
            lookalike,
        }
    }

    /// The kind of entity.
    ///
    /// # Example
    ///
    /// ```
    /// fn is_contact(e: &redflag::Entity) -> bool {
    ///     use redflag::EntityKind::*;
    ///     matches!(e.kind(), Wechat | Qq | Whatsapp | Telegram | Line | Email | Phone)
    /// }
    /// # let _ = is_contact;
    /// ```
    pub fn kind(&self) -> EntityKind {
        self.kind
    }

    /// The normalised value: lower-case handles, e-mail addresses and registrable domains; digits only for phone,
    /// QQ, WhatsApp and account numbers (a phone keeps the country code when one was written:
    /// `+86 138 0013 8000` → `8613800138000`); upper case for IBAN and SWIFT; a TRC-20 address as written.
    ///
    /// # Example
    ///
    /// ```
    /// fn value_of(e: &redflag::Entity) -> &str {
    ///     e.value()
    /// }
    /// # let _ = value_of;
    /// ```
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The half-open byte range of the entity in the original text, on char boundaries.
    ///
    /// # Example
    ///
    /// ```
    /// fn written<'t>(e: &redflag::Entity, text: &'t str) -> &'t str {
    ///     &text[e.span()]
    /// }
    /// # let _ = written;
    /// ```
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// For a URL whose registrable domain imitates a platform or payment brand (1688, alibaba, aliexpress,
    /// alipay, taobao, tmall, dhgate, paypal, wise, worldfirst): the brand it imitates. `None` for the real
    /// domains, for other links and for other kinds.
    ///
    /// # Example
    ///
    /// ```
    /// fn is_fake_link(e: &redflag::Entity) -> bool {
    ///     e.kind() == redflag::EntityKind::Url && e.imitates().is_some()
    /// }
    /// # let _ = is_fake_link;
    /// ```
    pub fn imitates(&self) -> Option<&str> {
        self.lookalike
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Entity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let n = if self.lookalike.is_some() { 5 } else { 4 };
        let mut st = s.serialize_struct("Entity", n)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("value", &self.value)?;
        st.serialize_field("start", &self.span.start)?;
        st.serialize_field("end", &self.span.end)?;
        if let Some(brand) = self.lookalike {
            st.serialize_field("imitates", brand)?;
        } else {
            st.skip_field("imitates")?;
        }
        st.end()
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The extractor
// ---------------------------------------------------------------------------------------------------------------

/// Extracts [`Entity`] values from a message. Built once (all patterns compiled here); [`Extractor::extract`]
/// cannot fail and allocates only for what it finds.
#[derive(Debug)]
pub(crate) struct Extractor {
    filler: Regex,
    wechat_id: Regex,
    tg_handle: Regex,
    line_id: Regex,
    swift: Regex,
    email: Regex,
    email_full: Regex,
    url: Regex,
    wa_link: Regex,
    tg_link: Regex,
    wxid: Regex,
    trc20: Regex,
    erc20: Regex,
    iban: Regex,
    /// Substring searchers for the pre-checks, built once here (a one-shot `memmem::find` builds one per call).
    wxid_prefix: memchr::memmem::Finder<'static>,
    scheme: memchr::memmem::Finder<'static>,
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor::new()
    }
}

/// Compiles a built-in entity pattern. Every one is compiled when the detector is built, so that scanning never
/// compiles anything; a pattern that does not compile is a bug of this crate that every test building a detector
/// catches (`tests::patterns_compile` names it).
fn compiled(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("built-in entity pattern {pattern:?} does not compile: {e}"))
}

/// Buffers [`Extractor::extract`] reuses across messages, so a message without entities allocates nothing.
#[derive(Debug, Default)]
pub(crate) struct EntityScratch {
    /// Cue words found by a leftmost-longest search: (folded range, index in `CUES`).
    cues: Vec<(Range<usize>, usize)>,
    /// Those of them on word boundaries, with their meaning.
    cued: Vec<(Range<usize>, Cue)>,
}

impl Extractor {
    /// Compiles the patterns and the context-word automaton. Digits are written `[0-9]`, not `\d`: the patterns
    /// run on folded text, where digits are ASCII, and Unicode `\d` costs a detector build about a millisecond a
    /// pattern.
    pub(crate) fn new() -> Extractor {
        let filler = format!("^(?:{PUNCT}+|{FILLER_HAN}|(?:{FILLER_LATIN})(?:{PUNCT}+|$))*");
        let label = r"[a-z0-9\p{Cyrillic}\p{Greek}](?:[a-z0-9\p{Cyrillic}\p{Greek}\-]*[a-z0-9\p{Cyrillic}\p{Greek}])?";
        let url = format!(
            r"(?:https?://)?(?:{label}\.)+(?:[a-z]{{2,24}}|xn--[a-z0-9\-]+|[0-9]{{1,3}})(?::[0-9]{{1,5}})?(?:[/?#][a-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?"
        );
        let email = r"[a-z0-9][a-z0-9._%+\-]*@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}";
        Extractor {
            filler: compiled(&filler),
            wechat_id: compiled(r"^[a-z][a-z0-9_\-]{5,19}"),
            tg_handle: compiled(r"^@?[a-z][a-z0-9_]{4,31}"),
            line_id: compiled(r"^@?[a-z][a-z0-9._\-]{3,19}"),
            swift: compiled(r"^[a-z]{6}[a-z0-9]{2}(?:[a-z0-9]{3})?"),
            email: compiled(email),
            email_full: compiled(&format!("^{email}$")),
            url: compiled(&url),
            wa_link: compiled(r"(?:https?://)?(?:api\.)?(?:wa\.me/|whatsapp\.com/send/?\?phone=)\+?([0-9]{6,15})"),
            tg_link: compiled(r"(?:https?://)?(?:t\.me|telegram\.me|telegram\.dog)/@?([a-z][a-z0-9_]{4,31})"),
            wxid: compiled(r"wxid_[a-z0-9]{4,30}"),
            trc20: compiled(r"T[1-9A-HJ-NP-Za-km-z]{33}"),
            erc20: compiled(r"0x[0-9a-f]{40}"),
            iban: compiled(r"[a-z]{2}[0-9]{2}"),
            wxid_prefix: memchr::memmem::Finder::new(b"wxid_"),
            scheme: memchr::memmem::Finder::new(b"://"),
        }
    }

    /// Appends the entities of one message to `out`, ordered by position. `folded` must be the folded view of
    /// `original`.
    #[cfg(test)]
    pub(crate) fn extract(&self, original: &str, folded: &Folded, out: &mut Vec<Entity>, scratch: &mut EntityScratch) {
        let mut found = cues::cue_occurrences(&folded.text);
        self.extract_found(original, folded, &mut found, out, scratch);
    }

    /// Like [`Extractor::extract`], given every occurrence of the [`cue_words`] in the folded text as
    /// `(start, end, index)`, in any order (the detector's keyword automaton finds them in its own pass). They
    /// are sorted in place.
    pub(crate) fn extract_found(
        &self,
        original: &str,
        folded: &Folded,
        found: &mut [(u32, u32, u32)],
        out: &mut Vec<Entity>,
        scratch: &mut EntityScratch,
    ) {
        scratch.cues.clear();
        leftmost_longest(found, &mut scratch.cues);
        self.extract_cued(original, folded, out, scratch);
    }

    /// The extraction, with the cue words a leftmost-longest search finds in `scratch.cues`.
    fn extract_cued(&self, original: &str, folded: &Folded, out: &mut Vec<Entity>, scratch: &mut EntityScratch) {
        let text = folded.text.as_str();
        if text.is_empty() {
            return;
        }
        let base = out.len();
        let bytes = text.as_bytes();
        // Cheap pre-checks, each a vectorised count or byte search: these run on every message. A link needs a
        // dot between a label character (ASCII or not) and an ASCII letter or digit; most sentence-final dots are
        // not that.
        let ndigits = count_digits(bytes);
        let has_at = memchr::memchr(b'@', bytes).is_some();
        // One pass over the dots (SIMD search, as for `@`): one followed by a letter or digit may start a link's
        // next label; one followed by a letter may end a URL without a scheme.
        let (mut has_dot, mut url_dot) = (false, false);
        for i in memchr::memchr_iter(b'.', bytes) {
            if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || !bytes[i - 1].is_ascii()) {
                match bytes.get(i + 1) {
                    Some(b) if b.is_ascii_alphabetic() => {
                        (has_dot, url_dot) = (true, true);
                        break;
                    }
                    Some(b) if b.is_ascii_digit() => has_dot = true,
                    _ => {}
                }
            }
        }

        let cues = &mut scratch.cued;
        cues.clear();
        for (r, i) in &scratch.cues {
            let (word, cue) = CUES[*i];
            if cue_boundaries_ok(bytes, r.start, r.end, word) {
                cues.push((r.clone(), cue));
            }
        }

        let cues = &*cues;
        let mut sink = Sink { original, folded, out };
        for (range, cue) in cues {
            self.after_cue(text, range.clone(), *cue, &mut sink);
        }
        if self.wxid_prefix.find(bytes).is_some() {
            self.wxids(text, &mut sink);
        }
        if has_dot {
            self.links(text, &mut sink);
            if has_at {
                self.emails(text, &mut sink);
            }
            // A URL without a scheme ends in a `.` and a letter (`[a-z]{2,24}` or `xn--`): a numeric last label
            // is only taken after `http(s)://`, so without either no match of the URL pattern can be kept.
            let url_possible = url_dot || self.scheme.find(bytes).is_some();
            if url_possible {
                self.urls(text, &mut sink);
            }
        }
        self.crypto(text, ndigits > 0, &mut sink);
        if ndigits >= 5 {
            self.numbers(text, cues, &mut sink);
            if ndigits >= 8 {
                self.ibans(text, &mut sink);
            }
        }
        resolve(out, base);
    }
}

/// Where entities go: maps folded ranges to original spans and checks them.
struct Sink<'a> {
    original: &'a str,
    folded: &'a Folded,
    out: &'a mut Vec<Entity>,
}

impl Sink<'_> {
    fn span(&self, folded: Range<usize>) -> Option<Range<usize>> {
        if folded.start >= folded.end || folded.end > self.folded.text.len() {
            return None;
        }
        let span = self.folded.original_span(folded);
        (span.start < span.end
            && span.end <= self.original.len()
            && self.original.is_char_boundary(span.start)
            && self.original.is_char_boundary(span.end))
        .then_some(span)
    }

    fn original_text(&self, folded: Range<usize>) -> Option<&str> {
        self.span(folded).map(|s| &self.original[s])
    }

    fn push(&mut self, kind: EntityKind, value: String, folded: Range<usize>, lookalike: Option<&'static str>) {
        if let Some(span) = self.span(folded) {
            self.out.push(Entity::new(kind, value, span, lookalike));
        }
    }
}

/// Keeps, among overlapping candidates, the longest (on equal length: the highest priority, then the first found),
/// then orders the survivors by position.
fn resolve(out: &mut Vec<Entity>, base: usize) {
    let tail = &mut out[base..];
    tail.sort_by_key(|e| (std::cmp::Reverse(e.span.len()), std::cmp::Reverse(e.kind.priority())));
    let mut kept = 0;
    for i in 0..tail.len() {
        let s = tail[i].span.clone();
        if !tail[..kept]
            .iter()
            .any(|k| k.span.start < s.end && s.start < k.span.end)
        {
            tail.swap(kept, i);
            kept += 1;
        }
    }
    out.truncate(base + kept);
    out[base..].sort_by_key(|e| (e.span.start, e.span.end));
}

fn before_is(bytes: &[u8], i: usize, f: impl Fn(u8) -> bool) -> bool {
    i > 0 && f(bytes[i - 1])
}

fn after_is(bytes: &[u8], i: usize, f: impl Fn(u8) -> bool) -> bool {
    bytes.get(i).is_some_and(|&b| f(b))
}

/// The number of ASCII digits in `bytes`, counted in blocks small enough for a byte counter (which the compiler
/// turns into vector instructions).
fn count_digits(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|c| usize::from(c.iter().map(|&b| u8::from(b.wrapping_sub(b'0') < 10)).sum::<u8>()))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::EntityKind::*;
    use super::*;
    use crate::normalize::Folder;
    use std::sync::OnceLock;

    /// Every built-in pattern compiles (each one panics with its source otherwise) and finds what it is for.
    #[test]
    fn patterns_compile() {
        let x = Extractor::new();
        assert!(x.wxid.is_match("wxid_abcd1234"));
        assert!(x.url.is_match("pay-alibaba.top/x"));
        assert!(x.email_full.is_match("sales@example.com"));
        assert!(x.iban.is_match("de44"));
        assert!(!x.erc20.is_match("0x12"));
    }

    /// (kind, value, the original text the span covers, the brand a URL imitates)
    type Want = (EntityKind, String, String, Option<String>);

    /// A message and the entities it must yield, in order.
    struct Case {
        name: String,
        text: String,
        want: Vec<Want>,
    }

    /// A line of `tests/data/entities/cases.jsonl`: `want` holds `[kind, value, written]` rows, and
    /// `[kind, value, written, brand]` for a look-alike link.
    #[derive(serde::Deserialize)]
    struct Row {
        name: String,
        text: String,
        want: Vec<Vec<String>>,
    }

    const ALL_KINDS: [EntityKind; 12] = [
        Wechat,
        Qq,
        Whatsapp,
        Telegram,
        Line,
        Email,
        Phone,
        BankAccount,
        Iban,
        Swift,
        Crypto,
        Url,
    ];

    /// The table of cases, one JSON object a line; lines starting with `#` head the sections.
    fn cases() -> &'static [Case] {
        static CASES: OnceLock<Vec<Case>> = OnceLock::new();
        CASES.get_or_init(|| {
            include_str!("../../tests/data/entities/cases.jsonl")
                .lines()
                .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
                .map(|line| {
                    let row: Row = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
                    let want = row
                        .want
                        .into_iter()
                        .map(|w| {
                            assert!(w.len() == 3 || w.len() == 4, "{line}");
                            let kind = ALL_KINDS
                                .into_iter()
                                .find(|k| k.as_str() == w[0])
                                .unwrap_or_else(|| panic!("unknown kind {:?}: {line}", w[0]));
                            (kind, w[1].clone(), w[2].clone(), w.get(3).cloned())
                        })
                        .collect();
                    Case {
                        name: row.name,
                        text: row.text,
                        want,
                    }
                })
                .collect()
        })
    }

    #[test]
    fn pre_checks_count_and_find_what_they_gate() {
        let long = "7".repeat(600) + "x1y2" + &"z".repeat(300);
        for (text, digits) in [("", 0), ("abc", 0), ("a1b2c3", 3), ("１２3", 1), (long.as_str(), 602)] {
            assert_eq!(count_digits(text.as_bytes()), digits, "{text:?}");
            assert_eq!(
                count_digits(text.as_bytes()),
                text.bytes().filter(u8::is_ascii_digit).count()
            );
        }
    }

    fn setup() -> (Extractor, Folder) {
        let words = ["wechat", "whatsapp", "telegram", "alibaba", "aliexpress", "paypal"];
        (Extractor::new(), Folder::with_mode(words, crate::Folding::Full))
    }

    fn run(x: &Extractor, folder: &Folder, text: &str) -> Vec<Entity> {
        let folded = folder.fold(text);
        let mut out = Vec::new();
        x.extract(text, &folded, &mut out, &mut EntityScratch::default());
        out
    }

    #[test]
    fn table() {
        let (x, folder) = setup();
        let mut failures = Vec::new();
        for Case { name, text, want } in cases() {
            let got = run(&x, &folder, text);
            for en in &got {
                assert!(
                    text.is_char_boundary(en.span.start) && text.is_char_boundary(en.span.end),
                    "{name}"
                );
                assert!(en.span.start < en.span.end && en.span.end <= text.len(), "{name}");
            }
            let got_t: Vec<_> = got
                .iter()
                .map(|en| (en.kind, en.value.as_str(), &text[en.span()], en.imitates()))
                .collect();
            let ok = got_t.len() == want.len()
                && got_t
                    .iter()
                    .zip(want.iter())
                    .all(|(g, w)| g.0 == w.0 && g.1 == w.1 && g.2 == w.2 && g.3 == w.3.as_deref());
            if !ok {
                failures.push(format!("{name}: {text:?}\n   got  {got_t:?}\n   want {want:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} failing cases:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn enough_cases_per_kind() {
        let cases = cases();
        assert!(cases.len() >= 120);
        for kind in ALL_KINDS {
            let positives = cases.iter().filter(|c| c.want.iter().any(|w| w.0 == kind)).count();
            assert!(positives >= 2, "{kind}: {positives} positive cases");
            eprintln!("{kind}: {positives} cases expecting it");
        }
        let negatives = cases.iter().filter(|c| c.want.is_empty()).count();
        eprintln!("{} cases, {negatives} expecting nothing", cases.len());
    }

    #[test]
    fn cut_texts_never_panic_and_spans_are_valid() {
        let (x, folder) = setup();
        for Case { text, .. } in cases() {
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            for &a in bounds.iter().step_by(3) {
                for &b in bounds.iter().rev().step_by(5) {
                    if a > b {
                        continue;
                    }
                    let t = &text[a..b];
                    for en in run(&x, &folder, t) {
                        assert!(t.is_char_boundary(en.span.start) && t.is_char_boundary(en.span.end));
                        assert!(en.span.start < en.span.end && en.span.end <= t.len());
                    }
                }
            }
        }
    }

    #[test]
    fn adversarial_inputs_stay_fast() {
        let (x, folder) = setup();
        let inputs = [
            "wechat ".repeat(20_000),
            "12 ".repeat(30_000),
            "1".repeat(100_000),
            "ab12".repeat(25_000),
            "a-b.".repeat(25_000),
            "账号 1234567 ".repeat(10_000),
            "qq:".repeat(30_000),
            "T".repeat(100_000),
            "0x".repeat(50_000),
            "+86 138 ".repeat(10_000),
            cases()
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
                .repeat(20),
        ];
        for text in &inputs {
            let t = std::time::Instant::now();
            let found = run(&x, &folder, text).len();
            let ms = t.elapsed().as_millis();
            eprintln!("{} bytes, {} entities: {} ms", text.len(), found, ms);
            assert!(ms < 20_000);
        }
    }

    #[test]
    fn appends_after_existing_entities() {
        let (x, folder) = setup();
        let text = "QQ: 12345678";
        let mut out = vec![Entity::new(Url, "example.com".into(), 0..1, None)];
        x.extract(text, &folder.fold(text), &mut out, &mut EntityScratch::default());
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].value(), "example.com");
        assert_eq!(out[1].kind(), Qq);
    }

    #[test]
    fn kind_names() {
        let names: Vec<_> = ALL_KINDS.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "wechat",
                "qq",
                "whatsapp",
                "telegram",
                "line",
                "email",
                "phone",
                "bank_account",
                "iban",
                "swift",
                "crypto",
                "url"
            ]
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serializes() {
        let plain = Entity::new(Phone, "8613800138000".into(), 4..21, None);
        assert_eq!(
            serde_json::to_string(&plain).unwrap(),
            r#"{"kind":"phone","value":"8613800138000","start":4,"end":21}"#
        );
        let fake = Entity::new(Url, "a1ibaba.com".into(), 0..11, Some("alibaba"));
        assert_eq!(
            serde_json::to_string(&fake).unwrap(),
            r#"{"kind":"url","value":"a1ibaba.com","start":0,"end":11,"imitates":"alibaba"}"#
        );
        assert_eq!(serde_json::to_string(&BankAccount).unwrap(), r#""bank_account""#);
    }
}
