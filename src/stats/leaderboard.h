/* A leaderboard snapshot to rate a model against (the AI Energy Score's CSV files:
 * model,total_gpu_energy,energy_score,class,test date; GPU energy in kWh per 1,000
 * queries), and the comparison set one rating uses: one class of one edition.  Read with
 * the ingest CSV reader; no SQL, no printing.
 * Layer: src/stats/, no SQL, no store, no analysis: includes only stats/, util/ and the
 * CSV reader of ingest/csv.h. */
#ifndef WP_STATS_LEADERBOARD_H
#define WP_STATS_LEADERBOARD_H

#include <stddef.h>

#include "util/err.h"

struct wp_leaderboard_row {
    char *model, *class, *edition; /* edition: the file's "test date", e.g. "Feb 25" */
    double kwh_per_1k;             /* total_gpu_energy */
    int stars;                     /* energy_score as published */
};

struct wp_leaderboard {
    struct wp_leaderboard_row *v;
    size_t n, cap;
};

/* Reads the snapshot at path.  Free with wp_leaderboard_free. */
enum wp_err wp_leaderboard_load(const char *path, struct wp_leaderboard *out,
                                struct wp_diag *d);
void wp_leaderboard_free(struct wp_leaderboard *l);

/* The comparison set: the energies of one class in one edition (not owned). */
struct wp_leaderboard_set {
    const char *class, *edition;
    double *kwh_per_1k; /* owned by the set: free with wp_leaderboard_set_free */
    size_t n;
};

/* The rows of class `cls` (NULL: the only class the edition has) in the newest edition
 * ("Mon YY" read as a month of 20YY).  WP_ERR_USAGE with the classes named in d when cls is
 * NULL and the edition has several, or when cls has no row in it. */
enum wp_err wp_leaderboard_select(const struct wp_leaderboard *l, const char *cls,
                                  struct wp_leaderboard_set *out, struct wp_diag *d);
void wp_leaderboard_set_free(struct wp_leaderboard_set *s);

#endif
