/* The HTML backend of the document engine (doc.h): the same build calls that lay out the
 * PDF write one self-contained HTML5 page (styles inline, figures as data: SVG images, no
 * external resource, a Content-Security-Policy that forbids loading one). Internal to
 * src/report/: callers use wp_doc_render with a .html path. */
#ifndef WP_REPORT_HTML_H
#define WP_REPORT_HTML_H

#include <stddef.h>

#include "report/doc.h"
#include "util/err.h"

struct wp_html; /* opaque */

/* A page being built for `o` (title, author, date); NULL when out of memory. */
struct wp_html *wp_html_new(const struct wp_doc_opts *o);
void wp_html_free(struct wp_html *h);

void wp_html_title_page(struct wp_html *h, const char *title, const char *subtitle,
                        const char *const *lines, size_t n_lines);
void wp_html_contents(struct wp_html *h);
void wp_html_heading(struct wp_html *h, int level, const char *text);
void wp_html_para(struct wp_html *h, const char *markup, const char *cls);
void wp_html_table(struct wp_html *h, const struct wp_doc_col *cols, size_t n_cols,
                   const char *const *cells, size_t n_rows, const char *caption);
void wp_html_lines(struct wp_html *h, const char *const *lines, size_t n);
void wp_html_figure(struct wp_html *h, double w, double h_pt, wp_doc_draw_fn fn, void *ctx,
                    const char *caption, struct wp_diag *d);

/* Appends pango markup as HTML to `out` (a GString): the tags pango knows become their HTML
 * equivalents (b, i, tt, sub, sup, small, u, s; a monospaced span becomes code), every other
 * tag and every attribute is dropped, entities are kept; text outside tags is escaped. */
void wp_html_from_markup(void *out, const char *markup);

/* Appends text to `out` (a GString) escaped for element content or a double-quoted
 * attribute (& < > "). */
void wp_html_escape(void *out, const char *text);

/* The SHA-256 of script[0..len) in base64, as a Content-Security-Policy 'sha256-...' source
 * wants it, into out (at least 48 bytes). */
enum wp_err wp_html_csp_hash(const char *script, size_t len, char *out, size_t size,
                             struct wp_diag *d);

/* Writes the page to o->path atomically; the first error of the build is returned. */
enum wp_err wp_html_write(struct wp_html *h, const char *path, struct wp_diag *d);

#endif
