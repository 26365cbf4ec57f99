/* Tests of src/ingest/rapl.c through the ingest driver: wide and long counter logs, a
 * wrap undone with the logged range, a wrap without it refused, package vs. dram. */
#include "ingest_check.h"

static void test_rapl_wide_log_undoes_a_wrap_and_leaves_core_out(void **state)
{
    struct fx *f = *state;
    fx_ingest_expected(f, "rapl/wide.csv", NULL, NULL);
    struct fx_sum s = fx_totals(f, NULL);
    assert_rel(s.cpu_energy_j, 5 * 12.5, 1e-12); /* 12.5 J a second, across the wrap */
    assert_rel(s.ram_energy_j, 5 * 2.25, 1e-12);
    assert_rel(s.duration_s, 5.0, 1e-12);
    assert_string_equal(s.tool, "rapl");
}

static void test_rapl_long_log_reads_a_row_per_domain(void **state)
{
    struct fx *f = *state;
    fx_ingest_expected(f, "rapl/long.csv", NULL, NULL);
    struct fx_sum s = fx_totals(f, NULL);
    assert_rel(s.cpu_energy_j, 120.0, 1e-12);
    assert_rel(s.ram_energy_j, 9.0, 1e-12);
    assert_string_equal(s.started_at, "2024-01-15T10:23:45");
}

static void test_rapl_wrap_without_range_is_refused(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "w.csv", "timestamp,package-0_energy_uj\n"
                                         "100,262000000000\n101,12500000\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 2);
    assert_contains(d.msg, "max_energy_range_uj");
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_rapl_wide_log_undoes_a_wrap_and_leaves_core_out),
        T(test_rapl_long_log_reads_a_row_per_domain),
        T(test_rapl_wrap_without_range_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
