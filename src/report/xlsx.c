/* The spreadsheet writer (see xlsx.h).  Tables are described by column lists (header with
 * its unit, kind, offset into a flat row struct) and written by one function that picks
 * number formats from the data, fits widths, freezes the header, adds an autofilter and a
 * defined name.  Big sheets (the runs) are streamed in constant_memory mode, row by row,
 * so every table is planned before its first row.  Not here: any statistic (src/stats/)
 * or SQL. */
#include "report/xlsx.h"
#include "analysis/basis.h"

#include "stats/columns.h"
#include "report/basis.h"

#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <xlsxwriter.h>

#include "render/render.h"
#include "stats/rating.h"
#include "stats/stats.h"
#include "util/atomic.h"
#include "util/time.h"
#include "util/units.h"

#define MAX_COLS 40
#define TEXT_WIDTH_CAP 60.0
#define MAX_SERIES 64          /* scatter series (tasks) per chart */
#define BIG_SHEET_ROWS 20000   /* sheets with more rows are written in constant memory */
#define FALLBACK_DATE 315532800 /* 1980-01-01, the zip epoch: a database without dates */
#define PAPER_A4 9              /* Excel's paper code; Letter is 1 */

/* ---- the book and its sheets ------------------------------------------------------------ */

struct book {
    lxw_workbook *wb;
    const struct wp_xlsx_input *in;
    lxw_format *header, *note;
    struct {
        char code[32];
        lxw_format *f;
    } fmts[32];
    size_t n_fmts;
    char arena[16384]; /* header texts built at run time */
    size_t used;
    char ci[32];       /* "95% CI" */
    size_t truncated;
    lxw_error err;     /* the first libxlsxwriter error */
    char err_what[96];
};

struct sheet {
    struct book *b;
    lxw_worksheet *ws;
    char name[32];
    lxw_row_t row;               /* next row to write */
    double width[MAX_COLS];      /* column widths, characters */
};

static void check(struct book *b, lxw_error rc, const char *what)
{
    if (rc != LXW_NO_ERROR && b->err == LXW_NO_ERROR) {
        b->err = rc;
        snprintf(b->err_what, sizeof b->err_what, "%s", what);
    }
}

static const char *hdr(struct book *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *hdr(struct book *b, const char *fmt, ...)
{
    char *p = b->arena + b->used;
    size_t room = sizeof b->arena - b->used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room)
        return "?";
    b->used += (size_t)n + 1;
    return p;
}

/* A cell format with number format `code`, made once. */
static lxw_format *numfmt(struct book *b, const char *code)
{
    for (size_t i = 0; i < b->n_fmts; i++)
        if (strcmp(b->fmts[i].code, code) == 0)
            return b->fmts[i].f;
    if (b->n_fmts == sizeof b->fmts / sizeof b->fmts[0])
        return NULL; /* General: shows the value, only less tidily */
    lxw_format *f = workbook_add_format(b->wb);
    if (!f) {
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "format");
        return NULL;
    }
    format_set_num_format(f, code);
    snprintf(b->fmts[b->n_fmts].code, sizeof b->fmts[0].code, "%s", code);
    b->fmts[b->n_fmts++].f = f;
    return f;
}

/* Adds a worksheet; a big one (the runs, or a table past BIG_SHEET_ROWS) streams its rows
 * to a temporary file as they are written (constant_memory), a small one stays in memory
 * so that charts get their data caches (libxlsxwriter reads the option per worksheet when
 * it is added, in 1.1.4 as in its current sources). */
static bool add_sheet(struct book *b, struct sheet *s, const char *name, size_t rows)
{
    memset(s, 0, sizeof *s);
    s->b = b;
    snprintf(s->name, sizeof s->name, "%s", name);
    b->wb->options.constant_memory = rows > BIG_SHEET_ROWS;
    s->ws = workbook_add_worksheet(b->wb, s->name);
    if (!s->ws) {
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "add a worksheet");
        return false;
    }
    /* printed as wide tables print: across, every column on the page's width, as many
     * pages down as the rows need (the header row repeats: see repeat_header) */
    worksheet_set_landscape(s->ws);
    worksheet_set_paper(s->ws, PAPER_A4);
    worksheet_fit_to_pages(s->ws, 1, 0);
    worksheet_set_margins(s->ws, 0.4, 0.4, 0.6, 0.6);
    return true;
}

size_t wp_xlsx_text_units(const char *s, size_t max_units, size_t *prefix_bytes)
{
    size_t units = 0, i = 0, prefix = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (p[i]) {
        size_t len = p[i] < 0x80 ? 1 : p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : p[i] >= 0xC0 ? 2 : 1;
        for (size_t k = 1; k < len; k++)
            if (!p[i + k]) {
                len = k;
                break;
            }
        units += len == 4 ? 2 : 1; /* outside the BMP: a surrogate pair in UTF-16 */
        i += len;
        if (units <= max_units)
            prefix = i;
    }
    if (prefix_bytes)
        *prefix_bytes = prefix;
    return units;
}

static bool is_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static bool at_escape(const char *p)
{
    return p[0] == '_' && p[1] == 'x' && is_hex(p[2]) && is_hex(p[3]) && is_hex(p[4]) &&
           is_hex(p[5]) && p[6] == '_';
}

/* U+FFFE or U+FFFF at p: noncharacters, which XML 1.0 does not allow (libxlsxwriter
 * writes them raw, and the workbook's XML is then not well-formed: a corrupt file). */
static bool at_nonchar(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return u[0] == 0xef && u[1] == 0xbf && (u[2] == 0xbe || u[2] == 0xbf);
}

/* Excel reads "_xHHHH_" in a cell as the character HHHH; text that holds those letters
 * itself gets its '_' escaped as _x005F_ (ECMA-376), and U+FFFE and U+FFFF, which the XML
 * cannot hold, are written as _xFFFE_ and _xFFFF_.  NULL when there is nothing to escape
 * (or no memory: the text then goes out as it is). */
static char *escape_literal_escapes(const char *t)
{
    size_t n = 0;
    for (const char *p = t; *p; p++)
        n += at_escape(p) || at_nonchar(p);
    if (!n)
        return NULL;
    char *out = malloc(strlen(t) + 6 * n + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = t; *p; p++) {
        if (at_nonchar(p)) {
            memcpy(o, p[2] == '\xbe' ? "_xFFFE_" : "_xFFFF_", 7);
            o += 7;
            p += 2;
            continue;
        }
        if (at_escape(p)) {
            memcpy(o, "_x005F", 6);
            o += 6;
        }
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

/* Writes text as a string, never as a formula, cut to Excel's cell limit; returns its
 * width in characters. */
static double put_text(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *text,
                       lxw_format *f)
{
    if (!text || !*text)
        return 0;
    char *escaped = escape_literal_escapes(text);
    const char *t = escaped ? escaped : text;
    size_t bytes, units = wp_xlsx_text_units(t, WP_XLSX_MAX_CELL_CHARS, &bytes);
    if (units > WP_XLSX_MAX_CELL_CHARS) {
        char *cut = strndup(t, bytes);
        if (!cut) {
            check(s->b, LXW_ERROR_MEMORY_MALLOC_FAILED, "text");
            free(escaped);
            return 0;
        }
        check(s->b, worksheet_write_string(s->ws, r, c, cut, f), "write text");
        free(cut);
        s->b->truncated++;
        units = WP_XLSX_MAX_CELL_CHARS;
    } else {
        check(s->b, worksheet_write_string(s->ws, r, c, t, f), "write text");
    }
    free(escaped);
    return (double)units;
}

static void put_num(struct sheet *s, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
    if (isfinite(v))
        check(s->b, worksheet_write_number(s->ws, r, c, v, f), "write a number");
}

/* 'Sheet name'!$A$1:$B$2 for a defined name. */
static void range_ref(const struct sheet *s, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1,
                      lxw_col_t c1, char *buf, size_t size)
{
    char a[32], z[32], quoted[80];
    lxw_rowcol_to_cell_abs(a, r0, c0, 1, 1);
    lxw_rowcol_to_cell_abs(z, r1, c1, 1, 1);
    size_t k = 0;
    quoted[k++] = '\'';
    for (const char *p = s->name; *p && k + 3 < sizeof quoted; p++) {
        if (*p == '\'')
            quoted[k++] = '\'';
        quoted[k++] = *p;
    }
    quoted[k++] = '\'';
    quoted[k] = '\0';
    snprintf(buf, size, "=%s!%s:%s", quoted, a, z);
}

static void define_name(struct sheet *s, const char *name, lxw_row_t r0, lxw_col_t c0,
                        lxw_row_t r1, lxw_col_t c1)
{
    char ref[160];
    range_ref(s, r0, c0, r1, c1, ref, sizeof ref);
    check(s->b, workbook_define_name(s->b->wb, name, ref), "define a name");
}

static void set_widths(struct sheet *s, lxw_col_t n_cols)
{
    for (lxw_col_t c = 0; c < n_cols && c < MAX_COLS; c++)
        if (s->width[c] > 0)
            check(s->b, worksheet_set_column(s->ws, c, c, s->width[c] + 1.5, NULL),
                  "set a column width");
}

/* True when s holds a control character XML 1.0 cannot carry: libxlsxwriter escapes them
 * in cells but not in a chart's cached names, so such a name keeps its chart out. */
static bool has_xml_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
            return true;
    return false;
}

/* A line of prose below a table (not counted in the column widths). */
static void note(struct sheet *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct sheet *s, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    put_text(s, s->row++, 0, buf, s->b->note);
}

/* ---- tables ------------------------------------------------------------------------------ */

enum col_kind {
    COL_TEXT,  /* const char * */
    COL_NUM,   /* double, `sig` significant digits, format chosen from the data */
    COL_COUNT, /* double holding a whole number (NAN: blank), #,##0 */
    COL_SHARE, /* double in [0, 1], 0.0% */
    COL_CI_LO, /* double: a t interval's lower end, as COL_NUM; below zero it shows 0 and a
                  dagger, with the note under the table (the one rule of stats.h) */
};

struct col {
    const char *header; /* with its unit */
    enum col_kind kind;
    size_t off;         /* into the row struct */
    int sig;
    int group;          /* COL_NUM columns of one group (> 0) share a number format: an
                           estimate and its interval's ends print alike */
    const struct wp_gcol *gc; /* rows of a->groups: the shared column (stats/columns.h)
                                 read instead of off; a flag reads "yes" or "" */
    size_t equiv;       /* rows of a->groups: 1 + the equivalent factor shown (0: none) */
    const double *per_row; /* rows of a->groups: a value per row made for this sheet */
};

struct table {
    const char *defined_name; /* of the data range with its header, NULL for none */
    const struct col *cols;
    size_t n_cols;
    const void *rows;
    size_t n_rows, row_size;
    const struct wp_analysis *a; /* rows are its groups: the columns name shared columns */
};

struct plan {
    lxw_format *fmt[MAX_COLS];
    double header_lines;
};

/* An equivalent of group g's mean (from the analysis), NAN where it has none. */
static double equiv_of(const struct wp_group_stats *g, size_t factor)
{
    size_t n;
    const struct wp_equiv_factor *tab = wp_stats_equiv_table(&n);
    for (size_t i = 0; i < g->n_equiv; i++)
        if (g->equiv[i].factor == tab + factor)
            return g->equiv[i].amount;
    return NAN;
}

static double field_num(const struct table *t, size_t i, const struct col *c)
{
    if (t->a && c->per_row)
        return c->per_row[i];
    if (t->a && c->equiv)
        return equiv_of(&t->a->groups[i], c->equiv - 1);
    if (t->a)
        return wp_gcol_num(c->gc, t->a->unit, &t->a->groups[i]);
    double v;
    memcpy(&v, (const char *)t->rows + i * t->row_size + c->off, sizeof v);
    return v;
}

static const char *field_text(const struct table *t, size_t i, const struct col *c)
{
    if (t->a) {
        union wp_gcell v = wp_gcol_get(c->gc, t->a->unit, &t->a->groups[i]);
        return c->gc->kind == WP_GCOL_BOOL ? (v.flag ? "yes" : "") : v.text;
    }
    const char *v;
    memcpy(&v, (const char *)t->rows + i * t->row_size + c->off, sizeof v);
    return v ? v : "";
}

/* The number format of a column: scientific where its values span three orders of
 * magnitude or more (or are very large or small), else fixed with enough decimals that
 * the smallest shows `sig` significant digits.  *width: characters the values take. */
static void choose_format(const struct table *t, const struct col *c, char *code, size_t size,
                          double *width)
{
    double lo = INFINITY, hi = 0;
    bool negative = false;
    for (size_t k = 0; k < t->n_cols; k++) {
        const struct col *o = &t->cols[k];
        if (o != c && !(c->group > 0 && (o->kind == COL_NUM || o->kind == COL_CI_LO) &&
                        o->group == c->group))
            continue;
        for (size_t i = 0; i < t->n_rows; i++) {
            double v = field_num(t, i, o);
            if (!isfinite(v) || (o->kind == COL_CI_LO && v < 0)) /* shown as 0 */
                continue;
            negative |= v < 0;
            double a = fabs(v);
            if (a > 0 && a < lo)
                lo = a;
            if (a > hi)
                hi = a;
        }
    }
    int sig = c->sig > 0 ? c->sig : 4;
    if (hi == 0) { /* nothing, or only zeros */
        snprintf(code, size, "0");
        *width = 2;
        return;
    }
    if (hi >= 1e7 || lo < 1e-4 || hi / lo >= 1e3) {
        snprintf(code, size, "0.%.*sE+00", sig - 1, "000000000");
        *width = sig + 6 + negative;
        return;
    }
    int decimals = sig - 1 - (int)floor(log10(lo));
    decimals = decimals < 0 ? 0 : decimals > 9 ? 9 : decimals;
    snprintf(code, size, decimals ? "#,##0.%.*s" : "#,##0", decimals, "000000000");
    int digits = hi >= 1 ? (int)floor(log10(hi)) + 1 : 1;
    *width = digits + (digits - 1) / 3 + (decimals ? decimals + 1 : 0) + negative;
}

/* Formats and widths of a table's columns (first column `c0`), merged into the sheet's
 * widths; the header wraps onto at most four lines. */
static void plan_table(struct sheet *s, const struct table *t, lxw_col_t c0, struct plan *p)
{
    memset(p, 0, sizeof *p);
    p->header_lines = 1;
    for (size_t k = 0; k < t->n_cols && c0 + k < MAX_COLS; k++) {
        const struct col *c = &t->cols[k];
        double w = 0;
        char code[32];
        switch (c->kind) {
        case COL_TEXT:
            for (size_t i = 0; i < t->n_rows; i++) {
                double u = (double)wp_xlsx_text_units(field_text(t, i, c), 0, NULL);
                w = u > w ? u : w;
            }
            w = w > TEXT_WIDTH_CAP ? TEXT_WIDTH_CAP : w;
            break;
        case COL_NUM:
        case COL_CI_LO:
            choose_format(t, c, code, sizeof code, &w);
            p->fmt[k] = numfmt(s->b, code);
            break;
        case COL_COUNT: {
            double hi = 0;
            for (size_t i = 0; i < t->n_rows; i++) {
                double v = fabs(field_num(t, i, c));
                hi = isfinite(v) && v > hi ? v : hi;
            }
            int digits = hi >= 1 ? (int)floor(log10(hi)) + 1 : 1;
            w = digits + (digits - 1) / 3;
            p->fmt[k] = numfmt(s->b, "#,##0");
            break;
        }
        case COL_SHARE:
            w = 6;
            p->fmt[k] = numfmt(s->b, "0.0%");
            break;
        }
        /* the header wraps: at least its longest word, at most four lines */
        double len = 0, word = 0, longest = 0;
        for (const char *h = c->header; *h; h++) {
            len++;
            word = *h == ' ' ? 0 : word + 1;
            longest = word > longest ? word : longest;
        }
        w = w < longest ? longest : w;
        w = w < len / 4 ? ceil(len / 4) : w;
        w = w < 6 ? 6 : w;
        if (w > s->width[c0 + k])
            s->width[c0 + k] = w;
    }
    for (size_t k = 0; k < t->n_cols && c0 + k < MAX_COLS; k++) {
        double len = (double)strlen(t->cols[k].header);
        double lines = ceil(len / s->width[c0 + k]);
        p->header_lines = lines > p->header_lines ? lines : p->header_lines;
    }
}

/* Writes a planned table at the sheet's next row: returns the header's row.  The first
 * table of a sheet (is_main) gets the frozen header and the autofilter. */
static lxw_row_t write_table(struct sheet *s, const struct table *t, const struct plan *p,
                             lxw_col_t c0, bool is_main, lxw_col_t freeze_cols)
{
    struct book *b = s->b;
    lxw_row_t top = s->row;
    check(b, worksheet_set_row(s->ws, top, 15.0 * (p->header_lines > 4 ? 4 : p->header_lines),
                               NULL),
          "set the header height");
    for (size_t k = 0; k < t->n_cols; k++)
        put_text(s, top, (lxw_col_t)(c0 + k), t->cols[k].header, b->header);
    s->row++;
    bool cut = false;
    for (size_t i = 0; i < t->n_rows; i++, s->row++)
        for (size_t k = 0; k < t->n_cols; k++) {
            const struct col *c = &t->cols[k];
            lxw_col_t col = (lxw_col_t)(c0 + k);
            double v = c->kind == COL_TEXT ? NAN : field_num(t, i, c);
            if (c->kind == COL_TEXT) {
                put_text(s, s->row, col, field_text(t, i, c), NULL);
            } else if (c->kind == COL_CI_LO && v < 0) {
                put_num(s, s->row, col, 0.0, numfmt(b, "0\"\u2020\""));
                cut = true;
            } else {
                put_num(s, s->row, col, v, k < MAX_COLS ? p->fmt[k] : NULL);
            }
        }
    lxw_row_t last = s->row > top + 1 ? s->row - 1 : top;
    lxw_col_t c1 = (lxw_col_t)(c0 + t->n_cols - 1);
    if (is_main) {
        worksheet_freeze_panes(s->ws, top + 1, freeze_cols);
        check(b, worksheet_repeat_rows(s->ws, top, top), "repeat the header row on each page");
        check(b, worksheet_autofilter(s->ws, top, c0, last, c1), "add an autofilter");
    }
    if (t->defined_name)
        define_name(s, t->defined_name, top, c0, last, c1);
    if (cut) { /* a blank row first: the table ends where readers of it stop */
        s->row++;
        note(s, "\u2020 %s", WP_CI_CUT_NOTE);
    }
    return top;
}

static lxw_row_t table_sheet(struct sheet *s, const struct table *t, lxw_col_t freeze_cols)
{
    struct plan p;
    plan_table(s, t, 0, &p);
    lxw_row_t top = write_table(s, t, &p, 0, true, freeze_cols);
    set_widths(s, (lxw_col_t)t->n_cols);
    return top;
}

#define NUM(h, type, field, sig) {h, COL_NUM, offsetof(type, field), sig, 0, NULL, 0, NULL}
/* groups of columns that share a number format */
enum { G_KWH = 1, G_G, G_SLOPE };
#define NUMG(h, type, field, g) {h, COL_NUM, offsetof(type, field), 4, g, NULL, 0, NULL}
#define CILO(h, type, field, g) {h, COL_CI_LO, offsetof(type, field), 4, g, NULL, 0, NULL}
#define CNT(h, type, field) {h, COL_COUNT, offsetof(type, field), 0, 0, NULL, 0, NULL}
#define TXT(h, type, field) {h, COL_TEXT, offsetof(type, field), 0, 0, NULL, 0, NULL}
#define SHR(h, type, field) {h, COL_SHARE, offsetof(type, field), 0, 0, NULL, 0, NULL}

/* ---- Summary: per task ------------------------------------------------------------------- */

static double count_or_nan(long long v)
{
    return v > 0 ? (double)v : NAN;
}

/* A column of the Summary: a shared column (stats/columns.h) under a header for people. */
#define GC(h, name, kind_, sig_, g) {h, kind_, 0, sig_, g, wp_gcol_find(name), 0, NULL}

/* The headline and the purpose comparison, as notes below the Summary table. */
static void summary_notes(struct sheet *s, const struct wp_analysis *a)
{
    const struct wp_analysis_opts *o = &a->opts;
    s->row++;
    note(s, "Units: kWh and g CO2eq per 1,000 inferences; J and mg CO2eq per inference. "
            "Statistics %s%s%s.", o->over_experiments ? "over experiments (each the mean of "
                                                        "its runs)" : "over runs",
         o->filter.phase ? ", phase " : "", o->filter.phase ? o->filter.phase : "");
    const char *un = wp_unit_name(a->unit, 1), *uns = wp_unit_name(a->unit, 2);
    bool runs = a->unit == WP_UNIT_RUN;
    note(s, "%g%% confidence intervals of the mean over each task's %s (column n of the "
            "intervals): Student t over the %s means; %s percentile (%zu resamples, seed %lu; "
            "blank where skipped because runs x resamples is too large; none for a task of "
            "one %s). small n: fewer than 3 values.%s", o->level * 100, uns, un,
         runs ? "bootstrap" : "cluster bootstrap (units, then experiments, then runs)",
         o->boot.resamples, o->boot.seed, un,
         runs ? " Runs are taken as independent (--unit run)." : "");
    const struct wp_headline *h = &a->headline;
    if (h->has) {
        char ci[96] = "", gci[96] = "", p1[32], p2[32];
        if (isfinite(h->ratio.lo))
            snprintf(ci, sizeof ci, ", %g%% %s CI %.4g to %.4g", h->ratio.level * 100,
                     runs ? "bootstrap" : "cluster bootstrap", h->ratio.lo, h->ratio.hi);
        if (isfinite(h->geo.lo))
            snprintf(gci, sizeof gci, ", %g%% CI %.4g to %.4g", h->geo.level * 100, h->geo.lo,
                     h->geo.hi);
        wp_stats_p_text(h->welch_raw.p, p1, sizeof p1);
        wp_stats_p_text(h->welch.p, p2, sizeof p2);
        note(s, "Most vs least energy-intensive task (over %zu and %zu %s): %s / %s = %.4g "
                "(ratio of means%s; Welch's t-test on the %s means: t = %.3f, df = %.1f, "
                "p %s%s); ratio of geometric means %.4g%s (Welch's t-test on log10 of the %s "
                "means: t = %.3f, df = %.1f, p %s%s).", h->ratio.n_a, h->ratio.n_b, uns,
             h->most->task, h->least->task, h->ratio.ratio, ci, un, h->welch_raw.t,
             h->welch_raw.df, h->welch_raw.p < 1e-16 ? "" : "= ", p1, h->geo.ratio, gci, un,
             h->welch.t, h->welch.df, h->welch.p < 1e-16 ? "" : "= ", p2);
    }
    for (size_t i = 0; i < a->n_purpose; i++) {
        const struct wp_purpose_cmp *p = &a->purpose[i];
        char p1[32], p2[32];
        wp_stats_p_text(p->welch.p, p1, sizeof p1);
        wp_stats_p_text(p->p_holm, p2, sizeof p2);
        note(s, "%s: multi-purpose / task-specific models = %.4g (%g%% %s CI %.4g to %.4g; "
                "n = %zu and %zu %s; Welch's test on log10 of the %s means p %s%s, "
                "Holm-adjusted over %zu tasks %s).", p->task, p->ratio.ratio,
             p->ratio.level * 100, runs ? "bootstrap" : "cluster bootstrap", p->ratio.lo,
             p->ratio.hi, p->ratio.n_a, p->ratio.n_b, uns, un,
             p->welch.p < 1e-16 ? "" : "= ", p1, a->n_purpose, p2);
    }
    size_t n_eq;
    const struct wp_equiv_factor *eq = wp_stats_equiv_table(&n_eq);
    for (size_t i = 0; i < n_eq; i++)
        note(s, "Equivalent, %s: %s", eq[i].unit, eq[i].source);
}

/* Column chart of the mean per task on a log axis, below the notes. */
static void summary_chart(struct sheet *s, const struct wp_analysis *a, lxw_row_t top,
                          lxw_col_t mean_col)
{
    size_t n = a->n_groups;
    if (!n)
        return;
    struct book *b = s->b;
    for (size_t i = 0; i < n; i++)
        if (has_xml_control(a->groups[i].task)) {
            note(s, "No chart: a task name holds a control character a chart cannot show.");
            return;
        }
    lxw_chart *ch = workbook_add_chart(b->wb, LXW_CHART_COLUMN);
    if (!ch) {
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "add a chart");
        return;
    }
    lxw_chart_series *sr = chart_add_series(ch, NULL, NULL);
    if (!sr) {
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "add a chart series");
        return;
    }
    chart_series_set_categories(sr, s->name, top + 1, 0, (lxw_row_t)(top + n), 0);
    chart_series_set_values(sr, s->name, top + 1, mean_col, (lxw_row_t)(top + n), mean_col);
    chart_series_set_name_range(sr, s->name, top, mean_col);
    chart_title_set_name(ch, "Mean energy per 1,000 inferences by task");
    chart_axis_set_name(ch->y_axis, "kWh per 1,000 inferences (log scale)");
    chart_axis_set_log_base(ch->y_axis, 10);
    chart_axis_set_name(ch->x_axis, "Task");
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    lxw_chart_options opt = {.x_scale = 2.0, .y_scale = 1.6,
                             .description = "Mean energy per 1,000 inferences by task"};
    check(b, worksheet_insert_chart_opt(s->ws, s->row + 1, 0, ch, &opt), "insert a chart");
}

static void sheet_summary(struct book *b)
{
    const struct wp_analysis *a = b->in->tasks;
    struct sheet s;
    if (!add_sheet(b, &s, "Summary", a->n_groups))
        return;
    const char *ci = b->ci, *un = wp_unit_name(a->unit, 1);
    const char *bm = a->unit == WP_UNIT_RUN ? "bootstrap" : "cluster bootstrap";
    struct col cols[MAX_COLS] = {
        GC("Task", "task", COL_TEXT, 0, 0),
        GC("Runs", "runs", COL_COUNT, 0, 0),
        GC("Experiments", "experiments", COL_COUNT, 0, 0),
        GC("n (values the statistics are over)", "n", COL_COUNT, 0, 0),
        GC(hdr(b, "n of the intervals (%s)", wp_unit_name(a->unit, 2)), "n_units", COL_COUNT, 0, 0),
        GC("Mean (kWh / 1,000 inferences)", "mean_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC("SD (kWh / 1,000 inferences)", "sd_kwh_per_1k", COL_NUM, 3, 0),
        GC("SE of the mean (kWh / 1,000 inferences)", "se_kwh_per_1k", COL_NUM, 3, 0),
        GC("Median (kWh / 1,000 inferences)", "median_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC("Q1 (kWh / 1,000 inferences)", "q1_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC("Q3 (kWh / 1,000 inferences)", "q3_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC("Min (kWh / 1,000 inferences)", "min_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC("Max (kWh / 1,000 inferences)", "max_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC("Geometric mean (kWh / 1,000 inferences)", "geomean_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC(hdr(b, "Mean of the %s means, the Student t interval's centre (kWh / 1,000 inferences)", un), "unit_mean_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC(hdr(b, "%s low, Student t over %s means (kWh / 1,000 inferences)", ci, un), "ci_t_lo_kwh_per_1k", COL_CI_LO, 4, G_KWH),
        GC(hdr(b, "%s high, Student t over %s means (kWh / 1,000 inferences)", ci, un), "ci_t_hi_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC(hdr(b, "%s low, %s (kWh / 1,000 inferences)", ci, bm), "ci_boot_lo_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC(hdr(b, "%s high, %s (kWh / 1,000 inferences)", ci, bm), "ci_boot_hi_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC("Mean (g CO2eq / 1,000 inferences)", "mean_g_co2eq_per_1k", COL_NUM, 4, G_G),
        GC("SD (g CO2eq / 1,000 inferences)", "sd_g_co2eq_per_1k", COL_NUM, 3, 0),
        GC(hdr(b, "%s low, Student t over %s means (g CO2eq / 1,000 inferences)", ci, un), "ci_t_lo_g_co2eq_per_1k", COL_CI_LO, 4, G_G),
        GC(hdr(b, "%s high, Student t over %s means (g CO2eq / 1,000 inferences)", ci, un), "ci_t_hi_g_co2eq_per_1k", COL_NUM, 4, G_G),
        GC("Mean (J / inference)", "mean_j_per_inference", COL_NUM, 4, 0),
        GC("Mean (mg CO2eq / inference)", "mean_mg_co2eq_per_inference", COL_NUM, 4, 0),
        GC("GPU share of energy (%)", "gpu_share", COL_SHARE, 0, 0),
    };
    size_t n_cols = 26;
    size_t n_eq;
    const struct wp_equiv_factor *eq = wp_stats_equiv_table(&n_eq);
    for (size_t k = 0; k < n_eq && n_cols < MAX_COLS - 1; k++)
        cols[n_cols++] = (struct col){hdr(b, "Equivalent: %s per 1,000 inferences", eq[k].unit),
                                      COL_NUM, 0, 3, 0, NULL, k + 1, NULL};
    cols[n_cols++] = (struct col)GC("small n (< 3 values)", "small_n", COL_TEXT, 0, 0);
    struct table t = {"SummaryTable", cols, n_cols, a->groups, a->n_groups, sizeof *a->groups,
                      a};
    lxw_row_t top = table_sheet(&s, &t, 1);
    summary_notes(&s, a);
    /* the chart draws the mean column, wherever the table puts it */
    const struct wp_gcol *mean = wp_gcol_find("mean_kwh_per_1k");
    for (size_t c = 0; c < n_cols; c++)
        if (cols[c].gc && cols[c].gc == mean) {
            summary_chart(&s, a, top, (lxw_col_t)c);
            break;
        }
}

/* ---- Models: per model and task ------------------------------------------------------------ */

static void sheet_models(struct book *b)
{
    const struct wp_analysis *a = b->in->models;
    struct sheet s;
    if (!add_sheet(b, &s, "Models", a->n_groups))
        return;
    size_t n = a->n_groups ? a->n_groups : 1;
    int *stars = calloc(n, sizeof *stars);
    size_t *rated = calloc(n, sizeof *rated);
    double *star_v = calloc(n, sizeof *star_v), *rated_v = calloc(n, sizeof *rated_v);
    struct wp_group_table table = wp_analysis_table(a);
    if (!stars || !rated || !star_v || !rated_v ||
        wp_rating_by_task(&table, WP_STARS_EQUAL_WIDTH, stars, rated, NULL) != WP_OK) {
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "Models");
        free(stars);
        free(rated);
        free(star_v);
        free(rated_v);
        return;
    }
    for (size_t i = 0; i < a->n_groups; i++) { /* blank where not rated */
        star_v[i] = stars[i] ? stars[i] : NAN;
        rated_v[i] = rated[i] ? (double)rated[i] : NAN;
    }
    const char *ci = b->ci, *un = wp_unit_name(a->unit, 1);
    const char *bm = a->unit == WP_UNIT_RUN ? "bootstrap" : "cluster bootstrap";
    struct col cols[] = {
        GC("Task", "task", COL_TEXT, 0, 0),
        GC("Model", "model", COL_TEXT, 0, 0),
        GC("Parameters", "parameters", COL_COUNT, 0, 0),
        GC("Purpose", "purpose", COL_TEXT, 0, 0),
        GC("Runs", "runs", COL_COUNT, 0, 0),
        GC("Experiments", "experiments", COL_COUNT, 0, 0),
        GC("n (values the statistics are over)", "n", COL_COUNT, 0, 0),
        GC(hdr(b, "n of the intervals (%s)", wp_unit_name(a->unit, 2)), "n_units", COL_COUNT, 0, 0),
        GC("Mean (kWh / 1,000 inferences)", "mean_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC("SD (kWh / 1,000 inferences)", "sd_kwh_per_1k", COL_NUM, 3, 0),
        GC("Median (kWh / 1,000 inferences)", "median_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC(hdr(b, "Mean of the %s means, the Student t interval's centre (kWh / 1,000 inferences)", un), "unit_mean_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC(hdr(b, "%s low, Student t over %s means (kWh / 1,000 inferences)", ci, un), "ci_t_lo_kwh_per_1k", COL_CI_LO, 4, G_KWH),
        GC(hdr(b, "%s high, Student t over %s means (kWh / 1,000 inferences)", ci, un), "ci_t_hi_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC(hdr(b, "%s low, %s (kWh / 1,000 inferences)", ci, bm), "ci_boot_lo_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC(hdr(b, "%s high, %s (kWh / 1,000 inferences)", ci, bm), "ci_boot_hi_kwh_per_1k", COL_NUM, 4, G_KWH),
        GC("Mean (g CO2eq / 1,000 inferences)", "mean_g_co2eq_per_1k", COL_NUM, 4, G_G),
        GC(hdr(b, "%s low, Student t over %s means (g CO2eq / 1,000 inferences)", ci, un), "ci_t_lo_g_co2eq_per_1k", COL_CI_LO, 4, G_G),
        GC(hdr(b, "%s high, Student t over %s means (g CO2eq / 1,000 inferences)", ci, un), "ci_t_hi_g_co2eq_per_1k", COL_NUM, 4, G_G),
        GC("Mean (J / inference)", "mean_j_per_inference", COL_NUM, 4, 0),
        GC("Mean GPU energy (kWh / 1,000 inferences)", "gpu_kwh_per_1k", COL_NUM, 4, 0),
        {"Stars (AI Energy Score rule, 1-5, on GPU energy)", COL_COUNT, 0, 0, 0, NULL, 0, star_v},
        {"Models rated on the task", COL_COUNT, 0, 0, 0, NULL, 0, rated_v},
        GC("Training energy (kWh)", "training_kwh", COL_NUM, 4, 0),
        GC("Inferences to parity with training (count)", "parity_inferences", COL_NUM, 3, 0),
        GC("small n (< 3 values)", "small_n", COL_TEXT, 0, 0),
    };
    struct table t = {"ModelsTable", cols, sizeof cols / sizeof cols[0], a->groups, a->n_groups,
                      sizeof *a->groups, a};
    table_sheet(&s, &t, 2);
    s.row++;
    note(&s, "Stars: the AI Energy Score rule among the models of each task: the range of "
             "their mean GPU energies cut into five equal-width bins, 5 stars for the "
             "lowest; blank where a model has no GPU energy.");
    free(stars);
    free(rated);
    free(star_v);
    free(rated_v);
}

/* ---- Experiments ------------------------------------------------------------------------- */

struct exp_row {
    const char *task, *model, *dataset, *purpose, *small;
    double id, inferences, batch, params, runs;
    double mean, sd, min, max, t_lo, t_hi, g_mean, j;
};

static void sheet_experiments(struct book *b)
{
    const struct wp_experiments *x = b->in->experiments;
    struct sheet s;
    if (!add_sheet(b, &s, "Experiments", x->n))
        return;
    struct exp_row *rows = calloc(x->n ? x->n : 1, sizeof *rows);
    if (!rows) {
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "Experiments");
        return;
    }
    for (size_t i = 0; i < x->n; i++) {
        const struct wp_experiment_stats *e = &x->v[i];
        rows[i] = (struct exp_row){
            .task = e->task, .model = e->model, .dataset = e->dataset, .purpose = e->purpose,
            .small = e->n_runs < 3 ? "yes" : "", .id = (double)e->id,
            .inferences = count_or_nan(e->inferences), .batch = count_or_nan(e->batch_size),
            .params = count_or_nan(e->parameters), .runs = (double)e->n_runs,
            .mean = e->kwh.mean, .sd = e->kwh.sd, .min = e->kwh.min, .max = e->kwh.max,
            .t_lo = e->kwh_t.lo, .t_hi = e->kwh_t.hi, .g_mean = e->g.mean,
            .j = e->j_per_inference,
        };
    }
    const char *ci = b->ci;
    const struct col cols[] = {
        TXT("Task", struct exp_row, task),
        TXT("Model", struct exp_row, model),
        TXT("Dataset", struct exp_row, dataset),
        CNT("Experiment id", struct exp_row, id),
        CNT("Inferences per run", struct exp_row, inferences),
        CNT("Batch size", struct exp_row, batch),
        CNT("Parameters", struct exp_row, params),
        TXT("Purpose", struct exp_row, purpose),
        CNT("Runs", struct exp_row, runs),
        NUMG("Mean (kWh / 1,000 inferences)", struct exp_row, mean, G_KWH),
        NUM("SD (kWh / 1,000 inferences)", struct exp_row, sd, 3),
        NUMG("Min (kWh / 1,000 inferences)", struct exp_row, min, G_KWH),
        NUMG("Max (kWh / 1,000 inferences)", struct exp_row, max, G_KWH),
        CILO(hdr(b, "%s low, Student t (kWh / 1,000 inferences)", ci), struct exp_row, t_lo, G_KWH),
        NUMG(hdr(b, "%s high, Student t (kWh / 1,000 inferences)", ci), struct exp_row, t_hi, G_KWH),
        NUMG("Mean (g CO2eq / 1,000 inferences)", struct exp_row, g_mean, G_G),
        NUM("Mean (J / inference)", struct exp_row, j, 4),
        TXT("small n (< 3 runs)", struct exp_row, small),
    };
    struct table t = {"ExperimentsTable", cols, sizeof cols / sizeof cols[0], rows, x->n,
                      sizeof *rows, NULL};
    table_sheet(&s, &t, 3);
    s.row++;
    note(&s, "One row per experiment (model x task x dataset x inferences x batch size): "
             "the statistics of its runs.");
    free(rows);
}

/* ---- Runs: streamed ------------------------------------------------------------------------ */

enum run_col {
    R_ID, R_UID, R_MODEL, R_TASK, R_DATASET, R_PHASES, R_USED, R_INFERENCES, R_BATCH,
    R_PARAMS, R_STARTED, R_DURATION, R_ENERGY, R_CPU, R_GPU, R_RAM, R_EMISSIONS, R_KWH_1K,
    R_G_1K, R_INTENSITY, R_PUE, R_GPU_MODEL, R_CPU_MODEL, R_COUNTRY, R_REGION, R_TOOL,
    R_TOOL_VERSION, R_PURPOSE, R_FILE, R_LINE, R__COUNT
};

static const struct {
    const char *header, *format; /* format NULL: text */
} run_cols[R__COUNT] = {
    [R_ID] = {"Run id", "0"},
    [R_UID] = {"Run UID (as logged)", NULL},
    [R_MODEL] = {"Model", NULL},
    [R_TASK] = {"Task", NULL},
    [R_DATASET] = {"Dataset", NULL},
    [R_PHASES] = {"Phases", NULL},
    [R_USED] = {"In the statistics", NULL},
    [R_INFERENCES] = {"Inferences per run", "#,##0"},
    [R_BATCH] = {"Batch size", "#,##0"},
    [R_PARAMS] = {"Parameters", "#,##0"},
    [R_STARTED] = {"Started at (as logged)", NULL},
    [R_DURATION] = {"Duration (s)", "#,##0.00"},
    [R_ENERGY] = {"Energy (J)", "0.0000E+00"},
    [R_CPU] = {"CPU energy (J)", "0.0000E+00"},
    [R_GPU] = {"GPU energy (J)", "0.0000E+00"},
    [R_RAM] = {"RAM energy (J)", "0.0000E+00"},
    [R_EMISSIONS] = {"Emissions (g CO2eq)", "0.0000E+00"},
    [R_KWH_1K] = {"Energy (kWh / 1,000 inferences)", "0.0000E+00"},
    [R_G_1K] = {"Emissions (g CO2eq / 1,000 inferences)", "0.0000E+00"},
    [R_INTENSITY] = {"Carbon intensity (g CO2eq / kWh)", "#,##0.0"},
    [R_PUE] = {"PUE", "0.00"},
    [R_GPU_MODEL] = {"GPU", NULL},
    [R_CPU_MODEL] = {"CPU", NULL},
    [R_COUNTRY] = {"Country (ISO 3166)", NULL},
    [R_REGION] = {"Region", NULL},
    [R_TOOL] = {"Tool", NULL},
    [R_TOOL_VERSION] = {"Tool version", NULL},
    [R_PURPOSE] = {"Purpose", NULL},
    [R_FILE] = {"Source file", NULL},
    [R_LINE] = {"Line", "0"},
};

struct runs_writer {
    struct book *b;
    struct sheet s;
    lxw_format *fmt[R__COUNT];
    size_t per_sheet, rows_on_sheet, sheets;
    long long total;
};

static void finish_runs_sheet(struct runs_writer *w)
{
    struct sheet *s = &w->s;
    lxw_row_t last = s->row > 1 ? s->row - 1 : 0;
    worksheet_freeze_panes(s->ws, 1, 1);
    check(w->b, worksheet_autofilter(s->ws, 0, 0, last, R__COUNT - 1), "add an autofilter");
    char name[32];
    snprintf(name, sizeof name, w->sheets == 1 ? "RunsTable" : "RunsTable%zu", w->sheets);
    define_name(s, name, 0, 0, last, R__COUNT - 1);
    set_widths(s, R__COUNT);
}

static bool start_runs_sheet(struct runs_writer *w)
{
    char name[32];
    w->sheets++;
    snprintf(name, sizeof name, w->sheets == 1 ? "Runs" : "Runs (%zu)", w->sheets);
    if (!add_sheet(w->b, &w->s, name, WP_XLSX_MAX_RUNS_PER_SHEET))
        return false;
    struct sheet *s = &w->s;
    double lines = 1;
    for (int c = 0; c < R__COUNT; c++) {
        double len = (double)strlen(run_cols[c].header);
        s->width[c] = run_cols[c].format ? 12 : 10;
        if (strcmp(run_cols[c].format ? run_cols[c].format : "", "0.0000E+00") == 0)
            s->width[c] = 11;
        if (len / s->width[c] > lines)
            lines = ceil(len / s->width[c]);
    }
    check(w->b, worksheet_set_row(s->ws, 0, 15.0 * (lines > 4 ? 4 : lines), NULL),
          "set the header height");
    check(w->b, worksheet_repeat_rows(s->ws, 0, 0), "repeat the header row on each page");
    for (int c = 0; c < R__COUNT; c++)
        put_text(s, 0, (lxw_col_t)c, run_cols[c].header, w->b->header);
    s->row = 1;
    w->rows_on_sheet = 0;
    return true;
}

static void run_text(struct runs_writer *w, enum run_col c, const char *t)
{
    double u = put_text(&w->s, w->s.row, (lxw_col_t)c, t, NULL);
    if (u > w->s.width[c])
        w->s.width[c] = u > TEXT_WIDTH_CAP ? TEXT_WIDTH_CAP : u;
}

static void run_num(struct runs_writer *w, enum run_col c, double v)
{
    put_num(&w->s, w->s.row, (lxw_col_t)c, v, w->fmt[c]);
}

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct runs_writer *w = ctx;
    if (w->rows_on_sheet == w->per_sheet) {
        finish_runs_sheet(w);
        if (!start_runs_sheet(w))
            return 1;
    }
    double per_1k = r->inferences > 0 ? 1000.0 / (double)r->inferences : NAN;
    run_num(w, R_ID, (double)r->run_id);
    run_text(w, R_UID, r->run_uid);
    run_text(w, R_MODEL, r->model);
    run_text(w, R_TASK, r->task);
    run_text(w, R_DATASET, r->dataset);
    run_text(w, R_PHASES, r->phases);
    run_text(w, R_USED, wp_run_use_text(wp_run_use(r)));
    run_num(w, R_INFERENCES, count_or_nan(r->inferences));
    run_num(w, R_BATCH, count_or_nan(r->batch_size));
    run_num(w, R_PARAMS, count_or_nan(r->parameters));
    run_text(w, R_STARTED, r->started_at);
    run_num(w, R_DURATION, r->duration_s);
    run_num(w, R_ENERGY, r->energy_j);
    run_num(w, R_CPU, r->cpu_energy_j);
    run_num(w, R_GPU, r->gpu_energy_j);
    run_num(w, R_RAM, r->ram_energy_j);
    run_num(w, R_EMISSIONS, r->emissions_g);
    run_num(w, R_KWH_1K, r->energy_j / WP_J_PER_KWH * per_1k);
    run_num(w, R_G_1K, r->emissions_g * per_1k);
    run_num(w, R_INTENSITY, r->carbon_intensity_g_per_kwh);
    run_num(w, R_PUE, r->pue);
    run_text(w, R_GPU_MODEL, r->gpu_model);
    run_text(w, R_CPU_MODEL, r->cpu_model);
    run_text(w, R_COUNTRY, r->country_iso_code);
    run_text(w, R_REGION, r->region);
    run_text(w, R_TOOL, r->tool);
    run_text(w, R_TOOL_VERSION, r->tool_version);
    run_text(w, R_PURPOSE, r->purpose);
    run_text(w, R_FILE, r->source_file);
    run_num(w, R_LINE, (double)r->line);
    w->s.row++;
    w->rows_on_sheet++;
    w->total++;
    return w->b->err != LXW_NO_ERROR;
}

static enum wp_err sheets_runs(struct book *b, struct wp_xlsx_result *res, struct wp_diag *d)
{
    struct runs_writer w = {.b = b};
    w.per_sheet = b->in->runs_per_sheet && b->in->runs_per_sheet < WP_XLSX_MAX_RUNS_PER_SHEET
                      ? b->in->runs_per_sheet
                      : WP_XLSX_MAX_RUNS_PER_SHEET;
    for (int c = 0; c < R__COUNT; c++)
        w.fmt[c] = run_cols[c].format ? numfmt(b, run_cols[c].format) : NULL;
    if (!start_runs_sheet(&w))
        return WP_OK; /* b->err says why */
    enum wp_err e = WP_OK;
    if (b->in->runs.each)
        e = b->in->runs.each(b->in->runs.src, on_run, &w, d);
    if (b->err == LXW_NO_ERROR)
        finish_runs_sheet(&w);
    res->runs = w.total;
    res->run_sheets = w.sheets;
    res->runs_per_sheet = w.per_sheet;
    return e;
}

/* ---- Scaling -------------------------------------------------------------------------------- */

struct fit_row {
    const char *task, *small;
    double n, slope, se_slope, intercept, se_intercept, r2, resid_sd, p, rho, rho_p, without;
    double slope_lo, slope_hi, p_holm;
};

struct point_row {
    const char *task, *model;
    double params, kwh;
};

/* Series i's marker: explicit colours and shapes, since LibreOffice draws series without
 * them in one colour where Excel varies them; Okabe-Ito's 7 colours, then the next shape. */
static void series_style(lxw_chart_series *sr, size_t i)
{
    static const uint8_t shapes[] = {LXW_CHART_MARKER_CIRCLE, LXW_CHART_MARKER_SQUARE,
                                     LXW_CHART_MARKER_DIAMOND, LXW_CHART_MARKER_TRIANGLE,
                                     LXW_CHART_MARKER_X, LXW_CHART_MARKER_STAR};
    enum { N_COLOURS = 7 };
    struct wp_rgb c = wp_palette_colour(WP_PALETTE_OKABE_ITO, WP_THEME_LIGHT, i, N_COLOURS);
    lxw_color_t rgb = (lxw_color_t)lround(c.r * 255) << 16 |
                      (lxw_color_t)lround(c.g * 255) << 8 | (lxw_color_t)lround(c.b * 255);
    lxw_chart_fill fill = {.color = rgb};
    lxw_chart_line line = {.color = rgb};
    chart_series_set_marker_type(sr, shapes[i / N_COLOURS % (sizeof shapes)]);
    chart_series_set_marker_size(sr, 6);
    chart_series_set_marker_fill(sr, &fill);
    chart_series_set_marker_line(sr, &line);
}

/* Column of the points table tp that reads the field at off (tp->n_cols if none). */
static lxw_col_t col_at(const struct table *tp, size_t off)
{
    size_t c = 0;
    while (c < tp->n_cols && tp->cols[c].off != off)
        c++;
    return (lxw_col_t)c;
}

/* Log-log scatter of the points table tp (its rows from top + 1): parameters on x, the
 * experiment mean on y, a series per task, the columns found by the fields they read. */
static void scaling_chart(struct sheet *s, const struct table *tp, lxw_row_t top,
                          lxw_col_t at_col)
{
    const struct point_row *pts = tp->rows;
    size_t n = tp->n_rows;
    lxw_col_t x = col_at(tp, offsetof(struct point_row, params)),
              y = col_at(tp, offsetof(struct point_row, kwh));
    struct book *b = s->b;
    if (!n)
        return;
    for (size_t i = 0; i < n; i++)
        if (has_xml_control(pts[i].task)) {
            note(s, "No chart: a task name holds a control character a chart cannot show.");
            return;
        }
    lxw_chart *ch = workbook_add_chart(b->wb, LXW_CHART_SCATTER);
    if (!ch) {
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "add a chart");
        return;
    }
    size_t series = 0;
    for (size_t i = 0; i < n && series < MAX_SERIES;) {
        size_t j = i;
        while (j < n && strcmp(pts[j].task, pts[i].task) == 0)
            j++;
        lxw_chart_series *sr = chart_add_series(ch, NULL, NULL);
        if (!sr) {
            check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "add a chart series");
            return;
        }
        lxw_row_t r0 = (lxw_row_t)(top + 1 + i), r1 = (lxw_row_t)(top + j);
        chart_series_set_categories(sr, s->name, r0, x, r1, x);
        chart_series_set_values(sr, s->name, r0, y, r1, y);
        chart_series_set_name_range(sr, s->name, r0, 0); /* the task's cell: never a formula */
        series_style(sr, series);
        series++;
        i = j;
    }
    chart_title_set_name(ch, "Energy per 1,000 inferences vs parameters (one point per "
                             "experiment)");
    chart_axis_set_name(ch->x_axis, "Parameters (log scale)");
    chart_axis_set_name(ch->y_axis, "kWh per 1,000 inferences (log scale)");
    chart_axis_set_log_base(ch->x_axis, 10);
    chart_axis_set_log_base(ch->y_axis, 10);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_RIGHT);
    lxw_chart_options opt = {.x_scale = 2.0, .y_scale = 1.8,
                             .description = "Energy per 1,000 inferences vs parameters"};
    check(b, worksheet_insert_chart_opt(s->ws, 0, at_col, ch, &opt), "insert a chart");
}

static void sheet_scaling(struct book *b)
{
    const struct wp_analysis *a = b->in->tasks;
    const struct wp_analysis *mt = b->in->models; /* its points know their model */
    struct sheet s;
    size_t n_pts = 0;
    for (size_t i = 0; i < mt->n_groups; i++)
        n_pts += mt->groups[i].n_points;
    if (!add_sheet(b, &s, "Scaling", n_pts + a->n_scaling))
        return;
    struct fit_row *fits = calloc(a->n_scaling ? a->n_scaling : 1, sizeof *fits);
    struct point_row *pts = calloc(n_pts ? n_pts : 1, sizeof *pts);
    if (!fits || !pts) {
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "Scaling");
        free(fits);
        free(pts);
        return;
    }
    for (size_t i = 0; i < a->n_scaling; i++) {
        const struct wp_scaling *sc = &a->scaling[i];
        const struct wp_fit *f = &sc->fit;
        fits[i] = (struct fit_row){
            .task = sc->task ? sc->task : "(all tasks, slope within tasks)", .small = f->is_small ? "yes" : "",
            .n = (double)f->n, .slope = f->slope, .se_slope = f->se_slope,
            .intercept = f->intercept, .se_intercept = f->se_intercept, .r2 = f->r2,
            .resid_sd = f->resid_sd, .p = f->p_slope, .rho = f->spearman_rho,
            .rho_p = f->spearman_p, .without = (double)sc->n_runs_without_parameters,
            .slope_lo = sc->slope_lo, .slope_hi = sc->slope_hi, .p_holm = sc->p_holm,
        };
    }
    size_t m = 0; /* by task, then model: each task's points are contiguous */
    for (size_t i = 0; i < mt->n_groups; i++)
        for (size_t k = 0; k < mt->groups[i].n_points; k++) {
            const struct wp_point *p = &mt->groups[i].points[k];
            if (p->parameters > 0 && p->kwh_per_1k > 0) /* a log-log chart needs both > 0 */
                pts[m++] = (struct point_row){mt->groups[i].task, mt->groups[i].model,
                                              (double)p->parameters, p->kwh_per_1k};
        }
    const struct col fit_cols[] = {
        TXT("Task", struct fit_row, task),
        CNT(hdr(b, "n (%s with parameters)", wp_unit_name(a->unit, 2)), struct fit_row, n),
        NUMG("Slope (log10 kWh per log10 parameter)", struct fit_row, slope, G_SLOPE),
        NUMG(hdr(b, "%s of the slope, low", b->ci), struct fit_row, slope_lo, G_SLOPE),
        NUMG(hdr(b, "%s of the slope, high", b->ci), struct fit_row, slope_hi, G_SLOPE),
        NUM("SE of the slope", struct fit_row, se_slope, 3),
        NUM("Intercept (log10 kWh / 1,000 inferences)", struct fit_row, intercept, 4),
        NUM("SE of the intercept", struct fit_row, se_intercept, 3),
        NUM("R squared", struct fit_row, r2, 3),
        NUM("Residual SD (log10 kWh / 1,000 inferences)", struct fit_row, resid_sd, 3),
        NUM("p (slope, two-sided)", struct fit_row, p, 3),
        NUM("p (slope), Holm-adjusted over the tasks", struct fit_row, p_holm, 3),
        NUM("Spearman rho", struct fit_row, rho, 3),
        NUM("Spearman p", struct fit_row, rho_p, 3),
        CNT("Runs without parameters (left out)", struct fit_row, without),
        TXT(hdr(b, "small n (< 3 %s)", wp_unit_name(a->unit, 2)), struct fit_row, small),
    };
    const struct col pt_cols[] = {
        TXT("Task", struct point_row, task),
        TXT("Model", struct point_row, model),
        CNT("Parameters", struct point_row, params),
        NUMG("Experiment mean (kWh / 1,000 inferences)", struct point_row, kwh, G_KWH),
    };
    struct table tf = {"ScalingTable", fit_cols, sizeof fit_cols / sizeof fit_cols[0], fits,
                       a->n_scaling, sizeof *fits, NULL};
    struct table tp = {"ScalingPoints", pt_cols, sizeof pt_cols / sizeof pt_cols[0], pts, m,
                       sizeof *pts, NULL};
    struct plan pf, pp;
    plan_table(&s, &tf, 0, &pf);
    plan_table(&s, &tp, 0, &pp);
    write_table(&s, &tf, &pf, 0, true, 1);
    s.row++;
    note(&s, "Least squares of log10(kWh per 1,000 inferences) on log10(parameters) over one "
             "point per %s%s, per task; the last row is the slope within tasks (a term per "
             "task: the pooled slope without it would mix differences between tasks), R "
             "squared within tasks, the intercept placing the line through the grand mean. "
             "The chart shows one point per experiment.", wp_unit_name(a->unit, 1),
         a->unit == WP_UNIT_MODEL ? " (the mean over its experiments)"
         : a->unit == WP_UNIT_RUN ? " (runs taken as independent)" : "");
    s.row++;
    lxw_row_t top = write_table(&s, &tp, &pp, 0, false, 0);
    set_widths(&s, (lxw_col_t)(sizeof fit_cols / sizeof fit_cols[0]));
    scaling_chart(&s, &tp, top, (lxw_col_t)(sizeof fit_cols / sizeof fit_cols[0] + 1));
    free(fits);
    free(pts);
}

/* ---- What-if ---------------------------------------------------------------------------------- */

struct whatif_row {
    const char *task, *model;
    double n, kwh, g, whatif;
};

static void sheet_whatif(struct book *b)
{
    const struct wp_analysis *t = b->in->tasks, *mt = b->in->models;
    const struct wp_analysis_opts *o = &t->opts;
    if (isnan(o->carbon_intensity_g_per_kwh))
        return;
    struct sheet s;
    if (!add_sheet(b, &s, "What-if", t->n_groups + mt->n_groups))
        return;
    struct whatif_row *rows = calloc(t->n_groups + mt->n_groups + 1, sizeof *rows);
    if (!rows) {
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "What-if");
        return;
    }
    size_t n = 0, k = 0;
    for (size_t i = 0; i < t->n_groups; i++) {
        const struct wp_group_stats *g = &t->groups[i];
        rows[n++] = (struct whatif_row){g->task, "(all models)", (double)g->n, g->kwh.mean,
                                        g->g.mean, g->whatif_g_per_1k};
        for (; k < mt->n_groups && strcmp(mt->groups[k].task, g->task) <= 0; k++) {
            const struct wp_group_stats *h = &mt->groups[k];
            if (strcmp(h->task, g->task) == 0)
                rows[n++] = (struct whatif_row){h->task, h->model, (double)h->n, h->kwh.mean,
                                                h->g.mean, h->whatif_g_per_1k};
        }
    }
    const struct col cols[] = {
        TXT("Task", struct whatif_row, task),
        TXT("Model", struct whatif_row, model),
        CNT("n (values the statistics are over)", struct whatif_row, n),
        NUMG("Mean (kWh / 1,000 inferences)", struct whatif_row, kwh, G_KWH),
        NUMG("Mean as measured (g CO2eq / 1,000 inferences)", struct whatif_row, g, G_G),
        NUMG("Mean, what-if (g CO2eq / 1,000 inferences)", struct whatif_row, whatif, G_G),
    };
    struct table tb = {"WhatIfTable", cols, sizeof cols / sizeof cols[0], rows, n,
                       sizeof *rows, NULL};
    table_sheet(&s, &tb, 2);
    s.row++;
    double pue = isnan(o->pue) ? 1.0 : o->pue;
    const struct wp_grid *g = NULL;
    if (b->in->region && wp_stats_grid_lookup(b->in->region, &g) == WP_OK)
        note(&s, "What-if: emissions = energy x PUE %g x %g g CO2eq/kWh, the grid intensity "
                 "of %s (%s) in %d (%s); a PUE given replaces any PUE a tool applied to "
                 "its energy.", pue, o->carbon_intensity_g_per_kwh, g->country,
             g->iso3, wp_stats_grid_year(), wp_stats_grid_source());
    else
        note(&s, "What-if: emissions = energy x PUE %g x %g g CO2eq/kWh (--carbon-intensity); "
                 "a PUE given replaces any PUE a tool applied to its energy.",
             pue, o->carbon_intensity_g_per_kwh);
    note(&s, "The stored measurements are unchanged; 'as measured' is what the logs said.");
    free(rows);
}

/* ---- Provenance -------------------------------------------------------------------------------- */

struct kv_row {
    const char *field, *value;
};

struct file_row {
    const char *path, *name, *format, *sha256, *ingested_at;
    double size, rows, rejected;
};

/* The texts of the Provenance sheet's Field / Value table. */
struct prov_text {
    char schema[32], level[32], boot[96], whatif[160], runs[256], counts[256], trunc[160],
        filters[1024], modelled[2048], assumptions[2048];
    const char *basis[WP_N_COMP]; /* measured or modelled, per component */
};

static void prov_text(const struct book *b, const struct wp_xlsx_result *res,
                      struct prov_text *t)
{
    const struct wp_xlsx_input *in = b->in;
    const struct wp_analysis *a = in->tasks;
    const struct wp_analysis_opts *o = &a->opts;
    snprintf(t->schema, sizeof t->schema, "%d", in->schema_version);
    snprintf(t->level, sizeof t->level, "%g%%", o->level * 100);
    snprintf(t->boot, sizeof t->boot, "percentile, %zu resamples, seed %lu", o->boot.resamples,
             o->boot.seed);
    if (isnan(o->carbon_intensity_g_per_kwh))
        snprintf(t->whatif, sizeof t->whatif, "none (emissions as measured)");
    else
        snprintf(t->whatif, sizeof t->whatif, "%g g CO2eq/kWh%s%s, PUE %g",
                 o->carbon_intensity_g_per_kwh, in->region ? ", region " : "",
                 in->region ? in->region : "", isnan(o->pue) ? 1.0 : o->pue);
    if (res->run_sheets > 1)
        snprintf(t->runs, sizeof t->runs, "%lld runs on sheets Runs to Runs (%zu), %zu per "
                                          "sheet: the list continues on the next sheet (Excel "
                                          "holds at most %d rows below a header)",
                 res->runs, res->run_sheets, res->runs_per_sheet, WP_XLSX_MAX_RUNS_PER_SHEET);
    else
        snprintf(t->runs, sizeof t->runs, "%lld run%s on sheet Runs", res->runs,
                 res->runs == 1 ? "" : "s");
    snprintf(t->counts, sizeof t->counts, "%lld runs read; left out: %lld not labelled, %lld "
                                          "without an inference count, %lld without energy",
             a->runs_seen, a->skipped_unlabeled, a->skipped_no_inferences,
             a->skipped_no_energy);
    if (a->skipped_no_above_idle) {
        size_t k = strlen(t->counts);
        snprintf(t->counts + k, sizeof t->counts - k, ", %lld without energy above idle",
                 a->skipped_no_above_idle);
    }
    snprintf(t->trunc, sizeof t->trunc, "%zu (texts longer than Excel's %d characters per "
                                        "cell are cut; the database keeps them whole)",
             b->truncated, WP_XLSX_MAX_CELL_CHARS);
    for (int c = 0; c < WP_N_COMP; c++) {
        t->basis[c] = wp_basis_word(&a->basis, c);
        if (!t->basis[c])
            t->basis[c] = "not logged";
    }
    wp_basis_sentences(&a->basis, t->modelled, sizeof t->modelled);
    if (!*t->modelled)
        snprintf(t->modelled, sizeof t->modelled, "none marked modelled");
    wp_basis_assumptions(o->pue, &a->restate, wp_basis_any_emissions(a->groups, a->n_groups),
                         t->assumptions, sizeof t->assumptions);
    /* the whole selection, each option named even when it selects everything */
    const struct wp_run_filter *f = &o->filter;
    snprintf(t->filters, sizeof t->filters,
             "task %s, model %s, dataset %s, phase %s, where %s%s%s, unit %s, level %g%%",
             f->task ? f->task : "any", f->model ? f->model : "any",
             f->dataset ? f->dataset : "any", f->phase ? f->phase : "whole run",
             f->where_key ? f->where_key : "any", f->where_key ? "=" : "",
             f->where_key && f->where_value ? f->where_value : "", wp_unit_name(a->unit, 1),
             o->level * 100);
}

static void sheet_provenance(struct book *b, const struct wp_xlsx_result *res)
{
    const struct wp_xlsx_input *in = b->in;
    const struct wp_analysis *a = in->tasks;
    const struct wp_analysis_opts *o = &a->opts;
    struct sheet s;
    if (!add_sheet(b, &s, "Provenance", in->sources->n + 32))
        return;
    struct prov_text t;
    prov_text(b, res, &t);
    const struct kv_row kv[] = {
        {"Written by", in->tool},
        {"Spreadsheet library", "libxlsxwriter " LXW_VERSION},
        {"Command line", in->command},
        {"Database", in->db_path},
        {"Database schema version", t.schema},
        {"Newest measurement (the document date)", a->newest_measurement},
        {"Statistics over", o->over_experiments ? "experiments (each the mean of its runs)"
                                                : "runs"},
        {"Phase", o->filter.phase ? o->filter.phase : "whole run"},
        {"Selection (every sheet)", t.filters},
        {"Confidence level", t.level},
        {"Bootstrap", t.boot},
        {"What-if", t.whatif},
        {"Runs", t.runs},
        {"Runs used", t.counts},
        {"Text cells cut", t.trunc},
        {"GPU energy", t.basis[WP_COMP_GPU]},
        {"CPU energy", t.basis[WP_COMP_CPU]},
        {"RAM energy", t.basis[WP_COMP_RAM]},
        {"Modelled components", t.modelled},
        {"Assumptions", t.assumptions},
        {"Stars", "AI Energy Score rule (equal-width bins of mean GPU energy per 1,000 "
                  "inferences among a task's models)"},
    };
    struct file_row *files = calloc(in->sources->n ? in->sources->n : 1, sizeof *files);
    if (!files) {
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "Provenance");
        return;
    }
    for (size_t i = 0; i < in->sources->n; i++) {
        const struct wp_source_file *f = &in->sources->v[i];
        files[i] = (struct file_row){f->path, f->name, f->format, f->sha256, f->ingested_at,
                                     (double)f->size_bytes, (double)f->rows_ingested,
                                     (double)f->rows_rejected};
    }
    const struct col kv_cols[] = {
        TXT("Field", struct kv_row, field),
        TXT("Value", struct kv_row, value),
    };
    const struct col file_cols[] = {
        TXT("Input file (path as ingested)", struct file_row, path),
        TXT("Name", struct file_row, name),
        TXT("Format", struct file_row, format),
        TXT("SHA-256", struct file_row, sha256),
        TXT("Ingested at (UTC)", struct file_row, ingested_at),
        CNT("Size (bytes)", struct file_row, size),
        CNT("Rows ingested", struct file_row, rows),
        CNT("Rows rejected", struct file_row, rejected),
    };
    struct table tk = {"ParametersTable", kv_cols, 2, kv, sizeof kv / sizeof kv[0], sizeof kv[0], NULL};
    struct table tfl = {"InputFiles", file_cols, sizeof file_cols / sizeof file_cols[0], files,
                        in->sources->n, sizeof *files, NULL};
    struct plan pk, pf;
    plan_table(&s, &tk, 0, &pk);
    plan_table(&s, &tfl, 0, &pf);
    write_table(&s, &tk, &pk, 0, true, 1);
    s.row++;
    size_t n_eq;
    const struct wp_equiv_factor *eq = wp_stats_equiv_table(&n_eq);
    for (size_t i = 0; i < n_eq; i++)
        note(&s, "Equivalent, %s: %s", eq[i].unit, eq[i].source);
    s.row++;
    write_table(&s, &tfl, &pf, 0, false, 0);
    set_widths(&s, (lxw_col_t)(sizeof file_cols / sizeof file_cols[0]));
    free(files);
}

/* ---- the workbook ---------------------------------------------------------------------------- */

static void formats(struct book *b)
{
    b->header = workbook_add_format(b->wb);
    b->note = workbook_add_format(b->wb);
    if (!b->header || !b->note) {
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "formats");
        return;
    }
    format_set_bold(b->header);
    format_set_text_wrap(b->header);
    format_set_align(b->header, LXW_ALIGN_VERTICAL_TOP);
    format_set_bottom(b->header, LXW_BORDER_THIN);
    format_set_bg_color(b->header, 0xE8EEF4);
    format_set_italic(b->note);
}

/* The document date: the newest measurement, so the same data gives the same bytes. */
static time_t document_date(const struct wp_analysis *a)
{
    double secs;
    if (a->newest_measurement[0] && wp_iso8601_seconds(a->newest_measurement, &secs) &&
        secs > 0 && secs < 253402300800.0) /* before year 10000 */
        return (time_t)secs;
    return FALLBACK_DATE;
}

static void properties(struct book *b)
{
    char comments[512];
    snprintf(comments, sizeof comments, "Written by %s; the Provenance sheet says from what",
             b->in->tool);
    lxw_doc_properties p = {
        .title = "Energy and emissions per 1,000 inferences",
        .subject = "AI inference energy measurements: statistics, runs and provenance",
        .author = (char *)b->in->tool,
        .keywords = "energy, emissions, inference, CO2eq",
        .comments = comments,
        .created = document_date(b->in->tasks),
    };
    check(b, workbook_set_properties(b->wb, &p), "set the document properties");
}

static enum wp_err lxw_fail(struct book *b, const char *path, struct wp_diag *d)
{
    return wp_diag_set(d, b->err == LXW_ERROR_MEMORY_MALLOC_FAILED ? WP_ERR_NOMEM : WP_ERR_IO,
                       path, 0, 0, "%s: %s", b->err_what, lxw_strerror(b->err));
}

enum wp_err wp_xlsx_check_path(const char *path, struct wp_diag *d)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (dot && strcasecmp(dot, ".xlsx") == 0)
        return WP_OK;
    return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                       "%s: a workbook's file name must end in .xlsx", path);
}

enum wp_err wp_xlsx_write(const char *path, const struct wp_xlsx_input *in,
                          struct wp_xlsx_result *res, struct wp_diag *d)
{
    memset(res, 0, sizeof *res);
    enum wp_err e = wp_xlsx_check_path(path, d);
    if (e)
        return e;
    struct wp_atomic at;
    e = wp_atomic_begin(&at, path, d);
    if (e)
        return e;
    if ((e = wp_atomic_release(&at, d))) {
        wp_atomic_abort(&at);
        return e;
    }
    struct book *b = calloc(1, sizeof *b);
    char *dir = strdup(path);
    if (!b || !dir) {
        free(b);
        free(dir);
        wp_atomic_abort(&at);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    b->in = in;
    snprintf(b->ci, sizeof b->ci, "%g%% CI", in->tasks->opts.level * 100);
    /* temporary files beside the output: /tmp may be memory */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = dirname(dir),
                                .use_zip64 = in->tasks->runs_seen > 2000000};
    b->wb = workbook_new_opt(at.tmp_path, &opt);
    if (!b->wb) {
        free(b);
        free(dir);
        wp_atomic_abort(&at);
        return wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot start the workbook");
    }
    formats(b);
    properties(b);
    sheet_summary(b);
    sheet_models(b);
    sheet_experiments(b);
    e = sheets_runs(b, res, d);
    sheet_scaling(b);
    sheet_whatif(b);
    res->truncated = b->truncated;
    sheet_provenance(b, res);
    res->truncated = b->truncated;
    check(b, workbook_close(b->wb), "write the workbook");
    if (!e && b->err != LXW_NO_ERROR)
        e = lxw_fail(b, path, d);
    free(b);
    free(dir);
    if (e) {
        wp_atomic_abort(&at);
        return e;
    }
    return wp_atomic_commit(&at, d);
}
