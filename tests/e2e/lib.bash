# Helpers for the end-to-end tests: each test script sources this, runs the real binary
# ($WP) in a scratch directory and calls fail() on the first thing that is wrong.
set -u
: "${WP:?WP must name the wattprint binary}" "${TOP:?TOP must name the source tree}"
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
FIX=$TOP/fixtures

fail() { echo "FAIL: $*" >&2; exit 1; }
# wp DB ARGS...: runs wattprint on database DB
wp() { local d=$1; shift; "$WP" --db "$d" "$@"; }
# dbsum DB: a digest of everything the database holds
dbsum() { sqlite3 "$1" .dump | sha256sum | cut -d' ' -f1; }
# golden NAME FILE: compares FILE with tests/golden/NAME (WP_UPDATE_GOLDEN=1 rewrites it)
golden() {
    local g=$TOP/tests/golden/$1
    if [ "${WP_UPDATE_GOLDEN:-}" = 1 ]; then
        [ -f "$g" ] && diff -u "$g" "$2" || true
        cp "$2" "$g"
        return 0
    fi
    [ -f "$g" ] || fail "no golden file tests/golden/$1 (run make golden)"
    diff -u "$g" "$2" >&2 || fail "$1 differs from its golden file"
}
# Under `make check-valgrind` (WP_VALGRIND=1, tests/valgrind/run) every process runs 20 to
# 50 times slower: a test that is long by nature cuts its size or leaves a part out, and
# says so with these (tests/run-all prints the lines even when the test passes).
under_valgrind() { [ "${WP_VALGRIND:-}" = 1 ]; }
reduced() { echo "reduced under valgrind: $*"; }
skipped() { echo "skipped under valgrind: $*"; }
