/*
 * fuzz-tmpl.c: tmpl_parse() and tmpl_render() over any template text,
 * with the message catalogues of assets/i18n loaded (when the fuzzer
 * runs from the top of the tree). The holes named in the text get
 * arguments; the template is rendered once with plain values and once
 * with values full of markup: escaping means the markup never reaches
 * the output, so both renderings hold as many '<', '"' and '\'' bytes.
 * Too many, missing and unused arguments are tried too.
 */

#include "fuzz.h"

#define NARGS	70

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diaglist	dl;

	fuzz_init();
	diag_init(&dl);
	if (i18n_load("assets/i18n", &dl) != 0)
		i18n_free();	/* {{@key}} then renders as the key */
	diag_free(&dl);
	return (0);
}

/* The first s2 (2 bytes) in p .. end, or NULL. */
static const char *
find2(const char *p, const char *end, const char *s2)
{
	for (; p + 1 < end; p++) {
		if (p[0] == s2[0] && p[1] == s2[1])
			return (p);
	}
	return (NULL);
}

static size_t
count(const char *s, size_t len, int c)
{
	size_t	i, n;

	for (i = n = 0; i < len; i++)
		n += s[i] == c;
	return (n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_arg	 args[NARGS];
	char		*names[NARGS];
	struct diaglist	 dl;
	struct tmpl	*t;
	struct buf	 plain, hostile, err;
	const char	*p, *end, *close;
	size_t		 i, n, len;
	enum lang	 lang;
	int		 rc1, rc2;

	diag_init(&dl);
	t = tmpl_parse("fuzz", (const char *)data, size, &dl);
	if (t == NULL) {
		FUZZ_ASSERT(diag_count(&dl) > 0);
		diag_free(&dl);
		return (0);
	}
	FUZZ_ASSERT(diag_count(&dl) == 0 && strcmp(tmpl_name(t), "fuzz") == 0);

	/* The distinct {{name}} holes, as tmpl.c finds them. */
	n = 0;
	p = (const char *)data;
	end = p + size;
	while (p < end && n < NARGS) {
		p = find2(p, end, "{{");
		if (p == NULL)
			break;
		close = find2(p + 2, end, "}}");
		if (close == NULL)
			break;
		len = (size_t)(close - p - 2);
		if (p[2] != '@') {
			for (i = 0; i < n; i++) {
				if (strlen(names[i]) == len &&
				    memcmp(names[i], p + 2, len) == 0)
					break;
			}
			if (i == n)
				names[n++] = xstrndup(p + 2, len);
		}
		p = close + 2;
	}

	lang = size > 0 && (data[0] & 1) ? LANG_EN : LANG_IT;
	buf_init(&plain, size + 64);
	buf_init(&hostile, size + 64);
	buf_init(&err, 64);
	for (i = 0; i < n; i++)
		args[i] = (struct tmpl_arg)T_TEXT(names[i], "x");
	rc1 = tmpl_render(&plain, t, lang, args, n, &err);
	for (i = 0; i < n; i++)
		args[i] = (struct tmpl_arg)T_TEXT(names[i],
		    "<script>alert(\"x\")</script>'&");
	rc2 = tmpl_render(&hostile, t, lang, args, n, &err);
	FUZZ_ASSERT(rc1 == rc2);
	if (rc1 == 0) {
		FUZZ_ASSERT(count(plain.data, plain.len, '<') ==
		    count(hostile.data, hostile.len, '<'));
		FUZZ_ASSERT(count(plain.data, plain.len, '"') ==
		    count(hostile.data, hostile.len, '"'));
		FUZZ_ASSERT(count(plain.data, plain.len, '\'') ==
		    count(hostile.data, hostile.len, '\''));
	} else
		FUZZ_ASSERT(plain.len == 0 && hostile.len == 0);

	/* Raw values go through as they are. */
	if (rc1 == 0 && n > 0) {
		args[0] = (struct tmpl_arg)T_RAW(names[0], "<b>");
		buf_reset(&plain);
		FUZZ_ASSERT(tmpl_render(&plain, t, lang, args, n, &err) == 0);
		FUZZ_ASSERT(count(plain.data, plain.len, '<') >
		    count(hostile.data, hostile.len, '<'));
	}
	/* One argument short, one too many, far too many: nothing out. */
	buf_reset(&plain);
	if (rc1 == 0 && n > 0)
		FUZZ_ASSERT(tmpl_render(&plain, t, lang, args, n - 1,
		    NULL) == -1);
	for (i = n; i < NARGS; i++)
		args[i] = (struct tmpl_arg)T_TEXT("not-a-hole-\x01", "y");
	if (n < NARGS)
		FUZZ_ASSERT(tmpl_render(&plain, t, lang, args, n + 1,
		    NULL) == -1);
	FUZZ_ASSERT(tmpl_render(&plain, t, lang, args, NARGS, &err) == -1);
	FUZZ_ASSERT(plain.len == 0);

	for (i = 0; i < n; i++)
		free(names[i]);
	buf_free(&plain);
	buf_free(&hostile);
	buf_free(&err);
	tmpl_free(t);
	diag_free(&dl);
	return (0);
}
