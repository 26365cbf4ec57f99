/* Chart "models": mean energy (or emissions) per 1,000 inferences of each model on each
 * task (the analysis grouped by model and task), highest first, the top N, with the
 * analysis' t confidence interval of each mean as whiskers.  Bars start at zero on a
 * linear axis; when the shown means span more than a factor of 20, bars would hide the
 * small ones, so the chart becomes a dot plot on a log axis instead. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts/frame.h"

#define LOG_SPAN 20.0 /* max/min of the shown means beyond which the axis is log */

struct row {
    const struct wp_group_stats *g;
    double mean, lo, hi; /* lo, hi NaN when the interval is undefined (n < 2) */
    size_t task;         /* index among the distinct tasks shown, for colour */
};

static int by_mean_desc(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->mean != y->mean)
        return x->mean > y->mean ? -1 : 1;
    int c = strcmp(x->g->model ? x->g->model : "", y->g->model ? y->g->model : "");
    return c ? c : strcmp(x->g->task ? x->g->task : "", y->g->task ? y->g->task : "");
}

static size_t collect(const struct wp_analysis *a, enum wp_metric m, struct row *rows)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_groups; i++) {
        const struct wp_group_stats *g = &a->groups[i];
        const struct wp_ci *ci = m == WP_METRIC_EMISSIONS ? &g->g_t : &g->kwh_t;
        double mean = wp_metric_summary(g, m)->mean;
        if (!isfinite(mean) || mean < 0)
            continue;
        bool has_ci = isfinite(ci->lo) && isfinite(ci->hi);
        rows[n++] = (struct row){g, mean, has_ci ? ci->lo : NAN, has_ci ? ci->hi : NAN, 0};
    }
    qsort(rows, n, sizeof *rows, by_mean_desc);
    return n;
}

/* Numbers the distinct tasks of the shown rows in order of first appearance. */
static size_t index_tasks(struct row *rows, size_t n, const char **names)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *t = rows[i].g->task ? rows[i].g->task : "";
        size_t j = 0;
        while (j < k && strcmp(names[j], t) != 0)
            j++;
        if (j == k)
            names[k++] = t;
        rows[i].task = j;
    }
    return k;
}

struct view {
    const struct row *rows;
    size_t n, n_tasks;
    bool is_log;
    enum wp_metric metric;
    enum wp_unit unit; /* what the intervals are over */
};

static enum wp_mark task_mark(const struct view *v, size_t task)
{
    return v->n_tasks > 1 ? (enum wp_mark)(task % WP_MARK_COUNT) : WP_MARK_CIRCLE;
}

static void draw_rows(struct wp_fig *f, const struct wp_plot *p, const struct view *v)
{
    const struct wp_theme *th = f->theme;
    double band = p->area.h / (double)v->n, lw = wp_fig_lw(f, 0.8);
    double thick = fmin(band * 0.62, f->font_pt * 1.6);
    for (size_t i = 0; i < v->n; i++) {
        const struct row *r = &v->rows[i];
        struct wp_rgb c = wp_palette_colour(f->palette, f->theme_id,
                                            v->n_tasks > 1 ? r->task : 0, v->n_tasks);
        double cy = wp_scale_map(&p->y.scale, (double)i);
        double x = wp_scale_map(&p->x.scale, r->mean);
        if (!v->is_log) {
            double x0 = wp_scale_map(&p->x.scale, 0);
            struct wp_rect bar = {x0, cy - thick / 2, x - x0, thick};
            wp_fill_rect(f, &bar, c, 1);
        }
        double dot = f->font_pt * 0.75;
        if (v->is_log) /* a dot plot: a faint guide from the label to the dot */
            wp_line(f, p->area.x, cy, p->area.x + p->area.w, cy, wp_fig_lw(f, 0.4), th->minor,
                    1, 0);
        if (isfinite(r->lo)) {
            /* a log axis cannot show a bound at or below zero: the whisker runs off the
             * axis' start and ends in an arrow head, not a cap (the axis title says so) */
            bool open = v->is_log && !(r->lo > 0);
            double lo = open ? p->x.scale.d0 : r->lo;
            double xl = wp_scale_map(&p->x.scale, lo), xh = wp_scale_map(&p->x.scale, r->hi);
            double cap = fmin(thick * 0.3, f->font_pt * 0.4);
            wp_line(f, xl, cy, xh, cy, lw, th->ink, 1, 0);
            if (open) {
                wp_line(f, xl, cy, xl + cap, cy - cap, lw, th->ink, 1, 0);
                wp_line(f, xl, cy, xl + cap, cy + cap, lw, th->ink, 1, 0);
            }
            /* caps only where the interval is wider than them (and the dot hiding it) */
            if (xh - xl > (v->is_log ? dot * 1.6 : cap * 2)) {
                if (!open)
                    wp_line(f, xl, cy - cap, xl, cy + cap, lw, th->ink, 1, 0);
                wp_line(f, xh, cy - cap, xh, cy + cap, lw, th->ink, 1, 0);
            }
        }
        if (v->is_log) /* shape as well as colour: Okabe-Ito has 7 colours */
            wp_mark(f, task_mark(v, r->task), x, cy, dot, c, 1, wp_rgb_edge(f->theme_id, c),
                    wp_fig_lw(f, 0.4));
    }
}

static void domain(const struct view *v, struct wp_scale *s)
{
    double lo = INFINITY, hi = 0;
    for (size_t i = 0; i < v->n; i++) {
        const struct row *r = &v->rows[i];
        double top = isfinite(r->hi) ? fmax(r->hi, r->mean) : r->mean;
        hi = fmax(hi, top);
        if (r->mean > 0)
            lo = fmin(lo, r->mean);
        if (r->lo > 0)
            lo = fmin(lo, r->lo);
    }
    if (v->is_log)
        wp_scale_fit(s, WP_SCALE_LOG10, lo, hi, 0.04, false);
    else
        wp_scale_fit(s, WP_SCALE_LINEAR, 0, hi > 0 ? hi : 1, 0.03, true);
}

/* "stable-diffusion-xl-base-1.0" over a muted "stabilityai · image generation": the
 * model's own name first, its organisation (the Hugging Face id's prefix) and task
 * below, so long ids need not wrap. */
static const char *row_label(struct wp_strs *s, const struct wp_group_stats *g, bool task,
                             const char *muted)
{
    const char *id = g->model ? g->model : "(no model)";
    const char *slash = strchr(id, '/');
    const char *name = wp_strs_escape(s, slash && slash[1] ? slash + 1 : id);
    const char *org = slash && slash[1] ? wp_strs_printf(s, "%.*s", (int)(slash - id), id) : NULL;
    org = org ? wp_strs_escape(s, org) : NULL;
    const char *sub = org && task ? wp_strs_printf(s, "%s \xc2\xb7 %s", org, wp_strs_task(s, g->task))
                      : org       ? org
                      : task      ? wp_strs_task(s, g->task)
                                  : NULL;
    if (!sub)
        return name;
    return wp_strs_printf(s, "%s\n<span size=\"smaller\" foreground=\"%s\">%s</span>", name,
                          muted, sub);
}

static enum wp_err draw(struct wp_frame *fr, const struct view *v, const char **tasks,
                        double level, struct wp_strs *s, struct wp_diag *d)
{
    struct wp_fig *f = &fr->fig;
    char muted[8];
    wp_rgb_hex(f->theme->muted, muted, sizeof muted);
    const char **cats = calloc(v->n, sizeof *cats);
    struct wp_legend_item *items = calloc(v->n_tasks, sizeof *items);
    if (!cats || !items) {
        free(cats);
        free(items);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < v->n; i++)
        cats[i] = row_label(s, v->rows[i].g, v->n_tasks > 1, muted);
    for (size_t k = 0; k < v->n_tasks; k++) {
        items[k] = (struct wp_legend_item){
            .key = v->is_log ? WP_KEY_MARK : WP_KEY_BOX,
            .mark = task_mark(v, k),
            .colour = wp_palette_colour(f->palette, f->theme_id, k, v->n_tasks)};
        items[k].cells[0] = wp_strs_task(s, tasks[k]);
    }
    struct wp_legend leg = {.items = items, .n = v->n_tasks > 1 ? v->n_tasks : 0};
    double body_w = wp_frame_body_w(fr), gap = f->font_pt;
    if (leg.n)
        wp_legend_measure(f, &leg, body_w, 0);
    struct wp_plot p = {0};
    p.x.side = WP_SIDE_BOTTOM;
    p.y.side = WP_SIDE_LEFT;
    domain(v, &p.x.scale);
    bool open = false; /* an interval reaching zero or below, on a log axis */
    for (size_t i = 0; i < v->n && v->is_log; i++)
        open |= isfinite(v->rows[i].lo) && !(v->rows[i].lo > 0);
    p.x.title = wp_strs_printf(s, "%s: mean and %g%% CI over %s%s",
                               wp_metric_title(v->metric), level * 100,
                               wp_unit_name(v->unit, 2),
                               open ? " (\xe2\x97\x82 the CI reaches zero or below)" : "");
    p.y.cats = cats;
    p.y.n_cats = v->n;
    p.y.cat_max_w = body_w * 0.45;
    p.y.cat_max_lines = 3;
    double row = f->font_pt * 2.9;
    double body_h = wp_plot_height_for_rows(f, &p, body_w, row) + (leg.n ? leg.h + gap : 0);
    enum wp_err e = wp_frame_begin(fr, body_h,
                                   wp_frame_min_rows(fr, v->n, leg.n ? leg.h + gap : 0), d);
    if (!e) {
        struct wp_rect outer = fr->body;
        if (leg.n) { /* the legend on top, under the title */
            wp_legend_draw(f, &leg, outer.x, outer.y);
            outer.y += leg.h + gap;
            outer.h -= leg.h + gap;
        }
        wp_plot_layout(f, &p, &outer);
        wp_axis_grid(f, &p.x, &p.area, v->is_log);
        draw_rows(f, &p, v);
        wp_axis_draw(f, &p.x, &p.area);
        wp_axis_draw(f, &p.y, &p.area);
    }
    free(cats);
    free(items);
    return e;
}

/* How many of the first n rows fit a fixed height at their natural row height (which
 * leaves room to spare for the estimate of the legend: tasks in rows of three). */
static size_t rows_that_fit(const struct wp_frame *fr, struct row *rows, size_t n,
                            const char **tasks)
{
    double font = fr->fig.font_pt;
    double body = fr->fig.height_pt - 2 * fr->pad - fr->title_h - font * 5;
    for (; n > 1; n--) {
        size_t n_tasks = index_tasks(rows, n, tasks);
        double legend = n_tasks > 1 ? (double)((n_tasks + 2) / 3) * font * 1.35 + font : 0;
        if ((double)n * font * 2.9 + legend <= body)
            break;
    }
    return n;
}

static const char *title(const struct wp_chart_opts *o, size_t shown, size_t total,
                         bool is_pairs, struct wp_strs *s)
{
    /* short: the axis title says what is measured */
    const char *what = o->metric == WP_METRIC_EMISSIONS ? "emissions" : "energy";
    const char *task = "";
    if (o->task)
        task = wp_strs_printf(s, " on %s", wp_strs_task_plain(s, o->task));
    /* over several tasks a row is a model on a task, and a model may have several rows */
    if (shown < total)
        return wp_strs_printf(s, "Top %zu of %zu %s by mean %s%s", shown, total,
                              is_pairs ? "model-task pairs" : "models", what, task);
    return wp_strs_printf(s, "Models by mean %s%s", what, task);
}

struct args {
    struct view *v;
    struct row *rows; /* v's, which the fit reorders */
    const char **tasks;
    const struct wp_chart_opts *o;
    size_t total;
    bool is_pairs; /* the rows span several tasks */
    double level;
};

/* With a fixed height, the top N rows that fit and the title that says so; then the body. */
static enum wp_err draw_args(struct wp_frame *fr, const void *ctx, struct wp_strs *s,
                             struct wp_diag *d)
{
    const struct args *x = ctx;
    enum wp_err e = WP_OK;
    if (!x->o->top && fr->fig.height_pt > 0) {
        x->v->n = rows_that_fit(fr, x->rows, x->v->n, x->tasks);
        x->v->n_tasks = index_tasks(x->rows, x->v->n, x->tasks);
        e = wp_frame_set_title(fr, x->o, title(x->o, x->v->n, x->total, x->is_pairs, s), d);
    }
    return e ? e : draw(fr, x->v, x->tasks, x->level, s, d);
}

enum wp_err wp_chart_models(const struct wp_analysis *a, const struct wp_chart_opts *o,
                            struct wp_diag *d)
{
    struct row *rows = calloc(a->n_groups ? a->n_groups : 1, sizeof *rows);
    const char **tasks = calloc(a->n_groups ? a->n_groups : 1, sizeof *tasks);
    struct wp_strs s = {0};
    enum wp_err e = WP_OK;
    if (!rows || !tasks) {
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    size_t total = collect(a, o->metric, rows);
    size_t n = total < (o->top ? o->top : WP_CHART_TOP_DEFAULT)
                   ? total : (o->top ? o->top : WP_CHART_TOP_DEFAULT);
    if (!n) {
        e = wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0, "no model has %s per 1,000 inferences "
                        "to plot%s%s", o->metric == WP_METRIC_EMISSIONS ? "emissions" : "energy",
                        o->task ? " on task " : "", o->task ? o->task : "");
        goto out;
    }
    struct view v = {.rows = rows, .n = n, .metric = o->metric, .unit = a->unit};
    bool is_pairs = index_tasks(rows, total, tasks) > 1;
    v.n_tasks = index_tasks(rows, n, tasks);
    double lo = INFINITY, hi = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].mean > 0) {
            lo = fmin(lo, rows[i].mean);
            hi = fmax(hi, rows[i].mean);
        }
    v.is_log = hi > 0 && hi / lo > LOG_SPAN;
    struct args x = {&v, rows, tasks, o, total, is_pairs, a->opts.level};
    e = wp_frame_render(o, a, title(o, n, total, is_pairs, &s), draw_args, &x, &s, d);
out:
    wp_strs_free(&s);
    free(rows);
    free(tasks);
    return e;
}
