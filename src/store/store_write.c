/* The store's write rules, once for both backends, over the narrow interface of
 * backend.h (statements of store_sql.h, rows): source files and their versions, dimension
 * rows, run identity (joined, duplicate or conflict), measurements, rejected lines and
 * token counts.  Labels are in store_label.c.  No backend type here. */
#include "store/backend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_sql.h"
#include "util/array.h"
#include "util/units.h"

static enum wp_err nomem(struct wp_diag *d)
{
    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static enum wp_err run(struct wp_store *s, enum wp_q q, const struct wp_args *a,
                       struct wp_diag *d)
{
    return s->ops->exec(s, q, a, NULL, NULL, NULL, d);
}

/* Reads column 0 of the first row as an id (an INSERT's RETURNING id, a lookup). */
struct first_id {
    long long id;
    bool found;
};

static int on_first_id(void *ctx, const struct wp_row *r)
{
    struct first_id *f = ctx;
    f->id = wp_row_int(r, 0);
    f->found = true;
    return 1;
}

static enum wp_err get_id(struct wp_store *s, enum wp_q q, const struct wp_args *a,
                          struct first_id *out, struct wp_diag *d)
{
    out->id = 0;
    out->found = false;
    return s->ops->exec(s, q, a, on_first_id, out, NULL, d);
}

static void utc_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- remembered ids ------------------------------------------------------------------ */

static void memo_forget(struct wp_store_memo *c)
{
    free(c->key);
    c->key = NULL;
    c->id = 0;
}

/* The slot of key: FNV-1a. */
static unsigned memo_slot(const char *key)
{
    unsigned long long h = 0xcbf29ce484222325ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 0x100000001b3ull;
    return (unsigned)(h % WP_STORE_MEMO);
}

static bool memos_get(const struct wp_store_memos *m, const char *key, long long *id)
{
    const struct wp_store_memo *c = &m->e[memo_slot(key)];
    if (!c->key || strcmp(c->key, key) != 0)
        return false;
    *id = c->id;
    return true;
}

static void memos_put(struct wp_store_memos *m, const char *key, long long id)
{
    char *k = strdup(key);
    if (!k)
        return; /* out of memory: simply not remembered */
    struct wp_store_memo *c = &m->e[memo_slot(key)];
    free(c->key);
    c->key = k;
    c->id = id;
}

void wp_store_cache_forget(struct wp_store *s)
{
    struct wp_store_cache *c = &s->cache;
    memo_forget(&c->tool);
    memo_forget(&c->hw);
    memo_forget(&c->loc);
    for (int k = 0; k < 4; k++) {
        for (int i = 0; i < WP_STORE_MEMO; i++)
            memo_forget(&c->names[k].e[i]);
        c->names[k].next = 0;
    }
    for (int i = 0; i < WP_STORE_SIDE; i++) {
        memo_forget(&c->model_side[i]);
        memo_forget(&c->exp_side[i]);
    }
    memo_forget(&c->run);
}

bool wp_store_side_written(struct wp_store_memo m[WP_STORE_SIDE], long long row, char *key)
{
    struct wp_store_memo *c = &m[(unsigned long long)row % WP_STORE_SIDE];
    if (key && c->key && c->id == row && strcmp(c->key, key) == 0) {
        free(key);
        return true;
    }
    free(c->key);
    c->key = key; /* NULL on out-of-memory: simply not remembered */
    c->id = row;
    return false;
}

bool wp_store_memo_get(struct wp_store *s, int kind, const char *key, long long *id)
{
    return memos_get(&s->cache.names[kind], key, id);
}

void wp_store_memo_put(struct wp_store *s, int kind, const char *key, long long id)
{
    memos_put(&s->cache.names[kind], key, id);
}

/* ---- source files -------------------------------------------------------------------- */

static int on_prior(void *ctx, const struct wp_row *r)
{
    struct wp_prior_file *out = ctx;
    out->found = true;
    out->source_id = wp_row_int(r, 0);
    out->size_bytes = wp_row_int(r, 1);
    out->consumed_bytes = wp_row_int(r, 2);
    snprintf(out->sha256, sizeof out->sha256, "%s", wp_row_text(r, 3));
    snprintf(out->prefix_sha256, sizeof out->prefix_sha256, "%s", wp_row_text(r, 4));
    return 1;
}

enum wp_err wp_store_w_find_prior(struct wp_store *s, const char *path,
                                  struct wp_prior_file *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    struct wp_args a = {0};
    wp_arg_text(&a, path);
    return s->ops->exec(s, Q_FIND_PRIOR, &a, on_prior, out, NULL, d);
}

enum wp_err wp_store_w_has_content(struct wp_store *s, const char *sha256, bool *found,
                                   struct wp_diag *d)
{
    struct wp_args a = {0};
    wp_arg_text(&a, sha256);
    struct first_id f;
    enum wp_err e = get_id(s, Q_HAS_CONTENT, &a, &f, d);
    *found = f.found;
    return e;
}

/* out from a row whose columns at and at + 1 are the copy's path and ingested_at */
static int rows_copy_at(struct wp_rows_copy *out, const struct wp_row *r, int at)
{
    out->found = true;
    snprintf(out->path, sizeof out->path, "%s", wp_row_text(r, at));
    snprintf(out->ingested_at, sizeof out->ingested_at, "%s", wp_row_text(r, at + 1));
    return 1;
}

static int on_rows_copy(void *ctx, const struct wp_row *r)
{
    return rows_copy_at(ctx, r, 0);
}

/* The first version of a file whose normalized rows hash to rows_sha256 (a copy). */
enum wp_err wp_store_w_find_rows(struct wp_store *s, const char *rows_sha256,
                                 struct wp_rows_copy *out, struct wp_diag *d)
{
    struct wp_args a = {0};
    wp_arg_text(&a, rows_sha256);
    return s->ops->exec(s, Q_FIND_ROWS, &a, on_rows_copy, out, NULL, d);
}

struct grown {
    struct wp_grown_from *v;
    size_t n, max;
};

static int on_grown(void *ctx, const struct wp_row *r)
{
    struct grown *g = ctx;
    if (g->n == g->max)
        return 1;
    struct wp_grown_from *v = &g->v[g->n++];
    v->rows_count = wp_row_int(r, 0);
    snprintf(v->complete_sha256, sizeof v->complete_sha256, "%s", wp_row_text(r, 1));
    snprintf(v->path, sizeof v->path, "%s", wp_row_text(r, 2));
    snprintf(v->ingested_at, sizeof v->ingested_at, "%s", wp_row_text(r, 3));
    return 0;
}

static int on_found(void *ctx, const struct wp_row *r)
{
    (void)r;
    *(bool *)ctx = true;
    return 1;
}

enum wp_err wp_store_w_head_seen(struct wp_store *s, const char *head_sum, bool *found,
                                 struct wp_diag *d)
{
    struct wp_args a = {0};
    wp_arg_text(&a, head_sum);
    *found = false;
    return s->ops->exec(s, Q_HEAD_SEEN, &a, on_found, found, NULL, d);
}

enum wp_err wp_store_w_grown_from(struct wp_store *s, const char *head_sum, const char *path,
                                  struct wp_grown_from *out, size_t max, size_t *n,
                                  struct wp_diag *d)
{
    struct wp_args a = {0};
    wp_arg_text(&a, head_sum);
    wp_arg_text(&a, path);
    struct grown g = {out, 0, max};
    enum wp_err e = s->ops->exec(s, Q_GROWN_FROM, &a, on_grown, &g, NULL, d);
    *n = g.n;
    return e;
}

struct seen {
    long long kind; /* the lowest of Q_FILE_SEEN's rows: 0 content, 1 rows, 2 old rows */
    struct wp_rows_copy *copy;
    bool head;      /* its row 3: a version with the same first two rows, other rows */
};

static int on_seen(void *ctx, const struct wp_row *r)
{
    struct seen *out = ctx;
    long long kind = wp_row_int(r, 0);
    if (kind == 3) { /* apart: not a copy */
        out->head = true;
        return 0;
    }
    if (kind >= out->kind)
        return 0;
    out->kind = kind;
    if (kind)
        rows_copy_at(out->copy, r, 1);
    return 0;
}

/* wp_store_has_content, then wp_store_find_rows of rows, then of rows_legacy, and (given
 * head_sum: a file looked at only after its parse, standard input or a last line cut)
 * whether wp_store_grown_from would find a version of another rows count: one statement
 * (on a server, three round trips a file fewer). */
enum wp_err wp_store_w_file_seen(struct wp_store *s, const char *sha256, const char *rows,
                                 const char *rows_legacy, const char *head_sum,
                                 long long rows_count, bool *seen, struct wp_rows_copy *copy,
                                 bool *may_have_grown, struct wp_diag *d)
{
    struct wp_args a = {0};
    wp_arg_text(&a, sha256);
    wp_arg_text(&a, rows);
    wp_arg_text(&a, rows_legacy);
    wp_arg_text(&a, head_sum);
    wp_arg_int(&a, rows_count);
    memset(copy, 0, sizeof *copy);
    struct seen out = {3, copy, false};
    enum wp_err e = s->ops->exec(s, Q_FILE_SEEN, &a, on_seen, &out, NULL, d);
    *may_have_grown = !e && out.head;
    *seen = !e && out.kind == 0;
    if (*seen)
        memset(copy, 0, sizeof *copy); /* content seen: not a copy */
    return e;
}

struct ids {
    long long *v;
    size_t n, cap;
    bool oom;
};

static int on_id(void *ctx, const struct wp_row *r)
{
    struct ids *x = ctx;
    if (WP_ARRAY_GROW(x->v, x->n + 1, x->cap)) {
        x->oom = true;
        return 1;
    }
    x->v[x->n++] = wp_row_int(r, 0);
    return 0;
}

enum wp_err wp_store_w_source_drop(struct wp_store *s, const char *path,
                                   long long *measurements, struct wp_diag *d)
{
    *measurements = 0;
    struct ids runs = {0};
    struct wp_args a = {0};
    wp_arg_text(&a, path);
    enum wp_err e = s->ops->exec(s, Q_DROP_RUN_IDS, &a, on_id, &runs, NULL, d);
    if (!e && runs.oom)
        e = nomem(d);
    if (!e)
        e = s->ops->exec(s, Q_DROP_MEAS, &a, NULL, NULL, measurements, d);
    for (size_t i = 0; !e && i < runs.n; i++) { /* a run measured in other files stays */
        struct wp_args id = {0};
        wp_arg_int(&id, runs.v[i]);
        e = run(s, Q_DROP_RUN, &id, d);
    }
    free(runs.v);
    return e ? e : run(s, Q_DROP_SOURCE, &a, d);
}

enum wp_err wp_store_w_source_new(struct wp_store *s, const char *path, const char *name,
                                  const char *format, long long *source_id,
                                  struct wp_diag *d)
{
    char now[32];
    utc_now(now, sizeof now);
    struct wp_args a = {0};
    wp_arg_text(&a, path);
    wp_arg_text(&a, name);
    wp_arg_text(&a, format);
    wp_arg_text(&a, now);
    struct first_id f;
    enum wp_err e = get_id(s, Q_SOURCE_NEW, &a, &f, d);
    *source_id = f.id;
    if (!e)
        wp_store_w_label_source(s, f.id, name, format);
    return e;
}

enum wp_err wp_store_w_source_finish(struct wp_store *s, long long source_id,
                                     const struct wp_source_done *done, struct wp_diag *d)
{
    char now[32];
    utc_now(now, sizeof now);
    struct wp_args a = {0};
    wp_arg_int(&a, source_id);
    wp_arg_text(&a, done->sha256);
    wp_arg_int(&a, done->size_bytes);
    wp_arg_int(&a, done->consumed_bytes);
    wp_arg_text(&a, done->prefix_sha256);
    wp_arg_int(&a, done->rows_added);
    wp_arg_int(&a, done->rows_rejected);
    enum wp_err e = run(s, Q_SOURCE_FINISH, &a, d);
    if (e)
        return e;
    struct wp_file_version v = {.sha256 = done->sha256, .ingested_at = now,
                                .size_bytes = done->size_bytes, .rows_added = done->rows_added,
                                .rows_sha256 = done->rows_sha256,
                                .head_sum = done->head_sum,
                                .rows_count = done->head_sum ? done->rows_count : -1,
                                .complete_sha256 = done->complete_sha256};
    return wp_store_w_import_version(s, source_id, &v, d);
}

enum wp_err wp_store_w_import_source(struct wp_store *s, const struct wp_export_source *src,
                                     long long *id, struct wp_diag *d)
{
    struct wp_args a = {0};
    wp_arg_text(&a, src->path);
    wp_arg_text(&a, src->name);
    wp_arg_text(&a, src->format);
    wp_arg_text(&a, src->sha256);
    wp_arg_int(&a, src->size_bytes);
    wp_arg_int(&a, src->consumed_bytes);
    wp_arg_text(&a, src->prefix_sha256);
    wp_arg_int(&a, src->rows_ingested);
    wp_arg_int(&a, src->rows_rejected);
    wp_arg_text(&a, src->ingested_at);
    struct first_id f;
    enum wp_err e = get_id(s, Q_IMPORT_SOURCE, &a, &f, d);
    *id = f.id;
    return e;
}

enum wp_err wp_store_w_import_version(struct wp_store *s, long long source_id,
                                      const struct wp_file_version *v, struct wp_diag *d)
{
    struct wp_args a = {0};
    wp_arg_int(&a, source_id);
    wp_arg_text(&a, v->sha256);
    wp_arg_int(&a, v->size_bytes);
    wp_arg_int(&a, v->rows_added);
    wp_arg_text(&a, v->ingested_at);
    wp_arg_text(&a, v->rows_sha256);
    bool head = v->head_sum && v->complete_sha256 && v->rows_count >= 2; /* all or none */
    wp_arg_int_or_null(&a, head ? v->rows_count : 0);
    wp_arg_text(&a, head ? v->head_sum : NULL);
    wp_arg_text(&a, head ? v->complete_sha256 : NULL);
    return run(s, Q_VERSION_NEW, &a, d);
}

/* ---- dimensions ---------------------------------------------------------------------- */

/* Whether m has dimension row i (0 tool, 1 hardware, 2 location). */
static bool dim_has(const struct wp_measurement *m, int i)
{
    if (i == 0)
        return *m->tool_name;
    if (i == 1)
        return *m->cpu_model || *m->gpu_model || *m->os || !isnan(m->cpu_count) ||
               !isnan(m->gpu_count) || !isnan(m->ram_total_bytes);
    return *m->country_name || *m->country_iso_code || *m->region || *m->cloud_provider ||
           *m->cloud_region;
}

/* The parts of dimension i's cache key, in p (nums holds the numbers' bits); their count. */
static size_t dim_parts(const struct wp_measurement *m, int i, char nums[3][20],
                        const char *p[7])
{
    if (i == 0) {
        p[0] = m->tool_name;
        p[1] = m->tool_version;
        return 2;
    }
    if (i == 1) {
        wp_store_bits_hex(m->cpu_count, nums[0]);
        wp_store_bits_hex(m->gpu_count, nums[1]);
        wp_store_bits_hex(m->ram_total_bytes, nums[2]);
        const char *hw[] = {m->cpu_model, nums[0], m->gpu_model, nums[1], nums[2], m->os,
                            m->python_version};
        memcpy(p, hw, sizeof hw);
        return 7;
    }
    const char *loc[] = {m->country_name, m->country_iso_code, m->region, m->cloud_provider,
                         m->cloud_region, m->on_cloud};
    memcpy(p, loc, sizeof loc);
    return 6;
}

/* Whether key is parts p[0..n) joined (wp_store_join_key), without building it: most
 * rows have the dimension rows of the row before (2.2 k instructions a row for the
 * allocations, issue 30). */
static bool key_is(const char *key, const char *const *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(p[i]);
        if (strncmp(key, p[i], l) != 0 || key[l] != '\x1f')
            return false;
        key += l + 1;
    }
    return *key == '\0';
}

/* The cache keys of a measurement's dimension rows (tool, hardware, location); false on
 * out-of-memory. */
bool wp_store_dim_keys(const struct wp_measurement *m, struct wp_dim_keys *k)
{
    bool ok = true;
    for (int i = 0; i < 3; i++) {
        char nums[3][20];
        const char *p[7];
        size_t n = dim_parts(m, i, nums, p);
        k->has[i] = dim_has(m, i);
        k->key[i] = k->has[i] ? wp_store_join_key(p, n) : NULL;
        ok = ok && (!k->has[i] || k->key[i]);
    }
    return ok;
}

void wp_store_dim_keys_free(struct wp_dim_keys *k)
{
    for (int i = 0; i < 3; i++) {
        free(k->key[i]);
        k->key[i] = NULL;
    }
}

bool wp_store_dims_cached(struct wp_store *s, const struct wp_measurement *m, long long ids[3])
{
    const struct wp_store_memo *c[3] = {&s->cache.tool, &s->cache.hw, &s->cache.loc};
    bool ok = true;
    for (int i = 0; i < 3; i++) {
        ids[i] = 0;
        if (ok && dim_has(m, i)) {
            char nums[3][20];
            const char *p[7];
            size_t n = dim_parts(m, i, nums, p);
            ok = c[i]->key && key_is(c[i]->key, p, n);
            ids[i] = c[i]->id;
        }
    }
    return ok;
}

static void dim_args(const struct wp_measurement *m, int which, struct wp_args *a)
{
    if (which == 0) {
        wp_arg_text(a, m->tool_name);
        wp_arg_text(a, m->tool_version);
    } else if (which == 1) {
        wp_arg_text(a, m->cpu_model);
        wp_arg_count(a, m->cpu_count);
        wp_arg_text(a, m->gpu_model);
        wp_arg_count(a, m->gpu_count);
        wp_arg_real(a, m->ram_total_bytes);
        wp_arg_text(a, m->os);
        wp_arg_text(a, m->python_version);
    } else {
        const char *loc[] = {m->country_name, m->country_iso_code, m->region,
                             m->cloud_provider, m->cloud_region, m->on_cloud};
        for (int i = 0; i < 6; i++)
            wp_arg_text(a, loc[i]);
    }
}

/* Looks up the dimension rows m needs (cache first, then the database), adding those
 * missing when may_add; otherwise *missing is set and nothing changes. */
static enum wp_err dims(struct wp_store *s, const struct wp_measurement *m, long long ids[3],
                        bool may_add, bool *missing, struct wp_diag *d)
{
    static const enum wp_q get[3] = {Q_TOOL_GET, Q_HW_GET, Q_LOC_GET};
    static const enum wp_q put[3] = {Q_TOOL_NEW, Q_HW_NEW, Q_LOC_NEW};
    struct wp_store_memo *c[3] = {&s->cache.tool, &s->cache.hw, &s->cache.loc};
    enum wp_err e = WP_OK;
    ids[0] = ids[1] = ids[2] = 0;
    for (int i = 0; i < 3 && !e; i++) {
        if (!dim_has(m, i))
            continue;
        char nums[3][20];
        const char *p[7];
        size_t n = dim_parts(m, i, nums, p);
        if (c[i]->key && key_is(c[i]->key, p, n)) {
            ids[i] = c[i]->id;
            continue;
        }
        char *key = wp_store_join_key(p, n);
        if (!key)
            return nomem(d);
        struct wp_args a = {0};
        dim_args(m, i, &a);
        struct first_id f;
        if ((e = get_id(s, get[i], &a, &f, d)) || (!f.found && !may_add)) {
            *missing = *missing || (!e && !f.found);
            free(key);
            continue;
        }
        if (!f.found && (e = get_id(s, put[i], &a, &f, d))) {
            free(key);
            break;
        }
        ids[i] = f.id;
        free(c[i]->key);
        c[i]->key = key; /* the cache takes it */
        c[i]->id = f.id;
    }
    return e;
}

enum wp_err wp_store_w_dims(struct wp_store *s, const struct wp_measurement *m, long long ids[3],
                            struct wp_diag *d)
{
    bool missing = false;
    return dims(s, m, ids, true, &missing, d);
}

enum wp_err wp_store_dims_find(struct wp_store *s, const struct wp_measurement *m,
                               long long ids[3], bool *found, struct wp_diag *d)
{
    bool missing = false;
    enum wp_err e = dims(s, m, ids, false, &missing, d);
    *found = !e && !missing;
    return e;
}

/* ---- runs and measurements ----------------------------------------------------------- */

static bool same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

bool wp_store_judge(const struct wp_held *held, const struct wp_measurement *m,
                    struct wp_add_result *res)
{
    if (!held) {
        res->outcome = WP_ADD_JOINED;
        return true;
    }
    snprintf(res->other, sizeof res->other, "%s:%lld", held->file, held->line);
    if (same_num(held->energy_j, m->energy_j) && same_num(held->duration_s, m->duration_s) &&
        same_num(held->emissions_g, m->emissions_g) &&
        strcmp(held->started_at, m->started_at) == 0) {
        res->outcome = WP_ADD_DUPLICATE;
        return true;
    }
    res->outcome = WP_ADD_CONFLICT;
    return false;
}

struct find_run {
    const struct wp_measurement *m;
    struct wp_add_result *res;
    long long run;
};

static int on_run(void *ctx, const struct wp_row *r)
{
    struct find_run *f = ctx;
    struct wp_held h = {
        .energy_j = wp_row_real(r, 2),
        .duration_s = wp_row_real(r, 3),
        .started_at = wp_row_text(r, 4),
        .emissions_g = wp_row_real(r, 5),
        .file = wp_row_text(r, 6),
        .line = wp_row_int(r, 7),
    };
    if (!wp_store_judge(wp_row_null(r, 1) ? NULL : &h, f->m, f->res))
        return 0;
    f->run = wp_row_int(r, 0);
    return 1;
}

void wp_store_meas_args(long long run_id, long long source_id, const struct wp_measurement *m,
                        const long long ids[3], struct wp_args *a)
{
    double ci = NAN;
    if (!isnan(m->emissions_g) && !isnan(m->energy_j) && m->energy_j > 0)
        ci = m->emissions_g / (m->energy_j / WP_J_PER_KWH);
    a->n = 0;
    wp_arg_int(a, run_id);
    wp_arg_text(a, m->phase);
    wp_arg_int(a, source_id);
    wp_arg_int(a, m->line);
    wp_arg_text(a, m->run_label);
    wp_arg_text(a, m->project_name);
    wp_arg_text(a, m->experiment_label);
    wp_arg_text_or_null(a, m->started_at);
    const double nums[] = {m->duration_s,     m->energy_j,          m->cpu_energy_j,
                           m->gpu_energy_j,   m->ram_energy_j,      m->emissions_g,
                           m->emissions_rate_g_per_s, m->cpu_power_w, m->gpu_power_w,
                           m->ram_power_w,    ci,                   m->pue,
                           m->water_l};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        wp_arg_real(a, nums[i]);
    wp_arg_text(a, m->tracking_mode);
    wp_arg_real(a, m->longitude);
    wp_arg_real(a, m->latitude);
    for (int i = 0; i < 3; i++)
        wp_arg_int_or_null(a, ids[i]);
    wp_arg_text(a, m->cpu_basis ? m->cpu_basis : "");
    wp_arg_text(a, m->gpu_basis ? m->gpu_basis : "");
    wp_arg_text(a, m->ram_basis ? m->ram_basis : "");
}

enum wp_err wp_store_w_extras(struct wp_store *s, long long measurement_id,
                              const struct wp_measurement *m, struct wp_diag *d)
{
    enum wp_err e = WP_OK;
    for (size_t i = 0; !e && i < m->n_extra; i++) {
        struct wp_args x = {0};
        wp_arg_int(&x, measurement_id);
        wp_arg_text(&x, m->extra_keys[i]);
        wp_arg_text(&x, m->extra_values[i]);
        e = run(s, Q_EXTRA_NEW, &x, d);
    }
    return e;
}

static enum wp_err insert_measurement(struct wp_store *s, long long run_id, long long source_id,
                                      const struct wp_measurement *m, const long long ids[3],
                                      struct wp_diag *d)
{
    struct wp_args a;
    wp_store_meas_args(run_id, source_id, m, ids, &a);
    struct first_id mid;
    enum wp_err e = get_id(s, Q_MEAS_NEW, &a, &mid, d);
    return e ? e : wp_store_w_extras(s, mid.id, m, d);
}

enum wp_err wp_store_w_add_measurement(struct wp_store *s, long long source_id,
                                       const struct wp_measurement *m, const char *group_key,
                                       struct wp_add_result *res, struct wp_diag *d)
{
    char key[128];
    long long ids[3];
    enum wp_err e;
    res->outcome = WP_ADD_NEW;
    res->other[0] = '\0';
    const char *k = wp_store_run_key(m, source_id, group_key, key) ? key : NULL;
    struct find_run f = {m, res, 0};
    if (k) {
        struct wp_args a = {0};
        struct first_id seen = {0, true};
        wp_arg_text(&a, k);
        bool last = s->cache.run.key && strcmp(s->cache.run.key, k) == 0;
        if (!last && (e = get_id(s, Q_RUN_HAS_UID, &a, &seen, d)))
            return e;
        wp_arg_text(&a, m->phase);
        if (seen.found && (e = s->ops->exec(s, Q_RUN_BY_UID, &a, on_run, &f, NULL, d)))
            return e;
    }
    res->run_id = f.run;
    if (res->outcome == WP_ADD_DUPLICATE)
        return WP_OK;
    bool missing = false;
    if ((e = dims(s, m, ids, true, &missing, d)))
        return e;
    if (f.run)
        wp_store_w_run_joined(s, f.run);
    if (!f.run) {
        long long exp; /* labelled as it is added, where the labels are certain */
        const struct wp_labels *labels;
        if ((e = wp_store_w_run_experiment(s, source_id, m, NULL, &exp, &labels, d)))
            return e;
        struct wp_args a = {0};
        wp_arg_text(&a, k);
        wp_arg_int_or_null(&a, exp);
        struct first_id r;
        if ((e = get_id(s, Q_RUN_NEW, &a, &r, d)))
            return e;
        f.run = r.id;
        if (exp)
            wp_store_w_run_created(s, f.run, labels);
    }
    res->run_id = f.run;
    if ((e = insert_measurement(s, f.run, source_id, m, ids, d)))
        return e;
    if (k && !(s->cache.run.key && strcmp(s->cache.run.key, k) == 0)) {
        free(s->cache.run.key);
        s->cache.run.key = strdup(k); /* NULL on out-of-memory: simply not remembered */
        s->cache.run.id = f.run;
    }
    return WP_OK;
}

enum wp_err wp_store_w_add_rejected(struct wp_store *s, long long source_id, long line,
                                    long col, const char *reason, const char *text,
                                    struct wp_diag *d)
{
    struct wp_args a = {0};
    wp_arg_int(&a, source_id);
    wp_arg_int(&a, line);
    wp_arg_int_or_null(&a, col);
    wp_arg_text(&a, reason);
    wp_arg_text(&a, text);
    return run(s, Q_REJECT_NEW, &a, d);
}

/* ---- token counts -------------------------------------------------------------------- */

struct owner {
    const char *source_path;
    const struct wp_token_count *c;
    struct wp_diag *d;
    enum wp_err e;
};

static int on_owner(void *ctx, const struct wp_row *r)
{
    struct owner *o = ctx;
    const struct wp_token_count *c = o->c;
    o->e = wp_diag_set(o->d, WP_ERR_CONFLICT, o->source_path, 0, 0,
                       "token counts of %s on %s (logged as %s, %s) already come from %s "
                       "(logged as %s, %s): a model and dataset take their counts from one "
                       "file", c->model, c->dataset, c->logged_model, c->logged_dataset,
                       wp_row_text(r, 0), wp_row_text(r, 1), wp_row_text(r, 2));
    return 1;
}

enum wp_err wp_store_w_tokens_put(struct wp_store *s, const char *source_path,
                                  const struct wp_token_count *v, size_t n, struct wp_diag *d)
{
    struct wp_args a = {0};
    wp_arg_text(&a, source_path);
    enum wp_err e = run(s, Q_TOKENS_DEL, &a, d);
    for (size_t i = 0; !e && i < n; i++) {
        const struct wp_token_count *c = &v[i];
        struct wp_args o = {0};
        wp_arg_text(&o, c->model);
        wp_arg_text(&o, c->dataset);
        struct owner w = {source_path, c, d, WP_OK};
        if ((e = s->ops->exec(s, Q_TOKENS_OWNER, &o, on_owner, &w, NULL, d)) || (e = w.e))
            return e;
        struct wp_args t = {0};
        wp_arg_text(&t, c->model);
        wp_arg_text(&t, c->dataset);
        wp_arg_int(&t, c->samples);
        wp_arg_int(&t, c->input_tokens);
        wp_arg_int(&t, c->output_tokens);
        wp_arg_text(&t, c->logged_model);
        wp_arg_text(&t, c->logged_dataset);
        wp_arg_text(&t, source_path);
        wp_arg_text(&t, c->source_sha256);
        e = run(s, Q_TOKENS_NEW, &t, d);
    }
    return e;
}

struct tokens {
    int (*fn)(void *ctx, const struct wp_token_count *c, bool has_experiment);
    void *ctx;
};

static int on_tokens(void *ctx, const struct wp_row *r)
{
    struct tokens *t = ctx;
    struct wp_token_count c = {
        .model = wp_row_text(r, 0),
        .dataset = wp_row_text(r, 1),
        .samples = wp_row_int(r, 2),
        .input_tokens = wp_row_int(r, 3),
        .output_tokens = wp_row_int(r, 4),
        .logged_model = wp_row_text(r, 5),
        .logged_dataset = wp_row_text(r, 6),
        .source_path = wp_row_text(r, 7),
        .source_sha256 = wp_row_text(r, 8),
    };
    return t->fn(t->ctx, &c, wp_row_int(r, 9) != 0);
}

enum wp_err wp_store_w_each_token_count(struct wp_store *s,
                                        int (*fn)(void *ctx, const struct wp_token_count *c,
                                                  bool has_experiment),
                                        void *ctx, struct wp_diag *d)
{
    struct tokens t = {fn, ctx};
    return s->ops->exec(s, Q_TOKENS_ALL, NULL, on_tokens, &t, NULL, d);
}
