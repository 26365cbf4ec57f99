# wattprint report -o report.html: one self-contained, accessible HTML5 page with the PDF's
# content. Structure (balanced tags, one h1, ordered headings, tables with caption and th
# scope, figures with figcaption and a text alternative), nothing loaded from outside and a
# CSP that forbids it, hostile names kept as text, the same bytes twice, the same numbers as
# the PDF; then headless Chromium (Debian's chromium) renders it: the DOM has the tables and
# figures, and screenshots at desktop and phone widths are not blank.
. "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
hostile='evil/<script>alert(1)</script>"onload=x <img src=http://e/x.png>'
{ echo "timestamp,experiment_id,project_name,duration,emissions,energy_consumed,country_name,country_iso_code,region,on_cloud,cloud_provider,cloud_region"
  for i in 1 2 3; do echo "2023-10-0${i}T10:00:00,e,p,1$i.5,0.000$i,0.00$i,France,FRA,,N,,"; done
} > "$SCRATCH/h.csv"
wp "$db" -q ingest --model "$hostile" --task text_classification --dataset d \
    --inferences 100 "$SCRATCH/h.csv" || fail "ingest the hostile model"

out=$SCRATCH/out
wp "$db" -q report -o "$out/report.html" --title 'A <b>"title"</b> & more' || fail "report.html"
cp "$out/report.html" "$SCRATCH/first.html"
wp "$db" -q report -o "$out/report.html" --title 'A <b>"title"</b> & more' || fail "report.html again"
cmp -s "$out/report.html" "$SCRATCH/first.html" || fail "two runs differ"
wp "$db" -q report -o "$out/report.pdf" --title 'A <b>"title"</b> & more' || fail "report.pdf"
# the extension picks the format; an unknown one is refused, never a PDF under its name
head -c 15 "$out/report.html" | grep -q '<!DOCTYPE html>' || fail "not HTML"
"$WP" --db "$db" report -o "$out/report.txt" 2> "$SCRATCH/err" && fail "report.txt accepted"
grep -q 'must end in .pdf, .html, .htm (the extension picks the format)' "$SCRATCH/err" || fail "unknown extension: $(cat "$SCRATCH/err")"
[ ! -e "$out/report.txt" ] || fail "report.txt written"

"$PY" - "$out/report.html" "$out/report.pdf" <<'PY' || fail "structure"
import html.parser, re, subprocess, sys
src = open(sys.argv[1], encoding="utf-8").read()
VOID = {"meta", "img", "br", "link", "hr", "input"}
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(convert_charrefs=True)
        s.stack, s.errors, s.tags, s.text = [], [], [], []
        s.attrs_of = []
    def handle_starttag(s, t, a):
        s.tags.append(t); s.attrs_of.append((t, dict(a)))
        if t not in VOID:
            s.stack.append(t)
    def handle_endtag(s, t):
        if not s.stack or s.stack[-1] != t:
            s.errors.append((t, s.stack[-3:], s.getpos()))
        else:
            s.stack.pop()
    def handle_data(s, d):
        s.text.append(d)
p = P(); p.feed(src); p.close()
def need(cond, msg):
    if not cond:
        print("FAIL:", msg); sys.exit(1)
need(not p.errors and not p.stack, f"unbalanced tags: {p.errors[:3]} open {p.stack}")
need(re.search(r'<html lang="en">', src), "no lang")
need(p.tags.count("h1") == 1, "not one h1")
levels = [int(t[1]) for t in p.tags if re.fullmatch(r"h[1-6]", t)]
need(all(b <= a + 1 for a, b in zip(levels, levels[1:])), f"heading levels skip: {levels}")
tables = p.tags.count("table")
need(tables >= 3 and p.tags.count("caption") == tables, f"{tables} tables, {p.tags.count('caption')} captions")
need(all(a.get("scope") in ("col", "row") for t, a in p.attrs_of if t == "th"), "a th without scope")
figs = p.tags.count("figure")
need(figs >= 3 and p.tags.count("figcaption") == figs, f"{figs} figures")
imgs = [a for t, a in p.attrs_of if t == "img"]
need(len(imgs) == figs and all(a.get("alt") and len(a["alt"]) > 20 for a in imgs), "an image without alt text")
# self-contained: no external resource of any kind, and a CSP that forbids one
need(all(a["src"].startswith("data:image/svg+xml;base64,") for a in imgs), "an image not inline")
need("<link" not in src and "@import" not in src, "a link or an import")
# one script, inline, the one the CSP allows by its hash (sortable tables; the page works
# without it)
import base64, hashlib
scripts = re.findall(r"<script([^>]*)>(.*?)</script>", src, re.S)
need(len(scripts) == 1 and scripts[0][0] == "", f"{len(scripts)} scripts, or one with attributes")
digest = base64.b64encode(hashlib.sha256(scripts[0][1].encode()).digest()).decode()
need(f"script-src 'sha256-{digest}'" in src, "the CSP does not allow the script by its hash")
need(not re.search(r'(src|href)="(?!#|data:)', src), "an external src or href")
need(re.search(r"Content-Security-Policy\" content=\"default-src 'none'", src), "no CSP")
# hostile input stays text
text = "".join(p.text)
need('evil/<script>alert(1)</script>"onload=x' in text, "the hostile model name is not shown as text")
need('A <b>"title"</b> & more' in text, "the title is not shown as text")
# every anchor of the contents lands on a heading
ids = {a.get("id") for t, a in p.attrs_of if a.get("id")}
hrefs = [a["href"][1:] for t, a in p.attrs_of if t == "a" and a.get("href", "").startswith("#")]
need(hrefs and all(h in ids for h in hrefs), "a contents link to nowhere")
# the same numbers as the PDF: every number of the per-task table is in the PDF's text
pdf = subprocess.run(["pdftotext", "-layout", sys.argv[2], "-"], capture_output=True, text=True).stdout
first = src[src.index("<table>"):src.index("</table>")]
nums = re.findall(r'<td class="num">([0-9][0-9.,e+-]*)</td>', first)
need(len(nums) > 20, f"only {len(nums)} numbers in the first table")
missing = [n for n in nums if n not in pdf]
need(not missing, f"numbers of the HTML not in the PDF: {missing[:5]}")
print(f"structure: {tables} tables, {figs} figures, {len(levels)} headings, {len(nums)} numbers as in the PDF")
PY

# Chromium reads the bytes wattprint wrote above, the same under ASan: there those writes
# are what is checked for memory errors
if under_asan; then
    skipped_asan "html: Chromium's DOM and 2 screenshots of the page (make test renders it)"
    exit 0
fi
if ! command -v chromium > /dev/null 2>&1; then
    fail "chromium is not installed (make deps installs it)"
fi
# headless Chromium, no network, a profile of its own; the DOM it builds and two screenshots
chrome() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$SCRATCH/profile" --proxy-server=127.0.0.1:9 "$@" 2>> "$SCRATCH/chrome.log"
}
chrome --dump-dom "file://$out/report.html" > "$SCRATCH/dom.html" || fail "chromium --dump-dom"
[ "$(grep -c '<table>' "$SCRATCH/dom.html")" -ge 3 ] || fail "the browser's DOM has no tables"
grep -q '<figure>' "$SCRATCH/dom.html" || fail "the browser's DOM has no figures"
grep -q '<script>alert' "$SCRATCH/dom.html" && fail "the hostile name became a script element"
# the script ran under the CSP: every column header is a sort button
grep -q '<th scope="col" aria-sort="none"><button type="button">' "$SCRATCH/dom.html" ||
    fail "the sorting script did not run (blocked by the CSP?)"
for size in 1280,1600 390,1600; do
    chrome --window-size=$size --screenshot="$SCRATCH/shot.png" "file://$out/report.html" > /dev/null ||
        fail "chromium --screenshot at $size"
    "$PY" - "$SCRATCH/shot.png" "$size" <<'PY' || fail "screenshot at $size"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
want_w = int(sys.argv[2].split(",")[0])
assert w == want_w, f"width {w}, asked {want_w}"
bpp = {2: 3, 6: 4}[ctype]
raw, stride = zlib.decompress(idat), w * bpp
rows, prev = [], bytearray(stride)
for y in range(h):  # PNG filters (RFC 2083 6.x)
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line)); prev = line
dark = sum(1 for r in rows for i in range(0, stride, bpp) if r[i] < 128)
colours = {r[i:i + 3] for r in rows[::8] for i in range(0, stride, bpp * 8)}
assert dark > w * h // 200, f"blank: {dark} dark pixels"
assert len(colours) > 8, f"only {len(colours)} colours"
print(f"screenshot {w}x{h}: {dark} dark pixels, {len(colours)} colours sampled")
PY
done
echo "html: structure, self-containment, escaping, determinism, same numbers as the PDF, rendered by Chromium, sortable"
