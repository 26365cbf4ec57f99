# wattprint manifest --skeleton: from a bare CodeCarbon log (no labels) to the manifest to
# fill in: one row per group of unlabelled runs keyed by what the log names (project_name and
# experiment_id, else the file), comment lines saying what goes in each column; filled in and
# applied with `wattprint manifest`, it labels every run, and its comments are skipped.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
db=$SCRATCH/a.db
log=$FIX/real/codecarbon/huggingface__peft__outputs__emissions.csv
wp "$db" -q ingest "$log" || fail "ingest"
# a log that names nothing: matched by its file
{ echo "timestamp,duration,emissions,energy_consumed,country_iso_code"
  for i in 1 2; do echo "2024-01-0${i}T10:00:00,1$i.5,0.000$i,0.00$i,FRA"; done
} > bare.csv
wp "$db" -q ingest bare.csv || fail "ingest bare.csv"
wp "$db" manifest --skeleton -o sk.csv 2> err.txt || fail "skeleton: $(cat err.txt)"
grep -q 'sk.csv: 4 rows for 5 unlabelled runs' err.txt || fail "summary line: $(cat err.txt)"
[ "$(grep -c '^#' sk.csv)" -ge 8 ] || fail "no comment per column"
grep -v '^#' sk.csv > rows.csv
cat > want.csv <<'CSV'
file,project_name,experiment_id,model,task,dataset,inferences,parameters,purpose
,codecarbon,51175838-7d7b-4cb7-9a5c-130577de82d6,,,,,,
,codecarbon,7f045061-94a9-4207-9a65-a32b8c304a72,,,,,,
,codecarbon,fac63310-5e52-462f-907f-0d32c50f3bc7,,,,,,
bare.csv,,,,,,,,
CSV
diff -u want.csv rows.csv || fail "skeleton rows"
wp "$db" manifest --skeleton > stdout.csv 2>/dev/null || fail "skeleton to stdout"
cmp -s sk.csv stdout.csv || fail "stdout and -o differ"
# filled in (as a user would, in place: comments stay), then applied
sed -e 's/^\(,codecarbon,[0-9a-f-]*\),,,,,,$/\1,bigscience\/mt0-small,summarization,xsum,100,300000000,multi-purpose/' \
    -e 's/^bare.csv,,,,,,,,$/bare.csv,,,my-model,text_classification,imdb,1000,,task-specific/' sk.csv > filled.csv
wp "$db" manifest filled.csv 2> err.txt || fail "apply: $(cat err.txt)"
grep -q '5 runs labelled' err.txt || fail "apply: $(cat err.txt)"
[ -z "$(wp "$db" runs --unlabeled --format csv | tail -n +2)" ] || fail "runs left unlabelled"
wp "$db" summary --format csv > summary.csv || fail "summary"
grep -q '^summarization,' summary.csv && grep -q '^text_classification,' summary.csv ||
    fail "labelled runs not in the summary: $(cat summary.csv)"
wp "$db" manifest --skeleton 2> err.txt > empty.csv || fail "skeleton when all are labelled"
grep -q '0 rows for 0 unlabelled runs (every run is labelled)' err.txt || fail "$(cat err.txt)"
# a quoted '#' value is data, a line starting with '#' a comment
printf '# a comment\nproject_name,model\n"#x",m\n' > hash.csv
wp "$db" manifest hash.csv 2> err.txt || fail "a quoted # refused: $(cat err.txt)"
grep -q '1 rules' err.txt || fail "the quoted # row is not a rule: $(cat err.txt)"
# usage
"$WP" --db "$db" manifest --skeleton filled.csv 2> /dev/null; [ $? -eq 2 ] || fail "--skeleton FILE accepted"
"$WP" --db "$db" manifest -o x.csv filled.csv 2> /dev/null; [ $? -eq 2 ] || fail "-o without --skeleton accepted"
# a header typo ("Model", "inference", "Batch Size") is kept as an attribute, as any other
# column is, but said at its column with the label it most likely meant
fh=$SCRATCH/fh.db
"$WP" --db "$fh" -q ingest "$FIX/first-hour/emissions.csv" || fail "ingest first-hour"
printf 'project_name,Model,task,dataset,inference,Batch Size,purpose\ncodecarbon,bert,text_classification,imdb,1000,8,task-specific\n' \
    > "$SCRATCH/typo.csv"
"$WP" --db "$fh" manifest "$SCRATCH/typo.csv" 2> "$SCRATCH/err" || fail "manifest with typos"
grep -q 'typo.csv:1:2: column "Model" is not one of the manifest.s columns, so it is kept as an attribute of the experiments; did you mean "model"?' \
    "$SCRATCH/err" || fail "Model: $(cat "$SCRATCH/err")"
grep -q 'typo.csv:1:5: column "inference" .*did you mean "inferences"?' "$SCRATCH/err" || fail "inference"
grep -q 'typo.csv:1:6: column "Batch Size" .*did you mean "batch_size"?' "$SCRATCH/err" || fail "Batch Size"
grep -q '"purpose"' "$SCRATCH/err" && fail "an attribute column warned"
echo "skeleton: 4 groups of a real log and a bare one, filled and applied, every run labelled"
