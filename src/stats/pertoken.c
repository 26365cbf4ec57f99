/* Energy per token (see stats.h, wp_stats_per_token): for generative models, whose cost
 * grows with what they read and write, the energy of the experiments set against the
 * tokens they processed.  Token counts are fixed per model and dataset, so the
 * uncertainty is the energy's. */
#include <math.h>
#include <stddef.h>

#include "stats/stats.h"
#include "util/units.h"

enum wp_err wp_stats_per_token(const double *kwh_per_1k, const double *tokens,
                               const double *output_tokens, size_t n,
                               struct wp_per_token *out)
{
    if (!out || (n && (!kwh_per_1k || !tokens || !output_tokens)))
        return WP_ERR_USAGE;
    *out = (struct wp_per_token){.tokens_per_inference = NAN,
                                 .output_tokens_per_inference = NAN,
                                 .kwh_per_1k_tokens = NAN, .j_per_output_token = NAN};
    double kwh = 0, tok = 0, outtok = 0;
    for (size_t i = 0; i < n; i++) {
        /* an experiment counts when its energy and both token means are known */
        if (!isfinite(kwh_per_1k[i]) || !isfinite(tokens[i]) || !isfinite(output_tokens[i]) ||
            tokens[i] <= 0 || output_tokens[i] < 0)
            continue;
        kwh += kwh_per_1k[i];
        tok += tokens[i];
        outtok += output_tokens[i];
        out->n++;
    }
    if (!out->n)
        return WP_ERR_EMPTY;
    double m = (double)out->n;
    out->tokens_per_inference = tok / m;
    out->output_tokens_per_inference = outtok / m;
    /* kWh per 1,000 inferences over tokens per inference = kWh per 1,000 tokens; pooled
     * as a ratio of sums, each experiment's 1,000 inferences weighted once */
    out->kwh_per_1k_tokens = kwh / tok;
    /* kWh per 1,000 inferences * WP_J_PER_KWH J/kWh / 1,000 = J per inference */
    out->j_per_output_token = outtok > 0 ? kwh * 3.6e3 / outtok : NAN;
    return WP_OK;
}
