/* Chart "quality": energy per 1,000 inferences (log x) against a published score (y), one
 * point per model and task, colour and marker by task, the Pareto front of each task (from
 * stats/paper.c: no other model of the task uses less energy for a score at least as high)
 * as a line through its points, its points drawn larger. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts/frame.h"
#include "charts/quality.h"

static bool usable(const struct wp_quality_row *r)
{
    return isfinite(r->kwh_per_1k) && r->kwh_per_1k > 0 && isfinite(r->score);
}

/* task[i]: the index of row i's task among the rows' tasks (q is sorted by task). */
static size_t task_indexes(const struct wp_quality *q, size_t *task)
{
    size_t n = 0;
    for (size_t i = 0; i < q->n; i++) {
        task[i] = i && strcmp(q->v[i].task, q->v[i - 1].task) == 0 ? task[i - 1] : n++;
    }
    return n;
}

static void fronts(struct wp_fig *f, const struct wp_plot *p, const struct wp_quality *q,
                   const size_t *task, size_t n_tasks)
{
    for (size_t i = 0, last = SIZE_MAX; i < q->n; i++) { /* rows by task, then energy */
        if (i && task[i] != task[i - 1])
            last = SIZE_MAX;
        if (!q->v[i].on_front || !usable(&q->v[i]))
            continue;
        if (last != SIZE_MAX) {
            struct wp_rgb c = wp_palette_colour(f->palette, f->theme_id, task[i], n_tasks);
            wp_line(f, wp_scale_map(&p->x.scale, q->v[last].kwh_per_1k),
                    wp_scale_map(&p->y.scale, q->v[last].score),
                    wp_scale_map(&p->x.scale, q->v[i].kwh_per_1k),
                    wp_scale_map(&p->y.scale, q->v[i].score), wp_fig_lw(f, 1.1), c, 1, 0);
        }
        last = i;
    }
}

/* What draw is given, through wp_frame_render. */
struct args {
    const struct wp_quality *q;
    const size_t *task;
    size_t n_tasks;
    const double *lim;
};

static enum wp_err draw(struct wp_frame *fr, const void *ctx, struct wp_strs *s,
                        struct wp_diag *d)
{
    const struct args *arg = ctx;
    const struct wp_quality *q = arg->q;
    const size_t *task = arg->task;
    size_t n_tasks = arg->n_tasks;
    const double *lim = arg->lim;
    struct wp_fig *f = &fr->fig;
    struct wp_legend_item *items = calloc(n_tasks + 1, sizeof *items);
    if (!items)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct wp_legend leg = {.items = items, .title = "Task"};
    for (size_t i = 0; i < q->n; i++) {
        size_t t = task[i];
        if (items[t].cells[0])
            continue;
        wp_legend_mark_item(f, &items[t], t, n_tasks);
        items[t].cells[0] = wp_strs_task(s, q->v[i].task);
    }
    items[n_tasks] = (struct wp_legend_item){.key = WP_KEY_LINE, .colour = f->theme->ink};
    items[n_tasks].cells[0] = "Pareto front (larger points)";
    leg.n = n_tasks + 1;
    struct wp_plot p = {0};
    wp_frame_scatter_axes(&p, WP_SCALE_LOG10, lim[0], lim[1], WP_SCALE_LINEAR, lim[2], lim[3]);
    p.x.title = "Energy per 1,000 inferences (kWh)";
    p.y.title = "Published score (mean over the task's datasets)";
    enum wp_err e = wp_frame_begin_plot_legend(fr, &p, &leg, 0.6, d);
    if (!e) {
        fronts(f, &p, q, task, n_tasks);
        double size = f->font_pt * 0.62;
        for (size_t i = 0; i < q->n; i++) {
            const struct wp_quality_row *r = &q->v[i];
            if (!usable(r))
                continue;
            struct wp_rgb c = wp_palette_colour(f->palette, f->theme_id, task[i], n_tasks);
            wp_mark(f, (enum wp_mark)(task[i] % WP_MARK_COUNT),
                    wp_scale_map(&p.x.scale, r->kwh_per_1k), wp_scale_map(&p.y.scale, r->score),
                    r->on_front ? size * 1.4 : size, c, r->on_front ? 1.0 : 0.45,
                    wp_rgb_edge(f->theme_id, c), wp_fig_lw(f, r->on_front ? 0.8 : 0.35));
        }
        wp_frame_end_plot_legend(fr, &p, &leg);
    }
    free(items);
    return e;
}

enum wp_err wp_chart_quality(const struct wp_quality *q, const struct wp_chart_opts *o,
                             struct wp_diag *d)
{
    double lim[4] = {INFINITY, -INFINITY, INFINITY, -INFINITY}; /* x0 x1 y0 y1 */
    size_t shown = 0;
    for (size_t i = 0; i < q->n; i++) {
        const struct wp_quality_row *r = &q->v[i];
        if (!usable(r))
            continue;
        shown++;
        lim[0] = fmin(lim[0], r->kwh_per_1k);
        lim[1] = fmax(lim[1], r->kwh_per_1k);
        lim[2] = fmin(lim[2], r->score);
        lim[3] = fmax(lim[3], r->score);
    }
    if (!shown)
        return wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                           "no model has both an energy and a score: nothing to plot");
    size_t *task = malloc(q->n * sizeof *task);
    if (!task)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct wp_strs s = {0};
    static const struct wp_analysis no_analysis; /* the figure's date: o->date or none */
    struct args x = {q, task, task_indexes(q, task), lim};
    enum wp_err e =
        wp_frame_render(o, &no_analysis, "Energy against published score", draw, &x, &s, d);
    wp_strs_free(&s);
    free(task);
    return e;
}
