/*
 * examgen-parse.c: what the exam-day generator reads, on bounded
 * buffers: HTTP/1.1 responses as they arrive (Content-Length, chunked,
 * or up to the peer's close) and the quiz form of an attempt page,
 * turned into a form body from answers given by label (the fields are
 * the attempt's keyed tokens, src/quiz-form.c: they say nothing, so the
 * page has to be read the way a person reads it).
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "examgen.h"

#define EG_HEADER_MAX	16384
#define EG_BODY_MAX	(1U << 30)

/* needle in [h, end), or NULL. */
static const char *
eg_find(const char *h, const char *end, const char *needle)
{
	size_t	n = strlen(needle);

	if (n == 0)
		return (h);
	for (; h != NULL && end - h >= (ptrdiff_t)n; h++) {
		if (*h == *needle && memcmp(h, needle, n) == 0)
			return (h);
	}
	return (NULL);
}

/* A header's value, blanks trimmed, into out: 0, or -1 if too long. */
static int
eg_header_value(const char *v, const char *end, char *out, size_t outsz)
{
	size_t	n;

	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	n = (size_t)(end - v);
	if (n >= outsz)
		return (-1);
	memcpy(out, v, n);
	out[n] = '\0';
	return (0);
}

/*
 * A chunked body from buf[off..len): 1 and its end in *endp when whole
 * (decode then moves the data together from off on and sets *blen), 0
 * when more is needed, -1 when malformed.
 */
static int
eg_chunked(char *buf, size_t len, size_t off, int decode, size_t *endp,
    size_t *blen)
{
	size_t		p = off, w = off, size;
	const char	*eol, *t;
	int		digits;

	for (;;) {
		eol = eg_find(buf + p, buf + len, "\r\n");
		if (eol == NULL)
			return (len - p > 64 ? -1 : 0);
		if (eol - (buf + p) > 64)
			return (-1);
		size = 0;
		digits = 0;
		for (t = buf + p; t < eol && isxdigit((unsigned char)*t); t++) {
			if (size > EG_BODY_MAX / 16)
				return (-1);
			size = size * 16 + (size_t)(isdigit((unsigned char)*t) ?
			    *t - '0' : (tolower((unsigned char)*t) - 'a' + 10));
			digits++;
		}
		if (digits == 0 || (t < eol && *t != ';' && *t != ' '))
			return (-1);
		p = (size_t)(eol - buf) + 2;
		if (size == 0)
			break;
		if (len - p < size + 2)
			return (0);
		if (buf[p + size] != '\r' || buf[p + size + 1] != '\n')
			return (-1);
		if (decode)
			memmove(buf + w, buf + p, size);
		w += size;
		p += size + 2;
	}
	/* Trailers, then an empty line. */
	for (;;) {
		eol = eg_find(buf + p, buf + len, "\r\n");
		if (eol == NULL)
			return (len - p > EG_HEADER_MAX ? -1 : 0);
		if (eol == buf + p) {
			*endp = p + 2;
			*blen = w - off;
			return (1);
		}
		p = (size_t)(eol - buf) + 2;
	}
}

int
eg_http_parse(char *buf, size_t len, int eof, struct eg_resp *r)
{
	const char	*end, *line, *eol, *colon;
	char		 v[128];
	size_t		 hlen, clen = 0, cend, blen;
	int		 have_len = 0, chunked = 0, i, rc;

	memset(r, 0, sizeof(*r));
	if (memcmp(buf, "HTTP/1.", len < 7 ? len : 7) != 0)
		return (-1);
	end = eg_find(buf, buf + len, "\r\n\r\n");
	if (end == NULL)
		return (len > EG_HEADER_MAX ? -1 : 0);
	hlen = (size_t)(end - buf) + 4;
	if (hlen > EG_HEADER_MAX || hlen < 14)
		return (-1);
	/* HTTP/1.x SSS */
	if ((buf[7] != '0' && buf[7] != '1') || buf[8] != ' ')
		return (-1);
	for (i = 9; i < 12; i++) {
		if (!isdigit((unsigned char)buf[i]))
			return (-1);
		r->status = r->status * 10 + (buf[i] - '0');
	}
	if (buf[12] != ' ' && buf[12] != '\r')
		return (-1);
	r->close = buf[7] == '0';
	line = eg_find(buf, end + 2, "\r\n") + 2;
	while (line < end + 2) {
		eol = eg_find(line, end + 2, "\r\n");
		if (eol == NULL)
			return (-1);
		colon = memchr(line, ':', (size_t)(eol - line));
		if (colon == NULL || colon == line)
			return (-1);
#define IS(name) ((size_t)(colon - line) == sizeof(name) - 1 &&		\
    strncasecmp(line, name, sizeof(name) - 1) == 0)
		if (IS("content-length")) {
			const char	*d;

			if (eg_header_value(colon + 1, eol, v, sizeof(v)) == -1 ||
			    v[0] == '\0' || have_len)
				return (-1);
			for (d = v; *d != '\0'; d++) {
				if (!isdigit((unsigned char)*d) ||
				    clen > EG_BODY_MAX / 10)
					return (-1);
				clen = clen * 10 + (size_t)(*d - '0');
			}
			if (clen > EG_BODY_MAX)
				return (-1);
			have_len = 1;
		} else if (IS("transfer-encoding")) {
			if (eg_header_value(colon + 1, eol, v, sizeof(v)) == -1)
				return (-1);
			if (strcasecmp(v, "chunked") != 0)
				return (-1);
			chunked = 1;
		} else if (IS("connection")) {
			if (eg_header_value(colon + 1, eol, v, sizeof(v)) == -1)
				v[0] = '\0';
			if (strcasecmp(v, "close") == 0)
				r->close = 1;
			else if (strcasecmp(v, "keep-alive") == 0)
				r->close = 0;
		} else if (IS("location")) {
			if (eg_header_value(colon + 1, eol, r->location,
			    sizeof(r->location)) == -1)
				r->location[0] = '\0';
		}
#undef IS
		line = eol + 2;
	}
	r->body_off = hlen;
	if (r->status < 200 || r->status == 204 || r->status == 304) {
		r->used = hlen;
		return (1);
	}
	if (chunked) {
		if ((rc = eg_chunked(buf, len, hlen, 0, &cend, &blen)) != 1)
			return (rc);
		(void)eg_chunked(buf, len, hlen, 1, &cend, &blen);
		r->body_len = blen;
		r->used = cend;
		return (1);
	}
	if (have_len) {
		if (len - hlen < clen)
			return (0);
		r->body_len = clen;
		r->used = hlen + clen;
		return (1);
	}
	/* No length: the body ends when the peer closes. */
	if (!eof)
		return (0);
	r->close = 1;
	r->body_len = len - hlen;
	r->used = len;
	return (1);
}

void
eg_norm(const char *s, size_t len, char *out, size_t outsz)
{
	const char	*end = s + len, *semi;
	size_t		 o = 0;
	int		 space = 0, c;

	if (outsz == 0)
		return;
	while (s < end) {
		c = (unsigned char)*s;
		if (c == '<') {
			const char	*gt = memchr(s, '>', (size_t)(end - s));

			s = gt == NULL ? end : gt + 1;
			continue;
		}
		if (c == '&' && (semi = memchr(s, ';', (size_t)(end - s) > 10 ?
		    10 : (size_t)(end - s))) != NULL) {
			size_t	n = (size_t)(semi - s) + 1;

			if (n == 5 && memcmp(s, "&amp;", 5) == 0)
				c = '&';
			else if (n == 4 && memcmp(s, "&lt;", 4) == 0)
				c = '<';
			else if (n == 4 && memcmp(s, "&gt;", 4) == 0)
				c = '>';
			else if (n == 6 && memcmp(s, "&quot;", 6) == 0)
				c = '"';
			else if ((n == 5 && memcmp(s, "&#39;", 5) == 0) ||
			    (n == 6 && memcmp(s, "&apos;", 6) == 0))
				c = '\'';
			else
				n = 1;
			s += n;
		} else if (c == 0xe2 && end - s >= 3 &&
		    (unsigned char)s[1] == 0x80 &&
		    ((unsigned char)s[2] == 0x98 || (unsigned char)s[2] == 0x99)) {
			c = '\'';
			s += 3;
		} else
			s++;
		if (c == '*' || c == '_' || c == '`')
			continue;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = o > 0;
			continue;
		}
		if (space && o + 1 < outsz)
			out[o++] = ' ';
		space = 0;
		if (o + 1 < outsz)
			out[o++] = (char)c;
	}
	out[o] = '\0';
}

/*
 * Attribute attr of the tag [t, end) (after its name) into out: 1, 0
 * when absent, -1 when longer than outsz.
 */
static int
eg_attr(const char *t, const char *end, const char *attr, char *out,
    size_t outsz)
{
	size_t		 an = strlen(attr), n;
	const char	*v, *ve;
	char		 q;

	while (t < end) {
		while (t < end && isspace((unsigned char)*t))
			t++;
		if (t >= end)
			break;
		v = t;
		while (t < end && *t != '=' && !isspace((unsigned char)*t))
			t++;
		n = (size_t)(t - v);
		if (t >= end || *t != '=') {
			if (t == v)
				t++;
			continue;
		}
		t++;
		if (t < end && (*t == '"' || *t == '\'')) {
			q = *t++;
			ve = memchr(t, q, (size_t)(end - t));
			if (ve == NULL)
				ve = end;
		} else {
			q = 0;
			for (ve = t; ve < end && !isspace((unsigned char)*ve);
			    ve++)
				;
		}
		if (n == an && strncasecmp(v, attr, an) == 0) {
			if ((size_t)(ve - t) >= outsz)
				return (-1);
			memcpy(out, t, (size_t)(ve - t));
			out[ve - t] = '\0';
			return (1);
		}
		t = ve + (q != 0 && ve < end);
	}
	return (0);
}

/* The controls and labels of one fieldset's body [s, end) into q. */
static int
eg_question_parse(const char *s, const char *end, struct eg_question *q)
{
	struct { char id[EG_NAME]; char text[EG_LABEL]; } lab[2 * EG_MAXC];
	struct eg_control	*c;
	const char		*gt, *close;
	char			 type[16];
	int			 nl = 0, i, k;

	memset(q, 0, sizeof(*q));
	while ((s = memchr(s, '<', (size_t)(end - s))) != NULL) {
		gt = memchr(s, '>', (size_t)(end - s));
		if (gt == NULL)
			break;
		if (end - s > 6 && strncasecmp(s, "<input", 6) == 0 &&
		    isspace((unsigned char)s[6])) {
			if (eg_attr(s + 6, gt, "type", type, sizeof(type)) != 1)
				type[0] = '\0';
			if (strcasecmp(type, "radio") == 0 ||
			    strcasecmp(type, "checkbox") == 0)
				k = EG_CHOICE;
			else if (strcasecmp(type, "text") == 0)
				k = EG_TEXT;
			else
				k = -1;
			if (k != -1) {
				if (q->n == EG_MAXC)
					return (-1);
				c = &q->c[q->n++];
				c->kind = k;
				if (eg_attr(s + 6, gt, "name", c->name,
				    sizeof(c->name)) != 1 ||
				    eg_attr(s + 6, gt, "id", c->id,
				    sizeof(c->id)) == -1 ||
				    eg_attr(s + 6, gt, "value", c->value,
				    sizeof(c->value)) == -1)
					return (-1);
			}
		} else if (end - s > 7 && strncasecmp(s, "<select", 7) == 0 &&
		    isspace((unsigned char)s[7])) {
			if (q->n == EG_MAXC)
				return (-1);
			c = &q->c[q->n++];
			c->kind = EG_SELECT;
			if (eg_attr(s + 7, gt, "name", c->name,
			    sizeof(c->name)) != 1 ||
			    eg_attr(s + 7, gt, "id", c->id, sizeof(c->id)) == -1)
				return (-1);
		} else if (end - s > 6 && strncasecmp(s, "<label", 6) == 0 &&
		    isspace((unsigned char)s[6])) {
			if (nl == 2 * EG_MAXC)
				return (-1);
			if (eg_attr(s + 6, gt, "for", lab[nl].id,
			    sizeof(lab[nl].id)) != 1)
				return (-1);
			close = eg_find(gt + 1, end, "</label>");
			if (close == NULL)
				return (-1);
			eg_norm(gt + 1, (size_t)(close - (gt + 1)), lab[nl].text,
			    sizeof(lab[nl].text));
			nl++;
			gt = close + 7;
		}
		s = gt + 1;
	}
	for (i = 0; i < q->n; i++) {
		for (k = 0; k < nl; k++) {
			if (q->c[i].id[0] != '\0' &&
			    strcmp(q->c[i].id, lab[k].id) == 0) {
				memcpy(q->c[i].label, lab[k].text,
				    sizeof(q->c[i].label));
				break;
			}
		}
	}
	return (0);
}

int
eg_form_parse(const char *html, size_t len, struct eg_form *f)
{
	static const char	 open[] = "<fieldset class=\"quiz-question\"";
	const char		*end = html + len, *s, *gt, *close;

	f->nq = 0;
	s = html;
	while ((s = eg_find(s, end, open)) != NULL) {
		if (f->nq == EG_MAXQ)
			return (-1);
		gt = memchr(s, '>', (size_t)(end - s));
		if (gt == NULL)
			return (-1);
		close = eg_find(gt, end, "</fieldset>");
		if (close == NULL)
			return (-1);
		if (eg_question_parse(gt + 1, close, &f->q[f->nq]) == -1)
			return (-1);
		f->nq++;
		s = close;
	}
	return (f->nq);
}

/* "name=value", percent-encoded, at out[*o] (after a '&' unless first):
 * 0, or -1 if no room. */
static int
eg_pair(char *out, size_t outsz, size_t *o, const char *k, const char *v)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const char		*s;
	int			 part;

	for (part = 0; part < 2; part++) {
		if (*o + 1 >= outsz)
			return (-1);
		if (part == 1)
			out[(*o)++] = '=';
		else if (*o > 0)
			out[(*o)++] = '&';
		for (s = part == 0 ? k : v; *s != '\0'; s++) {
			unsigned char	c = (unsigned char)*s;

			if (*o + 4 >= outsz)
				return (-1);
			if (isalnum(c) || c == '-' || c == '_' || c == '.' ||
			    c == '~')
				out[(*o)++] = (char)c;
			else {
				out[(*o)++] = '%';
				out[(*o)++] = hex[c >> 4];
				out[(*o)++] = hex[c & 15];
			}
		}
	}
	out[*o] = '\0';
	return (0);
}

/* The control of q whose label or value is answer a, of kind k. */
static const struct eg_control *
eg_match(const struct eg_question *q, int k, const char *a)
{
	char	na[EG_LABEL];
	int	i;

	eg_norm(a, strlen(a), na, sizeof(na));
	for (i = 0; i < q->n; i++) {
		if (q->c[i].kind == k && (strcmp(q->c[i].label, na) == 0 ||
		    (k == EG_CHOICE && strcmp(q->c[i].value, a) == 0)))
			return (&q->c[i]);
	}
	return (NULL);
}

int
eg_form_body(const struct eg_form *f, const struct eg_answer *ans, int na,
    const char *csrf, char *out, size_t outsz)
{
	const struct eg_question	*q;
	const struct eg_control		*c;
	char				 rank[16];
	size_t				 o = 0;
	int				 i, j, kind;

	if (eg_pair(out, outsz, &o, "csrf", csrf) == -1)
		return (-1);
	if (na > f->nq)
		return (-1);
	for (i = 0; i < na; i++) {
		q = &f->q[i];
		if (ans[i].n == 0)
			continue;
		kind = EG_CHOICE;
		for (j = 0; j < q->n; j++) {
			if (q->c[j].kind != EG_CHOICE)
				kind = q->c[j].kind;
		}
		if (kind == EG_TEXT) {
			for (j = 0; j < q->n && q->c[j].kind != EG_TEXT; j++)
				;
			if (eg_pair(out, outsz, &o, q->c[j].name,
			    ans[i].a[0]) == -1)
				return (-1);
			continue;
		}
		for (j = 0; j < ans[i].n; j++) {
			if ((c = eg_match(q, kind, ans[i].a[j])) == NULL)
				return (-1);
			if (kind == EG_SELECT) {
				(void)snprintf(rank, sizeof(rank), "%d", j + 1);
				if (eg_pair(out, outsz, &o, c->name, rank) == -1)
					return (-1);
			} else if (eg_pair(out, outsz, &o, c->name,
			    c->value) == -1)
				return (-1);
		}
	}
	return ((int)o);
}
