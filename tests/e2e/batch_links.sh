# Batch outputs stay in their output root even when a symbolic link is swapped in while the
# batch runs (#19 item 7: the folders were checked, then written by path, a race).  The
# batch opens each output folder beneath the root without following a link out, and writes
# through that descriptor (/proc/self/fd/N/...).  To swap at a known moment, a template the
# report (or the card) reads is a FIFO: the batch has opened its folder and waits on it;
# the test moves the folder away, puts a link to a folder outside the root in its place,
# then feeds the FIFO.  The outputs must land in the folder that was opened, none outside.
# Also: a link inside the root that stays inside is followed, one that leaves is refused.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"

# feed FIFO SOURCE: writes SOURCE into the FIFO each time a reader opens it, until stop
feed() {
    while [ ! -e "$SCRATCH/stop" ]; do cat "$2" > "$1" 2>/dev/null || break; done
}
# unfeed FIFO: stops the feeder (a writer blocked on the FIFO is let through once)
unfeed() {
    touch "$SCRATCH/stop"
    timeout 10 cat "$1" > /dev/null 2>&1
    wait "$2" 2>/dev/null
    rm -f "$SCRATCH/stop"
}
# waiting PID: whether process PID waits in the open of a FIFO for a writer (the batch has
# checked, or opened, the folder and its command reads the template)
waiting() {
    [ "$(cat /proc/"$1"/wchan 2>/dev/null)" = wait_for_partner ]
}
# pinned PID DIR: whether process PID holds DIR open (this batch opened that folder)
pinned() {
    local f
    for f in /proc/"$1"/fd/*; do
        [ "$(readlink "$f" 2>/dev/null)" = "$2" ] && return 0
    done
    return 1
}
# swap_run NAME PRODUCE FIFO-TEMPLATE SOURCE SWAPPED: runs a batch of one entry NAME,
# swaps the folder SWAPPED (relative to the root) for a link out once the batch holds it
swap_run() {
    local name=$1 produce=$2 fifo=$3 src=$4 swapped=$5
    rm -rf tpl bout outside
    mkdir -p "tpl/$(dirname "$fifo")" "bout/$swapped" outside
    mkfifo "tpl/$fifo" || fail "mkfifo"
    printf 'output: bout\nreports:\n  - name: %s\n    produce: [%s]\n' "$name" "$produce" > s.yaml
    WATTPRINT_TEMPLATES=$SCRATCH/tpl "$WP" --db "$db" batch s.yaml > out.txt 2> err.txt &
    local pid=$! i=0
    while ! waiting "$pid"; do
        i=$((i + 1))
        [ $i -gt 1200 ] && { kill "$pid"; fail "$name: the batch never read its template"; }
        sleep 0.1
    done
    pinned "$pid" "$SCRATCH/bout/$swapped" || echo "note: $name: the batch does not hold bout/$swapped open" >&2
    mv "bout/$swapped" "bout/$swapped.moved" || fail "move"
    ln -s "$SCRATCH/outside" "bout/$swapped" || fail "link"
    feed "tpl/$fifo" "$src" &
    local feeder=$!
    wait "$pid"
    local rc=$?
    unfeed "tpl/$fifo" "$feeder"
    [ -z "$(ls -A outside)" ] || { ls -lR outside >&2; fail "$name: the batch wrote outside its root through the link swapped in"; }
    return $rc
}

# the entry's folder swapped while the report waits for its template
swap_run a report report/summary.txt "$TOP/templates/report/summary.txt" a ||
    fail "report: $(cat err.txt)"
[ -s bout/a.moved/report.pdf ] && [ -s bout/a.moved/report.html ] ||
    { ls -lR bout >&2; fail "report: not written into the folder the batch opened"; }
# a subfolder (cards) swapped while the card waits for its template
swap_run c cards card.md "$TOP/templates/card.md" c/cards || fail "cards: $(cat err.txt)"
[ -n "$(ls bout/c/cards.moved/ 2>/dev/null)" ] || { ls -lR bout >&2; fail "cards: not written into the folder the batch opened"; }

# links present before the batch: inside the root and staying there, followed (where the
# kernel has openat2; else refused, never followed out); one that leaves, refused
rm -rf bout outside
mkdir -p bout/real outside
ln -s real bout/in
ln -s ../outside bout/out
ln -s "$SCRATCH/bout/real" bout/abs
printf 'output: bout\nreports:\n  - name: in\n    produce: [stats]\n  - name: out\n    produce: [stats]\n' > l.yaml
wp "$db" batch l.yaml > out.txt 2> err.txt && fail "a link out of the root: exit 0"
[ -z "$(ls -A outside)" ] || fail "written through a link out of the root"
grep -qF 'bout/out: leaves the output folder' err.txt || fail "link out: $(cat err.txt)"
if [ -s bout/real/stats.json ]; then
    grep -q '1 outputs written, 1 failed' err.txt || fail "miscounted: $(cat err.txt)"
else
    grep -qF 'bout/in: a symbolic link here leads out of the output root' err.txt || fail "link in: $(cat err.txt)"
fi
exit 0
