/* Tests of src/stats/intensity.c: Electricity Maps' CSV read by its own column names (one
 * zone chosen, direct by default, LCA when asked), and the time-weighted mean over a window
 * checked against hand computations; gaps, windows past the file and bad cells refused. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "stats/intensity.h"
#include "util/time.h"

#define FIX "fixtures/measure/intensity_hourly.csv"

static void test_intensity_reads_electricity_maps_zone_direct(void **state)
{
    (void)state;
    struct wp_intensity in;
    struct wp_intensity_opts o = {.zone = "FR"};
    struct wp_diag d = {0};
    assert_int_equal(wp_intensity_load(FIX, &o, &in, &d), WP_OK);
    assert_int_equal(in.n, 4);
    assert_string_equal(in.zone, "FR");
    assert_non_null(strstr(in.column, "(direct)"));
    assert_rel(in.step_s, 3600, REL);
    assert_rel(in.g_per_kwh[1], 60, REL);
    wp_intensity_free(&in);
    o.prefer_lca = true;
    assert_int_equal(wp_intensity_load(FIX, &o, &in, &d), WP_OK);
    assert_rel(in.g_per_kwh[1], 81, REL);
    wp_intensity_free(&in);
}

static void test_intensity_weights_hours_by_seconds_covered(void **state)
{
    (void)state;
    struct wp_intensity in;
    struct wp_intensity_opts o = {.zone = "FR"};
    struct wp_diag d = {0};
    assert_int_equal(wp_intensity_load(FIX, &o, &in, &d), WP_OK);
    double t0, g;
    assert_true(wp_iso8601_seconds("2026-03-02T10:00:00Z", &t0));
    /* 10:00-10:30 within one hour: 60 */
    assert_true(wp_intensity_over(&in, t0, 1800, &g));
    assert_rel(g, 60, REL);
    /* 10:30-11:30: half at 60, half at 80 */
    assert_true(wp_intensity_over(&in, t0 + 1800, 3600, &g));
    assert_rel(g, 70, REL);
    /* 10:45-12:15: 15 min at 60, 60 at 80, 15 at 40 -> (900*60+3600*80+900*40)/5400 */
    assert_true(wp_intensity_over(&in, t0 + 2700, 5400, &g));
    assert_rel(g, (900 * 60.0 + 3600 * 80.0 + 900 * 40.0) / 5400, REL);
    /* an instant takes its hour */
    assert_true(wp_intensity_over(&in, t0 + 3599, 0, &g));
    assert_rel(g, 60, REL);
    /* past the last hour (12:00-13:00) or before the first: not covered */
    assert_false(wp_intensity_over(&in, t0 + 2.5 * 3600, 3600, &g));
    assert_false(wp_intensity_over(&in, t0 - 7200, 600, &g));
    wp_intensity_free(&in);
}

static char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/wp_intensity_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void test_intensity_gap_is_not_covered(void **state)
{
    (void)state;
    char *p = write_tmp("timestamp,carbon_intensity\n2026-01-01T00:00:00Z,100\n"
                        "2026-01-01T01:00:00Z,\n2026-01-01T02:00:00Z,300\n");
    struct wp_intensity in;
    struct wp_intensity_opts o = {0};
    struct wp_diag d = {0};
    assert_int_equal(wp_intensity_load(p, &o, &in, &d), WP_OK);
    double t0, g;
    assert_true(wp_iso8601_seconds("2026-01-01T00:00:00Z", &t0));
    assert_true(wp_intensity_over(&in, t0, 3600, &g));
    assert_rel(g, 100, REL);
    assert_false(wp_intensity_over(&in, t0 + 1800, 3600, &g)); /* into the empty hour */
    wp_intensity_free(&in);
    remove(p);
}

static void test_intensity_refuses_bad_cells_and_ambiguous_zones(void **state)
{
    (void)state;
    struct wp_intensity in;
    struct wp_intensity_opts o = {0};
    struct wp_diag d = {0};
    /* two zones and no --zone */
    assert_int_equal(wp_intensity_load(FIX, &o, &in, &d), WP_ERR_USAGE);
    assert_non_null(strstr(d.msg, "FR, DE"));
    o.zone = "ES";
    assert_int_equal(wp_intensity_load(FIX, &o, &in, &d), WP_ERR_USAGE);
    char *p = write_tmp("timestamp,carbon_intensity\n2026-01-01T00:00:00Z,1o0\n");
    o.zone = NULL;
    assert_int_equal(wp_intensity_load(p, &o, &in, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 2);
    remove(p);
    p = write_tmp("when,carbon_intensity\n2026-01-01T00:00:00Z,100\n");
    assert_int_equal(wp_intensity_load(p, &o, &in, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 1);
    remove(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intensity_reads_electricity_maps_zone_direct),
        cmocka_unit_test(test_intensity_weights_hours_by_seconds_covered),
        cmocka_unit_test(test_intensity_gap_is_not_covered),
        cmocka_unit_test(test_intensity_refuses_bad_cells_and_ambiguous_zones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
