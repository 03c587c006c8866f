#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "rx.h"
#include "util.h"

/* ------------------------------------------------------------------ schema */

enum key_type {
	KT_REAL,      /* double, finite */
	KT_LONG,      /* long */
	KT_SEED,      /* unsigned long, 1..2^32-1 */
	KT_BOOL,      /* bool */
	KT_PAPER,     /* enum paper_size (a choice) */
	KT_STRING,    /* char[CONFIG_TEXT_MAX] */
	KT_PATH,      /* char[CONFIG_TEXT_MAX], not empty */
	KT_MIXTURE,   /* struct mixture */
	KT_BANDWIDTH, /* struct kde_bandwidth */
};

enum bound { B_NONE, B_INCL, B_EXCL };

struct key_def {
	const char *name;
	enum key_type type;
	const char *def; /* default, as text: parsed like any value */
	enum bound lo_kind;
	double lo;
	enum bound hi_kind;
	double hi;
	size_t offset;
	const char *desc;
	bool allow_reference; /* KT_MIXTURE: may be the word p_data */
};

#define F(field) offsetof(struct report_config, field)
#define REAL(n, f, d, lk, lo, hk, hi, desc) {n, KT_REAL, d, lk, lo, hk, hi, F(f), desc, false}
#define ANY_REAL(n, f, d, desc) REAL(n, f, d, B_NONE, 0, B_NONE, 0, desc)
#define INT(n, f, d, lo, hi, desc) {n, KT_LONG, d, B_INCL, lo, B_INCL, hi, F(f), desc, false}
#define SEED(n, f, d, desc) {n, KT_SEED, d, B_INCL, 1, B_INCL, 4294967295.0, F(f), desc, false}
#define OTHER(n, t, f, d, desc) {n, t, d, B_NONE, 0, B_NONE, 0, F(f), desc, false}
#define MIX(n, f, d, ref, desc) {n, KT_MIXTURE, d, B_NONE, 0, B_NONE, 0, F(f), desc, ref}

static const struct key_def schema[] = {
	INT("moons.n_samples", moons.n_samples, "200", 2, 100000,
	    "number of two-moons points, split between the two moons"),
	REAL("moons.noise", moons.noise, "0.1", B_INCL, 0, B_INCL, 10,
	    "standard deviation of the Gaussian noise added to each coordinate"),
	SEED("moons.seed", moons.seed, "42",
	    "MT19937 seed as in np.random.seed; 0 is excluded because GSL's MT19937 turns seed 0 into 4357 and NumPy does not"),
	ANY_REAL("decision.weight_x", decision.weight_x, "0.5",
	    "x coefficient of the illustrative boundary w_x*x + w_y*y + b = 0"),
	ANY_REAL("decision.weight_y", decision.weight_y, "0.3",
	    "y coefficient of that boundary (w_x and w_y must not both be 0)"),
	ANY_REAL("decision.bias", decision.bias, "-0.2",
	    "constant term b of that boundary"),
	INT("decision.grid_points", decision.grid_points, "50", 3, 2000,
	    "grid points per axis for the boundary and the density contours"),
	REAL("decision.padding", decision.padding, "0.5", B_INCL, 0, B_INCL, 100,
	    "margin added on every side of the data's bounding box to make the grid"),
	OTHER("kde.bandwidth", KT_BANDWIDTH, kde.bandwidth, "scott",
	    "Gaussian KDE bandwidth: scott, silverman or a fixed positive factor"),
	INT("kde.levels", kde.levels, "5", 1, 50,
	    "contour levels as matplotlib's levels=N (MaxNLocator with N+1 bins)"),
	ANY_REAL("prior.mean", prior.mean, "0", "mean of the prior p(z)"),
	REAL("prior.std", prior.std, "1", B_EXCL, 0, B_NONE, 0,
	    "standard deviation of the prior p(z)"),
	ANY_REAL("prior.z_min", prior.z_min, "-3", "left end of the z axis (less than z_max)"),
	ANY_REAL("prior.z_max", prior.z_max, "3", "right end of the z axis"),
	INT("prior.z_points", prior.z_points, "100", 2, 100000,
	    "points on the z axis"),
	ANY_REAL("posterior.q_mean", posterior.q_mean, "0.5",
	    "mean of the approximate posterior q(z|x)"),
	REAL("posterior.q_std", posterior.q_std, "0.8", B_EXCL, 0, B_INCL, 100,
	    "standard deviation of q(z|x); also the std in the KL curve"),
	ANY_REAL("kl.mean_min", kl.mean_min, "-2",
	    "smallest posterior mean on the KL curve (less than mean_max)"),
	ANY_REAL("kl.mean_max", kl.mean_max, "2", "largest posterior mean on the KL curve"),
	INT("kl.points", kl.points, "100", 2, 100000, "points on the KL curve"),
	REAL("beta_vae.log10_beta_min", beta_vae.log10_beta_min, "-2", B_INCL, -10, B_INCL, 10,
	    "log10 of the smallest beta (less than log10_beta_max)"),
	REAL("beta_vae.log10_beta_max", beta_vae.log10_beta_max, "1", B_INCL, -10, B_INCL, 10,
	    "log10 of the largest beta"),
	INT("beta_vae.points", beta_vae.points, "50", 2, 10000,
	    "beta values, spaced evenly in log10"),
	ANY_REAL("beta_vae.reconstruction", beta_vae.reconstruction, "100",
	    "the constant reconstruction term"),
	ANY_REAL("beta_vae.kl", beta_vae.kl, "5",
	    "the constant KL term that beta multiplies"),
	ANY_REAL("reparam.mu", reparam.mu, "2", "mean mu of the sampled normal"),
	REAL("reparam.sigma", reparam.sigma, "1.5", B_EXCL, 0, B_NONE, 0,
	    "standard deviation sigma of the sampled normal"),
	INT("reparam.n", reparam.n, "1000", 2, 10000000,
	    "draws for each of the two histograms"),
	INT("reparam.bins", reparam.bins, "30", 1, 1000, "histogram bins"),
	SEED("reparam.seed", reparam.seed, "42",
	    "MT19937 seed as in np.random.seed; 0 is excluded because GSL's MT19937 turns seed 0 into 4357 and NumPy does not"),
	ANY_REAL("reparam.x_min", reparam.x_min, "-2",
	    "left end of the pdf curve (less than x_max)"),
	ANY_REAL("reparam.x_max", reparam.x_max, "6", "right end of the pdf curve"),
	INT("reparam.x_points", reparam.x_points, "100", 2, 100000,
	    "points on the pdf curve"),
	MIX("gan.p_data", gan.p_data, "0.3*N(-1, 0.5) + 0.7*N(1.5, 0.3)", false,
	    "data density, a Gaussian mixture w*N(mean, std) + ..."),
	MIX("gan.p_g_initial", gan.p_g_initial, "N(0, 1)", true,
	    "generator density at the start (a mixture, or p_data)"),
	MIX("gan.p_g_training", gan.p_g_training, "0.5*N(-0.5, 0.8) + 0.5*N(1, 0.6)", true,
	    "generator density during training (a mixture, or p_data)"),
	MIX("gan.p_g_converged", gan.p_g_converged, "p_data", true,
	    "generator density at convergence (a mixture, or p_data)"),
	ANY_REAL("gan.x_min", gan.x_min, "-3", "left end of the x axis (less than x_max)"),
	ANY_REAL("gan.x_max", gan.x_max, "3", "right end of the x axis"),
	INT("gan.x_points", gan.x_points, "100", 2, 100000, "points on the x axis"),
	REAL("gan.epsilon", gan.epsilon, "1e-8", B_EXCL, 0, B_INCL, 1,
	    "added to the denominator of D*(x) = p_data/(p_data + p_g + epsilon)"),
	OTHER("document.title", KT_STRING, document.title,
	    "生成模型理论：从VAE到Diffusion模型", "title of the handout"),
	OTHER("document.author", KT_STRING, document.author, "生成模型讲义",
	    "author line of the handout"),
	OTHER("document.paper", KT_PAPER, document.paper, "A4",
	    "paper size: A4 or Letter"),
	OTHER("document.color", KT_BOOL, document.color, "true",
	    "colour figures (false: shades of grey)"),
	OTHER("document.hyphenation", KT_PATH, document.hyphenation,
	    "/usr/share/hyphen/hyph_en_US.dic",
	    "hyphenation patterns for English words (Debian's hyphen-en-us)"),
	OTHER("fonts.cjk_serif", KT_PATH, fonts.cjk_serif,
	    "/usr/share/fonts/truetype/arphic/uming.ttc", "body text font (AR PL UMing)"),
	OTHER("fonts.cjk_sans", KT_PATH, fonts.cjk_sans,
	    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	    "headings and labels font (WenQuanYi Micro Hei)"),
	OTHER("fonts.latin_serif", KT_PATH, fonts.latin_serif,
	    "/usr/share/fonts/truetype/freefont/FreeSerif.ttf",
	    "Latin, Greek, digits and math symbols font (FreeSerif)"),
	OTHER("fonts.symbol", KT_PATH, fonts.symbol,
	    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	    "marks and math symbols font (DejaVu Sans)"),
	OTHER("fonts.mono", KT_PATH, fonts.mono,
	    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
	    "code font (DejaVu Sans Mono)"),
	OTHER("fonts.latin_italic", KT_PATH, fonts.latin_italic,
	    "/usr/share/fonts/truetype/freefont/FreeSerifItalic.ttf",
	    "Latin emphasis and math variables font (FreeSerif Italic)"),
	OTHER("fonts.latin_bold", KT_PATH, fonts.latin_bold,
	    "/usr/share/fonts/truetype/freefont/FreeSerifBold.ttf",
	    "Latin strong emphasis and bold math font (FreeSerif Bold)"),
	OTHER("fonts.latin_bold_italic", KT_PATH, fonts.latin_bold_italic,
	    "/usr/share/fonts/truetype/freefont/FreeSerifBoldItalic.ttf",
	    "Latin bold italic font (FreeSerif Bold Italic)"),
	OTHER("fonts.math", KT_PATH, fonts.math,
	    "/usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf",
	    "math symbols the Latin font lacks (DejaVu Math TeX Gyre)"),
};

#define NKEYS ((int)ARRAY_LEN(schema))

/* The "too long" message below spells the limit out. */
_Static_assert(CONFIG_TEXT_MAX == 512, "update the 'at most 511 bytes' message");

static const char *const paper_names[] = {[PAPER_A4] = "A4", [PAPER_LETTER] = "Letter"};

/* Cross-field constraints: lo < hi. */
static const struct {
	const char *lo, *hi;
} less_than[] = {
	{"prior.z_min", "prior.z_max"},
	{"kl.mean_min", "kl.mean_max"},
	{"beta_vae.log10_beta_min", "beta_vae.log10_beta_max"},
	{"reparam.x_min", "reparam.x_max"},
	{"gan.x_min", "gan.x_max"},
};

/* ------------------------------------------------------------------ origins */

enum origin_kind { ORIGIN_DEFAULT, ORIGIN_FILE, ORIGIN_SET };

struct origin {
	enum origin_kind kind;
	int line; /* file line, or 1-based index of the --set argument */
	int col;  /* character column of the value's first byte */
};

struct config_source {
	char *file; /* name of the config file as given, NULL without one */
	struct origin key[ARRAY_LEN(schema)];
};

void
config_source_free(struct config_source *src)
{
	if (src == NULL)
		return;
	free(src->file);
	free(src);
}

/* ------------------------------------------------------------------ helpers */

static int
key_index(const char *name)
{
	for (int k = 0; k < NKEYS; k++)
		if (strcmp(schema[k].name, name) == 0)
			return k;
	return -1;
}

static void *
field(struct report_config *cfg, int k)
{
	return (char *)cfg + schema[k].offset;
}

static const void *
cfield(const struct report_config *cfg, int k)
{
	return (const char *)cfg + schema[k].offset;
}

static void
format_bound(char *buf, size_t size, const struct key_def *kd, double v)
{
	if (kd->type == KT_REAL)
		format_shortest(buf, size, v);
	else
		snprintf(buf, size, "%.0f", v);
}

/* "0 ≤ value ≤ 10", "value > 0"...; empty when the key has no bounds. */
static void
range_text(const struct key_def *kd, char *buf, size_t size)
{
	char lo[40], hi[40];

	format_bound(lo, sizeof lo, kd, kd->lo);
	format_bound(hi, sizeof hi, kd, kd->hi);
	if (kd->lo_kind != B_NONE && kd->hi_kind != B_NONE)
		snprintf(buf, size, "%s %s value %s %s", lo, kd->lo_kind == B_INCL ? "≤" : "<",
		    kd->hi_kind == B_INCL ? "≤" : "<", hi);
	else if (kd->lo_kind != B_NONE)
		snprintf(buf, size, "value %s %s", kd->lo_kind == B_INCL ? "≥" : ">", lo);
	else if (kd->hi_kind != B_NONE)
		snprintf(buf, size, "value %s %s", kd->hi_kind == B_INCL ? "≤" : "<", hi);
	else
		buf[0] = '\0';
}

static bool
in_range(const struct key_def *kd, double v)
{
	if (kd->lo_kind == B_INCL && !(v >= kd->lo))
		return false;
	if (kd->lo_kind == B_EXCL && !(v > kd->lo))
		return false;
	if (kd->hi_kind == B_INCL && !(v <= kd->hi))
		return false;
	if (kd->hi_kind == B_EXCL && !(v < kd->hi))
		return false;
	return true;
}

static bool
is_ident(const char *s, size_t n)
{
	if (n == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* ------------------------------------------------------------------ values */

/* What went wrong with a value; the caller turns it into a diagnostic. */
struct value_error {
	enum diag_code code;
	const char *detail; /* BAD_STRING, MIX_*: static text */
	int mix_col;        /* MIX_*: 1-based byte column within the value text */
};

static bool
value_fail(struct value_error *err, enum diag_code code, const char *detail)
{
	err->code = code;
	err->detail = detail;
	err->mix_col = 0;
	return false;
}

static bool
parse_real(const char *text, double *v)
{
	char *end;

	if (text[0] == '\0' || text[0] == ' ' || text[0] == '\t')
		return false;
	errno = 0;
	*v = strtod(text, &end);
	return *end == '\0';
}

/* Parses and range-checks `text` for key k and stores it in *cfg.  Leaves
 * *cfg untouched on failure. */
static bool
parse_value(int k, const char *text, struct report_config *cfg, struct value_error *err)
{
	const struct key_def *kd = &schema[k];
	void *dst = field(cfg, k);
	double v;

	switch (kd->type) {
	case KT_REAL:
		if (!parse_real(text, &v))
			return value_fail(err, DIAG_CFG_BAD_NUMBER, NULL);
		if (!isfinite(v) || !in_range(kd, v))
			return value_fail(err, DIAG_CFG_OUT_OF_RANGE, NULL);
		*(double *)dst = v;
		return true;
	case KT_LONG:
	case KT_SEED: {
		const char *p = text;
		long long n;

		if (*p == '+' || *p == '-')
			p++;
		if (*p == '\0' || strspn(p, "0123456789") != strlen(p))
			return value_fail(err, DIAG_CFG_BAD_INTEGER, NULL);
		errno = 0;
		n = strtoll(text, NULL, 10);
		if (errno == ERANGE || !in_range(kd, (double)n))
			return value_fail(err, DIAG_CFG_OUT_OF_RANGE, NULL);
		if (kd->type == KT_LONG)
			*(long *)dst = (long)n;
		else
			*(unsigned long *)dst = (unsigned long)n;
		return true;
	}
	case KT_BOOL: {
		static const char *const yes[] = {"true", "yes", "on", "1"};
		static const char *const no[] = {"false", "no", "off", "0"};

		for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
			if (strcasecmp(text, yes[i]) == 0) {
				*(bool *)dst = true;
				return true;
			}
			if (strcasecmp(text, no[i]) == 0) {
				*(bool *)dst = false;
				return true;
			}
		}
		return value_fail(err, DIAG_CFG_BAD_BOOL, NULL);
	}
	case KT_PAPER:
		for (size_t i = 0; i < ARRAY_LEN(paper_names); i++) {
			if (strcasecmp(text, paper_names[i]) == 0) {
				*(enum paper_size *)dst = (enum paper_size)i;
				return true;
			}
		}
		return value_fail(err, DIAG_CFG_BAD_CHOICE, "A4, Letter");
	case KT_BANDWIDTH: {
		struct kde_bandwidth *bw = dst;

		if (strcasecmp(text, "scott") == 0) {
			bw->rule = KDE_BW_SCOTT;
			bw->factor = 0;
			return true;
		}
		if (strcasecmp(text, "silverman") == 0) {
			bw->rule = KDE_BW_SILVERMAN;
			bw->factor = 0;
			return true;
		}
		if (!parse_real(text, &v))
			return value_fail(err, DIAG_CFG_BAD_CHOICE,
			    "scott, silverman or a positive number");
		if (!isfinite(v) || !(v > 0))
			return value_fail(err, DIAG_CFG_OUT_OF_RANGE, NULL);
		bw->rule = KDE_BW_FIXED;
		bw->factor = v;
		return true;
	}
	case KT_STRING:
	case KT_PATH:
		if (strlen(text) >= CONFIG_TEXT_MAX)
			return value_fail(err, DIAG_CFG_BAD_STRING,
			    "too long (at most 511 bytes)");
		if (kd->type == KT_PATH && text[0] == '\0')
			return value_fail(err, DIAG_CFG_BAD_STRING, "empty path");
		memcpy(dst, text, strlen(text) + 1);
		return true;
	case KT_MIXTURE: {
		bool syntax = false;
		const char *msg = NULL;
		int col = 0;

		if (mixture_parse_ex(text, kd->allow_reference, dst, &col, &msg, &syntax))
			return true;
		value_fail(err, syntax ? DIAG_MIX_SYNTAX : DIAG_MIX_BAD_VALUE, msg);
		err->mix_col = col;
		return false;
	}
	}
	return false;
}

/* Value of key k in cfg as text (the form config_print shows). */
static void
value_text(int k, const struct report_config *cfg, char *buf, size_t size)
{
	const void *p = cfield(cfg, k);

	switch (schema[k].type) {
	case KT_REAL:
		format_shortest(buf, size, *(const double *)p);
		break;
	case KT_LONG:
		snprintf(buf, size, "%ld", *(const long *)p);
		break;
	case KT_SEED:
		snprintf(buf, size, "%lu", *(const unsigned long *)p);
		break;
	case KT_BOOL:
		snprintf(buf, size, "%s", *(const bool *)p ? "true" : "false");
		break;
	case KT_PAPER: {
		enum paper_size ps = *(const enum paper_size *)p;

		snprintf(buf, size, "%s", (size_t)ps < ARRAY_LEN(paper_names) ? paper_names[ps] : "?");
		break;
	}
	case KT_BANDWIDTH: {
		const struct kde_bandwidth *bw = p;

		if (bw->rule == KDE_BW_SCOTT)
			snprintf(buf, size, "scott");
		else if (bw->rule == KDE_BW_SILVERMAN)
			snprintf(buf, size, "silverman");
		else
			format_shortest(buf, size, bw->factor);
		break;
	}
	case KT_STRING:
	case KT_PATH:
		snprintf(buf, size, "%s", (const char *)p);
		break;
	case KT_MIXTURE:
		mixture_format(p, buf, size);
		break;
	}
}

/* A p_g_* that reads "p_data" gets p_data's components. */
static void
resolve_references(struct report_config *cfg)
{
	struct mixture *g[] = {&cfg->gan.p_g_initial, &cfg->gan.p_g_training,
	    &cfg->gan.p_g_converged};

	for (size_t i = 0; i < ARRAY_LEN(g); i++) {
		if (!g[i]->is_reference)
			continue;
		*g[i] = cfg->gan.p_data;
		g[i]->is_reference = true;
	}
}

void
config_defaults(struct report_config *cfg)
{
	struct value_error err;

	memset(cfg, 0, sizeof *cfg);
	for (int k = 0; k < NKEYS; k++) {
		if (!parse_value(k, schema[k].def, cfg, &err)) {
			/* A bad default is a bug in the table above. */
			fprintf(stderr, "handout: internal error: bad default for %s\n", schema[k].name);
			abort();
		}
	}
	resolve_references(cfg);
}

/* ------------------------------------------------------------------ hints */

/* Either string starts with the other, the shorter at least 3 bytes long. */
static bool
prefix_related(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	return n >= 3 && strncmp(a, b, n) == 0;
}

/* " ; did you mean 'moons.noise'?" for an unknown "section.key", or "". */
static void
key_hint(const char *full, char *buf, size_t size)
{
	const char *dot = strchr(full, '.');
	const char *key = dot ? dot + 1 : full;
	size_t seclen = dot ? (size_t)(dot - full) : 0;
	int best = -1, best_score = INT_MAX;

	for (int k = 0; k < NKEYS; k++) {
		const char *name = schema[k].name;
		const char *kdot = strchr(name, '.');
		const char *kkey = kdot + 1;
		bool same_section = (size_t)(kdot - name) == seclen && strncmp(name, full, seclen) == 0;
		int d = edit_distance(full, name), score;

		if (d <= 2)
			score = d;
		else if (strcmp(kkey, key) == 0)
			score = 3;
		else if (same_section && prefix_related(key, strlen(key), kkey, strlen(kkey)))
			score = 4;
		else
			continue;
		if (score < best_score) {
			best = k;
			best_score = score;
		}
	}
	if (best >= 0)
		snprintf(buf, size, "; did you mean '%s'?", schema[best].name);
	else
		buf[0] = '\0';
}

/* Is there a key "name.*"? */
static bool
section_known(const char *name)
{
	size_t n = strlen(name);

	for (int k = 0; k < NKEYS; k++)
		if (strncmp(schema[k].name, name, n) == 0 && schema[k].name[n] == '.')
			return true;
	return false;
}

static void
section_hint(const char *name, char *buf, size_t size)
{
	char best[32] = "", sec[32];
	int best_score = INT_MAX;
	size_t n = strlen(name);

	for (int k = 0; k < NKEYS; k++) {
		size_t len = (size_t)(strchr(schema[k].name, '.') - schema[k].name);
		int d, score;

		snprintf(sec, sizeof sec, "%.*s", (int)len, schema[k].name);
		d = edit_distance(name, sec);
		if (d <= 2 && (size_t)d < n)
			score = d;
		else if (prefix_related(name, n, sec, len))
			score = 3;
		else
			continue;
		if (score < best_score) {
			best_score = score;
			snprintf(best, sizeof best, "%s", sec);
		}
	}
	if (best[0])
		snprintf(buf, size, "; did you mean '%s'?", best);
	else
		buf[0] = '\0';
}

/* ------------------------------------------------------------------ loader */

struct loader {
	pcre2_code *re_blank, *re_section, *re_kv, *re_set;
	pcre2_match_data *md;
	struct report_config *cfg;
	struct config_source *src;
	int file_line[ARRAY_LEN(schema)]; /* line that set the key in the file, 0 if none */
	bool bad[ARRAY_LEN(schema)];      /* the key had a bad value */
};

/* Where a value's text came from, to turn byte offsets into columns. */
struct place {
	const char *file; /* config file name or "--set" */
	int line;
	const char *raw;  /* the whole raw line or --set argument */
	size_t start;     /* byte offset in raw of the value's first byte (a quote if quoted) */
	const size_t *map; /* raw offset of each byte of the unquoted text, or NULL: raw[start + i] */
};

static int
place_col(const struct place *pl, size_t i)
{
	return char_col(pl->raw, pl->map ? pl->map[i] : pl->start + i);
}

/* Parses a double-quoted string starting at raw[q] == '"': on success
 * returns the unescaped text (caller frees), *map (caller frees: raw offset
 * of each text byte and of its end) and *end (offset just past the closing
 * quote).  On failure returns NULL with *err_off and *err_msg set. */
static char *
unquote(const char *raw, size_t q, size_t **map, size_t *end, size_t *err_off,
    const char **err_msg)
{
	size_t len = strlen(raw), n = 0, i = q + 1;
	char *text = xmalloc(len + 1);
	size_t *m = xmalloc((len + 1) * sizeof *m);

	for (;;) {
		if (raw[i] == '\0') {
			*err_off = q;
			*err_msg = "unterminated string (missing closing '\"')";
			goto fail;
		}
		if (raw[i] == '"')
			break;
		if (raw[i] == '\\') {
			if (raw[i + 1] != '"' && raw[i + 1] != '\\') {
				*err_off = i;
				*err_msg = "unknown escape sequence (a quoted string allows only \\\" and \\\\)";
				goto fail;
			}
			i++;
		}
		m[n] = i;
		text[n++] = raw[i++];
	}
	m[n] = i;
	text[n] = '\0';
	*end = i + 1;
	*map = m;
	return text;
fail:
	free(text);
	free(m);
	return NULL;
}

/* Stores text as the value of key k; reports a bad value at its place. */
static void
apply_value(struct loader *L, int k, const char *text, const struct place *pl)
{
	struct value_error err;
	const char *name = schema[k].name;
	int col = char_col(pl->raw, pl->start);
	char range[128], *detail;

	if (parse_value(k, text, L->cfg, &err))
		return;
	L->bad[k] = true;
	switch (err.code) {
	case DIAG_CFG_BAD_NUMBER:
	case DIAG_CFG_BAD_INTEGER:
	case DIAG_CFG_BAD_BOOL:
		diag_emit(err.code, pl->file, pl->line, col, name, text);
		break;
	case DIAG_CFG_BAD_CHOICE:
		diag_emit(err.code, pl->file, pl->line, col, name, err.detail, text);
		break;
	case DIAG_CFG_OUT_OF_RANGE:
		if (schema[k].type == KT_BANDWIDTH)
			snprintf(range, sizeof range, "value > 0");
		else
			range_text(&schema[k], range, sizeof range);
		if (range[0] == '\0')
			snprintf(range, sizeof range, "finite values only");
		diag_emit(err.code, pl->file, pl->line, col, name, text, range);
		break;
	case DIAG_CFG_BAD_STRING:
		diag_emit(err.code, pl->file, pl->line, col, name, err.detail);
		break;
	case DIAG_MIX_SYNTAX:
	case DIAG_MIX_BAD_VALUE:
		detail = xasprintf("'%s': %s", name, err.detail);
		diag_emit(err.code, pl->file, pl->line, place_col(pl, (size_t)err.mix_col - 1), detail);
		free(detail);
		break;
	default:
		diag_emit(DIAG_CFG_SYNTAX, pl->file, pl->line, col, "bad value");
		break;
	}
}

static void
loader_init(struct loader *L, struct report_config *cfg)
{
	memset(L, 0, sizeof *L);
	/* Blank line or full-line comment. */
	L->re_blank = rx_compile("config", "^[ \\t]*(?:[#;].*)?$");
	/* [section]  # optional comment */
	L->re_section = rx_compile("config", "^[ \\t]*\\[[ \\t]*([A-Za-z_][A-Za-z0-9_]*)[ \\t]*\\][ \\t]*(?:[#;].*)?$");
	/* key = "quoted \" value" # comment
	 * key = bare value # comment   ('#' starts a comment only after a blank) */
	L->re_kv = rx_compile("config", "^[ \\t]*([A-Za-z_][A-Za-z0-9_]*)[ \\t]*=[ \\t]*"
	    "(?:(\"(?:[^\"\\\\]|\\\\.)*\")|([^\\s\"#](?:[ \\t]*[^\\s#]|#)*))?"
	    "[ \\t]*(?:#.*)?$");
	/* --set section.key=value */
	L->re_set = rx_compile("config", "^[ \\t]*([A-Za-z_][A-Za-z0-9_]*)\\.([A-Za-z_][A-Za-z0-9_]*)[ \\t]*=[ \\t]*(.*?)[ \\t]*$");
	L->md = rx_match_data(8);
	L->cfg = cfg;
	L->src = xcalloc(1, sizeof *L->src);
}

static void
loader_free(struct loader *L)
{
	pcre2_code_free(L->re_blank);
	pcre2_code_free(L->re_section);
	pcre2_code_free(L->re_kv);
	pcre2_code_free(L->re_set);
	pcre2_match_data_free(L->md);
}

/* Matches re against s; the first match of a line also checks its UTF-8. */
static int
match(struct loader *L, pcre2_code *re, const char *s, size_t len, bool checked)
{
	return pcre2_match(re, (PCRE2_SPTR)s, len, 0, checked ? PCRE2_NO_UTF_CHECK : 0, L->md, NULL);
}

static bool
is_utf_error(int rc)
{
	return rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21;
}

/* A line that none of the patterns accepts: say what is wrong with it. */
static void
malformed_line(const char *file, int line, const char *s)
{
	size_t p = strspn(s, " \t");
	const char *eq;
	char *detail = NULL;

	if (s[p] == '[') {
		const char *close = strchr(s + p, ']');
		size_t a, b;

		if (close == NULL) {
			detail = xstrdup("missing ']'");
		} else {
			a = p + 1 + strspn(s + p + 1, " \t");
			b = (size_t)(close - s);
			while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
				b--;
			if (b == a)
				detail = xstrdup("empty section name");
			else if (!is_ident(s + a, b - a))
				detail = xasprintf("invalid section name '%.*s' (letters, digits and '_' only)",
				    (int)(b - a), s + a);
			else
				detail = xstrdup("unexpected text after ']'");
		}
		diag_emit(DIAG_CFG_BAD_SECTION, file, line, char_col(s, p), detail);
		free(detail);
		return;
	}
	eq = strchr(s + p, '=');
	if (eq == NULL) {
		diag_emit(DIAG_CFG_SYNTAX, file, line, 1,
		    "expected 'key = value', a [section] header or a comment");
		return;
	}
	size_t kend = (size_t)(eq - s);
	while (kend > p && (s[kend - 1] == ' ' || s[kend - 1] == '\t'))
		kend--;
	if (kend == p) {
		diag_emit(DIAG_CFG_SYNTAX, file, line, 1, "missing key name before '='");
		return;
	}
	if (!is_ident(s + p, kend - p)) {
		detail = xasprintf("invalid key name '%.*s' (letters, digits and '_' only)",
		    (int)(kend - p), s + p);
		diag_emit(DIAG_CFG_SYNTAX, file, line, 1, detail);
		free(detail);
		return;
	}
	size_t v = (size_t)(eq - s) + 1;
	v += strspn(s + v, " \t");
	if (s[v] == '"') {
		size_t *map = NULL, end = 0, err_off = 0;
		const char *msg = NULL;
		char *text = unquote(s, v, &map, &end, &err_off, &msg);

		if (text == NULL) {
			diag_emit(DIAG_CFG_SYNTAX, file, line, char_col(s, err_off), msg);
			return;
		}
		free(text);
		free(map);
		end += strspn(s + end, " \t");
		if (s[end] != '#') {
			diag_emit(DIAG_CFG_SYNTAX, file, line, char_col(s, end),
			    "unexpected text after the closing quote");
			return;
		}
	}
	diag_emit(DIAG_CFG_SYNTAX, file, line, 1, "malformed line");
}

/* Reports the constraint violation at the place of the later-set key. */
static void
constraint_error(struct loader *L, int a, int b, const char *detail)
{
	const struct origin *oa = &L->src->key[a], *ob = &L->src->key[b];
	const struct origin *o = ob;

	if (oa->kind > ob->kind || (oa->kind == ob->kind && oa->line > ob->line))
		o = oa;
	switch (o->kind) {
	case ORIGIN_FILE:
		diag_emit(DIAG_CFG_CONSTRAINT, L->src->file, o->line, o->col, detail);
		break;
	case ORIGIN_SET:
		diag_emit(DIAG_CFG_CONSTRAINT, "--set", o->line, o->col, detail);
		break;
	case ORIGIN_DEFAULT:
		diag_emit(DIAG_CFG_CONSTRAINT, NULL, 0, 0, detail);
		break;
	}
}

static void
check_constraints(struct loader *L)
{
	char va[64], vb[64], *detail;

	for (size_t i = 0; i < ARRAY_LEN(less_than); i++) {
		int a = key_index(less_than[i].lo), b = key_index(less_than[i].hi);

		if (L->bad[a] || L->bad[b])
			continue;
		if (*(double *)field(L->cfg, a) < *(double *)field(L->cfg, b))
			continue;
		value_text(a, L->cfg, va, sizeof va);
		value_text(b, L->cfg, vb, sizeof vb);
		detail = xasprintf("'%s' = %s must be less than '%s' = %s", schema[a].name, va,
		    schema[b].name, vb);
		constraint_error(L, a, b, detail);
		free(detail);
	}

	int wx = key_index("decision.weight_x"), wy = key_index("decision.weight_y");
	if (!L->bad[wx] && !L->bad[wy] && L->cfg->decision.weight_x == 0 &&
	    L->cfg->decision.weight_y == 0)
		constraint_error(L, wx, wy,
		    "'decision.weight_x' and 'decision.weight_y' cannot both be 0 "
		    "(the decision boundary would be undefined)");
}

/* One line of the file (NUL-terminated, no line end). */
static void
file_line(struct loader *L, const char *file, int line, const char *s, char **section,
    bool *section_bad)
{
	size_t len = strlen(s);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(L->md);
	int rc = match(L, L->re_blank, s, len, false);
	char hint[128];

	if (is_utf_error(rc)) {
		diag_emit(DIAG_CFG_SYNTAX, file, line, char_col(s, pcre2_get_startchar(L->md)),
		    "invalid UTF-8");
		return;
	}
	if (rc > 0)
		return;

	if (match(L, L->re_section, s, len, true) > 0) {
		char *name = xstrndup(s + ov[2], ov[3] - ov[2]);

		free(*section);
		*section = NULL;
		*section_bad = false;
		if (section_known(name)) {
			*section = name;
		} else {
			section_hint(name, hint, sizeof hint);
			diag_emit(DIAG_CFG_UNKNOWN_SECTION, file, line, char_col(s, ov[2]), name, hint);
			/* Its keys would only repeat the news: skip them. */
			*section_bad = true;
			free(name);
		}
		return;
	}

	if (match(L, L->re_kv, s, len, true) <= 0) {
		malformed_line(file, line, s);
		if (s[strspn(s, " \t")] == '[') {
			/* Keys under a broken header belong to no known section. */
			free(*section);
			*section = NULL;
			*section_bad = true;
		}
		return;
	}

	size_t k0 = ov[2], k1 = ov[3];
	int key_col = char_col(s, k0);
	if (*section_bad)
		return;
	if (*section == NULL) {
		char *key = xstrndup(s + k0, k1 - k0);
		diag_emit(DIAG_CFG_NO_SECTION, file, line, key_col, key);
		free(key);
		return;
	}
	char *full = xasprintf("%s.%.*s", *section, (int)(k1 - k0), s + k0);
	int k = key_index(full);
	if (k < 0) {
		key_hint(full, hint, sizeof hint);
		diag_emit(DIAG_CFG_UNKNOWN_KEY, file, line, key_col, full, hint);
		free(full);
		return;
	}
	if (L->file_line[k] > 0) {
		diag_emit(DIAG_CFG_DUPLICATE_KEY, file, line, key_col, full, L->file_line[k]);
		free(full);
		return;
	}
	free(full);
	L->file_line[k] = line;

	struct place pl = {.file = file, .line = line, .raw = s};
	struct origin *o = &L->src->key[k];
	o->kind = ORIGIN_FILE;
	o->line = line;
	if (ov[4] != PCRE2_UNSET) {
		size_t end, err_off;
		size_t *map;
		const char *msg;
		char *text;

		pl.start = ov[4];
		o->col = char_col(s, pl.start);
		text = unquote(s, ov[4], &map, &end, &err_off, &msg);
		if (text == NULL) {
			L->bad[k] = true;
			diag_emit(DIAG_CFG_SYNTAX, file, line, char_col(s, err_off), msg);
			return;
		}
		pl.map = map;
		apply_value(L, k, text, &pl);
		free(text);
		free(map);
	} else if (ov[6] != PCRE2_UNSET) {
		char *text = xstrndup(s + ov[6], ov[7] - ov[6]);

		pl.start = ov[6];
		o->col = char_col(s, pl.start);
		apply_value(L, k, text, &pl);
		free(text);
	} else {
		/* Point where the value should have been. */
		size_t v = (size_t)(strchr(s + k1, '=') - s) + 1;

		v += strspn(s + v, " \t");
		o->col = char_col(s, v);
		L->bad[k] = true;
		diag_emit(DIAG_CFG_EMPTY_VALUE, file, line, o->col, schema[k].name);
	}
}

static void
load_text(struct loader *L, const char *file, const char *text, size_t len)
{
	size_t pos = 0;
	int line = 0;
	char *section = NULL;
	bool section_bad = false;

	/* A UTF-8 byte order mark is not part of the first line. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t n = end - pos;
		char *s;

		line++;
		if (n > 0 && text[pos + n - 1] == '\r')
			n--;
		s = xstrndup(text + pos, n);
		if (strlen(s) != n)
			diag_emit(DIAG_CFG_SYNTAX, file, line, char_col(s, strlen(s)),
			    "NUL byte in line");
		else
			file_line(L, file, line, s, &section, &section_bad);
		free(s);
		pos = end + 1;
	}
	free(section);
}

static void
set_arg(struct loader *L, int index, const char *arg)
{
	size_t len = strlen(arg);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(L->md);
	int rc = match(L, L->re_set, arg, len, false);
	char hint[128];

	if (is_utf_error(rc)) {
		diag_emit(DIAG_CFG_SYNTAX, "--set", index, char_col(arg, pcre2_get_startchar(L->md)),
		    "invalid UTF-8");
		return;
	}
	if (rc <= 0) {
		diag_emit(DIAG_CFG_BAD_SET, "--set", index, 1, arg);
		return;
	}
	char *full = xasprintf("%.*s.%.*s", (int)(ov[3] - ov[2]), arg + ov[2],
	    (int)(ov[5] - ov[4]), arg + ov[4]);
	int k = key_index(full);
	if (k < 0) {
		key_hint(full, hint, sizeof hint);
		diag_emit(DIAG_CFG_UNKNOWN_KEY, "--set", index, char_col(arg, ov[2]), full, hint);
		free(full);
		return;
	}
	free(full);

	struct origin *o = &L->src->key[k];
	struct place pl = {.file = "--set", .line = index, .raw = arg, .start = ov[6]};
	size_t vlen = ov[7] - ov[6];

	o->kind = ORIGIN_SET;
	o->line = index;
	o->col = char_col(arg, ov[6]);
	/* A later --set of the same key wins: its problems are the ones that count. */
	L->bad[k] = false;
	if (vlen == 0) {
		L->bad[k] = true;
		diag_emit(DIAG_CFG_EMPTY_VALUE, "--set", index, o->col, schema[k].name);
		return;
	}
	if (arg[ov[6]] == '"') {
		size_t end, err_off, *map;
		const char *msg;
		char *text = unquote(arg, ov[6], &map, &end, &err_off, &msg);

		if (text == NULL) {
			L->bad[k] = true;
			diag_emit(DIAG_CFG_SYNTAX, "--set", index, char_col(arg, err_off), msg);
			return;
		}
		if (end != ov[7]) {
			L->bad[k] = true;
			diag_emit(DIAG_CFG_SYNTAX, "--set", index, char_col(arg, end),
			    "unexpected text after the closing quote");
		} else {
			pl.map = map;
			apply_value(L, k, text, &pl);
		}
		free(text);
		free(map);
		return;
	}
	char *text = xstrndup(arg + ov[6], vlen);
	apply_value(L, k, text, &pl);
	free(text);
}

bool
config_load_buffer(const char *name, const char *text, size_t len, const char *const *sets,
    int nsets, struct report_config *cfg, struct config_source **src)
{
	struct loader L;
	int errors_before = diag_error_count();
	bool ok;

	if (src)
		*src = NULL;
	config_defaults(cfg);
	loader_init(&L, cfg);
	if (text != NULL) {
		L.src->file = xstrdup(name ? name : "report.conf");
		load_text(&L, L.src->file, text, len);
	}
	for (int i = 0; i < nsets; i++)
		set_arg(&L, i + 1, sets[i]);
	check_constraints(&L);
	resolve_references(cfg);
	loader_free(&L);

	ok = diag_error_count() == errors_before;
	if (ok && src)
		*src = L.src;
	else
		config_source_free(L.src);
	return ok;
}

bool
config_load(const char *path, const char *const *sets, int nsets, struct report_config *cfg,
    struct config_source **src)
{
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	bool ok;

	if (path == NULL)
		return config_load_buffer(NULL, NULL, 0, sets, nsets, cfg, src);
	if (src)
		*src = NULL;
	if ((fp = fopen(path, "rb")) == NULL) {
		diag_emit(DIAG_IO_OPEN, NULL, 0, 0, path, strerror(errno));
		return false;
	}
	do {
		if (cap - len < 4096) {
			cap = cap ? 2 * cap : 8192;
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		diag_emit(DIAG_IO_OPEN, NULL, 0, 0, path, strerror(errno));
		fclose(fp);
		free(buf);
		return false;
	}
	fclose(fp);
	ok = config_load_buffer(path, buf, len, sets, nsets, cfg, src);
	free(buf);
	return ok;
}

/* ------------------------------------------------------------------ output */

int
config_key_count(void)
{
	return NKEYS;
}

void
config_key_info(int i, const struct report_config *cfg, const struct config_source *src,
    struct config_key_info *out)
{
	struct report_config def;

	config_defaults(&def);
	out->name = schema[i].name;
	out->description = schema[i].desc;
	value_text(i, cfg, out->value, sizeof out->value);
	value_text(i, &def, out->default_value, sizeof out->default_value);
	out->is_default = strcmp(out->value, out->default_value) == 0;
	out->mixture = schema[i].type == KT_MIXTURE ? cfield(cfg, i) : NULL;
	if (src == NULL || src->key[i].kind == ORIGIN_DEFAULT)
		snprintf(out->origin, sizeof out->origin, "default");
	else if (src->key[i].kind == ORIGIN_FILE)
		snprintf(out->origin, sizeof out->origin, "%s:%d", src->file, src->key[i].line);
	else
		snprintf(out->origin, sizeof out->origin, "--set");
}

/* Terminal columns taken by UTF-8 text: East Asian wide characters count 2. */
static int
display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int w = 0;

	while (*p) {
		unsigned long c;
		int extra;

		if (*p < 0x80) {
			c = *p;
			extra = 0;
		} else if ((*p & 0xE0) == 0xC0) {
			c = *p & 0x1F;
			extra = 1;
		} else if ((*p & 0xF0) == 0xE0) {
			c = *p & 0x0F;
			extra = 2;
		} else {
			c = *p & 0x07;
			extra = 3;
		}
		p++;
		for (; extra > 0 && (*p & 0xC0) == 0x80; extra--)
			c = (c << 6) | (*p++ & 0x3F);
		w += ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
		    (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
		    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
		    (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD)) ? 2 : 1;
	}
	return w;
}

static void
print_padded(FILE *out, const char *s, int width)
{
	fputs(s, out);
	for (int w = display_width(s); w < width; w++)
		fputc(' ', out);
}

void
config_print(FILE *out, const struct report_config *cfg, const struct config_source *src)
{
	struct config_key_info *info = xmalloc((size_t)NKEYS * sizeof *info);
	int wk = 3, wv = 5, wd = 7;

	for (int i = 0; i < NKEYS; i++) {
		config_key_info(i, cfg, src, &info[i]);
		if (display_width(info[i].name) > wk)
			wk = display_width(info[i].name);
		if (display_width(info[i].value) > wv)
			wv = display_width(info[i].value);
		if (display_width(info[i].default_value) > wd)
			wd = display_width(info[i].default_value);
	}
	print_padded(out, "key", wk + 2);
	print_padded(out, "value", wv + 2);
	print_padded(out, "default", wd + 2);
	fputs("origin\n", out);
	for (int i = 0; i < NKEYS; i++) {
		print_padded(out, info[i].name, wk + 2);
		print_padded(out, info[i].value, wv + 2);
		print_padded(out, info[i].default_value, wd + 2);
		fputs(info[i].origin, out);
		fputc('\n', out);
	}
	free(info);
}
