#include "atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

bool
atomicfile_write(const char *path, bool (*fill)(FILE *f, const void *arg), const void *arg)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	const char *base = slash ? slash + 1 : path;
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
	char *pattern = xstrdup(tmp); /* for messages: the same on every run */
	bool ok = false;

	int fd = mkstemp(tmp);
	if (fd < 0) {
		diag_emit(DIAG_IO_OPEN, NULL, 0, 0, pattern, strerror(errno));
		goto out;
	}
	/* mkstemp makes the file 0600; outputs are for reading like any file */
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	FILE *fp = fdopen(fd, "w");
	if (fp == NULL) {
		diag_emit(DIAG_IO_OPEN, NULL, 0, 0, tmp, strerror(errno));
		close(fd);
		goto fail;
	}
	errno = 0;
	if (!fill(fp, arg)) {
		fclose(fp);
		goto fail;
	}
	if (fflush(fp) != 0 || ferror(fp) || fsync(fileno(fp)) != 0) {
		diag_emit(DIAG_IO_WRITE, NULL, 0, 0, tmp, strerror(errno ? errno : EIO));
		fclose(fp);
		goto fail;
	}
	if (fclose(fp) != 0) {
		diag_emit(DIAG_IO_WRITE, NULL, 0, 0, tmp, strerror(errno));
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		diag_emit(DIAG_IO_RENAME, NULL, 0, 0, tmp, path, strerror(errno));
		goto fail;
	}
	/* make the rename itself durable; failure here loses nothing */
	int dfd = open(dir, O_RDONLY);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	ok = true;
	goto out;
fail:
	unlink(tmp);
out:
	free(pattern);
	free(tmp);
	free(dir);
	return ok;
}
