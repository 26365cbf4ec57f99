/* Unit tests of the per-group column model (src/stats/columns.c): each column reads the
 * value its name says from a group, text that is missing reads "", computed columns see
 * the unit, and names are unique and carry their unit.  The same model over rows of any
 * type (struct wp_rowcol): offsets and accessors, ranges, strides, the pair, scaling and
 * purpose tables. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "stats/columns.h"

static void test_columns_read_what_their_names_say(void **state)
{
    (void)state;
    enum wp_unit unit = WP_UNIT_MODEL;
    struct wp_group_stats g = {.task = "summarization", .n_runs = 12, .n = 9, .n_units = 3,
                               .is_small = true};
    g.kwh.mean = 0.25;
    g.kwh_t.hi = 0.5;
    g.g.mean = 100;
    g.tokens.n = 4;
    g.tokens.j_per_output_token = 1.5;
    assert_string_equal(wp_gcol_get(wp_gcol_find("task"), unit, &g).text, "summarization");
    assert_string_equal(wp_gcol_get(wp_gcol_find("model"), unit, &g).text, ""); /* NULL */
    assert_int_equal(wp_gcol_get(wp_gcol_find("runs"), unit, &g).count, 12);
    assert_int_equal(wp_gcol_get(wp_gcol_find("n"), unit, &g).count, 9);
    assert_int_equal(wp_gcol_get(wp_gcol_find("n_units"), unit, &g).count, 3);
    assert_int_equal(wp_gcol_get(wp_gcol_find("token_experiments"), unit, &g).count, 4);
    assert_true(wp_gcol_get(wp_gcol_find("mean_kwh_per_1k"), unit, &g).num == 0.25);
    assert_true(wp_gcol_get(wp_gcol_find("ci_t_hi_kwh_per_1k"), unit, &g).num == 0.5);
    g.kwh_t.lo = -0.1; /* a t interval below zero: the exact value, and flagged */
    assert_ptr_equal(wp_gcol_get(wp_gcol_find("ci_t_lo_kwh_per_1k"), unit, &g).ci, &g.kwh_t);
    assert_true(wp_gcol_num(wp_gcol_find("ci_t_lo_kwh_per_1k"), unit, &g) == -0.1);
    assert_true(wp_gcol_get(wp_gcol_find("ci_t_lo_below_zero"), unit, &g).flag);
    assert_true(wp_gcol_get(wp_gcol_find("mean_g_co2eq_per_1k"), unit, &g).num == 100);
    assert_true(wp_gcol_get(wp_gcol_find("j_per_output_token"), unit, &g).num == 1.5);
    assert_true(wp_gcol_get(wp_gcol_find("small_n"), unit, &g).flag);
    /* computed from the analysis: the unit the intervals are over */
    assert_string_equal(wp_gcol_get(wp_gcol_find("unit"), unit, &g).text,
                        wp_unit_name(WP_UNIT_MODEL, 1));
    /* numbers for a plan or a plot: counts as numbers, text as none */
    assert_true(wp_gcol_num(wp_gcol_find("n"), unit, &g) == 9.0);
    assert_true(wp_gcol_num(wp_gcol_find("mean_kwh_per_1k"), unit, &g) == 0.25);
    assert_true(isnan(wp_gcol_num(wp_gcol_find("task"), unit, &g)));
    assert_null(wp_gcol_find("mean_kwh"));
    /* the columns beyond stats' table: the model's facts */
    g.parameters = 0;
    g.training_energy_j = 7.2e6;
    g.purpose = "multi-purpose";
    assert_true(isnan(wp_gcol_num(wp_gcol_find("parameters"), unit, &g))); /* 0: unknown */
    g.parameters = 7069016064;
    assert_true(wp_gcol_num(wp_gcol_find("parameters"), unit, &g) == 7069016064.0);
    assert_true(wp_gcol_num(wp_gcol_find("training_kwh"), unit, &g) == 2.0);
    assert_string_equal(wp_gcol_get(wp_gcol_find("purpose"), unit, &g).text, "multi-purpose");
}

static void test_columns_have_unique_names_that_carry_their_unit(void **state)
{
    (void)state;
    for (size_t i = 0; i < WP_N_GROUP_COLS; i++) {
        const struct wp_gcol *c = &wp_group_cols[i];
        assert_ptr_equal(wp_gcol_find(c->name), c); /* the first of that name: unique */
        if (strstr(c->unit, "kWh per 1,000 inferences"))
            assert_non_null(strstr(c->name, "_kwh_per_1k"));
        if (strstr(c->unit, "g CO2eq per 1,000 inferences"))
            assert_non_null(strstr(c->name, "_g_co2eq_per_1k"));
        if (c->kind == WP_GCOL_NUM || c->kind == WP_GCOL_CI)
            assert_true(c->sig >= 3);
        else
            assert_string_equal(c->unit, "");
    }
}

/* A row type the model knows nothing of, in an array with padding between rows. */
struct row {
    const char *name;
    size_t count;
    double lo, hi;
    double x;
    bool flag;
    char pad[13];
};

static union wp_gcell twice(const void *row)
{
    return (union wp_gcell){.num = 2 * ((const struct row *)row)->x};
}

static const struct wp_rowcol row_cols[] = {
    {"name", "", WP_GCOL_TEXT, 0, WP_ROWCOL_AT(struct row, name)},
    {"count", "", WP_GCOL_COUNT, 0, WP_ROWCOL_AT(struct row, count)},
    {"range", "kWh", WP_GCOL_RANGE, 4, WP_ROWCOL_AT(struct row, lo)},
    {"x", "kWh", WP_GCOL_NUM, 4, WP_ROWCOL_AT(struct row, x)},
    {"flag", "", WP_GCOL_BOOL, 0, WP_ROWCOL_AT(struct row, flag)},
    {"twice_x", "kWh", WP_GCOL_NUM, 4, SIZE_MAX, twice},
};
#define N_ROW_COLS (sizeof row_cols / sizeof row_cols[0])

static void test_row_columns_read_any_row_type(void **state)
{
    (void)state;
    struct row rows[3] = {
        {.name = "a", .count = 1, .lo = 0.5, .hi = 1.5, .x = 3, .flag = true},
        {.name = NULL, .count = 7, .lo = NAN, .hi = NAN, .x = -1},
        {.name = "c", .count = 12, .lo = -2, .hi = 4, .x = 0.25},
    };
    const struct wp_rowcol *name = wp_rowcol_find(row_cols, N_ROW_COLS, "name"),
                           *count = wp_rowcol_find(row_cols, N_ROW_COLS, "count"),
                           *range = wp_rowcol_find(row_cols, N_ROW_COLS, "range"),
                           *x = wp_rowcol_find(row_cols, N_ROW_COLS, "x"),
                           *flag = wp_rowcol_find(row_cols, N_ROW_COLS, "flag"),
                           *tw = wp_rowcol_find(row_cols, N_ROW_COLS, "twice_x");
    assert_non_null(name);
    assert_non_null(tw);
    assert_null(wp_rowcol_find(row_cols, N_ROW_COLS, "twice"));
    /* row i of the array by its stride, not by the model */
    for (size_t i = 0; i < 3; i++) {
        const void *r = wp_row_at(rows, sizeof rows[0], i);
        assert_ptr_equal(r, &rows[i]);
        assert_int_equal(wp_rowcol_get(count, r).count, (long long)rows[i].count);
        assert_true(wp_rowcol_get(x, r).num == rows[i].x);
        assert_true(wp_rowcol_num(tw, r) == 2 * rows[i].x);
        assert_true(wp_rowcol_num(count, r) == (double)rows[i].count);
        assert_int_equal(wp_rowcol_get(flag, r).flag, rows[i].flag);
    }
    const void *r0 = wp_row_at(rows, sizeof rows[0], 0), *r1 = wp_row_at(rows, sizeof rows[0], 1),
               *r2 = wp_row_at(rows, sizeof rows[0], 2);
    assert_string_equal(wp_rowcol_get(name, r0).text, "a");
    assert_null(wp_rowcol_get(name, r1).text); /* none: the writer says what it shows */
    assert_string_equal(wp_rowcol_get(name, r2).text, "c");
    /* a range reads lo and hi side by side */
    struct wp_range g = wp_rowcol_get(range, r2).range;
    assert_true(g.lo == -2 && g.hi == 4);
    g = wp_rowcol_get(range, r1).range;
    assert_true(isnan(g.lo) && isnan(g.hi));
    assert_true(isnan(wp_rowcol_num(range, r0))); /* no one number */
    assert_true(isnan(wp_rowcol_num(name, r0)));
}

static void test_pair_scaling_purpose_columns(void **state)
{
    (void)state;
    struct wp_pair_cmp pair = {.task_a = "summarization", .task_b = "image_generation",
                               .p_holm_raw = 0.04, .p_holm = 0.5};
    pair.ratio = (struct wp_ratio){.ratio = 0.1, .lo = 0.05, .hi = 0.2, .n_a = 8, .n_b = 9};
    pair.geo.ratio = 0.09;
    pair.welch_raw.p = 0.01;
    pair.welch.p = 0.2;
    struct {
        const char *name;
        double v;
    } want[] = {{"n_a", 8}, {"n_b", 9}, {"ratio", 0.1}, {"welch_p", 0.01},
                {"welch_p_holm", 0.04}, {"ratio_geomean", 0.09}, {"welch_log10_p_holm", 0.5}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct wp_rowcol *c = wp_rowcol_find(wp_pair_cols, WP_N_PAIR_COLS, want[i].name);
        assert_non_null(c);
        assert_true(wp_rowcol_num(c, &pair) == want[i].v);
    }
    assert_string_equal(
        wp_rowcol_get(wp_rowcol_find(wp_pair_cols, WP_N_PAIR_COLS, "task_b"), &pair).text,
        "image_generation");
    struct wp_range g =
        wp_rowcol_get(wp_rowcol_find(wp_pair_cols, WP_N_PAIR_COLS, "ratio_ci"), &pair).range;
    assert_true(g.lo == 0.05 && g.hi == 0.2);

    struct wp_scaling fit = {.task = NULL, .slope_lo = 0.3, .slope_hi = 0.9, .p_holm = NAN};
    fit.fit.n = 31;
    fit.fit.slope = 0.6;
    fit.fit.r2 = 0.7;
    const struct wp_rowcol *c = wp_rowcol_find(wp_scaling_cols, WP_N_SCALING_COLS, "task");
    assert_null(wp_rowcol_get(c, &fit).text); /* the pooled fit */
    assert_true(wp_rowcol_num(wp_rowcol_find(wp_scaling_cols, WP_N_SCALING_COLS, "n"), &fit) ==
                31);
    assert_true(
        wp_rowcol_num(wp_rowcol_find(wp_scaling_cols, WP_N_SCALING_COLS, "slope"), &fit) == 0.6);
    assert_true(wp_rowcol_num(wp_rowcol_find(wp_scaling_cols, WP_N_SCALING_COLS, "r2"), &fit) ==
                0.7);
    g = wp_rowcol_get(wp_rowcol_find(wp_scaling_cols, WP_N_SCALING_COLS, "slope_ci"), &fit).range;
    assert_true(g.lo == 0.3 && g.hi == 0.9);
    assert_true(
        isnan(wp_rowcol_num(wp_rowcol_find(wp_scaling_cols, WP_N_SCALING_COLS, "p_holm"), &fit)));

    struct wp_purpose_cmp pc = {.task = "summarization", .p_holm = 0.03};
    pc.ratio = (struct wp_ratio){.mean_a = 0.5, .mean_b = 0.2, .ratio = 2.5, .lo = 1, .hi = 4,
                                 .n_a = 3, .n_b = 5};
    pc.welch.p = 0.01;
    assert_true(wp_rowcol_num(wp_rowcol_find(wp_purpose_cols, WP_N_PURPOSE_COLS,
                                             "mean_multi_kwh_per_1k"), &pc) == 0.5);
    assert_true(wp_rowcol_num(wp_rowcol_find(wp_purpose_cols, WP_N_PURPOSE_COLS,
                                             "mean_spec_kwh_per_1k"), &pc) == 0.2);
    assert_true(
        wp_rowcol_num(wp_rowcol_find(wp_purpose_cols, WP_N_PURPOSE_COLS, "n_multi"), &pc) == 3);
    assert_true(
        wp_rowcol_num(wp_rowcol_find(wp_purpose_cols, WP_N_PURPOSE_COLS, "n_spec"), &pc) == 5);
    assert_true(
        wp_rowcol_num(wp_rowcol_find(wp_purpose_cols, WP_N_PURPOSE_COLS, "p_welch"), &pc) == 0.01);
    assert_true(
        wp_rowcol_num(wp_rowcol_find(wp_purpose_cols, WP_N_PURPOSE_COLS, "p_holm"), &pc) == 0.03);
    g = wp_rowcol_get(wp_rowcol_find(wp_purpose_cols, WP_N_PURPOSE_COLS, "ratio_ci"), &pc).range;
    assert_true(g.lo == 1 && g.hi == 4);
    /* a task's star counts: five stars first */
    struct wp_star_count sc = {.task = "asr", .rated = 6, .stars = {0, 1, 0, 2, 0, 3}};
    assert_true(wp_rowcol_num(wp_rowcol_find(wp_star_cols, WP_N_STAR_COLS, "stars_5"), &sc) == 3);
    assert_true(wp_rowcol_num(wp_rowcol_find(wp_star_cols, WP_N_STAR_COLS, "stars_3"), &sc) == 2);
    assert_true(wp_rowcol_num(wp_rowcol_find(wp_star_cols, WP_N_STAR_COLS, "stars_1"), &sc) == 1);
    assert_true(
        wp_rowcol_num(wp_rowcol_find(wp_star_cols, WP_N_STAR_COLS, "models_rated"), &sc) == 6);
    /* a comparison with a published value says which part disagrees */
    const struct wp_rowcol *ag = wp_rowcol_find(wp_ref_cols, WP_N_REF_COLS, "agrees");
    struct wp_ref_cmp rc = {.task = "asr", .mean = 0.1, .ref_mean = 0.12, .diff = -0.02,
                            .ref_mean_unit = 0.01, .mean_ok = true, .sd_ok = true};
    assert_string_equal(wp_rowcol_get(ag, &rc).text, "yes");
    rc.sd_ok = false;
    assert_string_equal(wp_rowcol_get(ag, &rc).text, "sd differs");
    rc.mean_ok = false;
    assert_string_equal(wp_rowcol_get(ag, &rc).text, "no");
    rc.sd_ok = true;
    assert_string_equal(wp_rowcol_get(ag, &rc).text, "mean differs");
    assert_true(
        wp_rowcol_num(wp_rowcol_find(wp_ref_cols, WP_N_REF_COLS, "diff_kwh_per_1k"), &rc) == -0.02);
    assert_true(wp_rowcol_num(wp_rowcol_find(wp_ref_cols, WP_N_REF_COLS, "ref_mean_unit"), &rc) ==
                0.01);
    /* energy against a published score, its t interval lo then hi */
    struct wp_quality_row q = {.model = "m", .task = "t", .score = 0.9, .kwh_per_1k = 0.2,
                               .kwh_lo = -0.1, .kwh_hi = 0.5, .on_front = true};
    g = wp_rowcol_get(wp_rowcol_find(wp_quality_cols, WP_N_QUALITY_COLS, "ci_t_kwh_per_1k"), &q)
            .range;
    assert_true(g.lo == -0.1 && g.hi == 0.5);
    assert_true(wp_rowcol_num(wp_rowcol_find(wp_quality_cols, WP_N_QUALITY_COLS, "score"), &q) ==
                0.9);
    assert_true(
        wp_rowcol_get(wp_rowcol_find(wp_quality_cols, WP_N_QUALITY_COLS, "pareto_front"), &q)
            .flag);
    /* a model against its published kWh and g: which of the two agrees */
    const struct wp_rowcol *mag = wp_rowcol_find(wp_model_ref_cols, WP_N_MODEL_REF_COLS, "agrees");
    struct wp_model_ref_cmp mr = {.model = "m", .kwh = 0.1, .ref_kwh = 0.1, .g = 5,
                                  .ref_g = NAN, .kwh_ok = true, .g_ok = true};
    assert_string_equal(wp_rowcol_get(mag, &mr).text, "yes");
    mr.g_ok = false;
    assert_string_equal(wp_rowcol_get(mag, &mr).text, "kWh only");
    mr.kwh_ok = false;
    assert_string_equal(wp_rowcol_get(mag, &mr).text, "no");
    mr.g_ok = true;
    assert_string_equal(wp_rowcol_get(mag, &mr).text, "g only");
    assert_true(isnan(wp_rowcol_num(
        wp_rowcol_find(wp_model_ref_cols, WP_N_MODEL_REF_COLS, "ref_mean_g_co2eq_per_1k"), &mr)));
    /* parity: the published split in kWh, else the manifest's total; millions */
    struct wp_training_energy te = {.training_j = 7.2e6, .finetune_j = 3.6e6};
    struct wp_parity_row pr = {.model = "m", .training_j = 1.8e7, .parity = 2.5e6,
                               .parity_lo = 1e6, .parity_hi = INFINITY};
    const struct wp_rowcol *tk = wp_rowcol_find(wp_parity_cols, WP_N_PARITY_COLS, "training_kwh"),
                           *fk = wp_rowcol_find(wp_parity_cols, WP_N_PARITY_COLS, "finetune_kwh");
    assert_true(wp_rowcol_num(tk, &pr) == 5);
    assert_true(isnan(wp_rowcol_num(fk, &pr)));
    pr.published = &te;
    assert_true(wp_rowcol_num(tk, &pr) == 2);
    assert_true(wp_rowcol_num(fk, &pr) == 1);
    assert_true(
        wp_rowcol_num(wp_rowcol_find(wp_parity_cols, WP_N_PARITY_COLS, "parity_millions"), &pr) ==
        2.5);
    g = wp_rowcol_get(wp_rowcol_find(wp_parity_cols, WP_N_PARITY_COLS, "parity_ci_millions"), &pr)
            .range;
    assert_true(g.lo == 1 && isinf(g.hi));
    /* every table: names unique, a number's sig digits for people */
    const struct {
        const struct wp_rowcol *v;
        size_t n;
    } tables[] = {{wp_pair_cols, WP_N_PAIR_COLS},     {wp_scaling_cols, WP_N_SCALING_COLS},
                  {wp_purpose_cols, WP_N_PURPOSE_COLS}, {wp_star_cols, WP_N_STAR_COLS},
                  {wp_ref_cols, WP_N_REF_COLS}, {wp_quality_cols, WP_N_QUALITY_COLS},
                  {wp_parity_cols, WP_N_PARITY_COLS},
                  {wp_model_ref_cols, WP_N_MODEL_REF_COLS}};
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (size_t i = 0; i < tables[t].n; i++) {
            const struct wp_rowcol *x = &tables[t].v[i];
            assert_ptr_equal(wp_rowcol_find(tables[t].v, tables[t].n, x->name), x);
            if (x->kind == WP_GCOL_NUM || x->kind == WP_GCOL_RANGE)
                assert_true(x->sig >= 3);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_read_what_their_names_say),
        cmocka_unit_test(test_columns_have_unique_names_that_carry_their_unit),
        cmocka_unit_test(test_row_columns_read_any_row_type),
        cmocka_unit_test(test_pair_scaling_purpose_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
