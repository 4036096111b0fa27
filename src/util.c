/*
 * util.c: allocation that never returns NULL (like kore_malloc and tmux's
 * xmalloc), string helpers, UTF-8 checks and whole-file reads.
 */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "capacita.h"

void
die(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fputs("capacita: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

void *
xmalloc(size_t n)
{
	void	*p;

	if (n == 0)
		n = 1;
	if ((p = malloc(n)) == NULL)
		die("out of memory (%zu bytes)", n);
	return (p);
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p;

	if (n == 0 || sz == 0)
		n = sz = 1;
	if ((p = calloc(n, sz)) == NULL)
		die("out of memory (%zu x %zu bytes)", n, sz);
	return (p);
}

void *
xrealloc(void *p, size_t n)
{
	void	*q;

	if (n == 0)
		n = 1;
	if ((q = realloc(p, n)) == NULL)
		die("out of memory (%zu bytes)", n);
	return (q);
}

void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		die("xreallocarray: overflow");
	return (xrealloc(p, n * sz));
}

char *
xstrdup(const char *s)
{
	return (xstrndup(s, strlen(s)));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return (p);
}

/* Free an array of n strings and the array (v may be NULL). */
void
str_array_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	struct buf	b;
	va_list		ap;
	int		n;

	buf_init(&b, 64);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	n = (int)b.len;
	*ret = buf_release(&b);
	return (n);
}

size_t
xstrlcpy(char *dst, const char *src, size_t size)
{
	size_t	len;

	len = strlen(src);
	if (size > 0) {
		size_t	n = len >= size ? size - 1 : len;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return (len);
}

/*
 * Trim ASCII white space (space, tab, LF, VT, FF, CR) at both ends, in
 * place. All six: cmark trims form feeds too, and text read from
 * Markdown and from CSV must come out the same.
 */
char *
str_trim(char *s)
{
	char	*end;

	while (*s != '\0' && strchr(" \t\n\v\f\r", *s) != NULL)
		s++;
	end = s + strlen(s);
	while (end > s && strchr(" \t\n\v\f\r", end[-1]) != NULL)
		*--end = '\0';
	return (s);
}

int
str_has_prefix(const char *s, const char *prefix)
{
	return (strncmp(s, prefix, strlen(prefix)) == 0);
}

int
str_has_suffix(const char *s, const char *suffix)
{
	size_t	ls, lx;

	ls = strlen(s);
	lx = strlen(suffix);
	return (ls >= lx && strcmp(s + ls - lx, suffix) == 0);
}

/* A slug: 1..SLUG_MAX of [a-z0-9-], not starting or ending with '-'. */
int
slug_valid(const char *s)
{
	size_t	i, len;

	len = strlen(s);
	if (len == 0 || len > SLUG_MAX || s[0] == '-' || s[len - 1] == '-')
		return (0);
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return (0);
	}
	return (1);
}

/*
 * The offset of the first byte that is not part of valid UTF-8 (no
 * overlongs, no surrogates, nothing above U+10FFFF, no NUL), or len.
 */
size_t
utf8_invalid_offset(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, n, k;
	uint32_t		 cp;

	for (i = 0; i < len; i += n) {
		if (p[i] == 0)
			return (i);
		if (p[i] < 0x80) {
			n = 1;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf) {
			n = 2;
			cp = p[i] & 0x1f;
		} else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			n = 3;
			cp = p[i] & 0x0f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			n = 4;
			cp = p[i] & 0x07;
		} else
			return (i);
		if (i + n > len)
			return (i);
		for (k = 1; k < n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return (i);
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (i);
	}
	return (len);
}

/*
 * Is s between min and max bytes long, each byte of the class? What the
 * configuration's bounded validators check in one pass (web-valid.c):
 * a bounded count in a regex ({1,1024}) makes glibc build an automaton
 * of as many states, 48 MB of them in the parent for the validators.
 */
int
str_bounded(const char *s, size_t min, size_t max, enum byte_class c)
{
	size_t		 n;
	unsigned char	 b;

	for (n = 0; s[n] != '\0'; n++) {
		if (n == max)
			return (0);
		b = (unsigned char)s[n];
		switch (c) {
		case BYTES_ANY:
			break;
		case BYTES_NOSPACE:	/* [^[:space:]] in the C locale */
			if (b == ' ' || (b >= '\t' && b <= '\r'))
				return (0);
			break;
		case BYTES_VISIBLE:	/* [!-~] */
			if (b < '!' || b > '~')
				return (0);
			break;
		case BYTES_CODE:	/* [a-z0-9-] */
			if (!((b >= 'a' && b <= 'z') ||
			    (b >= '0' && b <= '9') || b == '-'))
				return (0);
			break;
		case BYTES_WORD:	/* [a-z_] */
			if (!((b >= 'a' && b <= 'z') || b == '_'))
				return (0);
			break;
		}
	}
	return (n >= min);
}

int
utf8_valid(const char *s, size_t len)
{
	return (utf8_invalid_offset(s, len) == len);
}

/* Number of code points in a valid UTF-8 string. */
size_t
utf8_strlen(const char *s)
{
	size_t	n;

	for (n = 0; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

/* 1-based line number of byte offset off in s. */
int
line_of_offset(const char *s, size_t off)
{
	size_t	i;
	int	line;

	line = 1;
	for (i = 0; i < off && s[i] != '\0'; i++) {
		if (s[i] == '\n')
			line++;
	}
	return (line);
}

/* Read a whole regular file of at most max bytes; NUL-terminated. */
int
file_read(const char *path, char **out, size_t *outlen, size_t max)
{
	struct stat	 st;
	struct buf	 b;
	char		 chunk[8192];
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		if (errno == 0 || S_ISDIR(st.st_mode))
			errno = EISDIR;
		close(fd);
		return (-1);
	}
	buf_init(&b, (size_t)st.st_size + 1);
	for (;;) {
		r = read(fd, chunk, sizeof(chunk));
		if (r == -1) {
			if (errno == EINTR)
				continue;
			buf_free(&b);
			close(fd);
			return (-1);
		}
		if (r == 0)
			break;
		if (b.len + (size_t)r > max) {
			buf_free(&b);
			close(fd);
			errno = EFBIG;
			return (-1);
		}
		buf_append(&b, chunk, (size_t)r);
	}
	close(fd);
	*outlen = b.len;
	*out = buf_release(&b);
	return (0);
}

void
sha256_hex(const void *p, size_t len, char out[SHA256_HEX_LEN + 1])
{
	unsigned char	h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, p, len);
	sodium_bin2hex(out, SHA256_HEX_LEN + 1, h, sizeof(h));
}

/* Parse a decimal integer in [min, max]; 0 on success. */
int
parse_int(const char *s, long long min, long long max, long long *out)
{
	char		*end;
	long long	 v;

	if (*s == '\0' || isspace((unsigned char)*s))
		return (-1);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return (-1);
	*out = v;
	return (0);
}

/*
 * Fold text for lenient comparison of short answers: lower case, Latin
 * letters without accents, typographic apostrophes as ', runs of white
 * space as one space, trimmed. Returns a new string.
 */
char *
text_fold(const char *s)
{
	static const struct {
		unsigned char	 b2;
		char		 c;
	} latin1[] = {
		{ 0x80, 'a' }, { 0x81, 'a' }, { 0x82, 'a' }, { 0x83, 'a' },
		{ 0x84, 'a' }, { 0x85, 'a' }, { 0x87, 'c' }, { 0x88, 'e' },
		{ 0x89, 'e' }, { 0x8a, 'e' }, { 0x8b, 'e' }, { 0x8c, 'i' },
		{ 0x8d, 'i' }, { 0x8e, 'i' }, { 0x8f, 'i' }, { 0x91, 'n' },
		{ 0x92, 'o' }, { 0x93, 'o' }, { 0x94, 'o' }, { 0x95, 'o' },
		{ 0x96, 'o' }, { 0x99, 'u' }, { 0x9a, 'u' }, { 0x9b, 'u' },
		{ 0x9c, 'u' }, { 0x9d, 'y' },
		{ 0xa0, 'a' }, { 0xa1, 'a' }, { 0xa2, 'a' }, { 0xa3, 'a' },
		{ 0xa4, 'a' }, { 0xa5, 'a' }, { 0xa7, 'c' }, { 0xa8, 'e' },
		{ 0xa9, 'e' }, { 0xaa, 'e' }, { 0xab, 'e' }, { 0xac, 'i' },
		{ 0xad, 'i' }, { 0xae, 'i' }, { 0xaf, 'i' }, { 0xb1, 'n' },
		{ 0xb2, 'o' }, { 0xb3, 'o' }, { 0xb4, 'o' }, { 0xb5, 'o' },
		{ 0xb6, 'o' }, { 0xb9, 'u' }, { 0xba, 'u' }, { 0xbb, 'u' },
		{ 0xbc, 'u' }, { 0xbd, 'y' }, { 0xbf, 'y' },
	};
	const unsigned char	*p;
	struct buf		 b;
	size_t			 i;
	int			 space;

	buf_init(&b, strlen(s) + 1);
	space = 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = 1;
			continue;
		}
		if (space && b.len > 0)
			buf_putc(&b, ' ');
		space = 0;
		if (*p < 0x80) {
			buf_putc(&b, tolower(*p));
			continue;
		}
		if (*p == 0xc3 && p[1] != '\0') {
			for (i = 0; i < sizeof(latin1) / sizeof(latin1[0]); i++) {
				if (latin1[i].b2 == p[1])
					break;
			}
			if (i < sizeof(latin1) / sizeof(latin1[0])) {
				buf_putc(&b, latin1[i].c);
				p++;
				continue;
			}
		}
		/* U+2019 and U+2018: typographic apostrophes. */
		if (p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0x99 || p[2] == 0x98)) {
			buf_putc(&b, '\'');
			p += 2;
			continue;
		}
		buf_putc(&b, *p);
	}
	return (buf_release(&b));
}
