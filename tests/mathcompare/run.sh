#!/bin/sh
# Dev only (make mathcompare): every formula of templates/*.md set by our
# texmath (through the handout's own PDF back end, tests/mathcompare/mathpdf.c)
# and by xelatex with the same fonts, rendered at 150 dpi, written side by
# side to OUTDIR.  See tests/mathcompare/README.md.
#
#   tests/mathcompare/run.sh MATHPDF OUTDIR [CONFIG [TEMPLATES]]
set -eu

MATHPDF=$1
OUT=$2
CONFIG=${3:-report.conf}
TEMPLATES=${4:-templates}
DPI=${DPI:-150}
HERE=$(dirname "$0")

missing=""
command -v xelatex >/dev/null 2>&1 || missing="$missing texlive-xetex texlive-latex-extra texlive-lang-chinese"
command -v mutool >/dev/null 2>&1 || missing="$missing mupdf-tools"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
if [ -n "$missing" ]; then
	echo "mathcompare: a dev-only tool, it needs:$missing"
	echo "  sudo apt-get install$missing"
	echo "(never needed by make report or make test)"
	exit 1
fi

rm -rf "$OUT"
mkdir -p "$OUT/png" "$OUT/pairs"

# 1. our side: formulas.tsv, ours.pdf (one formula per page), ours-N.dump
"$MATHPDF" "$CONFIG" "$TEMPLATES" "$OUT"

# 2. xelatex's side: the same formulas at the same point of same-size pages
python3 "$HERE/mktex.py" "$OUT/formulas.tsv" "$OUT/xelatex.tex"
(cd "$OUT" && xelatex -interaction=nonstopmode -halt-on-error xelatex.tex >xelatex.out 2>&1) || {
	echo "mathcompare: xelatex failed, see $OUT/xelatex.log"
	grep -A3 '^!' "$OUT/xelatex.log" | head -20
	exit 1
}

# 3. both at $DPI, cropped to the union of their ink, stacked:
#    ours (top), xelatex (middle), overlay (bottom: ours red, xelatex cyan,
#    both black)
pdftoppm -r "$DPI" -gray "$OUT/ours.pdf" "$OUT/png/ours"
pdftoppm -r "$DPI" -gray "$OUT/xelatex.pdf" "$OUT/png/tex"
python3 "$HERE/pairs.py" "$OUT"
echo "mathcompare: $(ls "$OUT/pairs" | wc -l) pairs in $OUT/pairs/, measures in $OUT/summary.tsv"
