/* Listing commands: runs, rejected, sources, formats, summary. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/filter_opts.h"
#include "cli/logged.h"
#include "util/options.h"
#include "cli/table.h"
#include "export/export.h"
#include "ingest/ingest.h"
#include "analysis/analysis.h"
#include "analysis/filter.h"
#include "analysis/logged.h"
#include "analysis/runs.h"
#include "analysis/totals.h"
#include "util/units.h"
#include "util/array.h"

/* Options shared by the listing commands. */
struct list_opts {
    struct wp_run_filter f;
    enum wp_outfmt fmt;
    bool unlabeled;
};

static int parse_list_opts(const char *cmd, int argc, char **argv, struct list_opts *o)
{
    static const struct wp_option opts[] = {
        WP_CLI_FILTER_OPTIONS,
        WP_OPT_ARG_OPT(0, "format", 'f'),  WP_OPT_NOARG_OPT(0, "unlabeled", 'u'),
        WP_OPT_END_OPT,
    };
    int opt;
    struct wp_options op;
    wp_options_init(&op, opts, WP_OPTIONS_STOP_AT_OPERAND, argc, argv);
    for (char *arg; (opt = wp_options_next(&op, &arg)) > 0;) {
        switch (opt) {
        case 'u': o->unlabeled = true; break;
        case 'f':
            if (!wp_cli_outfmt(cmd, arg, &o->fmt))
                return WP_EXIT_USAGE;
            break;
        default:
            if (!wp_cli_filter_opt(opt, arg, &o->f))
                return wp_cli_usage(cmd, "unknown option");
        }
    }
    if ((opt = wp_cli_options_done(cmd, &op, opt, 0)))
        return opt;
    return WP_EXIT_OK;
}

static const struct wp_col run_cols[] = {
    {"run_id", WP_COL_INT, 0},          {"run_uid", WP_COL_TEXT, 0},
    {"model", WP_COL_TEXT, 0},          {"task", WP_COL_TEXT, 0},
    {"dataset", WP_COL_TEXT, 0},        {"inferences", WP_COL_COUNT, 0},
    {"phases", WP_COL_TEXT, 0},         {"source_file", WP_COL_TEXT, 0},
    {"line", WP_COL_INT, 0},            {"started_at", WP_COL_TEXT, 0},
    {"duration_s", WP_COL_NUM, 4},      {"energy_kwh", WP_COL_NUM, 4},
    {"cpu_energy_kwh", WP_COL_NUM, 4},  {"gpu_energy_kwh", WP_COL_NUM, 4},
    {"ram_energy_kwh", WP_COL_NUM, 4},  {"emissions_g", WP_COL_NUM, 4},
    {"kwh_per_1k_inferences", WP_COL_NUM, 4},
    {"g_co2eq_per_1k_inferences", WP_COL_NUM, 4},
};

struct runs_ctx {
    struct wp_table *t;
    bool unlabeled;
    long long without_per_1k; /* listed runs without labels or an inference count */
};

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct runs_ctx *c = ctx;
    if (c->unlabeled && *r->task && *r->model && *r->dataset)
        return 0;
    enum wp_run_use u = wp_run_use(r);
    c->without_per_1k += u == WP_RUN_UNLABELED || u == WP_RUN_NO_INFERENCES;
    long long id = r->run_id, inf = r->inferences, line = r->line;
    double kwh = r->energy_j / WP_J_PER_KWH, cpu = r->cpu_energy_j / WP_J_PER_KWH;
    double gpu = r->gpu_energy_j / WP_J_PER_KWH, ram = r->ram_energy_j / WP_J_PER_KWH;
    double per = inf > 0 ? 1000.0 / (double)inf : NAN;
    double kwh_1k = kwh * per, g_1k = r->emissions_g * per;
    const void *cells[] = {&id,  r->run_uid, r->model, r->task, r->dataset,     &inf,
                           r->phases,  r->source_file, &line, r->started_at,
                           &r->duration_s, &kwh, &cpu, &gpu, &ram, &r->emissions_g,
                           &kwh_1k, &g_1k};
    return wp_table_row(c->t, cells);
}

int wp_cmd_runs(struct wp_cli *c, int argc, char **argv)
{
    struct list_opts o = {0};
    int rc = parse_list_opts("runs", argc, argv, &o);
    if (rc)
        return rc;
    struct wp_store *s = wp_cli_open_store_for(c, &o.f);
    if (!s)
        return WP_EXIT_FAIL;
    struct runs_ctx ctx = {
        .t = wp_table_new(c->out, o.fmt, run_cols, sizeof run_cols / sizeof run_cols[0]),
        .unlabeled = o.unlabeled,
    };
    struct wp_diag d = {0};
    enum wp_err e = ctx.t ? wp_store_each_run(s, &o.f, on_run, &ctx, &d) : WP_ERR_NOMEM;
    if (ctx.t && wp_table_end(ctx.t) && !e)
        e = wp_diag_set(&d, WP_ERR_IO, "standard output", 0, 0, "write error");
    if (e)
        wp_cli_error(&d);
    else if (ctx.without_per_1k && o.fmt == WP_OUT_TABLE && !c->quiet)
        fprintf(stderr, "wattprint: note: %lld run%s show%s no energy per 1,000 inferences (-). "
                        "%s\n", ctx.without_per_1k, ctx.without_per_1k == 1 ? "" : "s",
                ctx.without_per_1k == 1 ? "s" : "", wp_logged_what_to_add());
    wp_store_close(s);
    return e ? WP_EXIT_FAIL : WP_EXIT_OK;
}

static const struct wp_col rejected_cols[] = {
    {"file", WP_COL_TEXT, 0},   {"line", WP_COL_INT, 0}, {"col", WP_COL_INT, 0},
    {"reason", WP_COL_TEXT, 0}, {"text", WP_COL_TEXT, 0},
};

static int on_rejected(void *ctx, const struct wp_rejected_row *r)
{
    long long line = r->line, col = r->col;
    const void *cells[] = {r->file, &line, &col, r->reason, r->text};
    return wp_table_row(ctx, cells);
}

static const struct wp_col source_cols[] = {
    {"path", WP_COL_TEXT, 0},         {"format", WP_COL_TEXT, 0},
    {"sha256", WP_COL_TEXT, 0},       {"size_bytes", WP_COL_INT, 0},
    {"rows_ingested", WP_COL_INT, 0}, {"rows_rejected", WP_COL_INT, 0},
    {"ingested_at", WP_COL_TEXT, 0},
};

static int on_source(void *ctx, const struct wp_source_row *r)
{
    long long size = r->size_bytes, rows = r->rows_ingested, rej = r->rows_rejected;
    const void *cells[] = {r->path, r->format, r->sha256, &size, &rows, &rej, r->ingested_at};
    return wp_table_row(ctx, cells);
}

/* `sources` with a selection: the files of the selected runs (as a model card counts
 * them), each once although several models may share it. */
struct model_files {
    struct wp_table *t;
    long long *seen;
    size_t n, cap;
    bool failed;
};

static int on_model_file(void *ctx, const char *model, const struct wp_source_row *r)
{
    (void)model;
    struct model_files *m = ctx;
    for (size_t i = 0; i < m->n; i++)
        if (m->seen[i] == r->id)
            return 0;
    if (WP_ARRAY_GROW(m->seen, m->n + 1, m->cap)) {
        m->failed = true;
        return 1;
    }
    m->seen[m->n++] = r->id;
    return on_source(m->t, r);
}

static enum wp_err each_source(struct wp_store *s, const struct list_opts *o,
                               struct wp_table *t, struct wp_diag *d)
{
    if (!wp_filter_is_set(&o->f))
        return wp_store_each_source(s, on_source, t, d);
    struct model_files m = {.t = t};
    struct wp_run_filter f = o->f;
    f.labeled_only = true;
    enum wp_err e = wp_store_each_model_source(s, &f, on_model_file, &m, d);
    if (!e && m.failed)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    free(m.seen);
    return e;
}

/* Shared body of the commands that list one table straight from the store. */
static int simple_list(struct wp_cli *c, const char *cmd, int argc, char **argv,
                       const struct wp_col *cols, size_t n_cols, int is_sources)
{
    struct list_opts o = {0};
    int rc = parse_list_opts(cmd, argc, argv, &o);
    if (rc)
        return rc;
    struct wp_store *s = wp_cli_open_store_for(c, &o.f);
    if (!s)
        return WP_EXIT_FAIL;
    struct wp_table *t = wp_table_new(c->out, o.fmt, cols, n_cols);
    struct wp_diag d = {0};
    enum wp_err e = !t                ? WP_ERR_NOMEM
                    : is_sources      ? each_source(s, &o, t, &d)
                                      : wp_store_each_rejected(s, on_rejected, t, &d);
    if (t && wp_table_end(t) && !e)
        e = wp_diag_set(&d, WP_ERR_IO, "standard output", 0, 0, "write error");
    if (e)
        wp_cli_error(&d);
    wp_store_close(s);
    return e ? WP_EXIT_FAIL : WP_EXIT_OK;
}

int wp_cmd_rejected(struct wp_cli *c, int argc, char **argv)
{
    return simple_list(c, "rejected", argc, argv, rejected_cols,
                       sizeof rejected_cols / sizeof rejected_cols[0], 0);
}

int wp_cmd_sources(struct wp_cli *c, int argc, char **argv)
{
    return simple_list(c, "sources", argc, argv, source_cols,
                       sizeof source_cols / sizeof source_cols[0], 1);
}

int wp_cmd_formats(struct wp_cli *c, int argc, char **argv)
{
    (void)c;
    (void)argv;
    if (argc > 1)
        return wp_cli_usage("formats", "takes no arguments");
    fputs("Input formats (wattprint ingest):\n", c->out);
    for (size_t i = 0; wp_formats[i]; i++)
        fprintf(c->out, "%-18s %s; versions: %s\n", wp_formats[i]->name, wp_formats[i]->summary,
               wp_formats[i]->versions);
    fputs("\nExport formats (wattprint export FORMAT):\n", c->out);
    for (const struct wp_export_format *f = wp_export_formats; f->name; f++)
        fprintf(c->out, "%-18s %s\n", f->name, f->summary);
    return WP_EXIT_OK;
}

static const struct wp_col summary_cols[] = {
    {"task", WP_COL_TEXT, 0},
    {"experiments", WP_COL_INT, 0},
    {"runs", WP_COL_INT, 0},
    {"mean_kwh_per_1k_inferences", WP_COL_NUM, 4},
    {"mean_g_co2eq_per_1k_inferences", WP_COL_NUM, 4},
};

/* One task's line of the summary, from the stream's totals or the analysis' group. */
static void summary_row(struct wp_table *t, const char *task, size_t n_experiments,
                        size_t n_runs, const double *kwh_per_1k, const double *g_per_1k)
{
    long long exps = (long long)n_experiments, runs = (long long)n_runs;
    const void *cells[] = {task, &exps, &runs, kwh_per_1k, g_per_1k};
    wp_table_row(t, cells);
}

/* The summary as a stream of per-task totals (memory flat in the runs); 1 when the runs
 * came out of order for it, so that the caller computes the analysis. */
static int summary_streamed(struct wp_cli *c, struct wp_store *s, const struct list_opts *o,
                            int *rc)
{
    struct wp_task_totals tt;
    struct wp_diag d = {0};
    enum wp_err e = wp_task_totals(s, &o->f, &tt, &d);
    if (e) {
        wp_task_totals_free(&tt);
        wp_cli_error(&d);
        *rc = WP_EXIT_FAIL;
        return 0;
    }
    if (!tt.is_ordered)
        return 1;
    /* nothing labelled yet: the groups the logs name, for people (csv and json keep their
     * columns; stats --by project has the groups in every format) */
    if (!tt.n && !wp_filter_is_set(&o->f) && tt.runs_seen && o->fmt == WP_OUT_TABLE) {
        size_t groups;
        *rc = wp_cli_logged(c, s, o->fmt, false, NULL, &groups);
        if (groups || *rc) {
            wp_task_totals_free(&tt);
            return 0;
        }
    }
    struct wp_table *t = wp_table_new(c->out, o->fmt, summary_cols,
                                      sizeof summary_cols / sizeof summary_cols[0]);
    for (size_t i = 0; t && i < tt.n; i++) {
        const struct wp_task_total *x = &tt.v[i];
        summary_row(t, x->task, x->n_experiments, x->n_runs, &x->mean_kwh_per_1k,
                    &x->mean_g_per_1k);
    }
    *rc = !t || wp_table_end(t) ? WP_EXIT_FAIL : WP_EXIT_OK;
    wp_cli_left_out_counts(c, tt.skipped_no_inferences, tt.skipped_no_energy,
                           tt.skipped_no_above_idle);
    if (o->fmt == WP_OUT_TABLE)
        wp_cli_logged_note(c, tt.skipped_unlabeled);
    wp_task_totals_free(&tt);
    return 0;
}

int wp_cmd_summary(struct wp_cli *c, int argc, char **argv)
{
    struct list_opts o = {0};
    int rc = parse_list_opts("summary", argc, argv, &o);
    if (rc)
        return rc;
    struct wp_store *s = wp_cli_open_store_for(c, &o.f);
    if (!s)
        return WP_EXIT_FAIL;
    /* alone, a stream; in a batch or script, the analysis the other commands share */
    if (!c->memo && !summary_streamed(c, s, &o, &rc)) {
        wp_store_close(s);
        return rc;
    }
    struct wp_analysis_opts ao;
    wp_analysis_defaults(&ao);
    ao.filter = o.f;
    ao.boot.resamples = 0; /* the summary shows means only */
    const struct wp_analysis *a = NULL;
    struct wp_diag d = {0};
    enum wp_err e = wp_analysis_get(c->memo, s, &ao, &a, &d);
    if (e) {
        wp_store_close(s);
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    if (!a->n_groups && !wp_filter_is_set(&o.f) && a->runs_seen && o.fmt == WP_OUT_TABLE) {
        size_t groups;
        rc = wp_cli_logged(c, s, o.fmt, false, NULL, &groups);
        if (groups || rc) {
            wp_store_close(s);
            wp_analysis_release(c->memo, a);
            return rc;
        }
    }
    wp_store_close(s);
    struct wp_table *t = wp_table_new(c->out, o.fmt, summary_cols,
                                      sizeof summary_cols / sizeof summary_cols[0]);
    for (size_t i = 0; t && i < a->n_groups; i++) {
        const struct wp_group_stats *x = &a->groups[i];
        summary_row(t, x->task, x->n_experiments, x->n_runs, &x->kwh.mean, &x->g.mean);
    }
    if (!t || wp_table_end(t))
        rc = WP_EXIT_FAIL;
    wp_cli_left_out(c, a);
    if (o.fmt == WP_OUT_TABLE)
        wp_cli_logged_note(c, a->skipped_unlabeled);
    wp_analysis_release(c->memo, a);
    return rc;
}
