/* What-if emissions: the same energy under another grid and data-centre overhead, and a
 * compiled-in table of national grid carbon intensities to pick the grid from.  Hourly or
 * marginal intensities are out of scope: these are yearly national averages. */
#include "stats/stats.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/units.h"


/* Source: Our World in Data, "Carbon intensity of electricity
 * generation" (grapher slug carbon-intensity-electricity; dataset owid/energy-data,
 * column carbon_intensity_elec), Hannah Ritchie, Pablo Rosado and Max Roser, "Energy",
 * data adapted from Ember (Yearly Electricity Data) and the Energy Institute (Statistical
 * Review of World Energy).  Unit: grams of CO2-equivalent per kWh of electricity
 * generated, life-cycle emissions.  Year: 2023 for every row below.
 *
 * Transcription: the values were copied, unrounded (3 decimals as OWID publishes them),
 * from the snapshot of that dataset that CodeCarbon committed as
 * codecarbon/data/private_infra/global_energy_mix.json (mlco2/codecarbon commit 4f166a55,
 * 2024-09-20, "year": 2023 for each country listed).  OWID revises past years when Ember
 * does, so today's OWID figures for 2023 may differ in the last digits.  Countries whose
 * latest figure there was older than 2023 (e.g. IDN, SAU, ARE, ISR, UKR, ISL) are left
 * out rather than mixed in.  Keep the rows sorted by iso3: lookup is a binary search. */
static const char grid_source[] =
    "Our World in Data, \"Carbon intensity of electricity generation\" (gCO2eq/kWh, "
    "life-cycle), 2023, data adapted from Ember and Energy Institute; values as in the "
    "owid/energy-data snapshot committed by CodeCarbon (mlco2/codecarbon 4f166a55, "
    "2024-09-20)";
enum { GRID_YEAR = 2023 };

static const struct wp_grid grid[] = {
    { "ARG", "Argentina", 354.103 },
    { "AUS", "Australia", 548.692 },
    { "AUT", "Austria", 110.812 },
    { "BEL", "Belgium", 138.107 },
    { "BRA", "Brazil", 98.348 },
    { "CAN", "Canada", 170.043 },
    { "CHE", "Switzerland", 34.843 },
    { "CHL", "Chile", 291.113 },
    { "CHN", "China", 582.317 },
    { "COL", "Colombia", 259.511 },
    { "CZE", "Czechia", 449.724 },
    { "DEU", "Germany", 380.95 },
    { "DNK", "Denmark", 151.65 },
    { "EGY", "Egypt", 570.306 },
    { "ESP", "Spain", 174.05 },
    { "FIN", "Finland", 79.158 },
    { "FRA", "France", 56.039 },
    { "GBR", "United Kingdom", 237.589 },
    { "GRC", "Greece", 336.574 },
    { "IND", "India", 713.441 },
    { "IRL", "Ireland", 290.805 },
    { "ITA", "Italy", 330.718 },
    { "JPN", "Japan", 485.392 },
    { "KEN", "Kenya", 70.492 },
    { "KOR", "South Korea", 430.567 },
    { "MEX", "Mexico", 507.245 },
    { "NGA", "Nigeria", 523.247 },
    { "NLD", "Netherlands", 267.622 },
    { "NOR", "Norway", 30.08 },
    { "NZL", "New Zealand", 112.758 },
    { "PAK", "Pakistan", 440.608 },
    { "PHL", "Philippines", 610.688 },
    { "POL", "Poland", 661.926 },
    { "PRT", "Portugal", 165.553 },
    { "RUS", "Russia", 441.039 },
    { "SGP", "Singapore", 470.783 },
    { "SWE", "Sweden", 40.695 },
    { "THA", "Thailand", 549.583 },
    { "TUR", "Turkey", 464.586 },
    { "TWN", "Taiwan", 642.378 },
    { "USA", "United States", 369.473 },
    { "VNM", "Vietnam", 475.449 },
    { "ZAF", "South Africa", 707.686 },
};

enum wp_err wp_stats_emissions_g(double energy_j, double intensity_g_per_kwh, double pue,
                                 double *emissions_g)
{
    if (!emissions_g)
        return WP_ERR_USAGE;
    *emissions_g = NAN;
    if (!isfinite(energy_j) || energy_j < 0.0 || !isfinite(intensity_g_per_kwh) ||
        intensity_g_per_kwh < 0.0 || !isfinite(pue) || pue < 1.0)
        return WP_ERR_USAGE;
    double g = energy_j / WP_J_PER_KWH * pue * intensity_g_per_kwh;
    if (!isfinite(g))
        return WP_ERR_USAGE;
    *emissions_g = g;
    return WP_OK;
}

const struct wp_grid *wp_stats_grid_table(size_t *n)
{
    if (n)
        *n = sizeof grid / sizeof grid[0];
    return grid;
}

const char *wp_stats_grid_source(void)
{
    return grid_source;
}

int wp_stats_grid_year(void)
{
    return GRID_YEAR;
}

static int by_iso3(const void *key, const void *elem)
{
    return strcmp(key, ((const struct wp_grid *)elem)->iso3);
}

enum wp_err wp_stats_grid_lookup(const char *iso3, const struct wp_grid **out)
{
    if (!out)
        return WP_ERR_USAGE;
    *out = NULL;
    if (!iso3 || strlen(iso3) != 3)
        return WP_ERR_USAGE;
    char key[4] = { 0 };
    for (int i = 0; i < 3; i++) {
        unsigned char c = (unsigned char)iso3[i];
        if (c > 0x7f || !isalpha(c)) /* ASCII letters only, whatever the locale */
            return WP_ERR_USAGE;
        key[i] = (char)toupper(c);
    }
    *out = bsearch(key, grid, sizeof grid / sizeof grid[0], sizeof grid[0], by_iso3);
    return *out ? WP_OK : WP_ERR_EMPTY;
}
