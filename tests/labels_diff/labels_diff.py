#!/usr/bin/env python3
"""A randomized differential test of labelling (issue 30's labels as added).

For each seed it makes a small random world -- CodeCarbon CSV files (whole runs, task-level
phases sharing a run id, rows repeating another file's runs, a file that grows between two
ingests, gzip copies), now and then a label-stating optimum-benchmark file, a database
holding earlier ingests and manifests, a random manifest (match columns, globs, partial
labels, parameters, training_kwh, attribute columns, sometimes rows that disagree) and
sometimes command-line labels -- and checks the invariant:

    wattprint ingest [LABELS] --manifest M FILES     (side "added")
    wattprint ingest [LABELS] FILES; wattprint manifest M   (side "pass")

leave the same labels (runs' model/task/dataset/inferences/batch size, models' parameters
and training energy, experiment and model attributes, label_rule rows: by content, not ids),
print the same "N rules, M runs labelled", "matches no run" and disagreement lines, and exit
the same (both zero or the same non-zero code). A manifest not applied thus leaves the
tables as the plain ingest does.

usage: labels_diff.py --wp BINARY --top SRC_TREE [--backend sqlite|postgresql]
                      [--seeds N | --seed S] [--first S] [--keep DIR]
PostgreSQL needs PGHOST/PGUSER and PG_BIN (tests/pg/server's pg_server_start sets them;
tests/labels_diff/run does). On a difference it prints the seed, the table or messages that
differ and a reproducer (the world's folder is kept) and exits 1.
"""
import argparse
import gzip
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HEADER = ("timestamp,project_name,run_id,duration,emissions,emissions_rate,cpu_power,"
          "gpu_power,ram_power,cpu_energy,gpu_energy,ram_energy,energy_consumed,country_name,"
          "country_iso_code,region,cloud_provider,cloud_region,os,python_version,"
          "codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,longitude,latitude,"
          "ram_total_size,tracking_mode,on_cloud,pue")
MACHINE = ("United States,USA,oregon,,,Linux-5.15.0-1023-aws-x86_64-with-glibc2.17,3.8.16,"
           "2.3.1,1,Intel(R) Xeon(R) Platinum 8275CL CPU @ 3.00GHz,8,8 x NVIDIA A100-SXM4-80GB,"
           "-119.7257,45.8234,1148.738,machine,N,1")
PROJECTS = ["bert-qa", "org/distil", "deepset/roberta", "flan-t5", "bloomz"]
EXPERIMENTS = ["exp-alpha", "exp-beta", "exp-gamma"]
MODELS = ["m-one", "m-two", "m-three"]
TASKS = ["question_answering", "text_classification"]
DATASETS = ["squad", "imdb"]
PHASES = ["load model", "query model"]
PASS_LINE = re.compile(r"rules, [0-9]+ runs labelled|matches no run|give different|"
                       r"disagree|conflict")

# every label the database holds, by content (names, match values and file names, never ids)
QUERIES = [
    # a run is named by its uid or else by its first measurement's file and line
    """SELECT 'run', COALESCE(r.uid, (SELECT sf.name || ':' || m.line FROM measurement m
         JOIN source_file sf ON sf.id = m.source_file_id WHERE m.run_id = r.id
         ORDER BY sf.name, m.line LIMIT 1)) AS k,
       mo.name, t.name, ds.name, e.inferences, e.batch_size
     FROM run r LEFT JOIN experiment e ON e.id = r.experiment_id
     LEFT JOIN model mo ON mo.id = e.model_id LEFT JOIN task t ON t.id = e.task_id
     LEFT JOIN dataset ds ON ds.id = e.dataset_id ORDER BY k""",
    "SELECT 'model', name, parameters, training_energy_j FROM model ORDER BY name",
    "SELECT 'task', name FROM task ORDER BY name",
    "SELECT 'dataset', name FROM dataset ORDER BY name",
    """SELECT 'experiment_attr', mo.name, t.name, ds.name, e.inferences, e.batch_size,
       a.key, a.value FROM experiment_attr a JOIN experiment e ON e.id = a.experiment_id
     LEFT JOIN model mo ON mo.id = e.model_id LEFT JOIN task t ON t.id = e.task_id
     LEFT JOIN dataset ds ON ds.id = e.dataset_id ORDER BY 2, 3, 4, 5, 6, 7, 8""",
    """SELECT 'model_attr', mo.name, a.key, a.value FROM model_attr a
     JOIN model mo ON mo.id = a.model_id ORDER BY 2, 3, 4""",
    # experiments no run uses (left behind) count too
    """SELECT 'experiment', mo.name, t.name, ds.name, e.inferences, e.batch_size,
       (SELECT COUNT(*) FROM run r WHERE r.experiment_id = e.id) FROM experiment e
     LEFT JOIN model mo ON mo.id = e.model_id LEFT JOIN task t ON t.id = e.task_id
     LEFT JOIN dataset ds ON ds.id = e.dataset_id ORDER BY 2, 3, 4, 5, 6, 7""",
    """SELECT 'label_rule', lr.origin, lr.manifest, lr.match_project, lr.match_experiment,
       lr.match_run, lr.match_file, sf.name, lr.model, lr.task, lr.dataset, lr.inferences,
       lr.batch_size, lr.parameters, lr.training_energy_j
     FROM label_rule lr LEFT JOIN source_file sf ON sf.id = lr.match_source_id
     ORDER BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15""",
    """SELECT 'label_rule_attr', lr.origin, lr.manifest, a.key, a.value
     FROM label_rule_attr a JOIN label_rule lr ON lr.id = a.rule_id ORDER BY 2, 3, 4, 5""",
]


def uuid4(rng):
    h = "%032x" % rng.getrandbits(128)
    return "%s-%s-4%s-%x%s-%s" % (h[:8], h[8:12], h[13:16], 8 + rng.randrange(4), h[17:20],
                                  h[20:32])


class World:
    """A seed's files, earlier commands and the compared command, in folder `d`."""

    def __init__(self, seed, d, top, no_earlier=False):
        self.no_earlier = no_earlier
        self.rng = random.Random(seed)
        self.seed, self.d, self.top = seed, d, top
        self.t = 1694186349
        self.runs = []          # (run id, project, experiment) of every generated run
        self.files = []         # file names, as given on the command line
        # run on both sides first: ("write", manifest, text) or ("wp", arguments)
        self.setup = []
        self.cli = []           # command-line labels of the compared ingest
        self.manifest = "m.csv"

    def row(self, run, project, exp, phase, with_exp, with_phase):
        rng = self.rng
        self.t += 1 + rng.randrange(30)
        ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(self.t))
        dur = 5 + 20 * rng.random()
        cpu, gpu, ram = (p * dur / 3.6e6 for p in (42.5, 300 + 200 * rng.random(), 430.77675))
        tot = cpu + gpu + ram
        em = tot * 0.13875
        cells = [ts, project, run, "%.17g" % dur, "%.17g" % em, "%.17g" % (em / dur), "42.5",
                 "%.17g" % (gpu * 3.6e6 / dur), "430.77675", "%.17g" % cpu, "%.17g" % gpu,
                 "%.17g" % ram, "%.17g" % tot, MACHINE]
        pre = ([phase] if with_phase else []) + ([exp] if with_exp else [])
        return ",".join(pre + cells)

    def header(self, with_exp, with_phase):
        return ",".join((["task_name"] if with_phase else []) +
                        (["experiment_id"] if with_exp else []) + [HEADER])

    def new_runs(self, n):
        out = []
        for _ in range(n):
            r = (uuid4(self.rng), self.rng.choice(self.projects), self.rng.choice(self.exps))
            self.runs.append(r)
            out.append(r)
        return out

    def csv_lines(self, runs, with_exp, with_phase):
        lines = []
        for run, project, exp in runs:
            if with_phase:
                for ph in PHASES[:1 + self.rng.randrange(2)]:
                    lines.append(self.row(run, project, exp, ph, with_exp, True))
            else:
                lines.append(self.row(run, project, exp, "", with_exp, False))
        return lines

    def write(self, name, lines, header):
        with open(os.path.join(self.d, name), "w", newline="") as f:
            f.write(header + "\n" + "".join(l + "\n" for l in lines))

    def make(self):
        rng = self.rng
        self.projects = rng.sample(PROJECTS, 2 + rng.randrange(3))
        self.exps = rng.sample(EXPERIMENTS, 1 + rng.randrange(2))
        # earlier state: files ingested before, and a manifest applied to them
        old = []
        for i in range(rng.randrange(3)):
            name = "old%d.csv" % i
            we, wp = rng.random() < 0.4, rng.random() < 0.3
            self.write(name, self.csv_lines(self.new_runs(1 + rng.randrange(4)), we, wp),
                       self.header(we, wp))
            old.append(name)
        grown = None
        if rng.random() < 0.35:   # a file ingested short, then grown
            we = rng.random() < 0.4
            runs = self.new_runs(2 + rng.randrange(4))
            k = 1 + rng.randrange(len(runs) - 1)
            lines = self.csv_lines(runs, we, False)
            self.write("grow.csv", lines[:k], self.header(we, False))
            old.append("grow.csv")
            grown = (lines, self.header(we, False))
            self.grown_k = k
        # new files
        for i in range(1 + rng.randrange(3)):
            name = "f%d.csv" % i
            we, wp = rng.random() < 0.4, rng.random() < 0.35
            self.write(name, self.csv_lines(self.new_runs(1 + rng.randrange(6)), we, wp),
                       self.header(we, wp))
            self.files.append(name)
        if self.runs and rng.random() < 0.35:
            # a file whose rows repeat (as phases: joining) runs of earlier files
            picked = rng.sample(self.runs, min(len(self.runs), 1 + rng.randrange(3)))
            we = rng.random() < 0.4
            self.write("join.csv", self.csv_lines(picked, we, True), self.header(we, True))
            self.files.append("join.csv")
        if rng.random() < 0.25:   # a gzip copy of a new or old file
            src = rng.choice(self.files + old)
            with open(os.path.join(self.d, src), "rb") as f, \
                    gzip.GzipFile(os.path.join(self.d, src + ".gz"), "wb", mtime=0) as g:
                g.write(f.read())
            self.files.append(src + ".gz")
        if rng.random() < 0.2:    # a label-stating format
            shutil.copy(os.path.join(self.top, "fixtures/formats/optimum-benchmark/pytorch/"
                                     "benchmark.json"), os.path.join(self.d, "benchmark.json"))
            self.files.append("benchmark.json")
        if grown:
            self.files.append("grow.csv")
            self.grown = grown
        else:
            self.grown = None
        rng.shuffle(self.files)
        # earlier commands: the old files and manifests, the same on both sides
        # the compared manifest's path may hold an earlier version (edited since), unless
        # --no-earlier (the same draws, another path)
        earlier = "m_other.csv" if self.no_earlier else "m.csv"
        for name in old:
            if rng.random() < 0.4:
                mname = rng.choice([earlier, "old_m.csv"])
                self.setup.append(("write", mname, self.manifest_file()))
                if rng.random() < 0.5:
                    self.setup.append(("wp", ["ingest", "-q", name]))
                    self.setup.append(("wp", ["manifest", "-q", mname]))
                else:
                    self.setup.append(("wp", ["ingest", "-q", "--manifest", mname, name]))
            else:
                self.setup.append(("wp", ["ingest", "-q", name]))
        if self.setup and rng.random() < 0.3:
            self.setup.append(("write", earlier, self.manifest_file()))
            self.setup.append(("wp", ["manifest", "-q", earlier]))
        self.final = self.manifest_file()   # the manifest compared (edited since, maybe)
        if rng.random() < 0.25:
            opts = [("--model", MODELS), ("--task", TASKS), ("--dataset", DATASETS),
                    ("--inferences", ["1000", "500"]), ("--batch-size", ["1", "8"])]
            for o, vals in rng.sample(opts, 1 + rng.randrange(3)):
                self.cli += [o, rng.choice(vals)]
        # drawn last, so that adding them left the earlier draws of a seed as they were
        if self.files and rng.random() < 0.15:   # a copy with other line ends
            src = rng.choice([f for f in self.files if f.endswith(".csv")] or [None])
            if src:
                with open(os.path.join(self.d, src), "rb") as f:
                    data = f.read().replace(b"\n", b"\r\n")
                with open(os.path.join(self.d, "crlf_" + src), "wb") as f:
                    f.write(data)
                self.files.insert(rng.randrange(len(self.files) + 1), "crlf_" + src)
        if rng.random() < 0.15:   # runs without run ids (no uid)
            runs = [("", p, e) for _, p, e in self.new_runs(1 + rng.randrange(3))]
            self.runs = [r for r in self.runs if r[0]]
            we = rng.random() < 0.5
            self.write("norid.csv", self.csv_lines(runs, we, False), self.header(we, False))
            self.files.insert(rng.randrange(len(self.files) + 1), "norid.csv")
        if rng.random() < 0.1:    # a file that fails, the others ingested (--keep-going)
            self.write("bad.csv", [self.row(uuid4(rng), self.projects[0], self.exps[0], "",
                                            False, False).replace(",42.5,", ",x,", 1)],
                       self.header(False, False))
            self.files.insert(rng.randrange(len(self.files) + 1), "bad.csv")
            self.cli.insert(0, "--keep-going")

    def manifest_file(self):
        """A random manifest's text."""
        rng = self.rng
        match = rng.sample(["file", "project_name", "experiment_id", "run_id"],
                           1 + rng.randrange(3))
        labels = rng.sample(["model", "task", "dataset", "inferences", "batch_size",
                             "parameters", "training_kwh"], 1 + rng.randrange(7))
        extra = rng.sample(["purpose", "note"], rng.randrange(3))
        cols = match + labels + extra
        rng.shuffle(cols)
        names = [f for f in self.files] + ["old0.csv", "grow.csv"]
        rows = []
        for _ in range(1 + rng.randrange(5)):
            row = {}
            for c in match:
                if rng.random() < 0.35 and len(row) > 0:
                    continue
                if c == "file":
                    row[c] = rng.choice(names + ["*.csv", "f*.csv", "*", "*.json", "nope*.csv",
                                                 "*.gz", "[fo]*.csv"])
                elif c == "project_name":
                    row[c] = rng.choice(self.projects + ["nobody/none"])
                elif c == "experiment_id":
                    row[c] = rng.choice(self.exps + ["exp-none"])
                else:
                    row[c] = rng.choice(self.runs)[0] if self.runs and rng.random() < 0.9 \
                        else uuid4(rng)
            if not row:
                row[match[0]] = "*.csv" if match[0] == "file" else (
                    self.projects[0] if match[0] == "project_name" else
                    self.exps[0] if match[0] == "experiment_id" else uuid4(rng))
            for c in labels + extra:
                if rng.random() < 0.3:
                    continue
                row[c] = {"model": lambda: rng.choice(MODELS),
                          "task": lambda: rng.choice(TASKS),
                          "dataset": lambda: rng.choice(DATASETS),
                          "inferences": lambda: rng.choice(["1000", "100"]),
                          "batch_size": lambda: rng.choice(["1", "4"]),
                          "parameters": lambda: rng.choice(["110000000", "66000000"]),
                          "training_kwh": lambda: rng.choice(["1.5", "0.25"]),
                          "purpose": lambda: rng.choice(["task-specific", "multi-purpose"]),
                          "note": lambda: rng.choice(["a", "b c"])}[c]()
            rows.append(row)
        if rng.random() < 0.2 and rows:   # a row that disagrees with another
            r = dict(rng.choice(rows))
            for c in labels:
                if c in r and c in ("model", "task", "dataset"):
                    pool = {"model": MODELS, "task": TASKS, "dataset": DATASETS}[c]
                    r[c] = rng.choice([v for v in pool if v != r[c]])
            rows.append(r)
        return ",".join(cols) + "\n" + "".join(",".join(r.get(c, "") for c in cols) + "\n"
                                               for r in rows)


class Backend:
    def __init__(self, kind, wp):
        self.kind, self.wp = kind, wp

    def fresh(self, d, tag):
        if self.kind == "sqlite":
            db = os.path.join(d, tag + ".db")
            if os.path.exists(db):
                os.remove(db)
            return db
        name = "ld_" + tag
        self.psql("postgres", "DROP DATABASE IF EXISTS %s" % name)
        self.psql("postgres", "CREATE DATABASE %s" % name)
        return "postgresql:///" + name

    def psql(self, db, sql):
        r = subprocess.run([os.path.join(os.environ["PG_BIN"], "psql"), "-X", "-q", "-At",
                            "-F", "|", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
                           capture_output=True, text=True,
                           env=dict(os.environ, PGOPTIONS="-c client_min_messages=warning"))
        if r.returncode != 0:
            raise RuntimeError("psql: " + r.stderr)
        return r.stdout

    def dump(self, db):
        out = []
        for q in QUERIES:
            if self.kind == "sqlite":
                r = subprocess.run(["sqlite3", db, q], capture_output=True, text=True)
                if r.returncode != 0:
                    raise RuntimeError("sqlite3: " + r.stderr)
                out.append(r.stdout)
            else:
                out.append(self.psql(db.rsplit("/", 1)[1], q))
        return "".join(out)

    def drop(self, db):
        if self.kind == "postgresql":
            self.psql("postgres", "DROP DATABASE IF EXISTS %s" % db.rsplit("/", 1)[1])


def run_wp(wp, db, args, cwd):
    r = subprocess.run([wp, "--db", db] + args, cwd=cwd, capture_output=True, text=True,
                       errors="replace")
    return r.returncode, r.stdout + r.stderr


def side(world, be, tag, added):
    """Runs one side into a fresh database; returns (pass lines, exit code, tables, log)."""
    db = be.fresh(world.d, tag)
    log = []
    rc, out = run_wp(be.wp, db, ["-q", "migrate"], world.d)
    if rc != 0:
        raise RuntimeError("migrate: " + out)
    if world.grown:
        lines_, header = world.grown
        world.write("grow.csv", lines_[:world.grown_k], header)
    for step in world.setup:
        if step[0] == "write":   # a manifest as it was when the step after it ran
            with open(os.path.join(world.d, step[1]), "w") as f:
                f.write(step[2])
            continue
        rc, out = run_wp(be.wp, db, step[1], world.d)
        log.append((step[1], rc, out))
    with open(os.path.join(world.d, world.manifest), "w") as f:
        f.write(world.final)
    if world.grown:
        lines_, header = world.grown
        world.write("grow.csv", lines_, header)
    if added:
        cmds = [["ingest"] + world.cli + ["--manifest", world.manifest] + world.files]
    else:
        cmds = [["ingest"] + world.cli + world.files, ["manifest", world.manifest]]
    lines, rcs = [], []
    for args in cmds:
        rc, out = run_wp(be.wp, db, args, world.d)
        log.append((args, rc, out))
        rcs.append(rc)
        lines += [l for l in out.splitlines() if PASS_LINE.search(l)]
    code = next((c for c in rcs if c != 0), 0)
    tables = be.dump(db)
    return lines, code, tables, log, db


def one_seed(seed, top, be, keep, no_earlier):
    d = tempfile.mkdtemp(prefix="ld%d-" % seed, dir=keep)
    w = World(seed, d, top, no_earlier)
    w.make()
    tag = "s%d" % seed
    a = side(w, be, tag + "a", True)
    b = side(w, be, tag + "b", False)
    diffs = []
    if a[0] != b[0]:
        diffs.append(("messages", "\n".join(a[0]), "\n".join(b[0])))
    if a[1] != b[1]:
        diffs.append(("exit code", str(a[1]), str(b[1])))
    if a[2] != b[2]:
        diffs.append(("tables", a[2], b[2]))
    if diffs:
        report(w, be, diffs, a, b)
    be.drop(a[4])
    be.drop(b[4])
    if not diffs and keep is None:
        shutil.rmtree(d)
    # what the seed exercised (so that a run of seeds shows it compared something)
    runs = [l for l in b[2].splitlines() if l.startswith("run|")]
    stats = {"runs": len(runs), "labelled": sum(1 for l in runs if l.split("|")[2:] != [""] * 5),
             "failed": int(b[1] != 0), "disagreements": sum("give different" in l for l in b[0]),
             "no-match": sum("matches no run" in l for l in b[0]), "cli": int(bool(w.cli)),
             "earlier": int(any(x[0] == "write" and x[1] == w.manifest for x in w.setup))}
    return not diffs, stats


def report(w, be, diffs, a, b):
    import difflib
    print("DIFFERENCE seed %d (%s), world kept in %s" % (w.seed, be.kind, w.d))
    for what, x, y in diffs:
        print("  %s differ (--- ingest --manifest, +++ ingest then manifest):" % what)
        for l in list(difflib.unified_diff(x.splitlines(), y.splitlines(), lineterm="", n=1))[2:40]:
            print("    " + l)
    print("  again: python3 tests/labels_diff/labels_diff.py --wp WATTPRINT --top . --backend %s "
          "--seed %d --keep DIR%s" % (be.kind, w.seed, " --no-earlier" if w.no_earlier else ""))
    print("  reproducer (in %s; DB a fresh %s database; files as kept, m.csv as compared):"
          % (w.d, be.kind))
    if w.grown:
        print("    # grow.csv holds its first %d rows" % w.grown_k)
    for step in w.setup:
        if step[0] == "write":
            print("    cat > %s <<'EOF'\n      %sEOF" % (step[1], step[2].replace("\n", "\n      ")))
        else:
            print("    wattprint --db DB " + " ".join(step[1]))
    if w.grown:
        print("    # then grow.csv grows to its full length (%d rows)" % len(w.grown[0]))
    print("    side added: wattprint --db DB " + " ".join(["ingest"] + w.cli + ["--manifest", w.manifest] + w.files))
    print("    side pass : wattprint --db DB " + " ".join(["ingest"] + w.cli + w.files) +
          "; wattprint --db DB manifest " + w.manifest)
    print("    m.csv:\n      " + w.final.replace("\n", "\n      "))
    for tag, s in (("added", a), ("pass", b)):
        for args, rc, out in s[3][-2:]:
            print("    [%s] %s -> %d: %s" % (tag, " ".join(args), rc, out.strip()[:600].replace("\n", " | ")))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wp", required=True)
    ap.add_argument("--top", required=True)
    ap.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--keep")
    ap.add_argument("--no-earlier", action="store_true",
                    help="never store an earlier version of the compared manifest's path")
    o = ap.parse_args()
    wp = os.path.abspath(o.wp)
    be = Backend(o.backend, wp)
    seeds = [o.seed] if o.seed is not None else range(o.first, o.first + o.seeds)
    bad, tot = [], {}
    for s in seeds:
        ok, st = one_seed(s, os.path.abspath(o.top), be, o.keep, o.no_earlier)
        if not ok:
            bad.append(s)
        for k, v in st.items():
            tot[k] = tot.get(k, 0) + v
    print("labels_diff %s: %d seeds, %d with a difference%s" % (
        o.backend, len(seeds), len(bad), (": " + " ".join(map(str, bad))) if bad else ""))
    print("  compared: %d runs (%d labelled); seeds that exit non-zero (a manifest not applied, a failed file) %d, with "
          "command-line labels %d, with an earlier version of the manifest %d; %d "
          "disagreement and %d matches-no-run lines" % (
              tot.get("runs", 0), tot.get("labelled", 0), tot.get("failed", 0), tot.get("cli", 0),
              tot.get("earlier", 0), tot.get("disagreements", 0), tot.get("no-match", 0)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
