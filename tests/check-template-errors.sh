#!/bin/sh
# Template markup error messages, pinned (DESIGN.md convention 6), and the
# shipped templates accepted.  Usage: tests/check-template-errors.sh BIN
#
# tests/template-errors/NAME/     a directory of one or more NAME.md templates, run as
#                                 BIN --check-templates tests/template-errors/NAME --no-config
#                                 must exit 2 and print exactly NAME.expected on stderr
#                                 (markup errors, and once the markup is valid, names
#                                 resolved against the config and the results, formulas)
# tests/template-errors/math-unknown-name/  also run in full, as make report runs:
#                                 the same messages, exit 2, no report.pdf
# a missing directory             must exit 1 (cannot open)
# templates/                      must exit 0 and print nothing, also with report.conf
. tests/lib.sh

bin=${1:?usage: tests/check-template-errors.sh BIN}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

found=0
for dir in tests/template-errors/*/; do
	[ -d "$dir" ] || continue
	found=1
	dir=${dir%/}
	name=template-errors/$(basename "$dir")
	expect_diagnostics "$name" "$dir.expected" "$bin" --check-templates "$dir" --no-config
done
# The names are checked against the configuration given: with a numeric
# kde.bandwidth, {{kde.bandwidth}} inside math is no longer an error.
grep -v "kde.bandwidth" tests/template-errors/math-unknown-name.expected >"$tmp/set.expected"
expect_diagnostics template-errors/check-with-set "$tmp/set.expected" "$bin" \
	--check-templates tests/template-errors/math-unknown-name --no-config --set kde.bandwidth=0.5

# A full run finds what --check-templates finds, and writes nothing.
dir=tests/template-errors/math-unknown-name
expect_diagnostics template-errors/full-run "$dir.expected" \
	"$bin" --no-config --templates "$dir" --outdir "$tmp/out"
if [ -e "$tmp/out/report.pdf" ]; then
	fail template-errors/full-run-no-pdf "report.pdf was written despite the errors"
fi
[ "$found" -eq 1 ] || fail template-errors/cases "no test cases in tests/template-errors/"

# An unreadable directory is a system error: exit 1.
"$bin" --check-templates "$tmp/missing" >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
if [ "$status" -eq 1 ] && grep -q "cannot open '$tmp/missing'" "$tmp/stderr"; then
	pass template-errors/missing-directory
else
	fail template-errors/missing-directory "exit status $status, expected 1" "$(cat "$tmp/stderr")"
fi

# The shipped templates: valid, silent.
expect_silent template-errors/shipped-templates "$bin" --check-templates templates --no-config
expect_silent template-errors/shipped-templates-config "$bin" --check-templates templates \
	--config report.conf
