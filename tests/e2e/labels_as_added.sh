# Runs stored in their experiment as they are added (issue 30: ingest --manifest reads the
# manifest before the files, ingest/label.c decides a new run's labels when they are
# certain): on SQLite and on PostgreSQL, `ingest --manifest M FILES` leaves the run,
# experiment, model, task, dataset and attribute tables exactly as `ingest FILES` then
# `manifest M` does (the same labels and the same ids), for a file whose runs are all
# certain and for the synth fixtures whose runs span files (left to the pass); no run of a
# generated file is updated after it was stored, into a fresh database or one that holds
# the experiments already; a manifest that then fails (two rows give a run different
# models) leaves the tables as `ingest FILES` alone, its labels and names taken back.
# The pass after the files, which does not read again the runs stored in their
# experiments, says and stores what `ingest FILES` then `manifest M` says and stores (the
# rules and runs labelled, rules that match no run, disagreements, exit code, every run's
# labels, the models' figures, the attributes): for runs stored before whose rules changed,
# runs of a label-stating format, uncertain runs, runs a later file's phases joined (with
# a disagreement on each), a copy rolled back after its runs were stored, standard input.
# Labels on the command line go in as runs are added too: eleven cases leave what labels by
# the passes only leave (WATTPRINT_LABELS_AS_ADDED=0), ids included where no manifest is.
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

# a second manifest for later ingests: the first project's model changed, figures and an
# attribute given (the runs stored before must be read again: their labels change)
awk -F, 'NR==1{print $0",parameters,purpose,training_kwh"; next}
         NR==2{$2="changedmodel"; print $0",7,changed,"; next}
         NR==3{print $0",9,,1.5"; next} {print $0",,,"}' OFS=, m.csv > m2.csv
# two projects, one model, other figures: the model keeps those of the later run
awk -F, 'NR==1{print $0",parameters,purpose"; next} NR==2||NR==3{$2="shared"; print $0","NR*100",p"NR; next}
         {print $0",,"}' OFS=, m.csv > m3.csv
# the first two projects' models swapped
awk -F, 'NR==2{a=$2; r2=$0} NR==3{b=$2; r3=$0} NR>3{rest=rest $0 "\n"} NR==1{print}
         END{sub(","a",", ","b",", r2); sub(","b",", ","a",", r3); print r2; print r3; printf "%s", rest}' \
    m.csv > msw.csv
# the manifest edited to name no run of the generated logs
{ head -1 m.csv; echo "nobody/none,x,question_answering,squad,1000"; } > mnone.csv
# a rule that matches no run, a project without a rule; a rule for label-stating files
{ head -1 m.csv | sed 's/$/,file/'; sed -n '2,7p' m.csv | sed 's/$/,/'
  echo "nobody/none,x,question_answering,squad,1000,"
  echo ",,,ob_dataset,,*.json"; } > m4.csv
# runs that a later file's measurements join (their phases): a rule for that file gives
# the model's parameters, or (mj_bad) another model, a disagreement on every joined run
head -61 g1.csv > jA.csv
{ head -1 g1.csv | sed 's/$/,task_name/'; sed -n '2,61p' g1.csv | sed 's/$/,infer/'; } > jB.csv
{ head -1 m.csv | sed 's/$/,file,parameters/'; sed -n '2,$p' m.csv | sed 's/$/,,/'; } > mj.csv
cp mj.csv mj_bad.csv && echo ",,,,,jB.csv,42" >> mj.csv && echo ",othermodel,,,,jB.csv," >> mj_bad.csv
# jB's phases, then runs of its own
{ cat jB.csv; sed -n '62,121p' g1.csv | sed 's/$/,/'; } > jC.csv
# runs without run ids and a copy of them (CRLF), rolled back once its runs are stored: a
# rule for the copy's file matches no run
{ head -1 g2.csv; sed -n '2,41p' g2.csv | awk -F, '{$3=""; print}' OFS=,; } > g3.csv
sed 's/$/\r/' g3.csv > g3copy.csv
# then runs of a project no rule names, taking the copy's ids
{ head -1 g2.csv; sed -n '42,101p' g2.csv | awk -F, '{$2="no/rule"; $3=""; print}' OFS=,; } > g4.csv
{ head -1 m.csv | sed 's/$/,file/'; sed -n '2,$p' m.csv | sed 's/$/,/'
  sed -n 2p m.csv | cut -d, -f2- | sed 's/^/,/; s/$/,g3copy.csv/'; } > mc.csv

TABLES="SELECT 'run', id, uid, experiment_id FROM run ORDER BY id;
SELECT 'experiment', id, model_id, task_id, dataset_id, inferences, batch_size FROM experiment ORDER BY id;
SELECT 'model', id, name, parameters, training_energy_j FROM model ORDER BY id;
SELECT 'task', id, name FROM task ORDER BY id;
SELECT 'dataset', id, name FROM dataset ORDER BY id;
SELECT 'attr', experiment_id, key, value FROM experiment_attr ORDER BY experiment_id, key;"
# the same by name (ingest --manifest numbers experiments in the order its runs decide
# them, which with label-stating files is not the pass's order)
NAMED="SELECT 'run', r.id, r.uid, mo.name, t.name, ds.name, e.inferences, e.batch_size FROM run r
  LEFT JOIN experiment e ON e.id = r.experiment_id LEFT JOIN model mo ON mo.id = e.model_id
  LEFT JOIN task t ON t.id = e.task_id LEFT JOIN dataset ds ON ds.id = e.dataset_id ORDER BY r.id;
SELECT 'model', name, parameters, training_energy_j FROM model ORDER BY name;
SELECT 'task', name FROM task ORDER BY name;
SELECT 'dataset', name FROM dataset ORDER BY name;
SELECT 'attr', mo.name, t.name, ds.name, e.inferences, e.batch_size, a.key, a.value
  FROM experiment_attr a JOIN experiment e ON e.id = a.experiment_id
  LEFT JOIN model mo ON mo.id = e.model_id LEFT JOIN task t ON t.id = e.task_id
  LEFT JOIN dataset ds ON ds.id = e.dataset_id ORDER BY 2, 3, 4, 5, 6, 7;"
# counts every change of a run's experiment after the run was stored
COUNT_SQ="CREATE TABLE upd (n INTEGER);
CREATE TRIGGER upd_run AFTER UPDATE OF experiment_id ON run BEGIN INSERT INTO upd VALUES (1); END;"
COUNT_PG="CREATE TABLE upd (n INTEGER);
CREATE FUNCTION upd_run() RETURNS trigger LANGUAGE plpgsql AS
    \$\$ BEGIN INSERT INTO upd VALUES (1); RETURN NULL; END \$\$;
CREATE TRIGGER upd_run AFTER UPDATE OF experiment_id ON run FOR EACH ROW EXECUTE FUNCTION upd_run();"

# one migrated database of each backend with the update counter, copied for each case (a
# copy costs a few ms, migrating about 60 on SQLite and 120 on the server, some 90 times)
wp "$SCRATCH/empty.db" -q migrate && sqlite3 "$SCRATCH/empty.db" "$COUNT_SQ" || fail "new sqlite database"
[ -e "$SCRATCH/empty.db-wal" ] && fail "the empty database's WAL was left: a copy would lose it"
pg_psql postgres -c "CREATE DATABASE empty" > /dev/null || fail "create empty"
wp "postgresql:///empty" -q migrate && pg_psql empty -c "$COUNT_PG" > /dev/null || fail "new server database"
n=0
# fresh BACKEND: a new empty database of that backend (migrated, with the update counter);
# sets DB and NAME
fresh() {
    n=$((n + 1))
    NAME=d$n
    if [ "$1" = sqlite ]; then
        DB=$SCRATCH/$NAME.db
        cp "$SCRATCH/empty.db" "$DB" || fail "new sqlite database"
    else
        pg_psql postgres -c "CREATE DATABASE $NAME TEMPLATE empty" > /dev/null || fail "create $NAME"
        DB=postgresql:///$NAME
    fi
}
sql() { # BACKEND SQL
    if [ "$1" = sqlite ]; then sqlite3 "$DB" "$2"; else pg_psql "$NAME" -At -F '|' -c "$2"; fi
}
tables() { sql "$1" "$TABLES"; }
# same_as_pass BACKEND NAME NEW REF: runs the ;-separated wattprint commands NEW (one that
# starts with ! is a shell command), then REF,
# each in a fresh database of BACKEND; the pass's lines (rules and runs labelled, rules
# that match no run, disagreements, the conflict) of NEW's last command and REF's, their
# exit codes and every run's labels, the models' figures and the attributes must be the
# same
# Returns 1, having run nothing, when the case is not run on this backend (under ASan).
same_as_pass() {
    local b=$1 name=$2 side cmds c rc
    here || return 1
    for side in new ref; do
        [ $side = new ] && cmds=$3 || cmds=$4
        # as_plain: the reference side with labels by the passes only
        [ $side = ref ] && [ -n "${REF_PLAIN:-}" ] && export WATTPRINT_LABELS_AS_ADDED=0
        fresh "$b"
        IFS=';' read -ra c <<< "$cmds"
        for one in "${c[@]}"; do
            one=${one#"${one%%[! ]*}"} # without the blanks after a ;
            case $one in
            '!'*) eval "${one#!}" || fail "$b: $name: ${one#!}"; continue ;; # a shell command
            esac
            eval "\"$WP\" --db \"$DB\" $one" > "$b.$name.$side.out" 2>&1
            rc=$?
        done
        grep -E 'rules, [0-9]+ runs labelled|matches no run|give different|disagreements|conflict' \
            "$b.$name.$side.out" > "$b.$name.$side.pass"
        echo "rc $rc" >> "$b.$name.$side.pass"
        sql "$b" "$NAMED" > "$b.$name.$side.tables"
        [ -n "${REF_IDS:-}" ] && sql "$b" "$TABLES" >> "$b.$name.$side.tables"
        unset WATTPRINT_LABELS_AS_ADDED
    done
    sed -i 's/^rc [1-9].*/rc failed/' "$b.$name.new.pass" "$b.$name.ref.pass"
    # --keep-going over a failed file: the ingest fails, the manifest alone does not
    [ "$name" = copy ] && sed -i 's/^rc .*/rc -/' "$b.$name.new.pass" "$b.$name.ref.pass"
    cmp -s "$b.$name.new.pass" "$b.$name.ref.pass" ||
        fail "$b: $name: the pass says otherwise: $(diff "$b.$name.new.pass" "$b.$name.ref.pass" | head -6)"
    cmp -s "$b.$name.new.tables" "$b.$name.ref.tables" ||
        fail "$b: $name: tables differ: $(diff "$b.$name.new.tables" "$b.$name.ref.tables" | head -6)"
}
updates() { sql "$1" "SELECT COUNT(*) FROM upd"; }
# as_plain BACKEND NAME CMDS: CMDS leave what they leave with labels by the passes only
# (WATTPRINT_LABELS_AS_ADDED=0), ids included
as_plain() { REF_PLAIN=1 REF_IDS=1 same_as_pass "$1" "$2" "$3" "$3"; }
# here: whether the next case of same_as_pass runs on backend $b.  Each runs on both
# backends; under ASan each on one of them in turn (odd cases on SQLite, even ones on the
# server): every case and both backends are still checked for memory errors, at half the
# cost.  ran NAME: whether case NAME ran on $b (its files are there).
ncase=0 nran=0
here() {
    ncase=$((ncase + 1))
    if under_asan && [ $((ncase % 2)) -ne "$([ "$b" = sqlite ] && echo 1 || echo 0)" ]; then
        return 1
    fi
    nran=$((nran + 1))
}
ran() { [ -f "$b.$1.new.pass" ]; }

for b in sqlite postgresql; do
    ncase=0
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

    # the pass after the files reads the runs it must: it says and stores what the pass
    # over every run says (ingest FILES, then manifest M) for runs stored before whose
    # labels changed, label-stating files' runs, uncertain runs, runs a later file joined,
    # several files and standard input; the runs of a rolled-back copy count for nothing
    same_as_pass $b changed "ingest -q --manifest m.csv g1.csv; ingest --manifest m2.csv g2.csv" \
        "ingest -q g1.csv; manifest m.csv; ingest -q g2.csv; manifest m2.csv"
    # the manifest edited since it was stored (two projects' models swapped): the pass
    # after each file labels the new runs by its earlier rules, the pass after the files
    # must read them again
    same_as_pass $b edited "!cp m.csv mx.csv; ingest -q --manifest mx.csv g1.csv; !cp msw.csv mx.csv; ingest --manifest mx.csv g2.csv" \
        "!cp m.csv mx.csv; ingest -q g1.csv; manifest mx.csv; !cp msw.csv mx.csv; ingest -q g2.csv; manifest mx.csv"
    # the manifest edited so that it names none of the new runs: the pass after each file
    # labels them by the rules its path held before, as a plain ingest's does, and they keep
    # those labels (labels as added hid those rules and left the runs unlabelled: found by
    # tests/labels_diff)
    same_as_pass $b earlier "!cp m.csv mx.csv; ingest -q --manifest mx.csv g1.csv; !cp mnone.csv mx.csv; ingest --manifest mx.csv g2.csv" \
        "!cp m.csv mx.csv; ingest -q g1.csv; manifest mx.csv; !cp mnone.csv mx.csv; ingest -q g2.csv; manifest mx.csv"
    ! ran earlier || [ "$(grep -c '^run|[0-9]*|[^|]*||' "$b.earlier.new.tables")" = 0 ] ||
        fail "$b: earlier: $(grep -c '^run|[0-9]*|[^|]*||' "$b.earlier.new.tables") runs left unlabelled"
    same_as_pass $b figures "ingest --manifest m3.csv g1.csv g2.csv" "ingest -q g1.csv g2.csv; manifest m3.csv"
    same_as_pass $b stating "ingest --manifest m4.csv g1.csv $FIX/formats/optimum-benchmark g2.csv" \
        "ingest -q g1.csv $FIX/formats/optimum-benchmark g2.csv; manifest m4.csv"
    same_as_pass $b joined "ingest --manifest mj.csv jA.csv jB.csv" "ingest -q jA.csv jB.csv; manifest mj.csv"
    same_as_pass $b disagree "ingest --manifest mj_bad.csv jA.csv jB.csv" \
        "ingest -q jA.csv jB.csv; manifest mj_bad.csv"
    ! ran disagree || grep -q "give different model" "$b.disagree.new.pass" ||
        fail "$b: no disagreement on the joined runs"
    same_as_pass $b copy "ingest --keep-going --manifest mc.csv g1.csv g3.csv g3copy.csv g4.csv g2.csv" \
        "ingest -q --keep-going g1.csv g3.csv g3copy.csv g4.csv g2.csv; manifest mc.csv"
    ! ran copy || grep -q "mc.csv:10: matches no run" "$b.copy.new.pass" ||
        fail "$b: the copy's rule: $(cat "$b.copy.new.pass")"
    same_as_pass $b stdin "ingest --manifest m.csv - g2.csv < g1.csv" "ingest -q - g2.csv < g1.csv; manifest m.csv"

    # labels on the command line: a rule of each new file, stored after its rows; its runs
    # go in labelled too (no run updated after it was stored, the pass after each file
    # reads none of them), and every case leaves what labels by the passes only leave
    fresh $b
    wp "$DB" -q ingest --model cm --task ct --dataset cd g1.csv - < g2.csv || fail "$b: ingest --model"
    [ "$(updates $b)" = 0 ] || fail "$b: --model: $(updates $b) runs updated after they were stored"
    [ "$(sql $b "SELECT COUNT(*) FROM run r JOIN experiment e ON e.id = r.experiment_id
                JOIN model mo ON mo.id = e.model_id WHERE mo.name = 'cm'")" = 700 ] ||
        fail "$b: --model: not every run is cm's"
    as_plain $b cli "ingest --model cm --task ct --dataset cd g1.csv - < g2.csv"
    # over a manifest's stored rules (the command line outranks them), a field each
    as_plain $b cli_rules "ingest -q --manifest m3.csv g1.csv; ingest --task ct g2.csv; ingest --inferences 7 --batch-size 2 g3.csv"
    # every run certain, the model's figures from the stored rules: written as the pass
    # after the file writes them, by the last run of each (here another than before)
    as_plain $b cli_figures "ingest -q --manifest m3.csv g1.csv; ingest --task question_answering g2.csv"
    # with a manifest too: runs the manifest's rules name go in labelled, the others are
    # left to the passes, so experiments are numbered in another order (same labels)
    REF_PLAIN=1 same_as_pass $b cli_manifest "ingest --task ct --manifest m3.csv g1.csv g2.csv" \
        "ingest --task ct --manifest m3.csv g1.csv g2.csv"
    as_plain $b cli_idle "ingest --idle g2.csv; ingest -q --model cm g1.csv; ingest --idle g3.csv"
    # a grown file keeps its first labels (its later rows are not a new file); another
    # file's labels for runs it joins (the phases of jA's runs): a disagreement
    as_plain $b cli_grown "!head -201 g1.csv > grow.csv; ingest --model cm grow.csv; !cp g1.csv grow.csv; ingest --model other grow.csv"
    as_plain $b cli_joined "ingest --model ma jA.csv; ingest --model mb jB.csv"
    ! ran cli_joined || grep -q "give different model" "$b.cli_joined.new.pass" ||
        fail "$b: cli_joined: no disagreement"
    # new runs, and phases of earlier runs whose labels then disagree (model mb exists)
    as_plain $b cli_joined_new "ingest -q --model ma jA.csv; ingest -q --model mb g2.csv; ingest --model mb jC.csv"
    ! ran cli_joined_new || grep -q "give different model" "$b.cli_joined_new.new.pass" ||
        fail "$b: cli_joined_new: no disagreement"
    as_plain $b cli_stating "ingest --model cm g1.csv $FIX/formats/optimum-benchmark g2.csv"
    as_plain $b cli_replace "!cp g2.csv rep.csv; ingest --model cm rep.csv; !cp g1.csv rep.csv; ingest --replace --model other rep.csv"
done
# every case ran once at least: none was left out on both backends
under_asan && reduced_asan "labels_as_added: each of the $ncase cases compared with the passes on one backend in turn, $nran of $((2 * ncase)) (make test runs each on both)"
[ "$nran" -ge "$ncase" ] && [ "$ncase" -ge 19 ] || fail "only $nran of the $ncase cases ran"
echo "labels_as_added: $(grep -c '^run' sqlite.added2) runs stored labelled on both backends, none updated"
