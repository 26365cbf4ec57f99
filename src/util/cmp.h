/* Three-way comparison for qsort and bsearch comparators: -1, 0 or 1, never a subtraction
 * that can overflow.  One idiom for every comparator of the tree. */
#ifndef WP_UTIL_CMP_H
#define WP_UTIL_CMP_H

#include <stddef.h>
#include <string.h>

static inline int wp_cmp_ll(long long a, long long b)
{
    return (a > b) - (a < b);
}

/* NaN compares equal to everything here: callers that may hold NaN order it first. */
static inline int wp_cmp_double(double a, double b)
{
    return (a > b) - (a < b);
}

/* A comparator over an array of long long. */
static inline int wp_cmp_ll_at(const void *a, const void *b)
{
    return wp_cmp_ll(*(const long long *)a, *(const long long *)b);
}

/* strcmp with NULL read as "". */
static inline int wp_cmp_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* a[0..n) against b[0..n), the first difference deciding (wp_cmp_text): a sort by names. */
static inline int wp_cmp_texts(const char *const *a, const char *const *b, size_t n)
{
    int c = 0;
    for (size_t i = 0; !c && i < n; i++)
        c = wp_cmp_text(a[i], b[i]);
    return c;
}

#endif
