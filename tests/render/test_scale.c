/* Tests of src/render/scale.c: linear and log10 scales (domain fitting, mapping), "nice"
 * steps and ticks, and tick labels as pango markup (real minus, superscripts). */
#include "render/render.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define MINUS "\xe2\x88\x92"

static void assert_close(double a, double b)
{
    if (!(fabs(a - b) <= 1e-9 * fmax(1, fabs(b)))) {
        print_error("%.17g != %.17g\n", a, b);
        fail();
    }
}

/* The labelled ticks' labels, joined with spaces, into buf. */
static const char *major_labels(const struct wp_tick *t, size_t n, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (t[i].is_major) {
            size_t len = strlen(buf);
            snprintf(buf + len, size - len, "%s%s", len ? " " : "", t[i].label);
        }
    return buf;
}

static void test_scale_linear_maps_domain_onto_range(void **state)
{
    (void)state;
    struct wp_scale s;
    assert_int_equal(wp_scale_fit(&s, WP_SCALE_LINEAR, 0, 10, 0, false), WP_OK);
    wp_scale_range(&s, 100, 200);
    assert_close(wp_scale_map(&s, 0), 100);
    assert_close(wp_scale_map(&s, 5), 150);
    assert_close(wp_scale_map(&s, 10), 200);
    wp_scale_range(&s, 300, 100); /* an upward y axis */
    assert_close(wp_scale_map(&s, 2.5), 250);
}

static void test_scale_log_maps_decades_evenly(void **state)
{
    (void)state;
    struct wp_scale s;
    assert_int_equal(wp_scale_fit(&s, WP_SCALE_LOG10, 1e-3, 1, 0, false), WP_OK);
    wp_scale_range(&s, 0, 300);
    assert_close(wp_scale_map(&s, 1e-3), 0);
    assert_close(wp_scale_map(&s, 1e-2), 100);
    assert_close(wp_scale_map(&s, 1e-1), 200);
    assert_close(wp_scale_map(&s, 1), 300);
    assert_close(wp_scale_map(&s, 0), 0); /* non-positive clamps to the low end */
}

static void test_scale_fit_pads_and_includes_zero(void **state)
{
    (void)state;
    struct wp_scale s;
    wp_scale_fit(&s, WP_SCALE_LINEAR, 2, 12, 0.1, false);
    assert_close(s.d0, 1);
    assert_close(s.d1, 13);
    wp_scale_fit(&s, WP_SCALE_LINEAR, 2, 12, 0.1, true); /* bars start at zero, unpadded */
    assert_close(s.d0, 0);
    assert_close(s.d1, 13.2);
    wp_scale_fit(&s, WP_SCALE_LOG10, 1e-2, 1, 0.25, false); /* padding in log space */
    assert_close(s.d0, pow(10, -2.5));
    assert_close(s.d1, pow(10, 0.5));
}

static void test_scale_fit_single_value_gets_a_span(void **state)
{
    (void)state;
    struct wp_scale s;
    assert_int_equal(wp_scale_fit(&s, WP_SCALE_LOG10, 0.02, 0.02, 0, false), WP_OK);
    assert_true(s.d0 < 0.02 && s.d1 > 0.02);
    assert_close(log10(s.d1) - log10(s.d0), 1);
    assert_int_equal(wp_scale_fit(&s, WP_SCALE_LINEAR, 5, 5, 0, false), WP_OK);
    assert_true(s.d0 < 5 && s.d1 > 5);
    assert_int_equal(wp_scale_fit(&s, WP_SCALE_LINEAR, 0, 0, 0, true), WP_OK);
    assert_close(s.d0, 0);
    assert_true(s.d1 > 0);
}

static void test_scale_fit_rejects_bad_bounds(void **state)
{
    (void)state;
    struct wp_scale s;
    assert_int_equal(wp_scale_fit(&s, WP_SCALE_LOG10, 0, 1, 0, false), WP_ERR_USAGE);
    assert_int_equal(wp_scale_fit(&s, WP_SCALE_LOG10, -1, 1, 0, false), WP_ERR_USAGE);
    assert_int_equal(wp_scale_fit(&s, WP_SCALE_LINEAR, NAN, 1, 0, false), WP_ERR_USAGE);
    assert_int_equal(wp_scale_fit(&s, WP_SCALE_LINEAR, 0, INFINITY, 0, false), WP_ERR_USAGE);
}

static void test_nice_step_is_1_2_2_5_or_5_times_a_power_of_ten(void **state)
{
    (void)state;
    assert_close(wp_scale_nice_step(10, 5), 2);
    assert_close(wp_scale_nice_step(100, 4), 25);
    assert_close(wp_scale_nice_step(1, 10), 0.1);
    assert_close(wp_scale_nice_step(0.7, 5), 0.1);
    assert_close(wp_scale_nice_step(0.035, 5), 0.005);
    assert_close(wp_scale_nice_step(4000, 3), 1000);
    assert_close(wp_scale_nice_step(0, 5), 1); /* degenerate: never zero */
}

static void test_linear_ticks_are_multiples_of_the_step(void **state)
{
    (void)state;
    struct wp_scale s = {WP_SCALE_LINEAR, 0, 1, 0, 100};
    struct wp_tick t[WP_MAX_TICKS];
    char buf[512];
    size_t n = wp_scale_ticks(&s, 5, t, WP_MAX_TICKS);
    assert_int_equal(n, 6);
    assert_string_equal(major_labels(t, n, buf, sizeof buf), "0 0.2 0.4 0.6 0.8 1.0");
    s = (struct wp_scale){WP_SCALE_LINEAR, -0.013, 0.052, 0, 100};
    n = wp_scale_ticks(&s, 6, t, WP_MAX_TICKS);
    assert_string_equal(major_labels(t, n, buf, sizeof buf),
                        MINUS "0.01 0 0.01 0.02 0.03 0.04 0.05");
    s = (struct wp_scale){WP_SCALE_LINEAR, 0, 100, 0, 100};
    n = wp_scale_ticks(&s, 4, t, WP_MAX_TICKS);
    assert_string_equal(major_labels(t, n, buf, sizeof buf), "0 25 50 75 100");
}

static void test_linear_labels_group_thousands_and_go_scientific(void **state)
{
    (void)state;
    char buf[WP_TICK_LABEL];
    wp_tick_label_linear(12000, 1000, buf, sizeof buf);
    assert_string_equal(buf, "12,000");
    wp_tick_label_linear(1234567, 1, buf, sizeof buf);
    assert_string_equal(buf, "1,234,567");
    wp_tick_label_linear(-2.5, 0.5, buf, sizeof buf);
    assert_string_equal(buf, MINUS "2.5");
    wp_tick_label_linear(0.25, 0.25, buf, sizeof buf);
    assert_string_equal(buf, "0.25");
    wp_tick_label_linear(3e-6, 1e-6, buf, sizeof buf);
    assert_string_equal(buf, "3" "\xc3\x97" "10<sup>" MINUS "6</sup>");
    wp_tick_label_linear(1e-9, 0, buf, sizeof buf); /* v tiny against a zero step */
    assert_true(strlen(buf) > 0);
}

static void test_log_ticks_label_every_decade_with_superscripts(void **state)
{
    (void)state;
    struct wp_scale s = {WP_SCALE_LOG10, 8.5e-4, 2.5, 0, 200};
    struct wp_tick t[WP_MAX_TICKS];
    char buf[512];
    size_t n = wp_scale_ticks(&s, 8, t, WP_MAX_TICKS);
    assert_string_equal(major_labels(t, n, buf, sizeof buf),
                        "10<sup>" MINUS "3</sup> 10<sup>" MINUS "2</sup> 10<sup>" MINUS
                        "1</sup> 10<sup>0</sup>");
    /* minor ticks at 2..9 x 10^k inside the domain, ascending, unlabelled */
    size_t minors = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            assert_true(t[i].value > t[i - 1].value);
        if (!t[i].is_major) {
            minors++;
            assert_string_equal(t[i].label, "");
        }
    }
    assert_int_equal(minors, 1 + 8 * 3 + 1); /* 9e-4; 2..9 x three decades; 2 */
}

static void test_log_ticks_thin_out_many_decades(void **state)
{
    (void)state;
    struct wp_scale s = {WP_SCALE_LOG10, 1e-6, 1e6, 0, 100};
    struct wp_tick t[WP_MAX_TICKS];
    size_t n = wp_scale_ticks(&s, 4, t, WP_MAX_TICKS), majors = 0;
    bool has_zero = false;
    for (size_t i = 0; i < n; i++)
        if (t[i].is_major) {
            majors++;
            has_zero |= t[i].value == 1;
        }
    assert_true(majors >= 2 && majors <= 5);
    assert_true(has_zero); /* 10^0 stays labelled when decades are skipped */
}

static void test_log_ticks_under_two_decades_use_1_2_5(void **state)
{
    (void)state;
    struct wp_scale s = {WP_SCALE_LOG10, 0.0015, 0.012, 0, 100};
    struct wp_tick t[WP_MAX_TICKS];
    char buf[512];
    size_t n = wp_scale_ticks(&s, 6, t, WP_MAX_TICKS);
    assert_string_equal(major_labels(t, n, buf, sizeof buf), "0.002 0.005 0.01");
    s = (struct wp_scale){WP_SCALE_LOG10, 2.1, 2.9, 0, 100}; /* no 1-2-5 value inside */
    n = wp_scale_ticks(&s, 5, t, WP_MAX_TICKS);
    assert_true(n >= 2);
    for (size_t i = 0; i < n; i++)
        assert_true(t[i].value >= 2.1 && t[i].value <= 2.9);
}

static void test_plain_log_ticks_read_as_factors(void **state)
{
    (void)state;
    struct wp_scale s = {WP_SCALE_LOG10, 0.8, 30, 0, 100};
    struct wp_tick t[WP_MAX_TICKS];
    char buf[512];
    size_t n = wp_scale_ticks_plain(&s, 6, t, WP_MAX_TICKS);
    assert_string_equal(major_labels(t, n, buf, sizeof buf), "1 2 5 10 20");
    n = wp_scale_ticks_plain(&s, 4, t, WP_MAX_TICKS);
    assert_string_equal(major_labels(t, n, buf, sizeof buf), "1 3 10 30");
    n = wp_scale_ticks_plain(&s, 2, t, WP_MAX_TICKS);
    assert_string_equal(major_labels(t, n, buf, sizeof buf), "1 10");
}

static void test_log_labels(void **state)
{
    (void)state;
    char buf[WP_TICK_LABEL];
    wp_tick_label_log(1e-3, false, buf, sizeof buf);
    assert_string_equal(buf, "10<sup>" MINUS "3</sup>");
    wp_tick_label_log(1, false, buf, sizeof buf);
    assert_string_equal(buf, "10<sup>0</sup>");
    wp_tick_label_log(1e10, false, buf, sizeof buf);
    assert_string_equal(buf, "10<sup>10</sup>");
    wp_tick_label_log(2e-3, false, buf, sizeof buf);
    assert_string_equal(buf, "2" "\xc3\x97" "10<sup>" MINUS "3</sup>");
    wp_tick_label_log(0.05, true, buf, sizeof buf);
    assert_string_equal(buf, "0.05");
    wp_tick_label_log(20000, true, buf, sizeof buf);
    assert_string_equal(buf, "20,000");
}

static void test_degenerate_scale_has_no_ticks(void **state)
{
    (void)state;
    struct wp_scale s = {WP_SCALE_LINEAR, 1, 1, 0, 100};
    struct wp_tick t[WP_MAX_TICKS];
    assert_int_equal(wp_scale_ticks(&s, 5, t, WP_MAX_TICKS), 0);
    s = (struct wp_scale){WP_SCALE_LINEAR, 0, 1e6, 0, 100};
    assert_true(wp_scale_ticks(&s, 1000, t, WP_MAX_TICKS) <= WP_MAX_TICKS); /* capped */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_linear_maps_domain_onto_range),
        cmocka_unit_test(test_scale_log_maps_decades_evenly),
        cmocka_unit_test(test_scale_fit_pads_and_includes_zero),
        cmocka_unit_test(test_scale_fit_single_value_gets_a_span),
        cmocka_unit_test(test_scale_fit_rejects_bad_bounds),
        cmocka_unit_test(test_nice_step_is_1_2_2_5_or_5_times_a_power_of_ten),
        cmocka_unit_test(test_linear_ticks_are_multiples_of_the_step),
        cmocka_unit_test(test_linear_labels_group_thousands_and_go_scientific),
        cmocka_unit_test(test_log_ticks_label_every_decade_with_superscripts),
        cmocka_unit_test(test_log_ticks_thin_out_many_decades),
        cmocka_unit_test(test_log_ticks_under_two_decades_use_1_2_5),
        cmocka_unit_test(test_plain_log_ticks_read_as_factors),
        cmocka_unit_test(test_log_labels),
        cmocka_unit_test(test_degenerate_scale_has_no_ticks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
