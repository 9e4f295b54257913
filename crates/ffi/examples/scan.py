#!/usr/bin/env python3
"""Scan messages with redflag from Python, using only ctypes from the standard library.

    cargo build -p redflag-ffi
    python3 crates/ffi/examples/scan.py target/debug/libredflag_ffi.so "pls add my wechat lily_88"   # prints the JSON
    python3 crates/ffi/examples/scan.py target/debug/libredflag_ffi.so                              # self-check

The library path may also come from the REDFLAG_LIB environment variable. Without texts, the script runs a
self-check (errors, NULLs, invalid UTF-8, scans from four Python threads) and exits 0 when it passes.
"""

import ctypes
import json
import os
import sys
import threading


class Redflag:
    """A thin wrapper: one detector, freed with the object; every returned string is copied, then freed."""

    def __init__(self, lib_path, rules_toml=None):
        lib = ctypes.CDLL(lib_path)
        # Returned strings are declared as c_void_p, not c_char_p: ctypes would otherwise copy them and lose the
        # pointer that redflag_string_free needs.
        lib.redflag_detector_new.restype = ctypes.c_void_p
        lib.redflag_detector_new.argtypes = []
        lib.redflag_detector_from_toml.restype = ctypes.c_void_p
        lib.redflag_detector_from_toml.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p)]
        lib.redflag_detector_free.restype = None
        lib.redflag_detector_free.argtypes = [ctypes.c_void_p]
        lib.redflag_scan_json.restype = ctypes.c_void_p
        lib.redflag_scan_json.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
        lib.redflag_detector_reload_dir.restype = ctypes.c_int
        lib.redflag_detector_reload_dir.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
        lib.redflag_string_free.restype = None
        lib.redflag_string_free.argtypes = [ctypes.c_void_p]
        lib.redflag_version.restype = ctypes.c_char_p
        lib.redflag_version.argtypes = []
        self._lib = lib
        self._ptr = None
        if rules_toml is None:
            self._ptr = lib.redflag_detector_new()
        else:
            data = rules_toml.encode("utf-8")
            error = ctypes.c_void_p()
            self._ptr = lib.redflag_detector_from_toml(data, len(data), ctypes.byref(error))
            if not self._ptr:
                raise ValueError(self._take(error.value))
        if not self._ptr:
            raise RuntimeError("redflag_detector_new failed")

    def _take(self, ptr):
        """The text of a string returned by the library, which is then freed."""
        if not ptr:
            return None
        try:
            return ctypes.string_at(ptr).decode("utf-8")
        finally:
            self._lib.redflag_string_free(ptr)

    def version(self):
        return self._lib.redflag_version().decode("ascii")

    def scan_raw(self, data, detector=True):
        """The JSON text for `data` (bytes, or None to pass NULL); `detector=False` passes a NULL detector."""
        ptr = self._lib.redflag_scan_json(self._ptr if detector else None, data, len(data) if data is not None else 1)
        return self._take(ptr)

    def scan(self, text):
        """The report of `text` (str or bytes) as a dict."""
        data = text.encode("utf-8") if isinstance(text, str) else text
        return json.loads(self.scan_raw(data))

    def reload_dir(self, path):
        """Replace the rules by the built-in ones plus every *.toml in `path`; raises ValueError on error."""
        error = ctypes.c_void_p()
        if self._lib.redflag_detector_reload_dir(self._ptr, os.fsencode(path), ctypes.byref(error)) != 0:
            raise ValueError(self._take(error.value))

    def close(self):
        if self._ptr:
            self._lib.redflag_detector_free(self._ptr)
            self._ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


GIFT_CARDS = r"""
[[rule]]
id = "off_platform_payment.gift_cards"
category = "off_platform_payment"
severity = "high"
keywords = ["gift cards"]
pattern = '''(?:pay|send)\s.{0,30}gift\s*cards'''
examples.match = ["send me steam gift cards"]
examples.ignore = ["gift cards are sold here"]
"""

CASES = [
    ("亲，公司账户在年审，这次货款先转我们会计的个人卡，不开票还能便宜5个点", "off_platform_payment"),
    ("Alibaba chat is slow, can we continue on WhatsApp? +86 137 2288 4061", "contact_move"),
    ("加我 ｗ.ｅ.ｃ.ｈ.ａ.ｔ: lily_2025", "contact_move"),
    ("please send the balance in iTunes gift cards", "off_platform_payment"),
    ("Price is $2.35/pc FOB Ningbo, MOQ 500.", None),
]


def self_check(lib_path):
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)
            print("FAILED:", what, file=sys.stderr)

    try:
        Redflag(lib_path, "[[rule]]\nid = 1\n")
        check(False, "invalid TOML is refused")
    except ValueError as e:
        check("<inline>" in str(e), "the error names the source: %s" % e)

    with Redflag(lib_path, GIFT_CARDS) as rf:
        for text, category in CASES:
            report = rf.scan(text)
            cats = {f["category"] for f in report["findings"]}
            check(category in cats if category else report["risk"] == "none", "%r -> %r" % (text, report))
            check(report["index"] == 0 and report["line"] == 1 and report["sender"] is None, "CLI fields")
            raw = text.encode("utf-8")
            for f in report["findings"]:
                check(raw[f["start"]:f["end"]].decode("utf-8") == f["text"], "byte spans: %r" % f)

        # Invalid UTF-8 is decoded lossily; NULL arguments give an error object.
        report = rf.scan(b"\xff\xfe add me on wechat: lily_88")
        check(report["text"].startswith("\ufffd") and report["findings"], "lossy text: %r" % report)
        check("error" in json.loads(rf.scan_raw(b"x", detector=False)), "NULL detector")
        check("error" in json.loads(rf.scan_raw(None)), "NULL text")
        try:
            rf.reload_dir("/nonexistent/redflag/rules")
            check(False, "a missing rules directory is an error")
        except ValueError:
            pass
        check(rf.scan("please send the balance in iTunes gift cards")["risk"] == "high", "old rules kept")

        # One detector, four threads (ctypes releases the GIL during the call).
        errors = []

        def worker():
            for _ in range(20):
                for text, category in CASES:
                    cats = {f["category"] for f in rf.scan(text)["findings"]}
                    if category and category not in cats:
                        errors.append(text)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(not errors, "threaded scans: %r" % errors[:3])
        version = rf.version()

    print("redflag %s via ctypes: %s" % (version, "all as expected" if not failures else "FAILURES"))
    return 0 if not failures else 1


def main(argv):
    lib_path = argv[1] if len(argv) > 1 else os.environ.get("REDFLAG_LIB")
    if not lib_path:
        print(__doc__, file=sys.stderr)
        return 2
    texts = argv[2:]
    if not texts:
        return self_check(lib_path)
    with Redflag(lib_path) as rf:
        for text in texts:
            print(rf.scan_raw(text.encode("utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
