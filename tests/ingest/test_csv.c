/* Tests of src/ingest/csv.c: records, their fields, lines and verbatim text, for plain
 * lines, quoted fields across lines, bare CR line ends (several records from one line,
 * one of them still open when the others have been handed out) and Windows-1252 text;
 * wp_csv_each's header-then-rows loop. */
#include "ingest_check.h"

#include "ingest/csv.h"

struct got {
    size_t n;
    char rows[16][256]; /* fields joined by '|', then " @LINE raw=RAW" */
};

static struct got read_all(struct fx *f, const char *text)
{
    const char *p = fx_write(f, "c.csv", text);
    struct wp_reader *r;
    struct wp_csv *c;
    struct got g;
    memset(&g, 0, sizeof g);
    assert_int_equal(wp_reader_open(p, &r, NULL), WP_OK);
    assert_int_equal(wp_csv_open(r, &c, NULL), WP_OK);
    for (;;) {
        struct wp_csv_record *rec;
        bool done;
        assert_int_equal(wp_csv_next(c, &rec, &done, NULL), WP_OK);
        if (done)
            break;
        assert_true(g.n < 16);
        char *o = g.rows[g.n++];
        size_t used = 0;
        for (size_t i = 0; i < rec->n; i++)
            used += (size_t)snprintf(o + used, 256 - used, "%s%s", i ? "|" : "", rec->fields[i]);
        snprintf(o + used, 256 - used, " @%ld raw=%s%s", rec->line, rec->raw,
                 rec->is_cut ? " cut" : "");
    }
    wp_csv_close(c);
    wp_reader_close(r);
    return g;
}

static void test_csv_plain_lines_are_trimmed_fields(void **state)
{
    struct got g = read_all(*state, "a, b ,c\n\n1,2,3\n4,5");
    assert_int_equal(g.n, 3);
    assert_string_equal(g.rows[0], "a|b|c @1 raw=a, b ,c");
    assert_string_equal(g.rows[1], "1|2|3 @3 raw=1,2,3");
    assert_string_equal(g.rows[2], "4|5 @4 raw=4,5 cut");
}

static void test_csv_quoted_field_spans_lines(void **state)
{
    struct got g = read_all(*state, "a,b\n1,\"x\ny, z\"\n2,\"q\"\n");
    assert_int_equal(g.n, 3);
    assert_string_equal(g.rows[1], "1|x\ny, z @2 raw=1,\"x\ny, z\"");
    assert_string_equal(g.rows[2], "2|q @4 raw=2,\"q\"");
}

static void test_csv_bare_cr_gives_several_records_and_keeps_an_open_one(void **state)
{
    /* one physical line holds two whole records and the start of a third, whose quoted
     * field ends on the next line: its first fields must survive the others being read */
    struct got g = read_all(*state, "h1,h2\r\"long first field\",2\r3,\"open\nclosed\"\n5,6\n");
    assert_int_equal(g.n, 4);
    assert_string_equal(g.rows[0], "h1|h2 @1 raw=h1,h2\r\"long first field\",2\r3,\"open");
    assert_string_equal(g.rows[1], "long first field|2 @1 raw=h1,h2\r\"long first field\",2\r3,\"open");
    assert_string_equal(g.rows[2], "3|open\nclosed @1 raw=closed\"");
    assert_string_equal(g.rows[3], "5|6 @3 raw=5,6");
}

static void test_csv_record_completed_at_end_of_file_after_a_bare_cr(void **state)
{
    struct got g = read_all(*state, "a,b\r1,2");
    assert_int_equal(g.n, 2);
    assert_string_equal(g.rows[0], "a|b @1 raw=a,b\r1,2");
    assert_string_equal(g.rows[1], "1|2 @1 raw= cut");
}

static void test_csv_many_records_reuse_the_field_buffer(void **state)
{
    struct fx *f = *state;
    char text[8192];
    size_t used = 0;
    for (int i = 0; i < 200; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%d,%s,%d\n", i,
                                 i % 7 ? "short" : "a much longer field than the others", -i);
    const char *p = fx_write(f, "m.csv", text);
    struct wp_reader *r;
    struct wp_csv *c;
    assert_int_equal(wp_reader_open(p, &r, NULL), WP_OK);
    assert_int_equal(wp_csv_open(r, &c, NULL), WP_OK);
    for (int i = 0;; i++) {
        struct wp_csv_record *rec;
        bool done;
        assert_int_equal(wp_csv_next(c, &rec, &done, NULL), WP_OK);
        if (done) {
            assert_int_equal(i, 200);
            break;
        }
        char want[16];
        assert_int_equal(rec->n, 3);
        snprintf(want, sizeof want, "%d", i);
        assert_string_equal(rec->fields[0], want);
        assert_string_equal(rec->fields[1], i % 7 ? "short" : "a much longer field than the others");
        snprintf(want, sizeof want, "%d", -i);
        assert_string_equal(rec->fields[2], want);
        assert_int_equal(rec->line, i + 1);
    }
    wp_csv_close(c);
    wp_reader_close(r);
}

static void test_csv_windows_1252_field_is_converted(void **state)
{
    struct got g = read_all(*state, "a,b\n1,caf\xe9\n\xc3\xa9t\xc3\xa9,2\n\"q\",\xe9\n");
    assert_int_equal(g.n, 4);
    assert_string_equal(g.rows[1], "1|caf\xc3\xa9 @2 raw=1,caf\xe9");
    assert_string_equal(g.rows[2], "\xc3\xa9t\xc3\xa9|2 @3 raw=\xc3\xa9t\xc3\xa9,2");
    /* a line libcsv reads (a quote) after a UTF-8 line: its fields are still checked */
    assert_string_equal(g.rows[3], "q|\xc3\xa9 @4 raw=\"q\",\xe9");
}

/* Empty lines between records are passed in bulk, past the reader's chunks, and still
 * count: the next record has its own line number and text; a quoted field's empty lines
 * are the field's. */
static void test_csv_runs_of_empty_lines_count_in_line_numbers(void **state)
{
    size_t n = 700000; /* several of the reader's 256 KiB chunks */
    char *text = malloc(n + 64);
    assert_non_null(text);
    size_t k = (size_t)sprintf(text, "a,b\n");
    memset(text + k, '\n', n);
    k += n;
    k += (size_t)sprintf(text + k, "1,\"x\n\n\ny\"\n\n \n2,3\n");
    text[k] = '\0';
    struct got g = read_all(*state, text);
    free(text);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.rows[0], "a|b @1 raw=a,b");
    assert_string_equal(g.rows[1], "1|x\n\n\ny @700002 raw=1,\"x\n\n\ny\"");
    assert_string_equal(g.rows[2], "2|3 @700008 raw=2,3");
}

/* wp_csv_each: the header first, then each row, until a callback fails; the hash only
 * when all went well. */
struct each_log {
    int headers, rows, fail_at; /* fail_at: the row that fails (0: none) */
    char first[64];
};

static enum wp_err each_header(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    (void)d;
    struct each_log *l = ctx;
    l->headers++;
    snprintf(l->first, sizeof l->first, "%s", rec->fields[0]);
    return WP_OK;
}

static enum wp_err each_row(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct each_log *l = ctx;
    if (++l->rows == l->fail_at)
        return wp_diag_set(d, WP_ERR_PARSE, "c.csv", rec->line, 0, "row %d refused", l->rows);
    return WP_OK;
}

static void test_csv_each_gives_the_header_then_the_rows(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "each.csv", "a,b\n1,2\n3,4\n5,6\n");
    struct each_log l = {0};
    struct wp_csv_each each = {each_header, each_row, &l};
    bool has_header;
    char sha[65] = "";
    assert_int_equal(wp_csv_each(p, &each, &has_header, sha, NULL), WP_OK);
    assert_true(has_header);
    assert_int_equal(l.headers, 1);
    assert_int_equal(l.rows, 3);
    assert_string_equal(l.first, "a");
    assert_int_equal(strlen(sha), 64);

    struct each_log stop = {.fail_at = 2};
    each.ctx = &stop;
    struct wp_diag d = {0};
    char none[65] = "";
    assert_int_equal(wp_csv_each(p, &each, &has_header, none, &d), WP_ERR_PARSE);
    assert_int_equal(stop.rows, 2); /* the third row is never read */
    assert_int_equal(d.line, 3);
    assert_string_equal(none, ""); /* no hash of a file that failed */

    const char *empty = fx_write(f, "empty.csv", "");
    struct each_log nothing = {0};
    each.ctx = &nothing;
    assert_int_equal(wp_csv_each(empty, &each, &has_header, NULL, NULL), WP_OK);
    assert_false(has_header);
    assert_int_equal(nothing.headers + nothing.rows, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_csv_plain_lines_are_trimmed_fields),
        T(test_csv_quoted_field_spans_lines),
        T(test_csv_bare_cr_gives_several_records_and_keeps_an_open_one),
        T(test_csv_many_records_reuse_the_field_buffer),
        T(test_csv_record_completed_at_end_of_file_after_a_bare_cr),
        T(test_csv_windows_1252_field_is_converted),
        T(test_csv_runs_of_empty_lines_count_in_line_numbers),
        T(test_csv_each_gives_the_header_then_the_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
