/* Shared by the chart files (see frame.h): figure size and text size from the options,
 * the title block, metric accessors and label strings. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts/frame.h"
#include "util/array.h"

#include "util/text.h"

/* column: the narrowest common two-column width, measured with pdflatex (\columnwidth):
 * article[twocolumn] 221 pt (78 mm) on A4 and 229.5 pt (80.7 mm) on letter, ACM acmart
 * 241.14 pt (84.7 mm), IEEEtran 252 pt (88.5 mm).  77 mm (218.3 pt) fits them all, so a
 * figure goes in at its own size with no overfull box (89 mm was 24 to 31 pt too wide for
 * article).  page: a journal's full width (Nature, Science: 183 mm). */
static const struct {
    const char *name;
    enum wp_size size;
    double width_mm, height_mm; /* height 0: the chart decides */
} sizes[] = {
    {"column", WP_SIZE_COLUMN, WP_CHART_COLUMN_MM, 0},
    {"page", WP_SIZE_PAGE, 183, 0},
    {"slide", WP_SIZE_SLIDE, 254, 143},
};

void wp_chart_opts_defaults(struct wp_chart_opts *o)
{
    memset(o, 0, sizeof *o);
    o->metric = WP_METRIC_ENERGY;
    o->size = WP_SIZE_AUTO;
    o->palette = WP_PALETTE_OKABE_ITO;
    o->theme = WP_THEME_LIGHT;
    o->stars = WP_STARS_EQUAL_WIDTH;
}

void wp_chart_opts_on_page(struct wp_chart_opts *o, cairo_t *cr, double width_mm,
                           double height_mm, const char *creator, const char *date)
{
    wp_chart_opts_defaults(o);
    o->target = cr;
    o->width_mm = width_mm;
    o->height_mm = height_mm;
    o->no_title = true;
    o->creator = creator;
    o->date = date;
}

bool wp_chart_size_parse(const char *name, enum wp_size *out)
{
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        if (strcmp(name, sizes[i].name) == 0) {
            *out = sizes[i].size;
            return true;
        }
    return false;
}

bool wp_chart_metric_parse(const char *name, enum wp_metric *out)
{
    if (strcmp(name, "energy") == 0)
        *out = WP_METRIC_ENERGY;
    else if (strcmp(name, "emissions") == 0)
        *out = WP_METRIC_EMISSIONS;
    else
        return false;
    return true;
}

/* ---- strings ------------------------------------------------------------------------ */

static const char *keep(struct wp_strs *s, char *p)
{
    if (!p) {
        s->failed = true;
        return "";
    }
    if (WP_ARRAY_GROW(s->v, s->n + 1, s->cap)) {
        free(p);
        s->failed = true;
        return "";
    }
    return s->v[s->n++] = p;
}

const char *wp_strs_printf(struct wp_strs *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = NULL;
    if (vasprintf(&p, fmt, ap) < 0)
        p = NULL;
    va_end(ap);
    return keep(s, p);
}

const char *wp_strs_escape(struct wp_strs *s, const char *text)
{
    char *g = wp_text_escape(text);
    char *p = g ? strdup(g) : NULL;
    g_free(g);
    return keep(s, p);
}

const char *wp_strs_task_plain(struct wp_strs *s, const char *task)
{
    char *p = strdup(task ? task : "(no task)");
    if (p)
        wp_text_task_words(p);
    return keep(s, p);
}

const char *wp_strs_task(struct wp_strs *s, const char *task)
{
    const char *plain = wp_strs_task_plain(s, task);
    return plain ? wp_strs_escape(s, plain) : NULL;
}

void wp_strs_free(struct wp_strs *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* ---- frame -------------------------------------------------------------------------- */

/* Text size for a figure `w` mm wide: 7 pt in a column (journal minimum), 8 pt across a
 * page, growing to 13 pt on a 254 mm slide. */
static double font_for_width(double w)
{
    if (w <= 120)
        return 7;
    if (w <= 220)
        return 8;
    return fmin(8 + (w - 220) / 34 * 5, 16);
}

static struct wp_text title_text(const struct wp_frame *fr)
{
    return (struct wp_text){.s = fr->title, .size_pt = fr->fig.font_pt * 1.2, .is_bold = true,
                            .max_w = fr->fig.width_pt - 2 * fr->pad, .max_lines = 2};
}

enum wp_err wp_frame_init(struct wp_frame *fr, const struct wp_chart_opts *o,
                          const struct wp_analysis *a, const char *title, struct wp_diag *d)
{
    memset(fr, 0, sizeof *fr);
    double w = WP_CHART_COLUMN_MM, h = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        if (sizes[i].size == o->size) {
            w = sizes[i].width_mm;
            h = sizes[i].height_mm;
        }
    if (o->width_mm > 0)
        w = o->width_mm;
    if (o->height_mm > 0)
        h = o->height_mm;
    const char *shown = o->title ? o->title : title;
    struct wp_fig_opts fo = {
        .path = o->path,
        .width_pt = w * WP_PT_PER_MM,
        .height_pt = h * WP_PT_PER_MM,
        .px_per_pt = (o->dpi > 0 ? o->dpi : WP_CHART_DPI_DEFAULT) *
                     (o->scale > 0 ? o->scale : 1) / 72.0,
        .font_pt = font_for_width(w),
        .theme = o->theme,
        .palette = o->palette,
        .title = shown,
        .creator = o->creator,
        .date = o->date ? o->date : a->newest_measurement,
        .target = o->target,
    };
    enum wp_err e = wp_fig_init(&fr->fig, &fo, d);
    if (e)
        return e;
    fr->title = o->no_title ? NULL : shown;
    fr->pad = fr->fig.font_pt * 0.9;
    if (fr->title) {
        struct wp_text t = title_text(fr);
        wp_text_measure(&fr->fig, &t, NULL, &fr->title_h);
        fr->title_h += fr->fig.font_pt * 0.8;
    }
    return WP_OK;
}

enum wp_err wp_frame_set_title(struct wp_frame *fr, const struct wp_chart_opts *o,
                               const char *title, struct wp_diag *d)
{
    const char *shown = o->title ? o->title : title;
    char *meta = strdup(shown);
    if (!meta)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    free(fr->fig.title);
    fr->fig.title = meta;
    fr->title = o->no_title ? NULL : fr->fig.title;
    fr->title_h = 0;
    if (fr->title) {
        struct wp_text t = title_text(fr);
        wp_text_measure(&fr->fig, &t, NULL, &fr->title_h);
        fr->title_h += fr->fig.font_pt * 0.8;
    }
    return WP_OK;
}

double wp_frame_body_w(const struct wp_frame *fr)
{
    return fr->fig.width_pt - 2 * fr->pad;
}

double wp_frame_min_rows(const struct wp_frame *fr, size_t n, double legend_h)
{
    /* one line of text per row, the value axis with its title under them */
    return (double)n * fr->fig.font_pt * 1.3 + legend_h + fr->fig.font_pt * 5;
}

enum wp_err wp_frame_begin(struct wp_frame *fr, double body_h, double min_body_h,
                           struct wp_diag *d)
{
    struct wp_fig *f = &fr->fig;
    double frame = 2 * fr->pad + fr->title_h;
    if (!(f->height_pt > 0)) /* between a short strip and a tall column figure */
        f->height_pt = fmax(fmin(fmax(body_h + frame, 45 * WP_PT_PER_MM), 240 * WP_PT_PER_MM),
                            min_body_h + frame);
    else if (f->height_pt - frame < min_body_h)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                           "a height of %.0f mm is too short for this chart: give at least "
                           "--height %.0f (or fewer rows with --top)",
                           f->height_pt / WP_PT_PER_MM, ceil((min_body_h + frame) / WP_PT_PER_MM));
    enum wp_err e = wp_fig_begin(f, d);
    if (e)
        return e;
    if (fr->title) {
        struct wp_text t = title_text(fr);
        wp_text_put(f, &t, fr->pad, fr->pad, 0, 0, 0, f->theme->fg, NULL, NULL);
    }
    fr->body = (struct wp_rect){fr->pad, fr->pad + fr->title_h, f->width_pt - 2 * fr->pad,
                                f->height_pt - 2 * fr->pad - fr->title_h};
    return WP_OK;
}

enum wp_err wp_frame_end(struct wp_frame *fr, struct wp_diag *d)
{
    return wp_fig_end(&fr->fig, d);
}

void wp_frame_free(struct wp_frame *fr)
{
    wp_fig_free(&fr->fig);
}

enum wp_err wp_frame_begin_plot_legend(struct wp_frame *fr, struct wp_plot *p,
                                       struct wp_legend *leg, double aspect, struct wp_diag *d)
{
    struct wp_fig *f = &fr->fig;
    double body_w = wp_frame_body_w(fr), gap = f->font_pt * 1.5;
    wp_legend_measure(f, leg, body_w, 0);
    double body_h = body_w * aspect + gap + leg->h;
    enum wp_err e = wp_frame_begin(fr, body_h, leg->h + gap + f->font_pt * 12, d);
    if (e)
        return e;
    struct wp_rect outer = fr->body;
    outer.h -= leg->h + gap;
    wp_plot_layout(f, p, &outer);
    wp_axis_grid(f, &p->x, &p->area, false);
    wp_axis_grid(f, &p->y, &p->area, false);
    return WP_OK;
}

void wp_frame_end_plot_legend(struct wp_frame *fr, const struct wp_plot *p,
                              const struct wp_legend *leg)
{
    struct wp_fig *f = &fr->fig;
    wp_axis_draw(f, &p->x, &p->area);
    wp_axis_draw(f, &p->y, &p->area);
    wp_legend_draw(f, leg, fr->body.x + (fr->body.w - leg->w) / 2,
                   fr->body.y + fr->body.h - leg->h);
}

void wp_legend_mark_item(const struct wp_fig *f, struct wp_legend_item *item, size_t k, size_t n)
{
    *item = (struct wp_legend_item){
        .key = WP_KEY_MARK,
        .mark = (enum wp_mark)(k % WP_MARK_COUNT),
        .colour = wp_palette_colour(f->palette, f->theme_id, k, n),
    };
}

enum wp_err wp_frame_render(const struct wp_chart_opts *o, const struct wp_analysis *a,
                            const char *title, wp_frame_draw_fn draw, const void *ctx,
                            struct wp_strs *s, struct wp_diag *d)
{
    struct wp_frame fr;
    enum wp_err e = wp_frame_init(&fr, o, a, title, d);
    if (!e)
        e = draw(&fr, ctx, s, d);
    if (!e && s->failed)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e)
        e = wp_frame_end(&fr, d);
    wp_frame_free(&fr);
    return e;
}

/* ---- metric --------------------------------------------------------------------------- */

double wp_metric_point(const struct wp_point *p, enum wp_metric m)
{
    return m == WP_METRIC_EMISSIONS ? p->g_per_1k : p->kwh_per_1k;
}

const struct wp_summary *wp_metric_summary(const struct wp_group_stats *g, enum wp_metric m)
{
    return m == WP_METRIC_EMISSIONS ? &g->g : &g->kwh;
}

const char *wp_metric_title(enum wp_metric m)
{
    return m == WP_METRIC_EMISSIONS ? "Emissions per 1,000 inferences (g CO<sub>2</sub>eq)"
                                    : "Energy per 1,000 inferences (kWh)";
}

void wp_chart_num(double v, int sig, char *buf, size_t size)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "n/a");
        return;
    }
    if (v == 0) {
        snprintf(buf, size, "0");
        return;
    }
    int dec = sig - 1 - (int)floor(log10(fabs(v)));
    dec = dec < 0 ? 0 : dec > 12 ? 12 : dec;
    /* the label layer already groups thousands and writes a real minus */
    wp_tick_label_linear(v, pow(10, -dec), buf, size);
}

struct wp_rgb wp_chart_tint(const struct wp_fig *f, struct wp_rgb c, double t)
{
    return wp_rgb_mix(c, f->theme->bg, t);
}

void wp_frame_scatter_axes(struct wp_plot *p, enum wp_scale_kind x_kind, double x0, double x1,
                           enum wp_scale_kind y_kind, double y0, double y1)
{
    p->x.side = WP_SIDE_BOTTOM;
    p->y.side = WP_SIDE_LEFT;
    wp_scale_fit(&p->x.scale, x_kind, x0, x1, 0.05, false);
    wp_scale_fit(&p->y.scale, y_kind, y0, y1, 0.05, false);
}
