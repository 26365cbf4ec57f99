/* The command-line layer: one file per subcommand, each parsing its options, calling the
 * modules and printing.  Only this layer and main.c print or exit. */
#ifndef WP_CLI_H
#define WP_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "store/store.h"
#include "util/atomic.h"
#include "util/err.h"

/* Exit codes. */
enum { WP_EXIT_OK = 0, WP_EXIT_FAIL = 1, WP_EXIT_USAGE = 2 };

struct wp_analysis_memo;

struct wp_cli {
    const char *db_path;   /* --db, $WATTPRINT_DB or wattprint.db */
    bool quiet;            /* -q: no notes */
    struct wp_reporter rep;
    long warnings;
    /* set by batch and script while they run: the commands they run share their
     * analyses (NULL: each command computes and frees its own) */
    struct wp_analysis_memo *memo;
    /* where a command's output for standard output goes: stdout, or the file a script
     * line's `> PATH` names while that line runs */
    FILE *out;
};

struct wp_cmd {
    const char *name;
    int (*run)(struct wp_cli *c, int argc, char **argv);
    const char *summary;
    const char *usage; /* full help text */
};

extern const struct wp_cmd wp_commands[];
/* The program's usage and global options, printed before the list of commands. */
extern const char wp_usage[];
/* The man page (man(7)) and a bash completion script, from the same texts as `help`
 * (man.c). */
void wp_cli_man(FILE *out);
void wp_cli_completion(FILE *out);
const struct wp_cmd *wp_cmd_find(const char *name);

/* Prints "wattprint: PREFIXTEXT" on stderr, the text's control characters (from input:
 * file names, labels) escaped by wp_text_escape_controls: every message goes through it. */
void wp_cli_say(const char *prefix, const char *text);
/* wp_cli_say of a formatted message (its arguments' control characters escaped too). */
void wp_cli_sayf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "wattprint: FILE:LINE:COL: msg" for d on stderr (through wp_cli_say). */
void wp_cli_error(const struct wp_diag *d);
/* A wp_reporter's function (ctx: the struct wp_cli): notes (none with -q) and warnings
 * (counted in c->warnings) as "wattprint: [warning: ]FILE:LINE:COL: msg" on stderr. */
void wp_cli_message(void *ctx, enum wp_level level, const struct wp_diag *d);
/* Prints a usage error for cmd and returns WP_EXIT_USAGE. */
int wp_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens the store of a command that reads or prints why not; returns NULL on failure.  A
 * database that does not exist is "no such database" (nothing is created). */
struct wp_store *wp_cli_open_store(struct wp_cli *c);
/* As wp_cli_open_store for a command that writes: a missing SQLite file is created. */
struct wp_store *wp_cli_create_store(struct wp_cli *c);
/* Opens the store and checks that every value the filter names exists (analysis/filter.h):
 * NULL, with the message printed, when the store cannot open or the filter matches nothing. */
struct wp_store *wp_cli_open_store_for(struct wp_cli *c, const struct wp_run_filter *f);
/* Prints a command's help. */
void wp_cli_help(const struct wp_cmd *cmd, FILE *out);
/* True when argv has --help or -h before any "--". */
bool wp_cli_wants_help(int argc, char **argv);
/* Parses a positive whole number option value; prints a usage error and returns false. */
bool wp_cli_count(const char *cmd, const char *opt, const char *v, long long *out);
/* The most bootstrap resamples a command accepts: 100 times the default; on the fixtures
 * `stats` takes about 11 s and 33 MB there (2,000,000,000 ran out of memory). */
#define WP_CLI_MAX_RESAMPLES 1000000
/* Parses --resamples (1 to WP_CLI_MAX_RESAMPLES); prints a usage error and returns false. */
bool wp_cli_resamples(const char *cmd, const char *v, size_t *out);
/* Whether an output may be written at path: refuses (d filled, WP_ERR_IO) a folder, device,
 * FIFO or socket there, and the database --db names or the -wal/-shm/-journal files SQLite
 * keeps beside it (by device and inode, or by resolved name). */
enum wp_err wp_cli_output_check(const struct wp_cli *c, const char *path, struct wp_diag *d);
/* Runs one command of a batch or script.  With out, what it writes to c->out goes to
 * OUT.tmp.XXXXXX, fsynced and renamed to OUT only when the command succeeded; a file that
 * cannot be written is said and fails.  Returns the exit code. */
int wp_cli_run(struct wp_cli *c, const struct wp_cmd *cmd, int argc, char **argv,
               const char *out);
/* An output that goes to a file or to standard output: write(ctx, f, d) writes it into f.
 * With path, into path atomically (refused by wp_cli_output_check where it must not go; a
 * failed write leaves no file and its message names path); without, into out, flushed. */
enum wp_err wp_cli_write_output(const struct wp_cli *c, const char *path, FILE *out,
                                enum wp_err (*write)(void *ctx, FILE *f, struct wp_diag *d),
                                void *ctx, struct wp_diag *d);
/* Writes into an output file atomically: begins it (NULL after saying why not), then
 * wp_cli_output_end commits it when ok (the command succeeded) or drops it; returns the
 * exit code (WP_EXIT_FAIL when the file cannot be written). */
FILE *wp_cli_output_begin(const struct wp_cli *c, const char *path, struct wp_atomic *at);
int wp_cli_output_end(struct wp_atomic *at, int rc);

struct wp_options;
/* After a command's option parse ended with opt (util/options.h: 0 at the end, -1 on a
 * mistake): prints the mistake, or that an operand past the first max_operands is not
 * expected, and returns WP_EXIT_USAGE; 0 when the parse is fine. */
int wp_cli_options_done(const char *cmd, const struct wp_options *op, int opt,
                        int max_operands);

/* Output formats shared by listing commands. */
enum wp_outfmt { WP_OUT_TABLE, WP_OUT_CSV, WP_OUT_JSON };
bool wp_cli_outfmt(const char *cmd, const char *v, enum wp_outfmt *out);

/* Parses option opt's value v into *out: a number above lo (at least lo when lo_closed) and
 * below hi (INFINITY: no bound); else prints a usage error saying the range and returns
 * false. */
bool wp_cli_number(const char *cmd, const char *opt, const char *v, double lo, bool lo_closed,
                   double hi, double *out);

/* Parses --meter-interval (seconds above 0); prints a usage error and returns false. */
bool wp_cli_meter_interval(const char *cmd, const char *v, double *out);

struct wp_analysis;
/* Warns about the runs an analysis left out (no inference count, no energy, no energy
 * above idle), or as many runs counted otherwise. */
void wp_cli_left_out(const struct wp_cli *c, const struct wp_analysis *a);
void wp_cli_left_out_counts(const struct wp_cli *c, long long no_inferences,
                            long long no_energy, long long no_above_idle);

int wp_cmd_stats(struct wp_cli *c, int argc, char **argv);
int wp_cmd_compare(struct wp_cli *c, int argc, char **argv);
int wp_cmd_validity(struct wp_cli *c, int argc, char **argv);
int wp_cmd_chart(struct wp_cli *c, int argc, char **argv);
int wp_cmd_xlsx(struct wp_cli *c, int argc, char **argv);
int wp_cmd_card(struct wp_cli *c, int argc, char **argv);
int wp_cmd_latex(struct wp_cli *c, int argc, char **argv);
int wp_cmd_export(struct wp_cli *c, int argc, char **argv);
extern const char wp_export_usage[]; /* its help (cli/export.c) */
int wp_cmd_report(struct wp_cli *c, int argc, char **argv);
int wp_cmd_leaderboard(struct wp_cli *c, int argc, char **argv);
int wp_cmd_batch(struct wp_cli *c, int argc, char **argv);
int wp_cmd_script(struct wp_cli *c, int argc, char **argv);
int wp_cmd_ingest(struct wp_cli *c, int argc, char **argv);
int wp_cmd_manifest(struct wp_cli *c, int argc, char **argv);
int wp_cmd_tokens(struct wp_cli *c, int argc, char **argv);
int wp_cmd_runs(struct wp_cli *c, int argc, char **argv);
int wp_cmd_rejected(struct wp_cli *c, int argc, char **argv);
int wp_cmd_sources(struct wp_cli *c, int argc, char **argv);
int wp_cmd_migrate(struct wp_cli *c, int argc, char **argv);
int wp_cmd_push(struct wp_cli *c, int argc, char **argv);
int wp_cmd_summary(struct wp_cli *c, int argc, char **argv);
int wp_cmd_formats(struct wp_cli *c, int argc, char **argv);
int wp_cmd_help(struct wp_cli *c, int argc, char **argv);
int wp_cmd_version(struct wp_cli *c, int argc, char **argv);

#endif
