/* The per-group columns (columns.h): the one table of what a group statistics table can
 * show and where each value comes from.  Not a writer: no formatting here. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "stats/columns.h"
#include "util/units.h"

#define KWH "kWh per 1,000 inferences"
#define G "g CO2eq per 1,000 inferences"
#define AT(field) offsetof(struct wp_group_stats, field), NULL
#define TEXT(name, field) {name, "", WP_GCOL_TEXT, 0, AT(field)}
#define COUNT(name, field) {name, "", WP_GCOL_COUNT, 0, AT(field)}
#define NUM(name, unit, sig, field) {name, unit, WP_GCOL_NUM, sig, AT(field)}

static union wp_gcell cut_kwh(enum wp_unit unit, const struct wp_group_stats *g)
{
    (void)unit;
    return (union wp_gcell){.flag = wp_ci_lo_is_cut(&g->kwh_t)};
}

static union wp_gcell cut_g(enum wp_unit unit, const struct wp_group_stats *g)
{
    (void)unit;
    return (union wp_gcell){.flag = wp_ci_lo_is_cut(&g->g_t)};
}

static union wp_gcell unit_name(enum wp_unit unit, const struct wp_group_stats *g)
{
    (void)g;
    return (union wp_gcell){.text = wp_unit_name(unit, 1)};
}

const struct wp_gcol wp_group_cols[WP_N_GROUP_COLS] = {
    TEXT("task", task),
    TEXT("model", model),
    TEXT("dataset", dataset),
    TEXT("hardware", hardware),
    COUNT("runs", n_runs),
    COUNT("experiments", n_experiments),
    COUNT("n", n),
    {"unit", "", WP_GCOL_TEXT, 0, SIZE_MAX, unit_name},
    COUNT("n_units", n_units),
    NUM("mean_kwh_per_1k", KWH, 4, kwh.mean),
    NUM("sd_kwh_per_1k", KWH, 3, kwh.sd),
    NUM("se_kwh_per_1k", KWH, 3, kwh.se),
    NUM("median_kwh_per_1k", KWH, 4, kwh.median),
    NUM("q1_kwh_per_1k", KWH, 4, kwh.q1),
    NUM("q3_kwh_per_1k", KWH, 4, kwh.q3),
    NUM("min_kwh_per_1k", KWH, 4, kwh.min),
    NUM("max_kwh_per_1k", KWH, 4, kwh.max),
    NUM("geomean_kwh_per_1k", KWH, 4, kwh.geo_mean),
    NUM("geosd_factor", "", 3, kwh.geo_sd), /* the geometric SD: a factor, no unit */
    NUM("unit_mean_kwh_per_1k", KWH, 4, kwh_t.estimate),
    {"ci_t_lo_kwh_per_1k", KWH, WP_GCOL_CI, 4, AT(kwh_t)},
    NUM("ci_t_hi_kwh_per_1k", KWH, 4, kwh_t.hi),
    {"ci_t_lo_below_zero", "", WP_GCOL_BOOL, 0, SIZE_MAX, cut_kwh}, /* people see 0 there */
    NUM("ci_boot_lo_kwh_per_1k", KWH, 4, kwh_boot.lo),
    NUM("ci_boot_hi_kwh_per_1k", KWH, 4, kwh_boot.hi),
    NUM("mean_g_co2eq_per_1k", G, 4, g.mean),
    NUM("sd_g_co2eq_per_1k", G, 3, g.sd),
    {"ci_t_lo_g_co2eq_per_1k", G, WP_GCOL_CI, 4, AT(g_t)},
    NUM("ci_t_hi_g_co2eq_per_1k", G, 4, g_t.hi),
    {"ci_t_lo_g_below_zero", "", WP_GCOL_BOOL, 0, SIZE_MAX, cut_g},
    NUM("mean_j_per_inference", "J per inference", 4, j_per_inference),
    NUM("mean_mg_co2eq_per_inference", "mg CO2eq per inference", 4, mg_per_inference),
    NUM("whatif_g_co2eq_per_1k", G, 4, whatif_g_per_1k),
    NUM("gpu_share", "", 3, gpu_share),
    NUM("parity_inferences", "inferences", 4, parity_inferences),
    COUNT("token_experiments", tokens.n),
    NUM("tokens_per_inference", "tokens per inference", 4, tokens.tokens_per_inference),
    NUM("output_tokens_per_inference", "output tokens per inference", 4,
        tokens.output_tokens_per_inference),
    NUM("kwh_per_1k_tokens", "kWh per 1,000 tokens", 4, tokens.kwh_per_1k_tokens),
    NUM("j_per_output_token", "J per output token", 4, tokens.j_per_output_token),
    {"small_n", "", WP_GCOL_BOOL, 0, AT(is_small)},
};
_Static_assert(sizeof wp_group_cols / sizeof wp_group_cols[0] == WP_N_GROUP_COLS,
               "every column in the table");

static union wp_gcell parameters(enum wp_unit unit, const struct wp_group_stats *g)
{
    (void)unit; /* 0: unknown */
    return (union wp_gcell){.num = g->parameters > 0 ? (double)g->parameters : NAN};
}

static union wp_gcell training_kwh(enum wp_unit unit, const struct wp_group_stats *g)
{
    (void)unit;
    return (union wp_gcell){.num = wp_kwh_of_j(g->training_energy_j)};
}

const struct wp_gcol wp_group_more_cols[WP_N_GROUP_MORE_COLS] = {
    {"parameters", "", WP_GCOL_NUM, 4, SIZE_MAX, parameters},
    TEXT("purpose", purpose),
    NUM("gpu_kwh_per_1k", KWH, 4, gpu_kwh_per_1k),
    {"training_kwh", "kWh", WP_GCOL_NUM, 4, SIZE_MAX, training_kwh},
};

const struct wp_gcol *wp_gcol_find(const char *name)
{
    for (size_t i = 0; i < WP_N_GROUP_COLS; i++)
        if (strcmp(wp_group_cols[i].name, name) == 0)
            return &wp_group_cols[i];
    for (size_t i = 0; i < WP_N_GROUP_MORE_COLS; i++)
        if (strcmp(wp_group_more_cols[i].name, name) == 0)
            return &wp_group_more_cols[i];
    return NULL;
}

union wp_gcell wp_gcol_get(const struct wp_gcol *c, enum wp_unit unit,
                           const struct wp_group_stats *g)
{
    if (c->get)
        return c->get(unit, g);
    const char *at = (const char *)g + c->off;
    union wp_gcell v;
    switch (c->kind) {
    case WP_GCOL_TEXT:
        memcpy(&v.text, at, sizeof v.text);
        if (!v.text)
            v.text = "";
        return v;
    case WP_GCOL_COUNT: {
        size_t n;
        memcpy(&n, at, sizeof n);
        return (union wp_gcell){.count = (long long)n};
    }
    case WP_GCOL_NUM: memcpy(&v.num, at, sizeof v.num); return v;
    case WP_GCOL_CI: return (union wp_gcell){.ci = (const struct wp_ci *)(const void *)at};
    default: memcpy(&v.flag, at, sizeof v.flag); return v;
    }
}

double wp_gcol_num(const struct wp_gcol *c, enum wp_unit unit,
                   const struct wp_group_stats *g)
{
    union wp_gcell v = wp_gcol_get(c, unit, g);
    switch (c->kind) {
    case WP_GCOL_NUM: return v.num;
    case WP_GCOL_COUNT: return (double)v.count;
    case WP_GCOL_CI: return v.ci->lo;
    default: return NAN;
    }
}
