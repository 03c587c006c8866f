/* atomicfile: the content arrives whole, a failed write leaves the target
 * as it was and names the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "atomicfile.h"
#include "util.h"

static bool
fill_text(FILE *f, const void *arg)
{
	fputs(arg, f);
	return true;
}

/* Whatever fill printed, read back from path (caller frees). */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char buf[256];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return xstrdup(buf);
}

static char dir[] = "/tmp/test_atomicfile.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	umask(022);
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

/* Count the entries of dir other than . and .. */
static int
entries(void)
{
	char *cmd = xasprintf("ls -A '%s' | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	free(cmd);
	return n;
}

static void
writes_and_replaces(void **state)
{
	(void)state;
	char *path = xasprintf("%s/out.txt", dir);
	assert_true(atomicfile_write(path, fill_text, "first\n"));
	char *s = slurp(path);
	assert_string_equal(s, "first\n");
	free(s);
	assert_true(atomicfile_write(path, fill_text, "second\n"));
	s = slurp(path);
	assert_string_equal(s, "second\n");
	free(s);
	/* no temporary left behind, readable like any output */
	assert_int_equal(entries(), 1);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644); /* not mkstemp's 0600 */
	free(path);
}

static void
failure_names_the_file(void **state)
{
	(void)state;
	char *path = xasprintf("%s/missing/out.txt", dir);
	capture();
	assert_false(atomicfile_write(path, fill_text, "x"));
	char *msg = captured();
	/* the message names the temporary's pattern under the missing dir */
	assert_non_null(strstr(msg, "/missing/.out.txt.XXXXXX"));
	assert_non_null(strstr(msg, "No such file or directory"));
	free(msg);
	free(path);
}

static bool
fill_then_break(FILE *f, const void *arg)
{
	(void)arg;
	fputs("half", f);
	/* reading a write-only stream sets its error indicator: a stream
	 * error during fill counts as a failed write */
	(void)fgetc(f);
	return true;
}

static bool
fill_refused(FILE *f, const void *arg)
{
	(void)arg;
	fputs("partial", f);
	return false;
}

static void
stream_error_keeps_the_old_file(void **state)
{
	(void)state;
	char *path = xasprintf("%s/keep.txt", dir);
	assert_true(atomicfile_write(path, fill_text, "old\n"));
	capture();
	assert_false(atomicfile_write(path, fill_then_break, NULL));
	char *msg = captured();
	assert_non_null(strstr(msg, "keep.txt"));
	free(msg);
	char *s = slurp(path);
	assert_string_equal(s, "old\n");
	free(s);
	/* a fill that gives up: nothing replaced, no temporary left (out.txt
	 * of the first test and keep.txt only) */
	assert_false(atomicfile_write(path, fill_refused, NULL));
	s = slurp(path);
	assert_string_equal(s, "old\n");
	free(s);
	assert_int_equal(entries(), 2);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_and_replaces),
		cmocka_unit_test(failure_names_the_file),
		cmocka_unit_test(stream_error_keeps_the_old_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
