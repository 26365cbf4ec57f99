/* The template engine (see template.h): a compiler from text to a flat list of nodes
 * (literal text, values, sections with the index of their end), a checker of names against
 * a vocabulary, value sets, and a renderer that escapes every value for where it lands. */
#include "report/template.h"

#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/text.h"
#include "util/array.h"

enum node_kind { N_TEXT, N_VAR, N_SECTION, N_INVERTED };

struct node {
    enum node_kind kind;
    const char *s;  /* literal text, or the name */
    size_t len;
    size_t end;     /* sections: index of the first node after the body */
    bool is_yaml;   /* inside the front matter */
    long line, col; /* of the tag, for messages */
};

struct wp_tpl {
    struct node *v;
    size_t n, cap;
    const char *file;
    char *text; /* a copy of the source; nodes point into it */
    bool is_markup; /* prose values escaped for pango markup, not Markdown (PDF reports) */
    size_t max_output; /* the budget of a render (WP_TPL_MAX_OUTPUT unless set) */
};

/* ---- compiling ------------------------------------------------------------------------- */

struct open_section {
    size_t node;                        /* index of its N_SECTION / N_INVERTED node */
    const struct wp_tpl_name *scope;    /* the names its body adds, NULL if none */
};

#define MAX_DEPTH 32

struct compiler {
    struct wp_tpl *t;
    const char *src;
    size_t len;
    size_t fm_lo, fm_hi;                /* front matter body, as source offsets */
    size_t at;                          /* offset `line`/`col` describe */
    long line, col;
    const struct wp_tpl_name *vocab;
    struct open_section open[MAX_DEPTH];
    size_t depth;
    struct wp_diag *d;
};

/* Line and column (1-based, in characters) of offset off; offsets only grow. */
static void locate(struct compiler *c, size_t off, long *line, long *col)
{
    for (; c->at < off && c->at < c->len; c->at++) {
        unsigned char ch = (unsigned char)c->src[c->at];
        if (ch == '\n') {
            c->line++;
            c->col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c->col++;
        }
    }
    *line = c->line;
    *col = c->col;
}

static enum wp_err fail_at(struct compiler *c, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum wp_err fail_at(struct compiler *c, size_t off, const char *fmt, ...)
{
    long line, col;
    locate(c, off, &line, &col);
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return wp_diag_set(c->d, WP_ERR_PARSE, c->t->file, line, col, "%s", msg);
}

/* At most 100 bytes of a name, for messages (names are ASCII: see name_char). */
#define NAME_ARG(len, s) (int)((len) < 100 ? (len) : 100), (s)

/* At most 100 bytes of s[0..len) (UTF-8, checked by check_utf8) for a message: never cut
 * inside a character, control characters (newlines too) shown as spaces. */
static void excerpt(const char *s, size_t len, char *buf, size_t size)
{
    size_t n = len < 100 ? len : 100;
    while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--; /* s[n] continues a character: stop before the character it belongs to */
    if (n >= size)
        n = size - 1;
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i];
    buf[n] = '\0';
}

static struct node *push(struct compiler *c, enum node_kind kind, size_t off, const char *s,
                         size_t len)
{
    struct wp_tpl *t = c->t;
    if (WP_ARRAY_GROW(t->v, t->n + 1, t->cap))
        return NULL;
    struct node *n = &t->v[t->n++];
    *n = (struct node){.kind = kind, .s = s, .len = len,
                       .is_yaml = off >= c->fm_lo && off < c->fm_hi};
    locate(c, off, &n->line, &n->col);
    return n;
}

static bool is_blank(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

static size_t line_end(const char *s, size_t len, size_t from)
{
    const char *nl = memchr(s + from, '\n', len - from);
    return nl ? (size_t)(nl - s) : len;
}

/* The "}}" that closes the tag opening at s[p] ("{{"), NULL if none.  A comment may hold
 * tags of its own (to document the syntax): its braces must balance.  Searched within the
 * text's length, never by strstr: a sanitizer's strstr measures the rest of the text at
 * every call, quadratic in a long line of tags (test_template took 90 s under ASan). */
static const char *tag_end(const char *s, size_t len, size_t p)
{
    if (s[p + 2] != '!')
        return memmem(s + p + 2, len - p - 2, "}}", 2);
    int depth = 1;
    for (const char *q = s + p + 2; *q; q++) {
        if (q[0] == '{' && q[1] == '{') {
            depth++;
            q++;
        } else if (q[0] == '}' && q[1] == '}') {
            if (--depth == 0)
                return q;
            q++;
        }
    }
    return NULL;
}

/* Finds the front matter: the first line that is not blank or a lone comment must be
 * "---"; the body runs to the next line that is "---". */
static void front_matter(struct compiler *c)
{
    const char *s = c->src;
    size_t pos = 0, len = c->len;
    c->fm_lo = c->fm_hi = 0;
    while (pos < len) {
        size_t eol = line_end(s, len, pos);
        size_t p = pos;
        while (p < eol && (s[p] == ' ' || s[p] == '\t'))
            p++;
        if (p + 3 <= len && memcmp(s + p, "{{!", 3) == 0) {
            const char *close = tag_end(s, len, p); /* the copy is NUL-terminated */
            if (!close)
                return;
            pos = line_end(s, len, (size_t)(close - s)) + 1;
            continue;
        }
        if (is_blank(s, pos, eol)) {
            pos = eol + 1;
            continue;
        }
        if (eol - pos < 3 || memcmp(s + pos, "---", 3) != 0 || !is_blank(s, pos + 3, eol))
            return;
        size_t body = eol + 1;
        for (size_t q = body; q < len; q = line_end(s, len, q) + 1) {
            size_t e = line_end(s, len, q);
            if (e - q >= 3 && memcmp(s + q, "---", 3) == 0 && is_blank(s, q + 3, e)) {
                c->fm_lo = body;
                c->fm_hi = q;
                return;
            }
        }
        return;
    }
}

static bool name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-' || ch == '.';
}

static bool is_implicit(const char *name, size_t len)
{
    return (len == 5 && memcmp(name, "index", 5) == 0) ||
           (len == 5 && memcmp(name, "first", 5) == 0) ||
           (len == 4 && memcmp(name, "last", 4) == 0);
}

static const struct wp_tpl_name *find_name(const struct wp_tpl_name *v, const char *name,
                                           size_t len)
{
    for (; v && v->name; v++)
        if (strlen(v->name) == len && memcmp(v->name, name, len) == 0)
            return v;
    return NULL;
}

/* The vocabulary entry `name` resolves to, innermost scope first; *in_list tells whether
 * some enclosing section is a list (for index, first, last). */
static const struct wp_tpl_name *resolve(const struct compiler *c, const char *name,
                                         size_t len, bool *in_list)
{
    *in_list = false;
    for (size_t i = c->depth; i-- > 0;) {
        if (!c->open[i].scope)
            continue;
        *in_list = true;
        const struct wp_tpl_name *n = find_name(c->open[i].scope, name, len);
        if (n)
            return n;
    }
    return find_name(c->vocab, name, len);
}

/* Checks a name against the vocabulary and where it is used. */
static enum wp_err check_name(struct compiler *c, size_t off, char sigil, const char *name,
                              size_t len, const struct wp_tpl_name **entry)
{
    bool in_list;
    *entry = resolve(c, name, len, &in_list);
    if (!*entry && is_implicit(name, len)) {
        if (!in_list)
            return fail_at(c, off, "{{%.*s}} is only known inside a list section",
                           NAME_ARG(len, name));
        if (sigil == 0 && name[0] != 'i')
            return fail_at(c, off, "{{%.*s}} is a condition: use {{#%.*s}}...{{/%.*s}}",
                           NAME_ARG(len, name), NAME_ARG(len, name), NAME_ARG(len, name));
        return WP_OK;
    }
    if (!*entry)
        return fail_at(c, off, "unknown placeholder {{%.*s}}%s", NAME_ARG(len, name),
                       c->depth ? " (here or in the enclosing sections)" : "");
    if (sigil == 0 && (*entry)->children)
        return fail_at(c, off, "{{%.*s}} is a list: repeat it with {{#%.*s}}...{{/%.*s}}",
                       NAME_ARG(len, name), NAME_ARG(len, name), NAME_ARG(len, name));
    return WP_OK;
}

/* One tag at src[p .. q) (q after the closing braces), its content in [a, b). */
static enum wp_err tag(struct compiler *c, size_t p, size_t a, size_t b)
{
    const char *s = c->src;
    char sigil = s[a];
    if (sigil == '!')
        return WP_OK;
    if (sigil == '{' || sigil == '&')
        return fail_at(c, p, "raw output {{%s...}} is not supported: every value is escaped",
                       sigil == '{' ? "{" : "&");
    if (sigil == '>' || sigil == '=')
        return fail_at(c, p, "{{%c...}} (partials, delimiters) is not supported", sigil);
    if (sigil == '#' || sigil == '^' || sigil == '/')
        a++;
    else
        sigil = 0;
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
        b--;
    if (a == b)
        return fail_at(c, p, "empty tag: give a name between {{ and }}");
    for (size_t i = a; i < b; i++)
        if (!name_char(s[i])) {
            char quoted[104];
            excerpt(s + a, b - a, quoted, sizeof quoted);
            return fail_at(c, p, "\"%s\" is not a name (letters, digits, _ - .)", quoted);
        }
    const char *name = s + a;
    size_t len = b - a;
    if (sigil == '/') {
        if (!c->depth)
            return fail_at(c, p, "{{/%.*s}} closes no section", NAME_ARG(len, name));
        struct node *open = &c->t->v[c->open[c->depth - 1].node];
        if (open->len != len || memcmp(open->s, name, len) != 0)
            return fail_at(c, p, "{{/%.*s}} does not close {{%c%.*s}} opened at line %ld, "
                                 "column %ld", NAME_ARG(len, name),
                           open->kind == N_INVERTED ? '^' : '#', NAME_ARG(open->len, open->s),
                           open->line, open->col);
        open->end = c->t->n;
        c->depth--;
        return WP_OK;
    }
    const struct wp_tpl_name *entry;
    enum wp_err e = check_name(c, p, sigil, name, len, &entry);
    if (e)
        return e;
    struct node *n = push(c, sigil == '#' ? N_SECTION : sigil == '^' ? N_INVERTED : N_VAR, p,
                          name, len);
    if (!n)
        return wp_diag_set(c->d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (sigil) {
        if (c->depth == MAX_DEPTH)
            return fail_at(c, p, "sections nested deeper than %d levels", MAX_DEPTH);
        c->open[c->depth++] = (struct open_section){
            c->t->n - 1, sigil == '#' && entry && entry->children ? entry->children : NULL};
    }
    return WP_OK;
}

static enum wp_err literal(struct compiler *c, size_t from, size_t to)
{
    if (to <= from)
        return WP_OK;
    if (!push(c, N_TEXT, from, c->src + from, to - from))
        return wp_diag_set(c->d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return WP_OK;
}

/* A template is UTF-8 text (the card is Markdown, the report's prose pango markup, and
 * both go into messages): the first byte that does not begin a well-formed character is
 * an error where it is. */
static enum wp_err check_utf8(struct compiler *c)
{
    if (wp_utf8_valid(c->src, c->len))
        return WP_OK;
    for (size_t i = 0; i < c->len;) {
        size_t k = 1;
        while (k <= 4 && i + k <= c->len && !wp_utf8_valid(c->src + i, k))
            k++;
        if (k > 4 || i + k > c->len)
            return fail_at(c, i, "a template is UTF-8 text: byte 0x%02X does not begin a "
                                 "UTF-8 character", (unsigned char)c->src[i]);
        i += k;
    }
    return WP_OK;
}

static enum wp_err parse(struct compiler *c)
{
    const char *s = c->src;
    size_t len = c->len, lit = 0, pos = 0;
    /* The start and end of the line around each tag, found incrementally (tags only move
     * forward): searching from every tag would be quadratic in a long line of tags. */
    size_t ls = 0, ls_scanned = 0, eol = 0;
    bool has_eol = false;
    enum wp_err e;
    for (;;) {
        const char *o = memmem(s + pos, len - pos, "{{", 2);
        if (!o)
            break;
        size_t p = (size_t)(o - s);
        const char *cl = tag_end(s, len, p);
        if (!cl)
            return fail_at(c, p, "unterminated tag: no }} after {{");
        size_t a = p + 2, b = (size_t)(cl - s), q = b + 2;
        if (s[a] == '{' && q < len && s[q] == '}')
            q++; /* {{{name}}}: reported by tag() */
        const char *nl = memrchr(s + ls_scanned, '\n', p - ls_scanned);
        if (nl)
            ls = (size_t)(nl - s) + 1;
        ls_scanned = p;
        if (!has_eol || q > eol) /* else no newline lies in [q, eol): the same line end */
            eol = line_end(s, len, q);
        has_eol = true;
        /* a section, close or comment tag alone on its line takes the line with it */
        bool standalone = false;
        if (s[a] && strchr("#^/!", s[a]) && ls >= lit && is_blank(s, ls, p) && is_blank(s, q, eol))
            standalone = true;
        if ((e = literal(c, lit, standalone ? ls : p)))
            return e;
        if ((e = tag(c, p, a, b)))
            return e;
        pos = lit = standalone ? (eol < len ? eol + 1 : len) : q;
    }
    if ((e = literal(c, lit, len)))
        return e;
    if (c->depth) {
        const struct node *open = &c->t->v[c->open[c->depth - 1].node];
        long line = open->line, col = open->col;
        return wp_diag_set(c->d, WP_ERR_PARSE, c->t->file, line, col,
                           "section {{%c%.*s}} is never closed (add {{/%.*s}})",
                           open->kind == N_INVERTED ? '^' : '#', NAME_ARG(open->len, open->s),
                           NAME_ARG(open->len, open->s));
    }
    return WP_OK;
}

enum wp_err wp_tpl_compile(const char *text, size_t len, const char *file,
                           const struct wp_tpl_name *vocab, struct wp_tpl **out,
                           struct wp_diag *d)
{
    *out = NULL;
    struct wp_tpl *t = calloc(1, sizeof *t);
    if (!t || !(t->text = malloc(len + 1))) {
        free(t);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (memchr(text, '\0', len)) {
        free(t->text);
        free(t);
        return wp_diag_set(d, WP_ERR_PARSE, file, 0, 0, "a template is text: this one "
                                                        "holds a NUL byte");
    }
    memcpy(t->text, text, len);
    t->text[len] = '\0';
    t->file = file;
    t->max_output = WP_TPL_MAX_OUTPUT;
    struct compiler c = {.t = t, .src = t->text, .len = len, .line = 1, .col = 1,
                         .vocab = vocab, .d = d};
    enum wp_err e = check_utf8(&c);
    if (!e) {
        front_matter(&c);
        e = parse(&c);
    }
    if (e) {
        wp_tpl_free(t);
        return e;
    }
    *out = t;
    return WP_OK;
}

void wp_tpl_free(struct wp_tpl *t)
{
    if (!t)
        return;
    free(t->v);
    free(t->text);
    free(t);
}

/* ---- values ---------------------------------------------------------------------------- */

enum vkind { V_TEXT, V_NUM, V_INT, V_LIST };

struct entry {
    const char *name;
    size_t name_len; /* strlen(name): looked up at every tag a render visits */
    enum vkind kind;
    char *text;
    double x;
    int sig;
    long long i;
    struct wp_tval **items;
    size_t n_items, cap_items;
};

struct wp_tval {
    struct entry *e;
    size_t n, cap;
    struct wp_tval *root;
    bool is_sink;  /* absorbs what is set after an allocation failed */
    bool failed;   /* root only */
};

struct wp_tval *wp_tval_new(void)
{
    struct wp_tval *v = calloc(2, sizeof *v); /* the root and its sink, freed together */
    if (!v)
        return NULL;
    v[0].root = v[1].root = &v[0];
    v[1].is_sink = true;
    return v;
}

static struct wp_tval *sink(struct wp_tval *v)
{
    v->root->failed = true;
    return v->root + 1;
}

static void clear_entry(struct entry *e)
{
    free(e->text);
    e->text = NULL;
    for (size_t i = 0; i < e->n_items; i++) {
        struct wp_tval *it = e->items[i];
        for (size_t k = 0; k < it->n; k++)
            clear_entry(&it->e[k]);
        free(it->e);
        free(it);
    }
    free(e->items);
    e->items = NULL;
    e->n_items = e->cap_items = 0;
}

/* The entry `name` of v, new or emptied, of kind k; NULL when memory ran out. */
static struct entry *slot(struct wp_tval *v, const char *name, enum vkind k)
{
    if (v->is_sink)
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->e[i].name, name) == 0) {
            if (k != V_LIST || v->e[i].kind != V_LIST) {
                clear_entry(&v->e[i]);
                v->e[i].kind = k;
            }
            return &v->e[i];
        }
    if (WP_ARRAY_GROW(v->e, v->n + 1, v->cap)) {
        sink(v);
        return NULL;
    }
    struct entry *e = &v->e[v->n++];
    memset(e, 0, sizeof *e);
    e->name = name;
    e->name_len = strlen(name);
    e->kind = k;
    return e;
}

void wp_tval_text(struct wp_tval *v, const char *name, const char *text)
{
    struct entry *e = slot(v, name, V_TEXT);
    if (e && !(e->text = strdup(text ? text : "")))
        sink(v);
}

void wp_tval_num(struct wp_tval *v, const char *name, double x, int sig)
{
    struct entry *e = slot(v, name, V_NUM);
    if (e) {
        e->x = x;
        e->sig = sig;
    }
}

void wp_tval_int(struct wp_tval *v, const char *name, long long x)
{
    struct entry *e = slot(v, name, V_INT);
    if (e)
        e->i = x;
}

void wp_tval_list(struct wp_tval *v, const char *name)
{
    slot(v, name, V_LIST);
}

struct wp_tval *wp_tval_item(struct wp_tval *v, const char *name)
{
    struct entry *e = slot(v, name, V_LIST);
    if (!e)
        return v->root + 1;
    if (WP_ARRAY_GROW(e->items, e->n_items + 1, e->cap_items))
        return sink(v);
    struct wp_tval *it = calloc(1, sizeof *it);
    if (!it)
        return sink(v);
    it->root = v->root;
    e->items[e->n_items++] = it;
    return it;
}

void wp_tval_free(struct wp_tval *root)
{
    if (!root)
        return;
    for (size_t k = 0; k < root->n; k++)
        clear_entry(&root->e[k]);
    free(root->e);
    free(root); /* the sink shares the allocation and holds nothing */
}

/* ---- escaping and numbers ---------------------------------------------------------------- */

void wp_tpl_escape_md(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned cp;
        size_t n = wp_text_format_char((const char *)p, &cp);
        if (n) { /* shown, not obeyed: a U+202E reversed the rest of the paragraph */
            fprintf(out, "\\\\u%04x", cp);
            p += n - 1;
            continue;
        }
        if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) { /* C1 controls, as C0 */
            fputc(' ', out);
            p++;
            continue;
        }
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '#':
        case '~': case '{': case '}': case '$': /* $ opens math on GitHub and the Hub */
            fputc('\\', out);
            fputc(*p, out);
            break;
        default: fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, out);
        }
    }
}

void wp_tpl_escape_yaml(FILE *out, const char *s)
{
    wp_yaml_put_text(out, s);
}

void wp_tpl_num_yaml(double x, char *buf, size_t size)
{
    if (!isfinite(x)) {
        snprintf(buf, size, "null");
        return;
    }
    char tmp[48];
    int prec = 1;
    for (; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, x);
        if (strtod(tmp, NULL) == x)
            break;
    }
    char *e = strchr(tmp, 'e');
    int exp10 = e ? atoi(e + 1) : 0;
    if (e && exp10 >= -5 && exp10 < 16) { /* 100, not 1e+02; 0.00001, not 1e-05 */
        int decimals = prec - 1 - exp10;
        snprintf(tmp, sizeof tmp, "%.*f", decimals > 0 ? decimals : 0, x);
        e = NULL;
    }
    if (e && !memchr(tmp, '.', (size_t)(e - tmp)))
        snprintf(buf, size, "%.*s.0%s", (int)(e - tmp), tmp, e);
    else
        snprintf(buf, size, "%s", tmp);
}

/* Inserts thousands separators into the integer part of a plain decimal number. */
static void group_thousands(const char *in, char *out, size_t size)
{
    const char *digits = in + (in[0] == '-');
    size_t n_int = strcspn(digits, ".");
    size_t k = 0;
    if (digits != in && k + 1 < size)
        out[k++] = '-';
    for (size_t i = 0; i < n_int && k + 2 < size; i++) {
        if (i && (n_int - i) % 3 == 0 && n_int >= 4)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    snprintf(out + k, size - k, "%s", digits + n_int);
}

void wp_tpl_num_prose(double x, int sig, char *buf, size_t size)
{
    if (!isfinite(x)) {
        snprintf(buf, size, "n/a");
        return;
    }
    if (sig < 1)
        sig = 1;
    if (sig > 17)
        sig = 17;
    double ax = fabs(x);
    char tmp[64];
    if (x != 0 && (ax < 1e-4 || ax >= 1e15)) {
        snprintf(buf, size, "%.*e", sig - 1, x);
        return;
    }
    /* round to sig digits in scientific notation first, so 9.9996 becomes 10.00 */
    snprintf(tmp, sizeof tmp, "%.*e", sig - 1, x);
    int exp10 = atoi(strchr(tmp, 'e') + 1);
    double r = strtod(tmp, NULL);
    int decimals = sig - 1 - exp10;
    snprintf(tmp, sizeof tmp, "%.*f", decimals > 0 ? decimals : 0, r);
    group_thousands(tmp, buf, size);
}

/* ---- rendering --------------------------------------------------------------------------- */

struct scope {
    const struct wp_tval *v;
    const struct scope *up;
    size_t index, count; /* in the list this item belongs to (count 0: not an item) */
};

struct lookup {
    const struct entry *e; /* NULL for an implicit name */
    long long implicit;    /* index, or first / last as 0 / 1 */
};

static bool find_value(const struct scope *sc, const struct node *n, struct lookup *out)
{
    for (const struct scope *s = sc; s; s = s->up) {
        for (size_t i = 0; i < s->v->n; i++) {
            const struct entry *e = &s->v->e[i];
            if (e->name_len == n->len && memcmp(e->name, n->s, n->len) == 0) {
                *out = (struct lookup){e, 0};
                return true;
            }
        }
        if (s->count && is_implicit(n->s, n->len)) {
            long long v = n->s[0] == 'i'   ? (long long)s->index + 1
                          : n->s[0] == 'f' ? s->index == 0
                                           : s->index + 1 == s->count;
            *out = (struct lookup){NULL, v};
            return true;
        }
    }
    return false;
}

static bool is_set(const struct lookup *l)
{
    const struct entry *e = l->e;
    if (!e)
        return l->implicit != 0;
    switch (e->kind) {
    case V_TEXT: return e->text && *e->text;
    case V_NUM: return isfinite(e->x);
    case V_INT: return e->i != 0;
    case V_LIST: return e->n_items > 0;
    }
    return false;
}

static void put_value(const struct lookup *l, bool is_yaml, bool is_markup, FILE *out)
{
    const struct entry *e = l->e;
    char buf[64];
    if (!e || e->kind == V_INT) {
        long long v = e ? e->i : l->implicit;
        if (is_yaml) {
            fprintf(out, "%lld", v);
        } else {
            snprintf(buf, sizeof buf, "%lld", v);
            char grouped[64];
            group_thousands(buf, grouped, sizeof grouped);
            fputs(grouped, out);
        }
    } else if (e->kind == V_NUM) {
        if (is_yaml)
            wp_tpl_num_yaml(e->x, buf, sizeof buf);
        else
            wp_tpl_num_prose(e->x, e->sig, buf, sizeof buf);
        fputs(buf, out);
    } else if (is_yaml) {
        wp_tpl_escape_yaml(out, e->text ? e->text : "");
    } else if (is_markup) {
        wp_tpl_escape_markup(out, e->text ? e->text : "");
    } else {
        wp_tpl_escape_md(out, e->text ? e->text : "");
    }
}

static enum wp_err no_value(const struct wp_tpl *t, const struct node *n, struct wp_diag *d)
{
    return wp_diag_set(d, WP_ERR_PARSE, t->file, n->line, n->col, "no value for {{%.*s}}",
                       NAME_ARG(n->len, n->s));
}

/* What a render may still spend (see WP_TPL_MAX_OUTPUT): a section repeated inside itself
 * multiplies its work by the length of its list at every level, so the budget, not the
 * nesting depth, is what bounds a hostile template. */
struct budget {
    size_t left;
};

/* The most bytes a value can take once escaped: 6 per byte of text (&quot;), 64 for a
 * number. */
static size_t value_cost(const struct lookup *l)
{
    return 64 + (l->e && l->e->kind == V_TEXT && l->e->text ? 6 * strlen(l->e->text) : 0);
}

static enum wp_err spend(const struct wp_tpl *t, const struct node *n, struct budget *b,
                         size_t cost, struct wp_diag *d)
{
    if (cost <= b->left) {
        b->left -= cost;
        return WP_OK;
    }
    b->left = 0;
    if (t->max_output >= 1 << 20)
        return wp_diag_set(d, WP_ERR_LIMIT, t->file, n->line, n->col,
                           "the template would write more than %zu MiB (here the sections "
                           "repeat too often, one inside another)", t->max_output >> 20);
    return wp_diag_set(d, WP_ERR_LIMIT, t->file, n->line, n->col,
                       "the template would write more than %zu bytes (here the sections "
                       "repeat too often, one inside another)", t->max_output);
}

static enum wp_err render(const struct wp_tpl *t, size_t from, size_t to,
                          const struct scope *sc, struct budget *b, FILE *out,
                          struct wp_diag *d)
{
    for (size_t i = from; i < to; i++) {
        const struct node *n = &t->v[i];
        struct lookup l;
        enum wp_err e = spend(t, n, b, WP_TPL_NODE_COST + (n->kind == N_TEXT ? n->len : 0), d);
        if (e)
            return e;
        if (n->kind == N_TEXT) {
            fwrite(n->s, 1, n->len, out);
            continue;
        }
        if (!find_value(sc, n, &l))
            return no_value(t, n, d);
        if (n->kind == N_VAR) {
            if (!(e = spend(t, n, b, value_cost(&l), d)))
                put_value(&l, n->is_yaml, t->is_markup, out);
        } else if (n->kind == N_INVERTED) {
            if (!is_set(&l))
                e = render(t, i + 1, n->end, sc, b, out, d);
        } else if (l.e && l.e->kind == V_LIST) {
            for (size_t k = 0; k < l.e->n_items && !e; k++) {
                struct scope item = {l.e->items[k], sc, k, l.e->n_items};
                e = render(t, i + 1, n->end, &item, b, out, d);
            }
        } else if (is_set(&l)) {
            e = render(t, i + 1, n->end, sc, b, out, d);
        }
        if (e)
            return e;
        if (n->kind != N_VAR)
            i = n->end - 1;
    }
    return WP_OK;
}

enum wp_err wp_tpl_render(const struct wp_tpl *t, const struct wp_tval *root, FILE *out,
                          struct wp_diag *d)
{
    if (root->root->failed)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct scope top = {root, NULL, 0, 0};
    struct budget b = {t->max_output};
    enum wp_err e = render(t, 0, t->n, &top, &b, out, d);
    if (!e && ferror(out))
        e = wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "write error");
    return e;
}

void wp_tpl_escape_markup(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

void wp_tpl_set_markup(struct wp_tpl *t)
{
    t->is_markup = true;
}

void wp_tpl_set_max_output(struct wp_tpl *t, size_t bytes)
{
    t->max_output = bytes;
}

/* ---- finding and loading ---------------------------------------------------------------- */

#define MAX_TEMPLATE_BYTES (1 << 20)

static bool readable(const char *path)
{
    return access(path, R_OK) == 0;
}

bool wp_tpl_find(const char *dir, const char *name, char *buf, size_t size)
{
    if (dir) {
        snprintf(buf, size, "%s/%s", dir, name);
        return readable(buf);
    }
    const char *env = getenv("WATTPRINT_TEMPLATES");
    if (env && *env) {
        snprintf(buf, size, "%s/%s", env, name);
        if (readable(buf))
            return true;
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    const char *where = dirname(exe);
    static const char *const rel[] = {"templates", "../templates",
                                      "../share/wattprint/templates"};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        snprintf(buf, size, "%s/%s/%s", where, rel[i], name);
        if (readable(buf))
            return true;
    }
    return false;
}

enum wp_err wp_tpl_load(const char *path, const struct wp_tpl_name *vocab, struct wp_tpl **out,
                        struct wp_diag *d)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    char *buf = malloc(MAX_TEMPLATE_BYTES + 1);
    if (!buf) {
        fclose(f);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    size_t n = fread(buf, 1, MAX_TEMPLATE_BYTES + 1, f);
    bool bad = ferror(f) != 0;
    fclose(f);
    enum wp_err e;
    if (bad || n > MAX_TEMPLATE_BYTES)
        e = wp_diag_set(d, bad ? WP_ERR_IO : WP_ERR_LIMIT, path, 0, 0,
                        bad ? "cannot read" : "a template is at most 1 MiB");
    else
        e = wp_tpl_compile(buf, n, path, vocab, out, d);
    free(buf);
    return e;
}
