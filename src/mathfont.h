/* mathfont: the OpenType MATH table of a font file, read in place.
 *
 * A math font (DejaVu Math TeX Gyre) carries, besides its cmap'd glyphs,
 * the data a TeX-like engine needs to set large operators and delimiters:
 * constants (DisplayOperatorMinHeight, AxisHeight, ...), per-glyph italic
 * corrections, and for a glyph its larger designed forms ("vertical
 * variants", glyphs without a code point: integral -> integral.v1 ...) and
 * a recipe for building it from pieces ("glyph assembly").
 *
 * Everything is read from the font's bytes on demand, every offset and
 * count checked against the table's length: a truncated or malformed table
 * gives "not present" answers, never a read out of bounds.  Values are in
 * font design units (struct mathfont.units_per_em).  No allocation; the
 * caller keeps the bytes alive as long as the struct is used. */
#ifndef HANDOUT_MATHFONT_H
#define HANDOUT_MATHFONT_H

#include <stdbool.h>
#include <stddef.h>

struct mathfont {
	const unsigned char *math; /* the MATH table, NULL when absent */
	size_t len;
	unsigned units_per_em;     /* from 'head' */
};

/* Finds the MATH table of face `index` of the font file data[0..size) (a
 * TrueType/OpenType file, or face `index` of a 'ttcf' collection).  False,
 * with mf->math NULL, when the file has no (usable) MATH table. */
bool mathfont_open(struct mathfont *mf, const unsigned char *data, size_t size, unsigned index);

/* The MathConstants this project uses (OpenType names). */
enum mathfont_constant {
	MATHFONT_DELIMITED_SUB_FORMULA_MIN_HEIGHT,
	MATHFONT_DISPLAY_OPERATOR_MIN_HEIGHT,
	MATHFONT_AXIS_HEIGHT,
	MATHFONT_CONSTANT_COUNT
};

/* The constant in design units, or `fallback` when the table lacks it. */
int mathfont_constant(const struct mathfont *mf, enum mathfont_constant c, int fallback);

/* The italic correction of glyph `gid` (MathItalicsCorrectionInfo) in
 * design units; false (and *value 0) when the table gives none. */
bool mathfont_italic(const struct mathfont *mf, unsigned gid, int *value);

/* One larger form of a glyph: its glyph id and its height + depth in the
 * growth direction (AdvanceMeasurement), design units. */
struct mathfont_variant {
	unsigned gid;
	unsigned advance;
};

/* The vertical variants of glyph `gid`, smallest first (the first is
 * usually the glyph itself): writes up to `max` to out and returns how many
 * the font lists (which may exceed max); 0 when it lists none. */
size_t mathfont_vert_variants(const struct mathfont *mf, unsigned gid,
    struct mathfont_variant *out, size_t max);

/* One piece of a glyph assembly, bottom to top. */
struct mathfont_part {
	unsigned gid;
	unsigned start_connector, end_connector; /* overlap allowances */
	unsigned full_advance;                   /* the part's height */
	bool extender;                           /* may be repeated */
};

/* The vertical glyph assembly of glyph `gid`: writes up to `max` parts to
 * out, sets *italic to the assembly's italic correction (may be NULL), and
 * returns how many parts it has; 0 when it has none. */
size_t mathfont_vert_assembly(const struct mathfont *mf, unsigned gid,
    struct mathfont_part *out, size_t max, int *italic);

/* MathVariants.minConnectorOverlap, 0 when absent. */
unsigned mathfont_min_connector_overlap(const struct mathfont *mf);

#endif
