/* The model card (see card.h): values for the template, from the statistics and facts the
 * command gathered.  No wording here beyond short labels: the prose is the template's. */
#include "report/card.h"
#include "analysis/basis.h"
#include "report/basis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/rating.h"
#include "stats/stats.h"
#include "util/units.h"

static const struct wp_tpl_name equiv_names[] = {
    {"amount", NULL}, {"unit", NULL}, {"key", NULL}, {"source", NULL}, {NULL, NULL},
};

static const struct wp_tpl_name dataset_names[] = {
    {"name", NULL}, {NULL, NULL},
};

static const struct wp_tpl_name task_names[] = {
    {"task", NULL},           {"datasets", NULL},       {"dataset_list", dataset_names},
    {"n", NULL},              {"runs", NULL},           {"experiments", NULL},
    {"inferences", NULL},     {"kwh_per_1k", NULL},     {"kwh_sd", NULL},
    {"kwh_ci_t_lo", NULL},    {"kwh_ci_t_hi", NULL},    {"kwh_ci_boot_lo", NULL},
    {"kwh_ci_boot_hi", NULL}, {"g_per_1k", NULL},       {"g_ci_t_lo", NULL},
    {"g_ci_t_hi", NULL},      {"j_per_inference", NULL}, {"mg_per_inference", NULL},
    {"gpu_kwh_per_1k", NULL}, {"gpu_wh_per_1k", NULL},  {"stars", NULL},
    {"stars_symbols", NULL},  {"rated_models", NULL},   {"small_n", NULL},
    {"parity_inferences", NULL}, {"equivalents", equiv_names}, {"n_units", NULL},
    {"hub_task", NULL},       {"stars_relative", NULL}, {"kwh_ci_t_lo_shown", NULL},
    {"g_ci_t_lo_shown", NULL}, {"ci_t_lo_below_zero", NULL}, {"g_ci_t_lo_below_zero", NULL},
    {"unrated", NULL},        {NULL, NULL},
};

static const struct wp_tpl_name co2_names[] = {
    {"emissions_g", NULL},    {"source", NULL},          {"training_type", NULL},
    {"geographical_location", NULL}, {"hardware_used", NULL}, {NULL, NULL},
};

static const struct wp_tpl_name source_names[] = {
    {"path", NULL},   {"name", NULL}, {"format", NULL}, {"sha256", NULL},
    {"rows", NULL},   {"size_bytes", NULL}, {NULL, NULL},
};

static const struct wp_tpl_name equiv_source_names[] = {
    {"unit", NULL}, {"key", NULL}, {"source", NULL}, {NULL, NULL},
};

const struct wp_tpl_name wp_card_vocab[] = {
    {"model", NULL},          {"tool", NULL},            {"date", NULL},
    {"hardware", NULL},       {"location", NULL},        {"measured_with", NULL},
    {"n_tasks", NULL},        {"runs", NULL},            {"inferences", NULL},
    {"parameters", NULL},     {"level", NULL},           {"level_percent", NULL},
    {"statistic", NULL},      {"over", NULL},            {"phase", NULL},
    {"resamples", NULL},      {"seed", NULL},            {"training_kwh", NULL},
    {"training_energy_source", NULL},                    {"co2", co2_names},
    {"tasks", task_names},    {"sources", source_names},
    {"equivalent_sources", equiv_source_names},          {"unit", NULL},
    {"units", NULL},          {"unit_note", NULL},       {"gpu_basis", NULL},
    {"cpu_basis", NULL},      {"ram_basis", NULL},       {"modelled", NULL},
    {"selection", NULL},
    {"assumptions", NULL},    {"inputs_sha256", NULL},   {"n_inputs", NULL},
    {"inputs_command", NULL}, {"against", NULL},        {"against_class", NULL},
    {"against_edition", NULL}, {"ci_cut_note", NULL},    {"against_set", NULL},
    {"energy_basis", NULL},   {"intensity_source", NULL}, {"above_idle", NULL},
    {"hourly_intensity", NULL}, {"no_emissions", NULL}, {NULL, NULL},
};

/* Our task names beside the Hub's pipeline_tag values (huggingface.js, tasks/index.ts).
 * Sorted by ours. */
static const struct {
    const char *ours, *hub;
} hub_tasks[] = {
    {"asr", "automatic-speech-recognition"},
    {"automatic_speech_recognition", "automatic-speech-recognition"},
    {"extractive_qa", "question-answering"},
    {"feature_extraction", "feature-extraction"},
    {"fill_mask", "fill-mask"},
    {"image_captioning", "image-to-text"},
    {"image_classification", "image-classification"},
    {"image_generation", "text-to-image"},
    {"image_segmentation", "image-segmentation"},
    {"masked_lm", "fill-mask"},
    {"object_detection", "object-detection"},
    {"question_answering", "question-answering"},
    {"sentence_similarity", "sentence-similarity"},
    {"speech_recognition", "automatic-speech-recognition"},
    {"summarization", "summarization"},
    {"text2text_generation", "text2text-generation"},
    {"text_classification", "text-classification"},
    {"text_generation", "text-generation"},
    {"text_to_image", "text-to-image"},
    {"text_to_speech", "text-to-speech"},
    {"token_classification", "token-classification"},
    {"translation", "translation"},
    {"zero_shot_classification", "zero-shot-classification"},
};

const char *wp_card_hub_task(const char *task)
{
    char key[64];
    size_t i = 0;
    /* "text-classification", "Text_Classification": one spelling */
    for (; task && task[i] && i < sizeof key - 1; i++)
        key[i] = task[i] == '-' ? '_' : task[i] >= 'A' && task[i] <= 'Z' ? task[i] + 32 : task[i];
    key[i] = '\0';
    if (!task || task[i])
        return NULL;
    size_t lo = 0, hi = sizeof hub_tasks / sizeof hub_tasks[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(hub_tasks[mid].ours, key);
        if (c == 0)
            return hub_tasks[mid].hub;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static void join(const struct wp_names *n, const char *none, struct wp_tval *v,
                 const char *name)
{
    char buf[1024];
    wp_names_join(n, none, buf, sizeof buf);
    wp_tval_text(v, name, buf);
}

/* Whether some task of the card's model has emissions (a log of energy alone has none;
 * the other models of the database do not count). */
static bool model_has_emissions(const struct wp_card_input *in)
{
    for (size_t i = 0; i < in->models->n_groups; i++) {
        const struct wp_group_stats *g = &in->models->groups[i];
        if (same(g->model, in->model) && wp_basis_any_emissions(g, 1))
            return true;
    }
    return false;
}

/* Whether some task of the card's model shows the everyday equivalent `key` (a car's km
 * needs emissions: a log of energy alone shows none, and its source is not cited). */
static bool equiv_shown(const struct wp_card_input *in, const char *key)
{
    for (size_t i = 0; i < in->models->n_groups; i++) {
        const struct wp_group_stats *g = &in->models->groups[i];
        for (size_t k = 0; same(g->model, in->model) && k < g->n_equiv; k++)
            if (strcmp(g->equiv[k].factor->key, key) == 0)
                return true;
    }
    return false;
}

static void equivalents(struct wp_tval *item, const struct wp_group_stats *g)
{
    const struct wp_equiv *eq = g->equiv; /* from the analysis */
    wp_tval_list(item, "equivalents");
    for (size_t i = 0; i < g->n_equiv; i++) {
        struct wp_tval *e = wp_tval_item(item, "equivalents");
        wp_tval_num(e, "amount", eq[i].amount, 3);
        wp_tval_text(e, "unit", eq[i].factor->unit);
        wp_tval_text(e, "key", eq[i].factor->key);
        wp_tval_text(e, "source", eq[i].factor->source);
    }
}

/* A t interval's lower end for people by the one rule of stats.h: "0†" below zero. */
static void ci_lo_shown(struct wp_tval *t, const char *name, const struct wp_ci *ci, bool has_ci)
{
    if (has_ci && wp_ci_lo_is_cut(ci))
        wp_tval_text(t, name, "0\u2020");
    else
        wp_tval_num(t, name, has_ci ? ci->lo : NAN, 4);
}

static void task(struct wp_tval *root, const struct wp_group_stats *g, int stars, size_t rated,
                 const struct wp_model_facts *f, const struct wp_card_input *in, bool *cut)
{
    struct wp_tval *t = wp_tval_item(root, "tasks");
    const struct wp_task_facts *tf = NULL;
    for (size_t i = 0; f && i < f->n_tasks; i++)
        if (same(f->tasks[i].task, g->task))
            tf = &f->tasks[i];
    wp_tval_text(t, "task", g->task);
    wp_tval_list(t, "dataset_list");
    if (tf) {
        join(&tf->datasets, "", t, "datasets");
        for (size_t i = 0; i < tf->datasets.n; i++)
            wp_tval_text(wp_tval_item(t, "dataset_list"), "name", tf->datasets.v[i]);
    } else {
        wp_tval_text(t, "datasets", "");
    }
    wp_tval_int(t, "n", (long long)g->n);
    wp_tval_int(t, "runs", (long long)g->n_runs);
    wp_tval_int(t, "experiments", (long long)g->n_experiments);
    wp_tval_int(t, "n_units", (long long)g->n_units);
    wp_tval_int(t, "inferences", tf ? tf->inferences : 0);
    const char *hub = wp_card_hub_task(g->task);
    wp_tval_text(t, "hub_task", hub ? hub : "");
    /* an interval needs two values and two units: none at n = 1 or over a single model
     * (a bootstrap of one unit is a point, not an interval) */
    size_t units = g->n_units ? g->n_units : g->n;
    bool has_ci = g->n >= 2 && units >= 2;
    double none = NAN;
    wp_tval_num(t, "kwh_per_1k", g->kwh.mean, 4);
    wp_tval_num(t, "kwh_sd", g->n >= 2 ? g->kwh.sd : none, 3);
    wp_tval_num(t, "kwh_ci_t_lo", has_ci ? g->kwh_t.lo : none, 4);
    wp_tval_num(t, "kwh_ci_t_hi", has_ci ? g->kwh_t.hi : none, 4);
    wp_tval_num(t, "kwh_ci_boot_lo", has_ci ? g->kwh_boot.lo : none, 4);
    wp_tval_num(t, "kwh_ci_boot_hi", has_ci ? g->kwh_boot.hi : none, 4);
    wp_tval_num(t, "g_per_1k", g->g.mean, 4);
    wp_tval_num(t, "g_ci_t_lo", has_ci ? g->g_t.lo : none, 4);
    wp_tval_num(t, "g_ci_t_hi", has_ci ? g->g_t.hi : none, 4);
    /* the exact ends stay in the front matter, flagged; the table shows the rule's */
    ci_lo_shown(t, "kwh_ci_t_lo_shown", &g->kwh_t, has_ci);
    ci_lo_shown(t, "g_ci_t_lo_shown", &g->g_t, has_ci);
    bool cut_kwh = has_ci && wp_ci_lo_is_cut(&g->kwh_t), cut_g = has_ci && wp_ci_lo_is_cut(&g->g_t);
    wp_tval_text(t, "ci_t_lo_below_zero", cut_kwh ? "yes" : "");
    wp_tval_text(t, "g_ci_t_lo_below_zero", cut_g ? "yes" : "");
    *cut |= cut_kwh || cut_g;
    wp_tval_num(t, "j_per_inference", g->j_per_inference, 4);
    wp_tval_num(t, "mg_per_inference", g->mg_per_inference, 4);
    wp_tval_num(t, "gpu_kwh_per_1k", g->gpu_kwh_per_1k, 4);
    wp_tval_num(t, "gpu_wh_per_1k", wp_wh_of_kwh(g->gpu_kwh_per_1k), 4);
    wp_tval_num(t, "stars", stars ? stars : NAN, 1);
    static const char *const symbols[] = {"", "★☆☆☆☆", "★★☆☆☆", "★★★☆☆", "★★★★☆", "★★★★★"};
    wp_tval_text(t, "stars_symbols", stars >= 1 && stars <= 5 ? symbols[stars] : "");
    wp_tval_int(t, "rated_models", (long long)rated);
    char rel[512];
    if (in->against)
        snprintf(rel, sizeof rel, "relative to the %zu class %s models of the leaderboard "
                                  "snapshot %s (%s)", rated, in->against->class,
                 in->against_name, in->against->edition);
    else
        snprintf(rel, sizeof rel, "relative to %zu models in this database", rated);
    wp_tval_text(t, "stars_relative", rel);
    wp_tval_text(t, "unrated", !isfinite(g->gpu_kwh_per_1k)
                                   ? "no GPU energy"
                                   : "no other model of its task has GPU energy in this "
                                     "database to rate it against");
    wp_tval_text(t, "small_n", g->is_small ? "yes" : "");
    wp_tval_num(t, "parity_inferences", g->parity_inferences, 3);
    equivalents(t, g);
}

/* The model's training energy (J) and where it comes from, NAN if unknown. */
static double training_energy(const struct wp_card_input *in, const char **source)
{
    for (size_t i = 0; i < in->models->n_groups; i++) {
        const struct wp_group_stats *g = &in->models->groups[i];
        if (same(g->model, in->model) && isfinite(g->training_energy_j)) {
            *source = "manifest training_kwh";
            return g->training_energy_j;
        }
    }
    const struct wp_training_energy *t;
    if (wp_stats_training_energy(in->model, &t) == WP_OK) {
        *source = t->source;
        return t->training_j + t->finetune_j;
    }
    *source = "";
    return NAN;
}

static void co2(struct wp_tval *root, const struct wp_card_input *in, double training_j,
                const char *energy_source)
{
    const struct wp_card_training *tr = in->training;
    wp_tval_list(root, "co2");
    if (!tr)
        return;
    double grams = tr->emissions_g;
    char source[1024];
    snprintf(source, sizeof source, "%s", tr->source ? tr->source : "");
    if (isnan(grams) && isfinite(training_j) && isfinite(tr->intensity_g_per_kwh)) {
        if (wp_stats_emissions_g(training_j, tr->intensity_g_per_kwh, 1.0, &grams) != WP_OK)
            grams = NAN;
        snprintf(source, sizeof source, "%s: training energy %.6g kWh (%s) x %g g CO2eq/kWh "
                                        "(%s)", in->tool, training_j / WP_J_PER_KWH, energy_source,
                 tr->intensity_g_per_kwh, tr->intensity_source ? tr->intensity_source : "");
    }
    if (!isfinite(grams))
        return;
    struct wp_tval *c = wp_tval_item(root, "co2");
    wp_tval_num(c, "emissions_g", grams, 4);
    wp_tval_text(c, "source", source);
    wp_tval_text(c, "training_type", tr->type);
    wp_tval_text(c, "geographical_location", tr->location);
    wp_tval_text(c, "hardware_used", tr->hardware);
}

/* `cmd 'model'` for a shell: the model in single quotes, a quote in it as '\'' */
static void shell_command(const char *cmd, const char *model, char *buf, size_t size)
{
    size_t k = (size_t)snprintf(buf, size, "%s '", cmd);
    for (const char *p = model; *p && k + 5 < size; p++) {
        if (*p == '\'') {
            memcpy(buf + k, "'\\''", 4);
            k += 4;
        } else {
            buf[k++] = *p;
        }
    }
    if (k + 2 <= size)
        snprintf(buf + k, size - k, "'");
}

/* The inputs by their fingerprint (the SHA-256 of their sorted SHA-256 values: see
 * wp_sources_digest) and the command that lists them, never their local paths (the card is
 * published; the paths say nothing to its readers). */
static enum wp_err provenance(struct wp_tval *root, const struct wp_card_input *in,
                              struct wp_diag *d)
{
    const struct wp_model_facts *f = in->facts;
    const char *model = in->model;
    struct wp_source_list empty = {0};
    char hex[65] = "";
    enum wp_err e = wp_sources_digest(f ? &f->sources : &empty, hex, d);
    if (e)
        return e;
    wp_tval_text(root, "inputs_sha256", f && f->sources.n ? hex : "");
    wp_tval_int(root, "n_inputs", f ? (long long)f->sources.n : 0);
    char cmd[1024];
    shell_command("wattprint sources --model", model, cmd, sizeof cmd);
    wp_tval_text(root, "inputs_command", cmd);
    wp_tval_list(root, "sources");
    for (size_t i = 0; f && i < f->sources.n; i++) {
        const struct wp_source_file *s = &f->sources.v[i];
        struct wp_tval *v = wp_tval_item(root, "sources");
        wp_tval_text(v, "path", s->path);
        wp_tval_text(v, "name", s->name);
        wp_tval_text(v, "format", s->format);
        wp_tval_text(v, "sha256", s->sha256);
        wp_tval_int(v, "rows", s->rows_ingested);
        wp_tval_int(v, "size_bytes", s->size_bytes);
    }
    size_t n;
    const struct wp_equiv_factor *eq = wp_stats_equiv_table(&n);
    wp_tval_list(root, "equivalent_sources");
    for (size_t i = 0; i < n; i++) {
        if (!equiv_shown(in, eq[i].key))
            continue;
        struct wp_tval *v = wp_tval_item(root, "equivalent_sources");
        wp_tval_text(v, "unit", eq[i].unit);
        wp_tval_text(v, "key", eq[i].key);
        wp_tval_text(v, "source", eq[i].source);
    }
    return WP_OK;
}

static void header(struct wp_tval *root, const struct wp_card_input *in)
{
    const struct wp_analysis_opts *o = &in->models->opts;
    const struct wp_model_facts *f = in->facts;
    struct wp_names none = {0};
    wp_tval_text(root, "model", in->model);
    wp_tval_text(root, "tool", in->tool);
    /* the model's own newest run, not the database's (whose newest may be another model's) */
    wp_tval_text(root, "date", f ? f->newest : "");
    join(f ? &f->hardware : &none, "unknown hardware", root, "hardware");
    join(f ? &f->locations : &none, "", root, "location");
    join(f ? &f->tools : &none, "an unknown tool", root, "measured_with");
    /* measured or modelled, from the ingest marks of the database's measurements */
    const struct wp_basis_summary *b = in->basis ? in->basis : &in->models->basis;
    const char *gw = wp_basis_word(b, WP_COMP_GPU), *cw = wp_basis_word(b, WP_COMP_CPU);
    const char *rw = wp_basis_word(b, WP_COMP_RAM);
    wp_tval_text(root, "gpu_basis", gw ? gw : "not logged");
    wp_tval_text(root, "cpu_basis", cw ? cw : "not logged");
    wp_tval_text(root, "ram_basis", rw ? rw : "not logged");
    char text[2048];
    wp_basis_sentences(b, text, sizeof text);
    wp_tval_text(root, "modelled", text);
    wp_basis_assumptions(o->pue, &in->models->restate, model_has_emissions(in), text,
                         sizeof text);
    wp_tval_text(root, "assumptions", text);
    /* which energy and intensity the figures use (analysis/restate.h) */
    const struct wp_restate *rs = &in->models->restate;
    wp_tval_text(root, "energy_basis", rs->above_idle ? "above idle" : "total");
    char src[64];
    snprintf(src, sizeof src, "%s%s", rs->has_intensity ? "hourly, " : "as logged by the tool",
             rs->has_intensity ? wp_intensity_basis_name(rs->intensity.basis) : "");
    wp_tval_text(root, "intensity_source", src);
    wp_tval_int(root, "above_idle", rs->above_idle);
    wp_tval_int(root, "hourly_intensity", rs->has_intensity);
    wp_tval_int(root, "no_emissions", !model_has_emissions(in));
    wp_tval_int(root, "n_tasks", f ? (long long)f->n_tasks : 0);
    wp_tval_int(root, "runs", f ? f->runs : 0);
    wp_tval_int(root, "inferences", f ? f->inferences : 0);
    wp_tval_num(root, "level", o->level, 4);
    char pct[32];
    snprintf(pct, sizeof pct, "%g", o->level * 100); /* 95, 99.9: as the user gave it */
    wp_tval_text(root, "level_percent", pct);
    wp_tval_text(root, "statistic", o->over_experiments
                                        ? "mean over experiments (each the mean of its runs)"
                                        : "mean over runs");
    wp_tval_text(root, "over", o->over_experiments ? "experiments" : "runs");
    wp_tval_text(root, "phase", o->filter.phase ? o->filter.phase : "");
    char sel[512]; /* which runs: the phase and --where, recorded with the figures */
    snprintf(sel, sizeof sel, "phase %s; where %s%s%s",
             o->filter.phase ? o->filter.phase : "whole run",
             o->filter.where_key ? o->filter.where_key : "any",
             o->filter.where_key ? "=" : "", o->filter.where_key && o->filter.where_value
                                                 ? o->filter.where_value : "");
    wp_tval_text(root, "selection", sel);
    wp_tval_int(root, "resamples", (long long)o->boot.resamples);
    wp_tval_int(root, "seed", (long long)o->boot.seed);
    enum wp_unit u = in->models->unit;
    wp_tval_text(root, "unit", wp_unit_name(u, 1));
    wp_tval_text(root, "units", wp_unit_name(u, 2));
    wp_tval_text(root, "unit_note",
                 u == WP_UNIT_RUN
                     ? "The runs are taken as independent observations (--unit run), which "
                       "repeated runs of one experiment are not: these intervals are narrower "
                       "than the data support."
                     : u == WP_UNIT_EXPERIMENT
                     ? "Repeated runs of one experiment are near copies, not independent "
                       "observations, so the intervals are over experiments (the model on each "
                       "dataset): Student t over their means, and a cluster bootstrap that "
                       "resamples experiments, then their runs. A task measured in one "
                       "experiment has no interval."
                     : "Repeated runs are near copies, not independent observations, so the "
                       "intervals are over models: Student t over their means, and a cluster "
                       "bootstrap that resamples models, then experiments, then runs.");
}

/* Rates g against a leaderboard snapshot's set by the equal-width rule with the set's
 * range; rated: the set's models with an energy. */
static void against(const struct wp_leaderboard_set *set, const struct wp_group_stats *g,
                    int *stars, size_t *rated)
{
    *rated = 0;
    for (size_t k = 0; k < set->n; k++)
        *rated += isfinite(set->kwh_per_1k[k]) != 0;
    if (wp_stats_stars_against(set->kwh_per_1k, set->n, g->gpu_kwh_per_1k, stars) != WP_OK)
        *stars = 0;
}

enum wp_err wp_card_write(const struct wp_tpl *t, const struct wp_card_input *in, FILE *out,
                          struct wp_diag *d)
{
    const struct wp_analysis *a = in->models;
    size_t n = a->n_groups ? a->n_groups : 1;
    int *stars = calloc(n, sizeof *stars);
    size_t *rated = calloc(n, sizeof *rated);
    struct wp_tval *root = wp_tval_new();
    enum wp_err e = WP_OK;
    if (!stars || !rated || !root) {
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    struct wp_group_table table = wp_analysis_table(a);
    if ((e = wp_rating_by_task(&table, WP_STARS_EQUAL_WIDTH, stars, rated, d)))
        goto out;
    header(root, in);
    long long parameters = 0;
    size_t n_tasks = 0;
    bool cut = false;
    wp_tval_list(root, "tasks");
    for (size_t i = 0; i < a->n_groups; i++) {
        const struct wp_group_stats *g = &a->groups[i];
        if (!same(g->model, in->model))
            continue;
        if (in->against) /* the snapshot's bins, which this model does not move */
            against(in->against, g, &stars[i], &rated[i]);
        task(root, g, stars[i], rated[i], in->facts, in, &cut);
        parameters = g->parameters ? g->parameters : parameters;
        n_tasks++;
    }
    if (!n_tasks) {
        e = wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                        "no statistics for model \"%s\": it has no labelled runs with an "
                        "inference count and energy (see 'wattprint runs --model')",
                        in->model);
        goto out;
    }
    wp_tval_int(root, "parameters", parameters);
    wp_tval_text(root, "ci_cut_note", cut ? "\u2020 " WP_CI_CUT_NOTE : "");
    wp_tval_text(root, "against", in->against ? in->against_name : "");
    wp_tval_text(root, "against_class", in->against ? in->against->class : "");
    wp_tval_text(root, "against_edition", in->against ? in->against->edition : "");
    char set[512] = "this database";
    if (in->against)
        snprintf(set, sizeof set, "%s (class %s, %s)", in->against_name, in->against->class,
                 in->against->edition);
    wp_tval_text(root, "against_set", set);
    const char *energy_source;
    double training_j = training_energy(in, &energy_source);
    wp_tval_num(root, "training_kwh", training_j / WP_J_PER_KWH, 4);
    wp_tval_text(root, "training_energy_source", energy_source);
    co2(root, in, training_j, energy_source);
    if ((e = provenance(root, in, d)))
        goto out;
    e = wp_tpl_render(t, root, out, d);
out:
    wp_tval_free(root);
    free(stars);
    free(rated);
    return e;
}

void wp_card_file_name(const char *model, char *buf, size_t size)
{
    size_t k = 0, cap = size > 4 ? size - 4 : 0; /* room for ".md" */
    if (cap > 200)
        cap = 200;
    for (const unsigned char *p = (const unsigned char *)model; *p && k < cap; p++) {
        if (*p == '/') {
            if (k + 2 > cap)
                break;
            buf[k++] = '-';
            buf[k++] = '-';
            continue;
        }
        if ((*p & 0xC0) == 0x80)
            continue; /* a UTF-8 continuation byte: its character is already one '_' */
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || (*p == '.' && k > 0);
        buf[k++] = ok ? (char)*p : '_';
    }
    if (k == 0 && cap > 0)
        buf[k++] = '_';
    if (size)
        snprintf(buf + k, size - k, ".md");
}
