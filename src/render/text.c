/* Text: every string a figure shows goes through a pango layout here (DejaVu Sans,
 * absolute sizes in points, wrapping and ellipsizing to a width), never cairo_show_text.
 * Measuring and drawing use the same layout settings, so what was measured is drawn. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "util/text.h"

#define FONT_FAMILY "DejaVu Sans"

/* pango's own <sup> and <sub> mis-size text whose font has an absolute size (the
 * exponent comes out larger than the base): spell them out as a span 70% high raised or
 * lowered by a fraction of the size. */
static GString *scripts(const char *markup, double size_pt)
{
    static const struct {
        const char *tag;
        double rise; /* em */
    } tags[] = {{"<sup>", 0.42}, {"<sub>", -0.18}, {"</sup>", 0}, {"</sub>", 0}};
    GString *out = g_string_sized_new(strlen(markup) + 64);
    for (const char *p = markup; *p;) {
        size_t k = 0;
        while (k < 4 && strncmp(p, tags[k].tag, strlen(tags[k].tag)) != 0)
            k++;
        if (k == 4) {
            g_string_append_c(out, *p++);
            continue;
        }
        if (k < 2)
            g_string_append_printf(out, "<span size=\"%d\" rise=\"%d\">",
                                   (int)lround(size_pt * 0.7 * PANGO_SCALE),
                                   (int)lround(size_pt * tags[k].rise * PANGO_SCALE));
        else
            g_string_append(out, "</span>");
        p += strlen(tags[k].tag);
    }
    return out;
}

PangoLayout *wp_text_layout(struct wp_fig *f, const struct wp_text *t)
{
    PangoLayout *l = pango_layout_new(f->pango);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family_static(fd, FONT_FAMILY);
    pango_font_description_set_weight(fd, t->is_bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd, t->size_pt * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_alignment(l, t->align);
    if (t->max_w > 0) {
        pango_layout_set_width(l, (int)(t->max_w * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
        if (t->max_lines > 0) {
            pango_layout_set_height(l, -t->max_lines);
            pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        }
    }
    /* a control character would draw as a box, a bidirectional control reverse the text
     * around it: both are shown as escapes (the markup's tags are ASCII, untouched) */
    char *shown = wp_text_escape_display(t->s ? t->s : "");
    if (t->is_markup) {
        GString *m = scripts(shown ? shown : "", t->size_pt);
        pango_layout_set_markup(l, m->str, (int)m->len);
        g_string_free(m, TRUE);
    }
    else
        pango_layout_set_text(l, shown ? shown : "", -1);
    free(shown);
    return l;
}

void wp_text_size(PangoLayout *l, double *w, double *h)
{
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    if (w)
        *w = (double)logical.width / PANGO_SCALE;
    if (h)
        *h = (double)logical.height / PANGO_SCALE;
}

void wp_text_draw(struct wp_fig *f, PangoLayout *l, double x, double y, double ax, double ay,
                  double angle, struct wp_rgb c)
{
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    /* the logical box of a wrapped, centred layout starts inside its width: anchor the
     * box of the text itself */
    double w = (double)logical.width / PANGO_SCALE, h = (double)logical.height / PANGO_SCALE;
    double ox = (double)logical.x / PANGO_SCALE, oy = (double)logical.y / PANGO_SCALE;
    cairo_t *cr = f->cr;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    if (angle != 0)
        cairo_rotate(cr, angle);
    cairo_move_to(cr, -ax * w - ox, -ay * h - oy);
    wp_set_rgb(f, c, 1);
    pango_cairo_update_layout(cr, l);
    pango_cairo_show_layout(cr, l);
    cairo_restore(cr);
}

void wp_text_put(struct wp_fig *f, const struct wp_text *t, double x, double y, double ax,
                 double ay, double angle, struct wp_rgb c, double *w, double *h)
{
    PangoLayout *l = wp_text_layout(f, t);
    wp_text_draw(f, l, x, y, ax, ay, angle, c);
    wp_text_size(l, w, h);
    g_object_unref(l);
}

struct extent {
    double w, h;
    int lines;
};

void wp_text_extent(struct wp_fig *f, const struct wp_text *t, double *w, double *h,
                    int *lines)
{
    /* every field that changes the layout, exactly (%a), then the text */
    char *key = g_strdup_printf("%d %a %d %a %d %d %s", t->is_markup, t->size_pt, t->is_bold,
                                t->max_w, t->max_lines, (int)t->align, t->s ? t->s : "");
    struct extent *x = f->measured ? g_hash_table_lookup(f->measured, key) : NULL;
    if (x)
        g_free(key);
    else {
        PangoLayout *l = wp_text_layout(f, t);
        x = g_new(struct extent, 1);
        wp_text_size(l, &x->w, &x->h);
        x->lines = pango_layout_get_line_count(l);
        g_object_unref(l);
        if (!f->measured)
            f->measured = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_insert(f->measured, key, x);
    }
    if (w)
        *w = x->w;
    if (h)
        *h = x->h;
    if (lines)
        *lines = x->lines;
}

void wp_text_measure(struct wp_fig *f, const struct wp_text *t, double *w, double *h)
{
    wp_text_extent(f, t, w, h, NULL);
}

char *wp_text_escape(const char *s)
{
    /* controls first: g_markup_escape_text would make &#x1b; of an ESC, a box on the page */
    char *shown = wp_text_escape_display(s ? s : "");
    char *m = g_markup_escape_text(shown ? shown : "", -1);
    free(shown);
    return m;
}
