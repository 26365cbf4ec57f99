# The LaTeX tables fit where papers put them (issue 25): each table `wattprint latex` and
# batch write is compiled with pdflatex -halt-on-error, with only the preamble its header
# states, in a one-column article and (unless it is a longtable, which cannot run there) in
# a two-column one on letter and A4 paper; an overfull box over 1 pt, "Float too large", a
# lost float or an error fails.  Every row is in the PDF (a row's count n is found in the
# text).  Needs pdflatex and texlive-latex-extra/-science (.ci/deps-test, run by make test).
# Regression test: tasks.tex was 183 pt too wide in one column and models.tex a float too
# large for its page (rows past the bottom lost).
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
command -v pdflatex > /dev/null || fail "pdflatex is missing (make test installs it: .ci/deps-test)"
db=$SCRATCH/l.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
# a model whose name is long and has nowhere to break but its slash
printf 'timestamp,experiment_id,project_name,duration,emissions,energy_consumed,country_name,country_iso_code,region,on_cloud,cloud_provider,cloud_region\n2023-10-01T10:00:00,e,p,11.5,0.0001,0.001,France,FRA,,N,,\n' > h.csv
wp "$db" -q ingest --model 'an-organisation/averyveryverylongmodelnamewithoutanyhyphen_v2.1' \
    --task 'text_classification' --dataset d --inferences 100 h.csv || fail "ingest a long name"

# the tables: NAME ARGS...
tables() {
    echo "tasks"
    echo "tasks_all_two --columns all --twocolumn"
    echo "tasks_exp --over experiments --columns n,mean,sd,median,boot"
    echo "models --by model"
    echo "models_two --by model --twocolumn"
    echo "mt --by model,task"
    echo "mt_two --by model,task --twocolumn"
    echo "mt_all_two --by model,task --twocolumn --columns all"
    echo "datasets --by dataset --columns n,mean,sd,median,ci,g"
    echo "datasets_all_two --by dataset --twocolumn --columns all"
}
tables | while read -r name args; do
    # shellcheck disable=SC2086
    wp "$db" -q latex $args -o "$name.tex" || fail "latex $args"
done
[ -f mt_two.tex ] || exit 1
# every column in one column leaves no room for the names: said, nothing written
wp "$db" -q latex --by dataset --columns all -o no.tex 2> err.txt && fail "--columns all in one column: exit 0"
grep -q "leave no room for the names on a one-column page.*--columns.*--twocolumn" err.txt ||
    { cat err.txt >&2; fail "--columns all in one column: no clear message"; }
[ -e no.tex ] && fail "--columns all in one column: written"
# and those batch writes
printf 'output: %s/b\nreports:\n  - name: e\n    produce: [latex]\n' "$SCRATCH" > b.yaml
wp "$db" -q batch b.yaml || fail "batch"
cp b/e/tables/tasks.tex batch_tasks.tex && cp b/e/tables/models.tex batch_models.tex || fail "batch tables"

# compile LAYOUT CLASSOPTIONS TABLES...: one document of the tables, each on pages of its
# own after a marker in the log; an error, an overfull box over 1 pt, a float too large or
# lost fails, naming the table
compile() {
    local doc=doc_$1 opts=$2 t
    shift 2
    {
        printf '\\documentclass[%s]{article}\n\\usepackage[T1]{fontenc}\n' "$opts"
        # the union of what the tables state they need
        for t in "$@"; do sed -n 's/^% Preamble: \\usepackage{\(.*\)}$/\1/p' "$t.tex"; done |
            tr ',' '\n' | sort -u | sed 's/^/\\usepackage{/; s/$/}/'
        printf '\\begin{document}\n'
        for t in "$@"; do
            printf '\\clearpage\n\\typeout{TABLE: %s}\nText before the table.\n\\input{%s}\nText after the table.\n' "$t" "$t.tex"
        done
        printf '\\end{document}\n'
    } > "$doc.tex"
    # with a longtable twice, as an author runs it: it settles its column widths on the second
    local passes=1
    grep -q 'xltabular' "$doc.tex" && passes="1 2"
    for pass in $passes; do
        pdflatex -interaction=nonstopmode -halt-on-error "$doc.tex" > /dev/null 2>&1 ||
            { grep -A5 '^!' "$doc.log" >&2; fail "$doc ($*) does not compile in article[$opts] (pass $pass)"; }
    done
    awk -v o="[$opts]" '/^TABLE: / { t = $2 }
        /^Overfull \\hbox \(/ { w = substr($3, 2) + 0; if (w > 1) { print "FAIL: " t " " o ": " $0; bad = 1 } }
        /Float too large/ || /Float\(s\) lost/ || /^Overfull \\vbox/ { print "FAIL: " t " " o ": " $0; bad = 1 }
        END { exit bad }' "$doc.log" >&2 || exit 1
    [ "$(grep -c '^TABLE: ' "$doc.log")" -eq $# ] || fail "$doc: not every table was set"
    echo "article[$opts]: $# tables, $(pdfinfo "$doc.pdf" | awk '/^Pages:/ { print $2 }') pages"
}

one="" two=""
n=0
for f in *.tex; do
    t=${f%.tex}
    n=$((n + 1))
    grep -q '^% Preamble: ' "$f" || fail "$f states no preamble"
    # --twocolumn tables are for two-column papers; longtables cannot run there
    grep -q '^% Layout (--twocolumn)' "$f" || one="$one $t"
    if grep -q '^% Layout: a longtable' "$f"; then
        grep -q 'latex --twocolumn' "$f" || fail "$f: a longtable without the two-column advice"
    else
        two="$two $t"
    fi
done
[ "$n" -eq 12 ] || fail "$n tables, not 12"
# pdflatex checks the bytes wattprint wrote, which are the same under ASan: there its
# writes above are what is checked for memory errors
if under_asan; then
    skipped_asan "latex_fit: pdflatex of the 12 tables in 3 layouts (make test compiles them)"
else
    # shellcheck disable=SC2086
    compile one "" $one
    # shellcheck disable=SC2086
    compile two "twocolumn" $two
    # shellcheck disable=SC2086
    compile two_a4 "a4paper,twocolumn" $two
fi
# the long tables are longtables by default and several table* floats with --twocolumn
grep -q 'begin{xltabular}' mt.tex || fail "models by task is not a longtable"
[ "$(grep -c 'begin{table\*}' mt_two.tex)" -ge 2 ] || fail "mt_two: not several floats"
grep -q 'begin{table\*}' tasks.tex || fail "tasks is not a table*"
# no row lost between the floats: the same rows as the longtable (markup of wrapping aside)
plain() { grep '& [0-9]* & ' "$1" | sed 's/\\allowbreak{}//g; s/\\hangindent=[0-9]*em//; s/\\quad //; s/^ *//'; }
[ "$(plain mt.tex | wc -l)" -ge 50 ] || fail "mt: fewer rows than models"
diff <(plain mt.tex) <(plain mt_two.tex) >&2 || fail "mt_two rows differ from mt's"
exit 0
