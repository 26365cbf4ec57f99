/* Helpers for the parser tests (header-only, included by tests/ingest/test_<format>.c):
 * a temporary directory and an in-memory store per test, a reporter that keeps warnings
 * and notes, ingest through the public driver, and totals read back from the store. */
#ifndef WP_TESTS_INGEST_CHECK_H
#define WP_TESTS_INGEST_CHECK_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ingest/ingest.h"

struct fx {
    struct wp_store *s;
    char dir[64];
    int warnings, notes;
    char warning[2048]; /* every warning, one a line */
};

static inline void fx_on_msg(void *ctx, enum wp_level level, const struct wp_diag *d)
{
    struct fx *f = ctx;
    char buf[600];
    wp_diag_format(d, buf, sizeof buf);
    if (level == WP_WARN) {
        f->warnings++;
        size_t used = strlen(f->warning);
        snprintf(f->warning + used, sizeof f->warning - used, "%s\n", buf);
    } else {
        f->notes++;
    }
}

static inline int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/wp_test_XXXXXX");
    if (!mkdtemp(f->dir) || wp_store_open(":memory:", &f->s, NULL) != WP_OK) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int fx_teardown(void **state)
{
    struct fx *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    int rc = system(cmd);
    wp_store_close(f->s);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* Writes text to DIR/name and returns the path (valid until the next call). */
static inline const char *fx_write(struct fx *f, const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
    return path;
}

static inline enum wp_err fx_ingest(struct fx *f, const char *path, bool skip,
                             struct wp_file_result *r, struct wp_diag *d)
{
    struct wp_reporter rep = {fx_on_msg, f};
    struct wp_ingest_opts o = {.skip_bad_rows = skip, .rep = &rep};
    struct wp_file_result tmp;
    return wp_ingest_file(f->s, path, &o, r ? r : &tmp, d);
}

/* What the store holds: run count and sums, and the fields of the first run. */
struct fx_sum {
    int runs;
    double energy_j, gpu_energy_j, cpu_energy_j, ram_energy_j, emissions_g, duration_s;
    char model[128], task[64], dataset[96], phases[256], started_at[40], gpu_model[128];
    char tool[40], tool_version[40], run_uid[64];
    long line;
};

static inline int fx_add_run(void *ctx, const struct wp_run_row *r)
{
    struct fx_sum *s = ctx;
    if (s->runs++ == 0) {
        snprintf(s->model, sizeof s->model, "%s", r->model);
        snprintf(s->task, sizeof s->task, "%s", r->task);
        snprintf(s->dataset, sizeof s->dataset, "%s", r->dataset);
        snprintf(s->phases, sizeof s->phases, "%s", r->phases);
        snprintf(s->started_at, sizeof s->started_at, "%s", r->started_at);
        snprintf(s->gpu_model, sizeof s->gpu_model, "%s", r->gpu_model);
        snprintf(s->tool, sizeof s->tool, "%s", r->tool);
        snprintf(s->tool_version, sizeof s->tool_version, "%s", r->tool_version);
        snprintf(s->run_uid, sizeof s->run_uid, "%s", r->run_uid);
        s->line = r->line;
    }
    s->energy_j += isnan(r->energy_j) ? 0 : r->energy_j;
    s->gpu_energy_j += isnan(r->gpu_energy_j) ? 0 : r->gpu_energy_j;
    s->cpu_energy_j += isnan(r->cpu_energy_j) ? 0 : r->cpu_energy_j;
    s->ram_energy_j += isnan(r->ram_energy_j) ? 0 : r->ram_energy_j;
    s->emissions_g += isnan(r->emissions_g) ? 0 : r->emissions_g;
    s->duration_s += isnan(r->duration_s) ? 0 : r->duration_s;
    return 0;
}

/* Totals over every run (phase NULL) or over one phase. */
static inline struct fx_sum fx_totals(struct fx *f, const char *phase)
{
    struct fx_sum s;
    memset(&s, 0, sizeof s);
    struct wp_run_filter flt = {.phase = phase};
    assert_int_equal(wp_store_each_run(f->s, &flt, fx_add_run, &s, NULL), WP_OK);
    return s;
}

/* The first run's GPU model (uncut, unlike fx_sum's copy) and PUE, and the run count. */
struct fx_run {
    int runs;
    char gpu_model[512];
    double pue;
};

static inline int fx_keep_run(void *ctx, const struct wp_run_row *r)
{
    struct fx_run *out = ctx;
    if (out->runs++ == 0) {
        snprintf(out->gpu_model, sizeof out->gpu_model, "%s", r->gpu_model);
        out->pue = r->pue;
    }
    return 0;
}

static inline struct fx_run fx_first_run(struct fx *f)
{
    struct fx_run out;
    memset(&out, 0, sizeof out);
    struct wp_run_filter flt = {0};
    assert_int_equal(wp_store_each_run(f->s, &flt, fx_keep_run, &out, NULL), WP_OK);
    return out;
}

/* |a - e| <= rel |e| (or <= rel when e is 0). */
#define assert_rel(a, e, rel) fx_check_rel((a), (e), (rel), #a, __FILE__, __LINE__)

static inline void fx_check_rel(double a, double e, double rel, const char *what,
                                const char *file, int line)
{
    double tol = rel * (e == 0.0 ? 1.0 : fabs(e));
    if (!(fabs(a - e) <= tol)) {
        print_error("%s:%d: %s = %.17g, expected %.17g (rel %.3g)\n", file, line, what, a, e,
                    rel);
        fail();
    }
}

#define assert_contains(haystack, needle) \
    fx_check_contains((haystack), (needle), __FILE__, __LINE__)

static inline void fx_check_contains(const char *h, const char *n, const char *file, int line)
{
    if (!strstr(h, n)) {
        print_error("%s:%d: \"%s\" does not contain \"%s\"\n", file, line, h, n);
        fail();
    }
}

/* The expected runs and energy of a fixture in fixtures/formats/EXPECTED.tsv (tests run
 * from the top of the tree); false when it has no line there. */
static inline bool fx_expected(const char *rel, int *runs, double *energy_j)
{
    FILE *fp = fopen("fixtures/formats/EXPECTED.tsv", "r");
    char line[1024];
    bool found = false;
    if (!fp)
        return false;
    while (!found && fgets(line, sizeof line, fp)) {
        char *save, *file = strtok_r(line, "\t", &save);
        if (!file || strcmp(file, rel) != 0)
            continue;
        strtok_r(NULL, "\t", &save); /* format */
        char *n = strtok_r(NULL, "\t", &save), *e = strtok_r(NULL, "\t", &save);
        *runs = n ? atoi(n) : -1;
        *energy_j = e ? strtod(e, NULL) : NAN;
        found = true;
    }
    fclose(fp);
    return found;
}

/* Ingests fixtures/formats/REL, a fixture with a line in fixtures/formats/EXPECTED.tsv,
 * and checks that the store holds that line's runs and energy (relative 1e-12).  Returns
 * the totals over every phase; the file's result goes to *r and the expected energy to
 * *energy_j when they are not NULL. */
#define fx_ingest_expected(f, rel, r, energy_j)                                                \
    fx_check_expected((f), (rel), (r), (energy_j), __FILE__, __LINE__)

static inline struct fx_sum fx_check_expected(struct fx *f, const char *rel,
                                              struct wp_file_result *r, double *energy_j,
                                              const char *file, int line)
{
    int runs = -1;
    double energy = NAN;
    char path[512];
    if (!fx_expected(rel, &runs, &energy)) {
        print_error("%s:%d: %s has no line in fixtures/formats/EXPECTED.tsv\n", file, line,
                    rel);
        fail();
    }
    snprintf(path, sizeof path, "fixtures/formats/%s", rel);
    struct wp_diag d = {0};
    if (fx_ingest(f, path, false, r, &d) != WP_OK) {
        print_error("%s:%d: %s: %s\n", file, line, path, d.msg);
        fail();
    }
    struct fx_sum s = fx_totals(f, NULL);
    if (s.runs != runs) {
        print_error("%s:%d: %s: %d runs, expected %d\n", file, line, rel, s.runs, runs);
        fail();
    }
    fx_check_rel(s.energy_j, energy, 1e-12, "energy_j", file, line);
    if (energy_j)
        *energy_j = energy;
    return s;
}

#endif
