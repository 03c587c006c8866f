#!/bin/sh
# usage: tests/check-golden.sh BIN CSVCMP        (what `make check-golden` runs)
#
# Runs BIN with the default configuration and compares every CSV it writes
# with tests/golden/ through CSVCMP: one check per file, plus a failure for a
# CSV without a golden or a golden without a CSV.  Tolerances are explicit
# and tight: relative 1e-12 everywhere; contours.csv columns x and y also
# absolute 1e-12 (contour vertices cross zero); results.csv values also
# absolute 1e-14.
. tests/lib.sh

if [ $# -ne 2 ]; then
	echo "usage: $0 BIN CSVCMP" >&2
	exit 2
fi
BIN=$1
CSVCMP=$2
GOLDEN=tests/golden
REL=1e-12
ABS=1e-12
RESULTS_ABS=1e-14

rebless="if the change is intended: make golden, review git diff tests/golden, and say why in the commit message"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/handout-golden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

"$BIN" --no-config --outdir "$tmp" --no-pdf >"$tmp/run.log" 2>&1
status=$?
if [ $status -ne 0 ]; then
	fail golden/run "command: $BIN --no-config --outdir $tmp --no-pdf (exit status $status)" \
		"$(head -20 "$tmp/run.log" | sed '2,$s/^/        /')"
	exit 1
fi

failed=0
# fail_ NAME DETAIL...: lib.sh's fail, with multi-line details kept indented.
fail_() {
	name=$1
	shift
	for d in "$@"; do
		set -- "$@" "$(printf '%s\n' "$d" | sed '2,$s/^/        /')"
		shift
	done
	fail "$name" "$@"
	failed=$((failed + 1))
}

ngolden=0
for exp in "$GOLDEN"/*.csv; do
	[ -f "$exp" ] || continue
	ngolden=$((ngolden + 1))
	file=$(basename "$exp")
	got=$tmp/data/$file
	if [ ! -f "$got" ]; then
		fail_ "golden/$file" "the run wrote no data/$file, but $GOLDEN/$file exists" \
			"if the dataset was removed on purpose: git rm $GOLDEN/$file"
		continue
	fi
	case $file in
	contours.csv) set -- --col-abs "x=$ABS" --col-abs "y=$ABS" ;;
	# Results that are zero in exact arithmetic (identity residuals, JS at
	# convergence, quadrature minus closed form) are rounding noise of either
	# sign: compare them on an absolute 1e-14 scale.
	results.csv) set -- --col-abs "value=$RESULTS_ABS" ;;
	*) set -- ;;
	esac
	out=$("$CSVCMP" --rel "$REL" "$@" --label "$file" "$exp" "$got" 2>&1)
	case $? in
	0) pass "golden/$file" ;;
	1) fail_ "golden/$file" "$out" "$rebless" ;;
	*) fail_ "golden/$file" "csvcmp could not compare: $out" ;;
	esac
done

if [ "$ngolden" -eq 0 ]; then
	fail_ golden/present "no golden CSVs in $GOLDEN/" \
		"create them with: make golden (and commit them, saying why)"
fi

for got in "$tmp"/data/*.csv; do
	[ -f "$got" ] || continue
	file=$(basename "$got")
	[ -f "$GOLDEN/$file" ] ||
		fail_ "golden/$file" "the run wrote data/$file, which has no golden in $GOLDEN/" \
			"if the dataset is new on purpose: make golden, and say why in the commit message"
done
[ "$failed" -eq 0 ]
