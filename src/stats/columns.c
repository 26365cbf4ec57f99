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

/* The group's hardware; where its logs name no GPU and no CPU model, said so (not blank). */
static union wp_gcell hardware_name(enum wp_unit unit, const struct wp_group_stats *g)
{
    (void)unit;
    return (union wp_gcell){.text = g->hardware && !*g->hardware ? WP_NO_HARDWARE_NAMED
                                                                  : g->hardware};
}

const struct wp_gcol wp_group_cols[WP_N_GROUP_COLS] = {
    TEXT("task", task),
    TEXT("model", model),
    TEXT("dataset", dataset),
    {"hardware", "", WP_GCOL_TEXT, 0, SIZE_MAX, hardware_name},
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

/* The value of kind at `at`, as the row stores it (TEXT: NULL kept). */
static union wp_gcell read_at(enum wp_gcol_kind kind, const char *at)
{
    union wp_gcell v;
    switch (kind) {
    case WP_GCOL_TEXT: memcpy(&v.text, at, sizeof v.text); return v;
    case WP_GCOL_COUNT: {
        size_t n;
        memcpy(&n, at, sizeof n);
        return (union wp_gcell){.count = (long long)n};
    }
    case WP_GCOL_NUM: memcpy(&v.num, at, sizeof v.num); return v;
    case WP_GCOL_CI: return (union wp_gcell){.ci = (const struct wp_ci *)(const void *)at};
    case WP_GCOL_RANGE:
        memcpy(&v.range.lo, at, sizeof v.range.lo);
        memcpy(&v.range.hi, at + sizeof v.range.lo, sizeof v.range.hi);
        return v;
    case WP_GCOL_BOOL: break;
    }
    memcpy(&v.flag, at, sizeof v.flag);
    return v;
}

static double num_of(enum wp_gcol_kind kind, union wp_gcell v)
{
    switch (kind) {
    case WP_GCOL_NUM: return v.num;
    case WP_GCOL_COUNT: return (double)v.count;
    case WP_GCOL_CI: return v.ci->lo;
    default: return NAN;
    }
}

union wp_gcell wp_gcol_get(const struct wp_gcol *c, enum wp_unit unit,
                           const struct wp_group_stats *g)
{
    if (c->get)
        return c->get(unit, g);
    union wp_gcell v = read_at(c->kind, (const char *)g + c->off);
    if (c->kind == WP_GCOL_TEXT && !v.text)
        v.text = "";
    return v;
}

double wp_gcol_num(const struct wp_gcol *c, enum wp_unit unit,
                   const struct wp_group_stats *g)
{
    return num_of(c->kind, wp_gcol_get(c, unit, g));
}

/* ---- columns over rows of any type ----------------------------------------------------- */

union wp_gcell wp_rowcol_get(const struct wp_rowcol *c, const void *row)
{
    return c->get ? c->get(row) : read_at(c->kind, (const char *)row + c->off);
}

double wp_rowcol_num(const struct wp_rowcol *c, const void *row)
{
    return num_of(c->kind, wp_rowcol_get(c, row));
}

const struct wp_rowcol *wp_rowcol_find(const struct wp_rowcol *cols, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cols[i].name, name) == 0)
            return &cols[i];
    return NULL;
}

/* A range's two doubles side by side, as read_at reads them */
#define ADJACENT(T, lo, hi) \
    _Static_assert(offsetof(T, hi) == offsetof(T, lo) + sizeof(double), #T "." #lo " then " #hi)
ADJACENT(struct wp_ratio, lo, hi);
ADJACENT(struct wp_scaling, slope_lo, slope_hi);

#define PAIR(field) WP_ROWCOL_AT(struct wp_pair_cmp, field)
const struct wp_rowcol wp_pair_cols[WP_N_PAIR_COLS] = {
    {"task_a", "", WP_GCOL_TEXT, 0, PAIR(task_a)},
    {"task_b", "", WP_GCOL_TEXT, 0, PAIR(task_b)},
    {"n_a", "", WP_GCOL_COUNT, 0, PAIR(ratio.n_a)},
    {"n_b", "", WP_GCOL_COUNT, 0, PAIR(ratio.n_b)},
    {"ratio", "", WP_GCOL_NUM, 4, PAIR(ratio.ratio)},
    {"ratio_ci", "", WP_GCOL_RANGE, 4, PAIR(ratio.lo)},
    {"welch_p", "", WP_GCOL_NUM, 3, PAIR(welch_raw.p)},
    {"welch_p_holm", "", WP_GCOL_NUM, 3, PAIR(p_holm_raw)},
    {"ratio_geomean", "", WP_GCOL_NUM, 4, PAIR(geo.ratio)},
    {"welch_log10_p_holm", "", WP_GCOL_NUM, 3, PAIR(p_holm)},
};

#define FIT(field) WP_ROWCOL_AT(struct wp_scaling, field)
const struct wp_rowcol wp_scaling_cols[WP_N_SCALING_COLS] = {
    {"task", "", WP_GCOL_TEXT, 0, FIT(task)}, /* NULL: all tasks, with a task term */
    {"n", "", WP_GCOL_COUNT, 0, FIT(fit.n)},
    {"slope", "log10 kWh per log10 parameter", WP_GCOL_NUM, 4, FIT(fit.slope)},
    {"slope_ci", "log10 kWh per log10 parameter", WP_GCOL_RANGE, 4, FIT(slope_lo)},
    {"r2", "", WP_GCOL_NUM, 3, FIT(fit.r2)},
    {"p_slope", "", WP_GCOL_NUM, 3, FIT(fit.p_slope)},
    {"p_holm", "", WP_GCOL_NUM, 3, FIT(p_holm)}, /* NAN for the pooled fit */
    {"spearman", "", WP_GCOL_NUM, 3, FIT(fit.spearman_rho)},
};

#define PURPOSE(field) WP_ROWCOL_AT(struct wp_purpose_cmp, field)
const struct wp_rowcol wp_purpose_cols[WP_N_PURPOSE_COLS] = {
    {"task", "", WP_GCOL_TEXT, 0, PURPOSE(task)},
    {"n_multi", "", WP_GCOL_COUNT, 0, PURPOSE(ratio.n_a)},
    {"mean_multi_kwh_per_1k", KWH, WP_GCOL_NUM, 4, PURPOSE(ratio.mean_a)},
    {"n_spec", "", WP_GCOL_COUNT, 0, PURPOSE(ratio.n_b)},
    {"mean_spec_kwh_per_1k", KWH, WP_GCOL_NUM, 4, PURPOSE(ratio.mean_b)},
    {"ratio", "", WP_GCOL_NUM, 4, PURPOSE(ratio.ratio)},
    {"ratio_ci", "", WP_GCOL_RANGE, 4, PURPOSE(ratio.lo)},
    {"p_welch", "", WP_GCOL_NUM, 3, PURPOSE(welch.p)},
    {"p_holm", "", WP_GCOL_NUM, 3, PURPOSE(p_holm)},
};

#define STARS(field) WP_ROWCOL_AT(struct wp_star_count, field)
const struct wp_rowcol wp_star_cols[WP_N_STAR_COLS] = {
    {"task", "", WP_GCOL_TEXT, 0, STARS(task)},
    {"models_rated", "", WP_GCOL_COUNT, 0, STARS(rated)},
    {"stars_5", "", WP_GCOL_COUNT, 0, STARS(stars[5])},
    {"stars_4", "", WP_GCOL_COUNT, 0, STARS(stars[4])},
    {"stars_3", "", WP_GCOL_COUNT, 0, STARS(stars[3])},
    {"stars_2", "", WP_GCOL_COUNT, 0, STARS(stars[2])},
    {"stars_1", "", WP_GCOL_COUNT, 0, STARS(stars[1])},
};

static union wp_gcell agrees(const void *row)
{
    const struct wp_ref_cmp *r = row;
    return (union wp_gcell){.text = r->mean_ok && r->sd_ok     ? "yes"
                                    : !r->mean_ok && !r->sd_ok ? "no"
                                    : r->mean_ok               ? "sd differs"
                                                               : "mean differs"};
}

#define REF(field) WP_ROWCOL_AT(struct wp_ref_cmp, field)
const struct wp_rowcol wp_ref_cols[WP_N_REF_COLS] = {
    {"task", "", WP_GCOL_TEXT, 0, REF(task)},
    {"mean_kwh_per_1k", KWH, WP_GCOL_NUM, 4, REF(mean)},
    {"ref_mean_kwh_per_1k", KWH, WP_GCOL_NUM, 4, REF(ref_mean)},
    {"diff_kwh_per_1k", KWH, WP_GCOL_NUM, 4, REF(diff)},
    {"sd_kwh_per_1k", KWH, WP_GCOL_NUM, 3, REF(sd)},
    {"ref_sd_kwh_per_1k", KWH, WP_GCOL_NUM, 3, REF(ref_sd)},
    {"ref_mean_unit", KWH, WP_GCOL_NUM, 3, REF(ref_mean_unit)},
    {"ref_sd_unit", KWH, WP_GCOL_NUM, 3, REF(ref_sd_unit)},
    {"agrees", "", WP_GCOL_TEXT, 0, SIZE_MAX, agrees},
};

#define QUALITY(field) WP_ROWCOL_AT(struct wp_quality_row, field)
ADJACENT(struct wp_quality_row, kwh_lo, kwh_hi);
const struct wp_rowcol wp_quality_cols[WP_N_QUALITY_COLS] = {
    {"task", "", WP_GCOL_TEXT, 0, QUALITY(task)},
    {"model", "", WP_GCOL_TEXT, 0, QUALITY(model)},
    {"mean_kwh_per_1k", KWH, WP_GCOL_NUM, 4, QUALITY(kwh_per_1k)},
    {"ci_t_kwh_per_1k", KWH, WP_GCOL_RANGE, 4, QUALITY(kwh_lo)},
    {"score", "", WP_GCOL_NUM, 3, QUALITY(score)},
    {"pareto_front", "", WP_GCOL_BOOL, 0, QUALITY(on_front)},
};

static union wp_gcell pre_training_kwh(const void *row)
{
    const struct wp_parity_row *r = row;
    return (union wp_gcell){
        .num = wp_kwh_of_j(r->published ? r->published->training_j : r->training_j)};
}

static union wp_gcell finetune_kwh(const void *row)
{
    const struct wp_parity_row *r = row;
    return (union wp_gcell){.num = r->published ? wp_kwh_of_j(r->published->finetune_j) : NAN};
}

static union wp_gcell parity_millions(const void *row)
{
    return (union wp_gcell){.num = ((const struct wp_parity_row *)row)->parity / 1e6};
}

static union wp_gcell parity_ci_millions(const void *row)
{
    const struct wp_parity_row *r = row;
    return (union wp_gcell){.range = {r->parity_lo / 1e6, r->parity_hi / 1e6}};
}

#define PARITY(field) WP_ROWCOL_AT(struct wp_parity_row, field)
const struct wp_rowcol wp_parity_cols[WP_N_PARITY_COLS] = {
    {"model", "", WP_GCOL_TEXT, 0, PARITY(model)},
    {"task", "", WP_GCOL_TEXT, 0, PARITY(task)}, /* NULL: over all the model's tasks */
    {"training_kwh", "kWh", WP_GCOL_NUM, 4, SIZE_MAX, pre_training_kwh},
    {"finetune_kwh", "kWh", WP_GCOL_NUM, 4, SIZE_MAX, finetune_kwh},
    {"mean_kwh_per_1k", KWH, WP_GCOL_NUM, 4, PARITY(kwh_per_1k)},
    {"parity_millions", "million inferences", WP_GCOL_NUM, 4, SIZE_MAX, parity_millions},
    {"parity_ci_millions", "million inferences", WP_GCOL_RANGE, 4, SIZE_MAX,
     parity_ci_millions},
};

static union wp_gcell agrees_kwh_g(const void *row)
{
    const struct wp_model_ref_cmp *r = row;
    return (union wp_gcell){.text = r->kwh_ok && r->g_ok     ? "yes"
                                    : !r->kwh_ok && !r->g_ok ? "no"
                                    : r->kwh_ok              ? "kWh only"
                                                             : "g only"};
}

#define MREF(field) WP_ROWCOL_AT(struct wp_model_ref_cmp, field)
const struct wp_rowcol wp_model_ref_cols[WP_N_MODEL_REF_COLS] = {
    {"model", "", WP_GCOL_TEXT, 0, MREF(model)},
    {"mean_kwh_per_1k", KWH, WP_GCOL_NUM, 4, MREF(kwh)},
    {"ref_mean_kwh_per_1k", KWH, WP_GCOL_NUM, 4, MREF(ref_kwh)},
    {"ref_mean_unit", KWH, WP_GCOL_NUM, 3, MREF(ref_kwh_unit)},
    {"mean_g_co2eq_per_1k", G, WP_GCOL_NUM, 4, MREF(g)},
    {"ref_mean_g_co2eq_per_1k", G, WP_GCOL_NUM, 4, MREF(ref_g)},
    {"ref_g_unit", G, WP_GCOL_NUM, 3, MREF(ref_g_unit)},
    {"agrees", "", WP_GCOL_TEXT, 0, SIZE_MAX, agrees_kwh_g},
};
