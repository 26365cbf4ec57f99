/* Pieces that several parsers share: durations as tools write them, quantities with a
 * unit ("245.31 W"), header names with a bracketed unit ("power.draw [W]"), and JSON
 * documents read whole from a wp_reader within a size bound.  Nothing format-specific. */
#ifndef WP_INGEST_COMMON_H
#define WP_INGEST_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ingest/ingest.h"
#include "ingest/reader.h"
#include "util/err.h"
#include "util/num.h"
#include "util/time.h"
#include "util/units.h"


/* ---- durations ---------------------------------------------------------------------- */

/* Timestamps: wp_time_parse and struct wp_when are util/time.h's (the one parser). */

/* Parses a duration written h:mm:ss (also "h:mm:ss.ff" and a leading '-') into seconds. */
bool wp_hms_parse(const char *s, double *seconds);

/* ---- quantities --------------------------------------------------------------------- */

/* Parses a number optionally followed by a unit ("245.31 W", "245.31", "60.000000 kWh").
 * A unit, when written, must be `unit` exactly; empty text, the spellings wp_parse_num
 * reads as missing and any "[...]" marker ("[N/A]", "[Unknown Error]") are missing. */
enum wp_num wp_parse_quantity(const char *s, const char *unit, double *out);

/* Splits a header name "power.draw [W]" into "power.draw" and "W" (unit "" when there is
 * no bracket).  Both outputs are truncated to their sizes. */
void wp_name_unit(const char *name, char *base, size_t base_size, char *unit,
                  size_t unit_size);

/* Prints a double so that it reads back to the same value. */
void wp_fmt_num(char *buf, size_t size, double v);

/* ---- detection helpers -------------------------------------------------------------- */

/* The first byte of head that is not a BOM or white space, or NUL. */
char wp_head_first_char(const char *head, size_t len);

/* True when needle occurs in head[0..len) (head need not be NUL-terminated). */
bool wp_head_has(const char *head, size_t len, const char *needle);

/* ---- rows and extras ---------------------------------------------------------------- */

/* Describes a row that cannot be used in d (FILE:LINE:COL and the message) and hands it
 * to sink->bad_row: returns an error to stop the file, or WP_OK when it was set aside. */
enum wp_err wp_bad_row(struct wp_sink *sink, const char *path, long line, long col,
                       const char *raw, struct wp_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

struct wp_csv_record;
/* Checks a CSV record's width against its header's: a last line cut off mid-write (too
 * few fields, no newline) is a warning and *skip is set; another width is a bad row
 * (wp_bad_row, *skip set when it was set aside).  WP_OK with *skip false: use the row. */
enum wp_err wp_row_width(struct wp_sink *sink, const char *path,
                         const struct wp_csv_record *rec, size_t want, bool *skip,
                         struct wp_diag *d);

/* True for a record that is a cut-off last line (it ends no complete row). */
bool wp_row_is_cut(const struct wp_csv_record *rec, size_t want);

struct wp_csv;
/* Whether wp_csv_walk says (once) that a file was read as Windows-1252, and at which column. */
enum wp_cp1252_warn { WP_CP1252_QUIET, WP_CP1252_WARN, WP_CP1252_WARN_AT_COL };

/* How wp_csv_walk hands the records of a CSV log to a parser (ctx). */
struct wp_csv_walk {
    void *ctx;
    enum wp_err (*header)(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d);
    /* a data row (one ingested before, ending at or before sink->skip_until, only with
     * old_rows) */
    enum wp_err (*row)(void *ctx, struct wp_csv_record *rec, struct wp_diag *d);
    /* a header line again after the first (files concatenated by hand); NULL: never */
    bool (*header_again)(const struct wp_csv_record *rec);
    const size_t *width; /* the header's width once it is read: a cut-off last line */
    bool old_rows;       /* rows ingested before go to row too (else they are passed over) */
    enum wp_cp1252_warn cp1252;
};

/* Reads csv to its end or to the first failure: the first record (and each header_again)
 * to header, the rest to row; moves sink->consumed past each record read whole and
 * passes over the rows before sink->skip_until.  *have_header: whether a header was read;
 * *rows: how many rows were new. */
enum wp_err wp_csv_walk(struct wp_csv *csv, struct wp_sink *sink, const struct wp_csv_walk *w,
                        bool *have_header, long *rows, struct wp_diag *d);

/* Says in sink->no_data why a CSV file gave no runs: no header at all (empty), or a header
 * and no rows on a first read of the file (header_only); a file read on from where it was
 * ingested before, or one with rows, is left as it is. */
void wp_csv_no_data(struct wp_sink *sink, bool have_header, long rows, const char *empty,
                    const char *header_only);

#define WP_EXTRAS_MAX 96

/* Key/value pairs for wp_measurement's extras.  Text values are pointers the caller keeps
 * alive until the measurement is stored; numbers and built keys are copied in here.  Past
 * WP_EXTRAS_MAX pairs, more are counted in `dropped` and left out. */
struct wp_extras {
    size_t n, dropped;
    const char *keys[WP_EXTRAS_MAX];
    const char *values[WP_EXTRAS_MAX];
    char key_buf[WP_EXTRAS_MAX][64];
    char num_buf[WP_EXTRAS_MAX][32];
};

void wp_extras_init(struct wp_extras *x);
/* Adds key = value (both kept as pointers); empty values are left out. */
void wp_extras_text(struct wp_extras *x, const char *key, const char *value);
/* Adds a copy of key (truncated to 63 bytes) = value (kept as a pointer). */
void wp_extras_text_copy(struct wp_extras *x, const char *key, const char *value);
/* Adds a copy of key = the number printed to round-trip; NAN is left out. */
void wp_extras_num(struct wp_extras *x, const char *key, double v);
/* Points m's extras at x. */
void wp_extras_attach(const struct wp_extras *x, struct wp_measurement *m);

/* ---- JSON --------------------------------------------------------------------------- */

#define WP_JSON_MAX_BYTES ((size_t)64 << 20)

/* A JSON document and its text (kept to give values a line number). */
struct wp_json_doc {
    json_t *root;
    char *text;
    size_t len;
};

/* Reads what is left of r (at most WP_JSON_MAX_BYTES) and parses it as one JSON document
 * (duplicate keys refused).  Errors are FILE:LINE:COL as jansson found them.  Free with
 * wp_json_doc_free. */
enum wp_err wp_json_read(struct wp_reader *r, struct wp_json_doc *doc, struct wp_diag *d);
void wp_json_doc_free(struct wp_json_doc *doc);

/* The 1-based line of the first `"key":` at or after *from in the text, moving *from past
 * it; 0 when not found.  For messages and measurement lines, not for parsing. */
long wp_json_key_line(const struct wp_json_doc *doc, const char *key, size_t *from);

/* A number member of obj: WP_NUM_OK with its value, WP_NUM_MISSING for an absent member
 * or null, WP_NUM_INVALID for any other type. */
enum wp_num wp_json_num(const json_t *obj, const char *key, double *out);

/* An energy figure of a JSON log in J: obj's number member key times scale (the J in one
 * of the unit it is written in).  Absent or null: WP_OK, *out NAN.  Not a number, negative
 * (a subtraction artefact, not a measurement) or infinite in J: a bad row (wp_bad_row at
 * line) and *is_bad.  The messages name the figure as name ("NAME not a number", "NAME is
 * out of range in J") and say a negative value as "NEGATIVE VALUE" then note. */
enum wp_err wp_json_energy(struct wp_sink *sink, const char *path, long line, const json_t *obj,
                           const char *key, double scale, const char *name,
                           const char *negative, const char *note, double *out, bool *is_bad,
                           struct wp_diag *d);

/* A string member of obj, or "" when absent or not a string. */
const char *wp_json_str(const json_t *obj, const char *key);

#endif
