/* Figures: one output file per figure, its cairo surface picked from the file name's
 * extension (PNG image, SVG in points, PDF with fixed metadata), written atomically
 * (PATH.tmp.XXXXXX in the same directory, fsync, rename).  Not the drawing: see draw.c,
 * axis.c, legend.c, text.c. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "render/render.h"
#include "util/time.h"

static const struct {
    const char *ext;
    enum wp_format format;
} formats[] = {
    {".png", WP_FORMAT_PNG},
    {".svg", WP_FORMAT_SVG},
    {".pdf", WP_FORMAT_PDF},
};

enum wp_err wp_render_format(const char *path, enum wp_format *out, struct wp_diag *d)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    for (size_t i = 0; dot && i < sizeof formats / sizeof formats[0]; i++)
        if (strcasecmp(dot, formats[i].ext) == 0) {
            *out = formats[i].format;
            return WP_OK;
        }
    return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                       "%s: the file name must end in .png, .svg or .pdf", path);
}

static char *dup_opt(const char *s, bool *fail)
{
    if (!s || !*s)
        return NULL;
    char *c = strdup(s);
    *fail |= !c;
    return c;
}

enum wp_err wp_fig_init(struct wp_fig *f, const struct wp_fig_opts *o, struct wp_diag *d)
{
    memset(f, 0, sizeof *f);
    f->target = o->target;
    enum wp_err e = o->target ? WP_OK : wp_render_format(o->path, &f->format, d);
    if (o->target)
        f->format = WP_FORMAT_PDF; /* vector: drawn into a report's PDF page */
    if (e)
        return e;
    if (!(o->width_pt > 0) || !(o->height_pt >= 0) || !(o->px_per_pt > 0) ||
        !(o->font_pt > 0))
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "figure size must be positive");
    f->width_pt = o->width_pt;
    f->height_pt = o->height_pt;
    f->px_per_pt = o->px_per_pt;
    f->font_pt = o->font_pt;
    f->theme_id = o->theme;
    f->palette = o->palette;
    f->theme = wp_theme_get(o->theme);
    bool fail = false;
    f->path = dup_opt(o->path, &fail);
    f->title = dup_opt(o->title, &fail);
    f->creator = dup_opt(o->creator, &fail);
    f->date = dup_opt(o->date, &fail);
    if (fail)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");

    /* pango's font map of this thread, shared by every figure it draws: fontconfig matches
     * each font once per thread, not once per figure (a fifth of a figure set's work) */
    f->fonts = g_object_ref(pango_cairo_font_map_get_default());
    f->pango = f->fonts ? pango_font_map_create_context(f->fonts) : NULL;
    if (!f->pango)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    /* Unhinted metrics: text measures the same in every format and at every resolution,
     * so a layout computed before the surface exists is the one drawn. */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    e = cairo_font_options_status(fo) == CAIRO_STATUS_SUCCESS ? WP_OK : WP_ERR_NOMEM;
    if (!e)
        pango_cairo_context_set_font_options(f->pango, fo);
    cairo_font_options_destroy(fo);
    if (e)
        return wp_diag_set(d, e, NULL, 0, 0, "out of memory");
    pango_cairo_context_set_resolution(f->pango, 72.0);
    pango_context_set_round_glyph_positions(f->pango, FALSE);
    /* the language picks line breaking and font fallback: fix it, not from $LANG */
    pango_context_set_language(f->pango, pango_language_from_string("en-us"));
    pango_context_set_base_dir(f->pango, PANGO_DIRECTION_LTR);
    return WP_OK;
}

cairo_status_t wp_cairo_write_file(void *closure, const unsigned char *data, unsigned int len)
{
    FILE *f = closure;
    if (!ferror(f))
        fwrite(data, 1, len, f);
    return CAIRO_STATUS_SUCCESS;
}

static enum wp_err make_surface(struct wp_fig *f, struct wp_diag *d)
{
    double w = f->width_pt, h = f->height_pt;
    switch (f->format) {
    case WP_FORMAT_PNG: {
        int pw = (int)lround(w * f->px_per_pt), ph = (int)lround(h * f->px_per_pt);
        if (pw < 1 || ph < 1 || pw > 32767 || ph > 32767 || (double)pw * ph > 2e8)
            return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                               "%d x %d pixels is too large a PNG (at most 32767 a side, "
                               "200 million in all): lower --dpi or --scale", pw, ph);
        f->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
        break;
    }
    case WP_FORMAT_SVG:
        if (!(f->svg_mem = open_memstream(&f->svg, &f->svg_len)))
            return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        f->surface = cairo_svg_surface_create_for_stream(wp_cairo_write_file, f->svg_mem, w, h);
        if (cairo_surface_status(f->surface) == CAIRO_STATUS_SUCCESS) {
            cairo_svg_surface_restrict_to_version(f->surface, CAIRO_SVG_VERSION_1_1);
            cairo_svg_surface_set_document_unit(f->surface, CAIRO_SVG_UNIT_PT);
        }
        break;
    case WP_FORMAT_PDF:
        f->surface = cairo_pdf_surface_create_for_stream(wp_cairo_write_file, f->out.f, w, h);
        if (cairo_surface_status(f->surface) == CAIRO_STATUS_SUCCESS) {
            /* cairo wants YYYY-MM-DDThh:mm:ss (zone optional); logs may write a space,
               slashes, no seconds or fractions: the instant the timestamp parser reads */
            char date[WP_TIME_ISO_S_SIZE];
            wp_time_iso_s(f->date, date);
            if (f->title)
                cairo_pdf_surface_set_metadata(f->surface, CAIRO_PDF_METADATA_TITLE, f->title);
            if (f->creator)
                cairo_pdf_surface_set_metadata(f->surface, CAIRO_PDF_METADATA_CREATOR,
                                               f->creator);
            /* fixed from the data, never the clock: same database, same bytes */
            cairo_pdf_surface_set_metadata(f->surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                           *date ? date : "2000-01-01T00:00:00");
            cairo_pdf_surface_set_metadata(f->surface, CAIRO_PDF_METADATA_MOD_DATE,
                                           *date ? date : "2000-01-01T00:00:00");
        }
        break;
    }
    cairo_status_t st = cairo_surface_status(f->surface);
    if (st != CAIRO_STATUS_SUCCESS)
        return wp_diag_set(d, WP_ERR_IO, f->path, 0, 0, "cannot create the surface: %s",
                           cairo_status_to_string(st));
    return WP_OK;
}

enum wp_err wp_fig_begin(struct wp_fig *f, struct wp_diag *d)
{
    if (!(f->height_pt > 0) || !(f->width_pt > 0))
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "figure size must be positive");
    if (f->target) {
        f->cr = cairo_reference(f->target);
        cairo_save(f->cr);
        cairo_rectangle(f->cr, 0, 0, f->width_pt, f->height_pt);
        cairo_clip(f->cr);
    } else {
        enum wp_err e = wp_atomic_begin(&f->out, f->path, d);
        if (!e)
            e = make_surface(f, d);
        if (e)
            return e;
        f->cr = cairo_create(f->surface);
    }
    cairo_status_t st = cairo_status(f->cr);
    if (st != CAIRO_STATUS_SUCCESS)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "cannot draw: %s",
                           cairo_status_to_string(st));
    if (f->format == WP_FORMAT_PNG)
        cairo_scale(f->cr, cairo_image_surface_get_width(f->surface) / f->width_pt,
                    cairo_image_surface_get_height(f->surface) / f->height_pt);
    pango_cairo_update_context(f->cr, f->pango);
    cairo_set_line_join(f->cr, CAIRO_LINE_JOIN_MITER);
    wp_set_rgb(f, f->theme->bg, 1);
    cairo_paint(f->cr);
    return WP_OK;
}

/* cairo names an SVG's groups "surfaceN" after a counter of every surface the process has
 * made, so the same figure drawn after others (chart all --jobs 1, batch) would differ from
 * one drawn alone.  Renumbers them 1, 2, ... in order of appearance, definitions and
 * references alike ("surfaceN" appears nowhere else: text is drawn as glyphs), and writes
 * the document to out. */
bool wp_svg_renumber(const char *svg, size_t len, FILE *out)
{
    static const char tag[] = "surface";
    unsigned long seen[64];
    size_t n_seen = 0;
    const char *p = svg, *end = svg + len;
    bool ok = true;
    for (const char *q; ok && (q = memmem(p, (size_t)(end - p), tag, sizeof tag - 1));) {
        const char *num = q + sizeof tag - 1, *e = num;
        while (e < end && *e >= '0' && *e <= '9')
            e++;
        bool is_id = e > num && e - num < 12 && q > svg && (q[-1] == '"' || q[-1] == '#');
        ok = fwrite(p, 1, (size_t)(num - p), out) == (size_t)(num - p);
        p = num;
        if (!is_id || !ok)
            continue;
        unsigned long v = strtoul(num, NULL, 10);
        size_t k = 0;
        while (k < n_seen && seen[k] != v)
            k++;
        if (k == n_seen && n_seen < sizeof seen / sizeof seen[0])
            seen[n_seen++] = v;
        if (k < sizeof seen / sizeof seen[0]) { /* past 64 groups: left as cairo wrote them */
            ok = fprintf(out, "%zu", k + 1) > 0;
            p = e;
        }
    }
    return ok && fwrite(p, 1, (size_t)(end - p), out) == (size_t)(end - p);
}

enum wp_err wp_fig_end(struct wp_fig *f, struct wp_diag *d)
{
    if (f->target && f->cr) { /* drawn into someone else's page: nothing to write */
        cairo_status_t st = cairo_status(f->cr);
        cairo_restore(f->cr);
        cairo_destroy(f->cr);
        f->cr = NULL;
        return st == CAIRO_STATUS_SUCCESS
                   ? WP_OK
                   : wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "drawing failed: %s",
                                 cairo_status_to_string(st));
    }
    if (!f->cr || !f->out.f)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "figure not begun");
    cairo_status_t st = cairo_status(f->cr);
    cairo_destroy(f->cr);
    f->cr = NULL;
    if (st != CAIRO_STATUS_SUCCESS)
        return wp_diag_set(d, WP_ERR_IO, f->path, 0, 0, "drawing failed: %s",
                           cairo_status_to_string(st));
    if (f->format == WP_FORMAT_PNG) {
        enum wp_err e = wp_png_write(f->surface, f->px_per_pt, f->out.f, f->path, d);
        if (e)
            return e;
    } else {
        cairo_surface_finish(f->surface);
        st = cairo_surface_status(f->surface);
        if (f->svg_mem) {
            bool ok = !ferror(f->svg_mem);
            ok = fclose(f->svg_mem) == 0 && ok;
            f->svg_mem = NULL;
            if (!ok || !f->svg)
                return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
            if (st == CAIRO_STATUS_SUCCESS && !wp_svg_renumber(f->svg, f->svg_len, f->out.f))
                return wp_diag_set(d, WP_ERR_IO, f->path, 0, 0, "cannot write: %s",
                                   strerror(errno));
        }
    }
    if (st != CAIRO_STATUS_SUCCESS)
        return wp_diag_set(d, WP_ERR_IO, f->path, 0, 0, "cannot write: %s",
                           cairo_status_to_string(st));
    /* a short write inside cairo's stream (a full disk) shows in the stream's error flag:
     * the commit checks it with the flush, so no empty file is renamed into place */
    return wp_atomic_commit(&f->out, d);
}

void wp_fig_free(struct wp_fig *f)
{
    if (f->cr) {
        if (f->target) /* stopped mid-way: leave the report's context as it was */
            cairo_restore(f->cr);
        cairo_destroy(f->cr);
    }
    if (f->surface) {
        cairo_surface_finish(f->surface); /* vector surfaces write on finish: before fclose */
        cairo_surface_destroy(f->surface);
    }
    if (f->svg_mem)
        fclose(f->svg_mem);
    free(f->svg);
    wp_atomic_abort(&f->out);
    if (f->measured)
        g_hash_table_destroy(f->measured);
    if (f->pango)
        g_object_unref(f->pango);
    if (f->fonts)
        g_object_unref(f->fonts);
    free(f->path);
    free(f->title);
    free(f->creator);
    free(f->date);
    memset(f, 0, sizeof *f);
}
