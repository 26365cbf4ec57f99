/* Tests of src/ingest/optimum_benchmark.c through the ingest driver: a report with the
 * config beside it (labels from the config), the combined benchmark.json, the real
 * energy_star report, and the files with nothing to ingest, each saying why. */
#include "ingest_check.h"

static void test_optimum_report_phases_form_one_run_labelled_by_its_config(void **state)
{
    struct fx *f = *state;
    struct wp_file_result r;
    struct fx_sum s = fx_ingest_expected(f, "optimum-benchmark/energy_star/benchmark_report.json",
                                         &r, NULL);
    assert_int_equal(r.rows_added, 4);
    assert_rel(s.gpu_energy_j, (3.0e-05 + 6.0e-04 + 0.07 + 0.11) * 3.6e6, 1e-12);
    assert_string_equal(s.model, "openai-community/gpt2");
    assert_string_equal(s.task, "text-generation");
    assert_string_equal(s.dataset, "EnergyStarAI/text_generation");
    assert_string_equal(s.tool_version, "0.5.0.dev0");
    assert_string_equal(s.gpu_model, "NVIDIA H100 80GB HBM3");
    struct fx_sum prefill = fx_totals(f, "prefill");
    assert_rel(prefill.energy_j, (0.004 + 0.002 + 0.07) * 3.6e6, 1e-12);
}

static void test_optimum_combined_benchmark_json_skips_phases_without_energy(void **state)
{
    struct fx *f = *state;
    struct wp_file_result r;
    struct fx_sum s =
        fx_ingest_expected(f, "optimum-benchmark/pytorch/benchmark.json", &r, NULL);
    assert_int_equal(r.rows_added, 3); /* per_token has latency, no energy */
    assert_string_equal(s.tool_version, "0.5.0");
}

static void test_optimum_real_energy_star_report(void **state)
{
    struct fx *f = *state;
    assert_int_equal(fx_ingest(f, "fixtures/real/optimum-benchmark/JulienDelavande__benchlab__"
                                  "thank_you__runs__llama3_8B__2025-05-30-14-49-15__"
                                  "benchmark_report.json",
                               false, NULL, NULL),
                     WP_OK);
    /* EXPECTED.tsv: prefill 0.08173 kWh, decode 0.14152 kWh */
    assert_rel(fx_totals(f, "prefill").energy_j, 0.08172944713225458 * 3.6e6, 1e-12);
    assert_rel(fx_totals(f, "decode").energy_j, 0.14152102857830748 * 3.6e6, 1e-12);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 1);
    assert_string_equal(s.model, "meta-llama/Llama-3.1-8B-Instruct");
}

static void test_optimum_energy_off_is_no_run_with_the_reason(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    assert_int_equal(fx_ingest(f, "fixtures/real/optimum-benchmark/"
                                  "huggingface__optimum-benchmark__benchmark_report.json",
                               false, NULL, &d),
                     WP_ERR_EMPTY);
    assert_string_equal(d.msg, "energy tracking was off (energy is null in every phase)");
    assert_int_equal(fx_totals(f, NULL).runs, 0);
}

static void test_optimum_config_alone_says_it_is_a_config(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    assert_int_equal(fx_ingest(f, "fixtures/formats/optimum-benchmark/energy_star/"
                                  "benchmark_config.json",
                               false, NULL, &d),
                     WP_ERR_EMPTY);
    assert_contains(d.msg, "benchmark_config.json");
    assert_contains(d.msg, "no measurements");
}

static void test_optimum_negative_phase_energy_is_refused(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "benchmark_report.json",
        "{\n"
        "  \"prefill\": {\"memory\": null, \"energy\": {\"unit\": \"kWh\", \"cpu\": 0.1,\n"
        "               \"ram\": 0.1, \"gpu\": 0.1, \"total\": 0.3}},\n"
        "  \"decode\": {\"memory\": null, \"energy\": {\"unit\": \"kWh\", \"cpu\": 0.1,\n"
        "              \"ram\": 0.1, \"gpu\": -0.2, \"total\": 0.0}}\n"
        "}\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 4);
    assert_contains(d.msg, "phase decode: negative energy.gpu");
    assert_int_equal(fx_totals(f, NULL).runs, 0);
}

static void test_optimum_invalid_json_names_line_and_column(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "benchmark_report.json",
                             "{\"prefill\": {\"energy\": null, \"latency\": null}\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 2);
    assert_contains(d.msg, "invalid JSON");
}

static void test_optimum_gpu_names_are_joined_whole(void **state)
{
    struct fx *f = *state;
    char e126[253] = "", config[1024];
    for (int i = 0; i < 126; i++)
        strcat(e126, "\xc3\xa9"); /* 252 bytes of e-acute */
    snprintf(config, sizeof config,
             "{\"backend\": {\"name\": \"pytorch\", \"model\": \"gpt2\"}, \"scenario\": "
             "{\"name\": \"energy_star\"}, \"environment\": {\"gpu\": [\"%s\", "
             "\"\xc3\xbc\xc3\xbc\", \"B\"]}}\n",
             e126);
    fx_write(f, "g_benchmark_config.json", config);
    const char *p = fx_write(f, "g_benchmark_report.json",
                             "{\"prefill\": {\"latency\": null, \"energy\": {\"unit\": "
                             "\"kWh\", \"cpu\": 0.1, \"ram\": 0.1, \"gpu\": 0.1, "
                             "\"total\": 0.3}}}\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, NULL), WP_OK);
    struct fx_run r = fx_first_run(f);
    char want[300];
    snprintf(want, sizeof want, "%s, B", e126); /* the second name does not fit whole */
    assert_string_equal(r.gpu_model, want);
}

/* AI Energy Score puts the per-iteration measures beside energy: they are checked too
 * (before: a negative decode measure passed without a word; then with a warning, the
 * phase stored).  A negative measure is refused as a negative phase energy is, at its
 * entry; --skip-bad-rows sets the phase aside and keeps the others. */
static void test_optimum_aienergyscore_negative_measure_is_refused_at_its_entry(void **state)
{
    struct fx *f = *state;
    const char *path = "fixtures/bad/formats/optimum_aies_negative_measure_report.json";
    struct wp_diag d = {0};
    struct wp_file_result r;
    assert_int_equal(fx_ingest(f, path, false, &r, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 51);
    assert_int_equal(d.col, 13);
    assert_contains(d.msg, "phase decode: per-iteration energy measure 2 of 2 is negative "
                           "(total -0.00025; 1 negative in all)");
    assert_int_equal(fx_ingest(f, path, true, &r, &d), WP_OK);
    assert_int_equal(r.rows_added, 1); /* prefill */
    assert_int_equal(r.rows_rejected, 1);
}

/* Measures as bare numbers inside energy (a fork's layout): the entry found by position. */
static void test_optimum_negative_bare_measure_is_refused_at_its_entry(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "bare_report.json",
        "{\"decode\": {\"latency\": null, \"efficiency\": null, \"energy\": {\"unit\": \"kWh\",\n"
        "  \"cpu\": 1, \"ram\": 1, \"gpu\": 1,"
        "  \"total\": 3, \"measures\": [1.5, \"x\",\n  {\"a\": [1, 2]},\n"
        "     -0.5, 1]}}}\n");
    struct wp_diag d = {0};
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 4);
    assert_int_equal(d.col, 6);
    assert_contains(d.msg, "measure 4 of 5 is negative (-0.5; 1 negative in all)");
}

static void test_optimum_aienergyscore_gpu_summary_alone_is_one_run(void **state)
{
    struct fx *f = *state;
    double energy;
    struct fx_sum s = fx_ingest_expected(
        f, "optimum-benchmark/aienergyscore_summary/GPU_ENERGY_SUMMARY.json", NULL, &energy);
    assert_rel(s.gpu_energy_j, energy, 1e-12);
    assert_rel(s.energy_j, (0.12 + 21.3 + 310.4) * 3600.0, 1e-12);
    assert_string_equal(s.phases, "decode+prefill+preprocess");
}

/* Beside its benchmark_report.json the summary would count the same run twice. */
static void test_optimum_aienergyscore_gpu_summary_beside_its_report_is_skipped(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    assert_int_equal(fx_ingest(f, "fixtures/formats/optimum-benchmark/aienergyscore/"
                                  "GPU_ENERGY_SUMMARY.json",
                               false, NULL, &d),
                     WP_ERR_EMPTY);
    assert_contains(d.msg, "benchmark_report.json beside it");
    assert_int_equal(fx_totals(f, NULL).runs, 0);
}

static void test_optimum_aienergyscore_gpu_summary_negative_phase_is_refused(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    assert_int_equal(fx_ingest(f, "fixtures/bad/formats/aies_negative_GPU_ENERGY_SUMMARY.json",
                               false, NULL, &d),
                     WP_ERR_PARSE);
    assert_int_equal(d.line, 7);
    assert_contains(d.msg, "decode_wh: negative GPU energy");
}

/* optimum-benchmark 0.6 writes generate beside prefill and decode, with decode = generate -
 * prefill: the run is load_model + first_generate + prefill + decode, generate left out
 * (it was counted twice: the run was stored as 0.002181 kWh where it used 0.001896). */
static void test_optimum_v06_generate_is_not_counted_beside_prefill_and_decode(void **state)
{
    struct fx *f = *state;
    struct wp_file_result r;
    struct fx_sum s = fx_ingest_expected(
        f, "optimum-benchmark/text_generation_0.6/benchmark_report.json", &r, NULL);
    assert_int_equal(r.rows_added, 4);
    assert_rel(s.energy_j, (0.0013 + 0.000311 + 0.000285) * 3.6e6, 1e-12);
    assert_string_equal(s.phases, "decode+first_generate+load_model+prefill");
    assert_string_equal(s.tool_version, "0.6.0");
    assert_int_equal(fx_totals(f, "generate").runs, 0);
    assert_int_equal(f->warnings, 0);
}

/* A generate that is not prefill + decode is still left out, and said. */
static void test_optimum_v06_generate_not_their_sum_is_warned(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "benchmark_report.json",
                             "{\n"
                             " \"generate\": {\"latency\": null, \"energy\": {\"unit\": "
                             "\"kWh\", \"cpu\": 1, \"ram\": 1, \"gpu\": 8, \"total\": 10}},\n"
                             " \"prefill\": {\"latency\": null, \"energy\": {\"unit\": "
                             "\"kWh\", \"cpu\": 0, \"ram\": 0, \"gpu\": 2, \"total\": 2}},\n"
                             " \"decode\": {\"latency\": null, \"energy\": {\"unit\": "
                             "\"kWh\", \"cpu\": 0, \"ram\": 0, \"gpu\": 7, \"total\": 7}}\n"
                             "}\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, NULL), WP_OK);
    assert_rel(fx_totals(f, NULL).energy_j, 9 * 3.6e6, 1e-12);
    assert_int_equal(f->warnings, 1);
    assert_contains(f->warning, ":2: phase generate: energy.total 10 kWh is not prefill + "
                                "decode = 9 kWh");
}

/* AI Energy Score's summary of an ai_energy_benchmarks run puts 0 Wh under preprocess and
 * prefill and the whole energy under decode: one run of its total, without phases. */
static void test_optimum_aienergyscore_unphased_summary_is_its_total(void **state)
{
    struct fx *f = *state;
    struct fx_sum s = fx_ingest_expected(
        f, "optimum-benchmark/aienergyscore_aeb/GPU_ENERGY_SUMMARY.json", NULL, NULL);
    assert_rel(s.gpu_energy_j, 187.4321 * 3600.0, 1e-12);
    assert_string_equal(s.phases, "run");
    assert_int_equal(fx_totals(f, "decode").runs, 0);
    assert_int_equal(fx_totals(f, "prefill").runs, 0);
}

/* Beside the ai_energy_benchmarks report it was made from (which is not optimum-benchmark's
 * and is not read), the summary is the run: it is not skipped. */
static void test_optimum_aienergyscore_unphased_summary_beside_its_report_is_read(void **state)
{
    struct fx *f = *state;
    fx_write(f, "benchmark_report.json", "{\"energy\": {\"gpu_energy_wh\": 12.5}}\n");
    const char *p = fx_write(f, "GPU_ENERGY_SUMMARY.json",
                             "{\n  \"units\": \"Wh\",\n  \"total\": 12.5,\n  \"format\": "
                             "\"ai_energy_benchmarks\",\n  \"preprocess_wh\": 0.0,\n  "
                             "\"prefill_wh\": 0.0,\n  \"decode_wh\": 12.5\n}");
    assert_int_equal(fx_ingest(f, p, false, NULL, NULL), WP_OK);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 1);
    assert_rel(s.energy_j, 12.5 * 3600.0, 1e-12);
}

/* The extra `key` of the measurements of source 1, NAN when none has it. */
struct fx_extra {
    const char *key;
    double value;
};

static int find_extra(void *ctx, long long run_id, const char *run_uid,
                      const struct wp_measurement *m)
{
    struct fx_extra *x = ctx;
    (void)run_id;
    (void)run_uid;
    for (size_t i = 0; i < m->n_extra; i++)
        if (strcmp(m->extra_keys[i], x->key) == 0)
            x->value = strtod(m->extra_values[i], NULL);
    return 0;
}

/* optimum-benchmark writes an efficiency of 0 when the phase's energy is not above 0
 * (trackers/energy.py, Efficiency.from_energy, v0.6.0 7fa7b679): no volume can be had
 * from it, where tokens_out and requests were stored as 0. */
static void test_optimum_zero_efficiency_of_zero_energy_gives_no_volume(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "benchmark_report.json",
                             "{\n"
                             " \"prefill\": {\"latency\": null, \"energy\": {\"unit\": "
                             "\"kWh\", \"cpu\": 0.0, \"ram\": 0.0, \"gpu\": 0.0, \"total\": "
                             "0.0}, \"efficiency\": {\"unit\": \"samples/kWh\", \"value\": 0}},\n"
                             " \"decode\": {\"latency\": null, \"energy\": {\"unit\": "
                             "\"kWh\", \"cpu\": 0.0, \"ram\": 0.0, \"gpu\": 0.0, \"total\": "
                             "0.0}, \"efficiency\": {\"unit\": \"tokens/kWh\", \"value\": 0}}\n"
                             "}\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, NULL), WP_OK);
    struct fx_extra tokens = {"tokens_out", NAN}, requests = {"requests", NAN};
    assert_int_equal(wp_store_export_measurements(f->s, 1, find_extra, &tokens, NULL), WP_OK);
    assert_int_equal(wp_store_export_measurements(f->s, 1, find_extra, &requests, NULL), WP_OK);
    assert_true(isnan(tokens.value));
    assert_true(isnan(requests.value));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_optimum_report_phases_form_one_run_labelled_by_its_config),
        T(test_optimum_combined_benchmark_json_skips_phases_without_energy),
        T(test_optimum_real_energy_star_report),
        T(test_optimum_energy_off_is_no_run_with_the_reason),
        T(test_optimum_config_alone_says_it_is_a_config),
        T(test_optimum_negative_phase_energy_is_refused),
        T(test_optimum_invalid_json_names_line_and_column),
        T(test_optimum_gpu_names_are_joined_whole),
        T(test_optimum_aienergyscore_negative_measure_is_refused_at_its_entry),
        T(test_optimum_negative_bare_measure_is_refused_at_its_entry),
        T(test_optimum_aienergyscore_gpu_summary_alone_is_one_run),
        T(test_optimum_aienergyscore_gpu_summary_beside_its_report_is_skipped),
        T(test_optimum_aienergyscore_gpu_summary_negative_phase_is_refused),
        T(test_optimum_v06_generate_is_not_counted_beside_prefill_and_decode),
        T(test_optimum_v06_generate_not_their_sum_is_warned),
        T(test_optimum_aienergyscore_unphased_summary_is_its_total),
        T(test_optimum_aienergyscore_unphased_summary_beside_its_report_is_read),
        T(test_optimum_zero_efficiency_of_zero_energy_gives_no_volume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
