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
	double *x, *y; /* npoints each; a closed line repeats its first point last */
	bool closed;
};

/* Levels for contour(..., levels=n) on data spanning [zmin, zmax]:
 * matplotlib's ContourSet._autolev(n) (MaxNLocator(n + 1, min_n_ticks=1) and
 * the trimming of excess levels).  Writes at most cap levels to out and
 * returns their number. */
size_t contour_auto_levels(double zmin, double zmax, int n, double *out, size_t cap);

/* Traces the level set z = level.  x has nx values (columns), y has ny values
 * (rows), z is ny*nx row-major (z[j*nx + i] at (x[i], y[j])).  Returns the
 * number of polylines and stores a newly allocated array of them in *lines
 * (free with contour_lines_free). */
size_t contour_trace(const double *x, size_t nx, const double *y, size_t ny,
    const double *z, double level, struct contour_line **lines);

void contour_lines_free(struct contour_line *lines, size_t n); /* NULL-safe */

#endif
