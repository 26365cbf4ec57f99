/* Exports: the standard disclosure formats that registries and regulators read (BoAmps,
 * SCI, SPDX 3.0 AI, the EU AI Act's Model Documentation Form), written from the runs that
 * statistics use and from the analysis.  One file per format; the selection
 * (analysis/select.h) is the one read of runs, through the store API (no SQL), handed to
 * the writers here, which never see the store.  Writers only format: every figure comes
 * from the selection's runs or the analysis; outputs are deterministic. */
#ifndef WP_EXPORT_H
#define WP_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/analysis.h"
#include "analysis/select.h"
#include "util/err.h"

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
    double training_kwh;           /* SPDX, EU AI Act: training energy; NAN: the manifest's
                                      training_kwh if any */
    const char *training_method;   /* how training_kwh was obtained (meter, estimate) */
};

/* Checks the values of o that a format restricts; WP_ERR_USAGE naming the option. */
enum wp_err wp_export_opts_check(const struct wp_export_opts *o, struct wp_diag *d);

/* ---- BoAmps (boamps.c) ---------------------------------------------------------------- */

/* The BoAmps report of group g of sel to out: header, task, one measure per run,
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
                                   NAN: not given (M of each run from the shipped table of
                                   stats/embodied.c over its duration and GPU count; 0 for a
                                   run without a GPU count, counted) */
    double intensity_g_per_kwh; /* what-if I for every run; NAN: each run's grid as stored */
    struct wp_bootstrap boot;   /* of the interval over units (seed, resamples, level);
                                   resamples 0: WP_BOOTSTRAP_DEFAULT */
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
    size_t n_no_embodied;       /* runs with M 0: no GPU count for the table (table M only) */
    struct wp_ci sci_ci;        /* SCI over the row's units: estimate = sci, a bootstrap
                                   interval resampling the units (models per task; datasets,
                                   i.e. experiments, per model and task); NaN ends with one */
    const char *started_at;     /* the row's first run's start ("" unknown); not owned */
};

struct wp_sci {
    struct wp_sci_row *rows;    /* by task (then model) */
    size_t n, cap;
};

/* Rows for the selection; free with wp_sci_free. */
enum wp_err wp_export_sci(const struct wp_export_sel *sel, const struct wp_sci_opts *o,
                          struct wp_sci *out, struct wp_diag *d);
void wp_sci_free(struct wp_sci *s);
/* "model" per task, "experiment" per model and task: the unit of sci_ci; static. */
const char *wp_sci_interval_unit(const struct wp_sci_opts *o, size_t n);

/* The provider (training) score of SCI for AI, apart from the consumer one: per model whose
 * training energy is known (the manifest's training_kwh, or training_kwh given for the one
 * model of the selection), SCI = (E x I + M) / R with E the training energy, I the what-if
 * intensity or else the model's inference runs' energy-weighted grid (the training grid is
 * not in the logs), M = 0 (the training hardware and its time are not known) and R = 1
 * model trained. */
struct wp_sci_provider {
    const char *model;          /* not owned */
    double e_kwh, i_g_per_kwh, m_g, r, sci;
    const char *energy_source;  /* "manifest training_kwh" / "--training-kwh"; static */
    /* where I comes from: "what-if" (given), or "inference runs' grid" (assumed for the
     * training, whose own grid is not in the logs); static */
    const char *intensity_source;
};
struct wp_sci_providers {
    struct wp_sci_provider *rows;
    size_t n, cap;
};
enum wp_err wp_export_sci_provider(const struct wp_export_sel *sel, const struct wp_sci_opts *o,
                                   double training_kwh, struct wp_sci_providers *out,
                                   struct wp_diag *d);
void wp_sci_providers_free(struct wp_sci_providers *p);

/* The Green Software Foundation Impact Framework manifest (YAML) that reproduces the rows:
 * a child per row whose one input holds E (energy, kWh), I (grid/carbon-intensity),
 * M (carbon-embodied, g), R (the functional unit's count) and the measured duration; the
 * builtins Multiply (carbon-operational = energy x intensity), Sum (carbon = operational +
 * embodied) and Sci (carbon / R) compute SCI.  tool names the writer; e_basis says how E's
 * components were obtained (wp_export_basis_words). */
enum wp_err wp_export_sci_if(const struct wp_sci *s, const struct wp_sci_opts *o,
                             const char *tool, const char *e_basis, FILE *out,
                             struct wp_diag *d);
/* "inference", "token", "request", "image"; false for another name. */
bool wp_sci_unit_parse(const char *name, enum wp_sci_unit *out);
const char *wp_sci_unit_name(enum wp_sci_unit u);

/* ---- SPDX 3.0.1 AI (spdx.c) and the EU AI Act form (euaiact.c) --------------------------- */

/* What a model-level disclosure reads: the selection's runs of the model (hardware, meters,
 * inputs' hashes) and the analysis grouped by model and task (the statistics it states). */
struct wp_export_model {
    const char *model;
    const struct wp_export_sel *sel;
    const struct wp_analysis *a;   /* grouped by model and task */
};

/* Whether g is a group of m's model. */
bool wp_export_is_model(const struct wp_export_model *m, const struct wp_group_stats *g);
/* WP_OK, or WP_ERR_EMPTY with d saying so when the analysis has no group of m's model. */
enum wp_err wp_export_model_found(const struct wp_export_model *m, struct wp_diag *d);

/* The model's training energy in kWh and where it comes from (the option, else the
 * manifest's training_kwh); NAN when unknown. */
double wp_export_training_kwh(const struct wp_export_model *m, const struct wp_export_opts *o,
                              const char **source);

/* How the energy of sel's runs of model (NULL: every run) was obtained, per component, into
 * buf: "GPU measured (idle GPUs counted), CPU modelled, RAM modelled" (analysis/basis.h's
 * words over the runs' marks; a component no run logs is left out; "" when none is
 * logged).  Always terminated. */
void wp_export_basis_words(const struct wp_export_sel *sel, const char *model, char *buf,
                           size_t size);

/* An SPDX 3.0.1 JSON-LD document with one ai_AIPackage for the model, whose
 * ai_energyConsumption holds one inference entry per task (mean kWh per 1,000 inferences)
 * and the training energy when known.  WP_ERR_EMPTY when the analysis has no group of the
 * model. */
enum wp_err wp_export_spdx(const struct wp_export_model *m, const struct wp_export_opts *o,
                           FILE *out, struct wp_diag *d);

/* The energy part of the EU AI Act Model Documentation Form (Code of Practice for
 * general-purpose AI models): Markdown, or JSON when as_json. */
enum wp_err wp_export_euaiact(const struct wp_export_model *m, const struct wp_export_opts *o,
                              bool as_json, FILE *out, struct wp_diag *d);

/* ---- the table of exports (formats.c) ------------------------------------------------- */

struct wp_export_format {
    const char *name;    /* "boamps" */
    const char *summary; /* one line for `wattprint formats` */
};
/* NULL-terminated. */
extern const struct wp_export_format wp_export_formats[];

#endif
