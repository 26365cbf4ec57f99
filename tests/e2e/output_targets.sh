# Where outputs may go. -o replaces only a regular file: the database itself (`latex -o
# wattprint.db` destroyed it), its -wal/-shm files, a link or hard link to it, a folder, a
# FIFO or a device are refused before anything is written, for every writer (latex, report
# as PDF and HTML, xlsx, card -o and --into, chart, manifest --skeleton -o, export -o) and
# batch. A
# batch's outputs stay in its output folder once symbolic links are followed (they went
# through a link inside it), and it counts what it wrote (an output root that is a file
# reported outputs "written"). CSV text cells that a spreadsheet would run as formulas get
# a leading ' (OWASP); JSON keeps them exact.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
db=w.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
M=distilbert-base-uncased-finetuned-sst-2-english
before=$(dbsum "$db")
ln "$db" hard.db
ln -s "$db" soft.db
mkdir folder
mkfifo fifo
dev=
mknod null c 1 3 2> /dev/null && dev=null

# refused TARGET COMMAND...: exit 1, a message naming TARGET, the target as it was
refused() {
    local target=$1
    shift
    "$@" > out.txt 2> err.txt && fail "$*: exit 0"
    grep -qF "$target: cannot write" err.txt || { cat err.txt >&2; fail "$*: no message naming $target"; }
    [ "$(dbsum "$db")" = "$before" ] || fail "$*: the database changed"
    [ -p fifo ] || fail "$*: the FIFO was replaced"
    [ -d folder ] || fail "$*: the folder was replaced"
    [ -z "$dev" ] || [ -c "$dev" ] || fail "$*: the device was replaced"
    ls ./*.tmp.* > /dev/null 2>&1 && fail "$*: a temporary file was left"
    return 0
}
for t in "$db" "./$db" hard.db soft.db "$db-wal" "$db-shm" "$db-journal" fifo folder $dev; do
    refused "$t" wp "$db" latex -o "$t"
    [ "$t" = folder ] || refused "$t" wp "$db" card "$M" -o "$t" # a folder: the card goes in it
    refused "$t" wp "$db" card "$M" --into "$t"
    refused "$t" wp "$db" manifest --skeleton -o "$t"
    refused "$t" wp "$db" export sci -o "$t"
done
# report, xlsx and chart names must end in their format (else a usage error): databases
# named so, and a FIFO and a folder of those names
for ext in pdf html xlsx; do
    cp "$db" "db.$ext"
    b=$(dbsum "db.$ext")
    cmd=report
    [ "$ext" = xlsx ] && cmd=xlsx
    for t in "db.$ext" "./db.$ext" "db.$ext-wal"; do
        wp "db.$ext" "$cmd" -o "$t" > out.txt 2> err.txt && fail "$cmd -o $t: exit 0"
        [ "$t" = "db.$ext-wal" ] && continue # not its format's extension: a usage error
        grep -qF "$t: cannot write" err.txt || { cat err.txt >&2; fail "$cmd -o $t: no message"; }
    done
    [ "$(dbsum "db.$ext")" = "$b" ] || fail "$cmd: the database db.$ext changed"
    mkfifo "f.$ext"
    wp "$db" "$cmd" -o "f.$ext" > out.txt 2> err.txt && fail "$cmd -o FIFO: exit 0"
    grep -qF "f.$ext: cannot write: a FIFO" err.txt || { cat err.txt >&2; fail "$cmd FIFO: no message"; }
    [ -p "f.$ext" ] || fail "$cmd: the FIFO was replaced"
    mkdir "d.$ext"
    wp "$db" "$cmd" -o "d.$ext" > out.txt 2> err.txt && fail "$cmd -o folder: exit 0"
    grep -qF "d.$ext: cannot write: a folder" err.txt || { cat err.txt >&2; fail "$cmd folder: no message"; }
done
# a chart's name must end in its format: a database named so
cp "$db" fig.png
before_png=$(dbsum fig.png)
wp fig.png chart tasks -o fig.png > out.txt 2> err.txt && fail "chart -o the database: exit 0"
grep -qF 'fig.png: cannot write' err.txt || { cat err.txt >&2; fail "chart: no message"; }
[ "$(dbsum fig.png)" = "$before_png" ] || fail "chart: the database changed"
mkfifo f.svg
wp "$db" chart models -o f.svg > out.txt 2> err.txt && fail "chart -o FIFO: exit 0"
grep -qF 'f.svg: cannot write: a FIFO' err.txt || { cat err.txt >&2; fail "chart FIFO: no message"; }
[ -p f.svg ] || fail "chart: the FIFO was replaced"
mkdir figs && mkfifo figs/tasks.pdf
wp "$db" chart all -o figs --format pdf > out.txt 2> err.txt && fail "chart all over a FIFO: exit 0"
grep -qF 'figs/tasks.pdf: cannot write: a FIFO' err.txt || { cat err.txt >&2; fail "chart all: no message"; }
# batch: stats.json (written through the command's standard output) onto the database
mkdir -p bdb
ln -s "$SCRATCH/$db" bdb/stats.json
printf 'output: bdb\nreports:\n  - name: .\n    produce: [stats]\n' > bdb.yaml
wp "$db" batch bdb.yaml > out.txt 2> err.txt && fail "batch stats.json onto the database: exit 0"
[ "$(dbsum "$db")" = "$before" ] || fail "batch: the database changed"
# a normal output still works, and replaces a regular file
echo old > t.tex
wp "$db" latex -o t.tex 2> err.txt || { cat err.txt >&2; fail "latex -o a regular file"; }
grep -q 'tabular' t.tex || fail "latex: not replaced"

# batch confinement: a link inside the output root to a folder outside it
mkdir -p outside bout
ln -s ../outside bout/a
mkdir -p bout/b
ln -s ../../outside bout/b/figures
printf 'output: bout\nreports:\n  - name: a\n    produce: [report, stats]\n  - name: b\n    produce: [figures, stats]\n' > b.yaml
wp "$db" batch b.yaml > out.txt 2> err.txt && fail "batch through a link: exit 0"
[ -z "$(ls -A outside)" ] || { ls -R outside >&2; fail "batch wrote outside its root"; }
grep -qF 'bout/a: leaves the output folder' err.txt || { cat err.txt >&2; fail "batch: no message for bout/a"; }
grep -qF 'bout/b/figures: leaves the output folder' err.txt || { cat err.txt >&2; fail "batch: no message for figures"; }
grep -q '1 outputs written, 4 failed' err.txt || { cat err.txt >&2; fail "batch: miscounted"; }
[ -s bout/b/stats.json ] || fail "batch: the output inside was not written"

# batch accounting: an output root taken by a file writes nothing and says so
touch taken
printf 'output: taken\nreports:\n  - name: a\n    produce: [report, stats]\n  - name: b\n    produce: [xlsx]\n' > t.yaml
wp "$db" batch t.yaml > out.txt 2> err.txt && fail "batch into a file: exit 0"
grep -q '0 outputs written, 4 failed' err.txt || { cat err.txt >&2; fail "batch into a file: miscounted"; }
grep -qF 'taken: cannot make the output folder' err.txt || { cat err.txt >&2; fail "batch into a file: no reason"; }

# CSV formula injection: labels that a spreadsheet would run
f=$(ls "$FIX/synth/complete" | head -1)
i=0
for name in '=HYPERLINK("http://x","y")' '+1+2' '-cmd|calc' '@SUM(A1)' "$(printf '\tx')" '-5' 'plain'; do
    i=$((i + 1))
    # the same rows under other run ids (a run id names one run, whatever its file)
    sed "2,\$s/,\([0-9a-f]\{7\}\)[0-9a-f]-/,\1$i-/" "$FIX/synth/complete/$f" > "h$i.csv"
    wp h.db -q ingest --model "$name" --task t --dataset d --inferences 10 "h$i.csv" ||
        fail "ingest h$i.csv"
done
wp h.db runs --format csv > runs.csv || fail "runs csv"
wp h.db runs --format json > runs.json || fail "runs json"
python3 - runs.csv runs.json <<'PY' || fail "CSV cells not neutralised, or JSON changed"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
models = {r["model"] for r in rows}
want = {"'=HYPERLINK(\"http://x\",\"y\")", "'+1+2", "'-cmd|calc", "'@SUM(A1)", "'\tx", "-5", "plain"}
assert models == want, models
exact = {r["model"] for r in json.load(open(sys.argv[2]))}
assert exact == {m[1:] if m.startswith("'") else m for m in want}, exact
PY
exit 0
