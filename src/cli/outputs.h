/* Helpers of the commands that write an output file or folder (card, export, latex, xlsx):
 * whether -o names a folder, and the start every such run makes (the output checked before
 * the database is opened). */
#ifndef WP_CLI_OUTPUTS_H
#define WP_CLI_OUTPUTS_H

#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

/* an output operand (-o) that names a folder: a path ending in '/' or an existing folder */
static inline bool wp_cli_is_dir(const char *path)
{
    struct stat st;
    size_t n = strlen(path);
    return (n && path[n - 1] == '/') || (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

/* The store for the runs of filter f, once path (when given) is known to be writable
 * (wp_cli_output_check); NULL, with the error said, when either is not. */
static inline struct wp_store *wp_cli_open_for_output(struct wp_cli *c, const char *path,
                                                      const struct wp_run_filter *f)
{
    struct wp_diag d = {0};
    if (path && wp_cli_output_check(c, path, &d)) {
        wp_cli_error(&d);
        return NULL;
    }
    return wp_cli_open_store_for(c, f);
}

#endif
