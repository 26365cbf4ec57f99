/* The manifest to fill in: one row per group of unlabelled runs, keyed by what the logs
 * hold (CodeCarbon's project_name and experiment_id, else the file's name), with the label
 * columns empty and a comment line per column saying what goes there. The manifest reader
 * (ingest/manifest.c) skips the comment lines, so the filled file is applied as it is. */
#ifndef WP_REPORT_SKELETON_H
#define WP_REPORT_SKELETON_H

#include <stdio.h>

#include "analysis/unlabelled.h"
#include "util/err.h"

struct wp_skeleton_counts {
    long long runs, groups; /* unlabelled runs, and the rows that cover them */
};

/* Writes the skeleton of the unlabelled runs' groups u (wp_unlabelled_collect) to out
 * (CSV, one row per group, sorted by key). */
enum wp_err wp_manifest_skeleton(const struct wp_unlabelled *u, FILE *out,
                                 struct wp_skeleton_counts *n, struct wp_diag *d);

#endif
