/* Strict number parsing (see num.h). */
#include "util/num.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
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

#if LDBL_MANT_DIG == 64 /* x87 extended precision (x86, x86-64) */
/* "[+-]digits[.digits][(e|E)[+-]digits]" with at most 19 significant digits and a decimal
 * exponent within +-27: the digits as an integer (< 10^19 < 2^64) and 10^k (5^27 < 2^64)
 * are exact in a long double, so one multiplication or division gives the value rounded
 * to 64 bits.  Rounding that to a double is what strtod gives unless the 64-bit value lies
 * on (or within one unit of) a midpoint between two doubles: then strtod decides.  This
 * covers the 16 and 17 digits of Python's repr, which CodeCarbon writes, which Clinger's
 * fast path (fast_decimal, 15 digits) does not.  Where long double is not computed in
 * extended precision (under valgrind), strtod reads every such number. */
static bool long_decimal(const char *s, double *out)
{
    static const long double pow10[] = {
        1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
        1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
        1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L,
    };
    /* valgrind computes long double at double precision: then 1 + 2^-63 is 1, and this
     * path would round twice; strtod reads the number instead */
    volatile long double one = 1.0L;
    if (one + LDBL_EPSILON == one)
        return false;
    const char *p = s;
    bool neg = *p == '-', dot = false, any = false;
    if (*p == '-' || *p == '+')
        p++;
    unsigned long long m = 0;
    int sig = 0, exp10 = 0;
    for (;; p++) {
        if (*p == '.' && !dot) {
            dot = true;
            continue;
        }
        if (*p < '0' || *p > '9')
            break;
        any = true;
        if (m == 0 && *p == '0') { /* a leading zero: no significant digit */
            exp10 -= dot;
            continue;
        }
        if (++sig > 19)
            return false;
        m = m * 10 + (unsigned)(*p - '0');
        exp10 -= dot;
    }
    if (!any)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        bool eneg = *p == '-';
        if (*p == '-' || *p == '+')
            p++;
        if (*p < '0' || *p > '9')
            return false;
        int e = 0;
        for (; *p >= '0' && *p <= '9'; p++)
            if (e < 100000)
                e = e * 10 + (*p - '0');
        exp10 += eneg ? -e : e;
    }
    if (*p || exp10 < -27 || exp10 > 27)
        return false;
    if (m == 0) {
        *out = neg ? -0.0 : 0.0;
        return true;
    }
    long double q = exp10 < 0 ? (long double)m / pow10[-exp10] : (long double)m * pow10[exp10];
    int e2;
    unsigned long long bits = (unsigned long long)ldexpl(frexpl(q, &e2), 64);
    unsigned low = (unsigned)(bits & 0x7ff); /* the 11 bits a double drops */
    if (low >= 0x3ff && low <= 0x401)
        return false;
    double v = (double)q;
    if (!isfinite(v) || v < DBL_MIN)
        return false;
    *out = neg ? -v : v;
    return true;
}
#else
static bool long_decimal(const char *s, double *out)
{
    (void)s;
    (void)out;
    return false;
}
#endif

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
    /* both fast paths read at most 19 digits within 10^+-27: within the bounds, checked all
     * the same so that no path bypasses them */
    if (fast_decimal(s, out) || long_decimal(s, out))
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
