#include "figures.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "csvout.h"
#include "diag.h"
#include "plot.h"
#include "plot_dump.h"
#include "plot_pdf.h"
#include "plot_svg.h"
#include "util.h"

struct figure_set *
figures_load(const char *dir)
{
	char *pattern = xasprintf("%s/*.fig", dir);
	glob_t g;
	int rc = glob(pattern, 0, NULL, &g); /* glob sorts the names */
	free(pattern);
	if (rc == GLOB_NOMATCH) {
		diag_emit(DIAG_IO_OPEN, NULL, 0, 0, dir, "no figure specifications (*.fig)");
		return NULL;
	}
	if (rc != 0) {
		diag_emit(DIAG_IO_OPEN, NULL, 0, 0, dir, strerror(errno));
		return NULL;
	}

	struct figure_set *set = xcalloc(1, sizeof *set);
	set->specs = xcalloc(g.gl_pathc, sizeof *set->specs);
	set->lists = xcalloc(g.gl_pathc, sizeof *set->lists);
	set->other = xcalloc(g.gl_pathc, sizeof *set->other);
	bool ok = true;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct fig_spec *spec = fig_spec_load(g.gl_pathv[i]);
		if (spec == NULL)
			ok = false; /* keep going: report every broken spec */
		else
			set->specs[set->n++] = spec;
	}
	globfree(&g);
	if (!ok) {
		figures_free(set);
		return NULL;
	}
	return set;
}

bool
figures_plot(struct figure_set *set, const struct registry *reg,
    const struct report_config *cfg, const struct dl_metrics *metrics, double width)
{
	bool ok = true;
	for (size_t i = 0; i < set->n; i++) {
		struct plot_options opt = {.width = width, .color = cfg->document.color};
		set->lists[i] = plot_figure(set->specs[i], reg, cfg, metrics, &opt);
		if (set->lists[i] == NULL) {
			ok = false;
			continue;
		}
		if (set->both_modes) {
			opt.color = !opt.color;
			set->other[i] = plot_figure(set->specs[i], reg, cfg, metrics, &opt);
			ok = ok && set->other[i] != NULL;
		}
	}
	return ok;
}

static bool
fill_dump(FILE *f, const void *dl)
{
	plot_dump(f, dl);
	return true;
}

bool
figures_write(const struct figure_set *set, const struct report_config *cfg, const char *dir,
    bool dumps)
{
	if (!make_dirs(dir))
		return false;
	bool ok = true;
	for (size_t i = 0; i < set->n && ok; i++) {
		const char *name = set->specs[i]->name;
		char *pdf = xasprintf("%s/%s.pdf", dir, name);
		char *svg = xasprintf("%s/%s.svg", dir, name);
		ok = plot_pdf_write(set->lists[i], cfg, pdf) && plot_svg_write(set->lists[i], svg);
		if (ok && dumps) {
			const char *other = cfg->document.color ? "gray" : "color";
			char *d1 = xasprintf("%s/%s.dump", dir, name);
			char *d2 = xasprintf("%s/%s-%s.dump", dir, name, other);
			ok = atomicfile_write(d1, fill_dump, set->lists[i]) &&
			    (set->other[i] == NULL || atomicfile_write(d2, fill_dump, set->other[i]));
			free(d1);
			free(d2);
		}
		free(pdf);
		free(svg);
	}
	return ok;
}

void
figures_free(struct figure_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->n; i++) {
		fig_spec_free(set->specs[i]);
		dlist_free(set->lists[i]);
		dlist_free(set->other[i]);
	}
	free(set->specs);
	free(set->lists);
	free(set->other);
	free(set);
}
