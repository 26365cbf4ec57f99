/* Unit tests of util/sha256: the FIPS 180-2 test vectors as lower-case hex, in one piece
 * and streamed in uneven chunks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "util/sha256.h"

static void hex_of(const char *text, size_t chunk, char hex[65])
{
    struct wp_sha256 *h = wp_sha256_new();
    assert_non_null(h);
    size_t n = strlen(text);
    for (size_t at = 0; at < n; at += chunk)
        assert_int_equal(wp_sha256_update(h, text + at, n - at < chunk ? n - at : chunk),
                         WP_OK);
    memset(hex, 'x', 65);
    assert_int_equal(wp_sha256_hex(h, hex), WP_OK);
    wp_sha256_free(h);
}

static void test_sha256_hex_of_the_standard_vectors(void **state)
{
    (void)state;
    char hex[65];
    hex_of("abc", 1, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    hex_of("", 1, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 7, hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_hex_of_the_standard_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
