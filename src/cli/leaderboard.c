/* wattprint leaderboard -o DIR: the generative configurations in the database (src/stats/
 * genai.c) as DIR/index.html and DIR/leaderboard.json (src/report/leaderboard.c). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/options.h"
#include "report/leaderboard.h"
#include "analysis/genai.h"

int wp_cmd_leaderboard(struct wp_cli *c, int argc, char **argv)
{
    static const struct wp_option opts[] = {
        WP_OPT_ARG_OPT('o', "output", 'o'), WP_OPT_ARG_OPT(0, "task", 't'),
        WP_OPT_ARG_OPT(0, "model", 'm'),  WP_OPT_ARG_OPT(0, "gpu", 'g'),
        WP_OPT_ARG_OPT(0, "title", 'T'),  WP_OPT_ARG_OPT(0, "where", 'w'),
        WP_OPT_END_OPT,
    };
    struct wp_gen_filter f = {0};
    struct wp_leaderboard_opts o = {.selection = &f};
    int opt;
    struct wp_options op;
    wp_options_init(&op, opts, 0, argc, argv);
    for (char *arg; (opt = wp_options_next(&op, &arg)) > 0;) {
        switch (opt) {
        case 'o': o.dir = arg; break;
        case 't': f.task = arg; break;
        case 'm': f.model = arg; break;
        case 'g': f.gpu_model = arg; break;
        case 'T': o.title = arg; break;
        case 'w': {
            char *eq = strchr(arg, '=');
            if (!eq || eq == arg)
                return wp_cli_usage("leaderboard", "--where: give KEY=VALUE (e.g. batch_size=8)");
            *eq = '\0';
            f.where_key = arg;
            f.where_value = eq + 1;
            break;
        }
        default: return wp_cli_usage("leaderboard", "unknown option");
        }
    }
    if (!o.dir)
        return wp_cli_usage("leaderboard", "-o DIR is required");
    if ((opt = wp_cli_options_done("leaderboard", &op, opt, 0)))
        return opt;
    struct wp_store *s = wp_cli_open_store(c);
    if (!s)
        return WP_EXIT_FAIL;
    struct wp_gen_set set = {0};
    struct wp_diag d = {0};
    enum wp_err e = wp_gen_load(s, &f, &set, &d);
    wp_store_close(s);
    if (!e && set.n == 0) {
        wp_diag_set(&d, WP_ERR_EMPTY, NULL, 0, 0,
                    "no run with a model and a task matches: nothing to rank (label runs "
                    "with --model and --task or a manifest)");
        e = WP_ERR_EMPTY;
    }
    if (!e)
        e = wp_leaderboard_write(&set, &o, &d);
    if (!e && !c->quiet)
        fprintf(stderr, "wattprint: %zu configurations -> %s/index.html, %s/leaderboard.json\n",
                set.n, o.dir, o.dir);
    wp_gen_set_free(&set);
    if (e) {
        wp_cli_error(&d);
        return e == WP_ERR_USAGE ? WP_EXIT_USAGE : WP_EXIT_FAIL;
    }
    return WP_EXIT_OK;
}
