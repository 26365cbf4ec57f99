/* The report's section "Task vs task": per pair of tasks the ratio of means with its
 * cluster bootstrap interval over the unit first, then Welch's test on the unit means with
 * raw and Holm-adjusted p, and the ratio of geometric means with its log10 test.  Every
 * number comes from wp_analysis_pairwise; this file only formats it. */
#include "report/pairwise.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strpool.h"
#include "util/text.h"

#define COLS 9

/* The cells' strings, freed together once the table is written (util/strpool.h). */
#define put wp_strpool_fmt

static const char *esc(struct wp_strpool *c, const char *text)
{
    char *e = wp_doc_escape(text ? text : "");
    const char *r = put(c, "%s", e ? e : "");
    g_free(e);
    return r;
}

/* x with 3 significant digits in the report's one notation (util/text) */
static const char *sig3(struct wp_strpool *c, double x)
{
    char b[64];
    wp_text_sig(x, 3, b, sizeof b);
    return put(c, "%s", b);
}

static const char *ratio(struct wp_strpool *c, const struct wp_ratio *r)
{
    return isfinite(r->ratio) ? sig3(c, r->ratio) : "n/a";
}

/* "0.0400–0.800", "none" with a task of one unit */
static const char *interval(struct wp_strpool *c, const struct wp_ratio *r)
{
    if (!isfinite(r->lo) || !isfinite(r->hi))
        return "none";
    char lo[64], hi[64];
    wp_text_sig(r->lo, 3, lo, sizeof lo);
    wp_text_sig(r->hi, 3, hi, sizeof hi);
    return put(c, "%s–%s", lo, hi);
}

/* A p for the table, one notation in the column: two significant digits from 0.001 up,
 * "< 0.001" below (the exact values are in stats --pairwise's CSV and JSON). */
static const char *pcell(struct wp_strpool *c, double p)
{
    if (!isfinite(p))
        return "n/a";
    if (p < 0.001)
        return "&lt;\u00a00.001"; /* one line: a no-break space */
    char b[64];
    wp_text_sig(p, 2, b, sizeof b);
    return put(c, "%s", b);
}

/* A task id as words, which wrap where a line must break: "image classification" */
static const char *task(struct wp_strpool *c, const char *id)
{
    char *w = g_strdup(id ? id : "");
    if (!w) {
        c->failed = true;
        return "";
    }
    wp_text_task_words(w);
    const char *r = esc(c, w);
    g_free(w);
    return r;
}

/* A count with every digit, thousands separated (util/text): 10000 as "10,000" */
static const char *grouped(size_t v, char buf[32])
{
    double x = (double)v;
    wp_text_sig(x, x >= 1 ? (int)floor(log10(x)) + 1 : 1, buf, 32);
    return buf;
}

bool wp_report_pairwise(struct wp_doc *doc, const struct wp_pairwise *p)
{
    char n[32];
    if (!p || !p->n)
        return true;
    struct wp_strpool c = {0};
    const char **cells = calloc(p->n * COLS, sizeof *cells);
    if (!cells)
        return false;
    const char *unit = wp_unit_name(p->unit, 1), *units = wp_unit_name(p->unit, 2);
    const char *boot = p->unit == WP_UNIT_RUN ? "bootstrap" : "cluster bootstrap";
    const char *ci = put(&c, "<b>%g%% CI</b>", p->level * 100);
    /* the geometric means' interval and unadjusted log10 p are in stats --pairwise: the page
     * keeps each cell on one line */
    struct wp_doc_col cols[COLS] = {
        {"<b>task a</b>", 0.155, WP_LEFT},
        {"<b>task b</b>", 0.155, WP_LEFT},
        {"<b>n</b>", 0.075, WP_RIGHT},
        {"<b>ratio of means</b>", 0.085, WP_RIGHT},
        {ci, 0.165, WP_RIGHT},
        {"<b>p</b>", 0.095, WP_RIGHT},
        {"<b>p Holm</b>", 0.095, WP_RIGHT},
        {"<b>ratio of geo. means</b>", 0.085, WP_RIGHT},
        {"<b>p Holm, log10</b>", 0.085, WP_RIGHT},
    };
    for (size_t i = 0; i < p->n; i++) {
        const struct wp_pair_cmp *x = &p->v[i];
        const char **row = cells + i * COLS;
        row[0] = task(&c, x->task_a);
        row[1] = task(&c, x->task_b);
        row[2] = put(&c, "%zu / %zu", x->ratio.n_a, x->ratio.n_b);
        row[3] = ratio(&c, &x->ratio);
        row[4] = interval(&c, &x->ratio);
        row[5] = pcell(&c, x->welch_raw.p);
        row[6] = pcell(&c, x->p_holm_raw);
        row[7] = ratio(&c, &x->geo);
        row[8] = pcell(&c, x->p_holm);
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
                 put(&c, "Table: task vs task, kWh per 1,000 inferences over %s (n: %s of "
                         "task a / of task b); ratio of means with its %g%% %s interval "
                         "(none: a task of one %s); p of Welch's t-test on the %s means, raw "
                         "and Holm-adjusted over %zu pairs; ratio of geometric means with the "
                         "Holm-adjusted p of the test on log10. p from 0.001 up, below: "
                         "&lt; 0.001. The exact p and the geometric means' intervals are in "
                         "wattprint stats --pairwise.",
                     units, units, p->level * 100, boot, unit, unit, p->n));
    bool ok = !c.failed;
    wp_strpool_free(&c);
    free(cells);
    return ok;
}
