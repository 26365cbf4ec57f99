/* Unit tests of the declarative option parser (src/util/options.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "util/options.h"

enum { ID_LEVEL = 1, ID_BEST };

struct got {
    const char *out, *title, *level;
    bool quiet;
    int best;
};

/* Parses argv (a NULL-terminated list, argv[0] the command) against a small table; returns
 * wp_options_next's last result and the number of operands. */
static int run(char **argv, unsigned flags, struct got *g, struct wp_options *p)
{
    const struct wp_option opts[] = {
        WP_OPT_STRING_OPT('o', "output", &g->out),
        WP_OPT_STRING_OPT(0, "title", &g->title),
        WP_OPT_STRING_OPT(0, "organisation", &g->title),
        WP_OPT_STRING_OPT(0, "organization", &g->title),
        WP_OPT_BOOL_OPT('q', "quiet", &g->quiet),
        WP_OPT_ARG_OPT('l', "level", ID_LEVEL),
        WP_OPT_NOARG_OPT(0, "best", ID_BEST),
        WP_OPT_ARG_OPT(0, "bestof", ID_LEVEL),
        WP_OPT_END_OPT,
    };
    int argc = 0;
    while (argv[argc])
        argc++;
    wp_options_init(p, opts, flags, argc, argv);
    int id;
    char *arg;
    while ((id = wp_options_next(p, &arg)) > 0) {
        if (id == ID_LEVEL)
            g->level = arg;
        else if (id == ID_BEST) {
            assert_null(arg);
            g->best++;
        }
    }
    return id;
}

static void test_options_short_long_and_equals_are_the_same(void **state)
{
    (void)state;
    char *v1[] = {"cmd", "-o", "a.pdf", "--title", "T", "--level=0.9", "-q", NULL};
    char *v2[] = {"cmd", "-oa.pdf", "--title=T", "-l", "0.9", "--quiet", NULL};
    char *v3[] = {"cmd", "--output", "a.pdf", "--title", "T", "-ql0.9", NULL};
    char **all[] = {v1, v2, v3};
    for (int i = 0; i < 3; i++) {
        struct got g = {0};
        struct wp_options p;
        assert_int_equal(run(all[i], 0, &g, &p), 0);
        assert_string_equal(g.out, "a.pdf");
        assert_string_equal(g.title, "T");
        assert_string_equal(g.level, "0.9");
        assert_true(g.quiet);
        assert_int_equal(p.n_operands, 0);
    }
}

static void test_options_operands_keep_their_order_and_mix_with_options(void **state)
{
    (void)state;
    char *v[] = {"cmd", "tasks", "-o", "x.svg", "models", "--best", "-", NULL};
    struct got g = {0};
    struct wp_options p;
    assert_int_equal(run(v, 0, &g, &p), 0);
    assert_int_equal(p.n_operands, 3);
    assert_string_equal(v[1], "tasks");
    assert_string_equal(v[2], "models");
    assert_string_equal(v[3], "-"); /* "-" alone is an operand (standard input) */
    assert_null(v[4]);
    assert_string_equal(g.out, "x.svg");
    assert_int_equal(g.best, 1);
}

static void test_options_double_dash_ends_options(void **state)
{
    (void)state;
    char *v[] = {"cmd", "-q", "--", "-o", "--title", NULL};
    struct got g = {0};
    struct wp_options p;
    assert_int_equal(run(v, 0, &g, &p), 0);
    assert_true(g.quiet);
    assert_null(g.out);
    assert_int_equal(p.n_operands, 2);
    assert_string_equal(v[1], "-o");
    assert_string_equal(v[2], "--title");
}

static void test_options_stop_at_operand_leaves_later_options_as_operands(void **state)
{
    (void)state;
    char *v[] = {"cmd", "-q", "file.csv", "-o", "x", NULL};
    struct got g = {0};
    struct wp_options p;
    assert_int_equal(run(v, WP_OPTIONS_STOP_AT_OPERAND, &g, &p), 0);
    assert_true(g.quiet);
    assert_null(g.out);
    assert_int_equal(p.n_operands, 3);
    assert_string_equal(v[1], "file.csv");
    assert_string_equal(v[2], "-o");
    assert_string_equal(v[3], "x");
}

static void test_options_unknown_option_is_a_mistake(void **state)
{
    (void)state;
    char *v1[] = {"cmd", "--colour", "red", NULL};
    char *v2[] = {"cmd", "-qz", NULL};
    struct got g = {0};
    struct wp_options p;
    assert_int_equal(run(v1, 0, &g, &p), -1);
    assert_string_equal(p.err, "unknown option '--colour'");
    assert_int_equal(run(v2, 0, &g, &p), -1);
    assert_string_equal(p.err, "unknown option '-z'");
}

static void test_options_missing_value_is_a_mistake(void **state)
{
    (void)state;
    char *v1[] = {"cmd", "--title", NULL};
    char *v2[] = {"cmd", "-q", "-o", NULL};
    struct got g = {0};
    struct wp_options p;
    assert_int_equal(run(v1, 0, &g, &p), -1);
    assert_string_equal(p.err, "option '--title' needs a value");
    assert_int_equal(run(v2, 0, &g, &p), -1);
    assert_string_equal(p.err, "option '-o' needs a value");
}

static void test_options_value_given_to_a_flag_is_a_mistake(void **state)
{
    (void)state;
    char *v[] = {"cmd", "--quiet=yes", NULL};
    struct got g = {0};
    struct wp_options p;
    assert_int_equal(run(v, 0, &g, &p), -1);
    assert_string_equal(p.err, "option '--quiet' takes no value");
}

static void test_options_unique_prefix_is_the_option_and_a_shared_one_is_ambiguous(void **state)
{
    (void)state;
    char *v1[] = {"cmd", "--tit", "T", "--organ", "O", NULL};
    char *v2[] = {"cmd", "--be", NULL};
    char *v3[] = {"cmd", "--best", NULL}; /* exact beats the longer --bestof */
    struct got g = {0};
    struct wp_options p;
    assert_int_equal(run(v1, 0, &g, &p), 0); /* --organisation and --organization agree */
    assert_string_equal(g.title, "O");
    assert_int_equal(run(v2, 0, &g, &p), -1);
    assert_string_equal(p.err, "option '--be' is ambiguous");
    g = (struct got){0};
    assert_int_equal(run(v3, 0, &g, &p), 0);
    assert_int_equal(g.best, 1);
}

static void test_options_parse_twice_in_one_process_starts_afresh(void **state)
{
    (void)state;
    /* what getopt needed `optind = 0` for: the second parse knows nothing of the first */
    char *v1[] = {"cmd", "-qo", "a", "x", NULL};
    char *v2[] = {"cmd", "-o", "b", NULL};
    struct got g1 = {0}, g2 = {0};
    struct wp_options p1, p2;
    assert_int_equal(run(v1, 0, &g1, &p1), 0);
    assert_int_equal(run(v2, 0, &g2, &p2), 0);
    assert_string_equal(g2.out, "b");
    assert_false(g2.quiet);
    assert_int_equal(p2.n_operands, 0);
    assert_int_equal(p1.n_operands, 1);
}

static void test_options_parse_refuses_an_id_it_cannot_hand_back(void **state)
{
    (void)state;
    const struct wp_option opts[] = {WP_OPT_ARG_OPT('l', "level", ID_LEVEL), WP_OPT_END_OPT};
    char *v[] = {"cmd", "-l", "1", NULL};
    struct wp_options p;
    assert_int_equal(wp_options_parse(&p, opts, 0, 3, v), -1);
    char *w[] = {"cmd", "op", NULL};
    assert_int_equal(wp_options_parse(&p, opts, 0, 2, w), 0);
    assert_int_equal(p.n_operands, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_short_long_and_equals_are_the_same),
        cmocka_unit_test(test_options_operands_keep_their_order_and_mix_with_options),
        cmocka_unit_test(test_options_double_dash_ends_options),
        cmocka_unit_test(test_options_stop_at_operand_leaves_later_options_as_operands),
        cmocka_unit_test(test_options_unknown_option_is_a_mistake),
        cmocka_unit_test(test_options_missing_value_is_a_mistake),
        cmocka_unit_test(test_options_value_given_to_a_flag_is_a_mistake),
        cmocka_unit_test(test_options_unique_prefix_is_the_option_and_a_shared_one_is_ambiguous),
        cmocka_unit_test(test_options_parse_twice_in_one_process_starts_afresh),
        cmocka_unit_test(test_options_parse_refuses_an_id_it_cannot_hand_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
