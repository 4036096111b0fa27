/*
 * form.c: application/x-www-form-urlencoded bodies, parsed by us where
 * Kore's params cannot be declared in advance: the quiz, whose field
 * names come from its questions (q<id>). Strict: a bad percent escape,
 * invalid UTF-8 or a control character other than tab, CR and LF makes
 * the whole body invalid.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define FORM_MAX_FIELDS		2000
#define FORM_MAX_NAME		64
#define FORM_MAX_VALUE		10000

static int	hexval(int);
static char	*form_decode(const char *, size_t, size_t, struct buf *);

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Decode one component; NULL (with a reason in err) when invalid. */
static char *
form_decode(const char *s, size_t len, size_t max, struct buf *err)
{
	struct buf	 b;
	size_t		 i;
	int		 hi, lo;
	unsigned char	 c;

	buf_init(&b, len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			c = ' ';
		else if (s[i] == '%') {
			if (i + 2 >= len) {
				buf_puts(err, "truncated percent escape");
				goto fail;
			}
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0) {
				buf_puts(err, "bad percent escape");
				goto fail;
			}
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else
			c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
		    c == 0x7f) {
			buf_puts(err, "control character in a field");
			goto fail;
		}
		buf_putc(&b, c);
		if (b.len > max) {
			buf_puts(err, "field too long");
			goto fail;
		}
	}
	if (!utf8_valid(b.data, b.len)) {
		buf_puts(err, "invalid UTF-8 in a field");
		goto fail;
	}
	return (buf_release(&b));
fail:
	buf_free(&b);
	return (NULL);
}

int
form_parse(struct form *f, const char *body, size_t len, struct buf *err)
{
	const char	*p, *end, *amp, *eq;
	char		*name, *value;

	memset(f, 0, sizeof(*f));
	end = body + len;
	for (p = body; p < end; p = amp + 1) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if (amp == p)
			continue;
		if (f->n >= FORM_MAX_FIELDS) {
			buf_puts(err, "too many fields");
			goto fail;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL)
			eq = amp;
		if ((name = form_decode(p, (size_t)(eq - p), FORM_MAX_NAME,
		    err)) == NULL)
			goto fail;
		if (*name == '\0') {
			free(name);
			buf_puts(err, "a field without a name");
			goto fail;
		}
		value = eq < amp ? form_decode(eq + 1, (size_t)(amp - eq - 1),
		    FORM_MAX_VALUE, err) : xstrdup("");
		if (value == NULL) {
			free(name);
			goto fail;
		}
		f->f = xreallocarray(f->f, f->n + 1, sizeof(*f->f));
		f->f[f->n].name = name;
		f->f[f->n].value = value;
		f->n++;
		if (amp == end)
			break;
	}
	return (0);
fail:
	form_free(f);
	return (-1);
}

/* The first value of name, or NULL. */
const char *
form_get(const struct form *f, const char *name)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->f[i].name, name) == 0)
			return (f->f[i].value);
	}
	return (NULL);
}

void
form_free(struct form *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		free(f->f[i].name);
		free(f->f[i].value);
	}
	free(f->f);
	memset(f, 0, sizeof(*f));
}
