/* Unit tests of the batch spec: a valid spec, and every kind of mistake with its line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/spec.h"

static const char *write_spec(const char *text)
{
    static char path[] = "/tmp/wp_spec_XXXXXX";
    strcpy(path, "/tmp/wp_spec_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_spec_reads_reports_filters_and_outputs(void **state)
{
    (void)state;
    const char *p = write_spec("output: out/b\n"
                               "paper: letter\n"
                               "reports:\n"
                               "  - name: all\n"
                               "    title: Every task\n"
                               "  - name: tc\n"
                               "    dir: tasks/text\n"
                               "    filter: {task: text_classification, phase: query model,\n"
                               "             where: purpose=task-specific}\n"
                               "    produce: [report, latex]\n");
    struct wp_batch_spec s;
    struct wp_diag d = {0};
    assert_int_equal(wp_batch_spec_load(p, &s, &d), WP_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.output, "out/b");
    assert_string_equal(s.paper, "letter");
    assert_string_equal(s.entries[0].dir, "all");
    assert_int_equal(s.entries[0].produce, 0x3f);
    assert_string_equal(s.entries[1].task, "text_classification");
    assert_string_equal(s.entries[1].phase, "query model");
    assert_string_equal(s.entries[1].where_key, "purpose");
    assert_string_equal(s.entries[1].where_value, "task-specific");
    assert_int_equal(s.entries[1].produce, WP_PRODUCE_REPORT | WP_PRODUCE_LATEX);
    char buf[256];
    assert_int_equal(wp_batch_path(&s, &s.entries[1], "report.pdf", buf, sizeof buf, &d), WP_OK);
    assert_string_equal(buf, "out/b/tasks/text/report.pdf");
    wp_batch_spec_free(&s);
    remove(p);
}

struct bad {
    const char *text;
    long line;
    const char *phrase;
};

static void test_spec_mistakes_name_their_line(void **state)
{
    (void)state;
    static const struct bad cases[] = {
        {"reports:\n  - name: a\n    colour: red\n", 3, "unknown key \"colour\""},
        {"reports:\n  - name: a\n    dir: ../../etc\n", 3, "leaves the output root"},
        {"reports:\n  - name: a\n    dir: /tmp/x\n", 3, "leaves the output root"},
        {"reports:\n  - name: a\n    produce: [report, movie]\n", 3, "\"movie\""},
        {"reports:\n  - name: a\n    filter: {task: x, colour: y}\n", 3, "unknown key"},
        {"reports:\n  - name: a\n    filter: {where: nonsense}\n", 3, "KEY=VALUE"},
        {"reports:\n  - name: a\n  - name: a\n", 3, "used twice"},
        {"reports:\n  - title: no name\n", 2, "needs a name"},
        {"paper: a5\nreports:\n  - name: a\n", 1, "a4 or letter"},
        {"outputs: x\n", 1, "unknown key \"outputs\""},
        {"reports: [\n", 2, "YAML"},
        {"reports: []\n", 1, "at least one"},
        {"output: \"\"\nreports:\n  - name: a\n", 1, "give a folder"}, /* found by fuzzing */
        /* two reports whose files would overwrite each other's */
        {"reports:\n  - name: .\n", 2, "plain name"},
        {"reports:\n  - name: a\n    dir: x\n  - name: b\n    dir: ./x/\n", 4,
         "b: its folder \"./x/\" and a's \"x\" would hold each other's files"},
        {"reports:\n  - name: all\n    dir: .\n  - name: figures\n", 4, "would hold each other"},
        {"reports:\n  - name: a\n  - name: b\n    dir: a//exports/sci\n", 3, "would hold each other"},
        {"reports:\n  - name: a\n    dir: x/stats.json\n  - name: b\n    dir: x\n", 4,
         "would hold each other"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = write_spec(cases[i].text);
        struct wp_batch_spec s;
        struct wp_diag d = {0};
        assert_int_not_equal(wp_batch_spec_load(p, &s, &d), WP_OK);
        if (d.line != cases[i].line || !strstr(d.msg, cases[i].phrase))
            fail_msg("case %zu: line %ld, \"%s\"", i, d.line, d.msg);
        wp_batch_spec_free(&s);
        remove(p);
    }
}

/* Folders that share nothing a report writes are fine: one inside another elsewhere, or a
 * name that only starts like another's. */
static void test_spec_folders_may_nest_where_no_file_is_shared(void **state)
{
    (void)state;
    const char *specs[] = {
        "reports:\n  - name: all\n    dir: .\n  - name: text\n",
        "reports:\n  - name: a\n  - name: b\n    dir: a/other\n",
        "reports:\n  - name: a\n  - name: ab\n",
        "reports:\n  - name: a\n    dir: x/figures2\n  - name: b\n    dir: x\n",
    };
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        const char *p = write_spec(specs[i]);
        struct wp_batch_spec s;
        struct wp_diag d = {0};
        if (wp_batch_spec_load(p, &s, &d) != WP_OK)
            fail_msg("spec %zu: line %ld, \"%s\"", i, d.line, d.msg);
        assert_int_equal(s.n, 2);
        wp_batch_spec_free(&s);
        remove(p);
    }
}

/* Found by fuzzing: a second where leaked the first (check-asan catches it). */
static void test_spec_repeated_where_keeps_the_last(void **state)
{
    (void)state;
    const char *p = write_spec("reports:\n  - name: a\n    filter: {where: k=v, where: x=y}\n");
    struct wp_batch_spec s;
    struct wp_diag d = {0};
    assert_int_equal(wp_batch_spec_load(p, &s, &d), WP_OK);
    assert_string_equal(s.entries[0].where_key, "x");
    assert_string_equal(s.entries[0].where_value, "y");
    wp_batch_spec_free(&s);
    remove(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_reads_reports_filters_and_outputs),
        cmocka_unit_test(test_spec_mistakes_name_their_line),
        cmocka_unit_test(test_spec_repeated_where_keeps_the_last),
        cmocka_unit_test(test_spec_folders_may_nest_where_no_file_is_shared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
