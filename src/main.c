/* wattprint: the dispatch table of subcommands and the global options, nothing else. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void print_usage(FILE *out)
{
    fputs(wp_usage, out);
    fputs("\nCommands:\n", out);
    for (const struct wp_cmd *c = wp_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fputs("\nSee 'wattprint help COMMAND' for a command's options.\n", out);
}

/* A global option at argv[i]: how many arguments it takes up (set in cli), 0 if none. */
static int global_option(struct wp_cli *cli, int argc, char **argv, int i)
{
    const char *a = argv[i];
    if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
        cli->quiet = true;
        return 1;
    }
    if (strcmp(a, "--db") == 0 && i + 1 < argc) {
        cli->db_path = argv[i + 1];
        return 2;
    }
    if (strncmp(a, "--db=", 5) == 0) {
        cli->db_path = a + 5;
        return 1;
    }
    return 0;
}

/* Takes the global options out of a command's arguments (argv[0] is the command), up to a
 * "--": `wattprint ingest -q x.csv` as `wattprint -q ingest x.csv`.  Returns the new argc. */
static int take_global_options(struct wp_cli *cli, int argc, char **argv)
{
    int n = 1;
    bool at_end = false;
    for (int k = 1; k < argc; k++) {
        int used = at_end ? 0 : global_option(cli, argc, argv, k);
        if (used) {
            k += used - 1;
            continue;
        }
        at_end |= strcmp(argv[k], "--") == 0;
        argv[n++] = argv[k];
    }
    argv[n] = NULL;
    return n;
}

int main(int argc, char **argv)
{
    struct wp_cli cli = {.db_path = getenv("WATTPRINT_DB"), .out = stdout};
    if (!cli.db_path || !*cli.db_path)
        cli.db_path = "wattprint.db";
    int i = 1, used;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_usage(stdout);
            return WP_EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            return wp_cmd_version(&cli, 0, NULL);
        } else if ((used = global_option(&cli, argc, argv, i)) > 0) {
            i += used - 1;
        } else {
            fprintf(stderr, "wattprint: unknown option '%s'\n", a);
            print_usage(stderr);
            return WP_EXIT_USAGE;
        }
    }
    if (i == argc) {
        print_usage(stderr);
        return WP_EXIT_USAGE;
    }
    const struct wp_cmd *cmd = wp_cmd_find(argv[i]);
    if (!cmd) {
        fprintf(stderr, "wattprint: '%s' is not a command; see 'wattprint --help'\n", argv[i]);
        return WP_EXIT_USAGE;
    }
    argc = i + take_global_options(&cli, argc - i, argv + i);
    if (wp_cli_wants_help(argc - i, argv + i)) {
        wp_cli_help(cmd, stdout);
        return WP_EXIT_OK;
    }
    return cmd->run(&cli, argc - i, argv + i);
}
