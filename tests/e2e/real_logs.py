"""Real CodeCarbon logs from public repositories (fixtures/real/codecarbon, with their
provenance) behave as their EXPECTED.tsv says: clean and lenient files ingest with the
expected run count and total energy, damaged ones fail with FILE:LINE or warn, negative
energies are never accepted silently, and every file re-ingests to no change.
Usage: python3 real_logs.py WATTPRINT FIXTURES_DIR"""
import csv, io, os, subprocess, sys, tempfile

WP, FIX = sys.argv[1], sys.argv[2]
LABEL = ["--model", "m", "--task", "t", "--dataset", "d", "--inferences", "1000"]


def run(db, *args):
    return subprocess.run([WP, "--db", db, *args], capture_output=True, text=True,
                          errors="replace", timeout=120)


def runs(db):
    r = run(db, "runs", "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    return len(rows), sum(float(x["energy_kwh"]) for x in rows if x["energy_kwh"])


def check(path, e, tmp):
    name, cls = os.path.basename(path), e["class"]
    db = os.path.join(tmp, "a.db")
    r = run(db, "ingest", *LABEL, path)
    assert 0 <= r.returncode <= 2 and "Sanitizer" not in r.stderr, r.stderr
    n, kwh = runs(db)
    want = float(e["energy_kwh"]) if e["energy_kwh"] else 0.0
    if cls in ("clean", "lenient"):
        assert r.returncode == 0, r.stderr
        assert n == int(e["rows_max"]), (n, e)
        assert abs(kwh - want) <= 1e-9 * max(want, 1e-300), (kwh, want)
    if cls == "negative":
        assert "negative" in r.stderr.lower(), r.stderr
        assert r.returncode == 0 or name + ":" in r.stderr, r.stderr
    if cls in ("damaged", "noenergy"):
        assert r.returncode == 0 or (name + ":" in r.stderr and n == 0), r.stderr
        db2 = os.path.join(tmp, "s.db")
        r2 = run(db2, "ingest", "--skip-bad-rows", *LABEL, path)
        assert r2.returncode == 0, r2.stderr
        n2, kwh2 = runs(db2)
        rej = run(db2, "rejected", "--format", "csv").stdout.count("\n") - 1
        assert int(e["rows_min"]) <= n2 + rej <= int(e["rows_max"]), (n2, rej, e)
        assert kwh2 <= want * (1 + 1e-9) + 1e-15, (kwh2, want)
    if r.returncode == 0:
        before = subprocess.run(["sqlite3", db, ".dump"], capture_output=True).stdout
        run(db, "ingest", *LABEL, path)
        after = subprocess.run(["sqlite3", db, ".dump"], capture_output=True).stdout
        assert before == after, "a second ingest changed the database"


bad = 0
folder = os.path.join(FIX, "real", "codecarbon")
for e in csv.DictReader(open(os.path.join(folder, "EXPECTED.tsv")), delimiter="\t"):
    with tempfile.TemporaryDirectory() as tmp:
        try:
            check(os.path.join(folder, e["file"]), e, tmp)
        except AssertionError as ex:
            bad += 1
            print(f"{e['file']} ({e['class']}): {ex}")
sys.exit(1 if bad else 0)
