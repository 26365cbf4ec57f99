/* Unit tests of the measured-or-modelled rules (src/ingest/basis.c), on rows as the
 * fixtures log them: fixtures/study (CodeCarbon 2.3.1, 8 x A100, RAM 430.77675 W, CPU
 * 42.5 W on every row), and the meters of fixtures/formats. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/basis.h"
#include "ingest/basis.h"

/* A whole-run row of fixtures/study/emissions (first file, first row). */
static struct wp_measurement study_row(void)
{
    struct wp_measurement m;
    wp_measurement_clear(&m);
    m.tool_name = "codecarbon";
    m.tool_version = "2.3.1";
    m.cpu_model = "Intel(R) Xeon(R) Platinum 8275CL CPU @ 3.00GHz";
    m.cpu_power_w = 42.5;
    m.ram_power_w = 430.77675;
    m.gpu_count = 8;
    m.cpu_energy_j = 0.0004 * 3.6e6;
    m.gpu_energy_j = 0.0052 * 3.6e6;
    m.ram_energy_j = 0.0040 * 3.6e6;
    m.energy_j = m.cpu_energy_j + m.gpu_energy_j + m.ram_energy_j;
    return m;
}

static void test_basis_study_row_is_ram_and_tdp_modelled_all_gpus(void **state)
{
    (void)state;
    struct wp_measurement m = study_row();
    wp_basis_mark(&m);
    assert_string_equal(m.ram_basis, WP_BASIS_RAM_MODEL);
    assert_string_equal(m.cpu_basis, WP_BASIS_TDP);
    assert_string_equal(m.gpu_basis, WP_BASIS_ALL_GPUS);
    assert_true(wp_basis_is_modelled(m.ram_basis));
    assert_true(wp_basis_is_modelled(m.cpu_basis));
    assert_false(wp_basis_is_modelled(m.gpu_basis));
}

static void test_basis_codecarbon2_rapl_power_is_measured(void **state)
{
    (void)state;
    struct wp_measurement m = study_row();
    m.cpu_power_w = 37.81246; /* an average of RAPL readings: not half a table TDP */
    m.gpu_count = 1;
    wp_basis_mark(&m);
    assert_string_equal(m.cpu_basis, WP_BASIS_MEASURED);
    assert_string_equal(m.gpu_basis, WP_BASIS_MEASURED);
    assert_string_equal(m.ram_basis, WP_BASIS_RAM_MODEL); /* RAM: always CodeCarbon's model */
}

static void test_basis_codecarbon_tdp_in_cpu_model_is_modelled(void **state)
{
    (void)state;
    struct wp_measurement m = study_row();
    m.cpu_power_w = 37.81246;
    m.cpu_model = "AMD EPYC 7R13 (TDP 280 W)";
    wp_basis_mark(&m);
    assert_string_equal(m.cpu_basis, WP_BASIS_TDP);
}

static void test_basis_codecarbon3_varying_cpu_is_not_stated(void **state)
{
    (void)state;
    /* 3.x may scale a TDP by the CPU load: the log does not tell it from RAPL */
    struct wp_measurement m = study_row();
    m.tool_version = "3.0.2";
    m.cpu_power_w = 37.81246;
    wp_basis_mark(&m);
    assert_string_equal(m.cpu_basis, "");
    assert_string_equal(m.ram_basis, WP_BASIS_RAM_MODEL);
}

static void test_basis_component_without_energy_gets_no_mark(void **state)
{
    (void)state;
    struct wp_measurement m = study_row();
    m.ram_energy_j = NAN;
    m.gpu_energy_j = NAN;
    wp_basis_mark(&m);
    assert_string_equal(m.ram_basis, "");
    assert_string_equal(m.gpu_basis, "");
    assert_string_equal(m.cpu_basis, WP_BASIS_TDP);
}

static void test_basis_parser_mark_is_kept(void **state)
{
    (void)state;
    struct wp_measurement m = study_row();
    m.gpu_basis = WP_BASIS_MEASURED; /* a parser that knows the GPUs used */
    wp_basis_mark(&m);
    assert_string_equal(m.gpu_basis, WP_BASIS_MEASURED);
}

static void test_basis_counter_meters_are_measured(void **state)
{
    (void)state;
    static const struct {
        const char *tool;
        const char *cpu, *gpu, *ram;
    } cases[] = {
        {"zeus", WP_BASIS_MEASURED, WP_BASIS_MEASURED, ""},
        {"nvidia-smi", "", WP_BASIS_MEASURED, ""},
        {"rapl", WP_BASIS_MEASURED, "", WP_BASIS_MEASURED},
        {"optimum-benchmark", "", WP_BASIS_MEASURED, WP_BASIS_RAM_MODEL},
        {"eco2ai", WP_BASIS_TDP, WP_BASIS_MEASURED, WP_BASIS_RAM_MODEL},
        {"generic", "", "", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wp_measurement m;
        wp_measurement_clear(&m);
        m.tool_name = cases[i].tool;
        m.cpu_energy_j = m.gpu_energy_j = m.ram_energy_j = 10;
        m.gpu_count = 8; /* only CodeCarbon sums GPUs it does not use */
        wp_basis_mark(&m);
        assert_string_equal(m.cpu_basis, cases[i].cpu);
        assert_string_equal(m.gpu_basis, cases[i].gpu);
        assert_string_equal(m.ram_basis, cases[i].ram);
    }
}

static void test_basis_words_say_modelled_partly_and_not_stated(void **state)
{
    (void)state;
    struct wp_basis_summary b;
    memset(&b, 0, sizeof b);
    b.n[WP_COMP_RAM][WP_BK_RAM_MODEL] = 5;
    b.n[WP_COMP_CPU][WP_BK_TDP] = 2;
    b.n[WP_COMP_CPU][WP_BK_MEASURED] = 3;
    b.n[WP_COMP_GPU][WP_BK_ALL_GPUS] = 5;
    assert_string_equal(wp_basis_word(&b, WP_COMP_RAM), "modelled");
    assert_string_equal(wp_basis_word(&b, WP_COMP_CPU), "partly modelled");
    assert_string_equal(wp_basis_word(&b, WP_COMP_GPU), "measured (idle GPUs counted)");
    assert_true(wp_basis_all_modelled(&b, WP_COMP_RAM));
    assert_false(wp_basis_all_modelled(&b, WP_COMP_CPU));
    b.n[WP_COMP_GPU][WP_BK_ALL_GPUS] = 0;
    assert_null(wp_basis_word(&b, WP_COMP_GPU));
    b.n[WP_COMP_GPU][WP_BK_UNKNOWN] = 1;
    assert_string_equal(wp_basis_word(&b, WP_COMP_GPU), "not stated");
    assert_int_equal(wp_basis_kind("modelled:ram"), WP_BK_RAM_MODEL);
    assert_int_equal(wp_basis_kind("something else"), WP_BK_UNKNOWN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basis_study_row_is_ram_and_tdp_modelled_all_gpus),
        cmocka_unit_test(test_basis_codecarbon2_rapl_power_is_measured),
        cmocka_unit_test(test_basis_codecarbon_tdp_in_cpu_model_is_modelled),
        cmocka_unit_test(test_basis_codecarbon3_varying_cpu_is_not_stated),
        cmocka_unit_test(test_basis_component_without_energy_gets_no_mark),
        cmocka_unit_test(test_basis_parser_mark_is_kept),
        cmocka_unit_test(test_basis_counter_meters_are_measured),
        cmocka_unit_test(test_basis_words_say_modelled_partly_and_not_stated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
