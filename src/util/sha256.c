/* SHA-256 through OpenSSL's EVP interface (see sha256.h). */
#include "util/sha256.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wp_sha256 {
    EVP_MD_CTX *ctx;
};

struct wp_sha256 *wp_sha256_new(void)
{
    struct wp_sha256 *h = malloc(sizeof *h);
    if (!h)
        return NULL;
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
        wp_sha256_free(h);
        return NULL;
    }
    return h;
}

void wp_sha256_free(struct wp_sha256 *h)
{
    if (!h)
        return;
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

enum wp_err wp_sha256_update(struct wp_sha256 *h, const void *data, size_t len)
{
    return EVP_DigestUpdate(h->ctx, data, len) == 1 ? WP_OK : WP_ERR_NOMEM;
}

void wp_sha256_sum_add(unsigned char sum[32], const unsigned char md[32])
{
    unsigned carry = 0;
    for (int i = 31; i >= 0; i--) {
        carry += (unsigned)sum[i] + md[i];
        sum[i] = (unsigned char)carry;
        carry >>= 8;
    }
}

void wp_sha256_to_hex(const unsigned char md[32], char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) { /* by hand: 32 snprintf calls were 25k instructions */
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}

enum wp_err wp_sha256_hex(struct wp_sha256 *h, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(h->ctx, md, &n) != 1 || n != 32)
        return WP_ERR_NOMEM;
    wp_sha256_to_hex(md, hex);
    return WP_OK;
}

enum wp_err wp_sha256_next(struct wp_sha256 *h, unsigned char md[32])
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(h->ctx, out, &n) != 1 || n != 32 ||
        EVP_DigestInit_ex(h->ctx, NULL, NULL) != 1)
        return WP_ERR_NOMEM;
    memcpy(md, out, 32);
    return WP_OK;
}
