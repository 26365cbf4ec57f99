/* The files of one ingest read ahead (ahead.h): one worker thread and a ring of slots
 * between it and the caller, under a mutex; the worker fills slots, the caller empties them. */
#include "ingest/ahead.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>

/* The worker thread's name (ps -L, top -H, /proc/PID/task/TID/comm). */
#define AHEAD_THREAD_NAME "wp-read-ahead"

struct wp_ahead {
    const char *const *paths;
    size_t n;
    wp_ahead_prepare prepare;
    void *ctx;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t to_worker, to_caller;
    /* under mu: the files read and not yet taken, a ring (the oldest at head) */
    struct wp_ahead_read slot[WP_AHEAD_FILES];
    size_t slot_index[WP_AHEAD_FILES];
    size_t head, count;
    /* a full ring stops the worker until half of it is taken: one wake-up for half a ring
     * of files, not one a file (a futex call each, 6% of the study's storing thread) */
    bool worker_waits, caller_waits;
    bool stop;  /* the caller is done: the worker ends after the file it is on */
    bool ended; /* the worker has ended */
};

void wp_ahead_read_free(struct wp_ahead_read *x)
{
    wp_pipe_record_free(x->rec);
    wp_reader_close(x->r);
    *x = (struct wp_ahead_read){0};
}

static void *work(void *arg)
{
    struct wp_ahead *a = arg;
    (void)pthread_setname_np(pthread_self(), AHEAD_THREAD_NAME); /* only helps: top -H */
    for (size_t j = 0; j < a->n; j++) {
        pthread_mutex_lock(&a->mu);
        if (a->count == WP_AHEAD_FILES) {
            a->worker_waits = true;
            while (a->count > WP_AHEAD_FILES / 2 && !a->stop)
                pthread_cond_wait(&a->to_worker, &a->mu);
            a->worker_waits = false;
        }
        bool stop = a->stop;
        pthread_mutex_unlock(&a->mu);
        if (stop)
            break;
        struct wp_ahead_read x = {0};
        a->prepare(a->ctx, a->paths[j], &x);
        pthread_mutex_lock(&a->mu);
        size_t k = (a->head + a->count++) % WP_AHEAD_FILES;
        a->slot[k] = x;
        a->slot_index[k] = j;
        if (a->caller_waits)
            pthread_cond_signal(&a->to_caller);
        pthread_mutex_unlock(&a->mu);
    }
    pthread_mutex_lock(&a->mu);
    a->ended = true;
    pthread_cond_signal(&a->to_caller);
    pthread_mutex_unlock(&a->mu);
    return NULL;
}

struct wp_ahead *wp_ahead_start(const char *const *paths, size_t n, wp_ahead_prepare prepare,
                                void *ctx)
{
    struct wp_ahead *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    *a = (struct wp_ahead){.paths = paths, .n = n, .prepare = prepare, .ctx = ctx};
    if (pthread_mutex_init(&a->mu, NULL)) {
        free(a);
        return NULL;
    }
    if (pthread_cond_init(&a->to_worker, NULL)) {
        pthread_mutex_destroy(&a->mu);
        free(a);
        return NULL;
    }
    if (pthread_cond_init(&a->to_caller, NULL)) {
        pthread_cond_destroy(&a->to_worker);
        pthread_mutex_destroy(&a->mu);
        free(a);
        return NULL;
    }
    /* every signal blocked on the worker: the calling thread keeps receiving them */
    sigset_t all, old;
    sigfillset(&all);
    int rc = pthread_sigmask(SIG_SETMASK, &all, &old);
    if (!rc) {
        rc = pthread_create(&a->thread, NULL, work, a);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    if (rc) {
        pthread_cond_destroy(&a->to_caller);
        pthread_cond_destroy(&a->to_worker);
        pthread_mutex_destroy(&a->mu);
        free(a);
        return NULL;
    }
    return a;
}

const char *wp_ahead_path(const struct wp_ahead *a, size_t i)
{
    return i < a->n ? a->paths[i] : NULL;
}

void wp_ahead_take(struct wp_ahead *a, size_t i, struct wp_ahead_read *out)
{
    *out = (struct wp_ahead_read){0};
    pthread_mutex_lock(&a->mu);
    for (;;) {
        while (!a->count && !a->ended) {
            a->caller_waits = true;
            pthread_cond_wait(&a->to_caller, &a->mu);
            a->caller_waits = false;
        }
        if (!a->count || a->slot_index[a->head] > i)
            break; /* the worker has ended, or passed i */
        struct wp_ahead_read x = a->slot[a->head];
        bool mine = a->slot_index[a->head] == i;
        a->head = (a->head + 1) % WP_AHEAD_FILES;
        a->count--;
        if (a->worker_waits && a->count <= WP_AHEAD_FILES / 2)
            pthread_cond_signal(&a->to_worker);
        if (mine) {
            *out = x;
            break;
        }
        pthread_mutex_unlock(&a->mu); /* a file before i, not taken: dropped */
        wp_ahead_read_free(&x);
        pthread_mutex_lock(&a->mu);
    }
    pthread_mutex_unlock(&a->mu);
}

void wp_ahead_stop(struct wp_ahead *a)
{
    if (!a)
        return;
    pthread_mutex_lock(&a->mu);
    a->stop = true;
    pthread_cond_signal(&a->to_worker);
    pthread_mutex_unlock(&a->mu);
    pthread_join(a->thread, NULL);
    for (; a->count; a->count--, a->head = (a->head + 1) % WP_AHEAD_FILES)
        wp_ahead_read_free(&a->slot[a->head]);
    pthread_cond_destroy(&a->to_caller);
    pthread_cond_destroy(&a->to_worker);
    pthread_mutex_destroy(&a->mu);
    free(a);
}
