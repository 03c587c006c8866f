/* config: report.conf and --set overrides -> one typed struct.
 *
 * Closed schema (config.c): every key has a type, a default, a range and a
 * one-line description.  Unknown keys and bad values are reported through
 * diag with file:line:col and a "did you mean" hint.
 *
 * File syntax: "[section]" headers, "key = value" lines, full-line comments
 * starting with '#' or ';', and a trailing comment after a value that starts
 * with '#' preceded by a blank (or directly after a closing quote).  A value
 * may be a double-quoted string with \" and \\ escapes (any type may be
 * quoted).  UTF-8; a leading byte order mark and CR LF line ends are accepted.
 *
 * Locations: LINE is 1-based; COL is a 1-based CHARACTER column (code points,
 * a tab counts 1), so that a message on a line with Chinese text points at the
 * right character.  COL is the value's first byte (its opening quote if it is
 * quoted) for a bad value, the exact character for a problem inside a mixture
 * or a quoted string, the key for unknown, misplaced and duplicate keys, the
 * name for an unknown section, the '[' for a malformed header, and 1 for any
 * other malformed line.  A cross-field constraint (x_min < x_max...) is
 * reported at the value of whichever of its keys was set last.
 * A --set argument is reported as "--set:N:COL", N being the 1-based index of
 * the argument among the --set arguments and COL the character column within
 * that argument, e.g. "--set:2:13: error: ...".  In a --set value nothing is a
 * comment; it may be quoted like a file value.  A later --set of a key
 * overrides an earlier one; a key twice in the file is an error.
 * Keys under an unknown or malformed [section] header are not reported
 * again one by one. */
#ifndef HANDOUT_CONFIG_H
#define HANDOUT_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "mixture.h"

enum kde_bandwidth_rule { KDE_BW_SCOTT, KDE_BW_SILVERMAN, KDE_BW_FIXED };
enum paper_size { PAPER_A4, PAPER_LETTER };

struct kde_bandwidth {
	enum kde_bandwidth_rule rule;
	double factor; /* used when rule == KDE_BW_FIXED */
};

#define CONFIG_TEXT_MAX 512

struct report_config {
	struct {
		long n_samples;
		double noise;
		unsigned long seed;
	} moons;
	struct {
		double weight_x, weight_y, bias;
		long grid_points;
		double padding;
	} decision;
	struct {
		struct kde_bandwidth bandwidth;
		long levels;
	} kde;
	struct {
		double mean, std;
		double z_min, z_max;
		long z_points;
	} prior;
	struct {
		double q_mean, q_std;
	} posterior;
	struct {
		double mean_min, mean_max;
		long points;
	} kl;
	struct {
		double log10_beta_min, log10_beta_max;
		long points;
		double reconstruction, kl;
	} beta_vae;
	struct {
		double mu, sigma;
		long n, bins;
		unsigned long seed;
		double x_min, x_max;
		long x_points;
	} reparam;
	struct {
		struct mixture p_data, p_g_initial, p_g_training, p_g_converged;
		double x_min, x_max;
		long x_points;
		double epsilon;
	} gan;
	struct {
		char title[CONFIG_TEXT_MAX];
		char author[CONFIG_TEXT_MAX];
		enum paper_size paper;
		bool color;
		char hyphenation[CONFIG_TEXT_MAX]; /* libhyphen patterns for Latin words */
	} document;
	struct {
		/* TrueType files (.ttf, or .ttc with an optional ":INDEX" suffix) */
		char cjk_serif[CONFIG_TEXT_MAX];  /* body text: AR PL UMing */
		char cjk_sans[CONFIG_TEXT_MAX];   /* headings, labels: WenQuanYi Micro Hei */
		char latin_serif[CONFIG_TEXT_MAX]; /* Latin, Greek, digits: FreeSerif */
		char symbol[CONFIG_TEXT_MAX];     /* marks and math symbols: DejaVu Sans */
		char mono[CONFIG_TEXT_MAX];       /* code: DejaVu Sans Mono */
		char latin_italic[CONFIG_TEXT_MAX]; /* emphasis, math variables: FreeSerif Italic */
		char latin_bold[CONFIG_TEXT_MAX];   /* strong, bold math: FreeSerif Bold */
		char latin_bold_italic[CONFIG_TEXT_MAX]; /* FreeSerif Bold Italic */
		char math[CONFIG_TEXT_MAX];       /* math symbols FreeSerif lacks: DejaVu Math TeX Gyre */
	} fonts;
};

struct config_source; /* opaque: where each value came from */

/* Fills *cfg with the schema defaults. */
void config_defaults(struct report_config *cfg);

/* Reads `path` (INI) over the defaults, then applies each "section.key=value"
 * of sets[0..nsets).  Reports every problem found through diag (not just the
 * first) and returns false if any was an error; *cfg is then unusable.
 * path NULL means no file (defaults and --set only).  A file that cannot be
 * read is DIAG_IO_OPEN.  If src is non-NULL it receives a new record of value
 * origins (caller frees with config_source_free), or NULL on failure.
 * A p_g_* mixture that reads "p_data" is returned with p_data's components
 * and is_reference still true. */
bool config_load(const char *path, const char *const *sets, int nsets,
    struct report_config *cfg, struct config_source **src);

/* config_load on text[0..len) already in memory, reported under the file
 * name `name`; text NULL means no file.  For tests and tools. */
bool config_load_buffer(const char *name, const char *text, size_t len,
    const char *const *sets, int nsets, struct report_config *cfg,
    struct config_source **src);

/* NULL-safe. */
void config_source_free(struct config_source *src);

/* Prints every parameter: key, value, default, origin ("default",
 * "report.conf:12", "--set"), one per line, in schema order, after a header
 * line "key value default origin"; columns aligned for a terminal (CJK
 * characters count two cells).  src may be NULL (origins read "default"). */
void config_print(FILE *out, const struct report_config *cfg,
    const struct config_source *src);

/* Iteration over the schema for the appendix and the results page:
 * returns the number of keys; config_key_info fills the i-th key's full
 * name, its value and default as text, its description and origin.  Values
 * read as config_print shows them: reals in their shortest round-trip form
 * ("0.1", "1e-8"), mixtures canonical (mixture_format), booleans "true" or
 * "false".  is_default: the value equals the default (whatever its origin).
 * src may be NULL (origin "default"). */
struct config_key_info {
	const char *name;        /* "moons.noise" */
	const char *description; /* one line */
	char value[CONFIG_TEXT_MAX];
	char default_value[CONFIG_TEXT_MAX];
	char origin[CONFIG_TEXT_MAX];
	bool is_default;
	/* a mixture expression (gan.p_data ...): its parsed value, which the
	 * text sets as math (layout.c); NULL for other keys */
	const struct mixture *mixture;
};
int config_key_count(void);
void config_key_info(int i, const struct report_config *cfg,
    const struct config_source *src, struct config_key_info *out);

#endif
