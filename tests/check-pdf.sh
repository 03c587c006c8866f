#!/bin/sh
# check-pdf.sh BIN: checks the PDF that BIN writes from the outside, with the
# tools a reader's machine has (qpdf, poppler, mupdf, Ghostscript): structure,
# embedded fonts, extractable text, clean rendering in three renderers,
# determinism, paper sizes, and that a failed run leaves the old PDF alone.
# A missing tool is a failure, never a skip.
. tests/lib.sh

BIN=$1
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	fail pdf/binary "usage: tests/check-pdf.sh BIN (got '$BIN')"
	exit 1
fi
export LC_ALL=C.UTF-8

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-pdf.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

tools_ok=true
for tool in qpdf pdffonts pdftotext pdftoppm pdfinfo pdfimages mutool gs cmp; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		fail "pdf/tool-$tool" "$tool is not installed (make deps-test installs it)"
		tools_ok=false
	fi
done

# run NAME DIR ARGS...: runs BIN --no-config --outdir DIR ARGS, output in DIR.log
run() {
	name=$1 dir=$2
	shift 2
	mkdir -p "$dir"
	if "$BIN" --no-config --outdir "$dir" "$@" >"$dir.log" 2>&1 && [ -s "$dir/report.pdf" ]; then
		pass "$name"
		return 0
	fi
	fail "$name" "command: $BIN --no-config --outdir $dir $*" "$(cat "$dir.log")"
	return 1
}

pdf=$tmp/a/report.pdf
if ! run pdf/run "$tmp/a"; then
	fail pdf/checks "no PDF to check: every PDF check fails"
	exit 0
fi
$tools_ok || exit 0

# No temporary file is left next to the PDF.
left=$(ls -A "$tmp/a" | grep -v -e '^report\.pdf$' -e '^data$' -e '^figures$')
if [ -z "$left" ]; then
	pass pdf/no-temp-files
else
	fail pdf/no-temp-files "left in the output directory: $left"
fi

# Structure.
if out=$(qpdf --check "$pdf" 2>&1) && printf '%s\n' "$out" | grep -q 'No syntax or stream encoding errors'; then
	pass pdf/qpdf-check
else
	fail pdf/qpdf-check "$out"
fi

# Every font embedded, subset, with a ToUnicode map.
if pdffonts "$pdf" >"$tmp/fonts.txt" 2>"$tmp/fonts.err" && [ ! -s "$tmp/fonts.err" ]; then
	nfonts=$(tail -n +3 "$tmp/fonts.txt" | grep -c .)
	bad=$(tail -n +3 "$tmp/fonts.txt" | awk 'NF && !($(NF-4) == "yes" && $(NF-3) == "yes" && $(NF-2) == "yes")')
	if [ "$nfonts" -gt 0 ] && [ -z "$bad" ]; then
		pass "pdf/fonts-embedded ($nfonts fonts)"
	else
		fail pdf/fonts-embedded "fonts not embedded/subset/unicode (or none at all):" "$(cat "$tmp/fonts.txt")"
	fi
else
	fail pdf/fonts-embedded "pdffonts failed or warned:" "$(head -5 "$tmp/fonts.err")"
fi

# Real, extractable text, without extraction warnings.
pdftotext "$pdf" "$tmp/text.txt" 2>"$tmp/text.err"
if [ -s "$tmp/text.err" ]; then
	fail pdf/text-warnings "pdftotext printed:" "$(head -5 "$tmp/text.err")"
else
	pass pdf/text-warnings
fi
# The handout's text: the title page, the contents, every heading of the
# templates and a sentence from the start of every section, the appendix,
# the footer (whitespace aside: pdftotext may or may not report the gap in
# "第 2 页", and lines break anywhere in Chinese).
# The body is read without the running header and footer (cropped away), so
# that a sentence crossing a page break still reads as one.
pdftotext -x 0 -y 62 -W 700 -H 716 "$pdf" - 2>/dev/null | cat - "$tmp/text.txt" |
	tr -d ' \n\f' >"$tmp/text-nospace.txt"
# headings: "# 标题 {#sec:x}" -> "标题"
sed -n 's/^#\{1,3\}\*\{0,1\} *//p' templates/[0-9]*.md | sed 's/ *{#[^}]*} *$//' >"$tmp/headings.txt"
# the first paragraph line after each heading: its Chinese runs of 8+ characters
for f in templates/[0-9]*.md; do
	awk '/^#/ { want = 1; next } want && /^[^%:|$ -]/ && NF { print; want = 0 }' "$f"
done | grep -oP '[\x{4e00}-\x{9fff}，、；：]{8,}' >"$tmp/sentences.txt"
missing=""
nwant=0
while IFS= read -r want; do
	nwant=$((nwant + 1))
	want=$(printf '%s' "$want" | tr -d ' ')
	grep -qF -- "$want" "$tmp/text-nospace.txt" || missing="$missing [$want]"
done <<EOF
生成模型理论
目录
moons.n_samples
第2页/共
$(cat "$tmp/headings.txt" "$tmp/sentences.txt")
EOF
if [ -z "$missing" ] && [ "$(wc -l <"$tmp/headings.txt")" -ge 10 ] && [ "$(wc -l <"$tmp/sentences.txt")" -ge 10 ]; then
	pass "pdf/text-content ($nwant headings and sentences)"
else
	fail pdf/text-content "not found by pdftotext:$missing"
fi

# The number printed is the number computed: gan.js.initial as in
# results.csv, printed by templates/05-verification.md with %.10f.
csv=$tmp/a/data/results.csv
value=$(awk -F, '$1 == "gan.js.initial" { print $2 }' "$csv" 2>/dev/null)
if [ -n "$value" ] && shown=$(LC_ALL=C printf '%.10f' "$value") && grep -qF -- "$shown" "$tmp/text.txt"; then
	pass pdf/text-value
else
	fail pdf/text-value "gan.js.initial = '$value' in $csv, '$shown' not in the PDF text"
fi

# Formulas extract as their linear form (a /Span /ActualText around each
# formula's glyphs and rules), not as positioned fragments.  The expected
# strings are the ones texmath made (math_box.text), read from the layout
# dump of the same configuration: the KL closed form and the optimal
# discriminator D*, both display formulas built of fractions and scripts.
if "$BIN" --no-config --outdir "$tmp/dl" --dump-layout >"$tmp/dl.log" 2>&1 && [ -s "$tmp/dl/layout.dump" ]; then
	kl_text=$(sed -n 's/^  span "\(KL(N(μ, σ²) ‖ N(0, 1)) = .*\)"$/\1/p' "$tmp/dl/layout.dump" | head -n 1)
	dstar_text=$(sed -n 's/^  span "\(D\*(x) = p_data(x)\/(p_data(x) + p_g(x))\)"$/\1/p' "$tmp/dl/layout.dump" | head -n 1)
	absent=""
	for want in "$kl_text" "$dstar_text"; do
		if [ -z "$want" ]; then
			absent="$absent [a formula's span is missing from layout.dump]"
		elif ! grep -qxF -- "$want" "$tmp/text.txt"; then
			absent="$absent [$want]"
		fi
	done
	case $kl_text in
	*'½(σ² + μ² − 1 − log σ²)') ;;
	*) absent="$absent [KL linear form '$kl_text' is not texmath's ½(σ² + μ² − 1 − log σ²)]" ;;
	esac
	if [ -z "$absent" ]; then
		pass "pdf/text-formulas-linear"
	else
		fail pdf/text-formulas-linear "not a line of pdftotext's text:$absent" \
		    "$(grep -n -e 'KL(N' -e 'D\*(x)' "$tmp/text.txt" | head -10)"
	fi
else
	fail pdf/text-formulas-linear "the --dump-layout run failed:" "$(head -10 "$tmp/dl.log")"
fi

# \mathbb{E} is 𝔼 (U+1D53C, beyond the BMP), drawn from the math font through
# a private-use code point whose ToUnicode entry is the surrogate pair
# D835 DD3C.  pdftotext reads the formulas' ActualText; mutool reads the
# glyphs' ToUnicode (it does not use ActualText): both must give 𝔼, with
# the math font's glyph, not a bold E standing in.
mutool draw -q -F txt -o "$tmp/mu.txt" "$pdf" >"$tmp/mu.err" 2>&1
n_poppler=$(grep -c '𝔼' "$tmp/text.txt")
n_mupdf=$(grep -a -c '𝔼' "$tmp/mu.txt")
if [ "$n_poppler" -gt 0 ] && [ "$n_mupdf" -gt 0 ] && grep -q 'min_G max_D V(D, G) = 𝔼_(x∼p_data)' "$tmp/text.txt"; then
	pass "pdf/text-astral (𝔼 on $n_poppler lines of pdftotext, $n_mupdf of mutool)"
else
	fail pdf/text-astral "𝔼 lines: pdftotext $n_poppler, mutool $n_mupdf (want both > 0, and the GAN objective with 𝔼)" \
	    "$(grep -n 'max_D' "$tmp/text.txt" | head -3)"
fi

# The display integrals are the math font's integral.v2, a glyph without a
# code point, drawn through a private-use "glyph slot" whose ToUnicode entry
# is ∫: mutool (glyphs' ToUnicode, no ActualText) must give all five ∫ of
# the derivations (02-vae.md twice, 03-gan.md three times) and no
# private-use character anywhere.
n_int=$(grep -a -o '∫' "$tmp/mu.txt" | wc -l)
n_pua=$(LC_ALL=C grep -a -c "$(printf '\356[\200-\243]')" "$tmp/mu.txt")
if [ "$n_int" -eq 5 ] && [ "$n_pua" -eq 0 ]; then
	pass "pdf/text-glyph-slots (5 display ∫ extract as ∫)"
else
	fail pdf/text-glyph-slots "mutool text: $n_int ∫ (want 5), $n_pua lines with a private-use character (want 0)" \
	    "$(grep -a -n -e 'log p(x) =' -e 'pdata(x) log' "$tmp/mu.txt" | head -5)"
fi

# Bookmarks: every heading of the templates, in order, each with a target.
mutool show "$pdf" outline >"$tmp/outline.txt" 2>"$tmp/outline.err"
# '|	"1.2 生成模型分类"	#page=4&view=FitH,75.3' -> '生成模型分类' (number and spaces dropped)
sed -n 's/^[-+|]	*"\(.*\)"	#page=[0-9][0-9]*.*/\1/p' "$tmp/outline.txt" |
	sed 's/^[0-9][0-9.]* *//' | tr -d ' ' >"$tmp/outline-titles.txt"
tr -d ' ' <"$tmp/headings.txt" >"$tmp/headings-nospace.txt"
# every heading appears, in the templates' order (the outline may add
# entries, e.g. 目录)
unlisted=$(awk 'NR == FNR { t[++n] = $0; next }
	{ while (k < n && t[k] != $0) k++; if (t[k] != $0) print; else k++ }' \
	"$tmp/outline-titles.txt" "$tmp/headings-nospace.txt")
nentries=$(grep -c '#page=' "$tmp/outline.txt")
if [ -z "$unlisted" ] && [ ! -s "$tmp/outline.err" ] && [ "$nentries" -ge "$(wc -l <"$tmp/headings.txt")" ]; then
	pass "pdf/outline ($nentries bookmarks)"
else
	fail pdf/outline "headings missing or out of order in the outline:" "$unlisted" "$(head -40 "$tmp/outline.txt")"
fi

# Links: the contents entries and cross-references jump to destinations
# (no border), the document lists its named destinations and opens with
# the bookmarks shown.
qpdf --qdf --object-streams=disable "$pdf" "$tmp/links.pdf" 2>/dev/null
internal=$(awk '/ obj$/ { link = dest = 0 } /^  \/Subtype \/Link$/ { link = 1 }
	/^  \/Dest [0-9]+ 0 R$/ { dest = 1 } /^endobj$/ { if (link && dest) n++ } END { print n + 0 }' "$tmp/links.pdf")
links=$(grep -a -c '^  /Subtype /Link$' "$tmp/links.pdf")
borderless=$(awk '/^  \/Border \[$/ { b = 1; s = ""; next } b && /^  \]$/ { if (s == "000") n++; b = 0; next } b { s = s $1 } END { print n + 0 }' "$tmp/links.pdf")
if [ "$internal" -ge "$(wc -l <"$tmp/headings.txt")" ] && [ "$borderless" -eq "$links" ] &&
	grep -aq '^    /sec:vae [0-9]* 0 R$' "$tmp/links.pdf" &&
	grep -aq '^  /PageMode /UseOutlines$' "$tmp/links.pdf" &&
	grep -aq '^  /OpenAction [0-9]* 0 R$' "$tmp/links.pdf"; then
	pass "pdf/links ($internal internal links, $links in all)"
else
	fail pdf/links "internal links $internal (at least one per heading), $borderless of $links without border, /Dests sec:vae, /PageMode /UseOutlines, /OpenAction"
fi

# Document information, Chinese intact.
info=$(pdfinfo "$pdf" 2>&1)
if printf '%s\n' "$info" | grep -q '^Title: *生成模型理论' &&
	printf '%s\n' "$info" | grep -q '^Subject: *生成模型讲义' &&
	printf '%s\n' "$info" | grep -q '^Author: *生成模型讲义' &&
	printf '%s\n' "$info" | grep -q '^Keywords: *生成模型, .*VAE, GAN, Diffusion, ELBO'; then
	pass pdf/info
else
	fail pdf/info "$info"
fi
pages=$(printf '%s\n' "$info" | awk '/^Pages:/ { print $2 }')

# render NAME PREFIX COMMAND...: passes when COMMAND exits 0, prints nothing
# on stderr and writes one image per page (PREFIX*.png).
render() {
	name=$1 prefix=$2
	shift 2
	if "$@" >"$tmp/render.out" 2>"$tmp/render.err" && [ ! -s "$tmp/render.err" ]; then
		n=$(ls "$prefix"*.png 2>/dev/null | wc -l)
		if [ "$n" -eq "$pages" ]; then
			pass "$name ($n pages)"
		else
			fail "$name" "$n images for $pages pages"
		fi
	else
		fail "$name" "command: $*" "$(head -10 "$tmp/render.err")"
	fi
}
render pdf/render-pdftoppm "$tmp/pp" pdftoppm -r 50 -png "$pdf" "$tmp/pp"
# -N: Debian's mupdf is built without lcms2 and would warn "ICC support is
# not available" for any file; the flag only turns colour management off.
render pdf/render-mutool "$tmp/mu" mutool draw -q -N -r 50 -o "$tmp/mu-%d.png" "$pdf"
render pdf/render-gs "$tmp/gs" gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=png16m -r50 \
	-sOutputFile="$tmp/gs-%d.png" "$pdf"

# Vector and text only: no raster images.
if pdfimages -list "$pdf" >"$tmp/images.txt" 2>"$tmp/images.err" && [ ! -s "$tmp/images.err" ]; then
	n=$(tail -n +3 "$tmp/images.txt" | grep -c .)
	if [ "$n" -eq 0 ]; then
		pass pdf/no-images
	else
		fail pdf/no-images "$n images:" "$(head -10 "$tmp/images.txt")"
	fi
else
	fail pdf/no-images "pdfimages failed or warned:" "$(head -5 "$tmp/images.err")"
fi

# libharu 2.3.0 repair 1 (composite glyphs, src/pdf.c): without it WenQuanYi
# Micro Hei draws 模 型 学 进 ... as nothing.  Every character of every
# all-CJK word pdftotext finds must put some ink in its cell (CJK characters
# are one em wide, so a word's box splits evenly into cells).
blank=""
p=1
while [ "$p" -le "$pages" ]; do
	pdftoppm -gray -r 72 -f "$p" -l "$p" -singlefile "$pdf" "$tmp/ink" 2>/dev/null
	pdftotext -f "$p" -l "$p" -bbox "$pdf" - 2>/dev/null |
		LC_ALL=C sed -n 's/.*<word xMin="\([0-9.]*\)" yMin="\([0-9.]*\)" xMax="\([0-9.]*\)" yMax="\([0-9.]*\)">\(.*\)<\/word>.*/\1 \2 \3 \4 \5/p' |
		LC_ALL=C awk '$5 ~ /^[\200-\377]+$/ && length($5) % 3 == 0 { print $1, $2, $3, $4, length($5) / 3, $5 }' >"$tmp/words.txt"
	hdr=$(head -n 3 "$tmp/ink.pgm" | wc -c)
	width=$(sed -n 2p "$tmp/ink.pgm" | awk '{ print $1 }')
	# Full-width punctuation is skipped: squeezed (标点挤压) it takes half
	# its width, so the even split of the word misplaces the cells near it.
	out=$(od -An -tu1 -v -j "$hdr" "$tmp/ink.pgm" | LC_ALL=C awk -v W="$width" -v page="$p" '
		BEGIN { punct = "（）；：，。、「」『』《》“”‘’" }
		NR == FNR { box[++nb] = $0; next }
		{ for (i = 1; i <= NF; i++) pix[n++] = $i }
		END {
			for (b = 1; b <= nb; b++) {
				split(box[b], f, " ")
				cw = (f[3] - f[1]) / f[5]
				for (k = 0; k < f[5]; k++) {
					ch = substr(f[6], 3 * k + 1, 3)
					if (index(punct, ch) % 3 == 1)
						continue
					ink = 0
					for (y = int(f[2]) + 1; y < f[4] - 1 && !ink; y++)
						for (x = int(f[1] + k * cw) + 1; x < f[1] + (k + 1) * cw - 1; x++)
							if (pix[y * W + x] < 240) { ink = 1; break }
					if (!ink)
						printf "page %d: character %d of \"%s\" draws nothing\n", page, k + 1, f[6]
				}
			}
		}' "$tmp/words.txt" -)
	[ -n "$out" ] && blank="$blank$out
"
	p=$((p + 1))
done
if [ -z "$blank" ] && [ "$pages" -gt 0 ]; then
	pass pdf/glyphs-inked
else
	fail pdf/glyphs-inked "$(printf '%s\n' "$blank" | head -10)"
fi

# Repair 3: /W lists the used code points only (2.3.0 lists every code
# point of the font: tens of thousands of widths for a CJK font).  The widths
# of all fonts together stay close to the number of distinct characters.
qpdf --qdf --object-streams=disable "$pdf" "$tmp/qdf.pdf" 2>/dev/null
widths=$(awk '
	/^  \/W \[$/ { inw = 1; next }
	inw && /^  \]$/ { inw = 0; next }
	inw && /^      [0-9-]+$/ { n++ }
	END { print n + 0 }' "$tmp/qdf.pdf")
chars=$(LC_ALL=C.UTF-8 grep -o . "$tmp/text.txt" | sort -u | wc -l)
# A character may be used in two fonts (figure labels in the sans face, body
# text in the serif one): at most twice the distinct characters, against
# 26,000+ widths without the repair.
if [ "$widths" -gt 0 ] && [ "$widths" -le $((2 * chars + 100)) ]; then
	pass "pdf/widths-used-only ($widths widths, $chars distinct characters)"
else
	fail pdf/widths-used-only "$widths /W widths for $chars distinct characters"
fi

# Repair 4: every embedded TrueType program has a 32-byte format 3 `post`
# table (2.3.0 copies the glyph names: 115-197 KB per CJK font).
mkdir -p "$tmp/fonts"
(cd "$tmp/fonts" && mutool extract "$pdf" >/dev/null 2>&1)
badpost=""
nttf=0
for f in "$tmp"/fonts/*.ttf; do
	[ -f "$f" ] || continue
	nttf=$((nttf + 1))
	ntab=$(od -An -tu1 -j 4 -N 2 "$f" | awk '{ print $1 * 256 + $2 }')
	post=$(od -An -tu1 -v -j 12 -N $((16 * ntab)) "$f" | awk '
		{ for (i = 1; i <= NF; i++) b[n++] = $i }
		END {
			for (r = 0; r < n / 16; r++) {
				o = 16 * r
				if (b[o] == 112 && b[o+1] == 111 && b[o+2] == 115 && b[o+3] == 116)
					print ((b[o+8] * 256 + b[o+9]) * 256 + b[o+10]) * 256 + b[o+11],
					    ((b[o+12] * 256 + b[o+13]) * 256 + b[o+14]) * 256 + b[o+15]
			}
		}')
	set -- $post
	version=$( [ $# -eq 2 ] && od -An -tu1 -j "$1" -N 4 "$f" | tr -s ' ' ' ')
	if [ $# -ne 2 ] || [ "$2" -ne 32 ] || [ "$version" != " 0 3 0 0" ]; then
		badpost="$badpost $(basename "$f"):post=${2:-none}:version=[$version]"
	fi
done
if [ "$nttf" -gt 0 ] && [ -z "$badpost" ]; then
	pass "pdf/post-minimal ($nttf fonts)"
else
	fail pdf/post-minimal "fonts: $nttf; bad post tables:$badpost"
fi

# Same inputs, same bytes.
if run pdf/run-again "$tmp/b"; then
	if cmp "$pdf" "$tmp/b/report.pdf" >/dev/null 2>&1; then
		pass pdf/deterministic
	else
		fail pdf/deterministic "two runs with the same inputs differ: $(cmp "$pdf" "$tmp/b/report.pdf" 2>&1)"
	fi
else
	fail pdf/deterministic "the second run failed"
fi

# Dates only from SOURCE_DATE_EPOCH: without it none, with it the given
# moment, and the same bytes on every run either way.
if printf '%s\n' "$info" | grep -q -e '^CreationDate:' -e '^ModDate:'; then
	fail pdf/no-date "a date without SOURCE_DATE_EPOCH:" "$(printf '%s\n' "$info" | grep Date)"
else
	pass pdf/no-date
fi
if (SOURCE_DATE_EPOCH=1700000000 && export SOURCE_DATE_EPOCH &&
	run pdf/run-epoch "$tmp/e1" && run pdf/run-epoch-again "$tmp/e2"); then
	date=$(pdfinfo "$tmp/e1/report.pdf" 2>&1 | sed -n 's/^CreationDate: *//p')
	if cmp -s "$tmp/e1/report.pdf" "$tmp/e2/report.pdf" && [ "$date" = "Tue Nov 14 22:13:20 2023 UTC" ]; then
		pass pdf/source-date-epoch
	else
		fail pdf/source-date-epoch "CreationDate '$date' (expected Tue Nov 14 22:13:20 2023 UTC), runs equal: $(cmp "$tmp/e1/report.pdf" "$tmp/e2/report.pdf" 2>&1 || true)"
	fi
else
	fail pdf/source-date-epoch "the runs with SOURCE_DATE_EPOCH failed"
fi

# Paper sizes.
size=$(pdfinfo "$pdf" 2>&1 | awk -F': *' '/^Page size:/ { print $2 }')
case $size in
"595.276 x 841.89 pts"*) pass pdf/paper-a4 ;;
*) fail pdf/paper-a4 "page size '$size', expected 595.276 x 841.89 pts" ;;
esac
if run pdf/run-letter "$tmp/letter" --set document.paper=Letter; then
	size=$(pdfinfo "$tmp/letter/report.pdf" 2>&1 | awk -F': *' '/^Page size:/ { print $2 }')
	case $size in
	"612 x 792 pts"*) pass pdf/paper-letter ;;
	*) fail pdf/paper-letter "page size '$size', expected 612 x 792 pts" ;;
	esac
else
	fail pdf/paper-letter "the Letter run failed"
fi

# A missing font: non-zero exit, a message naming the key, the old PDF kept.
cp "$pdf" "$tmp/before.pdf"
if "$BIN" --no-config --outdir "$tmp/a" --set fonts.cjk_serif=/nonexistent.ttc >"$tmp/missing.log" 2>&1; then
	fail pdf/missing-font "exit status 0 with fonts.cjk_serif=/nonexistent.ttc"
elif grep -q 'fonts\.cjk_serif' "$tmp/missing.log" && grep -q '/nonexistent\.ttc' "$tmp/missing.log"; then
	pass pdf/missing-font
else
	fail pdf/missing-font "the message does not name fonts.cjk_serif and the path:" "$(cat "$tmp/missing.log")"
fi
if cmp "$tmp/before.pdf" "$pdf" >/dev/null 2>&1; then
	left=$(ls -A "$tmp/a" | grep -v -e '^report\.pdf$' -e '^data$' -e '^figures$')
	if [ -z "$left" ]; then
		pass pdf/missing-font-keeps-old
	else
		fail pdf/missing-font-keeps-old "left in the output directory: $left"
	fi
else
	fail pdf/missing-font-keeps-old "report.pdf changed after a failed run"
fi

# Changed parameters change every place that shows them: the text of the
# verification section (the posterior, and the KL formula with the values
# set in it and its computed value), the figure caption's formula, the
# figure's legend label, and the appendix rows (value; changed, with the
# default).
"$BIN" --no-config --outdir "$tmp/qm" --set posterior.q_mean=1.25 --set posterior.q_std=0.6 \
    >/dev/null 2>&1
pdftotext "$tmp/qm/report.pdf" - 2>/dev/null | tr -d ' \n\f' >"$tmp/qm.txt"
kl=$(awk 'BEGIN { s = 0.6; m = 1.25; printf "%.12f", 0.5 * (s*s + m*m - 1 - log(s*s)) }')
absent=""
for want in 'q=N(1.25,0.6²)' "KL(q‖p)=log(1/(0.6))+(0.6²+(1.25−0)²)/(2⋅1²)−½=$kl" \
    '当前均值=1.25' 'q(z|x)=N(1.25,0.6²)' 'σ=0.6时' 'μ=1.25；' \
    'posterior.q_mean1.25是，默认0.5--set' 'posterior.q_std0.6是，默认0.8--set'; do
	grep -qF -- "$want" "$tmp/qm.txt" || absent="$absent [$want]"
done
grep -qF 'q=N(0.5,0.8²)' "$tmp/qm.txt" && absent="$absent [old value N(0.5,0.8²) still shown]"
grep -qF '=0.168143551314' "$tmp/qm.txt" && absent="$absent [old KL value 0.168143551314 still shown]"
if [ -z "$absent" ]; then
	pass "pdf/parameter-follows (text, formulas, figure label, appendix)"
else
	fail "pdf/parameter-follows (text, formulas, figure label, appendix)" "missing:$absent" \
	    "$(grep -o 'KL(q‖p)=[^把]*' "$tmp/qm.txt" | head -3)"
fi
exit 0
