/* SCI (Green Software Foundation, ISO/IEC 21031:2024) of the selection: per task or per
 * model and task, E the measured energy, I the location-based grid intensity of each run
 * as stored (energy-weighted) or a what-if, M the embodied emissions the user gives shared
 * by measured duration (else 0), R the functional units: inferences, requests or images
 * (each inference one) or tokens (where token counts were loaded).  Sums over runs, no
 * statistics. */
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

enum wp_err wp_export_sci(const struct wp_export_sel *sel, const struct wp_sci_opts *o,
                          struct wp_sci *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    double *weighted = calloc(sel->n ? sel->n : 1, sizeof *weighted); /* per row: sum kWh x I */
    double *with_i = calloc(sel->n ? sel->n : 1, sizeof *with_i);     /* per row: kWh with I */
    if (!weighted || !with_i)
        goto nomem;
    double total_s = 0;
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
        row->n_runs++;
        row->e_kwh += kwh;
        row->r += n;
        if (isfinite(r->duration_s)) {
            row->duration_s += r->duration_s;
            total_s += r->duration_s;
        }
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
        row->m_g = isnan(o->embodied_g) ? 0
                   : total_s > 0       ? o->embodied_g * row->duration_s / total_s
                                       : NAN;
        row->sci = row->r > 0 ? (row->e_kwh * row->i_g_per_kwh + row->m_g) / row->r : NAN;
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
