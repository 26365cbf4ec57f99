/* Tests of what src/analysis/analysis.c hands the writers with each group: the everyday
 * equivalents of its mean (computed once here, not by each writer). */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_analysis_groups_carry_the_equivalents_of_their_mean),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
