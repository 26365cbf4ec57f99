/* Timestamp parsing (see time.h). */
#include "util/time.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Reads exactly n digits. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

bool wp_iso8601_seconds(const char *s, double *out)
{
    int y, mo, d, h, mi, sec = 0, zh = 0, zm = 0, sign = 0;
    double frac = 0;
    const char *p = s;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d) || (*p != 'T' && *p != ' '))
        return false;
    p++;
    /* spreadsheets re-save "00:05:27" as "0:05:27": take a one-digit hour too */
    bool one_digit_hour = isdigit((unsigned char)p[0]) && p[1] == ':';
    if (!digits(&p, one_digit_hour ? 1 : 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
        return false;
    if (*p == ':') {
        p++;
        if (!digits(&p, 2, &sec))
            return false;
        if (*p == '.' || *p == ',') {
            const char *q = ++p;
            double scale = 0.1;
            while (isdigit((unsigned char)*p)) {
                frac += (*p - '0') * scale;
                scale /= 10;
                p++;
            }
            if (p == q)
                return false;
        }
    }
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p++ == '-' ? -1 : 1;
        if (!digits(&p, 2, &zh))
            return false;
        if (*p == ':')
            p++;
        if (*p && !digits(&p, 2, &zm))
            return false;
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 60 || zh > 23 || zm > 59)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = sec};
    *out = (double)timegm(&tm) + frac - sign * (zh * 3600.0 + zm * 60.0);
    return true;
}

bool wp_iso8601_valid(const char *s)
{
    double t;
    return wp_iso8601_seconds(s, &t);
}

void wp_iso8601_keep_newest(char *newest, size_t size, double *newest_s, const char *ts)
{
    double s;
    if (!wp_iso8601_seconds(ts, &s) || (newest[0] && s <= *newest_s))
        return;
    *newest_s = s;
    if (strlen(ts) < size) {
        memcpy(newest, ts, strlen(ts) + 1);
        return;
    }
    time_t t = (time_t)floor(s);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(newest, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        newest[0] = '\0';
}
