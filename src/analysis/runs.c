/* Grouping of per-run values for statistics (see runs.h). */
#include "analysis/runs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/cmp.h"
#include "util/num.h"
#include "util/time.h"
#include "util/units.h"
#include "util/array.h"

/* Experiments and hardware by id, read once, so the per-run read stays a plain scan. */
struct lookup {
    struct wp_experiment_row *exp;
    size_t n_exp, cap_exp;
    struct wp_hardware_row *hw;
    size_t n_hw, cap_hw;
    const struct wp_experiment_row *last_exp;
    const struct wp_hardware_row *last_hw;
    long long *allowed;     /* with a --where filter: the experiments that pass, sorted */
    size_t n_allowed, cap_allowed;
    size_t n_attr_rows;     /* experiments that have the --where key at all */
    /* a --where key no experiment has: a run's configuration (an extra column of its log,
     * such as batch_size, or a release a log names): the runs that pass, sorted */
    bool is_by_run;
    long long *allowed_runs;
    size_t n_allowed_runs, cap_allowed_runs;
    const char *where_key, *where_value;
    long long *idle;        /* experiments of idle windows (the label idle), sorted */
    size_t n_idle;
    enum wp_err err;
};

struct collector {
    struct wp_groups *g;
    size_t last; /* index of the group the previous run went to */
    size_t last_model, cap_models; /* the model of the previous run; room in g->models */
    enum wp_group_by by;
    enum wp_err err;
    struct wp_diag *d;
};

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static char *dup_or_null(const char *s, bool *fail)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    *fail |= !c;
    return c;
}

static struct wp_group *group_for(struct collector *c, const struct wp_run_row *r)
{
    enum wp_group_by by = c->by;
    const char *task = by == WP_BY_TASK || by == WP_BY_MODEL_TASK ? r->task : NULL;
    const char *model = by == WP_BY_MODEL || by == WP_BY_MODEL_TASK || by == WP_BY_MODEL_HARDWARE
                            ? r->model : NULL;
    const char *dataset = by == WP_BY_DATASET ? r->dataset : NULL;
    const char *hw = by == WP_BY_HARDWARE || by == WP_BY_MODEL_HARDWARE
                         ? (*r->gpu_model ? r->gpu_model : r->cpu_model) : NULL;
    struct wp_groups *g = c->g;
    /* runs of one group mostly come together: try the last group hit first */
    if (c->last < g->n) {
        struct wp_group *x = &g->v[c->last];
        if (same(x->task, task) && same(x->model, model) && same(x->dataset, dataset) &&
            same(x->hardware, hw))
            return x;
    }
    for (size_t i = g->n; i-- > 0;) {
        struct wp_group *x = &g->v[i];
        if (same(x->task, task) && same(x->model, model) && same(x->dataset, dataset) &&
            same(x->hardware, hw)) {
            c->last = i;
            return x;
        }
    }
    c->last = g->n;
    if (WP_ARRAY_GROW(g->v, g->n + 1, g->cap))
        return NULL;
    struct wp_group *x = &g->v[g->n++];
    memset(x, 0, sizeof *x);
    bool fail = false;
    x->task = dup_or_null(task, &fail);
    x->model = dup_or_null(model, &fail);
    x->dataset = dup_or_null(dataset, &fail);
    x->hardware = dup_or_null(hw, &fail);
    x->purpose = dup_or_null(*r->purpose ? r->purpose : NULL, &fail);
    x->parameters = r->parameters;
    x->training_energy_j = r->training_energy_j;
    return fail ? NULL : x;
}

static int push(struct wp_group *x, const struct wp_run_value *v)
{
    if (WP_ARRAY_GROW(x->runs, x->n + 1, x->cap))
        return -1;
    x->runs[x->n++] = *v;
    return 0;
}

enum wp_run_use wp_run_use(const struct wp_run_row *r)
{
    if (!*r->task || !*r->model || !*r->dataset)
        return WP_RUN_UNLABELED;
    if (r->inferences <= 0)
        return WP_RUN_NO_INFERENCES;
    if (r->no_energy_above_idle)
        return WP_RUN_NO_ENERGY_ABOVE_IDLE;
    if (isnan(r->energy_j))
        return WP_RUN_NO_ENERGY;
    return WP_RUN_USED;
}

double wp_tokens_per_inference(const struct wp_run_row *r, bool output_only)
{
    if (r->token_samples <= 0)
        return NAN;
    double tokens = (double)r->output_tokens + (output_only ? 0.0 : (double)r->input_tokens);
    return tokens / (double)r->token_samples; /* mean over the counted samples */
}

const char *wp_run_use_text(enum wp_run_use u)
{
    switch (u) {
    case WP_RUN_USED: return "yes";
    case WP_RUN_UNLABELED: return "no: not labelled";
    case WP_RUN_NO_INFERENCES: return "no: no inference count";
    case WP_RUN_NO_ENERGY: return "no: no energy";
    case WP_RUN_NO_ENERGY_ABOVE_IDLE: return "no: no energy above idle";
    }
    return "?";
}

void wp_run_value_of(const struct wp_run_row *r, struct wp_run_value *v)
{
    double per = 1000.0 / (double)r->inferences / WP_J_PER_KWH; /* J per run -> kWh per 1,000 */
    *v = (struct wp_run_value){
        .kwh_per_1k = r->energy_j * per,
        .g_per_1k = r->emissions_g * 1000.0 / (double)r->inferences,
        .cpu_kwh_per_1k = r->cpu_energy_j * per,
        .gpu_kwh_per_1k = r->gpu_energy_j * per,
        .ram_kwh_per_1k = r->ram_energy_j * per,
        .logged_pue = isfinite(r->pue) && r->pue > 0 ? r->pue : 1.0,
        .run_id = r->run_id,
        .experiment = r->experiment_id,
        .parameters = r->parameters,
        .tokens_per_inference = wp_tokens_per_inference(r, false),
        .output_tokens_per_inference = wp_tokens_per_inference(r, true),
        .purpose = strcmp(r->purpose, "task-specific") == 0   ? WP_PURPOSE_SPECIFIC
                   : strcmp(r->purpose, "multi-purpose") == 0 ? WP_PURPOSE_MULTI
                                                               : WP_PURPOSE_UNKNOWN,
    };
}

bool wp_run_tally(const struct wp_run_row *r, long long *seen, long long *unlabeled,
                  long long *no_inferences, long long *no_energy, long long *no_above_idle)
{
    ++*seen;
    switch (wp_run_use(r)) {
    case WP_RUN_USED: return true;
    case WP_RUN_UNLABELED: ++*unlabeled; break;
    case WP_RUN_NO_INFERENCES: ++*no_inferences; break;
    case WP_RUN_NO_ENERGY: ++*no_energy; break;
    case WP_RUN_NO_ENERGY_ABOVE_IDLE: ++*no_above_idle; break;
    }
    return false;
}

/* The newest instant (util/time.h: offsets applied, unreadable timestamps no date). */
static void note_newest(struct wp_groups *g, const char *ts)
{
    wp_iso8601_keep_newest(g->newest, sizeof g->newest, &g->newest_s, ts);
}

/* The index of `model` among the models seen (added when new): the unit key of a run. */
static int model_of(struct collector *c, const char *model, long long *id)
{
    struct wp_groups *g = c->g;
    if (c->last_model < g->n_models && strcmp(g->models[c->last_model], model) == 0) {
        *id = (long long)c->last_model;
        return 0;
    }
    for (size_t i = 0; i < g->n_models; i++)
        if (strcmp(g->models[i], model) == 0) {
            *id = (long long)(c->last_model = i);
            return 0;
        }
    if (WP_ARRAY_GROW(g->models, g->n_models + 1, c->cap_models))
        return -1;
    if (!(g->models[g->n_models] = strdup(model)))
        return -1;
    *id = (long long)(c->last_model = g->n_models++);
    return 0;
}

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct collector *c = ctx;
    struct wp_groups *g = c->g;
    if (!wp_run_tally(r, &g->runs_seen, &g->skipped_unlabeled, &g->skipped_no_inferences,
                      &g->skipped_no_energy, &g->skipped_no_above_idle))
        return 0;
    struct wp_run_value v;
    wp_run_value_of(r, &v);
    note_newest(g, r->started_at);
    struct wp_group *x = group_for(c, r);
    if (!x || model_of(c, r->model, &v.model) || push(x, &v)) {
        c->err = wp_diag_set(c->d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return 1;
    }
    return 0;
}

/* Counts the distinct experiments of each group. */
static enum wp_err count_experiments(struct wp_groups *g, struct wp_diag *d)
{
    for (size_t i = 0; i < g->n; i++) {
        struct wp_group *x = &g->v[i];
        long long *ids = malloc((x->n ? x->n : 1) * sizeof *ids);
        if (!ids)
            return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        for (size_t k = 0; k < x->n; k++)
            ids[k] = x->runs[k].experiment;
        qsort(ids, x->n, sizeof *ids, wp_cmp_ll_at);
        x->n_experiments = 0;
        for (size_t k = 0; k < x->n; k++)
            x->n_experiments += k == 0 || ids[k] != ids[k - 1];
        free(ids);
    }
    return WP_OK;
}

static char *dup_text(const char *s, enum wp_err *err)
{
    char *c = strdup(s);
    if (!c)
        *err = WP_ERR_NOMEM;
    return c;
}

static int keep_experiment(void *ctx, const struct wp_experiment_row *r)
{
    struct lookup *lk = ctx;
    if (WP_ARRAY_GROW(lk->exp, lk->n_exp + 1, lk->cap_exp)) {
        lk->err = WP_ERR_NOMEM;
        return 1;
    }
    struct wp_experiment_row *e = &lk->exp[lk->n_exp++];
    *e = *r;
    e->model = dup_text(r->model, &lk->err);
    e->task = dup_text(r->task, &lk->err);
    e->dataset = dup_text(r->dataset, &lk->err);
    e->purpose = dup_text(r->purpose, &lk->err);
    return lk->err != WP_OK;
}

static int keep_hardware(void *ctx, const struct wp_hardware_row *r)
{
    struct lookup *lk = ctx;
    if (WP_ARRAY_GROW(lk->hw, lk->n_hw + 1, lk->cap_hw)) {
        lk->err = WP_ERR_NOMEM;
        return 1;
    }
    struct wp_hardware_row *h = &lk->hw[lk->n_hw++];
    *h = *r;
    h->gpu_model = dup_text(r->gpu_model, &lk->err);
    h->cpu_model = dup_text(r->cpu_model, &lk->err);
    return lk->err != WP_OK;
}

static int keep_allowed(void *ctx, long long experiment_id, const char *value)
{
    struct lookup *lk = ctx;
    lk->n_attr_rows++;
    if (strcmp(value, lk->where_value) != 0)
        return 0;
    if (WP_ARRAY_GROW(lk->allowed, lk->n_allowed + 1, lk->cap_allowed)) {
        lk->err = WP_ERR_NOMEM;
        return 1;
    }
    lk->allowed[lk->n_allowed++] = experiment_id;
    return 0;
}

size_t wp_ids_lower_bound(const long long *ids, size_t n, long long id)
{
    return wp_lower_bound(&id, ids, n, sizeof *ids, wp_cmp_ll_at);
}

static bool allowed(const struct lookup *lk, long long id)
{
    size_t lo = wp_ids_lower_bound(lk->allowed, lk->n_allowed, id);
    return lo < lk->n_allowed && lk->allowed[lo] == id;
}

/* Whether a run's extra value is the --where value: the same text, or the same number
 * ("8" and "8.0"). */
static bool same_value(const char *value, const char *want)
{
    if (strcmp(value, want) == 0)
        return true;
    double a, b;
    return wp_parse_num(value, &a) == WP_NUM_OK && wp_parse_num(want, &b) == WP_NUM_OK &&
           a == b;
}

static int keep_allowed_run(void *ctx, long long run_id, const char *phase, const char *key,
                            const char *value)
{
    (void)phase; /* a configuration may be logged on a run's phases only */
    struct lookup *lk = ctx;
    if (strcmp(key, lk->where_key) != 0 || !same_value(value, lk->where_value))
        return 0;
    if (lk->n_allowed_runs && lk->allowed_runs[lk->n_allowed_runs - 1] == run_id)
        return 0;
    if (WP_ARRAY_GROW(lk->allowed_runs, lk->n_allowed_runs + 1, lk->cap_allowed_runs)) {
        lk->err = WP_ERR_NOMEM;
        return 1;
    }
    lk->allowed_runs[lk->n_allowed_runs++] = run_id;
    return 0;
}

/* The --where set: experiments with the attribute, or when no experiment has the key,
 * runs whose log has it as an extra column (wp_store_each_run_extra, by run id). */
static enum wp_err where_load(struct wp_store *s, const struct wp_run_filter *f,
                              struct lookup *lk, struct wp_diag *d)
{
    lk->where_key = f->where_key;
    lk->where_value = f->where_value ? f->where_value : "";
    enum wp_err e = wp_store_each_experiment_attr(s, f->where_key, keep_allowed, lk, d);
    if (!e && !lk->err && !lk->n_attr_rows) {
        lk->is_by_run = true;
        e = wp_store_each_run_extra(s, keep_allowed_run, lk, d);
    }
    return e;
}

static bool where_passes(const struct lookup *lk, long long experiment_id, long long run_id)
{
    if (!lk->is_by_run)
        return experiment_id && allowed(lk, experiment_id);
    size_t lo = wp_ids_lower_bound(lk->allowed_runs, lk->n_allowed_runs, run_id);
    return lo < lk->n_allowed_runs && lk->allowed_runs[lo] == run_id;
}

static void lookup_free(struct lookup *lk)
{
    free(lk->allowed);
    free(lk->allowed_runs);
    free(lk->idle);
    for (size_t i = 0; i < lk->n_exp; i++) {
        free((char *)lk->exp[i].model);
        free((char *)lk->exp[i].task);
        free((char *)lk->exp[i].dataset);
        free((char *)lk->exp[i].purpose);
    }
    for (size_t i = 0; i < lk->n_hw; i++) {
        free((char *)lk->hw[i].gpu_model);
        free((char *)lk->hw[i].cpu_model);
    }
    free(lk->exp);
    free(lk->hw);
}

/* Both tables come ordered by id: binary search. */
#define FIND_BY_ID(type, name)                                                               \
    static const type *name(const type *v, size_t n, long long id)                            \
    {                                                                                         \
        size_t lo = 0, hi = n;                                                                \
        while (lo < hi) {                                                                     \
            size_t mid = lo + (hi - lo) / 2;                                                  \
            if (v[mid].id < id)                                                               \
                lo = mid + 1;                                                                 \
            else                                                                              \
                hi = mid;                                                                     \
        }                                                                                     \
        return lo < n && v[lo].id == id ? &v[lo] : NULL;                                      \
    }
FIND_BY_ID(struct wp_experiment_row, find_experiment)
FIND_BY_ID(struct wp_hardware_row, find_hardware)

static bool passes(const char *want, const char *have)
{
    return !want || strcmp(want, have) == 0;
}

/* A scan of wp_runs_each: the filter, the labels read once, and the caller's callback. */
struct scan {
    const struct wp_run_filter *f;
    struct lookup *lk;
    int (*fn)(void *ctx, const struct wp_run_row *r);
    void *ctx;
};

void wp_runs_measured_only(struct wp_run_row *r, unsigned modelled)
{
    double *part[3] = {&r->cpu_energy_j, &r->gpu_energy_j, &r->ram_energy_j};
    const unsigned bit[3] = {WP_MODELLED_CPU, WP_MODELLED_GPU, WP_MODELLED_RAM};
    double left_out_j = 0;
    for (int i = 0; i < 3; i++) {
        if (!(modelled & bit[i]))
            continue;
        if (isfinite(*part[i]))
            left_out_j += *part[i];
        *part[i] = NAN;
    }
    if (!(left_out_j > 0) || !isfinite(r->energy_j))
        return;
    double kept_j = r->energy_j - left_out_j;
    if (kept_j < 0)
        kept_j = 0; /* components summing above the logged total: nothing measured is left */
    /* the run's own carbon intensity (emissions over energy) applies to what is kept */
    if (isfinite(r->emissions_g) && r->energy_j > 0)
        r->emissions_g *= kept_j / r->energy_j;
    r->energy_j = kept_j;
}

/* One run from the lean read, with its labels looked up, to the caller if it passes. */
static int on_value(void *ctx, const struct wp_run_value_row *v)
{
    struct scan *c = ctx;
    struct lookup *lk = c->lk;
    /* consecutive runs mostly share experiment and hardware: look up only on a change */
    if (!lk->last_exp || lk->last_exp->id != v->experiment_id)
        lk->last_exp = v->experiment_id ? find_experiment(lk->exp, lk->n_exp, v->experiment_id)
                                        : NULL;
    if (!lk->last_hw || lk->last_hw->id != v->hardware_id)
        lk->last_hw = v->hardware_id ? find_hardware(lk->hw, lk->n_hw, v->hardware_id) : NULL;
    const struct wp_experiment_row *e = lk->last_exp;
    const struct wp_hardware_row *h = lk->last_hw;
    size_t ix;
    if (e && lk->n_idle && (ix = wp_ids_lower_bound(lk->idle, lk->n_idle, e->id)) < lk->n_idle &&
        lk->idle[ix] == e->id)
        return 0; /* an idle window: its host's baseline, never a run of what labels name */
    if (c->f->where_key && !where_passes(lk, e ? e->id : 0, v->run_id))
        return 0;
    size_t nx = c->f->n_exclude_run_ids, at = 0;
    if (nx && (at = wp_ids_lower_bound(c->f->exclude_run_ids, nx, v->run_id)) < nx &&
        c->f->exclude_run_ids[at] == v->run_id)
        return 0; /* flagged by a validity check: --valid-only */
    const char *task = e ? e->task : "", *model = e ? e->model : "";
    const char *dataset = e ? e->dataset : "";
    if (!passes(c->f->task, task) || !passes(c->f->model, model) ||
        !passes(c->f->dataset, dataset))
        return 0;
    struct wp_run_row r = {
        .run_id = v->run_id,
        .experiment_id = v->experiment_id,
        .model = model,
        .task = task,
        .dataset = dataset,
        .inferences = e ? e->inferences : 0,
        .batch_size = e ? e->batch_size : 0,
        .parameters = e ? e->parameters : 0,
        .purpose = e ? e->purpose : "",
        .training_energy_j = e ? e->training_energy_j : NAN,
        .token_samples = e ? e->token_samples : 0,
        .input_tokens = e ? e->input_tokens : 0,
        .output_tokens = e ? e->output_tokens : 0,
        .gpu_model = h ? h->gpu_model : "",
        .cpu_model = h ? h->cpu_model : "",
        .started_at = v->started_at,
        .energy_j = v->energy_j,
        .cpu_energy_j = v->cpu_energy_j,
        .gpu_energy_j = v->gpu_energy_j,
        .ram_energy_j = v->ram_energy_j,
        .emissions_g = v->emissions_g,
        .pue = v->pue,
    };
    if (c->f->measured_only)
        wp_runs_measured_only(&r, v->modelled);
    if (c->f->adjust)
        c->f->adjust(c->f->adjust_ctx, &r);
    return c->fn(c->ctx, &r);
}

static int by_run_id(const void *pa, const void *pb)
{
    long long a = ((const struct wp_run_value *)pa)->run_id;
    long long b = ((const struct wp_run_value *)pb)->run_id;
    return wp_cmp_ll(a, b);
}

enum wp_err wp_runs_each(struct wp_store *s, const struct wp_run_filter *f,
                         int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx,
                         struct wp_diag *d)
{
    struct lookup lk = {0};
    struct scan c = {.f = f, .lk = &lk, .fn = fn, .ctx = ctx};
    /* labels once, then a plain scan of run values */
    enum wp_err e = wp_store_each_experiment(s, keep_experiment, &lk, d);
    if (!e)
        e = wp_store_each_hardware(s, keep_hardware, &lk, d);
    if (!e)
        e = wp_store_idle_experiments(s, &lk.idle, &lk.n_idle, d); /* baselines, not runs */
    if (!e && f->where_key)
        e = where_load(s, f, &lk, d);
    if (!e && lk.err)
        e = wp_diag_set(d, lk.err, NULL, 0, 0, "out of memory");
    if (!e)
        e = wp_store_each_run_value(s, f->phase, f->energy_only && !f->measured_only,
                                    on_value, &c, d);
    lookup_free(&lk);
    return e;
}

/* A listing of wp_runs_listed: the --where set and the caller's callback. */
struct listing {
    struct lookup *lk;
    int (*fn)(void *ctx, const struct wp_run_row *r);
    void *ctx;
};

static int on_listed(void *ctx, const struct wp_run_row *r)
{
    struct listing *l = ctx;
    if (!where_passes(l->lk, r->experiment_id, r->run_id))
        return 0;
    return l->fn(l->ctx, r);
}

enum wp_err wp_runs_listed(struct wp_store *s, const struct wp_run_filter *f,
                           int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx,
                           struct wp_diag *d)
{
    if (!f->where_key)
        return wp_store_each_run(s, f, fn, ctx, d);
    struct lookup lk = {0};
    enum wp_err e = where_load(s, f, &lk, d);
    if (!e && lk.err)
        e = wp_diag_set(d, lk.err, NULL, 0, 0, "out of memory");
    struct listing l = {&lk, fn, ctx};
    if (!e)
        e = wp_store_each_run(s, f, on_listed, &l, d);
    lookup_free(&lk);
    return e;
}

/* Groups in order of their names (task, model, dataset, hardware), runs by run id. */
static int by_names(const void *pa, const void *pb)
{
    const struct wp_group *a = pa, *b = pb;
    const char *x[] = {a->task, a->model, a->dataset, a->hardware};
    const char *y[] = {b->task, b->model, b->dataset, b->hardware};
    return wp_cmp_texts(x, y, 4);
}

static int by_name(const void *pa, const void *pb)
{
    return strcmp(**(char *const *const *)pa, **(char *const *const *)pb);
}

/* Numbers the models by name rather than by first sight, so that a run's unit key, and the
 * order of units the cluster bootstrap draws from, do not depend on the order a backend
 * hands the runs over. */
static enum wp_err rank_models(struct wp_groups *g, struct wp_diag *d)
{
    size_t n = g->n_models;
    char ***order = malloc((n ? n : 1) * sizeof *order);
    long long *rank = malloc((n ? n : 1) * sizeof *rank);
    char **sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!order || !rank || !sorted) {
        free(order);
        free(rank);
        free(sorted);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        order[i] = &g->models[i];
    qsort(order, n, sizeof *order, by_name);
    for (size_t r = 0; r < n; r++) {
        rank[order[r] - g->models] = (long long)r;
        sorted[r] = *order[r];
    }
    for (size_t i = 0; i < g->n; i++)
        for (size_t k = 0; k < g->v[i].n; k++)
            g->v[i].runs[k].model = rank[g->v[i].runs[k].model];
    if (n) /* no model: g->models is NULL */
        memcpy(g->models, sorted, n * sizeof *sorted);
    free(order);
    free(rank);
    free(sorted);
    return WP_OK;
}

enum wp_err wp_groups_collect(struct wp_store *s, const struct wp_run_filter *f,
                              enum wp_group_by by, struct wp_groups *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    struct collector c = {.g = out, .by = by, .d = d};
    enum wp_err e = wp_runs_each(s, f, on_run, &c, d);
    if (!e)
        e = c.err;
    if (!e && out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, by_names);
    for (size_t i = 0; !e && i < out->n; i++) {
        struct wp_group *x = &out->v[i];
        size_t k = 1;
        while (k < x->n && x->runs[k - 1].run_id < x->runs[k].run_id)
            k++;
        if (k < x->n) /* the database usually hands them over in order already */
            qsort(x->runs, x->n, sizeof *x->runs, by_run_id);
    }
    if (!e)
        e = count_experiments(out, d);
    if (!e)
        e = rank_models(out, d);
    if (e)
        wp_groups_free(out);
    return e;
}

void wp_groups_free(struct wp_groups *g)
{
    for (size_t i = 0; i < g->n; i++) {
        struct wp_group *x = &g->v[i];
        free(x->task);
        free(x->model);
        free(x->dataset);
        free(x->hardware);
        free(x->purpose);
        free(x->runs);
    }
    free(g->v);
    for (size_t i = 0; i < g->n_models; i++)
        free(g->models[i]);
    free(g->models);
    memset(g, 0, sizeof *g);
}

double *wp_group_column(const struct wp_group *g, size_t field_offset)
{
    double *out = malloc((g->n ? g->n : 1) * sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < g->n; i++)
        memcpy(&out[i], (const char *)&g->runs[i] + field_offset, sizeof out[i]);
    return out;
}
