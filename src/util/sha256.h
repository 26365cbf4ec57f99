/* SHA-256 of streamed bytes (OpenSSL's libcrypto), as lower-case hex. */
#ifndef WP_UTIL_SHA256_H
#define WP_UTIL_SHA256_H

#include <stddef.h>

#include "util/err.h"

struct wp_sha256; /* opaque */

/* Returns NULL on out-of-memory; free with wp_sha256_free. */
struct wp_sha256 *wp_sha256_new(void);
void wp_sha256_free(struct wp_sha256 *h);
enum wp_err wp_sha256_update(struct wp_sha256 *h, const void *data, size_t len);
/* Writes 64 hex digits and a NUL into hex (size >= 65); h can be updated no further. */
enum wp_err wp_sha256_hex(struct wp_sha256 *h, char hex[65]);
/* Writes the 32-byte digest into md and starts h again, empty (for many short hashes
 * through one context: a hash per row). */
enum wp_err wp_sha256_next(struct wp_sha256 *h, unsigned char md[32]);
/* Adds the digest md to sum, both 256-bit big-endian numbers, modulo 2^256: a hash of a
 * multiset (the sum of its members' hashes) that does not depend on their order. */
void wp_sha256_sum_add(unsigned char sum[32], const unsigned char md[32]);
/* Writes 64 lower-case hex digits of the 32 bytes md and a NUL into hex. */
void wp_sha256_to_hex(const unsigned char md[32], char hex[65]);

#endif
