/* Tests of src/ingest/reader.c: lines with and without a last newline, a peek past the end
 * of a small file (it must not disturb the lines that follow), a line longer than the
 * buffer, gzip content read by content, the SHA-256 of every raw byte, and a memfd opened
 * by its /proc path (how the fuzz harnesses feed it); the hash of the normalized rows (the
 * same rows gzipped, with CRLF, a BOM or blank lines at the end hash the same). */
#include "ingest_check.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <zlib.h>

#include "ingest/reader.h"

/* Reads every line of r into out, each followed by '\n' (or '$' when it had no newline). */
static void read_all(struct wp_reader *r, char *out, size_t size)
{
    size_t used = 0;
    for (;;) {
        const char *line;
        size_t len;
        bool nl;
        assert_int_equal(wp_reader_line(r, &line, &len, &nl, NULL), WP_OK);
        if (!line)
            break;
        assert_true(used + len + 2 <= size);
        memcpy(out + used, line, len);
        used += len;
        out[used++] = nl ? '\n' : '$';
    }
    out[used] = '\0';
}

static void test_reader_peek_past_the_end_then_reads_every_line(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "small.csv", "a,b\r\n1,2\n\nlast");
    struct wp_reader *r;
    assert_int_equal(wp_reader_open(p, &r, NULL), WP_OK);
    const char *head;
    size_t len;
    assert_int_equal(wp_reader_peek(r, 65536, &head, &len, NULL), WP_OK);
    assert_int_equal(len, 14);
    assert_memory_equal(head, "a,b\r\n1,2\n\nlast", 14);
    assert_int_equal(wp_reader_peek(r, 65536, &head, &len, NULL), WP_OK); /* again: same */
    assert_int_equal(len, 14);
    char out[64];
    read_all(r, out, sizeof out);
    assert_string_equal(out, "a,b\r\n1,2\n\nlast$");
    assert_int_equal(wp_reader_lineno(r), 4);
    assert_int_equal(wp_reader_offset(r), 14);
    assert_false(wp_reader_is_gzip(r));
    wp_reader_close(r);
}

static void test_reader_reads_a_line_longer_than_its_buffer(void **state)
{
    struct fx *f = *state;
    size_t n = 3 << 20; /* several times the 256 KiB read chunk */
    char *text = malloc(n + 8);
    assert_non_null(text);
    memset(text, 'x', n);
    memcpy(text + n, "\ny\nz", 5);
    const char *p = fx_write(f, "long.csv", text);
    struct wp_reader *r;
    assert_int_equal(wp_reader_open(p, &r, NULL), WP_OK);
    const char *line;
    size_t len;
    bool nl;
    assert_int_equal(wp_reader_line(r, &line, &len, &nl, NULL), WP_OK);
    assert_int_equal(len, n);
    assert_true(nl);
    assert_memory_equal(line, text, n);
    assert_int_equal(wp_reader_line(r, &line, &len, &nl, NULL), WP_OK);
    assert_int_equal(len, 1);
    assert_int_equal(line[0], 'y');
    assert_int_equal(wp_reader_line(r, &line, &len, &nl, NULL), WP_OK);
    assert_int_equal(len, 1);
    assert_false(nl);
    assert_int_equal(wp_reader_line(r, &line, &len, &nl, NULL), WP_OK);
    assert_null(line);
    assert_int_equal(wp_reader_offset(r), (long long)n + 4);
    wp_reader_close(r);
    free(text);
}

static void test_reader_inflates_gzip_and_hashes_the_raw_bytes(void **state)
{
    struct fx *f = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/log.csv.gz", f->dir);
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzputs(gz, "h1,h2\n1,2\n"), 10);
    assert_int_equal(gzclose(gz), Z_OK);
    struct wp_reader *r;
    assert_int_equal(wp_reader_open(path, &r, NULL), WP_OK);
    const char *head;
    size_t len;
    assert_int_equal(wp_reader_peek(r, 65536, &head, &len, NULL), WP_OK);
    assert_int_equal(len, 10);
    assert_true(wp_reader_is_gzip(r));
    char out[64];
    read_all(r, out, sizeof out);
    assert_string_equal(out, "h1,h2\n1,2\n");
    char sha[65];
    long long size;
    assert_int_equal(wp_reader_finish(r, sha, &size, NULL), WP_OK);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    assert_int_equal(size, ftell(fp)); /* the raw (compressed) size */
    fclose(fp);
    assert_int_equal(strlen(sha), 64);
    wp_reader_close(r);
}

static void test_reader_finish_hashes_what_a_peek_left_unread(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "abc.txt", "abc");
    struct wp_reader *r;
    assert_int_equal(wp_reader_open(p, &r, NULL), WP_OK);
    const char *head;
    size_t len;
    assert_int_equal(wp_reader_peek(r, 2, &head, &len, NULL), WP_OK);
    assert_int_equal(len, 2);
    char sha[65];
    long long size;
    assert_int_equal(wp_reader_finish(r, sha, &size, NULL), WP_OK);
    assert_int_equal(size, 3);
    assert_string_equal(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    wp_reader_close(r);
}

/* What the read-ahead relies on (ahead.h): a finish that succeeded gives the same again,
 * and a released reader keeps its hashes and counts with its file closed. */
static void test_reader_finish_again_and_after_release_gives_the_same(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "rows.csv", "a,b\n1,2\n");
    struct wp_reader *r;
    assert_int_equal(wp_reader_open(p, &r, NULL), WP_OK);
    char out[64];
    read_all(r, out, sizeof out);
    char sha[65], again[65];
    long long size, size_again;
    assert_int_equal(wp_reader_finish(r, sha, &size, NULL), WP_OK);
    char rows[65], legacy[65];
    snprintf(rows, sizeof rows, "%s", wp_reader_rows_sha256(r));
    snprintf(legacy, sizeof legacy, "%s", wp_reader_rows_sha256_legacy(r));
    long lineno = wp_reader_lineno(r);
    assert_int_equal(wp_reader_finish(r, again, &size_again, NULL), WP_OK);
    assert_string_equal(again, sha);
    assert_int_equal(size_again, size);
    assert_string_equal(wp_reader_rows_sha256(r), rows); /* not hashed a second time */
    wp_reader_release(r);
    memset(again, 0, sizeof again);
    assert_int_equal(wp_reader_finish(r, again, &size_again, NULL), WP_OK);
    assert_string_equal(again, sha);
    assert_int_equal(size_again, 8);
    assert_string_equal(wp_reader_rows_sha256(r), rows);
    assert_string_equal(wp_reader_rows_sha256_legacy(r), legacy);
    assert_int_equal(wp_reader_lineno(r), lineno);
    assert_string_equal(wp_reader_path(r), p);
    wp_reader_close(r);
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "wp_reader_open_file waited on a FIFO\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(1);
}

/* The read-ahead's open (ahead.h): the regular file stat'ed before opens; a FIFO or
 * another file put at its path since is refused at once, never waited on (a FIFO with no
 * writer blocks a plain open forever: the alarm fails the test instead). */
static void test_reader_open_file_takes_only_the_file_it_was_given(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "rows.csv", "a,b\n1,2\n");
    struct stat st, other_st;
    assert_int_equal(stat(p, &st), 0);
    struct wp_reader *r;
    assert_int_equal(wp_reader_open_file(p, &st, &r, NULL), WP_OK);
    char out[64];
    read_all(r, out, sizeof out);
    assert_string_equal(out, "a,b\n1,2\n");
    wp_reader_close(r);
    /* another file renamed over it */
    char path[512];
    snprintf(path, sizeof path, "%s", p);
    const char *other = fx_write(f, "other.csv", "a,b\n3,4\n");
    assert_int_equal(stat(other, &other_st), 0);
    assert_int_equal(rename(other, path), 0);
    struct wp_diag d = {0};
    assert_int_equal(wp_reader_open_file(path, &st, &r, &d), WP_ERR_IO);
    assert_null(r);
    assert_int_equal(wp_reader_open_file(path, &other_st, &r, NULL), WP_OK);
    wp_reader_close(r);
    /* a FIFO in its place, with no writer */
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkfifo(path, 0600), 0);
    signal(SIGALRM, on_alarm);
    alarm(10);
    assert_int_equal(wp_reader_open_file(path, &st, &r, &d), WP_ERR_IO);
    alarm(0);
    assert_null(r);
}

static void test_reader_opens_a_memfd_by_its_proc_path(void **state)
{
    (void)state;
    int fd = memfd_create("wattprint-test", MFD_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "x,y\n3,4\n", 8), 8); /* the fd's offset is now at the end */
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    struct wp_reader *r;
    assert_int_equal(wp_reader_open(path, &r, NULL), WP_OK);
    char out[64];
    read_all(r, out, sizeof out); /* a new open file: read from the start */
    assert_string_equal(out, "x,y\n3,4\n");
    wp_reader_close(r);
    close(fd);
}

/* The rows hash of a file (read to the end through the reader, as ingest does); legacy
 * gives the hash over the text in order instead (file versions stored before). */
static void rows_hash_of(const char *path, bool read_lines, bool legacy, char out[65])
{
    struct wp_reader *r;
    out[0] = '\0';
    assert_int_equal(wp_reader_open(path, &r, NULL), WP_OK);
    if (read_lines) {
        char lines[4096];
        read_all(r, lines, sizeof lines);
    }
    char sha[65];
    long long size;
    assert_int_equal(wp_reader_finish(r, sha, &size, NULL), WP_OK);
    const char *h = legacy ? wp_reader_rows_sha256_legacy(r) : wp_reader_rows_sha256(r);
    assert_non_null(h);
    snprintf(out, 65, "%s", h);
    wp_reader_close(r);
}

static void rows_hash(const char *path, bool read_lines, char out[65])
{
    rows_hash_of(path, read_lines, false, out);
}

static void write_gz(const char *path, const char *text)
{
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzputs(gz, text), (int)strlen(text));
    assert_int_equal(gzclose(gz), Z_OK);
}

static void test_reader_rows_hash_is_the_same_for_the_same_rows_stored_another_way(void **state)
{
    struct fx *f = *state;
    static const char *const same[] = {
        "t,e\n1,2\n3,4\n",        /* the original */
        "t,e\r\n1,2\r\n3,4\r\n",  /* CRLF */
        "t,e\n1,2\n3,4",          /* no last newline */
        "t,e\n1,2\n3,4\n\n\n",    /* newlines added at the end */
        "\xef\xbb\xbft,e\n1,2\n3,4\n", /* a UTF-8 BOM */
        "t,e\r\n1,2\r\n3,4\r\n\r\n\r", /* CRLF, blank lines, a lone CR at the end */
        "t,e\n3,4\n1,2\n",        /* the rows in another order */
        "3,4\n\n1,2\nt,e",         /* any order, a blank line inside */
    };
    char want[65], got[65], path[160];
    rows_hash(fx_write(f, "a.csv", same[0]), true, want);
    /* the definition, computed apart (Python's hashlib): SHA-256("wattprint rows 2" ||
     * count as 8 bytes || the rows' SHA-256 added modulo 2^256), not a copy of the code */
    assert_string_equal(want, "a06f1b055cc203cbf5da24e3333488bfd5d8eab086cb39fa55bbb4fea0292ed9");
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        snprintf(path, sizeof path, "v%zu.csv", i);
        rows_hash(fx_write(f, path, same[i]), i % 2 == 0, got); /* read or left unread */
        assert_string_equal(got, want);
        snprintf(path, sizeof path, "%s/v%zu.csv.gz", f->dir, i);
        write_gz(path, same[i]);
        rows_hash(path, i % 2 == 1, got);
        assert_string_equal(got, want);
    }
}

static void test_reader_rows_hash_tells_other_rows_apart(void **state)
{
    struct fx *f = *state;
    static const char *const other[] = {
        "t,e\n1,2\n3,5\n",      /* a value */
        "t,e\n1,2\n3,4\n1,2\n", /* a row twice: a multiset, not a set */
        "t,e\n1,23,4\n",        /* rows joined */
        "t,e\n1,2\r3,4\n",      /* a CR inside a line is not a line end */
        "t,e \n1,2\n3,4\n",     /* a space */
        "t,e\n1,2\n",           /* a row fewer */
        "\xef\xbbt,e\n1,2\n3,4\n", /* two bytes of a BOM are text */
    };
    char want[65], got[65], path[64];
    rows_hash(fx_write(f, "a.csv", "t,e\n1,2\n3,4\n"), false, want);
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        snprintf(path, sizeof path, "o%zu.csv", i);
        rows_hash(fx_write(f, path, other[i]), true, got);
        assert_string_not_equal(got, want);
    }
    /* an empty file and one of blank lines: the same (no rows), not the same as text */
    char empty[65];
    rows_hash(fx_write(f, "e.csv", ""), true, empty);
    rows_hash(fx_write(f, "b.csv", "\n\r\n\n"), true, got);
    assert_string_equal(got, empty);
    assert_string_equal(empty, "a851d18ea767e388035a5d7d1497a3b5e73f69af9177eb92272ab69b87685e0a");
}

/* File versions stored before the set-of-rows hash hold the hash over the text in order:
 * the reader still gives it, unchanged, so that their copies are still recognised. */
static void test_reader_keeps_the_legacy_rows_hash_of_earlier_versions(void **state)
{
    struct fx *f = *state;
    char a[65], b[65], c[65];
    rows_hash_of(fx_write(f, "a.csv", "t,e\n1,2\n3,4\n"), true, true, a);
    /* SHA-256 of "t,e\n1,2\n3,4\n", as stored by schema 7's ingest */
    assert_string_equal(a, "b2026e69e7dcdac7dcec550e2e0695505fc7e9f0f40e0a5c5e915d6c0b12e18f");
    rows_hash_of(fx_write(f, "b.csv", "\xef\xbb\xbft,e\r\n1,2\r\n3,4\r\n\r\n"), false, true, b);
    assert_string_equal(b, a);
    rows_hash_of(fx_write(f, "c.csv", "t,e\n3,4\n1,2\n"), true, true, c);
    assert_string_not_equal(c, a); /* in order: a reordered copy is not one to it */
}

static void test_reader_rows_hash_holds_a_million_blank_lines_at_memory_speed(void **state)
{
    struct fx *f = *state;
    size_t n = 1000000;
    char *text = malloc(n + 16);
    assert_non_null(text);
    memcpy(text, "a\n", 2);
    memset(text + 2, '\n', n);
    memcpy(text + 2 + n, "b\n", 3);
    char got[65], want[65];
    rows_hash(fx_write(f, "blank.csv", text), false, got);
    text[2 + n - 1] = 'c'; /* one blank line fewer and a row more: not the same */
    rows_hash(fx_write(f, "blank2.csv", text), false, want);
    assert_string_not_equal(got, want);
    free(text);
}

/* The head of a file read to its end (the sum of its first two rows' hashes), "" when it
 * has fewer than two rows. */
static void head_of(const char *path, char out[65])
{
    struct wp_reader *r;
    char sha[65];
    long long size;
    assert_int_equal(wp_reader_open(path, &r, NULL), WP_OK);
    /* known once two rows are read: here after a peek (as format detection does) */
    const char *buf;
    size_t len;
    assert_int_equal(wp_reader_peek(r, 4096, &buf, &len, NULL), WP_OK);
    char early[65];
    snprintf(early, sizeof early, "%s", wp_reader_head_sum(r) ? wp_reader_head_sum(r) : "");
    assert_int_equal(wp_reader_finish(r, sha, &size, NULL), WP_OK);
    const char *h = wp_reader_head_sum(r);
    assert_string_equal(early, h ? h : "");
    snprintf(out, 65, "%s", h ? h : "");
    wp_reader_close(r);
}

/* The rows hash of a file's first rows (wp_reader_prefixes) is the rows hash of a file
 * holding those rows alone, stored any way (gzip, CRLF, a BOM, blank lines between), and
 * ends just past the last of them; the head (its first two rows) is that of a file of those
 * two rows, and not that of other rows; asked past the last row, none.  Over many read
 * chunks too. */
static void test_reader_prefixes_are_the_rows_hash_of_the_first_rows(void **state)
{
    struct fx *f = *state;
    char two[65], three[65], head2[65], other[65], got[65];
    rows_hash(fx_write(f, "two.csv", "t,e\n1,2\n"), false, two);
    rows_hash(fx_write(f, "three.csv", "t,e\n1,2\n3,4\n"), false, three);
    head_of(fx_write(f, "two.csv", "t,e\n1,2\n"), head2);
    assert_int_equal(strlen(head2), 64);
    head_of(fx_write(f, "other.csv", "t,e\n1,3\n3,4\n"), other);
    assert_string_not_equal(other, head2);
    static const struct {
        const char *text;
        long long end2, end3; /* content offsets past rows 2 and 3 */
    } grown[] = {
        {"t,e\n1,2\n3,4\n5,6\n", 8, 12},
        {"t,e\r\n1,2\r\n3,4\r\n5,6", 10, 15},
        {"\xef\xbb\xbft,e\n\n1,2\n\n\n3,4\n5,6\n", 12, 18},
    };
    char path[160];
    for (size_t i = 0; i < sizeof grown / sizeof *grown; i++)
        for (int gz = 0; gz < 2; gz++) {
            snprintf(path, sizeof path, "%s/g%zu.csv%s", f->dir, i, gz ? ".gz" : "");
            if (gz)
                write_gz(path, grown[i].text);
            else
                fx_write(f, path + strlen(f->dir) + 1, grown[i].text);
            struct wp_rows_prefix p[3] = {{.rows = 2}, {.rows = 3}, {.rows = 5}};
            struct stat st;
            assert_int_equal(stat(path, &st), 0);
            struct wp_rows_whole w;
            assert_int_equal(wp_reader_prefixes(path, &st, p, 3, &w, NULL, NULL), WP_OK);
            assert_int_equal(w.rows, 4);
            assert_int_equal(w.but_last, i == 1 ? 3 : -1); /* "5,6" has no newline */
            if (i == 1)
                assert_string_equal(w.but_last_sha256, three);
            assert_string_equal(p[0].sha256, two);
            assert_int_equal(p[0].end, grown[i].end2);
            assert_string_equal(p[1].sha256, three);
            assert_int_equal(p[1].end, grown[i].end3);
            assert_string_equal(p[2].sha256, ""); /* four rows only */
            assert_int_equal(p[2].end, -1);
            /* the head of the file read whole, and its rows */
            head_of(path, got);
            assert_string_equal(got, head2);
            struct wp_reader *r;
            char sha[65];
            long long size;
            assert_int_equal(wp_reader_open(path, &r, NULL), WP_OK);
            assert_int_equal(wp_reader_finish(r, sha, &size, NULL), WP_OK);
            assert_int_equal(wp_reader_rows_count(r), 4);
            wp_reader_close(r);
        }
    /* a last row without a newline, asked for: its end is the end of the content */
    struct wp_rows_prefix last = {.rows = 3};
    const char *nonl = fx_write(f, "nonl.csv", "t,e\n1,2\n3,4");
    struct stat st;
    assert_int_equal(stat(nonl, &st), 0);
    assert_int_equal(wp_reader_prefixes(nonl, &st, &last, 1, NULL, NULL, NULL), WP_OK);
    assert_string_equal(last.sha256, three);
    assert_int_equal(last.end, 11);
    /* one row: no head */
    head_of(fx_write(f, "one.csv", "t,e\n"), got);
    assert_string_equal(got, "");
    /* 200,000 rows (many 256 KiB chunks): the first 150,000 are the file that holds them */
    size_t n = 200000, cut = 150000;
    char *text = malloc(n * 16), *head = malloc(cut * 16);
    assert_non_null(text);
    assert_non_null(head);
    size_t len = 0, head_len = 0;
    for (size_t i = 0; i < n; i++) {
        len += (size_t)sprintf(text + len, "%zu,%zu\n", i, i * 7);
        if (i + 1 == cut)
            head_len = len;
    }
    memcpy(head, text, head_len);
    head[head_len] = '\0';
    char want[65];
    rows_hash(fx_write(f, "head.csv", head), false, want);
    struct wp_rows_prefix big = {.rows = (long long)cut};
    const char *bigp = fx_write(f, "big.csv", text);
    assert_int_equal(stat(bigp, &st), 0);
    assert_int_equal(wp_reader_prefixes(bigp, &st, &big, 1, NULL, NULL, NULL), WP_OK);
    assert_string_equal(big.sha256, want);
    assert_int_equal(big.end, (long long)head_len);
    free(text);
    free(head);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reader_peek_past_the_end_then_reads_every_line),
        T(test_reader_reads_a_line_longer_than_its_buffer),
        T(test_reader_inflates_gzip_and_hashes_the_raw_bytes),
        T(test_reader_finish_hashes_what_a_peek_left_unread),
        T(test_reader_finish_again_and_after_release_gives_the_same),
        T(test_reader_open_file_takes_only_the_file_it_was_given),
        T(test_reader_opens_a_memfd_by_its_proc_path),
        T(test_reader_rows_hash_is_the_same_for_the_same_rows_stored_another_way),
        T(test_reader_rows_hash_tells_other_rows_apart),
        T(test_reader_rows_hash_holds_a_million_blank_lines_at_memory_speed),
        T(test_reader_keeps_the_legacy_rows_hash_of_earlier_versions),
        T(test_reader_prefixes_are_the_rows_hash_of_the_first_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
