/* wattprint stats --best --max-latency MS: per model and task, the lowest-energy
 * generative configuration within a latency limit (src/analysis/genai.c wp_gen_best), with
 * its figures, as a table, CSV or JSON. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "cli/stats_best.h"
#include "cli/table.h"
#include "analysis/genai.h"

int wp_cli_stats_best(struct wp_cli *c, const struct wp_best_opts *o, FILE *out)
{
    const struct wp_gen_column *lat = wp_gen_column_find(o->latency ? o->latency : "itl_p50_s");
    const struct wp_gen_column *en =
        wp_gen_column_find(o->energy ? o->energy : "j_per_output_token");
    if (!lat || lat->better >= 0 || strcmp(lat->unit, "s") != 0)
        return wp_cli_usage("stats", "--latency: \"%s\" is not a latency column (ttft_s, "
                                     "itl_mean_s, itl_p50_s, itl_p90_s, itl_p99_s, "
                                     "request_latency_s)", o->latency);
    if (!en || en->better == 0)
        return wp_cli_usage("stats", "--energy: \"%s\" is not an energy metric (e.g. "
                                     "j_per_request, j_per_output_token)", o->energy);
    struct wp_store *s = wp_cli_open_store(c);
    if (!s)
        return WP_EXIT_FAIL;
    struct wp_gen_set set = {0};
    struct wp_diag d = {0};
    struct wp_gen_filter f = {.task = o->task, .model = o->model, .gpu_model = o->gpu,
                              .where_key = o->where_key, .where_value = o->where_value};
    enum wp_err e = wp_gen_load(s, &f, &set, &d);
    wp_store_close(s);
    size_t *best = NULL, *first = NULL, n = 0;
    double max_s = o->max_latency_ms / 1000.0;
    if (!e && (e = wp_gen_best(&set, en, lat, max_s, &best, &first, &n)))
        wp_diag_set(&d, e, NULL, 0, 0, "out of memory");
    if (!e && !n)
        e = wp_diag_set(&d, WP_ERR_EMPTY, NULL, 0, 0,
                        "no run with a model and a task matches: no configuration to choose");
    if (e) {
        wp_cli_error(&d);
        wp_gen_set_free(&set);
        return e == WP_ERR_USAGE ? WP_EXIT_USAGE : WP_EXIT_FAIL;
    }
    char energy_name[64], latency_name[64];
    snprintf(energy_name, sizeof energy_name, "%s", en->key);
    snprintf(latency_name, sizeof latency_name, "%s", lat->key);
    const struct wp_col cols[] = {
        {"model", WP_COL_TEXT, 0},          {"task", WP_COL_TEXT, 0},
        {"gpu_model", WP_COL_TEXT, 0},      {"gpu_count", WP_COL_NUM, 3},
        {"batch_size", WP_COL_NUM, 6},      {"precision", WP_COL_TEXT, 0},
        {energy_name, WP_COL_NUM, 4},       {latency_name, WP_COL_NUM, 4},
        {"throughput_tokens_per_s", WP_COL_NUM, 4},
        {"configurations", WP_COL_INT, 0},  {"within_limit", WP_COL_INT, 0},
    };
    struct wp_table *t = wp_table_new(out, o->fmt, cols, sizeof cols / sizeof cols[0]);
    int rc = t ? WP_EXIT_OK : WP_EXIT_FAIL;
    size_t none = 0;
    for (size_t g = 0; t && g < n; g++) {
        const struct wp_gen_config *m = &set.v[first[g]];
        long long configs = 0, within = 0;
        for (size_t i = 0; i < set.n; i++)
            if (!strcmp(set.v[i].model, m->model) && !strcmp(set.v[i].task, m->task)) {
                configs++;
                within += wp_gen_value(&set.v[i], lat) <= max_s;
            }
        const struct wp_gen_config *b = best[g] == SIZE_MAX ? NULL : &set.v[best[g]];
        none += !b;
        double gc = b ? b->gpu_count : NAN, bs = b ? b->batch_size : NAN;
        double ev = b ? wp_gen_value(b, en) : NAN, lv = b ? wp_gen_value(b, lat) : NAN;
        double tp = b ? b->run.throughput_tokens_per_s : NAN;
        const void *cells[] = {m->model, m->task, b ? b->gpu_model : "", &gc, &bs,
                               b ? b->precision : "", &ev, &lv, &tp, &configs, &within};
        wp_table_row(t, cells);
    }
    if (t && wp_table_end(t))
        rc = WP_EXIT_FAIL;
    if (!c->quiet && o->fmt == WP_OUT_TABLE)
        fprintf(stderr, "wattprint: the lowest %s (%s) per model and task with %s at most "
                        "%g ms; %zu of %zu model x task pairs have none within the limit\n",
                en->key, en->unit, lat->key, o->max_latency_ms, none, n);
    free(best);
    free(first);
    wp_gen_set_free(&set);
    return rc;
}
