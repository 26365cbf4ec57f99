/* wattprint xlsx -o FILE: computes the analysis per task and per model and task, the
 * per-experiment statistics and the list of input files, then hands them and a stream of
 * the runs to the spreadsheet writer (src/report/xlsx.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/outputs.h"
#include "util/options.h"
#include "cli/report_args.h"
#include "report/xlsx.h"

#define CMD "xlsx"

enum { OPT_RUNS_PER_SHEET = 300 };

void wp_xlsx_cmd_defaults(struct wp_xlsx_cmd *x)
{
    *x = (struct wp_xlsx_cmd){0};
    wp_report_args_init(&x->r);
}

/* xlsx's own options (wp_report_options_parse's `own`). */
static int xlsx_opt(void *ctx, int opt, char *arg)
{
    struct wp_xlsx_cmd *x = ctx;
    long long n;
    switch (opt) {
    case 'o': x->path = arg; return 0;
    case OPT_RUNS_PER_SHEET:
        if (!wp_cli_count(CMD, "--runs-per-sheet", arg, &n))
            return WP_EXIT_USAGE;
        if (n > WP_XLSX_MAX_RUNS_PER_SHEET)
            return wp_cli_usage(CMD, "--runs-per-sheet: Excel holds at most %d rows below "
                                     "the header", WP_XLSX_MAX_RUNS_PER_SHEET);
        x->runs_per_sheet = (size_t)n;
        return 0;
    default: return -1;
    }
}

static int parse(int argc, char **argv, struct wp_xlsx_cmd *x)
{
    static const struct wp_option opts[] = {
        WP_OPT_ARG_OPT('o', "output", 'o'),
        WP_OPT_ARG_OPT(0, "runs-per-sheet", OPT_RUNS_PER_SHEET),
        WP_RO_STATS_OPTIONS,
        WP_RO_FILTER_OPTIONS,
        WP_RO_WHATIF_OPTIONS,
        WP_OPT_END_OPT,
    };
    wp_xlsx_cmd_defaults(x);
    struct wp_options op;
    int rc = wp_report_options_parse(CMD, opts, argc, argv, 0, &x->r, xlsx_opt, x, &op);
    if (rc)
        return rc;
    if (!x->path)
        return wp_cli_usage(CMD, "give the output file with -o FILE.xlsx");
    struct wp_diag d = {0};
    if (wp_xlsx_check_path(x->path, &d))
        return wp_cli_usage(CMD, "%s", d.msg);
    return wp_report_args_check(CMD, &x->r);
}

/* The runs the Runs sheets list: every run the selection (--where included) matches,
 * labelled or not, with its values as logged; restated (restate non-NULL), a run without
 * energy above idle is marked so, as the statistics leave it out. */
struct run_source {
    struct wp_store *s;
    struct wp_run_filter f;
    const struct wp_restate *restate;
    int (*fn)(void *ctx, const struct wp_run_row *r);
    void *ctx;
};

static int marked_run(void *src, const struct wp_run_row *r)
{
    struct run_source *rs = src;
    struct wp_run_row logged = *r, restated = *r;
    wp_restate_adjust((void *)rs->restate, &restated);
    logged.no_energy_above_idle = restated.no_energy_above_idle;
    return rs->fn(rs->ctx, &logged);
}

static enum wp_err each_run(void *src, int (*fn)(void *ctx, const struct wp_run_row *r),
                            void *ctx, struct wp_diag *d)
{
    struct run_source *rs = src;
    if (!rs->restate || !rs->restate->above_idle)
        return wp_runs_listed(rs->s, &rs->f, fn, ctx, d);
    rs->fn = fn;
    rs->ctx = ctx;
    return wp_runs_listed(rs->s, &rs->f, marked_run, rs, d);
}

struct inputs {
    struct wp_analysis_memo *memo;
    const struct wp_analysis *tasks, *models;
    struct wp_experiments experiments;
    struct wp_source_list sources;
    bool has_experiments, has_sources;
    /* above idle or at an hourly intensity: the restating the Experiments sheet's runs go
     * through, and the Runs sheet's "In the statistics" (its values stay as logged) */
    struct wp_restate restate;
    struct wp_run_filter restated;
};

static void inputs_free(struct inputs *in)
{
    wp_analysis_release(in->memo, in->tasks);
    wp_analysis_release(in->memo, in->models);
    if (in->has_experiments)
        wp_experiments_free(&in->experiments);
    if (in->has_sources)
        wp_sources_free(&in->sources);
    wp_restate_free(&in->restate);
}

static enum wp_err gather(struct wp_store *s, const struct wp_analysis_opts *o,
                          struct inputs *in, struct wp_diag *d)
{
    struct wp_analysis_opts mo = *o;
    mo.by = WP_BY_MODEL_TASK;
    struct wp_analysis_opts to = *o;
    to.by = WP_BY_TASK;
    enum wp_err e = wp_analysis_get(in->memo, s, &to, &in->tasks, d);
    if (!e)
        e = wp_analysis_get(in->memo, s, &mo, &in->models, d);
    in->restated = o->filter;
    if (!e && (o->restate.above_idle || o->restate.intensity_path)) {
        e = wp_restate_load(s, o->filter.phase, &o->restate, &in->restate, d);
        if (!e) {
            in->restated.adjust = wp_restate_adjust;
            in->restated.adjust_ctx = &in->restate;
        }
    }
    if (!e) {
        e = wp_experiments_run(s, &in->restated, o->level, &in->experiments, d);
        in->has_experiments = !e;
    }
    if (!e) {
        e = wp_sources_all(s, &in->sources, d);
        in->has_sources = !e;
    }
    return e;
}

int wp_xlsx_cmd_run(struct wp_cli *c, const struct wp_xlsx_cmd *x)
{
    wp_stats_init();
    struct wp_store *s = wp_cli_open_for_output(c, x->path, &x->r.a.filter);
    if (!s)
        return WP_EXIT_FAIL;
    struct wp_diag d = {0};
    struct inputs in = {.memo = c->memo};
    char db_name[1024]; /* a server's password stays out of the workbook */
    wp_store_display_name(c->db_path, db_name, sizeof db_name);
    enum wp_err e = gather(s, &x->r.a, &in, &d);
    struct wp_xlsx_result res = {0};
    if (!e) {
        struct run_source rs = {s, x->r.a.filter, &in.restate, NULL, NULL};
        rs.f.by_run_id = true;
        rs.f.labeled_only = false;
        struct wp_xlsx_input xi = {
            .tasks = in.tasks,
            .models = in.models,
            .experiments = &in.experiments,
            .sources = &in.sources,
            .runs = {each_run, &rs},
            .tool = "wattprint " WP_VERSION,
            .command = x->command_line,
            .db_path = db_name,
            .schema_version = wp_store_schema_version(s),
            .region = x->r.region,
            .runs_per_sheet = x->runs_per_sheet,
        };
        e = wp_xlsx_write(x->path, &xi, &res, &d);
    }
    wp_store_close(s);
    if (e) {
        wp_cli_error(&d);
        inputs_free(&in);
        return WP_EXIT_FAIL;
    }
    if (!c->quiet) {
        fprintf(stderr, "wattprint: wrote %s: %zu task%s, %zu model x task groups, %zu "
                        "experiments, %lld run%s on %zu sheet%s\n",
                x->path, in.tasks->n_groups, in.tasks->n_groups == 1 ? "" : "s",
                in.models->n_groups, in.experiments.n, res.runs, res.runs == 1 ? "" : "s",
                res.run_sheets, res.run_sheets == 1 ? "" : "s");
        if (res.truncated)
            fprintf(stderr, "wattprint: warning: %zu text cell%s longer than Excel's %d "
                            "characters %s cut (see the Provenance sheet)\n",
                    res.truncated, res.truncated == 1 ? "" : "s", WP_XLSX_MAX_CELL_CHARS,
                    res.truncated == 1 ? "was" : "were");
    }
    wp_cli_left_out(c, in.tasks);
    inputs_free(&in);
    return WP_EXIT_OK;
}

int wp_cmd_xlsx(struct wp_cli *c, int argc, char **argv)
{
    char *command = wp_report_command_line(c, argc, (const char *const *)argv);
    if (!command) {
        fprintf(stderr, "wattprint: out of memory\n");
        return WP_EXIT_FAIL;
    }
    struct wp_xlsx_cmd x;
    int rc = parse(argc, argv, &x);
    x.command_line = command;
    if (!rc)
        rc = wp_xlsx_cmd_run(c, &x);
    free(command);
    return rc;
}
