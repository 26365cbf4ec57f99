/* The options that restate runs before statistics (analysis/restate.h: --above-idle,
 * --intensity FILE, --zone, --intensity-lca, --intensity-basis), shared by the commands
 * that show energy, and the sentences and JSON that say which energy and intensity their
 * figures use. */
#ifndef WP_CLI_RESTATE_H
#define WP_CLI_RESTATE_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/restate.h"
#include "util/options.h"

/* Option table entries (util/options.h) for the options (ids 0x200 and up), to append to a
 * command's. */
#define WP_CLI_RESTATE_OPTIONS                                              \
    WP_OPT_NOARG_OPT(0, "above-idle", 0x200),                               \
    WP_OPT_ARG_OPT(0, "intensity", 0x201),                                  \
    WP_OPT_ARG_OPT(0, "zone", 0x202),                                       \
    WP_OPT_NOARG_OPT(0, "intensity-lca", 0x203),                            \
    WP_OPT_ARG_OPT(0, "intensity-basis", 0x204)

/* Handles option code opt if it is one of them: 1 handled, 0 not one of them, -1 a usage
 * error (printed). */
int wp_cli_restate_opt(const char *cmd, int opt, const char *arg, struct wp_restate_opts *o);

/* Checks the options together (--zone and the others need --intensity); false after
 * printing a usage error. */
bool wp_cli_restate_check(const char *cmd, const struct wp_restate_opts *o);

/* Loads and summarises over f, then points f's adjust hook at r.  Prints an error and
 * returns false on failure (r freed). */
bool wp_cli_restate_setup(struct wp_store *s, const struct wp_restate_opts *o,
                          struct wp_run_filter *f, struct wp_restate *r);

/* Sentences for people: which energy the figures use (with each idle host's baseline, or
 * that there is none) and which carbon intensity. */
void wp_cli_restate_note(const struct wp_restate *r, FILE *out);

/* JSON members (each followed by ",\n "): "energy", "idle_baseline", "carbon_intensity". */
void wp_cli_restate_json(const struct wp_restate *r, FILE *out);

#endif
