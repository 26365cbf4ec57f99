/* Backend-independent helpers of the store's plain structs, and the keys both backends
 * compute the same way (which run a measurement joins, dimension cache keys). */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"

#define TEXT(member) offsetof(struct wp_measurement, member)
const size_t wp_measurement_text[WP_MEASUREMENT_N_TEXT] = {
    TEXT(phase),        TEXT(run_label),      TEXT(project_name), TEXT(experiment_label),
    TEXT(started_at),   TEXT(tracking_mode),  TEXT(tool_name),    TEXT(tool_version),
    TEXT(cpu_model),    TEXT(gpu_model),      TEXT(os),           TEXT(python_version),
    TEXT(country_name), TEXT(country_iso_code), TEXT(region),     TEXT(cloud_provider),
    TEXT(cloud_region), TEXT(on_cloud),       TEXT(cpu_basis),    TEXT(gpu_basis),
    TEXT(ram_basis),
};
#undef TEXT

void wp_measurement_clear(struct wp_measurement *m)
{
    memset(m, 0, sizeof *m);
    m->phase = m->run_label = m->project_name = m->experiment_label = m->started_at = "";
    m->tracking_mode = m->tool_name = m->tool_version = "";
    m->cpu_model = m->gpu_model = m->os = m->python_version = "";
    m->country_name = m->country_iso_code = m->region = m->cloud_provider = "";
    m->cloud_region = m->on_cloud = "";
    m->cpu_basis = m->gpu_basis = m->ram_basis = "";
    m->duration_s = m->energy_j = m->cpu_energy_j = m->gpu_energy_j = m->ram_energy_j = NAN;
    m->emissions_g = m->emissions_rate_g_per_s = NAN;
    m->cpu_power_w = m->gpu_power_w = m->ram_power_w = NAN;
    m->pue = m->water_l = m->longitude = m->latitude = NAN;
    m->cpu_count = m->gpu_count = m->ram_total_bytes = NAN;
}

bool wp_basis_is_modelled(const char *basis)
{
    return basis && strncmp(basis, "modelled", 8) == 0;
}

int wp_basis_kind(const char *basis)
{
    static const char *const marks[] = {WP_BASIS_MEASURED, WP_BASIS_ALL_GPUS,
                                        WP_BASIS_RAM_MODEL, WP_BASIS_TDP};
    for (int k = 0; basis && k < 4; k++)
        if (strcmp(basis, marks[k]) == 0)
            return k;
    return WP_BK_UNKNOWN;
}

bool wp_basis_kind_is_modelled(int k)
{
    return k == WP_BK_RAM_MODEL || k == WP_BK_TDP;
}

/* A CodeCarbon run id is a UUID (8-4-4-4-12 hex digits) unless a user set their own. */
static bool is_uuid(const char *s)
{
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
        } else if (!isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

bool wp_store_has_run_uid(const struct wp_measurement *m)
{
    return is_uuid(m->run_label);
}

bool wp_store_run_key(const struct wp_measurement *m, long long source_id,
                      const char *group_key, char key[128])
{
    if (is_uuid(m->run_label)) {
        size_t i;
        for (i = 0; m->run_label[i]; i++)
            key[i] = (char)tolower((unsigned char)m->run_label[i]);
        key[i] = '\0';
        return true;
    }
    if (group_key) {
        snprintf(key, 128, "source:%lld:%.80s", source_id, group_key);
        return true;
    }
    return false;
}

char *wp_store_join_key(const char *const *parts, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(parts[i]) + 1;
    char *k = malloc(len), *p = k;
    if (!k)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(parts[i]);
        memcpy(p, parts[i], l);
        p += l;
        *p++ = '\x1f';
    }
    *p = '\0';
    return k;
}

void wp_store_bits_hex(double v, char out[20])
{
    static const char hex[] = "0123456789abcdef";
    unsigned long long u;
    memcpy(&u, &v, sizeof u);
    for (int i = 15; i >= 0; i--, u >>= 4)
        out[i] = hex[u & 15];
    out[16] = '\0';
}
