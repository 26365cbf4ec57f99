/* Tests of src/ingest/common.c: timestamps as the tools write them (epoch seconds checked
 * against Python's calendar.timegm), durations h:mm:ss, quantities with units, header
 * names with a bracketed unit, and JSON read whole with FILE:LINE:COL errors. */
#include "ingest_check.h"

#include "ingest/common.h"
#include "util/text.h"

static void test_time_reads_nvidia_smi_timestamps(void **state)
{
    (void)state;
    struct wp_when w;
    assert_true(wp_time_parse("2024/01/15 10:23:45.123", &w));
    assert_int_equal(w.whole_s, 1705314225LL); /* calendar.timegm((2024,1,15,10,23,45)) */
    assert_rel(w.frac_s, 0.123, 1e-15);
    assert_true(w.has_date);
    assert_string_equal(w.iso, "2024-01-15T10:23:45.123");
}

static void test_time_reads_iso_with_zone_and_eco2ai_dates(void **state)
{
    (void)state;
    struct wp_when a, b;
    assert_true(wp_time_parse("2024-02-29T23:59:60+01:00", &a)); /* leap day, leap second */
    assert_int_equal(a.whole_s, 1709247600LL); /* timegm(2024-03-01 00:00) - 3600 */
    assert_string_equal(a.iso, "2024-02-29T23:59:60+01:00");
    assert_true(wp_time_parse("2023-10-24 18:10:25", &b));
    assert_string_equal(b.iso, "2023-10-24T18:10:25");
    assert_int_equal(b.whole_s, 1698171025LL);
    assert_true(wp_time_parse("1999-12-31T23:00:00Z", &b));
    assert_int_equal(b.whole_s, 946681200LL);
    assert_string_equal(b.iso, "1999-12-31T23:00:00Z");
}

static void test_time_refuses_impossible_dates(void **state)
{
    (void)state;
    struct wp_when w;
    assert_false(wp_time_parse("2023-02-29 10:00:00", &w)); /* not a leap year */
    assert_false(wp_time_parse("2024/13/01 10:00:00", &w));
    assert_false(wp_time_parse("2024/01/15 24:00:00", &w));
    assert_false(wp_time_parse("2024/01/15 10:61:00", &w));
    assert_false(wp_time_parse("2024/01/15 10:00:00 garbage", &w));
    assert_false(wp_time_parse("yesterday", &w));
    assert_false(wp_time_parse("", &w));
}

static void test_time_reads_plain_seconds(void **state)
{
    (void)state;
    struct wp_when a, b;
    assert_true(wp_time_parse("1705314225.5", &a));
    assert_true(a.has_date);
    assert_string_equal(a.iso, "2024-01-15T10:23:45.500Z");
    assert_true(wp_time_parse("12.25", &b));
    assert_false(b.has_date); /* seconds since some start */
    assert_string_equal(b.iso, "");
    struct wp_when c;
    assert_true(wp_time_parse("2024/01/15 10:23:45.000", &c));
    struct wp_when d;
    assert_true(wp_time_parse("2024/01/15 10:23:46.125", &d));
    assert_rel(wp_when_diff(&c, &d), 1.125, 1e-15);
}

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

static void test_time_fractions_read_as_strtod_would(void **state)
{
    (void)state;
    static const char *const fracs[] = {"1", "05", "123", "999999999", "100000001", "3"};
    for (size_t i = 0; i < sizeof fracs / sizeof fracs[0]; i++) {
        char text[64], dec[24];
        struct wp_when w;
        snprintf(text, sizeof text, "2024/12/31 23:59:59.%s", fracs[i]);
        snprintf(dec, sizeof dec, "0.%s", fracs[i]);
        assert_true(wp_time_parse(text, &w));
        assert_true(w.frac_s == strtod(dec, NULL));
        char iso[64];
        snprintf(iso, sizeof iso, "2024-12-31T23:59:59.%s", fracs[i]);
        assert_string_equal(w.iso, iso);
    }
    struct wp_when w;
    assert_true(wp_time_parse("0999-01-02T03:04:05.5-05:30", &w));
    assert_string_equal(w.iso, "0999-01-02T03:04:05.5-05:30");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_reads_nvidia_smi_timestamps),
        cmocka_unit_test(test_time_reads_iso_with_zone_and_eco2ai_dates),
        cmocka_unit_test(test_time_fractions_read_as_strtod_would),
        cmocka_unit_test(test_time_refuses_impossible_dates),
        cmocka_unit_test(test_time_reads_plain_seconds),
        cmocka_unit_test(test_hms_reads_carbontracker_durations),
        cmocka_unit_test(test_quantity_takes_its_unit_or_none),
        cmocka_unit_test(test_name_unit_splits_the_bracket),
        cmocka_unit_test(test_extras_cut_long_keys_between_characters),
        cmocka_unit_test_setup_teardown(test_json_errors_name_line_and_column, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_json_reads_python_nan_as_null_and_finds_key_lines,
                                        fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
