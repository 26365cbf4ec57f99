/* The store API's front: chooses the backend once, at open (a postgresql:// or postgres://
 * URI is a PostgreSQL server, anything else a SQLite file), then forwards every call to
 * the backend's table of functions (store/backend.h) or to the domain rules written once
 * over the backends' statements (store_write.c, store_label.c). */
#include "store/backend.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/migrations.h"
#include "store/store_sql.h"
#include "util/array.h"
#include "util/num.h"
#include "util/text.h"

bool wp_store_is_pg_uri(const char *db)
{
    return db && (strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0);
}

/* Appends src[0..n) to out (of `size`, at *len), truncating. */
static void put(char *out, size_t size, size_t *len, const char *src, size_t n)
{
    if (*len + 1 >= size)
        return;
    if (n > size - 1 - *len)
        n = size - 1 - *len;
    memcpy(out + *len, src, n);
    *len += n;
    out[*len] = '\0';
}

/* Percent-decodes p[0..n) into out (n + 1 bytes); a '%' not followed by two hex digits
 * stays as it is (libpq refuses it, quoting the text).  Returns the decoded length. */
static size_t pct_decode(const char *p, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        char hex[3] = {0};
        if (p[i] == '%' && i + 2 < n && isxdigit((unsigned char)p[i + 1]) &&
            isxdigit((unsigned char)p[i + 2])) {
            hex[0] = p[i + 1];
            hex[1] = p[i + 2];
            sscanf(hex, "%x", &v);
            out[k++] = (char)v;
            i += 2;
        } else {
            out[k++] = p[i];
        }
    }
    out[k] = '\0';
    return k;
}

/* Whether a query parameter's name (as written, p[0..n)) names a credential: "password" or
 * "sslpassword" in any case and any percent-encoding ("pass%77ord"). */
static bool is_secret_key(const char *p, size_t n)
{
    char key[64];
    if (n >= sizeof key)
        return false;
    pct_decode(p, n, key);
    for (char *c = key; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return strstr(key, "password") != NULL;
}

/* The parts of a postgresql:// URI, as libpq's parser and a careless user may read it. */
struct uri_parts {
    const char *auth;  /* after "://" */
    size_t auth_len;   /* up to the first '/', '?' or '#' */
    const char *at;    /* the last '@' of the authority: it ends the user information */
    const char *colon; /* the ':' before the password in the user information, or NULL */
};

static void uri_split(const char *db, struct uri_parts *u)
{
    u->auth = strstr(db, "://") + 3;
    u->auth_len = strcspn(u->auth, "/?#");
    u->at = NULL;
    for (const char *p = u->auth; p < u->auth + u->auth_len; p++)
        if (*p == '@')
            u->at = p;
    u->colon = u->at ? memchr(u->auth, ':', (size_t)(u->at - u->auth)) : NULL;
}

/* Calls fn on each host element of the authority's host list ("h1:5432,h2:5433"): its port
 * (after the last ':' outside [...]), or NULL/0 when it has none. */
static void each_port(const char *hosts, size_t n,
                      void (*fn)(void *ctx, const char *elem, size_t elem_len, const char *port,
                                 size_t port_len),
                      void *ctx)
{
    const char *p = hosts, *end = hosts + n;
    while (p <= end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end;
        const char *colon = NULL;
        for (const char *q = p; q < e; q++)
            if (*q == ':' && !memchr(q, ']', (size_t)(e - q)))
                colon = q;
        fn(ctx, p, (size_t)(e - p), colon ? colon + 1 : NULL, colon ? (size_t)(e - colon - 1) : 0);
        if (!comma)
            break;
        p = comma + 1;
    }
}

/* A port that is not a number is shown masked: with no '@', "bob:s3cret" reads as a host and
 * a port, and libpq's message quotes the "port". */
static bool port_is_number(const char *port, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)port[i]))
            return false;
    return true;
}

struct display {
    char *out;
    size_t size, *len;
    bool first; /* no host element written yet */
};

static void put_host(void *ctx, const char *elem, size_t elem_len, const char *port,
                     size_t port_len)
{
    struct display *w = ctx;
    if (!w->first)
        put(w->out, w->size, w->len, ",", 1);
    w->first = false;
    if (port && !port_is_number(port, port_len)) {
        put(w->out, w->size, w->len, elem, (size_t)(port - elem));
        put(w->out, w->size, w->len, "***", 3);
    } else {
        put(w->out, w->size, w->len, elem, elem_len);
    }
}

void wp_store_display_name(const char *db, char *out, size_t size)
{
    size_t len = 0;
    if (!size)
        return;
    out[0] = '\0';
    if (!wp_store_is_pg_uri(db)) {
        put(out, size, &len, db, strlen(db));
        return;
    }
    struct uri_parts u;
    uri_split(db, &u);
    put(out, size, &len, db, (size_t)(u.auth - db));
    const char *hosts = u.auth;
    if (u.at) {
        put(out, size, &len, u.auth, (size_t)((u.colon ? u.colon : u.at) - u.auth));
        if (u.colon)
            put(out, size, &len, ":***", 4);
        put(out, size, &len, "@", 1);
        hosts = u.at + 1;
    }
    struct display w = {out, size, &len, true};
    if (u.auth + u.auth_len > hosts)
        each_port(hosts, (size_t)(u.auth + u.auth_len - hosts), put_host, &w);
    /* the rest: path, then query parameters, where a password in any spelling is masked */
    const char *p = u.auth + u.auth_len;
    size_t path_len = strcspn(p, "?");
    put(out, size, &len, p, path_len);
    p += path_len;
    while (*p) {
        size_t n = strcspn(p + 1, "&") + 1; /* one "?key=value" or "&key=value" */
        const char *eq = memchr(p + 1, '=', n - 1);
        if (eq && is_secret_key(p + 1, (size_t)(eq - p - 1))) {
            put(out, size, &len, p, (size_t)(eq - p + 1));
            put(out, size, &len, "***", 3);
        } else {
            put(out, size, &len, p, n);
        }
        p += n;
    }
}

/* ---- the credentials of a URI, to take out of libpq's messages ------------------------ */

#define MAX_SECRETS 32

struct secrets {
    char *v[MAX_SECRETS];
    size_t n;
};

/* Adds p[0..n) as written and percent-decoded (empty ones are no secret). */
static void secret_add(struct secrets *s, const char *p, size_t n)
{
    if (!n || s->n + 2 > MAX_SECRETS)
        return;
    char *raw = strndup(p, n), *dec = malloc(n + 1);
    if (!raw || !dec) {
        free(raw);
        free(dec);
        return;
    }
    pct_decode(p, n, dec);
    s->v[s->n++] = raw;
    if (*dec && strcmp(dec, raw) != 0)
        s->v[s->n++] = dec;
    else
        free(dec);
}

static void add_port(void *ctx, const char *elem, size_t elem_len, const char *port,
                     size_t port_len)
{
    (void)elem;
    (void)elem_len;
    if (port && !port_is_number(port, port_len))
        secret_add(ctx, port, port_len);
}

static void secrets_of(const char *db, struct secrets *s)
{
    s->n = 0;
    if (!wp_store_is_pg_uri(db))
        return;
    struct uri_parts u;
    uri_split(db, &u);
    if (u.colon)
        secret_add(s, u.colon + 1, (size_t)(u.at - u.colon - 1));
    /* libpq ends the user information at the first '@': "a@b" of "bob:a@b@h" is "a" to it */
    const char *first_at = u.at ? memchr(u.auth, '@', u.auth_len) : NULL;
    if (u.colon && first_at && first_at < u.at && first_at > u.colon)
        secret_add(s, u.colon + 1, (size_t)(first_at - u.colon - 1));
    const char *hosts = u.at ? u.at + 1 : u.auth;
    if (u.auth + u.auth_len > hosts)
        each_port(hosts, (size_t)(u.auth + u.auth_len - hosts), add_port, s);
    const char *q = strchr(u.auth + u.auth_len, '?');
    for (const char *p = q; p && *p;) {
        size_t n = strcspn(p + 1, "&");
        const char *eq = memchr(p + 1, '=', n);
        if (eq && is_secret_key(p + 1, (size_t)(eq - p - 1)))
            secret_add(s, eq + 1, (size_t)(p + 1 + n - eq - 1));
        p += n + 1;
    }
}

static void secrets_free(struct secrets *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    s->n = 0;
}

/* Shorter secrets than this are not cut out of a message (that would mangle its words): a
 * message that quotes one is withheld whole. */
#define MIN_MASKED 4

void wp_store_mask_secrets(const char *db, const char *text, char *out, size_t size)
{
    size_t len = 0;
    if (!size)
        return;
    out[0] = '\0';
    struct secrets s;
    secrets_of(db, &s);
    for (size_t i = 0; i < s.n; i++)
        if (strlen(s.v[i]) < MIN_MASKED && strstr(text, s.v[i])) {
            put(out, size, &len, "(message withheld: it quotes a credential)", 42);
            secrets_free(&s);
            return;
        }
    for (const char *p = text; *p;) {
        size_t hit = 0;
        for (size_t i = 0; i < s.n; i++) { /* the longest secret that starts here */
            size_t n = strlen(s.v[i]);
            if (n > hit && strncmp(p, s.v[i], n) == 0)
                hit = n;
        }
        if (hit) {
            put(out, size, &len, "***", 3);
            p += hit;
        } else {
            put(out, size, &len, p, 1);
            p++;
        }
    }
    secrets_free(&s);
}

enum wp_err wp_store_open(const char *db, struct wp_store **out, struct wp_diag *d)
{
    return wp_store_open_mode(db, WP_STORE_CREATE, out, d);
}

enum wp_err wp_store_open_mode(const char *db, enum wp_store_mode mode, struct wp_store **out,
                               struct wp_diag *d)
{
    return wp_store_is_pg_uri(db) ? wp_pg_open(db, out, d) : wp_sq_open(db, mode, out, d);
}

void wp_store_close(struct wp_store *s)
{
    if (!s)
        return;
    wp_store_cache_forget(s);
    s->ops->close(s);
}

const char *wp_store_backend(const struct wp_store *s)
{
    return s->ops->name;
}

int wp_store_schema_version(const struct wp_store *s)
{
    return s->version;
}

int wp_store_version_at_open(const struct wp_store *s)
{
    return s->version_at_open;
}

int wp_store_latest_version(void)
{
    return wp_n_migrations ? wp_migrations[wp_n_migrations - 1].version : 0;
}

enum wp_err wp_store_begin(struct wp_store *s, struct wp_diag *d)
{
    return s->ops->begin(s, d);
}

enum wp_err wp_store_commit(struct wp_store *s, struct wp_diag *d)
{
    /* the run labeller's labels commit with what explains them (store.h) */
    const struct wp_run_labeller l = s->labeller;
    enum wp_err e = WP_OK;
    if (l.before_commit && !(e = wp_store_flush(s, d)))
        e = l.before_commit(l.ctx, s, d);
    if (!e)
        e = s->ops->commit(s, d);
    if (e) /* what it wrote is gone, and with it the rows the cache names */
        wp_store_cache_forget(s);
    wp_store_w_label_settled(s, e == WP_OK);
    return e;
}

void wp_store_rollback(struct wp_store *s)
{
    s->ops->rollback(s);
    /* remembered ids may name rows that the rollback removed */
    wp_store_cache_forget(s);
    wp_store_w_label_settled(s, false);
}

/* ---- text that enters the database is UTF-8 ------------------------------------------ */

/* s as the database keeps it: itself when it is UTF-8 (or NULL), else a copy with the bytes
 * that are not UTF-8 escaped as \xHH, in *tmp for the caller to free.  Done here, once, for
 * file names and labels, so that no output (PDF, xlsx XML, JSON, cards) meets bytes it
 * cannot encode; file contents are converted by the CSV reader.  false on out-of-memory. */
static bool as_stored(const char *s, const char **out, char **tmp)
{
    *tmp = NULL;
    *out = s;
    if (!s || wp_utf8_valid(s, strlen(s)))
        return true;
    *out = *tmp = wp_text_escape_invalid_utf8(s);
    return *tmp != NULL;
}

static enum wp_err nomem(struct wp_diag *d)
{
    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

enum wp_err wp_store_find_prior(struct wp_store *s, const char *path,
                                struct wp_prior_file *out, struct wp_diag *d)
{
    const char *p;
    char *tmp;
    if (!as_stored(path, &p, &tmp))
        return nomem(d);
    enum wp_err e = wp_store_w_find_prior(s, p, out, d);
    free(tmp);
    return e;
}

enum wp_err wp_store_source_drop(struct wp_store *s, const char *path,
                                 long long *measurements, struct wp_diag *d)
{
    const char *p;
    char *tmp;
    if (!as_stored(path, &p, &tmp))
        return nomem(d);
    enum wp_err e = wp_store_w_source_drop(s, p, measurements, d);
    if (!e && *measurements)
        wp_store_w_run_joined(s, 0); /* runs a run labeller kept account of may be gone */
    free(tmp);
    return e;
}

enum wp_err wp_store_has_content(struct wp_store *s, const char *sha256, bool *found,
                                 struct wp_diag *d)
{
    return wp_store_w_has_content(s, sha256, found, d);
}

enum wp_err wp_store_find_rows(struct wp_store *s, const char *rows_sha256,
                               struct wp_rows_copy *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    return wp_store_w_find_rows(s, rows_sha256, out, d);
}

enum wp_err wp_store_head_seen(struct wp_store *s, const char *head_sum, bool *found,
                               struct wp_diag *d)
{
    return wp_store_w_head_seen(s, head_sum, found, d);
}

enum wp_err wp_store_grown_from(struct wp_store *s, const char *head_sum, const char *path,
                                struct wp_grown_from *out, size_t max, size_t *n,
                                struct wp_diag *d)
{
    return wp_store_w_grown_from(s, head_sum, path, out, max, n, d);
}

enum wp_err wp_store_file_seen(struct wp_store *s, const char *sha256, const char *rows,
                               const char *rows_legacy, const char *head_sum,
                               long long rows_count, bool *seen, struct wp_rows_copy *copy,
                               bool *may_have_grown, struct wp_diag *d)
{
    return wp_store_w_file_seen(s, sha256, rows, rows_legacy, head_sum, rows_count, seen, copy,
                                may_have_grown, d);
}

enum wp_err wp_store_source_new(struct wp_store *s, const char *path, const char *name,
                                const char *format, long long *source_id, struct wp_diag *d)
{
    const char *p, *n;
    char *tp, *tn = NULL;
    enum wp_err e = WP_OK;
    if (!as_stored(path, &p, &tp) || !as_stored(name, &n, &tn))
        e = nomem(d);
    if (!e)
        e = wp_store_w_source_new(s, p, n, format, source_id, d);
    free(tp);
    free(tn);
    return e;
}

enum wp_err wp_store_source_finish(struct wp_store *s, long long source_id,
                                   const struct wp_source_done *done, struct wp_diag *d)
{
    enum wp_err e = wp_store_w_source_finish(s, source_id, done, d);
    if (!e && s->labeller.source_done)
        s->labeller.source_done(s->labeller.ctx, source_id);
    return e;
}

enum wp_err wp_store_add_measurement(struct wp_store *s, long long source_id,
                                     const struct wp_measurement *m, const char *group_key,
                                     struct wp_add_result *res, struct wp_diag *d)
{
    return wp_store_w_add_measurement(s, source_id, m, group_key, res, d);
}

enum wp_err wp_store_queue_measurement(struct wp_store *s, long long source_id,
                                       const struct wp_measurement *m, const char *group_key,
                                       void (*done)(void *ctx, const struct wp_queued *q,
                                                    const struct wp_add_result *res),
                                       void *ctx, struct wp_diag *d)
{
    if (s->ops->queue_measurement)
        return s->ops->queue_measurement(s, source_id, m, group_key, done, ctx, d);
    struct wp_add_result res;
    enum wp_err e = wp_store_w_add_measurement(s, source_id, m, group_key, &res, d);
    if (!e) {
        struct wp_queued q = {m->line, m->run_label, m->phase, m->energy_j};
        done(ctx, &q, &res);
    }
    return e;
}

enum wp_err wp_store_flush(struct wp_store *s, struct wp_diag *d)
{
    return s->ops->flush ? s->ops->flush(s, d) : WP_OK;
}

enum wp_err wp_store_add_rejected(struct wp_store *s, long long source_id, long line,
                                  long col, const char *reason, const char *text,
                                  struct wp_diag *d)
{
    return wp_store_w_add_rejected(s, source_id, line, col, reason, text, d);
}

/* A rule's texts but its attributes, in place. */
#define RULE_TEXTS 8
static void rule_texts(struct wp_label_rule *r, const char **t[RULE_TEXTS])
{
    const char **all[RULE_TEXTS] = {&r->origin, &r->match_project, &r->match_experiment,
                                    &r->match_run, &r->match_file, &r->model, &r->task,
                                    &r->dataset};
    memcpy(t, all, sizeof all);
}

static bool text_is_utf8(const char *t)
{
    return !t || wp_utf8_valid(t, strlen(t));
}

static bool rule_is_utf8(const struct wp_label_rule *r)
{
    struct wp_label_rule c = *r;
    const char **t[RULE_TEXTS];
    rule_texts(&c, t);
    for (size_t i = 0; i < RULE_TEXTS; i++)
        if (!text_is_utf8(*t[i]))
            return false;
    for (size_t i = 0; i < r->n_attr; i++)
        if (!text_is_utf8(r->attr_keys[i]) || !text_is_utf8(r->attr_values[i]))
            return false;
    return true;
}

/* Rules as the store keeps them, their bytes that are not UTF-8 escaped as \xHH (a
 * manifest's path in its rules' origin, labels from the command line), as every stored
 * name is: rules themselves when none has such bytes, else x's copy (free_escaped). */
struct escaped {
    struct wp_label_rule *rules;
    const char **attrs;
    char **texts; /* the escaped texts */
    size_t n_texts;
};

static void free_escaped(struct escaped *x)
{
    for (size_t i = 0; i < x->n_texts; i++)
        free(x->texts[i]);
    free(x->texts);
    free(x->attrs);
    free(x->rules);
}

static bool escape_rules(const struct wp_label_rule *rules, size_t n,
                         const struct wp_label_rule **out, struct escaped *x)
{
    *x = (struct escaped){0};
    *out = rules;
    size_t n_attr = 0;
    bool all = true;
    for (size_t i = 0; i < n; i++) {
        all &= rule_is_utf8(&rules[i]);
        n_attr += 2 * rules[i].n_attr;
    }
    if (all)
        return true;
    x->rules = malloc(n * sizeof *x->rules);
    x->texts = calloc(n * RULE_TEXTS + n_attr, sizeof *x->texts);
    x->attrs = malloc((n_attr ? n_attr : 1) * sizeof *x->attrs);
    if (!x->rules || !x->texts || !x->attrs)
        return false;
    const char **attr = x->attrs;
    for (size_t i = 0; i < n; i++) {
        struct wp_label_rule *r = &x->rules[i];
        *r = rules[i];
        const char **t[RULE_TEXTS];
        rule_texts(r, t);
        const char **keys = attr, **values = attr + r->n_attr;
        memcpy(keys, r->attr_keys, r->n_attr * sizeof *keys);
        memcpy(values, r->attr_values, r->n_attr * sizeof *values);
        attr += 2 * r->n_attr;
        r->attr_keys = keys;
        r->attr_values = values;
        for (size_t j = 0; j < RULE_TEXTS + 2 * r->n_attr; j++) {
            const char **p = j < RULE_TEXTS ? t[j] : &keys[j - RULE_TEXTS];
            char *tmp;
            if (!as_stored(*p, p, &tmp))
                return false;
            if (tmp)
                x->texts[x->n_texts++] = tmp;
        }
    }
    *out = x->rules;
    return true;
}

enum wp_err wp_store_rules_put(struct wp_store *s, const char *manifest,
                               const struct wp_label_rule *rules, size_t n,
                               struct wp_diag *d)
{
    const char *m;
    char *tmp;
    const struct wp_label_rule *v;
    struct escaped x;
    if (!escape_rules(rules, n, &v, &x) || !as_stored(manifest, &m, &tmp)) {
        free_escaped(&x);
        return nomem(d);
    }
    enum wp_err e = wp_store_w_rules_put(s, m, v, n, d);
    free(tmp);
    free_escaped(&x);
    return e;
}

enum wp_err wp_store_rules_drop_source(struct wp_store *s, long long source_id,
                                       struct wp_diag *d)
{
    return wp_store_w_rules_drop_source(s, source_id, d);
}

enum wp_err wp_store_rules_each(struct wp_store *s,
                                int (*fn)(void *ctx, long long rule_id,
                                          const struct wp_label_rule *r),
                                void *ctx, struct wp_diag *d)
{
    const char *hide;
    char *tmp;
    if (!as_stored(s->labeller.hide_manifest, &hide, &tmp))
        return nomem(d);
    enum wp_err e = wp_store_w_rules_each(s, hide, s->labeller.hide_with, fn, ctx, d);
    free(tmp);
    return e;
}

/* A manifest's path as its rules store it (as_stored); a manifest must be named. */
static enum wp_err manifest_as_stored(const char *manifest, const char **out, char **tmp,
                                      struct wp_diag *d)
{
    *tmp = NULL;
    if (!manifest)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "no manifest");
    return as_stored(manifest, out, tmp) ? WP_OK : nomem(d);
}

enum wp_err wp_store_rules_save(struct wp_store *s, const char *manifest,
                                struct wp_rules_saved **out, struct wp_diag *d)
{
    const char *m;
    char *tmp;
    *out = NULL;
    enum wp_err e = manifest_as_stored(manifest, &m, &tmp, d);
    if (e)
        return e;
    e = wp_store_w_rules_save(s, m, out, d);
    free(tmp);
    return e;
}

enum wp_err wp_store_rules_restore(struct wp_store *s, const char *manifest,
                                   const struct wp_rules_saved *r, struct wp_diag *d)
{
    const char *m;
    char *tmp;
    enum wp_err e = manifest_as_stored(manifest, &m, &tmp, d);
    if (e)
        return e;
    e = wp_store_w_rules_restore(s, m, r, d);
    free(tmp);
    return e;
}

enum wp_err wp_store_run_keys_each(struct wp_store *s, long long source_id,
                                   int (*fn)(void *ctx, const struct wp_run_keys *k),
                                   void *ctx, struct wp_diag *d)
{
    return wp_store_w_run_keys_each(s, source_id, fn, ctx, d);
}

/* Labels with their names as stored (invalid UTF-8 escaped): wp_store_w_label_run for
 * run_id, or only their effects (wp_store_w_label_effects). */
static enum wp_err label_stored(struct wp_store *s, bool effects_only, long long run_id,
                                const struct wp_labels *l, struct wp_diag *d)
{
    struct wp_labels v = *l;
    char *t[3] = {NULL, NULL, NULL};
    enum wp_err e = WP_OK;
    if (!as_stored(l->model, &v.model, &t[0]) || !as_stored(l->task, &v.task, &t[1]) ||
        !as_stored(l->dataset, &v.dataset, &t[2]))
        e = nomem(d);
    if (!e)
        e = effects_only ? wp_store_w_label_effects(s, &v, d)
                         : wp_store_w_label_run(s, run_id, &v, d);
    for (int i = 0; i < 3; i++)
        free(t[i]);
    return e;
}

enum wp_err wp_store_label_run(struct wp_store *s, long long run_id, const struct wp_labels *l,
                               struct wp_diag *d)
{
    return label_stored(s, false, run_id, l, d);
}

enum wp_err wp_store_label_effects(struct wp_store *s, const struct wp_labels *l,
                                   struct wp_diag *d)
{
    return label_stored(s, true, 0, l, d);
}

enum wp_err wp_store_label_many(struct wp_store *s, bool start, struct wp_diag *d)
{
    if (!s->ops->label_many)
        return WP_OK;
    long long runs = 0;
    enum wp_err e = start ? wp_store_run_max(s, &runs, d) : WP_OK;
    return e ? e : s->ops->label_many(s, start, runs, d);
}

bool wp_store_label_in_pieces(const struct wp_store *s)
{
    return s->ops->label_many != NULL;
}

enum wp_err wp_store_tokens_put(struct wp_store *s, const char *source_path,
                                const struct wp_token_count *v, size_t n, struct wp_diag *d)
{
    const char *p;
    char *tmp;
    if (!as_stored(source_path, &p, &tmp))
        return nomem(d);
    enum wp_err e = wp_store_w_tokens_put(s, p, v, n, d);
    free(tmp);
    return e;
}

enum wp_err wp_store_each_token_count(struct wp_store *s,
                                      int (*fn)(void *ctx, const struct wp_token_count *c,
                                                bool has_experiment),
                                      void *ctx, struct wp_diag *d)
{
    return wp_store_w_each_token_count(s, fn, ctx, d);
}

enum wp_err wp_store_each_run(struct wp_store *s, const struct wp_run_filter *f,
                              int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx,
                              struct wp_diag *d)
{
    return wp_store_r_each_run(s, f, fn, ctx, d);
}

enum wp_err wp_store_each_run_value(struct wp_store *s, const char *phase, bool energy_only,
                                    int (*fn)(void *ctx, const struct wp_run_value_row *r),
                                    void *ctx, struct wp_diag *d)
{
    return wp_store_r_each_run_value(s, phase, energy_only, fn, ctx, d);
}

enum wp_err wp_store_each_experiment(struct wp_store *s,
                                     int (*fn)(void *ctx, const struct wp_experiment_row *r),
                                     void *ctx, struct wp_diag *d)
{
    return wp_store_r_each_experiment(s, fn, ctx, d);
}

enum wp_err wp_store_each_experiment_attr(struct wp_store *s, const char *key,
                                          int (*fn)(void *ctx, long long experiment_id,
                                                    const char *value),
                                          void *ctx, struct wp_diag *d)
{
    return wp_store_r_each_experiment_attr(s, key, fn, ctx, d);
}

/* The statement of each kind of label list (store_sql.h). */
static const enum wp_q label_q[] = {
    [WP_LABEL_TASK] = Q_LABELS_TASK,
    [WP_LABEL_MODEL] = Q_LABELS_MODEL,
    [WP_LABEL_DATASET] = Q_LABELS_DATASET,
    [WP_LABEL_PHASE] = Q_LABELS_PHASE,
    [WP_LABEL_ATTR_KEY] = Q_LABELS_ATTR_KEY,
};

struct label_values {
    const char *key;
    int (*fn)(void *ctx, const char *value);
    void *ctx;
    char **seen; /* the values of the key, sorted and distinct */
    size_t n, cap;
    bool oom;
};

static int collect_value(void *ctx, long long experiment_id, const char *value)
{
    (void)experiment_id;
    struct label_values *v = ctx;
    if (!*value)
        return 0;
    if (WP_ARRAY_GROW(v->seen, v->n + 1, v->cap)) {
        v->oom = true;
        return 1;
    }
    if (!(v->seen[v->n] = strdup(value))) {
        v->oom = true;
        return 1;
    }
    v->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

enum wp_err wp_store_each_label(struct wp_store *s, enum wp_label_kind kind, const char *key,
                                int (*fn)(void *ctx, const char *value), void *ctx,
                                struct wp_diag *d)
{
    if (kind != WP_LABEL_ATTR_VALUE)
        return wp_store_r_each_text(s, label_q[kind], fn, ctx, d);
    /* a key's values through the experiment attributes: sorted and made distinct here */
    struct label_values v = {.key = key, .fn = fn, .ctx = ctx};
    enum wp_err e = wp_store_r_each_experiment_attr(s, key, collect_value, &v, d);
    if (!e && v.oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e && v.n)
        qsort(v.seen, v.n, sizeof *v.seen, cmp_str);
    for (size_t i = 0; !e && i < v.n; i++)
        if ((i == 0 || strcmp(v.seen[i], v.seen[i - 1]) != 0) && fn(ctx, v.seen[i]))
            break;
    for (size_t i = 0; i < v.n; i++)
        free(v.seen[i]);
    free(v.seen);
    return e;
}

/* A number of the summary's text, NAN when empty. */
static double basis_num(const char *s)
{
    double v;
    return *s && wp_parse_num(s, &v) == WP_NUM_OK ? v : NAN;
}

static int cmp_id(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

struct basis_ctx {
    struct wp_basis_summary *out;
    const long long *run_ids; /* ascending; NULL = every run */
    size_t n_run_ids;
    const char *phase;        /* NULL = every phase */
};

static int add_basis(void *ctx, const char *value)
{
    struct basis_ctx *bc = ctx;
    struct wp_basis_summary *out = bc->out;
    char buf[512], *f[8];
    snprintf(buf, sizeof buf, "%s", value);
    char *p = buf;
    for (int i = 0; i < 8; i++) {
        f[i] = p;
        if (i == 7)
            break; /* the phase: the rest, '|' and all */
        p = strchr(p, '|');
        if (!p)
            return 0; /* not ours: cannot happen with basis_sql */
        *p++ = '\0';
    }
    int c = atoi(f[0]), k = wp_basis_kind(f[2]);
    if (c < 0 || c >= WP_N_COMP)
        return 0;
    long long run = atoll(f[1]);
    if (bc->run_ids && !bsearch(&run, bc->run_ids, bc->n_run_ids, sizeof run, cmp_id))
        return 0;
    if (bc->phase && strcmp(bc->phase, f[7]) != 0)
        return 0;
    out->n[c][k] += atoll(f[3]);
    double lo = basis_num(f[4]), hi = basis_num(f[5]), g = basis_num(f[6]);
    /* fmin/fmax keep the number over NAN: an unknown mark gathers several rows */
    out->power_lo_w[c][k] = fmin(out->power_lo_w[c][k], lo);
    out->power_hi_w[c][k] = fmax(out->power_hi_w[c][k], hi);
    out->gpus_max[c][k] = fmax(out->gpus_max[c][k], g);
    return 0;
}

enum wp_err wp_store_basis_summary(struct wp_store *s, const long long *run_ids,
                                   size_t n_run_ids, const char *phase,
                                   struct wp_basis_summary *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    for (int c = 0; c < WP_N_COMP; c++)
        for (int k = 0; k < WP_N_BK; k++)
            out->power_lo_w[c][k] = out->power_hi_w[c][k] = out->gpus_max[c][k] = NAN;
    struct basis_ctx bc = {out, run_ids, n_run_ids, phase};
    return wp_store_r_each_text(s, Q_BASIS, add_basis, &bc, d);
}

enum wp_err wp_store_each_hardware(struct wp_store *s,
                                   int (*fn)(void *ctx, const struct wp_hardware_row *r),
                                   void *ctx, struct wp_diag *d)
{
    return wp_store_r_each_hardware(s, fn, ctx, d);
}

enum wp_err wp_store_each_rejected(struct wp_store *s,
                                   int (*fn)(void *ctx, const struct wp_rejected_row *r),
                                   void *ctx, struct wp_diag *d)
{
    return wp_store_r_each_rejected(s, fn, ctx, d);
}

enum wp_err wp_store_each_source(struct wp_store *s,
                                 int (*fn)(void *ctx, const struct wp_source_row *r),
                                 void *ctx, struct wp_diag *d)
{
    return wp_store_r_each_source(s, fn, ctx, d);
}

enum wp_err wp_store_each_model_source(struct wp_store *s, const struct wp_run_filter *f,
                                       int (*fn)(void *ctx, const char *model,
                                                 const struct wp_source_row *r),
                                       void *ctx, struct wp_diag *d)
{
    return wp_store_r_each_model_source(s, f, fn, ctx, d);
}

enum wp_err wp_store_counts(struct wp_store *s, struct wp_store_counts *out, struct wp_diag *d)
{
    return wp_store_r_counts(s, out, d);
}

/* ---- copying ------------------------------------------------------------------------- */

static enum wp_err unsupported(const struct wp_store *s, const char *what, struct wp_diag *d)
{
    return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "a %s store cannot %s", s->ops->name,
                       what);
}

#define WP_FORWARD(op, what, ...) \
    (s->ops->op ? s->ops->op(s, __VA_ARGS__) : unsupported(s, what, d))

enum wp_err wp_store_export_sources(struct wp_store *s,
                                    int (*fn)(void *ctx, const struct wp_export_source *r),
                                    void *ctx, struct wp_diag *d)
{
    return WP_FORWARD(export_sources, "be pushed from", fn, ctx, d);
}

enum wp_err wp_store_export_versions(struct wp_store *s, long long source_id,
                                     int (*fn)(void *ctx, const struct wp_file_version *v),
                                     void *ctx, struct wp_diag *d)
{
    return WP_FORWARD(export_versions, "be pushed from", source_id, fn, ctx, d);
}

enum wp_err wp_store_export_measurements(struct wp_store *s, long long source_id,
                                         int (*fn)(void *ctx, long long run_id,
                                                   const char *run_uid,
                                                   const struct wp_measurement *m),
                                         void *ctx, struct wp_diag *d)
{
    return WP_FORWARD(export_measurements, "be pushed from", source_id, fn, ctx, d);
}

enum wp_err wp_store_export_rejected(struct wp_store *s, long long source_id,
                                     int (*fn)(void *ctx, const struct wp_rejected_row *r),
                                     void *ctx, struct wp_diag *d)
{
    return WP_FORWARD(export_rejected, "be pushed from", source_id, fn, ctx, d);
}

enum wp_err wp_store_export_run_labels(struct wp_store *s, long long run_id,
                                       int (*fn)(void *ctx, const struct wp_labels *l),
                                       void *ctx, struct wp_diag *d)
{
    return WP_FORWARD(export_run_labels, "be pushed from", run_id, fn, ctx, d);
}

enum wp_err wp_store_export_rules(struct wp_store *s,
                                  int (*fn)(void *ctx, const char *manifest,
                                            const struct wp_label_rule *rules,
                                            const char *const *paths, size_t n),
                                  void *ctx, struct wp_diag *d)
{
    return WP_FORWARD(export_rules, "be pushed from", fn, ctx, d);
}

enum wp_err wp_store_import_source(struct wp_store *s, const struct wp_export_source *src,
                                   long long *id, struct wp_diag *d)
{
    return s->ops->importable ? wp_store_w_import_source(s, src, id, d)
                              : unsupported(s, "be pushed to", d);
}

enum wp_err wp_store_import_version(struct wp_store *s, long long source_id,
                                    const struct wp_file_version *v, struct wp_diag *d)
{
    return s->ops->importable ? wp_store_w_import_version(s, source_id, v, d)
                              : unsupported(s, "be pushed to", d);
}

/* ---- configuration extras -------------------------------------------------------------
 * One text column per row (Q_RUN_EXTRA): "RUN PHASELEN KEYLEN PHASEKEYVALUE". */
struct run_extra_scan {
    int (*fn)(void *ctx, long long run_id, const char *phase, const char *key,
              const char *value);
    void *ctx;
    bool bad, oom;
};

/* The byte length of the first n UTF-8 characters of s (at most its length). */
static size_t utf8_bytes(const char *s, long n)
{
    size_t i = 0;
    for (; s[i] && n > 0; n--) {
        i++;
        while ((s[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

static int on_run_extra(void *ctx, const char *row)
{
    struct run_extra_scan *c = ctx;
    char *end;
    long long run = strtoll(row, &end, 10);
    long phase_len = *end == ' ' ? strtol(end + 1, &end, 10) : -1;
    long key_len = *end == ' ' ? strtol(end + 1, &end, 10) : -1;
    if (phase_len < 0 || key_len < 0 || *end != ' ') {
        c->bad = true;
        return 1;
    }
    const char *p = end + 1;
    size_t pb = utf8_bytes(p, phase_len), kb = utf8_bytes(p + pb, key_len);
    char *buf = malloc(pb + kb + 2);
    if (!buf) {
        c->oom = true;
        return 1;
    }
    memcpy(buf, p, pb);
    buf[pb] = '\0';
    memcpy(buf + pb + 1, p + pb, kb);
    buf[pb + 1 + kb] = '\0';
    int stop = c->fn(c->ctx, run, buf, buf + pb + 1, p + pb + kb);
    free(buf);
    return stop;
}

enum wp_err wp_store_each_run_extra(struct wp_store *s,
                                    int (*fn)(void *ctx, long long run_id, const char *phase,
                                              const char *key, const char *value),
                                    void *ctx, struct wp_diag *d)
{
    struct run_extra_scan c = {.fn = fn, .ctx = ctx};
    enum wp_err e = wp_store_r_each_text(s, Q_RUN_EXTRA, on_run_extra, &c, d);
    if (!e && c.oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e && c.bad)
        e = wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "a run's extra columns read back malformed");
    return e;
}

/* ---- run windows ----------------------------------------------------------------------
 * One text column per measurement: "RUN HW IDLE DUR E CPU GPU RAM PHASELEN PHASESTARTED",
 * numbers as text ('-' unknown), the phase's length in characters so that neither it nor
 * the start time (which may hold a space) can clash with a separator (Q_RUN_WINDOW). */
static int on_count(void *ctx, const char *row)
{
    *(long long *)ctx = strtoll(row, NULL, 10);
    return 0;
}

enum wp_err wp_store_count_idle(struct wp_store *s, long long *n, struct wp_diag *d)
{
    *n = 0;
    return wp_store_r_each_text(s, Q_COUNT_IDLE, on_count, n, d);
}

struct idle_ids {
    long long *v;
    size_t n, cap;
    bool oom;
};

static int on_idle_id(void *ctx, const char *row)
{
    struct idle_ids *x = ctx;
    if (WP_ARRAY_GROW(x->v, x->n + 1, x->cap)) {
        x->oom = true;
        return 1;
    }
    x->v[x->n++] = strtoll(row, NULL, 10);
    return 0;
}

enum wp_err wp_store_idle_experiments(struct wp_store *s, long long **ids, size_t *n,
                                      struct wp_diag *d)
{
    struct idle_ids x = {0};
    enum wp_err e = wp_store_r_each_text(s, Q_IDLE_EXPERIMENTS, on_idle_id, &x, d);
    if (!e && x.oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (e) {
        free(x.v);
        x.v = NULL;
        x.n = 0;
    }
    *ids = x.v;
    *n = x.n;
    return e;
}

struct run_window_scan {
    int (*fn)(void *ctx, const struct wp_run_window_row *r);
    void *ctx;
    bool bad, oom;
};

/* A number as the SQL text wrote it, '-' for NULL; false when it is neither. */
static bool window_num(const char **p, double *out)
{
    char *end;
    if ((*p)[0] == '-' && (*p)[1] == ' ') {
        *out = NAN;
        *p += 2;
        return true;
    }
    *out = strtod(*p, &end);
    if (end == *p || *end != ' ')
        return false;
    *p = end + 1;
    return true;
}

static int on_run_window(void *ctx, const char *row)
{
    struct run_window_scan *c = ctx;
    struct wp_run_window_row w = {0};
    char *end;
    w.run_id = strtoll(row, &end, 10);
    w.hardware_id = *end == ' ' ? strtoll(end + 1, &end, 10) : -1;
    if (end[0] != ' ' || (end[1] != '0' && end[1] != '1') || end[2] != ' ') {
        c->bad = true;
        return 1;
    }
    w.is_idle = end[1] == '1';
    const char *p = end + 3;
    double *num[5] = {&w.duration_s, &w.energy_j, &w.cpu_energy_j, &w.gpu_energy_j,
                      &w.ram_energy_j};
    for (int i = 0; i < 5; i++)
        if (!window_num(&p, num[i])) {
            c->bad = true;
            return 1;
        }
    long phase_len = strtol(p, &end, 10);
    if (end == p || *end != ' ' || phase_len < 0) {
        c->bad = true;
        return 1;
    }
    p = end + 1;
    size_t pb = utf8_bytes(p, phase_len);
    char *phase = malloc(pb + 1);
    if (!phase) {
        c->oom = true;
        return 1;
    }
    memcpy(phase, p, pb);
    phase[pb] = '\0';
    w.phase = phase;
    w.started_at = p + pb;
    int stop = c->fn(c->ctx, &w);
    free(phase);
    return stop;
}

enum wp_err wp_store_each_run_window(struct wp_store *s,
                                     int (*fn)(void *ctx, const struct wp_run_window_row *r),
                                     void *ctx, struct wp_diag *d)
{
    struct run_window_scan c = {.fn = fn, .ctx = ctx};
    enum wp_err e = wp_store_r_each_text(s, Q_RUN_WINDOW, on_run_window, &c, d);
    if (!e && c.oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e && c.bad)
        e = wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "a run's time window read back malformed");
    return e;
}
