/* Unit tests of the LaTeX tables (src/report/latex.c): escaping, numbers for S columns,
 * the table's structure on a hand-made analysis. */
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
    struct wp_latex_opts o = {.caption = "Energy: 50% & more", .label = "tab:t", .tool = "wp"};
    char *out = table(&a, &o);
    assert_non_null(strstr(out, "\\caption{Energy: 50\\% \\& more}"));
    assert_non_null(strstr(out, "\\label{tab:t}"));
    assert_non_null(strstr(out, "\\toprule"));
    assert_non_null(strstr(out, "\\midrule"));
    assert_non_null(strstr(out, "\\bottomrule"));
    assert_non_null(strstr(out, "\\begin{tabular}{@{}l S[table-format=3.0] "
                                "S[table-format=1.6] "));
    assert_non_null(strstr(out, "\\multicolumn{2}{c}{95\\,\\% CI, $t$}"));
    assert_non_null(strstr(out, "    text\\_classification & 10 & 0.002948 & "));
    assert_non_null(strstr(out, "    q\\&a \\#1 \\{x\\} & 100 & 2.927 & "));
    assert_non_null(strstr(out, "{--} & {--}"));
    /* one row per group between the rules, each ending with \\ */
    const char *mid = strstr(out, "\\midrule\n"), *bottom = strstr(out, "    \\bottomrule");
    assert_non_null(mid);
    assert_non_null(bottom);
    int rows = 0;
    for (const char *p = strchr(mid, '\n') + 1; p < bottom; p = strchr(p, '\n') + 1)
        rows++;
    assert_int_equal(rows, 2);
    free(out);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
