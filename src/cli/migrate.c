/* wattprint migrate: brings a database (a SQLite file or a PostgreSQL server) to this
 * binary's schema and says what it did.  Opening a database migrates it anyway; this
 * command does only that, for an administrator preparing a server before hosts use it. */
#include <stdio.h>

#include "cli/cli.h"
#include "store/store.h"

int wp_cmd_migrate(struct wp_cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return wp_cli_usage("migrate", "takes no arguments");
    struct wp_store *s = wp_cli_create_store(c); /* creates the schema of a new file too */
    if (!s)
        return WP_EXIT_FAIL;
    char db[1024];
    wp_store_display_name(c->db_path, db, sizeof db);
    int from = wp_store_version_at_open(s), to = wp_store_schema_version(s);
    if (!c->quiet) {
        if (from == to)
            fprintf(stderr, "wattprint: %s (%s): schema version %d, up to date\n", db,
                    wp_store_backend(s), to);
        else
            fprintf(stderr, "wattprint: %s (%s): schema version %d -> %d\n", db,
                    wp_store_backend(s), from, to);
    }
    wp_store_close(s);
    return WP_EXIT_OK;
}
