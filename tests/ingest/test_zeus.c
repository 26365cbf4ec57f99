/* Tests of src/ingest/zeus.c through the ingest driver: ZeusMonitor windows as runs, a
 * window name with commas (Zeus writes it unquoted), CPU and DRAM zones, refusals. */
#include "ingest_check.h"

static void test_zeus_each_window_is_a_run(void **state)
{
    struct fx *f = *state;
    double energy;
    struct fx_sum s = fx_ingest_expected(f, "zeus/zeus_monitor.csv", NULL, &energy);
    assert_rel(s.gpu_energy_j, energy, 1e-12);
    assert_rel(s.duration_s, 3.5 + 60.125 + 12.0, 1e-12);
}

static void test_zeus_window_name_with_commas_is_joined(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "z.csv", "start_time,window_name,elapsed_time,gpu0_energy\n"
                                         "10.0,epoch 1, step 2, again,4.0,100.5\n");
    struct wp_file_result r;
    assert_int_equal(fx_ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.rows_added, 1);
    struct fx_sum s = fx_totals(f, NULL);
    assert_rel(s.energy_j, 100.5, 0);
    assert_rel(s.duration_s, 4.0, 0);
}

static void test_zeus_cpu_and_dram_zones_split_the_energy(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "z.csv", "start_time,window_name,elapsed_time,gpu0_energy,"
                                         "cpu0_energy,dram0_energy\n"
                                         "10.0,w,4.0,100.0,20.0,5.0\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, NULL), WP_OK);
    struct fx_sum s = fx_totals(f, NULL);
    assert_rel(s.energy_j, 125.0, 0);
    assert_rel(s.cpu_energy_j, 20.0, 0);
    assert_rel(s.ram_energy_j, 5.0, 0);
}

static void test_zeus_negative_energy_is_refused(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "z.csv", "start_time,window_name,elapsed_time,gpu0_energy\n"
                                         "10.0,a,4.0,100.5\n11.0,b,1.0,-1\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 4);
    assert_contains(d.msg, "negative energy");
}

/* ZeusMonitor's start_time is time.time(): the window's start date (before: dropped). */
static void test_zeus_epoch_start_time_is_the_start_date(void **state)
{
    struct fx *f = *state;
    assert_int_equal(fx_ingest(f, "fixtures/formats/zeus/zeus_monitor_epoch.csv", false, NULL,
                               NULL),
                     WP_OK);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 2);
    assert_string_equal(s.started_at, "2024-06-20T08:00:00.250Z");
}

/* A small start_time is no date (another clock): no start date is made up from it. */
static void test_zeus_small_start_time_is_no_date(void **state)
{
    struct fx *f = *state;
    assert_int_equal(fx_ingest(f, "fixtures/formats/zeus/zeus_monitor.csv", false, NULL, NULL),
                     WP_OK);
    assert_string_equal(fx_totals(f, NULL).started_at, "");
}

/* A ZeusMonitor of no GPU writes "start_time,window_name,elapsed_time," and windows
 * without energy (its CPU and DRAM energies are not logged): no run, and why.  They went in
 * as runs of unknown energy, without a word. */
static void test_zeus_monitor_of_no_gpu_is_no_run_with_the_reason(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    assert_int_equal(fx_ingest(f, "fixtures/bad/formats/zeus_no_gpu.csv", false, NULL, &d),
                     WP_ERR_EMPTY);
    assert_contains(d.msg, "no gpuN_energy column");
    assert_int_equal(fx_totals(f, NULL).runs, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_zeus_each_window_is_a_run),
        T(test_zeus_window_name_with_commas_is_joined),
        T(test_zeus_cpu_and_dram_zones_split_the_energy),
        T(test_zeus_negative_energy_is_refused),
        T(test_zeus_epoch_start_time_is_the_start_date),
        T(test_zeus_small_start_time_is_no_date),
        T(test_zeus_monitor_of_no_gpu_is_no_run_with_the_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
