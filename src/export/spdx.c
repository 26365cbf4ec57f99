/* SPDX 3.0.1 (JSON-LD, the AI profile): a document whose root is an ai_AIPackage for the
 * model, with ai_energyConsumption as the AI profile defines it: ai_inferenceEnergyConsumption
 * one ai_EnergyConsumptionDescription per task (ai_energyQuantity the mean kWh per 1,000
 * inferences of the analysis, as an xsd:decimal string; ai_energyUnit kilowattHour), and
 * ai_trainingEnergyConsumption when the training energy is known.  The description class
 * has no field for what a quantity is per, so the package's comment says it, per task, with
 * n, the interval and the meters.  Ids derive from the model and its inputs' hashes; the
 * creation date is the model's newest measurement. */
#include "export/export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/basis.h"
#include "export/json.h"
#include "util/sha256.h"
#include "util/text.h"
#include "util/units.h"

#define SPDX_BASE "https://spdx.org/spdxdocs/wattprint-"

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

bool wp_export_is_model(const struct wp_export_model *m, const struct wp_group_stats *g)
{
    return same(g->model, m->model);
}

enum wp_err wp_export_model_found(const struct wp_export_model *m, struct wp_diag *d)
{
    for (size_t i = 0; i < m->a->n_groups; i++)
        if (wp_export_is_model(m, &m->a->groups[i]))
            return WP_OK;
    return wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0, "no statistics for model \"%s\"", m->model);
}

double wp_export_training_kwh(const struct wp_export_model *m, const struct wp_export_opts *o,
                              const char **source)
{
    if (isfinite(o->training_kwh)) {
        *source = o->training_method ? o->training_method
                                    : "stated with --training-kwh; whether measured or "
                                      "estimated is not stated (--training-method)";
        return o->training_kwh;
    }
    for (size_t i = 0; i < m->a->n_groups; i++) {
        const struct wp_group_stats *g = &m->a->groups[i];
        if (wp_export_is_model(m, g) && isfinite(g->training_energy_j)) {
            *source = o->training_method ? o->training_method
                                         : "the manifest's training_kwh for the model; "
                                           "whether measured or estimated is not stated "
                                           "(--training-method)";
            return g->training_energy_j / WP_J_PER_KWH;
        }
    }
    *source = "";
    return NAN;
}

void wp_export_basis_words(const struct wp_export_sel *sel, const char *model, char *buf,
                           size_t size)
{
    static const char *const names[WP_N_COMP] = {"CPU", "GPU", "RAM"};
    static const int order[] = {WP_COMP_GPU, WP_COMP_CPU, WP_COMP_RAM};
    struct wp_basis_summary b;
    memset(&b, 0, sizeof b);
    for (size_t i = 0; i < sel->n; i++) {
        const struct wp_export_run *r = &sel->runs[i];
        if (model && !same(r->model, model))
            continue;
        const char *mark[WP_N_COMP] = {r->cpu_basis, r->gpu_basis, r->ram_basis};
        double j[WP_N_COMP] = {r->cpu_energy_j, r->gpu_energy_j, r->ram_energy_j};
        for (int c = 0; c < WP_N_COMP; c++) /* a component the run logs, marked or not */
            if ((mark[c] && *mark[c]) || isfinite(j[c]))
                b.n[c][wp_basis_kind(mark[c] ? mark[c] : "")]++;
    }
    size_t k = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < sizeof order / sizeof order[0] && k < size; i++) {
        const char *w = wp_basis_word(&b, order[i]);
        if (w)
            k += (size_t)snprintf(buf + k, size - k, "%s%s %s", k ? ", " : "",
                                  names[order[i]], w);
    }
}

/* 16 hex digits of SHA-256 over the model and the hashes of its inputs: ids that change
 * with the data and nothing else. */
static void doc_key(const struct wp_export_model *m, char key[17])
{
    char hex[65] = "";
    struct wp_sha256 *h = wp_sha256_new();
    if (h) {
        wp_sha256_update(h, m->model, strlen(m->model) + 1);
        for (size_t i = 0; i < m->sel->n_groups; i++) {
            const struct wp_export_group *g = &m->sel->groups[i];
            if (!same(g->model, m->model))
                continue;
            for (size_t k = 0; k < g->n_sha256; k++)
                wp_sha256_update(h, g->sha256[k], strlen(g->sha256[k]) + 1);
        }
        wp_sha256_hex(h, hex);
        wp_sha256_free(h);
    }
    if (strlen(hex) != 64)
        memset(hex, '0', 64);
    snprintf(key, 17, "%.16s", hex);
}

/* xsd:dateTime in SPDX's layout (YYYY-MM-DDThh:mm:ssZ) from the newest measurement; the
 * logs' clocks rarely say their zone, so the Z is nominal (README). */
static bool spdx_time(const char *iso, char out[21])
{
    if (strlen(iso) < 19 || iso[4] != '-' || iso[10] != 'T')
        return false;
    snprintf(out, 21, "%.19sZ", iso);
    return true;
}

static void id(char *buf, size_t size, const char *key, const char *what)
{
    snprintf(buf, size, SPDX_BASE "%s#%s", key, what);
}

/* A member that is a list of one id: the document's key and what. */
static void id_list(struct wp_xjson *j, const char *member, const char *key, const char *what)
{
    char buf[512];
    id(buf, sizeof buf, key, what);
    wp_xj_open(j, member, '[');
    wp_xj_str(j, NULL, buf);
    wp_xj_close(j, ']');
}

/* Opens an element of the document: its type, id (the document's key and what) and the
 * shared creation info; its name and the rest follow. */
static void element(struct wp_xjson *j, const char *type, const char *key, const char *what)
{
    char buf[512];
    id(buf, sizeof buf, key, what);
    wp_xj_open(j, NULL, '{');
    wp_xj_str(j, "type", type);
    wp_xj_str(j, "spdxId", buf);
    wp_xj_str(j, "creationInfo", "_:creationinfo");
}

/* The package's comment: what each inference quantity is, per task. */
static void comment(const struct wp_export_model *m, const char *meters, char *buf,
                    size_t size)
{
    const struct wp_analysis_opts *o = &m->a->opts;
    char basis[256];
    wp_export_basis_words(m->sel, m->model, basis, sizeof basis);
    /* the logs' own marks: a modelled component is an estimate, never called measured */
    size_t k = (size_t)snprintf(buf, size,
                                "Energy from the logs of %s, summarised by wattprint%s; as the "
                                "logs mark each component: %s (a modelled component is an "
                                "estimate, not a measurement). "
                                "ai_inferenceEnergyConsumption holds one entry per task, in "
                                "this order, each the mean kWh per 1,000 inferences over %s "
                                "with its %g%% Student t interval over %s means (an interval "
                                "reaching below zero starts at 0):",
                                meters,
                                m->a->restate.above_idle
                                    ? ", above idle (each run's logged energy less its host's "
                                      "idle power times the run's duration; runs without an "
                                      "idle baseline left out)"
                                    : "",
                                *basis ? basis : "not logged",
                                o->over_experiments ? "experiments" : "runs", o->level * 100,
                                wp_unit_name(m->a->unit, 1));
    for (size_t i = 0; i < m->a->n_groups && k < size; i++) {
        const struct wp_group_stats *g = &m->a->groups[i];
        if (!wp_export_is_model(m, g))
            continue;
        char mean[40], lo[40], hi[40];
        k += (size_t)snprintf(buf + k, size - k, "%s %s (n = %zu, %zu %s, %s [%s, %s])",
                              k && buf[k - 1] == ')' ? ";" : "", g->task, g->n, g->n_units,
                              wp_unit_name(m->a->unit, g->n_units),
                              wp_xj_fmt(g->kwh.mean, mean, sizeof mean),
                              wp_xj_fmt(wp_ci_lo_shown(&g->kwh_t), lo, sizeof lo),
                              wp_xj_fmt(g->kwh_t.hi, hi, sizeof hi));
    }
    if (k < size)
        snprintf(buf + k, size - k, "%s%s%s.", o->filter.phase ? "; phase \"" : "",
                 o->filter.phase ? o->filter.phase : "", o->filter.phase ? "\" only" : "");
}

static void quantity(struct wp_xjson *j, double kwh)
{
    char num[400];
    wp_xj_open(j, NULL, '{');
    wp_xj_str(j, "type", "ai_EnergyConsumptionDescription");
    wp_xj_str(j, "ai_energyQuantity", wp_xj_decimal(kwh, num, sizeof num)); /* xsd:decimal */
    wp_xj_str(j, "ai_energyUnit", "kilowattHour");
    wp_xj_close(j, '}');
}

static void package(struct wp_xjson *j, const struct wp_export_model *m,
                    const struct wp_export_opts *o, const char *key, const char *note)
{
    element(j, "ai_AIPackage", key, "model");
    wp_xj_str(j, "name", m->model);
    wp_xj_str(j, "comment", note);
    wp_xj_str(j, "software_primaryPurpose", "model");
    wp_xj_open(j, "ai_energyConsumption", '{');
    wp_xj_str(j, "type", "ai_EnergyConsumption");
    wp_xj_open(j, "ai_inferenceEnergyConsumption", '[');
    for (size_t i = 0; i < m->a->n_groups; i++)
        if (same(m->a->groups[i].model, m->model))
            quantity(j, m->a->groups[i].kwh.mean);
    wp_xj_close(j, ']');
    const char *source;
    double training = wp_export_training_kwh(m, o, &source);
    if (isfinite(training)) {
        wp_xj_open(j, "ai_trainingEnergyConsumption", '[');
        quantity(j, training);
        wp_xj_close(j, ']');
    }
    wp_xj_close(j, '}');
    wp_xj_close(j, '}');
}

enum wp_err wp_export_spdx(const struct wp_export_model *m, const struct wp_export_opts *o,
                           FILE *out, struct wp_diag *d)
{
    enum wp_err e = wp_export_model_found(m, d);
    if (e)
        return e;
    const char **names = malloc((m->sel->n ? m->sel->n : 1) * sizeof *names);
    char *note = malloc(8192);
    if (!names || !note) {
        free(names);
        free(note);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    char meters[1024], key[17], when[21], buf[512];
    size_t n = wp_export_distinct(m->sel, m->model, NULL, offsetof(struct wp_export_run, tool),
                                  names);
    for (size_t i = 0; i < n; i++)
        names[i] = wp_tool_display(names[i]);
    wp_export_join(names, n, "unknown meters", meters, sizeof meters);
    comment(m, meters, note, 8192);
    doc_key(m, key);
    if (!spdx_time(wp_export_newest(m->sel, m->model), when))
        snprintf(when, sizeof when, "1970-01-01T00:00:00Z"); /* no date in the logs */
    struct wp_xjson j;
    wp_xj_init(&j, out);
    wp_xj_open(&j, NULL, '{');
    wp_xj_str(&j, "@context", "https://spdx.org/rdf/3.0.1/spdx-context.jsonld");
    wp_xj_open(&j, "@graph", '[');
    /* who and what made the document */
    wp_xj_open(&j, NULL, '{');
    wp_xj_str(&j, "type", "CreationInfo");
    wp_xj_str(&j, "@id", "_:creationinfo");
    wp_xj_str(&j, "specVersion", "3.0.1");
    wp_xj_str(&j, "created", when);
    id_list(&j, "createdBy", key, "creator");
    id_list(&j, "createdUsing", key, "tool");
    wp_xj_close(&j, '}');
    element(&j, o->publisher ? "Organization" : "SoftwareAgent", key, "creator");
    wp_xj_str(&j, "name", o->publisher ? o->publisher : o->tool);
    wp_xj_close(&j, '}');
    element(&j, "Tool", key, "tool");
    wp_xj_str(&j, "name", o->tool);
    wp_xj_close(&j, '}');
    package(&j, m, o, key, note);
    element(&j, "SpdxDocument", key, "document");
    snprintf(note, 8192, "Energy of %s", m->model);
    wp_xj_str(&j, "name", note);
    wp_xj_open(&j, "profileConformance", '[');
    wp_xj_str(&j, NULL, "core");
    wp_xj_str(&j, NULL, "software");
    wp_xj_str(&j, NULL, "ai");
    wp_xj_close(&j, ']');
    wp_xj_open(&j, "element", '[');
    static const char *const parts[] = {"creator", "tool", "model"};
    for (size_t i = 0; i < 3; i++) {
        id(buf, sizeof buf, key, parts[i]);
        wp_xj_str(&j, NULL, buf);
    }
    wp_xj_close(&j, ']');
    id_list(&j, "rootElement", key, "model");
    wp_xj_close(&j, '}');
    wp_xj_close(&j, ']');
    wp_xj_close(&j, '}');
    wp_xj_end(&j);
    free(names);
    free(note);
    return ferror(out) ? wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot write the document")
                       : WP_OK;
}
