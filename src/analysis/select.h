/* The selection the disclosure exports (src/export/) are written from: the runs that
 * statistics use, copied out of the store's rows, grouped by model and task with the hashes
 * of their input files, and the helpers the writers read it with.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_SELECT_H
#define WP_ANALYSIS_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

/* One run that statistics use (wp_run_use), copied from the store's row.  Strings are
 * owned and never NULL ("" unknown); numbers NAN unknown; counts 0 unknown. */
struct wp_export_run {
    long long run_id, inferences, parameters, token_samples, input_tokens, output_tokens;
    char *run_uid, *model, *task, *dataset, *started_at, *tool, *tool_version;
    char *gpu_model, *cpu_model, *country_iso_code, *region, *os, *python_version;
    const char *cpu_basis, *gpu_basis, *ram_basis; /* WP_BASIS_* or "": static strings */
    double cpu_count, gpu_count, ram_total_bytes; /* as the log says, NAN unknown */
    double duration_s, energy_j, cpu_energy_j, gpu_energy_j, ram_energy_j, emissions_g;
    double carbon_intensity_g_per_kwh, training_energy_j;
};

/* The runs of one model on one task: runs[first .. first + n) of the selection. */
struct wp_export_group {
    const char *model, *task; /* the first run's */
    size_t first, n;
    char **sha256;            /* the distinct input files' hashes, sorted; owned */
    size_t n_sha256, cap_sha256;
};

struct wp_export_sel {
    struct wp_export_run *runs; /* ordered by model, task, run id */
    size_t n, cap;
    struct wp_export_group *groups; /* by model, task */
    size_t n_groups, cap_groups;
    long long runs_seen;             /* labelled runs matching the filter */
    long long skipped_no_inferences, skipped_no_energy; /* of them left out, and why */
    long long skipped_no_above_idle; /* figures above idle: runs without that energy */
};

/* The usable runs matching f (model, task, dataset, phase) and their groups with the hashes
 * of their input files.  Free with wp_export_sel_free (also after an error). */
enum wp_err wp_export_select(struct wp_store *s, const struct wp_run_filter *f,
                             struct wp_export_sel *out, struct wp_diag *d);
void wp_export_sel_free(struct wp_export_sel *sel);

/* The distinct non-empty values of a string field (offsetof in struct wp_export_run) over
 * the runs of model and task (NULL: any), sorted, into v (room for sel->n); their count. */
size_t wp_export_distinct(const struct wp_export_sel *sel, const char *model, const char *task,
                          size_t field, const char **v);
/* The newest start time of model's runs (NULL: any), ISO 8601; "" when none has one. */
const char *wp_export_newest(const struct wp_export_sel *sel, const char *model);
/* v joined with ", " into buf (cut with "..." when it does not fit); `none` when n is 0. */
void wp_export_join(const char *const *v, size_t n, const char *none, char *buf, size_t size);

#endif
