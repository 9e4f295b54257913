//! Context words: the cue table (what a word like 微信, "account" or "order" announces), the filler and stop words
//! around a value, and where a cue counts.

use std::ops::Range;

use super::{after_is, before_is};

/// What a context word announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cue {
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
pub(super) const CUES: &[(&str, Cue)] = &[
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
pub(super) const PUNCT: &str = r#"[\s:=~>,/|()\[\]{}"'*#.\-、，：；（）【】「」“”‘’→＝]"#;
/// Words that may stand between a context word and its value (Latin ones must be followed by punctuation).
pub(super) const FILLER_LATIN: &str =
    "id|no|num|number|is|me|at|on|or|via|to|add|my|our|account|acc|phone|tel|mobile|code|\
    here|below|search|contact|us|name|handle|username|user|and|bic|swift|wechat|weixin|whatsapp|wa|wx|vx|telegram|\
    tg|line|skype|viber|please|pls|plz|directly|same|as";
pub(super) const FILLER_HAN: &str =
    "号码|号|账号|帐号|账户|是|为|加|搜索|搜|同号|手机|电话|私聊|联系|代码|码|用户名|名|如下|微信|电报|飞机|我|的";

/// Words that are never a handle, even in handle grammar after an explicit separator.
pub(super) const STOPWORDS: &[&str] = &[
    "please", "contact", "account", "number", "message", "official", "payment", "friend", "friends", "direct",
    "directly", "group", "groups", "business", "customer", "service", "support", "scan", "below", "thanks", "thank",
    "hello", "because", "instead", "through", "whatsapp", "telegram", "wechat", "weixin", "email", "phone", "mobile",
    "wechatid", "username", "private", "personal", "search", "andadd", "details", "same", "moment", "inside", "online",
    "offline", "channel",
];

/// The context words that announce a handle or a number, for a caller that finds them itself (see
/// [`Extractor::extract_found`](super::Extractor::extract_found)); the index of a word here is the one it reports.
pub(crate) fn cue_words() -> impl Iterator<Item = &'static str> {
    CUES.iter().map(|c| c.0)
}

/// From every occurrence of the cue words (any order), the ones a leftmost-longest search reports: from the left,
/// the longest word starting at the first position not inside the last one taken.
pub(super) fn leftmost_longest(found: &mut [(u32, u32, u32)], out: &mut Vec<(Range<usize>, usize)>) {
    found.sort_unstable_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    let mut next = 0;
    for &(s, e, i) in found.iter() {
        if s >= next {
            out.push((s as usize..e as usize, i as usize));
            next = e;
        }
    }
}

/// Latin context words must stand alone (`wx` not inside `twx`, `qq` not in `@qq.com`, `wa` not in `wait`).
pub(super) fn cue_boundaries_ok(bytes: &[u8], start: usize, end: usize, word: &str) -> bool {
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
pub(super) fn line_colon_context_ok(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    let Some(last) = before.chars().next_back() else {
        return true;
    };
    if !last.is_ascii_alphanumeric() {
        return true;
    }
    // The character before the word may be wider than a byte (`请j line:`).
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_ascii_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    matches!(
        &before[word_start..],
        "my" | "our" | "add" | "me" | "on" | "via" | "or" | "and" | "id"
    )
}

/// (an account word announces the number, an order/tracking word precedes it) within a short window before `pos`.
pub(super) fn context_before(cues: &[(Range<usize>, Cue)], pos: usize) -> (bool, bool) {
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

/// Every occurrence of the cue words in `folded`, as the detector's keyword automaton reports them.
#[cfg(test)]
pub(super) fn cue_occurrences(folded: &str) -> Vec<(u32, u32, u32)> {
    let ac = aho_corasick::AhoCorasick::new(cue_words()).expect("cue words build");
    ac.find_overlapping_iter(folded)
        .map(|m| (m.start() as u32, m.end() as u32, m.pattern().as_u32()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Folder;
    use aho_corasick::{AhoCorasick, MatchKind};

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

    #[test]
    fn latin_cues_stand_alone() {
        assert!(cue_boundaries_ok(b"wx 1", 0, 2, "wx"));
        assert!(!cue_boundaries_ok(b"twx 1", 1, 3, "wx"));
        assert!(!cue_boundaries_ok(b"@qq.com", 1, 3, "qq"));
        assert!(!cue_boundaries_ok(b"wait", 0, 2, "wa"));
        assert!(!cue_boundaries_ok(b"wa.me/1", 0, 2, "wa"));
        assert!(cue_boundaries_ok("加微信".as_bytes(), 3, 9, "微信"));
        assert!(line_colon_context_ok("line: x", 0));
        assert!(line_colon_context_ok("my line: x", 3));
        assert!(!line_colon_context_ok("product line: x", 8));
        // A wide character before the word (this panicked once).
        assert!(!line_colon_context_ok("请j line: x", 5));
        assert!(line_colon_context_ok("请my line: x", 6));
    }
}
