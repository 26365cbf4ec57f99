# wattprint latex on the synthetic fixtures: the per-task and per-model tables equal their
# golden files (tests/golden/latex_*.tex, the version line aside), --caption and --label are
# used, special characters in names are escaped, and the tables compile with the preamble
# their header states (pdflatex: installed for make test by .ci/deps-test).
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
unversioned() { sed 's/wattprint [0-9][0-9.a-z-]*/wattprint VERSION/' "$1" > "$1.cmp"; }

wp "$db" latex -o "$SCRATCH/out/tables/tasks.tex" || fail "latex"
unversioned "$SCRATCH/out/tables/tasks.tex"
golden latex_tasks.tex "$SCRATCH/out/tables/tasks.tex.cmp"
wp "$db" latex --by model,task -o "$SCRATCH/models.tex" || fail "latex --by model,task"
unversioned "$SCRATCH/models.tex"
golden latex_models.tex "$SCRATCH/models.tex.cmp"
wp "$db" latex --by model > /dev/null || fail "latex --by model"
ls "$SCRATCH/out/tables" | grep -q tmp && fail "a temporary file was left behind"
# runs not yet labelled: no table (an empty one would compile into a caption over nothing)
wp "$SCRATCH/u.db" -q ingest "$FIX/first-hour/emissions.csv" || fail "ingest first-hour"
wp "$SCRATCH/u.db" latex -o "$SCRATCH/u.tex" 2> "$SCRATCH/e"; rc=$?
[ $rc -eq 1 ] || fail "latex on unlabelled runs: exit $rc"
grep -q "no run has energy per 1,000 inferences to tabulate: label runs" "$SCRATCH/e" \
    || fail "latex on unlabelled runs: $(cat "$SCRATCH/e")"
[ -e "$SCRATCH/u.tex" ] && fail "latex wrote an empty table"

# the numbers are those of stats, to the printed digits
wp "$db" stats --format csv > "$SCRATCH/stats.csv"
/usr/bin/python3 - "$SCRATCH/out/tables/tasks.tex" "$SCRATCH/stats.csv" <<'PY' || fail "numbers"
import csv, sys
rows = {}
for line in open(sys.argv[1]):
    if line.startswith("  ") and line.rstrip().endswith("\\\\") and "&" in line and "{" not in line.split("&")[1]:
        cells = [c.strip() for c in line.strip()[:-2].split("&")]
        rows[cells[0].replace("\\_", "_")] = cells
cut = 0
for r in csv.DictReader(open(sys.argv[2])):
    c = rows[r["task"]]
    assert int(c[1]) == int(r["n"])
    mean = float(c[2])
    assert abs(mean - float(r["mean_kwh_per_1k"])) <= 0.5e-3 * abs(mean), (r["task"], mean)
    # the one rule of stats.h: a t interval's lower end below zero shows as 0 with a dagger
    lo = float(r["ci_t_lo_kwh_per_1k"])
    if lo < 0:
        assert c[3] == "{0\\rlap{\\textsuperscript{\\dag}}}", (r["task"], c[3])
        cut += 1
    else:
        assert abs(float(c[3]) - lo) <= 0.5e-3 * abs(lo), (r["task"], c[3], lo)
assert cut >= 1, "the fixture has no interval below zero: the rule goes untested"
assert ("\\dag}\\,the interval's lower end is below zero" in open(sys.argv[1]).read())
PY

# the same rule in stats' table for people: 0† where the lower end is below zero, the note
wp "$db" stats --show groups > "$SCRATCH/stats.txt" || fail "stats table"
/usr/bin/python3 - "$SCRATCH/stats.txt" "$SCRATCH/stats.csv" <<'PY' || fail "stats table: the interval rule"
import csv, sys
lines = open(sys.argv[1]).read().splitlines()
head = lines[0].split()
col = head.index("ci_t_lo_kwh_per_1k")
rows = {l.split()[0]: l.split() for l in lines[1:] if l.strip() and len(l.split()) >= len(head) - 1}
for r in csv.DictReader(open(sys.argv[2])):
    cell = rows[r["task"]][col]
    assert (cell == "0\u2020") == (float(r["ci_t_lo_kwh_per_1k"]) < 0) == (r["ci_t_lo_below_zero"] == "yes"), (r["task"], cell)
assert "\u2020 ci_t_lo: the interval's lower end is below zero (few values or a wide spread), shown as 0: energy cannot be negative." in lines
PY

# caption and label; hostile names are escaped
wp "$db" latex --caption 'Energy & 50% of #1 {tasks} ~ x^2 \ y_z $' --label tab:mine > "$SCRATCH/c.tex"
grep -qF '\caption{Energy \& 50\% of \#1 \{tasks\} \textasciitilde{} x\textasciicircum{}2 \textbackslash{} y\_z \$ \textsuperscript{\dag}' "$SCRATCH/c.tex" ||
    fail "caption not escaped"
grep -qF '\label{tab:mine}' "$SCRATCH/c.tex" || fail "label"
"$WP" --db "$db" latex --label 'a}b' 2>/dev/null; [ $? -eq 2 ] || fail "a bad label exits 2"
"$WP" --db "$db" latex --by nothing 2>/dev/null; [ $? -eq 2 ] || fail "a bad --by exits 2"
printf 'timestamp,experiment_id,project_name,duration,emissions,energy_consumed,country_name,country_iso_code,region,on_cloud,cloud_provider,cloud_region\n2023-10-01T10:00:00,e,p,11.5,0.0001,0.001,France,FRA,,N,,\n' > "$SCRATCH/h.csv"
wp "$db" -q ingest --model 'm#1_$x%&~^\{}' --task 'evil}\end{tabular}' --dataset d \
    --inferences 100 "$SCRATCH/h.csv" || fail "ingest the hostile names"
wp "$db" latex --by model,task > "$SCRATCH/h.tex" || fail "latex with hostile names"
# by model and task: the task on a row of its own, the model under it
grep -qF '  \multicolumn{6}{@{}l}{\textit{evil\}\textbackslash{}end\{tabular\}}} \\' "$SCRATCH/h.tex" ||
    { grep evil "$SCRATCH/h.tex" >&2; fail "hostile task not escaped"; }
grep -qF '  \quad m\#1\_\$x\%\&\textasciitilde{}\textasciicircum{}\textbackslash{}\{\} & 1 &' "$SCRATCH/h.tex" ||
    { grep 'm\\#1' "$SCRATCH/h.tex" >&2; fail "hostile model not escaped"; }
[ "$(grep -c 'end{tabular' "$SCRATCH/h.tex")" -eq 0 ] || fail "a name closed a tabular"
[ "$(grep -c 'end{xltabular}' "$SCRATCH/h.tex")" -eq 1 ] || fail "not one longtable"

# compile check with the preamble each table states (tests/e2e/latex_fit.sh checks the fit);
# pdflatex reads the bytes written above, the same under ASan, where those writes are what
# is checked for memory errors
if under_asan; then
    skipped_asan "latex: pdflatex of the 3 tables (make test compiles them)"
    exit 0
fi
for f in "$SCRATCH/out/tables/tasks.tex" "$SCRATCH/models.tex" "$SCRATCH/h.tex"; do
    t=$(basename "$f" .tex)
    printf '\\documentclass{article}\n\\usepackage[T1]{fontenc}\n%s\n\\begin{document}\n\\input{%s}\n\\end{document}\n' \
        "$(sed -n 's/^% Preamble: //p' "$f")" "$f" > "$SCRATCH/doc_$t.tex"
    (cd "$SCRATCH" && pdflatex -interaction=nonstopmode -halt-on-error "doc_$t.tex" > "log_$t" 2>&1) ||
        { tail -n 20 "$SCRATCH/log_$t" >&2; fail "pdflatex: the $t table does not compile"; }
done
exit 0
