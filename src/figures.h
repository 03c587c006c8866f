/* figures: the handout's set of figures, from the figures/NAME.fig specs to display
 * lists to files.
 *
 * The specs are loaded first, before anything is written, so a broken spec
 * stops the run with nothing changed.  The display lists are built with the
 * text metrics of the document they will be printed in (plot_pdf_metrics),
 * once in colour or grayscale as the config asks and, for the golden tests,
 * also in the other mode. */
#ifndef HANDOUT_FIGURES_H
#define HANDOUT_FIGURES_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "dataset.h"
#include "dlist.h"
#include "figspec.h"

struct figure_set {
	size_t n;
	struct fig_spec **specs; /* sorted by file name: fig1, fig2, ... */
	struct dlist **lists;    /* as printed (document.color), after figures_plot */
	struct dlist **other;    /* the other colour mode, when asked for */
	bool both_modes;         /* figures_plot builds `other` too (golden dumps) */
};

/* Loads every DIR/ *.fig in file-name order.  Returns NULL after reporting
 * each problem (spec errors at file:line:col, an unreadable directory).
 * Caller frees with figures_free. */
struct figure_set *figures_load(const char *dir);

/* Builds the display lists at `width` points wide; with set->both_modes also
 * the lists of the other colour mode.  False after a reported problem (an
 * unknown dataset, column or placeholder). */
bool figures_plot(struct figure_set *set, const struct registry *reg,
    const struct report_config *cfg, const struct dl_metrics *metrics, double width);

/* Writes DIR/NAME.pdf and DIR/NAME.svg for every figure (atomically, each),
 * and with dumps also DIR/NAME.dump and DIR/NAME-gray.dump (or -color.dump
 * when the document is grayscale) for the golden tests. */
bool figures_write(const struct figure_set *set, const struct report_config *cfg,
    const char *dir, bool dumps);

void figures_free(struct figure_set *set); /* NULL-safe */

#endif
