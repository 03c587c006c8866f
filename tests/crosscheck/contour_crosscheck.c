/* Dev-only cross-check of src/contour.c and src/locator.c against the text
 * dump of tests/crosscheck/contour_reference.py (not built by make):
 *
 *   /usr/bin/python3 tests/crosscheck/contour_reference.py > /tmp/contour_ref.txt
 *   gcc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Isrc -o /tmp/contour_crosscheck \
 *       tests/crosscheck/contour_crosscheck.c src/contour.c src/locator.c src/util.c -lm
 *   /tmp/contour_crosscheck /tmp/contour_ref.txt
 *
 * Checks the number, order, length, closedness and start of every polyline
 * and reports the largest vertex deviation; auto levels and ticks must be
 * bit-identical.  Exit status 1 on any mismatch or a deviation over 1e-12. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contour.h"
#include "locator.h"
#include "util.h"

static FILE *in;
static int failures;

static double
num(void)
{
	double v;
	if (fscanf(in, "%lf", &v) != 1) {
		fprintf(stderr, "bad reference file\n");
		exit(2);
	}
	return v;
}

static void
word(const char *expect)
{
	char w[64];
	if (fscanf(in, "%63s", w) != 1 || strcmp(w, expect) != 0) {
		fprintf(stderr, "bad reference file: expected %s\n", expect);
		exit(2);
	}
}

static double *
nums(size_t n)
{
	double *v = xmalloc(n * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = num();
	return v;
}

static void
fail(const char *what, const char *name, double level)
{
	if (failures++ < 20)
		printf("MISMATCH %s: %s level %.17g\n", what, name, level);
}

int
main(int argc, char **argv)
{
	if (argc != 2 || (in = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: contour_crosscheck REFERENCE\n");
		return 2;
	}
	double maxdev = 0, seeddev = 0;
	size_t ngrids = 0, nlevels = 0, nlines = 0, npoints = 0, nclosed = 0;
	size_t nautolev = 0, nticks = 0;
	char kind[32];
	while (fscanf(in, "%31s", kind) == 1) {
		if (strcmp(kind, "grid") == 0) {
			char name[64];
			size_t nx, ny;
			if (fscanf(in, "%63s %zu %zu", name, &nx, &ny) != 3)
				return 2;
			word("x");
			double *x = nums(nx);
			word("y");
			double *y = nums(ny);
			word("z");
			double *z = nums(nx * ny);
			ngrids++;
			int c;
			while ((c = fgetc(in)) == ' ' || c == '\n')
				;
			while (c == 'l') {
				ungetc(c, in);
				word("level");
				double level = num();
				size_t nref = (size_t)num();
				struct contour_line *lines;
				size_t n = contour_trace(x, nx, y, ny, z, level, &lines);
				nlevels++;
				if (n != nref)
					fail("line count", name, level);
				for (size_t l = 0; l < nref; l++) {
					word("line");
					size_t np = (size_t)num();
					int closed = (int)num();
					double *p = nums(2 * np);
					nlines++;
					npoints += np;
					nclosed += closed;
					if (l >= n)
						goto next;
					if (lines[l].npoints != np) {
						fail("point count", name, level);
						goto next;
					}
					if (lines[l].closed != (closed != 0))
						fail("closed flag", name, level);
					for (size_t i = 0; i < np; i++) {
						double d = fmax(fabs(lines[l].x[i] - p[2 * i]),
						    fabs(lines[l].y[i] - p[2 * i + 1]));
						if (d > maxdev)
							maxdev = d;
						if (strncmp(name, "seed", 4) == 0 && d > seeddev)
							seeddev = d;
						if (d > 1e-12)
							fail("vertex", name, level);
					}
next:
					free(p);
				}
				contour_lines_free(lines, n);
				while ((c = fgetc(in)) == ' ' || c == '\n')
					;
			}
			ungetc(c, in);
			free(x);
			free(y);
			free(z);
		} else if (strcmp(kind, "autolev") == 0) {
			double zmin = num(), zmax = num();
			int n = (int)num();
			size_t nref = (size_t)num();
			double *ref = nums(nref);
			double got[64];
			size_t ngot = contour_auto_levels(zmin, zmax, n, got, 64);
			nautolev++;
			if (ngot != nref || memcmp(got, ref, nref * sizeof *ref) != 0)
				fail("auto levels", "autolev", zmin);
			free(ref);
		} else if (strcmp(kind, "ticks") == 0) {
			char lk[16];
			if (fscanf(in, "%15s", lk) != 1)
				return 2;
			int nbins = (int)num(), integer = (int)num();
			int symmetric = (int)num(), minn = (int)num();
			double vmin = num(), vmax = num();
			size_t nref = (size_t)num();
			double *ref = nums(nref);
			struct max_n_locator loc = strcmp(lk, "auto") == 0
			    ? locator_auto(nbins) : locator_max_n_default(nbins);
			loc.integer = integer;
			loc.symmetric = symmetric;
			loc.min_n_ticks = minn;
			double got[64];
			size_t ngot = locator_max_n_ticks(&loc, vmin, vmax, got, 64);
			nticks++;
			bool same = ngot == nref;
			for (size_t i = 0; same && i < nref; i++)
				same = got[i] == ref[i];
			if (!same)
				fail("ticks", lk, vmin);
			free(ref);
		} else {
			fprintf(stderr, "bad reference file: %s\n", kind);
			return 2;
		}
	}
	printf("%zu grids, %zu levels, %zu polylines (%zu closed), %zu vertices\n",
	    ngrids, nlevels, nlines, nclosed, npoints);
	printf("max vertex deviation %.3g (seed Figure 1 data: %.3g)\n", maxdev, seeddev);
	printf("%zu auto-level cases, %zu tick cases compared exactly\n", nautolev, nticks);
	printf("%d mismatches\n", failures);
	return failures ? 1 : 0;
}
