/* Filters that match nothing say so: a --task, --model, --dataset, --phase or --where value
 * that no experiment has is an error naming the filter, the nearest known value ("did you
 * mean ...?") and the values there are, instead of an empty table. Reads the store's labels;
 * no statistics.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_FILTER_H
#define WP_ANALYSIS_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

/* WP_OK when every value `f` names exists in the store (alone; together they may still
 * select nothing), else WP_ERR_EMPTY with the message in d. */
enum wp_err wp_filter_check(struct wp_store *s, const struct wp_run_filter *f,
                            struct wp_diag *d);

/* Whether `f` names anything (task, model, dataset, phase or --where). */
bool wp_filter_is_set(const struct wp_run_filter *f);

/* The filter as its options ("--task T --phase \"query model\""), cut to size. */
void wp_filter_describe(const struct wp_run_filter *f, char *buf, size_t size);

/* The edit distance (insertions, deletions, substitutions; ASCII case ignored) between a
 * and b, or `cap` + 1 when it exceeds cap (cheap for long strings). */
size_t wp_edit_distance(const char *a, const char *b, size_t cap);

#endif
