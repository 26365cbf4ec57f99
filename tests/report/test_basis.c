/* Unit tests of the measured-or-modelled sentences (src/report/basis.c): each concerned
 * component gets its specific sentence with counts and powers; none when all measured. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "report/basis.h"

static void empty(struct wp_basis_summary *b)
{
    memset(b, 0, sizeof *b);
    for (int c = 0; c < WP_N_COMP; c++)
        for (int k = 0; k < WP_N_BK; k++)
            b->power_lo_w[c][k] = b->power_hi_w[c][k] = b->gpus_max[c][k] = NAN;
}

static void test_sentences_name_the_study_components(void **state)
{
    (void)state;
    struct wp_basis_summary b;
    empty(&b);
    b.n[WP_COMP_RAM][WP_BK_RAM_MODEL] = 17540;
    b.power_lo_w[WP_COMP_RAM][WP_BK_RAM_MODEL] = b.power_hi_w[WP_COMP_RAM][WP_BK_RAM_MODEL] =
        430.77675;
    b.n[WP_COMP_CPU][WP_BK_TDP] = 17540;
    b.power_lo_w[WP_COMP_CPU][WP_BK_TDP] = b.power_hi_w[WP_COMP_CPU][WP_BK_TDP] = 42.5;
    b.n[WP_COMP_GPU][WP_BK_ALL_GPUS] = 17540;
    b.gpus_max[WP_COMP_GPU][WP_BK_ALL_GPUS] = 8;
    char buf[2048];
    wp_basis_sentences(&b, buf, sizeof buf);
    assert_non_null(strstr(buf, "RAM energy is modelled, not measured, in 17,540 of the 17,540"));
    assert_non_null(strstr(buf, "a constant 430.8 W"));
    assert_non_null(strstr(buf, "CPU energy is modelled from a thermal design power"));
    assert_non_null(strstr(buf, "a constant 42.5 W"));
    assert_non_null(strstr(buf, "every GPU of the node (up to 8)"));
    assert_null(strchr(buf, '<'));
}

static void test_sentences_are_empty_when_all_measured(void **state)
{
    (void)state;
    struct wp_basis_summary b;
    empty(&b);
    b.n[WP_COMP_GPU][WP_BK_MEASURED] = 12;
    b.n[WP_COMP_CPU][WP_BK_MEASURED] = 12;
    char buf[256];
    wp_basis_sentences(&b, buf, sizeof buf);
    assert_string_equal(buf, "");
    b.n[WP_COMP_RAM][WP_BK_UNKNOWN] = 3;
    wp_basis_sentences(&b, buf, sizeof buf);
    assert_non_null(strstr(buf, "Whether RAM energy was measured or modelled is not told"));
}

static void test_assumptions_name_pue_intensity_and_embodied(void **state)
{
    (void)state;
    char buf[512];
    wp_basis_assumptions(NAN, buf, sizeof buf);
    assert_non_null(strstr(buf, "(PUE) of 1 is assumed"));
    assert_non_null(strstr(buf, "carbon intensity"));
    assert_non_null(strstr(buf, "No embodied emissions"));
    wp_basis_assumptions(1.2, buf, sizeof buf);
    assert_non_null(strstr(buf, "(PUE) of 1.2 is assumed"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentences_name_the_study_components),
        cmocka_unit_test(test_sentences_are_empty_when_all_measured),
        cmocka_unit_test(test_assumptions_name_pue_intensity_and_embodied),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
