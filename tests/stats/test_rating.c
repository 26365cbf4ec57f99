/* Unit tests of star ratings within each task (src/stats/rating.c) over a group table
 * (stats/groups.h): each task's models are rated among themselves by the equal-width rule,
 * a model without GPU energy gets 0 stars and does not count, and a table not grouped by
 * model and task is refused. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "stats/rating.h"

static void test_rating_within_each_task(void **state)
{
    (void)state;
    /* task a: 1, 2, 6 kWh (range 5, bins of 1: 5, 4 and 1 stars) and one unknown;
       task b: one model, alone in its set: not rated (the rule would give it 5 stars
       against nothing; a card said "5 of 5, relative to 1 models") */
    struct wp_group_stats g[5] = {
        {.task = "a", .model = "m1", .gpu_kwh_per_1k = 1.0},
        {.task = "a", .model = "m2", .gpu_kwh_per_1k = 2.0},
        {.task = "a", .model = "m3", .gpu_kwh_per_1k = NAN},
        {.task = "a", .model = "m4", .gpu_kwh_per_1k = 6.0},
        {.task = "b", .model = "m1", .gpu_kwh_per_1k = 100.0},
    };
    struct wp_group_table t = {g, 5, WP_BY_MODEL_TASK, WP_UNIT_EXPERIMENT};
    int stars[5];
    size_t rated[5];
    struct wp_diag d = {0};
    assert_int_equal(wp_rating_by_task(&t, WP_STARS_EQUAL_WIDTH, stars, rated, &d), WP_OK);
    const int want_stars[5] = {5, 4, 0, 1, 0};
    const size_t want_rated[5] = {3, 3, 3, 3, 1};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(stars[i], want_stars[i]);
        assert_int_equal(rated[i], want_rated[i]);
    }
}

static void test_rating_needs_model_and_task(void **state)
{
    (void)state;
    struct wp_group_stats g = {.task = "a", .gpu_kwh_per_1k = 1.0};
    struct wp_group_table t = {&g, 1, WP_BY_TASK, WP_UNIT_MODEL};
    int stars[1];
    size_t rated[1];
    struct wp_diag d = {0};
    assert_int_equal(wp_rating_by_task(&t, WP_STARS_EQUAL_WIDTH, stars, rated, &d),
                     WP_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rating_within_each_task),
        cmocka_unit_test(test_rating_needs_model_and_task),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
