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
 * (BMP only).  The HPDF_Font object is created on first use, so a role that
 * draws nothing does not end up in the file.  Before saving, the four
 * defects of libharu 2.3.0 measured in ../shared/notes/libharu-2.3.0.md are
 * repaired for each embedded font; see repair_font() and the fix_* functions
 * for what each repair is for and how it is checked (tests/check-pdf.sh).
 *
 * Vector graphics (figures).  Thin wrappers over the page operators, with a
 * cache of the graphics state (struct gcache) so that repeated settings cost
 * nothing, and one ExtGState per distinct alpha pair for the document.
 */
#include "pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>
/* libharu's internal structures (installed by libhpdf-dev), needed for the
 * repairs: the font definition's glyph table, the font's CMap, W and
 * CIDToGIDMap objects, and the embedded font stream. */
#include <hpdf_conf.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "diag.h"
#include "util.h"

#define BMP_SIZE 65536u

/* glyph_state values per code point */
enum { GLYPH_UNKNOWN, GLYPH_PRESENT, GLYPH_ABSENT };

/* One loaded font file (several roles may share one). */
struct face {
	char *path;           /* the file */
	unsigned index;       /* face in a collection */
	const char *key;      /* config key of the first role that uses it */
	const char *name;     /* libharu's font name, owned by libharu */
	HPDF_FontDef def;     /* owned by libharu */
	HPDF_Font font;       /* NULL until first use; owned by libharu */
	unsigned char *glyph; /* BMP_SIZE glyph_state values, lazily */
	unsigned char *used;  /* bitmap of BMP code points shown or measured */
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
};

struct pdf_doc {
	HPDF_Doc hpdf;
	jmp_buf jmp;
	bool armed;    /* guarded() is running: the handler may longjmp */
	bool reported; /* the current op already emitted its diagnostic */
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

	/* owned by the running op, released by guarded() */
	void *scratch[8];
	FILE *scratch_file;
};

static const char *const role_keys[PDF_FONT_ROLE_COUNT] = {
	[PDF_FONT_CJK_SERIF] = "fonts.cjk_serif",
	[PDF_FONT_CJK_SANS] = "fonts.cjk_sans",
	[PDF_FONT_LATIN_SERIF] = "fonts.latin_serif",
	[PDF_FONT_SYMBOL] = "fonts.symbol",
	[PDF_FONT_MONO] = "fonts.mono",
};

/* After the role's own font, code points are looked up in this order: the
 * DejaVu faces first, whose marks and symbols (✓ ✗ → ∑) are drawn for Latin
 * text, rather than the full-width forms of the CJK fonts.  Sans text (the
 * cjk_sans role: headings, figure labels) tries the sans DejaVu face first,
 * so that "10⁻²" in a label does not mix a serif ⁻ into sans digits. */
static const enum pdf_font_role fallback_order[PDF_FONT_ROLE_COUNT] = {
	PDF_FONT_LATIN_SERIF, PDF_FONT_SYMBOL, PDF_FONT_CJK_SERIF, PDF_FONT_CJK_SANS,
	PDF_FONT_MONO,
};
static const enum pdf_font_role sans_fallback_order[PDF_FONT_ROLE_COUNT] = {
	PDF_FONT_SYMBOL, PDF_FONT_LATIN_SERIF, PDF_FONT_CJK_SANS, PDF_FONT_CJK_SERIF,
	PDF_FONT_MONO,
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
	if (doc->scratch_file)
		fclose(doc->scratch_file);
	doc->scratch_file = NULL;
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
		diag_emit(DIAG_PDF_LIBRARY, NULL, 0, 0, (unsigned)doc->error_no, meaning, context);
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

struct load_arg {
	struct face *face;
	bool collection;
};

static void
op_load_font(struct pdf_doc *doc, void *arg)
{
	struct load_arg *a = arg;
	struct face *f = a->face;
	if (a->collection)
		f->name = HPDF_LoadTTFontFromFile2(doc->hpdf, f->path, f->index, HPDF_TRUE);
	else
		f->name = HPDF_LoadTTFontFromFile(doc->hpdf, f->path, HPDF_TRUE);
	if (f->name)
		f->def = HPDF_GetFontDef(doc->hpdf, f->name);
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
		f->key = role_keys[r];
		doc->role_face[r] = doc->nfaces++;

		char context[CONFIG_TEXT_MAX + 64];
		snprintf(context, sizeof context, "loading %s from '%s'", role_keys[r],
		    font_spec(cfg, (enum pdf_font_role)r));
		struct load_arg arg = {f, coll == 1};
		if (!guarded(doc, context, op_load_font, &arg) || f->def == NULL) {
			ok = false;
			break;
		}
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
	if (doc->hpdf)
		HPDF_Free(doc->hpdf);
	for (int i = 0; i < doc->nfaces; i++) {
		free(doc->faces[i].path);
		free(doc->faces[i].glyph);
		free(doc->faces[i].used);
	}
	free(doc->pages);
	free(doc->page_gs);
	free(doc->runbuf);
	free(doc->runs);
	free(doc->alphas);
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

/* Glyph test that does not mark the glyph as used (GetGlyphid only reads
 * the cmap), cached because fallback asks every font in turn. */
static bool
face_has(struct face *f, uint32_t cp)
{
	if (f->glyph == NULL)
		f->glyph = xcalloc(BMP_SIZE, 1);
	if (f->glyph[cp] == GLYPH_UNKNOWN)
		f->glyph[cp] = HPDF_TTFontDef_GetGlyphid(f->def, (HPDF_UINT16)cp) != 0 ?
		    GLYPH_PRESENT : GLYPH_ABSENT;
	return f->glyph[cp] == GLYPH_PRESENT;
}

/* Code points a Latin font takes over under pdf_set_latin_font. */
static bool
latin_range(uint32_t cp)
{
	return (cp >= 0x20 && cp <= 0x2FF) ||   /* ASCII, Latin-1, extended, IPA */
	    (cp >= 0x370 && cp <= 0x3FF) ||     /* Greek */
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
	if (latin >= 0 && latin_range(cp) && face_has(&doc->faces[latin], cp))
		return latin;
	int own = doc->role_face[role];
	if (face_has(&doc->faces[own], cp))
		return own;
	const enum pdf_font_role *order =
	    role == PDF_FONT_CJK_SANS ? sans_fallback_order : fallback_order;
	for (size_t i = 0; i < PDF_FONT_ROLE_COUNT; i++) {
		int k = doc->role_face[order[i]];
		if (k != own && face_has(&doc->faces[k], cp))
			return k;
	}
	return -1;
}

/* Decodes one UTF-8 sequence; malformed input yields U+FFFD and one byte. */
static uint32_t
utf8_next(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint32_t c = p[0];
	int n;
	uint32_t min;
	if (c < 0x80) {
		*pp = p + 1;
		return c;
	} else if ((c & 0xE0) == 0xC0) {
		n = 1, c &= 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 2, c &= 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 3, c &= 0x07, min = 0x10000;
	} else {
		*pp = p + 1;
		return 0xFFFD;
	}
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*pp = p + 1;
			return 0xFFFD;
		}
		c = (c << 6) | (p[i] & 0x3F);
	}
	*pp = p + n + 1;
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0xFFFD;
	return c;
}

/* Code points that are never drawn and never warned about. */
static bool
ignorable(uint32_t cp)
{
	return cp > 0xFFFF ||                    /* emoji and other astral planes */
	    cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || /* controls */
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
		int k = pick_face(doc, role, latin, cp);
		if (k < 0) {
			for (size_t i = 0; i < ARRAY_LEN(substitutes); i++)
				if (substitutes[i].from == cp) {
					k = pick_face(doc, role, latin, substitutes[i].to);
					if (k >= 0)
						cp = substitutes[i].to;
				}
		}
		if (k < 0) {
			warn_no_glyph(doc, role, cp, text);
			continue;
		}
		if (k != cur) {
			if (cur >= 0)
				runbuf_put(doc, "", 1);
			if (doc->nruns == doc->cap_runs) {
				doc->cap_runs = doc->cap_runs ? 2 * doc->cap_runs : 8;
				doc->runs = xrealloc(doc->runs, doc->cap_runs * sizeof *doc->runs);
			}
			doc->runs[doc->nruns++] = (struct run){k, doc->runbuf_len, 0};
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

		struct face *f = &doc->faces[k];
		if (f->used == NULL)
			f->used = xcalloc(BMP_SIZE / 8, 1);
		bit_set(f->used, cp);
	}
	if (cur >= 0)
		runbuf_put(doc, "", 1);
}

static HPDF_Font
face_font(struct pdf_doc *doc, struct face *f)
{
	if (f->font == NULL)
		f->font = HPDF_GetFont(doc->hpdf, f->name, "UTF-8");
	return f->font;
}

/* Width of one run in points.  HPDF_Font_TextWidth is what
 * HPDF_Page_TextWidth computes (without character or word spacing, which we
 * never set) but needs no page, so measuring works before the first page
 * exists; it reads the font's hmtx exactly, in 1/1000 em. */
static double
run_width(struct pdf_doc *doc, const struct run *r, double size)
{
	HPDF_Font font = face_font(doc, &doc->faces[r->face]);
	HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)doc->runbuf + r->off,
	    (HPDF_UINT)r->len);
	return (double)tw.width * size / 1000.0;
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

bool
pdf_set_latin_font(struct pdf_doc *doc, enum pdf_font_role role, enum pdf_font_role latin)
{
	if (!pdf_ok(doc) || (unsigned)role >= PDF_FONT_ROLE_COUNT ||
	    (unsigned)latin >= PDF_FONT_ROLE_COUNT)
		return false;
	doc->latin_face[role] = doc->role_face[latin];
	return true;
}

void
pdf_font_metrics(const struct pdf_doc *doc, enum pdf_font_role role, double size,
    double *ascent, double *descent)
{
	double a = 0, d = 0;
	if (doc && (unsigned)role < PDF_FONT_ROLE_COUNT && doc->nfaces > 0) {
		HPDF_FontDef def = doc->faces[doc->role_face[role]].def;
		a = def->ascent * size / 1000.0;
		d = def->descent * size / 1000.0;
		if (d > 0)
			d = -d;
	}
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

/* Fix 1: composite glyphs.  2.3.0 reads component glyph ids as signed
 * 16-bit numbers and does not follow nested composites, so components with
 * ids >= 32768 (31,085 composites of WenQuanYi Micro Hei: 模 型 学 进 ...) or
 * behind another composite (UMing's ǖǘǚǜ) are left out of the subset and
 * those characters render blank or half-drawn.  Here every component of
 * every used glyph is marked used, recursively, in the font definition's
 * glyph flag table, reading the glyph descriptions from the font file with
 * libharu's own loca offsets. */
static void
fix_composite_glyphs(struct pdf_doc *doc, struct face *f)
{
	HPDF_TTFontDefAttr attr = f->def->attr;
	unsigned n = attr->num_glyphs;
	HPDF_BYTE *flags = attr->glyph_tbl.flgs;
	const HPDF_UINT32 *loca = attr->glyph_tbl.offsets;
	unsigned scale = attr->header.index_to_loc_format == 0 ? 2 : 1;

	doc->scratch_file = fopen(f->path, "rb");
	if (doc->scratch_file == NULL) {
		diag_emit(DIAG_IO_OPEN, NULL, 0, 0, f->path, strerror(errno));
		op_abort(doc);
	}
	uint16_t *todo = scratch_alloc(doc, (size_t)n * sizeof *todo + 1);
	size_t ntodo = 0;
	for (unsigned g = 0; g < n; g++)
		if (flags[g])
			todo[ntodo++] = (uint16_t)g;

	unsigned char *buf = scratch_alloc(doc, 65536u * 2);
	while (ntodo > 0) {
		unsigned g = todo[--ntodo];
		if (loca[g + 1] <= loca[g])
			continue; /* empty glyph */
		size_t len = (size_t)(loca[g + 1] - loca[g]) * scale;
		if (len > 65536u * 2)
			len = 65536u * 2;
		long off = (long)attr->glyph_tbl.base_offset + (long)loca[g] * (long)scale;
		if (len < 10 || fseek(doc->scratch_file, off, SEEK_SET) != 0 ||
		    fread(buf, 1, len, doc->scratch_file) != len)
			continue;
		if (!(be16(buf) & 0x8000))
			continue; /* a simple glyph */
		size_t p = 10;
		unsigned fl;
		do {
			if (p + 4 > len)
				break;
			fl = be16(buf + p);
			unsigned comp = be16(buf + p + 2); /* unsigned: the point of this fix */
			p += 4;
			p += (fl & 0x0001) ? 4 : 2; /* ARG_1_AND_2_ARE_WORDS */
			if (fl & 0x0008)
				p += 2; /* WE_HAVE_A_SCALE */
			else if (fl & 0x0040)
				p += 4; /* WE_HAVE_AN_X_AND_Y_SCALE */
			else if (fl & 0x0080)
				p += 8; /* WE_HAVE_A_TWO_BY_TWO */
			if (comp < n && !flags[comp]) {
				flags[comp] = 1;
				todo[ntodo++] = (uint16_t)comp;
			}
		} while (fl & 0x0020); /* MORE_COMPONENTS */
	}
	fclose(doc->scratch_file);
	doc->scratch_file = NULL;
}

/* Fix 3: /W and /CIDToGIDMap.  2.3.0 writes both for every BMP code point
 * the font maps (about 135 KB + 128 KB per CJK font).  Rebuilt here for the
 * code points actually used; any other CID never occurs in the content. */
static void
fix_widths_and_map(struct pdf_doc *doc, struct face *f)
{
	HPDF_Dict font = f->font;
	HPDF_FontAttr fattr = font->attr;
	HPDF_Dict cidfont = fattr->descendant_font;

	HPDF_Array w = HPDF_Array_New(font->mmgr);
	if (w == NULL || HPDF_Dict_Add(cidfont, "W", w) != HPDF_OK)
		return;
	HPDF_Array group = NULL;
	uint32_t prev = 0, max = 0;
	for (uint32_t cp = 0; cp < BMP_SIZE; cp++) {
		if (!bit_get(f->used, cp))
			continue;
		HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(f->def, (HPDF_UINT16)cp);
		HPDF_INT16 width = HPDF_TTFontDef_GetGidWidth(f->def, gid);
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
	for (uint32_t cp = 0; cp <= max; cp++)
		if (bit_get(f->used, cp))
			put_be16(map + 2 * cp, HPDF_TTFontDef_GetGlyphid(f->def, (HPDF_UINT16)cp));
	replace_stream(fattr->map_stream, map, len);
}

/* Fix 2: ToUnicode.  2.3.0 writes the encoder's CMap, a "begincidrange"
 * identity range, as the ToUnicode CMap: poppler warns it is invalid and
 * Ghostscript decodes 2-byte bfrange destinations wrongly.  A bfchar map of
 * the used code points (CID = code point) extracts exactly everywhere. */
static void
fix_to_unicode(struct pdf_doc *doc, struct face *f)
{
	HPDF_FontAttr fattr = ((HPDF_Dict)f->font)->attr;
	HPDF_Dict cmap = fattr->cmap_stream;
	if (cmap == NULL)
		return;

	size_t count = 0;
	for (uint32_t cp = 0; cp < BMP_SIZE; cp++)
		count += bit_get(f->used, cp);
	size_t cap = 512 + count * 16 + (count / 100 + 1) * 32;
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
	for (uint32_t cp = 0; cp < BMP_SIZE; cp++) {
		if (!bit_get(f->used, cp))
			continue;
		if (in_block == 0)
			PUT("%zu beginbfchar\n", left < 100 ? left : (size_t)100);
		PUT("<%04X> <%04X>\n", (unsigned)cp, (unsigned)cp);
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
	for (size_t i = 0; i < len; i += 4) {
		unsigned char w[4] = {0, 0, 0, 0};
		memcpy(w, p + i, len - i < 4 ? len - i : 4);
		sum += be32(w);
	}
	return sum;
}

/* Fix 4: the `post` table.  2.3.0 copies it whole (format 2 with 27k-50k
 * glyph names: 115-197 KB per CJK font) although a PDF renderer never reads
 * glyph names.  The embedded font gets a 32-byte format 3 `post` instead
 * (same italic angle, underline and pitch fields, no names); the table
 * directory, checksums and head.checkSumAdjustment are recomputed.  `name`
 * stays (libharu itself needs it). */
static void
fix_post_table(struct pdf_doc *doc, struct face *f)
{
	HPDF_Dict descriptor = f->def->descriptor;
	if (descriptor == NULL)
		return;
	HPDF_Dict file = HPDF_Dict_GetItem(descriptor, "FontFile2", HPDF_OCLASS_DICT);
	if (file == NULL || file->stream == NULL)
		return;

	/* The font program as libharu wrote it. */
	HPDF_Stream s = file->stream;
	size_t size = s->size;
	unsigned char *in = scratch_alloc(doc, size + 4);
	size_t got = 0;
	HPDF_UINT nbufs = HPDF_MemStream_GetBufCount(s);
	for (HPDF_UINT i = 0; i < nbufs && got < size; i++) {
		HPDF_UINT blen = 0;
		HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(s, i, &blen);
		if (b == NULL)
			return;
		if (blen > size - got)
			blen = (HPDF_UINT)(size - got);
		memcpy(in + got, b, blen);
		got += blen;
	}
	if (got != size || size < 12)
		return;

	unsigned ntables = be16(in + 4);
	if (12 + 16 * (size_t)ntables > size)
		return;
	unsigned char *out = scratch_alloc(doc, size + 64 + 4 * (size_t)ntables);
	size_t pos = 12 + 16 * (size_t)ntables;
	memcpy(out, in, 4); /* sfnt version */
	put_be16(out + 4, ntables);
	unsigned sel = 0;
	while ((2u << sel) <= ntables)
		sel++;
	put_be16(out + 6, 16u << sel); /* searchRange */
	put_be16(out + 8, sel);        /* entrySelector */
	put_be16(out + 10, ntables * 16 - (16u << sel));

	size_t head_at = 0;
	for (unsigned t = 0; t < ntables; t++) {
		const unsigned char *rec = in + 12 + 16 * t;
		uint32_t toff = be32(rec + 8), tlen = be32(rec + 12);
		if ((size_t)toff + tlen > size)
			return;
		unsigned char post[32];
		const unsigned char *data = in + toff;
		if (memcmp(rec, "post", 4) == 0) {
			memset(post, 0, sizeof post);
			put_be32(post, 0x00030000);
			if (tlen >= 16)
				memcpy(post + 4, data + 4, 12);
			data = post;
			tlen = sizeof post;
		}
		memcpy(out + pos, data, tlen);
		memset(out + pos + tlen, 0, (4 - tlen % 4) % 4);
		if (memcmp(rec, "head", 4) == 0 && tlen >= 12) {
			head_at = pos;
			put_be32(out + pos + 8, 0); /* checkSumAdjustment, set below */
		}
		unsigned char *orec = out + 12 + 16 * t;
		memcpy(orec, rec, 4);
		put_be32(orec + 4, table_checksum(out + pos, tlen));
		put_be32(orec + 8, (uint32_t)pos);
		put_be32(orec + 12, tlen);
		pos += tlen + (4 - tlen % 4) % 4;
	}
	if (head_at)
		put_be32(out + head_at + 8, 0xB1B0AFBAu - table_checksum(out, pos));

	replace_stream(file, out, pos);
	HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)pos);
}

static void
op_repair(struct pdf_doc *doc, void *arg)
{
	struct face *f = arg;
	HPDF_Dict font = f->font;

	if (f->used == NULL)
		f->used = xcalloc(BMP_SIZE / 8, 1);
	fix_composite_glyphs(doc, f); /* before libharu subsets the glyf table */
	fix_widths_and_map(doc, f);
	fix_to_unicode(doc, f);

	/* libharu builds the font descriptor and the subset font program in the
	 * font's before-write hook.  Run it now, so that fix 4 can rewrite the
	 * program, and unhook it: the descriptor exists, a second run would only
	 * repeat the same dictionary entries. */
	if (font->before_write_fn) {
		HPDF_STATUS st = font->before_write_fn(font);
		font->before_write_fn = NULL;
		if (st != HPDF_OK)
			return; /* recorded; guarded() reports it */
	}
	fix_post_table(doc, f);
}

/* ------------------------------------------------------------ save */

static void
op_save(struct pdf_doc *doc, void *arg)
{
	(void)arg;
	HPDF_SaveToStream(doc->hpdf);
}

static bool
write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Writes the saved document (libharu's memory stream) to a temporary file
 * in the target's directory, flushes it and renames it over `path`. */
static bool
write_atomically(struct pdf_doc *doc, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	const char *base = slash ? slash + 1 : path;
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
	char *pattern = xstrdup(tmp); /* for messages: the same on every run */
	bool ok = false;

	int fd = mkstemp(tmp);
	if (fd < 0) {
		diag_emit(DIAG_IO_OPEN, NULL, 0, 0, pattern, strerror(errno));
		goto out;
	}
	/* mkstemp makes the file 0600; a PDF is for reading like any output. */
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);

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
		if (!write_all(fd, b, blen)) {
			diag_emit(DIAG_IO_WRITE, NULL, 0, 0, tmp, strerror(errno));
			close(fd);
			goto fail;
		}
		left -= blen;
	}
	if (left > 0 || s == NULL) {
		diag_emit(DIAG_PDF_LIBRARY, NULL, 0, 0, (unsigned)HPDF_INVALID_STREAM,
		    "the saved document is incomplete", "saving the document");
		close(fd);
		goto fail;
	}
	if (fsync(fd) != 0) {
		diag_emit(DIAG_IO_WRITE, NULL, 0, 0, tmp, strerror(errno));
		close(fd);
		goto fail;
	}
	if (close(fd) != 0) {
		diag_emit(DIAG_IO_WRITE, NULL, 0, 0, tmp, strerror(errno));
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		diag_emit(DIAG_IO_RENAME, NULL, 0, 0, tmp, path, strerror(errno));
		goto fail;
	}
	/* Make the rename itself durable; failure here loses nothing. */
	int dfd = open(dir, O_RDONLY);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	ok = true;
	goto out;
fail:
	unlink(tmp);
out:
	free(pattern);
	free(tmp);
	free(dir);
	return ok;
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
		char context[CONFIG_TEXT_MAX + 64];
		snprintf(context, sizeof context, "preparing the %s font '%s' for embedding", f->key,
		    f->path);
		if (!guarded(doc, context, op_repair, f))
			return false;
		f->repaired = true;
	}
	if (!guarded(doc, "saving the document", op_save, NULL))
		return false;
	return write_atomically(doc, path);
}
