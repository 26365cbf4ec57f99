# The failure paths of every writer: an output that cannot be written (a path under a regular
# file, a full file system) fails with exit 1 and one message that names the path exactly, and
# leaves nothing behind. Regression test of a use-after-free: a figure that could not be
# written freed the path its message then printed (garbage bytes; ASan: heap-use-after-free).
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
db=$SCRATCH/w.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
M=distilbert-base-uncased-finetuned-sst-2-english
touch f

# expect_fail WHAT PATH COMMAND...: exit 1, stderr names PATH and nothing else unreadable
expect_fail() {
    local what=$1 path=$2
    shift 2
    "$@" > out.txt 2> err.txt && fail "$what: exit 0 writing $path"
    grep -qF "$path: cannot write" err.txt || { cat err.txt >&2; fail "$what: no message naming $path"; }
    # the message's bytes are the path's and the reason's: nothing freed or unprintable
    LC_ALL=C grep -q '[^[:print:][:space:]]' err.txt && { cat -v err.txt >&2; fail "$what: unprintable bytes"; }
    return 0
}

for kind in tasks scaling models components compare; do
    for ext in png svg pdf; do
        expect_fail "chart $kind .$ext" "f/x.$ext" wp "$db" chart "$kind" -o "f/x.$ext"
    done
done
expect_fail "chart label" f/l.png wp "$db" chart label --task text_classification --model "$M" -o f/l.png
expect_fail "chart label, second output" f/l.svg wp "$db" chart label --task text_classification \
    --model "$M" -o "$SCRATCH/ok.png" -o f/l.svg
expect_fail "chart all" f/tasks.png wp "$db" chart all -o f/
[ "$(grep -c 'cannot write' err.txt)" -eq 5 ] || fail "chart all: not one message per kind"
expect_fail report f/r.pdf wp "$db" report -o f/r.pdf
expect_fail xlsx f/s.xlsx wp "$db" xlsx -o f/s.xlsx
expect_fail latex f/t.tex wp "$db" latex -o f/t.tex
expect_fail card f/c.md wp "$db" card "$M" -o f/c.md

# batch figures into a folder whose name is taken by a file
mkdir -p bout/a
touch bout/a/figures
printf 'output: bout\nreports:\n  - name: a\n    produce: [figures, report]\n' > b.yaml
wp "$db" batch b.yaml > out.txt 2> err.txt && fail "batch: exit 0"
grep -qF 'bout/a/figures' err.txt || fail "batch: no message naming the figures folder"
LC_ALL=C grep -q '[^[:print:][:space:]]' err.txt && fail "batch: unprintable bytes"
grep -q '2 outputs written, 1 failed' err.txt || { cat err.txt >&2; fail "batch: the report (PDF and HTML) was not counted as written"; }

# a full file system: every writer says so and leaves no temporary file (root only: mount)
full=$SCRATCH/full
mkdir -p "$full"
if mount -t tmpfs -o size=16k tmpfs "$full" 2>/dev/null; then
    trap 'umount "$full" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
    cat /dev/zero > "$full/filler" 2>/dev/null   # full to the last block
    for spec in "chart tasks -o $full/t.png" "chart models -o $full/m.pdf" "report -o $full/r.pdf" \
                "xlsx -o $full/s.xlsx" "latex -o $full/t.tex"; do
        # shellcheck disable=SC2086
        wp "$db" $spec > out.txt 2> err.txt && fail "$spec: exit 0 on a full file system"
        grep -q 'No space left on device\|cannot write' err.txt || { cat err.txt >&2; fail "$spec: no reason"; }
        LC_ALL=C grep -q '[^[:print:][:space:]]' err.txt && fail "$spec: unprintable bytes"
    done
    left=$(find "$full" -name '*.tmp.*' | wc -l)
    [ "$left" -eq 0 ] || fail "full file system: $left temporary files left behind"
    umount "$full"
else
    echo "full file system: not tried (mount needs root)"
fi
echo "write failures: 21 writers into a path under a file, batch figures, a full file system"
