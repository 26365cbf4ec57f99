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
# runs DB: its runs' count and their energy in kWh, summed (what counting twice changes)
runs() { wp "$1" runs --format csv | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
print(len(rows), round(sum(float(r["energy_kwh"] or 0) for r in rows), 12))'; }
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
    cmp -s "$g" "$2" && return 0
    # valgrind computes long double at double precision (a documented limit) and SQLite
    # uses long double for numbers, so the 17th digit may differ: under valgrind, numbers
    # must agree to 12 significant digits instead
    if under_valgrind && golden_close "$g" "$2"; then
        reduced "golden $1: numbers compared to 12 significant digits (valgrind computes long double in 64 bits)"
        return 0
    fi
    diff -u "$g" "$2" >&2 || fail "$1 differs from its golden file"
}
# golden_close A B: the same text, but numbers within 1e-12 relative of each other
golden_close() {
    python3 - "$1" "$2" <<'PY'
import re, sys
num = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
a, b = (open(f).read() for f in sys.argv[1:3])
if re.sub(num, "#", a) != re.sub(num, "#", b):
    sys.exit(1)
for x, y in zip(re.findall(num, a), re.findall(num, b)):
    if x != y and abs(float(x) - float(y)) > 1e-12 * max(abs(float(x)), abs(float(y))):
        sys.exit(1)
PY
}
# Under `make check-valgrind` (WP_VALGRIND=1, tests/valgrind/run) every process runs 20 to
# 50 times slower: a test that is long by nature cuts its size or leaves a part out, and
# says so with these (tests/run-all prints the lines even when the test passes).
under_valgrind() { [ "${WP_VALGRIND:-}" = 1 ]; }
# the AddressSanitizer build (make check-asan): slower by a few times, its checks the same
# at any size
under_asan() { case "$WP" in *build-asan/*) true ;; *) false ;; esac; }
reduced() { echo "reduced under valgrind: $*"; }
skipped() { echo "skipped under valgrind: $*"; }
# Under ASan a test runs every code path of the binary, but may run fewer repeats of one
# path (seeds, kill points, a case on both backends), never none, and may leave out steps
# that only check an output with another program (pdflatex, pdftoppm), which make test
# runs: it says so with these (tests/run-all prints them too), naming how many of how many
reduced_asan() { echo "reduced under ASan: $*"; }
skipped_asan() { echo "skipped under ASan: $*"; }
