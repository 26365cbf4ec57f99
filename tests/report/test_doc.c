/* Unit tests of the PDF document engine: pages, contents, tables that continue with their
 * header, figures, metadata, and the same bytes twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/doc.h"

static enum wp_err box(cairo_t *cr, double w, double h, void *ctx, struct wp_diag *d)
{
    (void)ctx;
    (void)d;
    cairo_set_source_rgb(cr, 0.0, 0.45, 0.70);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_fill(cr);
    return WP_OK;
}

static enum wp_err build(struct wp_doc *doc, void *ctx, struct wp_diag *d)
{
    (void)ctx;
    (void)d;
    const char *lines[] = {"Organisation: Test &amp; Co"};
    wp_doc_title_page(doc, "A test report", "with a subtitle", lines, 1);
    wp_doc_contents(doc);
    wp_doc_heading(doc, 1, "Summary");
    wp_doc_para(doc, "Plain text with <b>bold</b> words.");
    wp_doc_heading(doc, 2, "Details");
    static const struct wp_doc_col cols[] = {
        {"<b>row</b>", 0.5, WP_LEFT}, {"<b>value (kWh)</b>", 0.5, WP_RIGHT}};
    enum { ROWS = 120 };
    static char buf[ROWS][2][32];
    const char *cells[ROWS * 2];
    for (int i = 0; i < ROWS; i++) {
        snprintf(buf[i][0], 32, "row %d", i + 1);
        snprintf(buf[i][1], 32, "%.3f", i * 0.5);
        cells[2 * i] = buf[i][0];
        cells[2 * i + 1] = buf[i][1];
    }
    wp_doc_table(doc, cols, 2, cells, ROWS, "Table 1: many rows.");
    wp_doc_heading(doc, 1, "Figures");
    wp_doc_figure(doc, 200, 120, box, NULL, "Figure 1: a box.");
    return WP_OK;
}

static char *slurp(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    static char out[65536];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    pclose(p);
    return out;
}

static void test_doc_writes_a_paginated_pdf_twice_the_same(void **state)
{
    (void)state;
    char dir[] = "/tmp/wp_doc_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[64], b[64], cmd[256];
    snprintf(a, sizeof a, "%s/a.pdf", dir);
    snprintf(b, sizeof b, "%s/b.pdf", dir);
    struct wp_doc_opts o = {.path = a, .title = "A test report", .author = "Test",
                            .creator = "wattprint test", .date = "2023-10-06T00:05:27",
                            .running_header = "A test report"};
    struct wp_diag d = {0};
    assert_int_equal(wp_doc_render(&o, build, NULL, &d), WP_OK);
    o.path = b;
    assert_int_equal(wp_doc_render(&o, build, NULL, &d), WP_OK);
    snprintf(cmd, sizeof cmd, "cmp -s %s %s && echo same", a, b);
    assert_non_null(strstr(slurp(cmd), "same"));
    snprintf(cmd, sizeof cmd, "pdfinfo %s", a);
    char *info = slurp(cmd);
    assert_non_null(strstr(info, "Title:           A test report"));
    assert_non_null(strstr(info, "CreationDate:"));
    assert_non_null(strstr(info, "2023"));
    /* title, contents, summary with a 120-row table over more than one page, figures */
    int pages = 0;
    char *p = strstr(info, "Pages:");
    assert_non_null(p);
    pages = atoi(p + 6);
    assert_true(pages >= 5);
    snprintf(cmd, sizeof cmd, "pdftotext %s -", a);
    char *text = slurp(cmd);
    assert_non_null(strstr(text, "1 Summary"));
    assert_non_null(strstr(text, "1.1 Details"));
    assert_non_null(strstr(text, "row 120"));
    assert_non_null(strstr(text, "Figure 1: a box."));
    /* the table's header repeats on its continuation page */
    char *first = strstr(text, "value (kWh)");
    assert_non_null(first);
    assert_non_null(strstr(first + 1, "value (kWh)"));
    /* the contents link to named destinations, one per heading */
    snprintf(cmd, sizeof cmd, "pdfinfo -dests %s", a);
    char *dests = slurp(cmd);
    assert_non_null(strstr(dests, "\"sec0\""));
    assert_non_null(strstr(dests, "\"sec2\""));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static enum wp_err build_one_page(struct wp_doc *doc, void *ctx, struct wp_diag *d)
{
    (void)ctx;
    (void)d;
    wp_doc_para(doc, "One page.");
    return WP_OK;
}

/* The PDF's dates are the instant the timestamp parser reads (issue 20: the raw text was
 * cut to 19 characters, so slashes, one-digit fields and zones reached cairo as written),
 * and a text it cannot read, or none, is no date at all (cairo would write the clock's). */
static void test_doc_date_is_the_parsed_instant(void **state)
{
    (void)state;
    static const struct {
        const char *date, *shown; /* pdfinfo -isodates (Z: no zone); NULL: no date */
    } cases[] = {
        {"2024/01/15 10:23:45.123", "2024-01-15T10:23:45Z"},
        {"2024-1-5 9:05", "2024-01-05T09:05:00Z"},
        {"2024-01-15T10:23:45.5+02:00", "2024-01-15T10:23:45+02"},
        {"2024-01-15", "2024-01-15T00:00:00Z"},
        {"not a date", NULL},
        {"", NULL}, /* none: not the clock's date either (same bytes each time) */
    };
    char dir[] = "/tmp/wp_doc_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64], cmd[256];
    snprintf(path, sizeof path, "%s/d.pdf", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wp_doc_opts o = {.path = path, .title = "Dates", .date = cases[i].date};
        struct wp_diag d = {0};
        assert_int_equal(wp_doc_render(&o, build_one_page, NULL, &d), WP_OK);
        snprintf(cmd, sizeof cmd, "pdfinfo -isodates %s", path);
        char *info = slurp(cmd);
        assert_non_null(strstr(info, "Title:           Dates"));
        char *created = strstr(info, "CreationDate:");
        if (cases[i].shown) {
            assert_non_null(created);
            assert_int_equal(strncmp(created + strspn(created + 13, " ") + 13, cases[i].shown,
                                     strlen(cases[i].shown)), 0);
        } else
            assert_null(strstr(info, "CreationDate:"));
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* 400 preformatted lines: text, not markup; one far too long for the column. */
static enum wp_err build_lines(struct wp_doc *doc, void *ctx, struct wp_diag *d)
{
    (void)ctx;
    (void)d;
    enum { N = 400 };
    static char buf[N][160];
    const char *lines[N];
    for (int i = 0; i < N; i++) {
        snprintf(buf[i], sizeof buf[i], "%064d %3d  file_<%d>&.csv", i, i % 7, i);
        lines[i] = buf[i];
    }
    memset(buf[7], 'x', 150); /* 150 characters: wider than the column even at 85% */
    memcpy(buf[7] + 146, "TAIL", 5);
    wp_doc_heading(doc, 1, "Listing");
    wp_doc_lines(doc, lines, N, 6);
    wp_doc_para(doc, "After the listing.");
    return WP_OK;
}

static void test_doc_lines_paginate_wrap_and_stay_text(void **state)
{
    (void)state;
    char dir[] = "/tmp/wp_doc_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[64], cmd[256];
    snprintf(a, sizeof a, "%s/l.pdf", dir);
    struct wp_doc_opts o = {.path = a, .title = "Lines", .creator = "wattprint test",
                            .date = "2023-10-06T00:05:27", .running_header = "Lines"};
    struct wp_diag d = {0};
    assert_int_equal(wp_doc_render(&o, build_lines, NULL, &d), WP_OK);
    snprintf(cmd, sizeof cmd, "pdfinfo %s", a);
    char *p = strstr(slurp(cmd), "Pages:");
    assert_non_null(p);
    int pages = atoi(p + 6);
    /* about a hundred lines a page: 400 lines on 4 to 6 pages, never one a page */
    assert_true(pages >= 4 && pages <= 6);
    snprintf(cmd, sizeof cmd, "pdftotext %s -", a);
    char *text = slurp(cmd);
    /* markup characters are text; every line is there, the last one too */
    assert_non_null(strstr(text, "file_<0>&.csv"));
    assert_non_null(strstr(text, "file_<399>&.csv"));
    assert_non_null(strstr(text, "After the listing."));
    /* the long line broke: its tail starts a line of its own (of fewer than its 146 x) */
    char *tail = strstr(text, "TAIL");
    assert_non_null(tail);
    char *bol = tail;
    while (bol > text && bol[-1] != '\n')
        bol--;
    assert_true(tail - bol < 146 && tail - bol > 0);
    snprintf(cmd, sizeof cmd, "pdftotext -f 2 -l 2 %s - | grep -c '^[0-9]\\{64\\}'", a);
    int on_page = atoi(slurp(cmd));
    assert_true(on_page >= 80 && on_page <= 130);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_lines_paginate_wrap_and_stay_text),
        cmocka_unit_test(test_doc_writes_a_paginated_pdf_twice_the_same),
        cmocka_unit_test(test_doc_date_is_the_parsed_instant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
