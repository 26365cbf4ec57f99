/* CSV records from a wp_reader, parsed by libcsv: quoted fields (also across lines), CRLF
 * and bare CR line ends, a UTF-8 BOM, padded unquoted fields (trimmed), blank lines
 * skipped.  Each record knows its physical line, its verbatim text and whether its last
 * line ended without a newline.  Fields that are not UTF-8 are read as Windows-1252. */
#ifndef WP_INGEST_CSV_H
#define WP_INGEST_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/reader.h"
#include "util/err.h"

#define WP_CSV_MAX_FIELD (1L << 20)   /* bytes in one field */
#define WP_CSV_MAX_FIELDS 4096        /* fields in one record */

struct wp_csv_record {
    size_t n;                 /* number of fields */
    char **fields;            /* NUL-terminated UTF-8, trimmed */
    long line;                /* physical line where the record starts */
    bool is_cut;              /* its last line ended at end of file without a newline */
    bool was_cp1252;          /* some field was converted from Windows-1252 */
    long cp1252_col;          /* the first such field, 1-based */
    const char *raw;          /* verbatim text of the record's lines, NUL-terminated */
    size_t raw_len;
    long long end_offset;     /* content offset just after the record */
};

struct wp_csv; /* opaque */

enum wp_err wp_csv_open(struct wp_reader *r, struct wp_csv **out, struct wp_diag *d);
void wp_csv_close(struct wp_csv *c);

/* The next record; *rec is valid until the next call.  Returns WP_OK with *done set at
 * end of file.  Errors (an unterminated quoted field, a field over the limit) carry the
 * line. */
enum wp_err wp_csv_next(struct wp_csv *c, struct wp_csv_record **rec, bool *done,
                        struct wp_diag *d);

/* wp_csv_next for a loop: `while (wp_csv_more(c, &rec, &e, d)) { ... }` runs the body for
 * each record; at the end *e is WP_OK, on an error it says which (d filled). */
bool wp_csv_more(struct wp_csv *c, struct wp_csv_record **rec, enum wp_err *e,
                 struct wp_diag *d);

/* The name of the file c reads (its reader's, for messages). */
const char *wp_csv_path(const struct wp_csv *c);

/* A whole small table read from a file (the side files a user hands a command: names
 * maps, intensities, scores, references): header is called with the first record, row
 * with each next one, until one fails.  *has_header: whether there was a first record.
 * sha256 (or NULL): the file's raw SHA-256 when all went well (wp_reader_finish). */
struct wp_csv_each {
    enum wp_err (*header)(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d);
    enum wp_err (*row)(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d);
    void *ctx;
};
enum wp_err wp_csv_each(const char *path, const struct wp_csv_each *each, bool *has_header,
                        char *sha256, struct wp_diag *d);

#endif
