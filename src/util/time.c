/* The one timestamp parser (see time.h): calendar arithmetic by hand (H. Hinnant's
 * days_from_civil and civil_from_days, exact for every representable date), no libc time
 * functions on the per-row path. */
#include "util/time.h"

#include <math.h>
#include <string.h>

#include "util/num.h"

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long long days_from_civil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The inverse: y-m-d of a day number (days since 1970-01-01). */
static void civil_from_days(long long z, long long *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads 1 to max decimal digits; returns how many. */
static int read_int(const char **p, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (n < max && is_digit(**p)) {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n;
}

/* Parses a zone suffix ("Z", "z", "+01:00", "+0100", "+01", "-05:30") into seconds east and
 * its ISO 8601 spelling ("Z" or "+hh:mm"). */
static bool read_zone(const char **p, int *offset_s, char text[8])
{
    const char *s = *p;
    if (*s == 'Z' || *s == 'z') {
        *offset_s = 0;
        memcpy(text, "Z", 2);
        *p = s + 1;
        return true;
    }
    if (*s != '+' && *s != '-')
        return false;
    int sign = *s == '-' ? -1 : 1, hh, mm = 0;
    s++;
    if (read_int(&s, 2, &hh) != 2 || hh > 23)
        return false;
    if (*s == ':')
        s++;
    if (is_digit(*s) && (read_int(&s, 2, &mm) != 2 || mm > 59))
        return false;
    *offset_s = sign * (hh * 3600 + mm * 60);
    text[0] = sign < 0 ? '-' : '+';
    text[1] = (char)('0' + hh / 10), text[2] = (char)('0' + hh % 10), text[3] = ':';
    text[4] = (char)('0' + mm / 10), text[5] = (char)('0' + mm % 10), text[6] = '\0';
    *p = s;
    return true;
}

/* Writes v as at least `width` digits at *o. */
static void put_num(char **o, long long v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 || n < width);
    while (n)
        *(*o)++ = tmp[--n];
}

/* "YYYY-MM-DDTHH:MM:SS": the common part of every iso text this file writes (by hand: this
 * runs for every sample of a power log, and printf was most of its cost). */
static char *put_date_time(char *o, long long y, int mo, int d, int h, int mi, int sec)
{
    put_num(&o, y, 4);
    const int parts[] = {mo, d, h, mi, sec};
    const char seps[] = {'-', '-', 'T', ':', ':'};
    for (int i = 0; i < 5; i++) {
        *o++ = seps[i];
        put_num(&o, parts[i], 2);
    }
    return o;
}

/* "YYYY-MM-DDTHH:MM:SS" of a Unix time, in UTC (any sign). */
static void utc_text(long long whole_s, char out[40])
{
    long long days = whole_s / 86400, rest = whole_s % 86400, y;
    if (rest < 0) { /* floor division: the seconds of a day are never negative */
        rest += 86400;
        days--;
    }
    int mo, d;
    civil_from_days(days, &y, &mo, &d);
    char *o = out;
    if (y < 0) {
        *o++ = '-';
        y = -y;
    }
    o = put_date_time(o, y, mo, d, (int)(rest / 3600), (int)(rest / 60 % 60), (int)(rest % 60));
    *o = '\0';
}

static bool parse_date_time(const char *s, struct wp_when *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, offset = 0;
    char frac[16] = "", zone[8] = "";
    size_t nf = 0;
    bool has_time = false;
    const char *p = s;
    if (read_int(&p, 4, &y) != 4 || (*p != '-' && *p != '/'))
        return false;
    char sep = *p++;
    if (!read_int(&p, 2, &mo) || *p++ != sep || !read_int(&p, 2, &d))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return false;
    if (*p == 'T' || *p == ' ') {
        while (*p == ' ' || *p == 'T')
            p++;
        /* spreadsheets re-save "00:05:27" as "0:05:27": a one-digit hour too */
        if (!read_int(&p, 2, &h) || *p++ != ':' || read_int(&p, 2, &mi) != 2)
            return false;
        if (*p == ':') {
            p++;
            if (read_int(&p, 2, &sec) != 2)
                return false;
            if (*p == '.' || *p == ',') {
                p++;
                while (is_digit(*p)) {
                    if (nf < 9)
                        frac[nf++] = *p;
                    p++;
                }
                frac[nf] = '\0';
                if (!nf)
                    return false;
            }
        }
        if (h > 23 || mi > 59 || sec > 60)
            return false;
        while (*p == ' ')
            p++;
        if (*p && !read_zone(&p, &offset, zone))
            return false;
        has_time = true;
    }
    if (*p)
        return false;
    out->whole_s = days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + sec - offset;
    out->frac_s = 0.0;
    if (nf) { /* k digits / 10^k: both exact in a double, so the division rounds correctly,
                 as strtod("0.ddd") would */
        static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
        long digits = 0;
        for (size_t i = 0; i < nf; i++)
            digits = digits * 10 + (frac[i] - '0');
        out->frac_s = (double)digits / pow10[nf];
    }
    out->has_date = out->is_written = true;
    out->has_time = has_time;
    char *o = put_date_time(out->iso, y, mo, d, h, mi, sec);
    if (nf) {
        *o++ = '.';
        memcpy(o, frac, nf);
        o += nf;
    }
    memcpy(o, zone, strlen(zone) + 1);
    return true;
}

static bool parse_seconds(const char *s, struct wp_when *out)
{
    double v;
    if (wp_parse_num(s, &v) != WP_NUM_OK || v < 0 || v > 1e13)
        return false;
    double whole = floor(v);
    out->whole_s = (long long)whole;
    out->frac_s = v - whole;
    out->has_date = v >= 1e8;
    out->iso[0] = '\0';
    if (out->has_date) { /* "YYYY-MM-DDTHH:MM:SS.mmmZ" in UTC */
        utc_text(out->whole_s, out->iso);
        char *o = out->iso + strlen(out->iso);
        unsigned ms = (unsigned)floor(out->frac_s * 1000.0 + 0.5);
        *o++ = '.';
        put_num(&o, ms > 999 ? 999 : ms, 3);
        memcpy(o, "Z", 2);
    }
    return true;
}

bool wp_time_parse(const char *s, struct wp_when *out)
{
    memset(out, 0, sizeof *out);
    while (*s == ' ')
        s++;
    char buf[64];
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (n >= 5 && is_digit(buf[0]) && is_digit(buf[3]) && (buf[4] == '-' || buf[4] == '/'))
        return parse_date_time(buf, out);
    return parse_seconds(buf, out);
}

double wp_when_diff(const struct wp_when *a, const struct wp_when *b)
{
    return (double)(b->whole_s - a->whole_s) + (b->frac_s - a->frac_s);
}

bool wp_iso8601_seconds(const char *s, double *out)
{
    struct wp_when w;
    if (!wp_time_parse(s, &w) || !w.is_written || !w.has_time)
        return false;
    *out = (double)w.whole_s + w.frac_s;
    return true;
}

bool wp_iso8601_valid(const char *s)
{
    double t;
    return wp_iso8601_seconds(s, &t);
}

bool wp_time_iso_s(const char *s, char out[WP_TIME_ISO_S_SIZE])
{
    struct wp_when w;
    out[0] = '\0';
    if (!s || !wp_time_parse(s, &w) || !w.is_written)
        return false;
    /* w.iso is "YYYY-MM-DDThh:mm:ss", then maybe ".fraction", then maybe the zone */
    const size_t len = sizeof "YYYY-MM-DDThh:mm:ss" - 1;
    const char *zone = w.iso + len;
    if (*zone == '.')
        for (zone++; is_digit(*zone); zone++) {
        }
    if (len + strlen(zone) >= WP_TIME_ISO_S_SIZE)
        return false; /* cannot happen: a zone is at most "+hh:mm" */
    memcpy(out, w.iso, len);
    memcpy(out + len, zone, strlen(zone) + 1);
    return true;
}

void wp_iso8601_keep_newest(char *newest, size_t size, double *newest_s, const char *ts)
{
    double s;
    if (!wp_iso8601_seconds(ts, &s) || (newest[0] && s <= *newest_s))
        return;
    *newest_s = s;
    size_t len = strlen(ts);
    if (len < size) {
        memcpy(newest, ts, len + 1);
        return;
    }
    char utc[40];
    utc_text((long long)floor(s), utc);
    if (strlen(utc) + 1 < size) {
        memcpy(newest, utc, strlen(utc));
        memcpy(newest + strlen(utc), "Z", 2);
    } else {
        newest[0] = '\0';
    }
}
