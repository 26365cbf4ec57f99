/* Labels: which model, task, dataset and inference count each run measured.  Rules come
 * from manifests (manifest.c) and command-line labels and are kept in the store, so they
 * also label runs ingested later.  The command line outranks a manifest, which outranks
 * what a log states about itself; two rules of the same rank that give one run different
 * values for a label are reported, and the first (by order of definition) wins. */
#ifndef WP_INGEST_LABEL_H
#define WP_INGEST_LABEL_H

#include <stdbool.h>
#include <stddef.h>

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

/* Whether a manifest's `file` glob matches a log's file name (or that name without a .gz
 * ending: a compressed log is the same log). */
bool wp_label_file_matches(const char *glob, const char *name);

/* The runs a manifest's `shards` column makes of the files about to be ingested (README,
 * "The manifest"): rows with the same shards value name, by their `file` globs, the
 * per-process logs of one distributed run, ingested together as `ingest --shards` does.
 * group[i] is 0 for files[i] when no such row matches its name, else k (1-based) for the
 * group named names[k - 1], whose row is at line[k - 1] of the manifest.  A file two
 * groups claim, and a shards value on a row without a file glob, are errors at the
 * manifest's FILE:LINE:COL.  Free with wp_manifest_shards_free. */
struct wp_manifest_shards {
    size_t *group;  /* one per file */
    char **names;   /* one per group */
    long *line;     /* one per group: the first row that names it */
    size_t n_groups;
};
enum wp_err wp_manifest_shards(const char *path, const char *const *files, size_t n,
                               struct wp_manifest_shards *out, struct wp_diag *d);
void wp_manifest_shards_free(struct wp_manifest_shards *g);

#endif
