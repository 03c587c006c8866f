/* contour: marching squares that reproduces contourpy's mpl2014 line
 * tracer (the default behind matplotlib 3.6's contour()) for an unmasked
 * grid with corner_mask on and a single chunk.
 *
 * Why the output is identical and not merely equivalent: a point is "above"
 * when z > level; every quad is scanned in row-major order, first for lines
 * entering from the grid border (S, W, N, E edges, in that order), then for
 * interior loops; each line is followed with higher z on its left; a saddle
 * is resolved by the mean of its four corners, decided on the first visit
 * and remembered for the second; and a crossing is interpolated from the
 * same two grid points in the same order with the same arithmetic.  matplotlib
 * hands contourpy the grid as 2-D x, y arrays; x[i] and y[j] here are exactly
 * those values. */
#include "contour.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "locator.h"
#include "util.h"

/* Per-point flags.  A quad is named by its south-west point. */
enum {
	F_ABOVE = 0x01,		/* z > level */
	F_VISITED = 0x02,	/* the tracer has finished with this quad */
	F_SADDLE = 0x04,	/* saddle quad, visited once */
	F_SADDLE_LEFT = 0x08,	/* lines through this saddle turn left */
	F_SADDLE_START_SW = 0x10, /* a loop through it starts on S or W */
	F_BOUNDARY_S = 0x20,	/* the quad's S edge is on the border */
	F_BOUNDARY_W = 0x40,	/* the quad's W edge is on the border */
	F_EXISTS = 0x80,	/* a quad (not the last row or column) */
};

/* Edges in anticlockwise order around the quad. */
enum edge { EDGE_NONE, EDGE_E, EDGE_N, EDGE_W, EDGE_S };
enum dir { DIR_LEFT, DIR_STRAIGHT, DIR_RIGHT };

struct tracer {
	const double *x, *y, *z;
	size_t nx, ny;
	double level;
	uint8_t *flags;

	struct contour_line *lines;
	size_t nlines, linecap;

	double *px, *py;	/* the line being traced */
	size_t np, pcap;
};

#define FLAGS(t, p) ((t)->flags[p])
#define ABOVE(t, p) ((FLAGS(t, p) & F_ABOVE) != 0)

static void
push_point(struct tracer *t, double x, double y)
{
	if (t->np == t->pcap) {
		t->pcap = t->pcap ? 2 * t->pcap : 64;
		t->px = xrealloc(t->px, t->pcap * sizeof *t->px);
		t->py = xrealloc(t->py, t->pcap * sizeof *t->py);
	}
	t->px[t->np] = x;
	t->py[t->np] = y;
	t->np++;
}

/* Moves the traced points into a new line and starts an empty one.  Like
 * contourpy, calls a line closed only when its ends are bit-identical. */
static void
finish_line(struct tracer *t)
{
	bool closed = t->np > 1 && t->px[0] == t->px[t->np - 1] &&
	    t->py[0] == t->py[t->np - 1];
	if (t->nlines == t->linecap) {
		t->linecap = t->linecap ? 2 * t->linecap : 16;
		t->lines = xrealloc(t->lines, t->linecap * sizeof *t->lines);
	}
	struct contour_line *l = &t->lines[t->nlines++];
	l->npoints = t->np;
	l->x = xmalloc(t->np * sizeof *l->x);
	l->y = xmalloc(t->np * sizeof *l->y);
	memcpy(l->x, t->px, t->np * sizeof *l->x);
	memcpy(l->y, t->py, t->np * sizeof *l->y);
	l->closed = closed;
	t->np = 0;
}

/* Start and end points of an edge, going anticlockwise round the quad. */
static void
edge_points(const struct tracer *t, size_t quad, enum edge edge, size_t *p1, size_t *p2)
{
	size_t sw = quad, se = quad + 1, nw = quad + t->nx, ne = quad + t->nx + 1;
	switch (edge) {
	case EDGE_E: *p1 = se; *p2 = ne; break;
	case EDGE_N: *p1 = ne; *p2 = nw; break;
	case EDGE_W: *p1 = nw; *p2 = sw; break;
	default: *p1 = sw; *p2 = se; break;
	}
}

/* Appends the crossing of the level on an edge.  The formula and operand
 * order are contourpy's, so the result agrees to the last bit. */
static void
interp(struct tracer *t, size_t quad, enum edge edge)
{
	size_t p1, p2;
	edge_points(t, quad, edge, &p1, &p2);
	double z1 = t->z[p1], z2 = t->z[p2];
	double frac = (z2 - t->level) / (z2 - z1);
	double x1 = t->x[p1 % t->nx], x2 = t->x[p2 % t->nx];
	double y1 = t->y[p1 / t->nx], y2 = t->y[p2 / t->nx];
	push_point(t, x1 * frac + x2 * (1.0 - frac), y1 * frac + y2 * (1.0 - frac));
}

static bool
is_boundary(const struct tracer *t, size_t quad, enum edge edge)
{
	switch (edge) {
	case EDGE_E: return (FLAGS(t, quad + 1) & F_BOUNDARY_W) != 0;
	case EDGE_N: return (FLAGS(t, quad + t->nx) & F_BOUNDARY_S) != 0;
	case EDGE_W: return (FLAGS(t, quad) & F_BOUNDARY_W) != 0;
	default: return (FLAGS(t, quad) & F_BOUNDARY_S) != 0;
	}
}

/* The edge a line leaves by, given the edge it entered by and its turn. */
static enum edge
exit_edge(enum edge entry, enum dir dir)
{
	static const enum edge table[5][3] = {
		/* left, straight, right */
		[EDGE_E] = {EDGE_S, EDGE_W, EDGE_N},
		[EDGE_N] = {EDGE_E, EDGE_S, EDGE_W},
		[EDGE_W] = {EDGE_N, EDGE_E, EDGE_S},
		[EDGE_S] = {EDGE_W, EDGE_N, EDGE_E},
	};
	return table[entry][dir];
}

/* Follows a line from the entry edge of *quad through the interior until it
 * reaches the border or, for a loop, comes back to (start_quad, start_edge)
 * (pass EDGE_NONE when there is none).  Marks quads visited as it goes. */
static void
follow(struct tracer *t, size_t quad, enum edge edge, bool want_initial_point,
    size_t start_quad, enum edge start_edge)
{
	size_t nx = t->nx;
	if (want_initial_point)
		interp(t, quad, edge);
	for (;;) {
		uint8_t *f = &t->flags[quad];
		enum dir dir;
		if (*f & F_SADDLE) {
			/* Second visit to a saddle: turn as the first one did. */
			dir = (*f & F_SADDLE_LEFT) ? DIR_LEFT : DIR_RIGHT;
			*f |= F_VISITED;
		} else {
			/* The two points across from the entry edge, on the
			 * left and on the right of the direction of travel. */
			size_t left, right;
			switch (edge) {
			case EDGE_E: left = quad; right = quad + nx; break;
			case EDGE_N: left = quad + 1; right = quad; break;
			case EDGE_W: left = quad + nx + 1; right = quad + 1; break;
			default: left = quad + nx; right = quad + nx + 1; break;
			}
			int config = ABOVE(t, left) << 1 | ABOVE(t, right);
			if (config == 1) {
				/* Left low, right high: a saddle.  Its middle
				 * value says which pairs of edges connect. */
				double zmid = 0.25 * (t->z[quad] + t->z[quad + 1] +
				    t->z[quad + nx] + t->z[quad + nx + 1]);
				*f |= F_SADDLE;
				if (zmid > t->level) {
					dir = DIR_RIGHT;
				} else {
					dir = DIR_LEFT;
					*f |= F_SADDLE_LEFT;
				}
				if (edge == EDGE_N || edge == EDGE_E)
					*f |= F_SADDLE_START_SW;
			} else {
				dir = config == 0 ? DIR_LEFT
				    : config == 3 ? DIR_RIGHT : DIR_STRAIGHT;
				*f |= F_VISITED;
			}
		}

		edge = exit_edge(edge, dir);
		interp(t, quad, edge);
		if (is_boundary(t, quad, edge))
			break;

		switch (edge) {
		case EDGE_E: quad += 1; edge = EDGE_W; break;
		case EDGE_N: quad += nx; edge = EDGE_S; break;
		case EDGE_W: quad -= 1; edge = EDGE_E; break;
		default: quad -= nx; edge = EDGE_N; break;
		}
		if (start_edge != EDGE_NONE && quad == start_quad && edge == start_edge)
			break;
	}
}

/* The edge where a loop through this quad starts, or EDGE_NONE. */
static enum edge
loop_start_edge(const struct tracer *t, size_t quad)
{
	size_t nx = t->nx;
	int config = ABOVE(t, quad + nx) << 3 | ABOVE(t, quad + nx + 1) << 2 |
	    ABOVE(t, quad) << 1 | ABOVE(t, quad + 1);
	/* A saddle seen once must be left by the pair of edges not yet used. */
	bool first_pair = !(FLAGS(t, quad) & F_SADDLE) ||
	    (FLAGS(t, quad) & F_SADDLE_START_SW);
	switch (config) {
	case 1: case 3: case 11: return EDGE_E;
	case 2: case 10: case 14: return EDGE_S;
	case 4: case 5: case 7: return EDGE_N;
	case 8: case 12: case 13: return EDGE_W;
	case 6: return first_pair ? EDGE_S : EDGE_N;
	case 9: return first_pair ? EDGE_W : EDGE_E;
	default: return EDGE_NONE;
	}
}

/* A line from the border into the quad; returns whether the quad is now
 * finished with (a saddle may still have another line to start). */
static bool
start_open_line(struct tracer *t, size_t quad, enum edge edge)
{
	follow(t, quad, edge, true, 0, EDGE_NONE);
	finish_line(t);
	return (FLAGS(t, quad) & F_VISITED) != 0;
}

size_t
contour_trace(const double *x, size_t nx, const double *y, size_t ny,
    const double *z, double level, struct contour_line **lines)
{
	*lines = NULL;
	if (nx < 2 || ny < 2)
		return 0;

	struct tracer t = {.x = x, .y = y, .z = z, .nx = nx, .ny = ny, .level = level};
	size_t n = nx * ny;
	t.flags = xcalloc(n, 1);
	for (size_t j = 0, p = 0; j < ny; j++) {
		for (size_t i = 0; i < nx; i++, p++) {
			uint8_t f = 0;
			if (i < nx - 1 && j < ny - 1)
				f |= F_EXISTS;
			if ((i == 0 || i == nx - 1) && j < ny - 1)
				f |= F_BOUNDARY_W;
			if ((j == 0 || j == ny - 1) && i < nx - 1)
				f |= F_BOUNDARY_S;
			if (z[p] > level)
				f |= F_ABOVE;
			t.flags[p] = f;
		}
	}

	/* Open lines, each started where it enters from the border. */
	for (size_t q = 0; q < n; q++) {
		uint8_t f = t.flags[q];
		if (!(f & F_EXISTS) || (f & F_VISITED))
			continue;
		bool sw = ABOVE(&t, q), se = ABOVE(&t, q + 1);
		bool nw = ABOVE(&t, q + nx), ne = ABOVE(&t, q + nx + 1);
		if ((f & F_BOUNDARY_S) && sw && !se && start_open_line(&t, q, EDGE_S))
			continue;
		if ((f & F_BOUNDARY_W) && nw && !sw && start_open_line(&t, q, EDGE_W))
			continue;
		if ((t.flags[q + nx] & F_BOUNDARY_S) && ne && !nw &&
		    start_open_line(&t, q, EDGE_N))
			continue;
		if ((t.flags[q + 1] & F_BOUNDARY_W) && se && !ne &&
		    start_open_line(&t, q, EDGE_E))
			continue;
	}

	/* Closed loops. */
	for (size_t q = 0; q < n; q++) {
		if (!(t.flags[q] & F_EXISTS) || (t.flags[q] & F_VISITED))
			continue;
		enum edge start = loop_start_edge(&t, q);
		if (start == EDGE_NONE)
			continue;
		/* contourpy leaves out the point on a starting N edge and
		 * repeats the first point instead (legacy output order). */
		bool skip_first = start == EDGE_N;
		follow(&t, q, start, !skip_first, q, start);
		if (skip_first && t.np > 0)
			push_point(&t, t.px[0], t.py[0]);
		finish_line(&t);
		/* A saddle crossed once has a second loop through it. */
		if ((t.flags[q] & F_SADDLE) && !(t.flags[q] & F_VISITED))
			q--;
	}

	free(t.flags);
	free(t.px);
	free(t.py);
	*lines = t.lines;
	return t.nlines;
}

void
contour_lines_free(struct contour_line *lines, size_t n)
{
	if (lines == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		free(lines[i].x);
		free(lines[i].y);
	}
	free(lines);
}

size_t
contour_auto_levels(double zmin, double zmax, int n, double *out, size_t cap)
{
	struct max_n_locator loc = locator_max_n_default(n + 1);
	loc.min_n_ticks = 1;
	size_t nlev = locator_max_n_ticks(&loc, zmin, zmax, NULL, 0);
	double *lev = xmalloc(nlev * sizeof *lev);
	locator_max_n_ticks(&loc, zmin, zmax, lev, nlev);

	/* Trim to one level below zmin and one above zmax (extend 'neither'),
	 * unless that would leave fewer than three. */
	size_t i0 = 0, i1 = nlev;
	for (size_t i = 0; i < nlev; i++)
		if (lev[i] < zmin)
			i0 = i;
	for (size_t i = 0; i < nlev; i++) {
		if (lev[i] > zmax) {
			i1 = i + 1;
			break;
		}
	}
	if (i1 < i0 + 3) {
		i0 = 0;
		i1 = nlev;
	}

	bool inside = false;
	for (size_t i = i0; i < i1; i++)
		if (lev[i] > zmin && lev[i] < zmax)
			inside = true;
	size_t count;
	if (!inside) {
		if (cap > 0)
			out[0] = zmin;
		count = 1;
	} else {
		count = i1 - i0;
		for (size_t i = 0; i < count && i < cap; i++)
			out[i] = lev[i0 + i];
	}
	free(lev);
	return count;
}
