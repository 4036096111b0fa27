/*
 * fuzz-examgen.c: the exam-day generator's parsers (tests/load/
 * examgen-parse.c) over any bytes. The first byte picks what is read:
 * even, an HTTP response, cut short at several places as reads can cut
 * it (with and without the peer's close); odd, an attempt page, its
 * questions then answered by label. Nothing may read or write out of
 * bounds; a whole response must lie within the bytes read.
 */

#include "fuzz.h"

#include "../load/examgen-parse.c"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return (0);
}

static void
http(const uint8_t *data, size_t size)
{
	struct eg_resp	 r;
	size_t		 cuts[4], i;
	char		*b;
	int		 eof, rc;

	cuts[0] = size / 3;
	cuts[1] = size / 2;
	cuts[2] = size > 0 ? size - 1 : 0;
	cuts[3] = size;
	for (i = 0; i < 4; i++) {
		for (eof = 0; eof < 2; eof++) {
			/* Exactly the bytes read, so that ASan sees any overrun. */
			b = malloc(cuts[i] + 1);
			FUZZ_ASSERT(b != NULL);
			memcpy(b, data, cuts[i]);
			rc = eg_http_parse(b, cuts[i], eof, &r);
			FUZZ_ASSERT(rc >= -1 && rc <= 1);
			if (rc == 1) {
				FUZZ_ASSERT(r.used <= cuts[i]);
				FUZZ_ASSERT(r.body_off <= r.used);
				FUZZ_ASSERT(r.body_len <= r.used - r.body_off);
				FUZZ_ASSERT(r.status >= 0 && r.status <= 999);
				FUZZ_ASSERT(strlen(r.location) < sizeof(r.location));
			}
			free(b);
		}
	}
}

static void
page(const uint8_t *data, size_t size)
{
	static struct eg_form	 f;
	struct eg_answer	 ans[3];
	char			*b, out[4096];
	int			 n, i;
	size_t			 k;

	b = malloc(size + 1);
	FUZZ_ASSERT(b != NULL);
	memcpy(b, data, size);
	n = eg_form_parse(b, size, &f);
	FUZZ_ASSERT(n >= -1 && n <= EG_MAXQ);
	if (n < 1) {
		free(b);
		return;
	}
	memset(ans, 0, sizeof(ans));
	ans[0].n = 1;
	(void)snprintf(ans[0].a[0], EG_LABEL, "%s", "true");
	if (f.q[0].n > 0) {
		ans[1].n = 1;
		memcpy(ans[1].a[0], f.q[0].c[0].label, EG_LABEL);
	}
	ans[2].n = 2;
	(void)snprintf(ans[2].a[0], EG_LABEL, "%s", "Questura");
	(void)snprintf(ans[2].a[1], EG_LABEL, "%s", "la seconda, corretta");
	for (i = 1; i <= 3 && i <= n; i++) {
		int	len = eg_form_body(&f, ans, i, "tok&en=", out,
		    sizeof(out));

		FUZZ_ASSERT(len >= -1 && len < (int)sizeof(out));
		if (len < 0)
			continue;
		FUZZ_ASSERT(strlen(out) == (size_t)len);
		for (k = 0; k < (size_t)len; k++)
			FUZZ_ASSERT(isalnum((unsigned char)out[k]) ||
			    strchr("-_.~%&=", out[k]) != NULL);
	}
	free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return (0);
	if (data[0] % 2 == 0)
		http(data + 1, size - 1);
	else
		page(data + 1, size - 1);
	return (0);
}
