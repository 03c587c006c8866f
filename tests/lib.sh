# Shared helpers for the shell test scripts.  Source it; every check records a
# line in $TEST_LOG ("PASS name" or "FAIL name"), and tests/summary.sh closes
# the run with "N passed, N failed".
TEST_LOG=${TEST_LOG:-build/test.log}
mkdir -p "$(dirname "$TEST_LOG")"

pass() {
	printf 'PASS %s\n' "$1" >>"$TEST_LOG"
	printf '  ok    %s\n' "$1"
}

# fail NAME [DETAIL...]: records the failure and prints the details.
fail() {
	name=$1
	shift
	printf 'FAIL %s\n' "$name" >>"$TEST_LOG"
	printf '  FAIL  %s\n' "$name"
	for line in "$@"; do
		printf '        %s\n' "$line"
	done
}

# check NAME COMMAND...: passes when COMMAND exits 0.
check() {
	name=$1
	shift
	if out=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "command: $*" "$out"
	fi
}

# expect_diagnostics NAME EXPECTED COMMAND...: passes when COMMAND exits 2,
# prints nothing on stdout and exactly the file EXPECTED on stderr (the
# pinned-messages convention, DESIGN.md 6).  Uses $tmp (a scratch dir).
expect_diagnostics() {
	name=$1
	expected=$2
	shift 2
	if [ ! -f "$expected" ]; then
		fail "$name" "missing $expected"
		return
	fi
	"$@" >"$tmp/stdout" 2>"$tmp/stderr"
	status=$?
	problems=""
	if [ "$status" -ne 2 ]; then
		problems="exit status $status, expected 2"
	fi
	if [ -s "$tmp/stdout" ]; then
		problems="$problems${problems:+; }unexpected output on stdout"
	fi
	if ! cmp -s "$expected" "$tmp/stderr"; then
		problems="$problems${problems:+; }stderr differs from $expected"
	fi
	if [ -z "$problems" ]; then
		pass "$name"
	else
		fail "$name" "command: $*" "$problems" \
			"$(diff -u "$expected" "$tmp/stderr" | sed 's/^/        /' | sed '1s/^        //')"
	fi
}

# expect_silent NAME COMMAND...: passes when COMMAND exits 0 and prints nothing.
expect_silent() {
	name=$1
	shift
	if "$@" >"$tmp/stdout" 2>"$tmp/stderr" && [ ! -s "$tmp/stdout" ] && [ ! -s "$tmp/stderr" ]; then
		pass "$name"
	else
		fail "$name" "command: $*" "$(cat "$tmp/stdout" "$tmp/stderr")"
	fi
}
