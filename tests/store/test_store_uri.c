/* The store's choice of backend from --db, and how a server's URI appears in messages:
 * pure helpers of store.c, no database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"

static void test_store_uri_selects_postgresql_only_for_its_two_schemes(void **state)
{
    (void)state;
    assert_true(wp_store_is_pg_uri("postgresql://"));
    assert_true(wp_store_is_pg_uri("postgresql:///wattprint"));
    assert_true(wp_store_is_pg_uri("postgres://u@h:5432/db"));
    assert_false(wp_store_is_pg_uri("wattprint.db"));
    assert_false(wp_store_is_pg_uri("/data/postgresql/x.db"));
    assert_false(wp_store_is_pg_uri("postgresql:/x"));
    assert_false(wp_store_is_pg_uri("POSTGRESQL://h/db")); /* libpq's schemes are lower case */
    assert_false(wp_store_is_pg_uri("file:postgres://x"));
    assert_false(wp_store_is_pg_uri(""));
    assert_false(wp_store_is_pg_uri(NULL));
}

static const char *shown(const char *db, char *buf, size_t size)
{
    wp_store_display_name(db, buf, size);
    return buf;
}

static void test_store_uri_password_is_masked_in_user_info_and_query(void **state)
{
    (void)state;
    char b[256];
    assert_string_equal(shown("postgresql://bob:s3cret@db.lab:5432/energy", b, sizeof b),
                        "postgresql://bob:***@db.lab:5432/energy");
    assert_string_equal(shown("postgres://bob:p%40ss@h/db?sslmode=require", b, sizeof b),
                        "postgres://bob:***@h/db?sslmode=require");
    assert_string_equal(shown("postgresql:///db?password=x&host=/tmp", b, sizeof b),
                        "postgresql:///db?password=***&host=/tmp");
    assert_string_equal(shown("postgresql://h/db?user=u&password=x", b, sizeof b),
                        "postgresql://h/db?user=u&password=***");
    /* an '@' in the password (not escaped): the last '@' of the authority ends it */
    assert_string_equal(shown("postgresql://bob:a@b@h/db", b, sizeof b),
                        "postgresql://bob:***@h/db");
    /* a ':' after the host is a port, not a password */
    assert_string_equal(shown("postgresql://h:5433/db", b, sizeof b), "postgresql://h:5433/db");
    assert_string_equal(shown("postgresql://bob@h/db", b, sizeof b), "postgresql://bob@h/db");
    assert_string_equal(shown("postgresql://", b, sizeof b), "postgresql://");
    assert_null(strstr(shown("postgresql://u:topsecret@h/d?password=topsecret", b, sizeof b),
                       "topsecret"));
}

/* Regression: pass%77ord= is libpq's password= (it decodes names), and a URI without its '@'
 * made libpq read the password as a port; both were shown and stored in provenance. */
static void test_store_uri_password_masked_in_any_spelling_and_malformed_uris(void **state)
{
    (void)state;
    char b[256];
    assert_string_equal(shown("postgresql://h/db?pass%77ord=s3cret", b, sizeof b),
                        "postgresql://h/db?pass%77ord=***");
    assert_string_equal(shown("postgresql://h/db?PASS%57ORD=s3cret&x=1", b, sizeof b),
                        "postgresql://h/db?PASS%57ORD=***&x=1");
    assert_string_equal(shown("postgresql://h/db?sslpassword=k3y", b, sizeof b),
                        "postgresql://h/db?sslpassword=***");
    assert_string_equal(shown("postgresql://bob:s3cret", b, sizeof b), "postgresql://bob:***");
    assert_string_equal(shown("postgresql://bob:s3cret/db", b, sizeof b),
                        "postgresql://bob:***/db");
    assert_string_equal(shown("postgresql://h1:5432,h2:s3cret/db", b, sizeof b),
                        "postgresql://h1:5432,h2:***/db");
    assert_string_equal(shown("postgresql://[::1]:5432/db", b, sizeof b),
                        "postgresql://[::1]:5432/db");
    assert_string_equal(shown("postgresql://bob:pw@h:s3cret/db", b, sizeof b),
                        "postgresql://bob:***@h:***/db");
}

static const char *masked(const char *db, const char *text, char *buf, size_t size)
{
    wp_store_mask_secrets(db, text, buf, size);
    return buf;
}

/* libpq's messages quote what it could not use: the credential is cut out of them. */
static void test_store_uri_credentials_masked_in_libpq_messages(void **state)
{
    (void)state;
    char b[256];
    assert_string_equal(masked("postgresql://bob:s3cret",
                               "invalid integer value \"s3cret\" for connection option \"port\"",
                               b, sizeof b),
                        "invalid integer value \"***\" for connection option \"port\"");
    assert_string_equal(masked("postgresql://h/db?password=s3cret%zz",
                               "invalid percent-encoded token: \"s3cret%zz\"", b, sizeof b),
                        "invalid percent-encoded token: \"***\"");
    /* decoded too: p%40ss is p@ss to libpq */
    assert_string_equal(masked("postgresql://bob:p%40ssw0rd@h/db", "user bob, p@ssw0rd", b,
                               sizeof b),
                        "user bob, ***");
    assert_string_equal(masked("postgresql://h/db?pass%77ord=s3cret", "s3cret s3cret", b,
                               sizeof b),
                        "*** ***");
    /* a short credential would mangle the words it is cut from: the message is withheld */
    assert_null(strstr(masked("postgresql://bob:ab@h:xy/db", "invalid port \"xy\"", b, sizeof b),
                       "xy"));
    assert_non_null(strstr(b, "withheld"));
    /* no credential: the text as it is; a SQLite path has none */
    assert_string_equal(masked("postgresql://bob@h/db", "could not connect", b, sizeof b),
                        "could not connect");
    assert_string_equal(masked("runs/w.db", "s3cret", b, sizeof b), "s3cret");
}

static void test_store_uri_file_paths_are_shown_as_given(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(shown("runs/wattprint.db", b, sizeof b), "runs/wattprint.db");
    assert_string_equal(shown("user:pw@host.db", b, sizeof b), "user:pw@host.db");
}

static void test_store_uri_display_truncates_without_leaking(void **state)
{
    (void)state;
    char b[24];
    shown("postgresql://bob:s3cret@a-very-long-host-name.example/db", b, sizeof b);
    assert_int_equal(strlen(b), sizeof b - 1);
    assert_null(strstr(b, "s3cret"));
    char one[1] = {'x'};
    wp_store_display_name("postgresql://u:p@h/d", one, sizeof one);
    assert_int_equal(one[0], '\0');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_uri_selects_postgresql_only_for_its_two_schemes),
        cmocka_unit_test(test_store_uri_password_is_masked_in_user_info_and_query),
        cmocka_unit_test(test_store_uri_password_masked_in_any_spelling_and_malformed_uris),
        cmocka_unit_test(test_store_uri_credentials_masked_in_libpq_messages),
        cmocka_unit_test(test_store_uri_file_paths_are_shown_as_given),
        cmocka_unit_test(test_store_uri_display_truncates_without_leaking),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
