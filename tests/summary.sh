#!/bin/sh
# Prints the closing line of `make test` from the log the checks wrote and
# exits non-zero if anything failed.
TEST_LOG=${TEST_LOG:-build/test.log}
passed=$(grep -c '^PASS ' "$TEST_LOG" 2>/dev/null)
failed=$(grep -c '^FAIL ' "$TEST_LOG" 2>/dev/null)
passed=${passed:-0}
failed=${failed:-0}
if [ "$failed" -gt 0 ]; then
	echo "failed checks:"
	grep '^FAIL ' "$TEST_LOG" | sed 's/^FAIL /  /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
