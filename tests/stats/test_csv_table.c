/* Unit tests of the CSV table loop (src/stats/csv_table.c) that the reference values and
 * the leaderboard snapshots are read with: the header once, then rows that have every
 * column, a short row refused with its line, an empty file said so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "stats/csv_table.h"

struct got {
    long col[2];
    int headers, rows;
    char last[32];
};

static enum wp_err header(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct got *g = ctx;
    g->headers++;
    for (size_t i = 0; i < rec->n; i++) {
        if (strcmp(rec->fields[i], "a") == 0)
            g->col[0] = (long)i;
        if (strcmp(rec->fields[i], "b") == 0)
            g->col[1] = (long)i;
    }
    return g->col[0] < 0 ? wp_diag_set(d, WP_ERR_PARSE, NULL, rec->line, 0, "no a") : WP_OK;
}

static enum wp_err row(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    (void)d;
    struct got *g = ctx;
    g->rows++;
    snprintf(g->last, sizeof g->last, "%s", rec->fields[g->col[1]]);
    return WP_OK;
}

static enum wp_err read_text(const char *text, struct got *g, bool *has_header,
                             struct wp_diag *d)
{
    char path[] = "/tmp/wp-test-csv-table.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (long)strlen(text));
    close(fd);
    *g = (struct got){.col = {-1, -1}};
    struct wp_csv_table t = {path, header, row, g, g->col, 2};
    enum wp_err e = wp_csv_table_read(&t, has_header, d);
    unlink(path);
    return e;
}

static void test_csv_table_reads_the_header_once_then_the_rows(void **state)
{
    (void)state;
    struct got g;
    bool has_header;
    struct wp_diag d = {0};
    assert_int_equal(read_text("x,b,a\n1,2,3\n4,5,6\n", &g, &has_header, &d), WP_OK);
    assert_true(has_header);
    assert_int_equal(g.headers, 1);
    assert_int_equal(g.rows, 2);
    assert_string_equal(g.last, "5");
}

static void test_csv_table_refuses_a_short_row_and_a_bad_header(void **state)
{
    (void)state;
    struct got g;
    bool has_header;
    struct wp_diag d = {0};
    assert_int_equal(read_text("a,b\n1,2\n3\n", &g, &has_header, &d), WP_ERR_PARSE);
    assert_string_equal(d.msg, "too few fields");
    assert_int_equal(d.line, 3);
    assert_int_equal(g.rows, 1);
    d = (struct wp_diag){0};
    assert_int_equal(read_text("x,b\n1,2\n", &g, &has_header, &d), WP_ERR_PARSE);
    assert_string_equal(d.msg, "no a");
    assert_int_equal(g.rows, 0);
}

static void test_csv_table_empty_file_has_no_header(void **state)
{
    (void)state;
    struct got g;
    bool has_header = true;
    struct wp_diag d = {0};
    assert_int_equal(read_text("", &g, &has_header, &d), WP_OK);
    assert_false(has_header);
    assert_int_equal(g.headers, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_table_reads_the_header_once_then_the_rows),
        cmocka_unit_test(test_csv_table_refuses_a_short_row_and_a_bad_header),
        cmocka_unit_test(test_csv_table_empty_file_has_no_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
