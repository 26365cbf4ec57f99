/* Per-experiment statistics (see experiments.h): each used run's kWh and g CO2eq per
 * 1,000 inferences gathered by experiment, then the describe and t-interval functions of
 * this module over each experiment's values. */
#include "analysis/experiments.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/runs.h"
#include "util/units.h"
#include "util/array.h"

/* One experiment while reading: its labels and the values of its used runs. */
struct acc {
    struct wp_experiment_stats st;
    double *kwh, *g;
    size_t n, cap;
};

struct reader {
    struct acc *v; /* ordered by experiment id */
    size_t n, cap;
    struct acc *last;
    enum wp_err err;
};

static char *dup_text(const char *s, enum wp_err *err)
{
    char *c = strdup(s ? s : "");
    if (!c)
        *err = WP_ERR_NOMEM;
    return c;
}

/* The experiment of run r, added (with the run's labels) the first time it is seen. */
static struct acc *experiment_of(struct reader *rd, const struct wp_run_row *r)
{
    long long id = r->experiment_id;
    if (rd->last && rd->last->st.id == id)
        return rd->last;
    size_t lo = 0, hi = rd->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rd->v[mid].st.id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < rd->n && rd->v[lo].st.id == id)
        return rd->last = &rd->v[lo];
    if (WP_ARRAY_GROW(rd->v, rd->n + 1, rd->cap)) {
        rd->err = WP_ERR_NOMEM;
        return NULL;
    }
    memmove(&rd->v[lo + 1], &rd->v[lo], (rd->n - lo) * sizeof *rd->v);
    rd->n++;
    struct acc *a = &rd->v[lo];
    memset(a, 0, sizeof *a);
    a->st.id = id;
    a->st.model = dup_text(r->model, &rd->err);
    a->st.task = dup_text(r->task, &rd->err);
    a->st.dataset = dup_text(r->dataset, &rd->err);
    a->st.purpose = dup_text(r->purpose, &rd->err);
    a->st.inferences = r->inferences;
    a->st.batch_size = r->batch_size;
    a->st.parameters = r->parameters;
    a->st.token_samples = r->token_samples;
    a->st.input_tokens = r->input_tokens;
    a->st.output_tokens = r->output_tokens;
    return rd->last = a;
}

static int push(struct acc *a, double kwh, double g)
{
    /* two arrays of one length: the capacity is what both have */
    size_t cap_kwh = a->cap, cap_g = a->cap;
    bool failed = WP_ARRAY_GROW(a->kwh, a->n + 1, cap_kwh) != WP_OK ||
                  WP_ARRAY_GROW(a->g, a->n + 1, cap_g) != WP_OK;
    a->cap = cap_kwh < cap_g ? cap_kwh : cap_g;
    if (failed)
        return -1;
    a->kwh[a->n] = kwh;
    a->g[a->n++] = g;
    return 0;
}

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct reader *rd = ctx;
    if (wp_run_use(r) != WP_RUN_USED)
        return 0; /* unlabelled, no inference count or no energy: statistics leave it out */
    struct acc *a = experiment_of(rd, r);
    if (!a)
        return 1;
    /* the same conversion as the grouping of runs.c: J per run -> kWh per 1,000 */
    double per = 1000.0 / (double)a->st.inferences / WP_J_PER_KWH;
    if (push(a, r->energy_j * per, r->emissions_g * 1000.0 / (double)a->st.inferences)) {
        rd->err = WP_ERR_NOMEM;
        return 1;
    }
    return 0;
}

static int cmp_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int by_names(const void *pa, const void *pb)
{
    const struct wp_experiment_stats *a = pa, *b = pb;
    int c = cmp_text(a->task, b->task);
    if (!c)
        c = cmp_text(a->model, b->model);
    if (!c)
        c = cmp_text(a->dataset, b->dataset);
    if (!c)
        c = (a->id > b->id) - (a->id < b->id);
    return c;
}

static void free_labels(struct wp_experiment_stats *st)
{
    free((char *)st->model);
    free((char *)st->task);
    free((char *)st->dataset);
    free((char *)st->purpose);
}

/* Energy per token of one experiment; the token counts are fixed, so the t interval of
 * its mean energy divided by its tokens per inference is the interval per token. */
static void per_token(struct wp_experiment_stats *st)
{
    struct wp_run_row r = {.token_samples = st->token_samples, .input_tokens = st->input_tokens,
                           .output_tokens = st->output_tokens};
    double tok = wp_tokens_per_inference(&r, false), out = wp_tokens_per_inference(&r, true);
    st->kwh_per_1k_tokens_lo = st->kwh_per_1k_tokens_hi = NAN;
    if (wp_stats_per_token(&st->kwh.mean, &tok, &out, 1, &st->tokens) == WP_OK) {
        st->kwh_per_1k_tokens_lo = st->kwh_t.lo / tok;
        st->kwh_per_1k_tokens_hi = st->kwh_t.hi / tok;
    }
}

/* Summarises the used experiments into out (taking their labels), frees the rest. */
static enum wp_err finish(struct reader *rd, double level, struct wp_experiments *out)
{
    enum wp_err e = rd->err;
    size_t m = 0;
    for (size_t i = 0; i < rd->n; i++) {
        struct acc *a = &rd->v[i];
        if (!e && a->n) {
            struct wp_experiment_stats *st = &a->st;
            st->n_runs = a->n;
            enum wp_err k = wp_stats_describe(a->kwh, a->n, &st->kwh);
            if (k == WP_OK || k == WP_ERR_EMPTY)
                k = wp_stats_ci_mean_t(a->kwh, a->n, level, &st->kwh_t);
            if (k == WP_OK || k == WP_ERR_EMPTY)
                k = wp_stats_describe(a->g, a->n, &st->g);
            if (k != WP_OK && k != WP_ERR_EMPTY)
                e = k;
            st->j_per_inference = st->kwh.mean * WP_J_PER_KWH / 1000.0;
            per_token(st);
            out->v[m++] = *st; /* out->v has room for every experiment */
        } else {
            free_labels(&a->st);
        }
        free(a->kwh);
        free(a->g);
    }
    out->n = m;
    return e;
}

enum wp_err wp_experiments_run(struct wp_store *s, const struct wp_run_filter *f, double level,
                               struct wp_experiments *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    struct reader rd = {0};
    enum wp_err e = wp_runs_each(s, f, on_run, &rd, d);
    if (!e && rd.err)
        e = rd.err;
    out->v = calloc(rd.n ? rd.n : 1, sizeof *out->v);
    if (!out->v) {
        rd.err = WP_ERR_NOMEM;
        out->v = NULL;
    }
    if (out->v) {
        enum wp_err k = finish(&rd, level, out);
        if (!e)
            e = k;
    } else {
        for (size_t i = 0; i < rd.n; i++) {
            free_labels(&rd.v[i].st);
            free(rd.v[i].kwh);
            free(rd.v[i].g);
        }
        if (!e)
            e = WP_ERR_NOMEM;
    }
    free(rd.v);
    if (e) {
        wp_experiments_free(out);
        if (e == WP_ERR_NOMEM)
            return wp_diag_set(d, e, NULL, 0, 0, "out of memory");
        if (e != WP_ERR_DB)
            return wp_diag_set(d, e, NULL, 0, 0, "experiment statistics: %s",
                               wp_strerror(e));
        return e;
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, by_names);
    return WP_OK;
}

void wp_experiments_free(struct wp_experiments *x)
{
    for (size_t i = 0; x->v && i < x->n; i++)
        free_labels(&x->v[i]);
    free(x->v);
    memset(x, 0, sizeof *x);
}
