/* figspec: the declarative figure specifications in figures/NAME.fig, read
 * at run time (changing a label or a colour needs no recompile).
 *
 * File syntax (documented for users in figures/README.md):
 *   - one directive per line: a word, then attributes key=value; '#' starts
 *     a comment outside quotes; a line ending in '\' continues on the next;
 *   - values are bare tokens (no spaces, quotes or '#') or "quoted strings"
 *     with \" \\ and \n (a line break in titles) escapes, UTF-8;
 *   - strings may hold placeholders {{name}} or {{name|FORMAT}}: a config key
 *     ("posterior.q_mean") or a result ("kl.at_mean"), FORMAT a printf
 *     conversion for one double ("%.2f"); without FORMAT config values print
 *     as written in their shortest round-trip form;
 *   - numbers may be a placeholder alone ("{{grid.x_min}}");
 *   - directives: `figure` (once, first), `panel` (starts a panel), then the
 *     panel's series and decorations: `line`, `fill`, `scatter`, `contour`,
 *     `bars`, `hline`, `vline`, `text`, `legend`, `colorbar`.
 * The schema is closed: unknown directives and attributes, missing required
 * attributes, bad values are errors at figures/NAME:LINE:COL with a
 * "did you mean".  Placeholders and dataset/column names are checked when
 * the figure is plotted (plot.c), against the registry and the config. */
#ifndef HANDOUT_FIGSPEC_H
#define HANDOUT_FIGSPEC_H

#include <stdbool.h>
#include <stddef.h>

/* Where a directive or attribute came from, for diagnostics at plot time. */
struct fig_loc {
	const char *file; /* owned by the spec */
	int line, col;
};

/* A number given literally or as a placeholder resolved at plot time. */
struct fig_number {
	bool set;      /* the attribute was given */
	double value;  /* literal value */
	char *ref;     /* placeholder name ("grid.x_min"), or NULL for a literal */
	struct fig_loc loc;
};

/* A string that may contain {{...}} placeholders (expanded at plot time). */
struct fig_text {
	char *text; /* NULL when not given */
	struct fig_loc loc;
};

/* Column selection: `data=histograms where=name:original x=left` binds to
 * the rows of dataset `data` whose text column equals the value. */
struct fig_binding {
	char *dataset;
	char *where_column, *where_value; /* NULL for every row */
	struct fig_loc loc;
};

enum fig_series_kind {
	FIG_LINE,    /* line  data= x= y= [color= linewidth= linestyle= alpha= label= marker=] */
	FIG_FILL,    /* fill  data= x= y= [y2= (default 0) color= alpha= label=]  fill_between */
	FIG_SCATTER, /* scatter data= x= y= [c= cmap= vmin= vmax= color= size= alpha= marker= label=] */
	FIG_CONTOUR, /* contour data= where= (rows of contours.csv: level, segment, point, x, y)
	              *        [color= linewidth= alpha= label=] */
	FIG_BARS,    /* bars  data= left= right= height= [color= alpha= edgecolor= label=] */
	FIG_HLINE,   /* hline y= [color= linewidth= linestyle= alpha= label=] */
	FIG_VLINE,   /* vline x= [color= linewidth= linestyle= alpha= label=] */
	FIG_TEXT     /* text  x= y= (axes fraction) text= [size= weight=bold color=
	              *        box=round box_pad= box_color= box_edge=] */
};

enum fig_linestyle { FIG_SOLID, FIG_DASHED, FIG_DOTTED, FIG_DASHDOT };

struct fig_series {
	enum fig_series_kind kind;
	struct fig_loc loc;
	struct fig_binding data;
	/* column names (NULL when not given) */
	char *x, *y, *y2, *c, *left, *right, *height;
	struct fig_number at;       /* hline y= / vline x= / text x= */
	struct fig_number at_y;     /* text y= */
	struct fig_text label;      /* legend entry; none when NULL */
	struct fig_text text;       /* FIG_TEXT content */
	char *color;                /* matplotlib colour: "red", "C0", "#1f77b4", "lightblue" */
	char *edgecolor;
	char *cmap;                 /* "viridis" */
	struct fig_number vmin, vmax;
	struct fig_number alpha;    /* default 1 */
	struct fig_number linewidth;/* points; default 1.5 (matplotlib lines.linewidth) */
	enum fig_linestyle linestyle;
	char *marker;               /* "o" for scatter by default */
	struct fig_number size;     /* scatter: marker area in pt^2 (matplotlib s=, default 36);
	                             * text: font size in pt */
	bool bold;                  /* text weight=bold */
	char *box;                  /* text box style: "round" or NULL */
	struct fig_number box_pad;  /* in font sizes, default 0.3 */
	char *box_color;            /* box face colour */
	char *box_edge;             /* box edge colour, default black */
	int zorder;                 /* draw order within the panel (default by kind as matplotlib) */
};

enum fig_legend_loc { FIG_LEGEND_NONE, FIG_LEGEND_BEST, FIG_LEGEND_UPPER_RIGHT,
	FIG_LEGEND_UPPER_LEFT, FIG_LEGEND_LOWER_LEFT, FIG_LEGEND_LOWER_RIGHT };

enum fig_scale { FIG_SCALE_LINEAR, FIG_SCALE_LOG };

struct fig_panel {
	char *id;                  /* "a" */
	struct fig_loc loc;
	int row, col;              /* position in the figure grid (0-based) */
	struct fig_text title;     /* may hold \n */
	struct fig_text xlabel, ylabel;
	struct fig_number xmin, xmax, ymin, ymax; /* fixed limits where set; else autoscale */
	enum fig_scale xscale, yscale;
	bool grid;                 /* light grid */
	struct fig_number grid_alpha; /* default 0.3 */
	bool axis_off;             /* `panel ... axis=off`: no frame, ticks or labels */
	enum fig_legend_loc legend;/* from the `legend loc=` directive; NONE without it */
	bool colorbar;             /* `colorbar` directive: for the panel's scatter */
	struct fig_text colorbar_label;
	size_t nseries;
	struct fig_series *series;
};

struct fig_spec {
	char *name;                /* "fig1" (file name without .fig) */
	char *path;                /* "figures/fig1.fig" */
	struct fig_text caption;   /* the figure's caption/heading in the handout */
	double width_in, height_in;/* matplotlib figsize, inches */
	int rows, cols;
	size_t npanels;
	struct fig_panel *panels;
};

/* Reads and checks `path`.  Returns NULL after reporting every problem
 * through diag (file:line:col).  Caller frees with fig_spec_free. */
struct fig_spec *fig_spec_load(const char *path);

/* Same from a buffer; `name` is the file name used in messages. */
struct fig_spec *fig_spec_parse(const char *name, const char *text, size_t len);

void fig_spec_free(struct fig_spec *spec); /* NULL-safe */

#endif
