# A labelling pass over more runs than one piece (src/ingest/label.c reads 65,536 run ids
# at a time on SQLite, and the store drops its index of runs by experiment between pieces
# once a quarter of the runs have moved): 70,000 unlabelled runs of bench/gen.c's eight
# projects, then `wattprint manifest` labels every run by its project.  Each model then
# has exactly its project's runs, the index is back and the database sound; a file ingested
# with the same manifest afterwards (a pass that reads every run and moves none) labels
# its run alone.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
cc -O2 -o gen "$TOP/bench/gen.c" || fail "build the generator"
./gen 70000 7 runs.csv manifest.csv > /dev/null || fail "generate"
wp l.db -q ingest runs.csv || fail "ingest"
[ "$(sqlite3 l.db "SELECT COUNT(*) FROM run WHERE experiment_id IS NULL")" = 70000 ] ||
    fail "the runs are not unlabelled before the manifest"
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
[ "$(sqlite3 l.db "SELECT COUNT(*) FROM run")" = 70001 ] || fail "runs: not 70,001"
[ "$(sqlite3 l.db "PRAGMA integrity_check")" = ok ] || fail "integrity_check after one more"
echo "labels_pieces: ok"
