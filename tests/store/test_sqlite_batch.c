/* Unit tests of the SQLite backend's held-back rows (store/sqlite_batch.c) and of its
 * writer's file layer (store/sqlite_vfs.c): rows queued come out as the same rows, ids,
 * outcomes and callbacks as rows added one at a time; a commit is in the log file when it
 * returns. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"
#include "db_files.h"

/* What the callbacks were told, in order. */
struct told {
    int n;
    long line[256];
    enum wp_add_outcome outcome[256];
    long long run_id[256];
    char other[256][160];
};

static void on_done(void *ctx, const struct wp_queued *q, const struct wp_add_result *res)
{
    struct told *t = ctx;
    assert_true(t->n < 256);
    t->line[t->n] = q->line;
    t->outcome[t->n] = res->outcome;
    t->run_id[t->n] = res->run_id;
    snprintf(t->other[t->n], sizeof t->other[t->n], "%s", res->other);
    t->n++;
}

static struct wp_measurement row(long line, const char *run_id, const char *phase, double kwh)
{
    struct wp_measurement m;
    wp_measurement_clear(&m);
    m.line = line;
    m.run_label = run_id;
    m.phase = phase;
    m.energy_j = kwh * 3.6e6;
    m.started_at = "2023-09-26T19:00:09";
    m.tool_name = "codecarbon";
    m.tool_version = "2.3.1";
    m.gpu_model = "8 x NVIDIA A100-SXM4-80GB";
    return m;
}

/* A file's rows that exercise every outcome, many times over the 32 rows a batch holds:
 * new runs, further phases, the same row again, other values (conflicts, three runs of
 * one key), rows without a UUID (each a run), and rows grouped by the parser. */
struct script_row {
    const char *uid, *phase, *group;
    double kwh;
};

static size_t script(struct script_row *out, size_t max)
{
    static const char *const uids[] = {
        "36d26af7-ab55-45e4-bf35-755c5633858f", "46d26af7-ab55-45e4-bf35-755c5633858f",
        "56d26af7-ab55-45e4-bf35-755c5633858f", "66D26AF7-AB55-45E4-BF35-755C5633858F",
    };
    static const char *const phases[] = {"", "load model", "query model"};
    size_t n = 0;
    unsigned x = 7;
    for (int i = 0; i < 200 && n < max; i++) {
        x = x * 1103515245u + 12345u;
        unsigned r = (x >> 16) % 10;
        struct script_row s = {uids[(x >> 8) % 4], phases[(x >> 4) % 3], NULL,
                               0.5 + (double)((x >> 20) % 3)};
        if (r == 0)
            s.uid = "run-7"; /* not a UUID: a run of its own */
        if (r == 1) {
            s.uid = "7";
            s.group = (x >> 12) % 2 ? "g1" : "g2"; /* the parser's group of phases */
        }
        out[n++] = s;
    }
    return n;
}

/* Runs the script on a new store, queued (held back) or added one at a time; the rows
 * of the first `earlier` script rows go in a first file (stored before the rest). */
static void run_script(const char *path, bool queued, size_t earlier, struct told *t)
{
    struct wp_store *s;
    assert_int_equal(wp_store_open(path, &s, NULL), WP_OK);
    struct script_row rows[256];
    size_t n = script(rows, 256);
    long long src = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || i == earlier) {
            if (i)
                assert_int_equal(wp_store_commit(s, NULL), WP_OK);
            assert_int_equal(wp_store_begin(s, NULL), WP_OK);
            assert_int_equal(wp_store_source_new(s, i ? "b.csv" : "a.csv",
                                                 i ? "b.csv" : "a.csv", "codecarbon", &src,
                                                 NULL),
                             WP_OK);
        }
        struct wp_measurement m = row((long)i + 2, rows[i].uid, rows[i].phase, rows[i].kwh);
        if (queued) {
            assert_int_equal(wp_store_queue_measurement(s, src, &m, rows[i].group, on_done, t,
                                                        NULL),
                             WP_OK);
        } else {
            struct wp_add_result res;
            assert_int_equal(wp_store_add_measurement(s, src, &m, rows[i].group, &res, NULL),
                             WP_OK);
            struct wp_queued q = {m.line, m.run_label, m.phase, m.energy_j};
            on_done(t, &q, &res);
        }
    }
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    wp_store_close(s);
}

/* The rows of a database as text, in id order: what both ways must have stored. */
static char *dump(const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    static const char *const q[] = {
        "SELECT id, uid, experiment_id FROM run ORDER BY id",
        ("SELECT id, run_id, phase, source_file_id, line, run_label, energy_j, started_at,"
         " tool_id, hardware_id, location_id FROM measurement ORDER BY id"),
        "SELECT id, name, version FROM tool ORDER BY id",
        "SELECT id, gpu_model FROM hardware ORDER BY id",
    };
    size_t cap = 1 << 20, len = 0;
    char *out = calloc(1, cap);
    assert_non_null(out);
    for (size_t k = 0; k < sizeof q / sizeof q[0]; k++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, q[k], -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const unsigned char *v = sqlite3_column_text(st, c);
                len += (size_t)snprintf(out + len, cap - len, "%s|", v ? (const char *)v : "-");
            }
            len += (size_t)snprintf(out + len, cap - len, "\n");
            assert_true(len < cap - 256);
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

static void check_same(size_t earlier)
{
    char a[512], b[512];
    db_fresh(a, sizeof a, "batch", "one");
    db_fresh(b, sizeof b, "batch", "held");
    struct told *ta = calloc(1, sizeof *ta), *tb = calloc(1, sizeof *tb);
    assert_non_null(ta);
    assert_non_null(tb);
    run_script(a, false, earlier, ta);
    run_script(b, true, earlier, tb);
    char wal[600]; /* closed whole: every statement finalized, the log checkpointed away */
    snprintf(wal, sizeof wal, "%s-wal", b);
    assert_int_not_equal(access(wal, F_OK), 0);
    assert_int_equal(ta->n, tb->n);
    int kinds[4] = {0};
    for (int i = 0; i < ta->n; i++) {
        assert_int_equal(ta->line[i], tb->line[i]);
        assert_int_equal(ta->outcome[i], tb->outcome[i]);
        assert_int_equal(ta->run_id[i], tb->run_id[i]);
        assert_string_equal(ta->other[i], tb->other[i]);
        kinds[ta->outcome[i]]++;
    }
    for (int k = 0; k < 4; k++) /* the script meets every outcome */
        assert_true(kinds[k] > 0);
    char *da = dump(a), *db = dump(b);
    assert_string_equal(da, db);
    free(da);
    free(db);
    free(ta);
    free(tb);
    db_remove(a);
    db_remove(b);
}

static void test_batch_stores_the_rows_ids_and_outcomes_of_one_row_at_a_time(void **state)
{
    (void)state;
    check_same(0);
}

static void test_batch_rows_whose_runs_an_earlier_file_stored_join_them_alike(void **state)
{
    (void)state;
    check_same(37); /* the second file's keys are in the database before its rows */
}

static int count(void *ctx, const struct wp_run_row *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

/* An in-memory store inside a transaction, with one source file a.csv (*src its id). */
static struct wp_store *open_with_source(long long *src)
{
    struct wp_store *s;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_source_new(s, "a.csv", "a.csv", "codecarbon", src, NULL), WP_OK);
    return s;
}

static void test_batch_rows_held_back_are_stored_before_any_other_statement(void **state)
{
    (void)state;
    long long src;
    struct wp_store *s = open_with_source(&src);
    struct told t = {0};
    struct wp_measurement m = row(2, "36d26af7-ab55-45e4-bf35-755c5633858f", "", 0.5);
    assert_int_equal(wp_store_queue_measurement(s, src, &m, NULL, on_done, &t, NULL), WP_OK);
    struct wp_measurement q = row(3, "46d26af7-ab55-45e4-bf35-755c5633858f", "", 0.5);
    assert_int_equal(wp_store_queue_measurement(s, src, &q, NULL, on_done, &t, NULL), WP_OK);
    assert_int_equal(t.n, 0); /* held */
    int runs = 0;
    assert_int_equal(wp_store_each_run(s, &(struct wp_run_filter){0}, count, &runs, NULL),
                     WP_OK);
    assert_int_equal(runs, 2);
    assert_int_equal(t.n, 2); /* told, in order, when stored */
    assert_int_equal(t.line[0], 2);
    assert_int_equal(t.line[1], 3);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    wp_store_close(s);
}

static void test_batch_rollback_forgets_the_rows_held_without_telling(void **state)
{
    (void)state;
    long long src;
    struct wp_store *s = open_with_source(&src);
    struct told t = {0};
    struct wp_measurement m = row(2, "36d26af7-ab55-45e4-bf35-755c5633858f", "", 0.5);
    assert_int_equal(wp_store_queue_measurement(s, src, &m, NULL, on_done, &t, NULL), WP_OK);
    wp_store_rollback(s);
    assert_int_equal(t.n, 0);
    struct wp_store_counts n;
    assert_int_equal(wp_store_counts(s, &n, NULL), WP_OK);
    assert_int_equal(n.measurements, 0);
    assert_int_equal(n.runs, 0);
    assert_int_equal(t.n, 0);
    wp_store_close(s);
}

static void test_batch_a_row_too_large_to_hold_goes_alone_in_its_turn(void **state)
{
    (void)state;
    long long src;
    struct wp_store *s = open_with_source(&src);
    struct told t = {0};
    struct wp_measurement a = row(2, "36d26af7-ab55-45e4-bf35-755c5633858f", "", 0.5);
    assert_int_equal(wp_store_queue_measurement(s, src, &a, NULL, on_done, &t, NULL), WP_OK);
    size_t big = 200000;
    char *value = malloc(big + 1);
    assert_non_null(value);
    memset(value, 'x', big);
    value[big] = '\0';
    const char *keys[] = {"note"}, *values[] = {value};
    struct wp_measurement b = row(3, "46d26af7-ab55-45e4-bf35-755c5633858f", "", 0.5);
    b.n_extra = 1;
    b.extra_keys = keys;
    b.extra_values = values;
    assert_int_equal(wp_store_queue_measurement(s, src, &b, NULL, on_done, &t, NULL), WP_OK);
    free(value);
    struct wp_measurement c = row(4, "36d26af7-ab55-45e4-bf35-755c5633858f", "query", 0.5);
    assert_int_equal(wp_store_queue_measurement(s, src, &c, NULL, on_done, &t, NULL), WP_OK);
    assert_int_equal(wp_store_flush(s, NULL), WP_OK);
    assert_int_equal(t.n, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(t.line[i], 2 + i);
    assert_int_equal(t.run_id[0], 1);
    assert_int_equal(t.run_id[1], 2);
    assert_int_equal(t.outcome[2], WP_ADD_JOINED);
    assert_int_equal(t.run_id[2], 1);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    wp_store_close(s);
}

/* Without the writes gathered for the log going out at the commit's barrier, another
 * connection (another process) would find the commit's header and not its frames. */
static void test_vfs_a_commit_is_in_the_log_when_it_returns(void **state)
{
    (void)state;
    char path[512];
    db_fresh(path, sizeof path, "batch", "vfs");
    struct wp_store *s;
    assert_int_equal(wp_store_open(path, &s, NULL), WP_OK);
    sqlite3 *other;
    assert_int_equal(sqlite3_open_v2(path, &other, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(wp_store_begin(s, NULL), WP_OK);
        long long src;
        char name[32];
        snprintf(name, sizeof name, "f%d.csv", k);
        assert_int_equal(wp_store_source_new(s, name, name, "codecarbon", &src, NULL), WP_OK);
        struct told t = {0};
        for (int i = 0; i < 40; i++) {
            char uid[64];
            snprintf(uid, sizeof uid, "%08d-ab55-45e4-bf35-755c5633858f", k * 100 + i);
            struct wp_measurement m = row(2 + i, uid, "", 0.5);
            assert_int_equal(wp_store_queue_measurement(s, src, &m, NULL, on_done, &t, NULL),
                             WP_OK);
        }
        assert_int_equal(wp_store_commit(s, NULL), WP_OK);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(other, "SELECT COUNT(*) FROM measurement", -1, &st,
                                            NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 40 * (k + 1));
        sqlite3_finalize(st);
    }
    sqlite3_close(other);
    wp_store_close(s);
    unlink(path);
}

/* The file layer a store registered (sqlite_vfs.c): "wattprint-..." */
static sqlite3_vfs *store_vfs(void)
{
    for (sqlite3_vfs *v = sqlite3_vfs_find(NULL); v; v = v->pNext)
        if (strncmp(v->zName, "wattprint-", 10) == 0)
            return v;
    return NULL;
}

/* A statement journal that outgrows memory (1 MiB, set in sqlite.c) is spilled to a file
 * in one write of that size, larger than SQLite's unix layer writes in one call: without
 * the writes in parts, "database or disk is full".  4 MiB here, to be sure. */
static void test_vfs_a_statement_journal_that_outgrows_memory_is_written(void **state)
{
    (void)state;
    char path[512];
    db_fresh(path, sizeof path, "batch", "store");
    struct wp_store *s;
    assert_int_equal(wp_store_open(path, &s, NULL), WP_OK);
    sqlite3_vfs *v = store_vfs();
    assert_non_null(v);
    sqlite3_file *f = calloc(1, (size_t)v->szOsFile);
    int n = 4 << 20, out = 0;
    unsigned char *in = malloc((size_t)n), *back = malloc((size_t)n);
    assert_non_null(f);
    assert_non_null(in);
    assert_non_null(back);
    for (int i = 0; i < n; i++)
        in[i] = (unsigned char)(i * 7 + i / 4096);
    assert_int_equal(v->xOpen(v, NULL, f,
                              SQLITE_OPEN_SUBJOURNAL | SQLITE_OPEN_READWRITE |
                                  SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE |
                                  SQLITE_OPEN_DELETEONCLOSE,
                              &out),
                     SQLITE_OK);
    assert_int_equal(f->pMethods->xWrite(f, in, n - 12, 0), SQLITE_OK);
    assert_int_equal(f->pMethods->xRead(f, back, n - 12, 0), SQLITE_OK);
    assert_memory_equal(in, back, (size_t)n - 12);
    f->pMethods->xClose(f);
    free(f);
    free(in);
    free(back);
    wp_store_close(s);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_stores_the_rows_ids_and_outcomes_of_one_row_at_a_time),
        cmocka_unit_test(test_batch_rows_whose_runs_an_earlier_file_stored_join_them_alike),
        cmocka_unit_test(test_batch_rows_held_back_are_stored_before_any_other_statement),
        cmocka_unit_test(test_batch_rollback_forgets_the_rows_held_without_telling),
        cmocka_unit_test(test_batch_a_row_too_large_to_hold_goes_alone_in_its_turn),
        cmocka_unit_test(test_vfs_a_commit_is_in_the_log_when_it_returns),
        cmocka_unit_test(test_vfs_a_statement_journal_that_outgrows_memory_is_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
