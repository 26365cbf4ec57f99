/* What the chart files share and nothing else needs: opening a figure at the size the
 * options ask for, the title, margins, names for people, owned label strings. */
#ifndef WP_CHARTS_FRAME_H
#define WP_CHARTS_FRAME_H

#include <stdarg.h>

#include "charts/charts.h"

/* Strings a chart builds for its labels, freed together. */
struct wp_strs {
    char **v;
    size_t n, cap;
    bool failed; /* an allocation failed: the chart reports WP_ERR_NOMEM */
};

/* printf into a new string kept in s; returns "" (never NULL) when out of memory. */
const char *wp_strs_printf(struct wp_strs *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Markup-escaped s, kept in s. */
const char *wp_strs_escape(struct wp_strs *s, const char *text);
/* A task id for people, as plain text: words, initialisms in capitals
 * ("extractive_qa" -> "extractive QA"); kept in s. */
const char *wp_strs_task_plain(struct wp_strs *s, const char *task);
/* The same, markup-escaped. */
const char *wp_strs_task(struct wp_strs *s, const char *task);
void wp_strs_free(struct wp_strs *s);

/* A scatter plot's axes: x along the bottom and y on the left, each scale fitted to its
 * range with 5% padding. */
void wp_frame_scatter_axes(struct wp_plot *p, enum wp_scale_kind x_kind, double x0, double x1,
                           enum wp_scale_kind y_kind, double y0, double y1);

/* A chart's figure and the space left for it. */
struct wp_frame {
    struct wp_fig fig;
    const char *title;    /* plain text; NULL with --no-title */
    double pad;           /* outer margin */
    double title_h;       /* title block height, 0 without */
    struct wp_rect body;  /* set by wp_frame_begin: inside the margins, below the title */
};

/* Opens the figure for o (size, font, resolution, theme, metadata) with `title` as the
 * default title.  Free with wp_frame_free on every path. */
enum wp_err wp_frame_init(struct wp_frame *fr, const struct wp_chart_opts *o,
                          const struct wp_analysis *a, const char *title, struct wp_diag *d);
/* Replaces the title (before wp_frame_begin), e.g. once the chart knows how many rows fit. */
enum wp_err wp_frame_set_title(struct wp_frame *fr, const struct wp_chart_opts *o,
                               const char *title, struct wp_diag *d);
/* Width available to the body. */
double wp_frame_body_w(const struct wp_frame *fr);
/* Starts drawing: a body of body_h points when the options leave the height to the chart
 * (kept between a short strip and a tall column figure, never under min_body_h), the
 * title, and fr->body.  WP_ERR_USAGE, saying the height needed, when a height given in
 * the options leaves the body less than min_body_h (rows would overlap). */
enum wp_err wp_frame_begin(struct wp_frame *fr, double body_h, double min_body_h,
                           struct wp_diag *d);
/* The least body height for n rows of one text line under a legend of legend_h. */
double wp_frame_min_rows(const struct wp_frame *fr, size_t n, double legend_h);
/* Writes the file. */
enum wp_err wp_frame_end(struct wp_frame *fr, struct wp_diag *d);
void wp_frame_free(struct wp_frame *fr);

/* A plot above a legend (the scatter charts): measures leg across the body, begins the body
 * (the plot aspect x the body's width high, never under 12 lines) and lays p out above the
 * legend with its grid; p's scales and titles are set before. */
enum wp_err wp_frame_begin_plot_legend(struct wp_frame *fr, struct wp_plot *p,
                                       struct wp_legend *leg, double aspect, struct wp_diag *d);
/* Then, over the marks: p's axes, and leg centred below the plot. */
void wp_frame_end_plot_legend(struct wp_frame *fr, const struct wp_plot *p,
                              const struct wp_legend *leg);
/* Legend item k of n: a mark of the kth shape in the palette's kth of n colours. */
void wp_legend_mark_item(const struct wp_fig *f, struct wp_legend_item *item, size_t k, size_t n);

/* Draws a chart's body on the open frame (wp_frame_begin and what follows), its label
 * strings kept in s; ctx is the chart's own. */
typedef enum wp_err (*wp_frame_draw_fn)(struct wp_frame *fr, const void *ctx, struct wp_strs *s,
                                        struct wp_diag *d);
/* The life of a chart's figure: opens it (wp_frame_init), draws, writes the file unless
 * drawing or a label string in s failed (WP_ERR_NOMEM), and frees the frame.  s stays the
 * caller's (a title may be kept in it before). */
enum wp_err wp_frame_render(const struct wp_chart_opts *o, const struct wp_analysis *a,
                            const char *title, wp_frame_draw_fn draw, const void *ctx,
                            struct wp_strs *s, struct wp_diag *d);

/* The value of the metric for a point or a group summary. */
double wp_metric_point(const struct wp_point *p, enum wp_metric m);
const struct wp_summary *wp_metric_summary(const struct wp_group_stats *g, enum wp_metric m);
/* Axis title of the metric, markup. */
const char *wp_metric_title(enum wp_metric m);
/* A number for people with `sig` significant digits ("0.0213", "1,234", "2.9"). */
void wp_chart_num(double v, int sig, char *buf, size_t size);

/* Light and strong variants of a colour on the theme's page. */
struct wp_rgb wp_chart_tint(const struct wp_fig *f, struct wp_rgb c, double t);

#endif
