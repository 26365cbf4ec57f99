/* BoAmps (Boavizta's energy report of an AI task; schemas in schema/boamps/, CC BY 4.0):
 * one report per model and task, one measure per run.  Filled from the runs: the header's
 * id and date, the task (stage inference: these runs are counted in inferences), the
 * measures, the hardware and the place; the publisher and the rest from the user's
 * options.  What the schema has no field for (the CPU/GPU/RAM split, each run's dataset
 * and inference count) goes in a "wattprint" member of each measure, which the schema
 * allows and BoAmps readers ignore; wattprint's own reader takes it back (ingest/boamps.c). */
#include "export/export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export/json.h"
#include "stats/stats.h"
#include "util/sha256.h"
#include "util/units.h"

#define BOAMPS_FORMAT_VERSION "0.1"
#define BOAMPS_SPEC_URI                                                                      \
    "https://github.com/Boavizta/BoAmps/tree/3bfefec8446ee196d1723c0e35859eb7762da3c9/model"

/* What kind of data a task reads and writes, by a word in its name; first match wins. */
static const struct {
    const char *word, *input, *output;
} data_types[] = {
    {"image_generation", "text", "image"}, {"text_to_image", "text", "image"},
    {"text-to-image", "text", "image"},    {"image", "image", "text"},
    {"object_detection", "image", "object"}, {"vision", "image", "text"},
    {"speech", "audio", "text"},           {"asr", "audio", "text"},
    {"audio", "audio", "text"},
};

static void task_data_types(const char *task, const char **input, const char **output)
{
    *input = *output = "text";
    for (size_t i = 0; i < sizeof data_types / sizeof data_types[0]; i++)
        if (strstr(task, data_types[i].word)) {
            *input = data_types[i].input;
            *output = data_types[i].output;
            return;
        }
}

void wp_export_report_id(const struct wp_export_group *g, char id[37])
{
    char hex[65] = "";
    struct wp_sha256 *h = wp_sha256_new();
    if (h) {
        static const char tag[] = "wattprint boamps report";
        wp_sha256_update(h, tag, sizeof tag); /* with its NUL, as every part below */
        wp_sha256_update(h, g->model, strlen(g->model) + 1);
        wp_sha256_update(h, g->task, strlen(g->task) + 1);
        for (size_t i = 0; i < g->n_sha256; i++)
            wp_sha256_update(h, g->sha256[i], strlen(g->sha256[i]) + 1);
        wp_sha256_hex(h, hex);
        wp_sha256_free(h);
    }
    if (strlen(hex) != 64)
        memset(hex, '0', 64);
    /* RFC 9562 layout: version 8 (custom, here a SHA-256 digest), variant 10 */
    hex[12] = '8';
    int v = hex[16] <= '9' ? hex[16] - '0' : hex[16] - 'a' + 10;
    hex[16] = "89ab"[v & 3];
    snprintf(id, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/* "2023-09-08T12:46:16.5+02:00" -> "2023-09-08 12:46:16" (BoAmps' layout); false when
 * the text is not an ISO date and time. */
static bool boamps_time(const char *iso, char out[20])
{
    if (strlen(iso) < 19)
        return false;
    for (int i = 0; i < 19; i++) {
        char c = iso[i];
        bool ok = (i == 4 || i == 7) ? c == '-'
                  : i == 10         ? (c == 'T' || c == ' ')
                  : (i == 13 || i == 16) ? c == ':'
                                         : (c >= '0' && c <= '9');
        if (!ok)
            return false;
        out[i] = i == 10 ? ' ' : c;
    }
    out[19] = '\0';
    return true;
}

/* "2 x NVIDIA A100" -> 2 (CodeCarbon's way of naming several GPUs), else 1. */
static long long named_count(const char *name)
{
    char *end;
    long long n = strtoll(name, &end, 10);
    return end != name && n > 0 && strncmp(end, " x ", 3) == 0 ? n : 1;
}

static double kwh(double j)
{
    return j / WP_J_PER_KWH;
}

static void header(struct wp_xjson *j, const struct wp_export_sel *sel,
                   const struct wp_export_group *g, const struct wp_export_opts *o)
{
    const char *newest = "";
    for (size_t i = g->first; i < g->first + g->n; i++)
        if (strcmp(sel->runs[i].started_at, newest) > 0)
            newest = sel->runs[i].started_at;
    char when[20];
    if (!boamps_time(newest, when))
        return; /* reportDatetime is required and never the clock: no header */
    char id[37];
    wp_export_report_id(g, id);
    wp_xj_open(j, "header", '{');
    wp_xj_str_opt(j, "licensing", o->licensing);
    wp_xj_str(j, "formatVersion", BOAMPS_FORMAT_VERSION);
    wp_xj_str(j, "formatVersionSpecificationUri", BOAMPS_SPEC_URI);
    wp_xj_str(j, "reportId", id);
    wp_xj_str(j, "reportDatetime", when);
    wp_xj_str(j, "reportStatus", o->report_status ? o->report_status : "draft");
    if (o->publisher) {
        wp_xj_open(j, "publisher", '{');
        wp_xj_str(j, "name", o->publisher);
        wp_xj_str(j, "confidentialityLevel",
                  o->confidentiality ? o->confidentiality : "public");
        wp_xj_close(j, '}');
    }
    wp_xj_close(j, '}');
}

/* The distinct values of a field over the group's runs (see wp_export_distinct). */
static size_t distinct(const struct wp_export_sel *sel, const struct wp_export_group *g,
                       size_t field, const char **v)
{
    return wp_export_distinct(sel, g->model, g->task, field, v);
}

static void task(struct wp_xjson *j, const struct wp_export_sel *sel,
                 const struct wp_export_group *g, const char **scratch)
{
    long long inferences = 0, parameters = 0;
    for (size_t i = g->first; i < g->first + g->n; i++) {
        inferences += sel->runs[i].inferences;
        if (sel->runs[i].parameters)
            parameters = sel->runs[i].parameters;
    }
    const char *in, *out;
    task_data_types(g->task, &in, &out);
    wp_xj_open(j, "task", '{');
    wp_xj_str(j, "taskStage", "inference");
    wp_xj_str(j, "taskFamily", g->task);
    wp_xj_num(j, "nbRequest", (double)inferences);
    wp_xj_open(j, "algorithms", '[');
    wp_xj_open(j, NULL, '{');
    wp_xj_str(j, "foundationModelName", g->model);
    if (parameters)
        wp_xj_num(j, "parametersNumber", (double)parameters / 1e9);
    wp_xj_close(j, '}');
    wp_xj_close(j, ']');
    wp_xj_open(j, "dataset", '[');
    wp_xj_open(j, NULL, '{');
    wp_xj_str(j, "dataUsage", "input");
    wp_xj_str(j, "dataType", in);
    wp_xj_num(j, "dataQuantity", (double)inferences);
    wp_xj_close(j, '}');
    wp_xj_open(j, NULL, '{');
    wp_xj_str(j, "dataUsage", "output");
    wp_xj_str(j, "dataType", out);
    wp_xj_num(j, "dataQuantity", (double)inferences);
    wp_xj_close(j, '}');
    wp_xj_close(j, ']');
    size_t n = distinct(sel, g, offsetof(struct wp_export_run, dataset), scratch);
    char desc[1024];
    size_t k = (size_t)snprintf(desc, sizeof desc, "%s on %s, %zu measured run%s on dataset%s ",
                                g->model, g->task, g->n, g->n == 1 ? "" : "s",
                                n == 1 ? "" : "s");
    for (size_t i = 0; i < n && k < sizeof desc; i++)
        k += (size_t)snprintf(desc + k, sizeof desc - k, "%s%s", i ? ", " : "", scratch[i]);
    wp_xj_str(j, "taskDescription", desc);
    wp_xj_close(j, '}');
}

/* The store's run id is the log's UUID, or a key of its own ("source:N:...") that means
 * nothing outside this database: only a UUID is exported. */
static bool is_uuid(const char *s)
{
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++)
        if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-'
                                                      : !strchr("0123456789abcdef", s[i]))
            return false;
    return true;
}

static void measure(struct wp_xjson *j, const struct wp_export_run *r)
{
    char when[20];
    wp_xj_open(j, NULL, '{');
    wp_xj_str(j, "measurementMethod", *r->tool ? r->tool : "unknown");
    wp_xj_str_opt(j, "version", r->tool_version);
    /* BoAmps' own fields for how CPU and GPU were tracked, in the words of its example
     * (CodeCarbon's): a TDP-modelled CPU is "constant", GPUs read through NVML "nvml".
     * Left out where the logs' marks do not say which. */
    if (r->cpu_basis && strcmp(r->cpu_basis, WP_BASIS_TDP) == 0)
        wp_xj_str(j, "cpuTrackingMode", "constant");
    if (r->gpu_basis && strcmp(r->gpu_basis, WP_BASIS_ALL_GPUS) == 0)
        wp_xj_str(j, "gpuTrackingMode", "nvml");
    wp_xj_num(j, "powerConsumption", kwh(r->energy_j));
    if (isfinite(r->duration_s))
        wp_xj_num(j, "measurementDuration", r->duration_s);
    if (boamps_time(r->started_at, when))
        wp_xj_str(j, "measurementDateTime", when);
    wp_xj_open(j, "wattprint", '{');
    if (is_uuid(r->run_uid))
        wp_xj_str(j, "runId", r->run_uid);
    wp_xj_str(j, "dataset", r->dataset);
    wp_xj_int(j, "inferences", r->inferences);
    if (isfinite(r->cpu_energy_j))
        wp_xj_num(j, "cpuEnergyKwh", kwh(r->cpu_energy_j));
    if (isfinite(r->gpu_energy_j))
        wp_xj_num(j, "gpuEnergyKwh", kwh(r->gpu_energy_j));
    if (isfinite(r->ram_energy_j))
        wp_xj_num(j, "ramEnergyKwh", kwh(r->ram_energy_j));
    /* measured or modelled, per component, as ingest marked it: read back by ingest */
    wp_xj_str_opt(j, "cpuBasis", r->cpu_basis);
    wp_xj_str_opt(j, "gpuBasis", r->gpu_basis);
    wp_xj_str_opt(j, "ramBasis", r->ram_basis);
    if (isfinite(r->emissions_g))
        wp_xj_num(j, "emissionsG", r->emissions_g);
    wp_xj_str_opt(j, "countryIsoCode", r->country_iso_code);
    wp_xj_str_opt(j, "region", r->region);
    wp_xj_str_opt(j, "gpuModel", r->gpu_model);
    wp_xj_str_opt(j, "cpuModel", r->cpu_model);
    if (isfinite(r->gpu_count))
        wp_xj_num(j, "gpuCount", r->gpu_count);
    if (isfinite(r->cpu_count))
        wp_xj_num(j, "cpuCount", r->cpu_count);
    if (isfinite(r->ram_total_bytes))
        wp_xj_num(j, "ramTotalBytes", r->ram_total_bytes);
    wp_xj_str_opt(j, "os", r->os);
    wp_xj_str_opt(j, "pythonVersion", r->python_version);
    wp_xj_close(j, '}');
    wp_xj_close(j, '}');
}

/* The count of a component: as the hardware table holds it for the group's first run that
 * names it (CodeCarbon's cpu_count, gpu_count), else from its name ("8 x ..."), else 1. */
static long long count_of(const struct wp_export_sel *sel, const struct wp_export_group *g,
                          const char *name, bool gpu)
{
    for (size_t i = g->first; i < g->first + g->n; i++) {
        const struct wp_export_run *r = &sel->runs[i];
        double n = gpu ? r->gpu_count : r->cpu_count;
        if (strcmp(gpu ? r->gpu_model : r->cpu_model, name) == 0)
            return isfinite(n) && n >= 1 && n <= 1e9 ? (long long)n : named_count(name);
    }
    return named_count(name);
}

static void component(struct wp_xjson *j, const char *name, const char *type, long long n)
{
    wp_xj_open(j, NULL, '{');
    wp_xj_str(j, "componentName", name);
    wp_xj_str(j, "componentType", type);
    wp_xj_int(j, "nbComponent", n);
    wp_xj_num(j, "share", 1);
    wp_xj_close(j, '}');
}

/* The RAM the group's first run with a size names, in GB as CodeCarbon writes it (GiB). */
static void ram(struct wp_xjson *j, const struct wp_export_sel *sel,
                const struct wp_export_group *g)
{
    for (size_t i = g->first; i < g->first + g->n; i++) {
        double bytes = sel->runs[i].ram_total_bytes;
        if (!isfinite(bytes) || bytes <= 0)
            continue;
        wp_xj_open(j, NULL, '{');
        wp_xj_str(j, "componentType", "ram");
        wp_xj_int(j, "nbComponent", 1);
        wp_xj_num(j, "memorySize", bytes / 1073741824.0);
        wp_xj_close(j, '}');
        return;
    }
}

/* system.os and software (Python, the language of every meter wattprint reads that logs a
 * version) when the logs name them. */
static void system_software(struct wp_xjson *j, const struct wp_export_sel *sel,
                            const struct wp_export_group *g, const char **scratch)
{
    char buf[512];
    size_t n = distinct(sel, g, offsetof(struct wp_export_run, os), scratch);
    if (n) {
        wp_export_join(scratch, n, "", buf, sizeof buf);
        wp_xj_open(j, "system", '{');
        wp_xj_str(j, "os", buf);
        wp_xj_close(j, '}');
    }
    n = distinct(sel, g, offsetof(struct wp_export_run, python_version), scratch);
    if (n) {
        wp_export_join(scratch, n, "", buf, sizeof buf);
        wp_xj_open(j, "software", '{');
        wp_xj_str(j, "language", "python");
        wp_xj_str(j, "version", buf);
        wp_xj_close(j, '}');
    }
}

static void infrastructure(struct wp_xjson *j, const struct wp_export_sel *sel,
                           const struct wp_export_group *g, const struct wp_export_opts *o,
                           const char **scratch)
{
    wp_xj_open(j, "infrastructure", '{');
    wp_xj_str(j, "infraType", o->infra_type ? o->infra_type : "other");
    wp_xj_str_opt(j, "cloudProvider", o->cloud_provider);
    wp_xj_open(j, "components", '[');
    size_t n_gpu = distinct(sel, g, offsetof(struct wp_export_run, gpu_model), scratch);
    for (size_t i = 0; i < n_gpu; i++)
        component(j, scratch[i], "gpu", count_of(sel, g, scratch[i], true));
    size_t n_cpu = distinct(sel, g, offsetof(struct wp_export_run, cpu_model), scratch);
    for (size_t i = 0; i < n_cpu; i++)
        component(j, scratch[i], "cpu", count_of(sel, g, scratch[i], false));
    ram(j, sel, g);
    if (!n_gpu && !n_cpu) { /* the schema wants one: say that the logs named none */
        wp_xj_open(j, NULL, '{');
        wp_xj_str(j, "componentName", "not named in the measurement logs");
        wp_xj_str(j, "componentType", "other");
        wp_xj_int(j, "nbComponent", 1);
        wp_xj_close(j, '}');
    }
    wp_xj_close(j, ']');
    wp_xj_close(j, '}');
}

static void environment(struct wp_xjson *j, const struct wp_export_sel *sel,
                        const struct wp_export_group *g, const char **scratch)
{
    size_t n = distinct(sel, g, offsetof(struct wp_export_run, country_iso_code), scratch);
    if (!n)
        return; /* country is required: no environment without one */
    char country[512];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof country; i++) {
        const struct wp_grid *grid;
        const char *name = wp_stats_grid_lookup(scratch[i], &grid) == WP_OK ? grid->country
                                                                             : scratch[i];
        k += (size_t)snprintf(country + k, sizeof country - k, "%s%s", i ? ", " : "", name);
    }
    double e_kwh = 0, g_co2 = 0;
    for (size_t i = g->first; i < g->first + g->n; i++) {
        const struct wp_export_run *r = &sel->runs[i];
        if (isfinite(r->emissions_g) && r->energy_j > 0) {
            e_kwh += kwh(r->energy_j);
            g_co2 += r->emissions_g;
        }
    }
    size_t n_regions = distinct(sel, g, offsetof(struct wp_export_run, region), scratch);
    char where[512];
    k = 0;
    where[0] = '\0';
    for (size_t i = 0; i < n_regions && k < sizeof where; i++)
        k += (size_t)snprintf(where + k, sizeof where - k, "%s%s", i ? ", " : "", scratch[i]);
    wp_xj_open(j, "environment", '{');
    wp_xj_str(j, "country", country);
    wp_xj_str_opt(j, "location", where);
    if (e_kwh > 0)
        wp_xj_num(j, "powerSourceCarbonIntensity", g_co2 / e_kwh);
    wp_xj_close(j, '}');
}

enum wp_err wp_export_boamps(const struct wp_export_sel *sel, const struct wp_export_group *g,
                             const struct wp_export_opts *o, FILE *out, struct wp_diag *d)
{
    const char **scratch = malloc((sel->n ? sel->n : 1) * sizeof *scratch);
    if (!scratch)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct wp_xjson j;
    wp_xj_init(&j, out);
    wp_xj_open(&j, NULL, '{');
    header(&j, sel, g, o);
    task(&j, sel, g, scratch);
    wp_xj_open(&j, "measures", '[');
    for (size_t i = g->first; i < g->first + g->n; i++)
        measure(&j, &sel->runs[i]);
    wp_xj_close(&j, ']');
    system_software(&j, sel, g, scratch);
    infrastructure(&j, sel, g, o, scratch);
    environment(&j, sel, g, scratch);
    wp_xj_str_opt(&j, "quality", o->quality);
    wp_xj_close(&j, '}');
    wp_xj_end(&j);
    free(scratch);
    return ferror(out) ? wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot write the report")
                       : WP_OK;
}
