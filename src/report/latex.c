/* LaTeX tables (see latex.h).  Each numeric column is planned first -- fixed or scientific,
 * digits before and after the point, exponent digits -- so that its siunitx table-format
 * aligns every value; then the layout is chosen from the rows' estimated height, and the
 * rows are written.  The widths and heights below are article's at 10 pt (the tightest of
 * the classes papers use: one column 345 pt wide and 550 pt high; two columns 452 pt wide on
 * A4, 469 pt on letter); tests/e2e/latex_fit.sh compiles the tables in both and fails on an
 * overfull box or a float too large. */
#include "report/latex.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/columns.h"
#include "util/text.h"

#define MAX_NUM_COLS 12
/* The page: article at 10 pt, one column 345 pt wide (two: 452 pt on A4), 550 pt high. */
#define ONE_COLUMN_PT 345.0
#define TWO_COLUMN_PT 452.0
#define PAGE_PT 550.0
/* The sizes a table is set in: the largest that leaves its name column NAME_GOOD_CHARS (a
 * model id in two or three lines), else the smallest if it leaves NAME_MIN_CHARS.
 * Widths are measured at \small (T1, Computer Modern) and scale by `scale` (pdflatex:
 * \sbox of each header and table-format). */
/* Text in a TeX comment line: a line break or other control character would end the comment
 * and let the rest run as TeX, so each becomes a space. */
static void comment_text(FILE *out, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, out);
}

static const struct size {
    const char *cmd;
    double scale, line_pt, colsep_pt;
} sizes[] = {
    {"\\small", 1.0, 11, 4},
    {"\\footnotesize", 0.919, 9.5, 3},
    {"\\scriptsize", 0.867, 8, 2.5},
};
#define NAME_GOOD_CHARS 20
#define NAME_MIN_CHARS 12
#define CHAR_PT 4.6     /* a character of a name at \small, on average */
#define DIGIT_PT 4.625  /* siunitx at \small: a digit, */
#define POINT_PT 2.57   /* the decimal point, */
#define GROUP_PT 1.54   /* the thin space between groups of three digits (from five), */
#define SIGN_PT 7.19    /* a minus sign, */
#define EXP_PT 24.72    /* "x 10^" and one exponent digit, */
#define EXP_DIGIT_PT 3.67 /* each exponent digit or sign more */

/* Writes the character at p escaped, and returns its length in bytes.  Beyond the
 * specials: a control character (C0, DEL, C1) or U+2028/U+2029 is a space; an invisible
 * formatting character (wp_text_format_char: pdflatex has none of them and stopped at
 * "Unicode character U+202E not set up") is shown as \uXXXX, and U+FFFD, which pdflatex
 * has not either, as '?'.  In a name (is_name), a '-' or ',' before another, ` and ' are written so
 * that no ligature or curly quote changes it ("a--b" stays two hyphens, not an en dash);
 * prose keeps LaTeX's typography (the caption's "task's"). */
static size_t put_char(FILE *out, const unsigned char *p, bool is_name)
{
    unsigned cp;
    size_t n = wp_text_format_char((const char *)p, &cp);
    if (n) {
        fprintf(out, "\\textbackslash{}u%04x", cp);
        return n;
    }
    if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
        fputc(' ', out);
        return 2;
    }
    if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
        fputc(' ', out); /* line and paragraph separators */
        return 3;
    }
    if (p[0] == 0xef && p[1] == 0xbf && p[2] == 0xbd) {
        fputc('?', out);
        return 3;
    }
    switch (*p) {
    case '#': case '$': case '%': case '&': case '_': case '{': case '}':
        fputc('\\', out);
        fputc(*p, out);
        break;
    case '~': fputs("\\textasciitilde{}", out); break;
    case '^': fputs("\\textasciicircum{}", out); break;
    case '\\': fputs("\\textbackslash{}", out); break;
    case '<': fputs("\\textless{}", out); break;
    case '>': fputs("\\textgreater{}", out); break;
    case '|': fputs("\\textbar{}", out); break;
    case '`': fputs(is_name ? "\\textasciigrave{}" : "`", out); break;
    case '\'': fputs(is_name ? "\\textquotesingle{}" : "'", out); break;
    case '-': case ',':
        fputc(*p, out);
        if (is_name && p[1] == *p)
            fputs("{}", out);
        break;
    default:
        if (*p >= 0xc0) { /* a UTF-8 sequence, whole (names are valid UTF-8) */
            for (n = 1; n < 4 && (p[n] & 0xc0) == 0x80; n++)
                ;
            fwrite(p, 1, n, out);
            return n;
        }
        fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, out);
    }
    return 1;
}

void wp_latex_escape(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;)
        p += put_char(out, p, false);
}

/* A model's or a task's name, as written. */
static void escape_literal(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;)
        p += put_char(out, p, true);
}

bool wp_latex_label_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr(":.-_/+", *s)))
            return false;
    return true;
}

/* A name for the X column: escaped and, when longer than `chars` (a line of its column),
 * breakable after / _ . as well as after - (where TeX breaks by itself), and within a run
 * with no such place as long as a line, so that a long model id wraps instead of
 * overflowing. */
static void escape_name(FILE *out, const char *s, size_t chars)
{
    if (strlen(s) <= chars) {
        escape_literal(out, s);
        return;
    }
    size_t run = 0, max_run = chars * 2 / 3; /* a break is only taken where needed */
    while (*s) {
        char c = *s;
        s += put_char(out, (const unsigned char *)s, true); /* a whole character */
        bool is_break = strchr("/_.- ", c) != NULL;
        run = is_break ? 0 : run + 1;
        if (*s && ((is_break && c != '-' && c != ' ') || run >= max_run)) {
            fputs("\\allowbreak{}", out);
            run = 0;
        }
    }
}

void wp_latex_num(double x, int sig, bool is_sci, char *buf, size_t size)
{
    if (!isfinite(x)) {
        snprintf(buf, size, "{--}");
        return;
    }
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.*e", sig - 1, x); /* rounds to sig digits */
    char *e = strchr(tmp, 'e');
    int exp10 = atoi(e + 1);
    if (is_sci) {
        *e = '\0';
        snprintf(buf, size, "%se%d", tmp, exp10);
        return;
    }
    int decimals = sig - 1 - exp10;
    snprintf(buf, size, "%.*f", decimals > 0 ? decimals : 0, strtod(tmp, NULL));
}

/* A numeric column: where its value sits in a group, its digits, its layout. */
struct numcol {
    const char *head1, *head2; /* two header lines (LaTeX, not escaped); head1 NULL: the
                                  second of a pair under one spanning head1 */
    const char *span;          /* an interval pair's kind, in the head over both columns */
    double head_pt;            /* the widest of its header lines at \small (measured) */
    const struct wp_gcol *col; /* the value (stats/columns.h) */
    bool is_t_lo;              /* a t interval's lower end (kwh_t): shown by the one rule of
                                  stats.h (0 and a dagger below zero) */
    int sig;
    bool is_count;             /* a count, not a double */
    int family;                /* columns of one unit share fixed or scientific notation */
    bool is_sci, has_sign, has_exp_sign;
    int int_digits, decimals, exp_digits;
};

static double value(const struct wp_analysis *a, const struct wp_group_stats *g,
                    const struct numcol *c)
{
    if (c->is_t_lo)
        return wp_ci_lo_shown(&g->kwh_t);
    return wp_gcol_num(c->col, a->unit, g);
}

/* Whether column c of group g shows a t interval's lower end cut at 0. */
static bool is_cut(const struct wp_group_stats *g, const struct numcol *c)
{
    return c->is_t_lo && wp_ci_lo_is_cut(&g->kwh_t);
}

/* Fixed or scientific, decided for a family of columns (one unit) together so that a
 * mean and its interval look alike: scientific when the values span five orders of
 * magnitude or more, or go below 1e-4 or from 1e5 up. */
static void choose_notation(const struct wp_analysis *a, struct numcol *cols, size_t n,
                            int family)
{
    double lo = INFINITY, hi = 0;
    for (size_t k = 0; k < n; k++) {
        if (cols[k].family != family)
            continue;
        for (size_t i = 0; i < a->n_groups; i++) {
            double v = fabs(value(a, &a->groups[i], &cols[k]));
            if (isfinite(v) && v > 0) {
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
        }
    }
    bool is_sci = hi > 0 && (hi / lo >= 1e5 || lo < 1e-4 || hi >= 1e5);
    for (size_t k = 0; k < n; k++)
        if (cols[k].family == family)
            cols[k].is_sci = is_sci && !cols[k].is_count;
}

/* The widest parts of a column's printed values, for its table-format. */
static void plan(const struct wp_analysis *a, struct numcol *c)
{
    c->int_digits = 1;
    for (size_t i = 0; i < a->n_groups; i++) {
        char buf[48];
        double v = value(a, &a->groups[i], c);
        if (!isfinite(v))
            continue;
        if (c->is_count)
            snprintf(buf, sizeof buf, "%.0f", v);
        else
            wp_latex_num(v, c->sig, c->is_sci, buf, sizeof buf);
        const char *p = buf;
        if (*p == '-') {
            c->has_sign = true;
            p++;
        }
        int n_int = (int)strcspn(p, ".e");
        c->int_digits = n_int > c->int_digits ? n_int : c->int_digits;
        const char *dot = strchr(p, '.');
        const char *e = strchr(p, 'e');
        int n_dec = dot ? (int)((e ? e : p + strlen(p)) - dot - 1) : 0;
        c->decimals = n_dec > c->decimals ? n_dec : c->decimals;
        if (e) {
            c->has_exp_sign |= e[1] == '-';
            int n_exp = (int)strlen(e + 1 + (e[1] == '-'));
            c->exp_digits = n_exp > c->exp_digits ? n_exp : c->exp_digits;
        }
    }
}

static void table_format(const struct numcol *c, FILE *out)
{
    fprintf(out, "S[table-format=%s%d.%d", c->has_sign ? "-" : "", c->int_digits, c->decimals);
    if (c->is_sci)
        fprintf(out, "e%s%d", c->has_exp_sign ? "-" : "", c->exp_digits ? c->exp_digits : 1);
    fputc(']', out);
}

/* The name column of the grouping (the X column), and whether tasks head groups of rows
 * (by model and task: the model in the column, its task on a row of its own above). */
static const char *name_column(enum wp_group_by by, const struct wp_gcol **col,
                               bool *has_task_rows)
{
    *has_task_rows = by == WP_BY_MODEL_TASK;
    switch (by) {
    case WP_BY_TASK: *col = wp_gcol_find("task"); return "Task";
    case WP_BY_DATASET: *col = wp_gcol_find("dataset"); return "Dataset";
    case WP_BY_HARDWARE: *col = wp_gcol_find("hardware"); return "Hardware";
    case WP_BY_MODEL:
    case WP_BY_MODEL_TASK:
    case WP_BY_MODEL_HARDWARE: break;
    }
    *col = wp_gcol_find("model");
    return "Model";
}

/* A text column's value ("" where the group has none). */
static const char *field(const struct wp_analysis *a, const struct wp_group_stats *g,
                         const struct wp_gcol *col)
{
    return wp_gcol_get(col, a->unit, g).text;
}

static const struct {
    const char *name;
    unsigned bit;
} column_names[] = {
    {"n", WP_LATEX_COL_N},       {"mean", WP_LATEX_COL_MEAN}, {"sd", WP_LATEX_COL_SD},
    {"median", WP_LATEX_COL_MEDIAN}, {"ci", WP_LATEX_COL_CI}, {"boot", WP_LATEX_COL_BOOT},
    {"g", WP_LATEX_COL_G},       {"all", WP_LATEX_COLS_ALL},
};

bool wp_latex_parse_columns(const char *list, unsigned *out)
{
    unsigned bits = 0;
    for (const char *p = list;; p++) {
        size_t len = strcspn(p, ",");
        bool found = false;
        for (size_t i = 0; i < sizeof column_names / sizeof column_names[0]; i++)
            if (strlen(column_names[i].name) == len && strncmp(p, column_names[i].name, len) == 0) {
                bits |= column_names[i].bit;
                found = true;
            }
        if (!found)
            return false;
        p += len;
        if (!*p)
            break;
    }
    *out = bits;
    return true;
}

/* What the caption says the columns are: the selected statistics, in order. */
static void default_caption(const struct wp_analysis *a, unsigned cols, bool has_boot, FILE *out)
{
    static const char *const by_text[] = {"task", "model", "model and task", "dataset",
                                          "hardware"};
    const struct wp_analysis_opts *o = &a->opts;
    /* the units the intervals are over, and how many each group has */
    size_t lo = SIZE_MAX, hi = 0;
    for (size_t i = 0; i < a->n_groups; i++) {
        lo = a->groups[i].n_units < lo ? a->groups[i].n_units : lo;
        hi = a->groups[i].n_units > hi ? a->groups[i].n_units : hi;
    }
    char count[48] = "";
    if (a->n_groups)
        snprintf(count, sizeof count, lo == hi ? "%zu" : "%zu to %zu", lo, hi);
    bool runs = a->unit == WP_UNIT_RUN;
    const char *parts[3];
    size_t n = 0;
    if (cols & WP_LATEX_COL_MEAN)
        parts[n++] = "mean";
    if (cols & WP_LATEX_COL_SD)
        parts[n++] = "standard deviation";
    if (cols & WP_LATEX_COL_MEDIAN)
        parts[n++] = "median";
    char what[160] = "";
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(what);
        snprintf(what + len, sizeof what - len, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ",
                 parts[i]);
    }
    char ci[400] = "";
    bool has_t = cols & WP_LATEX_COL_CI, has_b = has_boot && (cols & WP_LATEX_COL_BOOT);
    if (has_t || has_b)
        snprintf(ci, sizeof ci,
                 "%s%g%% confidence intervals of the mean over each %s's %s (%s; %s%s%s)%s%s",
                 n ? "; " : "", o->level * 100, by_text[o->by], wp_unit_name(a->unit, 2), count,
                 !has_t ? ""
                 : runs ? "Student t over the values"
                 : a->unit == WP_UNIT_MODEL ? "Student t over model means"
                                            : "Student t over experiment means",
                 has_t && has_b ? " and " : "",
                 !has_b ? "" : runs ? "bootstrap percentile" : "cluster bootstrap percentile",
                 runs ? ", taking runs as independent" : "", lo < 2 ? ", none where there is one" : "");
    char buf[768];
    snprintf(buf, sizeof buf, "%s per 1,000 inferences by %s: %s%s%s%s.",
             cols & WP_LATEX_COL_G ? "Energy (kWh) and emissions (g CO2eq)" : "Energy (kWh)",
             by_text[o->by], what, n ? " " : "",
             n ? (o->over_experiments ? "over experiments, each the mean of its runs (n = runs)"
                                      : "over runs (n = runs)")
               : "",
             ci);
    wp_latex_escape(out, buf);
}

/* The numeric columns the selection shows, planned over every group. */
static size_t numeric_columns(const struct wp_analysis *a, unsigned sel, bool has_boot,
                              struct numcol *cols)
{
    /* the shared columns (stats/columns.h) by name, with their LaTeX heads */
    static const struct {
        unsigned bit;
        const char *name;
        const char *head1, *head2;
        double head_pt;
        int family;
        bool is_t_lo;
    } all[] = {
        {WP_LATEX_COL_N, "n", "{$n$}", "{}", 9.3, 0, false},
        {WP_LATEX_COL_MEAN, "mean_kwh_per_1k", "{Mean}", "{(kWh)}", 25.9, 1, false},
        {WP_LATEX_COL_SD, "sd_kwh_per_1k", "{SD}", "{(kWh)}", 25.9, 1, false},
        {WP_LATEX_COL_MEDIAN, "median_kwh_per_1k", "{Median}", "{(kWh)}", 30.1, 1, false},
        {WP_LATEX_COL_CI, "ci_t_lo_kwh_per_1k", "{low}", "{low}", 13.6, 1, true},
        {WP_LATEX_COL_CI, "ci_t_hi_kwh_per_1k", NULL, "{high}", 17.5, 1, false},
        {WP_LATEX_COL_BOOT, "ci_boot_lo_kwh_per_1k", "{low}", "{low}", 13.6, 1, false},
        {WP_LATEX_COL_BOOT, "ci_boot_hi_kwh_per_1k", NULL, "{high}", 17.5, 1, false},
        {WP_LATEX_COL_G, "mean_g_co2eq_per_1k", "{Mean}", "{(g CO$_2$eq)}", 41.9, 2, false},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (!(sel & all[i].bit) || (all[i].bit == WP_LATEX_COL_BOOT && !has_boot))
            continue;
        const struct wp_gcol *col = wp_gcol_find(all[i].name);
        cols[n] = (struct numcol){.head1 = all[i].head1, .head2 = all[i].head2,
                                  .head_pt = all[i].head_pt, .col = col, .sig = col->sig,
                                  .is_count = col->kind == WP_GCOL_COUNT,
                                  .family = all[i].family, .is_t_lo = all[i].is_t_lo};
        if (all[i].bit == WP_LATEX_COL_CI && cols[n].head1)
            cols[n].span = "$t$";
        if (all[i].bit == WP_LATEX_COL_BOOT && cols[n].head1)
            cols[n].span = "bootstrap";
        n++;
    }
    for (int family = 1; family <= 2; family++)
        choose_notation(a, cols, n, family);
    for (size_t k = 0; k < n; k++)
        plan(a, &cols[k]);
    return n;
}

struct layout {
    const struct wp_analysis *a;
    const struct wp_latex_opts *o;
    struct numcol cols[MAX_NUM_COLS];
    size_t n_num;
    const char *name_head;
    const struct wp_gcol *name_col, *task_col;
    bool has_task_rows;
    unsigned sel;
    bool has_boot;
    bool has_cut;              /* a t interval's lower end shown as 0 (the note says why) */
    const struct size *size;   /* the font size the table is set in */
    size_t chars;              /* characters of a name to a line of its column */
};

/* Width of a numeric column's numbers at \small, from its table-format. */
static double number_pt(const struct numcol *c)
{
    int groups = (c->int_digits >= 5 ? (c->int_digits - 1) / 3 : 0) +
                 (c->decimals >= 5 ? (c->decimals - 1) / 3 : 0);
    double pt = (c->int_digits + c->decimals) * DIGIT_PT + (c->decimals ? POINT_PT : 0) +
                groups * GROUP_PT + (c->has_sign ? SIGN_PT : 0);
    if (c->is_sci)
        pt += EXP_PT + EXP_DIGIT_PT * ((c->exp_digits ? c->exp_digits : 1) - 1 + c->has_exp_sign);
    return pt;
}

static double column_pt(const struct numcol *c)
{
    return number_pt(c) > c->head_pt ? number_pt(c) : c->head_pt;
}

/* The largest size that leaves the name column NAME_GOOD_CHARS on a line `width_pt` wide
 * (else the smallest, if it leaves NAME_MIN_CHARS), and how many characters of a name then
 * fill a line; false when none does. */
static bool choose_size(struct layout *L, double width_pt)
{
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const struct size *z = &sizes[i];
        double w = 0; /* at \small, but the column separation at this size */
        for (size_t k = 0; k < L->n_num; k++) {
            const struct numcol *c = &L->cols[k];
            double pt = column_pt(c);
            if (c->span) { /* a pair under one head: "95 % CI, bootstrap" is 76.4 pt */
                double span_pt = strcmp(c->span, "bootstrap") == 0 ? 76.4 : 40.6;
                pt += column_pt(&c[1]);
                if (pt + 2 * z->colsep_pt / z->scale < span_pt)
                    pt = span_pt - 2 * z->colsep_pt / z->scale;
                w += 2 * z->colsep_pt;
                k++;
            }
            w += pt * z->scale + 2 * z->colsep_pt;
        }
        double name_pt = width_pt - w, char_pt = CHAR_PT * z->scale;
        L->size = z;
        L->chars = name_pt > 0 ? (size_t)(name_pt / char_pt) : 0;
        if (L->chars >= NAME_GOOD_CHARS)
            return true;
    }
    return L->chars >= NAME_MIN_CHARS;
}

/* Lines of rows a float of a page holds at the table's size: the page less the caption
 * (up to four lines), the two header lines, the rules and the float's separation. */
static size_t float_lines(const struct layout *L)
{
    return (size_t)((PAGE_PT - 40) / L->size->line_pt) - 7;
}

static void col_spec(const struct layout *L, FILE *out)
{
    fputs("{@{}>{\\raggedright\\arraybackslash}X", out);
    for (size_t k = 0; k < L->n_num; k++) {
        fputc(' ', out);
        table_format(&L->cols[k], out);
    }
    fputs("@{}}\n", out);
}

/* The two header lines between \toprule and \midrule. */
static void header(const struct layout *L, FILE *out)
{
    double pct = L->a->opts.level * 100;
    fputs("  \\toprule\n  ", out);
    fputs(L->has_task_rows ? "Task, model" : L->name_head, out);
    for (size_t k = 0; k < L->n_num; k++) {
        const struct numcol *c = &L->cols[k];
        if (c->span) {
            fprintf(out, " & \\multicolumn{2}{c}{%g\\,\\%% CI, %s}", pct, c->span);
            k++;
        } else {
            fprintf(out, " & %s", c->head1);
        }
    }
    fputs(" \\\\\n  ", out);
    bool has_rule = false;
    for (size_t k = 0; k < L->n_num; k++)
        if (L->cols[k].span) {
            fprintf(out, "\\cmidrule(lr){%zu-%zu}", k + 2, k + 3);
            has_rule = true;
        }
    if (has_rule)
        fputs("\n  ", out);
    fputs("{}", out);
    for (size_t k = 0; k < L->n_num; k++)
        fprintf(out, " & %s", L->cols[k].head2);
    fputs(" \\\\\n  \\midrule\n", out);
}

static void task_row(const struct layout *L, const struct wp_group_stats *g, FILE *out)
{
    fprintf(out, "  \\multicolumn{%zu}{@{}l}{\\textit{", L->n_num + 1);
    escape_literal(out, g->task ? g->task : "");
    fputs("}} \\\\\n", out);
}

/* Rows [from, to): each group's name and numbers, a task's row above its first model. */
static void rows(const struct layout *L, size_t from, size_t to, FILE *out)
{
    for (size_t i = from; i < to; i++) {
        const struct wp_group_stats *g = &L->a->groups[i];
        if (L->has_task_rows &&
            (i == from || strcmp(field(L->a, g, L->task_col),
                                 field(L->a, g - 1, L->task_col)) != 0))
            task_row(L, g, out);
        const char *name = field(L->a, g, L->name_col);
        fputs("  ", out);
        if (strlen(name) > L->chars) /* wrapped: its next lines indented under the first */
            fputs(L->has_task_rows ? "\\hangindent=2em" : "\\hangindent=1em", out);
        fputs(L->has_task_rows ? "\\quad " : strlen(name) > L->chars ? " " : "", out);
        escape_name(out, name, L->chars);
        for (size_t k = 0; k < L->n_num; k++) {
            char buf[48];
            double v = value(L->a, g, &L->cols[k]);
            if (L->cols[k].is_count)
                snprintf(buf, sizeof buf, "%.0f", v);
            else
                wp_latex_num(v, L->cols[k].sig, L->cols[k].is_sci, buf, sizeof buf);
            if (is_cut(g, &L->cols[k])) /* braced: text to siunitx, the dagger outside */
                fputs(" & {0\\rlap{\\textsuperscript{\\dag}}}", out);
            else
                fprintf(out, " & %s", buf);
        }
        fputs(" \\\\\n", out);
    }
}

/* Lines a name of `len` characters takes with `chars` to a line: a wrapped line breaks
 * only at - / _ . (so it is filled to two thirds, say) and the next ones hang 2 em in. */
static size_t name_lines(size_t len, size_t chars)
{
    if (len <= chars)
        return 1;
    size_t first = chars * 2 / 3, next = chars > 6 ? (chars - 4) * 2 / 3 : 1;
    return 1 + (len - first + next - 1) / next;
}

/* Estimated lines of rows [from, to) with `chars` characters of a name to a line. */
static size_t lines(const struct layout *L, size_t from, size_t to, size_t chars)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        const struct wp_group_stats *g = &L->a->groups[i];
        n += name_lines(strlen(field(L->a, g, L->name_col)) + (L->has_task_rows ? 2 : 0), chars);
        if (L->has_task_rows &&
            (i == from || strcmp(field(L->a, g, L->task_col),
                                 field(L->a, g - 1, L->task_col)) != 0))
            n++;
    }
    return n;
}

static void caption(const struct layout *L, FILE *out)
{
    fputs("\\caption{", out);
    if (L->o->caption)
        wp_latex_escape(out, L->o->caption);
    else
        default_caption(L->a, L->sel, L->has_boot, out);
    if (L->has_cut) {
        fputs(" \\textsuperscript{\\dag}\\,", out);
        wp_latex_escape(out, WP_CI_CUT_NOTE);
    }
    fputc('}', out);
    if (L->o->label)
        fprintf(out, "\\label{%s}", L->o->label);
}

/* A table* of rows [from, to); part > 0: a continuation of the same table. */
static void float_table(const struct layout *L, size_t from, size_t to, size_t part, FILE *out)
{
    fprintf(out, "\\begin{table*}\n\\centering\n%s\n\\setlength{\\tabcolsep}{%gpt}\n",
            L->size->cmd, L->size->colsep_pt);
    if (part) {
        fprintf(out, "\\addtocounter{table}{-1}\n\\caption[]{(continued: rows %zu--%zu of %zu)}\n",
                from + 1, to, L->a->n_groups);
    } else {
        caption(L, out);
        fputc('\n', out);
    }
    fputs("\\begin{tabularx}{\\linewidth}", out);
    col_spec(L, out);
    header(L, out);
    rows(L, from, to, out);
    fputs("  \\bottomrule\n\\end{tabularx}\n\\end{table*}\n", out);
}

/* Every row in a longtable (xltabular: its X column) that breaks across pages. */
static void long_table(const struct layout *L, FILE *out)
{
    fprintf(out, "\\begingroup\n%s\n\\setlength{\\tabcolsep}{%gpt}\n"
                 "\\begin{xltabular}{\\linewidth}", L->size->cmd, L->size->colsep_pt);
    col_spec(L, out);
    caption(L, out);
    fputs(" \\\\\n", out);
    header(L, out);
    fputs("  \\endfirsthead\n", out);
    fprintf(out, "  \\multicolumn{%zu}{@{}l}{\\tablename~\\thetable{} (continued)} \\\\\n",
            L->n_num + 1);
    header(L, out);
    fputs("  \\endhead\n  \\bottomrule\n  \\endlastfoot\n", out);
    rows(L, 0, L->a->n_groups, out);
    fputs("\\end{xltabular}\n\\endgroup\n", out);
}

enum wp_err wp_latex_table(const struct wp_analysis *a, const struct wp_latex_opts *o,
                           FILE *out, struct wp_diag *d)
{
    struct layout L = {.a = a, .o = o, .sel = o->columns ? o->columns : WP_LATEX_COLS_DEFAULT};
    for (size_t i = 0; i < a->n_groups; i++)
        L.has_boot |= isfinite(a->groups[i].kwh_boot.lo);
    L.n_num = numeric_columns(a, L.sel, L.has_boot, L.cols);
    for (size_t i = 0; i < a->n_groups; i++)
        for (size_t k = 0; k < L.n_num; k++)
            L.has_cut |= is_cut(&a->groups[i], &L.cols[k]);
    L.name_head = name_column(a->opts.by, &L.name_col, &L.has_task_rows);
    L.task_col = wp_gcol_find("task");
    double width_pt = o->is_twocolumn ? TWO_COLUMN_PT : ONE_COLUMN_PT;
    if (!choose_size(&L, width_pt))
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                           "%zu numeric columns leave no room for the names on a %s page, even "
                           "in \\scriptsize: pick fewer with --columns%s", L.n_num,
                           o->is_twocolumn ? "two-column" : "one-column",
                           o->is_twocolumn ? "" : ", or write for two columns (--twocolumn)");
    size_t n = a->n_groups, page = float_lines(&L);
    bool fits_page = lines(&L, 0, n, L.chars) <= page;

    fprintf(out, "%% Written by %s: statistics per 1,000 inferences from the labelled runs.\n",
            o->tool ? o->tool : "wattprint");
    /* which runs, so that a table read alone says it */
    const struct wp_run_filter *f = &a->opts.filter;
    fputs("% Selection: phase ", out);
    comment_text(out, f->phase ? f->phase : "whole run");
    fputs("; where ", out);
    comment_text(out, f->where_key ? f->where_key : "any");
    if (f->where_key) {
        fputc('=', out);
        comment_text(out, f->where_value ? f->where_value : "");
    }
    fputc('\n', out);
    if (fits_page || o->is_twocolumn)
        fputs("% Preamble: \\usepackage{booktabs,siunitx,tabularx}\n", out);
    else
        fputs("% Preamble: \\usepackage{booktabs,siunitx,xltabular}\n", out);
    if (o->is_twocolumn) {
        /* as few page-sized floats as hold every row, the rows shared out evenly, each
         * float checked against the lines of a page */
        size_t parts = 1;
        for (;; parts++) {
            bool ok = true;
            for (size_t p = 0, from = 0; p < parts && ok; p++) {
                size_t to = n * (p + 1) / parts;
                ok = lines(&L, from, to, L.chars) <= page;
                from = to;
            }
            if (ok || parts >= n)
                break;
        }
        fprintf(out, "%% Layout (--twocolumn): %zu rows in %zu table* float%s of at most a page, "
                     "across both columns\n%% of a two-column paper (longtable cannot run "
                     "there), numbered as one table.\n", n, parts, parts == 1 ? "" : "s");
        for (size_t p = 0, from = 0; p < parts; p++) {
            size_t to = n * (p + 1) / parts;
            float_table(&L, from, to, p, out);
            from = to;
        }
    } else if (fits_page) {
        fprintf(out, "%% Layout: one table* float of %zu rows: a page-wide table in a one-column "
                     "document,\n%% across both columns of a two-column paper.\n", n);
        float_table(&L, 0, n, 0, out);
    } else {
        fprintf(out, "%% Layout: a longtable (xltabular) of %zu rows that breaks across pages, for "
                     "a one-column\n%% document; longtable cannot run in two columns: for a "
                     "two-column paper write the table\n%% with `wattprint latex --twocolumn`.\n",
                n);
        long_table(&L, out);
    }
    if (ferror(out))
        return wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "write error");
    return WP_OK;
}
