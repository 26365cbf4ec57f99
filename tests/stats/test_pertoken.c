/* Tests of src/stats/pertoken.c: energy per token pooled over experiments. */
#include "stats/stats.h"

#include "stats/check.h"

static void test_per_token_of_one_experiment_is_its_energy_over_its_tokens(void **state)
{
    (void)state;
    /* 0.1 kWh per 1,000 inferences = 1e-4 kWh = 360 J per inference; 200 tokens of which
     * 40 output: 5e-4 kWh per 1,000 tokens, 9 J per output token */
    double kwh[] = {0.1}, tok[] = {200}, out[] = {40};
    struct wp_per_token p;
    assert_int_equal(wp_stats_per_token(kwh, tok, out, 1, &p), WP_OK);
    assert_int_equal(p.n, 1);
    assert_rel(p.tokens_per_inference, 200, REL);
    assert_rel(p.output_tokens_per_inference, 40, REL);
    assert_rel(p.kwh_per_1k_tokens, 5e-4, REL);
    assert_rel(p.j_per_output_token, 9, REL);
}

static void test_per_token_pools_experiments_as_ratios_of_sums(void **state)
{
    (void)state;
    /* (0.1 + 0.3) / (200 + 100) kWh per 1,000 tokens, not the mean of 5e-4 and 3e-3;
     * (360 + 1080) J / (40 + 10) output tokens */
    double kwh[] = {0.1, 0.3, NAN}, tok[] = {200, 100, 50}, out[] = {40, 10, 5};
    struct wp_per_token p;
    assert_int_equal(wp_stats_per_token(kwh, tok, out, 3, &p), WP_OK);
    assert_int_equal(p.n, 2); /* the NaN energy is left out */
    assert_rel(p.kwh_per_1k_tokens, 0.4 / 300, REL);
    assert_rel(p.j_per_output_token, 1440.0 / 50, REL);
    assert_rel(p.tokens_per_inference, 150, REL);
    assert_rel(p.output_tokens_per_inference, 25, REL);
}

static void test_per_token_without_tokens_is_empty_and_nan(void **state)
{
    (void)state;
    double kwh[] = {0.1, 0.2}, tok[] = {NAN, 0}, out[] = {1, 0};
    struct wp_per_token p;
    assert_int_equal(wp_stats_per_token(kwh, tok, out, 2, &p), WP_ERR_EMPTY);
    assert_int_equal(p.n, 0);
    assert_true(isnan(p.kwh_per_1k_tokens));
    assert_true(isnan(p.j_per_output_token));
    /* tokens but no output token: per 1,000 tokens known, per output token undefined */
    double t2[] = {10}, o2[] = {0};
    assert_int_equal(wp_stats_per_token(kwh, t2, o2, 1, &p), WP_OK);
    assert_rel(p.kwh_per_1k_tokens, 0.01, REL);
    assert_true(isnan(p.j_per_output_token));
    assert_int_equal(wp_stats_per_token(NULL, t2, o2, 1, &p), WP_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_token_of_one_experiment_is_its_energy_over_its_tokens),
        cmocka_unit_test(test_per_token_pools_experiments_as_ratios_of_sums),
        cmocka_unit_test(test_per_token_without_tokens_is_empty_and_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
