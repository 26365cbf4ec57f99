/* Tests of src/stats/equiv.c: everyday equivalents of an energy and of emissions, each
 * factor with a citation.  Expected amounts are exact fractions (reference.py). */
#include "stats/stats.h"

#include <string.h>

#include "stats/check.h"

static const struct wp_equiv *find(const struct wp_equiv *v, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].factor->key, key) == 0)
            return &v[i];
    return NULL;
}

static void test_equivalents_of_one_kwh_and_one_kg(void **state)
{
    (void)state;
    struct wp_equiv v[WP_EQUIV_MAX];
    size_t n;
    assert_int_equal(wp_stats_equivalents(3.6e6, 1000.0, v, WP_EQUIV_MAX, &n), WP_OK);
    size_t table_n;
    wp_stats_equiv_table(&table_n);
    assert_int_equal(n, table_n);
    const struct wp_equiv *e = find(v, n, "smartphone_charges");
    assert_non_null(e);
    assert_rel(e->amount, 52.63157894736842, REL); /* 1 / 0.019 */
    e = find(v, n, "led_bulb_hours");
    assert_non_null(e);
    assert_rel(e->amount, 100.0, REL); /* 1000 Wh / 10 W */
    e = find(v, n, "car_km");
    assert_non_null(e);
    assert_rel(e->amount, 3.9835247524752475, REL); /* 1000 g / (404 g / 1.609344 km) */
}

static void test_equivalents_skip_the_basis_not_given(void **state)
{
    (void)state;
    struct wp_equiv v[WP_EQUIV_MAX];
    size_t n;
    assert_int_equal(wp_stats_equivalents(3.6e6, NAN, v, WP_EQUIV_MAX, &n), WP_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v[i].factor->basis, WP_EQUIV_ENERGY);
    assert_null(find(v, n, "car_km"));
    assert_int_equal(wp_stats_equivalents(NAN, 500.0, v, WP_EQUIV_MAX, &n), WP_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v[i].factor->basis, WP_EQUIV_EMISSIONS);
    assert_non_null(find(v, n, "car_km"));
}

static void test_equivalents_every_factor_cites_a_source(void **state)
{
    (void)state;
    size_t n;
    const struct wp_equiv_factor *t = wp_stats_equiv_table(&n);
    assert_true(n >= 3 && n <= WP_EQUIV_MAX);
    for (size_t i = 0; i < n; i++) {
        assert_true(t[i].per_unit > 0.0);
        assert_true(strlen(t[i].source) > 20);
        assert_true(strlen(t[i].unit) > 0);
    }
    assert_non_null(strstr(t[0].source, "EPA"));
}

static void test_equivalents_errors(void **state)
{
    (void)state;
    struct wp_equiv v[WP_EQUIV_MAX];
    size_t n = 9;
    assert_int_equal(wp_stats_equivalents(NAN, NAN, v, WP_EQUIV_MAX, &n), WP_ERR_EMPTY);
    assert_int_equal(n, 0);
    assert_int_equal(wp_stats_equivalents(-1.0, NAN, v, WP_EQUIV_MAX, &n), WP_ERR_USAGE);
    assert_int_equal(wp_stats_equivalents(1.0, INFINITY, v, WP_EQUIV_MAX, &n), WP_ERR_USAGE);
    assert_int_equal(wp_stats_equivalents(1.0, 1.0, v, 1, &n), WP_ERR_LIMIT);
    assert_int_equal(wp_stats_equivalents(1.0, 1.0, NULL, 0, &n), WP_ERR_LIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equivalents_of_one_kwh_and_one_kg),
        cmocka_unit_test(test_equivalents_skip_the_basis_not_given),
        cmocka_unit_test(test_equivalents_every_factor_cites_a_source),
        cmocka_unit_test(test_equivalents_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
