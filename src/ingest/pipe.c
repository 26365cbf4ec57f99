/* The ingest's pipeline (pipe.h): the parser on a worker thread fills batches of events
 * (deep copies in the batch's arena), a bounded queue carries them, and the calling thread
 * replays them into the real sink in order.  Not for: the store, the reporter or any
 * decision about the rows; the worker touches neither, the caller touches no parser state. */
#include "ingest/pipe.h"

#include <pthread.h>
#include <signal.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"

/* ---- an arena per batch: bump allocation in chunks kept from one batch to the next ---- */

#define CHUNK_BYTES (64 * 1024)

struct chunk {
    struct chunk *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
};

struct arena {
    struct chunk *used;  /* the chunk being filled first, then the full ones */
    struct chunk *spare; /* standard chunks of earlier batches, ready again */
    size_t bytes;        /* handed out since the last reset */
    bool failed;         /* an allocation failed since the last reset */
};

static void *arena_alloc(struct arena *a, size_t n)
{
    n = (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
    struct chunk *c = a->used;
    if (!c || c->size - c->used < n) {
        if (n <= CHUNK_BYTES && a->spare) {
            c = a->spare;
            a->spare = c->next;
        } else {
            size_t size = n > CHUNK_BYTES ? n : CHUNK_BYTES;
            if (size > SIZE_MAX - sizeof *c || !(c = malloc(sizeof *c + size))) {
                a->failed = true;
                return NULL;
            }
            c->size = size;
        }
        c->used = 0;
        c->next = a->used;
        a->used = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    a->bytes += n;
    return p;
}

/* A copy of s in a (NULL stays NULL; a failure sets a->failed). */
static const char *arena_str(struct arena *a, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(a, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Empties a for the next batch: standard chunks are kept, larger ones freed. */
static void arena_reset(struct arena *a)
{
    for (struct chunk *c = a->used, *next; c; c = next) {
        next = c->next;
        if (c->size == CHUNK_BYTES) {
            c->next = a->spare;
            a->spare = c;
        } else
            free(c);
    }
    a->used = NULL;
    a->bytes = 0;
    a->failed = false;
}

static void arena_free(struct arena *a)
{
    arena_reset(a);
    for (struct chunk *c = a->spare, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    a->spare = NULL;
}

/* ---- events: what the parser gave its sink, copied ---------------------------------- */

enum ev_kind { EV_MEASUREMENT, EV_BAD_ROW, EV_FILE_LABELS, EV_EXPERIMENT_LABELS, EV_REPORT };

/* A struct wp_diag without its fixed buffers (1.3 KB each): the strings in the arena. */
struct packed_diag {
    const char *file, *msg;
    long line, col;
};

struct event {
    enum ev_kind kind;
    union {
        struct {
            const struct wp_measurement *m;
            const char *group_key;
        } meas;
        struct {
            const char *raw;
            struct packed_diag d;
        } bad;
        struct {
            const char *origin, *experiment;
            struct wp_ingest_labels l;
        } labels;
        struct {
            enum wp_level level;
            struct packed_diag d;
        } report;
    } u;
};

struct batch {
    struct event *ev;
    size_t n, cap;
    struct arena a;
};

#define N_NUMBERS 17 /* duration_s .. latitude (14), cpu_count, gpu_count, ram_total_bytes */
_Static_assert(sizeof(struct wp_measurement) ==
                   sizeof(long) + WP_MEASUREMENT_N_TEXT * sizeof(const char *) +
                       N_NUMBERS * sizeof(double) +
                       sizeof(size_t) + 2 * sizeof(const char *const *),
               "struct wp_measurement changed: copy its new fields in copy_measurement");

static const struct wp_measurement *copy_measurement(struct arena *a,
                                                     const struct wp_measurement *m)
{
    struct wp_measurement *c = arena_alloc(a, sizeof *c);
    if (!c)
        return NULL;
    *c = *m;
    for (size_t i = 0; i < WP_MEASUREMENT_N_TEXT; i++)
        WP_MEASUREMENT_TEXT(c, i) = arena_str(a, WP_MEASUREMENT_TEXT(c, i));
    if (m->n_extra) {
        const char **k = arena_alloc(a, m->n_extra * sizeof *k);
        const char **v = arena_alloc(a, m->n_extra * sizeof *v);
        if (!k || !v)
            return NULL;
        for (size_t i = 0; i < m->n_extra; i++) {
            k[i] = arena_str(a, m->extra_keys[i]);
            v[i] = arena_str(a, m->extra_values[i]);
        }
        c->extra_keys = k;
        c->extra_values = v;
    }
    return a->failed ? NULL : c;
}

static struct packed_diag pack_diag(struct arena *a, const struct wp_diag *d)
{
    return (struct packed_diag){arena_str(a, d->file), arena_str(a, d->msg), d->line, d->col};
}

static void unpack_diag(const struct packed_diag *p, struct wp_diag *d)
{
    memset(d, 0, sizeof *d);
    wp_diag_set_file(d, p->file);
    snprintf(d->msg, sizeof d->msg, "%s", p->msg ? p->msg : "");
    d->line = p->line;
    d->col = p->col;
}

/* ---- the queue -------------------------------------------------------------------------- */

struct pipe {
    pthread_mutex_t mu;
    pthread_cond_t to_writer, to_parser;
    struct batch batches[WP_PIPE_BATCHES];
    /* under mu: full batches in order (a ring), free ones (a stack) */
    struct batch *full[WP_PIPE_BATCHES], *free[WP_PIPE_BATCHES];
    size_t full_head, n_full, n_free;
    enum wp_err stop; /* under mu: the writer failed; the parser stops at its next hand-off */
    bool done;        /* under mu: the parser has ended */
    /* the parser's (worker's) own */
    struct batch *cur;
    size_t limit; /* events in the batch being filled before it is handed on */
    const struct wp_format *fmt;
    struct wp_reader *r;
    struct wp_sink proxy;
    struct wp_reporter proxy_rep;
    bool stops_on_bad_row;
    enum wp_err parse_e; /* read by the writer after the join */
    struct wp_diag parse_d;
    /* a recording (wp_pipe_record): every event stays in the first batch, up to max_bytes */
    bool recording, overflow;
    size_t max_bytes;
};

/* Passes the parser's full batch to the writer and takes an empty one (waiting for one while
 * the queue is full).  The writer's error when it has stopped. */
static enum wp_err hand_off(struct pipe *p)
{
    pthread_mutex_lock(&p->mu);
    while (!p->n_free && !p->stop)
        pthread_cond_wait(&p->to_parser, &p->mu);
    enum wp_err e = p->stop;
    if (!e) {
        p->full[(p->full_head + p->n_full++) % WP_PIPE_BATCHES] = p->cur;
        p->cur = p->free[--p->n_free];
        pthread_cond_signal(&p->to_writer);
    }
    pthread_mutex_unlock(&p->mu);
    if (p->limit < WP_PIPE_BATCH_EVENTS)
        p->limit *= 2;
    return e;
}

static enum wp_err nomem(struct wp_diag *d)
{
    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* A new event at the end of the parser's batch (NULL when out of memory). */
static struct event *push(struct pipe *p, enum ev_kind kind)
{
    struct batch *b = p->cur;
    if (WP_ARRAY_GROW(b->ev, b->n + 1, b->cap))
        return NULL;
    struct event *ev = &b->ev[b->n++];
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    return ev;
}

/* Whether a recording has grown past its bound: the parse then stops, and the file is read
 * again when it is stored. */
static bool overflows(struct pipe *p)
{
    const struct batch *b = p->cur;
    if (b->a.bytes + b->cap * sizeof *b->ev > p->max_bytes)
        p->overflow = true;
    return p->overflow;
}

/* Ends the parser's event: out of memory is an error, a full batch is handed on. */
static enum wp_err pushed(struct pipe *p, struct wp_diag *d)
{
    struct batch *b = p->cur;
    if (b->a.failed) {
        b->n--; /* the event is incomplete: never replayed */
        return nomem(d);
    }
    if (p->recording)
        return overflows(p) ? nomem(d) : WP_OK;
    if (b->n >= p->limit || b->a.bytes >= WP_PIPE_BATCH_BYTES)
        return hand_off(p);
    return WP_OK;
}

/* ---- the worker's sink: copies everything into the batch -------------------------------- */

static enum wp_err on_measurement(void *ctx, const struct wp_measurement *m,
                                  const char *group_key, struct wp_diag *d)
{
    struct pipe *p = ctx;
    struct event *ev = push(p, EV_MEASUREMENT);
    if (!ev)
        return nomem(d);
    ev->u.meas.m = copy_measurement(&p->cur->a, m);
    ev->u.meas.group_key = arena_str(&p->cur->a, group_key);
    return pushed(p, d);
}

static enum wp_err on_bad_row(void *ctx, const char *raw, struct wp_diag *d)
{
    struct pipe *p = ctx;
    if (p->stops_on_bad_row) {
        d->bad_row = true; /* as the sink would mark it */
        return WP_ERR_PARSE; /* what the sink would say, with d as the parser made it */
    }
    struct event *ev = push(p, EV_BAD_ROW);
    if (!ev)
        return nomem(d);
    ev->u.bad.raw = arena_str(&p->cur->a, raw ? raw : "");
    ev->u.bad.d = pack_diag(&p->cur->a, d);
    return pushed(p, d);
}

static void copy_labels(struct arena *a, const struct wp_ingest_labels *l,
                        struct wp_ingest_labels *out)
{
    *out = *l;
    out->model = arena_str(a, l->model);
    out->task = arena_str(a, l->task);
    out->dataset = arena_str(a, l->dataset);
}

static enum wp_err on_file_labels(void *ctx, const char *origin,
                                  const struct wp_ingest_labels *l, struct wp_diag *d)
{
    struct pipe *p = ctx;
    struct event *ev = push(p, EV_FILE_LABELS);
    if (!ev)
        return nomem(d);
    ev->u.labels.origin = arena_str(&p->cur->a, origin);
    copy_labels(&p->cur->a, l, &ev->u.labels.l);
    return pushed(p, d);
}

static enum wp_err on_experiment_labels(void *ctx, const char *origin, const char *experiment,
                                        const struct wp_ingest_labels *l, struct wp_diag *d)
{
    struct pipe *p = ctx;
    struct event *ev = push(p, EV_EXPERIMENT_LABELS);
    if (!ev)
        return nomem(d);
    ev->u.labels.origin = arena_str(&p->cur->a, origin);
    ev->u.labels.experiment = arena_str(&p->cur->a, experiment);
    copy_labels(&p->cur->a, l, &ev->u.labels.l);
    return pushed(p, d);
}

/* A message has no way to fail: one that cannot be copied is lost, with the batch's other
 * events kept; the parser's next event reports the lack of memory. */
static void on_report(void *ctx, enum wp_level level, const struct wp_diag *d)
{
    struct pipe *p = ctx;
    struct event *ev = push(p, EV_REPORT);
    if (!ev) {
        p->overflow = p->recording; /* a recording that lost a message is not replayed */
        return;
    }
    ev->u.report.level = level;
    ev->u.report.d = pack_diag(&p->cur->a, d);
    if (p->cur->a.failed) {
        p->cur->n--;
        return;
    }
    if (p->recording)
        (void)overflows(p); /* seen at the parser's next event, or at its end */
    else if (p->cur->n >= p->limit || p->cur->a.bytes >= WP_PIPE_BATCH_BYTES)
        (void)hand_off(p); /* a stop is seen at the parser's next hand-off */
}

static void *worker(void *arg)
{
    struct pipe *p = arg;
    (void)pthread_setname_np(pthread_self(), WP_PIPE_THREAD_NAME); /* only helps: top -H */
    p->parse_e = p->fmt->parse(p->r, &p->proxy, &p->parse_d);
    pthread_mutex_lock(&p->mu);
    /* what came before a parse error is handled as in a serial parse */
    if (p->cur->n && !p->stop)
        p->full[(p->full_head + p->n_full++) % WP_PIPE_BATCHES] = p->cur;
    else
        p->free[p->n_free++] = p->cur;
    p->cur = NULL;
    p->done = true;
    pthread_cond_signal(&p->to_writer);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ---- the writer: replays a batch into the real sink ------------------------------------- */

/* Hands b's events to sink; d (not NULL) is the one diag of the file, as in a serial parse. */
static enum wp_err replay(const struct batch *b, struct wp_sink *sink, struct wp_diag *d)
{
    enum wp_err e = WP_OK;
    for (size_t i = 0; i < b->n && !e; i++) {
        const struct event *ev = &b->ev[i];
        struct wp_diag dd;
        switch (ev->kind) {
        case EV_MEASUREMENT:
            e = sink->measurement(sink->ctx, ev->u.meas.m, ev->u.meas.group_key, d);
            break;
        case EV_BAD_ROW: /* in d, as a parser describes a bad row in the d it was given */
            unpack_diag(&ev->u.bad.d, d);
            e = sink->bad_row(sink->ctx, ev->u.bad.raw, d);
            break;
        case EV_FILE_LABELS:
            e = sink->file_labels(sink->ctx, ev->u.labels.origin, &ev->u.labels.l, d);
            break;
        case EV_EXPERIMENT_LABELS:
            e = sink->experiment_labels(sink->ctx, ev->u.labels.origin, ev->u.labels.experiment,
                                        &ev->u.labels.l, d);
            break;
        case EV_REPORT:
            unpack_diag(&ev->u.report.d, &dd);
            sink->rep->fn(sink->rep->ctx, ev->u.report.level, &dd);
            break;
        }
    }
    return e;
}

/* Takes the next full batch in order, NULL once the parser has ended and none is left. */
static struct batch *next_full(struct pipe *p)
{
    pthread_mutex_lock(&p->mu);
    while (!p->n_full && !p->done)
        pthread_cond_wait(&p->to_writer, &p->mu);
    struct batch *b = NULL;
    if (p->n_full) {
        b = p->full[p->full_head];
        p->full_head = (p->full_head + 1) % WP_PIPE_BATCHES;
        p->n_full--;
    }
    pthread_mutex_unlock(&p->mu);
    return b;
}

/* Gives a replayed batch back to the parser; e (the writer's error) stops it. */
static void give_back(struct pipe *p, struct batch *b, enum wp_err e)
{
    b->n = 0;
    arena_reset(&b->a);
    pthread_mutex_lock(&p->mu);
    p->free[p->n_free++] = b;
    if (e && !p->stop)
        p->stop = e;
    pthread_cond_signal(&p->to_parser);
    pthread_mutex_unlock(&p->mu);
}

static void pipe_destroy(struct pipe *p)
{
    for (size_t i = 0; i < WP_PIPE_BATCHES; i++) {
        free(p->batches[i].ev);
        arena_free(&p->batches[i].a);
    }
    pthread_cond_destroy(&p->to_parser);
    pthread_cond_destroy(&p->to_writer);
    pthread_mutex_destroy(&p->mu);
}

/* Starts the worker with every signal blocked (the calling thread keeps receiving them). */
static int start(pthread_t *t, struct pipe *p)
{
    sigset_t all, old;
    sigfillset(&all);
    if (pthread_sigmask(SIG_SETMASK, &all, &old))
        return -1;
    int rc = pthread_create(t, NULL, worker, p);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

/* Readies p for fmt's parse of r, whose worker's sink copies what `like` takes (its
 * callbacks, reporter, format options and skip); false when out of resources. */
static bool pipe_init(struct pipe *p, const struct wp_format *fmt, struct wp_reader *r,
                      const struct wp_sink *like, bool stops_on_bad_row)
{
    memset(p, 0, sizeof *p);
    if (pthread_mutex_init(&p->mu, NULL))
        return false;
    if (pthread_cond_init(&p->to_writer, NULL)) {
        pthread_mutex_destroy(&p->mu);
        return false;
    }
    if (pthread_cond_init(&p->to_parser, NULL)) {
        pthread_cond_destroy(&p->to_writer);
        pthread_mutex_destroy(&p->mu);
        return false;
    }
    for (size_t i = 1; i < WP_PIPE_BATCHES; i++)
        p->free[p->n_free++] = &p->batches[i];
    p->cur = &p->batches[0];
    p->limit = WP_PIPE_FIRST_BATCH_EVENTS;
    p->fmt = fmt;
    p->r = r;
    p->stops_on_bad_row = stops_on_bad_row;
    p->proxy_rep = (struct wp_reporter){on_report, p};
    p->proxy = (struct wp_sink){
        .measurement = on_measurement,
        .bad_row = on_bad_row,
        .file_labels = like->file_labels ? on_file_labels : NULL,
        .experiment_labels = like->experiment_labels ? on_experiment_labels : NULL,
        .ctx = p,
        .rep = like->rep && like->rep->fn ? &p->proxy_rep : NULL,
        .fmt = like->fmt,
        .skip_until = like->skip_until,
    };
    return true;
}

/* After the parse and the replay of everything it gave (whose error is e, described in
 * wd): what the parser set goes to sink, and the first error to d. */
static enum wp_err settle(const struct pipe *p, struct wp_sink *sink, enum wp_err e,
                          struct wp_diag *wd, struct wp_diag *d)
{
    sink->consumed = p->proxy.consumed;
    sink->folded = p->proxy.folded;
    sink->warns_no_duration = p->proxy.warns_no_duration;
    memcpy(sink->no_data, p->proxy.no_data, sizeof sink->no_data);
    if (!e && (e = p->parse_e))
        *wd = p->parse_d;
    if (e && d)
        *d = *wd;
    return e;
}

enum wp_err wp_pipe_parse(const struct wp_format *fmt, struct wp_reader *r,
                          struct wp_sink *sink, bool stops_on_bad_row, struct wp_diag *d)
{
    struct pipe *p = malloc(sizeof *p);
    if (!p || !pipe_init(p, fmt, r, sink, stops_on_bad_row)) {
        free(p);
        return nomem(d);
    }
    pthread_t t;
    if (start(&t, p)) { /* no thread to be had: the same parse, on this one */
        pipe_destroy(p);
        free(p);
        return fmt->parse(r, sink, d);
    }
    enum wp_err e = WP_OK;
    struct wp_diag wd = {0};
    for (struct batch *b; (b = next_full(p));) {
        if (!e)
            e = replay(b, sink, &wd);
        give_back(p, b, e);
    }
    pthread_join(t, NULL);
    e = settle(p, sink, e, &wd, d);
    pipe_destroy(p);
    free(p);
    return e;
}

/* ---- a recording: a whole parse kept to be replayed later -------------------------------- */

struct wp_pipe_record {
    struct pipe pipe; /* recording: its events all in its first batch, its parser's end */
};

struct wp_pipe_record *wp_pipe_record(const struct wp_format *fmt, struct wp_reader *r,
                                      const struct wp_sink *like, bool stops_on_bad_row,
                                      size_t max_bytes)
{
    struct wp_pipe_record *rec = malloc(sizeof *rec);
    if (!rec || !pipe_init(&rec->pipe, fmt, r, like, stops_on_bad_row)) {
        free(rec);
        return NULL;
    }
    struct pipe *p = &rec->pipe;
    p->recording = true;
    p->max_bytes = max_bytes;
    p->parse_e = fmt->parse(r, &p->proxy, &p->parse_d);
    /* out of memory, or past the bound: the parse as the file is stored may fare otherwise */
    if (p->overflow || p->cur->a.failed || p->parse_e == WP_ERR_NOMEM) {
        wp_pipe_record_free(rec);
        return NULL;
    }
    return rec;
}

bool wp_pipe_record_parsed(const struct wp_pipe_record *rec)
{
    return rec->pipe.parse_e == WP_OK;
}

enum wp_err wp_pipe_replay(struct wp_pipe_record *rec, struct wp_sink *sink, struct wp_diag *d)
{
    struct wp_diag wd = {0};
    enum wp_err e = replay(rec->pipe.cur, sink, &wd);
    return settle(&rec->pipe, sink, e, &wd, d);
}

void wp_pipe_record_free(struct wp_pipe_record *rec)
{
    if (!rec)
        return;
    pipe_destroy(&rec->pipe);
    free(rec);
}
