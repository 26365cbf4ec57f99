# wattprint script: the commands of a file run in one process give the same bytes as the
# same commands run one by one (stdout redirected with '>', figures, workbook, cards,
# report), share their analyses, and parse quotes, escapes, continuations and comments; a
# bad script runs nothing (exit 2, FILE:LINE), a failing command is named and the others
# still run (exit 1), a failed '>' leaves no file and no temporary behind.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
cd "$SCRATCH" || fail "cd"
mkdir -p one many/cards one/cards

# one by one, then as a script: the same bytes (paths equal, since outputs record them)
commands() {
    cat <<'S'
stats --phase "query model" --show groups
stats --phase 'query model' --format csv > OUT/tasks.csv
stats --by model,task --format json > OUT/models.json   # a comment after a command
# a comment line, then a continued one
chart tasks --phase "query model" \
    -o OUT/tasks.png -o OUT/tasks.svg
chart label --task text_classification --model distilbert-base-uncased-finetuned-sst-2-english -o OUT/label.png
xlsx --phase "query model" -o OUT/summary.xlsx
card --all --phase "query model" -o OUT/cards/
latex --by model,task -o OUT/models.tex
report -o OUT/report.pdf --title "A \"quoted\" title" --phase "query model"
summary --format csv > OUT/summary.csv
S
}
commands | sed 's#OUT/#out/#g' > script.txt
mkdir -p out/cards
wp "$db" -q script script.txt > script.stdout 2> script.stderr || { cat script.stderr >&2; fail "script"; }
[ -s script.stderr ] && { cat script.stderr >&2; fail "a quiet script printed on stderr"; }
mv out many/out
mkdir -p out/cards
wp "$db" -q stats --phase "query model" --show groups > single.stdout || fail "stats"
wp "$db" -q stats --phase 'query model' --format csv > out/tasks.csv || fail "stats csv"
wp "$db" -q stats --by model,task --format json > out/models.json || fail "stats json"
wp "$db" -q chart tasks --phase "query model" -o out/tasks.png -o out/tasks.svg || fail "chart"
wp "$db" -q chart label --task text_classification \
    --model distilbert-base-uncased-finetuned-sst-2-english -o out/label.png || fail "label"
wp "$db" -q xlsx --phase "query model" -o out/summary.xlsx || fail "xlsx"
wp "$db" -q card --all --phase "query model" -o out/cards/ || fail "cards"
wp "$db" -q latex --by model,task -o out/models.tex || fail "latex"
wp "$db" -q report -o out/report.pdf --title 'A "quoted" title' --phase "query model" || fail "report"
wp "$db" -q summary --format csv > out/summary.csv || fail "summary"
cmp -s single.stdout script.stdout || { diff single.stdout script.stdout >&2; fail "stdout differs"; }
diff -r out many/out >&2 || fail "a script's outputs differ from the commands run one by one"
[ "$(ls out/cards | wc -l)" -gt 0 ] || fail "no cards written"
pdftotext many/out/report.pdf - | grep -q 'A "quoted" title' || fail "the quoted title"
ls many/out many/out/cards | grep -q tmp && fail "a temporary file was left behind"

# the analyses are shared (the summary line says how many)
wp "$db" script script.txt > /dev/null 2> shared.stderr || fail "script, not quiet"
grep -Eq 'script script.txt: 10 commands, 0 failed \(([1-9][0-9]*) analyses shared' shared.stderr ||
    { cat shared.stderr >&2; fail "no analyses shared"; }

# standard input
printf 'summary --format csv\n' | wp "$db" -q script - > stdin.csv || fail "script -"
cmp -s stdin.csv out/summary.csv || fail "script from standard input"

# a bad script runs nothing: exit 2 with FILE:LINE
bad() { # bad NAME TEXT MESSAGE
    printf '%b' "$2" > "$1"
    rm -f ran.csv
    wp "$db" -q script "$1" 2> err; rc=$?
    [ $rc -eq 2 ] || fail "$1: exit $rc, not 2"
    grep -qF "$3" err || { cat err >&2; fail "$1: no message '$3'"; }
    [ -e ran.csv ] && fail "$1: a command ran"
    return 0
}
bad ingest.txt 'summary > ran.csv\ningest x.csv\n' "ingest.txt:2: ingest cannot run in a script"
bad nocmd.txt 'summary > ran.csv\n\nfrobnicate\n' "nocmd.txt:3: 'frobnicate' is not a command"
bad quote.txt 'summary > ran.csv\nstats --phase "query model\n' 'quote.txt:3: a " quote is not closed'
bad gt.txt 'summary > ran.csv\nstats >\n' "gt.txt:2: '>' without a file after it"
bad gt2.txt 'summary > ran.csv\nstats > a.csv b\n' "gt2.txt:2: nothing may follow '> a.csv'"
bad gt3.txt 'summary > ran.csv\n> a.csv\n' "gt3.txt:2: '>' comes once, after a command"
bad batch.txt 'summary > ran.csv\nbatch spec.yaml\n' "batch.txt:2: batch cannot run in a script"
"$WP" --db "$db" script 2>/dev/null; [ $? -eq 2 ] || fail "no FILE exits 2"
"$WP" --db "$db" script missing.txt 2> err; [ $? -eq 1 ] || fail "a missing script exits 1"
grep -qF 'missing.txt: cannot read' err || fail "a missing script's message"
# a quoted '>' is a word, not a redirect
printf 'stats --phase ">"\n' > q.txt
wp "$db" -q script q.txt > /dev/null 2>&1  # no such phase: whatever stats says, not a parse error
wp "$db" -q script q.txt 2>&1 | grep -q "'>'" && fail "a quoted > was taken for a redirect"

# a failing command is named with its line; the others run; its '>' file is not written
printf 'stats --by nothing > nothing.csv\nsummary --format csv > after.csv\n' > fails.txt
wp "$db" -q script fails.txt 2> err; rc=$?
[ $rc -eq 1 ] || fail "a failing command: exit $rc, not 1"
grep -qF "fails.txt:1: stats failed" err || { cat err >&2; fail "the failing line is not named"; }
grep -qF "script fails.txt: 2 commands, 1 failed" err || fail "the summary line"
[ -e nothing.csv ] && fail "a failed command's output file was written"
ls | grep -q 'nothing.csv.tmp' && fail "a failed command left its temporary file"
cmp -s after.csv out/summary.csv || fail "the command after a failure did not run"
# a '>' output makes its missing folders, as every output does (util/atomic)
printf 'summary --format csv > made/dir/s.csv\n' > made.txt
wp "$db" -q script made.txt || fail "a '>' into a missing folder"
cmp -s made/dir/s.csv out/summary.csv || fail "a '>' into a missing folder: not written"
# an output that cannot be written: a folder taken by a file
touch taken
printf 'summary > taken/s.csv\n' > nowrite.txt
wp "$db" -q script nowrite.txt 2> err; [ $? -eq 1 ] || fail "an unwritable '>' exits 1"
grep -qF "taken/s.csv: cannot write" err || { cat err >&2; fail "unwritable message"; }
ls | grep -q 'taken.*tmp' && fail "an unwritable '>' left a temporary file"
# a named selection: written once, @NAME stands for its options on later lines and in later
# files, the output the same as with the options written out
wp "$db" stats --by model --where purpose=multi-purpose --format csv > direct.csv ||
    fail "stats with the options written out"
printf 'selection mp --by model \\\n    --where purpose=multi-purpose\n' > sel.txt
printf 'stats @mp --format csv > named.csv\n' > use.txt
wp "$db" -q script sel.txt use.txt || fail "a selection from an earlier file"
cmp -s direct.csv named.csv || fail "@mp is not its options: $(diff direct.csv named.csv | head -3)"
bad twice.txt 'selection a --phase x\nselection a --phase y\n' "twice.txt:2: selection 'a' is already defined"
bad empty.txt 'selection a\n' "empty.txt:1: selection NAME OPTIONS...: a name and at least one option"
bad undefined.txt 'stats @nope\n' "undefined.txt:1: no selection named 'nope'"
exit 0
