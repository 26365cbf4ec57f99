/* The measured-or-modelled rules per meter (see basis.h and the README's "Measured or
 * modelled").  What each tool reads from counters and what it computes from a constant:
 *  - CodeCarbon never measures RAM: 3 W per 8 GB of memory before 3.0, 5 W per DIMM slot
 *    from 3.0.  Its CPU power is RAPL or Power Gadget when it can read them, else half a
 *    TDP from its table (85 W when the CPU is not in it: 42.5 W), a constant; 3.x may also
 *    scale the TDP by the CPU load, which the log does not tell apart from RAPL.  Its GPU
 *    energy is NVML's counters summed over every GPU it sees (gpu_count), used or not.
 *  - optimum-benchmark and the AI Energy Score run CodeCarbon's tracker: same RAM model.
 *  - eco2ai: CPU from a TDP table times utilisation, RAM from a per-GB constant.
 *  - Zeus, the ML.ENERGY leaderboard (Zeus), nvidia-smi, RAPL, CarbonTracker: counters. */
#include "ingest/basis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { C_CPU, C_GPU, C_RAM };

/* Per tool, the mark of each component when no row-level rule overrides it ("" = the
 * log does not tell). */
static const struct tool_basis {
    const char *tool;
    const char *basis[3]; /* cpu, gpu, ram */
} tools[] = {
    {"codecarbon", {"", WP_BASIS_MEASURED, WP_BASIS_RAM_MODEL}},
    {"optimum-benchmark", {"", WP_BASIS_MEASURED, WP_BASIS_RAM_MODEL}},
    {"ai-energy-score", {"", WP_BASIS_MEASURED, WP_BASIS_RAM_MODEL}},
    {"eco2ai", {WP_BASIS_TDP, WP_BASIS_MEASURED, WP_BASIS_RAM_MODEL}},
    {"zeus", {WP_BASIS_MEASURED, WP_BASIS_MEASURED, ""}},
    {"ml.energy leaderboard", {WP_BASIS_MEASURED, WP_BASIS_MEASURED, ""}},
    {"nvidia-smi", {"", WP_BASIS_MEASURED, ""}},
    {"rapl", {WP_BASIS_MEASURED, "", WP_BASIS_MEASURED}},
    {"carbontracker", {WP_BASIS_MEASURED, WP_BASIS_MEASURED, ""}},
};

/* The major version of "2.3.1", 0 when not a number. */
static long major_of(const char *version)
{
    char *end;
    long v = strtol(version, &end, 10);
    return end == version ? 0 : v;
}

/* CodeCarbon's CPU: a power that is a multiple of 0.5 W is half a table TDP (RAPL's
 * averages are never that round), as is a CPU model logged with its TDP; before 3.0 any
 * other power came from RAPL or Power Gadget. */
static const char *codecarbon_cpu(const struct wp_measurement *m)
{
    double p = m->cpu_power_w;
    if (m->cpu_model && strstr(m->cpu_model, "TDP"))
        return WP_BASIS_TDP;
    if (isfinite(p) && p > 0 && p * 2 == floor(p * 2))
        return WP_BASIS_TDP;
    if (isfinite(p) && major_of(m->tool_version) >= 1 && major_of(m->tool_version) < 3)
        return WP_BASIS_MEASURED;
    return "";
}

static bool unset(const char *b)
{
    return !b || !*b;
}

void wp_basis_mark(struct wp_measurement *m)
{
    const char *want[3] = {"", "", ""};
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
        if (m->tool_name && strcmp(m->tool_name, tools[i].tool) == 0)
            for (int c = 0; c < 3; c++)
                want[c] = tools[i].basis[c];
    bool codecarbon = m->tool_name && strcmp(m->tool_name, "codecarbon") == 0;
    if (codecarbon)
        want[C_CPU] = codecarbon_cpu(m);
    /* CodeCarbon sums the GPUs it sees: more than one counts idle ones unless the run
     * used them all, which its log does not say (optimum-benchmark passes the devices it
     * uses) */
    if (strcmp(want[C_GPU], WP_BASIS_MEASURED) == 0 && isfinite(m->gpu_count) &&
        m->gpu_count > 1 && codecarbon)
        want[C_GPU] = WP_BASIS_ALL_GPUS;
    const double energy[3] = {m->cpu_energy_j, m->gpu_energy_j, m->ram_energy_j};
    const char **slot[3] = {&m->cpu_basis, &m->gpu_basis, &m->ram_basis};
    for (int c = 0; c < 3; c++) {
        if (!unset(*slot[c]))
            continue;
        *slot[c] = isnan(energy[c]) ? "" : want[c];
    }
}
