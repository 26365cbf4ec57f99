/* Strings made for one document (a report's cells and captions), kept together and freed
 * at once: an arena of formatted strings.  Out of memory is remembered, not fatal: the
 * string is then "" and `failed` says so for the caller to turn into an error. */
#ifndef WP_UTIL_STRPOOL_H
#define WP_UTIL_STRPOOL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct wp_strpool {
    char **v;
    size_t n, cap;
    bool failed; /* some string could not be made: it was "" */
};

/* The formatted string, kept in p until wp_strpool_free; "" (p->failed set) when out of
 * memory, with every string made before still kept. */
const char *wp_strpool_vfmt(struct wp_strpool *p, const char *f, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* The same with its arguments given directly. */
const char *wp_strpool_fmt(struct wp_strpool *p, const char *f, ...)
    __attribute__((format(printf, 2, 3)));
/* Keeps s (malloc'd; NULL when making it failed) in p and returns it; "" (p->failed set,
 * s freed) when out of memory. */
const char *wp_strpool_keep(struct wp_strpool *p, char *s);
/* Frees every string of p and p's list (p is empty after). */
void wp_strpool_free(struct wp_strpool *p);

#endif
