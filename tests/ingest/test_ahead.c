/* Tests of src/ingest/ahead.c, the files of an ingest read ahead on a worker thread: each
 * file's read is had in order and made on the worker, the worker is WP_AHEAD_FILES ahead at
 * most and reads on once half of them are taken,
 * files skipped by the caller are dropped (their readers closed: the sanitizer build would
 * see a leak), a file the worker has passed or past the end gives nothing without waiting
 * forever, and stopping frees what the worker holds. */
#include "ingest_check.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "ingest/ahead.h"

#define N_FILES 9

struct files {
    char path[N_FILES][256];
    const char *v[N_FILES];
    atomic_int prepared;      /* prepare calls so far */
    atomic_int on_caller;     /* prepare calls made on the calling thread */
    pthread_t caller;
};

/* The read-ahead's work on one file, as a test sees it: open it, count the call. */
static void prepare(void *ctx, const char *path, struct wp_ahead_read *out)
{
    struct files *fs = ctx;
    if (pthread_equal(pthread_self(), fs->caller))
        atomic_fetch_add(&fs->on_caller, 1);
    if (wp_reader_open(path, &out->r, NULL) != WP_OK)
        out->r = NULL;
    atomic_fetch_add(&fs->prepared, 1);
}

static void make_files(struct fx *f, struct files *fs)
{
    memset(fs, 0, sizeof *fs);
    fs->caller = pthread_self();
    for (int i = 0; i < N_FILES; i++) {
        char name[32], text[64];
        snprintf(name, sizeof name, "f%d.csv", i);
        snprintf(text, sizeof text, "file %d\n", i);
        snprintf(fs->path[i], sizeof fs->path[i], "%s", fx_write(f, name, text));
        fs->v[i] = fs->path[i];
    }
}

/* Waits (up to 10 s) until the worker has made n reads. */
static void wait_prepared(struct files *fs, int n)
{
    for (int k = 0; k < 10000 && atomic_load(&fs->prepared) < n; k++)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    assert_true(atomic_load(&fs->prepared) >= n);
}

static void assert_read_of(struct wp_ahead_read *x, const struct files *fs, int i)
{
    assert_non_null(x->r);
    assert_string_equal(wp_reader_path(x->r), fs->v[i]);
    wp_ahead_read_free(x);
    assert_null(x->r);
}

static void test_ahead_gives_each_file_in_order_read_on_its_worker(void **state)
{
    struct files fs;
    make_files(*state, &fs);
    struct wp_ahead *a = wp_ahead_start(fs.v, N_FILES, prepare, &fs);
    assert_non_null(a);
    for (int i = 0; i < N_FILES; i++) {
        assert_string_equal(wp_ahead_path(a, (size_t)i), fs.v[i]);
        struct wp_ahead_read x;
        wp_ahead_take(a, (size_t)i, &x);
        assert_read_of(&x, &fs, i);
    }
    assert_null(wp_ahead_path(a, N_FILES));
    wp_ahead_stop(a);
    assert_int_equal(atomic_load(&fs.prepared), N_FILES);
    assert_int_equal(atomic_load(&fs.on_caller), 0);
}

static void test_ahead_is_a_few_files_ahead_at_most(void **state)
{
    struct files fs;
    make_files(*state, &fs);
    _Static_assert(N_FILES > WP_AHEAD_FILES, "more files than the worker reads ahead");
    struct wp_ahead *a = wp_ahead_start(fs.v, N_FILES, prepare, &fs);
    assert_non_null(a);
    wait_prepared(&fs, WP_AHEAD_FILES);
    /* given time, the worker still waits for files to be taken */
    nanosleep(&(struct timespec){0, 50000000}, NULL);
    assert_int_equal(atomic_load(&fs.prepared), WP_AHEAD_FILES);
    struct wp_ahead_read x;
    for (int i = 0; i < WP_AHEAD_FILES / 2; i++) {
        wp_ahead_take(a, (size_t)i, &x);
        assert_read_of(&x, &fs, i);
    }
    /* half the ring taken lets it read on */
    wait_prepared(&fs, WP_AHEAD_FILES + 1);
    wp_ahead_stop(a); /* the files read and not taken are freed */
}

static void test_ahead_drops_the_files_the_caller_skips(void **state)
{
    struct files fs;
    make_files(*state, &fs);
    struct wp_ahead *a = wp_ahead_start(fs.v, N_FILES, prepare, &fs);
    assert_non_null(a);
    struct wp_ahead_read x;
    wp_ahead_take(a, 2, &x); /* files 0 and 1 dropped on the way */
    assert_read_of(&x, &fs, 2);
    wp_ahead_take(a, 1, &x); /* passed: nothing, at once */
    assert_null(x.r);
    wp_ahead_take(a, 4, &x);
    assert_read_of(&x, &fs, 4);
    wp_ahead_take(a, N_FILES, &x); /* past the end: nothing once the worker has ended */
    assert_null(x.r);
    wp_ahead_stop(a);
}

static void test_ahead_stops_at_once_and_frees_what_it_read(void **state)
{
    struct files fs;
    make_files(*state, &fs);
    struct wp_ahead *a = wp_ahead_start(fs.v, N_FILES, prepare, &fs);
    assert_non_null(a);
    wait_prepared(&fs, 1);
    wp_ahead_stop(a); /* with files read and never taken */
    assert_true(atomic_load(&fs.prepared) <= WP_AHEAD_FILES);
    wp_ahead_stop(NULL);
}

/* Files this process has open (/proc/self/fd, less the one that reads it). */
static int open_files(void)
{
    DIR *dir = opendir("/proc/self/fd");
    assert_non_null(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(dir));)
        n += e->d_name[0] != '.';
    closedir(dir);
    return n - 1;
}

/* The ingest's read-ahead keeps a parse that failed, to be replayed, but not its file open
 * nor its buffers (one gzip of 65 KB with a 64 MiB line held 64 MiB, for each of the
 * WP_AHEAD_FILES files held: 282 MB at most where the serial ingest takes 84). */
static void test_ingest_ahead_keeps_a_failed_parse_without_its_file(void **state)
{
    (void)state;
    const char *paths[] = {"fixtures/bad/bad_short_row.csv",
                           "fixtures/synth/complete/extractive_qa__squad.csv"};
    struct wp_ingest_opts o = {.threads = WP_INGEST_THREADS_AUTO};
    int before = open_files();
    struct wp_ahead *a = wp_ingest_read_ahead(paths, 2, &o);
    assert_non_null(a);
    struct wp_ahead_read bad, good;
    wp_ahead_take(a, 0, &bad);
    wp_ahead_take(a, 1, &good);
    assert_non_null(bad.rec);
    assert_false(wp_pipe_record_parsed(bad.rec));
    assert_non_null(good.rec);
    assert_true(wp_pipe_record_parsed(good.rec));
    assert_int_equal(open_files(), before);
    wp_ahead_read_free(&bad);
    wp_ahead_read_free(&good);
    wp_ahead_stop(a);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_ahead_gives_each_file_in_order_read_on_its_worker),
        T(test_ahead_is_a_few_files_ahead_at_most),
        T(test_ahead_drops_the_files_the_caller_skips),
        T(test_ahead_stops_at_once_and_frees_what_it_read),
        T(test_ingest_ahead_keeps_a_failed_parse_without_its_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
