# The README's "Your own logs in five minutes" followed verbatim (issue 23 item 6): every
# "$ command" of the section's code blocks runs in a fresh folder holding only the section's
# emissions.csv (fixtures/first-hour/), as `wattprint` on PATH with the default database, and
# its output (standard error, then standard output) must be the lines shown under it; a block
# after "<!-- file: NAME -->" is a file the reader writes (the filled manifest).  Fails when the
# README and the tool drift apart.  WP_README_SHOW=1 prints what the commands say instead.
. "$(dirname "$0")/lib.bash"
mkdir -p "$SCRATCH/bin" "$SCRATCH/run" || fail "mkdir"
ln -s "$(cd "$(dirname "$WP")" && pwd)/$(basename "$WP")" "$SCRATCH/bin/wattprint" || fail "ln"
cp "$FIX/first-hour/emissions.csv" "$SCRATCH/run/" || fail "copy the log"
python3 - "$TOP/README.md" "$SCRATCH" <<'PY' || fail "the README's five minutes and the tool differ (see above)"
import os, re, subprocess, sys
readme, scratch = sys.argv[1], sys.argv[2]
text = open(readme, encoding="utf-8").read().split("\n")
try:
    start = text.index("## Your own logs in five minutes")
except ValueError:
    sys.exit("README has no section \"## Your own logs in five minutes\"")
end = next((i for i in range(start + 1, len(text)) if text[i].startswith("## ")), len(text))
lines = text[start + 1:end]
# blocks of indented lines (blank lines inside kept), each with the text line before it
blocks, i = [], 0
while i < len(lines):
    if lines[i].startswith("    "):
        j = i
        while j < len(lines) and (lines[j].startswith("    ") or lines[j] == ""):
            j += 1
        body = [l[4:] for l in lines[i:j]]
        while body and body[-1] == "":
            body.pop()
        before = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        blocks.append((before.strip(), body))
        i = j
    else:
        i += 1
env = dict(os.environ, PATH=os.path.join(scratch, "bin") + ":" + os.environ["PATH"])
env.pop("WATTPRINT_DB", None)
cwd = os.path.join(scratch, "run")
show = os.environ.get("WP_README_SHOW") == "1"
commands = files = bad = 0
for before, body in blocks:
    m = re.fullmatch(r"<!-- file: (\S+) -->", before)
    if m:
        with open(os.path.join(cwd, m.group(1)), "w", encoding="utf-8") as f:
            f.write("\n".join(body) + "\n")
        files += 1
        continue
    if not body or not body[0].startswith("$ "):
        continue
    steps = []
    for l in body:
        if l.startswith("$ "):
            steps.append((l[2:], []))
        else:
            steps[-1][1].append(l)
    for cmd, want in steps:
        commands += 1
        p = subprocess.run(["bash", "-c", cmd], cwd=cwd, env=env, capture_output=True,
                           text=True)
        got = (p.stderr + p.stdout).rstrip("\n").split("\n") if (p.stderr + p.stdout).strip() else []
        if show:
            print("$ " + cmd)
            print("\n".join(got))
            continue
        if p.returncode != 0:
            print("FAIL: `%s` exited %d:\n%s" % (cmd, p.returncode, p.stderr), file=sys.stderr)
            bad += 1
        elif got != want:
            import difflib
            print("FAIL: `%s` says otherwise than the README:" % cmd, file=sys.stderr)
            sys.stderr.writelines(l + "\n" for l in difflib.unified_diff(
                want, got, "README.md", "wattprint", lineterm=""))
            bad += 1
if not show and (commands < 8 or files < 1):
    sys.exit("the section has %d commands and %d files: too few to follow" % (commands, files))
# what the section promises exists
for name in ("report.pdf", "logs.pdf", "card.md", "manifest.csv"):
    if not os.path.exists(os.path.join(cwd, name)):
        print("FAIL: the section's %s was not written" % name, file=sys.stderr)
        bad += 1
sys.exit(1 if bad else 0)
PY
for f in logs.pdf report.pdf; do
    qpdf --check "$SCRATCH/run/$f" > /dev/null || fail "$f fails qpdf"
done
grep -q '^inference_energy:' "$SCRATCH/run/card.md" || fail "card.md has no inference_energy"
echo "readme_five_minutes: the README's commands and outputs agree with the tool"
