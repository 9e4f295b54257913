/*
 * Scans messages from four threads at once with one shared detector, and checks the JSON reports.
 *
 *   cargo build -p redflag-ffi
 *   cc -pthread -I crates/ffi/include crates/ffi/examples/scan_threads.c -Ltarget/debug -lredflag_ffi \
 *      -Wl,-rpath,$PWD/target/debug -o /tmp/scan_threads
 *   /tmp/scan_threads [RULES_DIR]
 *
 * With RULES_DIR, the main thread also reloads the rules from that directory (built-in rules plus its *.toml files)
 * while the workers scan. Exit status 0 when every report is as expected, 1 otherwise.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redflag.h"

#define THREADS 4
#define ROUNDS 25

/* An extra rule, given to the detector as TOML text. */
static const char GIFT_CARDS[] =
    "[[rule]]\n"
    "id = \"off_platform_payment.gift_cards\"\n"
    "category = \"off_platform_payment\"\n"
    "severity = \"high\"\n"
    "keywords = [\"gift cards\"]\n"
    "pattern = '''(?:pay|send)\\s.{0,30}gift\\s*cards'''\n"
    "examples.match = [\"send me steam gift cards\"]\n"
    "examples.ignore = [\"gift cards are sold here\"]\n";

struct job {
    const char *text;
    const char *expect; /* a substring the JSON must contain */
};

static const struct job JOBS[] = {
    {"\xe4\xba\xb2\xef\xbc\x8c\xe5\x85\xac\xe5\x8f\xb8\xe8\xb4\xa6\xe6\x88\xb7\xe5\x9c\xa8\xe5\xb9\xb4\xe5\xae\xa1"
     "\xef\xbc\x8c\xe8\xbf\x99\xe6\xac\xa1\xe8\xb4\xa7\xe6\xac\xbe\xe5\x85\x88\xe8\xbd\xac\xe6\x88\x91\xe4\xbb\xac"
     "\xe4\xbc\x9a\xe8\xae\xa1\xe7\x9a\x84\xe4\xb8\xaa\xe4\xba\xba\xe5\x8d\xa1", /* 亲，公司账户在年审，这次货款先转我们会计的个人卡 */
     "\"category\":\"off_platform_payment\""},
    {"Alibaba chat is slow, can we continue on WhatsApp? +86 137 2288 4061", "\"category\":\"contact_move\""},
    {"Please send the deposit by Western Union to my name.", "\"risk\":\"high\""},
    {"please send the balance in iTunes gift cards", "\"rule\":\"off_platform_payment.gift_cards\""},
    {"Price is $2.35/pc FOB Ningbo, MOQ 500.", "\"findings\":[],\"index\":0,\"line\":1,\"risk\":\"none\""},
    /* Invalid UTF-8 is decoded lossily, never rejected. */
    {"\xff\xfe add me on wechat: lily_88", "\"category\":\"contact_move\""},
};
#define NJOBS (sizeof JOBS / sizeof JOBS[0])

static RedflagDetector *detector;

static void *worker(void *arg) {
    long id = (long)arg;
    long failures = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (size_t j = 0; j < NJOBS; j++) {
            const struct job *job = &JOBS[(j + (size_t)id) % NJOBS];
            char *json = redflag_scan_json(detector, job->text, strlen(job->text));
            if (json == NULL || strstr(json, job->expect) == NULL) {
                fprintf(stderr, "thread %ld: expected %s in %s\n", id, job->expect, json ? json : "(null)");
                failures++;
            }
            redflag_string_free(json);
        }
    }
    return (void *)failures;
}

static int check(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "FAILED: %s\n", what);
    }
    return ok ? 0 : 1;
}

int main(int argc, char **argv) {
    int failures = 0;
    char *error = NULL;

    /* Errors come back as a message the caller frees. */
    RedflagDetector *bad = redflag_detector_from_toml("[[rule]]\nid = 1\n", 16, &error);
    failures += check(bad == NULL && error != NULL, "invalid TOML is refused with a message");
    if (error != NULL) {
        printf("invalid rules: %s\n", error);
        redflag_string_free(error);
        error = NULL;
    }

    detector = redflag_detector_from_toml(GIFT_CARDS, strlen(GIFT_CARDS), &error);
    if (detector == NULL) {
        fprintf(stderr, "cannot build the detector: %s\n", error ? error : "?");
        redflag_string_free(error);
        return 1;
    }

    pthread_t threads[THREADS];
    for (long t = 0; t < THREADS; t++) {
        if (pthread_create(&threads[t], NULL, worker, (void *)t) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    }
    /* Meanwhile: a reload that fails keeps the rules; one that succeeds swaps them atomically. */
    failures += check(redflag_detector_reload_dir(detector, "/nonexistent/redflag/rules", &error) == -1 && error,
                      "a missing rules directory is an error");
    redflag_string_free(error);
    error = NULL;
    if (argc > 1) {
        int rc = redflag_detector_reload_dir(detector, argv[1], &error);
        if (rc != 0) {
            fprintf(stderr, "reload %s: %s\n", argv[1], error ? error : "?");
            failures++;
        }
        redflag_string_free(error);
        error = NULL;
    }
    long scans_failed = 0;
    for (int t = 0; t < THREADS; t++) {
        void *result = NULL;
        pthread_join(threads[t], &result);
        scans_failed += (long)result;
    }
    failures += check(scans_failed == 0, "every threaded scan found what it should");

    /* NULL arguments give an error object, never a crash. */
    char *json = redflag_scan_json(NULL, "x", 1);
    failures += check(json && strstr(json, "\"error\""), "a NULL detector gives {\"error\":...}");
    redflag_string_free(json);
    json = redflag_scan_json(detector, NULL, 5);
    failures += check(json && strstr(json, "\"error\""), "a NULL text gives {\"error\":...}");
    redflag_string_free(json);
    redflag_string_free(NULL);
    redflag_detector_free(NULL);

    const char *text = "Sorry dear, our company account is under annual audit, please send the deposit to my personal "
                       "account.";
    json = redflag_scan_json(detector, text, strlen(text));
    printf("%s\n", json);
    redflag_string_free(json);

    printf("redflag %s: %d threads x %d scans, %s\n", redflag_version(), THREADS, ROUNDS * (int)NJOBS,
           failures == 0 ? "all as expected" : "FAILURES");
    redflag_detector_free(detector);
    return failures == 0 ? 0 : 1;
}
