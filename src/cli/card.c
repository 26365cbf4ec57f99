/* wattprint card MODEL | --all: the energy section of a Hugging Face model card, from the
 * analysis grouped by model and task, the model's facts and files, and the wording of a
 * template (templates/card.md, or --template FILE). */
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/outputs.h"
#include "util/options.h"
#include "cli/report_args.h"
#include "report/card.h"
#include "report/card_merge.h"
#include "util/atomic.h"
#include "util/num.h"

#define CMD "card"

enum { OPT_ALL = 300, OPT_INTO, OPT_TEMPLATE, OPT_T_EMISSIONS, OPT_T_SOURCE, OPT_T_TYPE, OPT_T_LOCATION,
       OPT_T_HARDWARE, OPT_T_REGION, OPT_T_INTENSITY, OPT_AGAINST, OPT_AGAINST_CLASS };

static int training_opt(int opt, const char *arg, struct wp_card_cmd *c)
{
    struct wp_card_training *t = &c->training;
    const struct wp_grid *g;
    double x;
    switch (opt) {
    case OPT_T_EMISSIONS:
        if (wp_parse_num(arg, &x) != WP_NUM_OK || x < 0)
            return wp_cli_usage(CMD, "--training-emissions: \"%s\" is not grams (a number "
                                     ">= 0)", arg);
        t->emissions_g = x;
        return 0;
    case OPT_T_SOURCE: t->source = arg; return 0;
    case OPT_T_LOCATION: t->location = arg; return 0;
    case OPT_T_HARDWARE: t->hardware = arg; return 0;
    case OPT_T_TYPE:
        if (strcmp(arg, "pre-training") && strcmp(arg, "fine-tuning"))
            return wp_cli_usage(CMD, "--training-type: give pre-training or fine-tuning (the "
                                     "Hub's values)");
        t->type = arg;
        return 0;
    case OPT_T_INTENSITY:
        if (wp_parse_num(arg, &x) != WP_NUM_OK || x < 0)
            return wp_cli_usage(CMD, "--training-carbon-intensity: \"%s\" is not g CO2eq/kWh",
                                arg);
        t->intensity_g_per_kwh = x;
        t->intensity_source = "given with --training-carbon-intensity";
        return 0;
    case OPT_T_REGION:
        if (wp_stats_grid_lookup(arg, &g) != WP_OK)
            return wp_cli_usage(CMD, "--training-region: no grid carbon intensity for \"%s\" "
                                     "(an ISO 3166 alpha-3 code such as USA, FRA)", arg);
        t->intensity_g_per_kwh = g->g_per_kwh;
        snprintf(c->intensity_source, sizeof c->intensity_source, "%s %d, %s",
                 g->country, wp_stats_grid_year(), wp_stats_grid_source());
        t->intensity_source = c->intensity_source;
        if (!t->location)
            t->location = g->country;
        return 0;
    default: return -1;
    }
}

static int check(struct wp_card_cmd *c)
{
    if (c->all == (c->model != NULL))
        return wp_cli_usage(CMD, "give one MODEL, or --all for a card per model");
    if (c->into && (c->all || c->out))
        return wp_cli_usage(CMD, "--into merges one MODEL's section into an existing card: "
                                 "give no -o and no --all with it");
    if (c->all && !c->out)
        return wp_cli_usage(CMD, "--all writes one file per model: give the directory with "
                                 "-o DIR");
    if (!isnan(c->training.emissions_g) && c->all)
        return wp_cli_usage(CMD, "--training-emissions is one model's figure: give MODEL, "
                                 "not --all");
    if (!isnan(c->training.emissions_g) && !c->training.source)
        return wp_cli_usage(CMD, "--training-emissions needs --training-source (the tool or "
                                 "paper the figure comes from)");
    if (!isnan(c->training.emissions_g) && !isnan(c->training.intensity_g_per_kwh))
        return wp_cli_usage(CMD, "give --training-emissions or a training carbon intensity, "
                                 "not both");
    if (c->against_class && !c->against)
        return wp_cli_usage(CMD, "--against-class picks a class of --against FILE");
    if (c->against && (c->all || !c->r.a.filter.task))
        return wp_cli_usage(CMD, "--against FILE rates one task against a leaderboard "
                                 "snapshot: give MODEL and --task T");
    return 0;
}

void wp_card_cmd_defaults(struct wp_card_cmd *c)
{
    *c = (struct wp_card_cmd){0};
    wp_report_args_init(&c->r);
    c->training.emissions_g = NAN;
    c->training.intensity_g_per_kwh = NAN;
}

/* card's own options (wp_report_options_parse's `own`); the rest of its options, then -1. */
static int card_opt(void *ctx, int opt, char *arg)
{
    struct wp_card_cmd *c = ctx;
    switch (opt) {
    case 'o': c->out = arg; return 0;
    case OPT_ALL: c->all = true; return 0;
    case OPT_INTO: c->into = arg; return 0;
    case OPT_TEMPLATE: c->template_path = arg; return 0;
    case OPT_AGAINST: c->against = strcmp(arg, "db") == 0 ? NULL : arg; return 0;
    case OPT_AGAINST_CLASS: c->against_class = arg; return 0;
    default: return training_opt(opt, arg, c);
    }
}

static int parse(int argc, char **argv, struct wp_card_cmd *c)
{
    static const struct wp_option opts[] = {
        WP_OPT_ARG_OPT('o', "output", 'o'),
        WP_OPT_NOARG_OPT(0, "all", OPT_ALL),
        WP_OPT_ARG_OPT(0, "into", OPT_INTO),
        WP_OPT_ARG_OPT(0, "template", OPT_TEMPLATE),
        WP_OPT_ARG_OPT(0, "training-emissions", OPT_T_EMISSIONS),
        WP_OPT_ARG_OPT(0, "training-source", OPT_T_SOURCE),
        WP_OPT_ARG_OPT(0, "training-type", OPT_T_TYPE),
        WP_OPT_ARG_OPT(0, "training-location", OPT_T_LOCATION),
        WP_OPT_ARG_OPT(0, "training-hardware", OPT_T_HARDWARE),
        WP_OPT_ARG_OPT(0, "training-region", OPT_T_REGION),
        WP_OPT_ARG_OPT(0, "training-carbon-intensity", OPT_T_INTENSITY),
        WP_OPT_ARG_OPT(0, "against", OPT_AGAINST),
        WP_OPT_ARG_OPT(0, "against-class", OPT_AGAINST_CLASS),
        WP_OPT_ARG_OPT(0, "task", WP_RO_TASK), /* the card's one task */
        WP_RO_STATS_OPTIONS,
        WP_OPT_ARG_OPT(0, "where", WP_RO_WHERE),
        WP_OPT_END_OPT,
    };
    wp_card_cmd_defaults(c);
    struct wp_options op;
    int rc = wp_report_options_parse(CMD, opts, argc, argv, 1, &c->r, card_opt, c, &op);
    if (rc)
        return rc;
    if (op.n_operands > 0)
        c->model = argv[1];
    return check(c);
}

/* ---- the template ------------------------------------------------------------------------- */

static enum wp_err load_template(const struct wp_card_cmd *c, char *path, size_t size,
                                 struct wp_tpl **out, struct wp_diag *d)
{
    if (c->template_path)
        snprintf(path, size, "%s", c->template_path);
    else if (!wp_tpl_find(NULL, "card.md", path, size))
        return wp_diag_set(d, WP_ERR_IO, NULL, 0, 0,
                           "cannot find templates/card.md beside the program or in "
                           "$WATTPRINT_TEMPLATES; give one with --template FILE");
    return wp_tpl_load(path, wp_card_vocab, out, d);
}

/* ---- writing -------------------------------------------------------------------------------- */

struct card_job {
    const struct wp_tpl *t;
    struct wp_card_input *ci;
};

static enum wp_err write_one(void *job, FILE *f, struct wp_diag *d)
{
    struct card_job *j = job;
    return wp_card_write(j->t, j->ci, f, d);
}

/* The card into path, atomically, or to out when path is NULL. */
static enum wp_err write_card(const struct wp_cli *cli, const struct wp_tpl *t,
                              struct wp_card_input *ci, const char *path, FILE *out,
                              struct wp_diag *d)
{
    struct card_job j = {t, ci};
    return wp_cli_write_output(cli, path, out, write_one, &j, d);
}

#define MAX_CARD_BYTES (16L << 20) /* a model card larger than this is not one */

/* The whole of the card at path into *out (free()), "" when there is none yet. */
static enum wp_err read_card(const char *path, char **out, struct wp_diag *d)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f && errno == ENOENT)
        return (*out = strdup("")) ? WP_OK
                                   : wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0) {
        enum wp_err e = wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot read: %s", strerror(errno));
        if (f)
            fclose(f);
        return e;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > MAX_CARD_BYTES) {
        fclose(f);
        return wp_diag_set(d, WP_ERR_USAGE, path, 0, 0, "%s",
                           S_ISREG(st.st_mode) ? "larger than 16 MiB: not a model card"
                                               : "not a regular file");
    }
    char *s = malloc((size_t)st.st_size + 1);
    size_t n = s ? fread(s, 1, (size_t)st.st_size, f) : 0;
    bool ok = s && !ferror(f) && n == (size_t)st.st_size && !memchr(s, '\0', n);
    fclose(f);
    if (!ok) {
        bool read_failed = s != NULL;
        free(s);
        return read_failed ? wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot read it whole, or it holds "
                                                        "NUL bytes (not a text card)")
                 : wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    s[n] = '\0';
    *out = s;
    return WP_OK;
}

/* card --into PATH: our card merged into the one at PATH (report/card_merge.h), atomically;
 * a second run with the same data changes no byte. */
static enum wp_err merge_card(const struct wp_tpl *t, struct wp_card_input *ci,
                              const char *path, struct wp_diag *d)
{
    char *ours = NULL, *merged = NULL;
    size_t ours_len = 0, merged_len = 0;
    FILE *m = open_memstream(&ours, &ours_len);
    if (!m)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    enum wp_err e = wp_card_write(t, ci, m, d);
    if (fclose(m) != 0 && !e)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    char *theirs = NULL;
    if (!e)
        e = read_card(path, &theirs, d);
    if (!e)
        e = wp_card_merge(ours, theirs, path, &merged, &merged_len, d);
    struct wp_atomic at;
    if (!e && !(e = wp_atomic_begin(&at, path, d))) {
        fwrite(merged, 1, merged_len, at.f);
        e = wp_atomic_commit(&at, d);
    }
    free(ours);
    free(theirs);
    free(merged);
    return e;
}

/* DIR/NAME.md from a model id; a name taken by an earlier model of --all gets -2, -3... */
static void card_path(const char *dir, const char *model, char (*taken)[224], size_t n_taken,
                      char *buf, size_t size)
{
    char name[224];
    wp_card_file_name(model, name, sizeof name);
    char unique[240];
    snprintf(unique, sizeof unique, "%s", name);
    for (int k = 2;; k++) {
        bool clash = false;
        for (size_t i = 0; i < n_taken; i++)
            clash |= strcmp(taken[i], unique) == 0;
        if (!clash)
            break;
        snprintf(unique, sizeof unique, "%.*s-%d.md", (int)(strlen(name) - 3), name, k);
    }
    size_t len = strlen(dir);
    snprintf(buf, size, "%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", unique);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct models of the analysis, sorted; NULL on out-of-memory. */
static const char **models_of(const struct wp_analysis *a, size_t *n)
{
    const char **v = malloc((a->n_groups ? a->n_groups : 1) * sizeof *v);
    if (!v)
        return NULL;
    *n = 0;
    for (size_t i = 0; i < a->n_groups; i++)
        v[(*n)++] = a->groups[i].model;
    qsort(v, *n, sizeof *v, cmp_str);
    size_t m = 0;
    for (size_t i = 0; i < *n; i++)
        if (!m || strcmp(v[m - 1], v[i]) != 0)
            v[m++] = v[i];
    *n = m;
    return v;
}

/* The model's own measured and modelled components, over the selection's runs of it. */
static enum wp_err model_basis(struct wp_store *s, const struct wp_analysis_opts *ao,
                               const char *model, struct wp_basis_summary *out,
                               struct wp_diag *d)
{
    struct wp_run_filter f = ao->filter;
    f.model = model;
    return wp_analysis_basis(s, &f, out, d);
}

static enum wp_err write_all(const struct wp_cli *cli, struct wp_store *s, const struct wp_tpl *t,
                             struct wp_card_input *ci,
                             const struct wp_facts *facts, const char *dir, size_t *written,
                             struct wp_diag *d)
{
    size_t n = 0;
    const char **models = models_of(ci->models, &n);
    char(*taken)[224] = calloc(n ? n : 1, sizeof *taken);
    enum wp_err e = WP_OK;
    if (!models || !taken)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; !e && i < n; i++) {
        char path[4096];
        card_path(dir, models[i], taken, i, path, sizeof path);
        snprintf(taken[i], sizeof taken[i], "%s", strrchr(path, '/') + 1);
        ci->model = models[i];
        ci->facts = wp_facts_find(facts, models[i]);
        struct wp_basis_summary b;
        e = model_basis(s, &ci->models->opts, models[i], &b, d);
        ci->basis = &b;
        if (!e)
            e = write_card(cli, t, ci, path, NULL, d);
        ci->basis = NULL;
        *written += !e;
    }
    free(models);
    free(taken);
    return e;
}

int wp_card_cmd_run(struct wp_cli *cli, const struct wp_card_cmd *c, FILE *out)
{
    char tpl_path[4096];
    struct wp_tpl *t = NULL;
    struct wp_diag d = {0};
    if (load_template(c, tpl_path, sizeof tpl_path, &t, &d)) {
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    wp_stats_init();
    struct wp_store *s = wp_cli_open_store(cli);
    if (!s) {
        wp_tpl_free(t);
        return WP_EXIT_FAIL;
    }
    struct wp_analysis_opts ao = c->r.a;
    ao.by = WP_BY_MODEL_TASK; /* every model: the stars compare within each task */
    const struct wp_analysis *a = NULL;
    struct wp_facts facts = {0};
    enum wp_err e = wp_analysis_get(cli->memo, s, &ao, &a, &d);
    if (!e) {
        struct wp_run_filter f = ao.filter;
        f.model = c->model;
        e = wp_facts_collect(s, &f, &facts, &d);
    }
    struct wp_basis_summary basis;
    if (!e && c->model)
        e = model_basis(s, &ao, c->model, &basis, &d);
    /* the stars' comparison set: a leaderboard snapshot's class in its newest edition */
    struct wp_leaderboard lb = {0};
    struct wp_leaderboard_set set = {0};
    if (!e && c->against && !(e = wp_leaderboard_load(c->against, &lb, &d)))
        e = wp_leaderboard_select(&lb, c->against_class, &set, &d);
    size_t written = 0;
    if (!e) {
        const char *slash = c->against ? strrchr(c->against, '/') : NULL;
        struct wp_card_input ci = {.model = c->model, .models = a,
                                   .facts = c->model ? wp_facts_find(&facts, c->model) : NULL,
                                   .training = &c->training, .tool = "wattprint " WP_VERSION,
                                   .against = c->against ? &set : NULL,
                                   .against_name = slash ? slash + 1 : c->against,
                                   .basis = c->model ? &basis : NULL};
        if (c->all) {
            e = write_all(cli, s, t, &ci, &facts, c->out, &written, &d);
        } else if (c->into) {
            if (!(e = wp_cli_output_check(cli, c->into, &d)))
                e = merge_card(t, &ci, c->into, &d);
        } else if (c->out && wp_cli_is_dir(c->out)) {
            char path[4096];
            card_path(c->out, c->model, NULL, 0, path, sizeof path);
            e = write_card(cli, t, &ci, path, NULL, &d);
        } else {
            e = write_card(cli, t, &ci, c->out, out, &d);
        }
    }
    if (e)
        wp_cli_error(&d);
    else if (c->all && !cli->quiet)
        fprintf(stderr, "wattprint: wrote %zu card%s to %s\n", written, written == 1 ? "" : "s",
                c->out);
    if (a && !e)
        wp_cli_left_out(cli, a);
    wp_store_close(s);
    wp_analysis_release(cli->memo, a);
    wp_leaderboard_set_free(&set);
    wp_leaderboard_free(&lb);
    wp_facts_free(&facts);
    wp_tpl_free(t);
    return !e ? WP_EXIT_OK : e == WP_ERR_USAGE ? WP_EXIT_USAGE : WP_EXIT_FAIL;
}

int wp_cmd_card(struct wp_cli *c, int argc, char **argv)
{
    struct wp_card_cmd args;
    int rc = parse(argc, argv, &args);
    return rc ? rc : wp_card_cmd_run(c, &args, c->out);
}
