/*
 * frontmatter.c: the header block of modules, courses and the framework.
 *
 *	---
 *	key: value
 *	list:
 *	  - item
 *	  - item
 *	long: a value that
 *	  continues on an indented line
 *	---
 *
 * A deliberately small subset of YAML: no nesting, no flow syntax. Keys
 * are [a-z][a-z0-9_-]*; a value wrapped in matching quotes is unwrapped.
 * Lines end as in CommonMark, which reads the body: LF, CRLF or a CR
 * alone.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

static const char *fm_line(const char *, const char *, size_t *);
static int	fm_is_fence(const char *, size_t);
static int	fm_key_valid(const char *);
static char	*fm_unquote(char *);
static void	fm_append(char **, const char *);

/*
 * The line at p (its length, without the line ending, in *llen); returns
 * where the next line starts, end after the last one.
 */
static const char *
fm_line(const char *p, const char *end, size_t *llen)
{
	const char	*q;

	for (q = p; q < end && *q != '\n' && *q != '\r'; q++)
		;
	*llen = (size_t)(q - p);
	if (q < end && *q == '\r' && q + 1 < end && q[1] == '\n')
		q++;
	return (q < end ? q + 1 : end);
}

static int
fm_is_fence(const char *line, size_t len)
{
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
	    line[len - 1] == '\r'))
		len--;
	return (len == 3 && memcmp(line, "---", 3) == 0);
}

static int
fm_key_valid(const char *k)
{
	if (!(*k >= 'a' && *k <= 'z'))
		return (0);
	for (k++; *k != '\0'; k++) {
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
		    *k == '-' || *k == '_'))
			return (0);
	}
	return (1);
}

static char *
fm_unquote(char *v)
{
	size_t	len;

	len = strlen(v);
	if (len >= 2 && ((v[0] == '"' && v[len - 1] == '"') ||
	    (v[0] == '\'' && v[len - 1] == '\''))) {
		v[len - 1] = '\0';
		v++;
	}
	return (v);
}

static void
fm_append(char **dst, const char *more)
{
	char	*n;

	if (**dst == '\0') {
		free(*dst);
		*dst = xstrdup(more);
		return;
	}
	(void)xasprintf(&n, "%s %s", *dst, more);
	free(*dst);
	*dst = n;
}

/*
 * A content file's bytes before any parsing: at most max bytes (no
 * limit when max is 0) and valid UTF-8. 1 if so; 0, with the reason in
 * dl, if not.
 */
int
fm_source_ok(const char *path, const char *src, size_t len, size_t max,
    struct diaglist *dl)
{
	size_t	bad;

	if (max > 0 && len > max) {
		diag_add(dl, path, 0, "file larger than %zu bytes", max);
		return (0);
	}
	if ((bad = utf8_invalid_offset(src, len)) != len) {
		diag_add(dl, path, line_of_offset(src, bad), "invalid UTF-8 "
		    "(byte 0x%02x at offset %zu): save the file as UTF-8",
		    (unsigned char)src[bad], bad);
		return (0);
	}
	return (1);
}

/*
 * Parse the front matter of src (len bytes). On success fm describes the
 * fields and where the body starts. Every problem is added to dl; the
 * return value is the number of problems found.
 */
int
fm_parse(const char *path, const char *src, size_t len,
    struct frontmatter *fm, struct diaglist *dl)
{
	struct fm_field	*f;
	const char	*p, *end, *next;
	char		*line, *s, *colon, *key, *val;
	size_t		 i, llen;
	int		 lineno, errors, closed;

	memset(fm, 0, sizeof(*fm));
	errors = 0;
	end = src + len;

	next = fm_line(src, end, &llen);
	if (!fm_is_fence(src, llen)) {
		diag_add(dl, path, 1, "missing front matter: the file must "
		    "start with a line '---'");
		return (1);
	}

	closed = 0;
	lineno = 1;
	p = next;
	f = NULL;
	while (p < end) {
		lineno++;
		next = fm_line(p, end, &llen);
		if (fm_is_fence(p, llen)) {
			closed = 1;
			p = next;
			break;
		}
		line = xstrndup(p, llen);
		p = next;
		s = str_trim(line);

		if (*s == '\0' || *s == '#') {
			free(line);
			continue;
		}

		if (line[0] == ' ' || line[0] == '\t') {
			if (f == NULL) {
				diag_add(dl, path, lineno, "indented line "
				    "before any key");
				errors++;
			} else if (s[0] == '-' && (s[1] == ' ' ||
			    s[1] == '\0')) {
				if (f->value[0] != '\0') {
					diag_add(dl, path, lineno, "list item "
					    "under '%s', which already has a "
					    "value", f->key);
					errors++;
				} else {
					val = fm_unquote(str_trim(s + 1));
					f->items = xreallocarray(f->items,
					    f->nitems + 1, sizeof(char *));
					f->item_lines = xreallocarray(
					    f->item_lines, f->nitems + 1,
					    sizeof(int));
					f->items[f->nitems] = xstrdup(val);
					f->item_lines[f->nitems] = lineno;
					f->nitems++;
				}
			} else if (f->nitems > 0) {
				fm_append(&f->items[f->nitems - 1], s);
			} else {
				fm_append(&f->value, s);
			}
			free(line);
			continue;
		}

		if ((colon = strchr(s, ':')) != NULL) {
			*colon = '\0';
			key = str_trim(s);
			val = fm_unquote(str_trim(colon + 1));
		}
		if (colon == NULL || !fm_key_valid(key)) {
			if (colon == NULL)
				diag_add(dl, path, lineno, "expected 'key: "
				    "value', found '%.40s'", s);
			else
				diag_add(dl, path, lineno, "invalid key "
				    "'%.40s': use lower-case letters, digits "
				    "and '-'", key);
			errors++;
			f = NULL;
			free(line);
			continue;
		}
		for (i = 0; i < fm->nfields; i++) {
			if (strcmp(fm->fields[i].key, key) == 0)
				break;
		}
		if (i < fm->nfields) {
			diag_add(dl, path, lineno, "duplicate key '%s' "
			    "(first on line %d)", key, fm->fields[i].line);
			errors++;
			f = NULL;
			free(line);
			continue;
		}
		fm->fields = xreallocarray(fm->fields, fm->nfields + 1,
		    sizeof(*fm->fields));
		f = &fm->fields[fm->nfields++];
		memset(f, 0, sizeof(*f));
		f->key = xstrdup(key);
		f->value = xstrdup(val);
		f->line = lineno;
		free(line);
	}

	if (!closed) {
		diag_add(dl, path, 1, "front matter is not closed: no '---' "
		    "line after line 1");
		return (errors + 1);
	}
	fm->body_off = (size_t)(p - src);
	fm->body_line = lineno + 1;
	return (errors);
}

struct fm_field *
fm_get(struct frontmatter *fm, const char *key)
{
	size_t	i;

	for (i = 0; i < fm->nfields; i++) {
		if (strcmp(fm->fields[i].key, key) == 0) {
			fm->fields[i].used = 1;
			return (&fm->fields[i]);
		}
	}
	return (NULL);
}

/* The value of a scalar field, or NULL when absent or empty. */
const char *
fm_str(struct frontmatter *fm, const char *key)
{
	struct fm_field	*f;

	if ((f = fm_get(fm, key)) == NULL || f->value[0] == '\0')
		return (NULL);
	return (f->value);
}

/* Report every field not listed in allowed (a space-separated list). */
int
fm_check_unknown(struct frontmatter *fm, const char *path,
    const char *allowed, struct diaglist *dl)
{
	size_t		 i, klen;
	const char	*a;
	int		 errors, found;

	errors = 0;
	for (i = 0; i < fm->nfields; i++) {
		klen = strlen(fm->fields[i].key);
		found = 0;
		for (a = allowed; *a != '\0'; ) {
			size_t	alen = strcspn(a, " ");

			if (alen == klen &&
			    memcmp(a, fm->fields[i].key, klen) == 0) {
				found = 1;
				break;
			}
			a += alen;
			while (*a == ' ')
				a++;
		}
		if (!found) {
			diag_add(dl, path, fm->fields[i].line,
			    "unknown key '%s' (known keys: %s)",
			    fm->fields[i].key, allowed);
			errors++;
		}
	}
	return (errors);
}

void
fm_free(struct frontmatter *fm)
{
	size_t	i, j;

	for (i = 0; i < fm->nfields; i++) {
		free(fm->fields[i].key);
		free(fm->fields[i].value);
		for (j = 0; j < fm->fields[i].nitems; j++)
			free(fm->fields[i].items[j]);
		free(fm->fields[i].items);
		free(fm->fields[i].item_lines);
	}
	free(fm->fields);
	memset(fm, 0, sizeof(*fm));
}
