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

use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::normalize::Folded;

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
// Context cues
// ---------------------------------------------------------------------------------------------------------------

/// What a context word announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Wechat,
    Qq,
    Whatsapp,
    Telegram,
    Line,
    /// `line:` / `line :`: weaker, "product line: …" is common trade talk.
    LineColon,
    Account,
    Swift,
    /// Order, tracking, invoice, model words: the number after them is not an account.
    Negative,
}

/// Context words, in folded form (lower case, simplified Chinese).
const CUES: &[(&str, Cue)] = &[
    ("微信号", Cue::Wechat),
    ("微信", Cue::Wechat),
    ("wx", Cue::Wechat),
    ("vx", Cue::Wechat),
    ("v信", Cue::Wechat),
    ("薇信", Cue::Wechat),
    ("威信", Cue::Wechat),
    ("卫星", Cue::Wechat),
    ("维信", Cue::Wechat),
    ("徽信", Cue::Wechat),
    ("wechat", Cue::Wechat),
    ("weixin", Cue::Wechat),
    ("we chat", Cue::Wechat),
    ("wei xin", Cue::Wechat),
    ("qq", Cue::Qq),
    ("扣扣", Cue::Qq),
    ("企鹅", Cue::Qq),
    ("q号", Cue::Qq),
    ("whatsapp", Cue::Whatsapp),
    ("whats app", Cue::Whatsapp),
    ("whatsap", Cue::Whatsapp),
    ("watsapp", Cue::Whatsapp),
    ("watsap", Cue::Whatsapp),
    ("whatapp", Cue::Whatsapp),
    ("wa", Cue::Whatsapp),
    ("telegram", Cue::Telegram),
    ("tg", Cue::Telegram),
    ("电报", Cue::Telegram),
    ("飞机", Cue::Telegram),
    ("line id", Cue::Line),
    ("lineid", Cue::Line),
    ("加line", Cue::Line),
    ("line号", Cue::Line),
    ("line账号", Cue::Line),
    ("line帐号", Cue::Line),
    ("line:", Cue::LineColon),
    ("line :", Cue::LineColon),
    ("卡号", Cue::Account),
    ("账号", Cue::Account),
    ("帐号", Cue::Account),
    ("账户", Cue::Account),
    ("帐户", Cue::Account),
    ("银行卡", Cue::Account),
    ("收款卡", Cue::Account),
    ("户名", Cue::Account),
    ("account", Cue::Account),
    ("acct", Cue::Account),
    ("a/c", Cue::Account),
    ("ac", Cue::Account),
    ("acc no", Cue::Account),
    ("card no", Cue::Account),
    ("card number", Cue::Account),
    ("bank card", Cue::Account),
    ("swift", Cue::Swift),
    ("swift code", Cue::Swift),
    ("bic", Cue::Swift),
    ("order", Cue::Negative),
    ("订单", Cue::Negative),
    ("单号", Cue::Negative),
    ("tracking", Cue::Negative),
    ("track", Cue::Negative),
    ("运单", Cue::Negative),
    ("快递", Cue::Negative),
    ("物流", Cue::Negative),
    ("waybill", Cue::Negative),
    ("invoice", Cue::Negative),
    ("发票", Cue::Negative),
    ("sku", Cue::Negative),
    ("model", Cue::Negative),
    ("型号", Cue::Negative),
    ("dhl", Cue::Negative),
    ("fedex", Cue::Negative),
    ("ups", Cue::Negative),
    ("ems", Cue::Negative),
    ("顺丰", Cue::Negative),
    ("transaction", Cue::Negative),
    ("交易号", Cue::Negative),
    ("流水号", Cue::Negative),
    ("batch", Cue::Negative),
    ("serial", Cue::Negative),
    ("imei", Cue::Negative),
    ("barcode", Cue::Negative),
    ("条码", Cue::Negative),
];

/// Punctuation and spaces between a context word and its value.
const PUNCT: &str = r#"[\s:=~>,/|()\[\]{}"'*#.\-、，：；（）【】「」“”‘’→＝]"#;
/// Words that may stand between a context word and its value (Latin ones must be followed by punctuation).
const FILLER_LATIN: &str = "id|no|num|number|is|me|at|on|or|via|to|add|my|our|account|acc|phone|tel|mobile|code|\
    here|below|search|contact|us|name|handle|username|user|and|bic|swift|wechat|weixin|whatsapp|wa|wx|vx|telegram|\
    tg|line|skype|viber|please|pls|plz|directly|same|as";
const FILLER_HAN: &str =
    "号码|号|账号|帐号|账户|是|为|加|搜索|搜|同号|手机|电话|私聊|联系|代码|码|用户名|名|如下|微信|电报|飞机|我|的";

/// Words that are never a handle, even in handle grammar after an explicit separator.
const STOPWORDS: &[&str] = &[
    "please", "contact", "account", "number", "message", "official", "payment", "friend", "friends", "direct",
    "directly", "group", "groups", "business", "customer", "service", "support", "scan", "below", "thanks", "thank",
    "hello", "because", "instead", "through", "whatsapp", "telegram", "wechat", "weixin", "email", "phone", "mobile",
    "wechatid", "username", "private", "personal", "search", "andadd", "details", "same", "moment", "inside", "online",
    "offline", "channel",
];

// ---------------------------------------------------------------------------------------------------------------
// Domains
// ---------------------------------------------------------------------------------------------------------------

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

/// IBAN lengths by country.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("ad", 24),
    ("ae", 23),
    ("al", 28),
    ("at", 20),
    ("az", 28),
    ("ba", 20),
    ("be", 16),
    ("bg", 22),
    ("bh", 22),
    ("br", 29),
    ("by", 28),
    ("ch", 21),
    ("cr", 22),
    ("cy", 28),
    ("cz", 24),
    ("de", 22),
    ("dk", 18),
    ("do", 28),
    ("ee", 20),
    ("eg", 29),
    ("es", 24),
    ("fi", 18),
    ("fo", 18),
    ("fr", 27),
    ("gb", 22),
    ("ge", 22),
    ("gi", 23),
    ("gl", 18),
    ("gr", 27),
    ("gt", 28),
    ("hr", 21),
    ("hu", 28),
    ("ie", 22),
    ("il", 23),
    ("iq", 23),
    ("is", 26),
    ("it", 27),
    ("jo", 30),
    ("kw", 30),
    ("kz", 20),
    ("lb", 28),
    ("lc", 32),
    ("li", 21),
    ("lt", 20),
    ("lu", 20),
    ("lv", 21),
    ("ly", 25),
    ("mc", 27),
    ("md", 24),
    ("me", 22),
    ("mk", 19),
    ("mr", 27),
    ("mt", 31),
    ("mu", 30),
    ("nl", 18),
    ("no", 15),
    ("pk", 24),
    ("pl", 28),
    ("ps", 29),
    ("pt", 25),
    ("qa", 29),
    ("ro", 24),
    ("rs", 22),
    ("sa", 24),
    ("sc", 31),
    ("sd", 18),
    ("se", 24),
    ("si", 19),
    ("sk", 24),
    ("sm", 27),
    ("st", 25),
    ("sv", 28),
    ("tl", 23),
    ("tn", 24),
    ("tr", 26),
    ("ua", 29),
    ("va", 22),
    ("vg", 24),
    ("xk", 20),
];

/// ISO 3166-1 alpha-2 codes (plus XK), for the country part of a SWIFT code.
const COUNTRIES: &str = "ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq br \
    bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg eh er es et \
    fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq \
    ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml \
    mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps \
    pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st sv sx sy sz tc td tf tg th tj tk tl \
    tm tn to tr tt tv tw tz ua ug um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw xk";

const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

// ---------------------------------------------------------------------------------------------------------------
// The extractor
// ---------------------------------------------------------------------------------------------------------------

/// Extracts [`Entity`] values from a message. Built once (all patterns compiled here); [`Extractor::extract`]
/// cannot fail and allocates only for what it finds.
#[derive(Debug)]
pub(crate) struct Extractor {
    filler: Lazy,
    wechat_id: Lazy,
    tg_handle: Lazy,
    line_id: Lazy,
    swift: Lazy,
    email: Lazy,
    email_full: Lazy,
    url: Lazy,
    wa_link: Lazy,
    tg_link: Lazy,
    wxid: Lazy,
    trc20: Lazy,
    erc20: Lazy,
    iban: Lazy,
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor::new()
    }
}

/// Digits of a number as written: groups separated by spaces, dashes, dots or parentheses.
struct Number {
    /// Byte offset (in the searched text) where the number starts (at `(`, `+` or the first digit).
    start: usize,
    plus: bool,
    digits: [u8; 32],
    len: usize,
    /// Per group: (cumulative digit count at its end, byte end, separator before it).
    groups: [(u8, usize, u8); 16],
    ngroups: usize,
}

impl Number {
    fn digits(&self) -> &[u8] {
        &self.digits[..self.len]
    }

    /// The index of the group that ends exactly after `n` digits.
    fn group_ending_at(&self, n: usize) -> Option<usize> {
        self.groups[..self.ngroups].iter().position(|g| g.0 as usize == n)
    }

    fn group_len(&self, i: usize) -> usize {
        let prev = if i == 0 { 0 } else { self.groups[i - 1].0 };
        (self.groups[i].0 - prev) as usize
    }

    fn value(&self, from: usize, to: usize) -> String {
        self.digits[from..to].iter().map(|&b| b as char).collect()
    }
}

/// A number read as a phone: digits `value_from..value_to` and the index of its last group.
struct Phone {
    value_from: usize,
    value_to: usize,
    last_group: usize,
}

/// A built-in entity pattern, compiled on first use: most messages need few of them, and `Detector::new()` stays
/// cheap. The tests compile and exercise every one.
#[derive(Debug)]
struct Lazy {
    src: String,
    cell: OnceLock<Regex>,
}

impl Lazy {
    fn new(pattern: &str) -> Lazy {
        Lazy {
            src: pattern.to_string(),
            cell: OnceLock::new(),
        }
    }

    fn get(&self) -> &Regex {
        self.cell
            .get_or_init(|| Regex::new(&self.src).expect("built-in entity pattern compiles"))
    }
}

/// Buffers [`Extractor::extract`] reuses across messages, so a message without entities allocates nothing.
#[derive(Debug, Default)]
pub(crate) struct EntityScratch {
    /// Cue words found by a leftmost-longest search: (folded range, index in `CUES`).
    cues: Vec<(Range<usize>, usize)>,
    /// Those of them on word boundaries, with their meaning.
    cued: Vec<(Range<usize>, Cue)>,
}

/// The context words that announce a handle or a number, for a caller that finds them itself (see
/// [`Extractor::extract_found`]); the index of a word here is the one it reports.
pub(crate) fn cue_words() -> impl Iterator<Item = &'static str> {
    CUES.iter().map(|c| c.0)
}

/// From every occurrence of the cue words (any order), the ones a leftmost-longest search reports: from the left,
/// the longest word starting at the first position not inside the last one taken.
fn leftmost_longest(found: &mut [(u32, u32, u32)], out: &mut Vec<(Range<usize>, usize)>) {
    found.sort_unstable_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    let mut next = 0;
    for &(s, e, i) in found.iter() {
        if s >= next {
            out.push((s as usize..e as usize, i as usize));
            next = e;
        }
    }
}

impl Extractor {
    /// Compiles the patterns and the context-word automaton.
    pub(crate) fn new() -> Extractor {
        let filler = format!("^(?:{PUNCT}+|{FILLER_HAN}|(?:{FILLER_LATIN})(?:{PUNCT}+|$))*");
        let label = r"[a-z0-9\p{Cyrillic}\p{Greek}](?:[a-z0-9\p{Cyrillic}\p{Greek}\-]*[a-z0-9\p{Cyrillic}\p{Greek}])?";
        let url = format!(
            r"(?:https?://)?(?:{label}\.)+(?:[a-z]{{2,24}}|xn--[a-z0-9\-]+|\d{{1,3}})(?::\d{{1,5}})?(?:[/?#][a-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?"
        );
        let email = r"[a-z0-9][a-z0-9._%+\-]*@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}";
        Extractor {
            filler: Lazy::new(&filler),
            wechat_id: Lazy::new(r"^[a-z][a-z0-9_\-]{5,19}"),
            tg_handle: Lazy::new(r"^@?[a-z][a-z0-9_]{4,31}"),
            line_id: Lazy::new(r"^@?[a-z][a-z0-9._\-]{3,19}"),
            swift: Lazy::new(r"^[a-z]{6}[a-z0-9]{2}(?:[a-z0-9]{3})?"),
            email: Lazy::new(email),
            email_full: Lazy::new(&format!("^{email}$")),
            url: Lazy::new(&url),
            wa_link: Lazy::new(r"(?:https?://)?(?:api\.)?(?:wa\.me/|whatsapp\.com/send/?\?phone=)\+?(\d{6,15})"),
            tg_link: Lazy::new(r"(?:https?://)?(?:t\.me|telegram\.me|telegram\.dog)/@?([a-z][a-z0-9_]{4,31})"),
            wxid: Lazy::new(r"wxid_[a-z0-9]{4,30}"),
            trc20: Lazy::new(r"T[1-9A-HJ-NP-Za-km-z]{33}"),
            erc20: Lazy::new(r"0x[0-9a-f]{40}"),
            iban: Lazy::new(r"[a-z]{2}\d{2}"),
        }
    }

    /// Appends the entities of one message to `out`, ordered by position. `folded` must be the folded view of
    /// `original`.
    #[cfg(test)]
    pub(crate) fn extract(&self, original: &str, folded: &Folded, out: &mut Vec<Entity>, scratch: &mut EntityScratch) {
        let mut found = tests::cue_occurrences(&folded.text);
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
        let has_at = bytes.contains(&b'@');
        let has_dot = text.match_indices('.').any(|(i, _)| {
            i > 0
                && (bytes[i - 1].is_ascii_alphanumeric() || !bytes[i - 1].is_ascii())
                && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
        });

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
        if bytes.contains(&b'_') && text.contains("wxid_") {
            for m in self.wxid.get().find_iter(text) {
                if !before_is(bytes, m.start(), |b| b.is_ascii_alphanumeric())
                    && !after_is(bytes, m.end(), |b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    sink.push(EntityKind::Wechat, m.as_str().to_string(), m.range(), None);
                }
            }
        }
        if has_dot {
            self.links(text, &mut sink);
            if has_at {
                self.emails(text, &mut sink);
            }
            self.urls(text, &mut sink);
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

    /// The value announced by a context word: a handle, a number, or a SWIFT code.
    fn after_cue(&self, text: &str, cue_range: Range<usize>, cue: Cue, sink: &mut Sink<'_>) {
        if matches!(cue, Cue::Account | Cue::Negative) {
            return;
        }
        if cue == Cue::LineColon && !line_colon_context_ok(text, cue_range.start) {
            return;
        }
        let rest = &text[cue_range.end..];
        // Fillers are short: look at a bounded window, so that repeated context words stay linear.
        let mut window = rest.len().min(64);
        while !rest.is_char_boundary(window) {
            window -= 1;
        }
        let filler_len = self.filler.get().find(&rest[..window]).map_or(0, |m| m.end());
        if filler_len > 48 {
            return;
        }
        // The context word and what follows it, up to the value.
        let lead = &text[cue_range.start..cue_range.end + filler_len];
        let explicit = [":", "=", "id", "号", "是", "为", "is", "name", "名"]
            .iter()
            .any(|w| lead.contains(w));
        let at = cue_range.end + filler_len;
        let bytes = text.as_bytes();
        let Some(&first) = bytes.get(at) else { return };
        let value_text = &text[at..];

        if cue == Cue::Swift {
            let Some(m) = self.swift.get().find(value_text) else {
                return;
            };
            let end = at + m.end();
            if after_is(bytes, end, |b| b.is_ascii_alphanumeric()) || !is_country(&m.as_str()[4..6]) {
                return;
            }
            let range = at..end;
            let written_upper = sink
                .original_text(range.clone())
                .is_some_and(|o| !o.chars().any(char::is_lowercase));
            if written_upper || lead.contains(':') || lead.contains("code") || lead.contains('码') {
                sink.push(EntityKind::Swift, m.as_str().to_ascii_uppercase(), range, None);
            }
            return;
        }

        // Numbers: phones for every messenger, plain digit strings for QQ and WhatsApp.
        if first.is_ascii_digit() || first == b'+' || first == b'(' {
            let Some(num) = read_number(bytes, at) else { return };
            let kind = match cue {
                Cue::Wechat => EntityKind::Wechat,
                Cue::Qq => EntityKind::Qq,
                Cue::Whatsapp => EntityKind::Whatsapp,
                Cue::Telegram => EntityKind::Telegram,
                _ => EntityKind::Line,
            };
            let found = match cue {
                Cue::Qq => {
                    let n = num.group_len(0);
                    let d = num.digits();
                    (!num.plus && (5..=11).contains(&n) && d[0] != b'0').then_some((0, n, 0))
                }
                Cue::Whatsapp => phone(&num)
                    .map(|p| (p.value_from, p.value_to, p.last_group))
                    .or_else(|| {
                        // Digits without a + : take groups up to 15 digits.
                        let g = (0..num.ngroups).rev().find(|&g| num.groups[g].0 <= 15)?;
                        let n = num.groups[g].0 as usize;
                        (!num.plus && n >= 7).then_some((0, n, g))
                    }),
                Cue::Telegram => phone(&num)
                    .filter(|_| num.plus)
                    .map(|p| (p.value_from, p.value_to, p.last_group)),
                _ => phone(&num).map(|p| (p.value_from, p.value_to, p.last_group)),
            };
            if let Some((from, to, g)) = found {
                let end = num.groups[g].1;
                if !after_is(bytes, end, |b| b.is_ascii_alphanumeric() || b == b'@') {
                    sink.push(kind, num.value(from, to), num.start..end, None);
                }
            }
            return;
        }

        let (re, kind) = match cue {
            Cue::Wechat => (&self.wechat_id, EntityKind::Wechat),
            Cue::Telegram => (&self.tg_handle, EntityKind::Telegram),
            Cue::Line | Cue::LineColon => (&self.line_id, EntityKind::Line),
            _ => return,
        };
        let Some(m) = re.get().find(value_text) else { return };
        let mut id = m.as_str();
        while id.ends_with(['.', '-']) {
            id = &id[..id.len() - 1];
        }
        let end = at + id.len();
        // The handle must end where the token ends (not inside a longer word, an e-mail or a domain).
        if after_is(bytes, end, |b| b.is_ascii_alphanumeric() || b == b'_' || b == b'@')
            || (after_is(bytes, end, |b| b == b'.' || b == b'-')
                && after_is(bytes, end + 1, |b| b.is_ascii_alphanumeric()))
        {
            return;
        }
        let at_sign = id.starts_with('@');
        let id = id.trim_start_matches('@');
        let marked = id
            .bytes()
            .any(|b| b.is_ascii_digit() || b == b'_' || b == b'-' || b == b'.');
        let strong_cue = cue == Cue::Line;
        if STOPWORDS.contains(&id) || !(marked || at_sign || explicit || strong_cue) {
            return;
        }
        if cue == Cue::LineColon && !marked {
            return;
        }
        sink.push(kind, id.to_string(), at..end, None);
    }

    /// `wa.me/<digits>` and `t.me/<handle>` links.
    fn links(&self, text: &str, sink: &mut Sink<'_>) {
        let bytes = text.as_bytes();
        if text.contains("wa.me/") || text.contains("whatsapp.com/send") {
            for c in self.wa_link.get().captures_iter(text) {
                let (Some(all), Some(digits)) = (c.get(0), c.get(1)) else {
                    continue;
                };
                if before_is(bytes, all.start(), |b| b.is_ascii_alphanumeric() || b == b'.')
                    || after_is(bytes, digits.end(), |b| b.is_ascii_digit())
                {
                    continue;
                }
                let end = end_of_path(bytes, all.end());
                sink.push(
                    EntityKind::Whatsapp,
                    digits.as_str().to_string(),
                    all.start()..end,
                    None,
                );
            }
        }
        if text.contains(".me/") || text.contains(".dog/") {
            for c in self.tg_link.get().captures_iter(text) {
                let (Some(all), Some(handle)) = (c.get(0), c.get(1)) else {
                    continue;
                };
                if before_is(bytes, all.start(), |b| b.is_ascii_alphanumeric() || b == b'.')
                    || after_is(bytes, handle.end(), |b| b.is_ascii_alphanumeric() || b == b'_')
                    || matches!(
                        handle.as_str(),
                        "joinchat" | "share" | "addstickers" | "proxy" | "socks"
                    )
                {
                    continue;
                }
                let end = end_of_path(bytes, all.end());
                sink.push(
                    EntityKind::Telegram,
                    handle.as_str().to_string(),
                    all.start()..end,
                    None,
                );
            }
        }
    }

    fn emails(&self, text: &str, sink: &mut Sink<'_>) {
        let bytes = text.as_bytes();
        for m in self.email.get().find_iter(text) {
            if after_is(bytes, m.end(), |b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                continue;
            }
            // The value as written (folding may have joined `j.k.l@…` into `jkl@…`), when it is a plain address.
            let value = sink
                .original_text(m.range())
                .map(nfkc_lower)
                .filter(|v| self.email_full.get().is_match(v))
                .unwrap_or_else(|| m.as_str().to_string());
            sink.push(EntityKind::Email, value, m.range(), None);
        }
    }

    fn urls(&self, text: &str, sink: &mut Sink<'_>) {
        let bytes = text.as_bytes();
        for m in self.url.get().find_iter(text) {
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

    fn crypto(&self, text: &str, digits: bool, sink: &mut Sink<'_>) {
        // TRC-20 addresses are case-sensitive: read them from the original text.
        let original = sink.original;
        if trc20_possible(original) {
            let ob = original.as_bytes();
            for m in self.trc20.get().find_iter(original) {
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
            for m in self.erc20.get().find_iter(text) {
                if before_is(bytes, m.start(), |b| b.is_ascii_alphanumeric())
                    || after_is(bytes, m.end(), |b| b.is_ascii_alphanumeric())
                {
                    continue;
                }
                sink.push(EntityKind::Crypto, m.as_str().to_string(), m.range(), None);
            }
        }
    }

    /// Phones anywhere; card and account numbers by checksum or context.
    fn numbers(&self, text: &str, cues: &[(Range<usize>, Cue)], sink: &mut Sink<'_>) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if !(b.is_ascii_digit() || b == b'+' || b == b'(') || !number_start_ok(bytes, i) {
                i += 1;
                continue;
            }
            let Some(num) = read_number(bytes, i) else {
                i += 1;
                continue;
            };
            let mut next = num.groups[0].1;
            if let Some(p) = phone(&num) {
                let end = num.groups[p.last_group].1;
                if !after_is(bytes, end, |b| b.is_ascii_alphanumeric() || b == b'@') {
                    sink.push(
                        EntityKind::Phone,
                        num.value(p.value_from, p.value_to),
                        num.start..end,
                        None,
                    );
                    next = next.max(end);
                }
            }
            if let Some(g) = account_groups(&num) {
                let end = num.groups[g].1;
                let n = num.groups[g].0 as usize;
                let d = &num.digits()[..n];
                if !after_is(bytes, end, |b| b.is_ascii_alphanumeric() || b == b'@') {
                    let (account_cue, negative_cue) = context_before(cues, num.start);
                    let card = (16..=19).contains(&n) && (b'3'..=b'6').contains(&d[0]) && luhn_ok(d);
                    if !negative_cue && ((9..=30).contains(&n) && account_cue || card) {
                        sink.push(EntityKind::BankAccount, num.value(0, n), num.start..end, None);
                        next = next.max(end);
                    }
                }
            }
            i = next.max(i + 1);
        }
    }

    fn ibans(&self, text: &str, sink: &mut Sink<'_>) {
        let bytes = text.as_bytes();
        let mut pos = 0;
        while let Some(m) = self.iban.get().find_at(text, pos) {
            pos = m.start() + 1;
            if before_is(bytes, m.start(), |b| b.is_ascii_alphanumeric()) {
                continue;
            }
            let Some(&(_, len)) = IBAN_LENGTHS.iter().find(|(c, _)| *c == &text[m.start()..m.start() + 2]) else {
                continue;
            };
            // Collect `len` alphanumerics, allowing single spaces (or dashes) between groups.
            let mut buf = [0u8; 34];
            let mut n = 0;
            let mut j = m.start();
            while j < bytes.len() && n < len {
                let c = bytes[j];
                if c.is_ascii_alphanumeric() {
                    buf[n] = c.to_ascii_uppercase();
                    n += 1;
                } else if !((c == b' ' || c == b'-') && n > 0 && after_is(bytes, j + 1, |b| b.is_ascii_alphanumeric()))
                {
                    break;
                }
                j += 1;
            }
            if n != len || after_is(bytes, j, |b| b.is_ascii_alphanumeric()) || !iban_ok(&buf[..n]) {
                continue;
            }
            let value: String = buf[..n].iter().map(|&b| b as char).collect();
            sink.push(EntityKind::Iban, value, m.start()..j, None);
            pos = j;
        }
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

/// Whether a TRC-20 address (`T` and 33 more ASCII letters and digits) can start in `bytes`: a cheap check at each
/// `T` before the address pattern runs (most `T`s start a word like `The`).
fn trc20_possible(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 34
        && text.match_indices('T').any(|(i, _)| {
            bytes
                .get(i + 1..i + 34)
                .is_some_and(|r| r.iter().all(u8::is_ascii_alphanumeric))
        })
}

/// Latin context words must stand alone (`wx` not inside `twx`, `qq` not in `@qq.com`, `wa` not in `wait`).
fn cue_boundaries_ok(bytes: &[u8], start: usize, end: usize, word: &str) -> bool {
    let w = word.as_bytes();
    if w[0].is_ascii_alphanumeric()
        && before_is(bytes, start, |b| {
            b.is_ascii_alphanumeric() || matches!(b, b'@' | b'.' | b'_')
        })
    {
        return false;
    }
    if w[w.len() - 1].is_ascii_alphabetic() && after_is(bytes, end, |b| b.is_ascii_alphabetic()) {
        return false;
    }
    // `wa.me/…` is read as a link, not as the word `wa`.
    !(word == "wa" && after_is(bytes, end, |b| b == b'.'))
}

/// `line:` announces a LINE ID only after nothing, punctuation, Chinese, or "my/our/add/me/on/via".
fn line_colon_context_ok(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    let Some(last) = before.chars().next_back() else {
        return true;
    };
    if !last.is_ascii_alphanumeric() {
        return true;
    }
    let word_start = before.rfind(|c: char| !c.is_ascii_alphanumeric()).map_or(0, |i| i + 1);
    matches!(
        &before[word_start..],
        "my" | "our" | "add" | "me" | "on" | "via" | "or" | "and" | "id"
    )
}

/// Whether a number may start at `i`: not glued to a word, a decimal or a model number (`TS-2207`), and not
/// just after the `+` or `(` it would have started at.
fn number_start_ok(bytes: &[u8], i: usize) -> bool {
    let Some(&p) = i.checked_sub(1).and_then(|j| bytes.get(j)) else {
        return true;
    };
    if p.is_ascii_alphanumeric() || matches!(p, b'_' | b'+' | b'(' | b'#' | b'$' | b'%') {
        return false;
    }
    !(matches!(p, b'-' | b'/' | b'.' | b',') && i >= 2 && bytes[i - 2].is_ascii_alphanumeric())
}

/// Reads a number at `start`: `(`? `+`? then digit groups separated by at most two of ` -.()`.
fn read_number(bytes: &[u8], start: usize) -> Option<Number> {
    let mut num = Number {
        start,
        plus: false,
        digits: [0; 32],
        len: 0,
        groups: [(0, 0, 0); 16],
        ngroups: 0,
    };
    let mut i = start;
    if bytes.get(i) == Some(&b'(') {
        i += 1;
    }
    num.start = i;
    if bytes.get(i) == Some(&b'+') {
        num.plus = true;
        i += 1;
        if bytes.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    if bytes.get(i) == Some(&b'(') {
        i += 1;
    }
    let mut sep = 0u8;
    loop {
        let group_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            if num.len == num.digits.len() {
                return None; // far too long for anything we extract
            }
            num.digits[num.len] = bytes[i];
            num.len += 1;
            i += 1;
        }
        if i == group_start {
            break;
        }
        num.groups[num.ngroups] = (num.len as u8, i, sep);
        num.ngroups += 1;
        if num.ngroups == num.groups.len() {
            break;
        }
        // Up to two separators, then a digit.
        let mut j = i;
        let mut first_sep = 0u8;
        while j < bytes.len() && j - i < 2 && matches!(bytes[j], b' ' | b'-' | b'.' | b'(' | b')') {
            if first_sep == 0 || first_sep == b')' {
                first_sep = bytes[j];
            }
            j += 1;
        }
        let two_dots = j - i == 2 && bytes[i] == b'.' && bytes[i + 1] == b'.';
        if j == i || two_dots || !after_is(bytes, j, |b| b.is_ascii_digit()) {
            break;
        }
        sep = first_sep;
        i = j;
    }
    (num.len > 0).then_some(num)
}

/// A mainland mobile (with or without +86 / 0086 / 86) or an international number written with + or 00.
fn phone(num: &Number) -> Option<Phone> {
    let d = num.digits();
    let mobile_at = |p: usize| -> Option<usize> {
        (d.len() >= p + 11 && d[p] == b'1' && (b'3'..=b'9').contains(&d[p + 1]))
            .then(|| num.group_ending_at(p + 11))
            .flatten()
    };
    // Mainland mobiles.
    if d.starts_with(b"0086") && !num.plus {
        if let Some(g) = mobile_at(4) {
            return Some(Phone {
                value_from: 2,
                value_to: 15,
                last_group: g,
            });
        }
    }
    if d.starts_with(b"86") {
        if let Some(g) = mobile_at(2) {
            return Some(Phone {
                value_from: 0,
                value_to: 13,
                last_group: g,
            });
        }
    }
    if !num.plus {
        if let Some(g) = mobile_at(0) {
            return Some(Phone {
                value_from: 0,
                value_to: 11,
                last_group: g,
            });
        }
    }
    // International: + or 00, then up to 15 digits (at least 8).
    let from = if num.plus {
        0
    } else if d.starts_with(b"00") && d.len() > 2 && d[2] != b'0' && num.ngroups >= 2 {
        2
    } else {
        return None;
    };
    if d.get(from) == Some(&b'0') {
        return None;
    }
    let g = (0..num.ngroups)
        .rev()
        .find(|&g| (num.groups[g].0 as usize).saturating_sub(from) <= 15)?;
    let to = num.groups[g].0 as usize;
    (to.saturating_sub(from) >= 8).then_some(Phone {
        value_from: from,
        value_to: to,
        last_group: g,
    })
}

/// The groups that form one account number: a long unbroken run stands alone; otherwise groups of 3–6 digits
/// joined by one kind of separator (space or dash), e.g. `6222 0212 3456 7890 128`.
fn account_groups(num: &Number) -> Option<usize> {
    if num.plus {
        return None;
    }
    if num.group_len(0) > 6 || num.ngroups == 1 {
        return Some(0);
    }
    let sep = num.groups[1].2;
    if !matches!(sep, b' ' | b'-') || num.group_len(0) < 3 {
        return None;
    }
    let mut last = 0;
    for g in 1..num.ngroups {
        if num.groups[g].2 != sep || num.groups[g].0 > 30 || !(3..=6).contains(&num.group_len(g - 1)) {
            break;
        }
        last = g;
    }
    Some(last)
}

/// (an account word announces the number, an order/tracking word precedes it) within a short window before `pos`.
fn context_before(cues: &[(Range<usize>, Cue)], pos: usize) -> (bool, bool) {
    let mut account = false;
    let mut negative = false;
    let before = cues.partition_point(|(r, _)| r.end <= pos);
    for (r, cue) in cues[..before].iter().rev() {
        let gap = pos - r.end;
        match cue {
            Cue::Account if gap <= 48 && !negative => account = true,
            Cue::Negative if gap <= 40 && !account => negative = true,
            _ => {}
        }
        if gap > 48 {
            break;
        }
    }
    (account, negative)
}

/// The path and query after a link's fixed part, up to whitespace or non-ASCII.
fn end_of_path(bytes: &[u8], mut end: usize) -> usize {
    while end < bytes.len() && bytes[end].is_ascii_graphic() && !matches!(bytes[end], b'"' | b'<' | b'>') {
        end += 1;
    }
    while end > 0 && matches!(bytes[end - 1], b'.' | b',' | b';' | b':' | b'!' | b'?' | b')') {
        end -= 1;
    }
    end
}

fn is_country(code: &str) -> bool {
    code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code)
}

fn luhn_ok(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &b) in digits.iter().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// ISO 13616 mod-97 check on an upper-case, compact IBAN.
fn iban_ok(iban: &[u8]) -> bool {
    if iban.len() < 15 || !iban[2].is_ascii_digit() || !iban[3].is_ascii_digit() {
        return false;
    }
    let mut rem = 0u32;
    for &c in iban[4..].iter().chain(&iban[..4]) {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
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
    out[0] == 0x41 && sha256(&sha256(&out[..21]))[..4] == out[21..]
}

fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];
    let bit_len = (data.len() as u64) * 8;
    let padded_len = (data.len() + 9).div_ceil(64) * 64;
    let byte_at = |i: usize| -> u8 {
        if i < data.len() {
            data[i]
        } else if i == data.len() {
            0x80
        } else if i >= padded_len - 8 {
            (bit_len >> (8 * (padded_len - 1 - i))) as u8
        } else {
            0
        }
    };
    for block in 0..padded_len / 64 {
        let mut w = [0u32; 64];
        for (t, word) in w.iter_mut().enumerate().take(16) {
            let i = block * 64 + t * 4;
            *word = u32::from_be_bytes([byte_at(i), byte_at(i + 1), byte_at(i + 2), byte_at(i + 3)]);
        }
        for t in 16..64 {
            let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
            let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16].wrapping_add(s0).wrapping_add(w[t - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for t in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[t])
                .wrapping_add(w[t]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// NFKC, lower case, invisible characters removed.
fn nfkc_lower(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|&c| !is_invisible(c))
        .collect()
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
    use super::EntityKind::*;
    use super::*;
    use crate::normalize::Folder;
    use aho_corasick::{AhoCorasick, MatchKind};

    /// Every occurrence of the cue words in `folded`, as the detector's keyword automaton reports them.
    pub(super) fn cue_occurrences(folded: &str) -> Vec<(u32, u32, u32)> {
        let ac = AhoCorasick::new(cue_words()).expect("cue words build");
        ac.find_overlapping_iter(folded)
            .map(|m| (m.start() as u32, m.end() as u32, m.pattern().as_u32()))
            .collect()
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

    /// The cue words taken from all occurrences must be the ones a leftmost-longest search finds.
    #[test]
    fn cues_from_all_occurrences_are_the_leftmost_longest() {
        let ll = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(cue_words())
            .expect("cue words build");
        let folder = Folder::with_mode(["wechat", "whatsapp"], crate::Folding::Full);
        let mut texts: Vec<String> = CUES.iter().map(|c| format!("加{}：abc_12345", c.0)).collect();
        texts.extend(
            [
                "微信号微信wx vx",
                "whatsapp whats app whatsap wa",
                "qq扣扣q号 tel电话phone",
                "加我微信号码是wxid_abc",
                "line id: kev line: kev",
                "telegram tg电报飞机",
                "",
                "wawawa qqq",
            ]
            .map(String::from),
        );
        // Every pair of cue words run together, so that overlaps of all kinds occur.
        for a in CUES.iter().take(40) {
            for b in CUES.iter().skip(20).take(40) {
                texts.push(format!("{}{} {}", a.0, b.0, a.0));
            }
        }
        for text in &texts {
            let folded = folder.fold(text).text;
            let want: Vec<(Range<usize>, usize)> = ll
                .find_iter(folded.as_str())
                .map(|m| (m.start()..m.end(), m.pattern().as_usize()))
                .collect();
            let mut got = Vec::new();
            leftmost_longest(&mut cue_occurrences(&folded), &mut got);
            assert_eq!(got, want, "{folded:?}");
        }
    }

    /// (kind, value, the original text the span covers, the brand a URL imitates)
    type Want = (EntityKind, &'static str, &'static str, Option<&'static str>);

    const fn e(kind: EntityKind, value: &'static str, written: &'static str) -> Want {
        (kind, value, written, None)
    }

    const fn fake(value: &'static str, written: &'static str, brand: &'static str) -> Want {
        (Url, value, written, Some(brand))
    }

    const NONE: &[Want] = &[];

    const CASES: &[(&str, &str, &[Want])] = &[
        // ---- WeChat
        (
            "wechat_en",
            "Add my WeChat: Lily_2025 for the price list",
            &[e(Wechat, "lily_2025", "Lily_2025")],
        ),
        (
            "wechat_zh",
            "加我微信：lily_2025，发你报价",
            &[e(Wechat, "lily_2025", "lily_2025")],
        ),
        (
            "wechat_hao_letters",
            "微信号 lilychen",
            &[e(Wechat, "lilychen", "lilychen")],
        ),
        ("wechat_vx", "vx: abc_123456", &[e(Wechat, "abc_123456", "abc_123456")]),
        (
            "wechat_v_xin",
            "有问题加v信 kelly-88",
            &[e(Wechat, "kelly-88", "kelly-88")],
        ),
        (
            "wechat_wei_xin_homophone",
            "薇信号：sz_factory01",
            &[e(Wechat, "sz_factory01", "sz_factory01")],
        ),
        (
            "wechat_wei_xin_2",
            "威信 abc_2024",
            &[e(Wechat, "abc_2024", "abc_2024")],
        ),
        (
            "wechat_same_as_phone",
            "微信同号 13800138000",
            &[e(Wechat, "13800138000", "13800138000")],
        ),
        (
            "wechat_phone_cc",
            "WeChat: +86 138 0013 8000",
            &[e(Wechat, "8613800138000", "+86 138 0013 8000")],
        ),
        (
            "wechat_fullwidth",
            "加我ＷＥＣＨＡＴ：ｌｉｌｙ＿８８ｘ",
            &[e(Wechat, "lily_88x", "ｌｉｌｙ＿８８ｘ")],
        ),
        (
            "wechat_spelled_out",
            "加我 w.e.c.h.a.t: lily_2025",
            &[e(Wechat, "lily_2025", "lily_2025")],
        ),
        (
            "wechat_wx_dotted",
            "W.X: lily2025",
            &[e(Wechat, "lily2025", "lily2025")],
        ),
        (
            "wechat_cyrillic_e",
            "my wеchat is lily_88",
            &[e(Wechat, "lily_88", "lily_88")],
        ),
        (
            "wechat_circled_digits",
            "微信 ①③⑧⓪⓪①③⑧⓪⓪⓪",
            &[e(Wechat, "13800138000", "①③⑧⓪⓪①③⑧⓪⓪⓪")],
        ),
        (
            "wechat_glued_number",
            "wx13800138000",
            &[e(Wechat, "13800138000", "13800138000")],
        ),
        (
            "wechat_wxid",
            "search wxid_abc12345 please",
            &[e(Wechat, "wxid_abc12345", "wxid_abc12345")],
        ),
        (
            "wechat_weixin",
            "weixin: zhang_san_99",
            &[e(Wechat, "zhang_san_99", "zhang_san_99")],
        ),
        (
            "wechat_is_letters",
            "My wechat is kellyzhou",
            &[e(Wechat, "kellyzhou", "kellyzhou")],
        ),
        (
            "wechat_traditional",
            "加我微信號：amy_0755",
            &[e(Wechat, "amy_0755", "amy_0755")],
        ),
        ("wechat_pay_not_id", "We accept WeChat Pay and Alipay", NONE),
        ("wechat_please_not_id", "add my wechat please", NONE),
        ("wechat_group_not_id", "join our wechat group today", NONE),
        ("wechat_too_short", "wechat: abc", NONE),
        ("wechat_starts_with_digit", "wechat: 123abc", NONE),
        ("wechat_too_long", "wechat: abcdefghijklmnopqrstuvwxyz1", NONE),
        (
            "wechat_then_email",
            "wechat lily@163.com",
            &[e(Email, "lily@163.com", "lily@163.com")],
        ),
        ("wechat_zh_no_id", "可以用微信支付吗", NONE),
        ("wechat_satellite_no_id", "卫星电话也可以", NONE),
        // ---- QQ
        ("qq_en", "QQ: 12345678", &[e(Qq, "12345678", "12345678")]),
        ("qq_kou_kou", "加我扣扣 987654321", &[e(Qq, "987654321", "987654321")]),
        (
            "qq_penguin_numerals",
            "企鹅 一二三四五六七八",
            &[e(Qq, "12345678", "一二三四五六七八")],
        ),
        ("qq_hao", "q号：55667788", &[e(Qq, "55667788", "55667788")]),
        ("qq_glued", "qq123456", &[e(Qq, "123456", "123456")]),
        (
            "qq_fullwidth",
            "ＱＱ：１２３４５６７８９",
            &[e(Qq, "123456789", "１２３４５６７８９")],
        ),
        ("qq_too_short", "QQ 1234", NONE),
        ("qq_leading_zero", "QQ: 0123456", NONE),
        (
            "qq_mail_is_email",
            "send to 12345678@qq.com",
            &[e(Email, "12345678@qq.com", "12345678@qq.com")],
        ),
        ("qq_too_long", "qq 123456789012", NONE),
        // ---- WhatsApp
        (
            "wa_plus",
            "WhatsApp: +86 137 2288 4061",
            &[e(Whatsapp, "8613722884061", "+86 137 2288 4061")],
        ),
        (
            "wa_me_link",
            "Chat: https://wa.me/8613800138000",
            &[e(Whatsapp, "8613800138000", "https://wa.me/8613800138000")],
        ),
        (
            "wa_me_bare",
            "wa.me/447911123456?text=hi",
            &[e(Whatsapp, "447911123456", "wa.me/447911123456?text=hi")],
        ),
        (
            "wa_leet",
            "my wh@tsapp is +1 (415) 555-2671",
            &[e(Whatsapp, "14155552671", "+1 (415) 555-2671")],
        ),
        (
            "wa_mobile",
            "whatsapp 13800138000",
            &[e(Whatsapp, "13800138000", "13800138000")],
        ),
        (
            "wa_cc_no_plus",
            "WhatsApp number: 8613800138000",
            &[e(Whatsapp, "8613800138000", "8613800138000")],
        ),
        (
            "wa_api_link",
            "https://api.whatsapp.com/send?phone=8613800138000",
            &[e(
                Whatsapp,
                "8613800138000",
                "https://api.whatsapp.com/send?phone=8613800138000",
            )],
        ),
        (
            "wa_zh",
            "加我whatsapp：+44 7911 123456",
            &[e(Whatsapp, "447911123456", "+44 7911 123456")],
        ),
        (
            "wa_abbrev",
            "WA: +971 50 123 4567",
            &[e(Whatsapp, "971501234567", "+971 50 123 4567")],
        ),
        (
            "wa_me_at",
            "WhatsApp me at 0086 138 0013 8000",
            &[e(Whatsapp, "8613800138000", "0086 138 0013 8000")],
        ),
        (
            "wa_or_wechat",
            "WhatsApp/WeChat: +86 138 0013 8000",
            &[e(Whatsapp, "8613800138000", "+86 138 0013 8000")],
        ),
        ("wa_no_number", "can we continue on WhatsApp?", NONE),
        ("wa_word", "it was waiting, wa 12 pcs", NONE),
        ("wa_too_short", "whatsapp 12345", NONE),
        // ---- Telegram
        (
            "tg_at",
            "Telegram: @Lily_Chen88",
            &[e(Telegram, "lily_chen88", "@Lily_Chen88")],
        ),
        (
            "tg_link",
            "join t.me/cheap_usdt_shop",
            &[e(Telegram, "cheap_usdt_shop", "t.me/cheap_usdt_shop")],
        ),
        (
            "tg_https_link",
            "https://t.me/LilySupplier",
            &[e(Telegram, "lilysupplier", "https://t.me/LilySupplier")],
        ),
        ("tg_airplane", "飞机：@abc_def", &[e(Telegram, "abc_def", "@abc_def")]),
        (
            "tg_dianbao",
            "电报 @kelly2025",
            &[e(Telegram, "kelly2025", "@kelly2025")],
        ),
        (
            "tg_abbrev",
            "tg @sz_factory",
            &[e(Telegram, "sz_factory", "@sz_factory")],
        ),
        (
            "tg_username",
            "find me on telegram, my username is @cheapgoods",
            &[e(Telegram, "cheapgoods", "@cheapgoods")],
        ),
        (
            "tg_phone",
            "telegram +86 138 0013 8000",
            &[e(Telegram, "8613800138000", "+86 138 0013 8000")],
        ),
        ("tg_no_context", "follow @lily_2025 on instagram", NONE),
        ("tg_too_short", "tg: @abc", NONE),
        ("tg_plane_trip", "坐飞机去广州", NONE),
        ("tg_mobile_needs_plus", "telegram 12345678", NONE),
        // ---- LINE
        (
            "line_id",
            "LINE ID: lily.chen88",
            &[e(Line, "lily.chen88", "lily.chen88")],
        ),
        ("line_add_zh", "加line kelly_tw", &[e(Line, "kelly_tw", "kelly_tw")]),
        ("line_my_colon", "my line: sunny-88", &[e(Line, "sunny-88", "sunny-88")]),
        ("line_at", "line id @shopbkk", &[e(Line, "shopbkk", "@shopbkk")]),
        ("line_product_line", "product line: automatic-2", NONE),
        ("line_words", "the production line is busy", NONE),
        ("line_colon_word", "line: hello", NONE),
        // ---- E-mail
        (
            "email_mixed_case",
            "email me: Lily.Chen@Gmail.com",
            &[e(Email, "lily.chen@gmail.com", "Lily.Chen@Gmail.com")],
        ),
        (
            "email_fullwidth",
            "邮箱：ｌｉｌｙ＠１６３．ｃｏｍ",
            &[e(Email, "lily@163.com", "ｌｉｌｙ＠１６３．ｃｏｍ")],
        ),
        (
            "email_dotted_local",
            "write j.k.l@outlook.com",
            &[e(Email, "j.k.l@outlook.com", "j.k.l@outlook.com")],
        ),
        (
            "email_com_cn",
            "sales@sz-factory.com.cn",
            &[e(Email, "sales@sz-factory.com.cn", "sales@sz-factory.com.cn")],
        ),
        (
            "email_plus",
            "lily+shop@yahoo.co.uk",
            &[e(Email, "lily+shop@yahoo.co.uk", "lily+shop@yahoo.co.uk")],
        ),
        (
            "email_zh_glued",
            "发到lily88@qq.com谢谢",
            &[e(Email, "lily88@qq.com", "lily88@qq.com")],
        ),
        ("email_handle_only", "@lily_2025", NONE),
        ("email_no_tld", "lily@localhost", NONE),
        // ---- Phone
        (
            "phone_cn",
            "call 13800138000",
            &[e(Phone, "13800138000", "13800138000")],
        ),
        (
            "phone_cn_plus",
            "Tel: +86 138 0013 8000",
            &[e(Phone, "8613800138000", "+86 138 0013 8000")],
        ),
        (
            "phone_dashes",
            "电话 138-0013-8000",
            &[e(Phone, "13800138000", "138-0013-8000")],
        ),
        (
            "phone_0086",
            "0086 13800138000",
            &[e(Phone, "8613800138000", "0086 13800138000")],
        ),
        (
            "phone_paren_cc",
            "(+86)13800138000",
            &[e(Phone, "8613800138000", "+86)13800138000")],
        ),
        (
            "phone_circled",
            "①③⑧ 0013 8000",
            &[e(Phone, "13800138000", "①③⑧ 0013 8000")],
        ),
        (
            "phone_han_numerals",
            "手机一三八零零一三八零零零",
            &[e(Phone, "13800138000", "一三八零零一三八零零零")],
        ),
        (
            "phone_spaced_digits",
            "1 3 8 0 0 1 3 8 0 0 0",
            &[e(Phone, "13800138000", "1 3 8 0 0 1 3 8 0 0 0")],
        ),
        (
            "phone_uk",
            "+44 20 7946 0958",
            &[e(Phone, "442079460958", "+44 20 7946 0958")],
        ),
        (
            "phone_us",
            "+1 (415) 555-2671",
            &[e(Phone, "14155552671", "+1 (415) 555-2671")],
        ),
        (
            "phone_00_prefix",
            "0044 20 7946 0958",
            &[e(Phone, "442079460958", "0044 20 7946 0958")],
        ),
        (
            "phone_two_or",
            "13800138000 or 13900139000",
            &[
                e(Phone, "13800138000", "13800138000"),
                e(Phone, "13900139000", "13900139000"),
            ],
        ),
        (
            "phone_two_adjacent",
            "13800138000 13900139000",
            &[
                e(Phone, "13800138000", "13800138000"),
                e(Phone, "13900139000", "13900139000"),
            ],
        ),
        (
            "phone_after_date",
            "2024-03-15 13800138000",
            &[e(Phone, "13800138000", "13800138000")],
        ),
        (
            "phone_fullwidth",
            "手机：１３８００１３８０００",
            &[e(Phone, "13800138000", "１３８００１３８０００")],
        ),
        (
            "phone_dots",
            "call 138.0013.8000",
            &[e(Phone, "13800138000", "138.0013.8000")],
        ),
        (
            "phone_dashed_cc",
            "Tel:+86-138-0013-8000",
            &[e(Phone, "8613800138000", "+86-138-0013-8000")],
        ),
        (
            "wechat_and_phone",
            "微信：lily_2025 电话：13800138000",
            &[
                e(Wechat, "lily_2025", "lily_2025"),
                e(Phone, "13800138000", "13800138000"),
            ],
        ),
        (
            "qq_and_wechat",
            "QQ 12345678 微信 abc_123456",
            &[e(Qq, "12345678", "12345678"), e(Wechat, "abc_123456", "abc_123456")],
        ),
        ("order_number_not_phone", "订单号 2313800138000123", NONE),
        ("tracking_sf", "SF1234567890123", NONE),
        ("tracking_yt", "YT2312345678901", NONE),
        ("tracking_zto", "中通 75312345678901", NONE),
        ("tracking_dhl", "DHL 1234567890", NONE),
        ("price_moq", "price ¥138.00, MOQ 500 pcs", NONE),
        ("date_only", "deliver on 2024-03-15", NONE),
        ("model_number", "model TS-2207-B", NONE),
        ("quantity_and_price", "we need 13800 pcs at 1.38 usd", NONE),
        ("plus_days", "+3 days", NONE),
        ("timestamp_ms", "1710489600000", NONE),
        ("decimal_long", "rate 0.13800138000", NONE),
        // ---- Bank cards and accounts
        (
            "card_unionpay_spaced",
            "卡号 6222 0212 3456 7890 128",
            &[e(BankAccount, "6222021234567890128", "6222 0212 3456 7890 128")],
        ),
        (
            "card_luhn_no_context",
            "pay to 6217001234567893 today",
            &[e(BankAccount, "6217001234567893", "6217001234567893")],
        ),
        (
            "account_context_en",
            "A/C no: 1234567890123",
            &[e(BankAccount, "1234567890123", "1234567890123")],
        ),
        (
            "account_zh_20_digits",
            "收款账号：44050146070009998888",
            &[e(BankAccount, "44050146070009998888", "44050146070009998888")],
        ),
        (
            "card_personal_zh",
            "转到我的个人账户 6214 8312 3456 7890 14",
            &[e(BankAccount, "621483123456789014", "6214 8312 3456 7890 14")],
        ),
        (
            "card_dashes",
            "card number 6228-4800-1234-5671",
            &[e(BankAccount, "6228480012345671", "6228-4800-1234-5671")],
        ),
        (
            "account_then_phone",
            "账号 6222021234567890128 电话 13800138000",
            &[
                e(BankAccount, "6222021234567890128", "6222021234567890128"),
                e(Phone, "13800138000", "13800138000"),
            ],
        ),
        (
            "card_visa",
            "4111 1111 1111 1111",
            &[e(BankAccount, "4111111111111111", "4111 1111 1111 1111")],
        ),
        (
            "account_traditional",
            "帳號：6217 0012 3456 7893",
            &[e(BankAccount, "6217001234567893", "6217 0012 3456 7893")],
        ),
        (
            "account_not_joined_with_date",
            "账号 6222021234567890128 2024-03-15",
            &[e(BankAccount, "6222021234567890128", "6222021234567890128")],
        ),
        ("order_id_luhn", "Order ID: 3021234567890128", NONE),
        ("card_bad_luhn", "6222021234567890127", NONE),
        ("aliexpress_order", "订单 8181234567891234 已发货", NONE),
        ("order_nearer_than_account", "账号问题，订单号 1234567890123", NONE),
        ("account_too_short", "account 12345678", NONE),
        ("tracking_luhn", "tracking no. 4111111111111111", NONE),
        ("bad_luhn_no_context", "1234567890123456", NONE),
        // ---- IBAN
        (
            "iban_spaced",
            "IBAN: GB82 WEST 1234 5698 7654 32",
            &[e(Iban, "GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32")],
        ),
        (
            "iban_compact",
            "DE89370400440532013000",
            &[e(Iban, "DE89370400440532013000", "DE89370400440532013000")],
        ),
        (
            "iban_fr_letters",
            "FR14 2004 1010 0505 0001 3M02 606",
            &[e(
                Iban,
                "FR1420041010050500013M02606",
                "FR14 2004 1010 0505 0001 3M02 606",
            )],
        ),
        (
            "iban_then_words",
            "IBAN GB82 WEST 1234 5698 7654 32 please pay",
            &[e(Iban, "GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32")],
        ),
        ("iban_bad_checksum", "GB82 WEST 1234 5698 7654 33", NONE),
        ("iban_wrong_length", "GB82WEST123456987654", NONE),
        // ---- SWIFT
        (
            "swift_colon",
            "SWIFT: BKCHCNBJ300",
            &[e(Swift, "BKCHCNBJ300", "BKCHCNBJ300")],
        ),
        (
            "swift_code_lower",
            "swift code bkchcnbj",
            &[e(Swift, "BKCHCNBJ", "bkchcnbj")],
        ),
        ("swift_bic", "BIC/SWIFT: DEUTDEFF", &[e(Swift, "DEUTDEFF", "DEUTDEFF")]),
        ("swift_zh", "SWIFT码：ICBKCNBJ", &[e(Swift, "ICBKCNBJ", "ICBKCNBJ")]),
        ("swift_english_word", "Swift business partner", NONE),
        ("swift_no_context", "BKCHCNBJ300 is our bank", NONE),
        ("swift_bad_country", "SWIFT: ABCDZZ12", NONE),
        ("swift_transfer", "send by SWIFT TRANSFER", NONE),
        // ---- Crypto
        (
            "trc20",
            "USDT TRC20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            &[e(
                Crypto,
                "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
                "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            )],
        ),
        (
            "trc20_zh",
            "转USDT到TA4Y62o6YC2Zsck9rZVGTvqW1AQ7X9zTnj",
            &[e(
                Crypto,
                "TA4Y62o6YC2Zsck9rZVGTvqW1AQ7X9zTnj",
                "TA4Y62o6YC2Zsck9rZVGTvqW1AQ7X9zTnj",
            )],
        ),
        ("trc20_bad_checksum", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u", NONE),
        (
            "erc20",
            "ERC20 0x52908400098527886E0F7030069857D2E4169EE7",
            &[e(
                Crypto,
                "0x52908400098527886e0f7030069857d2e4169ee7",
                "0x52908400098527886E0F7030069857D2E4169EE7",
            )],
        ),
        (
            "erc20_tx_hash",
            "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
            NONE,
        ),
        ("erc20_short", "0x1234abcd", NONE),
        // ---- URLs and look-alikes
        (
            "url_brand_extra_word",
            "pay here: pay.alibaba-secure.top/x",
            &[fake("alibaba-secure.top", "pay.alibaba-secure.top/x", "alibaba")],
        ),
        (
            "url_real_alibaba",
            "https://offer.alibaba.com/item/123.html",
            &[e(Url, "alibaba.com", "https://offer.alibaba.com/item/123.html")],
        ),
        (
            "url_real_1688",
            "m.1688.com/offer/123",
            &[e(Url, "1688.com", "m.1688.com/offer/123")],
        ),
        (
            "url_1688_pay",
            "请到 1688-pay.com 付款",
            &[fake("1688-pay.com", "1688-pay.com", "1688")],
        ),
        (
            "url_digit_swap",
            "login at a1ibaba.com",
            &[fake("a1ibaba.com", "a1ibaba.com", "alibaba")],
        ),
        (
            "url_upper_i",
            "http://aIibaba.com/pay",
            &[fake("aiibaba.com", "http://aIibaba.com/pay", "alibaba")],
        ),
        (
            "url_cyrillic_a",
            "https://аliexpress.com/order",
            &[fake("аliexpress.com", "https://аliexpress.com/order", "aliexpress")],
        ),
        (
            "url_other_tld",
            "alibaba.top",
            &[fake("alibaba.top", "alibaba.top", "alibaba")],
        ),
        (
            "url_brand_subdomain",
            "aliexpress.com.verify-order.xyz/confirm",
            &[fake(
                "verify-order.xyz",
                "aliexpress.com.verify-order.xyz/confirm",
                "aliexpress",
            )],
        ),
        (
            "url_paypal_digit",
            "paypa1.com/signin",
            &[fake("paypa1.com", "paypa1.com/signin", "paypal")],
        ),
        (
            "url_paypal_me_real",
            "paypal.me/lily88",
            &[e(Url, "paypal.me", "paypal.me/lily88")],
        ),
        (
            "url_taobao_typo",
            "taobaoo.com",
            &[fake("taobaoo.com", "taobaoo.com", "taobao")],
        ),
        (
            "url_wise_word",
            "wise-transfer.top",
            &[fake("wise-transfer.top", "wise-transfer.top", "wise")],
        ),
        (
            "url_aliexpress_ru",
            "aliexpress.ru",
            &[e(Url, "aliexpress.ru", "aliexpress.ru")],
        ),
        (
            "url_dhgate_www",
            "www.dhgate.com",
            &[e(Url, "dhgate.com", "www.dhgate.com")],
        ),
        (
            "url_com_cn",
            "shop.example.com.cn",
            &[e(Url, "example.com.cn", "shop.example.com.cn")],
        ),
        (
            "url_generic",
            "see https://example.com/a.",
            &[e(Url, "example.com", "https://example.com/a")],
        ),
        (
            "url_fullwidth_real",
            "ａｌｉｂａｂａ．ｃｏｍ",
            &[e(Url, "alibaba.com", "ａｌｉｂａｂａ．ｃｏｍ")],
        ),
        (
            "url_worldfirst_sub",
            "worldfirst.verify-account.net",
            &[fake(
                "verify-account.net",
                "worldfirst.verify-account.net",
                "worldfirst",
            )],
        ),
        ("url_tmall_hk", "tmall.hk", &[e(Url, "tmall.hk", "tmall.hk")]),
        (
            "url_ip",
            "http://192.168.10.5/pay",
            &[e(Url, "192.168.10.5", "http://192.168.10.5/pay")],
        ),
        ("url_small_not_tmall", "small.com", &[e(Url, "small.com", "small.com")]),
        (
            "url_dhgate_typo",
            "dhgata.com",
            &[fake("dhgata.com", "dhgata.com", "dhgate")],
        ),
        (
            "url_alipay_brand_in",
            "alipay-refund.com",
            &[fake("alipay-refund.com", "alipay-refund.com", "alipay")],
        ),
        (
            "url_tmall_homoglyph",
            "tmaII.com",
            &[fake("tmaii.com", "tmaII.com", "tmall")],
        ),
        ("url_scam_top", "pay at okbuy.top", &[e(Url, "okbuy.top", "okbuy.top")]),
        (
            "url_phone_in_path",
            "http://pay-alibaba.top/order/13800138000",
            &[fake(
                "pay-alibaba.top",
                "http://pay-alibaba.top/order/13800138000",
                "alibaba",
            )],
        ),
        (
            "url_email_in_query",
            "https://evil.top/login?u=lily@163.com",
            &[e(Url, "evil.top", "https://evil.top/login?u=lily@163.com")],
        ),
        (
            "tg_link_with_path",
            "t.me/lily_2025/123",
            &[e(Telegram, "lily_2025", "t.me/lily_2025/123")],
        ),
        (
            "url_upper_case",
            "WWW.ALIBABA-PAY.COM",
            &[fake("alibaba-pay.com", "WWW.ALIBABA-PAY.COM", "alibaba")],
        ),
        ("url_sentence_typo", "I will send the file.top quality", NONE),
        ("url_filenames", "see invoice.pdf and photo.jpg", NONE),
        ("url_version", "version 2.0.1", NONE),
        ("url_no_space", "ok.thanks", NONE),
        ("url_login_in", "please log.in now", NONE),
        (
            "url_email_domain",
            "sales@alibaba-secure.top",
            &[e(Email, "sales@alibaba-secure.top", "sales@alibaba-secure.top")],
        ),
        // ---- Mixed and clean
        (
            "mixed_en",
            "Kelly here. WhatsApp +86 137 2288 4061, or pay USDT to TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            &[
                e(Whatsapp, "8613722884061", "+86 137 2288 4061"),
                e(
                    Crypto,
                    "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
                    "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
                ),
            ],
        ),
        (
            "mixed_zh",
            "加微信 lily_2025，卡号 6222 0212 3456 7890 128，或者点 alibaba-pay.top",
            &[
                e(Wechat, "lily_2025", "lily_2025"),
                e(BankAccount, "6222021234567890128", "6222 0212 3456 7890 128"),
                fake("alibaba-pay.top", "alibaba-pay.top", "alibaba"),
            ],
        ),
        ("empty", "", NONE),
        ("clean_en", "Thanks, the samples arrived today.", NONE),
        ("clean_zh", "亲，货已经发了，单号是SF1234567890123，请注意查收", NONE),
        (
            "clean_quote",
            "Price is $2.35/pc FOB Ningbo, MOQ 500, lead time 15-20 days.",
            NONE,
        ),
    ];

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
        for (name, text, want) in CASES {
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
                    .all(|(g, w)| g.0 == w.0 && g.1 == w.1 && g.2 == w.2 && g.3 == w.3);
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
        assert!(CASES.len() >= 120);
        for kind in [
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
        ] {
            let positives = CASES.iter().filter(|c| c.2.iter().any(|w| w.0 == kind)).count();
            assert!(positives >= 2, "{kind}: {positives} positive cases");
            eprintln!("{kind}: {positives} cases expecting it");
        }
        let negatives = CASES.iter().filter(|c| c.2.is_empty()).count();
        eprintln!("{} cases, {negatives} expecting nothing", CASES.len());
    }

    #[test]
    fn cut_texts_never_panic_and_spans_are_valid() {
        let (x, folder) = setup();
        for (_, text, _) in CASES {
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
            CASES.iter().map(|c| c.1).collect::<Vec<_>>().join(" ").repeat(20),
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
        let all = [
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
        let names: Vec<_> = all.iter().map(|k| k.as_str()).collect();
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

    #[test]
    fn checksums() {
        let hex: String = sha256(b"abc").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let long = [b'a'; 200];
        assert_eq!(sha256(&long).len(), 32);
        assert!(luhn_ok(b"6222021234567890128"));
        assert!(!luhn_ok(b"6222021234567890127"));
        assert!(iban_ok(b"GB82WEST12345698765432"));
        assert!(!iban_ok(b"GB82WEST12345698765433"));
        assert!(trc20_checksum_ok(b"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"));
        assert!(!trc20_checksum_ok(b"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"));
    }

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
