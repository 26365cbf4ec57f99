/* The report's section "Task vs task": per pair of tasks the ratio of means with its
 * cluster bootstrap interval over the unit first, then Welch's test on the unit means with
 * raw and Holm-adjusted p, and the ratio of geometric means with its log10 test.  Every
 * number comes from wp_analysis_pairwise; this file only formats it. */
#include "report/pairwise.h"

#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define COLS 9

/* The cells' strings, freed together once the table is written. */
struct cells {
    char **v;
    size_t n;
    bool failed;
};

static const char *put(struct cells *c, const char *f, ...) __attribute__((format(printf, 2, 3)));

static const char *put(struct cells *c, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = g_strdup_vprintf(f, ap);
    va_end(ap);
    if (!s) {
        c->failed = true;
        return "";
    }
    c->v[c->n++] = s;
    return s;
}

static const char *esc(struct cells *c, const char *text)
{
    char *e = wp_doc_escape(text ? text : "");
    const char *r = put(c, "%s", e ? e : "");
    g_free(e);
    return r;
}

static const char *ratio(struct cells *c, const struct wp_ratio *r)
{
    return isfinite(r->ratio) ? put(c, "%.3g", r->ratio) : "n/a";
}

/* "0.04–0.8", "none" with a task of one unit */
static const char *interval(struct cells *c, const struct wp_ratio *r)
{
    if (!isfinite(r->lo) || !isfinite(r->hi))
        return "none";
    return put(c, "%.3g–%.3g", r->lo, r->hi);
}

/* "0.025 / 0.92": raw p and Holm's */
static const char *ps(struct cells *c, double p, double holm)
{
    char a[32] = "n/a", b[32] = "n/a";
    if (isfinite(p))
        wp_stats_p_text(p, a, sizeof a);
    if (isfinite(holm))
        wp_stats_p_text(holm, b, sizeof b);
    char both[80];
    snprintf(both, sizeof both, "%s / %s", a, b);
    return esc(c, both); /* "< 1e-16" is markup's '<' */
}

/* 10000 as "10,000" */
static const char *grouped(size_t v, char buf[32])
{
    char raw[24];
    int len = snprintf(raw, sizeof raw, "%zu", v), k = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = raw[i];
    }
    buf[k] = '\0';
    return buf;
}

bool wp_report_pairwise(struct wp_doc *doc, const struct wp_pairwise *p)
{
    char n[32];
    if (!p || !p->n)
        return true;
    struct cells c = {.v = calloc(p->n * 16 + 8, sizeof *c.v)};
    const char **cells = calloc(p->n * COLS, sizeof *cells);
    if (!c.v || !cells) {
        free(c.v);
        free(cells);
        return false;
    }
    const char *unit = wp_unit_name(p->unit, 1), *units = wp_unit_name(p->unit, 2);
    const char *boot = p->unit == WP_UNIT_RUN ? "bootstrap" : "cluster bootstrap";
    const char *ci = put(&c, "<b>%g%% CI</b>", p->level * 100);
    struct wp_doc_col cols[COLS] = {
        {"<b>task a</b>", 0.16, WP_LEFT},
        {"<b>task b</b>", 0.16, WP_LEFT},
        {"<b>n</b>", 0.06, WP_RIGHT},
        {"<b>ratio of means</b>", 0.09, WP_RIGHT},
        {ci, 0.13, WP_RIGHT},
        {"<b>p / Holm</b>", 0.095, WP_RIGHT},
        {"<b>ratio of geo. means</b>", 0.09, WP_RIGHT},
        {ci, 0.125, WP_RIGHT},
        {"<b>p log10 / Holm</b>", 0.09, WP_RIGHT},
    };
    for (size_t i = 0; i < p->n; i++) {
        const struct wp_pair_cmp *x = &p->v[i];
        const char **row = cells + i * COLS;
        row[0] = esc(&c, x->task_a);
        row[1] = esc(&c, x->task_b);
        row[2] = put(&c, "%zu / %zu", x->ratio.n_a, x->ratio.n_b);
        row[3] = ratio(&c, &x->ratio);
        row[4] = interval(&c, &x->ratio);
        row[5] = ps(&c, x->welch_raw.p, x->p_holm_raw);
        row[6] = ratio(&c, &x->geo);
        row[7] = interval(&c, &x->geo);
        row[8] = ps(&c, x->welch.p, x->p_holm);
    }
    wp_doc_heading(doc, 2, "Task vs task");
    wp_doc_para(doc, put(&c, "Each pair of tasks compared over %s (the independent unit: "
                             "repeated runs of one experiment are near copies). The effect "
                             "comes first: the ratio of the mean energies per 1,000 "
                             "inferences, task a over task b, with a %g%% %s interval "
                             "(%s resamples); then Welch's t-test on the %s means, which "
                             "matches that ratio, and on their log10, which matches the "
                             "ratio of geometric means. Each p is given raw and "
                             "Holm-adjusted over the %zu pairs: with many pairs some raw p "
                             "fall below 0.05 by chance.",
                         units, p->level * 100, boot, grouped(p->resamples, n), unit, p->n));
    wp_doc_table(doc, cols, COLS, cells, p->n,
                 put(&c, "Table: task vs task, kWh per 1,000 inferences over %s (n: %s of task a / of task b); "
                         "ratio of means and of geometric means with %g%% %s intervals "
                         "(none: a task of one %s); p of Welch's t-test on the %s means and "
                         "on their log10, raw / Holm-adjusted over %zu pairs.",
                     units, units, p->level * 100, boot, unit, unit, p->n));
    bool ok = !c.failed;
    for (size_t i = 0; i < c.n; i++)
        g_free(c.v[i]);
    free(c.v);
    free(cells);
    return ok;
}
