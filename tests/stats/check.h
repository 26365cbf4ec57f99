/* Assertions on doubles for the stats tests (cmocka 1.1 has none with a relative
 * tolerance): header-only, included by each tests/stats/test_*.c. */
#ifndef WP_TESTS_STATS_CHECK_H
#define WP_TESTS_STATS_CHECK_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Relative tolerance for deterministic statistics against independent references. */
#define REL 1e-9

/* |actual - expected| <= rel * |expected| (or <= rel when expected is 0). */
#define assert_rel(actual, expected, rel) \
    check_rel((actual), (expected), (rel), #actual, __FILE__, __LINE__)

static inline void check_rel(double a, double e, double rel, const char *what,
                             const char *file, int line)
{
    double tol = rel * (e == 0.0 ? 1.0 : fabs(e));
    if (!(fabs(a - e) <= tol)) {
        print_error("%s:%d: %s = %.17g, expected %.17g (rel %.3g)\n", file, line, what, a, e,
                    rel);
        fail();
    }
}

#define assert_nan(v) assert_true(isnan(v))

#endif
