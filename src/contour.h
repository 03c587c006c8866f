/* contour: contour lines of a function sampled on a rectilinear grid, as
 * matplotlib 3.6 draws them with contour() (contourpy's mpl2014 algorithm):
 * the same levels, polylines, vertex order and start points, so the vertices
 * match matplotlib's allsegs. */
#ifndef HANDOUT_CONTOUR_H
#define HANDOUT_CONTOUR_H

#include <stdbool.h>
#include <stddef.h>

struct contour_line {
	size_t npoints;
	double *x, *y; /* npoints each */
	/* matplotlib's CLOSEPOLY: the last point equals the first bit for bit.
	 * A loop always ends where it began, but its closing crossing can
	 * round one ulp away; matplotlib then draws it as an open polyline,
	 * and so do we. */
	bool closed;
};

/* Levels for contour(..., levels=n) on data spanning [zmin, zmax]:
 * matplotlib's ContourSet._autolev(n) (MaxNLocator(n + 1, min_n_ticks=1) and
 * the trimming of excess levels), followed by the line-contour rule of
 * _process_contour_level_args: when no level lies strictly inside
 * (zmin, zmax) the only level is zmin.  Levels outside the range otherwise
 * stay (they draw nothing).  Writes at most cap levels to out (out may be
 * NULL when cap is 0) and returns their number, which may exceed cap. */
size_t contour_auto_levels(double zmin, double zmax, int n, double *out, size_t cap);

/* Traces the level set z = level.  x has nx values (columns), y has ny values
 * (rows), z is ny*nx row-major (z[j*nx + i] at (x[i], y[j])); z must be
 * finite (matplotlib would mask NaN; this module has no masks).  Returns the
 * number of polylines and stores a newly allocated array of them in *lines
 * (free with contour_lines_free; NULL when there are none).  Lines come in
 * matplotlib's order: first the lines that start and end on the grid border,
 * then the loops (whose last point is their first); higher z lies to the
 * left of the direction of travel.  A grid smaller than 2x2 has no lines.
 * Built with -ffp-contract=off (the default for -std=c11) the vertices are
 * bit-identical to matplotlib's. */
size_t contour_trace(const double *x, size_t nx, const double *y, size_t ny,
    const double *z, double level, struct contour_line **lines);

void contour_lines_free(struct contour_line *lines, size_t n); /* NULL-safe */

#endif
