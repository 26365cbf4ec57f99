/* The string arena (strpool.h).  Its list grows through util/array.h, so a failed growth
 * keeps the strings already made (report.c's own pool once lost them all and then wrote
 * through NULL). */
#include <stdio.h>
#include <stdlib.h>

#include "util/array.h"
#include "util/strpool.h"

const char *wp_strpool_vfmt(struct wp_strpool *p, const char *f, va_list ap)
{
    char *s = NULL;
    return wp_strpool_keep(p, vasprintf(&s, f, ap) < 0 ? NULL : s);
}

const char *wp_strpool_fmt(struct wp_strpool *p, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    const char *s = wp_strpool_vfmt(p, f, ap);
    va_end(ap);
    return s;
}

const char *wp_strpool_keep(struct wp_strpool *p, char *s)
{
    if (!s) {
        p->failed = true;
        return "";
    }
    if (WP_ARRAY_GROW(p->v, p->n + 1, p->cap)) {
        free(s);
        p->failed = true;
        return "";
    }
    p->v[p->n++] = s;
    return s;
}

void wp_strpool_free(struct wp_strpool *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
    *p = (struct wp_strpool){0};
}
