/* config: defaults, report.conf, every kind of error with its exact message
 * (golden), --set overrides and value origins, "did you mean" hints. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"

/* ------------------------------------------------------------ helpers */

/* Loads `text` as the file "t.conf" (NULL: no file) plus the --set
 * arguments; returns the diagnostics (caller frees) and sets *ok. */
static char *
load(const char *text, const char *const *sets, int nsets, struct report_config *cfg,
    struct config_source **src, bool *ok)
{
	capture();
	*ok = config_load_buffer("t.conf", text, text ? strlen(text) : 0, sets, nsets, cfg, src);
	return captured();
}

static void
assert_diags(const char *text, const char *const *sets, int nsets, const char *want)
{
	struct report_config cfg;
	struct config_source *src = (struct config_source *)&cfg; /* must become NULL */
	bool ok;
	char *got = load(text, sets, nsets, &cfg, &src, &ok);

	if (strcmp(got, want) != 0) {
		print_error("input:\n%s\n--- want\n%s--- got\n%s---\n", text ? text : "(none)", want, got);
		free(got);
		fail();
	}
	free(got);
	assert_false(ok);
	assert_null(src);
	assert_int_equal(diag_exit_status(), 0); /* diag_reset(NULL) forgot */
}

static int
key_by_name(const char *name)
{
	struct report_config cfg;
	struct config_key_info info;

	config_defaults(&cfg);
	for (int i = 0; i < config_key_count(); i++) {
		config_key_info(i, &cfg, NULL, &info);
		if (strcmp(info.name, name) == 0)
			return i;
	}
	return -1;
}

static void
info_of(const char *name, const struct report_config *cfg, const struct config_source *src,
    struct config_key_info *info)
{
	int i = key_by_name(name);

	assert_true(i >= 0);
	config_key_info(i, cfg, src, info);
}

/* ------------------------------------------------------------ defaults */

static void
test_defaults(void **state)
{
	(void)state;
	struct report_config c;

	config_defaults(&c);
	assert_int_equal(c.moons.n_samples, 200);
	assert_true(c.moons.noise == 0.1);
	assert_int_equal(c.moons.seed, 42);
	assert_true(c.decision.weight_x == 0.5);
	assert_true(c.decision.weight_y == 0.3);
	assert_true(c.decision.bias == -0.2);
	assert_int_equal(c.decision.grid_points, 50);
	assert_true(c.decision.padding == 0.5);
	assert_int_equal(c.kde.bandwidth.rule, KDE_BW_SCOTT);
	assert_int_equal(c.kde.levels, 5);
	assert_true(c.prior.mean == 0 && c.prior.std == 1);
	assert_true(c.prior.z_min == -3 && c.prior.z_max == 3);
	assert_int_equal(c.prior.z_points, 100);
	assert_true(c.posterior.q_mean == 0.5 && c.posterior.q_std == 0.8);
	assert_true(c.kl.mean_min == -2 && c.kl.mean_max == 2);
	assert_int_equal(c.kl.points, 100);
	assert_true(c.beta_vae.log10_beta_min == -2 && c.beta_vae.log10_beta_max == 1);
	assert_int_equal(c.beta_vae.points, 50);
	assert_true(c.beta_vae.reconstruction == 100 && c.beta_vae.kl == 5);
	assert_true(c.reparam.mu == 2.0 && c.reparam.sigma == 1.5);
	assert_int_equal(c.reparam.n, 1000);
	assert_int_equal(c.reparam.bins, 30);
	assert_int_equal(c.reparam.seed, 42);
	assert_true(c.reparam.x_min == -2 && c.reparam.x_max == 6);
	assert_int_equal(c.reparam.x_points, 100);

	assert_int_equal(c.gan.p_data.n, 2);
	assert_false(c.gan.p_data.is_reference);
	assert_true(c.gan.p_data.comp[0].weight == 0.3 && c.gan.p_data.comp[0].mean == -1 &&
	    c.gan.p_data.comp[0].std == 0.5);
	assert_true(c.gan.p_data.comp[1].weight == 0.7 && c.gan.p_data.comp[1].mean == 1.5 &&
	    c.gan.p_data.comp[1].std == 0.3);
	assert_int_equal(c.gan.p_g_initial.n, 1);
	assert_false(c.gan.p_g_initial.comp[0].has_weight);
	assert_int_equal(c.gan.p_g_training.n, 2);
	/* the reference is resolved: p_data's components, still marked */
	assert_true(c.gan.p_g_converged.is_reference);
	assert_int_equal(c.gan.p_g_converged.n, 2);
	assert_memory_equal(c.gan.p_g_converged.comp, c.gan.p_data.comp,
	    2 * sizeof c.gan.p_data.comp[0]);
	assert_true(c.gan.x_min == -3 && c.gan.x_max == 3);
	assert_int_equal(c.gan.x_points, 100);
	assert_true(c.gan.epsilon == 1e-8);

	assert_string_equal(c.document.title, "生成模型理论：从VAE到Diffusion模型");
	assert_string_equal(c.document.author, "生成模型讲义");
	assert_int_equal(c.document.paper, PAPER_A4);
	assert_true(c.document.color);
	assert_string_equal(c.fonts.cjk_serif, "/usr/share/fonts/truetype/arphic/uming.ttc");
	assert_string_equal(c.fonts.cjk_sans, "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");
	assert_string_equal(c.fonts.latin_serif, "/usr/share/fonts/truetype/freefont/FreeSerif.ttf");
	assert_string_equal(c.fonts.symbol, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
	assert_string_equal(c.fonts.mono, "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf");
	assert_string_equal(c.fonts.latin_italic,
	    "/usr/share/fonts/truetype/freefont/FreeSerifItalic.ttf");
	assert_string_equal(c.fonts.latin_bold, "/usr/share/fonts/truetype/freefont/FreeSerifBold.ttf");
	assert_string_equal(c.fonts.latin_bold_italic,
	    "/usr/share/fonts/truetype/freefont/FreeSerifBoldItalic.ttf");
	assert_string_equal(c.fonts.math, "/usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf");
}

static void
test_schema(void **state)
{
	(void)state;
	static const char *const keys[] = {
		"moons.n_samples", "moons.noise", "moons.seed",
		"decision.weight_x", "decision.weight_y", "decision.bias",
		"decision.grid_points", "decision.padding",
		"kde.bandwidth", "kde.levels",
		"prior.mean", "prior.std", "prior.z_min", "prior.z_max", "prior.z_points",
		"posterior.q_mean", "posterior.q_std",
		"kl.mean_min", "kl.mean_max", "kl.points",
		"beta_vae.log10_beta_min", "beta_vae.log10_beta_max", "beta_vae.points",
		"beta_vae.reconstruction", "beta_vae.kl",
		"reparam.mu", "reparam.sigma", "reparam.n", "reparam.bins", "reparam.seed",
		"reparam.x_min", "reparam.x_max", "reparam.x_points",
		"gan.p_data", "gan.p_g_initial", "gan.p_g_training", "gan.p_g_converged",
		"gan.x_min", "gan.x_max", "gan.x_points", "gan.epsilon",
		"document.title", "document.author", "document.paper", "document.color",
		"document.hyphenation",
		"fonts.cjk_serif", "fonts.cjk_sans", "fonts.latin_serif", "fonts.symbol",
		"fonts.mono", "fonts.latin_italic", "fonts.latin_bold", "fonts.latin_bold_italic",
		"fonts.math",
	};
	struct report_config cfg;
	struct config_key_info info;

	assert_int_equal(config_key_count(), (int)(sizeof keys / sizeof keys[0]));
	config_defaults(&cfg);
	for (int i = 0; i < config_key_count(); i++) {
		config_key_info(i, &cfg, NULL, &info);
		assert_string_equal(info.name, keys[i]);
		assert_true(strlen(info.description) > 10);
		assert_null(strchr(info.description, '\n'));
		assert_true(info.is_default);
		assert_string_equal(info.value, info.default_value);
		assert_string_equal(info.origin, "default");
	}
	info_of("moons.seed", &cfg, NULL, &info);
	assert_non_null(strstr(info.description, "4357"));
	info_of("gan.epsilon", &cfg, NULL, &info);
	assert_string_equal(info.value, "1e-8");
	info_of("gan.p_g_converged", &cfg, NULL, &info);
	assert_string_equal(info.value, "p_data");
	info_of("gan.p_data", &cfg, NULL, &info);
	assert_string_equal(info.value, "0.3*N(-1, 0.5) + 0.7*N(1.5, 0.3)");
	info_of("beta_vae.reconstruction", &cfg, NULL, &info);
	assert_string_equal(info.value, "100");
}

/* ------------------------------------------------------------ report.conf */

static void
test_report_conf(void **state)
{
	(void)state;
	struct report_config cfg, def;
	struct config_source *src = NULL;
	struct config_key_info info;
	bool ok;

	capture();
	ok = config_load("report.conf", NULL, 0, &cfg, &src);
	char *diags = captured();
	assert_string_equal(diags, "");
	free(diags);
	assert_true(ok);
	assert_non_null(src);

	config_defaults(&def);
	for (int i = 0; i < config_key_count(); i++) {
		config_key_info(i, &cfg, src, &info);
		if (!info.is_default) {
			print_error("report.conf: %s = %s, default %s\n", info.name, info.value,
			    info.default_value);
			fail();
		}
		/* every key is written out in the file */
		if (strncmp(info.origin, "report.conf:", 12) != 0) {
			print_error("%s comes from %s\n", info.name, info.origin);
			fail();
		}
	}
	assert_true(cfg.gan.p_g_converged.is_reference);
	assert_int_equal(cfg.gan.p_g_converged.n, 2);
	config_source_free(src);
}

/* ------------------------------------------------------------ errors */

static void
test_error_malformed(void **state)
{
	(void)state;
	assert_diags("[moons]\nn_samples 200\n", NULL, 0,
	    "t.conf:2:1: error: expected 'key = value', a [section] header or a comment\n");
	assert_diags("[moons]\n= 3\n", NULL, 0,
	    "t.conf:2:1: error: missing key name before '='\n");
	assert_diags("[moons]\n  n samples = 3\n", NULL, 0,
	    "t.conf:2:1: error: invalid key name 'n samples' (letters, digits and '_' only)\n");
	assert_diags("[document]\ntitle = \"生成模型\n", NULL, 0,
	    "t.conf:2:9: error: unterminated string (missing closing '\"')\n");
	assert_diags("[document]\ntitle = \"生成\" \"模型\"\n", NULL, 0,
	    "t.conf:2:14: error: unexpected text after the closing quote\n");
	/* columns count characters: the backslash is the 14th */
	assert_diags("[document]\ntitle = \"生成模型\\q\"\n", NULL, 0,
	    "t.conf:2:14: error: unknown escape sequence (a quoted string allows only \\\" and \\\\)\n");
	assert_diags("[document]\ntitle = \"生成\xff\"\n", NULL, 0,
	    "t.conf:2:12: error: invalid UTF-8\n");

	/* a NUL byte (strlen would stop there: pass the length) */
	static const char nul[] = "[moons]\nnoise = 0.1\0x\n";
	struct report_config cfg;
	capture();
	assert_false(config_load_buffer("t.conf", nul, sizeof nul - 1, NULL, 0, &cfg, NULL));
	char *got = captured();
	assert_string_equal(got, "t.conf:2:12: error: NUL byte in line\n");
	free(got);
}

static void
test_error_sections(void **state)
{
	(void)state;
	assert_diags("[moons\nnoise = 0.2\n", NULL, 0,
	    "t.conf:1:1: error: malformed section header: missing ']'\n");
	assert_diags("  [ ]\n", NULL, 0,
	    "t.conf:1:3: error: malformed section header: empty section name\n");
	assert_diags("[two words]\n", NULL, 0,
	    "t.conf:1:1: error: malformed section header: invalid section name 'two words' "
	    "(letters, digits and '_' only)\n");
	assert_diags("[moons] noise = 1\n", NULL, 0,
	    "t.conf:1:1: error: malformed section header: unexpected text after ']'\n");
	/* keys under an unknown section are not reported one by one */
	assert_diags("[mons]\nnoise = 0.2\nseed = 7\n[moons]\nseed = 0\n", NULL, 0,
	    "t.conf:1:2: error: unknown section 'mons'; did you mean 'moons'?\n"
	    "t.conf:5:8: error: 'moons.seed' = 0 is out of range (1 ≤ value ≤ 4294967295)\n");
	assert_diags("[ zebra ]\n", NULL, 0, "t.conf:1:3: error: unknown section 'zebra'\n");
	assert_diags("noise = 0.2\n", NULL, 0,
	    "t.conf:1:1: error: key 'noise' appears before any [section] header\n");
}

static void
test_error_keys(void **state)
{
	(void)state;
	assert_diags("[moons]\nnosie = 0.2\n", NULL, 0,
	    "t.conf:2:1: error: unknown key 'moons.nosie'; did you mean 'moons.noise'?\n");
	assert_diags("[moons]\nnoise = 0.2\nseed = 1\n  noise = 0.3\n", NULL, 0,
	    "t.conf:4:3: error: duplicate key 'moons.noise' (first set on line 2)\n");
	assert_diags("[moons]\nnoise =\n", NULL, 0, "t.conf:2:8: error: 'moons.noise' has no value\n");
	assert_diags("[moons]\nnoise =   # forgot\n", NULL, 0,
	    "t.conf:2:11: error: 'moons.noise' has no value\n");
}

static void
test_did_you_mean(void **state)
{
	(void)state;
	/* transposition, a key of another section, a prefix, nothing close */
	assert_diags("[prior]\nz_mni = 1\n", NULL, 0,
	    "t.conf:2:1: error: unknown key 'prior.z_mni'; did you mean 'prior.z_min'?\n");
	assert_diags("[moons]\ngrid_points = 20\n", NULL, 0,
	    "t.conf:2:1: error: unknown key 'moons.grid_points'; did you mean 'decision.grid_points'?\n");
	assert_diags("[reparam]\nsig = 1\n", NULL, 0,
	    "t.conf:2:1: error: unknown key 'reparam.sig'; did you mean 'reparam.sigma'?\n");
	assert_diags("[gan]\ntemperature = 1\n", NULL, 0,
	    "t.conf:2:1: error: unknown key 'gan.temperature'\n");
	assert_diags("[font]\n", NULL, 0,
	    "t.conf:1:2: error: unknown section 'font'; did you mean 'fonts'?\n");
	assert_diags("[beta]\n", NULL, 0,
	    "t.conf:1:2: error: unknown section 'beta'; did you mean 'beta_vae'?\n");
	static const char *const sets[] = {"mons.seed=3", "kde.level=4", "kde.zzz=1"};
	assert_diags(NULL, sets, 3,
	    "--set:1:1: error: unknown key 'mons.seed'; did you mean 'moons.seed'?\n"
	    "--set:2:1: error: unknown key 'kde.level'; did you mean 'kde.levels'?\n"
	    "--set:3:1: error: unknown key 'kde.zzz'\n");
}

static void
test_error_values(void **state)
{
	(void)state;
	assert_diags("[moons]\nnoise = 0.1.5\n", NULL, 0,
	    "t.conf:2:9: error: 'moons.noise' expects a number, got '0.1.5'\n");
	assert_diags("[moons]\nnoise = \"\"\n", NULL, 0,
	    "t.conf:2:9: error: 'moons.noise' expects a number, got ''\n");
	assert_diags("[moons]\nn_samples = 200.5\n", NULL, 0,
	    "t.conf:2:13: error: 'moons.n_samples' expects an integer, got '200.5'\n");
	assert_diags("[moons]\nn_samples = 1e3\n", NULL, 0,
	    "t.conf:2:13: error: 'moons.n_samples' expects an integer, got '1e3'\n");
	assert_diags("[moons]\nn_samples = 99999999999999999999\n", NULL, 0,
	    "t.conf:2:13: error: 'moons.n_samples' = 99999999999999999999 is out of range "
	    "(2 ≤ value ≤ 100000)\n");
	assert_diags("[moons]\nnoise = -1\n", NULL, 0,
	    "t.conf:2:9: error: 'moons.noise' = -1 is out of range (0 ≤ value ≤ 10)\n");
	assert_diags("[moons]\nnoise = nan\n", NULL, 0,
	    "t.conf:2:9: error: 'moons.noise' = nan is out of range (0 ≤ value ≤ 10)\n");
	assert_diags("[decision]\nbias = -inf\n", NULL, 0,
	    "t.conf:2:8: error: 'decision.bias' = -inf is out of range (finite values only)\n");
	assert_diags("[moons]\nseed = 0\n", NULL, 0,
	    "t.conf:2:8: error: 'moons.seed' = 0 is out of range (1 ≤ value ≤ 4294967295)\n");
	assert_diags("[reparam]\nseed = 4294967296\n", NULL, 0,
	    "t.conf:2:8: error: 'reparam.seed' = 4294967296 is out of range (1 ≤ value ≤ 4294967295)\n");
	assert_diags("[prior]\nstd = 0\n", NULL, 0,
	    "t.conf:2:7: error: 'prior.std' = 0 is out of range (value > 0)\n");
	assert_diags("[posterior]\nq_std = 101\n", NULL, 0,
	    "t.conf:2:9: error: 'posterior.q_std' = 101 is out of range (0 < value ≤ 100)\n");
	assert_diags("[gan]\nepsilon = 0\n", NULL, 0,
	    "t.conf:2:11: error: 'gan.epsilon' = 0 is out of range (0 < value ≤ 1)\n");
	assert_diags("[beta_vae]\nlog10_beta_min = -11\n", NULL, 0,
	    "t.conf:2:18: error: 'beta_vae.log10_beta_min' = -11 is out of range (-10 ≤ value ≤ 10)\n");
	assert_diags("[document]\ncolor = maybe\n", NULL, 0,
	    "t.conf:2:9: error: 'document.color' expects true or false, got 'maybe'\n");
	assert_diags("[document]\npaper = A5\n", NULL, 0,
	    "t.conf:2:9: error: 'document.paper' expects one of A4, Letter, got 'A5'\n");
	assert_diags("[kde]\nbandwidth = scot\n", NULL, 0,
	    "t.conf:2:13: error: 'kde.bandwidth' expects one of scott, silverman or a positive "
	    "number, got 'scot'\n");
	assert_diags("[kde]\nbandwidth = -0.5\n", NULL, 0,
	    "t.conf:2:13: error: 'kde.bandwidth' = -0.5 is out of range (value > 0)\n");
	assert_diags("[fonts]\nmono = \"\"\n", NULL, 0,
	    "t.conf:2:8: error: 'fonts.mono': empty path\n");

	char text[700];
	snprintf(text, sizeof text, "[document]\ntitle = %0600d\n", 0);
	assert_diags(text, NULL, 0, "t.conf:2:9: error: 'document.title': too long (at most 511 bytes)\n");
}

static void
test_error_mixtures(void **state)
{
	(void)state;
	assert_diags("[gan]\np_data = 0.3*N(-1 0.5) + 0.7*N(1.5, 0.3)\n", NULL, 0,
	    "t.conf:2:19: error: mixture: 'gan.p_data': expected ',' after the mean\n");
	/* inside quotes, with an escape before the error: still the right column */
	assert_diags("[gan]\np_data = \"0.3*N(-1, 0.5) + 0.7*N(1.5, \\\\0.3)\"\n", NULL, 0,
	    "t.conf:2:40: error: mixture: 'gan.p_data': expected the standard deviation (a number)\n");
	assert_diags("[gan]\np_g_training = 0.5*N(-0.5, 0.8) + 0.4*N(1, 0.6)\n", NULL, 0,
	    "t.conf:2:16: error: mixture: 'gan.p_g_training': the weights must sum to 1 (within 1e-9)\n");
	assert_diags("[gan]\np_data = p_data\n", NULL, 0,
	    "t.conf:2:10: error: mixture: 'gan.p_data': a reference to 'p_data' is not allowed here\n");
	assert_diags("[gan]\np_g_initial = N(0, 0)\n", NULL, 0,
	    "t.conf:2:20: error: mixture: 'gan.p_g_initial': the standard deviation must be greater than 0\n");
}

static void
test_error_constraints(void **state)
{
	(void)state;
	assert_diags("[prior]\nz_min = 3\n", NULL, 0,
	    "t.conf:2:9: error: 'prior.z_min' = 3 must be less than 'prior.z_max' = 3\n");
	/* reported at the key set last */
	assert_diags("[kl]\nmean_max = -5\nmean_min = 0\n", NULL, 0,
	    "t.conf:3:12: error: 'kl.mean_min' = 0 must be less than 'kl.mean_max' = -5\n");
	static const char *const sets[] = {"reparam.x_max=-3"};
	assert_diags("[reparam]\nx_min = -2\n", sets, 1,
	    "--set:1:15: error: 'reparam.x_min' = -2 must be less than 'reparam.x_max' = -3\n");
	assert_diags("[beta_vae]\nlog10_beta_min = 1\n", NULL, 0,
	    "t.conf:2:18: error: 'beta_vae.log10_beta_min' = 1 must be less than "
	    "'beta_vae.log10_beta_max' = 1\n");
	assert_diags("[gan]\nx_max = -3.5\n", NULL, 0,
	    "t.conf:2:9: error: 'gan.x_min' = -3 must be less than 'gan.x_max' = -3.5\n");
	assert_diags("[decision]\nweight_x = 0\nweight_y = 0.0\n", NULL, 0,
	    "t.conf:3:12: error: 'decision.weight_x' and 'decision.weight_y' cannot both be 0 "
	    "(the decision boundary would be undefined)\n");
	/* a key with a bad value takes no part in constraints */
	assert_diags("[prior]\nz_min = 3\nz_max = x\n", NULL, 0,
	    "t.conf:3:9: error: 'prior.z_max' expects a number, got 'x'\n");
}

static void
test_several_errors(void **state)
{
	(void)state;
	assert_diags(
	    "# several problems: every one is reported\n"
	    "[moons]\n"
	    "n_samples = 1\n"
	    "noise = 0.1\n"
	    "nosie = 0.2\n"
	    "[document]\n"
	    "title = \"生成模型\" \"讲义\"\n"
	    "author = \"讲义\"  # fine\n"
	    "[gan]\n"
	    "p_g_training = 0.5*N(-0.5, 0.8) + 0.5*N(1, -0.6)\n"
	    "x_min = 5\n"
	    "[decison]\n"
	    "color = off\n",
	    NULL, 0,
	    "t.conf:3:13: error: 'moons.n_samples' = 1 is out of range (2 ≤ value ≤ 100000)\n"
	    "t.conf:5:1: error: unknown key 'moons.nosie'; did you mean 'moons.noise'?\n"
	    "t.conf:7:16: error: unexpected text after the closing quote\n"
	    "t.conf:10:44: error: mixture: 'gan.p_g_training': the standard deviation must be greater than 0\n"
	    "t.conf:12:2: error: unknown section 'decison'; did you mean 'decision'?\n"
	    "t.conf:11:9: error: 'gan.x_min' = 5 must be less than 'gan.x_max' = 3\n");
}

static void
test_error_set(void **state)
{
	(void)state;
	static const char *const sets[] = {
		"moons.noise=-1",
		"noise=1",
		"gan.p_data=0.5*N(0,1)",
		"document.title=\"abc\" x",
		"kde.levels=",
		"moons.n_samples = 2.5",
		"document.author=\"讲义",
	};
	assert_diags(NULL, sets, 7,
	    "--set:1:13: error: 'moons.noise' = -1 is out of range (0 ≤ value ≤ 10)\n"
	    "--set:2:1: error: --set expects section.key=value, got 'noise=1'\n"
	    "--set:3:12: error: mixture: 'gan.p_data': the weights must sum to 1 (within 1e-9)\n"
	    "--set:4:21: error: unexpected text after the closing quote\n"
	    "--set:5:12: error: 'kde.levels' has no value\n"
	    "--set:6:19: error: 'moons.n_samples' expects an integer, got '2.5'\n"
	    "--set:7:17: error: unterminated string (missing closing '\"')\n");
}

static void
test_missing_file(void **state)
{
	(void)state;
	struct report_config cfg;
	struct config_source *src = NULL;

	capture();
	assert_false(config_load("tests/no/such.conf", NULL, 0, &cfg, &src));
	assert_int_equal(diag_exit_status(), 1);
	char *got = captured();
	assert_string_equal(got,
	    "handout: error: cannot open 'tests/no/such.conf': No such file or directory\n");
	free(got);
	assert_null(src);
}

/* ------------------------------------------------------------ accepted syntax */

static void
test_syntax_accepted(void **state)
{
	(void)state;
	struct report_config cfg;
	struct config_source *src = NULL;
	bool ok;
	char *got = load(
	    "\xEF\xBB\xBF; a comment\r\n"
	    "   # another\n"
	    "\n"
	    "  [ moons ]   # trailing comment\n"
	    "\tnoise=0.25   # comment\n"
	    "seed = \"7\"\n"
	    "[document]\n"
	    "title = C# and F#  # only a '#' after a blank starts a comment\n"
	    "author = \"a \\\"quoted\\\" \\\\ name # not a comment\"# comment\n"
	    "paper = letter\n"
	    "color = Off\n"
	    "[kde]\n"
	    "bandwidth = 0.3\n"
	    "[gan]\n"
	    "p_data = \"N(1, 2)\"\n"
	    "p_g_training = p_data\n",
	    NULL, 0, &cfg, &src, &ok);

	assert_string_equal(got, "");
	free(got);
	assert_true(ok);
	assert_true(cfg.moons.noise == 0.25);
	assert_int_equal(cfg.moons.seed, 7);
	assert_string_equal(cfg.document.title, "C# and F#");
	assert_string_equal(cfg.document.author, "a \"quoted\" \\ name # not a comment");
	assert_int_equal(cfg.document.paper, PAPER_LETTER);
	assert_false(cfg.document.color);
	assert_int_equal(cfg.kde.bandwidth.rule, KDE_BW_FIXED);
	assert_true(cfg.kde.bandwidth.factor == 0.3);
	assert_true(cfg.gan.p_g_training.is_reference);
	assert_int_equal(cfg.gan.p_g_training.n, 1);
	assert_true(cfg.gan.p_g_training.comp[0].mean == 1);
	assert_true(cfg.gan.p_g_converged.is_reference);
	assert_true(cfg.gan.p_g_converged.comp[0].std == 2);

	struct config_key_info info;
	info_of("moons.noise", &cfg, src, &info);
	assert_string_equal(info.origin, "t.conf:5");
	assert_false(info.is_default);
	info_of("moons.n_samples", &cfg, src, &info);
	assert_string_equal(info.origin, "default");
	assert_true(info.is_default);
	config_source_free(src);
}

static void
test_bools(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool value;
	} v[] = {{"true", true}, {"yes", true}, {"on", true}, {"1", true}, {"TRUE", true},
		{"false", false}, {"no", false}, {"off", false}, {"0", false}, {"No", false}};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct report_config cfg;
		char set[64];
		const char *sets[] = {set};
		bool ok;

		snprintf(set, sizeof set, "document.color=%s", v[i].text);
		free(load(NULL, sets, 1, &cfg, NULL, &ok));
		assert_true(ok);
		assert_int_equal(cfg.document.color, v[i].value);
	}
}

/* ------------------------------------------------------------ --set */

static void
test_set_overrides(void **state)
{
	(void)state;
	struct report_config cfg;
	struct config_source *src = NULL;
	struct config_key_info info;
	bool ok;
	static const char *const sets[] = {
		"moons.noise=0.2",
		"document.title=  Notes on 生成模型  ",
		"kde.bandwidth=Silverman",
		"moons.noise=0.3",
		"gan.p_g_initial=p_data",
		"document.author=\"\"",
	};
	char *got = load("[moons]\nnoise = 0.15\nn_samples = 300\n", sets, 6, &cfg, &src, &ok);

	assert_string_equal(got, "");
	free(got);
	assert_true(ok);
	assert_true(cfg.moons.noise == 0.3); /* the last --set wins */
	assert_int_equal(cfg.moons.n_samples, 300);
	assert_string_equal(cfg.document.title, "Notes on 生成模型");
	assert_string_equal(cfg.document.author, "");
	assert_int_equal(cfg.kde.bandwidth.rule, KDE_BW_SILVERMAN);
	assert_true(cfg.gan.p_g_initial.is_reference);
	assert_int_equal(cfg.gan.p_g_initial.n, 2);

	info_of("moons.noise", &cfg, src, &info);
	assert_string_equal(info.value, "0.3");
	assert_string_equal(info.default_value, "0.1");
	assert_string_equal(info.origin, "--set");
	assert_false(info.is_default);
	info_of("moons.n_samples", &cfg, src, &info);
	assert_string_equal(info.origin, "t.conf:3");
	info_of("moons.seed", &cfg, src, &info);
	assert_string_equal(info.origin, "default");
	info_of("gan.p_g_initial", &cfg, src, &info);
	assert_string_equal(info.value, "p_data");
	info_of("kde.bandwidth", &cfg, src, &info);
	assert_string_equal(info.value, "silverman");
	config_source_free(src);

	/* without a file */
	static const char *const more[] = {"prior.std=2"};
	got = load(NULL, more, 1, &cfg, &src, &ok);
	assert_string_equal(got, "");
	free(got);
	assert_true(ok);
	assert_true(cfg.prior.std == 2);
	config_source_free(src);
	config_source_free(NULL);
}

static void
test_print(void **state)
{
	(void)state;
	struct report_config cfg;
	struct config_source *src = NULL;
	static const char *const sets[] = {"moons.noise=0.2"};
	bool ok;
	char *got = load("[moons]\n\nseed = 7\n", sets, 1, &cfg, &src, &ok);
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	free(got);
	assert_true(ok);
	f = open_memstream(&out, &len);
	config_print(f, &cfg, src);
	fclose(f);

	/* the widest keys are beta_vae.log10_beta_min and fonts.latin_bold_italic
	 * (23), the widest value and default fonts.latin_bold_italic's path (58) */
	const char *want_head =
	    "key                      value                                                       "
	    "default                                                     origin\n"
	    "moons.n_samples          200                                                         "
	    "200                                                         default\n"
	    "moons.noise              0.2                                                         "
	    "0.1                                                         --set\n"
	    "moons.seed               7                                                           "
	    "42                                                          t.conf:3\n";
	assert_true(strncmp(out, want_head, strlen(want_head)) == 0);
	/* CJK characters take two cells: the default column still lines up */
	assert_non_null(strstr(out,
	    "\ndocument.title           生成模型理论：从VAE到Diffusion模型                          "
	    "生成模型理论：从VAE到Diffusion模型                          default\n"));
	int lines = 0;
	for (const char *p = out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, config_key_count() + 1);
	free(out);
	config_source_free(src);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_schema),
		cmocka_unit_test(test_report_conf),
		cmocka_unit_test(test_error_malformed),
		cmocka_unit_test(test_error_sections),
		cmocka_unit_test(test_error_keys),
		cmocka_unit_test(test_did_you_mean),
		cmocka_unit_test(test_error_values),
		cmocka_unit_test(test_error_mixtures),
		cmocka_unit_test(test_error_constraints),
		cmocka_unit_test(test_several_errors),
		cmocka_unit_test(test_error_set),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_syntax_accepted),
		cmocka_unit_test(test_bools),
		cmocka_unit_test(test_set_overrides),
		cmocka_unit_test(test_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
