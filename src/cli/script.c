/* wattprint script FILE: the read-only commands a file lists, one per line, run in one
 * process against one database so that their outputs share every statistic (each distinct
 * analysis is computed once, through the memo of src/analysis/memo.c) and the process starts
 * and loads its fonts once.  Not a shell: words, quotes, comments, continuation lines and
 * one `> PATH` per line; no variables, globs or pipes.  One thing is named: a selection
 * (`selection NAME OPTIONS...`), written once and used as `@NAME` by every command that
 * reads it, so that all the outputs of a study come from the same runs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "analysis/analysis.h"
#include "util/array.h"

#define CMD "script"
#define MAX_WORDS 64

/* The commands a script may run: those that only read the database, since the analyses
 * they share must not change under them. */
static const char *const readers[] = {"stats", "summary", "runs",  "rejected", "sources",
                                      "chart", "xlsx",    "card",  "latex",    "report",
                                      "export"};

struct line {
    long no;          /* where the command starts in the script */
    char *argv[MAX_WORDS + 1];
    int argc;
    char *out;        /* `> PATH`, or NULL for standard output */
    const char *path; /* the script file it is in (an argument: not owned) */
};

/* `selection NAME WORDS...`: the words `@NAME` stands for on later lines. */
struct selection {
    char *name;
    char *words[MAX_WORDS];
    int n;
};

struct script {
    struct line *v;
    size_t n, cap;
    struct selection *sel;
    size_t n_sel, cap_sel;
};

static void script_free(struct script *s)
{
    for (size_t i = 0; i < s->n; i++) {
        for (int k = 0; k < s->v[i].argc; k++)
            free(s->v[i].argv[k]);
        free(s->v[i].out);
    }
    free(s->v);
    for (size_t i = 0; i < s->n_sel; i++) {
        free(s->sel[i].name);
        for (int k = 0; k < s->sel[i].n; k++)
            free(s->sel[i].words[k]);
    }
    free(s->sel);
}

static const struct selection *find_selection(const struct script *s, const char *name)
{
    for (size_t i = 0; i < s->n_sel; i++)
        if (strcmp(s->sel[i].name, name) == 0)
            return &s->sel[i];
    return NULL;
}

/* Keeps `selection NAME WORDS...` (the line's words move into it). */
static enum wp_err keep_selection(struct script *s, struct line *l, const char *path,
                                  struct wp_diag *d)
{
    if (l->argc < 3 || l->out)
        return wp_diag_set(d, WP_ERR_USAGE, path, l->no, 0,
                           "selection NAME OPTIONS...: a name and at least one option, no '>'");
    if (find_selection(s, l->argv[1]))
        return wp_diag_set(d, WP_ERR_USAGE, path, l->no, 0,
                           "selection '%s' is already defined: a selection is written once",
                           l->argv[1]);
    if (WP_ARRAY_GROW(s->sel, s->n_sel + 1, s->cap_sel))
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct selection *n = &s->sel[s->n_sel++];
    *n = (struct selection){.name = l->argv[1], .n = l->argc - 2};
    memcpy(n->words, l->argv + 2, (size_t)n->n * sizeof *n->words);
    free(l->argv[0]);
    *l = (struct line){0};
    return WP_OK;
}

/* Replaces each `@NAME` word of l by the words of selection NAME. */
static enum wp_err expand(const struct script *s, struct line *l, const char *path,
                          struct wp_diag *d)
{
    char *out[MAX_WORDS + 1];
    int n = 0;
    enum wp_err e = WP_OK;
    for (int i = 0; !e && i < l->argc; i++) {
        const char *w = l->argv[i];
        const struct selection *sel = w[0] == '@' ? find_selection(s, w + 1) : NULL;
        if (w[0] == '@' && !sel) {
            e = wp_diag_set(d, WP_ERR_USAGE, path, l->no, 0,
                            "no selection named '%s' (define it first: selection %s "
                            "OPTIONS...)", w + 1, w + 1);
            break;
        }
        int k_n = sel ? sel->n : 1;
        if (n + k_n > MAX_WORDS) {
            e = wp_diag_set(d, WP_ERR_USAGE, path, l->no, 0, "more than %d words", MAX_WORDS);
            break;
        }
        for (int k = 0; k < k_n; k++)
            if (!(out[n++] = strdup(sel ? sel->words[k] : w))) {
                n--;
                e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
                break;
            }
    }
    if (e) {
        while (n > 0)
            free(out[--n]);
        return e;
    }
    for (int i = 0; i < l->argc; i++)
        free(l->argv[i]);
    memcpy(l->argv, out, (size_t)n * sizeof *out);
    l->argc = n;
    return WP_OK;
}

static bool is_reader(const char *name)
{
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++)
        if (strcmp(name, readers[i]) == 0)
            return true;
    return false;
}

/* A growable word being read. */
struct word {
    char *s;
    size_t n, cap;
    bool any; /* a word has started (also "" from empty quotes) */
};

static bool put(struct word *w, char c)
{
    if (WP_ARRAY_GROW(w->s, w->n + 2, w->cap)) /* the character and a NUL */
        return false;
    w->s[w->n++] = c;
    w->s[w->n] = '\0';
    w->any = true;
    return true;
}

/* Ends the current word: into the line's argv, or as the redirect's path after `>`. */
static enum wp_err end_word(struct word *w, bool quoted_gt, struct line *l, bool *want_out,
                            const char *path, struct wp_diag *d)
{
    if (!w->any)
        return WP_OK;
    char *s = w->s ? w->s : strdup("");
    *w = (struct word){0};
    if (!s)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    enum wp_err e = WP_OK;
    if (!quoted_gt && strcmp(s, ">") == 0) {
        if (l->out || *want_out || l->argc == 0)
            e = wp_diag_set(d, WP_ERR_USAGE, path, l->no, 0,
                            "'>' comes once, after a command, followed by a file");
        else
            *want_out = true;
        free(s);
    } else if (*want_out) {
        l->out = s;
        *want_out = false;
    } else if (l->out) {
        e = wp_diag_set(d, WP_ERR_USAGE, path, l->no, 0, "nothing may follow '> %s'", l->out);
        free(s);
    } else if (l->argc == MAX_WORDS) {
        e = wp_diag_set(d, WP_ERR_USAGE, path, l->no, 0, "more than %d words", MAX_WORDS);
        free(s);
    } else {
        l->argv[l->argc++] = s;
    }
    return e;
}

/* Checks a complete line and keeps it (an empty one is dropped). */
static enum wp_err keep_line(struct script *s, struct line *l, bool want_out, const char *path,
                             struct wp_diag *d)
{
    if (!l->argc)
        return WP_OK;
    if (want_out)
        return wp_diag_set(d, WP_ERR_USAGE, path, l->no, 0, "'>' without a file after it");
    if (strcmp(l->argv[0], "selection") == 0)
        return keep_selection(s, l, path, d);
    enum wp_err e = expand(s, l, path, d);
    if (e)
        return e;
    if (!wp_cmd_find(l->argv[0]))
        return wp_diag_set(d, WP_ERR_USAGE, path, l->no, 0, "'%s' is not a command",
                           l->argv[0]);
    if (!is_reader(l->argv[0]))
        return wp_diag_set(d, WP_ERR_USAGE, path, l->no, 0,
                           "%s cannot run in a script: a script runs the commands that only "
                           "read the database (stats, summary, runs, rejected, sources, "
                           "chart, xlsx, card, latex, report)",
                           l->argv[0]);
    if (WP_ARRAY_GROW(s->v, s->n + 1, s->cap))
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    l->path = path;
    s->v[s->n++] = *l;
    *l = (struct line){0};
    return WP_OK;
}

/* Reads the whole script before anything runs: a mistake on any line runs nothing. */
static enum wp_err parse(FILE *f, const char *path, struct script *s, struct wp_diag *d)
{
    struct line l = {.no = 1};
    struct word w = {0};
    long no = 1;
    char quote = 0;
    bool want_out = false, comment = false, was_quoted = false;
    enum wp_err e = WP_OK;
    for (int c; !e && (c = getc(f)) != EOF;) {
        if (c == '\0') {
            e = wp_diag_set(d, WP_ERR_USAGE, path, no, 0, "NUL byte: not a text file");
        } else if (comment) {
            if (c == '\n') {
                comment = false;
                e = keep_line(s, &l, want_out, path, d);
                l.no = ++no;
                want_out = false;
            }
        } else if (quote == '\'') {
            if (c == '\'')
                quote = 0;
            else if (!put(&w, (char)c))
                e = WP_ERR_NOMEM;
            no += c == '\n';
        } else if (c == '\\') { /* escapes the next character; before a newline, joins */
            int n = getc(f);
            if (n == '\n')
                no++;
            else if (n == EOF || !put(&w, (char)n))
                e = n == EOF ? wp_diag_set(d, WP_ERR_USAGE, path, no, 0, "'\\' at the end")
                             : WP_ERR_NOMEM;
            was_quoted |= n != '\n';
        } else if (quote == '"') {
            if (c == '"')
                quote = 0;
            else if (!put(&w, (char)c))
                e = WP_ERR_NOMEM;
            no += c == '\n';
        } else if (c == '\'' || c == '"') {
            quote = (char)c;
            w.any = was_quoted = true;
        } else if (c == '#' && !w.any) {
            comment = true;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            e = end_word(&w, was_quoted, &l, &want_out, path, d);
            was_quoted = false;
            if (!e && c == '\n') {
                e = keep_line(s, &l, want_out, path, d);
                l.no = ++no;
                want_out = false;
            }
        } else if (!put(&w, (char)c)) {
            e = WP_ERR_NOMEM;
        }
    }
    if (!e && quote)
        e = wp_diag_set(d, WP_ERR_USAGE, path, no, 0, "a %c quote is not closed", quote);
    if (!e)
        e = end_word(&w, was_quoted, &l, &want_out, path, d);
    if (!e)
        e = keep_line(s, &l, want_out, path, d);
    if (!e && ferror(f))
        e = wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot read: %s", strerror(errno));
    if (e == WP_ERR_NOMEM)
        wp_diag_set(d, e, NULL, 0, 0, "out of memory");
    free(w.s);
    for (int k = 0; k < l.argc; k++)
        free(l.argv[k]);
    free(l.out);
    return e;
}

/* Runs one line; with `> PATH` its standard output goes to PATH, written atomically. */
static int run_line(struct wp_cli *c, const struct line *l)
{
    char *argv[MAX_WORDS + 1];
    memcpy(argv, l->argv, sizeof argv);
    argv[l->argc] = NULL;
    return wp_cli_run(c, wp_cmd_find(l->argv[0]), l->argc, argv, l->out);
}

int wp_cmd_script(struct wp_cli *c, int argc, char **argv)
{
    if (argc < 2)
        return wp_cli_usage(CMD, "give a script FILE (- for standard input), or several");
    if (c->memo)
        return wp_cli_usage(CMD, "a script cannot run inside another script or batch");
    /* several files are read in order as one script: a selection one defines, the next
       may use */
    struct script s = {0};
    struct wp_diag d = {0};
    enum wp_err e = WP_OK;
    for (int i = 1; !e && i < argc; i++) {
        bool is_stdin = strcmp(argv[i], "-") == 0;
        FILE *f = is_stdin ? stdin : fopen(argv[i], "r");
        if (!f) {
            e = wp_diag_set(&d, WP_ERR_IO, argv[i], 0, 0, "cannot read: %s", strerror(errno));
            break;
        }
        e = parse(f, argv[i], &s, &d);
        if (!is_stdin)
            fclose(f);
    }
    if (e) {
        wp_cli_error(&d);
        script_free(&s);
        return e == WP_ERR_USAGE ? WP_EXIT_USAGE : WP_EXIT_FAIL;
    }
    if (!(c->memo = wp_analysis_memo_new())) {
        fprintf(stderr, "wattprint: out of memory\n");
        script_free(&s);
        return WP_EXIT_FAIL;
    }
    size_t failed = 0;
    for (size_t i = 0; i < s.n; i++) {
        int rc = run_line(c, &s.v[i]);
        if (rc != WP_EXIT_OK) {
            failed++; /* the rest still run: each output stands on its own */
            wp_cli_sayf("%s:%ld: %s failed (exit %d)", s.v[i].path, s.v[i].no, s.v[i].argv[0],
                        rc);
        }
    }
    size_t shared = wp_analysis_memo_hits(c->memo);
    wp_analysis_memo_free(c->memo);
    c->memo = NULL;
    if (!c->quiet || failed)
        fprintf(stderr, "wattprint: script %s: %zu commands, %zu failed (%zu analyses shared "
                        "between them)\n",
                argv[argc - 1], s.n, failed, shared);
    script_free(&s);
    return failed ? WP_EXIT_FAIL : WP_EXIT_OK;
}
