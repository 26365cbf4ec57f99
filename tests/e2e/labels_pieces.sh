# A labelling pass over more runs than one piece (src/ingest/label.c reads 16,384 run ids
# at a time on SQLite, and the store drops its index of runs by experiment between pieces
# once a quarter of the runs have moved): 40,000 unlabelled runs of bench/gen.c's eight
# projects.  A manifest giving one project two models fails at its row, and the database
# is as it was (the index back, no run labelled).  Then `wattprint manifest` labels every
# run by its project: each model has exactly its project's runs, the index is back and
# the database sound; a file ingested with the same manifest afterwards (a pass that
# reads every run and moves none) labels its run alone.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
cc -O2 -o gen "$TOP/bench/gen.c" || fail "build the generator"
./gen 40000 7 runs.csv manifest.csv > /dev/null || fail "generate"
wp l.db -q ingest runs.csv || fail "ingest"
[ "$(sqlite3 l.db "SELECT COUNT(*) FROM run WHERE experiment_id IS NULL")" = 40000 ] ||
    fail "the runs are not unlabelled before the manifest"
index_sql="SELECT sql FROM sqlite_master WHERE name = 'run_experiment'"
{ cat manifest.csv; sed -n 2p manifest.csv | sed -E 's/^([^,]*),[^,]*,/\1,another-model,/'; } > bad.csv
wp l.db -q manifest bad.csv 2> bad.err && fail "a manifest giving one project two models passed"
grep -q "^wattprint: bad.csv:10:2: conflict: this row and bad.csv:2 give one run different model" bad.err ||
    fail "the conflict: $(cat bad.err)"
[ "$(sqlite3 l.db "$index_sql")" = "CREATE INDEX run_experiment ON run (experiment_id)" ] ||
    fail "the index after the failed manifest: $(sqlite3 l.db "$index_sql")"
[ "$(sqlite3 l.db "SELECT COUNT(*) FROM run WHERE experiment_id IS NULL")" = 40000 ] ||
    fail "the failed manifest labelled runs"
[ "$(sqlite3 l.db "PRAGMA integrity_check")" = ok ] || fail "integrity_check after the failure"
wp l.db -q manifest manifest.csv || fail "manifest"
# counts per project in the log, per model in the database (the manifest maps each
# project to the model of its name)
cut -d, -f2 runs.csv | tail -n +2 | LC_ALL=C sort | uniq -c | awk '{print $2 "|" $1}' > want
sqlite3 l.db "SELECT mo.name, COUNT(*) FROM run r JOIN experiment e ON e.id = r.experiment_id
              JOIN model mo ON mo.id = e.model_id GROUP BY mo.name ORDER BY mo.name" > got
cmp -s want got || fail "runs per model: $(diff want got | head -5)"
[ "$(sqlite3 l.db "SELECT COUNT(*) FROM sqlite_master WHERE name = 'run_experiment'")" = 1 ] ||
    fail "the run_experiment index was not built again"
[ "$(sqlite3 l.db "PRAGMA integrity_check")" = ok ] || fail "integrity_check"
# one more run, with the manifest again
{ head -n 1 runs.csv; sed -n 2p runs.csv | sed -E 's/^([^,]*,[^,]*,)[^,]*/\1one-more-run/'; } > one.csv
wp l.db -q ingest --manifest manifest.csv one.csv || fail "ingest one more"
[ "$(sqlite3 l.db "SELECT COUNT(*) FROM run WHERE experiment_id IS NULL")" = 0 ] ||
    fail "a run left unlabelled"
[ "$(sqlite3 l.db "SELECT COUNT(*) FROM run")" = 40001 ] || fail "runs: not 40,001"
[ "$(sqlite3 l.db "PRAGMA integrity_check")" = ok ] || fail "integrity_check after one more"
echo "labels_pieces: ok"
