/* Declarative, re-entrant command-line options (in the spirit of git's parse-options.h):
 * each command describes its options in a table, and a parser whose whole state is a
 * struct on the caller's stack reads argv against it.  No global state, so a command can
 * run any number of times in one process (batch, script) without resetting anything.
 * Parses only: it never prints; a mistake is a message in the parser for the CLI to say. */
#ifndef WP_UTIL_OPTIONS_H
#define WP_UTIL_OPTIONS_H

#include <stdbool.h>

enum wp_opt_kind {
    WP_OPT_END = 0, /* ends a table */
    WP_OPT_STRING,  /* stores its argument in *(const char **)value */
    WP_OPT_BOOL,    /* sets *(bool *)value; takes no argument */
    WP_OPT_ARG,     /* takes an argument; wp_options_next returns its id */
    WP_OPT_NOARG,   /* takes none; wp_options_next returns its id */
};

struct wp_option {
    enum wp_opt_kind kind;
    int short_name;        /* a character (-o), or 0 */
    const char *long_name; /* without the dashes (--output), or NULL */
    int id;                /* WP_OPT_ARG, WP_OPT_NOARG: what wp_options_next returns, > 0 */
    void *value;           /* WP_OPT_STRING, WP_OPT_BOOL: where the value goes */
};

#define WP_OPT_STRING_OPT(s, l, v) {WP_OPT_STRING, (s), (l), 0, (v)}
#define WP_OPT_BOOL_OPT(s, l, v) {WP_OPT_BOOL, (s), (l), 0, (v)}
#define WP_OPT_ARG_OPT(s, l, id) {WP_OPT_ARG, (s), (l), (id), 0}
#define WP_OPT_NOARG_OPT(s, l, id) {WP_OPT_NOARG, (s), (l), (id), 0}
#define WP_OPT_END_OPT {WP_OPT_END, 0, 0, 0, 0}

/* Options end at the first operand (the rest are operands), as `+` did for getopt; without
 * it operands and options mix and the operands keep their order. */
#define WP_OPTIONS_STOP_AT_OPERAND 1u

/* A parse in progress: argv[0] is the command's name and is not read. */
struct wp_options {
    const struct wp_option *opts;
    unsigned flags;
    int argc;
    char **argv;
    int next;            /* the next argv element to read */
    int n_operands;      /* operands found so far: argv[1 .. n_operands] */
    char *cluster;       /* the rest of "-abc" after an option letter, or NULL */
    bool only_operands;  /* after "--" (or the first operand with STOP_AT_OPERAND) */
    char err[192];       /* the mistake, when wp_options_next returned -1 */
};

/* Starts a parse of argv (argv[argc] NULL) against opts (ended by WP_OPT_END). */
void wp_options_init(struct wp_options *p, const struct wp_option *opts, unsigned flags,
                     int argc, char **argv);

/* Reads up to the next WP_OPT_ARG or WP_OPT_NOARG option and returns its id, its argument
 * in *arg (NULL for NOARG); stores STRING and BOOL options on the way.  Returns 0 at the
 * end: the operands, in order, are then argv[1 .. p->n_operands] (argv is reordered in
 * place, its strings untouched).  Returns -1 on a mistake (an unknown or ambiguous option,
 * a missing argument, an argument given to an option that takes none), p->err saying it.
 * A long option may be shortened to a prefix that names only one option, as with getopt;
 * "--name=value" and "--name value", "-ovalue" and "-o value" are the same; "-" alone is an
 * operand; "--" ends the options. */
int wp_options_next(struct wp_options *p, char **arg);

/* The whole parse of a table without ARG or NOARG options: 0, or -1 with p->err set. */
int wp_options_parse(struct wp_options *p, const struct wp_option *opts, unsigned flags,
                     int argc, char **argv);

#endif
