/* Tests of src/stats/draws.c: bootstrap indices kept in a table give every interval (one
 * sample, or a ratio of two groups' means) the bits it gets drawing for itself, for any n
 * and resample count, from several threads. */
#include "stats/internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "stats/check.h"

static int setup(void **state)
{
    (void)state;
    wp_stats_init();
    return 0;
}

/* Data whose sums show any change of index or order: values of very different sizes. */
static double *data(size_t n, unsigned long seed)
{
    double *x = malloc(n * sizeof *x);
    assert_non_null(x);
    gsl_rng *g = wp_stats_rng(seed);
    for (size_t i = 0; i < n; i++)
        x[i] = pow(10.0, 6.0 * gsl_rng_uniform(g) - 3.0);
    gsl_rng_free(g);
    return x;
}

/* The table holds what a fresh generator draws, and the means read from it (four at a
 * time) are the bits of wp_stats_resample_mean's, also when r is not a multiple of 4. */
static void test_means_from_table_equal_drawn_means(void **state)
{
    (void)state;
    static const size_t ns[] = {2, 3, 10, 30, 240, 4099};
    static const size_t rs[] = {1, 3, 4, 7, 1000};
    struct wp_boot_draws *d = wp_boot_draws_new();
    assert_non_null(d);
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
        for (size_t j = 0; j < sizeof rs / sizeof rs[0]; j++) {
            size_t n = ns[i], r = rs[j];
            double *x = data(n, 3 + i), *a = malloc(r * sizeof *a), *b = malloc(r * sizeof *b);
            assert_non_null(a);
            assert_non_null(b);
            const uint16_t *idx = wp_boot_draws_get(d, 42, r, n);
            assert_non_null(idx);
            wp_stats_resample_means(x, n, idx, r, a);
            gsl_rng *g = wp_stats_rng(42);
            for (size_t k = 0; k < r; k++)
                b[k] = wp_stats_resample_mean(g, x, n);
            gsl_rng_free(g);
            assert_memory_equal(a, b, r * sizeof *a);
            free(x);
            free(a);
            free(b);
        }
    wp_boot_draws_free(d);
}

static void test_tables_are_kept_per_seed_and_size(void **state)
{
    (void)state;
    struct wp_boot_draws *d = wp_boot_draws_new();
    assert_non_null(d);
    const uint16_t *a = wp_boot_draws_get(d, 42, 100, 30);
    assert_non_null(a);
    assert_ptr_equal(wp_boot_draws_get(d, 42, 100, 30), a); /* drawn once */
    const uint16_t *b = wp_boot_draws_get(d, 43, 100, 30), *c = wp_boot_draws_get(d, 42, 101, 30);
    assert_non_null(b);
    assert_non_null(c);
    assert_true(a != b && a != c);
    assert_true(memcmp(a, b, 100 * 30 * sizeof *a) != 0); /* another seed, other draws */
    assert_memory_equal(a, c, 100 * 30 * sizeof *a);       /* one stream, a longer table */
    for (size_t k = 0; k < 100 * 30; k++)
        assert_true(a[k] < 30);
    wp_boot_draws_free(d);
}

/* Where a table cannot help or would be too large the caller draws for itself. */
static void test_no_table_where_none_is_kept(void **state)
{
    (void)state;
    struct wp_boot_draws *d = wp_boot_draws_new();
    assert_non_null(d);
    assert_null(wp_boot_draws_get(NULL, 42, 100, 30));
    assert_null(wp_boot_draws_get(d, 42, 100, 1));       /* n = 1: every mean is x[0] */
    assert_null(wp_boot_draws_get(d, 42, 10, 65537));    /* an index past 16 bits */
    assert_non_null(wp_boot_draws_get(d, 42, 10, 65536));
    assert_null(wp_boot_draws_get(d, 42, 10000, 1000));  /* 10 M indices in one table */
    /* the tables together stop at 64 MiB: 4 of 8 M indices (16 MiB) fit, not a fifth */
    for (size_t k = 0; k < 4; k++)
        assert_non_null(wp_boot_draws_get(d, 100 + k, 8000, 1000));
    assert_null(wp_boot_draws_get(d, 200, 8000, 1000));
    assert_non_null(wp_boot_draws_get(d, 100, 8000, 1000)); /* kept ones are still there */
    wp_boot_draws_free(d);
    wp_boot_draws_free(NULL);
}

/* An interval through a table is the interval drawn without one. */
static void test_interval_with_table_equals_without(void **state)
{
    (void)state;
    static const size_t ns[] = {1, 2, 5, 30, 240, 70000};
    struct wp_boot_draws *d = wp_boot_draws_new();
    assert_non_null(d);
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
        for (int twice = 0; twice < 2; twice++) {
            double *x = data(ns[i], 11 + i + (size_t)twice);
            struct wp_bootstrap plain = WP_BOOTSTRAP_DEFAULT, shared = plain;
            plain.resamples = shared.resamples = ns[i] > 1000 ? 50 : 2000;
            shared.draws = d;
            struct wp_ci a, b;
            assert_int_equal(wp_stats_ci_mean_boot(x, ns[i], &plain, &a), WP_OK);
            assert_int_equal(wp_stats_ci_mean_boot(x, ns[i], &shared, &b), WP_OK);
            assert_memory_equal(&a, &b, sizeof a);
            free(x);
        }
    wp_boot_draws_free(d);
}

/* A ratio of means through a two-group table is the ratio drawn without one, for group
 * sizes small (1: every resample is the value) and large, equal and not, and asked twice. */
static void test_ratio_with_table_equals_without(void **state)
{
    (void)state;
    static const size_t sizes[][2] = {{1, 1}, {1, 5}, {5, 1}, {30, 30}, {360, 240}, {240, 360}};
    struct wp_boot_draws *d = wp_boot_draws_new();
    assert_non_null(d);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (int twice = 0; twice < 2; twice++) {
            size_t na = sizes[i][0], nb = sizes[i][1];
            double *a = data(na, 21 + i), *b = data(nb, 41 + i + (size_t)twice);
            struct wp_bootstrap plain = WP_BOOTSTRAP_DEFAULT, shared = plain;
            plain.resamples = shared.resamples = 1001;
            shared.draws = d;
            struct wp_ratio x, y;
            assert_int_equal(wp_stats_ratio_boot(a, na, b, nb, &plain, &x), WP_OK);
            assert_int_equal(wp_stats_ratio_boot(a, na, b, nb, &shared, &y), WP_OK);
            assert_memory_equal(&x, &y, sizeof x);
            assert_false(isnan(y.lo));
            free(a);
            free(b);
        }
    /* a two-group table is not a one-sample one of the same first size */
    const uint16_t *one = wp_boot_draws_get(d, 42, 1001, 30);
    const uint16_t *two = wp_boot_draws_get2(d, 42, 1001, 30, 30);
    assert_non_null(one);
    assert_non_null(two);
    assert_true(one != two);
    assert_null(wp_boot_draws_get2(d, 42, 10, 5, 0));
    wp_boot_draws_free(d);
}

struct job {
    struct wp_boot_draws *d;
    size_t n;
    const uint16_t *got;
};

static void *ask(void *arg)
{
    struct job *j = arg;
    j->got = wp_boot_draws_get(j->d, 42, 500, j->n);
    return NULL;
}

/* Threads asking at once for one size get one table; for other sizes, their own. */
static void test_threads_share_one_table(void **state)
{
    (void)state;
    struct wp_boot_draws *d = wp_boot_draws_new();
    assert_non_null(d);
    pthread_t t[8];
    struct job j[8];
    for (size_t k = 0; k < 8; k++) {
        j[k] = (struct job){.d = d, .n = k % 2 ? 31 : 40};
        assert_int_equal(pthread_create(&t[k], NULL, ask, &j[k]), 0);
    }
    for (size_t k = 0; k < 8; k++)
        pthread_join(t[k], NULL);
    for (size_t k = 2; k < 8; k++)
        assert_ptr_equal(j[k].got, j[k % 2].got);
    assert_non_null(j[0].got);
    assert_non_null(j[1].got);
    assert_true(j[0].got != j[1].got);
    wp_boot_draws_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_means_from_table_equal_drawn_means),
        cmocka_unit_test(test_tables_are_kept_per_seed_and_size),
        cmocka_unit_test(test_no_table_where_none_is_kept),
        cmocka_unit_test(test_interval_with_table_equals_without),
        cmocka_unit_test(test_ratio_with_table_equals_without),
        cmocka_unit_test(test_threads_share_one_table),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
