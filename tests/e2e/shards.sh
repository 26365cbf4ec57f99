# ingest --shards: the CodeCarbon logs of the processes of one distributed run (one per GPU,
# CodeCarbon issue #544) each hold the node's CPU and RAM energy.  Ingested as separate
# files they count those once per process (and make one run per process); with --shards
# they are one run per run of the files: GPU energy summed, CPU and RAM taken once (from
# the shard whose run lasted longest), and the message says so.  Each shard is recorded
# with its own hash: ingesting one alone later changes nothing; a shard already ingested
# alone is refused; shards that do not line up are refused with FILE:LINE[:COL].  A
# manifest's shards column says the same of the files it names (#19 follow-up): one run
# per value, each said; one file of a value alone, a value without a file glob and a file
# of two values are said at the manifest's line.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
# make_shards N GPUS_EACH: emissions_K.csv for K < N, two flushes each; shard N-1 runs
# longest; GPU energy differs per shard, CPU and RAM nearly the same (the node's)
make_shards() {
    python3 - "$FIX/synth/complete" "$1" "$2" <<'PY'
import csv, os, sys, uuid
src, n, gpus = sys.argv[1], int(sys.argv[2]), sys.argv[3]
f = sorted(os.listdir(src))[0]
base = next(csv.DictReader(open(os.path.join(src, f))))
for k in range(n):
    with open(f"emissions_{k}.csv", "w", newline="") as o:
        w = csv.DictWriter(o, fieldnames=list(base), lineterminator="\n")
        w.writeheader()
        for flush in (1, 2):
            r = dict(base, run_id=str(uuid.UUID(int=k + 1)), duration=repr(100.0 * flush + k),
                     gpu_count=gpus, gpu_power="300")
            cpu, ram, gpu = 0.001 * flush * (1 + 0.001 * k), 0.0005 * flush, 0.002 * flush * (1 + 0.1 * k)
            r.update(cpu_energy=repr(cpu), ram_energy=repr(ram), gpu_energy=repr(gpu),
                     energy_consumed=repr(cpu + ram + gpu), emissions=repr((cpu + ram + gpu) * 0.4),
                     emissions_rate=repr((cpu + ram + gpu) * 0.4 / (100.0 * flush + k)))
            w.writerow(r)
PY
}
# kwh DB: runs, then energy, CPU, GPU and RAM kWh and g of the database
kwh() { wp "$1" runs --format csv | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
s = lambda k: round(sum(float(r[k] or 0) for r in rows), 12)
print(len(rows), s("energy_kwh"), s("cpu_energy_kwh"), s("gpu_energy_kwh"), s("ram_energy_kwh"), s("emissions_g"))'; }

make_shards 4 1
gzip -k emissions_3.csv
# the last flush: CPU of shard 3 (longest), RAM once, GPU of all four
want_cpu=0.002006 want_ram=0.001 want_gpu=0.0184
wp a.db ingest --shards emissions_0.csv emissions_1.csv emissions_2.csv emissions_3.csv.gz 2> err.txt ||
    fail "shards: $(cat err.txt)"
grep -q "note: emissions_0.csv and 3 more: 4 shards of one run merged into 2 rows: GPU energy summed over the shards, CPU and RAM energy (the node's, in each shard) taken once" err.txt ||
    fail "message: $(cat err.txt)"
read -r n e cpu gpu ram g <<< "$(kwh a.db)"
[ "$n" = 1 ] || fail "$n runs, expected one run"
[ "$cpu" = "$want_cpu" ] && [ "$ram" = "$want_ram" ] && [ "$gpu" = "$want_gpu" ] || fail "components: cpu $cpu ram $ram gpu $gpu"
python3 -c "import sys; e, g = float(sys.argv[1]), float(sys.argv[2]); t = 0.002006 + 0.001 + 0.0184
assert abs(e - t) < 1e-12 and abs(g - t * 400) < 1e-9, (e, g)" "$e" "$g" || fail "energy $e, emissions $g"
# as separate files they would be four runs, CPU and RAM four times: what --shards prevents
wp b.db -q ingest emissions_0.csv emissions_1.csv emissions_2.csv emissions_3.csv || fail "separately"
read -r nb eb cpub gpub ramb gb <<< "$(kwh b.db)"
[ "$nb" = 4 ] && python3 -c "import sys; assert float(sys.argv[1]) > 3.9 * 0.001" "$ramb" || fail "the separate ingest is not the double count this test is about: $nb $ramb"
# provenance: every shard recorded with its own hash; the run belongs to the first
[ "$(sqlite3 a.db "SELECT count(*) FROM source_file")" = 4 ] || fail "sources"
sqlite3 a.db "SELECT sha256 FROM source_file WHERE name = 'emissions_1.csv'" | grep -qx "$(sha256sum emissions_1.csv | cut -d' ' -f1)" || fail "shard hash"
wp a.db runs --format csv | grep -q ',emissions_0.csv,' || fail "the run is not the first shard's"
# again: unchanged; one shard alone later: unchanged
before=$(dbsum a.db)
wp a.db ingest --shards emissions_0.csv emissions_1.csv emissions_2.csv emissions_3.csv.gz 2> err.txt || fail "again"
grep -q "were ingested together before: unchanged" err.txt || fail "again: $(cat err.txt)"
wp a.db ingest emissions_2.csv 2> err.txt || fail "one shard alone"
grep -q "emissions_2.csv: unchanged" err.txt || fail "one shard alone: $(cat err.txt)"
[ "$(dbsum a.db)" = "$before" ] || fail "the database changed"
# a shard ingested alone before: refused, nothing stored
wp c.db -q ingest emissions_1.csv || fail "setup c"
before=$(dbsum c.db)
wp c.db ingest --shards emissions_0.csv emissions_1.csv 2> err.txt && fail "a shard ingested before was merged"
grep -q "emissions_1.csv: was ingested before on its own" err.txt || fail "message: $(cat err.txt)"
[ "$(dbsum c.db)" = "$before" ] || fail "c: the database changed"

# each shard logged all 4 GPUs of the node: GPU taken once too
make_shards 4 4
wp d.db ingest --shards emissions_*.csv 2> err.txt || fail "machine-wide: $(cat err.txt)"
grep -q "each logged all 4 GPUs of the node, so GPU, CPU and RAM energy are each taken once" err.txt || fail "machine-wide: $(cat err.txt)"
read -r n e cpu gpu ram g <<< "$(kwh d.db)"
[ "$gpu" = 0.0052 ] || fail "machine-wide GPU $gpu, expected shard 3's 0.0052"

# shards that do not line up
make_shards 3 1
head -2 emissions_2.csv > short.csv
wp e.db -q migrate || fail "migrate"
before=$(dbsum e.db)
wp e.db ingest --shards emissions_0.csv short.csv 2> err.txt && fail "rows that do not line up"
grep -q "short.csv:2: run 1 has 1 rows where emissions_0.csv has 2" err.txt || fail "rows: $(cat err.txt)"
cut -d, -f1-30 emissions_1.csv > narrow.csv
wp e.db ingest --shards emissions_0.csv narrow.csv 2> err.txt && fail "other columns"
grep -q "narrow.csv:1: not the same columns as emissions_0.csv" err.txt || fail "columns: $(cat err.txt)"
python3 - <<'PY'
import csv
rows = list(csv.reader(open("emissions_1.csv")))
rows[2][rows[0].index("gpu_energy")] = "lots"
csv.writer(open("bad.csv", "w", newline=""), lineterminator="\n").writerows(rows)
PY
col=$(head -1 emissions_1.csv | tr ',' '\n' | grep -nx gpu_energy | cut -d: -f1)
wp e.db ingest --shards emissions_0.csv bad.csv 2> err.txt && fail "a bad number"
grep -q "bad.csv:3:$col: gpu_energy: \"lots\" is not a number" err.txt || fail "bad number: $(cat err.txt)"
[ "$(dbsum e.db)" = "$before" ] || fail "e: the database changed"
# the manifest says which files are one run: its shards column names the run, the file
# column the run's files; the same runs, energy and labels as --shards given per run
mkdir m && cd m || fail "cd m"
make_shards 4 1
mv emissions_0.csv runA_0.csv; mv emissions_1.csv runA_1.csv
mv emissions_2.csv runB_0.csv; mv emissions_3.csv runB_1.csv
cp "$(ls "$FIX"/synth/complete/*.csv | head -1)" solo.csv
cat > m.csv <<'CSV'
file,shards,model,task,dataset,inferences
runA_*.csv,run-a,model-a,text_classification,imdb,1000
runB_*.csv,run-b,model-b,text_classification,imdb,1000
solo.csv,,model-s,text_classification,imdb,1000
CSV
wp m.db ingest --manifest m.csv runA_0.csv runB_0.csv solo.csv runA_1.csv runB_1.csv 2> err.txt ||
    fail "manifest shards: $(cat err.txt)"
for r in A B; do
    grep -q "note: run${r}_0.csv and 1 more: 2 shards of one run merged into 2 rows: GPU energy summed over the shards, CPU and RAM energy (the node's, in each shard) taken once" err.txt ||
        fail "manifest shards: no note for run $r: $(cat err.txt)"
done
wp ref.db -q ingest --shards runA_0.csv runA_1.csv || fail "ref A"
wp ref.db -q ingest --shards runB_0.csv runB_1.csv || fail "ref B"
wp ref.db -q ingest --manifest m.csv solo.csv || fail "ref solo"
[ "$(kwh m.db)" = "$(kwh ref.db)" ] || fail "manifest shards: $(kwh m.db) vs --shards $(kwh ref.db)"
read -r n _ <<< "$(kwh m.db)"
[ "$n" = $((2 + $(wp ref.db runs --format csv | grep -c solo.csv))) ] || fail "manifest shards: $n runs"
wp m.db runs --format csv | grep ',runA_0.csv,' | grep -q model-a || fail "run A not labelled: $(wp m.db runs --format csv)"
wp m.db runs --format csv | grep -q ',runA_1.csv,' && fail "shard A1 is a run of its own"
# a shards value that names one of the files given: said, the file ingested alone
printf 'file,shards,model\nrunA_0.csv,run-a,model-a\n' > one.csv
wp one.db ingest --manifest one.csv runA_0.csv 2> err.txt || fail "one shard: $(cat err.txt)"
grep -q "one.csv:2: shards \"run-a\": one of the files given is a shard of it (runA_0.csv): ingested as a log of its own" err.txt ||
    fail "one shard: $(cat err.txt)"
# a shards value without a file glob, a file in two runs: errors at the manifest's line
printf 'project_name,shards,model\np,run-a,model-a\n' > noglob.csv
wp bad.db ingest --manifest noglob.csv runA_0.csv runA_1.csv 2> err.txt && fail "shards without a glob"
grep -q "noglob.csv:2:2: shards \"run-a\": the row names no file glob" err.txt || fail "no glob: $(cat err.txt)"
printf 'file,shards\nrunA_*.csv,run-a\nrunA_1.csv,run-x\n' > twice.csv
wp bad.db ingest --manifest twice.csv runA_0.csv runA_1.csv 2> err.txt && fail "a file in two runs"
grep -q "twice.csv:3:2: shards \"run-x\": runA_1.csv is a shard of \"run-a\" already (line 2)" err.txt ||
    fail "two runs: $(cat err.txt)"
[ "$(wp bad.db runs --format csv | tail -n +2 | wc -l)" = 0 ] || fail "a bad manifest stored runs"
cd .. || fail "cd .."

# usage
wp e.db ingest --shards emissions_0.csv 2> err.txt && fail "one shard"
wp e.db ingest --shards --skip-bad-rows emissions_0.csv emissions_1.csv 2> err.txt && fail "--skip-bad-rows"
grep -q "two or more CodeCarbon logs" err.txt || fail "usage: $(cat err.txt)"
exit 0
