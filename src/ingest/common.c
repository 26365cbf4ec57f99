/* Shared parsing pieces (see common.h): durations, quantities with units, JSON read whole
 * within a bound. */
#include "ingest/common.h"

#include "ingest/csv.h"
#include "util/array.h"
#include "util/sha256.h"
#include "util/text.h"

#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- durations ---------------------------------------------------------------------- */

bool wp_hms_parse(const char *s, double *seconds)
{
    while (*s == ' ' || *s == '\t')
        s++;
    double sign = 1.0;
    if (*s == '-') {
        sign = -1.0;
        s++;
    }
    char *end;
    if (!isdigit((unsigned char)*s))
        return false;
    long h = strtol(s, &end, 10);
    if (*end != ':' || h < 0 || h > 10000000)
        return false;
    s = end + 1;
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':')
        return false;
    int m = (s[0] - '0') * 10 + (s[1] - '0');
    s += 3;
    double sec;
    if (!isdigit((unsigned char)*s) || wp_parse_num(s, &sec) != WP_NUM_OK)
        return false;
    if (m > 59 || sec < 0 || sec >= 61)
        return false;
    *seconds = sign * ((double)h * 3600.0 + m * 60.0 + sec);
    return true;
}

/* ---- quantities --------------------------------------------------------------------- */

enum wp_num wp_parse_quantity(const char *s, const char *unit, double *out)
{
    char buf[128];
    *out = NAN;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n >= sizeof buf)
        return WP_NUM_INVALID;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (n >= 2 && buf[0] == '[' && buf[n - 1] == ']')
        return WP_NUM_MISSING;
    size_t ul = strlen(unit);
    if (ul && n > ul && memcmp(buf + n - ul, unit, ul) == 0 &&
        (buf[n - ul - 1] == ' ' || buf[n - ul - 1] == '.' ||
         isdigit((unsigned char)buf[n - ul - 1]))) {
        /* "245.31 W" (most values of a log with units): the text before the unit is what
         * the steps below would parse, so parse it once */
        size_t k = n - ul;
        while (k && buf[k - 1] == ' ')
            k--;
        buf[k] = '\0';
        return wp_parse_num(buf, out);
    }
    enum wp_num r = wp_parse_num(buf, out);
    if (r != WP_NUM_INVALID)
        return r;
    /* "245.31 W" or "245.31W": a number, then the unit */
    char *sp = strrchr(buf, ' ');
    const char *written;
    if (sp) {
        *sp = '\0';
        written = sp + 1;
        while (sp > buf && sp[-1] == ' ')
            *--sp = '\0';
    } else if (ul && n > ul && strcmp(buf + n - ul, unit) == 0) {
        buf[n - ul] = '\0';
        written = unit;
    } else {
        return WP_NUM_INVALID;
    }
    if (strcmp(written, unit) != 0)
        return WP_NUM_INVALID;
    return wp_parse_num(buf, out); /* "nan g" is missing too */
}

/* Copies n bytes of s into dst[size] as a C string, truncated to fit. */
static void copy_cut(char *dst, size_t size, const char *s, size_t n)
{
    if (!size)
        return;
    if (n >= size)
        n = size - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

void wp_name_unit(const char *name, char *base, size_t base_size, char *unit,
                  size_t unit_size)
{
    /* by hand rather than snprintf: every detector splits every header name */
    const char *open = strrchr(name, '[');
    const char *close = open ? strchr(open, ']') : NULL;
    size_t bl = open && close ? (size_t)(open - name) : strlen(name);
    while (bl && name[bl - 1] == ' ')
        bl--;
    copy_cut(base, base_size, name, bl);
    if (open && close)
        copy_cut(unit, unit_size, open + 1, (size_t)(close - open - 1));
    else if (unit_size)
        unit[0] = '\0';
}

void wp_fmt_num(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, size, "%.17g", v);
}

/* ---- detection helpers -------------------------------------------------------------- */

char wp_head_first_char(const char *head, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && isspace((unsigned char)head[i]))
        i++;
    return i < len ? head[i] : '\0';
}

bool wp_head_has(const char *head, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0 || n > len)
        return n == 0;
    for (const char *p = head; (size_t)(p - head) + n <= len;) {
        const char *q = memchr(p, needle[0], len - (size_t)(p - head) - n + 1);
        if (!q)
            return false;
        if (memcmp(q, needle, n) == 0)
            return true;
        p = q + 1;
    }
    return false;
}

/* ---- rows and extras ---------------------------------------------------------------- */

enum wp_err wp_bad_row(struct wp_sink *sink, const char *path, long line, long col,
                       const char *raw, struct wp_diag *d, const char *fmt, ...)
{
    struct wp_diag tmp;
    struct wp_diag *dd = d ? d : &tmp;
    va_list ap;
    va_start(ap, fmt);
    wp_diag_set_file(dd, path);
    dd->line = line;
    dd->col = col;
    vsnprintf(dd->msg, sizeof dd->msg, fmt, ap);
    va_end(ap);
    return sink->bad_row(sink->ctx, raw ? raw : "", dd);
}

void wp_extras_init(struct wp_extras *x)
{
    x->n = x->dropped = 0;
}

static bool extras_room(struct wp_extras *x)
{
    if (x->n < WP_EXTRAS_MAX)
        return true;
    x->dropped++;
    return false;
}

void wp_extras_text(struct wp_extras *x, const char *key, const char *value)
{
    if (!value || !*value || !extras_room(x))
        return;
    x->keys[x->n] = key;
    x->values[x->n++] = value;
}

void wp_extras_text_copy(struct wp_extras *x, const char *key, const char *value)
{
    if (!value || !*value || !extras_room(x))
        return;
    wp_strlcpy_utf8(x->key_buf[x->n], key, sizeof x->key_buf[x->n]);
    x->keys[x->n] = x->key_buf[x->n];
    x->values[x->n++] = value;
}

void wp_extras_num(struct wp_extras *x, const char *key, double v)
{
    if (isnan(v) || !extras_room(x))
        return;
    wp_strlcpy_utf8(x->key_buf[x->n], key, sizeof x->key_buf[x->n]);
    wp_fmt_num(x->num_buf[x->n], sizeof x->num_buf[x->n], v);
    x->keys[x->n] = x->key_buf[x->n];
    x->values[x->n] = x->num_buf[x->n];
    x->n++;
}

void wp_extras_attach(const struct wp_extras *x, struct wp_measurement *m)
{
    m->n_extra = x->n;
    m->extra_keys = x->keys;
    m->extra_values = x->values;
}

/* ---- JSON --------------------------------------------------------------------------- */

static enum wp_err append(char **buf, size_t *len, size_t *cap, const char *s, size_t n,
                          const char *path, long line, struct wp_diag *d)
{
    if (*len + n + 1 > WP_JSON_MAX_BYTES)
        return wp_diag_set(d, WP_ERR_LIMIT, path, line, 0,
                           "JSON document larger than %zu MiB", WP_JSON_MAX_BYTES >> 20);
    if (WP_ARRAY_GROW(*buf, *len + n + 1, *cap))
        return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return WP_OK;
}

/* Python's json module writes NaN, Infinity and -Infinity, which JSON does not have:
 * outside strings they become null (a value that is not a finite number is no value). */
static enum wp_err python_nonfinite(struct wp_json_doc *doc, const char *path,
                                    struct wp_diag *d)
{
    static const char *const words[] = {"-Infinity", "Infinity", "NaN"};
    bool in_str = false, any = false;
    for (size_t i = 0; i < doc->len && !any; i++) {
        char c = doc->text[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == 'N' || c == 'I' || c == '-') {
            for (size_t w = 0; w < 3; w++)
                any |= strncmp(doc->text + i, words[w], strlen(words[w])) == 0;
        }
    }
    if (!any)
        return WP_OK;
    char *out = NULL;
    size_t len = 0, cap = 0;
    enum wp_err e = WP_OK;
    in_str = false;
    for (size_t i = 0; i < doc->len && !e; i++) {
        char c = doc->text[i];
        size_t skip = 0;
        if (in_str) {
            if (c == '\\' && i + 1 < doc->len) {
                e = append(&out, &len, &cap, doc->text + i, 2, path, 0, d);
                i++;
                continue;
            }
            in_str = c != '"';
        } else if (c == '"') {
            in_str = true;
        } else {
            for (size_t w = 0; w < 3 && !skip; w++)
                if (strncmp(doc->text + i, words[w], strlen(words[w])) == 0)
                    skip = strlen(words[w]);
        }
        if (skip) {
            e = append(&out, &len, &cap, "null", 4, path, 0, d);
            i += skip - 1;
        } else {
            e = append(&out, &len, &cap, &c, 1, path, 0, d);
        }
    }
    if (e) {
        free(out);
        return e;
    }
    free(doc->text);
    doc->text = out;
    doc->len = len;
    return WP_OK;
}

/* The hash of a JSON value as parsed (layout, key order and the order of array elements
 * do not count): an object is the multiset of its members, each the hash of its key and
 * its value's hash; an array the multiset of its elements' hashes (a multiset: the count
 * and the sum of the hashes modulo 2^256, as the rows of a text log); a number its value
 * (an integral one below 2^53 written as an integer, so that 1 and 1.0 agree), a string its
 * bytes; each behind a tag.  No memory but the recursion's: one context h serves every
 * value in turn. */
static enum wp_err value_hash(struct wp_sha256 *h, json_t *v, unsigned char md[32]);

/* tag || count (8 bytes, big-endian) || sum, through h, into md. */
static enum wp_err multiset_hash(struct wp_sha256 *h, const char *tag, size_t count,
                                 const unsigned char sum[32], unsigned char md[32])
{
    unsigned char n[8];
    for (int b = 0; b < 8; b++)
        n[b] = (unsigned char)((unsigned long long)count >> (56 - 8 * b));
    enum wp_err e = wp_sha256_update(h, tag, 1);
    if (!e)
        e = wp_sha256_update(h, n, sizeof n);
    if (!e)
        e = wp_sha256_update(h, sum, 32);
    return e ? e : wp_sha256_next(h, md);
}

static enum wp_err object_hash(struct wp_sha256 *h, json_t *v, unsigned char md[32])
{
    unsigned char sum[32] = {0}, sub[32];
    const char *key;
    json_t *value;
    size_t n = 0;
    enum wp_err e = WP_OK;
    json_object_foreach(v, key, value) {
        /* the value first: h holds one hash at a time */
        if ((e = value_hash(h, value, sub)) || (e = wp_sha256_update(h, "m", 1)) ||
            (e = wp_sha256_update(h, sub, sizeof sub)) ||
            (e = wp_sha256_update(h, key, strlen(key))) || (e = wp_sha256_next(h, sub)))
            return e;
        wp_sha256_sum_add(sum, sub);
        n++;
    }
    return multiset_hash(h, "{", n, sum, md);
}

static enum wp_err array_hash(struct wp_sha256 *h, json_t *v, unsigned char md[32])
{
    unsigned char sum[32] = {0}, sub[32];
    size_t n = json_array_size(v);
    for (size_t i = 0; i < n; i++) {
        enum wp_err e = value_hash(h, json_array_get(v, i), sub);
        if (e)
            return e;
        wp_sha256_sum_add(sum, sub);
    }
    return multiset_hash(h, "[", n, sum, md);
}

static enum wp_err value_hash(struct wp_sha256 *h, json_t *v, unsigned char md[32])
{
    char num[48];
    enum wp_err e;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return object_hash(h, v, md);
    case JSON_ARRAY:
        return array_hash(h, v, md);
    case JSON_STRING:
        e = wp_sha256_update(h, "s", 1);
        if (!e)
            e = wp_sha256_update(h, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        snprintf(num, sizeof num, "n%" JSON_INTEGER_FORMAT, json_integer_value(v));
        e = wp_sha256_update(h, num, strlen(num));
        break;
    case JSON_REAL: {
        double x = json_real_value(v);
        if (x == floor(x) && fabs(x) < 9007199254740992.0)
            snprintf(num, sizeof num, "n%lld", (long long)x);
        else
            snprintf(num, sizeof num, "n%.17g", x);
        e = wp_sha256_update(h, num, strlen(num));
        break;
    }
    case JSON_TRUE:
        e = wp_sha256_update(h, "t", 1);
        break;
    case JSON_FALSE:
        e = wp_sha256_update(h, "f", 1);
        break;
    default:
        e = wp_sha256_update(h, "z", 1);
        break;
    }
    return e ? e : wp_sha256_next(h, md);
}

/* Gives the reader the hash of the document as parsed (see value_hash). */
static enum wp_err values_hash(struct wp_reader *r, json_t *root, struct wp_diag *d)
{
    struct wp_sha256 *h = wp_sha256_new();
    unsigned char md[32];
    char hex[65];
    enum wp_err e = h ? value_hash(h, root, md) : WP_ERR_NOMEM;
    wp_sha256_free(h);
    if (e)
        return wp_diag_set(d, WP_ERR_NOMEM, wp_reader_path(r), 0, 0, "out of memory");
    wp_sha256_to_hex(md, hex);
    wp_reader_set_rows_sha256(r, hex);
    return WP_OK;
}

enum wp_err wp_json_read(struct wp_reader *r, struct wp_json_doc *doc, struct wp_diag *d)
{
    memset(doc, 0, sizeof *doc);
    const char *path = wp_reader_path(r);
    size_t cap = 0;
    enum wp_err e;
    for (;;) {
        const char *line;
        size_t n;
        bool nl;
        if ((e = wp_reader_line(r, &line, &n, &nl, d)))
            goto fail;
        if (!line)
            break;
        if (doc->len == 0 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
            line += 3; /* a BOM is not part of the document */
            n -= 3;
        }
        long lineno = wp_reader_lineno(r);
        if ((e = append(&doc->text, &doc->len, &cap, line, n, path, lineno, d)) ||
            (nl && (e = append(&doc->text, &doc->len, &cap, "\n", 1, path, lineno, d))))
            goto fail;
    }
    if (!doc->text) {
        e = wp_diag_set(d, WP_ERR_PARSE, path, 0, 0, "empty file: no JSON document");
        goto fail;
    }
    if (memchr(doc->text, '\0', doc->len)) {
        e = wp_diag_set(d, WP_ERR_PARSE, path, 0, 0, "binary data (NUL bytes): not JSON");
        goto fail;
    }
    if ((e = python_nonfinite(doc, path, d)))
        goto fail;
    json_error_t err;
    doc->root = json_loadb(doc->text, doc->len, JSON_REJECT_DUPLICATES, &err);
    if (!doc->root) {
        e = wp_diag_set(d, WP_ERR_PARSE, path, err.line > 0 ? err.line : 0,
                        err.column > 0 ? err.column : 0, "invalid JSON: %s", err.text);
        goto fail;
    }
    if ((e = values_hash(r, doc->root, d)))
        goto fail;
    return WP_OK;
fail:
    wp_json_doc_free(doc);
    return e;
}

void wp_json_doc_free(struct wp_json_doc *doc)
{
    if (doc->root)
        json_decref(doc->root);
    free(doc->text);
    memset(doc, 0, sizeof *doc);
}

long wp_json_key_line(const struct wp_json_doc *doc, const char *key, size_t *from)
{
    size_t kl = strlen(key);
    for (size_t i = *from; doc->text && i + kl + 2 <= doc->len; i++) {
        if (doc->text[i] != '"' || memcmp(doc->text + i + 1, key, kl) != 0 ||
            doc->text[i + 1 + kl] != '"')
            continue;
        size_t j = i + kl + 2;
        while (j < doc->len && isspace((unsigned char)doc->text[j]))
            j++;
        if (j >= doc->len || doc->text[j] != ':')
            continue;
        long line = 1;
        for (size_t k = 0; k < i; k++)
            line += doc->text[k] == '\n';
        *from = j + 1;
        return line;
    }
    return 0;
}

enum wp_num wp_json_num(const json_t *obj, const char *key, double *out)
{
    *out = NAN;
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (!v || json_is_null(v))
        return WP_NUM_MISSING;
    if (!json_is_number(v))
        return WP_NUM_INVALID;
    double x = json_number_value(v);
    if (!isfinite(x) || !wp_num_in_bounds(x))
        return WP_NUM_RANGE;
    *out = x;
    return WP_NUM_OK;
}

enum wp_err wp_json_energy(struct wp_sink *sink, const char *path, long line, const json_t *obj,
                           const char *key, double scale, const char *name,
                           const char *negative, const char *note, double *out, bool *is_bad,
                           struct wp_diag *d)
{
    *is_bad = true;
    enum wp_num k = wp_json_num(obj, key, out);
    if (k == WP_NUM_MISSING) {
        *is_bad = false;
        return WP_OK;
    }
    if (k != WP_NUM_OK)
        return wp_bad_row(sink, path, line, 0, "", d, "%s %s", name, wp_num_why(k));
    if (*out < 0)
        return wp_bad_row(sink, path, line, 0, "", d, "%s %.6g%s", negative, *out, note);
    if (isinf(*out * scale))
        return wp_bad_row(sink, path, line, 0, "", d, "%s is out of range in J", name);
    *out *= scale;
    *is_bad = false;
    return WP_OK;
}

const char *wp_json_str(const json_t *obj, const char *key)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : "";
}

bool wp_row_is_cut(const struct wp_csv_record *rec, size_t want)
{
    return rec->is_cut && rec->n < want;
}

/* Warns, once a file (*warned), that a record's text was not UTF-8 and was read as
 * Windows-1252; col is the column the warning names (0: none). */
static void warn_cp1252(struct wp_sink *sink, const char *path, const struct wp_csv_record *rec,
                        long col, bool *warned)
{
    if (!rec->was_cp1252 || *warned)
        return;
    *warned = true;
    wp_report(sink->rep, WP_WARN, path, rec->line, col,
              "text is not valid UTF-8: read as Windows-1252 and converted");
}

enum wp_err wp_csv_walk(struct wp_csv *csv, struct wp_sink *sink, const struct wp_csv_walk *w,
                        bool *have_header, long *rows, struct wp_diag *d)
{
    enum wp_err e;
    struct wp_csv_record *rec;
    bool warned = false;
    *have_header = false;
    *rows = 0;
    while (wp_csv_more(csv, &rec, &e, d)) {
        if (w->cp1252 != WP_CP1252_QUIET)
            warn_cp1252(sink, wp_csv_path(csv), rec,
                        w->cp1252 == WP_CP1252_WARN_AT_COL ? rec->cp1252_col : 0, &warned);
        if (!*have_header || (w->header_again && rec->n > 1 && w->header_again(rec))) {
            if ((e = w->header(w->ctx, rec, d)))
                break;
            *have_header = true;
            sink->consumed = rec->end_offset;
            continue;
        }
        bool is_old = rec->end_offset <= sink->skip_until;
        if (is_old && !w->old_rows) {
            sink->consumed = rec->end_offset;
            continue;
        }
        *rows += !is_old;
        if ((e = w->row(w->ctx, rec, d)))
            break;
        if (!wp_row_is_cut(rec, *w->width))
            sink->consumed = rec->end_offset;
    }
    return e;
}

void wp_csv_no_data(struct wp_sink *sink, bool have_header, long rows, const char *empty,
                    const char *header_only)
{
    if (!have_header)
        snprintf(sink->no_data, sizeof sink->no_data, "%s", empty);
    else if (!rows && !sink->skip_until)
        snprintf(sink->no_data, sizeof sink->no_data, "%s", header_only);
}

enum wp_err wp_row_width(struct wp_sink *sink, const char *path,
                         const struct wp_csv_record *rec, size_t want, bool *skip,
                         struct wp_diag *d)
{
    *skip = rec->n != want;
    if (!*skip)
        return WP_OK;
    if (wp_row_is_cut(rec, want)) {
        wp_report(sink->rep, WP_WARN, path, rec->line, 0,
                  "last line cut off mid-write (%zu of %zu fields): not ingested; ingest the "
                  "file again once it is complete",
                  rec->n, want);
        return WP_OK;
    }
    return wp_bad_row(sink, path, rec->line, (long)(rec->n < want ? rec->n : want + 1),
                      rec->raw, d, "expected %zu fields, found %zu", want, rec->n);
}
