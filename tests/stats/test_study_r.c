/* The statistics of the study's headline and scaling sections (fixtures/study, `make run`)
 * against R 4.2.2 on the same real values: the t interval over model means, Welch's tests
 * (raw and log10), least squares with Spearman's rho (tied parameter counts), the slope
 * within tasks and Holm's adjustment.  The literals are each model's mean kWh per 1,000
 * inferences (the mean of its experiments' means, each experiment the mean of its 10
 * runs, whole runs) and parameter count, exported with
 *     wattprint --db out/study/study.db runs --format csv
 * joined with the store's experiment and model ids, and printed by R with
 *     um <- function(x) { em <- tapply(x$kwh, x$experiment_id, mean)
 *                         mo <- tapply(x$model_id, x$experiment_id, `[`, 1)
 *                         tapply(em, mo[names(em)], mean) }
 *     sprintf("%.17g", um(d[d$task == "image_generation", ]))   # and so on
 * The expected values are R's, printed the same way: each test names the R call. */
#include "stats/stats.h"

#include "stats/check.h"

/* image_generation: 10 models (300 runs); token_classification and masked_lm: 8 each. */
static const double ig[] = {
    1.3431821947461438, 1.3473051754058774, 1.3522781856479569, 1.2680466563254245,
    3.3937278710963277, 3.0445162700460928, 11.30062142352641,  0.75723033535829998,
    0.77580422377645852, 1.3172466051742047,
};
static const double tc[] = {
    0.0062962888938666662, 0.0035784242955333332, 0.0064539123535666664,
    0.0044911353461666668, 0.0023285798260666668, 0.0087418172099333336,
    0.0028132029814333334, 0.0032367823596999999,
};
static const double tc_params[] = { 333579264, 177853440, 355359744, 177853440,
                                    65190912,  559890432, 134734080, 108310272 };
static const double ml[] = {
    0.0061701367009511458, 0.0048117746443517868, 0.0055207393061511706,
    0.0045236019443083307, 0.0033422337786171335, 0.0038924221677847501,
    0.0094883885729729334, 0.0075387640860120099,
};
static const double ml_params[] = { 177853440, 124645632, 109482240, 108310272,
                                    66362880,  11683584,  278043648, 138601728 };
#define NIG (sizeof ig / sizeof ig[0])
#define NTC (sizeof tc / sizeof tc[0])

static int setup(void **state)
{
    (void)state;
    wp_stats_init();
    return 0;
}

/* R: t.test(ig)$conf.int */
static void test_study_t_interval_over_model_means_matches_r(void **state)
{
    (void)state;
    struct wp_ci ci;
    assert_int_equal(wp_stats_ci_mean_t(ig, NIG, 0.95, &ci), WP_OK);
    assert_int_equal(ci.n, 10);
    assert_rel(ci.estimate, 2.5899958941103196, REL);
    assert_rel(ci.lo, 0.31061011785683046, REL);
    assert_rel(ci.hi, 4.8693816703638086, REL);
}

/* R: t.test(ig, tc) and t.test(log10(ig), log10(tc)) (Welch, the default) */
static void test_study_welch_on_model_means_matches_r(void **state)
{
    (void)state;
    struct wp_welch w;
    assert_int_equal(wp_stats_welch(ig, NIG, tc, NTC, &w), WP_OK);
    assert_rel(w.t, 2.5657120990616029, REL);
    assert_rel(w.df, 9.0000109451942247, REL);
    assert_rel(w.p, 0.030400869683726215, REL);
    assert_int_equal(wp_stats_welch_log10(ig, NIG, tc, NTC, &w), WP_OK);
    assert_rel(w.t, 19.707625787845757, REL);
    assert_rel(w.df, 14.626882270777747, REL);
    assert_rel(w.p, 6.1148022161615407e-12, 1e-7); /* a tail this deep: 7 digits */
    assert_rel(w.ratio, 406.82189354071033, REL);  /* 10^(mean(log10 ig) - mean(log10 tc)) */
}

static void logs(const double *v, size_t n, double *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = log10(v[i]);
}

/* R: m <- lm(ly ~ lx); summary(m); cor.test(lx, ly, method = "spearman", exact = FALSE)
 * (two models share 177,853,440 parameters: ranks tie, so R's default is this p too) */
static void test_study_scaling_fit_and_spearman_match_r(void **state)
{
    (void)state;
    double x[NTC], y[NTC];
    logs(tc_params, NTC, x);
    logs(tc, NTC, y);
    struct wp_fit f;
    assert_int_equal(wp_stats_fit_linear(x, y, NTC, &f), WP_OK);
    assert_rel(f.slope, 0.63742190497864515, REL);
    assert_rel(f.se_slope, 0.062102940200651158, REL);
    assert_rel(f.intercept, -7.6472978328884809, REL);
    assert_rel(f.se_intercept, 0.51498704038320819, REL);
    assert_rel(f.r2, 0.94611527619895597, REL);
    assert_rel(f.resid_sd, 0.050172462259532827, REL);
    assert_rel(f.p_slope, 4.9914193970279763e-05, REL);
    assert_rel(f.spearman_rho, 0.97007727214973982, REL);
    assert_rel(f.spearman_p, 6.5485588311205877e-05, REL);
}

/* R: X, Y the two tasks' points, G their task; m <- lm(Y ~ X + G): coefficient X, its se,
 * t, p, df.residual, sigma; within R^2: summary(lm(Y - ave(Y, G) ~ X - ave(X, G) - 1)) */
static void test_study_slope_within_tasks_matches_r(void **state)
{
    (void)state;
    double x[2 * NTC], y[2 * NTC];
    long long g[2 * NTC];
    logs(tc_params, NTC, x);
    logs(tc, NTC, y);
    logs(ml_params, NTC, x + NTC);
    logs(ml, NTC, y + NTC);
    for (size_t i = 0; i < 2 * NTC; i++)
        g[i] = i < NTC ? 1 : 2;
    struct wp_fit f;
    size_t k;
    assert_int_equal(wp_stats_fit_within(x, y, g, 2 * NTC, &f, &k), WP_OK);
    assert_int_equal(k, 2);
    assert_rel(f.df, 13, REL);
    assert_rel(f.slope, 0.39155036826551459, REL);
    assert_rel(f.se_slope, 0.080126569270366696, REL);
    assert_rel(f.t_slope, 4.8866483593516605, REL);
    assert_rel(f.p_slope, 0.00029707747644104073, REL);
    assert_rel(f.r2, 0.64749904001119307, REL);
    assert_rel(f.resid_sd, 0.10881322538830634, REL);
}

/* R: p.adjust(p, "holm") over the study's ten per-task slope p-values (stats --format
 * json, scaling[].p_slope), with two ties among the adjusted values */
static void test_study_holm_matches_r_p_adjust(void **state)
{
    (void)state;
    const double p[] = { 9.925254157465626e-05,  0.011630986047202892,  0.034123055159258765,
                         0.00582492990844094,    0.048912201566667056,  0.007009710703341717,
                         0.00038553730559362574, 0.00020634899330082006, 0.0007593459803618779,
                         4.991419397027866e-05 };
    const double want[] = { 0.00089327287417190638, 0.034892958141608678, 0.068246110318517531,
                            0.0291246495422047,     0.068246110318517531, 0.0291246495422047,
                            0.00269876113915538,    0.0016507919464065605, 0.0045560758821712672,
                            0.00049914193970278654 };
    double adj[10];
    assert_int_equal(wp_stats_holm(p, 10, adj), WP_OK);
    for (size_t i = 0; i < 10; i++)
        assert_rel(adj[i], want[i], REL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_study_t_interval_over_model_means_matches_r),
        cmocka_unit_test(test_study_welch_on_model_means_matches_r),
        cmocka_unit_test(test_study_scaling_fit_and_spearman_match_r),
        cmocka_unit_test(test_study_slope_within_tasks_matches_r),
        cmocka_unit_test(test_study_holm_matches_r_p_adjust),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
