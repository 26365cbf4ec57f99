# The generative configurations read the same on PostgreSQL as on SQLite: the runs' extra
# columns go through one SQL text (wp_store_each_run_extra) on both, so the leaderboard,
# chart pareto and stats --best give byte-identical outputs from the same inputs.  Needs the
# throwaway server of tests/pg/server (not skipped without one, as tests/e2e/pg.sh).
. "$(dirname "$0")/lib.bash"
. "$TOP/tests/pg/server"
pg_server_start || fail "cannot start a PostgreSQL server"
pg=$WP_PG_URI
sq=$SCRATCH/a.db
G=$FIX/genai
for db in "$sq" "$pg"; do
    wp "$db" -q ingest --manifest "$G/manifest.csv" "$G/mlenergy" "$G/optimum" || fail "ingest $db"
    wp "$db" -q ingest --model aes --task text_generation --inferences 1000 \
        "$FIX/formats/optimum-benchmark/aienergyscore_summary/GPU_ENERGY_SUMMARY.json" ||
        fail "ingest AES into $db"
done
wp "$sq" -q leaderboard -o "$SCRATCH/sq" || fail "leaderboard on SQLite"
wp "$pg" -q leaderboard -o "$SCRATCH/pg" || fail "leaderboard on PostgreSQL"
for f in index.html leaderboard.json; do
    cmp -s "$SCRATCH/sq/$f" "$SCRATCH/pg/$f" || { diff "$SCRATCH/sq/$f" "$SCRATCH/pg/$f" | head >&2; fail "$f differs"; }
done
grep -q '"bfloat16"' "$SCRATCH/pg/leaderboard.json" || fail "the server lost the optimum-benchmark configuration"
wp "$sq" -q stats --best --max-latency 20 --format csv > "$SCRATCH/sq.csv" || fail "best on SQLite"
wp "$pg" -q stats --best --max-latency 20 --format csv > "$SCRATCH/pg.csv" || fail "best on PostgreSQL"
cmp -s "$SCRATCH/sq.csv" "$SCRATCH/pg.csv" || fail "stats --best differs"
wp "$sq" -q chart pareto -o "$SCRATCH/sq.svg" && wp "$pg" -q chart pareto -o "$SCRATCH/pg.svg" ||
    fail "chart pareto"
cmp -s "$SCRATCH/sq.svg" "$SCRATCH/pg.svg" || fail "chart pareto differs"
echo "pg_leaderboard: ok"
