/* The generic CSV format, for in-house logs: a column map (generic.h) says which header
 * column holds which field, the unit written in the key (energy_kwh, duration_ms), and
 * values are converted to SI units as they are read.  Each row is one measurement; columns
 * the map does not name are kept as extras.  Never detected: only read with --map.  The
 * model, task, dataset and inference count a file states label all its runs, so they must
 * be the same on every row (a manifest labels files that mix them). */
#include "ingest/generic.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/common.h"
#include "ingest/csv.h"
#include "util/text.h"

#define MAP_MAX_BYTES 65536

enum kind {
    K_NUM,    /* a non-negative quantity, times scale into SI */
    K_COUNT,  /* a whole number >= 0 (cpu_count, gpu_count) */
    K_TEXT,   /* a string field of the measurement */
    K_TIME,   /* a date and time: started_at in ISO 8601 */
    K_LABEL,  /* model, task, dataset: one per file */
    K_LCOUNT, /* inferences, batch_size: one per file, >= 1 */
};

enum label { L_MODEL, L_TASK, L_DATASET, L_INFERENCES, L_BATCH, L__N };

/* A key of the map.  slot is the field it fills: two keys of one slot (energy_j and
 * energy_kwh) cannot both be given. */
struct key {
    const char *name, *slot;
    enum kind kind;
    size_t off; /* in struct wp_measurement; for labels, the enum label */
    double scale;
};

#define M(f) offsetof(struct wp_measurement, f)
/* An energy field's three keys: KEY_j, KEY_wh and KEY_kwh. */
#define ENERGY_KEYS(key, slot, f)                                                          \
    {key "_j", slot, K_NUM, M(f), 1.0}, {key "_wh", slot, K_NUM, M(f), WP_J_PER_WH},       \
        {key "_kwh", slot, K_NUM, M(f), WP_J_PER_KWH}
static const struct key keys[] = {
    ENERGY_KEYS("energy", "energy", energy_j),
    ENERGY_KEYS("cpu_energy", "cpu energy", cpu_energy_j),
    ENERGY_KEYS("gpu_energy", "gpu energy", gpu_energy_j),
    ENERGY_KEYS("ram_energy", "ram energy", ram_energy_j),
    {"duration_s", "duration", K_NUM, M(duration_s), 1.0},
    {"duration_ms", "duration", K_NUM, M(duration_s), 1e-3},
    {"duration_min", "duration", K_NUM, M(duration_s), 60.0},
    {"duration_h", "duration", K_NUM, M(duration_s), 3600.0},
    {"emissions_g", "emissions", K_NUM, M(emissions_g), 1.0},
    {"emissions_kg", "emissions", K_NUM, M(emissions_g), 1e3},
    {"cpu_power_w", "cpu power", K_NUM, M(cpu_power_w), 1.0},
    {"gpu_power_w", "gpu power", K_NUM, M(gpu_power_w), 1.0},
    {"ram_power_w", "ram power", K_NUM, M(ram_power_w), 1.0},
    {"pue", "pue", K_NUM, M(pue), 1.0},
    {"water_l", "water", K_NUM, M(water_l), 1.0},
    {"ram_total_bytes", "ram total", K_NUM, M(ram_total_bytes), 1.0},
    {"ram_total_gb", "ram total", K_NUM, M(ram_total_bytes), 1e9},
    {"ram_total_gib", "ram total", K_NUM, M(ram_total_bytes), 1073741824.0},
    {"cpu_count", "cpu count", K_COUNT, M(cpu_count), 1.0},
    {"gpu_count", "gpu count", K_COUNT, M(gpu_count), 1.0},
    {"timestamp", "timestamp", K_TIME, M(started_at), 1.0},
    {"run_id", "run id", K_TEXT, M(run_label), 1.0},
    {"phase", "phase", K_TEXT, M(phase), 1.0},
    {"project", "project", K_TEXT, M(project_name), 1.0},
    {"experiment", "experiment", K_TEXT, M(experiment_label), 1.0},
    {"cpu_model", "cpu model", K_TEXT, M(cpu_model), 1.0},
    {"gpu_model", "gpu model", K_TEXT, M(gpu_model), 1.0},
    {"os", "os", K_TEXT, M(os), 1.0},
    {"python_version", "python version", K_TEXT, M(python_version), 1.0},
    {"country_name", "country name", K_TEXT, M(country_name), 1.0},
    {"country_iso_code", "country iso code", K_TEXT, M(country_iso_code), 1.0},
    {"region", "region", K_TEXT, M(region), 1.0},
    {"cloud_provider", "cloud provider", K_TEXT, M(cloud_provider), 1.0},
    {"cloud_region", "cloud region", K_TEXT, M(cloud_region), 1.0},
    {"tool", "tool", K_TEXT, M(tool_name), 1.0},
    {"tool_version", "tool version", K_TEXT, M(tool_version), 1.0},
    {"model", "model", K_LABEL, L_MODEL, 1.0},
    {"task", "task", K_LABEL, L_TASK, 1.0},
    {"dataset", "dataset", K_LABEL, L_DATASET, 1.0},
    {"inferences", "inferences", K_LCOUNT, L_INFERENCES, 1.0},
    {"batch_size", "batch size", K_LCOUNT, L_BATCH, 1.0},
};
#undef ENERGY_KEYS
#undef M
#define N_KEYS (sizeof keys / sizeof keys[0])

const char *wp_generic_key(size_t i)
{
    return i < N_KEYS ? keys[i].name : NULL;
}

/* ---- the map -------------------------------------------------------------------------- */

struct entry {
    const struct key *key;
    char *column;
    long line;
};

struct wp_generic_map {
    char *origin;
    struct entry e[N_KEYS];
    size_t n;
};

void wp_generic_map_free(struct wp_generic_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->e[i].column);
    free(m->origin);
    free(m);
}

size_t wp_generic_map_size(const struct wp_generic_map *m)
{
    return m ? m->n : 0;
}

static const struct key *key_find(const char *name, size_t len)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (strlen(keys[i].name) == len && memcmp(keys[i].name, name, len) == 0)
            return &keys[i];
    return NULL;
}

/* "energy_j, energy_wh, energy_kwh" for "energy": the keys that start with name + '_'. */
static void keys_like(const char *name, size_t len, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_KEYS && used < size; i++)
        if (strncmp(keys[i].name, name, len) == 0 && keys[i].name[len] == '_')
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
                                     keys[i].name);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* One `key = column` item at text[0..len), which starts at line:col of the map. */
static enum wp_err map_item(struct wp_generic_map *m, const char *s, size_t len,
                            const char *origin, long line, long col, struct wp_diag *d)
{
    size_t a = 0;
    while (a < len && is_blank(s[a]))
        a++;
    const char *eq = memchr(s, '=', len);
    if (!eq)
        return wp_diag_set(d, WP_ERR_PARSE, origin, line, col + (long)a,
                           "expected KEY = COLUMN (e.g. energy_kwh = Total kWh)");
    size_t k_end = (size_t)(eq - s), v = k_end + 1, v_end = len;
    while (k_end > a && is_blank(s[k_end - 1]))
        k_end--;
    while (v < len && is_blank(s[v]))
        v++;
    while (v_end > v && is_blank(s[v_end - 1]))
        v_end--;
    if (k_end == a)
        return wp_diag_set(d, WP_ERR_PARSE, origin, line, col + (long)a,
                           "no key before '='");
    const struct key *k = key_find(s + a, k_end - a);
    if (!k) {
        char like[160];
        keys_like(s + a, k_end - a, like, sizeof like);
        if (*like)
            return wp_diag_set(d, WP_ERR_PARSE, origin, line, col + (long)a,
                               "unknown key \"%.*s\": give the unit in the key (%s)",
                               (int)(k_end - a > 40 ? 40 : k_end - a), s + a, like);
        return wp_diag_set(d, WP_ERR_PARSE, origin, line, col + (long)a,
                           "unknown key \"%.*s\" (the keys are listed in wattprint help "
                           "ingest)",
                           (int)(k_end - a > 40 ? 40 : k_end - a), s + a);
    }
    if (v == v_end)
        return wp_diag_set(d, WP_ERR_PARSE, origin, line, col + (long)v,
                           "%s: no column name after '='", k->name);
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->e[i].key->slot, k->slot) == 0)
            return wp_diag_set(d, WP_ERR_PARSE, origin, line, col + (long)a,
                               "%s: the %s is already mapped (%s at line %ld)", k->name,
                               k->slot, m->e[i].key->name, m->e[i].line);
    struct entry *e = &m->e[m->n];
    if (!(e->column = strndup(s + v, v_end - v)))
        return wp_diag_set(d, WP_ERR_NOMEM, origin, line, 0, "out of memory");
    if (!wp_utf8_valid(e->column, v_end - v)) {
        free(e->column);
        return wp_diag_set(d, WP_ERR_PARSE, origin, line, col + (long)v,
                           "%s: the column name is not UTF-8", k->name);
    }
    e->key = k;
    e->line = line;
    m->n++;
    return WP_OK;
}

static bool has_energy(const struct wp_generic_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        if (strstr(m->e[i].key->slot, "energy"))
            return true;
    return false;
}

enum wp_err wp_generic_map_parse(const char *text, size_t len, const char *origin,
                                 bool is_inline, struct wp_generic_map **out,
                                 struct wp_diag *d)
{
    *out = NULL;
    struct wp_generic_map *m = calloc(1, sizeof *m);
    if (!m || !(m->origin = strdup(origin))) {
        free(m);
        return wp_diag_set(d, WP_ERR_NOMEM, origin, 0, 0, "out of memory");
    }
    if (memchr(text, '\0', len)) {
        wp_generic_map_free(m);
        return wp_diag_set(d, WP_ERR_PARSE, origin, 0, 0, "binary data (NUL bytes): not a "
                                                          "column map");
    }
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) { /* a BOM is not part of line 1 */
        text += 3;
        len -= 3;
    }
    char sep = is_inline ? ',' : '\n';
    long line = 1;
    enum wp_err e = WP_OK;
    for (size_t at = 0; at <= len && !e;) {
        const char *s = text + at, *end = memchr(s, sep, len - at);
        size_t n = end ? (size_t)(end - s) : len - at, lead = 0;
        while (lead < n && is_blank(s[lead]))
            lead++;
        bool skip = lead == n || (!is_inline && s[lead] == '#');
        if (!skip)
            e = map_item(m, s, n, origin, is_inline ? 1 : line,
                         is_inline ? (long)at + 1 : 1, d);
        at += n + 1;
        line += !is_inline;
    }
    if (!e && !m->n)
        e = wp_diag_set(d, WP_ERR_PARSE, origin, 0, 0, "the column map is empty");
    else if (!e && !has_energy(m))
        e = wp_diag_set(d, WP_ERR_PARSE, origin, 0, 0,
                        "the column map names no energy column (energy_j, energy_wh, "
                        "energy_kwh, or cpu_, gpu_, ram_energy_*)");
    if (e) {
        wp_generic_map_free(m);
        return e;
    }
    *out = m;
    return WP_OK;
}

enum wp_err wp_generic_map_load(const char *spec, struct wp_generic_map **out,
                                struct wp_diag *d)
{
    *out = NULL;
    FILE *f = fopen(spec, "rb");
    if (!f) {
        if (strchr(spec, '='))
            return wp_generic_map_parse(spec, strlen(spec), "--map", true, out, d);
        return wp_diag_set(d, WP_ERR_IO, spec, 0, 0,
                           "cannot open the column map: %s (an inline map is "
                           "KEY=COLUMN,...)",
                           strerror(errno));
    }
    char *buf = malloc(MAP_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, MAP_MAX_BYTES + 1, f) : 0;
    bool bad = !buf || ferror(f);
    fclose(f);
    enum wp_err e;
    if (bad)
        e = wp_diag_set(d, buf ? WP_ERR_IO : WP_ERR_NOMEM, spec, 0, 0,
                        buf ? "cannot read the column map" : "out of memory");
    else if (n > MAP_MAX_BYTES)
        e = wp_diag_set(d, WP_ERR_LIMIT, spec, 0, 0, "a column map is at most %d KiB",
                        MAP_MAX_BYTES >> 10);
    else
        e = wp_generic_map_parse(buf, n, spec, false, out, d);
    free(buf);
    return e;
}

/* ---- the parser ----------------------------------------------------------------------- */

struct stated { /* a label the file states, and the line that stated it first */
    char *text;
    long long count;
    long line;
};

struct parser {
    struct wp_sink *sink;
    const struct wp_generic_map *map;
    const char *path;
    size_t n;           /* header fields */
    char **names;       /* header names (extras' keys) */
    bool *is_mapped;    /* per header field */
    int col[N_KEYS];    /* per map entry: its header field */
    struct stated label[L__N];
    bool labels_from_new; /* a label was first stated by a row read now (not before) */
};

static void parser_free(struct parser *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->names[i]);
    free(p->names);
    free(p->is_mapped);
    for (int i = 0; i < L__N; i++)
        free(p->label[i].text);
}

static enum wp_err set_header(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct parser *p = ctx;
    p->names = calloc(rec->n, sizeof *p->names);
    p->is_mapped = calloc(rec->n, sizeof *p->is_mapped);
    if (!p->names || !p->is_mapped)
        return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
    for (; p->n < rec->n; p->n++)
        if (!(p->names[p->n] = strdup(rec->fields[p->n])))
            return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
    for (size_t k = 0; k < p->map->n; k++) {
        const struct entry *e = &p->map->e[k];
        p->col[k] = -1;
        for (size_t i = 0; i < rec->n; i++) {
            if (strcmp(rec->fields[i], e->column) != 0)
                continue;
            if (p->col[k] >= 0)
                return wp_diag_set(d, WP_ERR_PARSE, p->path, rec->line, (long)i + 1,
                                   "column \"%.60s\" (%s, %s:%ld) is in the header twice "
                                   "(fields %d and %zu)",
                                   e->column, e->key->name, p->map->origin, e->line,
                                   p->col[k] + 1, i + 1);
            p->col[k] = (int)i;
            p->is_mapped[i] = true;
        }
        if (p->col[k] < 0)
            return wp_diag_set(d, WP_ERR_PARSE, p->path, rec->line, 0,
                               "column \"%.60s\" (%s, %s:%ld) is not in the header", e->column,
                               e->key->name, p->map->origin, e->line);
    }
    return WP_OK;
}

/* A number of a K_NUM or count key, in SI units; WP_OK with *skip set when the row was
 * set aside. */
static enum wp_err number(struct parser *p, const struct wp_csv_record *rec, size_t k,
                          double *out, bool *skip, struct wp_diag *d)
{
    const struct entry *e = &p->map->e[k];
    const char *v = rec->fields[p->col[k]];
    long col = p->col[k] + 1;
    const char *name = p->names[p->col[k]];
    enum wp_err err = WP_OK;
    *skip = true;
    switch (wp_parse_num(v, out)) {
    case WP_NUM_OK:
        break;
    case WP_NUM_MISSING:
        *skip = false;
        return WP_OK; /* NAN: not logged */
    case WP_NUM_RANGE:
        return wp_bad_row(p->sink, p->path, rec->line, col, rec->raw, d,
                          "%s: \"%.40s\" %s", name, v, wp_num_why(WP_NUM_RANGE));
    default:
        return wp_bad_row(p->sink, p->path, rec->line, col, rec->raw, d,
                          "%s: \"%.40s\" is not a number", name, v);
    }
    bool whole = e->key->kind != K_NUM;
    if (*out < 0)
        err = wp_bad_row(p->sink, p->path, rec->line, col, rec->raw, d, "%s: negative %s %s",
                         name, e->key->slot, v);
    else if (whole && (*out != floor(*out) || *out > 9007199254740992.0))
        err = wp_bad_row(p->sink, p->path, rec->line, col, rec->raw, d,
                         "%s: \"%.40s\" is not a whole number", name, v);
    else if (e->key->kind == K_LCOUNT && *out < 1)
        err = wp_bad_row(p->sink, p->path, rec->line, col, rec->raw, d,
                         "%s: %s must be at least 1", name, e->key->slot);
    else if (isinf(*out *= e->key->scale))
        err = wp_bad_row(p->sink, p->path, rec->line, col, rec->raw, d,
                         "%s: \"%.40s\" is out of range once converted from %s", name, v,
                         e->key->name);
    else
        *skip = false;
    return err;
}

static const char *const label_names[L__N] = {
    "model", "task", "dataset", "inference count", "batch size",
};

/* The labels of this row agree with those of the rows before it (a file states one model,
 * task, dataset, inference count and batch size); the first row to give one keeps it.
 * Rows ingested before (is_old) only note their labels, never reported. */
static enum wp_err same_labels(struct parser *p, const struct wp_csv_record *rec,
                               const char *const text[L__N], const double count[L__N],
                               const long col[L__N], bool is_old, bool *skip,
                               struct wp_diag *d)
{
    *skip = false;
    for (int l = 0; l < L__N; l++) {
        bool given = text[l] ? *text[l] != '\0' : !isnan(count[l]);
        const struct stated *s = &p->label[l];
        if (!given || !s->line ||
            (text[l] ? strcmp(s->text, text[l]) == 0 : s->count == (long long)count[l]))
            continue;
        *skip = true;
        if (is_old)
            return WP_OK;
        char first[48];
        if (text[l])
            snprintf(first, sizeof first, "%.40s", s->text);
        else
            snprintf(first, sizeof first, "%lld", s->count);
        return wp_bad_row(p->sink, p->path, rec->line, col[l], rec->raw, d,
                          "%s: \"%.40s\" differs from \"%s\" at line %ld: a file gives its "
                          "runs one %s (label a file that mixes them with a manifest)",
                          p->names[col[l] - 1], rec->fields[col[l] - 1], first, s->line,
                          label_names[l]);
    }
    for (int l = 0; l < L__N; l++) {
        bool given = text[l] ? *text[l] != '\0' : !isnan(count[l]);
        struct stated *s = &p->label[l];
        if (!given || s->line)
            continue;
        if (text[l] && !(s->text = strdup(text[l])))
            return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
        s->count = text[l] ? 0 : (long long)count[l];
        s->line = rec->line;
        p->labels_from_new |= !is_old;
    }
    return WP_OK;
}

/* The inference count or batch size of a row ingested before, quietly (NAN if unusable). */
static double old_count(const char *v)
{
    double x;
    return wp_parse_num(v, &x) == WP_NUM_OK && x >= 1 && x == floor(x) &&
                   x <= 9007199254740992.0
               ? x
               : NAN;
}

static enum wp_err row(void *ctx, struct wp_csv_record *rec, struct wp_diag *d)
{
    struct parser *p = ctx;
    struct wp_sink *sink = p->sink;
    bool is_old = rec->end_offset <= sink->skip_until; /* read for its labels only */
    bool skip;
    enum wp_err e = is_old ? WP_OK : wp_row_width(sink, p->path, rec, p->n, &skip, d);
    if (e || (!is_old && skip) || (is_old && rec->n != p->n))
        return e;
    struct wp_measurement m;
    struct wp_extras x;
    struct wp_when when;
    wp_measurement_clear(&m);
    wp_extras_init(&x);
    m.line = rec->line;
    m.tool_name = "generic";
    const char *text[L__N] = {NULL};
    double count[L__N] = {NAN, NAN, NAN, NAN, NAN};
    long col[L__N] = {0};
    for (size_t k = 0; k < p->map->n; k++) {
        const struct key *key = p->map->e[k].key;
        const char *v = rec->fields[p->col[k]];
        double num;
        switch (key->kind) {
        case K_TEXT:
            *(const char **)((char *)&m + key->off) = v;
            break;
        case K_LABEL:
            text[key->off] = v;
            col[key->off] = p->col[k] + 1;
            break;
        case K_TIME:
            if (!*v || is_old)
                break;
            if (!wp_time_parse(v, &when) || !when.has_date)
                return wp_bad_row(sink, p->path, rec->line, p->col[k] + 1, rec->raw, d,
                                  "%s: \"%.40s\" is not a date and time", p->names[p->col[k]],
                                  v);
            m.started_at = when.iso;
            break;
        default:
            if (is_old && key->kind == K_LCOUNT) {
                count[key->off] = old_count(v);
                col[key->off] = p->col[k] + 1;
            }
            if (is_old)
                break;
            if ((e = number(p, rec, k, &num, &skip, d)) || skip)
                return e;
            if (key->kind == K_LCOUNT) {
                count[key->off] = num;
                col[key->off] = p->col[k] + 1;
            } else {
                *(double *)((char *)&m + key->off) = num;
            }
        }
    }
    if ((e = same_labels(p, rec, text, count, col, is_old, &skip, d)) || skip || is_old)
        return e;
    if (isnan(m.energy_j) && (!isnan(m.cpu_energy_j) || !isnan(m.gpu_energy_j) ||
                              !isnan(m.ram_energy_j))) {
        /* only the parts are logged: the total is their sum */
        m.energy_j = (isnan(m.cpu_energy_j) ? 0 : m.cpu_energy_j) +
                     (isnan(m.gpu_energy_j) ? 0 : m.gpu_energy_j) +
                     (isnan(m.ram_energy_j) ? 0 : m.ram_energy_j);
        if (isinf(m.energy_j))
            return wp_bad_row(sink, p->path, rec->line, 0, rec->raw, d,
                              "the energies add up to a number out of range");
    }
    for (size_t i = 0; i < p->n; i++)
        if (!p->is_mapped[i])
            wp_extras_text(&x, p->names[i], rec->fields[i]);
    if (x.dropped)
        wp_report(sink->rep, WP_WARN, p->path, rec->line, 0,
                  "%zu columns beyond the first %d not kept", x.dropped, WP_EXTRAS_MAX);
    wp_extras_attach(&x, &m);
    return sink->measurement(sink->ctx, &m, *m.phase && *m.run_label ? m.run_label : NULL, d);
}

/* The labels the file states label its runs (below a manifest and the command line). */
static enum wp_err state_labels(struct parser *p, struct wp_diag *d)
{
    if (!p->labels_from_new || !p->sink->file_labels)
        return WP_OK;
    struct wp_ingest_labels l = {
        .model = p->label[L_MODEL].text,
        .task = p->label[L_TASK].text,
        .dataset = p->label[L_DATASET].text,
        .inferences = p->label[L_INFERENCES].count,
        .batch_size = p->label[L_BATCH].count,
    };
    return p->sink->file_labels(p->sink->ctx, "the file's columns (generic map)", &l, d);
}

static enum wp_err parse(struct wp_reader *r, struct wp_sink *sink, struct wp_diag *d)
{
    struct parser p = {.sink = sink, .path = wp_reader_path(r), .map = sink->fmt->generic_map};
    if (!p.map)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                           "the generic format needs a column map (--map)");
    struct wp_csv *csv;
    enum wp_err e = wp_csv_open(r, &csv, d);
    if (e)
        return e;
    struct wp_csv_walk w = {
        .ctx = &p, .header = set_header, .row = row, .width = &p.n, .old_rows = true};
    bool have_header;
    long rows;
    e = wp_csv_walk(csv, sink, &w, &have_header, &rows, d);
    if (!e)
        wp_csv_no_data(sink, have_header, rows, "empty file: no header line",
                       "no rows after the header");
    if (!e)
        e = state_labels(&p, d);
    parser_free(&p);
    wp_csv_close(csv);
    return e;
}

const struct wp_format wp_format_generic = {
    .name = "generic",
    .summary = "any CSV with a header, read through a column map (--map KEY=COLUMN,... or a "
               "map file); never detected",
    .versions = "any; units are in the map's keys (energy_kwh, duration_ms, emissions_kg)",
    .detect = NULL,
    .parse = parse,
    .appends = true,
};
