/* Unit tests of the template engine (src/report/template.c): values, sections, escaping
 * for Markdown and YAML, standalone lines, and errors at FILE:LINE:COL. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/template.h"

static const struct wp_tpl_name item_names[] = {
    {"name", NULL}, {"x", NULL}, {NULL, NULL},
};

static const struct wp_tpl_name vocab[] = {
    {"model", NULL}, {"n", NULL}, {"x", NULL}, {"empty", NULL}, {"items", item_names},
    {NULL, NULL},
};

/* Renders text with v (or an empty set) into a new string; the error code goes to *e. */
static char *render(const char *text, const struct wp_tval *v, enum wp_err *e,
                    struct wp_diag *d)
{
    struct wp_tpl *t;
    *e = wp_tpl_compile(text, strlen(text), "t.md", vocab, &t, d);
    if (*e)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    *e = wp_tpl_render(t, v, f, d);
    fclose(f);
    wp_tpl_free(t);
    return buf;
}

static char *ok(const char *text, const struct wp_tval *v)
{
    enum wp_err e;
    struct wp_diag d = {0};
    char *out = render(text, v, &e, &d);
    if (e)
        fail_msg("%s:%ld:%ld: %s", d.file, d.line, d.col, d.msg);
    return out;
}

static struct wp_tval *sample(void)
{
    struct wp_tval *v = wp_tval_new();
    assert_non_null(v);
    wp_tval_text(v, "model", "org/<b>m*1_</b> & [x](y) | #");
    wp_tval_int(v, "n", 12345);
    wp_tval_num(v, "x", 0.000123456, 3);
    wp_tval_text(v, "empty", "");
    for (int i = 0; i < 3; i++) {
        struct wp_tval *it = wp_tval_item(v, "items");
        char name[8];
        snprintf(name, sizeof name, "i%d", i);
        wp_tval_text(it, "name", name);
        wp_tval_num(it, "x", i == 1 ? NAN : i + 0.5, 2);
    }
    return v;
}

static void test_template_escapes_text_for_markdown_and_html(void **state)
{
    (void)state;
    struct wp_tval *v = sample();
    char *out = ok("Model: {{model}}.", v);
    assert_string_equal(out, "Model: org/&lt;b&gt;m\\*1\\_&lt;/b&gt; &amp; \\[x\\](y) \\| \\#.");
    free(out);
    wp_tval_text(v, "model", "line\nbreak `code` \"q\" 'a' ~{x}\\");
    out = ok("{{model}}", v);
    assert_string_equal(out, "line break \\`code\\` &quot;q&quot; &#39;a&#39; \\~\\{x\\}\\\\");
    free(out);
    wp_tval_free(v);
}

static void test_template_quotes_text_in_the_front_matter_only(void **state)
{
    (void)state;
    struct wp_tval *v = sample();
    wp_tval_text(v, "model", "a\"b\\c\nd: e\xe2\x80\xa8");
    char *out = ok("---\nmodel: {{model}}\nn: {{n}}\nx: {{x}}\n---\n{{model}} {{n}} {{x}}\n", v);
    assert_string_equal(out, "---\nmodel: \"a\\\"b\\\\c\\nd: e\\L\"\nn: 12345\nx: 0.000123456\n"
                             "---\na&quot;b\\\\c d: e\xe2\x80\xa8 12,345 0.000123\n");
    free(out);
    wp_tval_free(v);
}

static void test_template_front_matter_must_open_the_file(void **state)
{
    (void)state;
    struct wp_tval *v = sample();
    /* a comment before it is fine; text before it means there is none */
    char *out = ok("{{! note {{x}} }}\n---\nm: {{model}}\n---\n", v);
    assert_non_null(strstr(out, "m: \"org/<b>m*1_</b> & [x](y) | #\""));
    free(out);
    out = ok("intro\n---\nm: {{n}} {{model}}\n---\n", v);
    assert_non_null(strstr(out, "m: 12,345 org/&lt;b&gt;"));
    free(out);
    wp_tval_free(v);
}

static void test_template_repeats_lists_with_index_first_last(void **state)
{
    (void)state;
    struct wp_tval *v = sample();
    char *out = ok("[{{#items}}{{index}}:{{name}}{{^last}}, {{/last}}{{/items}}]"
                   "{{#items}}{{#first}} first={{name}}{{/first}}{{/items}}", v);
    assert_string_equal(out, "[1:i0, 2:i1, 3:i2] first=i0");
    free(out);
    /* an outer name is visible inside the list */
    out = ok("{{#items}}{{name}}/{{n}} {{/items}}", v);
    assert_string_equal(out, "i0/12,345 i1/12,345 i2/12,345 ");
    free(out);
    wp_tval_free(v);
}

static void test_template_sections_show_set_values_and_inverted_the_rest(void **state)
{
    (void)state;
    struct wp_tval *v = sample();
    char *out = ok("{{#items}}{{#x}}{{x}}{{/x}}{{^x}}none{{/x}};{{/items}}"
                   "{{#empty}}E{{/empty}}{{^empty}}no-e{{/empty}}{{#n}} n{{/n}}", v);
    assert_string_equal(out, "0.50;none;2.5;no-e n");
    free(out);
    wp_tval_free(v);
    /* an empty list: the section disappears, the inverted one shows */
    v = wp_tval_new();
    wp_tval_list(v, "items");
    wp_tval_text(v, "model", "m");
    out = ok("{{#items}}{{name}}{{/items}}{{^items}}no items{{/items}}", v);
    assert_string_equal(out, "no items");
    free(out);
    wp_tval_free(v);
}

static void test_template_standalone_tag_lines_disappear(void **state)
{
    (void)state;
    struct wp_tval *v = sample();
    char *out = ok("a\n{{#items}}\n  - {{name}}\n{{/items}}\n  {{! comment }}  \nb\n", v);
    assert_string_equal(out, "a\n  - i0\n  - i1\n  - i2\nb\n");
    free(out);
    wp_tval_free(v);
}

static void expect_error(const char *text, long line, long col, const char *msg_part)
{
    struct wp_tval *v = sample();
    enum wp_err e;
    struct wp_diag d = {0};
    char *out = render(text, v, &e, &d);
    free(out);
    wp_tval_free(v);
    assert_int_equal(e, WP_ERR_PARSE);
    assert_string_equal(d.file, "t.md");
    assert_int_equal(d.line, line);
    assert_int_equal(d.col, col);
    if (!strstr(d.msg, msg_part))
        fail_msg("message \"%s\" lacks \"%s\"", d.msg, msg_part);
}

static void test_template_unknown_placeholder_is_an_error_at_line_and_column(void **state)
{
    (void)state;
    expect_error("first line\n  \xc3\xa9 {{modle}}\n", 2, 5, "unknown placeholder {{modle}}");
    /* even inside a section the data leaves empty */
    expect_error("{{#items}}\n{{nope}}\n{{/items}}", 2, 1, "unknown placeholder {{nope}}");
    /* an item's name is not known outside its list */
    expect_error("{{name}}", 1, 1, "unknown placeholder {{name}}");
}

static void test_template_syntax_errors_say_where(void **state)
{
    (void)state;
    expect_error("a {{model", 1, 3, "unterminated tag");
    expect_error("{{#items}}\nx", 1, 1, "never closed");
    expect_error("{{#items}}{{/model}}", 1, 11, "does not close {{#items}}");
    expect_error("x {{/items}}", 1, 3, "closes no section");
    expect_error("{{{model}}}", 1, 1, "raw output");
    expect_error("{{&model}}", 1, 1, "raw output");
    expect_error("{{> other}}", 1, 1, "not supported");
    expect_error("{{ }}", 1, 1, "empty tag");
    expect_error("{{a b}}", 1, 1, "is not a name");
    expect_error("{{items}}", 1, 1, "is a list");
    expect_error("{{first}}", 1, 1, "only known inside a list");
    expect_error("{{#items}}{{last}}{{/items}}", 1, 11, "is a condition");
}

/* Found by the fuzz harness (tests/fuzz/fuzz_template.c): bytes that are not UTF-8 went
 * into the message quoting a bad tag, and on to pango in the report's prose. */
static void test_template_refuses_bytes_that_are_not_utf8_where_they_are(void **state)
{
    (void)state;
    expect_error("ok \xc3\xa9\nsecond \xff line", 2, 8, "byte 0xFF does not begin a UTF-8");
    expect_error("{{last_\xff\xff}}", 1, 8, "UTF-8 text");
    expect_error("cut \xe2\x82", 1, 5, "byte 0xE2"); /* a character cut at the end */
    expect_error("\xed\xa0\x80 surrogate", 1, 1, "byte 0xED");
    expect_error("\xc0\xaf overlong", 1, 1, "byte 0xC0");
}

static void test_template_message_quoting_a_bad_tag_is_clean_utf8(void **state)
{
    (void)state;
    /* 99 bytes, then a 2-byte character across the 100-byte cut: quoted without it */
    char text[160];
    memset(text, 0, sizeof text);
    memcpy(text, "{{", 2);
    memset(text + 2, 'a', 99);
    memcpy(text + 101, "\xc3\xa9 b}}", 6);
    struct wp_diag d = {0};
    struct wp_tpl *t;
    assert_int_equal(wp_tpl_compile(text, strlen(text), "t.md", vocab, &t, &d), WP_ERR_PARSE);
    assert_non_null(strstr(d.msg, "is not a name"));
    assert_null(strstr(d.msg, "\xc3"));
    assert_non_null(strstr(d.msg, "aaa\" is not"));
    /* a newline or tab inside a tag is shown as a space, the message stays on one line */
    assert_int_equal(wp_tpl_compile("{{a\nb\tc}}", 9, "t.md", vocab, &t, &d), WP_ERR_PARSE);
    assert_non_null(strstr(d.msg, "\"a b c\" is not a name"));
}

/* A long line of tags: the line around each tag is found incrementally (it was searched
 * from every tag, quadratic: a 1 MB line took 34 s), and standalone lines still vanish. */
static void test_template_long_line_of_tags_renders_whole(void **state)
{
    (void)state;
    struct wp_tval *v = sample();
    size_t n = 100000;
    char *text = malloc(n * 12 + 64);
    assert_non_null(text);
    size_t k = 0;
    k += (size_t)sprintf(text + k, "{{#items}}\n");
    for (size_t i = 0; i < n; i++)
        k += (size_t)sprintf(text + k, i % 2 ? "{{n}} " : "{{#n}}.{{/n}}");
    k += (size_t)sprintf(text + k, "\n {{/items}}\nend");
    char *out = ok(text, v);
    size_t len = strlen(out);
    /* each item: n/2 times ".12,345 ", then the newline; the standalone lines are gone */
    assert_int_equal(len, 3 * (n / 2 * 8 + 1) + 3);
    assert_memory_equal(out, ".12,345 .12,345 ", 16);
    assert_string_equal(out + len - 5, " \nend");
    free(out);
    free(text);
    wp_tval_free(v);
}

/* A section nested inside itself repeats its list's length to the power of its depth
 * (3^32 here): the render stops at its budget with the place, and writes no more than it
 * (the budget cut to 1 MiB, to keep the test fast under valgrind; the 64 MiB default:
 * fixtures/bad/templates/nested_sources.md). */
static void test_template_sections_nested_in_themselves_stop_at_the_limit(void **state)
{
    (void)state;
    struct wp_tval *v = sample();
    char text[1024] = "";
    for (int i = 0; i < 32; i++)
        strcat(text, i == 31 ? "\n  {{#items}}" : "{{#items}}");
    strcat(text, "{{model}}");
    for (int i = 0; i < 32; i++)
        strcat(text, "{{/items}}");
    struct wp_tpl *t;
    struct wp_diag d = {0};
    assert_int_equal(wp_tpl_compile(text, strlen(text), "t.md", vocab, &t, &d), WP_OK);
    wp_tpl_set_max_output(t, 1 << 20);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(wp_tpl_render(t, v, f, &d), WP_ERR_LIMIT);
    fclose(f);
    assert_string_equal(d.file, "t.md");
    assert_int_equal(d.line, 2);
    assert_true(d.col == 3 || d.col == 13); /* the last section or the value in it */
    assert_non_null(strstr(d.msg, "more than 1 MiB"));
    assert_true(len > (1 << 16) && len <= (1 << 20));
    free(buf);
    /* the same with an empty body: nothing written, still stopped */
    strcpy(text, "");
    for (int i = 0; i < 32; i++)
        strcat(text, "{{#items}}");
    for (int i = 0; i < 32; i++)
        strcat(text, "{{/items}}");
    wp_tpl_free(t);
    assert_int_equal(wp_tpl_compile(text, strlen(text), "t.md", vocab, &t, &d), WP_OK);
    wp_tpl_set_max_output(t, 1 << 20);
    f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(wp_tpl_render(t, v, f, &d), WP_ERR_LIMIT);
    fclose(f);
    assert_int_equal(len, 0);
    free(buf);
    wp_tpl_free(t);
    wp_tval_free(v);
}

static void test_template_missing_value_is_reported_at_render(void **state)
{
    (void)state;
    struct wp_tval *v = wp_tval_new();
    enum wp_err e;
    struct wp_diag d = {0};
    char *out = render("x\n {{model}}", v, &e, &d);
    free(out);
    wp_tval_free(v);
    assert_int_equal(e, WP_ERR_PARSE);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 2);
    assert_non_null(strstr(d.msg, "no value for {{model}}"));
}

static void test_template_values_are_never_expanded_again(void **state)
{
    (void)state;
    struct wp_tval *v = sample();
    wp_tval_text(v, "model", "{{n}}");
    char *out = ok("---\nm: {{model}}\n---\n{{model}}", v);
    assert_string_equal(out, "---\nm: \"{{n}}\"\n---\n\\{\\{n\\}\\}");
    free(out);
    wp_tval_free(v);
}

static void test_template_yaml_numbers_round_trip_with_a_point(void **state)
{
    (void)state;
    char buf[40];
    wp_tpl_num_yaml(0.1, buf, sizeof buf);
    assert_string_equal(buf, "0.1");
    wp_tpl_num_yaml(1e-05, buf, sizeof buf);
    assert_string_equal(buf, "0.00001");
    wp_tpl_num_yaml(1.25e-7, buf, sizeof buf);
    assert_string_equal(buf, "1.25e-07");
    wp_tpl_num_yaml(3e-9, buf, sizeof buf);
    assert_string_equal(buf, "3.0e-09");
    wp_tpl_num_yaml(100, buf, sizeof buf);
    assert_string_equal(buf, "100");
    wp_tpl_num_yaml(123456789012.0, buf, sizeof buf);
    assert_string_equal(buf, "123456789012");
    wp_tpl_num_yaml(2.5e+20, buf, sizeof buf);
    assert_string_equal(buf, "2.5e+20");
    wp_tpl_num_yaml(NAN, buf, sizeof buf);
    assert_string_equal(buf, "null");
    wp_tpl_num_yaml(INFINITY, buf, sizeof buf);
    assert_string_equal(buf, "null");
    double third = 1.0 / 3.0;
    wp_tpl_num_yaml(third, buf, sizeof buf);
    assert_true(strtod(buf, NULL) == third);
    wp_tpl_num_yaml(0.30000000000000004, buf, sizeof buf);
    assert_string_equal(buf, "0.30000000000000004");
}

static void test_template_prose_numbers_have_significant_digits(void **state)
{
    (void)state;
    char buf[48];
    wp_tpl_num_prose(1234.56, 4, buf, sizeof buf);
    assert_string_equal(buf, "1,235");
    wp_tpl_num_prose(123456.7, 3, buf, sizeof buf);
    assert_string_equal(buf, "123,000");
    wp_tpl_num_prose(0.00012345, 3, buf, sizeof buf);
    assert_string_equal(buf, "0.000123");
    wp_tpl_num_prose(9.9996, 4, buf, sizeof buf);
    assert_string_equal(buf, "10.00");
    wp_tpl_num_prose(-2.5e-5, 4, buf, sizeof buf);
    assert_string_equal(buf, "-2.500e-05");
    wp_tpl_num_prose(0, 4, buf, sizeof buf);
    assert_string_equal(buf, "0.000");
    wp_tpl_num_prose(NAN, 4, buf, sizeof buf);
    assert_string_equal(buf, "n/a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_escapes_text_for_markdown_and_html),
        cmocka_unit_test(test_template_quotes_text_in_the_front_matter_only),
        cmocka_unit_test(test_template_front_matter_must_open_the_file),
        cmocka_unit_test(test_template_repeats_lists_with_index_first_last),
        cmocka_unit_test(test_template_sections_show_set_values_and_inverted_the_rest),
        cmocka_unit_test(test_template_standalone_tag_lines_disappear),
        cmocka_unit_test(test_template_unknown_placeholder_is_an_error_at_line_and_column),
        cmocka_unit_test(test_template_syntax_errors_say_where),
        cmocka_unit_test(test_template_refuses_bytes_that_are_not_utf8_where_they_are),
        cmocka_unit_test(test_template_message_quoting_a_bad_tag_is_clean_utf8),
        cmocka_unit_test(test_template_long_line_of_tags_renders_whole),
        cmocka_unit_test(test_template_sections_nested_in_themselves_stop_at_the_limit),
        cmocka_unit_test(test_template_missing_value_is_reported_at_render),
        cmocka_unit_test(test_template_values_are_never_expanded_again),
        cmocka_unit_test(test_template_yaml_numbers_round_trip_with_a_point),
        cmocka_unit_test(test_template_prose_numbers_have_significant_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
