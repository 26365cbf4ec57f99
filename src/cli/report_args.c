/* The options report commands share (see report_args.h). */
#include "cli/report_args.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/num.h"

void wp_report_args_init(struct wp_report_args *r)
{
    memset(r, 0, sizeof *r);
    wp_analysis_defaults(&r->a);
}

bool wp_report_parse_by(const char *v, enum wp_group_by *by)
{
    static const struct {
        const char *name;
        enum wp_group_by by;
    } names[] = {
        {"task", WP_BY_TASK}, {"model", WP_BY_MODEL}, {"model,task", WP_BY_MODEL_TASK},
        {"dataset", WP_BY_DATASET}, {"hardware", WP_BY_HARDWARE},
        {"model,hardware", WP_BY_MODEL_HARDWARE},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(v, names[i].name) == 0) {
            *by = names[i].by;
            return true;
        }
    return false;
}

/* A number above lo (and below hi), or a usage error. */
int wp_report_opt(const char *cmd, int opt, const char *arg, struct wp_report_args *r)
{
    struct wp_analysis_opts *a = &r->a;
    long long n;
    const struct wp_grid *g;
    int rs = wp_cli_restate_opt(cmd, opt, arg, &a->restate);
    if (rs)
        return rs < 0 ? WP_EXIT_USAGE : 0;
    switch (opt) {
    case WP_RO_PHASE: a->filter.phase = arg; return 0;
    case WP_RO_TASK: a->filter.task = arg; return 0;
    case WP_RO_MODEL: a->filter.model = arg; return 0;
    case WP_RO_DATASET: a->filter.dataset = arg; return 0;
    case WP_RO_WHERE: {
        char *eq = strchr(arg, '=');
        if (!eq || eq == arg)
            return wp_cli_usage(cmd, "--where: give KEY=VALUE (a manifest column)");
        *eq = '\0'; /* argv is ours to cut */
        a->filter.where_key = arg;
        a->filter.where_value = eq + 1;
        return 0;
    }
    case WP_RO_OVER:
        if (strcmp(arg, "runs") && strcmp(arg, "experiments"))
            return wp_cli_usage(cmd, "--over: give runs or experiments");
        a->over_experiments = strcmp(arg, "experiments") == 0;
        return 0;
    case WP_RO_UNIT:
        if (!wp_unit_parse(arg, &a->unit))
            return wp_cli_usage(cmd, "--unit: give model, experiment or run");
        return 0;
    case WP_RO_LEVEL:
        return wp_cli_number(cmd, "--level", arg, 0, false, 1, &a->level) ? 0 : WP_EXIT_USAGE;
    case WP_RO_SEED:
        if (!wp_cli_count(cmd, "--seed", arg, &n))
            return WP_EXIT_USAGE;
        a->boot.seed = (unsigned long)n;
        return 0;
    case WP_RO_RESAMPLES:
        return wp_cli_resamples(cmd, arg, &a->boot.resamples) ? 0 : WP_EXIT_USAGE;
    case WP_RO_INTENSITY:
        return wp_cli_number(cmd, "--carbon-intensity", arg, 0, true, INFINITY,
                             &a->carbon_intensity_g_per_kwh)
                   ? 0
                   : WP_EXIT_USAGE;
    case WP_RO_REGION:
        if (wp_stats_grid_lookup(arg, &g) != WP_OK)
            return wp_cli_usage(cmd, "--region: no grid carbon intensity for \"%s\" (give an "
                                     "ISO 3166 alpha-3 code such as USA, FRA, or "
                                     "--carbon-intensity)", arg);
        a->carbon_intensity_g_per_kwh = g->g_per_kwh;
        r->region = g->iso3;
        return 0;
    case WP_RO_PUE:
        return wp_cli_number(cmd, "--pue", arg, 1, true, INFINITY, &a->pue) ? 0 : WP_EXIT_USAGE;
    default: return -1;
    }
}

int wp_report_opt_rest(const char *cmd, int rc, int opt, const char *arg,
                       struct wp_report_args *r)
{
    if (rc < 0)
        rc = wp_report_opt(cmd, opt, arg, r);
    return rc < 0 ? wp_cli_usage(cmd, "unknown option") : rc;
}

int wp_report_options_parse(const char *cmd, const struct wp_option *opts, int argc,
                            char **argv, int max_operands, struct wp_report_args *r,
                            int (*own)(void *ctx, int opt, char *arg), void *ctx,
                            struct wp_options *op)
{
    int opt, rc;
    wp_options_init(op, opts, 0, argc, argv);
    for (char *arg; (opt = wp_options_next(op, &arg)) > 0;)
        if ((rc = wp_report_opt_rest(cmd, own(ctx, opt, arg), opt, arg, r)))
            return rc;
    return wp_cli_options_done(cmd, op, opt, max_operands);
}

int wp_report_args_check(const char *cmd, const struct wp_report_args *r)
{
    if (!wp_cli_restate_check(cmd, &r->a.restate))
        return WP_EXIT_USAGE;
    if (!isnan(r->a.pue) && isnan(r->a.carbon_intensity_g_per_kwh))
        return wp_cli_usage(cmd, "--pue is part of the what-if: give --carbon-intensity G or "
                                 "--region ISO3 too");
    return 0;
}

/* Appends s to buf, single-quoted when it holds anything a shell would read. */
static size_t quoted(char *buf, size_t k, const char *s)
{
    bool plain = *s != '\0';
    for (const char *p = s; *p; p++)
        plain &= strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                        "-_./=,:+@%", *p) != NULL;
    if (plain) {
        memcpy(buf + k, s, strlen(s));
        return k + strlen(s);
    }
    buf[k++] = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') {
            memcpy(buf + k, "'\\''", 4);
            k += 4;
        } else {
            buf[k++] = *p;
        }
    }
    buf[k++] = '\'';
    return k;
}

char *wp_report_command_line(const struct wp_cli *c, int argc, const char *const *argv)
{
    char db[1024]; /* a server's password stays out of reports */
    wp_store_display_name(c->db_path, db, sizeof db);
    size_t need = sizeof "wattprint --db " + 4 * strlen(db) + 3;
    for (int i = 0; i < argc; i++)
        need += 4 * strlen(argv[i]) + 3;
    char *buf = malloc(need);
    if (!buf)
        return NULL;
    size_t k = (size_t)snprintf(buf, need, "wattprint --db ");
    k = quoted(buf, k, db);
    for (int i = 0; i < argc; i++) {
        buf[k++] = ' ';
        k = quoted(buf, k, argv[i]);
    }
    buf[k] = '\0';
    return buf;
}
