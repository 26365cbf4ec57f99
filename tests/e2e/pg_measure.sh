# The idle baseline, the hourly intensity and --where / compare --by on a log's column read
# the same on PostgreSQL as on SQLite: the run windows, the idle count and the runs' extras
# go through one SQL text each (src/store/store.c), so stats and compare give identical
# outputs from the same inputs.  Needs the throwaway server of tests/pg/server (not skipped
# without one, as tests/e2e/pg.sh).
. "$(dirname "$0")/lib.bash"
. "$TOP/tests/pg/server"
pg_server_start || fail "cannot start a PostgreSQL server"
pg=$WP_PG_URI
sq=$SCRATCH/a.db
M=$FIX/measure
for db in "$sq" "$pg"; do
    wp "$db" -q ingest --idle --map "$M/idle.map" "$M/idle.csv" || fail "ingest idle into $db"
    wp "$db" -q ingest --map "$M/measure.map" "$M/runs.csv" "$M/runs_h100.csv" \
        "$M/release_ma.csv" "$M/release_mb.csv" || fail "ingest runs into $db"
done
same() { # $@: a command's arguments; its output on both backends must match
    wp "$sq" "$@" > "$SCRATCH/sq.out" 2>/dev/null || fail "$* on SQLite"
    wp "$pg" "$@" > "$SCRATCH/pg.out" 2>/dev/null || fail "$* on PostgreSQL"
    cmp -s "$SCRATCH/sq.out" "$SCRATCH/pg.out" ||
        { diff "$SCRATCH/sq.out" "$SCRATCH/pg.out" | head >&2; fail "$* differs"; }
}
same stats --by model --above-idle --intensity "$M/intensity_hourly.csv" --zone FR --format csv
same stats --by model,hardware --where release=v2 --format csv
same compare --by release --baseline v1 --candidate v3 --format csv
wp "$pg" stats --by model --above-idle --format json > "$SCRATCH/pg.json" || fail "json"
python3 - "$SCRATCH/pg.json" <<'PY' || fail "the server's idle baseline"
import json, sys
h = json.load(open(sys.argv[1]))["meta"]["idle_baseline"][0]
# runs.csv: 1,218,000 J above idle; the 30 release runs of 600 s: 4,950,000 J less
# 30 x 600 s x 106.67 W = 3,030,000 J
assert abs(h["idle_power_w"] - 96000 / 900) < 1e-9 and h["runs"] == 33, h
assert abs(h["above_idle_kwh"] - (1218000 + 3030000) / 3.6e6) < 1e-12, h
assert abs(h["energy_kwh"] - (1890000 + 4950000) / 3.6e6) < 1e-12, h
PY
echo "pg_measure: ok"
