/* Tests of src/stats/describe.c: descriptive statistics and type 7 quantiles, against
 * values computed independently in tests/stats/reference.py (Python fractions and
 * mpmath, no GSL) or by hand, and the edge cases n = 0, 1, 2, constant, NaN, x <= 0. */
#include "stats/stats.h"

#include "stats/check.h"

static const double d1[] = { 2.5, 1.0, 4.0, 3.5, 10.0, 7.25, 0.5, 6.0 };
#define N1 (sizeof d1 / sizeof d1[0])

static int setup(void **state)
{
    (void)state;
    wp_stats_init();
    return 0;
}

static void test_describe_matches_exact_reference(void **state)
{
    (void)state;
    struct wp_summary s;
    assert_int_equal(wp_stats_describe(d1, N1, &s), WP_OK);
    assert_int_equal(s.n, 8);
    assert_int_equal(s.n_missing, 0);
    /* reference.py: exact fractions; sd = sqrt(var) at 40 digits. */
    assert_rel(s.mean, 4.34375, REL);
    assert_rel(s.sd, 3.237441394946677, REL);
    assert_rel(s.se, 1.1446083820304156, REL);
    assert_rel(s.min, 0.5, REL);
    assert_rel(s.max, 10.0, REL);
    /* Type 7 by definition, equal to statistics.quantiles(method='inclusive'). */
    assert_rel(s.q1, 2.125, REL);
    assert_rel(s.median, 3.75, REL);
    assert_rel(s.q3, 6.3125, REL);
    /* exp(mean ln x), exp(sd ln x) in mpmath; statistics.geometric_mean agrees. */
    assert_rel(s.geo_mean, 3.05626433311635, REL);
    assert_rel(s.geo_sd, 2.7693433478314455, REL);
    assert_int_equal(s.n_positive, 8);
    assert_int_equal(s.n_nonpositive, 0);
}

static void test_describe_sd_uses_n_minus_1(void **state)
{
    (void)state;
    const double x[] = { 1, 2, 3, 4 };
    struct wp_summary s;
    assert_int_equal(wp_stats_describe(x, 4, &s), WP_OK);
    /* By hand: squares about 2.5 sum to 5; sqrt(5/3), not the population sqrt(5/4). */
    assert_rel(s.sd, 1.2909944487358056, REL);
    assert_rel(s.se, 1.2909944487358056 / 2.0, REL);
}

static void test_quantile_is_type_7_linear(void **state)
{
    (void)state;
    double q;
    /* reference.py: h = p (n-1) on the sorted values, linear in between. */
    assert_int_equal(wp_stats_quantile(d1, N1, 0.1, &q), WP_OK);
    assert_rel(q, 0.85, REL);
    assert_int_equal(wp_stats_quantile(d1, N1, 0.9, &q), WP_OK);
    assert_rel(q, 8.075, REL);
    assert_int_equal(wp_stats_quantile(d1, N1, 0.0, &q), WP_OK);
    assert_rel(q, 0.5, REL);
    assert_int_equal(wp_stats_quantile(d1, N1, 1.0, &q), WP_OK);
    assert_rel(q, 10.0, REL);
}

static void test_quantile_sorted_needs_no_copy(void **state)
{
    (void)state;
    const double sorted[] = { 1, 2, 4, 8 };
    double q;
    /* By hand: h = 0.5 * 3 = 1.5, halfway between 2 and 4. */
    assert_int_equal(wp_stats_quantile_sorted(sorted, 4, 0.5, &q), WP_OK);
    assert_rel(q, 3.0, REL);
}

static void test_quantile_rejects_p_outside_0_1(void **state)
{
    (void)state;
    double q;
    assert_int_equal(wp_stats_quantile(d1, N1, 1.5, &q), WP_ERR_USAGE);
    assert_int_equal(wp_stats_quantile(d1, N1, -0.1, &q), WP_ERR_USAGE);
    assert_int_equal(wp_stats_quantile(d1, N1, NAN, &q), WP_ERR_USAGE);
    assert_nan(q);
}

static void test_quantile_of_nothing_is_empty(void **state)
{
    (void)state;
    const double x[] = { NAN, NAN };
    double q = 0;
    assert_int_equal(wp_stats_quantile(x, 2, 0.5, &q), WP_ERR_EMPTY);
    assert_nan(q);
    assert_int_equal(wp_stats_quantile(NULL, 0, 0.5, &q), WP_ERR_EMPTY);
}

static void test_describe_empty_input_is_empty_with_nan(void **state)
{
    (void)state;
    struct wp_summary s;
    assert_int_equal(wp_stats_describe(NULL, 0, &s), WP_ERR_EMPTY);
    assert_int_equal(s.n, 0);
    assert_nan(s.mean);
    assert_nan(s.sd);
    assert_nan(s.median);
    assert_nan(s.geo_mean);
}

static void test_describe_all_nan_counts_missing(void **state)
{
    (void)state;
    const double x[] = { NAN, NAN, NAN };
    struct wp_summary s;
    assert_int_equal(wp_stats_describe(x, 3, &s), WP_ERR_EMPTY);
    assert_int_equal(s.n, 0);
    assert_int_equal(s.n_missing, 3);
    assert_nan(s.mean);
}

static void test_describe_one_value_has_nan_spread(void **state)
{
    (void)state;
    const double x[] = { 3.0 };
    struct wp_summary s;
    assert_int_equal(wp_stats_describe(x, 1, &s), WP_OK);
    assert_int_equal(s.n, 1);
    assert_rel(s.mean, 3.0, REL);
    assert_nan(s.sd);
    assert_nan(s.se);
    assert_rel(s.median, 3.0, REL);
    assert_rel(s.q1, 3.0, REL);
    assert_rel(s.q3, 3.0, REL);
    assert_rel(s.geo_mean, 3.0, REL);
    assert_nan(s.geo_sd);
}

static void test_describe_two_values(void **state)
{
    (void)state;
    const double x[] = { 3.0, 1.0 };
    struct wp_summary s;
    assert_int_equal(wp_stats_describe(x, 2, &s), WP_OK);
    /* By hand: mean 2, sd = |3-1|/sqrt 2 = sqrt 2, se = sqrt2/sqrt2 = 1; type 7 quartiles
     * at h = 0.25 and 0.75 between 1 and 3; geometric mean sqrt 3. */
    assert_rel(s.mean, 2.0, REL);
    assert_rel(s.sd, 1.4142135623730951, REL);
    assert_rel(s.se, 1.0, REL);
    assert_rel(s.q1, 1.5, REL);
    assert_rel(s.median, 2.0, REL);
    assert_rel(s.q3, 2.5, REL);
    assert_rel(s.geo_mean, 1.7320508075688772, REL);
}

static void test_describe_identical_values_have_zero_sd(void **state)
{
    (void)state;
    const double x[] = { 5.0, 5.0, 5.0, 5.0 };
    struct wp_summary s;
    assert_int_equal(wp_stats_describe(x, 4, &s), WP_OK);
    assert_true(s.mean == 5.0);
    assert_true(s.sd == 0.0);
    assert_true(s.se == 0.0);
    assert_rel(s.geo_mean, 5.0, 1e-15); /* exp(ln 5) may be off by an ulp */
    assert_true(s.geo_sd == 1.0); /* exp(0): no multiplicative spread */
}

static void test_describe_skips_and_counts_nan(void **state)
{
    (void)state;
    const double x[] = { NAN, 1.0, 2.0, INFINITY, 3.0, NAN };
    struct wp_summary s;
    assert_int_equal(wp_stats_describe(x, 6, &s), WP_OK);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.n_missing, 3);
    assert_rel(s.mean, 2.0, REL);
    assert_rel(s.sd, 1.0, REL);
}

static void test_describe_geometric_excludes_nonpositive(void **state)
{
    (void)state;
    const double x[] = { 4.0, 0.0, -2.0, 1.0, 16.0, NAN };
    struct wp_summary s;
    assert_int_equal(wp_stats_describe(x, 6, &s), WP_OK);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.n_missing, 1);
    assert_int_equal(s.n_positive, 3);
    assert_int_equal(s.n_nonpositive, 2);
    /* By hand: ln 4, ln 1, ln 16 = (2, 0, 4) ln 2: mean 2 ln 2 -> 4; sd 2 ln 2 -> 4.
     * The arithmetic mean still uses every finite value: 19 / 5. */
    assert_rel(s.geo_mean, 4.0, REL);
    assert_rel(s.geo_sd, 4.0, REL);
    assert_rel(s.mean, 3.8, REL);
}

static void test_describe_geometric_nan_without_positive_values(void **state)
{
    (void)state;
    const double x[] = { 0.0, -1.0 };
    struct wp_summary s;
    assert_int_equal(wp_stats_describe(x, 2, &s), WP_OK);
    assert_int_equal(s.n_nonpositive, 2);
    assert_nan(s.geo_mean);
    assert_nan(s.geo_sd);
    assert_rel(s.mean, -0.5, REL);
}

static void test_describe_rejects_null_out(void **state)
{
    (void)state;
    assert_int_equal(wp_stats_describe(d1, N1, NULL), WP_ERR_USAGE);
    struct wp_summary s;
    assert_int_equal(wp_stats_describe(NULL, 3, &s), WP_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_describe_matches_exact_reference),
        cmocka_unit_test(test_describe_sd_uses_n_minus_1),
        cmocka_unit_test(test_quantile_is_type_7_linear),
        cmocka_unit_test(test_quantile_sorted_needs_no_copy),
        cmocka_unit_test(test_quantile_rejects_p_outside_0_1),
        cmocka_unit_test(test_quantile_of_nothing_is_empty),
        cmocka_unit_test(test_describe_empty_input_is_empty_with_nan),
        cmocka_unit_test(test_describe_all_nan_counts_missing),
        cmocka_unit_test(test_describe_one_value_has_nan_spread),
        cmocka_unit_test(test_describe_two_values),
        cmocka_unit_test(test_describe_identical_values_have_zero_sd),
        cmocka_unit_test(test_describe_skips_and_counts_nan),
        cmocka_unit_test(test_describe_geometric_excludes_nonpositive),
        cmocka_unit_test(test_describe_geometric_nan_without_positive_values),
        cmocka_unit_test(test_describe_rejects_null_out),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
