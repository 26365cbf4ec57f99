/* Words for how the component energies behind a selection were obtained, from the store's
 * summary of the basis marks (struct wp_basis_summary, schema 006): what a legend, a card,
 * a report or a workbook cell says beside a component's energy.  Pure functions of the
 * summary: no store access, no allocation.
 * Layer: src/analysis/ (the summary is the store's type); used by the writers above. */
#ifndef WP_ANALYSIS_BASIS_H
#define WP_ANALYSIS_BASIS_H

#include <stdbool.h>

#include "store/store.h"

/* One word or two for component c (WP_COMP_*) over the summary: "modelled", "partly
 * modelled", "measured", "measured (idle GPUs counted)", "not stated", "partly not
 * stated"; NULL when no measurement logs c.  Static strings. */
const char *wp_basis_word(const struct wp_basis_summary *b, int c);
/* Whether every measurement logging component c has it modelled (false when none logs it). */
bool wp_basis_all_modelled(const struct wp_basis_summary *b, int c);

#endif
