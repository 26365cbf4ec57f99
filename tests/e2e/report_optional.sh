# A report needs no optional data: on runs without parameter counts, purpose tags, training
# energy, phases, token counts or energy components it leaves those parts out and says why,
# each with what would fill it, instead of failing whole ("no experiment has a parameter
# count to plot against" ended the report before).
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
src=$FIX/synth/complete
a=$src/$(ls "$src" | head -1)
b=$src/$(ls "$src" | sed -n 2p)
wp p.db -q ingest --model m1 --task t1 --dataset d --inferences 10 "$a" 2> /dev/null || fail "ingest a"
wp p.db -q ingest --model m2 --task t2 --dataset d --inferences 10 "$b" 2> /dev/null || fail "ingest b"
wp p.db report -o plain.pdf 2> err.txt || { cat err.txt >&2; fail "report without optional data"; }
pdftotext plain.pdf plain.txt || fail "pdftotext"
grep -q 'Sections left out' plain.txt || fail "no list of the sections left out"
for why in 'Scaling with model size: .*parameter' 'Task-specific and multi-purpose models: .*purpose' \
           'Inferences to parity with training: .*training' 'Loading the model: no run has' \
           'Energy per token: no model and dataset has token counts'; do
    tr '\n' ' ' < plain.txt | grep -q "$why" || fail "the report does not say: $why"
done

# energies without components (only energy_consumed): the components figure says why
head -1 "$a" > total.csv
tail -n +2 "$a" | sed "s/,\([0-9a-f]\{7\}\)[0-9a-f]-/,\17-/" |
    awk -F, 'BEGIN { OFS = "," } { $10 = ""; $11 = ""; $12 = ""; print }' >> total.csv
wp t.db -q ingest --model m --task t --dataset d --inferences 10 total.csv 2> /dev/null || fail "ingest total"
wp t.db report -o total.pdf 2> err.txt || { cat err.txt >&2; fail "report without energy components"; }

# the full fixtures: every section there, none left out
wp full.db -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest synth"
wp full.db report -o full.pdf 2> /dev/null || fail "report of the fixtures"
pdftotext full.pdf - | grep -q 'Scaling with model size' || fail "the fixtures' report lost its scaling section"
pdftotext full.pdf - | grep -q 'Scaling with model size: ' && fail "the fixtures' report says scaling was left out"
exit 0
