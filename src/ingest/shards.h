/* Shards of one distributed run: the CodeCarbon logs that each process (one per GPU, as
 * torchrun or accelerate start them) writes of the same run (CodeCarbon issue #544).  Each
 * one reads the machine's CPU and RAM energy (CodeCarbon measures the node), so a sum of
 * the files counts them once per process.  wp_shards_merge makes one CodeCarbon CSV of
 * them: per row, GPU energy and power summed over the shards, CPU and RAM taken once (from
 * the shard that ran longest), energy_consumed and emissions recomputed from those.  The
 * ingest driver (wp_ingest_shards in ingest.c) parses it as one log. */
#ifndef WP_INGEST_SHARDS_H
#define WP_INGEST_SHARDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

#define WP_SHARDS_MAX 1024                 /* files in one run */
#define WP_SHARDS_MAX_BYTES ((size_t)64 << 20) /* decoded text of all of them */

/* What the merge did, for the message that says so. */
struct wp_shards_info {
    size_t shards, rows;   /* files, and merged rows written */
    bool gpu_machine_wide; /* every shard logged all the node's GPUs: GPU taken once too */
    long gpu_count;        /* GPUs each shard logged (when machine-wide) */
};

/* Reads the n CodeCarbon CSV logs (plain or gzip) and writes their merged CSV to out.
 * They must have the same header with cpu_energy, gpu_energy, ram_energy and
 * energy_consumed columns, the same runs (by run_id, in order) and the same number of rows
 * in each run (the processes flush together); otherwise an error names the file, line and
 * column. */
enum wp_err wp_shards_merge(const char *const *paths, size_t n, FILE *out,
                            struct wp_shards_info *info, struct wp_diag *d);

#endif
