/* Tests of src/stats/stars.c: the AI Energy Score equal-width rule reproduces every
 * published rating in the fixtures/aienergyscore CSV files (grouped by class and test
 * date), plus hand-worked cases of both methods.  The fixtures are read relative to the
 * current directory (the repository root, as `make test` runs) or to $WP_FIXTURES. */
#include "stats/stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/check.h"

struct row {
    char model[128];
    char group[64]; /* "class|test date" */
    double energy;
    int published;
};

struct table {
    struct row v[256];
    size_t n;
};

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

/* Splits `line` at commas into at most `max` fields; returns how many. */
static size_t split(char *line, char **field, size_t max)
{
    size_t k = 0;
    for (char *p = line; k < max;) {
        field[k++] = p;
        p = strchr(p, ',');
        if (!p)
            break;
        *p++ = '\0';
    }
    return k;
}

static void parse_row(char *line, struct row *r, const char *path, int lineno)
{
    char *f[6] = { NULL };
    if (split(line, f, 6) != 5) {
        fail_msg("%s:%d: expected 5 fields", path, lineno);
        return;
    }
    char *end;
    errno = 0;
    r->energy = strtod(f[1], &end);
    if (end == f[1] || *end || errno)
        fail_msg("%s:%d: bad energy \"%s\"", path, lineno, f[1]);
    r->published = atoi(f[2]);
    snprintf(r->model, sizeof r->model, "%s", f[0]);
    snprintf(r->group, sizeof r->group, "%s|%s", f[3], f[4]);
}

static void read_csv(const char *name, struct table *t)
{
    const char *dir = getenv("WP_FIXTURES");
    char path[512];
    snprintf(path, sizeof path, "%s/aienergyscore/%s", dir ? dir : "fixtures", name);
    FILE *fp = fopen(path, "r");
    if (!fp)
        fail_msg("cannot open %s (run from the repository root or set WP_FIXTURES)", path);
    char line[512];
    int lineno = 0;
    t->n = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        chomp(line);
        if (lineno == 1) {
            assert_string_equal(line, "model,total_gpu_energy,energy_score,class,test date");
            continue;
        }
        if (!*line)
            continue;
        assert_true(t->n < sizeof t->v / sizeof t->v[0]);
        parse_row(line, &t->v[t->n++], path, lineno);
    }
    fclose(fp);
}

/* Rates every group of `t` with the published rule; returns the number of rows checked. */
static size_t check_groups(const struct table *t, const char *name)
{
    bool done[256] = { false };
    size_t checked = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (done[i])
            continue;
        double energy[256];
        size_t idx[256], m = 0;
        for (size_t j = i; j < t->n; j++) {
            if (strcmp(t->v[j].group, t->v[i].group) == 0) {
                idx[m] = j;
                energy[m++] = t->v[j].energy;
                done[j] = true;
            }
        }
        int stars[256];
        assert_int_equal(wp_stats_stars(energy, m, WP_STARS_EQUAL_WIDTH, stars), WP_OK);
        for (size_t k = 0; k < m; k++) {
            const struct row *r = &t->v[idx[k]];
            if (stars[k] != r->published)
                fail_msg("%s: %s (%s, %.17g kWh): %d stars, published %d", name, r->model,
                         r->group, r->energy, stars[k], r->published);
            checked++;
        }
    }
    return checked;
}

static int setup(void **state)
{
    (void)state;
    wp_stats_init();
    return 0;
}

static void test_stars_reproduce_every_published_text_generation_rating(void **state)
{
    (void)state;
    static struct table t;
    read_csv("text_generation.csv", &t);
    /* 62 models in 6 groups (classes A, B, C x editions Feb 25, Dec 25). */
    assert_int_equal(check_groups(&t, "text_generation.csv"), 62);
}

static void test_stars_reproduce_every_published_reasoning_rating(void **state)
{
    (void)state;
    static struct table t;
    read_csv("reasoning.csv", &t);
    /* 18 models in 3 groups (classes A, B, C, edition Dec 25). */
    assert_int_equal(check_groups(&t, "reasoning.csv"), 18);
}

static void test_stars_equal_width_bins_by_hand(void **state)
{
    (void)state;
    /* min 0, max 5, w = 1: floor(E) = 0..5, the max clamped into the top bin. */
    const double e[] = { 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 0.99, 4.5 };
    const int want[] = { 5, 4, 3, 2, 1, 1, 5, 1 };
    int stars[8];
    assert_int_equal(wp_stats_stars(e, 8, WP_STARS_EQUAL_WIDTH, stars), WP_OK);
    assert_memory_equal(stars, want, sizeof want);
}

static void test_stars_all_equal_energies_get_5(void **state)
{
    (void)state;
    const double e[] = { 0.3, 0.3, 0.3 };
    int stars[3];
    assert_int_equal(wp_stats_stars(e, 3, WP_STARS_EQUAL_WIDTH, stars), WP_OK);
    assert_true(stars[0] == 5 && stars[1] == 5 && stars[2] == 5);
    assert_int_equal(wp_stats_stars(e, 1, WP_STARS_EQUAL_WIDTH, stars), WP_OK);
    assert_int_equal(stars[0], 5);
}

static void test_stars_missing_energy_gets_0_and_is_ignored(void **state)
{
    (void)state;
    const double e[] = { 1.0, NAN, 6.0 };
    int stars[3];
    assert_int_equal(wp_stats_stars(e, 3, WP_STARS_EQUAL_WIDTH, stars), WP_OK);
    assert_int_equal(stars[0], 5);
    assert_int_equal(stars[1], 0);
    assert_int_equal(stars[2], 1);
    const double none[] = { NAN };
    assert_int_equal(wp_stats_stars(none, 1, WP_STARS_EQUAL_WIDTH, stars), WP_ERR_EMPTY);
    assert_int_equal(stars[0], 0);
}

static void test_stars_quintile_lowest_fifth_gets_5(void **state)
{
    (void)state;
    /* Ten distinct values: ranks 0-1 -> 5, 2-3 -> 4, ..., 8-9 -> 1 (shuffled input). */
    const double e[] = { 7, 1, 10, 4, 2, 9, 3, 8, 6, 5 };
    const int want[] = { 2, 5, 1, 4, 5, 1, 4, 2, 3, 3 };
    int stars[10];
    assert_int_equal(wp_stats_stars(e, 10, WP_STARS_QUINTILE, stars), WP_OK);
    assert_memory_equal(stars, want, sizeof want);
}

static void test_stars_quintile_ties_share_the_best_rank(void **state)
{
    (void)state;
    /* By hand, m = 5: values below 1 -> 0, 0, 0 (5 stars); below 2 -> 3: 5 - floor(15/5)
     * = 2; below 3 -> 4: 5 - floor(20/5) = 1. */
    const double e[] = { 1, 1, 1, 2, 3 };
    const int want[] = { 5, 5, 5, 2, 1 };
    int stars[5];
    assert_int_equal(wp_stats_stars(e, 5, WP_STARS_QUINTILE, stars), WP_OK);
    assert_memory_equal(stars, want, sizeof want);
}

static void test_stars_quintile_differs_from_equal_width(void **state)
{
    (void)state;
    /* One outlier: equal width puts every other model in the top bin, quintiles spread
     * them. */
    const double e[] = { 1, 2, 3, 4, 100 };
    int ew[5], q[5];
    assert_int_equal(wp_stats_stars(e, 5, WP_STARS_EQUAL_WIDTH, ew), WP_OK);
    assert_int_equal(wp_stats_stars(e, 5, WP_STARS_QUINTILE, q), WP_OK);
    const int want_ew[] = { 5, 5, 5, 5, 1 }, want_q[] = { 5, 4, 3, 2, 1 };
    assert_memory_equal(ew, want_ew, sizeof want_ew);
    assert_memory_equal(q, want_q, sizeof want_q);
}

static void test_stars_rejects_bad_arguments(void **state)
{
    (void)state;
    const double e[] = { 1.0 };
    int stars[1];
    assert_int_equal(wp_stats_stars(e, 1, (enum wp_star_method)7, stars), WP_ERR_USAGE);
    assert_int_equal(wp_stats_stars(NULL, 1, WP_STARS_EQUAL_WIDTH, stars), WP_ERR_USAGE);
    assert_int_equal(wp_stats_stars(e, 1, WP_STARS_EQUAL_WIDTH, NULL), WP_ERR_USAGE);
    assert_int_equal(wp_stats_stars(NULL, 0, WP_STARS_EQUAL_WIDTH, NULL), WP_ERR_EMPTY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stars_reproduce_every_published_text_generation_rating),
        cmocka_unit_test(test_stars_reproduce_every_published_reasoning_rating),
        cmocka_unit_test(test_stars_equal_width_bins_by_hand),
        cmocka_unit_test(test_stars_all_equal_energies_get_5),
        cmocka_unit_test(test_stars_missing_energy_gets_0_and_is_ignored),
        cmocka_unit_test(test_stars_quintile_lowest_fifth_gets_5),
        cmocka_unit_test(test_stars_quintile_ties_share_the_best_rank),
        cmocka_unit_test(test_stars_quintile_differs_from_equal_width),
        cmocka_unit_test(test_stars_rejects_bad_arguments),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
