/* Tests of src/ingest/integrate.c: the trapezoid integral of power over time against
 * analytic values (constant power, linear ramps on irregular times, where the trapezoid
 * rule is exact), gaps left out, duplicates and out-of-order samples skipped, and the
 * median period. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ingest/integrate.h"

#define REL 1e-12

#define assert_rel(a, e) check_rel((a), (e), #a, __FILE__, __LINE__)

static void check_rel(double a, double e, const char *what, const char *file, int line)
{
    double tol = REL * (e == 0.0 ? 1.0 : fabs(e));
    if (!(fabs(a - e) <= tol)) {
        print_error("%s:%d: %s = %.17g, expected %.17g\n", file, line, what, a, e);
        fail();
    }
}

static struct wp_power_series *series(void)
{
    struct wp_power_series *s = wp_series_new(WP_GAP_MIN_S, WP_GAP_FACTOR);
    assert_non_null(s);
    return s;
}

static enum wp_sample add(struct wp_power_series *s, double t, double p, long tag)
{
    enum wp_sample how;
    assert_int_equal(wp_series_add(s, t, p, tag, &how), WP_OK);
    return how;
}

static void test_integrate_constant_power_is_power_times_span(void **state)
{
    (void)state;
    struct wp_power_series *s = series();
    for (int k = 0; k <= 100; k++)
        assert_int_equal(add(s, k * 0.1, 250.0, k + 2), WP_SAMPLE_USED);
    struct wp_integral in;
    wp_series_result(s, &in);
    assert_rel(in.energy_j, 250.0 * (100 * 0.1));
    assert_int_equal(in.n_samples, 101);
    assert_int_equal(in.n_gaps, 0);
    assert_rel(in.first_s, 0.0);
    assert_rel(in.last_s, 10.0);
    assert_rel(in.median_dt_s, 0.1); /* the mean of the median bin: exact here */
    assert_rel(in.threshold_s, WP_GAP_MIN_S);
    wp_series_free(s);
}

static void test_integrate_linear_ramp_on_irregular_times_is_exact(void **state)
{
    (void)state;
    /* p(t) = 40 + 12.5 t: the trapezoid rule is exact for a linear function whatever the
     * spacing, so the integral is 40 (t1 - t0) + 12.5 (t1^2 - t0^2) / 2 */
    struct wp_power_series *s = series();
    double t = 3.0, t0 = t;
    for (int k = 0; k < 400; k++) {
        add(s, t, 40.0 + 12.5 * t, k);
        t += 0.05 + 0.04 * (k % 5); /* 50 to 210 ms */
    }
    struct wp_integral in;
    wp_series_result(s, &in);
    double t1 = in.last_s;
    assert_rel(in.energy_j, 40.0 * (t1 - t0) + 12.5 * (t1 * t1 - t0 * t0) / 2.0);
    assert_int_equal(in.n_gaps, 0);
    wp_series_free(s);
}

static void test_integrate_gap_longer_than_threshold_is_not_bridged(void **state)
{
    (void)state;
    struct wp_power_series *s = series();
    for (int k = 0; k <= 10; k++)
        add(s, k, 100.0, 100 + k);
    for (int k = 100; k <= 110; k++)
        add(s, k, 300.0, 100 + k);
    struct wp_integral in;
    wp_series_result(s, &in);
    /* 1 s period: threshold max(5, 10 x 1) = 10 s; the 90 s pause is left out */
    assert_rel(in.energy_j, 100.0 * 10 + 300.0 * 10);
    assert_int_equal(in.n_gaps, 1);
    assert_rel(in.gap_s, 90.0);
    assert_rel(in.first_gap_s, 90.0);
    assert_int_equal(in.first_gap_tag, 200);
    assert_rel(in.threshold_s, 10.0);
    assert_rel(in.median_dt_s, 1.0);
    wp_series_free(s);
}

static void test_integrate_threshold_follows_the_median_period(void **state)
{
    (void)state;
    /* 2 s period: threshold 20 s, so a 15 s pause is bridged (constant 50 W) */
    struct wp_power_series *s = series();
    for (int k = 0; k <= 20; k++)
        add(s, 2.0 * k, 50.0, k);
    add(s, 55.0, 50.0, 99);
    struct wp_integral in;
    wp_series_result(s, &in);
    assert_rel(in.energy_j, 50.0 * 55.0);
    assert_int_equal(in.n_gaps, 0);
    assert_rel(in.threshold_s, 20.0);
    wp_series_free(s);
}

/* The median is the mean of the intervals in the bin of the middle one: bins are 1/200 of
 * a decade.  Intervals that sit on either side of a bin edge, in turn, must land in the
 * bins log10 gives them even though the series remembers the last bin. */
static void test_integrate_median_bins_intervals_on_both_sides_of_an_edge(void **state)
{
    (void)state;
    /* 1 s is the lower edge of bin 1200; 0.99999 s is in bin 1199 */
    const double below = 0.99999, above = 1.00001;
    struct wp_power_series *s = series();
    double t = 0.0;
    add(s, t, 10.0, 0);
    for (int k = 0; k < 41; k++) { /* 21 below, 20 above: the median is below */
        t += k % 2 ? above : below;
        add(s, t, 10.0, k + 1);
    }
    struct wp_integral in;
    wp_series_result(s, &in);
    assert_true(fabs(in.median_dt_s - below) < 1e-12);
    wp_series_free(s);
    s = series();
    t = 0.0;
    add(s, t, 10.0, 0);
    for (int k = 0; k < 41; k++) { /* 20 below, 21 above: the median is above */
        t += k % 2 ? below : above;
        add(s, t, 10.0, k + 1);
    }
    wp_series_result(s, &in);
    assert_true(fabs(in.median_dt_s - above) < 1e-12);
    wp_series_free(s);
}

static void test_integrate_short_pauses_are_always_bridged(void **state)
{
    (void)state;
    /* 10 ms period: 10 x median is 0.1 s, but nothing up to 5 s is ever a gap */
    struct wp_power_series *s = series();
    for (int k = 0; k <= 100; k++)
        add(s, 0.01 * k, 20.0, k);
    add(s, 1.0 + 4.5, 20.0, 200);
    struct wp_integral in;
    wp_series_result(s, &in);
    assert_rel(in.energy_j, 20.0 * 5.5);
    assert_int_equal(in.n_gaps, 0);
    wp_series_free(s);
}

static void test_integrate_duplicates_are_counted_once(void **state)
{
    (void)state;
    struct wp_power_series *s = series();
    assert_int_equal(add(s, 0.0, 100.0, 2), WP_SAMPLE_USED);
    assert_int_equal(add(s, 1.0, 200.0, 3), WP_SAMPLE_USED);
    assert_int_equal(add(s, 1.0, 200.0, 4), WP_SAMPLE_DUPLICATE);
    assert_int_equal(add(s, 1.0, 900.0, 5), WP_SAMPLE_DUPLICATE); /* first one wins */
    assert_int_equal(add(s, 2.0, 200.0, 6), WP_SAMPLE_USED);
    struct wp_integral in;
    wp_series_result(s, &in);
    assert_rel(in.energy_j, 150.0 + 200.0);
    assert_int_equal(in.n_duplicates, 2);
    assert_int_equal(in.first_duplicate_tag, 4);
    assert_int_equal(in.n_samples, 3);
    wp_series_free(s);
}

static void test_integrate_out_of_order_samples_are_skipped(void **state)
{
    (void)state;
    struct wp_power_series *s = series();
    add(s, 0.0, 10.0, 1);
    add(s, 2.0, 10.0, 2);
    assert_int_equal(add(s, 1.0, 999.0, 3), WP_SAMPLE_OUT_OF_ORDER);
    add(s, 3.0, 10.0, 4);
    struct wp_integral in;
    wp_series_result(s, &in);
    assert_rel(in.energy_j, 30.0);
    assert_int_equal(in.n_out_of_order, 1);
    assert_int_equal(in.first_out_of_order_tag, 3);
    wp_series_free(s);
}

static void test_integrate_one_or_no_sample_has_no_energy(void **state)
{
    (void)state;
    struct wp_power_series *s = series();
    struct wp_integral in;
    wp_series_result(s, &in);
    assert_int_equal(in.n_samples, 0);
    assert_true(isnan(in.first_s));
    assert_true(in.energy_j == 0.0);
    add(s, 5.0, 80.0, 1);
    wp_series_result(s, &in);
    assert_int_equal(in.n_samples, 1);
    assert_true(in.energy_j == 0.0);
    assert_true(isnan(in.median_dt_s));
    wp_series_free(s);
}

static void test_integrate_long_logs_keep_full_precision(void **state)
{
    (void)state;
    /* a million 1 ms intervals of 1/3 W: naive summation is 2.2e-12 relative off */
    struct wp_power_series *s = series();
    for (long k = 0; k <= 1000000; k++)
        add(s, k * 1e-3, 1.0 / 3.0, k);
    struct wp_integral in;
    wp_series_result(s, &in);
    assert_rel(in.energy_j, in.last_s / 3.0);
    wp_series_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integrate_constant_power_is_power_times_span),
        cmocka_unit_test(test_integrate_linear_ramp_on_irregular_times_is_exact),
        cmocka_unit_test(test_integrate_gap_longer_than_threshold_is_not_bridged),
        cmocka_unit_test(test_integrate_threshold_follows_the_median_period),
        cmocka_unit_test(test_integrate_median_bins_intervals_on_both_sides_of_an_edge),
        cmocka_unit_test(test_integrate_short_pauses_are_always_bridged),
        cmocka_unit_test(test_integrate_duplicates_are_counted_once),
        cmocka_unit_test(test_integrate_out_of_order_samples_are_skipped),
        cmocka_unit_test(test_integrate_one_or_no_sample_has_no_energy),
        cmocka_unit_test(test_integrate_long_logs_keep_full_precision),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
