/* SCI (Green Software Foundation, ISO/IEC 21031:2024) of the selection: per task or per
 * model and task, E the measured energy, I the location-based grid intensity of each run
 * as stored (energy-weighted) or a what-if, M the embodied emissions the user gives shared
 * by measured duration (else each run's from the shipped table of stats/embodied.c), R the
 * functional units: inferences, requests or images (each inference one) or tokens (where
 * token counts were loaded).  Sums over runs; the interval over the row's units comes from
 * stats (wp_stats_ratio_of_sums_boot).  The provider (training) score beside. */
#include "export/export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/units.h"
#include "util/array.h"

static const char *const unit_names[] = {"inference", "token", "request", "image"};

bool wp_sci_unit_parse(const char *name, enum wp_sci_unit *out)
{
    for (size_t i = 0; i < sizeof unit_names / sizeof unit_names[0]; i++)
        if (strcmp(name, unit_names[i]) == 0) {
            *out = (enum wp_sci_unit)i;
            return true;
        }
    return false;
}

const char *wp_sci_unit_name(enum wp_sci_unit u)
{
    return unit_names[u];
}

/* The run's count of functional units, NAN when it has none (tokens without counts). */
static double units(const struct wp_export_run *r, enum wp_sci_unit u)
{
    if (u != WP_SCI_TOKEN)
        return (double)r->inferences;
    if (r->token_samples <= 0)
        return NAN;
    double per_inference = (double)(r->input_tokens + r->output_tokens) /
                           (double)r->token_samples;
    return per_inference * (double)r->inferences;
}

static int by_task_model(const void *pa, const void *pb)
{
    const struct wp_sci_row *a = pa, *b = pb;
    int c = strcmp(a->task, b->task);
    if (!c && a->model && b->model)
        c = strcmp(a->model, b->model);
    return c;
}

/* The row of run r: the last one when it matches, else a new one (runs come by model and
 * task, so per task a row recurs: looked up). */
static struct wp_sci_row *row_for(struct wp_sci *s, const struct wp_export_run *r,
                                  bool by_model)
{
    for (size_t i = s->n; i-- > 0;)
        if (strcmp(s->rows[i].task, r->task) == 0 &&
            (!by_model || strcmp(s->rows[i].model, r->model) == 0))
            return &s->rows[i];
    if (WP_ARRAY_GROW(s->rows, s->n + 1, s->cap))
        return NULL;
    s->rows[s->n] = (struct wp_sci_row){.task = r->task, .model = by_model ? r->model : NULL};
    return &s->rows[s->n++];
}

/* M of run r: its share of the given embodied emissions by measured duration, or the
 * table's amortised over its duration (0 without a GPU count: *missing set). */
static double run_m(const struct wp_export_run *r, const struct wp_sci_opts *o, double total_s,
                    bool *missing)
{
    *missing = false;
    double dur = isfinite(r->duration_s) ? r->duration_s : 0;
    if (!isnan(o->embodied_g))
        return total_s > 0 ? o->embodied_g * dur / total_s : 0;
    double m = wp_stats_embodied_g(r->gpu_count, r->duration_s);
    *missing = !isfinite(m);
    return isfinite(m) ? m : 0;
}

const char *wp_sci_interval_unit(const struct wp_sci_opts *o, size_t n)
{
    return o->by_model ? (n == 1 ? "experiment" : "experiments") : (n == 1 ? "model" : "models");
}

/* The interval of row k over its units: per unit (the model per task, the dataset per model
 * and task) the sum of its runs' E x I + M and of their R; I of a run without one is the
 * row's, so that the units' sums add up to the row's. */
static enum wp_err row_interval(const struct wp_export_sel *sel, const struct wp_sci_opts *o,
                                double total_s, struct wp_sci_row *row)
{
    size_t cap = row->n_runs ? row->n_runs : 1, n = 0;
    double *num = calloc(cap, sizeof *num), *den = calloc(cap, sizeof *den);
    const char **key = calloc(cap, sizeof *key);
    enum wp_err e = WP_ERR_NOMEM;
    if (!num || !den || !key)
        goto out;
    for (size_t i = 0; i < sel->n; i++) {
        const struct wp_export_run *r = &sel->runs[i];
        if (strcmp(r->task, row->task) != 0 || (row->model && strcmp(r->model, row->model) != 0))
            continue;
        double units_n = units(r, o->unit);
        if (isnan(units_n))
            continue;
        const char *k = row->model ? r->dataset : r->model;
        size_t u = 0;
        while (u < n && strcmp(key[u], k) != 0)
            u++;
        if (u == n) {
            if (n == cap)
                break; /* cannot happen: a unit has a run */
            key[n++] = k;
        }
        double intensity = isfinite(o->intensity_g_per_kwh)        ? o->intensity_g_per_kwh
                           : isfinite(r->carbon_intensity_g_per_kwh) ? r->carbon_intensity_g_per_kwh
                                                                     : row->i_g_per_kwh;
        bool missing;
        num[u] += r->energy_j / WP_J_PER_KWH * intensity + run_m(r, o, total_s, &missing);
        den[u] += units_n;
    }
    e = wp_stats_ratio_of_sums_boot(num, den, n, o->boot.resamples ? &o->boot : NULL,
                                    &row->sci_ci);
    if (e == WP_ERR_EMPTY)
        e = WP_OK;
out:
    free(num);
    free(den);
    free(key);
    return e;
}

enum wp_err wp_export_sci(const struct wp_export_sel *sel, const struct wp_sci_opts *o,
                          struct wp_sci *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    double *weighted = calloc(sel->n ? sel->n : 1, sizeof *weighted); /* per row: sum kWh x I */
    double *with_i = calloc(sel->n ? sel->n : 1, sizeof *with_i);     /* per row: kWh with I */
    if (!weighted || !with_i)
        goto nomem;
    double total_s = 0;
    for (size_t i = 0; i < sel->n; i++)
        if (!isnan(units(&sel->runs[i], o->unit)) && isfinite(sel->runs[i].duration_s))
            total_s += sel->runs[i].duration_s;
    for (size_t i = 0; i < sel->n; i++) {
        const struct wp_export_run *r = &sel->runs[i];
        struct wp_sci_row *row = row_for(out, r, o->by_model);
        if (!row)
            goto nomem;
        size_t k = (size_t)(row - out->rows);
        double n = units(r, o->unit);
        if (isnan(n)) {
            row->n_no_units++;
            continue;
        }
        double kwh = r->energy_j / WP_J_PER_KWH;
        double intensity = isnan(o->intensity_g_per_kwh) ? r->carbon_intensity_g_per_kwh
                                                         : o->intensity_g_per_kwh;
        if (!row->n_runs)
            row->started_at = r->started_at;
        row->n_runs++;
        row->e_kwh += kwh;
        row->r += n;
        if (isfinite(r->duration_s))
            row->duration_s += r->duration_s;
        bool missing;
        row->m_g += run_m(r, o, total_s, &missing);
        row->n_no_embodied += missing;
        if (isfinite(intensity)) {
            weighted[k] += kwh * intensity;
            with_i[k] += kwh;
        } else {
            row->n_no_intensity++;
        }
    }
    for (size_t k = 0; k < out->n; k++) {
        struct wp_sci_row *row = &out->rows[k];
        /* a what-if is the one value, not a weighted mean that rounding moves */
        row->i_g_per_kwh = isfinite(o->intensity_g_per_kwh) ? o->intensity_g_per_kwh
                           : with_i[k] > 0                  ? weighted[k] / with_i[k]
                                                            : NAN;
        row->sci = row->r > 0 ? (row->e_kwh * row->i_g_per_kwh + row->m_g) / row->r : NAN;
        enum wp_err e = row_interval(sel, o, total_s, row);
        if (e == WP_ERR_NOMEM)
            goto nomem;
        if (e) {
            free(weighted);
            free(with_i);
            wp_sci_free(out);
            return wp_diag_set(d, e, NULL, 0, 0, "SCI interval: %s", wp_strerror(e));
        }
    }
    if (out->n > 1)
        qsort(out->rows, out->n, sizeof *out->rows, by_task_model);
    free(weighted);
    free(with_i);
    return WP_OK;
nomem:
    free(weighted);
    free(with_i);
    wp_sci_free(out);
    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

void wp_sci_free(struct wp_sci *s)
{
    free(s->rows);
    memset(s, 0, sizeof *s);
}

/* ---- the provider (training) score ----------------------------------------------------- */

enum wp_err wp_export_sci_provider(const struct wp_export_sel *sel, const struct wp_sci_opts *o,
                                   double training_kwh, struct wp_sci_providers *out,
                                   struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    size_t n_models = 0;
    for (size_t i = 0; i < sel->n; i++)
        n_models += !i || strcmp(sel->runs[i - 1].model, sel->runs[i].model) != 0;
    for (size_t i = 0; i < sel->n;) {
        const char *model = sel->runs[i].model;
        double train_j = NAN, kwh = 0, weighted = 0, with_i = 0;
        size_t j = i;
        for (; j < sel->n && strcmp(sel->runs[j].model, model) == 0; j++) {
            const struct wp_export_run *r = &sel->runs[j];
            if (isfinite(r->training_energy_j))
                train_j = r->training_energy_j;
            double e = r->energy_j / WP_J_PER_KWH;
            kwh += e;
            if (isfinite(r->carbon_intensity_g_per_kwh)) {
                weighted += e * r->carbon_intensity_g_per_kwh;
                with_i += e;
            }
        }
        (void)kwh;
        bool given = !isnan(training_kwh) && n_models == 1;
        double e_kwh = given ? training_kwh : train_j / WP_J_PER_KWH;
        if (isfinite(e_kwh)) {
            if (WP_ARRAY_GROW(out->rows, out->n + 1, out->cap)) {
                wp_sci_providers_free(out);
                return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
            }
            struct wp_sci_provider *p = &out->rows[out->n++];
            p->model = model;
            p->e_kwh = e_kwh;
            p->i_g_per_kwh = isfinite(o->intensity_g_per_kwh) ? o->intensity_g_per_kwh
                             : with_i > 0                     ? weighted / with_i
                                                              : NAN;
            p->m_g = 0;
            p->r = 1;
            p->sci = (p->e_kwh * p->i_g_per_kwh + p->m_g) / p->r;
            p->energy_source = given ? "--training-kwh" : "manifest training_kwh";
            p->intensity_source = isfinite(o->intensity_g_per_kwh) ? "what-if"
                                                                   : "inference runs' grid";
        }
        i = j;
    }
    return WP_OK;
}

void wp_sci_providers_free(struct wp_sci_providers *p)
{
    free(p->rows);
    memset(p, 0, sizeof *p);
}
