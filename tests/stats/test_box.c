/* Tests of src/stats/box.c: box plots for a log axis take quartiles and Tukey's whiskers on
 * log10 values.  Expected values by hand (type 7 quartiles of the log10 values). */
#include "stats/stats.h"

#include "stats/check.h"

static int setup(void **state)
{
    (void)state;
    wp_stats_init();
    return 0;
}

static void test_box_quartiles_are_on_log10_values(void **state)
{
    (void)state;
    /* log10: 0 1 2 3 6 -> q1 1, median 2, q3 3, fences -2 and 6: nothing outside */
    const double x[] = {1000, 1, 1e6, 10, 100};
    struct wp_box b;
    assert_int_equal(wp_stats_box_log10(x, 5, &b), WP_OK);
    assert_int_equal(b.n, 5);
    assert_rel(b.q1, 10, 1e-12);
    assert_rel(b.median, 100, 1e-12);
    assert_rel(b.q3, 1000, 1e-12);
    assert_rel(b.lo, 1, 1e-12);
    assert_rel(b.hi, 1e6, 1e-12);
    /* 1e9 (log 9) is past the upper fence 6: the whisker stops at 1000 */
    const double y[] = {1, 10, 100, 1000, 1e9};
    assert_int_equal(wp_stats_box_log10(y, 5, &b), WP_OK);
    assert_rel(b.hi, 1000, 1e-12);
}

static void test_box_low_outlier_on_log_axis_is_outside_the_whisker(void **state)
{
    (void)state;
    /* On linear values the lower fence (1.1 - 1.5 x 1.15) is below zero, so a whisker
     * would reach 0.001; on log10 values (q1 0.0396, q3 0.349) the fence is -0.425 and
     * 0.001 (log -3) is an outlier: the whisker ends at 1. */
    const double x[] = {0.001, 1, 1.2, 1.5, 2, 2.5, 3};
    struct wp_box b;
    assert_int_equal(wp_stats_box_log10(x, 7, &b), WP_OK);
    assert_rel(b.lo, 1.0, 1e-12);
    assert_rel(b.hi, 3.0, 1e-12);
    assert_rel(b.median, 1.5, 1e-12);
    assert_rel(b.q1, pow(10, 0.5 * log10(1.2)), 1e-12); /* halfway between log 1 and log 1.2 */
}

static void test_box_leaves_out_what_a_log_axis_cannot_show(void **state)
{
    (void)state;
    const double x[] = {0, -1, NAN, 4, 16};
    struct wp_box b;
    assert_int_equal(wp_stats_box_log10(x, 5, &b), WP_OK);
    assert_int_equal(b.n, 2);
    assert_int_equal(b.n_left_out, 3);
    assert_rel(b.median, 8, 1e-12); /* the geometric middle of 4 and 16 */
    const double z[] = {0, NAN};
    assert_int_equal(wp_stats_box_log10(z, 2, &b), WP_ERR_EMPTY);
    assert_nan(b.median);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_box_quartiles_are_on_log10_values),
        cmocka_unit_test(test_box_low_outlier_on_log_axis_is_outside_the_whisker),
        cmocka_unit_test(test_box_leaves_out_what_a_log_axis_cannot_show),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
