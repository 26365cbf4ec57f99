/* LaTeX tables of the per-group statistics: booktabs rules, siunitx S columns (each with a
 * table-format fitted to its numbers, fixed or scientific), names escaped.  The numbers are
 * the analysis's; the text is for a paper, so it shows 3-4 significant digits. */
#ifndef WP_REPORT_LATEX_H
#define WP_REPORT_LATEX_H

#include <stdbool.h>
#include <stdio.h>

#include "stats/analysis.h"

struct wp_latex_opts {
    const char *caption; /* plain text (escaped); NULL: a caption saying what the table is */
    const char *label;   /* \label{...} as given; NULL: none */
    const char *tool;    /* "wattprint 0.1.0", for the comment at the top */
};

/* Writes a table environment with one row per group of a.  WP_ERR_IO on a write error. */
enum wp_err wp_latex_table(const struct wp_analysis *a, const struct wp_latex_opts *o,
                           FILE *out, struct wp_diag *d);

/* Text with LaTeX's special characters escaped: # $ % & _ { } as \#..., ~ ^ \ < > | as
 * text commands, control characters as spaces. */
void wp_latex_escape(FILE *out, const char *s);

/* True when s can go into \label{} as it is (letters, digits and : . - _ / +). */
bool wp_latex_label_ok(const char *s);

/* One number for an S column: `sig` significant digits, fixed or (is_sci) d.ddde-N; "{--}"
 * when not finite.  buf needs 40 bytes. */
void wp_latex_num(double x, int sig, bool is_sci, char *buf, size_t size);

#endif
