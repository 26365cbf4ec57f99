/* Scales (linear and log10: domain to range in points) and their "nice" ticks with labels
 * as pango markup.  Pure arithmetic: no cairo, no text measurement (axis.c decides how
 * many ticks fit). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/render.h"

#define MINUS "\xe2\x88\x92" /* U+2212, the typographic minus */
#define TIMES "\xc3\x97"     /* U+00D7 */

enum wp_err wp_scale_fit(struct wp_scale *s, enum wp_scale_kind kind, double lo, double hi,
                         double pad, bool include_zero)
{
    if (!isfinite(lo) || !isfinite(hi) || !(pad >= 0))
        return WP_ERR_USAGE;
    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    s->kind = kind;
    if (kind == WP_SCALE_LOG10) {
        if (!(lo > 0))
            return WP_ERR_USAGE;
        double l0 = log10(lo), l1 = log10(hi);
        if (l1 - l0 < 1e-9) { /* one value: half a decade either side */
            l0 -= 0.5;
            l1 += 0.5;
        }
        double span = l1 - l0;
        s->d0 = pow(10, l0 - pad * span);
        s->d1 = pow(10, l1 + pad * span);
        return WP_OK;
    }
    if (include_zero) {
        lo = fmin(lo, 0);
        hi = fmax(hi, 0);
    }
    if (hi - lo <= 1e-12 * fmax(fabs(lo), fabs(hi))) { /* one value */
        double half = lo == 0 ? 1 : fabs(lo) * 0.1;
        if (include_zero && lo >= 0) {
            lo = 0;
            hi = hi > 0 ? hi * 1.1 : 1;
        } else {
            lo -= half;
            hi += half;
        }
    }
    double span = hi - lo;
    s->d0 = include_zero && lo == 0 ? 0 : lo - pad * span;
    s->d1 = include_zero && hi == 0 ? 0 : hi + pad * span;
    return WP_OK;
}

void wp_scale_range(struct wp_scale *s, double r0, double r1)
{
    s->r0 = r0;
    s->r1 = r1;
}

double wp_scale_map(const struct wp_scale *s, double v)
{
    double t;
    if (s->kind == WP_SCALE_LOG10) {
        double l0 = log10(s->d0), l1 = log10(s->d1);
        t = v > 0 ? (log10(v) - l0) / (l1 - l0) : 0;
    } else {
        t = (v - s->d0) / (s->d1 - s->d0);
    }
    return s->r0 + t * (s->r1 - s->r0);
}

double wp_scale_nice_step(double span, int target)
{
    if (!(span > 0) || !isfinite(span))
        return 1;
    if (target < 1)
        target = 1;
    double raw = span / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double nice = f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10;
    return nice * mag;
}

/* Digits after the point that show every multiple of step exactly (0 .. 12). */
static int decimals_for(double step)
{
    for (int k = 0; k < 12; k++) {
        double x = step * pow(10, k);
        if (fabs(x - round(x)) <= 1e-6 * x)
            return k;
    }
    return 12;
}

/* "12,345" for the integer part (digits only, no sign) of s. */
static void group_thousands(const char *digits, char *out, size_t size)
{
    size_t n = strlen(digits), k = 0;
    for (size_t i = 0; i < n && k + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
}

/* Scientific markup for v with `digits` decimals in the mantissa. */
static void sci(double v, int digits, char *buf, size_t size)
{
    int e = (int)floor(log10(fabs(v)));
    double m = fabs(v) / pow(10, e);
    if (m >= 9.9999999) { /* rounding pushed it to the next decade */
        m /= 10;
        e++;
    }
    char mant[32] = "", exp[16];
    if (fabs(m - 1) > 1e-9 || digits > 0)
        snprintf(mant, sizeof mant, "%.*f" TIMES, digits, m);
    snprintf(exp, sizeof exp, "%s%d", e < 0 ? MINUS : "", e < 0 ? -e : e);
    snprintf(buf, size, "%s%s10<sup>%s</sup>", v < 0 ? MINUS : "", mant, exp);
}

void wp_tick_label_linear(double v, double step, char *buf, size_t size)
{
    if (fabs(v) < fabs(step) * 1e-9 || v == 0) {
        snprintf(buf, size, "0");
        return;
    }
    if (fabs(v) >= 1e7 || fabs(step) < 1e-5) {
        int e = (int)floor(log10(fabs(v)));
        int digits = decimals_for(fabs(step) / pow(10, e));
        sci(v, digits > 3 ? 3 : digits, buf, size);
        return;
    }
    int dec = decimals_for(fabs(step));
    char num[64], ip[64], grouped[96];
    snprintf(num, sizeof num, "%.*f", dec, fabs(v));
    const char *point = strchr(num, '.');
    size_t ilen = point ? (size_t)(point - num) : strlen(num);
    snprintf(ip, sizeof ip, "%.*s", (int)ilen, num);
    group_thousands(ip, grouped, sizeof grouped);
    snprintf(buf, size, "%s%s%s", v < 0 ? MINUS : "", grouped, point ? point : "");
}

void wp_tick_label_log(double v, bool plain, char *buf, size_t size)
{
    if (!(v > 0)) {
        snprintf(buf, size, "0");
        return;
    }
    double l = log10(v);
    if (plain) {
        wp_tick_label_linear(v, pow(10, floor(l + 1e-9)), buf, size);
        return;
    }
    if (fabs(l - round(l)) < 1e-9) {
        int e = (int)round(l);
        snprintf(buf, size, "10<sup>%s%d</sup>", e < 0 ? MINUS : "", e < 0 ? -e : e);
        return;
    }
    sci(v, 0, buf, size);
}

static bool inside(const struct wp_scale *s, double v)
{
    double lo = fmin(s->d0, s->d1), hi = fmax(s->d0, s->d1);
    double tol = (s->kind == WP_SCALE_LOG10 ? 1e-9 * v : 1e-9 * (hi - lo));
    return v >= lo - tol && v <= hi + tol;
}

static size_t push(struct wp_tick *out, size_t n, size_t cap, double v, bool major)
{
    if (n >= cap)
        return n;
    out[n].value = v;
    out[n].is_major = major;
    out[n].label[0] = '\0';
    return n + 1;
}

static size_t linear_ticks(const struct wp_scale *s, int target, struct wp_tick *out,
                           size_t cap)
{
    double lo = fmin(s->d0, s->d1), hi = fmax(s->d0, s->d1);
    double step = wp_scale_nice_step(hi - lo, target);
    double k0 = ceil(lo / step - 1e-9), k1 = floor(hi / step + 1e-9);
    size_t n = 0;
    for (double k = k0; k <= k1 && n < cap; k++) {
        double v = k * step;
        if (fabs(v) < step * 1e-9)
            v = 0;
        n = push(out, n, cap, v, true);
        wp_tick_label_linear(v, step, out[n - 1].label, sizeof out[n - 1].label);
    }
    return n;
}

/* Ticks m x 10^k for the mantissas m in `set`, all labelled (plain numbers when every
 * tick is between 1e-4 and 1e5, or when `force_plain`). */
static size_t mantissa_ticks(const struct wp_scale *s, const int *set, size_t n_set,
                             struct wp_tick *out, size_t cap, bool force_plain)
{
    double lo = fmin(s->d0, s->d1), hi = fmax(s->d0, s->d1);
    size_t n = 0;
    for (int k = (int)floor(log10(lo)) - 1; k <= (int)ceil(log10(hi)); k++)
        for (size_t i = 0; i < n_set; i++) {
            double v = set[i] * pow(10, k);
            if (inside(s, v))
                n = push(out, n, cap, v, true);
        }
    bool plain = true;
    for (size_t i = 0; i < n; i++)
        plain &= out[i].value >= 1e-4 && out[i].value < 1e5;
    plain |= force_plain;
    for (size_t i = 0; i < n; i++)
        wp_tick_label_log(out[i].value, plain, out[i].label, sizeof out[i].label);
    return n;
}

static size_t log_ticks(const struct wp_scale *s, int target, struct wp_tick *out, size_t cap)
{
    double lmin = log10(fmin(s->d0, s->d1)), lmax = log10(fmax(s->d0, s->d1));
    int k0 = (int)ceil(lmin - 1e-9), k1 = (int)floor(lmax + 1e-9);
    int n_dec = k1 - k0 + 1;
    if (n_dec < 2) {
        /* under two decades: 1-2-5 ticks, else every integer mantissa, else linear */
        static const int s125[] = {1, 2, 5}, s1_9[] = {1, 2, 3, 4, 5, 6, 7, 8, 9},
                         s1[] = {1};
        size_t n = mantissa_ticks(s, s125, 3, out, cap, false);
        if (n > (size_t)target + 1)
            n = mantissa_ticks(s, s1, 1, out, cap, false);
        if (n < 2) {
            n = mantissa_ticks(s, s1_9, 9, out, cap, false);
            if (n > (size_t)target + 1 || n < 2)
                n = linear_ticks(s, target, out, cap);
        }
        return n;
    }
    int stride = (int)ceil((double)n_dec / (double)(target < 2 ? 2 : target));
    if (stride < 1)
        stride = 1;
    /* labelled decades: multiples of stride (so 10^0 is one), unless that leaves one */
    int offset = 0, count = 0;
    for (int k = k0; k <= k1; k++)
        count += ((k % stride) + stride) % stride == 0;
    if (count < 2)
        offset = ((k0 % stride) + stride) % stride;
    bool minors = stride == 1 && lmax - lmin <= 6.0;
    size_t n = 0;
    for (int k = (int)floor(lmin); k <= (int)ceil(lmax); k++) {
        double base = pow(10, k);
        if (k >= k0 && k <= k1) {
            bool major = (((k - offset) % stride) + stride) % stride == 0;
            n = push(out, n, cap, base, major);
            if (major)
                wp_tick_label_log(base, false, out[n - 1].label, sizeof out[n - 1].label);
        }
        for (int m = 2; minors && m <= 9; m++)
            if (inside(s, m * base))
                n = push(out, n, cap, m * base, false);
    }
    return n;
}

size_t wp_scale_ticks(const struct wp_scale *s, int target, struct wp_tick *out, size_t cap)
{
    if (cap > WP_MAX_TICKS)
        cap = WP_MAX_TICKS;
    if (target < 2)
        target = 2;
    if (!(s->d1 != s->d0) || !isfinite(s->d0) || !isfinite(s->d1))
        return 0;
    return s->kind == WP_SCALE_LOG10 ? log_ticks(s, target, out, cap)
                                     : linear_ticks(s, target, out, cap);
}

size_t wp_scale_ticks_plain(const struct wp_scale *s, int target, struct wp_tick *out,
                            size_t cap)
{
    if (s->kind != WP_SCALE_LOG10)
        return wp_scale_ticks(s, target, out, cap);
    if (cap > WP_MAX_TICKS)
        cap = WP_MAX_TICKS;
    if (target < 2)
        target = 2;
    static const int s125[] = {1, 2, 5}, s13[] = {1, 3}, s1[] = {1};
    static const struct {
        const int *m;
        size_t n;
    } sets[] = {{s125, 3}, {s13, 2}, {s1, 1}};
    size_t n = 0;
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        n = mantissa_ticks(s, sets[k].m, sets[k].n, out, cap, true);
        if (n <= (size_t)target)
            return n;
    }
    /* more decades than fit: every few decades, labelled plainly */
    n = log_ticks(s, target, out, cap);
    for (size_t i = 0; i < n; i++)
        if (out[i].is_major)
            wp_tick_label_log(out[i].value, true, out[i].label, sizeof out[i].label);
    return n;
}
