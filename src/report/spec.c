/* Batch spec parsing on libyaml's document API, which keeps each node's line and column
 * for messages (see spec.h). */
#include "report/spec.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct ctx {
    const char *path;
    yaml_document_t *doc;
    struct wp_diag *d;
};

__attribute__((format(printf, 3, 4)))
static enum wp_err at(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
    struct wp_diag tmp, *d = c->d ? c->d : &tmp;
    va_list ap;
    va_start(ap, fmt);
    wp_diag_set_file(d, c->path);
    d->line = (long)n->start_mark.line + 1;
    d->col = (long)n->start_mark.column + 1;
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    return WP_ERR_PARSE;
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Copies a scalar value into *out, or reports what was expected. */
static enum wp_err text(struct ctx *c, const yaml_node_t *n, const char *key, char **out)
{
    const char *v = scalar(n);
    if (!v)
        return at(c, n, "%s: expected a text value", key);
    free(*out);
    if (!(*out = strdup(v)))
        return wp_diag_set(c->d, WP_ERR_NOMEM, c->path, 0, 0, "out of memory");
    return WP_OK;
}

/* A relative path that stays inside its root: no leading '/', no ".." component. */
static bool confined(const char *p)
{
    if (!*p || p[0] == '/')
        return false;
    for (const char *s = p; *s;) {
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 2 && s[0] == '.' && s[1] == '.')
            return false;
        s += len + (e != NULL);
    }
    return true;
}

static const struct {
    const char *name;
    unsigned bit;
} produce_names[] = {
    {"report", WP_PRODUCE_REPORT}, {"xlsx", WP_PRODUCE_XLSX},   {"cards", WP_PRODUCE_CARDS},
    {"figures", WP_PRODUCE_FIGURES}, {"latex", WP_PRODUCE_LATEX}, {"stats", WP_PRODUCE_STATS},
    {"boamps", WP_PRODUCE_BOAMPS},   {"sci", WP_PRODUCE_SCI},     {"spdx", WP_PRODUCE_SPDX},
    {"eu-ai-act", WP_PRODUCE_EUAIACT}, {"exports", WP_PRODUCE_EXPORTS},
};

static enum wp_err produce(struct ctx *c, const yaml_node_t *n, unsigned *out)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return at(c, n, "%s: expected a list such as [report, xlsx, cards, figures, latex]",
                  "produce");
    *out = 0;
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top;
         i++) {
        const yaml_node_t *item = yaml_document_get_node(c->doc, *i);
        const char *v = scalar(item);
        size_t k;
        for (k = 0; v && k < sizeof produce_names / sizeof produce_names[0]; k++)
            if (strcmp(v, produce_names[k].name) == 0)
                break;
        if (!v || k == sizeof produce_names / sizeof produce_names[0])
            return at(c, item, "produce: \"%s\" is not one of report, xlsx, cards, figures, "
                               "latex, stats, boamps, sci, spdx, eu-ai-act, exports",
                      v ? v : "?");
        *out |= produce_names[k].bit;
    }
    return WP_OK;
}

static enum wp_err filter(struct ctx *c, const yaml_node_t *n, struct wp_batch_entry *e)
{
    if (n->type != YAML_MAPPING_NODE)
        return at(c, n, "%s: expected keys such as task, model, dataset, phase, where",
                  "filter");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        const char *key = scalar(k);
        enum wp_err err;
        char *where = NULL;
        if (!key)
            return at(c, k, "%s: a key must be text", "filter");
        if (strcmp(key, "task") == 0)
            err = text(c, v, key, &e->task);
        else if (strcmp(key, "model") == 0)
            err = text(c, v, key, &e->model);
        else if (strcmp(key, "dataset") == 0)
            err = text(c, v, key, &e->dataset);
        else if (strcmp(key, "phase") == 0)
            err = text(c, v, key, &e->phase);
        else if (strcmp(key, "where") == 0) {
            err = text(c, v, key, &where);
            char *eq = where ? strchr(where, '=') : NULL;
            if (!err && (!eq || eq == where)) {
                free(where);
                return at(c, v, "%s: give KEY=VALUE (a manifest column)", "where");
            }
            if (!err) {
                *eq = '\0';
                free(e->where_key); /* a repeated where: the last one holds */
                free(e->where_value);
                e->where_key = where;
                e->where_value = strdup(eq + 1);
                if (!e->where_value)
                    err = wp_diag_set(c->d, WP_ERR_NOMEM, c->path, 0, 0, "out of memory");
            }
        } else
            return at(c, k, "filter: unknown key \"%s\" (task, model, dataset, phase, where)",
                      key);
        if (err)
            return err;
    }
    return WP_OK;
}

static enum wp_err entry(struct ctx *c, const yaml_node_t *n, struct wp_batch_entry *e)
{
    e->line = (long)n->start_mark.line + 1;
    e->produce = WP_PRODUCE_DEFAULT;
    if (n->type != YAML_MAPPING_NODE)
        return at(c, n, "%s: each report is a mapping with name, filter, produce, dir",
                  "reports");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        const char *key = scalar(k);
        enum wp_err err;
        if (!key)
            return at(c, k, "%s: a key must be text", "reports");
        if (strcmp(key, "name") == 0)
            err = text(c, v, key, &e->name);
        else if (strcmp(key, "dir") == 0)
            err = text(c, v, key, &e->dir);
        else if (strcmp(key, "title") == 0)
            err = text(c, v, key, &e->title);
        else if (strcmp(key, "subtitle") == 0)
            err = text(c, v, key, &e->subtitle);
        else if (strcmp(key, "organisation") == 0 || strcmp(key, "organization") == 0)
            err = text(c, v, key, &e->organisation);
        else if (strcmp(key, "filter") == 0)
            err = filter(c, v, e);
        else if (strcmp(key, "produce") == 0)
            err = produce(c, v, &e->produce);
        else
            return at(c, k, "unknown key \"%s\" (name, dir, title, subtitle, organisation, "
                            "filter, produce)", key);
        if (err)
            return err;
        if (strcmp(key, "dir") == 0 && !confined(e->dir))
            return at(c, v, "dir: \"%s\" leaves the output root: give a relative path "
                            "without ..", e->dir);
    }
    if (!e->name)
        return at(c, n, "%s: a report needs a name", "reports");
    if (!confined(e->name) || strchr(e->name, '/') || strcmp(e->name, ".") == 0)
        return at(c, n, "name: \"%s\" must be a plain name (it names a folder)", e->name);
    if (!e->dir && !(e->dir = strdup(e->name)))
        return wp_diag_set(c->d, WP_ERR_NOMEM, c->path, 0, 0, "out of memory");
    return WP_OK;
}

/* What a report writes in its folder (src/cli/batch.c; tests/e2e/batch.sh checks that each
 * name a report wrote is here): another report's folder there would have its files
 * overwritten, or overwrite them. */
static const char *const entry_outputs[] = {"report.pdf", "report.html", "summary.xlsx",
                                            "stats.json", "cards",       "tables",
                                            "figures",    "exports",     "SHA256SUMS"};

/* The length of a folder's next segment at *p (skipping "." and empty ones), 0 at its end. */
static size_t segment(const char **p)
{
    for (;;) {
        while (**p == '/')
            (*p)++;
        size_t len = strcspn(*p, "/");
        if (len == 1 && **p == '.') {
            (*p)++;
            continue;
        }
        return len;
    }
}

/* Whether the folders a and b (confined) hold each other's outputs: the same folder once
 * "." and empty segments are dropped, or one inside the other where a report writes. */
static bool dirs_clash(const char *a, const char *b)
{
    for (;;) {
        size_t la = segment(&a), lb = segment(&b);
        if (!la || !lb) { /* one ends: the same folder, or the other lies within it */
            const char *in = la ? a : b;
            size_t len = la ? la : lb;
            if (!len)
                return true;
            for (size_t i = 0; i < sizeof entry_outputs / sizeof entry_outputs[0]; i++)
                if (strlen(entry_outputs[i]) == len && strncmp(in, entry_outputs[i], len) == 0)
                    return true;
            return false;
        }
        if (la != lb || strncmp(a, b, la) != 0)
            return false;
        a += la;
        b += lb;
    }
}

/* Bounds on a spec, checked before it is loaded: libyaml's time grows with the square of
 * the nesting (100,000 nested '[' took a minute), and a spec is a few lines. */
#define SPEC_MAX_BYTES (1 << 20)
#define SPEC_MAX_DEPTH 64

/* WP_OK when the spec at f (rewound after) is at most SPEC_MAX_BYTES and its collections
 * nest at most SPEC_MAX_DEPTH deep, counted on libyaml's events, which stop at the first
 * collection too deep; a YAML error is left for the load to report. */
static enum wp_err bounded(const char *path, FILE *f, struct wp_diag *d)
{
    if (fseek(f, 0, SEEK_END) != 0)
        return wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot read the batch spec");
    long size = ftell(f);
    rewind(f);
    if (size < 0)
        return wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot read the batch spec");
    if (size > SPEC_MAX_BYTES)
        return wp_diag_set(d, WP_ERR_LIMIT, path, 0, 0,
                           "a batch spec is at most %d bytes (this one has %ld)",
                           SPEC_MAX_BYTES, size);
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    yaml_parser_set_input_file(&p, f);
    enum wp_err e = WP_OK;
    int depth = 0;
    for (bool done = false; !done && !e;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev))
            break; /* the load says what is wrong, and where */
        if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
            if (++depth > SPEC_MAX_DEPTH)
                e = wp_diag_set(d, WP_ERR_LIMIT, path, (long)ev.start_mark.line + 1,
                                (long)ev.start_mark.column + 1,
                                "lists and mappings nest deeper than %d levels",
                                SPEC_MAX_DEPTH);
        } else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
            depth--;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    rewind(f);
    return e;
}

static enum wp_err top(struct ctx *c, const yaml_node_t *root, struct wp_batch_spec *s)
{
    if (!root)
        return wp_diag_set(c->d, WP_ERR_PARSE, c->path, 0, 0, "empty spec");
    if (root->type != YAML_MAPPING_NODE)
        return at(c, root, "%s: the spec is a mapping with output, paper and reports", "spec");
    const yaml_node_t *reports = NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        const char *key = scalar(k);
        enum wp_err err = WP_OK;
        if (!key)
            return at(c, k, "%s: a key must be text", "spec");
        if (strcmp(key, "output") == 0) {
            err = text(c, v, key, &s->output);
            if (!err && !*s->output) /* "" + "/" + dir would be a folder of / */
                return at(c, v, "output: give a folder (\"\" is none)");
        } else if (strcmp(key, "paper") == 0) {
            err = text(c, v, key, &s->paper);
            if (!err && strcmp(s->paper, "a4") && strcmp(s->paper, "letter"))
                return at(c, v, "paper: \"%s\" is not a4 or letter", s->paper);
        } else if (strcmp(key, "reports") == 0)
            reports = v;
        else
            return at(c, k, "unknown key \"%s\" (output, paper, reports)", key);
        if (err)
            return err;
    }
    if (!reports || reports->type != YAML_SEQUENCE_NODE ||
        reports->data.sequence.items.top == reports->data.sequence.items.start)
        return wp_diag_set(c->d, WP_ERR_PARSE, c->path, reports ? (long)reports->start_mark.line + 1 : 0,
                           0, "reports: give a list of at least one report");
    size_t n = (size_t)(reports->data.sequence.items.top - reports->data.sequence.items.start);
    if (!(s->entries = calloc(n, sizeof *s->entries)))
        return wp_diag_set(c->d, WP_ERR_NOMEM, c->path, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *item =
            yaml_document_get_node(c->doc, reports->data.sequence.items.start[i]);
        s->n = i + 1;
        enum wp_err err = entry(c, item, &s->entries[i]);
        if (err)
            return err;
        for (size_t j = 0; j < i; j++) {
            const struct wp_batch_entry *a = &s->entries[j], *b = &s->entries[i];
            if (strcmp(a->name, b->name) == 0)
                return at(c, item, "name: \"%s\" is used twice", b->name);
            if (dirs_clash(a->dir, b->dir))
                return at(c, item, "%s: its folder \"%s\" and %s's \"%s\" would hold each "
                                   "other's files: give each report a folder of its own (dir)",
                          b->name, b->dir, a->name, a->dir);
        }
    }
    if (!s->output && !(s->output = strdup("out/batch")))
        return wp_diag_set(c->d, WP_ERR_NOMEM, c->path, 0, 0, "out of memory");
    return WP_OK;
}

enum wp_err wp_batch_spec_load(const char *path, struct wp_batch_spec *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    if (!(out->path = strdup(path)))
        return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    FILE *f = fopen(path, "rb");
    if (!f)
        return wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot open the batch spec");
    yaml_parser_t parser;
    yaml_document_t doc;
    enum wp_err e = WP_OK;
    if (!yaml_parser_initialize(&parser)) {
        fclose(f);
        return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    yaml_parser_set_input_file(&parser, f);
    if ((e = bounded(path, f, d))) {
        yaml_parser_delete(&parser);
        fclose(f);
        return e;
    }
    if (!yaml_parser_load(&parser, &doc)) {
        e = wp_diag_set(d, WP_ERR_PARSE, path, (long)parser.problem_mark.line + 1,
                        (long)parser.problem_mark.column + 1, "YAML: %s",
                        parser.problem ? parser.problem : "cannot parse");
    } else {
        struct ctx c = {.path = path, .doc = &doc, .d = d};
        e = top(&c, yaml_document_get_root_node(&doc), out);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    return e;
}

void wp_batch_spec_free(struct wp_batch_spec *s)
{
    for (size_t i = 0; i < s->n; i++) {
        struct wp_batch_entry *e = &s->entries[i];
        char *fields[] = {e->name,  e->dir,   e->title,   e->subtitle, e->organisation,
                          e->task,  e->model, e->dataset, e->phase,    e->where_key,
                          e->where_value};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            free(fields[k]);
    }
    free(s->entries);
    free(s->path);
    free(s->output);
    free(s->paper);
    memset(s, 0, sizeof *s);
}

enum wp_err wp_batch_path(const struct wp_batch_spec *s, const struct wp_batch_entry *e,
                          const char *file, char *buf, size_t size, struct wp_diag *d)
{
    if (!confined(e->dir) || (file && !confined(file)))
        return wp_diag_set(d, WP_ERR_USAGE, s->path, e->line, 0,
                           "%s: the output path leaves the output root", e->name);
    int n = snprintf(buf, size, "%s/%s%s%s", s->output, e->dir, file ? "/" : "",
                     file ? file : "");
    if (n < 0 || (size_t)n >= size)
        return wp_diag_set(d, WP_ERR_USAGE, s->path, e->line, 0, "%s: output path too long",
                           e->name);
    return WP_OK;
}
