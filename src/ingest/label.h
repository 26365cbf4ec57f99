/* Labels: which model, task, dataset and inference count each run measured.  Rules come
 * from manifests (manifest.c) and command-line labels and are kept in the store, so they
 * also label runs ingested later.  The command line outranks a manifest, which outranks
 * what a log states about itself; two rules of the same rank that give one run different
 * values for a label are reported, and the first (by order of definition) wins. */
#ifndef WP_INGEST_LABEL_H
#define WP_INGEST_LABEL_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

struct wp_label_stats {
    long long runs_labeled, conflicts, rules, rules_unmatched;
    long long runs_not_read; /* wp_label_apply_after: labelled as added, not read again */
    /* the first disagreement: the later rule's origin, the label and both values */
    char conflict_origin[300], conflict_field[16], conflict_first[300];
};

/* Applies every stored rule to the runs that have a measurement from source_id (all runs
 * when it is 0).  With source_id 0, rules that match no run are reported.  Runs inside the
 * caller's transaction.  stats may be NULL. */
enum wp_err wp_label_apply(struct wp_store *s, long long source_id,
                           const struct wp_reporter *rep, struct wp_label_stats *stats,
                           struct wp_diag *d);

/* Reads a manifest CSV into rules, stores them in place of that manifest's earlier rules
 * and applies every rule to every run (inside the caller's transaction).  Errors name
 * FILE:LINE:COL; two rules that give one run different labels are an error
 * (WP_ERR_CONFLICT) at the later rule's row and column. */
enum wp_err wp_manifest_apply(struct wp_store *s, const char *path,
                              const struct wp_reporter *rep, size_t *n_rules,
                              struct wp_label_stats *stats, struct wp_diag *d);

struct wp_ingest_labels; /* ingest.h */
/* The rule of labels l (false: l gives none), as an ingest stores them for a file: from
 * origin, matching source_id (0: no file) and experiment (NULL: no experiment label); *r
 * points into l and static text. */
bool wp_label_rule_of(const struct wp_ingest_labels *l, const char *origin,
                      long long source_id, const char *experiment, struct wp_label_rule *r);

struct wp_label_pre;
/* wp_label_apply(s, 0, ...) after an ingest whose new runs pre labelled as they were added
 * (NULL: none): the runs pre stored in their experiments in committed transactions, and
 * that did not change since (no later measurement joined them, the pass after a file did
 * not label them anew), are not read again (their rules count as matched,
 * their labels' effects are written, they count as labelled); the others are read by id
 * ranges.  What it reports and stores is what wp_label_apply would; when pre's account
 * does not fit the stored rules (they changed since), every run is read. */
enum wp_err wp_label_apply_after(struct wp_store *s, const struct wp_label_pre *pre,
                                 const struct wp_reporter *rep, struct wp_label_stats *stats,
                                 struct wp_diag *d);
/* wp_manifest_apply, its pass that of wp_label_apply_after(pre). */
enum wp_err wp_manifest_apply_after(struct wp_store *s, const char *path,
                                    const struct wp_label_pre *pre,
                                    const struct wp_reporter *rep, size_t *n_rules,
                                    struct wp_label_stats *stats, struct wp_diag *d);

/* Reads a manifest CSV's rules and calls fn(ctx, 0, rule) for each, in order, until it
 * returns non-zero (the rule is valid during the call only); nothing is stored.  Errors
 * as wp_manifest_apply's reading. */
enum wp_err wp_manifest_rules_each(const char *path,
                                   int (*fn)(void *ctx, long long rule_id,
                                             const struct wp_label_rule *r),
                                   void *ctx, struct wp_diag *d);

/* Labels decided as runs are added (store.h's run labeller), so that an ingest stores each
 * new run in its experiment instead of the labelling pass updating it after the file.  The
 * labels of a new run are those the labelling pass will give it: the stored rules; when
 * manifest is not NULL, that manifest's rules as wp_manifest_apply will store them after the
 * files (in place of its earlier rules); and when cli is not NULL and names a label, the
 * command line's labels, the rule the ingest stores for each new file after its rows.  A run gets labels only where they are certain: its
 * file's format states no labels of its own, its rules do not disagree, its names are
 * UTF-8; the others are left to the pass, as before.  A manifest that cannot be read adds
 * no rules and replaces none (wp_manifest_apply reports it).  Names and experiments are
 * added for a run's labels only in a database that holds no runs and no rules, and only
 * where the store may remove them again (PostgreSQL's ingest role may not).  Free with
 * wp_label_pre_free.  It keeps account of the runs stored with its labels (for
 * wp_label_apply_after). */
enum wp_err wp_label_pre_open(struct wp_store *s, const char *manifest,
                              const struct wp_ingest_labels *cli, struct wp_label_pre **out,
                              struct wp_diag *d);
/* The labeller to give wp_store_set_labeller (valid while p lives).  While it is set, the
 * first file's transaction that commits a run stored labelled also stores the manifest's
 * rules (in place of its earlier ones, as wp_manifest_apply will), so that an ingest
 * stopped between files (killed, power lost) never leaves labels the stored rules do not
 * give; and the labelling pass after each file applies, in place of that manifest's
 * rules, those its path held when p was opened, as a plain ingest's pass does (the pass
 * after the files applies the manifest's). */
struct wp_run_labeller wp_label_pre_labeller(struct wp_label_pre *p);
/* The labels p decides for a new run whose first measurement has keys k (NULL: none) and
 * whether names and an experiment may be added for them (store.h's run labeller). */
const struct wp_labels *wp_label_pre_decide(struct wp_label_pre *p, const struct wp_run_keys *k,
                                            bool *may_add);
/* Whether p stored runs in an experiment from the manifest's rules. */
bool wp_label_pre_used_manifest(const struct wp_label_pre *p);
/* Whether, when the manifest is then not applied (it fails, or an ingest stops first),
 * wp_label_pre_undo must run: p stored a run labelled or the manifest's rules, or the pass
 * after each file left out earlier rules of the manifest's path. */
bool wp_label_pre_must_undo(const struct wp_label_pre *p);
/* Takes back what the manifest decided, inside the caller's transaction: its path gets
 * back the rules it had when p was opened, as they were; the runs p stored in an
 * experiment lose it; the files p saw have their runs labelled by the stored rules, as
 * their ingest would have without the manifest; the names and experiments p added that
 * nothing names any more are removed (wp_label_pre_drop_added). */
enum wp_err wp_label_pre_undo(struct wp_label_pre *p, struct wp_store *s, struct wp_diag *d);
/* Removes the names and experiments p added that nothing names any more (inside the
 * caller's transaction). */
enum wp_err wp_label_pre_drop_added(struct wp_label_pre *p, struct wp_store *s,
                                    struct wp_diag *d);
void wp_label_pre_free(struct wp_label_pre *p);

/* Whether a manifest's `file` glob matches a log's file name (or that name without a .gz
 * ending: a compressed log is the same log). */
bool wp_label_file_matches(const char *glob, const char *name);

/* Whether a value of the `idle` label (ingest --idle, a manifest column idle) marks idle
 * windows: yes, true (any case) or 1, as the store reads it. */
bool wp_label_is_idle_value(const char *v);

/* The runs a manifest's `shards` column makes of the files about to be ingested (README,
 * "The manifest"): rows with the same shards value name, by their `file` globs, the
 * per-process logs of one distributed run, ingested together as `ingest --shards` does.
 * group[i] is 0 for files[i] when no such row matches its name, else k (1-based) for the
 * group named names[k - 1], whose row is at line[k - 1] of the manifest.  A file two
 * groups claim, and a shards value on a row without a file glob, are errors at the
 * manifest's FILE:LINE:COL.  Free with wp_manifest_shards_free. */
struct wp_manifest_shards {
    size_t *group;  /* one per file */
    char **names;   /* one per group */
    long *line;     /* one per group: the first row that names it */
    size_t n_groups;
};
enum wp_err wp_manifest_shards(const char *path, const char *const *files, size_t n,
                               struct wp_manifest_shards *out, struct wp_diag *d);
void wp_manifest_shards_free(struct wp_manifest_shards *g);

#endif
