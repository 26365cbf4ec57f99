/* SQLite backend, core: opening, pragmas, migrations, transactions and the table of every
 * SQL statement the backend runs (all prepared once per store and reused with bound
 * parameters), and the narrow interface of store/backend.h (exec: the statements of
 * store_sql.h).  Copying out for push is in sqlite_export.c. */
#include "store/sqlite_int.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/migrations.h"

static const char *const sql[ST__COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    /* copying out (wattprint push): everything a row holds, in the order it was stored */
    [ST_X_SOURCES] =
        "SELECT id, path, name, format, sha256, prefix_sha256, ingested_at, size_bytes,"
        " consumed_bytes, rows_ingested, rows_rejected FROM source_file ORDER BY id",
    [ST_X_VERSIONS] =
        "SELECT sha256, ingested_at, size_bytes, rows_added, rows_sha256, rows_count,"
        " head_sum, complete_sha256 FROM file_version"
        " WHERE source_file_id = ?1 ORDER BY id",
    [ST_X_MEAS] =
        "SELECT m.id, m.run_id, r.uid, m.line, m.phase, m.run_label, m.project_name,"
        " m.experiment_label, m.started_at, m.duration_s, m.energy_j, m.cpu_energy_j,"
        " m.gpu_energy_j, m.ram_energy_j, m.emissions_g, m.emissions_rate_g_per_s,"
        " m.cpu_power_w, m.gpu_power_w, m.ram_power_w, m.pue, m.water_l, m.tracking_mode,"
        " m.longitude, m.latitude, t.name, t.version, h.cpu_model, h.gpu_model, h.os,"
        " h.python_version, h.cpu_count, h.gpu_count, h.ram_total_bytes, l.country_name,"
        " l.country_iso_code, l.region, l.cloud_provider, l.cloud_region, l.on_cloud,"
        " m.cpu_basis, m.gpu_basis, m.ram_basis"
        " FROM measurement m JOIN run r ON r.id = m.run_id"
        " LEFT JOIN tool t ON t.id = m.tool_id LEFT JOIN hardware h ON h.id = m.hardware_id"
        " LEFT JOIN location l ON l.id = m.location_id"
        " WHERE m.source_file_id = ?1 ORDER BY m.id",
    [ST_X_EXTRAS] =
        "SELECT key, value FROM measurement_extra WHERE measurement_id = ?1 ORDER BY key",
    [ST_X_REJECTED] =
        "SELECT sf.path, rl.line, COALESCE(rl.col, 0), rl.reason, rl.text"
        " FROM rejected_line rl JOIN source_file sf ON sf.id = rl.source_file_id"
        " WHERE rl.source_file_id = ?1 ORDER BY rl.id",
    [ST_X_LABELS] =
        "SELECT e.id, mo.name, t.name, d.name, e.inferences, e.batch_size, mo.parameters,"
        " mo.training_energy_j FROM run r JOIN experiment e ON e.id = r.experiment_id"
        " LEFT JOIN model mo ON mo.id = e.model_id LEFT JOIN task t ON t.id = e.task_id"
        " LEFT JOIN dataset d ON d.id = e.dataset_id WHERE r.id = ?1",
    [ST_X_EXP_ATTRS] =
        "SELECT key, value FROM experiment_attr WHERE experiment_id = ?1 ORDER BY key",
    [ST_X_RULE_ATTRS] = "SELECT key, value FROM label_rule_attr WHERE rule_id = ?1 ORDER BY key",
    [ST_X_RULES] =
        "SELECT lr.id, lr.origin, lr.manifest, lr.match_project, lr.match_experiment,"
        " lr.match_run, lr.match_file, sf.path, lr.model, lr.task, lr.dataset,"
        " lr.inferences, lr.batch_size, lr.parameters, lr.training_energy_j"
        " FROM label_rule lr LEFT JOIN source_file sf ON sf.id = lr.match_source_id"
        " ORDER BY lr.manifest IS NULL, lr.manifest, lr.id",

};

enum wp_err wp_sq_fail(struct wp_sq *s, struct wp_diag *d, const char *what)
{
    return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "database: %s: %s", what,
                       s && s->db ? sqlite3_errmsg(s->db) : "cannot open");
}

sqlite3_stmt *wp_sq_stmt(struct wp_sq *s, enum wp_stmt which, struct wp_diag *d)
{
    if (wp_sq_batch_flush(s, d)) /* the rows held back come first */
        return NULL;
    sqlite3_stmt *st = s->stmt[which];
    if (!st) {
        if (sqlite3_prepare_v3(s->db, sql[which], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL)
            != SQLITE_OK) {
            wp_sq_fail(s, d, "prepare");
            return NULL;
        }
        s->stmt[which] = st;
        return st;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

void wp_sq_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void wp_sq_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
    wp_sq_text(st, i, v && *v ? v : NULL);
}

void wp_sq_real(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

void wp_sq_int_or_null(sqlite3_stmt *st, int i, long long v)
{
    if (v)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

double wp_sq_col_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

const char *wp_sq_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static enum wp_err exec(struct wp_sq *s, const char *text, struct wp_diag *d)
{
    char *err = NULL;
    if (sqlite3_exec(s->db, text, NULL, NULL, &err) != SQLITE_OK) {
        wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "database: %s", err ? err : "exec failed");
        sqlite3_free(err);
        return WP_ERR_DB;
    }
    return WP_OK;
}

static int read_version(struct wp_sq *s)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static enum wp_err record_migration(struct wp_sq *s, const struct wp_migration *m,
                                    struct wp_diag *d)
{
    sqlite3_stmt *st;
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO schema_migrations (version, name, applied_at)"
                           " VALUES (?1, ?2, ?3)",
                           -1, &st, NULL) != SQLITE_OK)
        return wp_sq_fail(s, d, "record migration");
    sqlite3_bind_int(st, 1, m->version);
    sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, "record migration");
}

/* Applies every compiled-in migration newer than the database, each in its own
 * transaction, so an old database upgrades in place. */
static enum wp_err migrate(struct wp_sq *s, struct wp_diag *d)
{
    enum wp_err e = exec(s,
                         "CREATE TABLE IF NOT EXISTS schema_migrations ("
                         " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                         " applied_at TEXT NOT NULL)",
                         d);
    if (e)
        return e;
    s->version = s->base.version_at_open = read_version(s);
    if (s->version < 0)
        return wp_sq_fail(s, d, "read schema version");
    if (s->version > wp_store_latest_version())
        return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0,
                           "database schema version %d is newer than this wattprint "
                           "understands (%d): upgrade wattprint",
                           s->version, wp_store_latest_version());
    for (size_t i = 0; i < wp_n_migrations; i++) {
        const struct wp_migration *m = &wp_migrations[i];
        if (m->version <= s->version)
            continue;
        if ((e = exec(s, "BEGIN IMMEDIATE", d)))
            return e;
        if ((e = exec(s, m->sql, d)) || (e = record_migration(s, m, d))) {
            wp_sq_rollback(&s->base);
            return e;
        }
        if ((e = exec(s, "COMMIT", d)))
            return e;
        s->version = m->version;
    }
    s->base.version = s->version;
    return WP_OK;
}

static const struct wp_store_ops sq_ops;

/* PostgreSQL's "C" collation (byte order), which the shared SQL names where an order must
 * be the same on both backends: SQLite's BINARY under that name. */
static int collate_c(void *arg, int n1, const void *a, int n2, const void *b)
{
    (void)arg;
    int c = memcmp(a, b, (size_t)(n1 < n2 ? n1 : n2));
    return c ? c : n1 - n2;
}

static enum wp_err add_collation(struct wp_sq *s, struct wp_diag *d)
{
    if (sqlite3_create_collation(s->db, "C", SQLITE_UTF8, NULL, collate_c) != SQLITE_OK)
        return wp_sq_fail(s, d, "add collation");
    return WP_OK;
}

/* Opens path read-write (creating it in WP_STORE_CREATE), sets the pragmas and migrates.
 * *code: SQLite's primary result code of the failure, so that the caller can tell a
 * database it may only read from a broken one. */
static enum wp_err open_rw(struct wp_sq *s, const char *path, enum wp_store_mode mode,
                           int *code, struct wp_diag *d)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (mode == WP_STORE_CREATE)
        flags |= SQLITE_OPEN_CREATE;
    s->vfs = wp_sq_vfs_new();
    int rc = sqlite3_open_v2(path, &s->db, flags, wp_sq_vfs_name(s->vfs));
    if (rc != SQLITE_OK) {
        *code = rc & 0xff;
        return wp_diag_set(d, WP_ERR_DB, path, 0, 0, "cannot open database: %s",
                           s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 10000);
    enum wp_err e = add_collation(s, d);
    if (e) {
        *code = sqlite3_errcode(s->db) & 0xff;
        return e;
    }
    /* WAL: readers never block the writer; NORMAL sync is crash-safe in WAL mode (a killed
     * process loses nothing committed).  Ingest commits once per file and each commit
     * writes every page it touched to the WAL (a dozen b-trees, half of them at random
     * keys: sha256, run uid), so the bytes written, and the fdatasync of each checkpoint,
     * set its pace: with 2 KiB pages (for a new file; an existing one keeps its size) the
     * study's 6,569 files write 209 MB instead of 378, and checkpoints run on a thread of
     * their own (sqlite_ckpt.c) rather than stalling the writer every 1,000 pages.  Reads
     * are as fast.  The page cache is 16 MiB: an ingest's working set (the b-trees' right
     * edges and the run uid index's hot pages) fits, and its peak memory stays flat as a
     * file grows (64 MiB filled over the first few hundred thousand rows: 29 MiB at 25,000
     * rows, 69 MiB at 100,000; 16 MiB: 30 and 36 MiB, for 6% more CPU at 400,000 rows, the
     * pages it drops read back from the OS's cache; issue 30). */
    e = exec(s,
                         "PRAGMA page_size = 2048; PRAGMA journal_mode = WAL;"
                         " PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
                         " PRAGMA cache_size = -16384;",
                         d);
    if (!e)
        wp_sq_ckpt_init(s);
    if (!e)
        e = migrate(s, d);
    if (e)
        *code = sqlite3_errcode(s->db) & 0xff;
    return e;
}

/* The "file:" URI of path for sqlite3_open_v2 with SQLITE_OPEN_URI: '%', '?' and '#' are
 * escaped, and a path starting with "//" keeps out of the URI's authority.  Heap string. */
static char *path_uri(const char *path, const char *query)
{
    size_t n = strlen(path), len = sizeof "file:" - 1;
    for (size_t i = 0; i < n; i++) {
        bool escaped = strchr("%?#", path[i]) || (i == 1 && path[0] == '/' && path[1] == '/');
        len += escaped ? 3 : 1;
    }
    char *u = malloc(len + 1 + strlen(query) + 1), *w = u; /* then "?query" and its NUL */
    if (!u)
        return NULL;
    w += sprintf(w, "file:");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)path[i];
        if (strchr("%?#", c) || (i == 1 && path[0] == '/' && c == '/'))
            w += sprintf(w, "%%%02X", c);
        else
            *w++ = (char)c;
    }
    sprintf(w, "?%s", query);
    return u;
}

/* Whether path's write-ahead log holds frames that a reader must see. */
static bool wal_has_frames(const char *path)
{
    size_t n = strlen(path);
    char *wal = malloc(n + 5);
    if (!wal)
        return true;
    memcpy(wal, path, n);
    memcpy(wal + n, "-wal", 5);
    struct stat st;
    bool has = stat(wal, &st) == 0 && st.st_size > 0;
    free(wal);
    return has;
}

/* Opens path read-only: for a user who may read the database but not write it or its
 * folder.  SQLite reads a WAL database through its -shm file, which such a user can
 * neither create nor write; when no WAL frames wait (no writer is between checkpoints),
 * the file alone is the database and is opened as immutable.  No migration can run, so
 * the schema must be this binary's. */
static enum wp_err open_ro(struct wp_sq *s, const char *path, struct wp_diag *d)
{
    enum wp_err e = WP_OK;
    for (int immutable = 0; immutable < 2; immutable++) {
        char *uri = path_uri(path, immutable ? "immutable=1" : "mode=ro");
        if (!uri)
            return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        int rc = sqlite3_open_v2(uri, &s->db,
                                 SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                                 NULL);
        free(uri);
        if (rc == SQLITE_OK) {
            sqlite3_extended_result_codes(s->db, 1);
            sqlite3_busy_timeout(s->db, 10000);
            s->version = read_version(s);
        }
        if (rc == SQLITE_OK && s->version >= 0)
            break;
        int code = s->db ? sqlite3_errcode(s->db) & 0xff : rc & 0xff;
        e = wp_diag_set(d, WP_ERR_DB, path, 0, 0, "cannot read database: %s",
                        s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sqlite3_close(s->db);
        s->db = NULL;
        if (immutable || (code != SQLITE_CANTOPEN && code != SQLITE_READONLY))
            return e;
        if (wal_has_frames(path))
            return wp_diag_set(d, WP_ERR_DB, path, 0, 0,
                               "cannot read database: a writer's log (-wal) holds changes "
                               "that this user can read only with write access to the "
                               "database's folder");
    }
    if ((e = add_collation(s, d)) ||
        (e = exec(s, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;", d)))
        return e;
    if (s->version > wp_store_latest_version())
        return wp_diag_set(d, WP_ERR_DB, path, 0, 0,
                           "database schema version %d is newer than this wattprint "
                           "understands (%d): upgrade wattprint",
                           s->version, wp_store_latest_version());
    if (s->version != wp_store_latest_version())
        return wp_diag_set(d, WP_ERR_DB, path, 0, 0,
                           "database schema version %d, this wattprint's is %d, and this "
                           "user may only read the database: run 'wattprint migrate' as "
                           "a user who can write it",
                           s->version, wp_store_latest_version());
    s->base.version = s->base.version_at_open = s->version;
    return WP_OK;
}

/* Closes s->db, then frees its VFS -- unless the connection stayed open (SQLITE_BUSY: a
 * statement or backup not finished), whose files still call the VFS: the VFS is then
 * kept (registered, so reachable) for as long as the process lives. */
static void close_db(struct wp_sq *s)
{
    if (sqlite3_close(s->db) == SQLITE_OK)
        wp_sq_vfs_free(s->vfs);
    s->db = NULL;
    s->vfs = NULL;
}

/* The process-wide settings, made once before SQLite's first use (sqlite3_config is not
 * thread-safe: pthread_once keeps two threads opening stores at once from racing on it, and
 * SQLite refuses it, changing nothing, once it is initialised). */
static void configure_sqlite(void)
{
    /* No count of SQLite's memory: keeping it takes a global mutex on every allocation
     * SQLite makes (a ninth of an ingest's SQL instructions, issue 30), and nothing reads
     * it. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    /* Statement journals in memory up to 1 MiB, not 64 KiB: a statement of 32 rows
     * touches a page of the run uid index per row, and a transaction in which one
     * statement spilled its journal to a temporary file writes every later statement's
     * journal there, a pwrite per page (102,036 of them in a 30,000-row ingest; none now
     * at 300,000 rows).  Not 4 MiB: SQLite keeps a journal in chunks of this size, and
     * peak memory at 300,000 rows grew by 8 MiB.  A journal that does spill (dropping an
     * index of 300,000 runs) is written in parts (sqlite_vfs.c).
     * Under AddressSanitizer (make check-asan) SQLite's own 64 KiB: its allocator maps
     * every block over 128 KiB afresh and poisons its shadow, and a statement journal
     * takes a chunk on each statement that writes in a transaction, so 1 MiB chunks made
     * a labelling pass of 70,000 runs take 19.7 s (15.2 s in the kernel) against 0.46 s
     * without the sanitizer.  The journals that then spill exercise sqlite_vfs.c's
     * writes in parts. */
#if defined(__SANITIZE_ADDRESS__)
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 64 << 10);
#else
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 20);
#endif
}

enum wp_err wp_sq_open(const char *path, enum wp_store_mode mode, struct wp_store **out,
                       struct wp_diag *d)
{
    *out = NULL;
    struct stat st;
    if (mode == WP_STORE_EXISTING && stat(path, &st) != 0)
        return wp_diag_set(d, WP_ERR_DB, path, 0, 0, "%s",
                           errno == ENOENT || errno == ENOTDIR
                               ? "no such database (ingest creates one)"
                               : strerror(errno));
    static pthread_once_t configured = PTHREAD_ONCE_INIT;
    pthread_once(&configured, configure_sqlite);
    struct wp_sq *s = calloc(1, sizeof *s);
    if (!s)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    s->base.ops = &sq_ops;
    int code = SQLITE_OK;
    enum wp_err e = open_rw(s, path, mode, &code, d);
    if (e && mode == WP_STORE_EXISTING && (code == SQLITE_READONLY || code == SQLITE_CANTOPEN)) {
        /* a database this user may read but not write: read it as it is */
        wp_sq_ckpt_stop(s);
        s->ckpt = NULL;
        close_db(s);
        e = open_ro(s, path, d);
    }
    if (e) {
        if (d && !wp_diag_has_file(d) && e == WP_ERR_DB) {
            char tmp[sizeof d->msg];
            snprintf(tmp, sizeof tmp, "%s", d->msg);
            wp_diag_set(d, e, path, 0, 0, "%s", tmp);
        }
        wp_sq_close(&s->base);
        return e;
    }
    *out = &s->base;
    return WP_OK;
}

void wp_sq_close(struct wp_store *b)
{
    struct wp_sq *s = wp_sq_of(b);
    wp_sq_ckpt_stop(s);
    wp_sq_batch_free(s);
    for (int i = 0; i < ST__COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    for (int i = 0; i < Q__COUNT; i++)
        sqlite3_finalize(s->q[i]);
    close_db(s);
    free(s->deferred_index);
    free(s);
}

/* ---- the narrow interface (store/backend.h) ------------------------------------------ */

static bool row_null(const struct wp_row *r, int c)
{
    return sqlite3_column_type((sqlite3_stmt *)r->h, c) == SQLITE_NULL;
}

static long long row_int(const struct wp_row *r, int c)
{
    return sqlite3_column_int64((sqlite3_stmt *)r->h, c);
}

static double row_real(const struct wp_row *r, int c)
{
    return wp_sq_col_real((sqlite3_stmt *)r->h, c);
}

static const char *row_text(const struct wp_row *r, int c)
{
    return wp_sq_col_text((sqlite3_stmt *)r->h, c);
}

static const struct wp_row_ops row_ops = {row_null, row_int, row_real, row_text};

void wp_sq_bind(sqlite3_stmt *st, const struct wp_args *a, int first)
{
    for (int i = 0; a && i < a->n; i++) {
        const struct wp_val *v = &a->v[i];
        int k = first + i;
        switch (v->kind) {
        case WP_V_NULL: sqlite3_bind_null(st, k); break;
        case WP_V_INT: sqlite3_bind_int64(st, k, v->i); break;
        case WP_V_REAL: sqlite3_bind_double(st, k, v->r); break;
        case WP_V_TEXT: sqlite3_bind_text(st, k, v->s, -1, SQLITE_STATIC); break;
        }
    }
}

/* The row of an INSERT's "RETURNING id", read from sqlite3_last_insert_rowid: SQLite runs
 * RETURNING through a temporary table of the returned rows, which cost a fifth of an
 * ingest's instructions (callgrind); the new id is the rowid the insert set (dialect). */
static bool id_null(const struct wp_row *r, int c)
{
    (void)r;
    (void)c;
    return false;
}

static long long id_int(const struct wp_row *r, int c)
{
    (void)c;
    return *(const long long *)r->h;
}

static double id_real(const struct wp_row *r, int c)
{
    return (double)id_int(r, c);
}

static const char *id_text(const struct wp_row *r, int c)
{
    (void)r;
    (void)c;
    return ""; /* only the id is read */
}

static const struct wp_row_ops id_ops = {id_null, id_int, id_real, id_text};

static const char returning_id[] = " RETURNING id";

/* Statement q's text in SQLite's dialect (store_sql.h), in a new string: without a final
 * RETURNING id (*with_id set: the new rowid is handed over instead), and with each
 * WP_SQL_NEXT_ID subquery read as NULL (SQLite assigns MAX(rowid) + 1 itself). */
static char *dialect(int q, bool *with_id)
{
    const char *t = wp_sql[q].text;
    size_t n = strlen(t), k = sizeof returning_id - 1, mark = strlen(WP_SQL_NEXT_ID_MARK);
    *with_id = n >= k && strcmp(t + n - k, returning_id) == 0;
    if (*with_id)
        n -= k;
    char *out = malloc(n + 1), *w = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        if (strncmp(t + i, WP_SQL_NEXT_ID_MARK, mark) == 0 && t[i + mark] == '(') {
            int depth = 0;
            for (i += mark; i < n; i++) { /* past the subquery's closing parenthesis */
                depth += t[i] == '(' ? 1 : t[i] == ')' ? -1 : 0;
                if (depth == 0) {
                    i++;
                    break;
                }
            }
            w += sprintf(w, "NULL");
        } else {
            *w++ = t[i++];
        }
    }
    *w = '\0';
    return out;
}

char *wp_sq_rows_text(int q, int rows)
{
    bool with_id;
    char *one = dialect(q, &with_id);
    char *values = one ? strstr(one, " VALUES (") : NULL;
    if (!values) {
        free(one);
        return NULL;
    }
    const char *tuple = values + sizeof " VALUES " - 1, *end = tuple;
    int params = 0;
    for (const char *p = tuple; *p; p++) /* the tuple's highest parameter number */
        if (*p == '?')
            params = atoi(p + 1) > params ? atoi(p + 1) : params;
    for (int depth = 0; *end; end++) { /* past the tuple's closing parenthesis */
        depth += *end == '(' ? 1 : *end == ')' ? -1 : 0;
        if (depth == 0) {
            end++;
            break;
        }
    }
    size_t head = (size_t)(tuple - one), len = (size_t)(end - tuple);
    char *out = malloc(head + (size_t)rows * (len + 2 + 8 * (size_t)params) + strlen(end) + 1);
    char *w = out;
    if (out) {
        memcpy(w, one, head);
        w += head;
        for (int r = 0; r < rows; r++) {
            if (r)
                w += sprintf(w, ", ");
            for (const char *p = tuple; p < end; p++) {
                if (*p == '?') { /* ?N of row r is ?(N + r * params) */
                    char *after;
                    long n = strtol(p + 1, &after, 10);
                    w += sprintf(w, "?%ld", n + (long)r * params);
                    p = after - 1;
                } else {
                    *w++ = *p;
                }
            }
        }
        strcpy(w, end);
    }
    free(one);
    return out;
}

static enum wp_err sq_exec(struct wp_store *b, int q, const struct wp_args *a, wp_row_fn fn,
                           void *ctx, long long *changes, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    enum wp_err held = wp_sq_batch_flush(s, d); /* the rows held back come first */
    if (held)
        return held;
    sqlite3_stmt *st = s->q[q];
    if (!st) {
        char *text = dialect(q, &s->q_with_id[q]);
        if (!text)
            return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        int rc = sqlite3_prepare_v3(s->db, text, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
        free(text);
        if (rc != SQLITE_OK)
            return wp_sq_fail(s, d, "prepare");
        s->q[q] = st;
    }
    bool with_id = s->q_with_id[q];
    wp_sq_bind(st, a, 1);
    struct wp_row row = {&row_ops, st, 0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn && fn(ctx, &row))
            break;
    if (rc == SQLITE_DONE && with_id && fn) {
        long long id = sqlite3_last_insert_rowid(s->db);
        struct wp_row r = {&id_ops, &id, 0};
        fn(ctx, &r);
    }
    enum wp_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? WP_OK
                                                          : wp_sq_fail(s, d, wp_sql[q].what);
    if (changes)
        *changes = sqlite3_changes64(s->db);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st); /* the texts were bound without a copy */
    return e;
}

static enum wp_err step_done(struct wp_sq *s, enum wp_stmt which, struct wp_diag *d,
                             const char *what)
{
    sqlite3_stmt *st = wp_sq_stmt(s, which, d);
    if (!st)
        return WP_ERR_DB;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, what);
}

enum wp_err wp_sq_begin(struct wp_store *b, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    return step_done(s, ST_BEGIN, d, "begin transaction");
}

enum wp_err wp_sq_commit(struct wp_store *b, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    enum wp_err e = wp_sq_batch_flush(s, d);
    return e ? e : step_done(s, ST_COMMIT, d, "commit");
}

void wp_sq_rollback(struct wp_store *b)
{
    struct wp_sq *s = wp_sq_of(b);
    wp_sq_batch_drop(s); /* rows held back are not stored, nor their callbacks called */
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    free(s->deferred_index); /* the rollback brought the index back */
    s->deferred_index = NULL;
    s->labels_drop_at = 0;
}

static int on_index_sql(void *ctx, int n, char **v, char **names)
{
    (void)names;
    char **out = ctx;
    if (n > 0 && v[0] && !*out)
        *out = strdup(v[0]);
    return 0;
}

/* Labelling many runs: an UPDATE of a run's experiment costs twice as much while the
 * run_experiment index is kept (a random delete and insert per run: 18 k instructions per
 * run, 6.9 k less with the index dropped and built again once after, on 30,000 runs).
 * Building it again sorts every run, so the index is dropped only once the pass has moved
 * a quarter of the highest run id (the runs, where none was removed; at least
 * LABELS_DROP_MIN) to another experiment, at a call of
 * start between the pieces the pass reads (SQLite drops nothing while a statement reads
 * the table): a pass that reads every run of a large database and moves few of them (a
 * manifest given again with a file) keeps it.  The index's own SQL is kept, so it comes
 * back as the schema defined it. */
#define LABELS_DROP_MIN 1024
static enum wp_err defer_index(struct wp_sq *s, struct wp_diag *d);
static enum wp_err sq_label_many(struct wp_store *b, bool start, long long runs,
                                 struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    enum wp_err e = WP_OK;
    if (start && !s->labels_drop_at) { /* the pass begins */
        s->labels_moved_at_start = b->runs_moved;
        s->labels_drop_at = runs / 4 > LABELS_DROP_MIN ? runs / 4 : LABELS_DROP_MIN;
        return WP_OK;
    }
    if (start) /* between pieces */
        return s->deferred_index ||
                       b->runs_moved - s->labels_moved_at_start < s->labels_drop_at
                   ? WP_OK
                   : defer_index(s, d);
    s->labels_drop_at = 0;
    if (s->deferred_index) {
        e = exec(s, s->deferred_index, d);
        free(s->deferred_index);
        s->deferred_index = NULL;
    }
    return e;
}

/* Drops the run_experiment index, its SQL kept in s->deferred_index (none: nothing). */
static enum wp_err defer_index(struct wp_sq *s, struct wp_diag *d)
{
    char *err = NULL;
    if (sqlite3_exec(s->db, "SELECT sql FROM sqlite_master WHERE type = 'index'"
                            " AND name = 'run_experiment' AND sql IS NOT NULL",
                     on_index_sql, &s->deferred_index, &err) != SQLITE_OK) {
        enum wp_err e = wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "database: %s",
                                    err ? err : "read schema");
        sqlite3_free(err);
        return e;
    }
    enum wp_err e = WP_OK;
    if (s->deferred_index && (e = exec(s, "DROP INDEX run_experiment", d))) {
        free(s->deferred_index);
        s->deferred_index = NULL;
    }
    return e;
}

static const struct wp_store_ops sq_ops = {
    .name = "sqlite",
    .exec = sq_exec,
    .label_many = sq_label_many,
    .close = wp_sq_close,
    .begin = wp_sq_begin,
    .commit = wp_sq_commit,
    .rollback = wp_sq_rollback,
    .queue_measurement = wp_sq_queue,
    .flush = wp_sq_flush,
    .export_sources = wp_sq_export_sources,
    .export_versions = wp_sq_export_versions,
    .export_measurements = wp_sq_export_measurements,
    .export_rejected = wp_sq_export_rejected,
    .export_run_labels = wp_sq_export_run_labels,
    .export_rules = wp_sq_export_rules,
};
