/* The report on logs before any label (like carbontracker's per-log PDF): what the runs
 * used, per group their logs name (analysis/logged.h), with the mean per run and its
 * intervals, where the energy went, on what hardware and where, the files it came from,
 * and what to add for energy per 1,000 inferences.  Formatting only: the numbers come
 * from wp_logged_collect, the figure from chart "groups". */
#ifndef WP_REPORT_LOGGED_H
#define WP_REPORT_LOGGED_H

#include "report/doc.h"
#include "analysis/logged.h"
#include "analysis/provenance.h"
#include "report/report.h"

/* Writes o->path (format as the caller picked it from the extension) from the runs grouped
 * by what their logs name (l: at least one), the ingested files and, over the whole store,
 * what was measured and what modelled (all gathered by analysis/report_data.h). */
enum wp_err wp_report_logged(const struct wp_logged *l, const struct wp_source_list *src,
                             const struct wp_basis_summary *basis,
                             const struct wp_report_opts *o, enum wp_doc_format format,
                             const char *creator, struct wp_diag *d);

#endif
