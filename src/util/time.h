/* Timestamps as logs write them. */
#ifndef WP_UTIL_TIME_H
#define WP_UTIL_TIME_H

#include <stdbool.h>
#include <stddef.h>

/* True for an ISO 8601 date and time with valid fields: YYYY-MM-DD, then 'T' or ' ',
 * HH:MM[:SS[.fraction]], then optionally Z or +hh:mm / -hh:mm (or +hhmm). */
bool wp_iso8601_valid(const char *s);

/* Seconds since 1970-01-01 UTC for such a timestamp (a missing zone reads as UTC);
 * returns false when it is not one. */
bool wp_iso8601_seconds(const char *s, double *out);

/* Keeps in newest[size] (with its instant in *newest_s) whichever of it and `ts` is later as
 * an instant, offsets applied: 10:00+02:00 came before 09:00Z, which string order gets wrong.
 * A timestamp that is not one (kept as logged) is no date and changes nothing. newest is kept
 * as logged when it fits, else as UTC; "" until a first date. */
void wp_iso8601_keep_newest(char *newest, size_t size, double *newest_s, const char *ts);

#endif
