/* PostgreSQL backend, writes: source files and their versions, measurements with their run
 * and dimension rows, rejected lines, labelling rules, labels and token counts.  The same
 * steps as the SQLite backend (sqlite_ingest.c, sqlite_label.c, sqlite_tokens.c), one
 * prepared statement per step with every value a bound parameter. */
#include "store/pg_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/units.h"

static void utc_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Runs an INSERT ... RETURNING id and reads the id. */
static enum wp_err insert_id(struct wp_pg *s, enum wp_pq_stmt which,
                             const struct wp_pq_args *a, long long *id, const char *what,
                             struct wp_diag *d)
{
    PGresult *r = wp_pq_run(s, which, a, what, d);
    if (!r)
        return s->err;
    *id = PQntuples(r) ? wp_pq_col_int(r, 0, 0) : 0;
    PQclear(r);
    return WP_OK;
}

enum wp_err wp_pg_find_prior(struct wp_store *b, const char *path, struct wp_prior_file *out,
                             struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    memset(out, 0, sizeof *out);
    struct wp_pq_args a = {0};
    wp_pq_text(&a, path);
    PGresult *r = wp_pq_run(s, PQ_FIND_PRIOR, &a, "find source file", d);
    if (!r)
        return s->err;
    if (PQntuples(r)) {
        out->found = true;
        out->source_id = wp_pq_col_int(r, 0, 0);
        out->size_bytes = wp_pq_col_int(r, 0, 1);
        out->consumed_bytes = wp_pq_col_int(r, 0, 2);
        snprintf(out->sha256, sizeof out->sha256, "%s", wp_pq_col_text(r, 0, 3));
        snprintf(out->prefix_sha256, sizeof out->prefix_sha256, "%s", wp_pq_col_text(r, 0, 4));
    }
    PQclear(r);
    return WP_OK;
}

enum wp_err wp_pg_has_content(struct wp_store *b, const char *sha256, bool *found,
                              struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    struct wp_pq_args a = {0};
    wp_pq_text(&a, sha256);
    PGresult *r = wp_pq_run(s, PQ_HAS_CONTENT, &a, "find content", d);
    if (!r)
        return s->err;
    *found = PQntuples(r) > 0;
    PQclear(r);
    return WP_OK;
}

enum wp_err wp_pg_source_drop(struct wp_store *b, const char *path, long long *measurements,
                              struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    *measurements = 0;
    struct wp_pq_args a = {0};
    wp_pq_text(&a, path);
    PGresult *runs = wp_pq_run(s, PQ_DROP_RUN_IDS, &a, "find the runs of a file", d);
    if (!runs)
        return s->err;
    PGresult *r = wp_pq_run(s, PQ_DROP_MEAS, &a, "remove measurements", d);
    enum wp_err e = r ? WP_OK : s->err;
    if (r) {
        *measurements = strtoll(PQcmdTuples(r), NULL, 10);
        PQclear(r);
    }
    for (int i = 0; !e && i < PQntuples(runs); i++) { /* a run measured elsewhere stays */
        struct wp_pq_args id = {0};
        wp_pq_int(&id, wp_pq_col_int(runs, i, 0));
        e = wp_pq_do(s, PQ_DROP_RUN, &id, "remove a run", d);
    }
    PQclear(runs);
    /* versions, rejected lines and the file's label rules go with it (ON DELETE CASCADE) */
    return e ? e : wp_pq_do(s, PQ_DROP_SOURCE, &a, "remove a source file", d);
}

enum wp_err wp_pg_source_new(struct wp_store *b, const char *path, const char *name,
                             const char *format, long long *source_id, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    char now[32];
    utc_now(now, sizeof now);
    struct wp_pq_args a = {0};
    wp_pq_text(&a, path);
    wp_pq_text(&a, name);
    wp_pq_text(&a, format);
    wp_pq_text(&a, now);
    return insert_id(s, PQ_SOURCE_NEW, &a, source_id, "add source file", d);
}

enum wp_err wp_pg_source_finish(struct wp_store *b, long long source_id,
                                const struct wp_source_done *done, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    char now[32];
    utc_now(now, sizeof now);
    struct wp_pq_args a = {0};
    wp_pq_int(&a, source_id);
    wp_pq_text(&a, done->sha256);
    wp_pq_int(&a, done->size_bytes);
    wp_pq_int(&a, done->consumed_bytes);
    wp_pq_text(&a, done->prefix_sha256);
    wp_pq_int(&a, done->rows_added);
    wp_pq_int(&a, done->rows_rejected);
    enum wp_err e = wp_pq_do(s, PQ_SOURCE_FINISH, &a, "update source file", d);
    if (e)
        return e;
    struct wp_pq_args v = {0};
    wp_pq_int(&v, source_id);
    wp_pq_text(&v, done->sha256);
    wp_pq_int(&v, done->size_bytes);
    wp_pq_int(&v, done->rows_added);
    wp_pq_text(&v, now);
    return wp_pq_do(s, PQ_VERSION_NEW, &v, "add file version", d);
}

enum wp_err wp_pg_import_source(struct wp_store *b, const struct wp_export_source *src,
                                long long *id, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    struct wp_pq_args a = {0};
    wp_pq_text(&a, src->path);
    wp_pq_text(&a, src->name);
    wp_pq_text(&a, src->format);
    wp_pq_text(&a, src->sha256);
    wp_pq_int(&a, src->size_bytes);
    wp_pq_int(&a, src->consumed_bytes);
    wp_pq_text(&a, src->prefix_sha256);
    wp_pq_int(&a, src->rows_ingested);
    wp_pq_int(&a, src->rows_rejected);
    wp_pq_text(&a, src->ingested_at);
    return insert_id(s, PQ_IMPORT_SOURCE, &a, id, "add source file", d);
}

enum wp_err wp_pg_import_version(struct wp_store *b, long long source_id,
                                 const struct wp_file_version *v, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    struct wp_pq_args a = {0};
    wp_pq_int(&a, source_id);
    wp_pq_text(&a, v->sha256);
    wp_pq_int(&a, v->size_bytes);
    wp_pq_int(&a, v->rows_added);
    wp_pq_text(&a, v->ingested_at);
    return wp_pq_do(s, PQ_VERSION_NEW, &a, "add file version", d);
}

/* ---- dimensions ---------------------------------------------------------------------- */

/* Looks the row up by its key (cache first, then get, then insert unless !may_add: then
 * *missing is set and nothing changes). */
static enum wp_err dim_id(struct wp_pg *s, struct wp_pq_cache *c, char *key,
                          enum wp_pq_stmt get, enum wp_pq_stmt put,
                          const struct wp_pq_args *a, long long *id, bool may_add,
                          bool *missing, struct wp_diag *d)
{
    if (!key)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (c->key && strcmp(c->key, key) == 0) {
        free(key);
        *id = c->id;
        return WP_OK;
    }
    enum wp_err e;
    PGresult *r = wp_pq_run(s, get, a, "look up dimension row", d);
    if (!r) {
        e = s->err;
        goto fail;
    }
    bool found = PQntuples(r) > 0;
    if (found)
        *id = wp_pq_col_int(r, 0, 0);
    PQclear(r);
    if (!found && !may_add) {
        *missing = true;
        free(key);
        return WP_OK;
    }
    if (!found && (e = insert_id(s, put, a, id, "add dimension row", d)))
        goto fail;
    free(c->key);
    c->key = key;
    c->id = *id;
    return WP_OK;
fail:
    free(key);
    return e;
}

/* Counts are whole numbers when logged; NAN (unknown) binds NULL. */
static void count_arg(struct wp_pq_args *a, double v)
{
    if (isnan(v))
        wp_pq_text(a, NULL);
    else
        wp_pq_int(a, (long long)llround(v));
}

/* The cache keys of a measurement's dimension rows (NULL for a row it has none of, or on
 * out-of-memory: *nomem then). */
struct dim_keys {
    char *key[3]; /* tool, hardware, location */
    bool has[3];
};

static bool dim_keys(const struct wp_measurement *m, struct dim_keys *k)
{
    char nums[3][20];
    wp_store_bits_hex(m->cpu_count, nums[0]);
    wp_store_bits_hex(m->gpu_count, nums[1]);
    wp_store_bits_hex(m->ram_total_bytes, nums[2]);
    const char *tool[] = {m->tool_name, m->tool_version};
    const char *hw[] = {m->cpu_model, nums[0], m->gpu_model, nums[1], nums[2], m->os,
                        m->python_version};
    const char *loc[] = {m->country_name, m->country_iso_code, m->region, m->cloud_provider,
                         m->cloud_region, m->on_cloud};
    k->has[0] = *m->tool_name;
    k->has[1] = *m->cpu_model || *m->gpu_model || *m->os || !isnan(m->cpu_count) ||
                !isnan(m->gpu_count) || !isnan(m->ram_total_bytes);
    k->has[2] = *m->country_name || *m->country_iso_code || *m->region ||
                *m->cloud_provider || *m->cloud_region;
    k->key[0] = k->has[0] ? wp_store_join_key(tool, 2) : NULL;
    k->key[1] = k->has[1] ? wp_store_join_key(hw, 7) : NULL;
    k->key[2] = k->has[2] ? wp_store_join_key(loc, 6) : NULL;
    for (int i = 0; i < 3; i++)
        if (k->has[i] && !k->key[i])
            return false;
    return true;
}

bool wp_pg_dims_cached(struct wp_pg *s, const struct wp_measurement *m, long long ids[3])
{
    struct dim_keys k;
    bool ok = dim_keys(m, &k);
    const struct wp_pq_cache *c[3] = {&s->tool, &s->hw, &s->loc};
    for (int i = 0; i < 3; i++) {
        ids[i] = 0;
        if (ok && k.has[i]) {
            ok = c[i]->key && strcmp(c[i]->key, k.key[i]) == 0;
            ids[i] = c[i]->id;
        }
    }
    for (int i = 0; i < 3; i++)
        free(k.key[i]);
    return ok;
}

static enum wp_err dims(struct wp_pg *s, const struct wp_measurement *m, long long ids[3],
                        bool may_add, bool *missing, struct wp_diag *d)
{
    struct dim_keys k;
    enum wp_err e = WP_OK;
    ids[0] = ids[1] = ids[2] = 0;
    if (!dim_keys(m, &k)) {
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    if (k.has[0]) {
        struct wp_pq_args a = {0};
        wp_pq_text(&a, m->tool_name);
        wp_pq_text(&a, m->tool_version);
        e = dim_id(s, &s->tool, k.key[0], PQ_TOOL_GET, PQ_TOOL_NEW, &a, &ids[0], may_add, missing, d);
        k.key[0] = NULL; /* dim_id took it */
        if (e)
            goto out;
    }
    if (k.has[1]) {
        struct wp_pq_args a = {0};
        wp_pq_text(&a, m->cpu_model);
        count_arg(&a, m->cpu_count);
        wp_pq_text(&a, m->gpu_model);
        count_arg(&a, m->gpu_count);
        wp_pq_real(&a, m->ram_total_bytes);
        wp_pq_text(&a, m->os);
        wp_pq_text(&a, m->python_version);
        e = dim_id(s, &s->hw, k.key[1], PQ_HW_GET, PQ_HW_NEW, &a, &ids[1], may_add, missing, d);
        k.key[1] = NULL;
        if (e)
            goto out;
    }
    if (k.has[2]) {
        struct wp_pq_args a = {0};
        const char *loc[] = {m->country_name, m->country_iso_code, m->region,
                             m->cloud_provider, m->cloud_region, m->on_cloud};
        for (int i = 0; i < 6; i++)
            wp_pq_text(&a, loc[i]);
        e = dim_id(s, &s->loc, k.key[2], PQ_LOC_GET, PQ_LOC_NEW, &a, &ids[2], may_add, missing, d);
        k.key[2] = NULL;
    }
out:
    for (int i = 0; i < 3; i++)
        free(k.key[i]);
    return e;
}

/* ---- runs and measurements ----------------------------------------------------------- */

static bool same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* As in sqlite_ingest.c: the run `key` names that has no measurement of this phase yet. */
static enum wp_err find_run(struct wp_pg *s, const char *key, const struct wp_measurement *m,
                            long long *run, struct wp_add_result *res, struct wp_diag *d)
{
    struct wp_pq_args a = {0};
    wp_pq_text(&a, key);
    wp_pq_text(&a, m->phase);
    *run = 0;
    PGresult *r = wp_pq_run(s, PQ_RUN_BY_UID, &a, "find run", d);
    if (!r)
        return s->err;
    for (int i = 0; i < PQntuples(r); i++) {
        if (PQgetisnull(r, i, 1)) {
            *run = wp_pq_col_int(r, i, 0);
            res->outcome = WP_ADD_JOINED;
            break;
        }
        bool same = same_num(wp_pq_col_real(r, i, 2), m->energy_j) &&
                    same_num(wp_pq_col_real(r, i, 3), m->duration_s) &&
                    same_num(wp_pq_col_real(r, i, 5), m->emissions_g) &&
                    strcmp(wp_pq_col_text(r, i, 4), m->started_at) == 0;
        snprintf(res->other, sizeof res->other, "%s:%lld", wp_pq_col_text(r, i, 6),
                 wp_pq_col_int(r, i, 7));
        if (same) {
            *run = wp_pq_col_int(r, i, 0);
            res->outcome = WP_ADD_DUPLICATE;
            break;
        }
        res->outcome = WP_ADD_CONFLICT;
    }
    PQclear(r);
    return WP_OK;
}

static enum wp_err insert_measurement(struct wp_pg *s, long long run, long long source_id,
                                      const struct wp_measurement *m, const long long ids[3],
                                      struct wp_diag *d)
{
    double ci = NAN;
    if (!isnan(m->emissions_g) && !isnan(m->energy_j) && m->energy_j > 0)
        ci = m->emissions_g / (m->energy_j / WP_J_PER_KWH);
    struct wp_pq_args a = {0};
    wp_pq_int(&a, run);
    wp_pq_text(&a, m->phase);
    wp_pq_int(&a, source_id);
    wp_pq_int(&a, m->line);
    wp_pq_text(&a, m->run_label);
    wp_pq_text(&a, m->project_name);
    wp_pq_text(&a, m->experiment_label);
    wp_pq_text_or_null(&a, m->started_at);
    const double nums[] = {m->duration_s,     m->energy_j,          m->cpu_energy_j,
                           m->gpu_energy_j,   m->ram_energy_j,      m->emissions_g,
                           m->emissions_rate_g_per_s, m->cpu_power_w, m->gpu_power_w,
                           m->ram_power_w,    ci,                   m->pue,
                           m->water_l};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        wp_pq_real(&a, nums[i]);
    wp_pq_text(&a, m->tracking_mode);
    wp_pq_real(&a, m->longitude);
    wp_pq_real(&a, m->latitude);
    for (int i = 0; i < 3; i++)
        wp_pq_int_or_null(&a, ids[i]);
    wp_pq_text(&a, m->cpu_basis ? m->cpu_basis : "");
    wp_pq_text(&a, m->gpu_basis ? m->gpu_basis : "");
    wp_pq_text(&a, m->ram_basis ? m->ram_basis : "");
    long long mid = 0;
    enum wp_err e = insert_id(s, PQ_MEAS_NEW, &a, &mid, "add measurement", d);
    for (size_t i = 0; !e && i < m->n_extra; i++) {
        struct wp_pq_args x = {0};
        wp_pq_int(&x, mid);
        wp_pq_text(&x, m->extra_keys[i]);
        wp_pq_text(&x, m->extra_values[i]);
        e = wp_pq_do(s, PQ_EXTRA_NEW, &x, "add extra column", d);
    }
    return e;
}

enum wp_err wp_pg_add_measurement(struct wp_store *b, long long source_id,
                                  const struct wp_measurement *m, const char *group_key,
                                  struct wp_add_result *res, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    char key[128];
    long long run = 0, ids[3];
    enum wp_err e;
    res->outcome = WP_ADD_NEW;
    res->other[0] = '\0';
    const char *k = wp_store_run_key(m, source_id, group_key, key) ? key : NULL;
    if (k && (e = find_run(s, k, m, &run, res, d)))
        return e;
    res->run_id = run;
    if (res->outcome == WP_ADD_DUPLICATE)
        return WP_OK;
    bool missing = false;
    if ((e = dims(s, m, ids, true, &missing, d)))
        return e;
    if (!run) {
        struct wp_pq_args a = {0};
        wp_pq_text(&a, k);
        if ((e = insert_id(s, PQ_RUN_NEW, &a, &run, "add run", d)))
            return e;
    }
    res->run_id = run;
    return insert_measurement(s, run, source_id, m, ids, d);
}

enum wp_err wp_pg_add_rejected(struct wp_store *b, long long source_id, long line, long col,
                               const char *reason, const char *text, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    struct wp_pq_args a = {0};
    wp_pq_int(&a, source_id);
    wp_pq_int(&a, line);
    wp_pq_int_or_null(&a, col);
    wp_pq_text(&a, reason);
    wp_pq_text(&a, text);
    return wp_pq_do(s, PQ_REJECT_NEW, &a, "add rejected line", d);
}

/* ---- labels -------------------------------------------------------------------------- */

enum wp_err wp_pg_rules_drop_source(struct wp_store *b, long long source_id,
                                    struct wp_diag *d)
{
    struct wp_pq_args a = {0};
    wp_pq_int(&a, source_id);
    return wp_pq_do(wp_pg_of(b), PQ_RULES_DEL_SOURCE, &a, "replace the command line's labels",
                    d);
}

enum wp_err wp_pg_rules_put(struct wp_store *b, const char *manifest,
                            const struct wp_label_rule *rules, size_t n, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    enum wp_err e;
    if (manifest) {
        struct wp_pq_args a = {0};
        wp_pq_text(&a, manifest);
        if ((e = wp_pq_do(s, PQ_RULES_DEL, &a, "replace manifest rules", d)))
            return e;
    }
    for (size_t i = 0; i < n; i++) {
        const struct wp_label_rule *r = &rules[i];
        struct wp_pq_args a = {0};
        wp_pq_text(&a, r->origin);
        wp_pq_text(&a, manifest);
        wp_pq_text(&a, r->match_project);
        wp_pq_text(&a, r->match_experiment);
        wp_pq_text(&a, r->match_run);
        wp_pq_text(&a, r->match_file);
        wp_pq_int_or_null(&a, r->match_source_id);
        wp_pq_text(&a, r->model);
        wp_pq_text(&a, r->task);
        wp_pq_text(&a, r->dataset);
        wp_pq_int_or_null(&a, r->inferences);
        wp_pq_int_or_null(&a, r->batch_size);
        wp_pq_int_or_null(&a, r->parameters);
        wp_pq_real(&a, r->training_energy_j);
        long long id = 0;
        if ((e = insert_id(s, PQ_RULE_NEW, &a, &id, "add label rule", d)))
            return e;
        for (size_t k = 0; k < r->n_attr; k++) {
            struct wp_pq_args x = {0};
            wp_pq_int(&x, id);
            wp_pq_text(&x, r->attr_keys[k]);
            wp_pq_text(&x, r->attr_values[k]);
            if ((e = wp_pq_do(s, PQ_RULE_ATTR_NEW, &x, "add label rule attribute", d)))
                return e;
        }
    }
    return WP_OK;
}

/* Inserts the name if new and returns its id (0 for a NULL or empty name); the last name
 * of each kind is cached. */
static enum wp_err name_id(struct wp_pg *s, enum wp_pq_stmt put, enum wp_pq_stmt get,
                           struct wp_pq_memo *c, const char *name, long long *id,
                           struct wp_diag *d)
{
    *id = 0;
    if (!name || !*name)
        return WP_OK;
    if (wp_pq_memo_get(c, name, id))
        return WP_OK;
    struct wp_pq_args a = {0};
    wp_pq_text(&a, name);
    enum wp_err e = wp_pq_do(s, put, &a, "add name", d);
    if (e)
        return e;
    PGresult *r = wp_pq_run(s, get, &a, "find name", d);
    if (!r)
        return s->err;
    bool found = PQntuples(r) > 0;
    if (found)
        *id = wp_pq_col_int(r, 0, 0);
    PQclear(r);
    if (!found)
        return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "database: find name: \"%s\" not found",
                           name);
    wp_pq_memo_put(c, name, *id);
    return WP_OK;
}

static enum wp_err update_model(struct wp_pg *s, long long model, const struct wp_labels *l,
                                struct wp_diag *d)
{
    enum wp_err e;
    if (l->parameters > 0) {
        struct wp_pq_args a = {0};
        wp_pq_int(&a, model);
        wp_pq_int(&a, l->parameters);
        if ((e = wp_pq_do(s, PQ_MODEL_PARAMS, &a, "set model parameters", d)))
            return e;
    }
    if (!isnan(l->training_energy_j)) {
        struct wp_pq_args a = {0};
        wp_pq_int(&a, model);
        wp_pq_real(&a, l->training_energy_j);
        if ((e = wp_pq_do(s, PQ_MODEL_TRAINING, &a, "set model training energy", d)))
            return e;
    }
    return WP_OK;
}

static enum wp_err experiment_id(struct wp_pg *s, const long long ids[3],
                                 const struct wp_labels *l, long long *exp, struct wp_diag *d)
{
    char key[128];
    snprintf(key, sizeof key, "%lld/%lld/%lld/%lld/%lld", ids[0], ids[1], ids[2],
             l->inferences, l->batch_size);
    if (wp_pq_memo_get(&s->names[3], key, exp))
        return WP_OK;
    struct wp_pq_args a = {0};
    for (int i = 0; i < 3; i++)
        wp_pq_int_or_null(&a, ids[i]);
    wp_pq_int_or_null(&a, l->inferences);
    wp_pq_int_or_null(&a, l->batch_size);
    PGresult *r = wp_pq_run(s, PQ_EXP_GET, &a, "find experiment", d);
    if (!r)
        return s->err;
    bool found = PQntuples(r) > 0;
    if (found)
        *exp = wp_pq_col_int(r, 0, 0);
    PQclear(r);
    enum wp_err e;
    if (!found && (e = insert_id(s, PQ_EXP_NEW, &a, exp, "add experiment", d)))
        return e;
    wp_pq_memo_put(&s->names[3], key, *exp);
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

enum wp_err wp_pg_label_run(struct wp_store *b, long long run_id, const struct wp_labels *l,
                            struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    long long ids[3], exp = 0;
    enum wp_err e;
    if ((e = name_id(s, PQ_MODEL_PUT, PQ_MODEL_GET, &s->names[0], l->model, &ids[0], d)) ||
        (e = name_id(s, PQ_TASK_PUT, PQ_TASK_GET, &s->names[1], l->task, &ids[1], d)) ||
        (e = name_id(s, PQ_DATASET_PUT, PQ_DATASET_GET, &s->names[2], l->dataset, &ids[2], d)))
        return e;
    bool any = ids[0] || ids[1] || ids[2] || l->inferences || l->batch_size || l->n_attr;
    if (any && (e = experiment_id(s, ids, l, &exp, d)))
        return e;
    char *key = side_key(exp, ids[0], l);
    bool done = key && s->side.key && strcmp(key, s->side.key) == 0;
    if (done) {
        free(key);
    } else {
        free(s->side.key);
        s->side.key = key; /* NULL on out-of-memory: simply not cached */
    }
    if (!done && ids[0] && (e = update_model(s, ids[0], l, d)))
        return e;
    for (size_t i = 0; !done && exp && i < l->n_attr; i++) {
        struct wp_pq_args a = {0};
        wp_pq_int(&a, exp);
        wp_pq_text(&a, l->attr_keys[i]);
        wp_pq_text(&a, l->attr_values[i]);
        if ((e = wp_pq_do(s, PQ_EXP_ATTR_PUT, &a, "set experiment attribute", d)))
            return e;
    }
    /* sent with the other runs of this experiment, before any other statement */
    return wp_pg_batch_label(s, run_id, exp, d);
}

/* ---- token counts -------------------------------------------------------------------- */

enum wp_err wp_pg_tokens_put(struct wp_store *b, const char *source_path,
                             const struct wp_token_count *v, size_t n, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    struct wp_pq_args a = {0};
    wp_pq_text(&a, source_path);
    enum wp_err e = wp_pq_do(s, PQ_TOKENS_DEL, &a, "replace token counts", d);
    for (size_t i = 0; !e && i < n; i++) {
        const struct wp_token_count *c = &v[i];
        struct wp_pq_args o = {0};
        wp_pq_text(&o, c->model);
        wp_pq_text(&o, c->dataset);
        PGresult *r = wp_pq_run(s, PQ_TOKENS_OWNER, &o, "read token counts", d);
        if (!r)
            return s->err;
        if (PQntuples(r))
            e = wp_diag_set(d, WP_ERR_CONFLICT, source_path, 0, 0,
                            "token counts of %s on %s (logged as %s, %s) already come from %s "
                            "(logged as %s, %s): a model and dataset take their counts from "
                            "one file", c->model, c->dataset, c->logged_model,
                            c->logged_dataset, wp_pq_col_text(r, 0, 0),
                            wp_pq_col_text(r, 0, 1), wp_pq_col_text(r, 0, 2));
        PQclear(r);
        if (e)
            return e;
        struct wp_pq_args t = {0};
        wp_pq_text(&t, c->model);
        wp_pq_text(&t, c->dataset);
        wp_pq_int(&t, c->samples);
        wp_pq_int(&t, c->input_tokens);
        wp_pq_int(&t, c->output_tokens);
        wp_pq_text(&t, c->logged_model);
        wp_pq_text(&t, c->logged_dataset);
        wp_pq_text(&t, source_path);
        wp_pq_text(&t, c->source_sha256);
        e = wp_pq_do(s, PQ_TOKENS_NEW, &t, "store token counts", d);
    }
    return e;
}

enum wp_err wp_pg_dims_find(struct wp_pg *s, const struct wp_measurement *m, long long ids[3],
                            bool *found, struct wp_diag *d)
{
    bool missing = false;
    enum wp_err e = dims(s, m, ids, false, &missing, d);
    *found = !e && !missing;
    return e;
}
