/* Sentences on measured and modelled components (see basis.h).  Specific on purpose: a
 * reader must learn which component is an estimate, by which rule, and how many of the
 * measurements it concerns. */
#include "report/basis.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/units.h"

/* The format attribute lets both compilers check each call's arguments; clang also
 * refuses (-Wformat-nonliteral) to pass an unattributed fmt on to vsnprintf. */
static void add(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    if (used) {
        buf[used++] = ' ';
        buf[used] = '\0';
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

/* 17540 -> "17,540" (prose, as the report prints counts) */
static const char *grouped(long long v, char out[32])
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v), o = 0;
    if (v < 0)
        out[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

static long long total_of(const struct wp_basis_summary *b, int c)
{
    long long t = 0;
    for (int k = 0; k < WP_N_BK; k++)
        t += b->n[c][k];
    return t;
}

/* "430.8 W on every one" or "from 12.0 to 30.5 W" */
static void power_words(double lo, double hi, char *out, size_t size)
{
    if (!isfinite(lo) || !isfinite(hi))
        snprintf(out, size, "a power the log does not give");
    else if (lo == hi)
        snprintf(out, size, "a constant %.1f W", lo);
    else
        snprintf(out, size, "%.1f to %.1f W", lo, hi);
}

void wp_basis_sentences(const struct wp_basis_summary *b, char *buf, size_t size)
{
    static const char *const names[WP_N_COMP] = {"CPU", "GPU", "RAM"};
    char p[96], g1[32], g2[32];
    if (!size)
        return;
    buf[0] = '\0';
    /* the components a tool models from a power figure: the words around the share of
     * measurements and around the power range */
    static const struct {
        int comp, basis;
        const char *what, *before_power, *after_power;
    } modelled[] = {
        {WP_COMP_RAM, WP_BK_RAM_MODEL, "RAM energy is modelled, not measured,",
         "CodeCarbon takes RAM power from the memory size (3 W per 8 GB before version 3, "
         "5 W per DIMM slot from 3.0), here ",
         ""},
        {WP_COMP_CPU, WP_BK_TDP,
         "CPU energy is modelled from a thermal design power (TDP) table, not read from "
         "RAPL counters,",
         "", ", half a TDP (the CodeCarbon fallback, with 85 W for a CPU missing from its "
             "table)"},
    };
    long long n;
    for (size_t i = 0; i < sizeof modelled / sizeof modelled[0]; i++) {
        int c = modelled[i].comp, k = modelled[i].basis;
        if (!(n = b->n[c][k]))
            continue;
        power_words(b->power_lo_w[c][k], b->power_hi_w[c][k], p, sizeof p);
        add(buf, size, "%s in %s of the %s measurements that log it: %s%s%s.",
            modelled[i].what, grouped(n, g1), grouped(total_of(b, c), g2),
            modelled[i].before_power, p, modelled[i].after_power);
    }
    if ((n = b->n[WP_COMP_GPU][WP_BK_ALL_GPUS])) {
        double g = b->gpus_max[WP_COMP_GPU][WP_BK_ALL_GPUS];
        char gpus[32] = "several";
        if (isfinite(g))
            snprintf(gpus, sizeof gpus, "up to %.0f", g);
        add(buf, size,
            "GPU energy is read from NVML counters but summed over every GPU of the node "
            "(%s) in %s of the %s measurements that log it: GPUs a run did not use are "
            "counted at their idle power.",
            gpus, grouped(n, g1), grouped(total_of(b, WP_COMP_GPU), g2));
    }
    for (int c = 0; c < WP_N_COMP; c++)
        if ((n = b->n[c][WP_BK_UNKNOWN]))
            add(buf, size,
                "Whether %s energy was measured or modelled is not told by the logs of %s "
                "of the %s measurements that log it.",
                names[c], grouped(n, g1), grouped(total_of(b, c), g2));
}

/* Which energy the figures use, and each idle host's baseline. */
static void energy_words(const struct wp_restate *r, char *buf, size_t size)
{
    if (r->above_idle)
        add(buf, size, "Energy figures are above idle: each run's energy less its host's idle "
                       "power times the run's duration (runs on hosts without an idle "
                       "baseline, or without a duration, are left out).");
    else
        add(buf, size, "Energy figures are each run's total as measured, idle power included.");
    if (!r->n_hosts) {
        add(buf, size, "No idle window was logged (wattprint ingest --idle), so there is no "
                       "above-idle figure.");
        return;
    }
    for (size_t i = 0; i < r->n_hosts; i++) {
        const struct wp_idle_host *h = &r->hosts[i];
        if (wp_idle_host_has_power(h))
            add(buf, size, "Idle baseline of %s: %.4g W over %zu idle window(s) of %.4g s in all.",
                h->name, h->power_w, h->n_windows, h->duration_s);
        else
            add(buf, size, "The %zu idle window(s) of %s (%.4g s in all) were logged without "
                           "energy: no idle power.", h->n_windows, h->name, h->duration_s);
        if (h->n_runs)
            add(buf, size, "Its %lld run(s) here: %.4g kWh total, %.4g kWh above idle (%.1f%%).",
                h->n_runs, h->energy_j / WP_J_PER_KWH, h->above_idle_j / WP_J_PER_KWH,
                h->energy_j > 0 ? 100.0 * h->above_idle_j / h->energy_j : 0.0);
    }
    long long left_out = r->runs - r->runs_on_idle_hosts;
    if (r->above_idle && left_out > 0)
        add(buf, size, "%lld of the %lld runs are left out: their energy above idle is "
                       "unknown.", left_out, r->runs);
}

bool wp_basis_any_emissions(const struct wp_group_stats *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isfinite(g[i].g.mean))
            return true;
    return false;
}

void wp_basis_assumptions(double pue, const struct wp_restate *r, bool emissions_logged,
                          char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    if (r)
        energy_words(r, buf, size);
    if (isnan(pue) || pue == 1)
        add(buf, size, "A power usage effectiveness (PUE) of 1 is assumed: the energy is "
                       "that of the computer, without the cooling and power losses of the "
                       "data centre.");
    else
        add(buf, size, "A power usage effectiveness (PUE) of %.3g is assumed, not measured.",
            pue);
    if (r && r->has_intensity)
        add(buf, size,
            "Emissions use an hourly %s carbon intensity from %s%s%s (%s), time-weighted over "
            "each run's start and end: %lld of %lld run(s)%s; the other runs keep the "
            "intensity their tools applied, a country's or region's annual average.",
            wp_intensity_basis_name(r->intensity.basis), r->intensity_file,
            r->intensity.zone[0] ? ", zone " : "", r->intensity.zone, r->intensity.column,
            r->intensity_applied, r->intensity_applied + r->intensity_outside,
            r->intensity_applied ? "" : " (none in the file's hours)");
    else if (emissions_logged)
        add(buf, size,
            "Emissions use the carbon intensity the measuring tools applied, the annual "
            "average of a country or region from a table, not the grid at the hour of the "
            "run.");
    else
        add(buf, size, "The logs hold no emissions (their meters logged energy alone), so "
                       "no figure here is in g CO2eq.");
    if (emissions_logged || (r && r->has_intensity))
        add(buf, size, "No embodied emissions (making the hardware) are included.");
}
