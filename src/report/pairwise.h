/* The report's task-vs-task section (report.c calls it): the comparisons of
 * wp_analysis_pairwise as a table with its caption, the effect first.  Formatting only. */
#ifndef WP_REPORT_PAIRWISE_H
#define WP_REPORT_PAIRWISE_H

#include "report/doc.h"
#include "analysis/analysis.h"

/* A heading, a sentence and the table of p's pairs; nothing when p has none.  Returns
 * false when out of memory (the doc holds what was written). */
bool wp_report_pairwise(struct wp_doc *doc, const struct wp_pairwise *p);

#endif
