/* config: report.conf and --set overrides -> one typed struct.
 *
 * Closed schema (config.c): every key has a type, a default, a range and a
 * one-line description.  Unknown keys and bad values are reported through
 * diag with file:line:col and a "did you mean" hint. */
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
	} document;
	struct {
		/* TrueType files (.ttf, or .ttc with an optional ":INDEX" suffix) */
		char cjk_serif[CONFIG_TEXT_MAX];  /* body text: AR PL UMing */
		char cjk_sans[CONFIG_TEXT_MAX];   /* headings, labels: WenQuanYi Micro Hei */
		char latin_serif[CONFIG_TEXT_MAX]; /* Latin, Greek, digits: DejaVu Serif */
		char symbol[CONFIG_TEXT_MAX];     /* marks and math symbols: DejaVu Sans */
		char mono[CONFIG_TEXT_MAX];       /* code: DejaVu Sans Mono */
	} fonts;
};

struct config_source; /* opaque: where each value came from */

/* Fills *cfg with the schema defaults. */
void config_defaults(struct report_config *cfg);

/* Reads `path` (INI) over the defaults, then applies each "section.key=value"
 * of sets[0..nsets).  Reports every problem found through diag (not just the
 * first) and returns false if any was an error; *cfg is then unusable.
 * If src is non-NULL it receives a new record of value origins (caller frees
 * with config_source_free). */
bool config_load(const char *path, const char *const *sets, int nsets,
    struct report_config *cfg, struct config_source **src);

void config_source_free(struct config_source *src);

/* Prints every parameter: key, value, default, origin ("default",
 * "report.conf:12", "--set"), one per line, in schema order. */
void config_print(FILE *out, const struct report_config *cfg,
    const struct config_source *src);

/* Iteration over the schema for the appendix and the results page:
 * returns the number of keys; config_key_info fills the i-th key's full
 * name, its value and default as text, its description and origin. */
struct config_key_info {
	const char *name;        /* "moons.noise" */
	const char *description; /* one line */
	char value[CONFIG_TEXT_MAX];
	char default_value[CONFIG_TEXT_MAX];
	char origin[CONFIG_TEXT_MAX];
	bool is_default;
};
int config_key_count(void);
void config_key_info(int i, const struct report_config *cfg,
    const struct config_source *src, struct config_key_info *out);

#endif
