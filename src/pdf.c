/* pdf: the document API over libharu 2.3.0 (see pdf.h).
 *
 * Error handling.  libharu reports errors through the handler given to
 * HPDF_New.  Ours records the codes and longjmps to the one setjmp in this
 * file, in guarded(): every libharu call is made from an "op" run by
 * guarded(), so the jump always lands in a live frame, and an op owns no
 * memory of its own (anything it allocates hangs off the document and is
 * released by guarded() or pdf_free), so the jump leaks nothing.  Errors
 * libharu records without calling the handler (its internal functions, which
 * the font repairs use) are caught by checking HPDF_GetError after each op.
 *
 * Fonts.  Every role is a TrueType font loaded with HPDF_UseUTFEncodings and
 * the "UTF-8" encoder: a Type0 font, Identity-H, CID = Unicode code point
 * (BMP only; a code point beyond it, or a glyph without a code point such as
 * a math font's larger ∫, is drawn as a private-use "slot", see "Code points
 * beyond the BMP").  The HPDF_Font object is created on first
 * draw, so a role that draws nothing does not end up in the file; a font
 * libharu has already loaded once in the process is only loaded on first use
 * (font_proven, ensure_face).  Before saving, the four defects of libharu
 * 2.3.0 measured in ../shared/notes/libharu-2.3.0.md are repaired for each
 * embedded font, and the font program is a subset of the used glyphs written
 * here; see op_repair(), the fix_* functions and embed_font_program() for
 * what each step is for and how it is checked (tests/check-pdf.sh).
 *
 * Speed.  libharu's own font handling does per-code-point work over the
 * whole BMP and per-field file reads; the places that avoid it say so:
 * map_stream_new (fonts are read from a mapping), face_font (no BMP-wide
 * loop when the Type0 font is made), run_width (widths summed here),
 * embed_font_program (the program has the used glyphs only).  A whole run
 * went from 0.65 s to under 0.2 s, with renderings unchanged.
 *
 * Vector graphics (figures).  Thin wrappers over the page operators, with a
 * cache of the graphics state (struct gcache) so that repeated settings cost
 * nothing, and one ExtGState per distinct alpha pair for the document.
 */
#include "pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>
/* libharu's internal structures (installed by libhpdf-dev), needed for the
 * repairs: the font definition's glyph table, the font's CMap, W and
 * CIDToGIDMap objects, and the embedded font stream. */
#include <hpdf_conf.h>
#include <hpdf_doc.h>
#include <hpdf_encoder.h>
#include <hpdf_error.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_mmgr.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "atomicfile.h"
#include "diag.h"
#include "mathfont.h"
#include "util.h"

#define BMP_SIZE 65536u

/* glyph_state values per code point */
enum { GLYPH_UNKNOWN, GLYPH_PRESENT, GLYPH_ABSENT };

/* A private-use code point drawn as glyph `gid` of face `face`, extracting
 * as `base` (the code point of the glyph it is a form of). */
struct glyph_slot {
	uint16_t slot;
	int face;
	uint16_t gid;
	uint32_t base;
};

/* One font file (several roles may share one). */
struct face {
	char *path;           /* the file */
	unsigned index;       /* face in a collection */
	bool collection;      /* a .ttc (loaded with HPDF_TTFontDef_Load2) */
	const char *key;      /* config key of the first role that uses it */
	char *context;        /* "loading KEY from 'SPEC'", for messages */
	const char *name;     /* libharu's font name, owned by libharu */
	HPDF_FontDef def;     /* owned by libharu; NULL until loaded (ensure_face) */
	HPDF_Font font;       /* NULL until first use; owned by libharu */
	const unsigned char *data; /* the whole file, mapped (map_stream_new); */
	size_t size;          /* owned by def's stream, unmapped by HPDF_Free */
	unsigned char *glyph; /* BMP_SIZE glyph_state values, lazily */
	HPDF_INT16 *width;    /* BMP_SIZE advances of present glyphs (face_has) */
	unsigned char *used;  /* bitmap of BMP code points shown or measured
	                       * (astral ones as their slots, see below) */
	/* the font's Unicode cmap subtable for code points beyond the BMP
	 * (format 12), which libharu does not read; NULL when it has none */
	const unsigned char *cmap12;
	uint32_t cmap12_groups;
	bool cmap12_looked;
	/* the OpenType MATH table (mathfont.h), read on first use */
	struct mathfont math;
	bool math_looked;
	bool repaired;
};

/* The graphics state as last set through this module, so that the vector
 * functions emit an operator only when a value changes (a scatter plot sets
 * the same colour thousands of times).  `known` has a GS_* bit per field.
 * Every op that sets state goes through the gs_* helpers, which keep this
 * right; q/Q push and pop it (gs_save, gs_restore); each page keeps its own
 * (switch_page).  Values are compared as written (after clamping), so a
 * change of the transformation (cm) does not invalidate them. */
enum { GS_FILL = 1, GS_STROKE = 2, GS_ALPHA = 4, GS_WIDTH = 8, GS_CAP = 16, GS_JOIN = 32,
	GS_DASH = 64 };

#define DASH_MAX 8 /* libharu's dash_mode.ptn[8] */

struct gcache {
	unsigned known;
	HPDF_REAL fill[3], stroke[3];
	int fill_alpha, stroke_alpha; /* in ALPHA_STEPS */
	HPDF_REAL width;
	int cap, join;
	HPDF_UINT16 dash[DASH_MAX];
	int ndash;
	HPDF_UINT phase;
};

#define ALPHA_STEPS 10000

/* One ExtGState per distinct (fill, stroke) alpha pair, shared by all pages. */
struct alpha_gs {
	int fill, stroke; /* in ALPHA_STEPS */
	HPDF_ExtGState gs;
};

/* One run of text in a single face, NUL-terminated in doc->runbuf. */
struct run {
	int face;
	size_t off, len;
	HPDF_UINT width; /* advance in 1/1000 em (run_width) */
};

struct pdf_doc {
	HPDF_Doc hpdf;
	jmp_buf jmp;
	bool armed;    /* guarded() is running: the handler may longjmp */
	bool reported; /* the current op already emitted its diagnostic */
	const char *context; /* set by the running op: says what failed instead */
	bool failed;
	HPDF_STATUS error_no, detail_no;

	double width, height;
	struct face faces[PDF_FONT_ROLE_COUNT];
	int nfaces;
	int role_face[PDF_FONT_ROLE_COUNT];
	int latin_face[PDF_FONT_ROLE_COUNT]; /* -1: none (pdf_set_latin_font) */

	HPDF_Page *pages;
	struct gcache *page_gs; /* each page's state when another became current */
	int npages, cap_pages, cur;

	/* the current page's graphics state stack as this module set it */
	struct gcache gs[HPDF_LIMIT_MAX_GSTATE + 1];
	int gs_depth;
	struct alpha_gs *alphas;
	size_t nalphas, cap_alphas;

	/* text shaping buffers, reused by every call */
	char *runbuf;
	size_t runbuf_len, runbuf_cap;
	struct run *runs;
	size_t nruns, cap_runs;
	unsigned char warned[BMP_SIZE / 8]; /* missing-glyph warnings given */

	/* face_font's cmap swap, to undo should libharu fail inside it */
	struct face *cmap_swapped;
	HPDF_TTF_CmapRange cmap_saved;

	/* owned by the running op, released by guarded() */
	void *scratch[12];

	struct pdf_links *links; /* destinations and bookmarks, from the first one */

	int spans;     /* marked-content sequences open (pdf_begin_actual_text) */
	int span_page; /* the page they are open on */

	/* Code points beyond the BMP (𝔼 U+1D53C) and the private-use BMP code
	 * point standing in for each (its "slot"), in order of first use; see
	 * astral_slot(). */
	uint32_t *astral;
	uint16_t *slots;
	size_t nastral, cap_astral;
	uint32_t next_slot; /* the next private-use code point to try */
	/* Glyph slots: private-use code points standing for a glyph without a
	 * code point (a math font's larger variants); see glyph_slot(). */
	struct glyph_slot *gslots;
	size_t ngslots, cap_gslots;
};

struct pdf_links;
static void links_free(struct pdf_links *l);

static const char *const role_keys[PDF_FONT_ROLE_COUNT] = {
	[PDF_FONT_CJK_SERIF] = "fonts.cjk_serif",
	[PDF_FONT_CJK_SANS] = "fonts.cjk_sans",
	[PDF_FONT_LATIN_SERIF] = "fonts.latin_serif",
	[PDF_FONT_SYMBOL] = "fonts.symbol",
	[PDF_FONT_MONO] = "fonts.mono",
	[PDF_FONT_LATIN_ITALIC] = "fonts.latin_italic",
	[PDF_FONT_LATIN_BOLD] = "fonts.latin_bold",
	[PDF_FONT_LATIN_BOLD_ITALIC] = "fonts.latin_bold_italic",
	[PDF_FONT_MATH] = "fonts.math",
};

/* After the role's own font, code points are looked up in this order: the
 * DejaVu faces first, whose marks and symbols (✓ ✗ → ∑) are drawn for Latin
 * text, rather than the full-width forms of the CJK fonts.  Sans text (the
 * cjk_sans role: headings, figure labels) tries the sans DejaVu face first,
 * so that "10⁻²" in a label does not mix a serif ⁻ into sans digits. */
static const enum pdf_font_role fallback_order[PDF_FONT_ROLE_COUNT] = {
	PDF_FONT_LATIN_SERIF, PDF_FONT_SYMBOL, PDF_FONT_MATH, PDF_FONT_CJK_SERIF, PDF_FONT_CJK_SANS,
	PDF_FONT_MONO, PDF_FONT_LATIN_ITALIC, PDF_FONT_LATIN_BOLD, PDF_FONT_LATIN_BOLD_ITALIC,
};
static const enum pdf_font_role sans_fallback_order[PDF_FONT_ROLE_COUNT] = {
	PDF_FONT_SYMBOL, PDF_FONT_LATIN_SERIF, PDF_FONT_MATH, PDF_FONT_CJK_SANS, PDF_FONT_CJK_SERIF,
	PDF_FONT_MONO, PDF_FONT_LATIN_ITALIC, PDF_FONT_LATIN_BOLD, PDF_FONT_LATIN_BOLD_ITALIC,
};

/* Stand-ins for code points no font has (checked only then). */
static const struct {
	uint32_t from, to;
} substitutes[] = {
	{0x274C, 0x2717}, /* ❌ cross mark -> ✗ ballot x */
	{0x2705, 0x2713}, /* ✅ white heavy check mark -> ✓ check mark */
	{0x2714, 0x2713}, /* ✔ heavy check mark -> ✓ */
	{0x2716, 0x2717}, /* ✖ heavy multiplication x -> ✗ */
};

/* ------------------------------------------------------------ errors */

static const struct {
	HPDF_STATUS code;
	const char *text;
} hpdf_messages[] = {
	{HPDF_FAILD_TO_ALLOC_MEM, "out of memory"},
	{HPDF_FILE_IO_ERROR, "file input/output error"},
	{HPDF_FILE_OPEN_ERROR, "cannot open the file"},
	{HPDF_INVALID_DOCUMENT, "the document is unusable after an earlier error"},
	{HPDF_INVALID_ENCODING_NAME, "unknown encoding (UTF-8 needs HPDF_UseUTFEncodings)"},
	{HPDF_INVALID_FONTDEF_DATA, "the font has no usable glyphs"},
	{HPDF_INVALID_PARAMETER, "invalid parameter"},
	{HPDF_INVALID_TTC_FILE, "not a TrueType collection"},
	{HPDF_INVALID_TTC_INDEX, "face index out of range for this TrueType collection"},
	{HPDF_PAGE_CANNOT_RESTORE_GSTATE, "graphics state restored more often than saved"},
	{HPDF_PAGE_INVALID_FONT, "invalid font"},
	{HPDF_PAGE_INVALID_FONT_SIZE, "invalid font size"},
	{HPDF_PAGE_INVALID_GMODE, "drawing operator in the wrong mode (text outside BeginText/EndText)"},
	{HPDF_PAGE_INVALID_SIZE, "invalid page size"},
	{HPDF_PAGE_OUT_OF_RANGE, "page size out of range"},
	{HPDF_REAL_OUT_OF_RANGE, "number out of range"},
	{HPDF_STRING_OUT_OF_RANGE, "text string longer than 65,535 bytes"},
	{HPDF_TTF_CANNOT_EMBEDDING_FONT, "the font's licence forbids embedding"},
	{HPDF_TTF_INVALID_CMAP, "the font has no usable Unicode cmap"},
	{HPDF_TTF_INVALID_FOMAT, "not a valid TrueType font"},
	{HPDF_TTF_MISSING_TABLE,
	    "a TrueType table is missing: CFF-based .otf fonts are not supported, "
	    "use a TrueType .ttf or .ttc"},
	{HPDF_UNSUPPORTED_FONT_TYPE, "unsupported font type"},
	{HPDF_ZLIB_ERROR, "compression failed"},
	{HPDF_EXCEED_GSTATE_LIMIT, "graphics states nested too deeply (at most 28)"},
	{HPDF_PAGE_INVALID_PARAM_COUNT, "invalid number of parameters (dash pattern)"},
	{HPDF_DICT_ITEM_UNEXPECTED_TYPE, "unexpected object type inside the document"},
	{HPDF_INVALID_OBJECT, "invalid object inside the document"},
};

static const char *
hpdf_message(HPDF_STATUS code)
{
	for (size_t i = 0; i < ARRAY_LEN(hpdf_messages); i++)
		if (hpdf_messages[i].code == code)
			return hpdf_messages[i].text;
	return NULL;
}

static void
on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	struct pdf_doc *doc = user_data;
	doc->error_no = error_no;
	doc->detail_no = detail_no;
	if (doc->armed)
		longjmp(doc->jmp, 1);
	/* Outside guarded() (never in practice): libharu returns the error. */
}

static void
release_scratch(struct pdf_doc *doc)
{
	for (size_t i = 0; i < ARRAY_LEN(doc->scratch); i++) {
		free(doc->scratch[i]);
		doc->scratch[i] = NULL;
	}
}

/* For ops: leaves the op after its own diagnostic was emitted. */
static _Noreturn void
op_abort(struct pdf_doc *doc)
{
	doc->reported = true;
	longjmp(doc->jmp, 2);
}

typedef void (*pdf_op)(struct pdf_doc *doc, void *arg);

/* The single setjmp boundary: runs op(doc, arg); on any libharu error emits
 * DIAG_PDF_LIBRARY with `context`, marks the document failed and returns
 * false. */
static bool
guarded(struct pdf_doc *doc, const char *context, pdf_op op, void *arg)
{
	if (doc == NULL || doc->failed)
		return false;
	doc->reported = false;
	doc->context = NULL;
	doc->error_no = HPDF_OK;
	if (setjmp(doc->jmp) == 0) {
		doc->armed = true;
		op(doc, arg);
		doc->armed = false;
		HPDF_STATUS st = HPDF_GetError(doc->hpdf);
		if (st == HPDF_OK) {
			release_scratch(doc);
			return true;
		}
		doc->error_no = st;
		doc->detail_no = HPDF_GetErrorDetail(doc->hpdf);
	} else if (doc->error_no == HPDF_OK) { /* left by ensure_face */
		doc->error_no = HPDF_GetError(doc->hpdf);
		doc->detail_no = HPDF_GetErrorDetail(doc->hpdf);
	}
	doc->armed = false;
	if (!doc->reported) {
		char unknown[64];
		const char *meaning = hpdf_message(doc->error_no);
		if (meaning == NULL) { /* the detail code helps only with hpdf_error.h at hand */
			snprintf(unknown, sizeof unknown, "see hpdf_error.h; detail %u",
			    (unsigned)doc->detail_no);
			meaning = unknown;
		}
		diag_emit(DIAG_PDF_LIBRARY, NULL, 0, 0, (unsigned)doc->error_no, meaning,
		    doc->context ? doc->context : context);
	}
	doc->failed = true;
	release_scratch(doc);
	return false;
}

/* Memory for the running op, freed when it ends (or jumps out). */
static void *
scratch_alloc(struct pdf_doc *doc, size_t size)
{
	for (size_t i = 0; i < ARRAY_LEN(doc->scratch); i++)
		if (doc->scratch[i] == NULL)
			return doc->scratch[i] = xcalloc(1, size);
	abort(); /* an op uses more slots than exist: a bug here */
}

/* Frees one scratch allocation before the op ends. */
static void
scratch_free(struct pdf_doc *doc, void *p)
{
	for (size_t i = 0; i < ARRAY_LEN(doc->scratch); i++)
		if (doc->scratch[i] == p) {
			free(p);
			doc->scratch[i] = NULL;
			return;
		}
}

/* ------------------------------------------------------------ setup */

/* Splits "path" or "path:INDEX" (INDEX all digits). */
static void
parse_font_spec(const char *spec, char **path, unsigned *index, bool *has_index)
{
	const char *colon = strrchr(spec, ':');
	*index = 0;
	*has_index = false;
	if (colon && colon[1] != '\0' && strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
	    strlen(colon + 1) <= 5) {
		*index = (unsigned)strtoul(colon + 1, NULL, 10);
		*has_index = true;
		*path = xstrndup(spec, (size_t)(colon - spec));
	} else {
		*path = xstrdup(spec);
	}
}

static const char *
font_spec(const struct report_config *cfg, enum pdf_font_role role)
{
	switch (role) {
	case PDF_FONT_CJK_SERIF:
		return cfg->fonts.cjk_serif;
	case PDF_FONT_CJK_SANS:
		return cfg->fonts.cjk_sans;
	case PDF_FONT_LATIN_SERIF:
		return cfg->fonts.latin_serif;
	case PDF_FONT_SYMBOL:
		return cfg->fonts.symbol;
	case PDF_FONT_LATIN_ITALIC:
		return cfg->fonts.latin_italic;
	case PDF_FONT_LATIN_BOLD:
		return cfg->fonts.latin_bold;
	case PDF_FONT_LATIN_BOLD_ITALIC:
		return cfg->fonts.latin_bold_italic;
	case PDF_FONT_MATH:
		return cfg->fonts.math;
	default:
		return cfg->fonts.mono;
	}
}

/* Checks that the font file exists and is readable before libharu sees it,
 * so the user gets the config key and the path rather than a library code. */
static bool
check_font_file(const char *key, const char *path)
{
	struct stat st;
	if (path[0] == '\0' || stat(path, &st) != 0) {
		if (path[0] == '\0' || errno == ENOENT || errno == ENOTDIR) {
			diag_emit(DIAG_FONT_MISSING, NULL, 0, 0, key, path);
		} else {
			diag_emit(DIAG_FONT_BAD, NULL, 0, 0, key, path, strerror(errno));
		}
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_emit(DIAG_FONT_BAD, NULL, 0, 0, key, path, "not a regular file");
		return false;
	}
	if (access(path, R_OK) != 0) {
		diag_emit(DIAG_FONT_BAD, NULL, 0, 0, key, path, strerror(errno));
		return false;
	}
	return true;
}

/* 1 for a TrueType collection, 0 for anything else, -1 if unreadable. */
static int
is_collection(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (fp == NULL)
		return -1;
	unsigned char tag[4];
	size_t n = fread(tag, 1, 4, fp);
	fclose(fp);
	return n == 4 && memcmp(tag, "ttcf", 4) == 0;
}

static void
op_setup(struct pdf_doc *doc, void *arg)
{
	(void)arg;
	HPDF_SetCompressionMode(doc->hpdf, HPDF_COMP_ALL); /* before any font exists */
	HPDF_UseUTFEncodings(doc->hpdf);
	HPDF_SetInfoAttr(doc->hpdf, HPDF_INFO_CREATOR, "handout");

	/* Reproducible builds: a date only when SOURCE_DATE_EPOCH asks for it. */
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	if (epoch && *epoch && strspn(epoch, "0123456789") == strlen(epoch)) {
		time_t t = (time_t)strtoll(epoch, NULL, 10);
		struct tm tm;
		if (gmtime_r(&t, &tm)) {
			HPDF_Date d = {
			    .year = tm.tm_year + 1900,
			    .month = tm.tm_mon + 1,
			    .day = tm.tm_mday,
			    .hour = tm.tm_hour,
			    .minutes = tm.tm_min,
			    .seconds = tm.tm_sec,
			    .ind = 'Z',
			};
			HPDF_SetInfoDateAttr(doc->hpdf, HPDF_INFO_CREATION_DATE, d);
			HPDF_SetInfoDateAttr(doc->hpdf, HPDF_INFO_MOD_DATE, d);
		}
	}
}

/* ------------------------------------------------------------ font files
 *
 * libharu reads a font through an HPDF_Stream.  Its file stream makes one
 * fread call per 2- or 4-byte field of hmtx, loca and cmap (150,000 calls for
 * WenQuanYi Micro Hei), so the five fonts took 18 ms to load per document.
 * Here the file is mapped and the stream reads from memory, with the file
 * stream's semantics (a short read is zero-filled and returns
 * HPDF_STREAM_EOF; seeking past the end succeeds).  The repairs and the
 * font program (embed_font_program) read the same mapping.  The stream, and
 * with it the mapping, belongs to the font definition: HPDF_Free releases
 * it, or HPDF_TTFontDef_Load when the font is refused. */

struct mapping {
	const unsigned char *p;
	size_t len, pos;
};

static HPDF_STATUS
map_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	struct mapping *m = s->attr;
	size_t want = *siz, have = m->pos < m->len ? m->len - m->pos : 0;
	size_t n = want < have ? want : have;
	if (n > 0)
		memcpy(ptr, m->p + m->pos, n);
	m->pos += n;
	if (n < want) {
		memset(ptr + n, 0, want - n);
		*siz = (HPDF_UINT)n;
		return HPDF_STREAM_EOF;
	}
	return HPDF_OK;
}

static HPDF_STATUS
map_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct mapping *m = s->attr;
	long long to = pos;
	if (mode == HPDF_SEEK_CUR)
		to += (long long)m->pos;
	else if (mode == HPDF_SEEK_END)
		to += (long long)m->len;
	if (to < 0)
		return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, EINVAL);
	m->pos = (size_t)to;
	return HPDF_OK;
}

static HPDF_INT32
map_tell(HPDF_Stream s)
{
	return (HPDF_INT32)((struct mapping *)s->attr)->pos;
}

static HPDF_UINT32
map_size(HPDF_Stream s)
{
	return (HPDF_UINT32)((struct mapping *)s->attr)->len;
}

static void
map_free(HPDF_Stream s)
{
	struct mapping *m = s->attr;
	if (m == NULL)
		return;
	if (m->len > 0)
		munmap((void *)m->p, m->len);
	free(m);
	s->attr = NULL;
}

/* A read stream over the mapped file f->path, or NULL after recording a
 * libharu error (out of memory).  Problems with the file itself are
 * reported here (DIAG_FONT_BAD) and leave the op. */
static HPDF_Stream
map_stream_new(struct pdf_doc *doc, struct face *f)
{
	int fd = open(f->path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		diag_emit(DIAG_FONT_BAD, NULL, 0, 0, f->key, f->path, strerror(e));
		op_abort(doc);
	}
	if (st.st_size > 0x7FFFFFFF) { /* libharu's stream positions are 32-bit */
		close(fd);
		diag_emit(DIAG_FONT_BAD, NULL, 0, 0, f->key, f->path, "larger than 2 GB");
		op_abort(doc);
	}
	size_t len = (size_t)st.st_size;
	void *p = NULL;
	if (len > 0) {
		p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			int e = errno;
			close(fd);
			diag_emit(DIAG_FONT_BAD, NULL, 0, 0, f->key, f->path, strerror(e));
			op_abort(doc);
		}
	}
	close(fd);

	HPDF_MMgr mmgr = doc->hpdf->mmgr;
	HPDF_Stream s = HPDF_GetMem(mmgr, sizeof *s);
	if (s == NULL) {
		if (len > 0)
			munmap(p, len);
		return NULL;
	}
	memset(s, 0, sizeof *s);
	struct mapping *m = xcalloc(1, sizeof *m);
	m->p = p;
	m->len = len;
	/* as HPDF_FileReader_New sets up its stream */
	s->sig_bytes = HPDF_STREAM_SIG_BYTES;
	s->type = HPDF_STREAM_FILE;
	s->mmgr = mmgr;
	s->error = mmgr->error;
	s->read_fn = map_read;
	s->seek_fn = map_seek;
	s->tell_fn = map_tell;
	s->size_fn = map_size;
	s->free_fn = map_free;
	s->attr = m;
	return s;
}

/* What HPDF_LoadTTFontFromFile(2) does in 2.3.0, over the mapped file:
 * load the definition (the loader owns the stream from here on, also on
 * failure), return an already loaded definition of the same name instead
 * of a second one, register it with the document and give it its subset
 * tag.  The tag is HPDFAA for the first face of the configuration, HPDFAB
 * for the second, and so on (libharu counts loads; this is the same when
 * every face is loaded, in order). */
static void
op_load_font(struct pdf_doc *doc, void *arg)
{
	struct face *f = arg;
	HPDF_Doc pdf = doc->hpdf;
	HPDF_Stream s = map_stream_new(doc, f);
	if (s == NULL)
		return; /* recorded; guarded() reports it */
	const struct mapping *m = s->attr;
	const unsigned char *data = m->p;
	size_t size = m->len;

	HPDF_FontDef def = f->collection ? HPDF_TTFontDef_Load2(pdf->mmgr, s, f->index, HPDF_TRUE) :
	    HPDF_TTFontDef_Load(pdf->mmgr, s, HPDF_TRUE);
	if (def == NULL) {
		HPDF_CheckError(&pdf->error); /* the handler leaves the op */
		/* 2.3.0 records nothing when the file ends early */
		diag_emit(DIAG_FONT_BAD, NULL, 0, 0, f->key, f->path,
		    "not a TrueType font (the file ends early)");
		op_abort(doc);
	}
	HPDF_FontDef same = HPDF_Doc_FindFontDef(pdf, def->base_font);
	if (same) {
		HPDF_FontDef_Free(def);
		for (int k = 0; k < doc->nfaces; k++)
			if (doc->faces[k].def == same) {
				f->data = doc->faces[k].data;
				f->size = doc->faces[k].size;
			}
		f->def = same;
		f->name = same->base_font;
		return;
	}
	if (HPDF_List_Add(pdf->fontdef_list, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		HPDF_CheckError(&pdf->error);
		return;
	}
	int k = (int)(f - doc->faces);
	char tag[HPDF_TTF_FONT_TAG_LEN + 1] = "HPDFAA";
	tag[4] = (char)('A' + k / 26);
	tag[5] = (char)('A' + k % 26);
	memcpy(pdf->ttfont_tag, tag, HPDF_TTF_FONT_TAG_LEN);
	HPDF_TTFontDef_SetTagName(def, tag);
	f->def = def;
	f->name = def->base_font;
	f->data = data;
	f->size = size;
}

/* Font files libharu has loaded in this process, in any document,
 * identified by device, inode, size, modification time and face index.
 * pdf_new loads every font not found here at once, so that a font libharu
 * refuses fails pdf_new, as pdf.h promises; a font found here is loaded on
 * first use (ensure_face), and a document that never draws with it (a
 * figure without body text) neither loads nor embeds it.  Should the file
 * change between documents, it is no longer found and is loaded at once. */
static struct {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	unsigned index;
} proven_fonts[32];
static size_t nproven_fonts;

/* Whether the font is in proven_fonts; with add, records it (when there is
 * room: otherwise it is simply loaded at once next time). */
static bool
font_proven(const struct stat *st, unsigned index, bool add)
{
	for (size_t i = 0; i < nproven_fonts; i++)
		if (proven_fonts[i].dev == st->st_dev && proven_fonts[i].ino == st->st_ino &&
		    proven_fonts[i].size == st->st_size &&
		    proven_fonts[i].mtime.tv_sec == st->st_mtim.tv_sec &&
		    proven_fonts[i].mtime.tv_nsec == st->st_mtim.tv_nsec &&
		    proven_fonts[i].index == index)
			return true;
	if (add && nproven_fonts < ARRAY_LEN(proven_fonts)) {
		proven_fonts[nproven_fonts].dev = st->st_dev;
		proven_fonts[nproven_fonts].ino = st->st_ino;
		proven_fonts[nproven_fonts].size = st->st_size;
		proven_fonts[nproven_fonts].mtime = st->st_mtim;
		proven_fonts[nproven_fonts].index = index;
		nproven_fonts++;
	}
	return false;
}

/* For ops: loads the face if pdf_new left it for its first use.  A failure
 * is reported with the face's own context ("loading fonts.X from ..."). */
static void
ensure_face(struct pdf_doc *doc, struct face *f)
{
	if (f->def != NULL)
		return;
	doc->context = f->context;
	op_load_font(doc, f);
	doc->context = NULL;
	if (f->def == NULL) { /* an error libharu recorded without its handler */
		doc->context = f->context;
		longjmp(doc->jmp, 1);
	}
}

static bool
load_faces(struct pdf_doc *doc, const struct report_config *cfg)
{
	char *paths[PDF_FONT_ROLE_COUNT];
	unsigned indexes[PDF_FONT_ROLE_COUNT];
	bool has_index[PDF_FONT_ROLE_COUNT];
	bool ok = true;

	/* Every file first, so that all missing fonts are reported at once and
	 * nothing is loaded when one is missing. */
	for (int r = 0; r < PDF_FONT_ROLE_COUNT; r++) {
		parse_font_spec(font_spec(cfg, (enum pdf_font_role)r), &paths[r], &indexes[r],
		    &has_index[r]);
		if (!check_font_file(role_keys[r], paths[r]))
			ok = false;
	}

	for (int r = 0; ok && r < PDF_FONT_ROLE_COUNT; r++) {
		int same = -1;
		for (int k = 0; k < doc->nfaces; k++)
			if (strcmp(doc->faces[k].path, paths[r]) == 0 && doc->faces[k].index == indexes[r])
				same = k;
		if (same >= 0) {
			doc->role_face[r] = same;
			continue;
		}

		int coll = is_collection(paths[r]);
		if (coll < 0) {
			diag_emit(DIAG_FONT_BAD, NULL, 0, 0, role_keys[r], paths[r], strerror(errno));
			ok = false;
			break;
		}
		if (!coll && has_index[r] && indexes[r] != 0) {
			diag_emit(DIAG_FONT_BAD, NULL, 0, 0, role_keys[r], paths[r],
			    "a face index (':N') needs a TrueType collection (.ttc), this is a single font");
			ok = false;
			break;
		}

		struct face *f = &doc->faces[doc->nfaces];
		f->path = xstrdup(paths[r]);
		f->index = indexes[r];
		f->collection = coll == 1;
		f->key = role_keys[r];
		doc->role_face[r] = doc->nfaces++;

		f->context = xasprintf("loading %s from '%s'", role_keys[r],
		    font_spec(cfg, (enum pdf_font_role)r));
		struct stat st;
		bool proven = stat(f->path, &st) == 0 && font_proven(&st, f->index, false);
		if (proven)
			continue; /* loaded on first use (ensure_face) */
		if (!guarded(doc, f->context, op_load_font, f) || f->def == NULL) {
			ok = false;
			break;
		}
		if (stat(f->path, &st) == 0)
			font_proven(&st, f->index, true);
	}

	for (int r = 0; r < PDF_FONT_ROLE_COUNT; r++)
		free(paths[r]);
	return ok;
}

static struct pdf_doc *
doc_new(const struct report_config *cfg, double width, double height)
{
	struct pdf_doc *doc = xcalloc(1, sizeof *doc);
	doc->width = width;
	doc->height = height;
	doc->cur = -1;
	for (int r = 0; r < PDF_FONT_ROLE_COUNT; r++)
		doc->latin_face[r] = -1;

	doc->hpdf = HPDF_New(on_hpdf_error, doc);
	if (doc->hpdf == NULL) {
		diag_emit(DIAG_PDF_LIBRARY, NULL, 0, 0, (unsigned)HPDF_FAILD_TO_ALLOC_MEM,
		    "out of memory", "creating the document");
		free(doc);
		return NULL;
	}
	if (!guarded(doc, "setting up the document", op_setup, NULL) || !load_faces(doc, cfg)) {
		pdf_free(doc);
		return NULL;
	}
	return doc;
}

struct pdf_doc *
pdf_new(const struct report_config *cfg)
{
	if (cfg->document.paper == PAPER_LETTER)
		return doc_new(cfg, 612.0, 792.0);
	return doc_new(cfg, 210.0 / 25.4 * 72.0, 297.0 / 25.4 * 72.0);
}

struct pdf_doc *
pdf_new_sized(const struct report_config *cfg, double width, double height)
{
	return doc_new(cfg, width, height);
}

void
pdf_free(struct pdf_doc *doc)
{
	if (doc == NULL)
		return;
	release_scratch(doc);
	if (doc->cmap_swapped) /* libharu frees the arrays of the real cmap */
		((HPDF_TTFontDefAttr)doc->cmap_swapped->def->attr)->cmap = doc->cmap_saved;
	if (doc->hpdf)
		HPDF_Free(doc->hpdf);
	for (int i = 0; i < doc->nfaces; i++) {
		free(doc->faces[i].path);
		free(doc->faces[i].context);
		free(doc->faces[i].glyph);
		free(doc->faces[i].width);
		free(doc->faces[i].used);
	}
	free(doc->pages);
	free(doc->page_gs);
	free(doc->runbuf);
	free(doc->runs);
	free(doc->alphas);
	free(doc->astral);
	free(doc->slots);
	free(doc->gslots);
	links_free(doc->links);
	free(doc);
}

bool
pdf_ok(const struct pdf_doc *doc)
{
	return doc && !doc->failed;
}

double
pdf_page_width(const struct pdf_doc *doc)
{
	return doc->width;
}

double
pdf_page_height(const struct pdf_doc *doc)
{
	return doc->height;
}

const char *
pdf_font_role_key(enum pdf_font_role role)
{
	return (unsigned)role < PDF_FONT_ROLE_COUNT ? role_keys[role] : "fonts.?";
}

/* ------------------------------------------------------------ pages */

/* The state of a page with nothing drawn: PDF's initial graphics state. */
static struct gcache
gcache_initial(void)
{
	struct gcache g;
	memset(&g, 0, sizeof g);
	g.known = GS_FILL | GS_STROKE | GS_ALPHA | GS_WIDTH | GS_CAP | GS_JOIN | GS_DASH;
	g.fill_alpha = g.stroke_alpha = ALPHA_STEPS;
	g.width = 1;
	g.cap = HPDF_BUTT_END;
	g.join = HPDF_MITER_JOIN;
	return g;
}

/* Makes page `index` current and restores what is known of its state: its
 * content stream continues where it stopped, so the state at its end is the
 * state it was left in, unless a save was still open (then nothing is
 * known). */
static void
switch_page(struct pdf_doc *doc, int index)
{
	if (doc->cur >= 0) {
		doc->page_gs[doc->cur] = doc->gs[doc->gs_depth];
		if (doc->gs_depth != 0)
			doc->page_gs[doc->cur].known = 0;
	}
	doc->cur = index;
	doc->gs_depth = 0;
	doc->gs[0] = doc->page_gs[index];
}

static void
op_add_page(struct pdf_doc *doc, void *arg)
{
	(void)arg;
	HPDF_Page page = HPDF_AddPage(doc->hpdf);
	HPDF_Page_SetWidth(page, (HPDF_REAL)doc->width);
	HPDF_Page_SetHeight(page, (HPDF_REAL)doc->height);
	doc->page_gs[doc->npages] = gcache_initial();
	doc->pages[doc->npages++] = page;
	switch_page(doc, doc->npages - 1);
}

bool
pdf_add_page(struct pdf_doc *doc)
{
	if (!pdf_ok(doc))
		return false;
	if (doc->npages == doc->cap_pages) {
		doc->cap_pages = doc->cap_pages ? 2 * doc->cap_pages : 8;
		doc->pages = xrealloc(doc->pages, (size_t)doc->cap_pages * sizeof *doc->pages);
		doc->page_gs = xrealloc(doc->page_gs, (size_t)doc->cap_pages * sizeof *doc->page_gs);
	}
	return guarded(doc, "adding a page", op_add_page, NULL);
}

int
pdf_page_count(const struct pdf_doc *doc)
{
	return doc ? doc->npages : 0;
}

bool
pdf_select_page(struct pdf_doc *doc, int index)
{
	if (!pdf_ok(doc) || index < 0 || index >= doc->npages)
		return false;
	switch_page(doc, index);
	return true;
}

/* ------------------------------------------------------------ graphics state
 *
 * Helpers for ops: each emits its operator only when the value differs from
 * the state this module knows the page to be in, and records the new value. */

static struct gcache *
gs_cur(struct pdf_doc *doc)
{
	return &doc->gs[doc->gs_depth];
}

static double
clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

static void
rgb_real(struct pdf_rgb c, HPDF_REAL out[3])
{
	out[0] = (HPDF_REAL)clamp01(c.r);
	out[1] = (HPDF_REAL)clamp01(c.g);
	out[2] = (HPDF_REAL)clamp01(c.b);
}

static void
gs_fill(struct pdf_doc *doc, HPDF_Page page, struct pdf_rgb c)
{
	struct gcache *g = gs_cur(doc);
	HPDF_REAL v[3];
	rgb_real(c, v);
	if ((g->known & GS_FILL) && memcmp(v, g->fill, sizeof v) == 0)
		return;
	HPDF_Page_SetRGBFill(page, v[0], v[1], v[2]);
	memcpy(g->fill, v, sizeof v);
	g->known |= GS_FILL;
}

static void
gs_stroke(struct pdf_doc *doc, HPDF_Page page, struct pdf_rgb c)
{
	struct gcache *g = gs_cur(doc);
	HPDF_REAL v[3];
	rgb_real(c, v);
	if ((g->known & GS_STROKE) && memcmp(v, g->stroke, sizeof v) == 0)
		return;
	HPDF_Page_SetRGBStroke(page, v[0], v[1], v[2]);
	memcpy(g->stroke, v, sizeof v);
	g->known |= GS_STROKE;
}

static int
alpha_steps(double a)
{
	return (int)(clamp01(a) * ALPHA_STEPS + 0.5);
}

/* The document's ExtGState for an alpha pair, created on first use: one
 * object per distinct pair, however many pages and paths use it. */
static HPDF_ExtGState
alpha_state(struct pdf_doc *doc, int fill, int stroke)
{
	for (size_t i = 0; i < doc->nalphas; i++)
		if (doc->alphas[i].fill == fill && doc->alphas[i].stroke == stroke)
			return doc->alphas[i].gs;
	if (doc->nalphas == doc->cap_alphas) {
		doc->cap_alphas = doc->cap_alphas ? 2 * doc->cap_alphas : 8;
		doc->alphas = xrealloc(doc->alphas, doc->cap_alphas * sizeof *doc->alphas);
	}
	HPDF_ExtGState e = HPDF_CreateExtGState(doc->hpdf);
	HPDF_ExtGState_SetAlphaFill(e, (HPDF_REAL)fill / ALPHA_STEPS);
	HPDF_ExtGState_SetAlphaStroke(e, (HPDF_REAL)stroke / ALPHA_STEPS);
	doc->alphas[doc->nalphas++] = (struct alpha_gs){fill, stroke, e};
	return e;
}

static void
gs_alpha(struct pdf_doc *doc, HPDF_Page page, double fill_alpha, double stroke_alpha)
{
	struct gcache *g = gs_cur(doc);
	int f = alpha_steps(fill_alpha), s = alpha_steps(stroke_alpha);
	if ((g->known & GS_ALPHA) && g->fill_alpha == f && g->stroke_alpha == s)
		return;
	HPDF_Page_SetExtGState(page, alpha_state(doc, f, s));
	g->fill_alpha = f;
	g->stroke_alpha = s;
	g->known |= GS_ALPHA;
}

static void
gs_width(struct pdf_doc *doc, HPDF_Page page, double width)
{
	struct gcache *g = gs_cur(doc);
	HPDF_REAL w = (HPDF_REAL)(width > 0 ? width : 0);
	if ((g->known & GS_WIDTH) && g->width == w)
		return;
	HPDF_Page_SetLineWidth(page, w);
	g->width = w;
	g->known |= GS_WIDTH;
}

static void
gs_cap(struct pdf_doc *doc, HPDF_Page page, int cap)
{
	struct gcache *g = gs_cur(doc);
	if ((g->known & GS_CAP) && g->cap == cap)
		return;
	HPDF_Page_SetLineCap(page, (HPDF_LineCap)cap);
	g->cap = cap;
	g->known |= GS_CAP;
}

static void
gs_join(struct pdf_doc *doc, HPDF_Page page, int join)
{
	struct gcache *g = gs_cur(doc);
	if ((g->known & GS_JOIN) && g->join == join)
		return;
	HPDF_Page_SetLineJoin(page, (HPDF_LineJoin)join);
	g->join = join;
	g->known |= GS_JOIN;
}

/* `dash` already in libharu's terms: 0, 1 or an even number of lengths in
 * 1..HPDF_MAX_DASH_PATTERN. */
static void
gs_dash(struct pdf_doc *doc, HPDF_Page page, const HPDF_UINT16 *dash, int n, HPDF_UINT phase)
{
	struct gcache *g = gs_cur(doc);
	if ((g->known & GS_DASH) && g->ndash == n &&
	    (n == 0 || (g->phase == phase && memcmp(g->dash, dash, (size_t)n * sizeof *dash) == 0)))
		return;
	HPDF_Page_SetDash(page, n ? dash : NULL, (HPDF_UINT)n, n ? phase : 0);
	if (n > 0)
		memcpy(g->dash, dash, (size_t)n * sizeof *dash);
	g->ndash = n;
	g->phase = n ? phase : 0;
	g->known |= GS_DASH;
}

static void
gs_solid(struct pdf_doc *doc, HPDF_Page page)
{
	gs_dash(doc, page, NULL, 0, 0);
}

/* q and Q, mirrored on the cache stack.  libharu itself refuses more than
 * HPDF_LIMIT_MAX_GSTATE nested saves (HPDF_EXCEED_GSTATE_LIMIT), before the
 * mirror could overflow. */
static void
gs_save(struct pdf_doc *doc, HPDF_Page page)
{
	HPDF_Page_GSave(page);
	if (doc->gs_depth < HPDF_LIMIT_MAX_GSTATE) {
		doc->gs[doc->gs_depth + 1] = doc->gs[doc->gs_depth];
		doc->gs_depth++;
	}
}

static void
gs_restore(struct pdf_doc *doc, HPDF_Page page)
{
	HPDF_Page_GRestore(page);
	if (doc->gs_depth > 0)
		doc->gs_depth--;
}

/* ------------------------------------------------------------ text */

static bool
bit_get(const unsigned char *bits, uint32_t i)
{
	return bits[i >> 3] & (1u << (i & 7));
}

static void
bit_set(unsigned char *bits, uint32_t i)
{
	bits[i >> 3] |= (unsigned char)(1u << (i & 7));
}

static unsigned cmap12_gid(struct face *f, uint32_t cp);

/* Glyph test that does not mark the glyph as used (GetGlyphid only reads
 * the cmap), cached because fallback asks every font in turn.  A code point
 * beyond the BMP is looked up in the font's format 12 cmap (cmap12_gid). */
static bool
face_has(struct pdf_doc *doc, struct face *f, uint32_t cp)
{
	if (cp > 0xFFFF) {
		ensure_face(doc, f);
		return cmap12_gid(f, cp) != 0;
	}
	if (f->glyph == NULL) {
		f->glyph = xcalloc(BMP_SIZE, 1);
		f->width = xcalloc(BMP_SIZE, sizeof *f->width);
	}
	if (f->glyph[cp] == GLYPH_UNKNOWN) {
		ensure_face(doc, f);
		HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(f->def, (HPDF_UINT16)cp);
		f->glyph[cp] = gid != 0 ? GLYPH_PRESENT : GLYPH_ABSENT;
		/* what HPDF_TTFontDef_GetCharWidth returns for cp, without
		 * marking the glyph used */
		f->width[cp] = HPDF_TTFontDef_GetGidWidth(f->def, gid);
	}
	return f->glyph[cp] == GLYPH_PRESENT;
}

/* ---- Code points beyond the BMP.
 *
 * libharu 2.3.0 knows the BMP only: its UTF-8 encoder turns each code point
 * into a 2-byte CID equal to it, and it reads a font's format 4 cmap only.
 * A code point beyond it that a font has (the mathematical alphanumerics:
 * 𝔼 U+1D53C from \mathbb{E}, 𝒩, 𝐱 ...) is found in the font's format 12
 * cmap (cmap12_gid) and drawn as a private-use BMP code point, its slot,
 * which no face of the document maps itself.  The text functions write the
 * slot; the repairs give its CID the astral code point's glyph (CIDToGIDMap,
 * /W, the subset: face_gid) and, in ToUnicode, the astral code point as a
 * UTF-16 surrogate pair, so that pdftotext returns 𝔼.  Slots belong to the
 * document, not to a face, so that faces sharing one libharu font (pdf_save)
 * agree on them.
 *
 * Glyph slots generalise this to glyphs that have no code point at all: the
 * larger variants of ∫ ∑ ( in a math font's MATH table (integral.v2).  A
 * glyph slot names its face and glyph id, and the code point the glyph is a
 * form of, which ToUnicode gives for it (pdftotext returns ∫).  The text
 * functions route a glyph slot to its face whatever the role (shape), and
 * the repairs treat it like any used code point: face_gid gives its glyph.
 * Both kinds come from the same range, so they never collide. */

#define SLOT_FIRST 0xE000u /* the private use area, U+E000..U+F8FF */
#define SLOT_LAST 0xF8FFu

/* The astral code point whose slot is cp, or 0 when cp is not a slot. */
static uint32_t
slot_astral(const struct pdf_doc *doc, uint32_t cp)
{
	if (cp < SLOT_FIRST || cp > SLOT_LAST)
		return 0;
	for (size_t i = 0; i < doc->nastral; i++)
		if (doc->slots[i] == cp)
			return doc->astral[i];
	return 0;
}

/* The glyph slot cp, or NULL when cp is not one. */
static const struct glyph_slot *
find_glyph_slot(const struct pdf_doc *doc, uint32_t cp)
{
	if (cp < SLOT_FIRST || cp > SLOT_LAST)
		return NULL;
	for (size_t i = 0; i < doc->ngslots; i++)
		if (doc->gslots[i].slot == cp)
			return &doc->gslots[i];
	return NULL;
}

/* For ops: the next private-use code point that no face maps (every face
 * is loaded for the check, so none can map it later), or 0 when the private
 * use area is used up (6,400 slots in one document). */
static uint32_t
new_slot(struct pdf_doc *doc)
{
	if (doc->next_slot == 0)
		doc->next_slot = SLOT_FIRST;
	for (; doc->next_slot <= SLOT_LAST; doc->next_slot++) {
		bool taken = false;
		for (int k = 0; k < doc->nfaces && !taken; k++)
			taken = face_has(doc, &doc->faces[k], doc->next_slot);
		if (!taken)
			break;
	}
	if (doc->next_slot > SLOT_LAST)
		return 0;
	return doc->next_slot++;
}

/* For ops: the glyph slot of glyph gid of face k, extracting as base,
 * allocated on first use; 0 when no slot is left. */
static uint32_t
glyph_slot(struct pdf_doc *doc, int k, unsigned gid, uint32_t base)
{
	for (size_t i = 0; i < doc->ngslots; i++)
		if (doc->gslots[i].face == k && doc->gslots[i].gid == gid)
			return doc->gslots[i].slot;
	uint32_t slot = new_slot(doc);
	if (slot == 0)
		return 0;
	if (doc->ngslots == doc->cap_gslots) {
		doc->cap_gslots = doc->cap_gslots ? 2 * doc->cap_gslots : 8;
		doc->gslots = xrealloc(doc->gslots, doc->cap_gslots * sizeof *doc->gslots);
	}
	doc->gslots[doc->ngslots++] = (struct glyph_slot){(uint16_t)slot, k, (uint16_t)gid, base};
	return slot;
}

/* For ops: the slot of astral code point cp, allocated on first use; 0
 * when no slot is left. */
static uint32_t
astral_slot(struct pdf_doc *doc, uint32_t cp)
{
	for (size_t i = 0; i < doc->nastral; i++)
		if (doc->astral[i] == cp)
			return doc->slots[i];
	uint32_t slot = new_slot(doc);
	if (slot == 0)
		return 0;
	if (doc->nastral == doc->cap_astral) {
		doc->cap_astral = doc->cap_astral ? 2 * doc->cap_astral : 16;
		doc->astral = xrealloc(doc->astral, doc->cap_astral * sizeof *doc->astral);
		doc->slots = xrealloc(doc->slots, doc->cap_astral * sizeof *doc->slots);
	}
	doc->astral[doc->nastral] = cp;
	doc->slots[doc->nastral++] = (uint16_t)slot;
	return slot;
}

/* The glyph id in f of code point cp as the text functions wrote it: a
 * glyph slot is its glyph (only its own face, or one sharing its libharu
 * font, ever draws it), an astral slot its astral code point's glyph,
 * anything else the cmap's. */
static unsigned
face_gid(const struct pdf_doc *doc, struct face *f, uint32_t cp)
{
	const struct glyph_slot *g = find_glyph_slot(doc, cp);
	if (g != NULL)
		return g->gid;
	uint32_t astral = cp > 0xFFFF ? cp : slot_astral(doc, cp);
	if (astral != 0)
		return cmap12_gid(f, astral);
	return HPDF_TTFontDef_GetGlyphid(f->def, (HPDF_UINT16)cp);
}

/* The advance of cp in f in 1/1000 em (f has it: face_has). */
static HPDF_INT16
face_advance(struct face *f, uint32_t cp)
{
	if (cp > 0xFFFF)
		return HPDF_TTFontDef_GetGidWidth(f->def, (HPDF_UINT16)cmap12_gid(f, cp));
	return f->width[cp];
}

/* Code points a Latin font takes over under pdf_set_latin_font. */
static bool
latin_range(uint32_t cp)
{
	return (cp >= 0x20 && cp <= 0x2FF) ||   /* ASCII, Latin-1, extended, IPA */
	    (cp >= 0x370 && cp <= 0x3FF) ||     /* Greek */
	    (cp >= 0x2010 && cp <= 0x2013) ||   /* hyphens, figure and en dash
	                                         * (not the em dash: "——" is CJK) */
	    cp == 0x2016 ||                     /* ‖ */
	    (cp >= 0x2070 && cp <= 0x209F) ||   /* super- and subscripts */
	    (cp >= 0x2100 && cp <= 0x214F) ||   /* letterlike symbols */
	    (cp >= 0x2190 && cp <= 0x22FF);     /* arrows, mathematical operators */
}

/* The face to show cp with for `role`, or -1.  `latin` is the face that
 * takes latin_range() code points first (-1: none). */
static int
pick_face(struct pdf_doc *doc, enum pdf_font_role role, int latin, uint32_t cp)
{
	if (latin >= 0 && latin_range(cp) && face_has(doc, &doc->faces[latin], cp))
		return latin;
	int own = doc->role_face[role];
	if (face_has(doc, &doc->faces[own], cp))
		return own;
	const enum pdf_font_role *order =
	    role == PDF_FONT_CJK_SANS ? sans_fallback_order : fallback_order;
	for (size_t i = 0; i < PDF_FONT_ROLE_COUNT; i++) {
		int k = doc->role_face[order[i]];
		if (k != own && face_has(doc, &doc->faces[k], cp))
			return k;
	}
	return -1;
}

/* Code points that are never drawn and never warned about (and astral ones
 * no font has: emoji, see shape). */
static bool
ignorable(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || /* controls */
	    (cp >= 0xFE00 && cp <= 0xFE0F) ||     /* variation selectors */
	    (cp >= 0x200B && cp <= 0x200F) ||     /* zero-width space, joiners, marks */
	    cp == 0x2060 || cp == 0xFEFF;
}

static void
runbuf_put(struct pdf_doc *doc, const char *bytes, size_t n)
{
	if (doc->runbuf_len + n > doc->runbuf_cap) {
		doc->runbuf_cap = 2 * (doc->runbuf_len + n) + 64;
		doc->runbuf = xrealloc(doc->runbuf, doc->runbuf_cap);
	}
	memcpy(doc->runbuf + doc->runbuf_len, bytes, n);
	doc->runbuf_len += n;
}

static void
warn_no_glyph(struct pdf_doc *doc, enum pdf_font_role role, uint32_t cp, const char *text)
{
	if (bit_get(doc->warned, cp))
		return;
	bit_set(doc->warned, cp);
	char shown[64];
	size_t n = strlen(text);
	if (n >= sizeof shown - 4) {
		n = sizeof shown - 4;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--; /* cut on a character boundary */
		snprintf(shown, sizeof shown, "%.*s...", (int)n, text);
	} else {
		snprintf(shown, sizeof shown, "%s", text);
	}
	diag_emit(DIAG_PDF_NO_GLYPH, NULL, 0, 0, (unsigned)cp, role_keys[role], shown);
}

/* Splits text into runs of one face each (doc->runs, NUL-terminated strings
 * in doc->runbuf) and records the code points as used by their face. */
static void
shape(struct pdf_doc *doc, enum pdf_font_role role, int latin, const char *text)
{
	doc->runbuf_len = 0;
	doc->nruns = 0;
	int cur = -1;
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		uint32_t cp = utf8_next(&p);
		if (cp == '\t')
			cp = ' ';
		if (ignorable(cp))
			continue;
		const struct glyph_slot *gs = find_glyph_slot(doc, cp);
		int k = gs != NULL ? gs->face : pick_face(doc, role, latin, cp);
		if (k < 0) {
			for (size_t i = 0; i < ARRAY_LEN(substitutes); i++)
				if (substitutes[i].from == cp) {
					k = pick_face(doc, role, latin, substitutes[i].to);
					if (k >= 0)
						cp = substitutes[i].to;
				}
		}
		if (k < 0) {
			if (cp <= 0xFFFF) /* astral ones (emoji) are dropped silently */
				warn_no_glyph(doc, role, cp, text);
			continue;
		}
		HPDF_INT16 advance = gs != NULL ?
		    HPDF_TTFontDef_GetGidWidth(doc->faces[k].def, gs->gid) :
		    face_advance(&doc->faces[k], cp);
		if (cp > 0xFFFF && (cp = astral_slot(doc, cp)) == 0)
			continue;
		if (k != cur) {
			if (cur >= 0)
				runbuf_put(doc, "", 1);
			if (doc->nruns == doc->cap_runs) {
				doc->cap_runs = doc->cap_runs ? 2 * doc->cap_runs : 8;
				doc->runs = xrealloc(doc->runs, doc->cap_runs * sizeof *doc->runs);
			}
			doc->runs[doc->nruns++] = (struct run){k, doc->runbuf_len, 0, 0};
			cur = k;
		}
		char u[3];
		size_t n;
		if (cp < 0x80) {
			u[0] = (char)cp;
			n = 1;
		} else if (cp < 0x800) {
			u[0] = (char)(0xC0 | (cp >> 6));
			u[1] = (char)(0x80 | (cp & 0x3F));
			n = 2;
		} else {
			u[0] = (char)(0xE0 | (cp >> 12));
			u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			u[2] = (char)(0x80 | (cp & 0x3F));
			n = 3;
		}
		runbuf_put(doc, u, n);
		doc->runs[doc->nruns - 1].len += n;
		doc->runs[doc->nruns - 1].width += (HPDF_UINT)advance;

		struct face *f = &doc->faces[k];
		if (f->used == NULL)
			f->used = xcalloc(BMP_SIZE / 8, 1);
		bit_set(f->used, cp);
	}
	if (cur >= 0)
		runbuf_put(doc, "", 1);
}

/* The face's Type0 font, created on first use.
 *
 * HPDF_GetFont builds the CIDFontType2 with a loop over the whole BMP (this
 * build of 2.3.0 does so for the UTF-8 encoder): a linear search of the
 * font's cmap for each of the 65,536 code points (100 ms for UMing's
 * thousands of segments), then a /W array and a CIDToGIDMap of every code
 * point the font has, which fix_widths_and_map replaces anyway with those
 * of the code points used.  During the call the font definition's parsed
 * cmap is swapped for an empty one (a single segment at U+FFFF mapping to
 * glyph 0): the search ends at once, every width is the missing width (so
 * /W stays empty) and the map is all zeros.  The real cmap is back before
 * anything else runs (the text functions and fix_widths_and_map use it). */
static HPDF_Font
face_font(struct pdf_doc *doc, struct face *f)
{
	if (f->font)
		return f->font;
	ensure_face(doc, f);
	HPDF_TTFontDefAttr attr = f->def->attr;
	if (attr->cmap.format != 4) { /* format 0 is a table lookup anyway */
		f->font = HPDF_GetFont(doc->hpdf, f->name, "UTF-8");
		return f->font;
	}
	static HPDF_UINT16 end[1] = {0xFFFF}, start[1] = {0xFFFF}, range[1] = {0};
	static HPDF_INT16 delta[1] = {1};
	HPDF_TTF_CmapRange real = attr->cmap;
	attr->cmap.seg_count_x2 = 2;
	attr->cmap.end_count = end;
	attr->cmap.start_count = start;
	attr->cmap.id_delta = delta;
	attr->cmap.id_range_offset = range;
	/* The handler may leave from inside HPDF_GetFont (the document is
	 * failed then); pdf_free puts the cmap back before libharu frees it. */
	doc->cmap_swapped = f;
	doc->cmap_saved = real;
	f->font = HPDF_GetFont(doc->hpdf, f->name, "UTF-8");
	attr->cmap = real;
	doc->cmap_swapped = NULL;
	return f->font;
}

/* Width of one run in points.  shape() sums the advance of each code point
 * as HPDF_Font_TextWidth (and HPDF_Page_TextWidth, without the character
 * and word spacing we never set) does: the integer
 * HPDF_TTFontDef_GetCharWidth of each, i.e. the glyph's hmtx advance in
 * 1/1000 em, rounded down (face_has looks it up with the glyph).  Summing
 * here saves libharu's cmap search per character on every measurement, and
 * measuring needs no HPDF_Font: a face only measured is not embedded. */
static double
run_width(struct pdf_doc *doc, const struct run *r, double size)
{
	(void)doc;
	return (double)r->width * size / 1000.0;
}

struct text_arg {
	enum pdf_font_role role;
	double size, x, y;
	struct pdf_rgb color;
	const char *text;
	double width;
	bool has;
	uint32_t cp;
};

static void
op_text_width(struct pdf_doc *doc, void *arg)
{
	struct text_arg *a = arg;
	shape(doc, a->role, doc->latin_face[a->role], a->text);
	a->width = 0;
	for (size_t i = 0; i < doc->nruns; i++)
		a->width += run_width(doc, &doc->runs[i], a->size);
}

double
pdf_text_width(struct pdf_doc *doc, enum pdf_font_role role, double size, const char *text)
{
	struct text_arg a = {.role = role, .size = size, .text = text};
	if ((unsigned)role >= PDF_FONT_ROLE_COUNT || text == NULL || text[0] == '\0')
		return 0;
	if (!guarded(doc, "measuring text", op_text_width, &a))
		return 0;
	return a.width;
}

static void
op_text(struct pdf_doc *doc, void *arg)
{
	struct text_arg *a = arg;
	shape(doc, a->role, doc->latin_face[a->role], a->text);
	if (doc->nruns == 0)
		return;
	HPDF_Page page = doc->pages[doc->cur];
	gs_fill(doc, page, a->color);
	if (!(gs_cur(doc)->known & GS_ALPHA) || gs_cur(doc)->fill_alpha != ALPHA_STEPS)
		gs_alpha(doc, page, 1, 1);
	HPDF_Page_BeginText(page);
	double x = a->x;
	HPDF_Font cur = NULL;
	for (size_t i = 0; i < doc->nruns; i++) {
		const struct run *r = &doc->runs[i];
		HPDF_Font font = face_font(doc, &doc->faces[r->face]);
		if (font != cur) {
			HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)a->size);
			cur = font;
		}
		HPDF_Page_TextOut(page, (HPDF_REAL)x, (HPDF_REAL)a->y, doc->runbuf + r->off);
		x += run_width(doc, r, a->size);
	}
	HPDF_Page_EndText(page);
}

bool
pdf_text(struct pdf_doc *doc, double x, double y, enum pdf_font_role role, double size,
    struct pdf_rgb color, const char *text)
{
	if (!pdf_ok(doc) || doc->cur < 0 || (unsigned)role >= PDF_FONT_ROLE_COUNT || text == NULL)
		return false;
	struct text_arg a = {.role = role, .size = size, .x = x, .y = y, .color = color, .text = text};
	return guarded(doc, "drawing text", op_text, &a);
}

static void
op_has_glyph(struct pdf_doc *doc, void *arg)
{
	struct text_arg *a = arg;
	uint32_t cp = a->cp;
	a->has = false;
	if (ignorable(cp))
		return;
	int latin = doc->latin_face[a->role];
	if (pick_face(doc, a->role, latin, cp) >= 0) {
		a->has = true;
		return;
	}
	for (size_t i = 0; i < ARRAY_LEN(substitutes); i++)
		if (substitutes[i].from == cp && pick_face(doc, a->role, latin, substitutes[i].to) >= 0)
			a->has = true;
}

bool
pdf_has_glyph(struct pdf_doc *doc, enum pdf_font_role role, uint32_t cp)
{
	struct text_arg a = {.role = role, .cp = cp};
	if ((unsigned)role >= PDF_FONT_ROLE_COUNT)
		return false;
	return guarded(doc, "looking up a glyph", op_has_glyph, &a) && a.has;
}

/* For ops: the face's MATH table, read on first use (f->math.math NULL
 * when it has none). */
static const struct mathfont *
face_math(struct pdf_doc *doc, struct face *f)
{
	ensure_face(doc, f);
	if (!f->math_looked) {
		f->math_looked = true;
		mathfont_open(&f->math, f->data, f->size, f->collection ? f->index : 0);
	}
	return &f->math;
}

struct variant_arg {
	enum pdf_font_role role;
	uint32_t cp;
	double min_height; /* em */
	char *utf8;
	double italic;     /* em */
	double height;     /* em */
	bool found;
	enum mathfont_constant constant;
	double value;      /* em */
};

static void
op_math_variant(struct pdf_doc *doc, void *arg)
{
	struct variant_arg *a = arg;
	int k = doc->role_face[a->role];
	struct face *f = &doc->faces[k];
	const struct mathfont *mf = face_math(doc, f);
	if (mf->math == NULL || a->cp == 0 || a->cp > 0xFFFF)
		return;
	unsigned gid = HPDF_TTFontDef_GetGlyphid(f->def, (HPDF_UINT16)a->cp);
	struct mathfont_variant v[32];
	size_t n = mathfont_vert_variants(mf, gid, v, ARRAY_LEN(v));
	if (gid == 0 || n == 0)
		return;
	if (n > ARRAY_LEN(v))
		n = ARRAY_LEN(v);
	size_t pick = n - 1; /* the largest, when none is tall enough */
	for (size_t i = 0; i < n; i++)
		if (v[i].advance >= a->min_height * mf->units_per_em) {
			pick = i;
			break;
		}
	if (v[pick].gid == 0 || v[pick].gid >= ((HPDF_TTFontDefAttr)f->def->attr)->num_glyphs)
		return; /* a glyph the font does not have: a broken table */
	uint32_t slot = glyph_slot(doc, k, v[pick].gid, a->cp);
	if (slot == 0)
		return;
	/* the slot in UTF-8: always three bytes (U+E000..U+F8FF) */
	a->utf8[0] = (char)(0xE0 | (slot >> 12));
	a->utf8[1] = (char)(0x80 | ((slot >> 6) & 0x3F));
	a->utf8[2] = (char)(0x80 | (slot & 0x3F));
	a->utf8[3] = '\0';
	int ic;
	a->italic = mathfont_italic(mf, v[pick].gid, &ic) ? (double)ic / mf->units_per_em : 0;
	a->height = (double)v[pick].advance / mf->units_per_em;
	a->found = true;
}

bool
pdf_math_variant(struct pdf_doc *doc, enum pdf_font_role role, uint32_t cp, double min_height,
    char utf8[PDF_GLYPH_UTF8_MAX], double *italic, double *height)
{
	struct variant_arg a = {.role = role, .cp = cp, .min_height = min_height, .utf8 = utf8};
	bool ok = pdf_ok(doc) && (unsigned)role < PDF_FONT_ROLE_COUNT &&
	    guarded(doc, "looking up a math variant", op_math_variant, &a) && a.found;
	if (!ok)
		utf8[0] = '\0';
	if (italic != NULL)
		*italic = ok ? a.italic : 0;
	if (height != NULL)
		*height = ok ? a.height : 0;
	return ok;
}


static void
op_math_constant(struct pdf_doc *doc, void *arg)
{
	struct variant_arg *a = arg;
	const struct mathfont *mf = face_math(doc, &doc->faces[doc->role_face[a->role]]);
	if (mf->math == NULL)
		return;
	int v = mathfont_constant(mf, a->constant, INT_MIN);
	if (v == INT_MIN)
		return;
	a->value = v / (double)mf->units_per_em;
	a->found = true;
}

double
pdf_math_constant(struct pdf_doc *doc, enum pdf_font_role role, enum mathfont_constant c,
    double fallback)
{
	struct variant_arg a = {.role = role, .constant = c};
	bool ok = pdf_ok(doc) && (unsigned)role < PDF_FONT_ROLE_COUNT &&
	    guarded(doc, "reading a math constant", op_math_constant, &a) && a.found;
	return ok ? a.value : fallback;
}

bool
pdf_set_latin_font(struct pdf_doc *doc, enum pdf_font_role role, enum pdf_font_role latin)
{
	if (!pdf_ok(doc) || (unsigned)role >= PDF_FONT_ROLE_COUNT ||
	    (unsigned)latin >= PDF_FONT_ROLE_COUNT)
		return false;
	doc->latin_face[role] = doc->role_face[latin];
	return true;
}

static void
op_ensure_face(struct pdf_doc *doc, void *arg)
{
	ensure_face(doc, arg);
}

void
pdf_font_metrics(const struct pdf_doc *doc, enum pdf_font_role role, double size,
    double *ascent, double *descent)
{
	double a = 0, d = 0;
	if (doc && (unsigned)role < PDF_FONT_ROLE_COUNT && doc->nfaces > 0) {
		/* The face may not be loaded yet (ensure_face); loading it changes
		 * nothing the caller can see, hence the const parameter.  No
		 * document is ever defined const. */
		struct pdf_doc *d_ = (struct pdf_doc *)doc;
		struct face *f = &d_->faces[doc->role_face[role]];
		if (f->def == NULL && !guarded(d_, f->context, op_ensure_face, f))
			goto out;
		HPDF_FontDef def = f->def;
		a = def->ascent * size / 1000.0;
		d = def->descent * size / 1000.0;
		if (d > 0)
			d = -d;
	}
out:
	if (ascent)
		*ascent = a;
	if (descent)
		*descent = d;
}

/* ------------------------------------------------------------ graphics */

struct shape_arg {
	double x0, y0, x1, y1, line_width;
	struct pdf_rgb color;
	enum { SHAPE_FILL_RECT, SHAPE_STROKE_RECT, SHAPE_LINE } kind;
};

static void
op_graphics(struct pdf_doc *doc, void *arg)
{
	struct shape_arg *a = arg;
	HPDF_Page page = doc->pages[doc->cur];
	/* Opaque, solid, butt caps, miter joins, whatever the vector functions
	 * left set. */
	gs_alpha(doc, page, 1, 1);
	switch (a->kind) {
	case SHAPE_FILL_RECT:
		gs_fill(doc, page, a->color);
		HPDF_Page_Rectangle(page, (HPDF_REAL)a->x0, (HPDF_REAL)a->y0, (HPDF_REAL)a->x1,
		    (HPDF_REAL)a->y1);
		HPDF_Page_Fill(page);
		break;
	case SHAPE_STROKE_RECT:
		gs_stroke(doc, page, a->color);
		gs_width(doc, page, a->line_width);
		gs_solid(doc, page);
		gs_join(doc, page, HPDF_MITER_JOIN);
		HPDF_Page_Rectangle(page, (HPDF_REAL)a->x0, (HPDF_REAL)a->y0, (HPDF_REAL)a->x1,
		    (HPDF_REAL)a->y1);
		HPDF_Page_Stroke(page);
		break;
	case SHAPE_LINE:
		gs_stroke(doc, page, a->color);
		gs_width(doc, page, a->line_width);
		gs_solid(doc, page);
		gs_cap(doc, page, HPDF_BUTT_END);
		HPDF_Page_MoveTo(page, (HPDF_REAL)a->x0, (HPDF_REAL)a->y0);
		HPDF_Page_LineTo(page, (HPDF_REAL)a->x1, (HPDF_REAL)a->y1);
		HPDF_Page_Stroke(page);
		break;
	}
}

static bool
draw_shape(struct pdf_doc *doc, struct shape_arg *a)
{
	if (!pdf_ok(doc) || doc->cur < 0)
		return false;
	return guarded(doc, "drawing on a page", op_graphics, a);
}

bool
pdf_fill_rect(struct pdf_doc *doc, double x, double y, double w, double h, struct pdf_rgb color)
{
	struct shape_arg a = {x, y, w, h, 0, color, SHAPE_FILL_RECT};
	return draw_shape(doc, &a);
}

bool
pdf_stroke_rect(struct pdf_doc *doc, double x, double y, double w, double h, double line_width,
    struct pdf_rgb color)
{
	struct shape_arg a = {x, y, w, h, line_width, color, SHAPE_STROKE_RECT};
	return draw_shape(doc, &a);
}

bool
pdf_line(struct pdf_doc *doc, double x0, double y0, double x1, double y1, double line_width,
    struct pdf_rgb color)
{
	struct shape_arg a = {x0, y0, x1, y1, line_width, color, SHAPE_LINE};
	return draw_shape(doc, &a);
}

/* ------------------------------------------------------------ vector graphics
 *
 * Thin wrappers over the page operators, each run by guarded() like every
 * other libharu call.  State setters go through the gs_* cache. */

enum gfx_kind {
	GFX_SAVE, GFX_RESTORE, GFX_CONCAT,
	GFX_FILL_COLOR, GFX_STROKE_COLOR, GFX_ALPHA, GFX_WIDTH, GFX_CAP, GFX_JOIN, GFX_DASH,
	GFX_MOVE, GFX_LINE, GFX_CURVE, GFX_CLOSE, GFX_RECT, GFX_CIRCLE,
	GFX_STROKE, GFX_FILL, GFX_EOFILL, GFX_FILL_STROKE, GFX_EOFILL_STROKE, GFX_CLIP,
	GFX_EOCLIP, GFX_END_PATH, GFX_DOT
};

struct gfx_arg {
	enum gfx_kind kind;
	double v[6];
	struct pdf_rgb color;
	int ival;
	const HPDF_UINT16 *dash;
	HPDF_UINT phase;
};

static HPDF_REAL
real(double v)
{
	return (HPDF_REAL)v;
}

static void
op_gfx(struct pdf_doc *doc, void *arg)
{
	struct gfx_arg *a = arg;
	HPDF_Page page = doc->pages[doc->cur];
	const double *v = a->v;
	switch (a->kind) {
	case GFX_SAVE:
		gs_save(doc, page);
		break;
	case GFX_RESTORE:
		gs_restore(doc, page);
		break;
	case GFX_CONCAT:
		HPDF_Page_Concat(page, real(v[0]), real(v[1]), real(v[2]), real(v[3]), real(v[4]),
		    real(v[5]));
		break;
	case GFX_FILL_COLOR:
		gs_fill(doc, page, a->color);
		break;
	case GFX_STROKE_COLOR:
		gs_stroke(doc, page, a->color);
		break;
	case GFX_ALPHA:
		gs_alpha(doc, page, v[0], v[1]);
		break;
	case GFX_WIDTH:
		gs_width(doc, page, v[0]);
		break;
	case GFX_CAP:
		gs_cap(doc, page, a->ival);
		break;
	case GFX_JOIN:
		gs_join(doc, page, a->ival);
		break;
	case GFX_DASH:
		gs_dash(doc, page, a->dash, a->ival, a->phase);
		break;
	case GFX_MOVE:
		HPDF_Page_MoveTo(page, real(v[0]), real(v[1]));
		break;
	case GFX_LINE:
		HPDF_Page_LineTo(page, real(v[0]), real(v[1]));
		break;
	case GFX_CURVE:
		HPDF_Page_CurveTo(page, real(v[0]), real(v[1]), real(v[2]), real(v[3]), real(v[4]),
		    real(v[5]));
		break;
	case GFX_CLOSE:
		HPDF_Page_ClosePath(page);
		break;
	case GFX_RECT:
		HPDF_Page_Rectangle(page, real(v[0]), real(v[1]), real(v[2]), real(v[3]));
		break;
	case GFX_CIRCLE:
		HPDF_Page_Circle(page, real(v[0]), real(v[1]), real(v[2]));
		break;
	case GFX_STROKE:
		HPDF_Page_Stroke(page);
		break;
	case GFX_FILL:
		HPDF_Page_Fill(page);
		break;
	case GFX_EOFILL:
		HPDF_Page_Eofill(page);
		break;
	case GFX_FILL_STROKE:
		HPDF_Page_FillStroke(page);
		break;
	case GFX_EOFILL_STROKE:
		HPDF_Page_EofillStroke(page);
		break;
	case GFX_CLIP:
		HPDF_Page_Clip(page);
		HPDF_Page_EndPath(page);
		break;
	case GFX_EOCLIP:
		HPDF_Page_Eoclip(page);
		HPDF_Page_EndPath(page);
		break;
	case GFX_END_PATH:
		HPDF_Page_EndPath(page);
		break;
	case GFX_DOT:
		/* PDF draws a zero-length subpath with round caps as a disc of the
		 * line width: 5x smaller than HPDF_Page_Circle's four curves. */
		gs_cap(doc, page, HPDF_ROUND_END);
		gs_width(doc, page, v[2]);
		if (gs_cur(doc)->ndash != 0 || !(gs_cur(doc)->known & GS_DASH))
			gs_solid(doc, page);
		HPDF_Page_MoveTo(page, real(v[0]), real(v[1]));
		HPDF_Page_LineTo(page, real(v[0]), real(v[1]));
		HPDF_Page_Stroke(page);
		break;
	}
}

static bool
gfx(struct pdf_doc *doc, struct gfx_arg *a)
{
	if (!pdf_ok(doc) || doc->cur < 0)
		return false;
	return guarded(doc, "drawing on a page", op_gfx, a);
}

static bool
gfx_kind(struct pdf_doc *doc, enum gfx_kind kind)
{
	struct gfx_arg a = {.kind = kind};
	return gfx(doc, &a);
}

static bool
gfx_values(struct pdf_doc *doc, enum gfx_kind kind, double v0, double v1, double v2, double v3,
    double v4, double v5)
{
	struct gfx_arg a = {.kind = kind, .v = {v0, v1, v2, v3, v4, v5}};
	return gfx(doc, &a);
}

bool
pdf_save_state(struct pdf_doc *doc)
{
	return gfx_kind(doc, GFX_SAVE);
}

bool
pdf_restore_state(struct pdf_doc *doc)
{
	return gfx_kind(doc, GFX_RESTORE);
}

bool
pdf_concat(struct pdf_doc *doc, double a, double b, double c, double d, double e, double f)
{
	return gfx_values(doc, GFX_CONCAT, a, b, c, d, e, f);
}

bool
pdf_set_fill_color(struct pdf_doc *doc, struct pdf_rgb color)
{
	struct gfx_arg a = {.kind = GFX_FILL_COLOR, .color = color};
	return gfx(doc, &a);
}

bool
pdf_set_stroke_color(struct pdf_doc *doc, struct pdf_rgb color)
{
	struct gfx_arg a = {.kind = GFX_STROKE_COLOR, .color = color};
	return gfx(doc, &a);
}

bool
pdf_set_alpha(struct pdf_doc *doc, double fill_alpha, double stroke_alpha)
{
	return gfx_values(doc, GFX_ALPHA, fill_alpha, stroke_alpha, 0, 0, 0, 0);
}

bool
pdf_set_line_width(struct pdf_doc *doc, double width)
{
	return gfx_values(doc, GFX_WIDTH, width, 0, 0, 0, 0, 0);
}

bool
pdf_set_line_cap(struct pdf_doc *doc, enum pdf_line_cap cap)
{
	struct gfx_arg a = {.kind = GFX_CAP};
	a.ival = cap == PDF_CAP_ROUND ? HPDF_ROUND_END :
	    cap == PDF_CAP_SQUARE ? HPDF_PROJECTING_SCUARE_END : HPDF_BUTT_END;
	return gfx(doc, &a);
}

bool
pdf_set_line_join(struct pdf_doc *doc, enum pdf_line_join join)
{
	struct gfx_arg a = {.kind = GFX_JOIN};
	a.ival = join == PDF_JOIN_ROUND ? HPDF_ROUND_JOIN :
	    join == PDF_JOIN_BEVEL ? HPDF_BEVEL_JOIN : HPDF_MITER_JOIN;
	return gfx(doc, &a);
}

static HPDF_UINT16
dash_units(double v)
{
	if (!(v >= 1.5))
		return 1; /* libharu refuses 0 (and NaN ends here too) */
	if (v >= HPDF_MAX_DASH_PATTERN)
		return HPDF_MAX_DASH_PATTERN;
	return (HPDF_UINT16)(v + 0.5);
}

bool
pdf_set_dash(struct pdf_doc *doc, const double *dash, int n, double phase)
{
	HPDF_UINT16 d[DASH_MAX];
	int m = n < 0 ? 0 : n > DASH_MAX ? DASH_MAX : n;
	for (int i = 0; i < m; i++)
		d[i] = dash_units(dash[i]);
	/* PDF repeats an odd array; libharu accepts only 1 or an even count. */
	if (m > 1 && m % 2 == 1) {
		if (2 * m <= DASH_MAX) {
			memcpy(d + m, d, (size_t)m * sizeof *d);
			m *= 2;
		} else {
			m--;
		}
	}
	HPDF_UINT period = 0;
	for (int i = 0; i < m; i++)
		period += d[i];
	if (m == 1)
		period *= 2;
	HPDF_UINT p = 0;
	if (m > 0 && phase > 0 && isfinite(phase))
		p = (HPDF_UINT)fmod(phase + 0.5, (double)period);
	struct gfx_arg a = {.kind = GFX_DASH, .dash = d, .ival = m, .phase = p};
	return gfx(doc, &a);
}

bool
pdf_move_to(struct pdf_doc *doc, double x, double y)
{
	return gfx_values(doc, GFX_MOVE, x, y, 0, 0, 0, 0);
}

bool
pdf_line_to(struct pdf_doc *doc, double x, double y)
{
	return gfx_values(doc, GFX_LINE, x, y, 0, 0, 0, 0);
}

bool
pdf_curve_to(struct pdf_doc *doc, double x1, double y1, double x2, double y2, double x3,
    double y3)
{
	return gfx_values(doc, GFX_CURVE, x1, y1, x2, y2, x3, y3);
}

bool
pdf_close_path(struct pdf_doc *doc)
{
	return gfx_kind(doc, GFX_CLOSE);
}

bool
pdf_rect_path(struct pdf_doc *doc, double x, double y, double w, double h)
{
	return gfx_values(doc, GFX_RECT, x, y, w, h, 0, 0);
}

bool
pdf_circle_path(struct pdf_doc *doc, double x, double y, double r)
{
	return gfx_values(doc, GFX_CIRCLE, x, y, r, 0, 0, 0);
}

bool
pdf_stroke(struct pdf_doc *doc)
{
	return gfx_kind(doc, GFX_STROKE);
}

bool
pdf_fill(struct pdf_doc *doc, bool even_odd)
{
	return gfx_kind(doc, even_odd ? GFX_EOFILL : GFX_FILL);
}

bool
pdf_fill_stroke(struct pdf_doc *doc, bool even_odd)
{
	return gfx_kind(doc, even_odd ? GFX_EOFILL_STROKE : GFX_FILL_STROKE);
}

bool
pdf_clip(struct pdf_doc *doc, bool even_odd)
{
	return gfx_kind(doc, even_odd ? GFX_EOCLIP : GFX_CLIP);
}

bool
pdf_end_path(struct pdf_doc *doc)
{
	return gfx_kind(doc, GFX_END_PATH);
}

bool
pdf_dot(struct pdf_doc *doc, double x, double y, double diameter)
{
	return gfx_values(doc, GFX_DOT, x, y, diameter, 0, 0, 0);
}

/* ------------------------------------------------------------ styled text */

struct pdf_text_style
pdf_text_style_plain(enum pdf_font_role role, double size, struct pdf_rgb color)
{
	return (struct pdf_text_style){.role = role, .latin = PDF_LATIN_DEFAULT, .size = size, .color = color,
	    .alpha = 1, .angle = 0, .bold = false};
}

/* The face that takes Latin code points first for this text (-1: none). */
static int
style_latin(const struct pdf_doc *doc, const struct pdf_text_style *st)
{
	if (st->latin >= 0 && st->latin < PDF_FONT_ROLE_COUNT)
		return doc->role_face[st->latin];
	if (st->latin == PDF_LATIN_NONE)
		return -1;
	return doc->latin_face[st->role];
}

/* Synthetic bold: the outline stroked with this fraction of the size in the
 * fill colour (about what FreeType's emboldening adds). */
#define BOLD_STROKE 0.035

struct styled_arg {
	const struct pdf_text_style *st;
	double x, y;
	const char *text;
	double width;
};

static void
op_styled_width(struct pdf_doc *doc, void *arg)
{
	struct styled_arg *a = arg;
	shape(doc, a->st->role, style_latin(doc, a->st), a->text);
	a->width = 0;
	for (size_t i = 0; i < doc->nruns; i++)
		a->width += run_width(doc, &doc->runs[i], a->st->size);
}

static void
op_styled_text(struct pdf_doc *doc, void *arg)
{
	struct styled_arg *a = arg;
	const struct pdf_text_style *st = a->st;
	shape(doc, st->role, style_latin(doc, st), a->text);
	if (doc->nruns == 0)
		return;
	HPDF_Page page = doc->pages[doc->cur];

	/* Inside q/Q: the rendering mode and the stroke set for bold end with
	 * the text, and the cache is right again after Q. */
	gs_save(doc, page);
	gs_alpha(doc, page, st->alpha, st->alpha);
	gs_fill(doc, page, st->color);
	if (st->bold) {
		gs_stroke(doc, page, st->color);
		gs_width(doc, page, st->size * BOLD_STROKE);
		gs_join(doc, page, HPDF_ROUND_JOIN);
		gs_solid(doc, page);
	}
	HPDF_Page_BeginText(page);
	if (st->bold)
		HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
	double rad = st->angle * (3.14159265358979323846 / 180.0);
	double c = cos(rad), s = sin(rad);
	if (fabs(st->angle) < 1e-9) {
		c = 1;
		s = 0;
	}
	/* Each Tj advances the text matrix by the run's width, so the runs
	 * follow one another along the rotated baseline. */
	HPDF_Page_SetTextMatrix(page, real(c), real(s), real(-s), real(c), real(a->x), real(a->y));
	HPDF_Font cur = NULL;
	for (size_t i = 0; i < doc->nruns; i++) {
		const struct run *r = &doc->runs[i];
		HPDF_Font font = face_font(doc, &doc->faces[r->face]);
		if (font != cur) {
			HPDF_Page_SetFontAndSize(page, font, real(st->size));
			cur = font;
		}
		HPDF_Page_ShowText(page, doc->runbuf + r->off);
	}
	HPDF_Page_EndText(page);
	gs_restore(doc, page);
}

double
pdf_text_width_styled(struct pdf_doc *doc, const struct pdf_text_style *st, const char *text)
{
	struct styled_arg a = {.st = st, .text = text};
	if ((unsigned)st->role >= PDF_FONT_ROLE_COUNT || text == NULL || text[0] == '\0')
		return 0;
	if (!guarded(doc, "measuring text", op_styled_width, &a))
		return 0;
	return a.width;
}

bool
pdf_text_styled(struct pdf_doc *doc, double x, double y, const struct pdf_text_style *st,
    const char *text)
{
	if (!pdf_ok(doc) || doc->cur < 0 || (unsigned)st->role >= PDF_FONT_ROLE_COUNT ||
	    text == NULL)
		return false;
	struct styled_arg a = {.st = st, .x = x, .y = y, .text = text};
	return guarded(doc, "drawing text", op_styled_text, &a);
}

/* ------------------------------------------------------------ info */

static void
op_info(struct pdf_doc *doc, void *arg)
{
	const struct pdf_info *info = arg;
	/* Without the UTF-8 encoder current, libharu writes the bytes as
	 * PDFDocEncoding and Chinese titles come out as mojibake. */
	HPDF_SetCurrentEncoder(doc->hpdf, "UTF-8");
	if (info->title && *info->title)
		HPDF_SetInfoAttr(doc->hpdf, HPDF_INFO_TITLE, info->title);
	if (info->author && *info->author)
		HPDF_SetInfoAttr(doc->hpdf, HPDF_INFO_AUTHOR, info->author);
	if (info->subject && *info->subject)
		HPDF_SetInfoAttr(doc->hpdf, HPDF_INFO_SUBJECT, info->subject);
	if (info->keywords && *info->keywords)
		HPDF_SetInfoAttr(doc->hpdf, HPDF_INFO_KEYWORDS, info->keywords);
}

bool
pdf_set_info(struct pdf_doc *doc, const struct pdf_info *info)
{
	return guarded(doc, "setting the document information", op_info, (void *)info);
}

/* ------------------------------------------------------------ font repairs
 *
 * libharu 2.3.0 writes a usable Type0/CIDFontType2 font for the UTF-8
 * encoder, with four defects (../shared/notes/libharu-2.3.0.md).  Each
 * repair below works on the objects libharu built, just before saving.
 * tests/check-pdf.sh checks the result from the outside: pdftoppm, mutool
 * draw and gs render every page with nothing on stderr, pdftotext returns the
 * exact text, pdffonts says emb/sub/uni yes, qpdf --check is clean.
 */

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
put_be16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Replaces the data of a stream object by `len` bytes. */
static void
replace_stream(HPDF_Dict dict, const void *data, size_t len)
{
	HPDF_Stream s = HPDF_MemStream_New(dict->mmgr, HPDF_STREAM_BUF_SIZ);
	if (s == NULL)
		return; /* the error is recorded; guarded() reports it */
	if (len > 0)
		HPDF_Stream_Write(s, (const HPDF_BYTE *)data, (HPDF_UINT)len);
	HPDF_Stream_Free(dict->stream);
	dict->stream = s;
}

/* ---- The font file's tables (the mapping made by map_stream_new). */

struct sfnt {
	const unsigned char *p;
	size_t size;
	size_t dir;       /* offset of this face's table directory */
	unsigned ntables;
};

static bool
sfnt_open(struct sfnt *s, const struct face *f)
{
	s->p = f->data;
	s->size = f->size;
	s->dir = 0;
	s->ntables = 0;
	if (s->p == NULL || s->size < 12)
		return false;
	if (memcmp(s->p, "ttcf", 4) == 0) {
		size_t at = 12 + 4 * (size_t)f->index;
		if (at + 4 > s->size)
			return false;
		s->dir = be32(s->p + at);
	}
	if (s->dir > s->size || s->size - s->dir < 12)
		return false;
	s->ntables = be16(s->p + s->dir + 4);
	return 16 * (size_t)s->ntables <= s->size - s->dir - 12;
}

/* Table `tag` of the face, or NULL (length 0) when it has none. */
static const unsigned char *
sfnt_table(const struct sfnt *s, const char *tag, size_t *len)
{
	*len = 0;
	for (unsigned i = 0; i < s->ntables; i++) {
		const unsigned char *rec = s->p + s->dir + 12 + 16 * (size_t)i;
		if (memcmp(rec, tag, 4) != 0)
			continue;
		uint32_t off = be32(rec + 8), n = be32(rec + 12);
		if (off > s->size || n > s->size - off)
			return NULL;
		*len = n;
		return s->p + off;
	}
	return NULL;
}

/* The glyph id of astral code point cp in f's format 12 cmap subtable
 * ((3,10), else (0,4) or (0,6)), 0 when the font has no such subtable or
 * not cp.  The subtable is found on first use; groups are searched by
 * halving (they are sorted by code point, as the format requires). */
static unsigned
cmap12_gid(struct face *f, uint32_t cp)
{
	if (!f->cmap12_looked) {
		f->cmap12_looked = true;
		struct sfnt s;
		size_t len;
		const unsigned char *cmap = sfnt_open(&s, f) ? sfnt_table(&s, "cmap", &len) : NULL;
		int best = 0;
		for (size_t i = 0; cmap != NULL && len >= 4 && i < be16(cmap + 2); i++) {
			if (4 + 8 * (i + 1) > len)
				break;
			const unsigned char *rec = cmap + 4 + 8 * i;
			unsigned platform = be16(rec), encoding = be16(rec + 2);
			int rank = platform == 3 && encoding == 10 ? 2 :
			    platform == 0 && (encoding == 4 || encoding == 6) ? 1 : 0;
			uint32_t off = be32(rec + 4);
			if (rank <= best || off > len || len - off < 16 || be16(cmap + off) != 12)
				continue;
			const unsigned char *st = cmap + off;
			uint32_t groups = be32(st + 12);
			if (groups > (len - off - 16) / 12)
				continue;
			f->cmap12 = st;
			f->cmap12_groups = groups;
			best = rank;
		}
	}
	uint32_t lo = 0, hi = f->cmap12 ? f->cmap12_groups : 0;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const unsigned char *g = f->cmap12 + 16 + 12 * (size_t)mid;
		uint32_t first = be32(g), last = be32(g + 4);
		if (cp < first) {
			hi = mid;
		} else if (cp > last) {
			lo = mid + 1;
		} else {
			uint32_t gid = be32(g + 8) + (cp - first);
			HPDF_TTFontDefAttr attr = f->def->attr;
			return gid < attr->num_glyphs ? (unsigned)gid : 0;
		}
	}
	return 0;
}

/* The glyf and loca tables. */
struct glyf {
	const unsigned char *glyf, *loca;
	size_t glyf_len, loca_len;
	bool long_loca;
};

/* Glyph g's description, or NULL (length 0) for an empty glyph. */
static const unsigned char *
glyph_at(const struct glyf *t, unsigned g, size_t *len)
{
	size_t a, b;
	*len = 0;
	if (t->long_loca) {
		if (4 * ((size_t)g + 2) > t->loca_len)
			return NULL;
		a = be32(t->loca + 4 * (size_t)g);
		b = be32(t->loca + 4 * (size_t)g + 4);
	} else {
		if (2 * ((size_t)g + 2) > t->loca_len)
			return NULL;
		a = 2 * (size_t)be16(t->loca + 2 * (size_t)g);
		b = 2 * (size_t)be16(t->loca + 2 * (size_t)g + 2);
	}
	if (b <= a || b > t->glyf_len)
		return NULL;
	*len = b - a;
	return t->glyf + a;
}

/* The components of a composite glyph description, one at a time. */
struct components {
	const unsigned char *d;
	size_t len, p;
	bool more;
};

static void
components_begin(struct components *c, const unsigned char *d, size_t len)
{
	c->d = d;
	c->len = len;
	c->p = 10; /* after the glyph header */
	c->more = d != NULL && len >= 10 && (be16(d) & 0x8000); /* numberOfContours < 0 */
}

/* Offset in the description of the next component's glyph index (read it
 * unsigned), or 0 after the last one. */
static size_t
components_next(struct components *c)
{
	if (!c->more || c->p + 4 > c->len)
		return 0;
	unsigned fl = be16(c->d + c->p);
	size_t at = c->p + 2;
	c->p += 4;
	c->p += (fl & 0x0001) ? 4 : 2; /* ARG_1_AND_2_ARE_WORDS */
	if (fl & 0x0008)
		c->p += 2; /* WE_HAVE_A_SCALE */
	else if (fl & 0x0040)
		c->p += 4; /* WE_HAVE_AN_X_AND_Y_SCALE */
	else if (fl & 0x0080)
		c->p += 8; /* WE_HAVE_A_TWO_BY_TWO */
	c->more = (fl & 0x0020) != 0; /* MORE_COMPONENTS */
	return at;
}

/* Fix 1: composite glyphs.  2.3.0 reads component glyph ids as signed
 * 16-bit numbers and does not follow nested composites, so components with
 * ids >= 32768 (31,085 composites of WenQuanYi Micro Hei: 模 型 学 进 ...) or
 * behind another composite (UMing's ǖǘǚǜ) are left out of the subset and
 * those characters render blank or half-drawn.  Here every component of
 * every used glyph is marked used, recursively, in the font definition's
 * glyph flag table, reading the glyph descriptions from the font file. */
static void
fix_composite_glyphs(struct pdf_doc *doc, struct face *f, const struct glyf *t)
{
	HPDF_TTFontDefAttr attr = f->def->attr;
	unsigned n = attr->num_glyphs;
	HPDF_BYTE *flags = attr->glyph_tbl.flgs;

	uint16_t *todo = scratch_alloc(doc, (size_t)n * sizeof *todo + 1);
	size_t ntodo = 0;
	for (unsigned g = 0; g < n; g++)
		if (flags[g])
			todo[ntodo++] = (uint16_t)g;
	while (ntodo > 0) {
		size_t len;
		const unsigned char *d = glyph_at(t, todo[--ntodo], &len);
		struct components c;
		components_begin(&c, d, len);
		for (size_t at; (at = components_next(&c)) != 0;) {
			unsigned comp = be16(d + at); /* unsigned: the point of this fix */
			if (comp < n && !flags[comp]) {
				flags[comp] = 1;
				todo[ntodo++] = (uint16_t)comp;
			}
		}
	}
	scratch_free(doc, todo);
}

/* The subset: the used glyphs of the font, renumbered in their order, so
 * that the embedded program has no entries (loca, hmtx) for the tens of
 * thousands of glyphs a CJK font has and the page never shows. */
struct subset {
	size_t ncp;             /* code points used (the face's used bitmap) */
	const uint16_t *cps;    /* ncp: the code points, ascending */
	const uint16_t *gids;   /* ncp: their glyph ids in the font */
	unsigned n;             /* glyphs in the font */
	unsigned count;         /* glyphs in the subset; new id 0 is .notdef */
	const uint16_t *order;  /* count: new id -> glyph id in the font */
	const uint16_t *newid;  /* n: glyph id in the font -> new id (0: not in it) */
};

/* The new glyph id of code point cps[i]. */
static unsigned
subset_gid(const struct subset *sub, size_t i)
{
	unsigned g = sub->gids[i];
	return g < sub->n ? sub->newid[g] : 0;
}

/* Fix 3: /W and /CIDToGIDMap.  2.3.0 writes both for every BMP code point
 * the font maps (about 135 KB + 128 KB per CJK font).  Rebuilt here for the
 * code points actually used; any other CID never occurs in the content.  The
 * map points into the subset (embed_font_program). */
static void
fix_widths_and_map(struct pdf_doc *doc, struct face *f, const struct subset *sub)
{
	HPDF_Dict font = f->font;
	HPDF_FontAttr fattr = font->attr;
	HPDF_Dict cidfont = fattr->descendant_font;

	HPDF_Array w = HPDF_Array_New(font->mmgr);
	if (w == NULL || HPDF_Dict_Add(cidfont, "W", w) != HPDF_OK)
		return;
	HPDF_Array group = NULL;
	uint32_t prev = 0, max = 0;
	for (size_t i = 0; i < sub->ncp; i++) {
		uint32_t cp = sub->cps[i];
		HPDF_INT16 width = HPDF_TTFontDef_GetGidWidth(f->def, sub->gids[i]);
		if (group == NULL || cp != prev + 1) {
			group = HPDF_Array_New(font->mmgr);
			if (group == NULL || HPDF_Array_AddNumber(w, (HPDF_INT32)cp) != HPDF_OK ||
			    HPDF_Array_Add(w, group) != HPDF_OK)
				return;
		}
		HPDF_Array_AddNumber(group, width);
		prev = max = cp;
	}

	if (fattr->map_stream == NULL)
		return;
	size_t len = 2 * ((size_t)max + 1);
	unsigned char *map = scratch_alloc(doc, len);
	for (size_t i = 0; i < sub->ncp; i++)
		put_be16(map + 2 * (size_t)sub->cps[i], subset_gid(sub, i));
	replace_stream(fattr->map_stream, map, len);
	scratch_free(doc, map);
}

/* Fix 2: ToUnicode.  2.3.0 writes the encoder's CMap, a "begincidrange"
 * identity range, as the ToUnicode CMap: poppler warns it is invalid and
 * Ghostscript decodes 2-byte bfrange destinations wrongly.  A bfchar map of
 * the used code points (CID = code point) extracts exactly everywhere.  A
 * slot maps to its astral code point, a UTF-16 surrogate pair, a glyph slot
 * to the code point its glyph is a form of. */
static void
fix_to_unicode(struct pdf_doc *doc, struct face *f, const struct subset *sub)
{
	HPDF_FontAttr fattr = ((HPDF_Dict)f->font)->attr;
	HPDF_Dict cmap = fattr->cmap_stream;
	if (cmap == NULL)
		return;

	size_t count = sub->ncp;
	size_t cap = 512 + count * 20 + (count / 100 + 1) * 32;
	char *text = scratch_alloc(doc, cap);
	size_t len = 0;
#define PUT(...) (len += (size_t)snprintf(text + len, cap - len, __VA_ARGS__))
	PUT("/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\n"
	    "begincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n"
	    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	size_t in_block = 0, left = count;
	for (size_t i = 0; i < count; i++) {
		unsigned cp = sub->cps[i];
		if (in_block == 0)
			PUT("%zu beginbfchar\n", left < 100 ? left : (size_t)100);
		const struct glyph_slot *gs = find_glyph_slot(doc, cp);
		uint32_t astral = gs != NULL ? gs->base : slot_astral(doc, cp);
		if (astral > 0xFFFF)
			PUT("<%04X> <%04X%04X>\n", cp, (unsigned)(0xD800 + ((astral - 0x10000) >> 10)),
			    (unsigned)(0xDC00 + ((astral - 0x10000) & 0x3FF)));
		else
			PUT("<%04X> <%04X>\n", cp, astral != 0 ? astral : cp);
		left--;
		if (++in_block == 100 || left == 0) {
			PUT("endbfchar\n");
			in_block = 0;
		}
	}
	PUT("endcmap\n"
	    "CMapName currentdict /CMap defineresource pop\n"
	    "end\n"
	    "end\n");
#undef PUT
	replace_stream(cmap, text, len);
	scratch_free(doc, text);
	/* The encoder CMap's own entries do not belong on a ToUnicode stream. */
	HPDF_Dict_RemoveElement(cmap, "Type");
	HPDF_Dict_RemoveElement(cmap, "CMapName");
	HPDF_Dict_RemoveElement(cmap, "CIDSystemInfo");
	HPDF_Dict_RemoveElement(cmap, "WMode");
}

static uint32_t
table_checksum(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;
	size_t i = 0;
	for (; i + 4 <= len; i += 4)
		sum += be32(p + i);
	if (i < len) {
		unsigned char w[4] = {0, 0, 0, 0};
		memcpy(w, p + i, len - i);
		sum += be32(w);
	}
	return sum;
}

static size_t
pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* The subset's cmap: a (3,1) format 4 subtable mapping the used code points
 * to the new glyph ids, or (3,10) format 12 when format 4's 64 KB limit is
 * exceeded (thousands of scattered code points).  No renderer needs it for
 * a CIDFontType2 font (the CIDToGIDMap decides), but it keeps the embedded
 * program a complete TrueType font.  With out == NULL, only the size. */
static size_t
write_cmap(unsigned char *out, const struct subset *sub)
{
	size_t nseg = 0;
	uint32_t prev_cp = 0;
	unsigned prev_g = 0;
	for (size_t j = 0; j < sub->ncp; j++) {
		uint32_t cp = sub->cps[j];
		unsigned g = subset_gid(sub, j);
		if (g == 0 || cp == 0xFFFF)
			continue;
		if (nseg == 0 || cp != prev_cp + 1 || g != prev_g + 1)
			nseg++;
		prev_cp = cp;
		prev_g = g;
	}
	bool fmt12 = 16 + 8 * (nseg + 1) > 0xFFFF;
	size_t size = fmt12 ? 12 + 16 + 12 * nseg : 12 + 16 + 8 * (nseg + 1);
	if (out == NULL)
		return size;

	put_be16(out, 0);     /* version */
	put_be16(out + 2, 1); /* one encoding record */
	put_be16(out + 4, 3); /* Windows */
	put_be16(out + 6, fmt12 ? 10 : 1);
	put_be32(out + 8, 12);
	unsigned char *st = out + 12;
	if (fmt12) {
		put_be16(st, 12);
		put_be32(st + 4, (uint32_t)(size - 12));
		put_be32(st + 12, (uint32_t)nseg);
	} else {
		size_t segs = nseg + 1, sel = 0;
		while ((2u << sel) <= segs)
			sel++;
		put_be16(st, 4);
		put_be16(st + 2, (unsigned)(size - 12));
		put_be16(st + 6, (unsigned)(2 * segs));
		put_be16(st + 8, (unsigned)(2u << sel)); /* searchRange */
		put_be16(st + 10, (unsigned)sel);         /* entrySelector */
		put_be16(st + 12, (unsigned)(2 * segs - (2u << sel)));
		/* the closing segment: 0xFFFF to .notdef */
		put_be16(st + 14 + 2 * nseg, 0xFFFF);
		put_be16(st + 16 + 2 * segs + 2 * nseg, 0xFFFF);
		put_be16(st + 16 + 4 * segs + 2 * nseg, 1);
	}
	size_t i = 0;
	for (size_t j = 0; j < sub->ncp; j++) {
		uint32_t cp = sub->cps[j];
		unsigned g = subset_gid(sub, j);
		if (g == 0 || cp == 0xFFFF)
			continue;
		bool start = i == 0 || cp != prev_cp + 1 || g != prev_g + 1;
		if (start)
			i++;
		if (fmt12) {
			unsigned char *grp = st + 16 + 12 * (i - 1);
			if (start) {
				put_be32(grp, cp);
				put_be32(grp + 8, g);
			}
			put_be32(grp + 4, cp);
		} else {
			size_t segs = nseg + 1, k = i - 1;
			put_be16(st + 14 + 2 * k, cp); /* endCode */
			if (start) {
				put_be16(st + 16 + 2 * segs + 2 * k, cp);              /* startCode */
				put_be16(st + 16 + 4 * segs + 2 * k, (g - cp) & 0xFFFF); /* idDelta */
			}
		}
		prev_cp = cp;
		prev_g = g;
	}
	return size;
}

/* The subset's name table: the records with name ids 0 to 6 (copyright,
 * family, style, unique id, full name, version, PostScript name), as font
 * subsetters keep by default; the rest is mostly licence text (20 KB in
 * UMing, 14 KB in DejaVu Sans), which no renderer reads.  A table that is
 * not format 0, or malformed, is copied whole.  With out == NULL, only the
 * size. */
static size_t
write_name(unsigned char *out, const unsigned char *src, size_t len)
{
	if (len < 6 || be16(src) != 0)
		goto whole;
	size_t count = be16(src + 2), strings = be16(src + 4);
	if (6 + 12 * count > len || strings > len)
		goto whole;
	size_t kept = 0, bytes = 0;
	for (size_t i = 0; i < count; i++) {
		const unsigned char *r = src + 6 + 12 * i;
		size_t at = strings + be16(r + 10), n = be16(r + 8);
		if (be16(r + 6) > 6)
			continue;
		if (at + n > len)
			goto whole;
		kept++;
		bytes += n;
	}
	if (out != NULL) {
		put_be16(out, 0);
		put_be16(out + 2, (unsigned)kept);
		put_be16(out + 4, (unsigned)(6 + 12 * kept));
		unsigned char *rec = out + 6, *str = out + 6 + 12 * kept;
		size_t off = 0;
		for (size_t i = 0; i < count; i++) {
			const unsigned char *r = src + 6 + 12 * i;
			size_t n = be16(r + 8);
			if (be16(r + 6) > 6)
				continue;
			memcpy(rec, r, 8); /* platform, encoding, language, name id */
			put_be16(rec + 8, (unsigned)n);
			put_be16(rec + 10, (unsigned)off);
			memcpy(str + off, src + strings + be16(r + 10), n);
			rec += 12;
			off += n;
		}
	}
	return 6 + 12 * kept + bytes;
whole:
	if (out != NULL)
		memcpy(out, src, len);
	return len;
}

/* Writes (1) the subset TrueType program, i.e. libharu's
 * HPDF_TTFontDef_SaveFontData, and (2) the rest of the font's before-write
 * hook (the font descriptor with the program as /FontFile2, the BaseFont
 * entries), with the same objects, entries and values, and unhooks it.
 *
 * (1) 2.3.0 copies cmap, hmtx, loca and name whole, with the glyphs not used
 * left empty: 400 KB for a CJK font, most of it entries for glyphs that are
 * never shown, all of it deflated on every save.  Here the program has the
 * used glyphs only, renumbered (struct subset), with the component ids of
 * composite glyphs rewritten to the new numbers; the glyph descriptions,
 * including their instructions, are copied byte for byte, each glyph keeps
 * its own advance and left side bearing, and OS/2, cvt, fpgm and prep are
 * copied whole: a renderer draws exactly the same outlines; name keeps its
 * first records (write_name).  head
 * (long loca offsets), hhea and maxp get the new glyph count; cmap maps the
 * used code points (write_cmap).
 *
 * Fix 4, the `post` table: 2.3.0 copies it whole (format 2 with 27k-50k
 * glyph names: 115-197 KB per CJK font) although a PDF renderer never reads
 * glyph names.  The program gets a 32-byte format 3 `post` instead (same
 * italic angle, underline and pitch fields, no names). */
static void
embed_font_program(struct pdf_doc *doc, struct face *f, const struct sfnt *s,
    const struct glyf *t, const struct subset *sub)
{
	enum { T_OS2, T_CMAP, T_CVT, T_FPGM, T_GLYF, T_HEAD, T_HHEA, T_HMTX, T_LOCA, T_MAXP,
		T_NAME, T_POST, T_PREP, T_COUNT };
	static const char *const tags[T_COUNT] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head",
	    "hhea", "hmtx", "loca", "maxp", "name", "post", "prep"}; /* sorted, as required */
	HPDF_Dict font = f->font;
	HPDF_FontAttr fattr = font->attr;
	HPDF_FontDef def = fattr->fontdef;
	HPDF_TTFontDefAttr dattr = def->attr;

	if (fattr->map_stream)
		fattr->map_stream->filter = font->filter;
	if (fattr->cmap_stream)
		fattr->cmap_stream->filter = font->filter;

	if (def->descriptor == NULL) {
		const unsigned char *src[T_COUNT] = {NULL};
		size_t len[T_COUNT] = {0};
		for (int k = 0; k < T_COUNT; k++)
			src[k] = sfnt_table(s, tags[k], &len[k]);
		size_t hmtx_len = len[T_HMTX], post_len = len[T_POST], name_len = len[T_NAME];
		const unsigned char *hmtx = src[T_HMTX], *post = src[T_POST], *name = src[T_NAME];
		if (len[T_HEAD] < 54 || len[T_HHEA] < 36 || len[T_MAXP] < 6) {
			diag_emit(DIAG_FONT_BAD, NULL, 0, 0, f->key, f->path,
			    "its head, hhea or maxp table is missing or short");
			op_abort(doc);
		}
		len[T_GLYF] = 0;
		for (unsigned i = 0; i < sub->count; i++) {
			size_t glen;
			glyph_at(t, sub->order[i], &glen);
			len[T_GLYF] += pad4(glen);
		}
		len[T_LOCA] = 4 * ((size_t)sub->count + 1);
		len[T_HMTX] = 4 * (size_t)sub->count;
		len[T_CMAP] = write_cmap(NULL, sub);
		len[T_POST] = 32;
		if (name != NULL)
			len[T_NAME] = write_name(NULL, name, name_len);

		/* glyf may be empty (spaces only); any other table the font lacks
		 * (UMing has no cvt, fpgm or prep) is left out, where 2.3.0 listed
		 * it with length 0 */
		size_t ntables = 0, size, off[T_COUNT] = {0};
		for (int k = 0; k < T_COUNT; k++)
			ntables += len[k] > 0 || k == T_GLYF;
		size = 12 + 16 * ntables;
		for (int k = 0; k < T_COUNT; k++)
			if (len[k] > 0 || k == T_GLYF) {
				off[k] = size;
				size += pad4(len[k]);
			}
		unsigned char *out = scratch_alloc(doc, size);
		put_be32(out, 0x00010000); /* TrueType outlines */
		put_be16(out + 4, (unsigned)ntables);
		unsigned sel = 0;
		while ((2u << sel) <= ntables)
			sel++;
		put_be16(out + 6, 16u << sel); /* searchRange */
		put_be16(out + 8, sel);        /* entrySelector */
		put_be16(out + 10, (unsigned)(ntables * 16 - (16u << sel)));

		size_t rec = 12;
		unsigned nh = be16(src[T_HHEA] + 34); /* numberOfHMetrics */
		for (int k = 0; k < T_COUNT; k++) {
			if (len[k] == 0 && k != T_GLYF)
				continue;
			unsigned char *p = out + off[k];
			switch (k) {
			case T_GLYF: {
				size_t at = 0;
				unsigned char *loca = out + off[T_LOCA];
				for (unsigned i = 0; i < sub->count; i++) {
					size_t glen;
					const unsigned char *d = glyph_at(t, sub->order[i], &glen);
					put_be32(loca + 4 * i, (uint32_t)at);
					if (d == NULL)
						continue;
					memcpy(p + at, d, glen);
					struct components c;
					components_begin(&c, d, glen);
					for (size_t ci; (ci = components_next(&c)) != 0;) {
						unsigned comp = be16(d + ci);
						put_be16(p + at + ci, comp < sub->n ? sub->newid[comp] : 0);
					}
					at += pad4(glen);
				}
				put_be32(loca + 4 * (size_t)sub->count, (uint32_t)at);
				break;
			}
			case T_LOCA: /* written with glyf */
				break;
			case T_HEAD:
				memcpy(p, src[k], len[k]);
				put_be32(p + 8, 0); /* checkSumAdjustment, set below */
				put_be16(p + 50, 1); /* indexToLocFormat: long */
				break;
			case T_HHEA:
				memcpy(p, src[k], len[k]);
				put_be16(p + 34, sub->count);
				break;
			case T_MAXP:
				memcpy(p, src[k], len[k]);
				put_be16(p + 4, sub->count);
				break;
			case T_HMTX:
				for (unsigned i = 0; i < sub->count; i++) {
					unsigned g = sub->order[i], adv = 0, lsb = 0;
					size_t a = g < nh ? 4 * (size_t)g : nh ? 4 * ((size_t)nh - 1) : 0;
					size_t l = g < nh ? a + 2 : 4 * (size_t)nh + 2 * ((size_t)g - nh);
					if (nh > 0 && a + 2 <= hmtx_len)
						adv = be16(hmtx + a);
					if (nh > 0 && l + 2 <= hmtx_len)
						lsb = be16(hmtx + l);
					put_be16(p + 4 * i, adv);
					put_be16(p + 4 * i + 2, lsb);
				}
				break;
			case T_CMAP:
				write_cmap(p, sub);
				break;
			case T_NAME:
				write_name(p, name, name_len);
				break;
			case T_POST:
				put_be32(p, 0x00030000);
				if (post != NULL && post_len >= 16)
					memcpy(p + 4, post + 4, 12);
				break;
			default:
				memcpy(p, src[k], len[k]);
				break;
			}
			memcpy(out + rec, tags[k], 4);
			put_be32(out + rec + 8, (uint32_t)off[k]);
			put_be32(out + rec + 12, (uint32_t)len[k]);
			rec += 16;
		}
		/* checksums once every table is written (loca is written with glyf) */
		for (size_t r = 12; r < rec; r += 16)
			put_be32(out + r + 4, table_checksum(out + be32(out + r + 8), be32(out + r + 12)));
		put_be32(out + off[T_HEAD] + 8, 0xB1B0AFBAu - table_checksum(out, size));

		/* the descriptor, as 2.3.0's CIDFontType2_BeforeWrite_Func makes it */
		HPDF_Dict descriptor = HPDF_Dict_New(font->mmgr);
		if (descriptor == NULL)
			return;
		HPDF_Dict data = HPDF_DictStream_New(font->mmgr, fattr->xref);
		if (data == NULL || HPDF_Stream_Write(data->stream, out, (HPDF_UINT)size) != HPDF_OK)
			return;
		scratch_free(doc, out);
		HPDF_STATUS ret = HPDF_OK;
		ret += HPDF_Dict_Add(descriptor, "FontFile2", data);
		ret += HPDF_Dict_AddNumber(data, "Length1", (HPDF_INT32)size);
		ret += HPDF_Dict_AddNumber(data, "Length2", 0);
		ret += HPDF_Dict_AddNumber(data, "Length3", 0);
		data->filter = font->filter;
		if (ret != HPDF_OK)
			return;
		ret += HPDF_Xref_Add(fattr->xref, descriptor);
		ret += HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor");
		ret += HPDF_Dict_AddNumber(descriptor, "Ascent", def->ascent);
		ret += HPDF_Dict_AddNumber(descriptor, "Descent", def->descent);
		ret += HPDF_Dict_AddNumber(descriptor, "Flags", (HPDF_INT32)def->flags);
		ret += HPDF_Dict_Add(descriptor, "FontBBox", HPDF_Box_Array_New(font->mmgr, def->font_bbox));
		ret += HPDF_Dict_AddName(descriptor, "FontName", dattr->base_font);
		ret += HPDF_Dict_AddNumber(descriptor, "ItalicAngle", def->italic_angle);
		ret += HPDF_Dict_AddNumber(descriptor, "StemV", def->stemv);
		ret += HPDF_Dict_AddNumber(descriptor, "XHeight", def->x_height);
		if (ret != HPDF_OK)
			return;
		def->descriptor = descriptor;
	}
	if (HPDF_Dict_AddName(font, "BaseFont", dattr->base_font) != HPDF_OK ||
	    HPDF_Dict_AddName(fattr->descendant_font, "BaseFont", dattr->base_font) != HPDF_OK ||
	    HPDF_Dict_Add(fattr->descendant_font, "FontDescriptor", def->descriptor) != HPDF_OK)
		return;
	font->before_write_fn = NULL;
}

static void
op_repair(struct pdf_doc *doc, void *arg)
{
	struct face *f = arg;
	HPDF_TTFontDefAttr attr = f->def->attr;
	unsigned n = attr->num_glyphs;
	HPDF_BYTE *flags = attr->glyph_tbl.flgs;

	if (f->used == NULL)
		f->used = xcalloc(BMP_SIZE / 8, 1);

	struct sfnt s;
	struct glyf t;
	size_t head_len;
	const unsigned char *head = NULL;
	if (sfnt_open(&s, f))
		head = sfnt_table(&s, "head", &head_len);
	t.glyf = sfnt_table(&s, "glyf", &t.glyf_len);
	t.loca = sfnt_table(&s, "loca", &t.loca_len);
	if (head == NULL || head_len < 54 || t.loca == NULL || flags == NULL || n == 0) {
		diag_emit(DIAG_FONT_BAD, NULL, 0, 0, f->key, f->path,
		    "its table directory, head or loca table is unreadable");
		op_abort(doc);
	}
	t.long_loca = be16(head + 50) != 0;

	/* The glyphs of the code points used (libharu marked those it was
	 * asked to show), .notdef, then their components. */
	struct subset sub = {.n = n};
	size_t ncp = 0;
	for (size_t b = 0; b < BMP_SIZE / 8; b++)
		for (unsigned bits = f->used[b]; bits; bits &= bits - 1)
			ncp++;
	uint16_t *cps = scratch_alloc(doc, (ncp + 1) * sizeof *cps);
	uint16_t *gids = scratch_alloc(doc, (ncp + 1) * sizeof *gids);
	ncp = 0;
	for (size_t b = 0; b < BMP_SIZE / 8; b++)
		for (unsigned bit = 0; f->used[b] >> bit; bit++)
			if (f->used[b] & (1u << bit)) {
				uint32_t cp = 8 * (uint32_t)b + bit;
				cps[ncp] = (uint16_t)cp;
				gids[ncp] = (uint16_t)face_gid(doc, f, cp);
				if (gids[ncp] < n)
					flags[gids[ncp]] = 1;
				ncp++;
			}
	flags[0] = 1;
	sub.ncp = ncp;
	sub.cps = cps;
	sub.gids = gids;
	fix_composite_glyphs(doc, f, &t);
	uint16_t *order = scratch_alloc(doc, (size_t)n * sizeof *order);
	uint16_t *newid = scratch_alloc(doc, (size_t)n * sizeof *newid);
	for (unsigned g = 0; g < n; g++)
		if (flags[g]) {
			newid[g] = (uint16_t)sub.count;
			order[sub.count++] = (uint16_t)g;
		}
	sub.order = order;
	sub.newid = newid;

	fix_widths_and_map(doc, f, &sub);
	fix_to_unicode(doc, f, &sub);
	embed_font_program(doc, f, &s, &t, &sub);
}

/* ------------------------------------------------------------ save */

static void
op_save(struct pdf_doc *doc, void *arg)
{
	(void)arg;
	HPDF_SaveToStream(doc->hpdf);
}

/* atomicfile's fill: the saved document, libharu's memory stream, buffer by
 * buffer; false (after reporting) when the stream is shorter than it says. */
static bool
fill_saved(FILE *f, const void *arg)
{
	const struct pdf_doc *doc = arg;
	HPDF_Stream s = doc->hpdf->stream;
	size_t left = s ? s->size : 0;
	HPDF_UINT nbufs = s ? HPDF_MemStream_GetBufCount(s) : 0;
	for (HPDF_UINT i = 0; i < nbufs && left > 0; i++) {
		HPDF_UINT blen = 0;
		const HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(s, i, &blen);
		if (b == NULL)
			break;
		if (blen > left)
			blen = (HPDF_UINT)left;
		if (fwrite(b, 1, blen, f) != blen)
			return true; /* the stream error is atomicfile's to report */
		left -= blen;
	}
	if (left > 0 || s == NULL) {
		diag_emit(DIAG_PDF_LIBRARY, NULL, 0, 0, (unsigned)HPDF_INVALID_STREAM,
		    "the saved document is incomplete", "saving the document");
		return false;
	}
	return true;
}

bool
pdf_save(struct pdf_doc *doc, const char *path)
{
	if (!pdf_ok(doc))
		return false;
	for (int i = 0; i < doc->nfaces; i++) {
		struct face *f = &doc->faces[i];
		if (f->font == NULL || f->repaired)
			continue;
		/* Two files with the same font name share one libharu font (see
		 * op_load_font): repair it once, for the code points of both. */
		for (int j = i + 1; j < doc->nfaces; j++) {
			struct face *g = &doc->faces[j];
			if (g->font != f->font || g->used == NULL)
				continue;
			if (f->used == NULL)
				f->used = xcalloc(BMP_SIZE / 8, 1);
			for (size_t b = 0; b < BMP_SIZE / 8; b++)
				f->used[b] |= g->used[b];
			g->repaired = true;
		}
		char context[CONFIG_TEXT_MAX + 64];
		snprintf(context, sizeof context, "preparing the %s font '%s' for embedding", f->key,
		    f->path);
		if (!guarded(doc, context, op_repair, f))
			return false;
		f->repaired = true;
	}
	if (!guarded(doc, "saving the document", op_save, NULL))
		return false;
	return atomicfile_write(path, fill_saved, doc);
}

/* ------------------------------------------------------------ the handout's
 * spaced text, destinations, links and bookmarks
 *
 * What the typeset handout needs beyond drawing (layout_pdf.c): justified
 * lines set with extra character spacing, named destinations that links and
 * bookmarks jump to, web links, and the view a reader opens the file with.
 * Destinations are explicit (page + FitH): XYZ with zoom 0 is refused by
 * 2.3.0 (0x1039).  They are also listed by name in the catalog's /Dests, so
 * "report.pdf#nameddest=sec:vae" works in viewers that support it. */

struct pdf_dest {
	char *name;
	HPDF_Destination dst; /* owned by libharu */
};

#define OUTLINE_DEPTH 8

struct pdf_links {
	struct pdf_dest *dests;
	size_t ndests, cap;
	HPDF_Dict names;                     /* the catalog's /Dests, from the first dest */
	HPDF_Outline outline[OUTLINE_DEPTH]; /* the last bookmark of each level */
	int depth;                           /* valid entries of outline[] */
};

static void
links_free(struct pdf_links *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->ndests; i++)
		free(l->dests[i].name);
	free(l->dests);
	free(l);
}

static struct pdf_links *
links_of(struct pdf_doc *doc)
{
	if (doc->links == NULL)
		doc->links = xcalloc(1, sizeof *doc->links);
	return doc->links;
}

static HPDF_Destination
find_dest(const struct pdf_doc *doc, const char *name)
{
	const struct pdf_links *l = doc->links;
	if (l == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < l->ndests; i++)
		if (strcmp(l->dests[i].name, name) == 0)
			return l->dests[i].dst;
	return NULL;
}

/* True if libharu would draw face k bold by itself: synthetic bold on top
 * would thicken it twice.  A bold role that shares the upright file is not. */
static bool
face_is_bold(const struct pdf_doc *doc, int k)
{
	if (k == doc->role_face[PDF_FONT_LATIN_SERIF] || k == doc->role_face[PDF_FONT_LATIN_ITALIC])
		return false;
	return k == doc->role_face[PDF_FONT_LATIN_BOLD] ||
	    k == doc->role_face[PDF_FONT_LATIN_BOLD_ITALIC];
}

struct spaced_arg {
	const struct pdf_text_style *st;
	double x, y, space;
	const char *text;
};

static void
op_spaced_text(struct pdf_doc *doc, void *arg)
{
	struct spaced_arg *a = arg;
	const struct pdf_text_style *st = a->st;
	shape(doc, st->role, style_latin(doc, st), a->text);
	if (doc->nruns == 0)
		return;
	HPDF_Page page = doc->pages[doc->cur];

	/* No q/Q: the cache keeps the colours, alpha and line style right, and
	 * the text state (Tc, Tr) is put back before ET, as PDF keeps it across
	 * text objects. */
	gs_alpha(doc, page, st->alpha, st->alpha);
	gs_fill(doc, page, st->color);
	if (st->bold) {
		gs_stroke(doc, page, st->color);
		gs_width(doc, page, st->size * BOLD_STROKE);
		gs_join(doc, page, HPDF_ROUND_JOIN);
		gs_solid(doc, page);
	}
	double space = a->space;
	if (!isfinite(space))
		space = 0;
	space = space < HPDF_MIN_CHARSPACE ? HPDF_MIN_CHARSPACE :
	    space > HPDF_MAX_CHARSPACE ? HPDF_MAX_CHARSPACE : space;
	HPDF_Page_BeginText(page);
	if (space != 0)
		HPDF_Page_SetCharSpace(page, real(space));
	double c = 1, s = 0;
	if (fabs(st->angle) >= 1e-9) {
		double rad = st->angle * (3.14159265358979323846 / 180.0);
		c = cos(rad);
		s = sin(rad);
	}
	HPDF_Page_SetTextMatrix(page, real(c), real(s), real(-s), real(c), real(a->x), real(a->y));
	/* The font and size are graphics state: a line continuing in the face
	 * and size of the previous one needs no Tf. */
	HPDF_Font cur = HPDF_Page_GetCurrentFont(page);
	if (HPDF_Page_GetCurrentFontSize(page) != real(st->size))
		cur = NULL;
	bool stroking = false;
	for (size_t i = 0; i < doc->nruns; i++) {
		const struct run *r = &doc->runs[i];
		HPDF_Font font = face_font(doc, &doc->faces[r->face]);
		if (font != cur) {
			HPDF_Page_SetFontAndSize(page, font, real(st->size));
			cur = font;
		}
		bool stroke = st->bold && !face_is_bold(doc, r->face);
		if (stroke != stroking) {
			HPDF_Page_SetTextRenderingMode(page, stroke ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
			stroking = stroke;
		}
		HPDF_Page_ShowText(page, doc->runbuf + r->off);
	}
	if (stroking)
		HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
	if (space != 0)
		HPDF_Page_SetCharSpace(page, 0);
	HPDF_Page_EndText(page);
}

bool
pdf_text_spaced(struct pdf_doc *doc, double x, double y, const struct pdf_text_style *st,
    double char_space, const char *text)
{
	if (!pdf_ok(doc) || doc->cur < 0 || (unsigned)st->role >= PDF_FONT_ROLE_COUNT ||
	    text == NULL)
		return false;
	struct spaced_arg a = {.st = st, .x = x, .y = y, .space = char_space, .text = text};
	return guarded(doc, "drawing text", op_spaced_text, &a);
}

struct nav_arg {
	int page, level;
	double top, x, y, w, h;
	const char *name, *uri, *title;
	HPDF_Destination dst;
	bool open;
};

static void
op_add_dest(struct pdf_doc *doc, void *arg)
{
	struct nav_arg *a = arg;
	struct pdf_links *l = links_of(doc);
	HPDF_Destination dst = HPDF_Page_CreateDestination(doc->pages[a->page]);
	HPDF_Destination_SetFitH(dst, real(a->top));
	if (l->ndests == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->dests = xrealloc(l->dests, l->cap * sizeof *l->dests);
	}
	l->dests[l->ndests++] = (struct pdf_dest){xstrdup(a->name), dst};
	/* PDF names are at most 127 bytes in libharu; longer ones stay
	 * reachable through links and bookmarks only. */
	if (strlen(a->name) > HPDF_LIMIT_MAX_NAME_LEN)
		return;
	if (l->names == NULL) {
		l->names = HPDF_Dict_New(doc->hpdf->mmgr);
		if (l->names == NULL)
			return; /* recorded; guarded() reports it */
		HPDF_Dict_Add(doc->hpdf->catalog, "Dests", l->names);
	}
	HPDF_Dict_Add(l->names, a->name, dst);
}

bool
pdf_add_dest(struct pdf_doc *doc, int page, double top, const char *name)
{
	if (!pdf_ok(doc) || page < 0 || page >= doc->npages || name == NULL || name[0] == '\0' ||
	    find_dest(doc, name) != NULL)
		return false;
	if (!isfinite(top))
		top = doc->height;
	struct nav_arg a = {.page = page, .top = top, .name = name};
	return guarded(doc, "adding a link destination", op_add_dest, &a);
}

/* ---- Marked content: /Span <</ActualText …>> BDC … EMC, written into the
 * page's content stream directly (libharu 2.3.0 has no call for it),
 * between operators, never inside BT/ET or a path.  The operators change
 * no graphics or text state, so the gs_* cache stays true. */

struct span_arg {
	const char *utf8; /* NULL: EMC */
};

static void
op_span(struct pdf_doc *doc, void *arg)
{
	const struct span_arg *a = arg;
	HPDF_Page page = doc->pages[doc->cur];
	HPDF_PageAttr attr = page->attr;
	if (attr->gmode != HPDF_GMODE_PAGE_DESCRIPTION) {
		HPDF_SetError(page->error, HPDF_PAGE_INVALID_GMODE, 0);
		return;
	}
	if (a->utf8 == NULL) {
		HPDF_Stream_WriteStr(attr->stream, "EMC\012");
		return;
	}
	/* the text as UTF-16BE with a byte order mark, in hex; astral code
	 * points as surrogate pairs, malformed UTF-8 as U+FFFD */
	size_t n = strlen(a->utf8);
	char *buf = scratch_alloc(doc, 8 * n + 64);
	char *o = buf;
	o += sprintf(o, "/Span <</ActualText <FEFF");
	const unsigned char *p = (const unsigned char *)a->utf8;
	while (*p) {
		uint32_t cp = utf8_next(&p);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			o += sprintf(o, "%04X%04X", (unsigned)(0xD800 + (cp >> 10)),
			    (unsigned)(0xDC00 + (cp & 0x3FF)));
		} else {
			o += sprintf(o, "%04X", (unsigned)cp);
		}
	}
	sprintf(o, ">>> BDC\012");
	HPDF_Stream_WriteStr(attr->stream, buf);
}

bool
pdf_begin_actual_text(struct pdf_doc *doc, const char *utf8)
{
	if (!pdf_ok(doc) || doc->cur < 0 || utf8 == NULL ||
	    (doc->spans > 0 && doc->cur != doc->span_page))
		return false;
	struct span_arg a = {utf8};
	if (!guarded(doc, "marking text for extraction", op_span, &a))
		return false;
	doc->spans++;
	doc->span_page = doc->cur;
	return true;
}

bool
pdf_end_actual_text(struct pdf_doc *doc)
{
	if (!pdf_ok(doc) || doc->cur < 0 || doc->spans <= 0 || doc->cur != doc->span_page)
		return false;
	struct span_arg a = {NULL};
	if (!guarded(doc, "marking text for extraction", op_span, &a))
		return false;
	doc->spans--;
	return true;
}

bool
pdf_has_dest(const struct pdf_doc *doc, const char *name)
{
	return doc != NULL && find_dest(doc, name) != NULL;
}

static void
op_link(struct pdf_doc *doc, void *arg)
{
	struct nav_arg *a = arg;
	HPDF_Page page = doc->pages[doc->cur];
	HPDF_Rect rect = {real(a->x), real(a->y), real(a->x + a->w), real(a->y + a->h)};
	HPDF_Annotation an = a->uri ? HPDF_Page_CreateURILinkAnnot(page, rect, a->uri) :
	    HPDF_Page_CreateLinkAnnot(page, rect, a->dst);
	/* No border: the default is a visible 1 pt box in some viewers. */
	HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
}

static bool
rect_ok(double x, double y, double w, double h)
{
	return isfinite(x) && isfinite(y) && isfinite(w) && isfinite(h) && w > 0 && h > 0;
}

bool
pdf_link(struct pdf_doc *doc, double x, double y, double w, double h, const char *dest)
{
	if (!pdf_ok(doc) || doc->cur < 0 || !rect_ok(x, y, w, h))
		return false;
	HPDF_Destination dst = find_dest(doc, dest);
	if (dst == NULL)
		return false;
	struct nav_arg a = {.x = x, .y = y, .w = w, .h = h, .dst = dst};
	return guarded(doc, "adding a link", op_link, &a);
}

bool
pdf_uri_link(struct pdf_doc *doc, double x, double y, double w, double h, const char *uri)
{
	if (!pdf_ok(doc) || doc->cur < 0 || !rect_ok(x, y, w, h) || uri == NULL || uri[0] == '\0')
		return false;
	struct nav_arg a = {.x = x, .y = y, .w = w, .h = h, .uri = uri};
	return guarded(doc, "adding a web link", op_link, &a);
}

static void
op_outline(struct pdf_doc *doc, void *arg)
{
	struct nav_arg *a = arg;
	struct pdf_links *l = links_of(doc);

	/* What the text functions drop (controls, joiners) is dropped from
	 * titles too, and so is every code point beyond the BMP: libharu's
	 * UTF-8 encoder knows the BMP only, and slots mean nothing here. */
	size_t n = strlen(a->title);
	char *title = scratch_alloc(doc, n + 1);
	size_t len = 0;
	const unsigned char *p = (const unsigned char *)a->title;
	while (*p) {
		const unsigned char *start = p;
		uint32_t cp = utf8_next(&p);
		if (cp == '\t' || cp == '\n')
			cp = ' ';
		if (ignorable(cp) || cp > 0xFFFF || cp == 0xFFFD)
			continue;
		if (cp == ' ') {
			if (len > 0 && title[len - 1] != ' ')
				title[len++] = ' ';
			continue;
		}
		memcpy(title + len, start, (size_t)(p - start));
		len += (size_t)(p - start);
	}
	while (len > 0 && title[len - 1] == ' ')
		len--;
	title[len] = '\0';

	int level = a->level < 1 ? 1 : a->level > OUTLINE_DEPTH ? OUTLINE_DEPTH : a->level;
	if (level > l->depth + 1)
		level = l->depth + 1; /* a skipped level hangs under the deepest one */
	HPDF_Outline parent = level > 1 ? l->outline[level - 2] : NULL;
	HPDF_Outline o = HPDF_CreateOutline(doc->hpdf, parent, title,
	    HPDF_GetEncoder(doc->hpdf, "UTF-8"));
	HPDF_Outline_SetDestination(o, a->dst);
	HPDF_Outline_SetOpened(o, a->open ? HPDF_TRUE : HPDF_FALSE);
	l->outline[level - 1] = o;
	l->depth = level;
}

bool
pdf_add_outline(struct pdf_doc *doc, int level, const char *title, const char *dest, bool open)
{
	if (!pdf_ok(doc) || title == NULL)
		return false;
	HPDF_Destination dst = find_dest(doc, dest);
	if (dst == NULL)
		return false;
	struct nav_arg a = {.level = level, .title = title, .dst = dst, .open = open};
	return guarded(doc, "adding a bookmark", op_outline, &a);
}

static void
op_open_view(struct pdf_doc *doc, void *arg)
{
	(void)arg;
	HPDF_Destination dst = HPDF_Page_CreateDestination(doc->pages[0]);
	HPDF_Destination_SetFitH(dst, real(doc->height));
	HPDF_SetOpenAction(doc->hpdf, dst);
	if (doc->links && doc->links->depth > 0)
		HPDF_SetPageMode(doc->hpdf, HPDF_PAGE_MODE_USE_OUTLINE);
}

bool
pdf_set_open_view(struct pdf_doc *doc)
{
	if (!pdf_ok(doc) || doc->npages == 0)
		return false;
	return guarded(doc, "setting the opening view", op_open_view, NULL);
}

struct ink_arg {
	const struct pdf_text_style *st;
	const char *text;
	double top, bottom, overhang;
	double left, right; /* horizontal ink from the text's origin */
};

/* The outline box of glyph gid of f, in 1/1000 em; false for a glyph
 * without outline (a space) or none at all.  The glyph's header is read from
 * the font file and scaled as 2.3.0's HPDF_TTFontDef_GetCharBBox scales it
 * (font units x 1000 / unitsPerEm, truncated); that function is not used
 * because it takes a BMP code point (a slot's glyph is not found by its
 * code point) and reads the next glyph's header for an empty glyph. */
static bool
glyph_box(struct face *f, unsigned gid, HPDF_Box *box)
{
	HPDF_TTFontDefAttr attr = f->def->attr;
	if (gid == 0 || gid >= attr->num_glyphs ||
	    attr->glyph_tbl.offsets[gid + 1] <= attr->glyph_tbl.offsets[gid])
		return false;
	size_t at = (size_t)attr->glyph_tbl.base_offset +
	    (size_t)attr->glyph_tbl.offsets[gid] * (attr->header.index_to_loc_format == 0 ? 2 : 1);
	if (f->data == NULL || at + 10 > f->size || attr->header.units_per_em == 0)
		return false;
	HPDF_INT32 upem = attr->header.units_per_em, v[4];
	for (int i = 0; i < 4; i++)
		v[i] = (HPDF_INT16)be16(f->data + at + 2 + 2 * i);
	box->left = (HPDF_REAL)(v[0] * 1000 / upem);
	box->bottom = (HPDF_REAL)(v[1] * 1000 / upem);
	box->right = (HPDF_REAL)(v[2] * 1000 / upem);
	box->top = (HPDF_REAL)(v[3] * 1000 / upem);
	return box->right > box->left || box->top > box->bottom;
}

static void
op_text_ink(struct pdf_doc *doc, void *arg)
{
	struct ink_arg *a = arg;
	double k = a->st->size / 1000.0, x = 0;
	bool any = false;
	shape(doc, a->st->role, style_latin(doc, a->st), a->text);
	for (size_t i = 0; i < doc->nruns; i++) {
		const struct run *r = &doc->runs[i];
		struct face *f = &doc->faces[r->face];
		const unsigned char *p = (const unsigned char *)doc->runbuf + r->off;
		const unsigned char *end = p + r->len;
		while (p < end) {
			uint32_t cp = utf8_next(&p);
			HPDF_Box box;
			unsigned gid = face_gid(doc, f, cp);
			bool inked = glyph_box(f, gid, &box);
			double adv = HPDF_TTFontDef_GetGidWidth(f->def, (HPDF_UINT16)gid);
			if (inked) {
				if (!any || box.top * k > a->top)
					a->top = box.top * k;
				if (!any || box.bottom * k < a->bottom)
					a->bottom = box.bottom * k;
				if (!any || x + box.left * k < a->left)
					a->left = x + box.left * k;
				if (!any || x + box.right * k > a->right)
					a->right = x + box.right * k;
				any = true;
			}
			if (i + 1 == doc->nruns && p == end && inked)
				a->overhang = box.right > adv ? (box.right - adv) * k : 0;
			x += adv * k;
		}
	}
}

bool
pdf_text_ink(struct pdf_doc *doc, const struct pdf_text_style *st, const char *text,
    double *top, double *bottom, double *overhang)
{
	struct ink_arg a = {.st = st, .text = text};
	bool ok = pdf_ok(doc) && (unsigned)st->role < PDF_FONT_ROLE_COUNT && text != NULL &&
	    guarded(doc, "measuring text", op_text_ink, &a);
	if (top)
		*top = ok ? a.top : 0;
	if (bottom)
		*bottom = ok ? a.bottom : 0;
	if (overhang)
		*overhang = ok ? a.overhang : 0;
	return ok;
}

bool
pdf_text_ink_x(struct pdf_doc *doc, const struct pdf_text_style *st, const char *text,
    double *left, double *right)
{
	struct ink_arg a = {.st = st, .text = text};
	bool ok = pdf_ok(doc) && (unsigned)st->role < PDF_FONT_ROLE_COUNT && text != NULL &&
	    guarded(doc, "measuring text", op_text_ink, &a);
	if (left)
		*left = ok ? a.left : 0;
	if (right)
		*right = ok ? a.right : 0;
	return ok;
}
