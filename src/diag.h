/* diag: the one diagnostics channel of the program.
 *
 * Every message is "FILE:LINE:COL: SEVERITY: TEXT" (mandoc style); the text
 * comes from an enum-indexed table in diag.c, so every message the program can
 * print is listed in one place and pinned by golden tests.  The exit status is
 * derived from the worst severity seen: 0 clean or warnings only, 2 bad input
 * (DIAG_ERROR), 1 system or library failure (DIAG_FATAL). */
#ifndef HANDOUT_DIAG_H
#define HANDOUT_DIAG_H

#include <stdio.h>

enum diag_severity { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR, DIAG_FATAL };

/* Keep in the same order as the table in diag.c. */
enum diag_code {
	/* config file and --set (bad input: exit 2) */
	DIAG_CFG_SYNTAX,           /* detail */
	DIAG_CFG_BAD_SECTION,      /* detail */
	DIAG_CFG_UNKNOWN_SECTION,  /* name, hint */
	DIAG_CFG_UNKNOWN_KEY,      /* section.key, hint */
	DIAG_CFG_NO_SECTION,       /* key */
	DIAG_CFG_DUPLICATE_KEY,    /* section.key, previous line */
	DIAG_CFG_EMPTY_VALUE,      /* section.key */
	DIAG_CFG_BAD_NUMBER,       /* section.key, value */
	DIAG_CFG_BAD_INTEGER,      /* section.key, value */
	DIAG_CFG_BAD_BOOL,         /* section.key, value */
	DIAG_CFG_BAD_CHOICE,       /* section.key, value, choices */
	DIAG_CFG_OUT_OF_RANGE,     /* section.key, value, range text */
	DIAG_CFG_BAD_STRING,       /* section.key, detail */
	DIAG_CFG_CONSTRAINT,       /* detail */
	DIAG_CFG_BAD_SET,          /* argument */
	DIAG_MIX_SYNTAX,           /* detail */
	DIAG_MIX_BAD_VALUE,        /* detail */
	/* figure specs, figures/NAME.fig (bad input: exit 2) */
	DIAG_FIG_SYNTAX,           /* detail */
	DIAG_FIG_UNKNOWN_DIRECTIVE,/* name, hint */
	DIAG_FIG_UNKNOWN_ATTR,     /* attribute, directive, hint */
	DIAG_FIG_DUPLICATE_ATTR,   /* attribute, line and column of the first */
	DIAG_FIG_MISSING_ATTR,     /* directive, attribute */
	DIAG_FIG_BAD_VALUE,        /* attribute, what it expects, value */
	DIAG_FIG_OUT_OF_RANGE,     /* attribute, value, range text */
	DIAG_FIG_BAD_PLACEHOLDER,  /* attribute, detail */
	DIAG_FIG_STRUCTURE,        /* detail (order of directives, panel grid) */
	/* plotting a figure: names the spec refers to (plot.c; bad input: exit 2) */
	DIAG_PLOT_UNKNOWN_NAME,    /* placeholder name, hint */
	DIAG_PLOT_NOT_NUMBER,      /* placeholder name, its value */
	DIAG_PLOT_NO_DATASET,      /* dataset, hint */
	DIAG_PLOT_NO_COLUMN,       /* dataset, column, hint */
	DIAG_PLOT_BAD_DATA,        /* detail */
	DIAG_PLOT_BAD_COLOR,       /* attribute, value, hint */
	/* templates, templates/NAME.md (doc.c; bad input: exit 2).  Every text
	 * takes only %s arguments: doc.c sorts its messages before emitting. */
	DIAG_TPL_SYNTAX,           /* detail */
	DIAG_TPL_BAD_UTF8,         /* the byte in hex */
	DIAG_TPL_UNCLOSED,         /* what, the missing delimiter */
	DIAG_TPL_STRAY_CLOSE,      /* - */
	DIAG_TPL_UNKNOWN_DIRECTIVE,/* name, hint */
	DIAG_TPL_BAD_DIRECTIVE,    /* directive, detail */
	DIAG_TPL_NESTING,          /* inner directive, outer directive */
	DIAG_TPL_BAD_LABEL,        /* the label as written, expected kind */
	DIAG_TPL_LABEL_KIND,       /* label, construct, expected kind */
	DIAG_TPL_BAD_PLACEHOLDER,  /* name */
	DIAG_TPL_BAD_FORMAT,       /* format */
	DIAG_TPL_BAD_XREF,         /* detail */
	DIAG_TPL_BAD_CITATION,     /* the citation as written */
	DIAG_TPL_TABLE_CELLS,      /* "N cells" in the row, cells in the header */
	DIAG_TPL_TABLE_NO_ALIGN,   /* - */
	DIAG_TPL_LIST_INDENT,      /* spaces */
	DIAG_TPL_HEADING_LEVEL,    /* level */
	/* math inside $...$ and $$...$$ (texmath.c; bad input: exit 2); %s arguments only */
	DIAG_MATH_SYNTAX,          /* detail */
	DIAG_MATH_UNKNOWN_COMMAND, /* \name, hint */
	DIAG_MATH_UNBALANCED,      /* detail */
	DIAG_MATH_LEFT_WITHOUT_RIGHT, /* the delimiter after \left */
	DIAG_MATH_RIGHT_WITHOUT_LEFT, /* - */
	DIAG_MATH_MISSING_ARG,     /* command, which argument */
	DIAG_MATH_MISPLACED,       /* & or \\ */
	DIAG_MATH_BAD_ENVIRONMENT, /* detail */
	DIAG_MATH_BAD_DELIMITER,   /* token, \left or \right */
	DIAG_MATH_DOUBLE_SCRIPT,   /* superscript or subscript */
	/* layout: names in the templates resolved against the config, the
	 * results, the labels, the references and the figures (layout.c) */
	DIAG_LAY_UNKNOWN_NAME,     /* placeholder name, hint */
	DIAG_LAY_NOT_NUMBER,       /* name, format, its value */
	DIAG_LAY_UNKNOWN_LABEL,    /* label, what it names, hint */
	DIAG_LAY_UNKNOWN_CITATION, /* key, hint */
	DIAG_LAY_UNKNOWN_FIGURE,   /* name, name, hint */
	DIAG_LAY_COND_UNKNOWN,     /* name in '::: if', hint */
	DIAG_LAY_COND_NOT_NUMBER,  /* name in '::: if', its value */
	/* command line */
	DIAG_USAGE,                /* detail */
	/* files and the system (exit 1) */
	DIAG_IO_OPEN,              /* path, strerror */
	DIAG_IO_WRITE,             /* path, strerror */
	DIAG_IO_RENAME,            /* from, to, strerror */
	DIAG_IO_MKDIR,             /* path, strerror */
	DIAG_FONT_MISSING,         /* role, path */
	DIAG_FONT_BAD,             /* role, path, reason */
	DIAG_HYPHEN_MISSING,       /* config key, path, reason */
	DIAG_PDF_LIBRARY,          /* code, meaning, context */
	DIAG_PDF_NO_GLYPH,         /* code point, role, text */
	DIAG_COMPUTE,              /* what, detail */
	DIAG_CODE_COUNT
};

/* Prints one message for `code` at file:line:col (file may be NULL for
 * "handout", line or col 0 to omit them), formatting the table's text with
 * the variadic arguments, and records its severity.  Never fails. */
void diag_emit(enum diag_code code, const char *file, int line, int col, ...);

/* The severity the table assigns to `code`. */
enum diag_severity diag_severity_of(enum diag_code code);

/* Number of messages of severity DIAG_ERROR or worse since the last reset. */
int diag_error_count(void);

/* 0 if nothing worse than a warning was emitted, 2 after an input error, 1
 * after a fatal (system or library) error. */
int diag_exit_status(void);

/* Redirects messages (default stderr; tests pass a memstream) and forgets
 * the recorded severities. */
void diag_reset(FILE *stream);

#endif
