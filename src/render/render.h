/* The shared plotting layer every chart draws with: a figure (one output file, its cairo
 * surface chosen from the file's extension, written atomically), scales and "nice" ticks,
 * axes, grids, markers, legends, text through pango layouts, palettes and themes.
 * It knows nothing of energy or the analysis; charts in src/charts/ compose it.
 *
 * Units: every coordinate is in points (1/72 inch), origin at the top left, for every
 * format; a PNG is drawn with the context scaled by px_per_pt, so one chart's geometry
 * is the same in PNG, SVG and PDF.  Text sizes are absolute, in points, and measured with
 * unhinted metrics, so a layout measures the same before and after the surface exists. */
#ifndef WP_RENDER_H
#define WP_RENDER_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "util/atomic.h"
#include "util/err.h"

#define WP_PT_PER_MM (72.0 / 25.4)

/* ---- colours, palettes, themes (palette.c) ---------------------------------------- */

struct wp_rgb {
    double r, g, b; /* 0..1 */
};

enum wp_palette_id { WP_PALETTE_OKABE_ITO, WP_PALETTE_VIRIDIS, WP_PALETTE_GREY };
enum wp_theme_id { WP_THEME_LIGHT, WP_THEME_DARK };

struct wp_theme {
    struct wp_rgb bg;     /* page */
    struct wp_rgb fg;     /* text, axis lines */
    struct wp_rgb muted;  /* secondary text: counts, notes, tick labels */
    struct wp_rgb grid;   /* major grid lines */
    struct wp_rgb minor;  /* minor grid lines, empty shapes */
    struct wp_rgb ink;    /* neutral data ink: box outlines, reference lines */
};

/* Parses "okabe-ito" | "viridis" | "grey" (or "gray"); false if unknown. */
bool wp_palette_parse(const char *name, enum wp_palette_id *out);
/* Parses "light" | "dark"; false if unknown. */
bool wp_theme_parse(const char *name, enum wp_theme_id *out);
/* The theme's colours; static, never freed. */
const struct wp_theme *wp_theme_get(enum wp_theme_id t);
/* Colour of category i of n in palette p, readable on theme t's background.  Okabe-Ito
 * cycles its 7 colours (black is left out: it is the text colour); viridis and grey spread
 * n colours evenly over their ramp. */
struct wp_rgb wp_palette_colour(enum wp_palette_id p, enum wp_theme_id t, size_t i, size_t n);
/* A colour as "#rrggbb" for pango markup; buf needs 8 bytes. */
void wp_rgb_hex(struct wp_rgb c, char *buf, size_t size);
/* Relative luminance (WCAG), 0 black .. 1 white: picks a readable text colour on c. */
double wp_rgb_luminance(struct wp_rgb c);
/* The outline for a marker filled with c on theme t's page: the page colour, or a darker
 * shade of c when c itself is too close to the page to stand out (Okabe-Ito yellow). */
struct wp_rgb wp_rgb_edge(enum wp_theme_id t, struct wp_rgb c);
/* Mixes a toward b by t in [0, 1]. */
struct wp_rgb wp_rgb_mix(struct wp_rgb a, struct wp_rgb b, double t);

/* ---- figures: surfaces and files (figure.c) ---------------------------------------- */

enum wp_format { WP_FORMAT_PNG, WP_FORMAT_SVG, WP_FORMAT_PDF };

/* The format named by the extension of path (.png, .svg, .pdf, any case); WP_ERR_USAGE
 * with a message in d if there is none of those. */
enum wp_err wp_render_format(const char *path, enum wp_format *out, struct wp_diag *d);

struct wp_fig_opts {
    const char *path;      /* output file */
    double width_pt;       /* > 0 */
    double height_pt;      /* 0 = decided by the chart before wp_fig_begin */
    double px_per_pt;      /* PNG resolution: dpi / 72 (> 0) */
    double font_pt;        /* base text size */
    enum wp_theme_id theme;
    enum wp_palette_id palette;
    const char *title;     /* PDF metadata title (plain text), NULL none */
    const char *creator;   /* PDF metadata creator, e.g. "wattprint 0.1.0" */
    const char *date;      /* ISO 8601 date for PDF CREATE_DATE/MOD_DATE, NULL or "" none */
    cairo_t *target;       /* draw into this context (a page of a report, with (0, 0) at
                              the figure's corner) instead of a file; path is then unused */
};

/* One figure being drawn.  Fields are read by charts; set only through the functions. */
struct wp_fig {
    enum wp_format format;
    double width_pt, height_pt, px_per_pt, font_pt;
    enum wp_theme_id theme_id;
    enum wp_palette_id palette;
    const struct wp_theme *theme;
    PangoFontMap *fonts;        /* pango's font map of this thread; a reference */
    PangoContext *pango;        /* measuring and drawing text; owned */
    GHashTable *measured;       /* text key -> struct wp_extent: a layout search measures
                                   the same labels many times; owned */
    cairo_surface_t *surface;   /* after wp_fig_begin */
    cairo_t *cr;                /* after wp_fig_begin: draw with this */
    /* output */
    cairo_t *target;            /* not owned: the report page drawn into, or NULL */
    char *path;                 /* owned */
    struct wp_atomic out;       /* the temporary file being written (util/atomic.h) */
    char *svg;                  /* SVG: the document, kept until it is renumbered; owned */
    size_t svg_len;
    FILE *svg_mem;              /* SVG: open_memstream on svg while cairo writes */
    char *title, *creator, *date;
};

/* Writes the SVG document svg[0..len) to out with cairo's process-wide "surfaceN" group
 * names renumbered 1, 2, ... in order of appearance (same drawing, same bytes). */
bool wp_svg_renumber(const char *svg, size_t len, FILE *out);

/* Prepares a figure: the text context (usable for measuring before the size is final).
 * Free with wp_fig_free on every path (also after wp_fig_end). */
enum wp_err wp_fig_init(struct wp_fig *f, const struct wp_fig_opts *o, struct wp_diag *d);
/* Creates the temporary output file (PATH.tmp.XXXXXX beside PATH) and the surface of
 * f->width_pt x f->height_pt, paints the theme's background. */
enum wp_err wp_fig_begin(struct wp_fig *f, struct wp_diag *d);
/* Checks every cairo status, writes the file, fsyncs it and renames it over PATH. */
enum wp_err wp_fig_end(struct wp_fig *f, struct wp_diag *d);
/* Frees everything; removes the temporary file if wp_fig_end did not complete. */
void wp_fig_free(struct wp_fig *f);
/* Writes an opaque RGB24 image surface to out as an 8-bit RGB PNG with its resolution
 * (px_per_pt x 72 per inch) recorded; path names the file in messages (png.c). */
enum wp_err wp_png_write(cairo_surface_t *s, double px_per_pt, FILE *out, const char *path,
                         struct wp_diag *d);

/* ---- scales and ticks (scale.c) ----------------------------------------------------- */

enum wp_scale_kind { WP_SCALE_LINEAR, WP_SCALE_LOG10 };

/* Maps the domain [d0, d1] onto the range [r0, r1] (points; r1 < r0 for an upward y). */
struct wp_scale {
    enum wp_scale_kind kind;
    double d0, d1;
    double r0, r1;
};

/* Sets a scale's domain to cover [lo, hi] (finite; > 0 for log) with `pad` (a fraction
 * of the span, in log space for log scales) on each side.  A single value (lo == hi) gets
 * a span around it.  include_zero (linear only) extends the domain to 0, unpadded there.
 * WP_ERR_USAGE for a non-finite bound or a non-positive one on a log scale. */
enum wp_err wp_scale_fit(struct wp_scale *s, enum wp_scale_kind kind, double lo, double hi,
                         double pad, bool include_zero);
/* Sets the range. */
void wp_scale_range(struct wp_scale *s, double r0, double r1);
/* Maps v (clamping log values <= 0 to the domain's low end). */
double wp_scale_map(const struct wp_scale *s, double v);

#define WP_MAX_TICKS 64
#define WP_TICK_LABEL 96

struct wp_tick {
    double value;
    bool is_major;              /* labelled and gridded; minor ticks are short, unlabelled */
    char label[WP_TICK_LABEL];  /* pango markup, "" for minor ticks */
};

/* A "nice" step (1, 2, 2.5 or 5 x 10^k) near span / target. */
double wp_scale_nice_step(double span, int target);
/* Ticks of s inside its domain, about `target` labelled ones (>= 2), ascending, at most
 * cap (<= WP_MAX_TICKS).  Linear: multiples of a nice step.  Log: decades labelled
 * 10<sup>k</sup> (every m-th decade when there are many, minor ticks at 2..9 x 10^k when
 * there are few); a domain under two decades gets 1-2-5 ticks.  Returns how many. */
size_t wp_scale_ticks(const struct wp_scale *s, int target, struct wp_tick *out, size_t cap);
/* Like wp_scale_ticks, but a log scale gets plain numbers at 1-2-5 (or 1-3, or 1) times
 * the decades, for axes of ratios and factors that people read as "x 2", "x 10". */
size_t wp_scale_ticks_plain(const struct wp_scale *s, int target, struct wp_tick *out,
                            size_t cap);
/* The label of a linear tick at v for ticks `step` apart ("0.25", "1,000",
 * "2×10<sup>−5</sup>"), with a real minus sign. */
void wp_tick_label_linear(double v, double step, char *buf, size_t size);
/* The label of a log tick: "10<sup>−3</sup>" for a decade, else m×10<sup>k</sup> or a
 * plain decimal when `plain`. */
void wp_tick_label_log(double v, bool plain, char *buf, size_t size);

/* ---- text (text.c) ----------------------------------------------------------------- */

struct wp_text {
    const char *s;      /* UTF-8 */
    bool is_markup;     /* s is pango markup (escape user text with wp_text_escape) */
    double size_pt;
    bool is_bold;
    double max_w;       /* > 0: wrap at this width (points) ... */
    int max_lines;      /* ... and with max_lines > 0 ellipsize past that many lines */
    PangoAlignment align;
};

/* A layout of t in f's text context (DejaVu Sans); free with g_object_unref. */
PangoLayout *wp_text_layout(struct wp_fig *f, const struct wp_text *t);
/* Logical width and height of a layout, in points. */
void wp_text_size(PangoLayout *l, double *w, double *h);
/* Draws l with its logical box anchored at (x, y): ax, ay in [0, 1] pick the anchor
 * (0 left/top, 0.5 centre, 1 right/bottom) in the layout's own frame; angle in radians
 * rotates around the anchor (-pi/2 reads bottom to top). */
void wp_text_draw(struct wp_fig *f, PangoLayout *l, double x, double y, double ax, double ay,
                  double angle, struct wp_rgb c);
/* Convenience: layout, draw, unref.  Returns the drawn size in *w, *h (either may be
 * NULL). */
void wp_text_put(struct wp_fig *f, const struct wp_text *t, double x, double y, double ax,
                 double ay, double angle, struct wp_rgb c, double *w, double *h);
/* Measures t without drawing (remembered by the figure: the same text is not laid out
 * twice). */
void wp_text_measure(struct wp_fig *f, const struct wp_text *t, double *w, double *h);
/* The same with the number of lines the layout has (wrapped or broken). */
void wp_text_extent(struct wp_fig *f, const struct wp_text *t, double *w, double *h,
                    int *lines);
/* Markup-escaped copy of s (g_free it); NULL on out of memory. */
char *wp_text_escape(const char *s);

/* ---- drawing primitives (draw.c) ---------------------------------------------------- */

struct wp_rect {
    double x, y, w, h;
};

enum wp_mark {
    WP_MARK_CIRCLE,
    WP_MARK_SQUARE,
    WP_MARK_TRIANGLE,
    WP_MARK_DIAMOND,
    WP_MARK_TRIANGLE_DOWN,
    WP_MARK_COUNT
};

void wp_set_rgb(struct wp_fig *f, struct wp_rgb c, double alpha);
/* Rounds a coordinate to the device pixel grid for a line of width lw (PNG only), so
 * hairlines stay crisp at every --scale; identity for vector formats. */
double wp_snap(const struct wp_fig *f, double v, double lw);
/* A straight line; dash > 0 draws it dashed with that on/off length. */
void wp_line(struct wp_fig *f, double x0, double y0, double x1, double y1, double lw,
             struct wp_rgb c, double alpha, double dash);
void wp_fill_rect(struct wp_fig *f, const struct wp_rect *r, struct wp_rgb c, double alpha);
void wp_stroke_rect(struct wp_fig *f, const struct wp_rect *r, double lw, struct wp_rgb c);
/* A marker of diameter `size` centred at (x, y), filled and outlined (lw 0: no outline). */
void wp_mark(struct wp_fig *f, enum wp_mark m, double x, double y, double size,
             struct wp_rgb fill, double alpha, struct wp_rgb stroke, double lw);
/* A line width given for 7 pt text, scaled to the figure's text size. */
double wp_fig_lw(const struct wp_fig *f, double lw_at_7pt);

/* ---- axes and grids (axis.c) -------------------------------------------------------- */

enum wp_side { WP_SIDE_BOTTOM, WP_SIDE_LEFT };

/* One axis along the bottom or left of a plot area.  Continuous (ticks from the scale) or
 * categorical (n_cats labels at 0..n_cats-1, on a linear scale over [-0.5, n-0.5]). */
struct wp_axis {
    enum wp_side side;
    struct wp_scale scale;
    const char *title;            /* markup, NULL none */
    const char *suffix;           /* appended to continuous tick labels ("%"), NULL none */
    int target_ticks;             /* wanted labelled ticks; 0 = from the axis length */
    bool is_plain;                /* log axis labelled 1, 2, 5, 10, 20 ... not 10^k */
    /* categorical */
    const char *const *cats;      /* markup labels, NULL for a continuous axis */
    size_t n_cats;
    double cat_max_w;             /* left: widest label before wrapping (points) */
    int cat_max_lines;            /* wrapped labels: at most this many lines, then "…" */
    /* computed by wp_axis_prepare */
    double length;                /* along the plot; the title wraps at it */
    int cat_lines;                /* lines per category label that fit the rows */
    struct wp_tick ticks[WP_MAX_TICKS];
    size_t n_ticks;
    double label_w, label_h;      /* largest tick/category label */
    double first_half, last_half; /* how far the outermost tick labels reach past the
                                     axis' start and end (left/right; bottom/top) */
};

/* Ticks for an axis `length` points long such that no two labels overlap. */
void wp_axis_prepare(struct wp_fig *f, struct wp_axis *a, double length);
/* Space the axis needs outside the plot area, perpendicular to it: ticks, labels,
 * title. */
double wp_axis_depth(struct wp_fig *f, const struct wp_axis *a);
/* Draws ticks, labels and title of a along the plot area p, and the axis line. */
void wp_axis_draw(struct wp_fig *f, const struct wp_axis *a, const struct wp_rect *p);
/* Grid lines of a's major ticks across p (minor ticks of log axes in a fainter colour). */
void wp_axis_grid(struct wp_fig *f, const struct wp_axis *a, const struct wp_rect *p,
                  bool with_minor);

/* A plot panel with a bottom and a left axis. */
struct wp_plot {
    struct wp_rect area;  /* the data area, set by wp_plot_layout */
    struct wp_axis x, y;
};

/* Lays p out inside `outer`: prepares both axes for the space left after the other's
 * depth and the outermost labels' overhang, sets the data area and the scales' ranges
 * (x left to right; y bottom to top, or top to bottom for a categorical y). */
void wp_plot_layout(struct wp_fig *f, struct wp_plot *p, const struct wp_rect *outer);
/* Outer height for a plot `width` wide whose categorical y axis has rows `row_h` high, or
 * higher where a label (as wrapped at that width) needs more. */
double wp_plot_height_for_rows(struct wp_fig *f, struct wp_plot *p, double width,
                               double row_h);

/* ---- legends (legend.c) -------------------------------------------------------------- */

enum wp_key { WP_KEY_MARK, WP_KEY_LINE, WP_KEY_MARK_LINE, WP_KEY_BOX };

#define WP_LEGEND_CELLS 3

struct wp_legend_item {
    const char *cells[WP_LEGEND_CELLS]; /* markup; cells[0] the name, others right-aligned
                                           numbers; NULL ends the row */
    enum wp_key key;
    enum wp_mark mark;
    struct wp_rgb colour;
    double dash;                        /* line keys: 0 solid */
};

struct wp_legend {
    const struct wp_legend_item *items;
    size_t n;
    const char *header[WP_LEGEND_CELLS]; /* column headings (markup), NULL none */
    const char *title;                   /* markup above the legend, NULL none */
    /* computed by wp_legend_measure */
    int n_cols;                          /* item columns */
    double w, h, row_h, key_w, cell_w[WP_LEGEND_CELLS], col_w;
};

/* Chooses the number of item columns that fit max_w (up to max_cols, 0 = no limit;
 * balanced, filled down then across), shortens names with "…" if even one column is
 * too wide, and computes the legend's size. */
void wp_legend_measure(struct wp_fig *f, struct wp_legend *l, double max_w, int max_cols);
/* Draws the legend with its top left corner at (x, y). */
void wp_legend_draw(struct wp_fig *f, const struct wp_legend *l, double x, double y);

/* A cairo write callback onto the FILE * it is given as closure.  A failed write is never
 * told to cairo: cairo 1.16's PDF surface asserts on a write error in the middle of a
 * document with links (a full disk aborted the process).  The stream's error flag keeps the
 * failure, and wp_atomic_commit checks it before any rename. */
cairo_status_t wp_cairo_write_file(void *closure, const unsigned char *data, unsigned int len);

#endif
