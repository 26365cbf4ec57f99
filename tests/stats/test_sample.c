/* Tests of src/stats/sample.c: wp_stats_init, and the shared helpers of internal.h --
 * copying usable values, the seeded generator, one resample, t quantiles and p-values.
 * t references: tests/stats/reference.py (mpmath incomplete beta, cross-checked against
 * the closed-form odd-df CDF and numerical integration of the density). */
#include "stats/internal.h"

#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats/check.h"

static int setup(void **state)
{
    (void)state;
    wp_stats_init();
    return 0;
}

static void test_init_turns_gsl_abort_handler_off(void **state)
{
    (void)state;
    /* With GSL's default handler this call would abort the process (n == 0 is invalid);
     * after wp_stats_init it just returns, so errors can be checked. */
    gsl_rng *r = wp_stats_rng(1);
    assert_non_null(r);
    assert_int_equal(gsl_rng_uniform_int(r, 0), 0);
    gsl_rng_free(r);
}

static void test_rng_is_mt19937_as_specified(void **state)
{
    (void)state;
    /* ISO C++ [rand.predef]: the 10000th output of mt19937 seeded with 5489 is
     * 4123659995; GSL's gsl_rng_set uses the same init_genrand seeding. */
    gsl_rng *r = wp_stats_rng(5489);
    assert_non_null(r);
    unsigned long v = 0;
    for (int i = 0; i < 10000; i++)
        v = gsl_rng_get(r);
    assert_int_equal(v, 4123659995UL);
    gsl_rng_free(r);
    /* Seed 42, first draws (CPython's MT19937 with the same init_genrand state). */
    r = wp_stats_rng(42);
    assert_int_equal(gsl_rng_get(r), 1608637542UL);
    assert_int_equal(gsl_rng_get(r), 3421126067UL);
    gsl_rng_free(r);
}

static void test_t_crit_matches_table_values(void **state)
{
    (void)state;
    /* reference.py; familiar tables give 12.706, 4.303, 2.776, 2.262, 2.045, 1.833,
     * 3.250.  t_{0.975,9} = 2.262157162798205: the often-quoted 2.2621571627409915 is
     * 6e-11 too small (its upper tail is 0.02500000000234, not 0.025). */
    assert_rel(wp_stats_t_crit(0.95, 1), 12.706204736174694, REL);
    assert_rel(wp_stats_t_crit(0.95, 2), 4.302652729749462, REL);
    assert_rel(wp_stats_t_crit(0.95, 4), 2.7764451051977934, REL);
    assert_rel(wp_stats_t_crit(0.95, 9), 2.262157162798205, REL);
    assert_rel(wp_stats_t_crit(0.95, 29), 2.045229642132704, REL);
    assert_rel(wp_stats_t_crit(0.90, 9), 1.8331129326562365, REL);
    assert_rel(wp_stats_t_crit(0.99, 9), 3.249835541592126, REL);
    assert_nan(wp_stats_t_crit(0.95, 0));
    assert_nan(wp_stats_t_crit(1.0, 9));
}

static void test_t_p2_is_two_sided_tail(void **state)
{
    (void)state;
    /* reference.py values of 2 Q_t(|t|; df), including a non-integer df. */
    assert_rel(wp_stats_t_p2(4.2751676687402975, 8.82377065038314), 0.0021601939941852063,
               REL);
    assert_rel(wp_stats_t_p2(-4.2751676687402975, 8.82377065038314), 0.0021601939941852063,
               REL);
    assert_rel(wp_stats_t_p2(10.017937566282907, 5), 0.0001694845673365493, REL);
    /* By symmetry: t = 0 gives p = 1; the 97.5% quantile gives 0.05. */
    assert_rel(wp_stats_t_p2(0.0, 3), 1.0, REL);
    assert_rel(wp_stats_t_p2(2.262157162798205, 9), 0.05, REL);
    assert_true(wp_stats_t_p2(INFINITY, 3) == 0.0);
    assert_nan(wp_stats_t_p2(NAN, 3));
    assert_nan(wp_stats_t_p2(1.0, NAN));
}

static void test_copy_skips_missing_and_counts(void **state)
{
    (void)state;
    const double x[] = { 1.0, NAN, -2.0, INFINITY, 0.0, 100.0, -INFINITY };
    double *v;
    size_t m, missing, nonpos;
    assert_int_equal(wp_stats_copy(x, 7, WP_KEEP_FINITE, &v, &m, &missing, &nonpos), WP_OK);
    assert_int_equal(m, 4);
    assert_int_equal(missing, 3);
    assert_int_equal(nonpos, 0);
    assert_true(v[0] == 1.0 && v[1] == -2.0 && v[2] == 0.0 && v[3] == 100.0);
    free(v);
    assert_int_equal(wp_stats_copy(x, 7, WP_KEEP_LOG10, &v, &m, &missing, &nonpos), WP_OK);
    assert_int_equal(m, 2);
    assert_int_equal(nonpos, 2);
    assert_true(v[0] == 0.0 && v[1] == 2.0);
    free(v);
    assert_int_equal(wp_stats_copy(x, 2, WP_KEEP_LN, &v, &m, &missing, NULL), WP_OK);
    assert_int_equal(m, 1);
    assert_true(v[0] == 0.0);
    free(v);
}

static void test_copy_of_nothing_allocates_nothing(void **state)
{
    (void)state;
    const double x[] = { NAN };
    double *v = (double *)x;
    size_t m = 9, missing = 9;
    assert_int_equal(wp_stats_copy(x, 1, WP_KEEP_FINITE, &v, &m, &missing, NULL), WP_OK);
    assert_null(v);
    assert_int_equal(m, 0);
    assert_int_equal(missing, 1);
    assert_int_equal(wp_stats_copy(NULL, 3, WP_KEEP_FINITE, &v, &m, &missing, NULL),
                     WP_ERR_USAGE);
}

static void test_alloc_refuses_overflowing_sizes(void **state)
{
    (void)state;
    assert_null(wp_stats_alloc(0));
    assert_null(wp_stats_alloc(SIZE_MAX / 4));
}

/* The resample's own index rule must give exactly gsl_rng_uniform_int's indices: a
 * resample of x[i] = i is the mean of the indices, so two generators with one seed, one
 * drawing through GSL, must agree to the last bit for every n, small and near 2^32. */
static void test_resample_mean_draws_gsl_uniform_int_indices(void **state)
{
    (void)state;
    static const size_t ns[] = {1, 2, 3, 7, 10, 240, 1000, 65537, 3000000};
    size_t max_n = ns[sizeof ns / sizeof ns[0] - 1];
    double *x = malloc(max_n * sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < max_n; i++)
        x[i] = (double)i;
    for (size_t j = 0; j < sizeof ns / sizeof ns[0]; j++) {
        size_t n = ns[j];
        gsl_rng *a = wp_stats_rng(42 + j), *b = wp_stats_rng(42 + j);
        for (int rep = 0; rep < (n > 1000 ? 2 : 200); rep++) {
            double sum = 0.0;
            for (size_t i = 0; i < n; i++)
                sum += x[gsl_rng_uniform_int(b, (unsigned long)n)];
            assert_true(wp_stats_resample_mean(a, x, n) == sum / (double)n);
        }
        assert_int_equal(gsl_rng_get(a), gsl_rng_get(b)); /* the same draws consumed */
        gsl_rng_free(a);
        gsl_rng_free(b);
    }
    free(x);
}

/* The division behind it: floor(v / d) by multiplication, for every 32-bit v and d >= 2,
 * checked at the edges and on a million pseudo-random pairs. */
static void test_div_by_magic_is_exact_floor_division(void **state)
{
    (void)state;
    static const uint64_t edges[] = {2, 3, 5, 7, 641, 65535, 65536, 65537, 0x7fffffffUL,
                                     0x80000000UL, 0x80000001UL, 0xfffffffeUL, 0xffffffffUL};
    static const uint64_t vs[] = {0, 1, 2, 0x7fffffffUL, 0x80000000UL, 0xfffffffeUL,
                                  0xffffffffUL};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        for (size_t j = 0; j < sizeof vs / sizeof vs[0]; j++) {
            uint64_t d = edges[i], m = wp_stats_div_magic(d);
            for (uint64_t v = vs[j] > 2 ? vs[j] - 2 : vs[j]; v <= vs[j] && v <= 0xffffffffUL;
                 v++) {
                assert_int_equal(wp_stats_div_by_magic(v, m), v / d);
                uint64_t q = v / d; /* just at and below a multiple of d */
                assert_int_equal(wp_stats_div_by_magic(q * d, m), q);
                if (q > 0)
                    assert_int_equal(wp_stats_div_by_magic(q * d - 1, m), q - 1);
            }
        }
    gsl_rng *r = wp_stats_rng(1);
    for (int i = 0; i < 1000000; i++) {
        uint64_t v = gsl_rng_get(r), d = gsl_rng_get(r) >> (gsl_rng_get(r) % 31);
        if (d < 2)
            continue;
        assert_int_equal(wp_stats_div_by_magic(v, wp_stats_div_magic(d)), v / d);
    }
    gsl_rng_free(r);
}

static void test_resample_mean_draws_from_the_data(void **state)
{
    (void)state;
    const double x[] = { 1.0, 2.0, 3.0 };
    gsl_rng *r = wp_stats_rng(42);
    /* The documented draw: n indices from gsl_rng_uniform_int, plain sum / n; replayed
     * on a second generator with the same seed. */
    gsl_rng *s = wp_stats_rng(42);
    for (int k = 0; k < 100; k++) {
        double m = wp_stats_resample_mean(r, x, 3);
        double sum = 0;
        for (int i = 0; i < 3; i++)
            sum += x[gsl_rng_uniform_int(s, 3)];
        assert_true(m == sum / 3.0);
        assert_true(m >= 1.0 && m <= 3.0);
    }
    gsl_rng_free(s);
    gsl_rng_free(r);
}

static void test_percentile_uses_type_7(void **state)
{
    (void)state;
    double rep[] = { 5, 1, 4, 2, 3 }, lo, hi;
    /* Sorted 1..5, level 0.5: h = 0.25 * 4 = 1 -> 2 and h = 0.75 * 4 = 3 -> 4. */
    wp_stats_percentile(rep, 5, 0.5, &lo, &hi);
    assert_rel(lo, 2.0, REL);
    assert_rel(hi, 4.0, REL);
}

/* The percentile picks its order statistics with gsl_stats_select instead of sorting: the
 * same bits as gsl_sort + gsl_stats_quantile_from_sorted_data, for replicate counts small
 * and large, levels whose quantile index is whole or not, and ties. */
static void test_percentile_equals_sorted_quantiles(void **state)
{
    (void)state;
    static const size_t rs[] = {1, 2, 3, 4, 5, 39, 40, 41, 1000, 9999, 10000};
    static const double levels[] = {0.5, 0.9, 0.95, 0.99, 0.999};
    gsl_rng *g = wp_stats_rng(7);
    double *rep = malloc(10000 * sizeof *rep), *sorted = malloc(10000 * sizeof *sorted);
    assert_non_null(rep);
    assert_non_null(sorted);
    for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++)
        for (size_t j = 0; j < sizeof levels / sizeof levels[0]; j++)
            for (int ties = 0; ties < 2; ties++) {
                size_t r = rs[i];
                for (size_t k = 0; k < r; k++) /* with ties: few distinct values */
                    rep[k] = sorted[k] = ties ? (double)gsl_rng_uniform_int(g, 7)
                                              : gsl_rng_uniform(g) * 1e-3;
                gsl_sort(sorted, 1, r);
                double lo, hi, f = levels[j];
                wp_stats_percentile(rep, r, f, &lo, &hi);
                assert_true(lo == gsl_stats_quantile_from_sorted_data(sorted, 1, r,
                                                                      (1.0 - f) / 2.0));
                assert_true(hi == gsl_stats_quantile_from_sorted_data(sorted, 1, r,
                                                                      (1.0 + f) / 2.0));
            }
    free(rep);
    free(sorted);
    gsl_rng_free(g);
}

static void test_boot_opts_default_and_validate(void **state)
{
    (void)state;
    struct wp_bootstrap o;
    assert_int_equal(wp_stats_boot_opts(NULL, &o), WP_OK);
    assert_int_equal(o.seed, 42);
    assert_int_equal(o.resamples, 10000);
    assert_rel(o.level, 0.95, REL);
    struct wp_bootstrap bad = { .seed = 1, .resamples = 5, .level = 0.0 };
    assert_int_equal(wp_stats_boot_opts(&bad, &o), WP_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_turns_gsl_abort_handler_off),
        cmocka_unit_test(test_rng_is_mt19937_as_specified),
        cmocka_unit_test(test_t_crit_matches_table_values),
        cmocka_unit_test(test_t_p2_is_two_sided_tail),
        cmocka_unit_test(test_copy_skips_missing_and_counts),
        cmocka_unit_test(test_copy_of_nothing_allocates_nothing),
        cmocka_unit_test(test_alloc_refuses_overflowing_sizes),
        cmocka_unit_test(test_resample_mean_draws_from_the_data),
        cmocka_unit_test(test_resample_mean_draws_gsl_uniform_int_indices),
        cmocka_unit_test(test_div_by_magic_is_exact_floor_division),
        cmocka_unit_test(test_percentile_uses_type_7),
        cmocka_unit_test(test_percentile_equals_sorted_quantiles),
        cmocka_unit_test(test_boot_opts_default_and_validate),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
