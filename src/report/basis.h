/* The sentences reports, cards and workbooks print about what was measured and what was
 * modelled (the marks of schema 006, summed by wp_store_basis_summary) and about the
 * assumptions every figure carries (PUE 1, a table's carbon intensity, no embodied
 * emissions).  Wording only: the counts come from the analysis (a wp_analysis' basis,
 * analysis/report_data.h's logged_basis), which reads them from the store. */
#ifndef WP_REPORT_BASIS_H
#define WP_REPORT_BASIS_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/restate.h" /* struct wp_restate; with it the store's wp_basis_summary */
#include "stats/groups.h"     /* struct wp_group_stats */

/* The specific sentences on modelled and idle-counting components, one per component
 * concerned (modelled RAM, TDP-based CPU, idle GPUs counted, marks the logs do not give),
 * space-separated into buf (size bytes, always terminated); "" when every logged
 * component was measured.  Plain text, no markup characters. */
void wp_basis_sentences(const struct wp_basis_summary *b, char *buf, size_t size);

/* The assumptions behind every energy and emission figure, as plain text sentences:
 * which energy the figures use (total or above idle) with each idle host's baseline and
 * its runs' total and above-idle energy, or that no baseline was logged (from r, the
 * analysis' restate; NULL: not said); PUE taken as 1 unless `pue` (NAN = none given) says
 * otherwise; the tools' carbon intensity from a country table, or the hourly one r
 * applied; no embodied emissions. */
void wp_basis_assumptions(double pue, const struct wp_restate *r, bool emissions_logged,
                          char *buf, size_t size);
/* Whether any of groups g[0..n) has emissions (a finite mean g CO2eq): none when the logs
 * (an nvidia-smi or RAPL reading, say) hold energy alone. */
bool wp_basis_any_emissions(const struct wp_group_stats *g, size_t n);

#endif
