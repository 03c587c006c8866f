#!/bin/sh
# Template markup error messages, pinned (DESIGN.md convention 6), and the
# shipped templates accepted.  Usage: tests/check-template-errors.sh BIN
#
# tests/template-errors/NAME/     a directory of one or more NAME.md templates, run as
#                                 BIN --check-templates tests/template-errors/NAME
#                                 must exit 2 and print exactly NAME.expected on stderr
# tests/template-errors/layout-NAME/  errors only the layout finds (names resolved
#                                 against the config and the results), run as
#                                 BIN --no-config --templates DIR --outdir TMP:
#                                 exit 2, exactly layout-NAME.expected, no report.pdf
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
	case $(basename "$dir") in
	layout-*)
		rm -rf "$tmp/out"
		expect_diagnostics "$name" "$dir.expected" \
			"$bin" --no-config --templates "$dir" --outdir "$tmp/out"
		if [ -e "$tmp/out/report.pdf" ]; then
			fail "$name/no-pdf" "report.pdf was written despite the errors"
		fi
		;;
	*)
		expect_diagnostics "$name" "$dir.expected" "$bin" --check-templates "$dir"
		;;
	esac
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
expect_silent template-errors/shipped-templates "$bin" --check-templates templates
