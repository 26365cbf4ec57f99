# Text that is not UTF-8 in file names and labels (a Latin-1 name, `--model` bytes) is
# escaped once, where it enters the database (\xHH), with a warning: it reached the PDF
# (which then failed on every later run), the xlsx XML (a corrupt workbook), cards and JSON.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
src=$FIX/synth/complete
f=$src/$(ls "$src" | head -1)
name=$(printf 'caf\351 \377.csv')   # Latin-1 e-acute and a byte UTF-8 never has
model=$(printf 'mod\350le')
cp "$f" "$name"
wp n.db ingest --model "$model" --task t --dataset d --inferences 10 "$name" > /dev/null 2> err.txt ||
    { cat err.txt >&2; fail "ingest"; }
grep -qF 'caf\xe9 \xff.csv: the file name is not UTF-8' err.txt || { cat err.txt >&2; fail "no warning for the name"; }
grep -qF -- '--model: not UTF-8' err.txt || { cat err.txt >&2; fail "no warning for the label"; }
# the same file again is recognised by its stored (escaped) path: unchanged
wp n.db ingest "$name" > /dev/null 2> err.txt || fail "second ingest"
grep -q 'unchanged' err.txt || { cat err.txt >&2; fail "second ingest: not unchanged"; }

utf8() { python3 -c 'import sys; sys.stdin.buffer.read().decode("utf-8")' || fail "$1: not UTF-8"; }
wp n.db sources --format json > s.json || fail "sources"
utf8 "sources JSON" < s.json
python3 -c 'import json, sys; p = [r["path"] for r in json.load(open(sys.argv[1]))]; assert any("caf\\xe9 \\xff.csv" in x for x in p), p' s.json ||
    fail "the stored name is not the escaped one"
wp n.db runs --format json > r.json || fail "runs"
utf8 "runs JSON" < r.json
python3 -c 'import json, sys; m = {r["model"] for r in json.load(open(sys.argv[1]))}; assert m == {"mod\\xe8le"}, m' r.json ||
    fail "the stored model is not the escaped one"
# the report, twice (it failed on every run after the first), the workbook, a card
for i in 1 2; do
    wp n.db report -o "r$i.pdf" 2> err.txt || { cat err.txt >&2; fail "report $i"; }
done
pdftotext r2.pdf - | utf8 "report text"
utf8 "SHA256SUMS" < SHA256SUMS
grep -qF 'caf\\xe9 \\xff.csv' SHA256SUMS || fail "SHA256SUMS does not name the file as stored"
wp n.db xlsx -o s.xlsx 2> err.txt || { cat err.txt >&2; fail "xlsx"; }
python3 - s.xlsx <<'PY' || fail "the workbook is not well-formed XML"
import sys, zipfile
import xml.dom.minidom
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.endswith(".xml"):
        xml.dom.minidom.parseString(z.read(n))
PY
wp n.db card 'mod\xe8le' > card.md 2> err.txt || { cat err.txt >&2; fail "card"; }
utf8 "card" < card.md

# label rules are stored escaped too: the command line's (its model), and a manifest's
# whose path is not UTF-8 (its origin, "PATH:LINE"); PostgreSQL refused both (the file
# failed, or with --manifest the file lost to the manifest's rules), and the manifest's
# rules are still found as its own when it is given again (replaced, not added)
command -v sqlite3 > /dev/null || { echo "skipped the rules: no sqlite3 shell"; exit 0; }
man=$(printf 'm_caf\351.csv')
printf 'file,model,task,dataset\n*.csv,m-one,t,d\n' > "$man"
. "$TOP/tests/pg/server"
pg_server_start || fail "cannot start a PostgreSQL server"
k=0
for b in sqlite postgresql; do
    for side in added plain; do
        k=$((k + 1))
        if [ $b = sqlite ]; then db=$SCRATCH/r$k.db; else
            "$PG_BIN/psql" -X -q -d "$WP_PG_URI" -c "CREATE DATABASE r$k" || fail "create r$k"
            db=${WP_PG_URI%/*}/r$k
        fi
        wp "$db" -q migrate || fail "$b: migrate"
        wp "$db" -q ingest --model "$model" "$f" 2> /dev/null || fail "$b: ingest --model $model"
        if [ $side = added ]; then
            wp "$db" -q ingest --manifest "$man" "$name" "$f" 2> /dev/null ||
                fail "$b: ingest --manifest $man"
            wp "$db" -q ingest --manifest "$man" "$name" 2> /dev/null || fail "$b: again"
        else
            WATTPRINT_LABELS_AS_ADDED=0 wp "$db" -q ingest "$name" "$f" 2> /dev/null &&
                wp "$db" -q manifest "$man" 2> /dev/null || fail "$b: ingest, then manifest"
        fi
        wp "$db" runs --format csv > "$b.$side.runs" 2> /dev/null || fail "$b: runs"
        utf8 "$b: runs" < "$b.$side.runs"
        q="SELECT origin, model, task, dataset FROM label_rule ORDER BY origin, model"
        if [ $b = sqlite ]; then sqlite3 "$db" "$q"; else "$PG_BIN/psql" -X -At -d "$db" -c "$q"; fi \
            > "$b.$side.rules" || fail "$b: rules"
        utf8 "$b: rules" < "$b.$side.rules"
    done
    [ "$(grep -c . "$b.added.runs")" -gt 1 ] || fail "$b: no runs"
    cmp -s "$b.added.runs" "$b.plain.runs" ||
        fail "$b: runs differ: $(diff "$b.added.runs" "$b.plain.runs" | head -4)"
    cmp -s "$b.added.rules" "$b.plain.rules" ||
        fail "$b: rules differ: $(diff "$b.added.rules" "$b.plain.rules" | head -4)"
    grep -qF 'm_caf\xe9.csv:2' "$b.added.rules" || fail "$b: the manifest's rule: $(cat "$b.added.rules")"
    grep -qF 'mod\xe8le' "$b.added.rules" || fail "$b: the command line's rule: $(cat "$b.added.rules")"
done
exit 0
