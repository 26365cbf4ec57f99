/* Tests of src/util/atomic.c's folder making (wp_mkdirs, wp_mkdirs_for): nested folders
 * made, existing ones kept, the current folder and the root accepted, a folder under a
 * plain file refused with its name and the reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "util/atomic.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void test_mkdirs_makes_nested_and_keeps_existing(void **state)
{
    (void)state;
    char base[] = "/tmp/wp_mkdirs_XXXXXX", path[128];
    assert_non_null(mkdtemp(base));
    struct wp_diag d = {0};
    snprintf(path, sizeof path, "%s/a/b/c", base);
    assert_int_equal(wp_mkdirs(path, &d), WP_OK);
    assert_true(is_dir(path));
    assert_int_equal(wp_mkdirs(path, &d), WP_OK); /* again: nothing to do */
    snprintf(path, sizeof path, "%s/x/y/", base); /* a trailing slash */
    assert_int_equal(wp_mkdirs(path, &d), WP_OK);
    snprintf(path, sizeof path, "%s/x/y", base);
    assert_true(is_dir(path));
    snprintf(path, sizeof path, "%s/p/q/file.pdf", base); /* the parents of a file */
    assert_int_equal(wp_mkdirs_for(path, &d), WP_OK);
    snprintf(path, sizeof path, "%s/p/q", base);
    assert_true(is_dir(path));
    snprintf(path, sizeof path, "%s/p/q/file.pdf", base);
    assert_false(is_dir(path));
    assert_int_equal(wp_mkdirs("", &d), WP_OK);
    assert_int_equal(wp_mkdirs("/", &d), WP_OK);
    assert_int_equal(wp_mkdirs_for("file.pdf", &d), WP_OK);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", base);
    assert_int_equal(system(cmd), 0);
}

static void test_mkdirs_under_a_file_says_which(void **state)
{
    (void)state;
    char base[] = "/tmp/wp_mkdirs_XXXXXX", path[128];
    assert_non_null(mkdtemp(base));
    snprintf(path, sizeof path, "%s/plain", base);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(path, sizeof path, "%s/plain/sub/dir", base);
    struct wp_diag d = {0};
    assert_int_equal(wp_mkdirs(path, &d), WP_ERR_IO);
    assert_non_null(strstr(d.msg, "cannot create directory"));
    assert_non_null(strstr(d.msg, "/plain/sub"));
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", base);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mkdirs_makes_nested_and_keeps_existing),
        cmocka_unit_test(test_mkdirs_under_a_file_says_which),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
