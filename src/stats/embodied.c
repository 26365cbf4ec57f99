/* The embodied emissions of the hardware a run held, amortised over its measured duration,
 * as SCI's M = TE x (TiR / EL) x (RR / ToR) asks: TE the emissions of making a GPU server,
 * TiR the run's duration, EL the assumed lifetime, RR / ToR = 1 (a run holds the whole node:
 * its meters count every GPU of it).  The figures are compiled in, with their source:
 *
 *   A. S. Luccioni, S. Viguier, A.-L. Ligozat, "Estimating the Carbon Footprint of BLOOM,
 *   a 176B Parameter Language Model", Journal of Machine Learning Research 24(253):1-15,
 *   2023 (arXiv:2211.02001; the article is CC BY 4.0): 150 kg CO2eq per GPU (an NVIDIA
 *   A100) and 2,500 kg CO2eq for the rest of a GPU server node (an HPE Apollo 6500 Gen10
 *   Plus), the values Boavizta's e-footprint also takes from it, with a 6-year lifetime.
 *
 * Facts with their citation; the lifetime is an assumption and is stated wherever M is. */
#include "stats/stats.h"

#include <math.h>

static const struct wp_embodied table = {
    .gpu_g = 150e3,
    .server_g = 2500e3,
    .lifetime_s = 6 * 365.25 * 86400,
    .lifetime_years = 6,
    .source = "Luccioni, Viguier and Ligozat, \"Estimating the Carbon Footprint of BLOOM, a "
              "176B Parameter Language Model\", JMLR 24(253), 2023 (arXiv:2211.02001): "
              "150 kg CO2eq per GPU (NVIDIA A100), 2,500 kg CO2eq per server node without "
              "its GPUs (HPE Apollo 6500 Gen10 Plus)",
};

const struct wp_embodied *wp_stats_embodied(void)
{
    return &table;
}

double wp_stats_embodied_g(double gpu_count, double duration_s)
{
    if (!isfinite(gpu_count) || gpu_count < 1 || !isfinite(duration_s) || duration_s < 0)
        return NAN;
    return (table.server_g + gpu_count * table.gpu_g) * duration_s / table.lifetime_s;
}
