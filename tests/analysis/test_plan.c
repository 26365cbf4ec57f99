/* Tests of src/analysis/plan.c: variance components of a balanced nested design computed by
 * hand, the t half-width now, and the smallest counts that reach a target, checked against
 * mpmath's Student t quantiles (the loops in the comments). */
#include "analysis/plan.h"

#include "stats/check.h"

static int setup(void **state)
{
    (void)state;
    wp_stats_init();
    return 0;
}

/* 2 units x 2 experiments x 2 runs: {1,3} {5,7} | {9,11} {13,15}.  Within experiments
 * var 2 (n-1); experiment means 2, 6, 10, 14 vary by 8 within units, less 2 x 1/2 = 7;
 * unit means 4 and 12 vary by 32, less (7 + 1) / 2 = 4: 28. */
static const double x1[] = {1, 3, 5, 7, 9, 11, 13, 15};
static const long long u1[] = {1, 1, 1, 1, 2, 2, 2, 2};
static const long long e1[] = {1, 1, 2, 2, 3, 3, 4, 4};

static void test_plan_components_of_a_balanced_design(void **state)
{
    (void)state;
    struct wp_design d;
    struct wp_plan p;
    assert_int_equal(wp_stats_design_new(x1, u1, e1, 8, &d), WP_OK);
    assert_int_equal(wp_stats_plan(&d, 0.95, 0.5, &p), WP_OK);
    assert_rel(p.mean, 8.0, REL);
    assert_int_equal(p.n_units, 2);
    assert_rel(p.exps_per_unit, 2.0, REL);
    assert_rel(p.runs_per_exp, 2.0, REL);
    assert_rel(p.var_run, 2.0, REL);
    assert_rel(p.var_exp, 7.0, REL);
    assert_rel(p.var_unit, 28.0, REL);
    assert_true(p.has_var_run && p.has_var_exp);
    /* t(0.975, 1) sqrt(32 / 2) / 8 */
    assert_rel(p.half_now, 6.35310236808734665705, 1e-12);
    assert_false(p.is_reached);
    /* between units dominates: more runs or experiments cannot reach +/- 50% */
    assert_int_equal(p.runs_needed, 0);
    assert_int_equal(p.exps_needed, 0);
    /* min M: t(0.975, M-1) sqrt(32 / M) / 8 <= 0.5 -> 11 (0.4750; 10 gives 0.5058) */
    assert_int_equal(p.units_needed, 11);
    wp_stats_design_free(&d);
}

/* The same experiments in both units: unit means 4 and 4, var_unit floored at 0 and the
 * interval already of width 0. */
static const double x2[] = {1, 3, 5, 7, 5, 7, 1, 3};

static void test_plan_counts_when_units_agree(void **state)
{
    (void)state;
    struct wp_design d;
    struct wp_plan p;
    assert_int_equal(wp_stats_design_new(x2, u1, e1, 8, &d), WP_OK);
    assert_int_equal(wp_stats_plan(&d, 0.95, 0.2, &p), WP_OK);
    assert_rel(p.var_unit, 0.0, REL);
    assert_rel(p.var_exp, 7.0, REL);
    assert_rel(p.half_now, 0.0, REL);
    assert_true(p.is_reached);
    /* with 2 units: t(0.975,1) sqrt((7/E + 2/(E R)) / 2) / 4 <= 0.2: runs alone never
     * (4.20 at R = 100000), experiments 1010, units (E = R = 2) 27 */
    assert_int_equal(p.runs_needed, 0);
    assert_int_equal(p.exps_needed, 1010);
    assert_int_equal(p.units_needed, 27);
    wp_stats_design_free(&d);
}

static void test_plan_without_repeats_says_so(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3};
    const long long u[] = {1, 2, 3};
    struct wp_design d;
    struct wp_plan p;
    assert_int_equal(wp_stats_design_new(x, u, u, 3, &d), WP_OK);
    assert_int_equal(wp_stats_plan(&d, 0.95, 0.1, &p), WP_OK);
    assert_false(p.has_var_run);
    assert_false(p.has_var_exp);
    assert_int_equal(p.runs_needed, 0);
    assert_int_equal(p.exps_needed, 0);
    assert_true(p.units_needed > 3);
    assert_int_equal(wp_stats_plan(&d, 0.95, 0.0, &p), WP_ERR_USAGE);
    wp_stats_design_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_components_of_a_balanced_design),
        cmocka_unit_test(test_plan_counts_when_units_agree),
        cmocka_unit_test(test_plan_without_repeats_says_so),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
