/* Legends: keys (marker, line, box) with up to three text cells per entry, laid out as a
 * small table in as many columns as the given width allows.  Charts place a legend
 * outside the data area, never over it. */
#include <math.h>
#include <string.h>

#include "render/render.h"

#define CELL_GAP 0.9  /* between cells of a row, in text heights */
#define COL_GAP 1.6   /* between item columns */
#define KEY_GAP 0.45  /* key to text */
#define ROW 1.35      /* row height */

static struct wp_text cell_text(struct wp_fig *f, const char *s, int cell, double max_w)
{
    return (struct wp_text){.s = s, .is_markup = true, .size_pt = f->font_pt * 0.93,
                            .max_w = cell == 0 ? max_w : 0, .max_lines = cell == 0 ? 1 : 0};
}

static double key_width(const struct wp_fig *f, const struct wp_legend *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].key == WP_KEY_LINE || l->items[i].key == WP_KEY_MARK_LINE)
            return f->font_pt * 2.2;
    return f->font_pt * 1.1;
}

/* Widths of the cells (cell 0 capped at max0), the key and one item column. */
static void measure_cells(struct wp_fig *f, struct wp_legend *l, double max0)
{
    memset(l->cell_w, 0, sizeof l->cell_w);
    for (size_t i = 0; i <= l->n; i++) {
        const char *const *cells = i < l->n ? l->items[i].cells : l->header;
        for (int c = 0; c < WP_LEGEND_CELLS && cells[c]; c++) {
            struct wp_text t = cell_text(f, cells[c], c, max0);
            double w;
            wp_text_measure(f, &t, &w, NULL);
            l->cell_w[c] = fmax(l->cell_w[c], w);
        }
    }
    l->key_w = key_width(f, l);
    l->col_w = l->key_w + f->font_pt * KEY_GAP;
    for (int c = 0; c < WP_LEGEND_CELLS; c++)
        if (l->cell_w[c] > 0)
            l->col_w += l->cell_w[c] + (c ? f->font_pt * CELL_GAP : 0);
}

static double title_height(struct wp_fig *f, const struct wp_legend *l)
{
    if (!l->title)
        return 0;
    double h;
    struct wp_text t = {.s = l->title, .is_markup = true, .size_pt = f->font_pt * 0.93,
                        .is_bold = true};
    wp_text_measure(f, &t, NULL, &h);
    return h + f->font_pt * 0.2;
}

void wp_legend_measure(struct wp_fig *f, struct wp_legend *l, double max_w, int max_cols)
{
    measure_cells(f, l, 1e9);
    if (l->col_w > max_w) { /* one column too wide: shorten the names ("…") */
        double over = l->col_w - max_w;
        measure_cells(f, l, fmax(l->cell_w[0] - over, f->font_pt * 3));
    }
    double gap = f->font_pt * COL_GAP;
    int cols = (int)floor((max_w + gap) / (l->col_w + gap));
    if (cols < 1)
        cols = 1;
    if (max_cols > 0 && cols > max_cols)
        cols = max_cols;
    if ((size_t)cols > l->n)
        cols = l->n ? (int)l->n : 1;
    /* as few columns as keep the same number of rows: balanced */
    size_t rows = (l->n + (size_t)cols - 1) / (size_t)cols;
    while (cols > 1 && (l->n + (size_t)cols - 2) / (size_t)(cols - 1) == rows)
        cols--;
    l->n_cols = cols;
    l->row_h = f->font_pt * ROW;
    bool header = l->header[0] || l->header[1] || l->header[2];
    l->w = cols * l->col_w + (cols - 1) * gap;
    l->h = ((double)rows + (header ? 1 : 0)) * l->row_h + title_height(f, l);
}

static void draw_key(struct wp_fig *f, const struct wp_legend *l,
                     const struct wp_legend_item *it, double x, double cy)
{
    double size = f->font_pt * 0.75, lw = wp_fig_lw(f, 1.1);
    switch (it->key) {
    case WP_KEY_LINE:
    case WP_KEY_MARK_LINE:
        wp_line(f, x, cy, x + l->key_w, cy, lw, it->colour, 1, it->dash);
        if (it->key == WP_KEY_MARK_LINE)
            wp_mark(f, it->mark, x + l->key_w / 2, cy, size, it->colour, 1,
                    wp_rgb_edge(f->theme_id, it->colour),
                    wp_fig_lw(f, 0.4));
        break;
    case WP_KEY_BOX: {
        double s = f->font_pt * 0.8;
        struct wp_rect r = {x + (l->key_w - s) / 2, cy - s / 2, s, s};
        wp_fill_rect(f, &r, it->colour, 1);
        break;
    }
    case WP_KEY_MARK:
    default:
        wp_mark(f, it->mark, x + l->key_w / 2, cy, size, it->colour, 1,
                    wp_rgb_edge(f->theme_id, it->colour),
                wp_fig_lw(f, 0.4));
        break;
    }
}

/* Draws one row's cells from x; cell 0 left-aligned, the others right-aligned. */
static void draw_cells(struct wp_fig *f, const struct wp_legend *l, const char *const *cells,
                       double x, double cy, struct wp_rgb c)
{
    for (int k = 0; k < WP_LEGEND_CELLS && cells[k]; k++) {
        if (k)
            x += f->font_pt * CELL_GAP;
        struct wp_text t = cell_text(f, cells[k], k, l->cell_w[0] + 0.5);
        PangoLayout *lay = wp_text_layout(f, &t);
        if (k == 0)
            wp_text_draw(f, lay, x, cy, 0, 0.5, 0, c);
        else
            wp_text_draw(f, lay, x + l->cell_w[k], cy, 1, 0.5, 0, c);
        g_object_unref(lay);
        x += l->cell_w[k];
    }
}

void wp_legend_draw(struct wp_fig *f, const struct wp_legend *l, double x, double y)
{
    if (l->title) {
        struct wp_text t = {.s = l->title, .is_markup = true, .size_pt = f->font_pt * 0.93,
                            .is_bold = true};
        wp_text_put(f, &t, x, y, 0, 0, 0, f->theme->fg, NULL, NULL);
        y += title_height(f, l);
    }
    size_t rows = l->n_cols ? (l->n + (size_t)l->n_cols - 1) / (size_t)l->n_cols : l->n;
    bool header = l->header[0] || l->header[1] || l->header[2];
    double gap = f->font_pt * COL_GAP, text_x = l->key_w + f->font_pt * KEY_GAP;
    if (header) {
        for (int c = 0; c < l->n_cols; c++)
            draw_cells(f, l, l->header, x + c * (l->col_w + gap) + text_x, y + l->row_h / 2,
                       f->theme->muted);
        y += l->row_h;
    }
    for (size_t i = 0; i < l->n; i++) {
        size_t col = rows ? i / rows : 0, row = rows ? i % rows : 0; /* down, then across */
        double cx = x + (double)col * (l->col_w + gap);
        double cy = y + ((double)row + 0.5) * l->row_h;
        draw_key(f, l, &l->items[i], cx, cy);
        draw_cells(f, l, l->items[i].cells, cx + text_x, cy, f->theme->fg);
    }
}
