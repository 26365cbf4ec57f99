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

/* ---- export (wattprint push) ---- */

struct exported {
    int n;
    long long run_ids[4];
    char uids[4][64], phases[4][32], gpu[64], extra[64];
    double energy_j[4];
    long line[4];
};

static int on_export(void *ctx, long long run_id, const char *run_uid,
                     const struct wp_measurement *m)
{
    struct exported *x = ctx;
    if (x->n >= 4)
        return 1;
    x->run_ids[x->n] = run_id;
    snprintf(x->uids[x->n], sizeof x->uids[0], "%s", run_uid ? run_uid : "(null)");
    snprintf(x->phases[x->n], sizeof x->phases[0], "%s", m->phase);
    x->energy_j[x->n] = m->energy_j;
    x->line[x->n] = m->line;
    snprintf(x->gpu, sizeof x->gpu, "%s", m->gpu_model);
    if (m->n_extra)
        snprintf(x->extra, sizeof x->extra, "%s=%s", m->extra_keys[0], m->extra_values[0]);
    x->n++;
    return 0;
}

static int on_labels(void *ctx, const struct wp_labels *l)
{
    char *out = ctx;
    snprintf(out, 128, "%s/%s/%s/%lld/%lld/%s=%s", l->model, l->task, l->dataset,
             l->inferences, l->parameters, l->n_attr ? l->attr_keys[0] : "",
             l->n_attr ? l->attr_values[0] : "");
    return 0;
}

static void test_store_exports_measurements_with_their_runs_and_labels(void **state)
{
    struct wp_store *s = *state;
    long long a = new_source(s, "a.csv");
    const char *ek[] = {"codecarbon_version"}, *ev[] = {"2.3.1"};
    struct wp_measurement m = row("", "load model", 0.25);
    m.line = 3;
    m.n_extra = 1;
    m.extra_keys = ek;
    m.extra_values = ev;
    struct wp_add_result r;
    assert_int_equal(wp_store_add_measurement(s, a, &m, "g1", &r, NULL), WP_OK);
    long long grouped = r.run_id;
    assert_true(grouped > 0);
    m = row("", "query model", 0.5);
    m.line = 4;
    assert_int_equal(wp_store_add_measurement(s, a, &m, "g1", &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_ADD_JOINED);
    assert_int_equal(r.run_id, grouped);
    m = row("", "", 1.0);
    m.line = 5;
    assert_int_equal(wp_store_add_measurement(s, a, &m, NULL, &r, NULL), WP_OK);
    assert_int_not_equal(r.run_id, grouped);

    struct exported x = {0};
    assert_int_equal(wp_store_export_measurements(s, a, on_export, &x, NULL), WP_OK);
    assert_int_equal(x.n, 3);
    assert_int_equal(x.run_ids[0], grouped);
    assert_int_equal(x.run_ids[1], grouped);
    assert_string_equal(x.uids[0], "source:1:g1"); /* the group key push hands on */
    assert_string_equal(x.uids[2], "(null)");
    assert_string_equal(x.phases[1], "query model");
    assert_true(x.energy_j[1] == 0.5 * 3.6e6);
    assert_int_equal(x.line[2], 5);
    assert_string_equal(x.gpu, "8 x NVIDIA A100-SXM4-80GB");
    assert_string_equal(x.extra, "codecarbon_version=2.3.1");

    char labels[128] = "";
    assert_int_equal(wp_store_export_run_labels(s, grouped, on_labels, labels, NULL), WP_OK);
    assert_string_equal(labels, ""); /* no experiment: no call */
    const char *keys[] = {"purpose"}, *vals[] = {"task-specific"};
    struct wp_labels l = {.model = "bert", .task = "tc", .dataset = "imdb", .inferences = 1000,
                          .parameters = 110, .training_energy_j = NAN, .n_attr = 1,
                          .attr_keys = keys, .attr_values = vals};
    assert_int_equal(wp_store_label_run(s, grouped, &l, NULL), WP_OK);
    assert_int_equal(wp_store_export_run_labels(s, grouped, on_labels, labels, NULL), WP_OK);
    assert_string_equal(labels, "bert/tc/imdb/1000/110/purpose=task-specific");
}

struct rule_groups {
    int calls;
    char seen[256];
};

static int on_rules(void *ctx, const char *manifest, const struct wp_label_rule *rules,
                    const char *const *paths, size_t n)
{
    struct rule_groups *g = ctx;
    size_t len = strlen(g->seen);
    snprintf(g->seen + len, sizeof g->seen - len, "[%s:%zu:%s:%s]", manifest ? manifest : "-",
             n, rules[n - 1].model ? rules[n - 1].model : "-", paths[0] ? paths[0] : "-");
    g->calls++;
    return 0;
}

static void test_store_exports_rules_by_manifest_and_refuses_to_import(void **state)
{
    struct wp_store *s = *state;
    long long a = new_source(s, "a.csv");
    struct wp_label_rule m1[] = {
        {.origin = "m.csv:2", .match_project = "p1", .model = "x", .training_energy_j = NAN},
        {.origin = "m.csv:3", .match_project = "p2", .model = "y", .training_energy_j = NAN},
    };
    struct wp_label_rule cl = {.origin = "command line", .match_source_id = a, .model = "z",
                               .training_energy_j = NAN};
    assert_int_equal(wp_store_rules_put(s, NULL, &cl, 1, NULL), WP_OK);
    assert_int_equal(wp_store_rules_put(s, "m.csv", m1, 2, NULL), WP_OK);
    struct rule_groups g = {0};
    assert_int_equal(wp_store_export_rules(s, on_rules, &g, NULL), WP_OK);
    assert_int_equal(g.calls, 2);
    assert_string_equal(g.seen, "[m.csv:2:y:-][-:1:z:a.csv]");

    struct wp_diag d = {0};
    struct wp_export_source src = {.path = "a.csv"};
    long long id;
    assert_int_equal(wp_store_import_source(s, &src, &id, &d), WP_ERR_USAGE);
    assert_non_null(strstr(d.msg, "sqlite"));
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
        T(test_store_exports_measurements_with_their_runs_and_labels),
        T(test_store_exports_rules_by_manifest_and_refuses_to_import),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
