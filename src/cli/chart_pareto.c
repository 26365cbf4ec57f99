/* wattprint chart pareto: the generative configurations (src/analysis/genai.c), their Pareto
 * front on (--x, --y) from the same module, drawn by src/charts/pareto.c. */
#include <stdlib.h>

#include "charts/pareto.h"
#include "cli/chart_pareto.h"

enum wp_err wp_cli_chart_pareto(struct wp_store *s, const struct wp_gen_filter *f,
                                const char *x_key, const char *y_key,
                                struct wp_chart_opts *o, const char *const *outputs,
                                size_t n_outputs, struct wp_diag *d)
{
    const struct wp_gen_column *x = wp_gen_column_find(x_key ? x_key : "itl_p50_s");
    const struct wp_gen_column *y = wp_gen_column_find(y_key ? y_key : "j_per_output_token");
    if (!x || !y)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                           "chart pareto: \"%s\" is not a column (see wattprint leaderboard's "
                           "leaderboard.json metrics)",
                           !x ? x_key : y_key);
    struct wp_gen_set set = {0};
    enum wp_err e = wp_gen_load(s, f, &set, d);
    bool *front = NULL;
    if (!e && !(front = calloc(set.n ? set.n : 1, sizeof *front)))
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e) {
        wp_gen_pareto(&set, x, y, front);
        struct wp_pareto_in in = {.set = &set, .x = x, .y = y, .on_front = front};
        for (size_t i = 0; i < n_outputs && !e; i++) {
            o->path = outputs[i];
            e = wp_chart_pareto(&in, o, d);
        }
    }
    free(front);
    wp_gen_set_free(&set);
    return e;
}
