# The workbook prints where users print it (issue 25): LibreOffice Calc (headless) turns the
# synthetic fixtures' workbook into a PDF; the Summary sheet fits on one page (it took 9
# before the print setup), each sheet's pages start with its header row, and the whole
# workbook stays within a few pages per sheet (204 pages before).
. "$(dirname "$0")/lib.bash"
command -v soffice > /dev/null 2>&1 ||
    fail "soffice is not installed (make test installs libreoffice-calc-nogui)"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
wp "$db" -q xlsx -o "$SCRATCH/w.xlsx" || fail "xlsx"
# LibreOffice reads the bytes wattprint wrote, the same under ASan: there the write above is
# what is checked for memory errors
if under_asan; then
    skipped_asan "xlsx_print: LibreOffice's PDF of the workbook and its pages (make test prints it)"
    exit 0
fi
# a profile of its own: LibreOffice refuses to start beside another instance's profile
HOME=$SCRATCH/home timeout 300 soffice --headless -env:UserInstallation=file://$SCRATCH/lo \
    --convert-to pdf --outdir "$SCRATCH" "$SCRATCH/w.xlsx" > "$SCRATCH/lo.log" 2>&1 ||
    { cat "$SCRATCH/lo.log" >&2; fail "soffice --convert-to pdf"; }
pdf=$SCRATCH/w.pdf
[ -s "$pdf" ] || fail "LibreOffice wrote no PDF"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
[ "$pages" -le 16 ] || fail "the workbook prints on $pages pages"
# which sheet each page belongs to: its first header cell
first=""
summary=0
for p in $(seq 1 "$pages"); do
    top=$(pdftotext -f "$p" -l "$p" -layout "$pdf" - | awk 'NF {print $1, $2; exit}')
    case "$top" in
        "Task Runs") summary=$((summary + 1)) ;;
        "Task Model"|"Run id"|"Task n"|"Field Value"|"Task Dataset") ;;
        *) first="$first $p:$top" ;;
    esac
done
[ "$summary" -ge 1 ] && [ "$summary" -le 2 ] || fail "the Summary sheet prints on $summary pages"
[ -z "$first" ] || fail "pages that do not start with their sheet's header row:$first"
# landscape: every page wider than tall
pdfinfo -f 1 -l "$pages" "$pdf" | awk '/^Page .* size:/ {if ($4 <= $6) bad++} END {exit bad > 0}' ||
    fail "a page is not landscape"
exit 0
