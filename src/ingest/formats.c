/* The table of input formats, in detection order, and the header-line helper the
 * detectors share. */
#include <string.h>

#include "ingest/ingest.h"

extern const struct wp_format wp_format_codecarbon;
extern const struct wp_format wp_format_nvidia_smi;
extern const struct wp_format wp_format_eco2ai;
extern const struct wp_format wp_format_optimum_benchmark;
extern const struct wp_format wp_format_ml_energy;
extern const struct wp_format wp_format_zeus;
extern const struct wp_format wp_format_carbontracker;
extern const struct wp_format wp_format_rapl;
extern const struct wp_format wp_format_boamps;
extern const struct wp_format wp_format_generic;

const struct wp_format *const wp_formats[] = {
    &wp_format_codecarbon,
    &wp_format_nvidia_smi,
    &wp_format_eco2ai,
    &wp_format_optimum_benchmark,
    &wp_format_ml_energy,
    &wp_format_zeus,
    &wp_format_carbontracker,
    &wp_format_rapl,
    &wp_format_boamps,
    &wp_format_generic, /* never detected: --format generic --map */
    NULL,
};

const struct wp_format *wp_format_find(const char *name)
{
    for (size_t i = 0; wp_formats[i]; i++)
        if (strcmp(wp_formats[i]->name, name) == 0)
            return wp_formats[i];
    return NULL;
}

bool wp_format_is_detected(const struct wp_format *f)
{
    return f->detect || f->detect_header;
}

int wp_format_detect(const struct wp_format *f, const char *head, size_t len, const char *name,
                     char *why, size_t why_size)
{
    if (f->detect)
        return f->detect(head, len, name, why, why_size);
    if (!f->detect_header)
        return 0;
    char buf[8192];
    const char *names[256];
    size_t n = wp_head_names(head, len, buf, sizeof buf, names, 256);
    return f->detect_header(names, n, why, why_size);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '"')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '"' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

size_t wp_head_names(const char *head, size_t len, char *buf, size_t buf_size,
                     const char **names, size_t max)
{
    if (len >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0) {
        head += 3;
        len -= 3;
    }
    const char *nl = memchr(head, '\n', len);
    size_t n = nl ? (size_t)(nl - head) : len;
    if (n >= buf_size)
        n = buf_size - 1;
    memcpy(buf, head, n);
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) /* binary: no header */
        return 0;
    /* split by hand as strtok_r(",") would (runs of commas are one separator): every
     * detector splits every file's header, and strtok's per-call setup was most of it */
    size_t count = 0;
    char *p = buf;
    while (count < max) {
        while (*p == ',')
            p++;
        if (!*p)
            break;
        char *tok = p;
        while (*p && *p != ',')
            p++;
        if (*p)
            *p++ = '\0';
        names[count++] = trim(tok);
    }
    return count;
}
