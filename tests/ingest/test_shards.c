/* Tests of src/ingest/shards.c and wp_ingest_shards: the merged text of two shards (GPU
 * summed, CPU and RAM from the shard that ran longest, energy and emissions recomputed,
 * quoting kept), machine-wide GPUs taken once, runs matched by run id, files that do not
 * line up refused at FILE:LINE:COL, and the driver storing one run whose sources are both
 * files. */
#include "ingest_check.h"

#include "ingest/shards.h"

#define HEAD "run_id,duration,emissions,cpu_energy,gpu_energy,ram_energy,energy_consumed," \
             "gpu_count,project_name\n"

/* Merges the files into a string (freed by the caller); the error, else WP_OK. */
static enum wp_err merge(const char *const *paths, size_t n, char **text,
                         struct wp_shards_info *info, struct wp_diag *d)
{
    size_t len;
    FILE *out = open_memstream(text, &len);
    assert_non_null(out);
    enum wp_err e = wp_shards_merge(paths, n, out, info, d);
    assert_int_equal(fclose(out), 0);
    return e;
}

static void test_shards_sum_gpu_and_take_cpu_ram_from_the_longest(void **state)
{
    struct fx *f = *state;
    char a[256], b[256];
    snprintf(a, sizeof a, "%s", fx_write(f, "e0.csv", HEAD
             "r0,10,0.4,1,2,0.5,3.5,1,\"p, q\"\n"
             "r0,20,0.8,2,4,1,7,1,\"p, q\"\n"));
    snprintf(b, sizeof b, "%s", fx_write(f, "e1.csv", HEAD
             "r1,11,0.5,1.5,3,0.5,5,1,other\n"
             "r1,21,0.9,2.5,6,1,9.5,1,other\n"));
    const char *paths[] = {a, b};
    char *text = NULL;
    struct wp_shards_info info;
    assert_int_equal(merge(paths, 2, &text, &info, NULL), WP_OK);
    /* the run of e1 lasted longest (21 s): its CPU, RAM and columns; GPU 2+3 and 4+6;
     * energy = its own less its GPU plus every GPU; emissions in proportion (0.5 x 7 / 5,
     * 0.9 x 13.5 / 9.5) */
    assert_string_equal(text, HEAD
                        "r1,11,0.69999999999999996,1.5,5,0.5,7,2,other\n"
                        "r1,21,1.2789473684210526,2.5,10,1,13.5,2,other\n");
    assert_int_equal(info.shards, 2);
    assert_int_equal(info.rows, 2);
    assert_false(info.gpu_machine_wide);
    free(text);
    /* the first file longest: its quoted field is quoted again */
    snprintf(b, sizeof b, "%s", fx_write(f, "e1.csv", HEAD
             "r1,9,0.5,1.5,3,0.5,5,1,other\n"
             "r1,19,0.9,2.5,6,1,9.5,1,other\n"));
    assert_int_equal(merge(paths, 2, &text, &info, NULL), WP_OK);
    assert_non_null(strstr(text, "r0,20,1.4857142857142858,2,10,1,13,2,\"p, q\"\n"));
    free(text);
}

static void test_shards_that_each_logged_every_gpu_take_it_once(void **state)
{
    struct fx *f = *state;
    char a[256], b[256];
    snprintf(a, sizeof a, "%s", fx_write(f, "e0.csv", HEAD "r0,10,0.4,1,2,0.5,3.5,2,p\n"));
    snprintf(b, sizeof b, "%s", fx_write(f, "e1.csv", HEAD "r1,12,0.4,1,2.2,0.5,3.7,2,p\n"));
    const char *paths[] = {a, b};
    char *text = NULL;
    struct wp_shards_info info;
    assert_int_equal(merge(paths, 2, &text, &info, NULL), WP_OK);
    assert_true(info.gpu_machine_wide);
    assert_int_equal(info.gpu_count, 2);
    assert_string_equal(text, HEAD "r1,12,0.4,1,2.2,0.5,3.7,2,p\n"); /* the longest, as is */
    free(text);
}

static void test_shards_that_do_not_line_up_are_refused_where(void **state)
{
    struct fx *f = *state;
    char a[256], b[256];
    snprintf(a, sizeof a, "%s", fx_write(f, "e0.csv", HEAD "r0,10,0.4,1,2,0.5,3.5,1,p\n"
                                                         "s0,10,0.4,1,2,0.5,3.5,1,p\n"));
    snprintf(b, sizeof b, "%s", fx_write(f, "e1.csv", HEAD "r1,10,0.4,1,2,0.5,3.5,1,p\n"));
    const char *paths[] = {a, b};
    char *text = NULL;
    struct wp_shards_info info;
    struct wp_diag d = {0};
    assert_int_equal(merge(paths, 2, &text, &info, &d), WP_ERR_PARSE);
    assert_non_null(strstr(d.msg, "1 runs where"));
    free(text);
    text = NULL;
    snprintf(b, sizeof b, "%s", fx_write(f, "e1.csv", HEAD "r1,10,0.4,1,x2,0.5,3.5,1,p\n"
                                                         "s1,10,0.4,1,2,0.5,3.5,1,p\n"));
    memset(&d, 0, sizeof d);
    assert_int_equal(merge(paths, 2, &text, &info, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 5);
    assert_non_null(strstr(d.msg, "gpu_energy: \"x2\" is not a number"));
    free(text);
    text = NULL;
    snprintf(b, sizeof b, "%s", fx_write(f, "e1.csv", "run_id,duration\nr1,10\n"));
    memset(&d, 0, sizeof d);
    assert_int_equal(merge(paths, 2, &text, &info, &d), WP_ERR_PARSE);
    assert_non_null(strstr(d.msg, "no cpu_energy column"));
    free(text);
    memset(&d, 0, sizeof d);
    assert_int_equal(wp_shards_merge(paths, 1, stdout, &info, &d), WP_ERR_USAGE);
}

static void test_ingest_shards_stores_one_run_and_every_file(void **state)
{
    struct fx *f = *state;
    char a[256], b[256];
    snprintf(a, sizeof a, "%s", fx_write(f, "e0.csv", HEAD "r0,10,0.4,1,2,0.5,3.5,1,p\n"));
    snprintf(b, sizeof b, "%s", fx_write(f, "e1.csv", HEAD "r1,12,0.4,1,2.5,0.5,4,1,p\n"));
    const char *paths[] = {a, b};
    struct wp_ingest_opts o = {0};
    struct wp_file_result r;
    struct wp_shards_info info;
    assert_int_equal(wp_ingest_shards(f->s, paths, 2, &o, &r, &info, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_FILE_INGESTED);
    assert_int_equal(r.rows_added, 1);
    struct wp_store_counts n;
    assert_int_equal(wp_store_counts(f->s, &n, NULL), WP_OK);
    assert_int_equal(n.runs, 1);
    /* again: unchanged; each file alone: unchanged */
    assert_int_equal(wp_ingest_shards(f->s, paths, 2, &o, &r, &info, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_FILE_UNCHANGED);
    assert_int_equal(wp_ingest_file(f->s, b, &o, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_FILE_UNCHANGED);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_shards_sum_gpu_and_take_cpu_ram_from_the_longest),
        T(test_shards_that_each_logged_every_gpu_take_it_once),
        T(test_shards_that_do_not_line_up_are_refused_where),
        T(test_ingest_shards_stores_one_run_and_every_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
