//! Arbitrary text in every format: no panic, every message's line is a line of the input, system lines are not
//! counted, and the streaming reader gives what `parse` gives; and the fuzz target's seeds, checked the same way.

use proptest::prelude::*;
use redflag_chat::{parse, ChatReader, InputFormat, Message};

fn check(text: &str) {
    let lines = text.split('\n').count();
    for name in InputFormat::NAMES {
        let format: InputFormat = name.parse().expect("a listed name");
        let messages = parse(text, format);
        let mut next = 0;
        for m in &messages {
            assert!(
                m.line >= 1 && m.line <= lines,
                "{name}: line {} of {lines}: {m:?}",
                m.line
            );
            assert_eq!(m.index, next, "{name}: {m:?}");
            next += usize::from(!m.system);
        }
        let streamed: Vec<Message> = ChatReader::new(text.as_bytes(), format)
            .map(|m| m.expect("in memory"))
            .collect();
        assert_eq!(streamed, messages, "{name}: {text:?}");
    }
}

#[test]
fn fuzz_seeds_parse_in_every_format() {
    // The same seeds `tests/fuzz_seeds.rs` replays for the whole project, checked here with this crate's tests.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds/chat");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("seed entry").path();
        check(&String::from_utf8_lossy(&std::fs::read(&path).expect("seed file")));
        n += 1;
    }
    assert!(n >= 9, "{n} seeds");
}

/// Pieces of every format, so that random joins reach the parsers' branches rather than plain text only.
const PIECES: &[&str] = &[
    "[LINE] Chat history with A",
    "Saved on: 2024/03/12 15:20",
    "2024/03/12(Tue)",
    "2024.03.12 Tuesday",
    "10:00\tA\thi",
    "下午03:15\t\t陳已收回訊息",
    "10:01\tB\t\"open",
    "close\"",
    "\"\"",
    "\"",
    "{",
    "}",
    "{\"messages\": [",
    "{\"type\": \"message\", \"from\": \"A\", \"text\": [\"x\", {\"type\": \"text_link\", \"text\": \"y\", \"href\": \"z\"}]}",
    "{\"type\": \"service\", \"actor\": \"A\", \"text\": \"\"}",
    ",",
    "]}",
    "张三和李四的聊天记录",
    "————— 2024-03-12 —————",
    "张三  15:20",
    "[图片]",
    "- 2024-03-12 15:20:11 张三: 你好",
    "12/03/2025, 10:00 - Lily: hi",
    "\u{200e}[3/12/25, 3:16:00\u{202f}PM] Lily: \u{200e}image omitted",
    "Lily: hi",
    "李经理 2024-01-01 10:00:00",
    "",
    "\r",
    "\u{feff}",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_text_parses_in_every_format(text in "\\PC{0,200}") {
        check(&text);
    }

    #[test]
    fn format_pieces_parse_in_every_format(
        pieces in proptest::collection::vec((0..PIECES.len(), "[ \t\"\n]{0,2}"), 0..24)
    ) {
        let text: String = pieces.iter().map(|(i, glue)| format!("{}{glue}\n", PIECES[*i])).collect();
        check(&text);
    }
}

/// The other party of a one-to-one export: LINE's title in every language, a Telegram personal chat; not a group.
#[test]
fn one_to_one_exports_name_the_other_party() {
    let cases: &[(&str, Option<&str>)] = &[
        ("[LINE] Chat history with Lily Chen\nSaved on: 2024/03/12 15:20\n\n2024/03/12(Tue)\n10:02\tLily Chen\thi\n", Some("Lily Chen")),
        ("[LINE] 與陳小姐（鑫達五金）的聊天記錄\n儲存日期：2024/03/12 15:20\n\n2024/03/12（二）\n10:02\t陳小姐（鑫達五金）\t您好\n", Some("陳小姐（鑫達五金）")),
        ("[LINE] 山田さんとのトーク履歴\n保存日時：2024/03/12 15:20\n\n2024/3/12(火)\n10:02\t山田\tこんにちは\n", Some("山田さん")),
        ("[LINE] Chat history in Packaging Buyers\nSaved on: 2024/03/12 15:20\n\n2024/03/12(Tue)\n10:02\tA\thi\n", None),
        (r#"{"name": "Jason", "type": "personal_chat", "id": 1, "messages": [{"id": 1, "type": "message", "date": "2024-01-01T00:00:00", "from": "Jason", "text": "hi"}]}"#, Some("Jason")),
        (r#"{"name": "Buyers", "type": "private_group", "id": 1, "messages": [{"id": 1, "type": "message", "date": "2024-01-01T00:00:00", "from": "Jason", "text": "hi"}]}"#, None),
        ("Lily: hello\nBob: hi\n", None),
    ];
    for (log, want) in cases {
        let mut r = ChatReader::new(log.as_bytes(), InputFormat::Auto);
        assert!(r.next().is_some(), "{log}");
        assert_eq!(r.peer(), *want, "{log}");
    }
}
