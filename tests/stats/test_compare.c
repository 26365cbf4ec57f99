/* Tests of src/stats/compare.c: ratio of means with a bootstrap interval, Welch's t test
 * on raw and log10 values.  References from tests/stats/reference.py: exact fractions for
 * means and variances, mpmath (40 digits) for log10 and the t tail probability, checked
 * two ways (incomplete beta and numerical integration of the t density). */
#include "stats/stats.h"

#include "stats/check.h"

static const double wa[] = { 12.1, 14.3, 13.8, 15.2, 11.9, 13.4 };
static const double wb[] = { 10.2, 11.1, 9.8, 12.5, 10.9, 11.7, 10.4, 9.9 };
/* GPU kWh / 1000 queries of a few class-A models, Feb 2025 leaderboard: 7B-ish vs small */
static const double la[] = { 0.019011, 0.01917, 0.017817, 0.016831, 0.023001 };
static const double lb[] = { 0.002146, 0.003956, 0.006121, 0.002704, 0.001313, 0.001944 };
#define N(a) (sizeof a / sizeof a[0])

static int setup(void **state)
{
    (void)state;
    wp_stats_init();
    return 0;
}

static void test_welch_raw_matches_reference(void **state)
{
    (void)state;
    struct wp_welch w;
    assert_int_equal(wp_stats_welch(wa, N(wa), wb, N(wb), &w), WP_OK);
    assert_false(w.is_log10);
    assert_int_equal(w.n_a, 6);
    assert_int_equal(w.n_b, 8);
    assert_rel(w.diff, 2.6375, REL);
    assert_rel(w.var_a, 1.627, REL);
    assert_rel(w.var_b, 0.8755357142857139, REL);
    assert_rel(w.se, 0.6169348676743607, REL);
    assert_rel(w.t, 4.2751676687402975, REL);
    assert_rel(w.df, 8.82377065038314, REL); /* Welch-Satterthwaite, not an integer */
    assert_rel(w.p, 0.0021601939941852063, REL);
    assert_false(w.is_small);
}

static void test_welch_is_antisymmetric(void **state)
{
    (void)state;
    struct wp_welch ab, ba;
    assert_int_equal(wp_stats_welch(wa, N(wa), wb, N(wb), &ab), WP_OK);
    assert_int_equal(wp_stats_welch(wb, N(wb), wa, N(wa), &ba), WP_OK);
    assert_rel(ba.t, -ab.t, REL);
    assert_rel(ba.df, ab.df, REL);
    assert_rel(ba.p, ab.p, REL);
}

static void test_welch_log10_compares_geometric_means(void **state)
{
    (void)state;
    struct wp_welch w;
    assert_int_equal(wp_stats_welch_log10(la, N(la), lb, N(lb), &w), WP_OK);
    assert_true(w.is_log10);
    assert_rel(w.mean_a, -1.719936341462636, REL);
    assert_rel(w.mean_b, -2.5742206576660673, REL);
    assert_rel(w.diff, 0.8542843162034314, REL);
    assert_rel(w.t, 8.576009858131423, REL);
    assert_rel(w.df, 5.549581570250737, REL);
    assert_rel(w.p, 0.00020895061284625466, REL);
    assert_rel(w.ratio, 7.149642329929727, REL); /* 10^diff */
}

static void test_welch_log10_skips_nonpositive_and_nan(void **state)
{
    (void)state;
    const double a[] = { 0.019011, 0.0, 0.01917, -1.0, 0.017817, 0.016831, NAN, 0.023001 };
    struct wp_welch w;
    assert_int_equal(wp_stats_welch_log10(a, N(a), lb, N(lb), &w), WP_OK);
    assert_int_equal(w.n_a, 5);
    assert_int_equal(w.n_nonpositive_a, 2);
    assert_int_equal(w.n_missing_a, 1);
    assert_rel(w.t, 8.576009858131423, REL); /* same values as the clean test */
}

static void test_welch_single_value_group_has_nan_test(void **state)
{
    (void)state;
    const double one[] = { 12.0 };
    struct wp_welch w;
    assert_int_equal(wp_stats_welch(one, 1, wb, N(wb), &w), WP_OK);
    assert_true(w.is_small);
    assert_rel(w.mean_a, 12.0, REL);
    assert_nan(w.t);
    assert_nan(w.df);
    assert_nan(w.p);
}

static void test_welch_two_constant_groups_have_nan_test(void **state)
{
    (void)state;
    const double a[] = { 3.0, 3.0, 3.0 }, b[] = { 2.0, 2.0, 2.0 };
    struct wp_welch w;
    assert_int_equal(wp_stats_welch(a, 3, b, 3, &w), WP_OK);
    assert_true(w.se == 0.0);
    assert_rel(w.diff, 1.0, REL);
    assert_nan(w.t);
    assert_nan(w.p);
}

static void test_welch_one_constant_group_uses_other_df(void **state)
{
    (void)state;
    /* var_a = 0: df = (vb/nb)^2 / ((vb/nb)^2 / (nb-1)) = nb - 1 = 7, by hand. */
    const double a[] = { 11.0, 11.0, 11.0 };
    struct wp_welch w;
    assert_int_equal(wp_stats_welch(a, 3, wb, N(wb), &w), WP_OK);
    assert_rel(w.df, 7.0, REL);
    assert_true(w.p > 0.0 && w.p <= 1.0);
}

static void test_welch_empty_group_is_empty(void **state)
{
    (void)state;
    const double none[] = { NAN, NAN };
    struct wp_welch w;
    assert_int_equal(wp_stats_welch(wa, N(wa), none, 2, &w), WP_ERR_EMPTY);
    assert_int_equal(w.n_missing_b, 2);
    assert_int_equal(wp_stats_welch_log10(wa, N(wa), NULL, 0, &w), WP_ERR_EMPTY);
}

static void test_ratio_boot_matches_python_rerun(void **state)
{
    (void)state;
    struct wp_ratio r;
    assert_int_equal(wp_stats_ratio_boot(wa, N(wa), wb, N(wb), NULL, &r), WP_OK);
    /* reference.py: exact ratio of means 80.7/6 over 86.5/8; the interval re-run with
     * seed 42, R = 10000, a's 6 draws then b's 8 draws per replicate. */
    assert_rel(r.ratio, 1.2439306358381503, REL);
    assert_rel(r.lo, 1.136077122728958, 1e-12);
    assert_rel(r.hi, 1.3557422969187674, 1e-12);
    assert_true(r.lo < r.ratio && r.ratio < r.hi);
    assert_false(r.is_small);
}

static void test_ratio_boot_is_reproducible_for_a_seed(void **state)
{
    (void)state;
    struct wp_bootstrap opt = { .seed = 2024, .resamples = 500, .level = 0.9 };
    struct wp_ratio r1, r2;
    assert_int_equal(wp_stats_ratio_boot(la, N(la), lb, N(lb), &opt, &r1), WP_OK);
    assert_int_equal(wp_stats_ratio_boot(la, N(la), lb, N(lb), &opt, &r2), WP_OK);
    assert_memory_equal(&r1.lo, &r2.lo, sizeof r1.lo);
    assert_memory_equal(&r1.hi, &r2.hi, sizeof r1.hi);
    assert_rel(r1.level, 0.9, REL);
}

static void test_ratio_boot_zero_denominator_is_nan(void **state)
{
    (void)state;
    const double zero[] = { 0.0, 0.0, 0.0 };
    struct wp_ratio r;
    assert_int_equal(wp_stats_ratio_boot(wa, N(wa), zero, 3, NULL, &r), WP_OK);
    assert_nan(r.ratio);
    assert_nan(r.lo);
    assert_nan(r.hi);
}

static void test_ratio_boot_flags_small_groups(void **state)
{
    (void)state;
    const double a[] = { 2.0, 4.0 };
    struct wp_ratio r;
    assert_int_equal(wp_stats_ratio_boot(a, 2, wb, N(wb), NULL, &r), WP_OK);
    assert_true(r.is_small);
    assert_int_equal(wp_stats_ratio_boot(NULL, 0, wb, N(wb), NULL, &r), WP_ERR_EMPTY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_welch_raw_matches_reference),
        cmocka_unit_test(test_welch_is_antisymmetric),
        cmocka_unit_test(test_welch_log10_compares_geometric_means),
        cmocka_unit_test(test_welch_log10_skips_nonpositive_and_nan),
        cmocka_unit_test(test_welch_single_value_group_has_nan_test),
        cmocka_unit_test(test_welch_two_constant_groups_have_nan_test),
        cmocka_unit_test(test_welch_one_constant_group_uses_other_df),
        cmocka_unit_test(test_welch_empty_group_is_empty),
        cmocka_unit_test(test_ratio_boot_matches_python_rerun),
        cmocka_unit_test(test_ratio_boot_is_reproducible_for_a_seed),
        cmocka_unit_test(test_ratio_boot_zero_denominator_is_nan),
        cmocka_unit_test(test_ratio_boot_flags_small_groups),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
