# Measured or modelled, per component (issue 21 item 5): the study's CodeCarbon 2.3.1 logs
# (the 56 whole-run files of fixtures/study) are marked at ingest as RAM modelled (430.8 W
# on every row), CPU modelled (42.5 W, half CodeCarbon's 85 W default TDP) and GPU summed
# over the node's 8 GPUs; the report names them, the components chart hatches and labels
# them, stats --measured-only leaves them out; the other meters keep their own marks; a
# database of schema 5 gets CodeCarbon's RAM marked by migration 006.
. "$(dirname "$0")/lib.bash"
S=$FIX/study
db=$SCRATCH/study.db
mkdir -p "$SCRATCH/emissions"
cp -R "$S/emissions/complete" "$SCRATCH/emissions/"
wp "$db" -q ingest --manifest "$S/manifest.csv" "$SCRATCH/emissions" 2>"$SCRATCH/err" ||
    fail "ingest: $(cat "$SCRATCH/err")"

# ---- the marks in the store
marks=$(sqlite3 "$db" "SELECT cpu_basis || ' ' || gpu_basis || ' ' || ram_basis, COUNT(*) FROM measurement GROUP BY 1")
n=$(sqlite3 "$db" "SELECT COUNT(*) FROM measurement")
[ "$n" -gt 500 ] || fail "too few measurements: $n"
[ "$marks" = "modelled:tdp measured:all-gpus modelled:ram|$n" ] || fail "study marks: $marks"

# ---- the report names the modelled components, specifically
wp "$db" -q report -o "$SCRATCH/r.pdf" || fail "report"
pdftotext "$SCRATCH/r.pdf" - | tr '\n' ' ' | tr -s ' ' > "$SCRATCH/r.txt"
for s in "RAM energy is modelled, not measured, in $(python3 -c "print(f'{$n:,}')")" \
         "a constant 430.8 W" "CPU energy is modelled from a thermal design power (TDP) table" \
         "a constant 42.5 W" "summed over every GPU of the node (up to 8)" \
         "GPUs a run did not use are counted at their idle power" \
         "GPU measured (idle GPUs counted), CPU modelled, RAM modelled" \
         "(PUE) of 1 is assumed" "annual average of a country or region from a table" \
         "No embodied emissions" "stats --measured-only"; do
    grep -qF "$s" "$SCRATCH/r.txt" || fail "the report does not say: $s"
done

# ---- the basis sentences count the selection, not the whole database: one task's
# measurements, then one model's on that task
task1=$(sqlite3 "$db" "SELECT t.name FROM task t JOIN experiment e ON e.task_id = t.id GROUP BY t.id ORDER BY t.name LIMIT 1")
n_task=$(sqlite3 "$db" "SELECT COUNT(*) FROM measurement m JOIN run r ON r.id = m.run_id JOIN experiment e ON e.id = r.experiment_id JOIN task t ON t.id = e.task_id WHERE t.name = '$task1'")
model1=$(sqlite3 "$db" "SELECT o.name FROM model o JOIN experiment e ON e.model_id = o.id JOIN task t ON t.id = e.task_id WHERE t.name = '$task1' ORDER BY o.name LIMIT 1")
n_phase=$(sqlite3 "$db" "SELECT COUNT(*) FROM measurement m JOIN run r ON r.id = m.run_id JOIN experiment e ON e.id = r.experiment_id JOIN task t ON t.id = e.task_id JOIN model o ON o.id = e.model_id WHERE t.name = '$task1' AND o.name = '$model1'")
[ "$n_task" -gt 0 ] && [ "$n_task" -lt "$n" ] && [ "$n_phase" -gt 0 ] && [ "$n_phase" -lt "$n_task" ] ||
    fail "the selections do not differ from the whole: $n, $n_task, $n_phase"
fmt() { python3 -c "print(f'{$1:,}')"; }
wp "$db" -q report --task "$task1" -o "$SCRATCH/t.pdf" || fail "report --task"
pdftotext "$SCRATCH/t.pdf" - | tr '\n' ' ' | tr -s ' ' > "$SCRATCH/t.txt"
grep -qF "RAM energy is modelled, not measured, in $(fmt "$n_task")" "$SCRATCH/t.txt" ||
    fail "report --task does not count its $n_task measurements: $(grep -o 'RAM energy is modelled[^.]*' "$SCRATCH/t.txt")"
wp "$db" -q report --task "$task1" --model "$model1" -o "$SCRATCH/p.pdf" || fail "report --model"
pdftotext "$SCRATCH/p.pdf" - | tr '\n' ' ' | tr -s ' ' > "$SCRATCH/p.txt"
grep -qF "RAM energy is modelled, not measured, in $(fmt "$n_phase")" "$SCRATCH/p.txt" ||
    fail "report --task --model does not count its $n_phase measurements: $(grep -o 'RAM energy is modelled[^.]*' "$SCRATCH/p.txt")"
# ---- the components chart: labelled and hatched, deterministic; without marks it is not
chart() { wp "$1" chart components -o "$2.pdf" -o "$2.png" || fail "chart components $2"; }
chart "$db" "$SCRATCH/c1"
chart "$db" "$SCRATCH/c2"
cmp -s "$SCRATCH/c1.png" "$SCRATCH/c2.png" || fail "the chart is not deterministic"
pdftotext "$SCRATCH/c1.pdf" - > "$SCRATCH/c1.txt"
grep -qx "RAM (modelled)" "$SCRATCH/c1.txt" || fail "no 'RAM (modelled)' in the legend: $(head -8 "$SCRATCH/c1.txt")"
grep -qx "CPU (modelled)" "$SCRATCH/c1.txt" || fail "no 'CPU (modelled)' in the legend"
grep -qx "GPU" "$SCRATCH/c1.txt" || fail "GPU is measured: no mark in the legend"
# the axis title may wrap at a column's width (77 mm): read it as one line
tr '\n' ' ' < "$SCRATCH/c1.txt" | grep -q "hatched: modelled" || fail "the axis does not say what hatching means"
cp "$db" "$SCRATCH/plain.db"
sqlite3 "$SCRATCH/plain.db" "UPDATE measurement SET cpu_basis = 'measured', ram_basis = 'measured'"
chart "$SCRATCH/plain.db" "$SCRATCH/c3"
pdftotext "$SCRATCH/c3.pdf" - > "$SCRATCH/c3.txt"
grep -qx "RAM" "$SCRATCH/c3.txt" || fail "measured RAM is still labelled: $(head -8 "$SCRATCH/c3.txt")"
grep -q "modelled" "$SCRATCH/c3.txt" && fail "a chart of measured parts says modelled"
# the same shares, so the same layout: the hatching is what differs in the bars' pixels
python3 - "$SCRATCH/c1.png" "$SCRATCH/c3.png" <<'PY' || fail "the modelled parts are not hatched"
import sys, zlib, struct
def pixels(path):
    data = open(path, 'rb').read()
    pos, idat, w = 8, b'', 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    return w, zlib.decompress(idat)
(w1, p1), (w3, p3) = pixels(sys.argv[1]), pixels(sys.argv[2])
assert w1 == w3, "sizes differ"
diff = sum(a != b for a, b in zip(p1, p3))
assert diff > 1000, f"only {diff} bytes differ"
PY

# ---- stats --measured-only: lower totals, said in the output and in the json
wp "$db" stats --show groups --format csv > "$SCRATCH/all.csv" || fail "stats"
wp "$db" stats --show groups --measured-only --format csv > "$SCRATCH/meas.csv" || fail "stats --measured-only"
python3 - "$SCRATCH/all.csv" "$SCRATCH/meas.csv" <<'PY' || fail "--measured-only does not lower the totals"
import csv, sys
a = {r['task']: float(r['mean_kwh_per_1k']) for r in csv.DictReader(open(sys.argv[1]))}
m = {r['task']: float(r['mean_kwh_per_1k']) for r in csv.DictReader(open(sys.argv[2]))}
assert a and a.keys() == m.keys()
for t in a:
    # GPU is about half of the study's energy: RAM (~40%) and CPU (~5%) go
    assert 0.3 < m[t] / a[t] < 0.75, (t, a[t], m[t])
PY
wp "$db" stats --show groups --measured-only > "$SCRATCH/meas.txt" || fail "stats --measured-only table"
grep -q "Measured only: each run's energy leaves out its components marked modelled" "$SCRATCH/meas.txt" ||
    fail "the table does not say what --measured-only did"
wp "$db" stats --show groups --measured-only --format json | grep -q '"measured_only": true' ||
    fail "json does not say measured_only"

# ---- the workbook and the card
wp "$db" -q xlsx -o "$SCRATCH/b.xlsx" || fail "xlsx"
python3 - "$SCRATCH/b.xlsx" <<'PY' || fail "the workbook does not say what is modelled"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
text = ''.join(z.read(n).decode('utf8', 'replace') for n in z.namelist() if n.endswith('.xml'))
for s in ['RAM energy', 'Modelled components', 'RAM energy is modelled', 'No embodied emissions']:
    assert s in text, s
PY
model=$(wp "$db" stats --by model --format csv | sed -n 2p | cut -d, -f1)
wp "$db" card "$model" > "$SCRATCH/card.md" || fail "card"
grep -q '^    ram: "modelled"$' "$SCRATCH/card.md" || fail "card front matter: $(grep -A3 components "$SCRATCH/card.md")"
grep -q 'RAM energy is modelled, not measured' "$SCRATCH/card.md" || fail "card prose"

# ---- other meters: what they read from counters stays measured
fdb=$SCRATCH/formats.db
wp "$fdb" -q ingest --manifest "$FIX/formats/manifest.csv" "$FIX/formats" 2>/dev/null || fail "ingest formats"
got=$(sqlite3 "$fdb" "SELECT DISTINCT t.name || ':' || m.gpu_basis || ':' || m.ram_basis FROM measurement m JOIN tool t ON t.id = m.tool_id WHERE t.name IN ('zeus', 'nvidia-smi') ORDER BY 1")
for want in "zeus:measured:" "nvidia-smi:measured:"; do
    echo "$got" | grep -qx "$want" || fail "$want not among: $got"
done
[ "$(sqlite3 "$fdb" "SELECT COUNT(*) FROM measurement m JOIN tool t ON t.id = m.tool_id WHERE t.name = 'codecarbon' AND m.ram_energy_j IS NOT NULL AND m.ram_basis <> 'modelled:ram'")" = 0 ] ||
    fail "a CodeCarbon RAM energy not marked modelled"

# ---- a database from before schema 6: migration 006 marks CodeCarbon's RAM
old=$SCRATCH/old.db
cp "$db" "$old"
# (and of the migrations after 6, undone too: 007's rows hash, 011's rows count and head)
sqlite3 "$old" "ALTER TABLE measurement DROP COLUMN cpu_basis; ALTER TABLE measurement DROP COLUMN gpu_basis; ALTER TABLE measurement DROP COLUMN ram_basis; DROP INDEX file_version_rows; ALTER TABLE file_version DROP COLUMN rows_sha256; DROP INDEX file_version_head; ALTER TABLE file_version DROP COLUMN head_sum; ALTER TABLE file_version DROP COLUMN rows_count; ALTER TABLE file_version DROP COLUMN complete_sha256; DELETE FROM schema_migrations WHERE version >= 6;" ||
    fail "make a schema 5 database"
wp "$old" migrate 2>"$SCRATCH/err" || fail "migrate: $(cat "$SCRATCH/err")"
[ "$(sqlite3 "$old" "SELECT COUNT(*) FROM measurement WHERE ram_basis = 'modelled:ram' AND cpu_basis = ''")" = "$n" ] ||
    fail "migration 006 did not mark CodeCarbon's RAM"
# ---- a BoAmps export carries the marks and ingest reads them back over its own rules
# (the exported rows have no cpu_power: the rules alone could not say the CPU is modelled)
task=$(wp "$db" stats --by model,task --model "$model" --format csv | sed -n 2p | cut -d, -f1)
wp "$db" export boamps --model "$model" --task "$task" -o "$SCRATCH/b.json" || fail "export boamps"
bdb=$SCRATCH/boamps.db
wp "$bdb" -q ingest "$SCRATCH/b.json" || fail "ingest the BoAmps export"
back=$(sqlite3 "$bdb" "SELECT DISTINCT cpu_basis || ' ' || gpu_basis || ' ' || ram_basis FROM measurement")
[ "$back" = "modelled:tdp measured:all-gpus modelled:ram" ] || fail "marks after a BoAmps round trip: $back"
sed 's/"ramBasis": "modelled:ram"/"ramBasis": "guessed"/' "$SCRATCH/b.json" > "$SCRATCH/bad.json"
wp "$SCRATCH/bad.db" -q ingest "$SCRATCH/bad.json" 2>"$SCRATCH/err" && fail "an unknown mark was accepted"
grep -q 'wattprint.ramBasis "guessed" is not one of' "$SCRATCH/err" || fail "unknown mark: $(cat "$SCRATCH/err")"
echo "ok: $n study measurements marked; report, chart, card, workbook and --measured-only checked"
