#!/usr/bin/env python3
"""Dev only: OUT/png/ours-N.pgm and OUT/png/tex-N.pgm (pdftoppm -gray, same
page geometry) -> OUT/pairs/NNN-D-file-line.png: both cropped to the union
of their ink (plus a margin), stacked: ours (red stripe on the left),
xelatex (cyan stripe), then the overlay (ours red, xelatex cyan, where both
have ink black).  The baselines coincide (the origin is the same point of
both pages), so vertical differences read directly off the overlay.  Also
OUT/summary.tsv: each formula's box (width, height, depth, points) in both
and the differences.  Only the standard library: PNG written with zlib."""
import os
import re
import struct
import sys
import zlib

out = sys.argv[1]
pngdir = os.path.join(out, "png")
MARGIN = 12
STRIPE = 6
GAP = 10


def read_pgm(path):
    """Binary PGM (pdftoppm -gray): P5, width, height, maxval 255."""
    data = open(path, "rb").read()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    pix = data[m.end():]
    return w, h, [pix[y * w:(y + 1) * w] for y in range(h)]


def write_png_rgb(path, w, rows):
    raw = b"".join(b"\x00" + r for r in rows)
    def chunk(t, b):
        return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, len(rows), 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 6)))
        f.write(chunk(b"IEND", b""))


INK = re.compile(rb"[^\xff]")


def bbox(rows, w):
    """Ink bounding box (x0, y0, x1, y1), ignoring the light blue box frame
    (gray ~0xd0 and lighter): only pixels darker than 0xc0 count."""
    dark = re.compile(rb"[\x00-\xbf]")
    x0, y0, x1, y1 = w, None, -1, None
    for y, r in enumerate(rows):
        m = dark.search(r)
        if m is None:
            continue
        if y0 is None:
            y0 = y
        y1 = y
        x0 = min(x0, m.start())
        x1 = max(x1, w - 1 - dark.search(r[::-1]).start())
    return None if y0 is None else (x0, y0, x1, y1)


def rgb(gray_rows, x0, x1, tint):
    """Gray rows cropped to [x0, x1) as RGB, with a tinted stripe on the left."""
    res = []
    for r in gray_rows:
        g = r[x0:x1]
        line = bytearray(3 * len(g))
        line[0::3] = g
        line[1::3] = g
        line[2::3] = g
        res.append(bytes(tint) * STRIPE + b"\xff\xff\xff" * 4 + bytes(line))
    return res


def dims(s):
    return [float(v.rstrip("pt")) * 72 / 72.27 for v in s]  # TeX pt -> PDF points


entries = []
with open(os.path.join(out, "formulas.tsv"), encoding="utf-8") as f:
    for line in f:
        idx, kind, loc, uses, src = line.rstrip("\n").split("\t", 4)
        entries.append((int(idx), kind, loc, int(uses), src))

tex_box = {}
with open(os.path.join(out, "xelatex.log"), encoding="utf-8", errors="replace") as f:
    for line in f:
        if line.startswith("MC "):
            n, w, h, d = line[3:].strip().split(";")
            tex_box[int(n)] = dims((w, h, d))

files = os.listdir(pngdir)
def page_file(prefix, n):
    for fn in files:
        m = re.fullmatch(prefix + r"-0*(\d+)\.pgm", fn)
        if m and int(m.group(1)) == n:
            return os.path.join(pngdir, fn)
    return None

summ = open(os.path.join(out, "summary.tsv"), "w", encoding="utf-8")
summ.write("n\tkind\tlocation\tuses\tours_w\ttex_w\tdw\tours_h\ttex_h\tdh\tours_d\ttex_d\tdd\tpng\tsource\n")
for idx, kind, loc, uses, src in entries:
    po, pt = page_file("ours", idx), page_file("tex", idx)
    if po is None or pt is None:
        continue
    w, h, ro = read_pgm(po)
    w2, h2, rt = read_pgm(pt)
    assert (w, h) == (w2, h2), (po, pt)
    bo, bt = bbox(ro, w), bbox(rt, w)
    boxes = [b for b in (bo, bt) if b]
    x0 = max(0, min(b[0] for b in boxes) - MARGIN)
    y0 = max(0, min(b[1] for b in boxes) - MARGIN)
    x1 = min(w, max(b[2] for b in boxes) + MARGIN + 1)
    y1 = min(h, max(b[3] for b in boxes) + MARGIN + 1)
    co, ct = ro[y0:y1], rt[y0:y1]
    # overlay: R from xelatex, G and B from ours: ours alone red, xelatex alone cyan
    ov = []
    for a, b in zip(ct, co):
        a, b = a[x0:x1], b[x0:x1]
        line = bytearray(3 * len(a))
        line[0::3] = a
        line[1::3] = b
        line[2::3] = b
        ov.append(b"\x80\x80\x80" * STRIPE + b"\xff\xff\xff" * 4 + bytes(line))
    width = STRIPE + 4 + (x1 - x0)
    gap = [b"\xff" * (3 * width)] * GAP
    sep = [b"\xc8" * (3 * width)]
    rows = (rgb(co, x0, x1, (0xe0, 0x20, 0x20)) + gap + sep + gap +
            rgb(ct, x0, x1, (0x20, 0xc0, 0xe0)) + gap + sep + gap + ov)
    file, line_no = loc.split(":")[0:2]
    name = "%03d-%s-%s-%s.png" % (idx, kind, os.path.basename(file).split(".")[0], line_no)
    write_png_rgb(os.path.join(out, "pairs", name), width, rows)
    ours = [0.0, 0.0, 0.0]
    with open(os.path.join(out, "ours-%d.dump" % idx), encoding="utf-8") as d:
        first = d.readline().split()
        if first and first[0] == "box":
            ours = [float(v) for v in first[1:4]]
    tb = tex_box.get(idx, [0.0, 0.0, 0.0])
    cols = []
    for a, b in zip(ours, tb):
        cols += ["%.2f" % a, "%.2f" % b, "%+.2f" % (a - b)]
    summ.write("%d\t%s\t%s\t%d\t%s\t%s\t%s\n" % (idx, kind, loc, uses, "\t".join(cols), name, src))
summ.close()
