/* Unit tests of the LaTeX tables (src/report/latex.c): escaping, numbers for S columns,
 * the table's structure, columns and layouts on hand-made analyses (that they fit is
 * compiled in tests/e2e/latex_fit.sh). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/latex.h"

static char *escaped(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    wp_latex_escape(f, s);
    fclose(f);
    return buf;
}

static void test_latex_escapes_every_special_character(void **state)
{
    (void)state;
    char *out = escaped("# $ % & ~ _ ^ \\ { } < > |");
    assert_string_equal(out, "\\# \\$ \\% \\& \\textasciitilde{} \\_ \\textasciicircum{} "
                             "\\textbackslash{} \\{ \\} \\textless{} \\textgreater{} "
                             "\\textbar{}");
    free(out);
    out = escaped("org/model-v1.0 \xc3\xa9t\xc3\xa9\nnext\tline");
    assert_string_equal(out, "org/model-v1.0 \xc3\xa9t\xc3\xa9 next line");
    free(out);
    out = escaped("\\end{tabular}\\input{/etc/passwd}");
    assert_null(strstr(out, "\\end{"));
    assert_null(strstr(out, "\\input{"));
    free(out);
}

static void test_latex_labels_are_plain(void **state)
{
    (void)state;
    assert_true(wp_latex_label_ok("tab:energy-by-task"));
    assert_true(wp_latex_label_ok("tab:a_b/c.d+1"));
    assert_false(wp_latex_label_ok(""));
    assert_false(wp_latex_label_ok("a}b"));
    assert_false(wp_latex_label_ok("a b"));
    assert_false(wp_latex_label_ok("a\\b"));
    assert_false(wp_latex_label_ok("a%b"));
}

static void test_latex_numbers_fixed_scientific_and_missing(void **state)
{
    (void)state;
    char buf[48];
    wp_latex_num(0.0029481, 4, false, buf, sizeof buf);
    assert_string_equal(buf, "0.002948");
    wp_latex_num(2.92749, 4, false, buf, sizeof buf);
    assert_string_equal(buf, "2.927");
    wp_latex_num(406.09, 4, false, buf, sizeof buf);
    assert_string_equal(buf, "406.1");
    wp_latex_num(123456.0, 3, false, buf, sizeof buf);
    assert_string_equal(buf, "123000");
    wp_latex_num(9.99996, 4, false, buf, sizeof buf);
    assert_string_equal(buf, "10.00");
    wp_latex_num(2.063e-5, 4, true, buf, sizeof buf);
    assert_string_equal(buf, "2.063e-5");
    wp_latex_num(-3.5e12, 2, true, buf, sizeof buf);
    assert_string_equal(buf, "-3.5e12");
    wp_latex_num(NAN, 4, false, buf, sizeof buf);
    assert_string_equal(buf, "{--}");
}

/* An analysis by task with two groups, by hand. */
static void two_tasks(struct wp_analysis *a, struct wp_group_stats g[2])
{
    memset(a, 0, sizeof *a);
    wp_analysis_defaults(&a->opts);
    memset(g, 0, 2 * sizeof *g);
    const char *names[2] = {"text_classification", "q&a #1 {x}"};
    double means[2] = {0.0029481, 2.92749};
    for (int i = 0; i < 2; i++) {
        g[i].task = names[i];
        g[i].n = (size_t)(10 + 90 * i);
        g[i].kwh.mean = means[i];
        g[i].kwh.sd = means[i] / 3;
        g[i].kwh.median = means[i] * 0.9;
        g[i].kwh_t = (struct wp_ci){.lo = means[i] * 0.8, .hi = means[i] * 1.2};
        g[i].kwh_boot = (struct wp_ci){.lo = means[i] * 0.85, .hi = means[i] * 1.15};
        g[i].g.mean = means[i] * 138.7;
    }
    g[1].kwh_boot.lo = g[1].kwh_boot.hi = NAN; /* skipped: printed as {--} */
    g[0].n_units = 5; /* the models of each task: the unit of the intervals */
    g[1].n_units = 6;
    a->unit = WP_UNIT_MODEL;
    a->groups = g;
    a->n_groups = 2;
}

static char *table(const struct wp_analysis *a, const struct wp_latex_opts *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(wp_latex_table(a, o, f, NULL), WP_OK);
    fclose(f);
    return buf;
}

static void test_latex_table_is_booktabs_with_s_columns(void **state)
{
    (void)state;
    struct wp_analysis a;
    struct wp_group_stats g[2];
    two_tasks(&a, g);
    /* every column: wide, so for two columns */
    struct wp_latex_opts o = {.caption = "Energy: 50% & more", .label = "tab:t", .tool = "wp",
                              .columns = WP_LATEX_COLS_ALL, .is_twocolumn = true};
    char *out = table(&a, &o);
    assert_non_null(strstr(out, "\\caption{Energy: 50\\% \\& more}"));
    assert_non_null(strstr(out, "\\label{tab:t}"));
    assert_non_null(strstr(out, "\\toprule"));
    assert_non_null(strstr(out, "\\midrule"));
    assert_non_null(strstr(out, "\\bottomrule"));
    assert_non_null(strstr(out, "\\begin{tabularx}{\\linewidth}"
                                "{@{}>{\\raggedright\\arraybackslash}X "
                                "S[table-format=3.0] S[table-format=1.6] "));
    assert_non_null(strstr(out, "\\multicolumn{2}{c}{95\\,\\% CI, $t$}"));
    assert_non_null(strstr(out, "\\multicolumn{2}{c}{95\\,\\% CI, bootstrap}"));
    assert_non_null(strstr(out, "\\cmidrule(lr){6-7}\\cmidrule(lr){8-9}"));
    assert_non_null(strstr(out, "\\footnotesize\n")); /* every column: smaller type */
    assert_non_null(strstr(out, "  text\\_classification & 10 & 0.002948 & "));
    assert_non_null(strstr(out, "  q\\&a \\#1 \\{x\\} & 100 & 2.927 & "));
    assert_non_null(strstr(out, "{--} & {--}"));
    /* one row per group between the rules, each ending with \\ */
    const char *mid = strstr(out, "\\midrule\n"), *bottom = strstr(out, "  \\bottomrule");
    assert_non_null(mid);
    assert_non_null(bottom);
    int rows = 0;
    for (const char *p = strchr(mid, '\n') + 1; p < bottom; p = strchr(p, '\n') + 1)
        rows++;
    assert_int_equal(rows, 2);
    free(out);
}

/* By default four statistics: n, the mean, its t interval and the mean emissions; the
 * header states the preamble and the layout, and the caption what is shown. */
static void test_latex_default_columns_and_stated_preamble(void **state)
{
    (void)state;
    struct wp_analysis a;
    struct wp_group_stats g[2];
    two_tasks(&a, g);
    struct wp_latex_opts o = {.tool = "wp"};
    char *out = table(&a, &o);
    assert_non_null(strstr(out, "% Preamble: \\usepackage{booktabs,siunitx,tabularx}\n"));
    assert_non_null(strstr(out, "% Layout: one table* float of 2 rows"));
    assert_non_null(strstr(out, "\\begin{table*}"));
    assert_non_null(strstr(out, "  Task & {$n$} & {Mean} & \\multicolumn{2}{c}{95\\,\\% CI, $t$} & "
                                "{Mean} \\\\\n  \\cmidrule(lr){4-5}\n"));
    assert_null(strstr(out, "bootstrap"));
    assert_null(strstr(out, "{SD}"));
    assert_non_null(strstr(out, "by task: mean over runs (n = runs); 95\\% confidence intervals of "
                                "the mean over each task's models (5 to 6; Student t over model "
                                "means)."));
    free(out);
    o.columns = WP_LATEX_COL_MEAN | WP_LATEX_COL_MEDIAN;
    out = table(&a, &o);
    assert_non_null(strstr(out, "  Task & {Mean} & {Median} \\\\\n"));
    assert_non_null(strstr(out, "Energy (kWh) per 1,000 inferences by task: mean and median over "
                                "runs (n = runs)."));
    free(out);
}

static void test_latex_columns_parse(void **state)
{
    (void)state;
    unsigned c = 0;
    assert_true(wp_latex_parse_columns("n,mean,ci,g", &c));
    assert_int_equal(c, WP_LATEX_COLS_DEFAULT);
    assert_true(wp_latex_parse_columns("all", &c));
    assert_int_equal(c, WP_LATEX_COLS_ALL);
    assert_true(wp_latex_parse_columns("boot", &c));
    assert_int_equal(c, WP_LATEX_COL_BOOT);
    assert_false(wp_latex_parse_columns("mean,,g", &c));
    assert_false(wp_latex_parse_columns("", &c));
    assert_false(wp_latex_parse_columns("mean,kwh", &c));
}

/* Many groups of models under tasks: a longtable in one column (a task's row above its
 * models, the header repeated on every page), page-sized table* floats with --twocolumn
 * that hold every row once. */
static void test_latex_long_tables_break_or_split(void **state)
{
    (void)state;
    enum { N = 120 };
    static struct wp_group_stats g[N];
    static char names[N][80];
    struct wp_analysis a;
    memset(&a, 0, sizeof a);
    wp_analysis_defaults(&a.opts);
    a.opts.by = WP_BY_MODEL_TASK;
    memset(g, 0, sizeof g);
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "org%d/a-model-with-a-rather-long-name-%03d", i % 7, i);
        g[i].task = i < N / 2 ? "text_classification" : "image_generation";
        g[i].model = names[i];
        g[i].n = 10;
        g[i].kwh.mean = 0.001 * (i + 1);
        g[i].kwh_t = (struct wp_ci){.lo = 0.0009 * (i + 1), .hi = 0.0011 * (i + 1)};
        g[i].kwh_boot = (struct wp_ci){.lo = NAN, .hi = NAN};
        g[i].g.mean = 0.1 * (i + 1);
    }
    a.groups = g;
    a.n_groups = N;
    struct wp_latex_opts o = {.tool = "wp", .label = "tab:m"};
    char *out = table(&a, &o);
    assert_non_null(strstr(out, "% Preamble: \\usepackage{booktabs,siunitx,xltabular}\n"));
    assert_non_null(strstr(out, "\\begin{xltabular}{\\linewidth}"));
    assert_non_null(strstr(out, "\\endfirsthead"));
    assert_non_null(strstr(out, "\\endhead"));
    assert_non_null(strstr(out, "latex --twocolumn"));
    assert_non_null(strstr(out, "\\multicolumn{6}{@{}l}{\\textit{text\\_classification}} \\\\\n"));
    assert_non_null(strstr(out, "\\hangindent=2em\\quad org0/\\allowbreak{}a-model"));
    assert_null(strstr(out, "table*"));
    free(out);

    o.is_twocolumn = true;
    out = table(&a, &o);
    assert_non_null(strstr(out, "% Layout (--twocolumn): 120 rows in "));
    int floats = 0, rows = 0, labels = 0;
    for (const char *p = out; (p = strstr(p, "\\begin{table*}")); p++)
        floats++;
    for (const char *p = out; (p = strstr(p, " & 10 & ")); p++)
        rows++;
    for (const char *p = out; (p = strstr(p, "\\label{tab:m}")); p++)
        labels++;
    assert_true(floats >= 3); /* 120 rows and 2 task rows in a page of 39 lines at most */
    assert_int_equal(rows, N);
    assert_int_equal(labels, 1);
    assert_non_null(strstr(out, "\\addtocounter{table}{-1}\n\\caption[]{(continued: rows "));
    assert_null(strstr(out, "longtable}"));
    assert_null(strstr(out, "xltabular"));
    free(out);
}

/* Every column leaves the names no room on a one-column page: an error that says what to
 * do, not a table wider than the page. */
static void test_latex_too_many_columns_for_one_column(void **state)
{
    (void)state;
    struct wp_analysis a;
    struct wp_group_stats g[2];
    two_tasks(&a, g);
    g[1].kwh_boot = (struct wp_ci){.lo = 1, .hi = 2};
    struct wp_latex_opts o = {.tool = "wp", .columns = WP_LATEX_COLS_ALL};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct wp_diag d = {0};
    assert_int_equal(wp_latex_table(&a, &o, f, &d), WP_ERR_USAGE);
    fclose(f);
    assert_non_null(strstr(d.msg, "one-column"));
    assert_non_null(strstr(d.msg, "--columns"));
    free(buf);
}

static void test_latex_wide_ranges_switch_to_scientific(void **state)
{
    (void)state;
    struct wp_analysis a;
    struct wp_group_stats g[2];
    two_tasks(&a, g);
    g[0].kwh.mean = 1.5e-6; /* five orders of magnitude below the other group */
    struct wp_latex_opts o = {.tool = "wp"};
    char *out = table(&a, &o);
    assert_non_null(strstr(out, "& 1.500e-6 &"));
    assert_non_null(strstr(out, "S[table-format=1.3e-1]"));
    /* a default caption says what the table is */
    assert_non_null(strstr(out, "per 1,000 inferences by task"));
    assert_null(strstr(out, "\\label"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latex_escapes_every_special_character),
        cmocka_unit_test(test_latex_labels_are_plain),
        cmocka_unit_test(test_latex_numbers_fixed_scientific_and_missing),
        cmocka_unit_test(test_latex_table_is_booktabs_with_s_columns),
        cmocka_unit_test(test_latex_wide_ranges_switch_to_scientific),
        cmocka_unit_test(test_latex_default_columns_and_stated_preamble),
        cmocka_unit_test(test_latex_columns_parse),
        cmocka_unit_test(test_latex_long_tables_break_or_split),
        cmocka_unit_test(test_latex_too_many_columns_for_one_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
