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

/* Writes `path` with what `fill(f, arg)` prints to f.  fill returns false
 * when it could not produce the content (after reporting why); its stream
 * errors are caught (ferror) and count as a failed write.  After the rename
 * the directory is synced too, so the new file survives a crash. */
bool atomicfile_write(const char *path, bool (*fill)(FILE *f, const void *arg),
    const void *arg);

#endif
