# Names chosen to break outputs (HTML, LaTeX specials and ligatures, Markdown, spreadsheet
# formulas, pango markup, control characters, a right-to-left override, C1 controls, a
# noncharacter, 10,000 characters) reach every writer through a CodeCarbon log and its
# manifest, and each output is read back by its consumer: YAML (PyYAML), JSON, CSV, the
# workbook's XML, pdflatex + pdftotext, pdftotext on the PDFs.  Bidirectional controls are
# shown as \uXXXX in what people read (they reversed the text around them), never in the
# machine formats, which keep the names exact.
. "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
cd "$SCRATCH" || fail "cd"
"$PY" - "$FIX/synth/complete/extractive_qa__sciq.csv" <<'PY' || fail "making the fixture"
import csv, json, sys
names = {
    "deepset/bert-large-uncased-whole-word-masking-squad2": "</script><script>alert(1)</script>",
    "deepset/roberta-base-squad2": "\\input{/etc/passwd}$\\\\%#_&{}~^ a--b ''c`` ,,d",
    "deepset/tinyroberta-squad2": "=HYPERLINK(\"http://x\",\"y\")|`x`[x](javascript:alert(1))",
    "distilbert-base-cased-distilled-squad":
        "<b>bold</b> & 'q' \"dq\" \u202eevil\x1b[31m\tTAB \u009b31m \ufffe",
    "timpal0l/mdeberta-v3-base-squad2": "@org/" + "L" * 10000,
}
rows = list(csv.reader(open(sys.argv[1], newline="")))
h = rows[0]
col = {k: h.index(k) for k in ("project_name", "cpu_model", "gpu_model", "region")}
with open("emissions.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(h)
    for r in rows[1:]:
        r[col["project_name"]] = names[r[col["project_name"]]]
        r[col["cpu_model"]] = "<b>Xeon</b> & \"co\" \\write18{id}"
        r[col["gpu_model"]] = "8 x <i>A100</i> &amp; ${x}"
        r[col["region"]] = "-reg|ion`"
        w.writerow(r)
with open("manifest.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["project_name", "model", "file", "task", "dataset", "inferences", "parameters"])
    for i, v in enumerate(names.values()):
        w.writerow([v, v, "", "", "", "", (i + 1) * 100000000])
    w.writerow(["", "", "*.csv", "qa <task>|&%_$\\", "data\"set'</title>", 1000, ""])
json.dump(list(names.values()), open("names.json", "w"))
PY
db=$SCRATCH/h.db
wp "$db" -q ingest --manifest manifest.csv emissions.csv 2> /dev/null || fail "ingest"
M3='=HYPERLINK("http://x","y")|`x`[x](javascript:alert(1))'
M4=$(printf '<b>bold</b> & '"'q'"' "dq" \342\200\256evil\033[31m\tTAB \302\23331m \357\277\276')
RLO=$(printf '\342\200\256')
no_rlo() { # FILE WHAT: a right-to-left override neither raw nor as a character reference
    ! grep -qaF "$RLO" "$1" || fail "$2: a raw U+202E, which reverses the text after it"
    ! grep -qaiE '&#(x202e|8238);' "$1" || fail "$2: U+202E as a character reference"
}

# the Impact Framework manifest: YAML allows implicit keys of 1,024 characters at most, and
# a C1 control or U+FFFE raw in a YAML stream is an error; the keys keep the whole names
wp "$db" -q export sci --by model,task --format json --manifest-if if.yml > sci.json 2> /dev/null ||
    fail "export sci --manifest-if"
"$PY" - if.yml names.json <<'PY' || fail "the IF manifest is not YAML that keeps the names"
import json, sys, yaml
d = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
want = {n + " / qa <task>|&%_$\\" for n in json.load(open(sys.argv[2]))}
got = set(d["tree"]["children"])
assert got == want, (sorted(len(k) for k in got), sorted(len(k) for k in want))
PY

# machine formats: valid, and the names exact (JSON, YAML) or, in CSV, with OWASP's ' before
# what a spreadsheet would take for a formula
wp "$db" runs --format json > runs.json 2> /dev/null || fail "runs json"
wp "$db" runs --format csv > runs.csv 2> /dev/null || fail "runs csv"
wp "$db" -q export boamps -o boamps/ 2> /dev/null || fail "export boamps"
wp "$db" -q export spdx -o spdx/ 2> /dev/null || fail "export spdx"
wp "$db" -q export eu-ai-act --model "$M4" --format json > eu.json 2> /dev/null || fail "eu-ai-act json"
"$PY" - names.json <<'PY' || fail "machine formats"
import csv, glob, json, sys
names = json.load(open(sys.argv[1]))
for f in ["runs.json", "sci.json", "eu.json"] + glob.glob("boamps/*.json") + glob.glob("spdx/*.json"):
    json.load(open(f, encoding="utf-8"))
assert {r["model"] for r in json.load(open("runs.json", encoding="utf-8"))} == set(names)
rows = list(csv.DictReader(open("runs.csv", encoding="utf-8", newline="")))
shown = {n if n[0] not in "=+-@" else "'" + n for n in names}
assert {r["model"] for r in rows} == shown, {r["model"][:40] for r in rows}
assert len(glob.glob("boamps/*.json")) == 5 and len(glob.glob("spdx/*.json")) == 5
PY

# the workbook: text cells, never formulas; well-formed XML
wp "$db" -q xlsx -o s.xlsx 2> /dev/null || fail "xlsx"
"$PY" - s.xlsx <<'PY' || fail "the workbook"
import re, sys, zipfile, xml.dom.minidom
z = zipfile.ZipFile(sys.argv[1])
text = ""
for n in z.namelist():
    if n.endswith(".xml"):
        s = z.read(n).decode("utf-8")
        xml.dom.minidom.parseString(s)
        assert "<f>" not in s, n + ": a formula"
        text += s
assert '=HYPERLINK(&quot;http://x&quot;' in text or '=HYPERLINK("http://x"' in text
PY

# the card: its front matter is YAML (a raw U+FFFE was not), its Markdown shows the override
# and escapes $ (math on GitHub and the Hub)
wp "$db" -q card "$M4" > card.md 2> /dev/null || fail "card"
"$PY" - card.md names.json <<'PY' || fail "the card's front matter"
import json, sys, yaml
t = open(sys.argv[1], encoding="utf-8").read()
d = yaml.safe_load(t.split("---\n")[1])
assert d["inference_energy"]["model"] == json.load(open(sys.argv[2]))[3]
PY
awk 'n >= 2; /^---$/ { n++ }' card.md > card_text.md
no_rlo card_text.md "card text"
grep -qF '\\u202eevil' card_text.md || fail "card: the override is not shown"
grep -qF '%\_\$\\ on data' card_text.md || fail "card: \$ not escaped"
wp "$db" -q export eu-ai-act --model "$M4" > eu.md 2> /dev/null || fail "eu-ai-act"
no_rlo eu.md "EU AI Act form"
grep -qF '\_\$\\' eu.md || fail "EU AI Act form: \$ not escaped"

# people: the terminal, the HTML report and the leaderboard's pages, the PDF report and a
# chart show a control character and the override as escapes
wp "$db" stats --by model,task > stats.txt 2> /dev/null || fail "stats"
no_rlo stats.txt "stats table"
grep -qF '\u202eevil\x1b[31m\tTAB \u009b31m \ufffe' stats.txt || fail "stats table: escapes"
wp "$db" -q report -o r.html --title "T $RLO<b>x</b>" 2> /dev/null || fail "report.html"
no_rlo r.html "report.html"
grep -qF '\u202eevil\x1b[31m' r.html || fail "report.html: escapes"
grep -qF '<title>T \u202e&lt;b&gt;x&lt;/b&gt;</title>' r.html || fail "report.html: title"
wp "$db" -q leaderboard -o lb 2> /dev/null || fail "leaderboard"
for f in lb/index.html lb/labels/*.html; do no_rlo "$f" "leaderboard $f"; done
! grep -qaP '[\x01-\x08\x0b\x0c\x0e-\x1f]' lb/index.html lb/labels/*.html ||
    fail "leaderboard: a raw control character"
# cairo refuses U+FFFE in the PDF's metadata and a heading cut inside a character in its
# outline (a task of 700 e-acutes in "Which TASK models the published value is over"): each
# failed the whole PDF
wp "$db" -q report -o r.pdf --title "$(printf 'T \357\277\276')" 2> /dev/null || fail "report.pdf"
"$PY" - <<'PY' || fail "making the long task's manifest"
import csv
rows = list(csv.reader(open("manifest.csv", newline="")))
rows[-1][3] = "\u00e9" * 700
csv.writer(open("m2.csv", "w", newline="")).writerows(rows)
open("ref.csv", "w").write("task,mean_kwh_per_1k,sd_kwh_per_1k,source,note,models\n"
                           + "\u00e9" * 700 + ",0.0025,0.001,src,,3\n")
PY
wp "$SCRATCH/e.db" -q ingest --manifest m2.csv emissions.csv 2> /dev/null || fail "ingest, long task"
wp "$SCRATCH/e.db" -q report -o e.pdf --reference ref.csv 2> /dev/null || fail "report.pdf, long heading"
wp "$db" -q chart models -o models.pdf 2> /dev/null || fail "chart models"
if under_asan; then
    skipped_asan "hostile_names: pdftotext of the report and the chart, pdflatex of 1 table (make test runs them)"
    exit 0
fi
for f in r.pdf models.pdf; do
    pdftotext "$f" "$f.txt" || fail "pdftotext $f"
    no_rlo "$f.txt" "$f"
    grep -qF '\u202eevil\x1b[31m' "$f.txt" || fail "$f: escapes"
done
grep -qF '<b>bold</b> & '"'q'"' "dq"' r.pdf.txt || fail "report.pdf: the name as markup"
pdfinfo r.pdf | grep -qF 'Title:           T \ufffe' || fail "report.pdf: the title's U+FFFE"
pdftotext e.pdf - | grep -q '^5.1 Which' || fail "e.pdf: the heading"

# LaTeX: compiles with pdflatex (it stopped at U+202E and U+FFFE) and prints the names as
# written: no en dash from --, no curly quotes from '' or ``
wp "$db" -q latex --by model,task -o m.tex 2> /dev/null || fail "latex"
printf '\\documentclass{article}\n\\usepackage[T1]{fontenc}\n%s\n\\begin{document}\n\\input{m.tex}\n\\end{document}\n' \
    "$(sed -n 's/^% Preamble: //p' m.tex)" > doc.tex
pdflatex -interaction=nonstopmode -halt-on-error -no-shell-escape doc.tex > latex.log 2>&1 ||
    { grep -A3 '^!' doc.log | head -8 >&2; fail "pdflatex: the table does not compile"; }
pdftotext doc.pdf - | tr '\n' ' ' > doc.txt || fail "pdftotext doc.pdf" # lines wrap at spaces
for s in '\input{/etc/passwd}$\\%#_&{}~^' "a--b ''c\`\` ,,d" '</script><script>alert(1)</script>' \
         '\u202eevil'; do
    grep -qF -- "$s" doc.txt || fail "LaTeX: '$s' not printed as written: $(grep -oF 'input' doc.txt)"
done
exit 0
