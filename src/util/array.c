/* The growable array (array.h): the growth rule and the one realloc of every growing array
 * outside the store and the input parsers; and the one binary search of a sorted array. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"

size_t wp_lower_bound(const void *key, const void *base, size_t n, size_t size,
                      int (*cmp)(const void *key, const void *element))
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp(key, (const char *)base + mid * size) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t wp_array_next_cap(size_t cap, size_t need)
{
    if (cap > SIZE_MAX / 3 - 16) /* no room to grow by half: exactly what is asked */
        return need > cap ? need : cap;
    size_t next = (cap + 16) * 3 / 2;
    return next < need ? need : next;
}

enum wp_err wp_array_grow(void *ptrp, size_t elem, size_t need, size_t *cap)
{
    if (need <= *cap)
        return WP_OK;
    size_t next = wp_array_next_cap(*cap, need);
    if (!elem || next > SIZE_MAX / elem)
        return WP_ERR_NOMEM;
    void *old;
    memcpy(&old, ptrp, sizeof old); /* any object pointer: read as the void * it converts to */
    void *grown = realloc(old, next * elem);
    if (!grown)
        return WP_ERR_NOMEM;
    memcpy(ptrp, &grown, sizeof grown);
    *cap = next;
    return WP_OK;
}
