/* Unit tests of the one timestamp parser (src/util/time.c): the shapes every input format
 * writes, as found in fixtures/ (epoch seconds checked against Python's calendar.timegm),
 * zones and fractions, what each of the two earlier parsers accepted (their union), the
 * calendar arithmetic against libc over two centuries, the newest-instant helper and the
 * instant to the second that PDF metadata shows. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "util/time.h"

#define assert_rel(a, e, rel) assert_true(fabs((a) - (e)) <= (rel) * ((e) == 0.0 ? 1.0 : fabs(e)))

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

static void test_time_accepts_codecarbon_and_zoned_timestamps(void **state)
{
    (void)state;
    double t;
    assert_true(wp_iso8601_seconds("1970-01-01T00:00:00", &t));
    assert_true(t == 0.0);
    assert_true(wp_iso8601_seconds("2023-11-20T22:13:20", &t));
    assert_true(t == 1700518400.0);
    assert_true(wp_iso8601_seconds("2023-11-20 22:13:20.250+01:00", &t));
    assert_true(t == 1700518400.25 - 3600.0);
    assert_true(wp_iso8601_valid("2024-02-29T00:00:00Z"));
    /* the study's summarize_xsum_15.csv, re-saved by a spreadsheet */
    assert_true(wp_iso8601_seconds("2023-10-06 0:05:27", &t));
    assert_true(t == 1696550727.0);
}

static void test_time_rejects_impossible_dates(void **state)
{
    (void)state;
    const char *bad[] = {"2020-04-31T03:26:11", "2023-13-45T25:61:00", "2023-02-29T00:00:00",
                         "2023-11-20", "20231120T221320", "2023-11-20T22:13:20junk"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(wp_iso8601_valid(bad[i]));
}

/* Every format's timestamps as its fixtures write them.  optimum-benchmark and ML.ENERGY
 * write none (durations only); their runs carry no start time. */
static void test_time_reads_every_formats_fixture_shapes(void **state)
{
    (void)state;
    static const struct {
        const char *format, *text, *iso;
        long long whole_s;
        double frac_s;
        bool has_date, is_written;
    } cases[] = {
        /* fixtures/formats/codecarbon/mlco2__codecarbon__examples__emissions__at_a4c8d30.csv */
        {"codecarbon", "2024-05-31T10:39:13", "2024-05-31T10:39:13", 1717151953, 0, true, true},
        /* fixtures/formats/eco2ai/emission.csv */
        {"eco2ai", "2024-03-02 09:15:00", "2024-03-02T09:15:00", 1709370900, 0, true, true},
        /* fixtures/formats/eco2ai/emission_2022.csv */
        {"eco2ai 2022", "2022-06-20 14:02:11", "2022-06-20T14:02:11", 1655733731, 0, true, true},
        /* fixtures/formats/carbontracker/ (the output log), the line's prefix */
        {"carbontracker", "2024-01-25 16:02:17", "2024-01-25T16:02:17", 1706198537, 0, true,
         true},
        /* fixtures/formats/nvidia-smi/two_gpus.csv (--format=csv pads with spaces) */
        {"nvidia-smi", " 2024/01/15 10:23:45.000", "2024-01-15T10:23:45.000", 1705314225, 0,
         true, true},
        {"nvidia-smi", "2024/01/15 10:23:45.050", "2024-01-15T10:23:45.050", 1705314225, 0.05,
         true, true},
        /* fixtures/formats/zeus/zeus_monitor_epoch.csv: Unix time */
        {"zeus", "1718870400.25", "2024-06-20T08:00:00.250Z", 1718870400, 0.25, true, false},
        /* fixtures/formats/zeus/zeus_monitor.csv: seconds since some start */
        {"zeus", "4210.52", "", 4210, 0.52, false, false},
        /* fixtures/formats/rapl/long.csv and wide.csv */
        {"rapl", "2024-01-15T10:23:45", "2024-01-15T10:23:45", 1705314225, 0, true, true},
        {"rapl", "1705314225.000", "2024-01-15T10:23:45.000Z", 1705314225, 0, true, false},
        /* fixtures/boamps/ (JSON) measurementDateTime and reportDatetime */
        {"boamps", "2023-09-08 14:19:31", "2023-09-08T14:19:31", 1694182771, 0, true, true},
        /* the study's summarize_xsum_15.csv, re-saved by a spreadsheet */
        {"codecarbon", "2023-10-06 0:05:27", "2023-10-06T00:05:27", 1696550727, 0, true, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wp_when w;
        print_message("%s: %s\n", cases[i].format, cases[i].text);
        assert_true(wp_time_parse(cases[i].text, &w));
        assert_int_equal(w.whole_s, cases[i].whole_s);
        assert_rel(w.frac_s, cases[i].frac_s, 1e-12);
        assert_int_equal(w.has_date, cases[i].has_date);
        assert_int_equal(w.is_written, cases[i].is_written);
        assert_string_equal(w.iso, cases[i].iso);
        /* a written date with a time is a valid ISO 8601 instant for the outputs too */
        assert_int_equal(wp_iso8601_valid(cases[i].text), cases[i].is_written);
    }
}

/* What either earlier parser took, both entry points now take (util/time.c had the
 * one-digit hour, "+01" and no spaces; ingest/common.c had '/', one-digit months and days,
 * 'z', spaces before the zone and around the text). */
static void test_time_accepts_the_union_of_both_earlier_parsers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long long whole_s;
    } ok[] = {
        {"2024/01/15 10:23:45.123", 1705314225},
        {"2024-1-5 9:05", 1704445500},
        {"2024-1-5T09:05:00", 1704445500},
        {"  2024-01-15T11:23:45z  ", 1705317825},
        {"2024-01-15 11:23:45 +01:00", 1705314225},
        {"2024-01-15T11:23:45+0100", 1705314225},
        {"2024-01-15T11:23:45+01", 1705314225},
        {"2024-01-15T05:53:45-04:30", 1705314225},
        {"2024-01-15T10:23:45,5Z", 1705314225},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct wp_when w;
        double t;
        print_message("%s\n", ok[i].text);
        assert_true(wp_time_parse(ok[i].text, &w));
        assert_int_equal(w.whole_s, ok[i].whole_s);
        assert_true(wp_iso8601_seconds(ok[i].text, &t));
        assert_true(t == (double)ok[i].whole_s + w.frac_s);
    }
    /* a date alone is a time (midnight) for a log, but no instant for an output's date */
    struct wp_when w;
    assert_true(wp_time_parse("2024-01-15", &w));
    assert_int_equal(w.whole_s, 1705276800);
    assert_false(w.has_time);
    assert_false(wp_iso8601_valid("2024-01-15"));
    /* numbers are times for a log, never an output's date */
    assert_false(wp_iso8601_valid("1705314225"));
    static const char *const bad[] = {"2024-01-15T10:23:45+1", "2024-01-15T10:23:45+01:5",
                                      "2024-01-15T10:2:00",
                                      "2024-01-15T10:23:4", "2024-01-15T10:23:45.",
                                      "2024-01/15 10:00", "24-01-15 10:00", "0x1p30",
                                      "inf", "-5", "1e14"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        print_message("bad: %s\n", bad[i]);
        assert_false(wp_time_parse(bad[i], &w) && w.has_time);
    }
}

/* The calendar arithmetic by hand against libc's timegm and gmtime_r, every day of
 * 1900-2100 and a spread of Unix times. */
static void test_time_calendar_matches_libc(void **state)
{
    (void)state;
    for (long long day = -25567; day <= 47482; day++) { /* 1900-01-01 .. 2100-01-01 */
        time_t t = (time_t)(day * 86400 + 3723);
        struct tm tm;
        assert_non_null(gmtime_r(&t, &tm));
        char text[40], iso[40];
        strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
        strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S", &tm);
        struct wp_when w;
        assert_true(wp_time_parse(text, &w));
        if (w.whole_s != (long long)t)
            fail_msg("%s: %lld, libc %lld", text, w.whole_s, (long long)t);
        assert_string_equal(w.iso, iso);
    }
    for (long long s = 100000000; s < 9000000000LL; s += 7777777) {
        time_t t = (time_t)s;
        struct tm tm;
        assert_non_null(gmtime_r(&t, &tm));
        char want[48], text[32];
        strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%S.250Z", &tm);
        snprintf(text, sizeof text, "%lld.25", s);
        struct wp_when w;
        assert_true(wp_time_parse(text, &w));
        assert_string_equal(w.iso, want);
    }
}

/* Offsets decide which is newer; a timestamp too long to keep is kept as UTC. */
static void test_time_keep_newest_compares_instants(void **state)
{
    (void)state;
    char newest[32] = "";
    double s = 0;
    wp_iso8601_keep_newest(newest, sizeof newest, &s, "2024-01-15T10:00:00+02:00");
    assert_string_equal(newest, "2024-01-15T10:00:00+02:00");
    wp_iso8601_keep_newest(newest, sizeof newest, &s, "2024-01-15T09:00:00Z"); /* later */
    assert_string_equal(newest, "2024-01-15T09:00:00Z");
    wp_iso8601_keep_newest(newest, sizeof newest, &s, "2024-01-15T08:59:59Z");
    assert_string_equal(newest, "2024-01-15T09:00:00Z");
    wp_iso8601_keep_newest(newest, sizeof newest, &s, "not a date");
    assert_string_equal(newest, "2024-01-15T09:00:00Z");
    char small[24] = "";
    s = 0;
    wp_iso8601_keep_newest(small, sizeof small, &s, "2024-01-15T10:00:00.123456+02:00");
    assert_string_equal(small, "2024-01-15T08:00:00Z");
    char tiny[8] = "";
    s = 0;
    wp_iso8601_keep_newest(tiny, sizeof tiny, &s, "2024-01-15T10:00:00Z");
    assert_string_equal(tiny, "");
}

static void test_time_iso_s_is_the_parsed_instant_to_the_second(void **state)
{
    (void)state;
    char out[WP_TIME_ISO_S_SIZE];
    /* nvidia-smi's slashes and fraction: the first 19 characters were "2024/01/15 10:23:45" */
    assert_true(wp_time_iso_s("2024/01/15 10:23:45.123", out));
    assert_string_equal(out, "2024-01-15T10:23:45");
    /* one-digit month, day and hour, no seconds: cut to 19 it ran into the next field */
    assert_true(wp_time_iso_s("2024-1-5 9:05", out));
    assert_string_equal(out, "2024-01-05T09:05:00");
    /* the zone is kept, after the fraction that is dropped */
    assert_true(wp_time_iso_s("2024-01-15T10:23:45.123456+0200", out));
    assert_string_equal(out, "2024-01-15T10:23:45+02:00");
    assert_true(wp_time_iso_s(" 2024-01-15 10:23:45 Z ", out));
    assert_string_equal(out, "2024-01-15T10:23:45Z");
    assert_true(wp_time_iso_s("2024-01-15", out)); /* a date alone: its midnight */
    assert_string_equal(out, "2024-01-15T00:00:00");
    /* what the parser cannot read, or a number, is never shown as a date */
    const char *bad[] = {"not a date", "2024-02-30T10:00:00", "2024-01-15 25:00",
                         "1700000000", "", "2024-01-15T10:23:45 garbage"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(out, "x", 2);
        assert_false(wp_time_iso_s(bad[i], out));
        assert_string_equal(out, "");
    }
    assert_false(wp_time_iso_s(NULL, out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_reads_nvidia_smi_timestamps),
        cmocka_unit_test(test_time_reads_iso_with_zone_and_eco2ai_dates),
        cmocka_unit_test(test_time_refuses_impossible_dates),
        cmocka_unit_test(test_time_reads_plain_seconds),
        cmocka_unit_test(test_time_fractions_read_as_strtod_would),
        cmocka_unit_test(test_time_accepts_codecarbon_and_zoned_timestamps),
        cmocka_unit_test(test_time_rejects_impossible_dates),
        cmocka_unit_test(test_time_reads_every_formats_fixture_shapes),
        cmocka_unit_test(test_time_accepts_the_union_of_both_earlier_parsers),
        cmocka_unit_test(test_time_calendar_matches_libc),
        cmocka_unit_test(test_time_keep_newest_compares_instants),
        cmocka_unit_test(test_time_iso_s_is_the_parsed_instant_to_the_second),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
