#!/bin/sh
# The typeset pages (layout_dump, --dump-layout) of the default configuration:
# against tests/golden/layout.dump, line breaks that keep the kinsoku rules
# (linebreak.h), and body text inside each page's text block (layout.h).
# usage: tests/check-layout.sh BIN
. tests/lib.sh
bin=$1
golden=tests/golden/layout.dump
rebless="if the change is intended: make golden, review git diff $golden, say why in the commit message"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! "$bin" --no-config --outdir "$tmp/a" --dump-layout >"$tmp/a.log" 2>&1; then
	fail "layout/run" "$(cat "$tmp/a.log")"
	exit 1
fi
dump=$tmp/a/layout.dump
if [ ! -s "$dump" ]; then
	fail "layout/run" "--dump-layout wrote no layout.dump"
	exit 1
fi

# (a) The whole layout, exactly (positions are printed to 0.01 pt), but for
# the figures' item counts: a figure is one box here, its contents are
# tests/golden/figures/'s business (check-figures.sh).
nofigitems() {
	sed 's/^\(  figure .*\) ([0-9]* items)$/\1/' "$1"
}
if [ ! -f "$golden" ]; then
	fail "layout/golden dump" "no $golden" "$rebless"
elif nofigitems "$golden" >"$tmp/expected" && nofigitems "$dump" >"$tmp/got" &&
	diff -u "$tmp/expected" "$tmp/got" >"$tmp/diff" 2>&1; then
	pass "layout/golden dump"
else
	fail "layout/golden dump" "$(head -40 "$tmp/diff")" "$rebless"
fi

# The text boxes as tab-separated fields: page, kind (header, footer, body),
# size, x, y, w, block left, right, bottom, top, text (unescaped), font.  The
# running header and footer (every page but the first, 9 pt, above and below
# the block: layout.h) lie outside the text block by design.  Bytes, not
# characters (LC_ALL=C): the marks are matched as UTF-8 strings.
LC_ALL=C awk '
/^page / { p = $2; l = $4; b = $5; r = $6; t = $7; next }
/^  text / {
	i = index($0, "\"")
	s = substr($0, i + 1, length($0) - i - 1)
	gsub(/\\"/, "\"", s)
	gsub(/\\\\/, "\\", s)
	kind = "body"
	if (p > 1 && $3 == "9.00" && $5 > t + 0.01) kind = "header"
	if (p > 1 && $3 == "9.00" && $5 < b - 0.01) kind = "footer"
	printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p, kind, $3, $4, $5, $7, l, r, b, t, s, $2
}' "$dump" >"$tmp/boxes"

nheader=$(awk -F '\t' '$2 == "header"' "$tmp/boxes" | wc -l)
nfooter=$(awk -F '\t' '$2 == "footer"' "$tmp/boxes" | wc -l)
nbody=$(awk -F '\t' '$2 == "body"' "$tmp/boxes" | wc -l)
if [ "$nheader" -gt 0 ] && [ "$nfooter" -gt 0 ] && [ "$nbody" -gt 1000 ]; then
	pass "layout/dump has body text, running headers and footers"
else
	fail "layout/dump has body text, running headers and footers" \
		"body $nbody, header $nheader, footer $nfooter text boxes"
fi

# (b) Kinsoku: the body's text boxes grouped into lines by page and baseline;
# the leftmost box of a line must not start with a mark that may not start a
# line, the rightmost not end with one that may not end it (lb_no_line_start,
# lb_no_line_end: the marks linebreak.h lists).
LC_ALL=C awk -F '\t' '
BEGIN {
	ns = split("， 。 、 ： ； ！ ？ ） 」 』 》 〉 】 〕 ］ ｝ ” ’ … — , . ; : ! ? ) ] }", nostart, " ")
	ne = split("（ 「 『 《 〈 【 〔 ［ ｛ “ ‘ ( [ {", noend, " ")
}
$2 == "body" {
	k = $1 SUBSEP $5
	if (!(k in first) || $4 + 0 < fx[k]) { fx[k] = $4 + 0; first[k] = $11 }
	if (!(k in last) || $4 + 0 > lx[k]) { lx[k] = $4 + 0; last[k] = $11 }
}
END {
	bad = 0
	for (k in first) {
		split(k, pk, SUBSEP)
		for (i = 1; i <= ns; i++)
			if (index(first[k], nostart[i]) == 1) {
				printf "page %s, baseline %s: line starts with \"%s\"\n", pk[1], pk[2], first[k]
				bad++
			}
		for (i = 1; i <= ne; i++) {
			n = length(last[k]); m = length(noend[i])
			if (n >= m && substr(last[k], n - m + 1) == noend[i]) {
				printf "page %s, baseline %s: line ends with \"%s\"\n", pk[1], pk[2], last[k]
				bad++
			}
		}
	}
	exit bad > 0
}' "$tmp/boxes" >"$tmp/kinsoku"
if [ $? -eq 0 ]; then
	pass "layout/no line breaks against the kinsoku rules"
else
	fail "layout/no line breaks against the kinsoku rules" "$(sort -n "$tmp/kinsoku" | head -20)"
fi

# (c) Every text box of the body inside its page's text block (tolerance
# 0.01 pt): horizontally its advance, vertically its baseline.  Allowed
# outside (layout.h, linebreak.h): the blank half (half an em) of a
# full-width closing mark compressed at a line's end, of an opening one at a
# line's start.
LC_ALL=C awk -F '\t' '
BEGIN {
	nr = split("， 。 、 ： ； ！ ？ ） 」 』 》 〉 】 〕 ］ ｝ ” ’", right, " ")
	nl = split("（ 「 『 《 〈 【 〔 ［ ｛ “ ‘", left, " ")
	bad = 0
}
$2 == "body" {
	size = $3 + 0; x = $4 + 0; y = $5 + 0; w = $6 + 0
	bl = $7 + 0; br = $8 + 0; bb = $9 + 0; bt = $10 + 0; s = $11
	sl = 0; sr = 0
	for (i = 1; i <= nl; i++)
		if (index(s, left[i]) == 1) sl = size / 2
	for (i = 1; i <= nr; i++) {
		n = length(s); m = length(right[i])
		if (n >= m && substr(s, n - m + 1) == right[i]) sr = size / 2
	}
	if (x < bl - sl - 0.01 || x + w > br + sr + 0.01 || y < bb - 0.01 || y > bt + 0.01) {
		printf "page %s: \"%s\" at x %s..%.2f, baseline %s; block %s..%s x %s..%s\n",
		    $1, s, $4, x + w, $5, $7, $8, $9, $10
		bad++
	}
}
END { exit bad > 0 }' "$tmp/boxes" >"$tmp/outside"
if [ $? -eq 0 ]; then
	pass "layout/body text inside the text block"
else
	fail "layout/body text inside the text block" "$(head -20 "$tmp/outside")"
fi

# (d) The running header of a two-sided book: none on the title page and
# the contents (pages 1, 2), on every later page: the title flush with the
# block's left (outer) edge on an even page, the section flush with its
# right (outer) edge on an odd one.
LC_ALL=C awk -F '\t' '
$2 == "header" {
	p = $1 + 0
	if (!(p in lo) || $4 + 0 < lo[p]) lo[p] = $4 + 0
	if (!(p in hi) || $4 + $6 > hi[p]) hi[p] = $4 + $6
	bl[p] = $7 + 0; br[p] = $8 + 0
}
$2 == "footer" { if ($1 + 0 > last) last = $1 + 0 }
END {
	bad = 0
	for (p = 2; p <= last; p++) {
		if (p <= 2) {
			if (p in lo) { printf "page %d: a running header on the contents\n", p; bad++ }
			continue
		}
		if (!(p in lo)) { printf "page %d: no running header\n", p; bad++; continue }
		if (p % 2 == 0 && (lo[p] < bl[p] - 0.01 || lo[p] > bl[p] + 0.01 || hi[p] > (bl[p] + br[p]) / 2)) {
			printf "page %d (verso): header at x %.2f..%.2f, not at the left of %.2f..%.2f\n", p, lo[p], hi[p], bl[p], br[p]
			bad++
		}
		if (p % 2 == 1 && (hi[p] < br[p] - 0.01 || hi[p] > br[p] + 0.01 || lo[p] < (bl[p] + br[p]) / 2)) {
			printf "page %d (recto): header at x %.2f..%.2f, not at the right of %.2f..%.2f\n", p, lo[p], hi[p], bl[p], br[p]
			bad++
		}
	}
	exit bad > 0
}' "$tmp/boxes" >"$tmp/header"
if [ $? -eq 0 ]; then
	pass "layout/running header: title on versos, section on rectos, at the outer edge"
else
	fail "layout/running header: title on versos, section on rectos, at the outer edge" "$(head -20 "$tmp/header")"
fi

# (e) Numbers set in the text use the minus sign U+2212, never the
# hyphen-minus: no text box (prose, tables; figures are not text boxes here)
# holds a hyphen-minus before a digit outside a word (DALLE-2 is a name),
# nor in an exponent (1e-8).  Monospace is exempt: code and the appendix's
# config values are shown as typed.
LC_ALL=C awk -F '\t' '
$12 != "mono" {
	s = $11
	if (s ~ /(^|[^A-Za-z0-9_-])-[0-9]/ || s ~ /[0-9][eE]-[0-9]/) {
		printf "page %s: \"%s\"\n", $1, s
		bad++
	}
}
END { exit bad > 0 }' "$tmp/boxes" >"$tmp/minus"
if [ $? -eq 0 ]; then
	pass "layout/minus signs, not hyphens, before digits in the text"
else
	fail "layout/minus signs, not hyphens, before digits in the text" "$(head -20 "$tmp/minus")"
fi

# (f) Every table of the templates is referred to (@tab:label, 表 N) from
# the text, outside its own directive.
missing=$(for f in templates/[0-9]*.md; do
	sed -n 's/^::: table {#\(tab:[A-Za-z0-9_.:-]*\)}.*/\1/p' "$f"
done | while read -r label; do
	refs=$(awk -v l="@$label" '
		/^::: table / { inside = 1 }
		/^:::$/ { inside = 0; next }
		!inside && index($0, l) { n++ }
		END { print n + 0 }' templates/[0-9]*.md)
	[ "$refs" -gt 0 ] || echo "$label"
done)
ntables=$(cat templates/[0-9]*.md | grep -c '^::: table ')
if [ -z "$missing" ] && [ "$ntables" -gt 0 ]; then
	pass "layout/every table is referred to in the text ($ntables tables)"
else
	fail "layout/every table is referred to in the text" "never referred to: $missing"
fi
