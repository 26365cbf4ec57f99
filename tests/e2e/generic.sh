# The generic CSV format through the CLI: an in-house log read with its column map file
# (and the same map inline) beside CodeCarbon data shows in the per-task summary with the
# labels its columns state; unmapped columns are kept; re-ingest with another map changes
# nothing and says so; --skip-bad-rows; usage and map errors.
. "$(dirname "$0")/lib.bash"
G=$FIX/formats/generic
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "synth"
wp "$db" summary --format csv > "$SCRATCH/before.csv"
wp "$db" ingest --map "$G/inhouse.map" "$G/inhouse_runs.csv" 2>"$SCRATCH/err" || fail "generic: $(cat "$SCRATCH/err")"
grep -q "ingested (generic): 3 rows" "$SCRATCH/err" || fail "no ingest line: $(cat "$SCRATCH/err")"

# the summary: text_classification gains exactly the 3 generic runs, whose mean is known
wp "$db" summary --format csv > "$SCRATCH/after.csv"
wp "$db" runs --format csv > "$SCRATCH/runs.csv"
python3 - "$SCRATCH/before.csv" "$SCRATCH/after.csv" "$SCRATCH/runs.csv" <<'PY' || fail "summary"
import csv, sys
before = {r["task"]: r for r in csv.DictReader(open(sys.argv[1]))}
after = {r["task"]: r for r in csv.DictReader(open(sys.argv[2]))}
assert set(before) == set(after), (before.keys(), after.keys())
for t in after:
    n = int(after[t]["runs"]) - int(before[t]["runs"])
    assert n == (3 if t == "text_classification" else 0), (t, n)
b, a = before["text_classification"], after["text_classification"]
nb = int(b["runs"])
# the three generic runs: 0.0125, 0.013, 0.0118 kWh for 1000 inferences each
mean = (float(b["mean_kwh_per_1k_inferences"]) * nb + 0.0125 + 0.013 + 0.0118) / (nb + 3)
assert abs(float(a["mean_kwh_per_1k_inferences"]) - mean) <= 1e-12 * mean, (a, mean)
g = [r for r in csv.DictReader(open(sys.argv[3])) if r["source_file"] == "inhouse_runs.csv"]
assert len(g) == 3, g
for r in g:
    assert r["model"] == "inhouse-bert (generic demo)" and r["dataset"] == "formats-demo", r
    assert r["inferences"] == "1000", r
assert sorted(float(r["duration_s"]) for r in g) == [118.25, 125.0, 131.5], g
assert abs(sum(float(r["emissions_g"]) for r in g) - 7.46) < 1e-12, g
PY
# unmapped columns are kept as key/value pairs, verbatim (a quoted comma included)
[ "$(sqlite3 "$db" "SELECT value FROM measurement_extra WHERE key = 'Notes' ORDER BY value")" = \
  "$(printf 'rerun, after a driver update\nwarm cache')" ] || fail "Notes extras"
[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM measurement_extra WHERE key = 'Host'")" = 3 ] || fail "Host extras"

# the same file again, with another map: its content identifies it, nothing changes, a warning
sum=$(dbsum "$db")
wp "$db" ingest --map "energy_j=Total kWh,duration_s=Wall time (ms)" "$G/inhouse_runs.csv" \
    2>"$SCRATCH/err" || fail "re-ingest: $(cat "$SCRATCH/err")"
grep -q "unchanged (generic)" "$SCRATCH/err" || fail "not unchanged: $(cat "$SCRATCH/err")"
grep -q "warning: .*the --map given now is not applied" "$SCRATCH/err" || fail "no warning: $(cat "$SCRATCH/err")"
[ "$(dbsum "$db")" = "$sum" ] || fail "re-ingest with another map changed the database"

# the same content twice in one ingest with its map (a copy under another name): the second
# is unchanged, read with this very map, so no warning; a later ingest of it still warns
fresh=$SCRATCH/twice.db
cp "$G/inhouse_runs.csv" "$SCRATCH/copy_runs.csv"
wp "$fresh" ingest --map "$G/inhouse.map" "$G/inhouse_runs.csv" "$SCRATCH/copy_runs.csv" \
    2>"$SCRATCH/err" || fail "twice: $(cat "$SCRATCH/err")"
grep -q "copy_runs.csv: unchanged (generic)" "$SCRATCH/err" || fail "twice: the copy not unchanged: $(cat "$SCRATCH/err")"
grep -q "the --map given now is not applied" "$SCRATCH/err" && fail "twice: a warning for the map this ingest applied: $(cat "$SCRATCH/err")"
wp "$fresh" ingest --map "$G/inhouse.map" "$SCRATCH/copy_runs.csv" 2>"$SCRATCH/err" || fail "again: $(cat "$SCRATCH/err")"
grep -q "warning: .*the --map given now is not applied" "$SCRATCH/err" || fail "again: no warning: $(cat "$SCRATCH/err")"

# the map inline reads the same as the map file
db2=$SCRATCH/b.db
wp "$db2" -q ingest --map "run_id=Run,timestamp=Started,model=Model name,task=Task,dataset=Dataset,inferences=Queries,duration_ms=Wall time (ms),energy_kwh=Total kWh,gpu_energy_kwh=GPU kWh,cpu_energy_kwh=CPU kWh,ram_energy_kwh=RAM kWh,emissions_kg=CO2 (kg),gpu_model=GPU" \
    "$G/inhouse_runs.csv" || fail "inline map"
wp "$db2" runs --format csv | cut -d, -f3- > "$SCRATCH/inline.csv"
grep "inhouse_runs.csv" "$SCRATCH/runs.csv" | cut -d, -f3- > "$SCRATCH/file.csv"
diff "$SCRATCH/file.csv" <(tail -n +2 "$SCRATCH/inline.csv") >&2 || fail "inline map reads differently"

# never detected: without --map the file is refused, and generic is not among the tries
db3=$SCRATCH/c.db
wp "$db3" ingest "$G/inhouse_runs.csv" 2>"$SCRATCH/err" && fail "detected without --map"
grep -q "not a recognised format" "$SCRATCH/err" || fail "refusal: $(cat "$SCRATCH/err")"
if grep -q "generic does not read it" "$SCRATCH/err"; then fail "generic tried by detection: $(cat "$SCRATCH/err")"; fi
# every reader that tried says why, whole, one note each (one message once cut them short),
# and the error says what to do; -q keeps the error alone
n=$(grep -c "inhouse_runs.csv: [a-z0-9-]* does not read it: " "$SCRATCH/err")
[ "$n" -ge 8 ] || fail "a note per reader: $n in $(cat "$SCRATCH/err")"
grep -q "rapl does not read it: no energy_uj counter column with a timestamp$" "$SCRATCH/err" ||
    fail "the last reader's reason, whole: $(cat "$SCRATCH/err")"
grep -q "inhouse_runs.csv:1: not a recognised format: none of the $n readers claims it.*--format generic --map FILE" \
    "$SCRATCH/err" || fail "the refusal says what to do: $(cat "$SCRATCH/err")"
wp "$db3" -q ingest "$G/inhouse_runs.csv" 2>"$SCRATCH/err" && fail "detected without --map (-q)"
[ "$(grep -c . "$SCRATCH/err")" = 1 ] || fail "-q: only the error: $(cat "$SCRATCH/err")"

# usage: --format generic needs a map; --map is only for generic
wp "$db3" ingest --format generic "$G/inhouse_runs.csv" 2>"$SCRATCH/err"
[ $? -eq 2 ] || fail "--format generic without --map: not a usage error"
grep -q "needs a column map" "$SCRATCH/err" || fail "$(cat "$SCRATCH/err")"
wp "$db3" ingest --format zeus --map "energy_j=x" "$G/inhouse_runs.csv" 2>"$SCRATCH/err"
[ $? -eq 2 ] || fail "--map with --format zeus: not a usage error"
wp "$db3" ingest --map "$SCRATCH/nonexistent.map" "$G/inhouse_runs.csv" 2>"$SCRATCH/err"
[ $? -eq 1 ] || fail "missing map file: not exit 1"
grep -q "nonexistent.map: cannot open the column map" "$SCRATCH/err" || fail "$(cat "$SCRATCH/err")"
wp "$db3" ingest --map "energy_kwh=Total kWh,enrgy_j=x" "$G/inhouse_runs.csv" 2>"$SCRATCH/err"
[ $? -eq 1 ] || fail "bad inline map: not exit 1"
grep -q -- "--map:1:22: unknown key \"enrgy_j\"" "$SCRATCH/err" || fail "$(cat "$SCRATCH/err")"

# --skip-bad-rows: the good rows go in, the bad one is kept verbatim with its reason
printf 'kWh,secs\n0.5,10\n0.x,5\n0.25,5\n' > "$SCRATCH/damaged.csv"
wp "$db3" -q ingest --skip-bad-rows --map "energy_kwh=kWh,duration_s=secs" "$SCRATCH/damaged.csv" ||
    fail "skip-bad-rows"
[ "$(wp "$db3" runs --format csv | tail -n +2 | wc -l)" -eq 2 ] || fail "skip-bad-rows: runs"
wp "$db3" rejected --format csv > "$SCRATCH/rej.csv"
grep -q '0.x,5' "$SCRATCH/rej.csv" && grep -q 'is not a number' "$SCRATCH/rej.csv" ||
    fail "rejected: $(cat "$SCRATCH/rej.csv")"
exit 0
