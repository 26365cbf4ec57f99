/* Timestamps as logs write them. */
#ifndef WP_UTIL_TIME_H
#define WP_UTIL_TIME_H

#include <stdbool.h>

/* True for an ISO 8601 date and time with valid fields: YYYY-MM-DD, then 'T' or ' ',
 * HH:MM[:SS[.fraction]], then optionally Z or +hh:mm / -hh:mm (or +hhmm). */
bool wp_iso8601_valid(const char *s);

/* Seconds since 1970-01-01 UTC for such a timestamp (a missing zone reads as UTC);
 * returns false when it is not one. */
bool wp_iso8601_seconds(const char *s, double *out);

#endif
