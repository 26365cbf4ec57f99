/* Merging wattprint's energy section into an existing model card (card --into README.md):
 * one YAML front matter, where the card's own keys stay as they are and ours are added or
 * replaced in place; our section of the text between two marker comments, replaced on every
 * run, the author's text untouched. Merging twice gives the same bytes. Text in, text out:
 * no file, no statistics. */
#ifndef WP_REPORT_CARD_MERGE_H
#define WP_REPORT_CARD_MERGE_H

#include <stddef.h>

#include "util/err.h"

#define WP_CARD_BEGIN "<!-- wattprint:energy:begin (written by wattprint card --into; " \
                      "edits between these markers are replaced) -->"
#define WP_CARD_END "<!-- wattprint:energy:end -->"

/* Merges `card` (wattprint's card: front matter, then Markdown) into `existing` (a model
 * card, with or without front matter; `name` names it in messages). On success *out is a new
 * NUL-terminated string of *out_len bytes (free()). An existing front matter that is not a
 * YAML mapping, or markers out of order, are WP_ERR_PARSE at NAME:LINE. */
enum wp_err wp_card_merge(const char *card, const char *existing, const char *name,
                          char **out, size_t *out_len, struct wp_diag *d);

#endif
