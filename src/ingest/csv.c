/* CSV records on libcsv (see csv.h).  Lines are fed to libcsv one at a time so that each
 * record knows its line numbers and verbatim text.  Field text lives in one buffer reused
 * from record to record (no allocation per field): offsets while a feed may grow it,
 * pointers once the feed is over. */
#include "ingest/csv.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"
#include "util/text.h"

struct wp_csv {
    struct wp_reader *r;
    struct csv_parser p;
    bool p_init, eof, first_line;
    enum wp_err cb_err;        /* error raised inside a libcsv callback */
    long cb_err_col;
    bool cb_err_long_field;    /* the error is a field over WP_CSV_MAX_FIELD */
    /* records completed by the last feed: a line can complete several (bare CR) */
    struct wp_csv_record *q;
    size_t q_len, q_cap, q_next;
    size_t *q_first;           /* per queued record: the index of its first field in off */
    /* the text of the fields of the queued records and of the record being built, each
     * NUL-terminated, and where each field starts */
    char *text;
    size_t text_len, text_cap;
    size_t *off;
    size_t off_len, off_cap;
    char **ptrs;               /* off as pointers, for the queued records' fields */
    size_t ptrs_cap;
    /* the record being built: its fields are the last n_fields of off */
    size_t n_fields;
    bool line_is_utf8;         /* split_plain checked the whole line: its fields need not be */
    bool cur_cp1252;
    long cur_cp1252_col;
    long cur_line;
    /* verbatim text of the lines fed since the last completed record */
    char *raw;
    size_t raw_len, raw_cap;
    char *raw_out;             /* the queued records' verbatim text */
    size_t raw_out_cap;
    char *conv;                /* scratch for Windows-1252 conversion */
    size_t conv_cap;
};

/* libcsv grows its field buffer through this: refusing past the limit bounds memory. */
static void *bounded_realloc(void *p, size_t n)
{
    return n > (size_t)WP_CSV_MAX_FIELD + 64 ? NULL : realloc(p, n);
}

/* field with room for at least need elements: true, or false when out of memory (field is
 * then unchanged). */
#define GROW(field, cap, need) (WP_ARRAY_GROW(field, need, cap) == WP_OK)

/* Forgets the queued records; the fields of a record still being built move to the start
 * of the buffer. */
static void clear_queue(struct wp_csv *c)
{
    size_t first = c->off_len - c->n_fields;
    size_t from = c->n_fields ? c->off[first] : c->text_len;
    if (c->text_len > from) /* (memmove and memset take no NULL, not even for 0 bytes) */
        memmove(c->text, c->text + from, c->text_len - from);
    c->text_len -= from;
    for (size_t i = 0; i < c->n_fields; i++)
        c->off[i] = c->off[first + i] - from;
    c->off_len = c->n_fields;
    if (c->q_len)
        memset(c->q, 0, c->q_len * sizeof *c->q);
    c->q_len = c->q_next = 0;
}

static char *field_text(struct wp_csv *c, const char *s, size_t len)
{
    if (!c->line_is_utf8 && !wp_utf8_valid(s, len)) {
        if (c->conv_cap < 3 * len + 1) {
            char *b = realloc(c->conv, 3 * len + 1);
            if (!b)
                return NULL;
            c->conv = b;
            c->conv_cap = 3 * len + 1;
        }
        len = wp_cp1252_to_utf8(s, len, c->conv);
        s = c->conv;
        if (!c->cur_cp1252)
            c->cur_cp1252_col = (long)c->n_fields + 1;
        c->cur_cp1252 = true;
    }
    if (!GROW(c->text, c->text_cap, c->text_len + len + 1))
        return NULL;
    char *f = c->text + c->text_len;
    memcpy(f, s, len);
    f[len] = '\0';
    c->text_len += len + 1;
    return f;
}

static void on_field(void *s, size_t len, void *ctx)
{
    struct wp_csv *c = ctx;
    if (c->cb_err)
        return;
    if (c->n_fields == WP_CSV_MAX_FIELDS) {
        c->cb_err = WP_ERR_LIMIT;
        c->cb_err_col = (long)c->n_fields + 1;
        return;
    }
    if (!GROW(c->off, c->off_cap, c->off_len + 1)) {
        c->cb_err = WP_ERR_NOMEM;
        return;
    }
    size_t at = c->text_len;
    if (!field_text(c, s ? s : "", s ? len : 0)) {
        c->cb_err = WP_ERR_NOMEM;
        return;
    }
    c->off[c->off_len++] = at;
    c->n_fields++;
}

static void on_row(int term, void *ctx)
{
    (void)term;
    struct wp_csv *c = ctx;
    if (c->cb_err)
        return;
    /* two queues, one length: each its own capacity, the smaller true of both */
    size_t cap_q = c->q_cap, cap_first = c->q_cap;
    bool grown = GROW(c->q, cap_q, c->q_len + 1) && GROW(c->q_first, cap_first, c->q_len + 1);
    c->q_cap = cap_q < cap_first ? cap_q : cap_first;
    if (!grown) {
        c->cb_err = WP_ERR_NOMEM;
        return;
    }
    struct wp_csv_record *rec = &c->q[c->q_len++];
    memset(rec, 0, sizeof *rec);
    rec->n = c->n_fields;
    c->q_first[c->q_len - 1] = c->off_len - c->n_fields;
    rec->line = c->cur_line;
    rec->was_cp1252 = c->cur_cp1252;
    rec->cp1252_col = c->cur_cp1252_col;
    c->n_fields = 0;
    c->cur_cp1252 = false;
}

static enum wp_err cb_fail(struct wp_csv *c, struct wp_diag *d)
{
    const char *path = wp_reader_path(c->r);
    long line = wp_reader_lineno(c->r);
    switch (c->cb_err) {
    case WP_ERR_LIMIT:
        if (c->cb_err_long_field)
            return wp_diag_set(d, WP_ERR_LIMIT, path, line, c->cb_err_col,
                               "field longer than %ld KiB", WP_CSV_MAX_FIELD >> 10);
        return wp_diag_set(d, WP_ERR_LIMIT, path, line, c->cb_err_col,
                           "more than %d fields in one record", WP_CSV_MAX_FIELDS);
    default:
        return wp_diag_set(d, WP_ERR_NOMEM, path, line, 0, "out of memory");
    }
}

static enum wp_err parse_fail(struct wp_csv *c, struct wp_diag *d, bool at_end)
{
    const char *path = wp_reader_path(c->r);
    if (csv_error(&c->p) == CSV_ETOOBIG)
        return wp_diag_set(d, WP_ERR_LIMIT, path, wp_reader_lineno(c->r), (long)c->n_fields + 1,
                           "field longer than %ld KiB", WP_CSV_MAX_FIELD >> 10);
    if (at_end)
        return wp_diag_set(d, WP_ERR_PARSE, path, c->cur_line, (long)c->n_fields + 1,
                           "unterminated quoted field: the file ends inside quotes");
    return wp_diag_set(d, WP_ERR_PARSE, path, wp_reader_lineno(c->r), (long)c->n_fields + 1,
                       "%s", csv_strerror(csv_error(&c->p)));
}

static enum wp_err raw_append(struct wp_csv *c, const char *s, size_t len, struct wp_diag *d)
{
    if (!GROW(c->raw, c->raw_cap, c->raw_len + len + 2))
        return wp_diag_set(d, WP_ERR_NOMEM, wp_reader_path(c->r), 0, 0, "out of memory");
    memcpy(c->raw + c->raw_len, s, len);
    c->raw_len += len;
    c->raw[c->raw_len] = '\0';
    return WP_OK;
}

/* Gives each record completed by the last feed its verbatim text (the lines fed since
 * the previous record, without line ends) and end offset. */
static enum wp_err attach_raw(struct wp_csv *c, bool cut, struct wp_diag *d)
{
    if (!c->q_len)
        return WP_OK;
    enum wp_err e;
    if (!c->raw && (e = raw_append(c, "", 0, d))) /* a record whose lines went before */
        return e;
    size_t done = c->off_len - c->n_fields; /* fields of the queued records */
    size_t n = c->raw_len;
    while (n > 0 && (c->raw[n - 1] == '\r' || c->raw[n - 1] == '\n'))
        n--;
    if (!GROW(c->ptrs, c->ptrs_cap, done ? done : 1))
        return wp_diag_set(d, WP_ERR_NOMEM, wp_reader_path(c->r), 0, 0, "out of memory");
    for (size_t i = 0; i < done; i++)
        c->ptrs[i] = c->text + c->off[i];
    /* the lines read become the records' text; the next record's lines go to the other
     * buffer (raw_len is reset below) */
    char *t = c->raw_out;
    size_t t_cap = c->raw_out_cap;
    c->raw_out = c->raw;
    c->raw_out_cap = c->raw_cap;
    c->raw = t;
    c->raw_cap = t_cap;
    c->raw_out[n] = '\0';
    for (size_t i = 0; i < c->q_len; i++) {
        struct wp_csv_record *rec = &c->q[i];
        rec->fields = c->ptrs + c->q_first[i];
        rec->raw = c->raw_out;
        rec->raw_len = n;
        rec->is_cut = cut;
        rec->end_offset = wp_reader_offset(c->r);
    }
    if (c->q_len)
        c->raw_len = 0;
    return WP_OK;
}

enum wp_err wp_csv_open(struct wp_reader *r, struct wp_csv **out, struct wp_diag *d)
{
    struct wp_csv *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c || csv_init(&c->p, CSV_APPEND_NULL) != 0) {
        free(c);
        return wp_diag_set(d, WP_ERR_NOMEM, wp_reader_path(r), 0, 0, "out of memory");
    }
    c->p_init = true;
    csv_set_realloc_func(&c->p, bounded_realloc);
    c->r = r;
    c->first_line = true;
    *out = c;
    return WP_OK;
}

void wp_csv_close(struct wp_csv *c)
{
    if (!c)
        return;
    free(c->q);
    free(c->q_first);
    free(c->text);
    free(c->off);
    free(c->ptrs);
    free(c->raw);
    free(c->raw_out);
    free(c->conv);
    if (c->p_init)
        csv_free(&c->p);
    free(c);
}

/* A line with no quote and no carriage return inside needs no CSV state machine: split it
 * on commas here (what libcsv would give: fields trimmed of spaces and tabs, a blank line
 * no record), which is most lines of most logs and much faster.  Returns false when the
 * line needs libcsv. */
static bool split_plain(struct wp_csv *c, const char *line, size_t len)
{
    size_t n = len;
    if (n && line[n - 1] == '\r')
        n--;
    if (c->p.pstate != 0 || memchr(line, '"', n) || memchr(line, '\r', n))
        return false;
    size_t blank = 0;
    while (blank < n && (line[blank] == ' ' || line[blank] == '\t'))
        blank++;
    if (blank == n)
        return true; /* a blank line is no record */
    /* a line that is UTF-8 splits at commas, spaces and tabs into fields that are */
    c->line_is_utf8 = wp_utf8_valid(line, n);
    const char *p = line, *end = line + n;
    for (;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end, *a = p, *b = stop;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b - a > WP_CSV_MAX_FIELD && !c->cb_err) { /* the bound libcsv's realloc keeps */
            c->cb_err = WP_ERR_LIMIT;
            c->cb_err_long_field = true;
            c->cb_err_col = (long)c->n_fields + 1;
        }
        on_field((void *)a, (size_t)(b - a), c);
        if (!comma)
            break;
        p = comma + 1;
    }
    c->line_is_utf8 = false; /* libcsv's fields are checked one by one */
    on_row('\n', c);
    return true;
}

/* Feeds one more physical line (or end of file) to libcsv. */
static enum wp_err feed(struct wp_csv *c, struct wp_diag *d)
{
    const char *line;
    size_t len;
    bool nl;
    enum wp_err e = WP_OK;
    /* empty lines between records are no records: passed in bulk (a file of millions) */
    if (c->p.pstate == 0 && !c->first_line)
        e = wp_reader_skip_empty(c->r, d);
    if (!e)
        e = wp_reader_line(c->r, &line, &len, &nl, d);
    if (e)
        return e;
    if (!line) {
        c->eof = true;
        bool open_quote = c->p.pstate != 0 && c->p.quoted;
        if (open_quote)
            return parse_fail(c, d, true);
        csv_fini(&c->p, on_field, on_row, c);
        if (c->cb_err)
            return cb_fail(c, d);
        return attach_raw(c, true, d);
    }
    if (c->first_line) {
        c->first_line = false;
        if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
            line += 3;
            len -= 3;
        }
    }
    if (c->p.pstate == 0) { /* a record starts here */
        c->cur_line = wp_reader_lineno(c->r);
        c->raw_len = 0;
    }
    if ((e = raw_append(c, line, len, d)) || (nl && (e = raw_append(c, "\n", 1, d))))
        return e;
    if (nl && split_plain(c, line, len)) {
        if (c->cb_err)
            return cb_fail(c, d);
        return attach_raw(c, false, d);
    }
    if (csv_parse(&c->p, line, len, on_field, on_row, c) != len)
        return parse_fail(c, d, false);
    if (nl && csv_parse(&c->p, "\n", 1, on_field, on_row, c) != 1)
        return parse_fail(c, d, false);
    if (c->cb_err)
        return cb_fail(c, d);
    return attach_raw(c, false, d);
}

enum wp_err wp_csv_next(struct wp_csv *c, struct wp_csv_record **rec, bool *done,
                        struct wp_diag *d)
{
    *done = false;
    *rec = NULL;
    if (c->q_next < c->q_len) {
        *rec = &c->q[c->q_next++];
        return WP_OK;
    }
    clear_queue(c);
    while (!c->eof) {
        enum wp_err e = feed(c, d);
        if (e)
            return e;
        if (c->q_len) {
            *rec = &c->q[c->q_next++];
            return WP_OK;
        }
    }
    *done = true;
    return WP_OK;
}

bool wp_csv_more(struct wp_csv *c, struct wp_csv_record **rec, enum wp_err *e,
                 struct wp_diag *d)
{
    bool done;
    *e = wp_csv_next(c, rec, &done, d);
    return !*e && !done;
}

const char *wp_csv_path(const struct wp_csv *c)
{
    return wp_reader_path(c->r);
}

enum wp_err wp_csv_each(const char *path, const struct wp_csv_each *each, bool *has_header,
                        char *sha256, struct wp_diag *d)
{
    struct wp_reader *r = NULL;
    struct wp_csv *csv = NULL;
    *has_header = false;
    enum wp_err e = wp_reader_open(path, &r, d);
    if (!e)
        e = wp_csv_open(r, &csv, d);
    struct wp_csv_record *rec;
    while (!e && wp_csv_more(csv, &rec, &e, d)) {
        if (*has_header) {
            e = each->row(each->ctx, rec, d);
        } else {
            *has_header = true;
            e = each->header(each->ctx, rec, d);
        }
    }
    long long size;
    if (!e && sha256)
        e = wp_reader_finish(r, sha256, &size, d);
    wp_csv_close(csv);
    wp_reader_close(r);
    return e;
}
