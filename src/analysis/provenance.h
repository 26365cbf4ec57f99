/* Where a report's numbers came from, gathered through the store API for the writers:
 * the ingested files with their sha256, and per model the facts a model card states
 * (tasks, datasets, inferences, hardware, location, measuring tools, its files).  Plain
 * copies, so the writers never see the store.  No statistics here: those come from
 * src/stats/.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_PROVENANCE_H
#define WP_ANALYSIS_PROVENANCE_H

#include <stddef.h>

#include "store/store.h"

struct wp_source_file {
    long long id;
    char *path, *name, *format, *sha256, *ingested_at; /* owned */
    long long size_bytes, rows_ingested, rows_rejected;
};

struct wp_source_list {
    struct wp_source_file *v; /* ordered by path, id */
    size_t n, cap;
};

/* Every ingested file.  Free with wp_sources_free. */
enum wp_err wp_sources_all(struct wp_store *s, struct wp_source_list *out, struct wp_diag *d);
void wp_sources_free(struct wp_source_list *l);
/* The inputs' fingerprint: the sha256 (hex) of the files' sha256 values, sorted, one per
 * line ("\n"-terminated): what `wattprint sources --format json` lists, hashed in that way,
 * whatever the files were called or in which order they came. */
enum wp_err wp_sources_digest(const struct wp_source_list *l, char hex[65], struct wp_diag *d);

/* Distinct texts, sorted (byte order). */
struct wp_names {
    char **v;
    size_t n, cap;
};

/* One task of a model: over the runs statistics use. */
struct wp_task_facts {
    char *task;
    struct wp_names datasets;
    long long runs, inferences;
};

struct wp_model_facts {
    char *model;
    long long runs, inferences;           /* runs statistics use, and their inferences */
    struct wp_names hardware;             /* GPU model, else CPU model */
    struct wp_names locations;            /* "Country (ISO), region" */
    struct wp_names tools;                /* "codecarbon 2.3.4" */
    struct wp_task_facts *tasks;          /* sorted by task */
    size_t n_tasks, cap_tasks;
    struct wp_source_list sources;        /* the files its figures came from */
    char newest[32];                      /* its newest started_at among the runs counted,
                                             as an instant (util/time.h); "" when none */
    double newest_s;                      /* that instant, seconds since 1970 UTC */
};

/* What the selection's runs share, for the methodology: the range of the carbon intensity
 * the tools applied, the PUE, the inferences per run (mixed: not one value). */
struct wp_run_span {
    double ci_min, ci_max, pue; /* NAN unknown */
    bool pue_mixed;
    long long inferences;       /* 0 unknown */
    bool inferences_mixed;
};

struct wp_facts {
    struct wp_model_facts *v; /* sorted by model */
    size_t n, cap;
    struct wp_run_span span;  /* over every run counted */
};

/* Facts of every model with labelled runs matching f (task, model, dataset, phase).
 * Free with wp_facts_free. */
enum wp_err wp_facts_collect(struct wp_store *s, const struct wp_run_filter *f,
                             struct wp_facts *out, struct wp_diag *d);
/* The facts of `model`, NULL if none. */
const struct wp_model_facts *wp_facts_find(const struct wp_facts *f, const char *model);
void wp_facts_free(struct wp_facts *f);

/* The names joined with ", " into buf (truncated with "..." when it does not fit);
 * `none` when there are none. */
void wp_names_join(const struct wp_names *n, const char *none, char *buf, size_t size);

#endif
