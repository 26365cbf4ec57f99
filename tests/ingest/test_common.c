/* Tests of src/ingest/common.c: durations h:mm:ss, quantities with units, header
 * names with a bracketed unit, and JSON read whole with FILE:LINE:COL errors. */
#include "ingest_check.h"

#include "ingest/common.h"
#include "ingest/csv.h"
#include "util/text.h"

static void test_hms_reads_carbontracker_durations(void **state)
{
    (void)state;
    double s;
    assert_true(wp_hms_parse("0:10:00", &s));
    assert_rel(s, 600.0, 0);
    assert_true(wp_hms_parse("111:11:54", &s));
    assert_rel(s, 111 * 3600.0 + 11 * 60 + 54, 0);
    assert_true(wp_hms_parse("0:00:53.04", &s));
    assert_rel(s, 53.04, 1e-15);
    assert_false(wp_hms_parse("0:61:00", &s));
    assert_false(wp_hms_parse("10 min", &s));
}

static void test_quantity_takes_its_unit_or_none(void **state)
{
    (void)state;
    double x;
    assert_int_equal(wp_parse_quantity("245.31 W", "W", &x), WP_NUM_OK);
    assert_rel(x, 245.31, 0);
    assert_int_equal(wp_parse_quantity("245.31", "W", &x), WP_NUM_OK);
    assert_int_equal(wp_parse_quantity("60.000000 kWh", "kWh", &x), WP_NUM_OK);
    assert_rel(x, 60.0, 0);
    assert_int_equal(wp_parse_quantity("245.31 mW", "W", &x), WP_NUM_INVALID);
    assert_int_equal(wp_parse_quantity("[N/A]", "W", &x), WP_NUM_MISSING);
    assert_int_equal(wp_parse_quantity("[Unknown Error]", "W", &x), WP_NUM_MISSING);
    assert_int_equal(wp_parse_quantity("nan g", "g", &x), WP_NUM_MISSING);
    assert_int_equal(wp_parse_quantity("12abc W", "W", &x), WP_NUM_INVALID);
    assert_int_equal(wp_parse_quantity("W", "W", &x), WP_NUM_INVALID);
    assert_int_equal(wp_parse_quantity("inf W", "W", &x), WP_NUM_RANGE);
    /* the one-parse path for a value ending in its unit reads as the general one */
    assert_int_equal(wp_parse_quantity("245.31W", "W", &x), WP_NUM_OK);
    assert_rel(x, 245.31, 0);
    assert_int_equal(wp_parse_quantity("1e2  W", "W", &x), WP_NUM_OK);
    assert_rel(x, 100.0, 0);
    assert_int_equal(wp_parse_quantity("-3. W", "W", &x), WP_NUM_OK);
    assert_rel(x, -3.0, 0);
    assert_int_equal(wp_parse_quantity("1 2 W", "W", &x), WP_NUM_INVALID);
    assert_int_equal(wp_parse_quantity("0x1p3 W", "W", &x), WP_NUM_INVALID);
    assert_int_equal(wp_parse_quantity(" W", "W", &x), WP_NUM_INVALID);
    assert_int_equal(wp_parse_quantity("N/A W", "W", &x), WP_NUM_MISSING);
}

static void test_name_unit_splits_the_bracket(void **state)
{
    (void)state;
    char base[32], unit[8];
    wp_name_unit("power.draw [W]", base, sizeof base, unit, sizeof unit);
    assert_string_equal(base, "power.draw");
    assert_string_equal(unit, "W");
    wp_name_unit("index", base, sizeof base, unit, sizeof unit);
    assert_string_equal(base, "index");
    assert_string_equal(unit, "");
}

static void test_json_errors_name_line_and_column(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "bad.json", "{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}\n");
    struct wp_reader *r;
    struct wp_diag d = {0};
    struct wp_json_doc doc;
    assert_int_equal(wp_reader_open(p, &r, &d), WP_OK);
    assert_int_equal(wp_json_read(r, &doc, &d), WP_ERR_PARSE);
    wp_reader_close(r);
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 14);
    assert_contains(d.msg, "invalid JSON");
}

static void test_json_reads_python_nan_as_null_and_finds_key_lines(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "nan.json", "{\"s\": \"NaN stays\",\n \"x\": NaN,\n"
                                            " \"y\": -Infinity}\n");
    struct wp_reader *r;
    struct wp_diag d = {0};
    struct wp_json_doc doc;
    assert_int_equal(wp_reader_open(p, &r, &d), WP_OK);
    assert_int_equal(wp_json_read(r, &doc, &d), WP_OK);
    wp_reader_close(r);
    double v;
    assert_int_equal(wp_json_num(doc.root, "x", &v), WP_NUM_MISSING);
    assert_int_equal(wp_json_num(doc.root, "y", &v), WP_NUM_MISSING);
    assert_string_equal(wp_json_str(doc.root, "s"), "NaN stays");
    size_t from = 0;
    assert_int_equal(wp_json_key_line(&doc, "y", &from), 3);
    assert_int_equal(wp_json_key_line(&doc, "y", &from), 0);
    wp_json_doc_free(&doc);
}

/* wp_csv_walk: the first record and a header again go to header, rows ingested before are
 * passed over, a cut-off last line is read but not consumed, Windows-1252 is said once. */
struct walk_seen {
    int headers, rows;
    size_t width;
    char firsts[64];
};

static enum wp_err walk_header(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    (void)d;
    struct walk_seen *w = ctx;
    w->headers++;
    w->width = rec->n;
    return WP_OK;
}

static enum wp_err walk_row(void *ctx, struct wp_csv_record *rec, struct wp_diag *d)
{
    (void)d;
    struct walk_seen *w = ctx;
    w->rows++;
    strncat(w->firsts, rec->fields[0], sizeof w->firsts - strlen(w->firsts) - 1);
    return WP_OK;
}

static bool walk_again(const struct wp_csv_record *rec)
{
    return strcmp(rec->fields[0], "a") == 0;
}

static void test_csv_walk_headers_old_rows_cut_line_and_cp1252(void **state)
{
    struct fx *f = *state;
    /* lines: header, old row (ends at 8), header again, two rows in cp1252, a cut line */
    const char *p = fx_write(f, "walk.csv", "a,b\n1,2\na,b\n3,\xe9\n5,\xe9\n7");
    struct wp_reporter rep = {fx_on_msg, f};
    struct wp_sink sink = {.rep = &rep, .skip_until = 8};
    struct walk_seen seen = {0};
    struct wp_csv_walk w = {.ctx = &seen,
                            .header = walk_header,
                            .row = walk_row,
                            .header_again = walk_again,
                            .width = &seen.width,
                            .cp1252 = WP_CP1252_WARN_AT_COL};
    struct wp_reader *r;
    struct wp_csv *csv;
    struct wp_diag d = {0};
    bool have_header;
    long rows;
    assert_int_equal(wp_reader_open(p, &r, &d), WP_OK);
    assert_int_equal(wp_csv_open(r, &csv, &d), WP_OK);
    assert_int_equal(wp_csv_walk(csv, &sink, &w, &have_header, &rows, &d), WP_OK);
    wp_csv_close(csv);
    wp_reader_close(r);
    assert_true(have_header);
    assert_int_equal(seen.headers, 2);
    assert_int_equal(seen.rows, 3);
    assert_string_equal(seen.firsts, "357");
    assert_int_equal(rows, 3);
    assert_int_equal(sink.consumed, (long long)strlen("a,b\n1,2\na,b\n3,\xe9\n5,\xe9\n"));
    assert_int_equal(f->warnings, 1);
    assert_contains(f->warning, "walk.csv:4:2: text is not valid UTF-8");

    /* rows ingested before go to row too with old_rows, but do not count as new */
    struct walk_seen all = {0};
    w.ctx = &all;
    w.width = &all.width;
    w.old_rows = true;
    w.cp1252 = WP_CP1252_QUIET;
    assert_int_equal(wp_reader_open(p, &r, &d), WP_OK);
    assert_int_equal(wp_csv_open(r, &csv, &d), WP_OK);
    assert_int_equal(wp_csv_walk(csv, &sink, &w, &have_header, &rows, &d), WP_OK);
    wp_csv_close(csv);
    wp_reader_close(r);
    assert_string_equal(all.firsts, "1357");
    assert_int_equal(rows, 3);
    assert_int_equal(f->warnings, 1);
}

static void test_csv_no_data_says_why(void **state)
{
    (void)state;
    struct wp_sink sink = {0};
    wp_csv_no_data(&sink, false, 0, "empty", "header only");
    assert_string_equal(sink.no_data, "empty");
    sink.no_data[0] = '\0';
    wp_csv_no_data(&sink, true, 0, "empty", "header only");
    assert_string_equal(sink.no_data, "header only");
    sink.no_data[0] = '\0';
    wp_csv_no_data(&sink, true, 2, "empty", "header only");
    assert_string_equal(sink.no_data, "");
    sink.skip_until = 10; /* read on from where it was ingested before: nothing new is fine */
    wp_csv_no_data(&sink, true, 0, "empty", "header only");
    assert_string_equal(sink.no_data, "");
}

/* The rows hash a JSON document gives its reader (wp_reader_rows_sha256): of the parsed
 * values, so layout, key order and the order of array elements do not count. */
static void json_rows_hash(struct fx *f, const char *name, const char *text, char out[65])
{
    struct wp_reader *r;
    struct wp_diag d = {0};
    struct wp_json_doc doc;
    char sha[65];
    long long size;
    assert_int_equal(wp_reader_open(fx_write(f, name, text), &r, &d), WP_OK);
    assert_int_equal(wp_json_read(r, &doc, &d), WP_OK);
    assert_int_equal(wp_reader_finish(r, sha, &size, &d), WP_OK);
    assert_non_null(wp_reader_rows_sha256(r));
    snprintf(out, 65, "%s", wp_reader_rows_sha256(r));
    wp_reader_close(r);
    wp_json_doc_free(&doc);
}

static void test_json_rows_hash_is_of_the_values_not_the_layout(void **state)
{
    struct fx *f = *state;
    static const char *const same[] = {
        "{\"a\": 1, \"b\": [{\"x\": \"s\", \"y\": 2.5}, {\"x\": \"t\", \"y\": null}], \"c\": true}",
        ("{\n    \"c\": true,\n    \"b\": [\n        {\"y\": null, \"x\": \"t\"},\n"
         "        {\"y\": 2.5, \"x\": \"s\"}\n    ],\n    \"a\": 1.0\n}\n"),
        "\xef\xbb\xbf{\"b\":[{\"x\":\"s\",\"y\":2.50},{\"x\":\"t\",\"y\":NaN}],\"a\":1,\"c\":true}",
    };
    static const char *const other[] = {
        "{\"a\": 1, \"b\": [{\"x\": \"s\", \"y\": 2.5}, {\"x\": \"t\", \"y\": 0}], \"c\": true}",
        "{\"a\": \"1\", \"b\": [{\"x\": \"s\", \"y\": 2.5}, {\"x\": \"t\", \"y\": null}], \"c\": true}",
        "{\"a\": 1, \"b\": [{\"x\": \"s\", \"y\": 2.5}], \"c\": true}",
        ("{\"a\": 1, \"b\": [{\"x\": \"s\", \"y\": 2.5}, {\"x\": \"t\", \"y\": null},"
         " {\"x\": \"t\", \"y\": null}], \"c\": true}"),
        "{\"A\": 1, \"b\": [{\"x\": \"s\", \"y\": 2.5}, {\"x\": \"t\", \"y\": null}], \"c\": true}",
        "{\"a\": 1, \"b\": [{\"x\": \"s\", \"y\": 2.5, \"t\": null}, {\"x\": \"t\"}], \"c\": true}",
    };
    char want[65], got[65], name[32];
    json_rows_hash(f, "s0.json", same[0], want);
    for (size_t i = 1; i < sizeof same / sizeof *same; i++) {
        snprintf(name, sizeof name, "s%zu.json", i);
        json_rows_hash(f, name, same[i], got);
        assert_string_equal(got, want);
    }
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        snprintf(name, sizeof name, "o%zu.json", i);
        json_rows_hash(f, name, other[i], got);
        assert_string_not_equal(got, want);
    }
}

static void test_extras_cut_long_keys_between_characters(void **state)
{
    (void)state;
    char key[128] = "kk";
    for (int i = 0; i < 40; i++)
        strcat(key, "\xc3\xa9"); /* 82 bytes: too long for a key, and byte 63 ends none */
    struct wp_extras x;
    wp_extras_init(&x);
    wp_extras_num(&x, key, 1.5);
    wp_extras_text_copy(&x, key, "v");
    assert_int_equal(x.n, 2);
    for (size_t i = 0; i < x.n; i++) {
        assert_int_equal(strlen(x.keys[i]), 62); /* "kk" and 30 whole e-acute */
        assert_true(wp_utf8_valid(x.keys[i], strlen(x.keys[i])));
    }
}

/* Header names as every detector reads them: the first line, split at commas (a run of
 * commas is one separator), trimmed of blanks, quotes and a CR, a BOM skipped. */
static void test_head_names_split_the_first_line(void **state)
{
    (void)state;
    const char head[] = "\xef\xbb\xbf timestamp,,\"power.draw [W]\" , index\r\n1,2,3\n";
    char buf[256];
    const char *names[8];
    size_t n = wp_head_names(head, sizeof head - 1, buf, sizeof buf, names, 8);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "timestamp");
    assert_string_equal(names[1], "power.draw [W]");
    assert_string_equal(names[2], "index");
    assert_int_equal(wp_head_names(head, sizeof head - 1, buf, sizeof buf, names, 2), 2);
    assert_int_equal(wp_head_names(",,,\n", 4, buf, sizeof buf, names, 8), 0);
    assert_int_equal(wp_head_names("a,\0b\n", 5, buf, sizeof buf, names, 8), 0); /* binary */
    n = wp_head_names("a, ,b", 5, buf, sizeof buf, names, 8); /* a blank name stays */
    assert_int_equal(n, 3);
    assert_string_equal(names[1], "");
}

/* wp_json_energy's bad rows: the sink sets each aside (WP_OK) and keeps where and what. */
struct said {
    char file[1024], msg[256];
    long line;
};

static enum wp_err set_aside(void *ctx, const char *raw, struct wp_diag *d)
{
    (void)raw;
    struct said *s = ctx;
    snprintf(s->file, sizeof s->file, "%s", d->file);
    s->line = d->line;
    snprintf(s->msg, sizeof s->msg, "%s", d->msg);
    return WP_OK;
}

static void test_json_energy_scales_and_sets_aside_bad_figures(void **state)
{
    (void)state;
    json_t *o = json_loads("{\"ok\": 2.5, \"none\": null, \"neg\": -0.5, \"text\": \"x\", "
                           "\"big\": 1e59}",
                           0, NULL);
    assert_non_null(o);
    struct said said = {.line = 0};
    struct wp_sink sink = {.bad_row = set_aside, .ctx = &said};
    struct wp_diag d = {0};
    double j;
    bool is_bad;
    assert_int_equal(wp_json_energy(&sink, "f.json", 4, o, "ok", 3600.0, "OK", "NEG", " (n)",
                                    &j, &is_bad, &d),
                     WP_OK);
    assert_false(is_bad);
    assert_true(j == 9000.0);
    assert_string_equal(said.msg, "");
    assert_int_equal(wp_json_energy(&sink, "f.json", 4, o, "none", 3600.0, "N", "NEG", "", &j,
                                    &is_bad, &d),
                     WP_OK);
    assert_false(is_bad);
    assert_true(isnan(j));
    assert_int_equal(wp_json_energy(&sink, "f.json", 5, o, "absent", 3600.0, "N", "NEG", "",
                                    &j, &is_bad, &d),
                     WP_OK);
    assert_false(is_bad);
    assert_string_equal(said.msg, "");
    assert_int_equal(wp_json_energy(&sink, "f.json", 6, o, "neg", 3600.0, "N", "\"neg\": below",
                                    " (n)", &j, &is_bad, &d),
                     WP_OK);
    assert_true(is_bad);
    assert_string_equal(said.file, "f.json");
    assert_int_equal(said.line, 6);
    assert_string_equal(said.msg, "\"neg\": below -0.5 (n)");
    assert_int_equal(wp_json_energy(&sink, "f.json", 7, o, "text", 1.0, "energy.text", "NEG", "",
                                    &j, &is_bad, &d),
                     WP_OK);
    assert_true(is_bad);
    assert_string_equal(said.file, "f.json");
    assert_int_equal(said.line, 7);
    assert_string_equal(said.msg, "energy.text is not a number");
    assert_int_equal(wp_json_energy(&sink, "f.json", 8, o, "big", 1e300, "big", "NEG", "", &j,
                                    &is_bad, &d),
                     WP_OK);
    assert_true(is_bad);
    assert_string_equal(said.file, "f.json");
    assert_int_equal(said.line, 8);
    assert_string_equal(said.msg, "big is out of range in J");
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hms_reads_carbontracker_durations),
        cmocka_unit_test(test_quantity_takes_its_unit_or_none),
        cmocka_unit_test(test_name_unit_splits_the_bracket),
        cmocka_unit_test(test_head_names_split_the_first_line),
        cmocka_unit_test(test_extras_cut_long_keys_between_characters),
        cmocka_unit_test(test_json_energy_scales_and_sets_aside_bad_figures),
        cmocka_unit_test_setup_teardown(test_csv_walk_headers_old_rows_cut_line_and_cp1252,
                                        fx_setup, fx_teardown),
        cmocka_unit_test(test_csv_no_data_says_why),
        cmocka_unit_test_setup_teardown(test_json_errors_name_line_and_column, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_json_rows_hash_is_of_the_values_not_the_layout,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_json_reads_python_nan_as_null_and_finds_key_lines,
                                        fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
