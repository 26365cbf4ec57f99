/* The PDF document engine (see doc.h): two passes over the same build function, pages
 * laid out top to bottom with pango, links and outline through cairo's tag API.  Errors
 * are sticky, like cairo's: the first one stops drawing and is returned at the end. */
#include "report/doc.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <pango/pangocairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/text.h"

#include "render/render.h"
#include "report/html.h"
#include "util/atomic.h"
#include "util/array.h"
#include "util/time.h"

#define MM 2.834645669 /* points per millimetre */
#define MAX_HEADINGS 256
#define FONT "DejaVu Sans"
#define BODY_PT 9.5

struct heading {
    int level, number[2];
    char *text;
    int page;
};

struct wp_doc {
    const struct wp_doc_opts *o;
    struct wp_html *html;       /* the HTML backend: every call goes there instead */
    bool drawing;               /* second pass */
    cairo_surface_t *surface;
    cairo_t *cr;
    double page_w, page_h, margin_l, margin_r, margin_t, margin_b;
    double y;                   /* where the next block goes */
    int page;                   /* 1-based; 0 before the first page */
    bool page_has_content;
    struct heading heads[MAX_HEADINGS];
    size_t n_heads, next_head;  /* next_head: index while building */
    int num[2];                 /* heading numbers */
    int contents_page;
    int n_figures, n_tables;    /* numbered so far in this pass */
    enum wp_err err;
    struct wp_diag *d;
    /* the heights of the table rows the first pass measured, in order: the second
     * measuring pass lays out the same rows and takes them from here (checked by key) */
    struct row_height *heights;
    size_t n_heights, cap_heights, next_height;
};

struct row_height {
    uint64_t key; /* of the cells, widths and weight */
    double h;
};

static void fail(struct wp_doc *doc, enum wp_err e, const char *what)
{
    if (!doc->err)
        doc->err = wp_diag_set(doc->d, e, doc->o->path, 0, 0, "%s", what);
}

char *wp_doc_escape(const char *text)
{
    /* controls and bidirectional controls shown as escapes (render/text.c's rule), before
     * g_markup_escape_text would make &#x1b; of an ESC, a box on the page */
    char *shown = wp_text_escape_display(text ? text : "");
    char *m = g_markup_escape_text(shown ? shown : "", -1); /* glib: free() is g_free here */
    free(shown);
    return m;
}

/* "n = 22" never breaks: the spaces around the '=' of a count become no-break spaces.
 * Returns a new string (free()) or NULL. */
static char *keep_counts(const char *text)
{
    size_t len = strlen(text), extra = 0;
    for (const char *p = text; (p = strstr(p, "n = ")); p++)
        extra += 2; /* each ' ' (1 byte) becomes U+00A0 (2 bytes) */
    char *out = malloc(len + extra + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = text; *p;) {
        bool word_start = p == text || !g_ascii_isalnum(p[-1]);
        if (word_start && strncmp(p, "n = ", 4) == 0) {
            memcpy(o, "n\xc2\xa0=\xc2\xa0", 6); /* 6 bytes: U+00A0 is 2 */
            o += 6;
            p += 4;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

/* "Figure: text" and "Table: text" are numbered in order ("Figure 3. text"); other
 * captions are kept as they are.  Returns a new string (free()) or NULL. */
static char *numbered_caption(struct wp_doc *doc, const char *caption)
{
    static const struct { const char *prefix, *name; bool is_figure; } kinds[] = {
        {"Figure: ", "Figure", true}, {"Table: ", "Table", false}};
    char *out = NULL;
    for (size_t i = 0; i < 2 && !out; i++) {
        size_t n = strlen(kinds[i].prefix);
        if (strncmp(caption, kinds[i].prefix, n) != 0)
            continue;
        int no = kinds[i].is_figure ? ++doc->n_figures : ++doc->n_tables;
        const char *rest = caption + n;
        char first = *rest >= 'a' && *rest <= 'z' ? (char)(*rest - 'a' + 'A') : *rest;
        char *tmp = g_strdup_printf("<b>%s %d.</b> %c%s", kinds[i].name, no, first,
                                    *rest ? rest + 1 : "");
        out = tmp ? keep_counts(tmp) : NULL;
        g_free(tmp);
        return out;
    }
    return keep_counts(caption);
}

int wp_doc_next_figure(const struct wp_doc *doc)
{
    return doc->n_figures + 1;
}

int wp_doc_next_table(const struct wp_doc *doc)
{
    return doc->n_tables + 1;
}

double wp_doc_text_width(const struct wp_doc *doc)
{
    return doc->page_w - doc->margin_l - doc->margin_r;
}

static PangoLayout *layout(struct wp_doc *doc, const char *markup, double size_pt,
                           bool bold, double width)
{
    PangoLayout *l = pango_cairo_create_layout(doc->cr);
    /* 72 dpi: a point in markup (size='...') is a point on the page, as in the layout's
     * own absolute size */
    pango_cairo_context_set_resolution(pango_layout_get_context(l), 72.0);
    pango_layout_context_changed(l);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, FONT);
    pango_font_description_set_absolute_size(fd, size_pt * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    char *shown = wp_text_escape_display(markup); /* tags are ASCII: untouched */
    pango_layout_set_markup(l, shown ? shown : "", -1);
    free(shown);
    return l;
}

static double layout_height(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void show(struct wp_doc *doc, PangoLayout *l, double x, double y)
{
    if (!doc->drawing)
        return;
    cairo_move_to(doc->cr, x, y);
    pango_cairo_show_layout(doc->cr, l);
}

static void header_footer(struct wp_doc *doc)
{
    if (!doc->drawing || doc->page <= 1)
        return;
    char num[32];
    snprintf(num, sizeof num, "%d", doc->page);
    cairo_set_source_rgb(doc->cr, 0.35, 0.35, 0.35);
    char *h = wp_doc_escape(doc->o->running_header ? doc->o->running_header : "");
    PangoLayout *l = layout(doc, h, 7.5, false, wp_doc_text_width(doc));
    show(doc, l, doc->margin_l, doc->margin_t - 22);
    g_object_unref(l);
    g_free(h);
    l = layout(doc, num, 8, false, wp_doc_text_width(doc));
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    show(doc, l, doc->margin_l, doc->page_h - doc->margin_b + 14);
    g_object_unref(l);
    cairo_set_line_width(doc->cr, 0.4);
    cairo_move_to(doc->cr, doc->margin_l, doc->margin_t - 8);
    cairo_line_to(doc->cr, doc->page_w - doc->margin_r, doc->margin_t - 8);
    cairo_stroke(doc->cr);
    cairo_set_source_rgb(doc->cr, 0, 0, 0);
}

static void new_page(struct wp_doc *doc)
{
    if (doc->page > 0)
        cairo_show_page(doc->cr);
    doc->page++;
    doc->y = doc->margin_t;
    doc->page_has_content = false;
    cairo_set_source_rgb(doc->cr, 0, 0, 0);
    header_footer(doc);
}

/* Makes room for h points, starting a new page if the block would not fit. */
static void room(struct wp_doc *doc, double h)
{
    if (doc->page == 0 || (doc->page_has_content && doc->y + h > doc->page_h - doc->margin_b))
        new_page(doc);
    doc->page_has_content = true;
}

void wp_doc_keep(struct wp_doc *doc, double pt)
{
    if (doc->html)
        return; /* the browser lays out */
    if (doc->err)
        return;
    if (doc->page && doc->page_has_content && doc->y + pt > doc->page_h - doc->margin_b)
        new_page(doc);
}

void wp_doc_page_break(struct wp_doc *doc)
{
    if (doc->html)
        return;
    if (doc->err)
        return;
    if (doc->page == 0 || doc->page_has_content)
        new_page(doc);
}

void wp_doc_space(struct wp_doc *doc, double pt)
{
    if (!doc->html && !doc->err && doc->page_has_content)
        doc->y += pt;
}

static void block(struct wp_doc *doc, const char *markup, double size, bool bold,
                  double before, double after)
{
    if (doc->err)
        return;
    PangoLayout *l = layout(doc, markup, size, bold, wp_doc_text_width(doc));
    double h = layout_height(l);
    room(doc, h + before);
    if (doc->y > doc->margin_t)
        doc->y += before;
    show(doc, l, doc->margin_l, doc->y);
    doc->y += h + after;
    g_object_unref(l);
}

void wp_doc_para(struct wp_doc *doc, const char *markup)
{
    char *text = keep_counts(markup);
    if (!text)
        fail(doc, WP_ERR_NOMEM, "out of memory");
    else if (doc->html)
        wp_html_para(doc->html, text, NULL);
    else
        block(doc, text, BODY_PT, false, 0, 6);
    free(text);
}

void wp_doc_note(struct wp_doc *doc, const char *markup)
{
    char *text = keep_counts(markup);
    if (!text)
        fail(doc, WP_ERR_NOMEM, "out of memory");
    else if (doc->html)
        wp_html_para(doc->html, text, "note");
    else
        block(doc, text, 7.5, false, 0, 5);
    free(text);
}

void wp_doc_title_page(struct wp_doc *doc, const char *title, const char *subtitle,
                       const char *const *lines, size_t n_lines)
{
    if (doc->html) {
        wp_html_title_page(doc->html, title, subtitle, lines, n_lines);
        return;
    }
    if (doc->err)
        return;
    wp_doc_page_break(doc);
    doc->page_has_content = true;
    doc->y = doc->page_h * 0.28;
    char *t = wp_doc_escape(title), *s = wp_doc_escape(subtitle ? subtitle : "");
    PangoLayout *l = layout(doc, t, 24, true, wp_doc_text_width(doc));
    show(doc, l, doc->margin_l, doc->y);
    doc->y += layout_height(l) + 10;
    g_object_unref(l);
    if (*s) {
        l = layout(doc, s, 13, false, wp_doc_text_width(doc));
        show(doc, l, doc->margin_l, doc->y);
        doc->y += layout_height(l) + 30;
        g_object_unref(l);
    }
    for (size_t i = 0; i < n_lines; i++) {
        l = layout(doc, lines[i], 10.5, false, wp_doc_text_width(doc));
        show(doc, l, doc->margin_l, doc->y);
        doc->y += layout_height(l) + 5;
        g_object_unref(l);
    }
    g_free(t);
    g_free(s);
    new_page(doc);
}

static void dest_name(char *buf, size_t size, size_t i)
{
    snprintf(buf, size, "sec%zu", i);
}

void wp_doc_heading(struct wp_doc *doc, int level, const char *text)
{
    if (doc->html) {
        wp_html_heading(doc->html, level, text);
        return;
    }
    if (doc->err)
        return;
    if (level < 1 || level > 2 || doc->next_head >= MAX_HEADINGS) {
        fail(doc, WP_ERR_USAGE, "too many headings or a bad heading level");
        return;
    }
    if (level == 1) {
        wp_doc_page_break(doc);
        doc->num[0]++;
        doc->num[1] = 0;
    } else {
        doc->num[1]++;
    }
    size_t i = doc->next_head++;
    char number[32], *t = wp_doc_escape(text), markup[1024];
    if (level == 1)
        snprintf(number, sizeof number, "%d", doc->num[0]);
    else
        snprintf(number, sizeof number, "%d.%d", doc->num[0], doc->num[1]);
    snprintf(markup, sizeof markup, "%s  %s", number, t);
    PangoLayout *l = layout(doc, markup, level == 1 ? 16 : 12, true, wp_doc_text_width(doc));
    double h = layout_height(l);
    room(doc, h + 40); /* keep a heading with what follows it */
    if (doc->y > doc->margin_t)
        doc->y += level == 1 ? 14 : 8;
    if (doc->drawing) {
        char attr[64], name[32];
        dest_name(name, sizeof name, i);
        snprintf(attr, sizeof attr, "name='%s'", name);
        cairo_tag_begin(doc->cr, CAIRO_TAG_DEST, attr);
        show(doc, l, doc->margin_l, doc->y);
        cairo_tag_end(doc->cr, CAIRO_TAG_DEST);
    } else {
        struct heading *hd = &doc->heads[i];
        free(hd->text); /* from the previous measuring pass */
        hd->level = level;
        hd->number[0] = doc->num[0];
        hd->number[1] = doc->num[1];
        hd->text = strdup(text);
        hd->page = doc->page;
        doc->n_heads = doc->next_head;
        if (!hd->text)
            fail(doc, WP_ERR_NOMEM, "out of memory");
    }
    doc->y += h + (level == 1 ? 10 : 6);
    g_object_unref(l);
    g_free(t);
}

void wp_doc_contents(struct wp_doc *doc)
{
    if (doc->html) {
        wp_html_contents(doc->html);
        return;
    }
    if (doc->err)
        return;
    wp_doc_page_break(doc);
    doc->contents_page = doc->page;
    block(doc, "Contents", 16, true, 0, 12);
    double w = wp_doc_text_width(doc);
    /* cairo 1.16 writes the structure tree only when a structure tag other than a link is
     * used: with links alone it still numbers a struct element per link and points the
     * annotations and the page at them, and never writes them (qpdf --check: damaged
     * file).  A TOC of TOCI items holding the links makes that tree, complete. */
    if (doc->drawing)
        cairo_tag_begin(doc->cr, "TOC", "");
    for (size_t i = 0; i < doc->n_heads; i++) {
        const struct heading *h = &doc->heads[i];
        char num[32], markup[1200];
        if (h->level == 1)
            snprintf(num, sizeof num, "%d", h->number[0]);
        else
            snprintf(num, sizeof num, "%d.%d", h->number[0], h->number[1]);
        char *t = wp_doc_escape(h->text);
        snprintf(markup, sizeof markup, "%s%s  %s", h->level == 1 ? "<b>" : "    ", num, t);
        if (h->level == 1)
            strncat(markup, "</b>", sizeof markup - strlen(markup) - 1);
        g_free(t);
        PangoLayout *l = layout(doc, markup, 10, false, w - 40);
        char page[16];
        snprintf(page, sizeof page, "%d", h->page);
        PangoLayout *p = layout(doc, page, 10, false, 40);
        pango_layout_set_alignment(p, PANGO_ALIGN_RIGHT);
        double lh = layout_height(l);
        room(doc, lh + 4);
        if (doc->drawing) {
            char attr[64], name[32];
            dest_name(name, sizeof name, i);
            snprintf(attr, sizeof attr, "dest='%s'", name);
            cairo_tag_begin(doc->cr, "TOCI", "");
            cairo_tag_begin(doc->cr, CAIRO_TAG_LINK, attr);
            show(doc, l, doc->margin_l, doc->y);
            show(doc, p, doc->margin_l + w - 40, doc->y);
            cairo_tag_end(doc->cr, CAIRO_TAG_LINK);
            cairo_tag_end(doc->cr, "TOCI");
        }
        doc->y += lh + (h->level == 1 ? 5 : 2);
        g_object_unref(l);
        g_object_unref(p);
    }
    if (doc->drawing)
        cairo_tag_end(doc->cr, "TOC");
}

#define CELL_MAX_LINES 8

/* Lays out one table row into ls[0..n), each cell in its column; returns the row's height.
 * The caller frees the layouts (row_free). */
static double row_layout(struct wp_doc *doc, const struct wp_doc_col *cols, size_t n,
                         const char *const *cells, bool bold, PangoLayout **ls)
{
    double w = wp_doc_text_width(doc), hmax = 0;
    for (size_t c = 0; c < n; c++) {
        ls[c] = layout(doc, cells[c] ? cells[c] : "", 8, bold, cols[c].width * w - 6);
        /* at most CELL_MAX_LINES lines, the last one ellipsized: a 100 KB label wrapped
         * character by character took pango time quadratic in its length (42 s) */
        pango_layout_set_height(ls[c], -CELL_MAX_LINES);
        pango_layout_set_ellipsize(ls[c], PANGO_ELLIPSIZE_END);
        if (cols[c].align == WP_RIGHT)
            pango_layout_set_alignment(ls[c], PANGO_ALIGN_RIGHT);
        double h = layout_height(ls[c]);
        hmax = h > hmax ? h : hmax;
    }
    return hmax + 4;
}

static void row_free(PangoLayout **ls, size_t n)
{
    for (size_t c = 0; c < n; c++)
        g_object_unref(ls[c]);
}

/* Draws a row at y (drawing pass) and frees its layouts. */
static void row_show(struct wp_doc *doc, const struct wp_doc_col *cols, size_t n,
                     PangoLayout **ls, double y)
{
    double w = wp_doc_text_width(doc), x = doc->margin_l;
    for (size_t c = 0; c < n; c++) {
        show(doc, ls[c], x + 3, y + 2);
        x += cols[c].width * w;
    }
    row_free(ls, n);
}

/* FNV-1a over what a row's height depends on. */
static uint64_t row_key(const struct wp_doc_col *cols, size_t n, const char *const *cells,
                        bool bold)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t c = 0; c < n; c++) {
        for (const char *p = cells[c] ? cells[c] : ""; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        uint64_t wbits;
        memcpy(&wbits, &cols[c].width, sizeof wbits);
        h = (h ^ wbits ^ (uint64_t)cols[c].align << 1 ^ 0x1f) * 1099511628211ULL;
    }
    return (h ^ (uint64_t)bold) * 1099511628211ULL;
}

/* A row's height, for measuring: laid out once in the first pass and remembered, since
 * the rows of the second are the same (a row whose key differs is laid out again). */
static double row_height(struct wp_doc *doc, const struct wp_doc_col *cols, size_t n,
                         const char *const *cells, bool bold)
{
    uint64_t key = row_key(cols, n, cells, bold);
    size_t i = doc->next_height++;
    if (i < doc->n_heights && doc->heights[i].key == key)
        return doc->heights[i].h;
    PangoLayout *ls[32];
    double h = row_layout(doc, cols, n, cells, bold, ls);
    row_free(ls, n);
    if (WP_ARRAY_GROW(doc->heights, i + 1, doc->cap_heights)) {
        fail(doc, WP_ERR_NOMEM, "out of memory");
        return h;
    }
    doc->heights[i] = (struct row_height){key, h};
    if (i >= doc->n_heights)
        doc->n_heights = i + 1;
    return h;
}

static void rule(struct wp_doc *doc, double y, double lw)
{
    if (!doc->drawing)
        return;
    cairo_set_line_width(doc->cr, lw);
    cairo_move_to(doc->cr, doc->margin_l, y);
    cairo_line_to(doc->cr, doc->page_w - doc->margin_r, y);
    cairo_stroke(doc->cr);
}

static void table(struct wp_doc *doc, const struct wp_doc_col *cols, size_t n_cols,
                  const char *const *cells, size_t n_rows, const char *caption);

void wp_doc_table(struct wp_doc *doc, const struct wp_doc_col *cols, size_t n_cols,
                  const char *const *cells, size_t n_rows, const char *caption_in)
{
    char *caption = caption_in ? numbered_caption(doc, caption_in) : NULL;
    if (caption_in && !caption)
        fail(doc, WP_ERR_NOMEM, "out of memory");
    table(doc, cols, n_cols, cells, n_rows, caption);
    free(caption);
}

static void table(struct wp_doc *doc, const struct wp_doc_col *cols, size_t n_cols,
                  const char *const *cells, size_t n_rows, const char *caption)
{
    if (doc->html) {
        wp_html_table(doc->html, cols, n_cols, cells, n_rows, caption);
        return;
    }
    if (doc->err || n_cols == 0 || n_cols > 32)
        return;
    const char *head[32];
    for (size_t c = 0; c < n_cols; c++)
        head[c] = cols[c].header;
    double hh = row_height(doc, cols, n_cols, head, true);
    bool need_head = true;
    PangoLayout *ls[32];
    for (size_t r = 0; r < n_rows; r++) {
        const char *const *cells_r = cells + r * n_cols;
        /* measuring passes need the height only; the drawing pass draws what it measured */
        double rh = doc->drawing ? row_layout(doc, cols, n_cols, cells_r, false, ls)
                                 : row_height(doc, cols, n_cols, cells_r, false);
        double bottom = doc->page_h - doc->margin_b;
        if (!need_head && doc->y + rh > bottom) {
            rule(doc, doc->y, 0.8);
            new_page(doc);
            need_head = true;
        }
        if (need_head) {
            room(doc, hh + rh + 2);
            rule(doc, doc->y, 0.8);
            if (doc->drawing) {
                PangoLayout *hs[32];
                row_layout(doc, cols, n_cols, head, true, hs);
                row_show(doc, cols, n_cols, hs, doc->y);
            }
            doc->y += hh;
            rule(doc, doc->y, 0.4);
            need_head = false;
        }
        if (doc->drawing)
            row_show(doc, cols, n_cols, ls, doc->y);
        doc->y += rh;
    }
    rule(doc, doc->y, 0.8);
    doc->y += 4;
    if (caption)
        wp_doc_note(doc, caption);
    doc->y += 4;
}

/* ---- preformatted lines ------------------------------------------------------------- */

#define MONO "DejaVu Sans Mono"
#define LINES_INDENT 4 /* a line too long for the column continues indented */

/* UTF-8 code points in s[0..n) (continuation bytes not counted). */
static size_t code_points(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xc0) != 0x80;
    return k;
}

/* Bytes of the first `cps` code points of s (at most n). */
static size_t cp_bytes(const char *s, size_t n, size_t cps)
{
    size_t i = 0;
    while (i < n && cps) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
            i++;
        cps--;
    }
    return i;
}

/* The visual lines one input line takes at `width` characters a line. */
static size_t line_rows(const char *line, size_t width)
{
    size_t cps = code_points(line, strlen(line));
    if (cps <= width || width <= LINES_INDENT)
        return 1;
    return 1 + (cps - width + (width - LINES_INDENT) - 1) / (width - LINES_INDENT);
}

/* Appends the visual lines of `line` to buf (g_string): breaks at the column width. */
static void line_append(GString *buf, const char *line, size_t width)
{
    size_t n = strlen(line), first = cp_bytes(line, n, width);
    g_string_append_len(buf, line, (gssize)first);
    for (size_t at = first; at < n && width > LINES_INDENT;) {
        size_t k = cp_bytes(line + at, n - at, width - LINES_INDENT);
        g_string_append_printf(buf, "\n%*s", LINES_INDENT, "");
        g_string_append_len(buf, line + at, (gssize)k);
        at += k;
    }
    g_string_append_c(buf, '\n');
}

/* A layout of plain text in the monospaced font, unwrapped. */
static PangoLayout *mono_layout(struct wp_doc *doc, const char *text, size_t len,
                                double size_pt)
{
    PangoLayout *t = pango_cairo_create_layout(doc->cr);
    pango_cairo_context_set_resolution(pango_layout_get_context(t), 72.0);
    pango_layout_context_changed(t);
    PangoFontDescription *fd = pango_font_description_from_string(MONO);
    pango_font_description_set_absolute_size(fd, size_pt * PANGO_SCALE);
    pango_layout_set_font_description(t, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(t, text, (int)len); /* text, not markup */
    return t;
}

static void lines_pdf(struct wp_doc *doc, const char *const *lines, size_t n, double size_pt);

void wp_doc_lines(struct wp_doc *doc, const char *const *lines, size_t n, double size_pt)
{
    if (doc->html) {
        (void)size_pt;
        wp_html_lines(doc->html, lines, n);
        return;
    }
    if (doc->err || n == 0)
        return;
    /* controls and bidirectional controls as escapes (render/text.c's rule), before the
     * lines are measured and broken */
    char **shown = calloc(n, sizeof *shown);
    for (size_t k = 0; shown && k < n; k++)
        if (!(shown[k] = wp_text_escape_display(lines[k]))) {
            for (size_t j = 0; j < k; j++)
                free(shown[j]);
            free(shown);
            shown = NULL;
        }
    if (!shown) {
        fail(doc, WP_ERR_NOMEM, "out of memory");
        return;
    }
    lines_pdf(doc, (const char *const *)shown, n, size_pt);
    for (size_t k = 0; k < n; k++)
        free(shown[k]);
    free(shown);
}

static void lines_pdf(struct wp_doc *doc, const char *const *lines, size_t n, double size_pt)
{
    if (doc->err || n == 0)
        return;
    /* one measured line gives the height and the advance of every line: the font is
     * monospaced, so measuring passes lay nothing else out */
    PangoLayout *l = mono_layout(doc, "0000000000", 10, size_pt);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    g_object_unref(l);
    double line_h = (double)ph / PANGO_SCALE, advance = (double)pw / PANGO_SCALE / 10;
    if (!(advance > 0) || !(line_h > 0)) { /* no font at all: DejaVu Sans Mono's metrics */
        advance = 0.602 * size_pt;
        line_h = 1.17 * size_pt;
    }
    size_t width = (size_t)(wp_doc_text_width(doc) / advance), longest = 0;
    for (size_t k = 0; k < n; k++) {
        size_t cps = code_points(lines[k], strlen(lines[k]));
        longest = cps > longest ? cps : longest;
    }
    /* a little smaller rather than broken: down to 85% of the size to fit the longest */
    if (longest > width && (double)width / (double)longest >= 0.85) {
        size_pt *= (double)width / (double)longest;
        l = mono_layout(doc, "0000000000", 10, size_pt);
        pango_layout_get_size(l, &pw, &ph);
        g_object_unref(l);
        if (pw > 0 && ph > 0) {
            line_h = (double)ph / PANGO_SCALE;
            width = (size_t)(wp_doc_text_width(doc) / ((double)pw / PANGO_SCALE / 10));
        }
    }
    size_t i = 0;
    while (i < n && !doc->err) {
        room(doc, line_h);
        double bottom = doc->page_h - doc->margin_b;
        size_t first = i, rows = 0;
        /* as many whole lines as fit on this page (at least one) */
        while (i < n) {
            size_t r = line_rows(lines[i], width);
            if (i > first && doc->y + (double)(rows + r) * line_h > bottom)
                break;
            rows += r;
            i++;
        }
        if (doc->drawing) {
            GString *buf = g_string_new(NULL);
            for (size_t k = first; k < i; k++)
                line_append(buf, lines[k], width);
            if (buf->len)
                g_string_truncate(buf, buf->len - 1);
            PangoLayout *t = mono_layout(doc, buf->str, buf->len, size_pt);
            show(doc, t, doc->margin_l, doc->y);
            g_object_unref(t);
            g_string_free(buf, TRUE);
        }
        doc->y += (double)rows * line_h;
        if (i < n)
            new_page(doc);
    }
    doc->y += 4;
}

static void figure(struct wp_doc *doc, double w, double h, wp_doc_draw_fn fn, void *ctx,
                   const char *caption);

void wp_doc_figure(struct wp_doc *doc, double w, double h, wp_doc_draw_fn fn, void *ctx,
                   const char *caption_in)
{
    char *caption = caption_in ? numbered_caption(doc, caption_in) : NULL;
    if (caption_in && !caption)
        fail(doc, WP_ERR_NOMEM, "out of memory");
    figure(doc, w, h, fn, ctx, caption);
    free(caption);
}

static void figure(struct wp_doc *doc, double w, double h, wp_doc_draw_fn fn, void *ctx,
                   const char *caption)
{
    if (doc->html) {
        wp_html_figure(doc->html, w, h, fn, ctx, caption, doc->d);
        return;
    }
    if (doc->err)
        return;
    double cap_h = 0;
    if (caption) {
        PangoLayout *l = layout(doc, caption, 7.5, false, wp_doc_text_width(doc));
        cap_h = layout_height(l) + 6;
        g_object_unref(l);
    }
    room(doc, h + cap_h + 6);
    double x = doc->margin_l + (wp_doc_text_width(doc) - w) / 2;
    if (doc->drawing) {
        cairo_save(doc->cr);
        cairo_translate(doc->cr, x, doc->y);
        cairo_rectangle(doc->cr, 0, 0, w, h);
        cairo_clip(doc->cr);
        enum wp_err e = fn(doc->cr, w, h, ctx, doc->d);
        cairo_restore(doc->cr);
        if (e && !doc->err)
            doc->err = e;
    }
    doc->y += h + 6;
    if (caption)
        wp_doc_note(doc, caption);
    doc->y += 4;
}

/* ---- the two passes ------------------------------------------------------------------ */

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
    (void)closure;
    (void)data;
    (void)len;
    return CAIRO_STATUS_SUCCESS;
}

static void set_metadata(cairo_surface_t *s, const struct wp_doc_opts *o)
{
    /* cairo wants "YYYY-MM-DDThh:mm:ss" with an optional zone: the instant the timestamp
     * parser reads (a text it cannot read is no date: the PDF then has none) */
    char date[WP_TIME_ISO_S_SIZE];
    wp_time_iso_s(o->date, date);
    const struct {
        cairo_pdf_metadata_t key;
        const char *value;
    } meta[] = {
        {CAIRO_PDF_METADATA_TITLE, o->title},       {CAIRO_PDF_METADATA_AUTHOR, o->author},
        {CAIRO_PDF_METADATA_SUBJECT, o->subject},   {CAIRO_PDF_METADATA_KEYWORDS, o->keywords},
        {CAIRO_PDF_METADATA_CREATOR, o->creator},   {CAIRO_PDF_METADATA_CREATE_DATE, date},
        {CAIRO_PDF_METADATA_MOD_DATE, date},
    };
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++)
        if (meta[i].value && *meta[i].value) {
            /* cairo refuses U+FFFE (--title): the whole PDF then failed to draw */
            char *shown = wp_text_escape_display(meta[i].value);
            cairo_pdf_surface_set_metadata(s, meta[i].key, shown ? shown : "");
            free(shown);
        }
    if (!*date) { /* cairo would write the clock's date: an empty one (which it does not
                     read as a date) leaves the PDF without one, the same bytes each time */
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "");
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, "");
    }
}

static void add_outline(struct wp_doc *doc)
{
    int parent = CAIRO_PDF_OUTLINE_ROOT;
    for (size_t i = 0; i < doc->n_heads; i++) {
        const struct heading *h = &doc->heads[i];
        char attr[64], name[32], label[600], num[32];
        dest_name(name, sizeof name, i);
        snprintf(attr, sizeof attr, "dest='%s'", name);
        if (h->level == 1)
            snprintf(num, sizeof num, "%d ", h->number[0]);
        else
            snprintf(num, sizeof num, "%d.%d ", h->number[0], h->number[1]);
        /* escaped as the page shows it, and cut between characters: cairo refuses a label
         * that is not UTF-8 (a long task name cut inside a character failed the PDF) */
        char *shown = wp_text_escape_display(h->text);
        size_t k = strlen(num);
        memcpy(label, num, k + 1);
        wp_strlcpy_utf8(label + k, shown ? shown : "", sizeof label - k);
        free(shown);
        int id = cairo_pdf_surface_add_outline(doc->surface,
                                               h->level == 1 ? CAIRO_PDF_OUTLINE_ROOT : parent,
                                               label, attr, 0);
        if (h->level == 1)
            parent = id;
    }
}

static enum wp_err pass(struct wp_doc *doc, wp_doc_build_fn build, void *ctx, FILE *out)
{
    doc->surface = out ? cairo_pdf_surface_create_for_stream(wp_cairo_write_file, out, doc->page_w,
                                                             doc->page_h)
                       : cairo_pdf_surface_create_for_stream(discard, NULL, doc->page_w,
                                                             doc->page_h);
    set_metadata(doc->surface, doc->o);
    doc->cr = cairo_create(doc->surface);
    doc->page = 0;
    doc->next_head = 0;
    doc->next_height = 0;
    doc->num[0] = doc->num[1] = 0;
    doc->n_figures = doc->n_tables = 0;
    doc->page_has_content = false;
    enum wp_err e = build(doc, ctx, doc->d);
    if (!e)
        e = doc->err;
    if (!e && doc->page > 0)
        cairo_show_page(doc->cr);
    if (!e && doc->drawing)
        add_outline(doc);
    cairo_status_t st = cairo_status(doc->cr);
    cairo_destroy(doc->cr);
    cairo_surface_finish(doc->surface);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(doc->surface);
    cairo_surface_destroy(doc->surface);
    doc->cr = NULL;
    doc->surface = NULL;
    if (!e && st != CAIRO_STATUS_SUCCESS)
        e = wp_diag_set(doc->d, WP_ERR_IO, doc->o->path, 0, 0, "cannot draw the PDF: %s",
                        cairo_status_to_string(st));
    return e;
}

enum wp_err wp_doc_render(const struct wp_doc_opts *o, wp_doc_build_fn build, void *ctx,
                          struct wp_diag *d)
{
    struct wp_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return wp_diag_set(d, WP_ERR_NOMEM, o->path, 0, 0, "out of memory");
    doc->o = o;
    doc->d = d;
    doc->page_w = o->paper == WP_PAPER_LETTER ? 612 : 210 * MM;
    doc->page_h = o->paper == WP_PAPER_LETTER ? 792 : 297 * MM;
    doc->margin_l = doc->margin_r = 22 * MM;
    doc->margin_t = 25 * MM;
    doc->margin_b = 22 * MM;
    enum wp_err e = WP_OK;
    if (o->format == WP_DOC_HTML) { /* one pass: the browser lays out */
        if (!(doc->html = wp_html_new(o)))
            e = wp_diag_set(d, WP_ERR_NOMEM, o->path, 0, 0, "out of memory");
        if (!e)
            e = build(doc, ctx, d);
        if (!e)
            e = wp_html_write(doc->html, o->path, d);
        wp_html_free(doc->html);
        free(doc);
        return e;
    }
    /* measure twice: the first pass learns the headings, the second places them with the
     * contents at its final length; then draw */
    if (!e)
        e = pass(doc, build, ctx, NULL);
    if (!e)
        e = pass(doc, build, ctx, NULL);
    struct wp_atomic out = {0};
    if (!e)
        e = wp_atomic_begin(&out, o->path, d);
    if (!e) {
        doc->drawing = true;
        doc->err = WP_OK;
        e = pass(doc, build, ctx, out.f);
    }
    if (!e)
        e = wp_atomic_commit(&out, d);
    else
        wp_atomic_abort(&out);
    for (size_t i = 0; i < doc->n_heads; i++)
        free(doc->heads[i].text);
    free(doc->heights);
    free(doc);
    return e;
}
