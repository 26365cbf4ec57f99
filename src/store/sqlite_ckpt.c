/* SQLite backend, checkpoints: the WAL is copied back into the database file by a thread
 * with its own connection while the writer goes on committing, instead of by the writer
 * itself every N pages (SQLite's autocheckpoint), so the fdatasync a checkpoint needs does
 * not stall an ingest.  The thread starts at the first commit that wants a checkpoint (a
 * command that only reads never starts it); without it the writer checkpoints as before.
 * No SQL here beyond the one read that opens the thread's connection. */
#include "store/sqlite_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A checkpoint is asked for from this many WAL pages (of 2 KiB: 16 MiB); past the limit
 * (64 MiB), or when the thread cannot help, the writer checkpoints the rest itself and
 * the WAL starts again from its beginning at the next transaction. */
#define CKPT_PAGES 8000
#define CKPT_LIMIT_PAGES 32000

struct wp_sq_ckpt {
    pthread_t id;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool want, stop;
    sqlite3 *db; /* the thread's own connection, used by it alone */
};

static void *ckpt_main(void *arg)
{
    struct wp_sq_ckpt *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->want && !c->stop)
            pthread_cond_wait(&c->cv, &c->mu);
        if (c->stop)
            break;
        c->want = false;
        pthread_mutex_unlock(&c->mu);
        /* PASSIVE: copies what is committed without waiting on the writer or readers; a
         * failure loses nothing (the frames stay in the WAL for the next checkpoint) */
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* The thread and its connection, or NULL when either cannot be had. */
static struct wp_sq_ckpt *ckpt_start(sqlite3 *db)
{
    const char *path = sqlite3_db_filename(db, "main");
    struct wp_sq_ckpt *c = path && *path ? calloc(1, sizeof *c) : NULL;
    if (!c)
        return NULL;
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    sqlite3_busy_timeout(c->db, 10000);
    /* a read opens the connection's WAL; before one its checkpoints do nothing */
    if (sqlite3_exec(c->db, "PRAGMA schema_version", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    bool mu = pthread_mutex_init(&c->mu, NULL) == 0;
    bool cv = mu && pthread_cond_init(&c->cv, NULL) == 0;
    if (cv && pthread_create(&c->id, NULL, ckpt_main, c) == 0)
        return c;
    if (cv)
        pthread_cond_destroy(&c->cv);
    if (mu)
        pthread_mutex_destroy(&c->mu);
    sqlite3_close(c->db);
    free(c);
    return NULL;
}

/* sqlite3_wal_hook: called on the writer's thread after each commit, with the WAL's size. */
static int on_commit(void *ctx, sqlite3 *db, const char *name, int pages)
{
    struct wp_sq *s = ctx;
    if (pages < CKPT_PAGES || pages < s->ckpt_next) {
        if (pages < CKPT_PAGES) /* the WAL started again */
            s->ckpt_next = CKPT_PAGES;
        return SQLITE_OK;
    }
    s->ckpt_next = pages + CKPT_PAGES; /* one checkpoint per CKPT_PAGES new pages */
    if (!s->ckpt && !s->ckpt_failed && !(s->ckpt = ckpt_start(db)))
        s->ckpt_failed = true;
    if (s->ckpt && pages < CKPT_LIMIT_PAGES) {
        pthread_mutex_lock(&s->ckpt->mu);
        s->ckpt->want = true;
        pthread_cond_signal(&s->ckpt->cv);
        pthread_mutex_unlock(&s->ckpt->mu);
        return SQLITE_OK;
    }
    /* PASSIVE, as SQLite's own autocheckpoint: it never waits on a reader or on the
     * thread (busy now: tried again CKPT_PAGES later, while the thread is asked no more);
     * once it has copied every frame the next transaction restarts the WAL */
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

void wp_sq_ckpt_init(struct wp_sq *s)
{
    sqlite3_wal_hook(s->db, on_commit, s); /* in place of SQLite's autocheckpoint */
}

void wp_sq_ckpt_stop(struct wp_sq *s)
{
    struct wp_sq_ckpt *c = s->ckpt;
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->stop = true;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->id, NULL);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    sqlite3_close(c->db); /* first, so that the writer's close is the last one and
                             checkpoints and removes the WAL */
    free(c);
    s->ckpt = NULL;
}
