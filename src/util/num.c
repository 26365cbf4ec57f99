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

/* "[+-]ddd[.ddd]" with at most 15 digits: the digits as an integer are exact in a double,
 * and so is 10^k for k <= 15, so one division rounds correctly: the value strtod gives
 * (Clinger's fast path), without its cost.  False for anything else (strtod reads it). */
static bool fast_decimal(const char *s, double *out)
{
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char *p = s;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    long long m = 0;
    int digits = 0, frac = 0;
    bool dot = false;
    for (; *p; p++) {
        if (*p == '.' && !dot) {
            dot = true;
            continue;
        }
        if (*p < '0' || *p > '9' || ++digits > 15)
            return false;
        m = m * 10 + (*p - '0');
        frac += dot;
    }
    if (!digits)
        return false;
    double v = (double)m / pow10[frac];
    *out = neg ? -v : v;
    return true;
}

/* WP_NUM_OK when *out is within the magnitudes read (num.h), else WP_NUM_RANGE and NAN. */
static enum wp_num in_bounds_or_nan(double *out)
{
    if (wp_num_in_bounds(*out))
        return WP_NUM_OK;
    *out = NAN;
    return WP_NUM_RANGE;
}

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
    if (fast_decimal(s, out)) /* within the bounds by its 15 digits; checked all the same */
        return in_bounds_or_nan(out);
    if (strpbrk(s, "xXpP"))
        return WP_NUM_INVALID;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        return WP_NUM_INVALID;
    if (!isfinite(v) || errno == ERANGE || !wp_num_in_bounds(v))
        return WP_NUM_RANGE;
    *out = v;
    return WP_NUM_OK;
}

bool wp_num_in_bounds(double v)
{
    double a = fabs(v);
    return a == 0.0 || (a >= WP_NUM_MIN_ABS && a <= WP_NUM_MAX_ABS);
}

const char *wp_num_why(enum wp_num k)
{
    return k == WP_NUM_RANGE ? "is out of range (wattprint reads magnitudes from 1e-60 to "
                               "1e60, and zero, so that figures derived from a value stay "
                               "finite)"
                             : "is not a number";
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
