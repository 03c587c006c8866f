/* handout: report.conf -> out/data/NAME.csv and out/report.pdf.
 *
 * Exit status: 0 success, 2 bad input (config, command line), 1 system or
 * library failure.  Nothing is written unless the configuration is valid,
 * and the PDF is replaced only once a complete new one exists. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compute.h"
#include "config.h"
#include "csvout.h"
#include "dataset.h"
#include "diag.h"
#include "doc.h"
#include "figures.h"
#include "figspec.h"
#include "layout.h"
#include "report.h"
#include "util.h"

#define HANDOUT_VERSION "0.1.0"

struct options {
	const char *config_path; /* NULL with --no-config */
	const char *outdir;
	const char **sets;
	int nsets;
	const char *check_figure; /* --check-figure FILE: only check that spec */
	const char *check_templates; /* --check-templates DIR: only check its templates */
	const char *figures_dir;  /* the figure specs, default "figures" */
	const char *templates_dir; /* the handout's text, default "templates" */
	bool pdf;
	bool dump_figures;        /* also write display-list dumps (golden tests) */
	bool dump_layout;         /* also write DIR/layout.dump (golden tests) */
	bool print_config;
};

static void
usage(FILE *out)
{
	fputs("usage: handout [--config FILE | --no-config] [--set SECTION.KEY=VALUE]...\n"
	      "               [--outdir DIR] [--no-pdf] [--print-config]\n"
	      "               [--dump-figures] [--dump-layout]\n"
	      "       handout --check-figure FILE\n"
	      "       handout --check-templates DIR [--config FILE | --no-config] [--set K=V]...\n"
	      "\n"
	      "  --config FILE     parameters (default: report.conf)\n"
	      "  --no-config       use the built-in defaults only\n"
	      "  --set K=V         override one parameter, checked like the file (repeatable)\n"
	      "  --outdir DIR      write DIR/report.pdf, DIR/figures/ and DIR/data/ (default: out)\n"
	      "  --figures DIR     the figure specifications (default: figures)\n"
	      "  --templates DIR   the handout's text, DIR/*.md (default: templates)\n"
	      "  --dump-figures    also write DIR/figures/NAME.dump display-list dumps\n"
	      "  --dump-layout     also write DIR/layout.dump, the typeset pages as text\n"
	      "  --no-pdf          write the data files only\n"
	      "  --print-config    print every parameter with its value, default and origin\n"
	      "  --check-figure FILE  check one figure spec (figures/*.fig) and exit:\n"
	      "                    silent and 0 when it is valid, 2 after its errors\n"
	      "  --check-templates DIR  check the templates DIR/*.md (templates/README.md): the\n"
	      "                    markup, then every placeholder name (against the config\n"
	      "                    and the results), formula, reference and figure name as\n"
	      "                    a run sets them; silent and 0 when they are valid, 2\n"
	      "                    after their errors\n"
	      "  --help, --version\n",
	    out);
}

/* Parses argv into *opt; returns -1 to continue, or an exit status. */
static int
parse_args(int argc, char **argv, struct options *opt)
{
	*opt = (struct options){.config_path = "report.conf", .outdir = "out", .pdf = true,
	    .figures_dir = "figures", .templates_dir = "templates"};
	opt->sets = xcalloc((size_t)argc, sizeof *opt->sets);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		bool takes_value = strcmp(a, "--config") == 0 || strcmp(a, "--set") == 0 ||
		    strcmp(a, "--outdir") == 0 || strcmp(a, "--check-figure") == 0 ||
		    strcmp(a, "--figures") == 0 || strcmp(a, "--check-templates") == 0 ||
		    strcmp(a, "--templates") == 0;
		if (takes_value) {
			if (i + 1 >= argc) {
				char *msg = xasprintf("option %s needs a value", a);
				diag_emit(DIAG_USAGE, NULL, 0, 0, msg);
				free(msg);
				return 2;
			}
			val = argv[++i];
		}
		if (strcmp(a, "--config") == 0)
			opt->config_path = val;
		else if (strcmp(a, "--no-config") == 0)
			opt->config_path = NULL;
		else if (strcmp(a, "--set") == 0)
			opt->sets[opt->nsets++] = val;
		else if (strncmp(a, "--set=", 6) == 0)
			opt->sets[opt->nsets++] = a + 6;
		else if (strcmp(a, "--outdir") == 0)
			opt->outdir = val;
		else if (strcmp(a, "--no-pdf") == 0)
			opt->pdf = false;
		else if (strcmp(a, "--print-config") == 0)
			opt->print_config = true;
		else if (strcmp(a, "--check-figure") == 0)
			opt->check_figure = val;
		else if (strcmp(a, "--check-templates") == 0)
			opt->check_templates = val;
		else if (strcmp(a, "--figures") == 0)
			opt->figures_dir = val;
		else if (strcmp(a, "--templates") == 0)
			opt->templates_dir = val;
		else if (strcmp(a, "--dump-figures") == 0)
			opt->dump_figures = true;
		else if (strcmp(a, "--dump-layout") == 0)
			opt->dump_layout = true;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			puts("handout " HANDOUT_VERSION);
			return 0;
		} else {
			char *msg = xasprintf("unknown option '%s'", a);
			diag_emit(DIAG_USAGE, NULL, 0, 0, msg);
			free(msg);
			return 2;
		}
	}
	return -1;
}

/* --check-templates DIR: the markup first; when it is valid, every name and
 * formula in it as a run would resolve and set them (layout_check), against
 * the configuration of --config/--no-config/--set, the computed results and
 * the figure specs of --figures.  Everything is reported through diag. */
static void
check_templates(const struct options *opt)
{
	struct doc *tree = doc_load_dir(opt->check_templates);
	if (tree == NULL)
		return;
	struct report_config cfg;
	struct config_source *src = NULL;
	struct figure_set *figs = NULL;
	struct registry *reg = NULL;
	if (config_load(opt->config_path, opt->sets, opt->nsets, &cfg, &src) &&
	    (figs = figures_load(opt->figures_dir)) != NULL &&
	    (reg = compute_all(&cfg)) != NULL)
		layout_check(tree, &cfg, src, reg, figs);
	registry_free(reg);
	figures_free(figs);
	config_source_free(src);
	doc_free(tree);
}

int
main(int argc, char **argv)
{
	struct options opt;
	int status = parse_args(argc, argv, &opt);
	if (status >= 0) {
		free(opt.sets);
		return status;
	}
	if (opt.check_figure != NULL) {
		fig_spec_free(fig_spec_load(opt.check_figure));
		free(opt.sets);
		return diag_exit_status();
	}
	if (opt.check_templates != NULL) {
		check_templates(&opt);
		free(opt.sets);
		return diag_exit_status();
	}

	struct report_config cfg;
	struct config_source *src = NULL;
	struct registry *reg = NULL;
	struct figure_set *figs = NULL;
	struct doc *tree = NULL;
	char *datadir = NULL, *pdfpath = NULL, *figdir = NULL, *laypath = NULL;

	if (!config_load(opt.config_path, opt.sets, opt.nsets, &cfg, &src))
		goto done;
	if (opt.print_config) {
		config_print(stdout, &cfg, src);
		goto done;
	}

	/* Every input is read and checked before anything is written. */
	if (opt.pdf && (figs = figures_load(opt.figures_dir)) == NULL)
		goto done;
	if (opt.pdf && (tree = doc_load_dir(opt.templates_dir)) == NULL)
		goto done;
	if (figs != NULL)
		figs->both_modes = opt.dump_figures;
	reg = compute_all(&cfg);
	if (reg == NULL)
		goto done;

	/* The PDF first: if it fails (a missing font, say), nothing at all is
	 * replaced and out/ stays consistent with the previous run. */
	if (!make_dirs(opt.outdir))
		goto done;
	if (opt.pdf) {
		pdfpath = xasprintf("%s/report.pdf", opt.outdir);
		if (opt.dump_layout)
			laypath = xasprintf("%s/layout.dump", opt.outdir);
		if (!report_write_pdf(&cfg, src, reg, tree, figs, pdfpath, laypath))
			goto done;
		figdir = xasprintf("%s/figures", opt.outdir);
		if (!figures_write(figs, &cfg, figdir, opt.dump_figures))
			goto done;
	}
	datadir = xasprintf("%s/data", opt.outdir);
	csvout_write_all(reg, datadir);

done:
	free(datadir);
	free(pdfpath);
	free(laypath);
	free(figdir);
	figures_free(figs);
	doc_free(tree);
	registry_free(reg);
	config_source_free(src);
	free(opt.sets);
	return diag_exit_status();
}
