/* Tests of src/ingest/carbontracker.c through the ingest driver: the last actual block is
 * the run, forecasts are never ingested, failed runs and standard logs say why there is
 * nothing, and concatenated logs give one run each. */
#include "ingest_check.h"

#define BLOCK(kind, n, t, kwh, g) \
    "CarbonTracker: \n" kind " consumption for " n " epoch(s):\n\tTime:\t" t "\n" \
    "\tEnergy:\t" kwh " kWh\n\tCO2eq:\t" g " g\n"

static void test_carbontracker_last_actual_block_is_the_run(void **state)
{
    struct fx *f = *state;
    struct fx_sum s = fx_ingest_expected(
        f, "carbontracker/2024-01-25T160217Z_carbontracker_output.log", NULL, NULL);
    assert_rel(s.emissions_g, 22.012620, 1e-12);
    assert_rel(s.duration_s, 15 * 60 + 1, 0);
    assert_string_equal(s.tool_version, "1.2.5");
    assert_string_equal(s.started_at, "2024-01-25T16:02:17");
}

static void test_carbontracker_forecast_alone_is_no_run(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "pred_carbontracker_output.log",
                             "2024-01-25 16:07:19 - " BLOCK("Predicted", "3", "0:15:00",
                                                            "0.156402", "21.896280"));
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_EMPTY);
    assert_contains(d.msg, "forecast");
    assert_int_equal(fx_totals(f, NULL).runs, 0);
}

static void test_carbontracker_failed_run_names_the_exception(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    assert_int_equal(fx_ingest(f, "fixtures/real/carbontracker/StrombergNLP__Low-Carbon-NLP__"
                                  "tools__carbonlogs__2021-04-13T121344Z_carbontracker_output.log",
                               false, NULL, &d),
                     WP_ERR_EMPTY);
    assert_contains(d.msg, "failed");
    assert_contains(d.msg, "NoComponentsAvailableError");
}

static void test_carbontracker_standard_log_is_no_run(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    assert_int_equal(fx_ingest(f, "fixtures/formats/carbontracker/"
                                  "2024-01-25T160217Z_carbontracker.log",
                               false, NULL, &d),
                     WP_ERR_EMPTY);
    assert_contains(d.msg, "no Actual consumption block");
}

static void test_carbontracker_concatenated_logs_are_one_run_each(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "two_carbontracker_output.log",
        "2024-01-25 16:02:17 - carbontracker version 1.2.5\n"
        "2024-01-25 16:07:19 - " BLOCK("Actual", "1", "0:05:00", "1.5", "100.0")
        "2024-01-26 09:00:00 - carbontracker version 1.2.5\n"
        "2024-01-26 09:05:00 - " BLOCK("Actual", "1", "0:05:00", "2.5", "150.0"));
    assert_int_equal(fx_ingest(f, p, false, NULL, NULL), WP_OK);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 2);
    assert_rel(s.energy_j, 4.0 * 3.6e6, 1e-12);
}

static void test_carbontracker_bad_energy_names_line_and_column(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "bad_carbontracker_output.log",
                             "2024-01-25 16:07:19 - " BLOCK("Actual", "1", "0:05:00", "1.5x",
                                                            "100.0"));
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 4);
    assert_int_equal(d.col, 10);
}

static void test_carbontracker_pue_that_is_not_finite_is_unknown(void **state)
{
    struct fx *f = *state;
    assert_int_equal(fx_ingest(f, "fixtures/bad/formats/ct_infinite_pue_carbontracker_output.log",
                               false, NULL, NULL),
                     WP_OK);
    struct fx_run r = fx_first_run(f);
    assert_int_equal(r.runs, 1);
    assert_true(isnan(r.pue)); /* "PUE coefficient of 1e999" was stored as infinity */
}

/* carbontracker 1.x (v1.2.5 tracker.py: monitor_epochs=1, epochs_before_pred=1) forecasts
 * the training's epochs and reports the actual consumption of the one it monitored: kept,
 * with a warning that it covers 1 of 10 epochs (there was none). */
static void test_carbontracker_actual_of_fewer_epochs_than_forecast_is_warned(void **state)
{
    struct fx *f = *state;
    assert_int_equal(fx_ingest(f, "fixtures/bad/formats/ct_partial_carbontracker_output.log",
                               false, NULL, NULL),
                     WP_OK);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 1);
    assert_rel(s.energy_j, 0.052134 * 3.6e6, 1e-12);
    assert_int_equal(f->warnings, 1);
    assert_contains(f->warning, "ct_partial_carbontracker_output.log:8: the actual "
                                "consumption covers 1 of the 10 epochs");
}

/* A forecast of one run says nothing of the next one in a concatenated log. */
static void test_carbontracker_forecast_of_an_earlier_run_is_not_carried(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "two_carbontracker_output.log",
                             "carbontracker version 1.2.5\n"
                             BLOCK("Predicted", "10", "0:50:00", "0.5", "70.0")
                             "carbontracker version 1.2.5\n"
                             BLOCK("Actual", "2", "0:10:00", "0.1", "14.0"));
    assert_int_equal(fx_ingest(f, p, false, NULL, NULL), WP_OK);
    assert_int_equal(fx_totals(f, NULL).runs, 1);
    assert_int_equal(f->warnings, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_carbontracker_last_actual_block_is_the_run),
        T(test_carbontracker_forecast_alone_is_no_run),
        T(test_carbontracker_failed_run_names_the_exception),
        T(test_carbontracker_standard_log_is_no_run),
        T(test_carbontracker_concatenated_logs_are_one_run_each),
        T(test_carbontracker_bad_energy_names_line_and_column),
        T(test_carbontracker_pue_that_is_not_finite_is_unknown),
        T(test_carbontracker_actual_of_fewer_epochs_than_forecast_is_warned),
        T(test_carbontracker_forecast_of_an_earlier_run_is_not_carried),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
