# A few seeds of the labelling differential test (tests/labels_diff/, `make check-labels`
# runs many): for each seed's random world (CodeCarbon logs with phases, repeats, a grown
# file, gzip copies, a label-stating file, earlier ingests and manifests, a random manifest,
# command-line labels; stdin, shards, --replace, --idle, generic logs with --map, ml-energy
# and boamps files, names not UTF-8, a file given twice), `ingest --manifest M FILES` and
# `ingest FILES` then `manifest M` leave the same labels, rules and attributes and say the
# same, on SQLite and PostgreSQL.
. "$(dirname "$0")/lib.bash"
. "$TOP/tests/pg/server"
command -v sqlite3 >/dev/null || { echo "skipped: no sqlite3 shell"; exit 0; }
drv=$TOP/tests/labels_diff/labels_diff.py
# 12 and 4: the widened worlds made 16 and 5 seeds take about 22 s in the suite
n_sq=12 n_pg=4
if under_valgrind; then
    n_sq=2 n_pg=1
    reduced "labels_diff: 2 seeds on SQLite and 1 on PostgreSQL (12 and 4 otherwise)"
elif under_asan; then
    # each seed is another world through the same commands: a third of them checks those
    # for memory errors
    n_sq=4 n_pg=2
    reduced_asan "labels_diff: 4 of the 12 seeds on SQLite and 2 of the 4 on PostgreSQL (make test runs them all)"
fi
cd "$SCRATCH" || fail cd
python3 "$drv" --wp "$WP" --top "$TOP" --seeds $n_sq --keep "$SCRATCH" > sq.txt 2>&1 ||
    fail "SQLite: $(cat sq.txt)"
pg_server_start || fail "cannot start a PostgreSQL server"
export PG_BIN
python3 "$drv" --wp "$WP" --top "$TOP" --backend postgresql --seeds $n_pg --keep "$SCRATCH" \
    > pg.txt 2>&1 || fail "PostgreSQL: $(cat pg.txt)"
# the worlds compared something: runs, labelled runs, a manifest not applied
grep -q "compared: [1-9][0-9]* runs ([1-9][0-9]* labelled); seeds that exit non-zero (a manifest not applied, a failed file) [1-9]" sq.txt ||
    fail "SQLite: the seeds compared too little: $(cat sq.txt)"
echo "labels_diff: $(sed -n 2p sq.txt | sed 's/^ *//'); $(sed -n 3p sq.txt | sed 's/^ *//')"
