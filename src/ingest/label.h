/* Labels: which model, task, dataset and inference count each run measured.  Rules come
 * from manifests (manifest.c) and command-line labels and are kept in the store, so they
 * also label runs ingested later.  The command line outranks a manifest, which outranks
 * what a log states about itself; two rules of the same rank that give one run different
 * values for a label are reported, and the first (by order of definition) wins. */
#ifndef WP_INGEST_LABEL_H
#define WP_INGEST_LABEL_H

#include "store/store.h"
#include "util/err.h"

struct wp_label_stats {
    long long runs_labeled, conflicts, rules, rules_unmatched;
    /* the first disagreement: the later rule's origin, the label and both values */
    char conflict_origin[300], conflict_field[16], conflict_first[300];
};

/* Applies every stored rule to the runs that have a measurement from source_id (all runs
 * when it is 0).  With source_id 0, rules that match no run are reported.  Runs inside the
 * caller's transaction.  stats may be NULL. */
enum wp_err wp_label_apply(struct wp_store *s, long long source_id,
                           const struct wp_reporter *rep, struct wp_label_stats *stats,
                           struct wp_diag *d);

/* Reads a manifest CSV into rules, stores them in place of that manifest's earlier rules
 * and applies every rule to every run (inside the caller's transaction).  Errors name
 * FILE:LINE:COL; two rules that give one run different labels are an error
 * (WP_ERR_CONFLICT) at the later rule's row and column. */
enum wp_err wp_manifest_apply(struct wp_store *s, const char *path,
                              const struct wp_reporter *rep, size_t *n_rules,
                              struct wp_label_stats *stats, struct wp_diag *d);

#endif
