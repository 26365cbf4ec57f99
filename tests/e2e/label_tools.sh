# chart label: the measuring tools at its foot come from the model's facts (the list the
# report and the card use), every distinct tool once, sorted.  Regression: the label built
# its own list with strstr into a 256-byte buffer and read the byte before it when a tool
# name ended another ("b 1" inside "ab 1"; AddressSanitizer: stack-buffer-underflow).
. "$(dirname "$0")/lib.bash"
command -v pdftotext >/dev/null || fail "pdftotext (poppler-utils) is needed"
db=$SCRATCH/l.db
cat > "$SCRATCH/runs.csv" <<'CSV'
run,started,model,task,dataset,queries,kwh,gpu_kwh,tool,version
r1,2024-03-01T09:00:00Z,m-one,text_classification,d,1000,0.0125,0.01,ab,1
r2,2024-03-01T09:05:00Z,m-one,text_classification,d,1000,0.0130,0.0104,b,1
r3,2024-03-01T09:10:00Z,m-one,text_classification,d,1000,0.0128,0.0102,ab,1
CSV
map='run_id=run,timestamp=started,model=model,task=task,dataset=dataset,inferences=queries,energy_kwh=kwh,gpu_energy_kwh=gpu_kwh,tool=tool,tool_version=version'
wp "$db" -q ingest --map "$map" "$SCRATCH/runs.csv" || fail "ingest"
printf 'run,started,model,task,dataset,queries,kwh,gpu_kwh,tool,version\nr4,2024-03-01T09:15:00Z,m-two,text_classification,d,1000,0.025,0.02,ab,1\n' > "$SCRATCH/two.csv"
wp "$db" -q ingest --map "$map" "$SCRATCH/two.csv" || fail "ingest m-two"
wp "$db" -q chart label --model m-one --task text_classification -o "$SCRATCH/l.pdf" ||
    fail "chart label"
pdftotext "$SCRATCH/l.pdf" - | tr '\n' ' ' > "$SCRATCH/t"
grep -qF "3 runs, ab 1, b 1" "$SCRATCH/t" || fail "the label's tools: $(cat "$SCRATCH/t")"
exit 0
