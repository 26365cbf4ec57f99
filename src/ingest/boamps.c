/* BoAmps reports (Boavizta's energy report of an AI task, JSON; format 0.1 as in the
 * published example and the schemas of 2026, which name the same fields): each measure is
 * one run, its powerConsumption (kWh) the run's energy.  The task names the model
 * (algorithms[0]) and the task (taskFamily), which label every run; the infrastructure
 * names the hardware and the environment the country.  Measures written by `wattprint
 * export boamps` carry a "wattprint" member (run id, dataset, inference count, CPU/GPU/RAM
 * split, emissions, place), read back so that export -> ingest -> export gives the same
 * report.  Not read: accuracy, dataset shapes, calibration measures (kept as extras). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/common.h"
#include "ingest/ingest.h"
#include "util/array.h"
#include "util/units.h"


struct parser {
    struct wp_sink *sink;
    const char *path;
    const struct wp_json_doc *doc;
    size_t from, counted; /* text offsets: of the last measure found, of the line count */
    long line;            /* the line at offset `counted` */
    /* the experiment labels noted for measures that state dataset and inferences */
    char **keys;
    struct wp_ingest_labels *labels;
    size_t n_keys, cap_keys, cap_labels;
    bool oom;
};

/* The line of the next "powerConsumption" key after the last one found, counted
 * incrementally (a report can hold many measures); 0 when none is left. */
static long next_measure_line(struct parser *p)
{
    const struct wp_json_doc *doc = p->doc;
    static const char key[] = "\"powerConsumption\"";
    const char *at = NULL;
    if (p->from < doc->len)
        at = memmem(doc->text + p->from, doc->len - p->from, key, sizeof key - 1);
    if (!at)
        return 0;
    size_t off = (size_t)(at - doc->text);
    for (size_t i = p->counted; i < off; i++)
        p->line += doc->text[i] == '\n';
    p->counted = off;
    p->from = off + sizeof key - 1;
    return p->line;
}

/* A JSON number member as a double (NAN when absent or null); false when it is there but
 * not a finite number. */
static bool num(const json_t *obj, const char *key, double *out)
{
    switch (wp_json_num(obj, key, out)) {
    case WP_NUM_OK: return isfinite(*out);
    case WP_NUM_MISSING: *out = NAN; return true;
    default: *out = NAN; return false;
    }
}

/* The component of a type ("gpu", "cpu", "ram") the infrastructure names first: its name
 * and count; the component itself (NULL if none). */
static const json_t *component(const json_t *root, const char *type, const char **name,
                               double *count)
{
    const json_t *list = json_object_get(json_object_get(root, "infrastructure"), "components");
    size_t i;
    const json_t *c;
    *name = "";
    *count = NAN;
    json_array_foreach((json_t *)list, i, c)
    {
        if (strcmp(wp_json_str(c, "componentType"), type) != 0)
            continue;
        *name = *wp_json_str(c, "componentName") ? wp_json_str(c, "componentName")
                                                 : wp_json_str(c, "series");
        double n;
        if (wp_json_num(c, "nbComponent", &n) == WP_NUM_OK && isfinite(n) && n > 0 && n < 1e9)
            *count = n;
        return c;
    }
    return NULL;
}

/* Notes the labels of one experiment label (a measure's dataset and inference count). */
static void note(struct parser *p, const char *key, const struct wp_ingest_labels *l)
{
    for (size_t i = 0; i < p->n_keys; i++)
        if (strcmp(p->keys[i], key) == 0)
            return;
    bool grown = !WP_ARRAY_GROW(p->keys, p->n_keys + 1, p->cap_keys) &&
                 !WP_ARRAY_GROW(p->labels, p->n_keys + 1, p->cap_labels);
    char *copy = grown ? strdup(key) : NULL;
    char *dataset = copy ? strdup(l->dataset) : NULL;
    if (!dataset) {
        free(copy);
        p->oom = true;
        return;
    }
    p->keys[p->n_keys] = copy;
    p->labels[p->n_keys] = *l;
    p->labels[p->n_keys].dataset = dataset;
    p->n_keys++;
}

/* "2024-09-30 09:09:40" -> ISO 8601 into iso ("" when not a time). */
static void when(const char *text, char *iso, size_t size)
{
    struct wp_when w;
    iso[0] = '\0';
    if (*text && wp_time_parse(text, &w) && w.has_date)
        snprintf(iso, size, "%s", w.iso);
}

/* The "wattprint" member of a measure written by wattprint's export. */
static enum wp_err own_member(struct parser *p, const json_t *w, struct wp_measurement *m,
                              const struct wp_ingest_labels *file, char *key, size_t key_size,
                              size_t index, bool *is_bad, struct wp_diag *d)
{
    double x;
    *is_bad = true;
    static const struct {
        const char *key;
        size_t offset;
        double scale;
    } nums[] = {
        {"cpuEnergyKwh", offsetof(struct wp_measurement, cpu_energy_j), WP_J_PER_KWH},
        {"gpuEnergyKwh", offsetof(struct wp_measurement, gpu_energy_j), WP_J_PER_KWH},
        {"ramEnergyKwh", offsetof(struct wp_measurement, ram_energy_j), WP_J_PER_KWH},
        {"emissionsG", offsetof(struct wp_measurement, emissions_g), 1},
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        if (!num(w, nums[i].key, &x) || x < 0 || (!isnan(x) && !isfinite(x * nums[i].scale)))
            return wp_bad_row(p->sink, p->path, m->line, 0, "", d,
                              "measure %zu: wattprint.%s is not a number >= 0 (in range)",
                              index + 1, nums[i].key);
        if (!isnan(x))
            *(double *)((char *)m + nums[i].offset) = x * nums[i].scale;
    }
    m->run_label = wp_json_str(w, "runId");
    m->country_iso_code = wp_json_str(w, "countryIsoCode");
    /* the run's own region, none included: the report's location lists every run's */
    m->region = wp_json_str(w, "region");
    /* the run's own hardware, not the report's list of every run's */
    m->gpu_model = wp_json_str(w, "gpuModel");
    m->cpu_model = wp_json_str(w, "cpuModel");
    m->os = wp_json_str(w, "os");
    m->python_version = wp_json_str(w, "pythonVersion");
    static const struct {
        const char *key;
        size_t offset;
    } hw[] = {
        {"gpuCount", offsetof(struct wp_measurement, gpu_count)},
        {"cpuCount", offsetof(struct wp_measurement, cpu_count)},
        {"ramTotalBytes", offsetof(struct wp_measurement, ram_total_bytes)},
    };
    for (size_t i = 0; i < sizeof hw / sizeof hw[0]; i++) {
        if (!num(w, hw[i].key, &x) || x < 0)
            return wp_bad_row(p->sink, p->path, m->line, 0, "", d,
                              "measure %zu: wattprint.%s is not a number >= 0", index + 1,
                              hw[i].key);
        *(double *)((char *)m + hw[i].offset) = x; /* NAN when absent: the run's own */
    }
    /* measured or modelled as the exporting store marked it (kept over the rules) */
    static const struct {
        const char *key;
        size_t offset;
    } marks[] = {
        {"cpuBasis", offsetof(struct wp_measurement, cpu_basis)},
        {"gpuBasis", offsetof(struct wp_measurement, gpu_basis)},
        {"ramBasis", offsetof(struct wp_measurement, ram_basis)},
    };
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        const char *v = wp_json_str(w, marks[i].key);
        if (!*v)
            continue;
        if (wp_basis_kind(v) == WP_BK_UNKNOWN)
            return wp_bad_row(p->sink, p->path, m->line, 0, "", d,
                              "measure %zu: wattprint.%s \"%s\" is not one of measured, "
                              "measured:all-gpus, modelled:ram, modelled:tdp",
                              index + 1, marks[i].key, v);
        *(const char **)((char *)m + marks[i].offset) = v;
    }
    const char *dataset = wp_json_str(w, "dataset");
    double inf;
    if (!num(w, "inferences", &inf) || (!isnan(inf) && (inf < 1 || inf > 1e15 ||
                                                        inf != floor(inf))))
        return wp_bad_row(p->sink, p->path, m->line, 0, "", d,
                          "measure %zu: wattprint.inferences is not a whole number >= 1",
                          index + 1);
    if (*dataset || !isnan(inf)) {
        /* the experiment label that ties this run to its dataset and count */
        snprintf(key, key_size, "%s x %.0f", dataset, isnan(inf) ? 0 : inf);
        struct wp_ingest_labels l = *file;
        l.dataset = dataset;
        l.inferences = isnan(inf) ? 0 : (long long)inf;
        note(p, key, &l);
        m->experiment_label = key;
    }
    *is_bad = false;
    return WP_OK;
}

static enum wp_err measure(struct parser *p, const json_t *root, const json_t *ms,
                           size_t index, const struct wp_ingest_labels *file, struct wp_diag *d)
{
    struct wp_measurement m;
    struct wp_extras x;
    wp_measurement_clear(&m);
    wp_extras_init(&x);
    long line = next_measure_line(p);
    m.line = line ? line : 1;
    if (!json_is_object(ms))
        return wp_bad_row(p->sink, p->path, m.line, 0, "", d,
                          "measure %zu is not an object", index + 1);
    double kwh;
    enum wp_num k = wp_json_num(ms, "powerConsumption", &kwh);
    if (k != WP_NUM_OK)
        return wp_bad_row(p->sink, p->path, m.line, 0, "", d,
                          "measure %zu: powerConsumption (kWh) %s", index + 1,
                          k == WP_NUM_MISSING && json_object_get(ms, "powerConsumption") == NULL
                              ? "is missing" : wp_num_why(k));
    if (kwh < 0)
        return wp_bad_row(p->sink, p->path, m.line, 0, "", d,
                          "measure %zu: negative energy %.6g kWh", index + 1, kwh);
    m.energy_j = kwh * WP_J_PER_KWH;
    if (!isfinite(m.energy_j))
        return wp_bad_row(p->sink, p->path, m.line, 0, "", d,
                          "measure %zu: powerConsumption %.6g kWh is out of range", index + 1,
                          kwh);
    if (!num(ms, "measurementDuration", &m.duration_s) || m.duration_s < 0)
        return wp_bad_row(p->sink, p->path, m.line, 0, "", d,
                          "measure %zu: measurementDuration is not seconds >= 0", index + 1);
    char iso[64];
    when(wp_json_str(ms, "measurementDateTime"), iso, sizeof iso);
    m.started_at = iso;
    m.tool_name = *wp_json_str(ms, "measurementMethod") ? wp_json_str(ms, "measurementMethod")
                                                        : "boamps";
    m.tool_version = wp_json_str(ms, "version");
    m.tracking_mode = wp_json_str(ms, "cpuTrackingMode");
    double gpu_n, cpu_n;
    component(root, "gpu", &m.gpu_model, &gpu_n);
    component(root, "cpu", &m.cpu_model, &cpu_n);
    m.gpu_count = gpu_n;
    m.cpu_count = cpu_n;
    const char *ram_name;
    double ram_n, ram_gb;
    const json_t *ram = component(root, "ram", &ram_name, &ram_n);
    if (wp_json_num(ram, "memorySize", &ram_gb) == WP_NUM_OK && isfinite(ram_gb) && ram_gb > 0 &&
        ram_gb < 1e9)
        m.ram_total_bytes = ram_gb * (isnan(ram_n) ? 1 : ram_n) * 1073741824.0; /* GiB */
    m.os = wp_json_str(json_object_get(root, "system"), "os");
    if (strcmp(wp_json_str(json_object_get(root, "software"), "language"), "python") == 0)
        m.python_version = wp_json_str(json_object_get(root, "software"), "version");
    const json_t *env = json_object_get(root, "environment");
    m.country_name = wp_json_str(env, "country");
    m.region = wp_json_str(env, "location");
    double intensity;
    if (num(env, "powerSourceCarbonIntensity", &intensity) && isfinite(intensity) &&
        intensity >= 0 && isfinite(kwh * intensity))
        m.emissions_g = kwh * intensity; /* the report's intensity of the power used */
    m.on_cloud = strcmp(wp_json_str(json_object_get(root, "infrastructure"), "infraType"),
                        "publicCloud") == 0 ? "Y" : "";
    m.cloud_provider = wp_json_str(json_object_get(root, "infrastructure"), "cloudProvider");
    char key[320] = "";
    const json_t *own = json_object_get(ms, "wattprint");
    if (json_is_object(own)) {
        bool is_bad;
        enum wp_err e = own_member(p, own, &m, file, key, sizeof key, index, &is_bad, d);
        if (e || is_bad)
            return e;
    }
    wp_extras_text(&x, "boamps_task_stage", wp_json_str(json_object_get(root, "task"),
                                                        "taskStage"));
    wp_extras_text(&x, "boamps_report_id", wp_json_str(json_object_get(root, "header"),
                                                       "reportId"));
    wp_extras_text(&x, "gpu_tracking_mode", wp_json_str(ms, "gpuTrackingMode"));
    double u;
    if (num(ms, "averageUtilizationCpu", &u))
        wp_extras_num(&x, "average_utilization_cpu", u);
    if (num(ms, "averageUtilizationGpu", &u))
        wp_extras_num(&x, "average_utilization_gpu", u);
    wp_extras_attach(&x, &m);
    return p->sink->measurement(p->sink->ctx, &m, NULL, d);
}

/* The labels the task states for every run: model, task, parameters. */
static void file_labels(const json_t *root, size_t n_measures, struct wp_ingest_labels *l)
{
    const json_t *task = json_object_get(root, "task");
    const json_t *alg = json_array_get(json_object_get(task, "algorithms"), 0);
    const char *model = wp_json_str(alg, "foundationModelName");
    if (!*model)
        model = wp_json_str(alg, "algorithmName");
    const char *family = wp_json_str(task, "taskFamily");
    memset(l, 0, sizeof *l);
    l->model = *model ? model : NULL;
    l->task = *family ? family : NULL;
    double x;
    if (wp_json_num(alg, "parametersNumber", &x) == WP_NUM_OK && isfinite(x) && x > 0 &&
        x < 1e9)
        l->parameters = (long long)llround(x * 1e9);
    /* one measure: the request count is its inference count */
    if (n_measures == 1 && wp_json_num(task, "nbRequest", &x) == WP_NUM_OK && x >= 1 &&
        x <= 1e15 && x == floor(x))
        l->inferences = (long long)x;
}

static enum wp_err rules(struct parser *p, const struct wp_ingest_labels *file,
                         struct wp_diag *d)
{
    enum wp_err e = p->oom ? wp_diag_set(d, WP_ERR_NOMEM, p->path, 0, 0, "out of memory")
                           : WP_OK;
    if (!e && p->sink->file_labels && (file->model || file->task || file->inferences))
        e = p->sink->file_labels(p->sink->ctx, "the BoAmps report's task", file, d);
    for (size_t i = 0; i < p->n_keys; i++) {
        if (!e && p->sink->experiment_labels)
            e = p->sink->experiment_labels(p->sink->ctx, "the BoAmps report's measures",
                                           p->keys[i], &p->labels[i], d);
        free(p->keys[i]);
        free((char *)p->labels[i].dataset);
    }
    free(p->keys);
    free(p->labels);
    return e;
}

static enum wp_err parse(struct wp_reader *r, struct wp_sink *sink, struct wp_diag *d)
{
    struct parser p = {.sink = sink, .path = wp_reader_path(r), .line = 1};
    struct wp_json_doc doc;
    enum wp_err e = wp_json_read(r, &doc, d);
    if (e)
        return e;
    p.doc = &doc;
    sink->consumed = 0; /* a JSON document is read whole: never appended to */
    const json_t *ms = json_object_get(doc.root, "measures");
    if (!json_is_object(doc.root) || !json_is_array(ms)) {
        e = wp_diag_set(d, WP_ERR_FORMAT, p.path, 1, 0,
                        "no \"measures\" array: not a BoAmps report");
        goto out;
    }
    struct wp_ingest_labels file;
    file_labels(doc.root, json_array_size(ms), &file);
    size_t i;
    const json_t *m;
    json_array_foreach((json_t *)ms, i, m)
    {
        if ((e = measure(&p, doc.root, m, i, &file, d)))
            break;
    }
    if (!e && json_array_size(ms) == 0)
        snprintf(sink->no_data, sizeof sink->no_data, "the measures array is empty");
    enum wp_err er = rules(&p, &file, d);
    e = e ? e : er;
out:
    wp_json_doc_free(&doc);
    return e;
}

static int detect(const char *head, size_t len, const char *name, char *why, size_t why_size)
{
    (void)name;
    if (wp_head_first_char(head, len) != '{') {
        snprintf(why, why_size, "not a JSON object");
        return 0;
    }
    bool measures = wp_head_has(head, len, "\"measures\"");
    bool power = wp_head_has(head, len, "\"powerConsumption\"") ||
                 wp_head_has(head, len, "\"measurementMethod\"");
    bool boamps = wp_head_has(head, len, "\"taskStage\"") ||
                  wp_head_has(head, len, "\"infraType\"") ||
                  wp_head_has(head, len, "\"formatVersion\"");
    if (measures && power)
        return boamps ? 95 : 80;
    snprintf(why, why_size, "no \"measures\" with powerConsumption or measurementMethod");
    return 0;
}

const struct wp_format wp_format_boamps = {
    .name = "boamps",
    .summary = "BoAmps energy reports (Boavizta): one run per measure, model and task from "
               "the report",
    .versions = "format 0.1 (published example) and the schemas of 2026-04 "
                "(Boavizta/BoAmps 3bfefec); wattprint's own export read back whole",
    .detect = detect,
    .parse = parse,
};
