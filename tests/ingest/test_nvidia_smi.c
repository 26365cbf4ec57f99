/* Tests of src/ingest/nvidia_smi.c through the ingest driver: the constructed fixtures
 * (fixtures/formats/nvidia-smi, energies computed independently in make_formats.py), the
 * real logs within the yardstick's 3%, and the refusals, warnings and append behaviour. */
#include "ingest_check.h"

#include "util/text.h"

#define HDR "timestamp, index, name, power.draw [W]\n"

static void check_fixture(struct fx *f, const char *rel)
{
    double energy;
    struct fx_sum s = fx_ingest_expected(f, rel, NULL, &energy);
    assert_rel(s.gpu_energy_j, energy, 1e-12);
    assert_string_equal(s.tool, "nvidia-smi");
}

static void test_nvidia_smi_integrates_two_interleaved_gpus(void **state)
{
    struct fx *f = *state;
    check_fixture(f, "nvidia-smi/two_gpus.csv");
    struct fx_sum s = fx_totals(f, NULL);
    assert_string_equal(s.gpu_model, "NVIDIA A100-SXM4-80GB");
    assert_string_equal(s.started_at, "2024-01-15T10:23:45.000");
    assert_rel(s.duration_s, 1.0, 1e-12);
    assert_int_equal(s.line, 2);
    /* A100s through power.draw: part-time power (Yang et al., SC24), warned at line 2 */
    assert_int_equal(f->warnings, 1);
    assert_non_null(strstr(f->warning, ":2: GPU energy from power.draw [W] on NVIDIA "
                                       "A100-SXM4-80GB, which sees 25 ms of every 100 ms"));
}

static void test_nvidia_smi_reads_nounits_values(void **state)
{
    check_fixture(*state, "nvidia-smi/nounits.csv");
}

static void test_nvidia_smi_reads_a_handwritten_header_with_crlf(void **state)
{
    check_fixture(*state, "nvidia-smi/handwritten.csv");
}

static void test_nvidia_smi_skips_na_readings_and_repeated_headers(void **state)
{
    struct fx *f = *state;
    check_fixture(f, "nvidia-smi/minimal_na.csv");
    assert_int_equal(f->warnings, 1);
    assert_contains(f->warning, "minimal_na.csv:5: 2 rows without a power reading");
}

static void test_nvidia_smi_real_logs_match_the_trapezoid_integral(void **state)
{
    struct fx *f = *state;
    /* fixtures/real/nvidia-smi/EXPECTED.tsv: 997.724 J and 4559.033 J (3% tolerance there;
     * the same rule on the same millisecond timestamps agrees to 1e-6 here) */
    assert_int_equal(fx_ingest(f, "fixtures/real/nvidia-smi/"
                                  "PranavDani__Flame__Results__fluidsGL__fluidsGL-smi.csv",
                               false, NULL, NULL),
                     WP_OK);
    assert_rel(fx_totals(f, NULL).energy_j, 997.724, 1e-6);
    assert_int_equal(fx_ingest(f, "fixtures/real/nvidia-smi/"
                                  "devyoongu__Qwen3-ASR__results__gpu_log_150.csv",
                               false, NULL, NULL),
                     WP_OK);
    assert_rel(fx_totals(f, NULL).energy_j, 997.724 + 4559.033, 1e-6);
}

static void test_nvidia_smi_without_power_is_no_run_with_the_reason(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    assert_int_equal(fx_ingest(f, "fixtures/real/nvidia-smi/AkshayRoyal__gpu-usage__gpu_usage.csv",
                               false, NULL, &d),
                     WP_ERR_EMPTY);
    assert_contains(d.msg, "no power.draw column");
    assert_int_equal(fx_totals(f, NULL).runs, 0);
}

static void test_nvidia_smi_without_timestamp_is_refused(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "nots.csv", "index, power.draw [W]\n0, 100.0 W\n0, 110.0 W\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 1);
    assert_contains(d.msg, "no timestamp column");
}

static void test_nvidia_smi_bad_power_is_refused_or_set_aside(void **state)
{
    struct fx *f = *state;
    const char *text = HDR "2024/01/15 10:23:45.000, 0, T4, 60.00 W\n"
                           "2024/01/15 10:23:45.100, 0, T4, 6O.00 W\n"
                           "2024/01/15 10:23:45.200, 0, T4, 60.00 W\n";
    struct wp_diag d = {0};
    assert_int_equal(fx_ingest(f, fx_write(f, "bad.csv", text), false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 4);
    assert_contains(d.msg, "is not a number of W");
    assert_int_equal(fx_totals(f, NULL).runs, 0);
    struct wp_file_result r;
    assert_int_equal(fx_ingest(f, fx_write(f, "bad2.csv", text), true, &r, NULL), WP_OK);
    assert_int_equal(r.rows_rejected, 1);
    assert_rel(fx_totals(f, NULL).energy_j, 60.0 * 0.2, 1e-12); /* bridged over the bad row */
}

static void test_nvidia_smi_gap_is_not_bridged_and_is_reported(void **state)
{
    struct fx *f = *state;
    char text[4096] = HDR;
    for (int k = 0; k < 10; k++)
        snprintf(text + strlen(text), sizeof text - strlen(text),
                 "2024/01/15 10:%02d:%02d.000, 0, T4, 70.00 W\n", 23 + k / 60, k % 60);
    for (int k = 200; k < 210; k++) /* a 191 s pause */
        snprintf(text + strlen(text), sizeof text - strlen(text),
                 "2024/01/15 10:%02d:%02d.000, 0, T4, 70.00 W\n", 23 + k / 60, k % 60);
    assert_int_equal(fx_ingest(f, fx_write(f, "gap.csv", text), false, NULL, NULL), WP_OK);
    struct fx_sum s = fx_totals(f, NULL);
    assert_rel(s.energy_j, 70.0 * 9 * 2, 1e-12);
    assert_rel(s.duration_s, 209.0, 1e-12);
    assert_int_equal(f->warnings, 1);
    assert_contains(f->warning, "gap.csv:12: 1 gap in the power samples");
}

static void test_nvidia_smi_milliwatt_header_is_scaled(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "mw.csv", "timestamp,power.draw [mW]\n"
                                          "2024/01/15 10:23:45.000,5000\n"
                                          "2024/01/15 10:23:46.000,5000 mW\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, NULL), WP_OK);
    assert_rel(fx_totals(f, NULL).energy_j, 5.0, 1e-12);
}

static void test_nvidia_smi_grown_log_adds_only_the_new_stretch(void **state)
{
    struct fx *f = *state;
    char text[4096] = HDR;
    for (int k = 0; k < 10; k++)
        snprintf(text + strlen(text), sizeof text - strlen(text),
                 "2024/01/15 10:23:%02d.000, 0, T4, %d.00 W\n", k, 50 + k);
    const char *p = fx_write(f, "grow.csv", text);
    assert_int_equal(fx_ingest(f, p, false, NULL, NULL), WP_OK);
    for (int k = 10; k < 20; k++)
        snprintf(text + strlen(text), sizeof text - strlen(text),
                 "2024/01/15 10:23:%02d.000, 0, T4, %d.00 W\n", k, 50 + k);
    p = fx_write(f, "grow.csv", text);
    struct wp_file_result r;
    assert_int_equal(fx_ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_FILE_APPENDED);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 2);
    /* linear 50 + t W over 0..19 s: the two runs add up to the whole integral */
    assert_rel(s.energy_j, 50.0 * 19 + 19.0 * 19 / 2, 1e-12);
}

static void test_nvidia_smi_detects_a_noheader_log_with_a_reason(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "nohdr.csv", "2024/01/15 10:23:45.000, 0, T4, 60.00 W\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_FORMAT);
    assert_contains(d.msg, "not a recognised format");
}

static void test_nvidia_smi_long_gpu_name_is_cut_between_characters(void **state)
{
    struct fx *f = *state;
    assert_int_equal(fx_ingest(f, "fixtures/bad/formats/nvsmi_long_gpu_name.csv", false, NULL,
                               NULL),
                     WP_OK);
    struct fx_run r = fx_first_run(f);
    assert_int_equal(r.runs, 1);
    assert_int_equal(strlen(r.gpu_model), 126); /* "NVIDIA A100 " and 57 of the 70 e-acute */
    assert_true(wp_utf8_valid(r.gpu_model, strlen(r.gpu_model)));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_nvidia_smi_integrates_two_interleaved_gpus),
        T(test_nvidia_smi_reads_nounits_values),
        T(test_nvidia_smi_reads_a_handwritten_header_with_crlf),
        T(test_nvidia_smi_skips_na_readings_and_repeated_headers),
        T(test_nvidia_smi_real_logs_match_the_trapezoid_integral),
        T(test_nvidia_smi_without_power_is_no_run_with_the_reason),
        T(test_nvidia_smi_without_timestamp_is_refused),
        T(test_nvidia_smi_bad_power_is_refused_or_set_aside),
        T(test_nvidia_smi_gap_is_not_bridged_and_is_reported),
        T(test_nvidia_smi_milliwatt_header_is_scaled),
        T(test_nvidia_smi_grown_log_adds_only_the_new_stretch),
        T(test_nvidia_smi_detects_a_noheader_log_with_a_reason),
        T(test_nvidia_smi_long_gpu_name_is_cut_between_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
