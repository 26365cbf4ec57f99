/* Timestamps as logs write them: the one parser of the tree (every input format and every
 * output that reads a stored date goes through wp_time_parse), and the instants it gives. */
#ifndef WP_UTIL_TIME_H
#define WP_UTIL_TIME_H

#include <stdbool.h>
#include <stddef.h>

/* A point in time as a log wrote it.  Seconds are split so that differences of nearby
 * times keep their sub-millisecond digits (a double holding 1.7e9 s would not). */
struct wp_when {
    long long whole_s;  /* seconds since 1970-01-01 00:00 of the written clock (UTC when
                           the text had a zone or was a Unix time) */
    double frac_s;      /* fraction of a second, 0 <= frac_s < 1 */
    bool has_date;      /* false for small plain numbers: seconds since some start */
    bool is_written;    /* a calendar date was written (not a number of seconds) */
    bool has_time;      /* ... with a time of day */
    char iso[64];       /* ISO 8601 ("2024-01-15T10:23:45.123", zone kept), or "" */
};

/* Parses, with spaces around it ignored:
 * - a date YYYY-MM-DD or YYYY/MM/DD (month and day of one or two digits), alone or
 *   followed by 'T' or spaces and a time H:MM or HH:MM[:SS[.fraction or ,fraction]]
 *   (CodeCarbon, eco2AI, carbontracker, nvidia-smi's 2024/01/15 10:23:45.123, a
 *   spreadsheet's 0:05:27), then optionally spaces and a zone: Z, z, +hh, +hh:mm, +hhmm
 *   (or '-');
 * - a plain number of seconds: a Unix time when >= 1e8 (Zeus, ML.ENERGY, RAPL logs), else
 *   seconds since some start.
 * Fields are range-checked (month, day of that month, hour, minute, second <= 60).  Returns
 * false when s is none of these.  No sscanf, strptime or time zone lookup: this runs per row. */
bool wp_time_parse(const char *s, struct wp_when *out);

/* b - a in seconds. */
double wp_when_diff(const struct wp_when *a, const struct wp_when *b);

/* True for a written date with a time of day that wp_time_parse reads (ISO 8601 and the
 * spellings above; not a date alone, not a number). */
bool wp_iso8601_valid(const char *s);

/* Seconds since 1970-01-01 UTC for such a timestamp (a missing zone reads as UTC);
 * returns false when it is not one. */
bool wp_iso8601_seconds(const char *s, double *out);

/* The instant of timestamp s to the second, as wp_time_parse normalises it: in out,
 * "YYYY-MM-DDThh:mm:ss" and its zone when one was written ("Z" or "+hh:mm"); a date alone
 * is its midnight; the fraction of a second is dropped.  What PDF metadata takes.  False
 * (and out "") when s is not a written calendar date (a plain number of seconds is not one):
 * such a text is never shown as a date. */
#define WP_TIME_ISO_S_SIZE 32
bool wp_time_iso_s(const char *s, char out[WP_TIME_ISO_S_SIZE]);

/* Keeps in newest[size] (with its instant in *newest_s) whichever of it and `ts` is later as
 * an instant, offsets applied: 10:00+02:00 came before 09:00Z, which string order gets wrong.
 * A timestamp that is not one (kept as logged) is no date and changes nothing. newest is kept
 * as logged when it fits, else as UTC; "" until a first date. */
void wp_iso8601_keep_newest(char *newest, size_t size, double *newest_s, const char *ts);

#endif
