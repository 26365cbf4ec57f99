/* Chart "scaling": energy per 1,000 inferences against model parameters, log-log.  One
 * point per experiment, coloured and shaped by task; the analysis' per-task fit of
 * log10 energy on log10 parameters as a line over that task's parameter range, and the
 * all-task fit dashed (the slope within tasks, through the grand mean); slope and R^2 in
 * the legend. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts/frame.h"

/* The analysis' fit of a task (NULL: all tasks); NULL if none. */
static const struct wp_fit *fit_of(const struct wp_analysis *a, const char *task)
{
    for (size_t i = 0; i < a->n_scaling; i++) {
        const char *t = a->scaling[i].task;
        if ((!task && !t) || (task && t && strcmp(task, t) == 0))
            return &a->scaling[i].fit;
    }
    return NULL;
}

static bool drawable(const struct wp_fit *fit)
{
    return fit && fit->n >= 2 && isfinite(fit->slope) && isfinite(fit->intercept);
}

/* Okabe-Ito has 7 colours: the second round of tasks gets dashed lines (shapes differ
 * throughout), so no two tasks look alike. */
static double task_dash(const struct wp_fig *f, size_t i)
{
    return (i / 7) % 2 ? f->font_pt * 0.5 : 0;
}

static bool usable(const struct wp_point *p)
{
    return p->parameters > 0 && p->kwh_per_1k > 0 && isfinite(p->kwh_per_1k);
}

/* Parameter range of a group's usable points; false if it has none. */
static bool range_of(const struct wp_group_stats *g, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t k = 0; k < g->n_points; k++)
        if (usable(&g->points[k])) {
            *lo = fmin(*lo, (double)g->points[k].parameters);
            *hi = fmax(*hi, (double)g->points[k].parameters);
        }
    return *lo <= *hi;
}

static void fit_line(struct wp_fig *f, const struct wp_plot *p, const struct wp_fit *fit,
                     double x0, double x1, struct wp_rgb c, double dash, double lw)
{
    if (!drawable(fit) || !(x1 > x0))
        return;
    double y0 = pow(10, fit->intercept + fit->slope * log10(x0));
    double y1 = pow(10, fit->intercept + fit->slope * log10(x1));
    cairo_save(f->cr);
    cairo_rectangle(f->cr, p->area.x, p->area.y, p->area.w, p->area.h);
    cairo_clip(f->cr);
    wp_line(f, wp_scale_map(&p->x.scale, x0), wp_scale_map(&p->y.scale, y0),
            wp_scale_map(&p->x.scale, x1), wp_scale_map(&p->y.scale, y1), lw, c, 1, dash);
    cairo_restore(f->cr);
}

/* Slope and R^2 with two decimals, aligned in the legend's columns; a dash if none. */
static void fit_cells(struct wp_strs *s, const struct wp_fit *fit, const char **cells)
{
    char slope[64], r2[64];
    wp_tick_label_linear(drawable(fit) ? fit->slope : 0, 0.01, slope, sizeof slope);
    if (drawable(fit) && fabs(fit->slope) < 0.005)
        snprintf(slope, sizeof slope, "0.00");
    snprintf(r2, sizeof r2, "%.2f", fit && isfinite(fit->r2) ? fit->r2 : 0.0);
    cells[1] = wp_strs_printf(s, "%s", drawable(fit) ? slope : "\xe2\x80\x93");
    cells[2] = wp_strs_printf(s, "%s", fit && isfinite(fit->r2) ? r2 : "\xe2\x80\x93");
}

/* One legend row per task that has points, then the all-task fit. */
static size_t legend_items(struct wp_fig *f, const struct wp_analysis *a,
                           struct wp_legend_item *items, struct wp_strs *s)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_groups; i++) {
        const struct wp_group_stats *g = &a->groups[i];
        double lo, hi;
        if (!range_of(g, &lo, &hi))
            continue;
        const struct wp_fit *fit = fit_of(a, g->task);
        struct wp_legend_item *it = &items[n++];
        *it = (struct wp_legend_item){
            .key = drawable(fit) ? WP_KEY_MARK_LINE : WP_KEY_MARK,
            .mark = (enum wp_mark)(i % WP_MARK_COUNT),
            .colour = wp_palette_colour(f->palette, f->theme_id, i, a->n_groups),
            .dash = task_dash(f, i),
        };
        it->cells[0] = wp_strs_task(s, g->task);
        fit_cells(s, fit, it->cells);
    }
    const struct wp_fit *all = fit_of(a, NULL);
    if (n > 1 && drawable(all)) {
        struct wp_legend_item *it = &items[n++];
        *it = (struct wp_legend_item){.key = WP_KEY_LINE, .colour = f->theme->ink,
                                      .dash = f->font_pt * 0.2};
        it->cells[0] = "all tasks (slope within tasks)";
        fit_cells(s, all, it->cells);
    }
    return n;
}

static void draw_data(struct wp_fig *f, const struct wp_analysis *a, const struct wp_plot *p)
{
    double lw = wp_fig_lw(f, 1.1), size = f->font_pt * 0.62;
    double all_lo = INFINITY, all_hi = -INFINITY;
    for (size_t i = 0; i < a->n_groups; i++) {
        const struct wp_group_stats *g = &a->groups[i];
        struct wp_rgb c = wp_palette_colour(f->palette, f->theme_id, i, a->n_groups);
        double lo, hi;
        if (!range_of(g, &lo, &hi))
            continue;
        all_lo = fmin(all_lo, lo);
        all_hi = fmax(all_hi, hi);
        for (size_t k = 0; k < g->n_points; k++)
            if (usable(&g->points[k]))
                wp_mark(f, (enum wp_mark)(i % WP_MARK_COUNT),
                        wp_scale_map(&p->x.scale, (double)g->points[k].parameters),
                        wp_scale_map(&p->y.scale, g->points[k].kwh_per_1k), size, c, 0.85,
                        wp_rgb_edge(f->theme_id, c), wp_fig_lw(f, 0.35));
        fit_line(f, p, fit_of(a, g->task), lo, hi, c, task_dash(f, i), lw);
    }
    if (a->n_groups > 1)
        fit_line(f, p, fit_of(a, NULL), all_lo, all_hi, f->theme->ink, f->font_pt * 0.2,
                 wp_fig_lw(f, 0.9));
}

/* What draw is given, through wp_frame_render. */
struct args {
    const struct wp_analysis *a;
    double x0, x1, y0, y1; /* the parameters' and energies' extent */
};

static enum wp_err draw(struct wp_frame *fr, const void *ctx, struct wp_strs *s,
                        struct wp_diag *d)
{
    const struct args *arg = ctx;
    const struct wp_analysis *a = arg->a;
    struct wp_fig *f = &fr->fig;
    struct wp_legend_item *items = calloc(a->n_groups + 1, sizeof *items);
    if (!items)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct wp_legend leg = {.items = items, .header = {"", "slope", "R<sup>2</sup>"}};
    leg.n = legend_items(f, a, items, s);
    double body_w = wp_frame_body_w(fr), gap = f->font_pt * 1.5;
    wp_legend_measure(f, &leg, body_w, 1);
    bool right = leg.w <= body_w * 0.4; /* beside the plot when narrow enough, else below */
    if (!right)
        wp_legend_measure(f, &leg, body_w, 0);
    double plot_w = right ? body_w - leg.w - gap : body_w;
    double body_h = right ? fmax(plot_w * 0.8, leg.h) : plot_w * 0.75 + gap + leg.h;
    struct wp_plot p = {0};
    wp_frame_scatter_axes(&p, WP_SCALE_LOG10, arg->x0, arg->x1, WP_SCALE_LOG10, arg->y0,
                          arg->y1);
    p.x.title = "Model parameters";
    p.y.title = wp_metric_title(WP_METRIC_ENERGY);
    /* the plot needs some height besides its legend */
    double min_h = right ? fmax(leg.h, f->font_pt * 12) : leg.h + gap + f->font_pt * 12;
    enum wp_err e = wp_frame_begin(fr, body_h, min_h, d);
    if (!e) {
        struct wp_rect outer = fr->body;
        if (right)
            outer.w -= leg.w + gap;
        else
            outer.h -= leg.h + gap;
        wp_plot_layout(f, &p, &outer);
        wp_axis_grid(f, &p.x, &p.area, false);
        wp_axis_grid(f, &p.y, &p.area, false);
        draw_data(f, a, &p);
        wp_axis_draw(f, &p.x, &p.area);
        wp_axis_draw(f, &p.y, &p.area);
        if (right)
            wp_legend_draw(f, &leg, fr->body.x + fr->body.w - leg.w, p.area.y);
        else
            wp_legend_draw(f, &leg, fr->body.x + (fr->body.w - leg.w) / 2,
                           fr->body.y + fr->body.h - leg.h);
    }
    free(items);
    return e;
}

enum wp_err wp_chart_scaling(const struct wp_analysis *a, const struct wp_chart_opts *o,
                             struct wp_diag *d)
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < a->n_groups; i++)
        for (size_t k = 0; k < a->groups[i].n_points; k++) {
            const struct wp_point *pt = &a->groups[i].points[k];
            if (!usable(pt))
                continue;
            x0 = fmin(x0, (double)pt->parameters);
            x1 = fmax(x1, (double)pt->parameters);
            y0 = fmin(y0, pt->kwh_per_1k);
            y1 = fmax(y1, pt->kwh_per_1k);
        }
    if (!(x0 <= x1))
        return wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                           "no experiment has a parameter count to plot against: give the "
                           "models' parameters in the manifest (column parameters)");
    struct wp_strs s = {0};
    struct args x = {a, x0, x1, y0, y1};
    enum wp_err e = wp_frame_render(o, a, "Energy per 1,000 inferences vs model size", draw,
                                    &x, &s, d);
    wp_strs_free(&s);
    return e;
}
