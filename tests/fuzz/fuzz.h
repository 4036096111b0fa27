/*
 * fuzz.h: what the libFuzzer targets in tests/fuzz share: one-time
 * initialisation, NUL-terminated copies of the input, splitting the
 * input into parts, assertions that abort (so that libFuzzer saves the
 * input), and a check that HTML rendered from Markdown holds nothing
 * but the tags and attributes cmark's safe mode writes.
 *
 * Each target is one file, fuzz-<name>.c, linked with the core sources
 * (see the Makefile's fuzz rules and tests/fuzz/README.md).
 */

#ifndef FUZZ_H
#define FUZZ_H

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* An invariant of the code under test: abort, and libFuzzer saves it. */
#define FUZZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: assertion failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

static inline void
fuzz_init(void)
{
	static int	done;

	if (done)
		return;
	done = 1;
	if (sodium_init() < 0)
		abort();
}

/* A NUL-terminated copy of the input; free() it. */
static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	return (xstrndup((const char *)data, size));
}

/*
 * Split the input at the first NUL byte: *a gets the bytes before it,
 * *b (NULL when there is no NUL) the bytes after. Both are NUL-terminated
 * copies to free(); the lengths go to alen and blen.
 */
static inline void
fuzz_split(const uint8_t *data, size_t size, char **a, size_t *alen,
    char **b, size_t *blen)
{
	const uint8_t	*nul;

	nul = memchr(data, '\0', size);
	if (nul == NULL) {
		*a = fuzz_str(data, size);
		*alen = size;
		*b = NULL;
		*blen = 0;
		return;
	}
	*alen = (size_t)(nul - data);
	*a = fuzz_str(data, *alen);
	*blen = size - *alen - 1;
	*b = fuzz_str(nul + 1, *blen);
}

/* Is the attribute value v (len bytes) a URL a browser would run? */
static inline int
fuzz_url_runs(const char *v, size_t len)
{
	char	scheme[16];
	size_t	i, n;

	n = 0;
	for (i = 0; i < len && n < sizeof(scheme) - 1; i++) {
		/* Browsers skip leading blanks and drop tabs and breaks. */
		if (v[i] == '\t' || v[i] == '\n' || v[i] == '\r' ||
		    (n == 0 && (unsigned char)v[i] <= ' '))
			continue;
		scheme[n++] = (char)tolower((unsigned char)v[i]);
		if (v[i] == ':')
			break;
	}
	scheme[n] = '\0';
	return (strcmp(scheme, "javascript:") == 0 ||
	    strcmp(scheme, "vbscript:") == 0);
}

/*
 * HTML from md_render() and friends must hold only what cmark writes in
 * safe mode: a fixed set of tags, a fixed set of attributes, no
 * javascript: or vbscript: URL, and no raw '<' or '>' in text. Aborts
 * (with the offending place) otherwise.
 */
static inline void
fuzz_check_html(const char *html)
{
	static const char *const tags[] = {
		"p", "blockquote", "ul", "ol", "li", "pre", "code", "h1",
		"h2", "h3", "h4", "h5", "h6", "hr", "br", "em", "strong", "a",
		"img", NULL
	};
	static const char *const attrs[] = {
		"href", "src", "alt", "title", "start", "class", NULL
	};
	static const char	omitted[] = "<!-- raw HTML omitted -->";
	const char		*p, *q, *v;
	size_t			 i, n;
	int			 url;

	for (p = html; *p != '\0'; p++) {
		if (*p == '>') {
			fprintf(stderr, "raw '>' in text: %.60s\n", p);
			abort();
		}
		if (*p != '<')
			continue;
		if (strncmp(p, omitted, sizeof(omitted) - 1) == 0) {
			p += sizeof(omitted) - 2;
			continue;
		}
		q = p + 1;
		if (*q == '/')
			q++;
		for (n = 0; (q[n] >= 'a' && q[n] <= 'z') ||
		    (q[n] >= '0' && q[n] <= '9'); n++)
			;
		for (i = 0; tags[i] != NULL; i++) {
			if (strlen(tags[i]) == n && strncmp(q, tags[i], n) == 0)
				break;
		}
		if (tags[i] == NULL) {
			fprintf(stderr, "unexpected tag: %.60s\n", p);
			abort();
		}
		q += n;
		for (;;) {
			while (*q == ' ')
				q++;
			if (*q == '>' || (q[0] == '/' && q[1] == '>'))
				break;
			for (n = 0; q[n] >= 'a' && q[n] <= 'z'; n++)
				;
			for (i = 0; attrs[i] != NULL; i++) {
				if (strlen(attrs[i]) == n &&
				    strncmp(q, attrs[i], n) == 0)
					break;
			}
			if (attrs[i] == NULL || q[n] != '=' ||
			    q[n + 1] != '"') {
				fprintf(stderr, "unexpected attribute: "
				    "%.60s\n", q);
				abort();
			}
			url = i <= 1;
			v = q + n + 2;
			if ((q = strchr(v, '"')) == NULL) {
				fprintf(stderr, "unclosed attribute: %.60s\n",
				    v);
				abort();
			}
			if (memchr(v, '<', (size_t)(q - v)) != NULL ||
			    memchr(v, '>', (size_t)(q - v)) != NULL ||
			    (url && fuzz_url_runs(v, (size_t)(q - v)))) {
				fprintf(stderr, "unsafe attribute value: "
				    "%.60s\n", v);
				abort();
			}
			q++;
		}
		p = *q == '/' ? q + 1 : q;
	}
}

#endif /* !FUZZ_H */
