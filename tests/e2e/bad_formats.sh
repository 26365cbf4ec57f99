# Every file in fixtures/bad/formats/ (the parsers other than CodeCarbon) gives its expected
# outcome and message (fixtures/bad/formats/EXPECTED.tsv): errors exit 1 with
# FILE:LINE[:COL] and leave the database exactly as it was; warnings name FILE:LINE.
# The generic format is read through a column map: a generic_*.csv is ingested with
# generic.map, a generic*.map is tried on generic.csv.
. "$(dirname "$0")/lib.bash"
B=$FIX/bad/formats
# one empty database, copied for each file (a process fewer per file: under valgrind each
# start costs seconds)
empty=$SCRATCH/empty.db
wp "$empty" -q migrate || fail "migrate"
[ ! -e "$empty-wal" ] || fail "the empty database kept a WAL file: copying it alone would lose it"
empty_sum=$(dbsum "$empty")
tail -n +2 "$B/EXPECTED.tsv" | awk -F'\t' -v OFS='|' '{$1 = $1; for (i = 1; i <= NF; i++) if ($i == "") $i = "-"; print}' |
while IFS='|' read -r file outcome line col substring why; do
    [ "$line" = - ] && line=
    [ "$col" = - ] && col=
    [ "$substring" = - ] && substring=
    db=$SCRATCH/$file.db
    rm -f "$db"*
    cp "$empty" "$db" # an empty database
    before=$empty_sum
    case "$file" in
        generic*.map) set -- --map "$B/$file" "$B/generic.csv" ;;
        generic*.csv) set -- --map "$B/generic.map" "$B/$file" ;;
        *) set -- "$B/$file" ;;
    esac
    "$WP" --db "$db" ingest "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
    rc=$?
    err=$(cat "$SCRATCH/err")
    where="$file"
    [ -n "$line" ] && where="$file:$line"
    [ -n "$line" ] && [ -n "$col" ] && where="$file:$line:$col"
    case "$outcome" in
        error)
            [ "$rc" -eq 1 ] || fail "$file: exit $rc, expected 1 ($err)"
            [ "$(dbsum "$db")" = "$before" ] || fail "$file: the database changed"
            echo "$err" | grep -qF "$where" || fail "$file: message lacks $where: $err" ;;
        warn)
            [ "$rc" -eq 0 ] || fail "$file: exit $rc, expected 0 ($err)"
            echo "$err" | grep -qF "warning: " || fail "$file: no warning: $err"
            echo "$err" | grep -qF "$where" || fail "$file: warning lacks $where: $err" ;;
        ok)
            [ "$rc" -eq 0 ] || fail "$file: exit $rc, expected 0 ($err)"
            if echo "$err" | grep -q "warning:"; then fail "$file: unexpected warning: $err"; fi ;;
        *) fail "$file: unknown outcome \"$outcome\"" ;;
    esac
    if [ -n "$substring" ]; then
        echo "$err" | tr 'A-Z' 'a-z' | grep -qF "$substring" || fail "$file: message lacks '$substring': $err"
    fi
done || exit 1
# every file of the corpus has its expectation written down
for f in "$B"/*; do
    name=$(basename "$f")
    case "$name" in EXPECTED.tsv|make_bad_formats.py) continue ;; esac
    cut -f1 "$B/EXPECTED.tsv" | grep -qxF "$name" || fail "$name has no line in EXPECTED.tsv"
done
