# Every other meter's fixture (fixtures/formats/, constructed from each tool's documented
# layout) and CodeCarbon 3.3's append files with flushed runs (fixtures/formats/codecarbon/) ingest next to CodeCarbon data with the runs and energy its EXPECTED.tsv gives,
# is labelled by fixtures/formats/manifest.csv (a manifest outranks what a file says of
# itself), and shows in the per-task summary beside the CodeCarbon runs.  The generic CSV
# is read through its column map and labels itself from its columns.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "synth"
before=$(wp "$db" runs --format csv | tail -n +2 | wc -l)
wp "$db" -q ingest --manifest "$FIX/formats/manifest.csv" "$FIX/formats" 2>/dev/null || fail "formats"
# the generic CSV is never detected (the directory walk skips it): it is read with its map
wp "$db" -q ingest --map "$FIX/formats/generic/inhouse.map" "$FIX/formats/generic/inhouse_runs.csv" ||
    fail "generic"
wp "$db" runs --format csv > "$SCRATCH/runs.csv"
python3 - "$FIX/formats/EXPECTED.tsv" "$SCRATCH/runs.csv" "$before" "$FIX/formats/codecarbon/EXPECTED.tsv" <<'PY' || fail "formats differ from EXPECTED.tsv"
import csv, sys
want = {}
# codecarbon/ is written by tests/e2e/codecarbon_append.py (pandas), the rest by make_formats.py
for e in [e for f in (sys.argv[1], sys.argv[4]) for e in csv.DictReader(open(f), delimiter="\t")]:
    name = e["file"].split("/")[-1]
    n, j = want.get(name, (0, 0.0))
    want[name] = (n + int(e["runs"]), j + (float(e["energy_j"]) if e["energy_j"] else 0.0))
got = {}
rows = list(csv.DictReader(open(sys.argv[2])))
assert len(rows) == int(sys.argv[3]) + sum(n for n, _ in want.values()), len(rows)
for r in rows:
    if r["dataset"] != "formats-demo":
        continue
    n, j = got.get(r["source_file"], (0, 0.0))
    got[r["source_file"]] = (n + 1, j + float(r["energy_kwh"] or 0) * 3.6e6)  # unknown energy: a run, no J
for name, (n, j) in want.items():
    if n == 0:
        assert name not in got, name
        continue
    assert got[name][0] == n, (name, got[name], n)
    assert abs(got[name][1] - j) <= 1e-9 * j, (name, got[name], j)
PY
unlabeled=$(wp "$db" runs --unlabeled --format csv | tail -n +2 | wc -l)
[ "$unlabeled" -eq 0 ] || fail "$unlabeled runs of other meters unlabelled"
wp "$db" stats --by dataset --format csv | grep -q "^formats-demo," || fail "other meters missing from the statistics"
