/* A minimal template engine for the prose users may edit (templates/card.md):
 *   {{name}}                  a value, escaped for where it lands
 *   {{#name}} ... {{/name}}   a section: repeated for each item of a list, or shown once
 *                             when a single value is set (text not empty, number finite,
 *                             count not 0)
 *   {{^name}} ... {{/name}}   an inverted section: shown when the value is not set
 *   {{! comment }}            dropped
 * A line holding only a section, close or comment tag disappears with its newline.  Items
 * of a list also have `index` (1-based), `first` and `last`.  No partials, no raw output:
 * inside a leading front matter block (the first line "---" up to the next "---") text goes
 * out as a YAML double-quoted scalar and numbers plain (null when unknown); everywhere else
 * text is escaped for Markdown and HTML.  Names are checked against a vocabulary when the
 * template is compiled, so a misspelt name is an error at FILE:LINE:COL even inside a
 * section the data leaves empty.  Not a general Mustache: only what cards need. */
#ifndef WP_REPORT_TEMPLATE_H
#define WP_REPORT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

/* The names a template may use: a single value (children NULL) or a list whose items
 * have the names in `children`, an array ending with a {NULL, NULL} entry. */
struct wp_tpl_name {
    const char *name;
    const struct wp_tpl_name *children;
};

struct wp_tpl; /* a compiled template */

/* Compiles text[0..len) (`file` names it in messages; not owned, must outlive the
 * template).  Syntax errors, bytes that are not UTF-8 and names not in `vocab` fill d with
 * FILE:LINE:COL and return WP_ERR_PARSE.  Free with wp_tpl_free. */
enum wp_err wp_tpl_compile(const char *text, size_t len, const char *file,
                           const struct wp_tpl_name *vocab, struct wp_tpl **out,
                           struct wp_diag *d);
void wp_tpl_free(struct wp_tpl *t);

/* Finds template `name`: in dir when given, else in $WATTPRINT_TEMPLATES, beside the
 * program (a build tree) or where `make install` puts templates.  Writes the path into buf
 * and returns whether it is readable. */
bool wp_tpl_find(const char *dir, const char *name, char *buf, size_t size);
/* Reads (at most 1 MiB) and compiles the template at path.  `path` must outlive it. */
enum wp_err wp_tpl_load(const char *path, const struct wp_tpl_name *vocab, struct wp_tpl **out,
                        struct wp_diag *d);

/* ---- values -------------------------------------------------------------------------- */

struct wp_tval; /* a set of named values; lists hold sets */

/* A new, empty root set.  NULL on out-of-memory. */
struct wp_tval *wp_tval_new(void);
/* Setters copy text; names must be string literals (they are not copied).  Out of memory
 * is remembered by the root and reported by wp_tpl_render, so setters return nothing. */
void wp_tval_text(struct wp_tval *v, const char *name, const char *text); /* NULL = "" */
/* A number: `sig` significant digits in prose, round-trip digits in YAML; NaN unknown. */
void wp_tval_num(struct wp_tval *v, const char *name, double x, int sig);
void wp_tval_int(struct wp_tval *v, const char *name, long long x);
/* Declares an empty list (a list no item was added to). */
void wp_tval_list(struct wp_tval *v, const char *name);
/* Appends an item to list `name` (creating it) and returns the item's set; never NULL. */
struct wp_tval *wp_tval_item(struct wp_tval *v, const char *name);
/* Frees a root set and everything in it. */
void wp_tval_free(struct wp_tval *root);

/* A render writes at most WP_TPL_MAX_OUTPUT bytes: every value counts at its most escaped
 * size (6 bytes per byte of text, 64 per number) and every tag or text visited
 * WP_TPL_NODE_COST bytes more, so sections nested inside themselves stop there too, even
 * when they write nothing. */
#define WP_TPL_MAX_OUTPUT (64 << 20)
#define WP_TPL_NODE_COST 16

/* Lowers (or raises) the budget of t's renders from WP_TPL_MAX_OUTPUT to `bytes` (the fuzz
 * harness, which cannot spend 64 MiB on every input, and tests). */
void wp_tpl_set_max_output(struct wp_tpl *t, size_t bytes);

/* Writes the template filled with `root` to out.  WP_ERR_NOMEM when a setter ran out of
 * memory, WP_ERR_PARSE with FILE:LINE:COL when a name has no value, WP_ERR_LIMIT with the
 * FILE:LINE:COL where it stopped past WP_TPL_MAX_OUTPUT (what was written so far stays in
 * out), WP_ERR_IO on a write error. */
enum wp_err wp_tpl_render(const struct wp_tpl *t, const struct wp_tval *root, FILE *out,
                          struct wp_diag *d);

/* ---- escaping, exposed for tests and other writers -------------------------------------- */

/* Text for Markdown and HTML: & < > " ' as entities, \ ` * _ [ ] | # ~ { } backslash-
 * escaped, control characters (newlines included) as spaces. */
void wp_tpl_escape_md(FILE *out, const char *s);
/* Text for pango markup (PDF reports): & < > " ' as entities. */
void wp_tpl_escape_markup(FILE *out, const char *s);
/* Switches a compiled template's prose values to pango-markup escaping (the PDF report's
 * templates, whose own text is pango markup). */
void wp_tpl_set_markup(struct wp_tpl *t);

/* A YAML double-quoted scalar, quotes included. */
void wp_tpl_escape_yaml(FILE *out, const char *s);
/* The shortest decimal text that reads back as x, with a '.' in the mantissa (so YAML 1.1
 * readers see a float); "null" when x is not finite.  buf needs 32 bytes. */
void wp_tpl_num_yaml(double x, char *buf, size_t size);
/* x for people: `sig` significant digits, fixed notation with thousands separators between
 * 1e-4 and 1e15, else scientific; "n/a" when not finite.  buf needs 48 bytes. */
void wp_tpl_num_prose(double x, int sig, char *buf, size_t size);

#endif
