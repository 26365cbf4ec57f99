/* Error strings and diagnostics shared by every module (see err.h). */
#include "util/err.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

const char *wp_strerror(enum wp_err e)
{
    static const char *const names[] = {
        [WP_OK] = "no error",
        [WP_ERR_IO] = "input/output error",
        [WP_ERR_PARSE] = "parse error",
        [WP_ERR_DB] = "database error",
        [WP_ERR_USAGE] = "usage error",
        [WP_ERR_NOMEM] = "out of memory",
        [WP_ERR_FORMAT] = "unrecognised format",
        [WP_ERR_CONFLICT] = "conflicting inputs",
        [WP_ERR_LIMIT] = "size limit reached",
        [WP_ERR_EMPTY] = "no data",
    };
    if ((unsigned)e < sizeof names / sizeof names[0] && names[e])
        return names[e];
    return "unknown error";
}

__attribute__((format(printf, 5, 0)))
static void fill(struct wp_diag *d, const char *file, long line, long col, const char *fmt,
                 va_list ap)
{
    /* the arguments may point into *d (its file or message): format before copying over */
    char msg[sizeof d->msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    wp_diag_set_file(d, file);
    d->line = line;
    d->col = col;
    memcpy(d->msg, msg, sizeof msg);
    d->bad_row = false;
}

void wp_diag_set_file(struct wp_diag *d, const char *file)
{
    if (!file)
        d->file[0] = '\0';
    else if (file != d->file)
        wp_strlcpy_utf8(d->file, file, sizeof d->file);
}

enum wp_err wp_diag_set(struct wp_diag *d, enum wp_err e, const char *file, long line,
                        long col, const char *fmt, ...)
{
    if (d) {
        va_list ap;
        va_start(ap, fmt);
        fill(d, file, line, col, fmt, ap);
        va_end(ap);
    }
    return e;
}

void wp_report(const struct wp_reporter *r, enum wp_level level, const char *file, long line,
               long col, const char *fmt, ...)
{
    if (!r || !r->fn)
        return;
    struct wp_diag d;
    va_list ap;
    va_start(ap, fmt);
    fill(&d, file, line, col, fmt, ap);
    va_end(ap);
    r->fn(r->ctx, level, &d);
}

void wp_diag_format(const struct wp_diag *d, char *buf, size_t size)
{
    if (!wp_diag_has_file(d))
        snprintf(buf, size, "%s", d->msg);
    else if (d->line <= 0)
        snprintf(buf, size, "%s: %s", d->file, d->msg);
    else if (d->col <= 0)
        snprintf(buf, size, "%s:%ld: %s", d->file, d->line, d->msg);
    else
        snprintf(buf, size, "%s:%ld:%ld: %s", d->file, d->line, d->col, d->msg);
}
