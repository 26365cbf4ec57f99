# wattprint batch: the shipped example spec writes every output of every entry; mistakes in
# a spec are refused with their line; paths cannot leave the output root; a failing output
# names its entry, leaves no temporary file, and the exit is 1.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
sed "s|output: out/batch|output: $SCRATCH/out|" "$FIX/batch.yaml" > "$SCRATCH/spec.yaml"
# an absolute output root is the user's choice; entries stay inside it
wp "$db" batch "$SCRATCH/spec.yaml" 2> "$SCRATCH/err" || fail "batch: $(cat "$SCRATCH/err")"
grep -q "3 reports, 23 outputs written, 0 failed" "$SCRATCH/err" || fail "summary: $(cat "$SCRATCH/err")"
for f in all-tasks/report.pdf all-tasks/report.html all-tasks/summary.xlsx all-tasks/stats.json \
         all-tasks/tables/tasks.tex all-tasks/figures/tasks.svg \
         text-classification/report.pdf multi-purpose/summary.xlsx; do
    [ -s "$SCRATCH/out/$f" ] || fail "$f not written"
done
[ "$(ls "$SCRATCH/out/all-tasks/cards" | wc -l)" -ge 40 ] || fail "cards"
# the disclosures an entry names: the files `wattprint export` writes alone, byte for byte
mp=$SCRATCH/out/multi-purpose/exports
wp "$db" -q export sci --where purpose=multi-purpose --format json -o "$SCRATCH/alone_sci.json" \
    --manifest-if "$SCRATCH/alone_sci.yml" || fail "export sci alone"
cmp -s "$SCRATCH/alone_sci.json" "$mp/sci.json" || fail "batch exports/sci.json differs from export sci"
cmp -s "$SCRATCH/alone_sci.yml" "$mp/sci.if.yml" || fail "batch exports/sci.if.yml differs"
wp "$db" -q export spdx --where purpose=multi-purpose -o "$SCRATCH/alone_spdx/" || fail "export spdx alone"
diff -r "$SCRATCH/alone_spdx" "$mp/spdx" > /dev/null || fail "batch exports/spdx differs from export spdx"
n_mp=$(ls "$SCRATCH/alone_spdx" | wc -l)
[ "$n_mp" -ge 2 ] && [ "$(ls "$mp/eu-ai-act" | grep -c '\.eu-ai-act\.md$')" = "$n_mp" ] ||
    fail "eu-ai-act: $(ls "$mp/eu-ai-act")"
[ "$(ls "$mp/boamps" | grep -c '\.boamps\.json$')" -ge "$n_mp" ] || fail "boamps: $(ls "$mp/boamps")"
[ ! -e "$SCRATCH/out/all-tasks/exports" ] || fail "exports written where not named"
# every name a report writes in its folder (all-tasks: all but the exports, multi-purpose:
# them too) is one the spec's loader keeps other reports' folders out of (spec.c's
# entry_outputs): a report whose folder is that name inside it is refused
for e in all-tasks multi-purpose; do
    for f in "$SCRATCH/out/$e"/*; do
        name=${f##*/}
        printf 'output: %s/o6
reports:
  - name: a
  - name: b
    dir: a/%s
' "$SCRATCH" "$name" >"$SCRATCH/nest.yaml"
        wp "$db" -q batch "$SCRATCH/nest.yaml" 2>"$SCRATCH/nest.err" &&
            fail "a report in a/$name, where report a writes $name, was not refused"
        grep -q "nest.yaml:4:5: b: its folder \"a/$name\" and a's \"a\" would hold each other's files" "$SCRATCH/nest.err" ||
            fail "a/$name: $(cat "$SCRATCH/nest.err")"
    done
done
[ ! -e "$SCRATCH/o6" ] || fail "a refused spec wrote its output root"
printf 'output: %s/o5\nreports:\n  - name: s\n    filter: {task: text_classification}\n    produce: [sci]\n' \
    "$SCRATCH" > "$SCRATCH/sci.yaml"
wp "$db" -q batch "$SCRATCH/sci.yaml" 2> "$SCRATCH/err2" || fail "produce: [sci]: $(cat "$SCRATCH/err2")"
[ -s "$SCRATCH/o5/s/exports/sci.json" ] && [ -s "$SCRATCH/o5/s/exports/sci.if.yml" ] &&
    [ ! -e "$SCRATCH/o5/s/exports/spdx" ] || fail "produce: [sci] alone: $(ls -R "$SCRATCH/o5")"
printf 'reports:\n  - name: a\n    produce: [sbom]\n' > "$SCRATCH/bad2.yaml"
"$WP" --db "$db" batch "$SCRATCH/bad2.yaml" 2> "$SCRATCH/err2"; [ $? -eq 1 ] || fail "unknown output accepted"
grep -q 'bad2.yaml:3:15: produce: "sbom" is not one of .*boamps, sci, spdx, eu-ai-act, exports' "$SCRATCH/err2" ||
    fail "unknown output message: $(cat "$SCRATCH/err2")"
# the outputs share their statistics, and sharing changes no number: each output is the one
# its command writes alone
grep -q "([1-9][0-9]* analyses shared between outputs)" "$SCRATCH/err" ||
    fail "no analysis was shared: $(cat "$SCRATCH/err")"
wp "$db" stats --format json --task text_classification > "$SCRATCH/alone.json" || fail "stats"
cmp -s "$SCRATCH/alone.json" "$SCRATCH/out/text-classification/stats.json" ||
    fail "batch stats.json differs from wattprint stats"
for k in tasks scaling models components compare; do
    wp "$db" -q chart "$k" -o "$SCRATCH/alone.svg" -o "$SCRATCH/alone.png" || fail "chart $k"
    for ext in svg png; do
        cmp -s "$SCRATCH/alone.$ext" "$SCRATCH/out/all-tasks/figures/$k.$ext" ||
            fail "batch figures/$k.$ext differs from wattprint chart $k"
    done
done
wp "$db" -q latex --by model,task -o "$SCRATCH/alone.tex" || fail "latex"
cmp -s "$SCRATCH/alone.tex" "$SCRATCH/out/all-tasks/tables/models.tex" ||
    fail "batch models.tex differs from wattprint latex"
wp "$db" -q report -o "$SCRATCH/alone.pdf" --title "Energy of AI inference, every task" \
    --organisation "wattprint fixtures (synthetic, study-shaped)" || fail "report"
# the same report but for the command line its provenance quotes (whose length moves the
# pages after it): everything before it is the same, and so is the list of files after it
pdftotext "$SCRATCH/alone.pdf" "$SCRATCH/alone.txt"
pdftotext "$SCRATCH/out/all-tasks/report.pdf" "$SCRATCH/batch.txt"
for f in alone batch; do
    sed '/^Command:/,$d' "$SCRATCH/$f.txt" > "$SCRATCH/$f.head"
    grep -o '[0-9a-f]\{64\}' "$SCRATCH/$f.txt" > "$SCRATCH/$f.sha"
done
cmp -s "$SCRATCH/alone.head" "$SCRATCH/batch.head" ||
    fail "batch report differs from wattprint report: $(diff "$SCRATCH/alone.head" "$SCRATCH/batch.head" | head -5)"
[ -s "$SCRATCH/alone.sha" ] && cmp -s "$SCRATCH/alone.sha" "$SCRATCH/batch.sha" ||
    fail "the batch report lists other files"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [g["task"] for g in d["groups"]] == ["text_classification"]' \
    "$SCRATCH/out/text-classification/stats.json" || fail "the filter is not applied"
pdftotext "$SCRATCH/out/text-classification/report.pdf" - | grep -q "image_generation" &&
    fail "a filtered report shows other tasks"
# each command parses its options afresh: stats (whose options stop at the first operand)
# first, then a chart whose kind comes before its options
printf 'output: %s/o4\nreports:\n  - name: s\n    produce: [stats]\n  - name: f\n    produce: [figures]\n' \
    "$SCRATCH" > "$SCRATCH/order.yaml"
wp "$db" -q batch "$SCRATCH/order.yaml" 2> "$SCRATCH/err" || fail "stats then figures: $(cat "$SCRATCH/err")"
[ -s "$SCRATCH/o4/f/figures/tasks.svg" ] || fail "stats then figures: no figures"
# spec mistakes
printf 'reports:\n  - name: a\n    colour: red\n' > "$SCRATCH/bad.yaml"
"$WP" --db "$db" batch "$SCRATCH/bad.yaml" 2> "$SCRATCH/err"; [ $? -eq 1 ] || fail "unknown key accepted"
grep -q "bad.yaml:3:5: unknown key \"colour\"" "$SCRATCH/err" || fail "unknown key message: $(cat "$SCRATCH/err")"
printf 'output: %s/o2\nreports:\n  - name: a\n    dir: ../../escape\n' "$SCRATCH" > "$SCRATCH/esc.yaml"
"$WP" --db "$db" batch "$SCRATCH/esc.yaml" 2> "$SCRATCH/err"; [ $? -eq 1 ] || fail "escape accepted"
grep -q "leaves the output root" "$SCRATCH/err" || fail "escape message: $(cat "$SCRATCH/err")"
[ ! -e "$SCRATCH/escape" ] || fail "wrote outside the root"
printf 'output: %s/o3\nreports:\n  - name: a\n    filter: {task: nosuchtask}\n    produce: [report, latex]\n' "$SCRATCH" > "$SCRATCH/fail.yaml"
"$WP" --db "$db" batch "$SCRATCH/fail.yaml" 2> "$SCRATCH/err"; [ $? -eq 1 ] || fail "a failing output must exit 1"
grep -q 'batch entry "a" (line 3): report.pdf failed' "$SCRATCH/err" || fail "failure must name the entry: $(cat "$SCRATCH/err")"
[ -z "$(find "$SCRATCH/o3" -name '*.tmp.*')" ] || fail "temporary files left"
[ ! -e "$SCRATCH/o3/a/report.pdf" ] || fail "a half-written report"
exit 0
