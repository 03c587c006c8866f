/* mathfont: reading the OpenType MATH table (see mathfont.h).
 *
 * Layout of the parts read here (OpenType 1.9, "MATH — The Mathematical
 * Typesetting Table"); all offsets are from the start of the structure
 * that holds them, all numbers big-endian:
 *   MATH header: version u32, MathConstants, MathGlyphInfo, MathVariants
 *     (Offset16 each)
 *   MathConstants: 4 x int16/uint16 (the two script scale percentages,
 *     DelimitedSubFormulaMinHeight, DisplayOperatorMinHeight), then
 *     MathValueRecords {int16 value, Offset16 device} from MathLeading,
 *     AxisHeight, ...
 *   MathGlyphInfo: Offset16 MathItalicsCorrectionInfo, ... ;
 *     MathItalicsCorrectionInfo: Offset16 Coverage, uint16 count,
 *     MathValueRecord[count]
 *   MathVariants: uint16 minConnectorOverlap, Offset16 vertCoverage,
 *     Offset16 horizCoverage, uint16 vertCount, uint16 horizCount,
 *     Offset16 vertConstruction[vertCount], Offset16 horiz...[]
 *   MathGlyphConstruction: Offset16 GlyphAssembly, uint16 variantCount,
 *     {uint16 glyph, uint16 advanceMeasurement}[variantCount]
 *   GlyphAssembly: MathValueRecord italicsCorrection, uint16 partCount,
 *     {glyph, startConnectorLength, endConnectorLength, fullAdvance,
 *     partFlags (bit 0: extender)}[partCount], each uint16
 *   Coverage format 1: uint16 count, uint16 glyphs[count] (sorted);
 *     format 2: uint16 count, {start, end, startCoverageIndex}[count]
 * A read outside the table yields "absent" (the `ok` flag of struct rd). */
#include "mathfont.h"

#include <stdint.h>
#include <string.h>

/* A bounds-checked view: every read past `len` clears ok and yields 0. */
struct rd {
	const unsigned char *p;
	size_t len;
	bool ok;
};

static unsigned
u16(struct rd *r, size_t off)
{
	if (off > r->len || r->len - off < 2) {
		r->ok = false;
		return 0;
	}
	return (unsigned)r->p[off] << 8 | r->p[off + 1];
}

static int
s16(struct rd *r, size_t off)
{
	unsigned v = u16(r, off);
	return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}

static uint32_t
u32(struct rd *r, size_t off)
{
	return (uint32_t)u16(r, off) << 16 | u16(r, off + 2);
}

/* The table directory entry `tag` of the sfnt at `base` in the file. */
static bool
find_table(struct rd *file, size_t base, const char *tag, size_t *off, size_t *len)
{
	unsigned n = u16(file, base + 4);
	for (unsigned i = 0; i < n && file->ok; i++) {
		size_t rec = base + 12 + 16 * (size_t)i;
		if (rec + 4 > file->len)
			return false;
		if (memcmp(file->p + rec, tag, 4) != 0)
			continue;
		uint32_t o = u32(file, rec + 8), l = u32(file, rec + 12);
		if (!file->ok || o > file->len || file->len - o < l)
			return false;
		*off = o;
		*len = l;
		return true;
	}
	return false;
}

bool
mathfont_open(struct mathfont *mf, const unsigned char *data, size_t size, unsigned index)
{
	struct rd file = {data, data ? size : 0, true};
	size_t base = 0, off = 0, len = 0;

	mf->math = NULL;
	mf->len = 0;
	mf->units_per_em = 1000;
	if (file.len >= 4 && memcmp(data, "ttcf", 4) == 0) {
		if (index >= u32(&file, 8))
			return false;
		base = u32(&file, 12 + 4 * (size_t)index);
	}
	if (!file.ok)
		return false;
	if (find_table(&file, base, "head", &off, &len)) {
		struct rd head = {data + off, len, true};
		unsigned upm = u16(&head, 18);
		if (head.ok && upm >= 16 && upm <= 16384)
			mf->units_per_em = upm;
	}
	if (!find_table(&file, base, "MATH", &off, &len) || len < 10)
		return false;
	struct rd math = {data + off, len, true};
	if (u16(&math, 0) != 1) /* major version */
		return false;
	mf->math = data + off;
	mf->len = len;
	return true;
}

static struct rd
view(const struct mathfont *mf)
{
	return (struct rd){mf->math, mf->math ? mf->len : 0, mf->math != NULL};
}

/* The coverage index of gid in the Coverage table at `off`, or -1. */
static long
coverage_index(struct rd *r, size_t off, unsigned gid)
{
	unsigned format = u16(r, off), n = u16(r, off + 2);
	if (!r->ok)
		return -1;
	if (format == 1) {
		size_t lo = 0, hi = n; /* binary search: the glyphs are sorted */
		while (lo < hi && r->ok) {
			size_t mid = lo + (hi - lo) / 2;
			unsigned g = u16(r, off + 4 + 2 * mid);
			if (g == gid)
				return r->ok ? (long)mid : -1;
			if (g < gid)
				lo = mid + 1;
			else
				hi = mid;
		}
	} else if (format == 2) {
		for (unsigned i = 0; i < n && r->ok; i++) {
			size_t rec = off + 4 + 6 * (size_t)i;
			unsigned start = u16(r, rec), end = u16(r, rec + 2), first = u16(r, rec + 4);
			if (r->ok && gid >= start && gid <= end)
				return (long)first + (long)(gid - start);
		}
	}
	return -1;
}

int
mathfont_constant(const struct mathfont *mf, enum mathfont_constant c, int fallback)
{
	struct rd r = view(mf);
	size_t consts = u16(&r, 4), field;
	switch (c) {
	case MATHFONT_DELIMITED_SUB_FORMULA_MIN_HEIGHT:
		field = 4;
		break;
	case MATHFONT_DISPLAY_OPERATOR_MIN_HEIGHT:
		field = 6;
		break;
	case MATHFONT_AXIS_HEIGHT:
		field = 8 + 4; /* the second MathValueRecord */
		break;
	default:
		return fallback;
	}
	if (!r.ok || consts == 0)
		return fallback;
	int v = c == MATHFONT_AXIS_HEIGHT ? s16(&r, consts + field) : (int)u16(&r, consts + field);
	return r.ok ? v : fallback;
}

bool
mathfont_italic(const struct mathfont *mf, unsigned gid, int *value)
{
	struct rd r = view(mf);
	*value = 0;
	size_t info = u16(&r, 6);
	if (!r.ok || info == 0)
		return false;
	size_t ic = u16(&r, info);
	if (!r.ok || ic == 0)
		return false;
	ic += info;
	size_t cov = u16(&r, ic);
	unsigned n = u16(&r, ic + 2);
	long k = cov ? coverage_index(&r, ic + cov, gid) : -1;
	if (!r.ok || k < 0 || (unsigned long)k >= n)
		return false;
	int v = s16(&r, ic + 4 + 4 * (size_t)k);
	if (!r.ok)
		return false;
	*value = v;
	return true;
}

/* Offset (from the table start) of gid's vertical MathGlyphConstruction, or 0. */
static size_t
vert_construction(struct rd *r, unsigned gid)
{
	size_t var = u16(r, 8);
	if (!r->ok || var == 0)
		return 0;
	size_t cov = u16(r, var + 2);
	unsigned n = u16(r, var + 6);
	long k = cov ? coverage_index(r, var + cov, gid) : -1;
	if (!r->ok || k < 0 || (unsigned long)k >= n)
		return 0;
	size_t c = u16(r, var + 10 + 2 * (size_t)k);
	return r->ok && c != 0 ? var + c : 0;
}

unsigned
mathfont_min_connector_overlap(const struct mathfont *mf)
{
	struct rd r = view(mf);
	size_t var = u16(&r, 8);
	unsigned v = var ? u16(&r, var) : 0;
	return r.ok ? v : 0;
}

size_t
mathfont_vert_variants(const struct mathfont *mf, unsigned gid, struct mathfont_variant *out,
    size_t max)
{
	struct rd r = view(mf);
	size_t c = vert_construction(&r, gid);
	if (c == 0)
		return 0;
	unsigned n = u16(&r, c + 2);
	if (!r.ok || c + 4 + 4 * (size_t)n > r.len)
		return 0; /* the records must all be there */
	for (size_t i = 0; i < n && i < max; i++) {
		out[i].gid = u16(&r, c + 4 + 4 * i);
		out[i].advance = u16(&r, c + 6 + 4 * i);
	}
	return n;
}

size_t
mathfont_vert_assembly(const struct mathfont *mf, unsigned gid, struct mathfont_part *out,
    size_t max, int *italic)
{
	struct rd r = view(mf);
	if (italic != NULL)
		*italic = 0;
	size_t c = vert_construction(&r, gid);
	size_t a = c ? u16(&r, c) : 0;
	if (!r.ok || a == 0)
		return 0;
	a += c;
	int ic = s16(&r, a);
	unsigned n = u16(&r, a + 4);
	if (!r.ok || a + 6 + 10 * (size_t)n > r.len)
		return 0;
	for (size_t i = 0; i < n && i < max; i++) {
		size_t p = a + 6 + 10 * i;
		out[i].gid = u16(&r, p);
		out[i].start_connector = u16(&r, p + 2);
		out[i].end_connector = u16(&r, p + 4);
		out[i].full_advance = u16(&r, p + 6);
		out[i].extender = (u16(&r, p + 8) & 1) != 0;
	}
	if (italic != NULL)
		*italic = ic;
	return n;
}
