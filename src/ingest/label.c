/* Applying labelling rules to runs (see label.h): match every measurement of a run
 * against every rule, merge the labels field by field, report disagreements. */
#include "ingest/label.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rule {
    long long id;
    char *origin, *match_project, *match_experiment, *match_run, *match_file;
    long long match_source_id;
    char *model, *task, *dataset;
    long long inferences, batch_size, parameters;
    double training_energy_j;
    size_t n_attr;
    char **attr_keys, **attr_values;
    long long matched;
};

enum field { F_MODEL, F_TASK, F_DATASET, F_INFERENCES, F_BATCH, F_PARAMS, F_TRAINING, F__N };
static const char *const field_names[F__N] = {
    "model", "task", "dataset", "inferences", "batch_size", "parameters", "training_kwh",
};

/* The labels of the run being gathered, with the rule that set each one. */
struct pending {
    long long run_id;
    const struct rule *by[F__N];
    size_t n_attr;
    const char *attr_keys[64], *attr_values[64];
};

struct applier {
    struct wp_store *s;
    const struct wp_reporter *rep;
    struct rule *rules;
    size_t n_rules, cap_rules;
    struct pending cur;
    /* file_matches of each rule's glob for the key's file name, kept while consecutive
     * keys share it (the keys of one file come together): fnmatch once per file and rule,
     * not once per measurement */
    char *hit_file;
    bool *file_hit;
    struct wp_label_stats st;
    enum wp_err err;
    struct wp_diag *d;
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void free_rule(struct rule *r)
{
    free(r->origin);
    free(r->match_project);
    free(r->match_experiment);
    free(r->match_run);
    free(r->match_file);
    free(r->model);
    free(r->task);
    free(r->dataset);
    for (size_t i = 0; i < r->n_attr; i++) {
        free(r->attr_keys[i]);
        free(r->attr_values[i]);
    }
    free(r->attr_keys);
    free(r->attr_values);
}

static int load_rule(void *ctx, long long id, const struct wp_label_rule *lr)
{
    struct applier *a = ctx;
    if (a->n_rules == a->cap_rules) {
        size_t cap = a->cap_rules ? 2 * a->cap_rules : 32;
        struct rule *r = realloc(a->rules, cap * sizeof *r);
        if (!r)
            goto nomem;
        a->rules = r;
        a->cap_rules = cap;
    }
    struct rule *r = &a->rules[a->n_rules++];
    memset(r, 0, sizeof *r);
    r->id = id;
    r->origin = strdup(lr->origin);
    r->match_project = dup_or_null(lr->match_project);
    r->match_experiment = dup_or_null(lr->match_experiment);
    r->match_run = dup_or_null(lr->match_run);
    r->match_file = dup_or_null(lr->match_file);
    r->match_source_id = lr->match_source_id;
    r->model = dup_or_null(lr->model);
    r->task = dup_or_null(lr->task);
    r->dataset = dup_or_null(lr->dataset);
    r->inferences = lr->inferences;
    r->batch_size = lr->batch_size;
    r->parameters = lr->parameters;
    r->training_energy_j = lr->training_energy_j;
    if (lr->n_attr) {
        r->attr_keys = calloc(lr->n_attr, sizeof *r->attr_keys);
        r->attr_values = calloc(lr->n_attr, sizeof *r->attr_values);
        if (!r->attr_keys || !r->attr_values)
            goto nomem;
        r->n_attr = lr->n_attr;
        for (size_t i = 0; i < lr->n_attr; i++) {
            r->attr_keys[i] = strdup(lr->attr_keys[i]);
            r->attr_values[i] = strdup(lr->attr_values[i]);
            if (!r->attr_keys[i] || !r->attr_values[i])
                goto nomem;
        }
    }
    if (!r->origin)
        goto nomem;
    return 0;
nomem:
    a->err = wp_diag_set(a->d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return 1;
}

/* A glob matches the file's name, or its name without a .gz ending (a compressed log is
 * the same log). */
bool wp_label_file_matches(const char *glob, const char *name)
{
    if (fnmatch(glob, name, 0) == 0)
        return true;
    size_t n = strlen(name);
    if (n <= 3 || strcmp(name + n - 3, ".gz") != 0 || n - 3 >= 1024)
        return false;
    char plain[1024];
    memcpy(plain, name, n - 3);
    plain[n - 3] = '\0';
    return fnmatch(glob, plain, 0) == 0;
}

static bool matches(const struct rule *r, bool file_hit, const struct wp_run_keys *k)
{
    if (r->match_source_id && r->match_source_id != k->source_id)
        return false;
    if (r->match_project && strcmp(r->match_project, k->project_name) != 0)
        return false;
    if (r->match_experiment && strcmp(r->match_experiment, k->experiment_label) != 0)
        return false;
    if (r->match_run && strcmp(r->match_run, k->run_label) != 0)
        return false;
    if (r->match_file && !file_hit)
        return false;
    return r->match_source_id || r->match_project || r->match_experiment || r->match_run ||
           r->match_file;
}

static bool field_set(const struct rule *r, enum field f)
{
    switch (f) {
    case F_MODEL: return r->model != NULL;
    case F_TASK: return r->task != NULL;
    case F_DATASET: return r->dataset != NULL;
    case F_INFERENCES: return r->inferences != 0;
    case F_BATCH: return r->batch_size != 0;
    case F_PARAMS: return r->parameters != 0;
    default: return !isnan(r->training_energy_j);
    }
}

static bool field_same(const struct rule *a, const struct rule *b, enum field f)
{
    switch (f) {
    case F_MODEL: return strcmp(a->model, b->model) == 0;
    case F_TASK: return strcmp(a->task, b->task) == 0;
    case F_DATASET: return strcmp(a->dataset, b->dataset) == 0;
    case F_INFERENCES: return a->inferences == b->inferences;
    case F_BATCH: return a->batch_size == b->batch_size;
    case F_PARAMS: return a->parameters == b->parameters;
    default: return a->training_energy_j == b->training_energy_j;
    }
}

/* Who says a label decides between disagreeing rules: the command line over a manifest,
 * a manifest over what a log file states about itself (an optimum-benchmark config). */
static int priority(const struct rule *r)
{
    if (strcmp(r->origin, "command line") == 0)
        return 3;
    return r->match_source_id ? 1 : 2;
}

static void merge(struct applier *a, const struct rule *r)
{
    struct pending *p = &a->cur;
    for (int f = 0; f < F__N; f++) {
        if (!field_set(r, f))
            continue;
        if (!p->by[f] || priority(r) > priority(p->by[f])) {
            p->by[f] = r;
        } else if (priority(r) < priority(p->by[f])) {
            continue;
        } else if (p->by[f] != r && !field_same(p->by[f], r, f)) {
            if (!a->st.conflicts) {
                snprintf(a->st.conflict_origin, sizeof a->st.conflict_origin, "%s", r->origin);
                snprintf(a->st.conflict_field, sizeof a->st.conflict_field, "%s",
                         field_names[f]);
                snprintf(a->st.conflict_first, sizeof a->st.conflict_first, "%s",
                         p->by[f]->origin);
            }
            if (++a->st.conflicts <= 10)
                wp_report(a->rep, WP_WARN, NULL, 0, 0,
                      "run %lld: %s and %s give different %s; keeping the first", p->run_id,
                      p->by[f]->origin, r->origin, field_names[f]);
        }
    }
    for (size_t i = 0; i < r->n_attr; i++) {
        size_t j;
        for (j = 0; j < p->n_attr; j++)
            if (strcmp(p->attr_keys[j], r->attr_keys[i]) == 0)
                break;
        if (j == p->n_attr && p->n_attr < 64) {
            p->attr_keys[p->n_attr] = r->attr_keys[i];
            p->attr_values[p->n_attr++] = r->attr_values[i];
        }
    }
}

static enum wp_err flush(struct applier *a)
{
    struct pending *p = &a->cur;
    bool any = p->n_attr > 0;
    for (int f = 0; f < F__N; f++)
        any |= p->by[f] != NULL;
    if (p->run_id && any) {
        struct wp_labels l = {
            .model = p->by[F_MODEL] ? p->by[F_MODEL]->model : NULL,
            .task = p->by[F_TASK] ? p->by[F_TASK]->task : NULL,
            .dataset = p->by[F_DATASET] ? p->by[F_DATASET]->dataset : NULL,
            .inferences = p->by[F_INFERENCES] ? p->by[F_INFERENCES]->inferences : 0,
            .batch_size = p->by[F_BATCH] ? p->by[F_BATCH]->batch_size : 0,
            .parameters = p->by[F_PARAMS] ? p->by[F_PARAMS]->parameters : 0,
            .training_energy_j =
                p->by[F_TRAINING] ? p->by[F_TRAINING]->training_energy_j : NAN,
            .n_attr = p->n_attr,
            .attr_keys = p->attr_keys,
            .attr_values = p->attr_values,
        };
        enum wp_err e = wp_store_label_run(a->s, p->run_id, &l, a->d);
        if (e)
            return e;
        a->st.runs_labeled++;
    }
    memset(p, 0, sizeof *p);
    return WP_OK;
}

static int on_key(void *ctx, const struct wp_run_keys *k)
{
    struct applier *a = ctx;
    if (k->run_id != a->cur.run_id) {
        if ((a->err = flush(a)))
            return 1;
        a->cur.run_id = k->run_id;
    }
    if (!a->hit_file || strcmp(a->hit_file, k->file_name) != 0) {
        free(a->hit_file);
        if (!(a->hit_file = strdup(k->file_name))) {
            a->err = wp_diag_set(a->d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
            return 1;
        }
        for (size_t i = 0; i < a->n_rules; i++)
            a->file_hit[i] = a->rules[i].match_file &&
                             wp_label_file_matches(a->rules[i].match_file, k->file_name);
    }
    for (size_t i = 0; i < a->n_rules; i++) {
        if (matches(&a->rules[i], a->file_hit[i], k)) {
            a->rules[i].matched++;
            merge(a, &a->rules[i]);
        }
    }
    return 0;
}

enum wp_err wp_label_apply(struct wp_store *s, long long source_id,
                           const struct wp_reporter *rep, struct wp_label_stats *stats,
                           struct wp_diag *d)
{
    struct applier a = {.s = s, .rep = rep, .d = d};
    enum wp_err e = wp_store_rules_each(s, load_rule, &a, d);
    if (!e)
        e = a.err;
    if (!e && a.n_rules && !(a.file_hit = calloc(a.n_rules, sizeof *a.file_hit)))
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e && a.n_rules) {
        e = wp_store_run_keys_each(s, source_id, on_key, &a, d);
        if (!e)
            e = a.err;
        if (!e)
            e = flush(&a);
    }
    if (a.st.conflicts > 10)
        wp_report(rep, WP_WARN, NULL, 0, 0, "%lld more label disagreements not shown",
                  a.st.conflicts - 10);
    a.st.rules = (long long)a.n_rules;
    for (size_t i = 0; i < a.n_rules; i++) {
        if (!e && !source_id && !a.rules[i].matched) {
            a.st.rules_unmatched++;
            wp_report(rep, WP_WARN, NULL, 0, 0, "%s: matches no run", a.rules[i].origin);
        }
        free_rule(&a.rules[i]);
    }
    free(a.rules);
    free(a.file_hit);
    free(a.hit_file);
    if (stats)
        *stats = a.st;
    return e;
}
