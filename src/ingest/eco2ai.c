/* eco2AI emission.csv: one row per tracker stop, or per epoch in training mode (rows of one
 * training share the tracker's `id` and become the phases of one run, named by `epoch`).
 * Layouts: the current one with `id` and `power_consumption(kWh)`, and the one before
 * September 2022 without `id`, with `power_consumption(kWTh)`.  Columns are found by name;
 * unknown ones are kept as extras.  kWh -> J, kg -> g. */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/common.h"
#include "ingest/csv.h"
#include "ingest/ingest.h"

enum role {
    R_ID, R_PROJECT, R_DESCRIPTION, R_EPOCH, R_START, R_DURATION, R_ENERGY, R_EMISSIONS,
    R_CPU, R_GPU, R_OS, R_REGION, R_COST, N_ROLES,
};

/* Header names of each role, as the versions wrote them. */
struct column {
    const char *name;
    enum role role;
};
static const struct column columns[] = {
    {"id", R_ID},
    {"project_name", R_PROJECT},
    {"experiment_description", R_DESCRIPTION},
    {"experiment_description(model type etc.)", R_DESCRIPTION},
    {"epoch", R_EPOCH},
    {"start_time", R_START},
    {"duration(s)", R_DURATION},
    {"power_consumption(kWh)", R_ENERGY},
    {"power_consumption(kWTh)", R_ENERGY},
    {"CO2_emissions(kg)", R_EMISSIONS},
    {"CPU_name", R_CPU},
    {"GPU_name", R_GPU},
    {"OS", R_OS},
    {"region/country", R_REGION},
    {"country", R_REGION},
    {"cost", R_COST},
};
#define N_COLUMNS (sizeof columns / sizeof columns[0])

static int role_of(const char *name)
{
    for (size_t i = 0; i < N_COLUMNS; i++) /* the first byte first: cheap for detection */
        if (columns[i].name[0] == name[0] && strcmp(columns[i].name, name) == 0)
            return (int)columns[i].role;
    return -1;
}

struct parser {
    struct wp_sink *sink;
    const char *path;
    size_t n_fields;
    char **names;
    int col[N_ROLES]; /* field index of each role, or -1 */
    long no_energy, first_no_energy;
};

static void header_free(struct parser *p)
{
    for (size_t i = 0; i < p->n_fields; i++)
        free(p->names[i]);
    free(p->names);
    p->names = NULL;
    p->n_fields = 0;
}

static bool is_header(const struct wp_csv_record *rec)
{
    bool energy = false, emissions = false;
    for (size_t i = 0; i < rec->n; i++) {
        int r = role_of(rec->fields[i]);
        energy |= r == R_ENERGY;
        emissions |= r == R_EMISSIONS;
    }
    return energy && emissions;
}

static enum wp_err set_header(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct parser *p = ctx;
    header_free(p);
    for (int r = 0; r < N_ROLES; r++)
        p->col[r] = -1;
    if (!is_header(rec))
        return wp_diag_set(d, WP_ERR_FORMAT, p->path, rec->line, 0,
                           "not an eco2AI header: no power_consumption(kWh) and "
                           "CO2_emissions(kg) columns");
    if (!(p->names = calloc(rec->n, sizeof *p->names)))
        return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
    p->n_fields = rec->n;
    for (size_t i = 0; i < rec->n; i++) {
        if (!(p->names[i] = strdup(rec->fields[i])))
            return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
        for (size_t j = 0; j < i; j++)
            if (*rec->fields[i] && strcmp(rec->fields[i], rec->fields[j]) == 0)
                return wp_diag_set(d, WP_ERR_PARSE, p->path, rec->line, (long)i + 1,
                                   "duplicate column \"%s\" (also column %zu)",
                                   rec->fields[i], j + 1);
        int r = role_of(rec->fields[i]);
        if (r >= 0)
            p->col[r] = (int)i;
    }
    return WP_OK;
}

/* The oldest eco2AI wrote text as *text*: the stars go, in place (the record owns and
 * frees the field, so its pointer must not move). */
static void unstar(char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && s[0] == '*' && s[n - 1] == '*') {
        memmove(s, s + 1, n - 2);
        s[n - 2] = '\0';
    }
}

/* "<model>/<n> device(s), TDP:<w>" (CPU) or "<model> <n> device(s)" (GPU): the model and
 * the count; *tdp gets what follows "TDP:" (or stays ""). */
static void split_devices(char *s, const char **model, double *count, const char **tdp)
{
    *tdp = "";
    char *tdp_at = strstr(s, "TDP:");
    if (tdp_at) {
        *tdp = tdp_at + 4;
        while (**tdp == ' ')
            (*tdp)++;
    }
    char *dev = strstr(s, " device(s)");
    if (!dev) {
        *model = s;
        return;
    }
    char *q = dev;
    while (q > s && isdigit((unsigned char)q[-1]))
        q--;
    if (q == dev) {
        *model = s;
        return;
    }
    *count = strtod(q, NULL);
    if (q > s && (q[-1] == '/' || q[-1] == ' '))
        q--;
    *q = '\0';
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = '\0';
    *model = s;
}

/* "US/Iowa" (the current layout writes country/region under "region/country") or
 * "Iowa/US" (older ones): the two-letter upper-case side is the country. */
static void split_region(char *s, struct wp_measurement *m)
{
    char *slash = strchr(s, '/');
    if (!slash) {
        m->region = s;
        return;
    }
    *slash = '\0';
    char *a = s, *b = slash + 1;
    bool a_iso = strlen(a) == 2 && isupper((unsigned char)a[0]) && isupper((unsigned char)a[1]);
    bool b_iso = strlen(b) == 2 && isupper((unsigned char)b[0]) && isupper((unsigned char)b[1]);
    if (a_iso) {
        m->country_iso_code = a;
        m->region = b;
    } else if (b_iso) {
        m->country_iso_code = b;
        m->region = a;
    } else {
        *slash = '/';
        m->region = s;
    }
}

/* "epoch: 3, loss: 0.1, " -> "epoch: 3, loss: 0.1"; "", "N/A" -> "" (a whole run). */
static const char *phase_of(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == ','))
        s[--n] = '\0';
    double x;
    if (wp_parse_num(s, &x) == WP_NUM_MISSING)
        return "";
    return s;
}

static enum wp_err number(struct parser *p, const struct wp_csv_record *rec, enum role r,
                          double scale, double *out, bool *bad_out, struct wp_diag *d)
{
    *bad_out = false;
    *out = NAN;
    if (p->col[r] < 0)
        return WP_OK;
    const char *v = rec->fields[p->col[r]];
    const char *name = p->names[p->col[r]];
    double x;
    switch (wp_parse_num(v, &x)) {
    case WP_NUM_OK:
        break;
    case WP_NUM_MISSING:
        return WP_OK;
    case WP_NUM_RANGE:
        *bad_out = true;
        return wp_bad_row(p->sink, p->path, rec->line, p->col[r] + 1, rec->raw, d,
                          "%s: \"%.40s\" %s", name, v, wp_num_why(WP_NUM_RANGE));
    default:
        *bad_out = true;
        return wp_bad_row(p->sink, p->path, rec->line, p->col[r] + 1, rec->raw, d,
                          "%s: \"%.40s\" is not a number", name, v);
    }
    if (x < 0) {
        *bad_out = true;
        return wp_bad_row(p->sink, p->path, rec->line, p->col[r] + 1, rec->raw, d,
                          "%s: negative value %s", name, v);
    }
    if (isinf(x * scale)) { /* finite in kWh or kg, not in J or g */
        *bad_out = true;
        return wp_bad_row(p->sink, p->path, rec->line, p->col[r] + 1, rec->raw, d,
                          "%s: \"%.40s\" is out of range", name, v);
    }
    *out = x * scale;
    return WP_OK;
}

static enum wp_err row(void *ctx, struct wp_csv_record *rec, struct wp_diag *d)
{
    struct parser *p = ctx;
    struct wp_sink *sink = p->sink;
    bool skip;
    enum wp_err we = wp_row_width(sink, p->path, rec, p->n_fields, &skip, d);
    if (we || skip)
        return we;
    struct wp_measurement m;
    struct wp_extras x;
    char start[64];
    wp_measurement_clear(&m);
    wp_extras_init(&x);
    m.line = rec->line;
    m.tool_name = "eco2ai";
    for (size_t i = 0; i < rec->n; i++)
        unstar(rec->fields[i]);
    const char *const *f = (const char *const *)rec->fields;
    if (p->col[R_ID] >= 0)
        m.run_label = f[p->col[R_ID]];
    if (p->col[R_PROJECT] >= 0)
        m.project_name = f[p->col[R_PROJECT]];
    if (p->col[R_DESCRIPTION] >= 0)
        m.experiment_label = f[p->col[R_DESCRIPTION]];
    if (p->col[R_EPOCH] >= 0)
        m.phase = phase_of(rec->fields[p->col[R_EPOCH]]);
    if (p->col[R_OS] >= 0)
        m.os = f[p->col[R_OS]];
    if (p->col[R_START] >= 0 && *f[p->col[R_START]]) {
        struct wp_when when;
        if (!wp_time_parse(f[p->col[R_START]], &when) || !when.has_date)
            return wp_bad_row(sink, p->path, rec->line, p->col[R_START] + 1, rec->raw, d,
                              "start_time: \"%.40s\" is not a timestamp",
                              f[p->col[R_START]]);
        snprintf(start, sizeof start, "%s", when.iso);
        m.started_at = start;
    }
    bool is_bad;
    enum wp_err e;
    if ((e = number(p, rec, R_DURATION, 1.0, &m.duration_s, &is_bad, d)) || is_bad)
        return e;
    if ((e = number(p, rec, R_ENERGY, WP_J_PER_KWH, &m.energy_j, &is_bad, d)) || is_bad)
        return e;
    if ((e = number(p, rec, R_EMISSIONS, 1000.0, &m.emissions_g, &is_bad, d)) || is_bad)
        return e;
    double cost;
    if ((e = number(p, rec, R_COST, 1.0, &cost, &is_bad, d)) || is_bad)
        return e;
    const char *tdp = "", *gpu_tdp = "";
    if (p->col[R_CPU] >= 0)
        split_devices(rec->fields[p->col[R_CPU]], &m.cpu_model, &m.cpu_count, &tdp);
    if (p->col[R_GPU] >= 0)
        split_devices(rec->fields[p->col[R_GPU]], &m.gpu_model, &m.gpu_count, &gpu_tdp);
    if (p->col[R_REGION] >= 0)
        split_region(rec->fields[p->col[R_REGION]], &m);
    wp_extras_text(&x, "cpu_tdp_w", tdp);
    wp_extras_num(&x, "cost", cost);
    for (size_t i = 0; i < rec->n; i++)
        if (role_of(p->names[i]) < 0 && *p->names[i])
            wp_extras_text(&x, p->names[i], f[i]);
    wp_extras_attach(&x, &m);
    if (isnan(m.energy_j) && !p->no_energy++)
        p->first_no_energy = rec->line;
    /* the rows of one training share the tracker id: its epochs are the run's phases */
    return sink->measurement(sink->ctx, &m, *m.run_label ? m.run_label : NULL, d);
}

static enum wp_err parse(struct wp_reader *r, struct wp_sink *sink, struct wp_diag *d)
{
    struct parser p = {.sink = sink, .path = wp_reader_path(r)};
    struct wp_csv *csv;
    enum wp_err e = wp_csv_open(r, &csv, d);
    if (e)
        return e;
    struct wp_csv_walk w = {
        .ctx = &p,
        .header = set_header,
        .row = row,
        .header_again = is_header,
        .width = &p.n_fields,
        .cp1252 = WP_CP1252_WARN,
    };
    bool have_header;
    long rows;
    e = wp_csv_walk(csv, sink, &w, &have_header, &rows, d);
    if (!e)
        wp_csv_no_data(sink, have_header, rows, "empty file: no eco2AI header",
                       "eco2AI header without rows: no runs");
    if (!e && p.no_energy)
        wp_report(sink->rep, WP_WARN, p.path, p.first_no_energy, 0,
                  "%ld row%s without power_consumption (first at this line): kept with "
                  "unknown energy, left out of statistics",
                  p.no_energy, p.no_energy == 1 ? "" : "s");
    header_free(&p);
    wp_csv_close(csv);
    return e;
}

static int detect(const char *const *names, size_t n, char *why, size_t why_size)
{
    bool energy = false, emissions = false;
    for (size_t i = 0; i < n; i++) {
        int r = role_of(names[i]);
        energy |= r == R_ENERGY;
        emissions |= r == R_EMISSIONS;
    }
    if (energy && emissions)
        return 95;
    snprintf(why, why_size, "no power_consumption(kWh) and CO2_emissions(kg) columns");
    return 0;
}

const struct wp_format wp_format_eco2ai = {
    .name = "eco2ai",
    .summary = "eco2AI emission.csv (one run per tracker; training epochs as its phases)",
    .versions = "13 columns with id (real files of 2022 to 2024 checked); the layout "
                "before September 2022 without id, power_consumption(kWTh) (from its source)",
    .detect_header = detect,
    .parse = parse,
    .appends = true,
};
