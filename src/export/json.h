/* A small streaming JSON writer for the exports: two-space indentation, keys in the order
 * written, strings escaped, numbers in the fewest digits (15 to 17) that read back to the same double and non-finite numbers
 * as null, so the same values give the same bytes.  Write errors are left in the FILE for
 * the caller's check (ferror). */
#ifndef WP_EXPORT_JSON_H
#define WP_EXPORT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define WP_XJ_DEPTH 16

struct wp_xjson {
    FILE *out;
    int depth;
    bool has_item[WP_XJ_DEPTH]; /* whether the container at each depth has a member yet */
};

void wp_xj_init(struct wp_xjson *j, FILE *out);
/* Containers: key is the member name inside an object, NULL inside an array or at the top. */
void wp_xj_open(struct wp_xjson *j, const char *key, char bracket);
void wp_xj_close(struct wp_xjson *j, char bracket);
void wp_xj_str(struct wp_xjson *j, const char *key, const char *v);
/* v only when it is not empty (optional fields are left out rather than written ""). */
void wp_xj_str_opt(struct wp_xjson *j, const char *key, const char *v);
void wp_xj_num(struct wp_xjson *j, const char *key, double v);
void wp_xj_int(struct wp_xjson *j, const char *key, long long v);
void wp_xj_null(struct wp_xjson *j, const char *key);
void wp_xj_bool(struct wp_xjson *j, const char *key, bool v);
/* The closing newline of a document. */
void wp_xj_end(struct wp_xjson *j);

/* v in the fewest digits (15 to 17) that read back to v, into buf (>= 32 bytes). */
const char *wp_xj_fmt(double v, char *buf, size_t size);
/* v (finite) as a plain decimal without exponent ("0.0000779", "59257"), the same digits
 * as wp_xj_fmt, into buf (>= 400 bytes: a double can need 330 digits): for xsd:decimal. */
const char *wp_xj_decimal(double v, char *buf, size_t size);

#endif
