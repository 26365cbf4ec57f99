/* The columns of a per-group statistics table, described once: each column's name (with
 * its unit, as machine formats print it), its unit for people, its kind, its significant
 * digits for people and how its value is read from a group.  Every writer of a group table
 * renders these: `stats` (table, CSV, JSON) and the LaTeX tables; a writer chooses which
 * columns it shows and how it heads them, never where a value comes from.
 * The same model over rows of any type (struct wp_rowcol): pairs of tasks, scaling fits,
 * purpose comparisons, each with its table of columns here.
 * Layer: src/stats/ (pure: no SQL, no files); includes only stats/ and util/. */
#ifndef WP_STATS_COLUMNS_H
#define WP_STATS_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include "stats/groups.h"
#include "stats/paper.h"

/* WP_GCOL_CI: a t interval (its lower end is the column): people see the rule of stats.h,
 * 0 and a dagger where it reaches below zero (wp_ci_lo_shown); machines its exact lo. */
/* WP_GCOL_RANGE: an interval, two doubles lo then hi where the column is (NAN unknown). */
enum wp_gcol_kind { WP_GCOL_TEXT, WP_GCOL_COUNT, WP_GCOL_NUM, WP_GCOL_BOOL, WP_GCOL_CI,
                    WP_GCOL_RANGE };

struct wp_range {
    double lo, hi;
};

/* One value of a column: the member its kind names. */
union wp_gcell {
    const char *text; /* never NULL from a group column: "" where the group has none */
    long long count;
    double num;       /* NAN unknown */
    bool flag;
    const struct wp_ci *ci;
    struct wp_range range;
};

struct wp_gcol {
    const char *name;       /* mean_kwh_per_1k */
    const char *unit;       /* "kWh per 1,000 inferences"; "" for text, counts, factors */
    enum wp_gcol_kind kind;
    int sig;                /* significant digits for people (NUM) */
    size_t off;             /* where the value is in struct wp_group_stats ... */
    union wp_gcell (*get)(enum wp_unit unit, const struct wp_group_stats *g);
                            /* ... or, when not NULL, how it is computed */
};

/* Every column, in the order of `stats --format csv`. */
#define WP_N_GROUP_COLS 41
extern const struct wp_gcol wp_group_cols[WP_N_GROUP_COLS];

/* Columns a group also has that `stats` leaves out of its table: the model's facts
 * (parameters, purpose, mean GPU energy, training energy), for the workbook. */
#define WP_N_GROUP_MORE_COLS 4
extern const struct wp_gcol wp_group_more_cols[WP_N_GROUP_MORE_COLS];

/* The column named name (in either table), NULL if none. */
const struct wp_gcol *wp_gcol_find(const char *name);
/* Column c's value for group g of an analysis whose intervals are over unit. */
union wp_gcell wp_gcol_get(const struct wp_gcol *c, enum wp_unit unit,
                           const struct wp_group_stats *g);
/* A NUM or COUNT value as a double, a CI's exact lower end (NAN for text and flags). */
double wp_gcol_num(const struct wp_gcol *c, enum wp_unit unit,
                   const struct wp_group_stats *g);

/* ---- columns over rows of any type ----------------------------------------------------- */

/* A column of a table whose rows are structs of one type: as struct wp_gcol, with the value
 * at off in a row (a size_t for COUNT, a const char * for TEXT that may be NULL: the row
 * has none) or, when get is not NULL, computed from the row. */
struct wp_rowcol {
    const char *name;
    const char *unit;
    enum wp_gcol_kind kind;
    int sig;
    size_t off;
    union wp_gcell (*get)(const void *row);
};

/* A column's place in a row of type T: WP_ROWCOL_AT(struct wp_pair_cmp, ratio.ratio). */
#define WP_ROWCOL_AT(T, field) offsetof(T, field), NULL

/* Row i of rows, stride bytes apart. */
static inline const void *wp_row_at(const void *rows, size_t stride, size_t i)
{
    return (const char *)rows + i * stride;
}

/* Column c's value for row (TEXT: NULL where the row has none). */
union wp_gcell wp_rowcol_get(const struct wp_rowcol *c, const void *row);
/* A NUM or COUNT value as a double, a CI's exact lower end (NAN otherwise). */
double wp_rowcol_num(const struct wp_rowcol *c, const void *row);
/* The column named name of cols[0..n), NULL if none. */
const struct wp_rowcol *wp_rowcol_find(const struct wp_rowcol *cols, size_t n, const char *name);

/* Task vs task (struct wp_pair_cmp), as `stats --pairwise` names its values. */
#define WP_N_PAIR_COLS 10
extern const struct wp_rowcol wp_pair_cols[WP_N_PAIR_COLS];
/* A scaling fit, per task or pooled with a task term (struct wp_scaling). */
#define WP_N_SCALING_COLS 8
extern const struct wp_rowcol wp_scaling_cols[WP_N_SCALING_COLS];
/* Multi-purpose vs task-specific within a task (struct wp_purpose_cmp). */
#define WP_N_PURPOSE_COLS 9
extern const struct wp_rowcol wp_purpose_cols[WP_N_PURPOSE_COLS];

/* A task's star ratings (stats/rating.h): how many of its models were rated and how many
 * got each number of stars (stars[1..5]). */
struct wp_star_count {
    const char *task;
    size_t rated;
    size_t stars[6];
};
#define WP_N_STAR_COLS 7
extern const struct wp_rowcol wp_star_cols[WP_N_STAR_COLS];

/* A group's mean and sd set against published values (stats/reference.h). */
struct wp_ref_cmp {
    const char *task;
    double mean, ref_mean, diff, sd, ref_sd; /* kWh per 1,000 inferences; diff = mean -
                                                ref_mean */
    double ref_mean_unit, ref_sd_unit;       /* one unit of the last printed digit */
    bool mean_ok, sd_ok;                     /* within one unit of the printed digit */
};
/* "agrees": yes, no, "mean differs", "sd differs". */
#define WP_N_REF_COLS 9
extern const struct wp_rowcol wp_ref_cols[WP_N_REF_COLS];

/* A model's kWh and g CO2eq per 1,000 inferences set against published values. */
struct wp_model_ref_cmp {
    const char *model;
    double kwh, ref_kwh, ref_kwh_unit; /* per 1,000 inferences; ref NAN when not given */
    double g, ref_g, ref_g_unit;
    bool kwh_ok, g_ok;                 /* within one unit of the printed digit */
};
/* "agrees": yes, no, "kWh only", "g only". */
#define WP_N_MODEL_REF_COLS 8
extern const struct wp_rowcol wp_model_ref_cols[WP_N_MODEL_REF_COLS];

/* Inferences to parity with training per model and task (struct wp_parity_row): the
 * training energy as published (pre-training, fine-tuning NAN when not published) or the
 * manifest's total, parity in millions of inferences. */
#define WP_N_PARITY_COLS 7
extern const struct wp_rowcol wp_parity_cols[WP_N_PARITY_COLS];

/* A model and task's energy against its published score (struct wp_quality_row). */
#define WP_N_QUALITY_COLS 6
extern const struct wp_rowcol wp_quality_cols[WP_N_QUALITY_COLS];

#endif
