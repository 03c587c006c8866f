#include "csvout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "diag.h"
#include "util.h"

bool
make_dirs(const char *path)
{
	char *p = xstrdup(path);
	bool ok = true;
	for (char *s = p + 1;; s++) {
		bool end = *s == '\0';
		if (*s != '/' && !end)
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			diag_emit(DIAG_IO_MKDIR, NULL, 0, 0, p, strerror(errno));
			ok = false;
			break;
		}
		if (end)
			break;
		*s = '/';
	}
	free(p);
	return ok;
}

static void
write_dataset(FILE *f, const struct dataset *ds)
{
	for (size_t c = 0; c < ds->ncols; c++)
		fprintf(f, "%s%s", c ? "," : "", ds->cols[c].name);
	fputc('\n', f);
	for (size_t r = 0; r < ds->nrows; r++) {
		for (size_t c = 0; c < ds->ncols; c++) {
			const struct column *col = &ds->cols[c];
			if (c)
				fputc(',', f);
			if (col->type == COLUMN_TEXT)
				fputs(col->text[r], f);
			else
				fprintf(f, "%.17g", col->num[r]);
		}
		fputc('\n', f);
	}
}

static void
write_results(FILE *f, const struct registry *reg)
{
	fputs("name,value\n", f);
	for (size_t i = 0; i < reg->nresults; i++)
		fprintf(f, "%s,%.17g\n", reg->results[i].name, reg->results[i].value);
}

struct csv_file {
	const struct registry *reg;
	const struct dataset *ds; /* NULL: the results table */
};

static bool
fill_csv(FILE *f, const void *arg)
{
	const struct csv_file *c = arg;
	if (c->ds)
		write_dataset(f, c->ds);
	else
		write_results(f, c->reg);
	return true;
}

/* DIR/NAME.csv, atomically. */
static bool
write_file(const char *dir, const char *name, const struct registry *reg,
    const struct dataset *ds)
{
	char *path = xasprintf("%s/%s.csv", dir, name);
	struct csv_file c = {reg, ds};
	bool ok = atomicfile_write(path, fill_csv, &c);
	free(path);
	return ok;
}

bool
csvout_write_all(const struct registry *reg, const char *dir)
{
	if (!make_dirs(dir))
		return false;
	for (size_t i = 0; i < reg->ndatasets; i++)
		if (!write_file(dir, reg->datasets[i]->name, reg, reg->datasets[i]))
			return false;
	return write_file(dir, "results", reg, NULL);
}
