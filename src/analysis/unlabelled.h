/* The store's unlabelled runs grouped by what their logs hold (CodeCarbon's project_name
 * and experiment_id, else the file's name), for the manifest skeleton that
 * report/skeleton.c writes: runs of an idle experiment (ingest --idle) have no labels to
 * fill in and are left out.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_UNLABELLED_H
#define WP_ANALYSIS_UNLABELLED_H

#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

struct wp_unlabelled_group {
    char *file, *project, *experiment; /* the match keys; "" where the row leaves one out */
};

struct wp_unlabelled {
    struct wp_unlabelled_group *v;     /* distinct, sorted by file, project, experiment */
    size_t n;
    size_t n_runs;                     /* the unlabelled runs they cover */
};

/* Collects the groups.  Free with wp_unlabelled_free (also after an error). */
enum wp_err wp_unlabelled_collect(struct wp_store *s, struct wp_unlabelled *out,
                                  struct wp_diag *d);
void wp_unlabelled_free(struct wp_unlabelled *u);

#endif
