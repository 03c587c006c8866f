#!/bin/sh
# Runs each cmocka unit-test binary given as an argument and records the
# outcome of each in the test log.
. tests/lib.sh
for bin in "$@"; do
	name=unit/$(basename "$bin")
	if out=$("$bin" 2>&1); then
		pass "$name ($(printf '%s\n' "$out" | grep -c '^\[       OK \]') cases)"
	else
		fail "$name" "$(printf '%s\n' "$out" | grep -E 'FAILED|ERROR|error|Failure|expected|!=' | head -20)"
	fi
done
