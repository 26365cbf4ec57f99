/* Tabular output (see table.h). */
#include "cli/table.h"

#include "stats/stats.h"
#include "util/text.h"
#include "util/array.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct wp_table {
    FILE *out;
    enum wp_outfmt fmt;
    const struct wp_col *cols;
    size_t n_cols;
    long long rows;
    long long overflowed; /* infinite cells (a value past the range of a double) */
    /* table format: every cell formatted, kept until the end to measure widths */
    char **cells;
    size_t n_cells, cap_cells;
    int err;
};

struct wp_table *wp_table_new(FILE *out, enum wp_outfmt fmt, const struct wp_col *cols,
                              size_t n_cols)
{
    struct wp_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->out = out;
    t->fmt = fmt;
    t->cols = cols;
    t->n_cols = n_cols;
    if (fmt == WP_OUT_CSV) {
        for (size_t i = 0; i < n_cols; i++)
            fprintf(out, "%s%s", i ? "," : "", cols[i].name);
        fputc('\n', out);
    } else if (fmt == WP_OUT_JSON) {
        fputc('[', out);
    }
    return t;
}

/* Whether a spreadsheet that opens the CSV would take s as a formula: it starts with one of
 * = + - @ TAB CR (OWASP's list) and is not a number ("-5", "+1e3" stay numbers). */
static bool is_formula(const char *s)
{
    if (!*s || !strchr("=+-@\t\r", *s))
        return false;
    if (strspn(s, "0123456789+-.eE") != strlen(s))
        return true; /* not decimal digits: "-inf", "+0x1p3", "=1+2" */
    char *end;
    errno = 0;
    (void)strtod(s, &end);
    return end == s || *end != '\0';
}

/* A text cell: RFC 4180 quoting, and a leading ' before what would be a formula (OWASP's
 * advice against CSV injection; JSON and xlsx keep the text exact). */
static void csv_text(FILE *out, const char *s)
{
    bool formula = is_formula(s);
    if (!strpbrk(s, ",\"\r\n")) {
        if (formula)
            fputc('\'', out);
        fputs(s, out);
        return;
    }
    fputc('"', out);
    if (formula)
        fputc('\'', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* The cell as people read it: numbers with `sig` significant digits. */
static char *human(struct wp_table *t, const struct wp_col *c, const void *cell)
{
    char buf[64];
    switch (c->type) {
    case WP_COL_TEXT: /* for people: a label's control characters shown, not run */
        return wp_text_escape_controls((const char *)cell);
    case WP_COL_INT:
        snprintf(buf, sizeof buf, "%lld", *(const long long *)cell);
        return strdup(buf);
    case WP_COL_COUNT:
        if (*(const long long *)cell <= 0)
            return strdup("-");
        snprintf(buf, sizeof buf, "%lld", *(const long long *)cell);
        return strdup(buf);
    case WP_COL_BOOL:
        return strdup(*(const bool *)cell ? "yes" : "");
    case WP_COL_CI_LO:
        if (wp_ci_lo_is_cut(cell))
            return strdup("0\u2020");
        /* fall through: the value itself */
        __attribute__((fallthrough));
    default: {
        double v = c->type == WP_COL_CI_LO ? ((const struct wp_ci *)cell)->lo
                                           : *(const double *)cell;
        if (isinf(v))
            t->overflowed++;
        if (!isfinite(v))
            return strdup("-"); /* unknown or out of range: never "nan" or "inf" */
        snprintf(buf, sizeof buf, "%.*g", c->sig > 0 ? c->sig : 4, v);
        return strdup(buf);
    }
    }
}

int wp_table_row(struct wp_table *t, const void *const *cells)
{
    FILE *out = t->out;
    if (t->fmt == WP_OUT_TABLE) {
        if (WP_ARRAY_GROW(t->cells, t->n_cells + t->n_cols, t->cap_cells))
            return t->err = 1;
        for (size_t i = 0; i < t->n_cols; i++) {
            char *s = human(t, &t->cols[i], cells[i]);
            if (!s)
                return t->err = 1;
            t->cells[t->n_cells++] = s;
        }
        t->rows++;
        return 0;
    }
    if (t->fmt == WP_OUT_JSON)
        fputs(t->rows ? ",\n {" : "\n {", out);
    for (size_t i = 0; i < t->n_cols; i++) {
        const struct wp_col *c = &t->cols[i];
        if (t->fmt == WP_OUT_JSON) {
            fprintf(out, "%s\"%s\": ", i ? ", " : "", c->name);
        } else if (i) {
            fputc(',', out);
        }
        switch (c->type) {
        case WP_COL_TEXT:
            if (t->fmt == WP_OUT_JSON)
                wp_json_put_text(out, cells[i]);
            else
                csv_text(out, cells[i]);
            break;
        case WP_COL_INT:
            fprintf(out, "%lld", *(const long long *)cells[i]);
            break;
        case WP_COL_COUNT:
            if (*(const long long *)cells[i] > 0)
                fprintf(out, "%lld", *(const long long *)cells[i]);
            else if (t->fmt == WP_OUT_JSON)
                fputs("null", out);
            break;
        case WP_COL_BOOL:
            if (t->fmt == WP_OUT_JSON)
                fputs(*(const bool *)cells[i] ? "true" : "false", out);
            else
                fputs(*(const bool *)cells[i] ? "yes" : "", out);
            break;
        case WP_COL_NUM:
        case WP_COL_CI_LO: {
            double v = c->type == WP_COL_CI_LO ? ((const struct wp_ci *)cells[i])->lo
                                               : *(const double *)cells[i];
            t->overflowed += isinf(v) != 0;
            if (!isfinite(v)) /* JSON has no inf or nan */
                fputs(t->fmt == WP_OUT_JSON ? "null" : "", out);
            else
                fprintf(out, "%.17g", v);
            break;
        }
        }
    }
    fputs(t->fmt == WP_OUT_JSON ? "}" : "\n", out);
    t->rows++;
    return ferror(out) ? (t->err = 1) : 0;
}

/* Columns a cell takes on a terminal: its UTF-8 lead bytes ("0†" is two). */
static size_t cols_of(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void print_table(struct wp_table *t)
{
    size_t *w = calloc(t->n_cols, sizeof *w);
    if (!w) {
        t->err = 1;
        return;
    }
    for (size_t i = 0; i < t->n_cols; i++)
        w[i] = strlen(t->cols[i].name);
    for (size_t k = 0; k < t->n_cells; k++) {
        size_t l = cols_of(t->cells[k]);
        if (l > w[k % t->n_cols])
            w[k % t->n_cols] = l;
    }
    for (long long r = -1; r < t->rows; r++) {
        for (size_t i = 0; i < t->n_cols; i++) {
            const char *s = r < 0 ? t->cols[i].name : t->cells[(size_t)r * t->n_cols + i];
            enum wp_coltype ty = t->cols[i].type;
            bool right = ty != WP_COL_TEXT && ty != WP_COL_BOOL && r >= 0;
            bool last = i + 1 == t->n_cols;
            size_t pad = w[i] - cols_of(s);
            if (right)
                fprintf(t->out, "%*s%s%s", (int)pad, "", s, last ? "" : "  ");
            else if (last)
                fputs(s, t->out);
            else
                fprintf(t->out, "%s%*s  ", s, (int)pad, "");
        }
        fputc('\n', t->out);
    }
    free(w);
}

static int end(struct wp_table *t, bool is_member)
{
    if (t->fmt == WP_OUT_TABLE && !t->err)
        print_table(t);
    else if (t->fmt == WP_OUT_JSON)
        fputs(t->rows ? "\n]" : "]", t->out);
    if (t->fmt == WP_OUT_JSON && !is_member)
        fputc('\n', t->out);
    for (size_t i = 0; i < t->n_cells; i++)
        free(t->cells[i]);
    free(t->cells);
    int err = t->err || fflush(t->out) != 0 || ferror(t->out);
    if (t->overflowed)
        fprintf(stderr, "wattprint: warning: %lld value%s too large to compute (past the range "
                        "of a double): shown as %s\n",
                t->overflowed, t->overflowed == 1 ? " was" : "s were",
                t->fmt == WP_OUT_JSON ? "null" : t->fmt == WP_OUT_CSV ? "empty cells" : "-");
    free(t);
    return err;
}

int wp_table_end(struct wp_table *t)
{
    return end(t, false);
}

int wp_table_end_member(struct wp_table *t)
{
    return end(t, true);
}
