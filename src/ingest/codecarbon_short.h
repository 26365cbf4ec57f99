/* CodeCarbon 3.2.9+ append rows: `FileOutput.out` drops the fields that are empty for the
 * run (`new_df.dropna(axis=1, how="all")`) before `to_csv(mode="a", header=False)`, so a
 * row has fewer values than the header and every value after a dropped field sits left of
 * its column.  This finds where each value belongs from the 3.2.9+ column order, which
 * fields CodeCarbon can leave empty and the kind of each value. */
#ifndef WP_INGEST_CODECARBON_SHORT_H
#define WP_INGEST_CODECARBON_SHORT_H

#include <stdbool.h>
#include <stddef.h>

/* EmissionsData's fields in 3.2.9 and 3.3.0, in the order FileOutput writes them. */
#define WP_CC_SHORT_COLUMNS 38

/* A header holding exactly those columns (in any order: CodeCarbon compares them sorted). */
struct wp_cc_short {
    size_t hdr_col[WP_CC_SHORT_COLUMNS]; /* CodeCarbon's i-th field -> header column */
};

/* True, with *out filled, when the header names are exactly the 3.2.9+ columns. */
bool wp_cc_short_layout(const char *const *names, size_t n, struct wp_cc_short *out);

/* Whether the header holds those columns in another order than CodeCarbon's fields (a
 * file rewritten by 3.1.2-3.2.8, whose appends kept the header's order, or by 3.1.1-3.2.3,
 * which moved columns empty in every row to the end): 3.2.9+ then appends its rows in its
 * own field order under that header. */
bool wp_cc_short_reordered(const struct wp_cc_short *l);

/* Which order a row of all WP_CC_SHORT_COLUMNS values is in, under a reordered header. */
enum wp_cc_order {
    WP_CC_HEADER_ORDER, /* the header's: read as it is (also when both readings agree) */
    WP_CC_FIELD_ORDER,  /* CodeCarbon's field order, not the header's: a 3.2.9+ append */
    WP_CC_EITHER_ORDER, /* both fit the kinds of the values and they differ: not certain */
    WP_CC_NO_ORDER,     /* neither fits: read as it is (its checks say what is wrong) */
};
/* The order of a full row under l's reordered header, by the kind of each value (a field
 * CodeCarbon can leave empty may be ""). */
enum wp_cc_order wp_cc_full_order(const struct wp_cc_short *l, const char *const *values);

/* The name of CodeCarbon's i-th field. */
const char *wp_cc_short_name(size_t i);

/* Where the values of a short row go.  For each header column h: value[h] is the row's
 * value placed there with certainty, or "" (a dropped field, or one that cannot be
 * placed); field[h] is its 1-based field number in the row, 0 when none.  Bit i of
 * *unplaced is set for CodeCarbon's i-th field when it cannot be placed with certainty
 * (the row fits more than one way there).  Returns false when the row fits no way. */
bool wp_cc_short_align(const struct wp_cc_short *l, const char *const *values, size_t k,
                       const char **value, long *field, unsigned long long *unplaced);

#endif
