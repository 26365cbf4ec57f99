# The same log stored another way (gzipped, CRLF line ends, a newline or blank lines added at
# the end, a byte-order mark, its rows in another order; a JSON log re-indented, its keys or
# its array elements in another order) holds the same rows: where no run id tells its runs
# apart (Zeus, nvidia-smi, CodeCarbon 1.x, ML.ENERGY) it would count them again.  Each copy
# is recognised by the hash of its normalized rows (a set of rows; JSON as parsed values)
# and skipped with a message naming the first file; the database does not change; a file
# with one value changed is not a copy.  Regression test of #19 item 4 (the content hash
# was over the bytes as stored) and of its follow-up (reordered rows and re-laid-out JSON
# were not recognised).  A version stored before the set-of-rows hash (its hash over the
# text in order) is still recognised by that hash.  On SQLite and PostgreSQL.
. "$(dirname "$0")/lib.bash"

mkdir -p "$SCRATCH/in"
cat >"$SCRATCH/in/cc1.csv" <<'CSV'
timestamp,experiment_id,project_name,duration,emissions,energy_consumed,country_name,country_iso_code,region,on_cloud,cloud_provider,cloud_region
2023-07-31T17:43:30,7f045061-94a9-4207-9a65-a32b8c304a72,codecarbon,7.9,0.00016,0.00028,USA,USA,Iowa,Y,gcp,us-central1
2023-09-29T13:12:21,7f045061-94a9-4207-9a65-a32b8c304a72,codecarbon,11.9,0.00025,0.00045,USA,USA,Iowa,Y,gcp,us-central1
CSV
cp "$FIX/formats/zeus/zeus_monitor.csv" "$SCRATCH/in/zeus.csv"
cp "$FIX/formats/nvidia-smi/two_gpus.csv" "$SCRATCH/in/smi.csv"

for f in cc1 zeus smi; do
    orig=$SCRATCH/in/$f.csv
    db=$SCRATCH/$f.db
    wp "$db" -q ingest "$orig" || fail "$f: first ingest"
    want=$(runs "$db")
    before=$(dbsum "$db")
    # the variants, each under its own name
    gzip -c "$orig" >"$SCRATCH/in/$f.gz.csv.gz"
    sed 's/$/\r/' "$orig" >"$SCRATCH/in/$f.crlf.csv"
    { cat "$orig"; echo; echo; } >"$SCRATCH/in/$f.nl.csv"
    { printf '\357\273\277'; cat "$orig"; } >"$SCRATCH/in/$f.bom.csv"
    sed 's/$/\r/' "$orig" | gzip -c >"$SCRATCH/in/$f.crlfgz.csv.gz"
    { head -n 1 "$orig"; tail -n +2 "$orig" | tac; } >"$SCRATCH/in/$f.reord.csv"
    for v in gz.csv.gz crlf.csv nl.csv bom.csv crlfgz.csv.gz reord.csv; do
        copy=$SCRATCH/in/$f.$v
        cmp -s "$orig" "$copy" && fail "$f.$v: the test did not change the bytes"
        wp "$db" ingest "$copy" 2>"$SCRATCH/err" || fail "$f.$v: a copy is not an error: $(cat "$SCRATCH/err")"
        grep -q "note: $copy: same rows as $orig, ingested on 20[0-9-]*T[0-9:]*Z: skipped" "$SCRATCH/err" ||
            fail "$f.$v: message: $(cat "$SCRATCH/err")"
        grep -q "1 copy of files ingested before" "$SCRATCH/err" || fail "$f.$v: totals: $(cat "$SCRATCH/err")"
        [ "$(runs "$db")" = "$want" ] || fail "$f.$v: counted again: $(runs "$db") vs $want"
        [ "$(dbsum "$db")" = "$before" ] || fail "$f.$v: the copy changed the database"
    done
    # the same file, converted in place: still a copy of itself, not a changed version
    sed -i 's/$/\r/' "$orig"
    wp "$db" ingest "$orig" 2>"$SCRATCH/err" || fail "$f: converted in place: $(cat "$SCRATCH/err")"
    grep -q "note: $orig: same rows as $orig" "$SCRATCH/err" || fail "$f in place: $(cat "$SCRATCH/err")"
    [ "$(dbsum "$db")" = "$before" ] || fail "$f: the file converted in place changed the database"
    # from standard input too
    gzip -c "$orig" | wp "$db" ingest - 2>"$SCRATCH/err" || fail "$f: stdin: $(cat "$SCRATCH/err")"
    grep -q "note: -: same rows as $orig" "$SCRATCH/err" || fail "$f stdin: $(cat "$SCRATCH/err")"
    [ "$(runs "$db")" = "$want" ] || fail "$f: stdin counted again"
done

# JSON: re-indented, its keys in another order, its array elements in another order, all
# at once and gzipped: the same parsed values, a copy; one value changed is not
json_variant() { # ORIG OUT MODE
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
src, out, mode = sys.argv[1:]
doc = json.load(open(src))
def rev(v):
    if isinstance(v, dict):
        return {k: rev(v[k]) for k in reversed(list(v))}
    if isinstance(v, list):
        return [rev(x) for x in reversed(v)]
    return v
if mode == "indent":
    text = json.dumps(doc, indent=7)
elif mode == "keys":
    text = json.dumps({k: doc[k] for k in reversed(list(doc))}, separators=(",", ":"))
elif mode == "all":
    text = json.dumps(rev(doc), indent=1)
else:
    doc["configurations"][0]["batch_size"] += 1
    text = json.dumps(doc)
open(out, "w").write(text + "\n")
PY
}
jorig=$SCRATCH/in/t2i.json
cp "$FIX/formats/ml-energy/v3_text-to-image.json" "$jorig"
db=$SCRATCH/json.db
wp "$db" -q ingest "$jorig" || fail "json: first ingest"
want=$(runs "$db")
jruns=${want%% *}
before=$(dbsum "$db")
for v in indent keys all; do
    json_variant "$jorig" "$SCRATCH/in/t2i.$v.json" $v || fail "json: making $v"
    cmp -s "$jorig" "$SCRATCH/in/t2i.$v.json" && fail "json.$v: the test did not change the bytes"
done
gzip -c "$SCRATCH/in/t2i.all.json" >"$SCRATCH/in/t2i.allgz.json.gz"
for v in indent.json keys.json all.json allgz.json.gz; do
    copy=$SCRATCH/in/t2i.$v
    wp "$db" ingest "$copy" 2>"$SCRATCH/err" || fail "json.$v: a copy is not an error: $(cat "$SCRATCH/err")"
    grep -q "note: $copy: same rows as $jorig, ingested on 20[0-9-]*T[0-9:]*Z: skipped" "$SCRATCH/err" ||
        fail "json.$v: message: $(cat "$SCRATCH/err")"
    [ "$(runs "$db")" = "$want" ] || fail "json.$v: counted again: $(runs "$db") vs $want"
    [ "$(dbsum "$db")" = "$before" ] || fail "json.$v: the copy changed the database"
done
json_variant "$jorig" "$SCRATCH/in/t2i.changed.json" changed || fail "json: making changed"
wp "$db" ingest "$SCRATCH/in/t2i.changed.json" 2>"$SCRATCH/err" || fail "json changed: $(cat "$SCRATCH/err")"
grep -q "same rows" "$SCRATCH/err" && fail "a changed JSON file was taken for a copy"

# a version stored before the set-of-rows hash holds the hash of the text in order: made
# here by writing that hash (SHA-256 of the text) into the version, as the earlier
# ingest did; a gzipped CRLF copy is still recognised by it, and a reordered copy, which
# that hash never recognised, is ingested (said in the README)
db=$SCRATCH/legacy.db
lorig=$SCRATCH/in/legacy.csv
cp "$FIX/formats/nvidia-smi/two_gpus.csv" "$lorig"
wp "$db" -q ingest "$lorig" || fail "legacy: first ingest"
old=$(sha256sum "$lorig" | cut -d' ' -f1)
sqlite3 "$db" "UPDATE file_version SET rows_sha256 = '$old'" || fail "legacy: set the old hash"
before=$(dbsum "$db")
sed 's/$/\r/' "$lorig" | gzip -c >"$SCRATCH/in/legacy.crlf.csv.gz"
wp "$db" ingest "$SCRATCH/in/legacy.crlf.csv.gz" 2>"$SCRATCH/err" || fail "legacy: $(cat "$SCRATCH/err")"
grep -q "same rows as $lorig" "$SCRATCH/err" || fail "legacy hash not recognised: $(cat "$SCRATCH/err")"
[ "$(dbsum "$db")" = "$before" ] || fail "legacy: the copy changed the database"

# one value changed is other rows: ingested (and counted: these formats have no run id)
db=$SCRATCH/cc1.db
sed 's/0.00045,USA/0.00046,USA/' "$SCRATCH/in/cc1.nl.csv" >"$SCRATCH/in/cc1.changed.csv"
wp "$db" ingest "$SCRATCH/in/cc1.changed.csv" 2>"$SCRATCH/err" || fail "changed: $(cat "$SCRATCH/err")"
grep -q "same rows" "$SCRATCH/err" && fail "a changed file was taken for a copy"
[ "$(runs "$db" | cut -d' ' -f1)" = 4 ] || fail "changed file: $(runs "$db")"

# a file grown by a blank line only: the same rows at the same path, not an append
db=$SCRATCH/grow.db
cp "$FIX/formats/zeus/zeus_monitor.csv" "$SCRATCH/grow.csv"
wp "$db" -q ingest "$SCRATCH/grow.csv" || fail "grow: first"
before=$(dbsum "$db")
echo >>"$SCRATCH/grow.csv"
wp "$db" ingest "$SCRATCH/grow.csv" 2>"$SCRATCH/err" || fail "grow: $(cat "$SCRATCH/err")"
grep -q "same rows as $SCRATCH/grow.csv" "$SCRATCH/err" || fail "grow: $(cat "$SCRATCH/err")"
[ "$(dbsum "$db")" = "$before" ] || fail "grow: a blank line changed the database"

# the byte hash stays the provenance: the files table holds the first file's, and the rows
# hash is on its version
db=$SCRATCH/zeus.db
n=$(sqlite3 "$db" "SELECT count(*) FROM file_version WHERE rows_sha256 IS NOT NULL AND length(rows_sha256) = 64")
[ "$n" = 1 ] || fail "rows hash on the version: $n"
sqlite3 "$db" "SELECT sha256 FROM file_version" | grep -qx "$(sha256sum "$FIX/formats/zeus/zeus_monitor.csv" | cut -d' ' -f1)" ||
    fail "the byte hash is not the first file's"

# PostgreSQL: the same rule, and `push` carries the rows hash to the server
. "$TOP/tests/pg/server"
pg_server_start || fail "cannot start a PostgreSQL server"
pg=$WP_PG_URI
zeus=$FIX/formats/zeus/zeus_monitor.csv
wp "$pg" -q ingest "$zeus" || fail "pg: ingest"
wp "$pg" ingest "$SCRATCH/in/zeus.gz.csv.gz" 2>"$SCRATCH/err" || fail "pg: copy: $(cat "$SCRATCH/err")"
grep -q "same rows as $zeus" "$SCRATCH/err" || fail "pg: $(cat "$SCRATCH/err")"
[ "$(runs "$pg")" = "$(runs "$SCRATCH/zeus.db")" ] || fail "pg: counted again: $(runs "$pg")"
wp "$pg" ingest "$SCRATCH/in/zeus.reord.csv" 2>"$SCRATCH/err" || fail "pg: reordered: $(cat "$SCRATCH/err")"
grep -q "same rows as $zeus" "$SCRATCH/err" || fail "pg reordered: $(cat "$SCRATCH/err")"
wp "$pg" -q ingest "$jorig" || fail "pg: json"
for v in indent.json keys.json allgz.json.gz; do
    wp "$pg" ingest "$SCRATCH/in/t2i.$v" 2>"$SCRATCH/err" || fail "pg json.$v: $(cat "$SCRATCH/err")"
    grep -q "same rows as $jorig" "$SCRATCH/err" || fail "pg json.$v: $(cat "$SCRATCH/err")"
done
n=$(runs "$pg" | cut -d' ' -f1)
[ "$n" = $(($(runs "$SCRATCH/zeus.db" | cut -d' ' -f1) + jruns)) ] || fail "pg: copies counted: $n runs"
pg_psql postgres -c "CREATE DATABASE pushed" >/dev/null || fail "create pushed"
pushed=postgresql:///pushed
wp "$SCRATCH/cc1.db" -q push --to "$pushed" || fail "push"
wp "$pushed" ingest "$SCRATCH/in/cc1.bom.csv" 2>"$SCRATCH/err" || fail "pushed: $(cat "$SCRATCH/err")"
grep -q "same rows as $SCRATCH/in/cc1.csv" "$SCRATCH/err" || fail "push lost the rows hash: $(cat "$SCRATCH/err")"
# push checks the rows hash on the server as ingest does: a local file whose rows the
# server holds under other bytes (here reordered, under another name) is not pushed, and
# said; a new file beside it goes over
local=$SCRATCH/local.db
wp "$local" -q ingest "$SCRATCH/in/cc1.reord.csv" "$SCRATCH/in/zeus.csv" || fail "local ingest"
before=$(runs "$pushed")
wp "$local" push --to "$pushed" 2>"$SCRATCH/err" || fail "push of a copy: $(cat "$SCRATCH/err")"
grep -q "note: $SCRATCH/in/cc1.reord.csv: same rows as $SCRATCH/in/cc1.csv on .*: not pushed" "$SCRATCH/err" ||
    fail "push: no note of the copy: $(cat "$SCRATCH/err")"
grep -q ": 1 files added (0 unchanged" "$SCRATCH/err" || fail "push: summary: $(cat "$SCRATCH/err")"
grep -q "1 files not pushed: .* holds their rows already" "$SCRATCH/err" || fail "push: copies line: $(cat "$SCRATCH/err")"
n=$(pg_psql pushed -At -c "SELECT count(*) FROM source_file WHERE path LIKE '%cc1.reord.csv'")
[ "$n" = 0 ] || fail "push: the copy went over"
[ "$(runs "$pushed" | cut -d' ' -f1)" = $(( ${before%% *} + $(runs "$SCRATCH/zeus.db" | cut -d' ' -f1) )) ] ||
    fail "push: runs on the server: $(runs "$pushed") (before $before)"
wp "$local" push --to "$pushed" 2>"$SCRATCH/err" || fail "push again: $(cat "$SCRATCH/err")"
grep -q ": 0 files added (1 unchanged" "$SCRATCH/err" || fail "push again: $(cat "$SCRATCH/err")"
echo "ok copies"
