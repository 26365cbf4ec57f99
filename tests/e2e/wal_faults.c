/* tests/e2e/wal_faults.c: an LD_PRELOAD shim for wal_faults.sh.  pwrite and pwrite64 to a
 * file whose name ends in "-wal" are counted; the WP_FAIL_NTH-th (1-based) fails with
 * errno WP_FAIL_ERRNO (ENOSPC by default), and with WP_FAIL_ALL=1 so does every later one.
 * WP_FAIL_LOG=FILE appends a line per write to the log: its length, its offset and whether
 * it was made to fail.  Nothing else changes. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);

static long count;

static int is_wal(int fd)
{
    char link[64], name[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, name, sizeof name - 1);
    if (n < 4)
        return 0;
    name[n] = '\0';
    return strcmp(name + n - 4, "-wal") == 0;
}

static int fault(int fd, size_t n, off_t off)
{
    if (!is_wal(fd))
        return 0;
    long nth = getenv("WP_FAIL_NTH") ? atol(getenv("WP_FAIL_NTH")) : 0;
    int all = getenv("WP_FAIL_ALL") && strcmp(getenv("WP_FAIL_ALL"), "1") == 0;
    long i = __atomic_add_fetch(&count, 1, __ATOMIC_SEQ_CST);
    int fail = nth > 0 && (i == nth || (all && i > nth));
    const char *log = getenv("WP_FAIL_LOG");
    if (log) {
        FILE *f = fopen(log, "a");
        if (f) {
            fprintf(f, "%ld %zu %lld%s\n", i, n, (long long)off, fail ? " failed" : "");
            fclose(f);
        }
    }
    if (fail)
        errno = getenv("WP_FAIL_ERRNO") ? atoi(getenv("WP_FAIL_ERRNO")) : ENOSPC;
    return fail;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    static pwrite_fn real;
    if (!real)
        real = (pwrite_fn)dlsym(RTLD_NEXT, "pwrite");
    return fault(fd, n, off) ? -1 : real(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    static pwrite_fn real;
    if (!real)
        real = (pwrite_fn)dlsym(RTLD_NEXT, "pwrite64");
    return fault(fd, n, off) ? -1 : real(fd, buf, n, off);
}
