/* Unit tests of the ingest pipeline (src/ingest/pipe.c): a scripted parser hands events to
 * a recording sink, once directly (the serial ingest) and once through wp_pipe_parse (or
 * recorded with wp_pipe_record and replayed); the
 * two logs must be the same, in order, with the strings intact although the parser
 * overwrites its buffers after each call, and errors on either side must stop both with
 * no thread left running. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/pipe.h"

/* ---- the scripted parser --------------------------------------------------------------- */

struct script {
    long n;             /* events to make */
    long parse_fail_at; /* event number at which the parser fails itself (0: never) */
    size_t big_extra;   /* bytes of an extra value of the first measurement (0: short) */
    /* what the parser saw */
    long made;          /* events handed to the sink */
    enum wp_err got;    /* the first error the sink gave it */
    bool saw_no_labels; /* sink->file_labels was NULL */
    int parser_threads; /* threads named as the pipe's worker, seen as it started */
};

static int parser_threads(void);

static void scribble(char *buf, size_t size)
{
    memset(buf, '#', size - 1);
    buf[size - 1] = '\0';
}

static enum wp_err make_event(struct script *sc, struct wp_sink *sink, long i,
                              struct wp_diag *d)
{
    char run[64], group[32], key[16], value[32], model[32], msg[64];
    enum wp_err e = WP_OK;
    if (i % 97 == 3) {
        snprintf(msg, sizeof msg, "a message at event %ld", i);
        wp_report(sink->rep, i % 2 ? WP_WARN : WP_NOTE, "f.csv", i, 2, "%s", msg);
        scribble(msg, sizeof msg);
        return WP_OK;
    }
    if (i % 101 == 7) {
        char raw[64];
        snprintf(raw, sizeof raw, "raw,line,%ld", i);
        wp_diag_set(d, WP_ERR_PARSE, "f.csv", i, 4, "bad row %ld", i);
        e = sink->bad_row(sink->ctx, raw, d);
        scribble(raw, sizeof raw);
        return e;
    }
    if (i == 10 || i == 11) {
        if (!sink->file_labels) {
            sc->saw_no_labels = true;
            return WP_OK;
        }
        snprintf(model, sizeof model, "model-%ld", i);
        struct wp_ingest_labels l = {.model = model, .task = "qa", .inferences = i};
        e = i == 10 ? sink->file_labels(sink->ctx, "the config", &l, d)
                    : sink->experiment_labels(sink->ctx, "the rows", "exp-1", &l, d);
        scribble(model, sizeof model);
        return e;
    }
    struct wp_measurement m;
    wp_measurement_clear(&m);
    snprintf(run, sizeof run, "run-%ld", i);
    snprintf(group, sizeof group, "group-%ld", i / 3);
    snprintf(key, sizeof key, "k%ld", i % 7);
    char *big = NULL;
    if (i == 0 && sc->big_extra) {
        if (!(big = malloc(sc->big_extra + 1)))
            return WP_ERR_NOMEM;
        memset(big, 'x', sc->big_extra);
        big[0] = '<';
        big[sc->big_extra - 1] = '>';
        big[sc->big_extra] = '\0';
    } else
        snprintf(value, sizeof value, "v%ld", i);
    const char *keys[1] = {key}, *values[1] = {big ? big : value};
    m.line = i + 2;
    m.run_label = run;
    m.phase = i % 4 ? "" : "inference";
    m.energy_j = (double)i * 0.5;
    m.n_extra = 1;
    m.extra_keys = keys;
    m.extra_values = values;
    e = sink->measurement(sink->ctx, &m, i % 2 ? group : NULL, d);
    scribble(run, sizeof run);
    scribble(group, sizeof group);
    scribble(key, sizeof key);
    scribble(value, sizeof value);
    if (big)
        scribble(big, sc->big_extra + 1);
    free(big);
    return e;
}

static enum wp_err scripted_parse(struct wp_reader *r, struct wp_sink *sink, struct wp_diag *d)
{
    struct script *sc = (struct script *)(void *)r; /* the test's stand-in for a reader */
    sc->parser_threads = parser_threads();
    for (long i = 0; i < sc->n; i++) {
        if (sc->parse_fail_at && i == sc->parse_fail_at)
            return wp_diag_set(d, WP_ERR_PARSE, "f.csv", i + 2, 9, "the parser fails at %ld",
                               i);
        enum wp_err e = make_event(sc, sink, i, d);
        sc->made++;
        if (e) {
            sc->got = e;
            return e;
        }
    }
    sink->consumed = 12345;
    sink->folded = 7;
    sink->warns_no_duration = true;
    snprintf(sink->no_data, sizeof sink->no_data, "nothing but %ld events", sc->n);
    return WP_OK;
}

static const struct wp_format scripted = {.name = "scripted", .parse = scripted_parse};

/* ---- the recording sink ------------------------------------------------------------------ */

struct log {
    char *text;
    size_t len, cap;
    long events;
    long fail_at;      /* event number at which the sink fails (0: never) */
    bool keeps_bad;    /* bad_row sets rows aside (else it stops the file) */
    long bad_calls;
    size_t big_seen;   /* the length of the longest extra value seen */
};

static void logf_(struct log *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct log *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    if (g->len + (size_t)n + 1 > g->cap) {
        g->cap = (g->len + (size_t)n + 1) * 2;
        g->text = realloc(g->text, g->cap);
        assert_non_null(g->text);
    }
    va_start(ap, fmt);
    vsnprintf(g->text + g->len, g->cap - g->len, fmt, ap);
    va_end(ap);
    g->len += (size_t)n;
}

static enum wp_err counted(struct log *g, struct wp_diag *d)
{
    if (g->fail_at && ++g->events == g->fail_at)
        return wp_diag_set(d, WP_ERR_DB, "store", 0, 0, "the store says no at %ld", g->events);
    return WP_OK;
}

static enum wp_err rec_measurement(void *ctx, const struct wp_measurement *m,
                                   const char *group_key, struct wp_diag *d)
{
    struct log *g = ctx;
    const char *v = m->extra_values[0];
    size_t n = strlen(v);
    if (n > g->big_seen)
        g->big_seen = n;
    logf_(g, "M %ld %s [%s] %s %.2f %s=%.*s\n", m->line, m->run_label, m->phase,
          group_key ? group_key : "-", m->energy_j, m->extra_keys[0], n > 40 ? 40 : (int)n, v);
    return counted(g, d);
}

static enum wp_err rec_bad_row(void *ctx, const char *raw, struct wp_diag *d)
{
    struct log *g = ctx;
    g->bad_calls++;
    if (!g->keeps_bad)
        return WP_ERR_PARSE;
    logf_(g, "B %s:%ld:%ld %s | %s\n", d->file, d->line, d->col, d->msg, raw);
    return counted(g, d);
}

static enum wp_err rec_file_labels(void *ctx, const char *origin,
                                   const struct wp_ingest_labels *l, struct wp_diag *d)
{
    struct log *g = ctx;
    logf_(g, "F %s %s %s %lld\n", origin, l->model, l->task, l->inferences);
    return counted(g, d);
}

static enum wp_err rec_experiment_labels(void *ctx, const char *origin, const char *experiment,
                                         const struct wp_ingest_labels *l, struct wp_diag *d)
{
    struct log *g = ctx;
    logf_(g, "E %s %s %s %s %lld\n", origin, experiment, l->model, l->task, l->inferences);
    return counted(g, d);
}

static void rec_report(void *ctx, enum wp_level level, const struct wp_diag *d)
{
    char buf[1400];
    wp_diag_format(d, buf, sizeof buf);
    logf_(ctx, "R %d %s\n", (int)level, buf);
}

struct run {
    struct log g;
    struct script sc;
    struct wp_reporter rep;
    struct wp_format_opts fmt;
    struct wp_sink sink;
    struct wp_diag d;
    enum wp_err e;
};

static void run_init(struct run *r, long n, bool keeps_bad, bool with_labels)
{
    memset(r, 0, sizeof *r);
    r->sc.n = n;
    r->g.keeps_bad = keeps_bad;
    r->rep = (struct wp_reporter){rec_report, &r->g};
    r->sink = (struct wp_sink){
        .measurement = rec_measurement,
        .bad_row = rec_bad_row,
        .file_labels = with_labels ? rec_file_labels : NULL,
        .experiment_labels = with_labels ? rec_experiment_labels : NULL,
        .ctx = &r->g,
        .rep = &r->rep,
        .fmt = &r->fmt,
    };
}

static void run_serial(struct run *r)
{
    r->e = scripted.parse((struct wp_reader *)(void *)&r->sc, &r->sink, &r->d);
}

static void run_piped(struct run *r)
{
    r->e = wp_pipe_parse(&scripted, (struct wp_reader *)(void *)&r->sc, &r->sink,
                         !r->g.keeps_bad, &r->d);
    assert_int_equal(parser_threads(), 0);
}

/* The parser threads of this process now (named WP_PIPE_THREAD_NAME; a sanitizer may
 * run threads of its own): none is left once wp_pipe_parse returns. */
static int parser_threads(void)
{
    DIR *dir = opendir("/proc/self/task");
    assert_non_null(dir);
    int n = 0;
    for (struct dirent *de; (de = readdir(dir));) {
        char path[300], comm[64] = "";
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", de->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue; /* a thread that ended meanwhile */
        if (fgets(comm, sizeof comm, f))
            n += strcmp(comm, WP_PIPE_THREAD_NAME "\n") == 0;
        fclose(f);
    }
    closedir(dir);
    return n;
}

/* The parse recorded (wp_pipe_record, bound max_bytes), then replayed into the sink; false
 * when nothing was recorded. */
static bool run_recorded(struct run *r, size_t max_bytes)
{
    struct wp_pipe_record *rec = wp_pipe_record(&scripted, (struct wp_reader *)(void *)&r->sc,
                                                &r->sink, !r->g.keeps_bad, max_bytes);
    if (!rec)
        return false;
    assert_int_equal(r->g.len, 0); /* nothing reaches the sink before the replay */
    r->e = wp_pipe_replay(rec, &r->sink, &r->d);
    wp_pipe_record_free(rec);
    return true;
}

static void assert_same_run(struct run *a, struct run *b)
{
    assert_int_equal(a->e, b->e);
    assert_int_equal(a->g.len, b->g.len);
    assert_non_null(a->g.text);
    assert_string_equal(a->g.text, b->g.text);
    if (a->e == WP_OK)
        return; /* a diag says something only with an error */
    char da[1400], db[1400];
    wp_diag_format(&a->d, da, sizeof da);
    wp_diag_format(&b->d, db, sizeof db);
    assert_string_equal(da, db);
}

static void run_free(struct run *r)
{
    free(r->g.text);
}

/* ---- tests ------------------------------------------------------------------------------- */

static void test_pipe_replays_every_event_in_order_as_the_serial_parse(void **state)
{
    (void)state;
    struct run *a = calloc(2, sizeof *a), *b = a + 1;
    assert_non_null(a);
    run_init(a, 10000, true, true);
    run_init(b, 10000, true, true);
    run_serial(a);
    run_piped(b);
    assert_int_equal(a->e, WP_OK);
    assert_same_run(a, b);
    assert_non_null(strstr(b->g.text, "M 9999 run-9997 [] group-3332 4998.50 k1=v9997\n"));
    assert_non_null(strstr(b->g.text, "F the config model-10 qa 10\n"));
    assert_non_null(strstr(b->g.text, "E the rows exp-1 model-11 qa 11\n"));
    assert_non_null(strstr(b->g.text, "B f.csv:9905:4 bad row 9905 | raw,line,9905\n"));
    assert_non_null(strstr(b->g.text, "R 0 f.csv:9800:2: a message at event 9800\n"));
    /* the fields the parser sets, set once the worker is done */
    assert_int_equal(b->sink.consumed, 12345);
    assert_int_equal(b->sink.folded, 7);
    assert_true(b->sink.warns_no_duration);
    assert_string_equal(b->sink.no_data, "nothing but 10000 events");
    /* the parse ran on the worker, the serial one on this thread */
    assert_int_equal(b->sc.parser_threads, 1);
    assert_int_equal(a->sc.parser_threads, 0);
    run_free(a);
    run_free(b);
    free(a);
}

static void test_pipe_store_error_stops_the_parser_at_its_next_hand_off(void **state)
{
    (void)state;
    struct run *a = calloc(2, sizeof *a), *b = a + 1;
    assert_non_null(a);
    run_init(a, 20000, true, true);
    run_init(b, 20000, true, true);
    a->g.fail_at = b->g.fail_at = 1500;
    run_serial(a);
    run_piped(b);
    assert_int_equal(b->e, WP_ERR_DB);
    assert_same_run(a, b); /* the same events reached the store, the store's message */
    assert_string_equal(b->d.msg, "the store says no at 1500");
    /* the parser stopped: no further than the batches the queue holds */
    assert_int_not_equal(b->sc.got, WP_OK);
    assert_true(b->sc.made < 1500 + 2 * (WP_PIPE_BATCHES + 1) * WP_PIPE_BATCH_EVENTS);
    assert_true(b->sc.made < b->sc.n);
    run_free(a);
    run_free(b);
    free(a);
}

static void test_pipe_parse_error_hands_on_every_event_before_it(void **state)
{
    (void)state;
    struct run *a = calloc(2, sizeof *a), *b = a + 1;
    assert_non_null(a);
    run_init(a, 10000, true, true);
    run_init(b, 10000, true, true);
    a->sc.parse_fail_at = b->sc.parse_fail_at = 4321;
    run_serial(a);
    run_piped(b);
    assert_int_equal(b->e, WP_ERR_PARSE);
    assert_same_run(a, b);
    assert_string_equal(b->d.file, "f.csv");
    assert_int_equal(b->d.line, 4323);
    assert_int_equal(b->d.col, 9);
    assert_non_null(strstr(b->g.text, "M 4322 run-4320 "));
    assert_null(strstr(b->g.text, "run-4321 "));
    run_free(a);
    run_free(b);
    free(a);
}

static void test_pipe_bad_row_that_stops_the_file_never_reaches_the_sink(void **state)
{
    (void)state;
    struct run *a = calloc(2, sizeof *a), *b = a + 1;
    assert_non_null(a);
    run_init(a, 10000, false, true);
    run_init(b, 10000, false, true);
    run_serial(a);
    run_piped(b);
    assert_int_equal(b->e, WP_ERR_PARSE);
    assert_same_run(a, b);
    assert_string_equal(b->d.msg, "bad row 7");
    assert_int_equal(b->d.line, 7);
    assert_int_equal(b->g.bad_calls, 0); /* the worker stopped by itself */
    assert_int_equal(b->sc.made, 8);
    run_free(a);
    run_free(b);
    free(a);
}

static void test_pipe_copies_a_value_larger_than_a_batch(void **state)
{
    (void)state;
    struct run *a = calloc(2, sizeof *a), *b = a + 1;
    assert_non_null(a);
    size_t big = 3 * (size_t)WP_PIPE_BATCH_BYTES + 17;
    run_init(a, 3000, true, true);
    run_init(b, 3000, true, true);
    a->sc.big_extra = b->sc.big_extra = big;
    run_serial(a);
    run_piped(b);
    assert_int_equal(b->e, WP_OK);
    assert_same_run(a, b);
    assert_int_equal(b->g.big_seen, big);
    run_free(a);
    run_free(b);
    free(a);
}

static void test_pipe_keeps_absent_label_callbacks_absent(void **state)
{
    (void)state;
    struct run *b = calloc(1, sizeof *b);
    assert_non_null(b);
    run_init(b, 100, true, false);
    run_piped(b);
    assert_int_equal(b->e, WP_OK);
    assert_true(b->sc.saw_no_labels);
    assert_null(strstr(b->g.text, "\nF "));
    run_free(b);
    free(b);
}

/* A recording (the read-ahead's, ahead.h) replays what the serial parse hands its sink:
 * every event in order, a parse error after the events before it, a stopping bad row, and
 * a store error that stops the replay where it stops the serial parse. */
static void test_pipe_record_replays_as_the_serial_parse(void **state)
{
    (void)state;
    struct { long n, parse_fail_at, store_fail_at; bool keeps_bad; enum wp_err e; } cases[] = {
        {10000, 0, 0, true, WP_OK},
        {10000, 4321, 0, true, WP_ERR_PARSE},
        {10000, 0, 0, false, WP_ERR_PARSE},
        {10000, 0, 1500, true, WP_ERR_DB},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct run *a = calloc(2, sizeof *a), *b = a + 1;
        assert_non_null(a);
        run_init(a, cases[k].n, cases[k].keeps_bad, true);
        run_init(b, cases[k].n, cases[k].keeps_bad, true);
        a->sc.parse_fail_at = b->sc.parse_fail_at = cases[k].parse_fail_at;
        a->g.fail_at = b->g.fail_at = cases[k].store_fail_at;
        run_serial(a);
        assert_true(run_recorded(b, 64L << 20));
        assert_int_equal(b->e, cases[k].e);
        assert_same_run(a, b);
        assert_int_equal(b->sc.parser_threads, 0); /* recorded on the calling thread */
        if (cases[k].e == WP_OK) {
            assert_int_equal(b->sink.consumed, 12345);
            assert_int_equal(b->sink.folded, 7);
            assert_true(b->sink.warns_no_duration);
            assert_string_equal(b->sink.no_data, "nothing but 10000 events");
        }
        run_free(a);
        run_free(b);
        free(a);
    }
}

/* Past its bound a recording stops the parser and gives nothing (the file is then parsed as
 * it is stored): memory stays bounded whatever a small gzip expands to. */
static void test_pipe_record_past_its_bound_gives_nothing(void **state)
{
    (void)state;
    struct run *b = calloc(1, sizeof *b);
    assert_non_null(b);
    run_init(b, 100000, true, true);
    assert_false(run_recorded(b, 256 * 1024));
    assert_true(b->sc.made < b->sc.n); /* the parser stopped at the bound */
    assert_int_not_equal(b->sc.got, WP_OK);
    assert_int_equal(b->g.len, 0); /* and the sink saw nothing */
    run_free(b);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipe_replays_every_event_in_order_as_the_serial_parse),
        cmocka_unit_test(test_pipe_store_error_stops_the_parser_at_its_next_hand_off),
        cmocka_unit_test(test_pipe_parse_error_hands_on_every_event_before_it),
        cmocka_unit_test(test_pipe_bad_row_that_stops_the_file_never_reaches_the_sink),
        cmocka_unit_test(test_pipe_copies_a_value_larger_than_a_batch),
        cmocka_unit_test(test_pipe_keeps_absent_label_callbacks_absent),
        cmocka_unit_test(test_pipe_record_replays_as_the_serial_parse),
        cmocka_unit_test(test_pipe_record_past_its_bound_gives_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
