/* The report's star ratings per task (report.c calls it), each with the set it is relative
 * to: the AI Energy Score's binning rule among the task's models in this database.
 * Formatting only: the stars come from stats/rating.h. */
#ifndef WP_REPORT_RATINGS_H
#define WP_REPORT_RATINGS_H

#include "report/doc.h"
#include "analysis/analysis.h"

/* A heading, a sentence and a table per task of models (an analysis grouped by model and
 * task): models rated and how many got 5 to 1 stars.  Nothing when no model has a GPU
 * energy.  false when out of memory or on a usage error (the doc holds what was written). */
bool wp_report_ratings(struct wp_doc *doc, const struct wp_analysis *models);

#endif
