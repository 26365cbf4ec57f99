/* Strict number parsing for log values: the whole text must be a finite decimal number.
 * Empty text and the usual spellings of "no value" (nan, NaN, NA, N/A, None, null, [N/A],
 * [Not Supported]) are missing, not errors. */
#ifndef WP_UTIL_NUM_H
#define WP_UTIL_NUM_H

#include <stdbool.h>

enum wp_num {
    WP_NUM_OK,
    WP_NUM_MISSING, /* no value */
    WP_NUM_INVALID, /* not a number */
    WP_NUM_RANGE,   /* infinite, too large for a double, or beyond the magnitudes below */
};

/* The magnitudes a log value may have (zero aside), in the unit it is written in: beyond
 * them, finite values still make figures derived from them overflow a double (1e300 kWh at
 * one inference is 3.6e306 J, 3.6e309 per 1,000 and its square in a variance; a ratio to
 * 1e-320 J), so that ingest refuses them, with where they are, instead of carrying a
 * statistic that cannot be printed.  1e60 J is 1e26 times the Sun's yearly output. */
#define WP_NUM_MAX_ABS 1e60
#define WP_NUM_MIN_ABS 1e-60
/* Why a value was not read, for a message after the quoted text: "is not a number", or
 * "is out of range (...)" naming the magnitudes above.  A static string. */
const char *wp_num_why(enum wp_num k);
/* Whether v is zero or its magnitude lies within [WP_NUM_MIN_ABS, WP_NUM_MAX_ABS] (false
 * for NAN and infinities): for numbers that do not come through wp_parse_num (JSON). */
bool wp_num_in_bounds(double v);

/* Parses s (already trimmed) into *out; *out is NAN unless WP_NUM_OK.  A value whose
 * magnitude is above WP_NUM_MAX_ABS, or below WP_NUM_MIN_ABS and not zero, is
 * WP_NUM_RANGE (so is one that underflows a double: "1e-999"). */
enum wp_num wp_parse_num(const char *s, double *out);

/* Half a unit in the last printed digit of a decimal number as written ("1.36e-07" gives
 * 5e-10), 0 for a value written as exactly zero; how far the printed text may lie from
 * the value it rounds. */
double wp_num_half_unit(const char *s);

#endif
