# Labels can be corrected (issue 23 item 4): `ingest` with labels for a file already in the
# database relabels its runs and says what changed ("59 runs: model A -> B"); the fields not
# given again stay; the same labels again change nothing and say so; labels from the
# command line outrank a manifest's; a re-ingest without labels changes nothing.  On a
# SQLite file and on a throwaway PostgreSQL server (each backend has its own statement for
# replacing the command line's rule).
. "$(dirname "$0")/lib.bash"
. "$TOP/tests/pg/server"
cd "$SCRATCH" || fail "cd"
cp "$FIX/real/codecarbon/Anticlos__Dissertation__emissions.csv" emissions.csv
models() { wp "$1" runs --format csv | python3 -c '
import csv, sys, collections
c = collections.Counter((r["model"], r["task"], r["dataset"], r["inferences"])
                        for r in csv.DictReader(sys.stdin))
print(";".join("%s/%s/%s/%s=%d" % (k + (v,)) for k, v in sorted(c.items())))'; }

check() {
    local db=$1 name=$2
    wp "$db" -q ingest --model A --task text_classification --dataset imdb --inferences 100 \
        emissions.csv || fail "$name: ingest"
    [ "$(models "$db")" = "A/text_classification/imdb/100=59" ] || fail "$name: labels A: $(models "$db")"
    wp "$db" ingest --model B emissions.csv 2> err.txt || fail "$name: relabel: $(cat err.txt)"
    grep -q 'emissions.csv: relabelled 59 runs: model A -> B$' err.txt ||
        fail "$name: relabel not said: $(cat err.txt)"
    grep -q 'not applied' err.txt && fail "$name: still the old warning"
    [ "$(models "$db")" = "B/text_classification/imdb/100=59" ] || fail "$name: labels B: $(models "$db")"
    # two fields at once, said one line each, even with -q
    wp "$db" -q ingest --task summarization --inferences 200 emissions.csv 2> err.txt ||
        fail "$name: relabel two fields"
    grep -q 'relabelled 59 runs: task text_classification -> summarization$' err.txt &&
        grep -q 'relabelled 59 runs: inferences 100 -> 200$' err.txt ||
        fail "$name: two changes: $(cat err.txt)"
    [ "$(models "$db")" = "B/summarization/imdb/200=59" ] || fail "$name: labels: $(models "$db")"
    # the same labels again: nothing changes, and it says so
    wp "$db" ingest --model B emissions.csv 2> err.txt || fail "$name: same labels"
    grep -q 'its runs already have the labels given' err.txt || fail "$name: same labels: $(cat err.txt)"
    # no labels: unchanged, silent about labels
    wp "$db" ingest emissions.csv 2> err.txt || fail "$name: re-ingest"
    grep -q 'relabel\|labels given' err.txt && fail "$name: re-ingest without labels spoke of labels"
    [ "$(models "$db")" = "B/summarization/imdb/200=59" ] || fail "$name: re-ingest changed labels"
    # statistics follow the new labels
    wp "$db" summary --format csv 2>/dev/null | grep -q '^summarization,1,59,' ||
        fail "$name: summary after relabel: $(wp "$db" summary --format csv)"
}

# SQLite, and a database digest that re-ingest keeps
check "$SCRATCH/a.db" sqlite
before=$(dbsum "$SCRATCH/a.db")
wp "$SCRATCH/a.db" -q ingest emissions.csv || fail "re-ingest"
[ "$(dbsum "$SCRATCH/a.db")" = "$before" ] || fail "re-ingest without labels changed the database"
# a manifest's labels, corrected on the command line: the command line outranks them
printf 'file,model,task,dataset,inferences\nbare.csv,M,text_classification,imdb,10\n' > m.csv
{ echo "timestamp,duration,emissions,energy_consumed"
  for i in 1 2 3; do echo "2024-01-0${i}T10:00:00,1$i.5,0.000$i,0.00$i"; done; } > bare.csv
wp "$SCRATCH/b.db" -q ingest --manifest m.csv bare.csv || fail "ingest with a manifest"
wp "$SCRATCH/b.db" ingest --model N bare.csv 2> err.txt || fail "relabel over a manifest"
grep -q 'bare.csv: relabelled 3 runs: model M -> N$' err.txt || fail "over a manifest: $(cat err.txt)"
[ "$(models "$SCRATCH/b.db")" = "N/text_classification/imdb/10=3" ] || fail "over a manifest: $(models "$SCRATCH/b.db")"

# PostgreSQL
pg_server_start || fail "cannot start a PostgreSQL server"
check "$WP_PG_URI" postgresql
# before any label the server shows the same groups as a file (stats --by project, summary)
pg_psql postgres -c "CREATE DATABASE bare" > /dev/null || fail "create a database"
for db in "$SCRATCH/bare.db" "postgresql:///bare"; do
    wp "$db" -q ingest "$FIX/real/codecarbon/AlessandraParziale__SATD-empirical-comparison__emissions.csv" \
        "$FIX/real/codecarbon/mdebes89__SupervisedMatching__emissions.csv" || fail "ingest into $db"
done
for c in "stats --by project --format csv" "summary"; do
    # shellcheck disable=SC2086
    wp "$SCRATCH/bare.db" $c > sq.out 2>&1 || fail "$c on a file"
    # shellcheck disable=SC2086
    wp "postgresql:///bare" $c > pg.out 2>&1 || fail "$c on the server"
    cmp -s sq.out pg.out || { diff sq.out pg.out >&2; fail "$c: the server differs from a file"; }
done
echo "relabel: 59 runs of a real log relabelled and said, on SQLite and PostgreSQL; the groups before labels the same on both"
