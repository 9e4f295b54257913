//! Property tests: no input makes `scan` panic, and every span is a valid, non-empty range of the input on char
//! boundaries.

use proptest::prelude::*;
use redflag::{Detector, Report};
use std::sync::LazyLock;

static DETECTOR: LazyLock<Detector> = LazyLock::new(Detector::new);

fn check(text: &str) -> Report {
    let r = DETECTOR.scan(text);
    for f in r.findings() {
        let s = f.span();
        assert!(s.start < s.end && s.end <= text.len(), "{s:?} in {} bytes", text.len());
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{s:?} in {text:?}"
        );
    }
    r
}

/// Pieces that exercise folding and confirmation: keywords, separators, look-alikes, numerals, marks.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<char>().prop_map(String::from),
        prop::sample::select(vec![
            "wechat",
            "微信",
            "薇信",
            "vx",
            "whatsapp",
            "wh@tsapp",
            "personal account",
            "个人账户",
            "私户",
            "不开票",
            "1:1",
            "aaa",
            "logo",
            "western union",
            "帳戶",
            "維護",
            "close the dispute",
            "确认收货",
            "保证金",
            "today",
            "t.me/",
            "http://",
            "alibaba",
            "а",
            "е",
            "о",
            "ο",
            "①",
            "⑴",
            "一三九",
            "１３８",
            "\u{200b}",
            "\u{301}",
            "\u{fe0f}",
            "❤",
            "👆",
            " ",
            "  ",
            ".",
            "-",
            "_",
            "/",
            "*",
            "|",
            "@",
            "$",
            "!",
            "\n",
            "，",
            "。",
            "I",
            "l",
            "1",
            "0",
            "3",
            "aaa",
            "ｗ",
            "𝐰",
            "ﬁ",
            "가",
            "が",
            // Entity cues and what sits around them (a wide character before a cue's word once panicked).
            "line:",
            " line: ",
            "qq:",
            "tel:",
            "wa.me/",
            "skype:",
            "id:",
            "my ",
            "请",
            "j",
            "13812345678",
            "6222 0212 3456 7890",
            "@gmail.com",
            "TRC20 ",
            "\u{10ffff}",
            "\u{7f}",
            "\u{0}",
        ])
        .prop_map(str::to_string),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings(s in any::<String>()) {
        check(&s);
    }

    #[test]
    fn keyword_soup(parts in prop::collection::vec(piece(), 0..60)) {
        check(&parts.concat());
    }
}

#[test]
fn all_of_unicode() {
    let chars: Vec<char> = (0..=0x10ffffu32).filter_map(char::from_u32).collect();
    for chunk in chars.chunks(4096) {
        let s: String = chunk.iter().collect();
        check(&s);
        let spaced: String = chunk.iter().flat_map(|&c| [c, ' ']).collect();
        check(&spaced);
    }
}

#[test]
fn lone_combining_marks_and_format_characters() {
    for s in [
        "\u{301}",
        "\u{301}\u{301}\u{301}",
        "\u{200d}",
        "\u{fe0f}wechat",
        "微\u{200d}信",
        "\u{e0001}",
    ] {
        check(s);
    }
}

#[test]
fn very_long_lines_cross_piece_boundaries() {
    // Over 1 MiB, so the text is folded in pieces; a scam near the cut is still found with a valid span.
    let mut s = "好".repeat(400_000);
    s.push_str(" 请转到我个人账户 ");
    s.push_str(&"x".repeat(300_000));
    let r = check(&s);
    assert!(r.is_alert());
    let long_word = "w".repeat(2_500_000);
    check(&long_word);
}

#[test]
fn many_hits_and_cues_in_one_long_text_stay_linear() {
    // Every clause has a keyword hit and a negation cue: the context stage must not compare every cue with every
    // finding. (Not a timing assertion: a quadratic stage would make this test run for hours.)
    let text = "don't add my wechat abc_123, then pay to my personal account. scams are everywhere! ".repeat(20_000);
    let r = check(&text);
    assert!(r.findings().len() >= 20_000, "{}", r.findings().len());
}
