//! A whole chat through the buyer's report: parse (auto-detected format), scan as a conversation, build the report
//! and render the HTML page. No panic; every concern's span lies in its message; the page has no script element and
//! its highlights never nest (so text from the chat can never open a tag of its own).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use redflag::{Detector, Role};
use redflag_chat::{parse, InputFormat};
use redflag_report::{html, ChatReport};

static DETECTOR: LazyLock<Detector> = LazyLock::new(Detector::new);

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut convo = DETECTOR.conversation();
    let mut builder = ChatReport::builder();
    builder.keep_all(true);
    for m in parse(&text, InputFormat::Auto) {
        if m.system {
            builder.push_system(&m);
        } else {
            builder.push(&m, Role::Unknown, &convo.push(Role::Unknown, &m.text));
        }
    }
    let report = builder.finish(&convo);
    for m in &report.messages {
        for c in &m.concerns {
            assert!(m.text.get(c.span.clone()).is_some() && m.text.get(c.cover.clone()).is_some());
        }
    }
    let page = html::render(&report, &text);
    assert!(!page.to_ascii_lowercase().contains("<script"));
    assert_eq!(page.matches("<mark").count(), page.matches("</mark>").count());
});
