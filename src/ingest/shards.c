/* Merges the CodeCarbon logs of the processes of one distributed run (see shards.h): the
 * files are read whole (they hold one row per flush, bounded by WP_SHARDS_MAX_BYTES), rows
 * are matched by run and position, and one CSV is written with the first file's header;
 * each run's CPU, RAM and other columns come from the shard whose run lasted longest. */
#include "ingest/shards.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/csv.h"
#include "ingest/reader.h"
#include "util/array.h"
#include "util/num.h"

/* The columns the merge reads or rewrites (CodeCarbon's names). */
enum col {
    C_RUN, C_DURATION, C_CPU_E, C_GPU_E, C_RAM_E, C_ENERGY, C_GPU_P, C_GPU_N, C_EMIS,
    C_RATE, C__N
};
static const char *const col_name[C__N] = {
    "run_id", "duration", "cpu_energy", "gpu_energy", "ram_energy", "energy_consumed",
    "gpu_power", "gpu_count", "emissions", "emissions_rate",
};

struct shard {
    const char *path;
    size_t ncol, nrows, cap;
    size_t cap_cells; /* cells' capacity, in cells */
    char **head;     /* ncol names */
    char **cells;    /* nrows x ncol */
    long *line;      /* each row's line */
    size_t *runs;    /* row index where each run starts, then nrows */
    size_t nruns;
    int col[C__N];   /* -1 when absent */
};

static void shard_free(struct shard *s)
{
    for (size_t i = 0; s->head && i < s->ncol; i++)
        free(s->head[i]);
    for (size_t i = 0; s->cells && i < s->nrows * s->ncol; i++)
        free(s->cells[i]);
    free(s->head);
    free(s->cells);
    free(s->line);
    free(s->runs);
}

static enum wp_err nomem(struct wp_diag *d)
{
    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static enum wp_err add_row(struct shard *s, const struct wp_csv_record *rec, size_t *bytes,
                           struct wp_diag *d)
{
    if (rec->n != s->ncol)
        return wp_diag_set(d, WP_ERR_PARSE, s->path, rec->line, 0,
                           "expected %zu fields, found %zu", s->ncol, rec->n);
    if ((s->ncol && s->nrows + 1 > SIZE_MAX / s->ncol) ||
        WP_ARRAY_GROW(s->cells, (s->nrows + 1) * s->ncol, s->cap_cells) ||
        WP_ARRAY_GROW(s->line, s->nrows + 1, s->cap))
        return nomem(d);
    char **row = s->cells + s->nrows * s->ncol;
    for (size_t i = 0; i < s->ncol; i++) {
        *bytes += strlen(rec->fields[i]) + 1;
        if (!(row[i] = strdup(rec->fields[i]))) {
            for (size_t k = 0; k < i; k++)
                free(row[k]);
            return nomem(d);
        }
    }
    s->line[s->nrows++] = rec->line;
    if (*bytes > WP_SHARDS_MAX_BYTES)
        return wp_diag_set(d, WP_ERR_LIMIT, s->path, rec->line, 0,
                           "the shards hold more than %zu MiB of rows", WP_SHARDS_MAX_BYTES >> 20);
    return WP_OK;
}

/* Reads one shard: its header, its rows, and where each run (by run_id) starts. */
static enum wp_err read_shard(struct shard *s, size_t *bytes, struct wp_diag *d)
{
    struct wp_reader *r = NULL;
    struct wp_csv *csv = NULL;
    enum wp_err e = wp_reader_open(s->path, &r, d);
    if (!e)
        e = wp_csv_open(r, &csv, d);
    bool done = false;
    struct wp_csv_record *rec;
    while (!e && !(e = wp_csv_next(csv, &rec, &done, d)) && !done) {
        if (!s->head) {
            if (!(s->head = calloc(rec->n ? rec->n : 1, sizeof *s->head))) {
                e = nomem(d);
                break;
            }
            s->ncol = rec->n;
            for (size_t i = 0; i < rec->n && !e; i++)
                if (!(s->head[i] = strdup(rec->fields[i])))
                    e = nomem(d);
            continue;
        }
        e = add_row(s, rec, bytes, d);
    }
    wp_csv_close(csv);
    wp_reader_close(r);
    if (e)
        return e;
    if (!s->head || !s->nrows)
        return wp_diag_set(d, WP_ERR_EMPTY, s->path, 0, 0, "no rows: not a shard of a run");
    for (int c = 0; c < C__N; c++) {
        s->col[c] = -1;
        for (size_t i = 0; i < s->ncol; i++)
            if (strcmp(s->head[i], col_name[c]) == 0)
                s->col[c] = (int)i;
    }
    static const enum col need[] = {C_CPU_E, C_GPU_E, C_RAM_E, C_ENERGY};
    for (size_t k = 0; k < sizeof need / sizeof *need; k++)
        if (s->col[need[k]] < 0)
            return wp_diag_set(d, WP_ERR_PARSE, s->path, 1, 0,
                               "no %s column: --shards reads CodeCarbon logs with "
                               "cpu_energy, gpu_energy, ram_energy and energy_consumed",
                               col_name[need[k]]);
    if (!(s->runs = malloc((s->nrows + 1) * sizeof *s->runs)))
        return nomem(d);
    for (size_t i = 0; i < s->nrows; i++) {
        const char *id = s->col[C_RUN] >= 0 ? s->cells[i * s->ncol + s->col[C_RUN]] : "";
        const char *prev = i && s->col[C_RUN] >= 0
                               ? s->cells[(i - 1) * s->ncol + s->col[C_RUN]] : "";
        if (i == 0 || strcmp(id, prev) != 0)
            s->runs[s->nruns++] = i;
    }
    s->runs[s->nruns] = s->nrows;
    return WP_OK;
}

/* The value of column c in row i of s: NAN when absent or empty; an error at the cell when
 * it is not a number. */
static enum wp_err cell(const struct shard *s, size_t i, enum col c, double *out,
                        struct wp_diag *d)
{
    *out = NAN;
    if (s->col[c] < 0)
        return WP_OK;
    const char *v = s->cells[i * s->ncol + s->col[c]];
    enum wp_num k = wp_parse_num(v, out);
    if (k == WP_NUM_OK || k == WP_NUM_MISSING)
        return WP_OK;
    return wp_diag_set(d, WP_ERR_PARSE, s->path, s->line[i], s->col[c] + 1, "%s: \"%.40s\" %s",
                       col_name[c], v, wp_num_why(k));
}

/* Writes one CSV field, quoted when it must be. */
static void put_field(FILE *out, const char *v, bool first)
{
    if (!first)
        fputc(',', out);
    bool quote = strpbrk(v, ",\"\r\n") || (*v && (v[0] == ' ' || v[strlen(v) - 1] == ' '));
    if (!quote) {
        fputs(v, out);
        return;
    }
    fputc('"', out);
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

/* Each shard logged every GPU of the node (the same count, more than one, at least one
 * per shard): their GPU energy is the node's too, and is taken once. */
static bool gpu_machine_wide(const struct shard *s, size_t n, long *count)
{
    double first = NAN;
    for (size_t k = 0; k < n; k++) {
        double g;
        struct wp_diag ignore = {0};
        if (cell(&s[k], 0, C_GPU_N, &g, &ignore) || isnan(g))
            return false;
        if (k == 0)
            first = g;
        else if (g != first)
            return false;
    }
    *count = (long)first;
    return first > 1 && first >= (double)n;
}

/* The shard whose run `j` lasted longest (its last row's duration; ties: the first file
 * given): its rows give the run's CPU, RAM and other columns, run id included, so that its
 * flushes stay one run. */
static enum wp_err longest(const struct shard *s, size_t n, size_t j, size_t *chosen,
                           struct wp_diag *d)
{
    double best = -INFINITY;
    *chosen = 0;
    for (size_t k = 0; k < n; k++) {
        double dur;
        enum wp_err e = cell(&s[k], s[k].runs[j + 1] - 1, C_DURATION, &dur, d);
        if (e)
            return e;
        if (!isnan(dur) && dur > best) {
            best = dur;
            *chosen = k;
        }
    }
    return WP_OK;
}

/* Merges row `i` of run `j` of every shard into one row of out. */
static enum wp_err merge_row(const struct shard *s, size_t n, size_t j, size_t i,
                             size_t chosen, bool gpu_once, FILE *out, struct wp_diag *d)
{
    double gpu_e = 0, gpu_p = 0, gpu_n = 0;
    bool any_gpu_e = false, any_gpu_p = false, any_gpu_n = false;
    enum wp_err e;
    for (size_t k = 0; k < n; k++) {
        size_t row = s[k].runs[j] + i;
        double ge, gp, gn;
        if ((e = cell(&s[k], row, C_GPU_E, &ge, d)) || (e = cell(&s[k], row, C_GPU_P, &gp, d)) ||
            (e = cell(&s[k], row, C_GPU_N, &gn, d)))
            return e;
        any_gpu_e |= !isnan(ge);
        any_gpu_p |= !isnan(gp);
        any_gpu_n |= !isnan(gn);
        gpu_e += isnan(ge) ? 0 : ge;
        gpu_p += isnan(gp) ? 0 : gp;
        gpu_n += isnan(gn) ? 0 : gn;
    }
    const struct shard *c = &s[chosen];
    size_t row = c->runs[j] + i;
    double ce, cg, cemis, crate;
    if ((e = cell(c, row, C_ENERGY, &ce, d)) || (e = cell(c, row, C_GPU_E, &cg, d)) ||
        (e = cell(c, row, C_EMIS, &cemis, d)) || (e = cell(c, row, C_RATE, &crate, d)))
        return e;
    char buf[C__N][40];
    const char *repl[C__N] = {0};
    if (!gpu_once) {
        if (any_gpu_e) {
            snprintf(buf[C_GPU_E], sizeof buf[C_GPU_E], "%.17g", gpu_e);
            repl[C_GPU_E] = buf[C_GPU_E];
        }
        if (any_gpu_p) {
            snprintf(buf[C_GPU_P], sizeof buf[C_GPU_P], "%.17g", gpu_p);
            repl[C_GPU_P] = buf[C_GPU_P];
        }
        if (any_gpu_n) {
            snprintf(buf[C_GPU_N], sizeof buf[C_GPU_N], "%.17g", gpu_n);
            repl[C_GPU_N] = buf[C_GPU_N];
        }
        /* the chosen shard's CPU and RAM part of energy_consumed, and every GPU */
        if (!isnan(ce) && any_gpu_e) {
            double energy = ce - (isnan(cg) ? 0 : cg) + gpu_e;
            snprintf(buf[C_ENERGY], sizeof buf[C_ENERGY], "%.17g", energy);
            repl[C_ENERGY] = buf[C_ENERGY];
            /* the same carbon intensity: emissions scale with the energy */
            if (ce > 0 && !isnan(cemis)) {
                snprintf(buf[C_EMIS], sizeof buf[C_EMIS], "%.17g", cemis * (energy / ce));
                repl[C_EMIS] = buf[C_EMIS];
            }
            if (ce > 0 && !isnan(crate)) {
                snprintf(buf[C_RATE], sizeof buf[C_RATE], "%.17g", crate * (energy / ce));
                repl[C_RATE] = buf[C_RATE];
            }
        }
    }
    for (size_t f = 0; f < c->ncol; f++) {
        const char *v = c->cells[row * c->ncol + f];
        for (int k = 0; k < C__N; k++)
            if (repl[k] && c->col[k] == (int)f)
                v = repl[k];
        put_field(out, v, f == 0);
    }
    fputc('\n', out);
    return WP_OK;
}

enum wp_err wp_shards_merge(const char *const *paths, size_t n, FILE *out,
                            struct wp_shards_info *info, struct wp_diag *d)
{
    memset(info, 0, sizeof *info);
    if (n < 2 || n > WP_SHARDS_MAX)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                           "--shards takes the 2 to %d files of one run (%zu given)",
                           WP_SHARDS_MAX, n);
    struct shard *s = calloc(n, sizeof *s);
    if (!s)
        return nomem(d);
    enum wp_err e = WP_OK;
    size_t bytes = 0;
    for (size_t k = 0; k < n && !e; k++) {
        s[k].path = paths[k];
        e = read_shard(&s[k], &bytes, d);
    }
    for (size_t k = 1; k < n && !e; k++) {
        bool same = s[k].ncol == s[0].ncol;
        for (size_t i = 0; same && i < s[0].ncol; i++)
            same = strcmp(s[k].head[i], s[0].head[i]) == 0;
        if (!same)
            e = wp_diag_set(d, WP_ERR_PARSE, s[k].path, 1, 0,
                            "not the same columns as %s: the shards of one run are written by "
                            "one CodeCarbon version", s[0].path);
        else if (s[k].nruns != s[0].nruns)
            e = wp_diag_set(d, WP_ERR_PARSE, s[k].path, 0, 0,
                            "%zu runs where %s has %zu: shards of one run log the same runs",
                            s[k].nruns, s[0].path, s[0].nruns);
        for (size_t j = 0; !e && j < s[0].nruns; j++) {
            size_t a = s[0].runs[j + 1] - s[0].runs[j], b = s[k].runs[j + 1] - s[k].runs[j];
            if (a != b)
                e = wp_diag_set(d, WP_ERR_PARSE, s[k].path, s[k].line[s[k].runs[j]], 0,
                                "run %zu has %zu rows where %s has %zu: the processes of one "
                                "run flush together", j + 1, b, s[0].path, a);
        }
    }
    if (!e) {
        for (size_t i = 0; i < s[0].ncol; i++)
            put_field(out, s[0].head[i], i == 0);
        fputc('\n', out);
        info->shards = n;
        info->gpu_machine_wide = gpu_machine_wide(s, n, &info->gpu_count);
        for (size_t j = 0; !e && j < s[0].nruns; j++) {
            size_t chosen;
            e = longest(s, n, j, &chosen, d);
            for (size_t i = 0; !e && i < s[0].runs[j + 1] - s[0].runs[j]; i++) {
                e = merge_row(s, n, j, i, chosen, info->gpu_machine_wide, out, d);
                info->rows += !e;
            }
        }
        if (!e && (fflush(out) != 0 || ferror(out)))
            e = wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot write the merged shards");
    }
    for (size_t k = 0; k < n; k++)
        shard_free(&s[k]);
    free(s);
    return e;
}
