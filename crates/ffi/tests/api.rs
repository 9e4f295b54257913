//! The C API called in-process: ownership, null pointers, invalid UTF-8, errors, threads, reloads.

use std::ffi::{c_char, CStr};
use std::ptr;

use redflag_ffi::*;

mod common;
use common::GIFT_CARDS;

/// Takes ownership of a string returned by the library: its text, then frees it.
fn take(p: *mut c_char) -> String {
    assert!(!p.is_null());
    // SAFETY: a live, NUL-terminated string from the library, freed exactly once here.
    unsafe {
        let s = CStr::from_ptr(p).to_str().expect("UTF-8").to_string();
        redflag_string_free(p);
        s
    }
}

fn scan(d: *const RedflagDetector, text: &[u8]) -> serde_json::Value {
    // SAFETY: `text` is valid for `text.len()` bytes; `d` is null or live (checked by the callers).
    let p = unsafe { redflag_scan_json(d, text.as_ptr().cast(), text.len()) };
    serde_json::from_str(&take(p)).expect("JSON")
}

const GIFT: &[u8] = b"please send the balance in iTunes gift cards";

#[test]
fn scan_returns_the_cli_object() {
    let d = redflag_detector_new();
    assert!(!d.is_null());
    let v = scan(d, "亲，公司账户在年审，这次货款先转我们会计的个人卡".as_bytes());
    assert_eq!(v["risk"], "high");
    assert_eq!(v["index"], 0);
    assert_eq!(v["line"], 1);
    assert!(v["sender"].is_null() && v["time"].is_null());
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["category"] == "off_platform_payment"));
    // Not NUL-terminated: only `len` bytes are read.
    let text = b"add me on wechat: lily_88 and then some";
    // SAFETY: valid for 25 bytes.
    let p = unsafe { redflag_scan_json(d, text.as_ptr().cast(), 25) };
    let v: serde_json::Value = serde_json::from_str(&take(p)).unwrap();
    assert_eq!(v["text"], "add me on wechat: lily_88");
    // SAFETY: from redflag_detector_new, freed once.
    unsafe { redflag_detector_free(d) };
}

#[test]
fn nulls_and_invalid_utf8_never_crash() {
    let d = redflag_detector_new();
    assert!(scan(ptr::null(), b"hello")["error"].is_string());
    // SAFETY: null text with a non-zero length is reported, not read.
    let v: serde_json::Value = serde_json::from_str(&take(unsafe { redflag_scan_json(d, ptr::null(), 5) })).unwrap();
    assert!(v["error"].as_str().unwrap().contains("text"));
    // SAFETY: null text with length 0 is the empty text.
    let v: serde_json::Value = serde_json::from_str(&take(unsafe { redflag_scan_json(d, ptr::null(), 0) })).unwrap();
    assert_eq!(v["text"], "");
    assert_eq!(v["risk"], "none");

    let v = scan(d, b"\xff\xfeadd me on wechat: lily_88 \xc3");
    let text = v["text"].as_str().unwrap();
    assert!(
        text.starts_with("\u{FFFD}\u{FFFD}add me") && text.ends_with('\u{FFFD}'),
        "{text}"
    );
    let f = &v["findings"][0];
    assert_eq!(f["category"], "contact_move");
    let (a, b) = (
        f["start"].as_u64().unwrap() as usize,
        f["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(f["text"], &text[a..b], "spans index the lossy text");
    // NUL bytes inside the text are escaped in JSON, so the result stays one C string.
    let v = scan(d, b"pay to my\0personal account");
    assert_eq!(v["text"], "pay to my\0personal account");

    // SAFETY: null is ignored by both.
    unsafe {
        redflag_string_free(ptr::null_mut());
        redflag_detector_free(ptr::null_mut());
    }
    let mut err: *mut c_char = ptr::null_mut();
    // SAFETY: null detector / dir are reported through `err`, a valid out pointer.
    unsafe {
        assert_eq!(
            redflag_detector_reload_dir(ptr::null_mut(), c"/tmp".as_ptr(), &mut err),
            -1
        );
        assert!(take(err).contains("detector"));
        assert_eq!(redflag_detector_reload_dir(d, ptr::null(), ptr::null_mut()), -1);
        assert!(redflag_detector_from_toml(ptr::null(), 3, ptr::null_mut()).is_null());
        redflag_detector_free(d);
    }
}

#[test]
fn from_toml_adds_rules_and_reports_errors() {
    let mut err: *mut c_char = ptr::null_mut();
    // SAFETY: a valid buffer and out pointer.
    let d = unsafe { redflag_detector_from_toml(GIFT_CARDS.as_ptr().cast(), GIFT_CARDS.len(), &mut err) };
    assert!(!d.is_null() && err.is_null());
    assert_eq!(scan(d, GIFT)["findings"][0]["rule"], "off_platform_payment.gift_cards");
    // Built-in rules are still there.
    assert_eq!(scan(d, b"pay to my personal account")["risk"], "high");

    let bad = "[[rule]]\nid = 1\n";
    // SAFETY: a valid buffer and out pointer.
    let none = unsafe { redflag_detector_from_toml(bad.as_ptr().cast(), bad.len(), &mut err) };
    assert!(none.is_null());
    let message = take(err);
    assert!(message.starts_with("<inline>:2"), "{message}");
    let bad = b"\xff = 1";
    // SAFETY: a valid buffer; a null `error` is allowed.
    assert!(unsafe { redflag_detector_from_toml(bad.as_ptr().cast(), bad.len(), ptr::null_mut()) }.is_null());
    // SAFETY: from redflag_detector_from_toml, freed once.
    unsafe { redflag_detector_free(d) };
}

#[test]
fn version_is_static() {
    // SAFETY: a static NUL-terminated string.
    let v = unsafe { CStr::from_ptr(redflag_version()) };
    assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}

/// A raw pointer that may be shared: the detector is `Sync`.
#[derive(Clone, Copy)]
struct Shared(*mut RedflagDetector);
// SAFETY: `RedflagDetector` wraps a `DetectorHandle`, which is `Send + Sync`.
unsafe impl Send for Shared {}
// SAFETY: as above.
unsafe impl Sync for Shared {}

impl Shared {
    /// The pointer (a method, so that closures capture the whole `Shared`, not its non-`Send` field).
    fn get(self) -> *mut RedflagDetector {
        self.0
    }
}

#[test]
fn threads_scan_while_rules_are_reloaded() {
    let dir = std::env::temp_dir().join(format!("redflag-ffi-reload-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("gift_cards.toml"), GIFT_CARDS).unwrap();
    let dir_c = std::ffi::CString::new(dir.to_str().unwrap()).unwrap();

    let d = Shared(redflag_detector_new());
    assert!(scan(d.0, GIFT)["findings"].as_array().unwrap().is_empty());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(move || {
                for _ in 0..20 {
                    assert_eq!(scan(d.get(), b"please pay to my personal account")["risk"], "high");
                    let r = scan(d.get(), GIFT)["risk"].clone();
                    assert!(r == "none" || r == "high", "{r}");
                }
            });
        }
        let mut err: *mut c_char = ptr::null_mut();
        // SAFETY: live detector, NUL-terminated path, valid out pointer.
        assert_eq!(unsafe { redflag_detector_reload_dir(d.0, dir_c.as_ptr(), &mut err) }, 0);
        assert!(err.is_null());
        // A failed reload keeps the rules.
        // SAFETY: as above.
        assert_eq!(
            unsafe { redflag_detector_reload_dir(d.0, c"/no/such/dir".as_ptr(), &mut err) },
            -1
        );
        assert!(take(err).contains("/no/such/dir"));
    });
    assert_eq!(scan(d.0, GIFT)["risk"], "high");
    // SAFETY: freed once, after every thread ended.
    unsafe { redflag_detector_free(d.0) };
    let _ = std::fs::remove_dir_all(&dir);
}
