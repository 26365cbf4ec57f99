#!/bin/bash
# tests/run-all runs the unit tests of this tree only: a binary left in the build folder by a
# test that was moved or removed since (its tests/<dir>/test_x.c gone) is skipped with a
# line that says so, not run (the old folders ran, and counted, stale tests).
. "$(dirname "$0")/lib.bash"

B=$SCRATCH/build
mkdir -p "$B/tests/util" "$B/tests/stats"
# stand-ins for the binaries: one of an existing source, one whose source is gone
printf '#!/bin/sh\nexit 0\n' > "$B/tests/util/test_num"
printf '#!/bin/sh\necho stale ran >&2\nexit 1\n' > "$B/tests/stats/test_gone_since"
chmod +x "$B/tests/util/test_num" "$B/tests/stats/test_gone_since"
[ -f "$TOP/tests/util/test_num.c" ] || fail "tests/util/test_num.c moved: pick another"
[ ! -e "$TOP/tests/stats/test_gone_since.c" ] || fail "tests/stats/test_gone_since.c exists"

env -u WP_UNIT_WRAPPER WP_TEST_JOBS=1 sh "$TOP/tests/run-all" --unit-only "$WP" "$B" > "$SCRATCH/out" 2> "$SCRATCH/err" ||
    fail "run-all failed: $(cat "$SCRATCH/out" "$SCRATCH/err")"
grep -q '^ok  *unit util/test_num ' "$SCRATCH/out" || fail "test_num not run: $(cat "$SCRATCH/out")"
grep -q 'test_gone_since' "$SCRATCH/out" && fail "the stale binary was run: $(cat "$SCRATCH/out")"
grep -q '^1 passed, 0 failed' "$SCRATCH/out" || fail "counts: $(cat "$SCRATCH/out")"
grep -q 'skipped tests/stats/test_gone_since: tests/stats/test_gone_since.c is gone' \
    "$SCRATCH/err" || fail "no word of the skipped binary: $(cat "$SCRATCH/err")"
echo "run_all: a stale unit-test binary is skipped and said, the others run"
