# Directory walks: symbolic links that loop end (a folder with two links to itself used to be
# read 2^64 ways, never finishing), a link to a parent reads no file twice (it read each ~40
# times), and a FIFO, a socket, a device or a link to nothing is skipped with a note that
# says which it was (the README promises it), never waited on.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
src=$FIX/synth/complete
a=$(ls "$src" | head -1)
b=$(ls "$src" | sed -n 2p)

# ingest_dir NAME DIR: ingests DIR into NAME.db within 60 s; messages in NAME.err
ingest_dir() {
    timeout 60 "$WP" --db "$1.db" ingest "$2" > /dev/null 2> "$1.err"
    local rc=$?
    [ "$rc" -eq 124 ] && fail "$1: ingest of $2 did not end in 60 s"
    return "$rc"
}
# read_count ERR: how many files the ingest read (one line each when stderr is no terminal)
read_count() { grep -c ': \(ingested\|unchanged\|appended\) (' "$1"; }

# two links to the folder itself, beside two logs
mkdir -p loop/sub
cp "$src/$a" loop/
cp "$src/$b" loop/sub/
ln -s . loop/self1
ln -s . loop/self2
ln -s .. loop/sub/up
ingest_dir loop loop || { cat loop.err >&2; fail "loop: ingest failed"; }
[ "$(read_count loop.err)" -eq 2 ] || { cat loop.err >&2; fail "loop: read $(read_count loop.err) files, not 2"; }
grep -q 'note: skipped loop/self1: a folder already read' loop.err || { cat loop.err >&2; fail "loop: no note"; }
grep -q 'note: skipped loop/sub/up: a folder already read' loop.err || fail "loop: no note for the link to the parent"

# a link to a parent from deep inside: each file read once
mkdir -p deep/a/b/c
cp "$src/$a" deep/
cp "$src/$b" deep/a/b/
ln -s ../../.. deep/a/b/c/top
ingest_dir deep deep || { cat deep.err >&2; fail "deep: ingest failed"; }
[ "$(read_count deep.err)" -eq 2 ] || { cat deep.err >&2; fail "deep: read $(read_count deep.err) files, not 2"; }

# two command-line folders, one inside the other: the inner one is not read twice
ingest_dir nested deep deep/a || { cat nested.err >&2; fail "nested: ingest failed"; }
[ "$(read_count nested.err)" -eq 2 ] || { cat nested.err >&2; fail "nested: read $(read_count nested.err) files, not 2"; }

# what is not a file: each said, none waited on, the logs beside them read
mkdir odd
cp "$src/$a" odd/
mkfifo odd/fifo.csv
ln -s nowhere.csv odd/dangling.csv
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' odd/sock.csv
dev=no
if mknod odd/null.csv c 1 3 2> /dev/null; then dev=yes; fi
ingest_dir odd odd || { cat odd.err >&2; fail "odd: ingest failed"; }
[ "$(read_count odd.err)" -eq 1 ] || { cat odd.err >&2; fail "odd: read $(read_count odd.err) files, not 1"; }
grep -q 'skipped odd/fifo.csv: a FIFO' odd.err || { cat odd.err >&2; fail "odd: FIFO not said"; }
grep -q 'skipped odd/sock.csv: a socket' odd.err || { cat odd.err >&2; fail "odd: socket not said"; }
grep -q 'skipped odd/dangling.csv: a symbolic link to nothing' odd.err || { cat odd.err >&2; fail "odd: dangling link not said"; }
if [ "$dev" = yes ]; then
    grep -q 'skipped odd/null.csv: a device' odd.err || { cat odd.err >&2; fail "odd: device not said"; }
fi
want=3
[ "$dev" = yes ] && want=4
grep -q " $want skipped, " odd.err || { cat odd.err >&2; fail "odd: the summary does not count $want skipped"; }
# -q: no notes
"$WP" --db odd.db -q ingest odd 2> q.err || fail "odd -q: ingest failed"
[ -s q.err ] && { cat q.err >&2; fail "-q printed notes"; }
exit 0
