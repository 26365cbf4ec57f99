/* Unit tests of the alignment of CodeCarbon 3.2.9+ short append rows (codecarbon_short.c):
 * which values can be placed with certainty, which cannot, and rows that fit no way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/codecarbon_short.h"

/* A full row, in CodeCarbon's order. */
static const char *const full[WP_CC_SHORT_COLUMNS] = {
    "2026-06-20T10:00:00", "demo", "9b2b8f4e-5d0a-4c1e-8f3a-1b2c3d4e5f60",
    "5b0fa12a-3dd7-45bb-9766-cc326314d9f1", "10.0", "0.5", "0.05", "20", "30", "5", "0.2",
    "0.3", "0.05", "0.55", "0.1", "France", "FRA", "île-de-france", "", "",
    "Linux-6.1.0-18-amd64-x86_64-with-glibc2.36", "3.11.2", "3.3.0", "16", "AMD EPYC",
    "1", "1 x NVIDIA A100", "2.35", "48.85", "62.7", "machine", "12.5", "80.0", "30.1",
    "18.9", "N", "1.0", "0.0"};

static size_t idx(const char *name)
{
    for (size_t i = 0; i < WP_CC_SHORT_COLUMNS; i++)
        if (strcmp(wp_cc_short_name(i), name) == 0)
            return i;
    fail_msg("no field %s", name);
    return 0;
}

/* The header in CodeCarbon's order; the row without the fields named in drop. */
static size_t row_without(const char *const *drop, size_t n_drop, const char **out)
{
    size_t k = 0;
    for (size_t i = 0; i < WP_CC_SHORT_COLUMNS; i++) {
        bool dropped = false;
        for (size_t j = 0; j < n_drop; j++)
            dropped |= strcmp(wp_cc_short_name(i), drop[j]) == 0;
        if (!dropped)
            out[k++] = full[i];
    }
    return k;
}

static struct wp_cc_short layout(void)
{
    const char *names[WP_CC_SHORT_COLUMNS];
    struct wp_cc_short l;
    for (size_t i = 0; i < WP_CC_SHORT_COLUMNS; i++)
        names[i] = wp_cc_short_name(i);
    assert_true(wp_cc_short_layout(names, WP_CC_SHORT_COLUMNS, &l));
    return l;
}

static void test_cc_short_layout_is_the_3_3_column_set_in_any_order(void **state)
{
    (void)state;
    const char *names[WP_CC_SHORT_COLUMNS];
    struct wp_cc_short l;
    for (size_t i = 0; i < WP_CC_SHORT_COLUMNS; i++)
        names[i] = wp_cc_short_name(WP_CC_SHORT_COLUMNS - 1 - i);
    assert_true(wp_cc_short_layout(names, WP_CC_SHORT_COLUMNS, &l));
    assert_int_equal(l.hdr_col[0], WP_CC_SHORT_COLUMNS - 1); /* timestamp is last here */
    names[5] = "energy_consumed";                             /* a duplicate, one missing */
    assert_false(wp_cc_short_layout(names, WP_CC_SHORT_COLUMNS, &l));
    assert_false(wp_cc_short_layout(names, 31, &l));          /* the 2.3 layout */
}

static void test_cc_short_without_experiment_id_places_the_energies(void **state)
{
    (void)state;
    struct wp_cc_short l = layout();
    const char *v[WP_CC_SHORT_COLUMNS], *value[WP_CC_SHORT_COLUMNS];
    long field[WP_CC_SHORT_COLUMNS];
    unsigned long long unplaced;
    const char *drop[] = {"experiment_id"};
    size_t k = row_without(drop, 1, v);
    assert_true(wp_cc_short_align(&l, v, k, value, field, &unplaced));
    assert_int_equal(unplaced, 0);
    assert_string_equal(value[idx("experiment_id")], "");
    assert_string_equal(value[idx("duration")], "10.0");
    assert_int_equal(field[idx("duration")], 4);
    assert_string_equal(value[idx("energy_consumed")], "0.55");
    assert_string_equal(value[idx("wue")], "0.0");
}

static void test_cc_short_cpu_only_leaves_the_ambiguous_numbers_unplaced(void **state)
{
    (void)state;
    struct wp_cc_short l = layout();
    const char *v[WP_CC_SHORT_COLUMNS], *value[WP_CC_SHORT_COLUMNS];
    long field[WP_CC_SHORT_COLUMNS];
    unsigned long long unplaced;
    const char *drop[] = {"gpu_count", "gpu_model"};
    size_t k = row_without(drop, 2, v);
    assert_int_equal(k, 36);
    assert_true(wp_cc_short_align(&l, v, k, value, field, &unplaced));
    /* three numbers after cpu_model could be gpu_count, longitude, latitude or
     * ram_total_size: none of them is placed, and nothing before them is in doubt */
    assert_true(unplaced >> idx("ram_total_size") & 1);
    assert_true(unplaced >> idx("longitude") & 1);
    assert_string_equal(value[idx("ram_total_size")], "");
    assert_string_equal(value[idx("energy_consumed")], "0.55");
    assert_string_equal(value[idx("country_iso_code")], "FRA");
    assert_string_equal(value[idx("tracking_mode")], "machine");
    assert_false(unplaced >> idx("duration") & 1);
}

static void test_cc_short_rows_that_fit_no_way_are_refused(void **state)
{
    (void)state;
    struct wp_cc_short l = layout();
    const char *v[WP_CC_SHORT_COLUMNS], *value[WP_CC_SHORT_COLUMNS];
    long field[WP_CC_SHORT_COLUMNS];
    unsigned long long unplaced;
    const char *drop[] = {"gpu_count", "gpu_model"};
    size_t k = row_without(drop, 2, v);
    v[4] = "ten seconds"; /* duration cannot be left out, and this is no number */
    assert_false(wp_cc_short_align(&l, v, k, value, field, &unplaced));
    const char *drop_measured[] = {"pue"}; /* a measured figure is never left out */
    k = row_without(drop_measured, 1, v);
    assert_false(wp_cc_short_align(&l, v, k, value, field, &unplaced));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cc_short_layout_is_the_3_3_column_set_in_any_order),
        cmocka_unit_test(test_cc_short_without_experiment_id_places_the_energies),
        cmocka_unit_test(test_cc_short_cpu_only_leaves_the_ambiguous_numbers_unplaced),
        cmocka_unit_test(test_cc_short_rows_that_fit_no_way_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
