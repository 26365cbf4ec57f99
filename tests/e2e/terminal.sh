# Control characters from input reach no terminal as they are: a label or file name holding
# ESC sequences, a newline or a tab is shown escaped (\x1b, \n, \t) in the tables for people
# and in every message, through one helper (wp_text_escape_controls); CSV and JSON keep the
# text exact (quoted, JSON-escaped).
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
src=$FIX/synth/complete
f=$(ls "$src" | head -1)
esc=$(printf '\033')
model=$(printf 'evil\033[2J\033]0;title\007\nmodel\tx')
task=$(printf 'task\033[31m')
cp "$src/$f" log.csv
wp h.db -q ingest --model "$model" --task "$task" --dataset d --inferences 10 log.csv || fail "ingest"

# raw ESC, BEL or a line that is not a table row: a control character got through
raw() { LC_ALL=C grep -q "[$esc$(printf '\007')]" "$1"; }
for cmd in "runs" "summary" "stats" "stats --by model" "sources"; do
    # shellcheck disable=SC2086
    wp h.db $cmd > out.txt 2> err.txt || { cat err.txt >&2; fail "$cmd"; }
    raw out.txt && { cat -v out.txt >&2; fail "$cmd: a raw control character in the table"; }
    raw err.txt && { cat -v err.txt >&2; fail "$cmd: a raw control character in a message"; }
done
wp h.db runs > out.txt
grep -qF 'evil\x1b[2J\x1b]0;title\x07\nmodel\tx' out.txt || { cat -v out.txt >&2; fail "runs: the model not shown escaped"; }
# a table row is one line: as many lines as runs and a header
[ "$(wc -l < out.txt)" -eq $(( $(wp h.db runs --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') + 1 )) ] ||
    fail "runs: a label broke a row into lines"
# machine formats keep the text exact
wp h.db runs --format json | python3 -c '
import json, sys
m = {r["model"] for r in json.load(sys.stdin)}
assert m == {sys.argv[1]}, m' "$model" || fail "JSON does not keep the label exact"
wp h.db runs --format csv | python3 -c '
import csv, sys
m = {r["model"] for r in csv.DictReader(sys.stdin)}
assert m == {sys.argv[1]}, m' "$model" || fail "CSV does not keep the label exact"

# messages: a file name with an ESC sequence and a newline, in an error and in a note
bad=$(printf 'bad\033[2J\nname.csv')
printf 'not,a,log\n1,2,3\n' > "$bad"
wp h.db ingest "$bad" > out.txt 2> err.txt && fail "ingest of a non-log: exit 0"
raw err.txt && { cat -v err.txt >&2; fail "ingest error: a raw control character"; }
grep -qF 'bad\x1b[2J\nname.csv' err.txt || { cat err.txt >&2; fail "ingest error: the name not shown escaped"; }
mkdir dir && cp "$bad" dir/ && mkfifo "dir/$(printf 'fifo\033[1m')"
wp h.db ingest dir > out.txt 2> err.txt
raw err.txt && { cat -v err.txt >&2; fail "ingest notes: a raw control character"; }
grep -qF 'fifo\x1b[1m' err.txt || { cat err.txt >&2; fail "ingest notes: the FIFO's name not shown escaped"; }
# a message from the library (a warning with the label in it) and a usage error
wp h.db card "$model" -o card.md > out.txt 2> err.txt
raw err.txt && { cat -v err.txt >&2; fail "card: a raw control character in a message"; }
exit 0
