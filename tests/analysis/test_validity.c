/* Tests of the fixed-order check of src/analysis/validity.c: experiments (one model on one
 * dataset each, one CodeCarbon log each) whose runs' start times put them in one block
 * each (flagged "blocked"), in the same order every round (flagged "rounds"), in no fixed
 * order (interleaved, not flagged), and too few experiments or runs to say (not checked).
 * The finding flags no run: the run flags and counts stay as they were. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ingest/ingest.h"
#include "analysis/validity.h"

#define MAX_EXP 4

/* runs[e] lists the start minutes of experiment e's runs (-1 ends it); each run lasts 60 s
 * and costs the same, so no other check flags anything. */
static void check(const int runs[][8], size_t n_exp, struct wp_validity *v)
{
    char dir[] = "/tmp/test_validity.XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct wp_store *s = NULL;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    char paths[MAX_EXP][64], datasets[MAX_EXP][24];
    for (size_t e = 0; e < n_exp; e++) {
        snprintf(paths[e], sizeof paths[e], "%s/e%zu.csv", dir, e);
        snprintf(datasets[e], sizeof datasets[e], "d%zu", e);
        FILE *f = fopen(paths[e], "w");
        assert_non_null(f);
        fputs("timestamp,project_name,run_id,duration,emissions,energy_consumed\n", f);
        for (size_t i = 0; runs[e][i] >= 0; i++)
            fprintf(f, "2024-05-01T10:%02d:00,p,00000000-0000-4000-8000-%06zu%06zu,60,0.1,"
                       "0.01\n", runs[e][i] + 1, e, i);
        assert_int_equal(fclose(f), 0);
        struct wp_ingest_opts o = {.labels = {.model = "m", .task = "t",
                                              .dataset = datasets[e], .inferences = 1000}};
        struct wp_file_result r;
        struct wp_diag d = {0};
        assert_int_equal(wp_ingest_file(s, paths[e], &o, &r, &d), WP_OK);
    }
    struct wp_run_filter all = {0};
    struct wp_diag d = {0};
    assert_int_equal(wp_validity_run(s, &all, NULL, v, &d), WP_OK);
    wp_store_close(s);
    for (size_t e = 0; e < n_exp; e++)
        unlink(paths[e]);
    rmdir(dir);
}

static void test_validity_blocked_experiments_are_a_fixed_order(void **state)
{
    (void)state;
    static const int runs[][8] = {{0, 2, 4, -1}, {10, 12, 14, -1}, {20, 22, 24, -1}};
    struct wp_validity v;
    check(runs, 3, &v);
    assert_int_equal(v.order, WP_ORDER_BLOCKED);
    assert_true(v.fixed_order);
    assert_int_equal(v.order_experiments, 3);
    assert_int_equal(v.order_runs, 9);
    assert_non_null(strstr(v.order_msg, "3 experiments were each run in one contiguous block"));
    assert_int_equal(v.n_flags, 0); /* a finding about the design, not a run's flag */
    assert_int_equal(v.n_runs_flagged, 0);
    assert_int_equal(v.runs_checked, 9);
    wp_validity_free(&v);
}

static void test_validity_the_same_order_every_round_is_a_fixed_order(void **state)
{
    (void)state;
    static const int runs[][8] = {{0, 10, 20, -1}, {2, 12, 22, -1}, {4, 14, 24, -1}};
    struct wp_validity v;
    check(runs, 3, &v);
    assert_int_equal(v.order, WP_ORDER_ROUNDS);
    assert_true(v.fixed_order);
    assert_non_null(strstr(v.order_msg, "same order in each of 3 rounds"));
    assert_int_equal(v.n_flags, 0);
    wp_validity_free(&v);
}

static void test_validity_interleaved_experiments_are_not_flagged(void **state)
{
    (void)state;
    /* A B B A A B: neither blocks nor one order per round */
    static const int runs[][8] = {{0, 6, 8, -1}, {2, 4, 10, -1}};
    struct wp_validity v;
    check(runs, 2, &v);
    assert_int_equal(v.order, WP_ORDER_INTERLEAVED);
    assert_false(v.fixed_order);
    assert_int_equal(v.order_experiments, 2);
    assert_int_equal(v.order_runs, 6);
    assert_string_equal(v.order_msg, "");
    wp_validity_free(&v);
}

static void test_validity_too_few_runs_are_not_checked(void **state)
{
    (void)state;
    /* one experiment of 3 runs, one of 1: only one experiment has 2 runs */
    static const int runs[][8] = {{0, 2, 4, -1}, {10, -1}};
    struct wp_validity v;
    check(runs, 2, &v);
    assert_int_equal(v.order, WP_ORDER_UNCHECKED);
    assert_false(v.fixed_order);
    assert_int_equal(v.order_experiments, 0);
    assert_int_equal(v.runs_checked, 4);
    wp_validity_free(&v);
    /* one experiment alone */
    static const int one[][8] = {{0, 2, 4, 6, -1}};
    check(one, 1, &v);
    assert_int_equal(v.order, WP_ORDER_UNCHECKED);
    assert_false(v.fixed_order);
    wp_validity_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validity_blocked_experiments_are_a_fixed_order),
        cmocka_unit_test(test_validity_the_same_order_every_round_is_a_fixed_order),
        cmocka_unit_test(test_validity_interleaved_experiments_are_not_flagged),
        cmocka_unit_test(test_validity_too_few_runs_are_not_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
