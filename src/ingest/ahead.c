/* The files of one ingest read ahead (ahead.h): one worker thread and one slot between it
 * and the caller, under a mutex; the worker fills the slot, the caller empties it. */
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
    /* under mu */
    struct wp_ahead_read slot;
    size_t slot_index;
    bool full;  /* the slot holds paths[slot_index]'s */
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
        while (a->full && !a->stop)
            pthread_cond_wait(&a->to_worker, &a->mu);
        bool stop = a->stop;
        pthread_mutex_unlock(&a->mu);
        if (stop)
            break;
        struct wp_ahead_read x = {0};
        a->prepare(a->ctx, a->paths[j], &x);
        pthread_mutex_lock(&a->mu);
        a->slot = x;
        a->slot_index = j;
        a->full = true;
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
        while (!a->full && !a->ended)
            pthread_cond_wait(&a->to_caller, &a->mu);
        if (!a->full || a->slot_index > i)
            break; /* the worker has ended, or passed i */
        struct wp_ahead_read x = a->slot;
        bool mine = a->slot_index == i;
        a->full = false;
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
    if (a->full)
        wp_ahead_read_free(&a->slot);
    pthread_cond_destroy(&a->to_caller);
    pthread_cond_destroy(&a->to_worker);
    pthread_mutex_destroy(&a->mu);
    free(a);
}
