/* optimum-benchmark results: benchmark_report.json (one object per phase, each with
 * memory, latency, throughput, energy, efficiency), the benchmark_config.json beside it
 * (model, task, dataset, hardware, tool version), or one benchmark.json holding both;
 * also AI Energy Score's GPU_ENERGY_SUMMARY.json made from such a report.
 * Each phase with energy is one measurement; the phases of a report are one run.  Phase
 * names differ by version and scenario, so none is hard-coded.  A config alone, or a
 * report whose energy is null everywhere, has nothing to ingest and says so. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/common.h"
#include "ingest/ingest.h"

/* Energy units a report may state, to J. */
struct energy_unit {
    const char *name;
    double scale;
};
static const struct energy_unit energy_units[] = {
    {"kWh", WP_J_PER_KWH}, {"Wh", 3600.0}, {"kJ", 1000.0}, {"J", 1.0},
};

/* The J in one of unit (a name of energy_units), NAN for another name. */
static double unit_scale(const char *unit)
{
    double scale = NAN;
    for (size_t i = 0; i < sizeof energy_units / sizeof energy_units[0]; i++)
        if (strcmp(unit, energy_units[i].name) == 0)
            scale = energy_units[i].scale;
    return scale;
}

/* The keys every phase object carries. */
static const char *const phase_keys[] = {"memory", "latency", "throughput", "energy",
                                         "efficiency"};

struct parser {
    struct wp_sink *sink;
    const char *path;
    const struct wp_json_doc *doc;
    size_t report_from;   /* text offset where the report's keys start */
    const json_t *config; /* or NULL */
    const json_t *report; /* the phases, for the run's latency and throughput */
    char gpu_models[256];
    char version[64];
};

static bool is_phase(const json_t *v)
{
    if (!json_is_object(v))
        return false;
    bool any = false;
    for (size_t i = 0; i < sizeof phase_keys / sizeof phase_keys[0]; i++) {
        const json_t *k = json_object_get(v, phase_keys[i]);
        if (k && !json_is_object(k) && !json_is_null(k))
            return false; /* a setting such as the scenario's "energy": true */
        any |= k != NULL;
    }
    return any;
}

static bool is_report(const json_t *root)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)root, key, v)
        if (is_phase(v))
            return true;
    return false;
}

static bool is_config(const json_t *root)
{
    return json_is_object(json_object_get(root, "backend")) &&
           (json_is_object(json_object_get(root, "scenario")) ||
            json_is_object(json_object_get(root, "launcher")) ||
            json_is_object(json_object_get(root, "benchmark")));
}

/* benchmark_report.json -> benchmark_config.json in the same folder (also for names with
 * a prefix, as in copies that flatten a path into the name); NULL if out of memory or
 * the name does not end in "report.json". */
static char *config_path_for(const char *path)
{
    static const char tail[] = "report.json";
    size_t n = strlen(path), t = sizeof tail - 1;
    if (n < t || strcmp(path + n - t, tail) != 0)
        return NULL;
    char *c = malloc(n + 1);
    if (!c)
        return NULL;
    memcpy(c, path, n - t);
    memcpy(c + n - t, "config.json", sizeof "config.json");
    return c;
}

/* Reads the config beside a report.  Problems with it are warnings: the report's
 * measurements stand without it. */
static enum wp_err read_sibling_config(struct parser *p, struct wp_json_doc *cfg,
                                       char **cfg_path)
{
    *cfg_path = NULL;
    if (strcmp(p->path, "-") == 0)
        return WP_OK;
    char *path = config_path_for(p->path);
    if (!path) {
        wp_report(p->sink->rep, WP_NOTE, p->path, 0, 0,
                  "no benchmark_config.json looked for (the file is not named "
                  "*report.json): model and task come from labels only");
        return WP_OK;
    }
    if (access(path, F_OK) != 0 && errno == ENOENT) {
        wp_report(p->sink->rep, WP_NOTE, p->path, 0, 0,
                  "no %s beside the report: model and task come from labels only",
                  strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
        free(path);
        return WP_OK;
    }
    struct wp_reader *r;
    struct wp_diag d = {0};
    enum wp_err e = wp_reader_open(path, &r, &d);
    if (e == WP_ERR_NOMEM) {
        free(path);
        return e;
    }
    if (e) {
        char msg[512];
        wp_diag_format(&d, msg, sizeof msg);
        wp_report(p->sink->rep, WP_WARN, p->path, 0, 0,
                  "config beside the report not read (%s): model and task come from labels "
                  "only",
                  msg);
        free(path);
        return WP_OK;
    }
    e = wp_json_read(r, cfg, &d);
    wp_reader_close(r);
    if (e == WP_ERR_NOMEM) {
        free(path);
        return e;
    }
    if (e || !is_config(cfg->root)) {
        if (!e)
            snprintf(d.msg, sizeof d.msg, "not an optimum-benchmark config (no backend and "
                                          "scenario)");
        wp_report(p->sink->rep, WP_WARN, path, d.line, d.col,
                  "%s; the report is ingested without its model and task", d.msg);
        wp_json_doc_free(cfg);
        free(path);
        return WP_OK;
    }
    *cfg_path = path;
    p->config = cfg->root;
    return WP_OK;
}

/* Labels and hardware the config states. */
static enum wp_err config_labels(struct parser *p, const char *origin, struct wp_diag *d)
{
    const json_t *c = p->config;
    if (!c)
        return WP_OK;
    const json_t *backend = json_object_get(c, "backend");
    const json_t *scenario = json_object_get(c, "scenario");
    struct wp_ingest_labels l = {0};
    l.model = *wp_json_str(backend, "model") ? wp_json_str(backend, "model") : NULL;
    l.task = *wp_json_str(c, "task")         ? wp_json_str(c, "task")
             : *wp_json_str(backend, "task") ? wp_json_str(backend, "task")
                                             : NULL;
    l.dataset = *wp_json_str(scenario, "dataset_name") ? wp_json_str(scenario, "dataset_name")
                                                       : NULL;
    if (!p->sink->file_labels || (!l.model && !l.task && !l.dataset))
        return WP_OK;
    return p->sink->file_labels(p->sink->ctx, origin, &l, d);
}

static void config_hardware(struct parser *p, struct wp_measurement *m, struct wp_extras *x)
{
    const json_t *c = p->config;
    if (!c)
        return;
    const json_t *env = json_object_get(c, "environment");
    const char *cpu = wp_json_str(env, "cpu");
    while (*cpu == ' ')
        cpu++;
    m->cpu_model = cpu;
    wp_json_num(env, "cpu_count", &m->cpu_count);
    double ram_mb;
    if (wp_json_num(env, "cpu_ram_mb", &ram_mb) == WP_NUM_OK)
        m->ram_total_bytes = ram_mb * 1e6;
    wp_json_num(env, "gpu_count", &m->gpu_count);
    m->os = wp_json_str(env, "system");
    m->python_version = wp_json_str(env, "python_version");
    m->tool_version = wp_json_str(env, "optimum_benchmark_version");
    const json_t *gpus = json_object_get(env, "gpu");
    size_t i, used = 0;
    const json_t *g;
    p->gpu_models[0] = '\0';
    json_array_foreach((json_t *)gpus, i, g)
    {
        const char *name = json_string_value(g);
        if (name && !strstr(p->gpu_models, name) &&
            used + (used ? 2 : 0) + strlen(name) < sizeof p->gpu_models) /* whole names */
            used += (size_t)snprintf(p->gpu_models + used, sizeof p->gpu_models - used,
                                     "%s%s", used ? ", " : "", name);
    }
    m->gpu_model = p->gpu_models;
    m->experiment_label = wp_json_str(c, "name");
    wp_extras_text(x, "backend", wp_json_str(json_object_get(c, "backend"), "name"));
    wp_extras_text(x, "scenario", wp_json_str(json_object_get(c, "scenario"), "name"));
}

/* Where entry k of the JSON array that follows `"measures":` at or after `from` starts, as
 * a 1-based line and column; false when the text does not show it.  For messages only. */
static bool measure_where(const struct wp_json_doc *doc, size_t from, size_t k, long *line,
                          long *col)
{
    if (!wp_json_key_line(doc, "measures", &from))
        return false;
    const char *t = doc->text;
    size_t i = from, n = doc->len, entry = 0;
    while (i < n && t[i] != '[')
        i++;
    int depth = 0;
    bool in_str = false, at_start = true;
    for (i++; i < n; i++) {
        char c = t[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (at_start && depth == 0) {
            if (entry == k)
                break;
            at_start = false;
        }
        if (c == '"')
            in_str = true;
        else if (c == '{' || c == '[')
            depth++;
        else if ((c == '}' || c == ']') && depth-- == 0)
            return false; /* the array ended */
        else if (c == ',' && depth == 0) {
            entry++;
            at_start = true;
        }
    }
    if (i >= n)
        return false;
    *line = 1;
    size_t bol = 0;
    for (size_t j = 0; j < i; j++)
        if (t[j] == '\n') {
            ++*line;
            bol = j + 1;
        }
    *col = (long)(i - bol) + 1;
    return true;
}

/* Per-iteration energies ("measures"): a negative one is an artefact of subtracting tracker
 * readings, refused as a negative phase energy is (a bad row: the phase is not stored, or
 * set aside with --skip-bad-rows; *is_bad then); all of them zero is a warning.  A fork
 * keeps them inside `energy`; AI Energy Score's reports beside it, in the phase object.
 * `from`: the text offset of the phase's value, to find the entry's line. */
static enum wp_err check_measures(struct parser *p, const char *phase, const json_t *v,
                                  const json_t *energy, long line, size_t from, bool *is_bad,
                                  struct wp_diag *d)
{
    *is_bad = false;
    const json_t *measures = json_object_get(energy, "measures");
    if (!measures)
        measures = json_object_get(v, "measures");
    if (!json_is_array(measures) || json_array_size(measures) == 0)
        return WP_OK;
    size_t i, negative = 0, zero = 0, first = 0;
    double first_value = 0;
    const char *first_key = "";
    const json_t *mv;
    json_array_foreach((json_t *)measures, i, mv)
    {
        double t;
        const json_t *obj = json_is_object(mv) ? mv : NULL;
        const char *key = obj && !json_object_get(obj, "total") ? "gpu" : "total";
        if (obj ? wp_json_num(obj, key, &t) != WP_NUM_OK : !json_is_number(mv))
            continue;
        if (!obj)
            t = json_number_value(mv);
        if (t < 0 && !negative++) {
            first = i;
            first_value = t;
            first_key = obj ? key : "";
        }
        zero += t == 0;
    }
    if (negative) {
        long at = line, col = 0;
        measure_where(p->doc, from, first, &at, &col);
        *is_bad = true;
        return wp_bad_row(p->sink, p->path, at, col, "", d,
                          "phase %s: per-iteration energy measure %zu of %zu is negative "
                          "(%s%s%.6g; %zu negative in all): an artefact of subtracting tracker "
                          "readings, not a measurement, so the phase is not stored",
                          phase, first + 1, json_array_size(measures), first_key,
                          *first_key ? " " : "", first_value, negative);
    }
    if (zero == json_array_size(measures))
        wp_report(p->sink->rep, WP_WARN, p->path, line, 0,
                  "phase %s: every per-iteration energy measure is zero", phase);
    return WP_OK;
}

/* A latency statistic of phase `phase` of the report, in s (NAN when absent or in another
 * unit). */
static double latency_s(const json_t *rep, const char *phase, const char *stat)
{
    const json_t *lat = json_object_get(json_object_get(rep, phase), "latency");
    double v;
    if (strcmp(wp_json_str(lat, "unit"), "s") != 0 || wp_json_num(lat, stat, &v) != WP_NUM_OK)
        return NAN;
    return v;
}

/* The configuration of the run, in the names src/analysis/genai.c reads: batch size and
 * precision from the config; time to first token (the prefill phase is a generation of
 * one token), inter-token latency (the per_token phase), request latency (prefill +
 * decode) and decode throughput from the report.  On every phase measurement of the run. */
static void run_configuration(const struct parser *p, struct wp_extras *x)
{
    const json_t *scenario = json_object_get(p->config, "scenario");
    double v;
    if (wp_json_num(json_object_get(scenario, "input_shapes"), "batch_size", &v) == WP_NUM_OK)
        wp_extras_num(x, "batch_size", v);
    const char *dtype = wp_json_str(json_object_get(p->config, "backend"), "torch_dtype");
    if (*dtype)
        wp_extras_text(x, "precision", dtype);
    const json_t *rep = p->report;
    double ttft = latency_s(rep, "prefill", "mean"), decode = latency_s(rep, "decode", "mean");
    wp_extras_num(x, "ttft_s", ttft);
    wp_extras_num(x, "request_latency_s", ttft + decode);
    wp_extras_num(x, "itl_mean_s", latency_s(rep, "per_token", "mean"));
    wp_extras_num(x, "itl_p50_s", latency_s(rep, "per_token", "p50"));
    wp_extras_num(x, "itl_p90_s", latency_s(rep, "per_token", "p90"));
    wp_extras_num(x, "itl_p99_s", latency_s(rep, "per_token", "p99"));
    const json_t *tp = json_object_get(json_object_get(rep, "decode"), "throughput");
    if (strcmp(wp_json_str(tp, "unit"), "tokens/s") == 0 &&
        wp_json_num(tp, "value", &v) == WP_NUM_OK)
        wp_extras_num(x, "throughput_tokens_per_s", v);
}

/* A phase's measurement at line, empty but for where it is and which tool wrote it, and its
 * extras, empty. */
static void start(struct wp_measurement *m, struct wp_extras *x, long line, const char *phase,
                  const char *tool_name)
{
    wp_measurement_clear(m);
    wp_extras_init(x);
    m->line = line;
    m->phase = phase;
    m->tool_name = tool_name;
}

/* What a negative energy figure is said to be. */
#define ARTEFACT " (a subtraction artefact, not a measurement)"

/* One energy component: kWh (or the stated unit) -> J; negative values are bad. */
static enum wp_err component(struct parser *p, const char *phase, const json_t *energy,
                             const char *key, double scale, long line, double *out,
                             bool *is_bad, struct wp_diag *d)
{
    char name[sizeof d->msg], negative[sizeof d->msg];
    snprintf(name, sizeof name, "phase %s: energy.%s", phase, key);
    snprintf(negative, sizeof negative, "phase %s: negative energy.%s", phase, key);
    return wp_json_energy(p->sink, p->path, line, energy, key, scale, name, negative,
                          ARTEFACT, out, is_bad, d);
}

static enum wp_err phase_measurement(struct parser *p, const char *phase, const json_t *v,
                                     long line, size_t from, struct wp_diag *d)
{
    const json_t *energy = json_object_get(v, "energy");
    const char *unit = wp_json_str(energy, "unit");
    double scale = unit_scale(unit);
    if (isnan(scale))
        return wp_bad_row(p->sink, p->path, line, 0, "", d,
                          "phase %s: energy unit \"%.20s\" is not kWh, Wh, kJ or J", phase,
                          unit);
    struct wp_measurement m;
    struct wp_extras x;
    start(&m, &x, line, phase, "optimum-benchmark");
    bool is_bad;
    enum wp_err e;
    static const char *const keys[] = {"cpu", "ram", "gpu", "total"};
    double *dst[] = {&m.cpu_energy_j, &m.ram_energy_j, &m.gpu_energy_j, &m.energy_j};
    for (int i = 0; i < 4; i++)
        if ((e = component(p, phase, energy, keys[i], scale, line, dst[i], &is_bad, d)) ||
            is_bad)
            return e;
    double sum = m.cpu_energy_j + m.ram_energy_j + m.gpu_energy_j;
    if (isinf(sum))
        return wp_bad_row(p->sink, p->path, line, 0, "", d,
                          "phase %s: energy.cpu + ram + gpu is out of range in J", phase);
    if (isnan(m.energy_j))
        m.energy_j = sum; /* NAN unless every part is there */
    else if (!isnan(sum) && fabs(sum - m.energy_j) > 1e-6 * fmax(sum, m.energy_j) + 1e-9)
        wp_report(p->sink->rep, WP_WARN, p->path, line, 0,
                  "phase %s: energy.total %.9g kWh is not cpu + ram + gpu = %.9g kWh", phase,
                  m.energy_j / WP_J_PER_KWH, sum / WP_J_PER_KWH);
    if ((e = check_measures(p, phase, v, energy, line, from, &is_bad, d)) || is_bad)
        return e;
    const json_t *eff = json_object_get(v, "efficiency");
    double value;
    if (wp_json_num(eff, "value", &value) == WP_NUM_OK) {
        wp_extras_text(&x, "efficiency_unit", wp_json_str(eff, "unit"));
        wp_extras_num(&x, "efficiency_value", value);
        /* efficiency is volume / the phase's total energy in kWh: the volume back; a
         * phase whose energy is not above 0 gets 0 (Efficiency.from_energy), which says
         * nothing of its volume */
        const char *eu = wp_json_str(eff, "unit");
        double volume = value * m.energy_j / WP_J_PER_KWH;
        bool known = value > 0 && m.energy_j > 0;
        if (known && strcmp(eu, "tokens/kWh") == 0)
            wp_extras_num(&x, "tokens_out", volume);
        else if (known && strcmp(eu, "samples/kWh") == 0 && strcmp(phase, "prefill") == 0)
            wp_extras_num(&x, "requests", volume);
    }
    run_configuration(p, &x);
    config_hardware(p, &m, &x);
    wp_extras_attach(&x, &m);
    return p->sink->measurement(p->sink->ctx, &m, "report", d);
}

/* The total energy of phase `name` of rep in kWh, NAN when it has none. */
static double phase_total_kwh(const json_t *rep, const char *name)
{
    const json_t *energy = json_object_get(json_object_get(rep, name), "energy");
    double v, scale = unit_scale(wp_json_str(energy, "unit"));
    if (!json_is_object(energy) || wp_json_num(energy, "total", &v) != WP_NUM_OK)
        return NAN;
    return v * scale / WP_J_PER_KWH;
}

/* optimum-benchmark 0.6 (scenarios/inference/scenario.py, run_text_generation_energy_
 * tracking) reports a text generation's `generate` beside `prefill` and `decode`, and
 * writes decode as generate - prefill (each per iteration): generate is the other two
 * together, so a run of all three phases would count it twice.  True when rep has all
 * three with energy: generate is then left out. */
static bool generate_overlaps(const json_t *rep)
{
    static const char *const names[] = {"generate", "prefill", "decode"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const json_t *v = json_object_get(rep, names[i]);
        if (!is_phase(v) || !json_is_object(json_object_get(v, "energy")))
            return false;
    }
    return true;
}

/* Says that generate was left out, and warns when it is not prefill + decode. */
static void note_generate(struct parser *p, const json_t *rep, long line)
{
    double g = phase_total_kwh(rep, "generate");
    double sum = phase_total_kwh(rep, "prefill") + phase_total_kwh(rep, "decode");
    if (!isnan(g) && !isnan(sum) && fabs(g - sum) > 1e-6 * fmax(fabs(g), fabs(sum)) + 1e-12)
        wp_report(p->sink->rep, WP_WARN, p->path, line, 0,
                  "phase generate: energy.total %.9g kWh is not prefill + decode = %.9g kWh, "
                  "as optimum-benchmark writes it (decode = generate - prefill); generate "
                  "is left out all the same, as it covers both",
                  g, sum);
    wp_report(p->sink->rep, WP_NOTE, p->path, line, 0,
              "phase generate not stored: it is prefill + decode (optimum-benchmark 0.6 "
              "writes decode as generate - prefill), and the run would count it twice");
}

static enum wp_err report(struct parser *p, const json_t *rep, const char *origin,
                          struct wp_diag *d)
{
    const char *key;
    const json_t *v;
    size_t with_energy = 0, phases = 0;
    json_object_foreach((json_t *)rep, key, v)
    {
        if (!is_phase(v))
            continue;
        phases++;
        const json_t *energy = json_object_get(v, "energy");
        if (json_is_object(energy))
            with_energy++;
        else if (energy && !json_is_null(energy))
            return wp_diag_set(d, WP_ERR_PARSE, p->path, 0, 0,
                               "phase %s: energy is neither an object nor null", key);
    }
    if (!with_energy) {
        snprintf(p->sink->no_data, sizeof p->sink->no_data, "%s",
                 phases ? "energy tracking was off (energy is null in every phase)"
                        : "no phases in the report");
        return WP_OK;
    }
    enum wp_err e = config_labels(p, origin, d);
    if (e)
        return e;
    p->report = rep;
    size_t from = p->report_from;
    bool skip_generate = generate_overlaps(rep);
    json_object_foreach((json_t *)rep, key, v)
    {
        long line = wp_json_key_line(p->doc, key, &from);
        if (!is_phase(v) || !json_is_object(json_object_get(v, "energy")))
            continue;
        if (skip_generate && strcmp(key, "generate") == 0) {
            note_generate(p, rep, line ? line : 1);
            continue;
        }
        if ((e = phase_measurement(p, key, v, line ? line : 1, from, d)))
            return e;
    }
    return WP_OK;
}

/* ---- AI Energy Score's GPU_ENERGY_SUMMARY.json ----------------------------------------
 * {"units": "Wh", "total": T, "format": "optimum", "preprocess_wh": ..., "prefill_wh":
 * ..., "decode_wh": ...}, written by AIEnergyScore's summarize_gpu_wh.py from the
 * benchmark_report.json beside it: GPU energy per phase, each rounded to 0.01 Wh. */

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n > t && strcmp(s + n - t, tail) == 0;
}

static bool is_gpu_summary(const json_t *root)
{
    const char *key;
    const json_t *v;
    bool phase = false;
    json_object_foreach((json_t *)root, key, v)
        phase |= ends_with(key, "_wh");
    return json_is_string(json_object_get(root, "units")) &&
           json_object_get(root, "total") && (phase || json_object_get(root, "format"));
}

/* The benchmark_report.json a summary was made from, when it is beside it. */
static bool report_beside(const char *path)
{
    if (strcmp(path, "-") == 0)
        return false;
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    char *rep = malloc(dir + sizeof "benchmark_report.json");
    if (!rep)
        return false;
    memcpy(rep, path, dir);
    memcpy(rep + dir, "benchmark_report.json", sizeof "benchmark_report.json");
    bool found = access(rep, F_OK) == 0;
    free(rep);
    return found;
}

/* One Wh figure of the summary: a number, not negative, finite in J. */
static enum wp_err summary_value(struct parser *p, const json_t *root, const char *key,
                                 double scale, long line, double *out, bool *is_bad,
                                 struct wp_diag *d)
{
    char negative[sizeof d->msg];
    snprintf(negative, sizeof negative, "%s: negative GPU energy", key);
    return wp_json_energy(p->sink, p->path, line, root, key, scale, key, negative, ARTEFACT,
                          out, is_bad, d);
}

static enum wp_err summary_measurement(struct parser *p, const char *phase, double j,
                                       long line, const json_t *root, struct wp_diag *d)
{
    struct wp_measurement m;
    struct wp_extras x;
    start(&m, &x, line, phase, "ai-energy-score");
    m.gpu_energy_j = m.energy_j = j; /* the GPUs are all it measures */
    wp_extras_text(&x, "energy_scope", "GPU only (GPU_ENERGY_SUMMARY.json)");
    wp_extras_text(&x, "summary_format", wp_json_str(root, "format"));
    wp_extras_attach(&x, &m);
    return p->sink->measurement(p->sink->ctx, &m, "report", d);
}

/* AI Energy Score's summary of a run of neuralwatt's ai_energy_benchmarks (its
 * summarize_gpu_wh.py since 263909a, 2025-10-07): that report has one GPU energy and no
 * phases, and the summary writes 0 Wh for preprocess and prefill and the whole energy
 * under decode "for compatibility".  Those phases were never measured: the run is its
 * total, and the report beside it is not one this reader reads, so it is never skipped. */
static bool is_unphased(const json_t *root)
{
    return strcmp(wp_json_str(root, "format"), "ai_energy_benchmarks") == 0;
}

static enum wp_err unphased_summary(struct parser *p, const json_t *root, double scale,
                                    struct wp_diag *d)
{
    size_t from = 0;
    long line = wp_json_key_line(p->doc, "total", &from);
    double total;
    bool is_bad;
    enum wp_err e = summary_value(p, root, "total", scale, line, &total, &is_bad, d);
    if (e || is_bad)
        return e;
    if (isnan(total)) {
        snprintf(p->sink->no_data, sizeof p->sink->no_data,
                 "no energy in the GPU_ENERGY_SUMMARY.json (total null)");
        return WP_OK;
    }
    if ((e = summary_measurement(p, "", total, line, root, d)))
        return e;
    if (total == 0)
        wp_report(p->sink->rep, WP_WARN, p->path, line, 0,
                  "every GPU energy figure is zero (a failed or too short measurement)");
    wp_report(p->sink->rep, WP_NOTE, p->path, line, 0,
              "an ai_energy_benchmarks run (\"format\": \"ai_energy_benchmarks\"): one GPU "
              "energy, the total; its preprocess, prefill and decode figures are not "
              "measured (AI Energy Score puts the whole energy under decode) and are not "
              "stored; CPU and RAM energy are unknown for this run");
    return WP_OK;
}

static enum wp_err gpu_summary(struct parser *p, const json_t *root, struct wp_diag *d)
{
    if (!is_unphased(root) && report_beside(p->path)) {
        snprintf(p->sink->no_data, sizeof p->sink->no_data,
                 "an AI Energy Score GPU_ENERGY_SUMMARY.json made from the "
                 "benchmark_report.json beside it, which is ingested instead");
        return WP_OK;
    }
    size_t from = 0;
    long units_line = wp_json_key_line(p->doc, "units", &from);
    const char *unit = wp_json_str(root, "units");
    double scale = unit_scale(unit);
    if (isnan(scale))
        return wp_diag_set(d, WP_ERR_PARSE, p->path, units_line ? units_line : 1, 0,
                           "units \"%.20s\" is not kWh, Wh, kJ or J", unit);
    if (is_unphased(root))
        return unphased_summary(p, root, scale, d);
    const char *key;
    const json_t *v;
    double sum = 0, total, j;
    size_t n = 0, zero = 0;
    bool is_bad;
    enum wp_err e;
    from = 0;
    long total_line = wp_json_key_line(p->doc, "total", &from);
    if ((e = summary_value(p, root, "total", scale, total_line, &total, &is_bad, d)) || is_bad)
        return e;
    from = 0;
    json_object_foreach((json_t *)root, key, v)
    {
        long line = wp_json_key_line(p->doc, key, &from);
        if (!ends_with(key, "_wh"))
            continue;
        if ((e = summary_value(p, root, key, scale, line, &j, &is_bad, d)) || is_bad)
            return e;
        if (isnan(j))
            continue;
        char phase[64];
        snprintf(phase, sizeof phase, "%.*s", (int)(strlen(key) - 3), key);
        if ((e = summary_measurement(p, phase, j, line, root, d)))
            return e;
        sum += j;
        zero += j == 0;
        n++;
    }
    if (!n && !isnan(total) && (e = summary_measurement(p, "", total, total_line, root, d)))
        return e;
    if (!n && isnan(total)) {
        snprintf(p->sink->no_data, sizeof p->sink->no_data,
                 "no energy in the GPU_ENERGY_SUMMARY.json (total and phases null)");
        return WP_OK;
    }
    /* each figure is printed to 0.01 Wh */
    double tol = 0.005 * 3600.0 * (double)(n + 1) + 1e-9 * fabs(total);
    if (n && !isnan(total) && fabs(total - sum) > tol)
        wp_report(p->sink->rep, WP_WARN, p->path, total_line, 0,
                  "total %.6g Wh is not the sum of the phases, %.6g Wh", total / 3600.0,
                  sum / 3600.0);
    if ((n && zero == n) || (!n && total == 0))
        wp_report(p->sink->rep, WP_WARN, p->path, total_line, 0,
                  "every GPU energy figure is zero (a failed or too short measurement)");
    wp_report(p->sink->rep, WP_NOTE, p->path, total_line, 0,
              "GPU energy only (AI Energy Score measures the GPUs): CPU and RAM energy are "
              "unknown for this run");
    return WP_OK;
}

static enum wp_err parse(struct wp_reader *r, struct wp_sink *sink, struct wp_diag *d)
{
    struct parser p = {.sink = sink, .path = wp_reader_path(r)};
    struct wp_json_doc doc, cfg = {0};
    char *cfg_path = NULL;
    enum wp_err e = wp_json_read(r, &doc, d);
    if (e)
        return e;
    p.doc = &doc;
    sink->consumed = 0; /* a JSON document is read whole: never appended to */
    const json_t *root = doc.root;
    const json_t *combined_report = json_object_get(root, "report");
    const json_t *combined_config = json_object_get(root, "config");
    if (!json_is_object(root)) {
        e = wp_diag_set(d, WP_ERR_PARSE, p.path, 1, 0,
                        "not an optimum-benchmark file: the JSON is not an object");
    } else if (json_is_object(combined_report) && json_is_object(combined_config)) {
        size_t from = 0;
        wp_json_key_line(&doc, "report", &from);
        p.report_from = from;
        p.config = is_config(combined_config) ? combined_config : NULL;
        e = report(&p, combined_report, "benchmark.json config", d);
    } else if (is_config(root)) {
        snprintf(sink->no_data, sizeof sink->no_data,
                 "an optimum-benchmark benchmark_config.json (the settings of a benchmark, "
                 "no measurements): ingest the benchmark_report.json beside it");
    } else if (is_gpu_summary(root)) {
        e = gpu_summary(&p, root, d);
    } else if (is_report(root)) {
        if (!(e = read_sibling_config(&p, &cfg, &cfg_path))) {
            const char *origin = cfg_path ? strrchr(cfg_path, '/') : NULL;
            e = report(&p, root, origin ? origin + 1 : cfg_path ? cfg_path : "", d);
        }
    } else {
        e = wp_diag_set(d, WP_ERR_FORMAT, p.path, 1, 0,
                        "no phase objects (memory, latency, throughput, energy, efficiency) "
                        "and no backend/scenario: not an optimum-benchmark file");
    }
    wp_json_doc_free(&cfg);
    free(cfg_path);
    wp_json_doc_free(&doc);
    return e;
}

static int detect(const char *head, size_t len, const char *name, char *why, size_t why_size)
{
    bool named = strstr(name, "benchmark_report") || strstr(name, "benchmark_config") ||
                 strcmp(name, "benchmark.json") == 0;
    if (wp_head_first_char(head, len) != '{') {
        snprintf(why, why_size, "not a JSON object");
        return 0;
    }
    bool report = wp_head_has(head, len, "\"energy\"") &&
                  (wp_head_has(head, len, "\"efficiency\"") ||
                   wp_head_has(head, len, "\"throughput\"") ||
                   wp_head_has(head, len, "\"latency\"") ||
                   wp_head_has(head, len, "\"memory\""));
    bool config = wp_head_has(head, len, "\"optimum_benchmark_version\"") ||
                  (wp_head_has(head, len, "\"backend\"") &&
                   (wp_head_has(head, len, "\"scenario\"") ||
                    wp_head_has(head, len, "\"launcher\"")));
    if (report || config)
        return named ? 95 : 85;
    if (wp_head_has(head, len, "\"units\"") && wp_head_has(head, len, "\"total\"") &&
        wp_head_has(head, len, "_wh\""))
        return strstr(name, "GPU_ENERGY_SUMMARY") ? 95 : 80; /* AI Energy Score */
    snprintf(why, why_size, "no phase keys (energy, efficiency, latency), no "
                            "backend/scenario keys, no units/total/*_wh summary");
    return 0;
}

const struct wp_format wp_format_optimum_benchmark = {
    .name = "optimum-benchmark",
    .summary = "optimum-benchmark benchmark_report.json (+ benchmark_config.json beside it) "
               "or benchmark.json: one run, a phase per measurement; AI Energy Score's "
               "GPU_ENERGY_SUMMARY.json",
    .versions = "0.6.0.dev0 energy_star report and config (real files checked); 0.5.x "
                "reports and benchmark.json (documented layout); any phase names",
    .detect = detect,
    .parse = parse,
};
