/* What can be known of runs before any label: the runs statistics per 1,000 inferences
 * cannot use yet (no model, task or dataset, or no inference count), grouped by what their
 * logs name them by (CodeCarbon's project_name and experiment_id, eco2AI's project and
 * description, optimum-benchmark's config name; else the file), with each group's energy,
 * duration, emissions, power, component split, hardware and place, and the mean energy per
 * run with its intervals.  Read through the store's API; no SQL, no printing.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_LOGGED_H
#define WP_ANALYSIS_LOGGED_H

#include <stdbool.h>
#include <stddef.h>

#include "stats/stats.h"
#include "store/store.h"

/* The key of a group as a manifest row matches it: the project and experiment the log
 * names, or, when it names neither (or only a tool's default such as CodeCarbon's
 * project "codecarbon" and experiment 5b0fa12a-...), the file's name.  The strings point
 * into the arguments (or are ""). */
struct wp_logged_key {
    const char *file, *project, *experiment;
};
void wp_logged_key_of(const char *project, const char *experiment, const char *file_name,
                      struct wp_logged_key *out);

/* One group of runs.  Sums are over the runs where the value is known (n_* of them). */
struct wp_logged_group {
    char *file, *project, *experiment; /* the key ("" where unused); owned */
    char *name;                        /* for people: "project ML, experiment X" or
                                          "file emissions.csv"; owned */
    size_t n_runs;
    size_t n_energy, n_duration, n_emissions;
    double energy_j, duration_s, emissions_g;
    double kwh, hours;            /* the same energy and duration as people read them; NAN
                                     when no run knows it */
    double power_w;               /* energy over duration of the runs knowing both; NAN */
    double g_per_kwh;             /* emissions over energy of the runs knowing both; NAN */
    double cpu_share, gpu_share, ram_share; /* of the runs' summed component energy, over
                                               the runs that log all three; NAN unknown */
    struct wp_summary energy_kwh; /* per run */
    struct wp_ci energy_t, energy_boot; /* mean kWh per run: Student t and bootstrap over
                                           runs (the unit: the log names no model) */
    char *cpu_model, *gpu_model, *country, *region; /* the most frequent; "" unknown; owned */
    size_t n_hardware, n_places;  /* distinct CPU/GPU pairs and places among the runs */
    char *first_started, *last_started; /* ISO 8601 as logged, "" unknown; owned */
    size_t n_unlabelled, n_no_inferences; /* why the runs are here */
};

struct wp_logged {
    struct wp_logged_group *v; /* sorted by key */
    size_t n;
    size_t n_runs;             /* over every group */
    double energy_j, duration_s, emissions_g; /* totals over every group's known values */
    double kwh, hours;         /* the same, NAN when no run knows it */
    size_t n_energy, n_duration, n_emissions; /* runs knowing each */
    double level;
    char newest[32];           /* the newest start among the runs, by instant ("" none): the
                                  date outputs carry, so that re-runs are identical */
};

/* Collects the runs statistics per 1,000 inferences cannot use (wp_run_use: unlabelled or
 * without an inference count), grouped as above; boot NULL = the defaults.  Free with
 * wp_logged_free (also after an error). */
enum wp_err wp_logged_collect(struct wp_store *s, const struct wp_bootstrap *boot,
                              struct wp_logged *out, struct wp_diag *d);
void wp_logged_free(struct wp_logged *l);

/* The one sentence saying what to add for energy per 1,000 inferences (static). */
const char *wp_logged_what_to_add(void);

#endif
