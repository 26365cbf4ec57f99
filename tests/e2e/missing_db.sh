# A database that does not exist: every command that reads says "no such database", exits 1
# and creates nothing (it used to create an empty database and exit 0, so a typo in --db
# looked like an empty study).  Commands that write (ingest, manifest, tokens FILE, migrate)
# create it.
# A user who may read a database but not write it or its folder reads it as it is.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
mkdir empty
M=distilbert-base-uncased-finetuned-sst-2-english
printf 'output: bout\nreports:\n  - name: a\n    produce: [report, stats]\n' > b.yaml
printf 'summary\n' > s.txt

# missing_ok WHAT COMMAND...: exit 1, the message, and nothing made in the folder
missing_ok() {
    local what=$1
    shift
    (cd empty && "$@") > out.txt 2> err.txt
    local rc=$?
    [ "$rc" -eq 1 ] || { cat err.txt >&2; fail "$what: exit $rc, not 1"; }
    grep -q 'no such database' err.txt || { cat err.txt >&2; fail "$what: no 'no such database'"; }
    [ -z "$(ls -A empty)" ] || { ls -A empty >&2; fail "$what: created $(ls -A empty)"; }
}
for db in typo.db nodir/typo.db; do
    for cmd in "summary" "runs" "sources" "rejected" "tokens" "stats" \
               "stats --format json" "chart tasks -o x.png" "chart all -o figs" "report -o r.pdf" \
               "xlsx -o s.xlsx" "latex -o t.tex" "card $M -o c.md" "card --all -o cards" \
               "batch ../b.yaml" "script ../s.txt"; do
        # shellcheck disable=SC2086
        missing_ok "--db $db $cmd" "$WP" --db "$db" $cmd
    done
    # the same through the environment
    missing_ok "WATTPRINT_DB=$db summary" env WATTPRINT_DB="$db" "$WP" summary
done
# the default name, wattprint.db, is not created either
missing_ok "default database" env -u WATTPRINT_DB "$WP" summary

# commands that write create the database
wp new.db -q ingest "$FIX/synth" || fail "ingest does not create its database"
[ -f new.db ] || fail "ingest: no database"
wp man.db -q manifest "$FIX/synth/manifest.csv" 2> /dev/null || fail "manifest does not create its database"
[ -f man.db ] || fail "manifest: no database"
wp mig.db -q migrate || fail "migrate does not create its database"
[ -f mig.db ] || fail "migrate: no database"

# a user who can read the database but write neither it nor its folder (tests run as root:
# the reader is `nobody`, through runuser or setpriv)
as_nobody() {
    if command -v runuser > /dev/null; then
        runuser -u nobody -- "$@"
    else
        setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
    fi
}
if [ "$(id -u)" -ne 0 ] || ! id nobody > /dev/null 2>&1 ||
   ! { command -v runuser || command -v setpriv; } > /dev/null; then
    echo "skipped: the read-only user part needs root and runuser or setpriv"
    exit 0
fi
chmod 755 "$SCRATCH"
mkdir ro outs
chmod 777 outs
wp ro/w.db -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
chmod 755 ro
chmod 644 ro/w.db
before=$(dbsum ro/w.db)
wp ro/w.db stats --format json > root.json || fail "stats as root"
as_nobody "$WP" --db ro/w.db stats --format json > nobody.json 2> err.txt ||
    { cat err.txt >&2; fail "a read-only user cannot read the database"; }
cmp -s root.json nobody.json || fail "a read-only user reads other statistics"
as_nobody "$WP" --db ro/w.db report -o outs/r.pdf 2> err.txt ||
    { cat err.txt >&2; fail "a read-only user cannot make a report"; }
[ -s outs/r.pdf ] || fail "read-only user: no report"
# writable file, folder not writable (SQLite cannot make its -shm file there)
chmod 666 ro/w.db
as_nobody "$WP" --db ro/w.db summary > /dev/null 2> err.txt ||
    { cat err.txt >&2; fail "a user who cannot write the folder cannot read the database"; }
chmod 644 ro/w.db
# a name holding URI characters (the read-only open goes through a file: URI)
odd='ro/w?x#1%41.db'
cp ro/w.db "$odd" && chmod 644 "$odd"
as_nobody "$WP" --db "$odd" stats --format json > odd.json 2> err.txt ||
    { cat err.txt >&2; fail "a read-only user cannot read $odd"; }
cmp -s root.json odd.json || fail "$odd: other statistics"
rm -f "$odd"
# writing is refused with a message, and nothing changes
as_nobody "$WP" --db ro/w.db -q ingest "$FIX/synth" > /dev/null 2> err.txt &&
    fail "a read-only user ingested"
grep -q 'readonly\|read-only\|cannot' err.txt || { cat err.txt >&2; fail "ingest as a reader: no reason"; }
[ "$(ls -A ro)" = w.db ] || { ls -A ro >&2; fail "the readers left files beside the database"; }
[ "$(dbsum ro/w.db)" = "$before" ] || fail "the database changed"
# a reader while a writer holds the WAL open reads what is committed: the writer says when
# it has committed (file ready) and holds its connection until the reader is done (file
# done), where it slept 3 s for a reader started after 1 s
python3 - ro/w.db <<'PY' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA wal_autocheckpoint = 0")
c.execute("CREATE TABLE IF NOT EXISTS zz_reader_test (a)")
c.commit()
open("ready", "w").close()
for _ in range(1200):   # 60 s at most, should the test die first
    if os.path.exists("done"):
        break
    time.sleep(0.05)
PY
writer=$!
for _ in $(seq 600); do [ -e ready ] && break; sleep 0.05; done
[ -e ready ] || { kill "$writer"; fail "the writer did not commit"; }
[ -s ro/w.db-wal ] || { kill "$writer"; fail "the writer holds no WAL open"; }
as_nobody "$WP" --db ro/w.db summary > /dev/null 2> err.txt ||
    { cat err.txt >&2; kill "$writer"; fail "a reader beside a writer cannot read"; }
touch done
wait "$writer" || fail "the writer failed"
exit 0
