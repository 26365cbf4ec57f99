/* src/analysis/filter.c: the edit distance that picks "did you mean", and the filter's
 * description. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analysis/filter.h"

static void test_edit_distance_counts_edits_and_ignores_case(void **state)
{
    (void)state;
    assert_int_equal(wp_edit_distance("text_clasification", "text_classification", 9), 1);
    assert_int_equal(wp_edit_distance("TEXT_CLASSIFICATION", "text_classification", 9), 0);
    assert_int_equal(wp_edit_distance("kitten", "sitting", 9), 3);
    assert_int_equal(wp_edit_distance("", "abc", 9), 3);
    assert_int_equal(wp_edit_distance("abc", "", 9), 3);
    assert_int_equal(wp_edit_distance("flaw", "lawn", 9), 2);
}

static void test_edit_distance_stops_past_its_cap(void **state)
{
    (void)state;
    /* lengths alone exceed the cap, and a cap reached mid-way: cap + 1 */
    assert_int_equal(wp_edit_distance("a", "abcdefgh", 2), 3);
    assert_int_equal(wp_edit_distance("abcdef", "uvwxyz", 2), 3);
    assert_int_equal(wp_edit_distance("abcdef", "abcdef", 0), 0);
}

static void test_describe_names_each_filter_as_its_option(void **state)
{
    (void)state;
    char buf[256];
    struct wp_run_filter f = {.task = "t", .phase = "query model", .where_key = "purpose",
                              .where_value = "multi-purpose"};
    assert_true(wp_filter_is_set(&f));
    wp_filter_describe(&f, buf, sizeof buf);
    assert_string_equal(buf, "--task \"t\" --phase \"query model\" --where purpose=multi-purpose");
    struct wp_run_filter none = {.task = "", .phase = NULL};
    assert_false(wp_filter_is_set(&none));
    wp_filter_describe(&none, buf, sizeof buf);
    assert_string_equal(buf, "");
    char small[8];
    wp_filter_describe(&f, small, sizeof small); /* cut, still terminated */
    assert_int_equal(small[7], '\0');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edit_distance_counts_edits_and_ignores_case),
        cmocka_unit_test(test_edit_distance_stops_past_its_cap),
        cmocka_unit_test(test_describe_names_each_filter_as_its_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
