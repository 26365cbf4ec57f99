/* Ingest: turns input files into measurements in the store, one transaction per file.
 * Formats are a table (formats.c): each one detects itself from the start of a file and
 * parses a wp_reader into measurements handed to a struct wp_sink.  The driver (ingest.c)
 * owns identity (content hashes, append detection), transactions and bad rows. */
#ifndef WP_INGEST_H
#define WP_INGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/reader.h"
#include "store/store.h"
#include "util/err.h"

/* Direct labels for the files of one ingest (--model --task --dataset --inferences). */
struct wp_ingest_labels {
    const char *model, *task, *dataset;
    long long inferences, batch_size;
    long long parameters; /* the model's, 0 = not stated */
    bool is_idle;         /* the file is an idle window of its host (ingest --idle): its runs
                             get the experiment attribute idle = yes (analysis/restate.h) */
};

struct wp_generic_map; /* a column map for the generic CSV format (generic.h) */

/* Options that only some formats read; each format ignores the others. */
struct wp_format_opts {
    const struct wp_generic_map *generic_map; /* required by "generic" (--map) */
};

/* Where a parser hands what it read. */
struct wp_sink {
    /* Stores one measurement.  group_key (or NULL) groups the phases of one run within
     * the file when the run id is not a UUID. */
    enum wp_err (*measurement)(void *ctx, const struct wp_measurement *m,
                               const char *group_key, struct wp_diag *d);
    /* A row that cannot be used.  Returns an error to stop the file (the default), or
     * WP_OK when the row was set aside (--skip-bad-rows) and parsing goes on.  d must
     * already describe the problem (file, line, column, message). */
    enum wp_err (*bad_row)(void *ctx, const char *raw, struct wp_diag *d);
    /* Labels the file itself states (optimum-benchmark's config names the model and
     * task): they label every run of the file unless a manifest says otherwise.  `origin`
     * says where they come from, e.g. "benchmark_config.json". */
    enum wp_err (*file_labels)(void *ctx, const char *origin, const struct wp_ingest_labels *l,
                               struct wp_diag *d);
    /* The same for the runs of one experiment label only, where a file measures several
     * models (an ML.ENERGY v1 row names its model): they label the runs whose experiment
     * label is `experiment`.  NULL when the caller keeps no labels. */
    enum wp_err (*experiment_labels)(void *ctx, const char *origin, const char *experiment,
                                     const struct wp_ingest_labels *l, struct wp_diag *d);
    void *ctx;
    const struct wp_reporter *rep;
    const struct wp_format_opts *fmt; /* never NULL */
    /* Rows that end at or before this content offset were ingested before (append). */
    long long skip_until;
    /* Set by the parser: content offset after the last complete row it read. */
    long long consumed;
    /* Set by the parser: rows that were earlier flush snapshots of a run whose later row
     * was stored instead (flushes.h). */
    long long folded;
    /* Set by a parser that warns of rows without a duration itself. */
    bool warns_no_duration;
    /* Set by the parser when it found nothing to ingest, with the reason. */
    char no_data[200];
};

struct wp_format {
    const char *name;        /* e.g. "codecarbon" */
    const char *summary;     /* one line for `wattprint formats` */
    const char *versions;    /* the tool versions whose output was checked */
    /* How sure the format is that the file is its own, 0 (no) to 100, from the first
     * bytes of the content and the file name; why (<= 120 chars) when it is 0.  NULL for
     * a format that is never detected (only read when named with --format). */
    int (*detect)(const char *head, size_t len, const char *name, char *why, size_t why_size);
    /* Or, for a format known by its CSV header alone, the same from the header's names
     * (the first line's, split by wp_head_names: up to 256 names of its first 8 KiB). */
    int (*detect_header)(const char *const *names, size_t n, char *why, size_t why_size);
    enum wp_err (*parse)(struct wp_reader *r, struct wp_sink *sink, struct wp_diag *d);
    /* Its parser reads on from sink.skip_until, the rows before read for their labels
     * only: a log that grows adds its new rows (else a grown log is read again whole). */
    bool appends;
};

/* The supported formats, in detection order; NULL-terminated. */
extern const struct wp_format *const wp_formats[];
const struct wp_format *wp_format_find(const char *name);
/* Whether f is ever detected (else read only when named). */
bool wp_format_is_detected(const struct wp_format *f);
/* f's score for a file that starts with head (its detect or detect_header; 0 when f is
 * never detected). */
int wp_format_detect(const struct wp_format *f, const char *head, size_t len, const char *name,
                     char *why, size_t why_size);

/* Where a file's parser runs (the store is always written by the calling thread). */
enum wp_ingest_threads {
    WP_INGEST_THREADS_AUTO, /* on a thread of its own for standard input and a file of at least
                               WP_INGEST_PIPE_MIN_BYTES (its size on disk), else serial or,
                               given wp_ingest_file_ahead, read ahead (ahead.h) */
    WP_INGEST_THREADS_ONE,  /* on the calling thread, between the rows it stores (serial) */
    WP_INGEST_THREADS_TWO,  /* always on a thread of its own (pipe.h) */
};
/* Below this size a file is parsed serially: a second thread would cost more than it saves. */
#define WP_INGEST_PIPE_MIN_BYTES (1L << 20)

struct wp_ingest_opts {
    const char *format;           /* NULL = detect */
    enum wp_ingest_threads threads;
    bool skip_bad_rows;
    bool replace;                 /* a changed file replaces what its path gave before */
    struct wp_ingest_labels labels;
    struct wp_format_opts fmt;
    const struct wp_reporter *rep;
};

/* What happened to one file. */
/* WP_FILE_COPY: other bytes, but the same rows as a file ingested before (res->copy says
 * which): nothing of it is stored, as for an unchanged file. */
enum wp_file_outcome {
    WP_FILE_INGESTED, WP_FILE_APPENDED, WP_FILE_UNCHANGED, WP_FILE_NODATA, WP_FILE_COPY
};
/* The rows a file began with that were stored before as another file's (a copy of a log
 * made before it grew, or a log that grew after a copy of it was ingested). */
struct wp_grown {
    long long rows;          /* 0: none; else rows (non-empty lines), its header included */
    long long end;           /* the content offset where they end */
    char path[1024];         /* the other file, as stored; cut short when longer */
    char ingested_at[32];    /* UTC, ISO 8601: when that version was ingested */
};

struct wp_file_result {
    enum wp_file_outcome outcome;
    const char *format;
    long long rows_added, rows_rejected, duplicates, conflicts, no_energy;
    long long folded;   /* earlier flush snapshots of runs stored with a later row */
    long long replaced; /* measurements of the earlier version that --replace removed */
    struct wp_rows_copy copy; /* for WP_FILE_COPY: the file whose rows these are */
    struct wp_grown grown;    /* the rows it began with, stored as another file's */
    char sha256[65];    /* the content's, as stored ("" when the ingest did not get that far):
                           for an unchanged file, what names its source (relabel.h) */
};

/* Ingests one file ("-" for standard input) in one transaction.  On error nothing of the
 * file is kept and d says where the problem is. */
enum wp_err wp_ingest_file(struct wp_store *s, const char *path,
                           const struct wp_ingest_opts *o, struct wp_file_result *res,
                           struct wp_diag *d);

/* Reads paths[0..n) ahead of their ingest with options o (both outlive it: ahead.h): while
 * file i is stored, a worker thread opens file i+1, detects its format and parses it into
 * memory, for wp_ingest_file_ahead.  NULL when o asks for no thread or one per file (only
 * WP_INGEST_THREADS_AUTO reads ahead), for fewer than two files, or when no thread can be
 * had: wp_ingest_file then.  Stop with wp_ahead_stop. */
struct wp_ahead;
struct wp_ahead *wp_ingest_read_ahead(const char *const *paths, size_t n,
                                      const struct wp_ingest_opts *o);
/* wp_ingest_file for paths[i] of a, with the o a was started with: the worker's read of it
 * is used where it can be (not for a file that grew since an ingest before: that one is read
 * again here, from where the last ingest ended; nor for one changed since the worker read
 * it: read again here, as it is now).  The same results, messages and errors as
 * wp_ingest_file.  Files before i not yet ingested are dropped from a. */
enum wp_err wp_ingest_file_ahead(struct wp_store *s, struct wp_ahead *a, size_t i,
                                 const struct wp_ingest_opts *o, struct wp_file_result *res,
                                 struct wp_diag *d);

/* Ingests the CodeCarbon logs of the processes of one distributed run (--shards; see
 * shards.h) as one log, in one transaction: per row, GPU energy summed over the files,
 * CPU and RAM energy (the node's, in each file) taken once.  The measurements belong to
 * the first file; every file is recorded with its own hash (so that each one, ingested
 * later on its own, is unchanged).  *info says what was merged, for the message. */
struct wp_shards_info;
enum wp_err wp_ingest_shards(struct wp_store *s, const char *const *paths, size_t n,
                             const struct wp_ingest_opts *o, struct wp_file_result *res,
                             struct wp_shards_info *info, struct wp_diag *d);

/* Parses `text` as a CSV header line: fills up to max trimmed names (pointers into buf,
 * which receives a copy of the first line) and returns their count.  For detectors. */
size_t wp_head_names(const char *head, size_t len, char *buf, size_t buf_size,
                     const char **names, size_t max);

#endif
