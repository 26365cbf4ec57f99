/* Tests of src/render/text.c: a figure remembers what it measured (the same sizes as a
 * fresh layout gives, keyed by every field that changes a layout), and the SVG groups of
 * src/render/figure.c are numbered from 1 whatever the process drew before. */
#include "render/render.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static void init(struct wp_fig *f, const char *path)
{
    const struct wp_fig_opts o = {.path = path, .width_pt = 100, .height_pt = 60,
                                  .px_per_pt = 1, .font_pt = 8};
    assert_int_equal(wp_fig_init(f, &o, NULL), WP_OK);
}

/* What a fresh layout of t measures, without the figure's memory. */
static void fresh(struct wp_fig *f, const struct wp_text *t, double *w, double *h, int *lines)
{
    PangoLayout *l = wp_text_layout(f, t);
    wp_text_size(l, w, h);
    *lines = pango_layout_get_line_count(l);
    g_object_unref(l);
}

static void test_measured_text_is_remembered_exactly(void **state)
{
    (void)state;
    struct wp_fig f;
    init(&f, "x.png");
    const struct wp_text texts[] = {
        {.s = "Energy per 1,000 inferences (kWh)", .size_pt = 8},
        {.s = "Energy per 1,000 inferences (kWh)", .size_pt = 16},
        {.s = "Energy per 1,000 inferences (kWh)", .size_pt = 8, .is_bold = true},
        {.s = "10<sup>\xe2\x88\x92" "3</sup>", .is_markup = true, .size_pt = 8},
        {.s = "text classification and more words", .size_pt = 8, .max_w = 40},
        {.s = "text classification and more words", .size_pt = 8, .max_w = 40,
         .max_lines = 2},
        {.s = "text classification and more words", .size_pt = 8, .max_w = 40,
         .align = PANGO_ALIGN_RIGHT},
    };
    size_t n = sizeof texts / sizeof texts[0];
    for (int round = 0; round < 2; round++) /* the second round comes from memory */
        for (size_t i = 0; i < n; i++) {
            double w, h, fw, fh;
            int lines, flines;
            wp_text_extent(&f, &texts[i], &w, &h, &lines);
            fresh(&f, &texts[i], &fw, &fh, &flines);
            assert_memory_equal(&w, &fw, sizeof w);
            assert_memory_equal(&h, &fh, sizeof h);
            assert_int_equal(lines, flines);
        }
    assert_int_equal(g_hash_table_size(f.measured), n);
    double w8, w16, wb;
    int lines;
    wp_text_measure(&f, &texts[0], &w8, NULL);
    wp_text_measure(&f, &texts[1], &w16, NULL);
    wp_text_measure(&f, &texts[2], &wb, NULL);
    assert_true(fabs(w16 - 2 * w8) < 0.05 * w8); /* size counts */
    assert_true(wb > w8);                        /* weight counts */
    wp_text_extent(&f, &texts[4], NULL, NULL, &lines);
    assert_true(lines > 2); /* wrapped at 40 pt */
    wp_text_extent(&f, &texts[5], NULL, NULL, &lines);
    assert_int_equal(lines, 2); /* ellipsized at two lines */
    wp_fig_free(&f);
}

/* Draws an empty SVG into path. */
static void draw_svg(const char *path)
{
    struct wp_fig f;
    init(&f, path);
    struct wp_diag d = {0};
    assert_int_equal(wp_fig_begin(&f, &d), WP_OK);
    const struct wp_text t = {.s = "x", .size_pt = 8};
    wp_text_put(&f, &t, 10, 10, 0, 0, 0, f.theme->fg, NULL, NULL);
    assert_int_equal(wp_fig_end(&f, &d), WP_OK);
    wp_fig_free(&f);
}

static char *slurp(const char *path)
{
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, in);
    fclose(in);
    buf[n] = '\0';
    return strdup(buf);
}

static void test_svg_groups_numbered_from_one(void **state)
{
    (void)state;
    char dir[] = "/tmp/wp-text-XXXXXX", a[64], b[64];
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.svg", dir);
    snprintf(b, sizeof b, "%s/b.svg", dir);
    draw_svg(a);
    for (int i = 0; i < 3; i++) { /* surfaces made in between move cairo's counter */
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 2, 2);
        cairo_surface_destroy(s);
    }
    draw_svg(b);
    char *x = slurp(a), *y = slurp(b);
    assert_non_null(strstr(x, "id=\"surface1\""));
    assert_string_equal(x, y);
    free(x);
    free(y);
    unlink(a);
    unlink(b);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measured_text_is_remembered_exactly),
        cmocka_unit_test(test_svg_groups_numbered_from_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
