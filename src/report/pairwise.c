/* The report's section "Task vs task": per pair of tasks the ratio of means with its
 * cluster bootstrap interval over the unit first, then Welch's test on the unit means with
 * raw and Holm-adjusted p, and the ratio of geometric means with its log10 test.  Every
 * number comes from wp_analysis_pairwise; this file only formats it. */
#include "report/pairwise.h"

#include <math.h>
#include <stdio.h>

#include "report/page_table.h"
#include "util/strpool.h"
#include "util/text.h"

/* The cells' strings, freed together once the table is written (util/strpool.h). */
#define put wp_strpool_fmt

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
    const char *unit = wp_unit_name(p->unit, 1), *units = wp_unit_name(p->unit, 2);
    const char *boot = p->unit == WP_UNIT_RUN ? "bootstrap" : "cluster bootstrap";
    const char *ci = put(&c, "<b>%g%% CI</b>", p->level * 100);
    /* the geometric means' interval and unadjusted log10 p are in stats --pairwise: the page
     * keeps each cell on one line */
    const struct wp_page_col cols[] = {
        {"task_a", "<b>task a</b>", 0.155, WP_LEFT, .format = WP_CELL_WORDS},
        {"task_b", "<b>task b</b>", 0.155, WP_LEFT, .format = WP_CELL_WORDS},
        {"n_a", "<b>n</b>", 0.075, WP_RIGHT, .with = "n_b", .join = WP_JOIN_SLASH},
        {"ratio", "<b>ratio of means</b>", 0.085, WP_RIGHT, .digits = 3},
        {"ratio_ci", ci, 0.165, WP_RIGHT, .digits = 3, .none = "none"},
        {"welch_p", "<b>p</b>", 0.095, WP_RIGHT, .format = WP_CELL_P_SHORT},
        {"welch_p_holm", "<b>p Holm</b>", 0.095, WP_RIGHT, .format = WP_CELL_P_SHORT},
        {"ratio_geomean", "<b>ratio of geo. means</b>", 0.085, WP_RIGHT, .digits = 3},
        {"welch_log10_p_holm", "<b>p Holm, log10</b>", 0.085, WP_RIGHT, .format = WP_CELL_P_SHORT},
    };
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
    bool ok = wp_page_table(
        doc, &c, wp_pair_cols, WP_N_PAIR_COLS, cols, sizeof cols / sizeof cols[0], p->v,
        sizeof p->v[0], p->n,
        put(&c, "Table: task vs task, kWh per 1,000 inferences over %s (n: %s of task a / of "
                "task b); ratio of means with its %g%% %s interval (none: a task of one %s); "
                "p of Welch's t-test on the %s means, raw and Holm-adjusted over %zu pairs; "
                "ratio of geometric means with the Holm-adjusted p of the test on log10. p "
                "from 0.001 up, below: &lt; 0.001. The exact p and the geometric means' "
                "intervals are in wattprint stats --pairwise.",
            units, units, p->level * 100, boot, unit, unit, p->n));
    ok = ok && !c.failed;
    wp_strpool_free(&c);
    return ok;
}
