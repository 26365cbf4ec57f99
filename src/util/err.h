/* Errors and diagnostics: one error enum for every module (like libxlsxwriter's lxw_error)
 * and a diagnostic that says where in the user's input a problem is.  Library code fills a
 * struct wp_diag and returns; only src/cli/ and main.c print. */
#ifndef WP_UTIL_ERR_H
#define WP_UTIL_ERR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum wp_err {
    WP_OK = 0,
    WP_ERR_IO,       /* a file could not be read or written */
    WP_ERR_PARSE,    /* the input is not what its format says */
    WP_ERR_DB,       /* the database refused an operation */
    WP_ERR_USAGE,    /* wrong options or arguments */
    WP_ERR_NOMEM,    /* out of memory */
    WP_ERR_FORMAT,   /* the input matches no supported format */
    WP_ERR_CONFLICT, /* two inputs say different things about one thing */
    WP_ERR_LIMIT,    /* a size limit was reached (field, line, expansion) */
    WP_ERR_EMPTY,    /* nothing to work on (no data for a statistic or output) */
};

/* The diagnostic owns a copy of its file name: the path it names is often a buffer that the
 * failing function frees before the caller prints the message (a use-after-free once). */
struct wp_diag {
    char file[1024];    /* input or output file, "" when none; longer names are cut */
    long line, col;     /* 1-based; 0 when unknown */
    char msg[256];
    bool bad_row;       /* an ingest stopped at one bad row (--skip-bad-rows would keep the
                           others); wp_diag_set clears it */
};

/* Severity of a message passed to a struct wp_reporter. */
enum wp_level { WP_NOTE, WP_WARN, WP_ERROR };

/* Where library code sends warnings and notes; the CLI prints them. `fn` may be NULL. */
struct wp_reporter {
    void (*fn)(void *ctx, enum wp_level level, const struct wp_diag *d);
    void *ctx;
};

/* A short lower-case phrase for `e`; never NULL. */
const char *wp_strerror(enum wp_err e);

/* Fills `d` (if not NULL) and returns `e`, so a caller can write
 * `return wp_diag_set(d, WP_ERR_PARSE, file, line, col, "...", ...);`. */
enum wp_err wp_diag_set(struct wp_diag *d, enum wp_err e, const char *file, long line,
                        long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Sends a message through `r` (nothing happens if r or r->fn is NULL). */
void wp_report(const struct wp_reporter *r, enum wp_level level, const char *file, long line,
               long col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Sets the file that `d` names (NULL or "" for none), copying it. */
void wp_diag_set_file(struct wp_diag *d, const char *file);

/* Whether `d` names a file. */
static inline int wp_diag_has_file(const struct wp_diag *d) { return d->file[0] != '\0'; }

/* Formats `d` as "FILE:LINE:COL: msg" (parts that are unknown are left out) into buf. */
void wp_diag_format(const struct wp_diag *d, char *buf, size_t size);

#endif
