/* Unit tests of the model card (src/report/card.c): file names from model ids, the values
 * a template gets (stars, CIs, co2_eq_emissions only when training emissions are known),
 * escaping of hostile names, and the shipped template against the vocabulary. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/card.h"
#include "analysis/provenance.h"

static void name_is(const char *model, const char *want)
{
    char buf[256];
    wp_card_file_name(model, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_card_file_names_are_safe(void **state)
{
    (void)state;
    name_is("google-bert/bert-base-uncased", "google-bert--bert-base-uncased.md");
    name_is("distilbert_base.v2", "distilbert_base.v2.md");
    name_is("../../etc/passwd", "_.--..--etc--passwd.md");
    name_is(".hidden", "_hidden.md");
    name_is("<b>x</b> & y", "_b_x_--b____y.md");
    name_is("mod\xc3\xa8le", "mod_le.md");
    name_is("", "_.md");
    char longname[600];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    char buf[256];
    wp_card_file_name(longname, buf, sizeof buf);
    assert_int_equal(strlen(buf), 203);
    assert_string_equal(buf + 200, ".md");
}

/* Two models on one task (by model and task), the first hostile. */
struct fixture {
    struct wp_analysis a;
    struct wp_group_stats g[2];
};

static const char *const hostile = "evil/<script>alert(1)</script> *x* [l](u) | \"q\"\n# h";

static void make(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    wp_analysis_defaults(&f->a.opts);
    f->a.opts.by = WP_BY_MODEL_TASK;
    const char *models[2] = {hostile, "plain/model"};
    for (int i = 0; i < 2; i++) {
        struct wp_group_stats *g = &f->g[i];
        g->task = "text_classification";
        g->model = models[i];
        g->n = g->n_runs = 10;
        g->n_experiments = 1;
        g->n_units = 10; /* as with --unit run */
        g->kwh.mean = 0.002 * (i + 1);
        g->kwh.sd = 0.0001;
        g->kwh_t = (struct wp_ci){.lo = 0.0019 * (i + 1), .hi = 0.0021 * (i + 1)};
        g->kwh_boot = (struct wp_ci){.lo = 0.00195 * (i + 1), .hi = 0.00205 * (i + 1)};
        g->g.mean = 0.3 * (i + 1);
        g->g_t = (struct wp_ci){.lo = 0.28 * (i + 1), .hi = 0.32 * (i + 1)};
        g->gpu_kwh_per_1k = 0.001 * (i + 1);
        g->training_energy_j = NAN;
        g->parity_inferences = NAN;
    }
    f->a.groups = f->g;
    f->a.n_groups = 2;
    snprintf(f->a.newest_measurement, sizeof f->a.newest_measurement, "2024-01-02T03:04:05");
}

static const char tpl_text[] =
    "---\n"
    "{{#co2}}\n"
    "co2_eq_emissions:\n"
    "  emissions: {{emissions_g}}\n"
    "  source: {{source}}\n"
    "{{/co2}}\n"
    "inference_energy:\n"
    "  model: {{model}}\n"
    "{{#tasks}}\n"
    "  - task: {{task}}\n"
    "    kwh: {{kwh_per_1k}}\n"
    "    ci: [{{kwh_ci_t_lo}}, {{kwh_ci_t_hi}}]\n"
    "    stars: {{stars}}\n"
    "{{/tasks}}\n"
    "---\n"
    "# {{model}}\n"
    "{{#tasks}}{{task}}: {{kwh_per_1k}} {{stars_symbols}} of {{rated_models}}{{/tasks}}\n"
    "{{^co2}}no training emissions{{/co2}}\n";

static char *card(const struct fixture *f, const char *model,
                  const struct wp_card_training *tr, enum wp_err *e)
{
    struct wp_tpl *t;
    assert_int_equal(wp_tpl_compile(tpl_text, strlen(tpl_text), "t.md", wp_card_vocab, &t,
                                    NULL), WP_OK);
    struct wp_card_input in = {.model = model, .models = &f->a, .training = tr,
                               .tool = "wattprint test"};
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    *e = wp_card_write(t, &in, out, NULL);
    fclose(out);
    wp_tpl_free(t);
    return buf;
}

static void test_card_escapes_a_hostile_model_name(void **state)
{
    (void)state;
    struct fixture f;
    make(&f);
    enum wp_err e;
    char *out = card(&f, hostile, NULL, &e);
    assert_int_equal(e, WP_OK);
    /* quoted in the front matter, escaped in the text: no tag, no heading, no link */
    assert_non_null(strstr(out, "  model: \"evil/<script>alert(1)</script> *x* [l](u) | "
                                "\\\"q\\\"\\n# h\"\n"));
    assert_non_null(strstr(out, "# evil/&lt;script&gt;alert(1)&lt;/script&gt; \\*x\\* "
                                "\\[l\\](u) \\| &quot;q&quot; \\# h\n"));
    assert_int_equal(strstr(out, "<script>") - out, strstr(out, "model: \"") - out + 13);
    free(out);
}

static void test_card_rates_within_the_task_and_gives_exact_numbers(void **state)
{
    (void)state;
    struct fixture f;
    make(&f);
    enum wp_err e;
    char *out = card(&f, "plain/model", NULL, &e);
    assert_int_equal(e, WP_OK);
    assert_non_null(strstr(out, "    kwh: 0.004\n"));
    assert_non_null(strstr(out, "    ci: [0.0038, 0.0042]\n"));
    assert_non_null(strstr(out, "    stars: 1\n")); /* the higher GPU energy of two */
    assert_non_null(strstr(out, "text\\_classification: 0.004000 \xe2\x98\x85\xe2\x98\x86"));
    assert_non_null(strstr(out, " of 2\n"));
    free(out);
    out = card(&f, hostile, NULL, &e);
    assert_non_null(strstr(out, "    stars: 5\n"));
    free(out);
}

static void test_card_leaves_co2_eq_emissions_out_unless_training_is_known(void **state)
{
    (void)state;
    struct fixture f;
    make(&f);
    enum wp_err e;
    char *out = card(&f, "plain/model", NULL, &e);
    assert_null(strstr(out, "co2_eq_emissions"));
    assert_non_null(strstr(out, "no training emissions"));
    free(out);
    struct wp_card_training tr = {.emissions_g = 83.5, .source = "codecarbon",
                                  .intensity_g_per_kwh = NAN};
    out = card(&f, "plain/model", &tr, &e);
    assert_non_null(strstr(out, "co2_eq_emissions:\n  emissions: 83.5\n  source: \"codecarbon\"\n"));
    assert_null(strstr(out, "no training emissions"));
    free(out);
    /* from the training energy and a grid intensity: 1 kWh x 100 g/kWh = 100 g */
    f.g[1].training_energy_j = 3.6e6;
    tr = (struct wp_card_training){.emissions_g = NAN, .intensity_g_per_kwh = 100,
                                   .intensity_source = "test grid"};
    out = card(&f, "plain/model", &tr, &e);
    assert_non_null(strstr(out, "  emissions: 100\n"));
    assert_non_null(strstr(out, "test grid"));
    free(out);
}

static void test_card_unknown_model_is_empty(void **state)
{
    (void)state;
    struct fixture f;
    make(&f);
    enum wp_err e;
    free(card(&f, "nobody/none", NULL, &e));
    assert_int_equal(e, WP_ERR_EMPTY);
}

static void test_card_shipped_template_uses_known_names(void **state)
{
    (void)state;
    const char *top = getenv("TOP");
    char path[4096];
    snprintf(path, sizeof path, "%s/templates/card.md", top && *top ? top : ".");
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s (run from the source tree or set TOP)", path);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text, fp);
    fclose(fp);
    struct wp_tpl *t;
    struct wp_diag d = {0};
    enum wp_err e = wp_tpl_compile(text, n, path, wp_card_vocab, &t, &d);
    if (e)
        fail_msg("%s:%ld:%ld: %s", d.file, d.line, d.col, d.msg);
    /* and it renders */
    struct fixture f;
    make(&f);
    struct wp_card_input in = {.model = "plain/model", .models = &f.a, .tool = "wattprint"};
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(wp_card_write(t, &in, out, &d), WP_OK);
    fclose(out);
    assert_true(strncmp(buf, "---\ninference_energy:\n", 22) == 0);
    free(buf);
    wp_tpl_free(t);
}

/* The shipped template rendered for plain/model with facts fa (may be NULL). */
static char *shipped(const struct fixture *f, const struct wp_model_facts *fa)
{
    const char *top = getenv("TOP");
    char path[4096];
    snprintf(path, sizeof path, "%s/templates/card.md", top && *top ? top : ".");
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s (run from the source tree or set TOP)", path);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text, fp);
    fclose(fp);
    struct wp_tpl *t;
    struct wp_diag d = {0};
    if (wp_tpl_compile(text, n, path, wp_card_vocab, &t, &d))
        fail_msg("%s:%ld:%ld: %s", d.file, d.line, d.col, d.msg);
    struct wp_card_input in = {.model = "plain/model", .models = &f->a, .facts = fa,
                               .tool = "wattprint"};
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(wp_card_write(t, &in, out, &d), WP_OK);
    fclose(out);
    wp_tpl_free(t);
    return buf;
}

static void test_card_names_the_hub_task(void **state)
{
    (void)state;
    assert_string_equal(wp_card_hub_task("masked_lm"), "fill-mask");
    assert_string_equal(wp_card_hub_task("text_classification"), "text-classification");
    assert_string_equal(wp_card_hub_task("text-classification"), "text-classification");
    assert_string_equal(wp_card_hub_task("Extractive_QA"), "question-answering");
    assert_string_equal(wp_card_hub_task("image_captioning"), "image-to-text");
    assert_null(wp_card_hub_task("my_own_task"));
    assert_null(wp_card_hub_task(""));
    struct fixture f;
    make(&f);
    char *out = shipped(&f, NULL);
    assert_non_null(strstr(out, "      pipeline_tag: \"text-classification\"\n"));
    assert_non_null(strstr(out, "| text\\_classification (Hub: text-classification) |"));
    free(out);
}

/* Regression (issue 25): the card gave the database's newest date, listed local paths and
 * an interval over a single unit. */
static void test_card_dates_the_model_and_hashes_its_inputs(void **state)
{
    (void)state;
    struct fixture f;
    make(&f); /* the database's newest: 2024-01-02T03:04:05 */
    static char p1[] = "/home/me/secret/a.csv", p2[] = "/home/me/secret/b.csv";
    static char s1[] = "bbbb", s2[] = "aaaa", nm[] = "a.csv", fm[] = "codecarbon", at[] = "";
    struct wp_source_file files[2] = {
        {.path = p1, .name = nm, .format = fm, .sha256 = s1, .ingested_at = at},
        {.path = p2, .name = nm, .format = fm, .sha256 = s2, .ingested_at = at},
    };
    struct wp_model_facts fa = {.runs = 10, .inferences = 1000};
    fa.sources = (struct wp_source_list){.v = files, .n = 2, .cap = 2};
    snprintf(fa.newest, sizeof fa.newest, "2023-05-06T07:08:09");
    char *out = shipped(&f, &fa);
    assert_non_null(strstr(out, "  newest_measurement: \"2023-05-06T07:08:09\"\n"));
    assert_null(strstr(out, "2024-01-02"));
    assert_null(strstr(out, "/home/me"));
    /* sha256("aaaa\nbbbb\n") */
    assert_non_null(strstr(out, "  input_files: 2\n  input_files_sha256: "
                                "\"1200d291bac880a19cbedf41c8235aac97344b087f324fc1a39513c956524e41\""));
    assert_non_null(strstr(out, "wattprint sources --model 'plain/model'"));
    free(out);
}

static void test_card_gives_no_interval_over_one_unit(void **state)
{
    (void)state;
    struct fixture f;
    make(&f);
    f.g[1].n_units = 1; /* one model: the bootstrap of one unit is a point */
    char *out = shipped(&f, NULL);
    assert_non_null(strstr(out, "      energy_kwh_per_1000_inferences_ci: [null, null]\n"));
    assert_null(strstr(out, "0.0038"));
    assert_null(strstr(out, "0.0039"));
    assert_non_null(strstr(out, "| 0.004000 | n/a | n/a |"));
    free(out);
    f.g[1].n_units = 10;
    f.g[1].n = f.g[1].n_runs = 1;
    out = shipped(&f, NULL);
    assert_null(strstr(out, "0.0038"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_card_file_names_are_safe),
        cmocka_unit_test(test_card_escapes_a_hostile_model_name),
        cmocka_unit_test(test_card_rates_within_the_task_and_gives_exact_numbers),
        cmocka_unit_test(test_card_leaves_co2_eq_emissions_out_unless_training_is_known),
        cmocka_unit_test(test_card_unknown_model_is_empty),
        cmocka_unit_test(test_card_shipped_template_uses_known_names),
        cmocka_unit_test(test_card_names_the_hub_task),
        cmocka_unit_test(test_card_dates_the_model_and_hashes_its_inputs),
        cmocka_unit_test(test_card_gives_no_interval_over_one_unit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
