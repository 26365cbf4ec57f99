/* Tests of src/stats/cluster.c: nested designs, the t interval over unit means, the
 * cluster bootstrap (which must reduce to the ordinary bootstrap when the inner levels
 * hold one value, and to the unit-level interval when runs are identical), the ratio of
 * two designs, Holm's adjustment and p-values for people.  Literals from
 * tests/stats/reference.py (section "cluster"): exact fractions and mpmath t quantiles. */
#include "stats/stats.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats/check.h"

static int setup(void **state)
{
    (void)state;
    wp_stats_init();
    return 0;
}

/* unit 1 = experiments {1,2,3}, {4,6}; unit 2 = {10}; unit 3 = {2,2}, {8}; unit 4 =
 * {0.5,1.5}, given out of order with one missing value. */
static const double dx[] = {8, 1, 10, 2, 0.5, 3, 4, NAN, 2, 6, 1.5, 2};
static const long long du[] = {3, 1, 2, 1, 4, 1, 1, 2, 3, 1, 4, 3};
static const long long de[] = {31, 11, 21, 11, 41, 11, 12, 21, 30, 12, 41, 30};
#define DN (sizeof dx / sizeof dx[0])

static void test_design_nests_runs_in_experiments_in_units(void **state)
{
    (void)state;
    struct wp_design d;
    assert_int_equal(wp_stats_design_new(dx, du, de, DN, &d), WP_OK);
    assert_int_equal(d.n, 11);
    assert_int_equal(d.n_missing, 1);
    assert_int_equal(d.n_exp, 6);
    assert_int_equal(d.n_units, 4);
    double m[4];
    assert_int_equal(wp_stats_unit_means(&d, m), WP_OK);
    assert_rel(m[0], 3.5, REL); /* (2 + 5) / 2: each experiment weighted once */
    assert_rel(m[1], 10.0, REL);
    assert_rel(m[2], 5.0, REL);
    assert_rel(m[3], 1.0, REL);
    wp_stats_design_free(&d);
}

static void test_cluster_t_is_over_unit_means(void **state)
{
    (void)state;
    struct wp_design d;
    struct wp_ci ci;
    assert_int_equal(wp_stats_design_new(dx, du, de, DN, &d), WP_OK);
    assert_int_equal(wp_stats_ci_cluster_t(&d, 0.95, &ci), WP_OK);
    assert_int_equal(ci.n, 4); /* units, not the 11 runs */
    assert_int_equal(ci.n_missing, 1);
    assert_rel(ci.estimate, 4.875, REL);
    assert_rel(ci.lo, -1.1623936584128645, REL);
    assert_rel(ci.hi, 10.912393658412865, REL);
    assert_int_equal(wp_stats_ci_cluster_t(&d, 0.90, &ci), WP_OK);
    assert_rel(ci.lo, 0.41045288301522104, REL);
    assert_rel(ci.hi, 9.339547116984779, REL);
    wp_stats_design_free(&d);
}

static const double v10[] = {9.8, 10.2, 10.4, 9.9, 10.0, 10.1, 9.7, 10.3, 10.6, 9.5};

static void test_cluster_boot_of_one_run_per_unit_is_the_ordinary_bootstrap(void **state)
{
    (void)state;
    long long ids[10];
    for (int i = 0; i < 10; i++)
        ids[i] = i; /* units in input order, as the ordinary bootstrap indexes them */
    struct wp_design d;
    assert_int_equal(wp_stats_design_new(v10, ids, ids, 10, &d), WP_OK);
    struct wp_bootstrap b = {7, 2000, 0.95, NULL};
    struct wp_ci c, o;
    assert_int_equal(wp_stats_ci_cluster_boot(&d, &b, &c), WP_OK);
    assert_int_equal(wp_stats_ci_mean_boot(v10, 10, &b, &o), WP_OK);
    assert_true(c.lo == o.lo && c.hi == o.hi); /* the same bits */
    assert_rel(c.estimate, o.estimate, REL);
    assert_int_equal(c.n, 10);
    wp_stats_design_free(&d);
}

static void test_cluster_boot_with_identical_runs_is_the_unit_level_interval(void **state)
{
    (void)state;
    /* 6 models, one experiment each of 4 identical runs (dyadic values: exact sums) */
    static const double model[] = {1.5, 3.25, 0.75, 8.0, 2.5, 5.125};
    double x[24];
    long long u[24];
    for (int i = 0; i < 24; i++) {
        x[i] = model[i / 4];
        u[i] = i / 4;
    }
    struct wp_design d;
    assert_int_equal(wp_stats_design_new(x, u, u, 24, &d), WP_OK);
    struct wp_bootstrap b = {42, 3000, 0.9, NULL};
    struct wp_ci c, o, run_level;
    assert_int_equal(wp_stats_ci_cluster_boot(&d, &b, &c), WP_OK);
    assert_int_equal(wp_stats_ci_mean_boot(model, 6, &b, &o), WP_OK);
    assert_true(c.lo == o.lo && c.hi == o.hi);
    assert_int_equal(c.n, 6);
    /* the same runs taken as 24 independent values claim a narrower interval */
    assert_int_equal(wp_stats_ci_mean_boot(x, 24, &b, &run_level), WP_OK);
    assert_true(run_level.hi - run_level.lo < 0.7 * (c.hi - c.lo));
    wp_stats_design_free(&d);
}

static void test_cluster_boot_identical_runs_collapse_to_one_run(void **state)
{
    (void)state;
    /* 4 units with 2 or 3 experiments; design A has 4 identical runs per experiment,
     * design B one: runs add no noise, so the intervals are the same bits */
    static const double e[] = {1, 2, 4, 3, 5, 0.5, 0.25, 6, 7, 2.5};
    static const long long eu[] = {0, 0, 0, 1, 1, 2, 2, 2, 3, 3};
    double xa[40];
    long long ua[40], ea[40], ub[10], eb[10];
    for (int i = 0; i < 40; i++) {
        xa[i] = e[i / 4];
        ua[i] = eu[i / 4];
        ea[i] = i / 4;
    }
    for (int i = 0; i < 10; i++) {
        ub[i] = eu[i];
        eb[i] = i;
    }
    struct wp_design a, b;
    assert_int_equal(wp_stats_design_new(xa, ua, ea, 40, &a), WP_OK);
    assert_int_equal(wp_stats_design_new(e, ub, eb, 10, &b), WP_OK);
    struct wp_bootstrap o = {3, 1000, 0.95, NULL};
    struct wp_ci ca, cb;
    assert_int_equal(wp_stats_ci_cluster_boot(&a, &o, &ca), WP_OK);
    assert_int_equal(wp_stats_ci_cluster_boot(&b, &o, &cb), WP_OK);
    assert_true(ca.lo == cb.lo && ca.hi == cb.hi);
    assert_true(ca.lo < ca.estimate && ca.estimate < ca.hi);
    wp_stats_design_free(&a);
    wp_stats_design_free(&b);
}

static void test_cluster_boot_from_shared_draws_is_the_same(void **state)
{
    (void)state;
    /* balanced: 5 units x 2 experiments x 3 runs, read from kept tables the second time and
     * for a second design of the same shape; unbalanced designs draw for themselves */
    double x[30], y[30];
    long long u[30], e[30];
    for (int i = 0; i < 30; i++) {
        x[i] = 1.0 + (double)((i * 7919) % 31) / 8.0;
        u[i] = i / 6;
        e[i] = i / 3;
    }
    for (int i = 0; i < 30; i++) /* after x is whole: x[29 - i] was read before it was set */
        y[i] = 2.0 * x[29 - i];
    struct wp_design a, b, c;
    assert_int_equal(wp_stats_design_new(x, u, e, 30, &a), WP_OK);
    assert_int_equal(wp_stats_design_new(y, u, e, 30, &b), WP_OK);
    assert_int_equal(wp_stats_design_new(x, u, e, 29, &c), WP_OK); /* one run short */
    struct wp_boot_draws *dr = wp_boot_draws_new();
    assert_non_null(dr);
    struct wp_bootstrap plain = {5, 1500, 0.95, NULL}, shared = {5, 1500, 0.95, dr};
    struct wp_ci p, q;
    const struct wp_design *ds[] = {&a, &b, &c, &a};
    for (int k = 0; k < 4; k++) {
        assert_int_equal(wp_stats_ci_cluster_boot(ds[k], &plain, &p), WP_OK);
        assert_int_equal(wp_stats_ci_cluster_boot(ds[k], &shared, &q), WP_OK);
        assert_true(p.lo == q.lo && p.hi == q.hi);
        assert_true(p.lo < p.hi);
    }
    wp_boot_draws_free(dr);
    wp_stats_design_free(&a);
    wp_stats_design_free(&b);
    wp_stats_design_free(&c);
}

static void test_cluster_boot_one_unit_has_no_interval(void **state)
{
    (void)state;
    static const double x[] = {1, 2, 3, 4};
    static const long long u[] = {5, 5, 5, 5}, e[] = {1, 1, 2, 2};
    struct wp_design d;
    assert_int_equal(wp_stats_design_new(x, u, e, 4, &d), WP_OK);
    struct wp_ci c, t;
    assert_int_equal(wp_stats_ci_cluster_boot(&d, NULL, &c), WP_OK);
    assert_int_equal(wp_stats_ci_cluster_t(&d, 0.95, &t), WP_OK);
    assert_int_equal(c.n, 1);
    assert_rel(c.estimate, 2.5, REL);
    assert_nan(c.lo);
    assert_nan(c.hi);
    assert_nan(t.lo);
    assert_true(c.is_small);
    wp_stats_design_free(&d);
}

static void test_ratio_cluster_of_trivial_designs_is_the_stratified_bootstrap(void **state)
{
    (void)state;
    static const double a[] = {4, 5, 6, 7, 9}, bb[] = {1, 1.5, 2, 2.5};
    static const long long ia[] = {0, 1, 2, 3, 4}, ib[] = {0, 1, 2, 3};
    struct wp_design da, db;
    assert_int_equal(wp_stats_design_new(a, ia, ia, 5, &da), WP_OK);
    assert_int_equal(wp_stats_design_new(bb, ib, ib, 4, &db), WP_OK);
    struct wp_bootstrap o = {11, 2000, 0.95, NULL};
    struct wp_ratio c, s;
    assert_int_equal(wp_stats_ratio_cluster(&da, &db, false, &o, &c), WP_OK);
    assert_int_equal(wp_stats_ratio_boot(a, 5, bb, 4, &o, &s), WP_OK);
    assert_true(c.lo == s.lo && c.hi == s.hi);
    assert_rel(c.ratio, 6.2 / 1.75, REL);
    /* geometric: (4*5*6*7*9)^(1/5) / (1*1.5*2*2.5)^(1/4) */
    assert_int_equal(wp_stats_ratio_cluster(&da, &db, true, &o, &c), WP_OK);
    assert_rel(c.ratio, pow(7560.0, 0.2) / pow(7.5, 0.25), 1e-12);
    assert_true(c.lo < c.ratio && c.ratio < c.hi);
    assert_int_equal(c.n_a, 5);
    assert_int_equal(c.n_b, 4);
    wp_stats_design_free(&da);
    wp_stats_design_free(&db);
}

/* ---- the ratio against a direct computation --------------------------------------- */

/* The three-stage bootstrap written out plainly: gsl_rng_uniform_int on three mt19937
 * generators (units from seed, experiments from seed ^ 0x9e3779b9, runs from
 * seed ^ 0x85ebca6b), each drawn unit's experiments and each drawn experiment's runs
 * copied into arrays and averaged; a level with one member draws nothing. */
struct naive {
    gsl_rng *unit, *exp, *run;
};

static size_t naive_pick(gsl_rng *r, size_t n)
{
    return n == 1 ? 0 : (size_t)gsl_rng_uniform_int(r, n);
}

static double naive_mean(const double *v, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s / (double)n;
}

/* One replicate of d: the mean of the drawn unit means, and their geometric mean. */
static void naive_replicate(const struct wp_design *d, struct naive *g, double *mean,
                            double *geo)
{
    size_t nu = d->n_units, units[64];
    double um[64], ln[64];
    assert_true(nu <= 64);
    for (size_t k = 0; k < nu; k++)
        units[k] = naive_pick(g->unit, nu);
    for (size_t k = 0; k < nu; k++) {
        size_t a = d->unit_start[units[k]], ne = d->unit_start[units[k] + 1] - a;
        double em[64];
        assert_true(ne <= 64);
        for (size_t j = 0; j < ne; j++) {
            size_t e = a + naive_pick(g->exp, ne);
            size_t r0 = d->exp_start[e], nr = d->exp_start[e + 1] - r0;
            double runs[64];
            assert_true(nr <= 64);
            for (size_t l = 0; l < nr; l++)
                runs[l] = d->x[r0 + naive_pick(g->run, nr)];
            em[j] = nr == 1 ? runs[0] : naive_mean(runs, nr);
        }
        um[k] = naive_mean(em, ne);
        ln[k] = um[k] > 0 ? log(um[k]) : NAN;
    }
    *mean = naive_mean(um, nu);
    *geo = exp(naive_mean(ln, nu));
}

/* The percentile interval of r replicates: type 7 quantiles of the sorted values. */
static void naive_interval(double *rep, size_t r, double level, double *lo, double *hi)
{
    gsl_sort(rep, 1, r);
    *lo = gsl_stats_quantile_from_sorted_data(rep, 1, r, (1.0 - level) / 2.0);
    *hi = gsl_stats_quantile_from_sorted_data(rep, 1, r, (1.0 + level) / 2.0);
}

static void naive_ratios(const struct wp_design *a, const struct wp_design *b,
                         const struct wp_bootstrap *o, struct wp_ratio *mean,
                         struct wp_ratio *geo)
{
    struct naive g = {gsl_rng_alloc(gsl_rng_mt19937), gsl_rng_alloc(gsl_rng_mt19937),
                      gsl_rng_alloc(gsl_rng_mt19937)};
    assert_true(g.unit && g.exp && g.run);
    gsl_rng_set(g.unit, o->seed);
    gsl_rng_set(g.exp, o->seed ^ 0x9e3779b9UL);
    gsl_rng_set(g.run, o->seed ^ 0x85ebca6bUL);
    double *rm = malloc(o->resamples * sizeof *rm), *rg = malloc(o->resamples * sizeof *rg);
    assert_true(rm && rg);
    for (size_t r = 0; r < o->resamples; r++) {
        double ma, mb, ga, gb;
        naive_replicate(a, &g, &ma, &ga);
        naive_replicate(b, &g, &mb, &gb);
        rm[r] = ma / mb;
        rg[r] = ga / gb;
    }
    naive_interval(rm, o->resamples, o->level, &mean->lo, &mean->hi);
    naive_interval(rg, o->resamples, o->level, &geo->lo, &geo->hi);
    free(rm);
    free(rg);
    gsl_rng_free(g.unit);
    gsl_rng_free(g.exp);
    gsl_rng_free(g.run);
}

static void test_ratio_cluster_is_the_direct_three_stage_bootstrap(void **state)
{
    (void)state;
    /* a: dx (4 units; 1 or 2 experiments of 1 to 3 runs); b: 5 units of 1 to 3
     * experiments of 1 to 4 runs, values spread over three decades.  3,000 resamples read
     * some 130,000 run draws: past two kept chunks of 65,536 outputs */
    double y[40];
    long long yu[40], ye[40];
    for (int i = 0; i < 40; i++) {
        y[i] = 0.01 * (1.0 + (double)((i * 7919) % 97)) * (i % 3 ? 1.0 : 30.0);
        yu[i] = i % 5;
        ye[i] = (i % 5) * 10 + (i * 13 % 7) % (1 + i % 3);
    }
    struct wp_design a, b;
    assert_int_equal(wp_stats_design_new(dx, du, de, DN, &a), WP_OK);
    assert_int_equal(wp_stats_design_new(y, yu, ye, 40, &b), WP_OK);
    struct wp_boot_draws *dr = wp_boot_draws_new();
    assert_non_null(dr);
    struct wp_bootstrap plain = {3, 3000, 0.9, NULL}, kept = {3, 3000, 0.9, dr};
    struct wp_ratio want_m, want_g;
    naive_ratios(&a, &b, &plain, &want_m, &want_g);
    assert_true(want_m.lo < want_m.hi && want_g.lo < want_g.hi);
    const struct wp_bootstrap *opts[] = {&plain, &kept, &kept}; /* kept: drawn, then read */
    for (int k = 0; k < 3; k++) {
        struct wp_ratio m, g, alone_m, alone_g;
        assert_int_equal(wp_stats_ratio_cluster_both(&a, &b, opts[k], &m, &g), WP_OK);
        assert_true(m.lo == want_m.lo && m.hi == want_m.hi);
        assert_true(g.lo == want_g.lo && g.hi == want_g.hi);
        assert_int_equal(wp_stats_ratio_cluster(&a, &b, false, opts[k], &alone_m), WP_OK);
        assert_int_equal(wp_stats_ratio_cluster(&a, &b, true, opts[k], &alone_g), WP_OK);
        assert_memory_equal(&m, &alone_m, sizeof m);
        assert_memory_equal(&g, &alone_g, sizeof g);
        assert_rel(m.ratio, 4.875 / m.mean_b, REL);
    }
    /* the pair the other way round reads the same kept streams from their start */
    struct wp_ratio bm, bg, nm, ng;
    assert_int_equal(wp_stats_ratio_cluster_both(&b, &a, &kept, &bm, &bg), WP_OK);
    naive_ratios(&b, &a, &plain, &nm, &ng);
    assert_true(bm.lo == nm.lo && bm.hi == nm.hi && bg.lo == ng.lo && bg.hi == ng.hi);
    wp_boot_draws_free(dr);
    wp_stats_design_free(&a);
    wp_stats_design_free(&b);
}

static void test_holm_matches_hand_computed_cases(void **state)
{
    (void)state;
    const double p[] = {0.01, 0.04, 0.03, 0.005};
    double adj[4];
    assert_int_equal(wp_stats_holm(p, 4, adj), WP_OK);
    assert_rel(adj[0], 0.03, REL);
    assert_rel(adj[1], 0.06, REL); /* 0.04 x 1 raised to the running max 0.06 */
    assert_rel(adj[2], 0.06, REL);
    assert_rel(adj[3], 0.02, REL);
    const double q[] = {0.6, 0.7};
    assert_int_equal(wp_stats_holm(q, 2, adj), WP_OK);
    assert_true(adj[0] == 1.0 && adj[1] == 1.0); /* capped */
    const double r[] = {0.5, NAN, 0.2};
    double ar[3];
    assert_int_equal(wp_stats_holm(r, 3, ar), WP_OK); /* NaN is not a test: m = 2 */
    assert_rel(ar[0], 0.5, REL);
    assert_nan(ar[1]);
    assert_rel(ar[2], 0.4, REL);
    double in_place[] = {0.01, 0.04, 0.03, 0.005};
    assert_int_equal(wp_stats_holm(in_place, 4, in_place), WP_OK);
    assert_rel(in_place[1], 0.06, REL);
    assert_rel(in_place[3], 0.02, REL);
}

static void test_p_text_never_prints_zero(void **state)
{
    (void)state;
    char b[32];
    wp_stats_p_text(0.0, b, sizeof b);
    assert_string_equal(b, "< 1e-16");
    wp_stats_p_text(1e-300, b, sizeof b);
    assert_string_equal(b, "< 1e-16");
    wp_stats_p_text(2.8e-12, b, sizeof b);
    assert_string_equal(b, "2.8e-12");
    wp_stats_p_text(0.2812, b, sizeof b);
    assert_string_equal(b, "0.28");
    wp_stats_p_text(NAN, b, sizeof b);
    assert_string_equal(b, "n/a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_design_nests_runs_in_experiments_in_units),
        cmocka_unit_test(test_cluster_t_is_over_unit_means),
        cmocka_unit_test(test_cluster_boot_of_one_run_per_unit_is_the_ordinary_bootstrap),
        cmocka_unit_test(test_cluster_boot_with_identical_runs_is_the_unit_level_interval),
        cmocka_unit_test(test_cluster_boot_identical_runs_collapse_to_one_run),
        cmocka_unit_test(test_cluster_boot_from_shared_draws_is_the_same),
        cmocka_unit_test(test_cluster_boot_one_unit_has_no_interval),
        cmocka_unit_test(test_ratio_cluster_of_trivial_designs_is_the_stratified_bootstrap),
        cmocka_unit_test(test_ratio_cluster_is_the_direct_three_stage_bootstrap),
        cmocka_unit_test(test_holm_matches_hand_computed_cases),
        cmocka_unit_test(test_p_text_never_prints_zero),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
