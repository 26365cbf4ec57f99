#!/usr/bin/python3
"""CodeCarbon 3.2.9+ append files, written by replaying FileOutput.out with pandas.

    /usr/bin/python3 tests/e2e/codecarbon_append.py DIR          (the test corpus + truth)
    /usr/bin/python3 tests/e2e/codecarbon_append.py --fixtures [DIR]  (fixtures/formats/codecarbon)
    /usr/bin/python3 tests/e2e/codecarbon_append.py --reordered DIR  (v3.2.3 then v3.3.0)

Needs pandas (Debian's python3-pandas, listed in .ci/deps; PyPI is not used).  `out` below
is codecarbon/output_methods/file.py's FileOutput.out at v3.2.9 / v3.3.0 (commit c82e8e2b)
for a file whose header matches: the first write creates the file with a header, every
later one is `new_df.dropna(axis=1, how="all")` + `to_csv(mode="a", header=False,
index=False)`, which leaves out the fields that are None for that run.  The values are
made up; every run's energy, duration and emissions are known here, independently of
wattprint.  Deterministic: no clock, no randomness.
"""
import json
import os
import sys

import pandas as pd

# EmissionsData (codecarbon/output_methods/emissions_data.py, v3.2.9 and v3.3.0), in order.
FIELDS = ["timestamp", "project_name", "run_id", "experiment_id", "duration", "emissions",
          "emissions_rate", "cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy",
          "ram_energy", "energy_consumed", "water_consumed", "country_name",
          "country_iso_code", "region", "cloud_provider", "cloud_region", "os",
          "python_version", "codecarbon_version", "cpu_count", "cpu_model", "gpu_count",
          "gpu_model", "longitude", "latitude", "ram_total_size", "tracking_mode",
          "cpu_utilization_percent", "gpu_utilization_percent", "ram_utilization_percent",
          "ram_used_gb", "on_cloud", "pue", "wue"]
# The fields EmissionsTracker can leave None (location, hardware and versions read from its
# configuration); experiment_id is str()'d today, None in older code paths.
CAN_BE_NONE = ["experiment_id", "country_name", "country_iso_code", "region",
               "cloud_provider", "cloud_region", "os", "python_version",
               "codecarbon_version", "cpu_count", "cpu_model", "gpu_count", "gpu_model",
               "longitude", "latitude", "ram_total_size", "tracking_mode"]


def out(path, values):
    """FileOutput.out(total) in "append" mode, for a file with matching headers."""
    new_df = pd.DataFrame.from_records([dict(values)])
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        new_df.to_csv(path, index=False)
    else:
        new_df = new_df.dropna(axis=1, how="all")
        new_df.to_csv(path, mode="a", header=False, index=False)


def run(i, none=(), machine=0):
    """The i-th made-up run of a CPU+GPU machine; the fields in `none` are None."""
    dur = 10.0 + 7.25 * i
    cpu_w, gpu_w, ram_w = 42.5, 250.0 + 10 * i, 3.0
    cpu_e, gpu_e, ram_e = cpu_w * dur / 3.6e6, gpu_w * dur / 3.6e6, ram_w * dur / 3.6e6
    e = cpu_e + gpu_e + ram_e
    em = e * 0.056
    v = {
        "timestamp": "2026-06-20T10:%02d:%02d" % (i // 60, i % 60),
        "project_name": "append-demo",
        "run_id": "%04d%04d-8d1c-4a55-9b1e-5c3b7a1f00%02d" % (machine, i, i % 100),
        "experiment_id": "5b0fa12a-3dd7-45bb-9766-cc326314d9f1",
        "duration": dur, "emissions": em, "emissions_rate": em / dur,
        "cpu_power": cpu_w, "gpu_power": gpu_w, "ram_power": ram_w,
        "cpu_energy": cpu_e, "gpu_energy": gpu_e, "ram_energy": ram_e,
        "energy_consumed": e, "water_consumed": 0.0,
        "country_name": "France", "country_iso_code": "FRA", "region": "île-de-france",
        "cloud_provider": "", "cloud_region": "",
        "os": "Linux-6.1.0-18-amd64-x86_64-with-glibc2.36", "python_version": "3.11.2",
        "codecarbon_version": "3.3.0", "cpu_count": 16,
        "cpu_model": "AMD EPYC 7313 16-Core Processor", "gpu_count": 1,
        "gpu_model": "1 x NVIDIA A100-PCIE-40GB", "longitude": 2.3522, "latitude": 48.8566,
        "ram_total_size": 62.7, "tracking_mode": "machine",
        "cpu_utilization_percent": 12.5, "gpu_utilization_percent": 80.0,
        "ram_utilization_percent": 30.1, "ram_used_gb": 18.9,
        "on_cloud": "N", "pue": 1.0, "wue": 0.0,
    }
    assert list(v) == FIELDS
    for f in none:
        v[f] = None
    return v


def out_v323(path, values):
    """FileOutput.out(total) in "append" mode at v3.1.1-v3.2.3 (commit 2a81596c): the file
    read back, its all-empty columns dropped, the new row concatenated and the whole file
    written again, so a column empty in every row so far (cloud_provider and cloud_region
    on a machine outside a cloud) moves to the end of the header."""
    new_df = pd.DataFrame.from_records([dict(values)])
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        df = new_df
    else:
        df = pd.read_csv(path)
        df = df.dropna(axis=1, how="all")
        new_df = new_df.dropna(axis=1, how="all")
        df = pd.concat([df, new_df])
    df.to_csv(path, index=False)


def reordered(d):
    """A file v3.2.3 started (its second write moved cloud_provider and cloud_region to the
    end of the header), then appended to by v3.3.0, whose header check compares the names
    sorted and which writes its rows in EmissionsData's order under that header."""
    path = os.path.join(d, "reordered_then_330.csv")
    if os.path.exists(path):
        os.remove(path)
    runs = [run(i) for i in range(4)]
    for v in runs[:2]:
        out_v323(path, v)
    for v in runs[2:]:
        out(path, v)
    with open(os.path.join(d, "reordered_truth.json"), "w") as f:
        json.dump([{k: v[k] for k in FIELDS} for v in runs], f, indent=1, sort_keys=True)


def write_file(path, runs):
    if os.path.exists(path):
        os.remove(path)
    for v in runs:
        out(path, v)
    return [{k: v[k] for k in FIELDS} for v in runs]


def corpus(d):
    """One file per field that can be None (a full first row, then runs without it), and the
    two cases of the issue: offline with no region or coordinates, a CPU-only machine."""
    cases = {f: [f] for f in CAN_BE_NONE}
    cases["offline_no_location"] = ["region", "longitude", "latitude", "cloud_provider",
                                    "cloud_region"]
    cases["cpu_only"] = ["gpu_count", "gpu_model"]
    cases["everything_none"] = list(CAN_BE_NONE)
    truth = {}
    for name, none in sorted(cases.items()):
        runs = [run(0)] + [run(i, none) for i in range(1, 4)]
        truth[name + ".csv"] = write_file(os.path.join(d, name + ".csv"), runs)
    with open(os.path.join(d, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1, sort_keys=True)


def flushed_runs(path):
    """(runs, J) of a CodeCarbon file read as one run per run_id (its last row, every row
    being a flush of the same run that grows) and one per row without a run_id."""
    import csv
    last, n_anon, j_anon = {}, 0, 0.0
    for r in csv.DictReader(open(path, encoding="utf-8")):
        e = float(r["energy_consumed"]) * 3.6e6 if r["energy_consumed"] else 0.0
        if not r["run_id"]:
            n_anon, j_anon = n_anon + 1, j_anon + e
            continue
        if r["run_id"] in last:
            before = last[r["run_id"]]
            assert float(r["duration"]) > float(before["duration"]), r["run_id"]
        last[r["run_id"]] = r
    j = sum(float(r["energy_consumed"]) * 3.6e6 for r in last.values() if r["energy_consumed"])
    return len(last) + n_anon, j + j_anon


def fixtures(d):
    """fixtures/formats/codecarbon/: a CPU-only machine's append file (36-field rows) and an
    offline one's (33 fields), each with a flushed run (EmissionsTracker.flush() appends the
    running totals of the same run_id again)."""
    os.makedirs(d, exist_ok=True)
    rows = []
    for m, (name, none) in enumerate((("v3.3_append_cpu_only.csv", ["gpu_count", "gpu_model"]),
                                      ("v3.3_append_offline.csv",
                                       ["region", "longitude", "latitude", "cloud_provider",
                                        "cloud_region"])), 1):
        runs = [run(0, machine=m), run(1, none, m)]
        # run 2 flushed twice, then finished: three rows of one run_id, totals growing
        for k, frac in enumerate((0.25, 0.5, 1.0)):
            v = run(2, none, m)
            for f in ("duration", "emissions", "cpu_energy", "gpu_energy", "ram_energy",
                      "energy_consumed"):
                v[f] = v[f] * frac
            v["timestamp"] = "2026-06-20T11:00:%02d" % (10 * k)
            runs.append(v)
        runs.append(run(3, none, m))
        write_file(os.path.join(d, name), runs)
        kept = [runs[0], runs[1], runs[4], runs[5]]
        rows.append((name, len(kept), sum(v["energy_consumed"] for v in kept) * 3.6e6))
    # CodeCarbon's own examples/emissions.csv (copied byte for byte, see the README): runs
    # flushed several times; the expectation is computed here from its rows
    real = "mlco2__codecarbon__examples__emissions__at_a4c8d30.csv"
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures",
                       "formats", "codecarbon", real)
    if os.path.exists(src):
        rows.append((real,) + flushed_runs(src))
    with open(os.path.join(d, "EXPECTED.tsv"), "w") as f:
        f.write("file\tformat\truns\tenergy_j\tnote\n")
        notes = {"v3.3_append_cpu_only.csv": "CodeCarbon 3.3 appends on a CPU-only machine: "
                 "rows without gpu_count and gpu_model (36 fields); run 2 flushed twice",
                 "v3.3_append_offline.csv": "CodeCarbon 3.3 offline appends with no region "
                 "or coordinates (33 fields); run 2 flushed twice"}
        notes[real] = ("CodeCarbon's examples/emissions.csv at a4c8d30: 3 runs flushed "
                       "several times (28 rows, 21 runs)")
        for name, n, j in rows:
            f.write("codecarbon/%s\tcodecarbon\t%d\t%r\t%s\n" % (name, n, j, notes[name]))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--reordered"]:
        reordered(sys.argv[2])
    elif sys.argv[1:2] == ["--fixtures"]:
        top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        fixtures(sys.argv[2] if len(sys.argv) > 2 else
                 os.path.join(top, "fixtures", "formats", "codecarbon"))
    else:
        corpus(sys.argv[1])
