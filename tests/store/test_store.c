/* Unit tests of the store API on an in-memory SQLite database. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"

static int setup(void **state)
{
    struct wp_store *s;
    if (wp_store_open(":memory:", &s, NULL) != WP_OK)
        return -1;
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    wp_store_close(*state);
    return 0;
}

static void test_store_applies_every_migration(void **state)
{
    struct wp_store *s = *state;
    assert_true(wp_store_latest_version() >= 2);
    assert_int_equal(wp_store_schema_version(s), wp_store_latest_version());
}

static long long new_source(struct wp_store *s, const char *name)
{
    long long id;
    assert_int_equal(wp_store_source_new(s, name, name, "codecarbon", &id, NULL), WP_OK);
    return id;
}

static struct wp_measurement row(const char *run_id, const char *phase, double kwh)
{
    struct wp_measurement m;
    wp_measurement_clear(&m);
    m.line = 2;
    m.run_label = run_id;
    m.phase = phase;
    m.energy_j = kwh * 3.6e6;
    m.tool_name = "codecarbon";
    m.tool_version = "2.3.1";
    m.gpu_model = "8 x NVIDIA A100-SXM4-80GB";
    return m;
}

static void test_store_uuid_runs_dedupe_and_report_conflicts(void **state)
{
    struct wp_store *s = *state;
    const char *uuid = "36d26af7-ab55-45e4-bf35-755c5633858f";
    long long a = new_source(s, "a.csv"), b = new_source(s, "b.csv");
    struct wp_add_result r;
    struct wp_measurement m = row(uuid, "", 0.5);
    assert_int_equal(wp_store_add_measurement(s, a, &m, NULL, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_ADD_NEW);
    assert_int_equal(wp_store_add_measurement(s, b, &m, NULL, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_ADD_DUPLICATE);
    assert_non_null(strstr(r.other, "a.csv:2"));
    struct wp_measurement q = row(uuid, "query model", 0.3);
    assert_int_equal(wp_store_add_measurement(s, b, &q, NULL, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_ADD_JOINED);
    struct wp_measurement other = row(uuid, "", 0.7);
    assert_int_equal(wp_store_add_measurement(s, b, &other, NULL, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_ADD_CONFLICT);
    struct wp_store_counts n;
    assert_int_equal(wp_store_counts(s, &n, NULL), WP_OK);
    assert_int_equal(n.runs, 2);
    assert_int_equal(n.measurements, 3);
}

static void test_store_non_uuid_run_ids_are_not_identities(void **state)
{
    struct wp_store *s = *state;
    long long a = new_source(s, "a.csv");
    struct wp_add_result r;
    struct wp_measurement m = row("None", "", 0.5);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(wp_store_add_measurement(s, a, &m, NULL, &r, NULL), WP_OK);
        assert_int_equal(r.outcome, WP_ADD_NEW);
    }
}

static int count_labeled(void *ctx, const struct wp_run_row *r)
{
    if (strcmp(r->model, "bert") == 0 && r->inferences == 1000 && r->parameters == 110)
        ++*(int *)ctx;
    return 0;
}

static void test_store_labels_runs_through_experiments(void **state)
{
    struct wp_store *s = *state;
    long long a = new_source(s, "a.csv");
    struct wp_add_result r;
    struct wp_measurement m = row("", "", 0.5);
    assert_int_equal(wp_store_add_measurement(s, a, &m, NULL, &r, NULL), WP_OK);
    const char *keys[] = {"purpose"}, *vals[] = {"task-specific"};
    struct wp_labels l = {.model = "bert", .task = "tc", .dataset = "imdb", .inferences = 1000,
                          .parameters = 110, .training_energy_j = NAN, .n_attr = 1,
                          .attr_keys = keys, .attr_values = vals};
    assert_int_equal(wp_store_label_run(s, 1, &l, NULL), WP_OK);
    int n = 0;
    struct wp_run_filter f = {.task = "tc", .labeled_only = true};
    assert_int_equal(wp_store_each_run(s, &f, count_labeled, &n, NULL), WP_OK);
    assert_int_equal(n, 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_store_applies_every_migration),
        T(test_store_uuid_runs_dedupe_and_report_conflicts),
        T(test_store_non_uuid_run_ids_are_not_identities),
        T(test_store_labels_runs_through_experiments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
