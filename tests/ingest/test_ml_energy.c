/* Tests of src/ingest/ml_energy.c through the ingest driver: the three leaderboard
 * generations (constructed fixtures and the two real files), labels from the file, and
 * refusals of energies that are negative or not numbers. */
#include "ingest_check.h"

static void test_ml_energy_v1_csv_is_one_run_per_model(void **state)
{
    struct fx *f = *state;
    fx_ingest_expected(f, "ml-energy/v1_A100_chat_benchmark.csv", NULL, NULL);
    assert_string_equal(fx_totals(f, NULL).tool_version, "v1");
}

/* Each run's model, in run order, joined by "|". */
static int join_model(void *ctx, const struct wp_run_row *r)
{
    char *out = ctx;
    size_t len = strlen(out);
    snprintf(out + len, 512 - len, "%s%s", len ? "|" : "", r->model);
    return 0;
}

static void models_of(struct fx *f, char out[512])
{
    out[0] = '\0';
    struct wp_run_filter flt = {.by_run_id = true};
    assert_int_equal(wp_store_each_run(f->s, &flt, join_model, out, NULL), WP_OK);
}

/* A v1 file measures several models, one a row: each row's runs get its own model (the
 * file as a whole has none); a v3 file of configurations of other models, likewise. */
static void test_ml_energy_v1_rows_label_their_own_models(void **state)
{
    struct fx *f = *state;
    char models[512];
    assert_int_equal(fx_ingest(f, "fixtures/formats/ml-energy/v1_A100_chat_benchmark.csv",
                               false, NULL, NULL), WP_OK);
    models_of(f, models);
    assert_string_equal(models, "lmsys/vicuna-7B|metaai/Llama-2-7b-chat-hf|tatsu-lab/alpaca-7B");
    /* a v3 file whose configurations name other models than the file's: by configuration */
    const char *p = fx_write(f, "mixed.json",
        "{\"model_id\": \"org/a\", \"task\": \"chat\",\n \"configurations\": [\n"
        "  {\"model_id\": \"org/b\", \"energy_per_request_joules\": 3.5},\n"
        "  {\"energy_per_request_joules\": 2},\n"
        "  {\"model_id\": \"org/b\", \"energy_per_request_joules\": 4}\n]}\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, NULL), WP_OK);
    models_of(f, models);
    assert_string_equal(models, "lmsys/vicuna-7B|metaai/Llama-2-7b-chat-hf|tatsu-lab/alpaca-7B|"
                                "org/b|org/a|org/b");
}

static void test_ml_energy_v2_flat_json_labels_its_model(void **state)
{
    struct fx *f = *state;
    fx_ingest_expected(f, "ml-energy/v2_llm.json", NULL, NULL);
    struct fx_sum s = fx_totals(f, NULL);
    assert_string_equal(s.model, "meta-llama/Meta-Llama-3.1-8B-Instruct");
    assert_string_equal(s.gpu_model, "NVIDIA A100-SXM4-40GB");
}

static void test_ml_energy_v3_configurations_label_model_and_task(void **state)
{
    struct fx *f = *state;
    fx_ingest_expected(f, "ml-energy/v3_text-to-image.json", NULL, NULL);
    struct fx_sum s = fx_totals(f, NULL);
    assert_string_equal(s.model, "stabilityai/stable-diffusion-3.5-medium");
    assert_string_equal(s.task, "text-to-image");
    assert_string_equal(s.tool_version, "v3");
}

static void test_ml_energy_real_files_ingest(void **state)
{
    struct fx *f = *state;
    assert_int_equal(fx_ingest(f, "fixtures/real/zeus/ml-energy__leaderboard-v2__data__diffusion__"
                                  "text-to-image__A100-SXM4-40GB__kandinsky-community__"
                                  "kandinsky-2-2-decoder__bs1+steps25.json",
                               false, NULL, NULL),
                     WP_OK);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 1);
    assert_rel(s.energy_j, 329.6848999999929, 1e-15);
    assert_int_equal(fx_ingest(f, "fixtures/real/zeus/ml-energy__leaderboard__public__data__models__"
                                  "meta-llama__Llama-3.1-8B-Instruct__lm-arena-chat.json",
                               false, NULL, NULL),
                     WP_OK);
    assert_int_equal(fx_totals(f, NULL).runs, 21);
}

static void test_ml_energy_negative_energy_names_its_line(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "neg.json",
        "{\"model_id\": \"m/x\",\n \"configurations\": [\n"
        "  {\"energy_per_request_joules\": 3.5},\n"
        "  {\"energy_per_request_joules\": -2}\n]}\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 4);
    assert_contains(d.msg, "negative energy");
    struct wp_file_result r;
    p = fx_write(f, "neg2.json",
        "{\"model_id\": \"m/x\",\n \"configurations\": [\n"
        "  {\"energy_per_request_joules\": 3.5},\n"
        "  {\"energy_per_request_joules\": -2}\n]}\n");
    assert_int_equal(fx_ingest(f, p, true, &r, NULL), WP_OK);
    assert_int_equal(r.rows_added, 1);
    assert_int_equal(r.rows_rejected, 1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_ml_energy_v1_csv_is_one_run_per_model),
        T(test_ml_energy_v1_rows_label_their_own_models),
        T(test_ml_energy_v2_flat_json_labels_its_model),
        T(test_ml_energy_v3_configurations_label_model_and_task),
        T(test_ml_energy_real_files_ingest),
        T(test_ml_energy_negative_energy_names_its_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
