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

/*
 * A JSON string literal, quotes included (RFC 8259 escaping), safe
 * inside a page: '<', '>', '&' and control characters as \u00xx.
 */
void
json_quote(struct buf *b, const char *s)
{
	jcs_quote(b, s, strlen(s), 1);
}

/*
 * The text an HTML fragment of ours stands for: character references
 * decoded (the five of html_escape(), &nbsp;, &apos; and numeric ones,
 * as cmark writes them), anything else kept as it is. For comparing
 * what a person typed with what an author wrote: "Stato &amp; Regioni"
 * is "Stato & Regioni". A malformed or unknown reference stays literal;
 * a numeric one outside Unicode, or a surrogate, becomes U+FFFD.
 */
char *
html_unescape(const char *s)
{
	static const struct {
		const char	*name;
		const char	*text;
	} named[] = {
		{ "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" },
		{ "quot;", "\"" }, { "apos;", "'" }, { "nbsp;", " " },
	};
	struct buf	 b;
	const char	*p;
	unsigned long	 cp;
	size_t		 i, n;
	int		 hex, digits;

	buf_init(&b, strlen(s) + 1);
	for (p = s; *p != '\0'; p++) {
		if (*p != '&') {
			buf_putc(&b, *p);
			continue;
		}
		for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
			n = strlen(named[i].name);
			if (strncmp(p + 1, named[i].name, n) == 0)
				break;
		}
		if (i < sizeof(named) / sizeof(named[0])) {
			buf_puts(&b, named[i].text);
			p += n;
			continue;
		}
		if (p[1] != '#') {
			buf_putc(&b, '&');
			continue;
		}
		hex = p[2] == 'x' || p[2] == 'X';
		cp = 0;
		digits = 0;
		for (n = hex ? 3 : 2; ; n++) {
			int	c = (unsigned char)p[n], d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				break;
			if (cp < 0x110000)
				cp = cp * (hex ? 16 : 10) + (unsigned long)d;
			digits++;
		}
		if (digits == 0 || digits > 8 || p[n] != ';') {
			buf_putc(&b, '&');
			continue;
		}
		if (cp == 0 || cp >= 0x110000 || (cp >= 0xd800 && cp <= 0xdfff))
			cp = 0xfffd;
		if (cp < 0x80)
			buf_putc(&b, (int)cp);
		else if (cp < 0x800) {
			buf_putc(&b, (int)(0xc0 | cp >> 6));
			buf_putc(&b, (int)(0x80 | (cp & 0x3f)));
		} else if (cp < 0x10000) {
			buf_putc(&b, (int)(0xe0 | cp >> 12));
			buf_putc(&b, (int)(0x80 | (cp >> 6 & 0x3f)));
			buf_putc(&b, (int)(0x80 | (cp & 0x3f)));
		} else {
			buf_putc(&b, (int)(0xf0 | cp >> 18));
			buf_putc(&b, (int)(0x80 | (cp >> 12 & 0x3f)));
			buf_putc(&b, (int)(0x80 | (cp >> 6 & 0x3f)));
			buf_putc(&b, (int)(0x80 | (cp & 0x3f)));
		}
		p += n;
	}
	return (buf_release(&b));
}
