//! Conversation state over whole chat logs (`tests/conversations/*.txt`). Each log starts with
//! `# me: NAME` or `# seller: NAME` and `# expect: risk=… max_message=… escalations=id,id`.

use redflag::{Detector, Risk, Role};
use redflag_chat::{parse, InputFormat};

struct Expect {
    risk: Risk,
    max_message: Risk,
    escalations: Vec<String>,
}

fn header<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# "))
        .find_map(|l| l.strip_prefix(key))
        .map(str::trim)
}

fn expect(text: &str) -> Expect {
    let line = header(text, "expect:").expect("# expect: line");
    let mut e = Expect {
        risk: Risk::None,
        max_message: Risk::None,
        escalations: Vec::new(),
    };
    for part in line.split_whitespace() {
        let (k, v) = part.split_once('=').expect("key=value");
        match k {
            "risk" => e.risk = v.parse().unwrap(),
            "max_message" => e.max_message = v.parse().unwrap(),
            "escalations" => e.escalations = v.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
            _ => panic!("unknown key {k}"),
        }
    }
    e
}

#[test]
fn chat_logs_reach_the_expected_conversation_risk() {
    let detector = Detector::new();
    let dir = crate::root().join("tests/conversations");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut only_whole = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let want = expect(&text);
        let me = header(&text, "me:");
        let seller = header(&text, "seller:");
        let body: String = text
            .lines()
            .filter(|l| !l.starts_with("# "))
            .map(|l| format!("{l}\n"))
            .collect();
        let mut convo = detector.conversation();
        let mut max_message = Risk::None;
        let messages = parse(&body, InputFormat::Auto);
        // The app's own lines (a QQ export's title and rules) have no sender and are no one's words.
        let messages: Vec<_> = messages.into_iter().filter(|m| !m.system).collect();
        assert!(
            messages.iter().all(|m| m.sender.is_some()),
            "{}: unattributed message",
            path.display()
        );
        for m in &messages {
            let sender = m.sender.as_deref();
            let role = match (seller, me) {
                (Some(s), _) if sender == Some(s) => Role::Seller,
                (Some(_), _) => Role::Buyer,
                (None, Some(b)) if sender == Some(b) => Role::Buyer,
                _ => Role::Seller,
            };
            let r = convo.push(role, &m.text);
            if role != Role::Buyer {
                max_message = max_message.max(r.risk());
            }
        }
        let got: Vec<String> = convo.escalations().iter().map(|e| e.rule_id().to_string()).collect();
        let name = path.file_name().unwrap().to_string_lossy();
        if convo.risk() != want.risk || max_message != want.max_message || got != want.escalations {
            failures.push(format!(
                "{name}: risk {} (want {}), max message {} (want {}), escalations {got:?} (want {:?})",
                convo.risk(),
                want.risk,
                max_message,
                want.max_message,
                want.escalations
            ));
        }
        only_whole += usize::from(want.risk == Risk::High && want.max_message < Risk::High);
    }
    assert!(paths.len() >= 6, "at least six conversation logs");
    assert!(
        only_whole >= 3,
        "at least three logs where only the whole conversation is high"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
