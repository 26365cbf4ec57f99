# Real CodeCarbon logs committed to public repositories behave as expected (real_logs.py).
. "$(dirname "$0")/lib.bash"
python3 "$TOP/tests/e2e/real_logs.py" "$WP" "$FIX" || fail "real logs"
