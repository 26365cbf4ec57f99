/* The numbered schema migrations compiled into the binary (generated from the schema/NNN_name.sql files by
 * .ci/embed-schema), in ascending order. */
#ifndef WP_STORE_MIGRATIONS_H
#define WP_STORE_MIGRATIONS_H

#include <stddef.h>

struct wp_migration {
    int version;
    const char *name;
    const char *sql;    /* schema/NNN_name.sql */
    const char *pg_sql; /* schema/pg/NNN_name.sql where PostgreSQL needs its own text, else NULL */
};

extern const struct wp_migration wp_migrations[];
extern const size_t wp_n_migrations;

#endif
