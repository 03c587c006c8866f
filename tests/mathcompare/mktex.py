#!/usr/bin/env python3
"""Dev only: formulas.tsv (from mathpdf) -> a xelatex file, one formula per
page, its box's origin at the point mathpdf.c uses (20 pt from the left,
120 pt from the bottom of a 720 x 240 pt page), the box outlined by a light
blue hairline as mathpdf draws ours.  Display formulas in \\displaystyle,
an aligned one as amsmath's aligned (already our syntax); inline ones in
\\textstyle.  The fonts are the handout's: FreeSerif (text, digits,
upright letters and operators), FreeSerif Italic (variables), DejaVu Math
TeX Gyre (everything else and all the math parameters), AR PL UMing
(\\text Chinese).  Each box's width, height and depth go to the log as
"MC N W H D"."""
import os
import re
import sys

tsv, out = sys.argv[1], sys.argv[2]

PRE = r"""\documentclass{article}
\usepackage[paperwidth=720bp,paperheight=240bp,margin=0pt]{geometry}
\usepackage{amsmath}
\usepackage{xcolor}
\usepackage{fontspec}
\usepackage{unicode-math}
\usepackage{xeCJK}
\setmainfont{FreeSerif}[Path=/usr/share/fonts/truetype/freefont/, Extension=.ttf,
  UprightFont=*, ItalicFont=*Italic, BoldFont=*Bold, BoldItalicFont=*BoldItalic]
\setCJKmainfont{uming.ttc}[Path=/usr/share/fonts/truetype/arphic/, FontIndex=0]
@MAINMATH@
% variables from FreeSerif Italic, as texmath's MATH_ITALIC
\setmathfont{FreeSerifItalic.ttf}[Path=/usr/share/fonts/truetype/freefont/,
  range={it/{latin,Latin,greek}->up}]
% digits, upright letters, ( ) [ ] and the operators and relations from
% FreeSerif, as texmath's MATH_ROMAN and MATH_SYMBOL (whose first choice is
% FreeSerif; only | comes from DejaVu Math, and ∫ stays DejaVu Math's here
% so that TeX can choose its display size); FreeSerif has no MATH table, so \left ... \right
% take their delimiters from DejaVu Math (\Udelcode below), as texmath's
% grown delimiters come from the math face
\setmathfont{FreeSerif.ttf}[Path=/usr/share/fonts/truetype/freefont/,
  range={up/{latin,Latin,num,Greek},"28,"29,"5B,"5D,"2B,"3D,"2C,"3B,"2F,"2212,
    "2016,"2217,"223C,"2264,"2265,"2299,"22C5,"D7,"3C,"3E,"2190,"2192}]
\pagestyle{empty}
\parindent=0pt \topskip=0pt \parskip=0pt
\fboxsep=0pt \fboxrule=0.1pt
\newcount\mc
\newcommand\place{%
  \global\advance\mc 1
  \typeout{MC \the\mc;\the\wd0;\the\ht0;\the\dp0}%
  \noindent\rlap{\hspace*{20bp}\raisebox{-120bp}[0pt][0pt]{%
    \rlap{\hspace*{-0.1pt}\color[rgb]{0.55,0.75,1}%
      \fbox{\vrule width0pt height\ht0 depth\dp0\hskip\wd0}}%
    \copy0}}\par\clearpage}
\begin{document}
\Udelcode"28=\symoperators"28 \Udelcode"29=\symoperators"29
\Udelcode"5B=\symoperators"5B \Udelcode"5D=\symoperators"5D
% the handout's body size, 10.5 PDF points (bp), not 10.5 TeX pt
\fontsize{10.5bp}{16.8bp}\selectfont
"""

# MATHREF=lm: Latin Modern Math (Computer Modern's parameters, which texmath
# uses) instead of DejaVu Math for the math parameters and the other glyphs
MAINMATH = {
    "": r"\setmathfont{DejaVuMathTeXGyre.ttf}[Path=/usr/share/fonts/truetype/dejavu/]",
    "dejavu": r"\setmathfont{DejaVuMathTeXGyre.ttf}[Path=/usr/share/fonts/truetype/dejavu/]",
    "lm": r"\setmathfont{latinmodern-math.otf}",
}[os.environ.get("MATHREF", "")]

with open(tsv, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as o:
    o.write(PRE.replace("@MAINMATH@", MAINMATH))
    for line in f:
        idx, kind, loc, uses, src = line.rstrip("\n").split("\t", 4)
        # undo mathpdf's escapes: \\n newline, \\t tab, \\\\ backslash
        s, i, r = src, 0, []
        while i < len(s):
            if s[i] == "\\" and i + 1 < len(s) and s[i + 1] in "nt\\":
                r.append({"n": "\n", "t": "\t", "\\": "\\"}[s[i + 1]])
                i += 2
            else:
                r.append(s[i])
                i += 1
        tex = "".join(r)
        # the ASCII - and * as U+2212 and U+2217 (outside \text{...}), so that the
        # FreeSerif range above applies to it: unicode-math otherwise takes
        # the main font's glyphs
        parts = re.split(r"(\\text\{[^}]*\})", tex)
        tex = "".join(p if p.startswith("\\text{") else p.replace("-", "\u2212").replace("*", "\u2217") for p in parts)
        style = r"\displaystyle" if kind == "D" else r"\textstyle"
        o.write("%% %s %s %s\n\\setbox0=\\hbox{$%s %s$}\\place\n" % (idx, kind, loc, style, tex))
    o.write("\\end{document}\n")
