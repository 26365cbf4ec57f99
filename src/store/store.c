/* The store API's front: chooses the backend once, at open (a postgresql:// or postgres://
 * URI is a PostgreSQL server, anything else a SQLite file), then forwards every call to
 * the backend's table of functions (store/backend.h).  No SQL here. */
#include "store/backend.h"

#include <stdio.h>
#include <string.h>

#include "store/migrations.h"

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
    const char *auth = strstr(db, "://") + 3;
    size_t auth_len = strcspn(auth, "/?#");
    const char *at = NULL;
    for (const char *p = auth; p < auth + auth_len; p++)
        if (*p == '@')
            at = p; /* the last '@' ends the user information */
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    put(out, size, &len, db, (size_t)(auth - db));
    if (colon) {
        put(out, size, &len, auth, (size_t)(colon - auth));
        put(out, size, &len, ":***", 4);
        put(out, size, &len, at, auth_len - (size_t)(at - auth));
    } else {
        put(out, size, &len, auth, auth_len);
    }
    /* the rest: path, then query parameters, where password=... is masked too */
    const char *p = auth + auth_len;
    size_t path_len = strcspn(p, "?");
    put(out, size, &len, p, path_len);
    p += path_len;
    while (*p) {
        size_t n = strcspn(p + 1, "&") + 1; /* one "?key=value" or "&key=value" */
        if (strncmp(p + 1, "password=", 9) == 0) {
            put(out, size, &len, p, 10);
            put(out, size, &len, "***", 3);
        } else {
            put(out, size, &len, p, n);
        }
        p += n;
    }
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
    if (s)
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
    return s->ops->commit(s, d);
}

void wp_store_rollback(struct wp_store *s)
{
    s->ops->rollback(s);
}

enum wp_err wp_store_find_prior(struct wp_store *s, const char *path,
                                struct wp_prior_file *out, struct wp_diag *d)
{
    return s->ops->find_prior(s, path, out, d);
}

enum wp_err wp_store_source_drop(struct wp_store *s, const char *path,
                                 long long *measurements, struct wp_diag *d)
{
    return s->ops->source_drop(s, path, measurements, d);
}

enum wp_err wp_store_has_content(struct wp_store *s, const char *sha256, bool *found,
                                 struct wp_diag *d)
{
    return s->ops->has_content(s, sha256, found, d);
}

enum wp_err wp_store_source_new(struct wp_store *s, const char *path, const char *name,
                                const char *format, long long *source_id, struct wp_diag *d)
{
    return s->ops->source_new(s, path, name, format, source_id, d);
}

enum wp_err wp_store_source_finish(struct wp_store *s, long long source_id,
                                   const struct wp_source_done *done, struct wp_diag *d)
{
    return s->ops->source_finish(s, source_id, done, d);
}

enum wp_err wp_store_add_measurement(struct wp_store *s, long long source_id,
                                     const struct wp_measurement *m, const char *group_key,
                                     struct wp_add_result *res, struct wp_diag *d)
{
    return s->ops->add_measurement(s, source_id, m, group_key, res, d);
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
    enum wp_err e = s->ops->add_measurement(s, source_id, m, group_key, &res, d);
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
    return s->ops->add_rejected(s, source_id, line, col, reason, text, d);
}

enum wp_err wp_store_rules_put(struct wp_store *s, const char *manifest,
                               const struct wp_label_rule *rules, size_t n,
                               struct wp_diag *d)
{
    return s->ops->rules_put(s, manifest, rules, n, d);
}

enum wp_err wp_store_rules_each(struct wp_store *s,
                                int (*fn)(void *ctx, long long rule_id,
                                          const struct wp_label_rule *r),
                                void *ctx, struct wp_diag *d)
{
    return s->ops->rules_each(s, fn, ctx, d);
}

enum wp_err wp_store_run_keys_each(struct wp_store *s, long long source_id,
                                   int (*fn)(void *ctx, const struct wp_run_keys *k),
                                   void *ctx, struct wp_diag *d)
{
    return s->ops->run_keys_each(s, source_id, fn, ctx, d);
}

enum wp_err wp_store_label_run(struct wp_store *s, long long run_id, const struct wp_labels *l,
                               struct wp_diag *d)
{
    return s->ops->label_run(s, run_id, l, d);
}

enum wp_err wp_store_tokens_put(struct wp_store *s, const char *source_path,
                                const struct wp_token_count *v, size_t n, struct wp_diag *d)
{
    return s->ops->tokens_put(s, source_path, v, n, d);
}

enum wp_err wp_store_each_token_count(struct wp_store *s,
                                      int (*fn)(void *ctx, const struct wp_token_count *c,
                                                bool has_experiment),
                                      void *ctx, struct wp_diag *d)
{
    return s->ops->each_token_count(s, fn, ctx, d);
}

enum wp_err wp_store_each_run(struct wp_store *s, const struct wp_run_filter *f,
                              int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx,
                              struct wp_diag *d)
{
    return s->ops->each_run(s, f, fn, ctx, d);
}

enum wp_err wp_store_each_run_value(struct wp_store *s, const char *phase, bool energy_only,
                                    int (*fn)(void *ctx, const struct wp_run_value_row *r),
                                    void *ctx, struct wp_diag *d)
{
    return s->ops->each_run_value(s, phase, energy_only, fn, ctx, d);
}

enum wp_err wp_store_each_experiment(struct wp_store *s,
                                     int (*fn)(void *ctx, const struct wp_experiment_row *r),
                                     void *ctx, struct wp_diag *d)
{
    return s->ops->each_experiment(s, fn, ctx, d);
}

enum wp_err wp_store_each_experiment_attr(struct wp_store *s, const char *key,
                                          int (*fn)(void *ctx, long long experiment_id,
                                                    const char *value),
                                          void *ctx, struct wp_diag *d)
{
    return s->ops->each_experiment_attr(s, key, fn, ctx, d);
}

enum wp_err wp_store_each_hardware(struct wp_store *s,
                                   int (*fn)(void *ctx, const struct wp_hardware_row *r),
                                   void *ctx, struct wp_diag *d)
{
    return s->ops->each_hardware(s, fn, ctx, d);
}

enum wp_err wp_store_each_rejected(struct wp_store *s,
                                   int (*fn)(void *ctx, const struct wp_rejected_row *r),
                                   void *ctx, struct wp_diag *d)
{
    return s->ops->each_rejected(s, fn, ctx, d);
}

enum wp_err wp_store_each_source(struct wp_store *s,
                                 int (*fn)(void *ctx, const struct wp_source_row *r),
                                 void *ctx, struct wp_diag *d)
{
    return s->ops->each_source(s, fn, ctx, d);
}

enum wp_err wp_store_each_model_source(struct wp_store *s, const struct wp_run_filter *f,
                                       int (*fn)(void *ctx, const char *model,
                                                 const struct wp_source_row *r),
                                       void *ctx, struct wp_diag *d)
{
    return s->ops->each_model_source(s, f, fn, ctx, d);
}

enum wp_err wp_store_counts(struct wp_store *s, struct wp_store_counts *out, struct wp_diag *d)
{
    return s->ops->counts(s, out, d);
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
    return WP_FORWARD(import_source, "be pushed to", src, id, d);
}

enum wp_err wp_store_import_version(struct wp_store *s, long long source_id,
                                    const struct wp_file_version *v, struct wp_diag *d)
{
    return WP_FORWARD(import_version, "be pushed to", source_id, v, d);
}
