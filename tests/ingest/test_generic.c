/* Tests of src/ingest/generic.c: column maps (file and inline, their errors at
 * ORIGIN:LINE:COL) and CSV read through them via the ingest driver: units converted to SI,
 * unmapped columns kept, labels the file states, bad values at FILE:LINE:COL, bad rows set
 * aside, appends, re-ingest with another map. */
#include "ingest_check.h"

#include "ingest/generic.h"

/* Ingests path through the map text (inline when is_inline). */
static enum wp_err gx_ingest(struct fx *f, const char *map, bool is_inline, const char *path,
                             bool skip, struct wp_file_result *r, struct wp_diag *d)
{
    struct wp_generic_map *m = NULL;
    struct wp_diag md = {0};
    enum wp_err e = wp_generic_map_parse(map, strlen(map), "t.map", is_inline, &m, &md);
    if (e) {
        print_error("map: %s:%ld:%ld: %s\n", md.file, md.line, md.col, md.msg);
        return e;
    }
    struct wp_reporter rep = {fx_on_msg, f};
    struct wp_ingest_opts o = {.format = "generic", .skip_bad_rows = skip, .rep = &rep};
    o.fmt.generic_map = m;
    struct wp_file_result tmp;
    e = wp_ingest_file(f->s, path, &o, r ? r : &tmp, d);
    wp_generic_map_free(m);
    return e;
}

/* The map error of text: its code, and d filled. */
static enum wp_err map_error(const char *text, bool is_inline, struct wp_diag *d)
{
    struct wp_generic_map *m = NULL;
    enum wp_err e = wp_generic_map_parse(text, strlen(text), "t.map", is_inline, &m, d);
    wp_generic_map_free(m);
    return e;
}

static void test_generic_fixture_reads_with_its_map_file(void **state)
{
    struct fx *f = *state;
    int runs = -1;
    double energy = NAN;
    assert_true(fx_expected("generic/inhouse_runs.csv", &runs, &energy));
    struct wp_generic_map *m = NULL;
    assert_int_equal(wp_generic_map_load("fixtures/formats/generic/inhouse.map", &m, NULL),
                     WP_OK);
    assert_int_equal(wp_generic_map_size(m), 13);
    struct wp_reporter rep = {fx_on_msg, f};
    struct wp_ingest_opts o = {.format = "generic", .rep = &rep, .fmt.generic_map = m};
    struct wp_file_result r;
    assert_int_equal(wp_ingest_file(f->s, "fixtures/formats/generic/inhouse_runs.csv", &o, &r,
                                    NULL),
                     WP_OK);
    wp_generic_map_free(m);
    assert_string_equal(r.format, "generic");
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, runs);
    assert_rel(s.energy_j, energy, 1e-12);
    assert_rel(s.duration_s, 125.0 + 131.5 + 118.25, 1e-12);
    assert_rel(s.emissions_g, 2.5 + 2.6 + 2.36, 1e-12); /* kg in the file */
    assert_string_equal(s.model, "inhouse-bert (generic demo)");
    assert_string_equal(s.task, "text_classification");
    assert_string_equal(s.dataset, "formats-demo");
    assert_string_equal(s.started_at, "2024-03-01T09:00:00Z");
    assert_string_equal(s.gpu_model, "NVIDIA A10G");
    assert_string_equal(s.tool, "generic");
    assert_int_equal(f->warnings, 0);
}

static void test_generic_converts_units_to_si(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "g.csv", "wh,min,kg,gib\n2.5,1.5,0.25,2\n");
    assert_int_equal(gx_ingest(f, "energy_wh=wh,duration_min=min,emissions_kg=kg,"
                                  "ram_total_gib=gib",
                               true, p, false, NULL, NULL),
                     WP_OK);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 1);
    assert_rel(s.energy_j, 9000.0, 0);
    assert_rel(s.duration_s, 90.0, 0);
    assert_rel(s.emissions_g, 250.0, 0);
}

static void test_generic_total_is_the_sum_of_parts_when_only_parts_are_mapped(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "g.csv", "c,g,r\n10,100,1\n5,,\n");
    assert_int_equal(gx_ingest(f, "cpu_energy_j=c,gpu_energy_j=g,ram_energy_j=r", true, p,
                               false, NULL, NULL),
                     WP_OK);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 2);
    assert_rel(s.energy_j, 116.0, 0);
    assert_rel(s.gpu_energy_j, 100.0, 0);
}

static void test_generic_column_twice_in_the_header_is_refused(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "g.csv", "E,x,E\n1,2,3\n");
    struct wp_diag d = {0};
    assert_int_equal(gx_ingest(f, "energy_j=E", true, p, false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 1);
    assert_int_equal(d.col, 3);
    assert_contains(d.msg, "in the header twice (fields 1 and 3)");
}

static void test_generic_missing_energy_keeps_the_run_without_energy(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "g.csv", "E,s\nnan,3\n,4\n2,5\n");
    struct wp_file_result r;
    assert_int_equal(gx_ingest(f, "energy_j=E,duration_s=s", true, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.rows_added, 3);
    assert_int_equal(r.no_energy, 2);
}

static void test_generic_bad_number_names_file_line_col(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "g.csv", "id,E\na,1.0\nb,0.0x3\n");
    struct wp_diag d = {0};
    assert_int_equal(gx_ingest(f, "run_id=id,energy_kwh=E", true, p, false, NULL, &d),
                     WP_ERR_PARSE);
    assert_string_equal(d.file, p);
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 2);
    assert_contains(d.msg, "E: \"0.0x3\" is not a number");
    assert_int_equal(fx_totals(f, NULL).runs, 0); /* one transaction: nothing kept */
}

static void test_generic_negative_and_overflowing_values_are_refused(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "g.csv", "E,s\n1,-2\n");
    assert_int_equal(gx_ingest(f, "energy_j=E,duration_s=s", true, p, false, NULL, &d),
                     WP_ERR_PARSE);
    assert_int_equal(d.col, 2);
    assert_contains(d.msg, "negative duration");
    memset(&d, 0, sizeof d);
    p = fx_write(f, "h.csv", "E\n1e305\n");
    assert_int_equal(gx_ingest(f, "energy_kwh=E", true, p, false, NULL, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 2);
    assert_contains(d.msg, "out of range (wattprint reads magnitudes from 1e-60 to 1e60");
}

static void test_generic_bad_timestamp_and_counts_are_refused(void **state)
{
    struct fx *f = *state;
    struct wp_diag d = {0};
    const char *p = fx_write(f, "g.csv", "E,t\n1,2024-02-30 10:00:00\n");
    assert_int_equal(gx_ingest(f, "energy_j=E,timestamp=t", true, p, false, NULL, &d),
                     WP_ERR_PARSE);
    assert_int_equal(d.col, 2);
    assert_contains(d.msg, "not a date and time");
    memset(&d, 0, sizeof d);
    p = fx_write(f, "h.csv", "E,n\n1,2.5\n");
    assert_int_equal(gx_ingest(f, "energy_j=E,inferences=n", true, p, false, NULL, &d),
                     WP_ERR_PARSE);
    assert_contains(d.msg, "not a whole number");
    memset(&d, 0, sizeof d);
    p = fx_write(f, "i.csv", "E,n\n1,0\n");
    assert_int_equal(gx_ingest(f, "energy_j=E,inferences=n", true, p, false, NULL, &d),
                     WP_ERR_PARSE);
    assert_contains(d.msg, "at least 1");
}

static void test_generic_mapped_column_missing_from_header_names_the_map_line(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "g.csv", "E,secs\n1,2\n");
    struct wp_diag d = {0};
    assert_int_equal(gx_ingest(f, "# map\nenergy_j = E\n\nduration_s = seconds\n", false, p,
                               false, NULL, &d),
                     WP_ERR_PARSE);
    assert_int_equal(d.line, 1);
    assert_contains(d.msg, "column \"seconds\" (duration_s, t.map:4) is not in the header");
}

static void test_generic_labels_must_agree_across_rows(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "g.csv", "E,m\n1,bert\n2,bert\n3,gpt2\n");
    struct wp_diag d = {0};
    assert_int_equal(gx_ingest(f, "energy_j=E,model=m", true, p, false, NULL, &d),
                     WP_ERR_PARSE);
    assert_int_equal(d.line, 4);
    assert_int_equal(d.col, 2);
    assert_contains(d.msg, "\"gpt2\" differs from \"bert\" at line 2");
    /* with --skip-bad-rows the odd row is set aside, the others are labelled bert */
    struct wp_file_result r;
    assert_int_equal(gx_ingest(f, "energy_j=E,model=m", true, p, true, &r, NULL), WP_OK);
    assert_int_equal(r.rows_added, 2);
    assert_int_equal(r.rows_rejected, 1);
    struct fx_sum s = fx_totals(f, NULL);
    assert_string_equal(s.model, "bert");
}

static void test_generic_skip_bad_rows_keeps_the_good_ones(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "g.csv", "E,s\n1,1\nx,2\n3,3,extra\n4,4\n");
    struct wp_file_result r;
    assert_int_equal(gx_ingest(f, "energy_j=E,duration_s=s", true, p, true, &r, NULL), WP_OK);
    assert_int_equal(r.rows_added, 2);
    assert_int_equal(r.rows_rejected, 2);
    assert_rel(fx_totals(f, NULL).energy_j, 5.0, 0);
}

static void test_generic_phases_of_a_run_id_are_one_run(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "g.csv", "id,ph,E\nrun-a,load,1\nrun-a,query,2\nrun-b,load,4\n");
    assert_int_equal(gx_ingest(f, "run_id=id,phase=ph,energy_j=E", true, p, false, NULL, NULL),
                     WP_OK);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 2);
    assert_rel(s.energy_j, 7.0, 0);
    assert_rel(fx_totals(f, "query").energy_j, 2.0, 0);
}

static void test_generic_appended_rows_are_added_once(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "g.csv", "E,m\n1,bert\n2,bert\n");
    assert_int_equal(gx_ingest(f, "energy_j=E,model=m", true, p, false, NULL, NULL), WP_OK);
    p = fx_write(f, "g.csv", "E,m\n1,bert\n2,bert\n4,bert\n");
    struct wp_file_result r;
    assert_int_equal(gx_ingest(f, "energy_j=E,model=m", true, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_FILE_APPENDED);
    assert_int_equal(r.rows_added, 1);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 3);
    assert_rel(s.energy_j, 7.0, 0);
    assert_string_equal(s.model, "bert");
    /* an appended row that states another model than the rows before it is refused */
    struct wp_diag d = {0};
    p = fx_write(f, "g.csv", "E,m\n1,bert\n2,bert\n4,bert\n8,gpt2\n");
    assert_int_equal(gx_ingest(f, "energy_j=E,model=m", true, p, false, &r, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 5);
}

static void test_generic_same_file_with_another_map_is_unchanged(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "g.csv", "a,b\n1,2\n");
    assert_int_equal(gx_ingest(f, "energy_j=a", true, p, false, NULL, NULL), WP_OK);
    struct wp_file_result r;
    assert_int_equal(gx_ingest(f, "energy_kwh=b", true, p, false, &r, NULL), WP_OK);
    assert_int_equal(r.outcome, WP_FILE_UNCHANGED);
    struct fx_sum s = fx_totals(f, NULL);
    assert_int_equal(s.runs, 1);
    assert_rel(s.energy_j, 1.0, 0); /* what the first map read */
}

static void test_generic_is_never_detected(void **state)
{
    struct fx *f = *state;
    const char *p = fx_write(f, "g.csv", "energy_j,duration_s\n1,2\n");
    struct wp_diag d = {0};
    assert_int_equal(fx_ingest(f, p, false, NULL, &d), WP_ERR_FORMAT);
    /* not among the readers tried, only named in the hint of what to do */
    assert_null(strstr(d.msg, "generic does not read"));
    assert_non_null(strstr(d.msg, "--format generic --map FILE"));
    /* named without a map: a usage error, not a crash */
    struct wp_ingest_opts o = {.format = "generic"};
    struct wp_file_result r;
    memset(&d, 0, sizeof d);
    assert_int_equal(wp_ingest_file(f->s, p, &o, &r, &d), WP_ERR_USAGE);
    assert_contains(d.msg, "needs a column map");
}

static void test_generic_map_errors_name_line_and_column(void **state)
{
    (void)state;
    struct wp_diag d = {0};
    assert_int_equal(map_error("# x\nenergy_j = E\n  energy = F\n", false, &d), WP_ERR_PARSE);
    assert_string_equal(d.file, "t.map");
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 3);
    assert_contains(d.msg, "unknown key \"energy\": give the unit in the key (energy_j, "
                           "energy_wh, energy_kwh)");
    memset(&d, 0, sizeof d);
    assert_int_equal(map_error("energy_j=E,energy_kwh=F", true, &d), WP_ERR_PARSE);
    assert_int_equal(d.line, 1);
    assert_int_equal(d.col, 12);
    assert_contains(d.msg, "energy_kwh: the energy is already mapped (energy_j at line 1)");
    memset(&d, 0, sizeof d);
    assert_int_equal(map_error("energy_j E\n", false, &d), WP_ERR_PARSE);
    assert_contains(d.msg, "expected KEY = COLUMN");
    memset(&d, 0, sizeof d);
    assert_int_equal(map_error("energy_j =  \n", false, &d), WP_ERR_PARSE);
    assert_contains(d.msg, "no column name");
    memset(&d, 0, sizeof d);
    assert_int_equal(map_error("duration_s = s\n", false, &d), WP_ERR_PARSE);
    assert_contains(d.msg, "names no energy column");
    memset(&d, 0, sizeof d);
    assert_int_equal(map_error("# only a comment\n", false, &d), WP_ERR_PARSE);
    assert_contains(d.msg, "empty");
}

static void test_generic_map_load_tells_file_from_inline(void **state)
{
    (void)state;
    struct wp_generic_map *m = NULL;
    struct wp_diag d = {0};
    assert_int_equal(wp_generic_map_load("energy_j=E,duration_s=secs", &m, &d), WP_OK);
    assert_int_equal(wp_generic_map_size(m), 2);
    wp_generic_map_free(m);
    /* a map file saved with a BOM and CRLF line ends (Windows editors) */
    const char *text = "\xef\xbb\xbf# map\r\nenergy_kwh = Total kWh\r\nduration_s = s\r\n";
    assert_int_equal(wp_generic_map_parse(text, strlen(text), "w.map", false, &m, &d), WP_OK);
    assert_int_equal(wp_generic_map_size(m), 2);
    wp_generic_map_free(m);
    assert_int_equal(wp_generic_map_load("/nonexistent/x.map", &m, &d), WP_ERR_IO);
    assert_null(m);
    assert_contains(d.msg, "cannot open the column map");
    assert_non_null(wp_generic_key(0));
    assert_null(wp_generic_key(1000));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_generic_fixture_reads_with_its_map_file),
        T(test_generic_converts_units_to_si),
        T(test_generic_total_is_the_sum_of_parts_when_only_parts_are_mapped),
        T(test_generic_column_twice_in_the_header_is_refused),
        T(test_generic_missing_energy_keeps_the_run_without_energy),
        T(test_generic_bad_number_names_file_line_col),
        T(test_generic_negative_and_overflowing_values_are_refused),
        T(test_generic_bad_timestamp_and_counts_are_refused),
        T(test_generic_mapped_column_missing_from_header_names_the_map_line),
        T(test_generic_labels_must_agree_across_rows),
        T(test_generic_skip_bad_rows_keeps_the_good_ones),
        T(test_generic_phases_of_a_run_id_are_one_run),
        T(test_generic_appended_rows_are_added_once),
        T(test_generic_same_file_with_another_map_is_unchanged),
        T(test_generic_is_never_detected),
        T(test_generic_map_errors_name_line_and_column),
        T(test_generic_map_load_tells_file_from_inline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
