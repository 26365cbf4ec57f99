/* The table of exports (for `wattprint formats` and the export command), the checks of
 * the values the user states, and the file names of per-group outputs. */
#include "export/export.h"

#include <string.h>

const struct wp_export_format wp_export_formats[] = {
    {"boamps", "BoAmps energy report (Boavizta) per model and task, one measure per run"},
    {"sci", "Software Carbon Intensity (E x I + M) / R per task: table, CSV or JSON"},
    {"spdx", "SPDX 3.0.1 JSON-LD, AI package with energyConsumption (kWh) per model"},
    {"eu-ai-act", "energy part of the EU AI Act Model Documentation Form, Markdown or JSON"},
    {NULL, NULL},
};

static bool one_of(const char *v, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(v, *allowed) == 0)
            return true;
    return false;
}

enum wp_err wp_export_opts_check(const struct wp_export_opts *o, struct wp_diag *d)
{
    static const char *const conf[] = {"public", "internal", "confidential", "secret", NULL};
    static const char *const status[] = {"draft", "final", "corrective", "other", NULL};
    static const char *const infra[] = {"publicCloud", "privateCloud", "onPremise", "other",
                                        NULL};
    static const char *const quality[] = {"high", "medium", "low", NULL};
    const struct {
        const char *opt, *value, *const *allowed, *list;
    } checks[] = {
        {"--confidentiality", o->confidentiality, conf, "public, internal, confidential, secret"},
        {"--report-status", o->report_status, status, "draft, final, corrective, other"},
        {"--infra-type", o->infra_type, infra, "publicCloud, privateCloud, onPremise, other"},
        {"--quality", o->quality, quality, "high, medium, low"},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
        if (checks[i].value && !one_of(checks[i].value, checks[i].allowed))
            return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "%s: \"%s\" is not one of %s",
                               checks[i].opt, checks[i].value, checks[i].list);
    return WP_OK;
}

/* Appends s sanitised to buf[*k..cap): '/' as "--", other bytes outside the safe set as
 * '_' (one per UTF-8 character), a leading '.' too. */
static void put_name(const char *s, char *buf, size_t *k, size_t cap)
{
    for (const unsigned char *p = (const unsigned char *)s; *p && *k < cap; p++) {
        if (*p == '/') {
            if (*k + 2 > cap)
                break;
            buf[(*k)++] = '-';
            buf[(*k)++] = '-';
            continue;
        }
        if ((*p & 0xC0) == 0x80)
            continue;
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || (*p == '.' && *k > 0);
        buf[(*k)++] = ok ? (char)*p : '_';
    }
}

void wp_export_file_name(const char *model, const char *task, const char *ext, char *buf,
                         size_t size)
{
    size_t ext_len = strlen(ext);
    if (size <= ext_len + 1) {
        if (size)
            buf[0] = '\0';
        return;
    }
    size_t cap = size - ext_len - 1, k = 0;
    if (cap > 200)
        cap = 200;
    put_name(model, buf, &k, cap > 100 ? cap - 100 : cap);
    if (task && *task && k + 2 < cap) {
        buf[k++] = '_';
        buf[k++] = '_';
        put_name(task, buf, &k, cap);
    }
    if (k == 0)
        buf[k++] = '_';
    snprintf(buf + k, size - k, "%s", ext);
}
