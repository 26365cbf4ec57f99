/* The energy part of the EU AI Act's Model Documentation Form (Code of Practice for
 * general-purpose AI models, transparency chapter): the training energy in MWh to at least
 * two significant figures with its method, or N/A with the reason; the measured inference
 * energy per 1,000 inferences per task with its interval, hardware and meters; the
 * selection; a sentence per meter on what it models rather than measures.  Markdown for
 * people, JSON for machines, from the same values. */
#include "export/export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export/json.h"
#include "util/text.h"

/* What each meter measures and what it models, as its documentation says. */
static const struct {
    const char *tool, *sentence;
} modelled[] = {
    {"codecarbon", "CodeCarbon measures GPU energy through NVML and CPU energy through RAPL "
                   "where it can read it; otherwise the CPU is modelled from its TDP, and RAM "
                   "is always modelled (a constant power per GB of memory), not measured."},
    {"eco2ai", "eco2AI models CPU power from the processor's TDP and its load; GPU energy is "
               "read through NVML."},
    {"carbontracker", "carbontracker reads CPU (RAPL) and GPU (NVML) energy where available "
                      "and multiplies by the PUE it assumes."},
    {"zeus", "Zeus measures GPU energy through NVML (CPU and DRAM only where logged)."},
    {"ml.energy leaderboard", "The ML.ENERGY leaderboard measures GPU energy with Zeus "
                              "(NVML); CPU and memory are not counted."},
    {"nvidia-smi", "nvidia-smi power samples are integrated over time (trapezoid rule): "
                   "GPUs only, CPU and memory not counted."},
    {"rapl", "Linux RAPL counters measure the CPU package (and DRAM where logged); GPUs are "
             "not counted."},
    {"optimum-benchmark", "optimum-benchmark measures through CodeCarbon: RAM modelled, CPU "
                          "modelled where RAPL is unreadable, GPU through NVML."},
};

static const char *sentence_of(const char *tool)
{
    for (size_t i = 0; i < sizeof modelled / sizeof modelled[0]; i++)
        if (strcmp(tool, modelled[i].tool) == 0)
            return modelled[i].sentence;
    return NULL;
}

/* Text from the logs in Markdown: characters that would start markup or end a table cell
 * are escaped, HTML is neutralised, a line break becomes a space. */
static void md(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned cp;
        size_t n = wp_text_format_char(s, &cp);
        if (n) { /* shown, not obeyed: a U+202E reversed the rest of the line */
            fprintf(out, "\\\\u%04x", cp);
            s += n - 1;
            continue;
        }
        if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] >= 0x80 &&
            (unsigned char)s[1] <= 0x9f) { /* C1 controls, as C0 */
            fputc(' ', out);
            s++;
            continue;
        }
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        default:
            if ((unsigned char)*s < 0x20 || *s == 0x7f) { /* a line end, tab, ESC: a space */
                fputc(' ', out);
                break;
            }
            if (strchr("\\`*_[]{}()#+!|~$", *s))
                fputc('\\', out);
            fputc(*s, out);
        }
    }
}

/* x with three significant figures, in fixed notation ("0.0000123", "12.3", "1230"). */
static void sig3(double x, char *buf, size_t size)
{
    if (!isfinite(x) || x == 0) {
        snprintf(buf, size, isfinite(x) ? "0" : "N/A");
        return;
    }
    int decimals = 2 - (int)floor(log10(fabs(x)));
    snprintf(buf, size, "%.*f", decimals > 0 ? decimals : 0, x);
}

struct form {
    const struct wp_export_model *m;
    double training_mwh;
    const char *training_method;
    char hardware[1024], meters[1024], selection[512], date[32];
    char basis[256]; /* per component, as the logs mark it (wp_export_basis_words) */
    const char **names; /* scratch */
};

static void selection(const struct wp_analysis_opts *o, char *buf, size_t size)
{
    const struct wp_run_filter *f = &o->filter;
    size_t k = 0;
    if (f->phase)
        k = (size_t)snprintf(buf, size, "phase \"%s\" of each run", f->phase);
    else
        k = (size_t)snprintf(buf, size, "each run whole");
    if (f->dataset && k < size)
        k += (size_t)snprintf(buf + k, size - k, ", dataset %s", f->dataset);
    if (f->where_key && k < size)
        k += (size_t)snprintf(buf + k, size - k, ", where %s=%s", f->where_key, f->where_value);
    if (k < size)
        snprintf(buf + k, size - k, "; statistics over %s, %g%% Student t interval",
                 o->over_experiments ? "experiments" : "runs", o->level * 100);
}

static void gather(struct form *fm, const struct wp_export_opts *o)
{
    const struct wp_export_model *m = fm->m;
    size_t n = wp_export_distinct(m->sel, m->model, NULL,
                                  offsetof(struct wp_export_run, gpu_model), fm->names);
    if (!n)
        n = wp_export_distinct(m->sel, m->model, NULL,
                               offsetof(struct wp_export_run, cpu_model), fm->names);
    wp_export_join(fm->names, n, "not named in the logs", fm->hardware, sizeof fm->hardware);
    n = wp_export_distinct(m->sel, m->model, NULL, offsetof(struct wp_export_run, tool),
                           fm->names);
    for (size_t i = 0; i < n; i++)
        fm->names[i] = wp_tool_display(fm->names[i]);
    wp_export_join(fm->names, n, "unknown meters", fm->meters, sizeof fm->meters);
    selection(&m->a->opts, fm->selection, sizeof fm->selection);
    wp_export_basis_words(m->sel, m->model, fm->basis, sizeof fm->basis);
    snprintf(fm->date, sizeof fm->date, "%.10s", wp_export_newest(m->sel, m->model));
    double kwh = wp_export_training_kwh(m, o, &fm->training_method);
    fm->training_mwh = kwh / 1000.0;
}

static const char na_reason[] =
    "the training energy is not in the measurement logs: give it with --training-kwh KWH "
    "and --training-method TEXT, or as training_kwh in the manifest";

static void markdown(const struct form *fm, const struct wp_export_opts *o, FILE *out)
{
    const struct wp_export_model *m = fm->m;
    const struct wp_analysis *a = m->a;
    char mwh[64];
    fputs("# Energy consumption: ", out);
    md(out, m->model);
    fputs("\n\n", out);
    fprintf(out, "The energy section of the Model Documentation Form (EU AI Act, Code of "
                 "Practice for general-purpose AI models, transparency chapter), filled by %s "
                 "from measurement logs; newest measurement %s.\n\n",
            o->tool, *fm->date ? fm->date : "undated");
    fputs("## Training\n\n| Energy consumption (MWh) | Method |\n|---|---|\n", out);
    if (isfinite(fm->training_mwh)) {
        sig3(fm->training_mwh, mwh, sizeof mwh);
        fprintf(out, "| %s | ", mwh);
        md(out, fm->training_method);
        fputs(" |\n\n", out);
    } else {
        fprintf(out, "| N/A | %s |\n\n", na_reason);
    }
    /* the total of the logged components: "measured" only where the logs mark it so */
    fprintf(out, "## Inference\n\nEnergy per 1,000 inferences %s, per task (mean over "
                 "%s, %g%% Student t interval over %s means), the total of %s (a modelled "
                 "component is an estimate, not a measurement). Hardware: ",
            a->restate.above_idle ? "above idle (each run's logged energy less its host's "
                                    "idle power times the run's duration; runs without an "
                                    "idle baseline left out)"
                                  : "as logged",
            a->opts.over_experiments ? "experiments" : "runs", a->opts.level * 100,
            wp_unit_name(a->unit, 1), *fm->basis ? fm->basis : "components the logs do not mark");
    md(out, fm->hardware);
    fputs(". Logged with ", out);
    md(out, fm->meters);
    fputs(".\n\n", out);
    /* the interval is of the mean, so in its unit: kWh per 1,000 inferences, not kWh */
    fprintf(out, "| Task | kWh per 1,000 inferences | %g%% interval (kWh per 1,000 inferences) "
                 "| n | %s | Runs |\n|---|---|---|---|---|---|\n",
            a->opts.level * 100, wp_unit_name(a->unit, 2));
    bool cut = false;
    for (size_t i = 0; i < a->n_groups; i++) {
        const struct wp_group_stats *g = &a->groups[i];
        if (!wp_export_is_model(m, g))
            continue;
        char mean[64], lo[64], hi[64];
        sig3(g->kwh.mean, mean, sizeof mean);
        sig3(g->kwh_t.lo, lo, sizeof lo);
        sig3(g->kwh_t.hi, hi, sizeof hi);
        if (wp_ci_lo_is_cut(&g->kwh_t)) { /* the one rule of stats.h */
            snprintf(lo, sizeof lo, "0\u2020");
            cut = true;
        }
        fputs("| ", out);
        md(out, g->task);
        fprintf(out, " | %s | %s to %s | %zu | %zu | %zu |\n", mean, lo, hi, g->n, g->n_units,
                g->n_runs);
    }
    if (cut)
        fputs("\n\u2020 " WP_CI_CUT_NOTE "\n", out);
    fputs("\nSelection: ", out);
    md(out, fm->selection);
    fputs(".\n\n## What is modelled\n\n", out);
    size_t n = wp_export_distinct(m->sel, m->model, NULL, offsetof(struct wp_export_run, tool),
                                  fm->names);
    for (size_t i = 0; i < n; i++) {
        const char *s = sentence_of(fm->names[i]);
        if (s)
            fprintf(out, "- %s\n", s);
        else {
            fputs("- ", out);
            md(out, wp_tool_display(fm->names[i]));
            fputs(": what it measures and what it models is not known to wattprint.\n", out);
        }
    }
}

static void json(const struct form *fm, const struct wp_export_opts *o, FILE *out)
{
    const struct wp_export_model *m = fm->m;
    const struct wp_analysis *a = m->a;
    struct wp_xjson j;
    char mwh[64];
    wp_xj_init(&j, out);
    wp_xj_open(&j, NULL, '{');
    wp_xj_str(&j, "form", "EU AI Act Model Documentation Form: energy consumption");
    wp_xj_str(&j, "model", m->model);
    wp_xj_str(&j, "tool", o->tool);
    wp_xj_str(&j, "newest_measurement", fm->date);
    wp_xj_str(&j, "energy_basis", a->restate.above_idle ? "above idle" : "total");
    wp_xj_open(&j, "training", '{');
    if (isfinite(fm->training_mwh)) {
        sig3(fm->training_mwh, mwh, sizeof mwh);
        wp_xj_num(&j, "energy_mwh", fm->training_mwh);
        wp_xj_str(&j, "energy_mwh_text", mwh);
        wp_xj_str(&j, "method", fm->training_method);
        wp_xj_null(&j, "na_reason");
    } else {
        wp_xj_null(&j, "energy_mwh");
        wp_xj_str(&j, "energy_mwh_text", "N/A");
        wp_xj_null(&j, "method");
        wp_xj_str(&j, "na_reason", na_reason);
    }
    wp_xj_close(&j, '}');
    wp_xj_open(&j, "inference", '[');
    for (size_t i = 0; i < a->n_groups; i++) {
        const struct wp_group_stats *g = &a->groups[i];
        if (!wp_export_is_model(m, g))
            continue;
        wp_xj_open(&j, NULL, '{');
        wp_xj_str(&j, "task", g->task);
        wp_xj_num(&j, "kwh_per_1k_inferences", g->kwh.mean);
        wp_xj_num(&j, "ci_t_lo_kwh_per_1k", g->kwh_t.lo);
        wp_xj_num(&j, "ci_t_hi_kwh_per_1k", g->kwh_t.hi);
        wp_xj_bool(&j, "ci_t_lo_below_zero", wp_ci_lo_is_cut(&g->kwh_t));
        wp_xj_str(&j, "interval_unit", wp_unit_name(a->unit, 1));
        wp_xj_int(&j, "n_units", (long long)g->n_units);
        wp_xj_num(&j, "level", a->opts.level);
        wp_xj_str(&j, "over", a->opts.over_experiments ? "experiments" : "runs");
        wp_xj_int(&j, "n", (long long)g->n);
        wp_xj_int(&j, "runs", (long long)g->n_runs);
        wp_xj_close(&j, '}');
    }
    wp_xj_close(&j, ']');
    wp_xj_str(&j, "hardware", fm->hardware);
    wp_xj_str(&j, "measured_with", fm->meters);
    wp_xj_str(&j, "components", fm->basis); /* measured or modelled, as the logs mark them */
    wp_xj_str(&j, "selection", fm->selection);
    wp_xj_open(&j, "modelled_components", '[');
    size_t n = wp_export_distinct(m->sel, m->model, NULL, offsetof(struct wp_export_run, tool),
                                  fm->names);
    for (size_t i = 0; i < n; i++) {
        const char *s = sentence_of(fm->names[i]);
        char unknown[300];
        if (!s) {
            snprintf(unknown, sizeof unknown, "%s: what it measures and what it models is not "
                                              "known to wattprint.",
                     wp_tool_display(fm->names[i]));
            s = unknown;
        }
        wp_xj_str(&j, NULL, s);
    }
    wp_xj_close(&j, ']');
    wp_xj_close(&j, '}');
    wp_xj_end(&j);
}

enum wp_err wp_export_euaiact(const struct wp_export_model *m, const struct wp_export_opts *o,
                              bool as_json, FILE *out, struct wp_diag *d)
{
    enum wp_err e = wp_export_model_found(m, d);
    if (e)
        return e;
    struct form *fm = calloc(1, sizeof *fm);
    const char **names = malloc((m->sel->n ? m->sel->n : 1) * sizeof *names);
    if (!fm || !names) {
        free(fm);
        free(names);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    fm->m = m;
    fm->names = names;
    gather(fm, o);
    if (as_json)
        json(fm, o, out);
    else
        markdown(fm, o, out);
    free(names);
    free(fm);
    return ferror(out) ? wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot write the form")
                       : WP_OK;
}
