/*
 * buf.c: a growable byte buffer that is always NUL-terminated, so that
 * its data can be handed to C string functions at any time.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

static void	buf_grow(struct buf *, size_t);

void
buf_init(struct buf *b, size_t cap)
{
	if (cap < 64)
		cap = 64;
	b->data = xmalloc(cap);
	b->data[0] = '\0';
	b->len = 0;
	b->cap = cap;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static void
buf_grow(struct buf *b, size_t need)
{
	size_t	ncap;

	if (b->data == NULL)
		buf_init(b, need + 1);
	if (need < b->cap - b->len)
		return;
	ncap = b->cap;
	while (need >= ncap - b->len) {
		if (ncap > SIZE_MAX / 2)
			die("buf_grow: overflow");
		ncap *= 2;
	}
	b->data = xrealloc(b->data, ncap);
	b->cap = ncap;
}

void
buf_append(struct buf *b, const void *p, size_t len)
{
	buf_grow(b, len);
	if (len > 0)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(struct buf *b, int c)
{
	char	ch = (char)c;

	buf_append(b, &ch, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	ap2;
	int	n;

	buf_grow(b, 64);
	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		die("buf_vprintf: vsnprintf failed");
	if ((size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n);
		n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		if (n < 0)
			die("buf_vprintf: vsnprintf failed");
	}
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Hand the data to the caller (free() it); the buffer is left empty. */
char *
buf_release(struct buf *b)
{
	char	*p;

	if (b->data == NULL)
		buf_init(b, 1);
	p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return (p);
}
