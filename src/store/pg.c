/* PostgreSQL backend, core: connecting (libpq; the URI and libpq's environment), the
 * migrations, transactions, the writer lock, and the narrow interface of store/backend.h:
 * the shared statements of store_sql.h in PostgreSQL's dialect (q_text), prepared once per
 * connection and run with bound parameters, read through a cursor or a binary stream where
 * rows may be millions.  The bulk path (COPY batches) is in pg_copy.c. */
#include "store/pg_int.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/migrations.h"

/* Every transaction that writes takes this transaction-level advisory lock first: writers
 * take turns, as they do on SQLite (BEGIN IMMEDIATE), which makes the checks an ingest
 * makes (content seen before? file grown?) and the ids it assigns (MAX(id) + 1, gapless
 * like SQLite's rowids) safe.  Readers never wait for it. */
#define WRITER_LOCK "2004318068" /* 0x77617474, "watt" */

/* The next id of a table, assigned under the writer lock. */
#define NEXT_ID(t) "(SELECT COALESCE(MAX(id), 0) + 1 FROM " t ")"

/* The runs (as r) of the run keys in array $1, selecting cols: each key looked up alone in
 * run_uid (a LATERAL kept apart by OFFSET 0), whatever the planner thinks of the tables.
 * `uid = ANY ($1)` over tables not analyzed since they grew is estimated at half a percent
 * of the runs a key (32 keys: 16 %) and read by a scan of every run (auto_explain); a key
 * alone is an index look-up however the run table's size is guessed. */
#define KEYS_RUNS(cols)                                                                      \
    "SELECT " cols " FROM unnest($1::text[]) AS k (uid) CROSS JOIN LATERAL"                  \
    " (SELECT id, uid FROM run WHERE run.uid = k.uid OFFSET 0) r"

static const char *const sql[PQ__COUNT] = {
    [PQ_LOCK] = "SELECT pg_advisory_xact_lock(" WRITER_LOCK ")",
    /* the batch (pg_copy.c): every run of these keys with each of its measurements, as
     * PQ_RUN_BY_UID finds them one key and phase at a time.  Its plan is fixed by its shape,
     * whatever the planner thinks of the tables (KEYS_RUNS): each key's runs by run_uid,
     * each run's measurements by (run_id, phase)'s index (a LATERAL that OFFSET 0 keeps from
     * being pulled up into a join) and each one's file by its key (a scalar subquery).  As a
     * plain join, on tables not analyzed since they grew (an ingest into a new database),
     * it was planned as a hash join over every measurement: 6.1 ms a batch over the
     * study's files (pg_stat_statements), where this takes 0.2. */
    [PQ_BATCH_RUNS] =
        "WITH r AS MATERIALIZED (" KEYS_RUNS("DISTINCT r.id, r.uid") ")"
        " SELECT r.uid, r.id, m.id, m.phase, m.energy_j, m.duration_s, m.started_at,"
        " m.emissions_g, (SELECT sf.name FROM source_file sf WHERE sf.id = m.source_file_id),"
        " m.line FROM r LEFT JOIN LATERAL (SELECT m.id, m.phase, m.energy_j, m.duration_s,"
        " m.started_at, m.emissions_g, m.source_file_id, m.line FROM measurement m"
        " WHERE m.run_id = r.id OFFSET 0) m ON true ORDER BY r.id, m.phase",
    /* what a batch starts from (pg_copy.c): the next ids, the name of source file $2,
     * and whether a run of keys $1 is stored (each key looked up alone: KEYS_RUNS).  A
     * count, not EXISTS: planned for its first row, EXISTS may take a scan that stops at
     * the first match for cheaper than a look-up, and no key matches in a new file. */
    [PQ_BATCH_START] =
        "SELECT " NEXT_ID("run") ", " NEXT_ID("measurement") ","
        " (SELECT name FROM source_file WHERE id = $2),"
        " (SELECT COUNT(*) FROM (" KEYS_RUNS("1") ") AS stored) > 0",
    [PQ_SOURCE_NAME] = "SELECT name FROM source_file WHERE id = $1",
    /* a small batch's runs and measurements in one statement (pg_copy.c), each column
     * an array sent in binary: the COPYs' fields as they are */
    [PQ_BATCH_SMALL] =
        "WITH r AS (INSERT INTO run (id, uid, experiment_id)"
        " SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[]))"
        " INSERT INTO measurement (" WP_PQ_MEAS_COLUMNS ") SELECT * FROM unnest("
        "$4::bigint[], $5::bigint[], $6::text[], $7::bigint[], $8::bigint[], $9::text[],"
        " $10::text[], $11::text[], $12::text[], $13::float8[], $14::float8[], $15::float8[],"
        " $16::float8[], $17::float8[], $18::float8[], $19::float8[], $20::float8[],"
        " $21::float8[], $22::float8[], $23::float8[], $24::float8[], $25::float8[],"
        " $26::text[], $27::float8[], $28::float8[], $29::bigint[], $30::bigint[],"
        " $31::bigint[], $32::text[], $33::text[], $34::text[])",
    /* in parentheses: clang's -Wstring-concatenation takes two lines as a missing comma */
    [PQ_RUN_LABEL_MANY] =
        ("UPDATE run SET experiment_id = NULLIF(v.exp, 0) FROM"
         " unnest($1::bigint[], $2::bigint[]) AS v (id, exp) WHERE run.id = v.id"),

};

/* ---- binding and reading ------------------------------------------------------------- */

void wp_pq_text(struct wp_pq_args *a, const char *v)
{
    a->v[a->n++] = v;
}

void wp_pq_text_or_null(struct wp_pq_args *a, const char *v)
{
    wp_pq_text(a, v && *v ? v : NULL);
}

void wp_pq_real(struct wp_pq_args *a, double v)
{
    if (isnan(v)) {
        a->v[a->n++] = NULL;
        return;
    }
    /* round-trips every double; -0 is stored as 0, as SQLite stores it (an integral REAL
     * is kept as an integer there), so that both backends print the same */
    snprintf(a->buf[a->n], sizeof a->buf[0], "%.17g", v == 0 ? 0.0 : v);
    a->v[a->n] = a->buf[a->n];
    a->n++;
}

void wp_pq_int(struct wp_pq_args *a, long long v)
{
    snprintf(a->buf[a->n], sizeof a->buf[0], "%lld", v);
    a->v[a->n] = a->buf[a->n];
    a->n++;
}

void wp_pq_int_or_null(struct wp_pq_args *a, long long v)
{
    if (v)
        wp_pq_int(a, v);
    else
        a->v[a->n++] = NULL;
}

/* Column types as the server's catalogue numbers them (pg_type.oid, fixed since 7.x):
 * the ones a cursor's binary rows hold. */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25,
       OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_VARCHAR = 1043 };

/* A big-endian integer of len bytes (binary format: network order). */
static uint64_t be(const char *p, int len)
{
    uint64_t v = 0;
    for (int i = 0; i < len; i++)
        v = v << 8 | (unsigned char)p[i];
    return v;
}

/* Whether every column of a binary result r has a type the column readers decode (bool,
 * int2/4/8, float4/8, text, varchar); WP_ERR_DB naming the first that has not. */
static enum wp_err binary_readable(const PGresult *r, const char *what, struct wp_diag *d)
{
    for (int c = 0; c < PQnfields(r); c++) {
        Oid t = PQftype(r, c);
        if (t != OID_BOOL && t != OID_INT8 && t != OID_INT2 && t != OID_INT4 && t != OID_TEXT &&
            t != OID_FLOAT4 && t != OID_FLOAT8 && t != OID_VARCHAR)
            return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "%s: column %d has type %u, not read "
                               "in binary", what, c + 1, (unsigned)t);
    }
    return WP_OK;
}

/* The bytes of a binary value of the size its type has, or NULL (a server that sends
 * another size is not trusted with the bytes). */
static const char *sized(const PGresult *r, int row, int col, int size)
{
    return PQgetlength(r, row, col) == size ? PQgetvalue(r, row, col) : NULL;
}

double wp_pq_col_real(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return NAN;
    const char *v = PQgetvalue(r, row, col);
    if (!PQfformat(r, col)) /* extra_float_digits = 3 (set at connect): the exact double */
        return strtod(v, NULL);
    switch (PQftype(r, col)) {
    case OID_FLOAT8: {
        if (!(v = sized(r, row, col, 8)))
            return NAN;
        uint64_t u = be(v, 8);
        double d;
        memcpy(&d, &u, sizeof d);
        return d;
    }
    case OID_FLOAT4: {
        if (!(v = sized(r, row, col, 4)))
            return NAN;
        uint32_t u = (uint32_t)be(v, 4);
        float f;
        memcpy(&f, &u, sizeof f);
        return f;
    }
    case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8:
        return (double)wp_pq_col_int(r, row, col);
    default: /* text: its bytes */
        return strtod(v, NULL);
    }
}

const char *wp_pq_col_text(const PGresult *r, int row, int col)
{
    return PQgetvalue(r, row, col); /* "" for NULL; binary text is the bytes, NUL-ended */
}

const char *wp_pq_col_text_or_null(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

long long wp_pq_col_int(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    const char *v = PQgetvalue(r, row, col);
    if (!PQfformat(r, col))
        return strtoll(v, NULL, 10);
    const char *b;
    switch (PQftype(r, col)) { /* two's complement, big-endian */
    case OID_BOOL: return (b = sized(r, row, col, 1)) ? (unsigned char)b[0] : 0;
    case OID_INT2: return (b = sized(r, row, col, 2)) ? (int16_t)be(b, 2) : 0;
    case OID_INT4: return (b = sized(r, row, col, 4)) ? (int32_t)be(b, 4) : 0;
    case OID_INT8: return (b = sized(r, row, col, 8)) ? (int64_t)be(b, 8) : 0;
    case OID_FLOAT4: case OID_FLOAT8: {
        double x = wp_pq_col_real(r, row, col);
        return fabs(x) < 9.2e18 ? (long long)x : 0; /* NaN and out of range: 0 */
    }
    default: return strtoll(v, NULL, 10); /* text: its bytes */
    }
}

/* libpq's or the server's message without its trailing newline, every credential of the
 * connection string masked out of it (libpq quotes a bad "port" or parameter value). */
static void message(const struct wp_pg *s, const char *m, char *out, size_t size)
{
    wp_store_mask_secrets(s->uri ? s->uri : "", m && *m ? m : "no message", out, size);
    size_t n = strlen(out);
    while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
        out[--n] = '\0';
}

enum wp_err wp_pq_fail(struct wp_pg *s, const PGresult *res, const char *what,
                       struct wp_diag *d)
{
    char m[200];
    s->err = WP_ERR_DB;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
    if (state && strcmp(state, "23505") == 0 && constraint &&
        strcmp(constraint, "file_version_sha256_key") == 0)
        return s->err = wp_diag_set(d, WP_ERR_CONFLICT, NULL, 0, 0,
                           "database %s: this content was stored by another writer at the "
                           "same time: that copy is kept, this one is not", s->display);
    message(s, res ? PQresultErrorMessage(res) : PQerrorMessage(s->conn), m, sizeof m);
    if (PQstatus(s->conn) == CONNECTION_BAD)
        return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "database %s: %s: connection lost: %s",
                           s->display, what, m);
    return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "database: %s: %s", what, m);
}

/* Prepares statement `which` on first use, under name (16 bytes); false with d filled. */
static bool prepare(struct wp_pg *s, enum wp_pq_stmt which, char *name, const char *what,
                    struct wp_diag *d)
{
    snprintf(name, 16, "wp%d", (int)which);
    if (s->prepared[which])
        return true;
    PGresult *p = PQprepare(s->conn, name, sql[which], 0, NULL);
    if (PQresultStatus(p) != PGRES_COMMAND_OK) {
        wp_pq_fail(s, p, what, d);
        PQclear(p);
        return false;
    }
    PQclear(p);
    s->prepared[which] = true;
    return true;
}

PGresult *wp_pq_run(struct wp_pg *s, enum wp_pq_stmt which, const struct wp_pq_args *a,
                    const char *what, struct wp_diag *d)
{
    if (!s->flushing && wp_pg_batch_pending(s) && wp_pg_batch_send(s, d))
        return NULL;
    if (wp_pg_settle(s, d))
        return NULL;
    /* a batch's run look-ups are planned for its own keys each time: a plan made once for
     * the first batches (a handful of keys, in a database of a few runs) and kept took 300
     * ms a batch where the planned one takes 10 */
    PGresult *r = NULL;
    char name[16];
    if (which == PQ_BATCH_RUNS || which == PQ_BATCH_START)
        r = PQexecParams(s->conn, sql[which], a ? a->n : 0, NULL, a ? a->v : NULL, NULL, NULL, 0);
    else if (prepare(s, which, name, what, d))
        r = PQexecPrepared(s->conn, name, a ? a->n : 0, a ? a->v : NULL, NULL, NULL, 0);
    else
        return NULL;
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        wp_pq_fail(s, r, what, d);
        PQclear(r);
        return NULL;
    }
    return r;
}

enum wp_err wp_pq_send_binary(struct wp_pg *s, enum wp_pq_stmt which, int n,
                              const char *const *values, const int *lengths,
                              const char *what, struct wp_diag *d)
{
    char name[16];
    enum wp_err e = wp_pg_settle(s, d);
    if (e)
        return e;
    if (!prepare(s, which, name, what, d))
        return s->err;
    int formats[64]; /* every parameter binary; PQ_BATCH_SMALL has 34 */
    if (n > (int)(sizeof formats / sizeof formats[0]))
        return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "database: %s: too many parameters", what);
    for (int i = 0; i < n; i++)
        formats[i] = 1;
    if (!PQsendQueryPrepared(s->conn, name, n, values, lengths, formats, 0))
        return wp_pq_fail(s, NULL, what, d);
    s->copy_pending = what;
    return WP_OK;
}

enum wp_err wp_pq_do(struct wp_pg *s, enum wp_pq_stmt which, const struct wp_pq_args *a,
                     const char *what, struct wp_diag *d)
{
    PGresult *r = wp_pq_run(s, which, a, what, d);
    if (!r)
        return s->err;
    PQclear(r);
    return WP_OK;
}

/* Rows per FETCH of a cursor: memory stays flat however many runs the server holds. */
#define FETCH_ROWS 10000

static enum wp_err exec(struct wp_pg *s, const char *text, const char *what, struct wp_diag *d);

/* Runs SQL text (with $N parameters a) through a cursor, FETCHing a batch of rows at a
 * time, and calls fn for each row until it returns non-zero; fn may run other statements.
 * Inside the caller's transaction, or in a read-only one of its own. */
static enum wp_err each_text(struct wp_pg *s, const char *sqltext, const struct wp_pq_args *a,
                             const char *what,
                             int (*fn)(void *ctx, const PGresult *r, int row), void *ctx,
                             struct wp_diag *d)
{
    enum wp_err e;
    if ((e = wp_pg_batch_send(s, d)) || (e = wp_pg_settle(s, d)))
        return e;
    /* a cursor lives in a transaction: a read of its own outside one (one snapshot, as
     * the single query it replaces saw) */
    bool own = PQtransactionStatus(s->conn) == PQTRANS_IDLE;
    if (own && (e = exec(s, "BEGIN", "begin read", d)))
        return e;
    char name[32], fetch[64], close[48];
    snprintf(name, sizeof name, "wp_cursor%u", s->cursors++); /* a callback may read too */
    snprintf(fetch, sizeof fetch, "FETCH %d FROM %s", FETCH_ROWS, name);
    snprintf(close, sizeof close, "CLOSE %s", name);
    size_t len = strlen(sqltext) + 64;
    char *text = malloc(len);
    if (!text) {
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    snprintf(text, len, "DECLARE %s NO SCROLL CURSOR FOR %s", name, sqltext);
    PGresult *r = PQexecParams(s->conn, text, a ? a->n : 0, NULL, a ? a->v : NULL, NULL, NULL, 0);
    free(text);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        e = wp_pq_fail(s, r, what, d);
        PQclear(r);
        goto out;
    }
    PQclear(r);
    bool stop = false;
    while (!e && !stop) {
        if ((e = wp_pg_batch_send(s, d))) /* what a callback held back goes first */
            break;
        /* rows in binary: no number printed by the server and parsed here */
        r = PQexecParams(s->conn, fetch, 0, NULL, NULL, NULL, NULL, 1);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            e = wp_pq_fail(s, r, what, d);
            PQclear(r);
            break;
        }
        if ((e = binary_readable(r, what, d))) { /* a column no reader here decodes */
            PQclear(r);
            break;
        }
        int n = PQntuples(r);
        for (int i = 0; i < n && !stop; i++)
            stop = fn(ctx, r, i) != 0;
        PQclear(r);
        stop = stop || n < FETCH_ROWS;
    }
    if (!e)
        e = exec(s, close, what, d);
out:
    if (own)
        exec(s, e ? "ROLLBACK" : "COMMIT", "end read", e ? NULL : d);
    return e;
}

/* ---- the narrow interface (store/backend.h) ------------------------------------------ */

static enum wp_err stream(struct wp_pg *s, const char *name, const struct wp_pq_args *a,
                          const char *what, int (*fn)(void *ctx, const PGresult *r, int row),
                          void *ctx, struct wp_diag *d);

static bool row_null(const struct wp_row *r, int c)
{
    return PQgetisnull(r->h, r->i, c);
}

static long long row_int(const struct wp_row *r, int c)
{
    return wp_pq_col_int(r->h, r->i, c);
}

static double row_real(const struct wp_row *r, int c)
{
    return wp_pq_col_real(r->h, r->i, c);
}

static const char *row_text(const struct wp_row *r, int c)
{
    return wp_pq_col_text(r->h, r->i, c);
}

static const struct wp_row_ops row_ops = {row_null, row_int, row_real, row_text};

/* The parameters as text, as the server reads them. */
static void args_text(const struct wp_args *a, struct wp_pq_args *out)
{
    for (int i = 0; a && i < a->n; i++) {
        const struct wp_val *v = &a->v[i];
        switch (v->kind) {
        case WP_V_NULL: wp_pq_text(out, NULL); break;
        case WP_V_INT: wp_pq_int(out, v->i); break;
        case WP_V_REAL: wp_pq_real(out, v->r); break;
        case WP_V_TEXT: wp_pq_text(out, v->s); break;
        }
    }
}

/* Statement q's text in PostgreSQL's dialect (store_sql.h): ?N -> $N, group_concat( ->
 * string_agg(, and the comments WP_SQL_PG wrote opened; once per store. */
static char *dialect(const char *text)
{
    static const char pg_open[] = "/*pg: ", agg[] = "group_concat(";
    char *out = malloc(2 * strlen(text) + 1), *w = out;
    if (!out)
        return NULL;
    for (const char *p = text; *p;) {
        const char *end;
        if (strncmp(p, pg_open, sizeof pg_open - 1) == 0 && (end = strstr(p, "*/"))) {
            p += sizeof pg_open - 1;
            memcpy(w, p, (size_t)(end - p));
            w += end - p;
            p = end + 2;
        } else if (strncmp(p, agg, sizeof agg - 1) == 0) {
            w += sprintf(w, "string_agg(");
            p += sizeof agg - 1;
        } else {
            *w++ = *p == '?' ? '$' : *p;
            p++;
        }
    }
    *w = '\0';
    return out;
}

static const char *q_text(struct wp_pg *s, int q)
{
    if (!s->qtext[q])
        s->qtext[q] = dialect(wp_sql[q].text);
    return s->qtext[q];
}

struct cursor_rows {
    wp_row_fn fn;
    void *ctx;
};

static int on_cursor_row(void *ctx, const PGresult *r, int i)
{
    struct cursor_rows *c = ctx;
    struct wp_row row = {&row_ops, r, i};
    return c->fn(c->ctx, &row);
}

/* Prepares statement q on first use, under name (16 bytes). */
static enum wp_err prepare_q(struct wp_pg *s, int q, char *name, struct wp_diag *d)
{
    snprintf(name, 16, "wq%d", q);
    if (s->qprepared[q])
        return WP_OK;
    const char *text = q_text(s, q);
    if (!text)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    PGresult *p = PQprepare(s->conn, name, text, 0, NULL);
    enum wp_err e = PQresultStatus(p) == PGRES_COMMAND_OK ? WP_OK
                                                          : wp_pq_fail(s, p, wp_sql[q].what, d);
    PQclear(p);
    s->qprepared[q] = !e;
    return e;
}

enum wp_err wp_pg_exec(struct wp_store *b, int q, const struct wp_args *a, wp_row_fn fn,
                       void *ctx, long long *changes, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    const char *what = wp_sql[q].what;
    struct wp_pq_args pa = {0};
    args_text(a, &pa);
    enum wp_err e;
    /* every statement sees the database as if each held measurement had been stored */
    if ((!s->flushing && wp_pg_batch_pending(s) && (e = wp_pg_batch_send(s, d))) ||
        (e = wp_pg_settle(s, d)))
        return e;
    struct cursor_rows c = {fn, ctx};
    if (wp_sql[q].many && fn) { /* through a cursor: memory stays flat, fn may run statements */
        const char *text = q_text(s, q);
        return text ? each_text(s, text, &pa, what, on_cursor_row, &c, d)
                    : wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    char name[16];
    if ((e = prepare_q(s, q, name, d)))
        return e;
    if (wp_sql[q].stream && fn) /* binary rows decoded while the server sends the next */
        return stream(s, name, &pa, what, on_cursor_row, &c, d);
    PGresult *r = PQexecPrepared(s->conn, name, pa.n, pa.v, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        e = wp_pq_fail(s, r, what, d);
        PQclear(r);
        return e;
    }
    if (changes)
        *changes = strtoll(PQcmdTuples(r), NULL, 10);
    int n = PQntuples(r);
    for (int i = 0; fn && i < n; i++) {
        struct wp_row row = {&row_ops, r, i};
        if (fn(ctx, &row))
            break;
    }
    PQclear(r);
    return WP_OK;
}

/* Ends a streamed query whose rows are no longer wanted, leaving the connection free: asks
 * the server to cancel it, unless inside the caller's transaction (a cancelled statement
 * would abort it), then reads what is still coming (the cancel's error among it). */
static void stream_drain(struct wp_pg *s, bool cancel)
{
    PGcancel *c = cancel ? PQgetCancel(s->conn) : NULL;
    char err[256];
    if (c) {
        PQcancel(c, err, sizeof err);
        PQfreeCancel(c);
    }
    PGresult *r;
    while ((r = PQgetResult(s->conn)))
        PQclear(r);
}

/* Runs prepared statement `name` with `a` and calls fn for each row, as the server sends
 * them (binary, one result a row), until it returns non-zero (the rest is cancelled, or
 * read and dropped inside the caller's transaction, which a cancel would abort).  fn must
 * not run statements: the connection is busy until the last row.  One snapshot. */
static enum wp_err stream(struct wp_pg *s, const char *name, const struct wp_pq_args *a,
                          const char *what, int (*fn)(void *ctx, const PGresult *r, int row),
                          void *ctx, struct wp_diag *d)
{
    enum wp_err e = WP_OK;
    bool own = PQtransactionStatus(s->conn) == PQTRANS_IDLE;
    /* binary rows, one result per row as the server sends them: this side decodes a row
     * while the server produces the next (a cursor's FETCH waits for each batch) */
    if (!PQsendQueryPrepared(s->conn, name, a ? a->n : 0, a ? a->v : NULL, NULL, NULL, 1))
        return wp_pq_fail(s, NULL, what, d);
    if (!PQsetSingleRowMode(s->conn)) {
        e = wp_pq_fail(s, NULL, what, d);
        stream_drain(s, own);
        return e;
    }
    bool checked = false, stop = false;
    PGresult *r;
    while (!e && !stop && (r = PQgetResult(s->conn))) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            if (!checked) /* the columns are the same in every row: the first says */
                checked = !(e = binary_readable(r, what, d));
            if (!e)
                stop = fn(ctx, r, 0) != 0;
        } else if (st != PGRES_TUPLES_OK) {
            e = wp_pq_fail(s, r, what, d);
        }
        PQclear(r);
    }
    if (e || stop)
        stream_drain(s, own);
    return e;
}

/* Runs SQL text without parameters (migrations, transaction control). */
static enum wp_err exec(struct wp_pg *s, const char *text, const char *what, struct wp_diag *d)
{
    enum wp_err e = wp_pg_settle(s, d);
    if (e)
        return e;
    PGresult *r = PQexec(s->conn, text);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        e = wp_pq_fail(s, r, what, d);
    PQclear(r);
    return e;
}

/* ---- migrations ---------------------------------------------------------------------- */

/* The schema version, -1 on error; 0 when the database has no schema_migrations yet. */
static int read_version(struct wp_pg *s, struct wp_diag *d)
{
    PGresult *r = PQexec(s->conn,
                         "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN -1"
                         " ELSE 0 END");
    int v = -1;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        wp_pq_fail(s, r, "read schema version", d);
        PQclear(r);
        return -1;
    }
    bool exists = strcmp(PQgetvalue(r, 0, 0), "0") == 0;
    PQclear(r);
    if (!exists)
        return 0;
    r = PQexec(s->conn, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        v = atoi(PQgetvalue(r, 0, 0));
    else
        wp_pq_fail(s, r, "read schema version", d);
    PQclear(r);
    return v;
}

static enum wp_err record_migration(struct wp_pg *s, const struct wp_migration *m,
                                    struct wp_diag *d)
{
    char now[32], version[16];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(version, sizeof version, "%d", m->version);
    const char *v[] = {version, m->name, now};
    PGresult *r = PQexecParams(s->conn,
                               "INSERT INTO schema_migrations (version, name, applied_at)"
                               " VALUES ($1, $2, $3)",
                               3, NULL, v, NULL, NULL, 0);
    enum wp_err e = PQresultStatus(r) == PGRES_COMMAND_OK
                        ? WP_OK
                        : wp_pq_fail(s, r, "record migration", d);
    PQclear(r);
    return e;
}

/* Applies the pending migrations (each one's PostgreSQL text where schema/pg/ has one) in
 * one transaction under the writer lock, so that two hosts opening a new database at once
 * do not both migrate it.  A database that is up to date needs no privilege but SELECT on
 * schema_migrations: readers and ingesting roles open it too. */
static enum wp_err migrate(struct wp_pg *s, struct wp_diag *d)
{
    int v = read_version(s, d);
    if (v < 0)
        return WP_ERR_DB;
    s->base.version = s->base.version_at_open = v;
    if (v > wp_store_latest_version())
        return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0,
                           "database schema version %d is newer than this wattprint "
                           "understands (%d): upgrade wattprint",
                           v, wp_store_latest_version());
    if (v == wp_store_latest_version())
        return WP_OK;
    enum wp_err e;
    if ((e = exec(s, "BEGIN", "begin migration", d)) ||
        (e = exec(s, sql[PQ_LOCK], "take the writer lock", d)) ||
        (e = exec(s,
                  "CREATE TABLE IF NOT EXISTS schema_migrations ("
                  " version BIGINT PRIMARY KEY, name TEXT COLLATE \"C\" NOT NULL,"
                  " applied_at TEXT COLLATE \"C\" NOT NULL)",
                  "create schema_migrations", d)))
        goto fail;
    if ((v = read_version(s, d)) < 0) { /* another host may have migrated meanwhile */
        e = WP_ERR_DB;
        goto fail;
    }
    for (size_t i = 0; i < wp_n_migrations; i++) {
        const struct wp_migration *m = &wp_migrations[i];
        if (m->version <= v)
            continue;
        char what[96];
        snprintf(what, sizeof what, "migration %03d_%s", m->version, m->name);
        if ((e = exec(s, m->pg_sql ? m->pg_sql : m->sql, what, d)) ||
            (e = record_migration(s, m, d)))
            goto fail;
        v = m->version;
    }
    if ((e = exec(s, "COMMIT", "commit migrations", d)))
        goto fail;
    s->base.version = v;
    return WP_OK;
fail:
    exec(s, "ROLLBACK", "roll back", NULL);
    return e;
}

/* ---- opening, transactions ------------------------------------------------------------ */

/* libpq prints notices (such as "relation already exists, skipping") on stderr by
 * default; library code does not print. */
static void no_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static const struct wp_store_ops pg_ops;

enum wp_err wp_pg_open(const char *uri, struct wp_store **out, struct wp_diag *d)
{
    *out = NULL;
    struct wp_pg *s = calloc(1, sizeof *s);
    if (!s)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    s->base.ops = &pg_ops;
    wp_store_display_name(uri, s->display, sizeof s->display);
    if (!(s->uri = strdup(uri))) {
        free(s);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    /* the URI as given: what it leaves out, libpq takes from PGHOST, PGUSER, PGPASSFILE,
     * service files... */
    s->conn = PQconnectdb(uri);
    enum wp_err e = WP_OK;
    if (!s->conn) {
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    if (PQstatus(s->conn) != CONNECTION_OK) {
        char m[200];
        message(s, PQerrorMessage(s->conn), m, sizeof m);
        e = wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "cannot open database %s: %s", s->display,
                        m);
        goto fail;
    }
    PQsetNoticeProcessor(s->conn, no_notice, NULL);
    /* the schema's statement-level triggers (EXECUTE FUNCTION: 11) and the ingest's
     * MATERIALIZED look-ups (12) */
    if (PQserverVersion(s->conn) < 120000) {
        int v = PQserverVersion(s->conn);
        e = wp_diag_set(d, WP_ERR_DB, NULL, 0, 0,
                        "cannot open database %s: the server is PostgreSQL %d.%d; wattprint "
                        "needs 12 or newer", s->display, v / 10000,
                        v >= 100000 ? v % 10000 : v / 100 % 100); /* 9.6: 90624 */
        goto fail;
    }
    if (PQsetClientEncoding(s->conn, "UTF8") != 0) {
        e = wp_pq_fail(s, NULL, "set client encoding", d);
        goto fail;
    }
    /* doubles as text that reads back to the same bits; no locale in any output.  Every
     * cursor is read to its end (memory stays flat, nothing is cut short), so its plan is
     * for all of its rows: planned for the first tenth (the default), a file's run keys
     * were read by a merge join over every run in id order to spare a sort of a few rows,
     * 11 ms a file on a server holding 100,000 runs, where the plan for all rows takes 0.3 */
    if ((e = exec(s, "SET extra_float_digits = 3; SET client_min_messages = warning;"
                     " SET DateStyle = ISO; SET cursor_tuple_fraction = 1",
                  "set session options", d)))
        goto fail;
    if ((e = migrate(s, d))) {
        if (d && !strstr(d->msg, s->display)) {
            char tmp[sizeof d->msg];
            snprintf(tmp, sizeof tmp, "%s", d->msg);
            wp_diag_set(d, e, NULL, 0, 0, "database %s: %s", s->display, tmp);
        }
        goto fail;
    }
    *out = &s->base;
    return WP_OK;
fail:
    wp_pg_close(&s->base);
    return e;
}

void wp_pg_close(struct wp_store *b)
{
    struct wp_pg *s = wp_pg_of(b);
    wp_pg_batch_free(s);
    for (int i = 0; i < Q__COUNT; i++)
        free(s->qtext[i]);
    PQfinish(s->conn);
    free(s->uri);
    free(s);
}

enum wp_err wp_pg_begin(struct wp_store *b, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    /* one round trip: the lock is the transaction's first statement.  No JIT while
     * writing: its statements are short, and the planner's costs for tables that grew since
     * they were last analyzed passed jit_above_cost, so that compiling a batch's look-up
     * took 13-14 ms where running it took 0.2 */
    enum wp_err e = exec(s, "BEGIN; SET LOCAL jit = off;"
                            " SELECT pg_advisory_xact_lock(" WRITER_LOCK ")",
                         "begin transaction and take the writer lock", d);
    s->in_tx = PQtransactionStatus(s->conn) != PQTRANS_IDLE;
    if (e)
        wp_pg_rollback(b);
    return e;
}

enum wp_err wp_pg_commit(struct wp_store *b, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    enum wp_err sent = wp_pg_batch_send(s, d);
    if (!sent)
        sent = wp_pg_settle(s, d);
    if (sent)
        return sent; /* the caller rolls back */
    PGresult *r = PQexec(s->conn, "COMMIT");
    enum wp_err e = WP_OK;
    /* a COMMIT of a failed transaction reports success but rolls back */
    if (PQresultStatus(r) != PGRES_COMMAND_OK || strcmp(PQcmdStatus(r), "COMMIT") != 0)
        e = wp_pq_fail(s, r, "commit", d);
    PQclear(r);
    s->in_tx = false;
    return e;
}

void wp_pg_rollback(struct wp_store *b)
{
    struct wp_pg *s = wp_pg_of(b);
    wp_pg_settle(s, NULL); /* its failure is what is rolled back */
    if (s->in_tx || PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        exec(s, "ROLLBACK", "roll back", NULL);
    s->in_tx = false;
    wp_pg_batch_drop(s);
}

static const struct wp_store_ops pg_ops = {
    .name = "postgresql",
    .importable = true,
    .exec = wp_pg_exec,
    .label_later = wp_pg_label_later,
    .close = wp_pg_close,
    .begin = wp_pg_begin,
    .commit = wp_pg_commit,
    .rollback = wp_pg_rollback,
    .queue_measurement = wp_pg_queue_measurement,
    .flush = wp_pg_flush,
};
