/* Loading vs inference energy per task (see loading.h): two analyses by task, one per
 * phase, matched by task name. */
#include "analysis/loading.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum wp_err wp_loading_run(struct wp_store *s, const struct wp_analysis_opts *o,
                           struct wp_loading *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    struct wp_analysis_opts a = *o;
    a.by = WP_BY_TASK;
    a.boot.resamples = 0; /* t intervals only */
    a.restate.partial = true; /* a phase may have no run on an idle host */
    struct wp_analysis load = {0}, query = {0};
    a.filter.phase = WP_PHASE_LOAD;
    enum wp_err e = wp_analysis_run(s, &a, &load, d);
    a.filter.phase = WP_PHASE_QUERY;
    if (!e)
        e = wp_analysis_run(s, &a, &query, d);
    if (!e && !(out->v = calloc(load.n_groups ? load.n_groups : 1, sizeof *out->v)))
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; !e && i < load.n_groups; i++) {
        const struct wp_group_stats *l = &load.groups[i], *q = NULL;
        for (size_t k = 0; k < query.n_groups && !q; k++)
            if (strcmp(query.groups[k].task, l->task) == 0)
                q = &query.groups[k];
        if (!q || !l->n || !q->n)
            continue;
        struct wp_loading_row *r = &out->v[out->n];
        if (!(r->task = strdup(l->task))) {
            e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        out->n++;
        r->n_load = l->n_runs;
        r->n_query = q->n_runs;
        r->load_kwh_per_1k = l->kwh.mean;
        r->load_lo = l->kwh_t.lo;
        r->load_hi = l->kwh_t.hi;
        r->query_kwh_per_1k = q->kwh.mean;
        double total = l->kwh.mean + q->kwh.mean;
        r->load_share = total > 0 ? l->kwh.mean / total : NAN;
        r->cold_start_inferences = q->kwh.mean > 0 ? 1000.0 * l->kwh.mean / q->kwh.mean : NAN;
    }
    wp_analysis_free(&load);
    wp_analysis_free(&query);
    if (e)
        wp_loading_free(out);
    return e;
}

void wp_loading_free(struct wp_loading *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].task);
    free(l->v);
    memset(l, 0, sizeof *l);
}
