/* nvidia-smi power sample logs (`--query-gpu=timestamp,...,power.draw --format=csv`, with or
 * without `nounits`, and hand-written headers above `noheader` rows): the whole file is
 * one run, its energy the trapezoid integral of power over time per GPU (integrate.c),
 * summed.  Columns are found by name; quantities keep their unit in the header bracket
 * ("power.draw [W]") and may repeat it in the value ("245.31 W"). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/common.h"
#include "ingest/csv.h"
#include "ingest/ingest.h"
#include "ingest/plausible.h"
#include "ingest/integrate.h"
#include "util/array.h"
#include "util/text.h"

#define MAX_GPUS 256

/* Header names, best first within each role (matched case-insensitively, unit removed). */
static const char *const time_names[] = {"timestamp", "time", NULL};
static const char *const power_names[] = {
    "power.draw", "power.draw.average", "power.draw.instant", "power_draw", "power", NULL,
};
static const char *const key_names[] = {"index", "gpu_index", "uuid", "gpu_uuid",
                                        "pci.bus_id", "gpu_bus_id", NULL};
static const char *const model_names[] = {"name", "gpu_name", NULL};
/* Names only nvidia-smi queries use: enough to recognise a log without power. */
static const char *const smi_names[] = {
    "utilization.gpu", "utilization.memory", "memory.used", "memory.total", "memory.free",
    "temperature.gpu", "pstate", "clocks.sm", "clocks.mem", "fan.speed", "power.limit",
    "enforced.power.limit", "pci.bus_id", "driver_version", NULL,
};

struct power_unit {
    const char *name;
    double scale; /* to W */
};
static const struct power_unit power_units[] = {{"W", 1.0}, {"mW", 1e-3}, {"kW", 1e3}};

struct gpu {
    char key[64];
    char model[128];
    struct wp_power_series *series;
    /* when appending: the last sample before the new rows, where the new stretch starts */
    bool has_carry;
    double carry_t, carry_p;
    long carry_line;
    char carry_iso[64];
};

struct parser {
    struct wp_sink *sink;
    const char *path;
    /* the header */
    size_t n_fields;
    char **names;
    int c_time, c_power, c_key, c_model;
    int power_rank;
    char power_header[96];
    const char *value_unit; /* what a value may repeat after its number */
    double power_scale;
    /* the samples */
    struct gpu *gpus;
    size_t n_gpus, cap_gpus, last_gpu;
    bool have_t0;
    struct wp_when t0;
    /* the last timestamp text read and what it parsed to: GPUs interleaved share one */
    char last_ts[64];
    struct wp_when last_when;
    double min_t, max_t;
    char start_iso[64];
    long first_line, missing, first_missing;
};

static int rank_of(const char *base, const char *const *names)
{
    /* the first byte first (names are lower case): every file is offered to detect() */
    int c = tolower((unsigned char)base[0]);
    for (int i = 0; names[i]; i++)
        if (names[i][0] == c && strcasecmp(base, names[i]) == 0)
            return i;
    return -1;
}

static void parser_free(struct parser *p)
{
    for (size_t i = 0; i < p->n_fields; i++)
        free(p->names[i]);
    free(p->names);
    for (size_t i = 0; i < p->n_gpus; i++)
        wp_series_free(p->gpus[i].series);
    free(p->gpus);
}

/* Where each column goes; the power unit from its bracket. */
static enum wp_err set_header(struct parser *p, const struct wp_csv_record *rec,
                              struct wp_diag *d)
{
    int best_time = 99, best_key = 99, best_model = 99;
    char power_unit[16] = "";
    p->c_time = p->c_power = p->c_key = p->c_model = -1;
    p->power_rank = 99;
    if (!(p->names = calloc(rec->n, sizeof *p->names)))
        return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
    p->n_fields = rec->n;
    for (size_t i = 0; i < rec->n; i++) {
        char base[96], unit[16];
        if (!(p->names[i] = strdup(rec->fields[i])))
            return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
        wp_name_unit(rec->fields[i], base, sizeof base, unit, sizeof unit);
        int r;
        if ((r = rank_of(base, time_names)) >= 0 && r < best_time)
            best_time = r, p->c_time = (int)i;
        if ((r = rank_of(base, power_names)) >= 0 && r < p->power_rank) {
            p->power_rank = r, p->c_power = (int)i;
            snprintf(power_unit, sizeof power_unit, "%s", unit);
            wp_strlcpy_utf8(p->power_header, rec->fields[i], sizeof p->power_header);
        }
        if ((r = rank_of(base, key_names)) >= 0 && r < best_key)
            best_key = r, p->c_key = (int)i;
        if ((r = rank_of(base, model_names)) >= 0 && r < best_model)
            best_model = r, p->c_model = (int)i;
    }
    if (p->c_power < 0)
        return WP_OK; /* no power: the caller says so */
    p->value_unit = "W";
    p->power_scale = 1.0;
    if (*power_unit) {
        size_t k, n = sizeof power_units / sizeof power_units[0];
        for (k = 0; k < n && strcmp(power_unit, power_units[k].name) != 0; k++)
            ;
        if (k == n)
            return wp_diag_set(d, WP_ERR_PARSE, p->path, rec->line, p->c_power + 1,
                               "%s: unit [%s] is not a unit of power (W, mW or kW)",
                               rec->fields[p->c_power], power_unit);
        p->value_unit = power_units[k].name;
        p->power_scale = power_units[k].scale;
    }
    return WP_OK;
}

static bool is_header_again(const struct parser *p, const struct wp_csv_record *rec)
{
    if (rec->n != p->n_fields)
        return false;
    for (size_t i = 0; i < rec->n; i++)
        if (strcmp(rec->fields[i], p->names[i]) != 0)
            return false;
    return true;
}

static enum wp_err gpu_for(struct parser *p, const struct wp_csv_record *rec,
                           struct gpu **out, struct wp_diag *d)
{
    const char *key = p->c_key >= 0 ? rec->fields[p->c_key] : "";
    /* interleaved GPUs come round in turn: look first at the one after the last found */
    for (size_t k = 0; k < p->n_gpus; k++) {
        size_t i = (p->last_gpu + 1 + k) % p->n_gpus;
        if (strcmp(p->gpus[i].key, key) == 0) {
            p->last_gpu = i;
            *out = &p->gpus[i];
            return WP_OK;
        }
    }
    if (p->n_gpus == MAX_GPUS)
        return wp_diag_set(d, WP_ERR_LIMIT, p->path, rec->line, p->c_key + 1,
                           "more than %d GPUs in one log", MAX_GPUS);
    if (WP_ARRAY_GROW(p->gpus, p->n_gpus + 1, p->cap_gpus))
        return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
    struct gpu *g = &p->gpus[p->n_gpus];
    memset(g, 0, sizeof *g);
    if (!(g->series = wp_series_new(WP_GAP_MIN_S, WP_GAP_FACTOR)))
        return wp_diag_set(d, WP_ERR_NOMEM, p->path, rec->line, 0, "out of memory");
    p->last_gpu = p->n_gpus++;
    wp_strlcpy_utf8(g->key, key, sizeof g->key);
    if (p->c_model >= 0)
        wp_strlcpy_utf8(g->model, rec->fields[p->c_model], sizeof g->model);
    *out = g;
    return WP_OK;
}

static enum wp_err add_sample(struct parser *p, struct gpu *g, double t, double w, long line,
                              const char *iso, struct wp_diag *d)
{
    enum wp_sample how;
    enum wp_err e = wp_series_add(g->series, t, w, line, &how);
    if (e == WP_ERR_LIMIT)
        return wp_diag_set(d, e, p->path, line, 0,
                           "more than %ld pauses longer than %g s between samples of GPU %s",
                           WP_SERIES_MAX_GAPS, WP_GAP_MIN_S, g->key);
    if (e)
        return wp_diag_set(d, e, p->path, line, 0, "out of memory");
    if (how != WP_SAMPLE_USED)
        return WP_OK;
    if (!p->first_line)
        p->first_line = line;
    if (isnan(p->min_t) || t < p->min_t) {
        p->min_t = t;
        snprintf(p->start_iso, sizeof p->start_iso, "%s", iso);
    }
    if (isnan(p->max_t) || t > p->max_t)
        p->max_t = t;
    return WP_OK;
}

static enum wp_err row(struct parser *p, const struct wp_csv_record *rec, bool is_old,
                       struct wp_diag *d)
{
    struct wp_sink *sink = p->sink;
    bool skip;
    enum wp_err we = wp_row_width(sink, p->path, rec, p->n_fields, &skip, d);
    if (we || skip)
        return we;
    const char *ts = rec->fields[p->c_time], *pw = rec->fields[p->c_power];
    struct wp_when when;
    size_t ts_len = strlen(ts);
    if (ts_len < sizeof p->last_ts && memcmp(ts, p->last_ts, ts_len + 1) == 0) {
        when = p->last_when; /* the same text parses to the same time */
    } else if (wp_time_parse(ts, &when)) {
        if (ts_len < sizeof p->last_ts) {
            memcpy(p->last_ts, ts, ts_len + 1);
            p->last_when = when;
        }
    } else {
        return wp_bad_row(sink, p->path, rec->line, p->c_time + 1, rec->raw, d,
                          "%s: \"%.40s\" is not a timestamp", p->names[p->c_time], ts);
    }
    if (!p->have_t0) {
        p->have_t0 = true;
        p->t0 = when;
    } else if (when.has_date != p->t0.has_date) {
        return wp_bad_row(sink, p->path, rec->line, p->c_time + 1, rec->raw, d,
                          "%s: \"%.40s\" mixes dates and plain seconds in one log",
                          p->names[p->c_time], ts);
    }
    double w;
    switch (wp_parse_quantity(pw, p->value_unit, &w)) {
    case WP_NUM_OK:
        break;
    case WP_NUM_MISSING:
        if (!p->missing++)
            p->first_missing = rec->line;
        return WP_OK;
    case WP_NUM_RANGE:
        return wp_bad_row(sink, p->path, rec->line, p->c_power + 1, rec->raw, d,
                          "%s: \"%.40s\" %s", p->power_header, pw,
                          wp_num_why(WP_NUM_RANGE));
    default:
        return wp_bad_row(sink, p->path, rec->line, p->c_power + 1, rec->raw, d,
                          "%s: \"%.40s\" is not a number of %s", p->power_header, pw,
                          p->value_unit);
    }
    if (w < 0)
        return wp_bad_row(sink, p->path, rec->line, p->c_power + 1, rec->raw, d,
                          "%s: negative power %s", p->power_header, pw);
    w *= p->power_scale;
    if (isinf(w))
        return wp_bad_row(sink, p->path, rec->line, p->c_power + 1, rec->raw, d,
                          "%s: \"%.40s\" is out of range in W", p->power_header, pw);
    struct gpu *g = NULL;
    enum wp_err e = gpu_for(p, rec, &g, d);
    if (e)
        return e;
    double t = wp_when_diff(&p->t0, &when);
    if (is_old) { /* ingested before: only where the new stretch starts matters */
        g->has_carry = true;
        g->carry_t = t;
        g->carry_p = w;
        g->carry_line = rec->line;
        snprintf(g->carry_iso, sizeof g->carry_iso, "%s", when.iso);
        return WP_OK;
    }
    if (g->has_carry) {
        g->has_carry = false;
        if ((e = add_sample(p, g, g->carry_t, g->carry_p, g->carry_line, g->carry_iso, d)))
            return e;
    }
    return add_sample(p, g, t, w, rec->line, when.iso, d);
}

/* Warnings about what integration skipped or could not bridge, per GPU. */
static void report_series(const struct parser *p, const struct gpu *g,
                          const struct wp_integral *in)
{
    const struct wp_reporter *rep = p->sink->rep;
    char who[80] = "";
    if (p->n_gpus > 1)
        snprintf(who, sizeof who, " of GPU %s", g->key);
    if (in->n_gaps)
        wp_report(rep, WP_WARN, p->path, in->first_gap_tag, 0,
                  "%zu gap%s in the power samples%s (first: %.3g s before this line; "
                  "%.6g s in all, longer than %.3g s = max(%g s, %g x the median period "
                  "%.3g s)): not bridged, their energy is not counted; the run is flagged "
                  "sample_gap (wattprint validity)",
                  in->n_gaps, in->n_gaps == 1 ? "" : "s", who, in->first_gap_s, in->gap_s,
                  in->threshold_s, WP_GAP_MIN_S, WP_GAP_FACTOR, in->median_dt_s);
    if (in->n_duplicates)
        wp_report(rep, WP_WARN, p->path, in->first_duplicate_tag, 0,
                  "%zu sample%s%s with the same timestamp as the one before (first at this "
                  "line): skipped%s",
                  in->n_duplicates, in->n_duplicates == 1 ? "" : "s", who,
                  p->c_key < 0 ? " (several GPUs logged without an index column?)" : "");
    if (in->n_out_of_order)
        wp_report(rep, WP_WARN, p->path, in->first_out_of_order_tag, 0,
                  "%zu sample%s%s earlier than the one before (first at this line): out of "
                  "order, skipped",
                  in->n_out_of_order, in->n_out_of_order == 1 ? "" : "s", who);
    if (in->n_samples == 1)
        wp_report(rep, WP_WARN, p->path, p->first_line, 0,
                  "a single power sample%s: no interval to integrate, its energy counts as 0",
                  who);
}

/* The model name(s): one name, or the distinct names joined (whole names only). */
static void gpu_models(const struct parser *p, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->n_gpus; i++) {
        const char *m = p->gpus[i].model;
        bool seen = !*m;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(p->gpus[j].model, m) == 0;
        if (seen || used + (used ? 2 : 0) + strlen(m) >= size)
            continue;
        used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "", m);
    }
}

static enum wp_err emit(struct parser *p, struct wp_diag *d)
{
    struct wp_sink *sink = p->sink;
    struct wp_extras x;
    wp_extras_init(&x);
    double energy = 0.0;
    size_t samples = 0, with_samples = 0, gaps = 0;
    double median = NAN;
    for (size_t i = 0; i < p->n_gpus; i++) {
        struct wp_integral in;
        wp_series_result(p->gpus[i].series, &in);
        report_series(p, &p->gpus[i], &in);
        energy += in.energy_j;
        samples += in.n_samples;
        gaps += in.n_gaps;
        with_samples += in.n_samples > 0;
        if (isnan(median))
            median = in.median_dt_s;
        if (p->n_gpus > 1) {
            char key[64], gpu[41];
            wp_strlcpy_utf8(gpu, p->gpus[i].key, sizeof gpu);
            snprintf(key, sizeof key, "gpu_%s_energy_j", gpu);
            wp_extras_num(&x, key, in.energy_j);
        }
    }
    if (p->missing)
        wp_report(sink->rep, WP_WARN, p->path, p->first_missing, 0,
                  "%ld row%s without a power reading ([N/A] or empty; first at this line): "
                  "skipped, the samples around them are bridged",
                  p->missing, p->missing == 1 ? "" : "s");
    if (samples == 0) {
        snprintf(sink->no_data, sizeof sink->no_data, "%s",
                 p->missing ? "no power reading in any sample ([N/A] or [Not Supported] "
                              "throughout): no energy can be derived"
                            : "no power samples after the header");
        return WP_OK;
    }
    if (!isfinite(energy)) /* each sample finite, their integral beyond a double */
        return wp_diag_set(d, WP_ERR_PARSE, p->path, p->first_line, 0,
                           "the power samples integrate to an energy out of range");
    char models[256];
    gpu_models(p, models, sizeof models);
    struct wp_measurement m;
    wp_measurement_clear(&m);
    m.line = p->first_line;
    m.tool_name = "nvidia-smi";
    m.started_at = p->start_iso;
    m.duration_s = p->max_t - p->min_t;
    m.energy_j = m.gpu_energy_j = energy;
    if (m.duration_s > 0)
        m.gpu_power_w = energy / m.duration_s;
    m.gpu_model = models;
    m.gpu_count = (double)with_samples;
    if (wp_plausible_part_time_power(p->power_header, models))
        wp_report(sink->rep, WP_WARN, p->path, p->first_line, 0,
                  "GPU energy from %.24s on %.40s, which sees 25 ms of every 100 ms (Yang "
                  "et al., SC24): flagged part_time_power (wattprint validity); log the "
                  "energy counter (Zeus) or power.draw.average", p->power_header, models);
    wp_extras_text(&x, "power_column", p->power_header);
    wp_extras_num(&x, "power_samples", (double)samples);
    wp_extras_num(&x, "median_period_s", median);
    if (gaps)
        wp_extras_num(&x, "gaps_not_bridged", (double)gaps);
    wp_extras_attach(&x, &m);
    return sink->measurement(sink->ctx, &m, NULL, d);
}

static enum wp_err parse(struct wp_reader *r, struct wp_sink *sink, struct wp_diag *d)
{
    struct parser p = {.sink = sink, .path = wp_reader_path(r), .min_t = NAN, .max_t = NAN};
    struct wp_csv *csv;
    enum wp_err e = wp_csv_open(r, &csv, d);
    if (e)
        return e;
    bool have_header = false;
    struct wp_csv_record *rec;
    while (wp_csv_more(csv, &rec, &e, d)) {
        if (!have_header) {
            have_header = true;
            if ((e = set_header(&p, rec, d)))
                break;
            if (p.c_power < 0) {
                snprintf(sink->no_data, sizeof sink->no_data,
                         "no power.draw column: the log has GPU %s but no power, so no "
                         "energy can be derived (log with --query-gpu=timestamp,power.draw)",
                         p.n_fields > 2 ? "utilisation or memory" : "readings");
                break;
            }
            if (p.c_time < 0) {
                e = wp_diag_set(d, WP_ERR_PARSE, p.path, rec->line, 0,
                                "no timestamp column: power samples without times cannot "
                                "be integrated into energy (log with "
                                "--query-gpu=timestamp,power.draw)");
                break;
            }
            sink->consumed = rec->end_offset;
            continue;
        }
        if (is_header_again(&p, rec)) {
            sink->consumed = rec->end_offset;
            continue; /* logging scripts repeat the header before every sample */
        }
        bool is_old = rec->end_offset <= sink->skip_until;
        if ((e = row(&p, rec, is_old, d)))
            break;
        if (!wp_row_is_cut(rec, p.n_fields))
            sink->consumed = rec->end_offset;
    }
    if (!e && !have_header)
        snprintf(sink->no_data, sizeof sink->no_data, "empty file: no nvidia-smi header");
    else if (!e && p.c_power >= 0)
        e = emit(&p, d);
    parser_free(&p);
    wp_csv_close(csv);
    return e;
}

static int detect(const char *const *names, size_t n, char *why, size_t why_size)
{
    bool time = false, power = false, smi = false, bracket = false;
    for (size_t i = 0; i < n; i++) {
        char base[96], unit[16];
        wp_name_unit(names[i], base, sizeof base, unit, sizeof unit);
        time |= rank_of(base, time_names) >= 0;
        power |= rank_of(base, power_names) >= 0 && strcasecmp(base, "power") != 0;
        smi |= rank_of(base, smi_names) >= 0;
        bracket |= *unit != '\0';
    }
    if (power && (time || bracket))
        return 90;
    if (smi && (time || bracket))
        return 80; /* an nvidia-smi log, but without power: parse says so */
    if (power)
        return 70; /* power without times: parse refuses with the reason */
    struct wp_when w;
    if (n >= 2 && wp_time_parse(names[0], &w) && w.has_date)
        snprintf(why, why_size, "first line is data, not a header (nvidia-smi "
                                "--format=csv,noheader): add the header line");
    else
        snprintf(why, why_size, "no power.draw or other nvidia-smi column in the header");
    return 0;
}

const struct wp_format wp_format_nvidia_smi = {
    .name = "nvidia-smi",
    .summary = "nvidia-smi --query-gpu power samples (CSV), integrated per GPU into one run",
    .versions = "--query-gpu output as csv and csv,nounits (real logs of 2023 to 2026 "
                "drivers checked); hand-written headers; power.draw[.average|.instant]",
    .detect_header = detect,
    .parse = parse,
    .appends = true,
};
