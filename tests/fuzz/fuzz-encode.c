/*
 * fuzz-encode.c: the encoders that put text from users into pages,
 * JSON, URLs, CSV exports, charts and QR codes: html_escape(),
 * json_quote(), url_encode(), csv_field(), svg_bars() / svg_heatmap() /
 * svg_levels() labels, qr_svg() and text_fold(). The input (up to its
 * first NUL byte) is the text; each encoder's output must be safe where
 * it goes and, where there is a decoder, decode back to the text.
 */

#include <jansson.h>

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return (0);
}

static size_t
count(const char *s, int c)
{
	size_t	n;

	for (n = 0; *s != '\0'; s++)
		n += *s == c;
	return (n);
}

/* html_escape() then the five entities decoded: the text again. */
static void
check_html(const char *s)
{
	static const struct {
		const char	*ent;
		char		 c;
	} ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' },
	};
	struct buf	 b, d;
	const char	*p;
	size_t		 i;

	buf_init(&b, strlen(s) * 6 + 1);
	html_puts(&b, s);
	FUZZ_ASSERT(strpbrk(b.data, "<>\"'") == NULL);
	buf_init(&d, b.len + 1);
	for (p = b.data; *p != '\0'; ) {
		if (*p != '&') {
			buf_putc(&d, *p++);
			continue;
		}
		for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
			if (str_has_prefix(p, ents[i].ent))
				break;
		}
		FUZZ_ASSERT(i < sizeof(ents) / sizeof(ents[0]));
		buf_putc(&d, ents[i].c);
		p += strlen(ents[i].ent);
	}
	FUZZ_ASSERT(strcmp(d.data, s) == 0);
	buf_free(&b);
	buf_free(&d);
}

/* json_quote(): valid JSON for the same string, nothing to close a tag. */
static void
check_json(const char *s)
{
	struct buf	 b;
	json_error_t	 e;
	json_t		*v;

	buf_init(&b, strlen(s) * 6 + 3);
	json_quote(&b, s);
	FUZZ_ASSERT(strpbrk(b.data, "<>&") == NULL);
	if (utf8_valid(s, strlen(s))) {
		v = json_loadb(b.data, b.len, JSON_DECODE_ANY, &e);
		if (v == NULL)
			fprintf(stderr, "%s: %s\n", e.text, b.data);
		FUZZ_ASSERT(json_is_string(v) &&
		    strcmp(json_string_value(v), s) == 0);
		json_decref(v);
	}
	buf_free(&b);
}

/* url_encode(): unreserved characters and escapes only; decodes back. */
static void
check_url(const char *s)
{
	struct buf	 b, err;
	struct form	 f;
	const char	*p;

	buf_init(&b, strlen(s) * 3 + 3);
	buf_puts(&b, "k=");
	url_encode(&b, s);
	for (p = b.data + 2; *p != '\0'; p++)
		FUZZ_ASSERT(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
		    "opqrstuvwxyz0123456789-_.~%", *p) != NULL);
	buf_init(&err, 64);
	if (form_parse(&f, b.data, b.len, &err) == 0) {
		FUZZ_ASSERT(f.n == 1 && strcmp(f.f[0].value, s) == 0);
		form_free(&f);
	} else
		FUZZ_ASSERT(strlen(s) > 10000 || !utf8_valid(s, strlen(s)) ||
		    strpbrk(s, "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"
		    "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c"
		    "\x1d\x1e\x1f\x7f") != NULL);
	buf_free(&err);
	buf_free(&b);
}

/* csv_field(): one field that reads back (with ' before a formula). */
static void
check_csv(const char *s)
{
	struct buf	 b, err;
	struct csv	 csv;
	const char	*back;
	double		 d;

	if (*s == '\0' || !utf8_valid(s, strlen(s)) ||
	    str_has_prefix(s, "\xef\xbb\xbf"))
		return;
	buf_init(&b, strlen(s) * 2 + 8);
	csv_field(&b, s);
	buf_puts(&b, ",x\r\n");
	buf_init(&err, 64);
	FUZZ_ASSERT(csv_parse(&csv, b.data, b.len, &err) == 0);
	FUZZ_ASSERT(csv.nrows == 1 && csv.rows[0].nfields == 2);
	back = csv.rows[0].fields[0];
	if ((*s == '=' || *s == '+' || *s == '-' || *s == '@' ||
	    *s == '\t' || *s == '\r') && quiz_parse_number(s, &d) != 0) {
		FUZZ_ASSERT(back[0] == '\'' && strcmp(back + 1, s) == 0);
	} else
		FUZZ_ASSERT(strcmp(back, s) == 0);
	csv_free(&csv);
	buf_free(&err);
	buf_free(&b);
}

/* Chart labels and titles: the markup of the text never gets through. */
static void
check_svg(const char *s, const uint8_t *data, size_t size)
{
	const char	*labels[3], *plain[3];
	double		 v[3], share[9];
	int		 req[3], ach[3];
	struct buf	 a, b;
	size_t		 i;

	for (i = 0; i < 3; i++) {
		labels[i] = s;
		plain[i] = "x";
		v[i] = size > i ? data[i] / 10.0 : 0;
		req[i] = size > i ? data[i] % 4 : 0;
		ach[i] = size > i + 3 ? data[i + 3] % 4 : 0;
	}
	for (i = 0; i < 9; i++)
		share[i] = size > i ? (data[i] % 12) / 10.0 - 0.1 : -1;
	buf_init(&a, 4096);
	buf_init(&b, 4096);
	svg_bars(&a, LANG_IT, "c", s, s, labels, v, 3, 10, 5, s);
	svg_bars(&b, LANG_EN, "c", "x", "x", plain, v, 3, 10, 5, "x");
	FUZZ_ASSERT(count(a.data, '<') == count(b.data, '<'));
	buf_reset(&a);
	buf_reset(&b);
	svg_heatmap(&a, "h", s, s, labels, 3, labels, 3, share);
	svg_heatmap(&b, "h", "x", "x", plain, 3, plain, 3, share);
	FUZZ_ASSERT(count(a.data, '<') == count(b.data, '<'));
	FUZZ_ASSERT(count(a.data, '"') == count(b.data, '"'));
	buf_reset(&a);
	buf_reset(&b);
	svg_levels(&a, "l", s, s, labels, req, ach, 3, labels, 3);
	svg_levels(&b, "l", "x", "x", plain, req, ach, 3, plain, 3);
	FUZZ_ASSERT(count(a.data, '<') == count(b.data, '<'));
	buf_free(&a);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 b;
	char		*s, *f1, *f2;

	s = fuzz_str(data, size);
	check_html(s);
	check_json(s);
	check_url(s);
	check_csv(s);
	check_svg(s, data, size);

	f1 = text_fold(s);
	f2 = text_fold(f1);
	FUZZ_ASSERT(strcmp(f1, f2) == 0);
	free(f1);
	free(f2);

	if (strlen(s) <= 256) {
		buf_init(&b, 8192);
		if (qr_svg(&b, s, s) == 0)
			FUZZ_ASSERT(count(b.data, '<') == 4);
		buf_free(&b);
	}
	free(s);
	return (0);
}
