/* Zeus ZeusMonitor measurement-window logs (`ZeusMonitor(log_file=...)`): CSV
 * `start_time,window_name,elapsed_time,gpu0_energy,...` written as windows end, energy in
 * J per GPU (and per CPU or DRAM zone where newer versions add them).  Each window is one
 * run: windows may nest or overlap, so they are never summed into one.  Zeus writes the
 * window name unquoted: a name with commas yields extra fields, which are joined back. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/common.h"
#include "ingest/csv.h"
#include "ingest/ingest.h"
#include "util/array.h"

enum zone { Z_GPU, Z_CPU, Z_DRAM, Z_NONE };

struct column {
    char *name;
    enum zone zone;
};

struct parser {
    struct wp_sink *sink;
    const char *path;
    struct column *cols;
    size_t n;
    int c_start, c_name, c_elapsed;
    bool has_energy; /* the header names some gpuN/cpuN/dramN_energy */
    char *window; /* the joined window name of the current row */
    size_t window_cap;
    char started_at[64]; /* the current row's start_time as ISO 8601, or "" */
};

/* "gpu0_energy" -> Z_GPU, "cpu1_energy" -> Z_CPU, "dram0_energy" -> Z_DRAM. */
static enum zone zone_of(const char *name)
{
    static const struct {
        const char *prefix;
        enum zone zone;
    } zones[] = {{"gpu", Z_GPU}, {"cpu", Z_CPU}, {"dram", Z_DRAM}};
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        size_t pl = strlen(zones[i].prefix);
        if (strncmp(name, zones[i].prefix, pl) != 0)
            continue;
        const char *q = name + pl;
        if (!isdigit((unsigned char)*q))
            return Z_NONE;
        while (isdigit((unsigned char)*q))
            q++;
        return strcmp(q, "_energy") == 0 ? zones[i].zone : Z_NONE;
    }
    return Z_NONE;
}

static void parser_free(struct parser *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->cols[i].name);
    free(p->cols);
    free(p->window);
}

static enum wp_err set_header(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct parser *p = ctx;
    p->c_start = p->c_name = p->c_elapsed = -1;
    if (!(p->cols = calloc(rec->n ? rec->n : 1, sizeof *p->cols)))
        return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
    p->n = rec->n;
    for (size_t i = 0; i < rec->n; i++) {
        const char *f = rec->fields[i];
        if (!(p->cols[i].name = strdup(f)))
            return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
        p->cols[i].zone = zone_of(f);
        p->has_energy |= p->cols[i].zone != Z_NONE;
        if (strcmp(f, "start_time") == 0)
            p->c_start = (int)i;
        else if (strcmp(f, "window_name") == 0)
            p->c_name = (int)i;
        else if (strcmp(f, "elapsed_time") == 0)
            p->c_elapsed = (int)i;
    }
    if (p->c_name != 1 || p->c_elapsed < 0)
        return wp_diag_set(d, WP_ERR_FORMAT, p->path, rec->line, 0,
                           "not a ZeusMonitor log: the header does not start with "
                           "start_time,window_name,elapsed_time");
    return WP_OK;
}

/* Joins fields [1, 1 + extra] back into the window name. */
static enum wp_err join_name(struct parser *p, const struct wp_csv_record *rec, size_t extra,
                             struct wp_diag *d)
{
    size_t need = 1;
    for (size_t i = 1; i <= 1 + extra; i++)
        need += strlen(rec->fields[i]) + 1;
    if (WP_ARRAY_GROW(p->window, need, p->window_cap))
        return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
    size_t used = 0;
    for (size_t i = 1; i <= 1 + extra; i++)
        used += (size_t)snprintf(p->window + used, need - used, "%s%s", i > 1 ? "," : "",
                                 rec->fields[i]);
    return WP_OK;
}

static enum wp_err row(void *ctx, struct wp_csv_record *rec, struct wp_diag *d)
{
    struct parser *p = ctx;
    struct wp_sink *sink = p->sink;
    if (!p->has_energy)
        return WP_OK; /* no window has energy: parse() says why */
    if (rec->n < p->n) {
        if (rec->is_cut) {
            wp_report(sink->rep, WP_WARN, p->path, rec->line, 0,
                      "last line cut off mid-write (%zu of %zu fields): not ingested",
                      rec->n, p->n);
            return WP_OK;
        }
        return wp_bad_row(sink, p->path, rec->line, (long)rec->n, rec->raw, d,
                          "expected %zu fields, found %zu", p->n, rec->n);
    }
    size_t extra = rec->n - p->n; /* commas inside the window name */
    enum wp_err e = join_name(p, rec, extra, d);
    if (e)
        return e;
    struct wp_measurement m;
    struct wp_extras x;
    wp_measurement_clear(&m);
    wp_extras_init(&x);
    m.line = rec->line;
    m.tool_name = "zeus";
    m.run_label = p->window;
    double sum[3] = {0, 0, 0};
    bool any[3] = {false, false, false};
    for (size_t i = 0; i < p->n; i++) {
        if ((int)i == p->c_name)
            continue;
        size_t fi = i > 1 ? i + extra : i;
        const char *v = rec->fields[fi];
        const char *name = p->cols[i].name;
        bool numeric = (int)i == p->c_start || (int)i == p->c_elapsed || p->cols[i].zone != Z_NONE;
        if (!numeric) {
            wp_extras_text(&x, name, v);
            continue;
        }
        double val;
        enum wp_num k = wp_parse_num(v, &val);
        switch (k) {
        case WP_NUM_OK:
            break;
        case WP_NUM_MISSING:
            continue;
        default:
            return wp_bad_row(sink, p->path, rec->line, (long)fi + 1, rec->raw, d,
                              "%s: \"%.40s\" %s", name, v, wp_num_why(k));
        }
        if (val < 0 && (int)i != p->c_start)
            return wp_bad_row(sink, p->path, rec->line, (long)fi + 1, rec->raw, d,
                              "%s: negative %s %s", name,
                              (int)i == p->c_elapsed ? "duration" : "energy", v);
        if ((int)i == p->c_elapsed) {
            m.duration_s = val;
        } else if ((int)i == p->c_start) {
            /* ZeusMonitor writes time.time() (zeus/monitor/energy.py: `from time import
             * time`): seconds since the epoch, UTC.  A small number is no date (a
             * hand-made log, or another clock): kept only as the extra. */
            struct wp_when w;
            wp_extras_text(&x, "start_time", v);
            if (wp_time_parse(v, &w) && w.has_date) {
                snprintf(p->started_at, sizeof p->started_at, "%s", w.iso);
                m.started_at = p->started_at;
            }
        } else {
            sum[p->cols[i].zone] += val;
            any[p->cols[i].zone] = true;
            wp_extras_text(&x, name, v);
        }
    }
    if (isinf(sum[Z_GPU] + sum[Z_CPU] + sum[Z_DRAM])) /* finite energies, their sum not */
        return wp_bad_row(sink, p->path, rec->line, 0, rec->raw, d,
                          "the window's energies add up to a number out of range");
    m.gpu_energy_j = any[Z_GPU] ? sum[Z_GPU] : NAN;
    m.cpu_energy_j = any[Z_CPU] ? sum[Z_CPU] : NAN;
    m.ram_energy_j = any[Z_DRAM] ? sum[Z_DRAM] : NAN;
    if (any[Z_GPU] || any[Z_CPU] || any[Z_DRAM])
        m.energy_j = sum[Z_GPU] + sum[Z_CPU] + sum[Z_DRAM];
    size_t gpus = 0;
    for (size_t i = 0; i < p->n; i++)
        gpus += p->cols[i].zone == Z_GPU;
    if (gpus)
        m.gpu_count = (double)gpus;
    wp_extras_attach(&x, &m);
    return sink->measurement(sink->ctx, &m, NULL, d);
}

static enum wp_err parse(struct wp_reader *r, struct wp_sink *sink, struct wp_diag *d)
{
    struct parser p = {.sink = sink, .path = wp_reader_path(r)};
    struct wp_csv *csv;
    enum wp_err e = wp_csv_open(r, &csv, d);
    if (e)
        return e;
    struct wp_csv_walk w = {.ctx = &p, .header = set_header, .row = row, .width = &p.n};
    bool have_header;
    long rows;
    e = wp_csv_walk(csv, sink, &w, &have_header, &rows, d);
    if (!e)
        wp_csv_no_data(sink, have_header, rows, "empty file: no ZeusMonitor header",
                       "no measurement window ended: the header only");
    /* zeus/monitor/energy.py writes a gpuN_energy column per GPU it watches and nothing
     * else: a monitor of no GPU ("start_time,window_name,elapsed_time,") logs no energy */
    if (!e && have_header && rows && !p.has_energy)
        snprintf(sink->no_data, sizeof sink->no_data,
                 "no gpuN_energy column: the ZeusMonitor watched no GPU, and its log holds "
                 "GPU energy only (CPU and DRAM energy never go in it): no energy to ingest");
    parser_free(&p);
    wp_csv_close(csv);
    return e;
}

static int detect(const char *const *names, size_t n, char *why, size_t why_size)
{
    if (n >= 3 && strcmp(names[0], "start_time") == 0 && strcmp(names[1], "window_name") == 0 &&
        strcmp(names[2], "elapsed_time") == 0)
        return 95;
    snprintf(why, why_size, "header does not start with start_time,window_name,elapsed_time");
    return 0;
}

const struct wp_format wp_format_zeus = {
    .name = "zeus",
    .summary = "Zeus ZeusMonitor log_file CSV: one run per measurement window",
    .versions = "ZeusMonitor log_file as zeus-ml 0.5 to 0.11 write it (from its source; "
                "no real log checked): gpuN_energy, and cpuN/dramN_energy if present",
    .detect_header = detect,
    .parse = parse,
    .appends = true,
};
