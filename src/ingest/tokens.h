/* Token-count files: the input and output tokens of every sample a model processed
 * (header Input,Output,model,dataset, any order, any case; the study's lengths/ layout),
 * summed per model and dataset and stored through the store API.  A names map
 * (field,logged,label) turns the file's spellings into the labels experiments use; a name
 * the map does not list is kept as written.  Nothing here guesses a spelling. */
#ifndef WP_INGEST_TOKENS_H
#define WP_INGEST_TOKENS_H

#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

struct wp_token_names; /* opaque */

/* Reads a names map CSV (columns field, logged, label; field is model or dataset).  A
 * logged name given twice is an error at its line.  Free with wp_token_names_free. */
enum wp_err wp_token_names_load(const char *path, struct wp_token_names **out,
                                struct wp_diag *d);
void wp_token_names_free(struct wp_token_names *n);

/* The label of a logged name (field "model" or "dataset"): the map's, else the name itself.
 * names may be NULL (no map). */
const char *wp_token_names_label(const struct wp_token_names *n, const char *field,
                                 const char *logged);

struct wp_tokens_result {
    long long samples;  /* data rows read */
    size_t pairs;       /* (model, dataset) pairs stored */
};

/* Reads one token-count file ("-" is standard input; gzip is read directly), sums it per
 * (model, dataset) under the mapped labels and replaces what the store holds from that
 * file, in one transaction.  Errors name FILE:LINE:COL; on error nothing is kept. */
enum wp_err wp_ingest_tokens(struct wp_store *s, const char *path,
                             const struct wp_token_names *names, struct wp_tokens_result *res,
                             struct wp_diag *d);

#endif
