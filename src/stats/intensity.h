/* Hourly (or finer) grid carbon intensity from a CSV, as grid operators and Electricity Maps
 * export it, and its time-weighted mean over a run's window.  Reads a file, holds a sorted
 * series of one zone; prints nothing.  Applied to runs by analysis/restate.h.
 *
 * Columns, matched without regard to case: the time ("Datetime (UTC)", "datetime",
 * "timestamp", "time"; ISO 8601, no offset = UTC), the zone ("Zone Id", "zone", "zone_id";
 * optional: a file without it is one zone) and the intensity in g CO2eq/kWh: Electricity
 * Maps' "Carbon Intensity gCO₂eq/kWh (direct)" (operational, Scope 2 location-based: the
 * default) or "... (LCA)" / "... (life cycle assessment)", else a column named
 * "carbon_intensity", "carbon_intensity_g_per_kwh" or "g_co2eq_per_kwh".  Each row holds
 * from its time for the file's resolution (the smallest step between two of its times).
 * Layer: src/stats/, no SQL, no store, no analysis: includes only stats/, util/ and the
 * CSV reader of ingest/csv.h. */
#ifndef WP_STATS_INTENSITY_H
#define WP_STATS_INTENSITY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

enum wp_intensity_basis { WP_INTENSITY_LOCATION, WP_INTENSITY_MARKET };

struct wp_intensity_opts {
    const char *zone;    /* NULL: the file's only zone */
    bool prefer_lca;     /* Electricity Maps' life-cycle column instead of direct */
    enum wp_intensity_basis basis; /* what the user says the figures are */
};

struct wp_intensity {
    char zone[64];          /* "" when the file has no zone column */
    char column[96];        /* the intensity column read */
    enum wp_intensity_basis basis;
    double *t_s;            /* seconds since 1970 UTC, ascending; owned */
    double *g_per_kwh;      /* owned */
    size_t n;
    double step_s;          /* the resolution (3600 for hourly data) */
};

/* Reads path into *out (free with wp_intensity_free, also after an error).  Problems in
 * the file come back as WP_ERR_PARSE with FILE:LINE:COL in d; a --zone the file does not
 * have, or several zones and no --zone, as WP_ERR_USAGE naming the zones. */
enum wp_err wp_intensity_load(const char *path, const struct wp_intensity_opts *o,
                              struct wp_intensity *out, struct wp_diag *d);
void wp_intensity_free(struct wp_intensity *in);

/* The time-weighted mean intensity over [start_s, start_s + duration_s) into *out: each
 * row's value weighted by the seconds of the window it covers.  A window of 0 s takes the
 * row that holds its instant.  False when the rows do not cover the whole window. */
bool wp_intensity_over(const struct wp_intensity *in, double start_s, double duration_s,
                       double *out);

/* "location-based" / "market-based"; static. */
const char *wp_intensity_basis_name(enum wp_intensity_basis b);

#endif
