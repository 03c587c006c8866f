#!/bin/sh
# Command-line behaviour: overrides reach the data, bad input changes nothing,
# runs are deterministic, --print-config tells where every value came from.
# usage: tests/check-cli.sh BIN CSVCMP
. tests/lib.sh
bin=$1
csvcmp=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" --no-config --outdir "$tmp/a" >/dev/null 2>"$tmp/a.err"
status=$?
if [ $status -eq 0 ] && [ -s "$tmp/a/report.pdf" ] && [ -s "$tmp/a/data/moons.csv" ]; then
	pass "cli/default run writes report.pdf and data"
else
	fail "cli/default run writes report.pdf and data" "exit $status" "$(cat "$tmp/a.err")"
fi

# Same inputs, same bytes.
"$bin" --no-config --outdir "$tmp/b" >/dev/null 2>&1
same=yes
for f in "$tmp"/a/data/*.csv "$tmp/a/report.pdf"; do
	cmp -s "$f" "$tmp/b/${f#"$tmp"/a/}" || same="no: $f"
done
[ "$same" = yes ] && pass "cli/two runs are byte-identical" || fail "cli/two runs are byte-identical" "$same"

# An override changes exactly the data that depends on it.
changed() { ! cmp -s "$tmp/a/data/$1" "$tmp/$2/data/$1"; }
"$bin" --no-config --no-pdf --set moons.noise=0.2 --outdir "$tmp/noise" >/dev/null 2>&1
if changed moons.csv noise && changed contours.csv noise && ! changed elbo.csv noise; then
	pass "cli/--set moons.noise changes moons and contours only"
else
	fail "cli/--set moons.noise changes moons and contours only"
fi
"$bin" --no-config --no-pdf --set posterior.q_std=0.5 --outdir "$tmp/qstd" >/dev/null 2>&1
if changed elbo.csv qstd && changed kl_curve.csv qstd && changed results.csv qstd && ! changed moons.csv qstd; then
	pass "cli/--set posterior.q_std changes elbo, kl_curve and results"
else
	fail "cli/--set posterior.q_std changes elbo, kl_curve and results"
fi
# The override reaches the results as a number.
kl=$(grep '^kl.at_mean,' "$tmp/qstd/data/results.csv" | cut -d, -f2)
expected=$(awk 'BEGIN { s = 0.5; m = 0.5; printf "%.12f", 0.5 * (s*s + m*m - 1 - log(s*s)) }')
got=$(awk -v v="$kl" 'BEGIN { printf "%.12f", v }')
[ "$got" = "$expected" ] && pass "cli/kl.at_mean follows posterior.q_std" ||
	fail "cli/kl.at_mean follows posterior.q_std" "expected $expected, got $got"

# The text's claims follow the parameters ('::: if' blocks): a line that
# separates the moons well, a converged p_g that is not p_data and JS values
# that do not decrease, a prior that is not standard normal.
"$bin" --no-config --outdir "$tmp/claims0" >/dev/null 2>&1
"$bin" --no-config --set 'gan.p_g_converged=N(1.5, 0.3)' --set 'gan.p_g_training=N(0,1)' \
	--set decision.weight_x=0 --set decision.weight_y=-1 --set decision.bias=0.25 \
	--set prior.mean=-1 --outdir "$tmp/claims" >/dev/null 2>&1
result() { grep "^$2," "$tmp/$1/data/results.csv" | cut -d, -f2; }
text() { pdftotext "$tmp/$1/report.pdf" - 2>/dev/null | tr -d '\n '; }
t0=$(text claims0) t1=$(text claims)
has() { case $1 in *"$2"*) return 0 ;; esac; return 1; }
if [ "$(result claims0 decision.accuracy)" = 0.53000000000000003 ] &&
	[ "$(result claims decision.accuracy)" = 0.83999999999999997 ] &&
	[ "$(result claims0 gan.js.decreasing)" = 1 ] && [ "$(result claims gan.js.decreasing)" = 0 ] &&
	[ "$(result claims gan.d_converged.max_dev_x)" = -1 ]; then
	pass "cli/results the text is conditioned on"
else
	fail "cli/results the text is conditioned on" \
		"accuracy $(result claims0 decision.accuracy) $(result claims decision.accuracy)" \
		"decreasing $(result claims0 gan.js.decreasing) $(result claims gan.js.decreasing)"
fi
if has "$t0" 几乎不比随机猜测好 && has "$t0" 正是全局最优值 && has "$t0" JS散度随阶段推进而减小 &&
	has "$t0" 出现在p_data极小的尾部 && has "$t0" 近似后验与标准正态先验之间KL散度的闭式解： &&
	! has "$t1" 几乎不比随机猜测好 && has "$t1" 有0.84的比例 && ! has "$t1" 正是全局最优值 &&
	has "$t1" 收敛阶段p_g≠p_data && has "$t1" JS散度并不随阶段推进而减小 &&
	! has "$t1" 尾部 && has "$t1" "出现在x=−1处" &&
	has "$t1" "当前的先验p(z)=N(−1,1²)不是标准正态"; then
	pass "cli/the text's claims follow the parameters"
else
	fail "cli/the text's claims follow the parameters"
fi

# Bad input: exit 2, message with a location, previous outputs untouched.
cp -r "$tmp/a" "$tmp/keep"
printf '[moons]\nnoise = 0.1.5\n' >"$tmp/bad.conf"
"$bin" --config "$tmp/bad.conf" --outdir "$tmp/a" >/dev/null 2>"$tmp/bad.err"
status=$?
untouched=yes
for f in "$tmp"/keep/data/*.csv "$tmp/keep/report.pdf"; do
	cmp -s "$f" "$tmp/a/${f#"$tmp"/keep/}" || untouched="no: $f changed"
done
if [ $status -eq 2 ] && grep -q "bad.conf:2:9: error:" "$tmp/bad.err" && [ "$untouched" = yes ]; then
	pass "cli/malformed value: exit 2, file:line:col, outputs untouched"
else
	fail "cli/malformed value: exit 2, file:line:col, outputs untouched" "exit $status" \
		"$(cat "$tmp/bad.err")" "$untouched"
fi
"$bin" --no-config --set posterior.q_std=-1 --outdir "$tmp/a" >/dev/null 2>"$tmp/range.err"
status=$?
if [ $status -eq 2 ] && grep -q "out of range" "$tmp/range.err" && cmp -s "$tmp/keep/report.pdf" "$tmp/a/report.pdf"; then
	pass "cli/out-of-range --set: exit 2, PDF untouched"
else
	fail "cli/out-of-range --set: exit 2, PDF untouched" "exit $status" "$(cat "$tmp/range.err")"
fi

# Parameters in range that the computation cannot use (one point per moon:
# no density estimate) stop the run before anything is written: exit 1, each
# class named with the keys to change, the previous outputs untouched.
"$bin" --no-config --set moons.n_samples=2 --outdir "$tmp/a" >/dev/null 2>"$tmp/kde.err"
status=$?
if [ $status -eq 1 ] && [ "$(grep -c 'kernel density estimate of class [01]: 1 point' "$tmp/kde.err")" -eq 2 ] &&
	grep -q 'raise moons.n_samples = 2 or moons.noise = 0.1' "$tmp/kde.err" &&
	cmp -s "$tmp/keep/report.pdf" "$tmp/a/report.pdf" &&
	cmp -s "$tmp/keep/data/moons.csv" "$tmp/a/data/moons.csv"; then
	pass "cli/unusable parameters: exit 1, the keys named, outputs untouched"
else
	fail "cli/unusable parameters: exit 1, the keys named, outputs untouched" "exit $status" \
		"$(cat "$tmp/kde.err")"
fi

# A missing hyphenation dictionary is a system error like a missing font:
# exit 1, the key and the path named, the previous PDF untouched.
"$bin" --no-config --set document.hyphenation=/nonexistent/hyph_xx.dic --outdir "$tmp/a" \
	>/dev/null 2>"$tmp/hyph.err"
status=$?
if [ $status -eq 1 ] && grep -q "document.hyphenation: hyphenation dictionary '/nonexistent/hyph_xx.dic' cannot be read" "$tmp/hyph.err" &&
	cmp -s "$tmp/keep/report.pdf" "$tmp/a/report.pdf"; then
	pass "cli/missing hyphenation dictionary: exit 1, path named, PDF untouched"
else
	fail "cli/missing hyphenation dictionary: exit 1, path named, PDF untouched" "exit $status" \
		"$(cat "$tmp/hyph.err")"
fi

# --print-config: every key, its origin.
"$bin" --config report.conf --set moons.noise=0.2 --print-config >"$tmp/print.out" 2>&1
if grep -q '^moons.noise .*0.2.*--set' "$tmp/print.out" &&
	grep -q '^posterior.q_std .*report.conf:' "$tmp/print.out" &&
	[ "$(grep -c '^[a-z_]*\.[a-z_0-9]* ' "$tmp/print.out")" -ge 40 ]; then
	pass "cli/--print-config shows values and origins"
else
	fail "cli/--print-config shows values and origins" "$(head -5 "$tmp/print.out")"
fi

# report.conf (whatever the user made of it) parses without a diagnostic.
if "$bin" --config report.conf --print-config >/dev/null 2>"$tmp/conf.err" && [ ! -s "$tmp/conf.err" ]; then
	pass "cli/report.conf parses cleanly"
else
	fail "cli/report.conf parses cleanly" "$(head -5 "$tmp/conf.err")"
fi

"$bin" --frobnicate >/dev/null 2>"$tmp/opt.err"
[ $? -eq 2 ] && grep -q "unknown option" "$tmp/opt.err" && pass "cli/unknown option: exit 2" ||
	fail "cli/unknown option: exit 2" "$(cat "$tmp/opt.err")"
exit 0
