/* libFuzzer harness of the connection-string masking (src/store/store.c:
 * wp_store_display_name, wp_store_mask_secrets): any bytes after "postgresql://" must not
 * crash either; and URIs built from the input's parts must show every credential as ***,
 * in the user information, in a password parameter however spelt, and as the "port" of a
 * URI whose '@' is missing, and have it cut out of a message quoting it.  Seeds:
 * tests/fuzz/seed. */
#include "fuzz.h"
#include "store/store.h"

/* The input cut into n parts at byte 0x01, each kept to URI-unreserved characters (so that
 * the expected display can be written down); false when a part is empty. */
static bool parts(const uint8_t *data, size_t size, char out[][64], size_t n)
{
    size_t k = 0, len = 0;
    for (size_t i = 0; i < n; i++)
        out[i][0] = '\0';
    for (size_t i = 0; i < size && k < n; i++) {
        char c = (char)data[i];
        if (c == '\x01') {
            k++, len = 0;
            continue;
        }
        if (len + 1 < 64 && (strchr("._~-", c) || (c >= 'a' && c <= 'z') ||
                             (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
            out[k][len++] = c;
            out[k][len] = '\0';
        }
    }
    for (size_t i = 0; i < n; i++)
        if (!out[i][0])
            return false;
    return true;
}

static bool all_digits(const char *s)
{
    return strspn(s, "0123456789") == strlen(s);
}

static void expect(const char *what, const char *got, const char *want)
{
    if (strcmp(got, want) != 0)
        fz_fail("%s: \"%s\", expected \"%s\"", what, got, want);
}

FZ_INITIALIZE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char raw[4096], shown[8192], masked[8192];
    size_t n = size < sizeof raw - 14 ? size : sizeof raw - 14;
    memcpy(raw, "postgresql://", 13);
    memcpy(raw + 13, data, n);
    raw[13 + n] = '\0';
    wp_store_display_name(raw, shown, sizeof shown); /* any bytes: no crash, no overflow */
    wp_store_mask_secrets(raw, raw, masked, sizeof masked);
    wp_store_display_name(raw, shown, 8);
    char p[4][64];
    if (!parts(data, size, p, 4))
        return 0;
    static const char *const keys[] = {"password", "pass%77ord", "%70assword", "Password",
                                       "sslpassword", "PASS%57ORD"};
    const char *key = keys[(unsigned char)p[3][0] % (sizeof keys / sizeof keys[0])];
    char uri[512], want[512], text[128];
    /* user:password@host/db?KEY=value */
    snprintf(uri, sizeof uri, "postgresql://%s:%s@%s/db?sslmode=prefer&%s=%s", p[0], p[1], p[2],
             key, p[3]);
    snprintf(want, sizeof want, "postgresql://%s:***@%s/db?sslmode=prefer&%s=***", p[0], p[2],
             key);
    wp_store_display_name(uri, shown, sizeof shown);
    expect("display", shown, want);
    if (strlen(p[1]) >= 4 && strlen(p[3]) >= 4) {
        snprintf(text, sizeof text, "\x02%s\x02", p[1]);
        wp_store_mask_secrets(uri, text, masked, sizeof masked);
        expect("message quoting the password", masked, "\x02***\x02");
        snprintf(text, sizeof text, "\x02%s\x02", p[3]);
        wp_store_mask_secrets(uri, text, masked, sizeof masked);
        expect("message quoting the parameter", masked, "\x02***\x02");
    }
    /* user:password/db, its '@' missing: libpq reads a host and a port */
    snprintf(uri, sizeof uri, "postgresql://%s:%s/db", p[0], p[1]);
    if (all_digits(p[1]))
        snprintf(want, sizeof want, "postgresql://%s:%s/db", p[0], p[1]);
    else
        snprintf(want, sizeof want, "postgresql://%s:***/db", p[0]);
    wp_store_display_name(uri, shown, sizeof shown);
    expect("display without '@'", shown, want);
    return 0;
}
