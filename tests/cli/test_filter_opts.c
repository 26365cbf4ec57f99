/* Tests of the shared run selection options (src/cli/filter_opts.h): the table entries
 * parse to the codes the handler takes, each code fills its one field, and other codes are
 * left to the command. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cli/filter_opts.h"

static void each_option_fills_its_field(void **state)
{
    (void)state;
    static const struct wp_option opts[] = {WP_CLI_FILTER_OPTIONS, WP_OPT_END_OPT};
    char *argv[] = {"cmd",    "--phase", "query model", "--task", "t1", "--model",
                    "m1",     "--dataset", "d1",        NULL};
    struct wp_options op;
    wp_options_init(&op, opts, WP_OPTIONS_STOP_AT_OPERAND, 9, argv);
    struct wp_run_filter f = {0};
    int opt, n = 0;
    for (char *arg; (opt = wp_options_next(&op, &arg)) > 0; n++)
        assert_true(wp_cli_filter_opt(opt, arg, &f));
    assert_int_equal(n, 4);
    assert_string_equal(f.phase, "query model");
    assert_string_equal(f.task, "t1");
    assert_string_equal(f.model, "m1");
    assert_string_equal(f.dataset, "d1");
}

static void other_codes_are_not_taken(void **state)
{
    (void)state;
    struct wp_run_filter f = {0};
    assert_false(wp_cli_filter_opt('f', "csv", &f));
    assert_false(wp_cli_filter_opt('B', "model", &f));
    assert_false(wp_cli_filter_opt(0x200, NULL, &f));
    assert_null(f.phase);
    assert_null(f.task);
    assert_null(f.model);
    assert_null(f.dataset);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_option_fills_its_field),
        cmocka_unit_test(other_codes_are_not_taken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
