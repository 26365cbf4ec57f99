/* Unit tests of strict number parsing (src/util/num.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util/num.h"

static void test_num_accepts_decimals_and_upper_case_exponents(void **state)
{
    (void)state;
    double x;
    assert_int_equal(wp_parse_num("0.0095313916354108", &x), WP_NUM_OK);
    assert_true(x == 0.0095313916354108);
    assert_int_equal(wp_parse_num("7.04844093526696E-05", &x), WP_NUM_OK);
    assert_true(x == 7.04844093526696e-05);
    assert_int_equal(wp_parse_num("-0", &x), WP_NUM_OK);
    assert_true(x == 0.0);
    assert_int_equal(wp_parse_num(".5", &x), WP_NUM_OK);
    assert_true(x == 0.5);
}

static void test_num_missing_spellings_are_missing(void **state)
{
    (void)state;
    const char *missing[] = {"", "nan", "NaN", "None", "N/A", "[N/A]", "null"};
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        double x = 1;
        assert_int_equal(wp_parse_num(missing[i], &x), WP_NUM_MISSING);
        assert_true(isnan(x));
    }
}

static void test_num_rejects_garbage_hex_and_commas(void **state)
{
    (void)state;
    double x;
    const char *bad[] = {"12abc", "0.0x3", "0x1p3", "0,5", "abc", "1e", "--1", " "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(wp_parse_num(bad[i], &x), WP_NUM_INVALID);
}

static void test_num_infinite_and_overflow_are_out_of_range(void **state)
{
    (void)state;
    double x;
    assert_int_equal(wp_parse_num("inf", &x), WP_NUM_RANGE);
    assert_int_equal(wp_parse_num("-Infinity", &x), WP_NUM_RANGE);
    assert_int_equal(wp_parse_num("1e999", &x), WP_NUM_RANGE);
    assert_int_equal(wp_parse_num("1e-999", &x), WP_NUM_OK); /* underflow reads as zero */
    assert_true(x == 0.0);
}

static void test_num_half_unit_follows_printed_digits(void **state)
{
    (void)state;
    assert_true(fabs(wp_num_half_unit("1.36e-07") - 5e-10) < 1e-24);
    assert_true(fabs(wp_num_half_unit("0.0095") - 5e-5) < 1e-18);
    assert_true(wp_num_half_unit("0") == 0.0);
    assert_true(fabs(wp_num_half_unit("8") - 0.5) < 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_num_accepts_decimals_and_upper_case_exponents),
        cmocka_unit_test(test_num_missing_spellings_are_missing),
        cmocka_unit_test(test_num_rejects_garbage_hex_and_commas),
        cmocka_unit_test(test_num_infinite_and_overflow_are_out_of_range),
        cmocka_unit_test(test_num_half_unit_follows_printed_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
