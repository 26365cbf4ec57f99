/* wattprint export FORMAT: the disclosures of src/export/ (BoAmps, ...) for the runs a
 * selection picks: options parsed here, the selection and the writers in the library,
 * every file written atomically. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/report_args.h"
#include "export/export.h"
#include "util/atomic.h"

#define CMD "export"

enum { OPT_PUBLISHER = 300, OPT_CONFIDENTIALITY, OPT_STATUS, OPT_LICENSING, OPT_INFRA,
       OPT_CLOUD, OPT_QUALITY };

struct export_args {
    struct wp_report_args r;
    struct wp_export_opts x;
    const char *format, *out;
};

static int parse(int argc, char **argv, struct export_args *c)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"publisher", required_argument, NULL, OPT_PUBLISHER},
        {"confidentiality", required_argument, NULL, OPT_CONFIDENTIALITY},
        {"report-status", required_argument, NULL, OPT_STATUS},
        {"licensing", required_argument, NULL, OPT_LICENSING},
        {"infra-type", required_argument, NULL, OPT_INFRA},
        {"cloud-provider", required_argument, NULL, OPT_CLOUD},
        {"quality", required_argument, NULL, OPT_QUALITY},
        WP_RO_FILTER_OPTIONS,
        WP_RO_STATS_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    wp_report_args_init(&c->r);
    c->x.tool = "wattprint " WP_VERSION;
    int opt, rc;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (opt) {
        case 'o': c->out = optarg; break;
        case OPT_PUBLISHER: c->x.publisher = optarg; break;
        case OPT_CONFIDENTIALITY: c->x.confidentiality = optarg; break;
        case OPT_STATUS: c->x.report_status = optarg; break;
        case OPT_LICENSING: c->x.licensing = optarg; break;
        case OPT_INFRA: c->x.infra_type = optarg; break;
        case OPT_CLOUD: c->x.cloud_provider = optarg; break;
        case OPT_QUALITY: c->x.quality = optarg; break;
        default:
            rc = wp_report_opt(CMD, opt, optarg, &c->r);
            if (rc)
                return rc < 0 ? wp_cli_usage(CMD, "unknown option") : rc;
        }
    }
    if (optind == argc)
        return wp_cli_usage(CMD, "give a FORMAT (see 'wattprint formats')");
    c->format = argv[optind++];
    if (optind < argc)
        return wp_cli_usage(CMD, "unexpected argument '%s'", argv[optind]);
    bool known = false;
    for (const struct wp_export_format *f = wp_export_formats; f->name; f++)
        known |= strcmp(f->name, c->format) == 0;
    if (!known)
        return wp_cli_usage(CMD, "unknown format \"%s\" (see 'wattprint formats')", c->format);
    struct wp_diag d = {0};
    if (wp_export_opts_check(&c->x, &d))
        return wp_cli_usage(CMD, "%s", d.msg);
    return wp_report_args_check(CMD, &c->r);
}

static bool is_dir(const char *path)
{
    struct stat st;
    size_t n = strlen(path);
    return (n && path[n - 1] == '/') || (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

/* What one output file holds: a writer over the selection. */
struct job {
    const struct wp_export_sel *sel;
    const struct wp_export_group *g;
    const struct wp_export_opts *x;
};

static enum wp_err write_job(const struct job *j, FILE *f, struct wp_diag *d)
{
    return wp_export_boamps(j->sel, j->g, j->x, f, d);
}

/* Writes one output to path atomically, or to standard output when path is NULL. */
static enum wp_err emit(const struct job *j, const char *path, struct wp_diag *d)
{
    if (!path) {
        enum wp_err e = write_job(j, stdout, d);
        if (!e && (fflush(stdout) || ferror(stdout)))
            e = wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot write to standard output");
        return e;
    }
    struct wp_atomic at;
    enum wp_err e = wp_atomic_begin(&at, path, d);
    if (e)
        return e;
    if ((e = write_job(j, at.f, d))) {
        if (!wp_diag_has_file(d))
            wp_diag_set_file(d, path);
        wp_atomic_abort(&at);
        return e;
    }
    return wp_atomic_commit(&at, d);
}

static enum wp_err boamps(struct wp_cli *cli, const struct export_args *c,
                          const struct wp_export_sel *sel, struct wp_diag *d)
{
    bool to_dir = c->out && is_dir(c->out);
    if (sel->n_groups > 1 && !to_dir)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                           "the selection holds %zu models x tasks, one report each: give "
                           "-o DIR/, or --model M --task T for one report", sel->n_groups);
    for (size_t i = 0; i < sel->n_groups; i++) {
        struct job j = {sel, &sel->groups[i], &c->x};
        char name[256], path[4096];
        const char *dest = c->out;
        if (to_dir) {
            wp_export_file_name(j.g->model, j.g->task, ".boamps.json", name, sizeof name);
            size_t len = strlen(c->out);
            snprintf(path, sizeof path, "%s%s%s", c->out,
                     len && c->out[len - 1] == '/' ? "" : "/", name);
            dest = path;
        }
        enum wp_err e = emit(&j, dest, d);
        if (e)
            return e;
    }
    if (to_dir && !cli->quiet)
        fprintf(stderr, "wattprint: wrote %zu BoAmps report%s to %s\n", sel->n_groups,
                sel->n_groups == 1 ? "" : "s", c->out);
    return WP_OK;
}

static int run(struct wp_cli *cli, const struct export_args *c)
{
    struct wp_diag d = {0};
    struct wp_store *s = wp_cli_open_store(cli);
    if (!s)
        return WP_EXIT_FAIL;
    struct wp_export_sel sel;
    enum wp_err e = wp_export_select(s, &c->r.a.filter, &sel, &d);
    wp_store_close(s);
    if (!e && !sel.n_groups)
        e = wp_diag_set(&d, WP_ERR_EMPTY, NULL, 0, 0,
                        "no runs to export: none matches the selection with model, task and "
                        "dataset labels, an inference count and energy (see 'wattprint runs')");
    if (!e)
        e = boamps(cli, c, &sel, &d);
    if (e)
        wp_cli_error(&d);
    else
        wp_cli_left_out_counts(cli, sel.skipped_no_inferences, sel.skipped_no_energy);
    wp_export_sel_free(&sel);
    return e == WP_ERR_USAGE ? WP_EXIT_USAGE : e ? WP_EXIT_FAIL : WP_EXIT_OK;
}

int wp_cmd_export(struct wp_cli *c, int argc, char **argv)
{
    struct export_args args = {0};
    int rc = parse(argc, argv, &args);
    return rc ? rc : run(c, &args);
}

const char wp_export_usage[] =
    "usage: wattprint export FORMAT [selection options] [format options] [-o FILE|DIR/]\n"
    "\n"
    "Writes a disclosure in a standard format from the runs statistics use (labelled, with\n"
    "an inference count and energy).  The same database gives the same bytes; files are\n"
    "written atomically.  Formats (see 'wattprint formats' and the README):\n"
    "  boamps     a BoAmps report (Boavizta) per model and task, one measure per run;\n"
    "             several models or tasks need -o DIR/ (one MODEL__TASK.boamps.json each)\n"
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
    "  --quality high|medium|low  the report's quality\n";
