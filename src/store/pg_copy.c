/* PostgreSQL backend, bulk ingest: measurements queued by an ingest are held back and sent
 * a few thousand at a time with COPY ... FROM STDIN in the binary format (runs with the
 * experiment the run labeller decided, measurements, extra columns: no number printed here
 * and parsed by the server; the last COPY's result is read by the next command, so the
 * server stores a batch while the next is parsed), and runs labelled after their file are
 * updated by one statement.  Each measurement's
 * outcome (new run, joined, duplicate, conflict) and its ids are decided here exactly as
 * wp_store_add_measurement decides them one row at a time: from the runs of the batch's keys
 * as the database holds them (read only when a count finds one, in the statement that gives
 * the batch's next ids) and the batch's own earlier rows.  Not for
 * measurements whose outcome a caller needs at once (push): those go row by row. */
#include "store/pg_int.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"
#include "util/units.h"

#define BATCH_ROWS 4096
#define BATCH_BYTES (4u << 20)
#define LABEL_RUNS 8192

/* A growing byte buffer; strings in it are named by offset (it moves as it grows). */
struct buf {
    char *p;
    size_t len, cap;
};

static bool reserve(struct buf *b, size_t more)
{
    return more <= SIZE_MAX - b->len && WP_ARRAY_GROW(b->p, b->len + more, b->cap) == WP_OK;
}

static bool put(struct buf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return false;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return true;
}

static bool puts_z(struct buf *b, const char *s, size_t *off)
{
    *off = b->len;
    return put(b, s, strlen(s) + 1);
}

/* COPY's binary format: a header, then per row its count of fields (16 bits) and each
 * field as its length (32 bits, -1 for NULL) and its bytes in the column type's binary
 * form (text: the bytes; bigint, double: 8 bytes), all integers big-endian; a trailer. */
static const char copy_header[19] = "PGCOPY\n\377\r\n\0" "\0\0\0\0" "\0\0\0\0";

static bool put_be(struct buf *b, uint64_t v, int len)
{
    char t[8];
    for (int i = len - 1; i >= 0; i--, v >>= 8)
        t[i] = (char)(v & 0xff);
    return put(b, t, (size_t)len);
}

/* The count of fields that starts a row. */
static bool put_count(struct buf *b, int n)
{
    return put_be(b, (uint64_t)n, 2);
}

/* A text field, NULL for NULL. */
static bool put_field(struct buf *b, const char *s)
{
    if (!s)
        return put_be(b, 0xffffffffu, 4);
    size_t n = strlen(s);
    return n <= INT32_MAX && put_be(b, n, 4) && put(b, s, n);
}

/* A double with the same bits, -0 as 0 (as wp_pq_real binds it), NAN as NULL. */
static bool put_real(struct buf *b, double v)
{
    if (isnan(v))
        return put_field(b, NULL);
    if (v == 0)
        v = 0.0;
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return put_be(b, 8, 4) && put_be(b, u, 8);
}

static bool put_int(struct buf *b, long long v, bool null_if_zero)
{
    if (null_if_zero && !v)
        return put_field(b, NULL);
    return put_be(b, 8, 4) && put_be(b, (uint64_t)v, 8);
}

/* The length of the field at p (its 4 bytes and what follows; NULL: 4). */
static size_t field_len(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    uint32_t n = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
    return n == 0xffffffffu ? 4 : 4 + (size_t)n;
}

/* One queued measurement: what deciding its outcome needs, and its COPY row without the
 * two ids the batch assigns when it is sent (measurement id, run id). */
struct pend {
    size_t key, phase, run_label, started_at; /* offsets in strs; key SIZE_MAX = none */
    long line;
    long long source_id;
    long long exp;            /* the experiment a new run of it is stored in (0: none) */
    const struct wp_labels *labels; /* the run labeller's labels for such a run */
    double energy_j, duration_s, emissions_g;
    size_t row, row_len;      /* in rows: the fields from phase to ram_basis */
    size_t extra, extra_len;  /* in rows: the fields key, value per extra column */
    void (*done)(void *ctx, const struct wp_queued *q, const struct wp_add_result *res);
    void *ctx;
    struct wp_add_result res; /* decided when the batch is sent */
};

#define NONE ((size_t)-1)
#define MEAS_FIELDS 31 /* the columns of the measurement COPY */

/* The runs of the batch's keys while it is decided: a chain per key (by id), each with
 * its measurements. */
struct run {
    long long id;
    size_t key;    /* offset in strs or in the query's copy (idx.keys) */
    int next;      /* next run of this key, -1 none */
    int meas;      /* first measurement, -1 none */
};
struct meas {
    size_t phase, started_at, file; /* offsets in idx.strs */
    long long line;
    double energy_j, duration_s, emissions_g;
    int next;
};
struct idx {
    struct run *runs;
    size_t n_runs, cap_runs;
    struct meas *meas;
    size_t n_meas, cap_meas;
    int *slots; /* hash of keys: run index of the first run of a key, -1 empty */
    size_t n_slots;
    struct buf strs;
};

struct wp_pq_batch {
    struct pend *p;
    size_t n, cap;
    struct buf strs, rows;
    /* labels held back: {run, experiment (0 none), order held} */
    long long (*labels)[3];
    size_t n_label, cap_label;
};

bool wp_pg_batch_pending(const struct wp_pg *s)
{
    return s->batch && (s->batch->n || s->batch->n_label);
}

static void reset(struct wp_pq_batch *b)
{
    b->n = 0;
    b->strs.len = b->rows.len = 0;
    b->n_label = 0;
}

void wp_pg_batch_drop(struct wp_pg *s)
{
    if (s->batch)
        reset(s->batch);
}

void wp_pg_batch_free(struct wp_pg *s)
{
    struct wp_pq_batch *b = s->batch;
    if (!b)
        return;
    free(b->p);
    free(b->strs.p);
    free(b->rows.p);
    free(b->labels);
    free(b);
    s->batch = NULL;
}

static enum wp_err nomem(struct wp_diag *d)
{
    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static struct wp_pq_batch *batch_of(struct wp_pg *s)
{
    if (!s->batch)
        s->batch = calloc(1, sizeof *s->batch);
    return s->batch;
}

/* ---- sending with COPY ---------------------------------------------------------------- */

/* Reads the results of the COPY just ended (or sent before): its failure, if any. */
static enum wp_err copy_result(struct wp_pg *s, enum wp_err e, const char *what,
                               struct wp_diag *d)
{
    PGresult *r;
    while ((r = PQgetResult(s->conn))) {
        if (!e && PQresultStatus(r) != PGRES_COMMAND_OK)
            e = wp_pq_fail(s, r, what, d);
        PQclear(r);
    }
    return e;
}

enum wp_err wp_pg_settle(struct wp_pg *s, struct wp_diag *d)
{
    const char *what = s->copy_pending;
    if (!what)
        return WP_OK;
    s->copy_pending = NULL;
    return copy_result(s, WP_OK, what, d);
}

/* Runs `copy` (COPY ... FROM STDIN (FORMAT binary), no values in it) and sends the rows
 * data[0..len) between the format's header and trailer.  Its result is read by the next
 * command (wp_pg_settle): the server stores the rows while this side goes on. */
static enum wp_err copy_in(struct wp_pg *s, const char *copy, const char *data, size_t len,
                           const char *what, struct wp_diag *d)
{
    static const char trailer[2] = "\377\377"; /* the field count -1 that ends the rows */
    if (!len)
        return WP_OK;
    enum wp_err e = wp_pg_settle(s, d);
    if (e)
        return e;
    PGresult *r = PQexec(s->conn, copy);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        e = wp_pq_fail(s, r, what, d);
        PQclear(r);
        return e;
    }
    PQclear(r);
    const size_t chunk = 1u << 20;
    int ok = PQputCopyData(s->conn, copy_header, (int)sizeof copy_header);
    for (size_t off = 0; ok == 1 && off < len; off += chunk)
        ok = PQputCopyData(s->conn, data + off, (int)(len - off < chunk ? len - off : chunk));
    if (ok == 1)
        ok = PQputCopyData(s->conn, trailer, (int)sizeof trailer);
    if (ok == 1)
        ok = PQputCopyEnd(s->conn, NULL);
    if (ok == 1) {
        s->copy_pending = what;
        return WP_OK;
    }
    return copy_result(s, wp_pq_fail(s, NULL, what, d), what, d);
}

/* ---- sending a small batch in one statement ------------------------------------------- */

/* A batch of at most this many measurements, none with extra columns, goes in one prepared
 * statement (PQ_BATCH_SMALL: the runs in a WITH, then the measurements) instead of two
 * COPYs: a COPY is parsed each time and costs two round trips, which a file of a few rows
 * (most logs) paid for each table. */
#define SMALL_ROWS 64

/* The binary array types of the columns of runs, then of measurements: B bigint, T text,
 * F double precision, as put_int, put_field and put_real write them. */
static const char small_types[] = "BTB" "BBTBBTTTTFFFFFFFFFFFFFTFFBBBTTT";
#define SMALL_PARAMS ((int)sizeof small_types - 1)

/* Splits COPY tuples data[0..len) of `nf` fields (put_count, then each field's length and
 * bytes) into col[0..nf): each field as an array element (the same length and bytes);
 * counts the tuples in *n and notes in has_null[i] a NULL in column i. */
static bool split_tuples(const char *data, size_t len, int nf, struct buf *col, bool *has_null,
                         int *n)
{
    *n = 0;
    for (size_t off = 0; off < len; (*n)++) {
        const unsigned char *u = (const unsigned char *)data + off;
        if (len - off < 2 || (u[0] << 8 | u[1]) != nf)
            return false;
        off += 2;
        for (int i = 0; i < nf; i++) {
            if (len - off < 4)
                return false;
            size_t field = field_len(data + off);
            if (memcmp(data + off, "\377\377\377\377", 4) == 0) /* -1: NULL ('' is 0) */
                has_null[i] = true;
            if (len - off < field || !put(&col[i], data + off, field))
                return false;
            off += field;
        }
    }
    return true;
}

/* Sends the batch's runs and measurements (COPY tuples, decide's) as PQ_BATCH_SMALL. */
static enum wp_err send_small(struct wp_pg *s, const struct buf *runs, const struct buf *meas,
                              struct wp_diag *d)
{
    struct buf col[SMALL_PARAMS] = {{0}}, arr[SMALL_PARAMS] = {{0}};
    bool has_null[SMALL_PARAMS] = {false};
    int n_runs, n_meas;
    bool ok = split_tuples(runs->p, runs->len, 3, col, has_null, &n_runs) &&
              split_tuples(meas->p, meas->len, SMALL_PARAMS - 3, col + 3, has_null + 3,
                           &n_meas);
    const char *values[SMALL_PARAMS];
    int lengths[SMALL_PARAMS];
    for (int i = 0; ok && i < SMALL_PARAMS; i++) {
        /* array_recv's layout: dimensions, NULL flag, element type, then per dimension its
         * length and lower bound (none for an empty array), then the elements */
        int n = i < 3 ? n_runs : n_meas;
        uint32_t oid = small_types[i] == 'B' ? 20 : small_types[i] == 'F' ? 701 : 25;
        ok = put_be(&arr[i], n ? 1 : 0, 4) && put_be(&arr[i], has_null[i], 4) &&
             put_be(&arr[i], oid, 4) && (!n || (put_be(&arr[i], (uint64_t)n, 4) &&
                                               put_be(&arr[i], 1, 4))) &&
             (!col[i].len || put(&arr[i], col[i].p, col[i].len));
        values[i] = arr[i].p;
        lengths[i] = (int)arr[i].len;
    }
    enum wp_err e = ok ? wp_pq_send_binary(s, PQ_BATCH_SMALL, SMALL_PARAMS, values, lengths,
                                           "add runs and measurements", d)
                       : nomem(d);
    for (int i = 0; i < SMALL_PARAMS; i++) {
        free(col[i].p);
        free(arr[i].p);
    }
    return e;
}

/* ---- deciding outcomes ------------------------------------------------------------------ */

static size_t hash(const char *k)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211u;
    return h;
}

static const char *key_of(const struct idx *x, const struct run *r)
{
    return x->strs.p + r->key;
}

/* The slot of key k: the one holding its first run, or the empty one it would take. */
static size_t slot(const struct idx *x, const char *k)
{
    size_t i = hash(k) & (x->n_slots - 1);
    while (x->slots[i] >= 0 && strcmp(key_of(x, &x->runs[x->slots[i]]), k) != 0)
        i = (i + 1) & (x->n_slots - 1);
    return i;
}

/* Appends a run of key k (offset in x->strs, NONE for none) after the key's other runs. */
static bool add_run(struct idx *x, long long id, size_t key, int *out)
{
    if (WP_ARRAY_GROW(x->runs, x->n_runs + 1, x->cap_runs))
        return false;
    int i = (int)x->n_runs++;
    x->runs[i] = (struct run){.id = id, .key = key, .next = -1, .meas = -1};
    *out = i;
    if (key == NONE)
        return true;
    size_t sl = slot(x, x->strs.p + key);
    if (x->slots[sl] < 0) {
        x->slots[sl] = i;
        return true;
    }
    int j = x->slots[sl];
    while (x->runs[j].next >= 0)
        j = x->runs[j].next;
    x->runs[j].next = i;
    return true;
}

static bool add_meas(struct idx *x, int run, const struct meas *m)
{
    if (WP_ARRAY_GROW(x->meas, x->n_meas + 1, x->cap_meas))
        return false;
    int i = (int)x->n_meas++;
    x->meas[i] = *m;
    x->meas[i].next = -1;
    /* appended last: the order of phases does not matter (one per phase, unique) */
    int *at = &x->runs[run].meas;
    while (*at >= 0)
        at = &x->meas[*at].next;
    *at = i;
    return true;
}

static void idx_free(struct idx *x)
{
    free(x->runs);
    free(x->meas);
    free(x->slots);
    free(x->strs.p);
}

/* Text array literal of the batch's keys: each element quoted, " and \ escaped. */
static bool keys_literal(const struct wp_pq_batch *b, struct buf *out, size_t *n)
{
    *n = 0;
    bool ok = put(out, "{", 1);
    for (size_t i = 0; ok && i < b->n; i++) {
        if (b->p[i].key == NONE)
            continue;
        ok = put(out, *n ? ",\"" : "\"", *n ? 2 : 1);
        for (const char *k = b->strs.p + b->p[i].key; ok && *k; k++)
            ok = (*k == '"' || *k == '\\' ? put(out, "\\", 1) : true) && put(out, k, 1);
        ok = ok && put(out, "\"", 1);
        (*n)++;
    }
    return ok && put(out, "}", 2); /* with its NUL */
}

/* What a batch starts from, read in one statement (PQ_BATCH_START): the next run and
 * measurement ids, the name of its first row's source file, and whether any of its keys
 * names a stored run (only then are those runs read, PQ_BATCH_RUNS). */
struct start {
    long long next_run, next_meas;
    long long name_of; /* the source file whose name is x->strs offset file */
    size_t file;
};

/* Loads the runs the database holds for the batch's keys, in id order, and *st. */
static enum wp_err load_runs(struct wp_pg *s, struct idx *x, struct start *st,
                             struct wp_diag *d)
{
    struct buf lit = {0};
    size_t n;
    if (!keys_literal(s->batch, &lit, &n)) {
        free(lit.p);
        return nomem(d);
    }
    x->n_slots = 64;
    while (x->n_slots < 4 * (n + s->batch->n))
        x->n_slots *= 2;
    if (!(x->slots = malloc(x->n_slots * sizeof *x->slots))) {
        free(lit.p);
        return nomem(d);
    }
    memset(x->slots, 0xff, x->n_slots * sizeof *x->slots); /* -1 */
    struct wp_pq_args a = {0};
    wp_pq_text(&a, lit.p);
    wp_pq_int(&a, s->batch->p[0].source_id);
    PGresult *r = wp_pq_run(s, PQ_BATCH_START, &a, "assign ids", d);
    if (!r) {
        free(lit.p);
        return s->err;
    }
    st->next_run = wp_pq_col_int(r, 0, 0);
    st->next_meas = wp_pq_col_int(r, 0, 1);
    st->name_of = s->batch->p[0].source_id;
    bool stored = !PQgetisnull(r, 0, 3) && wp_pq_col_text(r, 0, 3)[0] == 't';
    bool ok = puts_z(&x->strs, PQgetisnull(r, 0, 2) ? "" : wp_pq_col_text(r, 0, 2), &st->file);
    PQclear(r);
    if (!ok || !stored) {
        free(lit.p);
        return ok ? WP_OK : nomem(d);
    }
    struct wp_pq_args keys = {0};
    wp_pq_text(&keys, lit.p);
    r = wp_pq_run(s, PQ_BATCH_RUNS, &keys, "find runs", d);
    free(lit.p);
    if (!r)
        return s->err;
    enum wp_err e = WP_OK;
    long long last = 0;
    int run = -1;
    for (int i = 0; !e && i < PQntuples(r); i++) {
        long long id = wp_pq_col_int(r, i, 1);
        size_t key;
        if (id != last) {
            if (!puts_z(&x->strs, wp_pq_col_text(r, i, 0), &key) || !add_run(x, id, key, &run))
                e = nomem(d);
            last = id;
        }
        if (e || PQgetisnull(r, i, 2))
            continue;
        struct meas m = {
            .line = wp_pq_col_int(r, i, 9),
            .energy_j = wp_pq_col_real(r, i, 4),
            .duration_s = wp_pq_col_real(r, i, 5),
            .emissions_g = wp_pq_col_real(r, i, 7),
        };
        if (!puts_z(&x->strs, wp_pq_col_text(r, i, 3), &m.phase) ||
            !puts_z(&x->strs, wp_pq_col_text(r, i, 6), &m.started_at) ||
            !puts_z(&x->strs, wp_pq_col_text(r, i, 8), &m.file) || !add_meas(x, run, &m))
            e = nomem(d);
    }
    PQclear(r);
    return e;
}

/* The name of source file `id` as x->strs offset (*file), looked up once per source. */
static enum wp_err source_name(struct wp_pg *s, struct idx *x, long long id,
                               long long *cached_id, size_t *file, struct wp_diag *d)
{
    if (*cached_id == id)
        return WP_OK;
    struct wp_pq_args a = {0};
    wp_pq_int(&a, id);
    PGresult *r = wp_pq_run(s, PQ_SOURCE_NAME, &a, "find source file", d);
    if (!r)
        return s->err;
    bool ok = puts_z(&x->strs, PQntuples(r) ? wp_pq_col_text(r, 0, 0) : "", file);
    PQclear(r);
    if (!ok)
        return nomem(d);
    *cached_id = id;
    return WP_OK;
}

/* The run identity rule (wp_store_judge) over x: the run of key p->key without a
 * measurement of this phase (joined), or holding the same values (duplicate), else a
 * conflict or a new run. */
static int find_run(const struct idx *x, const struct wp_pq_batch *b, struct pend *p)
{
    const char *key = b->strs.p + p->key, *phase = b->strs.p + p->phase;
    struct wp_measurement mine = {.energy_j = p->energy_j, .duration_s = p->duration_s,
                                  .emissions_g = p->emissions_g,
                                  .started_at = b->strs.p + p->started_at};
    int i = x->slots[slot(x, key)];
    for (; i >= 0; i = x->runs[i].next) {
        int j = x->runs[i].meas;
        while (j >= 0 && strcmp(x->strs.p + x->meas[j].phase, phase) != 0)
            j = x->meas[j].next;
        struct wp_held h;
        if (j >= 0) {
            const struct meas *m = &x->meas[j];
            h = (struct wp_held){m->energy_j, m->duration_s, m->emissions_g,
                                 x->strs.p + m->started_at, x->strs.p + m->file, m->line};
        }
        if (wp_store_judge(j < 0 ? NULL : &h, &mine, &p->res))
            return i;
    }
    return -1;
}

/* The COPY data of the batch: decides each measurement in order, assigning run and
 * measurement ids as MAX(id) + 1 one row at a time would. */
static enum wp_err decide(struct wp_pg *s, struct idx *x, struct start *st, struct buf *runs,
                          struct buf *meas, struct buf *extra, struct wp_diag *d)
{
    struct wp_pq_batch *b = s->batch;
    long long next_run = st->next_run, next_meas = st->next_meas;
    enum wp_err e = WP_OK;
    for (size_t i = 0; !e && i < b->n; i++) {
        struct pend *p = &b->p[i];
        p->res.outcome = WP_ADD_NEW;
        p->res.other[0] = '\0';
        int run = p->key == NONE ? -1 : find_run(x, b, p);
        if (p->res.outcome == WP_ADD_DUPLICATE) {
            p->res.run_id = x->runs[run].id;
            continue;
        }
        bool ok = true;
        if (run < 0 || p->res.outcome == WP_ADD_CONFLICT) {
            size_t key = NONE;
            if (p->key != NONE)
                ok = puts_z(&x->strs, b->strs.p + p->key, &key);
            ok = ok && add_run(x, next_run++, key, &run) && put_count(runs, 3) &&
                 put_int(runs, x->runs[run].id, false) &&
                 put_field(runs, key == NONE ? NULL : x->strs.p + key) &&
                 put_int(runs, p->exp, true);
            if (ok && p->exp)
                wp_store_w_run_created(&s->base, x->runs[run].id, p->labels);
        } else {
            wp_store_w_run_joined(&s->base, x->runs[run].id);
        }
        if (!ok || (e = source_name(s, x, p->source_id, &st->name_of, &st->file, d)))
            return e ? e : nomem(d);
        p->res.run_id = x->runs[run].id;
        long long mid = next_meas++;
        struct meas m = {.file = st->file, .line = p->line, .energy_j = p->energy_j,
                         .duration_s = p->duration_s, .emissions_g = p->emissions_g};
        ok = puts_z(&x->strs, b->strs.p + p->phase, &m.phase) &&
             puts_z(&x->strs, b->strs.p + p->started_at, &m.started_at) &&
             add_meas(x, run, &m) && put_count(meas, MEAS_FIELDS) &&
             put_int(meas, mid, false) && put_int(meas, p->res.run_id, false) &&
             put(meas, b->rows.p + p->row, p->row_len);
        /* each extra column (key, value) a row with the measurement's id in front */
        for (size_t at = p->extra; ok && at < p->extra + p->extra_len;) {
            size_t len = field_len(b->rows.p + at);
            len += field_len(b->rows.p + at + len);
            ok = put_count(extra, 3) && put_int(extra, mid, false) &&
                 put(extra, b->rows.p + at, len);
            at += len;
        }
        if (!ok)
            e = nomem(d);
    }
    return e;
}

static enum wp_err send_measurements(struct wp_pg *s, struct wp_diag *d)
{
    struct wp_pq_batch *b = s->batch;
    struct idx x = {0};
    struct start st;
    struct buf runs = {0}, meas = {0}, extra = {0};
    enum wp_err e = load_runs(s, &x, &st, d);
    if (!e)
        e = decide(s, &x, &st, &runs, &meas, &extra, d);
    bool small = b->n <= SMALL_ROWS && !extra.len;
    if (!e && small && (runs.len || meas.len)) /* not when all were duplicates */
        e = send_small(s, &runs, &meas, d);
    if (!e && !small)
        e = copy_in(s, "COPY run (id, uid, experiment_id) FROM STDIN (FORMAT binary)", runs.p,
                    runs.len, "add runs", d);
    if (!e && !small)
        e = copy_in(s, "COPY measurement (" WP_PQ_MEAS_COLUMNS ") FROM STDIN (FORMAT binary)",
                    meas.p, meas.len, "add measurements", d);
    if (!e)
        e = copy_in(s, "COPY measurement_extra (measurement_id, key, value)"
                       " FROM STDIN (FORMAT binary)",
                    extra.p, extra.len, "add extra columns", d);
    idx_free(&x);
    free(runs.p);
    free(meas.p);
    free(extra.p);
    if (e)
        return e;
    for (size_t i = 0; i < b->n; i++) {
        const struct pend *p = &b->p[i];
        struct wp_queued q = {p->line, b->strs.p + p->run_label, b->strs.p + p->phase,
                              p->energy_j};
        p->done(p->ctx, &q, &p->res);
    }
    b->n = 0;
    b->strs.len = b->rows.len = 0;
    return WP_OK;
}

static int by_run(const void *a, const void *b)
{
    const long long *x = a, *y = b; /* {run, exp, order} */
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[2] < y[2] ? -1 : x[2] > y[2];
}

/* One UPDATE for the runs held: each run gets the experiment it was given last. */
static enum wp_err send_labels(struct wp_pg *s, struct wp_diag *d)
{
    struct wp_pq_batch *b = s->batch;
    qsort(b->labels, b->n_label, sizeof *b->labels, by_run);
    struct buf runs = {0}, exps = {0};
    bool ok = put(&runs, "{", 1) && put(&exps, "{", 1);
    size_t n = 0;
    for (size_t i = 0; ok && i < b->n_label; i++) {
        if (i + 1 < b->n_label && b->labels[i + 1][0] == b->labels[i][0])
            continue; /* a later label of the same run wins */
        char t[2][32];
        int lr = snprintf(t[0], sizeof t[0], "%s%lld", n ? "," : "", b->labels[i][0]);
        int le = snprintf(t[1], sizeof t[1], "%s%lld", n ? "," : "", b->labels[i][1]);
        ok = put(&runs, t[0], (size_t)lr) && put(&exps, t[1], (size_t)le);
        n++;
    }
    enum wp_err e;
    if (!ok || !put(&runs, "}", 2) || !put(&exps, "}", 2)) {
        e = nomem(d);
    } else {
        struct wp_pq_args a = {0};
        wp_pq_text(&a, runs.p);
        wp_pq_text(&a, exps.p);
        e = wp_pq_do(s, PQ_RUN_LABEL_MANY, &a, "label runs", d);
    }
    free(runs.p);
    free(exps.p);
    if (!e)
        b->n_label = 0;
    return e;
}

enum wp_err wp_pg_batch_send(struct wp_pg *s, struct wp_diag *d)
{
    if (!wp_pg_batch_pending(s) || s->flushing)
        return WP_OK;
    s->flushing = true;
    enum wp_err e = WP_OK;
    if (s->batch->n)
        e = send_measurements(s, d);
    if (!e && s->batch->n_label)
        e = send_labels(s, d);
    s->flushing = false;
    if (e) {
        reset(s->batch); /* the transaction failed: the caller rolls back */
        s->err = e;      /* what wp_pq_run's callers return when it returns NULL */
    }
    return e;
}

enum wp_err wp_pg_flush(struct wp_store *b, struct wp_diag *d)
{
    return wp_pg_batch_send(wp_pg_of(b), d);
}

enum wp_err wp_pg_label_later(struct wp_store *bs, long long run_id, long long exp,
                              struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(bs);
    struct wp_pq_batch *b = batch_of(s);
    if (!b)
        return nomem(d);
    enum wp_err e;
    if ((b->n || b->n_label == LABEL_RUNS) && (e = wp_pg_batch_send(s, d)))
        return e;
    if (WP_ARRAY_GROW(b->labels, b->n_label + 1, b->cap_label))
        return nomem(d);
    b->labels[b->n_label][0] = run_id;
    b->labels[b->n_label][1] = exp;
    b->labels[b->n_label][2] = (long long)b->n_label;
    b->n_label++;
    return WP_OK;
}

/* ---- queueing ---------------------------------------------------------------------------- */

/* The measurement's COPY fields after its two ids (id, run_id), as insert_measurement
 * binds them: MEAS_FIELDS in all. */
static bool put_row(struct buf *o, long long source_id, const struct wp_measurement *m,
                    const long long ids[3])
{
    double ci = NAN;
    if (!isnan(m->emissions_g) && !isnan(m->energy_j) && m->energy_j > 0)
        ci = m->emissions_g / (m->energy_j / WP_J_PER_KWH);
    const double nums[] = {m->duration_s,     m->energy_j,          m->cpu_energy_j,
                           m->gpu_energy_j,   m->ram_energy_j,      m->emissions_g,
                           m->emissions_rate_g_per_s, m->cpu_power_w, m->gpu_power_w,
                           m->ram_power_w,    ci,                   m->pue,
                           m->water_l};
    bool ok = put_field(o, m->phase) && put_int(o, source_id, false) &&
              put_int(o, m->line, false) && put_field(o, m->run_label) &&
              put_field(o, m->project_name) && put_field(o, m->experiment_label) &&
              put_field(o, *m->started_at ? m->started_at : NULL);
    for (size_t i = 0; ok && i < sizeof nums / sizeof nums[0]; i++)
        ok = put_real(o, nums[i]);
    return ok && put_field(o, m->tracking_mode) && put_real(o, m->longitude) &&
           put_real(o, m->latitude) && put_int(o, ids[0], true) && put_int(o, ids[1], true) &&
           put_int(o, ids[2], true) && put_field(o, m->cpu_basis ? m->cpu_basis : "") &&
           put_field(o, m->gpu_basis ? m->gpu_basis : "") &&
           put_field(o, m->ram_basis ? m->ram_basis : "");
}

/* The extra columns, the first of each key only (as ON CONFLICT DO NOTHING keeps it). */
static bool put_extra(struct buf *o, const struct wp_measurement *m)
{
    bool ok = true;
    for (size_t i = 0; ok && i < m->n_extra; i++) {
        size_t j = 0;
        while (j < i && strcmp(m->extra_keys[j], m->extra_keys[i]) != 0)
            j++;
        if (j == i)
            ok = put_field(o, m->extra_keys[i]) && put_field(o, m->extra_values[i]);
    }
    return ok;
}

static enum wp_err hold(struct wp_pg *s, long long source_id, const struct wp_measurement *m,
                        const char *key, const long long ids[3], long long exp,
                        const struct wp_labels *labels,
                        void (*done)(void *ctx, const struct wp_queued *q,
                                     const struct wp_add_result *res),
                        void *ctx, struct wp_diag *d)
{
    struct wp_pq_batch *b = s->batch;
    if (WP_ARRAY_GROW(b->p, b->n + 1, b->cap))
        return nomem(d);
    struct pend *p = &b->p[b->n];
    *p = (struct pend){.key = NONE, .line = m->line, .source_id = source_id, .exp = exp,
                       .labels = labels,
                       .energy_j = m->energy_j, .duration_s = m->duration_s,
                       .emissions_g = m->emissions_g, .done = done, .ctx = ctx};
    size_t strs = b->strs.len, rows = b->rows.len;
    bool ok = (!key || puts_z(&b->strs, key, &p->key)) && puts_z(&b->strs, m->phase, &p->phase) &&
              puts_z(&b->strs, m->run_label, &p->run_label) &&
              puts_z(&b->strs, m->started_at, &p->started_at);
    p->row = b->rows.len;
    ok = ok && put_row(&b->rows, source_id, m, ids);
    p->row_len = b->rows.len - p->row;
    p->extra = b->rows.len;
    ok = ok && put_extra(&b->rows, m);
    p->extra_len = b->rows.len - p->extra;
    if (!ok) {
        b->strs.len = strs;
        b->rows.len = rows;
        return nomem(d);
    }
    b->n++;
    return WP_OK;
}

enum wp_err wp_pg_queue_measurement(struct wp_store *bs, long long source_id,
                                    const struct wp_measurement *m, const char *group_key,
                                    void (*done)(void *ctx, const struct wp_queued *q,
                                                 const struct wp_add_result *res),
                                    void *ctx, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(bs);
    struct wp_pq_batch *b = batch_of(s);
    if (!b)
        return nomem(d);
    enum wp_err e;
    long long ids[3];
    char key[128];
    const char *k = wp_store_run_key(m, source_id, group_key, key) ? key : NULL;
    /* labels held before it go first; a dimension row the database does not hold yet is
     * added only if the measurement is no duplicate: such a row is decided at once */
    if (b->n_label && (e = wp_pg_batch_send(s, d)))
        return e;
    bool found = wp_store_dims_cached(bs, m, ids);
    if (!found && ((e = wp_pg_batch_send(s, d)) || (e = wp_store_dims_find(bs, m, ids, &found, d))))
        return e;
    /* the experiment the run is stored in if it is a new one; when its names or experiment
     * are not known yet (a statement would find or add them), the row is decided now, so
     * that they are added only for a run that takes them */
    long long exp;
    bool known;
    const struct wp_labels *labels;
    if ((e = wp_store_w_run_experiment(bs, source_id, m, &known, &exp, &labels, d)))
        return e;
    if (!known && (e = wp_pg_batch_send(s, d)))
        return e;
    if (!found || !known) { /* a row to add, if this is no duplicate: decided now */
        struct wp_add_result res;
        if ((e = wp_store_w_add_measurement(bs, source_id, m, group_key, &res, d)))
            return e;
        struct wp_queued q = {m->line, m->run_label, m->phase, m->energy_j};
        done(ctx, &q, &res);
        return WP_OK;
    }
    if ((e = hold(s, source_id, m, k, ids, exp, labels, done, ctx, d)))
        return e;
    if (b->n >= BATCH_ROWS || b->rows.len >= BATCH_BYTES)
        return wp_pg_batch_send(s, d);
    return WP_OK;
}
