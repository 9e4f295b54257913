//! `Detector::scan` on arbitrary bytes made UTF-8: no panic, every span a valid char-boundary range of the text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn detector() -> &'static redflag::Detector {
    static D: OnceLock<redflag::Detector> = OnceLock::new();
    D.get_or_init(redflag::Detector::new)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = detector().scan(&text);
    for f in report.findings() {
        assert!(
            text.get(f.span()).is_some(),
            "finding span {:?} of {:?}",
            f.span(),
            text
        );
    }
    for e in report.entities() {
        assert!(text.get(e.span()).is_some(), "entity span {:?} of {:?}", e.span(), text);
    }
});
