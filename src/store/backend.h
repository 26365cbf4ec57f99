/* The contract between the store API (store.c) and its backends (sqlite*.c, pg*.c): every
 * wp_store_* function of store.h goes through one table of function pointers, chosen once
 * when the store is opened.  Not for use outside src/store/. */
#ifndef WP_STORE_BACKEND_H
#define WP_STORE_BACKEND_H

#include "store/store.h"

struct wp_store_ops;

/* The head of every backend's store struct (its first member, so a backend converts a
 * struct wp_store * to its own type). */
struct wp_store {
    const struct wp_store_ops *ops;
    int version;         /* schema version now */
    int version_at_open; /* before this open applied pending migrations */
};

/* One entry per backend-specific function of store.h, same contract. */
struct wp_store_ops {
    const char *name; /* "sqlite", "postgresql" */
    void (*close)(struct wp_store *s);
    enum wp_err (*begin)(struct wp_store *s, struct wp_diag *d);
    enum wp_err (*commit)(struct wp_store *s, struct wp_diag *d);
    void (*rollback)(struct wp_store *s);
    enum wp_err (*find_prior)(struct wp_store *s, const char *path, struct wp_prior_file *out,
                              struct wp_diag *d);
    enum wp_err (*has_content)(struct wp_store *s, const char *sha256, bool *found,
                               struct wp_diag *d);
    enum wp_err (*source_drop)(struct wp_store *s, const char *path, long long *measurements,
                               struct wp_diag *d);
    enum wp_err (*source_new)(struct wp_store *s, const char *path, const char *name,
                              const char *format, long long *source_id, struct wp_diag *d);
    enum wp_err (*source_finish)(struct wp_store *s, long long source_id,
                                 const struct wp_source_done *done, struct wp_diag *d);
    enum wp_err (*add_measurement)(struct wp_store *s, long long source_id,
                                   const struct wp_measurement *m, const char *group_key,
                                   struct wp_add_result *res, struct wp_diag *d);
    /* NULL: store.c adds the measurement at once and calls done */
    enum wp_err (*queue_measurement)(struct wp_store *s, long long source_id,
                                     const struct wp_measurement *m, const char *group_key,
                                     void (*done)(void *ctx, const struct wp_queued *q,
                                                  const struct wp_add_result *res),
                                     void *ctx, struct wp_diag *d);
    enum wp_err (*flush)(struct wp_store *s, struct wp_diag *d); /* NULL: nothing held */
    enum wp_err (*add_rejected)(struct wp_store *s, long long source_id, long line, long col,
                                const char *reason, const char *text, struct wp_diag *d);
    enum wp_err (*rules_put)(struct wp_store *s, const char *manifest,
                             const struct wp_label_rule *rules, size_t n, struct wp_diag *d);
    enum wp_err (*rules_drop_source)(struct wp_store *s, long long source_id,
                                     struct wp_diag *d);
    enum wp_err (*rules_each)(struct wp_store *s,
                              int (*fn)(void *ctx, long long rule_id,
                                        const struct wp_label_rule *r),
                              void *ctx, struct wp_diag *d);
    enum wp_err (*run_keys_each)(struct wp_store *s, long long source_id,
                                 int (*fn)(void *ctx, const struct wp_run_keys *k), void *ctx,
                                 struct wp_diag *d);
    enum wp_err (*label_run)(struct wp_store *s, long long run_id, const struct wp_labels *l,
                             struct wp_diag *d);
    enum wp_err (*tokens_put)(struct wp_store *s, const char *source_path,
                              const struct wp_token_count *v, size_t n, struct wp_diag *d);
    enum wp_err (*each_token_count)(struct wp_store *s,
                                    int (*fn)(void *ctx, const struct wp_token_count *c,
                                              bool has_experiment),
                                    void *ctx, struct wp_diag *d);
    enum wp_err (*each_run)(struct wp_store *s, const struct wp_run_filter *f,
                            int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx,
                            struct wp_diag *d);
    enum wp_err (*each_run_value)(struct wp_store *s, const char *phase, bool energy_only,
                                  int (*fn)(void *ctx, const struct wp_run_value_row *r),
                                  void *ctx, struct wp_diag *d);
    enum wp_err (*each_experiment)(struct wp_store *s,
                                   int (*fn)(void *ctx, const struct wp_experiment_row *r),
                                   void *ctx, struct wp_diag *d);
    enum wp_err (*each_experiment_attr)(struct wp_store *s, const char *key,
                                        int (*fn)(void *ctx, long long experiment_id,
                                                  const char *value),
                                        void *ctx, struct wp_diag *d);
    /* runs `sql` (standard SQL, no parameters: written once in store.c) and calls fn with
     * the text of column 0 of each row, in the query's order */
    enum wp_err (*each_text)(struct wp_store *s, const char *sql, const char *what,
                             int (*fn)(void *ctx, const char *value), void *ctx,
                             struct wp_diag *d);
    enum wp_err (*each_hardware)(struct wp_store *s,
                                 int (*fn)(void *ctx, const struct wp_hardware_row *r),
                                 void *ctx, struct wp_diag *d);
    enum wp_err (*each_rejected)(struct wp_store *s,
                                 int (*fn)(void *ctx, const struct wp_rejected_row *r),
                                 void *ctx, struct wp_diag *d);
    enum wp_err (*each_source)(struct wp_store *s,
                               int (*fn)(void *ctx, const struct wp_source_row *r), void *ctx,
                               struct wp_diag *d);
    enum wp_err (*each_model_source)(struct wp_store *s, const struct wp_run_filter *f,
                                     int (*fn)(void *ctx, const char *model,
                                               const struct wp_source_row *r),
                                     void *ctx, struct wp_diag *d);
    enum wp_err (*counts)(struct wp_store *s, struct wp_store_counts *out, struct wp_diag *d);
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
    enum wp_err (*import_source)(struct wp_store *s, const struct wp_export_source *src,
                                 long long *id, struct wp_diag *d);
    enum wp_err (*import_version)(struct wp_store *s, long long source_id,
                                  const struct wp_file_version *v, struct wp_diag *d);
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

/* The backends' open functions: as wp_store_open, for a SQLite path or a PostgreSQL URI. */
enum wp_err wp_sq_open(const char *path, enum wp_store_mode mode, struct wp_store **out,
                       struct wp_diag *d);
enum wp_err wp_pg_open(const char *uri, struct wp_store **out, struct wp_diag *d);

#endif
