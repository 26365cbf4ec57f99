/* Unit tests of the SQLite backend's upkeep of its index of runs by experiment during a
 * labelling pass (store/sqlite.c: label_many and label_later).  A pass that moves a
 * quarter of the runs (at least 1,024) to other experiments drops the run_experiment
 * index at the next piece's boundary and builds it again at its end; a pass that reads
 * every run and moves few keeps it (building it again sorts every run: 0.17 s of a 0.7 s
 * ingest of one file with its manifest into 300,000 runs); a rollback brings it back and
 * the next pass starts counting afresh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "store/sqlite_int.h"
#include "store/store.h"
#include "db_files.h"

#define RUNS 3000 /* a quarter is under 1,024: the pass drops at 1,024 moved */

static char path[512];

static void fresh(void)
{
    db_fresh(path, sizeof path, "labels", "pass");
}

/* A database of RUNS runs without labels, ids 1..RUNS; the store left open. */
static struct wp_store *runs(void)
{
    fresh();
    struct wp_store *s;
    assert_int_equal(wp_store_open(path, &s, NULL), WP_OK);
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    long long src;
    assert_int_equal(wp_store_source_new(s, "a.csv", "a.csv", "codecarbon", &src, NULL), WP_OK);
    for (int i = 0; i < RUNS; i++) {
        char uid[64];
        snprintf(uid, sizeof uid, "00000000-0000-4000-8000-%012d", i);
        struct wp_measurement m;
        wp_measurement_clear(&m);
        m.line = i + 2;
        m.run_label = uid;
        m.energy_j = 3600.0;
        struct wp_add_result res;
        assert_int_equal(wp_store_add_measurement(s, src, &m, NULL, &res, NULL), WP_OK);
        assert_int_equal(res.run_id, i + 1);
    }
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    return s;
}

/* Labels runs from .. to with model `model` (task t, dataset d), as a pass that read them
 * with no experiment would. */
static void label(struct wp_store *s, long long from, long long to, const char *model)
{
    struct wp_labels l = {.model = model, .task = "t", .dataset = "d", .inferences = 1000,
                          .is_current_known = true};
    for (long long id = from; id <= to; id++)
        assert_int_equal(wp_store_label_run(s, id, &l, NULL), WP_OK);
}

/* Whether the index is in the committed database, and the runs of each model there. */
static bool index_there(long long *n_a, long long *n_b)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT COUNT(*) FROM sqlite_master"
                                            " WHERE name = 'run_experiment'),"
                                            " (SELECT COUNT(*) FROM run r JOIN experiment e"
                                            "  ON e.id = r.experiment_id JOIN model m"
                                            "  ON m.id = e.model_id WHERE m.name = 'a'),"
                                            " (SELECT COUNT(*) FROM run r JOIN experiment e"
                                            "  ON e.id = r.experiment_id JOIN model m"
                                            "  ON m.id = e.model_id WHERE m.name = 'b'),"
                                            " (SELECT integrity_check FROM"
                                            "  pragma_integrity_check)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    bool there = sqlite3_column_int(st, 0) == 1;
    *n_a = sqlite3_column_int64(st, 1);
    *n_b = sqlite3_column_int64(st, 2);
    assert_string_equal((const char *)sqlite3_column_text(st, 3), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
    return there;
}

static void test_a_pass_that_moves_few_runs_keeps_the_index(void **state)
{
    (void)state;
    struct wp_store *s = runs();
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_label_many(s, true, NULL), WP_OK);
    label(s, 1, 1000, "a");
    assert_int_equal(wp_store_label_many(s, true, NULL), WP_OK); /* between pieces */
    assert_null(wp_sq_of(s)->deferred_index);
    label(s, 1001, 1023, "b");
    assert_int_equal(wp_store_label_many(s, true, NULL), WP_OK);
    assert_null(wp_sq_of(s)->deferred_index); /* 1,023 moved: one short */
    assert_int_equal(wp_store_label_many(s, false, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    wp_store_close(s);
    long long a, b;
    assert_true(index_there(&a, &b));
    assert_int_equal(a, 1000);
    assert_int_equal(b, 23);
}

static void test_a_pass_that_moves_many_runs_drops_the_index_and_builds_it_after(void **state)
{
    (void)state;
    struct wp_store *s = runs();
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_label_many(s, true, NULL), WP_OK);
    label(s, 1, 1024, "a");
    assert_null(wp_sq_of(s)->deferred_index); /* not inside a piece */
    assert_int_equal(wp_store_label_many(s, true, NULL), WP_OK);
    assert_non_null(wp_sq_of(s)->deferred_index);
    label(s, 1025, RUNS, "b");
    assert_int_equal(wp_store_label_many(s, true, NULL), WP_OK); /* dropped once */
    assert_int_equal(wp_store_label_many(s, false, NULL), WP_OK);
    assert_null(wp_sq_of(s)->deferred_index);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    wp_store_close(s);
    long long a, b;
    assert_true(index_there(&a, &b));
    assert_int_equal(a, 1024);
    assert_int_equal(b, RUNS - 1024);
}

static void test_a_rollback_brings_the_index_back_and_the_next_pass_counts_afresh(void **state)
{
    (void)state;
    struct wp_store *s = runs();
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_label_many(s, true, NULL), WP_OK);
    label(s, 1, 2000, "a");
    assert_int_equal(wp_store_label_many(s, true, NULL), WP_OK);
    assert_non_null(wp_sq_of(s)->deferred_index);
    wp_store_rollback(s);
    assert_null(wp_sq_of(s)->deferred_index);
    /* the next pass moves 1,000: under 1,024 counted from its own start */
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_label_many(s, true, NULL), WP_OK);
    label(s, 1, 1000, "b");
    assert_int_equal(wp_store_label_many(s, true, NULL), WP_OK);
    assert_null(wp_sq_of(s)->deferred_index);
    assert_int_equal(wp_store_label_many(s, false, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    wp_store_close(s);
    long long a, b;
    assert_true(index_there(&a, &b));
    assert_int_equal(a, 0);
    assert_int_equal(b, 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_pass_that_moves_few_runs_keeps_the_index),
        cmocka_unit_test(test_a_pass_that_moves_many_runs_drops_the_index_and_builds_it_after),
        cmocka_unit_test(test_a_rollback_brings_the_index_back_and_the_next_pass_counts_afresh),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    fresh();
    return rc;
}
