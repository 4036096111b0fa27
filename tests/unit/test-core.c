/*
 * test-core.c: buffers, strings and UTF-8, escaping, templates, message
 * catalogues, and the agreement between SCHEMA_VERSION and sql/.
 */

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "capacita.h"
#include "harness.h"

static void	test_buf(void);
static void	test_utf8(void);
static void	test_strings(void);
static void	test_html(void);
static void	test_tmpl(void);
static void	test_catalogues(void);
static void	test_fmt(void);
static void	test_plural(void);
static void	test_address(void);
static void	test_schema(void);

static void
test_buf(void)
{
	struct buf	b;
	char		*p;
	int		i;

	buf_init(&b, 1);
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	CHECK(b.len == strlen(b.data));
	CHECK(strncmp(b.data, "0,1,2,", 6) == 0);
	CHECK(str_has_suffix(b.data, "998,999,"));
	buf_reset(&b);
	CHECK(b.len == 0 && b.data[0] == '\0');
	buf_append(&b, "a\0b", 3);
	CHECK(b.len == 3 && b.data[3] == '\0');
	p = buf_release(&b);
	CHECK(b.data == NULL);
	free(p);
}

static void
test_fail(void)
{
	struct fail	 f;
	struct diaglist	 dl;
	int		 i;

	diag_init(&dl);
	CHECK(i18n_load("assets/i18n", &dl) == 0);
	fail_clear(&f);
	CHECK(f.kind == FAIL_NONE && f.key[0] == '\0' && f.detail[0] == '\0');
	CHECK(fail_set(&f, FAIL_CONFLICT, "impact.closed", "edition %d",
	    7) == -1);
	CHECK(fail_status(&f) == 409);
	CHECK(strcmp(f.key, "impact.closed") == 0);
	CHECK(strcmp(f.detail, "edition 7") == 0);
	CHECK(fail_set(&f, FAIL_UNAVAILABLE, NULL, "%s", "x") == -1);
	CHECK(fail_status(&f) == 503 && strcmp(f.key, "error.503.db") == 0);
	CHECK(fail_set(NULL, FAIL_INPUT, NULL, NULL) == -1);
	/* Every kind has a status and a message in both languages. */
	for (i = FAIL_INPUT; i <= FAIL_UNAVAILABLE; i++) {
		fail_set(&f, i, NULL, NULL);
		CHECK(fail_status(&f) >= 400 && fail_status(&f) < 600);
		CHECK(strcmp(i18n_get(LANG_IT, f.key), f.key) != 0);
		CHECK(strcmp(i18n_get(LANG_EN, f.key), f.key) != 0);
	}
	i18n_free();
	diag_free(&dl);
}

/* The bounded validators' rule: lengths in bytes, one class of bytes. */
static void
test_bounded(void)
{
	static const struct {
		const char	*s;
		size_t		 min, max;
		enum byte_class	 c;
		int		 ok;
	} t[] = {
		{ "", 0, 5, BYTES_ANY, 1 },
		{ "", 1, 5, BYTES_ANY, 0 },
		{ "abcde", 1, 5, BYTES_ANY, 1 },
		{ "abcdef", 1, 5, BYTES_ANY, 0 },
		{ "caff\xc3\xa8", 1, 6, BYTES_ANY, 1 },	/* 6 bytes */
		{ "caff\xc3\xa8", 1, 5, BYTES_ANY, 0 },
		{ "a\nb", 1, 5, BYTES_ANY, 1 },		/* '.' took newlines */
		{ "a@b.it", 3, 254, BYTES_NOSPACE, 1 },
		{ "a@", 3, 254, BYTES_NOSPACE, 0 },
		{ "a @b.it", 3, 254, BYTES_NOSPACE, 0 },
		{ "a\t@b.it", 3, 254, BYTES_NOSPACE, 0 },
		{ "a\r@b.it", 3, 254, BYTES_NOSPACE, 0 },
		{ "\xc3\xa8@b.it", 3, 254, BYTES_NOSPACE, 1 },
		{ "Ab!~", 1, 10, BYTES_VISIBLE, 1 },
		{ "A b", 1, 10, BYTES_VISIBLE, 0 },
		{ "\x7f", 1, 10, BYTES_VISIBLE, 0 },
		{ "ente-a1", 0, 80, BYTES_CODE, 1 },
		{ "Ente", 0, 80, BYTES_CODE, 0 },
		{ "access_denied", 1, 64, BYTES_WORD, 1 },
		{ "access-denied", 1, 64, BYTES_WORD, 0 },
	};
	char	 big[1030];
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK(str_bounded(t[i].s, t[i].min, t[i].max, t[i].c) ==
		    t[i].ok);
	memset(big, 'x', sizeof(big) - 1);
	big[1024] = '\0';
	CHECK(str_bounded(big, 1, 1024, BYTES_ANY));
	big[1024] = 'x';
	big[1025] = '\0';
	CHECK(!str_bounded(big, 1, 1024, BYTES_ANY));
}

static void
test_utf8(void)
{
	CHECK(utf8_valid("caff\xc3\xa8", 6));
	CHECK(utf8_valid("\xf0\x9f\x98\x82", 4));
	CHECK(!utf8_valid("\xc3", 1));			/* truncated */
	CHECK(!utf8_valid("\xc0\xaf", 2));		/* overlong */
	CHECK(!utf8_valid("\xed\xa0\x80", 3));		/* surrogate */
	CHECK(!utf8_valid("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	CHECK(!utf8_valid("a\0b", 3));			/* NUL */
	CHECK(utf8_invalid_offset("ab\xffz", 4) == 2);
	CHECK(utf8_strlen("caff\xc3\xa8") == 5);
	CHECK(line_of_offset("a\nb\nc", 4) == 3);
}

static void
test_strings(void)
{
	char		 buf[8], s[] = "  x y \t\n";
	long long	 v;
	char		*f, **vs;

	CHECK_STR(str_trim(s), "x y");
	CHECK(xstrlcpy(buf, "abcdefghij", sizeof(buf)) == 10);
	CHECK_STR(buf, "abcdefg");
	CHECK(slug_valid("a-b-1"));
	CHECK(!slug_valid("-a"));
	CHECK(!slug_valid("a-"));
	CHECK(!slug_valid("A"));
	CHECK(!slug_valid("a/b"));
	CHECK(!slug_valid(""));
	CHECK(parse_int("42", 0, 100, &v) == 0 && v == 42);
	CHECK(parse_int("101", 0, 100, &v) == -1);
	CHECK(parse_int("4x", 0, 100, &v) == -1);
	CHECK(parse_int(" 4", 0, 100, &v) == -1);
	f = text_fold("  La  QUESTURA\tdi Città  ");
	CHECK_STR(f, "la questura di citta");
	free(f);
	f = text_fold("L\xe2\x80\x99" "ufficio \xc3\x89TAT");
	CHECK_STR(f, "l'ufficio etat");
	free(f);
	/* Every string and the array freed: ASan's leak check says so. */
	vs = xcalloc(3, sizeof(*vs));
	vs[0] = xstrdup("a");
	vs[1] = xstrdup("b");
	str_array_free(vs, 2);
	str_array_free(NULL, 0);
}

static void
test_html(void)
{
	struct buf	b;

	buf_init(&b, 16);
	html_puts(&b, "<a href=\"x\">'&'</a>");
	CHECK_STR(b.data, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;"
	    "&lt;/a&gt;");
	buf_reset(&b);
	url_encode(&b, "/a b?c=d&e");
	CHECK_STR(b.data, "%2Fa%20b%3Fc%3Dd%26e");
	buf_free(&b);
}

static void
test_tmpl(void)
{
	struct diaglist	 dl;
	struct tmpl	*t;
	struct buf	 out, err;
	const char	*src;

	diag_init(&dl);
	CHECK(i18n_load("assets/i18n", &dl) == 0);
	src = "<p title=\"{{t}}\">{{body}} {{@unit.hours.other}}</p>";
	t = tmpl_parse("t", src, strlen(src), &dl);
	CHECK(t != NULL);
	if (t == NULL)
		return;
	buf_init(&out, 64);
	buf_init(&err, 64);
	{
		struct tmpl_arg args[] = {
			T_TEXT("t", "\"><script>x</script>"),
			T_RAW("body", "<b>ok</b>"),
		};

		CHECK(tmpl_render(&out, t, LANG_IT, args, 2, &err) == 0);
		CHECK_STR(out.data, "<p title=\"&quot;&gt;&lt;script&gt;x"
		    "&lt;/script&gt;\"><b>ok</b> ore</p>");
		buf_reset(&out);
		CHECK(tmpl_render(&out, t, LANG_EN, args, 2, &err) == 0);
		CHECK_HAS(out.data, " hours</p>");
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("t", "x"),
		};

		buf_reset(&out);
		CHECK(tmpl_render(&out, t, LANG_IT, args, 1, &err) == -1);
		CHECK_HAS(err.data, "no value for hole 'body'");
		CHECK(out.len == 0);
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("t", "x"),
			T_TEXT("body", "y"),
			T_TEXT("extra", "z"),
		};

		buf_reset(&err);
		CHECK(tmpl_render(&out, t, LANG_IT, args, 3, &err) == -1);
		CHECK_HAS(err.data, "argument 'extra' has no hole");
	}
	tmpl_free(t);
	buf_free(&out);
	buf_free(&err);

	src = "line1\n{{bad name}}";
	CHECK(tmpl_parse("b", src, strlen(src), &dl) == NULL);
	src = "{{unclosed";
	CHECK(tmpl_parse("c", src, strlen(src), &dl) == NULL);
	CHECK(diag_count(&dl) == 2);
	diag_free(&dl);
}

/*
 * Every {{@key}} used by a template exists in both catalogues, and the
 * catalogues have the same keys; every template parses.
 */
static void
test_catalogues(void)
{
	struct diaglist	 dl;
	struct dirent	*de;
	DIR		*d;
	char		*path, *src, *p, *end, *key;
	size_t		 len;
	int		 missing;

	diag_init(&dl);
	CHECK(i18n_load("assets/i18n", &dl) == 0);
	CHECK(tmpl_load_dir("assets/tmpl", &dl) == 0);
	CHECK(diag_count(&dl) == 0);
	diag_print(stderr, &dl);
	diag_free(&dl);
	CHECK(tmpl_find("layout") != NULL);

	missing = 0;
	if ((d = opendir("assets/tmpl")) == NULL) {
		CHECK(!"assets/tmpl");
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (!str_has_suffix(de->d_name, ".html"))
			continue;
		(void)xasprintf(&path, "assets/tmpl/%s", de->d_name);
		if (file_read(path, &src, &len, SOURCE_MAX) == -1) {
			free(path);
			continue;
		}
		/* {{n@key}}: key.one and key.other. */
		for (p = src; (p = strstr(p, "{{")) != NULL; p = end) {
			char	*at, k2[160];
			int	 form;

			end = strstr(p, "}}");
			if (end == NULL)
				break;
			key = xstrndup(p + 2, (size_t)(end - p - 2));
			if ((at = strchr(key, '@')) != NULL && at > key) {
				for (form = 0; form < 2; form++) {
					(void)snprintf(k2, sizeof(k2), "%s.%s",
					    at + 1, form ? "other" : "one");
					if (strcmp(i18n_get(LANG_IT, k2), k2) ==
					    0) {
						fprintf(stderr, "%s: '%s' "
						    "missing in it.txt\n", path,
						    k2);
						missing++;
					}
				}
			}
			free(key);
		}
		for (p = src; (p = strstr(p, "{{@")) != NULL; p = end) {
			end = strstr(p, "}}");
			if (end == NULL)
				break;
			key = xstrndup(p + 3, (size_t)(end - p - 3));
			if (strcmp(i18n_get(LANG_IT, key), key) == 0) {
				fprintf(stderr, "%s: '%s' missing in it.txt\n",
				    path, key);
				missing++;
			}
			free(key);
		}
		free(src);
		free(path);
	}
	closedir(d);
	CHECK(missing == 0);

	/* en.txt has exactly the keys of it.txt. */
	{
		char	*it, *en, *line, *next, *eq;
		size_t	 l1, l2;

		CHECK(file_read("assets/i18n/it.txt", &it, &l1,
		    SOURCE_MAX) == 0);
		CHECK(file_read("assets/i18n/en.txt", &en, &l2,
		    SOURCE_MAX) == 0);
		missing = 0;
		for (line = it; line != NULL; line = next) {
			if ((next = strchr(line, '\n')) != NULL)
				*next++ = '\0';
			if (*line == '#' || (eq = strchr(line, '=')) == NULL)
				continue;
			*eq = '\0';
			key = str_trim(line);
			if (strcmp(i18n_get(LANG_EN, key),
			    i18n_get(LANG_IT, key)) == 0 &&
			    strstr(en, key) == NULL) {
				fprintf(stderr, "'%s' missing in en.txt\n",
				    key);
				missing++;
			}
		}
		CHECK(missing == 0);
		free(it);
		free(en);
	}
	i18n_free();
	tmpl_free_all();
}

/*
 * Issue 18: numbers with a decimal point ("6.0 / 12", "100.0%") and four
 * date formats on Italian pages. One helper, the forms of Designers
 * Italia in Italian and the English ones in English.
 */
static void
test_fmt(void)
{
	char	b[64];

	(void)setenv("TZ", "UTC", 1);	/* the zone of the checks below */
	tzset();

	CHECK_STR(fmt_num(b, sizeof(b), LANG_IT, 6, 1, 0), "6,0");
	CHECK_STR(fmt_num(b, sizeof(b), LANG_EN, 6, 1, 0), "6.0");
	CHECK_STR(fmt_num(b, sizeof(b), LANG_IT, 2.5, 1, 0), "2,5");
	CHECK_STR(fmt_num(b, sizeof(b), LANG_IT, 8700, 0, 0), "8700");
	CHECK_STR(fmt_num(b, sizeof(b), LANG_IT, 11800, 0, 0), "11.800");
	CHECK_STR(fmt_num(b, sizeof(b), LANG_IT, 1234567.891, 2, 0),
	    "1.234.567,89");
	CHECK_STR(fmt_num(b, sizeof(b), LANG_EN, 8700, 0, 0), "8,700");
	CHECK_STR(fmt_num(b, sizeof(b), LANG_EN, 1234567.891, 2, 0),
	    "1,234,567.89");
	CHECK_STR(fmt_num(b, sizeof(b), LANG_IT, 11800.5, 1, FMT_PLAIN),
	    "11800,5");
	CHECK_STR(fmt_num(b, sizeof(b), LANG_IT, 28, 1, FMT_SIGN), "+28,0");
	CHECK_STR(fmt_num(b, sizeof(b), LANG_IT, -0.4, 1, FMT_SIGN), "-0,4");
	CHECK_STR(fmt_num(b, sizeof(b), LANG_IT, -0.04, 1, FMT_SIGN), "0,0");
	CHECK_STR(fmt_num(b, sizeof(b), LANG_IT, 0.0 / 0.0, 1, 0), "");
	CHECK_STR(fmt_num(b, 4, LANG_IT, 123456, 0, 0), "");
	CHECK_STR(fmt_numstr(b, sizeof(b), LANG_IT, "6.0", 0), "6,0");
	CHECK_STR(fmt_numstr(b, sizeof(b), LANG_IT, "12", 0), "12");
	CHECK_STR(fmt_numstr(b, sizeof(b), LANG_IT, "-3.25", 0), "-3,25");
	CHECK_STR(fmt_numstr(b, sizeof(b), LANG_EN, "100.0", 0), "100.0");
	CHECK_STR(fmt_numstr(b, sizeof(b), LANG_IT, "", 0), "");
	CHECK_STR(fmt_numstr(b, sizeof(b), LANG_IT, "abc", 0), "");
	CHECK_STR(fmt_pct(b, sizeof(b), LANG_IT, 100, 1), "100,0%");
	CHECK_STR(fmt_pct(b, sizeof(b), LANG_EN, 72.5, 1), "72.5%");
	CHECK_STR(fmt_date(b, sizeof(b), LANG_IT, "2027-01-02"),
	    "2 gennaio 2027");
	CHECK_STR(fmt_date(b, sizeof(b), LANG_EN, "2027-01-02"),
	    "2 January 2027");
	CHECK_STR(fmt_date(b, sizeof(b), LANG_IT,
	    "2018-01-25 23:59:10.5+01"), "25 gennaio 2018");
	CHECK_STR(fmt_date(b, sizeof(b), LANG_IT, "2018-13-25"), "");
	CHECK_STR(fmt_date(b, sizeof(b), LANG_IT, "25/01/2018"), "");
	CHECK_STR(fmt_date(b, sizeof(b), LANG_IT, ""), "");
	CHECK_STR(fmt_datetime(b, sizeof(b), LANG_IT,
	    "2026-03-12 08:38:16.66468+00"), "12 marzo 2026, 08:38");
	CHECK_STR(fmt_datetime(b, sizeof(b), LANG_EN, "2026-12-03T23:59"),
	    "3 December 2026, 23:59");
	CHECK_STR(fmt_datetime(b, sizeof(b), LANG_IT, "2026-12-03"),
	    "3 dicembre 2026");
	/* Times with a zone are shown in the local one (TZ). */
	(void)setenv("TZ", "Europe/Rome", 1);
	tzset();
	CHECK_STR(fmt_datetime(b, sizeof(b), LANG_IT,
	    "2026-12-03T14:20:33.123Z"), "3 dicembre 2026, 15:20");
	CHECK_STR(fmt_datetime(b, sizeof(b), LANG_IT,
	    "2026-07-01 10:05:00+00"), "1 luglio 2026, 12:05");
	CHECK_STR(fmt_datetime(b, sizeof(b), LANG_IT,
	    "2026-07-01 12:05:00.5+02"), "1 luglio 2026, 12:05");
	CHECK_STR(fmt_datetime(b, sizeof(b), LANG_EN,
	    "2026-12-31 23:30:00-05:00"), "1 January 2027, 05:30");
	CHECK_STR(fmt_date(b, sizeof(b), LANG_IT, "2026-12-03T23:30:00Z"),
	    "4 dicembre 2026");
	/* Without a zone: written by SQL in the session's zone already. */
	CHECK_STR(fmt_datetime(b, sizeof(b), LANG_IT, "2026-12-03 14:20"),
	    "3 dicembre 2026, 14:20");
	CHECK_STR(fmt_datetime(b, sizeof(b), LANG_IT, "2026-12-03 14:20+x"),
	    "3 dicembre 2026, 14:20");
	(void)setenv("TZ", "UTC", 1);
	tzset();
}

/*
 * Issue 18: the Italian messages mixed "voi" and "tu", and showed "git"
 * to users. One form of address, "tu" (Designers Italia), no developer
 * jargon: no message of it.txt says any of these.
 */
static void
test_address(void)
{
	static const char *const voi[] = {
		" vostr", "Vostr", " potete", "Potete", " avete", "Avete",
		" siete", "Siete", "Inserite", "Scegliete", "Indicate",
		"Correggete", "Riprovate", "Chiedete", "Caricate", "Accedete",
		"rivolgetevi", "Rivolgetevi", " vi ", "Impostate",
		"Scrivete", "Gentile", "e-mail", " git",
	};
	char	*src, *line, *next;
	size_t	 len, i;
	int	 found;

	if (file_read("assets/i18n/it.txt", &src, &len, SOURCE_MAX) == -1) {
		CHECK(!"assets/i18n/it.txt");
		return;
	}
	found = 0;
	for (line = src; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '#' || strchr(line, '=') == NULL)
			continue;
		for (i = 0; i < sizeof(voi) / sizeof(voi[0]); i++) {
			if (strstr(strchr(line, '='), voi[i]) != NULL) {
				fprintf(stderr, "it.txt: '%s' in: %s\n", voi[i],
				    line);
				found++;
			}
		}
	}
	CHECK(found == 0);
	free(src);
}

/* Issue 18: "(1 punti)". A count hole takes the message's right form. */
static void
test_plural(void)
{
	struct diaglist	 dl;
	struct tmpl	*t;
	struct buf	 out, err;
	const char	*src = "<p>{{n@unit.points}}</p>";

	diag_init(&dl);
	CHECK(i18n_load("assets/i18n", &dl) == 0);
	t = tmpl_parse("p", src, strlen(src), &dl);
	CHECK(t != NULL);
	buf_init(&out, 64);
	buf_init(&err, 64);
	{
		struct tmpl_arg a[] = { T_TEXT("n", "1") };

		CHECK(tmpl_render(&out, t, LANG_IT, a, 1, &err) == 0);
		CHECK_STR(out.data, "<p>1 punto</p>");
		buf_reset(&out);
		CHECK(tmpl_render(&out, t, LANG_EN, a, 1, &err) == 0);
		CHECK_STR(out.data, "<p>1 point</p>");
	}
	{
		struct tmpl_arg a[] = { T_TEXT("n", "2,5") };

		buf_reset(&out);
		CHECK(tmpl_render(&out, t, LANG_IT, a, 1, &err) == 0);
		CHECK_STR(out.data, "<p>2,5 punti</p>");
	}
	{
		struct tmpl_arg a[] = { T_TEXT("m", "1") };

		buf_reset(&out);
		CHECK(tmpl_render(&out, t, LANG_IT, a, 1, &err) == -1);
	}
	tmpl_free(t);
	/* A count hole needs a name and a message. */
	CHECK(tmpl_parse("q", "{{@x}}{{n@}}", 12, &dl) == NULL);
	CHECK(tmpl_parse("q", "{{@n@x}}", 8, &dl) == NULL);
	CHECK(tmpl_parse("q", "{{n@x@y}}", 9, &dl) == NULL);
	diag_free(&dl);
	buf_free(&out);
	buf_free(&err);
	i18n_free();
}

static void
test_schema(void)
{
	int	latest;

	CHECK(migrate_latest_file("sql", &latest) == 0);
	CHECK(latest == SCHEMA_VERSION);
	if (latest != SCHEMA_VERSION)
		fprintf(stderr, "sql/ goes up to %d but SCHEMA_VERSION is "
		    "%d\n", latest, SCHEMA_VERSION);
}

int
main(void)
{
	if (sodium_init() < 0)
		return (1);
	test_buf();
	test_utf8();
	test_bounded();
	test_strings();
	test_html();
	test_tmpl();
	test_catalogues();
	test_fmt();
	test_plural();
	test_address();
	test_fail();
	test_schema();
	T_SUMMARY();
}
