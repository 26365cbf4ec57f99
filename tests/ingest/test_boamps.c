/* Tests of src/ingest/boamps.c through the ingest driver: Boavizta's example (format 0.1),
 * a report in CodeCarbon's layout without a task, wattprint's own export read back whole,
 * and refusals of measures whose energy is negative or not a number. */
#include "ingest_check.h"

static void test_boamps_reads_boavizta_example(void **state)
{
    struct fx *f = *state;
    struct wp_file_result r;
    assert_int_equal(fx_ingest(f, "schema/boamps/energy-report-llm-inference.json", false, &r,
                               NULL), WP_OK);
    assert_string_equal(r.format, "boamps");
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 1);
    assert_rel(s.energy_j, 0.00267074 * 3.6e6, 1e-15);
    assert_rel(s.duration_s, 19.09390426, 1e-15);
    assert_string_equal(s.model, "llama2-13b");
    assert_string_equal(s.task, "chatbot");
    assert_string_equal(s.started_at, "2024-09-30T09:09:40");
    assert_string_equal(s.tool, "codecarbon");
    assert_string_equal(s.tool_version, "2.5.0");
    assert_string_equal(s.gpu_model, "2 x Tesla V100S-PCIE-32GB");
}

/* Inferences of the first run (the example's one request). */
static int first_inferences(void *ctx, const struct wp_run_row *r)
{
    *(long long *)ctx = r->inferences;
    return 1;
}

static void test_boamps_one_measure_takes_the_request_count(void **state)
{
    struct fx *f = *state;
    assert_int_equal(fx_ingest(f, "schema/boamps/energy-report-llm-inference.json", false, NULL,
                               NULL), WP_OK);
    long long n = -1;
    struct wp_run_filter flt = {0};
    assert_int_equal(wp_store_each_run(f->s, &flt, first_inferences, &n, NULL), WP_OK);
    assert_int_equal(n, 1);
}

/* The first run's hardware: "os|python|cpus|gpus" (counts -1 unknown). */
static int first_hardware(void *ctx, const struct wp_run_row *r)
{
    snprintf(ctx, 256, "%s|%s|%g|%g", r->os, r->python_version,
             isnan(r->cpu_count) ? -1 : r->cpu_count, isnan(r->gpu_count) ? -1 : r->gpu_count);
    return 1;
}

static void test_boamps_codecarbon_report_without_task(void **state)
{
    struct fx *f = *state;
    assert_int_equal(fx_ingest(f, "fixtures/boamps/codecarbon_no_task.json", false, NULL, NULL),
                     WP_OK);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 2);
    assert_rel(s.energy_j, (0.0125 + 0.0131) * 3.6e6, 1e-15);
    assert_rel(s.emissions_g, (0.0125 + 0.0131) * 56, 1e-14); /* the report's intensity */
    assert_string_equal(s.model, "");                          /* no task: no labels */
    assert_string_equal(s.gpu_model, "1 x NVIDIA L4");
    assert_string_equal(s.tool_version, "3.3.0");
    char hw[256] = "";
    struct wp_run_filter flt = {0};
    assert_int_equal(wp_store_each_run(f->s, &flt, first_hardware, hw, NULL), WP_OK);
    assert_string_equal(hw, "Linux-6.8.0-x86_64|3.12.3|8|1"); /* system, software, counts */
}

/* Dataset and inference count of every run, "dataset:count|..." in run order. */
static int join_labels(void *ctx, const struct wp_run_row *r)
{
    char *out = ctx;
    size_t len = strlen(out);
    snprintf(out + len, 1024 - len, "%s%s:%lld", len ? "|" : "", r->dataset, r->inferences);
    return 0;
}

static void test_boamps_reads_back_wattprints_member(void **state)
{
    struct fx *f = *state;
    assert_int_equal(fx_ingest(f, "fixtures/boamps/wattprint_export.boamps.json", false, NULL,
                               NULL), WP_OK);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 7);
    assert_string_equal(s.model, "xlm-roberta-large-finetuned-conll03-english");
    assert_string_equal(s.task, "token_classification");
    /* the run ids as the original logs had them, and the CPU/GPU/RAM split */
    assert_int_equal(strlen(s.run_uid), 36);
    assert_true(s.gpu_energy_j > 0 && s.cpu_energy_j > 0 && s.ram_energy_j > 0);
    assert_rel(s.cpu_energy_j + s.gpu_energy_j + s.ram_energy_j, s.energy_j, 1e-3);
    char labels[1024] = "";
    struct wp_run_filter flt = {.by_run_id = true};
    assert_int_equal(wp_store_each_run(f->s, &flt, join_labels, labels, NULL), WP_OK);
    assert_string_equal(labels, "conll2003:1000|conll2003:1000|conll2003:1000|wikiann:1000|"
                                "wikiann:1000|wikiann:1000|wikiann:1000");
}

static void test_boamps_bad_energy_names_measure_and_line(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    static const char *const text =
        "{\"task\": {\"taskStage\": \"inference\", \"taskFamily\": \"chat\"},\n"
        " \"measures\": [\n"
        "  {\"measurementMethod\": \"codecarbon\", \"powerConsumption\": 0.5},\n"
        "  {\"measurementMethod\": \"codecarbon\",\n"
        "   \"powerConsumption\": -0.25}\n"
        " ]}\n";
    const char *p = fx_write(f, "neg.json", text);
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 5);
    assert_contains(d.msg, "measure 2: negative energy");
    struct wp_file_result r;
    p = fx_write(f, "neg2.json", text);
    assert_int_equal(fx_ingest(f, p, true, &r, NULL), WP_OK);
    assert_int_equal(r.rows_added, 1);
    assert_int_equal(r.rows_rejected, 1);
    p = fx_write(f, "str.json",
                 "{\"task\": {}, \"measures\": [{\"measurementMethod\": \"x\",\n"
                 " \"powerConsumption\": \"0.5\"}]}\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_contains(d.msg, "measure 1: powerConsumption (kWh) is not a number");
    p = fx_write(f, "none.json",
                 "{\"measures\": [{\"measurementMethod\": \"wattmeter\"}]}\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_contains(d.msg, "powerConsumption (kWh) is missing");
    p = fx_write(f, "inf.json",
                 "{\"measures\": [{\"measurementMethod\": \"x\", \"powerConsumption\": 1,\n"
                 " \"wattprint\": {\"inferences\": 2.5}}]}\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_contains(d.msg, "inferences is not a whole number");
    /* kWh that overflow as joules: refused, not stored as infinite */
    p = fx_write(f, "big.json",
                 "{\"measures\": [{\"measurementMethod\": \"x\", \"powerConsumption\": 1e308}]}\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_contains(d.msg, "out of range");
    p = fx_write(f, "bigcpu.json",
                 "{\"measures\": [{\"measurementMethod\": \"x\", \"powerConsumption\": 1,\n"
                 " \"wattprint\": {\"cpuEnergyKwh\": 1e308}}]}\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_contains(d.msg, "wattprint.cpuEnergyKwh is not a number >= 0 (in range)");
}

static void test_boamps_without_measures_array_is_not_boamps(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "x.json", "{\"measures\": {\"powerConsumption\": 1}}\n");
    struct wp_reporter rep = {fx_on_msg, f};
    struct wp_ingest_opts o = {.format = "boamps", .rep = &rep};
    struct wp_file_result r;
    assert_int_equal(wp_ingest_file(f->s, p, &o, &r, &d), WP_ERR_FORMAT);
    assert_contains(d.msg, "no \"measures\" array");
    p = fx_write(f, "empty.json", "{\"measures\": [], \"task\": {}}\n");
    assert_int_equal(wp_ingest_file(f->s, p, &o, &r, &d), WP_ERR_EMPTY);
    assert_contains(d.msg, "the measures array is empty");
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_boamps_reads_boavizta_example),
        T(test_boamps_one_measure_takes_the_request_count),
        T(test_boamps_codecarbon_report_without_task),
        T(test_boamps_reads_back_wattprints_member),
        T(test_boamps_bad_energy_names_measure_and_line),
        T(test_boamps_without_measures_array_is_not_boamps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
