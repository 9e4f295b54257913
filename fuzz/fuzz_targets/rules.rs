//! Rule loading on arbitrary TOML: an error or a detector, never a panic; a detector that builds scans its own
//! examples without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(builder) = redflag::Detector::builder().builtin_rules(false).add_rules_toml(text) else {
        return;
    };
    if let Ok(d) = builder.build() {
        for r in d.rules().rules() {
            for ex in r.examples_match().iter().chain(r.examples_ignore()) {
                let _ = d.scan(ex);
            }
        }
    }
});
