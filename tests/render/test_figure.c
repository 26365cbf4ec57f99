/* Tests of the PDF dates of src/render/figure.c: the instant the timestamp parser reads
 * (issue 20: the raw text was cut to 19 characters, so nvidia-smi's slashes, one-digit
 * fields and zones reached cairo as written, and cairo dropped or garbled them), and the
 * fixed date of the data-less figure for a text it cannot read. */
#include "render/render.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The raw CreationDate of path as pdfinfo prints it, in out. */
static void creation_date(const char *path, char *out, size_t size)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "pdfinfo -rawdates %s", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[256];
    out[0] = '\0';
    while (fgets(line, sizeof line, p))
        if (strncmp(line, "CreationDate:", 13) == 0) {
            snprintf(out, size, "%s", line + 13 + strspn(line + 13, " "));
            out[strcspn(out, "\n")] = '\0';
        }
    assert_int_equal(pclose(p), 0);
}

static void test_figure_pdf_date_is_the_parsed_instant(void **state)
{
    (void)state;
    static const struct {
        const char *date, *raw; /* the figure's date; the PDF's, as pdfinfo -rawdates */
    } cases[] = {
        {"2023-10-06T00:05:27", "20231006000527"},         /* as before */
        {"2023-10-06 00:05:27.123456", "20231006000527"},  /* as before */
        {"2024/01/15 10:23:45.123", "20240115102345"},     /* was dropped: slashes */
        {"2024-1-5 9:05", "20240105090500"},               /* was dropped */
        {"2024-01-15T10:23:45.5+02:00", "20240115102345+02'00"}, /* the zone was lost */
        {"2024-01-15", "20240115000000"},                  /* a date alone: its midnight */
        {"not a date", "20000101000000"},                  /* never a date: the fixed one */
        {"2024-02-30T10:00:00", "20000101000000"},
    };
    char dir[] = "/tmp/wp_fig_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64], raw[128], cmd[128];
    snprintf(path, sizeof path, "%s/f.pdf", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct wp_fig_opts o = {.path = path, .width_pt = 100, .height_pt = 60,
                                      .px_per_pt = 1, .font_pt = 8, .date = cases[i].date};
        struct wp_fig f;
        assert_int_equal(wp_fig_init(&f, &o, NULL), WP_OK);
        assert_int_equal(wp_fig_begin(&f, NULL), WP_OK);
        assert_int_equal(wp_fig_end(&f, NULL), WP_OK);
        wp_fig_free(&f);
        creation_date(path, raw, sizeof raw);
        assert_string_equal(raw, cases[i].raw);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figure_pdf_date_is_the_parsed_instant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
