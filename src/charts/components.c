/* Chart "components": how each task's energy splits between GPU, CPU and RAM (the
 * analysis' shares of summed component energy), as 100% stacked horizontal bars ordered
 * by GPU share; tasks whose logs lack the components are listed as "not measured".  A
 * component the logs mark modelled (CodeCarbon's RAM, a TDP-based CPU) is hatched and
 * its legend entry says "modelled". */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/basis.h"
#include "charts/frame.h"

#define N_PARTS 3

static const char *const part_names[N_PARTS] = {"GPU", "CPU", "RAM"};
static const int part_comp[N_PARTS] = {WP_COMP_GPU, WP_COMP_CPU, WP_COMP_RAM};

/* Diagonal hatching over r (lines of slope -1 every `step` points), each line clipped to r
 * by hand so that it works the same in every output format. */
static void hatch(struct wp_fig *f, const struct wp_rect *r, struct wp_rgb ink)
{
    double step = f->font_pt * 0.55, lw = wp_fig_lw(f, 0.6);
    if (!(r->w > 0) || !(r->h > 0))
        return;
    /* the line x + y = c crosses r for c in (x + y, x + w + y + h) */
    for (double c = r->x + r->y + step / 2; c < r->x + r->w + r->y + r->h; c += step) {
        double xa = fmax(r->x, c - (r->y + r->h)), xb = fmin(r->x + r->w, c - r->y);
        if (xb > xa)
            wp_line(f, xa, c - xa, xb, c - xb, lw, ink, 0.55, 0);
    }
}

struct row {
    const struct wp_group_stats *g;
    double share[N_PARTS]; /* GPU, CPU, RAM; NaN unknown */
    bool is_known;
};

static int by_gpu(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->is_known != y->is_known)
        return x->is_known ? -1 : 1;
    if (x->is_known && x->share[0] != y->share[0])
        return x->share[0] > y->share[0] ? -1 : 1;
    return strcmp(x->g->task ? x->g->task : "", y->g->task ? y->g->task : "");
}

static void draw_row(struct wp_fig *f, const struct wp_plot *p, const struct row *r, size_t i,
                     const struct wp_rgb *colours, const bool *is_modelled)
{
    double band = p->area.h / fmax(1, (double)p->y.n_cats);
    double cy = wp_scale_map(&p->y.scale, (double)i), thick = fmin(band * 0.66, f->font_pt * 2);
    if (!r->is_known) {
        struct wp_text t = {.s = "not measured", .size_pt = f->font_pt * 0.93};
        wp_text_put(f, &t, p->area.x + f->font_pt * 0.4, cy, 0, 0.5, 0, f->theme->muted, NULL,
                    NULL);
        return;
    }
    double acc = 0;
    for (int k = 0; k < N_PARTS; k++) {
        double x0 = wp_scale_map(&p->x.scale, acc * 100);
        acc += r->share[k];
        double x1 = wp_scale_map(&p->x.scale, acc * 100);
        struct wp_rect seg = {x0, cy - thick / 2, x1 - x0, thick};
        wp_fill_rect(f, &seg, colours[k], 1);
        if (is_modelled[k])
            hatch(f, &seg, wp_rgb_luminance(colours[k]) > 0.35 ? (struct wp_rgb){0.1, 0.1, 0.1}
                                                              : (struct wp_rgb){1, 1, 1});
        /* the percentage inside the segment when it fits */
        char pct[32];
        snprintf(pct, sizeof pct, "%.0f%%", r->share[k] * 100);
        struct wp_text t = {.s = pct, .size_pt = f->font_pt * 0.86};
        double w, h;
        wp_text_measure(f, &t, &w, &h);
        if (w + f->font_pt * 0.6 <= seg.w && h <= thick) {
            struct wp_rgb ink = wp_rgb_luminance(colours[k]) > 0.35
                                    ? (struct wp_rgb){0.1, 0.1, 0.1}
                                    : (struct wp_rgb){1, 1, 1};
            wp_text_put(f, &t, x0 + seg.w / 2, cy, 0.5, 0.5, 0, ink, NULL, NULL);
        }
    }
    /* a hairline of the page colour between segments keeps equal colours apart */
    for (int k = 1; k < N_PARTS; k++) {
        double acc_k = 0;
        for (int j = 0; j < k; j++)
            acc_k += r->share[j];
        double x = wp_scale_map(&p->x.scale, acc_k * 100);
        if (r->share[k] > 0)
            wp_line(f, x, cy - thick / 2, x, cy + thick / 2, wp_fig_lw(f, 0.4), f->theme->bg,
                    1, 0);
    }
}

/* What draw is given, through wp_frame_render. */
struct args {
    struct row *rows;
    size_t n;
    const struct wp_basis_summary *basis;
};

static enum wp_err draw(struct wp_frame *fr, const void *ctx, struct wp_strs *s,
                        struct wp_diag *d)
{
    const struct args *arg = ctx;
    struct row *rows = arg->rows;
    size_t n = arg->n;
    const struct wp_basis_summary *basis = arg->basis;
    struct wp_fig *f = &fr->fig;
    const char **cats = calloc(n, sizeof *cats);
    if (!cats)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        cats[i] = wp_strs_task(s, rows[i].g->task);
    struct wp_rgb colours[N_PARTS];
    struct wp_legend_item items[N_PARTS];
    bool is_modelled[N_PARTS], any_modelled = false;
    char labels[N_PARTS][48];
    for (int k = 0; k < N_PARTS; k++) {
        colours[k] = wp_palette_colour(f->palette, f->theme_id, (size_t)k, N_PARTS);
        items[k] = (struct wp_legend_item){.key = WP_KEY_BOX, .colour = colours[k]};
        const char *w = wp_basis_word(basis, part_comp[k]);
        is_modelled[k] = w && strstr(w, "modelled");
        any_modelled |= is_modelled[k];
        snprintf(labels[k], sizeof labels[k], is_modelled[k] ? "%s (%s)" : "%s",
                 part_names[k], w);
        items[k].cells[0] = labels[k];
    }
    struct wp_legend leg = {.items = items, .n = N_PARTS};
    double body_w = wp_frame_body_w(fr), gap = f->font_pt * 0.8;
    wp_legend_measure(f, &leg, body_w, N_PARTS);
    struct wp_plot p = {0};
    p.x.side = WP_SIDE_BOTTOM;
    p.y.side = WP_SIDE_LEFT;
    wp_scale_fit(&p.x.scale, WP_SCALE_LINEAR, 0, 100, 0, true);
    p.x.suffix = "%";
    p.x.title = any_modelled ? "Share of logged energy (hatched: modelled)"
                             : "Share of measured energy";
    p.y.cats = cats;
    p.y.n_cats = n;
    p.y.cat_max_w = body_w * 0.38;
    p.y.cat_max_lines = 2;
    double body_h = wp_plot_height_for_rows(f, &p, body_w, f->font_pt * 2.2) + leg.h + gap;
    enum wp_err e = wp_frame_begin(fr, body_h, wp_frame_min_rows(fr, n, leg.h + gap), d);
    if (!e) {
        struct wp_rect outer = fr->body;
        outer.y += leg.h + gap;
        outer.h -= leg.h + gap;
        wp_plot_layout(f, &p, &outer);
        /* over the bars, moved left when its longer names ("modelled") would pass the edge */
        wp_legend_draw(f, &leg, fmin(p.area.x, fr->body.x + body_w - leg.w), fr->body.y);
        for (size_t i = 0; i < n; i++)
            draw_row(f, &p, &rows[i], i, colours, is_modelled);
        wp_axis_draw(f, &p.x, &p.area);
        wp_axis_draw(f, &p.y, &p.area);
    }
    free(cats);
    return e;
}

enum wp_err wp_chart_components(const struct wp_analysis *a, const struct wp_chart_opts *o,
                                struct wp_diag *d)
{
    if (!a->n_groups)
        return wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                           "no task to plot: label runs with a task and an inference count");
    struct row *rows = calloc(a->n_groups, sizeof *rows);
    if (!rows)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < a->n_groups; i++) {
        const struct wp_group_stats *g = &a->groups[i];
        rows[i] = (struct row){g, {g->gpu_share, g->cpu_share, g->ram_share}, false};
        rows[i].is_known = isfinite(g->gpu_share) && isfinite(g->cpu_share) &&
                           isfinite(g->ram_share);
    }
    qsort(rows, a->n_groups, sizeof *rows, by_gpu);
    struct wp_strs s = {0};
    struct args x = {rows, a->n_groups, &a->basis};
    enum wp_err e = wp_frame_render(o, a, "Share of energy by component", draw, &x, &s, d);
    wp_strs_free(&s);
    free(rows);
    return e;
}
