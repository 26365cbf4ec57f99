/* Chart "tasks": energy (or emissions) per 1,000 inferences per task on a log axis: one
 * box per task over the analysis' units (a dot per model by default: its mean over its
 * experiments), with quartiles and Tukey's whiskers computed on log10 values by the
 * analysis (struct wp_box), every unit as a jittered point (fixed seed), tasks ordered by
 * median, n = units under each name (the intervals' n).  Horizontal when the task names
 * do not fit under vertical boxes. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charts/frame.h"

struct row {
    const struct wp_group_stats *g;
    double q1, med, q3, wlo, whi;
    const char *name;  /* task for people, plain */
    const char *label; /* markup: name and n */
    enum wp_unit unit; /* what a dot is */
};

static int by_median(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->med != y->med)
        return x->med < y->med ? -1 : 1;
    return strcmp(x->g->task ? x->g->task : "", y->g->task ? y->g->task : "");
}

static const struct wp_box *box_of(const struct wp_group_stats *g, enum wp_metric m)
{
    return m == WP_METRIC_EMISSIONS ? &g->box_g : &g->box_kwh;
}

/* The group's dots: its units' means. */
static const double *dots_of(const struct wp_group_stats *g, enum wp_metric m, size_t *n)
{
    *n = m == WP_METRIC_EMISSIONS ? g->n_unit_g : g->n_unit_kwh;
    return m == WP_METRIC_EMISSIONS ? g->unit_g : g->unit_kwh;
}

/* splitmix64: a local generator, so the jitter is the same on every run. */
static double uniform(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

static size_t collect(const struct wp_analysis *a, enum wp_metric m, struct row *rows,
                      struct wp_strs *s)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_groups; i++) {
        const struct wp_group_stats *g = &a->groups[i];
        const struct wp_box *b = box_of(g, m);
        if (!(b->n > 0) || !(b->q1 > 0) || !isfinite(b->q3))
            continue;
        struct row *r = &rows[n++];
        *r = (struct row){.g = g, .q1 = b->q1, .med = b->median, .q3 = b->q3, .wlo = b->lo,
                          .whi = b->hi, .unit = a->unit};
        r->name = wp_strs_task(s, g->task);
    }
    qsort(rows, n, sizeof *rows, by_median);
    return n;
}

/* Whether every word of every name fits the width of one vertical box's band. */
static bool names_fit_under(struct wp_fig *f, const struct row *rows, size_t n, double band)
{
    if (n > 12)
        return false;
    for (size_t i = 0; i < n; i++) {
        char word[256];
        const char *p = rows[i].name;
        while (*p) {
            size_t k = strcspn(p, " ");
            snprintf(word, sizeof word, "%.*s", (int)(k < 255 ? k : 255), p);
            double w;
            struct wp_text t = {.s = word, .is_markup = true, .size_pt = f->font_pt};
            wp_text_measure(f, &t, &w, NULL);
            if (w > band - f->font_pt * 0.6)
                return false;
            p += k;
            p += *p == ' ';
        }
    }
    return true;
}

struct geom {
    bool is_vertical;
    const struct wp_plot *p;
};

/* (value, category position) to page coordinates. */
static void at(const struct geom *g, double v, double c, double *x, double *y)
{
    const struct wp_scale *vs = g->is_vertical ? &g->p->y.scale : &g->p->x.scale;
    const struct wp_scale *cs = g->is_vertical ? &g->p->x.scale : &g->p->y.scale;
    double pv = wp_scale_map(vs, v), pc = wp_scale_map(cs, c);
    *x = g->is_vertical ? pc : pv;
    *y = g->is_vertical ? pv : pc;
}

static void draw_row(struct wp_fig *f, const struct geom *gm, const struct row *r, size_t i,
                     enum wp_metric m, struct wp_rgb accent)
{
    const struct wp_theme *th = f->theme;
    /* a box 56% of its band, but never wider than ~4 text heights (one task alone) */
    const struct wp_scale *cs = gm->is_vertical ? &gm->p->x.scale : &gm->p->y.scale;
    double band = fabs(wp_scale_map(cs, 1) - wp_scale_map(cs, 0));
    double c = (double)i, half = fmin(0.28, f->font_pt * 2 / band), lw = wp_fig_lw(f, 0.7);
    double x0, y0, x1, y1;
    /* whiskers, then the box over them */
    at(gm, r->wlo, c, &x0, &y0);
    at(gm, r->q1, c, &x1, &y1);
    wp_line(f, x0, y0, x1, y1, lw, th->ink, 1, 0);
    at(gm, r->q3, c, &x0, &y0);
    at(gm, r->whi, c, &x1, &y1);
    wp_line(f, x0, y0, x1, y1, lw, th->ink, 1, 0);
    at(gm, r->q1, c - half, &x0, &y0);
    at(gm, r->q3, c + half, &x1, &y1);
    struct wp_rect box = {fmin(x0, x1), fmin(y0, y1), fabs(x1 - x0), fabs(y1 - y0)};
    wp_fill_rect(f, &box, wp_chart_tint(f, accent, 0.82), 1);
    wp_stroke_rect(f, &box, lw, th->ink);
    /* the units, jittered across the band with a fixed seed per task */
    uint64_t state = 42 + (uint64_t)i * 7919;
    double size = f->font_pt * 0.55;
    size_t nd;
    const double *dots = dots_of(r->g, m, &nd);
    for (size_t k = 0; k < nd; k++) {
        double v = dots[k];
        double jitter = (uniform(&state) - 0.5) * 2 * half * 0.9;
        if (!(v > 0) || !isfinite(v))
            continue;
        double x, y;
        at(gm, v, c + jitter, &x, &y);
        wp_mark(f, WP_MARK_CIRCLE, x, y, size, accent, 0.8, wp_rgb_edge(f->theme_id, accent),
                wp_fig_lw(f, 0.3));
    }
    /* the median over the points */
    at(gm, r->med, c - half, &x0, &y0);
    at(gm, r->med, c + half, &x1, &y1);
    wp_line(f, x0, y0, x1, y1, wp_fig_lw(f, 1.5), th->ink, 1, 0);
}

/* What draw is given, through wp_frame_render. */
struct args {
    struct row *rows;
    size_t n;
    enum wp_metric m;
};

static enum wp_err draw(struct wp_frame *fr, const void *ctx, struct wp_strs *s,
                        struct wp_diag *d)
{
    const struct args *arg = ctx;
    struct row *rows = arg->rows;
    size_t n = arg->n;
    enum wp_metric m = arg->m;
    struct wp_fig *f = &fr->fig;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, rows[i].wlo);
        hi = fmax(hi, rows[i].whi);
        size_t nd;
        const double *dots = dots_of(rows[i].g, m, &nd);
        for (size_t k = 0; k < nd; k++) {
            double v = dots[k];
            if (v > 0 && isfinite(v)) {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
        }
    }
    char muted[8];
    wp_rgb_hex(f->theme->muted, muted, sizeof muted);
    const char **cats = calloc(n, sizeof *cats);
    if (!cats)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    double body_w = wp_frame_body_w(fr);
    bool vertical = names_fit_under(f, rows, n, (body_w - f->font_pt * 9) / (double)n);
    for (size_t i = 0; i < n; i++) {
        /* vertical: first task on the left; horizontal: the highest median on top */
        const struct row *r = &rows[vertical ? i : n - 1 - i];
        size_t k = box_of(r->g, m)->n;
        cats[i] = wp_strs_printf(s, "%s\n<span size=\"smaller\" foreground=\"%s\">%zu %s</span>",
                                 r->name, muted, k, wp_unit_name(r->unit, k));
    }
    struct wp_plot p = {0};
    struct wp_axis *val = vertical ? &p.y : &p.x, *cat = vertical ? &p.x : &p.y;
    val->side = vertical ? WP_SIDE_LEFT : WP_SIDE_BOTTOM;
    cat->side = vertical ? WP_SIDE_BOTTOM : WP_SIDE_LEFT;
    wp_scale_fit(&val->scale, WP_SCALE_LOG10, lo, hi, 0.04, false);
    val->title = wp_metric_title(m);
    cat->cats = cats;
    cat->n_cats = n;
    cat->cat_max_w = body_w * 0.38;
    cat->cat_max_lines = vertical ? 4 : 3;
    double body_h = vertical ? body_w * 0.62
                             : wp_plot_height_for_rows(f, &p, body_w, f->font_pt * 3.4);
    double min_h = vertical ? f->font_pt * 14 : wp_frame_min_rows(fr, n, 0);
    enum wp_err e = wp_frame_begin(fr, body_h, min_h, d);
    if (!e) {
        wp_plot_layout(f, &p, &fr->body);
        wp_axis_grid(f, val, &p.area, true);
        struct geom gm = {vertical, &p};
        struct wp_rgb accent = wp_palette_colour(f->palette, f->theme_id, 0, 1);
        for (size_t i = 0; i < n; i++)
            draw_row(f, &gm, &rows[vertical ? i : n - 1 - i], i, m, accent);
        wp_axis_draw(f, &p.x, &p.area);
        wp_axis_draw(f, &p.y, &p.area);
    }
    free(cats);
    return e;
}

enum wp_err wp_chart_tasks(const struct wp_analysis *a, const struct wp_chart_opts *o,
                           struct wp_diag *d)
{
    struct row *rows = calloc(a->n_groups ? a->n_groups : 1, sizeof *rows);
    if (!rows)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct wp_strs s = {0};
    enum wp_err e = WP_OK;
    size_t n = collect(a, o->metric, rows, &s);
    if (!n) {
        e = wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                        "no task has %s per 1,000 inferences to plot: label runs with a task "
                        "and an inference count (wattprint manifest --skeleton), or draw the "
                        "unlabelled runs with 'wattprint chart groups -o FILE'",
                        o->metric == WP_METRIC_EMISSIONS ? "emissions" : "energy");
        goto out;
    }
    struct args x = {rows, n, o->metric};
    e = wp_frame_render(o, a,
                        o->metric == WP_METRIC_EMISSIONS ? "Emissions per 1,000 inferences by task"
                                                         : "Energy per 1,000 inferences by task",
                        draw, &x, &s, d);
out:
    wp_strs_free(&s);
    free(rows);
    return e;
}
