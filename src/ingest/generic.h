/* Column maps for the generic CSV format (generic.c): which header column holds which
 * field of a measurement, with the unit in the key (energy_kwh = "Total kWh").  A map is
 * written inline (`--map energy_kwh=Total kWh,duration_s=secs`) or as a file of
 * `key = column` lines with `#` comment lines. */
#ifndef WP_INGEST_GENERIC_H
#define WP_INGEST_GENERIC_H

#include <stddef.h>

#include "ingest/ingest.h"
#include "util/err.h"

/* Parses map text.  origin names it in messages (the map file's path, or "--map" for an
 * inline map, whose pairs are separated by commas).  Errors are ORIGIN:LINE:COL.  origin
 * must outlive *out only while d is read.  Free with wp_generic_map_free. */
enum wp_err wp_generic_map_parse(const char *text, size_t len, const char *origin,
                                 bool is_inline, struct wp_generic_map **out,
                                 struct wp_diag *d);

/* spec is the value of --map: the path of a map file when such a file exists, otherwise
 * an inline map when it contains '=' (else: no such file).  spec must outlive d. */
enum wp_err wp_generic_map_load(const char *spec, struct wp_generic_map **out,
                                struct wp_diag *d);

void wp_generic_map_free(struct wp_generic_map *m);

/* Number of key = column pairs in the map. */
size_t wp_generic_map_size(const struct wp_generic_map *m);

/* The i-th key a map may use (0-based, in the order of the documentation), NULL past the
 * last. */
const char *wp_generic_key(size_t i);

#endif
