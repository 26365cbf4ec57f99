/* Tests of src/export/ without a store: the JSON writer's numbers (shortest round trip,
 * xsd:decimal without exponent) and escaping, file names, the BoAmps report id, SCI's
 * sums on a hand-made selection, and the checks of the values a user states. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/export.h"
#include "export/json.h"

static void test_json_numbers_are_shortest_round_trip(void **state)
{
    (void)state;
    char buf[40];
    assert_string_equal(wp_xj_fmt(0.1, buf, sizeof buf), "0.1");
    assert_string_equal(wp_xj_fmt(1.0 / 3.0, buf, sizeof buf), "0.3333333333333333");
    assert_true(strtod(wp_xj_fmt(0.0018627266053817867, buf, sizeof buf), NULL) ==
                0.0018627266053817867);
}

static void test_json_decimal_has_no_exponent(void **state)
{
    (void)state;
    char buf[400];
    static const struct {
        double v;
        const char *text;
    } cases[] = {
        {59257, "59257"},       {7.79e-05, "0.0000779"},  {0.1, "0.1"},
        {123.456, "123.456"},   {1.5e20, "150000000000000000000"},
        {0, "0"},               {-0.001, "-0.001"},       {2.5, "2.5"},
        {1e-300, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wp_xj_decimal(cases[i].v, buf, sizeof buf);
        if (cases[i].text)
            assert_string_equal(buf, cases[i].text);
        assert_null(strpbrk(buf, "eE"));
        assert_true(strtod(buf, NULL) == cases[i].v); /* reads back to the same double */
    }
}

static void test_json_writer_escapes_and_indents(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    struct wp_xjson j;
    wp_xj_init(&j, f);
    wp_xj_open(&j, NULL, '{');
    wp_xj_str(&j, "a\"b", "x\n\x01\\");
    wp_xj_open(&j, "list", '[');
    wp_xj_num(&j, NULL, NAN);
    wp_xj_int(&j, NULL, -3);
    wp_xj_close(&j, ']');
    wp_xj_open(&j, "empty", '{');
    wp_xj_close(&j, '}');
    wp_xj_str_opt(&j, "left out", "");
    wp_xj_close(&j, '}');
    wp_xj_end(&j);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(text, "{\n  \"a\\\"b\": \"x\\n\\u0001\\\\\",\n  \"list\": [\n    null,\n"
                              "    -3\n  ],\n  \"empty\": {}\n}\n");
    free(text);
}

static void test_file_names_are_safe(void **state)
{
    (void)state;
    char buf[220];
    wp_export_file_name("org/model", "text_classification", ".boamps.json", buf, sizeof buf);
    assert_string_equal(buf, "org--model__text_classification.boamps.json");
    wp_export_file_name("../../etc/passwd", NULL, ".spdx.json", buf, sizeof buf);
    assert_string_equal(buf, "_.--..--etc--passwd.spdx.json");
    wp_export_file_name("caf\xc3\xa9 x", "t", ".md", buf, sizeof buf);
    assert_string_equal(buf, "caf__x__t.md");
    char longer[600];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    wp_export_file_name(longer, longer, ".json", buf, sizeof buf);
    assert_true(strlen(buf) <= 205);
    assert_string_equal(buf + strlen(buf) - 5, ".json");
}

static void test_report_id_is_stable_and_follows_inputs(void **state)
{
    (void)state;
    char *sha[] = {"aa", "bb"};
    struct wp_export_group g = {.model = "m", .task = "t", .sha256 = sha, .n_sha256 = 2};
    char a[37], b[37], c[37];
    wp_export_report_id(&g, a);
    wp_export_report_id(&g, b);
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), 36);
    assert_int_equal(a[14], '8');                  /* version: custom (a digest) */
    assert_non_null(strchr("89ab", a[19]));         /* RFC 9562 variant */
    g.n_sha256 = 1;
    wp_export_report_id(&g, c);
    assert_string_not_equal(a, c);
    g.n_sha256 = 2;
    g.task = "u";
    wp_export_report_id(&g, c);
    assert_string_not_equal(a, c);
}

/* A selection of three runs of two models on one task, by hand. */
static void fake_sel(struct wp_export_sel *sel, struct wp_export_run runs[3])
{
    static char m1[] = "m1", m2[] = "m2", t[] = "t", empty[] = "";
    for (int i = 0; i < 3; i++) {
        runs[i] = (struct wp_export_run){
            .run_id = i + 1, .inferences = 1000, .model = i < 2 ? m1 : m2, .task = t,
            .run_uid = empty, .dataset = empty, .started_at = empty, .tool = empty,
            .tool_version = empty, .gpu_model = empty, .cpu_model = empty,
            .country_iso_code = empty, .region = empty,
            .energy_j = 3.6e6 * (i + 1), .duration_s = 10.0 * (i + 1),
            .carbon_intensity_g_per_kwh = i == 2 ? NAN : 100.0 * (i + 1),
            .cpu_energy_j = NAN, .gpu_energy_j = NAN, .ram_energy_j = NAN,
            .emissions_g = NAN, .training_energy_j = NAN,
        };
    }
    runs[1].token_samples = 10;
    runs[1].input_tokens = 150;
    runs[1].output_tokens = 50; /* 20 tokens per inference */
    *sel = (struct wp_export_sel){.runs = runs, .n = 3};
}

static void test_sci_sums_and_weights(void **state)
{
    (void)state;
    struct wp_export_sel sel;
    struct wp_export_run runs[3];
    fake_sel(&sel, runs);
    struct wp_sci_opts o = {.unit = WP_SCI_INFERENCE, .embodied_g = NAN,
                            .intensity_g_per_kwh = NAN};
    struct wp_sci s;
    assert_int_equal(wp_export_sci(&sel, &o, &s, NULL), WP_OK);
    assert_int_equal(s.n, 1);
    const struct wp_sci_row *r = &s.rows[0];
    assert_true(fabs(r->e_kwh - 6) < 1e-12);
    /* I over the runs with an intensity, weighted by energy: (1 x 100 + 2 x 200) / 3 */
    assert_true(fabs(r->i_g_per_kwh - 500.0 / 3) < 1e-12);
    assert_int_equal(r->n_no_intensity, 1);
    /* no GPU count: the embodied table does not apply, M 0 and the runs counted */
    assert_true(r->m_g == 0 && r->r == 3000 && r->n_runs == 3 && r->n_no_embodied == 3);
    assert_true(fabs(r->sci - 6 * (500.0 / 3) / 3000) < 1e-15);
    /* the interval over the task's 2 models: the pooled SCI as its estimate */
    assert_int_equal(r->sci_ci.n, 2);
    assert_true(fabs(r->sci_ci.estimate - r->sci) < 1e-15 && r->sci_ci.lo <= r->sci_ci.hi);
    wp_sci_free(&s);
    /* with GPU counts, M from the table: (2,500 kg + 8 x 150 kg) x 60 s / 6 years */
    for (int i = 0; i < 3; i++)
        runs[i].gpu_count = 8;
    assert_int_equal(wp_export_sci(&sel, &o, &s, NULL), WP_OK);
    assert_true(fabs(s.rows[0].m_g - 3700e3 * 60 / (6 * 365.25 * 86400)) < 1e-12);
    assert_true(s.rows[0].n_no_embodied == 0);
    wp_sci_free(&s);
    for (int i = 0; i < 3; i++)
        runs[i].gpu_count = NAN;
    /* per model, M shared by duration, a what-if I */
    o.by_model = true;
    o.embodied_g = 60;
    o.intensity_g_per_kwh = 50;
    assert_int_equal(wp_export_sci(&sel, &o, &s, NULL), WP_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.rows[0].model, "m1");
    assert_true(fabs(s.rows[0].m_g - 60 * 30.0 / 60) < 1e-12);
    assert_true(fabs(s.rows[1].m_g - 60 * 30.0 / 60) < 1e-12);
    assert_true(s.rows[1].i_g_per_kwh == 50 && s.rows[1].n_no_intensity == 0);
    assert_true(fabs(s.rows[1].sci - (3 * 50 + 30) / 1000.0) < 1e-15);
    wp_sci_free(&s);
    /* per token: the run with counts only */
    o.by_model = false;
    o.unit = WP_SCI_TOKEN;
    o.embodied_g = NAN;
    assert_int_equal(wp_export_sci(&sel, &o, &s, NULL), WP_OK);
    assert_true(s.rows[0].n_runs == 1 && s.rows[0].n_no_units == 2);
    assert_true(s.rows[0].r == 20000 && fabs(s.rows[0].e_kwh - 2) < 1e-12);
    wp_sci_free(&s);
}

static void test_sci_units_parse(void **state)
{
    (void)state;
    enum wp_sci_unit u;
    assert_true(wp_sci_unit_parse("token", &u) && u == WP_SCI_TOKEN);
    assert_string_equal(wp_sci_unit_name(WP_SCI_IMAGE), "image");
    assert_false(wp_sci_unit_parse("kg", &u));
}

static void test_stated_values_are_checked(void **state)
{
    (void)state;
    struct wp_export_opts o = {.confidentiality = "internal", .infra_type = "onPremise"};
    struct wp_diag d = {0};
    assert_int_equal(wp_export_opts_check(&o, &d), WP_OK);
    o.report_status = "published";
    assert_int_equal(wp_export_opts_check(&o, &d), WP_ERR_USAGE);
    assert_non_null(strstr(d.msg, "--report-status: \"published\" is not one of draft"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_numbers_are_shortest_round_trip),
        cmocka_unit_test(test_json_decimal_has_no_exponent),
        cmocka_unit_test(test_json_writer_escapes_and_indents),
        cmocka_unit_test(test_file_names_are_safe),
        cmocka_unit_test(test_report_id_is_stable_and_follows_inputs),
        cmocka_unit_test(test_sci_sums_and_weights),
        cmocka_unit_test(test_sci_units_parse),
        cmocka_unit_test(test_stated_values_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
