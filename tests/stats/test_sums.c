/* Tests of src/stats/sums.c (a pooled ratio over units with a unit bootstrap) and
 * src/stats/embodied.c (a GPU server's embodied emissions amortised over a run). */
#include "stats/stats.h"

#include <string.h>

#include "stats/check.h"

static void test_sums_estimate_is_the_pooled_ratio(void **state)
{
    (void)state;
    const double num[] = {10, 30, 60}, den[] = {100, 100, 300};
    struct wp_ci ci;
    assert_int_equal(wp_stats_ratio_of_sums_boot(num, den, 3, NULL, &ci), WP_OK);
    assert_rel(ci.estimate, 100.0 / 500.0, REL); /* not the mean of 0.1, 0.3, 0.2 */
    assert_int_equal(ci.n, 3);
    assert_true(ci.lo < ci.estimate && ci.estimate < ci.hi);
    /* the interval's ends are resampled pooled ratios: within the units' own ratios */
    assert_true(ci.lo >= 0.1 && ci.hi <= 0.3);
}

static void test_sums_units_of_one_ratio_give_a_point_interval(void **state)
{
    (void)state;
    const double num[] = {2, 4, 8, 16}, den[] = {1, 2, 4, 8};
    struct wp_ci ci;
    assert_int_equal(wp_stats_ratio_of_sums_boot(num, den, 4, NULL, &ci), WP_OK);
    assert_rel(ci.lo, 2.0, REL);
    assert_rel(ci.hi, 2.0, REL);
}

static void test_sums_one_unit_has_no_interval(void **state)
{
    (void)state;
    const double num[] = {5, NAN}, den[] = {10, 3};
    struct wp_ci ci;
    assert_int_equal(wp_stats_ratio_of_sums_boot(num, den, 2, NULL, &ci), WP_OK);
    assert_rel(ci.estimate, 0.5, REL);
    assert_int_equal(ci.n, 1);
    assert_int_equal(ci.n_missing, 1);
    assert_nan(ci.lo);
    assert_nan(ci.hi);
    assert_int_equal(wp_stats_ratio_of_sums_boot(NULL, NULL, 0, NULL, &ci), WP_ERR_EMPTY);
}

static void test_sums_seeded_and_level(void **state)
{
    (void)state;
    const double num[] = {1, 3, 2, 8, 5, 4}, den[] = {10, 10, 10, 10, 10, 10};
    struct wp_bootstrap b = WP_BOOTSTRAP_DEFAULT;
    struct wp_ci x, y, z;
    assert_int_equal(wp_stats_ratio_of_sums_boot(num, den, 6, &b, &x), WP_OK);
    assert_int_equal(wp_stats_ratio_of_sums_boot(num, den, 6, &b, &y), WP_OK);
    assert_true(x.lo == y.lo && x.hi == y.hi); /* the same seed, the same bits */
    b.level = 0.5;
    assert_int_equal(wp_stats_ratio_of_sums_boot(num, den, 6, &b, &z), WP_OK);
    assert_true(z.lo >= x.lo && z.hi <= x.hi && z.hi - z.lo < x.hi - x.lo);
    b.resamples = 0;
    assert_int_equal(wp_stats_ratio_of_sums_boot(num, den, 6, &b, &z), WP_ERR_USAGE);
}

static void test_embodied_amortises_the_cited_server(void **state)
{
    (void)state;
    const struct wp_embodied *t = wp_stats_embodied();
    assert_rel(t->gpu_g, 150e3, REL);    /* Luccioni et al. 2023: an A100 */
    assert_rel(t->server_g, 2500e3, REL); /* the node without its GPUs */
    assert_int_equal(t->lifetime_years, 6);
    assert_non_null(strstr(t->source, "arXiv:2211.02001"));
    /* 8 GPUs for one hour: 3,700 kg over 6 years of 365.25 days */
    assert_rel(wp_stats_embodied_g(8, 3600), 3700e3 * 3600 / (6 * 365.25 * 86400), REL);
    assert_rel(wp_stats_embodied_g(1, 0), 0.0, REL);
    assert_nan(wp_stats_embodied_g(NAN, 3600)); /* no GPU count: not a GPU server */
    assert_nan(wp_stats_embodied_g(0, 3600));
    assert_nan(wp_stats_embodied_g(2, NAN));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sums_estimate_is_the_pooled_ratio),
        cmocka_unit_test(test_sums_units_of_one_ratio_give_a_point_interval),
        cmocka_unit_test(test_sums_one_unit_has_no_interval),
        cmocka_unit_test(test_sums_seeded_and_level),
        cmocka_unit_test(test_embodied_amortises_the_cited_server),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
