# Every file in fixtures/bad/templates/ gives its expected error and message
# (fixtures/bad/templates/EXPECTED.tsv): a .md file as `card --template FILE`, a .txt file as
# the report's summary template (`report --templates DIR`).  Each exits 1 with
# FILE:LINE:COL and a message that is UTF-8 on one line, and writes no output file.
. "$(dirname "$0")/lib.bash"
B=$FIX/bad/templates
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
model=bigscience/bloomz-7b1
tail -n +2 "$B/EXPECTED.tsv" | while IFS="$(printf '\t')" read -r file outcome line col substring why; do
    [ "$outcome" = error ] || fail "$file: unknown outcome \"$outcome\""
    rm -rf "$SCRATCH/out" "$SCRATCH/tpl"
    mkdir -p "$SCRATCH/out"
    case "$file" in
        *.md)
            where="$B/$file:$line:$col"
            "$WP" --db "$db" card "$model" --template "$B/$file" -o "$SCRATCH/out/card.md" \
                >/dev/null 2>"$SCRATCH/err" ;;
        *.txt)
            cp -R "$TOP/templates" "$SCRATCH/tpl"
            cp "$B/$file" "$SCRATCH/tpl/report/summary.txt"
            where="$SCRATCH/tpl/report/summary.txt:$line:$col"
            "$WP" --db "$db" report -o "$SCRATCH/out/r.pdf" --templates "$SCRATCH/tpl" \
                >/dev/null 2>"$SCRATCH/err" ;;
        *) fail "$file: neither .md nor .txt" ;;
    esac
    rc=$?
    err=$(cat "$SCRATCH/err")
    [ "$rc" -eq 1 ] || fail "$file: exit $rc, expected 1 ($err)"
    grep -qF "$where: " "$SCRATCH/err" || fail "$file: message lacks $where: $err"
    tr 'A-Z' 'a-z' < "$SCRATCH/err" | grep -qF "$substring" || fail "$file: message lacks '$substring': $err"
    iconv -f UTF-8 -t UTF-8 "$SCRATCH/err" >/dev/null 2>&1 || fail "$file: the message is not UTF-8"
    [ "$(wc -l < "$SCRATCH/err")" -eq 1 ] || fail "$file: the message is not one line: $err"
    [ -z "$(ls -A "$SCRATCH/out")" ] || fail "$file: output left behind: $(ls -A "$SCRATCH/out")"
done || exit 1
for f in "$B"/*; do
    name=$(basename "$f")
    case "$name" in EXPECTED.tsv|make_bad_templates.py) continue ;; esac
    cut -f1 "$B/EXPECTED.tsv" | grep -qxF "$name" || fail "$name has no line in EXPECTED.tsv"
done
