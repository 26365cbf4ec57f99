/* The before/after gate (gate.h): each side's usable runs with their experiment's labels,
 * sorted by task, model, dataset; groups (task, or model x task) and their units (models,
 * or datasets) matched by name across the sides; each group compared with the paired
 * cluster bootstrap of cluster.c and given a verdict against the margin; each side's
 * hardware, datasets, components and batch sizes per unit compared.  Prints nothing. */
#include "analysis/gate.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/runs.h"
#include "util/array.h"
#include "util/cmp.h"

static const char *const verdict_names[] = {"lower", "same", "costlier", "undecided"};

const char *wp_verdict_name(enum wp_verdict v)
{
    return (unsigned)v < 4 ? verdict_names[v] : "undecided";
}

enum wp_verdict wp_verdict_of(double lo, double hi, double margin)
{
    if (isnan(lo) || isnan(hi))
        return WP_VERDICT_UNDECIDED;
    if (lo > 1.0 + margin)
        return WP_VERDICT_COSTLIER;
    if (hi < 1.0 - margin)
        return WP_VERDICT_LOWER;
    if (lo >= 1.0 - margin && hi <= 1.0 + margin)
        return WP_VERDICT_SAME;
    return WP_VERDICT_UNDECIDED;
}

/* ---- one side: runs with their experiment's labels ----------------------------------- */

struct exp_label {
    long long id;
    char *task, *model, *dataset;
    char batch[24]; /* its batch size as text, "" unknown */
};

struct run_rec {
    const struct exp_label *exp;
    long long run_id;
    double x;  /* kWh per 1,000 inferences */
    size_t hw; /* index into its side's hardware names */
    unsigned parts; /* the components its energy is logged in: WP_GATE_CPU | ... (0: a
                       total alone) */
};

struct side {
    struct exp_label *e;
    size_t n_e, cap_e;
    struct run_rec *r;
    size_t n_r, cap_r;
    char **hw; /* distinct hardware the runs' logs name ("GPU / CPU", "" unknown); owned */
    size_t n_hw, cap_hw;
    bool is_nomem;
};

/* The index of the run's hardware name in s->hw, added when new; SIZE_MAX out of memory. */
static size_t hardware_of(struct side *s, const struct wp_run_row *r)
{
    char name[512];
    snprintf(name, sizeof name, "%s%s%s", r->gpu_model, r->gpu_model[0] && r->cpu_model[0]
                                                           ? " / " : "", r->cpu_model);
    for (size_t i = s->n_hw; i-- > 0;) /* few kinds; the newest most likely */
        if (!strcmp(s->hw[i], name))
            return i;
    if (WP_ARRAY_GROW(s->hw, s->n_hw + 1, s->cap_hw) || !(s->hw[s->n_hw] = strdup(name)))
        return SIZE_MAX;
    return s->n_hw++;
}

static int on_exp(void *ctx, const struct wp_experiment_row *r)
{
    struct side *s = ctx;
    if (WP_ARRAY_GROW(s->e, s->n_e + 1, s->cap_e))
        return s->is_nomem = true;
    struct exp_label *x = &s->e[s->n_e];
    *x = (struct exp_label){r->id, strdup(r->task), strdup(r->model), strdup(r->dataset), ""};
    if (r->batch_size > 0)
        snprintf(x->batch, sizeof x->batch, "%lld", r->batch_size);
    if (!x->task || !x->model || !x->dataset) {
        free(x->task);
        free(x->model);
        free(x->dataset);
        return s->is_nomem = true;
    }
    s->n_e++;
    return 0;
}

static int by_id(const void *key, const void *elem)
{
    long long k = *(const long long *)key, id = ((const struct exp_label *)elem)->id;
    return wp_cmp_ll(k, id);
}

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct side *s = ctx;
    if (wp_run_use(r) != WP_RUN_USED)
        return 0;
    const struct exp_label *e = bsearch(&r->experiment_id, s->e, s->n_e, sizeof *s->e, by_id);
    if (!e) /* an experiment the label read did not list: its labels came with the run */
        return 0;
    if (WP_ARRAY_GROW(s->r, s->n_r + 1, s->cap_r))
        return s->is_nomem = true;
    size_t hw = hardware_of(s, r);
    if (hw == SIZE_MAX)
        return s->is_nomem = true;
    struct wp_run_value v;
    wp_run_value_of(r, &v);
    unsigned parts = (isnan(r->cpu_energy_j) ? 0u : WP_GATE_CPU) |
                     (isnan(r->gpu_energy_j) ? 0u : WP_GATE_GPU) |
                     (isnan(r->ram_energy_j) ? 0u : WP_GATE_RAM);
    s->r[s->n_r++] = (struct run_rec){e, r->run_id, v.kwh_per_1k, hw, parts};
    return 0;
}

static int by_labels(const void *pa, const void *pb)
{
    const struct run_rec *a = pa, *b = pb;
    int c = strcmp(a->exp->task, b->exp->task);
    if (!c)
        c = strcmp(a->exp->model, b->exp->model);
    if (!c)
        c = strcmp(a->exp->dataset, b->exp->dataset);
    if (!c)
        c = wp_cmp_ll(a->exp->id, b->exp->id);
    if (!c)
        c = wp_cmp_ll(a->run_id, b->run_id);
    return c;
}

static void side_free(struct side *s)
{
    for (size_t i = 0; i < s->n_e; i++) {
        free(s->e[i].task);
        free(s->e[i].model);
        free(s->e[i].dataset);
    }
    for (size_t i = 0; i < s->n_hw; i++)
        free(s->hw[i]);
    free(s->e);
    free(s->r);
    free(s->hw);
    memset(s, 0, sizeof *s);
}

static enum wp_err side_read(struct wp_store *st, const struct wp_run_filter *f,
                             struct side *s, struct wp_diag *d)
{
    enum wp_err e = wp_store_each_experiment(st, on_exp, s, d);
    if (!e && !s->is_nomem)
        e = wp_runs_each(st, f, on_run, s, d);
    if (!e && s->is_nomem)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e && s->n_r > 1)
        qsort(s->r, s->n_r, sizeof *s->r, by_labels);
    return e;
}

/* ---- groups and units --------------------------------------------------------------- */

/* The group key (task, and model per model x task) and the unit key (model, or dataset). */
static int cmp_group(const struct run_rec *a, const struct run_rec *b, bool mt)
{
    int c = strcmp(a->exp->task, b->exp->task);
    return c || !mt ? c : strcmp(a->exp->model, b->exp->model);
}

static const char *unit_key(const struct run_rec *r, bool mt)
{
    return mt ? r->exp->dataset : r->exp->model;
}

/* The end of the run range of r[i]'s group (or unit, with unit set) in r[i..n). */
static size_t range_end(const struct run_rec *r, size_t i, size_t n, bool mt, bool unit)
{
    size_t j = i + 1;
    while (j < n && !cmp_group(&r[i], &r[j], mt) &&
           (!unit || !strcmp(unit_key(&r[i], mt), unit_key(&r[j], mt))))
        j++;
    return j;
}

/* The design of the runs of a group range whose unit is paired: unit ids are the paired
 * index, experiment ids the store's. */
struct builder {
    double *x;
    long long *unit, *exp;
    size_t n;
};

static void add_unit(struct builder *b, const struct run_rec *r, size_t i, size_t j, size_t k)
{
    for (; i < j; i++, b->n++) {
        b->x[b->n] = r[i].x;
        b->unit[b->n] = (long long)k;
        b->exp[b->n] = r[i].exp->id;
    }
}

/* ---- what the two sides of a row were measured on ----------------------------------- */

/* A set of names (pointers into a side's tables or its experiments' labels), small. */
struct names {
    const char **v;
    size_t n, cap;
};

static bool names_add(struct names *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], name))
            return true;
    if (WP_ARRAY_GROW(s->v, s->n + 1, s->cap))
        return false;
    s->v[s->n++] = name;
    return true;
}

static bool names_has(const struct names *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], name))
            return true;
    return false;
}

/* Whether a and b hold the same names, "" (not logged) left out of both. */
static bool names_equal(const struct names *a, const struct names *b)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i][0] && !names_has(b, a->v[i]))
            return false;
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i][0] && !names_has(a, b->v[i]))
            return false;
    return true;
}

/* The hardware (and, datasets set, the datasets) of the runs r[0..n) into h (and ds). */
static bool names_of(const struct side *s, const struct run_rec *r, size_t n, struct names *h,
                     struct names *ds)
{
    for (size_t i = 0; i < n; i++)
        if (!names_add(h, s->hw[r[i].hw]) || (ds && !names_add(ds, r[i].exp->dataset)))
            return false;
    return true;
}

/* "A + B" of the names in s ("" as "not logged"); NULL out of memory. */
static char *names_join(const struct names *s)
{
    size_t len = 1;
    for (size_t i = 0; i < s->n; i++)
        len += strlen(s->v[i]) + 16;
    char *out = malloc(len), *p = out;
    if (!out)
        return NULL;
    *p = '\0';
    for (size_t i = 0; i < s->n; i++)
        p += snprintf(p, len - (size_t)(p - out), "%s%s", i ? " + " : "",
                      s->v[i][0] ? s->v[i] : "not logged");
    return out;
}

/* The kinds of component sets among runs r[0..n): bit k set when a run's parts are k. */
static unsigned parts_seen(const struct run_rec *r, size_t n)
{
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++)
        seen |= 1u << r[i].parts;
    return seen;
}

void wp_gate_parts_text(unsigned seen, char *buf, size_t size)
{
    static const char *const name[] = {"CPU", "GPU", "RAM"};
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned k = 0; k < 8 && len < size; k++) {
        if (!(seen & (1u << k)))
            continue;
        len += (size_t)snprintf(buf + len, size - len, "%s", len ? " or " : "");
        if (!k && len < size)
            len += (size_t)snprintf(buf + len, size - len, "a total alone");
        for (unsigned b = 0, first = 1; b < 3 && len < size; b++)
            if (k & (1u << b)) {
                len += (size_t)snprintf(buf + len, size - len, "%s%s", first ? "" : " + ",
                                        name[b]);
                first = 0;
            }
    }
}

/* The batch sizes of the runs r[0..n) into bs. */
static bool batches_of(const struct run_rec *r, size_t n, struct names *bs)
{
    for (size_t i = 0; i < n; i++)
        if (!names_add(bs, r[i].exp->batch))
            return false;
    return true;
}

/* Tallies of one row's comparison of the two sides' set-ups. */
struct setup {
    struct names hw_c, hw_b; /* over the units compared, each side */
    struct names bs_c, bs_b; /* batch sizes, likewise (paired) */
    unsigned parts_c, parts_b;
    bool is_hw_differ, is_hw_unknown, is_ds_differ, is_parts_differ, is_batch_differ;
};

/* One paired unit: its hardware on each side (and per task its datasets) must agree. */
static bool setup_unit(struct setup *st, const struct side *sc, const struct run_rec *rc,
                       size_t nc, const struct side *sb, const struct run_rec *rb, size_t nb,
                       bool per_task)
{
    struct names hc = {0}, hb = {0}, dc = {0}, db = {0}, bc = {0}, bb = {0};
    bool ok = names_of(sc, rc, nc, &hc, per_task ? &dc : NULL) &&
              names_of(sb, rb, nb, &hb, per_task ? &db : NULL) &&
              names_of(sc, rc, nc, &st->hw_c, NULL) && names_of(sb, rb, nb, &st->hw_b, NULL) &&
              batches_of(rc, nc, &bc) && batches_of(rb, nb, &bb) &&
              batches_of(rc, nc, &st->bs_c) && batches_of(rb, nb, &st->bs_b);
    if (ok) {
        st->is_batch_differ |= !names_equal(&bc, &bb);
        unsigned pc = parts_seen(rc, nc), pb = parts_seen(rb, nb);
        st->parts_c |= pc;
        st->parts_b |= pb;
        st->is_parts_differ |= pc != pb;
        st->is_hw_differ |= !names_equal(&hc, &hb);
        st->is_hw_unknown |= names_has(&hc, "") || names_has(&hb, "");
        st->is_ds_differ |= per_task && !names_equal(&dc, &db);
    }
    free(hc.v), free(hb.v), free(dc.v), free(db.v), free(bc.v), free(bb.v);
    return ok;
}

static enum wp_err setup_finish(struct setup *st, bool is_paired, struct wp_gate_row *row)
{
    if (!is_paired) { /* different units: the sides' hardware as a whole */
        st->is_parts_differ = st->parts_c != st->parts_b;
        st->is_hw_differ = !names_equal(&st->hw_c, &st->hw_b);
        st->is_hw_unknown = names_has(&st->hw_c, "") || names_has(&st->hw_b, "");
    }
    row->hardware = st->is_hw_differ    ? WP_GATE_DIFFERS
                    : st->is_hw_unknown ? WP_GATE_UNKNOWN
                                        : WP_GATE_SAME;
    row->is_datasets_differ = st->is_ds_differ;
    row->is_parts_differ = st->is_parts_differ;
    row->is_batch_differ = is_paired && st->is_batch_differ;
    row->batch_candidate = names_join(&st->bs_c);
    row->batch_baseline = names_join(&st->bs_b);
    row->parts_candidate = st->parts_c;
    row->parts_baseline = st->parts_b;
    row->hardware_candidate = names_join(&st->hw_c);
    row->hardware_baseline = names_join(&st->hw_b);
    free(st->hw_c.v), free(st->hw_b.v), free(st->bs_c.v), free(st->bs_b.v);
    memset(st, 0, sizeof *st);
    return row->hardware_candidate && row->hardware_baseline && row->batch_candidate &&
                   row->batch_baseline
               ? WP_OK
               : WP_ERR_NOMEM;
}

/* Why the verdict of ratio r is undecided, for the user. */
static const char *undecided_why(const struct wp_ratio *r)
{
    if (isnan(r->ratio))
        return r->mean_b == 0.0 ? "no ratio: the baseline's mean is 0 kWh"
                                : "no ratio";
    if (isnan(r->lo) || isnan(r->hi))
        return r->n_a < 2 || r->n_b < 2
                   ? "no interval: a side has a single unit"
                   : "no interval: a resample of the baseline has a mean of 0 kWh";
    return "the interval reaches across an end of the margin";
}

static enum wp_err compare_group(const struct side *sc, const struct run_rec *rc, size_t nc,
                                 const struct side *sb, const struct run_rec *rb, size_t nb,
                                 const struct wp_gate_opts *o, struct wp_gate_row *row)
{
    struct setup st = {0};
    bool mt = o->by_model_task;
    struct builder bc = {malloc(nc * sizeof(double)), malloc(nc * sizeof(long long)),
                         malloc(nc * sizeof(long long)), 0};
    struct builder bb = {malloc(nb * sizeof(double)), malloc(nb * sizeof(long long)),
                         malloc(nb * sizeof(long long)), 0};
    struct wp_design dc = {0}, db = {0};
    enum wp_err e = WP_ERR_NOMEM;
    row->task = strdup(rc->exp->task);
    row->model = mt ? strdup(rc->exp->model) : NULL;
    if (!bc.x || !bc.unit || !bc.exp || !bb.x || !bb.unit || !bb.exp || !row->task ||
        (mt && !row->model))
        goto out;
    size_t i = 0, j = 0, k = 0;
    while (i < nc || j < nb) {
        int c = i == nc ? 1 : j == nb ? -1 : strcmp(unit_key(&rc[i], mt), unit_key(&rb[j], mt));
        size_t ie = i < nc ? range_end(rc, i, nc, mt, true) : i;
        size_t je = j < nb ? range_end(rb, j, nb, mt, true) : j;
        if (c < 0) {
            row->unpaired_candidate++, i = ie;
        } else if (c > 0) {
            row->unpaired_baseline++, j = je;
        } else {
            add_unit(&bc, rc, i, ie, k);
            add_unit(&bb, rb, j, je, k++);
            if (!setup_unit(&st, sc, rc + i, ie - i, sb, rb + j, je - j, !mt))
                goto out;
            i = ie, j = je;
        }
    }
    row->is_paired = k >= 2;
    if (!row->is_paired) { /* different units (or one in common): each side's own */
        bc.n = bb.n = 0;
        row->unpaired_candidate = row->unpaired_baseline = 0;
        for (i = k = 0; i < nc; i = range_end(rc, i, nc, mt, true))
            add_unit(&bc, rc, i, range_end(rc, i, nc, mt, true), k++);
        for (j = k = 0; j < nb; j = range_end(rb, j, nb, mt, true))
            add_unit(&bb, rb, j, range_end(rb, j, nb, mt, true), k++);
        st.hw_c.n = st.hw_b.n = 0;
        /* per model x task the units are datasets: other ones on each side are another
         * workload, not the change (per task they are other models, by design) */
        struct names ds_c = {0}, ds_b = {0};
        bool ok = names_of(sc, rc, nc, &st.hw_c, mt ? &ds_c : NULL) &&
                  names_of(sb, rb, nb, &st.hw_b, mt ? &ds_b : NULL);
        bool is_ds_differ = mt && !names_equal(&ds_c, &ds_b);
        free(ds_c.v), free(ds_b.v);
        if (!ok)
            goto out;
        st.is_ds_differ = is_ds_differ;
        st.parts_c = parts_seen(rc, nc);
        st.parts_b = parts_seen(rb, nb);
    }
    if ((e = setup_finish(&st, row->is_paired, row)))
        goto out;
    row->runs_candidate = bc.n;
    row->runs_baseline = bb.n;
    e = wp_stats_design_new(bc.x, bc.unit, bc.exp, bc.n, &dc);
    if (!e)
        e = wp_stats_design_new(bb.x, bb.unit, bb.exp, bb.n, &db);
    /* a unit whose values are all NaN drops out of one design only: no pairing left */
    if (!e && row->is_paired && dc.n_units != db.n_units)
        e = WP_ERR_EMPTY;
    if (!e)
        e = row->is_paired ? wp_stats_ratio_cluster_paired(&dc, &db, &o->boot, &row->ratio)
                           : wp_stats_ratio_cluster(&dc, &db, false, &o->boot, &row->ratio);
    row->verdict = wp_verdict_of(row->ratio.lo, row->ratio.hi, o->margin);
    row->undecided_why = row->verdict == WP_VERDICT_UNDECIDED ? undecided_why(&row->ratio)
                                                              : NULL;
out:
    free(st.hw_c.v), free(st.hw_b.v), free(st.bs_c.v), free(st.bs_b.v);
    wp_stats_design_free(&dc);
    wp_stats_design_free(&db);
    free(bc.x), free(bc.unit), free(bc.exp);
    free(bb.x), free(bb.unit), free(bb.exp);
    return e;
}

static void row_free(struct wp_gate_row *r)
{
    free(r->task);
    free(r->model);
    free(r->hardware_candidate);
    free(r->hardware_baseline);
    free(r->batch_candidate);
    free(r->batch_baseline);
    memset(r, 0, sizeof *r);
}

enum wp_err wp_gate_run(struct wp_store *cand, const struct wp_run_filter *fc,
                        struct wp_store *base, const struct wp_run_filter *fb,
                        const struct wp_gate_opts *o, struct wp_gate *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    if (!cand || !base || !fc || !fb || !o || !(o->margin >= 0.0))
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "compare: bad arguments");
    out->margin = o->margin;
    bool mt = out->by_model_task = o->by_model_task;
    struct side sc = {0}, sb = {0};
    size_t groups_c = 0, groups_b = 0;
    enum wp_err e = side_read(cand, fc, &sc, d);
    if (!e)
        e = side_read(base, fb, &sb, d);
    if (e)
        goto out;
    size_t i = 0, j = 0;
    while (!e && (i < sc.n_r || j < sb.n_r)) {
        int c = i == sc.n_r ? 1 : j == sb.n_r ? -1 : cmp_group(&sc.r[i], &sb.r[j], mt);
        size_t ie = i < sc.n_r ? range_end(sc.r, i, sc.n_r, mt, false) : i;
        size_t je = j < sb.n_r ? range_end(sb.r, j, sb.n_r, mt, false) : j;
        groups_c += c <= 0;
        groups_b += c >= 0;
        if (c < 0) {
            out->only_candidate++, i = ie;
            continue;
        }
        if (c > 0) {
            out->only_baseline++, j = je;
            continue;
        }
        if (WP_ARRAY_GROW(out->rows, out->n_rows + 1, out->cap_rows)) {
            e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        struct wp_gate_row *r = &out->rows[out->n_rows];
        memset(r, 0, sizeof *r);
        e = compare_group(&sc, sc.r + i, ie - i, &sb, sb.r + j, je - j, o, r);
        if (e == WP_ERR_EMPTY) { /* no unit on both sides: the group is one side's alone */
            out->only_candidate++, out->only_baseline++;
            row_free(r);
            e = WP_OK;
        } else if (e) {
            wp_diag_set(d, e, NULL, 0, 0, "compare: %s", wp_strerror(e));
            row_free(r);
        } else {
            out->n_costlier += r->verdict == WP_VERDICT_COSTLIER;
            out->n_setup_differs += r->hardware == WP_GATE_DIFFERS || r->is_datasets_differ ||
                                    r->is_parts_differ || r->is_batch_differ;
            out->n_rows++;
        }
        i = ie, j = je;
    }
    if (!e && !out->n_rows)
        e = wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                        "compare: no %s has a %s measured on both sides (candidate: %zu, "
                        "baseline: %zu)", mt ? "model x task" : "task",
                        mt ? "dataset" : "model", groups_c, groups_b);
out:
    side_free(&sc);
    side_free(&sb);
    if (e)
        wp_gate_free(out);
    return e;
}

void wp_gate_free(struct wp_gate *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n_rows; i++)
        row_free(&g->rows[i]);
    free(g->rows);
    memset(g, 0, sizeof *g);
}
