# A copy, under another name, of a log that grew after it was ingested (or the log grown
# in place after such a copy was ingested) begins with rows the database holds already.
# Where no run id tells runs apart (CodeCarbon 1.x, Zeus, nvidia-smi) they were counted
# again: a copy of fixtures/first-hour/emissions.csv with one more row added 4 runs, not 1.
# Such a file is found by its first two lines and the hash of as many rows as the stored
# version has, and only the lines after those are read: the database ends as if the log had
# grown in place.  Gzipped or with CRLF line ends it is the same rows.  In the other order,
# a copy taken before the log grew, ingested after the log, is skipped as a copy (the log
# read again at its path; a warning when it is gone).  A file with the same first lines but
# other rows after them is not a grown copy; standard input, which cannot be read twice, is
# warned about.  On SQLite and PostgreSQL.
. "$(dirname "$0")/lib.bash"

mkdir -p "$SCRATCH/in"
cat >"$SCRATCH/in/cc1.csv" <<'CSV'
timestamp,experiment_id,project_name,duration,emissions,energy_consumed,country_name,country_iso_code,region,on_cloud,cloud_provider,cloud_region
2023-07-31T17:43:30,7f045061-94a9-4207-9a65-a32b8c304a72,codecarbon,7.9,0.00016,0.00028,USA,USA,Iowa,Y,gcp,us-central1
2023-09-29T13:12:21,7f045061-94a9-4207-9a65-a32b8c304a72,codecarbon,11.9,0.00025,0.00045,USA,USA,Iowa,Y,gcp,us-central1
CSV
cat >"$SCRATCH/in/cc1.more1" <<'CSV'
2023-10-30T11:48:34,7f045061-94a9-4207-9a65-a32b8c304a72,codecarbon,8.0,0.00015,0.00027,USA,USA,Iowa,Y,gcp,us-central1
CSV
cat >"$SCRATCH/in/cc1.more2" <<'CSV'
2023-11-02T09:01:10,7f045061-94a9-4207-9a65-a32b8c304a72,codecarbon,9.5,0.00019,0.00033,USA,USA,Iowa,Y,gcp,us-central1
CSV
cp "$FIX/formats/zeus/zeus_monitor.csv" "$SCRATCH/in/zeus.csv"
echo "4300.00,epoch 2,50.0,9000.5,8800.25" >"$SCRATCH/in/zeus.more1"
echo "4350.50,epoch 3,40.0,7000.5,6900.75" >"$SCRATCH/in/zeus.more2"
cp "$FIX/formats/nvidia-smi/two_gpus.csv" "$SCRATCH/in/smi.csv"
printf '%s\n' "2024/01/15 10:23:47.000, 0, NVIDIA A100-SXM4-80GB, 250.00 W, 98 %, 40536 MiB" \
    "2024/01/15 10:23:47.000, 1, NVIDIA A100-SXM4-80GB, 100.00 W, 12 %, 1024 MiB" >"$SCRATCH/in/smi.more1"
printf '%s\n' "2024/01/15 10:23:48.000, 0, NVIDIA A100-SXM4-80GB, 280.00 W, 98 %, 40536 MiB" \
    "2024/01/15 10:23:48.000, 1, NVIDIA A100-SXM4-80GB, 110.00 W, 12 %, 1024 MiB" >"$SCRATCH/in/smi.more2"

for f in cc1 zeus smi; do
    in=$SCRATCH/in
    cat "$in/$f.csv" "$in/$f.more1" >"$in/$f.mid.csv"
    cat "$in/$f.mid.csv" "$in/$f.more2" >"$in/$f.final.csv"
    lines=$(grep -c . "$in/$f.csv")
    # what the database should hold: the log grown in place, ingested at each step
    ref=$SCRATCH/$f.ref.db
    cp "$in/$f.csv" "$SCRATCH/grows.csv"
    wp "$ref" -q ingest "$SCRATCH/grows.csv" || fail "$f: reference"
    cat "$in/$f.more1" >>"$SCRATCH/grows.csv"
    wp "$ref" -q ingest "$SCRATCH/grows.csv" || fail "$f: reference append"
    want_mid=$(runs "$ref")
    cat "$in/$f.more2" >>"$SCRATCH/grows.csv"
    wp "$ref" -q ingest "$SCRATCH/grows.csv" || fail "$f: reference append 2"
    want_final=$(runs "$ref")
    # and grown by both at once (nvidia-smi makes one run of the samples an append adds)
    ref=$SCRATCH/$f.ref2.db
    cp "$in/$f.csv" "$SCRATCH/grows.csv"
    wp "$ref" -q ingest "$SCRATCH/grows.csv" || fail "$f: reference 2"
    cp "$in/$f.final.csv" "$SCRATCH/grows.csv"
    wp "$ref" -q ingest "$SCRATCH/grows.csv" || fail "$f: reference 2 append"
    want_once=$(runs "$ref")

    # the log, then a grown copy under another name: only its new lines
    db=$SCRATCH/$f.db
    cp "$in/$f.csv" "$SCRATCH/$f.log.csv"
    wp "$db" -q ingest "$SCRATCH/$f.log.csv" || fail "$f: first ingest"
    wp "$db" ingest "$in/$f.mid.csv" 2>"$SCRATCH/err" || fail "$f: grown copy: $(cat "$SCRATCH/err")"
    grep -q "note: $in/$f.mid.csv: begins with the $lines lines of $SCRATCH/$f.log.csv, ingested on 20[0-9-]*T[0-9:]*Z: their runs are in the database already" "$SCRATCH/err" ||
        fail "$f: message: $(cat "$SCRATCH/err")"
    [ "$(runs "$db")" = "$want_mid" ] || fail "$f: grown copy counted again: $(runs "$db"), want $want_mid"
    # then the log grows in place to more than the copy has: only the lines after the copy's
    cp "$in/$f.final.csv" "$SCRATCH/$f.log.csv"
    wp "$db" ingest "$SCRATCH/$f.log.csv" 2>"$SCRATCH/err" || fail "$f: grown in place: $(cat "$SCRATCH/err")"
    grep -q "note: $SCRATCH/$f.log.csv: begins with the $((lines + $(grep -c . "$in/$f.more1"))) lines of $in/$f.mid.csv" "$SCRATCH/err" ||
        fail "$f: in place: message: $(cat "$SCRATCH/err")"
    [ "$(runs "$db")" = "$want_final" ] || fail "$f: grown in place counted again: $(runs "$db"), want $want_final"
    # ingested again: unchanged, nothing more
    before=$(dbsum "$db")
    wp "$db" -q ingest "$in/$f.mid.csv" "$SCRATCH/$f.log.csv" || fail "$f: again"
    [ "$(dbsum "$db")" = "$before" ] || fail "$f: ingested again changed the database"

    # gzipped with CRLF line ends, it is the same rows
    db=$SCRATCH/$f.gz.db
    wp "$db" -q ingest "$in/$f.csv" || fail "$f gz: first ingest"
    sed 's/$/\r/' "$in/$f.final.csv" | gzip -c >"$in/$f.final.crlf.csv.gz"
    wp "$db" ingest "$in/$f.final.crlf.csv.gz" 2>"$SCRATCH/err" || fail "$f gz: $(cat "$SCRATCH/err")"
    grep -q "begins with the $lines lines of $in/$f.csv" "$SCRATCH/err" || fail "$f gz: message: $(cat "$SCRATCH/err")"
    [ "$(runs "$db")" = "$want_once" ] || fail "$f gz: counted again: $(runs "$db"), want $want_once"
done

# the other order: the log ingested first, a copy of it taken before it grew after it (a
# folder's names in order, a backup beside the log): the copy's rows are all stored, so it
# is skipped, as a copy; read from standard input too.  A copy of the log ingested later
# still, of any length in between, adds nothing either
for f in cc1 zeus smi; do
    in=$SCRATCH/in
    db=$SCRATCH/$f.rev.db
    cp "$in/$f.final.csv" "$SCRATCH/$f.a_log.csv"
    cp "$in/$f.csv" "$SCRATCH/$f.b_backup.csv"
    wp "$db" ingest "$SCRATCH/$f.a_log.csv" "$SCRATCH/$f.b_backup.csv" 2>"$SCRATCH/err" ||
        fail "$f reverse: $(cat "$SCRATCH/err")"
    lines=$(grep -c . "$in/$f.csv")
    all=$(grep -c . "$in/$f.final.csv")
    grep -q "note: $SCRATCH/$f.b_backup.csv: its $lines lines are the first $lines of the $all lines of $SCRATCH/$f.a_log.csv, ingested on .*: skipped (a copy of that log taken before it grew" "$SCRATCH/err" ||
        fail "$f reverse: message: $(cat "$SCRATCH/err")"
    grep -q "1 copy of files ingested before" "$SCRATCH/err" || fail "$f reverse: totals: $(cat "$SCRATCH/err")"
    one=$SCRATCH/$f.one.db
    wp "$one" -q ingest "$in/$f.final.csv" || fail "$f: the log alone"
    [ "$(runs "$db")" = "$(runs "$one")" ] || fail "$f reverse: counted again: $(runs "$db") vs $(runs "$one")"
    before=$(dbsum "$db")
    sed 's/$/\r/' "$in/$f.mid.csv" | wp "$db" ingest - 2>"$SCRATCH/err" || fail "$f reverse stdin: $(cat "$SCRATCH/err")"
    grep -q "note: -: its $((lines + $(grep -c . "$in/$f.more1"))) lines are the first" "$SCRATCH/err" || fail "$f reverse stdin: $(cat "$SCRATCH/err")"
    [ "$(dbsum "$db")" = "$before" ] || fail "$f reverse: stdin changed the database"
done
# the longer log gone from its path: cannot be told, warned, and ingested
db=$SCRATCH/moved.db
cp "$SCRATCH/in/cc1.final.csv" "$SCRATCH/moving.csv"
wp "$db" -q ingest "$SCRATCH/moving.csv" || fail "moved: first"
rm "$SCRATCH/moving.csv"
wp "$db" ingest "$SCRATCH/in/cc1.csv" 2>"$SCRATCH/err" || fail "moved: $(cat "$SCRATCH/err")"
grep -q "warning: $SCRATCH/in/cc1.csv: its first two lines are those of $SCRATCH/moving.csv, which has more lines: if this is a copy of that log taken before it grew, its runs are counted twice; that log could not be read to tell" "$SCRATCH/err" ||
    fail "moved: no warning: $(cat "$SCRATCH/err")"

# a review's cases (each failed before its fix), on a CodeCarbon 1.x log a.csv and b.csv, a
# copy of it with one more row
in=$SCRATCH/rv
mkdir -p "$in"
h=$(head -n 1 "$SCRATCH/in/cc1.csv")
r() { printf '2023-%s,7f045061-94a9-4207-9a65-a32b8c304a72,codecarbon,%s,0.00016,%s,USA,USA,Iowa,Y,gcp,us-central1\n' "$@"; }
{ echo "$h"; r 07-31T17:43:30 7.9 0.00028; r 09-29T13:12:21 11.9 0.00045; } >"$in/a.csv"
{ cat "$in/a.csv"; r 10-30T11:48:34 8.0 0.00027; } >"$in/b.csv"
nruns() { runs "$1" | cut -d' ' -f1; }
# the log ingested as its last line was written (cut), then a copy of it grown since
{ cat "$in/a.csv"; r 10-30T11:48:34 8.0 0.00027 | head -c 30; } >"$in/acut.csv"
wp "$SCRATCH/r1.db" -q ingest "$in/acut.csv" 2>/dev/null || fail "cut: first"
wp "$SCRATCH/r1.db" ingest "$in/b.csv" 2>"$SCRATCH/err" || fail "cut: $(cat "$SCRATCH/err")"
grep -q "begins with the 3 lines of $in/acut.csv" "$SCRATCH/err" || fail "cut: message: $(cat "$SCRATCH/err")"
[ "$(nruns "$SCRATCH/r1.db")" = 3 ] || fail "cut: $(runs "$SCRATCH/r1.db")"
# and a backup taken as the log's last line was written, after the log
wp "$SCRATCH/r1b.db" ingest "$in/b.csv" "$in/acut.csv" 2>"$SCRATCH/err" || fail "cut backup: $(cat "$SCRATCH/err")"
grep -q "note: $in/acut.csv: its 3 lines are the first 3 of the 4 lines of $in/b.csv" "$SCRATCH/err" ||
    fail "cut backup: message: $(cat "$SCRATCH/err")"
[ "$(nruns "$SCRATCH/r1b.db")" = 3 ] || fail "cut backup: $(runs "$SCRATCH/r1b.db")"
# a format read whole (one RAPL run over the log) is not taken for a grown copy
head -n 5 "$FIX/formats/rapl/long.csv" >"$in/ra.csv"
cp "$FIX/formats/rapl/long.csv" "$in/rb.csv"
wp "$SCRATCH/r2.db" -q ingest "$in/ra.csv" || fail "rapl: first"
wp "$SCRATCH/r2.db" ingest "$in/rb.csv" 2>"$SCRATCH/err" || fail "rapl: $(cat "$SCRATCH/err")"
grep -q "begins with" "$SCRATCH/err" && fail "rapl: said to read only new lines: $(cat "$SCRATCH/err")"
# a FIFO is read once, never waited on again, and warned about like standard input
mkfifo "$in/ff"
wp "$SCRATCH/r3.db" -q ingest "$in/a.csv" || fail "fifo: first"
cat "$in/b.csv" >"$in/ff" &
timeout 60 "$WP" --db "$SCRATCH/r3.db" ingest "$in/ff" 2>"$SCRATCH/err"; rc=$?
wait
[ $rc -eq 0 ] || fail "fifo: exit $rc: $(cat "$SCRATCH/err")"
grep -q "warning: $in/ff: its first two lines are those of $in/a.csv: if it is that log grown" "$SCRATCH/err" ||
    fail "fifo: no warning: $(cat "$SCRATCH/err")"
# many logs with the same first two lines do not hide the one a file grew from
mkdir -p "$in/m"
for i in $(seq 10 29); do
    { echo "$h"; r 07-31T17:43:30 7.9 0.00028; r "08-$((i - 9))T00:00:00" 1 "0.0$i"; } >"$in/m/m$i.csv"
done
wp "$SCRATCH/r4.db" -q ingest "$in/m" "$in/a.csv" || fail "many: first"
wp "$SCRATCH/r4.db" ingest "$in/b.csv" 2>"$SCRATCH/err" || fail "many: $(cat "$SCRATCH/err")"
grep -q "begins with the 3 lines of $in/a.csv" "$SCRATCH/err" || fail "many: $(cat "$SCRATCH/err")"
[ "$(nruns "$SCRATCH/r4.db")" = 43 ] || fail "many: $(runs "$SCRATCH/r4.db")"
# the lines before the grown part are not parsed: no message of theirs, a bad row in them
# (kept aside when the log was ingested with --skip-bad-rows) is not met again
{ echo "$h"; r 07-31T17:43:30 7.9 0.00028; r 08-01T00:00:00 1 ""; r 09-29T13:12:21 11.9 0.00045; } >"$in/ne.csv"
{ cat "$in/ne.csv"; r 10-30T11:48:34 8.0 ""; } >"$in/ne2.csv"
wp "$SCRATCH/r6.db" -q ingest "$in/ne.csv" 2>/dev/null || fail "messages: first"
wp "$SCRATCH/r6.db" ingest "$in/ne2.csv" 2>"$SCRATCH/err" || fail "messages: $(cat "$SCRATCH/err")"
grep -q "ne2.csv:3:" "$SCRATCH/err" && fail "messages: a line stored before is parsed again: $(cat "$SCRATCH/err")"
grep -q "ne2.csv:5:" "$SCRATCH/err" || fail "messages: the new line's: $(cat "$SCRATCH/err")"
{ echo "$h"; r 07-31T17:43:30 7.9 0.00028; echo bad,row; r 09-29T13:12:21 11.9 0.00045; } >"$in/d.csv"
{ cat "$in/d.csv"; r 10-30T11:48:34 8.0 0.00027; } >"$in/e.csv"
wp "$SCRATCH/r7.db" -q ingest --skip-bad-rows "$in/d.csv" 2>/dev/null || fail "bad row: first"
wp "$SCRATCH/r7.db" ingest "$in/e.csv" 2>"$SCRATCH/err" || fail "bad row in the stored part: $(cat "$SCRATCH/err")"
[ "$(nruns "$SCRATCH/r7.db")" = 3 ] || fail "bad row: $(runs "$SCRATCH/r7.db")"

# a second review's cases (each failed before its fix): the longer log's path holds
# another log now (written anew): warned, as when it is gone
mk() { { echo "$h"; for i in $(seq 1 "$2"); do r "01-0${3:-1}T10:$(printf %02d "$i"):00" "$i" "0.00$i"; done; } >"$1"; }
d=$SCRATCH/rv2
mkdir -p "$d"
mk "$d/X.csv" 5
head -n 4 "$d/X.csv" >"$d/bak.csv"
wp "$d/t.db" -q ingest "$d/X.csv" || fail "anew: first"
mk "$d/X.csv" 3 7
wp "$d/t.db" ingest "$d/bak.csv" 2>"$SCRATCH/err" || fail "anew: $(cat "$SCRATCH/err")"
grep -q "warning: $d/bak.csv: its first two lines are those of $d/X.csv, which has more lines" "$SCRATCH/err" ||
    fail "anew: no warning: $(cat "$SCRATCH/err")"
# nine look-alike logs and the log: the longest read first, the log itself here
{ echo "$h"; r 01-01T00:00:00 1 0.001; for i in $(seq 1 18); do r "01-02T00:00:$(printf %02d "$i")" 1 0.002; done; } >"$d/L.csv"
for k in $(seq 1 9); do
    { echo "$h"; r 01-01T00:00:00 1 0.001; for i in $(seq 1 $((k + 1))); do r "0$k-05T00:00:$(printf %02d "$i")" 1 0.003; done; } >"$d/look$k.csv"
done
wp "$d/l.db" -q ingest "$d/L.csv" "$d"/look*.csv || fail "look-alikes: first"
head -n 3 "$d/L.csv" >"$d/Y.csv"
wp "$d/l.db" ingest "$d/Y.csv" 2>"$SCRATCH/err" || fail "look-alikes: $(cat "$SCRATCH/err")"
grep -q "note: $d/Y.csv: its 3 lines are the first 3 of the 20 lines of $d/L.csv" "$SCRATCH/err" ||
    fail "look-alikes: $(cat "$SCRATCH/err")"
# --replace with content that is an earlier copy of another log: the path's runs go
mk "$d/L2.csv" 6
mk "$d/X2.csv" 5 9
wp "$d/r.db" -q ingest "$d/L2.csv" "$d/X2.csv" || fail "replace: first"
head -n 4 "$d/L2.csv" >"$d/X2.csv"
wp "$d/r.db" ingest --replace "$d/X2.csv" 2>"$SCRATCH/err" || fail "replace: $(cat "$SCRATCH/err")"
grep -q "replaced the earlier version (5 measurements removed)" "$SCRATCH/err" || fail "replace: $(cat "$SCRATCH/err")"
[ "$(nruns "$d/r.db")" = 6 ] || fail "replace: $(runs "$d/r.db")"
# a backup cut mid-write, of a log cut mid-write: its complete lines counted in the message
mk "$d/full.csv" 7
{ head -n 6 "$d/full.csv"; sed -n 7p "$d/full.csv" | head -c 40; } >"$d/X3.csv"
{ head -n 5 "$d/full.csv"; sed -n 6p "$d/full.csv" | head -c 30; } >"$d/b3.csv"
wp "$d/c.db" -q ingest "$d/X3.csv" 2>/dev/null || fail "cut both: first"
wp "$d/c.db" ingest "$d/b3.csv" 2>"$SCRATCH/err" || fail "cut both: $(cat "$SCRATCH/err")"
grep -q "note: $d/b3.csv: its 5 lines are the first 5 of the 6 lines of $d/X3.csv" "$SCRATCH/err" ||
    fail "cut both: $(cat "$SCRATCH/err")"

# a third review's cases (each failed before its fix)
d=$SCRATCH/rv3
mkdir -p "$d"
mk "$d/X.csv" 4
# a copy whose last line is complete, without a newline, and not the log's: all its rows
# are stored (nothing taken for a line cut mid-write)
wp "$d/1.db" -q ingest "$d/X.csv" || fail "no newline: first"
{ head -n 4 "$d/X.csv"; r 05-05T00:00:00 5 0.005 | tr -d '\n'; } >"$d/F.csv"
wp "$d/1.db" ingest "$d/F.csv" 2>"$SCRATCH/err" || fail "no newline: $(cat "$SCRATCH/err")"
grep -q "skipped (a copy" "$SCRATCH/err" && fail "no newline: a complete row dropped: $(cat "$SCRATCH/err")"
[ "$(nruns "$d/1.db")" = 8 ] || fail "no newline: $(runs "$d/1.db")"
# a backup cut mid-write, read from standard input: skipped as a copy
{ head -n 4 "$d/X.csv"; sed -n 5p "$d/X.csv" | head -c 40; } >"$d/B.csv"
wp "$d/2.db" -q ingest "$d/X.csv" || fail "stdin cut: first"
wp "$d/2.db" ingest - <"$d/B.csv" 2>"$SCRATCH/err" || fail "stdin cut: $(cat "$SCRATCH/err")"
grep -q "note: -: its 4 lines are the first 4 of the 5 lines of $d/X.csv" "$SCRATCH/err" || fail "stdin cut: $(cat "$SCRATCH/err")"
[ "$(nruns "$d/2.db")" = 4 ] || fail "stdin cut: $(runs "$d/2.db")"
# the longer log written anew with the same first two lines: warned
mk "$d/Y.csv" 4
wp "$d/3.db" -q ingest "$d/Y.csv" || fail "anew 2: first"
head -n 3 "$d/Y.csv" >"$d/BY.csv"
{ head -n 2 "$d/Y.csv"; r 07-07T00:00:00 1 0.1; r 07-08T00:00:00 1 0.1; } >"$d/Y.csv"
wp "$d/3.db" ingest "$d/BY.csv" 2>"$SCRATCH/err" || fail "anew 2: $(cat "$SCRATCH/err")"
grep -q "warning: $d/BY.csv: its first two lines are those of $d/Y.csv" "$SCRATCH/err" || fail "anew 2: $(cat "$SCRATCH/err")"
# a copy found after its parse (a RAPL log, read whole), given with --replace: its path's
# earlier runs go
cp "$FIX/formats/rapl/long.csv" "$d/rb.csv"
cp "$FIX/formats/rapl/wide.csv" "$d/P.csv"
wp "$d/5.db" -q ingest "$d/rb.csv" "$d/P.csv" || fail "replace after: first"
head -n 5 "$d/rb.csv" >"$d/P.csv"
wp "$d/5.db" ingest --replace "$d/P.csv" 2>"$SCRATCH/err" || fail "replace after: $(cat "$SCRATCH/err")"
grep -q "replaced the earlier version (1 measurements removed)" "$SCRATCH/err" || fail "replace after: $(cat "$SCRATCH/err")"
[ "$(nruns "$d/5.db")" = 1 ] || fail "replace after: $(runs "$d/5.db")"
# one log stored at twelve lengths is read once: a look-alike is told apart, no warning
cp "$d/X.csv" "$d/L.csv"
for i in $(seq 1 11); do
    r "02-01T00:00:$(printf %02d "$i")" 1 0.001 >>"$d/L.csv"
    wp "$d/6.db" -q ingest "$d/L.csv" || fail "twelve: $i"
done
{ head -n 2 "$d/L.csv"; r 03-03T00:00:00 1 0.001; } >"$d/look.csv"
wp "$d/6.db" ingest "$d/look.csv" 2>"$SCRATCH/err" || fail "twelve: $(cat "$SCRATCH/err")"
grep -q "warning" "$SCRATCH/err" && fail "twelve: $(cat "$SCRATCH/err")"

# the same first two lines, other rows after them: not a grown copy, every row counted
db=$SCRATCH/other.db
wp "$db" -q ingest "$SCRATCH/in/cc1.mid.csv" || fail "other: first"
{ head -n 2 "$SCRATCH/in/cc1.csv"; cat "$SCRATCH/in/cc1.more2" "$SCRATCH/in/cc1.more1"; } >"$SCRATCH/in/cc1.other.csv"
wp "$db" ingest "$SCRATCH/in/cc1.other.csv" 2>"$SCRATCH/err" || fail "other: $(cat "$SCRATCH/err")"
grep -q "begins with" "$SCRATCH/err" && fail "other rows taken for a grown copy: $(cat "$SCRATCH/err")"
[ "$(runs "$db" | cut -d' ' -f1)" = 6 ] || fail "other: $(runs "$db")"

# standard input cannot be read again: warned, not skipped
db=$SCRATCH/stdin.db
wp "$db" -q ingest "$SCRATCH/in/cc1.csv" || fail "stdin: first"
wp "$db" ingest - <"$SCRATCH/in/cc1.mid.csv" 2>"$SCRATCH/err" || fail "stdin: $(cat "$SCRATCH/err")"
grep -q "warning: -: its first two lines are those of $SCRATCH/in/cc1.csv: if it is that log grown" "$SCRATCH/err" ||
    fail "stdin: no warning: $(cat "$SCRATCH/err")"

# rows that name their run's uid (CodeCarbon 2+) join their runs wherever they are read: a
# grown copy of such a log adds its new run, the others "already in the database", and no
# head is kept for such a log
db=$SCRATCH/uid.db
cat >"$SCRATCH/in/cc2.csv" <<'CSV'
timestamp,project_name,run_id,duration,emissions,energy_consumed
2024-03-01T10:00:00,p,0b2f4a8e-1d1c-4b7e-9a55-3f7d2c1e9a01,10.0,0.0001,0.0002
2024-03-01T11:00:00,p,5c9e7b21-6a3d-4f0e-8b1c-7e2d9f4a6b02,12.0,0.0001,0.0003
CSV
{ cat "$SCRATCH/in/cc2.csv"; echo "2024-03-01T12:00:00,p,9d1a3c5e-7b2f-4e6a-8c0d-1f3e5a7c9b03,11.0,0.0001,0.00025"; } >"$SCRATCH/in/cc2.grown.csv"
wp "$db" -q ingest "$SCRATCH/in/cc2.csv" || fail "uid: first"
wp "$db" ingest "$SCRATCH/in/cc2.grown.csv" 2>"$SCRATCH/err" || fail "uid: grown: $(cat "$SCRATCH/err")"
grep -q "note: $SCRATCH/in/cc2.grown.csv: 2 rows were already in the database" "$SCRATCH/err" || fail "uid: $(cat "$SCRATCH/err")"
[ "$(runs "$db" | cut -d' ' -f1)" = 3 ] || fail "uid: $(runs "$db")"
[ "$(sqlite3 "$db" "SELECT count(*) FROM file_version WHERE head_sum IS NULL AND rows_count IS NULL")" = 2 ] ||
    fail "uid: a head kept for a log whose rows name their runs"

# the first file's version holds its rows count and head hash; the grown copy's too
n=$(sqlite3 "$SCRATCH/cc1.db" "SELECT count(*) FROM file_version WHERE rows_count IS NOT NULL AND length(head_sum) = 64")
[ "$n" = 3 ] || fail "rows count and head on the versions: $n"

# PostgreSQL: the same rule
. "$TOP/tests/pg/server"
pg_server_start || fail "cannot start a PostgreSQL server"
pg=$WP_PG_URI
wp "$pg" -q ingest "$SCRATCH/in/zeus.csv" || fail "pg: ingest"
wp "$pg" ingest "$SCRATCH/in/zeus.mid.csv" 2>"$SCRATCH/err" || fail "pg: grown copy: $(cat "$SCRATCH/err")"
grep -q "begins with the 4 lines of $SCRATCH/in/zeus.csv" "$SCRATCH/err" || fail "pg: message: $(cat "$SCRATCH/err")"
wp "$pg" ingest "$SCRATCH/in/zeus.final.crlf.csv.gz" 2>"$SCRATCH/err" || fail "pg: gz: $(cat "$SCRATCH/err")"
grep -q "begins with the 5 lines of $SCRATCH/in/zeus.mid.csv" "$SCRATCH/err" || fail "pg: gz message: $(cat "$SCRATCH/err")"
[ "$(runs "$pg")" = "$(runs "$SCRATCH/zeus.ref.db")" ] || fail "pg: counted again: $(runs "$pg") vs $(runs "$SCRATCH/zeus.ref.db")"
# push carries each version's rows count and head: a grown copy of a pushed log is found
pg_psql postgres -c "CREATE DATABASE pushed" >/dev/null || fail "create pushed"
pushed=postgresql:///pushed
wp "$SCRATCH/cc1.gz.db" -q push --to "$pushed" || fail "push"
n=$(pg_psql pushed -At -c "SELECT count(*) FROM file_version WHERE rows_count = 3 AND length(head_sum) = 64")
[ "$n" = 1 ] || fail "push: rows count and head: $n"
before=$(runs "$pushed")
{ cat "$SCRATCH/in/cc1.final.csv"; sed 's/^2023-11-02/2023-12-24/' "$SCRATCH/in/cc1.more2"; } >"$SCRATCH/in/cc1.later.csv"
wp "$pushed" ingest "$SCRATCH/in/cc1.later.csv" 2>"$SCRATCH/err" || fail "pushed: $(cat "$SCRATCH/err")"
grep -q "begins with the 5 lines of $SCRATCH/in/cc1.final.crlf.csv.gz" "$SCRATCH/err" || fail "pushed: message: $(cat "$SCRATCH/err")"
[ "$(runs "$pushed" | cut -d' ' -f1)" = $(( ${before%% *} + 1 )) ] || fail "pushed: counted again: $(runs "$pushed") vs $before"
echo "ok grown_copies"
