/* report/card_merge.c: wattprint's card merged into a model card: the card's own front
 * matter keys kept in their order with their comments, ours added or replaced in place, our
 * section between markers replaced, the author's text untouched, twice the same bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/card_merge.h"

static const char ours[] = "---\ninference_energy:\n  model: \"m\"\n  n: 1\n---\n\n"
                           "## Energy use\n\nIt used 1 kWh.\n";

static char *merge(const char *existing)
{
    char *out = NULL;
    size_t len = 0;
    struct wp_diag d = {0};
    enum wp_err e = wp_card_merge(ours, existing, "README.md", &out, &len, &d);
    if (e)
        fail_msg("%s:%ld:%ld: %s", d.file, d.line, d.col, d.msg);
    assert_int_equal(strlen(out), len);
    return out;
}

static void test_merge_into_a_card_without_front_matter_adds_one(void **state)
{
    (void)state;
    char *out = merge("# My model\n\nText.\n");
    assert_string_equal(out, "---\ninference_energy:\n  model: \"m\"\n  n: 1\n---\n"
                             "# My model\n\nText.\n\n" WP_CARD_BEGIN "\n\n## Energy use\n\n"
                             "It used 1 kWh.\n\n" WP_CARD_END "\n");
    free(out);
}

static void test_merge_keeps_their_keys_and_replaces_ours_in_place(void **state)
{
    (void)state;
    const char *card = "---\n# the card's own comment\nlicense: mit\ninference_energy: old\n"
                       "tags:\n  - a   # why\n---\n\nBody.\n";
    char *out = merge(card);
    assert_string_equal(out, "---\n# the card's own comment\nlicense: mit\ninference_energy:\n"
                             "  model: \"m\"\n  n: 1\ntags:\n  - a   # why\n---\n\nBody.\n\n"
                             WP_CARD_BEGIN "\n\n## Energy use\n\nIt used 1 kWh.\n\n"
                             WP_CARD_END "\n");
    /* a second merge changes no byte */
    char *again = merge(out);
    assert_string_equal(again, out);
    free(again);
    free(out);
}

static void test_merge_replaces_only_between_the_markers(void **state)
{
    (void)state;
    const char *card = "---\nlicense: mit\n---\nBefore.\n\n" WP_CARD_BEGIN "\nstale\n"
                       WP_CARD_END "\nAfter, the author's.\n";
    char *out = merge(card);
    assert_string_equal(out, "---\nlicense: mit\ninference_energy:\n  model: \"m\"\n  n: 1\n"
                             "---\nBefore.\n\n" WP_CARD_BEGIN "\n\n## Energy use\n\n"
                             "It used 1 kWh.\n\n" WP_CARD_END "\nAfter, the author's.\n");
    free(out);
}

static void test_merge_refuses_what_it_cannot_merge_safely(void **state)
{
    (void)state;
    static const struct {
        const char *card, *msg;
        long line;
    } bad[] = {
        {"---\nlicense: [mit\n---\n", "does not parse", 3},
        {"---\n- a list\n---\n", "not a mapping", 2},
        {"---\nlicense: mit\n", "never closed", 1},
        {"x\n" WP_CARD_END "\n", "end marker", 2},
        {"x\n" WP_CARD_BEGIN "\nno end\n", "never ends", 2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *out = (char *)1;
        size_t len = 1;
        struct wp_diag d = {0};
        assert_int_equal(wp_card_merge(ours, bad[i].card, "R.md", &out, &len, &d), WP_ERR_PARSE);
        assert_null(out);
        assert_non_null(strstr(d.msg, bad[i].msg));
        assert_string_equal(d.file, "R.md");
        assert_int_equal(d.line, bad[i].line);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_into_a_card_without_front_matter_adds_one),
        cmocka_unit_test(test_merge_keeps_their_keys_and_replaces_ours_in_place),
        cmocka_unit_test(test_merge_replaces_only_between_the_markers),
        cmocka_unit_test(test_merge_refuses_what_it_cannot_merge_safely),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
