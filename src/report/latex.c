/* LaTeX tables (see latex.h).  Each numeric column is planned first -- fixed or scientific,
 * digits before and after the point, exponent digits -- so that its siunitx table-format
 * aligns every value; then the rows are written. */
#include "report/latex.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NUM_COLS 12

void wp_latex_escape(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
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
        default: fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, out);
        }
    }
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
    const char *head1, *head2; /* two header lines (LaTeX, not escaped) */
    size_t off;                /* a double in struct wp_group_stats */
    int sig;
    bool is_count;             /* a size_t count, not a double */
    int family;                /* columns of one unit share fixed or scientific notation */
    bool is_sci, has_sign, has_exp_sign;
    int int_digits, decimals, exp_digits;
};

static double value(const struct wp_group_stats *g, const struct numcol *c)
{
    if (c->is_count) {
        size_t n;
        memcpy(&n, (const char *)g + c->off, sizeof n);
        return (double)n;
    }
    double v;
    memcpy(&v, (const char *)g + c->off, sizeof v);
    return v;
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
            double v = fabs(value(&a->groups[i], &cols[k]));
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
        double v = value(&a->groups[i], c);
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

/* The text columns the grouping has. */
static size_t label_columns(enum wp_group_by by, const char **names, size_t *offs)
{
    size_t n = 0;
    if (by == WP_BY_TASK || by == WP_BY_MODEL_TASK) {
        names[n] = "Task";
        offs[n++] = offsetof(struct wp_group_stats, task);
    }
    if (by == WP_BY_MODEL || by == WP_BY_MODEL_TASK) {
        names[n] = "Model";
        offs[n++] = offsetof(struct wp_group_stats, model);
    }
    if (by == WP_BY_DATASET) {
        names[n] = "Dataset";
        offs[n++] = offsetof(struct wp_group_stats, dataset);
    }
    if (by == WP_BY_HARDWARE) {
        names[n] = "Hardware";
        offs[n++] = offsetof(struct wp_group_stats, hardware);
    }
    return n;
}

static void default_caption(const struct wp_analysis *a, FILE *out)
{
    static const char *const by_text[] = {"task", "model", "model and task", "dataset",
                                          "hardware"};
    const struct wp_analysis_opts *o = &a->opts;
    size_t lo = SIZE_MAX, hi = 0;
    for (size_t i = 0; i < a->n_groups; i++) {
        lo = a->groups[i].n_units < lo ? a->groups[i].n_units : lo;
        hi = a->groups[i].n_units > hi ? a->groups[i].n_units : hi;
    }
    char count[48] = "";
    if (a->n_groups)
        snprintf(count, sizeof count, lo == hi ? "%zu" : "%zu to %zu", lo, hi);
    bool runs = a->unit == WP_UNIT_RUN;
    char buf[768];
    snprintf(buf, sizeof buf,
             "Energy (kWh) and emissions (g CO2eq) per 1,000 inferences by %s: mean, standard "
             "deviation and median %s (n = runs); %g%% confidence intervals of the mean over "
             "each %s's %s (%s; Student t over %s%s)%s%s.",
             by_text[o->by],
             o->over_experiments ? "over experiments, each the mean of its runs" : "over runs",
             o->level * 100, by_text[o->by], wp_unit_name(a->unit, 2), count,
             runs ? "the values" : a->unit == WP_UNIT_MODEL ? "model means" : "experiment means",
             o->boot.resamples ? (runs ? " and bootstrap percentile"
                                       : " and cluster bootstrap percentile")
                               : "",
             runs ? ", taking runs as independent" : "",
             lo < 2 ? ", none where there is one" : "");
    wp_latex_escape(out, buf);
}

enum wp_err wp_latex_table(const struct wp_analysis *a, const struct wp_latex_opts *o,
                           FILE *out, struct wp_diag *d)
{
    const struct wp_analysis_opts *ao = &a->opts;
    bool has_boot = false;
    for (size_t i = 0; i < a->n_groups; i++)
        has_boot |= isfinite(a->groups[i].kwh_boot.lo);
#define NC(h1, h2, field, digits, fam)                                                        \
    {.head1 = h1, .head2 = h2, .off = offsetof(struct wp_group_stats, field), .sig = digits,  \
     .family = fam}
    struct numcol cols[MAX_NUM_COLS] = {
        {.head1 = "{$n$}", .head2 = "{}", .off = offsetof(struct wp_group_stats, n),
         .is_count = true},
        NC("{Mean}", "{(kWh)}", kwh.mean, 4, 1),
        NC("{SD}", "{(kWh)}", kwh.sd, 3, 1),
        NC("{Median}", "{(kWh)}", kwh.median, 4, 1),
        NC(NULL, "{low}", kwh_t.lo, 4, 1),
        NC(NULL, "{high}", kwh_t.hi, 4, 1),
        NC(NULL, "{low}", kwh_boot.lo, 4, 1),
        NC(NULL, "{high}", kwh_boot.hi, 4, 1),
        NC("{Mean}", "{(g CO$_2$eq)}", g.mean, 4, 2),
    };
#undef NC
    size_t n_num = 9;
    if (!has_boot) { /* no interval to show: drop the two bootstrap columns */
        cols[6] = cols[8];
        n_num = 7;
    }
    for (int family = 1; family <= 2; family++)
        choose_notation(a, cols, n_num, family);
    for (size_t k = 0; k < n_num; k++)
        plan(a, &cols[k]);
    const char *names[4];
    size_t offs[4];
    size_t n_lab = label_columns(ao->by, names, offs);

    fprintf(out, "%% Written by %s: statistics per 1,000 inferences from the labelled runs.\n",
            o->tool ? o->tool : "wattprint");
    fputs("% Needs \\usepackage{booktabs} and \\usepackage{siunitx}.\n", out);
    fputs("\\begin{table}\n  \\centering\n  \\caption{", out);
    if (o->caption)
        wp_latex_escape(out, o->caption);
    else
        default_caption(a, out);
    fputs("}\n", out);
    if (o->label)
        fprintf(out, "  \\label{%s}\n", o->label);
    fputs("  \\begin{tabular}{@{}", out);
    for (size_t k = 0; k < n_lab; k++)
        fputs(k ? " l" : "l", out);
    for (size_t k = 0; k < n_num; k++) {
        fputc(' ', out);
        table_format(&cols[k], out);
    }
    fputs("@{}}\n    \\toprule\n    ", out);
    /* header line 1: names, the CI groups spanning two columns */
    for (size_t k = 0; k < n_lab; k++)
        fprintf(out, "%s & ", names[k]);
    size_t first_ci = n_lab + 5; /* 1-based column of the t interval's low end */
    fprintf(out, "%s & %s & %s & %s & \\multicolumn{2}{c}{%g\\,\\%% CI, $t$}", cols[0].head1,
            cols[1].head1, cols[2].head1, cols[3].head1, ao->level * 100);
    if (has_boot)
        fprintf(out, " & \\multicolumn{2}{c}{%g\\,\\%% CI, bootstrap}", ao->level * 100);
    fprintf(out, " & %s \\\\\n    \\cmidrule(lr){%zu-%zu}", cols[n_num - 1].head1, first_ci,
            first_ci + 1);
    if (has_boot)
        fprintf(out, "\\cmidrule(lr){%zu-%zu}", first_ci + 2, first_ci + 3);
    fputs("\n    ", out);
    for (size_t k = 0; k < n_lab; k++)
        fputs("{} & ", out);
    for (size_t k = 0; k < n_num; k++)
        fprintf(out, "%s%s", k ? " & " : "", cols[k].head2);
    fputs(" \\\\\n    \\midrule\n", out);
    for (size_t i = 0; i < a->n_groups; i++) {
        const struct wp_group_stats *g = &a->groups[i];
        fputs("    ", out);
        for (size_t k = 0; k < n_lab; k++) {
            const char *s;
            memcpy(&s, (const char *)g + offs[k], sizeof s);
            wp_latex_escape(out, s ? s : "");
            fputs(" & ", out);
        }
        for (size_t k = 0; k < n_num; k++) {
            char buf[48];
            double v = value(g, &cols[k]);
            if (cols[k].is_count)
                snprintf(buf, sizeof buf, "%.0f", v);
            else
                wp_latex_num(v, cols[k].sig, cols[k].is_sci, buf, sizeof buf);
            fprintf(out, "%s%s", k ? " & " : "", buf);
        }
        fputs(" \\\\\n", out);
    }
    fputs("    \\bottomrule\n  \\end{tabular}\n\\end{table}\n", out);
    if (ferror(out))
        return wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "write error");
    return WP_OK;
}
