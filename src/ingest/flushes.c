/* Flush snapshots folded into one run (see flushes.h).  Not a duplicate check: identical
 * rows and decreasing ones go on to the store, which knows duplicates and conflicts. */
#include "ingest/flushes.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/common.h"

/* The string members of struct wp_measurement, copied when a row is held. */
static const size_t text_off[] = {
    offsetof(struct wp_measurement, phase),          offsetof(struct wp_measurement, run_label),
    offsetof(struct wp_measurement, project_name),   offsetof(struct wp_measurement, experiment_label),
    offsetof(struct wp_measurement, started_at),     offsetof(struct wp_measurement, tracking_mode),
    offsetof(struct wp_measurement, tool_name),      offsetof(struct wp_measurement, tool_version),
    offsetof(struct wp_measurement, cpu_model),      offsetof(struct wp_measurement, gpu_model),
    offsetof(struct wp_measurement, os),             offsetof(struct wp_measurement, python_version),
    offsetof(struct wp_measurement, country_name),   offsetof(struct wp_measurement, country_iso_code),
    offsetof(struct wp_measurement, region),         offsetof(struct wp_measurement, cloud_provider),
    offsetof(struct wp_measurement, cloud_region),   offsetof(struct wp_measurement, on_cloud),
};
#define N_TEXT (sizeof text_off / sizeof text_off[0])

#define TEXT_AT(m, off) (*(const char **)((char *)(m) + (off)))

struct held {
    struct wp_measurement m; /* its strings point into buf */
    char *buf;
    const char **keys, **values;
    bool group_by_run, is_flushed;
};

struct wp_flushes {
    struct wp_sink *sink;
    struct held held[WP_FLUSHES_MAX_HELD];
    size_t n;
    struct wp_flush_stats st;
};

enum wp_err wp_flushes_open(struct wp_sink *sink, struct wp_flushes **out, struct wp_diag *d)
{
    if (!(*out = calloc(1, sizeof **out)))
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    (*out)->sink = sink;
    return WP_OK;
}

static void held_free(struct held *h)
{
    free(h->buf);
    free(h->keys);
    free(h->values);
    memset(h, 0, sizeof *h);
}

void wp_flushes_free(struct wp_flushes *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        held_free(&f->held[i]);
    free(f);
}

static char *put(char **at, const char *s)
{
    size_t len = strlen(s) + 1;
    char *start = *at;
    memcpy(start, s, len);
    *at += len;
    return start;
}

/* Copies m and every string it points to into h. */
static enum wp_err hold(struct held *h, const struct wp_measurement *m, bool group_by_run,
                        struct wp_diag *d)
{
    size_t size = 0;
    for (size_t i = 0; i < N_TEXT; i++)
        size += strlen(TEXT_AT(m, text_off[i])) + 1;
    for (size_t i = 0; i < m->n_extra; i++)
        size += strlen(m->extra_keys[i]) + strlen(m->extra_values[i]) + 2;
    memset(h, 0, sizeof *h);
    h->buf = malloc(size);
    h->keys = calloc(m->n_extra ? m->n_extra : 1, sizeof *h->keys);
    h->values = calloc(m->n_extra ? m->n_extra : 1, sizeof *h->values);
    if (!h->buf || !h->keys || !h->values) {
        held_free(h);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    h->m = *m;
    char *at = h->buf;
    for (size_t i = 0; i < N_TEXT; i++)
        TEXT_AT(&h->m, text_off[i]) = put(&at, TEXT_AT(m, text_off[i]));
    for (size_t i = 0; i < m->n_extra; i++) {
        h->keys[i] = put(&at, m->extra_keys[i]);
        h->values[i] = put(&at, m->extra_values[i]);
    }
    h->m.extra_keys = h->keys;
    h->m.extra_values = h->values;
    h->group_by_run = group_by_run;
    return WP_OK;
}

static enum wp_err emit(struct wp_flushes *f, const struct wp_measurement *m, bool group_by_run,
                        struct wp_diag *d)
{
    return f->sink->measurement(f->sink->ctx, m, group_by_run ? m->run_label : NULL, d);
}

/* Hands held[i] on and closes the gap. */
static enum wp_err release(struct wp_flushes *f, size_t i, struct wp_diag *d)
{
    enum wp_err e = emit(f, &f->held[i].m, f->held[i].group_by_run, d);
    held_free(&f->held[i]);
    memmove(&f->held[i], &f->held[i + 1], (f->n - i - 1) * sizeof f->held[0]);
    f->n--;
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
    size_t i;
    for (i = 0; i < f->n; i++)
        if (strcmp(f->held[i].m.run_label, m->run_label) == 0 &&
            strcmp(f->held[i].m.phase, m->phase) == 0)
            break;
    enum wp_err e;
    if (i < f->n && wp_flush_compare(&f->held[i].m, m) == WP_FLUSH_LATER) {
        bool was_flushed = f->held[i].is_flushed;
        struct held h;
        if ((e = hold(&h, m, group_by_run, d)))
            return e;
        h.is_flushed = true;
        if (!f->st.rows++)
            f->st.first_line = f->held[i].m.line;
        f->st.runs += !was_flushed;
        /* keep line order: the run's row moves to the end */
        held_free(&f->held[i]);
        memmove(&f->held[i], &f->held[i + 1], (f->n - i - 1) * sizeof h);
        f->held[f->n - 1] = h;
        return WP_OK;
    }
    if (i < f->n && (e = release(f, i, d)))
        return e; /* a repeat or a conflict: the store says which */
    if (f->n == WP_FLUSHES_MAX_HELD && (e = release(f, 0, d)))
        return e;
    if ((e = hold(&f->held[f->n], m, group_by_run, d)))
        return e;
    f->n++;
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
