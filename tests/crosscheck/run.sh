#!/bin/sh
# usage: tests/crosscheck/run.sh BIN CSVCMP      (what `make crosscheck` runs)
#
# Cross-checks our figure data against an independent run of the seed's own
# Python code (tests/crosscheck/seed_reference.py): runs both into a
# temporary directory and compares every reference CSV with ours through
# CSVCMP, one verdict per file.  Exit status 0 when everything matches, 1 on
# any mismatch or missing file, 2 when something could not run.
#
# Tolerances (explicit and tight, as for the goldens): relative 1e-12
# everywhere; contours.csv columns x and y also absolute 1e-12, since contour
# vertices cross zero.  results.csv is compared only on the names present on
# both sides (names missing on either side are listed, not failed: the two
# sides grow at different paces), and the few results whose exact value is 0
# and which both sides can only produce as round-off (RESULTS_ABS_NAMES) use
# absolute 1e-12 instead.
#
# BIN may also be a directory holding an earlier run (DIR/data/*.csv), to
# check existing output without running the program.  PYTHON overrides the
# interpreter (default Debian's /usr/bin/python3, which has the packages);
# CROSSCHECK_KEEP=1 keeps the temporary directory and prints its name.
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 BIN|OUTDIR CSVCMP" >&2
	exit 2
fi
BIN=$1
CSVCMP=$2
PYTHON=${PYTHON:-/usr/bin/python3}
REL=1e-12
ABS=1e-12
# Results that are exactly 0 in exact arithmetic, so that both sides give
# round-off of either sign: V - (-2 log 2 + 2 JS), JS(p_data || p_data), and
# KL by quadrature minus its closed form.  Shell patterns, matched against
# the name.
RESULTS_ABS_NAMES='gan.identity_residual.* gan.js.converged kl.difference'

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/handout-crosscheck.XXXXXX") || exit 2
if [ "${CROSSCHECK_KEEP:-}" = 1 ]; then
	echo "crosscheck: keeping $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 130' INT TERM
fi

if [ ! -x "$CSVCMP" ]; then
	echo "crosscheck: $CSVCMP not found (make build/tests/csvcmp)" >&2
	exit 2
fi
if ! "$PYTHON" -c 'import numpy, scipy, sklearn, matplotlib' 2>/dev/null; then
	echo "crosscheck: $PYTHON cannot import numpy, scipy, sklearn and matplotlib." >&2
	echo "  Install them with: sudo apt-get install python3-numpy python3-scipy python3-sklearn python3-matplotlib" >&2
	echo "  (or point PYTHON at an interpreter that has them)" >&2
	exit 2
fi

echo "crosscheck: running the seed's code ($PYTHON tests/crosscheck/seed_reference.py)"
if ! "$PYTHON" "$here/seed_reference.py" "$tmp/ref" >"$tmp/ref.log" 2>&1; then
	echo "crosscheck: the reference run failed:" >&2
	sed 's/^/  /' "$tmp/ref.log" >&2
	exit 2
fi

if [ -d "$BIN" ]; then
	ours=$BIN/data
	echo "crosscheck: comparing with the existing run in $BIN"
else
	ours=$tmp/ours/data
	echo "crosscheck: running $BIN --no-config --outdir $tmp/ours --no-pdf"
	if ! "$BIN" --no-config --outdir "$tmp/ours" --no-pdf >"$tmp/ours.log" 2>&1; then
		echo "crosscheck: $BIN failed:" >&2
		sed 's/^/  /' "$tmp/ours.log" >&2
		exit 2
	fi
fi

failures=0
verdict() { # verdict WORD FILE [DETAIL...]
	word=$1 file=$2
	shift 2
	printf '  %-5s %s\n' "$word" "$file"
	for line in "$@"; do
		[ -n "$line" ] && printf '%s\n' "$line" | sed '/^$/d; s/^/        /'
	done
	return 0
}

# compare FILE EXPECTED GOT [CSVCMP OPTIONS...]: one verdict line.
compare() {
	file=$1 exp=$2 got=$3
	shift 3
	out=$("$CSVCMP" --rel "$REL" "$@" --label "$file" "$exp" "$got" 2>&1)
	rc=$?
	rows=$(($(wc -l <"$exp") - 1))
	case $rc in
	0) verdict ok "$file ($rows rows)" ;;
	1) verdict DIFF "$file" "$out"; failures=$((failures + 1)) ;;
	*) verdict ERROR "$file" "$out"; failures=$((failures + 1)) ;;
	esac
}

# results.csv: split the names present on both sides into a relative and an
# absolute group (same order as the reference), list the others, and name
# each mismatch by its result name instead of its line in the filtered file.
compare_results() {
	exp=$1 got=$2
	if [ ! -s "$got" ]; then
		verdict DIFF results.csv "ours is empty"
		failures=$((failures + 1))
		return
	fi
	awk -F, -v dir="$tmp/results" -v absnames="$RESULTS_ABS_NAMES" '
	function is_abs(name,   n, i, pats, re) {
		n = split(absnames, pats, " ")
		for (i = 1; i <= n; i++) {
			re = pats[i]
			gsub(/\./, "\\.", re)
			gsub(/\*/, ".*", re)
			if (name ~ ("^" re "$"))
				return 1
		}
		return 0
	}
	FNR == 1 {
		if (NR == 1) header_got = $0; else header_exp = $0
		next
	}
	NR == FNR {
		if ($1 in got) dups = dups " " $1
		got[$1] = $0
		order_got[++ngot] = $1
		next
	}
	{
		seen[$1] = 1
		if (!($1 in got)) { missing_ours = missing_ours " " $1; next }
		g = is_abs($1) ? "abs" : "rel"
		print > (dir "/exp." g ".csv")
		print got[$1] > (dir "/got." g ".csv")
		print $1 > (dir "/names." g)
	}
	END {
		for (i = 1; i <= ngot; i++)
			if (!(order_got[i] in seen)) missing_ref = missing_ref " " order_got[i]
		print substr(missing_ours, 2) > (dir "/missing_ours")
		print substr(missing_ref, 2) > (dir "/missing_ref")
		print substr(dups, 2) > (dir "/dups")
		print header_exp > (dir "/header_exp")
		print header_got > (dir "/header_got")
	}' "$got" "$exp"

	d=$tmp/results
	if ! cmp -s "$d/header_exp" "$d/header_got"; then
		verdict DIFF results.csv "header: expected $(cat "$d/header_exp"), got $(cat "$d/header_got")"
		failures=$((failures + 1))
		return
	fi
	details="" bad=0 compared=0
	for g in rel abs; do
		[ -f "$d/names.$g" ] || continue
		compared=$((compared + $(wc -l <"$d/names.$g")))
		{ cat "$d/header_exp"; cat "$d/exp.$g.csv"; } >"$d/e.$g.csv"
		{ cat "$d/header_got"; cat "$d/got.$g.csv"; } >"$d/g.$g.csv"
		if [ $g = abs ]; then set -- --abs "$ABS"; else set --; fi
		out=$("$CSVCMP" --rel "$REL" "$@" --label results.csv "$d/e.$g.csv" "$d/g.$g.csv" 2>&1)
		rc=$?
		[ $rc -eq 0 ] && continue
		bad=1
		# "results.csv:LINE: column 'value': ..." -> "results.csv: NAME: ..."
		out=$(printf '%s\n' "$out" | awk -v names="$d/names.$g" '
			BEGIN { while ((getline n < names) > 0) name[++k] = n }
			match($0, /^results\.csv:[0-9]+: /) {
				line = substr($0, 13, RLENGTH - 14) + 0
				rest = substr($0, RLENGTH + 1)
				sub(/^column .value.: /, "", rest)
				print "results.csv: " name[line - 1] ": " rest
				next
			}
			{ print }')
		details="$details$out
"
	done
	dups=$(cat "$d/dups")
	if [ -n "$dups" ]; then
		bad=1
		details="${details}names given more than once by ours: $dups
"
	fi
	notes=""
	[ -n "$(cat "$d/missing_ours")" ] && notes="only in the reference (not compared): $(cat "$d/missing_ours")
"
	[ -n "$(cat "$d/missing_ref")" ] && notes="${notes}only in ours (not compared): $(cat "$d/missing_ref")
"
	if [ $bad -eq 0 ]; then
		verdict ok "results.csv ($compared names compared)" "$notes"
	else
		verdict DIFF "results.csv ($compared names compared)" "$details$notes"
		failures=$((failures + 1))
	fi
}

echo "crosscheck: reference vs ours (rel $REL; contours.csv x,y abs $ABS)"
mkdir -p "$tmp/results"
for exp in "$tmp"/ref/*.csv; do
	file=$(basename "$exp")
	got=$ours/$file
	if [ ! -f "$got" ]; then
		verdict MISS "$file" "the run wrote no $file"
		failures=$((failures + 1))
		continue
	fi
	case $file in
	contours.csv) compare "$file" "$exp" "$got" --col-abs "x=$ABS" --col-abs "y=$ABS" ;;
	results.csv) compare_results "$exp" "$got" ;;
	*) compare "$file" "$exp" "$got" ;;
	esac
done
for got in "$ours"/*.csv; do
	[ -f "$got" ] || continue
	file=$(basename "$got")
	[ -f "$tmp/ref/$file" ] || verdict note "$file" "no reference for $file (not compared)"
done

if [ $failures -eq 0 ]; then
	echo "crosscheck: all files match the seed's own code"
	exit 0
fi
echo "crosscheck: $failures file(s) differ from the seed's own code"
exit 1
