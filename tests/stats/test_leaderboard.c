/* Tests of src/stats/leaderboard.c and wp_stats_stars_against: reading the AI Energy Score
 * snapshots in fixtures/aienergyscore, choosing a comparison set (a class of the newest
 * edition), and rating against a fixed set: every published model, rated against its own
 * class and edition, gets its published stars. */
#include "stats/leaderboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"
#include "stats/check.h"

static void path_of(const char *name, char *buf, size_t cap)
{
    const char *dir = getenv("WP_FIXTURES");
    snprintf(buf, cap, "%s/aienergyscore/%s", dir ? dir : "fixtures", name);
}

static void test_every_published_model_rated_against_its_set_gets_its_stars(void **state)
{
    (void)state;
    static const char *const files[] = {"text_generation.csv", "reasoning.csv"};
    size_t checked = 0;
    for (size_t f = 0; f < 2; f++) {
        char p[512];
        path_of(files[f], p, sizeof p);
        struct wp_leaderboard l;
        struct wp_diag d = {0};
        assert_int_equal(wp_leaderboard_load(p, &l, &d), WP_OK);
        for (size_t i = 0; i < l.n; i++) {
            double set[256];
            size_t n = 0;
            for (size_t j = 0; j < l.n && n < 256; j++)
                if (!strcmp(l.v[j].class, l.v[i].class) && !strcmp(l.v[j].edition, l.v[i].edition))
                    set[n++] = l.v[j].kwh_per_1k;
            int stars;
            assert_int_equal(wp_stats_stars_against(set, n, l.v[i].kwh_per_1k, &stars), WP_OK);
            if (stars != l.v[i].stars)
                fail_msg("%s: %s: %d stars, published %d", files[f], l.v[i].model, stars,
                         l.v[i].stars);
            checked++;
        }
        wp_leaderboard_free(&l);
    }
    assert_int_equal(checked, 62 + 18);
}

static void test_stars_against_a_fixed_set_by_hand(void **state)
{
    (void)state;
    const double set[] = {1, 2, 6}; /* bins of width 1: [1,2) 5 ... [5,6] 1 */
    int s;
    assert_int_equal(wp_stats_stars_against(set, 3, 0.1, &s), WP_OK);
    assert_int_equal(s, 5); /* below the set: the best bin, not 6 stars */
    assert_int_equal(wp_stats_stars_against(set, 3, 3.5, &s), WP_OK);
    assert_int_equal(s, 3);
    assert_int_equal(wp_stats_stars_against(set, 3, 60, &s), WP_OK);
    assert_int_equal(s, 1); /* above: the worst, the bins do not move */
    assert_int_equal(wp_stats_stars_against(set, 0, 1, &s), WP_ERR_EMPTY);
    assert_int_equal(wp_stats_stars_against(set, 3, NAN, &s), WP_ERR_EMPTY);
}

static void test_select_takes_the_newest_edition_and_asks_for_a_class(void **state)
{
    (void)state;
    char p[512];
    path_of("text_generation.csv", p, sizeof p);
    struct wp_leaderboard l;
    struct wp_leaderboard_set set;
    struct wp_diag d = {0};
    assert_int_equal(wp_leaderboard_load(p, &l, &d), WP_OK);
    assert_int_equal(l.n, 62);
    /* Feb 25 and Dec 25: Dec 25 is newer although "D" sorts before "F" */
    assert_int_equal(wp_leaderboard_select(&l, NULL, &set, &d), WP_ERR_USAGE);
    assert_non_null(strstr(d.msg, "Dec 25"));
    assert_non_null(strstr(d.msg, "A, B, C"));
    assert_int_equal(wp_leaderboard_select(&l, "A", &set, &d), WP_OK);
    assert_string_equal(set.edition, "Dec 25");
    assert_string_equal(set.class, "A");
    assert_int_equal(set.n, 12);
    wp_leaderboard_set_free(&set);
    assert_int_equal(wp_leaderboard_select(&l, "Z", &set, &d), WP_ERR_USAGE);
    assert_non_null(strstr(d.msg, "\"Z\""));
    wp_leaderboard_free(&l);
}

static void test_load_names_a_missing_column(void **state)
{
    (void)state;
    char p[] = "/tmp/wp_lb_XXXXXX";
    int fd = mkstemp(p);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("model,total_gpu_energy,energy_score,class\nm,0.1,5,A\n", f);
    fclose(f);
    struct wp_leaderboard l;
    struct wp_diag d = {0};
    assert_int_equal(wp_leaderboard_load(p, &l, &d), WP_ERR_PARSE);
    assert_non_null(strstr(d.msg, "test date"));
    remove(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_published_model_rated_against_its_set_gets_its_stars),
        cmocka_unit_test(test_stars_against_a_fixed_set_by_hand),
        cmocka_unit_test(test_select_takes_the_newest_edition_and_asks_for_a_class),
        cmocka_unit_test(test_load_names_a_missing_column),
    };
    wp_stats_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
