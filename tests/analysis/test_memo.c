/* Tests of src/analysis/memo.c (analyses kept by their options) and of analysis.c sharing
 * groups out among threads.  Equal options give the kept
 * analysis (the same numbers as computing it again), any option that can change a number
 * gives another, the kept key does not depend on the caller's strings, and without a memo
 * the analysis is the caller's to release (the sanitizer build checks nothing leaks). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/ingest.h"
#include "analysis/analysis.h"

static int setup(void **state)
{
    wp_stats_init();
    struct wp_store *s = NULL;
    if (wp_store_open(":memory:", &s, NULL) != WP_OK)
        return -1;
    /* two tasks of the synthetic study, labelled on ingest */
    static const char *const files[][2] = {
        {"fixtures/synth/complete/text_classification__imdb.csv", "text_classification"},
        {"fixtures/synth/complete/summarization__xsum.csv", "summarization"},
    };
    for (size_t i = 0; i < 2; i++) {
        struct wp_ingest_opts o = {
            .labels = {.model = "m", .task = files[i][1], .dataset = "d", .inferences = 1000}};
        struct wp_file_result r;
        struct wp_diag d = {0};
        if (wp_ingest_file(s, files[i][0], &o, &r, &d) != WP_OK)
            return -1;
    }
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    wp_store_close(*state);
    return 0;
}

static void test_memo_serves_equal_options_once(void **state)
{
    struct wp_store *s = *state;
    struct wp_analysis_memo *m = wp_analysis_memo_new();
    assert_non_null(m);
    struct wp_analysis_opts o;
    wp_analysis_defaults(&o);
    o.boot.resamples = 200;
    o.unit = WP_UNIT_RUN; /* one model per task here: over models there is no interval */
    char task[] = "summarization";
    o.filter.task = task;
    const struct wp_analysis *a = NULL, *b = NULL, *c = NULL;
    struct wp_diag d = {0};
    assert_int_equal(wp_analysis_get(m, s, &o, &a, &d), WP_OK);
    assert_int_equal(a->n_groups, 1);
    /* the caller's strings may go: the kept key has its own */
    memset(task, 'x', sizeof task - 1);
    char again[] = "summarization";
    o.filter.task = again;
    assert_int_equal(wp_analysis_get(m, s, &o, &b, &d), WP_OK);
    assert_ptr_equal(a, b);
    assert_int_equal(wp_analysis_memo_hits(m), 1);
    assert_string_equal(b->opts.filter.task, "summarization");
    /* what-if "as measured" is NAN: NAN equals NAN as a key */
    assert_true(isnan(o.pue));
    assert_int_equal(wp_analysis_get(m, s, &o, &c, &d), WP_OK);
    assert_ptr_equal(a, c);
    /* the kept analysis has the numbers a fresh one has */
    const struct wp_analysis *fresh = NULL;
    assert_int_equal(wp_analysis_get(NULL, s, &o, &fresh, &d), WP_OK);
    assert_ptr_not_equal(fresh, a);
    assert_true(fresh->groups[0].kwh.mean == a->groups[0].kwh.mean);
    assert_true(fresh->groups[0].kwh_boot.lo == a->groups[0].kwh_boot.lo);
    assert_true(fresh->groups[0].kwh_boot.hi == a->groups[0].kwh_boot.hi);
    wp_analysis_release(NULL, fresh);
    wp_analysis_release(m, a); /* the memo keeps it: still valid */
    assert_int_equal(a->n_groups, 1);
    wp_analysis_memo_free(m);
}

static void test_memo_tells_apart_every_option_that_changes_a_number(void **state)
{
    struct wp_store *s = *state;
    struct wp_analysis_memo *m = wp_analysis_memo_new();
    assert_non_null(m);
    struct wp_analysis_opts base;
    wp_analysis_defaults(&base);
    base.boot.resamples = 100;
    struct wp_analysis_opts v[11];
    for (size_t i = 0; i < 11; i++)
        v[i] = base;
    v[1].filter.task = "text_classification";
    v[2].filter.phase = "query model";
    v[3].by = WP_BY_MODEL_TASK;
    v[4].over_experiments = true;
    v[5].level = 0.9;
    v[6].boot.seed = 7;
    v[7].pue = 1.5;
    v[8].quantiles[0] = 0.9;
    v[8].n_quantiles = 1;
    v[9].boot_ratios_only = true;
    v[10].unit = WP_UNIT_RUN;
    const struct wp_analysis *got[11];
    struct wp_diag d = {0};
    for (size_t i = 0; i < 11; i++) {
        assert_int_equal(wp_analysis_get(m, s, &v[i], &got[i], &d), WP_OK);
        for (size_t k = 0; k < i; k++)
            assert_ptr_not_equal(got[i], got[k]);
    }
    assert_int_equal(wp_analysis_memo_hits(m), 0);
    assert_int_equal(got[1]->n_groups, 1);
    assert_int_equal(got[0]->n_groups, 2);
    wp_analysis_memo_free(m);
}

static void test_memo_keeps_no_failed_analysis(void **state)
{
    struct wp_store *s = *state;
    struct wp_analysis_memo *m = wp_analysis_memo_new();
    struct wp_analysis_opts o;
    wp_analysis_defaults(&o);
    o.level = 2; /* not a confidence level */
    const struct wp_analysis *a = (const void *)&o;
    struct wp_diag d = {0};
    assert_int_not_equal(wp_analysis_get(m, s, &o, &a, &d), WP_OK);
    assert_null(a);
    wp_analysis_release(m, a);
    wp_analysis_release(NULL, a); /* releasing nothing is fine */
    assert_int_equal(wp_analysis_memo_hits(m), 0);
    wp_analysis_memo_free(m);
    wp_analysis_memo_free(NULL);
}

/* Groups computed on several threads give the numbers computed on one, bit for bit. */
static void test_analysis_on_threads_equals_one_thread(void **state)
{
    struct wp_store *s = *state;
    struct wp_analysis_opts o;
    wp_analysis_defaults(&o);
    o.by = WP_BY_MODEL_TASK;
    o.boot.resamples = 500;
    o.unit = WP_UNIT_RUN; /* one experiment per group here (the cluster path: below) */
    struct wp_analysis one, many;
    struct wp_diag d = {0};
    o.threads = 1;
    assert_int_equal(wp_analysis_run(s, &o, &one, &d), WP_OK);
    o.threads = 4;
    assert_int_equal(wp_analysis_run(s, &o, &many, &d), WP_OK);
    assert_int_equal(one.n_groups, many.n_groups);
    assert_true(one.n_groups >= 2);
    for (size_t i = 0; i < one.n_groups; i++) {
        const struct wp_group_stats *a = &one.groups[i], *b = &many.groups[i];
        assert_string_equal(a->task, b->task);
        assert_true(a->n == b->n);
        /* compared as bytes: bit for bit, NaNs included */
        const double x[] = {a->kwh.mean, a->kwh.sd, a->kwh.median, a->kwh_t.lo, a->kwh_t.hi,
                            a->kwh_boot.lo, a->kwh_boot.hi, a->g.mean, a->g_t.lo};
        const double y[] = {b->kwh.mean, b->kwh.sd, b->kwh.median, b->kwh_t.lo, b->kwh_t.hi,
                            b->kwh_boot.lo, b->kwh_boot.hi, b->g.mean, b->g_t.lo};
        assert_memory_equal(x, y, sizeof x);
        assert_false(isnan(a->kwh_boot.lo)); /* the bootstrap ran */
    }
    wp_analysis_free(&one);
    wp_analysis_free(&many);
}

/* Over models (the default unit by task), on threads: two tasks of two models each, the
 * cluster bootstrap's intervals bit for bit those of one thread, wider than over runs. */
static void test_cluster_intervals_on_threads_equal_one_thread(void **state)
{
    (void)state;
    struct wp_store *s = NULL;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    static const char *const files[][3] = {
        {"fixtures/synth/complete/text_classification__imdb.csv", "tc", "m1"},
        {"fixtures/synth/complete/text_classification__sst2.csv", "tc", "m2"},
        {"fixtures/synth/complete/summarization__xsum.csv", "sum", "m1"},
        {"fixtures/synth/complete/summarization__cnn_dailymail.csv", "sum", "m2"},
    };
    struct wp_diag d = {0};
    for (size_t i = 0; i < 4; i++) {
        struct wp_ingest_opts io = {
            .labels = {.model = files[i][2], .task = files[i][1], .dataset = "d",
                       .inferences = 1000}};
        struct wp_file_result r;
        assert_int_equal(wp_ingest_file(s, files[i][0], &io, &r, &d), WP_OK);
    }
    struct wp_analysis_opts o;
    wp_analysis_defaults(&o);
    o.boot.resamples = 400;
    struct wp_analysis one, many, runs;
    o.threads = 1;
    assert_int_equal(wp_analysis_run(s, &o, &one, &d), WP_OK);
    o.threads = 4;
    assert_int_equal(wp_analysis_run(s, &o, &many, &d), WP_OK);
    o.unit = WP_UNIT_RUN;
    assert_int_equal(wp_analysis_run(s, &o, &runs, &d), WP_OK);
    assert_int_equal(one.unit, WP_UNIT_MODEL);
    assert_int_equal(one.n_groups, 2);
    for (size_t i = 0; i < one.n_groups; i++) {
        const struct wp_group_stats *a = &one.groups[i], *b = &many.groups[i];
        assert_int_equal(a->n_units, 2);
        const double x[] = {a->kwh_t.lo, a->kwh_t.hi, a->kwh_boot.lo, a->kwh_boot.hi};
        const double y[] = {b->kwh_t.lo, b->kwh_t.hi, b->kwh_boot.lo, b->kwh_boot.hi};
        assert_memory_equal(x, y, sizeof x);
        assert_false(isnan(a->kwh_boot.lo));
        const struct wp_group_stats *r = &runs.groups[i];
        assert_true(a->kwh_t.hi - a->kwh_t.lo > r->kwh_t.hi - r->kwh_t.lo);
        assert_true(a->kwh.mean == r->kwh.mean && a->kwh.sd == r->kwh.sd);
    }
    const double hx[] = {one.headline.ratio.lo, one.headline.ratio.hi, one.headline.geo.lo};
    const double hy[] = {many.headline.ratio.lo, many.headline.ratio.hi, many.headline.geo.lo};
    assert_memory_equal(hx, hy, sizeof hx);
    assert_int_equal(one.headline.ratio.n_a, 2);
    /* the same runs stored in the other order (a backend may hand them over so): units are
     * ordered by model name, so the bootstrap draws the same units */
    struct wp_store *r = NULL;
    assert_int_equal(wp_store_open(":memory:", &r, NULL), WP_OK);
    for (size_t i = 4; i-- > 0;) {
        struct wp_ingest_opts io = {
            .labels = {.model = files[i][2], .task = files[i][1], .dataset = "d",
                       .inferences = 1000}};
        struct wp_file_result fr;
        assert_int_equal(wp_ingest_file(r, files[i][0], &io, &fr, &d), WP_OK);
    }
    struct wp_analysis rev;
    o.unit = WP_UNIT_AUTO;
    assert_int_equal(wp_analysis_run(r, &o, &rev, &d), WP_OK);
    for (size_t i = 0; i < one.n_groups; i++) {
        const struct wp_group_stats *a = &one.groups[i], *b = &rev.groups[i];
        const double x[] = {a->kwh_boot.lo, a->kwh_boot.hi};
        const double y[] = {b->kwh_boot.lo, b->kwh_boot.hi};
        assert_memory_equal(x, y, sizeof x);
    }
    wp_analysis_free(&rev);
    wp_store_close(r);
    wp_analysis_free(&one);
    wp_analysis_free(&many);
    wp_analysis_free(&runs);
    wp_store_close(s);
}

/* boot_ratios_only: no group's mean is bootstrapped, and the ratios are the ones the
 * full analysis gives, bit for bit. */
static void test_ratios_only_skips_the_groups_alone(void **state)
{
    struct wp_store *s = *state;
    struct wp_analysis_opts o;
    wp_analysis_defaults(&o);
    o.boot.resamples = 300;
    o.unit = WP_UNIT_RUN; /* one model per task here */
    struct wp_analysis full, ratios;
    struct wp_diag d = {0};
    assert_int_equal(wp_analysis_run(s, &o, &full, &d), WP_OK);
    o.boot_ratios_only = true;
    assert_int_equal(wp_analysis_run(s, &o, &ratios, &d), WP_OK);
    assert_int_equal(full.n_groups, ratios.n_groups);
    for (size_t i = 0; i < full.n_groups; i++) {
        assert_false(full.groups[i].boot_skipped);
        assert_false(isnan(full.groups[i].kwh_boot.lo));
        assert_true(ratios.groups[i].boot_skipped);
        assert_true(isnan(ratios.groups[i].kwh_boot.lo));
        assert_memory_equal(&full.groups[i].kwh_t, &ratios.groups[i].kwh_t,
                            sizeof full.groups[i].kwh_t);
    }
    const double x[] = {full.headline.ratio.ratio, full.headline.ratio.lo,
                        full.headline.ratio.hi};
    const double y[] = {ratios.headline.ratio.ratio, ratios.headline.ratio.lo,
                        ratios.headline.ratio.hi};
    assert_false(isnan(x[1]));
    assert_memory_equal(x, y, sizeof x);
    wp_analysis_free(&full);
    wp_analysis_free(&ratios);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memo_serves_equal_options_once),
        cmocka_unit_test(test_memo_tells_apart_every_option_that_changes_a_number),
        cmocka_unit_test(test_memo_keeps_no_failed_analysis),
        cmocka_unit_test(test_analysis_on_threads_equals_one_thread),
        cmocka_unit_test(test_cluster_intervals_on_threads_equal_one_thread),
        cmocka_unit_test(test_ratios_only_skips_the_groups_alone),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
