/* The store: the only module that knows SQL.  Everything else calls these functions and
 * gets plain structs or row callbacks.  Two backends implement them, chosen at open: a
 * SQLite file (src/store/sqlite*.c) or a PostgreSQL server (src/store/pg*.c). */
#ifndef WP_STORE_H
#define WP_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

struct wp_store; /* opaque */

/* Opens the database `db` and applies pending migrations: a postgresql:// or postgres://
 * URI is a PostgreSQL server (libpq's environment fills what the URI leaves out), anything
 * else the path of a SQLite file (created if needed).  *out is freed with wp_store_close. */
enum wp_err wp_store_open(const char *db, struct wp_store **out, struct wp_diag *d);
/* How a command opens its database: a command that writes (ingest, manifest, tokens, migrate) may
 * create a SQLite file; one that reads needs it to exist ("no such database", nothing
 * created) and reads it read-only when its user cannot write the file or its folder (the
 * schema must then be current: no migration can be applied). */
enum wp_store_mode { WP_STORE_CREATE, WP_STORE_EXISTING };
/* As wp_store_open, in `mode` (a PostgreSQL server is the same in both). */
enum wp_err wp_store_open_mode(const char *db, enum wp_store_mode mode, struct wp_store **out,
                               struct wp_diag *d);
void wp_store_close(struct wp_store *s);

/* True when `db` names a PostgreSQL server (postgresql:// or postgres://). */
bool wp_store_is_pg_uri(const char *db);
/* `db` as messages show it: a URI's password (user:PASSWORD@, password= in any case or
 * percent-encoding, a port that is not a number) becomes ***.
 * Writes at most `size` bytes to out, always terminated (when size > 0). */
void wp_store_display_name(const char *db, char *out, size_t size);
/* text (a message, libpq's among them) with every credential of the connection string db
 * replaced by ***: the user information's password, the value of a parameter whose name,
 * percent-decoded, holds "password" (pass%77ord=), a port that is not a number (the password
 * of a URI whose '@' is missing), each as written and decoded.  A message quoting a
 * credential shorter than 4 bytes is withheld whole.  Writes at most size bytes to out. */
void wp_store_mask_secrets(const char *db, const char *text, char *out, size_t size);
/* "sqlite" or "postgresql". */
const char *wp_store_backend(const struct wp_store *s);
/* Schema version the database had before this open applied pending migrations. */
int wp_store_version_at_open(const struct wp_store *s);

/* Schema version of the open database (the highest migration applied). */
int wp_store_schema_version(const struct wp_store *s);
/* Highest migration compiled into this binary. */
int wp_store_latest_version(void);

/* Transactions: one per input file.  begin takes the write lock (waiting for other
 * writers); rollback is safe to call when no transaction is open. */
enum wp_err wp_store_begin(struct wp_store *s, struct wp_diag *d);
enum wp_err wp_store_commit(struct wp_store *s, struct wp_diag *d);
void wp_store_rollback(struct wp_store *s);

/* ---- ingest ------------------------------------------------------------------------- */

#define WP_SHA256_HEX 65 /* 64 hex digits + NUL */

/* What the store knows of an earlier ingest of a file at the same path. */
struct wp_prior_file {
    bool found;
    long long source_id;
    long long size_bytes, consumed_bytes;
    char sha256[WP_SHA256_HEX], prefix_sha256[WP_SHA256_HEX];
};

/* Looks up the newest source file ingested from `path`. */
enum wp_err wp_store_find_prior(struct wp_store *s, const char *path,
                                struct wp_prior_file *out, struct wp_diag *d);
/* Removes what the files ingested from `path` gave (inside a transaction): their
 * measurements, the runs left with none, their rejected lines, labels and versions;
 * *measurements says how many measurements went.  For a file replaced by a new version. */
enum wp_err wp_store_source_drop(struct wp_store *s, const char *path,
                                 long long *measurements, struct wp_diag *d);
/* Sets *found when a file with this exact content was ingested before. */
enum wp_err wp_store_has_content(struct wp_store *s, const char *sha256, bool *found,
                                 struct wp_diag *d);

/* An earlier file whose rows are the same (wp_reader_rows_sha256: the same log gzipped, with
 * other line ends or blank lines at the end): where it was read from and when. */
struct wp_rows_copy {
    bool found;
    char path[1024];        /* as stored; cut short (never overrun) when longer */
    char ingested_at[32];   /* UTC, ISO 8601 */
    long long rows, of_rows; /* 0, or its rows are the first `rows` of that log's of_rows */
};
/* Looks up the first file version whose rows hash is rows_sha256 (versions stored before
 * schema 7 have none and match nothing). */
enum wp_err wp_store_find_rows(struct wp_store *s, const char *rows_sha256,
                               struct wp_rows_copy *out, struct wp_diag *d);

/* The checks of a file read to its end, at once: *seen as wp_store_has_content(sha256)
 * gives it; when not seen, *copy as wp_store_find_rows gives it for rows, else for
 * rows_legacy (the rows hash of versions stored before schema 7); and *may_have_grown:
 * whether a version with the same first two rows (head_sum, NULL for none) and another
 * rows count than rows_count is stored (then wp_store_grown_from says which). */
enum wp_err wp_store_file_seen(struct wp_store *s, const char *sha256, const char *rows,
                               const char *rows_legacy, const char *head_sum,
                               long long rows_count, bool *seen, struct wp_rows_copy *copy,
                               bool *may_have_grown, struct wp_diag *d);

/* A stored version of another file, of a log that a file may be at another length
 * (wp_store_grown_from). */
struct wp_grown_from {
    long long rows_count;
    char complete_sha256[65];
    char path[1024];        /* as stored; cut short (never overrun) when longer */
    char ingested_at[32];   /* UTC, ISO 8601 */
};
/* Whether any version has the first two rows head_sum (cheap: most files' answer is no). */
enum wp_err wp_store_head_seen(struct wp_store *s, const char *head_sum, bool *found,
                               struct wp_diag *d);
/* The versions of files other than `path` whose first two rows sum to head_sum, the longest
 * first (among as long, the newest first), at most max (*n of them): what a file read as
 * path, with those first rows, may have grown from, or be an earlier copy of. */
enum wp_err wp_store_grown_from(struct wp_store *s, const char *head_sum, const char *path,
                                struct wp_grown_from *out, size_t max, size_t *n,
                                struct wp_diag *d);

/* Creates the source_file row for a new file (inside a transaction). */
enum wp_err wp_store_source_new(struct wp_store *s, const char *path, const char *name,
                                const char *format, long long *source_id, struct wp_diag *d);

/* Records what this ingest read: the file's content hash and size, how far complete rows
 * went, and how many rows were added or rejected.  Adds a file_version row. */
struct wp_source_done {
    const char *sha256, *prefix_sha256;
    const char *rows_sha256; /* the normalized rows' hash, NULL when not known */
    const char *head_sum;    /* its first two rows' hashes summed, NULL when not known */
    long long rows_count;    /* its rows but a last one cut mid-write (with head_sum) */
    const char *complete_sha256; /* their rows hash (with head_sum) */
    long long size_bytes, consumed_bytes;
    long long rows_added, rows_rejected;
};
enum wp_err wp_store_source_finish(struct wp_store *s, long long source_id,
                                   const struct wp_source_done *done, struct wp_diag *d);

/* One measurement as a parser produced it.  Numbers in SI units, NAN when the log did not
 * say.  Strings are never NULL ("" when absent) and are copied by the store. */
struct wp_measurement {
    long line;               /* 1-based line (or record number) in the source file */
    const char *phase;       /* "" for a whole run, else e.g. "query model" */
    const char *run_label;   /* the tool's run id as logged */
    const char *project_name, *experiment_label, *started_at, *tracking_mode;
    double duration_s, energy_j, cpu_energy_j, gpu_energy_j, ram_energy_j;
    double emissions_g, emissions_rate_g_per_s, cpu_power_w, gpu_power_w, ram_power_w;
    double pue, water_l, longitude, latitude;
    const char *tool_name, *tool_version;
    /* hardware */
    const char *cpu_model, *gpu_model, *os, *python_version;
    double cpu_count, gpu_count, ram_total_bytes;
    /* location */
    const char *country_name, *country_iso_code, *region, *cloud_provider, *cloud_region,
        *on_cloud;
    /* how each component energy was obtained (schema 006; "" or NULL = the log does not
     * tell): WP_BASIS_MEASURED, WP_BASIS_ALL_GPUS, WP_BASIS_RAM_MODEL, WP_BASIS_TDP */
    const char *cpu_basis, *gpu_basis, *ram_basis;
    /* columns without a home, kept as key/value pairs */
    size_t n_extra;
    const char *const *extra_keys;
    const char *const *extra_values;
};
/* Whether m's run has an identity of its own (a UUID run id, stored as the run's uid): a
 * row that names one joins that run wherever it is read, and cannot count twice. */
bool wp_store_has_run_uid(const struct wp_measurement *m);


/* Sets every field of m to "absent" (empty strings, NAN numbers). */
void wp_measurement_clear(struct wp_measurement *m);

/* The text members of struct wp_measurement, as offsets: what a copy of a measurement must
 * copy besides its extras (ingest/pipe.c, ingest/flushes.c, store/sqlite_batch.c).  One
 * list, so that a member added to the struct is copied everywhere (pipe.c asserts the
 * struct's size against it).  WP_MEASUREMENT_TEXT(m, i) is member i of *m. */
#define WP_MEASUREMENT_N_TEXT 21
extern const size_t wp_measurement_text[WP_MEASUREMENT_N_TEXT];
#define WP_MEASUREMENT_TEXT(m, i) (*(const char **)(void *)((char *)(m) + wp_measurement_text[i]))

/* The stored marks of a component energy: read from counters (RAPL, NVML, a meter), the
 * same counters summed over every GPU of the node (idle ones included), or modelled. */
#define WP_BASIS_MEASURED "measured"
#define WP_BASIS_ALL_GPUS "measured:all-gpus"
#define WP_BASIS_RAM_MODEL "modelled:ram" /* RAM power from the memory size */
#define WP_BASIS_TDP "modelled:tdp"       /* CPU power from a TDP table */
/* Whether a stored mark says modelled (NULL and "" do not). */
bool wp_basis_is_modelled(const char *basis);

/* What wp_store_add_measurement did with a measurement. */
enum wp_add_outcome {
    WP_ADD_NEW,       /* stored in a new run */
    WP_ADD_JOINED,    /* stored as a further phase of an existing run (same UUID) */
    WP_ADD_DUPLICATE, /* the same run already holds identical values: nothing stored */
    WP_ADD_CONFLICT,  /* the run id is taken by different values: stored as a new run */
};
struct wp_add_result {
    enum wp_add_outcome outcome;
    char other[160]; /* for DUPLICATE/CONFLICT: "file:line" of the measurement already held */
    long long run_id; /* the run it is stored in (DUPLICATE: the run already holding it) */
};

/* Stores one measurement of source file `source_id`.  Runs whose run id is a UUID join
 * across files (a whole-run row and its task-level rows); `group_key`, when not NULL, is a
 * per-file key that groups the phases of one run in a file without a UUID. */
enum wp_err wp_store_add_measurement(struct wp_store *s, long long source_id,
                                     const struct wp_measurement *m, const char *group_key,
                                     struct wp_add_result *res, struct wp_diag *d);

/* What a queued measurement's callback is told besides its outcome: the measurement's
 * line, run id as logged and phase (valid during the call only) and its energy. */
struct wp_queued {
    long line;
    const char *run_label, *phase;
    double energy_j;
};
/* As wp_store_add_measurement, for a caller that needs the outcome only later (ingest):
 * the store may hold the measurement back and send many at once.  done(ctx, q, res) is
 * called once per measurement, in the order they were queued, when it is stored (or found
 * a duplicate): at the latest by wp_store_flush or wp_store_commit, or by any other call
 * on the store, which first sends what is held.  A rollback drops what is held without a
 * call. */
enum wp_err wp_store_queue_measurement(struct wp_store *s, long long source_id,
                                       const struct wp_measurement *m, const char *group_key,
                                       void (*done)(void *ctx, const struct wp_queued *q,
                                                    const struct wp_add_result *res),
                                       void *ctx, struct wp_diag *d);
/* Sends what wp_store_queue_measurement held back and calls its callbacks. */
enum wp_err wp_store_flush(struct wp_store *s, struct wp_diag *d);

/* Keeps a line that --skip-bad-rows left out, verbatim. */
enum wp_err wp_store_add_rejected(struct wp_store *s, long long source_id, long line,
                                  long col, const char *reason, const char *text,
                                  struct wp_diag *d);

/* ---- labels ------------------------------------------------------------------------- */

/* A labelling rule (manifest row or command-line labels).  NULL / 0 / NAN mean "not given".
 * Every given match field must match; the label fields given are set on matching runs. */
struct wp_label_rule {
    const char *origin;   /* "manifest.csv:12" or "command line" */
    const char *match_project, *match_experiment, *match_run, *match_file;
    long long match_source_id;
    const char *model, *task, *dataset;
    long long inferences, batch_size, parameters; /* 0 = not given */
    double training_energy_j;                     /* NAN = not given */
    size_t n_attr;
    const char *const *attr_keys;
    const char *const *attr_values;
};

/* Replaces the rules of `manifest` (NULL for command-line rules, which are only added). */
enum wp_err wp_store_rules_put(struct wp_store *s, const char *manifest,
                               const struct wp_label_rule *rules, size_t n,
                               struct wp_diag *d);

/* Removes the command-line labels given with the ingest of source `source_id` (rules of
 * origin "command line" tied to it, not to one of its experiments), inside the caller's
 * transaction: for labels given again, which replace them. */
enum wp_err wp_store_rules_drop_source(struct wp_store *s, long long source_id,
                                       struct wp_diag *d);

/* Calls fn for every stored rule (attr arrays valid during the call only), but those of
 * the run labeller's hide_manifest while it is set (below), given its hide_with instead. */
enum wp_err wp_store_rules_each(struct wp_store *s,
                                int (*fn)(void *ctx, long long rule_id,
                                          const struct wp_label_rule *r),
                                void *ctx, struct wp_diag *d);

/* The rules of one manifest as they are stored (ids, every column, attributes), to put
 * back as they were when what replaced them is taken back.  Free with
 * wp_store_rules_saved_free. */
struct wp_rules_saved;
enum wp_err wp_store_rules_save(struct wp_store *s, const char *manifest,
                                struct wp_rules_saved **out, struct wp_diag *d);
/* How many rules r holds. */
size_t wp_store_rules_saved_count(const struct wp_rules_saved *r);
/* Whether rules[0..n) are r's, as wp_store_rules_put would store them (in order, the same
 * columns and attributes): putting them would change nothing but their ids. */
bool wp_store_rules_saved_same(const struct wp_rules_saved *r,
                               const struct wp_label_rule *rules, size_t n);
/* Replaces the rules of `manifest` by r's, each under its saved id where that id is free
 * (else the next one), inside the caller's transaction. */
enum wp_err wp_store_rules_restore(struct wp_store *s, const char *manifest,
                                   const struct wp_rules_saved *r, struct wp_diag *d);
void wp_store_rules_saved_free(struct wp_rules_saved *r);

/* What identifies a run for matching: one call per measurement of the run. */
struct wp_run_keys {
    long long run_id;
    const char *project_name, *experiment_label, *run_label, *file_name;
    long long source_id;
    long long experiment_id; /* the run's experiment as it is now (0: none) */
    const char *format;      /* to a run labeller (below): the file's format; else NULL */
};
/* Calls fn for every measurement, ordered by run (all runs, or only those with a
 * measurement from source `source_id` when it is not 0). */
enum wp_err wp_store_run_keys_each(struct wp_store *s, long long source_id,
                                   int (*fn)(void *ctx, const struct wp_run_keys *k),
                                   void *ctx, struct wp_diag *d);

/* The labels a run ends up with (NULL / 0 = none). */
struct wp_labels {
    const char *model, *task, *dataset;
    long long inferences, batch_size, parameters;
    double training_energy_j;
    size_t n_attr;
    const char *const *attr_keys;
    const char *const *attr_values;
    /* the run's experiment as read with its keys, when is_current_known: the run is not
     * written again when the labels give it the same */
    bool is_current_known;
    long long current_experiment_id; /* 0: none */
};
/* Sets the run's experiment from `l` (creating model, task, dataset and experiment rows as
 * needed); all-empty labels clear it.  Parameters and training energy go to the model. */
enum wp_err wp_store_label_run(struct wp_store *s, long long run_id, const struct wp_labels *l,
                               struct wp_diag *d);
/* Labels decided as runs are added, so that a run is stored in its experiment rather than
 * updated by the labelling pass after its file (ingest/label.c decides them).  For each
 * new run of a file created by wp_store_source_new, fn(ctx, k, &may_add) gets the keys of
 * the run's first measurement (run_id and experiment_id 0, file_name and format the
 * file's) and returns the labels the labelling pass will give the run when they are
 * certain, else NULL; with *may_add false the run takes them only if their names and
 * experiment exist (nothing is added).  created(ctx, run_id, l) then names the run that
 * took them; joined and settled tell what became of the runs (a labeller that keeps no
 * account of them leaves those NULL).  fn and created are called from whichever thread
 * adds the measurements, during the store call that adds them (a backend that sends rows
 * in batches may ask fn for rows that turn out to join a run). */
struct wp_run_labeller {
    const struct wp_labels *(*fn)(void *ctx, const struct wp_run_keys *k, bool *may_add);
    /* run_id was stored in the experiment of l, the labels fn returned for it (NULL: not
     * kept by the backend) */
    void (*created)(void *ctx, long long run_id, const struct wp_labels *l);
    /* run run_id changed after it was stored: a further measurement, or labels set anew
     * (0: runs were removed, any run) */
    void (*joined)(void *ctx, long long run_id);
    /* the transaction the calls since the last settled were made in committed, or not
     * (NULL: not told; wp_store_commit and wp_store_rollback tell it) */
    void (*settled)(void *ctx, bool committed);
    /* a name (kind 0 model, 1 task, 2 dataset) or an experiment (3) added for them */
    void (*added)(void *ctx, int kind, long long id);
    /* the labels fn returned last name what the store does not hold and may not add: fn
     * need not return them again */
    void (*missing)(void *ctx);
    void *ctx;
    /* NULL: none.  Called by wp_store_commit inside the transaction, after the rows it
     * still holds are stored and before the commit: to store what the labels decided in
     * the transaction need to be explained by (the rules they came from); an error fails
     * the commit. */
    enum wp_err (*before_commit)(void *ctx, struct wp_store *s, struct wp_diag *d);
    /* NULL: none.  A manifest (its path as given) whose rules are the labeller's while it
     * is set: wp_store_rules_each leaves them out, so that the labelling pass after each
     * file does not apply them before the manifest is (the pass after the files does). */
    const char *hide_manifest;
    /* NULL: none.  The rules wp_store_rules_each gives in place of hide_manifest's, where
     * their ids put them: those the manifest's path held before the ingest, which the
     * labelling pass after each file of a plain ingest applies. */
    const struct wp_rules_saved *hide_with;
    /* NULL: none.  Rows of source source_id (a new file, or one that grew) were stored in
     * the transaction (wp_store_source_finish): the files whose runs the labelling pass
     * after each file labelled, without hide_manifest's rules. */
    void (*source_done)(void *ctx, long long source_id);
    /* NULL: none.  Source file source_id was created in the transaction
     * (wp_store_source_new): it has no runs from an earlier one. */
    void (*source_new)(void *ctx, long long source_id);
};
/* Sets (NULL: removes) the store's run labeller; l is copied. */
void wp_store_set_labeller(struct wp_store *s, const struct wp_run_labeller *l);
/* The store's run labeller (NULL: none set). */
const struct wp_run_labeller *wp_store_labeller(const struct wp_store *s);
/* Whether the store holds any run (one probe, not a count). */
enum wp_err wp_store_any_run(struct wp_store *s, bool *any, struct wp_diag *d);
/* Whether this connection may remove names and experiments (wp_store_label_drop_unused):
 * PostgreSQL's ingest role of schema/pg/roles.sql may not; a labeller then adds none. */
enum wp_err wp_store_may_drop_labels(struct wp_store *s, bool *may, struct wp_diag *d);
/* Whether this connection may read every measured value (PostgreSQL's ingest role may
 * not: it reads only what an ingest compares). */
enum wp_err wp_store_may_read_values(struct wp_store *s, bool *may, struct wp_diag *d);
/* Removes name `id` of kind 0 model, 1 task, 2 dataset, or experiment `id` (kind 3), if
 * nothing names it (no experiment; no run and no attribute), inside the caller's
 * transaction: what a labeller's `added` reported, its labels taken back. */
enum wp_err wp_store_label_drop_unused(struct wp_store *s, int kind, long long id,
                                       struct wp_diag *d);

/* Around a pass that may label many runs (it reads most of the database) inside one
 * transaction: start before the first wp_store_label_run, !start after the last; once
 * the pass has moved enough runs to other experiments, the store may defer the upkeep of
 * what it indexes by label until then. */
enum wp_err wp_store_label_many(struct wp_store *s, bool start, struct wp_diag *d);
/* Whether such a pass should read its runs in pieces, calling wp_store_label_many(start)
 * between them (the store defers that upkeep only where no statement reads the runs);
 * false: in one statement. */
bool wp_store_label_in_pieces(const struct wp_store *s);
/* Writes what labelling a run with l writes besides the run itself (inside the caller's
 * transaction): its names and experiment found or added, the model's figures and the
 * experiment's attributes. */
enum wp_err wp_store_label_effects(struct wp_store *s, const struct wp_labels *l,
                                   struct wp_diag *d);
/* The largest run id (0: no run). */
enum wp_err wp_store_run_max(struct wp_store *s, long long *id, struct wp_diag *d);
/* As wp_store_run_keys_each, for the runs whose id is in [from, to]. */
enum wp_err wp_store_run_keys_range(struct wp_store *s, long long from, long long to,
                                    int (*fn)(void *ctx, const struct wp_run_keys *k),
                                    void *ctx, struct wp_diag *d);

/* ---- token counts ------------------------------------------------------------------- */

/* What a token-count file says of one model on one dataset: how many samples it processed
 * and the sums of their input and output tokens. */
struct wp_token_count {
    const char *model, *dataset;               /* the labels experiments use */
    const char *logged_model, *logged_dataset; /* as the file spells them */
    long long samples, input_tokens, output_tokens;
    const char *source_path, *source_sha256;   /* the file and its content */
};

/* Replaces the counts stored from `source_path` by v[0..n) (inside the caller's
 * transaction).  A model and dataset that another file already gave is WP_ERR_CONFLICT,
 * naming that file: counts of two files are never added up nor overwritten. */
enum wp_err wp_store_tokens_put(struct wp_store *s, const char *source_path,
                                const struct wp_token_count *v, size_t n, struct wp_diag *d);

/* Calls fn for every stored count, ordered by model and dataset; has_experiment says
 * whether an experiment carries that model and dataset (a count no run can use). */
enum wp_err wp_store_each_token_count(struct wp_store *s,
                                      int (*fn)(void *ctx, const struct wp_token_count *c,
                                                bool has_experiment),
                                      void *ctx, struct wp_diag *d);

/* ---- reads -------------------------------------------------------------------------- */

struct wp_run_row;
struct wp_run_filter {
    const char *task, *model, *dataset; /* NULL = any */
    const char *phase;                  /* NULL = the run's total; else that phase only */
    bool labeled_only;                  /* only runs with model, task and dataset */
    bool by_run_id;                     /* order by run id only (cheaper than by labels) */
    bool energy_only;                   /* statistics: only each run's energy and emissions
                                           are needed (wp_store_each_run_value) */
    bool measured_only;                 /* statistics: a run's energy without its components
                                           marked modelled (needs the full read) */
    const char *where_key, *where_value; /* only experiments with this attribute value
                                            (statistics and each_model_source; each_run
                                            leaves it to its caller; NULL = any) */
    const long long *exclude_run_ids;    /* statistics (wp_runs_each) skip these runs,
                                            ascending (flagged by analysis/validity.h);
                                            NULL = none */
    size_t n_exclude_run_ids;
    /* statistics (wp_runs_each): called on each run that passes the filter before it is
     * used, to restate its energy or emissions (stats/idle.h: above idle; stats/intensity.h:
     * hourly carbon intensity); NULL = none */
    void (*adjust)(void *ctx, struct wp_run_row *r);
    void *adjust_ctx;
};

/* One run as reports see it.  Strings are "" when unknown; numbers NAN; counts 0. */
struct wp_run_row {
    long long run_id, experiment_id;
    const char *run_uid, *model, *task, *dataset, *phases, *source_file, *started_at;
    const char *gpu_model, *cpu_model, *country_iso_code, *region, *tool, *tool_version;
    long line;
    long long inferences, batch_size, parameters;
    double duration_s, energy_j, cpu_energy_j, gpu_energy_j, ram_energy_j, emissions_g;
    double carbon_intensity_g_per_kwh, pue;
    const char *purpose;        /* the experiment's `purpose` attribute, "" if none */
    double training_energy_j;   /* the model's, NAN if unknown */
    /* token counts of the experiment's model on its dataset (wp_store_tokens_put), 0 none:
     * samples and the sums of input and output tokens over them */
    long long token_samples, input_tokens, output_tokens;
    /* the hardware the run's log names: counts and memory NAN unknown, texts "" */
    double cpu_count, gpu_count, ram_total_bytes;
    const char *os, *python_version;
    /* the components' marks (WP_BASIS_*; over phases the most cautious: a modelled phase
     * makes the run's component modelled); "" unknown, NULL where a reader fills none */
    const char *cpu_basis, *gpu_basis, *ram_basis;
    /* set by the analysis' restating hook (analysis/restate.h) when figures use energy above
     * idle and the run has none: its energies are then NAN too; false as the store reads */
    bool no_energy_above_idle;
};
/* Calls fn for each run matching f, ordered by task, model, dataset, run id (or by run id
 * alone when f->by_run_id).  fn returns
 * non-zero to stop (wp_store_each_run then returns WP_OK). */
enum wp_err wp_store_each_run(struct wp_store *s, const struct wp_run_filter *f,
                              int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx,
                              struct wp_diag *d);

/* The lean per-run read statistics use: values and ids only (labels come from
 * wp_store_each_experiment, hardware from wp_store_each_hardware). */
struct wp_run_value_row {
    long long run_id, experiment_id, hardware_id; /* 0 = none */
    double energy_j, cpu_energy_j, gpu_energy_j, ram_energy_j, emissions_g; /* NAN unknown */
    const char *started_at;                       /* "" unknown */
    unsigned modelled;    /* WP_MODELLED_* bits of the components marked modelled (any phase);
                             0 in an energy_only read */
    double pue;           /* the PUE the tool applied to energy_j, as logged; NAN unknown
                             (and in an energy_only read) */
};
enum { WP_MODELLED_CPU = 1, WP_MODELLED_GPU = 2, WP_MODELLED_RAM = 4 };
/* Every run's total (or phase `phase`'s values): whole-run measurements, then runs
 * measured only in phases, each part usually by run id (the server's always; callers that
 * need the order check it).  With energy_only, a backend may read only
 * run_id, experiment_id, energy_j and emissions_g (the rest 0 / NAN / ""): a narrower
 * read for totals over millions of runs.  fn must not call the store. */
enum wp_err wp_store_each_run_value(struct wp_store *s, const char *phase, bool energy_only,
                                    int (*fn)(void *ctx, const struct wp_run_value_row *r),
                                    void *ctx, struct wp_diag *d);

struct wp_experiment_row {
    long long id;
    const char *model, *task, *dataset, *purpose; /* "" unknown */
    long long inferences, batch_size, parameters;  /* 0 unknown */
    double training_energy_j;                       /* NAN unknown */
    long long token_samples, input_tokens, output_tokens; /* as in wp_run_row, 0 none */
};
/* Every experiment with its labels, ordered by id. */
enum wp_err wp_store_each_experiment(struct wp_store *s,
                                     int (*fn)(void *ctx, const struct wp_experiment_row *r),
                                     void *ctx, struct wp_diag *d);

/* Every experiment that has attribute `key`, with its value, ordered by experiment id. */
enum wp_err wp_store_each_experiment_attr(struct wp_store *s, const char *key,
                                          int (*fn)(void *ctx, long long experiment_id,
                                                    const char *value),
                                          void *ctx, struct wp_diag *d);

/* Every extra column of every measurement (the configuration a log states beside its
 * energy: batch size, latencies, throughput, ...) and each measurement's GPU count, as
 * (run id, phase, key, value) text, ordered by run id, phase and key.  Values valid during
 * the call only; fn returns non-zero to stop.  Both backends, one SQL text. */
enum wp_err wp_store_each_run_extra(struct wp_store *s,
                                    int (*fn)(void *ctx, long long run_id, const char *phase,
                                              const char *key, const char *value),
                                    void *ctx, struct wp_diag *d);

/* One measurement's time window and energies, for what needs the run's duration beside its
 * energy (stats/idle.h: the idle baseline; stats/intensity.h: hourly carbon intensity). */
struct wp_run_window_row {
    long long run_id, hardware_id; /* hardware 0 = none */
    const char *phase;             /* "" = the whole run */
    const char *started_at;        /* as logged, "" unknown */
    bool is_idle;                  /* the run's experiment has attribute idle = yes/true/1
                                      (ingest --idle, a manifest column `idle`) */
    double duration_s, energy_j, cpu_energy_j, gpu_energy_j, ram_energy_j; /* NAN unknown */
};
/* The number of experiments marked idle (attribute idle = yes/true/1) into *n. */
enum wp_err wp_store_count_idle(struct wp_store *s, long long *n, struct wp_diag *d);
/* The ids of those experiments, ascending, into *ids (owned, NULL when none), *n of them. */
enum wp_err wp_store_idle_experiments(struct wp_store *s, long long **ids, size_t *n,
                                      struct wp_diag *d);
/* Every measurement as such a row, ordered by run id and phase.  Strings valid during the
 * call only; fn returns non-zero to stop.  Both backends, one SQL text. */
enum wp_err wp_store_each_run_window(struct wp_store *s,
                                     int (*fn)(void *ctx, const struct wp_run_window_row *r),
                                     void *ctx, struct wp_diag *d);

/* The values a filter can name, for saying what a filter that matches nothing could have
 * been: task, model and dataset names of labelled experiments, phases of measurements,
 * manifest columns of experiments (keys), and the values of one key. */
enum wp_label_kind {
    WP_LABEL_TASK, WP_LABEL_MODEL, WP_LABEL_DATASET, WP_LABEL_PHASE, WP_LABEL_ATTR_KEY,
    WP_LABEL_ATTR_VALUE,
};
/* Every distinct value of `kind` ("" left out), sorted; `key` names the column for
 * WP_LABEL_ATTR_VALUE (NULL otherwise). fn returns non-zero to stop. */
enum wp_err wp_store_each_label(struct wp_store *s, enum wp_label_kind kind, const char *key,
                                int (*fn)(void *ctx, const char *value), void *ctx,
                                struct wp_diag *d);

/* How the component energies in the store were obtained, from the marks of schema 006:
 * per component (WP_COMP_*) and mark (WP_BK_*), the measurements holding that component's
 * energy, the range of the power they logged for it and the largest GPU count behind them
 * (NAN when none). */
enum { WP_COMP_CPU, WP_COMP_GPU, WP_COMP_RAM, WP_N_COMP };
enum { WP_BK_MEASURED, WP_BK_ALL_GPUS, WP_BK_RAM_MODEL, WP_BK_TDP, WP_BK_UNKNOWN, WP_N_BK };
struct wp_basis_summary {
    long long n[WP_N_COMP][WP_N_BK];
    double power_lo_w[WP_N_COMP][WP_N_BK], power_hi_w[WP_N_COMP][WP_N_BK];
    double gpus_max[WP_N_COMP][WP_N_BK];
};
/* Fills out over the measurements of the runs run_ids[0..n_run_ids) (ascending; NULL:
 * every run) of `phase` (NULL: every phase, the whole-run measurement and each phase's). */
enum wp_err wp_store_basis_summary(struct wp_store *s, const long long *run_ids,
                                   size_t n_run_ids, const char *phase,
                                   struct wp_basis_summary *out, struct wp_diag *d);
/* WP_BK_* of a stored mark ("" and unknown marks: WP_BK_UNKNOWN). */
int wp_basis_kind(const char *basis);
/* Whether WP_BK_* k is a modelled mark. */
bool wp_basis_kind_is_modelled(int k);

struct wp_hardware_row {
    long long id;
    const char *gpu_model, *cpu_model;
};
/* Every hardware row, ordered by id. */
enum wp_err wp_store_each_hardware(struct wp_store *s,
                                   int (*fn)(void *ctx, const struct wp_hardware_row *r),
                                   void *ctx, struct wp_diag *d);

struct wp_rejected_row {
    const char *file;
    long line, col;
    const char *reason, *text;
};
enum wp_err wp_store_each_rejected(struct wp_store *s,
                                   int (*fn)(void *ctx, const struct wp_rejected_row *r),
                                   void *ctx, struct wp_diag *d);

struct wp_source_row {
    long long id;
    const char *path, *name, *format, *sha256, *ingested_at;
    long long size_bytes, rows_ingested, rows_rejected;
};
enum wp_err wp_store_each_source(struct wp_store *s,
                                 int (*fn)(void *ctx, const struct wp_source_row *r),
                                 void *ctx, struct wp_diag *d);

/* For each model, the files holding the measurements statistics read of its labelled runs
 * matching f (task, model, dataset, phase): one call per (model, file), ordered by model,
 * path, id. */
enum wp_err wp_store_each_model_source(struct wp_store *s, const struct wp_run_filter *f,
                                       int (*fn)(void *ctx, const char *model,
                                                 const struct wp_source_row *r),
                                       void *ctx, struct wp_diag *d);

/* Counts for messages: runs in all, runs without full labels. */
struct wp_store_counts {
    long long sources, runs, measurements, unlabeled_runs, rejected;
};
enum wp_err wp_store_counts(struct wp_store *s, struct wp_store_counts *out, struct wp_diag *d);

/* ---- copying a store (wattprint push) ------------------------------------------------ */

/* Reading everything a SQLite file holds, with its provenance, so that another store can
 * take it in: only the SQLite backend exports (WP_ERR_USAGE otherwise), only the
 * PostgreSQL backend imports sources and versions as they were (WP_ERR_USAGE otherwise). */

/* A source file row whole, as stored. */
struct wp_export_source {
    long long id;
    const char *path, *name, *format, *sha256, *prefix_sha256, *ingested_at;
    long long size_bytes, consumed_bytes, rows_ingested, rows_rejected;
};
/* One content of a source file that was ingested. */
struct wp_file_version {
    const char *sha256, *ingested_at;
    const char *rows_sha256; /* NULL for a version stored before schema 7 */
    const char *head_sum; /* NULL before schema 11, for rows hashed by values, and for logs
                             whose every row names its run's uid */
    long long size_bytes, rows_added;
    long long rows_count;    /* with head_sum: its rows but a last one cut mid-write */
    const char *complete_sha256; /* with head_sum: their rows hash */
};
/* Every source file, ordered by id (the order they were first ingested in). */
enum wp_err wp_store_export_sources(struct wp_store *s,
                                    int (*fn)(void *ctx, const struct wp_export_source *r),
                                    void *ctx, struct wp_diag *d);
/* The versions of source `source_id`, ordered by id. */
enum wp_err wp_store_export_versions(struct wp_store *s, long long source_id,
                                     int (*fn)(void *ctx, const struct wp_file_version *v),
                                     void *ctx, struct wp_diag *d);
/* The measurements of source `source_id` in the order they were stored, each with its run
 * (id and uid, NULL when the run has none) and its extra columns (m valid during the call
 * only). */
enum wp_err wp_store_export_measurements(struct wp_store *s, long long source_id,
                                         int (*fn)(void *ctx, long long run_id,
                                                   const char *run_uid,
                                                   const struct wp_measurement *m),
                                         void *ctx, struct wp_diag *d);
/* The rejected lines of source `source_id`, ordered by id (r->file is its path). */
enum wp_err wp_store_export_rejected(struct wp_store *s, long long source_id,
                                     int (*fn)(void *ctx, const struct wp_rejected_row *r),
                                     void *ctx, struct wp_diag *d);
/* Calls fn once with the labels of run `run_id` when it has an experiment (l valid during
 * the call only). */
enum wp_err wp_store_export_run_labels(struct wp_store *s, long long run_id,
                                       int (*fn)(void *ctx, const struct wp_labels *l),
                                       void *ctx, struct wp_diag *d);
/* The label rules: one call per manifest with its rules in order of definition, one call
 * per command-line rule (manifest NULL, n 1); paths[i] is the path of the source rule i is
 * tied to (match_source_id), NULL for none.  All valid during the call only. */
enum wp_err wp_store_export_rules(struct wp_store *s,
                                  int (*fn)(void *ctx, const char *manifest,
                                            const struct wp_label_rule *rules,
                                            const char *const *paths, size_t n),
                                  void *ctx, struct wp_diag *d);
/* Adds a source file row as `src` describes it (id assigned here, in *id), and one of its
 * versions; inside a transaction. */
enum wp_err wp_store_import_source(struct wp_store *s, const struct wp_export_source *src,
                                   long long *id, struct wp_diag *d);
enum wp_err wp_store_import_version(struct wp_store *s, long long source_id,
                                    const struct wp_file_version *v, struct wp_diag *d);

#endif
