/* Plausibility rules (see plausible.h): a small table of what hardware can draw, and the
 * checks the ingest driver runs on every measurement.  Warnings only: a log is kept as
 * written, the user is told where it looks wrong. */
#include "ingest/plausible.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/units.h"

/* The margin over the table: energy meters estimate (CodeCarbon's TDP model, RAPL's
 * domains overlap), boards boost briefly above their rated power, and a row may add up
 * more than the named parts.  A factor of 2 leaves room for all of that and still catches
 * a unit or duration error, which is off by a factor of 1000 or more. */
#define MARGIN 2.0
/* Windows shorter than this are not checked for power: counters with 0.1 s resolution and
 * millisecond transients make a short average meaningless. */
#define MIN_DURATION_S 1.0

/* Maximum board power of accelerators, W, from the vendors' datasheets (the highest
 * form factor of each family: SXM/OAM above PCIe).  Matched as a substring of the logged
 * model, first match wins, so a name that contains another comes before it. */
static const struct {
    const char *name;
    double max_w;
} gpu_table[] = {
    {"GB200", 1200.0},    /* NVIDIA GB200 NVL72: up to 1,200 W per Blackwell GPU */
    {"GH200", 1000.0},    /* NVIDIA GH200 Grace Hopper: up to 1,000 W module */
    {"B200", 1000.0},     /* NVIDIA HGX B200: 1,000 W per GPU */
    {"B100", 700.0},      /* NVIDIA HGX B100: 700 W */
    {"H200", 700.0},      /* NVIDIA H200 SXM: up to 700 W */
    {"H100", 700.0},      /* NVIDIA H100 SXM5: up to 700 W (PCIe 350 W) */
    {"H800", 700.0},      /* NVIDIA H800 SXM5: 700 W */
    {"A100", 400.0},      /* NVIDIA A100 SXM4: 400 W (PCIe 250-300 W) */
    {"A800", 400.0},      /* NVIDIA A800 SXM4: 400 W */
    {"A6000", 300.0},     /* NVIDIA RTX A6000: 300 W */
    {"A40", 300.0},       /* NVIDIA A40: 300 W */
    {"A30", 165.0},       /* NVIDIA A30: 165 W */
    {"A10G", 300.0},      /* NVIDIA A10G (AWS): 300 W */
    {"A10", 150.0},       /* NVIDIA A10: 150 W */
    {"L40", 350.0},       /* NVIDIA L40S: 350 W (L40 300 W) */
    {"L4", 72.0},         /* NVIDIA L4: 72 W */
    {"V100", 300.0},      /* NVIDIA V100 SXM2: 300 W */
    {"P100", 300.0},      /* NVIDIA P100 SXM2: 300 W */
    {"T4", 70.0},         /* NVIDIA T4: 70 W */
    {"RTX 5090", 575.0},  /* GeForce RTX 5090: 575 W total graphics power */
    {"RTX 4090", 450.0},  /* GeForce RTX 4090: 450 W */
    {"RTX 3090", 350.0},  /* GeForce RTX 3090: 350 W */
    {"RTX 6000", 300.0},  /* RTX 6000 Ada: 300 W */
    {"MI355", 1400.0},    /* AMD Instinct MI355X: 1,400 W */
    {"MI325", 1000.0},    /* AMD Instinct MI325X: 1,000 W */
    {"MI300", 750.0},     /* AMD Instinct MI300X: 750 W */
    {"MI250", 560.0},     /* AMD Instinct MI250X: 560 W */
    {"Gaudi3", 900.0},    /* Intel Gaudi 3 OAM: 900 W */
    {"Gaudi", 600.0},     /* Intel Gaudi 2: 600 W */
    {"Apple M", 100.0},   /* Apple M-series: the whole chip stays under about 100 W */
};
/* Any current accelerator: the largest in the table. */
#define ANY_GPU_W 1400.0
/* GPUs assumed when GPU energy is logged without a count: a dense 8-GPU node. */
#define ANY_GPU_COUNT 8.0
/* CPUs: a generous 15 W per logical CPU (a 24-thread desktop part boosts to about 250 W,
 * a 384-thread server socket is rated 500 W), at least one 500 W socket (AMD EPYC 9005
 * and Intel Xeon 6 top out at 500 W), two when the count is unknown. */
#define CPU_W_PER_THREAD 15.0
#define CPU_MIN_W 500.0
#define CPU_UNKNOWN_W 1000.0
/* RAM: 1 W per GiB (DDR5 RDIMMs draw about 0.3-0.5 W per GiB; CodeCarbon's model is
 * 0.375 W per GB), 1 kW when the size is unknown.  The rest of a node (fans, disks,
 * network, power supply losses): 500 W. */
#define RAM_W_PER_GIB 1.0
#define RAM_UNKNOWN_W 1000.0
#define NODE_REST_W 500.0
/* A row that logs no hardware may be a whole job over many nodes: only a site's power is
 * a ceiling then (the largest AI data centres draw a few hundred MW). */
#define ANY_SITE_W 3e8

double wp_plausible_gpu_max_w(const char *gpu_model)
{
    for (size_t i = 0; gpu_model && i < sizeof gpu_table / sizeof gpu_table[0]; i++)
        if (strstr(gpu_model, gpu_table[i].name))
            return gpu_table[i].max_w;
    return ANY_GPU_W;
}

/* How many GPUs the row names: gpu_count, else CodeCarbon's "8 x NVIDIA ..." model. */
static double gpu_count(const struct wp_measurement *m)
{
    if (!isnan(m->gpu_count) && m->gpu_count > 0)
        return m->gpu_count;
    const char *s = m->gpu_model;
    if (s && isdigit((unsigned char)*s)) {
        char *end;
        double n = strtod(s, &end);
        if (n > 0 && strncmp(end, " x ", 3) == 0)
            return n;
    }
    return NAN;
}

static void human_power(double w, char *buf, size_t size)
{
    if (w >= 1e6)
        snprintf(buf, size, "%.3g MW", w / 1e6);
    else if (w >= 1e3)
        snprintf(buf, size, "%.3g kW", w / 1e3);
    else
        snprintf(buf, size, "%.3g W", w);
}

static void hit(struct wp_plausible *pl, enum wp_plausible_rule r, long line, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));

static void hit(struct wp_plausible *pl, enum wp_plausible_rule r, long line, const char *fmt,
                ...)
{
    if (pl->hit[r].rows++)
        return;
    pl->hit[r].line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pl->hit[r].what, sizeof pl->hit[r].what, fmt, ap);
    va_end(ap);
}

static bool has_energy(double j)
{
    return !isnan(j) && j > 0;
}

static void check_power(struct wp_plausible *pl, const struct wp_measurement *m)
{
    double dur = m->duration_s;
    double n_gpu = gpu_count(m);
    double gpu_max = wp_plausible_gpu_max_w(*m->gpu_model ? m->gpu_model : NULL);
    char have[32], limit[32];
    if (has_energy(m->gpu_energy_j) && !isnan(n_gpu)) {
        double w = m->gpu_energy_j / dur / n_gpu;
        if (w > MARGIN * gpu_max) {
            human_power(w, have, sizeof have);
            hit(pl, WP_PLAUSIBLE_GPU_POWER, m->line,
                "%s per GPU over %g GPU%s (%.60s)", have, n_gpu, n_gpu == 1 ? "" : "s",
                *m->gpu_model ? m->gpu_model : "model not logged");
        }
    }
    double cpu_max = !isnan(m->cpu_count) && m->cpu_count > 0
                         ? fmax(m->cpu_count * CPU_W_PER_THREAD, CPU_MIN_W)
                         : CPU_UNKNOWN_W;
    if (has_energy(m->cpu_energy_j) && m->cpu_energy_j / dur > MARGIN * cpu_max) {
        human_power(m->cpu_energy_j / dur, have, sizeof have);
        human_power(cpu_max, limit, sizeof limit);
        hit(pl, WP_PLAUSIBLE_CPU_POWER, m->line, "%s for CPUs that draw at most %s", have,
            limit);
    }
    if (!has_energy(m->energy_j))
        return;
    bool logged = !isnan(n_gpu) || *m->gpu_model || *m->cpu_model ||
                  (!isnan(m->cpu_count) && m->cpu_count > 0) ||
                  (!isnan(m->ram_total_bytes) && m->ram_total_bytes > 0);
    /* GPUs: as logged (0 is no GPU), else a dense node's worth */
    double gpus = !isnan(n_gpu) ? n_gpu : !isnan(m->gpu_count) ? 0.0 : ANY_GPU_COUNT;
    double ram_max = !isnan(m->ram_total_bytes) && m->ram_total_bytes > 0
                         ? m->ram_total_bytes / 1073741824.0 * RAM_W_PER_GIB
                         : RAM_UNKNOWN_W;
    double node_max = logged ? gpus * gpu_max + cpu_max + ram_max + NODE_REST_W
                             : ANY_SITE_W / MARGIN;
    double w = m->energy_j / dur;
    if (w > MARGIN * node_max) {
        human_power(w, have, sizeof have);
        human_power(node_max, limit, sizeof limit);
        hit(pl, WP_PLAUSIBLE_NODE_POWER, m->line,
            "%s (%.4g kWh in %.4g s) where %s draws at most %s", have,
            m->energy_j / WP_J_PER_KWH, dur, logged ? "the logged hardware" : "a data centre",
            limit);
    }
}

void wp_plausible_check(struct wp_plausible *pl, const struct wp_measurement *m)
{
    double dur = m->duration_s;
    if (!isnan(dur))
        pl->with_duration++;
    if (isnan(dur)) {
        if (has_energy(m->energy_j))
            hit(pl, WP_PLAUSIBLE_NO_DURATION, m->line, "%.4g kWh", m->energy_j / WP_J_PER_KWH);
        return;
    }
    if (dur <= 0) {
        if (has_energy(m->energy_j))
            hit(pl, WP_PLAUSIBLE_DURATION, m->line, "%.4g kWh in %g s", m->energy_j / WP_J_PER_KWH,
                dur);
        return;
    }
    if (dur >= MIN_DURATION_S)
        check_power(pl, m);
}

void wp_plausible_report(const struct wp_plausible *pl, const struct wp_reporter *rep,
                         const char *path, bool parser_said_no_duration)
{
    static const char *const what[WP_PLAUSIBLE_RULES] = {
        "average GPU power above twice what the GPUs can draw (their maximum board power)",
        "average CPU power above twice what the CPUs can draw",
        "average power above twice what the logged hardware can draw",
        "energy and a zero or negative duration",
        "energy and no duration, where other rows have one",
    };
    for (int r = 0; r < WP_PLAUSIBLE_RULES; r++) {
        if (!pl->hit[r].rows)
            continue;
        if (r == WP_PLAUSIBLE_NO_DURATION && (parser_said_no_duration || !pl->with_duration))
            continue;
        wp_report(rep, WP_WARN, path, pl->hit[r].line, 0,
                  "implausible: %lld row%s (first here) with %s: %s; kept as logged (a unit "
                  "or duration error?)",
                  pl->hit[r].rows, pl->hit[r].rows == 1 ? "" : "s", what[r], pl->hit[r].what);
    }
}

bool wp_plausible_part_time_power(const char *column, const char *gpu_model)
{
    static const char *const cols[] = {"power.draw", "power.draw.instant", "power_draw",
                                       "power", NULL};
    bool is_col = false;
    for (size_t i = 0; column && cols[i]; i++) /* the header may carry a unit: "[W]" */
        is_col |= strncmp(column, cols[i], strlen(cols[i])) == 0 &&
                  (column[strlen(cols[i])] == '\0' || column[strlen(cols[i])] == ' ');
    return is_col && gpu_model && (strstr(gpu_model, "A100") || strstr(gpu_model, "H100"));
}

