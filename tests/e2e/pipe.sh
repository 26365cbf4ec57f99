# The parser on its own thread (WATTPRINT_INGEST_THREADS=2, src/ingest/pipe.c) and the
# default (files read ahead on a worker thread while the one before is stored,
# src/ingest/ahead.c, large ones through the pipe) give what the serial ingest (=1) gives:
# the same database (every table, ids included, but the clock's ingest times), the same
# standard output, the same standard error line for line and the same exit status; on
# every fixture, bad fixtures, --skip-bad-rows, a manifest, files that grow, files given
# twice, standard input and a pipe among files, an ingest that stops at a bad file, files
# changed after the worker read them, and large files whose parse or whose rows fail midway.
. "$(dirname "$0")/lib.bash"
TODAY=$(date -u +%F)

# mask: the ingest times (today's clock) in the database and the messages masked
# (the day the test started, or the day it is now)
mask() { sed -E "s/($TODAY|$(date -u +%F))T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/NOW/g"; }

# same NAME STEPS: runs the shell function STEPS in a folder of its own, serial (1), with
# a parser thread per file (2) and as by default (auto: read ahead), with the same relative
# paths so that messages match, and compares what each left with the serial one's.
# $MODES, when set, names the modes run (1 and others).
same() {
    local name=$1 steps=$2 t f
    for t in ${MODES:-1 2 auto}; do
        mkdir -p "$SCRATCH/$t/$name" || fail "$name: mkdir"
        (cd "$SCRATCH/$t/$name" && WATTPRINT_INGEST_THREADS=${t#auto} $steps >out.raw 2>err.raw; echo "$?" >rc)
        mask <"$SCRATCH/$t/$name/out.raw" >"$SCRATCH/$t/$name/out"
        mask <"$SCRATCH/$t/$name/err.raw" >"$SCRATCH/$t/$name/err"
        [ ! -f "$SCRATCH/$t/$name/w.db" ] || sqlite3 "$SCRATCH/$t/$name/w.db" .dump | mask >"$SCRATCH/$t/$name/dump"
    done
    local a=$SCRATCH/1/$name b
    for t in ${MODES:-1 2 auto}; do
        [ "$t" = 1 ] && continue
        b=$SCRATCH/$t/$name
        for f in rc out err dump; do
            [ -f "$a/$f" ] || [ ! -f "$b/$f" ] || fail "$name: only the run with threads=$t left $f"
            [ -f "$a/$f" ] || continue
            cmp -s "$a/$f" "$b/$f" || { diff -u "$a/$f" "$b/$f" | head -40 >&2; fail "$name: $f differs between the serial ingest and threads=$t"; }
        done
    done
}

# every fixture of every format (the study apart), in one process that goes on after a
# file that fails
all_at_once() { "$WP" --db w.db ingest --keep-going "$FIX/formats" "$FIX/synth" "$FIX/real" "$FIX/genai" "$FIX/boamps" "$FIX/aienergyscore" "$FIX/first-hour" "$FIX/measure"; }
bad_files() { "$WP" --db w.db ingest --keep-going "$FIX/bad"; }
bad_skipped() { "$WP" --db w.db ingest --keep-going --skip-bad-rows "$FIX/bad"; }
with_manifest() {
    "$WP" --db w.db ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" &&
        "$WP" --db w.db ingest --manifest "$FIX/formats/manifest.csv" --keep-going "$FIX/formats"
}
study() { "$WP" --db w.db ingest --manifest "$FIX/study/manifest.csv" "${STUDY_FILES[@]}"; }
STUDY_FILES=("$FIX/study/emissions")
# small files read ahead: a file that grew since it was ingested (read again from where
# that ingest ended) between others, files given twice, standard input and a pipe between
# files, and an ingest that stops at a bad file (the next one read ahead, never stored)
CC=$FIX/synth/complete
small_grown() {
    head -n 3 "$CC/extractive_qa__squad.csv" >log.csv && cp "$CC/text_classification__imdb.csv" b.csv &&
        "$WP" --db w.db ingest log.csv b.csv && cp "$CC/extractive_qa__squad.csv" log.csv &&
        "$WP" --db w.db ingest b.csv log.csv b.csv log.csv
}
twice() { "$WP" --db w.db ingest "$CC/extractive_qa__squad.csv" "$CC/extractive_qa__squad.csv" "$FIX/bad" "$CC" "$CC/extractive_qa__squad.csv"; }
stdin_between() { "$WP" --db w.db ingest "$CC/extractive_qa__squad.csv" - <(cat "$FIX/bad/ok_reference.csv") "$CC" <"$FIX/formats/codecarbon/v3.3_append_cpu_only.csv"; }
stops() { "$WP" --db w.db ingest "$CC/extractive_qa__squad.csv" "$FIX/bad/bad_short_row.csv" "$CC/text_classification__imdb.csv"; }
# a changed file replaced among others, and a format named with its column map (the worker
# reads the same options)
replaced() {
    cp "$CC/extractive_qa__squad.csv" a.csv && "$WP" --db w.db ingest a.csv &&
        cp "$CC/text_classification__imdb.csv" a.csv &&
        "$WP" --db w.db ingest --replace "$CC/extractive_qa__sciq.csv" a.csv "$CC/extractive_qa__squad.csv"
}
mapped() {
    cp "$FIX/formats/generic/inhouse_runs.csv" b.csv &&
        "$WP" --db w.db ingest --format generic --map "$FIX/formats/generic/inhouse.map" "$FIX/formats/generic/inhouse_runs.csv" b.csv
}
same small_grown small_grown
same twice twice
same stdin_between stdin_between
same stops stops
same replaced replaced
same mapped mapped
# Files changed after the worker read them and before their turn, as a running experiment or
# a user may change them: the ingest waits at a FIFO given first, which the worker passes
# by to read the others ahead (held.py waits until it has closed each), then one is
# rewritten in place (other values, the same size), one deleted, one replaced by another
# file and one grown.  Each is stored as it is at its turn, as the serial ingest stores it.
# Three files after the FIFO, then the fourth after another: the worker holds at most
# WP_AHEAD_FILES (4) files not taken, the FIFO's place among them until the ingest takes
# it, and then waits until half are taken, so with four files after the FIFO whether it read
# the last one ahead depended on which thread ran first (under load it did not, and held.py
# waited its 60 s).
cat >"$SCRATCH/held.py" <<'PY'
import ctypes, os, select, struct, subprocess, sys, time
wp, fifo, feed = sys.argv[1:4]
changes = [arg.split(":", 1) for arg in sys.argv[4:]]  # how:FILE, in the order given
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init()
wds = {libc.inotify_add_watch(fd, f.encode(), 0x10) for _, f in changes}  # IN_CLOSE_NOWRITE
p = subprocess.Popen([wp, "--db", "w.db", "ingest", "--keep-going", fifo] + [f for _, f in changes])
if not os.environ.get("WATTPRINT_INGEST_THREADS"):  # read ahead: the worker reads them now
    end = time.time() + 60
    while wds and select.select([fd], [], [], max(0, end - time.time()))[0]:
        buf = os.read(fd, 4096)
        while buf:
            wd, mask, cookie, n = struct.unpack_from("iIII", buf)
            wds.discard(wd)
            buf = buf[16 + n:]
    if wds:
        p.kill()
        sys.exit(97)
with open(fifo, "wb") as w:  # the ingest is at its first file, the others not yet stored
    for how, f in changes:
        if how == "rewrite":
            text = open(f, "rb").read()
            other = text.replace(b"7.035263378119037", b"8.035263378119037", 1)
            assert other != text and len(other) == len(text)
            with open(f, "r+b") as out:
                out.write(other)
        elif how == "delete":
            os.remove(f)
        elif how == "replace":
            os.rename(f + ".new", f)
        elif how == "grow":
            with open(f, "ab") as out:
                out.write(open(f + ".rest", "rb").read())
    w.write(open(feed, "rb").read())
sys.exit(p.wait())
PY
changed() {
    mkfifo first.csv second.csv && cp "$CC/extractive_qa__squad.csv" a.csv && cp "$CC/extractive_qa__sciq.csv" b.csv &&
        cp "$CC/extractive_qa__squad_v2.csv" c.csv && cp "$CC/text_classification__imdb.csv" c.csv.new &&
        head -n 3 "$CC/image_captioning__coco.csv" >d.csv && tail -n +4 "$CC/image_captioning__coco.csv" >d.csv.rest &&
        python3 "$SCRATCH/held.py" "$WP" first.csv "$FIX/bad/ok_reference.csv" rewrite:a.csv delete:b.csv replace:c.csv
    echo "rc $?"
    python3 "$SCRATCH/held.py" "$WP" second.csv "$FIX/bad/ok_reference.csv" grow:d.csv
}
# under ASan serial against read ahead, the two this case is about (the parser thread is
# for files of 1 MiB and more)
changed_modes=
if under_asan; then
    changed_modes="1 auto"
    reduced_asan "pipe: the changed files serial and read ahead, not also with the parser thread"
fi
MODES=$changed_modes same changed changed
# Under ASan the fixtures and the study go serial and with a parser thread, compared, but
# not as by default: the default ingest (read ahead) of each is its own tests' (fixtures,
# bad_fixtures, study, units, study_consistency, crash_many ...), which run under ASan too;
# make test compares all three here
fixture_modes=
if under_asan; then
    fixture_modes="1 2"
    reduced_asan "pipe: the fixtures (4 cases) and the study serial and threaded, not also as by default (2 of the 3 modes; make test compares all three)"
    # the 56 run files and the task files whose names start with 0 (400 of 6,513)
    STUDY_FILES=("$FIX/study/emissions/complete" "$FIX"/study/emissions/base/emissions_base_0*)
    reduced_asan "pipe: the study's 56 run files and $((${#STUDY_FILES[@]} - 1)) of its 6,513 task files (make test compares all)"
fi
MODES=$fixture_modes same all_at_once all_at_once
MODES=$fixture_modes same bad_files bad_files
MODES=$fixture_modes same bad_skipped bad_skipped
MODES=$fixture_modes same with_manifest with_manifest
if ! under_valgrind; then
    MODES=$fixture_modes same study study
else
    skipped "the study's 6,569 files serial vs threaded"
fi

# Large CodeCarbon files (several batches of the pipe): 5,000 runs made from a fixture's
# rows, with run ids that repeat with other values (conflicts: the store's warnings, from
# the writer side), a row in Windows-1252 (the parser's warning, mid-file), bad rows and
# a file that grows.
python3 - "$FIX/synth/complete/extractive_qa__squad.csv" "$SCRATCH/big" <<'PY' || fail "making the large files"
import csv, sys
src, out = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(src, newline="")))
head, body = rows[0], rows[1:]
rid, energy = head.index("run_id"), head.index("energy_consumed")
proj = head.index("project_name")
def make(n, bad_every=0, cp1252_at=0, bad_at=0):
    lines = [",".join(head)]
    for i in range(n):
        r = list(body[i % len(body)])
        # every 700th run reuses an earlier run id with its own values: a conflict
        k = i - 350 if i % 700 == 699 else i
        r[rid] = "%08x-0000-4000-8000-%012x" % (k, k)
        if bad_every and i % bad_every == bad_every - 1:
            r[energy] = "0.0x%d" % i
        if i + 1 == bad_at:
            r[energy] = "not-a-number"
        line = ",".join(r)
        if i + 1 == cp1252_at:
            r[proj] = r[proj] + "-caf\xe9"
            line = ",".join(r)
        lines.append(line)
    return "\n".join(lines) + "\n"
def write(name, text):
    with open(out + "." + name, "w", encoding="cp1252", newline="") as f:
        f.write(text)
write("good.csv", make(5000))
write("cp1252.csv", make(5000, cp1252_at=2500))
write("bad_rows.csv", make(5000, bad_every=997))
write("fails.csv", make(5000, bad_at=3500))
grown = make(6500)
cut = make(4000)
write("grown.csv", grown)
write("start.csv", cut + grown.split("\n")[4001][:60])  # the next row cut mid-write
PY
big() {
    cp "$SCRATCH/big.$1" "$2" || exit 99
}
large_good() { big good.csv good.csv && big cp1252.csv cp1252.csv && "$WP" --db w.db ingest cp1252.csv good.csv; }
large_fails() { big good.csv good.csv && big fails.csv fails.csv && "$WP" --db w.db ingest good.csv fails.csv; }
large_fails_kept() { big fails.csv fails.csv && "$WP" --db w.db ingest --skip-bad-rows fails.csv; }
large_bad_rows() { big bad_rows.csv bad_rows.csv && "$WP" --db w.db ingest bad_rows.csv; "$WP" --db w.db ingest --skip-bad-rows bad_rows.csv && "$WP" --db w.db rejected --format csv; }
large_append() {
    big start.csv log.csv && "$WP" --db w.db ingest log.csv && big grown.csv log.csv &&
        "$WP" --db w.db ingest log.csv && "$WP" --db w.db ingest log.csv
}
large_stdin() { "$WP" --db w.db ingest - <"$SCRATCH/big.good.csv"; }
large_gzip() { gzip -c "$SCRATCH/big.cp1252.csv" >cp.csv.gz && "$WP" --db w.db ingest cp.csv.gz; }
# the same gzip (under 1 MiB) between small files: read ahead, its recorded parse passes
# its bound (4 MiB) midway, and it is parsed again at its turn
large_gzip_ahead() { gzip -c "$SCRATCH/big.cp1252.csv" >cp.csv.gz && "$WP" --db w.db ingest "$CC/extractive_qa__squad.csv" cp.csv.gz "$CC/extractive_qa__sciq.csv"; }
same large_good large_good
same large_fails large_fails
same large_fails_kept large_fails_kept
same large_bad_rows large_bad_rows
same large_append large_append
same large_stdin large_stdin
same large_gzip large_gzip
same large_gzip_ahead large_gzip_ahead

# the comparisons above compare like with like: the runs did happen, with the outcomes
# expected of them
d=$SCRATCH/2
[ "$(cat "$d/large_fails/rc")" = 1 ] || fail "large_fails: exit $(cat "$d/large_fails/rc")"
grep -q "fails.csv:3501:13: energy_consumed" "$d/large_fails/err" || fail "large_fails: $(cat "$d/large_fails/err")"
n=$(sqlite3 "$d/large_fails/w.db" "SELECT count(*) FROM measurement m JOIN source_file s ON s.id = m.source_file_id WHERE s.path = 'fails.csv'")
[ "$n" = 0 ] || fail "large_fails: a failed file keeps nothing, got $n measurements"
n=$(sqlite3 "$d/large_fails/w.db" "SELECT count(*) FROM measurement")
[ "$n" = 5000 ] || fail "large_fails: the good file before it keeps its 5,000 rows, got $n"
n=$(sqlite3 "$d/large_fails_kept/w.db" "SELECT count(*) FROM measurement")
[ "$n" = 4999 ] || fail "large_fails_kept: 4,999 rows expected, got $n"
grep -q "already holds different values" "$d/large_good/err" || fail "large_good: no conflict warnings"
grep -q "cp1252.csv:2501:.*Windows-1252" "$d/large_good/err" || fail "large_good: no Windows-1252 warning: $(cat "$d/large_good/err")"
n=$(sqlite3 "$d/large_bad_rows/w.db" "SELECT count(*) FROM rejected_line")
[ "$n" = 5 ] || fail "large_bad_rows: 5 rejected rows expected, got $n"
grep -q "appended" "$d/large_append/err" || fail "large_append: not appended: $(cat "$d/large_append/err")"
grep -q "unchanged" "$d/large_append/err" || fail "large_append: not unchanged the third time"
n=$(sqlite3 "$d/large_append/w.db" "SELECT count(*) FROM measurement")
[ "$n" = 6500 ] || fail "large_append: 6,500 rows expected, got $n"
n=$(sqlite3 "$d/large_gzip/w.db" "SELECT count(*) FROM measurement")
[ "$n" = 5000 ] || fail "large_gzip: 5,000 rows expected, got $n"
[ "$(stat -c %s "$d/large_gzip_ahead/cp.csv.gz")" -lt 1048576 ] || fail "large_gzip_ahead: the gzip is not under 1 MiB: not read ahead"
n=$(sqlite3 "$d/large_gzip_ahead/w.db" "SELECT count(*) FROM measurement")
[ "$n" = 5035 ] || fail "large_gzip_ahead: 5,035 rows expected, got $n"
n=$(sed -n 's/^wattprint: \([0-9]*\) files ingested.*/\1/p' "$d/all_at_once/err")
[ "${n:-0}" -gt 40 ] || fail "all_at_once: only ${n:-no} files ingested: $(tail -n 3 "$d/all_at_once/err")"

# --shards (one merged log, read through the same pipe): shards.sh's checks, every parse
# on a thread of its own
WATTPRINT_INGEST_THREADS=2 bash "$(dirname "$0")/shards.sh" || fail "shards.sh with the parser on its own thread"

# the setting itself: a value other than 1 or 2 is refused
WATTPRINT_INGEST_THREADS=3 "$WP" --db "$SCRATCH/x.db" ingest "$FIX/bad/ok_reference.csv" 2>"$SCRATCH/err"
[ $? -eq 2 ] || fail "WATTPRINT_INGEST_THREADS=3 must be a usage error"
grep -q "WATTPRINT_INGEST_THREADS" "$SCRATCH/err" || fail "the message names the variable: $(cat "$SCRATCH/err")"
exit 0
