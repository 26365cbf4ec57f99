/* Plausibility of measurements: an average power above what the logged hardware could
 * draw (per GPU, for the CPUs, for the node), a zero or negative duration with energy,
 * energy with no duration where the file's other rows have one.  These are warnings with
 * FILE:LINE (the first row, and how many rows): the rows are kept as logged. */
#ifndef WP_INGEST_PLAUSIBLE_H
#define WP_INGEST_PLAUSIBLE_H

#include <stdbool.h>

#include "store/store.h"
#include "util/err.h"

enum wp_plausible_rule {
    WP_PLAUSIBLE_GPU_POWER,  /* GPU energy / duration above what the GPUs could draw */
    WP_PLAUSIBLE_CPU_POWER,  /* CPU energy / duration above what the CPUs could draw */
    WP_PLAUSIBLE_NODE_POWER, /* energy / duration above what the node could draw */
    WP_PLAUSIBLE_DURATION,   /* energy with a zero or negative duration */
    WP_PLAUSIBLE_NO_DURATION,/* energy with no duration, other rows having one */
    WP_PLAUSIBLE_RULES
};

/* What one file showed, rule by rule. */
struct wp_plausible {
    struct {
        long long rows;
        long line;
        char what[200]; /* the first row's figures */
    } hit[WP_PLAUSIBLE_RULES];
    long long with_duration;
};

/* The most a GPU of this model can draw, in W (its maximum board power), from the table;
 * a ceiling for any current GPU when the model is not in it or empty. */
double wp_plausible_gpu_max_w(const char *gpu_model);

/* Whether GPU energy integrated from nvidia-smi power column `column` (as its header
 * says it, "power.draw [W]") on `gpu_model` is part-time: power.draw, .instant or an
 * unnamed power column on an A100 or H100, which sees 25 ms of every 100 ms (Yang et al.,
 * "Part-time Power Measurements: nvidia-smi's Lack of Attention", SC24) where the GPU's
 * energy counter was there to read.  power.draw.average (a one-second mean) is not. */
bool wp_plausible_part_time_power(const char *column, const char *gpu_model);

/* Checks one measurement; m->line says where it is. */
void wp_plausible_check(struct wp_plausible *pl, const struct wp_measurement *m);

/* Warns once per rule that some row broke, with the first row's line.  parser_said_no_duration:
 * the parser already warned of rows without a duration (no second warning). */
void wp_plausible_report(const struct wp_plausible *pl, const struct wp_reporter *rep,
                         const char *path, bool parser_said_no_duration);

#endif
