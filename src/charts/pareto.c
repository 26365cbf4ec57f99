/* Chart "pareto": an energy metric against a latency or throughput column, one point per
 * configuration (src/analysis/genai.c), colour and marker by GPU model, the Pareto front
 * (computed there, wp_gen_pareto) drawn as a line through its points.  Each axis is
 * logarithmic when its values span more than a factor of 20, else linear. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charts/frame.h"
#include "charts/pareto.h"
#include "util/cmp.h"

static bool usable(double v)
{
    return isfinite(v) && v > 0;
}

/* hw[i]: the index of plotted configuration i's GPU model among those of the plotted
 * ones, in order of first appearance (SIZE_MAX for one not plotted); returns how many. */
static size_t hardware_indexes(const struct wp_gen_set *set, const double *x, const double *y,
                               size_t *hw)
{
    size_t n_hw = 0;
    for (size_t i = 0; i < set->n; i++) {
        hw[i] = SIZE_MAX;
        if (!usable(x[i]) || !usable(y[i]))
            continue;
        size_t j = 0;
        while (j < i && (hw[j] == SIZE_MAX ||
                         strcmp(set->v[j].gpu_model, set->v[i].gpu_model) != 0))
            j++;
        hw[i] = j < i ? hw[j] : n_hw++;
    }
    return n_hw;
}

static enum wp_scale_kind kind_for(double lo, double hi)
{
    return hi / lo > 20.0 ? WP_SCALE_LOG10 : WP_SCALE_LINEAR;
}

static int by_x(const void *pa, const void *pb, void *ctx)
{
    const double *x = ctx;
    double a = x[*(const size_t *)pa], b = x[*(const size_t *)pb];
    return wp_cmp_double(a, b);
}

/* The front's points joined in order of x. */
static void front_line(struct wp_fig *f, const struct wp_plot *p, const double *x,
                       const double *y, const bool *on_front, size_t n)
{
    size_t *idx = malloc((n ? n : 1) * sizeof *idx), k = 0;
    if (!idx)
        return;
    for (size_t i = 0; i < n; i++)
        if (on_front[i])
            idx[k++] = i;
    qsort_r(idx, k, sizeof *idx, by_x, (void *)x);
    for (size_t i = 1; i < k; i++)
        wp_line(f, wp_scale_map(&p->x.scale, x[idx[i - 1]]),
                wp_scale_map(&p->y.scale, y[idx[i - 1]]), wp_scale_map(&p->x.scale, x[idx[i]]),
                wp_scale_map(&p->y.scale, y[idx[i]]), wp_fig_lw(f, 1.1), f->theme->ink, 1,
                0);
    free(idx);
}

/* The points' values and ranges, and each one's hardware, for draw. */
struct pts {
    const double *x, *y;
    const size_t *hw;
    size_t n_hw;
    double x0, x1, y0, y1;
};

/* What draw is given, through wp_frame_render. */
struct args {
    const struct wp_gen_set *set;
    const struct pts *pt;
    const bool *on_front;
    const struct wp_pareto_in *in;
};

static enum wp_err draw(struct wp_frame *fr, const void *ctx, struct wp_strs *s,
                        struct wp_diag *d)
{
    const struct args *arg = ctx;
    const struct wp_gen_set *set = arg->set;
    const struct pts *pt = arg->pt;
    const bool *on_front = arg->on_front;
    const struct wp_pareto_in *in = arg->in;
    struct wp_fig *f = &fr->fig;
    const double *x = pt->x, *y = pt->y;
    size_t n_hw = pt->n_hw;
    struct wp_legend_item *items = calloc(n_hw + 1, sizeof *items);
    if (!items)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct wp_legend leg = {.items = items, .title = "GPU"};
    for (size_t i = 0; i < set->n; i++) {
        size_t h = pt->hw[i];
        if (h == SIZE_MAX || items[h].cells[0])
            continue;
        wp_legend_mark_item(f, &items[h], h, n_hw);
        items[h].cells[0] = wp_strs_escape(s, *set->v[i].gpu_model ? set->v[i].gpu_model
                                                                     : "unknown");
    }
    items[n_hw] = (struct wp_legend_item){.key = WP_KEY_LINE, .colour = f->theme->ink};
    items[n_hw].cells[0] = "Pareto front";
    leg.n = n_hw + 1;
    struct wp_plot p = {0};
    wp_frame_scatter_axes(&p, kind_for(pt->x0, pt->x1), pt->x0, pt->x1,
                          kind_for(pt->y0, pt->y1), pt->y0, pt->y1);
    p.x.title = wp_strs_printf(s, "%s (%s)", in->x->label, in->x->unit);
    p.y.title = wp_strs_printf(s, "%s (%s)", in->y->label, in->y->unit);
    enum wp_err e = wp_frame_begin_plot_legend(fr, &p, &leg, 0.7, d);
    if (!e) {
        front_line(f, &p, x, y, on_front, set->n);
        double size = f->font_pt * 0.62;
        for (size_t i = 0; i < set->n; i++) {
            if (!usable(x[i]) || !usable(y[i]))
                continue;
            size_t h = pt->hw[i];
            struct wp_rgb c = wp_palette_colour(f->palette, f->theme_id, h, n_hw);
            wp_mark(f, (enum wp_mark)(h % WP_MARK_COUNT), wp_scale_map(&p.x.scale, x[i]),
                    wp_scale_map(&p.y.scale, y[i]), on_front[i] ? size * 1.3 : size, c,
                    on_front[i] ? 1.0 : 0.6, wp_rgb_edge(f->theme_id, c),
                    wp_fig_lw(f, on_front[i] ? 0.8 : 0.35));
        }
        wp_frame_end_plot_legend(fr, &p, &leg);
    }
    free(items);
    return e;
}

enum wp_err wp_chart_pareto(const struct wp_pareto_in *in, const struct wp_chart_opts *o,
                            struct wp_diag *d)
{
    const struct wp_gen_set *set = in->set;
    size_t n = set->n ? set->n : 1;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    size_t *hw = malloc(n * sizeof *hw);
    enum wp_err e = WP_OK;
    struct wp_strs s = {0};
    if (!x || !y || !hw) {
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    size_t shown = 0;
    for (size_t i = 0; i < set->n; i++) {
        x[i] = wp_gen_value(&set->v[i], in->x);
        y[i] = wp_gen_value(&set->v[i], in->y);
        if (!usable(x[i]) || !usable(y[i]))
            continue;
        shown++;
        x0 = fmin(x0, x[i]);
        x1 = fmax(x1, x[i]);
        y0 = fmin(y0, y[i]);
        y1 = fmax(y1, y[i]);
    }
    if (!shown) {
        e = wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                        "no configuration has both %s and %s: nothing to plot", in->x->key,
                        in->y->key);
        goto out;
    }
    static const struct wp_analysis no_analysis; /* the figure's date: o->date or none */
    char title[160];
    snprintf(title, sizeof title, "%s against %s", in->y->label, in->x->label);
    struct pts pt = {.x = x, .y = y, .hw = hw, .n_hw = hardware_indexes(set, x, y, hw),
                     .x0 = x0, .x1 = x1, .y0 = y0, .y1 = y1};
    struct args a = {set, &pt, in->on_front, in};
    e = wp_frame_render(o, &no_analysis, title, draw, &a, &s, d);
out:
    wp_strs_free(&s);
    free(x);
    free(y);
    free(hw);
    return e;
}
