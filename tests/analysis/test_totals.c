/* Tests of src/analysis/totals.c: per-task totals from a stream of runs are the analysis by
 * task's runs, experiments and means, bit for bit, on the fixtures (with and without a
 * phase and a filter); runs out of run-id order within a task are said, not summed in
 * another order. */
#include <math.h>
#include <float.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/ingest.h"
#include "ingest/label.h"
#include "analysis/analysis.h"
#include "analysis/totals.h"

static int setup(void **state)
{
    wp_stats_init();
    struct wp_store *s = NULL;
    if (wp_store_open(":memory:", &s, NULL) != WP_OK)
        return -1;
    struct wp_ingest_opts o = {0};
    const char *files[] = {"fixtures/synth/complete/text_classification__imdb.csv",
                           "fixtures/synth/complete/summarization__xsum.csv",
                           "fixtures/synth/complete/extractive_qa__squad.csv",
                           "fixtures/synth/complete/extractive_qa__sciq__zeroshot.csv"};
    struct wp_diag d = {0};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct wp_file_result r;
        if (wp_ingest_file(s, files[i], &o, &r, &d) != WP_OK)
            return -1;
    }
    size_t n;
    struct wp_label_stats st;
    if (wp_store_begin(s, &d) || wp_manifest_apply(s, "fixtures/synth/manifest.csv", NULL, &n,
                                                   &st, &d) || wp_store_commit(s, &d))
        return -1;
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    wp_store_close(*state);
    return 0;
}

/* The totals of filter f equal the analysis' groups (by task, no bootstrap). */
/* The same bits; under valgrind (make check-valgrind sets WP_VALGRIND=1), whose long double
 * is a double, within a unit or two in the last place: GSL's compiled recurrence and ours
 * round differently there (README, Limits: Memory). */
static void same_mean(double got, double want)
{
    if (getenv("WP_VALGRIND") && strcmp(getenv("WP_VALGRIND"), "1") == 0) {
        assert_true(fabs(got - want) <= 4 * DBL_EPSILON * fabs(want));
        return;
    }
    assert_memory_equal(&got, &want, sizeof(double));
}

static void same_as_analysis(struct wp_store *s, const struct wp_run_filter *f)
{
    struct wp_task_totals t;
    struct wp_diag d = {0};
    assert_int_equal(wp_task_totals(s, f, &t, &d), WP_OK);
    assert_true(t.is_ordered);
    struct wp_analysis_opts o;
    wp_analysis_defaults(&o);
    o.filter = *f;
    o.boot.resamples = 0;
    struct wp_analysis a;
    assert_int_equal(wp_analysis_run(s, &o, &a, &d), WP_OK);
    assert_int_equal(t.n, a.n_groups);
    assert_true(t.n > 0);
    for (size_t i = 0; i < t.n; i++) {
        assert_string_equal(t.v[i].task, a.groups[i].task);
        assert_int_equal(t.v[i].n_runs, a.groups[i].n_runs);
        assert_int_equal(t.v[i].n_experiments, a.groups[i].n_experiments);
        same_mean(t.v[i].mean_kwh_per_1k, a.groups[i].kwh.mean);
        same_mean(t.v[i].mean_g_per_1k, a.groups[i].g.mean);
    }
    assert_int_equal(t.runs_seen, a.runs_seen);
    assert_int_equal(t.skipped_unlabeled, a.skipped_unlabeled);
    assert_int_equal(t.skipped_no_inferences, a.skipped_no_inferences);
    assert_int_equal(t.skipped_no_energy, a.skipped_no_energy);
    wp_analysis_free(&a);
    wp_task_totals_free(&t);
}

static void test_totals_are_the_analysis_numbers(void **state)
{
    struct wp_store *s = *state;
    struct wp_run_filter f = {0};
    same_as_analysis(s, &f);
    f.model = "distilbert-base-uncased-finetuned-sst-2-english";
    same_as_analysis(s, &f);
    struct wp_run_filter purpose = {.where_key = "purpose", .where_value = "multi-purpose"};
    same_as_analysis(s, &purpose);
}

/* A run with a lower id than one summed before, in the same task, stops the stream: its
 * mean would come out in another order than the analysis' (by run id).  Run totals come
 * from whole-run measurements first, then from runs measured in phases: a phased run
 * stored first (the study's file: load and query phases) comes after the later ones. */
static void test_runs_out_of_order_are_said(void **state)
{
    (void)state;
    struct wp_store *s = NULL;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    struct wp_ingest_opts o = {
        .labels = {.model = "m", .task = "t", .dataset = "d", .inferences = 1000}};
    const char *files[] = {"fixtures/study/emissions/base/"
                           "emissions_base_000f2a61-6c23-4644-af23-5dee6c40c537.csv.gz",
                           "fixtures/synth/complete/extractive_qa__squad.csv"};
    struct wp_file_result r;
    struct wp_diag d = {0};
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(wp_ingest_file(s, files[i], &o, &r, &d), WP_OK);
    struct wp_task_totals t;
    struct wp_run_filter f = {0};
    assert_int_equal(wp_task_totals(s, &f, &t, &d), WP_OK);
    assert_false(t.is_ordered);
    assert_int_equal(t.n, 0);
    wp_task_totals_free(&t);
    /* one phase: one query, in run-id order */
    f.phase = "query model";
    same_as_analysis(s, &f);
    wp_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals_are_the_analysis_numbers),
        cmocka_unit_test(test_runs_out_of_order_are_said),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
