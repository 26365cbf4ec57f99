/* Scratch databases of the SQLite store's unit tests: a path of each test's own in $TMPDIR
 * (else /tmp), named by the test and the process, and the database removed with its
 * write-ahead log and shared-memory file. */
#ifndef WP_TESTS_STORE_DB_FILES_H
#define WP_TESTS_STORE_DB_FILES_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* "$TMPDIR/wp-TEST-PID-NAME.db" into path. */
static inline void db_path(char *path, size_t size, const char *test, const char *name)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, size, "%s/wp-%s-%d-%s.db", dir ? dir : "/tmp", test, (int)getpid(), name);
}

static inline void db_remove(const char *path)
{
    char tmp[600];
    unlink(path);
    snprintf(tmp, sizeof tmp, "%s-wal", path);
    unlink(tmp);
    snprintf(tmp, sizeof tmp, "%s-shm", path);
    unlink(tmp);
}

/* db_path, and nothing left there from before. */
static inline void db_fresh(char *path, size_t size, const char *test, const char *name)
{
    db_path(path, size, test, name);
    db_remove(path);
}

#endif
