/* Chart "groups": the runs before any label, one row per group their logs name (see
 * groups.h): the mean kWh per run as a dot on a log axis (runs of one log span decades) and
 * its bootstrap interval over runs as a whisker, the run count under the group's name. */
#include "charts/groups.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts/frame.h"

struct row {
    const struct wp_logged_group *g;
    double mean, lo, hi; /* kWh per run; lo, hi NaN without an interval */
};

static int by_mean_desc(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->mean != y->mean)
        return x->mean > y->mean ? -1 : 1;
    return strcmp(x->g->name, y->g->name);
}

static void draw_rows(struct wp_fig *f, const struct wp_plot *p, const struct row *rows,
                      size_t n)
{
    const struct wp_theme *th = f->theme;
    double band = p->area.h / (double)n, lw = wp_fig_lw(f, 0.8);
    double thick = fmin(band * 0.62, f->font_pt * 1.6), dot = f->font_pt * 0.75;
    struct wp_rgb c = wp_palette_colour(f->palette, f->theme_id, 0, 1);
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        double cy = wp_scale_map(&p->y.scale, (double)i);
        wp_line(f, p->area.x, cy, p->area.x + p->area.w, cy, wp_fig_lw(f, 0.4), th->minor, 1,
                0);
        if (isfinite(r->lo) && isfinite(r->hi) && r->lo > 0) {
            double xl = wp_scale_map(&p->x.scale, r->lo), xh = wp_scale_map(&p->x.scale, r->hi);
            double cap = fmin(thick * 0.3, f->font_pt * 0.4);
            wp_line(f, xl, cy, xh, cy, lw, th->ink, 1, 0);
            if (xh - xl > dot * 1.6) {
                wp_line(f, xl, cy - cap, xl, cy + cap, lw, th->ink, 1, 0);
                wp_line(f, xh, cy - cap, xh, cy + cap, lw, th->ink, 1, 0);
            }
        }
        wp_mark(f, WP_MARK_CIRCLE, wp_scale_map(&p->x.scale, r->mean), cy, dot, c, 1,
                wp_rgb_edge(f->theme_id, c), wp_fig_lw(f, 0.4));
    }
}

/* What draw is given, through wp_frame_render. */
struct args {
    const struct row *rows;
    size_t n;
    double level;
};

static enum wp_err draw(struct wp_frame *fr, const void *ctx, struct wp_strs *s,
                        struct wp_diag *d)
{
    const struct args *arg = ctx;
    const struct row *rows = arg->rows;
    size_t n = arg->n;
    struct wp_fig *f = &fr->fig;
    char muted[8];
    wp_rgb_hex(f->theme->muted, muted, sizeof muted);
    const char **cats = calloc(n, sizeof *cats);
    if (!cats)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    double lo = INFINITY, hi = 0;
    for (size_t i = 0; i < n; i++) {
        const struct wp_logged_group *g = rows[i].g;
        cats[i] = wp_strs_printf(s, "%s\n<span size=\"smaller\" foreground=\"%s\">%zu "
                                    "run%s</span>",
                                 wp_strs_escape(s, g->name), muted, g->n_energy,
                                 g->n_energy == 1 ? "" : "s");
        double top = isfinite(rows[i].hi) ? fmax(rows[i].hi, rows[i].mean) : rows[i].mean;
        hi = fmax(hi, top);
        lo = fmin(lo, rows[i].mean);
        if (rows[i].lo > 0)
            lo = fmin(lo, rows[i].lo);
    }
    struct wp_plot p = {0};
    p.x.side = WP_SIDE_BOTTOM;
    p.y.side = WP_SIDE_LEFT;
    enum wp_err e = wp_scale_fit(&p.x.scale, WP_SCALE_LOG10, lo, hi, 0.04, false);
    if (e)
        e = wp_diag_set(d, e, NULL, 0, 0, "no energy to plot");
    p.x.title = wp_strs_printf(s, "kWh per run: mean and %g%% bootstrap CI over runs",
                               arg->level * 100);
    p.y.cats = cats;
    p.y.n_cats = n;
    double body_w = wp_frame_body_w(fr);
    p.y.cat_max_w = body_w * 0.45;
    p.y.cat_max_lines = 3;
    if (!e)
        e = wp_frame_begin(fr, wp_plot_height_for_rows(f, &p, body_w, f->font_pt * 2.9),
                           wp_frame_min_rows(fr, n, 0), d);
    if (!e) {
        wp_plot_layout(f, &p, &fr->body);
        wp_axis_grid(f, &p.x, &p.area, true);
        draw_rows(f, &p, rows, n);
        wp_axis_draw(f, &p.x, &p.area);
        wp_axis_draw(f, &p.y, &p.area);
    }
    free(cats);
    return e;
}

enum wp_err wp_chart_groups(const struct wp_logged *l, const struct wp_chart_opts *o,
                            struct wp_diag *d)
{
    struct row *rows = calloc(l->n ? l->n : 1, sizeof *rows);
    if (!rows)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t total = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct wp_logged_group *g = &l->v[i];
        if (g->energy_kwh.mean > 0) /* a log axis: a group of zero energy cannot show */
            rows[total++] = (struct row){g, g->energy_kwh.mean, g->energy_boot.lo,
                                         g->energy_boot.hi};
    }
    if (!total) {
        free(rows);
        return wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                           "no group of unlabelled runs has an energy to plot");
    }
    qsort(rows, total, sizeof *rows, by_mean_desc);
    size_t top = o->top ? o->top : WP_CHART_TOP_DEFAULT, n = total < top ? total : top;
    struct wp_chart_opts oo = *o;
    if (!oo.date)
        oo.date = l->newest;
    struct wp_strs s = {0};
    const char *title = n < total
                            ? wp_strs_printf(&s, "Top %zu of %zu groups of runs by mean energy",
                                             n, total)
                            : "Energy per run, by what the logs name";
    struct args x = {rows, n, l->level};
    enum wp_err e = wp_frame_render(&oo, NULL, title, draw, &x, &s, d);
    wp_strs_free(&s);
    free(rows);
    return e;
}
