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

#endif
