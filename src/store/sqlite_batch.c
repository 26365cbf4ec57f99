/* SQLite backend, measurements held back and stored many rows per statement.  An ingest
 * queues its rows (wp_store_queue_measurement); when they are stored, every run the held
 * rows start goes in by one INSERT of up to 32 runs and their measurements by one of up
 * to 32 rows, because SQLite's cost per statement run (bind, step, open a cursor on each
 * index, halt, reset) was more than the rows themselves (issue 30).  Which run a row
 * joins is the rule of store_write.c (wp_store_judge), decided here in memory while the
 * rows' key is new to the database (a run's phases in one file, mostly); a row whose key
 * some run stored earlier holds goes alone through store_write.c, in its turn.  Rows, ids,
 * outcomes and callbacks come in the order the rows were queued, as without the batch. */
#include "store/sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HELD_ROWS 32       /* a power of two: a batch is stored in statements of 2^k rows */
#define HELD_SIZES 6       /* 1, 2, 4, ..., HELD_ROWS rows per statement */
#define ARENA_BYTES 65536  /* the held rows' strings; a row that does not fit goes alone */

/* What becomes of a held row. */
enum act {
    ACT_NEW,   /* the first row of a new run (outcome NEW, or CONFLICT with res.other) */
    ACT_JOIN,  /* a further phase of the run row `of` starts (JOINED) */
    ACT_SAME,  /* the same values as row `of` again: not stored (DUPLICATE) */
    ACT_ALONE, /* a run stored before holds its key: store_write.c decides, in its turn */
};

struct held {
    struct wp_measurement m; /* its strings in the arena */
    long long source_id;
    const char *group_key; /* in the arena, or NULL */
    char key[128];         /* the run key (wp_store_run_key), when has_key */
    bool has_key;
    enum act act;
    size_t of;       /* ACT_JOIN: the row that starts its run; ACT_SAME: the row it repeats */
    long long exp;   /* ACT_NEW: the experiment the run labeller stores the run in, or 0 */
    const struct wp_labels *labels; /* ACT_NEW: the labeller's labels for it */
    size_t first;    /* the first row of the batch with its key (itself when none before) */
    struct wp_add_result res;
    long long dims[3];
    void (*done)(void *ctx, const struct wp_queued *q, const struct wp_add_result *res);
    void *ctx;
};

struct wp_sq_batch {
    size_t n;
    struct held rows[HELD_ROWS];
    bool flushing;
    size_t used;
    char arena[ARENA_BYTES];
    sqlite3_stmt *runs[HELD_SIZES], *meas[HELD_SIZES], *probe[HELD_SIZES]; /* [k]: 2^k rows */
    sqlite3_stmt *name; /* a source file's name, for "file:line" of a repeated row */
};

/* Which of 2^k keys some run holds (parameters left unbound are NULL: no match).  A
 * VALUES list probed row by row costs a third less than `uid IN (...)`, which first builds
 * a temporary index of the list (3.1 k instructions a key against 4.9 k, callgrind). */
static char *probe_sql(int k)
{
    int n = 1 << k;
    char *sql = malloc(128 + (size_t)n * 8), *w = sql;
    if (!sql)
        return NULL;
    w += sprintf(w, "SELECT v.column1 FROM (VALUES ");
    for (int i = 1; i <= n; i++)
        w += sprintf(w, "%s(?%d)", i > 1 ? ", " : "", i);
    sprintf(w, ") v WHERE EXISTS (SELECT 1 FROM run WHERE uid = v.column1)");
    return sql;
}

static enum wp_err nomem(struct wp_diag *d)
{
    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* ---- holding a row ------------------------------------------------------------------- */

/* A copy of n bytes in the arena (aligned for pointers), or NULL when it is full. */
static void *take(struct wp_sq_batch *b, size_t n)
{
    size_t at = (b->used + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
    if (at > ARENA_BYTES || n > ARENA_BYTES - at)
        return NULL;
    b->used = at + n;
    return b->arena + at;
}

/* Copies *p into the arena (NULL stays NULL); false when it is full. */
static bool keep(struct wp_sq_batch *b, const char **p)
{
    if (!*p || !**p) {
        *p = *p ? "" : NULL; /* nothing to copy */
        return true;
    }
    size_t n = strlen(*p) + 1;
    char *c = take(b, n);
    if (!c)
        return false;
    memcpy(c, *p, n);
    *p = c;
    return true;
}

static bool keep_extras(struct wp_sq_batch *b, struct wp_measurement *m)
{
    if (!m->n_extra)
        return true;
    const char **k = take(b, m->n_extra * sizeof *k), **v = take(b, m->n_extra * sizeof *v);
    if (!k || !v)
        return false;
    for (size_t i = 0; i < m->n_extra; i++) {
        k[i] = m->extra_keys[i];
        v[i] = m->extra_values[i];
        if (!keep(b, &k[i]) || !keep(b, &v[i]))
            return false;
    }
    m->extra_keys = k;
    m->extra_values = v;
    return true;
}

/* Holds a copy of m as the batch's next row; false (nothing held) when the arena cannot
 * take its strings. */
static bool hold(struct wp_sq_batch *b, long long source_id, const struct wp_measurement *m,
                 const char *group_key, struct held *proto)
{
    size_t used = b->used;
    struct held *h = &b->rows[b->n];
    *h = *proto;
    h->m = *m;
    h->source_id = source_id;
    h->group_key = group_key;
    struct wp_measurement *c = &h->m;
    bool ok = keep_extras(b, c) && keep(b, &h->group_key);
    for (size_t i = 0; ok && i < WP_MEASUREMENT_N_TEXT; i++)
        ok = keep(b, &WP_MEASUREMENT_TEXT(c, i));
    if (!ok) {
        b->used = used;
        return false;
    }
    h->has_key = wp_store_run_key(c, source_id, h->group_key, h->key);
    b->n++;
    return true;
}

/* ---- storing the rows held ----------------------------------------------------------- */

static void tell(const struct held *h, const struct wp_add_result *res)
{
    struct wp_queued q = {h->m.line, h->m.run_label, h->m.phase, h->m.energy_j};
    h->done(h->ctx, &q, res);
}

/* A row that may join a run stored before, or one too large to hold: the domain rule. */
static enum wp_err alone(struct wp_sq *s, struct held *h, struct wp_diag *d)
{
    enum wp_err e = wp_store_w_add_measurement(&s->base, h->source_id, &h->m, h->group_key,
                                               &h->res, d);
    if (!e)
        tell(h, &h->res);
    return e;
}

/* The probe of 2^k keys, prepared on first use. */
static sqlite3_stmt *probe_stmt(struct wp_sq *s, struct wp_sq_batch *b, int k, struct wp_diag *d)
{
    if (b->probe[k])
        return b->probe[k];
    char *sql = probe_sql(k);
    if (!sql) {
        nomem(d);
        return NULL;
    }
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &b->probe[k], NULL) !=
        SQLITE_OK) {
        wp_sq_fail(s, d, "prepare");
        b->probe[k] = NULL;
    }
    free(sql);
    return b->probe[k];
}

/* Each row's first row of its key in the batch; the keys that first appear here are
 * looked up among the runs stored before, and a row whose key one holds goes alone (as
 * do the later rows of that key). */
static enum wp_err find_stored(struct wp_sq *s, struct wp_sq_batch *b, struct wp_diag *d)
{
    const char *keys[HELD_ROWS];
    int n = 0;
    for (size_t i = 0; i < b->n; i++) {
        struct held *h = &b->rows[i];
        h->first = i;
        h->act = ACT_NEW;
        for (size_t j = 0; h->has_key && j < i; j++)
            if (b->rows[j].has_key && strcmp(b->rows[j].key, h->key) == 0) {
                h->first = j;
                break;
            }
        if (h->has_key && h->first == i)
            keys[n++] = h->key;
    }
    if (!n)
        return WP_OK;
    int k = 0;
    while ((1 << k) < n)
        k++;
    sqlite3_stmt *st = probe_stmt(s, b, k, d);
    if (!st)
        return WP_ERR_DB;
    for (int i = 0; i < n; i++)
        sqlite3_bind_text(st, i + 1, keys[i], -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *uid = (const char *)sqlite3_column_text(st, 0);
        for (size_t i = 0; uid && i < b->n; i++)
            if (b->rows[i].has_key && strcmp(b->rows[i].key, uid) == 0)
                b->rows[i].act = ACT_ALONE;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, "find run");
}

/* The name of source file id, for "file:line" (*name valid until the next call). */
static enum wp_err source_name(struct wp_sq *s, struct wp_sq_batch *b, long long id,
                               const char **name, struct wp_diag *d)
{
    if (!b->name && sqlite3_prepare_v3(s->db, "SELECT name FROM source_file WHERE id = ?1",
                                       -1, SQLITE_PREPARE_PERSISTENT, &b->name, NULL))
        return wp_sq_fail(s, d, "prepare");
    sqlite3_reset(b->name);
    sqlite3_bind_int64(b->name, 1, id);
    int rc = sqlite3_step(b->name);
    *name = rc == SQLITE_ROW ? wp_sq_col_text(b->name, 0) : "";
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, "find source file");
}

/* Row i, whose key rows before it in the batch have and no run stored before holds: the
 * run identity rule over the runs those rows start, in the order they start them (the
 * order of their ids), each with the measurements of its phases held so far. */
static enum wp_err judge(struct wp_sq *s, struct wp_sq_batch *b, size_t i, struct wp_diag *d)
{
    struct held *h = &b->rows[i];
    h->res.outcome = WP_ADD_NEW;
    for (size_t r = h->first; r < i; r++) {
        const struct held *run = &b->rows[r];
        if (run->act != ACT_NEW || !run->has_key || strcmp(run->key, h->key) != 0)
            continue;
        const struct held *held = NULL; /* the run's measurement of h's phase */
        for (size_t q = r; q < i && !held; q++) {
            const struct held *x = &b->rows[q];
            bool in_run = (x->act == ACT_NEW && q == r) || (x->act == ACT_JOIN && x->of == r);
            if (in_run && strcmp(x->m.phase, h->m.phase) == 0)
                held = x;
        }
        const char *file = "";
        enum wp_err e = held ? source_name(s, b, held->source_id, &file, d) : WP_OK;
        if (e)
            return e;
        struct wp_held v = {0};
        if (held)
            v = (struct wp_held){held->m.energy_j, held->m.duration_s, held->m.emissions_g,
                                 held->m.started_at ? held->m.started_at : "", file,
                                 held->m.line};
        if (!wp_store_judge(held ? &v : NULL, &h->m, &h->res))
            continue; /* a conflict: the next run of the key */
        h->act = h->res.outcome == WP_ADD_DUPLICATE ? ACT_SAME : ACT_JOIN;
        h->of = h->act == ACT_SAME ? (size_t)(held - b->rows) : r;
        return WP_OK;
    }
    h->act = ACT_NEW; /* no run of the key took it: a run of its own */
    return WP_OK;
}

/* What becomes of each row (enum act), in order. */
static enum wp_err decide(struct wp_sq *s, struct wp_sq_batch *b, struct wp_diag *d)
{
    enum wp_err e = find_stored(s, b, d);
    for (size_t i = 0; !e && i < b->n; i++) {
        struct held *h = &b->rows[i];
        if (h->first != i)
            h->act = b->rows[h->first].act == ACT_ALONE ? ACT_ALONE : ACT_NEW;
        if (h->act == ACT_ALONE)
            continue;
        if (h->first != i)
            e = judge(s, b, i, d);
        else
            h->res.outcome = WP_ADD_NEW;
    }
    return e;
}

/* The statement of single-row INSERT q for 2^k rows, prepared on first use. */
static sqlite3_stmt *rows_stmt(struct wp_sq *s, sqlite3_stmt **slot, int q, int k,
                               struct wp_diag *d)
{
    if (*slot)
        return *slot;
    char *text = wp_sq_rows_text(q, 1 << k);
    if (!text) {
        nomem(d);
        return NULL;
    }
    int rc = sqlite3_prepare_v3(s->db, text, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
    free(text);
    if (rc != SQLITE_OK) {
        wp_sq_fail(s, d, "prepare");
        *slot = NULL;
    }
    return *slot;
}

/* The largest k with 2^k <= n (n >= 1), at most HELD_SIZES - 1. */
static int chunk_log2(size_t n)
{
    int k = 0;
    while (k + 1 < HELD_SIZES && ((size_t)1 << (k + 1)) <= n)
        k++;
    return k;
}

/* Runs the bound statement st of `rows` rows; *first the rowid of its first row (the
 * rowids of one INSERT's rows follow each other: each is the table's largest plus one). */
static enum wp_err step_rows(struct wp_sq *s, sqlite3_stmt *st, size_t rows, long long *first,
                             const char *what, struct wp_diag *d)
{
    int rc = sqlite3_step(st);
    *first = sqlite3_last_insert_rowid(s->db) - (long long)rows + 1;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, what);
}

/* Inserts a run for each row of idx[0..n) (rows that start one). */
static enum wp_err insert_runs(struct wp_sq *s, struct wp_sq_batch *b, const size_t *idx,
                               size_t n, struct wp_diag *d)
{
    for (size_t i = 0; i < n;) {
        int k = chunk_log2(n - i);
        size_t rows = (size_t)1 << k;
        sqlite3_stmt *st = rows_stmt(s, &b->runs[k], Q_RUN_NEW, k, d);
        if (!st)
            return WP_ERR_DB;
        int per = sqlite3_bind_parameter_count(st) / (int)rows; /* Q_RUN_NEW's */
        for (size_t r = 0; r < rows; r++) {
            struct wp_args a = {0};
            const struct held *h = &b->rows[idx[i + r]];
            wp_arg_text(&a, h->has_key ? h->key : NULL);
            wp_arg_int_or_null(&a, h->exp);
            wp_sq_bind(st, &a, 1 + (int)r * per);
        }
        long long first;
        enum wp_err e = step_rows(s, st, rows, &first, wp_sql[Q_RUN_NEW].what, d);
        if (e)
            return e;
        for (size_t r = 0; r < rows; r++) {
            struct held *h = &b->rows[idx[i + r]];
            h->res.run_id = first + (long long)r;
            if (h->exp)
                wp_store_w_run_created(&s->base, h->res.run_id, h->labels);
        }
        i += rows;
    }
    return WP_OK;
}

/* Inserts the measurements of rows idx[0..n), then their extra columns. */
static enum wp_err insert_measurements(struct wp_sq *s, struct wp_sq_batch *b,
                                       const size_t *idx, size_t n, struct wp_diag *d)
{
    for (size_t i = 0; i < n;) {
        int k = chunk_log2(n - i);
        size_t rows = (size_t)1 << k;
        sqlite3_stmt *st = rows_stmt(s, &b->meas[k], Q_MEAS_NEW, k, d);
        if (!st)
            return WP_ERR_DB;
        int per = sqlite3_bind_parameter_count(st) / (int)rows; /* Q_MEAS_NEW's */
        for (size_t r = 0; r < rows; r++) {
            struct wp_args a;
            const struct held *h = &b->rows[idx[i + r]];
            wp_store_meas_args(h->res.run_id, h->source_id, &h->m, h->dims, &a);
            wp_sq_bind(st, &a, 1 + (int)r * per);
        }
        long long first;
        enum wp_err e = step_rows(s, st, rows, &first, wp_sql[Q_MEAS_NEW].what, d);
        for (size_t r = 0; !e && r < rows; r++)
            if (b->rows[idx[i + r]].m.n_extra)
                e = wp_store_w_extras(&s->base, first + (long long)r, &b->rows[idx[i + r]].m,
                                      d);
        if (e)
            return e;
        i += rows;
    }
    return WP_OK;
}

/* Stores rows [from, to), none of them ACT_ALONE, and calls their callbacks: the rows'
 * dimension rows, then the runs they start, then their measurements, as a row at a time
 * would have added them. */
static enum wp_err store_rows(struct wp_sq *s, struct wp_sq_batch *b, size_t from, size_t to,
                              struct wp_diag *d)
{
    size_t starts[HELD_ROWS], stored[HELD_ROWS], n_starts = 0, n_stored = 0;
    enum wp_err e = WP_OK;
    for (size_t i = from; !e && i < to; i++) {
        struct held *h = &b->rows[i];
        if (h->act == ACT_SAME)
            continue;
        e = wp_store_w_dims(&s->base, &h->m, h->dims, d);
        /* a new run labelled as it is added, as store_write.c's row at a time is */
        if (!e && h->act == ACT_NEW &&
            !(e = wp_store_w_run_experiment(&s->base, h->source_id, &h->m, NULL, &h->exp,
                                            &h->labels, d)))
            starts[n_starts++] = i;
        stored[n_stored++] = i;
    }
    if (e || (n_starts && (e = insert_runs(s, b, starts, n_starts, d))))
        return e;
    for (size_t i = from; i < to; i++) { /* a run started by an earlier row */
        struct held *h = &b->rows[i];
        if (h->act == ACT_JOIN || h->act == ACT_SAME)
            h->res.run_id = b->rows[h->of].res.run_id;
        if (h->act == ACT_JOIN)
            wp_store_w_run_joined(&s->base, h->res.run_id);
    }
    if (n_stored && (e = insert_measurements(s, b, stored, n_stored, d)))
        return e;
    for (size_t i = from; i < to; i++)
        tell(&b->rows[i], &b->rows[i].res);
    return WP_OK;
}

enum wp_err wp_sq_batch_flush(struct wp_sq *s, struct wp_diag *d)
{
    struct wp_sq_batch *b = s->batch;
    if (!b || !b->n || b->flushing)
        return WP_OK;
    b->flushing = true; /* the statements below run now, not after another flush */
    enum wp_err e = decide(s, b, d);
    size_t from = 0;
    for (size_t i = 0; !e && i < b->n; i++) {
        if (b->rows[i].act != ACT_ALONE)
            continue;
        if (!(e = store_rows(s, b, from, i, d)))
            e = alone(s, &b->rows[i], d);
        from = i + 1;
    }
    if (!e)
        e = store_rows(s, b, from, b->n, d);
    b->n = 0;
    b->used = 0;
    b->flushing = false;
    return e;
}

/* ---- the ops ------------------------------------------------------------------------- */

static enum wp_err batch_of(struct wp_sq *s, struct wp_sq_batch **out, struct wp_diag *d)
{
    if ((*out = s->batch))
        return WP_OK;
    struct wp_sq_batch *b = calloc(1, sizeof *b);
    if (!b)
        return nomem(d);
    *out = s->batch = b;
    return WP_OK;
}

enum wp_err wp_sq_queue(struct wp_store *bs, long long source_id, const struct wp_measurement *m,
                        const char *group_key,
                        void (*done)(void *ctx, const struct wp_queued *q,
                                     const struct wp_add_result *res),
                        void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(bs);
    struct wp_sq_batch *b;
    struct held proto = {.done = done, .ctx = ctx};
    enum wp_err e = batch_of(s, &b, d);
    if (!e && b->n == HELD_ROWS)
        e = wp_sq_batch_flush(s, d);
    if (e)
        return e;
    if (!hold(b, source_id, m, group_key, &proto)) {
        if ((e = wp_sq_batch_flush(s, d)))
            return e;
        if (!hold(b, source_id, m, group_key, &proto)) { /* too large to hold: now */
            struct held h = proto;
            h.m = *m;
            h.source_id = source_id;
            h.group_key = group_key;
            return alone(s, &h, d);
        }
    }
    return b->n == HELD_ROWS ? wp_sq_batch_flush(s, d) : WP_OK;
}

enum wp_err wp_sq_flush(struct wp_store *b, struct wp_diag *d)
{
    return wp_sq_batch_flush(wp_sq_of(b), d);
}

void wp_sq_batch_drop(struct wp_sq *s)
{
    if (s->batch && !s->batch->flushing) {
        s->batch->n = 0;
        s->batch->used = 0;
    }
}

void wp_sq_batch_free(struct wp_sq *s)
{
    struct wp_sq_batch *b = s->batch;
    if (!b)
        return;
    for (int k = 0; k < HELD_SIZES; k++) {
        sqlite3_finalize(b->runs[k]);
        sqlite3_finalize(b->meas[k]);
        sqlite3_finalize(b->probe[k]);
    }
    sqlite3_finalize(b->name);
    free(b);
    s->batch = NULL;
}
