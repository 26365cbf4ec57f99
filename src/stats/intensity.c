/* Hourly carbon intensity (intensity.h): the CSV read into one zone's sorted series, and
 * the time-weighted mean over a window.  Nothing here prints or touches the store. */
#include "stats/intensity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/csv.h"
#include "util/array.h"
#include "util/num.h"
#include "util/time.h"

const char *wp_intensity_basis_name(enum wp_intensity_basis b)
{
    return b == WP_INTENSITY_MARKET ? "market-based" : "location-based";
}

void wp_intensity_free(struct wp_intensity *in)
{
    free(in->t_s);
    free(in->g_per_kwh);
    in->t_s = in->g_per_kwh = NULL;
    in->n = 0;
}

static bool is_any(const char *f, const char *const *names)
{
    for (; *names; names++)
        if (strcasecmp(f, *names) == 0)
            return true;
    return false;
}

static bool ends_with(const char *f, const char *tail)
{
    size_t a = strlen(f), b = strlen(tail);
    return a >= b && strcasecmp(f + a - b, tail) == 0;
}

/* Electricity Maps' intensity columns: 1 direct, 2 life cycle, 0 neither. */
static int em_kind(const char *f)
{
    if (strncasecmp(f, "Carbon Intensity", 16) != 0)
        return 0;
    if (ends_with(f, "(direct)"))
        return 1;
    if (ends_with(f, "(LCA)") || ends_with(f, "(life cycle assessment)"))
        return 2;
    return 0;
}

struct cols {
    long t, zone, g; /* -1 absent */
};

static enum wp_err read_header(const struct wp_csv_record *rec, const struct wp_intensity_opts *o,
                               struct cols *c, struct wp_intensity *out, const char *path,
                               struct wp_diag *d)
{
    static const char *const t_names[] = {"Datetime (UTC)", "datetime", "timestamp", "time",
                                          NULL};
    static const char *const z_names[] = {"Zone Id", "zone", "zone_id", NULL};
    static const char *const g_names[] = {"carbon_intensity", "carbon_intensity_g_per_kwh",
                                          "g_co2eq_per_kwh", NULL};
    long direct = -1, lca = -1, generic = -1;
    *c = (struct cols){-1, -1, -1};
    for (size_t i = 0; i < rec->n; i++) {
        const char *f = rec->fields[i];
        if (c->t < 0 && is_any(f, t_names))
            c->t = (long)i;
        else if (c->zone < 0 && is_any(f, z_names))
            c->zone = (long)i;
        else if (em_kind(f) == 1 && direct < 0)
            direct = (long)i;
        else if (em_kind(f) == 2 && lca < 0)
            lca = (long)i;
        else if (generic < 0 && is_any(f, g_names))
            generic = (long)i;
    }
    c->g = o->prefer_lca && lca >= 0 ? lca : direct >= 0 ? direct : lca >= 0 ? lca : generic;
    if (c->t < 0 || c->g < 0)
        return wp_diag_set(d, WP_ERR_PARSE, path, rec->line, 0,
                           "an intensity file needs a time column (\"Datetime (UTC)\" or "
                           "\"timestamp\") and an intensity column (\"Carbon Intensity "
                           "gCO2eq/kWh (direct)\" or \"carbon_intensity\") in its header");
    if (o->prefer_lca && c->g != lca)
        return wp_diag_set(d, WP_ERR_USAGE, path, rec->line, 0,
                           "--intensity-lca: the file has no life-cycle (LCA) column");
    snprintf(out->column, sizeof out->column, "%s", rec->fields[c->g]);
    return WP_OK;
}

/* The zones seen, for a message: up to a few names. */
struct zones {
    char names[8][64];
    size_t n;
};

static void zones_add(struct zones *z, const char *name)
{
    for (size_t i = 0; i < z->n; i++)
        if (strcmp(z->names[i], name) == 0)
            return;
    if (z->n < 8)
        snprintf(z->names[z->n++], sizeof z->names[0], "%s", name);
}

static enum wp_err push(struct wp_intensity *out, size_t *cap, double t, double g)
{
    /* two columns, one count: each keeps its own capacity until both have grown (a
     * failure leaves the smaller one, which is still true of both) */
    size_t cap_t = *cap, cap_g = *cap;
    enum wp_err e = WP_ARRAY_GROW(out->t_s, out->n + 1, cap_t);
    if (!e)
        e = WP_ARRAY_GROW(out->g_per_kwh, out->n + 1, cap_g);
    *cap = cap_t < cap_g ? cap_t : cap_g;
    if (e)
        return e;
    out->t_s[out->n] = t;
    out->g_per_kwh[out->n++] = g;
    return WP_OK;
}

static enum wp_err read_row(const struct wp_csv_record *rec, const struct cols *c,
                            const struct wp_intensity_opts *o, struct wp_intensity *out,
                            size_t *cap, struct zones *z, const char *path, struct wp_diag *d)
{
    long last = c->t > c->g ? c->t : c->g;
    last = c->zone > last ? c->zone : last;
    if (rec->n <= (size_t)last)
        return wp_diag_set(d, WP_ERR_PARSE, path, rec->line, (long)rec->n + 1,
                           "too few fields (%zu; the header names %ld)", rec->n, last + 1);
    if (c->zone >= 0) {
        const char *zone = rec->fields[c->zone];
        zones_add(z, zone);
        const char *want = o->zone ? o->zone : z->names[0];
        if (strcmp(zone, want) != 0)
            return WP_OK;
    }
    double t, g;
    if (!wp_iso8601_seconds(rec->fields[c->t], &t))
        return wp_diag_set(d, WP_ERR_PARSE, path, rec->line, c->t + 1,
                           "\"%s\" is not an ISO 8601 time", rec->fields[c->t]);
    enum wp_num r = wp_parse_num(rec->fields[c->g], &g);
    if (r == WP_NUM_MISSING) /* an hour without a value is a gap: kept (as NAN) for the */
        g = NAN;             /* file's resolution, and windows over it are not covered */
    else if (r != WP_NUM_OK || !isfinite(g) || g < 0)
        return wp_diag_set(d, WP_ERR_PARSE, path, rec->line, c->g + 1,
                           "%s: \"%s\" is not an intensity in g CO2eq/kWh", out->column,
                           rec->fields[c->g]);
    return push(out, cap, t, g) ? wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory")
                                : WP_OK;
}

/* Sorts the series by time (an insertion sort: exports come sorted, so it is linear). */
static void sort_series(struct wp_intensity *in)
{
    for (size_t i = 1; i < in->n; i++) {
        double t = in->t_s[i], g = in->g_per_kwh[i];
        size_t j = i;
        for (; j > 0 && in->t_s[j - 1] > t; j--) {
            in->t_s[j] = in->t_s[j - 1];
            in->g_per_kwh[j] = in->g_per_kwh[j - 1];
        }
        in->t_s[j] = t;
        in->g_per_kwh[j] = g;
    }
}

/* "FR, DE, ..." into list. */
static void zone_list(const struct zones *z, char *list, size_t size)
{
    list[0] = '\0';
    for (size_t i = 0; i < z->n; i++)
        snprintf(list + strlen(list), size - strlen(list), "%s%s", i ? ", " : "", z->names[i]);
    if (z->n == 8)
        snprintf(list + strlen(list), size - strlen(list), ", ...");
}

static enum wp_err finish(struct wp_intensity *out, const struct cols *c,
                          const struct wp_intensity_opts *o, const struct zones *z,
                          const char *path, struct wp_diag *d)
{
    char list[600];
    zone_list(z, list, sizeof list);
    if (c->zone >= 0 && o->zone && !out->n)
        return wp_diag_set(d, WP_ERR_USAGE, path, 0, 0, "no rows for zone \"%s\"; the file has %s",
                           o->zone, list);
    if (c->zone >= 0 && !o->zone && z->n > 1)
        return wp_diag_set(d, WP_ERR_USAGE, path, 0, 0,
                           "several zones (%s): say which with --zone", list);
    size_t n_values = 0;
    for (size_t i = 0; i < out->n; i++)
        n_values += !isnan(out->g_per_kwh[i]);
    if (!n_values)
        return wp_diag_set(d, WP_ERR_PARSE, path, 0, 0, "no intensity values");
    snprintf(out->zone, sizeof out->zone, "%s", c->zone >= 0 ? (o->zone ? o->zone : z->names[0])
                                                             : "");
    sort_series(out);
    out->step_s = 3600.0; /* one row: taken as hourly */
    double step = INFINITY;
    for (size_t i = 1; i < out->n; i++) {
        double s = out->t_s[i] - out->t_s[i - 1];
        if (s <= 0)
            return wp_diag_set(d, WP_ERR_PARSE, path, 0, 0,
                               "two rows for one time of zone \"%s\"", out->zone);
        step = s < step ? s : step;
    }
    if (isfinite(step))
        out->step_s = step;
    return WP_OK;
}

struct load {
    const char *path;
    const struct wp_intensity_opts *o;
    struct wp_intensity *out;
    struct cols c;
    struct zones z;
    size_t cap;
};

static enum wp_err on_header(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct load *l = ctx;
    return read_header(rec, l->o, &l->c, l->out, l->path, d);
}

static enum wp_err on_row(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct load *l = ctx;
    return read_row(rec, &l->c, l->o, l->out, &l->cap, &l->z, l->path, d);
}

enum wp_err wp_intensity_load(const char *path, const struct wp_intensity_opts *o,
                              struct wp_intensity *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    out->basis = o->basis;
    struct load l = {.path = path, .o = o, .out = out, .c = {-1, -1, -1}, .z = {.n = 0}};
    struct wp_csv_each each = {on_header, on_row, &l};
    bool header;
    enum wp_err e = wp_csv_each(path, &each, &header, NULL, d);
    if (!e && !header)
        e = wp_diag_set(d, WP_ERR_PARSE, path, 0, 0, "empty intensity file");
    if (!e)
        e = finish(out, &l.c, o, &l.z, path, d);
    if (e)
        wp_intensity_free(out);
    return e;
}

/* The first row whose time is above t (n if none). */
static size_t upper(const struct wp_intensity *in, double t)
{
    size_t lo = 0, hi = in->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (in->t_s[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool wp_intensity_over(const struct wp_intensity *in, double start_s, double duration_s,
                       double *out)
{
    if (!in->n || !isfinite(start_s) || !isfinite(duration_s) || duration_s < 0)
        return false;
    size_t i = upper(in, start_s);
    if (i == 0)
        return false;
    i--; /* the row that holds start_s, if any */
    if (duration_s == 0) {
        if (start_s >= in->t_s[i] + in->step_s || isnan(in->g_per_kwh[i]))
            return false;
        *out = in->g_per_kwh[i];
        return true;
    }
    double end_s = start_s + duration_s, covered = 0, weighted = 0;
    for (; i < in->n && in->t_s[i] < end_s; i++) {
        double a = fmax(start_s, in->t_s[i]), b = fmin(end_s, in->t_s[i] + in->step_s);
        if (b > a && !isnan(in->g_per_kwh[i])) {
            covered += b - a;
            weighted += (b - a) * in->g_per_kwh[i];
        }
    }
    /* a gap in the rows, or a window past either end: not covered (a millisecond of slack
     * for times written to the second) */
    if (covered < duration_s - 1e-3)
        return false;
    *out = weighted / covered;
    return true;
}
