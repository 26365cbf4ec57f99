/* Unit tests of the growable array (src/util/array.c): growth keeps the elements, the
 * capacity follows git's alloc_nr, and a size that overflows or cannot be allocated fails
 * with the old block, pointer and capacity untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/array.h"

/* Under AddressSanitizer an allocation too large to make returns NULL, as malloc does,
 * instead of stopping the test (an ordinary build never calls this). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

struct pair {
    long a;
    double b;
};

static void test_array_grows_by_half_and_keeps_the_elements(void **state)
{
    (void)state;
    struct pair *v = NULL;
    size_t n = 0, cap = 0;
    for (long i = 0; i < 1000; i++) {
        assert_int_equal(WP_ARRAY_GROW(v, n + 1, cap), WP_OK);
        assert_true(cap >= n + 1);
        v[n++] = (struct pair){i, (double)i / 2};
    }
    for (long i = 0; i < 1000; i++)
        assert_true(v[i].a == i && v[i].b == (double)i / 2);
    assert_int_equal(wp_array_next_cap(0, 1), 24);  /* (0 + 16) * 3 / 2 */
    assert_int_equal(wp_array_next_cap(24, 25), 60);
    assert_int_equal(wp_array_next_cap(0, 100), 100); /* a large request at once */
    free(v);
}

static void test_array_room_enough_changes_nothing(void **state)
{
    (void)state;
    int *v = NULL;
    size_t cap = 0;
    assert_int_equal(WP_ARRAY_GROW(v, 10, cap), WP_OK);
    int *before = v;
    size_t cap_before = cap;
    assert_int_equal(WP_ARRAY_GROW(v, cap, cap), WP_OK);
    assert_ptr_equal(v, before);
    assert_int_equal(cap, cap_before);
    assert_int_equal(WP_ARRAY_GROW(v, 0, cap), WP_OK);
    free(v);
}

static void test_array_size_that_overflows_fails_and_keeps_the_old_block(void **state)
{
    (void)state;
    struct pair *v = NULL;
    size_t cap = 0;
    assert_int_equal(WP_ARRAY_GROW(v, 4, cap), WP_OK);
    v[3] = (struct pair){7, 8};
    struct pair *old = v;
    size_t old_cap = cap;
    /* elements * size past SIZE_MAX: refused before any allocation */
    assert_int_equal(WP_ARRAY_GROW(v, SIZE_MAX / sizeof *v + 1, cap), WP_ERR_NOMEM);
    assert_int_equal(WP_ARRAY_GROW(v, SIZE_MAX, cap), WP_ERR_NOMEM);
    assert_ptr_equal(v, old);
    assert_int_equal(cap, old_cap);
    assert_true(v[3].a == 7 && v[3].b == 8); /* still ours, still readable */
    /* a capacity so large that growing by half overflows: exactly the need, checked */
    assert_int_equal(wp_array_next_cap(SIZE_MAX - 1, SIZE_MAX), SIZE_MAX);
    free(v);
}

static void test_array_allocation_that_fails_keeps_the_old_block(void **state)
{
    (void)state;
    char *v = NULL;
    size_t cap = 0;
    assert_int_equal(WP_ARRAY_GROW(v, 3, cap), WP_OK);
    memcpy(v, "ab", 3);
    char *old = v;
    size_t old_cap = cap;
    /* half the address space: no overflow, but no allocator gives it (realloc: NULL) */
    assert_int_equal(WP_ARRAY_GROW(v, SIZE_MAX / 2, cap), WP_ERR_NOMEM);
    assert_ptr_equal(v, old);
    assert_int_equal(cap, old_cap);
    assert_string_equal(v, "ab");
    free(v);
}

static int cmp_long(const void *key, const void *element)
{
    long k = *(const long *)key, e = *(const long *)element;
    return (k > e) - (k < e);
}

static void test_lower_bound_finds_the_first_not_below(void **state)
{
    (void)state;
    const long v[] = {1, 3, 3, 3, 8};
    long key = 3;
    assert_int_equal(wp_lower_bound(&key, v, 5, sizeof v[0], cmp_long), 1); /* first of ties */
    key = 4;
    assert_int_equal(wp_lower_bound(&key, v, 5, sizeof v[0], cmp_long), 4); /* where it goes */
    key = 0;
    assert_int_equal(wp_lower_bound(&key, v, 5, sizeof v[0], cmp_long), 0);
    key = 9;
    assert_int_equal(wp_lower_bound(&key, v, 5, sizeof v[0], cmp_long), 5); /* none: n */
    assert_int_equal(wp_lower_bound(&key, NULL, 0, sizeof v[0], cmp_long), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array_grows_by_half_and_keeps_the_elements),
        cmocka_unit_test(test_array_room_enough_changes_nothing),
        cmocka_unit_test(test_array_size_that_overflows_fails_and_keeps_the_old_block),
        cmocka_unit_test(test_array_allocation_that_fails_keeps_the_old_block),
        cmocka_unit_test(test_lower_bound_finds_the_first_not_below),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
