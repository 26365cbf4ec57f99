#!/usr/bin/env python3
"""A randomized differential test of labelling (issue 30's labels as added).

For each seed it makes a small random world -- CodeCarbon CSV files (whole runs, task-level
phases sharing a run id, rows repeating another file's runs, a file that grows between two
ingests, gzip copies), now and then a label-stating optimum-benchmark file, a database
holding earlier ingests and manifests, a random manifest (match columns, globs, partial
labels, parameters, training_kwh, attribute columns, sometimes rows that disagree) and
sometimes command-line labels; then, drawn after those (World.more): a log read from stdin
('-'), the per-process logs of a distributed run named by the manifest's shards column or
given with --shards, --replace of a file rewritten since its first ingest, --idle and an
idle column, generic logs read through --map that may state labels, ml-energy, boamps and
optimum-benchmark energy_star files, names that are not UTF-8 (a log's name and text, a
--model, the manifest's path and values), a file given twice, a grown file ingested with
the manifest both times, and manifest rows naming these -- and checks the invariant:

    wattprint ingest [OPTIONS] --manifest M FILES       (side "added")
    wattprint ingest [OPTIONS] FILES && wattprint manifest M   (side "pass", with
                                    WATTPRINT_LABELS_AS_ADDED=0: labels by the passes only)

leave the same labels (runs' model/task/dataset/inferences/batch size, models' parameters
and training energy, experiment and model attributes, label_rule rows: by content, not ids),
print the same "N rules, M runs labelled", "matches no run" and disagreement lines, and exit
the same (both zero or the same non-zero code). A manifest not applied thus leaves the
tables as the plain ingest does. `&&` as `ingest --manifest` has it: after a file fails it
applies the manifest only with --keep-going (then `;`). What only one side has is given to
both: the shards the manifest names, which the pass does not merge, are ingested on the pass
side with `ingest --shards` (first, as ingest --manifest does), then the other files.

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
    # a run is named by its uid and its first measurement's file and line (two runs may
    # share a uid: rows of a run id that hold other values are kept as another run)
    """SELECT 'run', COALESCE(r.uid || ' ', '') || COALESCE((SELECT sf.name || ':' || m.line
         FROM measurement m JOIN source_file sf ON sf.id = m.source_file_id
         WHERE m.run_id = r.id ORDER BY sf.name, m.line LIMIT 1), '') AS k,
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


# "caf\xe9": Windows-1252 for "cafe" with an accent, a byte that is not UTF-8 (a surrogate
# escape here, as os.fsencode and put() write it)
LATIN1 = "caf\udce9"
# the pass side's compared commands label by the passes only: an ingest's command-line
# labels are decided as runs are added too, on both sides, unless this says not to
PASS_ENV = {"WATTPRINT_LABELS_AS_ADDED": "0"}
# label-stating logs of other formats (fixtures of the tree): the file given, with the files
# it reads beside it
OTHER_FORMATS = [
    ["fixtures/formats/ml-energy/v1_A100_chat_benchmark.csv"],
    ["fixtures/formats/ml-energy/v2_llm.json"],
    ["fixtures/formats/ml-energy/v3_text-to-image.json"],
    ["fixtures/genai/mlenergy/v3_gemma-3-4b_lm-arena-chat.json"],
    ["fixtures/boamps/wattprint_export.boamps.json"],
    ["fixtures/boamps/codecarbon_no_task.json"],
    ["fixtures/formats/optimum-benchmark/energy_star/benchmark_report.json",
     "fixtures/formats/optimum-benchmark/energy_star/benchmark_config.json"],
]
# the generic format's column map: identity and energy always, labels as a world draws them
GENERIC_MAP = ("run_id = Run\ntimestamp = Started\nproject = Project\n"
               "experiment = Experiment\nduration_s = Seconds\nenergy_kwh = Total kWh\n")
GENERIC_LABELS = [("model", "Model", MODELS), ("task", "Task", TASKS),
                  ("dataset", "Dataset", DATASETS), ("inferences", "Queries", ["1000", "100"])]
LABEL_OPTS = ("--model", "--task", "--dataset", "--inferences", "--batch-size")


def put(path, text):
    """Writes text, its surrogate escapes as the bytes they stand for (non-UTF-8 names)."""
    with open(path, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
        f.write(text)


def shq(arg):
    """arg quoted for bash; bytes that are not UTF-8 as $'\\xHH'."""
    if re.fullmatch(r"[A-Za-z0-9_./=:+-]+", arg):
        return arg
    if any(0xdc80 <= ord(ch) <= 0xdcff for ch in arg):
        return "$'" + "".join("\\x%02x" % (ord(ch) - 0xdc00) if 0xdc80 <= ord(ch) <= 0xdcff
                              else "\\'" if ch == "'" else "\\\\" if ch == "\\" else ch
                              for ch in arg) + "'"
    return "'" + arg.replace("'", "'\\''") + "'"


def add_rows(text, rows):
    """A manifest's text with rows (dicts) added, and the columns they name that it lacks."""
    head, *body = [l for l in text.split("\n") if l]
    cols = head.split(",")
    new = [c for r in rows for c in r if c not in cols]
    new = [c for i, c in enumerate(new) if c not in new[:i]]
    out = [",".join(cols + new)] + [l + "," * len(new) for l in body]
    out += [",".join(r.get(c, "") for c in cols + new) for r in rows]
    return "".join(l + "\n" for l in out)


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
        self.stdin = None       # the file whose bytes the compared ingest reads as '-'
        # files rewritten between the setup and the compared command: (name, text first
        # ingested, text the compared command reads), written as bytes
        self.versions = []
        # the manifest's shards groups: ingested with `ingest --shards` on the pass side,
        # the one command a plain ingest has for them
        self.shard_groups = []
        self.tally = {}         # what the draws after the first ones added (summary)
        self.generic = self.cli_shards = False

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
        put(os.path.join(self.d, name), header + "\n" + "".join(l + "\n" for l in lines))

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
        self.more()

    def more(self):
        """The draws added after the first ones (so that a seed's earlier draws stay): stdin,
        shards (the manifest's column, or --shards), --replace of a changed file, --idle,
        label-stating formats other than optimum-benchmark (generic with --map, ml-energy,
        boamps), non-UTF-8 names in logs and manifests, a file given twice, a grown file
        ingested with the manifest both times, manifest rows naming what these add."""
        rng = self.rng
        earlier = "m_other.csv" if self.no_earlier else "m.csv"
        self.new_names = []     # names a manifest row may match, added here
        kind = rng.random()
        if kind < 0.08:
            self.generic_world()
        elif kind < 0.13:
            self.cli_shards_world()
        elif kind < 0.23:
            self.manifest_shards()
        whole = not self.generic and not self.cli_shards
        if whole and not self.shard_groups and rng.random() < 0.12:
            self.replaced(earlier)
        if whole and rng.random() < 0.12:
            self.from_stdin()
        if whole and rng.random() < 0.15:
            for srcs in rng.sample(OTHER_FORMATS, 1 + rng.randrange(2)):
                for src in srcs:
                    shutil.copy(os.path.join(self.top, src), self.d)
                name = os.path.basename(srcs[0])
                self.files.insert(rng.randrange(len(self.files) + 1), name)
                self.new_names.append(name)
            self.count("other formats")
        if whole and rng.random() < 0.12:
            self.not_utf8()
        if not any(o in self.cli for o in LABEL_OPTS) and rng.random() < 0.08:
            self.cli.append("--idle")
            self.count("--idle")
        once = [f for f in self.files if f != "-" and not any(f in g for g in self.shard_groups)]
        if not self.cli_shards and once and rng.random() < 0.1:   # a file given twice
            self.files.insert(rng.randrange(len(self.files) + 1), rng.choice(once))
            self.count("a file twice")
        if "grow.csv" in self.files and rng.random() < 0.5:
            # the short file ingested with the manifest's earlier version, at its path
            at = next(i for i, x in enumerate(self.setup) if x[0] == "wp" and "grow.csv" in x[1])
            self.setup[at:at + 1] = [("write", earlier, self.manifest_file()),
                                     ("wp", ["ingest", "-q", "--manifest", earlier, "grow.csv"])]
            self.count("grown, manifest both times")
        if rng.random() < 0.4:
            self.final = add_rows(self.final, [self.extra_row()
                                               for _ in range(1 + rng.randrange(2))])
            self.count("manifest rows for these")
        if rng.random() < 0.06:
            self.final = add_rows(self.final, [{"project_name": rng.choice(self.projects),
                                                "idle": rng.choice(["yes", "no", "true"])}])
            self.count("idle column")
        if self.manifest == earlier and rng.random() < 0.05:   # a manifest path not UTF-8
            new = "m_" + LATIN1 + ".csv"
            self.setup = [(x[0], new if x[1] == earlier else x[1], x[2]) if x[0] == "write"
                          else (x[0], [new if a == earlier else a for a in x[1]])
                          for x in self.setup]
            self.manifest = new
            self.count("manifest path not UTF-8")

    def count(self, what):
        self.tally[what] = self.tally.get(what, 0) + 1

    def move_to_setup(self):
        """The compared files but grow.csv, ingested before on both sides (their command
        line is another world's)."""
        moved = [f for f in self.files if f != "grow.csv"]
        if moved:
            self.setup.append(("wp", ["ingest", "-q"] + moved))
        self.files = []

    def generic_world(self):
        """The compared command reads generic CSVs through --map: files whose columns may
        state labels (the same in all rows, or empty), runs now and then sharing a run id
        with a CodeCarbon run of an earlier file."""
        rng = self.rng
        self.move_to_setup()
        keys = rng.sample(GENERIC_LABELS, rng.randrange(len(GENERIC_LABELS) + 1))
        put(os.path.join(self.d, "gen.map"),
            GENERIC_MAP + "".join("%s = %s\n" % (k, col) for k, col, _ in keys))
        head = ["Run", "Started", "Project", "Experiment"] + [col for _, col, _ in keys] + \
            ["Seconds", "Total kWh"]
        for i in range(1 + rng.randrange(3)):
            stated = [rng.choice(pool) if rng.random() < 0.7 else "" for _, _, pool in keys]
            lines = []
            for _ in range(1 + rng.randrange(4)):
                known = [r for r in self.runs if r[0]]
                run, project, exp = rng.choice(known) if known and rng.random() < 0.15 \
                    else self.new_runs(1)[0]
                self.t += 1 + rng.randrange(30)
                dur = 5 + 20 * rng.random()
                lines.append(",".join([run, time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                          time.gmtime(self.t)), project, exp]
                                      + stated + ["%.17g" % dur, "%.17g" % (dur * 400 / 3.6e6)]))
            name = "g%d.csv" % i
            self.write(name, lines, ",".join(head))
            self.files.append(name)
            self.new_names.append(name)
        self.cli += ["--map", "gen.map"]
        self.generic = True
        self.count("generic --map")

    def shard_files(self, prefix):
        """2 or 3 CodeCarbon logs of one distributed run's processes: the same runs, row
        by row, each process its own GPU energy."""
        rng = self.rng
        runs = self.new_runs(1 + rng.randrange(2))
        we = rng.random() < 0.4
        names = []
        for i in range(2 + rng.randrange(2)):
            names.append("%s%d.csv" % (prefix, i))
            self.write(names[-1], [self.row(r, p, e, "", we, False) for r, p, e in runs],
                       self.header(we, False))
        return names

    def cli_shards_world(self):
        """The compared command is `ingest --shards` of one run's logs (the other new files
        ingested before)."""
        self.move_to_setup()
        self.files = self.shard_files("sh_")
        self.cli.append("--shards")
        self.cli_shards = True
        self.count("--shards")

    def manifest_shards(self):
        """The compared manifest's shards column names one or two runs' logs among the
        files; the pass side ingests each with --shards (the manifest pass does not merge)."""
        rng = self.rng
        rows = []
        for g in "ab"[:1 + (rng.random() < 0.3)]:
            names = self.shard_files("s%s_" % g)
            for n in names:
                self.files.insert(rng.randrange(len(self.files) + 1), n)
            self.shard_groups.append(names)
            row = {"file": rng.choice(["s%s_*.csv" % g, "s%s_[0-9].csv" % g]), "shards": "run-" + g}
            for c in rng.sample(["model", "task", "dataset", "inferences"], rng.randrange(3)):
                row[c] = rng.choice({"model": MODELS, "task": TASKS, "dataset": DATASETS,
                                     "inferences": ["1000", "100"]}[c])
            rows.append(row)
            self.new_names.append(row["file"])
        self.final = add_rows(self.final, rows)
        self.count("manifest shards")

    def replaced(self, earlier):
        """rep.csv ingested before (with a manifest or not), rewritten since (a run's row
        changed, maybe one dropped or one added), given with --replace."""
        rng = self.rng
        we = rng.random() < 0.4
        runs = self.new_runs(2 + rng.randrange(3))
        first = self.csv_lines(runs, we, False)
        then = list(first)
        i = rng.randrange(len(runs))
        then[i] = self.row(*runs[i], "", we, False)
        if rng.random() < 0.4:
            del then[rng.randrange(len(then))]
        if rng.random() < 0.5:
            then += self.csv_lines(self.new_runs(1), we, False)
        head = self.header(we, False) + "\n"
        self.versions.append(("rep.csv", head + "".join(l + "\n" for l in first),
                              head + "".join(l + "\n" for l in then)))
        if rng.random() < 0.4:
            self.setup.append(("write", earlier, self.manifest_file()))
            self.setup.append(("wp", ["ingest", "-q", "--manifest", earlier, "rep.csv"]))
        else:
            self.setup.append(("wp", ["ingest", "-q", "rep.csv"]))
        self.files.insert(rng.randrange(len(self.files) + 1), "rep.csv")
        self.new_names.append("rep.csv")
        self.cli.insert(0, "--replace")
        self.count("--replace")

    def from_stdin(self):
        """'-' among the files: new runs, or the bytes of another file (a copy)."""
        rng = self.rng
        csvs = [f for f in self.files if f.endswith(".csv")]
        if csvs and rng.random() < 0.4:
            self.stdin = rng.choice(csvs)
        else:
            we, wp = rng.random() < 0.4, rng.random() < 0.3
            self.write("stdin.csv", self.csv_lines(self.new_runs(1 + rng.randrange(3)), we, wp),
                       self.header(we, wp))
            self.stdin = "stdin.csv"
        self.files.insert(rng.randrange(len(self.files) + 1), "-")
        self.new_names.append("-")
        self.count("stdin")

    def not_utf8(self):
        """A log whose name is not UTF-8, its text Windows-1252 (project "caf\\xe9") or UTF-8
        ("cafe" with its accent in UTF-8); now and then a --model that is not UTF-8."""
        rng = self.rng
        latin = rng.random() < 0.6
        project = LATIN1 if latin else "caf\u00e9"
        runs = [(r, project if rng.random() < 0.7 else p, e)
                for r, p, e in self.new_runs(1 + rng.randrange(3))]
        self.runs[-len(runs):] = runs
        name = "%s_%d.csv" % (LATIN1, rng.randrange(2))
        we = rng.random() < 0.4
        self.write(name, self.csv_lines(runs, we, False), self.header(we, False))
        self.files.insert(rng.randrange(len(self.files) + 1), name)
        self.new_names += [name, LATIN1 + "*", "caf*"]
        if not any(o in self.cli for o in LABEL_OPTS + ("--idle",)) and rng.random() < 0.3:
            self.cli += ["--model", "m-" + LATIN1]
        self.count("names not UTF-8")

    def extra_row(self):
        """A manifest row matching what more() added (or not), with some labels."""
        rng = self.rng
        row = {}
        how = rng.choice(["file", "run_id", "project_name"])
        if how == "file":
            row["file"] = rng.choice(self.new_names + ["*", "*.json", "caf*"])
        elif how == "run_id" and any(r[0] for r in self.runs):
            row["run_id"] = rng.choice([r for r in self.runs if r[0]])[0]
        else:
            row["project_name"] = rng.choice(self.projects + [LATIN1, "caf\u00e9"])
        for c in rng.sample(["model", "task", "dataset", "inferences"], 1 + rng.randrange(4)):
            row[c] = rng.choice({"model": MODELS, "task": TASKS, "dataset": DATASETS,
                                 "inferences": ["1000", "100"]}[c])
        return row

    def goes_on(self):
        """Whether the pass side's commands go on after one that failed: an ingest that
        fails without --keep-going applies no manifest, so then neither does its side."""
        return "--keep-going" in self.cli

    def commands(self, added):
        """The compared commands of a side."""
        if added:
            return [["ingest"] + self.cli + ["--manifest", self.manifest] + self.files]
        cmds, rest = [], list(self.files)
        for g in sorted(self.shard_groups, key=lambda g: min(map(self.files.index, g))):
            # in the order the files are given, as ingest --manifest groups them
            cmds.append(["ingest"] + self.cli + ["--shards"] + [f for f in self.files if f in g])
            rest = [f for f in rest if f not in g]
        if rest:
            cmds.append(["ingest"] + self.cli + rest)
        return cmds + [["manifest", self.manifest]]

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
                           capture_output=True, text=True, errors="backslashreplace",
                           env=dict(os.environ, PGOPTIONS="-c client_min_messages=warning"))
        if r.returncode != 0:
            raise RuntimeError("psql: " + r.stderr)
        return r.stdout

    def dump(self, db):
        out = []
        for q in QUERIES:
            if self.kind == "sqlite":
                r = subprocess.run(["sqlite3", db, q], capture_output=True, text=True,
                                   errors="backslashreplace")
                if r.returncode != 0:
                    raise RuntimeError("sqlite3: " + r.stderr)
                out.append(r.stdout)
            else:
                out.append(self.psql(db.rsplit("/", 1)[1], q))
        return "".join(out)

    def drop(self, db):
        if self.kind == "postgresql":
            self.psql("postgres", "DROP DATABASE IF EXISTS %s" % db.rsplit("/", 1)[1])


def run_wp(wp, db, args, cwd, stdin=None, env=None):
    with open(os.path.join(cwd, stdin) if stdin else os.devnull, "rb") as f:
        r = subprocess.run([wp, "--db", db] + args, cwd=cwd, stdin=f, capture_output=True,
                           text=True, errors="backslashreplace",
                           env=dict(os.environ, **env) if env else None)
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
    for name, first, _ in world.versions:
        put(os.path.join(world.d, name), first)
    for step in world.setup:
        if step[0] == "write":   # a manifest as it was when the step after it ran
            put(os.path.join(world.d, step[1]), step[2])
            continue
        rc, out = run_wp(be.wp, db, step[1], world.d)
        log.append((step[1], rc, out))
    put(os.path.join(world.d, world.manifest), world.final)
    if world.grown:
        lines_, header = world.grown
        world.write("grow.csv", lines_, header)
    for name, _, then in world.versions:
        put(os.path.join(world.d, name), then)
    lines, rcs = [], []
    for args in world.commands(added):
        if any(rcs) and not world.goes_on():
            break
        rc, out = run_wp(be.wp, db, args, world.d, world.stdin if "-" in args else None,
                         None if added else PASS_ENV)
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
    stats.update(("+" + k, v) for k, v in w.tally.items())
    return not diffs, stats


def repro_script(w):
    """repro.sh in the world's folder: both sides as shell commands, each file version and
    manifest as a file beside it, then the messages and tables compared (SQLite files, or
    DB_ADDED and DB_PASS: fresh PostgreSQL databases' URIs)."""
    n = [0]

    def keep(text, name):   # a version of a file, saved beside the world's files
        n[0] += 1
        saved = "v%d.%s" % (n[0], name)
        put(os.path.join(w.d, saved), text)
        return "cp %s %s" % (shq(saved), shq(name))

    out = ["#!/bin/bash", "# labels_diff seed %d: WP=BINARY bash repro.sh (in this folder)"
           % w.seed, "set -u", 'cd "$(dirname "$0")"', "WP=${WP:-wattprint}", "side() {",
           '    db=$1', '    rm -f "$db"', '    "$WP" --db "$db" -q migrate']
    if w.grown:
        out.append("    " + keep(w.grown[1] + "\n" + "".join(l + "\n" for l in
                                                          w.grown[0][:w.grown_k]), "grow.csv"))
    out += ["    " + keep(first, name) for name, first, _ in w.versions]
    for step in w.setup:
        if step[0] == "write":
            out.append("    " + keep(step[2], step[1]))
        else:
            out.append('    "$WP" --db "$db" ' + " ".join(map(shq, step[1])))
    out.append("    " + keep(w.final, w.manifest))
    if w.grown:
        out.append("    " + keep(w.grown[1] + "\n" + "".join(l + "\n" for l in w.grown[0]),
                                 "grow.csv"))
    out += ["    " + keep(then, name) for name, _, then in w.versions]
    out.append("    code=0   # the first non-zero exit of the compared commands")
    for tag, added in (("added", True), ("pass", False)):
        out.append('    if [ "$2" = %s ]; then' % tag)
        for i, args in enumerate(w.commands(added)):
            line = '%s"$WP" --db "$db" %s%s; c=$?; [ $code = 0 ] && code=$c' % (
                "" if added else "".join("%s=%s " % kv for kv in PASS_ENV.items()),
                " ".join(map(shq, args)), " < " + shq(w.stdin) if "-" in args else "")
            if i and not w.goes_on():
                line = "[ $code = 0 ] && { %s; }" % line
            out.append("        " + line)
        out.append("    fi")
    out += ['    echo "exit $code"', "}", "put() { printf '%s\\n' " + shq(";\n".join(QUERIES) + ";") + "; }",
            'for s in added pass; do',
            '    [ $s = added ] && db=${DB_ADDED:-added.db} || db=${DB_PASS:-pass.db}',
            '    side "$db" $s > $s.out 2>&1',
            '    grep -E ' + shq(PASS_LINE.pattern + "|^exit") + ' $s.out > $s.msg',
            '    case $db in postgresql*) put | psql -X -q -At -F "|" -d "$db" ;;',
            '        *) put | sqlite3 "$db" ;; esac > $s.tables',
            'done',
            'diff added.msg pass.msg; diff added.tables pass.tables && echo "tables: same"']
    put(os.path.join(w.d, "repro.sh"), "\n".join(out) + "\n")


def report(w, be, diffs, a, b):
    import difflib
    print("DIFFERENCE seed %d (%s), world kept in %s" % (w.seed, be.kind, w.d))
    for what, x, y in diffs:
        print("  %s differ (--- ingest --manifest, +++ ingest then manifest):" % what)
        for l in list(difflib.unified_diff(x.splitlines(), y.splitlines(), lineterm="", n=1))[2:40]:
            print("    " + l)
    print("  again: python3 tests/labels_diff/labels_diff.py --wp WATTPRINT --top . --backend %s "
          "--seed %d --keep DIR%s" % (be.kind, w.seed, " --no-earlier" if w.no_earlier else ""))
    repro_script(w)
    print("  reproducer: WP=WATTPRINT bash %s/repro.sh (SQLite; for PostgreSQL give DB_ADDED "
          "and DB_PASS, fresh databases)" % w.d)
    for tag, s in (("added", a), ("pass", b)):
        for args, rc, out in s[3][-3:]:
            print("    [%s] %s -> %d: %s" % (tag, " ".join(map(shq, args)), rc,
                                            out.strip()[:600].replace("\n", " | ")))
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
    sys.stdout.reconfigure(errors="backslashreplace")   # names that are not UTF-8
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
    print("  seeds with: " + ", ".join("%s %d" % (k[1:], v) for k, v in sorted(tot.items())
                                       if k.startswith("+")))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
