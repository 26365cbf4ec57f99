# The PostgreSQL backend against a throwaway server (tests/pg/server): the same inputs give
# byte-identical outputs on a SQLite file and on the server (summary, stats, runs,
# rejected, a chart, a report); the two schemas have the same tables and columns; an old
# server database upgrades in place; re-ingest changes nothing; 4 concurrent writers and
# a reader lose and double nothing; two writers of one file store it once; a killed ingest
# leaves nothing of its file; passwords never reach a message or a report.  A machine
# without a PostgreSQL server fails here: it is not skipped.
. "$(dirname "$0")/lib.bash"
. "$TOP/tests/pg/server"
pg_server_start || fail "cannot start a PostgreSQL server"
pg=$WP_PG_URI
sq=$SCRATCH/a.db
q() { pg_psql wattprint -At -c "$1"; }
# every row of every table, in no physical order (an UPDATE moves a row); without the
# dump's comments and its per-dump random \\restrict key
pgsum() { "$PG_BIN/pg_dump" -h "$PGSOCK" -U postgres -a "$1" | grep -v '^--\|^\\' | LC_ALL=C sort | sha256sum; }

# ---- schema: migrate, the same tables and columns as SQLite, an old database upgrades
wp "$pg" migrate 2>"$SCRATCH/err" || fail "migrate: $(cat "$SCRATCH/err")"
latest=$(ls "$TOP"/schema/[0-9][0-9][0-9]_*.sql | wc -l)
grep -q "(postgresql): schema version 0 -> $latest" "$SCRATCH/err" || fail "migrate said: $(cat "$SCRATCH/err")"
wp "$pg" migrate 2>"$SCRATCH/err" || fail "migrate again"
grep -q "schema version $latest, up to date" "$SCRATCH/err" || fail "migrate again said: $(cat "$SCRATCH/err")"
wp "$sq" -q migrate || fail "migrate a file"
sqlite3 "$sq" "SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
               WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%'" |
    LC_ALL=C sort > "$SCRATCH/cols.sqlite"
q "SELECT table_name || '.' || column_name FROM information_schema.columns
   WHERE table_schema = 'public'" | LC_ALL=C sort > "$SCRATCH/cols.pg"
[ "$(wc -l < "$SCRATCH/cols.pg")" -gt 100 ] || fail "too few columns on the server"
diff "$SCRATCH/cols.sqlite" "$SCRATCH/cols.pg" >&2 || fail "the schemas differ in tables or columns"
pg_psql postgres -c "CREATE DATABASE old" > /dev/null || fail "create old"
pg_psql old -c "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)" \
    -f "$TOP/schema/pg/001_init.sql" \
    -c "INSERT INTO schema_migrations VALUES (1, 'init', '2026-01-01T00:00:00Z');
        INSERT INTO source_file VALUES (1, 'old.csv', 'old.csv', 'codecarbon', 'x', 1, 1, 'x', 0, 0, '2026-01-01T00:00:00Z');
        INSERT INTO run (id, uid) VALUES (1, NULL);
        INSERT INTO measurement (id, run_id, source_file_id, line, energy_j) VALUES (1, 1, 1, 2, 3600000);" \
    > /dev/null || fail "set up an old database"
wp "postgresql:///old" migrate 2>"$SCRATCH/err" || fail "upgrade: $(cat "$SCRATCH/err")"
grep -q "schema version 1 -> $latest" "$SCRATCH/err" || fail "upgrade said: $(cat "$SCRATCH/err")"
wp "postgresql:///old" runs --format csv > "$SCRATCH/old.runs" || fail "read the upgraded database"
grep -q "^1,.*old.csv,2,,,1," "$SCRATCH/old.runs" || fail "old data kept: $(cat "$SCRATCH/old.runs")"

# ---- the same inputs, the same bytes
for db in "$sq" "$pg"; do
    wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest synth into $db"
    wp "$db" -q ingest --manifest "$FIX/formats/manifest.csv" "$FIX/formats" 2>/dev/null ||
        fail "ingest formats into $db"
    wp "$db" -q ingest --skip-bad-rows "$FIX/bad/bad_nonnumber_energy.csv" || fail "skip-bad-rows into $db"
done
[ "$(q "SELECT COUNT(*) FROM rejected_line")" = 1 ] || fail "one rejected line on the server"
for c in "summary --format csv" "stats --format csv" "runs --format csv" "rejected --format csv" \
         "runs --unlabeled --format csv" "runs --phase query%model --format csv" "summary --format json" \
         "export boamps --model gpt2 --task text_generation" "-q export sci --format csv" \
         "export spdx --model gpt2" "stats --measured-only --format csv"; do
    # shellcheck disable=SC2086
    args=$(echo $c | tr % ' ')
    n=$(echo "$c" | tr ' %' '__')
    IFS=' ' read -r -a argv <<< "$c"
    for i in "${!argv[@]}"; do argv[$i]=${argv[$i]//%/ }; done
    wp "$sq" "${argv[@]}" > "$SCRATCH/sq.$n" || fail "sqlite: $args"
    wp "$pg" "${argv[@]}" > "$SCRATCH/pg.$n" 2>"$SCRATCH/err" || fail "postgresql: $args: $(cat "$SCRATCH/err")"
    [ "$(wc -l < "$SCRATCH/sq.$n")" -gt 1 ] || [ "$n" = runs_--unlabeled_--format_csv ] || fail "$args: no rows"
    cmp "$SCRATCH/sq.$n" "$SCRATCH/pg.$n" || { diff "$SCRATCH/sq.$n" "$SCRATCH/pg.$n" | head -5 >&2; fail "$args differs"; }
done
[ "$(tail -n +2 "$SCRATCH/sq.runs_--format_csv" | wc -l)" -gt 543 ] || fail "too few runs compared"
# measured or modelled (schema 006): every measurement's marks the same on both backends,
# CodeCarbon's RAM among them; the report's sentences from the store's one summary query
t="SELECT sf.name, m.line, m.phase, m.cpu_basis, m.gpu_basis, m.ram_basis FROM measurement m JOIN source_file sf ON sf.id = m.source_file_id"
sqlite3 -separator '|' "$sq" "$t" | LC_ALL=C sort > "$SCRATCH/marks.sq"
q "$t" | LC_ALL=C sort > "$SCRATCH/marks.pg"
grep -q '|modelled:ram$' "$SCRATCH/marks.pg" || fail "no modelled RAM on the server"
cmp -s "$SCRATCH/marks.sq" "$SCRATCH/marks.pg" || { diff "$SCRATCH/marks.sq" "$SCRATCH/marks.pg" | head -5 >&2; fail "marks differ"; }
# (the reports' sentences on what is measured: checked in the reports below)
# a filter that matches nothing: the same message on both backends (labels read through the
# store's one SQL text per kind)
for f in "--task text_clasification" "--phase query" "--where colour=blue" "--where purpose=multi"; do
    # shellcheck disable=SC2086
    for db in "$sq" "$pg"; do wp "$db" stats $f > /dev/null 2> "$SCRATCH/f.$(basename "$db")" && fail "$f: exit 0"; done
    cmp "$SCRATCH/f.$(basename "$sq")" "$SCRATCH/f.$(basename "$pg")" || fail "$f: messages differ"
    grep -q 'matches nothing' "$SCRATCH/f.$(basename "$pg")" || fail "$f: $(cat "$SCRATCH/f.$(basename "$pg")")"
done
for k in tasks models components; do
    wp "$sq" chart "$k" -o "$SCRATCH/sq.$k.png" || fail "sqlite chart $k"
    wp "$pg" chart "$k" -o "$SCRATCH/pg.$k.png" || fail "postgresql chart $k"
    cmp "$SCRATCH/sq.$k.png" "$SCRATCH/pg.$k.png" || fail "chart $k differs"
done
wp "$sq" chart tasks -o "$SCRATCH/sq.tasks.pdf" && wp "$pg" chart tasks -o "$SCRATCH/pg.tasks.pdf" || fail "chart pdf"
cmp "$SCRATCH/sq.tasks.pdf" "$SCRATCH/pg.tasks.pdf" || fail "chart pdf differs"
# The report quotes its command line, --db included: every page but that one is the same
# image, and the text is the same once the --db value is the same.  Its provenance says
# when each file was ingested, which differs between the two ingests by the clock: both
# are set to one time first.
sqlite3 "$sq" "UPDATE source_file SET ingested_at = '2026-01-02T03:04:05Z'" || fail "sqlite time"
q "UPDATE source_file SET ingested_at = '2026-01-02T03:04:05Z'" > /dev/null || fail "server time"
wp "$sq" -q report -o "$SCRATCH/r.pdf" --organisation "Test Lab" || fail "sqlite report"
mv "$SCRATCH/r.pdf" "$SCRATCH/sq.pdf"
wp "$pg" -q report -o "$SCRATCH/r.pdf" --organisation "Test Lab" || fail "postgresql report"
mv "$SCRATCH/r.pdf" "$SCRATCH/pg.pdf"
pdftotext "$SCRATCH/sq.pdf" - > "$SCRATCH/sq.txt" && pdftotext "$SCRATCH/pg.pdf" - > "$SCRATCH/pg.txt" ||
    fail "pdftotext"
[ "$(wc -l < "$SCRATCH/sq.txt")" -gt 100 ] || fail "report text too short"
for b in sq pg; do
    tr '\n' ' ' < "$SCRATCH/$b.txt" | grep -o "Measured or modelled\. [^.]*\." > "$SCRATCH/basis.$b.txt"
done
grep -q "RAM energy is modelled" "$SCRATCH/basis.pg.txt" || fail "the server's report: $(cat "$SCRATCH/basis.pg.txt")"
cmp -s "$SCRATCH/basis.sq.txt" "$SCRATCH/basis.pg.txt" || fail "the backends' reports differ on what is modelled"
# the command line wraps where the --db value ends: compare without line breaks
tr -d ' \n' < "$SCRATCH/sq.txt" | sed "s|$sq|DB|" > "$SCRATCH/sq.flat"
tr -d ' \n' < "$SCRATCH/pg.txt" | sed "s|$pg|DB|" > "$SCRATCH/pg.flat"
cmp -s "$SCRATCH/sq.flat" "$SCRATCH/pg.flat" || diff "$SCRATCH/sq.txt" "$SCRATCH/pg.txt" >&2
cmp -s "$SCRATCH/sq.flat" "$SCRATCH/pg.flat" || fail "the reports' text differs"
if under_asan; then
    skipped_asan "pg: pdftoppm of the two reports, page by page (make test renders them)"
else
    pdftoppm -r 30 -png "$SCRATCH/sq.pdf" "$SCRATCH/sqp" && pdftoppm -r 30 -png "$SCRATCH/pg.pdf" "$SCRATCH/pgp" ||
        fail "render the reports"
    pages=0 differ=0
    for p in "$SCRATCH"/sqp-*.png; do
        pages=$((pages + 1))
        cmp -s "$p" "$SCRATCH/pgp-${p##*/sqp-}" || differ=$((differ + 1))
    done
    [ "$pages" -gt 3 ] && [ "$differ" -le 1 ] || fail "$differ of $pages report pages differ (1 allowed: the command line)"
fi
wp "$sq" -q xlsx -o "$SCRATCH/sq.xlsx" && wp "$pg" -q xlsx -o "$SCRATCH/pg.xlsx" || fail "xlsx"
# the two workbooks hold the same cells, part for part (each names its own database and
# output in the command line it records)
for n in sq pg; do
    mkdir -p "$SCRATCH/xl.$n" && unzip -q -o "$SCRATCH/$n.xlsx" -d "$SCRATCH/xl.$n" || fail "unzip $n.xlsx"
done
db_of() { if [ "$1" = sq ]; then echo "$sq"; else echo "$pg"; fi; }
for f in $(cd "$SCRATCH/xl.sq" && find . -type f | LC_ALL=C sort); do
    [ -f "$SCRATCH/xl.pg/$f" ] || fail "the server's workbook has no $f"
    for n in sq pg; do
        sed "s|$(db_of $n)|DB|g; s|$SCRATCH/$n.xlsx|OUT|g" "$SCRATCH/xl.$n/$f" >"$SCRATCH/xl.$n.part"
    done
    cmp -s "$SCRATCH/xl.sq.part" "$SCRATCH/xl.pg.part" ||
        { diff "$SCRATCH/xl.sq.part" "$SCRATCH/xl.pg.part" | head -c 2000 >&2; fail "the workbooks differ in $f"; }
done
wp "$sq" -q card --all -o "$SCRATCH/cards.sq/" || fail "sqlite cards"
wp "$pg" -q card --all -o "$SCRATCH/cards.pg/" 2>"$SCRATCH/err" || fail "cards: $(cat "$SCRATCH/err")"
[ "$(ls "$SCRATCH/cards.pg" | grep -c '\.md$')" -ge 5 ] || fail "too few model cards from the server"
diff -r "$SCRATCH/cards.sq" "$SCRATCH/cards.pg" >&2 || fail "the model cards differ"

# batch: every JSON, LaTeX, SVG and Markdown output the same bytes.  Under ASan the
# server's batch only: its bytes are the plain run's to compare, and the SQLite batch is
# batch.sh's (the same case on the other backend)
for n in sq pg; do
    sed "s|output: out/batch|output: $SCRATCH/batch.$n|" "$FIX/batch.yaml" > "$SCRATCH/spec.$n.yaml"
done
wp "$pg" -q batch "$SCRATCH/spec.pg.yaml" 2>"$SCRATCH/err" || fail "batch: $(cat "$SCRATCH/err")"
if under_asan; then
    reduced_asan "pg: the batch on the server only, 1 of the 2 backends (make test compares the two)"
    nb=$(cd "$SCRATCH/batch.pg" && find . -name '*.json' -o -name '*.tex' -o -name '*.svg' -o -name '*.md' | wc -l)
else
    wp "$sq" -q batch "$SCRATCH/spec.sq.yaml" || fail "sqlite batch"
    nb=0
    for f in $(cd "$SCRATCH/batch.sq" && find . -name '*.json' -o -name '*.tex' -o -name '*.svg' -o -name '*.md'); do
        nb=$((nb + 1))
        cmp -s "$SCRATCH/batch.sq/$f" "$SCRATCH/batch.pg/$f" || fail "batch output $f differs"
    done
fi
[ "$nb" -ge 40 ] || fail "only $nb batch outputs ($(under_asan && echo written || echo compared))"

# ---- COPY's encoding: text it must escape (tab, backslash, newline, CR, quotes, "\N",
# "\.", non-ASCII), empty text beside NULL, extreme doubles (the largest and smallest that
# ingest reads, 1e+-60 with 17 digits, -0) read back to the same bits; duplicates and conflicts within one batch and
# against rows sent in an earlier batch or file; the same counts said on both backends
pg_psql postgres -c "CREATE DATABASE enc" > /dev/null || fail "create enc"
cc -O2 -o "$SCRATCH/gen" "$TOP/bench/gen.c" || fail "build the generator"
enc=postgresql:///enc
esq=$SCRATCH/enc.db
sed 's/^2023-09-08T13:29:05,/2023-09-08T13:29:06,/' "$FIX/pg/copy_escapes.csv" > "$SCRATCH/copy2.csv"
"$SCRATCH/gen" 5000 3 "$SCRATCH/g5k.csv" || fail "generate"
# from row 3000 on, other durations: the same run ids with other values (conflicts)
awk -F, -v OFS=, 'NR >= 3000 { $4 = $4 "1" } { print }' "$SCRATCH/g5k.csv" > "$SCRATCH/g5k-copy.csv"
for b in sq pg; do
    [ "$b" = sq ] && db=$esq || db=$enc
    for f in "$FIX/pg/copy_escapes.csv" "$SCRATCH/copy2.csv" "$SCRATCH/g5k.csv" "$SCRATCH/g5k-copy.csv"; do
        "$WP" --db "$db" ingest --inferences 1000 --model $'mod\tel "q" \\ é' --task $'task\nx' \
            --dataset 'ds\N' "$f" 2>>"$SCRATCH/enc.err.$b" || fail "$b: ingest $f: $(tail -2 "$SCRATCH/enc.err.$b")"
    done
    for c in "runs --format csv" "summary --format csv" "stats --format csv" "runs --format json"; do
        # shellcheck disable=SC2086
        wp "$db" $c > "$SCRATCH/enc.$b.${c// /_}" 2>/dev/null || fail "$b: $c"
    done
done
for c in "runs --format csv" "summary --format csv" "stats --format csv" "runs --format json"; do
    cmp "$SCRATCH/enc.sq.${c// /_}" "$SCRATCH/enc.pg.${c// /_}" ||
        { diff "$SCRATCH/enc.sq.${c// /_}" "$SCRATCH/enc.pg.${c// /_}" | head -6 >&2; fail "escapes: $c differs"; }
done
cmp "$SCRATCH/enc.err.sq" "$SCRATCH/enc.err.pg" ||
    { diff "$SCRATCH/enc.err.sq" "$SCRATCH/enc.err.pg" >&2; fail "escapes: the messages differ"; }
grep -q 'copy2.csv: 3 rows were already in the database' "$SCRATCH/enc.err.pg" || fail "copy2: $(cat "$SCRATCH/enc.err.pg")"
grep -q 'g5k-copy.csv: 4975 rows were already in the database' "$SCRATCH/enc.err.pg" || fail "g5k-copy: $(cat "$SCRATCH/enc.err.pg")"
grep -q '9.9999999999999997e-61,9.9999999999999997e-61,0,0,' "$SCRATCH/enc.pg.runs_--format_csv" || fail "extreme doubles: $(cat "$SCRATCH/enc.pg.runs_--format_csv")"
grep -q '1.7976931348623158e+59' "$SCRATCH/enc.pg.runs_--format_csv" || fail "the largest double"
[ "$(tail -n +2 "$SCRATCH/enc.pg.runs_--format_csv" | grep -c 'g5k')" -eq 5025 ] || fail "too few generated runs"
# what no output shows: every stored text and its NULL-ness, byte for byte
for t in "measurement:run_label,project_name,experiment_label,started_at,tracking_mode,phase" \
         "measurement_extra:measurement_id,key,value" "hardware:cpu_model,gpu_model,os,python_version" \
         "location:country_name,country_iso_code,region,cloud_provider,cloud_region,on_cloud" \
         "model:name" "task:name" "dataset:name" "run:uid"; do
    tab=${t%%:*} sqc="" pgc=""
    for c in $(echo "${t#*:}" | tr , ' '); do
        sqc="$sqc${sqc:+ || '|' || }CASE WHEN $c IS NULL THEN 'NULL' ELSE hex($c) END"  # hex(NULL) is ''
        pgc="$pgc${pgc:+ || '|' || }coalesce(upper(encode(convert_to($c::text, 'UTF8'), 'hex')), 'NULL')"
    done
    ord=id
    [ "$tab" = measurement_extra ] && ord="measurement_id, key"
    sqlite3 "$esq" "SELECT $sqc FROM $tab ORDER BY $ord" > "$SCRATCH/hex.sq" || fail "sqlite $tab"
    pg_psql enc -At -c "SELECT $pgc FROM $tab ORDER BY $ord" > "$SCRATCH/hex.pg" 2>&1 ||
        { cat "$SCRATCH/hex.pg" >&2; fail "server $tab"; }
    [ "$tab" = run ] || [ "$tab" = measurement ] || [ -s "$SCRATCH/hex.sq" ] || fail "no rows in $tab"
    cmp -s "$SCRATCH/hex.sq" "$SCRATCH/hex.pg" || { diff "$SCRATCH/hex.sq" "$SCRATCH/hex.pg" | head -4 >&2; fail "$tab: stored text differs"; }
done

# ---- re-ingest changes nothing (as fixtures.sh on a file: a manifest re-applied after
# another manifest renumbers its rules on both backends, so a database of its own)
pg_psql postgres -c "CREATE DATABASE re" > /dev/null || fail "create re"
wp "postgresql:///re" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest re"
before=$(pgsum re)
wp "postgresql:///re" ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" 2>"$SCRATCH/err" || fail "re-ingest"
grep -q "58 files ingested (58 unchanged" "$SCRATCH/err" || fail "re-ingest not unchanged: $(tail -1 "$SCRATCH/err")"
[ "$(pgsum re)" = "$before" ] || fail "re-ingest changed the server's data"

# ---- a new version of a file: refused, then --replace, the same on both (the copy's last
# row differs from the fixture's, so that it is a file of its own)
mkdir -p "$SCRATCH/rev"
sed '$ s/^\([^,]*\),\([^,]*\),\([^,]*\),[^,]*,/\1,\2,\3,7.5,/' \
    "$FIX/synth/complete/extractive_qa__squad.csv" > "$SCRATCH/rev/e.csv"   # its duration
for db in "$sq" "$pg"; do
    wp "$db" -q ingest "$SCRATCH/rev/e.csv" 2>/dev/null || fail "rev into $db"
done
sed -i '$ s/^\([^,]*\),\([^,]*\),\([^,]*\),[^,]*,/\1,\2,\3,9.5,/' "$SCRATCH/rev/e.csv"
for b in sq pg; do
    [ "$b" = sq ] && db=$sq || db=$pg
    "$WP" --db "$db" -q ingest "$SCRATCH/rev/e.csv" 2>/dev/null && fail "a changed file accepted by $b"
    wp "$db" -q ingest --replace "$SCRATCH/rev/e.csv" 2>/dev/null || fail "--replace into $b"
    wp "$db" runs --format csv > "$SCRATCH/rev.$b" || fail "runs of $b"
done
grep -q ',9\.5,' "$SCRATCH/rev.sq" || fail "the new version's duration is not there"
cmp "$SCRATCH/rev.sq" "$SCRATCH/rev.pg" || fail "--replace differs between the backends"

# ---- passwords stay out of messages and reports
bad="postgresql://postgres:hunter2@/nosuchdb?host=$PGSOCK"
"$WP" --db "$bad" runs 2>"$SCRATCH/err" && fail "a missing database must fail"
grep -q 'postgresql://postgres:\*\*\*@/nosuchdb' "$SCRATCH/err" || fail "masked name: $(cat "$SCRATCH/err")"
! grep -q hunter2 "$SCRATCH/err" || fail "the password reached a message"
withpw="postgresql://postgres:hunter2@/wattprint?host=$PGSOCK"
wp "$withpw" -q report -o "$SCRATCH/pw.pdf" || fail "report through a URI with a password"
pdftotext "$SCRATCH/pw.pdf" - | grep -q hunter2 && fail "the password reached the report"
pdftotext "$SCRATCH/pw.pdf" - | grep -q 'postgres:\*\*\*@' || fail "the report names the masked URI"
# any spelling of the password parameter (libpq decodes names: pass%77ord is password) and
# URIs libpq cannot read (it quotes the "port" or value it refused): never shown or stored
for u in "postgresql:///wattprint?host=$PGSOCK&user=postgres&pass%77ord=hunter2" \
         "postgresql:///wattprint?host=$PGSOCK&user=postgres&%70assword=hunter2"; do
    wp "$u" -q report -o "$SCRATCH/pw2.pdf" 2> "$SCRATCH/err" || fail "report through $u: $(cat "$SCRATCH/err")"
    pdftotext "$SCRATCH/pw2.pdf" - | grep -q hunter2 && fail "the password reached the report ($u)"
    wp "$u" -q xlsx -o "$SCRATCH/pw2.xlsx" 2> "$SCRATCH/err" || fail "xlsx through $u"
    unzip -p "$SCRATCH/pw2.xlsx" | grep -aq hunter2 && fail "the password reached the workbook ($u)"
    grep -q hunter2 "$SCRATCH/err" && fail "the password reached a message ($u)"
done
for u in "postgresql://postgres:hunter2" "postgresql://postgres:hunter2/wattprint" \
         "postgresql:///wattprint?host=$PGSOCK&password=hunter2%zz" \
         "postgresql:///wattprint?host=$PGSOCK&PASSWORD=hunter2" \
         "postgresql://postgres:pw@localhost:hunter2/wattprint"; do
    "$WP" --db "$u" summary > /dev/null 2> "$SCRATCH/err" && fail "$u: exit 0"
    grep -q hunter2 "$SCRATCH/err" && fail "the password reached a message: $(cat "$SCRATCH/err")"
    grep -q '\*\*\*' "$SCRATCH/err" || fail "no masked credential in: $(cat "$SCRATCH/err")"
done
WATTPRINT_DB=$pg "$WP" summary --format csv | cmp - "$SCRATCH/sq.summary_--format_csv" || fail "\$WATTPRINT_DB"

# ---- roles (schema/pg/roles.sql): an ingesting host cannot read or delete measurements,
# a reader cannot write
pg_psql postgres -c "CREATE DATABASE roles" > /dev/null || fail "create roles"
wp "postgresql:///roles" -q migrate || fail "migrate roles"
pg_psql roles -f "$TOP/schema/pg/roles.sql" -f "$TOP/schema/pg/roles.sql" \
    -c "CREATE ROLE host1 LOGIN IN ROLE wattprint_ingest; CREATE ROLE reader1 LOGIN IN ROLE wattprint_read" \
    > /dev/null || fail "roles.sql (twice)"
ing="postgresql://host1@/roles"
rd="postgresql://reader1@/roles"
wp "$ing" ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" 2>"$SCRATCH/err" ||
    fail "the ingest role cannot ingest: $(grep -v 'ingested\|skipped' "$SCRATCH/err" | head -3)"
wp "$ing" -q ingest --skip-bad-rows "$FIX/bad/bad_nonnumber_energy.csv" || fail "ingest role: skip-bad-rows"
wp "$ing" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest role: re-ingest"
n=$(wp "$rd" runs --format csv | tail -n +2 | wc -l)
[ "$n" -eq 545 ] || fail "the reader sees $n runs of the ingest role's 545"
for c in runs summary stats rejected; do
    wp "$ing" "$c" > /dev/null 2>"$SCRATCH/err" && fail "the ingest role can read: $c"
    grep -q "permission denied" "$SCRATCH/err" || fail "ingest role, $c: $(cat "$SCRATCH/err")"
done
"$PG_BIN/psql" -X -h "$PGSOCK" -U host1 -d roles -c "DELETE FROM measurement" 2>"$SCRATCH/err" &&
    fail "the ingest role can delete measurements"
grep -q "permission denied" "$SCRATCH/err" || fail "delete: $(cat "$SCRATCH/err")"
"$PG_BIN/psql" -X -h "$PGSOCK" -U host1 -d roles -c "SELECT gpu_energy_j FROM measurement" 2>/dev/null &&
    fail "the ingest role can read measured values"
# a file whose content is stored needs no write: the reader is told it is unchanged; a new
# one is refused
cp "$FIX/synth/complete/masked_lm__c4.csv" "$SCRATCH/copy.csv"
wp "$rd" ingest "$SCRATCH/copy.csv" 2>"$SCRATCH/err" || fail "the reader, a stored file: $(cat "$SCRATCH/err")"
grep -q "copy.csv: unchanged" "$SCRATCH/err" || fail "the reader, a stored file: $(cat "$SCRATCH/err")"
sed -i '$ s/^\([^,]*\),\([^,]*\),\([^,]*\),[^,]*,/\1,\2,\3,9.5,/' "$SCRATCH/copy.csv"
wp "$rd" ingest "$SCRATCH/copy.csv" 2>"$SCRATCH/err" && fail "the reader can ingest"
grep -q "permission denied" "$SCRATCH/err" || fail "reader ingest: $(cat "$SCRATCH/err")"
"$PG_BIN/psql" -X -h "$PGSOCK" -U reader1 -d roles -c "DELETE FROM run" 2>/dev/null &&
    fail "the reader can delete"

# ---- concurrency: 4 writers of different files and a reader
pg_psql postgres -c "CREATE DATABASE conc" > /dev/null || fail "create conc"
conc=postgresql:///conc
wp "$conc" -q migrate || fail "migrate conc"
for w in 1 2 3 4; do
    "$SCRATCH/gen" 1000 "$w" "$SCRATCH/f$w.csv" || fail "generate"
    split -l 250 -d "$SCRATCH/f$w.csv" "$SCRATCH/p$w."
    head -n 1 "$SCRATCH/p$w.00" > "$SCRATCH/h$w"
    for p in "$SCRATCH"/p$w.0[1-9]; do cat "$SCRATCH/h$w" "$p" > "$p.csv"; done
    mv "$SCRATCH/p$w.00" "$SCRATCH/p$w.00.csv"
done
expected=4000
( for w in 1 2 3 4; do
      ( for p in "$SCRATCH"/p$w.*.csv; do
            "$WP" --db "$conc" -q ingest "$p" || echo "writer $w: $p failed" >> "$SCRATCH/errors"
        done ) 2>>"$SCRATCH/errors" &
  done
  wait ) &
writers=$!
reads=0
while kill -0 "$writers" 2>/dev/null; do
    n=$("$WP" --db "$conc" runs --format csv 2>>"$SCRATCH/errors" | tail -n +2 | wc -l)
    reads=$((reads + 1))
    [ "$n" -le "$expected" ] || fail "reader saw $n runs, more than were written"
done
wait "$writers"
[ ! -s "$SCRATCH/errors" ] || fail "errors reached the user: $(head -5 "$SCRATCH/errors")"
n=$(wp "$conc" runs --format csv | tail -n +2 | wc -l)
[ "$n" -eq "$expected" ] || fail "$n runs after 4 writers, expected $expected"
[ "$(pg_psql conc -At -c "SELECT COUNT(*) - COUNT(DISTINCT uid) FROM run")" = 0 ] || fail "doubled runs"
for p in "$SCRATCH"/p*.csv; do
    want=$(($(wc -l < "$p") - 1))
    got=$(pg_psql conc -At -c "SELECT rows_ingested FROM source_file WHERE path = '$p'")
    [ "$got" = "$want" ] || fail "$p: $got rows ingested, $want in the file"
done
# two writers of the same file at once: one copy, the other told it is unchanged
"$SCRATCH/gen" 2000 9 "$SCRATCH/same.csv" || fail "generate"
"$WP" --db "$conc" ingest "$SCRATCH/same.csv" 2>"$SCRATCH/w1" & a=$!
"$WP" --db "$conc" ingest "$SCRATCH/same.csv" 2>"$SCRATCH/w2" & b=$!
wait "$a" || fail "writer 1 of one file: $(cat "$SCRATCH/w1")"
wait "$b" || fail "writer 2 of one file: $(cat "$SCRATCH/w2")"
cat "$SCRATCH/w1" "$SCRATCH/w2" | grep -c "same.csv: ingested" | grep -q '^1$' || fail "one writer ingests: $(cat "$SCRATCH/w1" "$SCRATCH/w2")"
cat "$SCRATCH/w1" "$SCRATCH/w2" | grep -q "same.csv: unchanged" || fail "the other is told: $(cat "$SCRATCH/w1" "$SCRATCH/w2")"
[ "$(pg_psql conc -At -c "SELECT COUNT(*) FROM source_file WHERE path = '$SCRATCH/same.csv'")" = 1 ] ||
    fail "the file is stored twice"

# ---- a killed ingest leaves none of its file; ingesting again completes it
rows=2000
"$SCRATCH/gen" "$rows" 7 "$SCRATCH/big.csv" || fail "generate"
pg_psql postgres -c "CREATE DATABASE t" > /dev/null || fail "create t"
# timed into a migrated database, as the killed ones are: the migrations (most of a first
# ingest's time under ASan) timed with it put both of ASan's kill points past the commit
wp "postgresql:///t" -q migrate || fail "migrate t"
start=$(date +%s%N)
wp "postgresql:///t" -q ingest "$SCRATCH/big.csv" || fail "timing ingest"
span=$(( ($(date +%s%N) - start) / 1000 ))
# each kill point a copy of one migrated database (a template is cheaper than migrating
# each); the points are one code path at other moments: under ASan two of them, one
# before the commit and one late
pg_psql postgres -c "CREATE DATABASE kt" > /dev/null || fail "create kt"
wp "postgresql:///kt" -q migrate || fail "migrate kt"
points="1 2 3 4 5 6"
if under_asan; then
    points="2 5"
    reduced_asan "pg: 2 of the 6 kill points of an ingest (2 and 5; make test runs all 6)"
fi
committed=0 npoints=0
for i in $points; do
    npoints=$((npoints + 1))
    pg_psql postgres -c "DROP DATABASE IF EXISTS k" -c "CREATE DATABASE k TEMPLATE kt" > /dev/null || fail "create k"
    "$WP" --db "postgresql:///k" -q ingest "$SCRATCH/big.csv" 2>/dev/null &
    pid=$!
    sleep "$(awk -v i="$i" -v s="$span" 'BEGIN { printf "%.6f", (i - 0.5) / 6 * s * 1.1 / 1e6 }')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    # the server ends the killed client's transaction: wait until it has
    for _ in $(seq 50); do
        [ "$(pg_psql postgres -At -c "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = 'k'")" = 0 ] && break
        sleep 0.1
    done
    n=$(pg_psql k -At -c "SELECT COUNT(*) FROM measurement")
    case "$n" in
        0) ;;
        "$rows") committed=$((committed + 1)) ;;
        *) fail "kill point $i: $n measurements: the file is half-present" ;;
    esac
    wp "postgresql:///k" -q ingest "$SCRATCH/big.csv" || fail "kill point $i: re-ingest"
    [ "$(pg_psql k -At -c "SELECT COUNT(*) FROM measurement")" = "$rows" ] || fail "kill point $i: re-ingest incomplete"
done
[ "$committed" -lt "$npoints" ] || fail "no kill point hit the ingest"
echo "pg: same bytes for 10 reads (3 of them exports), 4 charts, cards and the report; 4 writers $expected runs ($reads reads); $committed of $npoints killed ingests had committed; ingest of $rows rows took ${span} us"
