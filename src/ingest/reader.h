/* Streaming line reader for input files: plain or gzip (detected by content), stdin as
 * "-", a SHA-256 of the raw bytes and one of the normalized content computed on the way, bounded memory (a line longer than
 * WP_READER_MAX_LINE and a gzip stream that expands past WP_READER_MAX_RATIO are errors). */
#ifndef WP_INGEST_READER_H
#define WP_INGEST_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "util/err.h"

#define WP_READER_MAX_LINE (64L << 20)
#define WP_READER_MAX_RATIO 1000

struct wp_reader; /* opaque */

/* Opens `path` ("-" reads standard input).  Free with wp_reader_close. */
enum wp_err wp_reader_open(const char *path, struct wp_reader **out, struct wp_diag *d);
/* wp_reader_open of the regular file st describes, never waiting: path is opened without
 * blocking, and refused (WP_ERR_IO) unless it is still that file (the same device and
 * inode), so that a FIFO put in its place is not waited on.  For the read-ahead's worker
 * (ahead.h), which stat'ed the file first. */
enum wp_err wp_reader_open_file(const char *path, const struct stat *st,
                                struct wp_reader **out, struct wp_diag *d);
void wp_reader_close(struct wp_reader *r);

/* The next physical line, without its '\n' (a '\r' before it is kept).  *line is NULL at
 * end of file.  *has_newline is false for a last line that ends without one.  The line
 * stays valid until the next call. */
enum wp_err wp_reader_line(struct wp_reader *r, const char **line, size_t *len,
                           bool *has_newline, struct wp_diag *d);

/* Passes over the empty lines ("\n" alone) that come next, however many, counting them in
 * the line number: a run of millions goes by at memory speed rather than line by line. */
enum wp_err wp_reader_skip_empty(struct wp_reader *r, struct wp_diag *d);

/* Up to `want` bytes from the start of the (decompressed) content, for format detection,
 * without consuming them. */
enum wp_err wp_reader_peek(struct wp_reader *r, size_t want, const char **buf, size_t *len,
                           struct wp_diag *d);

long wp_reader_lineno(const struct wp_reader *r);       /* number of the last line read */
long long wp_reader_offset(const struct wp_reader *r);  /* content bytes consumed so far */
bool wp_reader_is_gzip(const struct wp_reader *r);
bool wp_reader_is_stdin(const struct wp_reader *r);
const char *wp_reader_path(const struct wp_reader *r);
/* Names the input `name` in what wp_reader_path gives (messages), for content opened by
 * another name (the merged log of --shards, in an anonymous file).  name outlives r. */
void wp_reader_set_name(struct wp_reader *r, const char *name);

/* Reads what is left, then gives the SHA-256 of every raw byte and the raw size; once it
 * has succeeded, the same again at each call. */
enum wp_err wp_reader_finish(struct wp_reader *r, char sha256[65], long long *size,
                             struct wp_diag *d);

/* Closes the file and frees the buffers, keeping what the getters give and, after a
 * wp_reader_finish that succeeded, what it and the rows hashes give (nothing else may be
 * called but wp_reader_close): once finished, or read no further after a parse that
 * failed.  For a reader kept while others are read (ahead.h). */
void wp_reader_release(struct wp_reader *r);

/* After wp_reader_finish: the SHA-256 (hex) of the content as a set of rows, whatever
 * their order: gzip decoded, a UTF-8 byte-order mark dropped, "\r\n" and a lone '\r' at
 * the end read as "\n", blank lines dropped; each row (line) hashed alone, the row hashes
 * added modulo 2^256, and SHA-256("wattprint rows 2" || row count as 8 bytes big-endian
 * || sum).  A parser that reads its input as values sets its own (JSON: the parsed
 * document, wp_reader_set_rows_sha256).  The same rows stored another way or in another
 * order give the same hash; NULL before finish.  Owned by r. */
const char *wp_reader_rows_sha256(const struct wp_reader *r);

/* After wp_reader_finish: the rows hash that file versions stored before the hash over a
 * set of rows hold (same column), kept to recognise copies of those files: the SHA-256 of the normalized text as one (rows in
 * order, blank lines inside kept, the text ending in exactly one newline).  Owned by r. */
const char *wp_reader_rows_sha256_legacy(const struct wp_reader *r);

/* Once two rows are read (all of them after wp_reader_finish): the sum of the first two
 * rows' SHA-256 (as wp_reader_rows_sha256 adds them up; 64 hex digits), by which a file that
 * begins with a stored version's rows is looked for; NULL with fewer than two rows, or when
 * a parser set a hash of values.  Owned by r. */
const char *wp_reader_head_sum(const struct wp_reader *r);
/* After wp_reader_finish: the rows hash of the rows a parse read to `consumed` (the content
 * offset its last complete row ends at), and their count: all of them, or all but a last
 * line without a newline that it did not read (cut mid-write).  NULL when the rows are
 * hashed by their values.  Owned by r. */
const char *wp_reader_rows_complete(const struct wp_reader *r, long long consumed,
                                    long long *count);
/* The rows (non-empty lines) read so far: after wp_reader_finish, all of them. */
long long wp_reader_rows_count(const struct wp_reader *r);

/* A prefix of a file's rows: its first `rows` rows, their rows hash, and the content
 * offset just past the last of them (what a parser's rows end at: sink.skip_until). */
struct wp_rows_prefix {
    long long rows;
    long long end;     /* -1 when the file has fewer rows */
    char sha256[65];   /* "" when the file has fewer rows */
};
/* All of a file's rows: their count and hash, and those of all but a last line without a
 * newline (but_last -1 when the last line ends with one). */
struct wp_rows_whole {
    long long rows, but_last;
    char sha256[65], but_last_sha256[65];
};
/* Reads the regular file at path, as stat gave st (another file there now is an error;
 * a FIFO is never waited on), decoded and normalized as for the rows hash, until the last
 * count asked for (to its end when whole is given: its rows then), giving each p[i] (rows
 * ascending) its hash and end, and in head_sum (when not NULL; 65 bytes) its head
 * (wp_reader_head_sum; "" with fewer than two rows). */
enum wp_err wp_reader_prefixes(const char *path, const struct stat *st,
                               struct wp_rows_prefix *p, size_t n, struct wp_rows_whole *whole,
                               char *head_sum, struct wp_diag *d);

/* Gives the rows hash (64 hex digits and a NUL) a parser computed from the values it read,
 * in place of the one over lines; call before wp_reader_finish. */
void wp_reader_set_rows_sha256(struct wp_reader *r, const char hex[65]);

/* SHA-256 of the first n bytes of a regular file (for append detection). */
enum wp_err wp_file_prefix_sha256(const char *path, long long n, char sha256[65],
                                  struct wp_diag *d);

#endif
