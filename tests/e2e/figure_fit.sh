# Figures for papers (issue 25, item 8): `--size column` (the default) fits the column of a
# two-column article at its own size.  pdflatex measures \columnwidth of
# article[twocolumn] on letter and A4 paper and places every kind's PDF in a figure there;
# an overfull box fails (89 mm figures were 24 pt too wide).  `--size page` fits a page-wide
# figure* of the same classes only when scaled, so it is not checked here.
. "$(dirname "$0")/lib.bash"
command -v pdflatex > /dev/null 2>&1 || fail "pdflatex is not installed (make test installs TeX)"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
wp "$db" -q chart all --formats pdf -o "$SCRATCH/fig" || fail "chart all"
kinds=$(cd "$SCRATCH/fig" && ls *.pdf | sed 's/\.pdf$//')
[ "$(echo "$kinds" | wc -l)" -ge 5 ] || fail "chart all wrote: $kinds"
for paper in letterpaper a4paper; do
    {
        printf '\\documentclass[twocolumn,%s]{article}\n\\usepackage{graphicx}\n' "$paper"
        printf '\\begin{document}\n\\typeout{COLUMNWIDTH=\\the\\columnwidth}\n'
        for k in $kinds; do
            printf '\\begin{figure}\\centering\\includegraphics{%s/fig/%s.pdf}\\caption{%s}\\end{figure}\n' \
                "$SCRATCH" "$k" "$k"
        done
        printf '\\end{document}\n'
    } > "$SCRATCH/$paper.tex"
    (cd "$SCRATCH" && pdflatex -halt-on-error -interaction=nonstopmode "$paper.tex" > /dev/null 2>&1) ||
        { tail -20 "$SCRATCH/$paper.log" >&2; fail "pdflatex $paper"; }
    cw=$(grep -o 'COLUMNWIDTH=[0-9.]*pt' "$SCRATCH/$paper.log")
    [ -n "$cw" ] || fail "no \\columnwidth measured"
    if grep -q 'Overfull \\hbox' "$SCRATCH/$paper.log"; then
        grep -A1 'Overfull' "$SCRATCH/$paper.log" >&2
        fail "a column figure is wider than the column of article[twocolumn,$paper] ($cw)"
    fi
    # and no figure is much narrower than the column either (within 12 pt of it)
    w=$(pdfinfo "$SCRATCH/fig/tasks.pdf" | awk '/^Page size:/ {print $3}')
    awk -v w="$w" -v cw="${cw#COLUMNWIDTH=}" 'BEGIN {cw += 0; exit !(w * 72.27 / 72 <= cw && w * 72.27 / 72 > cw - 12)}' ||
        fail "the column figure is $w bp wide for a $cw column"
done
exit 0
