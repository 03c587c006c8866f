/* atomicfile: text output files that readers never see half written.
 *
 * The content goes to a temporary file next to the target (mkstemp, so two
 * runs never share one), is flushed and synced, and only then renamed over
 * the target.  On any failure the target is untouched, the temporary is
 * removed and an IO_ diagnostic names the file and the system's reason. */
#ifndef HANDOUT_ATOMICFILE_H
#define HANDOUT_ATOMICFILE_H

#include <stdbool.h>
#include <stdio.h>

/* Writes `path` with the text `fill(f, arg)` prints to f.  fill's own
 * stream errors are caught (ferror) and count as a failed write. */
bool atomicfile_write(const char *path, void (*fill)(FILE *f, const void *arg),
    const void *arg);

#endif
