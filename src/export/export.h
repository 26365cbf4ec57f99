/* Exports: the standard disclosure formats that registries and regulators read (BoAmps,
 * SCI, SPDX 3.0 AI, the EU AI Act's Model Documentation Form), written from the runs that
 * statistics use and from the analysis.  One file per format; the selection (select.c) is
 * the one read of runs, through the store API (no SQL here).  Writers only format: every
 * figure comes from the selection's runs or the analysis; outputs are deterministic. */
#ifndef WP_EXPORT_H
#define WP_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "stats/analysis.h"
#include "store/store.h"
#include "util/err.h"

/* One run that statistics use (wp_run_use), copied from the store's row.  Strings are
 * owned and never NULL ("" unknown); numbers NAN unknown; counts 0 unknown. */
struct wp_export_run {
    long long run_id, inferences, parameters, token_samples, input_tokens, output_tokens;
    char *run_uid, *model, *task, *dataset, *started_at, *tool, *tool_version;
    char *gpu_model, *cpu_model, *country_iso_code, *region;
    double duration_s, energy_j, cpu_energy_j, gpu_energy_j, ram_energy_j, emissions_g;
    double carbon_intensity_g_per_kwh, training_energy_j;
};

/* The runs of one model on one task: runs[first .. first + n) of the selection. */
struct wp_export_group {
    const char *model, *task; /* the first run's */
    size_t first, n;
    char **sha256;            /* the distinct input files' hashes, sorted; owned */
    size_t n_sha256;
};

struct wp_export_sel {
    struct wp_export_run *runs; /* ordered by model, task, run id */
    size_t n, cap;
    struct wp_export_group *groups; /* by model, task */
    size_t n_groups;
    long long runs_seen;             /* labelled runs matching the filter */
    long long skipped_no_inferences, skipped_no_energy; /* of them left out, and why */
};

/* The usable runs matching f (model, task, dataset, phase) and their groups with the hashes
 * of their input files.  Free with wp_export_sel_free (also after an error). */
enum wp_err wp_export_select(struct wp_store *s, const struct wp_run_filter *f,
                             struct wp_export_sel *out, struct wp_diag *d);
void wp_export_sel_free(struct wp_export_sel *sel);

/* What the user states for a disclosure (NULL: not stated). */
struct wp_export_opts {
    const char *tool;              /* "wattprint 0.1.0" */
    const char *publisher;         /* BoAmps header.publisher.name, SPDX creator */
    const char *confidentiality;   /* BoAmps: public|internal|confidential|secret */
    const char *report_status;     /* BoAmps: draft|final|corrective|other (default draft) */
    const char *licensing;         /* BoAmps header.licensing */
    const char *infra_type;        /* BoAmps: publicCloud|privateCloud|onPremise|other */
    const char *cloud_provider;    /* BoAmps infrastructure.cloudProvider */
    const char *quality;           /* BoAmps: high|medium|low */
};

/* Checks the values of o that a format restricts; WP_ERR_USAGE naming the option. */
enum wp_err wp_export_opts_check(const struct wp_export_opts *o, struct wp_diag *d);

/* ---- BoAmps (boamps.c) ---------------------------------------------------------------- */

/* The BoAmps report of group g of sel to out: header, task, one measure per run, system-free
 * infrastructure and environment (see README, "BoAmps").  The measures' powerConsumption
 * are the runs' energies in kWh. */
enum wp_err wp_export_boamps(const struct wp_export_sel *sel, const struct wp_export_group *g,
                             const struct wp_export_opts *o, FILE *out, struct wp_diag *d);

/* The stable report id of g: a UUID-shaped digest of its model, task and input hashes. */
void wp_export_report_id(const struct wp_export_group *g, char id[37]);

/* A file name for a group: "org--name__task" plus ext, every byte outside A-Z a-z 0-9 . _ -
 * as '_'; at most 200 bytes before ext.  buf needs 220 bytes. */
void wp_export_file_name(const char *model, const char *task, const char *ext, char *buf,
                         size_t size);

/* ---- SCI (sci.c) ----------------------------------------------------------------------- */

/* The Green Software Foundation's Software Carbon Intensity, SCI = (E x I + M) / R, per
 * task (or per model and task) over the selection's runs: the consumer (inference) score. */
enum wp_sci_unit { WP_SCI_INFERENCE, WP_SCI_TOKEN, WP_SCI_REQUEST, WP_SCI_IMAGE };

struct wp_sci_opts {
    enum wp_sci_unit unit;
    bool by_model;              /* rows per model and task, else per task */
    double embodied_g;          /* M of the whole selection, shared by measured duration;
                                   NAN: not given (M = 0, and the output says so) */
    double intensity_g_per_kwh; /* what-if I for every run; NAN: each run's grid as stored */
};

struct wp_sci_row {
    const char *task, *model;   /* model NULL per task; not owned (the selection's) */
    double e_kwh;               /* E: energy of the runs counted */
    double i_g_per_kwh;         /* I: energy-weighted over the runs with an intensity */
    double m_g;                 /* M: this row's share of the embodied emissions */
    double r;                   /* R: functional units of the runs counted */
    double sci;                 /* g CO2eq per functional unit; NAN when I or R unknown */
    double duration_s;          /* measured, of the runs counted */
    size_t n_runs;              /* runs counted */
    size_t n_no_units;          /* runs left out: no count of the functional unit (tokens) */
    size_t n_no_intensity;      /* runs counted without a grid intensity (not in I) */
};

struct wp_sci {
    struct wp_sci_row *rows;    /* by task (then model) */
    size_t n;
};

/* Rows for the selection; free with wp_sci_free. */
enum wp_err wp_export_sci(const struct wp_export_sel *sel, const struct wp_sci_opts *o,
                          struct wp_sci *out, struct wp_diag *d);
void wp_sci_free(struct wp_sci *s);
/* "inference", "token", "request", "image"; false for another name. */
bool wp_sci_unit_parse(const char *name, enum wp_sci_unit *out);
const char *wp_sci_unit_name(enum wp_sci_unit u);

/* ---- the table of exports (formats.c) ------------------------------------------------- */

struct wp_export_format {
    const char *name;    /* "boamps" */
    const char *summary; /* one line for `wattprint formats` */
};
/* NULL-terminated. */
extern const struct wp_export_format wp_export_formats[];

#endif
