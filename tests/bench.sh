#!/bin/sh
# make bench: wall time of whole runs (configuration, every computation, the
# CSVs and the PDF), best and mean of N runs.  Timing lives here, never in
# the tests.
bin=$1
runs=${BENCH_RUNS:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" --no-config --outdir "$tmp" >/dev/null || exit 1
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --warmup 2 --runs "$runs" "$bin --no-config --outdir $tmp"
	exit
fi
best=
total=0
i=0
while [ $i -lt "$runs" ]; do
	t0=$(date +%s%N)
	"$bin" --no-config --outdir "$tmp" >/dev/null
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000 ))
	total=$((total + ms))
	if [ -z "$best" ] || [ $ms -lt "$best" ]; then best=$ms; fi
	i=$((i + 1))
done
awk -v b="$best" -v t="$total" -v n="$runs" \
	'BEGIN { printf "handout: %d runs, best %.1f ms, mean %.1f ms\n", n, b / 1000, t / n / 1000 }'
