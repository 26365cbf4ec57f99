/* The report's parts that set a reproduction against its paper: the one-page executive
 * summary with the central figure, and the section of the paper's analyses (which models a
 * published value is over, the headline in smartphone charges, task-specific vs
 * multi-purpose models, inferences to parity, energy against quality).  Numbers come from
 * src/stats/paper.h and the analyses; this file only formats them. */
#ifndef WP_REPORT_REPORT_PAPER_H
#define WP_REPORT_REPORT_PAPER_H

#include "report/doc.h"
#include "report/report.h"
#include "stats/reference.h"

struct wp_report_paper;

/* What the paper's parts read: the report's analyses (by task; by model x task), those over
 * --compare-where's selection (analysis/report_data.h; NULL without it) and its reference,
 * kept by the caller while the paper's parts live. */
struct wp_report_paper_in {
    const struct wp_report_opts *o;
    const struct wp_analysis *tasks, *models;
    const struct wp_analysis *cmp_tasks, *cmp_models, *cmp_by_model;
    const struct wp_reference *ref;      /* the per-task published values (n may be 0) */
    const char *creator, *date;          /* for the figures' metadata */
};

/* Computes what the parts need (the scores, the subsets, parity, the charges).
 * *out is NULL (and WP_OK) when the options ask for none of it.  Free with
 * wp_report_paper_free. */
enum wp_err wp_report_paper_new(const struct wp_report_paper_in *in,
                                struct wp_report_paper **out, struct wp_diag *d);
void wp_report_paper_free(struct wp_report_paper *p);

/* The executive summary: a level-1 heading, the headline numbers, the central figure
 * (emissions per task) and what was measured and what modelled, on one page. */
void wp_report_paper_summary(struct wp_doc *doc, struct wp_report_paper *p);
/* The paper's analyses: a level-1 heading and its sections. */
void wp_report_paper_sections(struct wp_doc *doc, struct wp_report_paper *p);
/* Whether the paper's section compares task-specific with multi-purpose models, and
 * whether it gives inferences to parity (the report's own sections then need not). */
bool wp_report_paper_has_purpose(const struct wp_report_paper *p);
bool wp_report_paper_has_parity(const struct wp_report_paper *p);
/* Whether building the parts ran out of memory (their strings are pooled). */
bool wp_report_paper_failed(const struct wp_report_paper *p);

#endif
