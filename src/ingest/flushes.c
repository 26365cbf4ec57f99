/* Flush snapshots folded into one run (see flushes.h).  Not a duplicate check: identical
 * rows and decreasing ones go on to the store, which knows duplicates and conflicts. */
#include "ingest/flushes.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/common.h"


/* A held row in a slot that is reused: its buffers only grow, so a file of a million rows
 * allocates a few times, not three times per row. */
struct held {
    struct wp_measurement m; /* its strings point into buf */
    char *buf;
    size_t buf_cap;
    const char **keys, **values;
    size_t kv_cap;
    uint64_t hash; /* of run_label and phase: most slots are told apart without strcmp */
    bool group_by_run, is_flushed;
};

struct wp_flushes {
    struct wp_sink *sink;
    struct held *slot[WP_FLUSHES_MAX_HELD]; /* allocated when first used */
    unsigned char order[WP_FLUSHES_MAX_HELD]; /* slots held, oldest line first */
    unsigned char spare[WP_FLUSHES_MAX_HELD]; /* slots free */
    size_t n, n_spare, n_slots;
    struct wp_flush_stats st;
};

enum wp_err wp_flushes_open(struct wp_sink *sink, struct wp_flushes **out, struct wp_diag *d)
{
    if (!(*out = calloc(1, sizeof **out)))
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    (*out)->sink = sink;
    return WP_OK;
}

void wp_flushes_free(struct wp_flushes *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_slots; i++) {
        free(f->slot[i]->buf);
        free(f->slot[i]->keys);
        free(f->slot[i]->values);
        free(f->slot[i]);
    }
    free(f);
}

/* FNV-1a over run_label, a separator and phase. */
static uint64_t key_hash(const struct wp_measurement *m)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)m->run_label; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
    for (const unsigned char *p = (const unsigned char *)m->phase; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

/* Copies s to *at and moves *at past it; NULL stays NULL. */
static char *put(char **at, const char *s)
{
    if (!s)
        return NULL;
    size_t len = strlen(s) + 1;
    char *start = *at;
    memcpy(start, s, len);
    *at += len;
    return start;
}

/* Copies m and every string it points to into h, growing h's buffers as needed. */
static enum wp_err hold(struct held *h, const struct wp_measurement *m, uint64_t hash,
                        bool group_by_run, struct wp_diag *d)
{
    size_t size = 0;
    for (size_t i = 0; i < WP_MEASUREMENT_N_TEXT; i++) {
        const char *t = WP_MEASUREMENT_TEXT(m, i);
        size += t ? strlen(t) + 1 : 0;
    }
    for (size_t i = 0; i < m->n_extra; i++)
        size += strlen(m->extra_keys[i]) + strlen(m->extra_values[i]) + 2;
    /* new buffers are swapped in only once all exist: on failure h still holds its row */
    char *buf = NULL;
    const char **keys = NULL, **values = NULL;
    size_t buf_cap = h->buf_cap, kv_cap = h->kv_cap;
    if (size > buf_cap) {
        buf_cap = buf_cap ? buf_cap : 512;
        while (buf_cap < size)
            buf_cap *= 2;
        buf = malloc(buf_cap);
    }
    if (m->n_extra > kv_cap) {
        kv_cap = kv_cap ? kv_cap : 16;
        while (kv_cap < m->n_extra)
            kv_cap *= 2;
        keys = malloc(kv_cap * sizeof *keys);
        values = malloc(kv_cap * sizeof *values);
    }
    if ((size > h->buf_cap && !buf) || (kv_cap > h->kv_cap && (!keys || !values))) {
        free(buf);
        free(keys);
        free(values);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (buf) {
        free(h->buf);
        h->buf = buf;
        h->buf_cap = buf_cap;
    }
    if (keys) {
        free(h->keys);
        free(h->values);
        h->keys = keys;
        h->values = values;
        h->kv_cap = kv_cap;
    }
    h->m = *m;
    char *at = h->buf;
    for (size_t i = 0; i < WP_MEASUREMENT_N_TEXT; i++)
        WP_MEASUREMENT_TEXT(&h->m, i) = put(&at, WP_MEASUREMENT_TEXT(m, i));
    for (size_t i = 0; i < m->n_extra; i++) {
        h->keys[i] = put(&at, m->extra_keys[i]);
        h->values[i] = put(&at, m->extra_values[i]);
    }
    h->m.extra_keys = h->keys;
    h->m.extra_values = h->values;
    h->hash = hash;
    h->group_by_run = group_by_run;
    h->is_flushed = false;
    return WP_OK;
}

/* A free slot for a new held row (one is free: the caller released one at the limit). */
static enum wp_err take_slot(struct wp_flushes *f, unsigned char *slot, struct wp_diag *d)
{
    if (f->n_spare) {
        *slot = f->spare[--f->n_spare];
        return WP_OK;
    }
    struct held *h = calloc(1, sizeof *h);
    if (!h)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    f->slot[f->n_slots] = h;
    *slot = (unsigned char)f->n_slots++;
    return WP_OK;
}

static enum wp_err emit(struct wp_flushes *f, const struct wp_measurement *m, bool group_by_run,
                        struct wp_diag *d)
{
    return f->sink->measurement(f->sink->ctx, m, group_by_run ? m->run_label : NULL, d);
}

/* Hands the i-th held row (in line order) on and closes the gap. */
static enum wp_err release(struct wp_flushes *f, size_t i, struct wp_diag *d)
{
    unsigned char s = f->order[i];
    enum wp_err e = emit(f, &f->slot[s]->m, f->slot[s]->group_by_run, d);
    memmove(&f->order[i], &f->order[i + 1], f->n - i - 1);
    f->n--;
    f->spare[f->n_spare++] = s;
    return e;
}

/* -1, 0 or 1 as b is below, equal to or above a; 2 when only one of them is known. */
static int order_num(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b) ? 0 : 2;
    return (b > a) - (b < a);
}

static int order_time(const char *a, const char *b)
{
    struct wp_when wa, wb;
    if (!*a || !*b)
        return !*a && !*b ? 0 : 2;
    if (wp_time_parse(a, &wa) && wp_time_parse(b, &wb)) {
        double s = wp_when_diff(&wa, &wb);
        return (s > 0) - (s < 0);
    }
    int c = strcmp(b, a); /* ISO 8601 text in one layout sorts as time does */
    return (c > 0) - (c < 0);
}

enum wp_flush_order wp_flush_compare(const struct wp_measurement *a,
                                     const struct wp_measurement *b)
{
    int o[6] = {
        order_num(a->duration_s, b->duration_s),     order_num(a->energy_j, b->energy_j),
        order_num(a->cpu_energy_j, b->cpu_energy_j), order_num(a->gpu_energy_j, b->gpu_energy_j),
        order_num(a->ram_energy_j, b->ram_energy_j), order_num(a->emissions_g, b->emissions_g),
    };
    int t = order_time(a->started_at, b->started_at);
    bool grows = false;
    if (t < 0 || t == 2)
        return WP_FLUSH_OTHER;
    for (int i = 0; i < 6; i++) {
        if (o[i] < 0 || o[i] == 2)
            return WP_FLUSH_OTHER;
        grows |= o[i] > 0;
    }
    if (!grows && t == 0)
        return WP_FLUSH_SAME;
    /* energy that grew while the clock stood still is no later snapshot */
    return o[0] > 0 || t > 0 ? WP_FLUSH_LATER : WP_FLUSH_OTHER;
}

enum wp_err wp_flushes_put(struct wp_flushes *f, const struct wp_measurement *m,
                           bool group_by_run, struct wp_diag *d)
{
    if (!*m->run_label)
        return emit(f, m, group_by_run, d); /* nothing says two rows are one run */
    uint64_t hash = key_hash(m);
    size_t i;
    for (i = 0; i < f->n; i++) {
        const struct held *h = f->slot[f->order[i]];
        if (h->hash == hash && strcmp(h->m.run_label, m->run_label) == 0 &&
            strcmp(h->m.phase, m->phase) == 0)
            break;
    }
    enum wp_err e;
    if (i < f->n && wp_flush_compare(&f->slot[f->order[i]]->m, m) == WP_FLUSH_LATER) {
        unsigned char s = f->order[i];
        struct held *h = f->slot[s];
        bool was_flushed = h->is_flushed;
        long earlier_line = h->m.line;
        /* m's strings are the parser's, never the slot's: the slot can take m in place */
        if ((e = hold(h, m, hash, group_by_run, d)))
            return e;
        h->is_flushed = true;
        if (!f->st.rows++)
            f->st.first_line = earlier_line;
        f->st.runs += !was_flushed;
        /* keep line order: the run's row moves to the end */
        memmove(&f->order[i], &f->order[i + 1], f->n - i - 1);
        f->order[f->n - 1] = s;
        return WP_OK;
    }
    if (i < f->n && (e = release(f, i, d)))
        return e; /* a repeat or a conflict: the store says which */
    if (f->n == WP_FLUSHES_MAX_HELD && (e = release(f, 0, d)))
        return e;
    unsigned char s = 0;
    if ((e = take_slot(f, &s, d)))
        return e;
    if ((e = hold(f->slot[s], m, hash, group_by_run, d))) {
        f->spare[f->n_spare++] = s;
        return e;
    }
    f->order[f->n++] = s;
    return WP_OK;
}

enum wp_err wp_flushes_finish(struct wp_flushes *f, struct wp_diag *d)
{
    enum wp_err e = WP_OK;
    while (f->n && !e)
        e = release(f, 0, d);
    return e;
}

struct wp_flush_stats wp_flushes_stats(const struct wp_flushes *f)
{
    return f->st;
}
