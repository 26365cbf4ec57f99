/* CodeCarbon emissions.csv, every layout from 1.0 (12 columns) to 3.3 (38), and the
 * task-level files (task_name first).  Columns are found by trimmed header name, never by
 * position; a repeated header line inside a file starts a new layout; columns without a
 * home are kept as extras.  Values are converted to SI here: kWh -> J, kg -> g. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/codecarbon_short.h"
#include "ingest/common.h"
#include "ingest/csv.h"
#include "ingest/flushes.h"
#include "ingest/ingest.h"
#include "util/num.h"
#include "util/text.h"
#include "util/time.h"
#include "util/units.h"


enum kind { TEXT, NUM };

/* Where a CodeCarbon column goes: a field of struct wp_measurement, and a unit factor. */
struct column {
    const char *name;
    enum kind kind;
    size_t off;      /* offsetof the const char * or double in wp_measurement */
    double scale;    /* input unit -> SI */
    bool is_energy;  /* kWh values checked for sign and summed */
};

#define T(n, f) {n, TEXT, offsetof(struct wp_measurement, f), 1.0, false}
#define N(n, f, k) {n, NUM, offsetof(struct wp_measurement, f), k, false}
#define E(n, f) {n, NUM, offsetof(struct wp_measurement, f), WP_J_PER_KWH, true}

static const struct column columns[] = {
    T("timestamp", started_at),
    T("project_name", project_name),
    T("run_id", run_label),
    T("experiment_id", experiment_label),
    T("task_name", phase),
    N("duration", duration_s, 1.0),
    N("emissions", emissions_g, 1000.0),             /* kg -> g */
    N("emissions_rate", emissions_rate_g_per_s, 1000.0),
    N("cpu_power", cpu_power_w, 1.0),
    N("gpu_power", gpu_power_w, 1.0),
    N("ram_power", ram_power_w, 1.0),
    E("cpu_energy", cpu_energy_j),
    E("gpu_energy", gpu_energy_j),
    E("ram_energy", ram_energy_j),
    E("energy_consumed", energy_j),
    N("water_consumed", water_l, 1.0),
    T("country_name", country_name),
    T("country_iso_code", country_iso_code),
    T("region", region),
    T("cloud_provider", cloud_provider),
    T("cloud_region", cloud_region),
    T("os", os),
    T("python_version", python_version),
    T("codecarbon_version", tool_version),
    N("cpu_count", cpu_count, 1.0),
    T("cpu_model", cpu_model),
    N("gpu_count", gpu_count, 1.0),
    T("gpu_model", gpu_model),
    N("longitude", longitude, 1.0),
    N("latitude", latitude, 1.0),
    N("ram_total_size", ram_total_bytes, 1073741824.0), /* GiB (psutil total / 1024^3) */
    T("tracking_mode", tracking_mode),
    T("on_cloud", on_cloud),
    N("pue", pue, 1.0),
};
#define N_COLUMNS (sizeof columns / sizeof columns[0])

static const struct column *column_named(const char *name)
{
    /* the first byte first: every row is checked for a repeated header, and data fields
     * (numbers, dates, ids) share no first byte with most names */
    for (size_t i = 0; i < N_COLUMNS; i++)
        if (columns[i].name[0] == name[0] && strcmp(columns[i].name, name) == 0)
            return &columns[i];
    return NULL;
}

/* The layout of the current header: for each field, its column or an extra key. */
struct layout {
    size_t n;
    const struct column **col; /* NULL: extra (or ignored when key is NULL) */
    char **key;                /* extra key, or NULL for an ignored pandas index */
    bool has_phase;
};

/* Rows that lack a value, reported once per file with the first place. */
struct missing {
    long long rows;
    long line, col;
};

static void note_missing(struct missing *m, long line, long col)
{
    if (!m->rows++) {
        m->line = line;
        m->col = col;
    }
}

/* Short rows of CodeCarbon 3.2.9+ appends, reported once per file. */
struct short_rows {
    long long rows, unplaced_rows;
    long line, unplaced_line;
    unsigned long long unplaced; /* CodeCarbon fields some row could not place */
    long long field_order_rows;  /* full rows in CodeCarbon's order under a reordered header */
    long field_order_line;
};

struct parser {
    struct wp_reader *r;
    struct wp_sink *sink;
    const char *path;
    struct layout lay;
    /* the header holds CodeCarbon 3.2.9+'s columns: short rows are appends */
    bool is_cc329;
    bool cc_reordered; /* ... in another order than its fields (wp_cc_short_reordered) */
    struct wp_cc_short cc;
    const char **aligned;  /* a short row's values by header column */
    long *aligned_field;   /* their field numbers in the row */
    const long *field_no;  /* while reading an aligned row: aligned_field, else NULL */
    struct short_rows shorts;
    char *short_text;      /* a short row as written, in UTF-8 (Windows-1252 converted) */
    size_t short_cap;
    struct wp_flushes *flushes;
    /* per row scratch */
    const char **extra_keys, **extra_values;
    struct missing no_energy, no_duration, bad_time;
    bool row_rejected; /* bad() set the current row aside */
};

static void layout_free(struct layout *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->key[i]);
    free(l->key);
    free((void *)l->col);
    memset(l, 0, sizeof *l);
}

/* A header line names at least three CodeCarbon columns, one of them an energy. */
static bool is_header(const struct wp_csv_record *rec)
{
    size_t known = 0;
    bool energy = false;
    for (size_t i = 0; i < rec->n; i++) {
        const struct column *c = column_named(rec->fields[i]);
        if (c) {
            known++;
            energy |= c->is_energy;
        }
    }
    return energy && known >= 3;
}

static enum wp_err set_layout(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct parser *p = ctx;
    layout_free(&p->lay);
    struct layout *l = &p->lay;
    l->col = calloc(rec->n ? rec->n : 1, sizeof *l->col);
    l->key = calloc(rec->n ? rec->n : 1, sizeof *l->key);
    free(p->extra_keys);
    free(p->extra_values);
    free(p->aligned);
    free(p->aligned_field);
    /* one more extra than columns: a short row that cannot be placed whole keeps its text */
    p->extra_keys = calloc(rec->n + 1, sizeof *p->extra_keys);
    p->extra_values = calloc(rec->n + 1, sizeof *p->extra_values);
    p->aligned = calloc(rec->n ? rec->n : 1, sizeof *p->aligned);
    p->aligned_field = calloc(rec->n ? rec->n : 1, sizeof *p->aligned_field);
    if (!l->col || !l->key || !p->extra_keys || !p->extra_values || !p->aligned ||
        !p->aligned_field)
        return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
    l->n = rec->n;
    for (size_t i = 0; i < rec->n; i++) {
        const char *name = rec->fields[i];
        for (size_t j = 0; j < i; j++)
            if (*name && strcmp(name, rec->fields[j]) == 0)
                return wp_diag_set(d, WP_ERR_PARSE, p->path, rec->line, (long)i + 1,
                                   "duplicate column \"%s\" (also column %zu)", name, j + 1);
        l->col[i] = column_named(name);
        if (l->col[i]) {
            l->has_phase |= strcmp(name, "task_name") == 0;
            continue;
        }
        if (!*name && i == 0)
            continue; /* an unnamed leading index column: a pandas round trip */
        char unnamed[32];
        snprintf(unnamed, sizeof unnamed, "column_%zu", i + 1);
        if (!(l->key[i] = strdup(*name ? name : unnamed)))
            return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
    }
    p->is_cc329 = wp_cc_short_layout((const char *const *)rec->fields, rec->n, &p->cc);
    p->cc_reordered = p->is_cc329 && wp_cc_short_reordered(&p->cc);
    if (!is_header(rec))
        return wp_diag_set(d, WP_ERR_FORMAT, p->path, rec->line, 0,
                           "no energy column (energy_consumed, cpu_energy, gpu_energy, "
                           "ram_energy) in the header: nothing to ingest");
    return WP_OK;
}

/* A problem with one row: stop, or set it aside with --skip-bad-rows. */
static enum wp_err bad(struct parser *p, const struct wp_csv_record *rec, long col,
                       struct wp_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static enum wp_err bad(struct parser *p, const struct wp_csv_record *rec, long col,
                       struct wp_diag *d, const char *fmt, ...)
{
    struct wp_diag tmp;
    struct wp_diag *dd = d ? d : &tmp;
    va_list ap;
    va_start(ap, fmt);
    wp_diag_set_file(dd, p->path);
    dd->line = rec->line;
    dd->col = col;
    vsnprintf(dd->msg, sizeof dd->msg, fmt, ap);
    va_end(ap);
    p->row_rejected = true;
    return p->sink->bad_row(p->sink->ctx, rec->raw, dd);
}

/* energy_consumed should be the sum of its parts; allow what the printed digits allow
 * (files rounded to three significant digits exist) plus 1e-3 relative (the study's own
 * logs agree to 1.5e-4). */
static bool parts_agree(double total, const double parts[3], const char *const text[4])
{
    double sum = parts[0] + parts[1] + parts[2];
    double rel = 1e-3 * fmax(fabs(total), fabs(sum));
    if (fabs(total - sum) <= rel)
        return true; /* the common case: no need to look at the digits */
    double tol = wp_num_half_unit(text[3]);
    for (int i = 0; i < 3; i++)
        tol += wp_num_half_unit(text[i]);
    return fabs(total - sum) <= tol * WP_J_PER_KWH + rel;
}

/* Where the values a row is checked on were found. */
struct checks {
    const char *energy_text[4]; /* cpu, gpu, ram, total, as printed */
    long energy_col[4];
    long negative_col;          /* first negative energy, else first negative other */
    size_t negative_idx;        /* its header column */
    bool negative_is_energy;
    long timestamp_col, duration_col;
};

static int energy_index(const struct column *c)
{
    return c->off == offsetof(struct wp_measurement, cpu_energy_j)   ? 0
           : c->off == offsetof(struct wp_measurement, gpu_energy_j) ? 1
           : c->off == offsetof(struct wp_measurement, ram_energy_j) ? 2
                                                                     : 3;
}

static bool must_not_be_negative(const struct column *c)
{
    return c->is_energy || c->off == offsetof(struct wp_measurement, duration_s) ||
           c->off == offsetof(struct wp_measurement, emissions_g);
}

/* Reads the fields of a row into m, noting what the checks need. */
static enum wp_err read_fields(struct parser *p, const struct wp_csv_record *rec,
                               struct wp_measurement *m, struct checks *k, struct wp_diag *d)
{
    const struct layout *l = &p->lay;
    for (size_t i = 0; i < l->n; i++) {
        const char *v = rec->fields[i];
        const struct column *c = l->col[i];
        long col = p->field_no ? p->field_no[i] : (long)i + 1;
        if (!c) {
            if (l->key[i] && *v) {
                p->extra_keys[m->n_extra] = l->key[i];
                p->extra_values[m->n_extra++] = v;
            }
            continue;
        }
        if (c->kind == TEXT) {
            *(const char **)((char *)m + c->off) = v;
            if (c->off == offsetof(struct wp_measurement, started_at))
                k->timestamp_col = col;
            continue;
        }
        double x;
        switch (wp_parse_num(v, &x)) {
        case WP_NUM_OK:
        case WP_NUM_MISSING:
            break;
        case WP_NUM_INVALID:
            return bad(p, rec, col, d, "%s: \"%.40s\" is not a number", c->name, v);
        case WP_NUM_RANGE:
            return bad(p, rec, col, d, "%s: \"%.40s\" %s", c->name, v,
                       wp_num_why(WP_NUM_RANGE));
        }
        if (c->is_energy) {
            k->energy_text[energy_index(c)] = v;
            k->energy_col[energy_index(c)] = col;
        }
        if (c->off == offsetof(struct wp_measurement, duration_s))
            k->duration_col = col;
        if (x < 0 && must_not_be_negative(c) &&
            (!k->negative_col || (c->is_energy && !k->negative_is_energy))) {
            k->negative_col = col;
            k->negative_idx = i;
            k->negative_is_energy = c->is_energy;
        }
        /* a finite number of kWh or kg can still overflow in J or g */
        if (isinf(x * c->scale))
            return bad(p, rec, col, d, "%s: \"%.40s\" is not a finite number (out of range)",
                       c->name, v);
        *(double *)((char *)m + c->off) = x * c->scale;
    }
    return WP_OK;
}

/* Parses one data row into m; returns WP_OK, or the bad-row outcome with *skip set. */
static enum wp_err parse_row(struct parser *p, const struct wp_csv_record *rec,
                             struct wp_measurement *m, bool *skip, struct wp_diag *d)
{
    struct checks k = {.energy_text = {"", "", "", ""}};
    *skip = true;
    p->row_rejected = false;
    wp_measurement_clear(m);
    m->line = rec->line;
    m->tool_name = "codecarbon";
    enum wp_err e = read_fields(p, rec, m, &k, d);
    if (e || p->row_rejected)
        return e;
    m->extra_keys = p->extra_keys;
    m->extra_values = p->extra_values;
    if (k.negative_col) {
        const char *name = rec->fields[k.negative_idx];
        const char *hdr = p->lay.col[k.negative_idx]->name;
        return bad(p, rec, k.negative_col, d, "%s: negative %s %s%s", hdr,
                   k.negative_is_energy ? "energy" : "value", name,
                   k.negative_is_energy ? " kWh" : "");
    }
    /* a timestamp is metadata, not the measurement: an impossible one (the CodeCarbon
     * repository's own example has 2020-04-31) is kept as logged, with a warning */
    if (k.timestamp_col && *m->started_at && !wp_iso8601_valid(m->started_at))
        note_missing(&p->bad_time, rec->line, k.timestamp_col);
    const double parts[3] = {m->cpu_energy_j, m->gpu_energy_j, m->ram_energy_j};
    bool have_parts = !isnan(parts[0]) && !isnan(parts[1]) && !isnan(parts[2]);
    if (have_parts && isinf(parts[0] + parts[1] + parts[2]))
        return bad(p, rec, k.energy_col[0], d,
                   "cpu_energy + gpu_energy + ram_energy is not a finite number (out of "
                   "range)");
    if (!k.energy_col[3] && have_parts)
        m->energy_j = parts[0] + parts[1] + parts[2]; /* no energy_consumed column */
    else if (!isnan(m->energy_j) && have_parts && !parts_agree(m->energy_j, parts, k.energy_text))
        return bad(p, rec, k.energy_col[3], d,
                   "energy_consumed %s kWh disagrees with cpu_energy + gpu_energy + "
                   "ram_energy = %.6g kWh",
                   k.energy_text[3], (parts[0] + parts[1] + parts[2]) / WP_J_PER_KWH);
    if (isnan(m->energy_j))
        note_missing(&p->no_energy, rec->line, k.energy_col[3]);
    if (k.duration_col && isnan(m->duration_s))
        note_missing(&p->no_duration, rec->line, k.duration_col);
    *skip = false;
    return WP_OK;
}

/* The fields whose value must never be misplaced: a short row where one of them could sit
 * in two places is refused rather than stored with a wrong energy. */
static const char *const must_place[] = {"duration", "emissions", "cpu_energy", "gpu_energy",
                                         "ram_energy", "energy_consumed"};

/* A CodeCarbon 3.2.9+ append row without its empty fields: *out is the row with each value
 * in its column ("" where a field was left out or cannot be placed); *unplaced says
 * which fields could not be placed. */
static enum wp_err align_short(struct parser *p, const struct wp_csv_record *rec,
                               struct wp_csv_record *out, unsigned long long *unplaced,
                               struct wp_diag *d)
{
    if (!wp_cc_short_align(&p->cc, (const char *const *)rec->fields, rec->n, p->aligned,
                           p->aligned_field, unplaced))
        return bad(p, rec, 0, d,
                   "expected %zu fields, found %zu, and no choice of the fields CodeCarbon "
                   "3.2.9+ leaves out of an appended row when empty fits the values",
                   p->lay.n, rec->n);
    for (size_t i = 0; i < WP_CC_SHORT_COLUMNS; i++)
        for (size_t j = 0; j < sizeof must_place / sizeof must_place[0]; j++)
            if ((*unplaced >> i & 1) && strcmp(wp_cc_short_name(i), must_place[j]) == 0)
                return bad(p, rec, 0, d,
                           "expected %zu fields, found %zu: CodeCarbon 3.2.9+ left empty "
                           "fields out of this appended row, and %s cannot be placed with "
                           "certainty",
                           p->lay.n, rec->n, must_place[j]);
    *out = *rec;
    out->n = p->lay.n;
    out->fields = (char **)p->aligned;
    if (!p->shorts.rows++)
        p->shorts.line = rec->line;
    if (*unplaced) {
        if (!p->shorts.unplaced_rows++)
            p->shorts.unplaced_line = rec->line;
        p->shorts.unplaced |= *unplaced;
    }
    return WP_OK;
}

/* A full row under a header that holds CodeCarbon 3.2.9+'s columns in another order: since
 * 3.2.9 CodeCarbon appends its rows in its own field order whatever the header's (its
 * header check compares the names sorted), so such a row's values sit under other
 * columns.  When only that order fits the kinds of the values, *out is the row with each
 * value moved to its column; when both orders fit and differ, the row is refused.  *moved
 * says whether *out was filled. */
static enum wp_err field_order(struct parser *p, const struct wp_csv_record *rec,
                               struct wp_csv_record *out, bool *moved, struct wp_diag *d)
{
    *moved = false;
    switch (wp_cc_full_order(&p->cc, (const char *const *)rec->fields)) {
    case WP_CC_HEADER_ORDER:
    case WP_CC_NO_ORDER: return WP_OK;
    case WP_CC_EITHER_ORDER:
        return bad(p, rec, 0, d,
                   "the header lists CodeCarbon 3.2.9+'s columns in another order than "
                   "CodeCarbon writes its rows, and this row fits both orders: which value "
                   "belongs to which column is not certain");
    case WP_CC_FIELD_ORDER: break;
    }
    for (size_t i = 0; i < WP_CC_SHORT_COLUMNS; i++) {
        p->aligned[p->cc.hdr_col[i]] = rec->fields[i];
        p->aligned_field[p->cc.hdr_col[i]] = (long)i + 1;
    }
    *out = *rec;
    out->fields = (char **)p->aligned;
    if (!p->shorts.field_order_rows++)
        p->shorts.field_order_line = rec->line;
    *moved = true;
    return WP_OK;
}

static enum wp_err row(void *ctx, struct wp_csv_record *rec, struct wp_diag *d)
{
    struct parser *p = ctx;
    struct wp_sink *sink = p->sink;
    bool skip;
    struct wp_csv_record aligned;
    unsigned long long unplaced = 0;
    enum wp_err e;
    if (p->is_cc329 && rec->n < p->lay.n && !wp_row_is_cut(rec, p->lay.n)) {
        p->row_rejected = false;
        if ((e = align_short(p, rec, &aligned, &unplaced, d)) || p->row_rejected)
            return e;
        rec = &aligned;
        p->field_no = p->aligned_field;
    } else if ((e = wp_row_width(sink, p->path, rec, p->lay.n, &skip, d)) || skip) {
        return e;
    } else if (p->cc_reordered) {
        bool moved;
        p->row_rejected = false;
        if ((e = field_order(p, rec, &aligned, &moved, d)) || p->row_rejected)
            return e;
        if (moved) {
            rec = &aligned;
            p->field_no = p->aligned_field;
        }
    }
    struct wp_measurement m;
    e = parse_row(p, rec, &m, &skip, d);
    p->field_no = NULL;
    if (e || skip)
        return e;
    if (unplaced) { /* what could not be placed stays readable in the row as written */
        const char *text = rec->raw;
        if (!wp_utf8_valid(rec->raw, rec->raw_len)) { /* as its fields were read */
            if (p->short_cap < 3 * rec->raw_len + 1) {
                char *grown = realloc(p->short_text, 3 * rec->raw_len + 1);
                if (!grown)
                    return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0,
                                       "out of memory");
                p->short_text = grown;
                p->short_cap = 3 * rec->raw_len + 1;
            }
            p->short_text[wp_cp1252_to_utf8(rec->raw, rec->raw_len, p->short_text)] = '\0';
            text = p->short_text;
        }
        p->extra_keys[m.n_extra] = "codecarbon_short_row";
        p->extra_values[m.n_extra++] = text;
    }
    return wp_flushes_put(p->flushes, &m, p->lay.has_phase, d);
}

/* The names of the fields in mask, comma-separated, into buf. */
static void field_names(unsigned long long mask, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < WP_CC_SHORT_COLUMNS && used < size; i++)
        if (mask >> i & 1)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
                                     wp_cc_short_name(i));
}

/* Says once per file what was done with short rows and flush snapshots. */
static void report_file(struct parser *p)
{
    const struct short_rows *s = &p->shorts;
    if (s->rows) {
        char names[200] = "";
        field_names(s->unplaced, names, sizeof names);
        wp_report(p->sink->rep, WP_WARN, p->path, s->line, 0,
                  "%lld row%s shorter than the header (first here): CodeCarbon 3.2.9+ "
                  "leaves a run's empty fields out of an appended row, so the values were "
                  "put back in their columns by CodeCarbon's column order and the kind of "
                  "each value; energy, duration and emissions were placed with certainty%s",
                  s->rows, s->rows == 1 ? " is" : "s are", s->unplaced_rows ? "" : ", and "
                  "every other field too");
        if (s->unplaced_rows)
            wp_report(p->sink->rep, WP_WARN, p->path, s->unplaced_line, 0,
                      "%lld short row%s (first here) fit more than one way at %s: left "
                      "empty, the row kept as written in the extra codecarbon_short_row",
                      s->unplaced_rows, s->unplaced_rows == 1 ? "" : "s", names);
    }
    if (s->field_order_rows)
        wp_report(p->sink->rep, WP_WARN, p->path, s->field_order_line, 0,
                  "%lld row%s in CodeCarbon's own column order, not the header's (first "
                  "here): CodeCarbon 3.2.9+ appends its rows in that order under a header "
                  "an earlier version wrote in another, so each value was read from where "
                  "CodeCarbon wrote it",
                  s->field_order_rows, s->field_order_rows == 1 ? " is" : "s are");
    struct wp_flush_stats f = wp_flushes_stats(p->flushes);
    if (f.rows)
        wp_report(p->sink->rep, WP_NOTE, p->path, f.first_line, 0,
                  "%lld row%s earlier flush%s of %lld run%s (the run_id of a later row whose "
                  "timestamp, duration and energies are not smaller; first here): each run "
                  "is counted once, with the totals of its last row",
                  f.rows, f.rows == 1 ? " is an" : "s are", f.rows == 1 ? "" : "es", f.runs,
                  f.runs == 1 ? "" : "s");
    p->sink->folded = f.rows;
}

/* A header line again (files concatenated by hand) starts with a column name. */
static bool header_again(const struct wp_csv_record *rec)
{
    return column_named(rec->fields[0]) && is_header(rec);
}

static enum wp_err parse(struct wp_reader *r, struct wp_sink *sink, struct wp_diag *d)
{
    struct parser p = {.r = r, .sink = sink, .path = wp_reader_path(r)};
    struct wp_csv *csv;
    sink->warns_no_duration = true; /* p.no_duration */
    enum wp_err e = wp_flushes_open(sink, &p.flushes, d);
    if (e)
        return e;
    if ((e = wp_csv_open(r, &csv, d))) {
        wp_flushes_free(p.flushes);
        return e;
    }
    struct wp_csv_walk w = {
        .ctx = &p,
        .header = set_layout,
        .row = row,
        .header_again = header_again,
        .width = &p.lay.n,
        .cp1252 = WP_CP1252_WARN_AT_COL,
    };
    bool have_header;
    long rows;
    e = wp_csv_walk(csv, sink, &w, &have_header, &rows, d);
    if (!e)
        e = wp_flushes_finish(p.flushes, d);
    if (!e && !have_header)
        snprintf(sink->no_data, sizeof sink->no_data, "empty file: no CodeCarbon header");
    if (!e)
        report_file(&p);
    if (!e && p.no_energy.rows)
        wp_report(sink->rep, WP_WARN, p.path, p.no_energy.line, p.no_energy.col,
                  "%lld row%s with no energy (energy_consumed empty; first here): kept with "
                  "unknown energy, left out of statistics",
                  p.no_energy.rows, p.no_energy.rows == 1 ? "" : "s");
    if (!e && p.bad_time.rows)
        wp_report(sink->rep, WP_WARN, p.path, p.bad_time.line, p.bad_time.col,
                  "%lld row%s whose timestamp is not a valid ISO 8601 date and time (first "
                  "here): kept as logged",
                  p.bad_time.rows, p.bad_time.rows == 1 ? "" : "s");
    if (!e && p.no_duration.rows)
        wp_report(sink->rep, WP_WARN, p.path, p.no_duration.line, p.no_duration.col,
                  "%lld row%s with duration missing (first here): kept with unknown duration",
                  p.no_duration.rows, p.no_duration.rows == 1 ? "" : "s");
    layout_free(&p.lay);
    free(p.extra_keys);
    free(p.extra_values);
    free(p.aligned);
    free(p.aligned_field);
    free(p.short_text);
    wp_flushes_free(p.flushes);
    wp_csv_close(csv);
    return e;
}

static int detect(const char *head, size_t len, const char *name, char *why, size_t why_size)
{
    (void)name;
    char buf[8192];
    const char *names[256];
    size_t n = wp_head_names(head, len, buf, sizeof buf, names, 256);
    bool energy = false, emissions = false, duration = false;
    size_t known = 0;
    for (size_t i = 0; i < n; i++) {
        energy |= strcmp(names[i], "energy_consumed") == 0;
        emissions |= strcmp(names[i], "emissions") == 0;
        duration |= strcmp(names[i], "duration") == 0;
        known += column_named(names[i]) != NULL;
    }
    if (energy && known >= 3)
        return 90;
    if (emissions && duration && known >= 3)
        return 60;
    snprintf(why, why_size, "no energy_consumed or emissions and duration columns in the header");
    return 0;
}

const struct wp_format wp_format_codecarbon = {
    .name = "codecarbon",
    .summary = "CodeCarbon emissions.csv, whole-run and task-level files",
    .versions = "1.0 to 3.3 (12 to 38 columns, any order)",
    .detect = detect,
    .parse = parse,
    .appends = true,
};
