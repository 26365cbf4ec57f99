/* wattprint push: copies what a SQLite file (--db) holds into a server (--to URI), for a
 * host that measured offline.  Each source file goes over in one transaction with its
 * versions, measurements (run identities kept), rejected lines and its runs' labels; a
 * file whose content the server holds already is skipped, so pushing again changes
 * nothing.  Then label rules (a rule set changed since the last push labels the server's
 * runs again) and token counts.  All reading and writing is the store's. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ingest/label.h"
#include "store/store.h"
#include "util/array.h"

struct push {
    struct wp_cli *c;
    struct wp_store *from, *to;
    const char *to_name; /* the target as messages show it (password masked) */
    struct wp_diag d;
    enum wp_err err;
    /* the file being pushed: its server id, the local run last labelled */
    long long to_source, last_run;
    const char *version_sought; /* a sha256 looked for among the local versions */
    bool version_found;
    char rows_sought[65]; /* the rows hash of the version sought, "" when it has none */
    long long files_new, files_same, files_grown, files_refused, files_copies;
    long long measurements, duplicates, rejected, rule_sets, token_files, failures;
    long long relabelled; /* runs on the server labelled again by changed rules */
    bool stopped; /* a file failed: nothing further is pushed */
    char **pushed; /* paths pushed this time: their command-line rules go with them */
    size_t n_pushed, cap_pushed;
};

static void note_failure(struct push *p, const char *what)
{
    wp_cli_sayf("%s%s%s (push to %s): %s", p->d.file, wp_diag_has_file(&p->d) ? ": " : "",
                what, p->to_name, p->d.msg);
    p->failures++;
    memset(&p->d, 0, sizeof p->d);
}

static bool was_pushed(const struct push *p, const char *path)
{
    for (size_t i = 0; i < p->n_pushed; i++)
        if (strcmp(p->pushed[i], path) == 0)
            return true;
    return false;
}

static enum wp_err remember(struct push *p, const char *path)
{
    if (WP_ARRAY_GROW(p->pushed, p->n_pushed + 1, p->cap_pushed))
        return WP_ERR_NOMEM;
    if (!(p->pushed[p->n_pushed] = strdup(path)))
        return WP_ERR_NOMEM;
    p->n_pushed++;
    return WP_OK;
}

/* ---- one source file ----------------------------------------------------------------- */

static int find_version(void *ctx, const struct wp_file_version *v)
{
    struct push *p = ctx;
    if (strcmp(v->sha256, p->version_sought) == 0) {
        p->version_found = true;
        snprintf(p->rows_sought, sizeof p->rows_sought, "%s", v->rows_sha256 ? v->rows_sha256 : "");
    }
    return 0;
}

/* Whether the server holds the rows of this file's content under other bytes (the same
 * log gzipped, reordered, ...: ingest's copy rule): said, and the file is not pushed. */
static enum wp_err find_copy(struct push *p, const struct wp_export_source *src, bool *copy)
{
    struct wp_rows_copy c;
    *copy = false;
    p->version_sought = src->sha256;
    p->version_found = false;
    p->rows_sought[0] = '\0';
    enum wp_err e = wp_store_export_versions(p->from, src->id, find_version, p, &p->d);
    if (e || !p->rows_sought[0] || (e = wp_store_find_rows(p->to, p->rows_sought, &c, &p->d)))
        return e;
    if (!c.found)
        return WP_OK;
    *copy = true;
    p->files_copies++;
    if (!p->c->quiet)
        wp_cli_sayf("note: %s: same rows as %s on %s, ingested on %s: not pushed (the same "
                    "log stored another way; its byte hash differs)",
                    src->path, c.path, p->to_name, c.ingested_at);
    return WP_OK;
}

static int put_version(void *ctx, const struct wp_file_version *v)
{
    struct push *p = ctx;
    p->err = wp_store_import_version(p->to, p->to_source, v, &p->d);
    return p->err != WP_OK;
}

struct label_ctx {
    struct push *p;
    long long to_run;
};

static int put_labels(void *ctx, const struct wp_labels *l)
{
    struct label_ctx *x = ctx;
    x->p->err = wp_store_label_run(x->p->to, x->to_run, l, &x->p->d);
    return x->p->err != WP_OK;
}

/* A run grouped without a UUID has uid "source:ID:GROUP": its group key is GROUP, so that
 * the server groups the same rows into one run under its own source id. */
static const char *group_of(const char *uid)
{
    if (!uid || strncmp(uid, "source:", 7) != 0)
        return NULL;
    const char *g = strchr(uid + 7, ':');
    return g ? g + 1 : NULL;
}

static int put_measurement(void *ctx, long long run_id, const char *run_uid,
                           const struct wp_measurement *m)
{
    struct push *p = ctx;
    struct wp_add_result res;
    p->err = wp_store_add_measurement(p->to, p->to_source, m, group_of(run_uid), &res, &p->d);
    if (p->err)
        return 1;
    if (res.outcome == WP_ADD_DUPLICATE)
        p->duplicates++; /* another host pushed the same run already */
    else
        p->measurements++;
    if (run_id != p->last_run) {
        p->last_run = run_id;
        struct label_ctx x = {p, res.run_id};
        enum wp_err e = wp_store_export_run_labels(p->from, run_id, put_labels, &x, &p->d);
        if (e && !p->err)
            p->err = e;
    }
    return p->err != WP_OK;
}

static int put_rejected(void *ctx, const struct wp_rejected_row *r)
{
    struct push *p = ctx;
    p->err = wp_store_add_rejected(p->to, p->to_source, r->line, r->col, r->reason, r->text,
                                   &p->d);
    if (!p->err)
        p->rejected++;
    return p->err != WP_OK;
}

/* What to do with a file the server has no content of: a path the server knows holds an
 * older version of this local file (pushed before it grew: replaced), or another file
 * (refused, as ingest refuses it). */
static enum wp_err check_path(struct push *p, const struct wp_export_source *src, bool *ok)
{
    struct wp_prior_file prior;
    enum wp_err e = wp_store_find_prior(p->to, src->path, &prior, &p->d);
    *ok = true;
    if (e || !prior.found)
        return e;
    p->version_sought = prior.sha256;
    p->version_found = false;
    if ((e = wp_store_export_versions(p->from, src->id, find_version, p, &p->d)))
        return e;
    if (!p->version_found) {
        *ok = false;
        return WP_OK;
    }
    long long dropped;
    p->files_grown++;
    return wp_store_source_drop(p->to, src->path, &dropped, &p->d);
}

static enum wp_err push_source(struct push *p, const struct wp_export_source *src, bool *ok)
{
    enum wp_err e;
    *ok = true;
    if ((e = check_path(p, src, ok)) || !*ok)
        return e;
    if ((e = wp_store_import_source(p->to, src, &p->to_source, &p->d)))
        return e;
    p->last_run = 0;
    p->err = WP_OK;
    if ((e = wp_store_export_versions(p->from, src->id, put_version, p, &p->d)) ||
        (e = p->err) ||
        (e = wp_store_export_measurements(p->from, src->id, put_measurement, p, &p->d)) ||
        (e = p->err) ||
        (e = wp_store_export_rejected(p->from, src->id, put_rejected, p, &p->d)) ||
        (e = p->err))
        return e;
    return WP_OK;
}

static int each_source(void *ctx, const struct wp_export_source *src)
{
    struct push *p = ctx;
    bool on_server = false, ok = true, copy = false;
    enum wp_err e = wp_store_has_content(p->to, src->sha256, &on_server, &p->d);
    if (!e && on_server) {
        p->files_same++;
        return 0;
    }
    if (!e && (e = find_copy(p, src, &copy)) == WP_OK && copy)
        return 0;
    if (!e && !(e = wp_store_begin(p->to, &p->d))) {
        e = push_source(p, src, &ok);
        if (!e && ok)
            e = wp_store_commit(p->to, &p->d);
        if (e || !ok)
            wp_store_rollback(p->to);
    }
    if (!e && !ok) {
        p->files_refused++;
        p->failures++;
        fprintf(stderr,
                "wattprint: %s: %s holds another file from this path (ingested or pushed "
                "from another copy): not pushed\n",
                src->path, p->to_name);
        return 0;
    }
    if (!e && (e = remember(p, src->path)) == WP_ERR_NOMEM)
        wp_diag_set(&p->d, e, NULL, 0, 0, "out of memory");
    if (e) {
        if (!wp_diag_has_file(&p->d))
            wp_diag_set_file(&p->d, src->path);
        note_failure(p, "file not pushed");
        p->stopped = true; /* the files pushed so far stay, each whole */
        return 1;
    }
    p->files_new++;
    return 0;
}

/* ---- label rules --------------------------------------------------------------------- */

/* A rule as one string, to compare the server's rules of a manifest with the local ones. */
static char *rule_print(const struct wp_label_rule *r, long long source_id)
{
    const char *t[] = {r->origin,  r->match_project, r->match_experiment, r->match_run,
                       r->match_file, r->model,      r->task,             r->dataset};
    size_t len = 200;
    for (size_t i = 0; i < 8; i++)
        len += (t[i] ? strlen(t[i]) : 0) + 2;
    for (size_t i = 0; i < r->n_attr; i++)
        len += strlen(r->attr_keys[i]) + strlen(r->attr_values[i]) + 2;
    char *s = malloc(len);
    if (!s)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < 8; i++)
        n += (size_t)snprintf(s + n, len - n, "%s\x1f", t[i] ? t[i] : "\x1e");
    n += (size_t)snprintf(s + n, len - n, "%lld/%lld/%lld/%lld/%.17g", source_id,
                          r->inferences, r->batch_size, r->parameters, r->training_energy_j);
    for (size_t i = 0; i < r->n_attr; i++)
        n += (size_t)snprintf(s + n, len - n, "\x1f%s\x1e%s", r->attr_keys[i],
                              r->attr_values[i]);
    return s;
}

/* The server's rules of one manifest (by origin "MANIFEST:LINE"), printed, in order. */
struct server_rules {
    const char *manifest;
    char **v;
    size_t n, cap;
    bool oom;
};

static int collect_rule(void *ctx, long long rule_id, const struct wp_label_rule *r)
{
    (void)rule_id;
    struct server_rules *sr = ctx;
    size_t ml = strlen(sr->manifest);
    const char *colon = strrchr(r->origin, ':');
    if (!colon || (size_t)(colon - r->origin) != ml || strncmp(r->origin, sr->manifest, ml))
        return 0;
    if (WP_ARRAY_GROW(sr->v, sr->n + 1, sr->cap)) {
        sr->oom = true;
        return 1;
    }
    if (!(sr->v[sr->n] = rule_print(r, r->match_source_id))) {
        sr->oom = true;
        return 1;
    }
    sr->n++;
    return 0;
}

/* Whether the server holds exactly these rules for `manifest` already. */
static enum wp_err same_rules(struct push *p, const char *manifest,
                              const struct wp_label_rule *rules, size_t n, bool *same)
{
    struct server_rules sr = {.manifest = manifest};
    enum wp_err e = wp_store_rules_each(p->to, collect_rule, &sr, &p->d);
    if (!e && sr.oom)
        e = wp_diag_set(&p->d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    *same = !e && sr.n == n;
    for (size_t i = 0; *same && i < n; i++) {
        char *s = rule_print(&rules[i], rules[i].match_source_id);
        *same = s && strcmp(s, sr.v[i]) == 0;
        free(s);
    }
    for (size_t i = 0; i < sr.n; i++)
        free(sr.v[i]);
    free(sr.v);
    return e;
}

static enum wp_err put_rules(struct push *p, const char *manifest,
                             const struct wp_label_rule *rules, const char *const *paths,
                             size_t n)
{
    /* command-line rules are tied to their file: they go with the file when it goes */
    if (!manifest && (!paths[0] || !was_pushed(p, paths[0])))
        return WP_OK;
    struct wp_label_rule *v = malloc(n * sizeof *v);
    if (!v)
        return wp_diag_set(&p->d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t k = 0;
    enum wp_err e = WP_OK;
    for (size_t i = 0; !e && i < n; i++) {
        v[k] = rules[i];
        v[k].match_source_id = 0;
        if (paths[i]) { /* tied to a file: the server's id of it, or no rule at all */
            struct wp_prior_file prior;
            if ((e = wp_store_find_prior(p->to, paths[i], &prior, &p->d)) || !prior.found)
                continue;
            v[k].match_source_id = prior.source_id;
        }
        k++;
    }
    bool same = false;
    if (!e && manifest)
        e = same_rules(p, manifest, v, k, &same);
    if (!e && !same && k) {
        e = wp_store_rules_put(p->to, manifest, v, k, &p->d);
        p->rule_sets += !e;
    }
    free(v);
    return e;
}

static int each_rules(void *ctx, const char *manifest, const struct wp_label_rule *rules,
                      const char *const *paths, size_t n)
{
    struct push *p = ctx;
    p->err = put_rules(p, manifest, rules, paths, n);
    return p->err != WP_OK;
}

/* ---- token counts -------------------------------------------------------------------- */

struct token_set {
    struct wp_token_count *v;
    char **strs;
    size_t n, cap, n_strs;
    bool oom;
};

static const char *tok_keep(struct token_set *t, size_t slot, const char *s)
{
    char *c = strdup(s);
    if (!c)
        t->oom = true;
    t->strs[slot] = c;
    return c ? c : "";
}

static int collect_tokens(void *ctx, const struct wp_token_count *c, bool has_experiment)
{
    (void)has_experiment;
    struct token_set *t = ctx;
    /* six kept strings per count: strs holds 6 * cap */
    size_t cap_v = t->cap, cap_strs = 6 * t->cap;
    if (WP_ARRAY_GROW(t->v, t->n + 1, cap_v) ||
        WP_ARRAY_GROW(t->strs, 6 * cap_v, cap_strs)) {
        t->cap = cap_strs / 6 < cap_v ? cap_strs / 6 : cap_v;
        t->oom = true;
        return 1;
    }
    t->cap = cap_v;
    struct wp_token_count *x = &t->v[t->n];
    *x = *c;
    size_t b = 6 * t->n;
    x->model = tok_keep(t, b, c->model);
    x->dataset = tok_keep(t, b + 1, c->dataset);
    x->logged_model = tok_keep(t, b + 2, c->logged_model);
    x->logged_dataset = tok_keep(t, b + 3, c->logged_dataset);
    x->source_path = tok_keep(t, b + 4, c->source_path);
    x->source_sha256 = tok_keep(t, b + 5, c->source_sha256);
    t->n++;
    return t->oom;
}

/* The server's counts from one file, to leave them alone when they are these already. */
struct token_match {
    const char *path;
    const struct wp_token_count *v;
    size_t n, seen;
    bool differ;
};

static int match_tokens(void *ctx, const struct wp_token_count *c, bool has_experiment)
{
    (void)has_experiment;
    struct token_match *m = ctx;
    if (strcmp(c->source_path, m->path) != 0)
        return 0;
    bool found = false;
    for (size_t i = 0; i < m->n && !found; i++) {
        const struct wp_token_count *x = &m->v[i];
        found = !strcmp(x->model, c->model) && !strcmp(x->dataset, c->dataset) &&
                !strcmp(x->logged_model, c->logged_model) &&
                !strcmp(x->logged_dataset, c->logged_dataset) &&
                !strcmp(x->source_sha256, c->source_sha256) && x->samples == c->samples &&
                x->input_tokens == c->input_tokens && x->output_tokens == c->output_tokens;
    }
    m->seen++;
    m->differ |= !found;
    return 0;
}

static int by_source_path(const void *a, const void *b)
{
    const struct wp_token_count *x = a, *y = b;
    return strcmp(x->source_path, y->source_path);
}

/* One transaction per token-count file, as `wattprint tokens` stores them. */
static void push_token_file(struct push *p, const struct wp_token_count *v, size_t n)
{
    struct token_match m = {.path = v[0].source_path, .v = v, .n = n};
    enum wp_err e = wp_store_each_token_count(p->to, match_tokens, &m, &p->d);
    if (!e && !m.differ && m.seen == n)
        return;
    if (!e && !(e = wp_store_begin(p->to, &p->d))) {
        e = wp_store_tokens_put(p->to, v[0].source_path, v, n, &p->d);
        if (!e)
            e = wp_store_commit(p->to, &p->d);
        if (e)
            wp_store_rollback(p->to);
    }
    if (e) {
        if (!wp_diag_has_file(&p->d))
            wp_diag_set_file(&p->d, v[0].source_path);
        note_failure(p, "token counts not pushed");
        return;
    }
    p->token_files++;
}

static enum wp_err push_tokens(struct push *p)
{
    struct token_set t = {0};
    enum wp_err e = wp_store_each_token_count(p->from, collect_tokens, &t, &p->d);
    if (!e && t.oom)
        e = wp_diag_set(&p->d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e && t.n) {
        qsort(t.v, t.n, sizeof *t.v, by_source_path); /* strs keep their slots: freed all */
        for (size_t i = 0, j; i < t.n; i = j) {
            for (j = i + 1; j < t.n && !strcmp(t.v[j].source_path, t.v[i].source_path); j++)
                ;
            push_token_file(p, &t.v[i], j - i);
        }
    }
    for (size_t i = 0; i < 6 * t.n; i++)
        free(t.strs[i]);
    free(t.strs);
    free(t.v);
    return e;
}

/* ---- the command --------------------------------------------------------------------- */

static int run_push(struct push *p)
{
    enum wp_err e = wp_store_export_sources(p->from, each_source, p, &p->d);
    if (e) {
        note_failure(p, "read the local database");
        return WP_EXIT_FAIL;
    }
    p->err = WP_OK;
    if (p->stopped)
        e = WP_OK; /* rules and counts describe files that did not all go over */
    else if (!(e = wp_store_begin(p->to, &p->d))) {
        long long sets_before = p->rule_sets;
        e = wp_store_export_rules(p->from, each_rules, p, &p->d);
        if (!e)
            e = p->err;
        /* a rule set that changed since the last push (wattprint manifest relabelled the
         * runs here) relabels the server's runs too, as the manifest command does: the
         * labels of files pushed before went over with them and are stale */
        if (!e && p->rule_sets > sets_before && p->files_same) {
            struct wp_reporter rep = {wp_cli_message, p->c};
            struct wp_label_stats st;
            e = wp_label_apply(p->to, 0, &rep, &st, &p->d);
            p->relabelled = st.runs_labeled;
        }
        if (!e)
            e = wp_store_commit(p->to, &p->d);
        if (e)
            wp_store_rollback(p->to);
    }
    if (e)
        note_failure(p, "label rules not pushed");
    if (!p->stopped && (e = push_tokens(p)))
        note_failure(p, "read token counts");
    if (!p->c->quiet)
        fprintf(stderr,
                "wattprint: pushed to %s: %lld files added (%lld unchanged, %lld grown since "
                "the last push, %lld refused), %lld measurements (%lld already there), "
                "%lld rejected lines, %lld rule sets, %lld token-count files\n",
                p->to_name, p->files_new, p->files_same, p->files_grown, p->files_refused,
                p->measurements, p->duplicates, p->rejected, p->rule_sets, p->token_files);
    if (!p->c->quiet && p->files_copies)
        fprintf(stderr, "wattprint: %lld files not pushed: %s holds their rows already, from "
                        "other bytes (copies, as ingest skips them)\n",
                p->files_copies, p->to_name);
    if (!p->c->quiet && p->relabelled)
        fprintf(stderr, "wattprint: %s: %lld runs labelled again by the changed rules\n",
                p->to_name, p->relabelled);
    return p->failures ? WP_EXIT_FAIL : WP_EXIT_OK;
}

int wp_cmd_push(struct wp_cli *c, int argc, char **argv)
{
    const char *to = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
            to = argv[++i];
        else
            return wp_cli_usage("push", "unexpected argument \"%s\"", argv[i]);
    }
    if (!to)
        return wp_cli_usage("push", "--to URI is required");
    if (!wp_store_is_pg_uri(to))
        return wp_cli_usage("push", "--to takes a postgresql:// URI");
    if (wp_store_is_pg_uri(c->db_path))
        return wp_cli_usage("push", "--db names a server: push copies a SQLite file");
    char to_name[1024];
    wp_store_display_name(to, to_name, sizeof to_name);
    struct push p = {.c = c, .to_name = to_name};
    if (!(p.from = wp_cli_open_store(c)))
        return WP_EXIT_FAIL;
    enum wp_err e = wp_store_open(to, &p.to, &p.d);
    if (e) {
        wp_cli_error(&p.d);
        wp_store_close(p.from);
        return WP_EXIT_FAIL;
    }
    int rc = run_push(&p);
    for (size_t i = 0; i < p.n_pushed; i++)
        free(p.pushed[i]);
    free(p.pushed);
    wp_store_close(p.to);
    wp_store_close(p.from);
    return rc;
}
