/* Everyday equivalents of an energy or an amount of emissions, each with its source, for
 * reports that need a sense of scale.  They are illustrations, not conversions a
 * footprint should be built on; the citations say where each factor comes from. */
#include "stats/stats.h"

#include <math.h>

#include "util/units.h"

#define KM_PER_MILE 1.609344 /* international mile, exact */

static const struct wp_equiv_factor table[] = {
    /* EPA, "Number of smartphones charged": 0.019 kWh per full charge in the current
     * vintage of the page (eGRID2022-era); older vintages of the same page used 0.012 kWh
     * (14.46 Wh over 24 h minus 22 h x 0.13 W maintenance), so cite the figure with it. */
    { "smartphone_charges", "smartphone charges", WP_EQUIV_ENERGY, 0.019 * WP_J_PER_KWH,
      "US EPA, Greenhouse Gas Equivalencies Calculator - Calculations and References, "
      "\"Number of smartphones charged\": 0.019 kWh per smartphone charge "
      "(https://www.epa.gov/energy/greenhouse-gases-equivalencies-calculator-calculations-"
      "and-references)" },
    /* Pure arithmetic: P x t.  No outside figure is involved. */
    { "led_bulb_hours", "hours of a 10 W LED bulb", WP_EQUIV_ENERGY, 10.0 * 3600.0,
      "Definition: a 10 W LED bulb lit for one hour uses 10 Wh = 36 kJ" },
    /* EPA-420-F-18-008: 8,887 g CO2 per gallon of gasoline / 22.0 mpg = about 404 g per
     * mile for the average US passenger vehicle (tailpipe CO2 only). */
    { "car_km", "km driven by an average US passenger car", WP_EQUIV_EMISSIONS,
      404.0 / KM_PER_MILE,
      "US EPA, \"Greenhouse Gas Emissions from a Typical Passenger Vehicle\", "
      "EPA-420-F-18-008 (March 2018): about 404 g CO2 per mile (8,887 g CO2/gallon at "
      "22.0 mpg), i.e. 251.0 g CO2 per km at 1.609344 km/mile" },
};

_Static_assert(sizeof table / sizeof table[0] <= WP_EQUIV_MAX, "raise WP_EQUIV_MAX");

const struct wp_equiv_factor *wp_stats_equiv_table(size_t *n)
{
    if (n)
        *n = sizeof table / sizeof table[0];
    return table;
}

/* NaN means "not given"; anything else must be a finite amount >= 0. */
static bool given(double v, bool *bad)
{
    if (isnan(v))
        return false;
    if (!isfinite(v) || v < 0.0)
        *bad = true;
    return true;
}

enum wp_err wp_stats_equivalents(double energy_j, double emissions_g, struct wp_equiv *out,
                                 size_t cap, size_t *n_out)
{
    if (!n_out || (!out && cap > 0))
        return WP_ERR_USAGE;
    *n_out = 0;
    bool bad = false;
    bool has_energy = given(energy_j, &bad), has_emissions = given(emissions_g, &bad);
    if (bad)
        return WP_ERR_USAGE;
    if (!has_energy && !has_emissions)
        return WP_ERR_EMPTY;
    size_t k = 0;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const struct wp_equiv_factor *f = &table[i];
        bool is_energy = f->basis == WP_EQUIV_ENERGY;
        if (is_energy ? !has_energy : !has_emissions)
            continue;
        if (k == cap)
            return WP_ERR_LIMIT;
        out[k].factor = f;
        out[k].amount = (is_energy ? energy_j : emissions_g) / f->per_unit;
        k++;
    }
    *n_out = k;
    return WP_OK;
}
