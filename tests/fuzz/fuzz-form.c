/*
 * fuzz-form.c: form_parse() over any bytes, as the quiz page reads a
 * submitted application/x-www-form-urlencoded body (and as a query
 * string would be read). What it accepts must be clean: names of 1 to
 * 64 bytes, values of at most 10000, valid UTF-8, no control character
 * but tab, CR and LF. Every field encoded again with url_encode() must
 * parse back to the same fields.
 */

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return (0);
}

static void
check_clean(const char *s, size_t max)
{
	const unsigned char	*p;

	FUZZ_ASSERT(strlen(s) <= max);
	FUZZ_ASSERT(utf8_valid(s, strlen(s)));
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		FUZZ_ASSERT(!((*p < 0x20 && *p != '\t' && *p != '\r' &&
		    *p != '\n') || *p == 0x7f));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form	 f, g;
	struct buf	 err, enc;
	size_t		 i;

	buf_init(&err, 64);
	if (form_parse(&f, (const char *)data, size, &err) == -1) {
		FUZZ_ASSERT(err.len > 0 && f.n == 0 && f.f == NULL);
		buf_free(&err);
		return (0);
	}
	buf_init(&enc, size * 3 + 16);
	for (i = 0; i < f.n; i++) {
		FUZZ_ASSERT(f.f[i].name[0] != '\0');
		check_clean(f.f[i].name, 64);
		check_clean(f.f[i].value, 10000);
		FUZZ_ASSERT(form_get(&f, f.f[i].name) != NULL);
		if (i > 0)
			buf_putc(&enc, '&');
		url_encode(&enc, f.f[i].name);
		buf_putc(&enc, '=');
		url_encode(&enc, f.f[i].value);
	}
	FUZZ_ASSERT(form_get(&f, "\x01") == NULL);
	if (form_parse(&g, enc.data, enc.len, &err) == -1) {
		fprintf(stderr, "%s\n--- encoded:\n%s\n", err.data, enc.data);
		FUZZ_ASSERT(!"url_encode() output parses");
	}
	FUZZ_ASSERT(g.n == f.n);
	for (i = 0; i < f.n; i++) {
		FUZZ_ASSERT(strcmp(f.f[i].name, g.f[i].name) == 0);
		FUZZ_ASSERT(strcmp(f.f[i].value, g.f[i].value) == 0);
	}
	form_free(&g);
	form_free(&f);
	buf_free(&enc);
	buf_free(&err);
	return (0);
}
