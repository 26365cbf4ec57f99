/* Unit tests of the store's domain rules (store_write.c, store_label.c) on both backends:
 * every test runs on an in-memory SQLite database and, when WP_PG_URI names a PostgreSQL
 * database (tests/e2e/store_backends.sh starts a throwaway server and sets it), again on
 * that server, emptied before each test.  Run identity (joined, duplicate, conflict), the
 * queued path against the row-at-a-time one, labelling and its side effects, versions of a
 * file, a file's end checks (content, copy), dropping a file, token counts, what a rollback forgets, a manifest's rules saved
 * and put back, and a run labeller's commit hooks. */
#include <libpq-fe.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"

static const char *pg_uri(void)
{
    const char *u = getenv("WP_PG_URI");
    return u && *u ? u : NULL;
}

static int open_sqlite(void **state)
{
    struct wp_store *s;
    if (wp_store_open(":memory:", &s, NULL) != WP_OK)
        return -1;
    *state = s;
    return 0;
}

/* A fresh server database: the public schema dropped, then migrated by the open. */
static int open_pg(void **state)
{
    PGconn *c = PQconnectdb(pg_uri());
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "cannot connect: %s", PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    PGresult *r = PQexec(c, "SET client_min_messages = warning;"
                            " DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(stderr, "cannot empty the database: %s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    struct wp_store *s;
    struct wp_diag d = {0};
    if (!ok || wp_store_open(pg_uri(), &s, &d) != WP_OK) {
        fprintf(stderr, "cannot open: %s\n", d.msg);
        return -1;
    }
    *state = s;
    return 0;
}

static int close_store(void **state)
{
    wp_store_close(*state);
    return 0;
}

static const char *uuid = "36d26af7-ab55-45e4-bf35-755c5633858f";

static long long new_source(struct wp_store *s, const char *name)
{
    long long id;
    assert_int_equal(wp_store_source_new(s, name, name, "codecarbon", &id, NULL), WP_OK);
    return id;
}

static struct wp_measurement row(const char *run_id, const char *phase, double energy_j,
                                 long line)
{
    struct wp_measurement m;
    wp_measurement_clear(&m);
    m.line = line;
    m.run_label = run_id;
    m.phase = phase;
    m.energy_j = energy_j;
    m.duration_s = 10;
    m.started_at = "2024-01-02T03:04:05";
    m.tool_name = "codecarbon";
    m.tool_version = "2.3.1";
    m.gpu_model = "8 x NVIDIA A100-SXM4-80GB";
    m.gpu_count = 8;
    m.country_iso_code = "USA";
    return m;
}

static struct wp_store_counts counts(struct wp_store *s)
{
    struct wp_store_counts n;
    assert_int_equal(wp_store_counts(s, &n, NULL), WP_OK);
    return n;
}

static void test_a_run_joins_by_phase_repeats_as_duplicate_and_conflicts_on_other_values(
    void **state)
{
    struct wp_store *s = *state;
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    long long a = new_source(s, "a.csv"), b = new_source(s, "b.csv");
    struct wp_add_result r, first;
    struct wp_measurement m = row(uuid, "", 1000, 2);
    assert_int_equal(wp_store_add_measurement(s, a, &m, NULL, &first, NULL), WP_OK);
    assert_int_equal(first.outcome, WP_ADD_NEW);
    assert_true(first.run_id > 0);
    /* the same values again, from another file: the measurement already held */
    m.line = 7;
    assert_int_equal(wp_store_add_measurement(s, b, &m, NULL, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_ADD_DUPLICATE);
    assert_string_equal(r.other, "a.csv:2");
    assert_int_equal(r.run_id, first.run_id);
    /* another phase joins the run */
    struct wp_measurement q = row(uuid, "query model", 300, 3);
    assert_int_equal(wp_store_add_measurement(s, b, &q, NULL, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_ADD_JOINED);
    assert_int_equal(r.run_id, first.run_id);
    /* the run id in upper case is the same run */
    char upper[64];
    snprintf(upper, sizeof upper, "%s", uuid);
    for (char *c = upper; *c; c++)
        if (*c >= 'a' && *c <= 'z')
            *c = (char)(*c - 'a' + 'A');
    struct wp_measurement u = row(upper, "query model", 300, 4);
    assert_int_equal(wp_store_add_measurement(s, b, &u, NULL, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_ADD_DUPLICATE);
    assert_string_equal(r.other, "b.csv:3");
    /* other values of a phase held: a conflict, stored in a run of its own */
    struct wp_measurement c = row(uuid, "", 1001, 9);
    assert_int_equal(wp_store_add_measurement(s, b, &c, NULL, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_ADD_CONFLICT);
    assert_string_equal(r.other, "a.csv:2");
    assert_true(r.run_id != first.run_id);
    /* an unknown number equals an unknown number: a duplicate of the conflicting one */
    assert_int_equal(wp_store_add_measurement(s, a, &c, NULL, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_ADD_DUPLICATE);
    assert_string_equal(r.other, "b.csv:9");
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    struct wp_store_counts n = counts(s);
    assert_int_equal(n.runs, 2);
    assert_int_equal(n.measurements, 3);
}

static void test_a_run_id_that_is_no_uuid_joins_only_through_the_files_group_key(void **state)
{
    struct wp_store *s = *state;
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    long long a = new_source(s, "a.csv");
    struct wp_add_result r1, r2, r3;
    struct wp_measurement m = row("run-1", "", 5, 2);
    assert_int_equal(wp_store_add_measurement(s, a, &m, NULL, &r1, NULL), WP_OK);
    assert_int_equal(wp_store_add_measurement(s, a, &m, NULL, &r2, NULL), WP_OK);
    assert_int_equal(r2.outcome, WP_ADD_NEW); /* no identity: a run of its own */
    assert_true(r1.run_id != r2.run_id);
    struct wp_measurement p1 = row("run-1", "load", 5, 3), p2 = row("run-1", "infer", 6, 4);
    assert_int_equal(wp_store_add_measurement(s, a, &p1, "g1", &r1, NULL), WP_OK);
    assert_int_equal(wp_store_add_measurement(s, a, &p2, "g1", &r2, NULL), WP_OK);
    assert_int_equal(r2.outcome, WP_ADD_JOINED);
    assert_int_equal(r1.run_id, r2.run_id);
    assert_int_equal(wp_store_add_measurement(s, a, &p2, "g2", &r3, NULL), WP_OK);
    assert_int_equal(r3.outcome, WP_ADD_NEW);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    assert_int_equal(counts(s).runs, 4);
}

/* What a queued measurement's callback was told. */
struct told {
    struct wp_add_result res[16];
    long line[16];
    int n;
};

static void on_done(void *ctx, const struct wp_queued *q, const struct wp_add_result *res)
{
    struct told *t = ctx;
    if (t->n < 16) {
        t->res[t->n] = *res;
        t->line[t->n] = q->line;
        t->n++;
    }
}

/* The queued path (a backend's batch) decides as the row-at-a-time path does, also
 * against rows of the same batch and rows stored before it. */
static void test_queued_measurements_get_the_outcomes_of_the_row_at_a_time_path(void **state)
{
    struct wp_store *s = *state;
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    long long a = new_source(s, "a.csv");
    struct wp_add_result r;
    struct wp_measurement held = row(uuid, "", 1000, 2);
    assert_int_equal(wp_store_add_measurement(s, a, &held, NULL, &r, NULL), WP_OK);
    long long b = new_source(s, "b.csv");
    struct wp_measurement v[] = {
        row(uuid, "", 1000, 2),                                   /* duplicate of a.csv */
        row(uuid, "query model", 1, 3),                           /* joins */
        row(uuid, "", 999, 4),                                    /* conflict */
        row("0b7e9f52-2ad0-4c55-8e0e-8d8f1c2a9f10", "", 7, 5),    /* new */
        row("0b7e9f52-2ad0-4c55-8e0e-8d8f1c2a9f10", "", 7, 6),    /* duplicate in the batch */
        row("0b7e9f52-2ad0-4c55-8e0e-8d8f1c2a9f10", "load", 2, 7), /* joins it */
    };
    struct told t = {.n = 0};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        assert_int_equal(wp_store_queue_measurement(s, b, &v[i], NULL, on_done, &t, NULL), WP_OK);
    assert_int_equal(wp_store_flush(s, NULL), WP_OK);
    assert_int_equal(t.n, 6);
    const enum wp_add_outcome want[] = {WP_ADD_DUPLICATE, WP_ADD_JOINED, WP_ADD_CONFLICT,
                                        WP_ADD_NEW, WP_ADD_DUPLICATE, WP_ADD_JOINED};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(t.line[i], v[i].line);
        assert_int_equal(t.res[i].outcome, want[i]);
    }
    assert_string_equal(t.res[0].other, "a.csv:2");
    assert_int_equal(t.res[0].run_id, r.run_id);
    assert_int_equal(t.res[1].run_id, r.run_id);
    assert_string_equal(t.res[2].other, "a.csv:2");
    assert_string_equal(t.res[4].other, "b.csv:5");
    assert_int_equal(t.res[5].run_id, t.res[3].run_id);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    struct wp_store_counts n = counts(s);
    assert_int_equal(n.runs, 3);
    assert_int_equal(n.measurements, 5);
}

struct exps {
    struct wp_experiment_row e[8];
    char text[8][4][64];
    int n;
};

static int on_experiment(void *ctx, const struct wp_experiment_row *r)
{
    struct exps *x = ctx;
    if (x->n < 8) {
        x->e[x->n] = *r;
        const char *t[4] = {r->model, r->task, r->dataset, r->purpose};
        for (int i = 0; i < 4; i++)
            snprintf(x->text[x->n][i], 64, "%s", t[i]);
        x->n++;
    }
    return 0;
}

static void test_labels_share_one_experiment_and_set_the_models_figures(void **state)
{
    struct wp_store *s = *state;
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    long long a = new_source(s, "a.csv");
    struct wp_add_result r1, r2, r3;
    struct wp_measurement m1 = row("11111111-1111-4111-8111-111111111111", "", 1, 2);
    struct wp_measurement m2 = row("22222222-2222-4222-8222-222222222222", "", 2, 3);
    struct wp_measurement m3 = row("33333333-3333-4333-8333-333333333333", "", 3, 4);
    assert_int_equal(wp_store_add_measurement(s, a, &m1, NULL, &r1, NULL), WP_OK);
    assert_int_equal(wp_store_add_measurement(s, a, &m2, NULL, &r2, NULL), WP_OK);
    assert_int_equal(wp_store_add_measurement(s, a, &m3, NULL, &r3, NULL), WP_OK);
    const char *keys[] = {"purpose"}, *vals[] = {"baseline"};
    struct wp_labels l = {.model = "bert-base", .task = "text classification",
                          .dataset = "imdb", .batch_size = 8, .parameters = 110000000,
                          .training_energy_j = NAN, .n_attr = 1, .attr_keys = keys,
                          .attr_values = vals};
    assert_int_equal(wp_store_label_run(s, r1.run_id, &l, NULL), WP_OK);
    assert_int_equal(wp_store_label_run(s, r2.run_id, &l, NULL), WP_OK);
    struct wp_labels other = l;
    other.dataset = "sst2";
    other.n_attr = 0;
    other.parameters = 0;
    other.training_energy_j = 3.6e9;
    assert_int_equal(wp_store_label_run(s, r3.run_id, &other, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    struct exps x = {.n = 0};
    assert_int_equal(wp_store_each_experiment(s, on_experiment, &x, NULL), WP_OK);
    assert_int_equal(x.n, 2);
    assert_string_equal(x.text[0][0], "bert-base");
    assert_string_equal(x.text[0][2], "imdb");
    assert_string_equal(x.text[0][3], "baseline");
    assert_int_equal(x.e[0].batch_size, 8);
    assert_string_equal(x.text[1][2], "sst2");
    assert_string_equal(x.text[1][3], "");
    /* the model's figures, from whichever label gave them */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(x.e[i].parameters, 110000000);
        assert_true(x.e[i].training_energy_j == 3.6e9);
    }
    assert_int_equal(counts(s).unlabeled_runs, 0);
    /* all-empty labels clear a run's experiment */
    struct wp_labels none = {.training_energy_j = NAN};
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_label_run(s, r3.run_id, &none, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    assert_int_equal(counts(s).unlabeled_runs, 1);
}

/* Labels that give one model and experiment other figures and attributes, taking turns:
 * each label writes what differs from the last one written for that model or
 * experiment (store_label.c remembers it), so the last label applied wins, whatever came
 * in between; and again in the next transaction. */
static void test_labels_taking_turns_leave_the_last_ones_figures(void **state)
{
    struct wp_store *s = *state;
    const char *keys[] = {"purpose"}, *va[] = {"a"}, *vb[] = {"b"};
    struct wp_labels la = {.model = "m", .task = "t", .dataset = "d", .parameters = 100,
                           .training_energy_j = NAN, .n_attr = 1, .attr_keys = keys,
                           .attr_values = va};
    struct wp_labels lb = la;
    lb.parameters = 200;
    lb.attr_values = vb;
    const struct wp_labels *turns[2][3] = {{&la, &lb, &la}, {&lb, &la, &lb}};
    const char *uids[2][3] = {{"11111111-1111-4111-8111-111111111111",
                               "22222222-2222-4222-8222-222222222222",
                               "33333333-3333-4333-8333-333333333333"},
                              {"44444444-4444-4444-8444-444444444444",
                               "55555555-5555-4555-8555-555555555555",
                               "66666666-6666-4666-8666-666666666666"}};
    for (int t = 0; t < 2; t++) {
        assert_int_equal(wp_store_begin(s, NULL), WP_OK);
        long long src = new_source(s, t ? "b.csv" : "a.csv");
        for (int i = 0; i < 3; i++) {
            struct wp_add_result r;
            struct wp_measurement m = row(uids[t][i], "", 1 + i, 2 + i);
            assert_int_equal(wp_store_add_measurement(s, src, &m, NULL, &r, NULL), WP_OK);
            assert_int_equal(wp_store_label_run(s, r.run_id, turns[t][i], NULL), WP_OK);
        }
        assert_int_equal(wp_store_commit(s, NULL), WP_OK);
        struct exps x = {.n = 0};
        assert_int_equal(wp_store_each_experiment(s, on_experiment, &x, NULL), WP_OK);
        assert_int_equal(x.n, 1);
        assert_int_equal(x.e[0].parameters, t ? 200 : 100);
        assert_string_equal(x.text[0][3], t ? "b" : "a");
    }
}

/* A rollback removes rows whose ids the store remembered (dimension rows, names,
 * experiments): the next transaction must not use them. */
static void test_a_rollback_forgets_the_ids_it_took_away(void **state)
{
    struct wp_store *s = *state;
    struct wp_add_result r;
    struct wp_labels l = {.model = "m", .task = "t", .dataset = "d",
                          .training_energy_j = NAN};
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    long long a = new_source(s, "a.csv");
    struct wp_measurement m = row(uuid, "", 1, 2);
    assert_int_equal(wp_store_add_measurement(s, a, &m, NULL, &r, NULL), WP_OK);
    assert_int_equal(wp_store_label_run(s, r.run_id, &l, NULL), WP_OK);
    wp_store_rollback(s);
    assert_int_equal(counts(s).runs, 0);
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    a = new_source(s, "a.csv");
    struct wp_diag d = {0};
    assert_int_equal(wp_store_add_measurement(s, a, &m, NULL, &r, &d), WP_OK);
    assert_int_equal(r.outcome, WP_ADD_NEW);
    assert_int_equal(wp_store_label_run(s, r.run_id, &l, &d), WP_OK);
    assert_int_equal(wp_store_commit(s, &d), WP_OK);
    struct exps x = {.n = 0};
    assert_int_equal(wp_store_each_experiment(s, on_experiment, &x, NULL), WP_OK);
    assert_int_equal(x.n, 1);
    assert_string_equal(x.text[0][0], "m");
    assert_int_equal(counts(s).unlabeled_runs, 0);
}

static void test_versions_of_a_file_are_found_by_path_and_by_content(void **state)
{
    struct wp_store *s = *state;
    const char *h1 = "1111111111111111111111111111111111111111111111111111111111111111";
    const char *h2 = "2222222222222222222222222222222222222222222222222222222222222222";
    struct wp_prior_file p;
    assert_int_equal(wp_store_find_prior(s, "logs/a.csv", &p, NULL), WP_OK);
    assert_false(p.found);
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    long long id = new_source(s, "logs/a.csv");
    struct wp_source_done done = {.sha256 = h1, .prefix_sha256 = h1, .size_bytes = 100,
                                 .consumed_bytes = 90, .rows_added = 3, .rows_rejected = 1};
    assert_int_equal(wp_store_source_finish(s, id, &done, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    bool found;
    assert_int_equal(wp_store_has_content(s, h1, &found, NULL), WP_OK);
    assert_true(found);
    assert_int_equal(wp_store_has_content(s, h2, &found, NULL), WP_OK);
    assert_false(found);
    assert_int_equal(wp_store_find_prior(s, "logs/a.csv", &p, NULL), WP_OK);
    assert_true(p.found);
    assert_int_equal(p.source_id, id);
    assert_int_equal(p.size_bytes, 100);
    assert_int_equal(p.consumed_bytes, 90);
    assert_string_equal(p.sha256, h1);
    /* an appended version: the same source, a second version */
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    struct wp_source_done more = {.sha256 = h2, .prefix_sha256 = h1, .size_bytes = 150,
                                 .consumed_bytes = 150, .rows_added = 2};
    assert_int_equal(wp_store_source_finish(s, id, &more, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    assert_int_equal(wp_store_has_content(s, h2, &found, NULL), WP_OK);
    assert_true(found);
    assert_int_equal(wp_store_find_prior(s, "logs/a.csv", &p, NULL), WP_OK);
    assert_int_equal(p.size_bytes, 150);
    assert_string_equal(p.prefix_sha256, h1);
}

/* A version of source `path` with content hash sha and rows hash rows (NULL: none). */
static void version(struct wp_store *s, const char *path, const char *sha, const char *rows)
{
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    long long id = new_source(s, path);
    struct wp_source_done done = {.sha256 = sha, .prefix_sha256 = sha, .rows_sha256 = rows,
                                 .size_bytes = 100, .consumed_bytes = 100, .rows_added = 1};
    assert_int_equal(wp_store_source_finish(s, id, &done, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
}

/* A version of source `path` whose rows count is n, first two rows head and rows hash
 * complete (the rows hash rows). */
static void version_head(struct wp_store *s, const char *path, const char *sha,
                         const char *rows, const char *head, long long n)
{
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    long long id = new_source(s, path);
    struct wp_source_done done = {.sha256 = sha, .prefix_sha256 = sha, .rows_sha256 = rows,
                                  .head_sum = head, .rows_count = n, .complete_sha256 = rows,
                                  .size_bytes = 100, .consumed_bytes = 100, .rows_added = 1};
    assert_int_equal(wp_store_source_finish(s, id, &done, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
}

/* One log at two lengths: the versions of other files with a file's first two rows, the
 * longest first (the newest first among as long); not its own path's, not those with
 * another head, not one stored without a head or with one row.  The end checks say whether
 * to look (a version with that head and another count), and a head seen at all is known
 * cheaply. */
static void test_the_versions_a_file_may_have_grown_from_are_found_by_its_head(void **state)
{
    struct wp_store *s = *state;
    char sha[8][65], rows[8][65];
    for (int i = 0; i < 8; i++) {
        memset(sha[i], 'a' + i, 64);
        sha[i][64] = '\0';
        memset(rows[i], '0' + i, 64);
        rows[i][64] = '\0';
    }
    const char *head = "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh";
    const char *other = "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo";
    const char *x = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    bool found = true;
    assert_int_equal(wp_store_head_seen(s, head, &found, NULL), WP_OK);
    assert_false(found);
    version_head(s, "a.csv", sha[0], rows[0], head, 5);
    version_head(s, "b.csv", sha[1], rows[1], head, 9);
    version_head(s, "c.csv", sha[2], rows[2], head, 12);
    version_head(s, "d.csv", sha[3], rows[3], other, 4);   /* another head */
    version_head(s, "new.csv", sha[4], rows[4], head, 3);  /* the file's own path */
    version_head(s, "e.csv", sha[5], rows[5], NULL, 4);    /* no head: not stored */
    version_head(s, "f.csv", sha[6], rows[6], head, 1);    /* one row: no head stored */
    version_head(s, "g.csv", sha[7], rows[7], head, 5);    /* as long as a.csv, newer */
    assert_int_equal(wp_store_head_seen(s, head, &found, NULL), WP_OK);
    assert_true(found);
    assert_int_equal(wp_store_head_seen(s, x, &found, NULL), WP_OK);
    assert_false(found);
    struct wp_grown_from v[8];
    size_t n = 99;
    assert_int_equal(wp_store_grown_from(s, head, "new.csv", v, 8, &n, NULL), WP_OK);
    assert_int_equal(n, 4);
    assert_int_equal(v[0].rows_count, 12);
    assert_string_equal(v[0].path, "c.csv");
    assert_string_equal(v[0].complete_sha256, rows[2]);
    assert_true(strlen(v[0].ingested_at) >= 20);
    assert_int_equal(v[1].rows_count, 9);
    assert_string_equal(v[2].path, "g.csv"); /* the newest first among as long */
    assert_string_equal(v[3].path, "a.csv");
    /* at most max */
    assert_int_equal(wp_store_grown_from(s, head, "x.csv", v, 2, &n, NULL), WP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[1].rows_count, 9);
    assert_int_equal(wp_store_grown_from(s, other, "d.csv", v, 8, &n, NULL), WP_OK);
    assert_int_equal(n, 0);
    /* the end checks (standard input): a version with that head and another count */
    bool seen, grown;
    struct wp_rows_copy c;
    assert_int_equal(wp_store_file_seen(s, x, x, x, head, 12, &seen, &c, &grown, NULL), WP_OK);
    assert_true(grown);
    assert_false(seen);
    assert_false(c.found); /* not a copy */
    assert_int_equal(wp_store_file_seen(s, x, x, x, other, 4, &seen, &c, &grown, NULL), WP_OK);
    assert_false(grown);
    assert_int_equal(wp_store_file_seen(s, x, x, x, NULL, 100, &seen, &c, &grown, NULL), WP_OK);
    assert_false(grown);
}

/* The end checks of a file in one statement: the content seen wins over a copy, a copy by
 * its rows hash over one by the hash of before schema 7, and the first version of those
 * rows is the one named. */
static void test_a_files_end_checks_find_content_then_rows_then_the_old_rows_hash(void **state)
{
    struct wp_store *s = *state;
    const char *h[5] = {
        "1111111111111111111111111111111111111111111111111111111111111111",
        "2222222222222222222222222222222222222222222222222222222222222222",
        "3333333333333333333333333333333333333333333333333333333333333333",
        "4444444444444444444444444444444444444444444444444444444444444444",
        "5555555555555555555555555555555555555555555555555555555555555555",
    };
    bool seen = true, grown = true;
    struct wp_rows_copy c;
    assert_int_equal(wp_store_file_seen(s, h[0], h[1], h[2], NULL, 0, &seen, &c, &grown, NULL), WP_OK);
    assert_false(grown);
    assert_false(seen);
    assert_false(c.found);
    version(s, "a.csv", h[0], h[1]); /* rows h1 first in a.csv */
    version(s, "b.csv", h[3], h[1]); /* then in b.csv */
    version(s, "c.csv", h[4], h[2]); /* rows h2 (a hash of before schema 7) */
    /* content seen: unchanged, whatever the rows */
    assert_int_equal(wp_store_file_seen(s, h[0], h[1], h[2], NULL, 0, &seen, &c, &grown, NULL), WP_OK);
    assert_true(seen);
    assert_false(c.found);
    /* other content, rows seen in a.csv and b.csv: the first version's file */
    assert_int_equal(wp_store_file_seen(s, h[2], h[1], h[2], NULL, 0, &seen, &c, &grown, NULL), WP_OK);
    assert_false(seen);
    assert_true(c.found);
    assert_string_equal(c.path, "a.csv");
    assert_int_equal(strlen(c.ingested_at), 20); /* 2026-12-07T10:00:00Z */
    /* only the old hash matches: c.csv */
    assert_int_equal(wp_store_file_seen(s, h[2], h[0], h[2], NULL, 0, &seen, &c, &grown, NULL), WP_OK);
    assert_false(seen);
    assert_true(c.found);
    assert_string_equal(c.path, "c.csv");
    /* nothing matches */
    assert_int_equal(wp_store_file_seen(s, h[2], h[0], h[3], NULL, 0, &seen, &c, &grown, NULL), WP_OK);
    assert_false(seen);
    assert_false(c.found);
}

static void test_dropping_a_file_keeps_the_runs_other_files_measured(void **state)
{
    struct wp_store *s = *state;
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    long long a = new_source(s, "a.csv"), b = new_source(s, "b.csv");
    struct wp_add_result r;
    struct wp_measurement whole = row(uuid, "", 10, 2), phase = row(uuid, "load", 4, 2);
    struct wp_measurement alone = row("44444444-4444-4444-8444-444444444444", "", 1, 3);
    assert_int_equal(wp_store_add_measurement(s, a, &whole, NULL, &r, NULL), WP_OK);
    assert_int_equal(wp_store_add_measurement(s, a, &alone, NULL, &r, NULL), WP_OK);
    assert_int_equal(wp_store_add_measurement(s, b, &phase, NULL, &r, NULL), WP_OK);
    assert_int_equal(wp_store_add_rejected(s, a, 5, 3, "bad number", "x,y", NULL), WP_OK);
    long long gone = 0;
    assert_int_equal(wp_store_source_drop(s, "a.csv", &gone, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    assert_int_equal(gone, 2);
    struct wp_store_counts n = counts(s);
    assert_int_equal(n.sources, 1);
    assert_int_equal(n.runs, 1);
    assert_int_equal(n.measurements, 1);
    assert_int_equal(n.rejected, 0);
}

static int on_count(void *ctx, const struct wp_token_count *c, bool has_experiment)
{
    (void)has_experiment;
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 256 - n, "%s/%s=%lld;", c->model, c->dataset, c->input_tokens);
    return 0;
}

static void test_token_counts_belong_to_one_file_and_come_back_in_byte_order(void **state)
{
    struct wp_store *s = *state;
    struct wp_token_count v[] = {
        {"b-model", "imdb", "b-model", "imdb", 10, 1000, 200, "t1.csv", "x"},
        {"B-model", "imdb", "B-model", "imdb", 10, 2000, 200, "t1.csv", "x"},
        {"a-model", "imdb", "a-model", "imdb", 10, 3000, 200, "t1.csv", "x"},
    };
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_tokens_put(s, "t1.csv", v, 3, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    char out[256] = "";
    assert_int_equal(wp_store_each_token_count(s, on_count, out, NULL), WP_OK);
    assert_string_equal(out, "B-model/imdb=2000;a-model/imdb=3000;b-model/imdb=1000;");
    struct wp_diag d = {0};
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_tokens_put(s, "t2.csv", v, 1, &d), WP_ERR_CONFLICT);
    wp_store_rollback(s);
    assert_non_null(strstr(d.msg, "already come from t1.csv"));
}

struct rules_seen {
    char text[512];
};

static int on_rule(void *ctx, long long id, const struct wp_label_rule *r)
{
    (void)id;
    struct rules_seen *x = ctx;
    size_t n = strlen(x->text);
    n += (size_t)snprintf(x->text + n, sizeof x->text - n, "%s:%s:%s:%lld:%zu", r->origin,
                          r->match_project ? r->match_project : "-",
                          r->model ? r->model : "-", r->batch_size, r->n_attr);
    for (size_t i = 0; i < r->n_attr; i++)
        n += (size_t)snprintf(x->text + n, sizeof x->text - n, ":%s=%s", r->attr_keys[i],
                              r->attr_values[i]);
    snprintf(x->text + n, sizeof x->text - n, ";");
    return 0;
}

static void test_a_manifests_rules_are_replaced_and_read_back_with_their_attributes(
    void **state)
{
    struct wp_store *s = *state;
    const char *k[] = {"purpose", "device"}, *v[] = {"baseline", "gpu"};
    struct wp_label_rule r[] = {
        {.origin = "m.csv:2", .match_project = "p1", .model = "bert", .batch_size = 8,
         .training_energy_j = NAN, .n_attr = 2, .attr_keys = k, .attr_values = v},
        {.origin = "m.csv:3", .match_project = "p2", .model = "gpt2",
         .training_energy_j = NAN},
    };
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_rules_put(s, "m.csv", r, 2, NULL), WP_OK);
    assert_int_equal(wp_store_rules_put(s, "m.csv", r + 1, 1, NULL), WP_OK); /* replaces */
    assert_int_equal(wp_store_rules_put(s, NULL, r, 1, NULL), WP_OK); /* command line adds */
    assert_int_equal(wp_store_rules_put(s, NULL, r + 1, 1, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    struct rules_seen x = {""};
    /* a rule's attributes are its own: none before it, none carried to the next */
    assert_int_equal(wp_store_rules_each(s, on_rule, &x, NULL), WP_OK);
    assert_string_equal(x.text, "m.csv:3:p2:gpt2:0:0;"
                                "m.csv:2:p1:bert:8:2:device=gpu:purpose=baseline;"
                                "m.csv:3:p2:gpt2:0:0;");
}

/* Every stored rule as "id:" and what on_rule writes. */
static int on_rule_id(void *ctx, long long id, const struct wp_label_rule *r)
{
    struct rules_seen *x = ctx;
    size_t n = strlen(x->text);
    snprintf(x->text + n, sizeof x->text - n, "%lld:", id);
    return on_rule(ctx, id, r);
}

static struct rules_seen stored_rules(struct wp_store *s)
{
    struct rules_seen x = {""};
    assert_int_equal(wp_store_rules_each(s, on_rule_id, &x, NULL), WP_OK);
    return x;
}

/* A manifest's rules saved, replaced, then put back: the same ids, columns and
 * attributes; rules given anew are recognised as the saved ones only when they are. */
static void test_a_manifests_saved_rules_are_put_back_as_they_were(void **state)
{
    struct wp_store *s = *state;
    const char *k[] = {"purpose", "device"}, *v[] = {"baseline", "gpu"};
    struct wp_label_rule r[] = {
        {.origin = "m.csv:2", .match_project = "p1", .model = "bert", .batch_size = 8,
         .training_energy_j = 3.6e6, .n_attr = 2, .attr_keys = k, .attr_values = v},
        {.origin = "m.csv:3", .match_project = "p2", .model = "gpt2",
         .training_energy_j = NAN},
    };
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_rules_put(s, NULL, r + 1, 1, NULL), WP_OK);
    assert_int_equal(wp_store_rules_put(s, "m.csv", r, 2, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    struct rules_seen before = stored_rules(s);
    struct wp_rules_saved *saved = NULL;
    assert_int_equal(wp_store_rules_save(s, "m.csv", &saved, NULL), WP_OK);
    assert_int_equal(wp_store_rules_saved_count(saved), 2);
    assert_true(wp_store_rules_saved_same(saved, r, 2));
    assert_false(wp_store_rules_saved_same(saved, r, 1));
    struct wp_label_rule changed[2] = {r[0], r[1]};
    changed[1].model = "t5";
    assert_false(wp_store_rules_saved_same(saved, changed, 2));
    changed[1] = r[1];
    changed[0].attr_values = k; /* purpose=purpose */
    assert_false(wp_store_rules_saved_same(saved, changed, 2));
    /* replaced (the new rules take the freed ids), a command-line rule added after them */
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_rules_put(s, "m.csv", r + 1, 1, NULL), WP_OK);
    assert_int_equal(wp_store_rules_put(s, NULL, r, 1, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    assert_string_not_equal(stored_rules(s).text, before.text);
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_rules_restore(s, "m.csv", saved, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    /* ids 2 and 3 are free again but 3 was taken by the command-line rule: the second
     * saved rule goes after it */
    assert_string_equal(stored_rules(s).text,
                        "1:m.csv:3:p2:gpt2:0:0;"
                        "2:m.csv:2:p1:bert:8:2:device=gpu:purpose=baseline;"
                        "3:m.csv:2:p1:bert:8:2:device=gpu:purpose=baseline;"
                        "4:m.csv:3:p2:gpt2:0:0;");
    wp_store_rules_saved_free(saved);
    /* a manifest with no rules stored: saved empty; putting that back removes its rules */
    assert_int_equal(wp_store_rules_save(s, "none.csv", &saved, NULL), WP_OK);
    assert_int_equal(wp_store_rules_saved_count(saved), 0);
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_rules_restore(s, "m.csv", saved, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    assert_string_equal(stored_rules(s).text, "1:m.csv:3:p2:gpt2:0:0;"
                                              "3:m.csv:2:p1:bert:8:2:device=gpu:purpose=baseline;");
    wp_store_rules_saved_free(saved);
}

/* What a run labeller's commit hooks saw. */
struct hooks {
    int before, committed, not_committed;
    enum wp_err fail; /* what before_commit returns */
    long long source_done;
};

static enum wp_err before_commit(void *ctx, struct wp_store *s, struct wp_diag *d)
{
    struct hooks *h = ctx;
    h->before++;
    const struct wp_label_rule r = {.origin = "hook:1", .model = "m", .training_energy_j = NAN};
    enum wp_err e = wp_store_rules_put(s, "hook", &r, 1, d);
    return e ? e : h->fail;
}

static void settled(void *ctx, bool committed)
{
    struct hooks *h = ctx;
    if (committed)
        h->committed++;
    else
        h->not_committed++;
}

static void source_done(void *ctx, long long source_id)
{
    ((struct hooks *)ctx)->source_done = source_id;
}

static const struct wp_labels *no_labels(void *ctx, const struct wp_run_keys *k, bool *may_add)
{
    (void)ctx, (void)k, (void)may_add;
    return NULL;
}

/* A run labeller's before_commit writes inside the transaction it commits with (an error
 * fails the commit and nothing is kept), settled hears the outcome; while the
 * labeller is set, the rules of its hide_manifest are left out of wp_store_rules_each, and
 * it hears of every source whose rows are stored. */
static void test_a_run_labellers_hooks_commit_with_the_transaction_and_hide_its_rules(
    void **state)
{
    struct wp_store *s = *state;
    struct hooks h = {0};
    struct wp_run_labeller l = {.fn = no_labels, .ctx = &h, .before_commit = before_commit,
                                .settled = settled, .hide_manifest = "hook",
                                .source_done = source_done};
    wp_store_set_labeller(s, &l);
    h.fail = WP_ERR_DB;
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_commit(s, NULL), WP_ERR_DB);
    wp_store_rollback(s);
    assert_int_equal(h.before, 1);
    assert_int_equal(h.not_committed, 2); /* the failed commit, then the rollback */
    wp_store_set_labeller(s, NULL);
    assert_string_equal(stored_rules(s).text, "");
    wp_store_set_labeller(s, &l);
    h.fail = WP_OK;
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    const struct wp_label_rule cl = {.origin = "command line", .model = "x",
                                     .training_energy_j = NAN};
    assert_int_equal(wp_store_rules_put(s, NULL, &cl, 1, NULL), WP_OK);
    long long id = new_source(s, "a.csv");
    const char *sha = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    struct wp_source_done done = {.sha256 = sha, .prefix_sha256 = sha, .size_bytes = 100,
                                 .consumed_bytes = 100};
    assert_int_equal(wp_store_source_finish(s, id, &done, NULL), WP_OK);
    assert_int_equal(h.source_done, id);
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    assert_int_equal(h.before, 2);
    assert_int_equal(h.committed, 1);
    assert_string_equal(stored_rules(s).text, "1:command line:-:x:0:0;"); /* hidden */
    wp_store_set_labeller(s, NULL);
    assert_string_equal(stored_rules(s).text, "1:command line:-:x:0:0;2:hook:1:-:m:0:0;");
    bool may = false;
    assert_int_equal(wp_store_may_drop_labels(s, &may, NULL), WP_OK);
    assert_true(may); /* the owner may */
    assert_int_equal(wp_store_may_read_values(s, &may, NULL), WP_OK);
    assert_true(may);
}

#define BOTH(f) cmocka_unit_test(f)
static const struct CMUnitTest tests[] = {
    BOTH(test_a_run_joins_by_phase_repeats_as_duplicate_and_conflicts_on_other_values),
    BOTH(test_a_run_id_that_is_no_uuid_joins_only_through_the_files_group_key),
    BOTH(test_queued_measurements_get_the_outcomes_of_the_row_at_a_time_path),
    BOTH(test_labels_share_one_experiment_and_set_the_models_figures),
    BOTH(test_labels_taking_turns_leave_the_last_ones_figures),
    BOTH(test_a_rollback_forgets_the_ids_it_took_away),
    BOTH(test_versions_of_a_file_are_found_by_path_and_by_content),
    BOTH(test_a_files_end_checks_find_content_then_rows_then_the_old_rows_hash),
    BOTH(test_the_versions_a_file_may_have_grown_from_are_found_by_its_head),
    BOTH(test_dropping_a_file_keeps_the_runs_other_files_measured),
    BOTH(test_token_counts_belong_to_one_file_and_come_back_in_byte_order),
    BOTH(test_a_manifests_rules_are_replaced_and_read_back_with_their_attributes),
    BOTH(test_a_manifests_saved_rules_are_put_back_as_they_were),
    BOTH(test_a_run_labellers_hooks_commit_with_the_transaction_and_hide_its_rules),
};

/* Each test on a store of its own: per-test setup and teardown. */
static struct CMUnitTest with(struct CMUnitTest t, int (*open)(void **), int (*close)(void **))
{
    t.setup_func = open;
    t.teardown_func = close;
    return t;
}

int main(void)
{
    enum { N = sizeof tests / sizeof tests[0] };
    struct CMUnitTest sq[N], pg[N];
    for (int i = 0; i < N; i++) {
        sq[i] = with(tests[i], open_sqlite, close_store);
        pg[i] = with(tests[i], open_pg, close_store);
    }
    printf("store rules on sqlite\n");
    int failed = _cmocka_run_group_tests("store rules on sqlite", sq, N, NULL, NULL);
    if (pg_uri()) {
        printf("store rules on postgresql\n");
        failed += _cmocka_run_group_tests("store rules on postgresql", pg, N, NULL, NULL);
    }
    else
        printf("store rules on postgresql: not run here (no WP_PG_URI): "
               "tests/e2e/store_backends.sh runs them against a server\n");
    return failed;
}
