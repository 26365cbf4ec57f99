/* Restating runs before statistics: energy above the host's idle power (issue 29, idle
 * baseline) and emissions at the grid's hourly carbon intensity over each run's window
 * (intensity.h).  Loaded once from the store's run windows, applied to each run through
 * the run filter's adjust hook, and summarised for every output that shows energy, so that
 * each says which energy and which intensity its figures use.  Prints nothing.
 *
 * Idle baseline.  A run marked idle (ingest --idle, or a manifest column `idle` = yes) is
 * an idle window of its host, the hardware its log names (CPU and GPU model and count, RAM,
 * OS: logs that name the same hardware share a host).  The host's idle power per component
 * is the time-weighted mean over its idle windows, sum(energy) / sum(duration), where both
 * are known.  A run on that host then has an above-idle energy: each component less its
 * idle power times the run's duration, the total less the idle total power times it (or,
 * for a run that measured fewer components than the idle windows, the idle power of those
 * it measured: a GPU-only total loses the GPU's idle power alone), each floored at 0 (a run below idle counts as 0 above and is counted: n_clamped).  Runs on a
 * host without idle windows have no above-idle figure, nor do runs without a duration on a
 * host with them (counted apart: n_no_duration): with above_idle, the hook leaves both out
 * (their energy unknown), so that no figure sets total energy beside energy above idle.  Idle windows count whole whatever phase
 * the statistics read.  Emissions follow the energy at the run's own g per kWh.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_RESTATE_H
#define WP_ANALYSIS_RESTATE_H

#include <stdbool.h>
#include <stddef.h>

#include "stats/intensity.h"
#include "store/store.h"
#include "util/err.h"

struct wp_idle_host {
    long long hardware_id;
    char *name;                      /* "GPU x count / CPU" as the hardware row says; owned */
    size_t n_windows;                /* idle runs */
    double duration_s;               /* their summed duration */
    double power_w;                  /* idle power of the total, NAN unknown */
    double cpu_power_w, gpu_power_w, ram_power_w; /* per component, NAN unknown */
    /* the selection's runs on the host (wp_restate_summarise) */
    long long n_runs, n_clamped;
    long long n_no_duration;         /* its runs with no duration: total energy, not above
                                        idle (not in n_runs) */
    double energy_j, above_idle_j;   /* summed total and above-idle energy */
};

/* One run's window (its whole-run measurement, else the sum of its phases' durations from
 * the earliest phase start; or the one phase statistics read). */
struct wp_run_window {
    long long run_id, hardware_id;
    double start_s, duration_s;      /* NAN unknown */
    bool is_idle;
};

struct wp_restate_opts {
    bool above_idle;                 /* figures use above-idle energy */
    bool partial;                    /* a part of another analysis' selection (a phase, the
                                        runs with token counts): it may hold no run with
                                        energy above idle (wp_restate_need_baseline then
                                        refuses only a database without idle windows) */
    const char *intensity_path;      /* NULL: emissions as the tools logged them */
    struct wp_intensity_opts intensity;
};

struct wp_restate {
    bool above_idle;
    struct wp_run_window *spans;       /* by run id; owned */
    size_t n_spans;
    struct wp_idle_host *hosts;      /* hosts with idle windows, by hardware id; owned */
    size_t n_hosts;
    bool has_intensity;
    struct wp_intensity intensity;
    char intensity_file[256];
    /* the selection's runs (wp_restate_summarise) */
    long long runs, runs_on_idle_hosts;
    long long runs_no_duration;      /* on an idle host but without a duration: as measured */
    long long intensity_applied, intensity_outside; /* runs covered by the file or not */
    double intensity_kwh;            /* the energy of the runs it applied to */
    double intensity_mean_g_per_kwh; /* energy-weighted over those runs, NAN none */
    double emissions_logged_g, emissions_hourly_g; /* of those runs: as logged, restated */
    long long emissions_logged_runs; /* of those runs, how many logged emissions */
};

/* Reads the run windows of `phase` (NULL = run totals) and, with o->intensity_path, the
 * intensity file.  Free with wp_restate_free (also after an error). */
enum wp_err wp_restate_load(struct wp_store *s, const char *phase,
                            const struct wp_restate_opts *o, struct wp_restate *out,
                            struct wp_diag *d);
void wp_restate_free(struct wp_restate *r);

/* Whether h's idle windows give an idle power (of the total or of some part): windows logged
 * without energy give none, and their host's runs have no energy above idle. */
bool wp_idle_host_has_power(const struct wp_idle_host *h);

/* Whether statistics need the hook: above idle, or an intensity file. */
bool wp_restate_active(const struct wp_restate *r);
/* Whether there is anything to summarise: an idle host or an intensity file. */
bool wp_restate_has_any(const struct wp_restate *r);
/* Frees the per-run spans (the hook cannot run after it); the summary stays. */
void wp_restate_drop_spans(struct wp_restate *r);

/* The adjust hook of struct wp_run_filter (ctx: a struct wp_restate): idle runs keep their
 * values (statistics leave them out as unlabelled, or the caller excludes them), others
 * get above-idle energy when asked (a run without one: energies and emissions NAN, so that
 * statistics leave it out as a run without energy) and the hourly intensity's emissions
 * when covered. */
void wp_restate_adjust(void *ctx, struct wp_run_row *r);

/* energy_j less idle_power_w over duration_s, floored at 0 (*is_clamped when the floor
 * was hit); energy_j itself when any of the three is unknown. */
double wp_idle_above(double energy_j, double idle_power_w, double duration_s,
                     bool *is_clamped);

/* With above_idle, an error (WP_ERR_EMPTY, saying why) when no run the selection holds can
 * have energy above idle: no idle window in the database, or none of its runs (after
 * wp_restate_summarise) on a host with them.  WP_OK otherwise, and for an empty selection. */
enum wp_err wp_restate_need_baseline(const struct wp_restate *r, struct wp_diag *d);

/* Counts the runs f selects (as statistics use them, f's own adjust ignored) into the
 * hosts' and the intensity's tallies above. */
enum wp_err wp_restate_summarise(struct wp_store *s, const struct wp_run_filter *f,
                                 struct wp_restate *r, struct wp_diag *d);

#endif
