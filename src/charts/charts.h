/* The study's charts, one file per kind, each drawn from one struct wp_analysis (computed
 * by the caller with the kind's grouping, see struct wp_chart_kind) with the shared
 * plotting layer in src/render/.  A chart never runs SQL or recomputes a statistic; it
 * lays out what the analysis holds and writes one PNG, SVG or PDF file. */
#ifndef WP_CHARTS_H
#define WP_CHARTS_H

#include <stdbool.h>
#include <stddef.h>

#include "render/render.h"
#include "analysis/analysis.h"
#include "stats/leaderboard.h"

enum wp_metric { WP_METRIC_ENERGY, WP_METRIC_EMISSIONS };
enum wp_size { WP_SIZE_AUTO, WP_SIZE_COLUMN, WP_SIZE_PAGE, WP_SIZE_SLIDE };

#define WP_CHART_TOP_DEFAULT 20
#define WP_CHART_DPI_DEFAULT 300.0
#define WP_CHART_COLUMN_MM 77.0 /* --size column: fits article[twocolumn], ACM, IEEE */

struct wp_chart_opts {
    const char *path;          /* output file; its extension picks the format */
    enum wp_metric metric;     /* tasks, models: energy or emissions */
    const char *title;         /* NULL = the chart's own title */
    bool no_title;
    enum wp_size size;         /* column 77 mm wide, page 183 mm, slide 254 x 143 mm */
    double width_mm, height_mm; /* > 0 override the size; height 0 = the chart decides */
    double dpi;                /* PNG resolution; 0 = 300 (72 for the label: 1x pixels) */
    double scale;              /* multiplies the PNG resolution (label --scale 2); 0 = 1 */
    enum wp_palette_id palette;
    enum wp_theme_id theme;
    const char *task, *model;  /* the filter the analysis ran with (label: both required) */
    size_t top;                /* models: bars shown; 0 = WP_CHART_TOP_DEFAULT */
    enum wp_star_method stars; /* label: rating rule */
    /* provenance, from the caller */
    const char *creator;       /* "wattprint 0.1.0" */
    const char *date;          /* PDF creation date (ISO 8601); NULL = the analysis' newest
                                  measurement */
    const char *hardware;      /* label: hardware of the model's runs, NULL unknown */
    const char *measured_at;   /* label: newest measurement of the model (ISO 8601) */
    const char *tools;         /* label: measuring tools, e.g. "CodeCarbon 2.3.4" */
    const struct wp_leaderboard_set *against; /* label: rate against this leaderboard set
                                                 (NULL: the task's models in the analysis) */
    const char *against_name;  /* label: the snapshot's name for people (its file name) */
    cairo_t *target;           /* draw into this context (a report page) instead of path;
                                  give width_mm and height_mm */
};

/* Zeroes o and sets the defaults (energy, column, Okabe-Ito, light, equal-width stars). */
void wp_chart_opts_defaults(struct wp_chart_opts *o);
/* Parses --size, --metric values; false if unknown. */
bool wp_chart_size_parse(const char *name, enum wp_size *out);
bool wp_chart_metric_parse(const char *name, enum wp_metric *out);

/* Every chart: draws a from o into o->path.  WP_ERR_EMPTY (with a message) when the
 * analysis has nothing this chart can show; WP_ERR_USAGE for options it cannot honour;
 * WP_ERR_IO when the file cannot be written. */
typedef enum wp_err (*wp_chart_fn)(const struct wp_analysis *a, const struct wp_chart_opts *o,
                                   struct wp_diag *d);

/* What the caller needs to know to compute a chart's input. */
struct wp_chart_kind {
    const char *name;
    const char *summary;
    enum wp_group_by by;       /* the analysis' grouping */
    bool over_experiments;     /* statistics over experiment means */
    bool has_metric;           /* honours --metric emissions */
    wp_chart_fn render;
};

/* The chart-kind table, ended by a NULL name. */
extern const struct wp_chart_kind wp_chart_kinds[];
const struct wp_chart_kind *wp_chart_find(const char *name);

/* The kinds (see each file's comment for what it shows). */
enum wp_err wp_chart_tasks(const struct wp_analysis *a, const struct wp_chart_opts *o,
                           struct wp_diag *d);
enum wp_err wp_chart_scaling(const struct wp_analysis *a, const struct wp_chart_opts *o,
                             struct wp_diag *d);
enum wp_err wp_chart_models(const struct wp_analysis *a, const struct wp_chart_opts *o,
                            struct wp_diag *d);
enum wp_err wp_chart_components(const struct wp_analysis *a, const struct wp_chart_opts *o,
                                struct wp_diag *d);
enum wp_err wp_chart_compare(const struct wp_analysis *a, const struct wp_chart_opts *o,
                             struct wp_diag *d);
enum wp_err wp_chart_label(const struct wp_analysis *a, const struct wp_chart_opts *o,
                           struct wp_diag *d);

#endif
