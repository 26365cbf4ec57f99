/* Tests of src/stats/parity.c: inferences to parity, reproducing the "Power Hungry
 * Processing" figure for BLOOMz-7B, and the published training-energy table. */
#include "stats/stats.h"

#include <string.h>

#include "stats/check.h"

#define J_PER_KWH WP_J_PER_KWH

static void test_parity_reproduces_power_hungry_processing_bloomz_7b(void **state)
{
    (void)state;
    /* Luccioni et al. 2024: (51,686 + 7,571) kWh at 1.0e-4 kWh per inference; exact
     * fraction 59,257 / 0.0001 = 592,570,000, "about 592.6 million". */
    double n;
    assert_int_equal(wp_stats_parity((51686.0 + 7571.0) * J_PER_KWH, 1.0e-4 * J_PER_KWH, &n),
                     WP_OK);
    assert_rel(n, 592570000.0, REL);
}

static void test_parity_uses_the_published_training_table(void **state)
{
    (void)state;
    const struct wp_training_energy *t;
    assert_int_equal(wp_stats_training_energy("bigscience/bloomz-7b1", &t), WP_OK);
    assert_rel(t->training_j, 51686.0 * J_PER_KWH, REL);
    assert_rel(t->finetune_j, 7571.0 * J_PER_KWH, REL);
    assert_non_null(strstr(t->source, "2311.16863"));
    double n;
    assert_int_equal(wp_stats_parity(t->training_j + t->finetune_j, 360.0, &n), WP_OK);
    assert_rel(n, 592570000.0, REL);
}

static void test_parity_unknown_model_is_empty(void **state)
{
    (void)state;
    const struct wp_training_energy *t = (const void *)1;
    assert_int_equal(wp_stats_training_energy("gpt2", &t), WP_ERR_EMPTY);
    assert_null(t);
}

static void test_parity_rejects_nonpositive_inference_energy(void **state)
{
    (void)state;
    double n = 0;
    assert_int_equal(wp_stats_parity(1e9, 0.0, &n), WP_ERR_USAGE);
    assert_nan(n);
    assert_int_equal(wp_stats_parity(1e9, -1.0, &n), WP_ERR_USAGE);
    assert_int_equal(wp_stats_parity(-1.0, 1.0, &n), WP_ERR_USAGE);
    assert_int_equal(wp_stats_parity(NAN, 1.0, &n), WP_ERR_USAGE);
    assert_int_equal(wp_stats_parity(1e300, 1e-300, &n), WP_ERR_USAGE); /* overflows */
    assert_int_equal(wp_stats_parity(0.0, 1.0, &n), WP_OK);
    assert_true(n == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parity_reproduces_power_hungry_processing_bloomz_7b),
        cmocka_unit_test(test_parity_uses_the_published_training_table),
        cmocka_unit_test(test_parity_unknown_model_is_empty),
        cmocka_unit_test(test_parity_rejects_nonpositive_inference_energy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
