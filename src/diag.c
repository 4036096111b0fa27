/*
 * diag.c: a list of diagnostics, each printed as "path:line: message",
 * the form compilers use, so that editors can jump to the line.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "capacita.h"

void
diag_init(struct diaglist *dl)
{
	TAILQ_INIT(dl);
}

void
diag_add(struct diaglist *dl, const char *path, int line, const char *fmt,
    ...)
{
	va_list	ap;

	va_start(ap, fmt);
	diag_vadd(dl, path, line, fmt, ap);
	va_end(ap);
}

void
diag_vadd(struct diaglist *dl, const char *path, int line, const char *fmt,
    va_list ap)
{
	struct diag	*d;
	struct buf	 b;

	buf_init(&b, 128);
	buf_vprintf(&b, fmt, ap);
	d = xcalloc(1, sizeof(*d));
	d->path = path != NULL ? xstrdup(path) : NULL;
	d->line = line;
	d->msg = buf_release(&b);
	TAILQ_INSERT_TAIL(dl, d, entry);
}

size_t
diag_count(const struct diaglist *dl)
{
	const struct diag	*d;
	size_t			 n;

	n = 0;
	TAILQ_FOREACH(d, dl, entry)
		n++;
	return (n);
}

void
diag_format(struct buf *b, const struct diaglist *dl)
{
	const struct diag	*d;

	TAILQ_FOREACH(d, dl, entry) {
		if (d->path == NULL)
			buf_printf(b, "%s\n", d->msg);
		else if (d->line > 0)
			buf_printf(b, "%s:%d: %s\n", d->path, d->line, d->msg);
		else
			buf_printf(b, "%s: %s\n", d->path, d->msg);
	}
}

void
diag_print(FILE *fp, const struct diaglist *dl)
{
	struct buf	b;

	buf_init(&b, 256);
	diag_format(&b, dl);
	fputs(b.data, fp);
	buf_free(&b);
}

/* Append every diagnostic of src to dst, leaving src empty. */
void
diag_move(struct diaglist *dst, struct diaglist *src)
{
	struct diag	*d;

	while ((d = TAILQ_FIRST(src)) != NULL) {
		TAILQ_REMOVE(src, d, entry);
		TAILQ_INSERT_TAIL(dst, d, entry);
	}
}

void
diag_free(struct diaglist *dl)
{
	struct diag	*d;

	while ((d = TAILQ_FIRST(dl)) != NULL) {
		TAILQ_REMOVE(dl, d, entry);
		free(d->path);
		free(d->msg);
		free(d);
	}
}
