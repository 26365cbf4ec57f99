/* A small document engine for PDF reports on cairo + pango: pages with a running header
 * and page numbers, headings that feed a table of contents with working links and the PDF
 * outline, paragraphs of pango markup, tables that paginate with repeated headers, and
 * vector figures drawn by a callback.  A document is laid out twice: a first pass only
 * measures (on a PDF surface that writes nowhere, so metrics are the same) and learns on
 * which page each heading falls; the second draws, with the contents filled in. */
#ifndef WP_REPORT_DOC_H
#define WP_REPORT_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include "util/err.h"

enum wp_paper { WP_PAPER_A4, WP_PAPER_LETTER };

/* What wp_doc_render writes: a paginated PDF, or one self-contained HTML page (html.h). */
enum wp_doc_format { WP_DOC_PDF = 0, WP_DOC_HTML };

struct wp_doc_opts {
    const char *path;      /* the file to write (atomically) */
    enum wp_doc_format format; /* the caller picks it (report.c: from the extension) */
    enum wp_paper paper;
    const char *title, *author, *subject, *keywords, *creator; /* PDF metadata */
    const char *date;      /* ISO 8601 creation date written into the PDF (fixed, from the
                              data: same input, same bytes) */
    const char *running_header; /* text at the top of every page but the first */
};

struct wp_doc; /* opaque */

/* Builds the document's content; called twice (measure, then draw) and must make the
 * same calls both times.  Returns non-zero to stop (the error is in d). */
typedef enum wp_err (*wp_doc_build_fn)(struct wp_doc *doc, void *ctx, struct wp_diag *d);

/* Lays out and writes the document. */
enum wp_err wp_doc_render(const struct wp_doc_opts *o, wp_doc_build_fn build, void *ctx,
                          struct wp_diag *d);

/* ---- content (call from a build function) ------------------------------------------- */

/* The title page: big title, subtitle, lines below (pango markup), then a page break. */
void wp_doc_title_page(struct wp_doc *doc, const char *title, const char *subtitle,
                       const char *const *lines, size_t n_lines);
/* The table of contents (the headings of levels 1 and 2), on a page of its own. */
void wp_doc_contents(struct wp_doc *doc);
/* A numbered heading (level 1 or 2) that starts a new page at level 1. */
void wp_doc_heading(struct wp_doc *doc, int level, const char *text);
/* A paragraph of pango markup (escape input with wp_doc_escape). */
void wp_doc_para(struct wp_doc *doc, const char *markup);
/* A smaller paragraph (notes, sources). */
void wp_doc_note(struct wp_doc *doc, const char *markup);
/* Vertical space in points. */
void wp_doc_space(struct wp_doc *doc, double pt);
void wp_doc_page_break(struct wp_doc *doc);
/* Starts a new page unless pt points still fit on this one: keeps a heading, its words
 * and the start of a table or a figure together. */
void wp_doc_keep(struct wp_doc *doc, double pt);

enum wp_align { WP_LEFT, WP_RIGHT };
struct wp_doc_col {
    const char *header;  /* pango markup */
    double width;        /* share of the text width; the shares add up to 1 */
    enum wp_align align;
};
/* A table: n_rows rows of n_cols cells (markup, row-major).  Rows never split; a table
 * that runs past the page continues on the next with its header repeated. */
void wp_doc_table(struct wp_doc *doc, const struct wp_doc_col *cols, size_t n_cols,
                  const char *const *cells, size_t n_rows, const char *caption);

/* Preformatted lines of plain text (not markup) in DejaVu Sans Mono at size_pt, as many
 * to a page as fit, continuing on the next; the size shrinks (to 85% at most) so that the
 * longest line fits, and a line wider still breaks and goes on indented.  For long listings: the measuring passes cost no layout per line. */
void wp_doc_lines(struct wp_doc *doc, const char *const *lines, size_t n, double size_pt);

/* A figure of w x h points, drawn by fn on cr with (0, 0) at its top left corner, then a
 * caption.  Moves to a new page when it does not fit. */
typedef enum wp_err (*wp_doc_draw_fn)(cairo_t *cr, double w, double h, void *ctx,
                                      struct wp_diag *d);
void wp_doc_figure(struct wp_doc *doc, double w, double h, wp_doc_draw_fn fn, void *ctx,
                   const char *caption);

/* Captions: one that starts "Figure: " or "Table: " is numbered in order of the calls
 * ("Figure 3. ..."), so the text can refer to it; these give the number the next such
 * figure or table gets.  In every caption, paragraph and note, "n = 22" does not break. */
int wp_doc_next_figure(const struct wp_doc *doc);
int wp_doc_next_table(const struct wp_doc *doc);

/* The width of the text column in points (for sizing figures). */
double wp_doc_text_width(const struct wp_doc *doc);

/* Escapes text for pango markup (& < > ' "); returns a new string (free()) or NULL. */
char *wp_doc_escape(const char *text);

#endif
