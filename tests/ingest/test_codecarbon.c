/* Unit tests of the CodeCarbon parser through the ingest driver, on small files written
 * into a temporary directory and an in-memory store. */
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
#include "util/text.h"

struct fx {
    struct wp_store *s;
    char dir[64];
    int warnings;
    char last_warning[512];
};

static void on_msg(void *ctx, enum wp_level level, const struct wp_diag *d)
{
    struct fx *f = ctx;
    if (level == WP_WARN) {
        f->warnings++;
        wp_diag_format(d, f->last_warning, sizeof f->last_warning);
    }
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/wp_test_XXXXXX");
    if (!f || !mkdtemp(f->dir) || wp_store_open(":memory:", &f->s, NULL) != WP_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    if (system(cmd) != 0)
        return -1;
    wp_store_close(f->s);
    free(f);
    return 0;
}

static const char *write_file(struct fx *f, const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

static enum wp_err ingest(struct fx *f, const char *path, bool skip, struct wp_file_result *r,
                          struct wp_diag *d)
{
    struct wp_reporter rep = {on_msg, f};
    struct wp_ingest_opts o = {.skip_bad_rows = skip, .rep = &rep};
    return wp_ingest_file(f->s, path, &o, r, d);
}

struct sum {
    int runs;
    double energy_j, emissions_g;
    char phases[64];
};

static int add_run(void *ctx, const struct wp_run_row *r)
{
    struct sum *s = ctx;
    s->runs++;
    s->energy_j += r->energy_j;
    s->emissions_g += r->emissions_g;
    snprintf(s->phases, sizeof s->phases, "%s", r->phases);
    return 0;
}

static struct sum totals(struct fx *f, const char *phase)
{
    struct sum s = {0};
    struct wp_run_filter flt = {.phase = phase};
    assert_int_equal(wp_store_each_run(f->s, &flt, add_run, &s, NULL), WP_OK);
    return s;
}

static void test_codecarbon_reads_v1_layout_without_run_id(void **state)
{
    struct fx *f = *state;
    const char *p = write_file(f, "v1.csv",
        "timestamp,experiment_id,project_name,duration,emissions,energy_consumed,country_name,"
        "country_iso_code,region,on_cloud,cloud_provider,cloud_region\n"
        "2023-07-31T17:43:30,7f045061-94a9-4207-9a65-a32b8c304a72,codecarbon,7.9,0.00016,"
        "0.00028,USA,USA,Iowa,Y,gcp,us-central1\n"
        "2023-09-29T13:12:21,51175838-7d7b-4cb7-9a5c-130577de82d6,codecarbon,11.9,0.00025,"
        "0.00045,USA,USA,Iowa,Y,gcp,us-central1\n");
    struct wp_file_result r;
    assert_int_equal(ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.rows_added, 2);
    struct sum s = totals(f, NULL);
    assert_int_equal(s.runs, 2);
    assert_true(fabs(s.energy_j - (0.00028 + 0.00045) * 3.6e6) < 1e-9);
    assert_true(fabs(s.emissions_g - (0.00016 + 0.00025) * 1000) < 1e-12);
}

static void test_codecarbon_maps_columns_by_name_in_any_order(void **state)
{
    struct fx *f = *state;
    const char *p = write_file(f, "alpha.csv",
        " ram_energy , energy_consumed,gpu_energy,duration,cpu_energy,project_name,my_note\r\n"
        "0.25, 1.0 ,0.5,10,0.25,p,kept\r\n");
    struct wp_file_result r;
    assert_int_equal(ingest(f, p, false, &r, NULL), WP_OK);
    struct sum s = totals(f, NULL);
    assert_int_equal(s.runs, 1);
    assert_true(s.energy_j == 3.6e6);
}

static void test_codecarbon_task_rows_join_their_run_as_phases(void **state)
{
    struct fx *f = *state;
    const char *hdr = "project_name,run_id,duration,cpu_energy,gpu_energy,ram_energy,"
                      "energy_consumed,emissions\n";
    char run[512], tasks[512];
    snprintf(run, sizeof run, "%sm,0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0,3,0.1,0.2,0.1,0.4,0.1\n",
             hdr);
    snprintf(tasks, sizeof tasks,
             "task_name,%s"
             "load model,m,0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0,1,0.0,0.1,0.0,0.1,0.02\n"
             "query model,m,0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0,2,0.1,0.1,0.1,0.3,0.08\n",
             hdr);
    struct wp_file_result r;
    assert_int_equal(ingest(f, write_file(f, "base.csv", tasks), false, &r, NULL), WP_OK);
    assert_int_equal(ingest(f, write_file(f, "complete.csv", run), false, &r, NULL), WP_OK);
    struct sum all = totals(f, NULL);
    assert_int_equal(all.runs, 1); /* one run: its whole-run row and two phases */
    assert_true(fabs(all.energy_j - 0.4 * 3.6e6) < 1e-6);
    struct sum q = totals(f, "query model");
    assert_int_equal(q.runs, 1);
    assert_true(fabs(q.energy_j - 0.3 * 3.6e6) < 1e-6);
}

static void test_codecarbon_negative_energy_refuses_the_file(void **state)
{
    struct fx *f = *state;
    const char *p = write_file(f, "neg.csv",
        "project_name,duration,cpu_energy,gpu_energy,ram_energy,energy_consumed\n"
        "p,1,0.1,0,0.1,0.2\n"
        "p,1,-0.1,0,0.3,0.2\n");
    struct wp_file_result r;
    struct wp_diag d = {0};
    assert_int_equal(ingest(f, p, false, &r, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 3);
    assert_non_null(strstr(d.msg, "negative"));
    assert_int_equal(totals(f, NULL).runs, 0); /* the whole file rolled back */
}

static void test_codecarbon_rounded_parts_agree_within_printed_digits(void **state)
{
    struct fx *f = *state;
    /* a real file rounded to three significant digits: 1.36e-07 + 0 + 1.83e-09 vs 1.38e-07 */
    const char *p = write_file(f, "rounded.csv",
        "project_name,duration,cpu_energy,gpu_energy,ram_energy,energy_consumed\n"
        "p,0.013,1.36e-07,0.0,1.83e-09,1.38e-07\n"
        "q,0.013,1.36e-07,0.0,1.83e-09,1.52e-07\n");
    struct wp_file_result r;
    struct wp_diag d = {0};
    assert_int_equal(ingest(f, p, true, &r, &d), WP_OK);
    assert_int_equal(r.rows_added, 1);     /* the first agrees */
    assert_int_equal(r.rows_rejected, 1);  /* the second is 10% off */
}

static void test_codecarbon_cut_last_line_is_a_warning(void **state)
{
    struct fx *f = *state;
    const char *p = write_file(f, "cut.csv",
        "project_name,duration,energy_consumed,emissions\n"
        "p,1,0.5,0.1\n"
        "p,2,0.");
    struct wp_file_result r;
    assert_int_equal(ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.rows_added, 1);
    assert_int_equal(f->warnings, 1);
    assert_non_null(strstr(f->last_warning, "cut.csv:3: last line cut off"));
}

static void test_codecarbon_same_file_twice_is_unchanged(void **state)
{
    struct fx *f = *state;
    const char *p = write_file(f, "twice.csv", "project_name,duration,energy_consumed\np,1,0.5\n");
    struct wp_file_result r;
    assert_int_equal(ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_FILE_INGESTED);
    assert_int_equal(ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_FILE_UNCHANGED);
    assert_int_equal(totals(f, NULL).runs, 1);
}

static void test_codecarbon_header_without_energy_is_refused(void **state)
{
    struct fx *f = *state;
    const char *p = write_file(f, "noenergy.csv", "project_name,duration,emissions\np,1,0.1\n");
    struct wp_file_result r;
    struct wp_diag d = {0};
    assert_int_not_equal(ingest(f, p, false, &r, &d), WP_OK);
    assert_non_null(strstr(d.msg, "no energy"));
}

/* EmissionsTracker.flush() appends the running totals of the same run: one run, its last
 * row's totals (before: 3 runs and the energy counted 1.75 times). */
static void test_codecarbon_flush_snapshots_count_once(void **state)
{
    struct fx *f = *state;
    const char *p = write_file(f, "flushed.csv",
        "timestamp,run_id,duration,emissions,energy_consumed\n"
        "2026-06-20T10:00:00,9b2b8f4e-5d0a-4c1e-8f3a-1b2c3d4e5f60,10,0.001,0.25\n"
        "2026-06-20T10:00:10,9b2b8f4e-5d0a-4c1e-8f3a-1b2c3d4e5f60,20,0.002,0.5\n"
        "2026-06-20T10:00:20,5c3a9e1f-0000-4000-8000-000000000002,5,0.001,0.1\n"
        "2026-06-20T10:00:40,9b2b8f4e-5d0a-4c1e-8f3a-1b2c3d4e5f60,40,0.004,1.0\n");
    struct wp_file_result r;
    assert_int_equal(ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.rows_added, 2);
    assert_int_equal(r.folded, 2);
    assert_int_equal(r.conflicts, 0);
    struct sum s = totals(f, NULL);
    assert_int_equal(s.runs, 2);
    assert_true(fabs(s.energy_j - 1.1 * 3.6e6) < 1e-6);
    assert_true(fabs(s.emissions_g - 5.0) < 1e-9);
}

/* A row of the same run id whose totals went down is no snapshot: a conflict, warned. */
static void test_codecarbon_decreasing_rows_of_one_run_id_are_conflicts(void **state)
{
    struct fx *f = *state;
    const char *p = write_file(f, "decreasing.csv",
        "timestamp,run_id,duration,energy_consumed\n"
        "2026-06-20T10:00:00,aaaaaaaa-0000-4000-8000-000000000001,10,0.5\n"
        "2026-06-20T10:00:10,aaaaaaaa-0000-4000-8000-000000000001,20,0.4\n"
        "2026-06-20T10:00:20,aaaaaaaa-0000-4000-8000-000000000001,5,0.6\n");
    struct wp_file_result r;
    f->warnings = 0;
    assert_int_equal(ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.folded, 0);
    assert_int_equal(r.conflicts, 2);
    assert_int_equal(totals(f, NULL).runs, 3);
    assert_int_equal(f->warnings, 2);
    assert_non_null(strstr(f->last_warning, "decreasing.csv:4: run_id aaaaaaaa-0000-4000-8000-000000000001 already holds"));
}

/* A repeated row stays a duplicate (the store's word), not a flush. */
static void test_codecarbon_identical_rows_are_duplicates_not_flushes(void **state)
{
    struct fx *f = *state;
    const char *p = write_file(f, "twice_row.csv",
        "timestamp,run_id,duration,energy_consumed\n"
        "2026-06-20T10:00:00,aaaaaaaa-0000-4000-8000-000000000001,10,0.5\n"
        "2026-06-20T10:00:00,aaaaaaaa-0000-4000-8000-000000000001,10,0.5\n");
    struct wp_file_result r;
    assert_int_equal(ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.folded, 0);
    assert_int_equal(r.duplicates, 1);
    assert_int_equal(totals(f, NULL).runs, 1);
}

/* Two trackers flushing into one file: the snapshots of each run fold into it. */
static void test_codecarbon_interleaved_flushes_fold_per_run(void **state)
{
    struct fx *f = *state;
    const char *p = write_file(f, "interleaved.csv",
        "timestamp,run_id,duration,energy_consumed\n"
        "2026-06-20T10:00:00,run-a,10,0.5\n"
        "2026-06-20T10:00:01,run-b,10,0.25\n"
        "2026-06-20T10:00:10,run-a,20,1.0\n"
        "2026-06-20T10:00:11,run-b,20,0.5\n");
    struct wp_file_result r;
    assert_int_equal(ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.folded, 2);
    struct sum s = totals(f, NULL);
    assert_int_equal(s.runs, 2);
    assert_true(fabs(s.energy_j - 1.5 * 3.6e6) < 1e-6);
}

#define CC33_HEADER                                                                          \
    "timestamp,project_name,run_id,experiment_id,duration,emissions,emissions_rate,"       \
    "cpu_power,gpu_power,ram_power,cpu_energy,gpu_energy,ram_energy,energy_consumed,"      \
    "water_consumed,country_name,country_iso_code,region,cloud_provider,cloud_region,os,"  \
    "python_version,codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,longitude," \
    "latitude,ram_total_size,tracking_mode,cpu_utilization_percent,"                       \
    "gpu_utilization_percent,ram_utilization_percent,ram_used_gb,on_cloud,pue,wue\n"

/* CodeCarbon 3.3 appends on a CPU-only machine leave gpu_count and gpu_model out (36
 * fields under 38): the row is read, with its own energy (before: refused). */
static void test_codecarbon_reads_short_append_rows_of_3_3(void **state)
{
    struct fx *f = *state;
    const char *p = write_file(f, "cc33.csv", CC33_HEADER
        "2026-06-20T10:00:00,demo,r-1,e,10.0,0.5,0.05,20,0,5,0.0002,0.0,0.00005,0.00025,0.1,Testland,"
        "TST,somewhere,,,TestOS,3.11.2,3.3.0,4,Test CPU,1,Test GPU,0.5,0.5,16,machine,1,2,3,"
        "4,N,1.0,0.0\n"
        "2026-06-20T10:01:00,demo,r-2,e,20.0,1.0,0.05,20,0,5,0.0004,0.0,0.0001,0.0005,0.1,Testland,"
        "TST,somewhere,,,TestOS,3.11.2,3.3.0,4,Test CPU,0.5,0.5,16,machine,1,2,3,4,N,1.0,0.0\n");
    struct wp_file_result r;
    f->warnings = 0;
    assert_int_equal(ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.rows_added, 2);
    struct sum s = totals(f, NULL);
    assert_int_equal(s.runs, 2);
    assert_true(fabs(s.energy_j - 0.00075 * 3.6e6) < 1e-6);
    assert_true(fabs(s.emissions_g - 1500.0) < 1e-9);
    assert_int_equal(f->warnings, 2); /* short rows; the one that fits two ways */
    assert_non_null(strstr(f->last_warning, "cc33.csv:3: 1 short row"));
}

/* The header CodeCarbon 3.2.3 wrote after moving columns empty in every row to the end
 * (cloud_provider, cloud_region, gpu_model, longitude, latitude), then a row it rewrote in
 * that order, then a row 3.3.0 appended in its own field order (3.2.9+ compares the
 * header's names sorted and writes `to_csv(mode="a", header=False)`): the last row's values
 * are read where CodeCarbon wrote them (before: cpu_count "3.11.2" refused the file). */
#define CC_REORDERED_HEADER                                                                 \
    "timestamp,project_name,run_id,experiment_id,duration,emissions,emissions_rate,"         \
    "cpu_power,gpu_power,ram_power,cpu_energy,gpu_energy,ram_energy,energy_consumed,"        \
    "water_consumed,country_name,country_iso_code,region,os,python_version,"                 \
    "codecarbon_version,cpu_count,cpu_model,gpu_count,ram_total_size,tracking_mode,"         \
    "cpu_utilization_percent,gpu_utilization_percent,ram_utilization_percent,ram_used_gb,"   \
    "on_cloud,pue,wue,cloud_provider,cloud_region,gpu_model,longitude,latitude\n"

struct where {
    double longitude[4], latitude[4];
    char python[4][16], model[4][32];
    int n;
};

static int note_where(void *ctx, long long run_id, const char *run_uid,
                      const struct wp_measurement *m)
{
    struct where *w = ctx;
    (void)run_id;
    (void)run_uid;
    if (w->n < 4) {
        w->longitude[w->n] = m->longitude;
        w->latitude[w->n] = m->latitude;
        const char *py = m->python_version ? m->python_version : "";
        snprintf(w->python[w->n], sizeof w->python[0], "%s", py);
        snprintf(w->model[w->n], sizeof w->model[0], "%s", m->cpu_model ? m->cpu_model : "");
        w->n++;
    }
    return 0;
}

static void test_codecarbon_reads_field_order_rows_under_a_reordered_header(void **state)
{
    struct fx *f = *state;
    const char *p = write_file(f, "emissions.csv", CC_REORDERED_HEADER
        "2026-06-20T10:00:02,demo,run-2,5b0fa12a-3dd7-45bb-9766-cc326314d9f1,20.0,9e-05,4.5e-06,"
        "42.5,0.0,3.0,0.0002,0.0,2e-05,0.00022,0.0,France,FRA,\xC3\xAEle-de-france,"
        "Linux-6.1.0-x86_64,3.11.2,3.3.0,16,AMD EPYC 7313,0,62.7,machine,12.5,0.0,30.1,18.9,N,"
        "1.0,0.0,,,,2.35,48.86\n"
        "2026-06-20T10:00:03,demo,run-3,5b0fa12a-3dd7-45bb-9766-cc326314d9f1,30.0,0.000135,"
        "4.5e-06,42.5,0.0,3.0,0.00030000000000000003,0.0,3.0000000000000004e-05,0.00033,0.0,"
        "France,FRA,\xC3\xAEle-de-france,,,Linux-6.1.0-x86_64,3.11.2,3.3.0,16,AMD EPYC 7313,0,,"
        "2.35,48.86,62.7,machine,12.5,0.0,30.1,18.9,N,1.0,0.0\n");
    struct wp_file_result r;
    f->warnings = 0;
    assert_int_equal(ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.rows_added, 2);
    assert_int_equal(f->warnings, 1);
    assert_non_null(strstr(f->last_warning, "emissions.csv:3: 1 row is in CodeCarbon's own "
                                            "column order, not the header's"));
    struct where w = {.n = 0};
    assert_int_equal(wp_store_export_measurements(f->s, 1, note_where, &w, NULL), WP_OK);
    assert_int_equal(w.n, 2);
    for (int i = 0; i < 2; i++) {
        assert_true(w.longitude[i] == 2.35 && w.latitude[i] == 48.86);
        assert_string_equal(w.python[i], "3.11.2");
        assert_string_equal(w.model[i], "AMD EPYC 7313");
    }
    struct sum s = totals(f, NULL);
    assert_true(fabs(s.energy_j - 0.00055 * 3.6e6) < 1e-6);
}

/* A row that fits the header's order and CodeCarbon's, differently, is refused at its line:
 * a header (rewritten by some other tool) with cloud_provider and cloud_region swapped, both
 * text, over a row that names both.  The same row under the header in CodeCarbon's order is
 * read. */
static void test_codecarbon_row_fitting_both_orders_is_refused(void **state)
{
    struct fx *f = *state;
    const char *row =
        "2026-06-20T10:00:00,demo,r-1,e,10.0,0.5,0.05,20,0,5,0.0002,0.0,0.00005,0.00025,0.1,"
        "France,FRA,paris,aws,eu-west-3,TestOS,3.11.2,3.3.0,4,Test CPU,1,Test GPU,0.5,0.5,16,"
        "machine,1,2,3,4,N,1.0,0.0\n";
    char text[2048];
    snprintf(text, sizeof text, "%s%s", CC33_HEADER, row);
    char *swap = strstr(text, "cloud_provider,cloud_region");
    assert_non_null(swap);
    memcpy(swap, "cloud_region,cloud_provider", strlen("cloud_region,cloud_provider"));
    const char *p = write_file(f, "both.csv", text);
    struct wp_file_result r;
    struct wp_diag d = {0};
    assert_int_not_equal(ingest(f, p, false, &r, &d), WP_OK);
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.msg, "fits both orders"));
    snprintf(text, sizeof text, "%s%s", CC33_HEADER, row);
    p = write_file(f, "both_in_order.csv", text);
    assert_int_equal(ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.rows_added, 1);
}

/* The extra codecarbon_short_row of a row that is not UTF-8 (Windows-1252, as its fields
 * are read) holds UTF-8 text (found by fuzzing: the raw bytes were stored). */
static int find_short_row(void *ctx, long long run_id, const char *run_uid,
                          const struct wp_measurement *m)
{
    char *out = ctx;
    (void)run_id;
    (void)run_uid;
    for (size_t i = 0; i < m->n_extra; i++)
        if (strcmp(m->extra_keys[i], "codecarbon_short_row") == 0)
            snprintf(out, 512, "%s", m->extra_values[i]);
    return 0;
}

static void test_codecarbon_short_row_text_is_kept_as_utf8(void **state)
{
    struct fx *f = *state;
    const char *p = write_file(f, "cc33_cp1252.csv", CC33_HEADER
        "2026-06-20T10:00:00,demo,r-1,e,10.0,0.5,0.05,20,0,5,0.0002,0.0,0.00005,0.00025,0.1,"
        "France,FRA,\xCEle-de-France,,,TestOS,3.11.2,3.3.0,4,Test CPU,1,Test GPU,0.5,0.5,16,"
        "machine,1,2,3,4,N,1.0,0.0\n"
        "2026-06-20T10:01:00,demo,r-2,e,20.0,1.0,0.05,20,0,5,0.0004,0.0,0.0001,0.0005,0.1,"
        "France,FRA,\xCEle-de-France,,,TestOS,3.11.2,3.3.0,4,Test CPU,0.5,0.5,16,machine,1,2,"
        "3,4,N,1.0,0.0\n");
    struct wp_file_result r;
    assert_int_equal(ingest(f, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.rows_added, 2);
    char text[512] = "";
    assert_int_equal(wp_store_export_measurements(f->s, 1, find_short_row, text, NULL), WP_OK);
    assert_true(wp_utf8_valid(text, strlen(text)));
    assert_non_null(strstr(text, "France,FRA,\xC3\x8Ele-de-France,,,TestOS"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_codecarbon_reads_v1_layout_without_run_id),
        T(test_codecarbon_maps_columns_by_name_in_any_order),
        T(test_codecarbon_task_rows_join_their_run_as_phases),
        T(test_codecarbon_negative_energy_refuses_the_file),
        T(test_codecarbon_rounded_parts_agree_within_printed_digits),
        T(test_codecarbon_cut_last_line_is_a_warning),
        T(test_codecarbon_same_file_twice_is_unchanged),
        T(test_codecarbon_header_without_energy_is_refused),
        T(test_codecarbon_flush_snapshots_count_once),
        T(test_codecarbon_decreasing_rows_of_one_run_id_are_conflicts),
        T(test_codecarbon_identical_rows_are_duplicates_not_flushes),
        T(test_codecarbon_interleaved_flushes_fold_per_run),
        T(test_codecarbon_reads_short_append_rows_of_3_3),
        T(test_codecarbon_reads_field_order_rows_under_a_reordered_header),
        T(test_codecarbon_row_fitting_both_orders_is_refused),
        T(test_codecarbon_short_row_text_is_kept_as_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
