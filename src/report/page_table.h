/* A table of the report (PDF and HTML) over the one column model (stats/columns.h): the
 * page chooses which of a row type's columns it shows, how it heads, sizes and formats
 * each; the values come from the model's columns, never from the page.  Formatting only. */
#ifndef WP_REPORT_PAGE_TABLE_H
#define WP_REPORT_PAGE_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "report/doc.h"
#include "stats/columns.h"
#include "util/strpool.h"

/* How a page shows a value. */
enum wp_cell_fmt {
    WP_CELL_VALUE,   /* by its kind: text escaped, a count whole, a number or a range's ends
                        ("lo–hi") to `digits` significant digits (0: the column's), a flag
                        yes or no */
    WP_CELL_FIXED,   /* a number with `digits` decimals */
    WP_CELL_P,       /* a p as stats writes it (wp_stats_p_text: "< 1e-16"), escaped */
    WP_CELL_P_SHORT, /* a p with 2 significant digits from 0.001 up, "< 0.001" below, on
                        one line */
    WP_CELL_WORDS,   /* a task id as words, which wrap where a line must break */
    WP_CELL_PRINTED, /* a published number as printed: as many decimals as the unit of its
                        last printed digit, the column `with` (no join); none where it
                        is unknown */
    WP_CELL_G,       /* a number as printf's %g with `digits`; a t interval "lo to hi", its
                        lower end 0† below zero (the rule of stats.h) */
    WP_CELL_PERCENT, /* a share as a whole percentage: 42% */
    WP_CELL_BOUNDS,  /* a range "lo–hi" to `digits` significant digits, a lower end below
                        zero as 0†, an infinite upper end "unbounded" */
    WP_CELL_P_SCI,   /* a p in one notation for a column: 3.3e-07; "< 1e-16" below */
    WP_CELL_WHOLE,   /* a number rounded to a whole one, every digit kept: 1,083,452; below
                        one in magnitude, one significant digit: 0.6 */
    WP_CELL_ROUNDED, /* the same, always rounded first: 0.6 as 1 */
};

/* A second column in the same cell. */
enum wp_cell_join {
    WP_JOIN_NONE,
    WP_JOIN_SLASH, /* "12 / 10" */
    WP_JOIN_N,     /* "0.1234 (n = 8)" */
    WP_JOIN_PLUS,  /* "433,196 + 1,083", the second in the first's format; the first alone
                      where the second is unknown */
};

struct wp_page_col {
    const char *name;    /* the model's column */
    const char *header;  /* pango markup */
    double width;        /* share of the text width */
    enum wp_align align;
    enum wp_cell_fmt format;
    int digits;
    const char *none;    /* markup for a value the row has not (NULL: "n/a"; text: "") */
    const char *with;    /* the model's column joined as join says, or NULL */
    enum wp_cell_join join;
    bool (*blank)(const void *row); /* rows whose cell is empty, or NULL */
    bool (*strong)(const void *row); /* rows whose cell is in bold, or NULL */
};

/* A published value as it was printed: as many decimals as its last printed digit (unit
 * 0.001: 0.049), never more, so that no digit the source did not give appears. */
const char *wp_page_printed(struct wp_strpool *p, double v, double unit);

/* Value v of a column of kind with sig significant digits (WP_CELL_VALUE), none (NULL:
 * "n/a", text "") where it is unknown. */
const char *wp_page_value(struct wp_strpool *p, enum wp_gcol_kind kind, union wp_gcell v,
                          int sig, const char *none);

#define WP_PAGE_MAX_COLS 20

/* The document's columns (cols[0..n), n at most WP_PAGE_MAX_COLS) and the cells (*cells, row-major, free() it) of the
 * table below, made once for a document laid out more than once.  False as below. */
bool wp_page_cells(struct wp_strpool *p, const struct wp_rowcol *model, size_t n_model,
                   const struct wp_page_col *pc, size_t n, const void *rows, size_t stride,
                   size_t n_rows, struct wp_doc_col *cols, const char ***cells);

/* The table of rows[0..n_rows) (stride bytes apart) in the columns pc[0..n) of the model
 * model[0..n_model), with caption.  False when a name is not in the model, or out of
 * memory (p->failed). */
bool wp_page_table(struct wp_doc *doc, struct wp_strpool *p, const struct wp_rowcol *model,
                   size_t n_model, const struct wp_page_col *pc, size_t n, const void *rows,
                   size_t stride, size_t n_rows, const char *caption);

#endif
