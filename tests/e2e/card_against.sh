# wattprint card --against FILE (issue 21 item 6): the card's stars relative to a leaderboard
# snapshot's class in its newest edition, the same stars the label gives against it, the
# card naming the file, class, edition and set size, "AI Energy Score" only as the name of
# the binning rule; the t interval below zero shown as 0† with its note (the exact end and
# a flag in the front matter); the measured/modelled sentences count the model's own
# measurements, not every model's.
. "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
lb=$FIX/aienergyscore/text_generation.csv
model=dslim/bert-base-NER
task=token_classification
wp "$db" card "$model" --task "$task" --against "$lb" --against-class A > "$SCRATCH/c.md" ||
    fail "card --against"
wp "$db" chart label --model "$model" --task "$task" --against "$lb" --against-class A \
    -o "$SCRATCH/l.pdf" || fail "label --against"
stars=$(pdftotext "$SCRATCH/l.pdf" - | grep -o '[1-5] of 5 stars relative to' | cut -c1)
[ -n "$stars" ] || fail "no stars on the label"
n=$(awk -F, 'NR > 1 && $4 == "A" && $5 == "Dec 25"' "$lb" | wc -l)
[ "$n" -gt 1 ] || fail "the snapshot's set: $n"
grep -qF " $stars of 5, relative to the $n class A models of the leaderboard snapshot text\_generation.csv (Dec 25) |" "$SCRATCH/c.md" ||
    fail "card and label disagree or the set is not named: $(grep -o '★[^|]*' "$SCRATCH/c.md")"
grep -qF '      rated_against: "text_generation.csv (class A, Dec 25)"' "$SCRATCH/c.md" ||
    fail "front matter: $(grep rated_ "$SCRATCH/c.md")"
grep -qF "      rated_models: $n" "$SCRATCH/c.md" || fail "front matter set size"
# "AI Energy Score" names the rule only: every mention is "... binning rule of/by the ..."
grep -o '.\{0,40\}AI Energy Score.\{0,20\}' "$SCRATCH/c.md" | grep -v 'binning rule' &&
    fail "AI Energy Score used for something else than the binning rule"
# a different set gives another rating than the database's, and the card says which
wp "$db" card "$model" --task "$task" > "$SCRATCH/db.md" || fail "card"
grep -qF "relative to 5 models in this database" "$SCRATCH/db.md" || fail "database set not named"
grep -qF '      rated_against: "this database"' "$SCRATCH/db.md" || fail "front matter: database set"
# usage: --against needs one MODEL and --task; --against-class needs --against
code() { "$@" >/dev/null 2>"$SCRATCH/err"; echo $?; }
[ "$(code wp "$db" card "$model" --against "$lb" --against-class A)" = 2 ] || fail "--against without --task"
grep -q "give MODEL and --task T" "$SCRATCH/err" || fail "usage message: $(cat "$SCRATCH/err")"
[ "$(code wp "$db" card "$model" --task "$task" --against-class A)" = 2 ] || fail "--against-class alone"
[ "$(code wp "$db" card "$model" --task "$task" --against "$lb")" = 2 ] || fail "several classes without --against-class"

# the t interval below zero: 0† in the table with the note, exact and flagged in the YAML
$PY - "$SCRATCH/c.md" <<'PY' || fail "the interval rule in the card"
import re, sys
text = open(sys.argv[1]).read()
fm = text.split("---")[1]
lo = float(re.search(r"energy_kwh_per_1000_inferences_ci: \[([^,]+),", fm).group(1))
assert lo < 0, lo
assert "energy_ci_lower_below_zero: true" in fm
row = [l for l in text.splitlines() if l.startswith("| token\\_classification")][0]
assert "| 0\u2020 to " in row, row
assert "\u2020 the interval&#39;s lower end is below zero" in text
PY
# the modelled sentences count this model's measurements (7), not the database's
all=$(sqlite3 "$db" "SELECT COUNT(*) FROM measurement WHERE ram_energy_j IS NOT NULL")
mine=$(sqlite3 "$db" "SELECT COUNT(*) FROM measurement m JOIN run r ON r.id = m.run_id JOIN experiment e ON e.id = r.experiment_id JOIN model o ON o.id = e.model_id WHERE o.name = '$model' AND m.ram_energy_j IS NOT NULL")
[ "$mine" -lt "$all" ] || fail "the model's measurements are the whole database's"
grep -qF "RAM energy is modelled, not measured, in $mine of the $mine measurements" "$SCRATCH/c.md" ||
    fail "card counts $(grep -o 'RAM energy is modelled, not measured, in [0-9,]* of the [0-9,]*' "$SCRATCH/c.md"), not the model's $mine"
echo "ok: card --against ($stars of 5 against $n models), interval rule and the model's own measurements"
