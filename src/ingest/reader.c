/* Streaming line reader (see reader.h).  Raw bytes are hashed as they are read; gzip
 * content is inflated with zlib into the same line buffer, and the content (decoded) is
 * hashed again as it enters the buffer, normalized: row by row, the row hashes added up so
 * that their order does not count (wp_reader_rows_sha256), and as one text, the hash that
 * file versions stored before the set-of-rows hash hold (wp_reader_rows_sha256_legacy). */
#include "ingest/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "util/sha256.h"

#define RAW_CHUNK (256 * 1024)

struct wp_reader {
    const char *path;
    int fd;
    bool is_stdin, is_gzip, raw_eof, z_done;
    struct wp_sha256 *sha;
    long long raw_bytes, content_bytes;
    unsigned char *raw;       /* raw chunk (gzip input) */
    size_t raw_len, raw_pos;
    z_stream z;
    bool z_init;
    char *buf;                /* decompressed content: [pos, end) unread */
    size_t cap, pos, end;
    long lineno;
    long long consumed;
    /* the normalized content hash: a UTF-8 BOM at the start dropped (bom counts its bytes
     * matched so far, -1 once past it), "\r\n" read as "\n" (cr: a '\r' held back),
     * newlines held back (nl) until more text follows, so that the end is one '\n' */
    struct wp_sha256 *rows;
    bool typed; /* plain or gzip decided: content bytes are hashed from then on */
    bool cr, any, rows_failed;
    int bom;
    long long nl;
    char legacy_hex[65]; /* set by wp_reader_finish */
    /* the rows as a multiset: each non-empty normalized line hashed alone (row), the
     * hashes added modulo 2^256 (sum, big-endian) and counted */
    struct wp_sha256 *row;
    bool row_open;
    unsigned char sum[32];
    long long n_rows;
    char rows_hex[65]; /* set by wp_reader_finish, or by the parser (values_hex) */
    bool has_values_hash;
    /* the first rows: the sum of the first two's hashes (head_sum, hex, once there are two),
     * and the rows hash at the counts wp_reader_prefixes asks for (marks, ascending; mark_i
     * the next), with the content offset just past each */
    char head_sum[65];
    struct wp_rows_prefix *marks;
    size_t n_marks, mark_i;
    /* the sum before the last row, and whether that row ended without a newline (at the end
     * of the content: a line that may be cut mid-write); set by wp_reader_finish: the rows
     * hash of the rows before such a line */
    unsigned char prev_sum[32];
    bool last_open;
    char but_last_hex[65];
    /* set once wp_reader_finish has succeeded: what it gives again */
    bool finished;
    char sha_hex[65];
};

static const unsigned char utf8_bom[3] = {0xef, 0xbb, 0xbf};

static void rows_put(struct wp_reader *r, const void *p, size_t n)
{
    if (n && wp_sha256_update(r->rows, p, n))
        r->rows_failed = true;
}

/* The rows hash of n rows whose hashes sum to sum into hex: SHA-256("wattprint rows 2" ||
 * n as 8 bytes big-endian || sum), through r->row (empty between rows); last: no row
 * follows, r->row is spent (starting it again costs OpenSSL 3 as much as the hash: a small
 * file's whole rows hash, 0.7 % of the study's ingest). */
static bool rows_hash_of(struct wp_reader *r, long long n, const unsigned char sum[32],
                         bool last, char hex[65])
{
    unsigned char count[8], md[32];
    for (int i = 0; i < 8; i++)
        count[i] = (unsigned char)((unsigned long long)n >> (56 - 8 * i));
    if (wp_sha256_update(r->row, "wattprint rows 2", 16) ||
        wp_sha256_update(r->row, count, sizeof count) || wp_sha256_update(r->row, sum, 32))
        return false;
    if (last)
        return wp_sha256_hex(r->row, hex) == WP_OK;
    if (wp_sha256_next(r->row, md))
        return false;
    wp_sha256_to_hex(md, hex);
    return true;
}

/* The rows hash of the rows so far (rows_hash_of). */
static bool rows_hash_now(struct wp_reader *r, bool last, char hex[65])
{
    return rows_hash_of(r, r->n_rows, r->sum, last, hex);
}

/* A line ends, at content offset `end` (nl: with a newline, else at the end of the
 * content): a non-empty one is a row, its hash added to the sum; the rows so far hashed
 * where a prefix is asked for. */
static void row_end(struct wp_reader *r, long long end, bool nl)
{
    unsigned char md[32];
    if (!r->row_open)
        return;
    r->row_open = false;
    if (wp_sha256_next(r->row, md)) {
        r->rows_failed = true;
        return;
    }
    memcpy(r->prev_sum, r->sum, sizeof r->sum);
    r->last_open = !nl;
    wp_sha256_sum_add(r->sum, md);
    r->n_rows++;
    if (r->n_rows == 2)
        wp_sha256_to_hex(r->sum, r->head_sum);
    while (r->mark_i < r->n_marks && r->marks[r->mark_i].rows <= r->n_rows) {
        struct wp_rows_prefix *m = &r->marks[r->mark_i++];
        if (m->rows != r->n_rows)
            continue; /* asked twice, or for 0 rows: none */
        m->end = end;
        if (!rows_hash_now(r, false, m->sha256))
            r->rows_failed = true;
    }
}

/* Emits the newlines held back (a run of millions goes in blocks), then n bytes of text. */
static void rows_text(struct wp_reader *r, const void *p, size_t n)
{
    char lf[4096];
    if (r->nl > 0)
        memset(lf, '\n', sizeof lf);
    while (r->nl > 0) {
        size_t k = r->nl < (long long)sizeof lf ? (size_t)r->nl : sizeof lf;
        rows_put(r, lf, k);
        r->nl -= (long long)k;
    }
    rows_put(r, p, n);
    r->any = true;
    if (n && wp_sha256_update(r->row, p, n))
        r->rows_failed = true;
    r->row_open = r->row_open || n > 0;
}

/* Hashes content bytes as they arrive (the first at content offset `base`), normalized:
 * the same rows gzipped, with CRLF line ends, a BOM, or blank lines added at the end hash
 * the same. */
static void rows_feed(struct wp_reader *r, long long base, const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (r->bom >= 0) {
            if ((unsigned char)p[i] == utf8_bom[r->bom]) {
                i++;
                if (++r->bom == 3)
                    r->bom = -1;
                continue;
            }
            int held = r->bom;
            r->bom = -1;
            if (held)
                rows_text(r, utf8_bom, (size_t)held);
        }
        if (r->cr) {
            r->cr = false;
            if (p[i] != '\n')
                rows_text(r, "\r", 1);
        }
        if (p[i] == '\r') {
            r->cr = true;
            i++;
            continue;
        }
        if (p[i] == '\n') {
            r->nl++;
            row_end(r, base + (long long)i + 1, true);
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && p[j] != '\r' && p[j] != '\n')
            j++;
        rows_text(r, p + i, j - i);
        i = j;
    }
}

static enum wp_err io_fail(struct wp_reader *r, struct wp_diag *d, const char *what)
{
    return wp_diag_set(d, WP_ERR_IO, r->path, 0, 0, "%s: %s", what, strerror(errno));
}

/* Reads up to n raw bytes into dst, hashing them; *got is 0 at end of file. */
static enum wp_err read_raw(struct wp_reader *r, void *dst, size_t n, size_t *got,
                            struct wp_diag *d)
{
    ssize_t k;
    do
        k = read(r->fd, dst, n);
    while (k < 0 && errno == EINTR);
    if (k < 0)
        return io_fail(r, d, "cannot read");
    *got = (size_t)k;
    r->raw_bytes += k;
    if (k == 0)
        r->raw_eof = true;
    else if (wp_sha256_update(r->sha, dst, (size_t)k))
        return wp_diag_set(d, WP_ERR_NOMEM, r->path, 0, 0, "out of memory");
    return WP_OK;
}

/* Makes room for at least `want` more bytes after r->end, compacting or growing. */
static enum wp_err make_room(struct wp_reader *r, size_t want, struct wp_diag *d)
{
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->end -= r->pos;
        r->pos = 0;
    }
    if (r->cap - r->end >= want)
        return WP_OK;
    size_t cap = r->cap ? r->cap : RAW_CHUNK;
    while (cap - r->end < want)
        cap *= 2;
    if (cap > (size_t)WP_READER_MAX_LINE + 2 * RAW_CHUNK)
        return wp_diag_set(d, WP_ERR_LIMIT, r->path, r->lineno + 1, 0,
                           "line longer than %ld MiB", WP_READER_MAX_LINE >> 20);
    char *b = realloc(r->buf, cap);
    if (!b)
        return wp_diag_set(d, WP_ERR_NOMEM, r->path, 0, 0, "out of memory");
    r->buf = b;
    r->cap = cap;
    return WP_OK;
}

static enum wp_err inflate_more(struct wp_reader *r, struct wp_diag *d)
{
    enum wp_err e;
    for (;;) {
        if (r->raw_pos == r->raw_len && !r->raw_eof) {
            if ((e = read_raw(r, r->raw, RAW_CHUNK, &r->raw_len, d)))
                return e;
            r->raw_pos = 0;
        }
        if (r->z_done || (r->raw_pos == r->raw_len && r->raw_eof))
            return WP_OK; /* end of content */
        r->z.next_in = r->raw + r->raw_pos;
        r->z.avail_in = (uInt)(r->raw_len - r->raw_pos);
        r->z.next_out = (Bytef *)r->buf + r->end;
        r->z.avail_out = (uInt)(r->cap - r->end);
        int zr = inflate(&r->z, Z_NO_FLUSH);
        size_t out = (r->cap - r->end) - r->z.avail_out;
        rows_feed(r, r->content_bytes, r->buf + r->end, out);
        r->raw_pos = r->raw_len - r->z.avail_in;
        r->end += out;
        r->content_bytes += (long long)out;
        if (zr == Z_STREAM_END) {
            /* concatenated gzip members are one stream, as gunzip reads them */
            if (r->raw_pos < r->raw_len || !r->raw_eof) {
                inflateReset(&r->z);
            } else {
                r->z_done = true;
            }
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            return wp_diag_set(d, WP_ERR_PARSE, r->path, 0, 0, "corrupt gzip data: %s",
                               r->z.msg ? r->z.msg : "inflate failed");
        }
        if (r->content_bytes > (long long)WP_READER_MAX_RATIO * r->raw_bytes + (16LL << 20))
            return wp_diag_set(d, WP_ERR_LIMIT, r->path, 0, 0,
                               "gzip data expands more than %d-fold: refusing a likely "
                               "decompression bomb", WP_READER_MAX_RATIO);
        if (out > 0)
            return WP_OK;
        if (zr == Z_BUF_ERROR && r->raw_eof && r->raw_pos == r->raw_len)
            return wp_diag_set(d, WP_ERR_PARSE, r->path, 0, 0, "gzip data ends early");
    }
}

/* Appends more content after r->end; leaves r->end unchanged at end of content. */
static enum wp_err fill(struct wp_reader *r, struct wp_diag *d)
{
    /* Nothing to make room for at the end of a plain file; and half a chunk of room is
     * enough to read into, so that a peek past the end of a small file does not double
     * (and copy) the buffer for nothing, once per file. */
    if (r->raw_eof && !r->is_gzip)
        return WP_OK;
    enum wp_err e = make_room(r, RAW_CHUNK / 2, d);
    if (e)
        return e;
    if (r->is_gzip)
        return inflate_more(r, d);
    if (r->raw_eof)
        return WP_OK;
    size_t got;
    if ((e = read_raw(r, r->buf + r->end, r->cap - r->end, &got, d)))
        return e;
    if (r->typed)
        rows_feed(r, r->content_bytes, r->buf + r->end, got);
    r->end += got;
    r->content_bytes += (long long)got;
    return WP_OK;
}

/* wp_reader_open, or wp_reader_open_file when st is given; the rows hashed at the counts
 * of marks[0..n_marks) too (wp_reader_prefixes). */
static enum wp_err reader_open(const char *path, const struct stat *st,
                               struct wp_rows_prefix *marks, size_t n_marks,
                               struct wp_reader **out, struct wp_diag *d)
{
    *out = NULL;
    struct wp_reader *r = calloc(1, sizeof *r);
    if (!r)
        return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    r->path = path;
    r->marks = marks;
    r->n_marks = n_marks;
    r->is_stdin = !st && strcmp(path, "-") == 0;
    /* O_NONBLOCK: an open that would wait (a FIFO) returns at once; reads of a regular
     * file never wait on it */
    r->fd = r->is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | (st ? O_NONBLOCK : 0));
    enum wp_err e = WP_OK;
    if (r->fd < 0) {
        e = io_fail(r, d, "cannot open");
        goto fail;
    }
    struct stat now;
    if (st && (fstat(r->fd, &now) != 0 || !S_ISREG(now.st_mode) || now.st_dev != st->st_dev ||
               now.st_ino != st->st_ino)) {
        e = wp_diag_set(d, WP_ERR_IO, path, 0, 0, "no longer the file it was");
        goto fail;
    }
    int flags = st ? fcntl(r->fd, F_GETFL) : 0;
    if (st && (flags < 0 || fcntl(r->fd, F_SETFL, flags & ~O_NONBLOCK) != 0)) {
        e = io_fail(r, d, "cannot read");
        goto fail;
    }
    if (!(r->sha = wp_sha256_new()) || !(r->rows = wp_sha256_new()) ||
        !(r->row = wp_sha256_new())) {
        e = wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
        goto fail;
    }
    if ((e = fill(r, d)))
        goto fail;
    if (r->end >= 2 && (unsigned char)r->buf[0] == 0x1f && (unsigned char)r->buf[1] == 0x8b) {
        /* gzip: what was read so far is raw input for zlib, not content */
        r->is_gzip = true;
        if (!(r->raw = malloc(RAW_CHUNK))) {
            e = wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
            goto fail;
        }
        memcpy(r->raw, r->buf, r->end);
        r->raw_len = r->end;
        r->raw_pos = 0;
        r->end = 0;
        r->content_bytes = 0;
        if (inflateInit2(&r->z, 15 + 16) != Z_OK) {
            e = wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "cannot start gzip decoder");
            goto fail;
        }
        r->z_init = true;
    } else {
        rows_feed(r, 0, r->buf, r->end);
    }
    r->typed = true;
    *out = r;
    return WP_OK;
fail:
    wp_reader_close(r);
    return e;
}

enum wp_err wp_reader_open(const char *path, struct wp_reader **out, struct wp_diag *d)
{
    return reader_open(path, NULL, NULL, 0, out, d);
}

enum wp_err wp_reader_open_file(const char *path, const struct stat *st,
                                struct wp_reader **out, struct wp_diag *d)
{
    return reader_open(path, st, NULL, 0, out, d);
}

/* Closes r's file and frees its buffers and hash states, keeping r and what it computed. */
static void drop_resources(struct wp_reader *r)
{
    if (r->fd >= 0 && !r->is_stdin)
        close(r->fd);
    r->fd = -1;
    if (r->z_init)
        inflateEnd(&r->z);
    r->z_init = false;
    wp_sha256_free(r->sha);
    wp_sha256_free(r->rows);
    wp_sha256_free(r->row);
    r->sha = r->rows = r->row = NULL;
    free(r->raw);
    free(r->buf);
    r->raw = NULL;
    r->buf = NULL;
    r->cap = r->pos = r->end = r->raw_len = r->raw_pos = 0;
}

void wp_reader_close(struct wp_reader *r)
{
    if (!r)
        return;
    drop_resources(r);
    free(r);
}

enum wp_err wp_reader_peek(struct wp_reader *r, size_t want, const char **buf, size_t *len,
                           struct wp_diag *d)
{
    while (r->end - r->pos < want) {
        size_t before = r->end;
        enum wp_err e = fill(r, d);
        if (e)
            return e;
        if (r->end == before)
            break;
    }
    *buf = r->buf + r->pos;
    *len = r->end - r->pos < want ? r->end - r->pos : want;
    return WP_OK;
}

enum wp_err wp_reader_line(struct wp_reader *r, const char **line, size_t *len,
                           bool *has_newline, struct wp_diag *d)
{
    size_t scanned = 0;
    for (;;) {
        char *start = r->buf + r->pos;
        char *nl = r->end > r->pos + scanned
                       ? memchr(start + scanned, '\n', r->end - r->pos - scanned)
                       : NULL;
        if (nl) {
            *line = start;
            *len = (size_t)(nl - start);
            *has_newline = true;
            r->pos += *len + 1;
            r->consumed += (long long)*len + 1;
            r->lineno++;
            return WP_OK;
        }
        scanned = r->end - r->pos;
        if (scanned > (size_t)WP_READER_MAX_LINE)
            return wp_diag_set(d, WP_ERR_LIMIT, r->path, r->lineno + 1, 0,
                               "line longer than %ld MiB", WP_READER_MAX_LINE >> 20);
        size_t before = r->end - r->pos;
        enum wp_err e = fill(r, d);
        if (e)
            return e;
        if (r->end - r->pos == before) { /* end of content */
            if (before == 0) {
                *line = NULL;
                *len = 0;
                *has_newline = false;
                return WP_OK;
            }
            *line = r->buf + r->pos;
            *len = before;
            *has_newline = false;
            r->pos += before;
            r->consumed += (long long)before;
            r->lineno++;
            return WP_OK;
        }
    }
}

enum wp_err wp_reader_skip_empty(struct wp_reader *r, struct wp_diag *d)
{
    for (;;) {
        size_t p = r->pos;
        while (p < r->end && r->buf[p] == '\n')
            p++;
        r->lineno += (long)(p - r->pos);
        r->consumed += (long long)(p - r->pos);
        r->pos = p;
        if (p < r->end)
            return WP_OK;
        enum wp_err e = fill(r, d);
        if (e || r->pos == r->end) /* an error, or the end of content */
            return e;
    }
}

long wp_reader_lineno(const struct wp_reader *r)
{
    return r->lineno;
}

long long wp_reader_offset(const struct wp_reader *r)
{
    return r->consumed;
}

bool wp_reader_is_gzip(const struct wp_reader *r)
{
    return r->is_gzip;
}

bool wp_reader_is_stdin(const struct wp_reader *r)
{
    return r->is_stdin;
}

const char *wp_reader_path(const struct wp_reader *r)
{
    return r->path;
}

void wp_reader_set_name(struct wp_reader *r, const char *name)
{
    r->path = name;
}

enum wp_err wp_reader_finish(struct wp_reader *r, char sha256[65], long long *size,
                             struct wp_diag *d)
{
    if (r->finished) {
        memcpy(sha256, r->sha_hex, sizeof r->sha_hex);
        *size = r->raw_bytes;
        return WP_OK;
    }
    /* hash the content nobody read (a parser may stop early), decoded, then any raw bytes
     * after the end of a gzip stream */
    enum wp_err e;
    for (;;) {
        r->pos = r->end; /* nothing to keep (fill compacts the buffer to empty) */
        long long before = r->content_bytes;
        if ((e = fill(r, d)))
            return e;
        if (r->content_bytes == before)
            break;
    }
    unsigned char tmp[16384];
    size_t got;
    while (!r->raw_eof)
        if ((e = read_raw(r, tmp, sizeof tmp, &got, d)))
            return e;
    *size = r->raw_bytes;
    if (wp_sha256_hex(r->sha, sha256))
        return wp_diag_set(d, WP_ERR_NOMEM, r->path, 0, 0, "cannot compute sha256");
    /* the normalized end: a byte of a BOM that was not one, a lone '\r', one newline */
    if (r->bom > 0)
        rows_text(r, utf8_bom, (size_t)r->bom);
    r->bom = -1;
    r->cr = false;
    r->nl = 0;
    if (r->any)
        rows_put(r, "\n", 1);
    row_end(r, r->content_bytes, false);
    if (r->rows_failed || wp_sha256_hex(r->rows, r->legacy_hex))
        return wp_diag_set(d, WP_ERR_NOMEM, r->path, 0, 0, "cannot compute sha256");
    if (!r->has_values_hash && r->last_open &&
        !rows_hash_of(r, r->n_rows - 1, r->prev_sum, false, r->but_last_hex))
        return wp_diag_set(d, WP_ERR_NOMEM, r->path, 0, 0, "cannot compute sha256");
    if (!r->has_values_hash && !rows_hash_now(r, true, r->rows_hex))
        return wp_diag_set(d, WP_ERR_NOMEM, r->path, 0, 0, "cannot compute sha256");
    memcpy(r->sha_hex, sha256, sizeof r->sha_hex);
    r->finished = true;
    return WP_OK;
}

void wp_reader_release(struct wp_reader *r)
{
    drop_resources(r);
}

const char *wp_reader_rows_sha256(const struct wp_reader *r)
{
    return r->rows_hex[0] ? r->rows_hex : NULL;
}

const char *wp_reader_rows_sha256_legacy(const struct wp_reader *r)
{
    return r->legacy_hex[0] ? r->legacy_hex : NULL;
}

const char *wp_reader_head_sum(const struct wp_reader *r)
{
    return !r->has_values_hash && r->head_sum[0] ? r->head_sum : NULL;
}

const char *wp_reader_rows_complete(const struct wp_reader *r, long long consumed,
                                    long long *count)
{
    *count = 0;
    if (!r->finished || r->has_values_hash || !r->rows_hex[0])
        return NULL;
    if (r->last_open && consumed < r->content_bytes) { /* the last line was not read */
        *count = r->n_rows - 1;
        return r->but_last_hex;
    }
    *count = r->n_rows;
    return r->rows_hex;
}

long long wp_reader_rows_count(const struct wp_reader *r)
{
    return r->n_rows;
}

enum wp_err wp_reader_prefixes(const char *path, const struct stat *st,
                               struct wp_rows_prefix *p, size_t n, struct wp_rows_whole *whole,
                               char *head_sum, struct wp_diag *d)
{
    for (size_t i = 0; i < n; i++) {
        p[i].end = -1;
        p[i].sha256[0] = '\0';
    }
    struct wp_reader *r;
    enum wp_err e = reader_open(path, st, p, n, &r, d);
    if (e)
        return e;
    while (!e && (whole || r->mark_i < n || (head_sum && r->n_rows < 2))) {
        long long before = r->content_bytes;
        r->pos = r->end; /* nothing to keep */
        if ((e = fill(r, d)))
            break;
        if (r->content_bytes == before) { /* the end: a last row without a newline */
            char sha[65];
            long long size;
            e = wp_reader_finish(r, sha, &size, d);
            break;
        }
    }
    if (!e && r->rows_failed)
        e = wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "cannot compute sha256");
    if (!e && head_sum)
        memcpy(head_sum, r->head_sum, sizeof r->head_sum);
    if (!e && whole) {
        *whole = (struct wp_rows_whole){.rows = r->n_rows, .but_last = -1};
        memcpy(whole->sha256, r->rows_hex, sizeof whole->sha256);
        if (r->last_open) {
            whole->but_last = r->n_rows - 1;
            memcpy(whole->but_last_sha256, r->but_last_hex, sizeof whole->but_last_sha256);
        }
    }
    wp_reader_close(r);
    return e;
}

void wp_reader_set_rows_sha256(struct wp_reader *r, const char hex[65])
{
    memcpy(r->rows_hex, hex, sizeof r->rows_hex);
    r->has_values_hash = true;
}

enum wp_err wp_file_prefix_sha256(const char *path, long long n, char sha256[65],
                                  struct wp_diag *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct wp_sha256 *h = wp_sha256_new();
    enum wp_err e = h ? WP_OK : wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    unsigned char buf[65536];
    while (!e && n > 0) {
        ssize_t k = read(fd, buf, n < (long long)sizeof buf ? (size_t)n : sizeof buf);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            e = wp_diag_set(d, WP_ERR_IO, path, 0, 0, "file shrank while reading");
            break;
        }
        e = wp_sha256_update(h, buf, (size_t)k);
        n -= k;
    }
    if (!e && wp_sha256_hex(h, sha256))
        e = WP_ERR_NOMEM;
    wp_sha256_free(h);
    close(fd);
    return e;
}
