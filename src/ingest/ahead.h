/* The files of one ingest read ahead: while the calling thread stores file i, a worker
 * thread prepares the next ones (ingest.c opens each, detects its format, records its parse
 * (pipe.h) and hashes it), so that a run of small files costs about max(read, store) a file
 * rather than their sum.  The worker is WP_AHEAD_FILES files ahead at most, never touches
 * the store, and hands what it made over whole.  Not for: what is prepared or how (the
 * prepare function). */
#ifndef WP_INGEST_AHEAD_H
#define WP_INGEST_AHEAD_H

#include <stddef.h>
#include <sys/stat.h>

#include "ingest/pipe.h"
#include "ingest/reader.h"

/* Files read and not yet taken, at most. */
#define WP_AHEAD_FILES 4

/* What the worker made of one file: all of it, or r NULL and nothing (the file is then read
 * as it is stored). */
struct wp_ahead_read {
    struct wp_reader *r;
    const struct wp_format *fmt;
    struct wp_pipe_record *rec; /* the parse of r, recorded */
    struct stat st;             /* the file as it was before it was read (the caller reads
                                   it again when it has changed since) */
};
void wp_ahead_read_free(struct wp_ahead_read *x);

/* Fills *out for the file at path, on the worker thread; ctx is wp_ahead_start's. */
typedef void (*wp_ahead_prepare)(void *ctx, const char *path, struct wp_ahead_read *out);

struct wp_ahead;
/* Starts the worker on paths[0], then each next one while fewer than WP_AHEAD_FILES wait to
 * be taken (once it has that many, until half of them are).  paths and ctx outlive it.
 * NULL when no thread can be had. */
struct wp_ahead *wp_ahead_start(const char *const *paths, size_t n, wp_ahead_prepare prepare,
                                void *ctx);
const char *wp_ahead_path(const struct wp_ahead *a, size_t i);
/* What the worker made of paths[i], once it has (the caller owns it then); files before i
 * not taken are dropped, and nothing is had for one the worker has passed. */
void wp_ahead_take(struct wp_ahead *a, size_t i, struct wp_ahead_read *out);
/* Stops the worker (after the file it is on) and frees what it made and a; NULL is fine. */
void wp_ahead_stop(struct wp_ahead *a);

#endif
