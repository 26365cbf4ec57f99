/* Colours: the two themes (light, dark) and the colour-blind-safe categorical palettes
 * (Okabe-Ito by default, viridis, grey).  Pure tables and arithmetic; no drawing. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/render.h"

#define HEX(v) {((v) >> 16 & 0xff) / 255.0, ((v) >> 8 & 0xff) / 255.0, ((v) & 0xff) / 255.0}

static const struct wp_theme themes[] = {
    [WP_THEME_LIGHT] = {
        .bg = HEX(0xffffff), .fg = HEX(0x1a1a1a), .muted = HEX(0x595959),
        .grid = HEX(0xe2e2e2), .minor = HEX(0xf0f0f0), .ink = HEX(0x333333),
    },
    [WP_THEME_DARK] = {
        .bg = HEX(0x1b1d21), .fg = HEX(0xe8e8e8), .muted = HEX(0xa9a9a9),
        .grid = HEX(0x363940), .minor = HEX(0x282b30), .ink = HEX(0xd0d0d0),
    },
};

/* Okabe & Ito (2008), "Color Universal Design", without black (the text colour).  The
 * order puts the most distinct colours first; yellow, faint on white, comes last in the
 * light theme, and blue, dark on the dark page, comes last in the dark theme. */
static const struct wp_rgb okabe_light[] = {
    HEX(0x0072B2), HEX(0xE69F00), HEX(0x009E73), HEX(0xD55E00),
    HEX(0xCC79A7), HEX(0x56B4E9), HEX(0xF0E442),
};
static const struct wp_rgb okabe_dark[] = {
    HEX(0xE69F00), HEX(0x56B4E9), HEX(0x009E73), HEX(0xF0E442),
    HEX(0xD55E00), HEX(0xCC79A7), HEX(0x0072B2),
};
#define N_OKABE (sizeof okabe_light / sizeof okabe_light[0])

/* viridis (matplotlib) sampled at 0, 1/8, ..., 1; interpolated linearly between. */
static const struct wp_rgb viridis[] = {
    HEX(0x440154), HEX(0x482878), HEX(0x3E4A89), HEX(0x31688E), HEX(0x26828E),
    HEX(0x1F9E89), HEX(0x35B779), HEX(0x6DCD59), HEX(0xFDE725),
};
#define N_VIRIDIS (sizeof viridis / sizeof viridis[0])

static const struct {
    const char *name;
    enum wp_palette_id id;
} palette_names[] = {
    {"okabe-ito", WP_PALETTE_OKABE_ITO},
    {"viridis", WP_PALETTE_VIRIDIS},
    {"grey", WP_PALETTE_GREY},
    {"gray", WP_PALETTE_GREY},
};

bool wp_palette_parse(const char *name, enum wp_palette_id *out)
{
    for (size_t i = 0; i < sizeof palette_names / sizeof palette_names[0]; i++)
        if (strcmp(name, palette_names[i].name) == 0) {
            *out = palette_names[i].id;
            return true;
        }
    return false;
}

bool wp_theme_parse(const char *name, enum wp_theme_id *out)
{
    if (strcmp(name, "light") == 0)
        *out = WP_THEME_LIGHT;
    else if (strcmp(name, "dark") == 0)
        *out = WP_THEME_DARK;
    else
        return false;
    return true;
}

const struct wp_theme *wp_theme_get(enum wp_theme_id t)
{
    return &themes[t == WP_THEME_DARK ? WP_THEME_DARK : WP_THEME_LIGHT];
}

struct wp_rgb wp_rgb_mix(struct wp_rgb a, struct wp_rgb b, double t)
{
    return (struct wp_rgb){a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}

/* Position t in [0, 1] on a ramp of n anchor colours. */
static struct wp_rgb ramp(const struct wp_rgb *v, size_t n, double t)
{
    double x = fmin(fmax(t, 0.0), 1.0) * (double)(n - 1);
    size_t k = (size_t)floor(x);
    if (k >= n - 1)
        return v[n - 1];
    return wp_rgb_mix(v[k], v[k + 1], x - (double)k);
}

struct wp_rgb wp_palette_colour(enum wp_palette_id p, enum wp_theme_id t, size_t i, size_t n)
{
    bool dark = t == WP_THEME_DARK;
    if (n == 0)
        n = 1;
    double u = n > 1 ? (double)(i % n) / (double)(n - 1) : 0.0;
    switch (p) {
    case WP_PALETTE_VIRIDIS:
        /* the yellow end is unreadable on white, the purple end on the dark page */
        return dark ? ramp(viridis, N_VIRIDIS, 0.4 + 0.6 * u)
                    : ramp(viridis, N_VIRIDIS, 0.85 * u);
    case WP_PALETTE_GREY: {
        struct wp_rgb a = dark ? (struct wp_rgb)HEX(0xeeeeee) : (struct wp_rgb)HEX(0x1f1f1f);
        struct wp_rgb b = dark ? (struct wp_rgb)HEX(0x6a6a6a) : (struct wp_rgb)HEX(0xb4b4b4);
        return wp_rgb_mix(a, b, u);
    }
    case WP_PALETTE_OKABE_ITO:
    default:
        return (dark ? okabe_dark : okabe_light)[i % N_OKABE];
    }
}

void wp_rgb_hex(struct wp_rgb c, char *buf, size_t size)
{
    unsigned r = (unsigned)lround(fmin(fmax(c.r, 0), 1) * 255);
    unsigned g = (unsigned)lround(fmin(fmax(c.g, 0), 1) * 255);
    unsigned b = (unsigned)lround(fmin(fmax(c.b, 0), 1) * 255);
    snprintf(buf, size, "#%02x%02x%02x", r & 0xffu, g & 0xffu, b & 0xffu);
}

static double linear(double v)
{
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

double wp_rgb_luminance(struct wp_rgb c)
{
    return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

struct wp_rgb wp_rgb_edge(enum wp_theme_id t, struct wp_rgb c)
{
    const struct wp_theme *th = wp_theme_get(t);
    double lc = wp_rgb_luminance(c), lb = wp_rgb_luminance(th->bg);
    double contrast = (fmax(lc, lb) + 0.05) / (fmin(lc, lb) + 0.05);
    if (contrast >= 1.6)
        return th->bg;
    return wp_rgb_mix(c, th->fg, 0.45);
}
