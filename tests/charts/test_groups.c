/* Tests of src/charts/groups.c (chart "groups", the runs before any label): a hand-built
 * struct wp_logged renders to a PNG 77 mm wide, one row per group with a visible energy,
 * the dots in the palette's first colour, the same bytes twice; --top keeps the highest
 * groups; no group with energy is WP_ERR_EMPTY and leaves no file. */
#include "charts/groups.h"

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

#define COLUMN_PX 455 /* 77 mm at 150 dpi */

static struct wp_logged_group group(const char *name, size_t n, double mean, double lo,
                                    double hi)
{
    struct wp_logged_group g = {0};
    g.name = (char *)name;
    g.n_runs = g.n_energy = n;
    g.energy_kwh.mean = mean;
    g.energy_boot = (struct wp_ci){mean, lo, hi, 0.95, n, 0, n < 3};
    return g;
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
    const unsigned char *row = cairo_image_surface_get_data(s) +
                               (size_t)y * (size_t)cairo_image_surface_get_stride(s);
    return ((const uint32_t *)(const void *)row)[x] & 0xffffffu;
}

static long count_near(cairo_surface_t *s, struct wp_rgb c, int tol)
{
    uint32_t want = (uint32_t)lround(c.r * 255) << 16 | (uint32_t)lround(c.g * 255) << 8 |
                    (uint32_t)lround(c.b * 255);
    long n = 0;
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t p = pixel(s, x, y);
            n += abs((int)(p >> 16 & 0xff) - (int)(want >> 16 & 0xff)) <= tol &&
                 abs((int)(p >> 8 & 0xff) - (int)(want >> 8 & 0xff)) <= tol &&
                 abs((int)(p & 0xff) - (int)(want & 0xff)) <= tol;
        }
    return n;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long len = ftell(f);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    char *buf = malloc((size_t)len + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return buf;
}

static void test_groups_chart_draws_a_dot_per_group(void **state)
{
    (void)state;
    char dir[] = "/tmp/wp-groups-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p1[64], p2[64];
    snprintf(p1, sizeof p1, "%s/g.png", dir);
    snprintf(p2, sizeof p2, "%s/g2.png", dir);
    struct wp_logged_group v[] = {
        group("project a", 12, 0.002, 0.0015, 0.0026),
        group("file emissions.csv", 59, 0.0034, 0.0002, 0.0089),
        group("project b, experiment x", 1, 0.3, NAN, NAN),
        group("project zero", 2, 0, 0, 0), /* no energy to show on a log axis */
    };
    struct wp_logged l = {.v = v, .n = 4, .n_runs = 74, .level = 0.95};
    snprintf(l.newest, sizeof l.newest, "2024-01-01T00:00:00");
    struct wp_chart_opts o;
    wp_chart_opts_defaults(&o);
    o.creator = "wattprint test";
    o.dpi = 150;
    o.path = p1;
    struct wp_diag d = {0};
    if (wp_chart_groups(&l, &o, &d))
        fail_msg("groups: %s", d.msg);
    o.path = p2;
    assert_int_equal(wp_chart_groups(&l, &o, &d), WP_OK);
    size_t n1, n2;
    char *b1 = slurp(p1, &n1), *b2 = slurp(p2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);
    free(b1);
    free(b2);
    cairo_surface_t *s = cairo_image_surface_create_from_png(p1);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    assert_int_equal(w, COLUMN_PX);
    assert_true(h > 3 * 40); /* three rows */
    uint32_t bg = pixel(s, 0, 0);
    assert_int_equal(pixel(s, w - 1, h - 1), bg);
    /* three dots in the first palette colour (a dot is about 10 x 10 px at 150 dpi) */
    struct wp_rgb c = wp_palette_colour(WP_PALETTE_OKABE_ITO, WP_THEME_LIGHT, 0, 1);
    long dots = count_near(s, c, 8);
    assert_true(dots > 3 * 30 && dots < 3 * 400);
    cairo_surface_destroy(s);
    /* --top 1: the highest only, one dot */
    o.top = 1;
    o.path = p2;
    assert_int_equal(wp_chart_groups(&l, &o, &d), WP_OK);
    s = cairo_image_surface_create_from_png(p2);
    assert_true(cairo_image_surface_get_height(s) <= h);
    long one = count_near(s, c, 8);
    assert_true(one > 30 && one < dots);
    cairo_surface_destroy(s);
    /* nothing with energy: an error, no file */
    struct wp_logged none = {.v = &v[3], .n = 1, .level = 0.95};
    char p3[64];
    snprintf(p3, sizeof p3, "%s/none.png", dir);
    o.path = p3;
    assert_int_equal(wp_chart_groups(&none, &o, &d), WP_ERR_EMPTY);
    assert_int_equal(access(p3, F_OK), -1);
    unlink(p1);
    unlink(p2);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_chart_draws_a_dot_per_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
