/* `summary` and `stats --by project` before any label: one row per group of runs the logs
 * name (analysis/logged.h), aligned for people with a footnote on what the columns are and
 * the sentence saying what to add, or every column in CSV / JSON. */
#include "cli/logged.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/table.h"
#include "analysis/logged.h"

static const struct wp_col human_summary[] = {
    {"group", WP_COL_TEXT, 0},    {"runs", WP_COL_INT, 0},        {"energy_kwh", WP_COL_NUM, 4},
    {"duration_s", WP_COL_NUM, 4}, {"emissions_g", WP_COL_NUM, 4}, {"power_w", WP_COL_NUM, 3},
    {"cpu_pct", WP_COL_NUM, 3},   {"gpu_pct", WP_COL_NUM, 3},     {"ram_pct", WP_COL_NUM, 3},
    {"hardware", WP_COL_TEXT, 0}, {"place", WP_COL_TEXT, 0},
};
static const struct wp_col human_stats[] = {
    {"group", WP_COL_TEXT, 0},
    {"runs", WP_COL_INT, 0},
    {"n", WP_COL_INT, 0},
    {"mean_kwh_per_run", WP_COL_NUM, 4},
    {"sd_kwh_per_run", WP_COL_NUM, 4},
    {"median_kwh_per_run", WP_COL_NUM, 4},
    {"ci_t_lo_kwh_per_run", WP_COL_CI_LO, 4},
    {"ci_t_hi_kwh_per_run", WP_COL_NUM, 4},
    {"ci_boot_lo_kwh_per_run", WP_COL_NUM, 4},
    {"ci_boot_hi_kwh_per_run", WP_COL_NUM, 4},
    {"power_w", WP_COL_NUM, 3},
    {"small_n", WP_COL_BOOL, 0},
};
/* every column, for machines; the stats ones last */
static const struct wp_col machine[] = {
    {"file", WP_COL_TEXT, 0},
    {"project_name", WP_COL_TEXT, 0},
    {"experiment_id", WP_COL_TEXT, 0},
    {"group", WP_COL_TEXT, 0},
    {"runs", WP_COL_INT, 0},
    {"unlabelled_runs", WP_COL_INT, 0},
    {"runs_without_inferences", WP_COL_INT, 0},
    {"runs_with_energy", WP_COL_INT, 0},
    {"energy_kwh", WP_COL_NUM, 4},
    {"duration_s", WP_COL_NUM, 4},
    {"emissions_g", WP_COL_NUM, 4},
    {"mean_power_w", WP_COL_NUM, 4},
    {"g_co2eq_per_kwh", WP_COL_NUM, 4},
    {"cpu_share", WP_COL_NUM, 4},
    {"gpu_share", WP_COL_NUM, 4},
    {"ram_share", WP_COL_NUM, 4},
    {"cpu_model", WP_COL_TEXT, 0},
    {"gpu_model", WP_COL_TEXT, 0},
    {"country_iso_code", WP_COL_TEXT, 0},
    {"region", WP_COL_TEXT, 0},
    {"first_started", WP_COL_TEXT, 0},
    {"last_started", WP_COL_TEXT, 0},
    {"mean_kwh_per_run", WP_COL_NUM, 4},
    {"sd_kwh_per_run", WP_COL_NUM, 4},
    {"median_kwh_per_run", WP_COL_NUM, 4},
    {"ci_t_lo_kwh_per_run", WP_COL_CI_LO, 4},
    {"ci_t_hi_kwh_per_run", WP_COL_NUM, 4},
    {"ci_t_lo_below_zero", WP_COL_BOOL, 0}, /* the rule of stats.h: people see 0 there */
    {"ci_boot_lo_kwh_per_run", WP_COL_NUM, 4},
    {"ci_boot_hi_kwh_per_run", WP_COL_NUM, 4},
    {"small_n", WP_COL_BOOL, 0},
};
#define N_MACHINE_SUMMARY 22 /* up to last_started */
#define COUNT(a) (sizeof a / sizeof a[0])

/* "a / b (+2 more)" from two parts either of which may be empty. */
static void pair_text(char *buf, size_t cap, const char *a, const char *sep, const char *b,
                      size_t distinct)
{
    snprintf(buf, cap, "%s%s%s", a, *a && *b ? sep : "", b);
    if (distinct > 1) {
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, " (+%zu more)", distinct - 1);
    }
}

static int row(struct wp_table *t, enum wp_outfmt fmt, bool with_ci,
               const struct wp_logged_group *g)
{
    long long runs = (long long)g->n_runs, n = (long long)g->n_energy;
    long long unl = (long long)g->n_unlabelled, noinf = (long long)g->n_no_inferences;
    double kwh = g->kwh;
    double dur = g->n_duration ? g->duration_s : NAN;
    double em = g->n_emissions ? g->emissions_g : NAN;
    double cpu = g->cpu_share * 100, gpu = g->gpu_share * 100, ram = g->ram_share * 100;
    bool small = g->n_energy < 3, cut = wp_ci_lo_is_cut(&g->energy_t);
    if (fmt == WP_OUT_TABLE) {
        char hw[512], place[256];
        pair_text(hw, sizeof hw, g->cpu_model, " / ", g->gpu_model, g->n_hardware);
        pair_text(place, sizeof place, g->country, " ", g->region, g->n_places);
        if (!*hw) /* a dash where the logs name nothing, as for numbers */
            snprintf(hw, sizeof hw, "-");
        if (!*place)
            snprintf(place, sizeof place, "-");
        if (!with_ci) {
            const void *cells[] = {g->name, &runs, &kwh, &dur, &em, &g->power_w,
                                   &cpu,    &gpu,  &ram, hw,   place};
            return wp_table_row(t, cells);
        }
        const void *cells[] = {g->name, &runs, &n, &g->energy_kwh.mean, &g->energy_kwh.sd,
                               &g->energy_kwh.median, &g->energy_t, &g->energy_t.hi,
                               &g->energy_boot.lo, &g->energy_boot.hi, &g->power_w, &small};
        return wp_table_row(t, cells);
    }
    const void *cells[] = {
        g->file, g->project, g->experiment, g->name, &runs, &unl, &noinf, &n, &kwh, &dur, &em,
        &g->power_w, &g->g_per_kwh, &g->cpu_share, &g->gpu_share, &g->ram_share,
        g->cpu_model, g->gpu_model, g->country, g->region, g->first_started, g->last_started,
        &g->energy_kwh.mean, &g->energy_kwh.sd, &g->energy_kwh.median, &g->energy_t,
        &g->energy_t.hi, &cut, &g->energy_boot.lo, &g->energy_boot.hi, &small,
    };
    return wp_table_row(t, cells);
}

static void footer(FILE *out, const struct wp_logged *l, bool with_ci,
                   const struct wp_bootstrap *boot)
{
    size_t runs = 0;
    for (size_t i = 0; i < l->n; i++)
        runs += l->v[i].n_runs;
    fprintf(out, "\n%zu run%s without labels or inference count, in %zu group%s by what "
                 "their logs name (project_name and experiment_id, else the file).\n",
            runs, runs == 1 ? "" : "s", l->n, l->n == 1 ? "" : "s");
    if (with_ci)
        fprintf(out, "Units: kWh per run; means, SDs and medians over the runs with energy "
                     "(n). %g%% CIs of the mean: Student t over runs (ci_t) and bootstrap, %zu "
                     "resamples, seed %lu (ci_boot; for skewed runs its ends are the better "
                     "guide). Each run is a unit: the logs name no model. small_n: fewer than 3 "
                     "runs with energy, treat with care.\n",
                l->level * 100, boot->resamples, boot->seed);
    bool any_cut = false;
    for (size_t i = 0; with_ci && i < l->n; i++)
        any_cut |= wp_ci_lo_is_cut(&l->v[i].energy_t);
    if (any_cut)
        fprintf(out, "\u2020 ci_t_lo: %s\n", WP_CI_CUT_NOTE);
    else
        fprintf(out, "Energy, duration and emissions summed over the runs; power_w: energy "
                     "over duration; cpu/gpu/ram_pct: shares of the components' energy as "
                     "logged (a component may be modelled, see README); hardware and place: "
                     "the most "
                     "frequent, (+N more) when runs differ. `wattprint stats --by project` adds "
                     "the mean per run with its 95%% CI.\n");
    fprintf(out, "%s\n", wp_logged_what_to_add());
}

void wp_cli_logged_note(const struct wp_cli *c, long long n_unlabelled)
{
    if (c->quiet || n_unlabelled <= 0)
        return;
    fprintf(stderr, "wattprint: note: %lld run%s without labels %s not in this table: "
                     "'wattprint stats --by project' shows them by what their logs name\n",
            n_unlabelled, n_unlabelled == 1 ? "" : "s", n_unlabelled == 1 ? "is" : "are");
}

int wp_cli_logged(struct wp_cli *c, struct wp_store *s, enum wp_outfmt fmt, bool with_ci,
                  const struct wp_bootstrap *boot, size_t *n_groups)
{
    static const struct wp_bootstrap defaults = WP_BOOTSTRAP_DEFAULT;
    if (!boot)
        boot = &defaults;
    struct wp_logged l;
    struct wp_diag d = {0};
    if (n_groups)
        *n_groups = 0;
    enum wp_err e = wp_logged_collect(s, boot, &l, &d);
    if (e) {
        wp_logged_free(&l);
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    if (n_groups)
        *n_groups = l.n;
    if (!l.n && fmt == WP_OUT_TABLE) { /* csv and json: their columns, no row */
        wp_logged_free(&l);
        return WP_EXIT_OK;
    }
    const struct wp_col *cols = machine;
    size_t n_cols = with_ci ? COUNT(machine) : N_MACHINE_SUMMARY;
    if (fmt == WP_OUT_TABLE) {
        cols = with_ci ? human_stats : human_summary;
        n_cols = with_ci ? COUNT(human_stats) : COUNT(human_summary);
    }
    struct wp_table *t = wp_table_new(c->out, fmt, cols, n_cols);
    for (size_t i = 0; t && i < l.n; i++)
        row(t, fmt, with_ci, &l.v[i]);
    int rc = !t || wp_table_end(t) ? WP_EXIT_FAIL : WP_EXIT_OK;
    if (fmt == WP_OUT_TABLE)
        footer(c->out, &l, with_ci, boot);
    else if (!c->quiet)
        fprintf(stderr, "wattprint: %s\n", wp_logged_what_to_add());
    if (fflush(c->out) || ferror(c->out))
        rc = WP_EXIT_FAIL;
    wp_logged_free(&l);
    return rc;
}
