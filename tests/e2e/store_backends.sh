# The store's domain rules on both backends: tests/store/test_store_rules (built beside the
# binary under test: build/ or build-asan/) against a throwaway PostgreSQL server, after
# it ran on SQLite as a unit test.  A machine without a server fails here, as pg.sh does.
. "$(dirname "$0")/lib.bash"
. "$TOP/tests/pg/server"
bin=$(dirname "$WP")/tests/store/test_store_rules
[ -x "$bin" ] || bin=$TOP/build/tests/store/test_store_rules
[ -x "$bin" ] || fail "no $bin: build it first (make test-run builds every test)"
pg_server_start || fail "cannot start a PostgreSQL server"
WP_PG_URI=$WP_PG_URI "$bin" > "$SCRATCH/out" 2>&1 || { cat "$SCRATCH/out" >&2; fail "the store's rules fail"; }
grep -q "store rules on postgresql" "$SCRATCH/out" || fail "the PostgreSQL group did not run"
grep -q "not run here" "$SCRATCH/out" && fail "the PostgreSQL group was skipped"
n=$(grep -c '^\[       OK \]' "$SCRATCH/out")
[ "$n" -ge 18 ] || { cat "$SCRATCH/out" >&2; fail "only $n tests passed on both backends"; }
exit 0
