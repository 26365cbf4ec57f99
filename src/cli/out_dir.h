/* Whether an output operand (-o) names a folder, for the commands that write one file per
 * item into a folder (card --all, export into a folder): a path ending in '/' or an
 * existing folder. */
#ifndef WP_CLI_OUT_DIR_H
#define WP_CLI_OUT_DIR_H

#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

static inline bool wp_cli_is_dir(const char *path)
{
    struct stat st;
    size_t n = strlen(path);
    return (n && path[n - 1] == '/') || (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

#endif
