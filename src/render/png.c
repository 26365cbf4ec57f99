/* PNG files of figures, written with libpng rather than cairo's own writer: cairo's tries
 * all five row filters on every row at zlib's default level, which took three quarters of a
 * chart's time; figures (flat colours, long runs) compress as well with the Up filter and
 * run-length matching.  It also records the resolution (pHYs), so a word processor or
 * LaTeX places a 300 dpi figure at its intended size.  Not the surfaces: see figure.c. */
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "render/render.h"

/* libpng reports errors through longjmp: the message is kept for the diagnostic. */
struct png_ctx {
    jmp_buf jmp;
    char msg[160];
};

static void on_error(png_structp png, png_const_charp msg)
{
    struct png_ctx *c = png_get_error_ptr(png);
    snprintf(c->msg, sizeof c->msg, "%s", msg);
    longjmp(c->jmp, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* nothing a user can act on: libpng warns only of its own limits */
}

enum wp_err wp_png_write(cairo_surface_t *s, double px_per_pt, FILE *out, const char *path,
                         struct wp_diag *d)
{
    cairo_surface_flush(s);
    if (cairo_image_surface_get_format(s) != CAIRO_FORMAT_RGB24)
        return wp_diag_set(d, WP_ERR_USAGE, path, 0, 0, "PNG: only opaque RGB figures");
    const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    const int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    unsigned char *row = malloc((size_t)w * 3);
    if (!row || !data) {
        free(row);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    struct png_ctx ctx = {.msg = ""};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error,
                                              on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        free(row);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (setjmp(ctx.jmp)) {
        png_destroy_write_struct(&png, &info);
        free(row);
        return wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot write: %s", ctx.msg);
    }
    png_init_io(png, out);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_set_compression_strategy(png, Z_DEFAULT_STRATEGY);
    png_set_compression_level(png, 3);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    /* pixels per metre: 72 pt to the inch, 0.0254 m to the inch */
    png_uint_32 ppm = (png_uint_32)lround(px_per_pt * 72.0 / 0.0254);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        /* cairo's RGB24: one native-endian 32-bit word per pixel, 0x00RRGGBB */
        const uint32_t *px = (const uint32_t *)(const void *)(data + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            row[3 * x] = (unsigned char)(px[x] >> 16);
            row[3 * x + 1] = (unsigned char)(px[x] >> 8);
            row[3 * x + 2] = (unsigned char)px[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return WP_OK;
}
