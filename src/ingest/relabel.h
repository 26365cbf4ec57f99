/* Labels given again with `ingest` for a file whose content is already in the database:
 * they replace the labels that ingest gave its runs (command line over command line, the
 * newer one), and what changed is counted run by run ("12 runs: model A -> B"), so that a
 * correction is never silent. */
#ifndef WP_INGEST_RELABEL_H
#define WP_INGEST_RELABEL_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/ingest.h"
#include "store/store.h"
#include "util/err.h"

/* One change: `runs` runs went from `from` to `to` in `field` ("" = none). */
struct wp_relabel_change {
    const char *field; /* "model", "task", "dataset", "inferences", "batch_size" (static) */
    char *from, *to;   /* owned */
    long long runs;
};

struct wp_relabel {
    bool found;    /* a source holds this content as its current version */
    long long sources, runs; /* the sources relabelled and their runs */
    struct wp_relabel_change *v; /* ordered by field, then from, then to */
    size_t n;
};

/* Replaces the command-line labels of the sources whose current content is `sha256` by
 * their merge with l (the fields l gives win, the others stay) and applies them, in one
 * transaction; fills out with what changed.  out->found false (and nothing done) when no
 * source holds that content as its current version.  Free out with wp_relabel_free. */
enum wp_err wp_ingest_relabel(struct wp_store *s, const char *sha256,
                              const struct wp_ingest_labels *l, const struct wp_reporter *rep,
                              struct wp_relabel *out, struct wp_diag *d);
void wp_relabel_free(struct wp_relabel *r);

#endif
