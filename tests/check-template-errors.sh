#!/bin/sh
# Template markup error messages, pinned (DESIGN.md convention 6), and the
# shipped templates accepted.  Usage: tests/check-template-errors.sh BIN
#
# tests/template-errors/NAME/     a directory of one or more NAME.md templates, run as
#                                 BIN --check-templates tests/template-errors/NAME
#                                 must exit 2 and print exactly NAME.expected on stderr
# a missing directory             must exit 1 (cannot open)
# templates/                      must exit 0 and print nothing
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
	expected=$dir.expected
	if [ ! -f "$expected" ]; then
		fail "$name" "missing $expected"
		continue
	fi
	"$bin" --check-templates "$dir" >"$tmp/stdout" 2>"$tmp/stderr"
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
		fail "$name" "command: $bin --check-templates $dir" "$problems" \
			"$(diff -u "$expected" "$tmp/stderr" | sed 's/^/        /' | sed '1s/^        //')"
	fi
done
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
if "$bin" --check-templates templates >"$tmp/stdout" 2>"$tmp/stderr" &&
    [ ! -s "$tmp/stdout" ] && [ ! -s "$tmp/stderr" ]; then
	pass template-errors/shipped-templates
else
	fail template-errors/shipped-templates "command: $bin --check-templates templates" \
		"$(cat "$tmp/stdout" "$tmp/stderr")"
fi
