/* Unit tests of the measured-or-modelled sentences (src/report/basis.c): each concerned
 * component gets its specific sentence with counts and powers; none when all measured. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "report/basis.h"

static void empty(struct wp_basis_summary *b)
{
    memset(b, 0, sizeof *b);
    for (int c = 0; c < WP_N_COMP; c++)
        for (int k = 0; k < WP_N_BK; k++)
            b->power_lo_w[c][k] = b->power_hi_w[c][k] = b->gpus_max[c][k] = NAN;
}

static void test_sentences_name_the_study_components(void **state)
{
    (void)state;
    struct wp_basis_summary b;
    empty(&b);
    b.n[WP_COMP_RAM][WP_BK_RAM_MODEL] = 17540;
    b.power_lo_w[WP_COMP_RAM][WP_BK_RAM_MODEL] = b.power_hi_w[WP_COMP_RAM][WP_BK_RAM_MODEL] =
        430.77675;
    b.n[WP_COMP_CPU][WP_BK_TDP] = 17540;
    b.power_lo_w[WP_COMP_CPU][WP_BK_TDP] = b.power_hi_w[WP_COMP_CPU][WP_BK_TDP] = 42.5;
    b.n[WP_COMP_GPU][WP_BK_ALL_GPUS] = 17540;
    b.gpus_max[WP_COMP_GPU][WP_BK_ALL_GPUS] = 8;
    char buf[2048];
    wp_basis_sentences(&b, buf, sizeof buf);
    assert_non_null(strstr(buf, "RAM energy is modelled, not measured, in 17,540 of the 17,540"));
    assert_non_null(strstr(buf, "a constant 430.8 W"));
    assert_non_null(strstr(buf, "CPU energy is modelled from a thermal design power"));
    assert_non_null(strstr(buf, "a constant 42.5 W"));
    assert_non_null(strstr(buf, "every GPU of the node (up to 8)"));
    assert_null(strchr(buf, '<'));
}

/* The two modelled components' sentences word for word, the CPU's with a power range. */
static void test_modelled_sentences_word_for_word(void **state)
{
    (void)state;
    struct wp_basis_summary b;
    empty(&b);
    b.n[WP_COMP_RAM][WP_BK_RAM_MODEL] = 1234;
    b.n[WP_COMP_RAM][WP_BK_MEASURED] = 1000;
    b.power_lo_w[WP_COMP_RAM][WP_BK_RAM_MODEL] = b.power_hi_w[WP_COMP_RAM][WP_BK_RAM_MODEL] = 6;
    b.n[WP_COMP_CPU][WP_BK_TDP] = 7;
    b.power_lo_w[WP_COMP_CPU][WP_BK_TDP] = 42.5;
    b.power_hi_w[WP_COMP_CPU][WP_BK_TDP] = 60;
    char buf[2048];
    wp_basis_sentences(&b, buf, sizeof buf);
    assert_string_equal(buf, "RAM energy is modelled, not measured, in 1,234 of the 2,234 "
                             "measurements that log it: CodeCarbon takes RAM power from the "
                             "memory size (3 W per 8 GB before version 3, 5 W per DIMM slot "
                             "from 3.0), here a constant 6.0 W. CPU energy is modelled from a "
                             "thermal design power (TDP) table, not read from RAPL counters, "
                             "in 7 of the 7 measurements that log it: 42.5 to 60.0 W, half a "
                             "TDP (the CodeCarbon fallback, with 85 W for a CPU missing from "
                             "its table).");
}

static void test_sentences_are_empty_when_all_measured(void **state)
{
    (void)state;
    struct wp_basis_summary b;
    empty(&b);
    b.n[WP_COMP_GPU][WP_BK_MEASURED] = 12;
    b.n[WP_COMP_CPU][WP_BK_MEASURED] = 12;
    char buf[256];
    wp_basis_sentences(&b, buf, sizeof buf);
    assert_string_equal(buf, "");
    b.n[WP_COMP_RAM][WP_BK_UNKNOWN] = 3;
    wp_basis_sentences(&b, buf, sizeof buf);
    assert_non_null(strstr(buf, "Whether RAM energy was measured or modelled is not told"));
}

static void test_assumptions_name_pue_intensity_and_embodied(void **state)
{
    (void)state;
    char buf[512];
    wp_basis_assumptions(NAN, NULL, true, buf, sizeof buf);
    assert_non_null(strstr(buf, "(PUE) of 1 is assumed"));
    assert_non_null(strstr(buf, "carbon intensity"));
    assert_non_null(strstr(buf, "No embodied emissions"));
    wp_basis_assumptions(1.2, NULL, true, buf, sizeof buf);
    assert_non_null(strstr(buf, "(PUE) of 1.2 is assumed"));
    /* logs of energy alone (nvidia-smi, RAPL): no intensity or embodied emissions to name */
    wp_basis_assumptions(NAN, NULL, false, buf, sizeof buf);
    assert_non_null(strstr(buf, "The logs hold no emissions"));
    assert_null(strstr(buf, "carbon intensity the measuring tools applied"));
    assert_null(strstr(buf, "No embodied emissions"));
}

/* The energy the figures use and each idle host's baseline, or that there is none; the
 * hourly intensity replaces the annual table's sentence. */
static void test_assumptions_say_idle_baseline_and_hourly_intensity(void **state)
{
    (void)state;
    char buf[2048];
    struct wp_restate r = {0};
    wp_basis_assumptions(NAN, &r, true, buf, sizeof buf);
    assert_non_null(strstr(buf, "each run's total as measured, idle power included"));
    assert_non_null(strstr(buf, "No idle window was logged"));
    assert_non_null(strstr(buf, "annual average"));
    struct wp_idle_host h = {.name = "H100 / EPYC", .n_windows = 2, .duration_s = 900,
                             .power_w = 100, .n_runs = 3, .energy_j = 3.6e6,
                             .above_idle_j = 1.8e6};
    r = (struct wp_restate){.above_idle = true, .hosts = &h, .n_hosts = 1,
                            .has_intensity = true, .intensity_applied = 2,
                            .intensity_outside = 1, .intensity_file = "grid.csv",
                            .intensity = {.zone = "FR", .column = "carbon_intensity"}};
    wp_basis_assumptions(NAN, &r, true, buf, sizeof buf);
    assert_non_null(strstr(buf, "Energy figures are above idle"));
    assert_non_null(strstr(buf, "Idle baseline of H100 / EPYC: 100 W over 2 idle window(s)"));
    assert_non_null(strstr(buf, "1 kWh total, 0.5 kWh above idle (50.0%)"));
    assert_non_null(strstr(buf, "hourly location-based carbon intensity from grid.csv, zone FR"));
    assert_non_null(strstr(buf, "2 of 3 run(s)"));
    assert_null(strstr(buf, "not the grid at the hour"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentences_name_the_study_components),
        cmocka_unit_test(test_modelled_sentences_word_for_word),
        cmocka_unit_test(test_sentences_are_empty_when_all_measured),
        cmocka_unit_test(test_assumptions_name_pue_intensity_and_embodied),
        cmocka_unit_test(test_assumptions_say_idle_baseline_and_hourly_intensity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
