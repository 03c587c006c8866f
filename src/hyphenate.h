/* hyphenate: English hyphenation points from a libhyphen (Hunspell/OpenOffice)
 * pattern dictionary, Debian's hyphen-en-us (/usr/share/hyphen/hyph_en_US.dic).
 *
 * The line breaker asks, word by word, where a discretionary hyphen may go;
 * which words it asks about (no digits, no code, no URLs, no acronyms) is
 * its business (linebreak.h). */
#ifndef HANDOUT_HYPHEN_H
#define HANDOUT_HYPHEN_H

#include <stdbool.h>
#include <stddef.h>

struct hyph_dict; /* opaque */

/* Fewest letters before and after a hyphen (TeX's \lefthyphenmin and
 * \righthyphenmin for English). */
#define HYPH_LEFT_MIN 2
#define HYPH_RIGHT_MIN 3

/* Loads the pattern file at `path`.  A missing or unreadable file is
 * reported (DIAG_HYPHEN_MISSING, naming `config_key` and the path; exit
 * status 1) and gives NULL.  The caller owns the result (hyph_free). */
struct hyph_dict *hyph_load(const char *path, const char *config_key);

void hyph_free(struct hyph_dict *d); /* NULL-safe */

/* Hyphenation points of word[0..len): after[i] is set true when a hyphen
 * may follow letter i, false otherwise (after[0..len) all written).  The
 * word is ASCII letters only (either case); anything else, or a word
 * shorter than HYPH_LEFT_MIN + HYPH_RIGHT_MIN, gets no points.  At least
 * HYPH_LEFT_MIN letters stay before a point and HYPH_RIGHT_MIN after it.
 * Returns the number of points.  d may be NULL (no points). */
size_t hyph_points(const struct hyph_dict *d, const char *word, size_t len, bool *after);

#endif
