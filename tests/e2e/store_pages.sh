# The SQLite file's page size and checkpoints (src/store/sqlite.c): a new database gets 2 KiB
# pages; one made with other pages (an earlier wattprint used 4 KiB) keeps them and ingests
# and reads the same; after a many-file ingest with its larger WAL the -wal file is gone
# (checkpointed when the last connection closed) and the database is whole.
. "$(dirname "$0")/lib.bash"
new=$SCRATCH/new.db
old=$SCRATCH/old.db
wp "$new" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest, new"
[ "$(sqlite3 "$new" 'PRAGMA page_size')" = 2048 ] || fail "a new database has not 2 KiB pages"
sqlite3 "$old" 'PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (x); DROP TABLE t;' > /dev/null ||
    fail "make a 4 KiB database"
wp "$old" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest, 4 KiB"
[ "$(sqlite3 "$old" 'PRAGMA page_size')" = 4096 ] || fail "an existing database changed its page size"
wp "$new" stats --format csv > "$SCRATCH/new.csv" || fail "stats, new"
wp "$old" stats --format csv > "$SCRATCH/old.csv" || fail "stats, 4 KiB"
cmp -s "$SCRATCH/new.csv" "$SCRATCH/old.csv" || fail "the page size changed a number"
for db in "$new" "$old"; do
    [ -e "$db-wal" ] && [ -s "$db-wal" ] && fail "$db: a WAL was left behind"
    [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "$db: integrity check"
done
exit 0
