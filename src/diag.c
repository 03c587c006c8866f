#include "diag.h"

#include <stdarg.h>

struct diag_entry {
	enum diag_severity severity;
	const char *format;
};

static const struct diag_entry diag_table[DIAG_CODE_COUNT] = {
	[DIAG_CFG_SYNTAX] = {DIAG_ERROR, "%s"},
	[DIAG_CFG_BAD_SECTION] = {DIAG_ERROR, "malformed section header: %s"},
	[DIAG_CFG_UNKNOWN_SECTION] = {DIAG_ERROR, "unknown section '%s'%s"},
	[DIAG_CFG_UNKNOWN_KEY] = {DIAG_ERROR, "unknown key '%s'%s"},
	[DIAG_CFG_NO_SECTION] = {DIAG_ERROR, "key '%s' appears before any [section] header"},
	[DIAG_CFG_DUPLICATE_KEY] = {DIAG_ERROR, "duplicate key '%s' (first set on line %d)"},
	[DIAG_CFG_EMPTY_VALUE] = {DIAG_ERROR, "'%s' has no value"},
	[DIAG_CFG_BAD_NUMBER] = {DIAG_ERROR, "'%s' expects a number, got '%s'"},
	[DIAG_CFG_BAD_INTEGER] = {DIAG_ERROR, "'%s' expects an integer, got '%s'"},
	[DIAG_CFG_BAD_BOOL] = {DIAG_ERROR, "'%s' expects true or false, got '%s'"},
	[DIAG_CFG_BAD_CHOICE] = {DIAG_ERROR, "'%s' expects one of %s, got '%s'"},
	[DIAG_CFG_OUT_OF_RANGE] = {DIAG_ERROR, "'%s' = %s is out of range (%s)"},
	[DIAG_CFG_BAD_STRING] = {DIAG_ERROR, "'%s': %s"},
	[DIAG_CFG_CONSTRAINT] = {DIAG_ERROR, "%s"},
	[DIAG_CFG_BAD_SET] = {DIAG_ERROR, "--set expects section.key=value, got '%s'"},
	[DIAG_MIX_SYNTAX] = {DIAG_ERROR, "mixture: %s"},
	[DIAG_MIX_BAD_VALUE] = {DIAG_ERROR, "mixture: %s"},
	[DIAG_FIG_SYNTAX] = {DIAG_ERROR, "%s"},
	[DIAG_FIG_UNKNOWN_DIRECTIVE] = {DIAG_ERROR, "unknown directive '%s'%s"},
	[DIAG_FIG_UNKNOWN_ATTR] = {DIAG_ERROR, "unknown attribute '%s' for '%s'%s"},
	[DIAG_FIG_DUPLICATE_ATTR] = {DIAG_ERROR, "duplicate attribute '%s' (first given at %d:%d)"},
	[DIAG_FIG_MISSING_ATTR] = {DIAG_ERROR, "'%s' requires attribute '%s'"},
	[DIAG_FIG_BAD_VALUE] = {DIAG_ERROR, "'%s' expects %s, got '%s'"},
	[DIAG_FIG_OUT_OF_RANGE] = {DIAG_ERROR, "'%s' = %s is out of range (%s)"},
	[DIAG_FIG_BAD_PLACEHOLDER] = {DIAG_ERROR, "'%s': %s"},
	[DIAG_FIG_STRUCTURE] = {DIAG_ERROR, "%s"},
	[DIAG_PLOT_UNKNOWN_NAME] = {DIAG_ERROR, "unknown placeholder '{{%s}}': no config key or computed result has that name%s"},
	[DIAG_PLOT_NOT_NUMBER] = {DIAG_ERROR, "'{{%s}}' must be a number here, but its value is '%s'"},
	[DIAG_PLOT_NO_DATASET] = {DIAG_ERROR, "no dataset '%s'%s"},
	[DIAG_PLOT_NO_COLUMN] = {DIAG_ERROR, "dataset '%s' has no column '%s'%s"},
	[DIAG_PLOT_BAD_DATA] = {DIAG_ERROR, "%s"},
	[DIAG_PLOT_BAD_COLOR] = {DIAG_ERROR, "%s: unknown colour '%s'%s"},
	[DIAG_TPL_SYNTAX] = {DIAG_ERROR, "%s"},
	[DIAG_TPL_BAD_UTF8] = {DIAG_ERROR, "invalid UTF-8 (byte 0x%s); templates are UTF-8 text"},
	[DIAG_TPL_UNCLOSED] = {DIAG_ERROR, "unclosed %s (missing '%s')"},
	[DIAG_TPL_STRAY_CLOSE] = {DIAG_ERROR, "':::' closes no open block"},
	[DIAG_TPL_UNKNOWN_DIRECTIVE] = {DIAG_ERROR, "unknown directive '%s'%s"},
	[DIAG_TPL_BAD_DIRECTIVE] = {DIAG_ERROR, "'::: %s' %s"},
	[DIAG_TPL_NESTING] = {DIAG_ERROR, "'%s' cannot be inside '%s' (close it first with ':::')"},
	[DIAG_TPL_BAD_LABEL] = {DIAG_ERROR, "malformed label '%s' (expected {#%s:NAME} at the end of the line; a NAME is letters, digits, '_', and '-', '.' or ':' inside)"},
	[DIAG_TPL_LABEL_KIND] = {DIAG_ERROR, "label '%s' on a %s must start with '%s:'"},
	[DIAG_TPL_BAD_PLACEHOLDER] = {DIAG_ERROR, "bad placeholder name '%s' (expected a dotted name such as kl.at_mean)"},
	[DIAG_TPL_BAD_FORMAT] = {DIAG_ERROR, "bad placeholder format '%s' (expected one printf conversion of a number: %%, flags -+ #0, width and .precision of at most two digits, then f, F, e, E, g or G, such as %%.4f)"},
	[DIAG_TPL_BAD_XREF] = {DIAG_ERROR, "%s"},
	[DIAG_TPL_BAD_CITATION] = {DIAG_ERROR, "malformed citation '%s' (expected [@key] or [@key1; @key2])"},
	[DIAG_TPL_TABLE_CELLS] = {DIAG_ERROR, "table row has %s, but the header has %s"},
	[DIAG_TPL_TABLE_NO_ALIGN] = {DIAG_ERROR, "table has no alignment row (the row after the header must be like '| :-- | :-: | --: |')"},
	[DIAG_TPL_LIST_INDENT] = {DIAG_ERROR, "list item indented by %s spaces, not a multiple of two (indent by two spaces per nesting level)"},
	[DIAG_TPL_HEADING_LEVEL] = {DIAG_ERROR, "heading level %s is too deep (use #, ## or ###)"},
	[DIAG_MATH_SYNTAX] = {DIAG_ERROR, "%s"},
	[DIAG_MATH_UNKNOWN_COMMAND] = {DIAG_ERROR, "unknown command '%s'%s"},
	[DIAG_MATH_UNBALANCED] = {DIAG_ERROR, "unbalanced braces: %s"},
	[DIAG_MATH_LEFT_WITHOUT_RIGHT] = {DIAG_ERROR, "'\\left%s' has no matching '\\right'"},
	[DIAG_MATH_RIGHT_WITHOUT_LEFT] = {DIAG_ERROR, "'\\right' has no matching '\\left'"},
	[DIAG_MATH_MISSING_ARG] = {DIAG_ERROR, "'%s' is missing its %s"},
	[DIAG_MATH_MISPLACED] = {DIAG_ERROR, "'%s' is only allowed at the top level of \\begin{aligned} ... \\end{aligned}"},
	[DIAG_MATH_BAD_ENVIRONMENT] = {DIAG_ERROR, "%s"},
	[DIAG_MATH_BAD_DELIMITER] = {DIAG_ERROR, "'%s' is not a delimiter for '%s' (use ( ) [ ] \\{ \\} | \\| \\langle \\rangle or .)"},
	[DIAG_MATH_DOUBLE_SCRIPT] = {DIAG_ERROR, "double %s (put both parts in one group, x^{ab}, or nest them, {x^a}^b)"},
	[DIAG_LAY_UNKNOWN_NAME] = {DIAG_ERROR, "unknown placeholder '{{%s}}': no config key or computed result has that name%s"},
	[DIAG_LAY_NOT_NUMBER] = {DIAG_ERROR, "'{{%s|%s}}' formats a number, but the value is '%s'"},
	[DIAG_LAY_UNKNOWN_LABEL] = {DIAG_ERROR, "unknown cross-reference '@%s': no %s has that label%s"},
	[DIAG_LAY_UNKNOWN_CITATION] = {DIAG_ERROR, "unknown citation key '%s': no entry of '::: references' has that key%s"},
	[DIAG_LAY_UNKNOWN_FIGURE] = {DIAG_ERROR, "unknown figure '%s': there is no figures/%s.fig%s"},
	[DIAG_LAY_COND_UNKNOWN] = {DIAG_ERROR, "unknown name '%s' in '::: if': no config key or computed result has that name%s"},
	[DIAG_LAY_COND_NOT_NUMBER] = {DIAG_ERROR, "'::: if' compares '%s' with a number, but its value is '%s'"},
	[DIAG_USAGE] = {DIAG_ERROR, "%s (try --help)"},
	[DIAG_IO_OPEN] = {DIAG_FATAL, "cannot open '%s': %s"},
	[DIAG_IO_WRITE] = {DIAG_FATAL, "cannot write '%s': %s"},
	[DIAG_IO_RENAME] = {DIAG_FATAL, "cannot rename '%s' to '%s': %s"},
	[DIAG_IO_MKDIR] = {DIAG_FATAL, "cannot create directory '%s': %s"},
	[DIAG_FONT_MISSING] = {DIAG_FATAL, "%s font not found at '%s' (install the Debian font packages: make deps)"},
	[DIAG_FONT_BAD] = {DIAG_FATAL, "%s font '%s' cannot be used: %s"},
	[DIAG_HYPHEN_MISSING] = {DIAG_FATAL, "%s: hyphenation dictionary '%s' cannot be read: %s (install the Debian package hyphen-en-us: make deps)"},
	[DIAG_PDF_LIBRARY] = {DIAG_FATAL, "PDF library error 0x%04X (%s) while %s"},
	[DIAG_PDF_NO_GLYPH] = {DIAG_WARNING, "no font has a glyph for U+%04X (%s text '%s'); left out"},
	[DIAG_COMPUTE] = {DIAG_FATAL, "computation failed: %s: %s"},
};

static const char *const severity_names[] = {
	[DIAG_NOTE] = "note",
	[DIAG_WARNING] = "warning",
	[DIAG_ERROR] = "error",
	[DIAG_FATAL] = "error",
};

static FILE *diag_stream;
static enum diag_severity worst = DIAG_NOTE;
static int errors;

void
diag_emit(enum diag_code code, const char *file, int line, int col, ...)
{
	FILE *out = diag_stream ? diag_stream : stderr;
	const struct diag_entry *e = &diag_table[code];

	fputs(file ? file : "handout", out);
	if (file && line > 0) {
		fprintf(out, ":%d", line);
		if (col > 0)
			fprintf(out, ":%d", col);
	}
	fprintf(out, ": %s: ", severity_names[e->severity]);

	va_list ap;
	va_start(ap, col);
	vfprintf(out, e->format, ap);
	va_end(ap);
	fputc('\n', out);
	fflush(out);

	if (e->severity > worst)
		worst = e->severity;
	if (e->severity >= DIAG_ERROR)
		errors++;
}

enum diag_severity
diag_severity_of(enum diag_code code)
{
	return diag_table[code].severity;
}

int
diag_error_count(void)
{
	return errors;
}

int
diag_exit_status(void)
{
	switch (worst) {
	case DIAG_FATAL:
		return 1;
	case DIAG_ERROR:
		return 2;
	default:
		return 0;
	}
}

void
diag_reset(FILE *stream)
{
	diag_stream = stream;
	worst = DIAG_NOTE;
	errors = 0;
}
