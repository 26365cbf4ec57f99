# "The newest measurement" (the date of reports, workbooks, cards and labels) compares
# instants, offsets applied: 09:00Z is after 10:00+02:00 (08:00Z), which compared as text
# won; and a timestamp kept as logged because it could not be read (2024-13-45T99:00) is no
# date: it was shown as one, being the greatest string.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
src=$FIX/synth/complete
f=$src/$(ls "$src" | head -1)
{
    head -1 "$f"
    sed -n 2p "$f" | sed 's/^[^,]*,/2024-01-01T10:00:00+02:00,/'
    sed -n 3p "$f" | sed 's/^[^,]*,/2024-01-01T09:00:00Z,/'
    sed -n 4p "$f" | sed 's/^[^,]*,/2024-13-45T99:00:00,/'
} > ts.csv
wp ts.db -q ingest --model m --task t --dataset d --inferences 10 ts.csv 2> /dev/null || fail "ingest"
wp ts.db card m > card.md 2> /dev/null || fail "card"
grep -q 'newest_measurement: "2024-01-01T09:00:00Z"' card.md ||
    { grep -n newest card.md >&2; fail "card: not the newest instant"; }
grep -q '2024-13-45' card.md && fail "card: an unreadable timestamp shown as a date"
# a database whose every timestamp is unreadable has no date at all
{
    head -1 "$f"
    sed -n 2p "$f" | sed 's/^[^,]*,/2024-13-45T99:00:00,/'
} > bad.csv
wp bad.db -q ingest --model m --task t --dataset d --inferences 10 bad.csv 2> /dev/null || fail "ingest bad"
wp bad.db card m > card2.md 2> /dev/null || fail "card of a database without a date"
grep -q '2024-13-45' card2.md && fail "card: the unreadable timestamp shown as a date"
exit 0
