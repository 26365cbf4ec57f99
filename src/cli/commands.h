/* The report commands as calls: each command's options as a struct with its defaults, and
 * the call that runs it with them, writing what goes to standard output to a FILE * the
 * caller chooses (as redis' setexCommand parses and calls setGenericCommand).  wp_cmd_*
 * parse argv into these structs; batch fills them itself and calls the same functions.
 * Each call says its problems through the CLI's messages and returns an exit code. */
#ifndef WP_CLI_COMMANDS_H
#define WP_CLI_COMMANDS_H

#include <stdio.h>

#include "charts/charts.h"
#include "export/export.h"
#include "cli/cli.h"
#include "cli/report_args.h"
#include "cli/stats_best.h"
#include "cli/stats_pairwise.h"
#include "report/card.h"
#include "report/report.h"
#include "stats/reference.h"

/* ---- stats ------------------------------------------------------------------------------- */

enum wp_stats_show { WP_STATS_SHOW_GROUPS = 1, WP_STATS_SHOW_HEADLINE = 2,
                     WP_STATS_SHOW_SCALING = 4, WP_STATS_SHOW_PURPOSE = 8,
                     WP_STATS_SHOW_TOKENS = 16, WP_STATS_SHOW_ALL = 31 };

struct wp_stats_cmd {
    struct wp_analysis_opts a;
    enum wp_outfmt fmt;
    unsigned show;           /* enum wp_stats_show bits */
    const char *reference;   /* --reference FILE */
    bool valid_only;         /* --valid-only: leave out runs analysis/validity.h flags */
    double meter_interval_s; /* --meter-interval, NAN: by tool */
    double plan;             /* --plan PCT as a share (0: no plan) */
    bool best;               /* --best: generative configurations within --max-latency */
    struct wp_best_opts b;
    struct wp_pair_req pairs; /* --pairwise, --pair A,B: task vs task */
    struct wp_restate_opts rs; /* --above-idle, --intensity FILE ... */
    bool by_project;         /* --by project: the groups the logs name, before any label */
    /* set by wp_stats_cmd_run on its own copy while it runs */
    struct wp_reference ref;
    bool has_tokens;         /* some group has token counts: the table shows per token */
    size_t n_invalid;        /* runs left out by --valid-only */
    struct wp_restate restate; /* what --above-idle and --intensity loaded */
};

/* The defaults of `wattprint stats` (every section, a table, the analysis' defaults). */
void wp_stats_cmd_defaults(struct wp_stats_cmd *o);
/* `wattprint stats` with o, its output to out. */
int wp_stats_cmd_run(struct wp_cli *c, const struct wp_stats_cmd *o, FILE *out);

/* ---- chart ------------------------------------------------------------------------------- */

#define WP_CHART_CMD_MAX_OUTPUTS 8

struct wp_chart_cmd {
    const struct wp_chart_kind *kind; /* NULL for all */
    enum wp_unit unit;                /* --unit, WP_UNIT_AUTO by default */
    const char *against, *against_class; /* label: --against FILE (or db), --against-class */
    bool all;                         /* every kind but the label into one folder */
    const char *formats[3];           /* all: the extensions written, in order (none: all) */
    size_t n_formats;
    size_t jobs;                      /* all: threads drawing at once; 0 = one per CPU */
    struct wp_chart_opts o;
    const char *outputs[WP_CHART_CMD_MAX_OUTPUTS]; /* one figure, several formats; all: the
                                                      folder */
    size_t n_outputs;
    const char *phase, *dataset, *where_key, *where_value;
    bool has_size; /* --size, --width or --height given */
    bool pareto;   /* chart pareto: generative configurations, not a wp_analysis */
    bool groups;   /* chart groups: the runs before any label (analysis/logged.h) */
    const char *x_key, *y_key, *gpu; /* pareto's --x, --y, --gpu */
};

/* The defaults of `wattprint chart` (the chart options' defaults, our name as creator). */
void wp_chart_cmd_defaults(struct wp_chart_cmd *c);
/* `wattprint chart` with c (checked as the command checks its options). */
int wp_chart_cmd_run(struct wp_cli *cli, struct wp_chart_cmd *c);

/* ---- card -------------------------------------------------------------------------------- */

struct wp_card_cmd {
    struct wp_report_args r;
    const char *model, *out, *into, *template_path; /* out: file or folder, NULL: `out` */
    const char *against, *against_class; /* a leaderboard snapshot to rate against */
    bool all;
    struct wp_card_training training;
    char intensity_source[512];
};

void wp_card_cmd_defaults(struct wp_card_cmd *c);
/* `wattprint card` with c; a card without a file goes to out. */
int wp_card_cmd_run(struct wp_cli *cli, const struct wp_card_cmd *c, FILE *out);

/* ---- latex ------------------------------------------------------------------------------- */

struct wp_latex_cmd {
    struct wp_report_args r;
    const char *path, *caption, *label; /* path NULL: to out */
    bool has_label, is_twocolumn;
    unsigned columns;
};

void wp_latex_cmd_defaults(struct wp_latex_cmd *x);
int wp_latex_cmd_run(struct wp_cli *c, const struct wp_latex_cmd *x, FILE *out);

/* ---- export ------------------------------------------------------------------------------ */

struct wp_export_cmd {
    struct wp_report_args r;
    struct wp_export_opts x;
    struct wp_sci_opts sci;
    enum wp_outfmt outfmt;          /* sci: --format */
    bool as_json;                   /* eu-ai-act: --format json */
    const char *outfmt_arg;         /* --format as given */
    const char *format, *out;       /* out: a file, or a folder ending in '/' */
    const char *manifest_if;        /* sci: --manifest-if FILE */
    bool provider;                  /* sci: --score provider */
};

void wp_export_cmd_defaults(struct wp_export_cmd *c);
/* `wattprint export` with c (checked as the command checks it; it sets the SCI options
 * from the analysis options and the output format from outfmt_arg). */
int wp_export_cmd_run(struct wp_cli *cli, struct wp_export_cmd *c);

/* ---- xlsx and report --------------------------------------------------------------------- */

struct wp_xlsx_cmd {
    struct wp_report_args r;
    const char *path;
    size_t runs_per_sheet;    /* 0: the writer's default */
    const char *command_line; /* for the Provenance sheet */
};

void wp_xlsx_cmd_defaults(struct wp_xlsx_cmd *x);
int wp_xlsx_cmd_run(struct wp_cli *c, const struct wp_xlsx_cmd *x);

/* The defaults of `wattprint report` (A4, the analysis' defaults, the caller's memo). */
void wp_report_cmd_defaults(struct wp_cli *c, struct wp_report_opts *o);
/* `wattprint report` with o: the PDF or HTML page o->path names. */
int wp_report_cmd_run(struct wp_cli *c, const struct wp_report_opts *o);

#endif
