/* Tests of src/util/path.c: resolving a path whose end does not exist yet, confinement to a
 * folder judged on the resolved path (a symbolic link inside the folder that points out of
 * it leaves it), the database and its -wal/-shm files recognised under another name,
 * outputs refused where a folder, a FIFO or a device is, and folders opened beneath a root
 * (a link out refused, with and without openat2) and reached by descriptor after a swap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/path.h"

struct tmp {
    char base[64];
    char real[4096]; /* base, resolved (/tmp may be a link) */
};

static void tmp_make(struct tmp *t)
{
    snprintf(t->base, sizeof t->base, "/tmp/wp_path_XXXXXX");
    assert_non_null(mkdtemp(t->base));
    assert_non_null(realpath(t->base, t->real));
}

static void tmp_clean(struct tmp *t)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->base);
    assert_int_equal(system(cmd), 0);
}

static void test_resolve_follows_links_and_keeps_missing_tail(void **state)
{
    (void)state;
    struct tmp t;
    tmp_make(&t);
    char p[256], want[4200];
    snprintf(p, sizeof p, "%s/a", t.base);
    assert_int_equal(mkdir(p, 0777), 0);
    snprintf(p, sizeof p, "%s/link", t.base);
    assert_int_equal(symlink("a", p), 0);
    snprintf(p, sizeof p, "%s/link/./new//x.pdf", t.base);
    char *r = wp_path_resolve(p);
    snprintf(want, sizeof want, "%s/a/new/x.pdf", t.real);
    assert_string_equal(r, want);
    free(r);
    /* ".." after the existing prefix cannot be resolved safely */
    snprintf(p, sizeof p, "%s/missing/../../etc", t.base);
    assert_null(wp_path_resolve(p));
    tmp_clean(&t);
}

static void test_inside_refuses_a_link_out_of_the_root(void **state)
{
    (void)state;
    struct tmp t;
    tmp_make(&t);
    char root[256], p[512], outside[256];
    snprintf(root, sizeof root, "%s/out", t.base);
    snprintf(outside, sizeof outside, "%s/elsewhere", t.base);
    assert_int_equal(mkdir(root, 0777), 0);
    assert_int_equal(mkdir(outside, 0777), 0);
    snprintf(p, sizeof p, "%s/escape", root);
    assert_int_equal(symlink(outside, p), 0);
    struct wp_diag d = {0};
    snprintf(p, sizeof p, "%s/a/report.pdf", root);
    assert_int_equal(wp_path_inside(root, p, &d), WP_OK);
    assert_int_equal(wp_path_inside(root, root, &d), WP_OK);
    snprintf(p, sizeof p, "%s/escape/report.pdf", root);
    assert_int_equal(wp_path_inside(root, p, &d), WP_ERR_USAGE);
    assert_string_equal(d.file, p);
    assert_non_null(strstr(d.msg, "symbolic links"));
    snprintf(p, sizeof p, "%s/escape", root);
    assert_int_equal(wp_path_inside(root, p, &d), WP_ERR_USAGE);
    /* a sibling whose name starts with the root's is not inside it */
    snprintf(p, sizeof p, "%s/out2/x", t.base);
    assert_int_equal(wp_path_inside(root, p, &d), WP_ERR_USAGE);
    /* a root that does not exist yet: judged on the resolved text */
    snprintf(root, sizeof root, "%s/new/out", t.base);
    snprintf(p, sizeof p, "%s/new/out/e/x", t.base);
    assert_int_equal(wp_path_inside(root, p, &d), WP_OK);
    tmp_clean(&t);
}

static void test_is_database_by_inode_and_by_name(void **state)
{
    (void)state;
    struct tmp t;
    tmp_make(&t);
    char db[256], p[256];
    snprintf(db, sizeof db, "%s/w.db", t.base);
    FILE *f = fopen(db, "w");
    assert_non_null(f);
    fclose(f);
    assert_true(wp_path_is_database(db, db));
    snprintf(p, sizeof p, "%s/./w.db", t.base);
    assert_true(wp_path_is_database(p, db));
    snprintf(p, sizeof p, "%s/hard.db", t.base); /* a hard link: same inode */
    assert_int_equal(link(db, p), 0);
    assert_true(wp_path_is_database(p, db));
    snprintf(p, sizeof p, "%s/soft.db", t.base); /* a symbolic link */
    assert_int_equal(symlink("w.db", p), 0);
    assert_true(wp_path_is_database(p, db));
    snprintf(p, sizeof p, "%s/w.db-wal", t.base); /* not there yet: by name */
    assert_true(wp_path_is_database(p, db));
    snprintf(p, sizeof p, "%s/w.db-shm", t.base);
    assert_true(wp_path_is_database(p, db));
    snprintf(p, sizeof p, "%s/w.db.tex", t.base);
    assert_false(wp_path_is_database(p, db));
    snprintf(p, sizeof p, "%s/other.db", t.base);
    f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
    assert_false(wp_path_is_database(p, db));
    tmp_clean(&t);
}

static void test_output_ok_refuses_what_is_not_a_regular_file(void **state)
{
    (void)state;
    struct tmp t;
    tmp_make(&t);
    char p[256];
    struct wp_diag d = {0};
    snprintf(p, sizeof p, "%s/new.pdf", t.base);
    assert_int_equal(wp_path_output_ok(p, &d), WP_OK);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(wp_path_output_ok(p, &d), WP_OK);
    assert_int_equal(wp_path_output_ok(t.base, &d), WP_ERR_IO);
    assert_non_null(strstr(d.msg, "a folder"));
    snprintf(p, sizeof p, "%s/fifo", t.base);
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_int_equal(wp_path_output_ok(p, &d), WP_ERR_IO);
    assert_non_null(strstr(d.msg, "a FIFO"));
    assert_string_equal(d.file, p);
    assert_int_equal(wp_path_output_ok("/dev/null", &d), WP_ERR_IO);
    assert_non_null(strstr(d.msg, "a device"));
    snprintf(p, sizeof p, "%s/null-link", t.base); /* a link to a device */
    assert_int_equal(symlink("/dev/null", p), 0);
    assert_int_equal(wp_path_output_ok(p, &d), WP_ERR_IO);
    tmp_clean(&t);
}

/* The inode of what fd is open on, and of a path. */
static ino_t fd_ino(int fd)
{
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    return st.st_ino;
}

static ino_t path_ino(const char *p)
{
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    return st.st_ino;
}

static void test_open_beneath_makes_folders_and_refuses_links_out(void **state)
{
    (void)state;
    struct tmp t;
    tmp_make(&t);
    char p[4200], q[4200];
    snprintf(p, sizeof p, "%s/root", t.base);
    assert_int_equal(mkdir(p, 0777), 0);
    snprintf(p, sizeof p, "%s/out", t.base);
    assert_int_equal(mkdir(p, 0777), 0);
    snprintf(p, sizeof p, "%s/root", t.base);
    int root = open(p, O_RDONLY | O_DIRECTORY);
    assert_true(root >= 0);
    static const unsigned modes[] = {0, WP_BENEATH_NO_LINKS};
    for (size_t m = 0; m < 2; m++) {
        unsigned how = modes[m];
        /* made, nested, and the same folder when opened again */
        int fd = wp_path_open_beneath(root, "a/b//./c", how | WP_BENEATH_CREATE);
        assert_true(fd >= 0);
        snprintf(q, sizeof q, "%s/root/a/b/c", t.base);
        assert_int_equal(fd_ino(fd), path_ino(q));
        close(fd);
        /* not made without CREATE */
        assert_int_equal(wp_path_open_beneath(root, "x/y", how), -1);
        assert_int_equal(errno, ENOENT);
        /* "..": refused */
        assert_int_equal(wp_path_open_beneath(root, "a/../..", how | WP_BENEATH_CREATE), -1);
        assert_int_equal(errno, EINVAL);
    }
    /* a link inside the root out of it, last or in the middle: refused either way */
    snprintf(p, sizeof p, "%s/root/l", t.base);
    assert_int_equal(symlink("../out", p), 0);
    for (size_t m = 0; m < 2; m++) {
        assert_int_equal(wp_path_open_beneath(root, "l", modes[m] | WP_BENEATH_CREATE), -1);
        assert_int_equal(errno, ELOOP);
        assert_int_equal(wp_path_open_beneath(root, "l/z", modes[m] | WP_BENEATH_CREATE), -1);
        assert_int_equal(errno, ELOOP);
    }
    snprintf(p, sizeof p, "%s/out/z", t.base);
    assert_int_equal(access(p, F_OK), -1); /* nothing made outside */
    /* a link to a folder inside the root: followed with openat2 (where there is one),
     * refused by the walk that refuses every link */
    snprintf(p, sizeof p, "%s/root/in", t.base);
    assert_int_equal(symlink("a/b", p), 0);
    assert_int_equal(wp_path_open_beneath(root, "in", WP_BENEATH_NO_LINKS), -1);
    assert_int_equal(errno, ELOOP);
    int fd = wp_path_open_beneath(root, "in/c", 0);
    if (fd >= 0) {
        snprintf(q, sizeof q, "%s/root/a/b/c", t.base);
        assert_int_equal(fd_ino(fd), path_ino(q));
        close(fd);
    } else {
        assert_int_equal(errno, ELOOP); /* no openat2 on this kernel */
    }
    close(root);
    tmp_clean(&t);
}

static void test_pinned_name_reaches_the_open_folder_after_a_swap(void **state)
{
    (void)state;
    struct tmp t;
    tmp_make(&t);
    char p[4200], q[4200], pinned[128];
    snprintf(p, sizeof p, "%s/a", t.base);
    assert_int_equal(mkdir(p, 0777), 0);
    int fd = open(p, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    assert_true(wp_path_pinned(fd, "f.txt", pinned, sizeof pinned));
    /* the folder moves away and a link out takes its name */
    snprintf(q, sizeof q, "%s/moved", t.base);
    assert_int_equal(rename(p, q), 0);
    snprintf(q, sizeof q, "%s/out", t.base);
    assert_int_equal(mkdir(q, 0777), 0);
    assert_int_equal(symlink("out", p), 0);
    FILE *f = fopen(pinned, "w");
    assert_non_null(f);
    assert_int_equal(fclose(f), 0);
    snprintf(q, sizeof q, "%s/moved/f.txt", t.base);
    assert_int_equal(access(q, F_OK), 0); /* in the folder that was open */
    snprintf(q, sizeof q, "%s/out/f.txt", t.base);
    assert_int_equal(access(q, F_OK), -1); /* not through the link */
    char small[8];
    assert_false(wp_path_pinned(fd, "f.txt", small, sizeof small));
    close(fd);
    tmp_clean(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve_follows_links_and_keeps_missing_tail),
        cmocka_unit_test(test_inside_refuses_a_link_out_of_the_root),
        cmocka_unit_test(test_is_database_by_inode_and_by_name),
        cmocka_unit_test(test_output_ok_refuses_what_is_not_a_regular_file),
        cmocka_unit_test(test_open_beneath_makes_folders_and_refuses_links_out),
        cmocka_unit_test(test_pinned_name_reaches_the_open_folder_after_a_swap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
