# Every file in fixtures/bad/ gives its expected outcome and message (fixtures/bad/EXPECTED.tsv):
# errors exit 1 with FILE:LINE[:COL] and leave the database exactly as it was.
. "$(dirname "$0")/lib.bash"
B=$FIX/bad
n=0
# the two starting databases, made once and copied for each file (a process fewer per
# file: under valgrind each start costs seconds)
empty=$SCRATCH/empty.db ref=$SCRATCH/reference.db
wp "$empty" -q migrate || fail "setup: migrate"
wp "$ref" -q ingest "$B/ok_reference.csv" || fail "setup: reference"
[ ! -e "$empty-wal" ] && [ ! -e "$ref-wal" ] || fail "setup: a WAL file left: copying the database alone would lose it"
# empty TSV cells become "-" so that read keeps every column in place
tail -n +2 "$B/EXPECTED.tsv" | awk -F'\t' -v OFS='|' '{$1 = $1; for (i = 1; i <= NF; i++) if ($i == "") $i = "-"; print}' |
while IFS='|' read -r file outcome line col substring why; do
    [ "$line" = - ] && line=
    [ "$col" = - ] && col=
    [ "$substring" = - ] && substring=
    case "$outcome" in error|warn|ok) ;; *) fail "$file: unknown outcome \"$outcome\"" ;; esac
    n=$((n + 1))
    db=$SCRATCH/$file.db
    rm -f "$db"*
    case "$file" in
        manifest_*) cp "$ref" "$db" || fail "$file: setup"; cmd="manifest $B/$file" ;;
        *) cp "$empty" "$db" || fail "$file: setup"; cmd="ingest $B/$file" ;;
    esac
    before=$(dbsum "$db")
    # shellcheck disable=SC2086
    "$WP" --db "$db" $cmd >"$SCRATCH/out" 2>"$SCRATCH/err"
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
    esac
    if [ -n "$substring" ]; then
        echo "$err" | tr 'A-Z' 'a-z' | grep -qF "$substring" || fail "$file: message lacks '$substring': $err"
    fi
done || exit 1 # the loop is a subshell: its fail() ends only it
# every file of the corpus has its expectation written down
for f in "$B"/*; do
    name=$(basename "$f")
    case "$name" in EXPECTED.tsv|README.md|make_bad.py) continue ;; esac
    [ -d "$f" ] && continue
    grep -q "^$name	" "$B/EXPECTED.tsv" || fail "$name has no line in fixtures/bad/EXPECTED.tsv"
done
