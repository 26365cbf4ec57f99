# wattprint chart: every kind in PNG, SVG and PDF from the synthetic study; the PDF's text
# (pdftotext) has the axis titles and task names, its page size is the asked size, the
# SVG has glyphs, two renders are byte-identical, exit codes 0 / 1 (nothing to draw) /
# 2 (usage), no temporary file is left behind.
. "$(dirname "$0")/lib.bash"
command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null ||
    fail "pdftotext and pdfinfo (poppler-utils) are needed"
db=$SCRATCH/c.db
out=$SCRATCH/out
mkdir -p "$out" "$SCRATCH/again"
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
model=distilbert-base-uncased-finetuned-sst-2-english

# chart KIND EXT [DIR]: renders KIND to DIR/KIND.EXT (the label for one model and task)
chart() {
    k=$1 ext=$2 dir=${3:-$out}
    set -- chart "$k" -o "$dir/$k.$ext"
    [ "$k" = label ] && set -- "$@" --model "$model" --task text_classification
    wp "$db" "$@" 2>"$SCRATCH/err" || fail "chart $k .$ext: $(cat "$SCRATCH/err")"
}
# png_size FILE: "WIDTH HEIGHT" from the IHDR chunk
png_size() { python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); assert d[:8]==b"\x89PNG\r\n\x1a\n"; print(*struct.unpack(">II", d[16:24]))' "$1"; }
# png_dpi FILE: "X Y" pixels per inch from the pHYs chunk (rounded), or nothing without one
png_dpi() { python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read(); i = 8
while i < len(d):
    n, t = struct.unpack(">I4s", d[i:i + 8])
    if t == b"pHYs":
        x, y, unit = struct.unpack(">IIB", d[i + 8:i + 17]); assert unit == 1
        print(round(x * 0.0254), round(y * 0.0254)); break
    i += 12 + n' "$1"; }
# pdf_text FILE: the PDF's text on one line, runs of white space as one space
pdf_text() { pdftotext "$1" - | tr -s ' \n' '  '; }

for k in tasks scaling models components compare label; do
    for ext in png svg pdf; do
        chart "$k" "$ext"
        # two renders, the same bytes: the label's here; every other kind's second render
        # is chart all's below, compared with this one.  Under ASan the label's second
        # render would run the same code again for bytes make test compares
        [ "$k" = label ] && ! under_asan || continue
        chart "$k" "$ext" "$SCRATCH/again"
        cmp -s "$out/$k.$ext" "$SCRATCH/again/$k.$ext" || fail "$k.$ext differs between two renders"
    done
    # PNG: 77 mm at 300 dpi by default; the label (260 x 364 pt) at 300 dpi too
    size=$(png_size "$out/$k.png") || fail "$k.png is not a PNG"
    if [ "$k" = label ]; then
        [ "$size" = "1083 1517" ] || fail "label.png is $size, not 1083 x 1517"
        [ "$(png_dpi "$out/$k.png")" = "300 300" ] || fail "label.png records no 300 dpi"
    else
        [ "${size% *}" = 909 ] || fail "$k.png is $size, not 909 pixels wide"
        [ "${size#* }" -ge 400 ] || fail "$k.png is only ${size#* } pixels high"
        # the resolution is recorded, so the figure is placed at its size in mm
        [ "$(png_dpi "$out/$k.png")" = "300 300" ] || fail "$k.png records no 300 dpi"
    fi
    # SVG: a document in points with its text drawn as glyphs
    grep -q '<svg .*width="[0-9.]*pt"' "$out/$k.svg" || fail "$k.svg has no size in points"
    [ "$(grep -c '<use xlink:href="#glyph' "$out/$k.svg")" -gt 20 ] || fail "$k.svg has no text"
    # PDF: one page, the data's date
    pdfinfo "$out/$k.pdf" > "$SCRATCH/info" || fail "$k.pdf: pdfinfo"
    grep -q '^Pages: *1$' "$SCRATCH/info" || fail "$k.pdf is not one page"
    grep -q '^Creator: *wattprint' "$SCRATCH/info" || fail "$k.pdf has no creator"
    grep -q '^CreationDate: .*20[0-9][0-9]' "$SCRATCH/info" || fail "$k.pdf has no date"
done
ls "$out" | grep -q tmp && fail "temporary files left: $(ls "$out")"
under_asan && reduced_asan "charts: the label drawn once in each format, not twice (make test compares two renders)"
# -o repeated: one figure in several formats, each as if drawn alone
mkdir -p "$SCRATCH/multi"
wp "$db" chart tasks -o "$SCRATCH/multi/tasks.png" -o "$SCRATCH/multi/tasks.pdf" \
    -o "$SCRATCH/multi/tasks.svg" || fail "several -o"
for ext in png svg pdf; do
    cmp -s "$out/tasks.$ext" "$SCRATCH/multi/tasks.$ext" || fail "tasks.$ext differs with several -o"
done
# chart all: every kind but the label into one folder, each file the one its own command
# draws, the same bytes whether drawn in parallel processes or one after another
wp "$db" chart all -o "$SCRATCH/all/" 2>"$SCRATCH/err" || fail "chart all: $(cat "$SCRATCH/err")"
wp "$db" chart all --jobs 1 -o "$SCRATCH/all1" 2>"$SCRATCH/err" || fail "chart all --jobs 1"
for k in tasks scaling models components compare; do
    for ext in png svg pdf; do
        cmp -s "$out/$k.$ext" "$SCRATCH/all/$k.$ext" || fail "chart all: $k.$ext differs from chart $k"
        cmp -s "$SCRATCH/all/$k.$ext" "$SCRATCH/all1/$k.$ext" || fail "chart all --jobs 1: $k.$ext differs"
    done
done
[ "$(ls "$SCRATCH/all" | wc -l)" = 15 ] || fail "chart all wrote: $(ls "$SCRATCH/all")"
wp "$db" chart all --formats svg,png --metric emissions -o "$SCRATCH/all2" ||
    fail "chart all --formats --metric"
[ "$(ls "$SCRATCH/all2" | tr '\n' ' ')" = "compare.png compare.svg components.png components.svg models.png models.svg scaling.png scaling.svg tasks.png tasks.svg " ] ||
    fail "chart all --formats svg,png wrote: $(ls "$SCRATCH/all2")"
wp "$db" chart tasks --metric emissions -o "$SCRATCH/em.svg" || fail "em"
cmp -s "$SCRATCH/em.svg" "$SCRATCH/all2/tasks.svg" || fail "chart all --metric: not the tasks chart's"

# page sizes: a column is 77 mm (218.27 pt) wide, a slide 254 x 143 mm
pdfinfo "$out/tasks.pdf" | grep -q '^Page size: *218.26[0-9]* x ' || fail "tasks.pdf is not 77 mm wide"
wp "$db" chart scaling --size slide -o "$out/slide.pdf" || fail "slide"
pdfinfo "$out/slide.pdf" | grep -q '^Page size: *720 x 405.35' || fail "slide page size: $(pdfinfo "$out/slide.pdf" | grep 'Page size')"
wp "$db" chart tasks --width 120 --height 80 -o "$out/wh.pdf" || fail "--width --height"
pdfinfo "$out/wh.pdf" | grep -q '^Page size: *340.15[0-9]* x 226.77' || fail "--width 120 --height 80"

# the text a reader sees: axis titles, task names, the label's numbers
pdf_text "$out/tasks.pdf" > "$SCRATCH/t"
# each box counts the units its task's intervals are over (stats' n_units): models here
units=$(wp "$db" stats --format csv | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                                              $1 == "text_classification" { print $c["n_units"] }')
[ "$units" -gt 1 ] || fail "no n_units for text_classification"
for s in "Energy per 1,000 inferences (kWh)" "text classification" "image generation" \
         "masked LM" "$units models"; do
    grep -qF "$s" "$SCRATCH/t" || fail "tasks.pdf lacks \"$s\": $(cat "$SCRATCH/t")"
done
pdf_text "$out/scaling.pdf" > "$SCRATCH/t"
for s in "Model parameters" "slope" "summarization" "all tasks"; do
    grep -qF "$s" "$SCRATCH/t" || fail "scaling.pdf lacks \"$s\""
done
pdf_text "$out/components.pdf" > "$SCRATCH/t"
# fixtures/synth is CodeCarbon: RAM and the 42.5 W CPU are modelled, and the axis and legend say it
for s in "Share of logged energy (hatched: modelled)" GPU "CPU (modelled)" "RAM (modelled)" "object detection"; do
    grep -qF "$s" "$SCRATCH/t" || fail "components.pdf lacks \"$s\""
done
pdf_text "$out/compare.pdf" > "$SCRATCH/t"
for s in task-specific multi-purpose "extractive QA" summarization; do
    grep -qF "$s" "$SCRATCH/t" || fail "compare.pdf lacks \"$s\""
done
# the ratio and the counts are over models (the unit), and the axis says so
grep -qE "[0-9]+ vs [0-9]+ models" "$SCRATCH/t" || fail "compare.pdf does not count models: $(cat "$SCRATCH/t")"
grep -qF "CI over models" "$SCRATCH/t" || fail "compare.pdf: the CI's unit is not named"
# ... and the reader sees it: no word of a title is cut to "…".  pdftotext reads a cut
# label whole, since cairo keeps the hidden words as the ellipsis' ActualText; those spans
# (beside ligatures) are what was cut.  compare.pdf drew "(kWh), each mod…" and "(95% CI
# over …", hiding the unit.
command -v qpdf > /dev/null || fail "qpdf is missing (make deps installs it)"
for k in tasks scaling models components compare label; do
    qpdf --qdf --object-streams=disable "$out/$k.pdf" "$SCRATCH/qdf.pdf" || fail "qpdf $k.pdf"
    cut=$(python3 -c '
import re, sys
raw = open(sys.argv[1], "rb").read()
for h in re.findall(rb"/ActualText <feff([0-9a-fA-F]*)>", raw):
    s = bytes.fromhex(h.decode()).decode("utf-16-be")
    if s.strip() and s not in ("fi", "fl", "ff", "ffi", "ffl"):
        print(repr(s))' "$SCRATCH/qdf.pdf") || fail "reading $k.pdf"
    [ -z "$cut" ] || fail "$k.pdf cuts text to an ellipsis: $cut"
done
pdf_text "$out/models.pdf" > "$SCRATCH/t"
grep -qF "Top 20 of" "$SCRATCH/t" || fail "models.pdf: no top-20 title"
# the title counts what the rows are: over several tasks a row is a model on a task (it said
# "Top 20 of 68 models" of the fixtures' 64 models, 68 model-task pairs)
models=$(wp "$db" stats --by model --format csv | tail -n +2 | wc -l)
pairs=$(wp "$db" stats --by model,task --format csv | tail -n +2 | wc -l)
[ "$pairs" -gt "$models" ] || fail "the fixtures have no model on two tasks ($models, $pairs)"
grep -qF "Top 20 of $pairs model-task pairs by mean energy" "$SCRATCH/t" ||
    fail "models.pdf: the title does not count $pairs model-task pairs: $(head -c 80 "$SCRATCH/t")"
# (at 77 mm the name wraps after "xl-", which pdftotext joins as "xlbase")
grep -qE "stable-diffusion-xl-?base-1.0" "$SCRATCH/t" || fail "models.pdf lacks the top model"
grep -qF "reaches zero" "$SCRATCH/t" && fail "models.pdf: no interval reaches zero here"
# intervals that reach zero (the other meters' demos: two runs far apart) end in an arrow
# on the log axis, and the axis title says what the arrow means
wp "$SCRATCH/fm.db" -q ingest --manifest "$FIX/formats/manifest.csv" "$FIX/formats" 2>/dev/null ||
    fail "ingest fixtures/formats"
# (by default each demo is one experiment, the unit: no interval at all; over runs, taken as
# independent with --unit run, the two runs' interval reaches below zero)
wp "$SCRATCH/fm.db" -q chart models -o "$SCRATCH/fm1.pdf" || fail "models of fixtures/formats"
pdf_text "$SCRATCH/fm1.pdf" | grep -qF "the CI reaches zero or below" &&
    fail "an interval over one experiment: $(pdf_text "$SCRATCH/fm1.pdf")"
pdf_text "$SCRATCH/fm1.pdf" | grep -qF "CI over experiments" ||
    fail "models.pdf does not name the intervals' unit: $(pdf_text "$SCRATCH/fm1.pdf")"
wp "$SCRATCH/fm.db" -q chart models --unit run -o "$SCRATCH/fm.pdf" || fail "models --unit run"
pdf_text "$SCRATCH/fm.pdf" | grep -qF "the CI reaches zero or below" ||
    fail "models.pdf does not say that an interval reaches zero: $(pdf_text "$SCRATCH/fm.pdf")"
pdf_text "$out/label.pdf" > "$SCRATCH/t"
for s in "Energy label" "Wh of GPU energy per 1,000 queries" "of 5 stars" "text classification" \
         "A100" "wattprint" "CodeCarbon"; do
    grep -qF "$s" "$SCRATCH/t" || fail "label.pdf lacks \"$s\": $(cat "$SCRATCH/t")"
done

# options: emissions, dark theme, palettes, top N, a phase, a filtered models chart
wp "$db" chart tasks --metric emissions -o "$out/em.pdf" || fail "--metric emissions"
pdf_text "$out/em.pdf" | grep -qF "CO2eq" || fail "emissions axis title"
wp "$db" chart models --task text_classification --top 3 -o "$out/top.pdf" || fail "--top"
pdf_text "$out/top.pdf" | grep -qF "Top 3 of 7" || fail "--top 3: $(pdf_text "$out/top.pdf")"
for p in okabe-ito viridis grey; do
    wp "$db" chart components --palette $p --theme dark -o "$out/p-$p.png" || fail "--palette $p"
done
cmp -s "$out/p-viridis.png" "$out/p-grey.png" && fail "palettes draw the same"
wp "$db" chart tasks --phase "query model" -o "$out/phase.png" || fail "--phase"
wp "$db" chart label --model "$model" --task text_classification --scale 2 -o "$out/l2.png" ||
    fail "label --scale 2"
[ "$(png_size "$out/l2.png")" = "2167 3033" ] || fail "label at --scale 2: $(png_size "$out/l2.png")"
wp "$db" chart label --model "$model" --task text_classification --dpi 72 -o "$out/l72.png" ||
    fail "label --dpi 72"
[ "$(png_size "$out/l72.png")" = "260 364" ] || fail "label at --dpi 72: $(png_size "$out/l72.png")"
code() { "$@" >/dev/null 2>"$SCRATCH/err"; echo $?; }
# the stars name their comparison set: the task's models here, or a leaderboard snapshot's
# class in its newest edition (Dec 25 after Feb 25), named on the label
wp "$db" chart label --model "$model" --task text_classification -o "$out/ldb.pdf" || fail "label"
pdf_text "$out/ldb.pdf" | grep -qE "relative to the task's [0-9]+ rated models in this database" ||
    fail "the label does not name its comparison set: $(pdf_text "$out/ldb.pdf")"
lb=$FIX/aienergyscore/text_generation.csv
wp "$db" chart label --model "$model" --task text_classification --against "$lb" \
    --against-class A -o "$out/lab.pdf" || fail "label --against"
pdf_text "$out/lab.pdf" | grep -qF "relative to 12 class A models of the leaderboard snapshot text_generation.csv, Dec 25" ||
    fail "label --against: $(pdf_text "$out/lab.pdf")"
pdf_text "$out/lab.pdf" | grep -qF "text_generation.csv (class A, Dec 25)" || fail "label --against: no source"
[ "$(code wp "$db" chart label --model "$model" --task text_classification --against "$lb" -o "$out/x.png")" = 2 ] ||
    fail "--against a snapshot of several classes without --against-class exits 2"
grep -q "A, B, C" "$SCRATCH/err" || fail "--against without a class: $(cat "$SCRATCH/err")"
[ "$(code wp "$db" chart tasks --against "$lb" -o "$out/x.png")" = 2 ] || fail "--against on tasks exits 2"

# exit codes: 2 for usage, 1 when there is nothing to draw
[ "$(code wp "$db" chart pie -o "$out/x.png")" = 2 ] || fail "a bad kind exits 2"
grep -q "tasks" "$SCRATCH/err" || fail "a bad kind lists the kinds"
[ "$(code wp "$db" chart label --task text_classification -o "$out/x.png")" = 2 ] ||
    fail "label without --model exits 2"
[ "$(code wp "$db" chart label --model "$model" -o "$out/x.png")" = 2 ] ||
    fail "label without --task exits 2"
[ "$(code wp "$db" chart tasks)" = 2 ] || fail "no -o exits 2"
[ "$(code wp "$db" chart tasks -o "$out/x.jpg")" = 2 ] || fail "a .jpg exits 2"
[ "$(code wp "$db" chart scaling --metric emissions -o "$out/x.png")" = 2 ] ||
    fail "scaling --metric emissions exits 2"
[ "$(code wp "$db" chart tasks --dpi 0 -o "$out/x.png")" = 2 ] || fail "--dpi 0 exits 2"
wp "$db" chart tasks --dpi 150 -o "$out/d150.png" || fail "--dpi 150"
[ "$(png_size "$out/d150.png" | cut -d' ' -f1)" = 455 ] || fail "--dpi 150: $(png_size "$out/d150.png")"
[ "$(png_dpi "$out/d150.png")" = "150 150" ] || fail "--dpi 150 records $(png_dpi "$out/d150.png")"
[ "$(code wp "$db" chart label --model nobody/none --task text_classification -o "$out/x.png")" = 1 ] ||
    fail "label of an unknown model exits 1"
grep -q "nobody/none" "$SCRATCH/err" || fail "unknown model message: $(cat "$SCRATCH/err")"
# an empty database and one without purpose tags: a message, exit 1, no file
: > "$SCRATCH/empty.db" # an empty file is an empty database (a missing one is an error)
[ "$(code wp "$SCRATCH/empty.db" chart tasks -o "$out/empty.png")" = 1 ] ||
    fail "an empty database exits 1"
[ -e "$out/empty.png" ] && fail "an empty chart left a file"
one=$(ls "$FIX"/synth/base/*.csv | head -n 1)
wp "$SCRATCH/one.db" -q ingest --task summarization --model m --dataset d --inferences 1000 "$one" ||
    fail "ingest one file"
[ "$(code wp "$SCRATCH/one.db" chart compare -o "$out/c.png")" = 1 ] ||
    fail "compare without purpose tags exits 1"
grep -q "purpose" "$SCRATCH/err" || fail "compare message: $(cat "$SCRATCH/err")"
# chart all draws what the data can show and says what it cannot
wp "$SCRATCH/one.db" chart all -o "$SCRATCH/one-all" 2>"$SCRATCH/err" ||
    fail "chart all without purpose tags: $(cat "$SCRATCH/err")"
[ "$(grep -c "no compare chart: .*purpose" "$SCRATCH/err")" = 1 ] || fail "chart all note: $(cat "$SCRATCH/err")"
[ -e "$SCRATCH/one-all/compare.png" ] && fail "chart all wrote a compare chart"
[ -s "$SCRATCH/one-all/tasks.pdf" ] || fail "chart all left out the tasks chart"
[ "$(code wp "$SCRATCH/empty.db" chart all -o "$out/e-all")" = 1 ] || fail "chart all of nothing exits 1"
[ "$(code wp "$db" chart all)" = 2 ] || fail "chart all without -o exits 2"
[ "$(code wp "$db" chart all -o "$out/a" -o "$out/b")" = 2 ] || fail "chart all with two -o exits 2"
[ "$(code wp "$db" chart all --formats png,jpg -o "$out/a")" = 2 ] || fail "--formats jpg exits 2"
[ "$(code wp "$db" chart all --formats png,png -o "$out/a")" = 2 ] || fail "--formats twice exits 2"
[ "$(code wp "$db" chart all --title T -o "$out/a")" = 2 ] || fail "chart all --title exits 2"
[ "$(code wp "$db" chart tasks --jobs 2 -o "$out/x.png")" = 2 ] || fail "--jobs without all exits 2"
[ "$(code wp "$db" chart all --jobs 0 -o "$out/a")" = 2 ] || fail "--jobs 0 exits 2"
# a folder that cannot be made: a message naming it, exit 1
: > "$SCRATCH/afile"
[ "$(code wp "$db" chart all -o "$SCRATCH/afile/sub")" = 1 ] || fail "chart all into a file exits 1"
grep -q "afile" "$SCRATCH/err" || fail "chart all folder message: $(cat "$SCRATCH/err")"
# one model on one task: still a figure for every kind that can show it
for k in tasks models components label; do
    set -- chart "$k" -o "$out/one-$k.png"
    [ "$k" = label ] && set -- "$@" --model m --task summarization
    wp "$SCRATCH/one.db" "$@" 2>"$SCRATCH/err" || fail "one model, $k: $(cat "$SCRATCH/err")"
done
ls "$out" | grep -q tmp && fail "temporary files left: $(ls "$out")"
exit 0
