#!/usr/bin/env python3
"""Dev only: the glyphs of formula N on both sides, for measuring.

    tests/mathcompare/glyphs.py OUTDIR N [diff]

Reads page N of OUTDIR/ours.pdf and OUTDIR/xelatex.pdf with `mutool draw
-F stext` and prints, for each side, one line per glyph: x and y of its
baseline origin relative to the formula's origin (points, y up), font,
size, character.  Rules (fraction bars, rules standing in for tall
delimiters) are not text and do not show: read them from
OUTDIR/ours-N.dump (ours) or the overlay image.  With "diff": the two
lists matched glyph by glyph, only where they start to differ."""
import re
import subprocess
import sys

OX, OY = 20.0, 120.0  # mathpdf.c and mktex.py: origin 20 pt from the left, 120 pt from the top


def glyphs(pdf, n):
    xml = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", pdf, str(n)],
                         capture_output=True, text=True).stdout
    font, size, res = "?", 0.0, []
    for line in xml.splitlines():
        m = re.search(r'<font name="([^"]*)" size="([^"]*)"', line)
        if m:
            font, size = m.group(1), float(m.group(2))
            continue
        m = re.search(r'<char .*? x="([^"]*)" y="([^"]*)" .*?c="([^"]*)"', line)
        if m and m.group(3) != " ":
            c = m.group(3)
            c = re.sub(r"&#x([0-9a-fA-F]+);", lambda k: chr(int(k.group(1), 16)), c)
            c = c.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            res.append((float(m.group(1)) - OX, OY - float(m.group(2)), font, size, c))
    return res


def diff(a, b, tol=0.25):
    """Glyphs matched in drawing order by character (difflib); prints where
    the offset ours - xelatex changes by more than tol points from the
    previous matched glyph (a spacing or shift difference starts there), or
    the size differs, and the glyphs only one side has."""
    import difflib
    sm = difflib.SequenceMatcher(None, [g[4] for g in a], [g[4] for g in b], autojunk=False)
    pdx = pdy = None
    print("     ours x,y       xelatex x,y      dx     dy   size o/x   char  (dx, dy: ours - xelatex)")
    for op, i0, i1, j0, j1 in sm.get_opcodes():
        if op == "equal":
            for i, j in zip(range(i0, i1), range(j0, j1)):
                ga, gb = a[i], b[j]
                dx, dy = ga[0] - gb[0], ga[1] - gb[1]
                mark = []
                if pdx is None or abs(dx - pdx) > tol:
                    mark.append("dx")
                if pdy is None or abs(dy - pdy) > tol:
                    mark.append("dy")
                if abs(ga[3] - gb[3]) > 0.05:
                    mark.append("size")
                if mark:
                    print("%7.2f %7.2f  %7.2f %7.2f  %+6.2f %+6.2f  %5.2f/%5.2f  %s  %s" % (
                        ga[0], ga[1], gb[0], gb[1], dx, dy, ga[3], gb[3], ga[4], ",".join(mark)))
                pdx, pdy = dx, dy
        else:
            for g in a[i0:i1]:
                print("%7.2f %7.2f  %15s  only ours:    %5.2f %s %s" % (g[0], g[1], "", g[3], g[4], g[2]))
            for g in b[j0:j1]:
                print("%15s  %7.2f %7.2f  only xelatex: %5.2f %s %s" % ("", g[0], g[1], g[3], g[4], g[2]))


out, n = sys.argv[1], int(sys.argv[2])
if len(sys.argv) > 3 and sys.argv[3] == "diff":
    diff(glyphs("%s/ours.pdf" % out, n), glyphs("%s/xelatex.pdf" % out, n))
    sys.exit(0)
for side, pdf in (("ours", "ours.pdf"), ("xelatex", "xelatex.pdf")):
    print("== %s" % side)
    for x, y, font, size, c in glyphs("%s/%s" % (out, pdf), n):
        print("%8.2f %8.2f  %-28s %5.2f  %s" % (x, y, font[:28], size, c))
