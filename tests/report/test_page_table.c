/* Unit tests of the report's tables over the column model (src/report/page_table.c): each
 * page format turns a column's value into the cell the page shows (numbers to significant
 * digits or as printf's %g, ranges lo–hi, t intervals cut at zero with a dagger, p, shares,
 * published values as printed, a second column joined, blank and bold rows), for a row
 * type the model knows nothing of. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/page_table.h"

struct row {
    const char *task;
    size_t n, m;
    double x, lo, hi, p, unit;
    struct wp_ci ci;
};

static const struct wp_rowcol cols[] = {
    {"task", "", WP_GCOL_TEXT, 0, WP_ROWCOL_AT(struct row, task)},
    {"n", "", WP_GCOL_COUNT, 0, WP_ROWCOL_AT(struct row, n)},
    {"m", "", WP_GCOL_COUNT, 0, WP_ROWCOL_AT(struct row, m)},
    {"x", "kWh", WP_GCOL_NUM, 4, WP_ROWCOL_AT(struct row, x)},
    {"range", "kWh", WP_GCOL_RANGE, 4, WP_ROWCOL_AT(struct row, lo)},
    {"p", "", WP_GCOL_NUM, 3, WP_ROWCOL_AT(struct row, p)},
    {"unit", "", WP_GCOL_NUM, 3, WP_ROWCOL_AT(struct row, unit)},
    {"ci", "kWh", WP_GCOL_CI, 3, WP_ROWCOL_AT(struct row, ci)},
};
#define N_COLS (sizeof cols / sizeof cols[0])

static bool no_task(const void *row)
{
    return !((const struct row *)row)->task;
}

static bool big(const void *row)
{
    return ((const struct row *)row)->x > 100;
}

static void test_cells_as_the_page_says(void **state)
{
    (void)state;
    struct row rows[2] = {
        {.task = "image_generation", .n = 8, .m = 10, .x = 1234.5678, .lo = 0.012345,
         .hi = 2.5, .p = 0.0004, .unit = 0.001, .ci = {.lo = -0.5, .hi = 1.25}},
        {.task = NULL, .n = 3, .m = 1, .x = NAN, .lo = NAN, .hi = 1, .p = 0.0312,
         .unit = 0.1, .ci = {.lo = 0.1, .hi = 0.2}},
    };
    const struct wp_page_col pc[] = {
        {"task", "<b>task</b>", 0.1, WP_LEFT, .format = WP_CELL_VALUE, .none = "<i>all</i>"},
        {"task", "<b>task</b>", 0.1, WP_LEFT, .format = WP_CELL_WORDS},
        {"n", "<b>n</b>", 0.1, WP_RIGHT, .with = "m", .join = WP_JOIN_SLASH},
        {"x", "<b>x</b>", 0.1, WP_RIGHT, .with = "n", .join = WP_JOIN_N, .strong = big},
        {"range", "<b>CI</b>", 0.1, WP_RIGHT, .digits = 3, .none = "none"},
        {"p", "<b>p</b>", 0.1, WP_RIGHT, .format = WP_CELL_P_SHORT, .blank = no_task},
        {"x", "<b>x</b>", 0.1, WP_RIGHT, .format = WP_CELL_PRINTED, .with = "unit"},
        {"ci", "<b>CI</b>", 0.1, WP_RIGHT, .format = WP_CELL_G, .digits = 3, .none = "-"},
        {"p", "<b>share</b>", 0.1, WP_RIGHT, .format = WP_CELL_PERCENT},
        {"x", "<b>x</b>", 0.1, WP_RIGHT, .format = WP_CELL_FIXED, .digits = 1},
        {"range", "<b>CI</b>", 0.1, WP_RIGHT, .format = WP_CELL_BOUNDS, .digits = 2},
        {"ci", "<b>CI</b>", 0.1, WP_RIGHT, .format = WP_CELL_BOUNDS, .digits = 2},
        {"p", "<b>p</b>", 0.1, WP_RIGHT, .format = WP_CELL_P_SCI},
        {"x", "<b>kWh</b>", 0.1, WP_RIGHT, .format = WP_CELL_WHOLE, .with = "p",
         .join = WP_JOIN_PLUS},
        {"x", "<b>x</b>", 0.1, WP_RIGHT, .format = WP_CELL_PRINTED, .with = "unit", .none = ""},
        {"p", "<b>n</b>", 0.1, WP_RIGHT, .format = WP_CELL_WHOLE},
        {"unit", "<b>n</b>", 0.1, WP_RIGHT, .format = WP_CELL_ROUNDED},
    };
    enum { NPC = sizeof pc / sizeof pc[0] };
    struct wp_strpool p = {0};
    struct wp_doc_col dc[WP_PAGE_MAX_COLS];
    const char **cells;
    assert_true(wp_page_cells(&p, cols, N_COLS, pc, NPC, rows, sizeof rows[0], 2, dc, &cells));
    assert_string_equal(dc[2].header, "<b>n</b>");
    assert_true(dc[2].align == WP_RIGHT);
    const char *want[2][NPC] = {
        {"image_generation", "image generation", "8 / 10", "<b>1,235</b> (n = 8)",
         "0.0123–2.50", "&lt;\u00a00.001", "1234.568", "0\u2020 to 1.25", "0%", "1234.6",
         "0.012–2.5", "0†–1.2", "4.0e-04", "1,235 + 0.0004", "1234.568", "0.0004",
         "0"},
        {"<i>all</i>", "", "3 / 1", "n/a (n = 3)", "none", "", "n/a", "0.1 to 0.2", "3%",
         "n/a", "n/a", "0.10–0.20", "3.1e-02", "n/a + 0.03", "", "0.03", "0"},
    };
    for (size_t i = 0; i < 2; i++)
        for (size_t k = 0; k < NPC; k++)
            assert_string_equal(cells[i * NPC + k], want[i][k]);
    free(cells);
    /* a name the model has not: no table */
    const struct wp_page_col bad[] = {{"nope", "", 0.1, WP_LEFT, .format = WP_CELL_VALUE}};
    assert_false(wp_page_cells(&p, cols, N_COLS, bad, 1, rows, sizeof rows[0], 2, dc, &cells));
    free(cells);
    wp_strpool_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_as_the_page_says),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
