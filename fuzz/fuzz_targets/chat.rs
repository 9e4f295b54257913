//! Every chat-log parser (and auto-detection) on arbitrary text: no panic, every message's line is a line of the
//! input, and the streaming reader gives what `parse` gives.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redflag_chat::{parse, ChatReader, InputFormat};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines = text.split('\n').count();
    for name in InputFormat::NAMES {
        let Ok(format) = name.parse::<InputFormat>() else {
            continue;
        };
        let messages = parse(&text, format);
        for m in &messages {
            assert!(m.line >= 1 && m.line <= lines, "{name}: line {} of {lines} in {m:?}", m.line);
        }
        let streamed: Vec<_> = ChatReader::new(text.as_bytes(), format).map(|m| m.expect("in memory")).collect();
        assert_eq!(streamed, messages, "{name}");
    }
});
