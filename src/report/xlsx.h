/* The spreadsheet (libxlsxwriter, constant_memory mode): sheets Summary (per task), Models
 * (per model and task, with stars), Experiments, Runs (every run with its source file and
 * line, continued on "Runs (2)", ... past Excel's row limit), Scaling, What-if (when asked
 * for) and Provenance (input files with sha256, version, command line, parameters, schema
 * version); native charts of mean energy per task and of energy against parameters, both on
 * log axes.  Every number comes from the structs of src/stats/; runs are streamed through a
 * callback.  Same input, same bytes: the document dates come from the newest measurement.
 * Written atomically. */
#ifndef WP_REPORT_XLSX_H
#define WP_REPORT_XLSX_H

#include <stddef.h>

#include "analysis/provenance.h"
#include "analysis/analysis.h"
#include "analysis/experiments.h"

/* Excel's limits: rows per sheet (one is the header) and characters per cell. */
#define WP_XLSX_MAX_RUNS_PER_SHEET 1048575
#define WP_XLSX_MAX_CELL_CHARS 32767

/* Streams the runs to list: calls fn for each, in order, until fn returns non-zero. */
struct wp_xlsx_runs {
    enum wp_err (*each)(void *src, int (*fn)(void *ctx, const struct wp_run_row *r),
                        void *ctx, struct wp_diag *d);
    void *src;
};

struct wp_xlsx_input {
    const struct wp_analysis *tasks;          /* grouped by task */
    const struct wp_analysis *models;         /* grouped by model and task, same options */
    const struct wp_experiments *experiments;
    const struct wp_source_list *sources;     /* every ingested file */
    struct wp_xlsx_runs runs;
    const char *tool;                         /* "wattprint 0.1.0" */
    const char *command;                      /* the command line, for the record */
    const char *db_path;
    int schema_version;
    const char *region;                       /* --region's ISO code, NULL if none */
    size_t runs_per_sheet;                    /* 0: WP_XLSX_MAX_RUNS_PER_SHEET */
};

/* What was written, for the command's message. */
struct wp_xlsx_result {
    long long runs;         /* rows on the Runs sheets */
    size_t run_sheets;
    size_t runs_per_sheet;  /* at most, below each header */
    size_t truncated;       /* text cells cut to WP_XLSX_MAX_CELL_CHARS */
};

/* WP_OK when path names a workbook (ends in .xlsx), else WP_ERR_USAGE saying so: a name
 * with another extension is refused, never given an xlsx under it. */
enum wp_err wp_xlsx_check_path(const char *path, struct wp_diag *d);

/* Writes the workbook to `path`, which must end in .xlsx (through PATH.tmp.XXXXXX, renamed
 * when complete; the directory also holds libxlsxwriter's temporary files while it
 * writes). */
enum wp_err wp_xlsx_write(const char *path, const struct wp_xlsx_input *in,
                          struct wp_xlsx_result *res, struct wp_diag *d);

/* Number of UTF-16 code units of UTF-8 text s (what Excel's cell limit counts), and the
 * length in bytes of its longest prefix of at most `max_units` units. */
size_t wp_xlsx_text_units(const char *s, size_t max_units, size_t *prefix_bytes);

#endif
