/*
 * html.c: escaping. One function escapes for both element content and
 * quoted attribute values: & < > " ' are replaced (the OWASP set).
 */

#include <string.h>

#include "capacita.h"

void
html_escape(struct buf *b, const char *s, size_t len)
{
	const char	*p, *end, *run;

	run = s;
	end = s + len;
	for (p = s; p < end; p++) {
		const char	*rep;

		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		buf_append(b, run, (size_t)(p - run));
		buf_puts(b, rep);
		run = p + 1;
	}
	buf_append(b, run, (size_t)(end - run));
}

void
html_puts(struct buf *b, const char *s)
{
	html_escape(b, s, strlen(s));
}

/* Percent-encode everything but the RFC 3986 unreserved characters. */
void
url_encode(struct buf *b, const char *s)
{
	static const char	hex[] = "0123456789ABCDEF";
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.' || *p == '~') {
			buf_putc(b, *p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 0x0f]);
		}
	}
}

/* A JSON string literal, quotes included (RFC 8259 escaping). */
void
json_quote(struct buf *b, const char *s)
{
	const unsigned char	*p;

	buf_putc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				buf_printf(b, "\\u%04x", *p);
			else if (*p == '<' || *p == '>' || *p == '&')
				/* Safe even if a page embeds it. */
				buf_printf(b, "\\u%04x", *p);
			else
				buf_putc(b, *p);
			break;
		}
	}
	buf_putc(b, '"');
}
