/* Unit tests of strict number parsing (src/util/num.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    assert_int_equal(wp_parse_num("1e-999", &x), WP_NUM_RANGE); /* underflows a double */
    assert_true(isnan(x));
}

/* Finite values whose derived figures would overflow (#19 item 9): the bounds are
 * inclusive, zero is a value, and the fast path (15 digits) agrees with strtod's. */
static void test_num_magnitudes_beyond_1e60_or_under_1e_minus_60_are_out_of_range(void **state)
{
    (void)state;
    double x;
    const char *in[] = {"1e60", "-1e60", "1e-60", "-1e-60", "0", "-0", "0e-999", "0.000000000000001",
                        "999999999999999", "1.7976931348623157e59"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        assert_int_equal(wp_parse_num(in[i], &x), WP_NUM_OK);
        assert_true(x == strtod(in[i], NULL));
    }
    const char *out[] = {"1e300", "1.0000000000000001e60", "-1e61", "1e-61", "-9.9e-61",
                         "4.9406564584124654e-324", "2.2250738585072014e-308", "1e308"};
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++) {
        assert_int_equal(wp_parse_num(out[i], &x), WP_NUM_RANGE);
        assert_true(isnan(x));
    }
    assert_true(wp_num_in_bounds(0.0) && wp_num_in_bounds(-1e60) && wp_num_in_bounds(1e-60));
    assert_false(wp_num_in_bounds(NAN) || wp_num_in_bounds(INFINITY) || wp_num_in_bounds(1e61));
    assert_non_null(strstr(wp_num_why(WP_NUM_RANGE), "1e-60 to 1e60"));
    assert_string_equal(wp_num_why(WP_NUM_INVALID), "is not a number");
}

static void test_num_half_unit_follows_printed_digits(void **state)
{
    (void)state;
    assert_true(fabs(wp_num_half_unit("1.36e-07") - 5e-10) < 1e-24);
    assert_true(fabs(wp_num_half_unit("0.0095") - 5e-5) < 1e-18);
    assert_true(wp_num_half_unit("0") == 0.0);
    assert_true(fabs(wp_num_half_unit("8") - 0.5) < 1e-15);
}

/* The short-decimal path must give exactly what strtod gives, sign of zero included. */
static void test_num_short_decimals_read_exactly_as_strtod(void **state)
{
    (void)state;
    static const char *const fixed[] = {"0", "-0", "-0.0", "5.", ".5", "+7.25", "245.31",
                                        "999999999999999", "0.000000000000001",
                                        "123456789.012345", "9007199254740.993"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        double x;
        double want = strtod(fixed[i], NULL);
        if (!wp_num_in_bounds(want)) { /* past the magnitudes read (num.h): refused */
            assert_int_equal(wp_parse_num(fixed[i], &x), WP_NUM_RANGE);
            continue;
        }
        assert_int_equal(wp_parse_num(fixed[i], &x), WP_NUM_OK);
        assert_memory_equal(&x, &want, sizeof x);
    }
    unsigned long long seed = 42;
    for (int i = 0; i < 200000; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        int digits = 1 + (int)((seed >> 33) % 15), point = (int)((seed >> 40) % (digits + 1));
        char buf[32], *o = buf;
        unsigned long long r = seed;
        if ((seed >> 50) & 1)
            *o++ = '-';
        for (int k = 0; k < digits; k++) {
            if (k == point && k)
                *o++ = '.';
            r = r * 2862933555777941757ULL + 3037000493ULL;
            *o++ = (char)('0' + (r >> 40) % 10);
        }
        *o = '\0';
        double x, want = strtod(buf, NULL);
        assert_int_equal(wp_parse_num(buf, &x), WP_NUM_OK);
        if (memcmp(&x, &want, sizeof x) != 0) {
            print_error("%s: %.17g, strtod %.17g\n", buf, x, want);
            fail();
        }
    }
    double x;
    assert_int_equal(wp_parse_num("1.2.3", &x), WP_NUM_INVALID);
    assert_int_equal(wp_parse_num("12a", &x), WP_NUM_INVALID);
}

/* The long path (16 to 19 digits, exponents within +-27, as Python's repr and %.17g
 * write) must give exactly what strtod gives, midpoints between doubles included. */
static void test_num_long_decimals_read_exactly_as_strtod(void **state)
{
    (void)state;
    static const char *const fixed[] = {
        "9007199254740993",       /* 2^53 + 1: a midpoint, ties to even */
        "9007199254740995",       /* 2^53 + 3: a midpoint, ties up */
        "9007199254740993.0001",  /* just above a midpoint */
        "9007199254740992.9999",  /* just below */
        "0.30000000000000004", "0.1000000000000000055511151231257827",
        "112.45686554908752", "0.0049603442418694", "4.4108860918804845e-05",
        "3.5475092370148885E-05", "1.7976931348623157e308", "2.2250738585072014e-308",
        "1e27", "1e-27", "12345678901234567890", "1234567890123456789e-8",
        "-0.00000000000000000000000000000000000001", "0e999",
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        double x;
        double want = strtod(fixed[i], NULL);
        if (!wp_num_in_bounds(want)) { /* past the magnitudes read (num.h): refused */
            assert_int_equal(wp_parse_num(fixed[i], &x), WP_NUM_RANGE);
            continue;
        }
        assert_int_equal(wp_parse_num(fixed[i], &x), WP_NUM_OK);
        if (memcmp(&x, &want, sizeof x) != 0)
            fail_msg("%s: %.17g, strtod %.17g", fixed[i], x, want);
    }
    unsigned long long seed = 7;
    for (int i = 0; i < 300000; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        char buf[64];
        double want;
        switch (i % 3) {
        case 0: { /* a random double as %.17g and as its shortest round-trip text */
            unsigned long long bits = seed ^ (seed >> 29);
            bits = (bits & 0x800fffffffffffffULL) | ((0x3c0ULL + (seed >> 54) % 0x7f) << 52);
            double v;
            memcpy(&v, &bits, sizeof v);
            snprintf(buf, sizeof buf, "%.17g", v);
            for (int p = 15; p <= 17; p++) {
                char shorter[64];
                snprintf(shorter, sizeof shorter, "%.*g", p, v);
                if (strtod(shorter, NULL) == v) {
                    if ((seed >> 20) & 1)
                        memcpy(buf, shorter, strlen(shorter) + 1);
                    break;
                }
            }
            break;
        }
        default: { /* 16 to 20 random digits, a point somewhere, maybe an exponent */
            int digits = 16 + (int)((seed >> 33) % 5), point = (int)((seed >> 40) % (digits + 1));
            char *o = buf;
            unsigned long long r = seed;
            if ((seed >> 50) & 1)
                *o++ = '-';
            for (int k = 0; k < digits; k++) {
                if (k == point && k)
                    *o++ = '.';
                r = r * 2862933555777941757ULL + 3037000493ULL;
                *o++ = (char)('0' + (r >> 40) % 10);
            }
            if ((seed >> 45) & 1)
                o += snprintf(o, 12, "e%d", (int)((seed >> 52) % 61) - 30);
            *o = '\0';
            break;
        }
        }
        want = strtod(buf, NULL);
        double x;
        assert_int_equal(wp_parse_num(buf, &x), WP_NUM_OK);
        if (memcmp(&x, &want, sizeof x) != 0)
            fail_msg("%s: %.17g, strtod %.17g", buf, x, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_num_short_decimals_read_exactly_as_strtod),
        cmocka_unit_test(test_num_long_decimals_read_exactly_as_strtod),
        cmocka_unit_test(test_num_accepts_decimals_and_upper_case_exponents),
        cmocka_unit_test(test_num_missing_spellings_are_missing),
        cmocka_unit_test(test_num_rejects_garbage_hex_and_commas),
        cmocka_unit_test(test_num_infinite_and_overflow_are_out_of_range),
        cmocka_unit_test(test_num_magnitudes_beyond_1e60_or_under_1e_minus_60_are_out_of_range),
        cmocka_unit_test(test_num_half_unit_follows_printed_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
