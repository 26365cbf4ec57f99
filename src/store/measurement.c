/* Backend-independent helpers of the store's plain structs. */
#include <math.h>
#include <string.h>

#include "store/store.h"

void wp_measurement_clear(struct wp_measurement *m)
{
    memset(m, 0, sizeof *m);
    m->phase = m->run_label = m->project_name = m->experiment_label = m->started_at = "";
    m->tracking_mode = m->tool_name = m->tool_version = "";
    m->cpu_model = m->gpu_model = m->os = m->python_version = "";
    m->country_name = m->country_iso_code = m->region = m->cloud_provider = "";
    m->cloud_region = m->on_cloud = "";
    m->duration_s = m->energy_j = m->cpu_energy_j = m->gpu_energy_j = m->ram_energy_j = NAN;
    m->emissions_g = m->emissions_rate_g_per_s = NAN;
    m->cpu_power_w = m->gpu_power_w = m->ram_power_w = NAN;
    m->pue = m->water_l = m->longitude = m->latitude = NAN;
    m->cpu_count = m->gpu_count = m->ram_total_bytes = NAN;
}
