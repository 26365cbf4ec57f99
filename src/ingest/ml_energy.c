/* ML.ENERGY leaderboard results (measured with Zeus), three generations: v1 (2023) CSV
 * `model,throughput,response_length,latency,energy`; v2 (2024) one flat JSON object per
 * model and setting, units in the keys ("Energy/req (J)", "Energy/image (J)"); v3 (2025)
 * per-model JSON with a `configurations` array (`energy_per_request_joules`, ...).  Each
 * configuration or row is one measurement whose energy is per request, image, video or
 * token (the extra `energy_per` says which), GPU energy alone (Zeus reads the GPUs'
 * counters); the inference count is unknown.  None of
 * them has timestamps.  The model a row or configuration names labels its own runs (by
 * experiment label) where a file measures several; a file of one model labels all. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/common.h"
#include "ingest/csv.h"
#include "ingest/ingest.h"
#include "util/array.h"

/* What an energy figure is per, by key, best first. */
struct energy_key {
    const char *key, *per;
};
static const struct energy_key v3_keys[] = {
    {"energy_per_request_joules", "request"},
    {"energy_per_image_joules", "image"},
    {"energy_per_video_joules", "video"},
    {"energy_per_token_joules", "token"},
};
static const struct energy_key v2_keys[] = {
    {"Energy/req (J)", "request"},
    {"Energy/request (J)", "request"},
    {"Energy/image (J)", "image"},
    {"Energy/video (J)", "video"},
    {"Energy/token (J)", "token"},
};
#define N_KEYS(a) (sizeof(a) / sizeof(a)[0])

static const char *const v1_columns[] = {"model", "throughput", "response_length", "latency",
                                         "energy"};

struct parser {
    struct wp_sink *sink;
    const char *path;
    const struct wp_json_doc *doc;
    size_t from; /* text offset of the last key found, for line numbers */
    /* the models of a file that measures several (v1 rows, v2 arrays, v3 configurations of
     * other models): each labels its own runs, by experiment label */
    char **models;
    size_t n_models, cap_models;
    bool oom;
};

/* Notes a model the file names for the measurement it is the experiment label of. */
static void note_model(struct parser *p, const char *model)
{
    if (!*model || p->oom)
        return;
    for (size_t i = p->n_models; i-- > 0;) /* rows of one model mostly come together */
        if (strcmp(p->models[i], model) == 0)
            return;
    if (WP_ARRAY_GROW(p->models, p->n_models + 1, p->cap_models)) {
        p->oom = true;
        return;
    }
    if (!(p->models[p->n_models] = strdup(model)))
        p->oom = true;
    else
        p->n_models++;
}

/* One rule per noted model: the runs of that experiment label measured that model. */
static enum wp_err model_rules(struct parser *p, struct wp_diag *d)
{
    enum wp_err e = p->oom ? wp_diag_set(d, WP_ERR_NOMEM, p->path, 0, 0, "out of memory")
                           : WP_OK;
    for (size_t i = 0; i < p->n_models; i++) {
        struct wp_ingest_labels l = {.model = p->models[i]};
        if (!e && p->sink->experiment_labels)
            e = p->sink->experiment_labels(p->sink->ctx, "the leaderboard file",
                                           p->models[i], &l, d);
        free(p->models[i]);
    }
    free(p->models);
    return e;
}

/* The energy key an object carries, best first; NULL if none. */
static const struct energy_key *energy_key_of(const json_t *obj, const struct energy_key *keys,
                                              size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (json_object_get(obj, keys[i].key))
            return &keys[i];
    return NULL;
}

/* Scalar members as extras (numbers printed to round-trip); objects one level deep as
 * "outer.inner"; arrays (histograms) left out. */
static void scalar_extras(struct wp_extras *x, const json_t *obj, const char *prefix)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        char full[2 * sizeof x->key_buf[0]]; /* longer than a key: cut there, in UTF-8 */
        snprintf(full, sizeof full, "%s%s%s", prefix, *prefix ? "." : "", key);
        if (json_is_string(v))
            wp_extras_text_copy(x, full, json_string_value(v));
        else if (json_is_number(v))
            wp_extras_num(x, full, json_number_value(v));
        else if (json_is_boolean(v))
            wp_extras_text_copy(x, full, json_is_true(v) ? "true" : "false");
        else if (json_is_object(v) && !*prefix)
            scalar_extras(x, v, key);
    }
}

/* The energy figure in J; *is_bad when it cannot be used (then set aside or refused). */
static enum wp_err energy_value(struct parser *p, const json_t *obj, const char *key,
                                long line, double *out, bool *is_bad, struct wp_diag *d)
{
    char name[sizeof d->msg], negative[sizeof d->msg];
    snprintf(name, sizeof name, "\"%s\"", key);
    snprintf(negative, sizeof negative, "\"%s\": negative energy", key);
    return wp_json_energy(p->sink, p->path, line, obj, key, 1.0, name, negative, "", out,
                          is_bad, d);
}

/* One v2 object or v3 configuration.  model: the file's model id when the object has
 * none of its own. */
static enum wp_err one(struct parser *p, const json_t *obj, const struct energy_key *ek,
                       const char *version, const char *model, struct wp_diag *d)
{
    long line = wp_json_key_line(p->doc, ek->key, &p->from);
    struct wp_measurement m;
    struct wp_extras x;
    wp_measurement_clear(&m);
    wp_extras_init(&x);
    m.line = line ? line : 1;
    m.tool_name = "ml.energy leaderboard";
    m.tool_version = version;
    bool is_bad;
    enum wp_err e = energy_value(p, obj, ek->key, m.line, &m.energy_j, &is_bad, d);
    if (e || is_bad)
        return e;
    m.gpu_energy_j = m.energy_j; /* Zeus measures the GPUs alone */
    bool v3 = strcmp(version, "v3") == 0;
    const char *own = v3 ? wp_json_str(obj, "model_id") : wp_json_str(obj, "Model");
    m.experiment_label = *own ? own : model;
    m.gpu_model = wp_json_str(obj, v3 ? "gpu_model" : "GPU");
    if (v3) {
        wp_json_num(obj, "num_gpus", &m.gpu_count);
        wp_json_num(obj, "avg_power_watts", &m.gpu_power_w);
    } else {
        double tp, pp;
        if (wp_json_num(obj, "TP", &tp) == WP_NUM_OK)
            m.gpu_count = wp_json_num(obj, "PP", &pp) == WP_NUM_OK ? tp * pp : tp;
        if (isinf(m.gpu_count))
            m.gpu_count = NAN; /* TP x PP beyond a double: no GPU count */
    }
    wp_extras_text(&x, "energy_per", ek->per);
    scalar_extras(&x, obj, "");
    if (x.dropped)
        wp_report(p->sink->rep, WP_WARN, p->path, m.line, 0,
                  "%zu fields beyond the first %d not kept", x.dropped, WP_EXTRAS_MAX);
    wp_extras_attach(&x, &m);
    return p->sink->measurement(p->sink->ctx, &m, NULL, d);
}

static enum wp_err labels(struct parser *p, const char *model, const char *task,
                          struct wp_diag *d)
{
    if (!p->sink->file_labels || (!*model && !*task))
        return WP_OK;
    struct wp_ingest_labels l = {.model = *model ? model : NULL, .task = *task ? task : NULL};
    return p->sink->file_labels(p->sink->ctx, "the leaderboard file", &l, d);
}

static enum wp_err parse_v3(struct parser *p, const json_t *root, struct wp_diag *d)
{
    const json_t *confs = json_object_get(root, "configurations");
    const char *model = wp_json_str(root, "model_id");
    size_t i, used = 0;
    const json_t *c;
    /* the file's model labels its runs only when every configuration is of that model */
    bool one_model = true;
    json_array_foreach((json_t *)confs, i, c)
    {
        const char *own = wp_json_str(c, "model_id");
        if (*own && strcmp(own, model) != 0)
            one_model = false;
    }
    enum wp_err e = labels(p, one_model ? model : "", wp_json_str(root, "task"), d);
    json_array_foreach((json_t *)confs, i, c)
    {
        if (e)
            break;
        const struct energy_key *ek = json_is_object(c) ? energy_key_of(c, v3_keys,
                                                                        N_KEYS(v3_keys))
                                                        : NULL;
        if (!ek) {
            wp_report(p->sink->rep, WP_WARN, p->path, 0, 0,
                      "configuration %zu has no energy_per_*_joules: skipped", i + 1);
            continue;
        }
        used++;
        if (!one_model)
            note_model(p, *wp_json_str(c, "model_id") ? wp_json_str(c, "model_id") : model);
        e = one(p, c, ek, "v3", model, d);
    }
    if (!e && !used)
        snprintf(p->sink->no_data, sizeof p->sink->no_data,
                 "no configuration with an energy figure");
    return e;
}

static enum wp_err parse_v2(struct parser *p, const json_t *root, struct wp_diag *d)
{
    enum wp_err e = WP_OK;
    if (json_is_object(root)) {
        const struct energy_key *ek = energy_key_of(root, v2_keys, N_KEYS(v2_keys));
        if ((e = labels(p, wp_json_str(root, "Model"), "", d)))
            return e;
        return one(p, root, ek, "v2", "", d);
    }
    size_t i;
    const json_t *o;
    json_array_foreach((json_t *)root, i, o)
    {
        const struct energy_key *ek = json_is_object(o) ? energy_key_of(o, v2_keys,
                                                                        N_KEYS(v2_keys))
                                                        : NULL;
        if (ek)
            note_model(p, wp_json_str(o, "Model"));
        if (ek && (e = one(p, o, ek, "v2", "", d)))
            return e;
    }
    return e;
}

static bool is_v2(const json_t *root)
{
    if (json_is_object(root))
        return energy_key_of(root, v2_keys, N_KEYS(v2_keys)) != NULL;
    const json_t *first = json_array_get(root, 0);
    return json_is_object(first) && energy_key_of(first, v2_keys, N_KEYS(v2_keys));
}

static enum wp_err parse_json(struct parser *p, struct wp_reader *r, struct wp_diag *d)
{
    struct wp_json_doc doc;
    enum wp_err e = wp_json_read(r, &doc, d);
    if (e)
        return e;
    p->doc = &doc;
    p->sink->consumed = 0; /* a JSON document is read whole: never appended to */
    if (json_is_array(json_object_get(doc.root, "configurations")))
        e = parse_v3(p, doc.root, d);
    else if (is_v2(doc.root))
        e = parse_v2(p, doc.root, d);
    else
        e = wp_diag_set(d, WP_ERR_FORMAT, p->path, 1, 0,
                        "neither a configurations array (v3) nor \"Energy/... (J)\" keys "
                        "(v2): not an ML.ENERGY leaderboard file");
    wp_json_doc_free(&doc);
    return e;
}

/* v1: one row per model, energy in J per request. */
static enum wp_err v1_row(struct parser *p, const struct wp_csv_record *rec,
                          const int col[5], char **names, size_t n, struct wp_diag *d)
{
    struct wp_sink *sink = p->sink;
    if (rec->n != n)
        return wp_bad_row(sink, p->path, rec->line, (long)(rec->n < n ? rec->n : n + 1),
                          rec->raw, d, "expected %zu fields, found %zu", n, rec->n);
    struct wp_measurement m;
    struct wp_extras x;
    wp_measurement_clear(&m);
    wp_extras_init(&x);
    m.line = rec->line;
    m.tool_name = "ml.energy leaderboard";
    m.tool_version = "v1";
    m.experiment_label = rec->fields[col[0]];
    note_model(p, m.experiment_label);
    const char *v = rec->fields[col[4]];
    switch (wp_parse_num(v, &m.energy_j)) {
    case WP_NUM_OK:
    case WP_NUM_MISSING:
        break;
    default:
        return wp_bad_row(sink, p->path, rec->line, col[4] + 1, rec->raw, d,
                          "energy: \"%.40s\" is not a number", v);
    }
    if (m.energy_j < 0)
        return wp_bad_row(sink, p->path, rec->line, col[4] + 1, rec->raw, d,
                          "energy: negative energy %s", v);
    m.gpu_energy_j = m.energy_j; /* Zeus measures the GPUs alone */
    wp_extras_text(&x, "energy_per", "request");
    for (size_t i = 0; i < n; i++)
        if ((int)i != col[0] && (int)i != col[4])
            wp_extras_text(&x, names[i], rec->fields[i]);
    wp_extras_attach(&x, &m);
    return sink->measurement(sink->ctx, &m, NULL, d);
}

static enum wp_err parse_v1(struct parser *p, struct wp_reader *r, struct wp_diag *d)
{
    struct wp_csv *csv;
    enum wp_err e = wp_csv_open(r, &csv, d);
    if (e)
        return e;
    char **names = NULL;
    size_t n = 0;
    int col[5] = {-1, -1, -1, -1, -1};
    long rows = 0;
    struct wp_csv_record *rec;
    while (wp_csv_more(csv, &rec, &e, d)) {
        if (!names) {
            if (!(names = calloc(rec->n ? rec->n : 1, sizeof *names))) {
                e = wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
                break;
            }
            n = rec->n;
            for (size_t i = 0; i < n && !e; i++) {
                if (!(names[i] = strdup(rec->fields[i])))
                    e = wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
                for (int k = 0; k < 5; k++)
                    if (strcmp(rec->fields[i], v1_columns[k]) == 0)
                        col[k] = (int)i;
            }
            if (!e && (col[0] < 0 || col[4] < 0))
                e = wp_diag_set(d, WP_ERR_FORMAT, p->path, rec->line, 0,
                                "no model and energy columns: not an ML.ENERGY v1 file");
            if (e)
                break;
        } else if (rec->end_offset > p->sink->skip_until) {
            rows++;
            if ((e = v1_row(p, rec, col, names, n, d)))
                break;
        }
        p->sink->consumed = rec->end_offset;
    }
    if (!e && !rows && !p->sink->skip_until)
        snprintf(p->sink->no_data, sizeof p->sink->no_data, "no rows after the header");
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    wp_csv_close(csv);
    return e;
}

static enum wp_err parse(struct wp_reader *r, struct wp_sink *sink, struct wp_diag *d)
{
    struct parser p = {.sink = sink, .path = wp_reader_path(r)};
    const char *head;
    size_t len;
    enum wp_err e = wp_reader_peek(r, 4096, &head, &len, d);
    if (e)
        return e;
    char c = wp_head_first_char(head, len);
    e = c == '{' || c == '[' ? parse_json(&p, r, d) : parse_v1(&p, r, d);
    enum wp_err er = model_rules(&p, d); /* frees the noted models either way */
    return e ? e : er;
}

static int detect(const char *head, size_t len, const char *name, char *why, size_t why_size)
{
    (void)name;
    char c = wp_head_first_char(head, len);
    if (c == '{' || c == '[') {
        if (wp_head_has(head, len, "\"configurations\"") &&
            wp_head_has(head, len, "energy_per_"))
            return 90;
        for (size_t i = 0; i < N_KEYS(v2_keys); i++)
            if (wp_head_has(head, len, v2_keys[i].key))
                return 90;
        snprintf(why, why_size, "no configurations[] with energy_per_* and no "
                                "\"Energy/... (J)\" key");
        return 0;
    }
    char buf[4096];
    const char *names[16];
    size_t n = wp_head_names(head, len, buf, sizeof buf, names, 16);
    size_t hits = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < N_KEYS(v1_columns); k++)
            hits += strcasecmp(names[i], v1_columns[k]) == 0;
    if (hits == N_KEYS(v1_columns))
        return 80;
    snprintf(why, why_size, "not model,throughput,response_length,latency,energy");
    return 0;
}

const struct wp_format wp_format_ml_energy = {
    .name = "ml-energy",
    .summary = "ML.ENERGY leaderboard results: energy per request, image, video or token",
    .versions = "leaderboard v2 (2024 flat JSON) and v3 (2025 configurations JSON), real "
                "files checked; v1 (2023 CSV) from the published data",
    .detect = detect,
    .parse = parse,
    .appends = true,
};
