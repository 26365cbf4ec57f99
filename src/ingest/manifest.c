/* Manifest CSV -> labelling rules.  The header names the columns in any order: match
 * columns (project_name, experiment_id, run_id, file: a glob on the file name), label
 * columns (model, task, dataset, inferences, batch_size, parameters, training_kwh), the
 * shards column (which files are the per-process logs of one run: read at ingest, not a
 * label) and any other column, kept as an attribute of the experiment (e.g. purpose).
 * Lines that start with '#' are comments. */
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/csv.h"
#include "ingest/label.h"
#include "util/array.h"
#include "util/num.h"
#include "util/units.h"

enum role {
    R_PROJECT, R_EXPERIMENT, R_RUN, R_FILE, R_MODEL, R_TASK, R_DATASET, R_INFERENCES,
    R_BATCH, R_PARAMS, R_TRAINING, R_SHARDS, R_ATTR, R_IGNORE
};

static const struct {
    const char *name;
    enum role role;
} roles[] = {
    {"project_name", R_PROJECT}, {"experiment_id", R_EXPERIMENT}, {"run_id", R_RUN},
    {"file", R_FILE},            {"model", R_MODEL},              {"task", R_TASK},
    {"dataset", R_DATASET},      {"inferences", R_INFERENCES},    {"batch_size", R_BATCH},
    {"parameters", R_PARAMS},    {"training_kwh", R_TRAINING},    {"shards", R_SHARDS},
};

static enum role role_of(const char *name)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(roles[i].name, name) == 0)
            return roles[i].role;
    return *name ? R_ATTR : R_IGNORE;
}

/* Every rule and the strings it points to, owned here until stored. */
struct rules {
    struct wp_label_rule *v;
    size_t n, cap;
    char **owned;
    size_t n_owned, cap_owned;
    char **header; /* column names, for messages */
    size_t n_header;
    long header_line;
    /* the rows with a shards value: the value, the row's file glob, where */
    struct shard_row {
        const char *name, *glob;
        long line, col;
    } *sh;
    size_t n_sh, cap_sh;
};

static const char *keep(struct rules *rs, const char *s)
{
    if (WP_ARRAY_GROW(rs->owned, rs->n_owned + 1, rs->cap_owned))
        return NULL;
    char *c = strdup(s);
    if (c)
        rs->owned[rs->n_owned++] = c;
    return c;
}

static void rules_free(struct rules *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free((void *)rs->v[i].attr_keys);
        free((void *)rs->v[i].attr_values);
    }
    free(rs->v);
    for (size_t i = 0; i < rs->n_owned; i++)
        free(rs->owned[i]);
    free(rs->owned);
    free(rs->header);
    free(rs->sh);
}

/* A positive whole number (counts); 0 when empty. */
static enum wp_err count_field(const char *path, long line, long col, const char *name,
                               const char *v, long long *out, struct wp_diag *d)
{
    double x;
    *out = 0;
    enum wp_num k = wp_parse_num(v, &x);
    if (k == WP_NUM_MISSING)
        return WP_OK;
    if (k != WP_NUM_OK)
        return wp_diag_set(d, WP_ERR_PARSE, path, line, col, "%s: \"%.40s\" is not a number",
                           name, v);
    if (x <= 0)
        return wp_diag_set(d, WP_ERR_PARSE, path, line, col,
                           "%s: %.40s is negative or zero: give a positive whole number", name,
                           v);
    if (x != floor(x) || x > 9e15)
        return wp_diag_set(d, WP_ERR_PARSE, path, line, col,
                           "%s: %.40s is not a whole number", name, v);
    *out = (long long)x;
    return WP_OK;
}

static enum wp_err parse_row(const char *path, const struct wp_csv_record *rec,
                             const enum role *role, char *const *names, size_t n,
                             struct rules *rs, struct wp_diag *d)
{
    if (WP_ARRAY_GROW(rs->v, rs->n + 1, rs->cap))
        return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    struct wp_label_rule *r = &rs->v[rs->n++];
    memset(r, 0, sizeof *r);
    r->training_energy_j = NAN;
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    const char **vals = calloc(n ? n : 1, sizeof *vals);
    r->attr_keys = keys;
    r->attr_values = vals;
    if (!keys || !vals)
        return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    char origin[512];
    snprintf(origin, sizeof origin, "%s:%ld", path, rec->line);
    if (!(r->origin = keep(rs, origin)))
        return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    enum wp_err e = WP_OK;
    struct shard_row sh = {0};
    long idle_col = 0; /* the idle column, when this row fills it */
    for (size_t i = 0; i < n && !e; i++) {
        const char *v = rec->fields[i];
        long col = (long)i + 1;
        if (!*v || role[i] == R_IGNORE)
            continue;
        const char *kept = keep(rs, v);
        if (!kept)
            return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
        double x;
        switch (role[i]) {
        case R_PROJECT: r->match_project = kept; break;
        case R_EXPERIMENT: r->match_experiment = kept; break;
        case R_RUN: r->match_run = kept; break;
        case R_FILE: r->match_file = kept; break;
        case R_MODEL: r->model = kept; break;
        case R_TASK: r->task = kept; break;
        case R_DATASET: r->dataset = kept; break;
        case R_INFERENCES:
            e = count_field(path, rec->line, col, "inferences", v, &r->inferences, d);
            break;
        case R_BATCH:
            e = count_field(path, rec->line, col, "batch_size", v, &r->batch_size, d);
            break;
        case R_PARAMS:
            e = count_field(path, rec->line, col, "parameters", v, &r->parameters, d);
            break;
        case R_TRAINING:
            if (wp_parse_num(v, &x) != WP_NUM_OK || x < 0)
                e = wp_diag_set(d, WP_ERR_PARSE, path, rec->line, col,
                                "training_kwh: \"%.40s\" is not a non-negative number", v);
            r->training_energy_j = x * WP_J_PER_KWH;
            break;
        case R_SHARDS:
            sh = (struct shard_row){.name = kept, .line = rec->line, .col = col};
            break;
        case R_ATTR:
            keys[r->n_attr] = names[i];
            vals[r->n_attr++] = kept;
            if (!strcmp(names[i], "idle"))
                idle_col = col;
            break;
        case R_IGNORE: break;
        }
    }
    /* idle windows measure no model, as ingest --idle says: a row marking them and naming
     * what they ran would make them runs of it (and units in every statistic) */
    if (!e && idle_col && wp_label_is_idle_value(rec->fields[idle_col - 1]) &&
        (r->model || r->task || r->dataset || r->inferences || r->batch_size))
        e = wp_diag_set(d, WP_ERR_PARSE, path, rec->line, idle_col,
                        "idle \"%.40s\": idle windows of a host measure no model, so this "
                        "row's model, task, dataset, inferences or batch_size do not go with it "
                        "(label the runs in rows of their own)",
                        rec->fields[idle_col - 1]);
    if (!e && !r->match_project && !r->match_experiment && !r->match_run && !r->match_file)
        e = wp_diag_set(d, WP_ERR_PARSE, path, rec->line, 0,
                        "row has no match value: project_name, experiment_id, run_id and "
                        "file are all empty");
    if (!e && sh.name && !(sh.glob = r->match_file))
        e = wp_diag_set(d, WP_ERR_PARSE, path, sh.line, sh.col,
                        "shards \"%.40s\": the row names no file glob (the shards are files: "
                        "give their names in the file column)", sh.name);
    if (!e && sh.name) {
        if (WP_ARRAY_GROW(rs->sh, rs->n_sh + 1, rs->cap_sh))
            return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
        rs->sh[rs->n_sh++] = sh;
    }
    return e;
}

static enum wp_err read_rules(const char *path, struct rules *rs, struct wp_diag *d)
{
    struct wp_reader *r = NULL;
    struct wp_csv *csv = NULL;
    enum role *role = NULL;
    char **names = NULL;
    size_t n = 0;
    enum wp_err e = wp_reader_open(path, &r, d);
    if (e || (e = wp_csv_open(r, &csv, d)))
        goto out;
    for (;;) {
        struct wp_csv_record *rec;
        bool done;
        if ((e = wp_csv_next(csv, &rec, &done, d)) || done)
            break;
        /* a line that starts with '#' is a comment (the skeleton's help); "#x" quoted is data */
        if (rec->raw && rec->raw[0] == '#')
            continue;
        if (!role) {
            n = rec->n;
            role = calloc(n ? n : 1, sizeof *role);
            names = calloc(n ? n : 1, sizeof *names);
            if (!role || !names) {
                e = wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
                break;
            }
            bool has_match = false;
            for (size_t i = 0; i < n; i++) {
                role[i] = role_of(rec->fields[i]);
                has_match |= role[i] <= R_FILE;
                if (!(names[i] = (char *)keep(rs, rec->fields[i]))) {
                    e = wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
                    goto out;
                }
                for (size_t j = 0; j < i; j++)
                    if (*names[i] && strcmp(names[i], names[j]) == 0) {
                        e = wp_diag_set(d, WP_ERR_PARSE, path, rec->line, (long)i + 1,
                                        "duplicate column \"%s\"", names[i]);
                        goto out;
                    }
            }
            rs->header = names;
            rs->n_header = n;
            rs->header_line = rec->line;
            names = NULL;
            if (!has_match) {
                e = wp_diag_set(d, WP_ERR_PARSE, path, rec->line, 0,
                                "manifest header has no match column: give project_name, "
                                "experiment_id, run_id or file");
                break;
            }
            continue;
        }
        if (rec->n != n) {
            e = wp_diag_set(d, WP_ERR_PARSE, path, rec->line, 0,
                            "expected %zu fields, found %zu", n, rec->n);
            break;
        }
        if ((e = parse_row(path, rec, role, rs->header, n, rs, d)))
            break;
    }
    if (!e && !role)
        e = wp_diag_set(d, WP_ERR_PARSE, path, 0, 0, "empty manifest");
out:
    free(role);
    free(names);
    wp_csv_close(csv);
    wp_reader_close(r);
    return e;
}

/* name folded for a near miss: lower case, without '_', '-' and spaces, without a trailing
 * 's' (into buf of size). */
static void fold(const char *name, char *buf, size_t size)
{
    size_t k = 0;
    for (; *name && k + 1 < size; name++)
        if (!strchr("_- ", *name))
            buf[k++] = (char)tolower((unsigned char)*name);
    if (k > 1 && buf[k - 1] == 's')
        k--;
    buf[k] = '\0';
}

/* A column kept as an attribute whose name is a label's but for case, separators or a
 * plural ("Model", "inference", "Batch Size"): most likely meant as the label, which the
 * rows then do not give.  Warned at its header column, with the label's name. */
static void warn_near_labels(const char *path, const struct rules *rs,
                             const struct wp_reporter *rep)
{
    for (size_t i = 0; i < rs->n_header; i++) {
        if (role_of(rs->header[i]) != R_ATTR)
            continue;
        char a[64], b[64];
        fold(rs->header[i], a, sizeof a);
        for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++) {
            fold(roles[k].name, b, sizeof b);
            if (strcmp(a, b) == 0) {
                wp_report(rep, WP_WARN, path, rs->header_line, (long)i + 1,
                          "column \"%.60s\" is not one of the manifest's columns, so it is "
                          "kept as an attribute of the experiments; did you mean \"%s\"?",
                          rs->header[i], roles[k].name);
                break;
            }
        }
    }
}

/* The column of label `field` in the manifest's header (0 when absent). */
static long column_of(const struct rules *rs, const char *field)
{
    for (size_t i = 0; i < rs->n_header; i++)
        if (strcmp(rs->header[i], field) == 0)
            return (long)i + 1;
    return 0;
}

enum wp_err wp_manifest_apply(struct wp_store *s, const char *path,
                              const struct wp_reporter *rep, size_t *n_rules,
                              struct wp_label_stats *stats, struct wp_diag *d)
{
    return wp_manifest_apply_after(s, path, NULL, rep, n_rules, stats, d);
}

enum wp_err wp_manifest_apply_after(struct wp_store *s, const char *path,
                                    const struct wp_label_pre *pre,
                                    const struct wp_reporter *rep, size_t *n_rules,
                                    struct wp_label_stats *stats, struct wp_diag *d)
{
    struct rules rs = {0};
    enum wp_err e = read_rules(path, &rs, d);
    if (!e)
        warn_near_labels(path, &rs, rep);
    if (!e)
        e = wp_store_rules_put(s, path, rs.v, rs.n, d);
    if (!e)
        e = wp_label_apply_after(s, pre, rep, stats, d);
    if (!e && stats->conflicts) {
        const char *o = stats->conflict_origin, *colon = strrchr(o, ':');
        size_t plen = strlen(path);
        bool ours = strncmp(o, path, plen) == 0 && o[plen] == ':';
        e = wp_diag_set(d, WP_ERR_CONFLICT, ours ? path : NULL,
                        ours && colon ? strtol(colon + 1, NULL, 10) : 0,
                        ours ? column_of(&rs, stats->conflict_field) : 0,
                        "conflict: this row and %s give one run different %s "
                        "(%lld disagreement%s in all)",
                        stats->conflict_first, stats->conflict_field, stats->conflicts,
                        stats->conflicts == 1 ? "" : "s");
    }
    *n_rules = rs.n;
    rules_free(&rs);
    return e;
}

enum wp_err wp_manifest_rules_each(const char *path,
                                   int (*fn)(void *ctx, long long rule_id,
                                             const struct wp_label_rule *r),
                                   void *ctx, struct wp_diag *d)
{
    struct rules rs = {0};
    enum wp_err e = read_rules(path, &rs, d);
    for (size_t i = 0; !e && i < rs.n; i++)
        if (fn(ctx, 0, &rs.v[i]))
            break;
    rules_free(&rs);
    return e;
}

void wp_manifest_shards_free(struct wp_manifest_shards *g)
{
    for (size_t k = 0; k < g->n_groups; k++)
        free(g->names[k]);
    free(g->names);
    free(g->line);
    free(g->group);
    memset(g, 0, sizeof *g);
}

/* The group of shards named `name` (1-based), added when new; 0 when out of memory. */
static size_t group_of(struct wp_manifest_shards *g, const struct shard_row *sh,
                       size_t cap[2])
{
    for (size_t k = 0; k < g->n_groups; k++)
        if (strcmp(g->names[k], sh->name) == 0)
            return k + 1;
    if (WP_ARRAY_GROW(g->names, g->n_groups + 1, cap[0]) ||
        WP_ARRAY_GROW(g->line, g->n_groups + 1, cap[1]))
        return 0;
    if (!(g->names[g->n_groups] = strdup(sh->name)))
        return 0;
    g->line[g->n_groups] = sh->line;
    return ++g->n_groups;
}

enum wp_err wp_manifest_shards(const char *path, const char *const *files, size_t n,
                               struct wp_manifest_shards *out, struct wp_diag *d)
{
    struct rules rs = {0};
    memset(out, 0, sizeof *out);
    size_t cap[2] = {0, 0};
    /* the row (index into rs.sh) that put each file in its group, for the message */
    size_t *by = calloc(n ? n : 1, sizeof *by);
    enum wp_err e = (out->group = calloc(n ? n : 1, sizeof *out->group)) && by
                        ? read_rules(path, &rs, d)
                        : wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    for (size_t r = 0; !e && r < rs.n_sh; r++) {
        const struct shard_row *sh = &rs.sh[r];
        size_t k = 0;
        for (size_t i = 0; !e && i < n; i++) {
            const char *slash = strrchr(files[i], '/');
            if (!wp_label_file_matches(sh->glob, slash ? slash + 1 : files[i]))
                continue;
            if (!k && !(k = group_of(out, sh, cap)))
                e = wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
            else if (out->group[i] && out->group[i] != k)
                e = wp_diag_set(d, WP_ERR_PARSE, path, sh->line, sh->col,
                                "shards \"%.40s\": %s is a shard of \"%.40s\" already (line "
                                "%ld): a file is one process of one run",
                                sh->name, files[i], out->names[out->group[i] - 1],
                                rs.sh[by[i]].line);
            else {
                out->group[i] = k;
                by[i] = r;
            }
        }
    }
    free(by);
    rules_free(&rs);
    if (e)
        wp_manifest_shards_free(out);
    return e;
}
