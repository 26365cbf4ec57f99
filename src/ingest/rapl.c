/* Linux RAPL counter logs: CSV samples of /sys/class/powercap/intel-rapl:N/energy_uj, long
 * (`timestamp,domain,energy_uj[,max_energy_range_uj]`, a row per domain per sample) or
 * wide (`timestamp,package-0_energy_uj,dram_energy_uj,...` with optional
 * `<domain>_max_energy_range_uj` columns).  The counters are cumulative microjoules that
 * wrap to 0 after max_energy_range_uj: energy is the sum of differences, plus the range
 * when a counter went down, which needs the range logged.  The whole file is one run:
 * package domains are CPU energy, dram is RAM; core, uncore and psys are parts or
 * supersets of those and kept as extras only.  Not Intel Power Gadget logs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/common.h"
#include "ingest/csv.h"
#include "ingest/ingest.h"
#include "util/text.h"

#define MAX_DOMAINS 64
#define UJ_J 1e-6

enum part { P_CPU, P_RAM, P_OTHER };

struct domain {
    char name[64];
    enum part part;
    int c_energy, c_max;  /* wide layout: the columns of this domain (c_max -1 if none) */
    bool has_last;
    double last_uj, max_uj, sum_uj;
    long wraps;
};

struct parser {
    struct wp_sink *sink;
    const char *path;
    size_t n_fields;
    bool is_long;
    int c_time, c_domain, c_energy, c_max; /* long layout */
    struct domain dom[MAX_DOMAINS];
    size_t n_dom;
    bool have_t0;
    struct wp_when t0;
    double first_t, last_t;
    char start_iso[64];
    long first_line, missing, first_missing;
};

/* package-0, intel-rapl:0 -> CPU; dram, intel-rapl:0:2 named dram -> RAM; the rest
 * (core, uncore, psys) are inside or around those. */
static enum part part_of(const char *name)
{
    if (strncasecmp(name, "package", 7) == 0)
        return P_CPU;
    if (strncasecmp(name, "dram", 4) == 0)
        return P_RAM;
    if (strncmp(name, "intel-rapl:", 11) == 0 && !strchr(name + 11, ':'))
        return P_CPU;
    return P_OTHER;
}

/* Whether name ends in suffix; "package-0_energy_uj" gives domain "package-0" (a bare
 * "energy_uj" is "package"). */
static bool counter_column(const char *name, const char *suffix, char *domain, size_t size)
{
    size_t n = strlen(name), sl = strlen(suffix);
    if (n < sl || strcmp(name + n - sl, suffix) != 0)
        return false;
    size_t dl = n - sl;
    while (dl && (name[dl - 1] == '_' || name[dl - 1] == ' ' || name[dl - 1] == '.' ||
                  name[dl - 1] == '/'))
        dl--;
    if (dl == 0)
        snprintf(domain, size, "package");
    else
        snprintf(domain, size, "%.*s", (int)dl, name);
    return true;
}

static struct domain *domain_named(struct parser *p, const char *name, long line,
                                   struct wp_diag *d, enum wp_err *e)
{
    *e = WP_OK;
    for (size_t i = 0; i < p->n_dom; i++)
        if (strcmp(p->dom[i].name, name) == 0)
            return &p->dom[i];
    if (p->n_dom == MAX_DOMAINS) {
        *e = wp_diag_set(d, WP_ERR_LIMIT, p->path, line, 0, "more than %d RAPL domains",
                         MAX_DOMAINS);
        return NULL;
    }
    struct domain *dm = &p->dom[p->n_dom++];
    memset(dm, 0, sizeof *dm);
    wp_strlcpy_utf8(dm->name, name, sizeof dm->name);
    dm->part = part_of(name);
    dm->c_energy = dm->c_max = -1;
    dm->max_uj = NAN;
    return dm;
}

static enum wp_err set_header(struct parser *p, const struct wp_csv_record *rec,
                              struct wp_diag *d)
{
    p->n_fields = rec->n;
    p->c_time = p->c_domain = p->c_energy = p->c_max = -1;
    enum wp_err e = WP_OK;
    for (size_t i = 0; i < rec->n && !e; i++) {
        const char *f = rec->fields[i];
        char dom[64];
        if (strcasecmp(f, "timestamp") == 0 || strcasecmp(f, "time") == 0)
            p->c_time = (int)i;
        else if (strcasecmp(f, "domain") == 0 || strcasecmp(f, "zone") == 0)
            p->c_domain = (int)i;
        else if (strcmp(f, "energy_uj") == 0)
            p->c_energy = (int)i;
        else if (strcmp(f, "max_energy_range_uj") == 0)
            p->c_max = (int)i;
        if (counter_column(f, "max_energy_range_uj", dom, sizeof dom) && *dom &&
            strcmp(f, "max_energy_range_uj") != 0) {
            struct domain *dm = domain_named(p, dom, rec->line, d, &e);
            if (dm)
                dm->c_max = (int)i;
        } else if (!strstr(f, "max_energy_range_uj") &&
                   counter_column(f, "energy_uj", dom, sizeof dom) &&
                   !(p->c_domain >= 0 && strcmp(f, "energy_uj") == 0)) {
            struct domain *dm = domain_named(p, dom, rec->line, d, &e);
            if (dm)
                dm->c_energy = (int)i;
        }
    }
    if (e)
        return e;
    p->is_long = p->c_domain >= 0 && p->c_energy >= 0;
    if (p->is_long) {
        p->n_dom = 0; /* a bare energy_uj column read as a domain above */
    } else if (p->c_max >= 0 && p->n_dom == 1) {
        p->dom[0].c_max = p->c_max; /* one domain, one bare max column */
    }
    if (p->c_time < 0)
        return wp_diag_set(d, WP_ERR_PARSE, p->path, rec->line, 0,
                           "no timestamp column: counter samples need their times");
    if (!p->is_long && p->n_dom == 0)
        return wp_diag_set(d, WP_ERR_PARSE, p->path, rec->line, 0,
                           "no energy_uj column (wide: <domain>_energy_uj; long: "
                           "domain,energy_uj)");
    return WP_OK;
}

/* A number cell: WP_OK with *v (NAN when empty), or the bad-row outcome with *is_bad. */
static enum wp_err cell(struct parser *p, const struct wp_csv_record *rec, int col,
                        double *v, bool *is_bad, struct wp_diag *d)
{
    *is_bad = false;
    *v = NAN;
    if (col < 0)
        return WP_OK;
    const char *s = rec->fields[col];
    enum wp_num k = wp_parse_num(s, v);
    switch (k) {
    case WP_NUM_OK:
    case WP_NUM_MISSING:
        break;
    default:
        *is_bad = true;
        return wp_bad_row(p->sink, p->path, rec->line, col + 1, rec->raw, d,
                          "\"%.40s\" %s", s, wp_num_why(k));
    }
    if (*v < 0) {
        *is_bad = true;
        return wp_bad_row(p->sink, p->path, rec->line, col + 1, rec->raw, d,
                          "negative counter %s", s);
    }
    if (*v > 0x1p64) { /* energy_uj and its range are u64 in the kernel */
        *is_bad = true;
        return wp_bad_row(p->sink, p->path, rec->line, col + 1, rec->raw, d,
                          "counter %.40s is beyond 64 bits", s);
    }
    return WP_OK;
}

/* One counter reading of a domain: add the difference to the previous one. */
static enum wp_err reading(struct parser *p, const struct wp_csv_record *rec,
                           struct domain *dm, double uj, double max_uj, int col,
                           struct wp_diag *d)
{
    if (!isnan(max_uj))
        dm->max_uj = max_uj;
    if (isnan(uj)) {
        if (!p->missing++)
            p->first_missing = rec->line;
        return WP_OK;
    }
    if (dm->has_last) {
        double diff = uj - dm->last_uj;
        if (diff < 0) {
            if (isnan(dm->max_uj))
                return wp_bad_row(p->sink, p->path, rec->line, col + 1, rec->raw, d,
                                  "%s: the counter went down (%.0f -> %.0f uJ) and no "
                                  "max_energy_range_uj is logged to undo the wrap",
                                  dm->name, dm->last_uj, uj);
            diff += dm->max_uj;
            if (diff < 0)
                return wp_bad_row(p->sink, p->path, rec->line, col + 1, rec->raw, d,
                                  "%s: the counter went down (%.0f -> %.0f uJ) by more than "
                                  "its max_energy_range_uj %.0f: not a wrap",
                                  dm->name, dm->last_uj, uj, dm->max_uj);
            dm->wraps++;
        }
        dm->sum_uj += diff;
    }
    dm->has_last = true;
    dm->last_uj = uj;
    return WP_OK;
}

static enum wp_err row(struct parser *p, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct wp_sink *sink = p->sink;
    bool skip;
    enum wp_err we = wp_row_width(sink, p->path, rec, p->n_fields, &skip, d);
    if (we || skip)
        return we;
    struct wp_when w;
    if (!wp_time_parse(rec->fields[p->c_time], &w))
        return wp_bad_row(sink, p->path, rec->line, p->c_time + 1, rec->raw, d,
                          "\"%.40s\" is not a timestamp", rec->fields[p->c_time]);
    if (!p->have_t0) {
        p->have_t0 = true;
        p->t0 = w;
        p->first_t = 0.0;
        p->first_line = rec->line;
        snprintf(p->start_iso, sizeof p->start_iso, "%s", w.iso);
    }
    double t = wp_when_diff(&p->t0, &w);
    if (t < p->last_t)
        return wp_bad_row(sink, p->path, rec->line, p->c_time + 1, rec->raw, d,
                          "earlier than the sample before: counter logs must be in order");
    p->last_t = t;
    bool is_bad;
    double uj, max_uj;
    enum wp_err e;
    if (p->is_long) {
        struct domain *dm = domain_named(p, rec->fields[p->c_domain], rec->line, d, &e);
        if (!dm)
            return e;
        if ((e = cell(p, rec, p->c_energy, &uj, &is_bad, d)) || is_bad ||
            (e = cell(p, rec, p->c_max, &max_uj, &is_bad, d)) || is_bad)
            return e;
        return reading(p, rec, dm, uj, max_uj, p->c_energy, d);
    }
    for (size_t i = 0; i < p->n_dom; i++) {
        struct domain *dm = &p->dom[i];
        if ((e = cell(p, rec, dm->c_energy, &uj, &is_bad, d)) || is_bad ||
            (e = cell(p, rec, dm->c_max, &max_uj, &is_bad, d)) || is_bad ||
            (e = reading(p, rec, dm, uj, max_uj, dm->c_energy, d)))
            return e;
    }
    return WP_OK;
}

static enum wp_err emit(struct parser *p, struct wp_diag *d)
{
    struct wp_extras x;
    wp_extras_init(&x);
    double cpu = 0, ram = 0;
    bool has_cpu = false, has_ram = false;
    long wraps = 0;
    for (size_t i = 0; i < p->n_dom; i++) {
        const struct domain *dm = &p->dom[i];
        char key[80], name[51];
        wp_strlcpy_utf8(name, dm->name, sizeof name);
        snprintf(key, sizeof key, "%s_energy_j", name);
        wp_extras_num(&x, key, dm->sum_uj * UJ_J);
        wraps += dm->wraps;
        if (dm->part == P_CPU)
            cpu += dm->sum_uj * UJ_J, has_cpu = true;
        else if (dm->part == P_RAM)
            ram += dm->sum_uj * UJ_J, has_ram = true;
    }
    if (p->missing)
        wp_report(p->sink->rep, WP_WARN, p->path, p->first_missing, 0,
                  "%ld empty counter reading%s (first at this line): skipped, the readings "
                  "around them still give the energy",
                  p->missing, p->missing == 1 ? "" : "s");
    if (!p->have_t0) {
        snprintf(p->sink->no_data, sizeof p->sink->no_data, "no counter samples");
        return WP_OK;
    }
    if (!has_cpu && !has_ram)
        wp_report(p->sink->rep, WP_WARN, p->path, p->first_line, 0,
                  "no package or dram domain: total energy unknown (the domains are kept "
                  "as extras)");
    struct wp_measurement m;
    wp_measurement_clear(&m);
    m.line = p->first_line;
    m.tool_name = "rapl";
    m.started_at = p->start_iso;
    m.duration_s = p->last_t - p->first_t;
    m.cpu_energy_j = has_cpu ? cpu : NAN;
    m.ram_energy_j = has_ram ? ram : NAN;
    if (has_cpu || has_ram)
        m.energy_j = cpu + ram;
    if (m.duration_s > 0 && has_cpu)
        m.cpu_power_w = cpu / m.duration_s;
    if (wraps)
        wp_extras_num(&x, "counter_wraps", (double)wraps);
    wp_extras_attach(&x, &m);
    return p->sink->measurement(p->sink->ctx, &m, NULL, d);
}

static enum wp_err parse(struct wp_reader *r, struct wp_sink *sink, struct wp_diag *d)
{
    struct parser *p = calloc(1, sizeof *p);
    if (!p)
        return wp_diag_set(d, WP_ERR_NOMEM, wp_reader_path(r), 0, 0, "out of memory");
    p->sink = sink;
    p->path = wp_reader_path(r);
    struct wp_csv *csv;
    enum wp_err e = wp_csv_open(r, &csv, d);
    if (e) {
        free(p);
        return e;
    }
    bool have_header = false;
    sink->consumed = 0; /* one run over the whole log: a grown log is read again whole */
    struct wp_csv_record *rec;
    while (wp_csv_more(csv, &rec, &e, d)) {
        if (!have_header) {
            have_header = true;
            if ((e = set_header(p, rec, d)))
                break;
        } else if ((e = row(p, rec, d))) {
            break;
        }
    }
    if (!e && !have_header)
        snprintf(sink->no_data, sizeof sink->no_data, "empty file: no header");
    else if (!e)
        e = emit(p, d);
    wp_csv_close(csv);
    free(p);
    return e;
}

static int detect(const char *const *names, size_t n, char *why, size_t why_size)
{
    bool counter = false, time = false;
    for (size_t i = 0; i < n; i++) {
        char dom[64];
        counter |= counter_column(names[i], "energy_uj", dom, sizeof dom) &&
                   !strstr(names[i], "max_energy_range_uj");
        time |= strcasecmp(names[i], "timestamp") == 0 || strcasecmp(names[i], "time") == 0;
    }
    if (counter && time)
        return 90;
    snprintf(why, why_size, "no energy_uj counter column with a timestamp");
    return 0;
}

const struct wp_format wp_format_rapl = {
    .name = "rapl",
    .summary = "Linux RAPL energy_uj counter samples (CSV, long or wide), wraps undone",
    .versions = "powercap energy_uj counters as scripts log them (no tool has a standard "
                "layout): wide <domain>_energy_uj columns, or long domain,energy_uj rows",
    .detect_header = detect,
    .parse = parse,
};
