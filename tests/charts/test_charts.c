/* Tests of src/charts/ (and the figure layer under them): every kind renders a small
 * in-memory analysis to a PNG of the expected size, on the theme's background, with the
 * palette's colours, not blank, byte-identical when rendered twice; SVG and PDF come out
 * well-formed; empty input is an error that leaves no file behind; one point is still a
 * figure. */
#include "charts/charts.h"

#include <dirent.h>
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

/* ---- a small analysis built by hand ------------------------------------------------ */

struct fixture {
    char dir[64];
    struct wp_analysis by_task, by_model;
};

/* Fills g from per-experiment values kwh[0..n) (statistics over experiments; each value is
 * also one unit of the intervals, and the box plot's dots and box are over those units). */
static void group(struct wp_group_stats *g, const char *task, const char *model,
                  const double *kwh, size_t n, long long params)
{
    memset(g, 0, sizeof *g);
    g->task = task;
    g->model = model;
    g->n = g->n_runs = g->n_experiments = n;
    double *em = calloc(n, sizeof *em);
    assert_non_null(em);
    g->points = calloc(n, sizeof *g->points);
    assert_non_null(g->points);
    for (size_t i = 0; i < n; i++) {
        em[i] = kwh[i] * 140; /* g CO2eq at 140 g/kWh */
        g->points[i] = (struct wp_point){kwh[i], em[i], params, model};
    }
    g->n_points = n;
    wp_stats_describe(kwh, n, &g->kwh);
    wp_stats_describe(em, n, &g->g);
    wp_stats_ci_mean_t(kwh, n, 0.95, &g->kwh_t);
    wp_stats_ci_mean_t(em, n, 0.95, &g->g_t);
    g->n_units = g->n_unit_kwh = g->n_unit_g = n;
    g->unit_kwh = calloc(n, sizeof *g->unit_kwh);
    g->unit_g = calloc(n, sizeof *g->unit_g);
    assert_true(g->unit_kwh && g->unit_g);
    memcpy(g->unit_kwh, kwh, n * sizeof *kwh);
    memcpy(g->unit_g, em, n * sizeof *em);
    wp_stats_box_log10(g->unit_kwh, n, &g->box_kwh);
    wp_stats_box_log10(g->unit_g, n, &g->box_g);
    g->gpu_share = 0.6;
    g->cpu_share = 0.1;
    g->ram_share = 0.3;
    g->gpu_kwh_per_1k = g->kwh.mean * 0.6;
    g->parameters = params;
    free(em);
}

static const double k_text[] = {0.0011, 0.0013, 0.0018, 0.0024, 0.0031, 0.0040};
static const double k_image[] = {0.041, 0.052, 0.060, 0.075, 0.090};
static const double k_gen[] = {1.1, 1.9, 2.8, 3.5};
static const double k_m1[] = {0.0010, 0.0012, 0.0011};
static const double k_m2[] = {0.0030, 0.0034, 0.0031};
static const double k_m3[] = {0.0200, 0.0230, 0.0210};

static void scaling_fit(struct wp_scaling *sc, const char *task, const struct wp_group_stats *g,
                        size_t n_groups)
{
    double x[32], y[32];
    size_t n = 0;
    for (size_t i = 0; i < n_groups; i++)
        for (size_t k = 0; k < g[i].n_points && n < 32; k++) {
            x[n] = log10((double)g[i].points[k].parameters);
            y[n++] = log10(g[i].points[k].kwh_per_1k);
        }
    sc->task = task;
    wp_stats_fit_linear(x, y, n, &sc->fit);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/wp-charts-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    wp_stats_init();

    struct wp_analysis *a = &fx->by_task;
    wp_analysis_defaults(&a->opts);
    a->unit = WP_UNIT_MODEL;
    a->groups = calloc(3, sizeof *a->groups);
    a->n_groups = 3;
    group(&a->groups[0], "text_classification", NULL, k_text, 6, 66000000);
    group(&a->groups[1], "image_captioning", NULL, k_image, 5, 250000000);
    group(&a->groups[2], "image_generation", NULL, k_gen, 4, 1000000000);
    /* parameters vary within a task so that the fits have a slope */
    for (size_t i = 0; i < a->groups[0].n_points; i++)
        a->groups[0].points[i].parameters = 60000000 + 40000000 * (long long)i;
    for (size_t i = 0; i < a->groups[1].n_points; i++)
        a->groups[1].points[i].parameters = 200000000 + 100000000 * (long long)i;
    a->groups[2].gpu_share = a->groups[2].cpu_share = a->groups[2].ram_share = NAN;
    a->scaling = calloc(4, sizeof *a->scaling);
    a->n_scaling = 4;
    for (size_t i = 0; i < 3; i++)
        scaling_fit(&a->scaling[i], a->groups[i].task, &a->groups[i], 1);
    scaling_fit(&a->scaling[3], NULL, a->groups, 3);
    a->purpose = calloc(1, sizeof *a->purpose);
    a->n_purpose = 1;
    a->purpose[0] = (struct wp_purpose_cmp){
        .task = a->groups[0].task,
        .ratio = {.mean_a = 0.03, .mean_b = 0.002, .ratio = 15, .lo = 11, .hi = 19,
                  .level = 0.95, .n_a = 12, .n_b = 30},
    };
    snprintf(a->newest_measurement, sizeof a->newest_measurement, "2024-05-01T10:00:00");

    struct wp_analysis *m = &fx->by_model;
    wp_analysis_defaults(&m->opts);
    m->opts.by = WP_BY_MODEL_TASK;
    m->unit = WP_UNIT_EXPERIMENT;
    m->groups = calloc(3, sizeof *m->groups);
    m->n_groups = 3;
    group(&m->groups[0], "text_classification", "org/small-model", k_m1, 3, 66000000);
    group(&m->groups[1], "text_classification", "org/medium-model", k_m2, 3, 125000000);
    group(&m->groups[2], "text_classification", "big-model", k_m3, 3, 7000000000);
    snprintf(m->newest_measurement, sizeof m->newest_measurement, "2024-05-01T10:00:00");
    *state = fx;
    return 0;
}

static void free_analysis(struct wp_analysis *a)
{
    for (size_t i = 0; i < a->n_groups; i++) {
        free(a->groups[i].points);
        free(a->groups[i].unit_kwh);
        free(a->groups[i].unit_g);
    }
    free(a->groups);
    free(a->scaling);
    free(a->purpose);
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", fx->dir, e->d_name);
        if (e->d_name[0] != '.')
            unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(fx->dir);
    free_analysis(&fx->by_task);
    free_analysis(&fx->by_model);
    free(fx);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------- */

static void opts_for(struct wp_chart_opts *o, const char *path)
{
    wp_chart_opts_defaults(o);
    o->path = path;
    o->creator = "wattprint test";
    o->task = NULL;
    o->dpi = 150; /* smaller files, same layout */
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
    const unsigned char *row = cairo_image_surface_get_data(s) +
                               (size_t)y * (size_t)cairo_image_surface_get_stride(s);
    return ((const uint32_t *)(const void *)row)[x] & 0xffffffu;
}

static uint32_t rgb24(struct wp_rgb c)
{
    return (uint32_t)lround(c.r * 255) << 16 | (uint32_t)lround(c.g * 255) << 8 |
           (uint32_t)lround(c.b * 255);
}

/* Pixels within `tol` per channel of colour c. */
static long count_near(cairo_surface_t *s, uint32_t c, int tol)
{
    long n = 0;
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t p = pixel(s, x, y);
            int dr = abs((int)(p >> 16 & 0xff) - (int)(c >> 16 & 0xff));
            int dg = abs((int)(p >> 8 & 0xff) - (int)(c >> 8 & 0xff));
            int db = abs((int)(p & 0xff) - (int)(c & 0xff));
            n += dr <= tol && dg <= tol && db <= tol;
        }
    return n;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    buf[len] = '\0';
    fclose(f);
    *n = (size_t)len;
    return buf;
}

static size_t files_in(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

/* Renders kind to NAME.png twice and checks the PNG; returns the loaded surface. */
static cairo_surface_t *render_png(struct fixture *fx, wp_chart_fn fn,
                                   const struct wp_analysis *a, struct wp_chart_opts *o,
                                   const char *name)
{
    char p1[256], p2[256];
    snprintf(p1, sizeof p1, "%s/%s.png", fx->dir, name);
    snprintf(p2, sizeof p2, "%s/%s-again.png", fx->dir, name);
    struct wp_diag d = {0};
    o->path = p1;
    enum wp_err e = fn(a, o, &d);
    if (e)
        fail_msg("%s: %s", name, d.msg);
    o->path = p2;
    assert_int_equal(fn(a, o, &d), WP_OK);
    size_t n1, n2;
    char *b1 = slurp(p1, &n1), *b2 = slurp(p2, &n2);
    assert_int_equal(n1, n2); /* deterministic: same input, same bytes */
    assert_memory_equal(b1, b2, n1);
    assert_memory_equal(b1, "\x89PNG", 4);
    free(b1);
    free(b2);
    unlink(p2);
    cairo_surface_t *s = cairo_image_surface_create_from_png(p1);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    return s;
}

/* The checks every chart passes: size, background in the corners, not blank. */
static void check_figure(cairo_surface_t *s, int width, enum wp_theme_id theme)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    assert_int_equal(w, width);
    assert_true(h >= width / 3 && h <= width * 3);
    uint32_t bg = rgb24(wp_theme_get(theme)->bg);
    assert_int_equal(pixel(s, 0, 0), bg);
    assert_int_equal(pixel(s, w - 1, 0), bg);
    assert_int_equal(pixel(s, w - 1, h - 1), bg);
    long ink = (long)w * h - count_near(s, bg, 0);
    assert_true(ink > (long)w * h / 50); /* more than 2% drawn */
}

static struct wp_rgb okabe(size_t i)
{
    return wp_palette_colour(WP_PALETTE_OKABE_ITO, WP_THEME_LIGHT, i, 8);
}

/* 89 mm at 150 dpi */
#define COLUMN_PX 526

/* ---- the kinds ------------------------------------------------------------------------ */

static void test_tasks_chart_draws_boxes_and_points(void **state)
{
    struct fixture *fx = *state;
    struct wp_chart_opts o;
    opts_for(&o, NULL);
    cairo_surface_t *s = render_png(fx, wp_chart_tasks, &fx->by_task, &o, "tasks");
    check_figure(s, COLUMN_PX, WP_THEME_LIGHT);
    /* points: the first palette colour at 80% over white (within rounding) */
    struct wp_rgb c = wp_rgb_mix(okabe(0), (struct wp_rgb){1, 1, 1}, 0.2);
    assert_true(count_near(s, rgb24(c), 6) > 50);
    cairo_surface_destroy(s);
}

static void test_tasks_chart_emissions_and_dark_theme(void **state)
{
    struct fixture *fx = *state;
    struct wp_chart_opts o;
    opts_for(&o, NULL);
    o.metric = WP_METRIC_EMISSIONS;
    o.theme = WP_THEME_DARK;
    o.size = WP_SIZE_PAGE;
    o.dpi = 72;
    cairo_surface_t *s = render_png(fx, wp_chart_tasks, &fx->by_task, &o, "tasks-dark");
    check_figure(s, 519, WP_THEME_DARK); /* 183 mm at 72 dpi */
    cairo_surface_destroy(s);
}

static void test_scaling_chart_colours_tasks(void **state)
{
    struct fixture *fx = *state;
    struct wp_chart_opts o;
    opts_for(&o, NULL);
    cairo_surface_t *s = render_png(fx, wp_chart_scaling, &fx->by_task, &o, "scaling");
    check_figure(s, COLUMN_PX, WP_THEME_LIGHT);
    for (size_t i = 0; i < 3; i++) /* one colour per task, opaque in the legend's keys */
        assert_true(count_near(s, rgb24(okabe(i)), 2) > 20);
    cairo_surface_destroy(s);
}

static void test_models_chart_bars_with_top_n(void **state)
{
    struct fixture *fx = *state;
    struct wp_chart_opts o;
    opts_for(&o, NULL);
    o.task = "text_classification";
    o.top = 2;
    cairo_surface_t *s = render_png(fx, wp_chart_models, &fx->by_model, &o, "models");
    check_figure(s, COLUMN_PX, WP_THEME_LIGHT);
    assert_true(count_near(s, rgb24(okabe(0)), 0) > 500); /* solid bars */
    cairo_surface_destroy(s);
}

static void test_components_chart_lists_unmeasured_tasks(void **state)
{
    struct fixture *fx = *state;
    struct wp_chart_opts o;
    opts_for(&o, NULL);
    o.palette = WP_PALETTE_VIRIDIS;
    cairo_surface_t *s = render_png(fx, wp_chart_components, &fx->by_task, &o, "components");
    check_figure(s, COLUMN_PX, WP_THEME_LIGHT);
    for (size_t k = 0; k < 3; k++)
        assert_true(count_near(s, rgb24(wp_palette_colour(WP_PALETTE_VIRIDIS, WP_THEME_LIGHT,
                                                          k, 3)), 1) > 200);
    cairo_surface_destroy(s);
}

static void test_compare_chart_and_its_empty_case(void **state)
{
    struct fixture *fx = *state;
    struct wp_chart_opts o;
    opts_for(&o, NULL);
    cairo_surface_t *s = render_png(fx, wp_chart_compare, &fx->by_task, &o, "compare");
    check_figure(s, COLUMN_PX, WP_THEME_LIGHT);
    assert_true(count_near(s, rgb24(okabe(0)), 2) > 20);
    assert_true(count_near(s, rgb24(okabe(1)), 2) > 20);
    cairo_surface_destroy(s);
    /* nothing tagged: a message, no file */
    struct wp_analysis none = fx->by_task;
    none.n_purpose = 0;
    char p[256];
    snprintf(p, sizeof p, "%s/none.png", fx->dir);
    o.path = p;
    size_t before = files_in(fx->dir);
    struct wp_diag d = {0};
    assert_int_equal(wp_chart_compare(&none, &o, &d), WP_ERR_EMPTY);
    assert_non_null(strstr(d.msg, "purpose"));
    assert_int_equal(files_in(fx->dir), before);
}

static void test_label_card_size_and_stars(void **state)
{
    struct fixture *fx = *state;
    struct wp_chart_opts o;
    opts_for(&o, NULL);
    o.dpi = 0; /* the label's own 1x */
    o.task = "text_classification";
    o.model = "org/small-model";
    o.hardware = "8 x NVIDIA A100-SXM4-80GB";
    o.measured_at = "2024-05-01T10:00:00";
    o.tools = "CodeCarbon 2.3.1";
    cairo_surface_t *s = render_png(fx, wp_chart_label, &fx->by_model, &o, "label");
    assert_int_equal(cairo_image_surface_get_width(s), 260);
    assert_int_equal(cairo_image_surface_get_height(s), 364);
    /* the lowest-energy model has five gold stars */
    assert_true(count_near(s, 0xE69F00, 8) > 5 * 150);
    cairo_surface_destroy(s);
    o.scale = 2;
    s = render_png(fx, wp_chart_label, &fx->by_model, &o, "label2x");
    assert_int_equal(cairo_image_surface_get_width(s), 520);
    assert_int_equal(cairo_image_surface_get_height(s), 728);
    cairo_surface_destroy(s);
    /* an unknown model is a message */
    o.model = "nobody/none";
    struct wp_diag d = {0};
    assert_int_equal(wp_chart_label(&fx->by_model, &o, &d), WP_ERR_EMPTY);
    assert_non_null(strstr(d.msg, "nobody/none"));
}

static void test_svg_and_pdf_are_well_formed(void **state)
{
    struct fixture *fx = *state;
    struct wp_chart_opts o;
    opts_for(&o, NULL);
    char p[256];
    struct wp_diag d = {0};
    snprintf(p, sizeof p, "%s/tasks.svg", fx->dir);
    o.path = p;
    assert_int_equal(wp_chart_tasks(&fx->by_task, &o, &d), WP_OK);
    size_t n;
    char *b = slurp(p, &n);
    assert_non_null(strstr(b, "<svg"));
    assert_non_null(strstr(b, "pt\""));    /* width and height in points */
    assert_non_null(strstr(b, "</svg>"));
    free(b);
    snprintf(p, sizeof p, "%s/tasks.pdf", fx->dir);
    assert_int_equal(wp_chart_tasks(&fx->by_task, &o, &d), WP_OK);
    b = slurp(p, &n);
    assert_memory_equal(b, "%PDF-", 5);
    assert_non_null(memmem(b, n, "20240501100000", 14)); /* the data's date, not the clock */
    free(b);
}

static void test_empty_and_single_point_inputs(void **state)
{
    struct fixture *fx = *state;
    struct wp_chart_opts o;
    opts_for(&o, NULL);
    char p[256];
    snprintf(p, sizeof p, "%s/empty.png", fx->dir);
    o.path = p;
    struct wp_analysis empty = {0};
    wp_analysis_defaults(&empty.opts);
    static const wp_chart_fn kinds[] = {wp_chart_tasks, wp_chart_scaling, wp_chart_models,
                                        wp_chart_components, wp_chart_compare};
    size_t before = files_in(fx->dir);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        struct wp_diag d = {0};
        assert_int_equal(kinds[i](&empty, &o, &d), WP_ERR_EMPTY);
        assert_true(strlen(d.msg) > 10);
    }
    assert_int_equal(files_in(fx->dir), before); /* no file, no temporary left */
    /* one task, one experiment: still a figure */
    static const double one[] = {0.02};
    struct wp_group_stats g;
    group(&g, "summarization", "org/one", one, 1, 1000000);
    struct wp_scaling sc = {.task = "summarization"};
    wp_stats_fit_linear((double[]){6}, (double[]){-1.7}, 1, &sc.fit);
    struct wp_analysis a = {.groups = &g, .n_groups = 1, .scaling = &sc, .n_scaling = 1};
    wp_analysis_defaults(&a.opts);
    for (size_t i = 0; i < 4; i++) {
        struct wp_diag d = {0};
        enum wp_err e = kinds[i](&a, &o, &d);
        if (e)
            fail_msg("kind %zu on one point: %s", i, d.msg);
        cairo_surface_t *s = cairo_image_surface_create_from_png(p);
        check_figure(s, COLUMN_PX, WP_THEME_LIGHT);
        cairo_surface_destroy(s);
    }
    free(g.points);
    free(g.unit_kwh);
    free(g.unit_g);
}

static void test_bad_output_name_is_a_usage_error_and_unwritable_an_io_error(void **state)
{
    struct fixture *fx = *state;
    struct wp_chart_opts o;
    opts_for(&o, NULL);
    char p[256];
    snprintf(p, sizeof p, "%s/figure.jpg", fx->dir);
    o.path = p;
    struct wp_diag d = {0};
    assert_int_equal(wp_chart_tasks(&fx->by_task, &o, &d), WP_ERR_USAGE);
    assert_non_null(strstr(d.msg, ".png"));
    /* missing folders are made, as for every other output (util/atomic.h) */
    snprintf(p, sizeof p, "%s/new/dir/figure.png", fx->dir);
    assert_int_equal(wp_chart_tasks(&fx->by_task, &o, &d), WP_OK);
    /* a folder taken by a file: an I/O error naming the figure, after the path is freed */
    snprintf(p, sizeof p, "%s/new/dir/figure.png/figure.png", fx->dir);
    assert_int_equal(wp_chart_tasks(&fx->by_task, &o, &d), WP_ERR_IO);
    assert_string_equal(d.file, p);
    assert_non_null(strstr(d.msg, "cannot write"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tasks_chart_draws_boxes_and_points),
        cmocka_unit_test(test_tasks_chart_emissions_and_dark_theme),
        cmocka_unit_test(test_scaling_chart_colours_tasks),
        cmocka_unit_test(test_models_chart_bars_with_top_n),
        cmocka_unit_test(test_components_chart_lists_unmeasured_tasks),
        cmocka_unit_test(test_compare_chart_and_its_empty_case),
        cmocka_unit_test(test_label_card_size_and_stars),
        cmocka_unit_test(test_svg_and_pdf_are_well_formed),
        cmocka_unit_test(test_empty_and_single_point_inputs),
        cmocka_unit_test(test_bad_output_name_is_a_usage_error_and_unwritable_an_io_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
