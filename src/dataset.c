#include "dataset.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct registry *
registry_new(void)
{
	return xcalloc(1, sizeof(struct registry));
}

static void
dataset_free(struct dataset *ds)
{
	if (ds == NULL)
		return;
	for (size_t c = 0; c < ds->ncols; c++) {
		struct column *col = &ds->cols[c];
		if (col->type == COLUMN_TEXT)
			for (size_t r = 0; r < ds->nrows; r++)
				free(col->text[r]);
		free(col->text);
		free(col->num);
		free(col->name);
	}
	free(ds->cols);
	free(ds->name);
	free(ds);
}

void
registry_free(struct registry *reg)
{
	if (reg == NULL)
		return;
	for (size_t i = 0; i < reg->ndatasets; i++)
		dataset_free(reg->datasets[i]);
	free(reg->datasets);
	for (size_t i = 0; i < reg->nresults; i++) {
		free(reg->results[i].name);
		free(reg->results[i].label);
	}
	free(reg->results);
	free(reg);
}

struct dataset *
registry_add_dataset(struct registry *reg, const char *name, const char *columns)
{
	struct dataset *ds = xcalloc(1, sizeof *ds);
	ds->name = xstrdup(name);

	const char *p = columns;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		ds->cols = xrealloc(ds->cols, (ds->ncols + 1) * sizeof *ds->cols);
		struct column *col = &ds->cols[ds->ncols++];
		memset(col, 0, sizeof *col);
		col->type = COLUMN_NUMBER;
		if (*p == '$') {
			col->type = COLUMN_TEXT;
			p++;
			len--;
		}
		col->name = xstrndup(p, len);
		p += len;
		if (*p == ',')
			p++;
	}

	reg->datasets = xrealloc(reg->datasets, (reg->ndatasets + 1) * sizeof *reg->datasets);
	reg->datasets[reg->ndatasets++] = ds;
	return ds;
}

static void
dataset_reserve(struct dataset *ds, size_t rows)
{
	if (rows <= ds->cap_rows)
		return;
	size_t cap = ds->cap_rows ? ds->cap_rows : 64;
	while (cap < rows)
		cap *= 2;
	for (size_t c = 0; c < ds->ncols; c++) {
		struct column *col = &ds->cols[c];
		if (col->type == COLUMN_TEXT)
			col->text = xrealloc(col->text, cap * sizeof *col->text);
		else
			col->num = xrealloc(col->num, cap * sizeof *col->num);
	}
	ds->cap_rows = cap;
}

void
dataset_append(struct dataset *ds, ...)
{
	dataset_reserve(ds, ds->nrows + 1);
	va_list ap;
	va_start(ap, ds);
	for (size_t c = 0; c < ds->ncols; c++) {
		struct column *col = &ds->cols[c];
		if (col->type == COLUMN_TEXT)
			col->text[ds->nrows] = xstrdup(va_arg(ap, const char *));
		else
			col->num[ds->nrows] = va_arg(ap, double);
	}
	va_end(ap);
	ds->nrows++;
}

void
dataset_set_column(struct dataset *ds, const char *name, double *values, size_t n)
{
	for (size_t c = 0; c < ds->ncols; c++) {
		struct column *col = &ds->cols[c];
		if (strcmp(col->name, name) != 0 || col->type != COLUMN_NUMBER)
			continue;
		/* Columns set whole must all have the same length. */
		if (ds->nrows != 0 && ds->nrows != n)
			abort();
		free(col->num);
		col->num = values;
		ds->nrows = n;
		ds->cap_rows = 0; /* adopted arrays are exact-size: no appends after */
		return;
	}
	abort(); /* programming error: unknown column */
}

const struct column *
dataset_column(const struct dataset *ds, const char *name)
{
	for (size_t c = 0; c < ds->ncols; c++)
		if (strcmp(ds->cols[c].name, name) == 0)
			return &ds->cols[c];
	return NULL;
}

const struct dataset *
registry_dataset(const struct registry *reg, const char *name)
{
	for (size_t i = 0; i < reg->ndatasets; i++)
		if (strcmp(reg->datasets[i]->name, name) == 0)
			return reg->datasets[i];
	return NULL;
}

void
registry_set_result(struct registry *reg, const char *name, double value, const char *label)
{
	for (size_t i = 0; i < reg->nresults; i++) {
		struct result *r = &reg->results[i];
		if (strcmp(r->name, name) == 0) {
			r->value = value;
			free(r->label);
			r->label = xstrdup(label ? label : "");
			return;
		}
	}
	if (reg->nresults == reg->cap_results) {
		reg->cap_results = reg->cap_results ? 2 * reg->cap_results : 32;
		reg->results = xrealloc(reg->results, reg->cap_results * sizeof *reg->results);
	}
	struct result *r = &reg->results[reg->nresults++];
	r->name = xstrdup(name);
	r->value = value;
	r->label = xstrdup(label ? label : "");
}

const struct result *
registry_result(const struct registry *reg, const char *name)
{
	for (size_t i = 0; i < reg->nresults; i++)
		if (strcmp(reg->results[i].name, name) == 0)
			return &reg->results[i];
	return NULL;
}
