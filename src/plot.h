/* plot: a figure spec + the registry + the config -> a display list, laid
 * out like matplotlib lays out the seed's figures (subplot grid with
 * tight_layout spacing, AutoLocator/LogLocator ticks, 5 % margins, legends,
 * colour bars), at the size the figure is printed. */
#ifndef HANDOUT_PLOT_H
#define HANDOUT_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "dataset.h"
#include "dlist.h"
#include "figspec.h"

struct plot_options {
	double width;   /* printed width of the figure in points (the text block's,
	                 * or the figsize's when 0); the height is
	                 * width * print_height_in / width_in of the spec */
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

/* ---- The steps of plot_figure that follow matplotlib's rules, exposed
 * for unit tests (and tools) to check against matplotlib's own numbers. */

/* Axes.autoscale_view for one axis (handle_single_axis): data limits
 * [dmin, dmax] (dmin > dmax: no data), minpos the smallest positive datum
 * (log axes), margin (0.05), the sticky values (any order; bars stick at
 * their base, contours at their extent) -> view limits *lo, *hi. */
void plot_autoscale(bool log, double dmin, double dmax, double minpos, double margin,
    const double *stickies, size_t nstickies, double *lo, double *hi);

/* An axis to put ticks on: view limits, length in points, whether it runs
 * along x, the label font size, and the label size matplotlib would have at
 * the same relative size (10 pt times printed width / figsize width), from
 * which nbins='auto' is resolved as on the seed's figure. */
struct plot_axis_spec {
	bool log, x_axis;
	double lo, hi, length;
	double font, eq_font;
};

struct plot_tick {
	double value;
	bool major;
	char label[64]; /* UTF-8, "" for none */
};

/* The ticks inside the view, major ones first, as plot_figure draws them
 * (AutoLocator + ScalarFormatter, or LogLocator + LogFormatterSciNotation;
 * nbins lowered while labels measured with `m` would collide).  Writes at
 * most cap and returns how many there are. */
size_t plot_axis_ticks(const struct plot_axis_spec *a, const struct dl_metrics *m,
    struct plot_tick *out, size_t cap);

/* What Legend._find_best_position looks at, in display points. */
struct plot_best_path {
	size_t n;
	const double *xy; /* 2 n: the vertices of a Line2D */
};
struct plot_best_data {
	size_t npaths;
	const struct plot_best_path *paths;
	size_t nboxes;
	const double *boxes;   /* 4 per box: x0, y0, x1, y1 (bars) */
	size_t noffsets;
	const double *offsets; /* 2 per point (scatter) */
};

/* The location code (1 upper right, 2 upper left, 3 lower left, 4 lower
 * right, 5 right, 6 center left, 7 center right, 8 lower center, 9 upper
 * center, 10 center) matplotlib's loc='best' picks for a w x h legend in
 * the axes rectangle axes[] = {x, y, width, height}, kept `pad` (the
 * borderaxespad, 0.5 legend font sizes) inside it. */
int plot_legend_best(const struct plot_best_data *d, const double axes[4], double w, double h,
    double pad);

#endif
