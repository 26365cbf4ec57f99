/* Generative models as the field measures them: per configuration (model, task, GPU model
 * and count, batch size, precision), the energy per request, per output and input token,
 * per phase (preprocess, prefill, decode), against latency and throughput.  The logs'
 * configuration columns (ML.ENERGY v3, optimum-benchmark, manifests) are read from the
 * runs' extras through one alias table; the metrics are pure functions of a struct.
 * Not a renderer: src/report/leaderboard.c formats what this computes.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_GENAI_H
#define WP_ANALYSIS_GENAI_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

enum wp_gen_phase { WP_GEN_PREPROCESS, WP_GEN_PREFILL, WP_GEN_DECODE, WP_GEN_N_PHASES };
extern const char *const wp_gen_phase_names[WP_GEN_N_PHASES];

/* What one run says of a configuration.  NAN (numbers) when the log does not say. */
struct wp_gen_run {
    double energy_j;                      /* the run's energy (or per unit, see below) */
    double phase_j[WP_GEN_N_PHASES];      /* energy of each phase the log has */
    double duration_s;
    double requests;                      /* requests (queries, samples) energy_j covers */
    double tokens_in, tokens_out;         /* totals over those requests */
    /* figures a leaderboard states per unit instead of totals */
    double logged_j_per_request, logged_j_per_output_token;
    double logged_tokens_out_per_request;
    double avg_power_w;                   /* as logged; else energy / duration */
    double batch_size, gpu_count;
    char precision[32];
    double ttft_s, itl_mean_s, itl_p50_s, itl_p90_s, itl_p99_s, request_latency_s;
    double throughput_tokens_per_s;       /* output tokens per second */
    char energy_per[16]; /* "" energy_j is the run's total; "request" or "token": per that;
                            "image" or "video": per request (one per prompt) */
};

/* The metrics of a run, NAN where the log lacks what they need. */
struct wp_gen_metrics {
    double j_per_request, j_per_output_token, j_per_input_token;
    double wh_per_1k_queries, output_tokens_per_j, avg_power_w;
    double phase_j_per_request[WP_GEN_N_PHASES];
    double prefill_j_per_input_token, decode_j_per_output_token;
};

/* Sets every number of r to NAN and its precision to "". */
void wp_gen_run_clear(struct wp_gen_run *r);

/* Reads one configuration column (`key` = `value`: a run's extra or its experiment's
 * manifest column) into r through the alias table (ML.ENERGY's mean_itl_ms and
 * energy_per_token_joules, the canonical names optimum-benchmark's reader writes,
 * manifests' batch_size ...), converting to SI.  A value that is not a finite number where
 * one is wanted is left out.  Returns true when the key is one it knows. */
bool wp_gen_run_extra(struct wp_gen_run *r, const char *key, const char *value);

/* The metrics of r:  J/request = logged, else energy / requests;  J/output token =
 * logged, else energy / output tokens (every phase: the whole cost of a token);  J/input
 * token = prefill energy / input tokens;  Wh per 1,000 queries = J/request / 3.6;
 * tokens per J = 1 / (J/output token);  average power = logged, else energy / duration. */
void wp_gen_metrics(const struct wp_gen_run *r, struct wp_gen_metrics *m);

/* One configuration: the runs of one model, task, GPU model and count, batch size and
 * precision, their metrics averaged (arithmetic mean over the runs with a value). */
struct wp_gen_config {
    char *model, *task, *gpu_model, *precision, *size_class;
    /* the components its runs' energy covers, as their meters logged them: "GPU"
     * (ML.ENERGY, AI Energy Score, Zeus), "CPU+GPU+RAM" (CodeCarbon through
     * optimum-benchmark), another set joined so, or "total" when no component is broken
     * out (wp_gen_energy_scope); static */
    const char *energy_scope;
    double gpu_count, batch_size, parameters;
    size_t n_runs;
    struct wp_gen_run run;        /* mean of the runs' configuration figures */
    struct wp_gen_metrics metrics;
    int stars;                    /* 1..5 within task x size class x GPU model x energy
                                     scope; 0 none */
    size_t n_compared;            /* how many configurations the stars compare */
    /* J per request over the configuration's runs, the unit a run (the repeats of one
     * configuration are its only replicates): sample sd (n-1) and the Student t 95%
     * interval of the mean; NAN with fewer than 2 runs that have the figure */
    size_t n_j_per_request;
    double j_per_request_sd, j_per_request_lo, j_per_request_hi;
    /* why the configuration is informative only, outside AI Energy Score's comparison
     * (measured on another GPU than an H100, or class A or B on several GPUs: see
     * wp_gen_informative); "" when comparable.  Static text. */
    const char *informative;
};

/* AI Energy Score rates only GPU energy measured on NVIDIA H100s ("the results won't be
 * valid for the AI Energy Score rating system" on other hardware; index.md of
 * huggingface/AIEnergyScore at a5b9a04), with class A and B models on a single GPU (its
 * README's GPU usage guidelines).  The reason a configuration on gpu_model x gpu_count
 * (NAN unknown) of size class `cls` falls outside that, or "" (static): a class A or B
 * configuration whose GPU count is unknown is not known to meet the rule. */
const char *wp_gen_informative(const char *gpu_model, double gpu_count, const char *cls);

/* The energy scope of a run whose components are logged (finite) or not: "total", "CPU",
 * "GPU", "CPU+GPU", "RAM", "CPU+RAM", "GPU+RAM" or "CPU+GPU+RAM" (static).  Configurations
 * of two scopes are never starred together: a GPU's energy alone is a part of what the
 * whole machine's is. */
const char *wp_gen_energy_scope(bool cpu, bool gpu, bool ram);

struct wp_gen_set {
    struct wp_gen_config *v;
    size_t n;
};

struct wp_gen_filter {
    const char *task, *model, *gpu_model; /* NULL = any */
    /* --where KEY=VALUE on a configuration: KEY one of model, task, gpu_model, precision,
     * size_class (text, equal), batch_size, gpu_count, parameters or a column of
     * wp_gen_columns (numbers, equal to 1e-9 relative); NULL = any */
    const char *where_key, *where_value;
};

/* Reads every labelled run with a model and task from the store into configurations
 * (those f selects; a --where key it does not know is WP_ERR_USAGE),
 * ordered by task, size class, GPU model, model, GPU count, batch size, precision; stars
 * each configuration within its task x size class x GPU model on J per request.  Free with
 * wp_gen_set_free. */
enum wp_err wp_gen_load(struct wp_store *s, const struct wp_gen_filter *f,
                        struct wp_gen_set *out, struct wp_diag *d);
void wp_gen_set_free(struct wp_gen_set *set);

/* AI Energy Score's size classes for text generation and reasoning by parameter count:
 * "A" up to 20 billion, "B" above 20 up to 66 billion, "C" above (its documentation's
 * Table 2, cited in genai.c); "" when unknown. */
const char *wp_gen_size_class(double parameters);

/* ---- the column model every writer shares -------------------------------------------- */

/* One number of a configuration: a metric or a configuration figure, with its unit. */
struct wp_gen_column {
    const char *key;   /* machine name (JSON member, --x/--y/--latency values) */
    const char *label; /* for people */
    const char *unit;
    bool is_metric;    /* in wp_gen_config.metrics, else in .run */
    size_t at;         /* offset of the double */
    int better;        /* -1 lower is better (energy, latency), +1 higher, 0 neither */
};
extern const struct wp_gen_column wp_gen_columns[];
extern const size_t wp_gen_n_columns;
/* The column named `key`, NULL if none. */
const struct wp_gen_column *wp_gen_column_find(const char *key);
/* The value of column k for c (NAN unknown). */
double wp_gen_value(const struct wp_gen_config *c, const struct wp_gen_column *k);

/* Marks on_front[i] for the configurations no other dominates on (x, y): another is at
 * least as good on both (by each column's `better`) and better on one.  Points with an
 * unknown x or y are never on the front.  on_front has set->n elements, caller-owned. */
void wp_gen_pareto(const struct wp_gen_set *set, const struct wp_gen_column *x,
                   const struct wp_gen_column *y, bool *on_front);

/* For each model and task, the configuration with the lowest `energy` whose `latency`
 * is at most max_latency (in the column's unit): best[i] is its index in set, SIZE_MAX
 * when none of the model's configurations is within the limit.  *n_groups model x task
 * pairs, in the order of set; best and models (index of the pair's first configuration)
 * are malloc'ed arrays the caller frees. */
enum wp_err wp_gen_best(const struct wp_gen_set *set, const struct wp_gen_column *energy,
                        const struct wp_gen_column *latency, double max_latency,
                        size_t **best, size_t **first, size_t *n_groups);

#endif
