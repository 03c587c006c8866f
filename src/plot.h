/* plot: a figure spec + the registry + the config -> a display list, laid
 * out like matplotlib lays out the seed's figures (subplot grid with
 * tight_layout spacing, AutoLocator/LogLocator ticks, 5 % margins, legends,
 * colour bars), at the size the figure is printed. */
#ifndef HANDOUT_PLOT_H
#define HANDOUT_PLOT_H

#include <stdbool.h>

#include "config.h"
#include "dataset.h"
#include "dlist.h"
#include "figspec.h"

struct plot_options {
	double width;   /* printed width of the figure in points (the text block's,
	                 * or the figsize's for standalone files); the height keeps
	                 * the spec's aspect ratio */
	bool color;     /* false: grayscale print mode (gray levels, dashes,
	                 * markers and hatching tell series apart) */
};

/* Builds the display list of `spec`.  Dataset and column names, placeholders
 * ({{config.key}}, {{result.name}}) and colours are resolved here; a problem
 * is reported at the spec's file:line:col and the result is NULL.  Text is
 * measured with `metrics`.  Caller frees with dlist_free. */
struct dlist *plot_figure(const struct fig_spec *spec, const struct registry *reg,
    const struct report_config *cfg, const struct dl_metrics *metrics,
    const struct plot_options *opt);

#endif
