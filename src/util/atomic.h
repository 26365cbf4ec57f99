/* Files written atomically: the content goes to PATH.tmp.XXXXXX in the same directory,
 * is fsynced and renamed over PATH, so a reader sees the old file or the new one, never
 * half of one.  Not a lock: two writers of one PATH race, and the last rename wins. */
#ifndef WP_UTIL_ATOMIC_H
#define WP_UTIL_ATOMIC_H

#include <stdio.h>

#include "util/err.h"

struct wp_atomic {
    char *path;     /* the final name; owned */
    char *tmp_path; /* PATH.tmp.XXXXXX, NULL once renamed or removed; owned */
    FILE *f;        /* open on tmp_path for writing; NULL after wp_atomic_release */
};

/* Creates dir and its missing parents (mkdir -p), or fills d. */
enum wp_err wp_mkdirs(const char *dir, struct wp_diag *d);
/* Creates the missing parent directories of `path` (like mkdir -p of its dirname). */
enum wp_err wp_mkdirs_for(const char *path, struct wp_diag *d);

/* Creates the parent directories and the temporary file (mode 0666 & ~umask) and opens
 * a->f on it.  On failure a is left empty.  Finish with wp_atomic_commit or _abort. */
enum wp_err wp_atomic_begin(struct wp_atomic *a, const char *path, struct wp_diag *d);

/* Closes a->f without committing, for a library that writes a->tmp_path by name (the
 * file stays reserved); commit then syncs what that library wrote. */
enum wp_err wp_atomic_release(struct wp_atomic *a, struct wp_diag *d);

/* Flushes, fsyncs and closes the file, renames it over the final path and syncs the
 * directory.  Frees a's names either way; on failure the temporary file is removed. */
enum wp_err wp_atomic_commit(struct wp_atomic *a, struct wp_diag *d);

/* Closes and removes the temporary file and frees a's names (safe on an empty a). */
void wp_atomic_abort(struct wp_atomic *a);

#endif
