/* Merging the energy section into a model card (see card_merge.h). The front matter is
 * merged by top-level key as text, so the author's comments, order and quoting survive, and
 * the result is parsed with libyaml before it is returned: a merge never writes a card whose
 * metadata the Hub could not read. */
#include "report/card_merge.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

/* A span of text. */
struct span {
    const char *p;
    size_t n;
};

/* A top-level block of a front matter: its key and its lines (key line included). */
struct block {
    struct span key, text;
};

struct blocks {
    struct span preamble; /* comments and blank lines before the first key */
    struct block v[256];
    size_t n;
};

static bool is_line(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(end - p) < n || memcmp(p, word, n) != 0)
        return false;
    p += n;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p == end || *p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n') ||
           (*p == '\r' && p + 1 == end);
}

static const char *next_line(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl + 1 : end;
}

/* Splits a document into its front matter (between a first line "---" and the next "---"
 * or "...") and its body. No front matter: fm.p NULL. Returns false when the front matter
 * is not closed (*open_line is then its line). */
static bool split(const char *s, struct span *fm, struct span *body, long *open_line)
{
    const char *end = s + strlen(s);
    const char *p = s;
    if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) /* a byte order mark */
        p += 3;
    fm->p = NULL;
    fm->n = 0;
    if (!is_line(p, end, "---")) {
        *body = (struct span){s, (size_t)(end - s)};
        return true;
    }
    const char *start = next_line(p, end);
    for (const char *q = start; q < end; q = next_line(q, end)) {
        if (is_line(q, end, "---") || is_line(q, end, "...")) {
            *fm = (struct span){start, (size_t)(q - start)};
            const char *b = next_line(q, end);
            *body = (struct span){b, (size_t)(end - b)};
            return true;
        }
    }
    *open_line = 1;
    return false;
}

/* The key of a top-level line ("license: mit" -> "license"), or false for a line that
 * continues the block before it (indented, a list item, a comment, blank). */
static bool top_key(const char *p, const char *end, struct span *key)
{
    if (p == end || *p == ' ' || *p == '\t' || *p == '-' || *p == '#' || *p == '\n' ||
        *p == '\r')
        return false;
    const char *e = next_line(p, end);
    char quote = (*p == '"' || *p == '\'') ? *p : 0;
    const char *q = p + (quote != 0);
    while (q < e && (quote ? *q != quote : *q != ':'))
        q++;
    if (quote) {
        if (q >= e)
            return false;
        *key = (struct span){p + 1, (size_t)(q - p - 1)};
        q++;
        return q < e && *q == ':';
    }
    if (q >= e)
        return false;
    *key = (struct span){p, (size_t)(q - p)};
    while (key->n && (key->p[key->n - 1] == ' ' || key->p[key->n - 1] == '\t'))
        key->n--;
    return key->n > 0;
}

static bool blocks_of(struct span fm, struct blocks *b)
{
    const char *p = fm.p, *end = fm.p + fm.n;
    b->n = 0;
    b->preamble = (struct span){p, 0};
    for (const char *q = p; q < end; q = next_line(q, end)) {
        struct span key;
        if (top_key(q, end, &key)) {
            if (b->n == sizeof b->v / sizeof b->v[0])
                return false;
            b->v[b->n++] = (struct block){key, {q, 0}};
        }
        const char *e = next_line(q, end);
        if (b->n)
            b->v[b->n - 1].text.n = (size_t)(e - b->v[b->n - 1].text.p);
        else
            b->preamble.n = (size_t)(e - p);
    }
    return true;
}

static bool same_key(struct span a, struct span b)
{
    return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

/* Writes a block, ending it with a newline if its last line had none. */
static void put(FILE *out, struct span s)
{
    fwrite(s.p, 1, s.n, out);
    if (s.n && s.p[s.n - 1] != '\n')
        fputc('\n', out);
}

/* Whether text parses as one YAML document whose root is a mapping (or is empty). */
static enum wp_err check_yaml(const char *text, size_t len, const char *name, long first_line,
                              struct wp_diag *d)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    enum wp_err e = WP_OK;
    if (!yaml_parser_load(&parser, &doc)) {
        e = wp_diag_set(d, WP_ERR_PARSE, name, first_line + (long)parser.problem_mark.line,
                        (long)parser.problem_mark.column + 1,
                        "the card's YAML front matter does not parse: %s",
                        parser.problem ? parser.problem : "unknown problem");
    } else {
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (root && root->type != YAML_MAPPING_NODE)
            e = wp_diag_set(d, WP_ERR_PARSE, name, first_line, 1,
                            "the card's YAML front matter is not a mapping of keys");
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    return e;
}

/* Where `marker` starts a line in s (NULL if nowhere). */
static const char *find_marker(struct span s, const char *marker)
{
    size_t n = strlen(marker);
    for (const char *q = s.p, *end = s.p + s.n; q < end; q = next_line(q, end))
        if ((size_t)(end - q) >= n && memcmp(q, marker, n) == 0)
            return q;
    return NULL;
}

static long line_of(const char *s, const char *at)
{
    long line = 1;
    for (const char *p = s; p < at; p++)
        line += *p == '\n';
    return line;
}

/* Our section: the card's Markdown between the markers, without its leading blank lines. */
static void section(FILE *out, struct span body)
{
    const char *p = body.p, *end = body.p + body.n;
    while (p < end && (*p == '\n' || *p == '\r'))
        p++;
    while (end > p && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
        end--;
    fprintf(out, "%s\n\n", WP_CARD_BEGIN);
    fwrite(p, 1, (size_t)(end - p), out);
    fprintf(out, "\n\n%s\n", WP_CARD_END);
}

enum wp_err wp_card_merge(const char *card, const char *existing, const char *name,
                          char **out, size_t *out_len, struct wp_diag *d)
{
    *out = NULL;
    *out_len = 0;
    struct span ours_fm, ours_body, theirs_fm, theirs_body;
    long line = 0;
    if (!split(card, &ours_fm, &ours_body, &line) || !ours_fm.p)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "the card has no front matter");
    if (!split(existing, &theirs_fm, &theirs_body, &line))
        return wp_diag_set(d, WP_ERR_PARSE, name, line, 1,
                           "the front matter opened here is never closed with ---");
    long fm_line = 2; /* the front matter's first line, after "---" */
    if (theirs_fm.p) {
        enum wp_err e = check_yaml(theirs_fm.p, theirs_fm.n, name, fm_line, d);
        if (e)
            return e;
    }
    struct blocks *ours = calloc(2, sizeof *ours), *theirs = ours ? ours + 1 : NULL;
    if (!ours)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    enum wp_err e = WP_OK;
    if (!blocks_of(ours_fm, ours) ||
        (theirs_fm.p && !blocks_of(theirs_fm, theirs)))
        e = wp_diag_set(d, WP_ERR_LIMIT, name, fm_line, 0,
                        "the front matter has more than 256 top-level keys");
    /* the markers of our section in their text, in order */
    const char *b = e ? NULL : find_marker(theirs_body, WP_CARD_BEGIN);
    const char *m_end = b ? find_marker((struct span){b, theirs_body.n - (size_t)(b - theirs_body.p)},
                                        WP_CARD_END)
                          : NULL;
    if (!e && !b && find_marker(theirs_body, WP_CARD_END))
        e = wp_diag_set(d, WP_ERR_PARSE, name, line_of(existing, find_marker(theirs_body, WP_CARD_END)),
                        1, "an end marker of wattprint's section without its begin marker");
    if (!e && b && !m_end)
        e = wp_diag_set(d, WP_ERR_PARSE, name, line_of(existing, b), 1,
                        "wattprint's section begins here and never ends (%s)", WP_CARD_END);
    FILE *m = e ? NULL : open_memstream(out, out_len);
    if (!e && !m)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (m) {
        fputs("---\n", m);
        bool used[256] = {false};
        if (theirs_fm.p) {
            put(m, theirs->preamble);
            for (size_t i = 0; i < theirs->n; i++) {
                size_t k = 0;
                while (k < ours->n && !same_key(ours->v[k].key, theirs->v[i].key))
                    k++;
                if (k < ours->n && !used[k]) { /* ours replace theirs where it stood */
                    put(m, ours->v[k].text);
                    used[k] = true;
                } else if (k == ours->n) {
                    put(m, theirs->v[i].text);
                }
            }
        }
        for (size_t k = 0; k < ours->n; k++)
            if (!used[k])
                put(m, ours->v[k].text);
        fputs("---\n", m);
        if (b) { /* their text, our section where it was */
            fwrite(theirs_body.p, 1, (size_t)(b - theirs_body.p), m);
            section(m, ours_body);
            const char *after = next_line(m_end, theirs_body.p + theirs_body.n);
            fwrite(after, 1, (size_t)(theirs_body.p + theirs_body.n - after), m);
        } else { /* their text, then ours after a blank line */
            const char *p = theirs_body.p, *end = p + theirs_body.n;
            while (end > p && (end[-1] == '\n' || end[-1] == '\r'))
                end--;
            fwrite(p, 1, (size_t)(end - p), m);
            if (end > p)
                fputs("\n\n", m);
            section(m, ours_body);
        }
        bool ok = !ferror(m);
        if (fclose(m) != 0 || !ok) {
            e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        } else {
            /* the merged front matter must parse as the Hub will parse it */
            struct span fm, body;
            long l = 0;
            if (!split(*out, &fm, &body, &l) || !fm.p)
                e = wp_diag_set(d, WP_ERR_PARSE, name, 1, 1, "the merged card has no front matter");
            else
                e = check_yaml(fm.p, fm.n, name, 2, d);
        }
    }
    free(ours);
    if (e) {
        free(*out);
        *out = NULL;
        *out_len = 0;
    }
    return e;
}
