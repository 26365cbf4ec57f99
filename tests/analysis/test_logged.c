/* Tests of src/analysis/logged.c: the group key a log gives its runs (a tool's default names
 * no group: the file does), and the numbers of each group computed from a small log whose
 * values are known by hand (sums, power, component shares, mean, sd, t interval, the
 * bootstrap's absence for one run), with labelled runs that have an inference count left
 * out and labelled runs without one grouped by their labels. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ingest/ingest.h"
#include "analysis/logged.h"

static void test_logged_key_a_named_project_and_experiment_are_the_key(void **state)
{
    (void)state;
    struct wp_logged_key k;
    wp_logged_key_of("ML", "Binary_LazyPredict_Top_5", "emissions.csv", &k);
    assert_string_equal(k.file, "");
    assert_string_equal(k.project, "ML");
    assert_string_equal(k.experiment, "Binary_LazyPredict_Top_5");
    /* CodeCarbon's default project beside a named experiment: both kept, as logged */
    wp_logged_key_of("codecarbon", "7f045061-94a9-4207-9a65-a32b8c304a72", "e.csv", &k);
    assert_string_equal(k.project, "codecarbon");
    assert_string_equal(k.experiment, "7f045061-94a9-4207-9a65-a32b8c304a72");
    /* a default experiment beside a named project says nothing more */
    wp_logged_key_of("bert", "5b0fa12a-3dd7-45bb-9766-cc326314d9f1", "e.csv", &k);
    assert_string_equal(k.project, "bert");
    assert_string_equal(k.experiment, "");
    assert_string_equal(k.file, "");
}

static void test_logged_key_tool_defaults_fall_back_to_the_file(void **state)
{
    (void)state;
    struct wp_logged_key k;
    wp_logged_key_of("codecarbon", "5b0fa12a-3dd7-45bb-9766-cc326314d9f1", "a.csv", &k);
    assert_string_equal(k.file, "a.csv");
    assert_string_equal(k.project, "");
    assert_string_equal(k.experiment, "");
    wp_logged_key_of("Deafult project name", "no experiment description", "eco.csv", &k);
    assert_string_equal(k.file, "eco.csv");
    wp_logged_key_of("", "", "bare.csv", &k);
    assert_string_equal(k.file, "bare.csv");
}

/* A log of 3 runs in project p (1, 2 and 3 kWh over 1,000, 2,000 and 3,000 s, 0.1 to 0.3 kg
 * CO2eq; components 50/30/20 %), one run in project q (4 kWh, no components), and two runs labelled later. */
static const char *const log_text =
    "timestamp,project_name,run_id,duration,emissions,energy_consumed,cpu_energy,"
    "gpu_energy,ram_energy,country_iso_code,region,cpu_model,gpu_model\n"
    "2024-01-01T10:00:00,p,,1000,0.1,1,0.5,0.3,0.2,FRA,idf,Xeon,A100\n"
    "2024-01-01T11:00:00,p,,2000,0.2,2,1.0,0.6,0.4,FRA,idf,Xeon,A100\n"
    "2024-01-01T12:00:00,p,,3000,0.3,3,1.5,0.9,0.6,DEU,,Xeon,A100\n"
    "2024-01-02T10:00:00,q,,500,0.04,4,,,,FRA,idf,Xeon,\n";
static const char *const labelled_text =
    "timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
    "2024-02-01T10:00:00,r,,10,1,0.5\n"
    "2024-02-01T11:00:00,r,,10,1,1.5\n";

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void ingest(struct wp_store *s, const char *path, const struct wp_ingest_labels *l)
{
    struct wp_ingest_opts o = {0};
    if (l)
        o.labels = *l;
    struct wp_file_result r;
    struct wp_diag d = {0};
    assert_int_equal(wp_ingest_file(s, path, &o, &r, &d), WP_OK);
}

static void test_logged_groups_hold_the_sums_and_intervals_of_their_runs(void **state)
{
    (void)state;
    wp_stats_init();
    char dir[] = "/tmp/test_logged.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[64], b[64], c[64];
    snprintf(a, sizeof a, "%s/a.csv", dir);
    snprintf(b, sizeof b, "%s/b.csv", dir);
    snprintf(c, sizeof c, "%s/c.csv", dir);
    write_file(a, log_text);
    write_file(b, labelled_text);
    write_file(c, "timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
                  "2024-03-01T10:00:00,s,,10,1,0.5\n"); /* labelled fully below */
    struct wp_store *s = NULL;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    ingest(s, a, NULL);
    struct wp_ingest_labels no_inf = {.model = "m", .task = "t", .dataset = "d"};
    ingest(s, b, &no_inf);
    struct wp_logged l;
    struct wp_diag d = {0};
    struct wp_bootstrap boot = WP_BOOTSTRAP_DEFAULT;
    assert_int_equal(wp_logged_collect(s, &boot, &l, &d), WP_OK);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.n_runs, 6);
    /* unlabelled groups first, by key; then the labelled run without inferences */
    const struct wp_logged_group *p = &l.v[0], *q = &l.v[1], *r = &l.v[2];
    assert_string_equal(p->name, "project p");
    assert_string_equal(q->name, "project q");
    assert_string_equal(r->name, "model m, task t, dataset d");
    assert_int_equal(r->n_no_inferences, 2);
    assert_int_equal(r->n_unlabelled, 0);
    assert_int_equal(p->n_runs, 3);
    assert_true(fabs(p->kwh - 6) < 1e-9);
    assert_true(fabs(p->hours - 6000.0 / 3600) < 1e-9);
    assert_true(fabs(p->emissions_g - 600) < 1e-9);
    assert_true(fabs(p->power_w - 6 * 3.6e6 / 6000) < 1e-6); /* 3,600 W */
    assert_true(fabs(p->cpu_share - 0.5) < 1e-9);
    assert_true(fabs(p->gpu_share - 0.3) < 1e-9);
    assert_true(fabs(p->ram_share - 0.2) < 1e-9);
    assert_true(fabs(p->g_per_kwh - 100) < 1e-9);
    assert_true(fabs(p->energy_kwh.mean - 2) < 1e-12);
    assert_true(fabs(p->energy_kwh.sd - 1) < 1e-12);
    /* t interval: 2 +- t(0.975, 2) * 1 / sqrt(3), t = 4.302652729911275 */
    double half = 4.302652729911275 / sqrt(3.0);
    assert_true(fabs(p->energy_t.lo - (2 - half)) < 1e-9);
    assert_true(fabs(p->energy_t.hi - (2 + half)) < 1e-9);
    assert_true(p->energy_boot.lo >= 1 && p->energy_boot.hi <= 3);
    assert_true(p->energy_boot.lo < p->energy_boot.hi);
    assert_string_equal(p->cpu_model, "Xeon");
    assert_string_equal(p->gpu_model, "A100");
    assert_string_equal(p->country, "FRA"); /* 2 of 3 runs */
    assert_string_equal(p->region, "idf");
    assert_int_equal(p->n_places, 2);
    assert_string_equal(p->first_started, "2024-01-01T10:00:00");
    assert_string_equal(p->last_started, "2024-01-01T12:00:00");
    /* one run: a mean, no interval, no component split */
    assert_int_equal(q->n_runs, 1);
    assert_true(fabs(q->energy_kwh.mean - 4) < 1e-12);
    assert_true(isnan(q->energy_t.lo) && isnan(q->energy_boot.lo) && isnan(q->energy_boot.hi));
    assert_true(isnan(q->cpu_share));
    assert_true(fabs(l.kwh - 12) < 1e-9);
    assert_string_equal(l.newest, "2024-02-01T11:00:00");
    wp_logged_free(&l);
    /* with an inference count the labelled runs leave: statistics per 1,000 take them */
    struct wp_ingest_labels full = {.model = "m", .task = "t", .dataset = "d2",
                                    .inferences = 10};
    ingest(s, c, &full);
    assert_int_equal(wp_logged_collect(s, &boot, &l, &d), WP_OK);
    assert_int_equal(l.n_runs, 6); /* c's run is not here */
    wp_logged_free(&l);
    wp_store_close(s);
    unlink(a);
    unlink(b);
    unlink(c);
    rmdir(dir);
}

static void test_logged_an_empty_store_has_no_group(void **state)
{
    (void)state;
    struct wp_store *s = NULL;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    struct wp_logged l;
    struct wp_diag d = {0};
    assert_int_equal(wp_logged_collect(s, NULL, &l, &d), WP_OK);
    assert_int_equal(l.n, 0);
    assert_string_equal(l.newest, "");
    wp_logged_free(&l);
    wp_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logged_key_a_named_project_and_experiment_are_the_key),
        cmocka_unit_test(test_logged_key_tool_defaults_fall_back_to_the_file),
        cmocka_unit_test(test_logged_groups_hold_the_sums_and_intervals_of_their_runs),
        cmocka_unit_test(test_logged_an_empty_store_has_no_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
