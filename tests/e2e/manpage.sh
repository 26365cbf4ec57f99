# The conventions of a command-line tool (issue 25, item 9): `help --man` is a man page that
# renders (groff, with warnings as failures, else a structural check) with one section per
# command holding the same text as `help COMMAND`; `help --completion` is a bash script that
# completes commands, options, --format values and chart kinds; global options (--db, -q)
# work after the command name too.
. "$(dirname "$0")/lib.bash"
"$WP" help --man > "$SCRATCH/wattprint.1" || fail "help --man"
"$WP" help --completion > "$SCRATCH/wattprint.bash" || fail "help --completion"
cmds=$("$WP" --help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')
[ "$(echo "$cmds" | wc -l)" -ge 15 ] || fail "the command list: $cmds"

# the man page: valid man(7), one section per command
head -c 300 "$SCRATCH/wattprint.1" | grep -q '^\.TH WATTPRINT 1 ' || fail "no .TH line"
for c in $cmds; do
    grep -q "^\.SH \"WATTPRINT $c\"\$" "$SCRATCH/wattprint.1" || fail "no section for $c"
done
if command -v groff > /dev/null 2>&1; then
    groff -man -Tutf8 -ww -z "$SCRATCH/wattprint.1" 2> "$SCRATCH/groff.err" ||
        fail "groff failed"
    [ ! -s "$SCRATCH/groff.err" ] || { cat "$SCRATCH/groff.err" >&2; fail "groff warnings"; }
    LC_ALL=C.UTF-8 groff -man -Tutf8 "$SCRATCH/wattprint.1" 2>/dev/null | col -bx > "$SCRATCH/man.txt"
    # the rendered text holds each command's help, line for line (less its indentation)
    for c in ingest stats chart card; do
        "$WP" help "$c" | sed 's/^ *//; /^$/d' | head -20 > "$SCRATCH/help.txt"
        sed 's/^ *//' "$SCRATCH/man.txt" > "$SCRATCH/man.flat"
        while IFS= read -r line; do
            grep -qF -- "$line" "$SCRATCH/man.flat" || fail "help $c: \"$line\" is not in the man page"
        done < "$SCRATCH/help.txt"
    done
else
    # without groff: every line is a request, or text that no roff would read as one
    grep -n '^[.'"'"']' "$SCRATCH/wattprint.1" | grep -vE "^[0-9]+:\.(TH|SH|SS|TP|B|PP|nf|fi|sp|\\\\\")( |\$)" &&
        fail "lines that roff would misread"
fi

# the completion: bash parses it and completes what the help lists
bash -n "$SCRATCH/wattprint.bash" || fail "the completion is not valid bash"
cat > "$SCRATCH/comp.sh" <<'SH'
source "$1"
comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _wattprint; echo "${COMPREPLY[*]}"; }
SH
compl() { (cd "$SCRATCH" && PATH=$(dirname "$WP"):$PATH bash -c '. ./comp.sh ./wattprint.bash; comp "$@"' _ "$@"); }
[ "$(compl wattprint '')" = "$(echo $cmds)" ] || fail "commands: $(compl wattprint '')"
[ "$(compl wattprint --db x.db -q st)" = "stats" ] || fail "after global options"
[ "$(compl wattprint stats --format '')" = "table csv json" ] || fail "stats --format values"
compl wattprint chart --si | grep -qx -- "--size" || fail "chart options"
compl wattprint chart '' | grep -qw scaling || fail "chart kinds"
compl wattprint xlsx - | grep -qw -- "--where" || fail "xlsx options"
compl wattprint help ca | grep -qx card || fail "help COMMAND"

# global options after the command name (regression: "unknown option" before)
db=$SCRATCH/a.db
"$WP" ingest -q --db "$db" --manifest "$FIX/synth/manifest.csv" "$FIX/synth" \
    > "$SCRATCH/out" 2> "$SCRATCH/err" || { cat "$SCRATCH/err" >&2; fail "ingest -q --db DB"; }
[ ! -s "$SCRATCH/err" ] || { cat "$SCRATCH/err" >&2; fail "-q after the command printed notes"; }
[ -s "$db" ] || fail "--db after the command was not used"
"$WP" summary --db="$db" --format csv > "$SCRATCH/a.csv" || fail "summary --db=DB"
"$WP" --db "$db" summary --format csv > "$SCRATCH/b.csv" || fail "--db DB summary"
cmp -s "$SCRATCH/a.csv" "$SCRATCH/b.csv" || fail "--db after the command differs from before it"
[ "$(wc -l < "$SCRATCH/a.csv")" -gt 3 ] || fail "summary is empty"
# after "--" an argument is the command's, even when it looks like a global option
"$WP" --db "$db" -q ingest -- -q 2> "$SCRATCH/err"; rc=$?
[ $rc -ne 0 ] && grep -q -- "-q" "$SCRATCH/err" || fail "-q after -- was taken as the global option"
exit 0
