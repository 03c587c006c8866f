/* dataset: the registry where compute leaves its results and every consumer
 * (CSV export, golden tests, the PDF, later plots and templates) reads them.
 *
 * A dataset is a named table of equally long columns, numeric (double) or
 * text.  A result is a named scalar with a short Chinese label.  The registry
 * owns everything added to it; pointers it returns stay valid until
 * registry_free. */
#ifndef HANDOUT_DATASET_H
#define HANDOUT_DATASET_H

#include <stddef.h>

enum column_type { COLUMN_NUMBER, COLUMN_TEXT };

struct column {
	char *name;
	enum column_type type;
	double *num;  /* nrows values when COLUMN_NUMBER */
	char **text;  /* nrows strings when COLUMN_TEXT */
};

struct dataset {
	char *name;
	size_t nrows, ncols, cap_rows;
	struct column *cols;
};

struct result {
	char *name;  /* "kl.at_mean" */
	double value;
	char *label; /* "KL(q‖p) 闭式解", may be empty */
};

struct registry {
	struct dataset **datasets;
	size_t ndatasets;
	struct result *results;
	size_t nresults, cap_results;
};

struct registry *registry_new(void);
void registry_free(struct registry *reg); /* NULL-safe */

/* Creates an empty dataset `name` whose columns are given by the
 * comma-separated `columns` spec; a column name prefixed with '$' is a text
 * column ("$name,level,x,y").  The registry owns it. */
struct dataset *registry_add_dataset(struct registry *reg, const char *name,
    const char *columns);

/* Appends one row: for each column in order, a double for numeric columns or
 * a const char * for text columns (copied). */
void dataset_append(struct dataset *ds, ...);

/* Adopts `values` (n doubles, malloc'd) as the numeric column `col` of a
 * dataset with no rows yet or exactly n rows. */
void dataset_set_column(struct dataset *ds, const char *col, double *values, size_t n);

/* Returns the column named `col`, or NULL. */
const struct column *dataset_column(const struct dataset *ds, const char *col);

/* Returns the dataset named `name`, or NULL. */
const struct dataset *registry_dataset(const struct registry *reg, const char *name);

/* Adds (or replaces) the scalar result `name`.  label may be NULL. */
void registry_set_result(struct registry *reg, const char *name, double value,
    const char *label);

/* Returns the result named `name`, or NULL. */
const struct result *registry_result(const struct registry *reg, const char *name);

#endif
