/* A reproduction set against its paper (see paper.h): subsets of models that reproduce a
 * published value, parity with training energy with an interval, energy against quality
 * with the Pareto front, the headline in smartphone charges.  No SQL, no printing. */
#include "stats/paper.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/csv.h"
#include "util/num.h"
#include "util/units.h"

#define MAX_SUBSETS 100000

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

enum wp_err wp_paper_pool(const size_t *n, const double *mean, const double *sd, size_t k,
                          double *pooled_mean, double *pooled_sd)
{
    double sum = 0, ss = 0; /* sum of values; sum of squares */
    size_t total = 0;
    for (size_t i = 0; i < k; i++) {
        if (!n[i])
            continue;
        if (!isfinite(mean[i]) || (n[i] > 1 && !isfinite(sd[i])))
            return WP_ERR_USAGE;
        double v = n[i] > 1 ? sd[i] * sd[i] : 0; /* sample variance, n-1 denominator */
        sum += (double)n[i] * mean[i];
        ss += (double)(n[i] - 1) * v + (double)n[i] * mean[i] * mean[i];
        total += n[i];
    }
    if (total < 2)
        return WP_ERR_EMPTY;
    double m = sum / (double)total;
    double var = (ss - (double)total * m * m) / (double)(total - 1);
    *pooled_mean = m;
    *pooled_sd = sqrt(var > 0 ? var : 0);
    return WP_OK;
}

void wp_subsets_free(struct wp_subsets *s)
{
    for (size_t i = 0; s->v && i < s->n_mean; i++)
        free(s->v[i].left_out);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* The left-out models' names joined with " + " (malloc'd). */
static char *join_left_out(const struct wp_group_stats *const *g, const size_t *idx, size_t k)
{
    size_t len = 1;
    for (size_t i = 0; i < k; i++)
        len += strlen(g[idx[i]]->model) + 3;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        if (i)
            strcat(s, " + ");
        strcat(s, g[idx[i]]->model);
    }
    return s;
}

/* One subset: the models not in out_idx[0..k). */
static enum wp_err try_subset(const struct wp_group_stats *const *g, size_t m, const size_t *out_idx,
                              size_t k, const struct wp_reference_row *ref, struct wp_subsets *s)
{
    size_t n[m];
    double mean[m], sd[m];
    size_t j = 0;
    for (size_t i = 0; i < m; i++) {
        bool left = false;
        for (size_t q = 0; q < k; q++)
            left |= out_idx[q] == i;
        n[j] = left ? 0 : g[i]->kwh.n;
        mean[j] = g[i]->kwh.mean;
        sd[j++] = g[i]->kwh.sd;
    }
    double pm, psd;
    enum wp_err e = wp_paper_pool(n, mean, sd, m, &pm, &psd);
    if (e)
        return e;
    s->n_tried++;
    if (!wp_reference_agrees(pm, ref->mean, ref->mean_unit))
        return WP_OK;
    bool sd_ok = !isnan(ref->sd) && wp_reference_agrees(psd, ref->sd, ref->sd_unit);
    struct wp_subset_match *v = realloc(s->v, (s->n_mean + 1) * sizeof *v);
    if (!v)
        return WP_ERR_NOMEM;
    s->v = v;
    char *names = join_left_out(g, out_idx, k);
    if (!names)
        return WP_ERR_NOMEM;
    s->v[s->n_mean++] = (struct wp_subset_match){names, pm, psd, sd_ok};
    s->n_both += sd_ok;
    return WP_OK;
}

enum wp_err wp_paper_subsets(const struct wp_group_table *models, const char *task,
                             size_t keep, const struct wp_reference_row *ref,
                             struct wp_subsets *out)
{
    memset(out, 0, sizeof *out);
    if (!models || !task || !ref || isnan(ref->mean))
        return WP_ERR_USAGE;
    size_t m = 0;
    for (size_t i = 0; i < models->n_groups; i++)
        m += same(models->groups[i].task, task) && models->groups[i].model;
    if (m <= keep || keep == 0)
        return WP_ERR_EMPTY;
    const struct wp_group_stats **g = malloc(m * sizeof *g);
    if (!g)
        return WP_ERR_NOMEM;
    size_t j = 0;
    for (size_t i = 0; i < models->n_groups; i++)
        if (same(models->groups[i].task, task) && models->groups[i].model) {
            g[j++] = &models->groups[i];
            out->n_runs += models->groups[i].kwh.n;
        }
    size_t k = m - keep; /* models left out */
    /* C(m, k), stopped past the limit */
    double combos = 1;
    for (size_t i = 0; i < k; i++)
        combos = combos * (double)(m - i) / (double)(i + 1);
    enum wp_err e = combos > MAX_SUBSETS ? WP_ERR_USAGE : WP_OK;
    size_t idx[k + 1];
    for (size_t i = 0; i < k; i++)
        idx[i] = i;
    out->n_models = m;
    out->keep = keep;
    while (!e) {
        e = try_subset(g, m, idx, k, ref, out);
        /* the next k-combination of 0..m-1 in lexicographic order */
        size_t i = k;
        while (i > 0 && idx[i - 1] == m - k + i - 1)
            i--;
        if (i == 0)
            break;
        idx[i - 1]++;
        for (size_t q = i; q < k; q++)
            idx[q] = idx[q - 1] + 1;
    }
    free(g);
    if (e)
        wp_subsets_free(out);
    return e;
}

/* ---- parity ------------------------------------------------------------------------------ */

/* J per inference of a mean kWh per 1,000 inferences */
static double j_per_inference(double kwh_per_1k)
{
    return kwh_per_1k * WP_J_PER_KWH / 1000.0;
}

enum wp_err wp_paper_parity(const struct wp_group_table *models, struct wp_parity_row **out,
                            size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t k = 0;
    for (size_t i = 0; i < models->n_groups; i++)
        k += isfinite(models->groups[i].training_energy_j);
    if (!k)
        return WP_OK;
    struct wp_parity_row *v = calloc(k, sizeof *v);
    if (!v)
        return WP_ERR_NOMEM;
    for (size_t i = 0; i < models->n_groups; i++) {
        const struct wp_group_stats *g = &models->groups[i];
        if (!isfinite(g->training_energy_j))
            continue;
        struct wp_parity_row *r = &v[(*n)++];
        const struct wp_training_energy *t = NULL;
        r->model = g->model;
        r->task = g->task;
        r->training_j = g->training_energy_j;
        r->published = g->model && wp_stats_training_energy(g->model, &t) == WP_OK ? t : NULL;
        r->kwh_per_1k = g->kwh.mean;
        r->kwh_lo = g->kwh_t.lo;
        r->kwh_hi = g->kwh_t.hi;
        r->n_units = g->n_units;
        /* parity is decreasing in the energy: the interval's ends swap */
        if (wp_stats_parity(r->training_j, j_per_inference(r->kwh_per_1k), &r->parity))
            r->parity = NAN;
        if (wp_stats_parity(r->training_j, j_per_inference(r->kwh_hi), &r->parity_lo))
            r->parity_lo = NAN;
        if (!(r->kwh_lo > 0))
            r->parity_hi = INFINITY;
        else if (wp_stats_parity(r->training_j, j_per_inference(r->kwh_lo), &r->parity_hi))
            r->parity_hi = NAN;
    }
    *out = v;
    return WP_OK;
}

/* ---- quality ----------------------------------------------------------------------------- */

void wp_quality_free(struct wp_quality *q)
{
    for (size_t i = 0; q->v && i < q->n; i++) {
        free(q->v[i].model);
        free(q->v[i].task);
        free(q->v[i].metrics);
    }
    free(q->v);
    memset(q, 0, sizeof *q);
}

/* The scores file's task names and the analysis' (the paper's zero-shot tasks). */
static const char *const task_names[][2] = {
    {"sentiment", "text_classification"},
    {"qa", "extractive_qa"},
    {"summarization", "summarization"},
};

static const char *task_of(const char *name)
{
    for (size_t i = 0; i < sizeof task_names / sizeof task_names[0]; i++)
        if (strcmp(task_names[i][0], name) == 0)
            return task_names[i][1];
    return name;
}

static const struct wp_group_stats *find_group(const struct wp_group_table *a,
                                               const char *model, const char *task)
{
    for (size_t i = 0; i < a->n_groups; i++)
        if (same(a->groups[i].model, model) && same(a->groups[i].task, task))
            return &a->groups[i];
    return NULL;
}

/* The row's score columns: their mean, how many, and their headers joined. */
static enum wp_err row_score(const struct wp_csv_record *rec, char *const *head, size_t n_head,
                             long first, struct wp_quality_row *r, const char *path,
                             struct wp_diag *d)
{
    double sum = 0;
    size_t len = 1;
    for (size_t i = (size_t)first; i < n_head && i < rec->n; i++)
        len += strlen(head[i]) + 2;
    if (!(r->metrics = malloc(len)))
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    r->metrics[0] = '\0';
    for (size_t i = (size_t)first; i < n_head && i < rec->n; i++) {
        if (!rec->fields[i][0])
            continue;
        double v;
        if (wp_parse_num(rec->fields[i], &v) != WP_NUM_OK)
            return wp_diag_set(d, WP_ERR_PARSE, path, rec->line, (long)i + 1,
                               "\"%.40s\" is not a number", rec->fields[i]);
        sum += v;
        if (r->n_scores++)
            strcat(r->metrics, ", ");
        strcat(r->metrics, head[i]);
    }
    r->score = r->n_scores ? sum / (double)r->n_scores : NAN;
    return WP_OK;
}

static int by_task_energy(const void *pa, const void *pb)
{
    const struct wp_quality_row *a = pa, *b = pb;
    int c = strcmp(a->task, b->task);
    return c ? c : (a->kwh_per_1k > b->kwh_per_1k) - (a->kwh_per_1k < b->kwh_per_1k);
}

static void mark_front(struct wp_quality *q)
{
    for (size_t i = 0; i < q->n; i++) {
        struct wp_quality_row *a = &q->v[i];
        a->on_front = isfinite(a->score);
        for (size_t j = 0; a->on_front && j < q->n; j++) {
            const struct wp_quality_row *b = &q->v[j];
            if (j == i || strcmp(a->task, b->task) != 0 || !isfinite(b->score))
                continue;
            if (b->kwh_per_1k <= a->kwh_per_1k && b->score >= a->score &&
                (b->kwh_per_1k < a->kwh_per_1k || b->score > a->score))
                a->on_front = false;
        }
    }
}

enum wp_err wp_paper_quality(const char *path, const struct wp_group_table *models,
                             struct wp_quality *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    struct wp_reader *rd = NULL;
    struct wp_csv *csv = NULL;
    char **head = NULL;
    size_t n_head = 0;
    long c_model = -1, c_task = -1, first = -1;
    enum wp_err e = wp_reader_open(path, &rd, d);
    if (!e)
        e = wp_csv_open(rd, &csv, d);
    while (!e) {
        struct wp_csv_record *rec;
        bool done;
        if ((e = wp_csv_next(csv, &rec, &done, d)) || done)
            break;
        if (!head) {
            if (!(head = calloc(rec->n ? rec->n : 1, sizeof *head))) {
                e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            n_head = rec->n;
            for (size_t i = 0; i < rec->n; i++) {
                if (!(head[i] = strdup(rec->fields[i]))) {
                    e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
                    break;
                }
                if (strcmp(head[i], "model") == 0)
                    c_model = (long)i;
                else if (strcmp(head[i], "task") == 0)
                    c_task = (long)i;
                else if (strchr(head[i], '(') && first < 0)
                    first = (long)i; /* the first "dataset (metric)" column */
            }
            if (!e && (c_model < 0 || c_task < 0 || first < 0))
                e = wp_diag_set(d, WP_ERR_PARSE, path, rec->line, 0,
                                "a scores file needs model and task columns and score "
                                "columns named \"dataset (metric)\"");
            continue;
        }
        if (rec->n <= (size_t)(c_model > c_task ? c_model : c_task))
            continue;
        const char *task = task_of(rec->fields[c_task]);
        const struct wp_group_stats *g = find_group(models, rec->fields[c_model], task);
        if (!g)
            continue;
        struct wp_quality_row *v = realloc(out->v, (out->n + 1) * sizeof *v);
        if (!v) {
            e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        out->v = v;
        struct wp_quality_row *r = &out->v[out->n++];
        *r = (struct wp_quality_row){.kwh_per_1k = g->kwh.mean, .kwh_lo = g->kwh_t.lo,
                                     .kwh_hi = g->kwh_t.hi};
        r->model = strdup(rec->fields[c_model]);
        r->task = strdup(task);
        if (!r->model || !r->task)
            e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        else
            e = row_score(rec, head, n_head, first, r, path, d);
    }
    if (!e && !head)
        e = wp_diag_set(d, WP_ERR_PARSE, path, 0, 0, "empty scores file");
    wp_csv_close(csv);
    wp_reader_close(rd);
    for (size_t i = 0; head && i < n_head; i++)
        free(head[i]);
    free(head);
    if (e) {
        wp_quality_free(out);
        return e;
    }
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, by_task_energy);
    mark_front(out);
    return WP_OK;
}

/* ---- smartphone charges -------------------------------------------------------------------- */

static const struct wp_charge_factor factors[] = {
    {"the paper's", 0.022,
     "Luccioni, Jernite, Strubell, Power Hungry Processing (FAccT 2024), citing the US EPA "
     "Greenhouse Gas Equivalencies Calculator as of January 2024: 0.022 kWh per charge"},
    {"the paper's earlier version", 0.012,
     "the paper's footnote: before January 2024 the EPA calculator gave 0.012 kWh per "
     "charge, used in the study's first version (arXiv 2311.16863v1), the source of \"one "
     "charge per image\""},
    {"EPA's current", 0.019,
     "US EPA, Greenhouse Gas Equivalencies Calculator - Calculations and References, "
     "\"Number of smartphones charged\": 0.019 kWh per smartphone charge"},
};

const struct wp_charge_factor *wp_paper_charge_factors(size_t *n)
{
    _Static_assert(sizeof factors / sizeof factors[0] <= WP_PAPER_MAX_FACTORS, "factors");
    *n = sizeof factors / sizeof factors[0];
    return factors;
}

static void charges(struct wp_charge_row *r)
{
    for (size_t f = 0; f < sizeof factors / sizeof factors[0]; f++)
        r->charges_per_1k[f] = r->kwh_per_1k / factors[f].kwh_per_charge;
}

enum wp_err wp_paper_charges(const struct wp_group_table *tasks,
                             const struct wp_group_table *models, const char *task,
                             struct wp_charge_row out[3])
{
    memset(out, 0, 3 * sizeof *out);
    const struct wp_group_stats *t = NULL, *most = NULL, *least = NULL;
    for (size_t i = 0; i < tasks->n_groups; i++)
        if (same(tasks->groups[i].task, task))
            t = &tasks->groups[i];
    for (size_t i = 0; i < models->n_groups; i++) {
        const struct wp_group_stats *g = &models->groups[i];
        if (!same(g->task, task) || !isfinite(g->kwh.mean))
            continue;
        if (!most || g->kwh.mean > most->kwh.mean)
            most = g;
        if (!least || g->kwh.mean < least->kwh.mean)
            least = g;
    }
    if (!t || !most)
        return WP_ERR_EMPTY;
    out[0] = (struct wp_charge_row){"task mean", NULL, t->kwh.mean, t->n_runs, t->n_units, {0}};
    out[1] = (struct wp_charge_row){"most energy-hungry model", most->model, most->kwh.mean,
                                    most->n_runs, most->n_units, {0}};
    out[2] = (struct wp_charge_row){"least energy-hungry model", least->model, least->kwh.mean,
                                    least->n_runs, least->n_units, {0}};
    for (int i = 0; i < 3; i++)
        charges(&out[i]);
    return WP_OK;
}
