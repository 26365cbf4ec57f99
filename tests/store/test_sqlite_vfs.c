/* Unit tests of the SQLite writer's file layer (store/sqlite_vfs.c) under failed writes:
 * the unix layer's pwrite is replaced (xSetSystemCall) by one that fails with ENOSPC where a
 * test says, and each test states what SQLite's own layer promises in that case: a write
 * that fails fails the commit that needed it, or the commit is whole after a crash; no lock
 * stays held after a transaction ends. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "store/sqlite_int.h"
#include "store/store.h"
#include "db_files.h"

/* ---- the failing pwrite ---- */

enum fail_mode {
    FAIL_NONE,
    FAIL_ALL,              /* every write: a full disk */
    FAIL_COMMIT_HEADER,    /* a 24-byte write of a commit frame's header alone */
};

typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);

static pwrite_fn real_pwrite;
static const char *pwrite_name; /* "pwrite" or "pwrite64", as the unix layer was built */
static enum fail_mode mode;
static int failed; /* writes failed since the mode was set */

static ssize_t fake_pwrite(int fd, const void *buf, size_t n, off_t off)
{
    const unsigned char *h = buf;
    bool fail = mode == FAIL_ALL ||
                (mode == FAIL_COMMIT_HEADER && n == 24 && off >= 32 && (h[4] | h[5] | h[6] | h[7]));
    if (fail) {
        failed++;
        errno = ENOSPC;
        return -1;
    }
    return real_pwrite(fd, buf, n, off);
}

static void fail_writes(enum fail_mode m)
{
    mode = m;
    failed = 0;
}

static int setup(void **state)
{
    (void)state;
    sqlite3_vfs *os = sqlite3_vfs_find("unix");
    if (!os || os->iVersion < 3)
        return -1;
    const char *names[] = {"pwrite", "pwrite64"};
    for (int i = 0; i < 2 && !real_pwrite; i++) {
        real_pwrite = (pwrite_fn)os->xGetSystemCall(os, names[i]);
        pwrite_name = names[i];
    }
    if (!real_pwrite)
        return -1;
    return os->xSetSystemCall(os, pwrite_name, (sqlite3_syscall_ptr)fake_pwrite) == SQLITE_OK
               ? 0
               : -1;
}

static int teardown(void **state)
{
    (void)state;
    sqlite3_vfs *os = sqlite3_vfs_find("unix");
    os->xSetSystemCall(os, pwrite_name, NULL);
    return 0;
}

/* ---- databases ---- */

static void run(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : sqlite3_errstr(rc));
}

static long long one(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static bool intact(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    return ok;
}

/* A connection as the store opens its writer (sqlite.c), with a page cache small enough
 * that a transaction of a few hundred KiB spills pages to the log before its commit, and
 * no checkpoint of its own. */
static sqlite3 *open_writer(const char *path, struct wp_sq_vfs *vfs)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db,
                                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                         SQLITE_OPEN_NOMUTEX,
                                     wp_sq_vfs_name(vfs)),
                     SQLITE_OK);
    run(db, "PRAGMA page_size = 2048; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
            " PRAGMA cache_size = 20; PRAGMA wal_autocheckpoint = 0;");
    return db;
}

/* Copies a file's bytes, as a crash leaves them (the -shm is not copied: it is rebuilt). */
static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(out);
    char buf[8192];
    size_t n;
    while (in && (n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    if (in)
        fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* The database a process killed now would leave: the database file and its log as they
 * are, opened (and recovered) by SQLite's own layer. */
static sqlite3 *after_crash(const char *path, const char *name)
{
    char copy[512], a[600], b[600];
    db_path(copy, sizeof copy, "vfs", name);
    db_remove(copy);
    copy_file(path, copy);
    snprintf(a, sizeof a, "%s-wal", path);
    snprintf(b, sizeof b, "%s-wal", copy);
    copy_file(a, b);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(copy, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    return db;
}

/* rows rows of 400 bytes each, keyed at random so that the index's pages written early in
 * the transaction are written again later (SQLite then rewrites the checksums of the log's
 * frames at the commit). */
static void insert_rows(sqlite3 *db, int from, int rows)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE n(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
             " INSERT INTO t (k, r, v) SELECT i, abs(random()), randomblob(400) FROM n",
             from, from + rows - 1);
    run(db, sql);
}

/* ---- tests ---- */

/* SQLite rewrites the headers of a transaction's frames at its commit when the transaction
 * wrote a page to the log twice (walRewriteChecksums): the last is the commit frame's header,
 * after its page.  Gathered and written only at the barrier, whose failure SQLite cannot
 * hear, the commit returned and a crash then lost it (the log's checksums break at it). */
static void test_vfs_a_failed_rewrite_of_the_commit_header_fails_the_commit(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path, "vfs", "rewrite");
    db_remove(path);
    struct wp_sq_vfs *vfs = wp_sq_vfs_new();
    assert_non_null(vfs);
    sqlite3 *db = open_writer(path, vfs);
    run(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, r INTEGER, v BLOB);"
            " CREATE INDEX t_r ON t (r);");
    run(db, "BEGIN");
    insert_rows(db, 1, 2000);
    fail_writes(FAIL_COMMIT_HEADER);
    int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    int hit = failed;
    fail_writes(FAIL_NONE);
    assert_true(hit > 0); /* the commit rewrote its header alone */
    sqlite3 *crashed = after_crash(path, "rewrite-crash");
    assert_true(intact(crashed));
    long long n = one(crashed, "SELECT COUNT(*) FROM t");
    sqlite3_close(crashed);
    if (rc == SQLITE_OK)
        assert_int_equal(n, 2000); /* a commit that returned survives a crash */
    else
        assert_int_equal(n, 0);
    if (rc != SQLITE_OK)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    assert_true(intact(db));
    /* with room again, the same connection commits the same transaction */
    run(db, "BEGIN");
    insert_rows(db, 1, 2000);
    run(db, "COMMIT");
    crashed = after_crash(path, "rewrite-crash");
    assert_true(intact(crashed));
    assert_int_equal(one(crashed, "SELECT COUNT(*) FROM t"), 2000);
    sqlite3_close(crashed);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    wp_sq_vfs_free(vfs);
    db_remove(path);
}

/* The frames a transaction spilled to the log are gathered; a read of the log writes them
 * first.  When that write fails, the read fails, and SQLite rolls back only the statement
 * (a statement journal): the transaction goes on.  Its commit must not publish frames that
 * are not in the log: it fails, as it does on SQLite's own layer, whose spill failed. */
static void test_vfs_frames_lost_at_a_read_fail_the_commit(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path, "vfs", "read");
    db_remove(path);
    struct wp_sq_vfs *vfs = wp_sq_vfs_new();
    assert_non_null(vfs);
    sqlite3 *db = open_writer(path, vfs);
    run(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, r INTEGER, v BLOB);"
            " CREATE TABLE u (k INTEGER PRIMARY KEY, v BLOB UNIQUE);");
    run(db, "BEGIN");
    insert_rows(db, 1, 3000);
    fail_writes(FAIL_ALL);
    int rc = sqlite3_exec(db, "INSERT INTO u SELECT k, v FROM t", NULL, NULL, NULL);
    int hit = failed;
    fail_writes(FAIL_NONE);
    assert_int_not_equal(rc, SQLITE_OK);
    assert_true(hit > 0);
    if (!sqlite3_get_autocommit(db)) { /* the statement alone was rolled back */
        rc = sqlite3_exec(db, "INSERT INTO u VALUES (1, x'01'); COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK && !sqlite3_get_autocommit(db))
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3 *other;
    assert_int_equal(sqlite3_open_v2(path, &other, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_true(intact(other));
    long long n = one(other, "SELECT COUNT(*) FROM t");
    assert_true(n == 0 || n == 3000);
    if (rc == SQLITE_OK)
        assert_int_equal(n, 3000);
    sqlite3_close(other);
    sqlite3 *crashed = after_crash(path, "read-crash");
    assert_true(intact(crashed));
    sqlite3_close(crashed);
    /* the failure held only that transaction: the next one commits */
    run(db, "BEGIN");
    insert_rows(db, 5001, 3000);
    run(db, "INSERT INTO u SELECT k, v FROM t; COMMIT");
    assert_int_equal(one(db, "SELECT COUNT(*) FROM u"), n + 3000);
    assert_true(intact(db));
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    wp_sq_vfs_free(vfs);
    db_remove(path);
}

/* A transaction that spilled frames and is rolled back while the disk is full: the write of
 * what was gathered fails at the release of the log's write lock; the lock is released all
 * the same, so that another connection (another process) can write. */
static void test_vfs_a_failed_write_at_rollback_releases_the_write_lock(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path, "vfs", "lock");
    db_remove(path);
    struct wp_sq_vfs *vfs = wp_sq_vfs_new();
    assert_non_null(vfs);
    sqlite3 *db = open_writer(path, vfs);
    /* the rollback reads page 1 again: from the database file, not from the log (where a
     * read would write what was gathered first) */
    run(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, r INTEGER, v BLOB);"
            " PRAGMA wal_checkpoint(TRUNCATE);");
    run(db, "BEGIN");
    insert_rows(db, 1, 1000);
    fail_writes(FAIL_ALL);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    int hit = failed;
    fail_writes(FAIL_NONE);
    assert_true(hit > 0); /* frames were gathered when the transaction ended */
    assert_true(sqlite3_get_autocommit(db));
    sqlite3 *other;
    assert_int_equal(sqlite3_open_v2(path, &other, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO t VALUES (1, 1, x'00');"
                                         " COMMIT",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(other);
    assert_int_equal(one(db, "SELECT COUNT(*) FROM t"), 1);
    run(db, "BEGIN IMMEDIATE; INSERT INTO t VALUES (2, 2, x'00'); COMMIT");
    assert_true(intact(db));
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    wp_sq_vfs_free(vfs);
    db_remove(path);
}

/* The file controls, device characteristics and sector size of the database file and its
 * log through the layer are those of SQLite's own files: a persistent log stays after the
 * close, a moved database says so, a size hint with a chunk size grows the file. */
static void test_vfs_files_answer_as_the_unix_layer_does(void **state)
{
    (void)state;
    char path[512], plain[512], wal[600];
    db_path(path, sizeof path, "vfs", "fcntl");
    db_path(plain, sizeof plain, "vfs", "fcntl-plain");
    db_remove(path);
    db_remove(plain);
    struct wp_sq_vfs *vfs = wp_sq_vfs_new();
    assert_non_null(vfs);
    sqlite3 *db = open_writer(path, vfs), *ref;
    assert_int_equal(sqlite3_open_v2(plain, &ref, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                     NULL),
                     SQLITE_OK);
    run(ref, "PRAGMA page_size = 2048; PRAGMA journal_mode = WAL;");
    run(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, r INTEGER, v BLOB)");
    run(ref, "CREATE TABLE t (k INTEGER PRIMARY KEY, r INTEGER, v BLOB)");
    sqlite3_file *f, *g, *fw, *gw;
    assert_int_equal(sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f), SQLITE_OK);
    assert_int_equal(sqlite3_file_control(ref, "main", SQLITE_FCNTL_FILE_POINTER, &g), SQLITE_OK);
    assert_int_equal(sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &fw),
                     SQLITE_OK);
    assert_int_equal(sqlite3_file_control(ref, "main", SQLITE_FCNTL_JOURNAL_POINTER, &gw),
                     SQLITE_OK);
    assert_non_null(fw->pMethods);
    assert_int_equal(f->pMethods->xDeviceCharacteristics(f),
                     g->pMethods->xDeviceCharacteristics(g));
    assert_int_equal(f->pMethods->xSectorSize(f), g->pMethods->xSectorSize(g));
    assert_int_equal(fw->pMethods->xDeviceCharacteristics(fw),
                     gw->pMethods->xDeviceCharacteristics(gw));
    assert_int_equal(fw->pMethods->xSectorSize(fw), gw->pMethods->xSectorSize(gw));
    for (int op = 0; op < 2; op++) { /* queried, set, queried again: as SQLite's own file */
        int ops[] = {SQLITE_FCNTL_POWERSAFE_OVERWRITE, SQLITE_FCNTL_PERSIST_WAL};
        int a = -1, b = -1, one_ = 1;
        assert_int_equal(sqlite3_file_control(db, "main", ops[op], &a), SQLITE_OK);
        assert_int_equal(sqlite3_file_control(ref, "main", ops[op], &b), SQLITE_OK);
        assert_int_equal(a, b);
        assert_int_equal(sqlite3_file_control(db, "main", ops[op], &one_), SQLITE_OK);
        a = -1;
        assert_int_equal(sqlite3_file_control(db, "main", ops[op], &a), SQLITE_OK);
        assert_int_equal(a, 1);
    }
    assert_int_equal(f->pMethods->xDeviceCharacteristics(f),
                     g->pMethods->xDeviceCharacteristics(g) | SQLITE_IOCAP_POWERSAFE_OVERWRITE);
    int chunk = 1 << 20;
    sqlite3_int64 hint = 3 << 20, size = 0;
    assert_int_equal(sqlite3_file_control(db, "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk), SQLITE_OK);
    assert_int_equal(sqlite3_file_control(db, "main", SQLITE_FCNTL_SIZE_HINT, &hint), SQLITE_OK);
    assert_int_equal(f->pMethods->xFileSize(f, &size), SQLITE_OK);
    assert_true(size >= hint);
    int moved = -1;
    assert_int_equal(sqlite3_file_control(db, "main", SQLITE_FCNTL_HAS_MOVED, &moved), SQLITE_OK);
    assert_int_equal(moved, 0);
    char away[600];
    snprintf(away, sizeof away, "%s.away", path);
    assert_int_equal(rename(path, away), 0);
    assert_int_equal(sqlite3_file_control(db, "main", SQLITE_FCNTL_HAS_MOVED, &moved), SQLITE_OK);
    assert_int_equal(moved, 1);
    assert_int_equal(rename(away, path), 0);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    struct stat st;
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_int_equal(stat(wal, &st), 0); /* PERSIST_WAL: the log stays */
    sqlite3_close(ref);
    wp_sq_vfs_free(vfs);
    db_remove(path);
    db_remove(plain);
}

/* The layers a store registered, by their name's prefix (sqlite_vfs.c: "wattprint-"). */
static int layers(void)
{
    int n = 0;
    for (sqlite3_vfs *v = sqlite3_vfs_find(NULL); v; v = v->pNext)
        n += strncmp(v->zName, "wattprint-", 10) == 0;
    return n;
}

static struct wp_measurement measurement(long line, const char *uid)
{
    struct wp_measurement m;
    wp_measurement_clear(&m);
    m.line = line;
    m.run_label = uid;
    m.phase = "";
    m.energy_j = 1.8e6;
    m.started_at = "2023-09-26T19:00:09";
    m.tool_name = "codecarbon";
    m.tool_version = "2.3.1";
    return m;
}

static void on_done(void *ctx, const struct wp_queued *q, const struct wp_add_result *res)
{
    (void)q;
    (void)res;
    ++*(int *)ctx;
}

/* One file of `rows` rows into s, in its transaction. */
static void ingest(struct wp_store *s, const char *name, int rows)
{
    long long src;
    int done = 0;
    assert_int_equal(wp_store_begin(s, NULL), WP_OK);
    assert_int_equal(wp_store_source_new(s, name, name, "codecarbon", &src, NULL), WP_OK);
    unsigned file = 0; /* each file's runs its own */
    for (const char *c = name; *c; c++)
        file = file * 31 + (unsigned char)*c;
    for (int i = 0; i < rows; i++) {
        char uid[64];
        snprintf(uid, sizeof uid, "%08d-ab55-45e4-bf35-%012u", i, file % 1000000000u);
        struct wp_measurement m = measurement(2 + i, uid);
        assert_int_equal(wp_store_queue_measurement(s, src, &m, NULL, on_done, &done, NULL),
                         WP_OK);
    }
    assert_int_equal(wp_store_commit(s, NULL), WP_OK);
    assert_int_equal(done, rows);
}

struct writer {
    const char *path, *prefix;
};

static void *write_files(void *arg)
{
    const struct writer *w = arg;
    struct wp_store *s;
    if (wp_store_open(w->path, &s, NULL) != WP_OK)
        return "open";
    for (int k = 0; k < 6; k++) {
        char name[64];
        snprintf(name, sizeof name, "%s%d.csv", w->prefix, k);
        ingest(s, name, 500);
    }
    wp_store_close(s);
    return NULL;
}

/* Two stores in one process, each with a layer of its own name: on two files and on one,
 * closed in either order, from two threads at once; every layer goes with its store. */
static void test_vfs_two_stores_in_one_process_each_unregister_their_layer(void **state)
{
    (void)state;
    char a[512], b[512];
    db_path(a, sizeof a, "vfs", "two-a");
    db_path(b, sizeof b, "vfs", "two-b");
    db_remove(a);
    db_remove(b);
    int before = layers();
    struct wp_store *s, *t, *u;
    assert_int_equal(wp_store_open(a, &s, NULL), WP_OK);
    assert_int_equal(wp_store_open(b, &t, NULL), WP_OK);
    assert_int_equal(layers(), before + 2);
    ingest(s, "a0.csv", 300);
    ingest(t, "b0.csv", 300);
    assert_int_equal(wp_store_open(a, &u, NULL), WP_OK); /* a second writer of a */
    ingest(u, "a1.csv", 300);
    ingest(s, "a2.csv", 300);
    wp_store_close(s); /* the first opened, first closed */
    ingest(u, "a3.csv", 300);
    wp_store_close(t);
    wp_store_close(u);
    assert_int_equal(layers(), before);
    pthread_t th[2];
    struct writer w[2] = {{a, "x"}, {b, "y"}};
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, write_files, &w[i]), 0);
    for (int i = 0; i < 2; i++) {
        void *err;
        assert_int_equal(pthread_join(th[i], &err), 0);
        assert_null(err);
    }
    assert_int_equal(layers(), before);
    const char *paths[] = {a, b};
    const long long want[] = {4 * 300 + 6 * 500, 300 + 6 * 500};
    for (int i = 0; i < 2; i++) {
        sqlite3 *db;
        assert_int_equal(sqlite3_open_v2(paths[i], &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_true(intact(db));
        assert_int_equal(one(db, "SELECT COUNT(*) FROM measurement"), want[i]);
        sqlite3_close(db);
    }
    db_remove(a);
    db_remove(b);
}

/* A store closed while a statement of its connection is still open: sqlite3_close refuses
 * (SQLITE_BUSY) and the connection stays open, reading through the layer.  The layer must
 * outlive it; before, it was freed, and the statement's next step read freed memory
 * (AddressSanitizer: heap-use-after-free in the file's read). */
static void test_vfs_a_connection_that_stays_open_keeps_its_layer(void **state)
{
    (void)state;
    char a[512];
    db_path(a, sizeof a, "vfs", "busy");
    db_remove(a);
    struct wp_store *s;
    assert_int_equal(wp_store_open(a, &s, NULL), WP_OK);
    ingest(s, "b0.csv", 300);
    sqlite3 *db = wp_sq_of(s)->db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM measurement ORDER BY id", -1, &st,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    wp_store_close(s); /* refused by SQLite: st is not finished */
    int rows = 1, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        rows++;
    assert_int_equal(rc, SQLITE_DONE);
    assert_int_equal(rows, 300);
    sqlite3_finalize(st);
    assert_int_equal(one(db, "SELECT COUNT(*) FROM run"), 300); /* a new read: the WAL index */
    assert_int_equal(sqlite3_close(db), SQLITE_OK); /* the file's close, through the layer */
    db_remove(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vfs_a_failed_rewrite_of_the_commit_header_fails_the_commit),
        cmocka_unit_test(test_vfs_frames_lost_at_a_read_fail_the_commit),
        cmocka_unit_test(test_vfs_a_failed_write_at_rollback_releases_the_write_lock),
        cmocka_unit_test(test_vfs_files_answer_as_the_unix_layer_does),
        cmocka_unit_test(test_vfs_two_stores_in_one_process_each_unregister_their_layer),
        cmocka_unit_test(test_vfs_a_connection_that_stays_open_keeps_its_layer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
