/* Chart "label": an energy label card for one model on one task, in the spirit of the AI
 * Energy Score label: GPU energy per 1,000 queries in Wh, a 1-5 star rating by the AI Energy
 * Score binning rule relative to a named comparison set (the task's models in the analysis
 * grouped by model and task, or a leaderboard snapshot's class and edition), hardware,
 * date of measurement and provenance.  260 x 364 units: pixels at --scale 1, points in
 * SVG and PDF; drawn with the same text and primitives as the charts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts/frame.h"
#include "stats/rating.h"
#include "util/units.h"

#define CARD_W 260.0
#define CARD_H 364.0
#define MARGIN 16.0

struct card {
    const struct wp_group_stats *g; /* the model on the task */
    int stars;                      /* 1..5, 0 not rated */
    size_t n_rated;                 /* models of the comparison set with a GPU energy */
    double wh_per_1k;               /* GPU Wh per 1,000 queries, NaN unknown */
    double *set_wh;                 /* the comparison set in Wh, for the range strip; owned */
    size_t n_set;
};

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Finds the model and its rating among the task's models (stats/rating.c, the rating the
 * workbook and the cards show), or against a leaderboard snapshot (stats/stars.c). */
static enum wp_err rate(const struct wp_analysis *a, const struct wp_chart_opts *o,
                        struct card *c, struct wp_diag *d)
{
    memset(c, 0, sizeof *c);
    size_t n = a->n_groups ? a->n_groups : 1;
    size_t cap = n + (o->against ? o->against->n : 0);
    int *stars = calloc(n, sizeof *stars);
    size_t *rated = calloc(n, sizeof *rated);
    c->set_wh = calloc(cap, sizeof *c->set_wh);
    if (!stars || !rated || !c->set_wh) {
        free(stars);
        free(rated);
        free(c->set_wh);
        c->set_wh = NULL;
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    size_t me = 0;
    for (size_t i = 0; i < a->n_groups && !c->g; i++)
        if (same(a->groups[i].task, o->task) && same(a->groups[i].model, o->model)) {
            c->g = &a->groups[i];
            me = i;
        }
    enum wp_err e = WP_OK;
    struct wp_group_table table = wp_analysis_table(a);
    if (!c->g) {
        e = wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                        "no labelled runs of model \"%s\" on task \"%s\" (see 'wattprint runs')",
                        o->model, o->task);
    } else if (o->against) { /* the snapshot's bins, which this model does not move */
        for (size_t i = 0; i < o->against->n; i++)
            if (isfinite(o->against->kwh_per_1k[i]))
                c->set_wh[c->n_rated++] = wp_wh_of_kwh(o->against->kwh_per_1k[i]);
        c->n_set = c->n_rated;
        if (wp_stats_stars_against(o->against->kwh_per_1k, o->against->n,
                                   c->g->gpu_kwh_per_1k, &c->stars) != WP_OK)
            c->stars = 0;
    } else if (!(e = wp_rating_by_task(&table, o->stars, stars, rated, d))) {
        c->stars = stars[me];
        c->n_rated = rated[me];
        for (size_t i = 0; i < a->n_groups; i++) /* the set the stars were binned over */
            if (same(a->groups[i].task, o->task) && isfinite(a->groups[i].gpu_kwh_per_1k))
                c->set_wh[c->n_set++] = wp_wh_of_kwh(a->groups[i].gpu_kwh_per_1k);
    }
    if (c->g)
        c->wh_per_1k = wp_wh_of_kwh(c->g->gpu_kwh_per_1k);
    free(stars);
    free(rated);
    return e;
}

static void star_path(cairo_t *cr, double cx, double cy, double r)
{
    for (int k = 0; k < 10; k++) {
        double rad = k % 2 ? r * 0.46 : r, ang = -M_PI / 2 + k * M_PI / 5;
        if (k == 0)
            cairo_move_to(cr, cx + rad * cos(ang), cy + rad * sin(ang));
        else
            cairo_line_to(cr, cx + rad * cos(ang), cy + rad * sin(ang));
    }
    cairo_close_path(cr);
}

static void draw_stars(struct wp_fig *f, int stars, double cy)
{
    struct wp_rgb on = f->palette == WP_PALETTE_OKABE_ITO
                           ? (struct wp_rgb){0xE6 / 255.0, 0x9F / 255.0, 0}
                           : wp_palette_colour(f->palette, f->theme_id, 0, 1);
    double r = 15, step = 35, x0 = CARD_W / 2 - 2 * step;
    cairo_t *cr = f->cr;
    for (int k = 0; k < 5; k++) {
        cairo_new_path(cr);
        star_path(cr, x0 + k * step, cy, r);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_set_line_width(cr, 1.2);
        if (k < stars) {
            wp_set_rgb(f, on, 1);
            cairo_fill_preserve(cr);
            wp_set_rgb(f, wp_rgb_mix(on, f->theme->fg, 0.35), 1);
        } else {
            wp_set_rgb(f, f->theme->minor, 1);
            cairo_fill_preserve(cr);
            wp_set_rgb(f, f->theme->muted, 1);
        }
        cairo_stroke(cr);
    }
}

/* Text at the card's centre or left margin; returns its bottom. */
static double put(struct wp_fig *f, const char *s, bool markup, double size, bool bold,
                  double y, bool centred, int lines, struct wp_rgb c)
{
    struct wp_text t = {.s = s, .is_markup = markup, .size_pt = size, .is_bold = bold,
                        .max_w = CARD_W - 2 * MARGIN, .max_lines = lines,
                        .align = centred ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT};
    double h;
    wp_text_put(f, &t, centred ? CARD_W / 2 : MARGIN, y, centred ? 0.5 : 0, 0, 0, c, NULL, &h);
    return y + h;
}

static void rule(struct wp_fig *f, double y)
{
    wp_line(f, MARGIN, y, CARD_W - MARGIN, y, 0.8, f->theme->grid, 1, 0);
}

/* "Hardware   8 x NVIDIA A100" rows; returns the bottom. */
static double fact(struct wp_fig *f, const char *key, const char *value, double y)
{
    struct wp_text k = {.s = key, .size_pt = 8.5};
    struct wp_text v = {.s = value, .size_pt = 8.5, .max_w = CARD_W - 2 * MARGIN - 62,
                        .max_lines = 2};
    double h;
    wp_text_put(f, &k, MARGIN, y, 0, 0, 0, f->theme->muted, NULL, NULL);
    wp_text_put(f, &v, MARGIN + 62, y, 0, 0, 0, f->theme->fg, NULL, &h);
    return y + h + 3;
}

/* The card's rounded outline, `in` inside the page. */
static void card_path(cairo_t *cr, double in)
{
    double rad = 10;
    cairo_new_path(cr);
    cairo_arc(cr, CARD_W - in - rad, in + rad, rad, -M_PI / 2, 0);
    cairo_arc(cr, CARD_W - in - rad, CARD_H - in - rad, rad, 0, M_PI / 2);
    cairo_arc(cr, in + rad, CARD_H - in - rad, rad, M_PI / 2, M_PI);
    cairo_arc(cr, in + rad, in + rad, rad, M_PI, 1.5 * M_PI);
    cairo_close_path(cr);
}

/* Where the model sits among the task's models: a track from the lowest to the highest
 * GPU energy (linear, as the equal-width rule cuts it), a tick per model, a marker for
 * this one. */
static void strip(struct wp_fig *f, const struct card *c, const struct wp_chart_opts *o,
                  double y, struct wp_strs *s)
{
    (void)o;
    const struct wp_theme *th = f->theme;
    double lo = c->wh_per_1k, hi = c->wh_per_1k; /* the marker stays on the track */
    for (size_t i = 0; i < c->n_set; i++) {
        lo = fmin(lo, c->set_wh[i]);
        hi = fmax(hi, c->set_wh[i]);
    }
    double x0 = MARGIN + 4, x1 = CARD_W - MARGIN - 4, ty = y + 9;
    struct wp_scale sc;
    if (!(hi > lo) || wp_scale_fit(&sc, WP_SCALE_LINEAR, lo, hi, 0, false) != WP_OK)
        return;
    wp_scale_range(&sc, x0, x1);
    wp_line(f, x0, ty, x1, ty, 2.5, th->minor, 1, 0);
    for (size_t i = 0; i < c->n_set; i++) {
        double x = wp_scale_map(&sc, c->set_wh[i]);
        wp_line(f, x, ty - 3, x, ty + 3, 1, th->muted, 1, 0);
    }
    wp_mark(f, WP_MARK_TRIANGLE_DOWN, wp_scale_map(&sc, c->wh_per_1k), ty - 6, 8, th->fg, 1,
            th->bg, 0.8);
    char a[64], b[64];
    wp_chart_num(lo, 3, a, sizeof a);
    wp_chart_num(hi, 3, b, sizeof b);
    struct wp_text tl = {.s = wp_strs_printf(s, "lowest %s", a), .size_pt = 7.5};
    struct wp_text tr = {.s = wp_strs_printf(s, "highest %s Wh", b), .size_pt = 7.5};
    wp_text_put(f, &tl, x0, ty + 6, 0, 0, 0, th->muted, NULL, NULL);
    wp_text_put(f, &tr, x1, ty + 6, 1, 0, 0, th->muted, NULL, NULL);
}

static void draw_card(struct wp_fig *f, const struct card *c, const struct wp_chart_opts *o,
                      const struct wp_analysis *a, struct wp_strs *s)
{
    const struct wp_theme *th = f->theme;
    cairo_t *cr = f->cr;
    /* the card: a rounded frame with a solid header band */
    double in = 3;
    cairo_save(cr);
    card_path(cr, in);
    cairo_clip(cr);
    wp_set_rgb(f, th->fg, 1);
    cairo_rectangle(cr, 0, 0, CARD_W, 44);
    cairo_fill(cr);
    cairo_restore(cr);
    card_path(cr, in);
    cairo_set_line_width(cr, 1.5);
    wp_set_rgb(f, th->fg, 1);
    cairo_stroke(cr);
    struct wp_text head = {.s = "Energy label", .size_pt = 16, .is_bold = true};
    wp_text_put(f, &head, MARGIN, 24, 0, 0.5, 0, th->bg, NULL, NULL);
    struct wp_text sub = {.s = "AI inference", .size_pt = 8.5};
    wp_text_put(f, &sub, CARD_W - MARGIN, 24, 1, 0.5, 0, th->bg, NULL, NULL);

    draw_stars(f, c->stars, 70);
    const char *verdict =
        !c->stars && isfinite(c->g->gpu_kwh_per_1k) && !o->against
            ? "not rated: the only model of this task with GPU energy in the database, "
              "nothing to rate it against"
        : !c->stars ? "not rated: no GPU energy in the logs"
        : o->against
            ? wp_strs_printf(s, "%d of 5 stars relative to %zu class %s models of the "
                                "leaderboard snapshot %s, %s", c->stars, c->n_rated,
                             o->against->class,
                             o->against_name ? o->against_name : "given",
                             o->against->edition)
        : wp_strs_printf(s, "%d of 5 stars relative to the task's %zu rated models in this "
                            "database", c->stars, c->n_rated);
    double y = put(f, verdict, false, 8.5, false, 92, true, 2, th->muted);
    rule(f, y + 8);
    y = put(f, c->g->model, false, 13, true, y + 16, false, 2, th->fg);
    y = put(f, wp_strs_task(s, o->task), true, 10, false, y + 1, false, 1, th->muted);
    rule(f, y + 8);
    char num[64];
    wp_chart_num(c->wh_per_1k, 3, num, sizeof num);
    y = put(f, isfinite(c->wh_per_1k) ? num : "n/a", false, 36, true, y + 12, true, 1, th->fg);
    y = put(f, "Wh of GPU energy per 1,000 queries", false, 9.5, false, y, true, 2, th->fg);
    rule(f, y + 8);
    y += 16;
    y = fact(f, "Hardware", o->hardware && *o->hardware ? o->hardware : "unknown", y);
    const char *when = o->measured_at && *o->measured_at ? o->measured_at : a->newest_measurement;
    y = fact(f, "Measured", *when ? wp_strs_printf(s, "%.10s", when) : "unknown", y);
    y = fact(f, "Rating", o->stars == WP_STARS_QUINTILE && !o->against
                              ? "quintiles of the task's models here"
                              : "equal-width bins (the AI Energy Score rule; not an official "
                                "rating)", y);
    if (o->against) /* the database's own set is named in the verdict */
        y = fact(f, "Against", wp_strs_printf(s, "%s (class %s, %s)",
                                              o->against_name ? o->against_name : "a snapshot",
                                              o->against->class, o->against->edition), y);
    if (c->n_rated > 1 && isfinite(c->wh_per_1k))
        strip(f, c, o, y + 6, s);
    /* provenance at the foot */
    const char *prov = wp_strs_printf(s, "%s, %zu run%s%s%s", o->creator ? o->creator : "wattprint",
                                      c->g->n_runs, c->g->n_runs == 1 ? "" : "s",
                                      o->tools && *o->tools ? ", " : "",
                                      o->tools ? o->tools : "");
    struct wp_text t = {.s = prov, .size_pt = 7.5, .max_w = CARD_W - 2 * MARGIN, .max_lines = 2,
                        .align = PANGO_ALIGN_CENTER};
    wp_text_put(f, &t, CARD_W / 2, CARD_H - in - 10, 0.5, 1, 0, th->muted, NULL, NULL);
}

enum wp_err wp_chart_label(const struct wp_analysis *a, const struct wp_chart_opts *o,
                           struct wp_diag *d)
{
    if (!o->model || !o->task)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "the label needs a model and a task");
    struct card c;
    enum wp_err e = rate(a, o, &c, d);
    if (e) {
        free(c.set_wh);
        return e;
    }
    struct wp_strs s = {0};
    struct wp_fig f;
    struct wp_fig_opts fo = {
        .path = o->path,
        .width_pt = CARD_W,
        .height_pt = CARD_H,
        /* the figures' resolution: a label beside them prints as sharp */
        .px_per_pt = (o->dpi > 0 ? o->dpi : WP_CHART_DPI_DEFAULT) *
                     (o->scale > 0 ? o->scale : 1) / 72.0,
        .font_pt = 9,
        .theme = o->theme,
        .palette = o->palette,
        .title = wp_strs_printf(&s, "Energy label: %s, %s", o->model, o->task),
        .creator = o->creator,
        .date = o->date ? o->date : a->newest_measurement,
        .target = o->target,
    };
    e = wp_fig_init(&f, &fo, d);
    if (!e)
        e = wp_fig_begin(&f, d);
    if (!e)
        draw_card(&f, &c, o, a, &s);
    if (!e && s.failed)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e)
        e = wp_fig_end(&f, d);
    wp_fig_free(&f);
    wp_strs_free(&s);
    free(c.set_wh);
    return e;
}
