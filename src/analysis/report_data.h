/* Everything the transparency report shows, gathered from the store for its writers
 * (report/report.c, report_paper.c and logged.c), which then never see the store: the
 * analyses by task, by model x task and for the per-token table, load vs query, task vs
 * task, the ingested files and the facts of the runs, the token-count files, the store's
 * counts and schema, the paper's analyses over their own selection, and for a store with
 * nothing labelled the runs grouped by what their logs name.  As the workbook is handed a
 * struct wp_xlsx_input.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_REPORT_DATA_H
#define WP_ANALYSIS_REPORT_DATA_H

#include <stdbool.h>

#include "analysis/analysis.h"
#include "analysis/loading.h"
#include "analysis/logged.h"
#include "analysis/provenance.h"
#include "store/store.h"

/* The report's selection: what struct wp_report_opts says about the data. */
struct wp_report_data_opts {
    struct wp_analysis_opts a;     /* filter, over, level, bootstrap, what-if */
    struct wp_analysis_memo *memo; /* analyses shared with other outputs; NULL: own ones */
    const char *tokens_where_key, *tokens_where_value;   /* NULL: a's --where */
    const char *compare_where_key, *compare_where_value; /* NULL: no paper analyses */
};

struct wp_report_data {
    struct wp_analysis_memo *memo;   /* the analyses' (not owned), NULL: they are ours */
    const struct wp_analysis *tasks, *models; /* by task; by model x task, t intervals */
    const struct wp_analysis *tokens; /* by model x task over --tokens-where's experiments */
    struct wp_loading loading;       /* load vs query phase per task */
    struct wp_pairwise pairs;        /* task vs task (n 0 below two tasks) */
    struct wp_source_list sources;   /* every ingested file */
    struct wp_facts facts;           /* of the selection's runs */
    struct wp_facts token_facts;     /* of the per-token table's, when its filter differs */
    struct wp_names token_files;     /* "path sha256" of the token counts the table used,
                                        sorted; owned */
    struct wp_store_counts counts;
    int schema;
    /* the paper's analyses over --compare-where's selection (report_paper.c), NULL none */
    const struct wp_analysis *cmp_tasks, *cmp_models, *cmp_by_model;
    /* nothing labelled and no filter: the report on what the logs say (report/logged.c) */
    bool is_logged;
    struct wp_logged logged;
    struct wp_basis_summary logged_basis; /* measured or modelled, over the whole store */
};

/* Gathers the report's data.  WP_ERR_EMPTY when the store holds no run at all (nothing to
 * report, labelled or not).  Free with wp_report_data_free (also after an error). */
enum wp_err wp_report_data_collect(struct wp_store *s, const struct wp_report_data_opts *o,
                                   struct wp_report_data *out, struct wp_diag *d);
void wp_report_data_free(struct wp_report_data *r);

#endif
