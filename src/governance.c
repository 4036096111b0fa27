/*
 * governance.c: the governance maturity model and the good-practice
 * cards (courses/governance/), parsed and cross-checked. README.md,
 * "Governance: self-assessment, peer review, benchmarking", and
 * courses/governance/README.md describe both formats.
 *
 * The model, courses/governance/model.md:
 *
 *	---
 *	title: ...		title-en: ...
 *	slug: ...		summary: ...	summary-en: ...
 *	levels:
 *	  - Iniziale | Initial
 *	  - ...
 *	sources:
 *	  - KEY https://... Title of the source
 *	---
 *	## CODE Nome | Name
 *	- competences: GOV.1 COO.3
 *	- sources: KEY KEY
 *	- it: descrizione
 *	- en: description
 *	### 1
 *	- it: ...
 *	- en: ...
 *	- evidence-it: ...
 *	- evidence-en: ...
 *
 * A practice card, courses/governance/practices/<slug>.md: front matter
 * (title, title-en, slug, country, region, sector, sector-en,
 * contact-role, contact-role-en, dimensions, sources) and six sections,
 * "## Cosa è stato fatto", "## Risultati", "## Evidenze", "## What was
 * done", "## Results", "## Evidence".
 *
 * The bodies are read line by line (a list item may continue on lines
 * indented by two spaces), so every message names its line.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define MODEL_KEYS	"title title-en slug lang summary summary-en levels " \
			"sources"
#define PRACTICE_KEYS	"title title-en slug lang country region sector " \
			"sector-en contact-role contact-role-en dimensions " \
			"sources"

/* The countries of the programme and of its partners. */
static const char *const	countries[] = {
	"IT", "GB", "DE", "ES", "GR", "PT"
};

static const struct {
	const char	*heading;
	enum lang	 lang;
	int		 part;		/* 0 what, 1 results, 2 evidence */
} sections[] = {
	{ "Cosa è stato fatto", LANG_IT, 0 },
	{ "Risultati", LANG_IT, 1 },
	{ "Evidenze", LANG_IT, 2 },
	{ "What was done", LANG_EN, 0 },
	{ "Results", LANG_EN, 1 },
	{ "Evidence", LANG_EN, 2 },
};

struct gov_line {
	const char	*p;
	size_t		 len;
	int		 no;
};

static const char *next_line(const char *, const char *, struct gov_line *,
		    int);
static int	dim_code_valid(const char *, size_t);
static int	line_blank(const struct gov_line *);
static char	*trimmed(const char *, size_t);
static int	item_read(const char **, const char *, struct gov_line *,
		    char **, char **, int *);
static int	text_ok(const char *, const char *, int, const char *,
		    struct diaglist *);
static int	model_header(struct gov_model *, struct frontmatter *,
		    struct diaglist *);
static int	model_item(struct gov_model *, struct gov_dimension *,
		    struct gov_level *, const char *, char *, int,
		    struct diaglist *);
static int	model_close_dim(struct gov_model *, struct gov_dimension *,
		    struct diaglist *);
static int	practice_header(struct gov_practice *, struct frontmatter *,
		    struct diaglist *);

/* The line starting at p, numbered no; returns where the next starts. */
static const char *
next_line(const char *p, const char *end, struct gov_line *l, int no)
{
	const char	*q;

	for (q = p; q < end && *q != '\n' && *q != '\r'; q++)
		;
	l->p = p;
	l->len = (size_t)(q - p);
	l->no = no;
	if (q < end && *q == '\r' && q + 1 < end && q[1] == '\n')
		q++;
	return (q < end ? q + 1 : end);
}

/*
 * Only spaces and tabs (or nothing). Within the line's length: the last
 * line of a file need not end in a newline, nor the file in a NUL.
 */
static int
line_blank(const struct gov_line *l)
{
	size_t	i;

	for (i = 0; i < l->len; i++) {
		if (l->p[i] != ' ' && l->p[i] != '\t')
			return (0);
	}
	return (1);
}

static int
dim_code_valid(const char *s, size_t len)
{
	size_t	i;

	if (len < 2 || len > GOV_CODE_MAX)
		return (0);
	for (i = 0; i < len; i++) {
		if (s[i] < 'A' || s[i] > 'Z')
			return (0);
	}
	return (1);
}

static char *
trimmed(const char *p, size_t len)
{
	char	*s, *t;

	s = xstrndup(p, len);
	t = xstrdup(str_trim(s));
	free(s);
	return (t);
}

/*
 * A list item "- key: value" at *pp, with the lines indented by two or
 * more spaces after it. Returns 1 with key and value (to free), 0 when
 * the line is not an item; *pp moves past what was read.
 */
static int
item_read(const char **pp, const char *end, struct gov_line *l, char **key,
    char **value, int *no)
{
	struct gov_line	 next;
	struct buf	 v;
	const char	*colon, *q;
	size_t		 klen;

	if (l->len < 2 || l->p[0] != '-' || l->p[1] != ' ')
		return (0);
	colon = memchr(l->p, ':', l->len);
	if (colon == NULL)
		return (0);
	*key = trimmed(l->p + 2, (size_t)(colon - l->p - 2));
	klen = strlen(*key);
	if (klen == 0 || strspn(*key, "abcdefghijklmnopqrstuvwxyz-") != klen) {
		free(*key);
		return (0);
	}
	buf_init(&v, 256);
	buf_append(&v, colon + 1, l->len - (size_t)(colon + 1 - l->p));
	while (*pp < end) {
		q = next_line(*pp, end, &next, *no + 1);
		if (next.len < 2 || next.p[0] != ' ' || next.p[1] != ' ')
			break;
		buf_putc(&v, ' ');
		buf_append(&v, next.p, next.len);
		*pp = q;
		(*no)++;
	}
	*value = xstrdup(str_trim(v.data));
	buf_free(&v);
	return (1);
}

/* A text field: present, not empty, not too long. */
static int
text_ok(const char *path, const char *v, int line, const char *what,
    struct diaglist *dl)
{
	if (v == NULL || *v == '\0') {
		diag_add(dl, path, line, "missing %s", what);
		return (0);
	}
	if (utf8_strlen(v) > GOV_TEXT_MAX) {
		diag_add(dl, path, line, "%s is longer than %d characters",
		    what, GOV_TEXT_MAX);
		return (0);
	}
	return (1);
}

/* Space- or comma-separated words into a new array. */
int
gov_words(const char *s, char ***out, size_t *n)
{
	char	*copy, *tok, *save;

	*out = NULL;
	*n = 0;
	copy = xstrdup(s);
	for (tok = strtok_r(copy, " ,\t", &save); tok != NULL;
	    tok = strtok_r(NULL, " ,\t", &save)) {
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[(*n)++] = xstrdup(tok);
	}
	free(copy);
	return ((int)*n);
}

static int
model_header(struct gov_model *m, struct frontmatter *fm,
    struct diaglist *dl)
{
	static const char *const	 keys[][2] = {
		{ "title", "title-en" }, { "summary", "summary-en" }
	};
	struct fm_field		*f;
	const char		*v;
	char			*s, *bar, *sp, *url;
	size_t			 i, j, k;
	int			 errors;

	errors = fm_check_unknown(fm, m->path, MODEL_KEYS, dl);
	(void)fm_get(fm, "lang");
	for (i = 0; i < 2; i++) {
		for (k = 0; k < LANG_MAX; k++) {
			v = fm_str(fm, keys[i][k]);
			if (!text_ok(m->path, v, 1, keys[i][k], dl)) {
				errors++;
				continue;
			}
			if (i == 0)
				m->title[k] = xstrdup(v);
			else
				m->summary[k] = xstrdup(v);
		}
	}
	if ((v = fm_str(fm, "slug")) == NULL || !slug_valid(v)) {
		diag_add(dl, m->path, 1, "missing or invalid key 'slug'");
		errors++;
	} else
		m->slug = xstrdup(v);

	f = fm_get(fm, "levels");
	if (f == NULL || f->nitems < GOV_LEVELS_MIN ||
	    f->nitems > GOV_LEVELS_MAX) {
		diag_add(dl, m->path, f != NULL ? f->line : 1, "'levels' must "
		    "list %d to %d maturity levels, one '  - Nome | Name' per "
		    "line, from the lowest", GOV_LEVELS_MIN, GOV_LEVELS_MAX);
		return (errors + 1);
	}
	for (i = 0; i < f->nitems; i++) {
		s = xstrdup(f->items[i]);
		if ((bar = strchr(s, '|')) == NULL) {
			diag_add(dl, m->path, f->item_lines[i], "a level is "
			    "'Nome | Name', the Italian and the English name");
			errors++;
			free(s);
			continue;
		}
		*bar = '\0';
		m->level_names[i][LANG_IT] = xstrdup(str_trim(s));
		m->level_names[i][LANG_EN] = xstrdup(str_trim(bar + 1));
		m->nlevels = i + 1;
		if (*m->level_names[i][LANG_IT] == '\0' ||
		    *m->level_names[i][LANG_EN] == '\0') {
			diag_add(dl, m->path, f->item_lines[i], "a level "
			    "needs both names");
			errors++;
		}
		free(s);
	}

	if ((f = fm_get(fm, "sources")) == NULL || f->nitems == 0) {
		diag_add(dl, m->path, f != NULL ? f->line : 1, "'sources' must "
		    "list the sources the model is written from, one '  - KEY "
		    "https://address Title' per line");
		return (errors + 1);
	}
	m->sources = xcalloc(f->nitems, sizeof(*m->sources));
	for (i = 0; i < f->nitems; i++) {
		s = xstrdup(f->items[i]);
		sp = strchr(s, ' ');
		url = sp != NULL ? str_trim(sp + 1) : NULL;
		if (sp != NULL)
			*sp = '\0';
		if (url == NULL || (!str_has_prefix(url, "https://") &&
		    !str_has_prefix(url, "http://")) ||
		    (sp = strchr(url, ' ')) == NULL || *s == '\0' ||
		    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") !=
		    strlen(s)) {
			diag_add(dl, m->path, f->item_lines[i], "a source is "
			    "'KEY https://address Title', KEY in capitals and "
			    "digits");
			errors++;
			free(s);
			continue;
		}
		*sp = '\0';
		for (j = 0; j < m->nsources; j++) {
			if (strcmp(m->sources[j].key, s) == 0)
				break;
		}
		if (j < m->nsources) {
			diag_add(dl, m->path, f->item_lines[i], "duplicate "
			    "source '%s'", s);
			errors++;
			free(s);
			continue;
		}
		m->sources[m->nsources].key = xstrdup(s);
		m->sources[m->nsources].url = xstrdup(url);
		m->sources[m->nsources].title = xstrdup(str_trim(sp + 1));
		m->sources[m->nsources].line = f->item_lines[i];
		m->nsources++;
		free(s);
	}
	return (errors);
}

/* One "- key: value" item of a dimension (lv NULL) or of a level. */
static int
model_item(struct gov_model *m, struct gov_dimension *d,
    struct gov_level *lv, const char *key, char *value, int line,
    struct diaglist *dl)
{
	char	**slot;
	size_t	  i, j;

	slot = NULL;
	if (lv == NULL) {
		if (strcmp(key, "it") == 0)
			slot = &d->text[LANG_IT];
		else if (strcmp(key, "en") == 0)
			slot = &d->text[LANG_EN];
		else if (strcmp(key, "competences") == 0 &&
		    d->competences == NULL) {
			d->comp_line = line;
			if (gov_words(value, &d->competences,
			    &d->ncompetences) == 0) {
				diag_add(dl, m->path, line, "dimension %s: "
				    "name at least one competence code",
				    d->code);
				return (1);
			}
			free(value);
			return (0);
		} else if (strcmp(key, "sources") == 0 && d->sources == NULL) {
			(void)gov_words(value, &d->sources, &d->nsources);
			free(value);
			for (i = 0; i < d->nsources; i++) {
				for (j = 0; j < m->nsources; j++) {
					if (strcmp(m->sources[j].key,
					    d->sources[i]) == 0)
						break;
				}
				if (j == m->nsources) {
					diag_add(dl, m->path, line, "unknown "
					    "source '%s': list it under "
					    "'sources' in the header",
					    d->sources[i]);
					return (1);
				}
			}
			if (d->nsources == 0) {
				diag_add(dl, m->path, line, "dimension %s: "
				    "name at least one source", d->code);
				return (1);
			}
			return (0);
		}
	} else {
		if (strcmp(key, "it") == 0)
			slot = &lv->text[LANG_IT];
		else if (strcmp(key, "en") == 0)
			slot = &lv->text[LANG_EN];
		else if (strcmp(key, "evidence-it") == 0)
			slot = &lv->evidence[LANG_IT];
		else if (strcmp(key, "evidence-en") == 0)
			slot = &lv->evidence[LANG_EN];
	}
	if (slot == NULL || *slot != NULL) {
		diag_add(dl, m->path, line, "%s '%s' here: a %s has %s",
		    slot == NULL ? "unknown item" : "second item", key,
		    lv == NULL ? "dimension" : "level", lv == NULL ?
		    "'competences', 'sources', 'it' and 'en'" :
		    "'it', 'en', 'evidence-it' and 'evidence-en'");
		free(value);
		return (1);
	}
	if (!text_ok(m->path, value, line, key, dl)) {
		free(value);
		return (1);
	}
	*slot = value;
	return (0);
}

/* A dimension is complete: its items, and every level with its own. */
static int
model_close_dim(struct gov_model *m, struct gov_dimension *d,
    struct diaglist *dl)
{
	struct gov_level	*lv;
	size_t			 i;
	int			 errors;

	errors = 0;
	if (d->text[LANG_IT] == NULL || d->text[LANG_EN] == NULL ||
	    d->competences == NULL || d->sources == NULL) {
		diag_add(dl, m->path, d->line, "dimension %s needs "
		    "'- competences:', '- sources:', '- it:' and '- en:'",
		    d->code);
		errors++;
	}
	if (d->nlevels != m->nlevels) {
		diag_add(dl, m->path, d->line, "dimension %s describes %zu "
		    "levels, the model has %zu ('### 1' to '### %zu')",
		    d->code, d->nlevels, m->nlevels, m->nlevels);
		errors++;
	}
	for (i = 0; i < d->nlevels; i++) {
		lv = &d->levels[i];
		if (lv->text[LANG_IT] == NULL || lv->text[LANG_EN] == NULL ||
		    lv->evidence[LANG_IT] == NULL ||
		    lv->evidence[LANG_EN] == NULL) {
			diag_add(dl, m->path, lv->line, "level %zu of %s "
			    "needs '- it:', '- en:', '- evidence-it:' and "
			    "'- evidence-en:'", i + 1, d->code);
			errors++;
		}
	}
	return (errors);
}

struct gov_model *
gov_model_parse(const char *path, const char *src, size_t len,
    struct diaglist *dl)
{
	struct frontmatter	 fm;
	struct gov_model	*m;
	struct gov_dimension	*d;
	struct gov_level	*lv;
	struct gov_line		 l;
	const char		*p, *end;
	char			*key, *value, *name, *bar;
	size_t			 clen, i;
	int			 errors, no;

	if (!fm_source_ok(path, src, len, 0, dl))
		return (NULL);
	if (memchr(src, '\0', len) != NULL) {
		diag_add(dl, path, line_of_offset(src, (size_t)((const char *)
		    memchr(src, '\0', len) - src)), "NUL byte in the file");
		return (NULL);
	}
	m = xcalloc(1, sizeof(*m));
	m->path = xstrdup(path);
	sha256_hex(src, len, m->sha256);
	errors = fm_parse(path, src, len, &fm, dl);
	if (fm.body_line == 0) {
		fm_free(&fm);
		gov_model_free(m);
		return (NULL);
	}
	errors += model_header(m, &fm, dl);

	d = NULL;
	lv = NULL;
	p = src + fm.body_off;
	end = src + len;
	no = fm.body_line - 1;
	while (p < end) {
		p = next_line(p, end, &l, ++no);
		if (line_blank(&l))
			continue;
		if (l.len > 3 && memcmp(l.p, "## ", 3) == 0) {
			if (d != NULL)
				errors += model_close_dim(m, d, dl);
			name = trimmed(l.p + 3, l.len - 3);
			clen = strcspn(name, " ");
			bar = strchr(name, '|');
			if (!dim_code_valid(name, clen) || bar == NULL) {
				diag_add(dl, path, no, "a dimension heading "
				    "is '## CODE Nome | Name' with a code of 2 "
				    "to %d capital letters", GOV_CODE_MAX);
				free(name);
				d = NULL;
				errors++;
				continue;
			}
			for (i = 0; i < m->ndims; i++) {
				if (strlen(m->dims[i].code) == clen &&
				    strncmp(m->dims[i].code, name, clen) == 0)
					break;
			}
			if (i < m->ndims || m->ndims == GOV_DIMS_MAX) {
				diag_add(dl, path, no, i < m->ndims ?
				    "duplicate dimension '%.*s'" :
				    "more than %d dimensions", i < m->ndims ?
				    (int)clen : GOV_DIMS_MAX, name);
				free(name);
				d = NULL;
				errors++;
				continue;
			}
			m->dims = xreallocarray(m->dims, m->ndims + 1,
			    sizeof(*m->dims));
			d = &m->dims[m->ndims++];
			memset(d, 0, sizeof(*d));
			d->code = xstrndup(name, clen);
			d->name[LANG_IT] = trimmed(name + clen,
			    (size_t)(bar - name) - clen);
			d->name[LANG_EN] = trimmed(bar + 1, strlen(bar + 1));
			d->line = no;
			lv = NULL;
			if (*d->name[LANG_IT] == '\0' ||
			    *d->name[LANG_EN] == '\0') {
				diag_add(dl, path, no, "dimension %s needs "
				    "both names, 'Nome | Name'", d->code);
				errors++;
			}
			free(name);
			continue;
		}
		if (l.len > 4 && memcmp(l.p, "### ", 4) == 0) {
			if (d == NULL) {
				diag_add(dl, path, no, "a level outside a "
				    "dimension");
				errors++;
				continue;
			}
			name = trimmed(l.p + 4, l.len - 4);
			if (d->nlevels >= GOV_LEVELS_MAX || strlen(name) != 1 ||
			    name[0] != (char)('1' + d->nlevels)) {
				diag_add(dl, path, no, "expected '### %zu': the "
				    "levels of %s come in order from 1",
				    d->nlevels + 1, d->code);
				free(name);
				errors++;
				lv = NULL;
				continue;
			}
			free(name);
			lv = &d->levels[d->nlevels++];
			memset(lv, 0, sizeof(*lv));
			lv->line = no;
			continue;
		}
		/*
		 * Before the first dimension: the introduction; after a
		 * heading already reported as wrong: its body.
		 */
		if (d == NULL)
			continue;
		if (!item_read(&p, end, &l, &key, &value, &no)) {
			diag_add(dl, path, l.no, "expected '- key: value' in "
			    "dimension %s", d->code);
			errors++;
			continue;
		}
		if (d->nlevels > 0 && lv == NULL) {
			free(key);
			free(value);
			continue;	/* inside a level already reported */
		}
		errors += model_item(m, d, lv, key, value, l.no, dl);
		free(key);
	}
	if (d != NULL)
		errors += model_close_dim(m, d, dl);
	fm_free(&fm);
	if (errors == 0 && m->ndims == 0) {
		diag_add(dl, path, 0, "the model defines no dimension");
		errors++;
	}
	if (errors > 0) {
		gov_model_free(m);
		return (NULL);
	}
	return (m);
}

void
gov_model_free(struct gov_model *m)
{
	struct gov_dimension	*d;
	size_t			 i, j;
	int			 k;

	if (m == NULL)
		return;
	for (i = 0; i < m->ndims; i++) {
		d = &m->dims[i];
		free(d->code);
		for (k = 0; k < LANG_MAX; k++) {
			free(d->name[k]);
			free(d->text[k]);
		}
		for (j = 0; j < d->ncompetences; j++)
			free(d->competences[j]);
		free(d->competences);
		for (j = 0; j < d->nsources; j++)
			free(d->sources[j]);
		free(d->sources);
		for (j = 0; j < d->nlevels; j++) {
			for (k = 0; k < LANG_MAX; k++) {
				free(d->levels[j].text[k]);
				free(d->levels[j].evidence[k]);
			}
		}
	}
	free(m->dims);
	for (i = 0; i < m->nsources; i++) {
		free(m->sources[i].key);
		free(m->sources[i].url);
		free(m->sources[i].title);
	}
	free(m->sources);
	for (i = 0; i < m->nlevels; i++) {
		for (k = 0; k < LANG_MAX; k++)
			free(m->level_names[i][k]);
	}
	for (k = 0; k < LANG_MAX; k++) {
		free(m->title[k]);
		free(m->summary[k]);
	}
	free(m->slug);
	free(m->path);
	free(m);
}

const struct gov_dimension *
gov_model_find(const struct gov_model *m, const char *code)
{
	size_t	i;

	for (i = 0; i < m->ndims; i++) {
		if (strcmp(m->dims[i].code, code) == 0)
			return (&m->dims[i]);
	}
	return (NULL);
}

static int
practice_header(struct gov_practice *c, struct frontmatter *fm,
    struct diaglist *dl)
{
	static const struct {
		const char	*key;
		size_t		 off;
	} texts[] = {
		{ "title", offsetof(struct gov_practice, title[LANG_IT]) },
		{ "title-en", offsetof(struct gov_practice, title[LANG_EN]) },
		{ "region", offsetof(struct gov_practice, region) },
		{ "sector", offsetof(struct gov_practice, sector[LANG_IT]) },
		{ "sector-en", offsetof(struct gov_practice,
		    sector[LANG_EN]) },
		{ "contact-role", offsetof(struct gov_practice,
		    contact[LANG_IT]) },
		{ "contact-role-en", offsetof(struct gov_practice,
		    contact[LANG_EN]) },
	};
	struct fm_field	*f;
	const char	*v;
	char		*s, *sp;
	size_t		 i;
	int		 errors;

	errors = fm_check_unknown(fm, c->path, PRACTICE_KEYS, dl);
	(void)fm_get(fm, "lang");
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		v = fm_str(fm, texts[i].key);
		if (!text_ok(c->path, v, 1, texts[i].key, dl) ||
		    utf8_strlen(v) > TITLE_MAX) {
			if (v != NULL && *v != '\0')
				diag_add(dl, c->path, 1, "'%s' is longer than "
				    "%d characters", texts[i].key, TITLE_MAX);
			errors++;
			continue;
		}
		*(char **)((char *)c + texts[i].off) = xstrdup(v);
	}
	if ((v = fm_str(fm, "slug")) == NULL || !slug_valid(v)) {
		diag_add(dl, c->path, 1, "missing or invalid key 'slug'");
		errors++;
	} else
		c->slug = xstrdup(v);
	v = fm_str(fm, "country");
	for (i = 0; v != NULL && i < sizeof(countries) / sizeof(countries[0]);
	    i++) {
		if (strcmp(v, countries[i]) == 0)
			break;
	}
	if (v == NULL || i == sizeof(countries) / sizeof(countries[0])) {
		diag_add(dl, c->path, 1, "'country' is one of IT, GB, DE, ES, "
		    "GR, PT (ISO 3166 codes)");
		errors++;
	} else
		xstrlcpy(c->country, v, sizeof(c->country));
	f = fm_get(fm, "dimensions");
	if (f == NULL || f->value == NULL || gov_words(f->value,
	    &c->dimensions, &c->ndimensions) == 0) {
		diag_add(dl, c->path, f != NULL ? f->line : 1, "'dimensions' "
		    "names the model's dimensions the practice speaks to");
		errors++;
	} else
		c->dim_line = f->line;
	if ((f = fm_get(fm, "sources")) == NULL || f->nitems == 0) {
		diag_add(dl, c->path, f != NULL ? f->line : 1, "'sources' must "
		    "list where the practice is documented, one '  - "
		    "https://address Title' per line");
		return (errors + 1);
	}
	c->sources = xcalloc(f->nitems, sizeof(*c->sources));
	c->source_titles = xcalloc(f->nitems, sizeof(*c->source_titles));
	for (i = 0; i < f->nitems; i++) {
		s = xstrdup(f->items[i]);
		if ((!str_has_prefix(s, "https://") &&
		    !str_has_prefix(s, "http://")) ||
		    (sp = strchr(s, ' ')) == NULL || strpbrk(s, "\"<>") !=
		    NULL) {
			diag_add(dl, c->path, f->item_lines[i], "a source is "
			    "'https://address Title'");
			errors++;
			free(s);
			continue;
		}
		*sp = '\0';
		c->sources[c->nsources] = xstrdup(s);
		c->source_titles[c->nsources] = xstrdup(str_trim(sp + 1));
		c->nsources++;
		free(s);
	}
	return (errors);
}

struct gov_practice *
gov_practice_parse(const char *path, const char *src, size_t len,
    struct diaglist *dl)
{
	struct frontmatter	 fm;
	struct gov_practice	*c;
	struct gov_line		 l;
	struct buf		 text;
	const char		*p, *end;
	char			*h;
	size_t			 bad, i, body_off;
	int			 errors, no, cur, cur_line, k, body_line;

	if ((bad = utf8_invalid_offset(src, len)) != len ||
	    memchr(src, '\0', len) != NULL) {
		diag_add(dl, path, bad != len ? line_of_offset(src, bad) : 1,
		    "invalid UTF-8 or a NUL byte: save the file as UTF-8");
		return (NULL);
	}
	c = xcalloc(1, sizeof(*c));
	c->path = xstrdup(path);
	sha256_hex(src, len, c->sha256);
	errors = fm_parse(path, src, len, &fm, dl);
	if (fm.body_line == 0) {
		fm_free(&fm);
		gov_practice_free(c);
		return (NULL);
	}
	c->slug_line = 1;
	errors += practice_header(c, &fm, dl);
	body_off = fm.body_off;
	body_line = fm.body_line;
	fm_free(&fm);

	buf_init(&text, 1024);
	cur = -1;
	cur_line = 0;
	p = src + body_off;
	end = src + len;
	no = body_line - 1;
	for (;;) {
		if (p < end)
			p = next_line(p, end, &l, ++no);
		else
			l.p = NULL;
		if (l.p != NULL && !(l.len > 3 && memcmp(l.p, "## ", 3) == 0)) {
			if (cur >= 0) {
				buf_append(&text, l.p, l.len);
				buf_putc(&text, '\n');
			} else if (!line_blank(&l)) {
				diag_add(dl, path, no, "text before the first "
				    "section ('## Cosa è stato fatto')");
				errors++;
			}
			continue;
		}
		/* A section ends: at a heading or at the end of the file. */
		if (cur >= 0) {
			k = sections[cur].lang;
			if (!text_ok(path, str_trim(text.data), cur_line,
			    sections[cur].heading, dl))
				errors++;
			else
				c->part[k][sections[cur].part] =
				    xstrdup(str_trim(text.data));
		}
		if (l.p == NULL)
			break;
		buf_reset(&text);
		h = trimmed(l.p + 3, l.len - 3);
		for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
			if (strcmp(h, sections[i].heading) == 0)
				break;
		}
		if (i == sizeof(sections) / sizeof(sections[0]) ||
		    c->part[sections[i].lang][sections[i].part] != NULL) {
			diag_add(dl, path, no, "%s section '%s': the sections "
			    "are 'Cosa è stato fatto', 'Risultati', 'Evidenze', "
			    "'What was done', 'Results', 'Evidence', once each",
			    i == sizeof(sections) / sizeof(sections[0]) ?
			    "unknown" : "second", h);
			errors++;
			cur = -1;
		} else {
			cur = (int)i;
			cur_line = no;
		}
		free(h);
	}
	buf_free(&text);
	for (i = 0; errors == 0 && i < sizeof(sections) / sizeof(sections[0]);
	    i++) {
		if (c->part[sections[i].lang][sections[i].part] == NULL) {
			diag_add(dl, path, body_line, "missing section "
			    "'## %s'", sections[i].heading);
			errors++;
		}
	}
	if (errors > 0) {
		gov_practice_free(c);
		return (NULL);
	}
	return (c);
}

/* The Markdown of one language: the three sections under headings. */
void
gov_practice_markdown(const struct gov_practice *c, enum lang lang,
    struct buf *out)
{
	size_t	i;

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if (sections[i].lang != lang)
			continue;
		buf_printf(out, "## %s\n\n%s\n\n", sections[i].heading,
		    c->part[lang][sections[i].part]);
	}
}

void
gov_practice_free(struct gov_practice *c)
{
	size_t	i;
	int	k, j;

	if (c == NULL)
		return;
	for (k = 0; k < LANG_MAX; k++) {
		free(c->title[k]);
		free(c->sector[k]);
		free(c->contact[k]);
		for (j = 0; j < 3; j++)
			free(c->part[k][j]);
	}
	for (i = 0; i < c->ndimensions; i++)
		free(c->dimensions[i]);
	free(c->dimensions);
	for (i = 0; i < c->nsources; i++) {
		free(c->sources[i]);
		free(c->source_titles[i]);
	}
	free(c->sources);
	free(c->source_titles);
	free(c->region);
	free(c->slug);
	free(c->path);
	free(c);
}

/*
 * DIR/courses/governance/model.md and DIR/courses/governance/practices/
 * into g, checked against the framework fw (may be NULL). Returns the
 * number of files left out, -1 when a directory cannot be read.
 */
int
gov_load(struct gov_content *g, const char *dir,
    const struct framework *fw, struct diaglist *dl)
{
	struct gov_practice	*c;
	char			*path, *src, **files;
	size_t			 len, n, i, j;
	int			 skipped, bad, rc;

	memset(g, 0, sizeof(*g));
	skipped = 0;
	(void)xasprintf(&path, "%s/courses/governance/model.md", dir);
	if ((rc = content_read(path, 1, &src, &len, dl)) == 1) {
		g->nfiles++;
		if ((g->model = gov_model_parse(path, src, len, dl)) == NULL)
			skipped++;
		free(src);
	} else if (rc == -1)
		skipped++;
	free(path);
	if (g->model != NULL && gov_check_model(g->model, fw, dl) > 0) {
		gov_model_free(g->model);
		g->model = NULL;
		skipped++;
	}

	(void)xasprintf(&path, "%s/courses/governance/practices", dir);
	if (content_md_files(path, &files, &n, dl) == -1) {
		free(path);
		return (-1);
	}
	free(path);
	for (i = 0; i < n; i++) {
		g->nfiles++;
		c = NULL;
		if (content_read(files[i], 0, &src, &len, dl) == 1) {
			c = gov_practice_parse(files[i], src, len, dl);
			free(src);
		}
		bad = c == NULL;
		if (c != NULL && g->model == NULL) {
			diag_add(dl, c->path, c->dim_line, "practice cards "
			    "need the model (courses/governance/model.md)");
			bad = 1;
		}
		for (j = 0; !bad && j < c->ndimensions; j++) {
			if (gov_model_find(g->model, c->dimensions[j]) ==
			    NULL) {
				diag_add(dl, c->path, c->dim_line, "dimension "
				    "'%s' is not in the model",
				    c->dimensions[j]);
				bad = 1;
			}
		}
		for (j = 0; !bad && j < g->npractices; j++) {
			if (strcmp(g->practices[j]->slug, c->slug) == 0) {
				diag_add(dl, c->path, c->slug_line, "duplicate "
				    "slug '%s' (also in %s)", c->slug,
				    g->practices[j]->path);
				bad = 1;
			}
		}
		if (bad) {
			gov_practice_free(c);
			skipped++;
			continue;
		}
		g->practices = xreallocarray(g->practices, g->npractices + 1,
		    sizeof(*g->practices));
		g->practices[g->npractices++] = c;
	}
	content_files_free(files, n);
	return (skipped);
}

/* The model's competence codes exist in the framework. */
int
gov_check_model(const struct gov_model *m, const struct framework *fw,
    struct diaglist *dl)
{
	size_t	i, j;
	int	errors;

	errors = 0;
	for (i = 0; fw != NULL && i < m->ndims; i++) {
		for (j = 0; j < m->dims[i].ncompetences; j++) {
			if (framework_find(fw, m->dims[i].competences[j]) ==
			    NULL) {
				diag_add(dl, m->path, m->dims[i].comp_line,
				    "competence '%s' is not in the framework",
				    m->dims[i].competences[j]);
				errors++;
			}
		}
	}
	return (errors);
}

void
gov_content_free(struct gov_content *g)
{
	size_t	i;

	gov_model_free(g->model);
	for (i = 0; i < g->npractices; i++)
		gov_practice_free(g->practices[i]);
	free(g->practices);
	memset(g, 0, sizeof(*g));
}
