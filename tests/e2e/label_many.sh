# A manifest labels every run (issue 30): the run_experiment index is there afterwards as
# the schema defines it, the database passes SQLite's integrity check, queries by
# experiment see every run; a manifest that fails (two rows giving one run different
# models) rolls back and labels nothing.  Three runs keep the index through the pass;
# labels_pieces.sh has the pass over 70,000 that drops it and builds it again after.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
command -v sqlite3 >/dev/null || { echo "skipped: no sqlite3 shell"; exit 0; }
cat > log.csv <<'EOF'
timestamp,project_name,run_id,duration,emissions,energy_consumed
2024-01-01T10:00:00,a,,10,0.1,1
2024-01-01T11:00:00,b,,10,0.1,2
2024-01-01T12:00:00,a,,10,0.1,3
EOF
printf 'project_name,model,task,dataset,inferences\na,ma,t,d,10\nb,mb,t,d,10\n' > good.csv
printf 'project_name,model\na,mx\na,my\n' > bad.csv
index_sql="SELECT sql FROM sqlite_master WHERE name = 'run_experiment'"
wp db -q ingest log.csv || fail "ingest"
before=$(sqlite3 db "$index_sql")
[ "$before" = "CREATE INDEX run_experiment ON run (experiment_id)" ] || fail "schema: $before"
wp db -q manifest good.csv || fail "manifest"
[ "$(sqlite3 db "$index_sql")" = "$before" ] || fail "index after the manifest: $(sqlite3 db "$index_sql")"
[ "$(sqlite3 db 'PRAGMA integrity_check')" = ok ] || fail "integrity"
[ "$(sqlite3 db "SELECT COUNT(*) FROM run INDEXED BY run_experiment WHERE experiment_id IS NOT NULL")" = 3 ] ||
    fail "runs by experiment through the index"
labels=$(sqlite3 db "SELECT r.id || ':' || m.name FROM run r JOIN experiment e ON e.id = r.experiment_id
                     JOIN model m ON m.id = e.model_id ORDER BY r.id" | tr '\n' ' ')
[ "$labels" = "1:ma 2:mb 3:ma " ] || fail "labels: $labels"
# a failing manifest: rolled back, the index and the labels as they were
sum=$(dbsum db)
wp db -q manifest bad.csv 2> err.txt && fail "conflicting manifest accepted"
grep -q 'bad.csv:2:2: conflict: this row and good.csv:2 give one run different model' err.txt || fail "conflict message: $(cat err.txt)"
[ "$(sqlite3 db "$index_sql")" = "$before" ] || fail "index after the rollback"
[ "$(dbsum db)" = "$sum" ] || fail "a failed manifest changed the database"
echo "ok"
