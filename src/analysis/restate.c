/* Restating runs (restate.h): one read of the run windows into spans by run id, the idle
 * hosts' powers from their idle windows, the per-run hook and the selection's tallies.
 * Every rule of the idle baseline and of applying an hourly intensity is in this file. */
#include "analysis/restate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/runs.h"
#include "util/array.h"
#include "util/cmp.h"
#include "util/time.h"
#include "util/units.h"

/* Sums of one host's idle windows: energy and the seconds it was measured over, per part
 * (total, cpu, gpu, ram). */
struct idle_sum {
    long long hardware_id;
    size_t n;
    double dur, e[4], e_dur[4];
};

struct load {
    const char *phase;
    struct wp_restate *r;
    size_t cap;
    /* the run being read: its whole-run window and its phases' */
    struct wp_run_window_row cur;
    bool has_cur, has_whole, has_phase;
    bool phase_dur_unknown; /* a phase without a duration: the run's is unknown too */
    double e[4], whole_e[4], phase_start, phase_dur;
    struct idle_sum *sums;
    size_t n_sums, cap_sums;
    bool oom;
};

static void add_known(double *acc, double x)
{
    if (isfinite(x))
        *acc = isfinite(*acc) ? *acc + x : x;
}

/* The run read so far becomes a span (and, when idle, part of its host's sums). */
static int flush_run(struct load *l)
{
    if (!l->has_cur)
        return 0;
    struct wp_restate *r = l->r;
    struct wp_run_window sp = {.run_id = l->cur.run_id, .hardware_id = l->cur.hardware_id,
                             .is_idle = l->cur.is_idle, .start_s = NAN, .duration_s = NAN};
    double e[4] = {NAN, NAN, NAN, NAN};
    if (l->has_whole) {
        sp.start_s = l->phase_start; /* the whole-run row's start (on_window) */
        sp.duration_s = l->cur.duration_s;
        memcpy(e, l->whole_e, sizeof e);
    } else if (l->has_phase) {
        sp.start_s = l->phase_start;
        sp.duration_s = l->phase_dur_unknown ? NAN : l->phase_dur;
        memcpy(e, l->e, sizeof e);
    }
    bool is_read = l->has_whole || l->has_phase;
    l->has_cur = l->has_whole = l->has_phase = l->phase_dur_unknown = false;
    if (!is_read) /* no row of the selection: nothing to restate */
        return 0;
    if (WP_ARRAY_GROW(r->spans, r->n_spans + 1, l->cap))
        return l->oom = true;
    r->spans[r->n_spans++] = sp;
    if (!sp.is_idle || !sp.hardware_id || !(sp.duration_s > 0))
        return 0;
    struct idle_sum *h = NULL;
    for (size_t i = 0; i < l->n_sums; i++)
        if (l->sums[i].hardware_id == sp.hardware_id)
            h = &l->sums[i];
    if (!h) {
        if (WP_ARRAY_GROW(l->sums, l->n_sums + 1, l->cap_sums))
            return l->oom = true;
        h = &l->sums[l->n_sums++];
        memset(h, 0, sizeof *h);
        h->hardware_id = sp.hardware_id;
    }
    h->n++;
    h->dur += sp.duration_s;
    for (int k = 0; k < 4; k++)
        if (isfinite(e[k])) {
            h->e[k] += e[k];
            h->e_dur[k] += sp.duration_s;
        }
    return 0;
}

static int on_window(void *ctx, const struct wp_run_window_row *w)
{
    struct load *l = ctx;
    if (l->has_cur && l->cur.run_id != w->run_id && flush_run(l))
        return 1;
    if (!l->has_cur) {
        l->cur = *w;
        l->cur.phase = l->cur.started_at = NULL; /* only the ids and the flag are kept */
        l->has_cur = true;
        l->phase_start = l->phase_dur = NAN;
        for (int k = 0; k < 4; k++)
            l->e[k] = l->whole_e[k] = NAN;
    }
    double start;
    if (!w->started_at[0] || !wp_iso8601_seconds(w->started_at, &start))
        start = NAN;
    const double e[4] = {w->energy_j, w->cpu_energy_j, w->gpu_energy_j, w->ram_energy_j};
    bool is_whole = !w->phase[0];
    /* an idle window is its host's baseline whatever phase the statistics read: its whole
     * window (or its phases back to back), never only a phase of that name */
    const char *phase = l->cur.is_idle ? NULL : l->phase;
    bool wanted = phase ? strcmp(w->phase, phase) == 0 : true;
    if (!wanted)
        return 0;
    if (is_whole || phase) {
        l->has_whole = true;
        l->cur.duration_s = w->duration_s;
        l->phase_start = start;
        memcpy(l->whole_e, e, sizeof e);
    } else if (!l->has_whole) {
        /* a run measured in phases only: its phases back to back */
        l->has_phase = true;
        add_known(&l->phase_dur, w->duration_s);
        l->phase_dur_unknown |= !isfinite(w->duration_s);
        if (isfinite(start) && !(start >= l->phase_start))
            l->phase_start = start;
        for (int k = 0; k < 4; k++)
            add_known(&l->e[k], e[k]);
    }
    return 0;
}

struct names {
    struct wp_restate *r;
    bool oom;
};

static int on_hardware(void *ctx, const struct wp_hardware_row *h)
{
    struct names *n = ctx;
    for (size_t i = 0; i < n->r->n_hosts; i++) {
        struct wp_idle_host *x = &n->r->hosts[i];
        if (x->hardware_id != h->id)
            continue;
        size_t len = strlen(h->gpu_model) + strlen(h->cpu_model) + 32;
        if (!(x->name = malloc(len)))
            return n->oom = true;
        snprintf(x->name, len, "%s%s%s", h->gpu_model, h->gpu_model[0] && h->cpu_model[0]
                                                          ? " / " : "", h->cpu_model);
        if (!x->name[0])
            snprintf(x->name, len, "hardware %lld", h->id);
    }
    return 0;
}

static int by_hw(const void *a, const void *b)
{
    long long x = ((const struct idle_sum *)a)->hardware_id;
    long long y = ((const struct idle_sum *)b)->hardware_id;
    return wp_cmp_ll(x, y);
}

static enum wp_err make_hosts(struct wp_store *s, struct load *l, struct wp_diag *d)
{
    struct wp_restate *r = l->r;
    if (!l->n_sums)
        return WP_OK;
    qsort(l->sums, l->n_sums, sizeof *l->sums, by_hw);
    if (!(r->hosts = calloc(l->n_sums, sizeof *r->hosts)))
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < l->n_sums; i++) {
        const struct idle_sum *x = &l->sums[i];
        double *p[4] = {&r->hosts[i].power_w, &r->hosts[i].cpu_power_w,
                        &r->hosts[i].gpu_power_w, &r->hosts[i].ram_power_w};
        r->hosts[i].hardware_id = x->hardware_id;
        r->hosts[i].n_windows = x->n;
        r->hosts[i].duration_s = x->dur;
        for (int k = 0; k < 4; k++) /* time-weighted mean power over the idle windows */
            *p[k] = x->e_dur[k] > 0 ? x->e[k] / x->e_dur[k] : NAN;
        if (isnan(r->hosts[i].power_w)) { /* no total logged: the parts it has */
            double sum = 0;
            bool any = false;
            for (int k = 1; k < 4; k++)
                if (isfinite(*p[k])) {
                    sum += *p[k];
                    any = true;
                }
            r->hosts[i].power_w = any ? sum : NAN;
        }
    }
    r->n_hosts = l->n_sums;
    struct names n = {.r = r};
    enum wp_err e = wp_store_each_hardware(s, on_hardware, &n, d);
    for (size_t i = 0; !e && i < r->n_hosts; i++)
        if (!r->hosts[i].name && !n.oom) {
            if (!(r->hosts[i].name = malloc(32)))
                n.oom = true;
            else
                snprintf(r->hosts[i].name, 32, "hardware %lld", r->hosts[i].hardware_id);
        }
    if (!e && n.oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return e;
}

enum wp_err wp_restate_load(struct wp_store *s, const char *phase,
                            const struct wp_restate_opts *o, struct wp_restate *out,
                            struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    out->above_idle = o->above_idle;
    out->intensity_mean_g_per_kwh = NAN;
    struct load l = {.phase = phase, .r = out};
    long long n_idle = 0;
    /* no idle window and no intensity: nothing to read run by run */
    enum wp_err e = wp_store_count_idle(s, &n_idle, d);
    if (!e && (n_idle || o->intensity_path))
        e = wp_store_each_run_window(s, on_window, &l, d);
    if (!e && !l.oom)
        flush_run(&l);
    if (!e && l.oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e)
        e = make_hosts(s, &l, d);
    free(l.sums);
    if (!e && o->intensity_path) {
        e = wp_intensity_load(o->intensity_path, &o->intensity, &out->intensity, d);
        out->has_intensity = !e;
        snprintf(out->intensity_file, sizeof out->intensity_file, "%s", o->intensity_path);
    }
    if (e)
        wp_restate_free(out);
    return e;
}

void wp_restate_free(struct wp_restate *r)
{
    for (size_t i = 0; i < r->n_hosts; i++)
        free(r->hosts[i].name);
    free(r->hosts);
    free(r->spans);
    wp_intensity_free(&r->intensity);
    r->hosts = NULL;
    r->spans = NULL;
    r->n_hosts = r->n_spans = 0;
    r->has_intensity = false;
}

bool wp_restate_active(const struct wp_restate *r)
{
    return r->above_idle || r->has_intensity;
}

bool wp_restate_has_any(const struct wp_restate *r)
{
    return r->n_hosts || r->has_intensity;
}

void wp_restate_drop_spans(struct wp_restate *r)
{
    free(r->spans);
    r->spans = NULL;
    r->n_spans = 0;
}

static int span_cmp(const void *key, const void *element)
{
    return wp_cmp_ll(*(const long long *)key, ((const struct wp_run_window *)element)->run_id);
}

static const struct wp_run_window *span_of(const struct wp_restate *r, long long run_id)
{
    size_t i = wp_lower_bound(&run_id, r->spans, r->n_spans, sizeof *r->spans, span_cmp);
    return i < r->n_spans && r->spans[i].run_id == run_id ? &r->spans[i] : NULL;
}

static const struct wp_idle_host *host_of_span(const struct wp_restate *r,
                                               const struct wp_run_window *sp)
{
    for (size_t i = 0; sp && i < r->n_hosts; i++)
        if (r->hosts[i].hardware_id == sp->hardware_id)
            return &r->hosts[i];
    return NULL;
}

bool wp_idle_host_has_power(const struct wp_idle_host *h)
{
    return isfinite(h->power_w) || isfinite(h->cpu_power_w) || isfinite(h->gpu_power_w) ||
           isfinite(h->ram_power_w);
}

enum wp_err wp_restate_need_baseline(const struct wp_restate *r, struct wp_diag *d)
{
    if (!r->above_idle || (r->n_hosts && (r->runs_on_idle_hosts || !r->runs)))
        return WP_OK;
    return wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                       "--above-idle: %s (wattprint ingest --idle FILE, or a manifest column "
                       "idle): the energy above idle is unknown",
                       r->n_hosts ? "no run of the selection is on a host whose idle windows "
                                    "give an idle power"
                                  : "no idle window in the database");
}

double wp_idle_above(double energy_j, double idle_power_w, double duration_s,
                     bool *is_clamped)
{
    *is_clamped = false;
    if (!isfinite(energy_j) || !isfinite(idle_power_w) || !isfinite(duration_s))
        return energy_j;
    double above = energy_j - idle_power_w * duration_s;
    if (above < 0) {
        *is_clamped = true;
        above = 0;
    }
    return above;
}

/* The idle power to take off a run's total: the host's idle total, unless the run
 * measured fewer of the components than its idle windows did (a GPU-only meter on a host
 * whose idle windows logged CPU, GPU and RAM): then the idle power of the components the
 * run measured, never the idle power of a part its total does not hold. */
static double idle_total_w(const struct wp_idle_host *h, const struct wp_run_row *r)
{
    const double run[3] = {r->cpu_energy_j, r->gpu_energy_j, r->ram_energy_j};
    const double idle[3] = {h->cpu_power_w, h->gpu_power_w, h->ram_power_w};
    bool has_any = false, lacks_idle_part = false;
    double sum = 0;
    for (int k = 0; k < 3; k++) {
        has_any |= isfinite(run[k]);
        lacks_idle_part |= isfinite(idle[k]) && !isfinite(run[k]);
        if (isfinite(run[k]) && isfinite(idle[k]))
            sum += idle[k];
    }
    return has_any && lacks_idle_part ? sum : h->power_w;
}

/* The host of span sp with an idle power for run: NULL when it has no idle windows, or
 * when theirs has no energy for the parts the run measured (idle windows logged without
 * energy give no baseline). */
static const struct wp_idle_host *baseline_of(const struct wp_restate *r,
                                              const struct wp_run_window *sp,
                                              const struct wp_run_row *run)
{
    const struct wp_idle_host *h = host_of_span(r, sp);
    return h && isfinite(idle_total_w(h, run)) ? h : NULL;
}

/* The host whose idle power comes off run (of span sp): NULL when the run has no energy
 * above idle (its host has no idle windows, their energy is unknown for the parts the run
 * measured, or the run has no duration). */
static const struct wp_idle_host *above_idle_host(const struct wp_restate *r,
                                                  const struct wp_run_window *sp,
                                                  const struct wp_run_row *run)
{
    const struct wp_idle_host *h = baseline_of(r, sp, run);
    return h && isfinite(sp->duration_s) ? h : NULL;
}

/* r's energies above its host's idle power; true when some part hit the floor. */
static bool above_idle(const struct wp_idle_host *h, const struct wp_run_window *sp,
                       struct wp_run_row *r)
{
    bool clamped = false, c;
    double before = r->energy_j;
    r->energy_j = wp_idle_above(r->energy_j, idle_total_w(h, r), sp->duration_s, &clamped);
    r->cpu_energy_j = wp_idle_above(r->cpu_energy_j, h->cpu_power_w, sp->duration_s, &c);
    r->gpu_energy_j = wp_idle_above(r->gpu_energy_j, h->gpu_power_w, sp->duration_s, &c);
    r->ram_energy_j = wp_idle_above(r->ram_energy_j, h->ram_power_w, sp->duration_s, &c);
    /* emissions follow the energy at the run's own g per kWh */
    if (isfinite(r->emissions_g) && before > 0 && isfinite(r->energy_j))
        r->emissions_g *= r->energy_j / before;
    return clamped;
}

void wp_restate_adjust(void *ctx, struct wp_run_row *r)
{
    const struct wp_restate *st = ctx;
    const struct wp_run_window *sp = span_of(st, r->run_id);
    if ((sp && sp->is_idle) || !isfinite(r->energy_j))
        return; /* a run without energy is left out as such, not for want of a baseline */
    if (st->above_idle) { /* a run without a window has no duration: none above idle */
        const struct wp_idle_host *h = sp ? above_idle_host(st, sp, r) : NULL;
        if (!h) { /* no energy above idle: left out, never set beside energies above idle */
            r->energy_j = r->cpu_energy_j = r->gpu_energy_j = r->ram_energy_j = NAN;
            r->emissions_g = NAN;
            r->no_energy_above_idle = true;
            return;
        }
        above_idle(h, sp, r);
    }
    double g;
    if (sp && st->has_intensity && isfinite(r->energy_j) &&
        wp_intensity_over(&st->intensity, sp->start_s, sp->duration_s, &g))
        r->emissions_g = r->energy_j / WP_J_PER_KWH * g;
}

struct tally {
    struct wp_restate *r;
};

static int on_run(void *ctx, const struct wp_run_row *run)
{
    struct wp_restate *r = ((struct tally *)ctx)->r;
    const struct wp_run_window *sp = span_of(r, run->run_id); /* never an idle window's */
    if (wp_run_use(run) != WP_RUN_USED)
        return 0;
    r->runs++;
    const struct wp_idle_host *ch = baseline_of(r, sp, run);
    struct wp_idle_host *h = ch ? &r->hosts[ch - r->hosts] : NULL;
    double energy_j = run->energy_j;
    if (h && !isfinite(sp->duration_s)) { /* no duration: no idle energy to take off */
        r->runs_no_duration++;
        h->n_no_duration++;
    } else if (h) {
        bool clamped;
        double above = wp_idle_above(run->energy_j, idle_total_w(h, run), sp->duration_s,
                                     &clamped);
        r->runs_on_idle_hosts++;
        h->n_runs++;
        h->n_clamped += clamped;
        h->energy_j += run->energy_j;
        h->above_idle_j += above;
        if (r->above_idle)
            energy_j = above;
    }
    if (r->above_idle && !above_idle_host(r, sp, run)) /* the hook's rule: left out of */
        return 0; /* the figures, so of the intensity's tallies */
    double g;
    if (r->has_intensity) {
        if (sp && isfinite(energy_j) &&
            wp_intensity_over(&r->intensity, sp->start_s, sp->duration_s, &g)) {
            r->intensity_applied++;
            double kwh = energy_j / WP_J_PER_KWH;
            r->intensity_kwh += kwh;
            r->emissions_hourly_g += kwh * g;
            r->emissions_logged_runs += isfinite(run->emissions_g) != 0;
            if (isfinite(run->emissions_g))
                r->emissions_logged_g += run->emissions_g * (run->energy_j > 0
                                                                 ? energy_j / run->energy_j
                                                                 : 1.0);
        } else {
            r->intensity_outside++;
        }
    }
    return 0;
}

enum wp_err wp_restate_summarise(struct wp_store *s, const struct wp_run_filter *f,
                                 struct wp_restate *r, struct wp_diag *d)
{
    struct wp_run_filter plain = *f;
    plain.adjust = NULL;
    plain.adjust_ctx = NULL;
    r->runs = r->runs_on_idle_hosts = r->runs_no_duration = 0;
    r->intensity_applied = r->intensity_outside = 0;
    r->intensity_mean_g_per_kwh = NAN;
    r->emissions_logged_g = r->emissions_hourly_g = r->intensity_kwh = 0;
    r->emissions_logged_runs = 0;
    for (size_t i = 0; i < r->n_hosts; i++) {
        r->hosts[i].n_runs = r->hosts[i].n_clamped = r->hosts[i].n_no_duration = 0;
        r->hosts[i].energy_j = r->hosts[i].above_idle_j = 0;
    }
    struct tally t = {r};
    enum wp_err e = wp_runs_each(s, &plain, on_run, &t, d);
    if (!e && r->intensity_kwh > 0) /* energy-weighted: g over the kWh it applied to */
        r->intensity_mean_g_per_kwh = r->emissions_hourly_g / r->intensity_kwh;
    return e;
}
