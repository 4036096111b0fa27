/*
 * i18n.c: message catalogues. assets/i18n/it.txt and en.txt hold lines
 * "key = message"; '#' starts a comment. Italian is the reference: a
 * key missing in English falls back to Italian, and a key missing
 * everywhere shows as itself (tests/unit checks that none is missing).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

struct msg {
	char	*key;
	char	*val;
};

struct catalogue {
	struct msg	*msgs;
	size_t		 n;
};

static struct catalogue	catalogues[LANG_MAX];
static const char	*lang_codes[LANG_MAX] = { "it", "en" };

static int	msg_cmp(const void *, const void *);
static int	i18n_load_one(struct catalogue *, const char *,
		    struct diaglist *);

static int
msg_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct msg *)a)->key,
	    ((const struct msg *)b)->key));
}

static int
i18n_load_one(struct catalogue *cat, const char *path, struct diaglist *dl)
{
	char	*src, *line, *k, *v;
	size_t	 len, i;
	int	 lineno, errors;

	if (file_read(path, &src, &len, SOURCE_MAX) == -1) {
		diag_add(dl, path, 0, "cannot read message catalogue");
		return (1);
	}
	errors = 0;
	lineno = 0;
	line = src;
	while (settings_kv_next(&line, &lineno, path, "message", &k, &v,
	    &errors, dl)) {
		cat->msgs = xreallocarray(cat->msgs, cat->n + 1,
		    sizeof(*cat->msgs));
		cat->msgs[cat->n].key = xstrdup(k);
		cat->msgs[cat->n].val = xstrdup(v);
		cat->n++;
	}
	free(src);
	qsort(cat->msgs, cat->n, sizeof(*cat->msgs), msg_cmp);
	for (i = 1; i < cat->n; i++) {
		if (strcmp(cat->msgs[i - 1].key, cat->msgs[i].key) == 0) {
			diag_add(dl, path, 0, "duplicate key '%s'",
			    cat->msgs[i].key);
			errors++;
		}
	}
	return (errors);
}

int
i18n_load(const char *dir, struct diaglist *dl)
{
	char	*path;
	int	 i, errors;

	i18n_free();
	errors = 0;
	for (i = 0; i < LANG_MAX; i++) {
		(void)xasprintf(&path, "%s/%s.txt", dir, lang_codes[i]);
		errors += i18n_load_one(&catalogues[i], path, dl);
		free(path);
	}
	return (errors);
}

static const char *
i18n_lookup(enum lang lang, const char *key)
{
	struct msg	 k, *m;

	if (catalogues[lang].n == 0)
		return (NULL);
	k.key = (char *)(uintptr_t)key;
	m = bsearch(&k, catalogues[lang].msgs, catalogues[lang].n,
	    sizeof(k), msg_cmp);
	return (m != NULL ? m->val : NULL);
}

const char *
i18n_get(enum lang lang, const char *key)
{
	const char	*v;

	if ((int)lang < 0 || lang >= LANG_MAX)
		lang = LANG_IT;
	if ((v = i18n_lookup(lang, key)) != NULL)
		return (v);
	if (lang != LANG_IT && (v = i18n_lookup(LANG_IT, key)) != NULL)
		return (v);
	return (key);
}

/*
 * The form of message key for a count written n: key.one for "1",
 * key.other for anything else ("0 punti", "1,5 ore"). Italian and
 * English need no more forms than these two.
 */
const char *
i18n_plural(enum lang lang, const char *key, const char *n)
{
	char		 k[128];

	(void)snprintf(k, sizeof(k), "%s.%s", key, n != NULL &&
	    strcmp(n, "1") == 0 ? "one" : "other");
	return (i18n_get(lang, k));
}

enum lang
i18n_lang_from(const char *code)
{
	int	i;

	if (code == NULL)
		return (LANG_IT);
	for (i = 0; i < LANG_MAX; i++) {
		if (strcmp(code, lang_codes[i]) == 0)
			return ((enum lang)i);
	}
	return (LANG_IT);
}

const char *
i18n_lang_code(enum lang lang)
{
	if ((int)lang < 0 || lang >= LANG_MAX)
		return ("it");
	return (lang_codes[lang]);
}

void
i18n_free(void)
{
	size_t	i, j;

	for (i = 0; i < LANG_MAX; i++) {
		for (j = 0; j < catalogues[i].n; j++) {
			free(catalogues[i].msgs[j].key);
			free(catalogues[i].msgs[j].val);
		}
		free(catalogues[i].msgs);
		catalogues[i].msgs = NULL;
		catalogues[i].n = 0;
	}
}
