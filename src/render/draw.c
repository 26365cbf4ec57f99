/* Drawing primitives shared by axes, legends and charts: colours, lines snapped to the
 * pixel grid, rectangles and point markers.  cairo's status is sticky; wp_fig_end checks
 * it once for everything drawn here. */
#include <math.h>

#include "render/render.h"

void wp_set_rgb(struct wp_fig *f, struct wp_rgb c, double alpha)
{
    if (alpha >= 1)
        cairo_set_source_rgb(f->cr, c.r, c.g, c.b);
    else
        cairo_set_source_rgba(f->cr, c.r, c.g, c.b, alpha);
}

double wp_fig_lw(const struct wp_fig *f, double lw_at_7pt)
{
    return lw_at_7pt * f->font_pt / 7.0;
}

double wp_snap(const struct wp_fig *f, double v, double lw)
{
    if (f->format != WP_FORMAT_PNG)
        return v;
    double px = lw * f->px_per_pt;
    double w = fmax(1, round(px));
    /* an odd number of pixels wide is centred on a pixel's middle */
    double dev = v * f->px_per_pt;
    double snapped = ((long)w % 2) ? floor(dev) + 0.5 : round(dev);
    return snapped / f->px_per_pt;
}

void wp_line(struct wp_fig *f, double x0, double y0, double x1, double y1, double lw,
             struct wp_rgb c, double alpha, double dash)
{
    cairo_t *cr = f->cr;
    if (x0 == x1)
        x0 = x1 = wp_snap(f, x0, lw);
    if (y0 == y1)
        y0 = y1 = wp_snap(f, y0, lw);
    cairo_save(cr);
    cairo_set_line_width(cr, lw);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    if (dash > 0)
        cairo_set_dash(cr, (double[]){dash, dash * 0.7}, 2, 0);
    wp_set_rgb(f, c, alpha);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
    cairo_restore(cr);
}

void wp_fill_rect(struct wp_fig *f, const struct wp_rect *r, struct wp_rgb c, double alpha)
{
    wp_set_rgb(f, c, alpha);
    cairo_rectangle(f->cr, r->x, r->y, r->w, r->h);
    cairo_fill(f->cr);
}

void wp_stroke_rect(struct wp_fig *f, const struct wp_rect *r, double lw, struct wp_rgb c)
{
    cairo_t *cr = f->cr;
    double x0 = wp_snap(f, r->x, lw), x1 = wp_snap(f, r->x + r->w, lw);
    double y0 = wp_snap(f, r->y, lw), y1 = wp_snap(f, r->y + r->h, lw);
    cairo_save(cr);
    cairo_set_line_width(cr, lw);
    wp_set_rgb(f, c, 1);
    cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* The marker's outline as a path; equal visual area across shapes. */
static void mark_path(cairo_t *cr, enum wp_mark m, double x, double y, double size)
{
    double r = size / 2;
    switch (m) {
    case WP_MARK_SQUARE: {
        double h = r * 0.886; /* sqrt(pi)/2: the area of the circle */
        cairo_rectangle(cr, x - h, y - h, 2 * h, 2 * h);
        break;
    }
    case WP_MARK_TRIANGLE:
    case WP_MARK_TRIANGLE_DOWN: {
        double s = r * 1.35, dir = m == WP_MARK_TRIANGLE ? 1 : -1;
        cairo_move_to(cr, x, y - dir * s);
        cairo_line_to(cr, x + s * 0.866, y + dir * s * 0.5);
        cairo_line_to(cr, x - s * 0.866, y + dir * s * 0.5);
        cairo_close_path(cr);
        break;
    }
    case WP_MARK_DIAMOND: {
        double s = r * 1.25;
        cairo_move_to(cr, x, y - s);
        cairo_line_to(cr, x + s, y);
        cairo_line_to(cr, x, y + s);
        cairo_line_to(cr, x - s, y);
        cairo_close_path(cr);
        break;
    }
    case WP_MARK_CIRCLE:
    default:
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        break;
    }
}

void wp_mark(struct wp_fig *f, enum wp_mark m, double x, double y, double size,
             struct wp_rgb fill, double alpha, struct wp_rgb stroke, double lw)
{
    cairo_t *cr = f->cr;
    cairo_save(cr);
    cairo_new_path(cr);
    mark_path(cr, m, x, y, size);
    wp_set_rgb(f, fill, alpha);
    if (lw > 0) {
        cairo_fill_preserve(cr);
        cairo_set_line_width(cr, lw);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        wp_set_rgb(f, stroke, 1);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
    cairo_restore(cr);
}
