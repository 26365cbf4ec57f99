# Filters that match nothing say so (issue: a new user's first hour): a --task, --model,
# --dataset, --phase or --where value that no experiment has is exit 1 with a message naming
# the filter and the nearest known value, or the values there are; never an empty table with
# exit 0. Every command that takes filters does it; a filter that exists still works.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
cd "$SCRATCH" || fail "cd"
# expect FILTER... -- MESSAGE: every command with FILTER exits 1 and says MESSAGE
expect() {
    local msg=$1
    shift
    for cmd in "stats" "summary" "runs" "report -o r.pdf" "xlsx -o s.xlsx" "latex -o t.tex" \
               "chart tasks -o c.png"; do
        # shellcheck disable=SC2086
        "$WP" --db "$db" $cmd "$@" > out.txt 2> err.txt
        rc=$?
        case "$cmd $*" in summary*--where*|runs*--where*) continue ;; esac # they take no --where
        [ "$rc" -eq 1 ] || fail "$cmd $*: exit $rc: $(cat err.txt)"
        grep -qF -- "$msg" err.txt || fail "$cmd $*: said: $(cat err.txt)"
        [ ! -s out.txt ] || fail "$cmd $*: printed a table"
    done
    [ ! -e r.pdf ] && [ ! -e s.xlsx ] && [ ! -e t.tex ] && [ ! -e c.png ] || fail "$*: a file was written"
}
expect '--task "text_clasification" matches nothing; did you mean "text_classification"?' --task text_clasification
expect '--task "TEXT_CLASSIFICATION" matches nothing; did you mean "text_classification"?' --task TEXT_CLASSIFICATION
expect '--phase "query" matches nothing; did you mean "query model"?' --phase query
expect '--model "google/flan-t5-bas" matches nothing; did you mean "google/flan-t5-base"?' --model google/flan-t5-bas
expect '--dataset "nope" matches nothing; the datasets are: bookcorpus, c4, cifar10, cifar100, cnn_dailymail and 19 more' --dataset nope
"$WP" --db "$db" stats --where colour=blue > out.txt 2> err.txt; [ $? -eq 1 ] || fail "--where colour=blue: exit 0"
grep -qF -- '--where: the manifest column or configuration key "colour" matches nothing; the columns are: note, purpose' err.txt ||
    fail "--where colour: $(cat err.txt)"
"$WP" --db "$db" stats --where purpose=multi > out.txt 2> err.txt; [ $? -eq 1 ] || fail "--where purpose=multi: exit 0"
grep -qF -- '--where purpose=multi matches nothing; did you mean "multi-purpose"?' err.txt ||
    fail "--where purpose=multi: $(cat err.txt)"
# values that exist still select, and an empty database says there is nothing yet
wp "$db" stats --task text_classification --where purpose=multi-purpose > out.txt ||
    fail "existing filters refused"
grep -q text_classification out.txt || fail "existing filters: no row"
# values that each exist but together select nothing: said, exit 1, no empty table
"$WP" --db "$db" stats --task text_classification --phase "query model" --where purpose=multi-purpose \
    > out.txt 2> err.txt && fail "an empty combination: exit 0"
grep -qF 'no run with energy and an inference count matches --task "text_classification" --phase "query model" --where purpose=multi-purpose together' err.txt ||
    fail "an empty combination: $(cat err.txt)"
[ ! -s out.txt ] || fail "an empty combination printed a table"
"$WP" --db "$SCRATCH/empty.db" -q ingest "$FIX/bad/ok_reference.csv" 2> /dev/null
"$WP" --db "$SCRATCH/empty.db" stats --task text_classification > out.txt 2> err.txt && fail "empty: exit 0"
grep -qF 'no tasks in the database yet' err.txt || fail "empty database: $(cat err.txt)"
echo "filters: 5 kinds of filter that match nothing refused by 7 commands, with the nearest value"
