/* Tests of src/ingest/eco2ai.c through the ingest driver: both layouts, the real files'
 * sums to 1e-9 (fixtures/real/eco2ai/EXPECTED.tsv), epochs as phases of one run, the
 * hardware and region fields split, and refusals with FILE:LINE:COL. */
#include "ingest_check.h"

#define HDR "id,project_name,experiment_description,epoch,start_time,duration(s)," \
            "power_consumption(kWh),CO2_emissions(kg),CPU_name,GPU_name,OS,region/country,cost\n"

static void test_eco2ai_reads_current_layout_with_epochs_as_phases(void **state)
{
    struct fx *f = *state;
    fx_ingest_expected(f, "eco2ai/emission.csv", NULL, NULL);
    struct fx_sum s = fx_totals(f, NULL);
    assert_string_equal(s.tool, "eco2ai");
    assert_string_equal(s.started_at, "2024-03-02T09:15:00");
    assert_string_equal(s.gpu_model, "Tesla V100-PCIE-32GB");
    assert_rel(s.emissions_g, (0.00416 + 0.00195 + 0.00199 + 8.4e-06) * 1000, 1e-12);
    struct fx_sum e1 = fx_totals(f, "epoch: 1, loss: 0.41");
    assert_int_equal(e1.runs, 1);
    assert_rel(e1.energy_j, 0.0081 * 3.6e6, 1e-12);
}

static void test_eco2ai_reads_the_2022_layout_without_id(void **state)
{
    struct fx *f = *state;
    fx_ingest_expected(f, "eco2ai/emission_2022.csv", NULL, NULL);
    assert_string_equal(fx_totals(f, NULL).gpu_model, "NVIDIA GeForce RTX 2080 Ti");
}

static void test_eco2ai_real_files_sum_exactly(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *file;
        double kwh;
    } real[] = {
        {"Ahmed-Khaled-Saleh__Fed-Sophia-pytorch__emission.csv", 0.327335871374},
        {"kowshikpeddireddy__Green_AI__eco2ai__emission.csv", 3.77663315232e-07},
        {"vladimir-laz__raman_spectras__emission.csv", 2.30291730465},
    };
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
        struct fx *g = f;
        char path[256];
        snprintf(path, sizeof path, "fixtures/real/eco2ai/%s", real[i].file);
        struct wp_store *fresh;
        assert_int_equal(wp_store_open(":memory:", &fresh, NULL), WP_OK);
        struct wp_store *keep = g->s;
        g->s = fresh;
        assert_int_equal(fx_ingest(g, path, false, NULL, NULL), WP_OK);
        assert_rel(fx_totals(g, NULL).energy_j / 3.6e6, real[i].kwh, 1e-9);
        g->s = keep;
        wp_store_close(fresh);
    }
}

static void test_eco2ai_negative_energy_is_refused_at_its_cell(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "neg.csv", HDR
        "6a1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f,p,d,,2024-03-02 09:15:00,10,0.1,0.01,c,g,Linux,US/Iowa,0\n"
        "7a1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f,p,d,,2024-03-02 09:15:10,10,-0.1,0.01,c,g,Linux,US/Iowa,0\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 7);
    assert_contains(d.msg, "negative");
    assert_int_equal(fx_totals(f, NULL).runs, 0);
}

static void test_eco2ai_bad_start_time_names_the_cell(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "start.csv", HDR
        "6a1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f,p,d,,24/03/02,10,0.1,0.01,c,g,Linux,US/Iowa,0\n");
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 5);
    assert_contains(d.msg, "not a timestamp");
}

static void test_eco2ai_empty_energy_is_kept_unknown_with_a_warning(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "empty.csv", HDR
        "6a1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f,p,d,,2024-03-02 09:15:00,10,,,c,g,Linux,US/Iowa,\n");
    struct wp_file_result r;
    assert_int_equal(fx_ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.no_energy, 1);
    assert_int_equal(f->warnings, 1);
    assert_contains(f->warning, "empty.csv:2: 1 row without power_consumption");
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_eco2ai_reads_current_layout_with_epochs_as_phases),
        T(test_eco2ai_reads_the_2022_layout_without_id),
        T(test_eco2ai_real_files_sum_exactly),
        T(test_eco2ai_negative_energy_is_refused_at_its_cell),
        T(test_eco2ai_bad_start_time_names_the_cell),
        T(test_eco2ai_empty_energy_is_kept_unknown_with_a_warning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
