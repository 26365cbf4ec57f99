/* The ingest's pipeline: a file's parser runs on a worker thread while the calling thread
 * hands what it read to the sink (the store), so that a large file costs about
 * max(parse, store) rather than their sum.  Only the calling thread ever calls the sink or
 * its reporter: one thread per store connection.  Not for: deciding when it pays (ingest.c). */
#ifndef WP_INGEST_PIPE_H
#define WP_INGEST_PIPE_H

#include <stdbool.h>

#include "ingest/ingest.h"
#include "ingest/reader.h"
#include "util/err.h"

/* Events the parser makes before a batch is handed on, and the bytes they may hold: the
 * queue holds WP_PIPE_BATCHES batches, so memory stays flat whatever the file's size.
 * The first batch holds WP_PIPE_FIRST_BATCH_EVENTS, each next one twice as many up to
 * WP_PIPE_BATCH_EVENTS: the store starts soon, and a file of a few batches overlaps too. */
#define WP_PIPE_FIRST_BATCH_EVENTS 64
#define WP_PIPE_BATCH_EVENTS 1024
#define WP_PIPE_BATCH_BYTES (1L << 20)
#define WP_PIPE_BATCHES 3
/* The worker thread's name (ps -L, top -H, /proc/PID/task/TID/comm). */
#define WP_PIPE_THREAD_NAME "wp-parse"

/* Runs fmt->parse over r on a worker thread.  Everything the parser gives its sink
 * (measurements, bad rows, file and experiment labels, messages through sink->rep) is
 * copied into batches and passed to `sink`, on the calling thread, in the order the
 * parser made it, exactly as a serial parse would.  `stops_on_bad_row` says what
 * sink->bad_row does with a row (true: returns an error without any other effect, so the
 * worker stops there itself; false: keeps it and returns WP_OK unless it fails).
 * The fields the parser sets (consumed, folded, warns_no_duration, no_data) are set in sink
 * once the worker has ended.  Returns the first error of either side: the sink's (the
 * parser stops at its next hand-off; d is the sink's), else the parser's (after
 * everything it gave before it reached the sink; d is the parser's).  No thread is left
 * running when it returns. */
enum wp_err wp_pipe_parse(const struct wp_format *fmt, struct wp_reader *r,
                          struct wp_sink *sink, bool stops_on_bad_row, struct wp_diag *d);

/* A parse recorded to be replayed later: the ingest reads the next file ahead, on a worker
 * thread, while the calling thread stores the one before (ahead.h).  Runs fmt->parse over r
 * on the calling thread, keeping everything it gives as wp_pipe_parse's batches do, for a
 * sink that takes what `like` takes (its callbacks, reporter, format options and skip).
 * NULL when the parse needed more than max_bytes of copies or ran out of memory: the file
 * is then parsed as it is stored, which may fare otherwise.  A parse error is kept, to be
 * replayed after the rows before it. */
struct wp_pipe_record;
struct wp_pipe_record *wp_pipe_record(const struct wp_format *fmt, struct wp_reader *r,
                                      const struct wp_sink *like, bool stops_on_bad_row,
                                      size_t max_bytes);
/* Whether the recorded parse ended without an error of its own. */
bool wp_pipe_record_parsed(const struct wp_pipe_record *rec);
/* Hands everything rec kept to sink, on the calling thread, and sets the fields the parser
 * sets, exactly as wp_pipe_parse would have; the same errors.  Once only. */
enum wp_err wp_pipe_replay(struct wp_pipe_record *rec, struct wp_sink *sink, struct wp_diag *d);
void wp_pipe_record_free(struct wp_pipe_record *rec);

#endif
