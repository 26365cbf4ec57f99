/* Unit tests of the flush-snapshot folding (src/ingest/flushes.c) through a sink that records
 * what it is handed: which rows fold, which go on, in which order, with their strings
 * intact, also past the limit of rows held at once and with held slots reused. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/flushes.h"

#define MAX_OUT 1024

struct rec {
    long line[MAX_OUT];
    char run[MAX_OUT][96];
    char extra[MAX_OUT][64]; /* "key=value;" of each extra */
    double energy_j[MAX_OUT];
    size_t n;
};

static enum wp_err on_measurement(void *ctx, const struct wp_measurement *m,
                                  const char *group_key, struct wp_diag *d)
{
    (void)group_key;
    (void)d;
    struct rec *r = ctx;
    assert_true(r->n < MAX_OUT);
    r->line[r->n] = m->line;
    snprintf(r->run[r->n], sizeof r->run[0], "%s|%s|%s", m->run_label, m->phase,
             m->started_at);
    size_t used = 0;
    r->extra[r->n][0] = '\0';
    for (size_t i = 0; i < m->n_extra; i++)
        used += (size_t)snprintf(r->extra[r->n] + used, sizeof r->extra[0] - used, "%s=%s;",
                                 m->extra_keys[i], m->extra_values[i]);
    r->energy_j[r->n] = m->energy_j;
    r->n++;
    return WP_OK;
}

/* A row of run `run` (its label is long for some runs, so that reused slots must grow),
 * snapshot `k` (energy and duration grow with k), on line `line`. */
static void put_row(struct wp_flushes *f, int run, int k, long line)
{
    char label[96], ts[32], key[16], value[16];
    if (run % 3 == 0)
        snprintf(label, sizeof label, "run-%d-with-a-much-longer-label-than-the-others", run);
    else
        snprintf(label, sizeof label, "run-%d", run);
    snprintf(ts, sizeof ts, "2026-06-20T10:%02d:%02d", k / 60, k % 60);
    snprintf(key, sizeof key, "k%d", k);
    snprintf(value, sizeof value, "v%d", run);
    const char *keys[3] = {"a", "b", key}, *values[3] = {"1", "2", value};
    struct wp_measurement m;
    wp_measurement_clear(&m);
    m.line = line;
    m.run_label = label;
    m.started_at = ts;
    m.duration_s = 10.0 * (k + 1);
    m.energy_j = 100.0 * (k + 1);
    m.n_extra = (size_t)(run % 4); /* 0 to 3 extras: the slots' key arrays grow too */
    m.extra_keys = keys;
    m.extra_values = values;
    assert_int_equal(wp_flushes_put(f, &m, false, NULL), WP_OK);
}

static void test_flushes_fold_many_runs_within_the_held_limit(void **state)
{
    (void)state;
    struct rec *r = calloc(1, sizeof *r);
    assert_non_null(r);
    struct wp_sink sink = {.measurement = on_measurement, .ctx = r};
    struct wp_flushes *f;
    assert_int_equal(wp_flushes_open(&sink, &f, NULL), WP_OK);
    /* 300 runs, each snapshot followed by its next one 10 rows later: at most 11 held */
    long line = 2;
    for (int i = 0; i < 310; i++) {
        if (i < 300)
            put_row(f, i, 0, line++);
        if (i >= 10)
            put_row(f, i - 10, 1, line++);
    }
    assert_int_equal(wp_flushes_finish(f, NULL), WP_OK);
    struct wp_flush_stats st = wp_flushes_stats(f);
    assert_int_equal(st.rows, 300);
    assert_int_equal(st.runs, 300);
    assert_int_equal(st.first_line, 2);
    assert_int_equal(r->n, 300);
    for (size_t i = 0; i < r->n; i++) {
        char want[96];
        int run = (int)i;
        if (run % 3 == 0)
            snprintf(want, sizeof want,
                     "run-%d-with-a-much-longer-label-than-the-others||2026-06-20T10:00:01", run);
        else
            snprintf(want, sizeof want, "run-%d||2026-06-20T10:00:01", run);
        assert_string_equal(r->run[i], want); /* the last snapshot, strings intact */
        assert_true(r->energy_j[i] == 200.0);
        char extra[64] = "";
        const char *all = "a=1;b=2;k1=v";
        if (run % 4 == 3)
            snprintf(extra, sizeof extra, "%s%d;", all, run);
        else if (run % 4)
            snprintf(extra, sizeof extra, "%.*s", run % 4 == 1 ? 4 : 8, all);
        assert_string_equal(r->extra[i], extra);
        if (i)
            assert_true(r->line[i] > r->line[i - 1]); /* in line order */
    }
    wp_flushes_free(f);
    free(r);
}

/* Past WP_FLUSHES_MAX_HELD runs held, the oldest goes on: its later snapshot cannot fold
 * into it any more and reaches the sink on its own (the store then calls it a conflict). */
static void test_flushes_past_the_limit_hand_the_oldest_on(void **state)
{
    (void)state;
    struct rec *r = calloc(1, sizeof *r);
    assert_non_null(r);
    struct wp_sink sink = {.measurement = on_measurement, .ctx = r};
    struct wp_flushes *f;
    assert_int_equal(wp_flushes_open(&sink, &f, NULL), WP_OK);
    /* one run more than can be held, then the second snapshots newest run first */
    int runs = WP_FLUSHES_MAX_HELD + 1;
    long line = 2;
    for (int i = 0; i < runs; i++)
        put_row(f, i, 0, line++);
    for (int i = runs - 1; i >= 0; i--)
        put_row(f, i, 1, line++);
    assert_int_equal(wp_flushes_finish(f, NULL), WP_OK);
    struct wp_flush_stats st = wp_flushes_stats(f);
    /* run 0 went on when run 64 came; runs 64..1 fold; run 0's second snapshot then
     * pushes the oldest held row (run 64's, line 67) on and is held itself */
    assert_int_equal(st.rows, runs - 1);
    assert_int_equal(st.runs, runs - 1);
    assert_int_equal(st.first_line, runs + 1); /* run 64's first snapshot */
    assert_int_equal(r->n, (size_t)runs + 1);
    assert_int_equal(r->line[0], 2);
    assert_int_equal(r->line[1], runs + 2);
    assert_string_equal(r->run[r->n - 1], "run-0-with-a-much-longer-label-than-the-others||"
                                          "2026-06-20T10:00:01");
    for (size_t i = 1; i < r->n; i++)
        assert_true(r->line[i] > r->line[i - 1]);
    wp_flushes_free(f);
    free(r);
}

/* A row that is not a later snapshot (a repeat, or totals going down) hands the held row
 * on and is held itself; a row without a run id goes on at once. */
static void test_flushes_repeat_and_decrease_go_on(void **state)
{
    (void)state;
    struct rec *r = calloc(1, sizeof *r);
    assert_non_null(r);
    struct wp_sink sink = {.measurement = on_measurement, .ctx = r};
    struct wp_flushes *f;
    assert_int_equal(wp_flushes_open(&sink, &f, NULL), WP_OK);
    put_row(f, 1, 2, 2);
    put_row(f, 1, 2, 3); /* the same row again */
    put_row(f, 1, 0, 4); /* smaller: not a snapshot */
    struct wp_measurement m;
    wp_measurement_clear(&m);
    m.line = 5;
    m.run_label = "";
    assert_int_equal(wp_flushes_put(f, &m, false, NULL), WP_OK);
    assert_int_equal(r->n, 3); /* lines 2, 3 and 5 */
    assert_int_equal(r->line[2], 5);
    assert_int_equal(wp_flushes_finish(f, NULL), WP_OK);
    assert_int_equal(r->n, 4);
    assert_int_equal(r->line[3], 4);
    assert_int_equal(wp_flushes_stats(f).rows, 0);
    wp_flushes_free(f);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flushes_fold_many_runs_within_the_held_limit),
        cmocka_unit_test(test_flushes_past_the_limit_hand_the_oldest_on),
        cmocka_unit_test(test_flushes_repeat_and_decrease_go_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
