/* LaTeX tables of the per-group statistics: booktabs rules, siunitx S columns (each with a
 * table-format fitted to its numbers, fixed or scientific), names escaped and wrapped in
 * a tabularx X column, so that a table fits a one-column article and a two-column paper
 * without an overfull box.  The numbers are the analysis's; the text is for a paper, so it
 * shows 3-4 significant digits. */
#ifndef WP_REPORT_LATEX_H
#define WP_REPORT_LATEX_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/analysis.h"

/* The columns a table may show (--columns): bits of wp_latex_opts.columns. */
enum {
    WP_LATEX_COL_N = 1u << 0,      /* values the statistics are over */
    WP_LATEX_COL_MEAN = 1u << 1,   /* kWh per 1,000 inferences */
    WP_LATEX_COL_SD = 1u << 2,
    WP_LATEX_COL_MEDIAN = 1u << 3,
    WP_LATEX_COL_CI = 1u << 4,     /* Student t interval of the mean (two columns) */
    WP_LATEX_COL_BOOT = 1u << 5,   /* bootstrap percentile interval (two; when computed) */
    WP_LATEX_COL_G = 1u << 6,      /* mean g CO2eq per 1,000 inferences */
};
#define WP_LATEX_COLS_DEFAULT \
    (WP_LATEX_COL_N | WP_LATEX_COL_MEAN | WP_LATEX_COL_CI | WP_LATEX_COL_G)
#define WP_LATEX_COLS_ALL 0x7fu

struct wp_latex_opts {
    const char *caption; /* plain text (escaped); NULL: a caption saying what the table is */
    const char *label;   /* \label{...} as given; NULL: none */
    const char *tool;    /* "wattprint 0.1.0", for the comment at the top */
    unsigned columns;    /* WP_LATEX_COL_* bits; 0: WP_LATEX_COLS_DEFAULT */
    bool is_twocolumn;   /* a table longer than a page as page-sized table* floats (for
                            two-column papers, where longtable cannot run), not a longtable */
};

/* Parses a --columns list: names among n, mean, sd, median, ci, boot, g, or "all",
 * separated by commas.  False on an unknown or empty name. */
bool wp_latex_parse_columns(const char *list, unsigned *out);

/* Writes one table of a's groups, as it fits where papers put it (its header comment says
 * the preamble it needs and the layout): a table* float when it fits a page (it then fits
 * a one-column article and spans a two-column paper), else a longtable (xltabular) that
 * breaks across pages in one column, or with is_twocolumn page-sized table* floats that
 * together hold every row.  WP_ERR_IO on a write error. */
enum wp_err wp_latex_table(const struct wp_analysis *a, const struct wp_latex_opts *o,
                           FILE *out, struct wp_diag *d);

/* Text with LaTeX's special characters escaped: # $ % & _ { } as \#..., ~ ^ \ < > | as
 * text commands, control characters as spaces, invisible formatting characters (U+202E...)
 * as \uXXXX, U+FFFD as '?'.  Prose: quotes and dashes keep LaTeX's typography. */
void wp_latex_escape(FILE *out, const char *s);

/* True when s can go into \label{} as it is (letters, digits and : . - _ / +). */
bool wp_latex_label_ok(const char *s);

/* One number for an S column: `sig` significant digits, fixed or (is_sci) d.ddde-N; "{--}"
 * when not finite.  buf needs 40 bytes. */
void wp_latex_num(double x, int sig, bool is_sci, char *buf, size_t size);

#endif
