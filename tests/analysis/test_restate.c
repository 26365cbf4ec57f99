/* Tests of src/analysis/restate.c on fixtures/measure: the host's idle power is the
 * time-weighted mean of its idle windows, per component; each run on that host has its
 * energy above idle (hand-computed below), runs on another host keep theirs; the hourly
 * intensity restates emissions over each run's window, and a run outside the file keeps
 * its logged emissions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/check.h"
#include "ingest/generic.h"
#include "ingest/ingest.h"
#include "analysis/analysis.h"
#include "analysis/restate.h"
#include "analysis/runs.h"
#include "util/units.h"

#define DIR "fixtures/measure/"

static enum wp_err ingest(struct wp_store *s, const char *map, const char *file, bool idle)
{
    struct wp_generic_map *m = NULL;
    struct wp_diag d = {0};
    enum wp_err e = wp_generic_map_load(map, &m, &d);
    if (e)
        return e;
    struct wp_ingest_opts o = {.format = "generic", .fmt = {.generic_map = m}};
    o.labels.is_idle = idle;
    struct wp_file_result r;
    e = wp_ingest_file(s, file, &o, &r, &d);
    wp_generic_map_free(m);
    return e;
}

static int setup(void **state)
{
    wp_stats_init();
    struct wp_store *s = NULL;
    if (wp_store_open(":memory:", &s, NULL) != WP_OK)
        return -1;
    if (ingest(s, DIR "idle.map", DIR "idle.csv", true) ||
        ingest(s, DIR "measure.map", DIR "runs.csv", false) ||
        ingest(s, DIR "measure.map", DIR "runs_h100.csv", false))
        return -1;
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    wp_store_close(*state);
    return 0;
}

/* The idle windows: 600 s at 60,000 J (CPU 12,000, GPU 42,000, RAM 6,000) and 300 s at
 * 36,000 J (7,500, 24,000, 4,500): 96,000 J over 900 s. */
static void test_restate_idle_power_is_time_weighted_per_component(void **state)
{
    struct wp_restate r;
    struct wp_restate_opts o = {.above_idle = true};
    struct wp_diag d = {0};
    assert_int_equal(wp_restate_load(*state, NULL, &o, &r, &d), WP_OK);
    assert_int_equal(r.n_hosts, 1);
    const struct wp_idle_host *h = &r.hosts[0];
    assert_int_equal(h->n_windows, 2);
    assert_rel(h->duration_s, 900, REL);
    assert_rel(h->power_w, 96000.0 / 900, REL);
    assert_rel(h->cpu_power_w, 19500.0 / 900, REL);
    assert_rel(h->gpu_power_w, 66000.0 / 900, REL);
    assert_rel(h->ram_power_w, 10500.0 / 900, REL);
    assert_non_null(strstr(h->name, "A100"));
    wp_restate_free(&r);
}

struct seen {
    double energy_j[8], gpu_j[8], g[8];
    size_t n;
    int no_above_idle; /* runs left out for want of energy above idle */
};

static int on_run(void *ctx, const struct wp_run_row *run)
{
    struct seen *s = ctx;
    s->no_above_idle += wp_run_use(run) == WP_RUN_NO_ENERGY_ABOVE_IDLE;
    if (wp_run_use(run) == WP_RUN_USED && s->n < 8) {
        s->energy_j[s->n] = run->energy_j;
        s->gpu_j[s->n] = run->gpu_energy_j;
        s->g[s->n++] = run->emissions_g;
    }
    return 0;
}

/* Runs r1-r3 (A100 host): 1,800 s at 540,000 J, 3,600 s at 1,080,000 J, 900 s at
 * 270,000 J; above 106.67 W idle: 348,000, 696,000 and 174,000 J.  r4 (H100, no idle
 * windows) has no energy above idle: handed over without energy (left out), never its
 * 500,000 J total beside the others' energy above idle. */
static void test_restate_subtracts_idle_power_times_duration(void **state)
{
    struct wp_restate r;
    struct wp_restate_opts o = {.above_idle = true};
    struct wp_diag d = {0};
    assert_int_equal(wp_restate_load(*state, NULL, &o, &r, &d), WP_OK);
    struct wp_run_filter f = {.adjust = wp_restate_adjust, .adjust_ctx = &r, .by_run_id = true};
    struct seen s = {.n = 0};
    assert_int_equal(wp_runs_each(*state, &f, on_run, &s, &d), WP_OK);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.no_above_idle, 1); /* r4, said why: not "no energy" */
    double sorted[3];
    memcpy(sorted, s.energy_j, sizeof sorted);
    for (int i = 0; i < 3; i++) /* the read is in no particular order: compare as a set */
        for (int j = i + 1; j < 3; j++)
            if (sorted[j] < sorted[i]) {
                double t = sorted[i];
                sorted[i] = sorted[j];
                sorted[j] = t;
            }
    double want_sorted[3] = {174000, 348000, 696000};
    for (int i = 0; i < 3; i++)
        assert_rel(sorted[i], want_sorted[i], 1e-12);
    /* the summary counts r4 among the runs without energy above idle; the baseline holds */
    assert_int_equal(wp_restate_summarise(*state, &f, &r, &d), WP_OK);
    assert_int_equal(r.runs, 4);
    assert_int_equal(r.runs_on_idle_hosts, 3);
    assert_int_equal(wp_restate_need_baseline(&r, &d), WP_OK);
    /* GPU: 396,000 - 73.33 W x 1,800 s = 264,000 J for r1 */
    bool found = false;
    for (size_t i = 0; i < s.n; i++)
        if (fabs(s.energy_j[i] - 348000) < 1e-6) {
            assert_rel(s.gpu_j[i], 396000 - 66000.0 / 900 * 1800, 1e-12);
            /* emissions follow the energy at the run's own 400 g/kWh */
            assert_rel(s.g[i], 348000 / WP_J_PER_KWH * 400, 1e-12);
            found = true;
        }
    assert_true(found);
    assert_int_equal(wp_restate_summarise(*state, &f, &r, &d), WP_OK);
    assert_int_equal(r.runs, 4);
    assert_int_equal(r.runs_on_idle_hosts, 3);
    assert_rel(r.hosts[0].energy_j, 1890000, 1e-12);
    assert_rel(r.hosts[0].above_idle_j, 1218000, 1e-12);
    assert_int_equal(r.hosts[0].n_clamped, 0);
    wp_restate_free(&r);
}

/* FR hourly 60 (10h), 80 (11h): r1 10:00-10:30 at 60, r2 10:30-11:30 at 70, r3
 * 11:30-11:45 at 80; r4 at 14:00 is past the file. */
static void test_restate_hourly_intensity_over_run_windows(void **state)
{
    struct wp_restate r;
    struct wp_restate_opts o = {.intensity_path = DIR "intensity_hourly.csv",
                                .intensity = {.zone = "FR"}};
    struct wp_diag d = {0};
    assert_int_equal(wp_restate_load(*state, NULL, &o, &r, &d), WP_OK);
    struct wp_run_filter f = {.adjust = wp_restate_adjust, .adjust_ctx = &r};
    struct seen s = {.n = 0};
    assert_int_equal(wp_runs_each(*state, &f, on_run, &s, &d), WP_OK);
    assert_int_equal(s.n, 4);
    for (size_t i = 0; i < s.n; i++) {
        double kwh = s.energy_j[i] / WP_J_PER_KWH, want;
        if (s.energy_j[i] == 540000)
            want = kwh * 60;
        else if (s.energy_j[i] == 1080000)
            want = kwh * 70;
        else if (s.energy_j[i] == 270000)
            want = kwh * 80;
        else
            want = kwh * 400; /* as logged */
        assert_rel(s.g[i], want, 1e-12);
    }
    assert_int_equal(wp_restate_summarise(*state, &f, &r, &d), WP_OK);
    assert_int_equal(r.intensity_applied, 3);
    assert_int_equal(r.intensity_outside, 1);
    assert_rel(r.emissions_hourly_g, 36, 1e-12);
    assert_rel(r.intensity_mean_g_per_kwh, 36 / 0.525, 1e-12);
    wp_restate_free(&r);
}

/* No idle window on the store: no host, so no run has energy above idle.  The hook leaves
 * every run out (marked, not "no energy"), and --above-idle is refused before it runs
 * (wp_restate_need_baseline); without --above-idle it changes nothing. */
static void test_restate_without_baseline_leaves_every_run_out(void **state)
{
    (void)state;
    struct wp_store *s = NULL;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    assert_int_equal(ingest(s, DIR "measure.map", DIR "runs.csv", false), WP_OK);
    struct wp_restate r;
    struct wp_restate_opts o = {.above_idle = true};
    struct wp_diag d = {0};
    assert_int_equal(wp_restate_load(s, NULL, &o, &r, &d), WP_OK);
    assert_int_equal(r.n_hosts, 0);
    struct wp_run_filter f = {.adjust = wp_restate_adjust, .adjust_ctx = &r};
    struct seen x = {.n = 0};
    assert_int_equal(wp_runs_each(s, &f, on_run, &x, &d), WP_OK);
    assert_int_equal(x.n, 0);
    assert_int_equal(x.no_above_idle, 3);
    assert_int_equal(wp_restate_need_baseline(&r, &d), WP_ERR_EMPTY);
    assert_non_null(strstr(d.msg, "no idle window in the database"));
    struct wp_restate_opts total = {.above_idle = false};
    struct wp_restate t;
    assert_int_equal(wp_restate_load(s, NULL, &total, &t, &d), WP_OK);
    assert_int_equal(wp_restate_need_baseline(&t, &d), WP_OK); /* total energy: nothing to need */
    struct wp_run_filter plain = {.adjust = wp_restate_adjust, .adjust_ctx = &t};
    struct seen y = {.n = 0};
    assert_int_equal(wp_runs_each(s, &plain, on_run, &y, &d), WP_OK);
    double sum = 0;
    for (size_t i = 0; i < y.n; i++)
        sum += y.energy_j[i];
    assert_rel(sum, 1890000, 1e-12);
    wp_restate_free(&t);
    wp_restate_free(&r);
    wp_store_close(s);
}

/* A part of a selection above idle (restate.partial: a report's phases, its per-token
 * table) may hold no run on an idle host; the whole selection may not, and the memo never
 * serves it the part's analysis, which skipped that check.  m2's one run is on the H100
 * host, which has no idle windows. */
static void test_restate_partial_analysis_never_serves_a_whole_selection(void **state)
{
    struct wp_analysis_memo *m = wp_analysis_memo_new();
    assert_non_null(m);
    struct wp_analysis_opts o;
    wp_analysis_defaults(&o);
    o.restate.above_idle = true;
    o.restate.partial = true;
    o.boot.resamples = 0;
    char model[] = "m2";
    o.filter.model = model;
    const struct wp_analysis *part = NULL, *whole = NULL;
    struct wp_diag d = {0};
    assert_int_equal(wp_analysis_get(m, *state, &o, &part, &d), WP_OK);
    assert_int_equal(part->n_groups, 0);
    assert_int_equal(part->skipped_no_above_idle, 1);
    o.restate.partial = false;
    assert_int_equal(wp_analysis_get(m, *state, &o, &whole, &d), WP_ERR_EMPTY);
    assert_null(whole);
    assert_non_null(strstr(d.msg, "no run of the selection is on a host"));
    wp_analysis_release(m, part);
    wp_analysis_memo_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restate_idle_power_is_time_weighted_per_component),
        cmocka_unit_test(test_restate_subtracts_idle_power_times_duration),
        cmocka_unit_test(test_restate_hourly_intensity_over_run_windows),
        cmocka_unit_test(test_restate_without_baseline_leaves_every_run_out),
        cmocka_unit_test(test_restate_partial_analysis_never_serves_a_whole_selection),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
