/* Unit tests of the text helpers (src/util/text.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdlib.h>

#include <cmocka.h>

#include "util/text.h"

static void test_text_utf8_validation(void **state)
{
    (void)state;
    assert_true(wp_utf8_valid("\xc3\x8ele-de-France", 14));
    assert_false(wp_utf8_valid("\xcele-de-France", 13));
    assert_false(wp_utf8_valid("\xc0\xaf", 2));          /* overlong */
    assert_false(wp_utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
    assert_false(wp_utf8_valid("a\0b", 3));
}

static void test_text_windows1252_converts_to_utf8(void **state)
{
    (void)state;
    char out[64];
    size_t n = wp_cp1252_to_utf8("\xcele \x80", 5, out);
    assert_string_equal(out, "\xc3\x8ele \xe2\x82\xac");
    assert_int_equal(n, strlen(out));
}

/* The eight-bytes-at-a-time ASCII path still finds a NUL, a bad byte or a good sequence
 * anywhere in a long text. */
static void test_utf8_long_text_checked_at_every_position(void **state)
{
    (void)state;
    char buf[40];
    for (size_t at = 0; at + 2 <= sizeof buf; at++) {
        memset(buf, 'a', sizeof buf);
        assert_true(wp_utf8_valid(buf, sizeof buf));
        buf[at] = '\0';
        assert_false(wp_utf8_valid(buf, sizeof buf));
        buf[at] = (char)0xff;
        assert_false(wp_utf8_valid(buf, sizeof buf));
        buf[at] = (char)0xc3, buf[at + 1] = (char)0xa9; /* e acute */
        assert_true(wp_utf8_valid(buf, sizeof buf));
        buf[at + 1] = 'a'; /* a lead byte without its continuation */
        assert_false(wp_utf8_valid(buf, sizeof buf));
    }
}

static void check_escape(const char *in, const char *want)
{
    char *got = wp_text_escape_controls(in);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_escape_controls_shows_what_a_terminal_would_run(void **state)
{
    (void)state;
    check_escape("plain model/name-1.csv", "plain model/name-1.csv");
    check_escape("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m");
    check_escape("two\nlines\tand\rcr", "two\\nlines\\tand\\rcr");
    check_escape("del\x7f bell\x07", "del\\x7f bell\\x07");
    check_escape("csi \xc2\x9b" "2J", "csi \\u009b2J");      /* C1 control U+009B */
    check_escape("caf\xc3\xa9 \xc2\xa0nbsp", "caf\xc3\xa9 \xc2\xa0nbsp"); /* kept */
    check_escape("latin1 caf\xe9", "latin1 caf\\xe9");        /* not UTF-8 */
    check_escape("cut \xe2\x82", "cut \\xe2\\x82");           /* truncated sequence */
    check_escape("emoji \xf0\x9f\x94\x8b", "emoji \xf0\x9f\x94\x8b");
    check_escape("", "");
}

static void test_escape_shows_bidi_controls_and_noncharacters(void **state)
{
    (void)state;
    /* U+202E right-to-left override, U+2066 isolate, U+200F mark, U+FEFF, U+FFFE */
    check_escape("gpt\xe2\x80\xaetxt.exe", "gpt\\u202etxt.exe");
    check_escape("a\xe2\x81\xa6" "b\xe2\x80\x8f" "c", "a\\u2066b\\u200fc");
    check_escape("\xef\xbb\xbf" "bom \xef\xbf\xbe", "\\ufeffbom \\ufffe");
    check_escape("dash \xe2\x80\x94 zwj \xe2\x80\x8d", "dash \xe2\x80\x94 zwj \xe2\x80\x8d");
    char *got = wp_text_escape_display("line\n\ttab \x1b[0m \xe2\x80\xae");
    assert_non_null(got);
    assert_string_equal(got, "line\n\ttab \\x1b[0m \\u202e"); /* layout kept */
    free(got);
}

static void test_yaml_string_escapes_what_a_yaml_stream_cannot_hold(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    wp_yaml_put_text(f, "q\"\\ \x1b \xc2\x9b \xef\xbf\xbe\xef\xbf\xbf \xe2\x80\xae");
    assert_int_equal(fclose(f), 0);
    assert_string_equal(buf, "\"q\\\"\\\\ \\x1b \\u009b \\uFFFE\\uFFFF \xe2\x80\xae\"");
    free(buf);
}

static void test_json_put_text_escapes_quotes_controls_and_del(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    wp_json_put_text(f, "a\"b\\c\n\t\x01\x7f\xc3\xa9");
    fputc(' ', f);
    wp_json_put_text(f, NULL);
    fclose(f);
    assert_string_equal(buf, "\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\xc3\xa9\" \"\"");
    free(buf);
}

static void test_text_sig_one_notation_with_separators(void **state)
{
    (void)state;
    static const struct { double x; int sig; const char *want; } cases[] = {
        {0.002586, 4, "0.002586"}, {-2.23e-05, 4, "-0.00002230"}, {0.000281, 4, "0.0002810"},
        {2.586, 4, "2.586"},       {1128.4, 4, "1,128"},         {59257, 4, "59,260"},
        {568300000, 3, "568,000,000"}, {9.99996, 4, "10.00"},  {0, 4, "0"},
        {0.08, 4, "0.08000"},      {-0.00001, 1, "-0.00001"},
    };
    char b[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wp_text_sig(cases[i].x, cases[i].sig, b, sizeof b);
        assert_string_equal(b, cases[i].want);
    }
    wp_text_sig(NAN, 4, b, sizeof b);
    assert_string_equal(b, "n/a");
    char task[] = "extractive_qa_lm";
    wp_text_task_words(task);
    assert_string_equal(task, "extractive QA LM");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_put_text_escapes_quotes_controls_and_del),
        cmocka_unit_test(test_utf8_long_text_checked_at_every_position),
        cmocka_unit_test(test_text_utf8_validation),
        cmocka_unit_test(test_text_windows1252_converts_to_utf8),
        cmocka_unit_test(test_escape_controls_shows_what_a_terminal_would_run),
        cmocka_unit_test(test_escape_shows_bidi_controls_and_noncharacters),
        cmocka_unit_test(test_yaml_string_escapes_what_a_yaml_stream_cannot_hold),
        cmocka_unit_test(test_text_sig_one_notation_with_separators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
