/* Unit tests of the three-way comparisons (src/util/cmp.h): the sign for every order of two
 * values without a subtraction that overflows, names compared in order with NULL read as
 * "", and the long long comparator sorting an array. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "util/cmp.h"

static void test_cmp_ll_gives_the_sign_at_the_extremes(void **state)
{
    (void)state;
    assert_int_equal(wp_cmp_ll(LLONG_MIN, LLONG_MAX), -1); /* a subtraction would overflow */
    assert_int_equal(wp_cmp_ll(LLONG_MAX, LLONG_MIN), 1);
    assert_int_equal(wp_cmp_ll(7, 7), 0);
    assert_int_equal(wp_cmp_double(-0.5, 0.25), -1);
    assert_int_equal(wp_cmp_double(1e300, -1e300), 1);
    assert_int_equal(wp_cmp_double(2.0, 2.0), 0);
}

static void test_cmp_texts_first_difference_decides_and_null_is_empty(void **state)
{
    (void)state;
    const char *a[] = {"qa", "bert", "squad"}, *b[] = {"qa", "bert", "sciq"};
    assert_true(wp_cmp_texts(a, b, 3) > 0);
    assert_true(wp_cmp_texts(b, a, 3) < 0);
    assert_int_equal(wp_cmp_texts(a, b, 2), 0); /* only the first n count */
    const char *n[] = {NULL, "x"}, *e[] = {"", "x"}, *z[] = {"", "y"};
    assert_int_equal(wp_cmp_texts(n, e, 2), 0);
    assert_true(wp_cmp_texts(n, z, 2) < 0);
    assert_int_equal(wp_cmp_text(NULL, NULL), 0);
}

static void test_cmp_ll_at_sorts_an_array(void **state)
{
    (void)state;
    long long v[] = {5, LLONG_MIN, 3, LLONG_MAX, -1, 3};
    qsort(v, 6, sizeof v[0], wp_cmp_ll_at);
    const long long want[] = {LLONG_MIN, -1, 3, 3, 5, LLONG_MAX};
    for (size_t i = 0; i < 6; i++)
        assert_true(v[i] == want[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmp_ll_gives_the_sign_at_the_extremes),
        cmocka_unit_test(test_cmp_texts_first_difference_decides_and_null_is_empty),
        cmocka_unit_test(test_cmp_ll_at_sorts_an_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
