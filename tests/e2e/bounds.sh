# Work that grew without bound now has one, said in the README's limits: --resamples at most
# 1,000,000 (2,000,000,000 ran out of memory); a batch spec at most 1 MiB, its lists and
# mappings nested at most 64 deep (100,000 nested '[' kept libyaml busy for a minute); a
# report's table cell at most 8 lines, the last one cut with an ellipsis (a 100 KB model name
# wrapped character by character took pango 42 s: time quadratic in its length).
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
db=w.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"

for cmd in "stats" "report -o r.pdf" "xlsx -o s.xlsx" "latex -o t.tex" "card --all -o cards"; do
    # shellcheck disable=SC2086
    wp "$db" $cmd --resamples 2000000000 > out.txt 2> err.txt
    rc=$?
    [ "$rc" -eq 2 ] || { cat err.txt >&2; fail "$cmd --resamples 2000000000: exit $rc, not 2"; }
    grep -q -- '--resamples: at most 1000000' err.txt || { cat err.txt >&2; fail "$cmd: no bound said"; }
done
wp "$db" stats --resamples 1000 > /dev/null || fail "a small --resamples refused"

# batch specs: deep flow and block nesting, and size
python3 -c 'print("output: o\nreports: " + "[" * 100000 + "]" * 100000)' > flow.yaml
wp "$db" batch flow.yaml > out.txt 2> err.txt && fail "deep flow spec: exit 0"
grep -q 'flow.yaml:2:[0-9]*: lists and mappings nest deeper than 64 levels' err.txt ||
    { cat err.txt >&2; fail "deep flow spec: no message"; }
python3 -c 'print("output: o\nreports:\n" + "".join("  " * i + "- \n" for i in range(100)))' > block.yaml
wp "$db" batch block.yaml > out.txt 2> err.txt && fail "deep block spec: exit 0"
grep -q 'block.yaml:[0-9]*:[0-9]*: lists and mappings nest deeper than 64 levels' err.txt ||
    { cat err.txt >&2; fail "deep block spec: no message"; }
python3 -c 'print("output: o\nreports:\n  - name: a\n    produce: [stats]\n" + "#" * (1 << 20))' > big.yaml
wp "$db" batch big.yaml > out.txt 2> err.txt && fail "big spec: exit 0"
grep -q 'big.yaml: a batch spec is at most 1048576 bytes' err.txt || { cat err.txt >&2; fail "big spec: no message"; }
[ -e o ] && fail "a refused spec made its output folder"
# 64 levels are still read (the limit is on the nesting, not on YAML)
python3 -c 'print("output: o\nreports:\n  - name: a\n    produce: " + "[" * 61 + "stats" + "]" * 61)' > ok.yaml
wp "$db" batch ok.yaml > out.txt 2> err.txt
grep -q 'nest deeper' err.txt && fail "62 levels refused"

# a 100 KB model name in the report: its cells are at most 8 lines
f=$(ls "$FIX/synth/complete" | head -1)
sed "2,\$s/,\([0-9a-f]\{7\}\)[0-9a-f]-/,\19-/" "$FIX/synth/complete/$f" > long.csv
wp "$db" report -o short.pdf 2> /dev/null || fail "report"
name=$(python3 -c 'print("m" * 102400)')
wp "$db" -q ingest --model "$name" --task extractive_qa --dataset d --inferences 10 long.csv ||
    fail "ingest of a long name"
timeout 600 "$WP" --db "$db" report -o long.pdf 2> err.txt || { cat err.txt >&2; fail "report with a long name"; }
lines=$(pdftotext long.pdf - | grep -c 'mmmmmmmmmm')
[ "$lines" -le 8 ] || fail "a table cell of the long name has $lines lines, more than 8"
# the name's rows take no more room than another model's (wrapped whole it filled pages)
short=$(pdfinfo short.pdf | sed -n 's/^Pages: *//p')
long=$(pdfinfo long.pdf | sed -n 's/^Pages: *//p')
[ "$long" -le $((short + 1)) ] || fail "the long name took $long pages, the report without it $short"
exit 0
