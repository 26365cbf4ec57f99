/* The HTML backend of the document engine (see html.h): one pass over the build calls into
 * a string, the table of contents spliced in where it was asked for once every heading is
 * known, then one atomic write. Formatting only: the numbers and the prose are the
 * report's, the figures are drawn by the same callbacks as the PDF's. Errors are sticky. */
#include "report/html.h"

#include <cairo-svg.h>
#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "util/atomic.h"
#include "util/sha256.h"
#include "util/text.h"
#include "util/array.h"

#define MAX_DEPTH 64 /* markup nesting kept track of; deeper tags are dropped */

struct head {
    int level;
    char number[16];
    char *text; /* plain, as given */
};

struct wp_html {
    const struct wp_doc_opts *o;
    GString *body;
    size_t contents_at; /* where the contents go in body; SIZE_MAX when not asked for */
    struct head *heads;
    size_t n_heads, cap_heads;
    int num[2];
    int n_figures, n_tables;
    enum wp_err err;
    char msg[256];
};

static const char style[] =
    ":root{color-scheme:light;--fg:#1a1a1a;--muted:#555;--rule:#c8c8c8;--band:#f4f6f8}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:16px/1.5 'DejaVu Sans',system-ui,sans-serif;color:var(--fg);"
    "background:#fff}"
    "main{max-width:52rem;margin:0 auto;padding:1.5rem 1rem 4rem}"
    "header.title{border-bottom:2px solid var(--fg);margin-bottom:1.5rem;padding-bottom:1rem}"
    "h1{font-size:2rem;line-height:1.2;margin:0 0 .5rem}"
    "h2{font-size:1.45rem;margin:2.2rem 0 .6rem;border-bottom:1px solid var(--rule)}"
    "h3{font-size:1.15rem;margin:1.6rem 0 .4rem}"
    ".subtitle{font-size:1.15rem;color:var(--muted);margin:0 0 .8rem}"
    ".note{font-size:.85rem;color:var(--muted)}"
    "nav ol{list-style:none;padding-left:0}nav ol ol{padding-left:1.5rem}"
    "nav a{text-decoration:none}nav a:hover,nav a:focus{text-decoration:underline}"
    ".table-wrap{overflow-x:auto;margin:1rem 0 1.5rem}"
    "table{border-collapse:collapse;font-size:.85rem;min-width:100%}"
    "caption{caption-side:top;text-align:left;font-size:.85rem;color:var(--muted);"
    "padding-bottom:.4rem}"
    "th,td{padding:.25rem .5rem;vertical-align:top;text-align:left}"
    "thead th{border-top:2px solid var(--fg);border-bottom:1px solid var(--fg)}"
    "tbody tr:last-child>*{border-bottom:2px solid var(--fg)}"
    "tbody tr:nth-child(even){background:var(--band)}"
    ".num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}"
    "figure{margin:1.5rem 0}figure img{display:block;max-width:100%;height:auto;margin:0 auto}"
    "figcaption{font-size:.85rem;color:var(--muted);margin-top:.4rem}"
    "pre{font-size:.75rem;overflow-x:auto;background:var(--band);padding:.5rem}"
    "code{font-family:'DejaVu Sans Mono',monospace;font-size:.9em}"
    "th button{font:inherit;font-weight:bold;color:inherit;background:none;border:0;padding:0;"
    "text-align:inherit;cursor:pointer}"
    "th[aria-sort=ascending] button::after{content:' \\2191'}"
    "th[aria-sort=descending] button::after{content:' \\2193'}"
    "thead th{vertical-align:bottom}"
    "@media print{main{max-width:none;padding:0}h2{break-before:page}"
    "nav+h2,header+h2{break-before:auto}.table-wrap{overflow:visible}"
    "figure,tr{break-inside:avoid}a{color:inherit;text-decoration:none}}";

/* Sortable tables, as progressive enhancement: each column header becomes a button that
 * sorts the rows (numbers as numbers); with scripts off the page is the same but for that.
 * The Content-Security-Policy allows this script alone, by its SHA-256. */
static const char script[] =
    "document.querySelectorAll('table').forEach(function(t){"
    "var h=t.tHead,b=t.tBodies[0];if(!h||!b)return;"
    "Array.prototype.forEach.call(h.rows[0].cells,function(th,i){"
    "var u=document.createElement('button');u.type='button';"
    "while(th.firstChild)u.appendChild(th.firstChild);th.appendChild(u);"
    "th.setAttribute('aria-sort','none');"
    "u.addEventListener('click',function(){"
    "var up=th.getAttribute('aria-sort')!=='ascending';"
    "Array.prototype.forEach.call(h.rows[0].cells,function(c){c.setAttribute('aria-sort','none');});"
    "th.setAttribute('aria-sort',up?'ascending':'descending');"
    "var n=function(s){return parseFloat(s.replace(/,/g,'').replace(/\u2212/g,'-'));};"
    "Array.prototype.slice.call(b.rows).sort(function(x,y){"
    "var p=x.cells[i].textContent,q=y.cells[i].textContent,a=n(p),c=n(q);"
    "var r=(!isNaN(a)&&!isNaN(c))?a-c:p.localeCompare(q);return up?r:-r;})"
    ".forEach(function(r){b.appendChild(r);});});});});";

static void fail(struct wp_html *h, enum wp_err e, const char *msg)
{
    if (!h->err) {
        h->err = e;
        snprintf(h->msg, sizeof h->msg, "%s", msg);
    }
}

void wp_html_escape(void *out_, const char *s_)
{
    GString *out = out_;
    /* a control character as \xHH, a bidirectional control as \uXXXX (render/text.c's rule):
     * a U+202E in a model's name reversed the page's title and heading after it */
    char *shown = wp_text_escape_display(s_ ? s_ : "");
    const char *s = shown ? shown : "";
    for (; *s; s++) {
        switch (*s) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        default: g_string_append_c(out, *s);
        }
    }
    free(shown);
}

/* The length of an entity at s ("&amp;", "&#38;", "&#x26;"), 0 when s starts none. */
static size_t entity_len(const char *s)
{
    size_t i = 1;
    if (s[i] == '#') {
        i++;
        bool hex = s[i] == 'x' || s[i] == 'X';
        i += hex;
        size_t start = i;
        while (hex ? g_ascii_isxdigit(s[i]) : g_ascii_isdigit(s[i]))
            i++;
        if (i == start || i - start > 8)
            return 0;
    } else {
        size_t start = i;
        while (g_ascii_isalpha(s[i]))
            i++;
        if (i == start || i - start > 8)
            return 0;
    }
    return s[i] == ';' ? i + 1 : 0;
}

static const struct {
    const char *pango, *open, *close;
} tag_map[] = {
    {"b", "<b>", "</b>"},         {"i", "<i>", "</i>"},
    {"tt", "<code>", "</code>"},  {"sub", "<sub>", "</sub>"},
    {"sup", "<sup>", "</sup>"},   {"small", "<small>", "</small>"},
    {"u", "<u>", "</u>"},         {"s", "<s>", "</s>"},
    {"big", "", ""},              {"span", "<span>", "</span>"},
};

/* The HTML for an opening pango tag "<name attrs>" (text between the brackets). */
static size_t map_tag(const char *tag, size_t len, const char **open, const char **close)
{
    size_t n = 0;
    while (n < len && !g_ascii_isspace(tag[n]) && tag[n] != '/')
        n++;
    for (size_t k = 0; k < sizeof tag_map / sizeof tag_map[0]; k++) {
        if (strlen(tag_map[k].pango) != n || memcmp(tag, tag_map[k].pango, n) != 0)
            continue;
        *open = tag_map[k].open;
        *close = tag_map[k].close;
        /* a monospaced span is code; other span attributes (sizes, colours) are the PDF's */
        if (k == sizeof tag_map / sizeof tag_map[0] - 1 && g_strstr_len(tag, (gssize)len, "Mono")) {
            *open = "<code>";
            *close = "</code>";
        }
        return k;
    }
    *open = *close = ""; /* unknown: dropped, its text kept */
    return SIZE_MAX;
}

void wp_html_from_markup(void *out_, const char *m)
{
    GString *out = out_;
    const char *stack[MAX_DEPTH];
    size_t depth = 0;
    for (const char *p = m ? m : ""; *p;) {
        if (*p == '<') {
            const char *end = strchr(p, '>');
            if (!end) {
                g_string_append(out, "&lt;");
                p++;
                continue;
            }
            const char *tag = p + 1;
            size_t len = (size_t)(end - tag);
            if (len && tag[0] == '/') {
                if (depth)
                    g_string_append(out, stack[--depth]);
            } else if (len) {
                const char *open, *close;
                map_tag(tag, len, &open, &close);
                if (depth < MAX_DEPTH) {
                    g_string_append(out, open);
                    stack[depth++] = close;
                }
            }
            p = end + 1;
        } else if (*p == '&') {
            size_t n = entity_len(p);
            if (n) {
                g_string_append_len(out, p, (gssize)n);
                p += n;
            } else {
                g_string_append(out, "&amp;");
                p++;
            }
        } else {
            const char *q = p;
            while (*q && *q != '<' && *q != '&')
                q++;
            char *chunk = g_strndup(p, (gsize)(q - p));
            wp_html_escape(out, chunk);
            g_free(chunk);
            p = q;
        }
    }
    while (depth)
        g_string_append(out, stack[--depth]);
}

/* Markup as plain text for an attribute (alt): tags dropped, entities kept, quotes escaped. */
static void plain_from_markup(GString *out, const char *m)
{
    GString *html = g_string_new(NULL);
    wp_html_from_markup(html, m);
    for (const char *p = html->str; *p; p++) {
        if (*p == '<') {
            while (*p && *p != '>')
                p++;
            if (!*p)
                break;
        } else {
            g_string_append_c(out, *p);
        }
    }
    g_string_free(html, TRUE);
}

struct wp_html *wp_html_new(const struct wp_doc_opts *o)
{
    struct wp_html *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->o = o;
    h->body = g_string_sized_new(1 << 16);
    h->contents_at = SIZE_MAX;
    return h;
}

void wp_html_free(struct wp_html *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n_heads; i++)
        free(h->heads[i].text);
    free(h->heads);
    g_string_free(h->body, TRUE);
    free(h);
}

void wp_html_title_page(struct wp_html *h, const char *title, const char *subtitle,
                        const char *const *lines, size_t n_lines)
{
    g_string_append(h->body, "<header class=\"title\">\n<h1>");
    wp_html_escape(h->body, title);
    g_string_append(h->body, "</h1>\n");
    if (subtitle && *subtitle) {
        g_string_append(h->body, "<p class=\"subtitle\">");
        wp_html_escape(h->body, subtitle);
        g_string_append(h->body, "</p>\n");
    }
    for (size_t i = 0; i < n_lines; i++) {
        g_string_append(h->body, "<p>");
        wp_html_from_markup(h->body, lines[i]);
        g_string_append(h->body, "</p>\n");
    }
    g_string_append(h->body, "</header>\n");
}

void wp_html_contents(struct wp_html *h)
{
    h->contents_at = h->body->len;
}

void wp_html_heading(struct wp_html *h, int level, const char *text)
{
    if (h->err)
        return;
    if (level < 1 || level > 2) {
        fail(h, WP_ERR_USAGE, "a bad heading level");
        return;
    }
    if (WP_ARRAY_GROW(h->heads, h->n_heads + 1, h->cap_heads)) {
        fail(h, WP_ERR_NOMEM, "out of memory");
        return;
    }
    struct head *hd = &h->heads[h->n_heads];
    if (level == 1) {
        h->num[0]++;
        h->num[1] = 0;
        snprintf(hd->number, sizeof hd->number, "%d", h->num[0]);
    } else {
        h->num[1]++;
        snprintf(hd->number, sizeof hd->number, "%d.%d", h->num[0], h->num[1]);
    }
    hd->level = level;
    if (!(hd->text = strdup(text ? text : ""))) {
        fail(h, WP_ERR_NOMEM, "out of memory");
        return;
    }
    /* the PDF's "1" is this page's h2: the report's title is its one h1 */
    g_string_append_printf(h->body, "<h%d id=\"sec%zu\">%s ", level + 1, h->n_heads, hd->number);
    wp_html_escape(h->body, text);
    g_string_append_printf(h->body, "</h%d>\n", level + 1);
    h->n_heads++;
}

void wp_html_para(struct wp_html *h, const char *markup, const char *cls)
{
    if (cls)
        g_string_append_printf(h->body, "<p class=\"%s\">", cls);
    else
        g_string_append(h->body, "<p>");
    wp_html_from_markup(h->body, markup);
    g_string_append(h->body, "</p>\n");
}

void wp_html_table(struct wp_html *h, const struct wp_doc_col *cols, size_t n_cols,
                   const char *const *cells, size_t n_rows, const char *caption)
{
    if (h->err || !n_cols)
        return;
    h->n_tables++;
    g_string_append(h->body, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\"");
    if (caption) {
        g_string_append(h->body, " aria-label=\"");
        plain_from_markup(h->body, caption);
        g_string_append(h->body, "\"");
    }
    g_string_append(h->body, ">\n<table>\n");
    if (caption) {
        g_string_append(h->body, "<caption>");
        wp_html_from_markup(h->body, caption);
        g_string_append(h->body, "</caption>\n");
    }
    g_string_append(h->body, "<thead><tr>");
    for (size_t c = 0; c < n_cols; c++) {
        g_string_append_printf(h->body, "<th scope=\"col\"%s>",
                               cols[c].align == WP_RIGHT ? " class=\"num\"" : "");
        wp_html_from_markup(h->body, cols[c].header);
        g_string_append(h->body, "</th>");
    }
    g_string_append(h->body, "</tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < n_rows; r++) {
        g_string_append(h->body, "<tr>");
        for (size_t c = 0; c < n_cols; c++) {
            const char *cell = cells[r * n_cols + c];
            /* the first column names the row */
            const char *tag = c == 0 ? "th scope=\"row\"" : "td";
            g_string_append_printf(h->body, "<%s%s>", tag,
                                   cols[c].align == WP_RIGHT ? " class=\"num\"" : "");
            wp_html_from_markup(h->body, cell);
            g_string_append(h->body, c == 0 ? "</th>" : "</td>");
        }
        g_string_append(h->body, "</tr>\n");
    }
    g_string_append(h->body, "</tbody>\n</table>\n</div>\n");
}

void wp_html_lines(struct wp_html *h, const char *const *lines, size_t n)
{
    g_string_append(h->body, "<pre>");
    for (size_t i = 0; i < n; i++) {
        wp_html_escape(h->body, lines[i]);
        g_string_append_c(h->body, '\n');
    }
    g_string_append(h->body, "</pre>\n");
}

static cairo_status_t to_gstring(void *closure, const unsigned char *data, unsigned int len)
{
    g_string_append_len(closure, (const char *)data, (gssize)len);
    return CAIRO_STATUS_SUCCESS;
}

/* Draws fn into an SVG document of w x h points with its group names renumbered. */
static enum wp_err draw_svg(double w, double h, wp_doc_draw_fn fn, void *ctx, char **svg,
                            size_t *len, struct wp_diag *d)
{
    GString *raw = g_string_new(NULL);
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_gstring, raw, w, h);
    cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT);
    cairo_t *cr = cairo_create(s);
    enum wp_err e = fn(cr, w, h, ctx, d);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (!e && st != CAIRO_STATUS_SUCCESS)
        e = wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot draw a figure: %s",
                        cairo_status_to_string(st));
    *svg = NULL;
    *len = 0;
    FILE *m = e ? NULL : open_memstream(svg, len);
    if (!e && !m)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (m) {
        bool ok = wp_svg_renumber(raw->str, raw->len, m) && !ferror(m);
        ok = fclose(m) == 0 && ok;
        if (!ok)
            e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    g_string_free(raw, TRUE);
    return e;
}

void wp_html_figure(struct wp_html *h, double w, double h_pt, wp_doc_draw_fn fn, void *ctx,
                    const char *caption, struct wp_diag *d)
{
    if (h->err)
        return;
    char *svg;
    size_t len;
    enum wp_err e = draw_svg(w, h_pt, fn, ctx, &svg, &len, d);
    if (e) {
        free(svg);
        if (!h->err) {
            h->err = e;
            snprintf(h->msg, sizeof h->msg, "%s", d ? d->msg : "cannot draw a figure");
        }
        return;
    }
    h->n_figures++;
    gchar *b64 = g_base64_encode((const guchar *)svg, len);
    free(svg);
    /* an image, not inline SVG: the glyph and clip ids of one figure cannot collide with
     * another's, and the alternative text is the caption, which states the finding */
    g_string_append_printf(h->body, "<figure>\n<img width=\"%.0f\" height=\"%.0f\" alt=\"",
                           w * 96 / 72, h_pt * 96 / 72);
    if (caption)
        plain_from_markup(h->body, caption);
    g_string_append(h->body, "\" src=\"data:image/svg+xml;base64,");
    g_string_append(h->body, b64);
    g_string_append(h->body, "\">\n");
    g_free(b64);
    if (caption) {
        g_string_append(h->body, "<figcaption>");
        wp_html_from_markup(h->body, caption);
        g_string_append(h->body, "</figcaption>\n");
    }
    g_string_append(h->body, "</figure>\n");
}

static void contents(const struct wp_html *h, GString *out)
{
    g_string_append(out, "<nav aria-labelledby=\"contents\">\n<h2 id=\"contents\">Contents</h2>\n<ol>");
    bool open_sub = false; /* inside a level-2 list */
    for (size_t i = 0; i < h->n_heads; i++) {
        const struct head *hd = &h->heads[i];
        if (hd->level == 2) {
            g_string_append(out, open_sub ? "</li>" : "\n<ol>");
            open_sub = true;
        } else if (i) {
            g_string_append(out, open_sub ? "</li></ol></li>" : "</li>");
            open_sub = false;
        }
        g_string_append_printf(out, "\n<li><a href=\"#sec%zu\">%s ", i, hd->number);
        wp_html_escape(out, hd->text);
        g_string_append(out, "</a>");
    }
    if (open_sub)
        g_string_append(out, "</li></ol>");
    if (h->n_heads)
        g_string_append(out, "</li>");
    g_string_append(out, "\n</ol>\n</nav>\n");
}

enum wp_err wp_html_csp_hash(const char *text, size_t len, char *out, size_t size,
                             struct wp_diag *d)
{
    struct wp_sha256 *s = wp_sha256_new();
    char hex[65];
    if (!s || wp_sha256_update(s, text, len) || wp_sha256_hex(s, hex)) {
        wp_sha256_free(s);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    wp_sha256_free(s);
    guchar raw[32];
    for (int i = 0; i < 32; i++)
        raw[i] = (guchar)(g_ascii_xdigit_value(hex[2 * i]) << 4 |
                          g_ascii_xdigit_value(hex[2 * i + 1]));
    gchar *b64 = g_base64_encode(raw, sizeof raw);
    snprintf(out, size, "%s", b64);
    g_free(b64);
    return WP_OK;
}

enum wp_err wp_html_write(struct wp_html *h, const char *path, struct wp_diag *d)
{
    if (h->err)
        return wp_diag_set(d, h->err, path, 0, 0, "%s", h->msg);
    const struct wp_doc_opts *o = h->o;
    GString *page = g_string_sized_new(h->body->len + 8192);
    char hash[48];
    enum wp_err e = wp_html_csp_hash(script, sizeof script - 1, hash, sizeof hash, d);
    if (e) {
        g_string_free(page, TRUE);
        return e;
    }
    g_string_append(page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    /* nothing from anywhere: the images are data, the styles and the one script inline */
    g_string_append_printf(page, "<meta http-equiv=\"Content-Security-Policy\" content=\""
                                 "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                                 "script-src 'sha256-%s'\">\n<title>", hash);
    wp_html_escape(page, o->title);
    g_string_append(page, "</title>\n");
    static const struct {
        const char *name;
        size_t offset;
    } metas[] = {
        {"author", offsetof(struct wp_doc_opts, author)},
        {"description", offsetof(struct wp_doc_opts, subject)},
        {"keywords", offsetof(struct wp_doc_opts, keywords)},
        {"generator", offsetof(struct wp_doc_opts, creator)},
        {"dcterms.created", offsetof(struct wp_doc_opts, date)},
    };
    for (size_t i = 0; i < sizeof metas / sizeof metas[0]; i++) {
        const char *v = *(const char *const *)((const char *)o + metas[i].offset);
        if (!v || !*v)
            continue;
        g_string_append_printf(page, "<meta name=\"%s\" content=\"", metas[i].name);
        wp_html_escape(page, v);
        g_string_append(page, "\">\n");
    }
    g_string_append_printf(page, "<style>%s</style>\n</head>\n<body>\n<main>\n", style);
    size_t at = h->contents_at == SIZE_MAX ? h->body->len : h->contents_at;
    g_string_append_len(page, h->body->str, (gssize)at);
    if (h->contents_at != SIZE_MAX)
        contents(h, page);
    g_string_append_len(page, h->body->str + at, (gssize)(h->body->len - at));
    g_string_append_printf(page, "</main>\n<script>%s</script>\n</body>\n</html>\n", script);
    struct wp_atomic out;
    e = wp_atomic_begin(&out, path, d);
    if (!e) {
        fwrite(page->str, 1, page->len, out.f);
        e = wp_atomic_commit(&out, d);
    }
    g_string_free(page, TRUE);
    return e;
}
