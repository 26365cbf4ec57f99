/* The statistics layer: pure functions over arrays of doubles that return result structs,
 * the numbers every chart, spreadsheet and report reads.  No SQL, no files, no printing;
 * the analysis (src/analysis/) hands arrays in, renderers take structs out and never
 * recompute a statistic.
 *
 * Conventions
 *   - Inputs are SI: energy in J, emissions in g CO2eq, time in s.  Results come back
 *     through out-pointers; functions return enum wp_err: WP_ERR_USAGE for a bad argument
 *     (NULL pointer, level outside (0,1), ...), WP_ERR_EMPTY when no usable value is left
 *     (the result struct is still filled, with NaN and the counts), WP_ERR_NOMEM when an
 *     allocation fails.  Scratch memory is freed before returning; no result struct owns
 *     memory, so none needs a *_free.
 *   - Missing values: a NaN (or +-Inf) in an input array is a missing value.  It is
 *     skipped and counted in the result's n_missing; it never turns a result into NaN.
 *   - Undefined results are NaN, never a crash or a division by zero: the sd of one value,
 *     a t statistic with a zero standard error, R^2 of a constant y, and so on.
 *   - is_small is set when a result rests on fewer than 3 values (per group): show it,
 *     but say it is fragile.
 *   - Call wp_stats_init() once per process before anything else here (the CLI does).
 *     It turns GSL's abort-on-error handler off -- the only process-wide setting this
 *     module makes -- so that GSL failures come back as return codes we check.
 *   - No global mutable state: every random number generator is local to one call and
 *     seeded from the caller's struct wp_bootstrap, so the same input gives the same bytes;
 *     the indices one call drew may be kept in a table the caller owns (wp_boot_draws).
 *
 * Estimators (named here once so that reports can cite them)
 *   mean           arithmetic mean (gsl_stats_mean).
 *   sd             sample standard deviation, n-1 denominator (gsl_stats_sd_m); NaN if n<2.
 *   se             standard error of the mean, sd / sqrt(n).
 *   quantile(p)    linear interpolation between order statistics: Hyndman & Fan type 7,
 *                  R's default quantile(type = 7), numpy's default 'linear'
 *                  (gsl_stats_quantile_from_sorted_data): with the n sorted values
 *                  x[0..n-1], h = p (n-1), q = x[floor h] + (h - floor h)(x[floor h + 1] -
 *                  x[floor h]).  median = quantile(0.5), q1 = quantile(0.25),
 *                  q3 = quantile(0.75).
 *   geometric      geo_mean = exp(mean(ln x)), geo_sd = exp(sd(ln x)) (n-1 denominator,
 *                  a unitless multiplicative factor), over the values x > 0 only; the
 *                  others are counted in n_nonpositive.
 *   t interval     mean +- t_{(1+level)/2, n-1} sd / sqrt(n), with the Student t quantile
 *                  from gsl_cdf_tdist_Pinv.
 *   bootstrap      percentile interval: R resamples of size n drawn with replacement
 *                  (gsl_rng_mt19937 seeded with `seed`, indices from gsl_rng_uniform_int),
 *                  the statistic computed on each (mean = plain sum / n), the R values
 *                  sorted, and the interval's ends taken as their type 7 quantiles at
 *                  (1-level)/2 and (1+level)/2 -- the same estimator as quantile(p).
 *                  Draw order, so that a result can be reproduced elsewhere: replicate by
 *                  replicate; for two groups, all n_a draws of group a, then all n_b of b.
 *   ratio          mean(a) / mean(b), bootstrap percentile interval of that ratio with
 *                  each group resampled independently (stratified bootstrap).
 *   Welch          t = (mean_a - mean_b) / sqrt(v_a/n_a + v_b/n_b), Welch-Satterthwaite
 *                  df = (v_a/n_a + v_b/n_b)^2 /
 *                       ((v_a/n_a)^2/(n_a-1) + (v_b/n_b)^2/(n_b-1)),
 *                  two-sided p = 2 Q_t(|t|; df) (gsl_cdf_tdist_Q, real-valued df).  The
 *                  log10 variant runs on log10 values (x > 0 only), so it compares
 *                  geometric means; 10^(difference) is their ratio.
 *   linear fit     ordinary least squares y = intercept + slope x (gsl_fit_linear); callers
 *                  pass log10 values for a power-law scaling fit.  Standard errors from
 *                  s^2 = SSE / (n-2); R^2 = 1 - SSE/SST; residual sd = s; slope t = slope /
 *                  se(slope) with p = 2 Q_t(|t|; n-2).  Checked against NIST StRD Norris.
 *   Spearman       rho = Pearson correlation of the ranks, ties given their average rank
 *                  (gsl_stats_spearman).  Two-sided p: for 3 to 9 pairs without ties, exact
 *                  -- the share of the n! orderings whose S = sum of squared rank
 *                  differences is at most the observed S (at least, above S's mean
 *                  (n^3 - n) / 6), doubled and at most 1, as R's cor.test(method =
 *                  "spearman") by default; otherwise the t approximation t = rho sqrt((n-2)
 *                  / (1-rho^2)), df = n-2, p = 2 Q_t(|t|), as R's cor.test(exact = FALSE)
 *                  and scipy's spearmanr (R's default for 10 to 1,289 pairs, AS 89's
 *                  Edgeworth series, differs from it), except a perfect order without ties:
 *                  exactly 2 / n!.
 *   stars          AI Energy Score rule, see wp_stats_stars().
 *   unit means     runs nest in experiments, experiments in units (models): a unit's mean
 *                  is the mean of its experiments' means, each experiment's the mean of
 *                  its runs (wp_stats_unit_means).  The t interval over units is the t
 *                  interval above over those means; the cluster bootstrap resamples units,
 *                  then experiments inside each, then runs (wp_stats_ci_cluster_boot).
 *   within slope   least squares with a term per group: the slope of the values with each
 *                  group's means removed, df = n - groups - 1 (wp_stats_fit_within).
 *   Holm           step-down adjustment of m p-values (wp_stats_holm).
 *   box (log)      type 7 quartiles and Tukey's 1.5 IQR whiskers of log10 x
 *                  (wp_stats_box_log10).
 *
 * Layer: src/stats/ is the pure layer.  Its files include only stats/ and util/ (the
 * reference tables, the leaderboard snapshot and the intensity series also ingest/csv.h,
 * the CSV reader); never store/, analysis/ or anything above.  The layer above,
 * src/analysis/, reads the store and hands arrays and groups (groups.h) down to it.
 */
#ifndef WP_STATS_H
#define WP_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"
#include "util/units.h"

/* Turns GSL's default error handler (which aborts) off, process-wide, so every GSL failure
 * is a return value.  Call once at start-up, before any other wp_stats_* function. */
void wp_stats_init(void);

/* ---- descriptive statistics (describe.c) ------------------------------------------- */

struct wp_summary {
    size_t n;             /* finite values used */
    size_t n_missing;     /* NaN / Inf values skipped */
    double mean;
    double sd;            /* sample sd, n-1 denominator; NaN if n < 2 */
    double se;            /* sd / sqrt(n); NaN if n < 2 */
    double min, q1, median, q3, max; /* type 7 quantiles; all equal x when n == 1 */
    size_t n_positive;    /* values > 0, used by the geometric statistics */
    size_t n_nonpositive; /* values <= 0, excluded from them */
    double geo_mean;      /* exp(mean ln x) over x > 0; NaN if none */
    double geo_sd;        /* exp(sd ln x) over x > 0; NaN if fewer than 2 */
};

/* Summarises x[0..n) (x may be NULL when n == 0).  Returns WP_ERR_EMPTY, with the struct
 * filled with NaN and the counts, when no finite value is left. */
enum wp_err wp_stats_describe(const double *x, size_t n, struct wp_summary *out);

/* The type 7 quantile at probability p in [0, 1] of the finite values of x[0..n). */
enum wp_err wp_stats_quantile(const double *x, size_t n, double p, double *out);

/* The same on data already sorted ascending and free of NaN (no copy, no allocation). */
enum wp_err wp_stats_quantile_sorted(const double *sorted, size_t n, double p, double *out);

/* ---- box plots on a log axis (box.c) --------------------------------------------- */

/* A box plot's numbers for a log axis: type 7 quartiles of log10 x and Tukey's whiskers
 * (the most extreme values within 1.5 IQR of the box, IQR on log10), back-transformed.
 * The median is the geometric one: 10^(median of log10 x), the median of x for odd n. */
struct wp_box {
    size_t n;           /* values x > 0 used */
    size_t n_left_out;  /* NaN / Inf and x <= 0, which a log axis cannot show */
    double q1, median, q3; /* NaN when n == 0 */
    double lo, hi;      /* whisker ends */
};

/* The box of x[0..n).  WP_ERR_EMPTY (NaN, counts) when no value is > 0. */
enum wp_err wp_stats_box_log10(const double *x, size_t n, struct wp_box *out);

/* ---- confidence intervals for the mean (ci.c) -------------------------------------- */

#define WP_STATS_DEFAULT_LEVEL 0.95
#define WP_STATS_DEFAULT_SEED 42UL
#define WP_STATS_DEFAULT_RESAMPLES 10000

/* Indices drawn once and read again by later intervals over as many values (every
 * interval seeds its own generator with the same seed, so intervals over n values all
 * draw the same n x R indices).  Never changes a number, only how often they are drawn.
 * wp_boot_draws_new returns NULL when out of memory; wp_boot_draws_free frees the tables. */
struct wp_boot_draws;
struct wp_boot_draws *wp_boot_draws_new(void);
void wp_boot_draws_free(struct wp_boot_draws *d);

/* Options of every bootstrap here; pass NULL for the defaults. */
struct wp_bootstrap {
    unsigned long seed; /* gsl_rng_set seed (GSL maps 0 to its default seed, 4357) */
    size_t resamples;   /* R >= 1 */
    double level;       /* confidence level in (0, 1) */
    struct wp_boot_draws *draws; /* shared indices of intervals (one sample or a ratio of
                                    two), or NULL (not owned; not an option: results are
                                    the same without) */
};
#define WP_BOOTSTRAP_DEFAULT \
    { WP_STATS_DEFAULT_SEED, WP_STATS_DEFAULT_RESAMPLES, WP_STATS_DEFAULT_LEVEL, NULL }

struct wp_ci {
    double estimate;   /* the sample mean */
    double lo, hi;     /* NaN when undefined (t interval with n < 2) */
    double level;
    size_t n, n_missing;
    bool is_small;     /* n < 3 */
};

/* Student t interval for the mean of x[0..n) at `level` (e.g. WP_STATS_DEFAULT_LEVEL). */
enum wp_err wp_stats_ci_mean_t(const double *x, size_t n, double level, struct wp_ci *out);

/* Bootstrap percentile interval for the mean of x[0..n); opt NULL means
 * WP_BOOTSTRAP_DEFAULT.  With n == 1 every resample is the value itself. */
enum wp_err wp_stats_ci_mean_boot(const double *x, size_t n, const struct wp_bootstrap *opt,
                                  struct wp_ci *out);

/* Energy and emissions cannot be negative, but a t interval over few units or a wide
 * spread can reach below zero.  The one rule every writer applies: people's formats show
 * the lower end as 0 with a dagger and WP_CI_CUT_NOTE; machine formats (CSV, JSON) keep the
 * exact value and flag it.  wp_ci_lo_is_cut says whether ci's lower end is below zero;
 * wp_ci_lo_shown is what people see: 0 then, else lo (NaN stays NaN). */
bool wp_ci_lo_is_cut(const struct wp_ci *ci);
double wp_ci_lo_shown(const struct wp_ci *ci);
#define WP_CI_CUT_NOTE                                                                     \
    "the interval's lower end is below zero (few values or a wide spread), shown as 0: "   \
    "energy cannot be negative."

/* ---- two-group comparison (compare.c) ---------------------------------------------- */

struct wp_ratio {
    double mean_a, mean_b;
    double ratio;      /* mean_a / mean_b; NaN if mean_b == 0 */
    double lo, hi;     /* bootstrap percentile interval; NaN if a resampled mean of b is 0 */
    double level;
    size_t n_a, n_b, n_missing_a, n_missing_b;
    bool is_small;     /* n_a < 3 or n_b < 3 */
};

/* Ratio of means a over b with a stratified bootstrap percentile interval (opt NULL means
 * WP_BOOTSTRAP_DEFAULT).  WP_ERR_EMPTY if either group has no finite value. */
enum wp_err wp_stats_ratio_boot(const double *a, size_t n_a, const double *b, size_t n_b,
                                const struct wp_bootstrap *opt, struct wp_ratio *out);

struct wp_welch {
    bool is_log10;        /* the test ran on log10 values */
    double mean_a, mean_b; /* of the tested values (log10 x for the log test) */
    double var_a, var_b;   /* sample variances, n-1; NaN if n < 2 */
    double diff;           /* mean_a - mean_b */
    double ratio;          /* raw: mean_a / mean_b; log10: 10^diff, the ratio of geometric
                              means; NaN when the denominator is 0 */
    double se;             /* sqrt(var_a/n_a + var_b/n_b) */
    double t, df, p;       /* two-sided; NaN if n_a < 2, n_b < 2 or se == 0 */
    size_t n_a, n_b;       /* values tested */
    size_t n_missing_a, n_missing_b;         /* NaN / Inf skipped */
    size_t n_nonpositive_a, n_nonpositive_b; /* log test only: x <= 0 skipped */
    bool is_small;         /* n_a < 3 or n_b < 3 */
};

/* Welch's unequal-variance t test of mean(a) - mean(b) on the raw values. */
enum wp_err wp_stats_welch(const double *a, size_t n_a, const double *b, size_t n_b,
                           struct wp_welch *out);

/* Welch's t test on log10 values (x > 0 only): compares geometric means. */
enum wp_err wp_stats_welch_log10(const double *a, size_t n_a, const double *b, size_t n_b,
                                 struct wp_welch *out);

/* ---- nested designs: runs in experiments in units (cluster.c) ---------------------- */

/* A design's finite run values grouped as the statistics nest them: the runs of one
 * experiment together, the experiments of one unit (a model, or the experiment itself)
 * together.  Experiment e holds x[exp_start[e] .. exp_start[e+1]), unit u the experiments
 * unit_start[u] .. unit_start[u+1].  Owned: free with wp_stats_design_free. */
struct wp_design {
    double *x;
    size_t *exp_start, *unit_start;
    size_t n, n_exp, n_units;
    size_t n_missing;  /* NaN / Inf values left out */
};

/* Builds the design of x[0..n): run i belongs to experiment exp[i] of unit unit[i] (any
 * ids; equal ids are one experiment or unit).  Units, then experiments, are ordered by
 * id, runs keep their input order.  WP_ERR_EMPTY (an empty design) if no value is finite. */
enum wp_err wp_stats_design_new(const double *x, const long long *unit, const long long *exp,
                                size_t n, struct wp_design *out);
void wp_stats_design_free(struct wp_design *d);

/* means[u] = the mean of unit u's experiment means (each experiment the mean of its runs,
 * weighted once), for u < d->n_units; means is caller-owned. */
enum wp_err wp_stats_unit_means(const struct wp_design *d, double *means);

/* Student t interval over the unit means (see wp_stats_ci_mean_t); n = units. */
enum wp_err wp_stats_ci_cluster_t(const struct wp_design *d, double level, struct wp_ci *out);

/* Cluster (multi-stage) bootstrap percentile interval of the mean of the unit means: each
 * resample draws n_units units with replacement, then within each drawn unit its
 * experiments with replacement, then within each drawn experiment its runs; the
 * replicate is the mean over the drawn units of their resampled means.  Draw order: per
 * replicate, all unit indices from an mt19937 seeded with `seed` (so a design of one run
 * per experiment and one experiment per unit reproduces wp_stats_ci_mean_boot's bits),
 * then unit by unit the experiment indices from one seeded seed ^ 0x9e3779b9 and the run
 * indices from one seeded seed ^ 0x85ebca6b; a level with one member draws nothing.  With a single unit: estimate only, lo and hi NaN. */
enum wp_err wp_stats_ci_cluster_boot(const struct wp_design *d, const struct wp_bootstrap *opt,
                                     struct wp_ci *out);

/* Ratio of design a's statistic over b's with a cluster bootstrap interval, each design
 * resampled independently as above (per replicate: a's draws, then b's).  The statistic is
 * the mean of the unit means, or with `geometric` their geometric mean exp(mean ln m)
 * (ratio of geometric means; NaN when a unit mean is <= 0).  n_a, n_b count units; lo and
 * hi are NaN when either design has fewer than 2 units. */
enum wp_err wp_stats_ratio_cluster(const struct wp_design *a, const struct wp_design *b,
                                   bool geometric, const struct wp_bootstrap *opt,
                                   struct wp_ratio *out);

/* Both ratios at once (either pointer may be NULL, not both): the ratio of means into
 * *mean and of geometric means into *geo, each the same bits wp_stats_ratio_cluster gives
 * alone (with one seed both draw the same indices, so one set of draws serves both). */
enum wp_err wp_stats_ratio_cluster_both(const struct wp_design *a, const struct wp_design *b,
                                        const struct wp_bootstrap *opt, struct wp_ratio *mean,
                                        struct wp_ratio *geo);

/* The paired form: a and b have the same units in the same order (unit u of a is unit u
 * of b, e.g. one model measured before and after a change).  Each replicate draws the units
 * once for both (from `seed`), then within each drawn unit a's experiments and runs and
 * b's, each from its own stream as above; the ratio is of the means of unit means, so what
 * differs between units cancels.  WP_ERR_USAGE when the unit counts differ; lo and hi NaN
 * with a single unit. */
enum wp_err wp_stats_ratio_cluster_paired(const struct wp_design *a, const struct wp_design *b,
                                          const struct wp_bootstrap *opt, struct wp_ratio *out);

/* ---- many tests (cluster.c) ------------------------------------------------------- */

/* Holm's step-down adjustment: with the m non-NaN p-values sorted ascending p_(1..m),
 * adj_(j) = min(1, max_{i<=j} (m - i + 1) p_(i)); NaN stays NaN.  adj has n elements,
 * caller-owned (p itself is fine). */
enum wp_err wp_stats_holm(const double *p, size_t n, double *adj);

/* A p-value for people: "n/a" (NaN), "< 1e-16" below 1e-16 (what double precision tails
 * can honestly claim), else two significant digits ("0.28", "2.8e-12").  Returns the
 * length snprintf reports. */
size_t wp_stats_p_text(double p, char *buf, size_t cap);

/* ---- scaling regression (regress.c) ------------------------------------------------ */

struct wp_fit {
    size_t n;                /* complete pairs used */
    size_t n_missing;        /* pairs with a NaN / Inf in x or y, skipped */
    double slope, intercept; /* NaN if n < 2 or x is constant */
    double se_slope, se_intercept, cov_slope_intercept; /* NaN if n < 3 */
    double r2;               /* 1 - SSE/SST; NaN if y is constant */
    double resid_sd;         /* sqrt(SSE / (n-2)); NaN if n < 3 */
    double df;               /* n - 2 */
    double t_slope, p_slope; /* slope / se, two-sided p; +-Inf and 0 for a perfect fit */
    double spearman_rho, spearman_p; /* NaN if x or y is constant; p NaN if n < 3
                                        (exact up to 9 pairs without ties: see above) */
    bool is_small;           /* n < 3 */
};

/* Least squares of y on x over the pairs (x[i], y[i]), i < n, plus Spearman's rho.
 * WP_ERR_EMPTY if no complete pair. */
enum wp_err wp_stats_fit_linear(const double *x, const double *y, size_t n,
                                struct wp_fit *out);

/* The slope of y on x within groups (an intercept per group, as a fixed task term): least
 * squares on the values with each group's means removed, so differences between groups'
 * levels do not pass for a slope.  group[i] is point i's group (any ids); *n_groups
 * receives how many have points.  Fills slope, se_slope, t_slope, p_slope (df = n -
 * groups - 1), resid_sd and r2 (the within R^2); intercept puts the line through the grand
 * means of x and y (for drawing; se_intercept NaN); Spearman NaN. */
enum wp_err wp_stats_fit_within(const double *x, const double *y, const long long *group,
                                size_t n, struct wp_fit *out, size_t *n_groups);

/* The fitted mean response at x and its t confidence interval at `level`
 * (fit +- t_{(1+level)/2, n-2} se(fit)); lo and hi are NaN when the fit has n < 3. */
enum wp_err wp_stats_fit_predict(const struct wp_fit *fit, double x, double level,
                                 double *y, double *lo, double *hi);

/* ---- AI Energy Score stars (stars.c) ----------------------------------------------- */

enum wp_star_method {
    /* The published AI Energy Score rule: the [min, max] range of the group's GPU energies
     * cut into five equal-width bins, w = (max - min) / 5,
     * stars = 5 - min(4, floor((E - min) / w)); all 5 stars when max == min. */
    WP_STARS_EQUAL_WIDTH = 0,
    /* Count quintiles by rank: with m rated values and r the number of values strictly
     * lower than E, stars = 5 - floor(5 r / m), so the lowest-energy fifth gets 5 stars.
     * Ties share the best rank of their group: equal energies always get equal stars. */
    WP_STARS_QUINTILE,
};

/* Rates the models of one group (one task, one size class, one leaderboard edition):
 * stars[i] in 1..5 for energy[i], or 0 for a missing (NaN / Inf) energy.  `stars` has n
 * elements, caller-owned.  The rule is scale-free in exact arithmetic; in double a value
 * on a bin edge could round either way after a unit change, so to reproduce published
 * ratings pass the energies in the leaderboard's unit (kWh per 1,000 queries; the 2025
 * files also rate identically in J).  WP_ERR_EMPTY if no energy is finite. */
enum wp_err wp_stats_stars(const double *energy, size_t n, enum wp_star_method method,
                           int *stars);

/* One energy rated against a fixed comparison set (a leaderboard's class and edition) by
 * the equal-width rule with the set's [min, max]: the set's bins do not move for the newcomer;
 * at or below min 5 stars, at or above max 1.  A value of the set gets the set's own
 * rating.  WP_ERR_EMPTY if the set has no finite energy or energy is not finite. */
enum wp_err wp_stats_stars_against(const double *set, size_t n, double energy, int *stars);

/* ---- inferences to parity (parity.c) ----------------------------------------------- */

/* Number of inferences whose energy equals the training energy:
 * training_energy_j / energy_per_inference_j.  training >= 0, per inference > 0. */
enum wp_err wp_stats_parity(double training_energy_j, double energy_per_inference_j,
                            double *inferences);

/* Published training energies to compare inference against. */
struct wp_training_energy {
    const char *model;      /* Hugging Face model id */
    double training_j;      /* pre-training */
    double finetune_j;      /* fine-tuning (0 if none) */
    const char *source;     /* citation */
};

/* Looks a model up (exact id); WP_ERR_EMPTY if the table has no figure for it. */
enum wp_err wp_stats_training_energy(const char *model,
                                     const struct wp_training_energy **out);

/* ---- energy per token (pertoken.c) ------------------------------------------------ */

/* Energy per token over experiments, for generative models whose cost grows with output
 * length.  Pooled as ratios of sums over the experiments, each weighted as 1,000 of its
 * inferences:
 *   kwh_per_1k_tokens  = sum(kWh per 1,000 inferences) / sum(tokens per inference)
 *   j_per_output_token = sum(J per inference) / sum(output tokens per inference)
 * With one experiment, its own energy over its tokens. */
struct wp_per_token {
    size_t n;                           /* experiments used (energy and tokens known) */
    double tokens_per_inference;        /* input + output, mean over them */
    double output_tokens_per_inference; /* mean over them */
    double kwh_per_1k_tokens;           /* kWh per 1,000 tokens, input + output */
    double j_per_output_token;          /* J per output token; NaN with no output token */
};

/* Per-token energy of n experiments: kwh_per_1k[i] the mean kWh per 1,000 inferences of
 * experiment i, tokens[i] and output_tokens[i] its mean tokens per inference (input +
 * output, output alone).  Experiments with a NaN, or no tokens, are skipped.  WP_ERR_EMPTY
 * (every figure NaN, n 0) when none is left. */
enum wp_err wp_stats_per_token(const double *kwh_per_1k, const double *tokens,
                               const double *output_tokens, size_t n,
                               struct wp_per_token *out);

/* ---- embodied emissions of a GPU server (embodied.c) ------------------------------- */

/* A GPU server's embodied emissions, from a cited table (the source names the hardware). */
struct wp_embodied {
    double gpu_g;          /* per GPU, g CO2eq */
    double server_g;       /* the node without its GPUs */
    double lifetime_s;     /* the assumed lifetime (EL of SCI) */
    int lifetime_years;
    const char *source;
};
/* The compiled-in table; static. */
const struct wp_embodied *wp_stats_embodied(void);
/* M of a run that held a node of gpu_count GPUs for duration_s: (server + gpus x GPU) x
 * duration / lifetime; NAN without a GPU count (>= 1) or a duration (the table is of GPU
 * servers: a machine without a GPU is not one). */
double wp_stats_embodied_g(double gpu_count, double duration_s);

/* ---- a pooled ratio over units (sums.c) ------------------------------------------- */

/* sum(num) / sum(den) over the n units whose num and den are finite, with a bootstrap
 * percentile interval that draws units with replacement (mt19937 seeded with opt's seed,
 * gsl_rng_uniform_int, replicate by replicate); estimate = the pooled ratio, n = units;
 * lo and hi NaN with fewer than 2 units or when a resample's den sums to 0.  opt NULL:
 * WP_BOOTSTRAP_DEFAULT.  WP_ERR_EMPTY when no unit is usable. */
enum wp_err wp_stats_ratio_of_sums_boot(const double *num, const double *den, size_t n,
                                        const struct wp_bootstrap *opt, struct wp_ci *out);

/* ---- what-if: emissions under another grid (whatif.c) ------------------------------ */

/* emissions_g = energy_j / WP_J_PER_KWH J/kWh * pue * intensity_g_per_kwh.  energy >= 0,
 * intensity >= 0, pue >= 1, all finite. */
enum wp_err wp_stats_emissions_g(double energy_j, double intensity_g_per_kwh, double pue,
                                 double *emissions_g);

/* One country's average grid carbon intensity, life-cycle g CO2eq per kWh generated. */
struct wp_grid {
    const char *iso3;       /* ISO 3166-1 alpha-3 */
    const char *country;
    double g_per_kwh;
};

/* The compiled-in table, sorted by iso3; *n receives its length.  Static, never freed. */
const struct wp_grid *wp_stats_grid_table(size_t *n);
/* Citation of the table's source, and the year its values describe. */
const char *wp_stats_grid_source(void);
int wp_stats_grid_year(void);
/* Finds a country by ISO alpha-3 code (either case).  WP_ERR_USAGE if `iso3` is not
 * three letters, WP_ERR_EMPTY if the table has no such country. */
enum wp_err wp_stats_grid_lookup(const char *iso3, const struct wp_grid **out);

/* ---- equivalents (equiv.c) --------------------------------------------------------- */

enum wp_equiv_basis { WP_EQUIV_ENERGY, WP_EQUIV_EMISSIONS };

/* One equivalent: `per_unit` J (energy basis) or g CO2 (emissions basis) make one unit. */
struct wp_equiv_factor {
    const char *key;        /* stable machine name, e.g. "smartphone_charges" */
    const char *unit;       /* text for people, e.g. "smartphone charges" */
    enum wp_equiv_basis basis;
    double per_unit;
    const char *source;     /* citation */
};

struct wp_equiv {
    const struct wp_equiv_factor *factor; /* static, never freed */
    double amount;                        /* how many units */
};

#define WP_EQUIV_MAX 8 /* at least the table's length: a big enough out array */

/* The compiled-in table; *n receives its length.  Static, never freed. */
const struct wp_equiv_factor *wp_stats_equiv_table(size_t *n);

/* Fills out[0..*n_out) with the equivalents of energy_j and emissions_g, in table order.
 * Pass NaN for a quantity you do not have: the factors on that basis are left out.
 * WP_ERR_EMPTY if both are NaN, WP_ERR_USAGE if one is negative or infinite,
 * WP_ERR_LIMIT if `cap` is too small (WP_EQUIV_MAX always suffices). */
enum wp_err wp_stats_equivalents(double energy_j, double emissions_g, struct wp_equiv *out,
                                 size_t cap, size_t *n_out);

#endif
