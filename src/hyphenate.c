/* hyphenate: libhyphen pattern dictionaries (see hyphenate.h). */
#include "hyphenate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hyphen.h>

#include "diag.h"
#include "util.h"

/* libhyphen's own limit on a word (MAX_WORD in hyphen.c is 100 bytes). */
#define WORD_MAX 100

struct hyph_dict {
	HyphenDict *dict;
};

struct hyph_dict *
hyph_load(const char *path, const char *config_key)
{
	/* libhyphen reports nothing: check the file first, then the parse */
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		diag_emit(DIAG_HYPHEN_MISSING, NULL, 0, 0, config_key, path, strerror(errno));
		return NULL;
	}
	HyphenDict *dict = hnj_hyphen_load_file(f);
	fclose(f);
	if (dict == NULL) {
		diag_emit(DIAG_HYPHEN_MISSING, NULL, 0, 0, config_key, path,
		    "not a hyphenation pattern file");
		return NULL;
	}
	struct hyph_dict *d = xmalloc(sizeof *d);
	d->dict = dict;
	return d;
}

void
hyph_free(struct hyph_dict *d)
{
	if (d == NULL)
		return;
	hnj_hyphen_free(d->dict);
	free(d);
}

size_t
hyph_points(const struct hyph_dict *d, const char *word, size_t len, bool *after)
{
	char lower[WORD_MAX + 1], marks[WORD_MAX + 5];
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		after[i] = false;
	if (d == NULL || len < HYPH_LEFT_MIN + HYPH_RIGHT_MIN || len > WORD_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = word[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (c < 'a' || c > 'z')
			return 0;
		lower[i] = c;
	}
	lower[len] = '\0';
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	if (hnj_hyphen_hyphenate3(d->dict, lower, (int)len, marks, NULL, &rep, &pos, &cut,
	    HYPH_LEFT_MIN, HYPH_RIGHT_MIN, HYPH_LEFT_MIN, HYPH_RIGHT_MIN) != 0)
		return 0;
	/* non-standard replacements (German "ck" -> "k-k") do not occur in
	 * English patterns; a word that has them is left alone */
	bool plain = rep == NULL;
	if (rep != NULL) {
		for (size_t i = 0; i < len; i++)
			free(rep[i]);
		free(rep);
		free(pos);
		free(cut);
	}
	if (!plain)
		return 0;
	for (size_t i = HYPH_LEFT_MIN - 1; i + HYPH_RIGHT_MIN < len; i++)
		if (marks[i] & 1) {
			after[i] = true;
			n++;
		}
	return n;
}
