/* Unit tests of the store API on an in-memory SQLite database. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
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

/* ---- token counts ---- */

struct tok_seen {
    int n, with_experiment;
    long long input, output, samples;
    char source[64];
};

static int on_count(void *ctx, const struct wp_token_count *c, bool has_experiment)
{
    struct tok_seen *t = ctx;
    t->n++;
    t->with_experiment += has_experiment;
    t->input += c->input_tokens;
    t->output += c->output_tokens;
    t->samples += c->samples;
    snprintf(t->source, sizeof t->source, "%s", c->source_path);
    return 0;
}

static struct wp_token_count tok(const char *model, const char *dataset, long long in,
                                 long long out)
{
    return (struct wp_token_count){.model = model, .dataset = dataset, .logged_model = model,
                                   .logged_dataset = dataset, .samples = 10,
                                   .input_tokens = in, .output_tokens = out,
                                   .source_sha256 = "00"};
}

static void test_store_tokens_replace_their_file_and_refuse_another_files_pair(void **state)
{
    struct wp_store *s = *state;
    struct wp_token_count a[2] = {tok("m", "d1", 100, 20), tok("m", "d2", 50, 5)};
    assert_int_equal(wp_store_tokens_put(s, "a.csv", a, 2, NULL), WP_OK);
    /* the same file again, now with other sums: replaced, not added */
    struct wp_token_count a2[1] = {tok("m", "d1", 300, 30)};
    assert_int_equal(wp_store_tokens_put(s, "a.csv", a2, 1, NULL), WP_OK);
    struct tok_seen t = {0};
    assert_int_equal(wp_store_each_token_count(s, on_count, &t, NULL), WP_OK);
    assert_int_equal(t.n, 1);
    assert_int_equal(t.input, 300);
    assert_int_equal(t.output, 30);
    assert_int_equal(t.with_experiment, 0); /* no experiment carries m on d1 */
    /* another file giving the same model and dataset is a conflict naming the first */
    struct wp_diag d = {0};
    struct wp_token_count b[1] = {tok("m", "d1", 1, 1)};
    assert_int_equal(wp_store_tokens_put(s, "b.csv", b, 1, &d), WP_ERR_CONFLICT);
    assert_non_null(strstr(d.msg, "a.csv"));
}

static int token_fields(void *ctx, const struct wp_experiment_row *r)
{
    long long *v = ctx;
    if (strcmp(r->dataset, "imdb") == 0) {
        v[0] = r->token_samples;
        v[1] = r->input_tokens;
        v[2] = r->output_tokens;
    } else {
        v[3] += r->token_samples; /* other datasets: none */
    }
    return 0;
}

static void test_store_experiments_carry_the_token_counts_of_their_model_and_dataset(void **state)
{
    struct wp_store *s = *state;
    long long src = new_source(s, "a.csv");
    struct wp_add_result r;
    struct wp_measurement m = row("", "", 0.5);
    assert_int_equal(wp_store_add_measurement(s, src, &m, NULL, &r, NULL), WP_OK);
    m.line = 3;
    m.energy_j = 7;
    assert_int_equal(wp_store_add_measurement(s, src, &m, NULL, &r, NULL), WP_OK);
    struct wp_labels l = {.model = "flan", .task = "tc", .dataset = "imdb", .inferences = 1000,
                          .training_energy_j = NAN};
    assert_int_equal(wp_store_label_run(s, 1, &l, NULL), WP_OK);
    l.dataset = "sst2";
    assert_int_equal(wp_store_label_run(s, 2, &l, NULL), WP_OK);
    struct wp_token_count c[2] = {tok("flan", "imdb", 600, 40), tok("flan", "cnn", 1, 1)};
    assert_int_equal(wp_store_tokens_put(s, "len.csv", c, 2, NULL), WP_OK);
    long long v[4] = {0};
    assert_int_equal(wp_store_each_experiment(s, token_fields, v, NULL), WP_OK);
    assert_int_equal(v[0], 10);
    assert_int_equal(v[1], 600);
    assert_int_equal(v[2], 40);
    assert_int_equal(v[3], 0);
    struct tok_seen t = {0};
    assert_int_equal(wp_store_each_token_count(s, on_count, &t, NULL), WP_OK);
    assert_int_equal(t.n, 2);
    assert_int_equal(t.with_experiment, 1); /* flan on cnn has no experiment */
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_store_applies_every_migration),
        T(test_store_uuid_runs_dedupe_and_report_conflicts),
        T(test_store_non_uuid_run_ids_are_not_identities),
        T(test_store_labels_runs_through_experiments),
        T(test_store_tokens_replace_their_file_and_refuse_another_files_pair),
        T(test_store_experiments_carry_the_token_counts_of_their_model_and_dataset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
