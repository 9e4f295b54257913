//! # redflag-ffi
//!
//! A C ABI for [`redflag`], for services and notebooks written in other languages (C, C++, Go with cgo, Java with
//! JNA/Panama, Python with `ctypes`). The header is `include/redflag.h`; `README.md` shows C and Python use.
//!
//! - A detector is an opaque `RedflagDetector *`, built with [`redflag_detector_new`] or
//!   [`redflag_detector_from_toml`], freed with [`redflag_detector_free`]. It may be used from any number of
//!   threads at once; [`redflag_detector_reload_dir`] swaps its rules atomically while it serves scans.
//! - [`redflag_scan_json`] returns one message's report as JSON: the same object, byte for byte, as a line of the
//!   `scan` CLI's `--format jsonl --lines` output ([`redflag_chat::json::message_json`]). Free it with
//!   [`redflag_string_free`].
//! - No function panics across the boundary or has undefined behaviour on a null pointer or invalid UTF-8: null
//!   arguments give an error (`{"error": "..."}` from `redflag_scan_json`, `NULL` or `-1` elsewhere) and text is
//!   decoded lossily.
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(missing_docs)]

use std::borrow::Cow;
use std::ffi::{c_char, c_int, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use redflag::{Detector, DetectorHandle};

/// An opaque detector: a [`DetectorHandle`], so that its rules can be reloaded while other threads scan.
pub struct RedflagDetector {
    handle: DetectorHandle,
}

/// Runs `f`, turning a panic into `fallback()` so that no panic unwinds into the caller's frames.
fn guard<T>(fallback: impl FnOnce() -> T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| fallback())
}

/// A newly allocated C string of `s` (NUL bytes, which C strings cannot hold, become U+FFFD).
fn c_string(s: &str) -> *mut c_char {
    let owned = match CString::new(s) {
        Ok(c) => c,
        Err(_) => CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default(),
    };
    owned.into_raw()
}

/// The JSON `redflag_scan_json` returns instead of a message's object when it cannot scan.
#[derive(serde::Serialize)]
struct ErrorRecord<'a> {
    /// What went wrong.
    error: &'a str,
}

/// `{"error": message}` as a newly allocated C string.
fn error_json(message: &str) -> *mut c_char {
    // Serializing a struct of one string cannot fail.
    c_string(&serde_json::to_string(&ErrorRecord { error: message }).unwrap_or_default())
}

/// Stores a newly allocated copy of `message` in `*error`, when `error` is not null.
///
/// # Safety
///
/// `error` is null or valid for a write of one pointer.
unsafe fn set_error(error: *mut *mut c_char, message: &str) {
    if !error.is_null() {
        // SAFETY: non-null, and the caller guarantees it is valid for writes.
        unsafe { error.write(c_string(message)) };
    }
}

/// The `len` bytes at `ptr`, or `None` when `ptr` is null (and `len` is not 0) or `len` is too large.
///
/// # Safety
///
/// When `ptr` is not null, it is valid for reads of `len` bytes that are not mutated during the call.
unsafe fn bytes<'a>(ptr: *const c_char, len: usize) -> Option<&'a [u8]> {
    if ptr.is_null() {
        return (len == 0).then_some(&[]);
    }
    if len > isize::MAX as usize {
        return None;
    }
    // SAFETY: non-null, length within isize::MAX, valid for reads of `len` bytes per the caller's contract.
    Some(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) })
}

/// A new detector with the built-in rules. Never `NULL` except if building them panicked (a defect).
#[no_mangle]
pub extern "C" fn redflag_detector_new() -> *mut RedflagDetector {
    guard(std::ptr::null_mut, || {
        Box::into_raw(Box::new(RedflagDetector {
            handle: DetectorHandle::new(Detector::new()),
        }))
    })
}

/// A new detector with the built-in rules plus the rules of the TOML text `toml` (`len` bytes, not necessarily
/// NUL-terminated; a rule with a built-in id replaces it). On error returns `NULL` and, when `error` is not
/// `NULL`, sets `*error` to a newly allocated message (free it with [`redflag_string_free`]); `*error` is left
/// untouched on success.
///
/// # Safety
///
/// `toml` is null (an error unless `len` is 0) or valid for reads of `len` bytes; `error` is null or valid for a
/// write of one pointer.
#[no_mangle]
pub unsafe extern "C" fn redflag_detector_from_toml(
    toml: *const c_char,
    len: usize,
    error: *mut *mut c_char,
) -> *mut RedflagDetector {
    let built = guard(
        || Err("internal error: panic while building the detector".to_string()),
        || {
            // SAFETY: forwarded from this function's contract.
            let Some(raw) = (unsafe { bytes(toml, len) }) else {
                return Err("toml is NULL".to_string());
            };
            let text = std::str::from_utf8(raw).map_err(|e| format!("<inline>: rule text is not valid UTF-8: {e}"))?;
            Detector::builder()
                .add_rules_toml(text)
                .and_then(|b| b.build())
                .map_err(|e| e.to_string())
        },
    );
    match built {
        Ok(detector) => Box::into_raw(Box::new(RedflagDetector {
            handle: DetectorHandle::new(detector),
        })),
        Err(message) => {
            // SAFETY: forwarded from this function's contract.
            unsafe { set_error(error, &message) };
            std::ptr::null_mut()
        }
    }
}

/// Frees a detector. `NULL` is ignored.
///
/// # Safety
///
/// `detector` is null or was returned by `redflag_detector_new` / `redflag_detector_from_toml`, has not been
/// freed, and no other thread is using it.
#[no_mangle]
pub unsafe extern "C" fn redflag_detector_free(detector: *mut RedflagDetector) {
    if detector.is_null() {
        return;
    }
    // SAFETY: the caller hands back ownership of a pointer from Box::into_raw, exactly once.
    let owned = unsafe { Box::from_raw(detector) };
    guard(|| (), move || drop(owned));
}

/// Scans the `len` bytes at `text` (UTF-8; invalid sequences are replaced by U+FFFD) and returns a newly
/// allocated, NUL-terminated JSON object: `{"entities":[{"end","kind","start","value"}],
/// "findings":[{"category","end","rule","severity","start","text"}], "index":0,"line":1,"risk","sender":null,
/// "text","time":null}`, the CLI's `--format jsonl --lines` line for that text. With a null `detector`, or a null `text` and a `len` that is not 0, returns `{"error":"..."}`.
/// Free the result with [`redflag_string_free`]. Safe to call from many threads on one detector.
///
/// # Safety
///
/// `detector` is null or a live detector; `text` is null or valid for reads of `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn redflag_scan_json(
    detector: *const RedflagDetector,
    text: *const c_char,
    len: usize,
) -> *mut c_char {
    guard(
        || error_json("internal error: panic while scanning"),
        || {
            // SAFETY: null or a live detector (caller's contract); shared access only.
            let Some(detector) = (unsafe { detector.as_ref() }) else {
                return error_json("detector is NULL");
            };
            // SAFETY: forwarded from this function's contract.
            let Some(raw) = (unsafe { bytes(text, len) }) else {
                return error_json("text is NULL");
            };
            let text: Cow<'_, str> = String::from_utf8_lossy(raw);
            let report = detector.handle.scan(&text);
            c_string(&redflag_chat::json::message_json(0, 1, None, None, &text, &report))
        },
    )
}

/// Replaces the detector's rules, atomically, by the built-in rules plus every `*.toml` file in the directory
/// `dir` (a NUL-terminated path). Scans running on other threads finish with the old rules; later scans use the
/// new ones. Returns 0 on success; on error returns -1, keeps the old rules and, when `error` is not `NULL`, sets
/// `*error` to a newly allocated message (free it with [`redflag_string_free`]).
///
/// # Safety
///
/// `detector` is null or a live detector; `dir` is null or a NUL-terminated string; `error` is null or valid for a
/// write of one pointer.
#[no_mangle]
pub unsafe extern "C" fn redflag_detector_reload_dir(
    detector: *mut RedflagDetector,
    dir: *const c_char,
    error: *mut *mut c_char,
) -> c_int {
    let result = guard(
        || Err("internal error: panic while reloading".to_string()),
        || {
            // SAFETY: null or a live detector (caller's contract); the handle only needs shared access.
            let Some(detector) = (unsafe { detector.cast_const().as_ref() }) else {
                return Err("detector is NULL".to_string());
            };
            if dir.is_null() {
                return Err("dir is NULL".to_string());
            }
            // SAFETY: non-null and NUL-terminated per the caller's contract.
            let dir = unsafe { CStr::from_ptr(dir) };
            detector.handle.reload_dir(path_of(dir)).map_err(|e| e.to_string())
        },
    );
    match result {
        Ok(()) => 0,
        Err(message) => {
            // SAFETY: forwarded from this function's contract.
            unsafe { set_error(error, &message) };
            -1
        }
    }
}

/// A path from C bytes: as is on Unix, lossily decoded elsewhere.
fn path_of(dir: &CStr) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(dir.to_bytes()))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(dir.to_string_lossy().into_owned())
    }
}

/// Frees a string returned by this library (`redflag_scan_json`, or an `error` message). `NULL` is ignored.
///
/// # Safety
///
/// `s` is null or a string returned by this library that has not been freed yet.
#[no_mangle]
pub unsafe extern "C" fn redflag_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    // SAFETY: the caller hands back ownership of a pointer from CString::into_raw, exactly once.
    drop(unsafe { CString::from_raw(s) });
}

/// The library's version, e.g. `"0.1.0"`: a static NUL-terminated string, not to be freed.
#[no_mangle]
pub extern "C" fn redflag_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
