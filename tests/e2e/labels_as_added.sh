# Runs stored in their experiment as they are added (issue 30: ingest --manifest reads the
# manifest before the files, ingest/label.c decides a new run's labels when they are
# certain): on SQLite and on PostgreSQL, `ingest --manifest M FILES` leaves the run,
# experiment, model, task, dataset and attribute tables exactly as `ingest FILES` then
# `manifest M` does (the same labels and the same ids), for a file whose runs are all
# certain and for the synth fixtures whose runs span files (left to the pass); no run of a
# generated file is updated after it was stored, into a fresh database or one that holds
# the experiments already; a manifest that then fails (two rows give a run different
# models) leaves the tables as `ingest FILES` alone, its labels and names taken back.
. "$(dirname "$0")/lib.bash"
. "$TOP/tests/pg/server"
command -v sqlite3 >/dev/null || { echo "skipped: no sqlite3 shell"; exit 0; }
pg_server_start || fail "cannot start a PostgreSQL server"
cd "$SCRATCH" || fail "cd"
cc -O2 -o gen "$TOP/bench/gen.c" || fail "build the generator"
./gen 400 5 g1.csv m.csv && ./gen 300 6 g2.csv || fail "generate logs"
# a later project (not the first row's) given another model by a second row
late=$(sed -n 40p g1.csv | cut -d, -f2)
cp m.csv bad.csv && echo "$late,othermodel,question_answering,squad,1000" >> bad.csv

TABLES="SELECT 'run', id, uid, experiment_id FROM run ORDER BY id;
SELECT 'experiment', id, model_id, task_id, dataset_id, inferences, batch_size FROM experiment ORDER BY id;
SELECT 'model', id, name, parameters, training_energy_j FROM model ORDER BY id;
SELECT 'task', id, name FROM task ORDER BY id;
SELECT 'dataset', id, name FROM dataset ORDER BY id;
SELECT 'attr', experiment_id, key, value FROM experiment_attr ORDER BY experiment_id, key;"
# counts every change of a run's experiment after the run was stored
COUNT_SQ="CREATE TABLE upd (n INTEGER);
CREATE TRIGGER upd_run AFTER UPDATE OF experiment_id ON run BEGIN INSERT INTO upd VALUES (1); END;"
COUNT_PG="CREATE TABLE upd (n INTEGER);
CREATE FUNCTION upd_run() RETURNS trigger LANGUAGE plpgsql AS
    \$\$ BEGIN INSERT INTO upd VALUES (1); RETURN NULL; END \$\$;
CREATE TRIGGER upd_run AFTER UPDATE OF experiment_id ON run FOR EACH ROW EXECUTE FUNCTION upd_run();"

n=0
# fresh BACKEND: a new empty database of that backend (migrated, with the update counter);
# sets DB and NAME
fresh() {
    n=$((n + 1))
    NAME=d$n
    if [ "$1" = sqlite ]; then
        DB=$SCRATCH/$NAME.db
        wp "$DB" -q migrate && sqlite3 "$DB" "$COUNT_SQ" || fail "new sqlite database"
    else
        pg_psql postgres -c "CREATE DATABASE $NAME" > /dev/null || fail "create $NAME"
        DB=postgresql:///$NAME
        wp "$DB" -q migrate && pg_psql "$NAME" -c "$COUNT_PG" > /dev/null || fail "new server database"
    fi
}
sql() { # BACKEND SQL
    if [ "$1" = sqlite ]; then sqlite3 "$DB" "$2"; else pg_psql "$NAME" -At -F '|' -c "$2"; fi
}
tables() { sql "$1" "$TABLES"; }
updates() { sql "$1" "SELECT COUNT(*) FROM upd"; }

for b in sqlite postgresql; do
    # a generated log, every run certain: no run updated, the same tables as the pass gives
    fresh $b
    wp "$DB" -q ingest --manifest m.csv g1.csv || fail "$b: ingest --manifest"
    [ "$(updates $b)" = 0 ] || fail "$b: $(updates $b) runs updated after they were stored"
    [ "$(sql $b "SELECT COUNT(*) FROM run WHERE experiment_id IS NULL")" = 0 ] ||
        fail "$b: runs left unlabelled"
    tables $b > "$b.added"
    # into a database that holds the experiments: found, not added, no run updated either
    wp "$DB" -q ingest --manifest m.csv g2.csv || fail "$b: second ingest --manifest"
    [ "$(updates $b)" = 0 ] || fail "$b: $(updates $b) runs updated in the second ingest"
    tables $b > "$b.added2"
    fresh $b
    wp "$DB" -q ingest g1.csv && wp "$DB" -q manifest m.csv || fail "$b: ingest, then manifest"
    tables $b > "$b.pass"
    cmp -s "$b.added" "$b.pass" || fail "$b: tables differ from the pass's: $(diff "$b.added" "$b.pass" | head -5)"
    wp "$DB" -q ingest g2.csv && wp "$DB" -q manifest m.csv || fail "$b: second ingest, then manifest"
    tables $b > "$b.pass2"
    cmp -s "$b.added2" "$b.pass2" || fail "$b: second ingest: $(diff "$b.added2" "$b.pass2" | head -5)"

    # runs that span files (a whole-run log and its phases' logs): the same tables
    fresh $b
    wp "$DB" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "$b: synth"
    tables $b > "$b.synth.added"
    fresh $b
    wp "$DB" -q ingest "$FIX/synth" && wp "$DB" -q manifest "$FIX/synth/manifest.csv" ||
        fail "$b: synth, then its manifest"
    tables $b > "$b.synth.pass"
    cmp -s "$b.synth.added" "$b.synth.pass" ||
        fail "$b: synth: $(diff "$b.synth.added" "$b.synth.pass" | head -5)"

    # a manifest that fails after the files: as if it had not been given
    fresh $b
    wp "$DB" ingest --manifest bad.csv g1.csv 2> err.txt && fail "$b: conflicting manifest accepted"
    grep -q "bad.csv:[0-9]*:2: conflict: this row and m.csv\|bad.csv:[0-9]*:2: conflict" err.txt ||
        fail "$b: conflict message: $(cat err.txt)"
    tables $b > "$b.failed"
    fresh $b
    wp "$DB" -q ingest g1.csv || fail "$b: ingest alone"
    tables $b > "$b.alone"
    cmp -s "$b.failed" "$b.alone" || fail "$b: after a failed manifest: $(diff "$b.failed" "$b.alone" | head -5)"
done
echo "labels_as_added: $(grep -c '^run' sqlite.added2) runs stored labelled on both backends, none updated"
