/* Applying labelling rules to runs (see label.h): match each measurement of a run against
 * the rules that can match it, merge the labels field by field, report disagreements.  The
 * rules are indexed (plain match values in a hash table, file globs checked once per file
 * name), and a run's merged labels are worked out once per distinct list of matching
 * rules, so labelling takes time in proportion to runs + rules, not runs x rules.  The same
 * index decides, as an ingest adds a run, the labels the pass will give it when they are
 * certain (wp_label_pre_*), so that the run is stored in its experiment and the pass
 * leaves it alone. */
#include "ingest/label.h"

#include <fnmatch.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "util/array.h"
#include "util/text.h"

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
    int slot;      /* where the index files it (enum slot) */
    size_t next;   /* the next rule of its bucket, in order of definition (NONE: last) */
    size_t glob;   /* its place among the glob rules (S_GLOB) */
    size_t prefix; /* a glob's literal start: names without it cannot match */
};

#define NONE SIZE_MAX

/* The match column a rule is filed under: the first of these it has.  A rule is looked up
 * by that column's value and then checked against all of its columns, so each rule sits in
 * one bucket and a key meets only the rules that can match it. */
enum slot { S_NONE, S_SOURCE, S_RUN, S_PROJECT, S_EXPERIMENT, S_FILE, S_GLOB, S__N };

enum field { F_MODEL, F_TASK, F_DATASET, F_INFERENCES, F_BATCH, F_PARAMS, F_TRAINING, F__N };
static const char *const field_names[F__N] = {
    "model", "task", "dataset", "inferences", "batch_size", "parameters", "training_kwh",
};

/* A disagreement between two rules of the same rank over one field of a run. */
struct conflict {
    const struct rule *first, *later;
    int field;
};

/* The labels that one list of matching rules (in the order they are met) gives a run, with
 * its disagreements: worked out once, shared by every run with that list. */
struct merged {
    size_t *seq, n_seq; /* the rules' positions */
    uint64_t hash;
    const struct rule *by[F__N];
    size_t n_attr;
    const char **attr_keys, **attr_values;
    size_t n_conf;
    struct conflict *conf;
    bool missing; /* labels as runs are added: names what the store may not add */
    /* labels as runs are added: the labels handed out (stable: the store hands them back
     * with the run they went to), and the last run stored with them, committed (0: none)
     * and in the transaction still open (0: none) */
    struct wp_labels out;
    long long last_run, open_run;
};

struct applier {
    struct wp_store *s;
    const struct wp_reporter *rep;
    struct rule *rules;
    size_t n_rules, cap_rules;
    /* the index: buckets of rules by (slot, match value), open addressing over rule
     * positions (NONE: empty); the glob rules apart, checked once per file name */
    size_t *table, table_cap;
    bool has_slot[S__N];
    size_t *globs, n_globs;
    bool *glob_hit;
    char *hit_file; /* the file name glob_hit is for (the keys of one file come together) */
    /* the run being gathered: its id, its experiment now and the rules its measurements
     * matched, in order */
    long long run_id, run_exp;
    size_t *seq, n_seq, cap_seq;
    size_t *cand, cap_cand;
    /* the merged labels of each distinct list of rules, open addressing */
    struct merged **memo;
    size_t memo_cap, memo_n;
    struct wp_label_stats st;
    enum wp_err err;
    struct wp_diag *d;
    /* the pass after an ingest's files: the labels of the runs it does not read (stored
     * in their experiments as they were added) that write more than the run, each written
     * where the last of its runs comes in id order, and the next of them to write */
    struct effect {
        const struct merged *m;
        long long run;
    } *effects;
    size_t n_effects, cap_effects, next_effect;
};

static enum wp_err nomem(struct applier *a)
{
    return a->err = wp_diag_set(a->d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* FNV-1a over n bytes, continuing from h. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

#define FNV_START 0xcbf29ce484222325ull

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
    if (WP_ARRAY_GROW(a->rules, a->n_rules + 1, a->cap_rules))
        goto nomem;
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

/* Whether a file glob is a plain name: fnmatch (flags 0) then matches exactly that name. */
static bool is_literal(const char *glob)
{
    return !strpbrk(glob, "*?[\\");
}

/* The length of name without a ".gz" ending, as wp_label_file_matches strips it (n when it has
 * none or it may not be stripped). */
static size_t plain_len(const char *name, size_t n)
{
    if (n <= 3 || strcmp(name + n - 3, ".gz") != 0 || n - 3 >= 1024)
        return n;
    return n - 3;
}

/* A glob matches the file's name, or its name without a .gz ending (a compressed log is
 * the same log). */
bool wp_label_file_matches(const char *glob, const char *name)
{
    if (fnmatch(glob, name, 0) == 0)
        return true;
    size_t n = strlen(name), p = plain_len(name, n);
    if (p == n)
        return false;
    char plain[1024];
    memcpy(plain, name, p);
    plain[p] = '\0';
    return fnmatch(glob, plain, 0) == 0;
}

/* wp_label_file_matches for a glob without metacharacters: the name, or the name without .gz. */
static bool literal_matches(const char *glob, const char *name)
{
    size_t n = strlen(name), p = plain_len(name, n);
    return strcmp(glob, name) == 0 || (p != n && strlen(glob) == p && memcmp(glob, name, p) == 0);
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

/* ---- the index ----------------------------------------------------------------------- */

static int slot_of(const struct rule *r)
{
    if (r->match_source_id)
        return S_SOURCE;
    if (r->match_run)
        return S_RUN;
    if (r->match_project)
        return S_PROJECT;
    if (r->match_experiment)
        return S_EXPERIMENT;
    if (r->match_file)
        return is_literal(r->match_file) ? S_FILE : S_GLOB;
    return S_NONE; /* no match column: matches nothing */
}

/* The value a rule is filed under (its slot's match column). */
static const char *slot_text(const struct rule *r)
{
    switch (r->slot) {
    case S_RUN: return r->match_run;
    case S_PROJECT: return r->match_project;
    case S_EXPERIMENT: return r->match_experiment;
    default: return r->match_file;
    }
}

static uint64_t slot_hash(int slot, const char *text, size_t len, long long id)
{
    uint64_t h = fnv(FNV_START, &slot, sizeof slot);
    return slot == S_SOURCE ? fnv(h, &id, sizeof id) : fnv(h, text, len);
}

/* The first rule of bucket (slot, text[0..len) or id), or NONE. */
static size_t lookup(const struct applier *a, int slot, const char *text, size_t len,
                     long long id)
{
    if (!a->has_slot[slot])
        return NONE;
    size_t mask = a->table_cap - 1;
    for (size_t i = slot_hash(slot, text, len, id) & mask;; i = (i + 1) & mask) {
        size_t head = a->table[i];
        if (head == NONE)
            return NONE;
        const struct rule *r = &a->rules[head];
        if (r->slot != slot)
            continue;
        if (slot == S_SOURCE ? r->match_source_id == id
                             : strlen(slot_text(r)) == len && memcmp(slot_text(r), text, len) == 0)
            return head;
    }
}

static enum wp_err build_index(struct applier *a)
{
    a->table_cap = 16;
    while (a->table_cap < 2 * a->n_rules)
        a->table_cap *= 2;
    if (!(a->table = malloc(a->table_cap * sizeof *a->table)) ||
        !(a->globs = malloc((a->n_rules ? a->n_rules : 1) * sizeof *a->globs)) ||
        !(a->glob_hit = calloc(a->n_rules ? a->n_rules : 1, sizeof *a->glob_hit)))
        return nomem(a);
    for (size_t i = 0; i < a->table_cap; i++)
        a->table[i] = NONE;
    size_t *tail = malloc(a->table_cap * sizeof *tail); /* the last rule of each bucket */
    if (!tail)
        return nomem(a);
    size_t mask = a->table_cap - 1;
    for (size_t k = 0; k < a->n_rules; k++) {
        struct rule *r = &a->rules[k];
        r->slot = slot_of(r);
        r->next = NONE;
        if (r->slot == S_NONE)
            continue;
        if (r->slot == S_GLOB) {
            r->glob = a->n_globs;
            r->prefix = strcspn(r->match_file, "*?[\\");
            a->globs[a->n_globs++] = k;
            continue;
        }
        a->has_slot[r->slot] = true;
        const char *text = r->slot == S_SOURCE ? NULL : slot_text(r);
        size_t len = text ? strlen(text) : 0;
        for (size_t i = slot_hash(r->slot, text, len, r->match_source_id) & mask;;
             i = (i + 1) & mask) {
            if (a->table[i] == NONE) { /* a new bucket */
                a->table[i] = tail[i] = k;
                break;
            }
            const struct rule *h = &a->rules[a->table[i]];
            if (h->slot == r->slot &&
                (r->slot == S_SOURCE ? h->match_source_id == r->match_source_id
                                     : strcmp(slot_text(h), text) == 0)) {
                a->rules[tail[i]].next = k; /* rules are filed in order of definition */
                tail[i] = k;
                break;
            }
        }
    }
    free(tail);
    return WP_OK;
}

/* Which glob rules match this file name (fnmatch once per file name and glob). */
static enum wp_err globs_for(struct applier *a, const char *name)
{
    if (a->hit_file && strcmp(a->hit_file, name) == 0)
        return WP_OK;
    free(a->hit_file);
    if (!(a->hit_file = strdup(name)))
        return nomem(a);
    for (size_t g = 0; g < a->n_globs; g++) {
        const struct rule *r = &a->rules[a->globs[g]];
        a->glob_hit[g] = strncmp(r->match_file, name, r->prefix) == 0 &&
                         wp_label_file_matches(r->match_file, name);
    }
    return WP_OK;
}

static bool push(size_t **v, size_t *n, size_t *cap, size_t x)
{
    if (WP_ARRAY_GROW(*v, *n + 1, *cap))
        return false;
    (*v)[(*n)++] = x;
    return true;
}

/* Adds the rules of the bucket starting at head to the candidates. */
static bool add_bucket(struct applier *a, size_t head, size_t *n)
{
    for (size_t k = head; k != NONE; k = a->rules[k].next)
        if (!push(&a->cand, n, &a->cap_cand, k))
            return false;
    return true;
}

/* The rules that can match k: its buckets' and the globs that match its file name, in
 * order of definition (the order every rule was tried in, which decides precedence). */
static enum wp_err candidates(struct applier *a, const struct wp_run_keys *k, size_t *n)
{
    *n = 0;
    size_t fn = strlen(k->file_name), pn = plain_len(k->file_name, fn);
    size_t heads[6] = {
        lookup(a, S_SOURCE, NULL, 0, k->source_id),
        a->has_slot[S_RUN] ? lookup(a, S_RUN, k->run_label, strlen(k->run_label), 0) : NONE,
        a->has_slot[S_PROJECT]
            ? lookup(a, S_PROJECT, k->project_name, strlen(k->project_name), 0) : NONE,
        a->has_slot[S_EXPERIMENT]
            ? lookup(a, S_EXPERIMENT, k->experiment_label, strlen(k->experiment_label), 0)
            : NONE,
        lookup(a, S_FILE, k->file_name, fn, 0),
        pn != fn ? lookup(a, S_FILE, k->file_name, pn, 0) : NONE,
    };
    for (int i = 0; i < 6; i++)
        if (!add_bucket(a, heads[i], n))
            return nomem(a);
    if (a->n_globs) {
        enum wp_err e = globs_for(a, k->file_name);
        if (e)
            return e;
        for (size_t g = 0; g < a->n_globs; g++)
            if (a->glob_hit[g] && !push(&a->cand, n, &a->cap_cand, a->globs[g]))
                return nomem(a);
    }
    for (size_t i = 1; i < *n; i++) /* a handful: insertion sort */
        for (size_t j = i; j > 0 && a->cand[j - 1] > a->cand[j]; j--) {
            size_t t = a->cand[j];
            a->cand[j] = a->cand[j - 1];
            a->cand[j - 1] = t;
        }
    return WP_OK;
}

static bool file_hit(const struct applier *a, const struct rule *r, const char *name)
{
    if (!r->match_file)
        return false;
    return is_literal(r->match_file) ? literal_matches(r->match_file, name)
           : r->slot == S_GLOB       ? a->glob_hit[r->glob]
                                     : wp_label_file_matches(r->match_file, name);
}

/* ---- merging, once per distinct list of rules ------------------------------------------ */

static bool merge(struct merged *m, const struct rule *r, size_t *cap_conf)
{
    for (int f = 0; f < F__N; f++) {
        if (!field_set(r, f))
            continue;
        if (!m->by[f] || priority(r) > priority(m->by[f])) {
            m->by[f] = r;
        } else if (priority(r) < priority(m->by[f])) {
            continue;
        } else if (m->by[f] != r && !field_same(m->by[f], r, f)) {
            if (WP_ARRAY_GROW(m->conf, m->n_conf + 1, *cap_conf))
                return false;
            m->conf[m->n_conf++] = (struct conflict){m->by[f], r, f};
        }
    }
    for (size_t i = 0; i < r->n_attr; i++) {
        size_t j;
        for (j = 0; j < m->n_attr; j++)
            if (strcmp(m->attr_keys[j], r->attr_keys[i]) == 0)
                break;
        if (j == m->n_attr && m->n_attr < 64) {
            m->attr_keys[m->n_attr] = r->attr_keys[i];
            m->attr_values[m->n_attr++] = r->attr_values[i];
        }
    }
    return true;
}

static void merged_free(struct merged *m)
{
    if (!m)
        return;
    free(m->seq);
    free(m->attr_keys);
    free(m->attr_values);
    free(m->conf);
    free(m);
}

/* Works out the labels of the rules a->seq[0..n_seq), in that order. */
static struct merged *merged_new(struct applier *a, uint64_t hash)
{
    struct merged *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    size_t cap_conf = 0;
    m->hash = hash;
    m->n_seq = a->n_seq;
    m->seq = malloc(a->n_seq * sizeof *m->seq);
    m->attr_keys = calloc(64, sizeof *m->attr_keys);
    m->attr_values = calloc(64, sizeof *m->attr_values);
    bool ok = m->seq && m->attr_keys && m->attr_values;
    if (ok)
        memcpy(m->seq, a->seq, a->n_seq * sizeof *m->seq);
    for (size_t i = 0; ok && i < a->n_seq; i++)
        ok = merge(m, &a->rules[a->seq[i]], &cap_conf);
    if (!ok) {
        merged_free(m);
        return NULL;
    }
    return m;
}

/* The merged labels of a->seq, from the memo or worked out now (NULL: out of memory). */
static struct merged *resolve(struct applier *a)
{
    uint64_t h = fnv(FNV_START, a->seq, a->n_seq * sizeof *a->seq);
    if (2 * (a->memo_n + 1) > a->memo_cap) { /* grow, keeping at most half full */
        size_t cap = a->memo_cap ? 2 * a->memo_cap : 64;
        struct merged **t = calloc(cap, sizeof *t);
        if (!t)
            return NULL;
        for (size_t i = 0; i < a->memo_cap; i++) {
            struct merged *m = a->memo[i];
            if (!m)
                continue;
            size_t j = m->hash & (cap - 1);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = m;
        }
        free(a->memo);
        a->memo = t;
        a->memo_cap = cap;
    }
    size_t mask = a->memo_cap - 1, i = h & mask;
    for (; a->memo[i]; i = (i + 1) & mask) {
        struct merged *m = a->memo[i];
        if (m->hash == h && m->n_seq == a->n_seq &&
            memcmp(m->seq, a->seq, a->n_seq * sizeof *a->seq) == 0)
            return m;
    }
    if (!(a->memo[i] = merged_new(a, h)))
        return NULL;
    a->memo_n++;
    return a->memo[i];
}

/* The labels merged rules give (false: none at all). */
static bool labels_of(const struct merged *m, struct wp_labels *l)
{
    bool any = m->n_attr > 0;
    for (int f = 0; f < F__N; f++)
        any |= m->by[f] != NULL;
    if (!any)
        return false;
    const struct rule *const *by = m->by;
    *l = (struct wp_labels){
        .model = by[F_MODEL] ? by[F_MODEL]->model : NULL,
        .task = by[F_TASK] ? by[F_TASK]->task : NULL,
        .dataset = by[F_DATASET] ? by[F_DATASET]->dataset : NULL,
        .inferences = by[F_INFERENCES] ? by[F_INFERENCES]->inferences : 0,
        .batch_size = by[F_BATCH] ? by[F_BATCH]->batch_size : 0,
        .parameters = by[F_PARAMS] ? by[F_PARAMS]->parameters : 0,
        .training_energy_j = by[F_TRAINING] ? by[F_TRAINING]->training_energy_j : NAN,
        .n_attr = m->n_attr,
        .attr_keys = m->attr_keys,
        .attr_values = m->attr_values,
    };
    return true;
}

/* Labels the gathered run: its disagreements reported (the first ten, all counted), then
 * its labels stored. */
static enum wp_err flush(struct applier *a)
{
    long long run_id = a->run_id;
    bool gathered = a->n_seq > 0;
    a->run_id = 0;
    if (!run_id || !gathered)
        return WP_OK;
    struct merged *m = resolve(a);
    a->n_seq = 0;
    if (!m)
        return nomem(a);
    for (size_t i = 0; i < m->n_conf; i++) {
        const struct conflict *c = &m->conf[i];
        if (!a->st.conflicts) {
            snprintf(a->st.conflict_origin, sizeof a->st.conflict_origin, "%s",
                     c->later->origin);
            snprintf(a->st.conflict_field, sizeof a->st.conflict_field, "%s",
                     field_names[c->field]);
            snprintf(a->st.conflict_first, sizeof a->st.conflict_first, "%s",
                     c->first->origin);
        }
        if (++a->st.conflicts <= 10)
            wp_report(a->rep, WP_WARN, NULL, 0, 0,
                      "run %lld: %s and %s give different %s; keeping the first", run_id,
                      c->first->origin, c->later->origin, field_names[c->field]);
    }
    struct wp_labels l;
    if (!labels_of(m, &l))
        return WP_OK;
    /* a run stored in its experiment as it was added is not written again */
    l.is_current_known = true;
    l.current_experiment_id = a->run_exp;
    enum wp_err e = wp_store_label_run(a->s, run_id, &l, a->d);
    if (e)
        return a->err = e;
    a->st.runs_labeled++;
    return WP_OK;
}

/* Writes the effects of the labels of runs not read whose last run comes before run_id:
 * where the pass would have written them, had it read every run in id order. */
static enum wp_err effects_before(struct applier *a, long long run_id)
{
    for (; a->next_effect < a->n_effects; a->next_effect++) {
        const struct effect *x = &a->effects[a->next_effect];
        struct wp_labels l;
        if (x->run >= run_id)
            break;
        if (!labels_of(x->m, &l))
            continue;
        enum wp_err e = wp_store_label_effects(a->s, &l, a->d);
        if (e)
            return a->err = e;
    }
    return WP_OK;
}

static int on_key(void *ctx, const struct wp_run_keys *k)
{
    struct applier *a = ctx;
    if (k->run_id != a->run_id) {
        if (flush(a) || effects_before(a, k->run_id))
            return 1;
        a->run_id = k->run_id;
        a->run_exp = k->experiment_id;
    }
    size_t n;
    if (candidates(a, k, &n))
        return 1;
    for (size_t i = 0; i < n; i++) {
        struct rule *r = &a->rules[a->cand[i]];
        if (!matches(r, file_hit(a, r, k->file_name), k))
            continue;
        r->matched++;
        if (!push(&a->seq, &a->n_seq, &a->cap_seq, a->cand[i])) {
            nomem(a);
            return 1;
        }
    }
    return 0;
}

static void applier_free(struct applier *a)
{
    for (size_t i = 0; i < a->n_rules; i++)
        free_rule(&a->rules[i]);
    for (size_t i = 0; i < a->memo_cap; i++)
        merged_free(a->memo[i]);
    free(a->memo);
    free(a->rules);
    free(a->table);
    free(a->globs);
    free(a->glob_hit);
    free(a->hit_file);
    free(a->seq);
    free(a->cand);
    free(a->effects);
}

static enum wp_err apply(struct wp_store *s, long long source_id,
                         const struct wp_label_pre *pre, const struct wp_reporter *rep,
                         struct wp_label_stats *stats, struct wp_diag *d);

enum wp_err wp_label_apply(struct wp_store *s, long long source_id,
                           const struct wp_reporter *rep, struct wp_label_stats *stats,
                           struct wp_diag *d)
{
    return apply(s, source_id, NULL, rep, stats, d);
}

enum wp_err wp_label_apply_after(struct wp_store *s, const struct wp_label_pre *pre,
                                 const struct wp_reporter *rep, struct wp_label_stats *stats,
                                 struct wp_diag *d)
{
    return apply(s, 0, pre, rep, stats, d);
}

/* ---- labels decided as runs are added ------------------------------------------------- */

struct wp_label_pre {
    struct applier a;   /* the rules and their index; a.s NULL: it writes nothing */
    /* the rules from the manifest given: a.rules[from_manifest .. end_manifest); the
     * command line's labels, when given, are a.rules[end_manifest], the last */
    size_t from_manifest, end_manifest;
    bool has_cli;
    struct merged *last;  /* the labels last decided */
    bool used_manifest;
    /* whether names and experiments may be added for a run's labels: in a database that
     * held no runs and no rules, until the first run whose labels are not certain (from
     * then on the pass adds them, in the order of its runs, as it would have) */
    bool may_add;
    bool sets[F__N]; /* whether any rule sets the field */
    /* the runs stored in an experiment, as ranges of ids, and the files seen */
    long long (*runs)[2];
    size_t n_runs, cap_runs;
    long long *sources;
    size_t n_sources, cap_sources;
    long long (*added)[2]; /* names and experiments added for them: {kind, id} */
    size_t n_added, cap_added;
    bool oom; /* a run or file not noted: wp_label_pre_undo cannot take them back */
    /* the manifest given (NULL: none) and its path as its rules' origins keep it, whether
     * it was read (its rules are then a.rules[from_manifest..]), and its rules as stored
     * when p was opened */
    char *manifest, *manifest_stored;
    bool has_manifest;
    struct wp_rules_saved *saved;
    /* its rules are stored as read (by p, or by an earlier ingest of it); p stored them in
     * place of saved (undo puts saved back); p stores them in the transaction being
     * committed */
    bool rules_stored, rules_put, put_pending;
    /* what the pass after the files need not read again (wp_label_apply_after): the runs
     * stored with labels p handed out, as ranges of ids, [0, n_kept_done) committed (the
     * last of them then ending at kept_done_end), the rest in the open transaction; the
     * labels used in that transaction; runs a later measurement joined; the files whose
     * runs got labels */
    long long (*kept)[2];
    size_t n_kept, cap_kept, n_kept_done;
    long long kept_done_end;
    struct merged **open;
    size_t n_open, cap_open;
    long long *joined;
    size_t n_joined, cap_joined;
    long long *certain;
    size_t n_certain, cap_certain;
    bool no_skip; /* the account is not whole (runs removed, out of memory): read every run */
    /* the open transaction, for the pass after its file (source_settled): the first file
     * created in it, the file of the new runs p was asked about (-1: more than one), how
     * many it was asked about and how many were stored with its labels, and whether p
     * gave labels for each, the store held or added their names, p kept account of each
     * and no run was joined */
    long long open_new_source, open_source;
    size_t open_asked, open_created;
    bool open_whole;
};

bool wp_label_is_idle_value(const char *v)
{
    return !strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1");
}

/* The parsers that state labels of their own (the sink's file_labels and
 * experiment_labels): the rules those add while the file is read are not known when its
 * runs are added, so their runs are labelled by the pass after the file. */
static const char *const states_labels[] = {"boamps", "generic", "ml-energy",
                                            "optimum-benchmark"};

static bool format_states_labels(const char *format)
{
    if (!format || !*format)
        return true; /* unknown: the safe side */
    for (size_t i = 0; i < sizeof states_labels / sizeof states_labels[0]; i++)
        if (strcmp(format, states_labels[i]) == 0)
            return true;
    return false;
}

/* Whether a stored rule is one of manifest's, which its rules read now replace: the
 * origins manifest.c gives them are "PATH:LINE". */
static bool of_manifest(const char *origin, const char *manifest)
{
    size_t n = strlen(manifest);
    if (strncmp(origin, manifest, n) != 0 || origin[n] != ':' || !origin[n + 1])
        return false;
    return strspn(origin + n + 1, "0123456789") == strlen(origin + n + 1);
}

struct pre_load {
    struct wp_label_pre *p;
    const char *manifest;
    size_t stored; /* every stored rule, the manifest's earlier ones too */
};

static int load_stored(void *ctx, long long id, const struct wp_label_rule *lr)
{
    struct pre_load *x = ctx;
    x->stored++;
    if (x->manifest && of_manifest(lr->origin, x->manifest))
        return 0;
    return load_rule(&x->p->a, id, lr);
}

/* The rules of the manifest p was given as the store takes them, *n of them: an array to
 * free (its text is p's, valid while p lives), NULL when out of memory. */
static struct wp_label_rule *manifest_rules(const struct wp_label_pre *p, size_t *n)
{
    *n = p->end_manifest - p->from_manifest;
    struct wp_label_rule *v = calloc(*n ? *n : 1, sizeof *v);
    for (size_t i = 0; v && i < *n; i++) {
        const struct rule *r = &p->a.rules[p->from_manifest + i];
        v[i] = (struct wp_label_rule){
            .origin = r->origin,
            .match_project = r->match_project,
            .match_experiment = r->match_experiment,
            .match_run = r->match_run,
            .match_file = r->match_file,
            .match_source_id = r->match_source_id,
            .model = r->model,
            .task = r->task,
            .dataset = r->dataset,
            .inferences = r->inferences,
            .batch_size = r->batch_size,
            .parameters = r->parameters,
            .training_energy_j = r->training_energy_j,
            .n_attr = r->n_attr,
            .attr_keys = (const char *const *)r->attr_keys,
            .attr_values = (const char *const *)r->attr_values,
        };
    }
    return v;
}

/* Reads the manifest's rules into m; a manifest that cannot be read adds none
 * (wp_manifest_apply says why after the files): only out of memory is an error. */
static enum wp_err read_manifest(struct wp_label_pre *p, struct applier *m, struct wp_diag *d)
{
    struct wp_diag ignored = {0};
    m->d = &ignored;
    enum wp_err r = wp_manifest_rules_each(p->manifest, load_rule, m, &ignored);
    p->has_manifest = !r && !m->err;
    enum wp_err e = r == WP_ERR_NOMEM || m->err == WP_ERR_NOMEM
                        ? wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory")
                        : WP_OK;
    if (!p->has_manifest) { /* none of its rules: a half read manifest adds nothing */
        for (size_t i = 0; i < m->n_rules; i++)
            free_rule(&m->rules[i]);
        m->n_rules = 0;
    }
    m->err = WP_OK;
    m->d = NULL;
    return e;
}

/* Moves m's rules to the end of p's. */
static enum wp_err take_rules(struct wp_label_pre *p, struct applier *m, struct wp_diag *d)
{
    if (!m->n_rules)
        return WP_OK;
    if (WP_ARRAY_GROW(p->a.rules, p->a.n_rules + m->n_rules, p->a.cap_rules))
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    memcpy(&p->a.rules[p->a.n_rules], m->rules, m->n_rules * sizeof *m->rules);
    p->a.n_rules += m->n_rules;
    m->n_rules = 0;
    return WP_OK;
}

bool wp_label_rule_of(const struct wp_ingest_labels *l, const char *origin,
                      long long source_id, const char *experiment, struct wp_label_rule *r)
{
    if (!l || (!l->model && !l->task && !l->dataset && !l->inferences && !l->batch_size &&
               !l->parameters && !l->is_idle))
        return false;
    static const char *const idle_key[] = {"idle"}, *const idle_value[] = {"yes"};
    *r = (struct wp_label_rule){
        .origin = origin,
        .match_source_id = source_id,
        .match_experiment = experiment,
        .model = l->model,
        .task = l->task,
        .dataset = l->dataset,
        .inferences = l->inferences,
        .batch_size = l->batch_size,
        .parameters = l->parameters,
        .training_energy_j = NAN,
        .n_attr = l->is_idle ? 1 : 0,
        .attr_keys = idle_key,
        .attr_values = idle_value,
    };
    return true;
}

/* The command line's labels as the rule an ingest stores for each new file after its rows
 * (ingest.c): it matches every run p decides, which are all in new files.  Kept with no
 * match column, so the index leaves it out; decide() adds it to every run's rules. */
static enum wp_err add_cli(struct wp_label_pre *p, const struct wp_ingest_labels *l)
{
    struct wp_label_rule r;
    if (!wp_label_rule_of(l, "command line", 0, NULL, &r))
        return WP_OK;
    if (load_rule(&p->a, 0, &r))
        return p->a.err;
    p->has_cli = true;
    p->no_skip = true; /* see map_rules */
    return WP_OK;
}

enum wp_err wp_label_pre_open(struct wp_store *s, const char *manifest,
                              const struct wp_ingest_labels *cli, struct wp_label_pre **out,
                              struct wp_diag *d)
{
    *out = NULL;
    struct wp_label_pre *p = calloc(1, sizeof *p);
    if (!p)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    p->a.d = d;
    p->open_whole = true;
    struct applier m = {0}; /* the manifest's rules, read first */
    enum wp_err e = WP_OK;
    if (manifest) {
        /* its rules' origins name it as the store keeps it (bytes not UTF-8 escaped) */
        p->manifest_stored = wp_text_escape_invalid_utf8(manifest);
        if (!(p->manifest = strdup(manifest)) || !p->manifest_stored)
            e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        if (!e && !(e = read_manifest(p, &m, d)))
            e = wp_store_rules_save(s, manifest, &p->saved, d);
    }
    /* the stored rules, but those the manifest's replace (all of them when it cannot be
     * read: it then replaces nothing) */
    struct pre_load x = {p, p->has_manifest ? p->manifest_stored : NULL, 0};
    if (!e)
        e = wp_store_rules_each(s, load_stored, &x, d);
    if (!e)
        e = p->a.err;
    p->from_manifest = p->a.n_rules;
    if (!e)
        e = take_rules(p, &m, d);
    p->end_manifest = p->a.n_rules;
    if (!e)
        e = add_cli(p, cli);
    applier_free(&m);
    if (!e && p->has_manifest) {
        /* stored as they are read (an ingest of it that was stopped): nothing to store */
        size_t n;
        struct wp_label_rule *v = manifest_rules(p, &n);
        if (!v)
            e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        else
            p->rules_stored = wp_store_rules_saved_same(p->saved, v, n);
        free(v);
    }
    if (!e && p->a.n_rules)
        e = build_index(&p->a);
    for (size_t i = 0; !e && i < p->a.n_rules; i++)
        for (int f = 0; f < F__N; f++)
            p->sets[f] |= field_set(&p->a.rules[i], f);
    /* names and experiments are added only where they could be taken back */
    bool runs = true, may_drop = false;
    if (!e && !(e = wp_store_any_run(s, &runs, d)) && !runs && !x.stored &&
        !(e = wp_store_may_drop_labels(s, &may_drop, d)))
        p->may_add = may_drop;
    p->a.d = NULL; /* deciding fills no diag: a failure only leaves the run to the pass */
    if (e) {
        wp_label_pre_free(p);
        return e;
    }
    *out = p;
    return WP_OK;
}

static bool note_source(struct wp_label_pre *p, long long source_id)
{
    if (p->n_sources && p->sources[p->n_sources - 1] == source_id)
        return true;
    for (size_t i = 0; i < p->n_sources; i++)
        if (p->sources[i] == source_id)
            return true;
    if (WP_ARRAY_GROW(p->sources, p->n_sources + 1, p->cap_sources))
        return false;
    p->sources[p->n_sources++] = source_id;
    return true;
}

static const struct wp_labels *decide(struct wp_label_pre *p, const struct wp_run_keys *k);

/* Adds id to a list unless it is its last (false: out of memory). */
static bool note_id(long long **v, size_t *n, size_t *cap, long long id)
{
    if (*n && (*v)[*n - 1] == id)
        return true;
    if (WP_ARRAY_GROW(*v, *n + 1, *cap))
        return false;
    (*v)[(*n)++] = id;
    return true;
}

/* Whether merged labels are the run's for good: every field that names its experiment is
 * given, or no rule gives it (a rule met by a later measurement of the run, of the same
 * rank, only adds a field none of its earlier rules gave: the first rule wins a field). */
static bool complete(const struct wp_label_pre *p, const struct merged *m)
{
    static const int identity[] = {F_MODEL, F_TASK, F_DATASET, F_INFERENCES, F_BATCH};
    for (size_t i = 0; i < sizeof identity / sizeof identity[0]; i++)
        if (!m->by[identity[i]] && p->sets[identity[i]])
            return false;
    return true;
}

const struct wp_labels *wp_label_pre_decide(struct wp_label_pre *p, const struct wp_run_keys *k,
                                            bool *may_add)
{
    const struct wp_labels *l = decide(p, k);
    if (!l)
        p->may_add = false; /* what the pass adds for this run comes before anything later */
    *may_add = p->may_add;
    return l;
}

/* The labels of a new run of keys k when they are certain, else NULL. */
static const struct wp_labels *decide(struct wp_label_pre *p, const struct wp_run_keys *k)
{
    struct applier *a = &p->a;
    struct wp_diag ignored = {0};
    if (!note_source(p, k->source_id))
        p->oom = true;
    if (p->open_source != k->source_id)
        p->open_source = p->open_source ? -1 : k->source_id;
    p->open_asked++;
    bool whole = p->open_whole;
    p->open_whole = false; /* until labels are handed out */
    if (!a->n_rules || format_states_labels(k->format))
        return NULL;
    a->d = &ignored;
    size_t n;
    a->n_seq = 0;
    bool ok = candidates(a, k, &n) == WP_OK;
    bool manifest = false;
    for (size_t i = 0; ok && i < n; i++) {
        const struct rule *r = &a->rules[a->cand[i]];
        if (!matches(r, file_hit(a, r, k->file_name), k))
            continue;
        manifest |= a->cand[i] >= p->from_manifest;
        ok = push(&a->seq, &a->n_seq, &a->cap_seq, a->cand[i]);
    }
    /* the command line's rule, stored after the file: the last of its runs' rules */
    if (ok && p->has_cli)
        ok = push(&a->seq, &a->n_seq, &a->cap_seq, p->end_manifest);
    struct merged *m = ok && a->n_seq ? resolve(a) : NULL;
    a->n_seq = 0;
    a->d = NULL;
    a->err = WP_OK;
    /* disagreeing rules: the pass reports them (and a manifest's are an error) */
    if (!m || m->n_conf || m->missing || !complete(p, m) || !labels_of(m, &m->out))
        return NULL;
    p->last = m;
    const char *names[3] = {m->out.model, m->out.task, m->out.dataset};
    for (int i = 0; i < 3; i++)
        if (names[i] && !wp_utf8_valid(names[i], strlen(names[i])))
            return NULL; /* stored escaped: left to the pass */
    if (!note_id(&p->certain, &p->n_certain, &p->cap_certain, k->source_id))
        p->no_skip = true;
    p->used_manifest |= manifest;
    p->open_whole = whole;
    return &m->out;
}

static const struct wp_labels *pre_fn(void *ctx, const struct wp_run_keys *k, bool *may_add)
{
    return wp_label_pre_decide(ctx, k, may_add);
}

/* Keeps account of a run stored with labels p handed out (l; NULL: the pass reads it):
 * false when it is not kept (the pass reads it). */
static bool keep(struct wp_label_pre *p, long long run_id, const struct wp_labels *l)
{
    if (!l)
        return false;
    struct merged *m = (struct merged *)((char *)l - offsetof(struct merged, out));
    if (!m->open_run && WP_ARRAY_GROW(p->open, p->n_open + 1, p->cap_open)) {
        p->no_skip = true;
        return false;
    }
    if (!m->open_run)
        p->open[p->n_open++] = m;
    if (run_id > m->open_run)
        m->open_run = run_id;
    long long(*last)[2] = p->n_kept ? &p->kept[p->n_kept - 1] : NULL;
    if (last && (*last)[1] + 1 == run_id) {
        (*last)[1] = run_id;
        return true;
    }
    if (last && (*last)[1] >= run_id) {
        p->no_skip = true; /* ids that do not go up: not what the ranges can hold */
        return false;
    }
    if (WP_ARRAY_GROW(p->kept, p->n_kept + 1, p->cap_kept)) {
        p->no_skip = true;
        return false;
    }
    p->kept[p->n_kept][0] = p->kept[p->n_kept][1] = run_id;
    p->n_kept++;
    return true;
}

static void pre_created(void *ctx, long long run_id, const struct wp_labels *l)
{
    struct wp_label_pre *p = ctx;
    p->open_created++;
    if (!keep(p, run_id, l))
        p->open_whole = false;
    if (p->n_runs && p->runs[p->n_runs - 1][1] + 1 == run_id) {
        p->runs[p->n_runs - 1][1] = run_id;
        return;
    }
    if (WP_ARRAY_GROW(p->runs, p->n_runs + 1, p->cap_runs)) {
        p->oom = true;
        return;
    }
    p->runs[p->n_runs][0] = p->runs[p->n_runs][1] = run_id;
    p->n_runs++;
}

/* A run that a later measurement joined is read by the pass (that measurement's keys may
 * match other rules), and so is one labelled anew (by the pass after its file, from the
 * stored rules, the manifest's earlier ones among them). */
static void pre_joined(void *ctx, long long run_id)
{
    struct wp_label_pre *p = ctx;
    p->open_whole = false;
    if (!run_id)
        p->no_skip = true;
    else if (p->n_kept && run_id >= p->kept[0][0] &&
             !note_id(&p->joined, &p->n_joined, &p->cap_joined, run_id))
        p->no_skip = true;
}

/* The open transaction's runs count once it commits; a rollback took them away. */
static void settle_kept(struct wp_label_pre *p, bool committed)
{
    p->open_new_source = p->open_source = 0;
    p->open_asked = p->open_created = 0;
    p->open_whole = true;
    for (size_t i = 0; i < p->n_open; i++) {
        struct merged *m = p->open[i];
        if (committed && m->open_run > m->last_run)
            m->last_run = m->open_run;
        m->open_run = 0;
    }
    p->n_open = 0;
    if (committed) {
        p->n_kept_done = p->n_kept;
        p->kept_done_end = p->n_kept ? p->kept[p->n_kept - 1][1] : 0;
    } else {
        p->n_kept = p->n_kept_done;
        if (p->n_kept)
            p->kept[p->n_kept - 1][1] = p->kept_done_end;
    }
}

static void pre_source_done(void *ctx, long long source_id)
{
    struct wp_label_pre *p = ctx;
    if (!note_source(p, source_id))
        p->oom = true;
}

static void pre_source_new(void *ctx, long long source_id)
{
    struct wp_label_pre *p = ctx;
    if (!p->open_new_source)
        p->open_new_source = source_id;
}

static void pre_missing(void *ctx)
{
    struct wp_label_pre *p = ctx;
    p->open_whole = false; /* the run is stored without them */
    if (p->last)
        p->last->missing = true;
}

static void pre_added(void *ctx, int kind, long long id)
{
    struct wp_label_pre *p = ctx;
    if (WP_ARRAY_GROW(p->added, p->n_added + 1, p->cap_added)) {
        p->oom = true;
        return;
    }
    p->added[p->n_added][0] = kind;
    p->added[p->n_added][1] = id;
    p->n_added++;
}

/* Before a file's transaction commits: the first to hold a run stored labelled also holds
 * the manifest's rules, so that no commit leaves labels that the stored rules do not give
 * (an ingest killed before the pass after the files).  A run counts from its creation,
 * even in a transaction rolled back since: the rules are then stored one file early. */
static enum wp_err pre_before_commit(void *ctx, struct wp_store *s, struct wp_diag *d)
{
    struct wp_label_pre *p = ctx;
    p->put_pending = false;
    if (!p->has_manifest || p->rules_stored || !p->n_runs)
        return WP_OK;
    size_t n;
    struct wp_label_rule *v = manifest_rules(p, &n);
    enum wp_err e = v ? wp_store_rules_put(s, p->manifest, v, n, d)
                      : wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    free(v);
    p->put_pending = !e;
    return e;
}

static void pre_settled(void *ctx, bool committed)
{
    struct wp_label_pre *p = ctx;
    settle_kept(p, committed);
    if (p->put_pending && committed)
        p->rules_stored = p->rules_put = true;
    p->put_pending = false;
}

struct wp_run_labeller wp_label_pre_labeller(struct wp_label_pre *p)
{
    return (struct wp_run_labeller){
        .fn = pre_fn,
        .created = pre_created,
        .joined = pre_joined,
        .added = pre_added,
        .missing = pre_missing,
        .ctx = p,
        .before_commit = pre_before_commit,
        .settled = pre_settled,
        .hide_manifest = p->has_manifest ? p->manifest : NULL,
        .hide_with = p->has_manifest ? p->saved : NULL,
        .source_done = pre_source_done,
        .source_new = pre_source_new,
    };
}

bool wp_label_pre_used_manifest(const struct wp_label_pre *p)
{
    return p && p->used_manifest;
}

bool wp_label_pre_must_undo(const struct wp_label_pre *p)
{
    return p && p->has_manifest &&
           (p->used_manifest || p->rules_put || p->n_runs ||
            wp_store_rules_saved_count(p->saved));
}

enum wp_err wp_label_pre_undo(struct wp_label_pre *p, struct wp_store *s, struct wp_diag *d)
{
    if (p->oom)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0,
                           "out of memory: the runs labelled as they were added are not "
                           "all known");
    enum wp_err e = WP_OK;
    /* the manifest's path gets back the rules it had */
    if (p->rules_put)
        e = wp_store_rules_restore(s, p->manifest, p->saved, d);
    const struct wp_labels none = {.training_energy_j = NAN};
    for (size_t i = 0; !e && i < p->n_runs; i++)
        for (long long id = p->runs[i][0]; !e && id <= p->runs[i][1]; id++)
            e = wp_store_label_run(s, id, &none, d);
    /* the pass after each file left the manifest's path's rules out (hide_manifest): the
     * files p saw, new or grown, are labelled again by the stored rules */
    for (size_t i = 0; !e && i < p->n_sources; i++)
        e = wp_label_apply(s, p->sources[i], NULL, NULL, d);
    if (!e)
        e = wp_label_pre_drop_added(p, s, d);
    return e;
}

enum wp_err wp_label_pre_drop_added(struct wp_label_pre *p, struct wp_store *s,
                                    struct wp_diag *d)
{
    enum wp_err e = WP_OK;
    /* experiments first: a name is only unused once its experiments are gone */
    for (size_t i = p->n_added; !e && i-- > 0;)
        if (p->added[i][0] == 3)
            e = wp_store_label_drop_unused(s, 3, p->added[i][1], d);
    for (size_t i = p->n_added; !e && i-- > 0;)
        if (p->added[i][0] != 3)
            e = wp_store_label_drop_unused(s, (int)p->added[i][0], p->added[i][1], d);
    return e;
}

void wp_label_pre_free(struct wp_label_pre *p)
{
    if (!p)
        return;
    applier_free(&p->a);
    free(p->runs);
    free(p->sources);
    free(p->added);
    free(p->kept);
    free(p->open);
    free(p->joined);
    free(p->certain);
    free(p->manifest);
    free(p->manifest_stored);
    wp_store_rules_saved_free(p->saved);
    free(p);
}

/* ---- the pass after an ingest's files --------------------------------------------------- */

static bool same_text(const char *x, const char *y)
{
    return x == y || (x && y && strcmp(x, y) == 0);
}

static bool has_attr(const struct rule *r, const char *key, const char *value)
{
    for (size_t i = 0; i < r->n_attr; i++)
        if (strcmp(r->attr_keys[i], key) == 0 && strcmp(r->attr_values[i], value) == 0)
            return true;
    return false;
}

/* Whether two rules match the same keys and give the same labels (attributes in any
 * order: the store reads them back by key). */
static bool same_rule(const struct rule *x, const struct rule *y)
{
    if (!same_text(x->origin, y->origin) || !same_text(x->match_project, y->match_project) ||
        !same_text(x->match_experiment, y->match_experiment) ||
        !same_text(x->match_run, y->match_run) || !same_text(x->match_file, y->match_file) ||
        x->match_source_id != y->match_source_id || !same_text(x->model, y->model) ||
        !same_text(x->task, y->task) || !same_text(x->dataset, y->dataset) ||
        x->inferences != y->inferences || x->batch_size != y->batch_size ||
        x->parameters != y->parameters || x->n_attr != y->n_attr ||
        !(x->training_energy_j == y->training_energy_j ||
          (isnan(x->training_energy_j) && isnan(y->training_energy_j))))
        return false;
    for (size_t i = 0; i < x->n_attr; i++)
        if (!has_attr(y, x->attr_keys[i], x->attr_values[i]) ||
            !has_attr(x, y->attr_keys[i], y->attr_values[i]))
            return false;
    return true;
}

static bool has_id(const long long *v, size_t n, long long id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == id)
            return true;
    return false;
}

static int cmp_ll(const void *x, const void *y)
{
    long long a = *(const long long *)x, b = *(const long long *)y;
    return (a > b) - (a < b);
}

static int cmp_effect(const void *x, const void *y)
{
    const struct effect *a = x, *b = y;
    return (a->run > b->run) - (a->run < b->run);
}

/* Whether labelling a run with l writes more than the run: the model's figures or the
 * experiment's attributes (its effects, written where the pass would write them). */
static bool writes_more(const struct wp_labels *l)
{
    return l->parameters > 0 || !isnan(l->training_energy_j) || l->n_attr;
}

/* What the pass need not read: the runs p stored with labels in a committed transaction,
 * but those a later measurement joined.  The pass reads the other runs by id ranges. */
struct plan {
    bool ok;              /* false: the pass reads every run */
    long long (*visit)[2]; /* the id ranges it reads */
    size_t n_visit, cap_visit;
    long long skipped;    /* the runs it does not read */
};

static bool add_visit(struct plan *pl, long long from, long long to)
{
    if (from > to)
        return true;
    if (WP_ARRAY_GROW(pl->visit, pl->n_visit + 1, pl->cap_visit))
        return false;
    pl->visit[pl->n_visit][0] = from;
    pl->visit[pl->n_visit][1] = to;
    pl->n_visit++;
    return true;
}

/* The place in a's rules (the stored ones, the manifest's now among them) of each of p's
 * rules, map[i] for p->a.rules[i]; false when one is not there as p read it, or when a
 * rule p did not know can match a run p labelled (then the pass reads every run). */
static bool map_rules(const struct applier *a, const struct wp_label_pre *p, size_t *map,
                      bool *known)
{
    const struct applier *pa = &p->a;
    for (size_t i = 0; i < p->from_manifest; i++) { /* stored before: by id (ascending) */
        size_t lo = 0, hi = a->n_rules;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (a->rules[mid].id < pa->rules[i].id)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == a->n_rules || a->rules[lo].id != pa->rules[i].id ||
            !same_rule(&a->rules[lo], &pa->rules[i]))
            return false;
        map[i] = lo;
        known[lo] = true;
    }
    size_t next = p->from_manifest; /* the manifest's: in the order of its rows */
    for (size_t j = 0; j < a->n_rules; j++) {
        if (known[j] || !p->manifest ||
            !of_manifest(a->rules[j].origin, p->manifest_stored))
            continue;
        if (next == p->end_manifest || !same_rule(&a->rules[j], &pa->rules[next]))
            return false;
        map[next++] = j;
        known[j] = true;
    }
    /* the command line's labels are a rule of each file, stored after it: p's rule stands
     * for many of the pass's, which the account below cannot map */
    if (next != p->end_manifest || p->has_cli)
        return false;
    /* rules added since p read them: a file's own labels match its runs only, and p
     * labelled none of a file that states labels */
    for (size_t j = 0; j < a->n_rules; j++)
        if (!known[j] && (!a->rules[j].match_source_id ||
                          has_id(p->certain, p->n_certain, a->rules[j].match_source_id)))
            return false;
    return true;
}

/* The labels the pass gives each list of rules p's labels were made of (translated into
 * a's rules): their rules count as matched, and those that write more than the run are
 * written where their last run comes; false when the pass would not give the same. */
static bool account(struct applier *a, const struct wp_label_pre *p, const size_t *map,
                    const long long *joined, size_t n_joined, bool *nomem_out)
{
    const struct applier *pa = &p->a;
    for (size_t i = 0; i < pa->memo_cap; i++) {
        const struct merged *pm = pa->memo[i];
        if (!pm || !pm->last_run)
            continue;
        a->n_seq = 0;
        for (size_t k = 0; k < pm->n_seq; k++)
            if (!push(&a->seq, &a->n_seq, &a->cap_seq, map[pm->seq[k]]))
                return !(*nomem_out = true);
        struct merged *m = resolve(a);
        a->n_seq = 0;
        struct wp_labels l;
        if (!m)
            return !(*nomem_out = true);
        if (m->n_conf || !labels_of(m, &l))
            return false;
        if (!writes_more(&l))
            continue;
        /* its last run read after all: where its effects belong is not known */
        if (bsearch(&pm->last_run, joined, n_joined, sizeof *joined, cmp_ll))
            return false;
        if (WP_ARRAY_GROW(a->effects, a->n_effects + 1, a->cap_effects))
            return !(*nomem_out = true);
        a->effects[a->n_effects++] = (struct effect){m, pm->last_run};
    }
    for (size_t i = 0; i < pa->memo_cap; i++) {
        const struct merged *pm = pa->memo[i];
        if (pm && pm->last_run)
            for (size_t k = 0; k < pm->n_seq; k++)
                a->rules[map[pm->seq[k]]].matched++;
    }
    if (a->n_effects)
        qsort(a->effects, a->n_effects, sizeof *a->effects, cmp_effect);
    return true;
}

/* The runs p kept account of, but those joined, and the ranges of ids the pass reads:
 * the others, up to the last run.  Fewer than SKIP_MIN runs in a row are read with the
 * rest (as the pass would read them, they count once): a range read is a statement, on a
 * server three round trips. */
#define SKIP_MIN 16
static enum wp_err plan_ranges(struct wp_store *s, const struct wp_label_pre *p,
                               const long long *joined, size_t n_joined, struct plan *pl,
                               struct wp_diag *d)
{
    long long max;
    enum wp_err e = wp_store_run_max(s, &max, d);
    if (e)
        return e;
    long long from = 1;
    size_t j = 0;
    for (size_t i = 0; i < p->n_kept_done; i++) {
        long long lo = p->kept[i][0], hi = i + 1 == p->n_kept_done ? p->kept_done_end
                                                                    : p->kept[i][1];
        if (hi > max)
            return WP_OK; /* runs gone: read them all */
        for (long long id = lo; id <= hi;) {
            while (j < n_joined && joined[j] < id)
                j++;
            long long end = j < n_joined && joined[j] <= hi ? joined[j] - 1 : hi;
            if (end - id + 1 >= SKIP_MIN) { /* [id, end] not read */
                if (!add_visit(pl, from, id - 1))
                    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
                pl->skipped += end - id + 1;
                from = end + 1;
            }
            id = end + 2; /* past the joined run, read with the rest */
        }
    }
    if (!add_visit(pl, from, max))
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    pl->ok = true;
    return WP_OK;
}

/* Plans what the pass reads (pl->ok false: every run), the labels of the runs it does not
 * read already counted and their effects placed. */
static enum wp_err plan(struct applier *a, const struct wp_label_pre *p, struct plan *pl)
{
    if (!p || p->no_skip || !p->n_kept_done || p->n_open)
        return WP_OK;
    size_t n = p->a.n_rules ? p->a.n_rules : 1;
    size_t *map = malloc(n * sizeof *map);
    bool *known = calloc(a->n_rules ? a->n_rules : 1, sizeof *known);
    long long *joined = malloc((p->n_joined ? p->n_joined : 1) * sizeof *joined);
    bool oom = !map || !known || !joined;
    enum wp_err e = WP_OK;
    if (!oom && p->n_joined) {
        memcpy(joined, p->joined, p->n_joined * sizeof *joined);
        qsort(joined, p->n_joined, sizeof *joined, cmp_ll);
    }
    if (!oom && map_rules(a, p, map, known) &&
        account(a, p, map, joined, p->n_joined, &oom) && !oom)
        e = plan_ranges(a->s, p, joined, p->n_joined, pl, a->d);
    if (!e && oom)
        e = nomem(a);
    if (!e && !pl->ok) { /* every run read: nothing counted ahead */
        for (size_t i = 0; i < a->n_rules; i++)
            a->rules[i].matched = 0;
        a->n_effects = 0;
        pl->n_visit = 0;
        pl->skipped = 0;
    }
    free(map);
    free(known);
    free(joined);
    return e;
}

/* The labels decided as runs are added, when the store's run labeller is theirs. */
static const struct wp_label_pre *pre_of(const struct wp_store *s)
{
    const struct wp_run_labeller *l = wp_store_labeller(s);
    return l && l->fn == pre_fn ? l->ctx : NULL;
}

/* Whether the pass after file source_id (a's rules loaded) would give each of its runs
 * the labels it has: the file was created in the open transaction, each of its runs was
 * created there with labels p handed out (p was asked about as many new runs as were
 * stored with its labels; the store tells only of the latter) and no run was joined, and
 * a's rules are those p decided with: p's stored ones, then only rules of other files
 * and, for this one, the command line's rule p knew.  (A manifest p holds is left out of
 * that pass, its earlier rules applied in its place: not what p decided with.) */
static bool source_settled(const struct applier *a, const struct wp_label_pre *p,
                           long long source_id)
{
    if (!p || p->has_manifest || !p->open_whole || !p->open_created ||
        p->open_created != p->open_asked || p->open_new_source != source_id ||
        p->open_source != source_id)
        return false;
    struct rule cli = {0};
    if (p->has_cli) { /* as the ingest stored it for this file */
        cli = p->a.rules[p->end_manifest];
        cli.match_source_id = source_id;
    }
    size_t next = 0;
    bool cli_seen = false;
    for (size_t j = 0; j < a->n_rules; j++) { /* both in order of id */
        const struct rule *r = &a->rules[j];
        if (next < p->from_manifest && r->id == p->a.rules[next].id) {
            if (!same_rule(r, &p->a.rules[next++]))
                return false;
        } else if (!r->match_source_id) {
            return false; /* a rule p did not know that any run may match */
        } else if (r->match_source_id == source_id) {
            if (cli_seen || !p->has_cli || !same_rule(r, &cli))
                return false;
            cli_seen = true;
        }
    }
    return next == p->from_manifest && cli_seen == p->has_cli;
}

/* What the pass would write for the runs of the open transaction besides the runs: the
 * effects of each of their labels that writes more than the run, placed where the last
 * run of each comes (the pass writes them run by run, in id order), then written. */
static enum wp_err open_effects(struct applier *a, const struct wp_label_pre *p)
{
    for (size_t i = 0; i < p->n_open; i++) {
        if (!writes_more(&p->open[i]->out))
            continue;
        if (WP_ARRAY_GROW(a->effects, a->n_effects + 1, a->cap_effects))
            return nomem(a);
        a->effects[a->n_effects++] = (struct effect){p->open[i], p->open[i]->open_run};
    }
    if (a->n_effects)
        qsort(a->effects, a->n_effects, sizeof *a->effects, cmp_effect);
    return effects_before(a, LLONG_MAX);
}

/* A pass that may label many runs reads them in pieces of this many ids: between pieces
 * no statement reads the runs, and the store may stop keeping its index of runs by
 * experiment (wp_store_label_many) once the pass has moved enough of them. */
#define PIECE_RUNS 16384

/* Reads the keys of runs from .. to into a: in pieces with a call of wp_store_label_many
 * between them, else in one statement. */
static enum wp_err read_range(struct applier *a, long long from, long long to, bool pieces)
{
    enum wp_err e = WP_OK;
    for (long long lo = from; !e && lo <= to;) {
        long long hi = !pieces || to - lo < PIECE_RUNS ? to : lo + PIECE_RUNS - 1;
        e = wp_store_run_keys_range(a->s, lo, hi, on_key, a, a->d);
        if (!e)
            e = a->err;
        if (e || hi == to)
            break;
        if (pieces)
            e = wp_store_label_many(a->s, true, a->d);
        lo = hi + 1;
    }
    return e;
}

static enum wp_err apply(struct wp_store *s, long long source_id,
                         const struct wp_label_pre *pre, const struct wp_reporter *rep,
                         struct wp_label_stats *stats, struct wp_diag *d)
{
    struct applier a = {.s = s, .rep = rep, .d = d};
    struct plan pl = {0};
    enum wp_err e = wp_store_rules_each(s, load_rule, &a, d);
    if (!e)
        e = a.err;
    if (!e && a.n_rules)
        e = build_index(&a);
    if (!e && a.n_rules && !source_id)
        e = plan(&a, pre, &pl);
    /* the pass after a file whose runs were all stored as it would label them (what the
     * store still holds back counts: it tells the labeller as it stores) */
    const struct wp_label_pre *own = !e && a.n_rules && source_id ? pre_of(s) : NULL;
    const struct wp_label_pre *settled = NULL;
    if (own && !(e = wp_store_flush(s, d)) && source_settled(&a, own, source_id))
        settled = own;
    if (settled)
        e = open_effects(&a, settled);
    /* every run, or most: the store may defer what it indexes by label until the end */
    long long span = 0;
    for (size_t i = 0; i < pl.n_visit; i++)
        span += pl.visit[i][1] - pl.visit[i][0] + 1;
    bool many = !source_id && a.n_rules && (!pl.ok || (span && span >= pl.skipped));
    if (!e && many)
        e = wp_store_label_many(s, true, d);
    if (!e && a.n_rules && !settled) {
        long long max;
        bool pieces = many && wp_store_label_in_pieces(s);
        if (!pl.ok && !pieces)
            e = wp_store_run_keys_each(s, source_id, on_key, &a, d);
        else if (!pl.ok && !(e = wp_store_run_max(s, &max, d)))
            e = read_range(&a, 1, max, true);
        for (size_t i = 0; !e && i < pl.n_visit; i++)
            e = read_range(&a, pl.visit[i][0], pl.visit[i][1], pieces);
        if (!e)
            e = a.err;
        if (!e)
            e = flush(&a);
        if (!e)
            e = effects_before(&a, LLONG_MAX);
        a.st.runs_labeled += pl.skipped;
        a.st.runs_not_read = pl.skipped;
    }
    if (!e && many)
        e = wp_store_label_many(s, false, d);
    if (a.st.conflicts > 10)
        wp_report(rep, WP_WARN, NULL, 0, 0, "%lld more label disagreements not shown",
                  a.st.conflicts - 10);
    a.st.rules = (long long)a.n_rules;
    for (size_t i = 0; i < a.n_rules; i++) {
        if (!e && !source_id && !a.rules[i].matched) {
            a.st.rules_unmatched++;
            wp_report(rep, WP_WARN, NULL, 0, 0, "%s: matches no run", a.rules[i].origin);
        }
    }
    if (stats)
        *stats = a.st;
    applier_free(&a);
    free(pl.visit);
    return e;
}
