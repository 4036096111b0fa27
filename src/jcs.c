/*
 * jcs.c: JSON Canonicalization Scheme (RFC 8785) over jansson.
 *
 * Documents are parsed with duplicate keys rejected and every number
 * read as an IEEE double, which is what JSON numbers are in JavaScript,
 * the reference of RFC 8785. Then:
 *  - object members are sorted by their keys' UTF-16 code units;
 *  - strings are escaped only for '"', '\\' and control characters
 *    (\b \t \n \f \r, else \u00xx in lower-case hex); all else is raw
 *    UTF-8;
 *  - numbers are written as ECMAScript's Number.prototype.toString();
 *  - no white space anywhere.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "capacita.h"

struct member {
	const char	*key;
	size_t		 keylen;
	uint16_t	*u16;
	size_t		 n16;
	json_t		*value;
};

static int	jcs_value(struct buf *, json_t *);
static int	member_cmp(const void *, const void *);
static uint16_t	*utf16(const char *, size_t, size_t *);

/* A UTF-8 string as UTF-16 code units, for sorting keys. */
static uint16_t *
utf16(const char *s, size_t len, size_t *n)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len;
	uint16_t		*out;
	uint32_t		 cp;

	out = xcalloc(len + 1, sizeof(*out));
	*n = 0;
	/* Valid UTF-8 (jansson checked it); U+0000 is a code unit too. */
	while (p < end) {
		if (*p < 0x80)
			cp = *p++;
		else if ((*p & 0xe0) == 0xc0) {
			cp = (uint32_t)(*p++ & 0x1f) << 6;
			cp |= *p++ & 0x3f;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = (uint32_t)(*p++ & 0x0f) << 12;
			cp |= (uint32_t)(*p++ & 0x3f) << 6;
			cp |= *p++ & 0x3f;
		} else {
			cp = (uint32_t)(*p++ & 0x07) << 18;
			cp |= (uint32_t)(*p++ & 0x3f) << 12;
			cp |= (uint32_t)(*p++ & 0x3f) << 6;
			cp |= *p++ & 0x3f;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			out[(*n)++] = (uint16_t)(0xd800 + (cp >> 10));
			out[(*n)++] = (uint16_t)(0xdc00 + (cp & 0x3ff));
		} else
			out[(*n)++] = (uint16_t)cp;
	}
	return (out);
}

static int
member_cmp(const void *a, const void *b)
{
	const struct member	*x = a, *y = b;
	size_t			 i, n;

	n = x->n16 < y->n16 ? x->n16 : y->n16;
	for (i = 0; i < n; i++) {
		if (x->u16[i] != y->u16[i])
			return (x->u16[i] < y->u16[i] ? -1 : 1);
	}
	return (x->n16 < y->n16 ? -1 : x->n16 > y->n16);
}

/*
 * A JSON string literal, quotes included, escaped as RFC 8785 says (the
 * short forms, other control characters as \u00xx); with html set, also
 * DEL, '<', '>' and '&', and \b and \f, as \u00xx, so that a page may
 * embed it (html.c's json_quote).
 */
void
jcs_quote(struct buf *b, const char *s, size_t len, int html)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i, start;
	unsigned char		c;

	buf_putc(b, '"');
	start = 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && !(html &&
		    (c == 0x7f || c == '<' || c == '>' || c == '&')))
			continue;
		/* Copy the run of plain characters at once. */
		if (i > start)
			buf_append(b, s + start, i - start);
		start = i + 1;
		switch (c) {
		case '"':
			buf_puts(b, "\\\"");
			continue;
		case '\\':
			buf_puts(b, "\\\\");
			continue;
		case '\n':
			buf_puts(b, "\\n");
			continue;
		case '\r':
			buf_puts(b, "\\r");
			continue;
		case '\t':
			buf_puts(b, "\\t");
			continue;
		case '\b':
			if (!html) {
				buf_puts(b, "\\b");
				continue;
			}
			break;
		case '\f':
			if (!html) {
				buf_puts(b, "\\f");
				continue;
			}
			break;
		}
		buf_puts(b, "\\u00");
		buf_putc(b, hex[c >> 4]);
		buf_putc(b, hex[c & 0xf]);
	}
	if (len > start)
		buf_append(b, s + start, len - start);
	buf_putc(b, '"');
}

/*
 * ECMAScript Number::toString(x) for a finite double: the shortest
 * decimal digits that read back as x, then placed as ES prescribes.
 */
int
jcs_number(struct buf *b, double x)
{
	char	tmp[40], digits[20];
	int	p, k, n, e, i;
	char	*mant;

	if (!isfinite(x))
		return (-1);
	if (x == 0) {
		buf_putc(b, '0');
		return (0);
	}
	if (x < 0) {
		buf_putc(b, '-');
		x = -x;
	}
	for (p = 1; p <= 17; p++) {
		(void)snprintf(tmp, sizeof(tmp), "%.*e", p - 1, x);
		if (strtod(tmp, NULL) == x)
			break;
	}
	/* tmp is d.ddddde[+-]XX: collect the digits and the exponent. */
	k = 0;
	for (mant = tmp; *mant != 'e'; mant++) {
		if (*mant >= '0' && *mant <= '9')
			digits[k++] = *mant;
	}
	e = atoi(mant + 1);
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	n = e + 1;		/* position of the decimal point */

	if (k <= n && n <= 21) {
		buf_append(b, digits, (size_t)k);
		for (i = 0; i < n - k; i++)
			buf_putc(b, '0');
	} else if (0 < n && n <= 21) {
		buf_append(b, digits, (size_t)n);
		buf_putc(b, '.');
		buf_append(b, digits + n, (size_t)(k - n));
	} else if (-6 < n && n <= 0) {
		buf_puts(b, "0.");
		for (i = 0; i < -n; i++)
			buf_putc(b, '0');
		buf_append(b, digits, (size_t)k);
	} else {
		buf_putc(b, digits[0]);
		if (k > 1) {
			buf_putc(b, '.');
			buf_append(b, digits + 1, (size_t)(k - 1));
		}
		buf_printf(b, "e%c%d", n - 1 >= 0 ? '+' : '-',
		    n - 1 >= 0 ? n - 1 : -(n - 1));
	}
	return (0);
}

static int
jcs_value(struct buf *b, json_t *v)
{
	struct member	*m;
	const char	*key;
	json_t		*val;
	size_t		 i, n, klen;
	int		 rc;

	switch (json_typeof(v)) {
	case JSON_NULL:
		buf_puts(b, "null");
		return (0);
	case JSON_TRUE:
		buf_puts(b, "true");
		return (0);
	case JSON_FALSE:
		buf_puts(b, "false");
		return (0);
	case JSON_INTEGER:
		return (jcs_number(b, (double)json_integer_value(v)));
	case JSON_REAL:
		return (jcs_number(b, json_real_value(v)));
	case JSON_STRING:
		jcs_quote(b, json_string_value(v), json_string_length(v), 0);
		return (0);
	case JSON_ARRAY:
		buf_putc(b, '[');
		for (i = 0; i < json_array_size(v); i++) {
			if (i > 0)
				buf_putc(b, ',');
			if (jcs_value(b, json_array_get(v, i)) == -1)
				return (-1);
		}
		buf_putc(b, ']');
		return (0);
	case JSON_OBJECT:
		n = json_object_size(v);
		m = xcalloc(n + 1, sizeof(*m));
		i = 0;
		json_object_keylen_foreach(v, key, klen, val) {
			m[i].key = key;
			m[i].keylen = klen;
			m[i].u16 = utf16(key, klen, &m[i].n16);
			m[i].value = val;
			i++;
		}
		qsort(m, n, sizeof(*m), member_cmp);
		buf_putc(b, '{');
		rc = 0;
		for (i = 0; i < n && rc == 0; i++) {
			if (i > 0)
				buf_putc(b, ',');
			jcs_quote(b, m[i].key, m[i].keylen, 0);
			buf_putc(b, ':');
			rc = jcs_value(b, m[i].value);
		}
		buf_putc(b, '}');
		for (i = 0; i < n; i++)
			free(m[i].u16);
		free(m);
		return (rc);
	default:
		return (-1);
	}
}

/* Canonicalize a parsed value into b. */
int
jcs_canonicalize(struct buf *b, json_t *v)
{
	return (jcs_value(b, v));
}

/*
 * Parse JSON text for canonicalization: duplicate keys rejected, numbers
 * as doubles, invalid UTF-8 rejected (jansson's own check). NULL, with
 * the reason in err, when it cannot be.
 */
json_t *
jcs_parse(const char *text, size_t len, struct buf *err)
{
	json_error_t	 e;
	json_t		*v;

	/* RFC 8785 keeps U+0000 (written \u0000), in values and keys. */
	v = json_loadb(text, len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_INT_AS_REAL | JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	if (v == NULL && err != NULL)
		buf_printf(err, "line %d, column %d: %s", e.line, e.column,
		    e.text);
	return (v);
}
