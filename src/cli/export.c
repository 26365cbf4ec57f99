/* wattprint export FORMAT: the disclosures of src/export/ (BoAmps, ...) for the runs a
 * selection picks: options parsed here, the selection and the writers in the library,
 * every file written atomically. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/outputs.h"
#include "util/options.h"
#include "cli/report_args.h"
#include "cli/table.h"
#include "export/export.h"
#include "util/atomic.h"

#define CMD "export"

enum { OPT_PUBLISHER = 300, OPT_CONFIDENTIALITY, OPT_STATUS, OPT_LICENSING, OPT_INFRA,
       OPT_CLOUD, OPT_QUALITY, OPT_BY, OPT_UNIT, OPT_EMBODIED, OPT_FORMAT, OPT_T_KWH,
       OPT_T_METHOD, OPT_MANIFEST_IF, OPT_SCORE };

static bool is(const struct wp_export_cmd *c, const char *format)
{
    return strcmp(c->format, format) == 0;
}

/* The options only some formats read: a usage error when given to another. */
static int format_only(const struct wp_export_cmd *c)
{
    bool sci = is(c, "sci"), boamps = is(c, "boamps");
    bool model_level = is(c, "spdx") || is(c, "eu-ai-act");
    const struct {
        bool given, ok;
        const char *opt;
    } only[] = {
        {c->sci.by_model || c->sci.unit != WP_SCI_INFERENCE || !isnan(c->sci.embodied_g) ||
             !isnan(c->r.a.carbon_intensity_g_per_kwh),
         sci, "--by, --functional-unit, --embodied-g, --carbon-intensity and --region are "
              "for sci"},
        {c->outfmt_arg != NULL, sci || is(c, "eu-ai-act"), "--format is for sci and eu-ai-act"},
        {c->manifest_if || c->provider, sci, "--manifest-if and --score are for sci"},
        {!isnan(c->x.training_kwh), model_level || sci,
         "--training-kwh is for spdx, eu-ai-act and sci --score provider"},
        {c->x.training_method != NULL, model_level,
         "--training-method is for spdx and eu-ai-act"},
        {c->r.a.restate.above_idle, model_level,
         "--above-idle is for spdx and eu-ai-act (sci and boamps carry each run's energy as "
         "its log has it)"},
        {c->r.a.restate.intensity_path != NULL, false,
         "--intensity: no export carries emissions at an hourly intensity (sci's I: "
         "--carbon-intensity G or --region ISO3)"},
        {c->x.confidentiality || c->x.report_status || c->x.licensing || c->x.infra_type ||
             c->x.cloud_provider || c->x.quality,
         boamps, "--confidentiality, --report-status, --licensing, --infra-type, "
                 "--cloud-provider and --quality are for boamps"},
    };
    for (size_t i = 0; i < sizeof only / sizeof only[0]; i++)
        if (only[i].given && !only[i].ok)
            return wp_cli_usage(CMD, "%s", only[i].opt);
    return 0;
}

static int sci_opt(int opt, const char *arg, struct wp_export_cmd *c)
{
    enum wp_group_by by;
    switch (opt) {
    case OPT_BY:
        if (!wp_report_parse_by(arg, &by) || (by != WP_BY_TASK && by != WP_BY_MODEL_TASK))
            return wp_cli_usage(CMD, "--by: give task or model,task");
        c->sci.by_model = by == WP_BY_MODEL_TASK;
        return 0;
    case OPT_UNIT:
        if (!wp_sci_unit_parse(arg, &c->sci.unit))
            return wp_cli_usage(CMD, "--functional-unit: give inference, token, request or "
                                     "image");
        return 0;
    case OPT_EMBODIED: {
        char *end;
        double g = strtod(arg, &end);
        if (end == arg || *end || !isfinite(g) || g < 0)
            return wp_cli_usage(CMD, "--embodied-g: \"%s\" is not grams CO2eq (a number >= 0)",
                                arg);
        c->sci.embodied_g = g;
        return 0;
    }
    case OPT_FORMAT: c->outfmt_arg = arg; return 0;
    case OPT_T_KWH: {
        char *end;
        double kwh = strtod(arg, &end);
        if (end == arg || *end || !isfinite(kwh) || kwh < 0)
            return wp_cli_usage(CMD, "--training-kwh: \"%s\" is not kWh (a number >= 0)", arg);
        c->x.training_kwh = kwh;
        return 0;
    }
    case OPT_T_METHOD: c->x.training_method = arg; return 0;
    case OPT_MANIFEST_IF: c->manifest_if = arg; return 0;
    case OPT_SCORE:
        if (strcmp(arg, "consumer") && strcmp(arg, "provider"))
            return wp_cli_usage(CMD, "--score: give consumer (inference) or provider "
                                     "(training)");
        c->provider = strcmp(arg, "provider") == 0;
        return 0;
    default: return -1;
    }
}

void wp_export_cmd_defaults(struct wp_export_cmd *c)
{
    *c = (struct wp_export_cmd){0};
    wp_report_args_init(&c->r);
    c->x.tool = "wattprint " WP_VERSION;
    c->sci.embodied_g = NAN;
    c->x.training_kwh = NAN;
}

static int check(struct wp_export_cmd *c);

/* export's own options (wp_report_options_parse's `own`); the rest of its options, then -1. */
static int export_opt(void *ctx, int opt, char *arg)
{
    struct wp_export_cmd *c = ctx;
    switch (opt) {
    case 'o': c->out = arg; return 0;
    case OPT_PUBLISHER: c->x.publisher = arg; return 0;
    case OPT_CONFIDENTIALITY: c->x.confidentiality = arg; return 0;
    case OPT_STATUS: c->x.report_status = arg; return 0;
    case OPT_LICENSING: c->x.licensing = arg; return 0;
    case OPT_INFRA: c->x.infra_type = arg; return 0;
    case OPT_CLOUD: c->x.cloud_provider = arg; return 0;
    case OPT_QUALITY: c->x.quality = arg; return 0;
    default: return sci_opt(opt, arg, c);
    }
}

static int parse(int argc, char **argv, struct wp_export_cmd *c)
{
    static const struct wp_option opts[] = {
        WP_OPT_ARG_OPT('o', "output", 'o'),
        WP_OPT_ARG_OPT(0, "publisher", OPT_PUBLISHER),
        WP_OPT_ARG_OPT(0, "confidentiality", OPT_CONFIDENTIALITY),
        WP_OPT_ARG_OPT(0, "report-status", OPT_STATUS),
        WP_OPT_ARG_OPT(0, "licensing", OPT_LICENSING),
        WP_OPT_ARG_OPT(0, "infra-type", OPT_INFRA),
        WP_OPT_ARG_OPT(0, "cloud-provider", OPT_CLOUD),
        WP_OPT_ARG_OPT(0, "quality", OPT_QUALITY),
        WP_OPT_ARG_OPT(0, "by", OPT_BY),
        WP_OPT_ARG_OPT(0, "functional-unit", OPT_UNIT),
        WP_OPT_ARG_OPT(0, "embodied-g", OPT_EMBODIED),
        WP_OPT_ARG_OPT(0, "format", OPT_FORMAT),
        WP_OPT_ARG_OPT(0, "training-kwh", OPT_T_KWH),
        WP_OPT_ARG_OPT(0, "training-method", OPT_T_METHOD),
        WP_OPT_ARG_OPT(0, "manifest-if", OPT_MANIFEST_IF),
        WP_OPT_ARG_OPT(0, "score", OPT_SCORE),
        WP_OPT_ARG_OPT(0, "carbon-intensity", WP_RO_INTENSITY),
        WP_OPT_ARG_OPT(0, "region", WP_RO_REGION),
        WP_RO_FILTER_OPTIONS,
        WP_RO_STATS_OPTIONS,
        WP_OPT_END_OPT,
    };
    wp_export_cmd_defaults(c);
    struct wp_options op;
    int rc = wp_report_options_parse(CMD, opts, argc, argv, 1, &c->r, export_opt, c, &op);
    if (rc)
        return rc;
    if (op.n_operands == 0)
        return wp_cli_usage(CMD, "give a FORMAT (see 'wattprint formats')");
    c->format = argv[1];
    return 0;
}

/* What the options say together, and what they set (the SCI's and the formats' own). */
static int check(struct wp_export_cmd *c)
{
    int rc;
    bool known = false;
    for (const struct wp_export_format *f = wp_export_formats; f->name; f++)
        known |= strcmp(f->name, c->format) == 0;
    if (!known)
        return wp_cli_usage(CMD, "unknown format \"%s\" (see 'wattprint formats')", c->format);
    struct wp_diag d = {0};
    if (wp_export_opts_check(&c->x, &d))
        return wp_cli_usage(CMD, "%s", d.msg);
    if ((rc = format_only(c)))
        return rc;
    if (c->outfmt_arg && is(c, "sci") && !wp_cli_outfmt(CMD, c->outfmt_arg, &c->outfmt))
        return WP_EXIT_USAGE;
    if (c->outfmt_arg && is(c, "eu-ai-act")) {
        c->as_json = strcmp(c->outfmt_arg, "json") == 0;
        if (!c->as_json && strcmp(c->outfmt_arg, "markdown") != 0)
            return wp_cli_usage(CMD, "--format: give markdown or json for eu-ai-act");
    }
    if (c->x.training_method && isnan(c->x.training_kwh))
        return wp_cli_usage(CMD, "--training-method says how --training-kwh was obtained: "
                                 "give both");
    if (!isnan(c->x.training_kwh) && is(c, "sci") && !c->provider)
        return wp_cli_usage(CMD, "--training-kwh goes with --score provider for sci");
    if (c->provider && (c->manifest_if || c->sci.by_model || c->sci.unit != WP_SCI_INFERENCE ||
                        !isnan(c->sci.embodied_g)))
        return wp_cli_usage(CMD, "--score provider is one row per trained model: no --by, "
                                 "--functional-unit, --embodied-g or --manifest-if");
    c->sci.intensity_g_per_kwh = c->r.a.carbon_intensity_g_per_kwh;
    c->sci.boot = c->r.a.boot;
    c->sci.boot.level = c->r.a.level;
    return wp_report_args_check(CMD, &c->r);
}

/* What one output file holds: a writer over the selection. */
struct job {
    enum wp_err (*write)(const struct job *j, FILE *f, struct wp_diag *d);
    const struct wp_export_cmd *c;
    const struct wp_export_sel *sel;
    const struct wp_export_group *g; /* boamps: the report's model and task */
    const struct wp_sci *sci;
    const struct wp_sci_providers *prov; /* sci --score provider */
    const struct wp_export_model *m; /* spdx, eu-ai-act */
};

static enum wp_err write_job(const struct job *j, FILE *f, struct wp_diag *d)
{
    return j->write(j, f, d);
}

static enum wp_err write_boamps(const struct job *j, FILE *f, struct wp_diag *d)
{
    return wp_export_boamps(j->sel, j->g, &j->c->x, f, d);
}

static enum wp_err write_spdx(const struct job *j, FILE *f, struct wp_diag *d)
{
    return wp_export_spdx(j->m, &j->c->x, f, d);
}

static enum wp_err write_euaiact(const struct job *j, FILE *f, struct wp_diag *d)
{
    return wp_export_euaiact(j->m, &j->c->x, j->c->as_json, f, d);
}

/* SCI rows through the listing commands' column model (table, csv or json). */
static enum wp_err write_sci(const struct job *j, FILE *f, struct wp_diag *d)
{
    char sci_name[64];
    snprintf(sci_name, sizeof sci_name, "sci_g_per_%s", wp_sci_unit_name(j->c->sci.unit));
    bool by_model = j->c->sci.by_model;
    struct wp_col cols[] = {
        {"task", WP_COL_TEXT, 0},        {"model", WP_COL_TEXT, 0},
        {"e_kwh", WP_COL_NUM, 4},        {"i_g_per_kwh", WP_COL_NUM, 4},
        {"m_g", WP_COL_NUM, 4},          {"r", WP_COL_NUM, 6},
        {sci_name, WP_COL_NUM, 4},       {"sci_ci_lo", WP_COL_NUM, 4},
        {"sci_ci_hi", WP_COL_NUM, 4},    {"interval_unit", WP_COL_TEXT, 0},
        {"n_units", WP_COL_INT, 0},      {"runs", WP_COL_INT, 0},
    };
#define N_SCI_COLS (sizeof cols / sizeof cols[0])
    size_t skip = by_model ? N_SCI_COLS : 1; /* the model column only --by model,task */
    struct wp_col used[N_SCI_COLS];
    size_t n = 0;
    for (size_t i = 0; i < N_SCI_COLS; i++)
        if (i != skip)
            used[n++] = cols[i];
    struct wp_table *t = wp_table_new(f, j->c->outfmt, used, n);
    if (!t)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    int err = 0;
    for (size_t i = 0; i < j->sci->n && !err; i++) {
        const struct wp_sci_row *r = &j->sci->rows[i];
        long long runs = (long long)r->n_runs, units = (long long)r->sci_ci.n;
        const void *cells[N_SCI_COLS] = {
            r->task, r->model, &r->e_kwh, &r->i_g_per_kwh, &r->m_g, &r->r, &r->sci,
            &r->sci_ci.lo, &r->sci_ci.hi, wp_sci_interval_unit(&j->c->sci, 1), &units, &runs};
        const void *row[N_SCI_COLS];
        size_t k = 0;
        for (size_t c = 0; c < N_SCI_COLS; c++)
            if (c != skip)
                row[k++] = cells[c];
        err = wp_table_row(t, row);
    }
    err |= wp_table_end(t);
    return err || ferror(f) ? wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot write the SCI table")
                            : WP_OK;
}

/* The provider (training) score per model. */
static enum wp_err write_provider(const struct job *j, FILE *f, struct wp_diag *d)
{
    static const struct wp_col cols[] = {
        {"model", WP_COL_TEXT, 0},      {"e_kwh", WP_COL_NUM, 4},
        {"i_g_per_kwh", WP_COL_NUM, 4}, {"m_g", WP_COL_NUM, 4},
        {"r", WP_COL_NUM, 6},           {"sci_g_per_model", WP_COL_NUM, 4},
        {"energy_source", WP_COL_TEXT, 0}, {"intensity_source", WP_COL_TEXT, 0},
    };
    struct wp_table *t = wp_table_new(f, j->c->outfmt, cols, sizeof cols / sizeof cols[0]);
    if (!t)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    int err = 0;
    for (size_t i = 0; i < j->prov->n && !err; i++) {
        const struct wp_sci_provider *p = &j->prov->rows[i];
        const void *cells[] = {p->model, &p->e_kwh, &p->i_g_per_kwh, &p->m_g, &p->r, &p->sci,
                               p->energy_source, p->intensity_source};
        err = wp_table_row(t, cells);
    }
    err |= wp_table_end(t);
    return err || ferror(f) ? wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot write the SCI table")
                            : WP_OK;
}

static enum wp_err write_if(const struct job *j, FILE *f, struct wp_diag *d)
{
    char basis[256];
    wp_export_basis_words(j->sel, NULL, basis, sizeof basis);
    return wp_export_sci_if(j->sci, &j->c->sci, "wattprint " WP_VERSION, basis, f, d);
}

/* Writes one output to path atomically (never over the database, a folder, a device or a
 * FIFO: wp_cli_output_check), or to standard output when path is NULL. */
static enum wp_err write_one(void *job, FILE *f, struct wp_diag *d)
{
    return write_job(job, f, d);
}

static enum wp_err emit(const struct wp_cli *cli, const struct job *j, const char *path,
                        struct wp_diag *d)
{
    return wp_cli_write_output(cli, path, cli->out, write_one, (void *)j, d);
}

/* emit into -o: the file itself, or with to_dir a file named after model and task (NULL:
 * the model's document) with the extension ext in that folder. */
static enum wp_err emit_named(const struct wp_cli *cli, const struct job *j, bool to_dir,
                              const char *model, const char *task, const char *ext,
                              struct wp_diag *d)
{
    const char *out = j->c->out;
    if (!to_dir)
        return emit(cli, j, out, d);
    char name[256], path[4096];
    wp_export_file_name(model, task, ext, name, sizeof name);
    size_t len = strlen(out);
    snprintf(path, sizeof path, "%s%s%s", out, len && out[len - 1] == '/' ? "" : "/", name);
    return emit(cli, j, path, d);
}

static enum wp_err boamps(struct wp_cli *cli, const struct wp_export_cmd *c,
                          const struct wp_export_sel *sel, struct wp_diag *d)
{
    bool to_dir = c->out && wp_cli_is_dir(c->out);
    if (sel->n_groups > 1 && !to_dir)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                           "the selection holds %zu models x tasks, one report each: give "
                           "-o DIR/, or --model M --task T for one report", sel->n_groups);
    for (size_t i = 0; i < sel->n_groups; i++) {
        struct job j = {.write = write_boamps, .c = c, .sel = sel, .g = &sel->groups[i]};
        enum wp_err e = emit_named(cli, &j, to_dir, j.g->model, j.g->task, ".boamps.json", d);
        if (e)
            return e;
    }
    if (to_dir && !cli->quiet)
        fprintf(stderr, "wattprint: wrote %zu BoAmps report%s to %s\n", sel->n_groups,
                sel->n_groups == 1 ? "" : "s", c->out);
    return WP_OK;
}

/* What SCI's parts are, on standard error: the output holds numbers only. */
static void sci_notes(const struct wp_cli *cli, const struct wp_export_cmd *c,
                      const struct wp_export_sel *sel, const struct wp_sci *sci,
                      size_t no_units_dropped)
{
    if (cli->quiet)
        return;
    const struct wp_sci_opts *o = &c->sci;
    char basis[256];
    wp_export_basis_words(sel, NULL, basis, sizeof basis);
    fprintf(stderr, "wattprint: note: E is the energy the meters logged: %s%s\n",
            *basis ? basis : "no component marked measured or modelled",
            strstr(basis, "modelled") ? " (a modelled component is an estimate, not a "
                                        "measurement)"
                                      : "");
    size_t no_units = no_units_dropped, no_i = 0; /* the rows left out's runs too */
    for (size_t i = 0; i < sci->n; i++) {
        no_units += sci->rows[i].n_no_units;
        no_i += sci->rows[i].n_no_intensity;
    }
    if (isnan(o->intensity_g_per_kwh))
        fprintf(stderr, "wattprint: note: I is the location-based carbon intensity of each "
                        "run's grid as stored, weighted by the run's energy\n");
    else
        fprintf(stderr, "wattprint: note: I is the what-if %g g CO2eq/kWh given (%s), not "
                        "the grids the runs used\n", o->intensity_g_per_kwh,
                c->r.region ? c->r.region : "--carbon-intensity");
    size_t no_m = 0;
    for (size_t i = 0; i < sci->n; i++)
        no_m += sci->rows[i].n_no_embodied;
    if (isnan(o->embodied_g)) {
        const struct wp_embodied *t = wp_stats_embodied();
        fprintf(stderr, "wattprint: note: M: each run's share of a GPU server's embodied "
                        "emissions, (server + GPUs x GPU) x measured duration / an assumed "
                        "%d-year lifetime, the run holding the whole node; from %s "
                        "(--embodied-g G to give your own)\n", t->lifetime_years, t->source);
        if (no_m)
            fprintf(stderr, "wattprint: warning: %zu runs have no GPU count: their M is 0 "
                            "(the table is of GPU servers)\n", no_m);
    } else
        fprintf(stderr, "wattprint: note: M: the %g g CO2eq given with --embodied-g, shared "
                        "between rows by measured duration\n", o->embodied_g);
    if (o->unit == WP_SCI_REQUEST || o->unit == WP_SCI_IMAGE)
        fprintf(stderr, "wattprint: note: R counts each inference as one %s\n",
                wp_sci_unit_name(o->unit));
    if (no_units)
        fprintf(stderr, "wattprint: warning: %zu runs have no token counts and are left out "
                        "(see 'wattprint tokens')\n", no_units);
    if (no_i)
        fprintf(stderr, "wattprint: warning: %zu runs have no grid carbon intensity: their "
                        "energy is in E but not in the weights of I\n", no_i);
    fprintf(stderr, "wattprint: note: sci_ci: %g%% bootstrap interval of SCI over the row's "
                    "%s (%zu resamples, seed %lu: the %s drawn with their runs, the pooled "
                    "ratio recomputed); none over one\n", o->boot.level * 100,
            wp_sci_interval_unit(o, 2), o->boot.resamples, o->boot.seed,
            wp_sci_interval_unit(o, 2));
}

static enum wp_err sci(struct wp_cli *cli, const struct wp_export_cmd *c,
                       const struct wp_export_sel *sel, struct wp_diag *d)
{
    struct wp_sci rows;
    enum wp_err e = wp_export_sci(sel, &c->sci, &rows, d);
    if (e)
        return e;
    /* a row none of whose runs has a count of the functional unit (tokens not loaded) has
     * no SCI: left out, never written as zeros */
    size_t kept = 0, dropped = 0, dropped_runs = 0;
    for (size_t i = 0; i < rows.n; i++) {
        if (rows.rows[i].n_runs) {
            rows.rows[kept++] = rows.rows[i];
        } else {
            dropped++;
            dropped_runs += rows.rows[i].n_no_units;
        }
    }
    rows.n = kept;
    if (!kept) {
        wp_sci_free(&rows);
        return wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                           "no run of the selection has a count of the functional unit (%s): "
                           "load token counts with 'wattprint tokens FILE', or give another "
                           "--functional-unit",
                           c->sci.unit == WP_SCI_TOKEN ? "tokens" : "inferences");
    }
    if (dropped && !cli->quiet)
        fprintf(stderr, "wattprint: warning: sci: %zu row%s left out: no run of %s has a "
                        "count of the functional unit\n",
                dropped, dropped == 1 ? "" : "s", dropped == 1 ? "it" : "them");
    struct job j = {.write = write_sci, .c = c, .sel = sel, .sci = &rows};
    e = emit(cli, &j, c->out, d);
    if (!e && c->manifest_if) {
        struct job m = {.write = write_if, .c = c, .sel = sel, .sci = &rows};
        e = emit(cli, &m, c->manifest_if, d);
    }
    if (!e)
        sci_notes(cli, c, sel, &rows, dropped_runs);
    wp_sci_free(&rows);
    return e;
}

static enum wp_err sci_provider(struct wp_cli *cli, const struct wp_export_cmd *c,
                                const struct wp_export_sel *sel, struct wp_diag *d)
{
    struct wp_sci_providers p;
    enum wp_err e = wp_export_sci_provider(sel, &c->sci, c->x.training_kwh, &p, d);
    if (e)
        return e;
    if (!p.n) {
        wp_sci_providers_free(&p);
        return wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                           "no training energy known for the selection's models: give the "
                           "manifest's training_kwh, or --training-kwh KWH with --model M");
    }
    struct job j = {.write = write_provider, .c = c, .sel = sel, .prov = &p};
    e = emit(cli, &j, c->out, d);
    if (!e && !cli->quiet)
        fprintf(stderr, "wattprint: note: provider (training) score of SCI for AI, apart from "
                        "the consumer one: E the training energy, I %s, M = 0 (the training "
                        "hardware and its time are not in the logs), R = 1 model trained\n",
                isnan(c->sci.intensity_g_per_kwh)
                    ? "the grid of the model's inference runs (the training grid is not in "
                      "the logs: give --carbon-intensity or --region for it)"
                    : "the intensity given");
    wp_sci_providers_free(&p);
    return e;
}

/* One document per model (spdx, eu-ai-act): to -o FILE or standard output for one model,
 * to DIR/MODEL.EXT for several. */
static enum wp_err per_model(struct wp_cli *cli, const struct wp_export_cmd *c,
                             const struct wp_export_sel *sel, const struct wp_analysis *a,
                             struct wp_diag *d)
{
    bool spdx = is(c, "spdx");
    const char *ext = spdx ? ".spdx.json" : c->as_json ? ".eu-ai-act.json" : ".eu-ai-act.md";
    size_t n_models = 0;
    for (size_t i = 0; i < sel->n_groups; i++)
        n_models += !i || strcmp(sel->groups[i - 1].model, sel->groups[i].model) != 0;
    bool to_dir = c->out && wp_cli_is_dir(c->out);
    if (n_models > 1 && !to_dir)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                           "the selection holds %zu models, one document each: give -o DIR/, "
                           "or --model M", n_models);
    for (size_t i = 0; i < sel->n_groups; i++) {
        if (i && strcmp(sel->groups[i - 1].model, sel->groups[i].model) == 0)
            continue;
        struct wp_export_model m = {.model = sel->groups[i].model, .sel = sel, .a = a};
        struct job j = {.write = spdx ? write_spdx : write_euaiact, .c = c, .sel = sel, .m = &m};
        enum wp_err e = emit_named(cli, &j, to_dir, m.model, NULL, ext, d);
        if (e)
            return e;
    }
    if (to_dir && !cli->quiet)
        fprintf(stderr, "wattprint: wrote %zu %s document%s to %s\n", n_models, c->format,
                n_models == 1 ? "" : "s", c->out);
    return WP_OK;
}

static int run(struct wp_cli *cli, const struct wp_export_cmd *c);

int wp_export_cmd_run(struct wp_cli *cli, struct wp_export_cmd *c)
{
    int rc = check(c);
    return rc ? rc : run(cli, c);
}

static int run(struct wp_cli *cli, const struct wp_export_cmd *c)
{
    struct wp_diag d = {0};
    wp_stats_init();
    struct wp_store *s = wp_cli_open_store(cli);
    if (!s)
        return WP_EXIT_FAIL;
    struct wp_export_sel sel = {0};
    const struct wp_analysis *a = NULL;
    /* spdx and eu-ai-act above idle: the runs and models they list are those the
     * statistics use, a run without energy above idle left out */
    struct wp_run_filter f = c->r.a.filter;
    struct wp_restate rs = {0};
    bool restate = c->r.a.restate.above_idle; /* --intensity: refused (format_only) */
    if (restate && !wp_cli_restate_setup(s, &c->r.a.restate, &f, &rs)) {
        wp_store_close(s);
        return WP_EXIT_FAIL;
    }
    enum wp_err e = restate ? wp_restate_need_baseline(&rs, &d) : WP_OK;
    if (!e)
        e = wp_export_select(s, &f, &sel, &d);
    wp_restate_free(&rs);
    if (!e && (is(c, "spdx") || is(c, "eu-ai-act")) && sel.n_groups) {
        struct wp_analysis_opts ao = c->r.a;
        ao.by = WP_BY_MODEL_TASK;
        ao.boot_ratios_only = true; /* these documents state the t interval only */
        e = wp_analysis_get(cli->memo, s, &ao, &a, &d);
    }
    wp_store_close(s);
    if (!e && !sel.n_groups)
        e = wp_diag_set(&d, WP_ERR_EMPTY, NULL, 0, 0,
                        "no runs to export: none matches the selection with model, task and "
                        "dataset labels, an inference count and energy (see 'wattprint runs')");
    if (!e)
        e = is(c, "sci")    ? (c->provider ? sci_provider(cli, c, &sel, &d) : sci(cli, c, &sel, &d))
            : is(c, "boamps") ? boamps(cli, c, &sel, &d)
                              : per_model(cli, c, &sel, a, &d);
    if (e)
        wp_cli_error(&d);
    else
        wp_cli_left_out_counts(cli, sel.skipped_no_inferences, sel.skipped_no_energy,
                               sel.skipped_no_above_idle);
    wp_analysis_release(cli->memo, a);
    wp_export_sel_free(&sel);
    return e == WP_ERR_USAGE ? WP_EXIT_USAGE : e ? WP_EXIT_FAIL : WP_EXIT_OK;
}

int wp_cmd_export(struct wp_cli *c, int argc, char **argv)
{
    struct wp_export_cmd args;
    int rc = parse(argc, argv, &args);
    return rc ? rc : wp_export_cmd_run(c, &args);
}

const char wp_export_usage[] =
    "usage: wattprint export FORMAT [selection options] [format options] [-o FILE|DIR/]\n"
    "\n"
    "Writes a disclosure in a standard format from the runs statistics use (labelled, with\n"
    "an inference count and energy).  The same database gives the same bytes; files are\n"
    "written atomically.  Formats (see 'wattprint formats' and the README):\n"
    "  boamps     a BoAmps report (Boavizta) per model and task, one measure per run;\n"
    "             several models or tasks need -o DIR/ (one MODEL__TASK.boamps.json each)\n"
    "  sci        the Software Carbon Intensity per task, as a table, CSV or JSON\n"
    "  spdx       an SPDX 3.0.1 JSON-LD document per model: an ai_AIPackage whose\n"
    "             ai_energyConsumption holds inference (and training) energy in kWh\n"
    "  eu-ai-act  the energy part of the EU AI Act Model Documentation Form per model,\n"
    "             Markdown or JSON\n"
    "  Several models (spdx, eu-ai-act) need -o DIR/ (one MODEL.EXT each) or --model M.\n"
    "\n"
    "  -o, --output FILE|DIR/     where to write (default: standard output)\n"
    "  --task T --model M --dataset D --where KEY=VALUE --phase P   which runs\n"
    "\n"
    "BoAmps, what the logs cannot say:\n"
    "  --publisher NAME           header.publisher.name\n"
    "  --confidentiality public|internal|confidential|secret   (default public)\n"
    "  --report-status draft|final|corrective|other             (default draft)\n"
    "  --licensing TEXT           header.licensing\n"
    "  --infra-type publicCloud|privateCloud|onPremise|other    (default other)\n"
    "  --cloud-provider NAME      infrastructure.cloudProvider\n"
    "  --quality high|medium|low  the report's quality\n"
    "\n"
    "SCI = (E x I + M) / R, per task (Green Software Foundation; the consumer score):\n"
    "  --by task|model,task       rows (default task)\n"
    "  --functional-unit inference|token|request|image   R (default inference; tokens\n"
    "                             where counts were loaded; a request or image is one\n"
    "                             inference)\n"
    "  --embodied-g G             M: embodied g CO2eq of the selection, shared by measured\n"
    "                             duration (default: each run's share of a GPU server's\n"
    "                             embodied emissions from a cited table, 6-year lifetime)\n"
    "  --carbon-intensity G | --region ISO3   what-if I (default: each run's grid)\n"
    "  --format table|csv|json    columns task, [model,] e_kwh, i_g_per_kwh, m_g, r,\n"
    "                             sci_g_per_UNIT, sci_ci_lo, sci_ci_hi (bootstrap over the\n"
    "                             models of a task, the experiments of a model and task),\n"
    "                             interval_unit, n_units, runs\n"
    "  --level X --seed N --resamples N   that interval\n"
    "  --manifest-if FILE         also the Impact Framework manifest (YAML) whose\n"
    "                             Multiply, Sum and Sci builtins reproduce each row\n"
    "  --score provider           instead: the provider (training) score per model whose\n"
    "                             training energy is known (manifest training_kwh, or\n"
    "                             --training-kwh KWH with --model M): R = 1 model trained\n"
    "\n"
    "SPDX and the EU AI Act form (statistics as in stats --by model,task):\n"
    "  --training-kwh KWH         the model's training energy (default: the manifest's\n"
    "                             training_kwh; the form says N/A with the reason if none)\n"
    "  --training-method TEXT     how it was obtained (meter, or estimate and how)\n"
    "  --publisher NAME           SPDX: the creating organisation\n"
    "  --format markdown|json     eu-ai-act (default markdown)\n"
    "  --over runs|experiments --level X --seed N --resamples N   as in stats\n"
    "  --above-idle               as in stats (the models and runs listed are those the\n"
    "                             statistics use)\n";
