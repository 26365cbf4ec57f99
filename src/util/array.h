/* One growable array for the whole tree, in the spirit of git's ALLOC_GROW: a pointer, a
 * count kept by the caller and a capacity grown here, by half again plus 16 (git's
 * alloc_nr), so appending n elements costs O(n) copies.  Growth is overflow-checked, and
 * on failure the old block, the pointer and the capacity are left as they were: the
 * caller keeps (and frees) what it had.  Not for shrinking or for strings of text. */
#ifndef WP_UTIL_ARRAY_H
#define WP_UTIL_ARRAY_H

#include <stddef.h>

#include "util/err.h"

/* Makes the block *ptrp points to (of *cap elements of elem bytes; NULL when *cap is 0)
 * hold at least need elements.  WP_OK, or WP_ERR_NOMEM with nothing changed when the size
 * overflows or the allocation fails.  ptrp is the address of a pointer of any object type. */
enum wp_err wp_array_grow(void *ptrp, size_t elem, size_t need, size_t *cap);

/* wp_array_grow with the common case (room enough) decided inline, as git's ALLOC_GROW
 * does, so that a per-field append in a parser costs a compare. */
static inline enum wp_err wp_array_reserve(void *ptrp, size_t elem, size_t need, size_t *cap)
{
    return need <= *cap ? WP_OK : wp_array_grow(ptrp, elem, need, cap);
}

/* WP_ARRAY_GROW(v, n + 1, cap): room for n + 1 elements of v's type in v. */
#define WP_ARRAY_GROW(ptr, need, cap) wp_array_reserve(&(ptr), sizeof *(ptr), (need), &(cap))

/* The capacity wp_array_grow picks for need elements from cap: at least need. */
size_t wp_array_next_cap(size_t cap, size_t need);

/* The first index of base[0..n) (n elements of size bytes, sorted by cmp) whose element is
 * not below key (cmp(key, element) <= 0), n when none: bsearch that also says where a
 * missing key would go, and finds the first of equal keys. */
size_t wp_lower_bound(const void *key, const void *base, size_t n, size_t size,
                      int (*cmp)(const void *key, const void *element));

#endif
