#!/bin/sh
# The figures: display-list dumps against tests/golden/figures/ (colour and
# grayscale), the standalone PDF/SVG files, no raster images anywhere, real
# searchable text, and placeholders that follow the config.
# usage: tests/check-figures.sh BIN
. tests/lib.sh
bin=$1
golden=tests/golden/figures
rebless="if the change is intended: make golden, review git diff $golden, say why in the commit message"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! "$bin" --no-config --outdir "$tmp/a" --dump-figures >"$tmp/a.log" 2>&1; then
	fail "figures/run" "$(cat "$tmp/a.log")"
	exit 1
fi

# Display lists, exactly (coordinates are printed to 0.01 pt).
for exp in "$golden"/*.dump; do
	[ -f "$exp" ] || { fail "figures/goldens present" "no $golden/*.dump" "$rebless"; break; }
	name=$(basename "$exp")
	if [ ! -f "$tmp/a/figures/$name" ]; then
		fail "figures/$name" "the run wrote no figures/$name"
	elif diff -u "$exp" "$tmp/a/figures/$name" >"$tmp/diff" 2>&1; then
		pass "figures/$name"
	else
		fail "figures/$name" "$(head -30 "$tmp/diff")" "$rebless"
	fi
done
for got in "$tmp"/a/figures/*.dump; do
	name=$(basename "$got")
	[ -f "$golden/$name" ] || fail "figures/$name" "no golden for figures/$name" "$rebless"
done

# Standalone files, vector only.
missing=
for f in fig1 fig2 fig3 fig4; do
	for ext in pdf svg; do
		[ -s "$tmp/a/figures/$f.$ext" ] || missing="$missing $f.$ext"
	done
done
[ -z "$missing" ] && pass "figures/standalone PDF and SVG files" ||
	fail "figures/standalone PDF and SVG files" "missing:$missing"

images=
for f in "$tmp/a/report.pdf" "$tmp"/a/figures/*.pdf; do
	n=$(pdfimages -list "$f" 2>/dev/null | tail -n +3 | wc -l)
	[ "$n" -eq 0 ] || images="$images $(basename "$f"):$n"
done
[ -z "$images" ] && pass "figures/no raster images in any PDF" ||
	fail "figures/no raster images in any PDF" "$images"

svgbad=
for f in "$tmp"/a/figures/*.svg; do
	head -c 200 "$f" | grep -q '<svg' || svgbad="$svgbad $(basename "$f")"
	grep -q '<image' "$f" && svgbad="$svgbad $(basename "$f"):image"
done
[ -z "$svgbad" ] && pass "figures/SVG files are vector SVG" || fail "figures/SVG files are vector SVG" "$svgbad"

# The figures' text is real text in the handout.
pdftotext "$tmp/a/report.pdf" "$tmp/a.txt"
absent=
for s in 原始数据分布 判别模型：学习决策边界 生成模型：学习数据分布 'p(z) = N(0,1)' \
	'KL散度 vs 后验均值' '当前均值=0.5' '计算图比较' '所有操作可微' '采样操作不可微' \
	'收敛阶段判别器' '理想值 0.5' '真实数据 p_data' 'N(2.0, 1.5²)' '图 1' '图 4'; do
	tr -d ' \n' <"$tmp/a.txt" | grep -qF "$(printf '%s' "$s" | tr -d ' ')" || absent="$absent [$s]"
done
[ -z "$absent" ] && pass "figures/titles, labels and legends are searchable text" ||
	fail "figures/titles, labels and legends are searchable text" "not found:$absent"

# A config change reaches labels and geometry.
"$bin" --no-config --outdir "$tmp/b" --dump-figures --set posterior.q_mean=1.25 >/dev/null 2>&1
pdftotext "$tmp/b/report.pdf" - | grep -q '当前均值=1.25' &&
	! cmp -s "$tmp/a/figures/fig2.dump" "$tmp/b/figures/fig2.dump" &&
	cmp -s "$tmp/a/figures/fig1.dump" "$tmp/b/figures/fig1.dump" &&
	pass "figures/posterior.q_mean moves fig2 (label, line) and nothing else" ||
	fail "figures/posterior.q_mean moves fig2 (label, line) and nothing else"

# Grayscale mode: the printed figures are the gray dumps.
"$bin" --no-config --outdir "$tmp/g" --dump-figures --set document.color=false >/dev/null 2>&1
same=yes
for f in fig1 fig2 fig3 fig4; do
	cmp -s "$tmp/a/figures/$f-gray.dump" "$tmp/g/figures/$f.dump" || same="no: $f"
done
[ "$same" = yes ] && pass "figures/document.color=false prints the grayscale figures" ||
	fail "figures/document.color=false prints the grayscale figures" "$same"
exit 0
