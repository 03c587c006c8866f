/* csvout: the registry as out/data/NAME.csv (DESIGN.md): one file per dataset
 * named after it, a header row, numbers as %.17g (round-trip exact), and
 * results.csv with name,value for every scalar. */
#ifndef HANDOUT_CSVOUT_H
#define HANDOUT_CSVOUT_H

#include <stdbool.h>

#include "dataset.h"

/* Writes every dataset and results.csv into `dir` (created if missing), each
 * file through a temporary that is renamed into place.  Reports failures
 * through diag and returns false. */
bool csvout_write_all(const struct registry *reg, const char *dir);

/* Creates `path` and its missing parents (mkdir -p); false after reporting. */
bool make_dirs(const char *path);

#endif
