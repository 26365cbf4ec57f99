/* Tests of what src/analysis/analysis.c hands the writers with each group: the everyday
 * equivalents of its mean (computed once here, not by each writer), and its experiments'
 * points, whose emissions skip a run without them as the group's statistics do. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/ingest.h"
#include "analysis/analysis.h"
#include "util/units.h"

static int setup(void **state)
{
    wp_stats_init();
    struct wp_store *s = NULL;
    if (wp_store_open(":memory:", &s, NULL) != WP_OK)
        return -1;
    struct wp_ingest_opts o = {
        .labels = {.model = "m", .task = "summarization", .dataset = "d", .inferences = 1000}};
    struct wp_file_result r;
    struct wp_diag d = {0};
    if (wp_ingest_file(s, "fixtures/synth/complete/summarization__xsum.csv", &o, &r, &d))
        return -1;
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    wp_store_close(*state);
    return 0;
}

static void test_analysis_groups_carry_the_equivalents_of_their_mean(void **state)
{
    struct wp_analysis_opts o;
    wp_analysis_defaults(&o);
    o.boot.resamples = 0;
    const struct wp_analysis *a = NULL;
    struct wp_diag d = {0};
    assert_int_equal(wp_analysis_get(NULL, *state, &o, &a, &d), WP_OK);
    assert_int_equal(a->n_groups, 1);
    const struct wp_group_stats *g = &a->groups[0];
    struct wp_equiv want[WP_EQUIV_MAX];
    size_t n = 0;
    assert_int_equal(wp_stats_equivalents(wp_j_of_kwh(g->kwh.mean), g->g.mean, want,
                                          WP_EQUIV_MAX, &n),
                     WP_OK);
    assert_true(n > 0);
    assert_int_equal(g->n_equiv, n);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(g->equiv[i].factor, want[i].factor);
        assert_true(g->equiv[i].amount == want[i].amount);
    }
    wp_analysis_release(NULL, a);
}

/* One experiment of 10 CodeCarbon runs with emissions and 3 Zeus runs without: the
 * experiment's point must average the 10 known emissions (as the group's mean, its t
 * interval and its --over experiments values do: a NaN is a missing value, stats.h), not
 * turn NaN and drop out of the emissions charts. */
static void test_analysis_point_emissions_skip_runs_without_them(void **state)
{
    (void)state;
    wp_stats_init();
    struct wp_store *s = NULL;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    struct wp_ingest_opts io = {
        .labels = {.model = "m", .task = "summarization", .dataset = "d", .inferences = 1000}};
    struct wp_file_result r;
    struct wp_diag d = {0};
    assert_int_equal(wp_ingest_file(s, "fixtures/synth/complete/summarization__xsum.csv", &io,
                                    &r, &d),
                     WP_OK);
    assert_int_equal(wp_ingest_file(s, "fixtures/formats/zeus/zeus_monitor.csv", &io, &r, &d),
                     WP_OK);
    struct wp_analysis_opts o;
    wp_analysis_defaults(&o);
    o.boot.resamples = 0;
    const struct wp_analysis *a = NULL;
    assert_int_equal(wp_analysis_get(NULL, s, &o, &a, &d), WP_OK);
    assert_int_equal(a->n_groups, 1);
    const struct wp_group_stats *g = &a->groups[0];
    assert_int_equal(g->n_experiments, 1);
    assert_true(g->g.n_missing > 0 && g->g.n > 0); /* some runs without emissions */
    assert_int_equal(g->n_points, 1);
    assert_true(fabs(g->points[0].kwh_per_1k - g->kwh.mean) <= 1e-12 * g->kwh.mean);
    assert_true(isfinite(g->points[0].g_per_1k));
    assert_true(fabs(g->points[0].g_per_1k - g->g.mean) <= 1e-12 * g->g.mean);
    wp_analysis_release(NULL, a);
    wp_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_analysis_groups_carry_the_equivalents_of_their_mean),
        cmocka_unit_test(test_analysis_point_emissions_skip_runs_without_them),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
