/* Unit tests of the per-group column model (src/stats/columns.c): each column reads the
 * value its name says from a group, text that is missing reads "", computed columns see
 * the unit, and names are unique and carry their unit. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "stats/columns.h"

static void test_columns_read_what_their_names_say(void **state)
{
    (void)state;
    enum wp_unit unit = WP_UNIT_MODEL;
    struct wp_group_stats g = {.task = "summarization", .n_runs = 12, .n = 9, .n_units = 3,
                               .is_small = true};
    g.kwh.mean = 0.25;
    g.kwh_t.hi = 0.5;
    g.g.mean = 100;
    g.tokens.n = 4;
    g.tokens.j_per_output_token = 1.5;
    assert_string_equal(wp_gcol_get(wp_gcol_find("task"), unit, &g).text, "summarization");
    assert_string_equal(wp_gcol_get(wp_gcol_find("model"), unit, &g).text, ""); /* NULL */
    assert_int_equal(wp_gcol_get(wp_gcol_find("runs"), unit, &g).count, 12);
    assert_int_equal(wp_gcol_get(wp_gcol_find("n"), unit, &g).count, 9);
    assert_int_equal(wp_gcol_get(wp_gcol_find("n_units"), unit, &g).count, 3);
    assert_int_equal(wp_gcol_get(wp_gcol_find("token_experiments"), unit, &g).count, 4);
    assert_true(wp_gcol_get(wp_gcol_find("mean_kwh_per_1k"), unit, &g).num == 0.25);
    assert_true(wp_gcol_get(wp_gcol_find("ci_t_hi_kwh_per_1k"), unit, &g).num == 0.5);
    g.kwh_t.lo = -0.1; /* a t interval below zero: the exact value, and flagged */
    assert_ptr_equal(wp_gcol_get(wp_gcol_find("ci_t_lo_kwh_per_1k"), unit, &g).ci, &g.kwh_t);
    assert_true(wp_gcol_num(wp_gcol_find("ci_t_lo_kwh_per_1k"), unit, &g) == -0.1);
    assert_true(wp_gcol_get(wp_gcol_find("ci_t_lo_below_zero"), unit, &g).flag);
    assert_true(wp_gcol_get(wp_gcol_find("mean_g_co2eq_per_1k"), unit, &g).num == 100);
    assert_true(wp_gcol_get(wp_gcol_find("j_per_output_token"), unit, &g).num == 1.5);
    assert_true(wp_gcol_get(wp_gcol_find("small_n"), unit, &g).flag);
    /* computed from the analysis: the unit the intervals are over */
    assert_string_equal(wp_gcol_get(wp_gcol_find("unit"), unit, &g).text,
                        wp_unit_name(WP_UNIT_MODEL, 1));
    /* numbers for a plan or a plot: counts as numbers, text as none */
    assert_true(wp_gcol_num(wp_gcol_find("n"), unit, &g) == 9.0);
    assert_true(wp_gcol_num(wp_gcol_find("mean_kwh_per_1k"), unit, &g) == 0.25);
    assert_true(isnan(wp_gcol_num(wp_gcol_find("task"), unit, &g)));
    assert_null(wp_gcol_find("mean_kwh"));
    /* the columns beyond stats' table: the model's facts */
    g.parameters = 0;
    g.training_energy_j = 7.2e6;
    g.purpose = "multi-purpose";
    assert_true(isnan(wp_gcol_num(wp_gcol_find("parameters"), unit, &g))); /* 0: unknown */
    g.parameters = 7069016064;
    assert_true(wp_gcol_num(wp_gcol_find("parameters"), unit, &g) == 7069016064.0);
    assert_true(wp_gcol_num(wp_gcol_find("training_kwh"), unit, &g) == 2.0);
    assert_string_equal(wp_gcol_get(wp_gcol_find("purpose"), unit, &g).text, "multi-purpose");
}

static void test_columns_have_unique_names_that_carry_their_unit(void **state)
{
    (void)state;
    for (size_t i = 0; i < WP_N_GROUP_COLS; i++) {
        const struct wp_gcol *c = &wp_group_cols[i];
        assert_ptr_equal(wp_gcol_find(c->name), c); /* the first of that name: unique */
        if (strstr(c->unit, "kWh per 1,000 inferences"))
            assert_non_null(strstr(c->name, "_kwh_per_1k"));
        if (strstr(c->unit, "g CO2eq per 1,000 inferences"))
            assert_non_null(strstr(c->name, "_g_co2eq_per_1k"));
        if (c->kind == WP_GCOL_NUM || c->kind == WP_GCOL_CI)
            assert_true(c->sig >= 3);
        else
            assert_string_equal(c->unit, "");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_read_what_their_names_say),
        cmocka_unit_test(test_columns_have_unique_names_that_carry_their_unit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
