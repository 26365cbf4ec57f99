/* chart pareto's input and drawing, for src/cli/chart.c (internal to src/cli/). */
#ifndef WP_CLI_CHART_PARETO_H
#define WP_CLI_CHART_PARETO_H

#include <stddef.h>

#include "charts/charts.h"
#include "analysis/genai.h"
#include "store/store.h"

/* Loads the configurations f selects and draws energy column y_key against x_key (NULL:
 * itl_p50_s and j_per_output_token) into each output. */
enum wp_err wp_cli_chart_pareto(struct wp_store *s, const struct wp_gen_filter *f,
                                const char *x_key, const char *y_key,
                                struct wp_chart_opts *o, const char *const *outputs,
                                size_t n_outputs, struct wp_diag *d);

#endif
