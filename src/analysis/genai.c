/* Energy of generative models per configuration: the alias table that reads the logs'
 * configuration columns, the per-token and per-request metrics, and the loading of runs
 * into configurations with stars within task x size class x GPU model x energy scope.  No
 * formatting. */
#include "analysis/genai.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "stats/stats.h"
#include "util/array.h"
#include "util/cmp.h"
#include "util/units.h"

const char *const wp_gen_phase_names[WP_GEN_N_PHASES] = {"preprocess", "prefill", "decode"};

/* Phase names as the logs spell them (optimum-benchmark's energy_star, AI Energy Score's
 * GPU_ENERGY_SUMMARY.json, MLPerf-style "generation"). */
static const struct {
    const char *name;
    enum wp_gen_phase phase;
} phase_aliases[] = {
    {"preprocess", WP_GEN_PREPROCESS}, {"preprocess_dataset", WP_GEN_PREPROCESS},
    {"prefill", WP_GEN_PREFILL},       {"decode", WP_GEN_DECODE},
    {"generation", WP_GEN_DECODE},
};

enum kind { NUM, TEXT };

/* Configuration columns, canonical names first (what src/ingest writes and manifests
 * use), then the tools' own; scale turns the logged unit into SI. */
static const struct alias {
    const char *key;
    size_t at;
    double scale;
    enum kind kind;
} aliases[] = {
#define F(field) offsetof(struct wp_gen_run, field)
    {"batch_size", F(batch_size), 1, NUM},
    {"max_num_seqs", F(batch_size), 1, NUM}, /* ML.ENERGY v3 LLM: the maximum batch */
    {"gpu_count", F(gpu_count), 1, NUM},
    {"num_gpus", F(gpu_count), 1, NUM},
    {"precision", F(precision), 0, TEXT},
    {"torch_dtype", F(precision), 0, TEXT},
    {"dtype", F(precision), 0, TEXT},
    {"requests", F(requests), 1, NUM},
    {"completed", F(requests), 1, NUM}, /* vLLM's benchmark_serving */
    {"tokens_in", F(tokens_in), 1, NUM},
    {"total_input_tokens", F(tokens_in), 1, NUM},
    {"tokens_out", F(tokens_out), 1, NUM},
    {"total_output_tokens", F(tokens_out), 1, NUM},
    {"energy_per_request_joules", F(logged_j_per_request), 1, NUM},
    {"Energy/req (J)", F(logged_j_per_request), 1, NUM},
    {"energy_per_token_joules", F(logged_j_per_output_token), 1, NUM},
    {"Energy/token (J)", F(logged_j_per_output_token), 1, NUM},
    {"avg_output_len", F(logged_tokens_out_per_request), 1, NUM},
    {"avg_power_watts", F(avg_power_w), 1, NUM},
    {"avg_power_w", F(avg_power_w), 1, NUM},
    {"ttft_s", F(ttft_s), 1, NUM},
    {"mean_ttft_ms", F(ttft_s), 1e-3, NUM},
    {"itl_mean_s", F(itl_mean_s), 1, NUM},
    {"mean_itl_ms", F(itl_mean_s), 1e-3, NUM},
    {"Avg TPOT (s)", F(itl_mean_s), 1, NUM},
    {"itl_p50_s", F(itl_p50_s), 1, NUM},
    {"median_itl_ms", F(itl_p50_s), 1e-3, NUM},
    {"p50_itl_ms", F(itl_p50_s), 1e-3, NUM},
    {"itl_p90_s", F(itl_p90_s), 1, NUM},
    {"p90_itl_ms", F(itl_p90_s), 1e-3, NUM},
    {"itl_p99_s", F(itl_p99_s), 1, NUM},
    {"p99_itl_ms", F(itl_p99_s), 1e-3, NUM},
    {"request_latency_s", F(request_latency_s), 1, NUM},
    {"mean_e2el_ms", F(request_latency_s), 1e-3, NUM},
    {"mean_e2e_latency_ms", F(request_latency_s), 1e-3, NUM},
    {"throughput_tokens_per_s", F(throughput_tokens_per_s), 1, NUM},
    {"output_throughput_tokens_per_sec", F(throughput_tokens_per_s), 1, NUM},
    {"output_throughput", F(throughput_tokens_per_s), 1, NUM},
    {"energy_per", F(energy_per), 0, TEXT},
#undef F
};
#define N_ALIASES (sizeof aliases / sizeof aliases[0])

void wp_gen_run_clear(struct wp_gen_run *r)
{
    double *nums[] = {&r->energy_j, &r->duration_s, &r->requests, &r->tokens_in,
                      &r->tokens_out, &r->logged_j_per_request,
                      &r->logged_j_per_output_token, &r->logged_tokens_out_per_request,
                      &r->avg_power_w, &r->batch_size, &r->gpu_count, &r->ttft_s,
                      &r->itl_mean_s, &r->itl_p50_s, &r->itl_p90_s, &r->itl_p99_s,
                      &r->request_latency_s, &r->throughput_tokens_per_s};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        *nums[i] = NAN;
    for (int p = 0; p < WP_GEN_N_PHASES; p++)
        r->phase_j[p] = NAN;
    r->precision[0] = r->energy_per[0] = '\0';
}

bool wp_gen_run_extra(struct wp_gen_run *r, const char *key, const char *value)
{
    for (size_t i = 0; i < N_ALIASES; i++) {
        const struct alias *a = &aliases[i];
        if (strcmp(a->key, key) != 0)
            continue;
        char *field = (char *)r + a->at;
        if (a->kind == TEXT) {
            size_t size = a->at == offsetof(struct wp_gen_run, precision)
                              ? sizeof r->precision
                              : sizeof r->energy_per;
            snprintf(field, size, "%s", value);
            return true;
        }
        char *end;
        errno = 0;
        double v = strtod(value, &end);
        if (end != value && *end == '\0' && errno != ERANGE && isfinite(v) && v >= 0)
            *(double *)field = v * a->scale;
        return true;
    }
    return false;
}

static double ratio(double num, double den)
{
    return isfinite(num) && isfinite(den) && den > 0 ? num / den : NAN;
}

void wp_gen_metrics(const struct wp_gen_run *r, struct wp_gen_metrics *m)
{
    /* a leaderboard's energy per image or per video is per request: ML.ENERGY's diffusion
     * runs and AI Energy Score's image and video tasks make one per prompt */
    bool per_request = strcmp(r->energy_per, "request") == 0 ||
                       strcmp(r->energy_per, "image") == 0 ||
                       strcmp(r->energy_per, "video") == 0;
    bool per_token = strcmp(r->energy_per, "token") == 0;
    bool is_total = !r->energy_per[0];
    double total = is_total ? r->energy_j : NAN;

    m->j_per_request = r->logged_j_per_request;
    if (isnan(m->j_per_request))
        m->j_per_request = per_request ? r->energy_j : ratio(total, r->requests);
    m->j_per_output_token = r->logged_j_per_output_token;
    if (isnan(m->j_per_output_token))
        m->j_per_output_token = per_token ? r->energy_j : ratio(total, r->tokens_out);
    if (isnan(m->j_per_output_token)) /* a leaderboard's per-request figures */
        m->j_per_output_token = ratio(m->j_per_request, r->logged_tokens_out_per_request);
    m->wh_per_1k_queries = wp_wh_of_j(m->j_per_request * 1000.0);
    m->output_tokens_per_j = ratio(1.0, m->j_per_output_token);
    m->avg_power_w = isfinite(r->avg_power_w) ? r->avg_power_w : ratio(total, r->duration_s);
    for (int p = 0; p < WP_GEN_N_PHASES; p++)
        m->phase_j_per_request[p] = is_total ? ratio(r->phase_j[p], r->requests) : NAN;
    m->prefill_j_per_input_token = is_total ? ratio(r->phase_j[WP_GEN_PREFILL], r->tokens_in)
                                            : NAN;
    m->j_per_input_token = m->prefill_j_per_input_token;
    m->decode_j_per_output_token =
        is_total ? ratio(r->phase_j[WP_GEN_DECODE], r->tokens_out) : NAN;
}

/* AI Energy Score's "Text Generation Model Classes", Table 2 of its documentation
 * (github.com/huggingface/AIEnergyScore, index.md, checked at commit a5b9a04, Dec 2025):
 * A "Single Consumer GPU", maximum model size 20 billion parameters; B "Single Cloud GPU",
 * maximum 66 billion; C "Multiple Cloud GPUs", above 66 billion.  The maxima are
 * inclusive (a model of exactly 20 B fits class A's 24 GB at FP16 with 20% overhead by its
 * formula, rounded down); its model list classes gpt-oss-20b (21 B) as B. */
const char *wp_gen_energy_scope(bool cpu, bool gpu, bool ram)
{
    static const char *const scope[8] = {"total",   "CPU",     "GPU",     "CPU+GPU",
                                         "RAM",     "CPU+RAM", "GPU+RAM", "CPU+GPU+RAM"};
    return scope[(unsigned)cpu | (unsigned)gpu << 1 | (unsigned)ram << 2];
}

const char *wp_gen_size_class(double parameters)
{
    if (!(parameters > 0))
        return "";
    return parameters <= 20e9 ? "A" : parameters <= 66e9 ? "B" : "C";
}

/* ---- loading ---------------------------------------------------------------------- */

struct loaded {
    long long run_id, experiment_id;
    char *model, *task, *gpu_model;
    const char *energy_scope; /* static */
    double parameters;
    double token_samples, input_per_sample, output_per_sample;
    struct wp_gen_run run;
};

struct load {
    const struct wp_gen_filter *f;
    struct loaded *v;
    size_t n, cap;
    bool oom;
    int phase; /* while reading one phase's values */
};

static bool wanted(const char *want, const char *have)
{
    return !want || strcmp(want, have) == 0;
}

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct load *l = ctx;
    if (!*r->model || !*r->task || !wanted(l->f->task, r->task) ||
        !wanted(l->f->model, r->model) || !wanted(l->f->gpu_model, r->gpu_model))
        return 0;
    if (WP_ARRAY_GROW(l->v, l->n + 1, l->cap))
        goto oom;
    struct loaded *x = &l->v[l->n];
    memset(x, 0, sizeof *x);
    x->model = strdup(r->model);
    x->task = strdup(r->task);
    x->gpu_model = strdup(r->gpu_model);
    l->n++; /* freed with the rest even when a copy failed */
    if (!x->model || !x->task || !x->gpu_model)
        goto oom;
    x->run_id = r->run_id;
    x->experiment_id = r->experiment_id;
    x->energy_scope = wp_gen_energy_scope(isfinite(r->cpu_energy_j), isfinite(r->gpu_energy_j),
                                          isfinite(r->ram_energy_j));
    x->parameters = r->parameters > 0 ? (double)r->parameters : NAN;
    wp_gen_run_clear(&x->run);
    x->run.energy_j = r->energy_j;
    x->run.duration_s = r->duration_s;
    if (r->inferences > 0)
        x->run.requests = (double)r->inferences;
    if (r->batch_size > 0)
        x->run.batch_size = (double)r->batch_size;
    if (r->token_samples > 0) {
        x->token_samples = (double)r->token_samples;
        x->input_per_sample = (double)r->input_tokens / x->token_samples;
        x->output_per_sample = (double)r->output_tokens / x->token_samples;
    }
    return 0;
oom:
    l->oom = true;
    return 1;
}

static int cmp_run_id(const void *pa, const void *pb)
{
    long long a = ((const struct loaded *)pa)->run_id, b = ((const struct loaded *)pb)->run_id;
    return wp_cmp_ll(a, b);
}

static struct loaded *find_run(struct load *l, long long run_id)
{
    struct loaded key = {.run_id = run_id};
    if (!l->n)
        return NULL;
    return bsearch(&key, l->v, l->n, sizeof *l->v, cmp_run_id);
}

static int on_phase(void *ctx, const struct wp_run_row *r)
{
    struct load *l = ctx;
    struct loaded *x = find_run(l, r->run_id);
    if (x && isfinite(r->energy_j))
        x->run.phase_j[l->phase] = isnan(x->run.phase_j[l->phase])
                                       ? r->energy_j
                                       : x->run.phase_j[l->phase] + r->energy_j;
    return 0;
}

static int on_extra(void *ctx, long long run_id, const char *phase, const char *key,
                    const char *value)
{
    (void)phase;
    struct loaded *x = find_run(ctx, run_id);
    if (x)
        wp_gen_run_extra(&x->run, key, value);
    return 0;
}

struct attr_scan {
    struct load *l;
    const char *key;
};

static int on_attr(void *ctx, long long experiment_id, const char *value)
{
    struct attr_scan *a = ctx;
    for (size_t i = 0; i < a->l->n; i++)
        if (a->l->v[i].experiment_id == experiment_id)
            wp_gen_run_extra(&a->l->v[i].run, a->key, value);
    return 0;
}

/* Tokens per sample from `wattprint tokens`, scaled to the run's requests, where the log
 * itself gave no count. */
static void token_counts(struct loaded *x)
{
    if (!(x->token_samples > 0) || !isfinite(x->run.requests))
        return;
    if (isnan(x->run.tokens_in))
        x->run.tokens_in = x->input_per_sample * x->run.requests;
    if (isnan(x->run.tokens_out))
        x->run.tokens_out = x->output_per_sample * x->run.requests;
}

/* The run's inference energy: the generation phases it has (AI Energy Score counts
 * preprocess + prefill + decode), else its total. */
static void inference_energy(struct wp_gen_run *r)
{
    double sum = 0;
    bool any = false;
    for (int p = 0; p < WP_GEN_N_PHASES; p++)
        if (isfinite(r->phase_j[p])) {
            sum += r->phase_j[p];
            any = true;
        }
    if (any && !r->energy_per[0])
        r->energy_j = sum;
}

static int cmp_double(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return wp_cmp_double(a, b);
}

static int cmp_config(const struct wp_gen_config *a, const struct wp_gen_config *b)
{
    int c;
    if ((c = strcmp(a->task, b->task)) || (c = strcmp(a->size_class, b->size_class)) ||
        (c = strcmp(a->gpu_model, b->gpu_model)) ||
        (c = strcmp(a->energy_scope, b->energy_scope)) || (c = strcmp(a->model, b->model)) ||
        (c = cmp_double(a->gpu_count, b->gpu_count)) ||
        (c = cmp_double(a->batch_size, b->batch_size)))
        return c;
    return strcmp(a->precision, b->precision);
}

static int cmp_config_q(const void *a, const void *b)
{
    return cmp_config(a, b);
}

/* Mean of the finite values of one double field over runs[0..n). */
static double mean_at(const struct wp_gen_run *const *runs, size_t n, size_t at)
{
    double sum = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double v = *(const double *)((const char *)runs[i] + at);
        if (isfinite(v)) {
            sum += v;
            k++;
        }
    }
    return k ? sum / (double)k : NAN;
}

static const size_t mean_fields[] = {
#define F(field) offsetof(struct wp_gen_run, field)
    F(energy_j), F(phase_j[0]), F(phase_j[1]), F(phase_j[2]), F(duration_s), F(requests),
    F(tokens_in), F(tokens_out), F(logged_j_per_request), F(logged_j_per_output_token),
    F(logged_tokens_out_per_request), F(avg_power_w), F(ttft_s), F(itl_mean_s), F(itl_p50_s),
    F(itl_p90_s), F(itl_p99_s), F(request_latency_s), F(throughput_tokens_per_s),
#undef F
};

/* Metrics of each run, averaged: the configuration's figures are the means of its runs'. */
static void config_metrics(struct wp_gen_config *c, const struct wp_gen_run *const *runs,
                           size_t n)
{
    wp_gen_run_clear(&c->run);
    c->run.batch_size = c->batch_size;
    c->run.gpu_count = c->gpu_count;
    snprintf(c->run.precision, sizeof c->run.precision, "%s", c->precision);
    snprintf(c->run.energy_per, sizeof c->run.energy_per, "%s", runs[0]->energy_per);
    for (size_t i = 0; i < sizeof mean_fields / sizeof mean_fields[0]; i++)
        *(double *)((char *)&c->run + mean_fields[i]) = mean_at(runs, n, mean_fields[i]);
    struct wp_gen_metrics sum = {0}, one;
    size_t count[sizeof sum / sizeof(double)] = {0};
    double *s = (double *)&sum, *o = (double *)&one;
    for (size_t i = 0; i < n; i++) {
        wp_gen_metrics(runs[i], &one);
        for (size_t k = 0; k < sizeof sum / sizeof(double); k++)
            if (isfinite(o[k])) {
                s[k] += o[k];
                count[k]++;
            }
    }
    for (size_t k = 0; k < sizeof sum / sizeof(double); k++)
        s[k] = count[k] ? s[k] / (double)count[k] : NAN;
    /* tokens per joule is the reciprocal of the configuration's J per output token, not
     * the mean of its runs' reciprocals (runs of 0.1 and 0.3 J: 5 tokens per J, not 6.67),
     * so the two columns rank configurations alike */
    sum.output_tokens_per_j = ratio(1.0, sum.j_per_output_token);
    c->metrics = sum;
}

static void free_config(struct wp_gen_config *c)
{
    free(c->model);
    free(c->task);
    free(c->gpu_model);
    free(c->precision);
    free(c->size_class);
}

void wp_gen_set_free(struct wp_gen_set *set)
{
    for (size_t i = 0; set && i < set->n; i++)
        free_config(&set->v[i]);
    if (set) {
        free(set->v);
        set->v = NULL;
        set->n = 0;
    }
}

static void per_run_interval(struct wp_gen_config *c, const struct wp_gen_run *const *runs,
                             size_t n, double *work);

/* One configuration per run first (sorted), then equal neighbours merged. */
static enum wp_err group(struct load *l, struct wp_gen_set *out)
{
    struct wp_gen_config *v = calloc(l->n ? l->n : 1, sizeof *v);
    const struct wp_gen_run **runs = calloc(l->n ? l->n : 1, sizeof *runs);
    double *work = malloc((l->n ? l->n : 1) * sizeof *work);
    enum wp_err e = WP_OK;
    if (!v || !runs || !work) {
        e = WP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < l->n; i++) {
        struct loaded *x = &l->v[i];
        struct wp_gen_config *c = &v[i];
        c->model = strdup(x->model);
        c->task = strdup(x->task);
        c->gpu_model = strdup(x->gpu_model);
        c->precision = strdup(x->run.precision);
        c->size_class = strdup(wp_gen_size_class(x->parameters));
        c->energy_scope = x->energy_scope;
        c->gpu_count = x->run.gpu_count;
        c->batch_size = x->run.batch_size;
        c->parameters = x->parameters;
        c->n_runs = i; /* the index of its run until merged */
        if (!c->model || !c->task || !c->gpu_model || !c->precision || !c->size_class) {
            out->v = v;
            out->n = i + 1;
            v = NULL;
            e = WP_ERR_NOMEM;
            goto out;
        }
    }
    qsort(v, l->n, sizeof *v, cmp_config_q);
    size_t n = 0;
    for (size_t i = 0; i < l->n;) {
        size_t j = i;
        while (j < l->n && cmp_config(&v[i], &v[j]) == 0) {
            runs[j - i] = &l->v[v[j].n_runs].run;
            j++;
        }
        struct wp_gen_config c = v[i];
        for (size_t k = i + 1; k < j; k++)
            free_config(&v[k]);
        c.n_runs = j - i;
        config_metrics(&c, runs, c.n_runs);
        per_run_interval(&c, runs, c.n_runs, work);
        c.informative = wp_gen_informative(c.gpu_model, c.gpu_count, c.size_class);
        v[n++] = c;
        i = j;
    }
    out->v = v;
    out->n = n;
    v = NULL;
out:
    free(v);
    free(runs);
    free(work);
    return e;
}

const char *wp_gen_informative(const char *gpu_model, double gpu_count, const char *cls)
{
    if (!gpu_model || !*gpu_model)
        return "GPU model unknown";
    if (!strstr(gpu_model, "H100"))
        return "not an H100";
    bool is_a_or_b = strcmp(cls, "A") == 0 || strcmp(cls, "B") == 0;
    if (is_a_or_b && gpu_count > 1)
        return "class A or B on several GPUs";
    if (is_a_or_b && !(gpu_count >= 1)) /* one GPU is the rule: not knowing is not meeting it */
        return "class A or B, GPU count unknown";
    return "";
}

/* The spread of J per request over the runs of c (see wp_gen_config). */
static void per_run_interval(struct wp_gen_config *c, const struct wp_gen_run *const *runs,
                             size_t n, double *work)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        struct wp_gen_metrics m;
        wp_gen_metrics(runs[i], &m);
        if (isfinite(m.j_per_request))
            work[k++] = m.j_per_request;
    }
    c->n_j_per_request = k;
    c->j_per_request_sd = c->j_per_request_lo = c->j_per_request_hi = NAN;
    if (k < 2)
        return;
    double mean = gsl_stats_mean(work, 1, k);
    double sd = gsl_stats_sd_m(work, 1, k, mean); /* sample sd, n-1 denominator */
    double half = gsl_cdf_tdist_Pinv(0.975, (double)(k - 1)) * sd / sqrt((double)k);
    c->j_per_request_sd = sd;
    c->j_per_request_lo = mean - half;
    c->j_per_request_hi = mean + half;
}

/* Stars on J per request within each task x size class x GPU model x energy scope. */
static enum wp_err star(struct wp_gen_set *set)
{
    double *energy = malloc((set->n ? set->n : 1) * sizeof *energy);
    int *stars = malloc((set->n ? set->n : 1) * sizeof *stars);
    if (!energy || !stars) {
        free(energy);
        free(stars);
        return WP_ERR_NOMEM;
    }
    for (size_t i = 0; i < set->n;) {
        size_t j = i;
        while (j < set->n && strcmp(set->v[j].task, set->v[i].task) == 0 &&
               strcmp(set->v[j].size_class, set->v[i].size_class) == 0 &&
               strcmp(set->v[j].gpu_model, set->v[i].gpu_model) == 0 &&
               strcmp(set->v[j].energy_scope, set->v[i].energy_scope) == 0)
            j++;
        size_t rated = 0;
        for (size_t k = i; k < j; k++) {
            energy[k - i] = set->v[k].metrics.j_per_request;
            rated += isfinite(energy[k - i]);
        }
        /* a configuration alone in its comparison set has nothing to be rated against */
        if (rated < 2 || wp_stats_stars(energy, j - i, WP_STARS_EQUAL_WIDTH, stars) != WP_OK)
            memset(stars, 0, (j - i) * sizeof *stars);
        for (size_t k = i; k < j; k++) {
            set->v[k].stars = stars[k - i];
            set->v[k].n_compared = rated;
        }
        i = j;
    }
    free(energy);
    free(stars);
    return WP_OK;
}

/* ---- --where on a configuration ---------------------------------------------------- */

static const struct {
    const char *key;
    size_t at;
} text_keys[] = {
    {"model", offsetof(struct wp_gen_config, model)},
    {"task", offsetof(struct wp_gen_config, task)},
    {"gpu_model", offsetof(struct wp_gen_config, gpu_model)},
    {"precision", offsetof(struct wp_gen_config, precision)},
    {"size_class", offsetof(struct wp_gen_config, size_class)},
};
static const struct {
    const char *key;
    size_t at;
} num_keys[] = {
    {"batch_size", offsetof(struct wp_gen_config, batch_size)},
    {"gpu_count", offsetof(struct wp_gen_config, gpu_count)},
    {"parameters", offsetof(struct wp_gen_config, parameters)},
};

/* 1 when c matches key=value, 0 when not, -1 when key is unknown. */
static int where_matches(const struct wp_gen_config *c, const char *key, const char *value)
{
    for (size_t i = 0; i < sizeof text_keys / sizeof text_keys[0]; i++)
        if (strcmp(key, text_keys[i].key) == 0)
            return strcmp(*(char *const *)((const char *)c + text_keys[i].at), value) == 0;
    double have = NAN;
    bool known = false;
    for (size_t i = 0; i < sizeof num_keys / sizeof num_keys[0] && !known; i++)
        if ((known = strcmp(key, num_keys[i].key) == 0))
            have = *(const double *)((const char *)c + num_keys[i].at);
    const struct wp_gen_column *col = known ? NULL : wp_gen_column_find(key);
    if (col) {
        known = true;
        have = wp_gen_value(c, col);
    }
    if (!known)
        return -1;
    char *end;
    errno = 0;
    double want = strtod(value, &end);
    if (end == value || *end || errno == ERANGE || !isfinite(have))
        return 0;
    return fabs(have - want) <= 1e-9 * fmax(fabs(want), fabs(have));
}

static bool where_key_known(const char *key)
{
    for (size_t i = 0; i < sizeof text_keys / sizeof text_keys[0]; i++)
        if (strcmp(key, text_keys[i].key) == 0)
            return true;
    for (size_t i = 0; i < sizeof num_keys / sizeof num_keys[0]; i++)
        if (strcmp(key, num_keys[i].key) == 0)
            return true;
    return wp_gen_column_find(key) != NULL;
}

/* Keeps the configurations that match f's --where, in order. */
static enum wp_err select_where(struct wp_gen_set *set, const struct wp_gen_filter *f,
                                struct wp_diag *d)
{
    if (!f->where_key)
        return WP_OK;
    if (!where_key_known(f->where_key))
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                           "--where: \"%s\" is not a configuration key (model, task, "
                           "gpu_model, precision, size_class, batch_size, gpu_count, "
                           "parameters or a leaderboard metric such as itl_p50_s)",
                           f->where_key);
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++) {
        if (where_matches(&set->v[i], f->where_key, f->where_value) == 1)
            set->v[n++] = set->v[i];
        else
            free_config(&set->v[i]);
    }
    set->n = n;
    return WP_OK;
}

enum wp_err wp_gen_load(struct wp_store *s, const struct wp_gen_filter *f,
                        struct wp_gen_set *out, struct wp_diag *d)
{
    static const struct wp_gen_filter any = {0};
    struct load l = {.f = f ? f : &any};
    struct wp_run_filter rf = {.by_run_id = true};
    out->v = NULL;
    out->n = 0;
    enum wp_err e = wp_store_each_run(s, &rf, on_run, &l, d);
    if (!e && l.oom)
        e = WP_ERR_NOMEM;
    if (!e && l.n) /* qsort and bsearch want a base even for no element */
        qsort(l.v, l.n, sizeof *l.v, cmp_run_id);
    for (size_t a = 0; !e && a < sizeof phase_aliases / sizeof phase_aliases[0]; a++) {
        struct wp_run_filter pf = {.by_run_id = true, .phase = phase_aliases[a].name};
        l.phase = (int)phase_aliases[a].phase;
        e = wp_store_each_run(s, &pf, on_phase, &l, d);
    }
    if (!e)
        e = wp_store_each_run_extra(s, on_extra, &l, d);
    for (size_t a = 0; !e && a < N_ALIASES; a++) {
        struct attr_scan as = {.l = &l, .key = aliases[a].key};
        e = wp_store_each_experiment_attr(s, aliases[a].key, on_attr, &as, d);
    }
    for (size_t i = 0; !e && i < l.n; i++) {
        token_counts(&l.v[i]);
        inference_energy(&l.v[i].run);
    }
    if (!e)
        e = group(&l, out);
    if (!e)
        e = select_where(out, l.f, d);
    if (!e)
        e = star(out);
    if (e == WP_ERR_NOMEM)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (e)
        wp_gen_set_free(out);
    for (size_t i = 0; i < l.n; i++) {
        free(l.v[i].model);
        free(l.v[i].task);
        free(l.v[i].gpu_model);
    }
    free(l.v);
    return e;
}

/* ---- columns, Pareto front, best within a latency limit ------------------------------ */

const struct wp_gen_column wp_gen_columns[] = {
#define M(f) true, offsetof(struct wp_gen_metrics, f)
#define R(f) false, offsetof(struct wp_gen_run, f)
    {"j_per_request", "Energy per request", "J", M(j_per_request), -1},
    {"wh_per_1k_queries", "Energy per 1,000 queries", "Wh", M(wh_per_1k_queries), -1},
    {"j_per_output_token", "Energy per output token", "J", M(j_per_output_token), -1},
    {"j_per_input_token", "Prefill energy per input token", "J", M(j_per_input_token), -1},
    {"output_tokens_per_j", "Output tokens per joule", "1/J", M(output_tokens_per_j), 1},
    {"avg_power_w", "Average power", "W", M(avg_power_w), -1},
    {"preprocess_j_per_request", "Preprocess energy per request", "J",
     M(phase_j_per_request[WP_GEN_PREPROCESS]), -1},
    {"prefill_j_per_request", "Prefill energy per request", "J",
     M(phase_j_per_request[WP_GEN_PREFILL]), -1},
    {"decode_j_per_request", "Decode energy per request", "J",
     M(phase_j_per_request[WP_GEN_DECODE]), -1},
    {"decode_j_per_output_token", "Decode energy per output token", "J",
     M(decode_j_per_output_token), -1},
    {"ttft_s", "Time to first token", "s", R(ttft_s), -1},
    {"itl_mean_s", "Inter-token latency, mean", "s", R(itl_mean_s), -1},
    {"itl_p50_s", "Inter-token latency, p50", "s", R(itl_p50_s), -1},
    {"itl_p90_s", "Inter-token latency, p90", "s", R(itl_p90_s), -1},
    {"itl_p99_s", "Inter-token latency, p99", "s", R(itl_p99_s), -1},
    {"request_latency_s", "Request latency", "s", R(request_latency_s), -1},
    {"throughput_tokens_per_s", "Output throughput", "tokens/s", R(throughput_tokens_per_s),
     1},
    {"requests", "Requests", "requests", R(requests), 0},
    {"tokens_in", "Input tokens", "tokens", R(tokens_in), 0},
    {"tokens_out", "Output tokens", "tokens", R(tokens_out), 0},
#undef M
#undef R
};
const size_t wp_gen_n_columns = sizeof wp_gen_columns / sizeof wp_gen_columns[0];

const struct wp_gen_column *wp_gen_column_find(const char *key)
{
    for (size_t i = 0; i < wp_gen_n_columns; i++)
        if (strcmp(wp_gen_columns[i].key, key) == 0)
            return &wp_gen_columns[i];
    return NULL;
}

double wp_gen_value(const struct wp_gen_config *c, const struct wp_gen_column *k)
{
    const char *base = k->is_metric ? (const char *)&c->metrics : (const char *)&c->run;
    return *(const double *)(base + k->at);
}

/* a at least as good as b on column k (lower is better unless k->better > 0) */
static bool as_good(double a, double b, const struct wp_gen_column *k)
{
    return k->better > 0 ? a >= b : a <= b;
}

void wp_gen_pareto(const struct wp_gen_set *set, const struct wp_gen_column *x,
                   const struct wp_gen_column *y, bool *on_front)
{
    /* O(n^2): a leaderboard holds hundreds of configurations, not millions */
    for (size_t i = 0; i < set->n; i++) {
        double xi = wp_gen_value(&set->v[i], x), yi = wp_gen_value(&set->v[i], y);
        on_front[i] = isfinite(xi) && isfinite(yi);
        for (size_t j = 0; on_front[i] && j < set->n; j++) {
            double xj = wp_gen_value(&set->v[j], x), yj = wp_gen_value(&set->v[j], y);
            if (j == i || !isfinite(xj) || !isfinite(yj))
                continue;
            if (as_good(xj, xi, x) && as_good(yj, yi, y) && (xj != xi || yj != yi))
                on_front[i] = false;
        }
    }
}

enum wp_err wp_gen_best(const struct wp_gen_set *set, const struct wp_gen_column *energy,
                        const struct wp_gen_column *latency, double max_latency,
                        size_t **best, size_t **first, size_t *n_groups)
{
    *best = *first = NULL;
    *n_groups = 0;
    size_t *b = malloc((set->n ? set->n : 1) * sizeof *b);
    size_t *f = malloc((set->n ? set->n : 1) * sizeof *f);
    if (!b || !f) {
        free(b);
        free(f);
        return WP_ERR_NOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++) {
        const struct wp_gen_config *c = &set->v[i];
        size_t g = 0; /* the model x task pair, found among those seen */
        while (g < n && (strcmp(set->v[f[g]].model, c->model) != 0 ||
                         strcmp(set->v[f[g]].task, c->task) != 0))
            g++;
        if (g == n) {
            f[n] = i;
            b[n++] = SIZE_MAX;
        }
        double lat = wp_gen_value(c, latency), e = wp_gen_value(c, energy);
        if (!(lat <= max_latency) || !isfinite(e))
            continue;
        double held = b[g] == SIZE_MAX ? NAN : wp_gen_value(&set->v[b[g]], energy);
        if (b[g] == SIZE_MAX || (as_good(e, held, energy) && e != held))
            b[g] = i;
    }
    *best = b;
    *first = f;
    *n_groups = n;
    return WP_OK;
}
