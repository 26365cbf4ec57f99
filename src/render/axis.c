/* Axes and grids: continuous (linear or log10) and categorical axes along the bottom or
 * left of a plot area, with as many tick labels as fit without overlapping, measured with
 * pango; and the layout of a plot panel, whose margins follow the measured labels so that
 * nothing is clipped.  Charts never draw an axis themselves. */
#include <math.h>
#include <string.h>

#include "render/render.h"

/* Proportions of the base text size. */
#define TICK_LEN 0.4    /* tick marks */
#define TICK_GAP 0.35   /* tick to label */
#define TITLE_GAP 0.6   /* labels to axis title */
#define TICK_TEXT 0.9   /* tick labels, relative to the base size */
#define LABEL_SEP 0.9   /* minimum gap between two tick labels along an axis */

static double tick_size(const struct wp_fig *f)
{
    return f->font_pt * TICK_TEXT;
}

static bool is_cat(const struct wp_axis *a)
{
    return a->cats != NULL;
}

/* A tick label's text, in buf. */
static struct wp_text tick_text(struct wp_fig *f, const struct wp_axis *a, const char *label,
                                char *buf, size_t size)
{
    snprintf(buf, size, "%s%s", label, a->suffix ? a->suffix : "");
    return (struct wp_text){.s = buf, .is_markup = true, .size_pt = tick_size(f)};
}

static PangoLayout *tick_layout(struct wp_fig *f, const struct wp_axis *a, const char *label)
{
    char buf[WP_TICK_LABEL + 32];
    struct wp_text t = tick_text(f, a, label, buf, sizeof buf);
    return wp_text_layout(f, &t);
}

static struct wp_text cat_text(struct wp_fig *f, const struct wp_axis *a, size_t i,
                               double band)
{
    struct wp_text t = {.s = a->cats[i], .is_markup = true, .size_pt = f->font_pt};
    if (a->side == WP_SIDE_LEFT) {
        t.align = PANGO_ALIGN_RIGHT;
        t.max_w = a->cat_max_w;
        t.max_lines = a->cat_max_lines;
    } else {
        t.align = PANGO_ALIGN_CENTER;
        t.max_w = band;
        t.max_lines = a->cat_max_lines;
    }
    if (a->cat_lines > 0 && (t.max_lines <= 0 || a->cat_lines < t.max_lines)) {
        t.max_w = t.max_w > 0 ? t.max_w : 1e6;
        t.max_lines = a->cat_lines;
    }
    return t;
}

static PangoLayout *cat_layout(struct wp_fig *f, const struct wp_axis *a, size_t i,
                               double band)
{
    struct wp_text t = cat_text(f, a, i, band);
    return wp_text_layout(f, &t);
}

/* Whether the labelled ticks, at their positions on [0, length], keep LABEL_SEP apart;
 * fills the largest label and the overhang past each end. */
static bool measure_ticks(struct wp_fig *f, struct wp_axis *a, double length)
{
    struct wp_scale s = a->scale;
    bool bottom = a->side == WP_SIDE_BOTTOM;
    wp_scale_range(&s, 0, length);
    double prev_pos = 0, prev_half = 0, sep = f->font_pt * LABEL_SEP;
    bool any = false, fits = true;
    a->label_w = a->label_h = a->first_half = a->last_half = 0;
    for (size_t i = 0; i < a->n_ticks; i++) {
        if (!a->ticks[i].is_major)
            continue;
        char buf[WP_TICK_LABEL + 32];
        struct wp_text t = tick_text(f, a, a->ticks[i].label, buf, sizeof buf);
        double w, h;
        wp_text_measure(f, &t, &w, &h);
        a->label_w = fmax(a->label_w, w);
        a->label_h = fmax(a->label_h, h);
        double pos = wp_scale_map(&s, a->ticks[i].value);
        double half = bottom ? w / 2 : h / 2;
        a->first_half = fmax(a->first_half, half - pos);
        a->last_half = fmax(a->last_half, half - (length - pos));
        if (any && fabs(pos - prev_pos) < prev_half + half + (bottom ? sep : sep * 0.25))
            fits = false;
        prev_pos = pos;
        prev_half = half;
        any = true;
    }
    return fits;
}

static void prepare_cats(struct wp_fig *f, struct wp_axis *a, double length)
{
    a->scale.kind = WP_SCALE_LINEAR;
    a->scale.d0 = -0.5;
    a->scale.d1 = (double)a->n_cats - 0.5;
    a->n_ticks = 0;
    a->label_w = a->label_h = a->first_half = a->last_half = 0;
    double band = a->n_cats ? length / (double)a->n_cats : length;
    /* labels on the left must fit their row: fewer lines (then "…") until they do */
    for (a->cat_lines = 0;;) {
        a->label_w = a->label_h = 0;
        int lines = 1;
        for (size_t i = 0; i < a->n_cats; i++) {
            struct wp_text t = cat_text(f, a, i, band - f->font_pt * 0.4);
            double w, h;
            int n;
            wp_text_extent(f, &t, &w, &h, &n);
            lines = lines > n ? lines : n;
            a->label_w = fmax(a->label_w, w);
            a->label_h = fmax(a->label_h, h);
        }
        if (a->cat_lines > 0 && a->cat_lines < lines)
            lines = a->cat_lines; /* pango keeps hard line breaks: count what we asked */
        if (a->side != WP_SIDE_LEFT || a->label_h <= band || lines <= 1)
            break;
        a->cat_lines = lines - 1;
    }
}

void wp_axis_prepare(struct wp_fig *f, struct wp_axis *a, double length)
{
    a->length = length;
    if (is_cat(a)) {
        prepare_cats(f, a, length);
        return;
    }
    int target = a->target_ticks;
    if (target <= 0) {
        /* at most a labelled tick every ~6 (x) or ~3.5 (y) text heights on a linear axis;
         * a log axis labels every decade that fits (the overlap test below decides) */
        bool log = a->scale.kind == WP_SCALE_LOG10;
        double per = a->side == WP_SIDE_BOTTOM ? (log ? 2.2 : 6) : (log ? 2 : 3.5);
        target = (int)fmax(2, floor(length / (f->font_pt * per)));
    }
    for (; target >= 2; target--) {
        a->n_ticks = a->is_plain ? wp_scale_ticks_plain(&a->scale, target, a->ticks, WP_MAX_TICKS)
                                 : wp_scale_ticks(&a->scale, target, a->ticks, WP_MAX_TICKS);
        if (measure_ticks(f, a, length))
            return;
    }
    /* even two labels collide: keep only the ends' labels */
    a->n_ticks = wp_scale_ticks(&a->scale, 2, a->ticks, WP_MAX_TICKS);
    size_t first = a->n_ticks, last = 0;
    for (size_t i = 0; i < a->n_ticks; i++)
        if (a->ticks[i].is_major) {
            first = first < a->n_ticks ? first : i;
            last = i;
        }
    for (size_t i = 0; i < a->n_ticks; i++)
        if (i != first && i != last && a->ticks[i].is_major) {
            a->ticks[i].is_major = false;
            a->ticks[i].label[0] = '\0';
        }
    measure_ticks(f, a, length);
}

static struct wp_text title_text(struct wp_fig *f, const struct wp_axis *a)
{
    /* a long title wraps at the axis' length (narrow panels), centred, on as many lines
     * as it takes: a title cut to "..." would hide its unit */
    return (struct wp_text){.s = a->title, .is_markup = true, .size_pt = f->font_pt,
                            .max_w = a->length > 0 ? a->length : 0, .max_lines = 0,
                            .align = PANGO_ALIGN_CENTER};
}

static double title_h(struct wp_fig *f, const struct wp_axis *a)
{
    if (!a->title)
        return 0;
    double h;
    struct wp_text t = title_text(f, a);
    wp_text_measure(f, &t, NULL, &h);
    return h + f->font_pt * TITLE_GAP;
}

double wp_axis_depth(struct wp_fig *f, const struct wp_axis *a)
{
    double ticks = is_cat(a) ? 0 : f->font_pt * TICK_LEN;
    double labels = a->side == WP_SIDE_BOTTOM ? a->label_h : a->label_w;
    return ticks + f->font_pt * TICK_GAP + labels + title_h(f, a);
}

static void draw_title(struct wp_fig *f, const struct wp_axis *a, const struct wp_rect *p)
{
    if (!a->title)
        return;
    struct wp_text t = title_text(f, a);
    double d = wp_axis_depth(f, a);
    if (a->side == WP_SIDE_BOTTOM)
        wp_text_put(f, &t, p->x + p->w / 2, p->y + p->h + d, 0.5, 1, 0, f->theme->fg, NULL,
                    NULL);
    else
        wp_text_put(f, &t, p->x - d, p->y + p->h / 2, 0.5, 0, -M_PI / 2, f->theme->fg, NULL,
                    NULL);
}

static void draw_cats(struct wp_fig *f, const struct wp_axis *a, const struct wp_rect *p)
{
    double gap = f->font_pt * TICK_GAP;
    double length = a->side == WP_SIDE_BOTTOM ? p->w : p->h;
    double band = a->n_cats ? length / (double)a->n_cats : length;
    for (size_t i = 0; i < a->n_cats; i++) {
        PangoLayout *l = cat_layout(f, a, i, band - f->font_pt * 0.4);
        double pos = wp_scale_map(&a->scale, (double)i);
        if (a->side == WP_SIDE_BOTTOM)
            wp_text_draw(f, l, pos, p->y + p->h + gap, 0.5, 0, 0, f->theme->fg);
        else
            wp_text_draw(f, l, p->x - gap, pos, 1, 0.5, 0, f->theme->fg);
        g_object_unref(l);
    }
}

void wp_axis_draw(struct wp_fig *f, const struct wp_axis *a, const struct wp_rect *p)
{
    const struct wp_theme *th = f->theme;
    double lw = wp_fig_lw(f, 0.6), tl = f->font_pt * TICK_LEN, gap = f->font_pt * TICK_GAP;
    bool bottom = a->side == WP_SIDE_BOTTOM;
    if (is_cat(a)) {
        draw_cats(f, a, p);
        draw_title(f, a, p);
        return;
    }
    if (bottom)
        wp_line(f, p->x, p->y + p->h, p->x + p->w, p->y + p->h, lw, th->fg, 1, 0);
    else
        wp_line(f, p->x, p->y, p->x, p->y + p->h, lw, th->fg, 1, 0);
    for (size_t i = 0; i < a->n_ticks; i++) {
        const struct wp_tick *t = &a->ticks[i];
        double pos = wp_scale_map(&a->scale, t->value);
        double len = t->is_major ? tl : tl * 0.55;
        if (bottom)
            wp_line(f, pos, p->y + p->h, pos, p->y + p->h + len, lw, th->fg, 1, 0);
        else
            wp_line(f, p->x - len, pos, p->x, pos, lw, th->fg, 1, 0);
        if (!t->is_major)
            continue;
        PangoLayout *l = tick_layout(f, a, t->label);
        if (bottom)
            wp_text_draw(f, l, pos, p->y + p->h + tl + gap, 0.5, 0, 0, th->muted);
        else
            wp_text_draw(f, l, p->x - tl - gap, pos, 1, 0.5, 0, th->muted);
        g_object_unref(l);
    }
    draw_title(f, a, p);
}

void wp_axis_grid(struct wp_fig *f, const struct wp_axis *a, const struct wp_rect *p,
                  bool with_minor)
{
    const struct wp_theme *th = f->theme;
    double lw = wp_fig_lw(f, 0.5), lw_minor = wp_fig_lw(f, 0.35);
    for (int pass = 0; pass < 2; pass++) /* minor lines first, majors over them */
        for (size_t i = 0; i < a->n_ticks; i++) {
            const struct wp_tick *t = &a->ticks[i];
            if (t->is_major != (pass == 1) || (!t->is_major && !with_minor))
                continue;
            double pos = wp_scale_map(&a->scale, t->value);
            double w = t->is_major ? lw : lw_minor;
            struct wp_rgb c = t->is_major ? th->grid : th->minor;
            if (a->side == WP_SIDE_BOTTOM)
                wp_line(f, pos, p->y, pos, p->y + p->h, w, c, 1, 0);
            else
                wp_line(f, p->x, pos, p->x + p->w, pos, w, c, 1, 0);
        }
}

/* Sets the scales' ranges to the data area. */
static void set_ranges(struct wp_plot *p)
{
    const struct wp_rect *r = &p->area;
    wp_scale_range(&p->x.scale, r->x, r->x + r->w);
    if (is_cat(&p->y)) /* the first category at the top */
        wp_scale_range(&p->y.scale, r->y, r->y + r->h);
    else
        wp_scale_range(&p->y.scale, r->y + r->h, r->y);
}

void wp_plot_layout(struct wp_fig *f, struct wp_plot *p, const struct wp_rect *outer)
{
    double xl = outer->w * 0.8, yl = outer->h * 0.8;
    double left = 0, right = 0, top = 0, bottom = 0;
    /* the axes' depths depend on their labels, which depend on the lengths: iterate */
    for (int it = 0; it < 3; it++) {
        wp_axis_prepare(f, &p->y, fmax(yl, 1));
        wp_axis_prepare(f, &p->x, fmax(xl, 1));
        left = fmax(wp_axis_depth(f, &p->y), p->x.first_half);
        right = p->x.last_half;
        top = p->y.last_half;
        bottom = fmax(wp_axis_depth(f, &p->x), p->y.first_half);
        xl = outer->w - left - right;
        yl = outer->h - top - bottom;
    }
    p->area = (struct wp_rect){outer->x + left, outer->y + top, fmax(xl, 1), fmax(yl, 1)};
    set_ranges(p);
}

double wp_plot_height_for_rows(struct wp_fig *f, struct wp_plot *p, double width,
                               double row_h)
{
    double n = (double)(is_cat(&p->y) ? p->y.n_cats : 5);
    /* rows tall enough for the tallest label, as the labels are at the width we have */
    p->y.cat_lines = 0;
    wp_axis_prepare(f, &p->y, 1e6);
    double rows = n * fmax(row_h, p->y.label_h + f->font_pt * 0.5);
    wp_axis_prepare(f, &p->y, rows);
    double left = wp_axis_depth(f, &p->y);
    wp_axis_prepare(f, &p->x, fmax(width - left, 1));
    double bottom = fmax(wp_axis_depth(f, &p->x), p->y.first_half);
    return rows + bottom + p->y.last_half;
}
