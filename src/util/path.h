/* Paths as the file system resolves them, for the checks made before an output is written:
 * whether a path stays inside a folder once symbolic links are followed, whether it names
 * a database's files, whether what is there may be replaced; and folders opened beneath
 * another, named by descriptor, so that outputs stay there.  No output is written here. */
#ifndef WP_UTIL_PATH_H
#define WP_UTIL_PATH_H

#include <stdbool.h>

#include "util/err.h"

/* The absolute path that `path` names: the longest prefix that exists is resolved by
 * realpath (every symbolic link followed), the components after it, which do not exist
 * yet, are appended as they are.  NULL (errno set) when a component after the existing
 * prefix is "..", or on another failure.  Heap string. */
char *wp_path_resolve(const char *path);

/* WP_OK when `path`, resolved, is `root` or lies under it (resolved too); otherwise fills d
 * (naming path) and returns WP_ERR_USAGE. */
enum wp_err wp_path_inside(const char *root, const char *path, struct wp_diag *d);

/* Whether `path` names the SQLite database `db` or a file SQLite keeps beside it (-wal,
 * -shm, -journal): the same device and inode where both exist, else the same resolved
 * name. */
bool wp_path_is_database(const char *path, const char *db);

enum {
    WP_BENEATH_CREATE = 1,   /* make the missing folders */
    WP_BENEATH_NO_LINKS = 2, /* refuse every link (the walk used without openat2) */
};
/* Opens the folder `rel` (relative, without "..") beneath the open folder `dirfd`, one
 * component at a time (making the missing ones with WP_BENEATH_CREATE), so that no
 * symbolic link, even one swapped in after a check, leads out of dirfd: with openat2's
 * RESOLVE_BENEATH (Linux 5.6) a relative link is followed only while it stays beneath
 * dirfd; without it (or with WP_BENEATH_NO_LINKS) each component is opened from the last
 * one's descriptor with O_NOFOLLOW and any link is refused.  A link refused is errno
 * ELOOP.  Returns a descriptor (O_CLOEXEC; close it) or -1 with errno set. */
int wp_path_open_beneath(int dirfd, const char *rel, unsigned how);

/* The name through which the folder open as `fd` is reached without walking a path again
 * ("/proc/self/fd/N": the kernel goes to the open folder itself), then `name` (NULL: the
 * folder), into buf; false when /proc is not there to do it, or buf is too small. */
bool wp_path_pinned(int fd, const char *name, char *buf, size_t size);

/* WP_OK when an output may be written at `path`: nothing is there, or a regular file (a
 * symbolic link is followed).  A folder, a device, a FIFO or a socket is refused with d
 * naming path and WP_ERR_IO. */
enum wp_err wp_path_output_ok(const char *path, struct wp_diag *d);

#endif
