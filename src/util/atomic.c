/* Atomic file writes (see atomic.h): temporary name beside the target, fsync, rename,
 * fsync of the directory. */
#include "util/atomic.h"
#include "util/path.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static enum wp_err nomem(struct wp_diag *d)
{
    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

enum wp_err wp_mkdirs(const char *dir, struct wp_diag *d)
{
    if (!*dir)
        return WP_OK; /* the current directory */
    char *buf = strdup(dir);
    if (!buf)
        return nomem(d);
    enum wp_err e = WP_OK;
    /* walk the prefixes "a", "a/b", ... creating what is missing */
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            e = wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot create directory %s: %s", buf,
                            strerror(errno));
            break;
        }
        *p = saved;
        if (!saved)
            break;
    }
    free(buf);
    return e;
}

enum wp_err wp_mkdirs_for(const char *path, struct wp_diag *d)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return WP_OK; /* the current directory, or the root */
    char *dir = strndup(path, (size_t)(slash - path));
    if (!dir)
        return nomem(d);
    enum wp_err e = wp_mkdirs(dir, d);
    free(dir);
    return e;
}

static void clear(struct wp_atomic *a)
{
    free(a->path);
    free(a->tmp_path);
    a->path = a->tmp_path = NULL;
    a->f = NULL;
}

enum wp_err wp_atomic_begin(struct wp_atomic *a, const char *path, struct wp_diag *d)
{
    memset(a, 0, sizeof *a);
    enum wp_err e = wp_path_output_ok(path, d); /* a device or a FIFO is never replaced */
    if (!e)
        e = wp_mkdirs_for(path, d);
    if (e)
        return e;
    size_t n = strlen(path) + sizeof ".tmp.XXXXXX";
    a->path = strdup(path);
    a->tmp_path = malloc(n);
    if (!a->path || !a->tmp_path) {
        clear(a);
        return nomem(d);
    }
    snprintf(a->tmp_path, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(a->tmp_path);
    if (fd < 0) {
        e = wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno));
        clear(a);
        return e;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(a->f = fdopen(fd, "wb"))) {
        e = wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno));
        close(fd);
        unlink(a->tmp_path);
        clear(a);
        return e;
    }
    return WP_OK;
}

enum wp_err wp_atomic_release(struct wp_atomic *a, struct wp_diag *d)
{
    if (!a->f)
        return WP_OK;
    int rc = fclose(a->f);
    a->f = NULL;
    if (rc != 0)
        return wp_diag_set(d, WP_ERR_IO, a->path, 0, 0, "cannot write: %s", strerror(errno));
    return WP_OK;
}

/* fsync of the directory, so that the rename survives a crash; best effort where the file
 * system cannot (EINVAL, EROFS). */
static enum wp_err sync_dir(const char *path, struct wp_diag *d)
{
    char *copy = strdup(path);
    if (!copy)
        return nomem(d);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    free(copy);
    if (fd < 0)
        return WP_OK;
    int rc = fsync(fd), err = errno;
    close(fd);
    if (rc != 0 && err != EINVAL && err != EROFS)
        return wp_diag_set(d, WP_ERR_IO, path, 0, 0, "cannot sync: %s", strerror(err));
    return WP_OK;
}

/* Syncs the temporary file: through a->f when it is still open, else by name. */
static int sync_file(struct wp_atomic *a)
{
    if (a->f) {
        int rc = fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0;
        int err = errno;
        if (fclose(a->f) != 0 && !rc) {
            rc = 1;
            err = errno;
        }
        a->f = NULL;
        errno = err;
        return rc;
    }
    int fd = open(a->tmp_path, O_RDONLY);
    if (fd < 0)
        return 1;
    int rc = fsync(fd) != 0, err = errno;
    close(fd);
    errno = err;
    return rc;
}

enum wp_err wp_atomic_commit(struct wp_atomic *a, struct wp_diag *d)
{
    if (!a->tmp_path)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "no file to commit");
    errno = 0;
    if (sync_file(a)) {
        enum wp_err e = wp_diag_set(d, WP_ERR_IO, a->path, 0, 0, "cannot write: %s",
                                    strerror(errno ? errno : EIO));
        wp_atomic_abort(a);
        return e;
    }
    if (rename(a->tmp_path, a->path) != 0) {
        enum wp_err e = wp_diag_set(d, WP_ERR_IO, a->path, 0, 0, "cannot rename %s: %s",
                                    a->tmp_path, strerror(errno));
        wp_atomic_abort(a);
        return e;
    }
    enum wp_err e = sync_dir(a->path, d);
    clear(a);
    return e;
}

void wp_atomic_abort(struct wp_atomic *a)
{
    if (a->f)
        fclose(a->f);
    a->f = NULL;
    if (a->tmp_path)
        unlink(a->tmp_path);
    clear(a);
}
