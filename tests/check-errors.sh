#!/bin/sh
# Error messages, pinned (DESIGN.md convention 6).  Usage: tests/check-errors.sh BIN
#
# tests/errors/NAME.conf       run as  BIN --config tests/errors/NAME.conf --outdir DIR --no-pdf
# tests/errors/set-NAME.args   command-line arguments, one per line, run as
#                              BIN ARGS... --outdir DIR --no-pdf  (for --set errors)
# Each must exit with status 2, print exactly NAME.expected (set-NAME.expected)
# on stderr, and leave DIR empty.
. tests/lib.sh

bin=${1:?usage: tests/check-errors.sh BIN}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# run_case NAME EXPECTED ARGS...
run_case() {
	name=errors/$1
	expected=$2
	shift 2
	if [ ! -f "$expected" ]; then
		fail "$name" "missing $expected"
		return
	fi
	rm -rf "$tmp/out" && mkdir "$tmp/out"
	"$bin" "$@" --outdir "$tmp/out" --no-pdf >"$tmp/stdout" 2>"$tmp/stderr"
	status=$?
	problems=""
	if [ "$status" -ne 2 ]; then
		problems="exit status $status, expected 2"
	fi
	if ! cmp -s "$expected" "$tmp/stderr"; then
		problems="$problems${problems:+; }stderr differs from $expected"
	fi
	if [ -n "$(ls -A "$tmp/out")" ]; then
		problems="$problems${problems:+; }files were written: $(ls -A "$tmp/out" | tr '\n' ' ')"
	fi
	if [ -z "$problems" ]; then
		pass "$name"
	else
		fail "$name" "command: $bin $* --outdir DIR --no-pdf" "$problems" \
			"$(diff -u "$expected" "$tmp/stderr" | sed 's/^/        /' | sed '1s/^        //')"
	fi
}

found=0
for conf in tests/errors/*.conf; do
	[ -e "$conf" ] || continue
	found=1
	run_case "$(basename "$conf" .conf)" "${conf%.conf}.expected" --config "$conf"
done

# The arguments of a set-*.args file become the positional parameters.
run_args() {
	args_file=$1
	set --
	while IFS= read -r line || [ -n "$line" ]; do
		set -- "$@" "$line"
	done <"$args_file"
	run_case "$(basename "$args_file" .args)" "${args_file%.args}.expected" "$@"
}

for args in tests/errors/set-*.args; do
	[ -e "$args" ] || continue
	found=1
	run_args "$args"
done

[ "$found" -eq 1 ] || fail errors/cases "no test cases in tests/errors/"
