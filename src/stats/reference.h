/* Published reference values to set computed statistics against: a CSV with a `task` (or
 * `model`, `dataset`) column and columns mean_kwh_per_1k, sd_kwh_per_1k and/or
 * mean_g_co2eq_per_1k (per 1,000 inferences) as printed; optional: source, note and
 * models (the number of models a published value is over).
 * "Agrees" means within one unit of the last printed digit, since published tables are
 * neither consistently rounded nor truncated.
 * Layer: src/stats/, no SQL, no store, no analysis: includes only stats/, util/ and the
 * CSV reader of ingest/csv.h. */
#ifndef WP_STATS_REFERENCE_H
#define WP_STATS_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

struct wp_reference_row {
    char *key;                  /* the group's name */
    double mean, sd;            /* kWh per 1,000 inferences; NAN when not given */
    double g_mean;              /* g CO2eq per 1,000 inferences; NAN when not given */
    double mean_unit, sd_unit, g_unit; /* one unit of the last printed digit */
    char *source;               /* "" when not given */
    char *note;                 /* why a value may differ ("" none): column `note` */
    size_t models;              /* how many models the published value is over (column
                                   `models`), 0 when not given */
};

struct wp_reference {
    struct wp_reference_row *v;
    size_t n, cap;
};

/* Reads the reference CSV at path.  Free with wp_reference_free. */
enum wp_err wp_reference_load(const char *path, struct wp_reference *out, struct wp_diag *d);
void wp_reference_free(struct wp_reference *r);
/* The row for `key`, or NULL. */
const struct wp_reference_row *wp_reference_find(const struct wp_reference *r, const char *key);
/* Whether value agrees with a printed reference within one unit of its last digit. */
bool wp_reference_agrees(double value, double printed, double unit);

#endif
