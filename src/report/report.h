/* The PDF transparency report: what was measured, how, what it cost, how sure the numbers
 * are and which raw files they came from.  Every number comes from the analysis
 * (src/analysis/report_data.h gathers it: the writers never see the store), every figure from src/charts/ drawn as vectors, the prose from editable
 * templates (the .txt files in templates/report/). */
#ifndef WP_REPORT_REPORT_H
#define WP_REPORT_REPORT_H

#include "report/doc.h"
#include "report/template.h"
#include "analysis/analysis.h"
#include "analysis/report_data.h"

struct wp_report_opts {
    const char *path;              /* the PDF */
    enum wp_paper paper;
    const char *title, *subtitle, *organisation;
    const char *date;              /* NULL: the newest measurement (re-runs are identical) */
    const char *templates_dir;     /* NULL: the templates found beside the program */
    const char *command_line;      /* for the provenance appendix */
    const char *reference;         /* published values to set the per-task table against
                                      (stats/reference.h), NULL none */
    struct wp_analysis_opts a;     /* filter, over, level, bootstrap, what-if */
    struct wp_analysis_memo *memo; /* analyses shared with other outputs; NULL: own ones */
    const char *tokens_where_key, *tokens_where_value; /* the per-token table's experiments
                                      instead of a.filter's --where (NULL: the same) */
    /* The paper's analyses (report_paper.c): their own selection, since they set models of
       another kind against the report's (NULL: none of these sections) */
    const char *compare_where_key, *compare_where_value; /* task-specific vs multi-purpose,
                                      inferences to parity, energy against quality */
    const char *model_reference;   /* published per-model values (stats/reference.h) */
    const char *scores;            /* published quality scores (stats/paper.h) */
};

/* The names the prose templates may use: templates/report/summary.txt, methodology.txt
 * and limitations.txt (exposed for the template fuzz harness). */
extern const struct wp_tpl_name wp_report_summary_vocab[];
extern const struct wp_tpl_name wp_report_method_vocab[];
extern const struct wp_tpl_name wp_report_limits_vocab[];

/* The formats a report is written in, picked by the output name's extension. */
enum wp_report_format { WP_REPORT_PDF, WP_REPORT_HTML };

/* The format the extension of path names (.pdf; .html or .htm), or WP_ERR_USAGE saying which extensions
 * a report may have. */
enum wp_err wp_report_format(const char *path, enum wp_report_format *out, struct wp_diag *d);

/* The report's data selection as o states it (its analysis options, memo, --tokens-where
 * and --compare-where), for wp_report_data_collect. */
struct wp_report_data_opts wp_report_data_opts_of(const struct wp_report_opts *o);

/* Writes the report of `in` (gathered with wp_report_data_opts_of(o)); never reads the
 * store. */
enum wp_err wp_report_write(const struct wp_report_data *in, const struct wp_report_opts *o,
                            struct wp_diag *d);

#endif
