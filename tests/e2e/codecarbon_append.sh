# CodeCarbon 3.2.9+ append files (rows that leave out the fields empty for their run), made
# by replaying CodeCarbon's own FileOutput.out with pandas (codecarbon_append.py), one file
# per field that can be empty and the issue's two cases: every run is stored with the
# energy, duration and emissions it logged; every field stored holds its own value (none
# misplaced); what cannot be placed is left empty with the row kept verbatim; one warning
# per file names the first short row.  Then flush snapshots of one run count once.
. "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3 # Debian's, with python3-pandas (.ci/deps)
$PY -c 'import pandas' 2>/dev/null || fail "python3-pandas is missing: run make deps"
c=$SCRATCH/corpus
mkdir -p "$c"
$PY "$TOP/tests/e2e/codecarbon_append.py" "$c" || fail "generator"
n=0
for f in "$c"/*.csv; do
    name=$(basename "$f")
    db=$SCRATCH/$name.db
    wp "$db" ingest "$f" 2>"$SCRATCH/err" || fail "$name: $(cat "$SCRATCH/err")"
    [ "$(grep -c "shorter than the header" "$SCRATCH/err")" -eq 1 ] ||
        fail "$name: one warning about short rows expected: $(cat "$SCRATCH/err")"
    grep -qF "$name:3: 3 rows are shorter" "$SCRATCH/err" || fail "$name: where: $(cat "$SCRATCH/err")"
    python3 - "$db" "$c/truth.json" "$name" "$f" <<'PY' || fail "$name: stored values differ from what CodeCarbon logged"
import json, sqlite3, sys
db, truth, name, path = sys.argv[1:5]
runs = {v["run_id"]: v for v in json.load(open(truth))[name]}
lines = open(path, encoding="utf-8").read().split("\n")
con = sqlite3.connect(db)
q = """SELECT m.run_label, m.line, m.duration_s, m.energy_j, m.cpu_energy_j, m.gpu_energy_j,
              m.ram_energy_j, m.emissions_g, m.experiment_label, m.longitude, m.latitude,
              m.tracking_mode, h.cpu_model, h.cpu_count, h.gpu_model, h.gpu_count,
              h.ram_total_bytes, h.os, h.python_version, l.country_name, l.country_iso_code,
              l.region, l.cloud_provider, l.cloud_region, t.version, m.id
       FROM measurement m LEFT JOIN hardware h ON h.id = m.hardware_id
       LEFT JOIN location l ON l.id = m.location_id LEFT JOIN tool t ON t.id = m.tool_id"""
rows = con.execute(q).fetchall()
assert len(rows) == len(runs), (len(rows), len(runs))
def close(a, b):
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b))
for r in rows:
    v = runs[r[0]]
    # never misplaced: energy, duration, emissions always there and right
    for got, want in zip(r[2:8], (v["duration"], v["energy_consumed"] * 3.6e6,
                                  v["cpu_energy"] * 3.6e6, v["gpu_energy"] * 3.6e6,
                                  v["ram_energy"] * 3.6e6, v["emissions"] * 1e3)):
        assert got is not None and close(got, want), (r[0], got, want)
    fields = {"experiment_label": ("experiment_id", 1), "longitude": ("longitude", 1),
              "latitude": ("latitude", 1), "tracking_mode": ("tracking_mode", 1),
              "cpu_model": ("cpu_model", 1), "cpu_count": ("cpu_count", 1),
              "gpu_model": ("gpu_model", 1), "gpu_count": ("gpu_count", 1),
              "ram_total_bytes": ("ram_total_size", 1073741824.0), "os": ("os", 1),
              "python_version": ("python_version", 1), "country_name": ("country_name", 1),
              "country_iso_code": ("country_iso_code", 1), "region": ("region", 1),
              "cloud_provider": ("cloud_provider", 1), "cloud_region": ("cloud_region", 1),
              "version": ("codecarbon_version", 1)}
    full = r[1] == 2
    extras = dict(con.execute("SELECT key, value FROM measurement_extra WHERE measurement_id = ?",
                              (r[25],)).fetchall())
    missing = []
    for got, (col, (key, k)) in zip(r[8:25], fields.items()):
        want = v[key]
        if got is None or got == "":
            if want not in (None, ""):
                missing.append(col)
            continue
        # a stored field holds its own value, never a neighbour's
        assert want is not None, (r[0], col, got, "stored where CodeCarbon wrote nothing")
        if isinstance(want, str):
            assert got == want, (r[0], col, got, want)
        else:
            assert close(float(got), want * k), (r[0], col, got, want)
    assert not (full and missing), ("full row lost", missing)
    # what was not placed is kept: the row as written
    if missing:
        assert extras.get("codecarbon_short_row") == lines[r[1] - 1], (r[0], missing, extras)
print(name, "ok")
PY
    n=$((n + 1))
done
[ "$n" -ge 19 ] || fail "only $n files in the corpus"
# v3.2.3 moved the columns empty so far to the end of the header; v3.3.0 then appends its
# rows in its own field order under it: every value is read from where CodeCarbon wrote it
ro=$SCRATCH/reordered
mkdir -p "$ro"
$PY "$TOP/tests/e2e/codecarbon_append.py" --reordered "$ro" || fail "reordered generator"
wp "$ro/r.db" ingest "$ro/reordered_then_330.csv" 2>"$SCRATCH/err" || fail "reordered: $(cat "$SCRATCH/err")"
grep -qF "reordered_then_330.csv:4: 2 rows are in CodeCarbon's own column order, not the header's" \
    "$SCRATCH/err" || fail "reordered: warning: $(cat "$SCRATCH/err")"
python3 - "$ro/r.db" "$ro/reordered_truth.json" <<'PY' || fail "reordered: stored values differ from what CodeCarbon logged"
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
truth = {v["run_id"]: v for v in json.load(open(sys.argv[2]))}
rows = con.execute("""SELECT m.run_label, m.duration_s, m.energy_j, m.longitude, m.latitude,
    m.tracking_mode, h.cpu_model, h.cpu_count, h.os, h.python_version, l.region,
    l.cloud_provider, l.cloud_region, t.version
    FROM measurement m LEFT JOIN hardware h ON h.id = m.hardware_id
    LEFT JOIN location l ON l.id = m.location_id LEFT JOIN tool t ON t.id = m.tool_id""").fetchall()
assert len(rows) == 4, rows
for r in rows:
    v = truth[r[0]]
    assert abs(r[1] - v["duration"]) < 1e-9 and abs(r[2] - v["energy_consumed"] * 3.6e6) < 1e-6 * r[2], r
    assert (r[3], r[4], r[5]) == (v["longitude"], v["latitude"], v["tracking_mode"]), r
    assert (r[6], r[7], r[8], r[9]) == (v["cpu_model"], v["cpu_count"], v["os"], v["python_version"]), r
    assert r[10] == v["region"] and (r[11] or "") == "" and (r[12] or "") == "", r
    assert r[13] == v["codecarbon_version"], r
PY
# a 2.3 file is not a 3.2.9+ append: its short row stays an error
wp "$SCRATCH/old.db" ingest "$FIX/bad/bad_short_row.csv" 2>"$SCRATCH/err" && fail "bad_short_row.csv accepted"
grep -qF "bad_short_row.csv:3:30: expected 31 fields, found 30" "$SCRATCH/err" || fail "old short row: $(cat "$SCRATCH/err")"
# a 3.3 short row whose values fit no layout (a number where only text can be) is refused
# with its line, and kept verbatim with --skip-bad-rows
f=$c/cpu_only.csv
awk -F, 'NR == 3 { $16 = "12.5" } 1' OFS=, "$f" > "$SCRATCH/misfit.csv"
wp "$SCRATCH/misfit.db" ingest "$SCRATCH/misfit.csv" 2>"$SCRATCH/err" && fail "a short row that fits no way was accepted"
grep -qF "misfit.csv:3: expected 38 fields, found 36, and no choice" "$SCRATCH/err" || fail "misfit: $(cat "$SCRATCH/err")"
wp "$SCRATCH/misfit.db" -q ingest --skip-bad-rows "$SCRATCH/misfit.csv" 2>/dev/null || fail "misfit skip"
[ "$(wp "$SCRATCH/misfit.db" rejected --format csv | tail -n +2 | wc -l)" -eq 1 ] || fail "misfit rejected"
# flush snapshots of one run count once, and the summary line says so; a decreasing row
# of the same run id is a conflict, warned and counted on the summary line
f=$FIX/formats/codecarbon/v3.3_append_cpu_only.csv
wp "$SCRATCH/flush.db" ingest "$f" 2>"$SCRATCH/err" || fail "flush: $(cat "$SCRATCH/err")"
grep -qF "v3.3_append_cpu_only.csv:4: 2 rows are earlier flushes of 1 run" "$SCRATCH/err" || fail "flush note: $(cat "$SCRATCH/err")"
grep -qF "ingested (codecarbon): 4 rows, 2 earlier flushes folded into their runs" "$SCRATCH/err" || fail "flush summary: $(cat "$SCRATCH/err")"
[ "$(wp "$SCRATCH/flush.db" runs --format csv | tail -n +2 | wc -l)" -eq 4 ] || fail "flushed run counted more than once"
{ head -n 1 "$f"; sed -n 5p "$f"; sed -n 4p "$f"; } > "$SCRATCH/decreasing.csv"
wp "$SCRATCH/dec.db" ingest "$SCRATCH/decreasing.csv" 2>"$SCRATCH/err" || fail "decreasing: $(cat "$SCRATCH/err")"
grep -qF "decreasing.csv:3: run_id 00010002-8d1c-4a55-9b1e-5c3b7a1f0002 already holds different values" "$SCRATCH/err" || fail "conflict warning: $(cat "$SCRATCH/err")"
grep -qF "2 rows, 1 conflict (run ids holding other values, kept as separate runs)" "$SCRATCH/err" || fail "conflict summary: $(cat "$SCRATCH/err")"
# the fixtures in fixtures/formats/codecarbon are what the generator writes now
$PY "$TOP/tests/e2e/codecarbon_append.py" --fixtures "$SCRATCH/fx" || fail "fixture generator"
for g in "$SCRATCH"/fx/*; do
    cmp -s "$g" "$FIX/formats/codecarbon/$(basename "$g")" ||
        fail "fixtures/formats/codecarbon/$(basename "$g") is stale: run /usr/bin/python3 tests/e2e/codecarbon_append.py --fixtures"
done
echo "$n append files"
