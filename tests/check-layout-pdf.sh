#!/bin/sh
# check-layout-pdf.sh TESTBIN: the PDF back end of the layout engine from the
# outside.  TESTBIN (build/tests/test_layout_pdf) draws a hand-made laid-out
# document with every box kind and font role, links, destinations and
# bookmarks; this script keeps the file (LAYOUT_PDF_OUT) and checks it with
# qpdf, poppler, mupdf and Ghostscript.  A missing tool is a failure.
. tests/lib.sh

BIN=$1
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	fail layout-pdf/binary "usage: tests/check-layout-pdf.sh TESTBIN (got '$BIN')"
	exit 1
fi
export LC_ALL=C.UTF-8

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-layout-pdf.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

for tool in qpdf pdffonts pdftotext pdftoppm pdfinfo mutool gs cmp; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		fail "layout-pdf/tool-$tool" "$tool is not installed (make deps-test installs it)"
		exit 0
	fi
done

pdf=$tmp/a.pdf
if LAYOUT_PDF_OUT=$pdf "$BIN" >"$tmp/run.log" 2>&1 && [ -s "$pdf" ] &&
	LAYOUT_PDF_OUT=$tmp/b.pdf "$BIN" >/dev/null 2>&1; then
	pass layout-pdf/run
else
	fail layout-pdf/run "$(tail -20 "$tmp/run.log")"
	exit 0
fi

if cmp -s "$pdf" "$tmp/b.pdf"; then
	pass layout-pdf/deterministic
else
	fail layout-pdf/deterministic "two runs differ: $(cmp "$pdf" "$tmp/b.pdf" 2>&1)"
fi

if out=$(qpdf --check "$pdf" 2>&1) && printf '%s\n' "$out" | grep -q 'No syntax or stream encoding errors'; then
	pass layout-pdf/qpdf-check
else
	fail layout-pdf/qpdf-check "$out"
fi

# Every font embedded, subset, with ToUnicode; the faces drawn are there
# (the math face for the '|' of "p(y|x)") and a role nothing is drawn with
# (bold italic) is not embedded.
if pdffonts "$pdf" >"$tmp/fonts.txt" 2>"$tmp/fonts.err" && [ ! -s "$tmp/fonts.err" ]; then
	bad=$(tail -n +3 "$tmp/fonts.txt" | awk 'NF && !($(NF-4) == "yes" && $(NF-3) == "yes" && $(NF-2) == "yes")')
	absent=""
	for face in UMing WenQuanYiMicroHei 'FreeSerif ' FreeSerifItalic FreeSerifBold, DejaVuSansMono \
		DejaVuMathTeXGyre; do
		grep -q -- "+$face" "$tmp/fonts.txt" || absent="$absent $face"
	done
	extra=$(grep -e FreeSerifBoldItalic "$tmp/fonts.txt")
	if [ -z "$bad" ] && [ -z "$absent" ] && [ -z "$extra" ]; then
		pass "layout-pdf/fonts ($(tail -n +3 "$tmp/fonts.txt" | grep -c .) fonts, emb sub uni)"
	else
		fail layout-pdf/fonts "not emb/sub/uni: $bad" "missing:$absent" "unused but embedded: $extra" \
			"$(cat "$tmp/fonts.txt")"
	fi
else
	fail layout-pdf/fonts "pdffonts failed or warned:" "$(head -5 "$tmp/fonts.err")"
fi

# The text comes back exactly (math symbols: whitespace aside).
pdftotext "$pdf" "$tmp/text.txt" 2>"$tmp/text.err"
missing=""
while IFS= read -r want; do
	grep -qF -- "$want" "$tmp/text.txt" || missing="$missing [$want]"
done <<'EOF'
生成模型学习数据分布 p(x)，判别模型学习 p(y|x)。
Variational Autoencoder
重要 Bold 结论
kl.at_mean = 0.2
θ φ β μ σ ε x² x₁ x₂ ✓ ✗
两端对齐的一行，字间距为半点。
注：见 https://arxiv.org/abs/1312.6114
2 变分自编码器（VAE）
2.1 ELBO 推导
图 2：放大的判别器
判别器 D(x)
EOF
tr -d ' ' <"$tmp/text.txt" >"$tmp/nospace.txt"
for want in '∂∫∑≥≤≈∇∼‖·→←∞' 'x=μ+σ⊙εz'; do
	grep -qF -- "$want" "$tmp/nospace.txt" || missing="$missing [$want]"
done
grep -q '🚀' "$tmp/text.txt" && missing="$missing [emoji not dropped]"
if [ -z "$missing" ] && [ ! -s "$tmp/text.err" ]; then
	pass layout-pdf/text
else
	fail layout-pdf/text "not found:$missing" "$(head -3 "$tmp/text.err")"
fi

# Bookmarks: titles (emoji dropped), nesting, targets.
mutool show "$pdf" outline >"$tmp/outline.txt" 2>&1
expected=$(printf '%s\n' \
	'|	"1 生成模型概述"	#page=1&view=FitH,47.88977' \
	'-	"2 变分自编码器（VAE）"	#page=2&view=FitH,47.88977' \
	'+		"2.1 ELBO 推导"	#page=2&view=FitH,77.88977' \
	'|			"图 1：判别器"	#page=2&view=FitH,0' \
	'|	"参考文献"	#page=1&view=FitH,0')
if [ "$(cat "$tmp/outline.txt")" = "$expected" ]; then
	pass layout-pdf/outline
else
	fail layout-pdf/outline "got:" "$(cat "$tmp/outline.txt")" "expected:" "$expected"
fi

# Links: two internal (no border), one web link; named destinations, the
# bookmark panel and the opening view.
qpdf --qdf --object-streams=disable "$pdf" "$tmp/qdf.pdf" 2>/dev/null
links=$(grep -a -c '^  /Subtype /Link$' "$tmp/qdf.pdf")
# link annotations with a /Dest (bookmarks have one too)
dests=$(awk '/ obj$/ { link = dest = 0 } /^  \/Subtype \/Link$/ { link = 1 }
	/^  \/Dest [0-9]+ 0 R$/ { dest = 1 } /^endobj$/ { if (link && dest) n++ } END { print n + 0 }' "$tmp/qdf.pdf")
uris=$(grep -a -c '^    /URI (https://arxiv.org/abs/1312.6114)$' "$tmp/qdf.pdf")
borders=$(awk '/^  \/Border \[$/ { b = 1; s = ""; next } b && /^  \]$/ { if (s == "000") n++; b = 0; next } b { s = s $1 } END { print n + 0 }' "$tmp/qdf.pdf")
if [ "$links" -eq 3 ] && [ "$dests" -eq 2 ] && [ "$uris" -eq 1 ] && [ "$borders" -eq 3 ] &&
	grep -aq '^    /sec:vae [0-9]* 0 R$' "$tmp/qdf.pdf" &&
	grep -aq '^  /PageMode /UseOutlines$' "$tmp/qdf.pdf" &&
	grep -aq '^  /OpenAction [0-9]* 0 R$' "$tmp/qdf.pdf"; then
	pass layout-pdf/links
else
	fail layout-pdf/links "links=$links (3) internal=$dests (2) uri=$uris (1) borderless=$borders (3), /Dests sec:vae, /PageMode, /OpenAction"
fi

info=$(pdfinfo "$pdf" 2>&1)
if printf '%s\n' "$info" | grep -q '^Title: *生成模型理论$' &&
	printf '%s\n' "$info" | grep -q '^Subject: *生成模型讲义$' &&
	printf '%s\n' "$info" | grep -q '^Pages: *2$'; then
	pass layout-pdf/info
else
	fail layout-pdf/info "$info"
fi

# render NAME PREFIX COMMAND...: exit 0, nothing on stderr, one image per page.
render() {
	name=$1 prefix=$2
	shift 2
	if "$@" >"$tmp/render.out" 2>"$tmp/render.err" && [ ! -s "$tmp/render.err" ] &&
		[ "$(ls "$prefix"*.png 2>/dev/null | wc -l)" -eq 2 ]; then
		pass "$name"
	else
		fail "$name" "command: $*" "$(head -10 "$tmp/render.err")"
	fi
}
render layout-pdf/render-pdftoppm "$tmp/pp" pdftoppm -r 50 -png "$pdf" "$tmp/pp"
render layout-pdf/render-mutool "$tmp/mu" mutool draw -q -N -r 50 -o "$tmp/mu-%d.png" "$pdf"
render layout-pdf/render-gs "$tmp/gs" gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=png16m -r50 \
	-sOutputFile="$tmp/gs-%d.png" "$pdf"
exit 0
