/* Aligning CodeCarbon 3.2.9+ short append rows (see codecarbon_short.h).  A row is the
 * full column list with some droppable fields left out; every alignment that fits the
 * kinds of the values is considered at once (reachability from both ends), and a value is
 * placed only where every fitting alignment puts it. */
#include "ingest/codecarbon_short.h"

#include <ctype.h>
#include <string.h>

#include "util/num.h"

enum kind {
    K_ANY,     /* any text */
    K_TEXT,    /* text that is not a number ("" allowed: CodeCarbon writes "" for it) */
    K_NUM,     /* a number: an empty one is NaN, which dropna leaves out */
    K_VERSION, /* "3.8", "3.11.4", "2.4.3rc1" */
    K_MODE,    /* tracking_mode: machine or process */
    K_ISO3,    /* an ISO 3166 alpha-3 code: CodeCarbon writes nothing else there */
};

struct field {
    const char *name;
    enum kind kind;
    bool can_drop; /* None in some runs (unset location, CPU-only machine, ...) */
};

/* codecarbon/output_methods/emissions_data.py, EmissionsData, v3.2.9 to v3.3.0.  What can
 * be None comes from EmissionsTracker._prepare_emissions_data: the location (offline with
 * no region or coordinates), the hardware fields read from the configuration (no GPU:
 * gpu_count and gpu_model), the versions and tracking mode from it too.  experiment_id is
 * str()'d today but was None in earlier code paths: it may be absent.  Measured figures
 * (duration, emissions, powers, energies, water, utilisation, pue, wue) are always
 * numbers, and the identity (timestamp, project_name, run_id) is always written. */
static const struct field fields[WP_CC_SHORT_COLUMNS] = {
    {"timestamp", K_ANY, false},
    {"project_name", K_ANY, false},
    {"run_id", K_ANY, false},
    {"experiment_id", K_TEXT, true},
    {"duration", K_NUM, false},
    {"emissions", K_NUM, false},
    {"emissions_rate", K_NUM, false},
    {"cpu_power", K_NUM, false},
    {"gpu_power", K_NUM, false},
    {"ram_power", K_NUM, false},
    {"cpu_energy", K_NUM, false},
    {"gpu_energy", K_NUM, false},
    {"ram_energy", K_NUM, false},
    {"energy_consumed", K_NUM, false},
    {"water_consumed", K_NUM, false},
    {"country_name", K_TEXT, true},
    {"country_iso_code", K_ISO3, true},
    {"region", K_TEXT, true},
    {"cloud_provider", K_TEXT, true},
    {"cloud_region", K_TEXT, true},
    {"os", K_TEXT, true},
    {"python_version", K_VERSION, true},
    {"codecarbon_version", K_VERSION, true},
    {"cpu_count", K_NUM, true},
    {"cpu_model", K_TEXT, true},
    {"gpu_count", K_NUM, true},
    {"gpu_model", K_TEXT, true},
    {"longitude", K_NUM, true},
    {"latitude", K_NUM, true},
    {"ram_total_size", K_NUM, true},
    {"tracking_mode", K_MODE, true},
    {"cpu_utilization_percent", K_NUM, false},
    {"gpu_utilization_percent", K_NUM, false},
    {"ram_utilization_percent", K_NUM, false},
    {"ram_used_gb", K_NUM, false},
    {"on_cloud", K_TEXT, false},
    {"pue", K_NUM, false},
    {"wue", K_NUM, false},
};
#define N WP_CC_SHORT_COLUMNS

const char *wp_cc_short_name(size_t i)
{
    return i < N ? fields[i].name : "";
}

bool wp_cc_short_layout(const char *const *names, size_t n, struct wp_cc_short *out)
{
    if (n != N)
        return false;
    for (size_t i = 0; i < N; i++) {
        size_t found = 0, at = 0;
        for (size_t h = 0; h < n; h++)
            if (strcmp(names[h], fields[i].name) == 0) {
                found++;
                at = h;
            }
        if (found != 1)
            return false;
        out->hdr_col[i] = at;
    }
    return true;
}

static bool is_version(const char *s)
{
    if (!isdigit((unsigned char)*s))
        return false;
    bool dot = false;
    for (; *s; s++) {
        if (*s == '.')
            dot = true;
        else if (!isalnum((unsigned char)*s) && *s != '+' && *s != '-')
            return false;
    }
    return dot;
}

static bool fits(enum kind k, const char *v)
{
    double x;
    switch (k) {
    case K_ANY:
        return true;
    case K_TEXT:
        return wp_parse_num(v, &x) != WP_NUM_OK;
    case K_NUM:
        return wp_parse_num(v, &x) == WP_NUM_OK;
    case K_VERSION:
        return is_version(v);
    case K_MODE:
        return strcmp(v, "machine") == 0 || strcmp(v, "process") == 0;
    case K_ISO3:
        return strlen(v) == 3 && isupper((unsigned char)v[0]) &&
               isupper((unsigned char)v[1]) && isupper((unsigned char)v[2]);
    }
    return false;
}

bool wp_cc_short_reordered(const struct wp_cc_short *l)
{
    for (size_t i = 0; i < N; i++)
        if (l->hdr_col[i] != i)
            return true;
    return false;
}

/* Whether v can be field i's in a full row: its kind, or empty where CodeCarbon writes
 * nothing for a field it may not know. */
static bool fits_full(size_t i, const char *v)
{
    return fits(fields[i].kind, v) || (!*v && fields[i].can_drop);
}

enum wp_cc_order wp_cc_full_order(const struct wp_cc_short *l, const char *const *values)
{
    bool by_header = true, by_field = true, same = true;
    for (size_t i = 0; i < N; i++) {
        const char *h = values[l->hdr_col[i]], *f = values[i];
        by_header &= fits_full(i, h);
        by_field &= fits_full(i, f);
        same &= strcmp(h, f) == 0;
    }
    if (by_header && (!by_field || same))
        return WP_CC_HEADER_ORDER;
    if (by_field)
        return by_header ? WP_CC_EITHER_ORDER : WP_CC_FIELD_ORDER;
    return WP_CC_NO_ORDER;
}

bool wp_cc_short_align(const struct wp_cc_short *l, const char *const *values, size_t k,
                       const char **value, long *field, unsigned long long *unplaced)
{
    /* fw[i][j]: fields 0..i-1 can hold values 0..j-1; bw[i][j]: fields i.. hold values j.. */
    bool fw[N + 1][N + 1], bw[N + 1][N + 1], ok[N][N];
    *unplaced = 0;
    for (size_t h = 0; h < N; h++) {
        value[h] = "";
        field[h] = 0;
    }
    if (k > N)
        return false;
    memset(fw, 0, sizeof fw);
    memset(bw, 0, sizeof bw);
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < k; j++)
            ok[i][j] = fits(fields[i].kind, values[j]);
    fw[0][0] = true;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j <= k; j++) {
            if (!fw[i][j])
                continue;
            if (fields[i].can_drop)
                fw[i + 1][j] = true;
            if (j < k && ok[i][j])
                fw[i + 1][j + 1] = true;
        }
    bw[N][k] = true;
    for (size_t i = N; i-- > 0;)
        for (size_t j = 0; j <= k; j++)
            bw[i][j] = (fields[i].can_drop && bw[i + 1][j]) ||
                       (j < k && ok[i][j] && bw[i + 1][j + 1]);
    if (!fw[N][k])
        return false;
    for (size_t i = 0; i < N; i++) {
        size_t n_here = 0, at = 0;
        bool may_drop = false;
        for (size_t j = 0; j <= k; j++) {
            may_drop |= fields[i].can_drop && fw[i][j] && bw[i + 1][j];
            if (j < k && fw[i][j] && ok[i][j] && bw[i + 1][j + 1]) {
                n_here++;
                at = j;
            }
        }
        if (n_here == 1 && !may_drop) {
            value[l->hdr_col[i]] = values[at];
            field[l->hdr_col[i]] = (long)at + 1;
        } else if (n_here > 0) {
            *unplaced |= 1ULL << i;
        }
    }
    return true;
}
