/* Tests of src/stats/whatif.c: emissions under another grid and PUE, and the national
 * grid carbon intensity table (size, order, required countries, lookup, citation). */
#include "stats/stats.h"

#include <string.h>

#include "stats/check.h"

static void test_emissions_is_kwh_times_pue_times_intensity(void **state)
{
    (void)state;
    double g;
    /* Exact fractions: 1 kWh x 1.2 x 369.473 g/kWh = 443.3676 g. */
    assert_int_equal(wp_stats_emissions_g(3.6e6, 369.473, 1.2, &g), WP_OK);
    assert_rel(g, 443.3676, REL);
    /* By hand: 7.2 MJ = 2 kWh, PUE 1, 50 g/kWh -> 100 g. */
    assert_int_equal(wp_stats_emissions_g(7.2e6, 50.0, 1.0, &g), WP_OK);
    assert_rel(g, 100.0, REL);
    assert_int_equal(wp_stats_emissions_g(0.0, 50.0, 1.0, &g), WP_OK);
    assert_true(g == 0.0);
}

static void test_emissions_rejects_impossible_inputs(void **state)
{
    (void)state;
    double g = 0;
    assert_int_equal(wp_stats_emissions_g(-1.0, 50.0, 1.0, &g), WP_ERR_USAGE);
    assert_nan(g);
    assert_int_equal(wp_stats_emissions_g(1.0, -50.0, 1.0, &g), WP_ERR_USAGE);
    assert_int_equal(wp_stats_emissions_g(1.0, 50.0, 0.9, &g), WP_ERR_USAGE); /* PUE < 1 */
    assert_int_equal(wp_stats_emissions_g(NAN, 50.0, 1.0, &g), WP_ERR_USAGE);
    assert_int_equal(wp_stats_emissions_g(1.0, 50.0, INFINITY, &g), WP_ERR_USAGE);
    assert_int_equal(wp_stats_emissions_g(1.0, 50.0, 1.0, NULL), WP_ERR_USAGE);
}

static void test_grid_table_has_30_countries_sorted_and_plausible(void **state)
{
    (void)state;
    size_t n;
    const struct wp_grid *t = wp_stats_grid_table(&n);
    assert_true(n >= 30);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(strlen(t[i].iso3), 3);
        assert_true(t[i].g_per_kwh > 0.0 && t[i].g_per_kwh < 1200.0);
        assert_true(t[i].country && *t[i].country);
        if (i > 0)
            assert_true(strcmp(t[i - 1].iso3, t[i].iso3) < 0); /* bsearch needs it */
    }
}

static void test_grid_has_every_required_country(void **state)
{
    (void)state;
    static const char *const need[] = { "USA", "CAN", "FRA", "DEU", "GBR", "CHN", "IND",
                                         "JPN", "AUS", "BRA", "SWE", "NOR", "POL", "ZAF" };
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
        const struct wp_grid *g;
        assert_int_equal(wp_stats_grid_lookup(need[i], &g), WP_OK);
        assert_string_equal(g->iso3, need[i]);
    }
}

static void test_grid_values_are_the_cited_2023_figures(void **state)
{
    (void)state;
    /* Spot checks against the cited OWID 2023 values (as transcribed; see whatif.c). */
    const struct wp_grid *g;
    assert_int_equal(wp_stats_grid_lookup("FRA", &g), WP_OK);
    assert_rel(g->g_per_kwh, 56.039, REL);
    assert_int_equal(wp_stats_grid_lookup("USA", &g), WP_OK);
    assert_rel(g->g_per_kwh, 369.473, REL);
    assert_int_equal(wp_stats_grid_lookup("IND", &g), WP_OK);
    assert_rel(g->g_per_kwh, 713.441, REL);
    assert_int_equal(wp_stats_grid_year(), 2023);
    assert_non_null(strstr(wp_stats_grid_source(), "Our World in Data"));
    assert_non_null(strstr(wp_stats_grid_source(), "Ember"));
    assert_non_null(strstr(wp_stats_grid_source(), "2023"));
}

static void test_grid_lookup_ignores_case(void **state)
{
    (void)state;
    const struct wp_grid *g;
    assert_int_equal(wp_stats_grid_lookup("swe", &g), WP_OK);
    assert_string_equal(g->iso3, "SWE");
    assert_string_equal(g->country, "Sweden");
}

static void test_grid_lookup_unknown_and_malformed_codes(void **state)
{
    (void)state;
    const struct wp_grid *g = (const void *)1;
    assert_int_equal(wp_stats_grid_lookup("XYZ", &g), WP_ERR_EMPTY);
    assert_null(g);
    assert_int_equal(wp_stats_grid_lookup("US", &g), WP_ERR_USAGE);
    assert_int_equal(wp_stats_grid_lookup("USAA", &g), WP_ERR_USAGE);
    assert_int_equal(wp_stats_grid_lookup("U1A", &g), WP_ERR_USAGE);
    assert_int_equal(wp_stats_grid_lookup("\xc3\xa9t", &g), WP_ERR_USAGE);
    assert_int_equal(wp_stats_grid_lookup(NULL, &g), WP_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emissions_is_kwh_times_pue_times_intensity),
        cmocka_unit_test(test_emissions_rejects_impossible_inputs),
        cmocka_unit_test(test_grid_table_has_30_countries_sorted_and_plausible),
        cmocka_unit_test(test_grid_has_every_required_country),
        cmocka_unit_test(test_grid_values_are_the_cited_2023_figures),
        cmocka_unit_test(test_grid_lookup_ignores_case),
        cmocka_unit_test(test_grid_lookup_unknown_and_malformed_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
