/* The restating options and what the commands print about them (cli/restate.h).  The
 * numbers come from analysis/restate.c; this file only parses and words them. */
#include "cli/restate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/text.h"
#include "util/units.h"

int wp_cli_restate_opt(const char *cmd, int opt, const char *arg, struct wp_restate_opts *o)
{
    switch (opt) {
    case 0x200: o->above_idle = true; return 1;
    case 0x201: o->intensity_path = arg; return 1;
    case 0x202: o->intensity.zone = arg; return 1;
    case 0x203: o->intensity.prefer_lca = true; return 1;
    case 0x204:
        if (strcmp(arg, "location") == 0)
            o->intensity.basis = WP_INTENSITY_LOCATION;
        else if (strcmp(arg, "market") == 0)
            o->intensity.basis = WP_INTENSITY_MARKET;
        else
            return wp_cli_usage(cmd, "--intensity-basis: give location or market"), -1;
        return 1;
    default: return 0;
    }
}

bool wp_cli_restate_check(const char *cmd, const struct wp_restate_opts *o)
{
    if (!o->intensity_path &&
        (o->intensity.zone || o->intensity.prefer_lca || o->intensity.basis))
        return wp_cli_usage(cmd, "--zone, --intensity-lca and --intensity-basis go with "
                                 "--intensity FILE"), false;
    return true;
}

bool wp_cli_restate_setup(struct wp_store *s, const struct wp_restate_opts *o,
                          struct wp_run_filter *f, struct wp_restate *r)
{
    struct wp_diag d = {0};
    enum wp_err e = wp_restate_load(s, f->phase, o, r, &d);
    if (!e)
        e = wp_restate_summarise(s, f, r, &d);
    if (e) {
        wp_cli_error(&d);
        wp_restate_free(r);
        return false;
    }
    if (wp_restate_active(r)) {
        f->adjust = wp_restate_adjust;
        f->adjust_ctx = r;
    }
    return true;
}

/* " (cpu 20 W, gpu 70 W, ram 10 W)" for the parts known. */
static void parts(const struct wp_idle_host *h, FILE *out)
{
    const double w[3] = {h->cpu_power_w, h->gpu_power_w, h->ram_power_w};
    const char *const name[3] = {"CPU", "GPU", "RAM"};
    bool first = true;
    for (int k = 0; k < 3; k++)
        if (isfinite(w[k])) {
            fprintf(out, "%s%s %.4g W", first ? " (" : ", ", name[k], w[k]);
            first = false;
        }
    if (!first)
        fputs(")", out);
}

void wp_cli_restate_note(const struct wp_restate *r, FILE *out)
{
    fprintf(out, "Energy: %s.", r->above_idle
                                    ? "above idle (each run less its host's idle power times "
                                      "its duration; runs on hosts without a baseline, or "
                                      "without a duration, left out)"
                                    : "total, as measured");
    if (!r->n_hosts) {
        fputs(" Idle baseline: none (no log marked as an idle window: wattprint ingest "
              "--idle FILE, or a manifest column idle), so no above-idle figure.\n", out);
    } else {
        fputs("\n", out);
        for (size_t i = 0; i < r->n_hosts; i++) {
            const struct wp_idle_host *h = &r->hosts[i];
            char *name = wp_text_escape_controls(h->name);
            fprintf(out, "Idle baseline of %s: %zu idle window(s) over %.4g s", name ? name : "?",
                    h->n_windows, h->duration_s);
            free(name);
            if (wp_idle_host_has_power(h)) {
                fprintf(out, ", %.4g W", h->power_w);
                parts(h, out);
            } else {
                fputs(", logged without energy: no idle power", out);
            }
            if (h->n_runs)
                fprintf(out, "; its %lld run(s) here: %.6g kWh total, %.6g kWh above idle "
                             "(%.1f%%)",
                        h->n_runs, h->energy_j / WP_J_PER_KWH, h->above_idle_j / WP_J_PER_KWH,
                        h->energy_j > 0 ? 100.0 * h->above_idle_j / h->energy_j : 0.0);
            if (h->n_clamped)
                fprintf(out, "; %lld run(s) below idle counted as 0 above", h->n_clamped);
            if (h->n_no_duration)
                fprintf(out, "; %lld run(s) without a duration, so no idle energy to take "
                             "off: %s", h->n_no_duration, r->above_idle ? "left out"
                                                                        : "total energy only");
            fputs(".\n", out);
        }
        long long other = r->runs - r->runs_on_idle_hosts - r->runs_no_duration;
        if (other > 0)
            fprintf(out, "%lld run(s) on hosts without an idle baseline: %s.\n", other,
                    r->above_idle ? "left out" : "total energy only");
    }
    if (!r->has_intensity) {
        fputs("Carbon intensity: as the measuring tools logged it (a country's or region's "
              "annual average; --intensity FILE applies an hourly one).\n", out);
        return;
    }
    char *file = wp_text_escape_controls(r->intensity_file);
    char *zone = wp_text_escape_controls(r->intensity.zone);
    fprintf(out, "Carbon intensity: hourly, %s, from %s%s%s (%s, every %.4g s), time-weighted "
                 "over each run's start-to-end window: %lld of %lld run(s)",
            wp_intensity_basis_name(r->intensity.basis), file ? file : "?",
            zone && zone[0] ? ", zone " : "", zone ? zone : "", r->intensity.column,
            r->intensity.step_s, r->intensity_applied, r->intensity_applied +
                                                           r->intensity_outside);
    free(file);
    free(zone);
    if (r->intensity_applied && r->emissions_logged_runs)
        fprintf(out, ", energy-weighted mean %.4g g CO2eq/kWh, %.6g g CO2eq (as logged %.6g)",
                r->intensity_mean_g_per_kwh, r->emissions_hourly_g, r->emissions_logged_g);
    else if (r->intensity_applied)
        fprintf(out, ", energy-weighted mean %.4g g CO2eq/kWh, %.6g g CO2eq (none logged)",
                r->intensity_mean_g_per_kwh, r->emissions_hourly_g);
    if (r->intensity_outside)
        fprintf(out, "; %lld run(s) outside the file's hours keep the logged emissions",
                r->intensity_outside);
    fputs(".\n", out);
}

static void num(FILE *out, const char *key, double v)
{
    fprintf(out, "\"%s\": ", key);
    if (isfinite(v))
        fprintf(out, "%.17g", v);
    else
        fputs("null", out);
}

struct named_num {
    const char *key;
    double v;
};

/* n members "key": number, separated by ", ". */
static void nums(FILE *out, const struct named_num *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", out);
        num(out, v[i].key, v[i].v);
    }
}

void wp_cli_restate_json(const struct wp_restate *r, FILE *out)
{
    fprintf(out, "\"energy\": \"%s\", \"idle_baseline\": [", r->above_idle ? "above_idle"
                                                                              : "total");
    for (size_t i = 0; i < r->n_hosts; i++) {
        const struct wp_idle_host *h = &r->hosts[i];
        fprintf(out, "%s{\"host\": ", i ? ", " : "");
        wp_json_put_text(out, h->name);
        fprintf(out, ", \"idle_windows\": %zu, ", h->n_windows);
        const struct named_num idle[] = {
            {"idle_duration_s", h->duration_s}, {"idle_power_w", h->power_w},
            {"idle_cpu_power_w", h->cpu_power_w}, {"idle_gpu_power_w", h->gpu_power_w},
            {"idle_ram_power_w", h->ram_power_w},
        };
        nums(out, idle, sizeof idle / sizeof idle[0]);
        fprintf(out, ", \"runs\": %lld, ", h->n_runs);
        const struct named_num energy[] = {
            {"energy_kwh", h->energy_j / WP_J_PER_KWH},
            {"above_idle_kwh", h->above_idle_j / WP_J_PER_KWH},
        };
        nums(out, energy, sizeof energy / sizeof energy[0]);
        fprintf(out, ", \"runs_below_idle\": %lld, \"runs_without_duration\": %lld}",
                h->n_clamped, h->n_no_duration);
    }
    fprintf(out, "], \"runs_without_idle_baseline\": %lld,\n ",
            r->runs - r->runs_on_idle_hosts - r->runs_no_duration);
    fputs("\"carbon_intensity\": ", out);
    if (!r->has_intensity) {
        fputs("{\"source\": \"as_logged\"},\n ", out);
        return;
    }
    fputs("{\"source\": \"hourly\", \"file\": ", out);
    wp_json_put_text(out, r->intensity_file);
    fputs(", \"zone\": ", out);
    wp_json_put_text(out, r->intensity.zone);
    fputs(", \"column\": ", out);
    wp_json_put_text(out, r->intensity.column);
    fprintf(out, ", \"basis\": \"%s\", ", wp_intensity_basis_name(r->intensity.basis));
    num(out, "step_s", r->intensity.step_s);
    fprintf(out, ", \"runs_applied\": %lld, \"runs_outside\": %lld, ", r->intensity_applied,
            r->intensity_outside);
    const struct named_num g[] = {
        {"mean_g_per_kwh", r->intensity_mean_g_per_kwh},
        {"emissions_g", r->intensity_applied ? r->emissions_hourly_g : NAN},
        {"emissions_logged_g", r->emissions_logged_runs ? r->emissions_logged_g : NAN},
    };
    nums(out, g, sizeof g / sizeof g[0]);
    fputs("},\n ", out);
}
