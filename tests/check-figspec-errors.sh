#!/bin/sh
# Figure-spec error messages, pinned (DESIGN.md convention 6), and the shipped
# specs accepted.  Usage: tests/check-figspec-errors.sh BIN
#
# tests/figspec-errors/NAME.fig   run as  BIN --check-figure tests/figspec-errors/NAME.fig
#                                 must exit 2 and print exactly NAME.expected on stderr
# a missing file                  must exit 1 (cannot open)
# figures/*.fig                   must exit 0 and print nothing
. tests/lib.sh

bin=${1:?usage: tests/check-figspec-errors.sh BIN}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

found=0
for fig in tests/figspec-errors/*.fig; do
	[ -e "$fig" ] || continue
	found=1
	expect_diagnostics "figspec-errors/$(basename "$fig" .fig)" "${fig%.fig}.expected" \
		"$bin" --check-figure "$fig"
done
[ "$found" -eq 1 ] || fail figspec-errors/cases "no test cases in tests/figspec-errors/"

# An unreadable spec is a system error: exit 1.
"$bin" --check-figure "$tmp/missing.fig" >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
if [ "$status" -eq 1 ] && grep -q "cannot open '$tmp/missing.fig'" "$tmp/stderr"; then
	pass figspec-errors/missing-file
else
	fail figspec-errors/missing-file "exit status $status, expected 1" "$(cat "$tmp/stderr")"
fi

# The shipped specs: valid, silent.
for fig in figures/*.fig; do
	[ -e "$fig" ] || continue
	expect_silent "figspec/$(basename "$fig")" "$bin" --check-figure "$fig"
done
