# wattprint push against a throwaway server (tests/pg/server): a SQLite file's data copied
# into the server gives the same summary, stats, runs, rejected, sources and token bytes;
# pushing again changes nothing on the server; a file ingested locally afterwards is the
# only one added; a file that grew locally replaces its pushed version; a manifest changed
# locally relabels the pushed runs on the server; a killed push
# leaves whole files only; passwords never reach a message.  A machine without a
# PostgreSQL server fails here: it is not skipped.
. "$(dirname "$0")/lib.bash"
. "$TOP/tests/pg/server"
pg_server_start || fail "cannot start a PostgreSQL server"
pg=$WP_PG_URI
sq=$SCRATCH/local.db
q() { pg_psql wattprint -At -c "$1"; }
pgsum() { "$PG_BIN/pg_dump" -h "$PGSOCK" -U postgres -a wattprint | grep -v '^--\|^\\' | LC_ALL=C sort | sha256sum; }

# compare: the listings of the file and of the server, byte for byte
compare() {
    local c n
    for c in "summary --format csv" "stats --format csv" "runs --format csv" "rejected --format csv" \
             "sources --format csv" "tokens --format csv" "runs --phase query%model --format csv"; do
        IFS=' ' read -r -a argv <<< "$c"
        for i in "${!argv[@]}"; do argv[$i]=${argv[$i]//%/ }; done
        n=$(echo "$c" | tr ' %' '__')
        wp "$sq" "${argv[@]}" > "$SCRATCH/sq.$n" 2>/dev/null || fail "sqlite: $c"
        wp "$pg" "${argv[@]}" > "$SCRATCH/pg.$n" 2>"$SCRATCH/err" || fail "server: $c: $(cat "$SCRATCH/err")"
        [ "$(wc -l < "$SCRATCH/sq.$n")" -gt 1 ] || fail "$c: no rows"
        cmp -s "$SCRATCH/sq.$n" "$SCRATCH/pg.$n" ||
            { diff "$SCRATCH/sq.$n" "$SCRATCH/pg.$n" | head -5 >&2; fail "$1: $c differs"; }
    done
    # provenance the listings do not show: versions, each measurement's file and line,
    # the rules, each run's experiment attributes (experiment ids differ: the server gets
    # only the experiments runs use, not those a later manifest left without runs)
    for t in "SELECT sf.path, fv.sha256, fv.size_bytes, fv.rows_added, fv.ingested_at FROM file_version fv JOIN source_file sf ON sf.id = fv.source_file_id" \
             "SELECT sf.path, m.line, m.phase, COALESCE(r.uid, ''), m.cpu_basis, m.gpu_basis, m.ram_basis FROM measurement m JOIN source_file sf ON sf.id = m.source_file_id JOIN run r ON r.id = m.run_id" \
             "SELECT m.line, x.key, x.value FROM measurement_extra x JOIN measurement m ON m.id = x.measurement_id" \
             "SELECT origin, COALESCE(manifest, ''), COALESCE(model, ''), COALESCE(task, ''), COALESCE(sf.path, '') FROM label_rule lr LEFT JOIN source_file sf ON sf.id = lr.match_source_id" \
             "SELECT r.id, a.key, a.value FROM run r JOIN experiment_attr a ON a.experiment_id = r.experiment_id" \
             "SELECT sf.path, rl.line, rl.text FROM rejected_line rl JOIN source_file sf ON sf.id = rl.source_file_id"; do
        sqlite3 -separator '|' "$sq" "$t" | LC_ALL=C sort > "$SCRATCH/t.sq"
        q "$t" | LC_ALL=C sort > "$SCRATCH/t.pg"
        [ -s "$SCRATCH/t.sq" ] || fail "nothing to compare: $t"
        cmp -s "$SCRATCH/t.sq" "$SCRATCH/t.pg" ||
            { diff "$SCRATCH/t.sq" "$SCRATCH/t.pg" | head -5 >&2; fail "$1: the tables differ: $t"; }
    done
}

# ---- a host that measured offline: logs, manifests, a bad row kept, command-line labels,
# token counts
wp "$sq" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest synth"
wp "$sq" -q ingest --manifest "$FIX/formats/manifest.csv" "$FIX/formats" 2>/dev/null || fail "ingest formats"
wp "$sq" -q ingest --skip-bad-rows "$FIX/bad/bad_nonnumber_energy.csv" || fail "skip-bad-rows"
mkdir -p "$SCRATCH/cl"
sed '$ s/^\([^,]*\),\([^,]*\),\([^,]*\),[^,]*,/\1,\2,\3,4.25,/' \
    "$FIX/synth/complete/extractive_qa__squad.csv" > "$SCRATCH/cl/labelled.csv"
wp "$sq" -q ingest --model cl-model --task cl-task --dataset cl-data --inferences 100 \
    "$SCRATCH/cl/labelled.csv" || fail "ingest with command-line labels"
wp "$sq" -q tokens --names "$FIX/study/token_names.csv" "$FIX"/study/lengths/*.csv.gz 2>/dev/null || fail "tokens"

wp "$sq" push --to "$pg" 2>"$SCRATCH/err" || fail "push: $(cat "$SCRATCH/err")"
files=$(sqlite3 "$sq" "SELECT COUNT(*) FROM source_file")
grep -q "pushed to $pg: $files files added (0 unchanged" "$SCRATCH/err" || fail "push said: $(cat "$SCRATCH/err")"
[ "$(q "SELECT COUNT(*) FROM measurement")" = "$(sqlite3 "$sq" "SELECT COUNT(*) FROM measurement")" ] ||
    fail "measurement counts differ"
compare "first push"
[ "$(q "SELECT COUNT(*) FROM label_rule WHERE manifest IS NULL AND match_source_id IS NOT NULL")" -ge 1 ] ||
    fail "the command-line rule did not go over, tied to its file"

# ---- again: nothing changes
before=$(pgsum)
wp "$sq" push --to "$pg" 2>"$SCRATCH/err" || fail "push again: $(cat "$SCRATCH/err")"
grep -q ": 0 files added ($files unchanged, 0 grown since the last push, 0 refused), 0 measurements" "$SCRATCH/err" ||
    fail "push again said: $(cat "$SCRATCH/err")"
grep -q ", 0 rule sets, 0 token-count files" "$SCRATCH/err" || fail "push again rewrote rules or counts: $(cat "$SCRATCH/err")"
[ "$(pgsum)" = "$before" ] || fail "pushing again changed the server's data"

# ---- one more file ingested locally: only it is added
mkdir -p "$SCRATCH/new"
sed '$ s/^\([^,]*\),\([^,]*\),\([^,]*\),[^,]*,/\1,\2,\3,8.5,/' \
    "$FIX/synth/complete/extractive_qa__sciq.csv" > "$SCRATCH/new/n.csv"
wp "$sq" -q ingest "$SCRATCH/new/n.csv" || fail "ingest a new file"
ids_before=$(q "SELECT string_agg(id::text || path, ',' ORDER BY id) FROM source_file")
wp "$sq" push --to "$pg" 2>"$SCRATCH/err" || fail "push the new file: $(cat "$SCRATCH/err")"
new_rows=$(sqlite3 "$sq" "SELECT COUNT(*) FROM measurement m JOIN source_file sf ON sf.id = m.source_file_id WHERE sf.path = '$SCRATCH/new/n.csv'")
grep -q ": 1 files added ($files unchanged, 0 grown since the last push, 0 refused), $new_rows measurements" "$SCRATCH/err" ||
    fail "push of one new file said: $(cat "$SCRATCH/err")"
[ "$(q "SELECT string_agg(id::text || path, ',' ORDER BY id) FROM source_file WHERE path <> '$SCRATCH/new/n.csv'")" = "$ids_before" ] ||
    fail "the files pushed before changed"
compare "push of a new file"

# ---- a file that grew locally since it was pushed: its new version replaces the old
sed '$ s/^\([^,]*\),\([^,]*\),\([^,]*\),[^,]*,/\1,\2,\3,6.5,/' \
    "$FIX/synth/complete/extractive_qa__sciq__zeroshot.csv" > "$SCRATCH/grow.full"
head -8 "$SCRATCH/grow.full" > "$SCRATCH/new/grow.csv"
wp "$sq" -q ingest "$SCRATCH/new/grow.csv" || fail "ingest the start of a file"
wp "$sq" -q push --to "$pg" || fail "push the start of a file"
tail -n +9 "$SCRATCH/grow.full" >> "$SCRATCH/new/grow.csv"
wp "$sq" -q ingest "$SCRATCH/new/grow.csv" || fail "ingest the grown file"
wp "$sq" push --to "$pg" 2>"$SCRATCH/err" || fail "push the grown file: $(cat "$SCRATCH/err")"
grep -q ": 1 files added ($((files + 1)) unchanged, 1 grown since the last push" "$SCRATCH/err" ||
    fail "push of a grown file said: $(cat "$SCRATCH/err")"
[ "$(q "SELECT COUNT(*) FROM file_version fv JOIN source_file sf ON sf.id = fv.source_file_id WHERE sf.path = '$SCRATCH/new/grow.csv'")" = 2 ] ||
    fail "the grown file's two versions are not both on the server"
compare "push of a grown file"

# ---- a manifest changed locally after its runs were pushed: pushing again carries the
# new labels to the runs on the server, not only the rules (runs of their own: run ids no
# other file holds; the fixtures' manifest names their model from their project_name)
mkdir -p "$SCRATCH/rl"
awk -F, -v OFS=, 'NR > 1 { $3 = "e2e0" substr($3, 5) } 1' \
    "$FIX/synth/complete/extractive_qa__squad.csv" > "$SCRATCH/rl/relabel_me.csv"
wp "$sq" -q ingest "$SCRATCH/rl/relabel_me.csv" || fail "ingest relabel_me.csv"
wp "$sq" -q push --to "$pg" || fail "push relabel_me.csv"
rl_runs=$(($(wc -l < "$SCRATCH/rl/relabel_me.csv") - 1))
relabel=$SCRATCH/relabel.csv
printf 'file,task,dataset,inferences\nrelabel_me.csv,extractive_qa,relabel-a,1000\n' > "$relabel"
wp "$sq" -q manifest "$relabel" || fail "manifest relabel-a"
wp "$sq" -q push --to "$pg" || fail "push relabel-a"
wp "$pg" stats --by dataset --format csv | grep -q '^relabel-a,' || fail "relabel-a not on the server"
printf 'file,task,dataset,inferences\nrelabel_me.csv,extractive_qa,relabel-b,1000\n' > "$relabel"
wp "$sq" -q manifest "$relabel" || fail "manifest relabel-b"
wp "$sq" push --to "$pg" 2>"$SCRATCH/err" || fail "push relabel-b: $(cat "$SCRATCH/err")"
grep -q ", 1 rule sets, 0 token-count files" "$SCRATCH/err" || fail "push relabel-b said: $(cat "$SCRATCH/err")"
grep -q "$pg: [0-9]* runs labelled again by the changed rules" "$SCRATCH/err" ||
    fail "push relabel-b did not say it relabelled: $(cat "$SCRATCH/err")"
wp "$pg" stats --by dataset --format csv > "$SCRATCH/datasets"
grep -q "^relabel-b,$rl_runs," "$SCRATCH/datasets" || fail "the server's runs kept the old label"
grep -q '^relabel-a,' "$SCRATCH/datasets" && fail "relabel-a is still on the server"
compare "push of changed labels"
before=$(pgsum)
wp "$sq" -q push --to "$pg" || fail "push after relabelling"
[ "$(pgsum)" = "$before" ] || fail "pushing unchanged labels again changed the server"

# ---- another file from a path the server holds: refused, nothing else changes
before=$(pgsum)
sq2=$SCRATCH/other.db
cp "$SCRATCH/new/n.csv" "$SCRATCH/n.keep"
sed -i '$ s/^\([^,]*\),\([^,]*\),\([^,]*\),[^,]*,/\1,\2,\3,9.75,/' "$SCRATCH/new/n.csv"
wp "$sq2" -q ingest "$SCRATCH/new/n.csv" || fail "ingest another file from the same path"
wp "$sq2" push --to "$pg" 2>"$SCRATCH/err" && fail "a different file from a pushed path was accepted"
grep -q "$SCRATCH/new/n.csv: $pg holds another file from this path" "$SCRATCH/err" ||
    fail "refusal said: $(cat "$SCRATCH/err")"
[ "$(pgsum)" = "$before" ] || fail "a refused push changed the server"

# ---- a killed push leaves whole files only: each file on the server holds all its
# measurements, rejected lines and versions, or is not there
pg_psql postgres -c "CREATE DATABASE killed" > /dev/null || fail "create killed"
wp "postgresql:///killed" -q migrate || fail "migrate killed"
partial=0
for delay in 0.3 0.6 1.0; do
    "$WP" --db "$sq" -q push --to "postgresql:///killed" 2>/dev/null &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    t="SELECT sf.path, (SELECT COUNT(*) FROM measurement m WHERE m.source_file_id = sf.id), (SELECT COUNT(*) FROM rejected_line r WHERE r.source_file_id = sf.id), (SELECT COUNT(*) FROM file_version v WHERE v.source_file_id = sf.id) FROM source_file sf"
    pg_psql killed -At -F '|' -c "$t" > "$SCRATCH/k.raw" || fail "read the killed push"
    LC_ALL=C sort "$SCRATCH/k.raw" > "$SCRATCH/k.pg"
    sqlite3 -separator '|' "$sq" "$t" | LC_ALL=C sort > "$SCRATCH/k.sq"
    cmp -s "$SCRATCH/k.pg" "$SCRATCH/k.sq" || partial=$((partial + 1))
    [ "$(comm -23 "$SCRATCH/k.pg" "$SCRATCH/k.sq" | wc -l)" = 0 ] ||
        { comm -23 "$SCRATCH/k.pg" "$SCRATCH/k.sq" | head -3 >&2; fail "a killed push left part of a file"; }
done
echo "pg_push: $partial of 3 killed pushes stopped part way" >&2
wp "$sq" -q push --to "postgresql:///killed" || fail "push after killed pushes"
pg_psql killed -At -F '|' -c "$t" | LC_ALL=C sort > "$SCRATCH/k.pg"
cmp -s "$SCRATCH/k.pg" "$SCRATCH/k.sq" || fail "a push after killed pushes did not complete the copy"

# ---- pushing from a server, or to a file: usage errors
wp "$pg" push --to "$pg" 2>/dev/null; [ $? = 2 ] || fail "push from a server is not a usage error"
wp "$sq" push --to "$SCRATCH/x.db" 2>/dev/null; [ $? = 2 ] || fail "push to a file is not a usage error"

# ---- a password in the URI is masked in every message
wp "$sq" push --to "postgresql://gpu17:s3cr3t-pw@/nosuchdb?host=$PGSOCK" 2>"$SCRATCH/err" &&
    fail "push to a missing database succeeded"
[ -s "$SCRATCH/err" ] || fail "no message for a failed push"
grep -q "s3cr3t-pw" "$SCRATCH/err" && fail "the password reached a message: $(cat "$SCRATCH/err")"
pg_psql wattprint -c "CREATE ROLE gpu17 LOGIN PASSWORD 's3cr3t-pw'" || fail "create a role"
wp "$sq2" push --to "postgresql://gpu17:s3cr3t-pw@/wattprint?host=$PGSOCK" 2>"$SCRATCH/err" &&
    fail "push of a role without rights succeeded"
grep -q "gpu17:\*\*\*@" "$SCRATCH/err" || fail "the masked URI is not named: $(cat "$SCRATCH/err")"
grep -q "s3cr3t-pw" "$SCRATCH/err" && fail "the password reached a message: $(cat "$SCRATCH/err")"
echo "ok: pg_push"
