//! Other spellings of a folded lexicon term that the keyword automaton also matches, so that a lexicon lists a
//! term once: English contractions either way (`can't` ↔ `cannot`), inflections where the lexicon asks for them
//! (`paying`, `accounts`), the forms chat English writes (no inner article, no apostrophe, `2` / `4` for to / for)
//! and the forms chat Chinese writes to slip past a platform's word filter (one character in pinyin: `转zhang`,
//! `私hu`, `s户`). Forms are added at build time as extra literals, so folding and the scan path are untouched.

/// Every extra form of a folded term: its English inflections when its lexicon asks for them
/// ([`crate::inflect`]), the other spelling of its contractions (`can't` ↔ `cannot`, `can not`; `do not` ↔
/// `don't`), the chat-English forms of all these, and its pinyin forms, each different from the term.
pub(crate) fn extra_forms(folded: &str, inflect: bool) -> Vec<String> {
    let mut bases = vec![folded.to_string()];
    if inflect {
        bases.extend(inflected_forms(folded));
    }
    for i in 0..bases.len() {
        let other = contraction_forms(&bases[i]);
        bases.extend(other);
    }
    let mut out = Vec::new();
    for form in bases {
        out.extend(chat_forms(&form));
        out.push(form);
    }
    out.retain(|f| f != folded);
    out.extend(pinyin_forms(folded));
    out.sort_unstable();
    out.dedup();
    out
}

/// Characters of the scam vocabulary that chat Chinese writes in pinyin to slip a word past a platform's filter
/// (`打kuan`, `转zhang`, `私xia`, `冻jie`, `feng控`, `走s户`: glossary, "Pinyin" lines), with their syllable.
/// Characters only: a whole word in pinyin or initials (`zfb`, `bzj`) collides with other words and is a lexicon
/// term where it is safe.
const PINYIN: &[(char, &str)] = &[
    ('转', "zhuan"),
    ('账', "zhang"),
    ('帐', "zhang"),
    ('款', "kuan"),
    ('付', "fu"),
    ('汇', "hui"),
    ('打', "da"),
    ('钱', "qian"),
    ('私', "si"),
    ('下', "xia"),
    ('线', "xian"),
    ('户', "hu"),
    ('号', "hao"),
    ('卡', "ka"),
    ('冻', "dong"),
    ('结', "jie"),
    ('风', "feng"),
    ('控', "kong"),
    ('票', "piao"),
    ('税', "shui"),
    ('发', "fa"),
    ('微', "wei"),
    ('信', "xin"),
    ('扣', "kou"),
    ('加', "jia"),
    ('聊', "liao"),
    ('仿', "fang"),
    ('高', "gao"),
    ('货', "huo"),
    ('退', "tui"),
    ('评', "ping"),
    ('保', "bao"),
    ('证', "zheng"),
    ('押', "ya"),
    ('现', "xian"),
    ('金', "jin"),
    ('链', "lian"),
    ('接', "jie"),
    ('码', "ma"),
    ('牌', "pai"),
    ('标', "biao"),
    ('便', "bian"),
    ('宜', "yi"),
    ('惠', "hui"),
    ('支', "zhi"),
    ('宝', "bao"),
    ('群', "qun"),
    ('诉', "su"),
    ('投', "tou"),
    ('纠', "jiu"),
    ('纷', "fen"),
    ('原', "yuan"),
    ('单', "dan"),
    ('假', "jia"),
    ('冒', "mao"),
    ('刻', "ke"),
    ('复', "fu"),
    ('激', "ji"),
    ('活', "huo"),
    ('解', "jie"),
    ('费', "fei"),
    ('关', "guan"),
    ('海', "hai"),
    ('收', "shou"),
];

/// The forms of a folded Chinese term with one of its characters written as its pinyin syllable or its initial
/// (`私户` → `si户`, `s户`, `私hu`, `私h`), and the syllable with spaces around it (`si 户`, `私 hu`). Only terms of two or more Han characters, and only a character whose
/// neighbours in the term are no ASCII letters or digits (the pinyin would glue onto them).
fn pinyin_forms(folded: &str) -> Vec<String> {
    let chars: Vec<char> = folded.chars().collect();
    if chars.iter().filter(|&&c| crate::normalize::is_han(c)).count() < 2 {
        return Vec::new();
    }
    let glued = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(char::is_ascii_alphanumeric);
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let Some(&(_, syllable)) = PINYIN.iter().find(|&&(h, _)| h == c) else {
            continue;
        };
        if glued(i.checked_sub(1)) || glued(Some(i + 1)) {
            continue;
        }
        // `v` for 微 is the chat spelling of WeChat's initial (`V信`, `vx`), beside the pinyin `w`.
        let extra = if c == '微' { Some("v") } else { None };
        for written in [syllable, &syllable[..1]].into_iter().chain(extra) {
            let mut form: String = chars[..i].iter().collect();
            form.push_str(written);
            form.extend(&chars[i + 1..]);
            out.push(form);
        }
        // Typed with spaces around it (`走 si 户`, `私 hu`); a lone initial needs no form, folding joins it
        // (`s 户` is `s户`).
        let left = if i > 0 && chars[i - 1] != ' ' { " " } else { "" };
        let right = if i + 1 < chars.len() && chars[i + 1] != ' ' {
            " "
        } else {
            ""
        };
        let mut form: String = chars[..i].iter().collect();
        form.push_str(left);
        form.push_str(syllable);
        form.push_str(right);
        form.extend(&chars[i + 1..]);
        out.push(form);
    }
    out
}

/// The shortened forms of a folded term that chat English writes: without its inner articles, without its
/// apostrophes, and without both; each different from the term and from each other.
pub(crate) fn chat_forms(folded: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let short = without_articles(folded);
    for form in [Some(folded), short.as_deref()].into_iter().flatten() {
        if let Some(bare) = without_apostrophes(form) {
            out.push(bare);
        }
        if let Some(digits) = digit_words(form) {
            out.push(digits);
        }
    }
    out.extend(short);
    out.retain(|f| f != folded);
    out.sort_unstable();
    out.dedup();
    out
}

/// English contractions and what they stand for: one spelling is as likely as the other, in every kind of term
/// (a request, a refusal, a warning), so a lexicon lists one. `'d` and `'s` as "has" are left out (`i'd` is "I
/// would" or "I had").
const CONTRACTIONS: &[(&str, &[&str])] = &[
    ("can't", &["cannot", "can not"]),
    ("won't", &["will not"]),
    ("don't", &["do not"]),
    ("doesn't", &["does not"]),
    ("didn't", &["did not"]),
    ("isn't", &["is not"]),
    ("aren't", &["are not"]),
    ("wasn't", &["was not"]),
    ("haven't", &["have not"]),
    ("hasn't", &["has not"]),
    ("shouldn't", &["should not"]),
    ("couldn't", &["could not"]),
    ("wouldn't", &["would not"]),
    ("i'm", &["i am"]),
    ("you're", &["you are"]),
    ("we're", &["we are"]),
    ("they're", &["they are"]),
    ("it's", &["it is"]),
    ("that's", &["that is"]),
    ("there's", &["there is"]),
    ("i'll", &["i will"]),
    ("you'll", &["you will"]),
    ("we'll", &["we will"]),
    ("it'll", &["it will"]),
    ("i've", &["i have"]),
    ("we've", &["we have"]),
];

/// The term with one contraction spelled out (`can't pay` → `cannot pay`, `can not pay`) or one spelled-out pair
/// contracted (`do not pay` → `don't pay`), one place at a time.
fn contraction_forms(folded: &str) -> Vec<String> {
    let words: Vec<&str> = folded.split(' ').collect();
    let mut out = Vec::new();
    for i in 0..words.len() {
        for &(short, long) in CONTRACTIONS {
            for l in long {
                if words[i] == short {
                    out.push(replaced(&words, i..i + 1, l));
                }
                let n = l.split(' ').count();
                if words.get(i..i + n).is_some_and(|run| run.join(" ") == *l) {
                    out.push(replaced(&words, i..i + n, short));
                }
            }
        }
    }
    out.retain(|f| f != folded);
    out
}

/// The term with one word at a time in another of its English forms ([`crate::inflect::word_forms`]: `pay to my
/// account` → `paying to my account`, `pay to my accounts`), each form once and none equal to the term. One word
/// at a time, so that a term gains a few forms and not their product.
fn inflected_forms(folded: &str) -> Vec<String> {
    let words: Vec<&str> = folded.split(' ').collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        for form in crate::inflect::word_forms(w) {
            out.push(replaced(&words, i..i + 1, &form));
        }
    }
    out.retain(|f| f != folded);
    out.sort_unstable();
    out.dedup();
    out
}

/// `words` joined by spaces, with the words in `range` replaced by `with`.
fn replaced(words: &[&str], range: std::ops::Range<usize>, with: &str) -> String {
    let mut out = Vec::with_capacity(words.len());
    out.extend_from_slice(&words[..range.start]);
    out.push(with);
    out.extend_from_slice(&words[range.end..]);
    out.join(" ")
}

/// A folded term without its apostrophes (`can't receive` → `cant receive`, `accountant's card` →
/// `accountants card`), when that cannot make another common word of a one-word term: a one-word term loses its
/// apostrophe only in a negative contraction (`won't` → `wont`, but `we're` is not `were`, `i'd` not `id`).
fn without_apostrophes(folded: &str) -> Option<String> {
    // Only an apostrophe inside a word: a quote around a phrase (`'pay now'`, the button) means the quote.
    let chars: Vec<char> = folded.chars().collect();
    let inner = |i: usize| {
        chars[i] == '\''
            && i > 0
            && chars[i - 1].is_ascii_alphabetic()
            && chars.get(i + 1).is_some_and(char::is_ascii_alphabetic)
    };
    if !(0..chars.len()).any(inner) || (!folded.contains(' ') && !folded.ends_with("n't")) {
        return None;
    }
    Some((0..chars.len()).filter(|&i| !inner(i)).map(|i| chars[i]).collect())
}

/// A folded term with an inner `to` / `for` written `2` / `4` (`send to my account` → `send 2 my account`).
fn digit_words(folded: &str) -> Option<String> {
    map_inner_words(folded, |w| match w {
        "to" => Some(Some("2")),
        "for" => Some(Some("4")),
        _ => None,
    })
}

/// A folded term without its inner articles (`the`, `a`, `an` between two words): `close the dispute` →
/// `close dispute`; `None` when it has none. An article at either end stays (`the platform` is not `platform`).
fn without_articles(folded: &str) -> Option<String> {
    map_inner_words(folded, |w| matches!(w, "the" | "a" | "an").then_some(None))
}

/// The term with its inner words (neither first nor last) rewritten by `f`: `Some(Some(w))` replaces a word,
/// `Some(None)` drops it, `None` keeps it. `None` when nothing changed.
fn map_inner_words<'a>(folded: &'a str, f: impl Fn(&str) -> Option<Option<&'a str>>) -> Option<String> {
    let words: Vec<&str> = folded.split(' ').collect();
    let last = words.len().saturating_sub(1);
    let mut changed = false;
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    for (i, &w) in words.iter().enumerate() {
        match f(w).filter(|_| i > 0 && i < last) {
            Some(new) => {
                changed = true;
                out.extend(new);
            }
            None => out.push(w),
        }
    }
    changed.then(|| out.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_articles_are_optional_in_terms() {
        let table: &[(&str, Option<&str>)] = &[
            ("close the dispute", Some("close dispute")),
            ("send as a gift", Some("send as gift")),
            ("pay to an agent", Some("pay to agent")),
            ("the platform", None),
            ("pay the", None),
            ("cancel the refund the request", Some("cancel refund request")),
            ("wechat", None),
            ("加 wechat", None),
            ("there is another", None),
        ];
        for &(term, want) in table {
            assert_eq!(without_articles(term).as_deref(), want, "{term:?}");
        }
        let forms: &[(&str, &[&str])] = &[
            (
                "can't receive the payment",
                &[
                    "can't receive payment",
                    "cant receive payment",
                    "cant receive the payment",
                ],
            ),
            ("won't", &["wont"]),
            ("we're", &[]),
            ("i'd", &[]),
            ("my cousin's account", &["my cousins account"]),
            ("close the dispute", &["close dispute"]),
            (
                "send the money to my account",
                &[
                    "send money 2 my account",
                    "send money to my account",
                    "send the money 2 my account",
                ],
            ),
            ("pay to", &[]),
            ("wechat", &[]),
            ("'pay now'", &[]),
            ("老板's 卡", &[]),
            ("we can't 收款", &["we cant 收款"]),
        ];
        for &(term, want) in forms {
            assert_eq!(chat_forms(term), want, "{term:?}");
        }
    }

    #[test]
    fn one_word_of_a_term_changes_at_a_time() {
        let table: &[(&str, &[&str])] = &[
            (
                "pay to my account",
                &["pay to my accounts", "paying to my account", "pays to my account"],
            ),
            ("already paid", &[]),
            ("payment received", &["payments received"]),
            ("转账 to my account", &["转账 to my accounts"]),
            ("wechat", &[]),
        ];
        for &(term, want) in table {
            assert_eq!(inflected_forms(term), want, "{term:?}");
        }
    }

    #[test]
    fn contractions_are_spelled_either_way() {
        let table: &[(&str, &[&str])] = &[
            ("we can't accept", &["we can not accept", "we cannot accept"]),
            ("do not pay outside", &["don't pay outside"]),
            ("it is safe", &["it's safe"]),
            ("can not", &["can't"]),
            ("cannot", &["can't"]),
            ("i'd", &[]),
            ("don't", &["do not"]),
            ("wechat", &[]),
        ];
        for &(term, want) in table {
            let mut got = contraction_forms(term);
            got.sort_unstable();
            assert_eq!(got, want, "{term:?}");
        }
        // The spelled-out form also gets its chat forms (`cant` comes from `can't` itself).
        assert!(extra_forms("we can't accept the payment", false).contains(&"we cannot accept payment".to_string()));
    }

    #[test]
    fn one_character_may_be_written_in_pinyin() {
        let table: &[(&str, &[&str])] = &[
            ("私户", &["si 户", "si户", "s户", "私 hu", "私h", "私hu"]),
            (
                "转账给我",
                &[
                    "zhuan 账给我",
                    "zhuan账给我",
                    "z账给我",
                    "转 zhang 给我",
                    "转zhang给我",
                    "转z给我",
                ],
            ),
            ("户", &[]),
            (
                "私人户口",
                &["si 人户口", "si人户口", "s人户口", "私人 hu 口", "私人hu口", "私人h口"],
            ),
            ("qq号", &[]),
            ("加 wechat", &[]),
            ("好的", &[]),
            ("加微", &["jia 微", "jia微", "j微", "加 wei", "加v", "加w", "加wei"]),
        ];
        for &(term, want) in table {
            let mut got = pinyin_forms(term);
            got.sort_unstable();
            assert_eq!(got, want, "{term:?}");
        }
    }
}
