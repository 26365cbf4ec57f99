# A manifest that is not applied after its runs were stored labelled (ingest --manifest
# stores new runs in the experiments the manifest's rules decide, ingest/label.c): on
# SQLite and on PostgreSQL,
# - an ingest killed (SIGKILL) between two files leaves the manifest's rules stored beside
#   the runs they labelled (every run's labels are those the stored rules give it, or
#   none yet), and running the same command again ends with the same tables, label rules
#   included, as a run that was never killed.  The kill is deterministic: the second file
#   is a FIFO that the test opens for writing, which returns once the ingest is reading
#   it, that is once the first file's transaction has committed;
# - a manifest that then fails (two rows give a run different models) leaves the tables,
#   label rules included, exactly as `ingest FILES` alone, with one message, and the rules
#   the manifest's path had before are put back as they were;
# - on PostgreSQL the ingest role of schema/pg/roles.sql, which may not delete names and
#   experiments, gets the same: one message (the conflict), and no names or experiments
#   left behind.
. "$(dirname "$0")/lib.bash"
. "$TOP/tests/pg/server"
command -v sqlite3 >/dev/null || { echo "skipped: no sqlite3 shell"; exit 0; }
pg_server_start || fail "cannot start a PostgreSQL server"
cd "$SCRATCH" || fail "cd"
cc -O2 -o gen "$TOP/bench/gen.c" || fail "build the generator"
./gen 400 5 g1.csv m.csv && ./gen 300 6 g2.csv || fail "generate logs"
# the project whose first row comes last: runs before it are stored labelled, names and
# experiments added for them (the database is empty), before the pass finds the conflict
late=$(awk -F, 'NR > 1 && !($2 in seen) { seen[$2] = NR; last = $2 } END { print last }' g1.csv)
cp m.csv bad.csv && echo "$late,othermodel,question_answering,squad,1000" >> bad.csv
# an earlier version of the manifest: one row less, one model named otherwise
head -n 3 m.csv | sed '3s/,[^,]*,question_answering/,oldmodel,question_answering/' > old.csv
rules=$(($(wc -l < m.csv) - 1))

TABLES="SELECT 'run', id, uid, experiment_id FROM run ORDER BY id;
SELECT 'experiment', id, model_id, task_id, dataset_id, inferences, batch_size FROM experiment ORDER BY id;
SELECT 'model', id, name, parameters, training_energy_j FROM model ORDER BY id;
SELECT 'task', id, name FROM task ORDER BY id;
SELECT 'dataset', id, name FROM dataset ORDER BY id;
SELECT 'attr', experiment_id, key, value FROM experiment_attr ORDER BY experiment_id, key;
SELECT 'rule', id, origin, manifest, match_project, match_file, model, task, dataset,
       inferences FROM label_rule ORDER BY id;
SELECT 'rule_attr', rule_id, key, value FROM label_rule_attr ORDER BY rule_id, key;"

n=0
# fresh BACKEND [ROLE]: a new empty database of that backend, migrated by its owner; on
# PostgreSQL with ROLE, roles.sql applied and DB the URI of a login role in
# wattprint_ingest.  Sets DB and NAME.
fresh() {
    n=$((n + 1))
    NAME=d$n
    if [ "$1" = sqlite ]; then
        DB=$SCRATCH/$NAME.db
        wp "$DB" -q migrate || fail "new sqlite database"
    else
        pg_psql postgres -c "CREATE DATABASE $NAME" > /dev/null || fail "create $NAME"
        DB=postgresql:///$NAME
        wp "$DB" -q migrate || fail "new server database"
        if [ "${2:-}" = role ]; then
            pg_psql "$NAME" -f "$TOP/schema/pg/roles.sql" > /dev/null || fail "roles.sql"
            pg_psql "$NAME" -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles
                WHERE rolname = 'host1') THEN CREATE ROLE host1 LOGIN IN ROLE wattprint_ingest;
                END IF; END \$\$" > /dev/null || fail "role host1"
            DB=postgresql://host1@/$NAME
        fi
    fi
}
sql() { # BACKEND SQL (as the owner)
    if [ "$1" = sqlite ]; then sqlite3 "$DB" "$2"; else pg_psql "$NAME" -At -F '|' -c "$2"; fi
}
tables() { sql "$1" "$TABLES"; }

# messages WHO FILE: FILE holds one message that is not a warning, a file's outcome or
# the closing count (the conflict)
messages() {
    [ "$(grep -v "^wattprint: warning: \|: ingested (\|: appended (\|files ingested (" "$2" | wc -l)" = 1 ] ||
        fail "$1: not one message: $(grep -v "^wattprint: warning: " "$2")"
}
# kill_between BACKEND ARGS...: `ingest ARGS... fifo`, killed with SIGKILL once it reads
# the FIFO, its last file (every file before it committed)
kill_between() {
    local b=$1; shift
    rm -f fifo && mkfifo fifo || fail "mkfifo"
    "$WP" --db "$DB" -q ingest "$@" fifo 2> kill.err &
    local pid=$!
    # should the ingest end without opening the FIFO, a reader that does not wait (opened
    # for reading and writing) lets the open below return
    ( while kill -0 "$pid" 2> /dev/null; do sleep 0.1; done; : <> fifo ) &
    local watch=$!
    exec 3> fifo # returns when the ingest opens the FIFO
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    exec 3>&-
    wait "$watch"
    [ "$(sql "$b" "SELECT COUNT(*) FROM source_file")" = 1 ] ||
        fail "$b: the first file did not commit before the kill: $(cat kill.err)"
}

for b in sqlite postgresql; do
    # the reference: the same command, never killed
    fresh $b
    wp "$DB" -q ingest --manifest m.csv g1.csv g2.csv || fail "$b: ingest --manifest"
    tables $b > "$b.whole"
    # killed after g1.csv: the runs it stored labelled come with the rules that label them
    fresh $b
    kill_between $b --manifest m.csv g1.csv
    labelled=$(sql $b "SELECT COUNT(*) FROM run WHERE experiment_id IS NOT NULL")
    [ "$labelled" -gt 0 ] || fail "$b: no run stored labelled (nothing to check)"
    stored=$(sql $b "SELECT COUNT(*) FROM label_rule WHERE manifest = 'm.csv'")
    [ "$stored" = "$rules" ] ||
        fail "$b: killed between files: $labelled runs labelled, $stored of the manifest's $rules rules stored"
    # the labels they have are those the stored rules give: the same as ingest, then the pass
    sql $b "SELECT id, experiment_id FROM run WHERE experiment_id IS NOT NULL ORDER BY id" > "$b.killed"
    DB0=$DB NAME0=$NAME
    fresh $b
    wp "$DB" -q ingest g1.csv && wp "$DB" -q manifest m.csv || fail "$b: ingest, then manifest"
    sql $b "SELECT id, experiment_id FROM run WHERE experiment_id IS NOT NULL ORDER BY id" > "$b.pass1"
    cmp -s "$b.killed" "$b.pass1" || fail "$b: labels after the kill: $(diff "$b.killed" "$b.pass1" | head -5)"
    # the same command again converges to the tables of the run that was not killed
    DB=$DB0 NAME=$NAME0
    wp "$DB" -q ingest --manifest m.csv g1.csv g2.csv || fail "$b: ingest again after the kill"
    tables $b > "$b.again"
    cmp -s "$b.again" "$b.whole" || fail "$b: after the kill and again: $(diff "$b.again" "$b.whole" | head -5)"

    # a manifest that fails after the files: the tables as `ingest FILES` alone, the rules
    # of its path as they were (an earlier version of it), one message.  The database
    # holds the experiments the manifest names (from g2.csv), so that runs of g1.csv are
    # stored labelled and the manifest's rules with them, then taken back
    earlier() { # the database as the failing command finds it
        fresh $b
        cp m.csv cur.csv
        wp "$DB" -q ingest --manifest cur.csv g2.csv || fail "$b: ingest g2.csv"
        cp old.csv cur.csv
        wp "$DB" -q manifest cur.csv 2> /dev/null || fail "$b: the earlier manifest"
    }
    # as_alone WHAT SETUP FILE PATTERN: after SETUP, `ingest --manifest cur.csv FILE` with
    # the conflicting manifest fails with one message (matching PATTERN) and leaves the
    # tables as SETUP then `ingest FILE` alone
    as_alone() {
        local what=$1 setup=$2 file=$3 pattern=$4
        $setup
        cp bad.csv cur.csv
        wp "$DB" ingest --manifest cur.csv "$file" 2> err.txt &&
            fail "$what: conflicting manifest accepted"
        grep -q "$pattern" err.txt || fail "$what: message: $(cat err.txt)"
        messages "$what" err.txt
        tables $b > failed.txt
        $setup
        wp "$DB" -q ingest "$file" 2> /dev/null || fail "$what: ingest alone"
        tables $b > alone.txt
        cmp -s failed.txt alone.txt ||
            fail "$what: after a failed manifest: $(diff failed.txt alone.txt | head -5)"
    }
    as_alone "$b" earlier g1.csv "cur.csv:[0-9]*:2: conflict"
    # the same for a file that grew (its new rows appended to its runs): they are labelled
    # by the rules the manifest's path had, as `ingest FILE` alone labels them
    grown() { # the database before the failing command: the file's first rows, labelled
        fresh $b
        cp old.csv cur.csv
        wp "$DB" -q manifest cur.csv 2> /dev/null || fail "$b: the earlier manifest"
        head -n 201 g1.csv > grow.csv
        wp "$DB" -q ingest grow.csv 2> /dev/null || fail "$b: the file's first rows"
        cp g1.csv grow.csv
    }
    as_alone "$b: grown file" grown grow.csv "grow.csv: appended"
    # killed, then failing when run again: the rules the killed run stored stay (they and
    # the labels they gave are what the database held before this command)
    fresh $b
    cp m.csv cur.csv
    kill_between $b --manifest cur.csv g1.csv
    tables $b > "$b.killed2"
    cp bad.csv cur.csv
    wp "$DB" -q ingest --manifest cur.csv g1.csv 2> /dev/null && fail "$b: conflicting manifest accepted after a kill"
    tables $b > "$b.failed2"
    cmp -s "$b.killed2" "$b.failed2" || fail "$b: a failed manifest after a kill: $(diff "$b.killed2" "$b.failed2" | head -5)"
done

# the ingest role (schema/pg/roles.sql), which may not delete names or experiments: a
# manifest that fails into an empty database gives one message and leaves no name or
# experiment behind, as `ingest FILES` by that role
fresh postgresql role
wp "$DB" ingest --manifest bad.csv g1.csv 2> err.txt && fail "ingest role: conflicting manifest accepted"
grep -q "bad.csv:[0-9]*:2: conflict" err.txt || fail "ingest role: conflict message: $(cat err.txt)"
messages "ingest role" err.txt
tables postgresql > role.failed
fresh postgresql role
wp "$DB" -q ingest g1.csv || fail "ingest role: ingest alone"
tables postgresql > role.alone
cmp -s role.failed role.alone || fail "ingest role: after a failed manifest: $(diff role.failed role.alone | head -5)"
# and the role's manifest that applies labels the runs as the owner's does
fresh postgresql role
wp "$DB" -q ingest --manifest m.csv g1.csv g2.csv || fail "ingest role: ingest --manifest"
tables postgresql > role.whole
cmp -s role.whole postgresql.whole || fail "ingest role: $(diff role.whole postgresql.whole | head -5)"
echo "labels_killed: killed between files, failed and run again on both backends; $labelled runs labelled before the kill"
