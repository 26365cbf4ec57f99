/* Unit tests of the per-run adjustments of src/analysis/runs.c: `stats --measured-only`
 * leaving modelled components out of a run. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/runs.h"

/* A study run: GPU 5.2, CPU 0.4 (42.5 W half-TDP), RAM 4.0 (430.8 W model) Wh, 100 g. */
static struct wp_run_row study_run(void)
{
    struct wp_run_row r = {0};
    r.cpu_energy_j = 0.4 * 3600;
    r.gpu_energy_j = 5.2 * 3600;
    r.ram_energy_j = 4.0 * 3600;
    r.energy_j = 9.6 * 3600;
    r.emissions_g = 96;
    return r;
}

static void test_measured_only_leaves_modelled_ram_and_cpu_out(void **state)
{
    (void)state;
    struct wp_run_row r = study_run();
    wp_runs_measured_only(&r, WP_MODELLED_CPU | WP_MODELLED_RAM);
    assert_float_equal(r.energy_j, 5.2 * 3600, 1e-9);
    assert_float_equal(r.gpu_energy_j, 5.2 * 3600, 1e-9);
    assert_true(isnan(r.cpu_energy_j));
    assert_true(isnan(r.ram_energy_j));
    /* 10 g per Wh kept: 52 g for the 5.2 Wh measured */
    assert_float_equal(r.emissions_g, 52, 1e-9);
}

static void test_measured_only_keeps_a_fully_measured_run(void **state)
{
    (void)state;
    struct wp_run_row r = study_run();
    wp_runs_measured_only(&r, 0);
    assert_float_equal(r.energy_j, 9.6 * 3600, 1e-9);
    assert_float_equal(r.emissions_g, 96, 1e-9);
    assert_float_equal(r.ram_energy_j, 4.0 * 3600, 1e-9);
}

static void test_measured_only_never_goes_below_zero(void **state)
{
    (void)state;
    struct wp_run_row r = study_run();
    r.energy_j = 3 * 3600; /* a total below its modelled parts (a tool's rounding) */
    wp_runs_measured_only(&r, WP_MODELLED_RAM);
    assert_float_equal(r.energy_j, 0, 0);
    assert_float_equal(r.emissions_g, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measured_only_leaves_modelled_ram_and_cpu_out),
        cmocka_unit_test(test_measured_only_keeps_a_fully_measured_run),
        cmocka_unit_test(test_measured_only_never_goes_below_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
