/* The store's labelling rules, once for both backends, over the narrow interface of
 * backend.h: manifest and command-line rules, the keys runs are matched on, and labelling
 * a run (its model, task and dataset names, its experiment, and the side effects: model
 * figures and experiment attributes, written once per distinct combination). */
#include "store/backend.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_sql.h"
#include "util/array.h"

static enum wp_err nomem(struct wp_diag *d)
{
    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static int on_first_id(void *ctx, const struct wp_row *r)
{
    long long *id = ctx;
    *id = wp_row_int(r, 0);
    return 1;
}

static void rule_args(struct wp_args *a, const struct wp_label_rule *r, const char *manifest);
static enum wp_err rule_attrs_put(struct wp_store *s, long long id,
                                  const struct wp_label_rule *r, struct wp_diag *d);

enum wp_err wp_store_w_rules_put(struct wp_store *s, const char *manifest,
                                 const struct wp_label_rule *rules, size_t n,
                                 struct wp_diag *d)
{
    enum wp_err e;
    if (manifest) {
        struct wp_args a = {0};
        wp_arg_text(&a, manifest);
        if ((e = s->ops->exec(s, Q_RULES_DEL, &a, NULL, NULL, NULL, d)))
            return e;
    }
    for (size_t i = 0; i < n; i++) {
        struct wp_args a = {0};
        rule_args(&a, &rules[i], manifest);
        long long id = 0;
        if ((e = s->ops->exec(s, Q_RULE_NEW, &a, on_first_id, &id, NULL, d)) ||
            (e = rule_attrs_put(s, id, &rules[i], d)))
            return e;
    }
    return WP_OK;
}

enum wp_err wp_store_w_rules_drop_source(struct wp_store *s, long long source_id,
                                         struct wp_diag *d)
{
    struct wp_args a = {0};
    wp_arg_int(&a, source_id);
    return s->ops->exec(s, Q_RULES_DEL_SOURCE, &a, NULL, NULL, NULL, d);
}

/* ---- one manifest's rules saved and put back ------------------------------------------ */

/* A rule as stored, its text owned. */
struct saved_rule {
    long long id;
    struct wp_label_rule r;
    char *text[8]; /* origin, the four match texts, model, task, dataset */
    char **keys, **vals;
};

struct wp_rules_saved {
    struct saved_rule *v; /* in the order of their ids */
    size_t n, cap;
    bool oom; /* while saving */
};

static bool save_copy(struct saved_rule *x, long long id, const struct wp_label_rule *lr);
static void saved_rule_free(struct saved_rule *x);

/* ---- reading the rules ---------------------------------------------------------------- */

/* A read of the rules (RULE_COLS: a row per attribute, in order of rule id and key).  A
 * rule is given to fn once its last row is read, so it is held, copied, until then; the
 * caller's fn may run statements of its own. */
struct rules {
    struct wp_store *s;
    int (*fn)(void *ctx, long long rule_id, const struct wp_label_rule *r);
    void *ctx;
    struct wp_diag *d;
    enum wp_err e;
    const struct wp_rules_saved *with; /* given in place of the rules left out, by id */
    size_t next;                       /* with's next rule to give */
    bool held; /* the rule being read (cur), with its attributes so far */
    struct saved_rule cur;
    size_t cap_attr;
};

static int with_before(struct rules *x, long long id);

/* Gives fn the rule held, if any, then lets it go: non-zero when fn stops. */
static int give_held(struct rules *x)
{
    if (!x->held)
        return 0;
    x->cur.r.attr_keys = (const char *const *)x->cur.keys;
    x->cur.r.attr_values = (const char *const *)x->cur.vals;
    int stop = x->fn(x->ctx, x->cur.id, &x->cur.r);
    saved_rule_free(&x->cur);
    memset(&x->cur, 0, sizeof x->cur);
    x->cap_attr = 0;
    x->held = false;
    return stop;
}

/* Adds the row's attribute (columns 15 and 16) to the rule held: false when out of memory. */
static bool hold_attr(struct rules *x, const struct wp_row *row)
{
    struct saved_rule *c = &x->cur;
    size_t n = c->r.n_attr, cap_k = x->cap_attr, cap_v = x->cap_attr; /* the two grow alike */
    if (WP_ARRAY_GROW(c->keys, n + 1, cap_k) || WP_ARRAY_GROW(c->vals, n + 1, cap_v))
        return false;
    x->cap_attr = cap_k;
    c->keys[n] = strdup(wp_row_text(row, 15));
    c->vals[n] = strdup(wp_row_text(row, 16));
    c->r.n_attr = n + 1; /* freed with the rule, whole or not */
    return c->keys[n] && c->vals[n];
}

static int on_rule(void *ctx, const struct wp_row *row)
{
    struct rules *x = ctx;
    long long id = wp_row_int(row, 0);
    if (!x->held || x->cur.id != id) { /* a rule's first row */
        if (give_held(x) || with_before(x, id))
            return 1;
        x->held = true;
        x->cur.id = id;
        struct wp_label_rule r = {
            .origin = wp_row_text(row, 1),
            .match_project = wp_row_text_or_null(row, 2),
            .match_experiment = wp_row_text_or_null(row, 3),
            .match_run = wp_row_text_or_null(row, 4),
            .match_file = wp_row_text_or_null(row, 5),
            .match_source_id = wp_row_int(row, 6),
            .model = wp_row_text_or_null(row, 7),
            .task = wp_row_text_or_null(row, 8),
            .dataset = wp_row_text_or_null(row, 9),
            .inferences = wp_row_int(row, 10),
            .batch_size = wp_row_int(row, 11),
            .parameters = wp_row_int(row, 12),
            .training_energy_j = wp_row_real(row, 13),
        };
        if (!save_copy(&x->cur, id, &r)) {
            x->e = nomem(x->d);
            return 1;
        }
    }
    if (!wp_row_null(row, 15) && !hold_attr(x, row)) {
        x->e = nomem(x->d);
        return 1;
    }
    return 0;
}

/* Reads q (RULE_COLS, arguments a) into fn: the last rule is given once the rows end. */
static enum wp_err read_rules(struct rules *x, int q, const struct wp_args *a)
{
    enum wp_err e = x->s->ops->exec(x->s, q, a, on_rule, x, NULL, x->d);
    if (!e && !x->e)
        give_held(x);
    saved_rule_free(&x->cur); /* held after a failure or a stop */
    memset(&x->cur, 0, sizeof x->cur);
    x->held = false;
    return e ? e : x->e;
}

/* Gives fn x->with's rules whose ids come before id (LLONG_MAX: all that are left), where
 * they stood among the stored rules: non-zero when fn stops. */
static int with_before(struct rules *x, long long id)
{
    for (; x->with && x->next < x->with->n && x->with->v[x->next].id < id; x->next++)
        if (x->fn(x->ctx, x->with->v[x->next].id, &x->with->v[x->next].r))
            return 1;
    return 0;
}

enum wp_err wp_store_w_rules_each(struct wp_store *s, const char *hide,
                                  const struct wp_rules_saved *with,
                                  int (*fn)(void *ctx, long long rule_id,
                                            const struct wp_label_rule *r),
                                  void *ctx, struct wp_diag *d)
{
    struct rules x = {s, fn, ctx, d, WP_OK, hide ? with : NULL, 0, false, {0}, 0};
    struct wp_args a = {0};
    wp_arg_text(&a, hide); /* NULL: none left out */
    enum wp_err e = read_rules(&x, Q_RULES_ALL, &a);
    if (!e)
        with_before(&x, LLONG_MAX);
    return e;
}

static void saved_rule_free(struct saved_rule *x)
{
    for (size_t i = 0; i < sizeof x->text / sizeof x->text[0]; i++)
        free(x->text[i]);
    for (size_t i = 0; i < x->r.n_attr; i++) {
        free(x->keys[i]);
        free(x->vals[i]);
    }
    free(x->keys);
    free(x->vals);
}

void wp_store_rules_saved_free(struct wp_rules_saved *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        saved_rule_free(&r->v[i]);
    free(r->v);
    free(r);
}

size_t wp_store_rules_saved_count(const struct wp_rules_saved *r)
{
    return r ? r->n : 0;
}

/* A copy of s (NULL stays NULL) in *out: false when out of memory. */
static bool dup_text(const char *s, char **out)
{
    *out = s ? strdup(s) : NULL;
    return !s || *out;
}

static int save_rule(void *ctx, long long id, const struct wp_label_rule *lr)
{
    struct wp_rules_saved *r = ctx;
    if (WP_ARRAY_GROW(r->v, r->n + 1, r->cap)) {
        r->oom = true;
        return 1;
    }
    struct saved_rule *x = &r->v[r->n];
    memset(x, 0, sizeof *x);
    r->n++;
    r->oom = !save_copy(x, id, lr);
    return r->oom;
}

/* Copies lr into x (zeroed): false when out of memory (x then frees what it holds). */
static bool save_copy(struct saved_rule *x, long long id, const struct wp_label_rule *lr)
{
    x->id = id;
    x->r = *lr;
    x->r.n_attr = 0;
    const char *text[8] = {lr->origin, lr->match_project, lr->match_experiment,
                           lr->match_run, lr->match_file, lr->model, lr->task, lr->dataset};
    for (size_t i = 0; i < 8; i++)
        if (!dup_text(text[i], &x->text[i]))
            return false;
    x->r.origin = x->text[0];
    x->r.match_project = x->text[1];
    x->r.match_experiment = x->text[2];
    x->r.match_run = x->text[3];
    x->r.match_file = x->text[4];
    x->r.model = x->text[5];
    x->r.task = x->text[6];
    x->r.dataset = x->text[7];
    if (lr->n_attr && (!(x->keys = calloc(lr->n_attr, sizeof *x->keys)) ||
                       !(x->vals = calloc(lr->n_attr, sizeof *x->vals))))
        return false;
    for (size_t i = 0; i < lr->n_attr; i++) {
        x->r.n_attr = i + 1;
        if (!dup_text(lr->attr_keys[i], &x->keys[i]) || !dup_text(lr->attr_values[i], &x->vals[i]))
            return false;
    }
    x->r.attr_keys = (const char *const *)x->keys;
    x->r.attr_values = (const char *const *)x->vals;
    return true;
}

enum wp_err wp_store_w_rules_save(struct wp_store *s, const char *manifest,
                                  struct wp_rules_saved **out, struct wp_diag *d)
{
    struct wp_rules_saved *r = calloc(1, sizeof *r);
    if (!r)
        return nomem(d);
    struct rules x = {s, save_rule, r, d, WP_OK, NULL, 0, false, {0}, 0};
    struct wp_args a = {0};
    wp_arg_text(&a, manifest);
    enum wp_err e = read_rules(&x, Q_RULES_OF, &a);
    if (!e && r->oom)
        e = nomem(d);
    if (e) {
        wp_store_rules_saved_free(r);
        return e;
    }
    *out = r;
    return WP_OK;
}

struct keys {
    int (*fn)(void *ctx, const struct wp_run_keys *k);
    void *ctx;
};

static int on_keys(void *ctx, const struct wp_row *r)
{
    struct keys *x = ctx;
    struct wp_run_keys k = {
        .run_id = wp_row_int(r, 0),
        .project_name = wp_row_text(r, 1),
        .experiment_label = wp_row_text(r, 2),
        .run_label = wp_row_text(r, 3),
        .file_name = wp_row_text(r, 4),
        .source_id = wp_row_int(r, 5),
        .experiment_id = wp_row_int(r, 6),
    };
    return x->fn(x->ctx, &k);
}

enum wp_err wp_store_run_keys_range(struct wp_store *s, long long from, long long to,
                                    int (*fn)(void *ctx, const struct wp_run_keys *k),
                                    void *ctx, struct wp_diag *d)
{
    struct keys x = {fn, ctx};
    struct wp_args a = {0};
    wp_arg_int(&a, from);
    wp_arg_int(&a, to);
    return s->ops->exec(s, Q_KEYS_RANGE, &a, on_keys, &x, NULL, d);
}

enum wp_err wp_store_run_max(struct wp_store *s, long long *id, struct wp_diag *d)
{
    *id = 0;
    return s->ops->exec(s, Q_RUN_MAX, NULL, on_first_id, id, NULL, d);
}

enum wp_err wp_store_w_run_keys_each(struct wp_store *s, long long source_id,
                                     int (*fn)(void *ctx, const struct wp_run_keys *k),
                                     void *ctx, struct wp_diag *d)
{
    struct keys x = {fn, ctx};
    struct wp_args a = {0};
    wp_arg_int(&a, source_id);
    return s->ops->exec(s, source_id ? Q_KEYS_SOURCE : Q_KEYS_ALL, source_id ? &a : NULL,
                        on_keys, &x, NULL, d);
}

/* ---- labelling a run ----------------------------------------------------------------- */

enum { MEMO_MODEL, MEMO_TASK, MEMO_DATASET, MEMO_EXPERIMENT };

/* Tells the run labeller what was added for the labels it decided (only then). */
static void note_added(struct wp_store *s, int kind, long long id)
{
    if (s->label_deciding && s->labeller.added)
        s->labeller.added(s->labeller.ctx, kind, id);
}

/* Inserts the name if new and returns its id (0 for a NULL or empty name); the last
 * names of each kind are remembered.  With missing not NULL nothing is added: a name the
 * database does not hold sets *missing. */
static enum wp_err name_id(struct wp_store *s, enum wp_q put, enum wp_q get, int kind,
                           const char *name, long long *id, bool *missing, struct wp_diag *d)
{
    *id = 0;
    if (!name || !*name)
        return WP_OK;
    if (wp_store_memo_get(s, kind, name, id))
        return WP_OK;
    struct wp_args a = {0};
    wp_arg_text(&a, name);
    long long added = 0;
    enum wp_err e = missing ? WP_OK : s->ops->exec(s, put, &a, NULL, NULL, &added, d);
    if (!e)
        e = s->ops->exec(s, get, &a, on_first_id, id, NULL, d);
    if (e)
        return e;
    if (!*id && missing) {
        *missing = true;
        return WP_OK;
    }
    if (!*id)
        return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "database: find name: \"%s\" not found",
                           name);
    wp_store_memo_put(s, kind, name, *id);
    if (added > 0)
        note_added(s, kind, *id);
    return WP_OK;
}

static enum wp_err update_model(struct wp_store *s, long long model, const struct wp_labels *l,
                                struct wp_diag *d)
{
    enum wp_err e;
    if (l->parameters > 0) {
        struct wp_args a = {0};
        wp_arg_int(&a, model);
        wp_arg_int(&a, l->parameters);
        if ((e = s->ops->exec(s, Q_MODEL_PARAMS, &a, NULL, NULL, NULL, d)))
            return e;
    }
    if (!isnan(l->training_energy_j)) {
        struct wp_args a = {0};
        wp_arg_int(&a, model);
        wp_arg_real(&a, l->training_energy_j);
        if ((e = s->ops->exec(s, Q_MODEL_TRAINING, &a, NULL, NULL, NULL, d)))
            return e;
    }
    return WP_OK;
}

/* Writes v as 16 hex digits at w (no NUL): a key part, cheaper than printing it (every run
 * a manifest labels builds two keys). */
static char *put_hex(char *w, unsigned long long v)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, v >>= 4)
        w[i] = hex[v & 15];
    return w + 16;
}

/* The key an experiment is remembered by: its model, task and dataset ids and counts. */
#define EXP_KEY (5 * 16 + 1)
static void exp_key(const long long ids[3], const struct wp_labels *l, char key[EXP_KEY])
{
    char *w = key;
    const long long parts[5] = {ids[0], ids[1], ids[2], l->inferences, l->batch_size};
    for (int i = 0; i < 5; i++)
        w = put_hex(w, (unsigned long long)parts[i]);
    *w = '\0';
}

/* The experiment of ids[] (model, task, dataset) and l's counts, added if new; with
 * missing not NULL, only found (*missing set when it is not there). */
static enum wp_err experiment_id(struct wp_store *s, const long long ids[3],
                                 const struct wp_labels *l, long long *exp, bool *missing,
                                 struct wp_diag *d)
{
    char key[EXP_KEY];
    exp_key(ids, l, key);
    if (wp_store_memo_get(s, MEMO_EXPERIMENT, key, exp))
        return WP_OK;
    struct wp_args a = {0};
    for (int i = 0; i < 3; i++)
        wp_arg_int_or_null(&a, ids[i]);
    wp_arg_int_or_null(&a, l->inferences);
    wp_arg_int_or_null(&a, l->batch_size);
    *exp = 0;
    enum wp_err e = s->ops->exec(s, Q_EXP_GET, &a, on_first_id, exp, NULL, d);
    if (!e && !*exp && missing) {
        *missing = true;
        return WP_OK;
    }
    if (!e && !*exp && !(e = s->ops->exec(s, Q_EXP_NEW, &a, on_first_id, exp, NULL, d)))
        note_added(s, MEMO_EXPERIMENT, *exp);
    if (!e)
        wp_store_memo_put(s, MEMO_EXPERIMENT, key, *exp);
    return e;
}

/* What labelling writes for a model: its parameters and training energy (as bits). */
static char *model_side_key(const struct wp_labels *l)
{
    char *k = malloc(2 * 16 + 1);
    if (!k)
        return NULL;
    unsigned long long training;
    memcpy(&training, &l->training_energy_j, sizeof training);
    *put_hex(put_hex(k, (unsigned long long)l->parameters), training) = '\0';
    return k;
}

/* What labelling writes for an experiment: its attributes, each as key US value RS. */
static char *exp_side_key(const struct wp_labels *l)
{
    size_t len = 1;
    for (size_t i = 0; i < l->n_attr; i++)
        len += strlen(l->attr_keys[i]) + strlen(l->attr_values[i]) + 2;
    char *k = malloc(len), *w = k;
    if (!k)
        return NULL;
    for (size_t i = 0; i < l->n_attr; i++) {
        size_t a = strlen(l->attr_keys[i]), b = strlen(l->attr_values[i]);
        memcpy(w, l->attr_keys[i], a);
        w[a] = '\x1f';
        memcpy(w + a + 1, l->attr_values[i], b);
        w[a + 1 + b] = '\x1e';
        w += a + b + 2;
    }
    *w = '\0';
    return k;
}

/* The ids remembered for the labels' model, task, dataset and experiment, without a
 * statement: false when one is not remembered. */
static bool resolve_cached(struct wp_store *s, const struct wp_labels *l, long long *exp)
{
    const char *names[3] = {l->model, l->task, l->dataset};
    long long ids[3];
    for (int k = 0; k < 3; k++) {
        ids[k] = 0;
        if (names[k] && *names[k] && !wp_store_memo_get(s, k, names[k], &ids[k]))
            return false;
    }
    *exp = 0;
    if (!(ids[0] || ids[1] || ids[2] || l->inferences || l->batch_size || l->n_attr))
        return true;
    char key[EXP_KEY];
    exp_key(ids, l, key);
    return wp_store_memo_get(s, MEMO_EXPERIMENT, key, exp);
}

/* The ids of the labels' model, task and dataset (0: none) and of their experiment (0:
 * none: labels that name none of them), added as needed; with missing not NULL nothing is
 * added, and *missing says that one is not there (*exp then 0). */
static enum wp_err resolve(struct wp_store *s, const struct wp_labels *l, long long ids[3],
                           long long *exp, bool *missing, struct wp_diag *d)
{
    enum wp_err e;
    *exp = 0;
    if ((e = name_id(s, Q_MODEL_PUT, Q_MODEL_GET, MEMO_MODEL, l->model, &ids[0], missing,
                     d)) ||
        (e = name_id(s, Q_TASK_PUT, Q_TASK_GET, MEMO_TASK, l->task, &ids[1], missing, d)) ||
        (e = name_id(s, Q_DATASET_PUT, Q_DATASET_GET, MEMO_DATASET, l->dataset, &ids[2],
                     missing, d)))
        return e;
    if (missing && *missing)
        return WP_OK;
    bool any = ids[0] || ids[1] || ids[2] || l->inferences || l->batch_size || l->n_attr;
    if (!any || (e = experiment_id(s, ids, l, exp, missing, d)))
        return e;
    if (missing && *missing)
        *exp = 0;
    return WP_OK;
}

/* The names and experiment of l (found or added: *exp) and what labelling a run with l
 * writes besides the run: the model's figures and the experiment's attributes. */
static enum wp_err effects(struct wp_store *s, const struct wp_labels *l, long long *exp,
                           struct wp_diag *d)
{
    long long ids[3];
    enum wp_err e;
    if ((e = resolve(s, l, ids, exp, NULL, d)))
        return e;
    /* the model's figures and the experiment's attributes: written again only when they
     * differ from what was written for that model or experiment last, not once per run */
    if (ids[0] && !wp_store_side_written(s->cache.model_side, ids[0], model_side_key(l)) &&
        (e = update_model(s, ids[0], l, d)))
        return e;
    if (!*exp || !l->n_attr || wp_store_side_written(s->cache.exp_side, *exp, exp_side_key(l)))
        return WP_OK;
    for (size_t i = 0; i < l->n_attr; i++) {
        struct wp_args a = {0};
        wp_arg_int(&a, *exp);
        wp_arg_text(&a, l->attr_keys[i]);
        wp_arg_text(&a, l->attr_values[i]);
        if ((e = s->ops->exec(s, Q_EXP_ATTR_PUT, &a, NULL, NULL, NULL, d)))
            return e;
    }
    return WP_OK;
}

enum wp_err wp_store_w_label_effects(struct wp_store *s, const struct wp_labels *l,
                                     struct wp_diag *d)
{
    long long exp;
    return effects(s, l, &exp, d);
}

enum wp_err wp_store_w_label_run(struct wp_store *s, long long run_id,
                                 const struct wp_labels *l, struct wp_diag *d)
{
    long long exp;
    enum wp_err e = effects(s, l, &exp, d);
    if (e)
        return e;
    /* a run stored in its experiment as it was added (wp_store_w_run_experiment) */
    if (l->is_current_known && l->current_experiment_id == exp)
        return WP_OK;
    /* labelled again by other rules (the pass after a file): what the run labeller decided
     * for it no longer holds */
    wp_store_w_run_joined(s, run_id);
    s->runs_moved++;
    if (s->ops->label_later)
        return s->ops->label_later(s, run_id, exp, d);
    struct wp_args a = {0};
    wp_arg_int(&a, run_id);
    wp_arg_int_or_null(&a, exp);
    return s->ops->exec(s, Q_RUN_LABEL, &a, NULL, NULL, NULL, d);
}

/* Binds a rule's columns as Q_RULE_NEW and Q_RULE_RESTORE take them (?1 .. ?14). */
static void rule_args(struct wp_args *a, const struct wp_label_rule *r, const char *manifest)
{
    wp_arg_text(a, r->origin);
    wp_arg_text(a, manifest);
    wp_arg_text(a, r->match_project);
    wp_arg_text(a, r->match_experiment);
    wp_arg_text(a, r->match_run);
    wp_arg_text(a, r->match_file);
    wp_arg_int_or_null(a, r->match_source_id);
    wp_arg_text(a, r->model);
    wp_arg_text(a, r->task);
    wp_arg_text(a, r->dataset);
    wp_arg_int_or_null(a, r->inferences);
    wp_arg_int_or_null(a, r->batch_size);
    wp_arg_int_or_null(a, r->parameters);
    wp_arg_real(a, r->training_energy_j);
}

static enum wp_err rule_attrs_put(struct wp_store *s, long long id,
                                  const struct wp_label_rule *r, struct wp_diag *d)
{
    for (size_t k = 0; k < r->n_attr; k++) {
        struct wp_args x = {0};
        wp_arg_int(&x, id);
        wp_arg_text(&x, r->attr_keys[k]);
        wp_arg_text(&x, r->attr_values[k]);
        enum wp_err e = s->ops->exec(s, Q_RULE_ATTR_NEW, &x, NULL, NULL, NULL, d);
        if (e)
            return e;
    }
    return WP_OK;
}

enum wp_err wp_store_w_rules_restore(struct wp_store *s, const char *manifest,
                                     const struct wp_rules_saved *r, struct wp_diag *d)
{
    struct wp_args a = {0};
    wp_arg_text(&a, manifest);
    enum wp_err e = s->ops->exec(s, Q_RULES_DEL, &a, NULL, NULL, NULL, d);
    for (size_t i = 0; !e && r && i < r->n; i++) {
        struct wp_args x = {0};
        rule_args(&x, &r->v[i].r, manifest);
        wp_arg_int(&x, r->v[i].id);
        long long id = 0;
        if (!(e = s->ops->exec(s, Q_RULE_RESTORE, &x, on_first_id, &id, NULL, d)))
            e = rule_attrs_put(s, id, &r->v[i].r, d);
    }
    return e;
}

static bool same_text(const char *a, const char *b)
{
    return (!a || !b) ? a == b : strcmp(a, b) == 0;
}

/* Whether the attributes of a (stored: distinct keys) are those of b (given). */
static bool same_attrs(const struct wp_label_rule *a, const struct wp_label_rule *b)
{
    if (a->n_attr != b->n_attr)
        return false;
    for (size_t i = 0; i < b->n_attr; i++) {
        size_t k = 0;
        while (k < a->n_attr && strcmp(a->attr_keys[k], b->attr_keys[i]) != 0)
            k++;
        if (k == a->n_attr || strcmp(a->attr_values[k], b->attr_values[i]) != 0)
            return false;
    }
    return true;
}

bool wp_store_rules_saved_same(const struct wp_rules_saved *r,
                               const struct wp_label_rule *rules, size_t n)
{
    if (!r || r->n != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        const struct wp_label_rule *a = &r->v[i].r, *b = &rules[i];
        const char *ta[8] = {a->origin, a->match_project, a->match_experiment, a->match_run,
                             a->match_file, a->model, a->task, a->dataset};
        const char *tb[8] = {b->origin, b->match_project, b->match_experiment, b->match_run,
                             b->match_file, b->model, b->task, b->dataset};
        for (int k = 0; k < 8; k++)
            if (!same_text(ta[k], tb[k]))
                return false;
        bool same_training = isnan(a->training_energy_j)
                                 ? isnan(b->training_energy_j)
                                 : a->training_energy_j == b->training_energy_j;
        if (a->match_source_id != b->match_source_id || a->inferences != b->inferences ||
            a->batch_size != b->batch_size || a->parameters != b->parameters ||
            !same_training || !same_attrs(a, b))
            return false;
    }
    return true;
}

/* ---- labels decided as runs are added ------------------------------------------------ */

void wp_store_set_labeller(struct wp_store *s, const struct wp_run_labeller *l)
{
    s->labeller = l ? *l : (struct wp_run_labeller){0};
}

const struct wp_run_labeller *wp_store_labeller(const struct wp_store *s)
{
    return s->labeller.fn ? &s->labeller : NULL;
}

void wp_store_w_label_source(struct wp_store *s, long long source_id, const char *name,
                             const char *format)
{
    size_t n = strlen(name), f = format ? strlen(format) : 0;
    s->label_source_id = 0;
    if (s->labeller.source_new)
        s->labeller.source_new(s->labeller.ctx, source_id);
    if (n >= sizeof s->label_source_name || f >= sizeof s->label_source_format)
        return; /* not kept: its runs are labelled after the file, as any run can be */
    memcpy(s->label_source_name, name, n + 1);
    memcpy(s->label_source_format, format ? format : "", f + 1);
    s->label_source_id = source_id;
}

enum wp_err wp_store_w_run_experiment(struct wp_store *s, long long source_id,
                                      const struct wp_measurement *m, bool *known,
                                      long long *exp, const struct wp_labels **labels,
                                      struct wp_diag *d)
{
    *exp = 0;
    *labels = NULL;
    if (known)
        *known = true;
    if (!s->labeller.fn || !source_id || source_id != s->label_source_id)
        return WP_OK;
    struct wp_run_keys k = {
        .project_name = m->project_name,
        .experiment_label = m->experiment_label,
        .run_label = m->run_label,
        .file_name = s->label_source_name,
        .source_id = source_id,
        .format = s->label_source_format,
    };
    bool may_add = false, missing = false;
    const struct wp_labels *l = s->labeller.fn(s->labeller.ctx, &k, &may_add);
    long long ids[3];
    *labels = l;
    if (!l || (known && resolve_cached(s, l, exp)))
        return WP_OK;
    if (known && may_add) { /* added only for a run that takes them: decided with the row */
        *known = false;
        return WP_OK;
    }
    s->label_deciding = true;
    enum wp_err e = resolve(s, l, ids, exp, may_add ? NULL : &missing, d);
    s->label_deciding = false;
    if (!e && missing && s->labeller.missing)
        s->labeller.missing(s->labeller.ctx); /* not looked up again */
    return e;
}

void wp_store_w_run_created(struct wp_store *s, long long run_id, const struct wp_labels *l)
{
    if (s->labeller.created)
        s->labeller.created(s->labeller.ctx, run_id, l);
}

void wp_store_w_run_joined(struct wp_store *s, long long run_id)
{
    if (s->labeller.joined)
        s->labeller.joined(s->labeller.ctx, run_id);
}

void wp_store_w_label_settled(struct wp_store *s, bool committed)
{
    if (s->labeller.settled)
        s->labeller.settled(s->labeller.ctx, committed);
}

enum wp_err wp_store_label_drop_unused(struct wp_store *s, int kind, long long id,
                                       struct wp_diag *d)
{
    static const enum wp_q q[4] = {Q_MODEL_DROP_UNUSED, Q_TASK_DROP_UNUSED,
                                   Q_DATASET_DROP_UNUSED, Q_EXP_DROP_UNUSED};
    if (kind < 0 || kind > 3)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "no label kind %d", kind);
    struct wp_args a = {0};
    wp_arg_int(&a, id);
    long long gone = 0;
    enum wp_err e = s->ops->exec(s, q[kind], &a, NULL, NULL, &gone, d);
    if (!e && gone)
        wp_store_cache_forget(s); /* the remembered ids may name it */
    return e;
}

static int on_any(void *ctx, const struct wp_row *r)
{
    (void)r;
    *(bool *)ctx = true;
    return 1;
}

enum wp_err wp_store_any_run(struct wp_store *s, bool *any, struct wp_diag *d)
{
    *any = false;
    return s->ops->exec(s, Q_RUN_ANY, NULL, on_any, any, NULL, d);
}

enum wp_err wp_store_may_drop_labels(struct wp_store *s, bool *may, struct wp_diag *d)
{
    *may = false;
    return s->ops->exec(s, Q_LABELS_DROPPABLE, NULL, on_any, may, NULL, d);
}

enum wp_err wp_store_may_read_values(struct wp_store *s, bool *may, struct wp_diag *d)
{
    *may = false;
    return s->ops->exec(s, Q_VALUES_READABLE, NULL, on_any, may, NULL, d);
}
