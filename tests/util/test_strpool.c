/* Unit tests of the string arena (src/util/strpool.c), the report's pool of cells: strings
 * are kept until freed, and when its list cannot grow the string is "" and `failed` is set
 * while every string made before stays readable (report.c's pool once leaked them all,
 * then wrote through NULL on the next string). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/strpool.h"

static const char *make(struct wp_strpool *p, const char *f, ...)
    __attribute__((format(printf, 2, 3)));
static const char *make(struct wp_strpool *p, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    const char *s = wp_strpool_vfmt(p, f, ap);
    va_end(ap);
    return s;
}

static void test_strpool_keeps_every_string_until_freed(void **state)
{
    (void)state;
    struct wp_strpool p = {0};
    const char *s[600];
    for (int i = 0; i < 600; i++)
        s[i] = make(&p, "%d-%s", i, "x");
    char want[32];
    for (int i = 0; i < 600; i++) {
        snprintf(want, sizeof want, "%d-x", i);
        assert_string_equal(s[i], want);
    }
    assert_false(p.failed);
    assert_int_equal(p.n, 600);
    wp_strpool_free(&p);
    assert_null(p.v);
    assert_int_equal(p.n, 0);
}

/* keep takes a string made elsewhere; a string that could not be made (NULL) is "" and
 * marks the pool failed without losing what it holds */
static void test_strpool_keep_owns_a_made_string_and_remembers_a_failed_one(void **state)
{
    (void)state;
    struct wp_strpool p = {0};
    char *made = strdup("kept");
    assert_non_null(made);
    assert_ptr_equal(wp_strpool_keep(&p, made), made);
    assert_false(p.failed);
    assert_string_equal(wp_strpool_keep(&p, NULL), "");
    assert_true(p.failed);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.v[0], "kept");
    wp_strpool_free(&p); /* frees "kept": the leak checkers of make check-asan see it */
}

static void test_strpool_that_cannot_grow_says_so_and_keeps_its_strings(void **state)
{
    (void)state;
    struct wp_strpool p = {0};
    const char *first = make(&p, "%s", "kept");
    char **list = p.v;
    size_t n = p.n, cap = p.cap;
    /* a full list whose next size overflows: what a failed realloc did to the old pool */
    p.n = p.cap = SIZE_MAX / sizeof *p.v;
    const char *s = make(&p, "%.4g", 1.5);
    assert_string_equal(s, "");
    assert_true(p.failed);
    assert_ptr_equal(p.v, list); /* the list is still there, not NULL */
    s = make(&p, "%s", "again");  /* the old pool wrote through NULL here */
    assert_string_equal(s, "");
    assert_ptr_equal(p.v, list);
    p.n = n;
    p.cap = cap;
    assert_string_equal(first, "kept");
    assert_ptr_equal(p.v[0], first);
    wp_strpool_free(&p); /* frees "kept": the sanitizer build sees no leak */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strpool_keeps_every_string_until_freed),
        cmocka_unit_test(test_strpool_that_cannot_grow_says_so_and_keeps_its_strings),
        cmocka_unit_test(test_strpool_keep_owns_a_made_string_and_remembers_a_failed_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
