/* Tests of the before/after gate's statistics: the verdict rule of src/analysis/gate.c at its
 * boundaries, and the paired cluster bootstrap of src/stats/cluster.c (a candidate that is
 * the baseline scaled has the scale as its ratio and, with one run per experiment, as both
 * ends; pairing removes what differs between units, so it is far narrower than drawing
 * the sides apart; unequal unit counts are refused; one unit gives no interval). */
#include "analysis/gate.h"

#include <string.h>

#include "stats/check.h"

static int setup(void **state)
{
    (void)state;
    wp_stats_init();
    return 0;
}

static void test_verdict_follows_the_interval_and_the_margin(void **state)
{
    (void)state;
    assert_int_equal(wp_verdict_of(1.06, 1.5, 0.05), WP_VERDICT_COSTLIER);
    assert_int_equal(wp_verdict_of(1.05, 1.5, 0.05), WP_VERDICT_UNDECIDED); /* not above */
    assert_int_equal(wp_verdict_of(0.5, 0.94, 0.05), WP_VERDICT_LOWER);
    assert_int_equal(wp_verdict_of(0.5, 0.95, 0.05), WP_VERDICT_UNDECIDED);
    assert_int_equal(wp_verdict_of(0.95, 1.05, 0.05), WP_VERDICT_SAME);    /* ends count */
    assert_int_equal(wp_verdict_of(0.97, 1.02, 0.05), WP_VERDICT_SAME);
    assert_int_equal(wp_verdict_of(0.97, 1.08, 0.05), WP_VERDICT_UNDECIDED);
    assert_int_equal(wp_verdict_of(1.01, 1.04, 0.0), WP_VERDICT_COSTLIER); /* no margin */
    assert_int_equal(wp_verdict_of(NAN, NAN, 0.05), WP_VERDICT_UNDECIDED);
    assert_string_equal(wp_verdict_name(WP_VERDICT_COSTLIER), "costlier");
    assert_string_equal(wp_verdict_name(WP_VERDICT_SAME), "same");
    assert_string_equal(wp_verdict_name(WP_VERDICT_LOWER), "lower");
    assert_string_equal(wp_verdict_name(WP_VERDICT_UNDECIDED), "undecided");
}

/* Units far apart (1, 10, 100, 1000), one experiment each of three runs. */
static const double base_x[] = {1.0, 1.2, 0.8, 10, 12, 8, 100, 120, 80, 1000, 1200, 800};
static const long long units[] = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4};
#define N (sizeof base_x / sizeof base_x[0])

static void test_paired_ratio_of_a_scaled_copy_is_the_scale(void **state)
{
    (void)state;
    double x[N];
    for (size_t i = 0; i < N; i++)
        x[i] = base_x[i] * 1.3;
    struct wp_design a, b;
    /* one run per experiment: the experiment is the run */
    long long runs[N];
    for (size_t i = 0; i < N; i++)
        runs[i] = (long long)i;
    assert_int_equal(wp_stats_design_new(x, units, runs, N, &a), WP_OK);
    assert_int_equal(wp_stats_design_new(base_x, units, runs, N, &b), WP_OK);
    struct wp_bootstrap o = WP_BOOTSTRAP_DEFAULT;
    o.resamples = 2000;
    struct wp_ratio r;
    assert_int_equal(wp_stats_ratio_cluster_paired(&a, &b, &o, &r), WP_OK);
    assert_rel(r.ratio, 1.3, REL);
    assert_int_equal(r.n_a, 4);
    assert_int_equal(r.n_b, 4);
    /* the runs of each experiment are drawn apart on each side, so the ends are not 1.3
     * exactly, but the units, 1000 times apart, no longer move it */
    assert_true(r.lo < 1.3 && r.hi > 1.3);
    assert_true(r.lo > 1.0 && r.hi < 1.7);
    struct wp_ratio ind;
    assert_int_equal(wp_stats_ratio_cluster(&a, &b, false, &o, &ind), WP_OK);
    assert_rel(ind.ratio, 1.3, REL);
    assert_true(ind.hi - ind.lo > 10.0 * (r.hi - r.lo));
    wp_stats_design_free(&a);
    wp_stats_design_free(&b);
}

static void test_paired_ratio_with_one_value_per_unit_has_the_scale_as_both_ends(void **state)
{
    (void)state;
    const double b_x[] = {1, 10, 100, 1000}, a_x[] = {2, 20, 200, 2000};
    const long long u[] = {1, 2, 3, 4};
    struct wp_design a, b;
    assert_int_equal(wp_stats_design_new(a_x, u, u, 4, &a), WP_OK);
    assert_int_equal(wp_stats_design_new(b_x, u, u, 4, &b), WP_OK);
    struct wp_ratio r;
    assert_int_equal(wp_stats_ratio_cluster_paired(&a, &b, NULL, &r), WP_OK);
    assert_rel(r.ratio, 2.0, REL);
    assert_rel(r.lo, 2.0, REL);
    assert_rel(r.hi, 2.0, REL);
    wp_stats_design_free(&a);
    wp_stats_design_free(&b);
}

static void test_paired_ratio_refuses_unequal_units_and_has_no_interval_for_one(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3};
    const long long u3[] = {1, 2, 3}, u1[] = {1, 1, 1};
    struct wp_design a, b, one_a, one_b;
    assert_int_equal(wp_stats_design_new(x, u3, u3, 3, &a), WP_OK);
    assert_int_equal(wp_stats_design_new(x, u3, u3, 2, &b), WP_OK);
    struct wp_ratio r;
    assert_int_equal(wp_stats_ratio_cluster_paired(&a, &b, NULL, &r), WP_ERR_USAGE);
    assert_int_equal(wp_stats_design_new(x, u1, u3, 3, &one_a), WP_OK);
    assert_int_equal(wp_stats_design_new(x, u1, u3, 3, &one_b), WP_OK);
    assert_int_equal(wp_stats_ratio_cluster_paired(&one_a, &one_b, NULL, &r), WP_OK);
    assert_rel(r.ratio, 1.0, REL);
    assert_true(isnan(r.lo) && isnan(r.hi));
    assert_int_equal(wp_verdict_of(r.lo, r.hi, 0.05), WP_VERDICT_UNDECIDED);
    wp_stats_design_free(&a);
    wp_stats_design_free(&b);
    wp_stats_design_free(&one_a);
    wp_stats_design_free(&one_b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdict_follows_the_interval_and_the_margin),
        cmocka_unit_test(test_paired_ratio_of_a_scaled_copy_is_the_scale),
        cmocka_unit_test(test_paired_ratio_with_one_value_per_unit_has_the_scale_as_both_ends),
        cmocka_unit_test(test_paired_ratio_refuses_unequal_units_and_has_no_interval_for_one),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
