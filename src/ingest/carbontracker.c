/* carbontracker logs: the `..._carbontracker_output.log` (lines `YYYY-MM-DD HH:MM:SS - `)
 * and the same text captured from standard output.  A run's measurement is its last
 * `Actual consumption [for N epoch(s)]:` block (Time h:mm:ss, Energy kWh, CO2eq g; later
 * blocks are cumulative).  `Predicted consumption` blocks are forecasts and are never
 * ingested.  A log with a traceback and no actual consumption is a failed run: nothing to
 * ingest, and the message names the exception.  A new `carbontracker version` line after
 * a block starts the next run (logs concatenated by hand). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/common.h"
#include "ingest/ingest.h"
#include "util/array.h"
#include "util/text.h"

enum block_kind { B_NONE, B_ACTUAL, B_PREDICTED };

struct block {
    long line;
    double epochs, time_s, energy_kwh, co2_g;
    unsigned seen; /* bits: time, energy, CO2eq */
};

struct parser {
    struct wp_sink *sink;
    const char *path;
    enum block_kind in;     /* the block whose Time/Energy/CO2eq lines come next */
    struct block cur;       /* the actual block being read */
    struct block last;      /* the last complete actual block of this run */
    bool have_last;
    char version[32], started[64];
    double pue;
    double planned; /* the epochs the run's last forecast is for, NAN if none */
    long predicted, runs;
    bool traceback;
    char exception[121]; /* 120 bytes at most: they go into no_data */
};

static void block_reset(struct block *b, long line, double epochs)
{
    b->line = line;
    b->epochs = epochs;
    b->time_s = b->energy_kwh = b->co2_g = NAN;
    b->seen = 0;
}

/* Removes "YYYY-MM-DD HH:MM:SS - " (remembering the first time of the run) and the
 * "CarbonTracker: " prefix of output lines; trims. */
static char *strip_prefixes(struct parser *p, char *s)
{
    if (strlen(s) >= 22 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' &&
        s[16] == ':' && strncmp(s + 19, " - ", 3) == 0) {
        if (!p->started[0]) {
            char ts[20];
            struct wp_when w;
            memcpy(ts, s, 19);
            ts[19] = '\0';
            if (wp_time_parse(ts, &w))
                snprintf(p->started, sizeof p->started, "%s", w.iso);
        }
        s += 22;
    }
    while (isspace((unsigned char)*s))
        s++;
    if (strncmp(s, "CarbonTracker:", 14) == 0)
        s += 14;
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Copies text of the log (at most size - 1 <= 160 bytes, never cutting a character): as
 * is when it is UTF-8, else read as Windows-1252, as CSV fields are (csv.h). */
static void copy_text(char *dst, size_t size, const char *s)
{
    char conv[3 * 160 + 1];
    size_t n = strlen(s);
    if (!wp_utf8_valid(s, n)) {
        if (n > (sizeof conv - 1) / 3)
            n = (sizeof conv - 1) / 3;
        wp_cp1252_to_utf8(s, n, conv);
        s = conv;
    }
    wp_strlcpy_utf8(dst, s, size);
}

static enum wp_err emit(struct parser *p, struct wp_diag *d)
{
    if (!p->have_last)
        return WP_OK;
    struct wp_measurement m;
    struct wp_extras x;
    wp_measurement_clear(&m);
    wp_extras_init(&x);
    m.line = p->last.line;
    m.tool_name = "carbontracker";
    m.tool_version = p->version;
    m.started_at = p->started;
    m.duration_s = p->last.time_s;
    m.energy_j = p->last.energy_kwh * WP_J_PER_KWH;
    m.emissions_g = p->last.co2_g;
    m.pue = p->pue;
    wp_extras_num(&x, "epochs", p->last.epochs);
    /* carbontracker 1.x monitors monitor_epochs=1 epoch by default and stops while the
     * training goes on: its actual consumption is then of fewer epochs than it forecasts */
    if (p->last.epochs < p->planned) {
        wp_extras_num(&x, "epochs_planned", p->planned);
        wp_report(p->sink->rep, WP_WARN, p->path, p->last.line, 0,
                  "the actual consumption covers %.0f of the %.0f epochs the log forecasts "
                  "for (carbontracker monitors monitor_epochs epochs, 1 by default before "
                  "2.0, and stops): kept, its energy and time are of those epochs only",
                  p->last.epochs, p->planned);
    }
    p->planned = NAN;
    wp_extras_attach(&x, &m);
    p->have_last = false;
    p->runs++;
    return p->sink->measurement(p->sink->ctx, &m, NULL, d);
}

/* A "Time:", "Energy:" or "CO2eq:" line of the current block. */
static enum wp_err field(struct parser *p, const char *s, const char *raw, long line,
                         struct wp_diag *d)
{
    static const struct {
        const char *label, *unit, *what;
    } fields[] = {
        {"Time:", NULL, "a duration h:mm:ss"},
        {"Energy:", "kWh", "a non-negative number of kWh"},
        {"CO2eq:", "g", "a non-negative number of g"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        size_t ll = strlen(fields[i].label);
        if (strncmp(s, fields[i].label, ll) != 0)
            continue;
        if (p->in != B_ACTUAL)
            return WP_OK; /* a forecast's figures */
        const char *v = s + ll;
        while (isspace((unsigned char)*v))
            v++;
        long col = (long)(strstr(raw, v) ? strstr(raw, v) - raw + 1 : 0);
        double x = NAN;
        bool ok;
        if (fields[i].unit) {
            enum wp_num r = wp_parse_quantity(v, fields[i].unit, &x);
            /* "nan g": carbontracker had no carbon intensity; energy must be there */
            ok = (r == WP_NUM_OK && x >= 0) || (r == WP_NUM_MISSING && i == 2);
        } else {
            ok = wp_hms_parse(v, &x) && x >= 0;
        }
        if (!ok) {
            p->in = B_NONE;
            return wp_bad_row(p->sink, p->path, line, col, raw, d, "%s \"%.40s\" is not %s",
                              fields[i].label, v, fields[i].what);
        }
        double *dst[] = {&p->cur.time_s, &p->cur.energy_kwh, &p->cur.co2_g};
        *dst[i] = x;
        p->cur.seen |= 1u << i;
        if (p->cur.seen == 7u) {
            p->last = p->cur; /* later blocks are cumulative: keep the latest */
            p->have_last = true;
            p->in = B_NONE;
        }
        return WP_OK;
    }
    return WP_OK;
}

static enum wp_err line_of(struct parser *p, char *raw, long line, struct wp_diag *d)
{
    char *s = strip_prefixes(p, raw);
    const char *q;
    if (strncmp(s, "carbontracker version ", 22) == 0) {
        enum wp_err e = emit(p, d); /* a new run begins */
        if (e)
            return e;
        p->planned = NAN;
        copy_text(p->version, sizeof p->version, s + 22);
        return WP_OK;
    }
    if ((q = strstr(s, "PUE coefficient of "))) {
        double pue = strtod(q + 19, NULL);
        p->pue = isfinite(pue) && pue > 0 ? pue : NAN; /* not a PUE: unknown */
    }
    if (strncmp(s, "Actual consumption", 18) == 0) {
        double epochs = NAN;
        if ((q = strstr(s, " for ")))
            epochs = strtod(q + 5, NULL);
        block_reset(&p->cur, line, epochs);
        p->in = B_ACTUAL;
        return WP_OK;
    }
    if (strncmp(s, "Predicted consumption", 21) == 0) {
        if ((q = strstr(s, " for "))) {
            double epochs = strtod(q + 5, NULL);
            if (isfinite(epochs) && epochs > 0)
                p->planned = epochs;
        }
        p->predicted++;
        p->in = B_PREDICTED;
        return WP_OK;
    }
    if (strstr(s, "Traceback (most recent call last)"))
        p->traceback = true;
    else if (p->traceback && raw[0] && !isspace((unsigned char)raw[0]) &&
             (strstr(s, "Error") || strstr(s, "Exception")))
        copy_text(p->exception, sizeof p->exception, s);
    return field(p, s, raw, line, d);
}

static enum wp_err parse(struct wp_reader *r, struct wp_sink *sink, struct wp_diag *d)
{
    struct parser p = {.sink = sink, .path = wp_reader_path(r), .pue = NAN, .planned = NAN};
    char *buf = NULL;
    size_t cap = 0;
    enum wp_err e = WP_OK;
    sink->consumed = 0; /* blocks are cumulative: a grown log is read again whole */
    for (;;) {
        const char *line;
        size_t len;
        bool nl;
        if ((e = wp_reader_line(r, &line, &len, &nl, d)) || !line)
            break;
        if (WP_ARRAY_GROW(buf, len + 1, cap)) {
            e = wp_diag_set(d, WP_ERR_NOMEM, p.path, 0, 0, "out of memory");
            break;
        }
        memcpy(buf, line, len);
        buf[len] = '\0';
        if (memchr(buf, '\0', len)) {
            e = wp_diag_set(d, WP_ERR_PARSE, p.path, wp_reader_lineno(r), 0,
                            "binary data (NUL bytes): not a carbontracker log");
            break;
        }
        if ((e = line_of(&p, buf, wp_reader_lineno(r), d)))
            break;
    }
    if (!e)
        e = emit(&p, d);
    if (!e && !p.runs) {
        if (p.traceback)
            snprintf(sink->no_data, sizeof sink->no_data,
                     "the carbontracker run failed before reporting consumption (%s): "
                     "no measurement",
                     *p.exception ? p.exception : "a traceback");
        else if (p.predicted)
            snprintf(sink->no_data, sizeof sink->no_data,
                     "only Predicted consumption (a forecast, not a measurement): no actual "
                     "consumption to ingest");
        else
            snprintf(sink->no_data, sizeof sink->no_data,
                     "no Actual consumption block (a standard log, or a run stopped before "
                     "its first epoch ended): nothing to ingest");
    }
    free(buf);
    return e;
}

static int detect(const char *head, size_t len, const char *name, char *why, size_t why_size)
{
    bool named = strstr(name, "carbontracker") != NULL;
    bool stamped = len >= 22 && head[4] == '-' && head[7] == '-' && head[10] == ' ' &&
                   head[13] == ':' && head[16] == ':' && memcmp(head + 19, " - ", 3) == 0;
    bool says = wp_head_has(head, len, "CarbonTracker:") ||
                wp_head_has(head, len, "carbontracker version");
    bool blocks = wp_head_has(head, len, "Actual consumption") ||
                  wp_head_has(head, len, "Predicted consumption");
    if (stamped && (says || named))
        return 90;
    if (blocks && (says || named))
        return 80;
    if (blocks)
        return 50;
    snprintf(why, why_size, "no \"CarbonTracker:\" lines or consumption blocks");
    return 0;
}

const struct wp_format wp_format_carbontracker = {
    .name = "carbontracker",
    .summary = "carbontracker output logs: the last Actual consumption block of each run",
    .versions = "output logs of 1.1 (a real failed run checked) and the consumption "
                "blocks of 1.x to 2.x (from its source and parser); captured stdout",
    .detect = detect,
    .parse = parse,
};
