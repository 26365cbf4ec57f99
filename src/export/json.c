/* The exports' JSON writer (see json.h). */
#include "export/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

void wp_xj_init(struct wp_xjson *j, FILE *out)
{
    j->out = out;
    j->depth = 0;
    j->has_item[0] = false;
}

/* The separator, indentation and key of the next member. */
static void member(struct wp_xjson *j, const char *key)
{
    if (j->depth > 0) {
        fputs(j->has_item[j->depth] ? ",\n" : "\n", j->out);
        j->has_item[j->depth] = true;
        for (int i = 0; i < j->depth; i++)
            fputs("  ", j->out);
    }
    if (key) {
        wp_json_put_text(j->out, key);
        fputs(": ", j->out);
    }
}

void wp_xj_open(struct wp_xjson *j, const char *key, char bracket)
{
    member(j, key);
    fputc(bracket, j->out);
    if (j->depth + 1 < WP_XJ_DEPTH)
        j->depth++;
    j->has_item[j->depth] = false;
}

void wp_xj_close(struct wp_xjson *j, char bracket)
{
    bool had = j->has_item[j->depth];
    if (j->depth > 0)
        j->depth--;
    if (had) {
        fputc('\n', j->out);
        for (int i = 0; i < j->depth; i++)
            fputs("  ", j->out);
    }
    fputc(bracket, j->out);
}

void wp_xj_str(struct wp_xjson *j, const char *key, const char *v)
{
    member(j, key);
    wp_json_put_text(j->out, v);
}

void wp_xj_str_opt(struct wp_xjson *j, const char *key, const char *v)
{
    if (v && *v)
        wp_xj_str(j, key, v);
}

const char *wp_xj_fmt(double v, char *buf, size_t size)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

const char *wp_xj_decimal(double v, char *buf, size_t size)
{
    char e[40];
    int digits = 15;
    for (; digits <= 17; digits++) { /* the fewest significant digits that read back */
        snprintf(e, sizeof e, "%.*e", digits - 1, v);
        if (strtod(e, NULL) == v)
            break;
    }
    /* "-d.ddde[+-]XX" -> the same digits with the point moved, no exponent */
    char mant[40];
    size_t m = 0;
    const char *p = e;
    bool neg = *p == '-';
    p += neg;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            mant[m++] = *p;
    while (m > 1 && mant[m - 1] == '0')
        m--;
    mant[m] = '\0';
    int exp10 = *p == 'e' ? atoi(p + 1) : 0; /* the point sits after mant[exp10] */
    size_t k = 0;
    if (neg && !(m == 1 && mant[0] == '0'))
        k += (size_t)snprintf(buf + k, size - k, "-");
    if (exp10 < 0) {
        k += (size_t)snprintf(buf + k, size - k, "0.");
        for (int i = -1; i > exp10 && k < size; i--)
            k += (size_t)snprintf(buf + k, size - k, "0");
        snprintf(buf + k, size - k, "%s", mant);
    } else if ((size_t)exp10 + 1 >= m) {
        k += (size_t)snprintf(buf + k, size - k, "%s", mant);
        for (size_t i = m; i < (size_t)exp10 + 1 && k < size; i++)
            k += (size_t)snprintf(buf + k, size - k, "0");
    } else {
        snprintf(buf + k, size - k, "%.*s.%s", exp10 + 1, mant, mant + exp10 + 1);
    }
    return buf;
}

void wp_xj_num(struct wp_xjson *j, const char *key, double v)
{
    char buf[40];
    member(j, key);
    if (isfinite(v))
        fputs(wp_xj_fmt(v, buf, sizeof buf), j->out);
    else
        fputs("null", j->out);
}

void wp_xj_int(struct wp_xjson *j, const char *key, long long v)
{
    member(j, key);
    fprintf(j->out, "%lld", v);
}

void wp_xj_null(struct wp_xjson *j, const char *key)
{
    member(j, key);
    fputs("null", j->out);
}

void wp_xj_bool(struct wp_xjson *j, const char *key, bool v)
{
    member(j, key);
    fputs(v ? "true" : "false", j->out);
}

void wp_xj_end(struct wp_xjson *j)
{
    fputc('\n', j->out);
}
