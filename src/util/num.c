/* Strict number parsing (see num.h). */
#include "util/num.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const missing[] = {
    "", "nan", "-nan", "na", "n/a", "none", "null", "[n/a]", "[not supported]", "-",
};

enum wp_num wp_parse_num(const char *s, double *out)
{
    *out = NAN;
    bool numeric_start = isdigit((unsigned char)s[0]) ||
                         ((s[0] == '-' || s[0] == '+' || s[0] == '.') &&
                          (isdigit((unsigned char)s[1]) || s[1] == '.'));
    for (size_t i = 0; !numeric_start && i < sizeof missing / sizeof missing[0]; i++)
        if (strcasecmp(s, missing[i]) == 0)
            return WP_NUM_MISSING;
    /* decimal only: strtod would also take hex floats, "inf" and "infinity" */
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1]))) {
        if (strncasecmp(p, "inf", 3) == 0)
            return WP_NUM_RANGE;
        return WP_NUM_INVALID;
    }
    if (strpbrk(s, "xXpP"))
        return WP_NUM_INVALID;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        return WP_NUM_INVALID;
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
        return WP_NUM_RANGE;
    *out = errno == ERANGE ? 0.0 * v : v; /* underflow reads as zero */
    return WP_NUM_OK;
}

double wp_num_half_unit(const char *s)
{
    double v;
    if (wp_parse_num(s, &v) != WP_NUM_OK || v == 0.0)
        return 0.0;
    const char *e = strpbrk(s, "eE");
    long exp10 = e ? strtol(e + 1, NULL, 10) : 0;
    const char *dot = strchr(s, '.');
    long frac = 0;
    if (dot)
        for (const char *q = dot + 1; q < (e ? e : s + strlen(s)) && isdigit((unsigned char)*q);
             q++)
            frac++;
    return 0.5 * pow(10.0, (double)(exp10 - frac));
}
