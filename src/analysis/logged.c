/* Runs before any label, grouped by what their logs name them by (see logged.h): the runs
 * come from wp_store_each_run, their keys from wp_store_run_keys_each; sorting by key makes
 * the groups, and each group's numbers are sums, a summary and intervals over its runs. */
#include "analysis/logged.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/runs.h"
#include "util/time.h"
#include "util/units.h"

/* Names a tool writes when its user gave none: they name no group. */
static const char *const default_projects[] = {
    "codecarbon",           /* CodeCarbon's project_name */
    "Deafult project name", /* eco2AI's, spelled so by eco2AI */
    "Default project name",
};
static const char *const default_experiments[] = {
    "5b0fa12a-3dd7-45bb-9766-cc326314d9f1", /* CodeCarbon's experiment_id */
    "no experiment description",            /* eco2AI's */
};

static bool is_default(const char *v, const char *const *list, size_t n)
{
    if (!*v)
        return true;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, list[i]) == 0)
            return true;
    return false;
}

void wp_logged_key_of(const char *project, const char *experiment, const char *file_name,
                      struct wp_logged_key *out)
{
    bool dp = is_default(project, default_projects,
                         sizeof default_projects / sizeof default_projects[0]);
    bool de = is_default(experiment, default_experiments,
                         sizeof default_experiments / sizeof default_experiments[0]);
    if (dp && de) {
        *out = (struct wp_logged_key){file_name, "", ""};
        return;
    }
    /* a default experiment beside a named project says nothing more */
    *out = (struct wp_logged_key){"", project, de ? "" : experiment};
}

const char *wp_logged_what_to_add(void)
{
    return "Energy per 1,000 inferences needs each run's model, task, dataset and inference "
           "count: write them into the file `wattprint manifest --skeleton -o manifest.csv` "
           "makes, then run `wattprint manifest manifest.csv`.";
}

struct row {
    long long run_id;
    double energy_j, duration_s, emissions_g, cpu_j, gpu_j, ram_j;
    char *hw, *place, *started; /* "cpu\x1fgpu", "country\x1fregion" */
    char *file, *project, *experiment; /* the key; NULL until read */
    char *labels; /* a labelled run without inference count: "model M, task T, dataset D" */
    bool unlabelled;
};

struct collect {
    struct row *v;
    size_t n, cap;
    bool oom;
};

static char *join2(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 2);
    if (s) {
        memcpy(s, a, na);
        s[na] = '\x1f';
        memcpy(s + na + 1, b, nb + 1);
    }
    return s;
}

static void row_free(struct row *r)
{
    free(r->hw);
    free(r->place);
    free(r->started);
    free(r->file);
    free(r->project);
    free(r->experiment);
    free(r->labels);
}

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct collect *c = ctx;
    enum wp_run_use u = wp_run_use(r);
    if (u != WP_RUN_UNLABELED && u != WP_RUN_NO_INFERENCES)
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        struct row *v = realloc(c->v, cap * sizeof *v);
        if (!v) {
            c->oom = true;
            return 1;
        }
        c->v = v;
        c->cap = cap;
    }
    struct row *w = &c->v[c->n];
    *w = (struct row){
        .run_id = r->run_id,
        .energy_j = r->energy_j,
        .duration_s = r->duration_s,
        .emissions_g = r->emissions_g,
        .cpu_j = r->cpu_energy_j,
        .gpu_j = r->gpu_energy_j,
        .ram_j = r->ram_energy_j,
        .hw = join2(r->cpu_model, r->gpu_model),
        .place = join2(r->country_iso_code, r->region),
        .started = strdup(r->started_at),
        .unlabelled = u == WP_RUN_UNLABELED,
    };
    c->n++;
    if (!w->unlabelled &&
        asprintf(&w->labels, "model %s, task %s, dataset %s", r->model, r->task, r->dataset) < 0)
        w->labels = NULL;
    else if (w->unlabelled)
        w->labels = strdup("");
    if (!w->hw || !w->place || !w->started || !w->labels) {
        c->oom = true;
        return 1;
    }
    return 0;
}

static int cmp_run(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    return (x->run_id > y->run_id) - (x->run_id < y->run_id);
}

static int on_keys(void *ctx, const struct wp_run_keys *k)
{
    struct collect *c = ctx;
    struct row key = {.run_id = k->run_id};
    struct row *r = c->n ? bsearch(&key, c->v, c->n, sizeof *c->v, cmp_run) : NULL;
    if (!r || r->file) /* not ours, or its first measurement was read */
        return 0;
    struct wp_logged_key lk;
    wp_logged_key_of(k->project_name, k->experiment_label, k->file_name, &lk);
    r->file = strdup(lk.file);
    r->project = strdup(lk.project);
    r->experiment = strdup(lk.experiment);
    if (!r->file || !r->project || !r->experiment) {
        c->oom = true;
        return 1;
    }
    return 0;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static int cmp_key(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    int r = strcmp(x->labels, y->labels);
    if (!r)
        r = strcmp(or_empty(x->file), or_empty(y->file));
    if (!r)
        r = strcmp(or_empty(x->project), or_empty(y->project));
    if (!r)
        r = strcmp(or_empty(x->experiment), or_empty(y->experiment));
    return r ? r : cmp_run(a, b);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The most frequent of v[0..n) (ties: the first in sort order; "\x1f" alone, an unknown
 * pair, only when nothing else is known) and how many distinct known values there are.
 * Sorts v. */
static const char *mode(const char **v, size_t n, size_t *distinct)
{
    qsort(v, n, sizeof *v, cmp_str);
    const char *best = "\x1f";
    size_t best_n = 0;
    *distinct = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && strcmp(v[j], v[i]) == 0)
            j++;
        if (strcmp(v[i], "\x1f") != 0) {
            (*distinct)++;
            if (j - i > best_n) {
                best = v[i];
                best_n = j - i;
            }
        }
        i = j;
    }
    return best;
}

/* Splits "a\x1fb" into two new strings. */
static bool split2(const char *s, char **a, char **b)
{
    const char *sep = strchr(s, '\x1f');
    size_t na = sep ? (size_t)(sep - s) : strlen(s);
    *a = strndup(s, na);
    *b = strdup(sep ? sep + 1 : "");
    return *a && *b;
}

static char *group_name(const struct row *r)
{
    size_t cap = strlen(r->file) + strlen(r->project) + strlen(r->experiment) + 32;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    if (*r->labels) {
        free(s);
        return strdup(r->labels);
    }
    if (*r->file)
        snprintf(s, cap, "file %s", r->file);
    else if (*r->experiment && *r->project)
        snprintf(s, cap, "project %s, experiment %s", r->project, r->experiment);
    else if (*r->experiment)
        snprintf(s, cap, "experiment %s", r->experiment);
    else
        snprintf(s, cap, "project %s", r->project);
    return s;
}

static enum wp_err group_of(const struct row *r, size_t n, const struct wp_bootstrap *boot,
                            const char **scratch_s, double *scratch_x,
                            struct wp_logged_group *g)
{
    memset(g, 0, sizeof *g);
    g->file = strdup(r->file);
    g->project = strdup(r->project);
    g->experiment = strdup(r->experiment);
    g->name = group_name(r);
    g->n_runs = n;
    double both_e = 0, both_d = 0, ci_e = 0, ci_g = 0, cpu = 0, gpu = 0, ram = 0;
    size_t n_both = 0, n_ci = 0, n_parts = 0;
    for (size_t i = 0; i < n; i++) {
        const struct row *x = &r[i];
        g->n_unlabelled += x->unlabelled;
        g->n_no_inferences += !x->unlabelled;
        scratch_x[i] = x->energy_j / WP_J_PER_KWH; /* NAN stays NAN: counted missing */
        if (isfinite(x->energy_j)) {
            g->n_energy++;
            g->energy_j += x->energy_j;
        }
        if (isfinite(x->duration_s)) {
            g->n_duration++;
            g->duration_s += x->duration_s;
        }
        if (isfinite(x->emissions_g)) {
            g->n_emissions++;
            g->emissions_g += x->emissions_g;
        }
        if (isfinite(x->energy_j) && isfinite(x->duration_s) && x->duration_s > 0) {
            both_e += x->energy_j;
            both_d += x->duration_s;
            n_both++;
        }
        if (isfinite(x->energy_j) && isfinite(x->emissions_g) && x->energy_j > 0) {
            ci_e += x->energy_j;
            ci_g += x->emissions_g;
            n_ci++;
        }
        if (isfinite(x->cpu_j) && isfinite(x->gpu_j) && isfinite(x->ram_j)) {
            cpu += x->cpu_j;
            gpu += x->gpu_j;
            ram += x->ram_j;
            n_parts++;
        }
    }
    g->kwh = g->n_energy ? g->energy_j / WP_J_PER_KWH : NAN;
    g->hours = g->n_duration ? g->duration_s / 3600.0 : NAN;
    g->power_w = n_both && both_d > 0 ? both_e / both_d : NAN;
    g->g_per_kwh = n_ci && ci_e > 0 ? ci_g / (ci_e / WP_J_PER_KWH) : NAN;
    double parts = cpu + gpu + ram;
    g->cpu_share = n_parts && parts > 0 ? cpu / parts : NAN;
    g->gpu_share = n_parts && parts > 0 ? gpu / parts : NAN;
    g->ram_share = n_parts && parts > 0 ? ram / parts : NAN;
    enum wp_err e = wp_stats_describe(scratch_x, n, &g->energy_kwh);
    if (e == WP_ERR_EMPTY) /* no energy known: the counts say so, the numbers are NAN */
        e = WP_OK;
    if (!e && g->n_energy) {
        e = wp_stats_ci_mean_t(scratch_x, n, boot->level, &g->energy_t);
        if (!e)
            e = wp_stats_ci_mean_boot(scratch_x, n, boot, &g->energy_boot);
        if (g->n_energy < 2) /* every resample of one run is that run: no interval */
            g->energy_boot.lo = g->energy_boot.hi = NAN;
    } else if (!e) {
        g->energy_t = g->energy_boot = (struct wp_ci){NAN, NAN, NAN, boot->level, 0, n, true};
    }
    /* hardware and place: the most frequent */
    size_t distinct;
    for (size_t i = 0; i < n; i++)
        scratch_s[i] = r[i].hw;
    bool ok = split2(mode(scratch_s, n, &g->n_hardware), &g->cpu_model, &g->gpu_model);
    for (size_t i = 0; i < n; i++)
        scratch_s[i] = r[i].place;
    ok = split2(mode(scratch_s, n, &distinct), &g->country, &g->region) && ok;
    g->n_places = distinct;
    /* first and last start: ISO 8601 as logged sorts as text within one log's style */
    const char *lo = "", *hi = "";
    for (size_t i = 0; i < n; i++) {
        if (!*r[i].started)
            continue;
        if (!*lo || strcmp(r[i].started, lo) < 0)
            lo = r[i].started;
        if (strcmp(r[i].started, hi) > 0)
            hi = r[i].started;
    }
    g->first_started = strdup(lo);
    g->last_started = strdup(hi);
    if (!e && (!ok || !g->file || !g->project || !g->experiment || !g->name ||
               !g->first_started || !g->last_started))
        e = WP_ERR_NOMEM;
    return e;
}

enum wp_err wp_logged_collect(struct wp_store *s, const struct wp_bootstrap *boot,
                              struct wp_logged *out, struct wp_diag *d)
{
    static const struct wp_bootstrap defaults = WP_BOOTSTRAP_DEFAULT;
    if (!boot)
        boot = &defaults;
    memset(out, 0, sizeof *out);
    out->level = boot->level;
    struct collect c = {0};
    struct wp_run_filter all = {.by_run_id = true};
    double newest_s = 0;
    const char **scratch_s = NULL;
    double *scratch_x = NULL;
    enum wp_err e = wp_store_each_run(s, &all, on_run, &c, d);
    if (e || c.oom || !c.n)
        goto out;
    qsort(c.v, c.n, sizeof *c.v, cmp_run);
    if ((e = wp_store_run_keys_each(s, 0, on_keys, &c, d)) || c.oom)
        goto out;
    for (size_t i = 0; i < c.n; i++) { /* a run without a measurement key: its own file */
        struct row *r = &c.v[i];
        if (!r->file && (!(r->file = strdup("")) || !(r->project = strdup("")) ||
                         !(r->experiment = strdup("")))) {
            c.oom = true;
            goto out;
        }
    }
    qsort(c.v, c.n, sizeof *c.v, cmp_key);
    scratch_s = malloc(c.n * sizeof *scratch_s);
    scratch_x = malloc(c.n * sizeof *scratch_x);
    out->v = calloc(c.n, sizeof *out->v);
    if (!scratch_s || !scratch_x || !out->v) {
        c.oom = true;
        goto out;
    }
    for (size_t i = 0; i < c.n && !e;) {
        size_t j = i + 1;
        while (j < c.n && strcmp(c.v[j].labels, c.v[i].labels) == 0 &&
               strcmp(c.v[j].file, c.v[i].file) == 0 &&
               strcmp(c.v[j].project, c.v[i].project) == 0 &&
               strcmp(c.v[j].experiment, c.v[i].experiment) == 0)
            j++;
        struct wp_logged_group *g = &out->v[out->n++];
        e = group_of(&c.v[i], j - i, boot, scratch_s, scratch_x, g);
        out->n_runs += g->n_runs;
        out->energy_j += g->energy_j;
        out->duration_s += g->duration_s;
        out->emissions_g += g->emissions_g;
        out->n_energy += g->n_energy;
        out->n_duration += g->n_duration;
        out->n_emissions += g->n_emissions;
        for (size_t k = i; k < j; k++)
            wp_iso8601_keep_newest(out->newest, sizeof out->newest, &newest_s, c.v[k].started);
        i = j;
    }
    out->kwh = out->n_energy ? out->energy_j / WP_J_PER_KWH : NAN;
    out->hours = out->n_duration ? out->duration_s / 3600.0 : NAN;
    if (e == WP_ERR_NOMEM) {
        c.oom = true;
        e = WP_OK;
    } else if (e) {
        e = wp_diag_set(d, e, NULL, 0, 0, "statistics of the unlabelled runs failed");
    }
out:
    if (!e && c.oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < c.n; i++)
        row_free(&c.v[i]);
    free(c.v);
    free(scratch_s);
    free(scratch_x);
    return e;
}

void wp_logged_free(struct wp_logged *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct wp_logged_group *g = &l->v[i];
        free(g->file);
        free(g->project);
        free(g->experiment);
        free(g->name);
        free(g->cpu_model);
        free(g->gpu_model);
        free(g->country);
        free(g->region);
        free(g->first_started);
        free(g->last_started);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}
