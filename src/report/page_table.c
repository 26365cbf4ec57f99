/* The report's tables over the column model (page_table.h): each cell from a column of
 * stats/columns.h, formatted as the page column says. */
#include "report/page_table.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>

#include "stats/stats.h"
#include "util/text.h"

#define MAX_COLS WP_PAGE_MAX_COLS

static const char *esc(struct wp_strpool *p, const char *text)
{
    char *e = wp_doc_escape(text ? text : "");
    const char *r = wp_strpool_fmt(p, "%s", e ? e : "");
    if (!e)
        p->failed = true;
    g_free(e);
    return r;
}

static const char *sig(struct wp_strpool *p, double x, int digits)
{
    char b[64];
    wp_text_sig(x, digits, b, sizeof b);
    return wp_strpool_fmt(p, "%s", b);
}

/* What a cell shows for no value: the column's text for it, else "n/a". */
static const char *na(const char *none)
{
    return none ? none : "n/a";
}

const char *wp_page_value(struct wp_strpool *p, enum wp_gcol_kind kind, union wp_gcell v,
                          int digits, const char *none)
{
    switch (kind) {
    case WP_GCOL_TEXT: return v.text ? esc(p, v.text) : none ? none : "";
    case WP_GCOL_COUNT: return wp_strpool_fmt(p, "%lld", v.count);
    case WP_GCOL_NUM: return isfinite(v.num) ? sig(p, v.num, digits) : na(none);
    case WP_GCOL_CI: v.range = (struct wp_range){v.ci->lo, v.ci->hi}; break;
    case WP_GCOL_RANGE: break;
    case WP_GCOL_BOOL: return v.flag ? "yes" : "no";
    }
    if (!isfinite(v.range.lo) || !isfinite(v.range.hi))
        return na(none);
    return wp_strpool_fmt(p, "%s–%s", sig(p, v.range.lo, digits), sig(p, v.range.hi, digits));
}

const char *wp_page_printed(struct wp_strpool *p, double v, double unit)
{
    if (!isfinite(v))
        return "n/a";
    int dec = unit > 0 && isfinite(unit) ? (int)lround(-log10(unit)) : 4;
    return wp_strpool_fmt(p, "%.*f", dec < 0 ? 0 : dec > 12 ? 12 : dec, v);
}

/* A task id as words: "image classification" */
static const char *words(struct wp_strpool *p, const char *id, const char *none)
{
    if (!id)
        return none ? none : "";
    char *w = g_strdup(id);
    if (!w) {
        p->failed = true;
        return "";
    }
    wp_text_task_words(w);
    const char *r = esc(p, w);
    g_free(w);
    return r;
}

/* "lo–hi"; "n/a" when lo is unknown and hi finite; a lower end below zero (a t interval of
 * few values: energy cannot be negative) as "0†"; an infinite hi "unbounded" */
static const char *bounds(struct wp_strpool *p, double lo, double hi, int digits)
{
    if (!isfinite(lo) && !isinf(hi))
        return "n/a";
    const char *h = isinf(hi) ? "unbounded" : sig(p, hi, digits);
    return wp_strpool_fmt(p, "%s–%s", lo < 0 ? "0†" : sig(p, lo, digits), h);
}

static const char *cell(struct wp_strpool *p, const struct wp_page_col *pc,
                        const struct wp_rowcol *c, const struct wp_rowcol *with,
                        const void *row)
{
    union wp_gcell v = wp_rowcol_get(c, row);
    double x = wp_rowcol_num(c, row);
    char b[64];
    switch (pc->format) {
    case WP_CELL_VALUE: break;
    case WP_CELL_FIXED:
        return isfinite(x) ? wp_strpool_fmt(p, "%.*f", pc->digits, x) : na(pc->none);
    case WP_CELL_P:
        wp_stats_p_text(x, b, sizeof b);
        return esc(p, b);
    case WP_CELL_P_SHORT:
        if (!isfinite(x))
            return na(pc->none);
        if (x < 0.001)
            return "&lt;\u00a00.001"; /* one line: a no-break space */
        return sig(p, x, 2);
    case WP_CELL_WORDS: return words(p, c->kind == WP_GCOL_TEXT ? v.text : NULL, pc->none);
    case WP_CELL_PRINTED:
        if (!isfinite(x) && pc->none)
            return pc->none;
        return wp_page_printed(p, x, with ? wp_rowcol_num(with, row) : NAN);
    case WP_CELL_G:
        if (c->kind == WP_GCOL_CI) {
            if (!isfinite(v.ci->lo) || !isfinite(v.ci->hi))
                return na(pc->none);
            if (wp_ci_lo_is_cut(v.ci))
                return wp_strpool_fmt(p, "0\u2020 to %.*g", pc->digits, v.ci->hi);
            return wp_strpool_fmt(p, "%.*g to %.*g", pc->digits, v.ci->lo, pc->digits,
                                  v.ci->hi);
        }
        return isfinite(x) ? wp_strpool_fmt(p, "%.*g", pc->digits, x) : na(pc->none);
    case WP_CELL_BOUNDS:
        if (c->kind == WP_GCOL_CI)
            return bounds(p, v.ci->lo, v.ci->hi, pc->digits);
        return c->kind == WP_GCOL_RANGE ? bounds(p, v.range.lo, v.range.hi, pc->digits)
                                        : "n/a";
    case WP_CELL_P_SCI:
        if (isnan(x))
            return "n/a";
        return x < 1e-16 ? "&lt; 1e-16" : wp_strpool_fmt(p, "%.1e", x);
    case WP_CELL_WHOLE:
        return isfinite(x) && fabs(x) >= 1 ? sig(p, round(x), (int)floor(log10(fabs(x))) + 1)
                                           : sig(p, x, 1);
    case WP_CELL_ROUNDED:
        if (!isfinite(x))
            return na(pc->none);
        x = round(x);
        return sig(p, x, fabs(x) >= 1 ? (int)floor(log10(fabs(x))) + 1 : 1);
    case WP_CELL_PERCENT:
        return isfinite(x) ? wp_strpool_fmt(p, "%.0f%%", x * 100) : na(pc->none);
    }
    return wp_page_value(p, c->kind, v, pc->digits ? pc->digits : c->sig, pc->none);
}

bool wp_page_cells(struct wp_strpool *p, const struct wp_rowcol *model, size_t n_model,
                   const struct wp_page_col *pc, size_t n, const void *rows, size_t stride,
                   size_t n_rows, struct wp_doc_col *cols, const char ***out)
{
    const struct wp_rowcol *mc[MAX_COLS], *with[MAX_COLS];
    *out = NULL;
    if (n > MAX_COLS)
        return false;
    for (size_t k = 0; k < n; k++) {
        cols[k] = (struct wp_doc_col){pc[k].header, pc[k].width, pc[k].align};
        mc[k] = wp_rowcol_find(model, n_model, pc[k].name);
        with[k] = pc[k].with ? wp_rowcol_find(model, n_model, pc[k].with) : NULL;
        if (!mc[k] || (pc[k].with && !with[k]))
            return false;
    }
    const char **cells = calloc(n_rows * n + 1, sizeof *cells);
    if (!cells) {
        p->failed = true;
        return false;
    }
    for (size_t i = 0; i < n_rows; i++) {
        const void *row = wp_row_at(rows, stride, i);
        for (size_t k = 0; k < n; k++) {
            const char **c = &cells[i * n + k];
            if (pc[k].blank && pc[k].blank(row)) {
                *c = "";
                continue;
            }
            *c = cell(p, &pc[k], mc[k], with[k], row);
            if (pc[k].strong && pc[k].strong(row))
                *c = wp_strpool_fmt(p, "<b>%s</b>", *c);
            if (!with[k] || pc[k].join == WP_JOIN_NONE)
                continue;
            if (pc[k].join == WP_JOIN_PLUS) {
                if (!isnan(wp_rowcol_num(with[k], row)))
                    *c = wp_strpool_fmt(p, "%s + %s", *c, cell(p, &pc[k], with[k], NULL, row));
                continue;
            }
            const char *w = wp_page_value(p, with[k]->kind, wp_rowcol_get(with[k], row),
                                          with[k]->sig, NULL);
            *c = pc[k].join == WP_JOIN_N ? wp_strpool_fmt(p, "%s (n = %s)", *c, w)
                                         : wp_strpool_fmt(p, "%s / %s", *c, w);
        }
    }
    *out = cells;
    return !p->failed;
}

bool wp_page_table(struct wp_doc *doc, struct wp_strpool *p, const struct wp_rowcol *model,
                   size_t n_model, const struct wp_page_col *pc, size_t n, const void *rows,
                   size_t stride, size_t n_rows, const char *caption)
{
    struct wp_doc_col cols[MAX_COLS];
    const char **cells;
    if (!wp_page_cells(p, model, n_model, pc, n, rows, stride, n_rows, cols, &cells)) {
        free(cells);
        return false;
    }
    wp_doc_table(doc, cols, n, cells, n_rows, caption);
    free(cells);
    return true;
}
