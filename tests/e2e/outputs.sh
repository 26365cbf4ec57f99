# Outputs as the tools users open them with take them (issue 25): every PDF wattprint writes
# (report, figures, the energy label) passes `qpdf --check` and the report keeps its
# contents' links and outline; a name whose extension is not the output's format is refused,
# never written; every output file gets the mode the umask makes (0666 & ~umask), atomic
# writes, a script's '>' files and batch's stats.json included.
# Regression test: cairo 1.16 wrote link annotations pointing at structure elements it never
# wrote (qpdf: "file is damaged", exit 3); script and batch '>' outputs were 0600.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
command -v qpdf > /dev/null || fail "qpdf is missing (make deps installs it)"
db=$SCRATCH/o.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
M=distilbert-base-uncased-finetuned-sst-2-english

# everything one batch entry writes, plus the energy label, a script's '>' outputs and each
# stand-alone writer, into folder $1
write_all() {
    local o=$1
    printf 'output: %s\nreports:\n  - name: all\n  - name: tc\n    filter: {task: text_classification}\n' \
        "$o/batch" > "$o.yaml"
    wp "$db" -q batch "$o.yaml" || fail "batch into $o"
    wp "$db" -q chart label --task text_classification --model "$M" \
        -o "$o/label.pdf" -o "$o/label.png" -o "$o/label.svg" || fail "label"
    printf 'summary --format csv > %s/script/summary.csv\nstats --format json > %s/script/stats.json\n' \
        "$o" "$o" > "$o.script"
    wp "$db" -q script "$o.script" || fail "script"
    wp "$db" -q report -o "$o/r.pdf" || fail "report"
    wp "$db" -q xlsx -o "$o/s.xlsx" || fail "xlsx"
    wp "$db" -q latex -o "$o/t.tex" || fail "latex"
    wp "$db" -q card "$M" -o "$o/c.md" || fail "card"
    wp "$db" -q chart tasks -o "$o/tasks.pdf" -o "$o/tasks.svg" -o "$o/tasks.png" || fail "chart"
}

# 1. valid PDF: the outputs written under umask 022, whose modes part 3 checks too (one
# write of everything serves both)
mkdir -p m022
( umask 022 && write_all m022 ) || exit 1
n=0
for f in $(find m022 -name '*.pdf' | LC_ALL=C sort); do
    qpdf --check "$f" > qpdf.txt 2>&1; rc=$?
    [ $rc -eq 0 ] || { cat qpdf.txt >&2; fail "qpdf --check $f: exit $rc"; }
    grep -q "No syntax or stream encoding errors" qpdf.txt || { cat qpdf.txt >&2; fail "qpdf --check $f"; }
    n=$((n + 1))
done
# two reports, five figures of each entry, the label, a chart
[ "$n" -ge 14 ] || fail "only $n PDFs checked"
# the contents still link to every heading, the outline still lists the sections
r=m022/batch/all/report.pdf
heads=$(pdfinfo -dests "$r" | grep -c '"sec')
qpdf --qdf --object-streams=disable "$r" qdf.pdf || fail "qpdf --qdf"
links=$(grep -ac '/Subtype /Link' qdf.pdf)
[ "$links" -eq "$heads" ] && [ "$heads" -ge 6 ] || fail "$links contents links for $heads headings"
grep -aq '/StructTreeRoot' qdf.pdf || fail "the links' structure tree is missing"
qpdf --json --json-key=outlines "$r" > outline.json || fail "qpdf --json"
python3 - outline.json <<'PY' || fail "outline"
import json, sys
o = json.load(open(sys.argv[1]))["outlines"]
titles = [e["title"] for e in o]
assert len(titles) >= 5 and titles[0].endswith("Summary"), titles
PY
pdftotext -f 2 -l 2 "$r" - | grep -q "Contents" || fail "page 2 is not the contents"

# 2. formats by extension, or a clear error (usage: exit 2), nothing written
for spec in "report -o x.txt" "report -o x" "report -o x.pdf.txt" "xlsx -o x.xls" "xlsx -o x.csv"; do
    # shellcheck disable=SC2086
    wp "$db" $spec > out.txt 2> err.txt; rc=$?
    [ $rc -eq 2 ] || fail "$spec: exit $rc, not 2"
    out=${spec##* }
    grep -qF "$out: a " err.txt && grep -q "must end in \.\(pdf\|xlsx\)" err.txt \
        || { cat err.txt >&2; fail "$spec: no clear message"; }
    ls | grep -q "^x" && fail "$spec: wrote $(ls | grep '^x')"
done
# the extension in any case, as the figures take it
wp "$db" -q report -o "R.PDF" || fail "report -o R.PDF"
qpdf --check R.PDF > /dev/null || fail "R.PDF"

# 3. modes: 0666 & ~umask for every file written, as for the database (022 written in part
# 1).  Each umask runs the same code with another mask; under ASan the first (the one that
# tells 0600, the mode of the bug, from the right mode) checks it for memory errors.
umasks="022 077 027"
if under_asan; then
    umasks=022
    reduced_asan "outputs: 1 of the 3 umasks (022; make test writes everything under 077 and 027 too)"
fi
for u in $umasks; do
    if [ "$u" != 022 ]; then
        mkdir -p "m$u"
        ( umask "$u" && write_all "m$u" ) || exit 1
    fi
    want=$(printf '%o' $((0666 & ~0$u)))
    files=$(find "m$u" -type f | wc -l)
    [ "$files" -ge 150 ] || fail "umask $u: only $files outputs"
    bad=$(find "m$u" -type f ! -perm "$want" -exec stat -c '%a %n' {} +)
    [ -z "$bad" ] || fail "umask $u: not mode $want: $bad"
    find "m$u" -name '*.tmp.*' | grep -q . && fail "umask $u: temporary files left"
done
echo "outputs: $n PDFs pass qpdf --check; 5 bad extensions refused; modes under umasks $umasks"
