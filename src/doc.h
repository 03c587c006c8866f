/* doc: templates/NAME.md (the markup of templates/README.md) -> one document
 * tree.  The parser only reads and checks the markup; names inside it
 * (placeholders, cross-reference labels, citation keys, figure names) are
 * resolved later, against the config, the results and the tree itself, by
 * the layout stage (layout_document, or layout_check for handout
 * --check-templates), which reports unknown ones at the node's location.
 *
 * Every node has the location of its first character (file, 1-based line,
 * 1-based character column).  The tree owns all its strings. */
#ifndef HANDOUT_DOC_H
#define HANDOUT_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct doc_loc {
	const char *file; /* owned by the document */
	int line, col;
};

enum doc_inline_kind {
	DOC_TEXT,        /* text: plain text, escapes already removed */
	DOC_EMPH,        /* children */
	DOC_STRONG,      /* children */
	DOC_CODE,        /* text */
	DOC_MATH,        /* text: the LaTeX source between $ and $ */
	DOC_PLACEHOLDER, /* text: name; format: printf conversion or NULL */
	DOC_XREF,        /* text: label ("fig:moons") */
	DOC_CITE,        /* keys, nkeys ([@a; @b]) */
	DOC_SOFTBREAK    /* a line end inside a paragraph */
};

struct doc_inline {
	enum doc_inline_kind kind;
	struct doc_loc loc;
	char *text;
	char *format;
	char **keys;
	size_t nkeys;
	struct doc_inline *children;
	size_t nchildren;
	int *cols;       /* DOC_MATH in a table cell whose "\|" became '|': the
	                  * template column of each byte of text and of its end
	                  * (strlen(text) + 1 entries); NULL when text is the source
	                  * as written, its byte j's character at loc.col + 1 + the
	                  * characters before it */
};

/* A run of inline content. */
struct doc_inlines {
	struct doc_inline *items;
	size_t n;
};

enum doc_block_kind {
	DOC_HEADING,     /* level, numbered, label, text */
	DOC_PARAGRAPH,   /* text */
	DOC_LIST,        /* ordered, start, items */
	DOC_DISPLAY_MATH,/* math (LaTeX source, may span lines), label */
	DOC_FIGURE,      /* name (figures/NAME.fig), label, caption */
	DOC_TABLE,       /* label, caption, ncols, align, rows (row 0 = header) */
	DOC_NOTE,        /* children */
	DOC_REFERENCES,  /* refs */
	DOC_PARAMETERS,  /* children: the optional intro */
	DOC_IF           /* conds; children: laid out when every condition holds,
	                  * else_blocks otherwise (both possibly empty) */
};

/* A condition of "::: if NAME OP NUMBER [and ...]". */
enum doc_cmp { DOC_CMP_LT, DOC_CMP_LE, DOC_CMP_GT, DOC_CMP_GE, DOC_CMP_EQ, DOC_CMP_NE };

struct doc_cond {
	char *name;               /* a config key or result, as in a placeholder */
	struct doc_loc loc;       /* the name's first character */
	enum doc_cmp op;
	double value;
};

enum doc_align { DOC_ALIGN_LEFT, DOC_ALIGN_CENTER, DOC_ALIGN_RIGHT };

struct doc_block;

struct doc_blocks {
	struct doc_block *items;
	size_t n;
};

struct doc_list_item {
	struct doc_loc loc;
	struct doc_blocks blocks; /* paragraphs, nested lists */
};

struct doc_table_cell {
	struct doc_loc loc;       /* the cell's first character (after the '|' if empty) */
	struct doc_inlines text;  /* empty for an empty cell */
};

struct doc_reference {
	struct doc_loc loc;
	char *key;                /* "kingma2013" */
	struct doc_inlines text;  /* the entry after [@key] */
};

struct doc_row_label {
	char *label;              /* "eq:NAME" */
	struct doc_loc loc;       /* its \label */
};

struct doc_block {
	enum doc_block_kind kind;
	struct doc_loc loc;
	int level;                /* heading: 1..3 */
	bool numbered;            /* heading: false for #* */
	char *label;              /* "sec:x" from {#sec:x} (heading), eq: (display
	                           * math), fig: (figure), tab: (table), or NULL */
	struct doc_inlines text;  /* heading, paragraph */
	bool ordered;             /* list */
	int start;                /* ordered list: the first number */
	struct doc_list_item *list_items;
	size_t nlist_items;
	char *math;               /* display math source; a spanning display keeps its
	                           * lines as written (indentation included),
	                           * joined by '\n' */
	struct doc_row_label *row_labels; /* display math numbered per row: the
	                           * \label{eq:NAME} of its aligned block's rows, in
	                           * source order (`label` is then NULL) */
	size_t nrow_labels;
	struct doc_loc math_loc;  /* where the math source starts: line k of `math`
	                           * is source line math_loc.line + k, its
	                           * character j at column math_loc.col + j (k = 0)
	                           * or 1 + j (k > 0) */
	char *name;               /* figure */
	struct doc_inlines caption; /* figure, table */
	size_t ncols, nrows;      /* table */
	enum doc_align *align;    /* ncols */
	struct doc_table_cell *cells; /* nrows * ncols, row-major; row 0 is the header */
	struct doc_blocks children; /* note, parameters, if (the then-branch) */
	struct doc_cond *conds;   /* if: all must hold (joined by "and") */
	size_t nconds;
	struct doc_blocks else_blocks; /* if: the "::: else" branch */
	struct doc_reference *refs; /* references */
	size_t nrefs;
};

struct doc {
	char **files;             /* the template files read, in order */
	size_t nfiles;
	struct doc_blocks blocks;
};

/* Reads every DIR/NAME.md in file-name order (strcmp; README.md and names
 * starting with '.' are skipped) into one document; locations name the files
 * DIR/NAME.md.  Reports every markup error through diag at
 * DIR/FILE:LINE:COL (each file's messages in position order) and returns
 * NULL if there was any, after reading every file.  An unreadable directory
 * or file, or a directory without templates, is DIAG_IO_OPEN (exit 1).
 * Caller frees with doc_free. */
struct doc *doc_load_dir(const char *dir);

/* Parses one buffer of len bytes (need not be NUL-terminated; LF or CRLF
 * lines, a leading BOM skipped); `name` is used in locations and copied into
 * (*doc)->files.  Appends its blocks to *doc (created when NULL), even after
 * errors; labels and reference keys are checked for duplicates against the
 * files parsed into *doc before.  False after reporting errors. */
bool doc_parse(struct doc **doc, const char *name, const char *text, size_t len);

void doc_free(struct doc *doc); /* NULL-safe */

/* Writes the tree as indented text, one node per line ("KIND attrs @LINE:COL",
 * a "file NAME" line where the top-level blocks' file changes), for golden
 * tests.  NULL-safe. */
void doc_dump(const struct doc *doc, FILE *out);

#endif
