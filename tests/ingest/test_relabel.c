/* Tests of src/ingest/relabel.c: labels given again for a file already in the database
 * replace the command line's earlier ones (the fields given win, the others stay), are
 * applied to every run of the file, and each change is counted; the same labels change
 * nothing; content no source holds is not found. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ingest/relabel.h"

static const char *const text =
    "timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
    "2024-01-01T10:00:00,p,,10,0.1,1\n"
    "2024-01-01T11:00:00,p,,10,0.1,2\n"
    "2024-01-01T12:00:00,p,,10,0.1,3\n";

struct seen {
    long long runs;
    char model[32], task[32];
    long long inferences;
};

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct seen *s = ctx;
    s->runs++;
    snprintf(s->model, sizeof s->model, "%s", r->model);
    snprintf(s->task, sizeof s->task, "%s", r->task);
    s->inferences = r->inferences;
    return 0;
}

static struct seen labels_now(struct wp_store *s)
{
    struct seen x = {0};
    struct wp_run_filter all = {.by_run_id = true};
    struct wp_diag d = {0};
    assert_int_equal(wp_store_each_run(s, &all, on_run, &x, &d), WP_OK);
    return x;
}

static void test_relabel_replaces_the_labels_and_counts_the_changes(void **state)
{
    (void)state;
    char path[] = "/tmp/test_relabel.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    struct wp_store *s = NULL;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    struct wp_ingest_opts o = {.labels = {.model = "A", .task = "t", .dataset = "d",
                                          .inferences = 100}};
    struct wp_file_result r;
    struct wp_diag d = {0};
    assert_int_equal(wp_ingest_file(s, path, &o, &r, &d), WP_OK);
    assert_int_equal(r.outcome, WP_FILE_INGESTED);
    /* again, unchanged: the content's hash names the file's source */
    assert_int_equal(wp_ingest_file(s, path, &o, &r, &d), WP_OK);
    assert_int_equal(r.outcome, WP_FILE_UNCHANGED);
    assert_int_equal(strlen(r.sha256), 64);
    struct wp_ingest_labels b = {.model = "B", .inferences = 200};
    struct wp_relabel x;
    assert_int_equal(wp_ingest_relabel(s, r.sha256, &b, NULL, &x, &d), WP_OK);
    assert_true(x.found);
    assert_int_equal(x.runs, 3);
    assert_int_equal(x.n, 2);
    assert_string_equal(x.v[0].field, "model");
    assert_string_equal(x.v[0].from, "A");
    assert_string_equal(x.v[0].to, "B");
    assert_int_equal(x.v[0].runs, 3);
    assert_string_equal(x.v[1].field, "inferences");
    assert_string_equal(x.v[1].from, "100");
    assert_string_equal(x.v[1].to, "200");
    wp_relabel_free(&x);
    struct seen now = labels_now(s);
    assert_int_equal(now.runs, 3);
    assert_string_equal(now.model, "B");
    assert_string_equal(now.task, "t"); /* not given again: kept */
    assert_int_equal(now.inferences, 200);
    /* the same labels again: nothing changes, and no earlier rule wins it back */
    assert_int_equal(wp_ingest_relabel(s, r.sha256, &b, NULL, &x, &d), WP_OK);
    assert_true(x.found);
    assert_int_equal(x.runs, 0);
    assert_int_equal(x.n, 0);
    wp_relabel_free(&x);
    assert_string_equal(labels_now(s).model, "B");
    /* content no source holds */
    assert_int_equal(wp_ingest_relabel(s, "00", &b, NULL, &x, &d), WP_OK);
    assert_false(x.found);
    wp_relabel_free(&x);
    wp_store_close(s);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relabel_replaces_the_labels_and_counts_the_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
