/* Resolved paths (see path.h): realpath over the part that exists, the rest as given;
 * folders opened beneath another without following links, and named by descriptor. */
#include "util/path.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Appends the components of rest (relative, not yet existing) to the resolved base. */
static char *join_rest(const char *base, const char *rest)
{
    size_t n = strlen(base) + strlen(rest) + 2;
    char *out = malloc(n), *w = out;
    if (!out)
        return NULL;
    w += snprintf(w, n, "%s", base);
    const char *p = rest;
    while (*p) {
        size_t len = strcspn(p, "/");
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            free(out);
            errno = EINVAL;
            return NULL;
        }
        if (len && !(len == 1 && p[0] == '.')) {
            if (w == out || w[-1] != '/')
                *w++ = '/';
            memcpy(w, p, len);
            w += len;
        }
        p += len;
        while (*p == '/')
            p++;
    }
    *w = '\0';
    return out;
}

char *wp_path_resolve(const char *path)
{
    if (!*path)
        path = ".";
    char *buf = strdup(path);
    if (!buf)
        return NULL;
    size_t len = strlen(buf);
    /* try the whole path, then ever shorter prefixes ending before a '/' */
    for (;;) {
        const char *prefix = len ? buf : (path[0] == '/' ? "/" : ".");
        char *real = realpath(prefix, NULL);
        if (real) {
            char *out = join_rest(real, path + len);
            free(real);
            free(buf);
            return out;
        }
        if (errno != ENOENT || len == 0) {
            free(buf);
            return NULL;
        }
        while (len > 0 && buf[len - 1] != '/')
            len--;
        while (len > 0 && buf[len - 1] == '/')
            len--;
        if (len == 0 && path[0] == '/') {
            free(buf);
            return NULL; /* "/" always exists */
        }
        buf[len] = '\0';
    }
}

enum wp_err wp_path_inside(const char *root, const char *path, struct wp_diag *d)
{
    errno = 0;
    char *r = wp_path_resolve(root), *p = r ? wp_path_resolve(path) : NULL;
    bool inside = false;
    if (r && p) {
        size_t n = strlen(r);
        if (n == 1 && r[0] == '/')
            n = 0; /* the root folder: everything is under it */
        inside = strncmp(p, r, n) == 0 && (p[n] == '\0' || p[n] == '/');
    }
    int err = errno;
    bool resolved = r && p;
    free(r);
    free(p);
    if (inside)
        return WP_OK;
    if (!resolved)
        return wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot resolve: %s", strerror(err));
    return wp_diag_set(d, WP_ERR_USAGE, path, 0, 0,
                       "leaves the output folder %s once symbolic links are followed", root);
}

bool wp_path_is_database(const char *path, const char *db)
{
    static const char *const side[] = {"", "-wal", "-shm", "-journal"};
    struct stat ps;
    bool path_exists = stat(path, &ps) == 0;
    char *rp = wp_path_resolve(path), *rdb = wp_path_resolve(db);
    size_t dn = strlen(db);
    char *name = malloc(dn + sizeof "-journal");
    bool same = false;
    for (size_t i = 0; name && i < sizeof side / sizeof *side && !same; i++) {
        snprintf(name, dn + sizeof "-journal", "%s%s", db, side[i]);
        struct stat ds;
        if (path_exists && stat(name, &ds) == 0)
            same = ps.st_dev == ds.st_dev && ps.st_ino == ds.st_ino;
        if (!same && rp && rdb) {
            size_t rn = strlen(rdb);
            same = strncmp(rp, rdb, rn) == 0 && strcmp(rp + rn, side[i]) == 0;
        }
    }
    free(name);
    free(rp);
    free(rdb);
    return same;
}

enum wp_err wp_path_output_ok(const char *path, struct wp_diag *d)
{
    struct stat st;
    if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
        return WP_OK; /* nothing there (the writer says why if it cannot make it) */
    const char *what = S_ISDIR(st.st_mode)                          ? "a folder"
                       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                       : S_ISFIFO(st.st_mode)                       ? "a FIFO"
                       : S_ISSOCK(st.st_mode)                       ? "a socket"
                                                                    : "not a regular file";
    return wp_diag_set(d, WP_ERR_IO, path, 0, 0,
                       "cannot write: %s is there, and an output replaces only a regular file",
                       what);
}

/* Opens `prefix` (the components so far) beneath dirfd in one step with openat2's
 * RESOLVE_BENEATH, which lets the kernel follow a link only while it stays beneath dirfd;
 * -1 with errno ENOSYS where the kernel or libc has no openat2 (Linux before 5.6). */
static int open_beneath_at2(int dirfd, const char *prefix)
{
#ifdef SYS_openat2
    struct open_how how = {
        .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
    };
    return (int)syscall(SYS_openat2, dirfd, prefix, &how, sizeof how);
#else
    (void)dirfd;
    (void)prefix;
    errno = ENOSYS;
    return -1;
#endif
}

int wp_path_open_beneath(int dirfd, const char *rel, unsigned how)
{
    bool create = how & WP_BENEATH_CREATE;
    int cur = dup(dirfd);
    if (cur < 0)
        return -1;
    size_t n = strlen(rel);
    char *prefix = malloc(n + 1);
    if (!prefix) {
        close(cur);
        errno = ENOMEM;
        return -1;
    }
    size_t used = 0;
    bool at2 = !(how & WP_BENEATH_NO_LINKS);
    int err = 0;
    for (const char *p = rel; *p && !err;) {
        size_t len = strcspn(p, "/");
        const char *name = p;
        p += len;
        while (*p == '/')
            p++;
        if (len == 0 || (len == 1 && name[0] == '.'))
            continue;
        if (len > NAME_MAX || (len == 2 && name[0] == '.' && name[1] == '.')) {
            err = len > NAME_MAX ? ENAMETOOLONG : EINVAL;
            break;
        }
        if (used)
            prefix[used++] = '/';
        memcpy(prefix + used, name, len);
        used += len;
        prefix[used] = '\0';
        const char *last = prefix + used - len;
        /* mkdirat never follows a link at its last component (EEXIST): the open below
         * decides about the link */
        if (create && mkdirat(cur, last, 0777) != 0 && errno != EEXIST) {
            err = errno;
            break;
        }
        int next = at2 ? open_beneath_at2(dirfd, prefix) : -1;
        if (at2 && next < 0 && (errno == ENOSYS || errno == EPERM))
            at2 = false; /* no openat2 here (or a seccomp filter refuses it) */
        if (!at2) /* from the last folder: any link refused, none followed */
            next = openat(cur, last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            struct stat st;
            err = errno;
            /* a link that leaves (openat2) or any link (openat; O_DIRECTORY may say
             * ENOTDIR): say what it is */
            if (err == EXDEV || (err == ENOTDIR && fstatat(cur, last, &st,
                                                           AT_SYMLINK_NOFOLLOW) == 0 &&
                                 S_ISLNK(st.st_mode)))
                err = ELOOP;
            break;
        }
        close(cur);
        cur = next;
    }
    free(prefix);
    if (err) {
        close(cur);
        errno = err;
        return -1;
    }
    return cur;
}

bool wp_path_pinned(int fd, const char *name, char *buf, size_t size)
{
    int n = snprintf(buf, size, "/proc/self/fd/%d", fd);
    struct stat a, b;
    /* the magic link must lead to the very folder (not so in a chroot without /proc) */
    if (n < 0 || (size_t)n >= size || stat(buf, &a) != 0 || fstat(fd, &b) != 0 ||
        a.st_dev != b.st_dev || a.st_ino != b.st_ino)
        return false;
    if (name) {
        int k = snprintf(buf + n, size - (size_t)n, "/%s", name);
        if (k < 0 || (size_t)k >= size - (size_t)n)
            return false;
    }
    return true;
}
