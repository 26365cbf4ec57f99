/* The contract between the store's domain rules (store.c, store_write.c, store_label.c,
 * store_read.c) and its backends (sqlite*.c, pg*.c), as git's refs.c sits over
 * refs-internal.h: a backend runs the statements of store_sql.h and hands rows back
 * (exec), keeps transactions, and may hold measurements and labels back to send them in
 * bulk; only SQLite's export for push is a business-level entry.  Chosen once when the
 * store is opened.  Not for use outside src/store/. */
#ifndef WP_STORE_BACKEND_H
#define WP_STORE_BACKEND_H

#include "store/store.h"

struct wp_store_ops;

/* ---- the narrow interface: statements and rows -----------------------------------------
 * The domain rules (store_write.c, store_read.c) run the statements of store_sql.h through
 * ops->exec: the SQL text is written once, with ?N parameters (the PostgreSQL backend
 * rewrites them to $N when it prepares), and each row comes back through wp_row_*. */

/* A parameter: NULL, a whole number, a double or a text (borrowed for the call). */
enum wp_val_kind { WP_V_NULL, WP_V_INT, WP_V_REAL, WP_V_TEXT };
struct wp_val {
    enum wp_val_kind kind;
    long long i;
    double r;
    const char *s;
};
#define WP_MAX_ARGS 32
struct wp_args {
    int n;
    struct wp_val v[WP_MAX_ARGS];
};
/* Appending parameters (store_sql.c): empty strings / NAN / 0 (where stated) are NULL. */
void wp_arg_text(struct wp_args *a, const char *v);         /* NULL is NULL */
void wp_arg_text_or_null(struct wp_args *a, const char *v); /* NULL and "" are NULL */
void wp_arg_real(struct wp_args *a, double v);              /* NAN is NULL */
void wp_arg_int(struct wp_args *a, long long v);
void wp_arg_int_or_null(struct wp_args *a, long long v);    /* 0 is NULL */
void wp_arg_count(struct wp_args *a, double v);             /* rounded; NAN is NULL */

/* One row of a result, read through its backend's accessors; valid during the call. */
struct wp_row;
struct wp_row_ops {
    bool (*is_null)(const struct wp_row *r, int col);
    long long (*i64)(const struct wp_row *r, int col);      /* NULL reads 0 */
    double (*real)(const struct wp_row *r, int col);        /* NULL reads NAN */
    const char *(*text)(const struct wp_row *r, int col);   /* NULL reads "" */
};
struct wp_row {
    const struct wp_row_ops *ops;
    const void *h; /* the backend's statement or result */
    int i;         /* its row number, where it has one */
};
static inline bool wp_row_null(const struct wp_row *r, int c) { return r->ops->is_null(r, c); }
static inline long long wp_row_int(const struct wp_row *r, int c) { return r->ops->i64(r, c); }
static inline double wp_row_real(const struct wp_row *r, int c) { return r->ops->real(r, c); }
static inline const char *wp_row_text(const struct wp_row *r, int c) { return r->ops->text(r, c); }
/* NULL reads NULL. */
static inline const char *wp_row_text_or_null(const struct wp_row *r, int c)
{
    return wp_row_null(r, c) ? NULL : wp_row_text(r, c);
}

/* A row callback: non-zero stops the statement (what is left is not read). */
typedef int (*wp_row_fn)(void *ctx, const struct wp_row *r);

/* A remembered row id by its key (dimension rows, names, experiments). */
struct wp_store_memo {
    long long id;
    char *key; /* NULL when empty */
};
/* Names (or experiments) seen, by a hash of the key, one per slot (a collision replaces
 * the entry): a manifest's runs take turns between models, the study's between some
 * ninety, which a ring of the last 32 missed at every change of file. */
#define WP_STORE_MEMO 256
struct wp_store_memos {
    struct wp_store_memo e[WP_STORE_MEMO];
    unsigned next; /* unused */
};

#define WP_STORE_SIDE 1024

/* What the domain rules remember between calls, forgotten on rollback (the ids may name
 * rows the rollback removed) and on close. */
struct wp_store_cache {
    struct wp_store_memo tool, hw, loc; /* the last dimension rows: one lookup per file */
    struct wp_store_memos names[4];     /* model, task, dataset, experiment */
    /* what labelling last wrote besides runs, per model (its figures) and per experiment
     * (its attributes), in the slot of the row's id: the manifest's pass after the study's
     * files labels runs of its 455 experiments in turn */
    struct wp_store_memo model_side[WP_STORE_SIDE], exp_side[WP_STORE_SIDE];
    struct wp_store_memo run;           /* the last run key stored: its next phase (the
                                           next row, mostly) needs no probe of the index */
};

/* The head of every backend's store struct (its first member, so a backend converts a
 * struct wp_store * to its own type). */
struct wp_store {
    const struct wp_store_ops *ops;
    int version;         /* schema version now */
    int version_at_open; /* before this open applied pending migrations */
    struct wp_store_cache cache;
    /* the run labeller (store.h; fn NULL: none) and the file whose runs it labels: the
     * source created last (a source id is only reused after a rollback, by a new source,
     * which sets it anew) */
    struct wp_run_labeller labeller;
    long long label_source_id; /* 0: none (or a name too long to keep) */
    bool label_deciding;       /* resolving a labeller's labels: what is added is told */
    char label_source_name[512], label_source_format[32];
    long long runs_moved; /* runs labelling moved to another experiment since the store
                             opened (label_many's backend counts from its start) */
};

/* Forgets every remembered id (store_write.c). */
void wp_store_cache_forget(struct wp_store *s);
/* The remembered id of a name or experiment (kind: 0 model, 1 task, 2 dataset, 3
 * experiment); put copies key (out of memory: simply not remembered). */
bool wp_store_memo_get(struct wp_store *s, int kind, const char *key, long long *id);
void wp_store_memo_put(struct wp_store *s, int kind, const char *key, long long id);
/* Whether the slot of row (a model's or experiment's id) in m holds key: what labelling
 * wrote for that row last, so writing it again changes nothing.  When not, key (malloc'd,
 * or NULL: nothing remembered) becomes the slot's, and the caller writes. */
bool wp_store_side_written(struct wp_store_memo m[WP_STORE_SIDE], long long row, char *key);

/* What a backend does (see the top of this file). */
struct wp_store_ops {
    const char *name; /* "sqlite", "postgresql" */
    bool importable;  /* a store that wattprint push may copy into */
    /* Runs statement q of store_sql.h (prepared once per store) with parameters a (NULL:
     * none) and calls fn (NULL: none) for each row until it returns non-zero; *changes
     * (when not NULL) gets the rows an INSERT, UPDATE or DELETE changed.  fn may run other
     * statements, but not during a statement marked `stream`. */
    enum wp_err (*exec)(struct wp_store *s, int q, const struct wp_args *a, wp_row_fn fn,
                        void *ctx, long long *changes, struct wp_diag *d);
    /* NULL: store.c runs Q_RUN_LABEL.  Otherwise the backend may hold "run run_id is in
     * experiment exp" back and send many at once, before any other statement. */
    enum wp_err (*label_later)(struct wp_store *s, long long run_id, long long exp,
                               struct wp_diag *d);
    /* NULL: nothing.  Called before (start, with the highest run id), between the pieces
     * it reads (start again) and after (!start) a pass that may label many runs in one
     * transaction: a backend may stop keeping the index of runs by experiment once the
     * pass has moved enough of them (runs_moved), and build it once after (a rollback
     * restores it). */
    enum wp_err (*label_many)(struct wp_store *s, bool start, long long runs,
                              struct wp_diag *d);
    void (*close)(struct wp_store *s);
    enum wp_err (*begin)(struct wp_store *s, struct wp_diag *d);
    enum wp_err (*commit)(struct wp_store *s, struct wp_diag *d);
    void (*rollback)(struct wp_store *s);
    /* NULL: store.c adds the measurement at once and calls done */
    enum wp_err (*queue_measurement)(struct wp_store *s, long long source_id,
                                     const struct wp_measurement *m, const char *group_key,
                                     void (*done)(void *ctx, const struct wp_queued *q,
                                                  const struct wp_add_result *res),
                                     void *ctx, struct wp_diag *d);
    enum wp_err (*flush)(struct wp_store *s, struct wp_diag *d); /* NULL: nothing held */
    /* copying (NULL where a backend does not export or import: see store.h) */
    enum wp_err (*export_sources)(struct wp_store *s,
                                  int (*fn)(void *ctx, const struct wp_export_source *r),
                                  void *ctx, struct wp_diag *d);
    enum wp_err (*export_versions)(struct wp_store *s, long long source_id,
                                   int (*fn)(void *ctx, const struct wp_file_version *v),
                                   void *ctx, struct wp_diag *d);
    enum wp_err (*export_measurements)(struct wp_store *s, long long source_id,
                                       int (*fn)(void *ctx, long long run_id,
                                                 const char *run_uid,
                                                 const struct wp_measurement *m),
                                       void *ctx, struct wp_diag *d);
    enum wp_err (*export_rejected)(struct wp_store *s, long long source_id,
                                   int (*fn)(void *ctx, const struct wp_rejected_row *r),
                                   void *ctx, struct wp_diag *d);
    enum wp_err (*export_run_labels)(struct wp_store *s, long long run_id,
                                     int (*fn)(void *ctx, const struct wp_labels *l),
                                     void *ctx, struct wp_diag *d);
    enum wp_err (*export_rules)(struct wp_store *s,
                                int (*fn)(void *ctx, const char *manifest,
                                          const struct wp_label_rule *rules,
                                          const char *const *paths, size_t n),
                                void *ctx, struct wp_diag *d);
};

/* A run's modelled components as bits (1 CPU, 2 GPU, 4 RAM: WP_MODELLED_* of store.h)
 * from its measurement m's marks (schema 006); _AGG over the phases of a run. */
#define WP_SQL_MODELLED_(col, bit) "CASE WHEN m." col " LIKE 'modelled%' THEN " bit " ELSE 0 END"
#define WP_SQL_MODELLED_MASK                                                                 \
    "(" WP_SQL_MODELLED_("cpu_basis", "1") " + " WP_SQL_MODELLED_("gpu_basis", "2") " + "    \
        WP_SQL_MODELLED_("ram_basis", "4") ")"
#define WP_SQL_MODELLED_MASK_AGG                                                             \
    "(MAX(" WP_SQL_MODELLED_("cpu_basis", "1") ") + MAX(" WP_SQL_MODELLED_("gpu_basis", "2")  \
    ") + MAX(" WP_SQL_MODELLED_("ram_basis", "4") "))"

/* The key of the run a measurement joins: its UUID run id in lower case, else
 * "source:ID:GROUP" when the parser grouped the file's rows (group_key); false for none. */
bool wp_store_run_key(const struct wp_measurement *m, long long source_id,
                      const char *group_key, char key[128]);
/* Joins parts with a unit separator into a heap key (freed by the caller); NULL on
 * out-of-memory. */
char *wp_store_join_key(const char *const *parts, size_t n);
/* The bits of a double as 16 hex digits: a cache key part, cheaper than printing it. */
void wp_store_bits_hex(double v, char out[20]);

/* ---- the domain rules over exec (store_write.c, store_label.c): store.c's entries ---- */
enum wp_err wp_store_w_find_prior(struct wp_store *s, const char *path,
                                  struct wp_prior_file *out, struct wp_diag *d);
enum wp_err wp_store_w_has_content(struct wp_store *s, const char *sha256, bool *found,
                                   struct wp_diag *d);
enum wp_err wp_store_w_find_rows(struct wp_store *s, const char *rows_sha256,
                                 struct wp_rows_copy *out, struct wp_diag *d);
enum wp_err wp_store_w_head_seen(struct wp_store *s, const char *head_sum, bool *found,
                                 struct wp_diag *d);
enum wp_err wp_store_w_grown_from(struct wp_store *s, const char *head_sum, const char *path,
                                  struct wp_grown_from *out, size_t max, size_t *n,
                                  struct wp_diag *d);
enum wp_err wp_store_w_file_seen(struct wp_store *s, const char *sha256, const char *rows,
                                 const char *rows_legacy, const char *head_sum,
                                 long long rows_count, bool *seen, struct wp_rows_copy *copy,
                                 bool *may_have_grown, struct wp_diag *d);
enum wp_err wp_store_w_source_drop(struct wp_store *s, const char *path,
                                   long long *measurements, struct wp_diag *d);
enum wp_err wp_store_w_source_new(struct wp_store *s, const char *path, const char *name,
                                  const char *format, long long *source_id,
                                  struct wp_diag *d);
enum wp_err wp_store_w_source_finish(struct wp_store *s, long long source_id,
                                     const struct wp_source_done *done, struct wp_diag *d);
enum wp_err wp_store_w_import_source(struct wp_store *s, const struct wp_export_source *src,
                                     long long *id, struct wp_diag *d);
enum wp_err wp_store_w_import_version(struct wp_store *s, long long source_id,
                                      const struct wp_file_version *v, struct wp_diag *d);
enum wp_err wp_store_w_add_measurement(struct wp_store *s, long long source_id,
                                       const struct wp_measurement *m, const char *group_key,
                                       struct wp_add_result *res, struct wp_diag *d);
enum wp_err wp_store_w_add_rejected(struct wp_store *s, long long source_id, long line,
                                    long col, const char *reason, const char *text,
                                    struct wp_diag *d);
enum wp_err wp_store_w_tokens_put(struct wp_store *s, const char *source_path,
                                  const struct wp_token_count *v, size_t n, struct wp_diag *d);
enum wp_err wp_store_w_each_token_count(struct wp_store *s,
                                        int (*fn)(void *ctx, const struct wp_token_count *c,
                                                  bool has_experiment),
                                        void *ctx, struct wp_diag *d);
enum wp_err wp_store_w_rules_put(struct wp_store *s, const char *manifest,
                                 const struct wp_label_rule *rules, size_t n,
                                 struct wp_diag *d);
/* hide: the manifest (as stored) whose rules are left out (NULL: none); with: rules given
 * in their place, among the others by id (NULL: none) */
enum wp_err wp_store_w_rules_each(struct wp_store *s, const char *hide,
                                  const struct wp_rules_saved *with,
                                  int (*fn)(void *ctx, long long rule_id,
                                            const struct wp_label_rule *r),
                                  void *ctx, struct wp_diag *d);
/* wp_store_rules_save and _restore, with the manifest as stored */
enum wp_err wp_store_w_rules_save(struct wp_store *s, const char *manifest,
                                  struct wp_rules_saved **out, struct wp_diag *d);
enum wp_err wp_store_w_rules_restore(struct wp_store *s, const char *manifest,
                                     const struct wp_rules_saved *r, struct wp_diag *d);
enum wp_err wp_store_w_run_keys_each(struct wp_store *s, long long source_id,
                                     int (*fn)(void *ctx, const struct wp_run_keys *k),
                                     void *ctx, struct wp_diag *d);
enum wp_err wp_store_w_label_run(struct wp_store *s, long long run_id,
                                 const struct wp_labels *l, struct wp_diag *d);
enum wp_err wp_store_w_label_effects(struct wp_store *s, const struct wp_labels *l,
                                     struct wp_diag *d);
/* The experiment (0: none) a new run of source_id whose first measurement is m is stored
 * in: what the store's run labeller decides, names and experiment added as needed (or
 * only found, as the labeller says).  With known not NULL (the run may not be a new one):
 * nothing is added, and *known is false when the ids are neither remembered nor may be
 * looked up now (the row is then decided at once, its run added with them). */
enum wp_err wp_store_w_run_experiment(struct wp_store *s, long long source_id,
                                      const struct wp_measurement *m, bool *known,
                                      long long *exp, const struct wp_labels **labels,
                                      struct wp_diag *d);
/* Tells the run labeller that run_id was stored in the experiment it decided, from the
 * labels wp_store_w_run_experiment gave with it. */
void wp_store_w_run_created(struct wp_store *s, long long run_id, const struct wp_labels *l);
/* Tells the run labeller that run run_id changed after it was stored: a measurement
 * joined it, its labels were set anew (0: runs were removed). */
void wp_store_w_run_joined(struct wp_store *s, long long run_id);
/* Tells the run labeller that the transaction committed, or not. */
void wp_store_w_label_settled(struct wp_store *s, bool committed);
/* Remembers the source just created, for the run labeller. */
void wp_store_w_label_source(struct wp_store *s, long long source_id, const char *name,
                             const char *format);
enum wp_err wp_store_w_rules_drop_source(struct wp_store *s, long long source_id,
                                         struct wp_diag *d);

/* ---- the reads over exec (store_read.c) -------------------------------------------- */
enum wp_err wp_store_r_each_run(struct wp_store *s, const struct wp_run_filter *f,
                                int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx,
                                struct wp_diag *d);
enum wp_err wp_store_r_each_run_value(struct wp_store *s, const char *phase, bool energy_only,
                                      int (*fn)(void *ctx, const struct wp_run_value_row *r),
                                      void *ctx, struct wp_diag *d);
enum wp_err wp_store_r_each_experiment(struct wp_store *s,
                                       int (*fn)(void *ctx, const struct wp_experiment_row *r),
                                       void *ctx, struct wp_diag *d);
enum wp_err wp_store_r_each_experiment_attr(struct wp_store *s, const char *key,
                                            int (*fn)(void *ctx, long long experiment_id,
                                                      const char *value),
                                            void *ctx, struct wp_diag *d);
enum wp_err wp_store_r_each_hardware(struct wp_store *s,
                                     int (*fn)(void *ctx, const struct wp_hardware_row *r),
                                     void *ctx, struct wp_diag *d);
enum wp_err wp_store_r_each_rejected(struct wp_store *s,
                                     int (*fn)(void *ctx, const struct wp_rejected_row *r),
                                     void *ctx, struct wp_diag *d);
enum wp_err wp_store_r_each_source(struct wp_store *s,
                                   int (*fn)(void *ctx, const struct wp_source_row *r),
                                   void *ctx, struct wp_diag *d);
enum wp_err wp_store_r_each_model_source(struct wp_store *s, const struct wp_run_filter *f,
                                         int (*fn)(void *ctx, const char *model,
                                                   const struct wp_source_row *r),
                                         void *ctx, struct wp_diag *d);
enum wp_err wp_store_r_counts(struct wp_store *s, struct wp_store_counts *out,
                              struct wp_diag *d);
/* Column 0's text of each row of statement q (store_sql.h; no parameters). */
enum wp_err wp_store_r_each_text(struct wp_store *s, int q,
                                 int (*fn)(void *ctx, const char *value), void *ctx,
                                 struct wp_diag *d);

/* The run identity rule, once (store_write.c), for the row-at-a-time path and for a
 * backend that decides a batch in memory: a measurement joins the first run of its key
 * (in id order) that has no measurement of its phase (held NULL: JOINED); a run whose
 * measurement of the phase holds the same energy, duration, emissions and start is the
 * same measurement again (DUPLICATE, res->other names it); otherwise that run conflicts
 * (CONFLICT, res->other names it) and the next run is tried.  true when decided. */
struct wp_held {
    double energy_j, duration_s, emissions_g;
    const char *started_at, *file;
    long long line;
};
bool wp_store_judge(const struct wp_held *held, const struct wp_measurement *m,
                    struct wp_add_result *res);

/* The dimension rows (tool, hardware, location) of a measurement: their cache keys (false
 * on out-of-memory; free with wp_store_dim_keys_free), whether the store's cache already
 * holds all (ids[] then set, no statement), or a look-up that adds nothing (*found when
 * all exist: reading them changes nothing, a duplicate row may). */
struct wp_dim_keys {
    char *key[3];
    bool has[3];
};
bool wp_store_dim_keys(const struct wp_measurement *m, struct wp_dim_keys *k);
void wp_store_dim_keys_free(struct wp_dim_keys *k);
bool wp_store_dims_cached(struct wp_store *s, const struct wp_measurement *m, long long ids[3]);
enum wp_err wp_store_dims_find(struct wp_store *s, const struct wp_measurement *m,
                               long long ids[3], bool *found, struct wp_diag *d);
/* The dimension rows of m, found or added (ids[i] 0 where m has none). */
enum wp_err wp_store_w_dims(struct wp_store *s, const struct wp_measurement *m, long long ids[3],
                            struct wp_diag *d);

/* A measurement's row for a backend that stores many at once: the parameters of
 * Q_MEAS_NEW for m in run run_id with dimension ids (strings borrowed from m), and its
 * extra columns once it has its id. */
void wp_store_meas_args(long long run_id, long long source_id, const struct wp_measurement *m,
                        const long long ids[3], struct wp_args *a);
enum wp_err wp_store_w_extras(struct wp_store *s, long long measurement_id,
                              const struct wp_measurement *m, struct wp_diag *d);

/* The backends' open functions: as wp_store_open, for a SQLite path or a PostgreSQL URI. */
enum wp_err wp_sq_open(const char *path, enum wp_store_mode mode, struct wp_store **out,
                       struct wp_diag *d);
enum wp_err wp_pg_open(const char *uri, struct wp_store **out, struct wp_diag *d);

#endif
