/* wattprint tokens: token-count files (input and output tokens per sample) into the
 * database, summed per model and dataset; without files, the stored counts. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/options.h"
#include "cli/table.h"
#include "ingest/tokens.h"

struct listing {
    struct wp_table *t;
    char *const *paths; /* with files: warn about their counts that no experiment uses */
    size_t n_paths;
    const struct wp_cli *c;
    long unused;
};

static const struct wp_col cols[] = {
    {"model", WP_COL_TEXT, 0},         {"dataset", WP_COL_TEXT, 0},
    {"samples", WP_COL_INT, 0},        {"input_tokens", WP_COL_INT, 0},
    {"output_tokens", WP_COL_INT, 0},  {"tokens_per_sample", WP_COL_NUM, 4},
    {"output_tokens_per_sample", WP_COL_NUM, 4},
    {"logged_model", WP_COL_TEXT, 0},  {"logged_dataset", WP_COL_TEXT, 0},
    {"has_experiment", WP_COL_TEXT, 0}, {"source", WP_COL_TEXT, 0},
    {"sha256", WP_COL_TEXT, 0},
};
#define N_COLS (sizeof cols / sizeof cols[0])

static int list_one(void *ctx, const struct wp_token_count *k, bool has_experiment)
{
    struct listing *l = ctx;
    double per = (double)(k->input_tokens + k->output_tokens) / (double)k->samples;
    double out_per = (double)k->output_tokens / (double)k->samples;
    const void *cells[N_COLS] = {
        k->model, k->dataset, &k->samples, &k->input_tokens, &k->output_tokens, &per,
        &out_per, k->logged_model, k->logged_dataset, has_experiment ? "yes" : "no",
        k->source_path, k->source_sha256,
    };
    return wp_table_row(l->t, cells);
}

/* After an ingest: every count of these files that no experiment carries is a warning, so
 * that a spelling the names map lacks is seen, not silently unused. */
static int warn_unused(void *ctx, const struct wp_token_count *k, bool has_experiment)
{
    struct listing *l = ctx;
    if (has_experiment)
        return 0;
    for (size_t i = 0; i < l->n_paths; i++)
        if (strcmp(l->paths[i], k->source_path) == 0) {
            l->unused++;
            fprintf(stderr,
                    "wattprint: warning: %s: token counts of model \"%s\" on dataset \"%s\" "
                    "match no experiment (check their spelling in the names map, --names)\n",
                    k->source_path, k->model, k->dataset);
            break;
        }
    return 0;
}

static int list(struct wp_store *s, enum wp_outfmt fmt, FILE *out)
{
    struct listing l = {0};
    if (!(l.t = wp_table_new(out, fmt, cols, N_COLS))) {
        fputs("wattprint: out of memory\n", stderr);
        return WP_EXIT_FAIL;
    }
    struct wp_diag d = {0};
    enum wp_err e = wp_store_each_token_count(s, list_one, &l, &d);
    int w = wp_table_end(l.t);
    if (e)
        wp_cli_error(&d);
    return e || w ? WP_EXIT_FAIL : WP_EXIT_OK;
}

int wp_cmd_tokens(struct wp_cli *c, int argc, char **argv)
{
    static const struct wp_option opts[] = {
        WP_OPT_ARG_OPT(0, "names", 'n'),
        WP_OPT_ARG_OPT(0, "format", 'f'),
        WP_OPT_END_OPT,
    };
    const char *names_path = NULL;
    enum wp_outfmt fmt = WP_OUT_TABLE;
    int opt;
    struct wp_options op;
    wp_options_init(&op, opts, WP_OPTIONS_STOP_AT_OPERAND, argc, argv);
    for (char *arg; (opt = wp_options_next(&op, &arg)) > 0;) {
        switch (opt) {
        case 'n': names_path = arg; break;
        case 'f':
            if (!wp_cli_outfmt("tokens", arg, &fmt))
                return WP_EXIT_USAGE;
            break;
        default: return wp_cli_usage("tokens", "unknown option");
        }
    }
    if (opt < 0)
        return wp_cli_usage("tokens", "%s", op.err);
    argc = op.n_operands + 1; /* the operands: argv[1 .. argc - 1] */
    if (names_path && argc == 1)
        return wp_cli_usage("tokens", "--names: give the token-count files it applies to");
    struct wp_diag d = {0};
    struct wp_token_names *names = NULL;
    if (names_path && wp_token_names_load(names_path, &names, &d)) {
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    struct wp_store *s = argc == 1 ? wp_cli_open_store(c) : wp_cli_create_store(c);
    if (!s) {
        wp_token_names_free(names);
        return WP_EXIT_FAIL;
    }
    int rc = WP_EXIT_OK;
    if (argc == 1) {
        rc = list(s, fmt, c->out);
    } else {
        for (int i = 1; i < argc; i++) {
            struct wp_tokens_result res;
            memset(&d, 0, sizeof d);
            if (wp_ingest_tokens(s, argv[i], names, &res, &d)) {
                wp_cli_error(&d);
                rc = WP_EXIT_FAIL;
                break;
            }
            if (!c->quiet)
                wp_cli_sayf("%s: %lld samples, %zu model x dataset pair%s", argv[i],
                            res.samples, res.pairs, res.pairs == 1 ? "" : "s");
        }
        struct listing l = {.paths = argv + 1, .n_paths = (size_t)(argc - 1), .c = c};
        memset(&d, 0, sizeof d);
        if (wp_store_each_token_count(s, warn_unused, &l, &d)) {
            wp_cli_error(&d);
            rc = WP_EXIT_FAIL;
        }
    }
    wp_store_close(s);
    wp_token_names_free(names);
    return rc;
}
