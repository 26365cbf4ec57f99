/* Tests of src/analysis/genai.c: every metric against a hand computation, the alias table's
 * units, the size classes, and loading runs from a store into configurations with their
 * phases, extras (through wp_store_each_run_extra) and stars. */
#include "analysis/genai.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/check.h"

static void test_genai_metrics_from_totals_and_phases(void **state)
{
    (void)state;
    /* 160 requests; prefill 36 J, decode 432 J; 5,120 input and 20,320 output tokens;
     * 200 s */
    struct wp_gen_run r;
    wp_gen_run_clear(&r);
    r.phase_j[WP_GEN_PREFILL] = 36.0;
    r.phase_j[WP_GEN_DECODE] = 432.0;
    r.energy_j = 468.0;
    r.requests = 160.0;
    r.tokens_in = 5120.0;
    r.tokens_out = 20320.0;
    r.duration_s = 200.0;
    struct wp_gen_metrics m;
    wp_gen_metrics(&r, &m);
    assert_rel(m.j_per_request, 468.0 / 160.0, REL);               /* 2.925 J */
    assert_rel(m.wh_per_1k_queries, 2.925 * 1000.0 / 3600.0, REL); /* 0.8125 Wh */
    assert_rel(m.j_per_output_token, 468.0 / 20320.0, REL);
    assert_rel(m.output_tokens_per_j, 20320.0 / 468.0, REL);
    assert_rel(m.j_per_input_token, 36.0 / 5120.0, REL); /* prefill J per input token */
    assert_rel(m.prefill_j_per_input_token, 0.00703125, REL);
    assert_rel(m.decode_j_per_output_token, 432.0 / 20320.0, REL);
    assert_rel(m.phase_j_per_request[WP_GEN_PREFILL], 0.225, REL);
    assert_rel(m.phase_j_per_request[WP_GEN_DECODE], 2.7, REL);
    assert_nan(m.phase_j_per_request[WP_GEN_PREPROCESS]);
    assert_rel(m.avg_power_w, 468.0 / 200.0, REL); /* 2.34 W */
}

static void test_genai_metrics_from_a_leaderboards_per_unit_figures(void **state)
{
    (void)state;
    /* ML.ENERGY v3: energy_j is per request; the per-token figure and power are logged */
    struct wp_gen_run r;
    wp_gen_run_clear(&r);
    r.energy_j = 62.5;
    assert_true(wp_gen_run_extra(&r, "energy_per", "request"));
    assert_true(wp_gen_run_extra(&r, "energy_per_token_joules", "0.125"));
    assert_true(wp_gen_run_extra(&r, "avg_power_watts", "450"));
    r.duration_s = 1000.0; /* not a total's duration: never divides a per-unit energy */
    struct wp_gen_metrics m;
    wp_gen_metrics(&r, &m);
    assert_rel(m.j_per_request, 62.5, REL);
    assert_rel(m.wh_per_1k_queries, 62.5 / 3.6, REL);
    assert_rel(m.j_per_output_token, 0.125, REL);
    assert_rel(m.output_tokens_per_j, 8.0, REL);
    assert_rel(m.avg_power_w, 450.0, REL);
    assert_nan(m.j_per_input_token);

    /* per token only, tokens per request known: J per request stays unknown, the
     * per-token figure is the energy */
    wp_gen_run_clear(&r);
    r.energy_j = 0.4;
    wp_gen_run_extra(&r, "energy_per", "token");
    wp_gen_metrics(&r, &m);
    assert_rel(m.j_per_output_token, 0.4, REL);
    assert_nan(m.j_per_request);
    assert_nan(m.wh_per_1k_queries);

    /* a per-request figure and the mean output length give J per output token */
    wp_gen_run_clear(&r);
    r.energy_j = 300.0;
    wp_gen_run_extra(&r, "energy_per", "request");
    wp_gen_run_extra(&r, "avg_output_len", "600");
    wp_gen_metrics(&r, &m);
    assert_rel(m.j_per_output_token, 0.5, REL);
}

static void test_genai_energy_per_image_is_energy_per_request(void **state)
{
    (void)state;
    /* ML.ENERGY v3 text-to-image: 431.25 J per image, one image per prompt.  Before, no
     * metric came from it: the configuration had no energy and no stars */
    struct wp_gen_run r;
    wp_gen_run_clear(&r);
    r.energy_j = 431.25;
    assert_true(wp_gen_run_extra(&r, "energy_per", "image"));
    r.duration_s = 100.0; /* never divides a per-unit energy */
    struct wp_gen_metrics m;
    wp_gen_metrics(&r, &m);
    assert_rel(m.j_per_request, 431.25, REL);
    assert_rel(m.wh_per_1k_queries, 431.25 / 3.6, REL); /* 119.79 Wh */
    assert_nan(m.j_per_output_token);                     /* no tokens */
    assert_nan(m.avg_power_w);
    assert_true(wp_gen_run_extra(&r, "energy_per", "video"));
    wp_gen_metrics(&r, &m);
    assert_rel(m.j_per_request, 431.25, REL);
}

static void test_genai_informative_outside_ai_energy_scores_rule(void **state)
{
    (void)state;
    assert_string_equal(wp_gen_informative("H100", 1.0, "A"), "");
    assert_string_equal(wp_gen_informative("NVIDIA H100 80GB HBM3", 8.0, "C"), "");
    assert_string_equal(wp_gen_informative("B200", 1.0, "A"), "not an H100");
    assert_string_equal(wp_gen_informative("", 1.0, "A"), "GPU model unknown");
    assert_string_equal(wp_gen_informative("H100", 2.0, "B"), "class A or B on several GPUs");
    /* before: "" (comparable) with the count unknown, though the rule is one GPU */
    assert_string_equal(wp_gen_informative("H100", NAN, "A"), "class A or B, GPU count unknown");
    assert_string_equal(wp_gen_informative("H100", NAN, "C"), "");
}

static void test_genai_metrics_without_counts_are_unknown(void **state)
{
    (void)state;
    struct wp_gen_run r;
    wp_gen_run_clear(&r);
    r.energy_j = 100.0;
    r.requests = 0.0; /* zero requests: no division */
    struct wp_gen_metrics m;
    wp_gen_metrics(&r, &m);
    assert_nan(m.j_per_request);
    assert_nan(m.j_per_output_token);
    assert_nan(m.output_tokens_per_j);
    assert_nan(m.avg_power_w);
}

static void test_genai_aliases_convert_units_and_skip_bad_values(void **state)
{
    (void)state;
    struct wp_gen_run r;
    wp_gen_run_clear(&r);
    assert_true(wp_gen_run_extra(&r, "mean_itl_ms", "18"));
    assert_true(wp_gen_run_extra(&r, "p50_itl_ms", "17"));
    assert_true(wp_gen_run_extra(&r, "p90_itl_ms", "25"));
    assert_true(wp_gen_run_extra(&r, "p99_itl_ms", "40"));
    assert_true(wp_gen_run_extra(&r, "mean_ttft_ms", "250"));
    assert_true(wp_gen_run_extra(&r, "output_throughput_tokens_per_sec", "3600"));
    assert_true(wp_gen_run_extra(&r, "max_num_seqs", "64"));
    assert_true(wp_gen_run_extra(&r, "num_gpus", "2"));
    assert_true(wp_gen_run_extra(&r, "torch_dtype", "bfloat16"));
    assert_rel(r.itl_mean_s, 0.018, REL);
    assert_rel(r.itl_p50_s, 0.017, REL);
    assert_rel(r.itl_p90_s, 0.025, REL);
    assert_rel(r.itl_p99_s, 0.040, REL);
    assert_rel(r.ttft_s, 0.25, REL);
    assert_rel(r.throughput_tokens_per_s, 3600.0, REL);
    assert_rel(r.batch_size, 64.0, REL);
    assert_rel(r.gpu_count, 2.0, REL);
    assert_string_equal(r.precision, "bfloat16");
    /* not numbers, negative, infinite: left out; unknown keys say so */
    assert_true(wp_gen_run_extra(&r, "ttft_s", "fast"));
    assert_true(wp_gen_run_extra(&r, "itl_p50_s", "-1"));
    assert_true(wp_gen_run_extra(&r, "itl_p90_s", "inf"));
    assert_true(wp_gen_run_extra(&r, "batch_size", "8x"));
    assert_rel(r.ttft_s, 0.25, REL);
    assert_rel(r.itl_p50_s, 0.017, REL);
    assert_rel(r.itl_p90_s, 0.025, REL);
    assert_rel(r.batch_size, 64.0, REL);
    assert_false(wp_gen_run_extra(&r, "backend", "pytorch"));
}

static void test_genai_size_classes(void **state)
{
    (void)state;
    assert_string_equal(wp_gen_size_class(NAN), "");
    assert_string_equal(wp_gen_size_class(0), "");
    assert_string_equal(wp_gen_size_class(8e9), "A");
    assert_string_equal(wp_gen_size_class(19.9e9), "A");
    /* AI Energy Score's Table 2: maximum model size 20 B (A) and 66 B (B), inclusive */
    assert_string_equal(wp_gen_size_class(20e9), "A");
    assert_string_equal(wp_gen_size_class(20.1e9), "B");
    assert_string_equal(wp_gen_size_class(21e9), "B"); /* gpt-oss-20b, classed B there */
    assert_string_equal(wp_gen_size_class(66e9), "B");
    assert_string_equal(wp_gen_size_class(66.1e9), "C");
    assert_string_equal(wp_gen_size_class(70e9), "C");
}

/* ---- from a store ------------------------------------------------------------------ */

static long long add(struct wp_store *s, long long src, const char *run, const char *phase,
                     double energy_j, const char *gpu, const char *const *kv, size_t n_kv)
{
    struct wp_measurement m;
    wp_measurement_clear(&m);
    m.line = 1;
    m.run_label = run;
    m.phase = phase;
    m.energy_j = energy_j;
    m.gpu_model = gpu;
    m.gpu_count = 1;
    m.tool_name = "test";
    const char *keys[8], *values[8];
    for (size_t i = 0; i < n_kv; i++) {
        keys[i] = kv[2 * i];
        values[i] = kv[2 * i + 1];
    }
    m.n_extra = n_kv;
    m.extra_keys = keys;
    m.extra_values = values;
    struct wp_add_result r;
    assert_int_equal(wp_store_add_measurement(s, src, &m, run, &r, NULL), WP_OK);
    return r.run_id;
}

static void label(struct wp_store *s, long long run, const char *model, long long params)
{
    struct wp_labels l = {.model = model, .task = "chat", .parameters = params};
    assert_int_equal(wp_store_label_run(s, run, &l, NULL), WP_OK);
}

static void test_genai_loads_configurations_with_phases_extras_and_stars(void **state)
{
    (void)state;
    struct wp_store *s;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    long long src;
    assert_int_equal(wp_store_source_new(s, "a", "a", "test", &src, NULL), WP_OK);
    /* run 1: phases prefill + decode with counts; a phase name and key with spaces and
     * UTF-8 survive the length-delimited read */
    const char *pre[] = {"requests", "100", "batch_size", "8", "précision note", "é x"};
    const char *dec[] = {"tokens_out", "2000", "batch_size", "8", "itl_p50_s", "0.02"};
    long long r1 = add(s, src, "one", "prefill", 50.0, "H100", pre, 3);
    assert_int_equal(add(s, src, "one", "decode", 150.0, "H100", dec, 3), r1);
    add(s, src, "one", "load model", 1000.0, "H100", NULL, 0); /* not inference */
    /* runs 2 and 3: one configuration of another model (two runs), 400 and 600 J per
     * request; run 4: the same model on other hardware */
    const char *per_req[] = {"energy_per", "request", "max_num_seqs", "8"};
    long long r2 = add(s, src, "two", "", 400.0, "H100", per_req, 2);
    long long r3 = add(s, src, "three", "", 600.0, "H100", per_req, 2);
    long long r4 = add(s, src, "four", "", 900.0, "A100", per_req, 2);
    label(s, r1, "small", 1000000000);
    label(s, r2, "big", 70000000000);
    label(s, r3, "big", 70000000000);
    label(s, r4, "big", 70000000000);
    struct wp_gen_set set;
    struct wp_diag d = {0};
    assert_int_equal(wp_gen_load(s, NULL, &set, &d), WP_OK);
    /* ordered by task, size class, GPU, model: A/H100 small, C/A100 big, C/H100 big */
    assert_int_equal(set.n, 3);
    const struct wp_gen_config *a = &set.v[0], *b = &set.v[1], *c = &set.v[2];
    assert_string_equal(a->model, "small");
    assert_string_equal(a->size_class, "A");
    assert_rel(a->batch_size, 8.0, REL);
    assert_int_equal(a->n_runs, 1);
    assert_rel(a->run.energy_j, 200.0, REL); /* prefill + decode, not loading */
    assert_rel(a->metrics.j_per_request, 2.0, REL);
    assert_rel(a->metrics.j_per_output_token, 0.1, REL);
    assert_rel(a->metrics.decode_j_per_output_token, 0.075, REL);
    assert_rel(a->metrics.phase_j_per_request[WP_GEN_PREFILL], 0.5, REL);
    assert_rel(a->run.itl_p50_s, 0.02, REL);
    assert_string_equal(b->gpu_model, "A100");
    assert_string_equal(b->size_class, "C");
    assert_rel(b->metrics.j_per_request, 900.0, REL);
    assert_int_equal(b->stars, 0); /* alone in its comparison set: not rated */
    assert_int_equal(b->n_compared, 1);
    assert_string_equal(c->gpu_model, "H100");
    assert_int_equal(c->n_runs, 2);
    assert_rel(c->metrics.j_per_request, 500.0, REL); /* mean of 400 and 600 */
    assert_rel(c->batch_size, 8.0, REL);
    assert_rel(c->gpu_count, 1.0, REL);
    wp_gen_set_free(&set);

    struct wp_gen_filter f = {.gpu_model = "A100"};
    assert_int_equal(wp_gen_load(s, &f, &set, &d), WP_OK);
    assert_int_equal(set.n, 1);
    assert_string_equal(set.v[0].gpu_model, "A100");
    wp_gen_set_free(&set);
    wp_store_close(s);
}

/* Two configurations on one task, size class and GPU model, one measured on the GPU alone
 * (Zeus, 100 J a request) and one on the whole machine (CodeCarbon: 300 J, 200 of them the
 * GPU's): not one comparison set of two, where the GPU-only one won 5 stars to 1 for
 * measuring less of the machine, but one each. */
static void test_genai_stars_compare_one_energy_scope(void **state)
{
    (void)state;
    struct wp_store *s;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    long long src;
    assert_int_equal(wp_store_source_new(s, "a", "a", "test", &src, NULL), WP_OK);
    const char *per_req[] = {"energy_per", "request"};
    struct wp_measurement m;
    struct wp_add_result r;
    wp_measurement_clear(&m);
    m.line = 1, m.run_label = "gpu", m.phase = "", m.energy_j = m.gpu_energy_j = 100.0;
    m.gpu_model = "H100", m.gpu_count = 1, m.tool_name = "zeus";
    m.n_extra = 1, m.extra_keys = &per_req[0], m.extra_values = &per_req[1];
    assert_int_equal(wp_store_add_measurement(s, src, &m, "gpu", &r, NULL), WP_OK);
    label(s, r.run_id, "zeus-measured", 8000000000);
    m.run_label = "all", m.energy_j = 300.0, m.gpu_energy_j = 200.0, m.cpu_energy_j = 60.0;
    m.ram_energy_j = 40.0, m.tool_name = "codecarbon";
    assert_int_equal(wp_store_add_measurement(s, src, &m, "all", &r, NULL), WP_OK);
    label(s, r.run_id, "codecarbon-measured", 8000000000);
    struct wp_gen_set set;
    assert_int_equal(wp_gen_load(s, NULL, &set, NULL), WP_OK);
    assert_int_equal(set.n, 2);
    /* ordered by scope within task, class and GPU: "CPU+GPU+RAM" before "GPU" */
    assert_string_equal(set.v[0].model, "codecarbon-measured");
    assert_string_equal(set.v[0].energy_scope, "CPU+GPU+RAM");
    assert_string_equal(set.v[1].model, "zeus-measured");
    assert_string_equal(set.v[1].energy_scope, "GPU");
    for (size_t i = 0; i < 2; i++) { /* each alone in its set: not rated */
        assert_int_equal(set.v[i].n_compared, 1);
        assert_int_equal(set.v[i].stars, 0);
    }
    wp_gen_set_free(&set);
    wp_store_close(s);
    assert_string_equal(wp_gen_energy_scope(false, false, false), "total");
    assert_string_equal(wp_gen_energy_scope(true, true, false), "CPU+GPU");
}

static void test_genai_tokens_per_joule_is_the_reciprocal_of_the_mean_j_per_token(void **state)
{
    (void)state;
    /* two runs of one configuration: 0.1 and 0.3 J per output token, 20 and 60 J per
     * request.  Mean 0.2 J per token, so 5 tokens per J (the mean of 10 and 3.33 would say
     * 6.67, a row that contradicts itself); Wh per 1,000 queries 40 / 3.6 */
    struct wp_store *s;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    long long src;
    assert_int_equal(wp_store_source_new(s, "a", "a", "test", &src, NULL), WP_OK);
    const char *a[] = {"energy_per", "request", "energy_per_token_joules", "0.1"};
    const char *b[] = {"energy_per", "request", "energy_per_token_joules", "0.3"};
    label(s, add(s, src, "one", "", 20.0, "H100", a, 2), "m", 8000000000);
    label(s, add(s, src, "two", "", 60.0, "H100", b, 2), "m", 8000000000);
    struct wp_gen_set set;
    assert_int_equal(wp_gen_load(s, NULL, &set, NULL), WP_OK);
    assert_int_equal(set.n, 1);
    const struct wp_gen_config *c = &set.v[0];
    assert_int_equal(c->n_runs, 2);
    assert_rel(c->metrics.j_per_output_token, 0.2, REL);
    assert_rel(c->metrics.output_tokens_per_j, 5.0, REL);
    assert_rel(c->metrics.j_per_request, 40.0, REL);
    assert_rel(c->metrics.wh_per_1k_queries, 40.0 / 3.6, REL);
    /* J per request over the two runs: sd 28.28, t(0.975, 1) = 12.706 */
    assert_rel(c->j_per_request_sd, sqrt(800.0), 1e-12);
    assert_rel(c->j_per_request_lo, 40.0 - 12.706204736174707 * 20.0, 1e-9);
    wp_gen_set_free(&set);
    wp_store_close(s);
}

static void test_genai_loads_nothing_from_unlabelled_runs(void **state)
{
    (void)state;
    /* no labelled run: nothing to sort or search (UBSan: qsort/bsearch of a NULL base) */
    struct wp_store *s;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    struct wp_gen_set set;
    assert_int_equal(wp_gen_load(s, NULL, &set, NULL), WP_OK);
    assert_int_equal(set.n, 0);
    wp_gen_set_free(&set);
    long long src;
    assert_int_equal(wp_store_source_new(s, "a", "a", "test", &src, NULL), WP_OK);
    const char *kv[] = {"batch_size", "8"};
    add(s, src, "x", "prefill", 1.0, "G", kv, 1);
    assert_int_equal(wp_gen_load(s, NULL, &set, NULL), WP_OK);
    assert_int_equal(set.n, 0);
    wp_gen_set_free(&set);
    wp_store_close(s);
}

static int count_extra(void *ctx, long long run_id, const char *phase, const char *key,
                       const char *value)
{
    (void)run_id;
    if (strcmp(phase, "pré fill") == 0 && strcmp(key, "a b ü") == 0 &&
        strcmp(value, "1 2 ß") == 0)
        ++*(int *)ctx;
    return 0;
}

static void test_store_each_run_extra_keeps_spaces_and_utf8(void **state)
{
    (void)state;
    struct wp_store *s;
    assert_int_equal(wp_store_open(":memory:", &s, NULL), WP_OK);
    long long src;
    assert_int_equal(wp_store_source_new(s, "a", "a", "test", &src, NULL), WP_OK);
    const char *kv[] = {"a b ü", "1 2 ß"};
    add(s, src, "x", "pré fill", 1.0, "G", kv, 1);
    int found = 0;
    assert_int_equal(wp_store_each_run_extra(s, count_extra, &found, NULL), WP_OK);
    assert_int_equal(found, 1);
    wp_store_close(s);
}

/* A set of configurations with given (latency, energy) figures, for the front and the
 * best-within-a-limit tests. */
static struct wp_gen_config conf(const char *model, double itl_s, double j_per_token)
{
    struct wp_gen_config c = {0};
    c.model = (char *)model;
    c.task = (char *)"chat";
    wp_gen_run_clear(&c.run);
    c.run.itl_p50_s = itl_s;
    c.run.throughput_tokens_per_s = itl_s > 0 ? 1.0 / itl_s : NAN;
    c.metrics.j_per_output_token = j_per_token;
    return c;
}

static void test_genai_pareto_front_by_hand(void **state)
{
    (void)state;
    /* (latency s, J/token): A (1, 5) B (2, 3) C (3, 4) dominated by B, D (4, 1),
     * E (2, 3) equal to B (both stay), F unknown latency */
    struct wp_gen_config v[] = {conf("A", 1, 5), conf("B", 2, 3), conf("C", 3, 4),
                                conf("D", 4, 1), conf("E", 2, 3), conf("F", NAN, 0.1)};
    struct wp_gen_set set = {.v = v, .n = 6};
    bool front[6];
    const struct wp_gen_column *lat = wp_gen_column_find("itl_p50_s");
    const struct wp_gen_column *en = wp_gen_column_find("j_per_output_token");
    assert_non_null(lat);
    assert_non_null(en);
    wp_gen_pareto(&set, lat, en, front);
    bool want[] = {true, true, false, true, true, false};
    for (int i = 0; i < 6; i++)
        assert_int_equal(front[i], want[i]);
    /* throughput is better higher: 1/latency gives the same front */
    wp_gen_pareto(&set, wp_gen_column_find("throughput_tokens_per_s"), en, front);
    for (int i = 0; i < 6; i++)
        assert_int_equal(front[i], want[i]);
    assert_null(wp_gen_column_find("no_such_column"));
}

static void test_genai_best_within_a_latency_limit(void **state)
{
    (void)state;
    /* model M: (1 s, 5 J) (2 s, 3 J) (4 s, 1 J); model N: (5 s, 2 J) only */
    struct wp_gen_config v[] = {conf("M", 1, 5), conf("M", 2, 3), conf("M", 4, 1),
                                conf("N", 5, 2)};
    struct wp_gen_set set = {.v = v, .n = 4};
    const struct wp_gen_column *lat = wp_gen_column_find("itl_p50_s");
    const struct wp_gen_column *en = wp_gen_column_find("j_per_output_token");
    size_t *best, *first, n;
    assert_int_equal(wp_gen_best(&set, en, lat, 2.0, &best, &first, &n), WP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(first[0], 0);
    assert_int_equal(best[0], 1); /* 3 J at 2 s: the limit is inclusive */
    assert_int_equal(first[1], 3);
    assert_true(best[1] == SIZE_MAX); /* N has nothing within 2 s */
    free(best);
    free(first);
    assert_int_equal(wp_gen_best(&set, en, lat, 10.0, &best, &first, &n), WP_OK);
    assert_int_equal(best[0], 2);
    assert_int_equal(best[1], 3);
    free(best);
    free(first);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_genai_metrics_from_totals_and_phases),
        cmocka_unit_test(test_genai_metrics_from_a_leaderboards_per_unit_figures),
        cmocka_unit_test(test_genai_energy_per_image_is_energy_per_request),
        cmocka_unit_test(test_genai_informative_outside_ai_energy_scores_rule),
        cmocka_unit_test(test_genai_metrics_without_counts_are_unknown),
        cmocka_unit_test(test_genai_aliases_convert_units_and_skip_bad_values),
        cmocka_unit_test(test_genai_size_classes),
        cmocka_unit_test(test_genai_loads_configurations_with_phases_extras_and_stars),
        cmocka_unit_test(test_store_each_run_extra_keeps_spaces_and_utf8),
        cmocka_unit_test(test_genai_loads_nothing_from_unlabelled_runs),
        cmocka_unit_test(test_genai_tokens_per_joule_is_the_reciprocal_of_the_mean_j_per_token),
        cmocka_unit_test(test_genai_stars_compare_one_energy_scope),
        cmocka_unit_test(test_genai_pareto_front_by_hand),
        cmocka_unit_test(test_genai_best_within_a_latency_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
