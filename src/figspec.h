/* figspec: the declarative figure specifications in figures/NAME.fig, read
 * at run time (changing a label or a colour needs no recompile).
 *
 * File syntax (documented for users in figures/README.md):
 *   - one directive per line: a word, then attributes key=value (no spaces
 *     around '='); '#' starts a comment outside quotes; a line ending in '\'
 *     continues on the next (like C, also at the end of a comment);
 *   - values are bare tokens (no spaces, quotes or '#') or "quoted strings"
 *     with \" \\ and \n (a line break in titles) escapes, UTF-8; a hex colour
 *     must be quoted (color="#1f77b4") since '#' starts a comment;
 *   - attribute types: number ("0.7", "-2", "1e-8"; finite), number or
 *     placeholder (a number or one placeholder alone, "{{grid.x_min}}", no
 *     FORMAT), integer, bool (true/false), name (letters, digits, '_':
 *     datasets, columns, panel ids), string (colours, colormaps: not checked
 *     here, plot.c resolves them), text (may hold placeholders), enum;
 *   - strings of type text may hold placeholders {{name}} or {{name|FORMAT}}:
 *     a config key ("posterior.q_mean") or a result ("kl.at_mean"), FORMAT
 *     exactly one printf conversion for a double: %[flags][width][.prec]
 *     with f, F, e, E, g or G ("%.2f").  Without FORMAT a value prints the way
 *     Python's repr() prints a float, which is what the seed's f-strings show
 *     ("N(2.0, 1.5²)", "当前均值=0.5"): the shortest digits that read back as
 *     the same double; if its decimal exponent e satisfies -4 <= e < 16, in
 *     positional notation with at least one digit after the point ("2.0",
 *     "0.5", "100.0", "0.0001", "-0.0"), otherwise as d[.ddd]e±XX with at
 *     least two exponent digits ("1e-05", "1.5e+16"); "inf", "-inf", "nan".
 *     Integer-typed config keys ("moons.n_samples") print as integers
 *     ("200").  Expansion happens at plot time (plot.c); this module checks
 *     only the placeholder syntax;
 *   - directives: `figure` (once, first), `panel` (starts a panel), then the
 *     panel's series and decorations: `line`, `fill`, `scatter`, `contour`,
 *     `bars`, `hline`, `vline`, `text`, `legend`, `colorbar`:
 *       figure rows= cols= width= height= (inches, matplotlib figsize)
 *              [print_height= (inches, the height the figure is printed at
 *              relative to width, default height) caption=]
 *       panel row= col= (0-based cell) [id= (default: the cell's letter in
 *             row-major order, "a" for row 0 col 0) title= xlabel= ylabel=
 *             xmin= xmax= ymin= ymax= xscale=linear|log yscale= grid=true|false
 *             grid_alpha= axis=on|off]
 *       legend [loc=best|"upper right"|"upper left"|"lower left"|"lower right"]
 *              (default best; at most one per panel)
 *       colorbar [label=]  (after a scatter with c= in the same panel)
 *     and the series below (enum fig_series_kind), every one also taking
 *     zorder= and, where it takes data=, where=COLUMN:VALUE.
 *     linestyle= is solid|dashed|dotted|dashdot or '-' '--' ':' '-.';
 *     marker= is one of o s ^ D x +; weight= normal|bold; box= round.
 * The schema is closed: unknown directives and attributes, missing required
 * attributes, duplicate attributes, bad values, directives out of order,
 * panels outside the grid or sharing a cell are errors at
 * figures/NAME:LINE:COL (1-based line and character column of the offending
 * token) with a "did you mean"; every error of a file is reported.
 * Placeholders and dataset/column names are checked when the figure is
 * plotted (plot.c), against the registry and the config.
 *
 * Defaults: an attribute not given has `set` false (numbers), NULL (strings,
 * texts) or the enum's first value, and numbers hold their default value in
 * `value` (alpha 1, linewidth 1.5, size 36 for scatter and 10 for text,
 * box_pad 0.3, grid_alpha 0.3); zorder holds matplotlib's default for the
 * kind (fill, scatter, bars 1; line, contour, hline, vline 2; text 3). */
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
	struct fig_loc loc;       /* of the data= value */
	struct fig_loc where_loc; /* of the where= value (the directive's when not given) */
};

enum fig_series_kind {
	FIG_LINE,    /* line  data= x= y= [color= linewidth= linestyle= alpha= label= marker=] */
	FIG_FILL,    /* fill  data= x= y= [y2= (default 0) color= alpha= label=]  fill_between */
	FIG_SCATTER, /* scatter data= x= y= [c= cmap= vmin= vmax= color= size= alpha= marker= label=] */
	FIG_CONTOUR, /* contour data= where= (rows of contours.csv: level, segment, point, x, y)
	              *        [color= linewidth= linestyle= alpha= label=] */
	FIG_BARS,    /* bars  data= left= right= height= [color= alpha= edgecolor= label=] */
	FIG_HLINE,   /* hline y= [color= linewidth= linestyle= alpha= label=] */
	FIG_VLINE,   /* vline x= [color= linewidth= linestyle= alpha= label=] */
	FIG_TEXT     /* text  x= y= (axes fraction) text= [size= weight=bold color=
	              *        box=round box_pad= box_color= box_edge=]
	              * x=, y= (hline, vline, text), vmin=, vmax= take placeholders */
};

enum fig_linestyle { FIG_SOLID, FIG_DASHED, FIG_DOTTED, FIG_DASHDOT };

struct fig_attr_loc {
	const char *name; /* "x" */
	struct fig_loc loc;
};

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
	/* where each given attribute's value is, for fig_series_attr_loc;
	 * names point into the static schema */
	size_t nattr_locs;
	struct fig_attr_loc *attr_locs;
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
	struct fig_loc legend_at;  /* of the `legend` directive */
	bool colorbar;             /* `colorbar` directive: for the panel's scatter */
	struct fig_loc colorbar_at;/* of the `colorbar` directive */
	struct fig_text colorbar_label;
	size_t nseries;
	struct fig_series *series;
};

struct fig_spec {
	char *name;                /* "fig1" (file name without directory and .fig) */
	char *path;                /* "figures/fig1.fig" */
	struct fig_loc loc;        /* of the `figure` directive */
	struct fig_text caption;   /* the figure's caption/heading in the handout */
	double width_in, height_in;/* matplotlib figsize, inches */
	double print_height_in;    /* the printed height in the same units: the
	                            * figure is printed width_in : print_height_in
	                            * (the text width wide); height_in when not
	                            * given.  Layout rules that follow matplotlib's
	                            * choices on the seed's figure (legend corners,
	                            * tick density) still use width_in x height_in */
	int rows, cols;
	size_t npanels;
	struct fig_panel *panels;
};

/* Reads and checks `path`.  Returns NULL after reporting every problem
 * through diag (file:line:col; an unreadable file is DIAG_IO_OPEN, exit 1).
 * Caller frees with fig_spec_free. */
struct fig_spec *fig_spec_load(const char *path);

/* Same from a buffer of `len` bytes (need not be NUL-terminated); `name` is
 * the file name used in messages and becomes spec->path. */
struct fig_spec *fig_spec_parse(const char *name, const char *text, size_t len);

void fig_spec_free(struct fig_spec *spec); /* NULL-safe */

/* Where the value of attribute `attr` ("x", "c", "where") of `s` was given,
 * for messages at plot time; the series' own location when it was not. */
struct fig_loc fig_series_attr_loc(const struct fig_series *s, const char *attr);

#endif
