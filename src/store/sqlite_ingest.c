/* SQLite backend, ingest: source files and their versions, measurements with their run,
 * dimension rows (tool, hardware, location) and rejected lines. */
#include "store/sqlite_int.h"

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

enum wp_err wp_sq_find_prior(struct wp_store *b, const char *path,
                                struct wp_prior_file *out, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_FIND_PRIOR, d);
    if (!st)
        return WP_ERR_DB;
    wp_sq_text(st, 1, path);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->found = true;
        out->source_id = sqlite3_column_int64(st, 0);
        out->size_bytes = sqlite3_column_int64(st, 1);
        out->consumed_bytes = sqlite3_column_int64(st, 2);
        snprintf(out->sha256, sizeof out->sha256, "%s", wp_sq_col_text(st, 3));
        snprintf(out->prefix_sha256, sizeof out->prefix_sha256, "%s", wp_sq_col_text(st, 4));
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, "find source file");
}

/* The runs the files at `path` have measurements of, in a new array (*n of them). */
static enum wp_err drop_run_ids(struct wp_sq *s, const char *path, long long **ids,
                                size_t *n, struct wp_diag *d)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *st = wp_sq_stmt(s, ST_DROP_RUN_IDS, d);
    if (!st)
        return WP_ERR_DB;
    wp_sq_text(st, 1, path);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            long long *v = realloc(*ids, cap * sizeof *v);
            if (!v) {
                sqlite3_reset(st);
                return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
            }
            *ids = v;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, "find the runs of a file");
}

enum wp_err wp_sq_source_drop(struct wp_store *b, const char *path, long long *measurements,
                              struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    *measurements = 0;
    long long *ids = NULL;
    size_t n = 0;
    enum wp_err e = drop_run_ids(s, path, &ids, &n, d);
    sqlite3_stmt *st = e ? NULL : wp_sq_stmt(s, ST_DROP_MEAS, d);
    if (!e && !st)
        e = WP_ERR_DB;
    if (!e) {
        wp_sq_text(st, 1, path);
        e = sqlite3_step(st) == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, "remove measurements");
        *measurements = sqlite3_changes64(s->db);
        sqlite3_reset(st);
    }
    for (size_t i = 0; !e && i < n; i++) { /* a run measured in other files stays */
        if (!(st = wp_sq_stmt(s, ST_DROP_RUN, d))) {
            e = WP_ERR_DB;
            break;
        }
        sqlite3_bind_int64(st, 1, ids[i]);
        e = sqlite3_step(st) == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, "remove a run");
        sqlite3_reset(st);
    }
    free(ids);
    if (!e && !(st = wp_sq_stmt(s, ST_DROP_SOURCE, d)))
        e = WP_ERR_DB;
    if (!e) {
        wp_sq_text(st, 1, path);
        e = sqlite3_step(st) == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, "remove a source file");
        sqlite3_reset(st);
    }
    return e;
}

enum wp_err wp_sq_has_content(struct wp_store *b, const char *sha256, bool *found,
                                 struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_HAS_CONTENT, d);
    if (!st)
        return WP_ERR_DB;
    wp_sq_text(st, 1, sha256);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, "find content");
}

enum wp_err wp_sq_find_rows(struct wp_store *b, const char *rows_sha256,
                            struct wp_rows_copy *out, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_FIND_ROWS, d);
    if (!st)
        return WP_ERR_DB;
    wp_sq_text(st, 1, rows_sha256);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->found = true;
        snprintf(out->path, sizeof out->path, "%s", wp_sq_col_text(st, 0));
        snprintf(out->ingested_at, sizeof out->ingested_at, "%s", wp_sq_col_text(st, 1));
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, "find rows");
}

enum wp_err wp_sq_source_new(struct wp_store *b, const char *path, const char *name,
                                const char *format, long long *source_id, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    char now[32];
    utc_now(now, sizeof now);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_SOURCE_NEW, d);
    if (!st)
        return WP_ERR_DB;
    wp_sq_text(st, 1, path);
    wp_sq_text(st, 2, name);
    wp_sq_text(st, 3, format);
    wp_sq_text(st, 4, now);
    if (sqlite3_step(st) != SQLITE_DONE)
        return wp_sq_fail(s, d, "add source file");
    *source_id = sqlite3_last_insert_rowid(s->db);
    return WP_OK;
}

enum wp_err wp_sq_source_finish(struct wp_store *b, long long source_id,
                                   const struct wp_source_done *done, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    char now[32];
    utc_now(now, sizeof now);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_SOURCE_FINISH, d);
    if (!st)
        return WP_ERR_DB;
    sqlite3_bind_int64(st, 1, source_id);
    wp_sq_text(st, 2, done->sha256);
    sqlite3_bind_int64(st, 3, done->size_bytes);
    sqlite3_bind_int64(st, 4, done->consumed_bytes);
    wp_sq_text(st, 5, done->prefix_sha256);
    sqlite3_bind_int64(st, 6, done->rows_added);
    sqlite3_bind_int64(st, 7, done->rows_rejected);
    if (sqlite3_step(st) != SQLITE_DONE)
        return wp_sq_fail(s, d, "update source file");
    if (!(st = wp_sq_stmt(s, ST_VERSION_NEW, d)))
        return WP_ERR_DB;
    sqlite3_bind_int64(st, 1, source_id);
    wp_sq_text(st, 2, done->sha256);
    sqlite3_bind_int64(st, 3, done->size_bytes);
    sqlite3_bind_int64(st, 4, done->rows_added);
    wp_sq_text(st, 5, now);
    wp_sq_text(st, 6, done->rows_sha256);
    if (sqlite3_step(st) != SQLITE_DONE)
        return wp_sq_fail(s, d, "add file version");
    return WP_OK;
}

/* ---- dimensions ---------------------------------------------------------------------- */

/* Looks the row up by its key (cache first, then get, then insert); binds through `bind`. */
static enum wp_err dim_id(struct wp_sq *s, struct dim_cache *c, char *key, enum wp_stmt get,
                          enum wp_stmt put, void (*bind)(sqlite3_stmt *, const void *),
                          const void *arg, long long *id, struct wp_diag *d)
{
    if (!key)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (c->key && strcmp(c->key, key) == 0) {
        free(key);
        *id = c->id;
        return WP_OK;
    }
    sqlite3_stmt *st = wp_sq_stmt(s, get, d);
    if (!st)
        goto fail;
    bind(st, arg);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    } else if (rc == SQLITE_DONE) {
        if (!(st = wp_sq_stmt(s, put, d)))
            goto fail;
        bind(st, arg);
        if (sqlite3_step(st) != SQLITE_DONE) {
            wp_sq_fail(s, d, "add dimension row");
            goto fail;
        }
        *id = sqlite3_last_insert_rowid(s->db);
    } else {
        wp_sq_fail(s, d, "look up dimension row");
        goto fail;
    }
    free(c->key);
    c->key = key;
    c->id = *id;
    return WP_OK;
fail:
    free(key);
    return WP_ERR_DB;
}

static void bind_tool(sqlite3_stmt *st, const void *arg)
{
    const struct wp_measurement *m = arg;
    wp_sq_text(st, 1, m->tool_name);
    wp_sq_text(st, 2, m->tool_version);
}

/* Counts are whole numbers when logged; NAN (unknown) binds NULL. */
static void bind_count(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, (long long)llround(v));
}

static void bind_hw(sqlite3_stmt *st, const void *arg)
{
    const struct wp_measurement *m = arg;
    wp_sq_text(st, 1, m->cpu_model);
    bind_count(st, 2, m->cpu_count);
    wp_sq_text(st, 3, m->gpu_model);
    bind_count(st, 4, m->gpu_count);
    wp_sq_real(st, 5, m->ram_total_bytes);
    wp_sq_text(st, 6, m->os);
    wp_sq_text(st, 7, m->python_version);
}

static void bind_loc(sqlite3_stmt *st, const void *arg)
{
    const struct wp_measurement *m = arg;
    wp_sq_text(st, 1, m->country_name);
    wp_sq_text(st, 2, m->country_iso_code);
    wp_sq_text(st, 3, m->region);
    wp_sq_text(st, 4, m->cloud_provider);
    wp_sq_text(st, 5, m->cloud_region);
    wp_sq_text(st, 6, m->on_cloud);
}

static enum wp_err dims(struct wp_sq *s, const struct wp_measurement *m, long long ids[3],
                        struct wp_diag *d)
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
    enum wp_err e;
    ids[0] = ids[1] = ids[2] = 0;
    if (*m->tool_name &&
        (e = dim_id(s, &s->tool, wp_store_join_key(tool, 2), ST_TOOL_GET, ST_TOOL_NEW, bind_tool, m,
                    &ids[0], d)))
        return e;
    bool has_hw = *m->cpu_model || *m->gpu_model || *m->os || !isnan(m->cpu_count) ||
                  !isnan(m->gpu_count) || !isnan(m->ram_total_bytes);
    if (has_hw && (e = dim_id(s, &s->hw, wp_store_join_key(hw, 7), ST_HW_GET, ST_HW_NEW, bind_hw, m,
                              &ids[1], d)))
        return e;
    bool has_loc = *m->country_name || *m->country_iso_code || *m->region ||
                   *m->cloud_provider || *m->cloud_region;
    if (has_loc && (e = dim_id(s, &s->loc, wp_store_join_key(loc, 6), ST_LOC_GET, ST_LOC_NEW, bind_loc,
                               m, &ids[2], d)))
        return e;
    return WP_OK;
}

/* ---- runs and measurements ----------------------------------------------------------- */

static bool same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* Finds the run that `key` names and that has no measurement of this phase yet.  Sets
 * *run to 0 when a new run is needed; res says whether that is a conflict or duplicate. */
static enum wp_err find_run(struct wp_sq *s, const char *key,
                            const struct wp_measurement *m, long long *run,
                            struct wp_add_result *res, struct wp_diag *d)
{
    sqlite3_stmt *st = wp_sq_stmt(s, ST_RUN_BY_UID, d);
    if (!st)
        return WP_ERR_DB;
    wp_sq_text(st, 1, key);
    wp_sq_text(st, 2, m->phase);
    *run = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
            *run = sqlite3_column_int64(st, 0);
            res->outcome = WP_ADD_JOINED;
            break;
        }
        bool same = same_num(wp_sq_col_real(st, 2), m->energy_j) &&
                    same_num(wp_sq_col_real(st, 3), m->duration_s) &&
                    same_num(wp_sq_col_real(st, 5), m->emissions_g) &&
                    strcmp(wp_sq_col_text(st, 4), m->started_at) == 0;
        snprintf(res->other, sizeof res->other, "%s:%lld", wp_sq_col_text(st, 6),
                 (long long)sqlite3_column_int64(st, 7));
        if (same) {
            *run = sqlite3_column_int64(st, 0);
            res->outcome = WP_ADD_DUPLICATE;
            break;
        }
        res->outcome = WP_ADD_CONFLICT;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return wp_sq_fail(s, d, "find run");
    sqlite3_reset(st);
    return WP_OK;
}

static enum wp_err new_run(struct wp_sq *s, const char *key, long long *run,
                           struct wp_diag *d)
{
    sqlite3_stmt *st = wp_sq_stmt(s, ST_RUN_NEW, d);
    if (!st)
        return WP_ERR_DB;
    wp_sq_text(st, 1, key);
    if (sqlite3_step(st) != SQLITE_DONE)
        return wp_sq_fail(s, d, "add run");
    *run = sqlite3_last_insert_rowid(s->db);
    return WP_OK;
}

static enum wp_err insert_measurement(struct wp_sq *s, long long run, long long source_id,
                                      const struct wp_measurement *m, const long long ids[3],
                                      struct wp_diag *d)
{
    sqlite3_stmt *st = wp_sq_stmt(s, ST_MEAS_NEW, d);
    if (!st)
        return WP_ERR_DB;
    double ci = NAN;
    if (!isnan(m->emissions_g) && !isnan(m->energy_j) && m->energy_j > 0)
        ci = m->emissions_g / (m->energy_j / WP_J_PER_KWH);
    sqlite3_bind_int64(st, 1, run);
    wp_sq_text(st, 2, m->phase);
    sqlite3_bind_int64(st, 3, source_id);
    sqlite3_bind_int64(st, 4, m->line);
    wp_sq_text(st, 5, m->run_label);
    wp_sq_text(st, 6, m->project_name);
    wp_sq_text(st, 7, m->experiment_label);
    wp_sq_text_or_null(st, 8, m->started_at);
    const double nums[] = {m->duration_s,     m->energy_j,          m->cpu_energy_j,
                           m->gpu_energy_j,   m->ram_energy_j,      m->emissions_g,
                           m->emissions_rate_g_per_s, m->cpu_power_w, m->gpu_power_w,
                           m->ram_power_w,    ci,                   m->pue,
                           m->water_l};
    for (int i = 0; i < (int)(sizeof nums / sizeof nums[0]); i++)
        wp_sq_real(st, 9 + i, nums[i]);
    wp_sq_text(st, 22, m->tracking_mode);
    wp_sq_real(st, 23, m->longitude);
    wp_sq_real(st, 24, m->latitude);
    for (int i = 0; i < 3; i++)
        wp_sq_int_or_null(st, 25 + i, ids[i]);
    const char *basis[] = {m->cpu_basis, m->gpu_basis, m->ram_basis};
    for (int i = 0; i < 3; i++)
        wp_sq_text(st, 28 + i, basis[i] ? basis[i] : "");
    if (sqlite3_step(st) != SQLITE_DONE)
        return wp_sq_fail(s, d, "add measurement");
    long long mid = sqlite3_last_insert_rowid(s->db);
    for (size_t i = 0; i < m->n_extra; i++) {
        if (!(st = wp_sq_stmt(s, ST_EXTRA_NEW, d)))
            return WP_ERR_DB;
        sqlite3_bind_int64(st, 1, mid);
        wp_sq_text(st, 2, m->extra_keys[i]);
        wp_sq_text(st, 3, m->extra_values[i]);
        if (sqlite3_step(st) != SQLITE_DONE)
            return wp_sq_fail(s, d, "add extra column");
    }
    return WP_OK;
}

enum wp_err wp_sq_add_measurement(struct wp_store *b, long long source_id,
                                     const struct wp_measurement *m, const char *group_key,
                                     struct wp_add_result *res, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
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
    if ((e = dims(s, m, ids, d)))
        return e;
    if (!run && (e = new_run(s, k, &run, d)))
        return e;
    res->run_id = run;
    return insert_measurement(s, run, source_id, m, ids, d);
}

enum wp_err wp_sq_add_rejected(struct wp_store *b, long long source_id, long line,
                                  long col, const char *reason, const char *text,
                                  struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_REJECT_NEW, d);
    if (!st)
        return WP_ERR_DB;
    sqlite3_bind_int64(st, 1, source_id);
    sqlite3_bind_int64(st, 2, line);
    wp_sq_int_or_null(st, 3, col);
    wp_sq_text(st, 4, reason);
    wp_sq_text(st, 5, text);
    if (sqlite3_step(st) != SQLITE_DONE)
        return wp_sq_fail(s, d, "add rejected line");
    return WP_OK;
}
