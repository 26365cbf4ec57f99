/* Text helpers (see text.h). */
#include "util/text.h"

#include <math.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool wp_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str, *e = s + len;
    while (s < e) {
        /* eight ASCII bytes without a NUL at a time (most log text) */
        while (e - s >= 8) {
            uint64_t w;
            memcpy(&w, s, 8);
            if ((w & 0x8080808080808080ull) ||
                ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
                break; /* a byte >= 0x80, or a zero byte: the loop below decides */
            s += 8;
        }
        if (s == e)
            break;
        unsigned c = *s;
        if (c == 0)
            return false;
        if (c < 0x80) {
            s++;
            continue;
        }
        int n;
        unsigned min;
        if ((c & 0xe0) == 0xc0) {
            n = 1, min = 0x80, c &= 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2, min = 0x800, c &= 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3, min = 0x10000, c &= 0x07;
        } else {
            return false;
        }
        if (e - s <= n)
            return false;
        for (int i = 1; i <= n; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return false;
            c = (c << 6) | (s[i] & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return false;
        s += n + 1;
    }
    return true;
}

/* Code points of bytes 0x80..0x9f in Windows-1252 (0 = undefined). */
static const unsigned short cp1252_high[32] = {
    0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017d, 0,
    0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178,
};

size_t wp_cp1252_to_utf8(const char *str, size_t len, char *out)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned c = s[i];
        if (c >= 0x80 && c < 0xa0)
            c = cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : 0xfffd;
        else if (c == 0)
            c = 0xfffd;
        if (c < 0x80) {
            out[o++] = (char)c;
        } else if (c < 0x800) {
            out[o++] = (char)(0xc0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3f));
        } else {
            out[o++] = (char)(0xe0 | (c >> 12));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
            out[o++] = (char)(0x80 | (c & 0x3f));
        }
    }
    out[o] = '\0';
    return o;
}

void wp_strlcpy_utf8(char *dst, const char *src, size_t size)
{
    if (!size)
        return;
    size_t n = strlen(src);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

const char *wp_tool_display(const char *id)
{
    static const struct {
        const char *id, *name;
    } names[] = {
        {"codecarbon", "CodeCarbon"},
        {"carbontracker", "carbontracker"},
        {"eco2ai", "eco2AI"},
        {"zeus", "Zeus"},
        {"nvidia-smi", "nvidia-smi"},
        {"optimum-benchmark", "optimum-benchmark"},
        {"ml.energy leaderboard", "ML.ENERGY leaderboard"},
        {"rapl", "Linux RAPL counters"},
        {"generic", "an in-house log (generic CSV)"},
    };
    for (size_t i = 0; id && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(id, names[i].id) == 0)
            return names[i].name;
    return id;
}

/* The length of the well-formed UTF-8 sequence at s (of at most `left` bytes), 0 if none. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
    size_t n = *s < 0x80 ? 1 : (*s & 0xe0) == 0xc0 ? 2 : (*s & 0xf0) == 0xe0 ? 3
             : (*s & 0xf8) == 0xf0 ? 4 : 0;
    return n && n <= left && wp_utf8_valid((const char *)s, n) ? n : 0;
}

size_t wp_text_format_char(const char *str, unsigned *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = 0;
    size_t n = 0;
    if (s[0] == 0xd8 && s[1] == 0x9c) {
        c = 0x061c, n = 2; /* Arabic letter mark */
    } else if (s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x80 && s[2] <= 0xbf) {
        c = 0x2000 + (s[2] - 0x80);
        n = c == 0x200b || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ? 3 : 0;
    } else if (s[0] == 0xe2 && s[1] == 0x81 && s[2] >= 0x80 && s[2] <= 0xbf) {
        c = 0x2040 + (s[2] - 0x80);
        n = c == 0x2060 || (c >= 0x2066 && c <= 0x2069) ? 3 : 0;
    } else if (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
        c = 0xfeff, n = 3;
    } else if (s[0] == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf)) {
        c = 0xfffe + (s[2] - 0xbe), n = 3;
    }
    if (n && cp)
        *cp = c;
    return n;
}

enum esc_mode {
    ESC_INVALID,  /* only bytes that are not well-formed UTF-8 */
    ESC_TERMINAL, /* and controls (\n too) and formatting characters */
    ESC_DISPLAY,  /* the same, but line ends and tabs kept */
};

static char *escape(const char *str, enum esc_mode mode);

char *wp_text_escape_controls(const char *str)
{
    return escape(str, ESC_TERMINAL);
}

char *wp_text_escape_display(const char *str)
{
    return escape(str, ESC_DISPLAY);
}

char *wp_text_escape_invalid_utf8(const char *str)
{
    return escape(str, ESC_INVALID);
}

static char *escape(const char *str, enum esc_mode mode)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t len = strlen(str);
    char *out = malloc(6 * len + 1), *w = out; /* at most \u00HH per character */
    if (!out)
        return NULL;
    for (size_t i = 0; i < len;) {
        unsigned c = s[i], cp;
        size_t n = utf8_seq(s + i, len - i);
        if (mode == ESC_INVALID && n) {
            memcpy(w, s + i, n);
            w += n;
            i += n;
        } else if (mode == ESC_DISPLAY && (c == '\n' || c == '\t')) {
            *w++ = (char)c;
            i++;
        } else if (c == '\n' || c == '\r' || c == '\t') {
            *w++ = '\\';
            *w++ = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
            i++;
        } else if (c < 0x20 || c == 0x7f || n == 0) {
            w += sprintf(w, "\\x%02x", c);
            i++;
        } else if (n == 2 && c == 0xc2 && s[i + 1] < 0xa0) {
            w += sprintf(w, "\\u%04x", (unsigned)s[i + 1]); /* C1: U+0080..U+009F */
            i += 2;
        } else if (n > 1 && wp_text_format_char(str + i, &cp) == n) {
            w += sprintf(w, "\\u%04x", cp);
            i += n;
        } else {
            memcpy(w, s + i, n);
            w += n;
            i += n;
        }
    }
    *w = '\0';
    return out;
}

void wp_json_put_text(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

void wp_yaml_put_text(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        unsigned c = *p;
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc((int)c, out);
        } else if (c == '\n') {
            fputs("\\n", out);
        } else if (c == '\t') {
            fputs("\\t", out);
        } else if (c == '\r') {
            fputs("\\r", out);
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(out, "\\x%02x", c);
        } else if (c == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) { /* C1 controls, U+0085 */
            fprintf(out, "\\u00%02x", p[1]);
            p++;
        } else if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
            fputs(p[2] == 0xA8 ? "\\L" : "\\P", out); /* line and paragraph separators */
            p += 2;
        } else if (c == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
            fputs("\\uFEFF", out);
            p += 2;
        } else if (c == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
            fputs(p[2] == 0xBE ? "\\uFFFE" : "\\uFFFF", out); /* noncharacters */
            p += 2;
        } else {
            fputc((int)c, out);
        }
    }
    fputc('"', out);
}

void wp_text_task_words(char *p)
{
    static const char *const caps[] = {"qa", "lm", "llm", "asr", "ner", "ocr", "tts", "vqa",
                                       "nli", "mt"};
    for (char *c = p; *c; c++)
        if (*c == '_')
            *c = ' ';
    for (char *w = p; *w;) {
        size_t n = strcspn(w, " ");
        for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
            if (strlen(caps[i]) == n && strncmp(w, caps[i], n) == 0)
                for (size_t k = 0; k < n; k++)
                    w[k] = (char)(w[k] - 'a' + 'A');
        w += n + (w[n] == ' ');
    }
}

void wp_text_sig(double x, int sig, char *buf, size_t size)
{
    if (!isfinite(x)) {
        snprintf(buf, size, "n/a");
        return;
    }
    if (x == 0) {
        snprintf(buf, size, "0");
        return;
    }
    int mag = (int)floor(log10(fabs(x)));
    int dec = sig - 1 - mag;
    if (dec < 0) { /* more integer digits than kept: round them away */
        double q = pow(10, -dec);
        x = round(x / q) * q;
        dec = 0;
    }
    char raw[400];
    snprintf(raw, sizeof raw, "%.*f", dec > 300 ? 300 : dec, fabs(x));
    /* rounding up may add a digit (9.9996 -> 10.000): keep sig digits */
    if (dec > 0 && (int)floor(log10(fabs(atof(raw)))) > mag)
        snprintf(raw, sizeof raw, "%.*f", dec - 1, fabs(x));
    const char *dot = strchr(raw, '.');
    size_t int_len = dot ? (size_t)(dot - raw) : strlen(raw), o = 0;
    char out[512];
    if (x < 0 && atof(raw) != 0)
        out[o++] = '-';
    for (size_t i = 0; i < int_len && o < sizeof out - 2; i++) {
        if (i && (int_len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = raw[i];
    }
    snprintf(out + o, sizeof out - o, "%s", dot ? dot : "");
    snprintf(buf, size, "%s", out);
}
