/*
 * redflag.h: C API of redflag, which flags scam pretexts (off-platform payment, moves to WeChat/WhatsApp,
 * tax-invoice and gateway-maintenance pretexts, counterfeit hints, ...) in supplier chat messages.
 *
 * Link with -lredflag_ffi (libredflag_ffi.so / .dylib / redflag_ffi.dll, or the static libredflag_ffi.a, which
 * also needs -lpthread -ldl -lm on Linux).
 *
 * Ownership: every `char *` this library returns is newly allocated and must be released with
 * redflag_string_free (never with free()); redflag_version() returns a static string that must not be freed.
 * A detector is released with redflag_detector_free.
 *
 * Threads: a detector may be used by any number of threads at once (scans never block each other, and
 * redflag_detector_reload_dir swaps the rules atomically while they run). Only redflag_detector_free must not
 * race with other uses of the same detector.
 *
 * Errors: no function crashes on NULL arguments or invalid UTF-8 (decoded lossily); see each function.
 *
 * Licence: MIT OR Apache-2.0.
 */
#ifndef REDFLAG_H
#define REDFLAG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An opaque detector. */
typedef struct RedflagDetector RedflagDetector;

/* A new detector with the built-in rules; free it with redflag_detector_free. */
RedflagDetector *redflag_detector_new(void);

/*
 * A new detector with the built-in rules plus the rules of the TOML text `toml` (`len` bytes, need not be
 * NUL-terminated). On error returns NULL and, if `error` is not NULL, sets `*error` to a newly allocated message
 * (free it with redflag_string_free).
 */
RedflagDetector *redflag_detector_from_toml(const char *toml, size_t len, char **error);

/* Frees a detector; NULL is ignored. */
void redflag_detector_free(RedflagDetector *detector);

/*
 * Scans the `len` bytes at `text` (UTF-8) and returns a newly allocated, NUL-terminated JSON object, the same as
 * one line of `scan --format jsonl --lines`:
 *   {"entities":[{"end":25,"kind":"wechat","start":18,"value":"lily_88"}],
 *    "findings":[{"category":"...","end":30,"rule":"...","severity":"high","start":12,"text":"..."}],
 *    "index":0,"line":1,"risk":"high","sender":null,"text":"...","time":null}
 * Byte offsets `start`/`end` index into the text as given (after replacing invalid UTF-8 by U+FFFD).
 * With a NULL detector, or a NULL text and a non-zero `len`, returns {"error":"..."}.
 * Free the result with redflag_string_free.
 */
char *redflag_scan_json(const RedflagDetector *detector, const char *text, size_t len);

/*
 * Replaces the detector's rules, atomically, by the built-in rules plus every *.toml file in the directory `dir`
 * (NUL-terminated). Returns 0 on success. On error returns -1, keeps the old rules and, if `error` is not NULL,
 * sets `*error` to a newly allocated message (free it with redflag_string_free).
 */
int redflag_detector_reload_dir(RedflagDetector *detector, const char *dir, char **error);

/* Frees a string returned by this library; NULL is ignored. */
void redflag_string_free(char *s);

/* The library version, e.g. "0.1.0": a static string, do not free. */
const char *redflag_version(void);

#ifdef __cplusplus
}
#endif

#endif /* REDFLAG_H */
