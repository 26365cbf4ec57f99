/* SQLite backend, the writer's file layer: the operating system's files as SQLite's own
 * layer opens them, except that writes to the write-ahead log are gathered and handed to
 * the system in one call where SQLite makes two per page (a frame's header, then the
 * page).  A commit of a small file wrote some twenty pages in forty pwrite calls, the
 * most costly part of the kernel's share of the study's ingest (issue 30).
 *
 * What is gathered is written before anything can depend on it: with a commit frame's
 * page, or its header when SQLite writes that again over a frame already written (so that
 * a failed write, a full disk, fails the commit as it would without this layer), before
 * SQLite publishes new frames (the barrier of the database file's shared memory, which a
 * commit passes after writing its frames), before any change of a lock, before any read,
 * sync, size, truncation or close of the log, before any write, sync or truncation of the
 * database file (a checkpoint), and when the buffer is full.  A write that fails where
 * SQLite cannot take it for a failed write of the log (a read, the barrier, a lock) fails
 * every later write of the log until the write lock goes, so that the transaction whose
 * frames it lost cannot commit.  A process killed before that loses only frames no reader
 * could see and no commit returned: as if it had been killed between two of SQLite's own
 * writes.  Not used for read-only opens or the checkpoint thread's connection. */
#include "store/sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Below 128 KiB: SQLite's unix layer writes at most 0x1ffff bytes a call (and calls a
 * longer write's rest a full disk). */
#define GATHER_BYTES (120 * 1024)

struct wal_file;

/* The layer: a VFS of its own name per store (one connection), over the default one. */
struct wp_sq_vfs {
    sqlite3_vfs vfs;
    sqlite3_vfs *os;      /* the default VFS, which does the work */
    struct wal_file *wal; /* the connection's open log, NULL when none */
    char name[64];
};

/* An open write-ahead log, or the database file: ours first, the default VFS's file after
 * it (see vfs_open). */
struct wal_file {
    sqlite3_file base;
    sqlite3_file *os;
    struct wp_sq_vfs *vfs;
    char *buf;             /* GATHER_BYTES, NULL until the first write */
    size_t len;            /* bytes gathered */
    sqlite3_int64 at;      /* the file offset of buf[0] */
    sqlite3_int64 end;     /* the end of what was written or gathered since the log's header */
    bool commit_due;       /* the last write was a commit frame's header: its page is next */
    int lost;              /* a failed write of what was gathered: every write fails with it
                              until the write lock is taken or released (db_shm_lock; with
                              locking_mode=EXCLUSIVE, which takes no such lock and the store
                              does not set, until the log is closed) */
};

/* A log's header is 32 bytes, each frame's 24: bytes 4-7 of a frame's header, big-endian,
 * are the database's size in pages after a commit, 0 in a frame that commits nothing
 * (SQLite's file format, section 4.1). */
#define WAL_HEADER_BYTES 32
#define FRAME_HEADER_BYTES 24

static bool commits(const void *in, int n, sqlite3_int64 off)
{
    const unsigned char *h = in;
    return n == FRAME_HEADER_BYTES && off >= WAL_HEADER_BYTES && (h[4] | h[5] | h[6] | h[7]);
}

static int put(struct wal_file *f)
{
    if (!f->len)
        return SQLITE_OK;
    int rc = f->os->pMethods->xWrite(f->os, f->buf, (int)f->len, f->at);
    f->len = 0;
    if (rc != SQLITE_OK && f->lost == SQLITE_OK)
        f->lost = rc; /* frames SQLite holds written: their transaction must not commit */
    return rc;
}

static int wal_close(sqlite3_file *p)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put(f);
    int rc2 = f->os->pMethods->xClose(f->os);
    free(f->buf);
    f->buf = NULL;
    if (f->vfs->wal == f)
        f->vfs->wal = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

static int wal_read(sqlite3_file *p, void *out, int n, sqlite3_int64 off)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put(f);
    return rc != SQLITE_OK ? rc : f->os->pMethods->xRead(f->os, out, n, off);
}

/* Gathers a write; the page of a commit frame goes out with what was gathered before it,
 * here, so that a write that fails (a full disk) fails the commit, as it does without
 * this layer.  Written at the barrier instead, a failure could not be told to SQLite
 * (xShmBarrier returns nothing): the commit would publish frames the log does not hold. */
static int gather(struct wal_file *f, const void *in, int n, sqlite3_int64 off)
{
    bool follows = f->len && off == f->at + (sqlite3_int64)f->len;
    if (!follows || f->len + (size_t)n > GATHER_BYTES) {
        int rc = put(f);
        if (rc != SQLITE_OK)
            return rc;
        if ((size_t)n > GATHER_BYTES)
            return f->os->pMethods->xWrite(f->os, in, n, off);
        f->at = off;
    }
    memcpy(f->buf + f->len, in, (size_t)n);
    f->len += (size_t)n;
    return SQLITE_OK;
}

/* A commit frame's header is written again, after its page, when SQLite rewrites the
 * checksums of a transaction that wrote a page twice (wal.c, walRewriteChecksums): no page
 * follows it, and it goes out at once.  A header taken for such a rewrite when it is not
 * one (another connection restarted the log) costs a write, never its page's flush. */
static int wal_write(sqlite3_file *p, const void *in, int n, sqlite3_int64 off)
{
    struct wal_file *f = (struct wal_file *)p;
    if (f->lost != SQLITE_OK)
        return f->lost;
    bool is_commit = commits(in, n, off);
    bool rewrite = is_commit && off + n < f->end;
    if (off == 0)
        f->end = 0; /* the log's header: the log starts again */
    if (off + n > f->end)
        f->end = off + n;
    if (!f->buf && !(f->buf = malloc(GATHER_BYTES)))
        return f->os->pMethods->xWrite(f->os, in, n, off); /* out of memory: as before */
    bool last = f->commit_due;
    f->commit_due = is_commit;
    int rc = gather(f, in, n, off);
    return rc != SQLITE_OK || !(last || rewrite) ? rc : put(f);
}

static int wal_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put(f);
    if (size < f->end)
        f->end = size;
    return rc != SQLITE_OK ? rc : f->os->pMethods->xTruncate(f->os, size);
}

static int wal_sync(sqlite3_file *p, int flags)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put(f);
    return rc != SQLITE_OK ? rc : f->os->pMethods->xSync(f->os, flags);
}

static int wal_size(sqlite3_file *p, sqlite3_int64 *size)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put(f);
    return rc != SQLITE_OK ? rc : f->os->pMethods->xFileSize(f->os, size);
}

static int wal_lock(sqlite3_file *p, int level)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put(f);
    return rc != SQLITE_OK ? rc : f->os->pMethods->xLock(f->os, level);
}

/* Releases go through whatever the write of what was gathered did (kept in lost): a lock
 * SQLite takes for released and is not would shut every other writer out. */
static int wal_unlock(sqlite3_file *p, int level)
{
    struct wal_file *f = (struct wal_file *)p;
    put(f);
    return f->os->pMethods->xUnlock(f->os, level);
}

static int wal_reserved(sqlite3_file *p, int *out)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xCheckReservedLock(f->os, out);
}

static int wal_control(sqlite3_file *p, int op, void *arg)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put(f);
    return rc != SQLITE_OK ? rc : f->os->pMethods->xFileControl(f->os, op, arg);
}

static int wal_sector(sqlite3_file *p)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xSectorSize(f->os);
}

static int wal_device(sqlite3_file *p)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xDeviceCharacteristics(f->os);
}

/* A log has no shared memory of its own (the database file holds it) and is not mapped:
 * these are never called on it; they hand on all the same. */
static int wal_shm_map(sqlite3_file *p, int pg, int size, int extend, void volatile **out)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put(f);
    return rc != SQLITE_OK ? rc : f->os->pMethods->xShmMap(f->os, pg, size, extend, out);
}

static int wal_shm_lock(sqlite3_file *p, int off, int n, int flags)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put(f);
    return rc != SQLITE_OK ? rc : f->os->pMethods->xShmLock(f->os, off, n, flags);
}

static void wal_shm_barrier(sqlite3_file *p)
{
    struct wal_file *f = (struct wal_file *)p;
    put(f);
    f->os->pMethods->xShmBarrier(f->os);
}

static int wal_shm_unmap(sqlite3_file *p, int del)
{
    struct wal_file *f = (struct wal_file *)p;
    put(f);
    return f->os->pMethods->xShmUnmap(f->os, del);
}

static int wal_fetch(sqlite3_file *p, sqlite3_int64 off, int n, void **pp)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put(f);
    return rc != SQLITE_OK ? rc : f->os->pMethods->xFetch(f->os, off, n, pp);
}

static int wal_unfetch(sqlite3_file *p, sqlite3_int64 off, void *pp)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xUnfetch(f->os, off, pp);
}

static const sqlite3_io_methods wal_methods = {
    3,            wal_close,       wal_read,        wal_write,   wal_truncate, wal_sync,
    wal_size,     wal_lock,        wal_unlock,      wal_reserved, wal_control, wal_sector,
    wal_device,   wal_shm_map,     wal_shm_lock,    wal_shm_barrier, wal_shm_unmap,
    wal_fetch,    wal_unfetch,
};

/* ---- the database file: its own methods, except that the log's gathered writes go
 * first where the log's frames become visible or the locks change: SQLite's commit passes
 * the barrier of the database file's shared memory (not the log's) before it publishes
 * the frames it wrote. */

/* Writes what the connection's log gathered; SQLITE_OK when nothing. */
static int put_log(struct wal_file *db)
{
    return db->vfs->wal ? put(db->vfs->wal) : SQLITE_OK;
}

static int db_close(sqlite3_file *p)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put_log(f);
    int rc2 = f->os->pMethods->xClose(f->os);
    return rc != SQLITE_OK ? rc : rc2;
}

static int db_read(sqlite3_file *p, void *out, int n, sqlite3_int64 off)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xRead(f->os, out, n, off);
}

static int db_write(sqlite3_file *p, const void *in, int n, sqlite3_int64 off)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put_log(f); /* a checkpoint copies frames the log holds on disk */
    return rc != SQLITE_OK ? rc : f->os->pMethods->xWrite(f->os, in, n, off);
}

static int db_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put_log(f);
    return rc != SQLITE_OK ? rc : f->os->pMethods->xTruncate(f->os, size);
}

static int db_sync(sqlite3_file *p, int flags)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put_log(f);
    return rc != SQLITE_OK ? rc : f->os->pMethods->xSync(f->os, flags);
}

static int db_size(sqlite3_file *p, sqlite3_int64 *size)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xFileSize(f->os, size);
}

static int db_lock(sqlite3_file *p, int level)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put_log(f);
    return rc != SQLITE_OK ? rc : f->os->pMethods->xLock(f->os, level);
}

static int db_unlock(sqlite3_file *p, int level)
{
    struct wal_file *f = (struct wal_file *)p;
    put_log(f); /* a failure is kept in the log's lost; the lock goes all the same */
    return f->os->pMethods->xUnlock(f->os, level);
}

static int db_reserved(sqlite3_file *p, int *out)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xCheckReservedLock(f->os, out);
}

static int db_control(sqlite3_file *p, int op, void *arg)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = put_log(f);
    return rc != SQLITE_OK ? rc : f->os->pMethods->xFileControl(f->os, op, arg);
}

static int db_sector(sqlite3_file *p)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xSectorSize(f->os);
}

static int db_device(sqlite3_file *p)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xDeviceCharacteristics(f->os);
}

static int db_shm_map(sqlite3_file *p, int pg, int size, int extend, void volatile **out)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xShmMap(f->os, pg, size, extend, out);
}

/* Slot 0 of the shared memory's locks is the log's write lock (wal.c, WAL_WRITE_LOCK):
 * taken or released, no transaction's frames are gathered or lost any more.  A release
 * happens whatever the write of what was gathered did (SQLite does not look at its
 * result); a lock that cannot be taken without that write is not taken. */
static int db_shm_lock(sqlite3_file *p, int off, int n, int flags)
{
    struct wal_file *f = (struct wal_file *)p;
    struct wal_file *log = f->vfs->wal;
    int rc = put_log(f); /* the write lock goes: other connections may read the log */
    if (rc != SQLITE_OK && !(flags & SQLITE_SHM_UNLOCK))
        return rc;
    int rc2 = f->os->pMethods->xShmLock(f->os, off, n, flags);
    if (log && rc2 == SQLITE_OK && (flags & SQLITE_SHM_EXCLUSIVE) && off == 0) {
        log->lost = SQLITE_OK;
        log->commit_due = false;
    }
    return rc2;
}

static void db_shm_barrier(sqlite3_file *p)
{
    struct wal_file *f = (struct wal_file *)p;
    put_log(f); /* nothing is left here after a commit (its last page went out in
                   wal_write, where a failure fails it); a safeguard for any other caller */
    f->os->pMethods->xShmBarrier(f->os);
}

static int db_shm_unmap(sqlite3_file *p, int del)
{
    struct wal_file *f = (struct wal_file *)p;
    put_log(f); /* kept in the log's lost; the memory is unmapped all the same */
    return f->os->pMethods->xShmUnmap(f->os, del);
}

static int db_fetch(sqlite3_file *p, sqlite3_int64 off, int n, void **pp)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xFetch(f->os, off, n, pp);
}

static int db_unfetch(sqlite3_file *p, sqlite3_int64 off, void *pp)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xUnfetch(f->os, off, pp);
}

static const sqlite3_io_methods db_methods = {
    3,           db_close,       db_read,        db_write,     db_truncate, db_sync,
    db_size,     db_lock,        db_unlock,      db_reserved,  db_control,  db_sector,
    db_device,   db_shm_map,     db_shm_lock,    db_shm_barrier, db_shm_unmap,
    db_fetch,    db_unfetch,
};

/* ---- a statement journal that outgrew memory: SQLite writes its first part (as much as
 * SQLITE_CONFIG_STMTJRNL_SPILL, sqlite.c) in one call, and its unix layer writes at most
 * 0x1ffff bytes a call (and calls the rest a full disk): the writes go in parts. */

#define PART_BYTES (64 * 1024)

static int part_write(sqlite3_file *p, const void *in, int n, sqlite3_int64 off)
{
    struct wal_file *f = (struct wal_file *)p;
    int rc = SQLITE_OK;
    for (int done = 0; rc == SQLITE_OK && done < n; done += PART_BYTES) {
        int k = n - done < PART_BYTES ? n - done : PART_BYTES;
        rc = f->os->pMethods->xWrite(f->os, (const char *)in + done, k, off + done);
    }
    return rc;
}

static int part_close(sqlite3_file *p)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xClose(f->os);
}

static int part_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xTruncate(f->os, size);
}

static int part_sync(sqlite3_file *p, int flags)
{
    struct wal_file *f = (struct wal_file *)p;
    return f->os->pMethods->xSync(f->os, flags);
}

static const sqlite3_io_methods part_methods = {
    1,        part_close, db_read,    part_write, part_truncate, part_sync,
    db_size,  db_lock,    db_unlock,  db_reserved, db_control,   db_sector,
    db_device, NULL,      NULL,       NULL,        NULL,         NULL,
    NULL,
};

/* The default VFS under ours. */
static sqlite3_vfs *os_of(sqlite3_vfs *v)
{
    return ((struct wp_sq_vfs *)v)->os;
}

/* The SQLite WAL file gets our methods (and the default VFS's file after ours); every
 * other file is the default VFS's own, in the same space. */
static int vfs_open(sqlite3_vfs *v, sqlite3_filename name, sqlite3_file *p, int flags,
                    int *out_flags)
{
    sqlite3_vfs *os = os_of(v);
    struct wp_sq_vfs *w = (struct wp_sq_vfs *)v;
    bool is_wal = flags & SQLITE_OPEN_WAL, is_db = flags & SQLITE_OPEN_MAIN_DB;
    bool is_sub = flags & SQLITE_OPEN_SUBJOURNAL;
    if ((!is_wal && !is_db && !is_sub) || (is_wal && w->wal))
        return os->xOpen(os, name, p, flags, out_flags); /* as it is */
    struct wal_file *f = (struct wal_file *)p;
    memset(f, 0, sizeof *f);
    f->os = (sqlite3_file *)(f + 1);
    f->vfs = w;
    int rc = os->xOpen(os, name, f->os, flags, out_flags);
    if (rc != SQLITE_OK || !f->os->pMethods || f->os->pMethods->iVersion < 3) {
        if (rc == SQLITE_OK) /* a layer below of another kind: not used */
            f->os->pMethods->xClose(f->os);
        p->pMethods = NULL; /* nothing to close */
        return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
    }
    f->base.pMethods = is_wal ? &wal_methods : is_sub ? &part_methods : &db_methods;
    if (is_wal)
        w->wal = f;
    return SQLITE_OK;
}

static int vfs_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
    return os_of(v)->xDelete(os_of(v), name, sync_dir);
}

static int vfs_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    return os_of(v)->xAccess(os_of(v), name, flags, out);
}

static int vfs_full(sqlite3_vfs *v, const char *name, int n, char *out)
{
    return os_of(v)->xFullPathname(os_of(v), name, n, out);
}

static void *vfs_dlopen(sqlite3_vfs *v, const char *name)
{
    return os_of(v)->xDlOpen(os_of(v), name);
}

static void vfs_dlerror(sqlite3_vfs *v, int n, char *out)
{
    os_of(v)->xDlError(os_of(v), n, out);
}

static void (*vfs_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    return os_of(v)->xDlSym(os_of(v), h, sym);
}

static void vfs_dlclose(sqlite3_vfs *v, void *h)
{
    os_of(v)->xDlClose(os_of(v), h);
}

static int vfs_random(sqlite3_vfs *v, int n, char *out)
{
    return os_of(v)->xRandomness(os_of(v), n, out);
}

static int vfs_sleep(sqlite3_vfs *v, int us)
{
    return os_of(v)->xSleep(os_of(v), us);
}

static int vfs_time(sqlite3_vfs *v, double *out)
{
    return os_of(v)->xCurrentTime(os_of(v), out);
}

static int vfs_error(sqlite3_vfs *v, int n, char *out)
{
    return os_of(v)->xGetLastError ? os_of(v)->xGetLastError(os_of(v), n, out) : 0;
}

static int vfs_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    return os_of(v)->xCurrentTimeInt64(os_of(v), out);
}

struct wp_sq_vfs *wp_sq_vfs_new(void)
{
    sqlite3_vfs *os = sqlite3_vfs_find(NULL);
    if (!os || os->iVersion < 2 || !os->xCurrentTimeInt64)
        return NULL; /* an unusual build: SQLite's own layer, as before */
    struct wp_sq_vfs *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->os = os;
    snprintf(w->name, sizeof w->name, "wattprint-%p", (void *)w); /* one per store */
    w->vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(struct wal_file) + os->szOsFile,
        .mxPathname = os->mxPathname,
        .zName = w->name,
        .xOpen = vfs_open,
        .xDelete = vfs_delete,
        .xAccess = vfs_access,
        .xFullPathname = vfs_full,
        .xDlOpen = vfs_dlopen,
        .xDlError = vfs_dlerror,
        .xDlSym = vfs_dlsym,
        .xDlClose = vfs_dlclose,
        .xRandomness = vfs_random,
        .xSleep = vfs_sleep,
        .xCurrentTime = vfs_time,
        .xGetLastError = vfs_error,
        .xCurrentTimeInt64 = vfs_time64,
    };
    if (sqlite3_vfs_register(&w->vfs, 0) != SQLITE_OK) {
        free(w);
        return NULL;
    }
    return w;
}

const char *wp_sq_vfs_name(const struct wp_sq_vfs *w)
{
    return w ? w->name : NULL;
}

void wp_sq_vfs_free(struct wp_sq_vfs *w)
{
    if (!w)
        return;
    sqlite3_vfs_unregister(&w->vfs);
    free(w);
}
