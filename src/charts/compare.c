/* Chart "compare": task-specific vs multi-purpose models within each task that has runs
 * of both (the analysis' purpose comparison).  Left: the two means side by side on a log
 * axis, joined; right: their ratio (multi-purpose over task-specific) with its bootstrap
 * confidence interval, against a reference line at 1.  Tasks ordered by ratio. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts/frame.h"

static int by_ratio_desc(const void *a, const void *b)
{
    const struct wp_purpose_cmp *x = *(const struct wp_purpose_cmp *const *)a;
    const struct wp_purpose_cmp *y = *(const struct wp_purpose_cmp *const *)b;
    if (x->ratio.ratio != y->ratio.ratio)
        return x->ratio.ratio > y->ratio.ratio ? -1 : 1;
    return strcmp(x->task ? x->task : "", y->task ? y->task : "");
}

struct panels {
    struct wp_plot means, ratio;
    struct wp_rgb c_spec, c_multi;
};

static void draw_means(struct wp_fig *f, const struct wp_plot *p,
                       const struct wp_purpose_cmp *const *rows, size_t n, struct wp_rgb cs,
                       struct wp_rgb cm)
{
    double size = f->font_pt * 0.8, lw = wp_fig_lw(f, 1.2);
    for (size_t i = 0; i < n; i++) {
        const struct wp_ratio *r = &rows[i]->ratio;
        double y = wp_scale_map(&p->y.scale, (double)i);
        double xs = wp_scale_map(&p->x.scale, r->mean_b), xm = wp_scale_map(&p->x.scale, r->mean_a);
        wp_line(f, xs, y, xm, y, lw, f->theme->grid, 1, 0);
        wp_mark(f, WP_MARK_CIRCLE, xs, y, size, cs, 1, wp_rgb_edge(f->theme_id, cs), wp_fig_lw(f, 0.4));
        wp_mark(f, WP_MARK_SQUARE, xm, y, size, cm, 1, wp_rgb_edge(f->theme_id, cm), wp_fig_lw(f, 0.4));
    }
}

static void draw_ratios(struct wp_fig *f, const struct wp_plot *p,
                        const struct wp_purpose_cmp *const *rows, size_t n)
{
    const struct wp_theme *th = f->theme;
    double lw = wp_fig_lw(f, 0.8), x1 = wp_scale_map(&p->x.scale, 1);
    wp_line(f, x1, p->area.y, x1, p->area.y + p->area.h, wp_fig_lw(f, 0.7), th->muted, 1,
            f->font_pt * 0.35);
    double band = p->area.h / (double)n, cap = fmin(band * 0.18, f->font_pt * 0.4);
    for (size_t i = 0; i < n; i++) {
        const struct wp_ratio *r = &rows[i]->ratio;
        double y = wp_scale_map(&p->y.scale, (double)i);
        if (r->lo > 0 && r->hi > 0) {
            double xl = wp_scale_map(&p->x.scale, r->lo), xh = wp_scale_map(&p->x.scale, r->hi);
            wp_line(f, xl, y, xh, y, lw, th->ink, 1, 0);
            wp_line(f, xl, y - cap, xl, y + cap, lw, th->ink, 1, 0);
            wp_line(f, xh, y - cap, xh, y + cap, lw, th->ink, 1, 0);
        }
        if (r->ratio > 0)
            wp_mark(f, WP_MARK_DIAMOND, wp_scale_map(&p->x.scale, r->ratio), y,
                    f->font_pt * 0.8, th->ink, 1, th->bg, wp_fig_lw(f, 0.4));
    }
}

/* Domains of both panels from the rows. */
static void domains(struct panels *pp, const struct wp_purpose_cmp *const *rows, size_t n)
{
    double lo = INFINITY, hi = 0, rlo = 1, rhi = 1;
    for (size_t i = 0; i < n; i++) {
        const struct wp_ratio *r = &rows[i]->ratio;
        double v[] = {r->mean_a, r->mean_b};
        for (int k = 0; k < 2; k++)
            if (v[k] > 0 && isfinite(v[k])) {
                lo = fmin(lo, v[k]);
                hi = fmax(hi, v[k]);
            }
        double w[] = {r->ratio, r->lo, r->hi};
        for (int k = 0; k < 3; k++)
            if (w[k] > 0 && isfinite(w[k])) {
                rlo = fmin(rlo, w[k]);
                rhi = fmax(rhi, w[k]);
            }
    }
    if (!(lo <= hi))
        lo = hi = 1;
    wp_scale_fit(&pp->means.x.scale, WP_SCALE_LOG10, lo, hi, 0.08, false);
    wp_scale_fit(&pp->ratio.x.scale, WP_SCALE_LOG10, rlo, rhi, 0.08, false);
}

/* The two panels side by side in `outer`: the labels' depth first, then the data width
 * split 52 : 48; the panels share their rows, so their data areas are aligned. */
static void layout_panels(struct wp_fig *f, struct panels *pp, const struct wp_rect *outer)
{
    struct wp_plot *m = &pp->means, *r = &pp->ratio;
    wp_axis_prepare(f, &m->y, outer->h);
    double labels = wp_axis_depth(f, &m->y), sep = f->font_pt * 1.6;
    double data_w = outer->w - labels - sep;
    struct wp_rect lo = {outer->x, outer->y, labels + data_w * 0.52, outer->h};
    struct wp_rect ro = {lo.x + lo.w + sep, outer->y, outer->x + outer->w - (lo.x + lo.w + sep),
                         outer->h};
    wp_plot_layout(f, m, &lo);
    wp_plot_layout(f, r, &ro);
    double top = fmax(m->area.y, r->area.y);
    double bottom = fmin(m->area.y + m->area.h, r->area.y + r->area.h);
    m->area.y = r->area.y = top;
    m->area.h = r->area.h = bottom - top;
    wp_scale_range(&m->y.scale, top, bottom);
    wp_scale_range(&r->y.scale, top, bottom);
}

/* What draw is given, through wp_frame_render. */
struct args {
    const struct wp_purpose_cmp *const *rows;
    size_t n;
    double level;
    enum wp_unit unit;
};

static enum wp_err draw(struct wp_frame *fr, const void *ctx, struct wp_strs *s,
                        struct wp_diag *d)
{
    const struct args *arg = ctx;
    const struct wp_purpose_cmp *const *rows = arg->rows;
    size_t n = arg->n;
    double level = arg->level;
    enum wp_unit unit = arg->unit;
    struct wp_fig *f = &fr->fig;
    const char **cats = calloc(2 * n, sizeof *cats), **blank = cats + n;
    if (!cats)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    char muted[8];
    wp_rgb_hex(f->theme->muted, muted, sizeof muted);
    for (size_t i = 0; i < n; i++) {
        cats[i] = wp_strs_printf(
            s, "%s\n<span size=\"smaller\" foreground=\"%s\">%zu vs %zu %s</span>",
            wp_strs_task(s, rows[i]->task), muted, rows[i]->ratio.n_b, rows[i]->ratio.n_a,
            wp_unit_name(unit, rows[i]->ratio.n_a));
        blank[i] = "";
    }
    struct panels pp = {0};
    pp.c_spec = wp_palette_colour(f->palette, f->theme_id, 0, 2);
    pp.c_multi = wp_palette_colour(f->palette, f->theme_id, 1, 2);
    struct wp_legend_item items[2] = {
        {.cells = {"task-specific"}, .key = WP_KEY_MARK, .mark = WP_MARK_CIRCLE,
         .colour = pp.c_spec},
        {.cells = {"multi-purpose"}, .key = WP_KEY_MARK, .mark = WP_MARK_SQUARE,
         .colour = pp.c_multi},
    };
    struct wp_legend leg = {.items = items, .n = 2};
    double body_w = wp_frame_body_w(fr), gap = f->font_pt * 0.8;
    wp_legend_measure(f, &leg, body_w, 2);
    domains(&pp, rows, n);
    struct wp_plot *m = &pp.means, *r = &pp.ratio;
    m->x.side = r->x.side = WP_SIDE_BOTTOM;
    m->y.side = r->y.side = WP_SIDE_LEFT;
    m->x.title = unit == WP_UNIT_RUN
                     ? "Mean energy per 1,000 inferences (kWh)"
                     : wp_strs_printf(s, "Mean energy per 1,000 inferences (kWh), each %s "
                                         "weighted once", wp_unit_name(unit, 1));
    /* U+2011, a hyphen that does not break: "multi-" never ends a line */
    r->x.title = wp_strs_printf(s, "Multi\xe2\x80\x91purpose \xc3\xb7 task\xe2\x80\x91specific "
                                   "(%g%%\xc2\xa0" "CI over %s)", level * 100,
                                wp_unit_name(unit, 2));
    r->x.is_plain = true;
    m->y.cats = cats;
    r->y.cats = blank;
    m->y.n_cats = r->y.n_cats = n;
    m->y.cat_max_w = body_w * 0.34;
    m->y.cat_max_lines = 3;
    double body_h = wp_plot_height_for_rows(f, m, body_w * 0.55, f->font_pt * 3.4) + leg.h + gap;
    enum wp_err e = wp_frame_begin(fr, body_h, wp_frame_min_rows(fr, n, leg.h + gap), d);
    if (!e) {
        struct wp_rect outer = fr->body;
        outer.y += leg.h + gap;
        outer.h -= leg.h + gap;
        layout_panels(f, &pp, &outer);
        wp_legend_draw(f, &leg, m->area.x, fr->body.y);
        wp_axis_grid(f, &m->x, &m->area, true);
        wp_axis_grid(f, &r->x, &r->area, true);
        draw_means(f, m, rows, n, pp.c_spec, pp.c_multi);
        draw_ratios(f, r, rows, n);
        wp_axis_draw(f, &m->x, &m->area);
        wp_axis_draw(f, &m->y, &m->area);
        wp_axis_draw(f, &r->x, &r->area);
    }
    free(cats);
    return e;
}

enum wp_err wp_chart_compare(const struct wp_analysis *a, const struct wp_chart_opts *o,
                             struct wp_diag *d)
{
    if (!a->n_purpose)
        return wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                           "no task has runs of both task-specific and multi-purpose models: "
                           "tag each model with purpose task-specific or multi-purpose "
                           "(manifest column purpose)");
    const struct wp_purpose_cmp **rows = calloc(a->n_purpose, sizeof *rows);
    if (!rows)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < a->n_purpose; i++)
        rows[i] = &a->purpose[i];
    qsort(rows, a->n_purpose, sizeof *rows, by_ratio_desc);
    struct wp_strs s = {0};
    struct args x = {rows, a->n_purpose, a->opts.level, a->unit};
    enum wp_err e =
        wp_frame_render(o, a, "Task-specific vs multi-purpose models", draw, &x, &s, d);
    wp_strs_free(&s);
    free(rows);
    return e;
}
