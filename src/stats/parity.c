/* Inferences to parity: how many inferences use as much energy as training the model did,
 * and the few published training energies to compare against.  Users with their own
 * training figures call wp_stats_parity directly. */
#include "stats/stats.h"

#include <math.h>
#include <string.h>

#include "util/units.h"


/* The paper's parity table (its Table 5): training energy from the BLOOM carbon-footprint
 * logs, fine-tuning energy the authors estimated from the BLOOMz training logs via GPU TDP. */
#define PHP_SOURCE(size, t, f)                                                                \
    "Luccioni, Jernite and Strubell, \"Power Hungry Processing: Watts Driving the Cost "     \
    "of AI Deployment?\", FAccT 2024 (arXiv:2311.16863), parity table: BLOOMz-" size ", " t \
    " kWh training + " f " kWh fine-tuning"
static const struct wp_training_energy training[] = {
    { "bigscience/bloomz-560m", 10505.0 * WP_J_PER_KWH, 543.0 * WP_J_PER_KWH,
      PHP_SOURCE("560M", "10,505", "543") },
    { "bigscience/bloomz-1b7", 17052.0 * WP_J_PER_KWH, 1081.0 * WP_J_PER_KWH,
      PHP_SOURCE("1B", "17,052", "1,081") },
    { "bigscience/bloomz-3b", 25634.0 * WP_J_PER_KWH, 3242.0 * WP_J_PER_KWH,
      PHP_SOURCE("3B", "25,634", "3,242") },
    { "bigscience/bloomz-7b1", 51686.0 * WP_J_PER_KWH, 7571.0 * WP_J_PER_KWH,
      PHP_SOURCE("7B", "51,686", "7,571") },
};

enum wp_err wp_stats_parity(double training_energy_j, double energy_per_inference_j,
                            double *inferences)
{
    if (!inferences)
        return WP_ERR_USAGE;
    *inferences = NAN;
    if (!isfinite(training_energy_j) || training_energy_j < 0.0 ||
        !isfinite(energy_per_inference_j) || !(energy_per_inference_j > 0.0))
        return WP_ERR_USAGE;
    double r = training_energy_j / energy_per_inference_j;
    if (!isfinite(r))
        return WP_ERR_USAGE; /* a per-inference energy too small to divide by */
    *inferences = r;
    return WP_OK;
}

enum wp_err wp_stats_training_energy(const char *model,
                                     const struct wp_training_energy **out)
{
    if (!model || !out)
        return WP_ERR_USAGE;
    *out = NULL;
    for (size_t i = 0; i < sizeof training / sizeof training[0]; i++) {
        if (strcmp(training[i].model, model) == 0) {
            *out = &training[i];
            return WP_OK;
        }
    }
    return WP_ERR_EMPTY;
}
