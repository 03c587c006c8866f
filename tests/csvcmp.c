/* csvcmp: compares two CSV files cell by cell with explicit numeric tolerances.
 *
 *   csvcmp [--rel R] [--abs A] [--col-abs NAME=A ...] [--label NAME] [--max-report N]
 *          EXPECTED.csv GOT.csv
 *
 * The header rows must be identical and the files must have the same number of
 * rows.  A pair of cells that both parse completely as numbers (strtod, which
 * also accepts inf and nan) is equal when |e - g| <= max(A, R * max(|e|, |g|));
 * nan equals nan, and an infinity only equals the same infinity.  Any other
 * pair of cells must be identical strings.  --col-abs replaces A for one column
 * (by header name) and may be repeated.  Defaults: R = 1e-12, A = 0.
 *
 * Each mismatch is reported as "FILE:LINE: column 'NAME': expected E, got G
 * (...)" where FILE is --label or the base name of GOT.csv and LINE is the
 * 1-based line number (the header is line 1).  The first --max-report (10)
 * mismatches are printed, then the total.
 *
 * Exit status: 0 when the files match, 1 when they differ, 2 on a usage or I/O
 * error.  The golden tests and `make crosscheck` rely on these three values.
 *
 * Fields may be quoted ("a,b", "" for a quote) although our CSVs never are;
 * a quoted field is never a number and is compared by its unquoted text. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_MATCH 0
#define EXIT_DIFFER 1
#define EXIT_TROUBLE 2

struct field {
	char *text; /* NUL-terminated, unquoted */
	int quoted;
};

struct record {
	struct field *fields;
	size_t nfields;
	long line; /* 1-based line on which the record starts */
};

struct table {
	const char *path;
	struct record *records;
	size_t nrecords;
};

struct col_tol {
	const char *name;
	double abs;
};

struct options {
	double rel;
	double abs;
	struct col_tol *col_abs;
	size_t ncol_abs;
	const char *label;
	long max_report;
};

static const char *progname = "csvcmp";

static void die_oom(void)
{
	fprintf(stderr, "%s: out of memory\n", progname);
	exit(EXIT_TROUBLE);
}

static void *xrealloc_array(void *ptr, size_t count, size_t size)
{
	void *p;

	if (size != 0 && count > (size_t)-1 / size)
		die_oom();
	p = realloc(ptr, count * size == 0 ? 1 : count * size);
	if (p == NULL)
		die_oom();
	return p;
}

static void usage(void)
{
	fprintf(stderr,
	    "usage: %s [--rel R] [--abs A] [--col-abs NAME=A ...] [--label NAME]\n"
	    "              [--max-report N] EXPECTED.csv GOT.csv\n"
	    "  numbers e, g match when |e-g| <= max(A, R*max(|e|,|g|)); defaults R=1e-12, A=0\n"
	    "  --col-abs NAME=A  absolute tolerance A for column NAME instead of --abs\n"
	    "  --label NAME      file name used in messages (default: base name of GOT.csv)\n"
	    "  --max-report N    print at most N mismatches (default 10)\n"
	    "exit status: 0 match, 1 differ, 2 usage or I/O error\n",
	    progname);
}

/* Reads the whole file at path into a NUL-terminated buffer (caller frees);
 * returns NULL after printing a message on failure. */
static char *read_file(const char *path, size_t *len_out)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = xrealloc_array(buf, cap + 1, 1);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: %s: read error\n", progname, path);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	if (buf == NULL)
		buf = xrealloc_array(NULL, 1, 1);
	buf[len] = '\0';
	*len_out = len;
	return buf;
}

static void push_field(struct record *rec, size_t *cap, char *text, int quoted)
{
	if (rec->nfields == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		rec->fields = xrealloc_array(rec->fields, *cap, sizeof *rec->fields);
	}
	rec->fields[rec->nfields].text = text;
	rec->fields[rec->nfields].quoted = quoted;
	rec->nfields++;
}

/* Splits buf (modified in place: fields are unquoted and NUL-terminated inside
 * it) into records.  Line ends are \n or \r\n; a final line end is optional;
 * a NUL byte in the data ends the data.  A quoted field may span lines. */
static void parse_table(struct table *t, char *buf, size_t len)
{
	size_t i = 0, rcap = 0, n = strlen(buf);
	long line = 1;

	if (n < len)
		len = n;
	t->records = NULL;
	t->nrecords = 0;
	while (i < len) {
		struct record rec;
		size_t fcap = 0;
		int end_of_record = 0;

		rec.fields = NULL;
		rec.nfields = 0;
		rec.line = line;
		while (!end_of_record) {
			char *start = buf + i, *out = buf + i;
			int quoted = 0;
			char sep;

			if (i < len && buf[i] == '"') {
				quoted = 1;
				i++;
				while (i < len) {
					if (buf[i] == '"') {
						if (i + 1 < len && buf[i + 1] == '"') {
							*out++ = '"';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (buf[i] == '\n')
						line++;
					*out++ = buf[i++];
				}
			}
			/* Unquoted text, or stray text after a closing quote. */
			while (i < len && buf[i] != ',' && buf[i] != '\n' &&
			    !(buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n'))
				*out++ = buf[i++];
			/* out never passes buf + i, so the terminator lands on the
			 * separator at worst (saved first) or on buf[len] == NUL. */
			sep = i < len ? buf[i] : '\0';
			*out = '\0';
			push_field(&rec, &fcap, start, quoted);
			if (sep == ',') {
				i++;
				if (i >= len) { /* "a,b," at the very end: one more empty field */
					push_field(&rec, &fcap, buf + len, 0);
					end_of_record = 1;
				}
			} else {
				if (sep != '\0') {
					i += sep == '\r' ? 2 : 1;
					line++;
				}
				end_of_record = 1;
			}
		}
		if (t->nrecords == rcap) {
			rcap = rcap ? rcap * 2 : 256;
			t->records = xrealloc_array(t->records, rcap, sizeof *t->records);
		}
		t->records[t->nrecords++] = rec;
	}
}

static void free_table(struct table *t)
{
	size_t r;

	for (r = 0; r < t->nrecords; r++)
		free(t->records[r].fields);
	free(t->records);
}

/* Returns 1 and stores the value when the whole field is a number. */
static int parse_number(const struct field *f, double *value)
{
	char *end;

	if (f->quoted || f->text[0] == '\0')
		return 0;
	/* strtod skips leading white space; a cell with it is not a clean number. */
	if (f->text[0] == ' ' || f->text[0] == '\t' || f->text[0] == '\r')
		return 0;
	errno = 0;
	*value = strtod(f->text, &end);
	return *end == '\0';
}

static int parse_tolerance(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno == ERANGE || !(v >= 0) || isinf(v))
		return 0;
	*out = v;
	return 1;
}

struct reporter {
	const char *label;
	long max_report;
	long count;
};

static void mismatch(struct reporter *rep, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void mismatch(struct reporter *rep, long line, const char *fmt, ...)
{
	va_list ap;

	rep->count++;
	if (rep->count > rep->max_report)
		return;
	printf("%s:%ld: ", rep->label, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static const char *column_name(const struct table *expected, size_t c, char *buf, size_t bufsize)
{
	if (expected->nrecords > 0 && c < expected->records[0].nfields)
		return expected->records[0].fields[c].text;
	snprintf(buf, bufsize, "#%zu", c + 1);
	return buf;
}

static void compare_cell(struct reporter *rep, long line, const char *col, double abs_tol,
    double rel_tol, const struct field *fe, const struct field *fg)
{
	double e, g, diff, scale;

	if (parse_number(fe, &e) && parse_number(fg, &g)) {
		if (isnan(e) || isnan(g)) {
			if (isnan(e) && isnan(g))
				return;
		} else if (e == g) {
			return;
		} else if (!isinf(e) && !isinf(g)) {
			diff = fabs(e - g);
			scale = fmax(fabs(e), fabs(g));
			if (diff <= fmax(abs_tol, rel_tol * scale))
				return;
			mismatch(rep, line,
			    "column '%s': expected %s, got %s (abs diff %.2g, rel diff %.2g, "
			    "tolerance %.2g)",
			    col, fe->text, fg->text, diff, diff / scale,
			    fmax(abs_tol, rel_tol * scale));
			return;
		}
		mismatch(rep, line, "column '%s': expected %s, got %s", col, fe->text, fg->text);
		return;
	}
	if (strcmp(fe->text, fg->text) == 0)
		return;
	mismatch(rep, line, "column '%s': expected \"%s\", got \"%s\"%s", col, fe->text, fg->text,
	    (parse_number(fe, &e) != parse_number(fg, &g)) ? " (number vs text)" : "");
}

static int compare_tables(const struct options *opt, const struct table *exp, const struct table *got)
{
	struct reporter rep;
	double *col_abs = NULL;
	size_t ncols, c, r, rows;
	char namebuf[32];

	rep.label = opt->label;
	rep.max_report = opt->max_report;
	rep.count = 0;

	if (exp->nrecords == 0 || got->nrecords == 0) {
		if (exp->nrecords == got->nrecords)
			return EXIT_MATCH;
		printf("%s:1: expected %s, got %s\n", rep.label,
		    exp->nrecords == 0 ? "an empty file" : "a header row",
		    got->nrecords == 0 ? "an empty file" : "a header row");
		return EXIT_DIFFER;
	}

	/* Header: identical field by field, otherwise nothing else means much. */
	{
		const struct record *he = &exp->records[0], *hg = &got->records[0];
		int same = he->nfields == hg->nfields;

		for (c = 0; same && c < he->nfields; c++)
			same = strcmp(he->fields[c].text, hg->fields[c].text) == 0;
		if (!same) {
			printf("%s:1: header differs\n  expected: ", rep.label);
			for (c = 0; c < he->nfields; c++)
				printf("%s%s", c ? "," : "", he->fields[c].text);
			printf("\n  got:      ");
			for (c = 0; c < hg->nfields; c++)
				printf("%s%s", c ? "," : "", hg->fields[c].text);
			printf("\n");
			return EXIT_DIFFER;
		}
	}

	ncols = exp->records[0].nfields;
	col_abs = xrealloc_array(NULL, ncols ? ncols : 1, sizeof *col_abs);
	for (c = 0; c < ncols; c++) {
		size_t k;

		col_abs[c] = opt->abs;
		for (k = 0; k < opt->ncol_abs; k++)
			if (strcmp(opt->col_abs[k].name, exp->records[0].fields[c].text) == 0)
				col_abs[c] = opt->col_abs[k].abs;
	}

	if (exp->nrecords != got->nrecords)
		printf("%s: expected %zu data rows, got %zu (comparing the first %zu)\n", rep.label,
		    exp->nrecords - 1, got->nrecords - 1,
		    (exp->nrecords < got->nrecords ? exp->nrecords : got->nrecords) - 1);
	rows = exp->nrecords < got->nrecords ? exp->nrecords : got->nrecords;
	for (r = 1; r < rows; r++) {
		const struct record *re = &exp->records[r], *rg = &got->records[r];
		size_t n = re->nfields < rg->nfields ? re->nfields : rg->nfields;

		if (re->nfields != rg->nfields)
			mismatch(&rep, rg->line, "expected %zu fields, got %zu", re->nfields,
			    rg->nfields);
		for (c = 0; c < n; c++)
			compare_cell(&rep, rg->line,
			    column_name(exp, c, namebuf, sizeof namebuf),
			    c < ncols ? col_abs[c] : opt->abs, opt->rel, &re->fields[c],
			    &rg->fields[c]);
	}
	free(col_abs);

	if (rep.count > rep.max_report)
		printf("%s: ... %ld more not shown\n", rep.label, rep.count - rep.max_report);
	if (rep.count > 0)
		printf("%s: %ld mismatching cell%s\n", rep.label, rep.count,
		    rep.count == 1 ? "" : "s");
	if (rep.count > 0 || exp->nrecords != got->nrecords)
		return EXIT_DIFFER;
	return EXIT_MATCH;
}

/* Returns the option's value for "--opt VALUE" or "--opt=VALUE", advancing
 * *i past it, or NULL when argv[*i] is not this option. */
static const char *option_value(int argc, char **argv, int *i, const char *opt, int *missing)
{
	size_t n = strlen(opt);
	const char *a = argv[*i];

	if (strncmp(a, opt, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

int main(int argc, char **argv)
{
	struct options opt;
	struct table exp, got;
	const char *paths[2];
	char *bufs[2] = {NULL, NULL};
	size_t lens[2];
	int npaths = 0, i, status;

	opt.rel = 1e-12;
	opt.abs = 0;
	opt.col_abs = NULL;
	opt.ncol_abs = 0;
	opt.label = NULL;
	opt.max_report = 10;

	for (i = 1; i < argc; i++) {
		const char *v;
		int missing = 0;

		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage();
			return EXIT_MATCH;
		}
		if (strcmp(argv[i], "--") == 0) {
			for (i++; i < argc; i++) {
				if (npaths == 2)
					goto bad_usage;
				paths[npaths++] = argv[i];
			}
			break;
		}
		if ((v = option_value(argc, argv, &i, "--rel", &missing)) != NULL) {
			if (!parse_tolerance(v, &opt.rel)) {
				fprintf(stderr, "%s: --rel: not a non-negative number: %s\n", progname, v);
				goto bad_usage;
			}
		} else if ((v = option_value(argc, argv, &i, "--abs", &missing)) != NULL) {
			if (!parse_tolerance(v, &opt.abs)) {
				fprintf(stderr, "%s: --abs: not a non-negative number: %s\n", progname, v);
				goto bad_usage;
			}
		} else if ((v = option_value(argc, argv, &i, "--col-abs", &missing)) != NULL) {
			const char *eq = strrchr(v, '=');
			double a;
			char *name;

			if (eq == NULL || eq == v || !parse_tolerance(eq + 1, &a)) {
				fprintf(stderr, "%s: --col-abs: expected NAME=A, got: %s\n", progname, v);
				goto bad_usage;
			}
			name = xrealloc_array(NULL, (size_t)(eq - v) + 1, 1);
			memcpy(name, v, (size_t)(eq - v));
			name[eq - v] = '\0';
			opt.col_abs = xrealloc_array(opt.col_abs, opt.ncol_abs + 1, sizeof *opt.col_abs);
			opt.col_abs[opt.ncol_abs].name = name;
			opt.col_abs[opt.ncol_abs].abs = a;
			opt.ncol_abs++;
		} else if ((v = option_value(argc, argv, &i, "--label", &missing)) != NULL) {
			opt.label = v;
		} else if ((v = option_value(argc, argv, &i, "--max-report", &missing)) != NULL) {
			char *end;

			errno = 0;
			opt.max_report = strtol(v, &end, 10);
			if (end == v || *end != '\0' || errno != 0 || opt.max_report < 0) {
				fprintf(stderr, "%s: --max-report: not a count: %s\n", progname, v);
				goto bad_usage;
			}
		} else if (missing) {
			fprintf(stderr, "%s: %s needs a value\n", progname, argv[i]);
			goto bad_usage;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "%s: unknown option: %s\n", progname, argv[i]);
			goto bad_usage;
		} else {
			if (npaths == 2)
				goto bad_usage;
			paths[npaths++] = argv[i];
		}
	}
	if (npaths != 2)
		goto bad_usage;

	if (opt.label == NULL) {
		const char *slash = strrchr(paths[1], '/');
		opt.label = slash ? slash + 1 : paths[1];
	}

	for (i = 0; i < 2; i++) {
		bufs[i] = read_file(paths[i], &lens[i]);
		if (bufs[i] == NULL) {
			status = EXIT_TROUBLE;
			goto done;
		}
	}
	exp.path = paths[0];
	got.path = paths[1];
	parse_table(&exp, bufs[0], lens[0]);
	parse_table(&got, bufs[1], lens[1]);
	status = compare_tables(&opt, &exp, &got);
	free_table(&exp);
	free_table(&got);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: write error on standard output\n", progname);
		status = EXIT_TROUBLE;
	}
	goto done;

bad_usage:
	usage();
	status = EXIT_TROUBLE;
done:
	free(bufs[0]);
	free(bufs[1]);
	for (i = 0; (size_t)i < opt.ncol_abs; i++)
		free((char *)opt.col_abs[i].name);
	free(opt.col_abs);
	return status;
}
