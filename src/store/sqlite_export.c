/* SQLite backend, copying out: everything a file holds with its provenance (source rows,
 * versions, measurements with their run, rejected lines, labels, rules), read in the order
 * it was stored, for `wattprint push`.  Reads only; the importing side is the target's. */
#include "store/sqlite_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/array.h"
#include "util/strpool.h"

static enum wp_err finish(struct wp_sq *s, sqlite3_stmt *st, int rc, const char *what,
                          struct wp_diag *d)
{
    enum wp_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, what);
    sqlite3_reset(st);
    return e;
}

/* NULL reads NULL (a rule's "not given"). */
static const char *text_or_null(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL
                                                     : (const char *)sqlite3_column_text(st, i);
}

/* An owned copy of s (NULL stays NULL) in p, the strings read from statements that step
 * on, freed together (wp_strpool_free); "" and *oom set when out of memory. */
static const char *keep(struct wp_strpool *p, const char *s, bool *oom)
{
    if (!s)
        return NULL;
    const char *c = wp_strpool_keep(p, strdup(s));
    if (p->failed)
        *oom = true;
    return c;
}

/* Key/value rows of `which` for `id`, copied into growable arrays. */
struct kv {
    const char **k, **v;
    size_t n, cap;
};

static enum wp_err read_kv(struct wp_sq *s, enum wp_stmt which, long long id, struct kv *kv,
                           struct wp_strpool *p, const char *what, struct wp_diag *d)
{
    kv->n = 0;
    sqlite3_stmt *st = wp_sq_stmt(s, which, d);
    if (!st)
        return WP_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    bool oom = false;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t cap_k = kv->cap, cap_v = kv->cap; /* the two grow alike */
        if (WP_ARRAY_GROW(kv->k, kv->n + 1, cap_k) || WP_ARRAY_GROW(kv->v, kv->n + 1, cap_v)) {
            oom = true;
            break;
        }
        kv->cap = cap_k;
        kv->k[kv->n] = keep(p, wp_sq_col_text(st, 0), &oom);
        kv->v[kv->n] = keep(p, wp_sq_col_text(st, 1), &oom);
        kv->n++;
    }
    enum wp_err e = finish(s, st, oom ? SQLITE_DONE : rc, what, d);
    if (!e && oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return e;
}

static void kv_free(struct kv *kv)
{
    free(kv->k);
    free(kv->v);
}

enum wp_err wp_sq_export_sources(struct wp_store *b,
                                 int (*fn)(void *ctx, const struct wp_export_source *r),
                                 void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_X_SOURCES, d);
    if (!st)
        return WP_ERR_DB;
    /* the callback writes elsewhere and may take long: read the ids first, so that this
     * statement is not held open across it */
    struct wp_strpool p = {0};
    struct wp_export_source *v = NULL;
    size_t n = 0, cap = 0;
    bool oom = false;
    int rc;
    while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (WP_ARRAY_GROW(v, n + 1, cap)) {
            oom = true;
            break;
        }
        v[n++] = (struct wp_export_source){
            .id = sqlite3_column_int64(st, 0),
            .path = keep(&p, wp_sq_col_text(st, 1), &oom),
            .name = keep(&p, wp_sq_col_text(st, 2), &oom),
            .format = keep(&p, wp_sq_col_text(st, 3), &oom),
            .sha256 = keep(&p, wp_sq_col_text(st, 4), &oom),
            .prefix_sha256 = keep(&p, wp_sq_col_text(st, 5), &oom),
            .ingested_at = keep(&p, wp_sq_col_text(st, 6), &oom),
            .size_bytes = sqlite3_column_int64(st, 7),
            .consumed_bytes = sqlite3_column_int64(st, 8),
            .rows_ingested = sqlite3_column_int64(st, 9),
            .rows_rejected = sqlite3_column_int64(st, 10),
        };
    }
    enum wp_err e = finish(s, st, oom ? SQLITE_DONE : rc, "read sources", d);
    if (!e && oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; !e && i < n; i++)
        if (fn(ctx, &v[i]))
            break;
    free(v);
    wp_strpool_free(&p);
    return e;
}

enum wp_err wp_sq_export_versions(struct wp_store *b, long long source_id,
                                  int (*fn)(void *ctx, const struct wp_file_version *v),
                                  void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_X_VERSIONS, d);
    if (!st)
        return WP_ERR_DB;
    sqlite3_bind_int64(st, 1, source_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wp_file_version v = {
            .sha256 = wp_sq_col_text(st, 0),
            .ingested_at = wp_sq_col_text(st, 1),
            .size_bytes = sqlite3_column_int64(st, 2),
            .rows_added = sqlite3_column_int64(st, 3),
            .rows_sha256 = sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL
                                                                     : wp_sq_col_text(st, 4),
            .rows_count = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1
                                                                    : sqlite3_column_int64(st, 5),
            .head_sum = sqlite3_column_type(st, 6) == SQLITE_NULL ? NULL
                                                                     : wp_sq_col_text(st, 6),
            .complete_sha256 = sqlite3_column_type(st, 7) == SQLITE_NULL
                                   ? NULL
                                   : wp_sq_col_text(st, 7),
        };
        if (fn(ctx, &v))
            break;
    }
    return finish(s, st, rc, "read file versions", d);
}

/* Column NAN stays NAN (NULL), a count is read as the double the parsers give. */
static double col_count(sqlite3_stmt *st, int i)
{
    return wp_sq_col_real(st, i);
}

static void read_measurement(sqlite3_stmt *st, struct wp_measurement *m)
{
    wp_measurement_clear(m);
    m->line = (long)sqlite3_column_int64(st, 3);
    m->phase = wp_sq_col_text(st, 4);
    m->run_label = wp_sq_col_text(st, 5);
    m->project_name = wp_sq_col_text(st, 6);
    m->experiment_label = wp_sq_col_text(st, 7);
    m->started_at = wp_sq_col_text(st, 8);
    double *nums[] = {&m->duration_s,   &m->energy_j,    &m->cpu_energy_j,
                      &m->gpu_energy_j, &m->ram_energy_j, &m->emissions_g,
                      &m->emissions_rate_g_per_s, &m->cpu_power_w, &m->gpu_power_w,
                      &m->ram_power_w,  &m->pue,          &m->water_l};
    for (int i = 0; i < 12; i++)
        *nums[i] = wp_sq_col_real(st, 9 + i);
    m->tracking_mode = wp_sq_col_text(st, 21);
    m->longitude = wp_sq_col_real(st, 22);
    m->latitude = wp_sq_col_real(st, 23);
    m->tool_name = wp_sq_col_text(st, 24);
    m->tool_version = wp_sq_col_text(st, 25);
    m->cpu_model = wp_sq_col_text(st, 26);
    m->gpu_model = wp_sq_col_text(st, 27);
    m->os = wp_sq_col_text(st, 28);
    m->python_version = wp_sq_col_text(st, 29);
    m->cpu_count = col_count(st, 30);
    m->gpu_count = col_count(st, 31);
    m->ram_total_bytes = wp_sq_col_real(st, 32);
    m->country_name = wp_sq_col_text(st, 33);
    m->country_iso_code = wp_sq_col_text(st, 34);
    m->region = wp_sq_col_text(st, 35);
    m->cloud_provider = wp_sq_col_text(st, 36);
    m->cloud_region = wp_sq_col_text(st, 37);
    m->on_cloud = wp_sq_col_text(st, 38);
    m->cpu_basis = wp_sq_col_text(st, 39);
    m->gpu_basis = wp_sq_col_text(st, 40);
    m->ram_basis = wp_sq_col_text(st, 41);
}

enum wp_err wp_sq_export_measurements(struct wp_store *b, long long source_id,
                                      int (*fn)(void *ctx, long long run_id,
                                                const char *run_uid,
                                                const struct wp_measurement *m),
                                      void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_X_MEAS, d);
    if (!st)
        return WP_ERR_DB;
    sqlite3_bind_int64(st, 1, source_id);
    struct wp_strpool p = {0};
    struct kv kv = {0};
    enum wp_err e = WP_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wp_measurement m;
        read_measurement(st, &m);
        wp_strpool_free(&p);
        if ((e = read_kv(s, ST_X_EXTRAS, sqlite3_column_int64(st, 0), &kv, &p,
                         "read extra columns", d)))
            break;
        m.n_extra = kv.n;
        m.extra_keys = kv.k;
        m.extra_values = kv.v;
        if (fn(ctx, sqlite3_column_int64(st, 1), text_or_null(st, 2), &m))
            break;
    }
    if (e)
        sqlite3_reset(st);
    else
        e = finish(s, st, rc, "read measurements", d);
    kv_free(&kv);
    wp_strpool_free(&p);
    return e;
}

enum wp_err wp_sq_export_rejected(struct wp_store *b, long long source_id,
                                  int (*fn)(void *ctx, const struct wp_rejected_row *r),
                                  void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_X_REJECTED, d);
    if (!st)
        return WP_ERR_DB;
    sqlite3_bind_int64(st, 1, source_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wp_rejected_row r = {
            .file = wp_sq_col_text(st, 0),
            .line = (long)sqlite3_column_int64(st, 1),
            .col = (long)sqlite3_column_int64(st, 2),
            .reason = wp_sq_col_text(st, 3),
            .text = wp_sq_col_text(st, 4),
        };
        if (fn(ctx, &r))
            break;
    }
    return finish(s, st, rc, "read rejected", d);
}

enum wp_err wp_sq_export_run_labels(struct wp_store *b, long long run_id,
                                    int (*fn)(void *ctx, const struct wp_labels *l),
                                    void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_X_LABELS, d);
    if (!st)
        return WP_ERR_DB;
    sqlite3_bind_int64(st, 1, run_id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return finish(s, st, rc, "read labels", d);
    struct wp_strpool p = {0};
    struct kv kv = {0};
    enum wp_err e = read_kv(s, ST_X_EXP_ATTRS, sqlite3_column_int64(st, 0), &kv, &p,
                            "read experiment attributes", d);
    if (!e) {
        struct wp_labels l = {
            .model = text_or_null(st, 1),
            .task = text_or_null(st, 2),
            .dataset = text_or_null(st, 3),
            .inferences = sqlite3_column_int64(st, 4),
            .batch_size = sqlite3_column_int64(st, 5),
            .parameters = sqlite3_column_int64(st, 6),
            .training_energy_j = wp_sq_col_real(st, 7),
            .n_attr = kv.n,
            .attr_keys = kv.k,
            .attr_values = kv.v,
        };
        fn(ctx, &l);
    }
    sqlite3_reset(st);
    kv_free(&kv);
    wp_strpool_free(&p);
    return e;
}

/* The rules of one manifest (or one command-line rule) gathered before the call. */
struct rule_group {
    struct wp_label_rule *v;
    const char **paths;
    struct kv *attrs;
    size_t n, cap;
};

static bool group_grow(struct rule_group *g)
{
    size_t cap_v = g->cap, cap_p = g->cap, cap = g->cap; /* the three grow alike */
    if (WP_ARRAY_GROW(g->v, g->n + 1, cap_v) || WP_ARRAY_GROW(g->paths, g->n + 1, cap_p) ||
        WP_ARRAY_GROW(g->attrs, g->n + 1, cap))
        return false;
    for (size_t i = g->cap; i < cap; i++)
        g->attrs[i] = (struct kv){0};
    g->cap = cap;
    return true;
}

static void group_free(struct rule_group *g)
{
    for (size_t i = 0; i < g->cap; i++)
        kv_free(&g->attrs[i]);
    free(g->v);
    free(g->paths);
    free(g->attrs);
}

enum wp_err wp_sq_export_rules(struct wp_store *b,
                               int (*fn)(void *ctx, const char *manifest,
                                         const struct wp_label_rule *rules,
                                         const char *const *paths, size_t n),
                               void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_X_RULES, d);
    if (!st)
        return WP_ERR_DB;
    struct wp_strpool p = {0};
    struct rule_group g = {0};
    const char *manifest = NULL;
    bool oom = false, stop = false;
    enum wp_err e = WP_OK;
    int rc;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *m = text_or_null(st, 2);
        /* a group ends where the manifest changes; command-line rules are one each */
        if (g.n && (!m || !manifest || strcmp(m, manifest) != 0)) {
            stop = fn(ctx, manifest, g.v, g.paths, g.n) != 0;
            g.n = 0;
            wp_strpool_free(&p);
            if (stop)
                break;
        }
        if (!group_grow(&g)) {
            oom = true;
            break;
        }
        manifest = keep(&p, m, &oom);
        struct wp_label_rule *r = &g.v[g.n];
        memset(r, 0, sizeof *r);
        r->origin = keep(&p, wp_sq_col_text(st, 1), &oom);
        r->match_project = keep(&p, text_or_null(st, 3), &oom);
        r->match_experiment = keep(&p, text_or_null(st, 4), &oom);
        r->match_run = keep(&p, text_or_null(st, 5), &oom);
        r->match_file = keep(&p, text_or_null(st, 6), &oom);
        g.paths[g.n] = keep(&p, text_or_null(st, 7), &oom);
        r->model = keep(&p, text_or_null(st, 8), &oom);
        r->task = keep(&p, text_or_null(st, 9), &oom);
        r->dataset = keep(&p, text_or_null(st, 10), &oom);
        r->inferences = sqlite3_column_int64(st, 11);
        r->batch_size = sqlite3_column_int64(st, 12);
        r->parameters = sqlite3_column_int64(st, 13);
        r->training_energy_j = wp_sq_col_real(st, 14);
        struct kv *a = &g.attrs[g.n];
        if ((e = read_kv(s, ST_X_RULE_ATTRS, sqlite3_column_int64(st, 0), a, &p,
                         "read label rule attributes", d)))
            break;
        r->n_attr = a->n;
        r->attr_keys = a->k;
        r->attr_values = a->v;
        g.n++;
        if (oom)
            break;
    }
    if (!e && !oom && !stop && g.n)
        fn(ctx, manifest, g.v, g.paths, g.n);
    if (e || stop)
        sqlite3_reset(st);
    else
        e = finish(s, st, oom ? SQLITE_DONE : rc, "read label rules", d);
    if (!e && oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    group_free(&g);
    wp_strpool_free(&p);
    return e;
}
