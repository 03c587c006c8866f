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
