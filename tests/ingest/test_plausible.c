/* Unit tests of the plausibility rules (src/ingest/plausible.c): which rows are warned,
 * with which line, and that ordinary rows of real hardware are not. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/plausible.h"

struct msgs {
    int n;
    char text[2048];
};

static void keep(void *ctx, enum wp_level level, const struct wp_diag *d)
{
    struct msgs *m = ctx;
    char buf[600];
    (void)level;
    wp_diag_format(d, buf, sizeof buf);
    m->n++;
    size_t used = strlen(m->text);
    snprintf(m->text + used, sizeof m->text - used, "%s\n", buf);
}

static struct wp_measurement row(long line, double duration_s, double energy_kwh)
{
    struct wp_measurement m;
    wp_measurement_clear(&m);
    m.line = line;
    m.duration_s = duration_s;
    m.energy_j = energy_kwh * 3.6e6;
    return m;
}

static struct msgs report(const struct wp_plausible *pl, bool parser_said)
{
    struct msgs m = {0};
    struct wp_reporter rep = {keep, &m};
    wp_plausible_report(pl, &rep, "f.csv", parser_said);
    return m;
}

/* Issue 22: 550 kWh in 10 s on one GPU, four CPU threads, 16 GiB is 198 MW. */
static void test_plausible_550_kwh_in_10_s_is_warned_with_its_line(void **state)
{
    (void)state;
    struct wp_plausible pl = {0};
    struct wp_measurement ok = row(2, 10, 0.0001), bad = row(3, 10, 550);
    ok.gpu_count = bad.gpu_count = 1;
    ok.gpu_model = bad.gpu_model = "Test GPU";
    ok.cpu_count = bad.cpu_count = 4;
    ok.ram_total_bytes = bad.ram_total_bytes = 16.0 * 1073741824.0;
    wp_plausible_check(&pl, &ok);
    wp_plausible_check(&pl, &bad);
    struct msgs m = report(&pl, false);
    assert_int_equal(m.n, 1);
    assert_non_null(strstr(m.text, "f.csv:3: implausible: 1 row"));
    assert_non_null(strstr(m.text, "198 MW (550 kWh in 10 s)"));
}

/* The study's rows: 8 A100s drawing 526 W in all, 42.5 W of CPU, 430 W of RAM. */
static void test_plausible_real_eight_gpu_rows_pass(void **state)
{
    (void)state;
    struct wp_plausible pl = {0};
    struct wp_measurement m = row(2, 8.72979474067688, 0.0024241633273483576);
    m.gpu_energy_j = 0.0012764941931720669 * 3.6e6;
    m.cpu_energy_j = 0.00010306007679965761 * 3.6e6;
    m.gpu_count = 8;
    m.gpu_model = "8 x NVIDIA A100-SXM4-80GB";
    m.cpu_count = 1;
    m.ram_total_bytes = 1148.738 * 1073741824.0;
    wp_plausible_check(&pl, &m);
    assert_int_equal(report(&pl, false).n, 0);
}

static void test_plausible_gpu_power_is_per_gpu_of_the_model(void **state)
{
    (void)state;
    struct wp_plausible pl = {0};
    /* 2 T4s (70 W each) logging 1 kW of GPU power for an hour */
    struct wp_measurement m = row(5, 3600, 1.1);
    m.gpu_energy_j = 1.0 * 3.6e6;
    m.gpu_model = "2 x Tesla T4"; /* the count from CodeCarbon's "N x" model */
    wp_plausible_check(&pl, &m);
    struct msgs r = report(&pl, false);
    assert_int_equal(r.n, 1);
    assert_non_null(strstr(r.text, "500 W per GPU over 2 GPUs (2 x Tesla T4)"));
    assert_true(wp_plausible_gpu_max_w("NVIDIA H100 80GB HBM3") == 700.0);
    assert_true(wp_plausible_gpu_max_w("NVIDIA A100-SXM4-80GB") == 400.0);
    assert_true(wp_plausible_gpu_max_w("NVIDIA A10G") == 300.0);
    assert_true(wp_plausible_gpu_max_w("Some Future Accelerator") == 1400.0);
}

static void test_plausible_zero_duration_with_energy_is_warned(void **state)
{
    (void)state;
    struct wp_plausible pl = {0};
    struct wp_measurement z = row(4, 0, 0.002), none = row(5, 0, 0);
    wp_plausible_check(&pl, &none); /* no energy: nothing to say */
    wp_plausible_check(&pl, &z);
    struct msgs r = report(&pl, false);
    assert_int_equal(r.n, 1);
    assert_non_null(strstr(r.text, "f.csv:4: implausible: 1 row (first here) with energy and a "
                                   "zero or negative duration"));
}

static void test_plausible_energy_without_duration_only_beside_rows_with_one(void **state)
{
    (void)state;
    struct wp_plausible alone = {0}, mixed = {0};
    struct wp_measurement a = row(2, NAN, 0.1), b = row(3, 12, 0.1);
    wp_plausible_check(&alone, &a); /* a format that logs no durations: nothing */
    assert_int_equal(report(&alone, false).n, 0);
    wp_plausible_check(&mixed, &b);
    wp_plausible_check(&mixed, &a);
    struct msgs r = report(&mixed, false);
    assert_int_equal(r.n, 1);
    assert_non_null(strstr(r.text, "f.csv:2: implausible: 1 row (first here) with energy and "
                                   "no duration"));
    assert_int_equal(report(&mixed, true).n, 0); /* the parser said so already */
}

/* A row without hardware may be a whole job: only a data centre's power bounds it. */
static void test_plausible_rows_without_hardware_are_bounded_by_a_site(void **state)
{
    (void)state;
    struct wp_plausible pl = {0};
    struct wp_measurement job = row(2, 3600, 2000); /* 2 MW for an hour: 250 nodes */
    wp_plausible_check(&pl, &job);
    assert_int_equal(report(&pl, false).n, 0);
    struct wp_measurement absurd = row(3, 10, 5500); /* 1.98 GW */
    wp_plausible_check(&pl, &absurd);
    assert_non_null(strstr(report(&pl, false).text, "where a data centre draws"));
}

static void test_plausible_short_windows_are_not_checked_for_power(void **state)
{
    (void)state;
    struct wp_plausible pl = {0};
    struct wp_measurement m = row(2, 0.05, 0.1); /* 7.2 MW over 50 ms */
    m.gpu_count = 1;
    wp_plausible_check(&pl, &m);
    assert_int_equal(report(&pl, false).n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plausible_550_kwh_in_10_s_is_warned_with_its_line),
        cmocka_unit_test(test_plausible_real_eight_gpu_rows_pass),
        cmocka_unit_test(test_plausible_gpu_power_is_per_gpu_of_the_model),
        cmocka_unit_test(test_plausible_zero_duration_with_energy_is_warned),
        cmocka_unit_test(test_plausible_energy_without_duration_only_beside_rows_with_one),
        cmocka_unit_test(test_plausible_rows_without_hardware_are_bounded_by_a_site),
        cmocka_unit_test(test_plausible_short_windows_are_not_checked_for_power),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
