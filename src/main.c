/* wattprint: the dispatch table of subcommands and the global options, nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: wattprint [--db DB] [-q] COMMAND [ARGS]\n"
    "       wattprint --help | --version | help COMMAND\n"
    "\n"
    "Turns energy measurement logs of AI models into numbers, figures and reports.\n"
    "\n"
    "Global options:\n"
    "  --db DB     the database: a SQLite file, or a PostgreSQL server as\n"
    "              postgresql://[user@][host][/dbname] (default $WATTPRINT_DB,\n"
    "              else wattprint.db)\n"
    "  -q          print no notes or warnings, only errors\n"
    "\n"
    "Commands:\n";

static void print_usage(FILE *out)
{
    fputs(usage, out);
    for (const struct wp_cmd *c = wp_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fputs("\nSee 'wattprint help COMMAND' for a command's options.\n", out);
}

int main(int argc, char **argv)
{
    struct wp_cli cli = {.db_path = getenv("WATTPRINT_DB")};
    if (!cli.db_path || !*cli.db_path)
        cli.db_path = "wattprint.db";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_usage(stdout);
            return WP_EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            return wp_cmd_version(&cli, 0, NULL);
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            cli.quiet = true;
        } else if (strcmp(a, "--db") == 0 && i + 1 < argc) {
            cli.db_path = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            cli.db_path = a + 5;
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
    if (wp_cli_wants_help(argc - i, argv + i)) {
        wp_cli_help(cmd, stdout);
        return WP_EXIT_OK;
    }
    return cmd->run(&cli, argc - i, argv + i);
}
