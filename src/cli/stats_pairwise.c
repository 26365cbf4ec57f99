/* stats --pairwise: task vs task over the analysis' unit, the effect first (ratio of means
 * with its cluster bootstrap interval), then Welch's test that matches it with raw and
 * Holm-adjusted p; the ratio of geometric means and its log10 test beside.  Formatting
 * only: every number comes from wp_analysis_pairwise. */
#include "cli/stats_pairwise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/table.h"
#include "util/text.h"

bool wp_cli_pair_add(struct wp_pair_req *r, const char *arg)
{
    const char *comma = strchr(arg, ',');
    if (!comma || comma == arg || !comma[1] || strchr(comma + 1, ',')) {
        wp_cli_usage("stats", "--pair: give two tasks as A,B (e.g. image_generation,masked_lm)");
        return false;
    }
    if (r->n == WP_MAX_PAIRS) {
        wp_cli_usage("stats", "--pair: at most %d pairs (or --pairwise for every pair)",
                     WP_MAX_PAIRS);
        return false;
    }
    size_t la = (size_t)(comma - arg), lb = strlen(comma + 1);
    if (la >= WP_MAX_PAIR_NAME || lb >= WP_MAX_PAIR_NAME) {
        wp_cli_usage("stats", "--pair: a task name of at most %d bytes", WP_MAX_PAIR_NAME - 1);
        return false;
    }
    char *a = r->buf[2 * r->n], *b = r->buf[2 * r->n + 1];
    memcpy(a, arg, la);
    a[la] = '\0';
    memcpy(b, comma + 1, lb + 1);
    r->names[2 * r->n] = a;
    r->names[2 * r->n + 1] = b;
    r->n++;
    return true;
}

static const struct wp_col cols[] = {
    {"task_a", WP_COL_TEXT, 0},          {"task_b", WP_COL_TEXT, 0},
    {"unit", WP_COL_TEXT, 0},            {"n_a", WP_COL_INT, 0},
    {"n_b", WP_COL_INT, 0},              {"level", WP_COL_NUM, 3},
    {"mean_a_kwh_per_1k", WP_COL_NUM, 4}, {"mean_b_kwh_per_1k", WP_COL_NUM, 4},
    {"ratio", WP_COL_NUM, 4},            {"ratio_ci_lo", WP_COL_NUM, 4},
    {"ratio_ci_hi", WP_COL_NUM, 4},      {"welch_t", WP_COL_NUM, 4},
    {"welch_df", WP_COL_NUM, 3},         {"welch_p", WP_COL_NUM, 3},
    {"welch_p_holm", WP_COL_NUM, 3},     {"ratio_geomean", WP_COL_NUM, 4},
    {"ratio_geomean_ci_lo", WP_COL_NUM, 4}, {"ratio_geomean_ci_hi", WP_COL_NUM, 4},
    {"welch_log10_t", WP_COL_NUM, 4},    {"welch_log10_df", WP_COL_NUM, 3},
    {"welch_log10_p", WP_COL_NUM, 3},    {"welch_log10_p_holm", WP_COL_NUM, 3},
};
#define N_COLS (sizeof cols / sizeof cols[0])

static int machine(enum wp_outfmt fmt, const struct wp_pairwise *p, FILE *out)
{
    struct wp_table *t = wp_table_new(out, fmt, cols, N_COLS);
    if (!t)
        return -1;
    for (size_t i = 0; i < p->n; i++) {
        const struct wp_pair_cmp *c = &p->v[i];
        long long na = (long long)c->ratio.n_a, nb = (long long)c->ratio.n_b;
        const void *cells[N_COLS] = {
            c->task_a, c->task_b, wp_unit_name(p->unit, 1), &na, &nb, &p->level,
            &c->ratio.mean_a, &c->ratio.mean_b, &c->ratio.ratio, &c->ratio.lo, &c->ratio.hi,
            &c->welch_raw.t, &c->welch_raw.df, &c->welch_raw.p, &c->p_holm_raw,
            &c->geo.ratio, &c->geo.lo, &c->geo.hi, &c->welch.t, &c->welch.df, &c->welch.p,
            &c->p_holm,
        };
        wp_table_row(t, cells);
    }
    return wp_table_end(t);
}

/* "1.22-4.73", or "none" when the interval is undefined (a task of one unit) */
static void range(const struct wp_ratio *r, char *buf, size_t size)
{
    if (isfinite(r->lo) && isfinite(r->hi))
        snprintf(buf, size, "%.3g-%.3g", r->lo, r->hi);
    else
        snprintf(buf, size, "none");
}

static void ptext(double p, char *buf, size_t size)
{
    if (isfinite(p))
        wp_stats_p_text(p, buf, size);
    else
        snprintf(buf, size, "-");
}

static int people(const struct wp_pairwise *p, FILE *out)
{
    const char *units = wp_unit_name(p->unit, 2);
    fprintf(out, "\nTask vs task (kWh per 1,000 inferences, over %s; the effect first: ratio "
                 "of means a/b with its %g%% CI)\n", units, p->level * 100);
    fprintf(out, "%-22s %-22s %4s %4s %9s %17s %9s %9s %9s %17s %9s %9s\n", "task_a", "task_b",
            "n_a", "n_b", "ratio", "CI", "p", "p_holm", "geo_ratio", "CI", "p_log", "p_log_holm");
    for (size_t i = 0; i < p->n; i++) {
        const struct wp_pair_cmp *c = &p->v[i];
        char *a = wp_text_escape_controls(c->task_a), *b = wp_text_escape_controls(c->task_b);
        char r1[48], r2[48], p1[32], p2[32], p3[32], p4[32], x1[32], x2[32];
        range(&c->ratio, r1, sizeof r1);
        range(&c->geo, r2, sizeof r2);
        ptext(c->welch_raw.p, p1, sizeof p1);
        ptext(c->p_holm_raw, p2, sizeof p2);
        ptext(c->welch.p, p3, sizeof p3);
        ptext(c->p_holm, p4, sizeof p4);
        snprintf(x1, sizeof x1, isfinite(c->ratio.ratio) ? "%.4g" : "-", c->ratio.ratio);
        snprintf(x2, sizeof x2, isfinite(c->geo.ratio) ? "%.4g" : "-", c->geo.ratio);
        fprintf(out, "%-22s %-22s %4zu %4zu %9s %17s %9s %9s %9s %17s %9s %9s\n",
                a ? a : "?", b ? b : "?", c->ratio.n_a, c->ratio.n_b, x1, r1, p1, p2, x2, r2,
                p3, p4);
        free(a);
        free(b);
    }
    return fprintf(out,
                   "n: %s per task.  ratio: mean a / mean b (means of the %s means), %g%% "
                   "cluster bootstrap CI (%zu resamples; CI none: a task of one %s); p: "
                   "Welch's t-test on the %s means (it matches the ratio of means); "
                   "geo_ratio: ratio of geometric means, p_log: Welch's t-test on log10 of "
                   "the %s means (it matches geo_ratio); p_holm, p_log_holm: Holm-adjusted "
                   "over the %zu pairs.\n",
                   units, wp_unit_name(p->unit, 1), p->level * 100, p->resamples,
                   wp_unit_name(p->unit, 1), wp_unit_name(p->unit, 1),
                   wp_unit_name(p->unit, 1), p->n) < 0;
}

int wp_cli_pairwise_print(enum wp_outfmt fmt, const struct wp_pairwise *p, FILE *out)
{
    return fmt == WP_OUT_TABLE ? people(p, out) : machine(fmt, p, out);
}
