/* doc: every construct of templates/README.md, nesting, escapes, tables,
 * locations in CJK text, the shipped templates/ (zero errors), a golden dump
 * of tests/doc/sample.md and the exact error messages.  Run from the
 * repository root.  DOC_UPDATE_GOLDEN=1 rewrites tests/doc/sample.dump. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "doc.h"

/* ------------------------------------------------------------ helpers */

/* Parses `text` as "t.md"; fails the test on any message. */
static struct doc *
parse_ok(const char *text)
{
	struct doc *doc = NULL;

	capture();
	bool ok = doc_parse(&doc, "t.md", text, strlen(text));
	char *got = captured();

	if (!ok || got[0] != '\0') {
		fprintf(stderr, "input:\n%s\n--- messages\n%s---\n", text, got);
		free(got);
		doc_free(doc);
		fail();
	}
	free(got);
	return doc;
}

/* Parses `text` as "t.md" and compares every message with `want`. */
static void
assert_diags(const char *text, const char *want)
{
	struct doc *doc = NULL;

	capture();
	bool ok = doc_parse(&doc, "t.md", text, strlen(text));
	char *got = captured();

	if (strcmp(got, want) != 0) {
		fprintf(stderr, "input:\n%s\n--- want\n%s--- got\n%s---\n", text, want, got);
		free(got);
		doc_free(doc);
		fail();
	}
	free(got);
	assert_false(ok);
	doc_free(doc);
}

static char *
dump_of(const struct doc *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	doc_dump(doc, f);
	fclose(f);
	return buf;
}

/* The dump of `text` less its two header lines must be `want`. */
static void
assert_dump(const char *text, const char *want)
{
	struct doc *doc = parse_ok(text);
	char *got = dump_of(doc);
	const char *body = got;

	for (int k = 0; k < 2 && body; k++) {
		body = strchr(body, '\n');
		body = body ? body + 1 : NULL;
	}
	if (body == NULL)
		body = "";
	if (strcmp(body, want) != 0) {
		fprintf(stderr, "input:\n%s\n--- want\n%s--- got\n%s---\n", text, want, body);
		free(got);
		doc_free(doc);
		fail();
	}
	free(got);
	doc_free(doc);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* ------------------------------------------------------------ blocks */

static void
test_headings(void **state)
{
	(void)state;
	assert_dump("# 一 {#sec:one}\n"
	            "## 二\n"
	            "### 三 {#sec:a.b-c:d_e}\n"
	            "#* 无编号\n"
	            "##* 无编号二 {#sec:u}\n"
	            "# 转义 \\{#sec:not}\n",
	    "heading level=1 label=sec:one @1:1\n"
	    "  text \"一\" @1:3\n"
	    "heading level=2 @2:1\n"
	    "  text \"二\" @2:4\n"
	    "heading level=3 label=sec:a.b-c:d_e @3:1\n"
	    "  text \"三\" @3:5\n"
	    "heading level=1 unnumbered @4:1\n"
	    "  text \"无编号\" @4:4\n"
	    "heading level=2 unnumbered label=sec:u @5:1\n"
	    "  text \"无编号二\" @5:5\n"
	    "heading level=1 @6:1\n"
	    "  text \"转义 {#sec:not}\" @6:3\n");
}

static void
test_paragraphs(void **state)
{
	(void)state;
	/* Soft breaks kept; blank lines and blocks end a paragraph; lines
	 * trimmed; a comment line is dropped without ending it. */
	assert_dump("第一行  \n"
	            "  第二行\n"
	            "% 注释\n"
	            "第三行\n"
	            "\n"
	            "另一段\n"
	            "# 标题\n",
	    "paragraph @1:1\n"
	    "  text \"第一行\" @1:1\n"
	    "  softbreak @1:6\n"
	    "  text \"第二行\" @2:3\n"
	    "  softbreak @2:6\n"
	    "  text \"第三行\" @4:1\n"
	    "paragraph @6:1\n"
	    "  text \"另一段\" @6:1\n"
	    "heading level=1 @7:1\n"
	    "  text \"标题\" @7:3\n");
}

static void
test_lists(void **state)
{
	(void)state;
	assert_dump("- a\n"
	            "  续\n"
	            "  - b\n"
	            "    - c\n"
	            "   更多\n"
	            "\n"
	            "- d\n"
	            "\n"
	            "  第二段\n"
	            "7. x\n"
	            "8. y\n"
	            "文字\n",
	    "list bullet @1:1\n"
	    "  item @1:1\n"
	    "    paragraph @1:3\n"
	    "      text \"a\" @1:3\n"
	    "      softbreak @1:4\n"
	    "      text \"续\" @2:3\n"
	    "    list bullet @3:3\n"
	    "      item @3:3\n"
	    "        paragraph @3:5\n"
	    "          text \"b\" @3:5\n"
	    "        list bullet @4:5\n"
	    "          item @4:5\n"
	    "            paragraph @4:7\n"
	    "              text \"c\" @4:7\n"
	    "        paragraph @5:4\n"
	    "          text \"更多\" @5:4\n"
	    "  item @7:1\n"
	    "    paragraph @7:3\n"
	    "      text \"d\" @7:3\n"
	    "    paragraph @9:3\n"
	    "      text \"第二段\" @9:3\n"
	    "list ordered start=7 @10:1\n"
	    "  item @10:1\n"
	    "    paragraph @10:4\n"
	    "      text \"x\" @10:4\n"
	    "  item @11:1\n"
	    "    paragraph @11:4\n"
	    "      text \"y\" @11:4\n"
	    "paragraph @12:1\n"
	    "  text \"文字\" @12:1\n");
}

static void
test_list_details(void **state)
{
	(void)state;
	/* A first line is text whatever it looks like; "-x" and "1.5" are no
	 * markers; an ordered item continues past its marker; switching the
	 * marker kind starts a new list. */
	assert_dump("- # 不是标题\n"
	            "-x 与 1.5 不是列表\n"
	            "\n"
	            "1. 有序\n"
	            "   续行\n"
	            "- 无序\n",
	    "list bullet @1:1\n"
	    "  item @1:1\n"
	    "    paragraph @1:3\n"
	    "      text \"# 不是标题\" @1:3\n"
	    "paragraph @2:1\n"
	    "  text \"-x 与 1.5 不是列表\" @2:1\n"
	    "list ordered start=1 @4:1\n"
	    "  item @4:1\n"
	    "    paragraph @4:4\n"
	    "      text \"有序\" @4:4\n"
	    "      softbreak @4:6\n"
	    "      text \"续行\" @5:4\n"
	    "list bullet @6:1\n"
	    "  item @6:1\n"
	    "    paragraph @6:3\n"
	    "      text \"无序\" @6:3\n");
}

static void
test_display_math(void **state)
{
	(void)state;
	assert_dump("$$ a*b_c [@x] $$ {#eq:one}\n"
	            "$$\n"
	            "x \\\\\n"
	            "  y\n"
	            "$$ {#eq:two}\n"
	            "\n"
	            "- 项\n"
	            "  $$\n"
	            "  z\n"
	            "  $$\n"
	            "$$ \\$ $$\n",
	    "display-math label=eq:one @1:1\n"
	    "  math \"a*b_c [@x]\" @1:4\n"
	    "display-math label=eq:two @2:1\n"
	    "  math \"x \\\\\\\\\\n  y\" @3:1\n"
	    "list bullet @7:1\n"
	    "  item @7:1\n"
	    "    paragraph @7:3\n"
	    "      text \"项\" @7:3\n"
	    "    display-math @8:3\n"
	    "      math \"  z\" @9:1\n"
	    "display-math @11:1\n"
	    "  math \"\\\\$\" @11:4\n");
}

/* Rows of an aligned block numbered per row: their \\label{eq:…}s in
 * order, each at its backslash; \\\\label is a row break and "label". */
static void
test_display_math_row_labels(void **state)
{
	(void)state;
	assert_dump("$$\n"
	            "\\begin{aligned}\n"
	            "a &= b \\label{eq:a} \\\\\n"
	            "  &= c \\notag \\\\label{x}\n"
	            "  &= 中 \\label{ eq:b }\n"
	            "\\end{aligned}\n"
	            "$$\n"
	            "$$ \\begin{aligned} x \\label {eq:c} \\end{aligned} $$\n",
	    "display-math @1:1\n"
	    "  math \"\\\\begin{aligned}\\na &= b \\\\label{eq:a} \\\\\\\\\\n"
	    "  &= c \\\\notag \\\\\\\\label{x}\\n  &= 中 \\\\label{ eq:b }\\n"
	    "\\\\end{aligned}\" @2:1\n"
	    "  row-label eq:a @3:8\n"
	    "  row-label eq:b @5:8\n"
	    "display-math @8:1\n"
	    "  math \"\\\\begin{aligned} x \\\\label {eq:c} \\\\end{aligned}\" @8:4\n"
	    "  row-label eq:c @8:22\n");
}

/* "::: if" blocks: conditions joined by "and", an else-branch, nesting in
 * notes and in each other; what a branch holds may stand where the block
 * stands (a figure at the top level). */
static void
test_conditionals(void **state)
{
	(void)state;
	assert_dump("::: if prior.mean == 0 and gan.js.converged < 1e-9\n"
	            "甲\n"
	            "::: else\n"
	            "乙\n"
	            "\n"
	            "::: figure f\n"
	            "图注\n"
	            ":::\n"
	            ":::\n"
	            "::: note\n"
	            "  ::: if a.b >= -2.5\n"
	            "  ::: if c != 1\n"
	            "  丙\n"
	            "  :::\n"
	            "  :::\n"
	            ":::\n"
	            "::: if x <= 3\n"
	            ":::\n",
	    "if prior.mean == 0 and gan.js.converged < 1.0000000000000001e-09 @1:1\n"
	    "  paragraph @2:1\n"
	    "    text \"甲\" @2:1\n"
	    "else\n"
	    "  paragraph @4:1\n"
	    "    text \"乙\" @4:1\n"
	    "  figure name=f @6:1\n"
	    "    caption\n"
	    "      text \"图注\" @7:1\n"
	    "note @10:1\n"
	    "  if a.b >= -2.5 @11:3\n"
	    "    if c != 1 @12:3\n"
	    "      paragraph @13:3\n"
	    "        text \"丙\" @13:3\n"
	    "if x <= 3 @17:1\n");
	struct doc *doc = parse_ok("::: if a > 1\n:::\n");
	assert_int_equal(doc->blocks.items[0].kind, DOC_IF);
	assert_int_equal(doc->blocks.items[0].nconds, 1);
	assert_int_equal(doc->blocks.items[0].conds[0].op, DOC_CMP_GT);
	assert_int_equal(doc->blocks.items[0].conds[0].loc.col, 8);
	doc_free(doc);
}

/* Malformed conditions, a stray or second else, an unclosed block, labels
 * and headings inside, a figure inside a note's conditional block. */
static void
test_conditional_errors(void **state)
{
	(void)state;
	assert_diags("::: if a => 1\n:::\n",
	    "t.md:1:10: error: '::: if' has a bad operator '=>' (expected <, <=, >, >=, == or !=)\n");
	assert_diags("::: if a ==\n:::\n", "t.md:1:12: error: '::: if' has no number after '=='\n");
	assert_diags("::: if a == 1x\n:::\n",
	    "t.md:1:13: error: '::: if' compares with '1x', which is not a number\n");
	assert_diags("::: if a\n:::\n",
	    "t.md:1:9: error: '::: if' has no operator after 'a' (expected <, <=, >, >=, == or !=, "
	    "then a number)\n");
	assert_diags("::: if 2 < a\n:::\n",
	    "t.md:1:8: error: '::: if' expects a config key or result name, got '2'\n");
	assert_diags("::: if a == 1 and\n:::\n",
	    "t.md:1:15: error: '::: if' expects 'and' or the end of the line, got 'and'\n");
	assert_diags("::: if a == 1 && b == 2\n:::\n",
	    "t.md:1:15: error: '::: if' expects 'and' or the end of the line, got '&& b == 2'\n");
	assert_diags("文字\n::: else\n",
	    "t.md:2:1: error: '::: else' without an open '::: if' block (an else closes no other "
	    "block)\n");
	assert_diags("::: note\n::: else\n:::\n",
	    "t.md:2:1: error: '::: else' without an open '::: if' block (an else closes no other "
	    "block)\n");
	assert_diags("::: if a == 1\n::: else\n::: else\n:::\n",
	    "t.md:3:1: error: a second '::: else' in one '::: if' block\n");
	assert_diags("::: if a == 1\n文字\n", "t.md:1:1: error: unclosed '::: if' block (missing ':::')\n");
	assert_diags("::: if a == 1\n$$ x $$ {#eq:x}\n::: else\n::: figure f {#fig:f}\n图注\n:::\n:::\n",
	    "t.md:2:9: error: label 'eq:x' inside '::: if': a numbered target must not depend on the "
	    "parameters (put it outside the conditional block)\n"
	    "t.md:4:14: error: label 'fig:f' inside '::: if': a numbered target must not depend on the "
	    "parameters (put it outside the conditional block)\n");
	assert_diags("::: if a == 1\n# 标题\n:::\n",
	    "t.md:2:1: error: a heading cannot be inside '::: if'\n");
	assert_diags("::: note\n::: if a == 1\n::: figure f\n图注\n:::\n:::\n:::\n",
	    "t.md:3:1: error: '::: figure' cannot be inside '::: note' (close it first with ':::')\n");
}

static void
test_figure_note_references_parameters(void **state)
{
	(void)state;
	assert_dump("::: figure fig-1_a {#fig:f}\n"
	            "图注 {{a.b}}\n"
	            "第二行\n"
	            ":::\n"
	            "::: note\n"
	            "注 [@k]\n"
	            "\n"
	            "  ::: note\n"
	            "  内层\n"
	            "  :::\n"
	            ":::\n"
	            "::: references\n"
	            "\n"
	            "[@k] 作者 (2020). *题目*.\n"
	            ":::\n"
	            "::: parameters\n"
	            ":::\n",
	    "figure name=fig-1_a label=fig:f @1:1\n"
	    "  caption\n"
	    "    text \"图注 \" @2:1\n"
	    "    placeholder a.b @2:4\n"
	    "    softbreak @2:11\n"
	    "    text \"第二行\" @3:1\n"
	    "note @5:1\n"
	    "  paragraph @6:1\n"
	    "    text \"注 \" @6:1\n"
	    "    cite k @6:3\n"
	    "  note @8:3\n"
	    "    paragraph @9:3\n"
	    "      text \"内层\" @9:3\n"
	    "references @12:1\n"
	    "  ref k @14:1\n"
	    "    text \"作者 (2020). \" @14:6\n"
	    "    emph @14:17\n"
	    "      text \"题目\" @14:18\n"
	    "    text \".\" @14:21\n"
	    "parameters @16:1\n");
}

static void
test_tables(void **state)
{
	(void)state;
	/* Alignments, a trailing '|' optional, "\|" everywhere in a cell,
	 * empty cells, inline markup in cells. */
	assert_dump("::: table {#tab:t}\n"
	            "表注\n"
	            "| a | b | c | d\n"
	            "|---|:--|:-:|--:|\n"
	            "| `x\\|y` | $p(z\\|x)$ | {{k\\|%.1f}} | *e* \\\\|\n"
	            "|| \\| | | |\n"
	            ":::\n",
	    "table label=tab:t cols=4 rows=3 align=left,left,center,right @1:1\n"
	    "  caption\n"
	    "    text \"表注\" @2:1\n"
	    "  row 0\n"
	    "    cell 0 @3:3\n"
	    "      text \"a\" @3:3\n"
	    "    cell 1 @3:7\n"
	    "      text \"b\" @3:7\n"
	    "    cell 2 @3:11\n"
	    "      text \"c\" @3:11\n"
	    "    cell 3 @3:15\n"
	    "      text \"d\" @3:15\n"
	    "  row 1\n"
	    "    cell 0 @5:3\n"
	    "      code \"x|y\" @5:3\n"
	    "    cell 1 @5:12\n"
	    "      math \"p(z|x)\" @5:12\n"
	    "    cell 2 @5:24\n"
	    "      placeholder k format=\"%.1f\" @5:24\n"
	    "    cell 3 @5:38\n"
	    "      emph @5:38\n"
	    "        text \"e\" @5:39\n"
	    "      text \" \\\\\" @5:41\n"
	    "  row 2\n"
	    "    cell 0 @6:2\n"
	    "    cell 1 @6:4\n"
	    "      text \"|\" @6:4\n"
	    "    cell 2 @6:8\n"
	    "    cell 3 @6:10\n");
}

/* ------------------------------------------------------------ inlines */

static void
test_emphasis_nesting(void **state)
{
	(void)state;
	assert_dump("*a **b** c* **d *e* f** ***g*** *跨\n行*\n",
	    "paragraph @1:1\n"
	    "  emph @1:1\n"
	    "    text \"a \" @1:2\n"
	    "    strong @1:4\n"
	    "      text \"b\" @1:6\n"
	    "    text \" c\" @1:9\n"
	    "  text \" \" @1:12\n"
	    "  strong @1:13\n"
	    "    text \"d \" @1:15\n"
	    "    emph @1:17\n"
	    "      text \"e\" @1:18\n"
	    "    text \" f\" @1:20\n"
	    "  text \" \" @1:24\n"
	    "  strong @1:25\n"
	    "    emph @1:27\n"
	    "      text \"g\" @1:28\n"
	    "  text \" \" @1:32\n"
	    "  emph @1:33\n"
	    "    text \"跨\" @1:34\n"
	    "    softbreak @1:35\n"
	    "    text \"行\" @2:1\n");
}

static void
test_code_and_math_are_raw(void **state)
{
	(void)state;
	assert_dump("`*{{x}}* \\` $D^{*}(x) q(z|x) [@k] @fig:x a_b \\$ \\\\$ 后\n",
	    "paragraph @1:1\n"
	    "  code \"*{{x}}* \\\\\" @1:1\n"
	    "  text \" \" @1:12\n"
	    "  math \"D^{*}(x) q(z|x) [@k] @fig:x a_b \\\\$ \\\\\\\\\" @1:13\n"
	    "  text \" 后\" @1:52\n");
}

static void
test_placeholders(void **state)
{
	(void)state;
	assert_dump("{{posterior.q_mean}}{{kde.levels.class0.0|%.2f}}{{_x|%-+ #08.12e}}{{y|%G}}"
	            "{{z|%5g}}{{w|%.F}}{x}\n",
	    "paragraph @1:1\n"
	    "  placeholder posterior.q_mean @1:1\n"
	    "  placeholder kde.levels.class0.0 format=\"%.2f\" @1:21\n"
	    "  placeholder _x format=\"%-+ #08.12e\" @1:49\n"
	    "  placeholder y format=\"%G\" @1:67\n"
	    "  placeholder z format=\"%5g\" @1:75\n"
	    "  placeholder w format=\"%.F\" @1:84\n"
	    "  text \"{x}\" @1:93\n");
}

static void
test_xrefs(void **state)
{
	(void)state;
	/* A label ends before CJK text and punctuation, a space, and a final
	 * '.', ':' or '-'; '@' without "word:" is text. */
	assert_dump("见@fig:moons。@tab:a.b，@eq:x-1: @sec:s. a@b 与 @x\n",
	    "paragraph @1:1\n"
	    "  text \"见\" @1:1\n"
	    "  xref fig:moons @1:2\n"
	    "  text \"。\" @1:12\n"
	    "  xref tab:a.b @1:13\n"
	    "  text \"，\" @1:21\n"
	    "  xref eq:x-1 @1:22\n"
	    "  text \": \" @1:29\n"
	    "  xref sec:s @1:31\n"
	    "  text \". a@b 与 @x\" @1:37\n");
}

static void
test_citations(void **state)
{
	(void)state;
	assert_dump("[@a][@b; @c-1]、[@d ;@e] [x] [", 
	    "paragraph @1:1\n"
	    "  cite a @1:1\n"
	    "  cite b,c-1 @1:5\n"
	    "  text \"、\" @1:15\n"
	    "  cite d,e @1:16\n"
	    "  text \" [x] [\" @1:24\n");
}

static void
test_escapes(void **state)
{
	(void)state;
	assert_dump("\\* \\$ \\{{x}} \\@fig:a \\\\ \\[@k] \\| \\a \\` \\# 末尾\\\n"
	            "\\# 不是标题\n"
	            "\\- 不是列表\n",
	    "paragraph @1:1\n"
	    "  text \"* $ {{x}} @fig:a \\\\ [@k] | \\\\a ` # 末尾\\\\\" @1:1\n"
	    "  softbreak @1:46\n"
	    "  text \"# 不是标题\" @2:1\n"
	    "  softbreak @2:8\n"
	    "  text \"- 不是列表\" @3:1\n");
}

static void
test_crlf_bom_columns(void **state)
{
	(void)state;
	/* A BOM is not a column; CRLF ends lines; columns count characters. */
	assert_dump("\xEF\xBB\xBF# 标题\r\n\r\n中文 $x$ 𝑥 @eq:a\r\n",
	    "heading level=1 @1:1\n"
	    "  text \"标题\" @1:3\n"
	    "paragraph @3:1\n"
	    "  text \"中文 \" @3:1\n"
	    "  math \"x\" @3:4\n"
	    "  text \" 𝑥 \" @3:7\n"
	    "  xref eq:a @3:10\n");
}

static void
test_empty_and_comments_only(void **state)
{
	(void)state;
	assert_dump("", "");
	assert_dump("% only a comment\n\n\n", "");
}

/* ------------------------------------------------------------ documents */

static void
test_templates_directory(void **state)
{
	(void)state;
	capture();
	struct doc *doc = doc_load_dir("templates");
	char *got = captured();

	if (got[0] != '\0')
		print_error("%s", got);
	assert_string_equal(got, "");
	free(got);
	assert_non_null(doc);
	assert_true(doc->nfiles >= 7);
	for (size_t i = 0; i < doc->nfiles; i++) {
		assert_non_null(strstr(doc->files[i], "templates/"));
		assert_null(strstr(doc->files[i], "README"));
		if (i > 0)
			assert_true(strcmp(doc->files[i - 1], doc->files[i]) < 0);
	}

	/* A few landmarks of the shipped text. */
	size_t figures = 0, tables = 0, refs = 0, params = 0, labelled_math = 0;
	bool overview = false;
	for (size_t i = 0; i < doc->blocks.n; i++) {
		const struct doc_block *b = &doc->blocks.items[i];

		figures += b->kind == DOC_FIGURE;
		tables += b->kind == DOC_TABLE;
		params += b->kind == DOC_PARAMETERS;
		labelled_math += b->kind == DOC_DISPLAY_MATH && b->label != NULL;
		if (b->kind == DOC_REFERENCES)
			refs += b->nrefs;
		if (b->kind == DOC_HEADING && b->label && strcmp(b->label, "sec:overview") == 0)
			overview = b->level == 1 && b->numbered;
		if (b->kind == DOC_TABLE) {
			assert_true(b->ncols >= 2);
			assert_non_null(b->caption.items);
		}
		if (b->kind == DOC_FIGURE) {
			assert_non_null(b->name);
			assert_non_null(b->label);
		}
	}
	assert_int_equal(figures, 4);
	assert_true(tables >= 8);
	assert_int_equal(refs, 4);
	assert_int_equal(params, 1);
	assert_true(labelled_math >= 10);
	assert_true(overview);

	char *dump = dump_of(doc);
	assert_non_null(strstr(dump, "file templates/01-overview.md\n"));
	assert_non_null(strstr(dump, "placeholder gan.js.initial format=\"%.10f\""));
	free(dump);
	doc_free(doc);
}

static void
test_golden_dump(void **state)
{
	(void)state;
	size_t len, want_len;
	char *text = slurp("tests/doc/sample.md", &len);

	assert_non_null(text);
	struct doc *doc = NULL;
	capture();
	bool ok = doc_parse(&doc, "tests/doc/sample.md", text, len);
	char *msgs = captured();
	if (!ok)
		print_error("%s", msgs);
	assert_true(ok);
	free(msgs);
	char *got = dump_of(doc);

	if (getenv("DOC_UPDATE_GOLDEN")) {
		FILE *f = fopen("tests/doc/sample.dump", "w");

		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	char *want = slurp("tests/doc/sample.dump", &want_len);
	assert_non_null(want);
	if (strcmp(got, want) != 0) {
		/* Print the first differing line. */
		const char *g = got, *w = want;
		int line = 1;

		while (*g && *g == *w) {
			if (*g == '\n')
				line++;
			g++;
			w++;
		}
		print_error("tests/doc/sample.dump:%d differs (rerun with DOC_UPDATE_GOLDEN=1 "
		    "to re-bless, then review with git diff)\n", line);
		free(got);
		free(want);
		free(text);
		doc_free(doc);
		fail();
	}
	free(got);
	free(want);
	free(text);
	doc_free(doc);
}

static void
test_several_files_share_names(void **state)
{
	(void)state;
	struct doc *doc = NULL;
	const char *a = "# A {#sec:a}\n::: references\n[@k] K.\n:::\n";
	const char *b = "# B {#sec:a}\n::: references\n[@k] K again.\n:::\n";

	capture();
	assert_true(doc_parse(&doc, "a.md", a, strlen(a)));
	assert_false(doc_parse(&doc, "b.md", b, strlen(b)));
	char *got = captured();

	assert_string_equal(got,
	    "b.md:1:5: error: duplicate label 'sec:a' (first defined at a.md:1)\n"
	    "b.md:3:1: error: duplicate reference key 'k' (first defined at a.md:3)\n");
	free(got);
	assert_int_equal(doc->nfiles, 2);
	assert_string_equal(doc->blocks.items[0].loc.file, "a.md");
	assert_string_equal(doc->blocks.items[2].loc.file, "b.md");
	doc_free(doc);
}

static void
test_load_dir_failures(void **state)
{
	(void)state;
	capture();
	assert_null(doc_load_dir("tests/doc/no-such-directory"));
	char *got = captured();

	assert_non_null(strstr(got, "handout: error: cannot open 'tests/doc/no-such-directory': "));
	free(got);

	capture();
	assert_null(doc_load_dir("src"));
	got = captured();
	assert_string_equal(got, "handout: error: cannot open 'src': no template files (NAME.md)\n");
	free(got);
}

static void
test_free_and_dump_null(void **state)
{
	(void)state;
	doc_free(NULL);
	char *got = dump_of(NULL);
	assert_string_equal(got, "");
	free(got);
}

/* ------------------------------------------------------------ errors */

static void
test_error_unclosed_inline(void **state)
{
	(void)state;
	assert_diags("文字 $x + y\n"
	             "和 `code 以及 {{kl.at_mean\n"
	             "*强调 **粗体 [@k\n",
	    "t.md:1:4: error: unclosed inline math (missing '$')\n"
	    "t.md:2:3: error: unclosed code (missing '`')\n"
	    "t.md:2:12: error: unclosed placeholder (missing '}}')\n"
	    "t.md:3:1: error: unclosed emphasis (missing '*')\n"
	    "t.md:3:5: error: unclosed strong emphasis (missing '**')\n"
	    "t.md:3:10: error: unclosed citation (missing ']')\n");
	/* Math does not span lines; "$$" in running text is no inline math. */
	assert_diags("a $x\ny b $$c$$ d\n",
	    "t.md:1:3: error: unclosed inline math (missing '$')\n"
	    "t.md:2:5: error: display math '$$' must be on lines of its own (inline math is $...$)\n"
	    "t.md:2:8: error: display math '$$' must be on lines of its own (inline math is $...$)\n");
}

static void
test_error_placeholders(void **state)
{
	(void)state;
	assert_diags("{{kl at}} {{}} {{a.}} {{k|%d}} {{k|%.123f}} {{k|%.4fx}} {{k|}} {{k|%*g}}\n",
	    "t.md:1:3: error: bad placeholder name 'kl at' (expected a dotted name such as kl.at_mean)\n"
	    "t.md:1:13: error: bad placeholder name '' (expected a dotted name such as kl.at_mean)\n"
	    "t.md:1:18: error: bad placeholder name 'a.' (expected a dotted name such as kl.at_mean)\n"
	    "t.md:1:27: error: bad placeholder format '%d' (expected one printf conversion of a number: "
	    "%, flags -+ #0, width and .precision of at most two digits, then f, F, e, E, g or G, "
	    "such as %.4f)\n"
	    "t.md:1:36: error: bad placeholder format '%.123f' (expected one printf conversion of a "
	    "number: %, flags -+ #0, width and .precision of at most two digits, then f, F, e, E, g "
	    "or G, such as %.4f)\n"
	    "t.md:1:49: error: bad placeholder format '%.4fx' (expected one printf conversion of a "
	    "number: %, flags -+ #0, width and .precision of at most two digits, then f, F, e, E, g "
	    "or G, such as %.4f)\n"
	    "t.md:1:61: error: bad placeholder format '' (expected one printf conversion of a "
	    "number: %, flags -+ #0, width and .precision of at most two digits, then f, F, e, E, g "
	    "or G, such as %.4f)\n"
	    "t.md:1:68: error: bad placeholder format '%*g' (expected one printf conversion of a "
	    "number: %, flags -+ #0, width and .precision of at most two digits, then f, F, e, E, g "
	    "or G, such as %.4f)\n");
}

/* Placeholders inside math: the math node keeps them as written (texmath
 * sets their values), and their syntax is checked here, at the columns of
 * the template. */
static void
test_math_placeholders(void **state)
{
	(void)state;
	assert_dump("$N({{posterior.q_mean}}, {{kl.quad|%.4f}}^2)$ 后\n",
	    "paragraph @1:1\n"
	    "  math \"N({{posterior.q_mean}}, {{kl.quad|%.4f}}^2)\" @1:1\n"
	    "  text \" 后\" @1:46\n");
}

static void
test_error_math_placeholders(void **state)
{
	(void)state;
	/* inline: a bad name, a bad format, one unclosed before the closing '$' */
	assert_diags("文字 $x = {{kl at}} + {{k|%d}}$ 和 $y = {{kl.at_mean$ 后\n",
	    "t.md:1:11: error: bad placeholder name 'kl at' (expected a dotted name such as "
	    "kl.at_mean)\n"
	    "t.md:1:25: error: bad placeholder format '%d' (expected one printf conversion of a "
	    "number: %, flags -+ #0, width and .precision of at most two digits, then f, F, e, E, g "
	    "or G, such as %.4f)\n"
	    "t.md:1:38: error: unclosed placeholder (missing '}}')\n");
	/* displays: on one line, and spanning lines (columns from the line's start) */
	assert_diags("$$ a = {{x|%q}} $$\n"
	             "\n"
	             "$$\n"
	             "  a &= {{b c}} \\\\\n"
	             "  &= {{d}\n"
	             "$$\n",
	    "t.md:1:12: error: bad placeholder format '%q' (expected one printf conversion of a "
	    "number: %, flags -+ #0, width and .precision of at most two digits, then f, F, e, E, g "
	    "or G, such as %.4f)\n"
	    "t.md:4:10: error: bad placeholder name 'b c' (expected a dotted name such as "
	    "kl.at_mean)\n"
	    "t.md:5:6: error: unclosed placeholder (missing '}}')\n");
	/* a table cell: the '\|' before the format counts as written */
	assert_diags("::: table\n"
	             "表注\n"
	             "| a | b |\n"
	             "| - | - |\n"
	             "| $a = {{kl.quad\\|%d}}$ | $\\{{{x$ |\n"
	             "| $\\frac{{{x\\|%.2f}}}{2}$ | $x^{{{y\\|%.2d}}}$ |\n"
	             ":::\n",
	    "t.md:5:19: error: bad placeholder format '%d' (expected one printf conversion of a "
	    "number: %, flags -+ #0, width and .precision of at most two digits, then f, F, e, E, g "
	    "or G, such as %.4f)\n"
	    "t.md:5:30: error: unclosed placeholder (missing '}}')\n"
	    "t.md:6:38: error: bad placeholder format '%.2d' (expected one printf conversion of a "
	    "number: %, flags -+ #0, width and .precision of at most two digits, then f, F, e, E, g "
	    "or G, such as %.4f)\n");
}

static void
test_error_xrefs_and_citations(void **state)
{
	(void)state;
	assert_diags("见 @fig: 与 @figure:a、@Tab:b、@foo:c，[@a, @b] [@] [@a;]\n",
	    "t.md:1:3: error: cross-reference '@fig:' has no label (expected @fig:NAME)\n"
	    "t.md:1:11: error: unknown cross-reference kind '@figure:'; did you mean '@fig:'? "
	    "(write \\@ for a literal '@')\n"
	    "t.md:1:21: error: unknown cross-reference kind '@Tab:'; did you mean '@tab:'? "
	    "(write \\@ for a literal '@')\n"
	    "t.md:1:28: error: unknown cross-reference kind '@foo:' (expected @fig:, @tab:, @eq: or "
	    "@sec:; write \\@ for a literal '@')\n"
	    "t.md:1:35: error: malformed citation '[@a, @b]' (expected [@key] or [@key1; @key2])\n"
	    "t.md:1:44: error: malformed citation '[@]' (expected [@key] or [@key1; @key2])\n"
	    "t.md:1:48: error: malformed citation '[@a;]' (expected [@key] or [@key1; @key2])\n");
}

static void
test_error_headings_and_labels(void **state)
{
	(void)state;
	assert_diags("#### 四级\n"
	             "#没有空格\n"
	             "## 错类 {#fig:x}\n"
	             "## 坏 {#sec bad}\n"
	             "## 未闭合 {#sec:x\n"
	             "## 尾部 {#sec:-x-}\n"
	             "#\n"
	             "## 重复 {#sec:d}\n"
	             "## 重复 {#sec:d}\n",
	    "t.md:1:1: error: heading level 4 is too deep (use #, ## or ###)\n"
	    "t.md:2:1: error: missing space after '#' in a heading\n"
	    "t.md:3:7: error: label 'fig:x' on a heading must start with 'sec:'\n"
	    "t.md:4:6: error: malformed label '{#sec bad}' (expected {#sec:NAME} at the end of the "
	    "line; a NAME is letters, digits, '_', and '-', '.' or ':' inside)\n"
	    "t.md:5:8: error: malformed label '{#sec:x' (expected {#sec:NAME} at the end of the "
	    "line; a NAME is letters, digits, '_', and '-', '.' or ':' inside)\n"
	    "t.md:6:7: error: malformed label '{#sec:-x-}' (expected {#sec:NAME} at the end of the "
	    "line; a NAME is letters, digits, '_', and '-', '.' or ':' inside)\n"
	    "t.md:7:1: error: empty heading\n"
	    "t.md:9:7: error: duplicate label 'sec:d' (first defined at t.md:8)\n");
	assert_diags("::: note\n# 标题\n:::\n- 项\n  # 标题\n",
	    "t.md:2:1: error: a heading cannot be inside '::: note'\n"
	    "t.md:5:3: error: a heading cannot be inside a list item\n");
}

static void
test_error_display_math(void **state)
{
	(void)state;
	assert_diags("$$ x $$ 多余\n"
	             "\n"
	             "$$ y $$ {#tab:t}\n"
	             "\n"
	             "$$ z\n"
	             "\n"
	             "$$\n"
	             "a\n"
	             "\n"
	             "$$  $$\n"
	             "$$\n"
	             "$$\n",
	    "t.md:1:9: error: unexpected text after display math '多余' (only a label {#eq:NAME} "
	    "may follow '$$')\n"
	    "t.md:3:9: error: label 'tab:t' on a display must start with 'eq:'\n"
	    "t.md:5:1: error: unclosed display math (missing '$$')\n"
	    "t.md:7:1: error: unclosed display math (missing '$$')\n"
	    "t.md:10:1: error: empty display math\n"
	    "t.md:11:1: error: empty display math\n");
}

static void
test_error_lists(void **state)
{
	(void)state;
	assert_diags("- a\n"
	             "   - 三个空格\n"
	             "- b\n"
	             "    - 太深\n"
	             "\t- tab\n"
	             "段落\n"
	             "  - 没有父项\n",
	    "t.md:2:4: error: list item indented by 3 spaces, not a multiple of two (indent by two "
	    "spaces per nesting level)\n"
	    "t.md:4:5: error: list item nested too deep: indented by 4 spaces where at most 2 are "
	    "expected (two spaces per level)\n"
	    "t.md:5:2: error: list item indented with a tab (indent by two spaces per nesting level)\n"
	    "t.md:7:3: error: list item nested too deep: indented by 2 spaces where at most 0 are "
	    "expected (two spaces per level)\n");
}

static void
test_error_directives(void **state)
{
	(void)state;
	assert_diags("::: notes\n"
	             "x\n"
	             ":::\n"
	             "::: box\n"
	             ":::\n"
	             ":::note\n"
	             ":::\n"
	             "::: note {#sec:n}\n"
	             ":::\n"
	             "::: figure\n"
	             "c\n"
	             ":::\n"
	             "::: figure a/b\n"
	             "c\n"
	             ":::\n"
	             "::: figure f junk\n"
	             "c\n"
	             ":::\n"
	             "::: figure g\n"
	             ":::\n"
	             "::: figure h\n"
	             "一\n"
	             "\n"
	             "二\n"
	             ":::\n"
	             ":::\n"
	             "::: {#fig:x}\n"
	             ":::\n",
	    "t.md:1:5: error: unknown directive 'notes'; did you mean 'note'?\n"
	    "t.md:4:5: error: unknown directive 'box' (expected figure, table, note, references or "
	    "parameters)\n"
	    "t.md:6:4: error: missing space after ':::' (write '::: NAME')\n"
	    "t.md:8:10: error: '::: note' takes no arguments or label, got '{#sec:n}'\n"
	    "t.md:10:11: error: '::: figure' needs a figure name (::: figure NAME {#fig:label})\n"
	    "t.md:13:12: error: '::: figure' name 'a/b' may hold only letters, digits, '_' and '-' "
	    "(it names figures/NAME.fig)\n"
	    "t.md:16:14: error: '::: figure' has unexpected 'junk' (only a label {#fig:NAME} may "
	    "follow)\n"
	    "t.md:19:1: error: '::: figure' needs a caption (its body)\n"
	    "t.md:24:1: error: '::: figure' caption must be a single paragraph\n"
	    "t.md:26:1: error: ':::' closes no open block\n"
	    "t.md:27:5: error: directive without a name (figure, table, note, references or "
	    "parameters)\n");
}

static void
test_error_nesting_and_unclosed(void **state)
{
	(void)state;
	assert_diags("::: note\n"
	             "::: table\n"
	             "c\n"
	             "| a |\n"
	             "| - |\n"
	             ":::\n"
	             ":::\n"
	             "::: figure f\n"
	             "::: note\n"
	             "x\n"
	             ":::\n"
	             "c\n"
	             ":::\n"
	             "::: parameters\n"
	             "::: note\n"
	             "ok\n"
	             ":::\n"
	             "::: note\n"
	             "$x\n",
	    "t.md:2:1: error: '::: table' cannot be inside '::: note' (close it first with ':::')\n"
	    "t.md:9:1: error: '::: note' cannot be inside '::: figure' (close it first with ':::')\n"
	    "t.md:14:1: error: unclosed '::: parameters' block (missing ':::')\n"
	    "t.md:18:1: error: unclosed '::: note' block (missing ':::')\n"
	    "t.md:19:1: error: unclosed inline math (missing '$')\n");
}

static void
test_error_tables(void **state)
{
	(void)state;
	assert_diags("::: table {#tab:a}\n"
	             "表注\n"
	             "| a | b |\n"
	             "| c | d |\n"
	             ":::\n"
	             "::: table {#fig:b}\n"
	             "表注\n"
	             "| a | b |\n"
	             "| :-- |\n"
	             "| 1 | 2 | 3 |\n"
	             "| 1 |\n"
	             "| 1 | 2 |\n"
	             "\n"
	             "后文\n"
	             ":::\n"
	             "::: table\n"
	             "| a |\n"
	             "| - |\n"
	             ":::\n"
	             "::: table\n"
	             "只有表注\n"
	             ":::\n"
	             "| 外 |\n"
	             "| - |\n",
	    "t.md:4:1: error: table has no alignment row (the row after the header must be like "
	    "'| :-- | :-: | --: |')\n"
	    "t.md:6:11: error: label 'fig:b' on a table must start with 'tab:'\n"
	    "t.md:9:1: error: table row has 1 cell, but the header has 2\n"
	    "t.md:10:1: error: table row has 3 cells, but the header has 2\n"
	    "t.md:11:1: error: table row has 1 cell, but the header has 2\n"
	    "t.md:14:1: error: '::: table' has more after its pipe table (a table block holds a "
	    "caption and one table)\n"
	    "t.md:16:1: error: '::: table' needs a caption paragraph before its pipe table\n"
	    "t.md:20:1: error: '::: table' has no pipe table\n"
	    "t.md:23:1: error: a pipe table must be inside '::: table' (which gives its caption and "
	    "number)\n");
}

static void
test_error_references(void **state)
{
	(void)state;
	assert_diags("::: references\n"
	             "[@a] A.\n"
	             "  [@b]\n"
	             "坏条目\n"
	             "[@a] 又一个\n"
	             "[@c d] C\n"
	             ":::\n",
	    "t.md:3:3: error: '::: references' entry [@b] has no text\n"
	    "t.md:4:1: error: '::: references' entry must start with [@key] (one entry per line)\n"
	    "t.md:5:1: error: duplicate reference key 'a' (first defined at t.md:2)\n"
	    "t.md:6:1: error: '::: references' entry must start with [@key] (one entry per line)\n");
}

static void
test_error_bad_bytes(void **state)
{
	(void)state;
	struct doc *doc = NULL;
	const char text[] = "好\xff\xfe 后 $x\n第二行\xc3\n"
	                    "三\0四 $y\n";

	capture();
	assert_false(doc_parse(&doc, "t.md", text, sizeof text - 1));
	char *got = captured();

	/* One message per line; the rest of the text is still checked. */
	assert_string_equal(got,
	    "t.md:1:2: error: invalid UTF-8 (byte 0xFF); templates are UTF-8 text\n"
	    "t.md:1:7: error: unclosed inline math (missing '$')\n"
	    "t.md:2:4: error: invalid UTF-8 (byte 0xC3); templates are UTF-8 text\n"
	    "t.md:3:2: error: NUL byte in the text\n"
	    "t.md:3:5: error: unclosed inline math (missing '$')\n");
	free(got);
	doc_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headings),
		cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_list_details),
		cmocka_unit_test(test_display_math),
		cmocka_unit_test(test_display_math_row_labels),
		cmocka_unit_test(test_figure_note_references_parameters),
		cmocka_unit_test(test_conditionals),
		cmocka_unit_test(test_conditional_errors),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_emphasis_nesting),
		cmocka_unit_test(test_code_and_math_are_raw),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_math_placeholders),
		cmocka_unit_test(test_xrefs),
		cmocka_unit_test(test_citations),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_crlf_bom_columns),
		cmocka_unit_test(test_empty_and_comments_only),
		cmocka_unit_test(test_templates_directory),
		cmocka_unit_test(test_golden_dump),
		cmocka_unit_test(test_several_files_share_names),
		cmocka_unit_test(test_load_dir_failures),
		cmocka_unit_test(test_free_and_dump_null),
		cmocka_unit_test(test_error_unclosed_inline),
		cmocka_unit_test(test_error_placeholders),
		cmocka_unit_test(test_error_math_placeholders),
		cmocka_unit_test(test_error_xrefs_and_citations),
		cmocka_unit_test(test_error_headings_and_labels),
		cmocka_unit_test(test_error_display_math),
		cmocka_unit_test(test_error_lists),
		cmocka_unit_test(test_error_directives),
		cmocka_unit_test(test_error_nesting_and_unclosed),
		cmocka_unit_test(test_error_tables),
		cmocka_unit_test(test_error_references),
		cmocka_unit_test(test_error_bad_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
