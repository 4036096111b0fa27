/*
 * tmpl.c: templates with escaped-by-default holes.
 *
 * A template is an HTML file in assets/tmpl/ with two kinds of hole:
 *
 *	{{name}}	the argument "name", HTML-escaped unless the caller
 *			passed it with T_RAW() (grep T_RAW for every case)
 *	{{@key}}	the message "key" of the page language, escaped
 *	{{n@key}}	the argument "n", a space and the message "key.one"
 *			when n is "1", "key.other" otherwise (plurals)
 *
 * A template named NAME.txt (the plain-text part of e-mails) is text,
 * not HTML: its holes and messages are put in as they are.
 *
 * There are no loops and no conditions: logic stays in C, and a list is
 * a row template rendered N times into one T_RAW argument. A hole with
 * no argument, or an argument with no hole, is an error, so that a typo
 * fails loudly in the tests instead of leaving a blank on a page.
 */

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define SEG_TEXT	0
#define SEG_HOLE	1
#define SEG_MSG		2
#define SEG_COUNT	3	/* {{n@key}} */
#define TMPL_MAX_ARGS	64

struct tmpl_seg {
	int		 type;
	const char	*str;		/* points into tmpl->src */
	size_t		 len;
	const char	*key;		/* SEG_COUNT: the message */
	size_t		 klen;
};

struct tmpl {
	char		*name;
	char		*src;
	struct tmpl_seg	*segs;
	size_t		 nsegs;
	size_t		 nholes;
	int		 text;		/* NAME.txt: nothing is escaped */
};

static struct tmpl	**registry;
static size_t		  nregistry;

static int	hole_char(int);

static int
hole_char(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '.' || c == '-');
}

const char *
tmpl_name(const struct tmpl *t)
{
	return (t->name);
}

struct tmpl *
tmpl_parse(const char *name, const char *src, size_t len,
    struct diaglist *dl)
{
	struct tmpl	*t;
	const char	*p, *end, *open, *close, *h, *at;
	int		 type, errors;

	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->text = str_has_suffix(name, ".txt");
	t->src = xstrndup(src, len);
	errors = 0;
	p = t->src;
	end = t->src + len;
	while (p < end) {
		open = strstr(p, "{{");
		if (open == NULL || open >= end)
			open = end;
		if (open > p) {
			t->segs = xreallocarray(t->segs, t->nsegs + 1,
			    sizeof(*t->segs));
			t->segs[t->nsegs++] = (struct tmpl_seg){ SEG_TEXT, p,
			    (size_t)(open - p), NULL, 0 };
		}
		if (open == end)
			break;
		if ((close = strstr(open + 2, "}}")) == NULL) {
			diag_add(dl, name, line_of_offset(t->src,
			    (size_t)(open - t->src)), "unclosed '{{'");
			errors++;
			break;
		}
		h = open + 2;
		type = SEG_HOLE;
		if (*h == '@') {
			type = SEG_MSG;
			h++;
		}
		if (h == close) {
			diag_add(dl, name, line_of_offset(t->src,
			    (size_t)(open - t->src)), "empty hole");
			errors++;
		}
		at = NULL;
		for (p = h; p < close; p++) {
			if (*p == '@' && type == SEG_HOLE && at == NULL &&
			    p > h && p + 1 < close) {
				at = p;
				continue;
			}
			if (!hole_char((unsigned char)*p)) {
				diag_add(dl, name, line_of_offset(t->src,
				    (size_t)(open - t->src)), "invalid "
				    "character in hole name");
				errors++;
				break;
			}
		}
		t->segs = xreallocarray(t->segs, t->nsegs + 1,
		    sizeof(*t->segs));
		t->segs[t->nsegs++] = (struct tmpl_seg){ type, h,
		    (size_t)(close - h), NULL, 0 };
		if (at != NULL) {
			t->segs[t->nsegs - 1].type = SEG_COUNT;
			t->segs[t->nsegs - 1].len = (size_t)(at - h);
			t->segs[t->nsegs - 1].key = at + 1;
			t->segs[t->nsegs - 1].klen = (size_t)(close - at - 1);
		}
		if (type == SEG_HOLE)
			t->nholes++;
		p = close + 2;
	}
	if (errors > 0) {
		tmpl_free(t);
		return (NULL);
	}
	return (t);
}

/*
 * Render t into out. When anything is wrong, nothing is appended to out,
 * the reason goes to err (if not NULL) and -1 is returned.
 */
int
tmpl_render(struct buf *out, const struct tmpl *t, enum lang lang,
    const struct tmpl_arg *args, size_t nargs, struct buf *err)
{
	const struct tmpl_seg	*s;
	unsigned char		 used[TMPL_MAX_ARGS];
	size_t			 i, j, start;
	char			*key;

	if (nargs > TMPL_MAX_ARGS) {
		if (err != NULL)
			buf_printf(err, "%s: too many arguments", t->name);
		return (-1);
	}
	memset(used, 0, sizeof(used));
	start = out->len;
	for (i = 0; i < t->nsegs; i++) {
		s = &t->segs[i];
		switch (s->type) {
		case SEG_TEXT:
			buf_append(out, s->str, s->len);
			break;
		case SEG_MSG:
			key = xstrndup(s->str, s->len);
			if (t->text)
				buf_puts(out, i18n_get(lang, key));
			else
				html_puts(out, i18n_get(lang, key));
			free(key);
			break;
		case SEG_HOLE:
		case SEG_COUNT:
			for (j = 0; j < nargs; j++) {
				if (strlen(args[j].key) == s->len &&
				    memcmp(args[j].key, s->str, s->len) == 0)
					break;
			}
			if (j == nargs || args[j].val == NULL) {
				if (err != NULL)
					buf_printf(err, "%s: no value for "
					    "hole '%.*s'", t->name,
					    (int)s->len, s->str);
				goto fail;
			}
			used[j] = 1;
			if (args[j].raw || t->text)
				buf_puts(out, args[j].val);
			else
				html_puts(out, args[j].val);
			if (s->type == SEG_COUNT) {
				key = xstrndup(s->key, s->klen);
				buf_putc(out, ' ');
				html_puts(out, i18n_plural(lang, key,
				    args[j].val));
				free(key);
			}
			break;
		}
	}
	for (j = 0; j < nargs; j++) {
		if (!used[j]) {
			if (err != NULL)
				buf_printf(err, "%s: argument '%s' has no "
				    "hole", t->name, args[j].key);
			goto fail;
		}
	}
	return (0);
fail:
	out->len = start;
	out->data[start] = '\0';
	return (-1);
}

void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->src);
	free(t->segs);
	free(t);
}

/* Has t a hole called name? */
int
tmpl_has_hole(const struct tmpl *t, const char *name)
{
	size_t	i;

	for (i = 0; i < t->nsegs; i++) {
		if (t->segs[i].type == SEG_HOLE &&
		    strlen(name) == t->segs[i].len &&
		    memcmp(t->segs[i].str, name, t->segs[i].len) == 0)
			return (1);
	}
	return (0);
}

static int
tmpl_filter(const struct dirent *d)
{
	return (d->d_name[0] != '.' && (str_has_suffix(d->d_name, ".html") ||
	    str_has_suffix(d->d_name, ".txt")));
}

/*
 * Load every dir/NAME.html as template NAME, and every dir/NAME.txt as
 * the text template NAME.txt. Returns the error count.
 */
int
tmpl_load_dir(const char *dir, struct diaglist *dl)
{
	struct dirent	**list;
	struct tmpl	 *t;
	char		 *path, *src, *name;
	size_t		  len;
	int		  i, n, errors;

	if ((n = scandir(dir, &list, tmpl_filter, alphasort)) == -1) {
		diag_add(dl, dir, 0, "cannot read templates: %s",
		    strerror(errno));
		return (1);
	}
	errors = 0;
	for (i = 0; i < n; i++) {
		(void)xasprintf(&path, "%s/%s", dir, list[i]->d_name);
		name = str_has_suffix(list[i]->d_name, ".txt") ?
		    xstrdup(list[i]->d_name) :
		    xstrndup(list[i]->d_name, strlen(list[i]->d_name) - 5);
		if (file_read(path, &src, &len, SOURCE_MAX) == -1) {
			diag_add(dl, path, 0, "cannot read: %s",
			    strerror(errno));
			errors++;
		} else {
			if ((t = tmpl_parse(name, src, len, dl)) == NULL)
				errors++;
			else {
				registry = xreallocarray(registry,
				    nregistry + 1, sizeof(*registry));
				registry[nregistry++] = t;
			}
			free(src);
		}
		free(name);
		free(path);
		free(list[i]);
	}
	free(list);
	return (errors);
}

struct tmpl *
tmpl_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nregistry; i++) {
		if (strcmp(registry[i]->name, name) == 0)
			return (registry[i]);
	}
	return (NULL);
}

void
tmpl_free_all(void)
{
	size_t	i;

	for (i = 0; i < nregistry; i++)
		tmpl_free(registry[i]);
	free(registry);
	registry = NULL;
	nregistry = 0;
}
