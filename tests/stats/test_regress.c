/* Tests of src/stats/regress.c: least squares against the NIST StRD "Norris" certified
 * values, the slope's p-value, Spearman's rho (with ties) and its t-approximation p-value,
 * the fitted-mean interval, and the degenerate cases.  Non-NIST references come from
 * tests/stats/reference.py (exact fractions, mpmath t tail probabilities). */
#include "stats/internal.h"
#include "stats/stats.h"

#include "stats/check.h"

/* NIST StRD linear regression dataset "Norris" (lower difficulty), 36 observations of
 * (y, x).  Before trusting these literals, reference.py-style exact arithmetic (Python
 * fractions) on them reproduced every certified value below to all printed digits. */
static const double norris[][2] = {
    { 0.1, 0.2 },     { 338.8, 337.4 }, { 118.1, 118.2 }, { 888.0, 884.6 },
    { 9.2, 10.1 },    { 228.1, 226.5 }, { 668.5, 666.3 }, { 998.5, 996.3 },
    { 449.1, 448.6 }, { 778.9, 777.0 }, { 559.2, 558.2 }, { 0.3, 0.4 },
    { 0.1, 0.6 },     { 778.1, 775.5 }, { 668.8, 666.9 }, { 339.3, 338.0 },
    { 448.9, 447.5 }, { 10.8, 11.6 },   { 557.7, 556.0 }, { 228.3, 228.1 },
    { 998.0, 995.8 }, { 888.8, 887.6 }, { 119.6, 120.2 }, { 0.3, 0.3 },
    { 0.6, 0.3 },     { 557.6, 556.8 }, { 339.3, 339.1 }, { 888.0, 887.2 },
    { 998.5, 999.0 }, { 778.9, 779.0 }, { 10.2, 11.1 },   { 117.6, 118.3 },
    { 228.9, 229.2 }, { 668.4, 669.1 }, { 449.2, 448.9 }, { 0.2, 0.5 },
};
#define NN (sizeof norris / sizeof norris[0])

static const double rx[] = { 8.1, 8.5, 9.0, 9.4, 9.85, 10.2, 10.85 };
static const double ry[] = { -3.1, -2.9, -2.2, -2.35, -1.8, -1.2, -0.95 };
#define NR (sizeof rx / sizeof rx[0])

static int setup(void **state)
{
    (void)state;
    wp_stats_init();
    return 0;
}

static void test_fit_reproduces_nist_norris_certified_values(void **state)
{
    (void)state;
    double x[NN], y[NN];
    for (size_t i = 0; i < NN; i++) {
        y[i] = norris[i][0];
        x[i] = norris[i][1];
    }
    struct wp_fit f;
    assert_int_equal(wp_stats_fit_linear(x, y, NN, &f), WP_OK);
    assert_int_equal(f.n, 36);
    /* NIST certified values (15 significant digits).  The slope's sd is
     * 4.29796848199937E-04 (...848...): exact arithmetic on the data gives
     * 0.000429796848199937; a copy reading ...849... has a typo. */
    assert_rel(f.slope, 1.00211681802045, REL);
    assert_rel(f.intercept, -0.262323073774029, REL);
    assert_rel(f.se_slope, 4.29796848199937e-04, REL);
    assert_rel(f.se_intercept, 0.232818234301152, REL);
    assert_rel(f.resid_sd, 0.884796396144373, REL);
    assert_rel(f.r2, 0.999993745883712, REL);
    assert_rel(f.df, 34.0, REL);
    assert_false(f.is_small);
}

static void test_fit_slope_test_and_covariance_match_reference(void **state)
{
    (void)state;
    struct wp_fit f;
    assert_int_equal(wp_stats_fit_linear(rx, ry, NR, &f), WP_OK);
    /* reference.py: exact fractions; cov(b0, b1) = -mean(x) s^2 / Sxx. */
    assert_rel(f.slope, 0.8172721478648822, REL);
    assert_rel(f.intercept, -9.765462077756533, REL);
    assert_rel(f.se_slope, 0.0815808785448566, REL);
    assert_rel(f.se_intercept, 0.7714863721634106, REL);
    assert_rel(f.cov_slope_intercept, -0.06265621130564678, REL);
    assert_rel(f.r2, 0.9525432423260664, REL);
    assert_rel(f.resid_sd, 0.19311714578178002, REL);
    assert_rel(f.t_slope, 10.017937566282907, REL);
    assert_rel(f.p_slope, 0.0001694845673365493, REL); /* 2 Q_t(|t|; 5), mpmath */
}

static void test_spearman_without_ties_and_its_p(void **state)
{
    (void)state;
    struct wp_fit f;
    assert_int_equal(wp_stats_fit_linear(rx, ry, NR, &f), WP_OK);
    /* By hand: rank difference only at positions 3/4 (d = +-1): 1 - 6*2/(7*48) = 27/28. */
    assert_rel(f.spearman_rho, 27.0 / 28.0, REL);
    /* Exact for 7 pairs without ties: S = 2, reached by the identity and the 6 swaps of
     * neighbours, 2 * 7 / 7! = 1/360; R 4.2.2: cor.test(1:7, c(1,2,3,5,4,6,7),
     * method = "spearman")$p.value = 0.0027777777777777779 (the t approximation said
     * 0.00045). */
    assert_rel(f.spearman_p, 1.0 / 360.0, REL);
}

/* The exact p against R 4.2.2's cor.test(method = "spearman") (exact by default for n <= 9
 * without ties), at each tail and at the largest n counted. */
static void test_spearman_p_is_exact_up_to_nine_pairs_without_ties(void **state)
{
    (void)state;
    const struct {
        size_t n;
        double x[9], y[9], p;
    } c[] = {
        /* cor.test(1:5, c(1,2,3,5,4)): rho 0.9, the t approximation said 0.037 */
        {5, {1, 2, 3, 4, 5}, {1, 2, 3, 5, 4}, 0.083333333333333329},
        /* cor.test(1:6, c(6,5,4,2,3,1)): rho near -1, the upper tail of S */
        {6, {1, 2, 3, 4, 5, 6}, {6, 5, 4, 2, 3, 1}, 0.016666666666666666},
        /* cor.test(1:8, c(2,1,4,3,6,5,8,7)) */
        {8, {1, 2, 3, 4, 5, 6, 7, 8}, {2, 1, 4, 3, 6, 5, 8, 7}, 0.0045634920634920638},
        /* cor.test(c(3,1,4,1.5,5,9,2,6,5.5), c(2,7,1,8,2.8,1.8,2.9,4.5,9)) */
        {9, {3, 1, 4, 1.5, 5, 9, 2, 6, 5.5}, {2, 7, 1, 8, 2.8, 1.8, 2.9, 4.5, 9.0},
         0.46299052028218696},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        struct wp_fit f;
        assert_int_equal(wp_stats_fit_linear(c[i].x, c[i].y, c[i].n, &f), WP_OK);
        assert_rel(f.spearman_p, c[i].p, REL);
    }
    /* ten pairs: the t approximation, and a perfect order exactly 2 / 10! */
    const double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, y[] = {1, 2, 3, 4, 5, 6, 7, 8, 10, 9};
    struct wp_fit f;
    assert_int_equal(wp_stats_fit_linear(x, y, 10, &f), WP_OK);
    double rho = 1.0 - 6.0 * 2.0 / 990.0;
    assert_rel(f.spearman_p, wp_stats_t_p2(rho * sqrt(8.0 / (1.0 - rho * rho)), 8.0), 1e-12);
    assert_int_equal(wp_stats_fit_linear(x, x, 10, &f), WP_OK);
    assert_rel(f.spearman_p, 2.0 / 3628800.0, 1e-12);
}

static void test_spearman_gives_ties_average_ranks(void **state)
{
    (void)state;
    const double x[] = { 1, 2, 2, 3, 4, 5, 6, 7 };
    const double y[] = { 2, 1, 4, 3, 3, 6, 8, 7 };
    struct wp_fit f;
    assert_int_equal(wp_stats_fit_linear(x, y, 8, &f), WP_OK);
    /* reference.py: Pearson correlation of average ranks (exact fractions) = 69/83. */
    assert_rel(f.spearman_rho, 0.8313253012048193, REL);
    assert_rel(f.spearman_p, 0.010530923074814286, REL);
}

static void test_fit_predict_gives_mean_response_interval(void **state)
{
    (void)state;
    struct wp_fit f;
    assert_int_equal(wp_stats_fit_linear(rx, ry, NR, &f), WP_OK);
    double y, lo, hi;
    assert_int_equal(wp_stats_fit_predict(&f, 9.5, 0.95, &y, &lo, &hi), WP_OK);
    /* reference.py: y +- t_{0.975,5} s sqrt(1/n + (x - mean x)^2 / Sxx). */
    assert_rel(y, -2.001376673040153, REL);
    assert_rel(lo, -2.1898661446276986, REL);
    assert_rel(hi, -1.8128872014526072, REL);
}

static void test_fit_skips_incomplete_pairs(void **state)
{
    (void)state;
    const double x[] = { 8.1, 8.5, NAN, 9.0, 9.4, 9.85, 10.2, 10.85, 3.0 };
    const double y[] = { -3.1, -2.9, 1.0, -2.2, -2.35, -1.8, -1.2, -0.95, INFINITY };
    struct wp_fit f;
    assert_int_equal(wp_stats_fit_linear(x, y, 9, &f), WP_OK);
    assert_int_equal(f.n, 7);
    assert_int_equal(f.n_missing, 2);
    assert_rel(f.slope, 0.8172721478648822, REL);
}

static void test_fit_two_points_is_exact_without_uncertainty(void **state)
{
    (void)state;
    const double x[] = { 1.0, 3.0 }, y[] = { 2.0, 6.0 };
    struct wp_fit f;
    assert_int_equal(wp_stats_fit_linear(x, y, 2, &f), WP_OK);
    assert_true(f.is_small);
    assert_rel(f.slope, 2.0, REL);
    assert_rel(f.intercept, 0.0, REL);
    assert_rel(f.r2, 1.0, REL);
    assert_nan(f.se_slope);
    assert_nan(f.resid_sd);
    assert_nan(f.p_slope);
    assert_rel(f.spearman_rho, 1.0, REL);
    assert_nan(f.spearman_p);
    double yy, lo, hi;
    assert_int_equal(wp_stats_fit_predict(&f, 2.0, 0.95, &yy, &lo, &hi), WP_OK);
    assert_rel(yy, 4.0, REL);
    assert_nan(lo);
    assert_nan(hi);
}

static void test_fit_perfect_line_has_infinite_t_and_zero_slope_p(void **state)
{
    (void)state;
    const double x[] = { 1.0, 2.0, 3.0, 4.0 }, y[] = { 3.0, 5.0, 7.0, 9.0 };
    struct wp_fit f;
    assert_int_equal(wp_stats_fit_linear(x, y, 4, &f), WP_OK);
    assert_rel(f.slope, 2.0, REL);
    assert_rel(f.intercept, 1.0, REL);
    assert_true(f.se_slope == 0.0);
    assert_true(isinf(f.t_slope) && f.t_slope > 0);
    assert_true(f.p_slope == 0.0);
    /* Ranks agree perfectly: of the 4! orderings only this one and its reverse are as
     * extreme, p = 2 / 24; R: cor.test(1:4, c(3,5,7,9), method = "spearman")$p.value */
    assert_rel(f.spearman_rho, 1.0, 1e-12);
    assert_rel(f.spearman_p, 0.083333333333333329, REL);
}

static void test_fit_constant_x_has_no_line(void **state)
{
    (void)state;
    const double x[] = { 2.0, 2.0, 2.0 }, y[] = { 1.0, 2.0, 3.0 };
    struct wp_fit f;
    assert_int_equal(wp_stats_fit_linear(x, y, 3, &f), WP_OK);
    assert_nan(f.slope);
    assert_nan(f.r2);
    assert_nan(f.spearman_rho);
}

static void test_fit_constant_y_has_zero_slope_and_nan_r2(void **state)
{
    (void)state;
    const double x[] = { 1.0, 2.0, 3.0 }, y[] = { 5.0, 5.0, 5.0 };
    struct wp_fit f;
    assert_int_equal(wp_stats_fit_linear(x, y, 3, &f), WP_OK);
    assert_true(f.slope == 0.0);
    assert_nan(f.r2);
    assert_nan(f.t_slope);
    assert_nan(f.spearman_rho);
}

static void test_fit_one_pair_and_none(void **state)
{
    (void)state;
    const double x[] = { 1.0 }, y[] = { 1.0 };
    struct wp_fit f;
    assert_int_equal(wp_stats_fit_linear(x, y, 1, &f), WP_OK);
    assert_true(f.is_small);
    assert_nan(f.slope);
    assert_int_equal(wp_stats_fit_linear(NULL, NULL, 0, &f), WP_ERR_EMPTY);
    assert_int_equal(f.n, 0);
}

static void test_fit_within_removes_group_levels(void **state)
{
    (void)state;
    /* two tasks of slope 2 and 2.5, ten units apart: the slope within them is
     * (4 + 5) / (2 + 2) = 2.25, df = 6 - 2 tasks - 1 (reference values: exact fractions
     * and mpmath's incomplete beta, as tests/stats/reference.py computes them) */
    const double x[] = {1, 2, 3, 1, 2, 3};
    const double y[] = {1, 3, 5, 11, 13, 16};
    const long long g[] = {7, 7, 7, 9, 9, 9};
    struct wp_fit f;
    size_t k;
    assert_int_equal(wp_stats_fit_within(x, y, g, 6, &f, &k), WP_OK);
    assert_int_equal(k, 2);
    assert_int_equal(f.n, 6);
    assert_rel(f.slope, 2.25, REL);
    assert_rel(f.df, 3, REL);
    assert_rel(f.se_slope, 0.18633899812498247, REL);
    assert_rel(f.t_slope, 12.074767078498864, REL);
    assert_rel(f.p_slope, 0.0012224012681179698, 1e-7);
    assert_rel(f.r2, 0.9798387096774194, REL);
    assert_rel(f.intercept, 3.6666666666666665, REL); /* through the grand mean (2, 49/6) */
    /* pooled without the task term, the ten-unit gap would pass for a slope of 2.25 with a
     * far larger residual: the within fit must not be that */
    struct wp_fit naive;
    assert_int_equal(wp_stats_fit_linear(x, y, 6, &naive), WP_OK);
    assert_true(naive.se_slope > 10 * f.se_slope);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_within_removes_group_levels),
        cmocka_unit_test(test_fit_reproduces_nist_norris_certified_values),
        cmocka_unit_test(test_fit_slope_test_and_covariance_match_reference),
        cmocka_unit_test(test_spearman_without_ties_and_its_p),
        cmocka_unit_test(test_spearman_p_is_exact_up_to_nine_pairs_without_ties),
        cmocka_unit_test(test_spearman_gives_ties_average_ranks),
        cmocka_unit_test(test_fit_predict_gives_mean_response_interval),
        cmocka_unit_test(test_fit_skips_incomplete_pairs),
        cmocka_unit_test(test_fit_two_points_is_exact_without_uncertainty),
        cmocka_unit_test(test_fit_perfect_line_has_infinite_t_and_zero_slope_p),
        cmocka_unit_test(test_fit_constant_x_has_no_line),
        cmocka_unit_test(test_fit_constant_y_has_zero_slope_and_nan_r2),
        cmocka_unit_test(test_fit_one_pair_and_none),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
