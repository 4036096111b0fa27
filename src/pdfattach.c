/*
 * pdfattach.c: the file embedded in a PDF certificate, read back from
 * untrusted bytes. Only what our certificates (libharu) write is
 * understood, and every step is bounded:
 *
 *	... /EmbeddedFiles N 0 R		in the Names dictionary
 *	N 0 obj << /Names [ (name) M 0 R ] >>	the name tree (one leaf)
 *	M 0 obj << ... /EF << /F K 0 R >> >>	the file specification
 *	K 0 obj << /Length L [/Filter [ /FlateDecode ]] >> stream ... endstream
 *
 * with L a number or an indirect "J 0 R" to "J 0 obj L endobj". The
 * stream is inflated up to PDF_ATTACH_MAX bytes. Anything else is
 * refused with a sentence, never read past the buffer.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "capacita.h"

static const char	*pdf_find(const char *, const char *, const char *);
static const char	*pdf_object(const char *, const char *, long);
static int		 pdf_ref(const char *, const char *, const char *,
			    long *);
static int		 pdf_number(const char *, const char *, long *);

/* memmem within [p, end). */
static const char *
pdf_find(const char *p, const char *end, const char *needle)
{
	size_t	n = strlen(needle);

	while (p != NULL && p < end && (size_t)(end - p) >= n) {
		p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
		if (p == NULL)
			return (NULL);
		if (memcmp(p, needle, n) == 0)
			return (p);
		p++;
	}
	return (NULL);
}

/* A non-negative decimal number at p (after white space). */
static int
pdf_number(const char *p, const char *end, long *out)
{
	long	v;
	int	digits;

	while (p < end && isspace((unsigned char)*p))
		p++;
	v = 0;
	digits = 0;
	while (p < end && isdigit((unsigned char)*p) && digits < 9) {
		v = v * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 0 || (p < end && isdigit((unsigned char)*p)))
		return (-1);
	*out = v;
	return (0);
}

/* "key N 0 R" after p: N in *out. */
static int
pdf_ref(const char *p, const char *end, const char *key, long *out)
{
	const char	*q;
	long		 gen;

	if ((q = pdf_find(p, end, key)) == NULL)
		return (-1);
	q += strlen(key);
	if (pdf_number(q, end, out) == -1)
		return (-1);
	while (q < end && isspace((unsigned char)*q))
		q++;
	while (q < end && isdigit((unsigned char)*q))
		q++;
	if (pdf_number(q, end, &gen) == -1 || gen != 0)
		return (-1);
	while (q < end && isspace((unsigned char)*q))
		q++;
	while (q < end && isdigit((unsigned char)*q))
		q++;
	while (q < end && isspace((unsigned char)*q))
		q++;
	return (q < end && *q == 'R' ? 0 : -1);
}

/* The body of object n ("n 0 obj" at a line start), or NULL. */
static const char *
pdf_object(const char *data, const char *end, long n)
{
	char		 head[40];
	const char	*p;

	(void)snprintf(head, sizeof(head), "\n%ld 0 obj", n);
	for (p = data; (p = pdf_find(p, end, head)) != NULL; p++) {
		p += strlen(head);
		if (p < end && (isspace((unsigned char)*p) || *p == '<'))
			return (p);
	}
	return (NULL);
}

int
pdf_attachment(const char *data, size_t len, struct buf *out, struct buf *err)
{
	const char	*end = data + len, *o, *oe, *s;
	unsigned char	*plain;
	long		 names, spec, file, length;
	int		 flate, zrc;
	z_stream	 zs;

	if (len < 8 || memcmp(data, "%PDF-", 5) != 0) {
		buf_puts(err, "not a PDF");
		return (-1);
	}
	if (pdf_ref(data, end, "/EmbeddedFiles", &names) == -1 ||
	    (o = pdf_object(data, end, names)) == NULL ||
	    (oe = pdf_find(o, end, "endobj")) == NULL ||
	    pdf_find(o, oe, "/Names") == NULL) {
		buf_puts(err, "the PDF has no embedded file");
		return (-1);
	}
	/* The leaf: "(name) M 0 R" after the array's opening bracket. */
	if ((s = pdf_find(o, oe, ")")) == NULL ||
	    pdf_ref(s, oe, ")", &spec) == -1 ||
	    (o = pdf_object(data, end, spec)) == NULL ||
	    (oe = pdf_find(o, end, "endobj")) == NULL ||
	    (s = pdf_find(o, oe, "/EF")) == NULL ||
	    pdf_ref(s, oe, "/F", &file) == -1 ||
	    (o = pdf_object(data, end, file)) == NULL) {
		buf_puts(err, "the PDF's embedded file cannot be found");
		return (-1);
	}
	if ((s = pdf_find(o, end, "stream")) == NULL ||
	    (oe = pdf_find(o, s, "/Length")) == NULL) {
		buf_puts(err, "the embedded file has no stream");
		return (-1);
	}
	flate = pdf_find(o, s, "/FlateDecode") != NULL;
	if (pdf_ref(oe, s, "/Length", &length) == 0) {
		const char	*lo = pdf_object(data, end, length);

		if (lo == NULL || pdf_number(lo, end, &length) == -1) {
			buf_puts(err, "the embedded file's length is missing");
			return (-1);
		}
	} else if (pdf_number(oe + 7, s, &length) == -1) {
		buf_puts(err, "the embedded file has no length");
		return (-1);
	}
	s += 6;
	if (s < end && *s == '\r')
		s++;
	if (s < end && *s == '\n')
		s++;
	if (length < 0 || length > end - s) {
		buf_puts(err, "the embedded file is cut short");
		return (-1);
	}
	if (!flate) {
		if (length > PDF_ATTACH_MAX) {
			buf_puts(err, "the embedded file is too large");
			return (-1);
		}
		buf_append(out, s, (size_t)length);
		return (0);
	}
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK) {
		buf_puts(err, "cannot inflate");
		return (-1);
	}
	plain = xmalloc(PDF_ATTACH_MAX + 1);
	zs.next_in = (Bytef *)(uintptr_t)s;
	zs.avail_in = (uInt)length;
	zs.next_out = plain;
	zs.avail_out = PDF_ATTACH_MAX + 1;
	zrc = inflate(&zs, Z_FINISH);
	if (zrc != Z_STREAM_END || zs.total_out > PDF_ATTACH_MAX) {
		buf_puts(err, zrc == Z_STREAM_END || zrc == Z_BUF_ERROR ?
		    "the embedded file is damaged or too large" :
		    "the embedded file is damaged");
		inflateEnd(&zs);
		free(plain);
		return (-1);
	}
	buf_append(out, plain, zs.total_out);
	inflateEnd(&zs);
	free(plain);
	return (0);
}
