# wattprint report on the fixtures: a PDF with the expected pages and metadata (dates from
# the data, not the clock), the headline numbers exactly as `wattprint stats` prints them,
# every input file with its sha256, the same bytes twice, letter paper, edited templates.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
wp "$db" -q report -o "$SCRATCH/r.pdf" --organisation "Test Lab" || fail "report"
pdfinfo "$SCRATCH/r.pdf" > "$SCRATCH/info" || fail "pdfinfo"
grep -q "^Title: *Energy transparency report" "$SCRATCH/info" || fail "title metadata"
grep -q "^Author: *Test Lab" "$SCRATCH/info" || fail "author metadata"
grep -q "^Creator: *wattprint " "$SCRATCH/info" || fail "creator metadata"
grep -q "^CreationDate: .*2026" "$SCRATCH/info" || fail "creation date from the data: $(grep Creation "$SCRATCH/info")"
pages=$(awk '/^Pages:/ { print $2 }' "$SCRATCH/info")
[ "$pages" -ge 8 ] || fail "$pages pages"
grep -q "A4" "$SCRATCH/info" || fail "A4 by default"
pdftotext -layout "$SCRATCH/r.pdf" "$SCRATCH/r.txt" || fail "pdftotext"
for s in "Contents" "Summary" "Methodology" "Results" "Limitations" "Provenance" \
         "Test Lab" "image_generation" "Scaling with model size" "multi-purpose"; do
    grep -q "$s" "$SCRATCH/r.txt" || fail "the report lacks \"$s\""
done
# the methodology names the tools as their authors do, counts with separators, places
# with their regions
tr -s ' \n' '  ' < "$SCRATCH/r.txt" > "$SCRATCH/r1.txt"
grep -q "measured with CodeCarbon 2\." "$SCRATCH/r1.txt" || fail "tool name: $(grep -o 'measured with [^,]*' "$SCRATCH/r1.txt")"
grep -q "Each run counted 1,000 inferences" "$SCRATCH/r1.txt" || fail "inference count"
grep -q "(USA, region oregon)" "$SCRATCH/r1.txt" || fail "place: $(grep -o 'in [A-Z][a-z]* [A-Z][a-z]* ([^)]*)' "$SCRATCH/r1.txt" | head -1)"
# the per-task means as `wattprint stats` prints them
wp "$db" -q stats --show groups |
    awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "mean_kwh_per_1k") c = i; next }
         NF > 3 { print $1, $c }' > "$SCRATCH/means"
[ "$(wc -l < "$SCRATCH/means")" -eq 10 ] || fail "stats table"
while read -r task mean; do
    grep -q "$task .* $mean " "$SCRATCH/r.txt" || fail "mean of $task ($mean) not in the report"
done < "$SCRATCH/means"
# the headline ratio
ratio=$(wp "$db" stats --show headline | sed -n 's/^Ratio of means[^:]*: \([0-9.]*\).*/\1/p')
[ -n "$ratio" ] || fail "no headline ratio from stats"
grep -q "$ratio times" "$SCRATCH/r.txt" || fail "headline ratio $ratio not in the report"
# provenance: every ingested file with its sha256 in SHA256SUMS beside the report (the
# format of sha256sum -c, which checks them), and the list's own SHA-256 in the report
sums=$SCRATCH/SHA256SUMS
[ -s "$sums" ] || fail "no SHA256SUMS beside the report"
wp "$db" sources --format csv | tail -n +2 | while IFS=, read -r path format sha rest; do
    grep -qx "$sha  $path" "$sums" || fail "sha256 of $path not in SHA256SUMS"
done
[ "$(wc -l < "$sums")" -eq "$(wp "$db" sources --format csv | tail -n +2 | wc -l)" ] || fail "SHA256SUMS has other files"
sha256sum --quiet -c "$sums" || fail "sha256sum -c SHA256SUMS"
pdftotext "$SCRATCH/r.pdf" - | tr -d ' \n' > "$SCRATCH/flat.txt"
grep -q "$(sha256sum "$sums" | cut -d' ' -f1)" "$SCRATCH/flat.txt" || fail "the list's SHA-256 is not in the report"
[ "$(grep -o '[0-9a-f]\{64\}' "$SCRATCH/flat.txt" | wc -l)" -le 2 ] || fail "per-file hashes in the report"
# the components figure's caption says what its axis says: the logged energy, hatched where
# modelled (it said "measured" over modelled RAM and CPU)
grep -q "Shareoftheloggedenergydrawnby[^.]*pertask;ahatchedpartismodelled,notmeasured\." "$SCRATCH/flat.txt" ||
    fail "the components figure's caption"
# links: a named destination per heading
[ "$(pdfinfo -dests "$SCRATCH/r.pdf" | grep -c '"sec')" -ge 6 ] || fail "no links to the headings"
# determinism
mv "$SCRATCH/r.pdf" "$SCRATCH/r1.pdf"   # the same command, so the same command line inside
wp "$db" -q report -o "$SCRATCH/r.pdf" --organisation "Test Lab" || fail "second report"
cmp -s "$SCRATCH/r.pdf" "$SCRATCH/r1.pdf" || fail "two reports differ"
# letter paper
wp "$db" -q report -o "$SCRATCH/l.pdf" --paper letter || fail "letter"
pdfinfo "$SCRATCH/l.pdf" | grep -q "612 x 792" || fail "letter size"
# edited templates replace the prose
mkdir -p "$SCRATCH/tpl/report"
cp "$TOP"/templates/report/*.txt "$SCRATCH/tpl/report/"
sed -i 's/This report covers/EDITED PROSE covers/' "$SCRATCH/tpl/report/summary.txt"
wp "$db" -q report -o "$SCRATCH/t.pdf" --templates "$SCRATCH/tpl" || fail "templates"
pdftotext "$SCRATCH/t.pdf" - | grep -q "EDITED PROSE covers" || fail "templates not used"
# a template with an unknown name is an error at its line and column
echo "{{nonsense}}" >> "$SCRATCH/tpl/report/summary.txt"
"$WP" --db "$db" report -o "$SCRATCH/x.pdf" --templates "$SCRATCH/tpl" 2> "$SCRATCH/err"
[ $? -eq 1 ] || fail "bad template accepted"
grep -q "summary.txt:[0-9]*:[0-9]*:" "$SCRATCH/err" || fail "template error without FILE:LINE:COL: $(cat "$SCRATCH/err")"
[ ! -e "$SCRATCH/x.pdf" ] || fail "a failed report left a file"
ls "$SCRATCH" | grep -q "tmp\." && fail "a temporary file was left"
# two runs far apart (run ids of their own), taken as independent (--unit run): their t
# interval reaches below zero, shown as 0 with a dagger and the reason under the task and
# model tables (energy cannot be negative); none elsewhere
wp "$db" -q report --unit run -o "$SCRATCH/run.pdf" || fail "report --unit run"
pdftotext -layout "$SCRATCH/run.pdf" "$SCRATCH/run.txt" || fail "pdftotext run"
grep -q "†" "$SCRATCH/run.txt" && fail "a dagger without an interval below zero"
tr -s ' \n' '  ' < "$SCRATCH/run.txt" | grep -q "taking runs as independent" ||
    fail "--unit run does not say that it takes runs as independent"
# p-values below what double tails can claim read "< 1e-16" (drawn as text, not eaten as
# markup), never "p = 0" nor "< 1e-300"
grep -q "< 1e-16" "$SCRATCH/run.txt" || fail "no \"< 1e-16\" in the run-level report"
# the synthetic models have unequal runs, so a task's mean over runs is not the centre of
# its interval over model means: the captions say which estimate the interval is about;
# over runs the two are one
tr -s ' \n' '  ' < "$SCRATCH/r.txt" | grep -q "The interval is about the mean of the model means (each model weighted once), which differs from the mean shown where models have unequal runs" ||
    fail "the task table's caption does not name its interval's centre"
tr -s ' \n' '  ' < "$SCRATCH/run.txt" | grep -q "The interval is about" && fail "--unit run: a centre other than the mean"
grep -q "p = 0[^.]\|1e-300" "$SCRATCH/run.txt" && fail "a p-value of 0 in the report"
head -3 "$FIX/synth/complete/extractive_qa__squad.csv" |
    awk -F, -v OFS=, 'NR > 1 { $3 = "c0t0" substr($3, 5) }
                      NR == 3 { for (i = 10; i <= 13; i++) $i = $i * 50; $5 = $5 * 50 } 1' \
    > "$SCRATCH/two.csv"
wp "$db" -q ingest --model tiny-model --task tiny-task --dataset d --inferences 1000 \
    "$SCRATCH/two.csv" 2>/dev/null || fail "ingest two runs"
# by default the unit is the model: one model, no interval, and the table says so
wp "$db" -q report -o "$SCRATCH/one.pdf" || fail "report with a task of one model"
pdftotext -layout "$SCRATCH/one.pdf" "$SCRATCH/one.txt" || fail "pdftotext one"
grep -q "tiny-task *2 / 1\* .* n/a " "$SCRATCH/one.txt" ||
    fail "a task of one model has an interval: $(grep tiny "$SCRATCH/one.txt")"
tr -s ' \n' '  ' < "$SCRATCH/one.txt" | grep -q "n/a: one model, no interval" ||
    fail "the task table does not say why a task has no interval"
wp "$db" -q report --unit run -o "$SCRATCH/cut.pdf" || fail "report with an interval below zero"
pdftotext -layout "$SCRATCH/cut.pdf" "$SCRATCH/cut.txt" || fail "pdftotext cut"
hi=$(wp "$db" stats --unit run --format csv | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                                           $1 == "tiny-task" { printf "%.4g", $c["ci_t_hi_kwh_per_1k"] }')
[ -n "$hi" ] || fail "no t interval of tiny-task in stats"
[ "$(grep -c "tiny-task .* 0†–$hi " "$SCRATCH/cut.txt")" = 2 ] ||
    fail "the cut interval (0†–$hi) is not in the task and model tables: $(grep tiny "$SCRATCH/cut.txt")"
[ "$(tr -s ' \n' '  ' < "$SCRATCH/cut.txt" | grep -o "† the interval's lower end is below zero" | wc -l)" = 2 ] ||
    fail "the dagger is not explained under both tables"

# nothing to report: a clear message, exit 1
: > "$SCRATCH/empty.db" # an empty file is an empty database (a missing one is an error)
"$WP" --db "$SCRATCH/empty.db" report -o "$SCRATCH/e.pdf" 2> "$SCRATCH/err"
[ $? -eq 1 ] || fail "empty database"
grep -q "nothing to report" "$SCRATCH/err" || fail "empty message: $(cat "$SCRATCH/err")"
exit 0
