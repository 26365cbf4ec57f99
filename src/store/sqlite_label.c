/* SQLite backend, labels: labelling rules, the keys runs are matched on, and setting a
 * run's experiment (model, task, dataset, inferences, batch size). */
#include "store/sqlite_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum wp_err wp_sq_rules_drop_source(struct wp_store *b, long long source_id,
                                   struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_RULES_DEL_SOURCE, d);
    if (!st)
        return WP_ERR_DB;
    sqlite3_bind_int64(st, 1, source_id);
    if (sqlite3_step(st) != SQLITE_DONE)
        return wp_sq_fail(s, d, "replace the command line's labels");
    return WP_OK;
}

enum wp_err wp_sq_rules_put(struct wp_store *b, const char *manifest,
                               const struct wp_label_rule *rules, size_t n,
                               struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st;
    if (manifest) {
        if (!(st = wp_sq_stmt(s, ST_RULES_DEL, d)))
            return WP_ERR_DB;
        wp_sq_text(st, 1, manifest);
        if (sqlite3_step(st) != SQLITE_DONE)
            return wp_sq_fail(s, d, "replace manifest rules");
    }
    for (size_t i = 0; i < n; i++) {
        const struct wp_label_rule *r = &rules[i];
        if (!(st = wp_sq_stmt(s, ST_RULE_NEW, d)))
            return WP_ERR_DB;
        wp_sq_text(st, 1, r->origin);
        wp_sq_text(st, 2, manifest);
        wp_sq_text(st, 3, r->match_project);
        wp_sq_text(st, 4, r->match_experiment);
        wp_sq_text(st, 5, r->match_run);
        wp_sq_text(st, 6, r->match_file);
        wp_sq_int_or_null(st, 7, r->match_source_id);
        wp_sq_text(st, 8, r->model);
        wp_sq_text(st, 9, r->task);
        wp_sq_text(st, 10, r->dataset);
        wp_sq_int_or_null(st, 11, r->inferences);
        wp_sq_int_or_null(st, 12, r->batch_size);
        wp_sq_int_or_null(st, 13, r->parameters);
        wp_sq_real(st, 14, r->training_energy_j);
        if (sqlite3_step(st) != SQLITE_DONE)
            return wp_sq_fail(s, d, "add label rule");
        long long id = sqlite3_last_insert_rowid(s->db);
        for (size_t a = 0; a < r->n_attr; a++) {
            if (!(st = wp_sq_stmt(s, ST_RULE_ATTR_NEW, d)))
                return WP_ERR_DB;
            sqlite3_bind_int64(st, 1, id);
            wp_sq_text(st, 2, r->attr_keys[a]);
            wp_sq_text(st, 3, r->attr_values[a]);
            if (sqlite3_step(st) != SQLITE_DONE)
                return wp_sq_fail(s, d, "add label rule attribute");
        }
    }
    return WP_OK;
}

static const char *text_or_null(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL
                                                     : (const char *)sqlite3_column_text(st, i);
}

/* Reads the attributes of one rule into heap arrays (freed by the caller). */
static enum wp_err rule_attrs(struct wp_sq *s, long long id, struct wp_label_rule *r,
                              char ***keys, char ***vals, struct wp_diag *d)
{
    sqlite3_stmt *st = wp_sq_stmt(s, ST_RULE_ATTRS, d);
    *keys = *vals = NULL;
    if (!st)
        return WP_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            char **k = realloc(*keys, cap * sizeof *k), **v;
            if (!k)
                goto nomem;
            *keys = k;
            if (!(v = realloc(*vals, cap * sizeof *v)))
                goto nomem;
            *vals = v;
        }
        (*keys)[n] = strdup(wp_sq_col_text(st, 0));
        (*vals)[n] = strdup(wp_sq_col_text(st, 1));
        n++;
        if (!(*keys)[n - 1] || !(*vals)[n - 1])
            goto nomem;
    }
    sqlite3_reset(st);
    r->n_attr = n;
    r->attr_keys = (const char *const *)*keys;
    r->attr_values = (const char *const *)*vals;
    return rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, "read rule attributes");
nomem:
    r->n_attr = n;
    sqlite3_reset(st);
    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static void free_attrs(size_t n, char **keys, char **vals)
{
    for (size_t i = 0; i < n; i++) {
        if (keys)
            free(keys[i]);
        if (vals)
            free(vals[i]);
    }
    free(keys);
    free(vals);
}

enum wp_err wp_sq_rules_each(struct wp_store *b,
                                int (*fn)(void *ctx, long long rule_id,
                                          const struct wp_label_rule *r),
                                void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    /* a separate statement: the rule loop reads attributes while it steps */
    sqlite3_stmt *st = wp_sq_stmt(s, ST_RULES_ALL, d);
    if (!st)
        return WP_ERR_DB;
    int rc;
    enum wp_err e = WP_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wp_label_rule r = {0};
        long long id = sqlite3_column_int64(st, 0);
        r.origin = wp_sq_col_text(st, 1);
        r.match_project = text_or_null(st, 2);
        r.match_experiment = text_or_null(st, 3);
        r.match_run = text_or_null(st, 4);
        r.match_file = text_or_null(st, 5);
        r.match_source_id = sqlite3_column_int64(st, 6);
        r.model = text_or_null(st, 7);
        r.task = text_or_null(st, 8);
        r.dataset = text_or_null(st, 9);
        r.inferences = sqlite3_column_int64(st, 10);
        r.batch_size = sqlite3_column_int64(st, 11);
        r.parameters = sqlite3_column_int64(st, 12);
        r.training_energy_j = wp_sq_col_real(st, 13);
        char **keys, **vals;
        if ((e = rule_attrs(s, id, &r, &keys, &vals, d))) {
            free_attrs(r.n_attr, keys, vals);
            break;
        }
        int stop = fn(ctx, id, &r);
        free_attrs(r.n_attr, keys, vals);
        if (stop)
            break;
    }
    if (!e && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = wp_sq_fail(s, d, "read label rules");
    sqlite3_reset(st);
    return e;
}

enum wp_err wp_sq_run_keys_each(struct wp_store *b, long long source_id,
                                   int (*fn)(void *ctx, const struct wp_run_keys *k),
                                   void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, source_id ? ST_KEYS_SOURCE : ST_KEYS_ALL, d);
    if (!st)
        return WP_ERR_DB;
    if (source_id)
        sqlite3_bind_int64(st, 1, source_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wp_run_keys k = {
            .run_id = sqlite3_column_int64(st, 0),
            .project_name = wp_sq_col_text(st, 1),
            .experiment_label = wp_sq_col_text(st, 2),
            .run_label = wp_sq_col_text(st, 3),
            .file_name = wp_sq_col_text(st, 4),
            .source_id = sqlite3_column_int64(st, 5),
        };
        if (fn(ctx, &k))
            break;
    }
    enum wp_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? WP_OK
                                                          : wp_sq_fail(s, d, "read run keys");
    sqlite3_reset(st);
    return e;
}

/* Inserts the name if new and returns its id (0 for a NULL or empty name); the last
 * name of each kind is cached (runs of one file mostly share their labels). */
static enum wp_err name_id(struct wp_sq *s, enum wp_stmt put, enum wp_stmt get,
                           struct dim_cache *c, const char *name, long long *id,
                           struct wp_diag *d)
{
    *id = 0;
    if (!name || !*name)
        return WP_OK;
    if (c->key && strcmp(c->key, name) == 0) {
        *id = c->id;
        return WP_OK;
    }
    sqlite3_stmt *st = wp_sq_stmt(s, put, d);
    if (!st)
        return WP_ERR_DB;
    wp_sq_text(st, 1, name);
    if (sqlite3_step(st) != SQLITE_DONE)
        return wp_sq_fail(s, d, "add name");
    if (!(st = wp_sq_stmt(s, get, d)))
        return WP_ERR_DB;
    wp_sq_text(st, 1, name);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return wp_sq_fail(s, d, "find name");
    char *k = strdup(name);
    if (k) {
        free(c->key);
        c->key = k;
        c->id = *id;
    }
    return WP_OK;
}

static enum wp_err update_model(struct wp_sq *s, long long model, const struct wp_labels *l,
                                struct wp_diag *d)
{
    sqlite3_stmt *st;
    if (l->parameters > 0) {
        if (!(st = wp_sq_stmt(s, ST_MODEL_PARAMS, d)))
            return WP_ERR_DB;
        sqlite3_bind_int64(st, 1, model);
        sqlite3_bind_int64(st, 2, l->parameters);
        if (sqlite3_step(st) != SQLITE_DONE)
            return wp_sq_fail(s, d, "set model parameters");
    }
    if (!isnan(l->training_energy_j)) {
        if (!(st = wp_sq_stmt(s, ST_MODEL_TRAINING, d)))
            return WP_ERR_DB;
        sqlite3_bind_int64(st, 1, model);
        sqlite3_bind_double(st, 2, l->training_energy_j);
        if (sqlite3_step(st) != SQLITE_DONE)
            return wp_sq_fail(s, d, "set model training energy");
    }
    return WP_OK;
}

static enum wp_err experiment_id(struct wp_sq *s, const long long ids[3],
                                 const struct wp_labels *l, long long *exp, struct wp_diag *d)
{
    sqlite3_stmt *st;
    char key[128];
    snprintf(key, sizeof key, "%lld/%lld/%lld/%lld/%lld", ids[0], ids[1], ids[2],
             l->inferences, l->batch_size);
    struct dim_cache *c = &s->names[3];
    if (c->key && strcmp(c->key, key) == 0) {
        *exp = c->id;
        return WP_OK;
    }
    for (int pass = 0; pass < 2; pass++) {
        if (!(st = wp_sq_stmt(s, pass ? ST_EXP_NEW : ST_EXP_GET, d)))
            return WP_ERR_DB;
        for (int i = 0; i < 3; i++)
            wp_sq_int_or_null(st, i + 1, ids[i]);
        wp_sq_int_or_null(st, 4, l->inferences);
        wp_sq_int_or_null(st, 5, l->batch_size);
        int rc = sqlite3_step(st);
        if (pass == 0 && rc == SQLITE_ROW) {
            *exp = sqlite3_column_int64(st, 0);
            sqlite3_reset(st);
            break;
        }
        if (rc != SQLITE_DONE)
            return wp_sq_fail(s, d, "find experiment");
        if (pass == 1)
            *exp = sqlite3_last_insert_rowid(s->db);
    }
    char *k = strdup(key);
    if (k) {
        free(c->key);
        c->key = k;
        c->id = *exp;
    }
    return WP_OK;
}

/* What identifies the side effects of labelling a run: experiment, model figures, attrs. */
static char *side_key(long long exp, long long model, const struct wp_labels *l)
{
    size_t len = 96;
    for (size_t i = 0; i < l->n_attr; i++)
        len += strlen(l->attr_keys[i]) + strlen(l->attr_values[i]) + 2;
    char *k = malloc(len);
    if (!k)
        return NULL;
    int n = snprintf(k, len, "%lld/%lld/%lld/%.17g", exp, model, l->parameters,
                     l->training_energy_j);
    for (size_t i = 0; i < l->n_attr && n > 0 && (size_t)n < len; i++)
        n += snprintf(k + n, len - (size_t)n, "\x1f%s\x1e%s", l->attr_keys[i],
                      l->attr_values[i]);
    return k;
}

enum wp_err wp_sq_label_run(struct wp_store *b, long long run_id, const struct wp_labels *l,
                               struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    long long ids[3], exp = 0;
    enum wp_err e;
    if ((e = name_id(s, ST_MODEL_PUT, ST_MODEL_GET, &s->names[0], l->model, &ids[0], d)) ||
        (e = name_id(s, ST_TASK_PUT, ST_TASK_GET, &s->names[1], l->task, &ids[1], d)) ||
        (e = name_id(s, ST_DATASET_PUT, ST_DATASET_GET, &s->names[2], l->dataset, &ids[2], d)))
        return e;
    bool any = ids[0] || ids[1] || ids[2] || l->inferences || l->batch_size || l->n_attr;
    if (any && (e = experiment_id(s, ids, l, &exp, d)))
        return e;
    /* the model's figures and the experiment's attributes: written once per distinct
     * combination, not once per run */
    char *key = side_key(exp, ids[0], l);
    bool done = key && s->names[4].key && strcmp(key, s->names[4].key) == 0;
    if (done) {
        free(key);
    } else {
        free(s->names[4].key);
        s->names[4].key = key; /* NULL on out-of-memory: simply not cached */
    }
    if (!done && ids[0] && (e = update_model(s, ids[0], l, d)))
        return e;
    sqlite3_stmt *st;
    for (size_t i = 0; !done && exp && i < l->n_attr; i++) {
        if (!(st = wp_sq_stmt(s, ST_EXP_ATTR_PUT, d)))
            return WP_ERR_DB;
        sqlite3_bind_int64(st, 1, exp);
        wp_sq_text(st, 2, l->attr_keys[i]);
        wp_sq_text(st, 3, l->attr_values[i]);
        if (sqlite3_step(st) != SQLITE_DONE)
            return wp_sq_fail(s, d, "set experiment attribute");
    }
    if (!(st = wp_sq_stmt(s, ST_RUN_LABEL, d)))
        return WP_ERR_DB;
    sqlite3_bind_int64(st, 1, run_id);
    wp_sq_int_or_null(st, 2, exp);
    if (sqlite3_step(st) != SQLITE_DONE)
        return wp_sq_fail(s, d, "label run");
    return WP_OK;
}
