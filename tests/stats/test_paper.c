/* Tests of src/stats/paper.c: pooling groups' means and sds, the subsets of models that
 * reproduce a published value, parity with an interval, energy against quality with the
 * Pareto front, and the headline in smartphone charges. */
#include "stats/paper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stats/check.h"
#include "util/units.h"

/* A group of `task` x `model` with n runs of mean m and sample sd sd. */
static struct wp_group_stats group(const char *task, const char *model, size_t n, double m,
                                   double sd)
{
    struct wp_group_stats g;
    memset(&g, 0, sizeof g);
    g.task = (char *)task;
    g.model = (char *)model;
    g.n_runs = g.n = n;
    g.n_units = 3;
    g.kwh.n = n;
    g.kwh.mean = m;
    g.kwh.sd = sd;
    g.kwh_t.lo = m / 2;
    g.kwh_t.hi = m * 2;
    g.training_energy_j = NAN;
    return g;
}

static void test_paper_pool_matches_the_values(void **state)
{
    (void)state;
    /* {1, 2, 3} and {10, 14}: mean 6, sample sd of the five values */
    size_t n[2] = {3, 2};
    double mean[2] = {2, 12}, sd[2] = {1, sqrt(8)};
    double m, s;
    assert_int_equal(wp_paper_pool(n, mean, sd, 2, &m, &s), WP_OK);
    assert_rel(m, 6.0, REL);
    double ss = 25 + 16 + 9 + 16 + 64; /* (x - 6)^2 */
    assert_rel(s, sqrt(ss / 4), REL);
    size_t one[1] = {1};
    assert_int_equal(wp_paper_pool(one, mean, sd, 1, &m, &s), WP_ERR_EMPTY);
}

static void test_paper_subsets_find_the_models_left_out(void **state)
{
    (void)state;
    /* runs {1,1}, {2,2}, {3,3}, {10,10}: of the 4 subsets of 3, only leaving D out gives a
       mean of 2.0 (sd of {1,1,2,2,3,3} = sqrt(0.8) = 0.894, printed 0.9) */
    struct wp_group_stats g[4] = {group("t", "A", 2, 1, 0), group("t", "B", 2, 2, 0),
                                  group("t", "C", 2, 3, 0), group("t", "D", 2, 10, 0)};
    struct wp_group_table a = {.groups = g, .n_groups = 4};
    struct wp_reference_row ref = {.key = "t", .mean = 2.0, .mean_unit = 0.1, .sd = 0.9,
                                   .sd_unit = 0.1, .g_mean = NAN};
    struct wp_subsets s;
    assert_int_equal(wp_paper_subsets(&a, "t", 3, &ref, &s), WP_OK);
    assert_int_equal(s.n_models, 4);
    assert_int_equal(s.n_tried, 4);
    assert_int_equal(s.n_mean, 1);
    assert_int_equal(s.n_both, 1);
    assert_int_equal(s.n_runs, 8);
    assert_string_equal(s.v[0].left_out, "D");
    assert_rel(s.v[0].mean, 2.0, REL);
    assert_rel(s.v[0].sd, sqrt(0.8), REL);
    wp_subsets_free(&s);
    /* a printed sd that no subset gives: the mean agrees, the pair does not */
    ref.sd = 3.0;
    assert_int_equal(wp_paper_subsets(&a, "t", 3, &ref, &s), WP_OK);
    assert_int_equal(s.n_mean, 1);
    assert_int_equal(s.n_both, 0);
    assert_false(s.v[0].sd_agrees);
    wp_subsets_free(&s);
    /* two left out of four: 6 subsets, names joined */
    ref.mean = 6.0;
    ref.mean_unit = 0.1;
    assert_int_equal(wp_paper_subsets(&a, "t", 2, &ref, &s), WP_OK);
    assert_int_equal(s.n_tried, 6);
    assert_int_equal(s.n_mean, 1); /* {2, 10}: B + D kept, A + C left out */
    assert_string_equal(s.v[0].left_out, "A + C");
    wp_subsets_free(&s);
    /* no more models than published: nothing to choose */
    assert_int_equal(wp_paper_subsets(&a, "t", 4, &ref, &s), WP_ERR_EMPTY);
    assert_int_equal(wp_paper_subsets(&a, "other", 1, &ref, &s), WP_ERR_EMPTY);
}

static void test_paper_parity_maps_the_interval(void **state)
{
    (void)state;
    struct wp_group_stats g[3] = {group("t", "bigscience/bloomz-7b1", 30, 1.0, 0.1),
                                  group("t", "m2", 30, 1.0, 0.1), group("t", "m3", 30, 1.0, 1)};
    g[0].training_energy_j = 1000 * WP_J_PER_KWH; /* 1 kWh per 1,000 = 3,600 J each */
    g[2].training_energy_j = 1000 * WP_J_PER_KWH;
    g[2].kwh_t.lo = -0.5; /* a t interval below zero: parity unbounded above */
    struct wp_group_table a = {.groups = g, .n_groups = 3};
    struct wp_parity_row *p;
    size_t n;
    assert_int_equal(wp_paper_parity(&a, &p, &n), WP_OK);
    assert_int_equal(n, 2);
    assert_rel(p[0].parity, 1e6, REL);
    assert_rel(p[0].parity_lo, 5e5, REL); /* at the interval's high energy, 2 kWh */
    assert_rel(p[0].parity_hi, 2e6, REL); /* at its low energy, 0.5 kWh */
    assert_non_null(p[0].published);      /* the paper's table has BLOOMz-7B */
    assert_null(p[1].published);
    assert_string_equal(p[1].model, "m3");
    assert_true(isinf(p[1].parity_hi));
    free(p);
}

static void test_paper_quality_marks_the_pareto_front(void **state)
{
    (void)state;
    char path[] = "/tmp/wp_scores_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("model,task,type,a (acc),b (acc),c (rouge)\n"
          "m1,sentiment,x,0.8,0.8,\n"
          "m2,sentiment,x,0.9,,\n"
          "m3,sentiment,x,0.85,0.85,\n"
          "m4,summarization,x,,,0.2\n"
          "nobody,sentiment,x,1,1,\n", f);
    assert_int_equal(fclose(f), 0);
    struct wp_group_stats g[4] = {group("text_classification", "m1", 3, 1, 0),
                                  group("text_classification", "m2", 3, 2, 0),
                                  group("text_classification", "m3", 3, 3, 0),
                                  group("summarization", "m4", 3, 5, 0)};
    struct wp_group_table a = {.groups = g, .n_groups = 4};
    struct wp_quality q;
    struct wp_diag d = {0};
    assert_int_equal(wp_paper_quality(path, &a, &q, &d), WP_OK);
    unlink(path);
    assert_int_equal(q.n, 4); /* "nobody" has no energy: left out */
    /* sorted by task, then energy */
    assert_string_equal(q.v[0].task, "summarization");
    assert_true(q.v[0].on_front); /* alone in its task */
    assert_string_equal(q.v[0].metrics, "c (rouge)");
    assert_string_equal(q.v[1].model, "m1");
    assert_true(q.v[1].on_front);
    assert_string_equal(q.v[2].model, "m2");
    assert_true(q.v[2].on_front);
    assert_rel(q.v[2].score, 0.9, REL);
    assert_int_equal(q.v[2].n_scores, 1);
    assert_string_equal(q.v[3].model, "m3"); /* costlier than m2 and scores less */
    assert_false(q.v[3].on_front);
    assert_string_equal(q.v[3].metrics, "a (acc), b (acc)");
    wp_quality_free(&q);
    /* a file that cannot be read is an I/O error */
    assert_int_equal(wp_paper_quality("/nonexistent/scores.csv", &a, &q, &d), WP_ERR_IO);
}

static void test_paper_charges_by_each_factor(void **state)
{
    (void)state;
    struct wp_group_stats t[1] = {group("image_generation", NULL, 300, 2.0, 1)};
    t[0].n_units = 10;
    struct wp_group_stats m[3] = {group("image_generation", "big", 30, 11.0, 1),
                                  group("image_generation", "small", 30, 0.5, 1),
                                  group("other", "x", 30, 99.0, 1)};
    struct wp_group_table tasks = {.groups = t, .n_groups = 1};
    struct wp_group_table models = {.groups = m, .n_groups = 3};
    struct wp_charge_row r[3];
    assert_int_equal(wp_paper_charges(&tasks, &models, "image_generation", r), WP_OK);
    size_t nf;
    const struct wp_charge_factor *f = wp_paper_charge_factors(&nf);
    assert_int_equal(nf, 3);
    assert_rel(f[0].kwh_per_charge, 0.022, REL);
    assert_null(r[0].model);
    assert_string_equal(r[1].model, "big");
    assert_string_equal(r[2].model, "small");
    for (size_t k = 0; k < nf; k++) {
        assert_non_null(f[k].source);
        assert_rel(r[1].charges_per_1k[k], 11.0 / f[k].kwh_per_charge, REL);
        assert_rel(r[0].charges_per_1k[k], 2.0 / f[k].kwh_per_charge, REL);
    }
    /* the earlier factor is the one that makes "one charge per image": 11/1000/0.012 */
    assert_true(r[1].charges_per_1k[1] / 1000 > 0.9);
    assert_int_equal(wp_paper_charges(&tasks, &models, "nothing", r), WP_ERR_EMPTY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paper_pool_matches_the_values),
        cmocka_unit_test(test_paper_subsets_find_the_models_left_out),
        cmocka_unit_test(test_paper_parity_maps_the_interval),
        cmocka_unit_test(test_paper_quality_marks_the_pareto_front),
        cmocka_unit_test(test_paper_charges_by_each_factor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
