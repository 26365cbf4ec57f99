/* Strict number parsing for log values: the whole text must be a finite decimal number.
 * Empty text and the usual spellings of "no value" (nan, NaN, NA, N/A, None, null, [N/A],
 * [Not Supported]) are missing, not errors. */
#ifndef WP_UTIL_NUM_H
#define WP_UTIL_NUM_H

enum wp_num {
    WP_NUM_OK,
    WP_NUM_MISSING, /* no value */
    WP_NUM_INVALID, /* not a number */
    WP_NUM_RANGE,   /* infinite, or too large for a double */
};

/* Parses s (already trimmed) into *out; *out is NAN unless WP_NUM_OK. */
enum wp_num wp_parse_num(const char *s, double *out);

/* Half a unit in the last printed digit of a decimal number as written ("1.36e-07" gives
 * 5e-10), 0 for a value written as exactly zero; how far the printed text may lie from
 * the value it rounds. */
double wp_num_half_unit(const char *s);

#endif
